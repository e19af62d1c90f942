// agg-write: store officers' aggregates (see agg-check.cypher).
UNWIND $rows AS r
MATCH (o:Officer {id: r.officer})
SET o.aggAccesses = r.na, o.aggWorked = r.nw, o.aggSwiped = r.ns, o.aggAssigned = r.nas,
    o.aggUnassigned = r.x, o.aggMismatchDays = r.days
