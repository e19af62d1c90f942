// watermark: the latest time of what has happened in the data (accesses,
// payments, swipes). Not shifts: a roster is published ahead, and a shift
// dated after everything else would move the next incremental scan's start
// past the accesses and payments still to be loaded.
CALL {
  MATCH ()-[a:ACCESSED]->() WHERE a.at IS NOT NULL RETURN a.at AS t ORDER BY a.at DESC LIMIT 1
  UNION
  MATCH ()-[p:PAID]->() WHERE p.at IS NOT NULL RETURN p.at AS t ORDER BY p.at DESC LIMIT 1
  UNION
  MATCH (b:BadgeSwipe) WHERE b.at IS NOT NULL RETURN b.at AS t ORDER BY b.at DESC LIMIT 1
}
RETURN max(t) AS watermark
