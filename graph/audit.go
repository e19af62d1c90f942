package graph

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// LabelAuditHead marks the single node that holds the head of the audit
// chain (its last seq and hash). Appends lock it, so they serialise and the
// chain never forks.
const LabelAuditHead = "AuditHead"

const auditHeadID = "audit"

// auditBatchMax caps the events one group-commit transaction writes.
const auditBatchMax = 256

// auditBatcher groups concurrent AppendAudit calls into shared transactions
// (leader/follower group commit, no goroutine of its own). An append joins
// pending; if no flush is in progress its caller becomes the flusher, else it
// waits. A flusher commits the oldest pending events (at most auditBatchMax,
// its own among them) in one transaction, then hands the flush to the oldest
// caller still pending, so nobody writes more than one batch.
type auditBatcher struct {
	mu       sync.Mutex
	pending  []*auditAppend
	flushing bool         // a caller is committing a batch; pending waits for it
	batches  atomic.Int64 // batch transactions started (for tests)
	rereads  atomic.Int64 // batches whose remembered head was stale (for tests)

	// head is the chain head this process last wrote or read (only the
	// flusher touches it, and there is one flusher at a time). A batch
	// is chained onto it and written in one statement that checks it under
	// the head's lock; when another process moved the head meanwhile the
	// statement writes nothing and the batch is chained again from the head
	// read under the lock.
	head auditHead
}

// auditHead is a remembered chain head; known is false until one was read
// or written (or after a failed batch, whose outcome may be unknown).
type auditHead struct {
	seq   int64
	hash  string
	known bool
}

// auditAppend is one caller's event and, once its batch ends, the result.
type auditAppend struct {
	ev       probity.AuditEvent
	out      probity.AuditEvent
	err      error
	done     chan struct{} // closed when out and err are set
	lead     chan struct{} // closed when this caller must flush the next batch
	promoted bool          // lead is closed; guarded by auditBatcher.mu
}

// AppendAudit adds e to the end of the audit chain and returns it with its
// ID, Seq, PrevHash and Hash set, once it is committed. Appends that arrive
// while another append's transaction is in flight are group-committed: the
// next transaction locks the chain head (a write to the AuditHead node, held
// until commit), reads the last seq and hash, chains the waiting events in
// arrival order and writes them and the new head, so the chain never forks
// and concurrent callers share one transaction instead of queueing for the
// lock one by one. If that transaction fails, every caller in it gets the
// error and none of its events is written. A caller whose ctx ends while it
// waits gets ctx's error; if its event was already taken into a batch, the
// event may still be committed. The transaction itself runs under the
// store's timeout, not the ctx of the caller that happens to flush it.
func (s *Store) AppendAudit(ctx context.Context, e probity.AuditEvent) (probity.AuditEvent, error) {
	b := &s.audit
	a := &auditAppend{ev: e, done: make(chan struct{}), lead: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, a)
	leader := !b.flushing
	b.flushing = true
	b.mu.Unlock()
	if !leader {
		select {
		case <-a.done:
			return a.out, a.err
		case <-a.lead:
		case <-ctx.Done():
			b.mu.Lock()
			promoted := a.promoted
			if i := slices.Index(b.pending, a); i >= 0 && !promoted {
				b.pending = slices.Delete(b.pending, i, i+1)
				b.mu.Unlock()
				return e, fmt.Errorf("append audit event: %w (not written)", ctx.Err())
			}
			b.mu.Unlock()
			if !promoted {
				select {
				case <-a.done:
					return a.out, a.err
				default:
					return e, fmt.Errorf("append audit event: %w (it may still be written)", ctx.Err())
				}
			}
			// The flush is ours now: the others in pending wait for it.
		}
	}
	s.flushAudit(ctx)
	<-a.done
	return a.out, a.err
}

// flushAudit commits the oldest pending appends (the caller's own is first)
// in one transaction, hands the flush on to the next pending caller or ends
// it, and delivers the results.
func (s *Store) flushAudit(ctx context.Context) {
	b := &s.audit
	b.mu.Lock()
	n := min(len(b.pending), auditBatchMax)
	batch := slices.Clone(b.pending[:n])
	b.pending = slices.Delete(b.pending, 0, n)
	b.mu.Unlock()

	events := make([]probity.AuditEvent, len(batch))
	for i, a := range batch {
		events[i] = a.ev
	}
	b.batches.Add(1)
	out, err := s.commitAuditBatch(context.WithoutCancel(ctx), events)

	b.mu.Lock()
	if len(b.pending) == 0 {
		b.flushing = false
	} else {
		next := b.pending[0]
		next.promoted = true
		close(next.lead)
	}
	b.mu.Unlock()
	for i, a := range batch {
		if err != nil {
			a.out, a.err = a.ev, fmt.Errorf("append audit event: %w", err)
		} else {
			a.out = out[i]
		}
		close(a.done)
	}
}

