// hubs-suppressed: administrators' suppressed identifiers are hubs too.
// Returns those suppressed since $start (every one when null): an
// incremental scan treats them as new hubs, whose paths are gone.
MATCH (s:Suppression)
CALL (s) {
  MATCH (n:Address {id: s.entityId}) RETURN n
  UNION
  MATCH (n:Phone {id: s.entityId}) RETURN n
  UNION
  MATCH (n:Account {id: s.entityId}) RETURN n
  UNION
  MATCH (n:Person {id: s.entityId}) RETURN n
  UNION
  MATCH (n:Company {id: s.entityId}) RETURN n
  UNION
  MATCH (n:Officer {id: s.entityId}) RETURN n
}
SET n:{{hub}}, n.hubReason = 'suppressed: ' + coalesce(s.reason, '')
RETURN count(n) AS marked, collect(CASE WHEN $start IS NULL OR s.at >= $start THEN elementId(n) END) AS added
