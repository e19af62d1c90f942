// touched-association (incremental undisclosed-association): officers with
// a path of at most {{maxHops}} association links to a person of interest
// that goes through a new link $links (or through a node $hubs that has
// just become a hub, and so now blocks it), or with a new declaration
// (dated since the last scan, or loaded since it: loadedAt). For
// a new link a-b: the distance dp from b to the nearest person of interest
// (at most 3), then the officers within 3 - dp links of a, both ways round.
// Hub rules as in the pattern (a person of interest may be a hub at the
// far end; letting one pass in the middle only makes the set larger).
// (Each end is looked up on its own, after the other: two element-id
// seeks in one MATCH plan as a CartesianProduct.)
UNWIND [l IN $links | [l.x, l.y, 1]] + [l IN $links | [l.y, l.x, 1]] + [h IN $hubs | [h, h, 0]] AS e
WITH DISTINCT e[0] AS aid, e[1] AS bid, e[2] AS len
MATCH (b) WHERE elementId(b) = bid
  AND (len = 0 OR NOT b:{{hub}} OR b:Officer OR b.poi = true)
CALL (b) {
  MATCH path = ANY SHORTEST (b) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer OR m.poi = true){0,3} (p)
  WHERE p:Person AND p.poi = true
  RETURN min(length(path)) AS dp
}
WITH aid, len, {{maxHops}} - len - dp AS k WHERE k >= 0
MATCH (a) WHERE elementId(a) = aid
  AND (len = 0 OR NOT a:{{hub}} OR a:Officer)
CALL (a, k) {
  WITH a, k WHERE k = 0 AND a:Officer RETURN a AS o
  UNION
  WITH a, k WHERE k = 1 MATCH ANY SHORTEST (a) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer){0,1} (o) WHERE o:Officer RETURN o
  UNION
  WITH a, k WHERE k = 2 MATCH ANY SHORTEST (a) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer){0,2} (o) WHERE o:Officer RETURN o
  UNION
  WITH a, k WHERE k = 3 MATCH ANY SHORTEST (a) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer){0,3} (o) WHERE o:Officer RETURN o
  UNION
  WITH a, k WHERE k = 4 MATCH ANY SHORTEST (a) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer){0,4} (o) WHERE o:Officer RETURN o
}
RETURN o.id AS officer
UNION
MATCH (o)-[d:DECLARED]->() WHERE (d.on >= $sinceDay OR d.withdrawnOn >= $sinceDay OR d.loadedAt >= $loadedFrom) AND o:Officer
RETURN o.id AS officer
