// touched-access (incremental access-for-gain and personal-interest-access):
// officers with a new access (after $since) that takes part in a hit of the
// pattern: an unassigned access about a subject who is family, an associate,
// a co-resident (no hub address) or high-profile (personal), or whose side
// (the subject's accounts, those of companies the subject directs, of the
// subject's family) paid the officer's side (the officer's or its family's
// accounts) from $before days before to $after days after
// the access (gain); or who paid a company directed by the officer's family
// (business, for undeclared-business-interest). Starts from the ACCESSED.at
// index.
MATCH (o:Officer)-[a:ACCESSED]->(r:Record)
WHERE a.at > $since AND {{inWindow "a.at"}}
MATCH (r)-[:ABOUT]->(s)
WHERE s <> o AND {{unassigned "o" "a" "r"}}
WITH o, s, collect(a) AS accs
CALL (o, s) {
  RETURN (s:Person AND s.highProfile = true) OR EXISTS { (o)-[:RELATED_TO]-(s) }
      OR EXISTS { (o)-[:LIVES_AT]->(ad:Address)<-[:LIVES_AT]-(s) WHERE NOT ad:{{hub}} } AS personal
}
CALL (o, s, accs) {
  CALL (s) {
    MATCH (s)-[:HOLDS]->(sa:Account) RETURN sa
    UNION
    MATCH (s)-[:DIRECTOR_OF]->(:Company)-[:HOLDS]->(sa:Account) RETURN sa
    UNION
    MATCH (s)-[f:RELATED_TO]-(:Party)-[:HOLDS]->(sa:Account) WHERE f.type IN $family RETURN sa
  }
  MATCH (sa)-[pay:PAID]->(oa:Account)
  WHERE {{inWindow "pay.at"}}
    AND any(a IN accs WHERE duration.inDays({{day "a.at"}}, {{day "pay.at"}}).days >= -$before
                        AND duration.inDays({{day "a.at"}}, {{day "pay.at"}}).days <= $after)
    AND (EXISTS { (o)-[:HOLDS]->(oa) } OR EXISTS { (o)-[f2:RELATED_TO]-(:Party)-[:HOLDS]->(oa) WHERE f2.type IN $family })
  RETURN count(pay) > 0 AS gain
}
CALL (o, s) {
  RETURN EXISTS { MATCH (s)-[:HOLDS]->(:Account)-[:PAID]->(:Account)<-[:HOLDS]-(:Company)<-[:DIRECTOR_OF]-(:Party)-[fr:RELATED_TO]-(o)
                  WHERE fr.type IN $family } AS business
}
RETURN collect(DISTINCT CASE WHEN personal THEN o.id END) AS personal,
       collect(DISTINCT CASE WHEN gain THEN o.id END) AS gain,
       collect(DISTINCT CASE WHEN business THEN o.id END) AS business
