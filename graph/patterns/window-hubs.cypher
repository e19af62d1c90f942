// window-hubs: for a scan of a window (--from/--to), the hubs of the
// window's data: a node with more than $hubDegree distinct neighbours over
// the association links in the window (linkInWindow: a phone twenty people
// used in 2023 and two in the window is not a hub of the window), and every
// suppressed identifier (marked Hub just before, hubs-suppressed.cypher).
// They get the label the window's queries avoid (windowVariants); the
// other Hub marks, which the chart and the API show, stay those of all the
// data. A node's window degree is at most its degree: the degree store
// gives the candidates cheaply.
CALL {
  MATCH (n:Party|Address|Phone|Account)
  WHERE COUNT { (n)-[:{{assoc}}]-() } > $hubDegree
    AND COUNT { MATCH (n)-[r:{{assoc}}]-(m) WHERE {{linkInWindow "r"}} RETURN DISTINCT m } > $hubDegree
  RETURN n
  UNION
  MATCH (n:{{fullHub}}) WHERE n.hubReason STARTS WITH 'suppressed' RETURN n
}
CALL (n) { SET n:{{hub}} } IN TRANSACTIONS OF 10000 ROWS
