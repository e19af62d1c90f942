// watermark: the latest event time in the data (accesses, payments, swipes).
CALL {
  MATCH ()-[a:ACCESSED]->() WHERE a.at IS NOT NULL RETURN a.at AS t ORDER BY a.at DESC LIMIT 1
  UNION
  MATCH ()-[p:PAID]->() WHERE p.at IS NOT NULL RETURN p.at AS t ORDER BY p.at DESC LIMIT 1
  UNION
  MATCH (b:BadgeSwipe) WHERE b.at IS NOT NULL RETURN b.at AS t ORDER BY b.at DESC LIMIT 1
  UNION
  MATCH (s:Shift) WHERE s.date IS NOT NULL RETURN datetime({date: s.date, timezone: 'UTC'}) AS t ORDER BY s.date DESC LIMIT 1
}
RETURN max(t) AS watermark
