// day-facts: for the UTC days $dayList, force-wide, per officer and day: onsite
// shifts, badge swipes, and accesses (all, remote), from the Shift.date,
// BadgeSwipe.at and ACCESSED.at indexes: what attendance-mismatch needs to
// recompute those days alone.
UNWIND $dayList AS d
MATCH (o:Officer)-[:WORKED]->(sh:Shift)
WHERE sh.date = d AND sh.declaredLocation = 'onsite'
RETURN o.id AS officer, d AS day, 'shift' AS kind, count(sh) AS n, 0 AS remote
UNION ALL
UNWIND $dayList AS d
WITH d, datetime({date: d, timezone: 'UTC'}) AS t0
MATCH (o:Officer)-[:SWIPED]->(b:BadgeSwipe)
WHERE b.at >= t0 AND b.at < t0 + duration({days: 1})
RETURN o.id AS officer, d AS day, 'swipe' AS kind, count(b) AS n, 0 AS remote
UNION ALL
UNWIND $dayList AS d
WITH d, datetime({date: d, timezone: 'UTC'}) AS t0
MATCH (o:Officer)-[a:ACCESSED]->()
WHERE a.at >= t0 AND a.at < t0 + duration({days: 1})
RETURN o.id AS officer, d AS day, 'access' AS kind, count(a) AS n,
       count(CASE WHEN a.channel = 'remote' THEN 1 END) AS remote
