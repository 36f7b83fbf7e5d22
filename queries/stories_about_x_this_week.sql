-- Stories about a subject in the lake's latest week of news, and how many outlets ran each: wire copies
-- share a story_id. Edit the word; run with: newsevents query OUTPUT --file queries/stories_about_x_this_week.sql
SELECT story_id, arg_min(title, coalesce(published_at, ingested_at)) AS first_title,
       count(DISTINCT article_id) AS articles, count(DISTINCT source) AS outlets,
       min(coalesce(published_at, ingested_at)) AS first_seen, string_agg(DISTINCT source, ', ') AS carried_by
FROM articles
WHERE text ILIKE '%ceasefire%'
  AND coalesce(published_at, ingested_at) >= (SELECT max(coalesce(published_at, ingested_at)) FROM articles) - INTERVAL 7 DAY
GROUP BY story_id
ORDER BY outlets DESC, articles DESC, first_seen;
