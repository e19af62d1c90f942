// officer-aggregates: per officer ($officers, or all), in one pass over its
// history (no window: the stored aggregates cover all loaded data): the
// count of accesses and of unassigned ones (access-volume-outlier, the
// profile of similar-to-confirmed), the attendance-mismatch days (an
// onsite shift, no badge swipe, at least one access, all remote) and the
// date of its latest shift (agg-late-shifts.cypher's lower bound). Each
// officer's accesses are read once for both; everything is expanded from the
// officer (unlabelled ends, so the planner cannot start from an index).
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  OPTIONAL MATCH (o)-[:SWIPED]->(b)
  WITH collect(DISTINCT {{day "b.at"}}) AS swipeDays
  OPTIONAL MATCH (o)-[:WORKED]->(sh)
  WITH max(sh.date) AS lastShift,
       collect(DISTINCT CASE WHEN sh.declaredLocation = 'onsite' AND NOT sh.date IN swipeDays THEN sh.date END) AS dates
  OPTIONAL MATCH (o)-[a:ACCESSED]->(r)
  WITH lastShift, dates, a, {{day "a.at"}} AS d, CASE WHEN a IS NOT NULL AND {{unassigned "o" "a" "r"}} THEN 1 ELSE 0 END AS un
  WITH lastShift, d, d IN dates AS onsite, count(a) AS n, count(CASE WHEN a.channel = 'remote' THEN 1 END) AS remote, sum(un) AS un
  RETURN sum(n) AS total, sum(un) AS x, collect(CASE WHEN onsite AND n > 0 AND n = remote THEN d END) AS days,
         max(lastShift) AS lastShift
}
RETURN o.id AS officer, total, x, days, lastShift
