-- Every mention of one entity in each article that names it (by name, description or pronoun), with the
-- sentence around it. Edit the name; run with: newsevents query OUTPUT --file queries/mentions_of_x.sql
SELECT m.article_id, m.canonical_name, m.entity_type, m.actor_code, m.mention_type, m.text AS mention,
       m.sentence_index,
       trim(regexp_extract(substr(a.text, 1, m.char_start), '[^.!?\n]*$') || m.text
            || regexp_extract(substr(a.text, m.char_end + 1), '^[^.!?\n]*[.!?]?')) AS sentence
FROM mentions m
JOIN articles a ON a.article_id = m.article_id AND a.version = m.article_version
WHERE m.entity_key IN (SELECT entity_key FROM mentions WHERE canonical_name ILIKE '%Zelenskyy%')
ORDER BY m.article_id, m.char_start;
