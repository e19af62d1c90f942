// hubs-suppressed: administrators' suppressed identifiers are hubs too:
// the entities each item named when added (entityKeys; an import id is
// unique per label only), or, for items kept before those, every entity of
// that id. Shared identifiers only (an address, a phone, an account): an
// entry naming a person, company or officer, which the list took before
// 2026-11-27, no longer applies (it cut every path through them; secI M4).
// Returns those suppressed since $start (every one when null): an
// incremental scan treats them as new hubs, whose paths are gone.
MATCH (s:Suppression)
CALL (s) {
  MATCH (n:Address {id: s.entityId}) WHERE s.entityKeys IS NULL OR 'Address:' + n.id IN s.entityKeys RETURN n
  UNION
  MATCH (n:Phone {id: s.entityId}) WHERE s.entityKeys IS NULL OR 'Phone:' + n.id IN s.entityKeys RETURN n
  UNION
  MATCH (n:Account {id: s.entityId}) WHERE s.entityKeys IS NULL OR 'Account:' + n.id IN s.entityKeys RETURN n
}
SET n:{{hub}}, n.hubReason = 'suppressed: ' + coalesce(s.reason, '')
RETURN count(n) AS marked, collect(CASE WHEN $start IS NULL OR s.at >= $start THEN elementId(n) END) AS added
