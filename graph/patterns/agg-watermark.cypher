// agg-watermark: the stamp of the officers' aggregates, read right after
// their counts (agg-check.cypher): the latest time of an officer's own
// events as stored, uncapped (a mistyped year counts) and with shifts (a
// published roster counts, as the start of its date: new-events.cypher
// takes the shifts dated after the stamp's day, so a shift dated that day
// is not after it, and the next day's are). Every event stored then is at
// or before it, so the next incremental scan's "events after the stamp"
// (new-events.cypher) are all new ones; a new event dated at or before it
// makes the counts differ, and the officer is recomputed whole. (As the
// day after its date, every new shift of the next day was "before" the
// stamp: at 35,000 officers a day's 20,008 shifts sent as many officers to
// a whole recompute, 1 m 53 s.)
// (The scan's watermark leaves shifts out and is capped at the scan's start,
// rightly for what to scan next, wrongly for this.)
CALL {
  MATCH ()-[a:ACCESSED]->() WHERE a.at IS NOT NULL RETURN a.at AS t ORDER BY a.at DESC LIMIT 1
  UNION
  MATCH (b:BadgeSwipe) WHERE b.at IS NOT NULL RETURN b.at AS t ORDER BY b.at DESC LIMIT 1
  UNION
  MATCH (s:Shift) WHERE s.date IS NOT NULL RETURN datetime({date: s.date, timezone: 'Z'}) AS t ORDER BY s.date DESC LIMIT 1
}
RETURN max(t) AS stamp
