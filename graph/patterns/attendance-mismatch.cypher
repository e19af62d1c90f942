// attendance-mismatch: per officer, the mismatch days: a shift declared
// onsite on day d, no badge swipe on d, and at least one access on d, all
// through the remote channel (UTC days). Go then looks for $minDays of them
// within any $spanDays consecutive days.
MATCH (o:Officer)
WHERE $officers IS NULL OR o.id IN $officers
CALL (o) {
  MATCH (o)-[:WORKED]->(sh:Shift {declaredLocation: 'onsite'})
  WHERE {{inWindowDate "sh.date"}}
  WITH sh, sh.date AS d
  WHERE NOT EXISTS {
    MATCH (o)-[:SWIPED]->(b:BadgeSwipe) WHERE {{day "b.at"}} = d
  }
  CALL (sh, d) {
    MATCH (o)-[a:ACCESSED]->(r:Record)
    WHERE a.at >= datetime({date: d, timezone: 'UTC'}) AND a.at < datetime({date: d + duration('P1D'), timezone: 'UTC'})
    RETURN count(a) AS n, count(CASE WHEN a.channel = 'remote' THEN 1 END) AS remote,
           collect({record: r.id, at: toString(a.at)})[..5] AS accesses
  }
  WITH sh, d, n, remote, accesses WHERE n > 0 AND remote = n
  RETURN collect({day: toString(d), shift: sh.id, accesses: accesses, n: n}) AS days
}
WITH o, days WHERE size(days) >= $minDays
RETURN o.id AS officer, days
