// volume-sample: the evidence of an access-volume-outlier flag, the
// officer's earliest $sample unassigned accesses in the window (by time,
// then record id: the same sample on every scan while the window's start
// does not move, so a daily scan does not re-flag an outlier).
UNWIND $officers AS id
MATCH (o:Officer {id: id})
CALL (o) {
  MATCH (o)-[a:ACCESSED]->(r)
  WHERE {{inWindow "a.at"}} AND {{unassigned "o" "a" "r"}}
  WITH a, r ORDER BY a.at, r.id LIMIT $sample
  RETURN collect({record: r.id, at: toString(a.at)}) AS sample
}
RETURN o.id AS officer, sample
