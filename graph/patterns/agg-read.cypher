// agg-read: every officer's stored access counts, for the peer groups of
// access-volume-outlier and the profiles of similar-to-confirmed.
MATCH (o:Officer)
RETURN o.id AS officer, o.unit AS unit, o.role AS role, coalesce(o.aggAccesses, 0) AS total,
       coalesce(o.aggUnassigned, 0) AS x
