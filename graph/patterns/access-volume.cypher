// access-volume (shared by access-volume-outlier and similar-to-confirmed):
// per officer ($officers, or all), the count of accesses in the window and
// of unassigned ones. One subquery per officer keeps memory bounded. The
// evidence sample of a flagged officer is volume-sample.cypher.
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  OPTIONAL MATCH (o)-[a:ACCESSED]->(r)
  WHERE {{inWindow "a.at"}}
  WITH a, r, CASE WHEN a IS NOT NULL AND {{unassigned "o" "a" "r"}} THEN 1 ELSE 0 END AS un
  RETURN count(a) AS total, sum(un) AS x
}
RETURN o.id AS officer, o.unit AS unit, o.role AS role, total, x
