// hubs-clear: forget the hubs of the previous scan.
MATCH (n:{{hub}})
CALL (n) { REMOVE n:{{hub}} SET n.hubReason = null, n.hubDegree = null } IN TRANSACTIONS OF 10000 ROWS
