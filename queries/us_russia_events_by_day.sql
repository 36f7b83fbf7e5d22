-- US–Russia events by day, both directions, with the sentence that reports each.
SELECT coalesce(e.event_date, CAST(a.published_at AS DATE), a.ingest_date) AS day,
       e.actor1, e.actor1_code, e.actor2, e.actor2_code, e.cameo_code, e.modality, e.sentence
FROM events e
JOIN articles a ON a.article_id = e.article_id AND coalesce(a.version, 1) = coalesce(e.article_version, 1)
WHERE (e.actor1_code LIKE 'USA%' AND e.actor2_code LIKE 'RUS%')
   OR (e.actor1_code LIKE 'RUS%' AND e.actor2_code LIKE 'USA%')
ORDER BY day, e.cameo_code, e.actor1;
