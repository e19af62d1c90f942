// tripwire: an unassigned access to a watched record, or to a record about
// a watched person, officer, company or address. $newSince (incremental
// scans, watch list unchanged): only accesses after it, and any access of
// the officers $whole (access history changed otherwise).
MATCH (w:WatchItem)
CALL (w) {
  MATCH (r:Record {id: w.entityId}) RETURN r, null AS s
  UNION
  MATCH (s:Person {id: w.entityId})<-[:ABOUT]-(r:Record) RETURN r, s
  UNION
  MATCH (s:Officer {id: w.entityId})<-[:ABOUT]-(r:Record) RETURN r, s
  UNION
  MATCH (s:Company {id: w.entityId})<-[:ABOUT]-(r:Record) RETURN r, s
  UNION
  MATCH (s:Address {id: w.entityId})<-[:ABOUT]-(r:Record) RETURN r, s
}
MATCH (r)<-[a:ACCESSED]-(o:Officer)
WHERE ($officers IS NULL OR o.id IN $officers)
  AND ($newSince IS NULL OR a.at > $newSince OR o.id IN $whole)
  AND {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
OPTIONAL MATCH (r)-[ab:ABOUT]->(s)
RETURN o.id AS officer, w.id AS watch, w.entityId AS watched, w.reason AS reason, r.id AS record,
       toString(a.at) AS accessAt,
       [n IN [o, r, s] WHERE n IS NOT NULL | {{node "n"}}] AS nodes,
       [e IN [a, ab] WHERE e IS NOT NULL | {{edge "e"}}] AS edges,
       {{assignmentNote "o" "a" "r"}} AS note
