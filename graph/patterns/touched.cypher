// touched: the officers an incremental scan looks at, those touched by
// events newer than $since. Officer events: accesses, shifts, swipes,
// complaints received, misconduct decided, declarations. Association events
// (payments, relations, residences, phone use, directorships, by their
// at/since/from) touch every officer within 3 association links of either
// end (no hubs), since a path of 4 may now pass through them.
CALL {
  MATCH (o:Officer)-[a:ACCESSED]->() WHERE a.at > $since RETURN DISTINCT o
  UNION
  MATCH (o:Officer)-[:WORKED]->(s:Shift) WHERE s.date > $sinceDay RETURN DISTINCT o
  UNION
  MATCH (o:Officer)-[:SWIPED]->(b:BadgeSwipe) WHERE b.at > $since RETURN DISTINCT o
  UNION
  MATCH (o:Officer)-[:NAMED_IN]->(c:Complaint) WHERE c.received > $sinceDay RETURN DISTINCT o
  UNION
  MATCH (o:Officer)-[m:SUBJECT_OF]->() WHERE m.decidedOn > $sinceDay RETURN DISTINCT o
  UNION
  MATCH (o:Officer)-[d:DECLARED]->() WHERE d.on > $sinceDay RETURN DISTINCT o
  UNION
  CALL {
    // labelled, directed patterns: label scans (or the PAID.at index), never all nodes
    MATCH (x:Account)-[p:PAID]->(y) WHERE p.at > $since UNWIND [x, y] AS n RETURN n
    UNION
    MATCH (x:Party)-[l:RELATED_TO]->(y) WHERE l.since > $sinceDay UNWIND [x, y] AS n RETURN n
    UNION
    MATCH (x:Party)-[l:LIVES_AT|USES_PHONE|DIRECTOR_OF]->(y) WHERE l.from > $sinceDay UNWIND [x, y] AS n RETURN n
  }
  CALL (n) {
    // unlabelled end node: search outwards from n (see undisclosed-association)
    MATCH ANY SHORTEST (n) (()-[:{{assoc}}]-(m) WHERE NOT m:{{hub}} OR m:Officer){0,3} (o)
    RETURN o
  }
  WITH o WHERE o:Officer
  RETURN DISTINCT o
}
RETURN collect(DISTINCT o.id) AS officers
