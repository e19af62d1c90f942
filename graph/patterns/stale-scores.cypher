// stale-scores (incremental undisclosed-association): the officers holding
// a standing flag of $pattern (not superseded, not cleared, not a reviewed
// flag the latest scan no longer found: no scan rescores that one) that
// the scan that last wrote it scored against another data time than this
// scan's ($dataSeconds, $dataNanos): the pattern weighs a path's recency to
// the data's time, so such a flag reads otherwise after a full scan of the
// same data (incrA M2). Only the runs of the whole data count as scoring
// against this data time: the flags a scan given --from, --to or --since
// wrote hold its window's reading (reviewQ M1), so they are looked at again. A run's data time
// is its watermark when before its start, else its start (Scan); such runs
// started at it or after: one seek on the startedAt index, then one on the
// pattern's flags. An event dated after the scan holds the data time at
// each scan's start, so then every incremental scan looks at these officers
// again (reviewQ L2: correct, only dearer).
CALL {
  MATCH (r:ScanRun) WHERE r.startedAt >= $startedFrom
    AND r.from IS NULL AND r.to IS NULL AND coalesce(r.sinceGiven, false) = false
  WITH r, CASE WHEN r.watermark IS NOT NULL AND r.watermark < r.startedAt THEN r.watermark
               ELSE r.startedAt END AS dt
  WHERE dt.epochSeconds = $dataSeconds AND dt.nanosecond = $dataNanos
  RETURN collect(r.id) AS same
}
MATCH (f:Flag {pattern: $pattern})
WHERE f.supersededBy IS NULL AND f.clearedAt IS NULL AND f.notFoundAt IS NULL
  AND NOT coalesce(f.scanRunId, '') IN same
RETURN collect(DISTINCT f.officerId) AS officers
