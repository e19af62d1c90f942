// personal-interest-access: an unassigned access to a record about the
// officer's family, associates or co-residents (living at the same non-hub
// address at the same time: their stays overlap), or about a high-profile
// person.
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  MATCH (o)-[l:RELATED_TO]-(s:Party) WHERE s <> o AND {{linkInWindow "l"}}
  RETURN s, CASE WHEN l.type IN $family THEN 'family' ELSE 'associate' END AS kind, [l] AS links, null AS via
  UNION
  MATCH (o)-[l1:LIVES_AT]->(ad:Address)<-[l2:LIVES_AT]-(s:Party)
  WHERE s <> o AND NOT ad:{{hub}} AND {{linkInWindow "l1"}} AND {{linkInWindow "l2"}} AND {{overlap "l1" "l2"}}
  RETURN s, 'co-resident' AS kind, [l1, l2] AS links, ad AS via
}
MATCH (s)<-[ab:ABOUT]-(r:Record)<-[a:ACCESSED]-(o)
WHERE {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
RETURN o.id AS officer, s.id AS subject, kind, r.id AS record, toString(a.at) AS accessAt,
       [n IN [o, r, s, via] WHERE n IS NOT NULL | {{node "n"}}] AS nodes,
       [e IN [a, ab] + links | {{edge "e"}}] AS edges,
       {{assignmentNote "o" "a" "r"}} AS note
UNION
MATCH (s:Person {highProfile: true})<-[ab:ABOUT]-(r:Record)<-[a:ACCESSED]-(o:Officer)
WHERE ($officers IS NULL OR o.id IN $officers)
  AND {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
RETURN o.id AS officer, s.id AS subject, 'high-profile' AS kind, r.id AS record, toString(a.at) AS accessAt,
       [n IN [o, r, s] | {{node "n"}}] AS nodes,
       [e IN [a, ab] | {{edge "e"}}] AS edges,
       {{assignmentNote "o" "a" "r"}} AS note
