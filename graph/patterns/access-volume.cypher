// access-volume (shared by access-volume-outlier and similar-to-confirmed):
// per officer, the count of accesses in the window and of unassigned ones,
// with a sample of the unassigned records as evidence. One subquery per
// officer keeps memory bounded.
MATCH (o:Officer)
CALL (o) {
  OPTIONAL MATCH (o)-[a:ACCESSED]->(r)
  WHERE {{inWindow "a.at"}}
  WITH a, r, CASE WHEN a IS NOT NULL AND {{unassigned "o" "a" "r"}} THEN 1 ELSE 0 END AS un
  WITH count(a) AS total, sum(un) AS x,
       collect(CASE WHEN un = 1 THEN {record: r.id, at: toString(a.at)} END) AS sample
  RETURN total, x, sample[..$sample] AS sample
}
RETURN o.id AS officer, o.unit AS unit, o.role AS role, total, x, sample
