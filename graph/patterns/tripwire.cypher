// tripwire: an unassigned access to a watched record, to a record of a
// watched case (a sensitive operation), or to a record about a watched
// person, officer, company or address. $newSince (incremental scans, watch
// list unchanged): only accesses after it, and any access of the officers
// $whole (access history changed otherwise). An item watches the entities
// it named when added (entityKeys: an import id is unique per label only).
MATCH (w:WatchItem)
CALL (w) {
  MATCH (r:Record {id: w.entityId}) WHERE w.entityKeys IS NULL OR 'Record:' + r.id IN w.entityKeys RETURN r, null AS s, null AS l
  UNION
  MATCH (s:Case {id: w.entityId})<-[l:PART_OF]-(r:Record) WHERE w.entityKeys IS NULL OR 'Case:' + s.id IN w.entityKeys RETURN r, s, l
  UNION
  MATCH (s:Person {id: w.entityId})<-[l:ABOUT]-(r:Record) WHERE w.entityKeys IS NULL OR 'Person:' + s.id IN w.entityKeys RETURN r, s, l
  UNION
  MATCH (s:Officer {id: w.entityId})<-[l:ABOUT]-(r:Record) WHERE w.entityKeys IS NULL OR 'Officer:' + s.id IN w.entityKeys RETURN r, s, l
  UNION
  MATCH (s:Company {id: w.entityId})<-[l:ABOUT]-(r:Record) WHERE w.entityKeys IS NULL OR 'Company:' + s.id IN w.entityKeys RETURN r, s, l
  UNION
  MATCH (s:Address {id: w.entityId})<-[l:ABOUT]-(r:Record) WHERE w.entityKeys IS NULL OR 'Address:' + s.id IN w.entityKeys RETURN r, s, l
}
MATCH (r)<-[a:ACCESSED]-(o:Officer)
WHERE ($officers IS NULL OR o.id IN $officers)
  AND ($newSince IS NULL OR a.at > $newSince OR o.id IN $whole)
  AND {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
RETURN o.id AS officer, w.id AS watch, w.entityId AS watched, s:Case AS watchedCase, w.reason AS reason, r.id AS record,
       toString(a.at) AS accessAt, toString(w.at) AS watchedAt,
       [n IN [o, r, s] WHERE n IS NOT NULL | {{node "n"}}] AS nodes,
       [e IN [a, l] WHERE e IS NOT NULL | {{edge "e"}}] AS edges,
       {{assignmentNote "o" "a" "r"}} AS note
