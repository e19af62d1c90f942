// collusion-ring: two officers made unassigned accesses about the same
// person of interest within $days UTC days of each other, and are linked
// within two association links (no hub in between). The evidence is the
// closest pair of look-ups; pairs counts every pair of the two officers'
// look-up days within $days (repeated look-ups: the explanation says so).
MATCH (p:Person {poi: true})<-[ab1:ABOUT]-(r1:Record)<-[a1:ACCESSED]-(o1:Officer)
WHERE ($pois IS NULL OR p.id IN $pois)
  AND {{inWindow "a1.at"}} AND {{unassigned "o1" "a1" "r1"}}
// one access per (person, officer, UTC day) before pairing: pairs grow with
// the square of the officers × days per person, not of the accesses. Every
// choice below breaks ties by time and id, so that a rescan of the same data
// picks the same accesses and link (the same evidence, the same flag).
WITH p, o1, a1, r1, ab1 ORDER BY a1.at, r1.id
WITH p, o1, {{day "a1.at"}} AS d, head(collect({o: o1, a: a1, r: r1, ab: ab1})) AS x
WITH p, collect(x {.*, d: d}) AS acc
UNWIND acc AS x
UNWIND acc AS y
WITH p, x, y
WHERE x.o.id < y.o.id
  AND abs(duration.inDays(x.d, y.d).days) <= $days
  AND ($officers IS NULL OR x.o.id IN $officers OR y.o.id IN $officers)
WITH p, x.o AS o1, y.o AS o2, x, y
ORDER BY abs(duration.inSeconds(x.a.at, y.a.at).seconds), x.a.at, x.r.id, y.r.id
WITH p, o1, o2, head(collect({x: x, y: y})) AS best, count(*) AS pairs
CALL (o1, o2) {
  MATCH (o1)-[l:{{assoc}}]-(o2) WHERE {{linkInWindow "l"}}
  RETURN [o1, o2] AS ln, [l] AS lr, 1 AS hops
  UNION
  MATCH (o1)-[l1:{{assoc}}]-(m)-[l2:{{assoc}}]-(o2)
  WHERE NOT m:{{hub}} AND m <> o1 AND m <> o2 AND {{linkInWindow "l1"}} AND {{linkInWindow "l2"}}
  RETURN [o1, m, o2] AS ln, [l1, l2] AS lr, 2 AS hops
}
WITH p, o1, o2, best, pairs, ln, lr, hops ORDER BY hops, [n IN ln | n.id], [l IN lr | [type(l), coalesce(l.type, ''), coalesce(toString(coalesce(l.since, l.from)), '')]]
WITH p, o1, o2, best, pairs, head(collect({ln: ln, lr: lr, hops: hops})) AS link
WITH p, o1, o2, best, pairs, link, best.x.a AS xa, best.x.r AS xr, best.y.a AS ya, best.y.r AS yr
RETURN o1.id AS officer1, o2.id AS officer2, p.id AS poi, link.hops AS hops, pairs,
       {{assignmentNote "o1" "xa" "xr"}} AS note1, {{assignmentNote "o2" "ya" "yr"}} AS note2,
       best.x.r.id AS record1, toString(best.x.a.at) AS at1,
       best.y.r.id AS record2, toString(best.y.a.at) AS at2,
       abs(duration.inDays({{day "best.x.a.at"}}, {{day "best.y.a.at"}}).days) AS gapDays,
       [n IN [p, best.x.r, best.y.r] + link.ln | {{node "n"}}] AS nodes,
       [e IN [best.x.a, best.x.ab, best.y.a, best.y.ab] + link.lr | {{edge "e"}}] AS edges
