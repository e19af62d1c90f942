// agg-watermark: the stamps of the officers' aggregates, read right after
// their counts (agg-check.cypher), one for each kind of event: the latest
// ACCESSED.at, BadgeSwipe.at and Shift.date stored (a shift's as the start
// of its date: new-events.cypher takes the shifts dated after the stamp's
// day, so a shift dated that day is not after it, and the next day's are),
// uncapped (a mistyped year counts). Every event of a kind stored then is
// at or before its kind's stamp, so the next incremental scan's events
// after the stamps (new-events.cypher) are all new ones; a new event dated
// at or before its kind's stamp makes the counts differ, and the officer is
// recomputed whole. One stamp a kind, not one for all: a roster published
// weeks ahead holds the shifts' stamp there, while the accesses and
// swipes of each day are still new events after theirs.
// (The scan's watermark leaves shifts out and is capped at the scan's start,
// rightly for what to scan next, wrongly for this.)
CALL {
  MATCH ()-[a:ACCESSED]->() WHERE a.at IS NOT NULL RETURN 'access' AS kind, a.at AS t ORDER BY a.at DESC LIMIT 1
  UNION ALL
  MATCH (b:BadgeSwipe) WHERE b.at IS NOT NULL RETURN 'swipe' AS kind, b.at AS t ORDER BY b.at DESC LIMIT 1
  UNION ALL
  MATCH (s:Shift) WHERE s.date IS NOT NULL RETURN 'shift' AS kind, datetime({date: s.date, timezone: 'Z'}) AS t ORDER BY s.date DESC LIMIT 1
}
RETURN kind, t
