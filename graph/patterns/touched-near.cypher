// touched-near (incremental scans): officers near a new link $links or a
// node $hubs that has just become a hub. near2: within 2 association links
// of an end (family, associates, co-residents; collusion links); near4:
// within 4 (the association side of an access-for-gain or a family
// business chain), plus, for a new payment, the holders of the receiving
// account and their family, and the family of the directors of a company
// holding it (undeclared-business-interest).
// (Each end is looked up on its own: two element-id seeks in one MATCH
// plan as a CartesianProduct.)
UNWIND [l IN $links WHERE l.type <> 'PAID' | [l.x, false]] + [l IN $links WHERE l.type <> 'PAID' | [l.y, false]]
     + [h IN $hubs | [h, false]] + [l IN $links WHERE l.type = 'PAID' | [l.y, true]] AS e
WITH DISTINCT e[0] AS eid, e[1] AS paid
MATCH (n) WHERE elementId(n) = eid
CALL (n, paid) {
  WITH n WHERE NOT paid
  MATCH path = ANY SHORTEST (n) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer){0,4} (o)
  WHERE o:Officer
  RETURN o, length(path) AS d
  UNION
  WITH n AS y WHERE paid
  MATCH (y)<-[:HOLDS]-(h)
  OPTIONAL MATCH (h)-[f:RELATED_TO]-(fo:Officer) WHERE f.type IN $family
  OPTIONAL MATCH (h)<-[:DIRECTOR_OF]-(:Party)-[f3:RELATED_TO]-(bo:Officer) WHERE h:Company AND f3.type IN $family
  UNWIND [h, fo, bo] AS o
  WITH o WHERE o:Officer
  RETURN o, 4 AS d
}
RETURN collect(DISTINCT CASE WHEN d <= 2 THEN o.id END) AS near2, collect(DISTINCT o.id) AS near4
