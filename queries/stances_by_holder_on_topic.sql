-- Stances by holder on one topic (edit the topic id: see transforms/extract/data/topics.v2.json).
SELECT holder, holder_code, polarity, count(*) AS stances,
       string_agg(coalesce(cue, '(quote)') || ': ' || evidence, ' | ') AS evidence
FROM stances
WHERE topic = 'territory_borders'
GROUP BY holder, holder_code, polarity
ORDER BY stances DESC, holder;
