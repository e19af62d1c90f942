// hubs-unsuppress (incremental scans): drop the Hub label of nodes that
// were hubs only because suppressed (hubs-suppressed.cypher marks the
// current suppressions again); returns them for hubs-new.cypher.
MATCH (n:{{hub}}) WHERE n.hubReason STARTS WITH 'suppressed'
REMOVE n:{{hub}} SET n.hubReason = null
RETURN collect(elementId(n)) AS nodes
