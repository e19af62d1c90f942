package graph

// AuditRereads returns how many of s's audit batches found the chain head
// moved by someone else and were chained again from the head in Neo4j.
func AuditRereads(s *Store) int64 { return s.audit.rereads.Load() }
