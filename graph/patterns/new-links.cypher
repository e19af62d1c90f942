// new-links: association links dated after the last scan (payments after
// $since, other links since/from $sinceDay on), by their ends' element ids:
// one relationship index seek per type (migration 7). Undated links (HOLDS,
// undated relations) cannot be told apart: only a full scan sees them.
CALL {
  MATCH (x)-[l:PAID]->(y) WHERE l.at > $since RETURN x, y, type(l) AS type
  UNION ALL
  MATCH (x)-[l:RELATED_TO]->(y) WHERE l.since >= $sinceDay RETURN x, y, type(l) AS type
  UNION ALL
  MATCH (x)-[l:LIVES_AT]->(y) WHERE l.from >= $sinceDay RETURN x, y, type(l) AS type
  UNION ALL
  MATCH (x)-[l:USES_PHONE]->(y) WHERE l.from >= $sinceDay RETURN x, y, type(l) AS type
  UNION ALL
  MATCH (x)-[l:DIRECTOR_OF]->(y) WHERE l.from >= $sinceDay RETURN x, y, type(l) AS type
}
RETURN collect({type: type, x: elementId(x), y: elementId(y)}) AS links
