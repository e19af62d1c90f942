// similar-profile: per officer, the behaviour profile of similar-to-confirmed
// (besides the access counts of access-volume): proven misconduct cases,
// complaints as accused (and sustained) received in the window, payments received from non-hub
// accounts and payments made (to anyone: spending) in the window, and the
// best score of each other pattern's current open flags (a flag superseded
// by a newer one of its pattern and officer, or cleared, is no signal).
MATCH (o:Officer)
RETURN o.id AS officer,
  [(o)-[s:SUBJECT_OF]->(m:MisconductCase) WHERE s.outcome = 'proven' | m.id] AS proven,
  // complaints received in the window (an undated one counts, as in co-accused-crew)
  COUNT { MATCH (o)-[n:NAMED_IN]->(c:Complaint) WHERE n.role = 'accused' AND {{inWindowDate "c.received"}} } AS complaints,
  COUNT { MATCH (o)-[n:NAMED_IN]->(c:Complaint) WHERE n.role = 'accused' AND n.finding = 'sustained' AND {{inWindowDate "c.received"}} } AS sustained,
  COUNT { MATCH (o)-[:HOLDS]->(:Account)<-[p:PAID]-(b:Account) WHERE NOT b:{{hub}} AND {{inWindow "p.at"}} } AS paymentsIn,
  COUNT { MATCH (o)-[:HOLDS]->(:Account)-[p:PAID]->(:Account) WHERE {{inWindow "p.at"}} } AS paymentsOut,
  // f unlabelled (only flags CONCERN officers): with the label the planner
  // may scan every flag for each officer, planned while the Flag index
  // sample was still empty (90 s at 14,571 officers and 3,210 flags)
  [(o)<-[:CONCERNS]-(f) WHERE f.pattern <> $self AND f.supersededBy IS NULL AND f.clearedAt IS NULL AND NOT f.status IN ['false_positive', 'no_further_action'] | {pattern: f.pattern, score: f.score}] AS flags