// chainAudit chains events onto the head (seq, prev): it returns them with
// ID, Seq, PrevHash and Hash set, and their rows for Cypher.
func chainAudit(events []probity.AuditEvent, seq int64, prev string) ([]probity.AuditEvent, []map[string]any) {
	evs := make([]probity.AuditEvent, len(events))
	rows := make([]map[string]any, len(events))
	for i, e := range events {
		ev := e
		ev.Seq = seq + 1 + int64(i)
		ev.ID = fmt.Sprintf("audit-%d", ev.Seq)
		ev.At = ev.At.UTC()
		ev.PrevHash = prev
		ev.Hash = ev.ComputeHash()
		prev = ev.Hash
		evs[i] = ev
		rows[i] = map[string]any{
			"id": ev.ID, "seq": ev.Seq, "at": ev.At, "actor": ev.Actor, "role": string(ev.Role),
			"operation": ev.Operation, "digest": ev.VariablesDigest, "entityIds": nonNilStrings(ev.EntityIDs),
			"revealed": nonNilStrings(ev.Revealed), "purpose": ev.Purpose, "prevHash": ev.PrevHash, "hash": ev.Hash,
		}
	}
	return evs, rows
}

// auditAppendIfHead is one auto-commit statement: it locks the chain head
// (the SET takes its write lock before anything is read, so batches queue
// here and the chain cannot fork), and only if the head is still
// ($prevSeq, $prevHash) moves it to ($seq, $hash) and creates the events.
// It returns whether it wrote and the head after it.
const auditAppendIfHead = `MERGE (h:` + LabelAuditHead + ` {id: $head})
	ON CREATE SET h.seq = 0, h.hash = ''
	SET h.lockedAt = datetime()
	WITH h, h.seq = $prevSeq AND h.hash = $prevHash AS ok
	CALL (h, ok) {
		WITH h, ok WHERE ok
		SET h.seq = $seq, h.hash = $hash
		WITH h
		UNWIND $events AS e
		CREATE (:AuditEvent {id: e.id, seq: e.seq, at: e.at, actor: e.actor, role: e.role, operation: e.operation,
			variablesDigest: e.digest, entityIds: e.entityIds, revealed: e.revealed, purpose: e.purpose,
			prevHash: e.prevHash, hash: e.hash})
	}
	RETURN ok, h.seq, h.hash`

// commitAuditBatch appends events to the chain, in order, atomically, and
// returns them with ID, Seq, PrevHash and Hash set. With the head this
// process remembers it costs one round trip: one auto-commit statement
// (auditAppendIfHead), durable when it returns. When the head is unknown or
// another process moved it, that statement writes nothing, and the batch is
// written by commitAudit, which reads the head under its lock.
func (s *Store) commitAuditBatch(ctx context.Context, events []probity.AuditEvent) ([]probity.AuditEvent, error) {
	b := &s.audit
	if b.head.known {
		evs, rows := chainAudit(events, b.head.seq, b.head.hash)
		last := evs[len(evs)-1]
		ok, err := s.appendIfHead(ctx, rows, b.head, last)
		switch {
		case err != nil:
			b.head.known = false // it may or may not have been written
			return nil, err
		case ok:
			b.head = auditHead{seq: last.Seq, hash: last.Hash, known: true}
			return evs, nil
		}
		b.rereads.Add(1)
	}
	evs, err := s.commitAudit(ctx, events)
	if err != nil {
		b.head.known = false
		return nil, err
	}
	last := evs[len(evs)-1]
	b.head = auditHead{seq: last.Seq, hash: last.Hash, known: true}
	return evs, nil
}

// appendIfHead runs auditAppendIfHead in an auto-commit transaction: its
// result is read to the end, so when it returns without error the write,
// if any, is committed.
func (s *Store) appendIfHead(ctx context.Context, rows []map[string]any, prev auditHead, last probity.AuditEvent) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, auditAppendIfHead, map[string]any{
		"head": auditHeadID, "prevSeq": prev.seq, "prevHash": prev.hash, "seq": last.Seq, "hash": last.Hash, "events": rows,
	}, neo4j.WithTxTimeout(s.timeout))
	if err != nil {
		return false, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return false, err
	}
	if _, err := res.Consume(ctx); err != nil {
		return false, err
	}
	ok, _ := rec.Values[0].(bool)
	return ok, nil
}

