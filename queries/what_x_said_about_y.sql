-- What one speaker said about a subject, direct and reported, in their words.
-- Edit the speaker and the word; run with: newsevents query OUTPUT --file queries/what_x_said_about_y.sql
SELECT a.published_at::DATE AS day, q.speaker, q.speaker_code, q.cue,
       CASE WHEN q.is_direct THEN 'quote' ELSE 'reported' END AS kind, q.content
FROM quotes q
JOIN articles a ON a.article_id = q.article_id AND a.version = q.article_version
WHERE q.speaker ILIKE '%Trump%' AND q.content ILIKE '%peace%'
ORDER BY day, q.article_id, q.char_start;
