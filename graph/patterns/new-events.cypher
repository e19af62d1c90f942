// new-events: per officer, the accesses after $sinceAccess, the badge
// swipes after $sinceSwipe and the shifts dated after $sinceShift (each
// kind's stamp: agg-watermark.cypher; index seeks), with the UTC days they
// fall on, how many of the new accesses are unassigned, and per day what
// day-facts.cypher gives for a day (accesses and remote ones, swipes, onsite
// shifts): for a day after every stamp's day, every event of the day is
// new, so an incremental scan needs day-facts only for the days up to the
// latest stamp's.
CALL {
  MATCH (o:Officer)-[a:ACCESSED]->(r) WHERE a.at > $sinceAccess
  WITH o, a, r, {{day "a.at"}} AS d, CASE WHEN {{unassigned "o" "a" "r"}} THEN 1 ELSE 0 END AS un
  WITH o, d, count(a) AS n, sum(un) AS un, count(CASE WHEN a.channel = 'remote' THEN 1 END) AS remote
  RETURN o.id AS officer, 'access' AS kind, sum(n) AS n, sum(un) AS un, collect(d) AS days,
         collect({day: d, n: n, remote: remote}) AS perDay
  UNION ALL
  MATCH (o:Officer)-[:SWIPED]->(b:BadgeSwipe) WHERE b.at > $sinceSwipe
  WITH o, {{day "b.at"}} AS d, count(b) AS n
  RETURN o.id AS officer, 'swipe' AS kind, sum(n) AS n, 0 AS un, collect(d) AS days,
         collect({day: d, n: n, remote: 0}) AS perDay
  UNION ALL
  MATCH (o:Officer)-[:WORKED]->(s:Shift) WHERE s.date > $sinceShift
  WITH o, s.date AS d, count(s) AS n, count(CASE WHEN s.declaredLocation = 'onsite' THEN 1 END) AS onsite
  RETURN o.id AS officer, 'shift' AS kind, sum(n) AS n, 0 AS un, collect(d) AS days,
         collect({day: d, n: onsite, remote: 0}) AS perDay
}
RETURN officer, kind, n, un, days, perDay
