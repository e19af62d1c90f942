// pois-near (incremental undisclosed-association): the persons of interest
// within {{maxHops}} association links of the officers $officers; the
// pattern then runs from those persons only.
UNWIND $officers AS id
MATCH (o:Officer {id: id})
CALL (o) {
  MATCH ANY SHORTEST (o) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer OR m.poi = true){1,{{maxHops}}} (p)
  WHERE p:Person AND p.poi = true
  RETURN p
}
RETURN collect(DISTINCT p.id) AS pois
