package graph

// AuditBatches returns how many group-commit transactions s's AppendAudit
// has started, so tests can see that concurrent appends share them.
func AuditBatches(s *Store) int64 { return s.audit.batches.Load() }

// AuditRereads returns how many of s's audit batches found the chain head
// moved by someone else and were chained again from the head in Neo4j.
func AuditRereads(s *Store) int64 { return s.audit.rereads.Load() }
