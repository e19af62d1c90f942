// undisclosed-association: a path of at most $maxHops association links, in
// either direction, from an officer to a person of interest whom the officer
// has not declared (a DECLARED in force at scan time). No path passes
// through a hub: every node between the two ends is a non-hub (an officer
// too: DESIGN.md "No path passes through a hub"), while either end may be
// one; ALL SHORTEST gives every shortest path of a (person, officer) pair
// and the pattern keeps the strongest (ANY SHORTEST picked one by storage
// order, which new flags' relationships change: a rescan of the same data
// could show another path and raise a new flag).
// The end node is unlabelled inside the subquery and filtered after it, so
// the planner must search outwards from each person of interest (with the
// label inside, it sometimes planned persons × officers point-to-point
// searches: a CartesianProduct).
MATCH (p:Person {poi: true})
WHERE $pois IS NULL OR p.id IN $pois
CALL (p) {
  MATCH path = ALL SHORTEST (p) (()-[r:{{assoc}}]-(x)
        WHERE NOT x:{{hub}} AND {{linkInWindow "r"}}){0,{{maxHopsBetween}}}
        ()-[rl:{{assoc}} WHERE {{linkInWindow "rl"}}]-(o)
  RETURN path, o
}
WITH p, path, o
WHERE o:Officer AND ($officers IS NULL OR o.id IN $officers)
  AND NOT EXISTS { MATCH (o)-[d:DECLARED]->(p) WHERE {{declared "d"}} }
OPTIONAL CALL (o, path) {
  // the officer declared someone on the path: the likely innocent reading
  MATCH (o)-[d:DECLARED]->(m) WHERE m IN nodes(path) AND {{declared "d"}}
  RETURN collect({id: m.id, on: toString(d.on)}) AS declaredOnPath
}
OPTIONAL CALL (o, p) {
  {{declarationsNotInForce "o" "p"}}
}
RETURN o.id AS officer, p.id AS poi, p.poiReason AS poiReason, length(path) AS hops,
       [n IN nodes(path) | {{node "n"}}] AS nodes,
       [e IN relationships(path) | {{edge "e"}}] AS edges,
       declaredOnPath, declaredLater, withdrawn
