// touched-collusion (incremental collusion-ring): both officers of every
// pair that has a new access: an unassigned access about a person of
// interest after $since (or any access of the officers $late, whose
// history changed), and another officer's unassigned access about the same
// person within $days UTC days (the link between them is checked later).
CALL {
  MATCH (o1:Officer)-[a1:ACCESSED]->(r1:Record) WHERE a1.at > $since RETURN o1, a1, r1
  UNION ALL
  UNWIND $late AS id
  MATCH (o1:Officer {id: id})-[a1:ACCESSED]->(r1:Record) RETURN o1, a1, r1
}
MATCH (r1)-[:ABOUT]->(p:Person {poi: true})
WHERE {{inWindow "a1.at"}} AND {{unassigned "o1" "a1" "r1"}}
WITH DISTINCT o1, p, {{day "a1.at"}} AS d1
MATCH (p)<-[:ABOUT]-(r2:Record)<-[a2:ACCESSED]-(o2:Officer)
WHERE o2 <> o1 AND {{inWindow "a2.at"}} AND abs(duration.inDays(d1, {{day "a2.at"}}).days) <= $days
  AND {{unassigned "o2" "a2" "r2"}}
WITH collect(DISTINCT o1.id) + collect(DISTINCT o2.id) AS ids
UNWIND ids AS id
RETURN collect(DISTINCT id) AS officers