// commitAudit appends events to the chain, in order, in one explicit
// transaction that locks the head and reads it first (two statements), and
// returns them with ID, Seq, PrevHash and Hash set.
func (s *Store) commitAudit(ctx context.Context, events []probity.AuditEvent) ([]probity.AuditEvent, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	out, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		// The SET takes the head's write lock before the read, so the chain
		// cannot fork: concurrent batches queue here.
		res, err := tx.Run(ctx, `MERGE (h:`+LabelAuditHead+` {id: $id})
			ON CREATE SET h.seq = 0, h.hash = ''
			SET h.lockedAt = datetime()
			RETURN h.seq, h.hash`, map[string]any{"id": auditHeadID})
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		seq, _ := rec.Values[0].(int64)
		prev, _ := rec.Values[1].(string)
		evs, rows := chainAudit(events, seq, prev)
		last := evs[len(evs)-1]
		if _, err := tx.Run(ctx, `MATCH (h:`+LabelAuditHead+` {id: $head})
			SET h.seq = $seq, h.hash = $hash
			WITH h
			UNWIND $events AS e
			CREATE (:AuditEvent {id: e.id, seq: e.seq, at: e.at, actor: e.actor, role: e.role, operation: e.operation,
				variablesDigest: e.digest, entityIds: e.entityIds, revealed: e.revealed, purpose: e.purpose,
				prevHash: e.prevHash, hash: e.hash})`, map[string]any{
			"head": auditHeadID, "seq": last.Seq, "hash": last.Hash, "events": rows,
		}); err != nil {
			return nil, err
		}
		return evs, nil
	}, neo4j.WithTxTimeout(s.timeout))
	if err != nil {
		return nil, err
	}
	return out.([]probity.AuditEvent), nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func driverStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func auditEventOfNode(n dbtype.Node) probity.AuditEvent {
	p := n.Props
	str := func(k string) string { v, _ := p[k].(string); return v }
	seq, _ := p["seq"].(int64)
	at, _ := p["at"].(time.Time)
	return probity.AuditEvent{
		ID: str("id"), Seq: seq, At: at.UTC(), Actor: str("actor"), Role: probity.Role(str("role")),
		Operation: str("operation"), VariablesDigest: str("variablesDigest"), EntityIDs: driverStrings(p["entityIds"]),
		Revealed: driverStrings(p["revealed"]), Purpose: str("purpose"), PrevHash: str("prevHash"), Hash: str("hash"),
	}
}

// AuditEvents returns the events f selects, oldest first, at most f.First.
func (s *Store) AuditEvents(ctx context.Context, f probity.AuditFilter) ([]probity.AuditEvent, error) {
	res, err := s.read(ctx, `MATCH (e:AuditEvent) WHERE e.seq > $after
		AND ($actor = '' OR e.actor = $actor) AND ($from IS NULL OR e.at >= $from) AND ($to IS NULL OR e.at < $to)
		RETURN e ORDER BY e.seq LIMIT $first`, map[string]any{
		"after": f.AfterSeq, "actor": f.Actor, "from": optTime(f.From), "to": optTime(f.To), "first": f.First,
	})
	if err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	out := make([]probity.AuditEvent, 0, len(res.Records))
	for _, rec := range res.Records {
		n, _ := rec.Values[0].(dbtype.Node)
		out = append(out, auditEventOfNode(n))
	}
	return out, nil
}

// VerifyAudit walks the whole chain in seq order and reports the first
// broken link: a gap in seq, a prevHash that is not the previous event's
// hash, a hash that does not match the event's fields, or a head that does
// not point at the last event (events deleted from the end).
func (s *Store) VerifyAudit(ctx context.Context) (probity.AuditVerification, error) {
	var v probity.AuditVerification
	prev := ""
	var last int64
	for {
		page, err := s.AuditEvents(ctx, probity.AuditFilter{AfterSeq: last, First: 1000})
		if err != nil {
			return v, err
		}
		for _, e := range page {
			reason := ""
			switch {
			case e.Seq != last+1:
				reason = fmt.Sprintf("seq %d follows %d: events are missing", e.Seq, last)
			case e.PrevHash != prev:
				reason = "prevHash does not match the previous event's hash"
			case e.ComputeHash() != e.Hash:
				reason = "hash does not match the event's fields: the event was altered"
			}
			if reason != "" {
				v.BrokenSeq, v.BrokenID, v.Reason = e.Seq, e.ID, reason
				return v, nil
			}
			v.Checked++
			prev, last = e.Hash, e.Seq
		}
		if len(page) < 1000 {
			break
		}
	}
	res, err := s.read(ctx, `OPTIONAL MATCH (h:`+LabelAuditHead+` {id: $id}) RETURN coalesce(h.seq, 0), coalesce(h.hash, '')`,
		map[string]any{"id": auditHeadID})
	if err != nil {
		return v, fmt.Errorf("audit head: %w", err)
	}
	hs, _ := res.Records[0].Values[0].(int64)
	hh, _ := res.Records[0].Values[1].(string)
	if hs != last || hh != prev {
		v.BrokenSeq, v.BrokenID = hs, fmt.Sprintf("audit-%d", hs)
		v.Reason = fmt.Sprintf("the chain head says seq %d but the last event is %d: events were removed", hs, last)
	}
	return v, nil
}
