-- Actor pairs ranked by the sum of the Goldstein scale over their events (most cooperative first).
SELECT actor1_code, actor2_code, count(*) AS events, round(sum(goldstein), 1) AS goldstein_sum,
       round(avg(goldstein), 2) AS goldstein_mean
FROM events
GROUP BY actor1_code, actor2_code
ORDER BY goldstein_sum DESC, events DESC, actor1_code, actor2_code
LIMIT 20;
