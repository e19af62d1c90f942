// attendance-mismatch: per officer, the mismatch days: a shift declared
// onsite on day d, no badge swipe on d, and at least one access on d, all
// through the remote channel (UTC days). Go then looks for $minDays of them
// within any $spanDays consecutive days. Everything is expanded from the
// officer (swipe days and access days gathered once per officer), never
// looked up by day across the force: the nodes reached from the officer
// are deliberately unlabelled so the planner cannot start from a Shift index.
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  OPTIONAL MATCH (o)-[:SWIPED]->(b)
  WITH collect(DISTINCT {{day "b.at"}}) AS swipeDays
  MATCH (o)-[:WORKED]->(sh)
  WHERE sh.declaredLocation = 'onsite' AND {{inWindowDate "sh.date"}} AND NOT sh.date IN swipeDays
  WITH collect(DISTINCT sh.date) AS dates
  MATCH (o)-[a:ACCESSED]->(r)
  WITH dates, a, r, {{day "a.at"}} AS d
  WHERE d IN dates
  WITH d, a, r ORDER BY a.at, r.id // the same 5 look-ups a day on every rescan
  WITH d, count(a) AS n, count(CASE WHEN a.channel = 'remote' THEN 1 END) AS remote,
       collect({record: r.id, at: toString(a.at)})[..5] AS accesses
  WHERE n = remote
  MATCH (o)-[:WORKED]->(sh) WHERE sh.date = d AND sh.declaredLocation = 'onsite'
  WITH d, n, accesses, min(sh.id) AS shift
  RETURN collect({day: toString(d), shift: shift, accesses: accesses, n: n}) AS days
}
WITH o, days WHERE size(days) >= $minDays
RETURN o.id AS officer, days
