// co-accused-crew: pairs of officers named together as accused in at least
// $minShared complaints; complaints naming more than $maxNamed officers (any
// role) are hubs and do not count.
MATCH (c:Complaint)
WHERE {{inWindowDate "c.received"}}
  AND COUNT { MATCH (c)<-[:NAMED_IN]-(o:Officer) RETURN DISTINCT o } <= $maxNamed
MATCH (o1:Officer)-[n1:NAMED_IN {role: 'accused'}]->(c)<-[n2:NAMED_IN {role: 'accused'}]-(o2:Officer)
WHERE o1.id < o2.id
WITH o1, o2, collect({complaint: c.id, received: toString(c.received), f1: n1.finding, f2: n2.finding}) AS shared
WHERE size(shared) >= $minShared
  AND ($officers IS NULL OR o1.id IN $officers OR o2.id IN $officers)
RETURN o1.id AS officer1, o2.id AS officer2, shared
