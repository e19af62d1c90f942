package graph

import "time"

// AuditRereads returns how many of s's audit batches found the chain head
// moved by someone else and were chained again from the head in Neo4j.
func AuditRereads(s *Store) int64 { return s.audit.rereads.Load() }

// SetLoadLockTTL sets the load lock's time to live of s (renewed every
// third of it).
func SetLoadLockTTL(s *Store, d time.Duration) { s.loadLockTTL = d }
