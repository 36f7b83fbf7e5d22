-- How fresh the lake is: the last published runs, when their rows became queryable, how long ago that was,
-- and how old the newest story in each was by then (a dashboard polls this; a watcher's liveness is in
-- _state/watch.json, which it rewrites after every tick, also when nothing was new).
SELECT run_id, status, finished_at, articles,
       round(epoch(now() - finished_at) / 60, 1) AS minutes_ago,
       round(newest_lag_seconds / 60, 1) AS newest_story_lag_minutes,
       oldest_published_at, newest_published_at
FROM freshness
WHERE status LIKE 'succeeded%' OR status = 'published_by_recovery'
ORDER BY finished_at DESC
LIMIT 10;
