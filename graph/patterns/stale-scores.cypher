// stale-scores (incremental undisclosed-association): the officers holding
// a current flag of $pattern (not superseded, not cleared) that the scan
// that last wrote it scored against another data time than this scan's
// ($dataSeconds, $dataNanos): the pattern weighs a path's recency to the
// data's time, so such a flag reads otherwise after a full scan of the same
// data (incrA M2). A run's data time is the day after its window's end
// (--to), else its watermark when before its start, else its start (Scan).
// The runs of this data time started at it or after (a window that ends
// after its start is not found: its officers are looked at again, which
// is never wrong); one seek on the startedAt index, then one on the
// pattern's flags.
CALL {
  MATCH (r:ScanRun) WHERE r.startedAt >= $startedFrom
  WITH r, CASE WHEN r.to IS NOT NULL THEN r.to + duration('P1D')
               WHEN r.watermark IS NOT NULL AND r.watermark < r.startedAt THEN r.watermark
               ELSE r.startedAt END AS dt
  WHERE dt.epochSeconds = $dataSeconds AND dt.nanosecond = $dataNanos
  RETURN collect(r.id) AS same
}
MATCH (f:Flag {pattern: $pattern})
WHERE f.supersededBy IS NULL AND f.clearedAt IS NULL AND NOT coalesce(f.scanRunId, '') IN same
RETURN collect(DISTINCT f.officerId) AS officers
