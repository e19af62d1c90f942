// mismatch-days: per officer ($officers, or all), the attendance-mismatch
// days in the window: an onsite shift, no badge swipe, and at least one
// access, all remote. The same expansion as attendance-mismatch.cypher (from
// the officer only), without the evidence; the incremental scan keeps the
// list on the officer (aggMismatchDays).
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  OPTIONAL MATCH (o)-[:SWIPED]->(b)
  WITH collect(DISTINCT {{day "b.at"}}) AS swipeDays
  OPTIONAL MATCH (o)-[:WORKED]->(sh)
  WHERE sh.declaredLocation = 'onsite' AND {{inWindowDate "sh.date"}} AND NOT sh.date IN swipeDays
  WITH collect(DISTINCT sh.date) AS dates
  OPTIONAL MATCH (o)-[a:ACCESSED]->()
  WITH dates, a, {{day "a.at"}} AS d
  WHERE a IS NOT NULL AND d IN dates
  WITH d, count(a) AS n, count(CASE WHEN a.channel = 'remote' THEN 1 END) AS remote
  WHERE n = remote
  RETURN collect(d) AS days
}
RETURN o.id AS officer, days
