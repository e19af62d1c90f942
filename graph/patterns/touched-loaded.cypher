// touched-loaded (incremental scans): officers whose access history changed
// with no new event of theirs, by links a load created or changed since
// $loadedFrom (loadedAt): an assignment (given its end later, say), or the
// subject or case of a record they looked up by $since (a later look-up
// is a new event, read whole by the patterns anyway); or by one of their
// accesses or shifts a load changed since (markedAt: another channel,
// another declared location). One index seek per branch (migrations 12
// and 18).
CALL {
  MATCH (o:Officer)-[a:ASSIGNED_TO]->() WHERE a.loadedAt >= $loadedFrom RETURN o
  UNION
  MATCH (r:Record)-[l:ABOUT]->() WHERE l.loadedAt >= $loadedFrom
  MATCH (o:Officer)-[a:ACCESSED]->(r) WHERE a.at <= $since RETURN o
  UNION
  MATCH (r:Record)-[l:PART_OF]->() WHERE l.loadedAt >= $loadedFrom
  MATCH (o:Officer)-[a:ACCESSED]->(r) WHERE a.at <= $since RETURN o
  UNION
  MATCH (o:Officer)-[a:ACCESSED]->() WHERE a.markedAt >= $loadedFrom RETURN o
  UNION
  MATCH (s:Shift) WHERE s.markedAt >= $loadedFrom
  MATCH (o:Officer)-[:WORKED]->(s) RETURN o
}
RETURN collect(o.id) AS officers
