// undeclared-business-interest: the officer directs or owns (DIRECTOR_OF, any
// role) a company not declared; or the officer's family directs or owns an
// undeclared company that was paid from an account held by a person of
// interest or by a subject of one of the officer's unassigned accesses.
// Hubs are not left out (v2): a relative's shop has many customers, and one
// of them paying it is the case the rule describes. "Directs" is the present
// tense (v3): a directorship that ended before the scan's day (the window's
// last day, else today) does not count, nor (v4) one that begins after it,
// as a declaration counts when it is in force at scan time. In the family
// variant a relative's directorship also counts when it held on the day the
// company was paid (v5): a relative who resigned after the payment does not
// take the case away (diffA M1), as for access-for-gain's payer.
MATCH (o:Officer)-[d:DIRECTOR_OF]->(c:Company)
WHERE ($officers IS NULL OR o.id IN $officers) AND {{linkInWindow "d"}} AND {{inForce "d"}}
  AND NOT EXISTS { MATCH (o)-[dc:DECLARED]->(c) WHERE {{declared "dc"}} }
OPTIONAL CALL (o, c) {
  {{declarationsNotInForce "o" "c"}}
}
RETURN o.id AS officer, 'own' AS variant, c.id AS company, coalesce(d.role, '') AS role,
       toString(d.from) AS since, toString(d.to) AS until, true AS current, null AS relative, null AS payer,
       null AS payerKind, null AS payment, null AS amount, null AS currency, null AS paidAt, declaredLater, withdrawn,
       null AS note, null AS accessAt, [] AS hubAccounts,
       [n IN [o, c] | {{node "n"}}] AS nodes, [{{edge "d"}}] AS edges
UNION
MATCH (o:Officer)-[fr:RELATED_TO]-(f:Party)-[d:DIRECTOR_OF]->(c:Company)
WHERE ($officers IS NULL OR o.id IN $officers)
  AND fr.type IN $family AND f <> o AND {{linkInWindow "fr"}} AND {{linkInWindow "d"}}
  AND NOT EXISTS { MATCH (o)-[dc:DECLARED]->(c) WHERE {{declared "dc"}} }
MATCH (c)-[ch:HOLDS]->(ca:Account)<-[pay:PAID]-(pa:Account)<-[ph:HOLDS]-(payer:Party)
WHERE ca <> pa AND {{inWindow "pay.at"}} AND ({{inForce "d"}} OR {{heldOn "d" "pay.at"}})
OPTIONAL CALL (o, payer) {
  MATCH (payer)<-[ab:ABOUT]-(r:Record)<-[a:ACCESSED]-(o)
  WHERE {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
  RETURN r, a, ab ORDER BY a.at, r.id LIMIT 1
}
WITH o, fr, f, d, c, ch, ca, pay, pa, ph, payer, r, a, ab
WHERE (payer:Person AND payer.poi = true) OR a IS NOT NULL
OPTIONAL CALL (o, c) {
  {{declarationsNotInForce "o" "c"}}
}
RETURN o.id AS officer, 'family' AS variant, c.id AS company, coalesce(d.role, '') AS role,
       toString(d.from) AS since, toString(d.to) AS until, {{inForce "d"}} AS current, f.id AS relative, payer.id AS payer,
       CASE WHEN payer:Person AND payer.poi = true THEN 'poi' ELSE 'subject of ' + r.id + ', which the officer looked up without an assignment on ' + toString({{day "a.at"}}) END AS payerKind,
       pay.id AS payment, pay.amount AS amount, pay.currency AS currency, toString(pay.at) AS paidAt, declaredLater, withdrawn,
       CASE WHEN a IS NULL THEN null ELSE {{assignmentNote "o" "a" "r"}} END AS note, toString(a.at) AS accessAt,
       [x IN [ca, pa] WHERE x:{{hub}} | {id: x.id, reason: x.hubReason, degree: x.hubDegree}] AS hubAccounts,
       [n IN [o, f, c, ca, pa, payer, r] WHERE n IS NOT NULL | {{node "n"}}] AS nodes,
       [e IN [fr, d, ch, pay, ph, a, ab] WHERE e IS NOT NULL | {{edge "e"}}] AS edges
