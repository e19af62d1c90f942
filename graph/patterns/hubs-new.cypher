// hubs-new (incremental scans): of the nodes $nodes (ends of new links and
// nodes that were hubs only because suppressed), those with more than
// $hubDegree distinct neighbours over association links become hubs.
UNWIND $nodes AS eid
MATCH (n) WHERE elementId(n) = eid
WITH DISTINCT n
WHERE NOT n:{{hub}} AND COUNT { (n)-[:{{assoc}}]-() } > $hubDegree
WITH n, COUNT { MATCH (n)-[:{{assoc}}]-(m) RETURN DISTINCT m } AS degree
WHERE degree > $hubDegree
SET n:{{hub}}, n.hubReason = 'degree', n.hubDegree = degree
RETURN collect(elementId(n)) AS hubs
