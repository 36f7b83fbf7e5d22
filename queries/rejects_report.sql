-- What was rejected, by run, stage and reason, with an example input of each.
SELECT run_id, stage, reason, count(*) AS rejects, min(input) AS example, min(detail) AS detail
FROM rejects
GROUP BY run_id, stage, reason
ORDER BY run_id DESC, rejects DESC, stage, reason;
