// hubs-mark: a node with more than $hubDegree distinct neighbours over
// association links (either direction) is a hub. The degree store answers
// the first COUNT cheaply; only candidates count distinct neighbours.
// The label disjunction is a union of label scans (never all nodes).
MATCH (n:Party|Address|Phone|Account)
WHERE COUNT { (n)-[:{{assoc}}]-() } > $hubDegree
WITH n, COUNT { MATCH (n)-[:{{assoc}}]-(m) RETURN DISTINCT m } AS degree
WHERE degree > $hubDegree
CALL (n, degree) { SET n:{{hub}}, n.hubReason = 'degree', n.hubDegree = degree } IN TRANSACTIONS OF 10000 ROWS
