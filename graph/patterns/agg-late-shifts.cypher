// agg-late-shifts: for officers whose shifts are the only count that the
// events after the stamps do not explain ($officers: {officer, after}),
// their shifts dated after their own aggLastShift (after; null: the
// officer had none) and at or before the shifts' stamp ($sinceShift; the
// later ones are new-events.cypher's). Rosters published further ahead in
// one unit than in another hold the shifts' stamp at the longest horizon:
// the other units' new shifts are dated before it, but after their own
// officers' latest. An expansion a listed officer, from its id.
UNWIND $officers AS c
MATCH (o:Officer {id: c.officer})-[:WORKED]->(s:Shift)
WHERE (c.after IS NULL OR s.date > c.after) AND s.date <= $sinceShift
WITH o, s.date AS d, count(s) AS n
RETURN o.id AS officer, sum(n) AS n, collect(d) AS days
