// collusion-pois (incremental collusion-ring): the persons of interest the
// officers $officers looked up without an assignment; the pattern then
// pairs accesses about those persons only.
UNWIND $officers AS id
MATCH (o:Officer {id: id})-[a:ACCESSED]->(r:Record)-[:ABOUT]->(p:Person {poi: true})
WHERE {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
RETURN collect(DISTINCT p.id) AS pois
