package graph

// AuditBatches returns how many group-commit transactions s's AppendAudit
// has started, so tests can see that concurrent appends share them.
func AuditBatches(s *Store) int64 { return s.audit.batches.Load() }
