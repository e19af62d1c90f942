// access-for-gain: an unassigned access by the officer to a record ABOUT a
// subject, and a payment (one PAID) from an account held by the subject, by a
// company the subject directs, or by the subject's family, to an account held
// by the officer or the officer's family, paid from $before days before to
// $after days after the access (UTC days). The rule names the exact accounts,
// people and the one payment, so hubs are not left out (v2): an officer's
// account with many payees, or a company's busy trading account, still counts.
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  MATCH (o)-[h:HOLDS]->(oa:Account)
  RETURN oa, h AS oh, null AS ofam, null AS ofr
  UNION
  MATCH (o)-[ofr:RELATED_TO]-(ofam:Party)-[h:HOLDS]->(oa:Account)
  WHERE ofr.type IN $family AND ofam <> o AND {{linkInWindow "ofr"}}
  RETURN oa, h AS oh, ofam, ofr
}
MATCH (oa)<-[pay:PAID]-(sa:Account)
WHERE sa <> oa AND {{inWindow "pay.at"}}
MATCH (sa)<-[sh:HOLDS]-(holder:Party)
WHERE holder <> o
CALL (holder) {
  RETURN holder AS s, 'subject' AS how, null AS sl
  UNION
  MATCH (s:Party)-[sl:DIRECTOR_OF]->(holder:Company) WHERE {{linkInWindow "sl"}}
  RETURN s, 'company' AS how, sl
  UNION
  MATCH (s:Party)-[sl:RELATED_TO]-(holder)
  WHERE sl.type IN $family AND s <> holder AND {{linkInWindow "sl"}}
  RETURN s, 'family' AS how, sl
}
WITH o, oa, oh, ofam, ofr, pay, sa, sh, holder, s, how, sl
WHERE s <> o
MATCH (s)<-[ab:ABOUT]-(r:Record)<-[a:ACCESSED]-(o)
WHERE {{inWindow "a.at"}}
  AND duration.inDays({{day "a.at"}}, {{day "pay.at"}}).days >= -$before
  AND duration.inDays({{day "a.at"}}, {{day "pay.at"}}).days <= $after
  AND {{unassigned "o" "a" "r"}}
RETURN o.id AS officer, s.id AS subject, how, r.id AS record, toString(a.at) AS accessAt,
       pay.id AS payment, pay.amount AS amount, pay.currency AS currency, toString(pay.at) AS paidAt,
       duration.inDays({{day "a.at"}}, {{day "pay.at"}}).days AS lagDays,
       holder.id AS payer, ofam.id AS receiver,
       [x IN [sa, oa] WHERE x:{{hub}} | {id: x.id, reason: x.hubReason, degree: x.hubDegree}] AS hubAccounts,
       [n IN [o, r, s, holder, sa, oa, ofam] WHERE n IS NOT NULL | {{node "n"}}] AS nodes,
       [e IN [a, ab, sl, sh, pay, oh, ofr] WHERE e IS NOT NULL | {{edge "e"}}] AS edges,
       {{assignmentNote "o" "a" "r"}} AS note
