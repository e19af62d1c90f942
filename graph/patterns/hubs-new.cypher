// hubs-new (incremental scans): of the nodes $nodes (ends of new links and
// the nodes hubs-unsuppress took the label from, $was), those with more
// than $hubDegree distinct neighbours over association links become hubs.
// Returns the new ones: a node of $was was a hub already (by suppression;
// a degree hub that is also suppressed is marked as suppressed), so no
// path through it is new (docsG: the station address on the hub list made
// every incremental scan look at every officer near it). A degree hub
// already marked gets its count anew, as a full scan gives it: the flags
// quote it ("a hub (23 neighbours)"; incrA L1: it kept the first count).
UNWIND $nodes AS eid
MATCH (n) WHERE elementId(n) = eid
WITH DISTINCT n
WHERE (NOT n:{{hub}} OR n.hubReason = 'degree') AND COUNT { (n)-[:{{assoc}}]-() } > $hubDegree
WITH n, n:{{hub}} AS already, COUNT { MATCH (n)-[:{{assoc}}]-(m) RETURN DISTINCT m } AS degree
WHERE degree > $hubDegree
SET n:{{hub}}, n.hubReason = 'degree', n.hubDegree = degree
RETURN collect(CASE WHEN NOT already AND NOT elementId(n) IN $was THEN elementId(n) END) AS hubs
