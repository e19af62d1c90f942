// new-events: per officer, the accesses and badge swipes after $since and
// the shifts dated after $sinceDay (index seeks), with the UTC days they fall
// on and how many of the new accesses are unassigned.
CALL {
  MATCH (o:Officer)-[a:ACCESSED]->(r) WHERE a.at > $since
  WITH o, a, r, {{day "a.at"}} AS d, CASE WHEN {{unassigned "o" "a" "r"}} THEN 1 ELSE 0 END AS un
  RETURN o.id AS officer, 'access' AS kind, count(a) AS n, sum(un) AS un, collect(DISTINCT d) AS days
  UNION ALL
  MATCH (o:Officer)-[:SWIPED]->(b:BadgeSwipe) WHERE b.at > $since
  RETURN o.id AS officer, 'swipe' AS kind, count(b) AS n, 0 AS un, collect(DISTINCT {{day "b.at"}}) AS days
  UNION ALL
  MATCH (o:Officer)-[:WORKED]->(s:Shift) WHERE s.date > $sinceDay
  RETURN o.id AS officer, 'shift' AS kind, count(s) AS n, 0 AS un, collect(DISTINCT s.date) AS days
}
RETURN officer, kind, n, un, days
