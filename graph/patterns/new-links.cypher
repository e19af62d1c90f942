// new-links: association links new since the last scan, by their ends'
// element ids: those dated after it (payments after $since, other links
// since/from $sinceDay on) and those a load created or changed since
// $loadedFrom however they are dated (loadedAt: a link dated long ago but
// loaded late, an undated one such as HOLDS), and those that ended since:
// a `to` from $endedFrom, the last scan's last day, to before $lastDay,
// this one's, which the data moved past (undisclosed-association weighs a path by whether its
// links still hold: rulesG). One relationship index seek per branch
// (migrations 7, 12 and 15); UNION drops a link found twice.
CALL {
  MATCH (x)-[l:PAID]->(y) WHERE l.at > $since RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:RELATED_TO]->(y) WHERE l.since >= $sinceDay RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:LIVES_AT]->(y) WHERE l.from >= $sinceDay RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:USES_PHONE]->(y) WHERE l.from >= $sinceDay RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:DIRECTOR_OF]->(y) WHERE l.from >= $sinceDay RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:PAID]->(y) WHERE l.loadedAt >= $loadedFrom RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:RELATED_TO]->(y) WHERE l.loadedAt >= $loadedFrom RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:LIVES_AT]->(y) WHERE l.loadedAt >= $loadedFrom RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:USES_PHONE]->(y) WHERE l.loadedAt >= $loadedFrom RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:DIRECTOR_OF]->(y) WHERE l.loadedAt >= $loadedFrom RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:HOLDS]->(y) WHERE l.loadedAt >= $loadedFrom RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:LIVES_AT]->(y) WHERE l.to >= $endedFrom AND l.to < $lastDay RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:USES_PHONE]->(y) WHERE l.to >= $endedFrom AND l.to < $lastDay RETURN x, y, type(l) AS type
  UNION
  MATCH (x)-[l:DIRECTOR_OF]->(y) WHERE l.to >= $endedFrom AND l.to < $lastDay RETURN x, y, type(l) AS type
}
RETURN collect({type: type, x: elementId(x), y: elementId(y)}) AS links
