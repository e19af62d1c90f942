// agg-check: per officer, the degree-store counts of its own events
// (accesses, shifts, swipes, assignments) against the counts its stored
// aggregates were computed from; every officer when $all, else only those
// whose counts changed (new or late events, or no aggregates yet) and
// those of $force (touched-loaded.cypher).
MATCH (o:Officer)
WITH o, COUNT { (o)-[:ACCESSED]->() } AS na, COUNT { (o)-[:WORKED]->() } AS nw,
     COUNT { (o)-[:SWIPED]->() } AS ns, COUNT { (o)-[:ASSIGNED_TO]->() } AS nas
WHERE $all OR o.id IN $force OR o.aggAccesses IS NULL OR na <> o.aggAccesses OR nw <> o.aggWorked
   OR ns <> o.aggSwiped OR nas <> o.aggAssigned
RETURN o.id AS officer, na, nw, ns, nas, o.aggAccesses AS a0, o.aggWorked AS w0, o.aggSwiped AS s0,
       o.aggAssigned AS as0, o.aggUnassigned AS x0, o.aggMismatchDays AS days0, o.aggLastShift AS ls0
