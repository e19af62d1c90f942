// agg-write: store officers' aggregates (see agg-check.cypher); x and
// days null: they did not change (only the counts are written).
// lastShift is a date no shift counted in nw is after (null: no shift).
UNWIND $rows AS r
MATCH (o:Officer {id: r.officer})
SET o.aggAccesses = r.na, o.aggWorked = r.nw, o.aggSwiped = r.ns, o.aggAssigned = r.nas, o.aggLastShift = r.lastShift
WITH o, r WHERE r.days IS NOT NULL
SET o.aggUnassigned = r.x, o.aggMismatchDays = r.days
