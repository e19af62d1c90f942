package graph

import (
	"context"
	"fmt"
	"math"
	"regexp"
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
	batches  atomic.Int64 // batch transactions started
	events   atomic.Int64 // events in the batches started
	rereads  atomic.Int64 // batches whose remembered head was stale (written again from the head read)

	// head is the chain head this process last wrote or read (only the
	// flusher touches it, and there is one flusher at a time). A batch
	// is chained onto it and written in one statement that checks it under
	// the head's lock; when another process moved the head meanwhile the
	// statement writes nothing and the batch is chained again from the head
	// read under the lock.
	head auditHead
	// wrote is the last event this process wrote, its seq and hash (the
	// flusher writes it; the health check reads it too): a head found
	// below it, or another event at its seq, means the chain went back
	// under this process (a backup restored, and maybe events chained
	// since by others: opsW), and nothing more is chained onto it
	// (commitAudit). A rolled-back head passes `audit verify`.
	wrote atomic.Pointer[auditMark]
}

// auditMark is an event this process wrote.
type auditMark struct {
	seq  int64
	hash string
}

// noteWrote remembers ev as the last event written, unless a later one is.
func (b *auditBatcher) noteWrote(ev probity.AuditEvent) {
	if w := b.wrote.Load(); w == nil || ev.Seq > w.seq {
		b.wrote.Store(&auditMark{seq: ev.Seq, hash: ev.Hash})
	}
}

// lastWrote is the last event this process wrote (seq 0: none).
func (b *auditBatcher) lastWrote() auditMark {
	if w := b.wrote.Load(); w != nil {
		return *w
	}
	return auditMark{}
}

// wentBack is the error of a chain found without this process's last
// event: the head below it (seq, at the head read) or another event at its
// seq (hash, that event's; "" when none).
func (w auditMark) wentBack(seq int64, hash string) error {
	if seq < w.seq {
		return fmt.Errorf("audit chain head is at seq %d, but this process wrote up to seq %d: events were removed from the end of the chain; nothing more is appended (restart the server after restoring a backup): %w", seq, w.seq, probity.ErrAuditRolledBack)
	}
	if w.seq > 0 && hash != w.hash {
		return fmt.Errorf("the audit event at seq %d is not the one this process wrote there: the chain was restored and chained on since; nothing more is appended (restart the server after restoring a backup): %w", w.seq, probity.ErrAuditRolledBack)
	}
	return nil
}

// auditHead is a remembered chain head; known is false until one was read
// or written (or after a failed batch, whose outcome may be unknown).
type auditHead struct {
	seq   int64
	hash  string
	known bool
}

// AuditStats are the group commit's counts since the store was opened:
// batch transactions started and the events they carried. Events per batch
// tell how much concurrent requests share the audit write.
type AuditStats struct{ Batches, Events, Rereads int64 }

// AuditStats returns the audit group commit's counts.
func (s *Store) AuditStats() AuditStats {
	return AuditStats{Batches: s.audit.batches.Load(), Events: s.audit.events.Load(), Rereads: s.audit.rereads.Load()}
}

// auditAppend is one caller's event and, once its batch ends, the result.
type auditAppend struct {
	ev       probity.AuditEvent
	claim    *probity.TokenClaim // the token ev is written for; nil: none checked
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
	return s.appendAudit(ctx, e, nil)
}

// AppendAuditFor is AppendAudit for an event written on behalf of a
// token: the statement that writes e also confirms, under the chain head's
// lock, that the token c names exists, is not revoked and is still as c
// says (id, name, role, officer). When it is not, e is not written and the
// error is EUNAUTHORIZED; the other events of its batch are written
// without it. It saves the API a separate token lookup for every audited
// request.
func (s *Store) AppendAuditFor(ctx context.Context, e probity.AuditEvent, c probity.TokenClaim) (probity.AuditEvent, error) {
	return s.appendAudit(ctx, e, &c)
}

func (s *Store) appendAudit(ctx context.Context, e probity.AuditEvent, c *probity.TokenClaim) (probity.AuditEvent, error) {
	b := &s.audit
	a := &auditAppend{ev: e, claim: c, done: make(chan struct{}), lead: make(chan struct{})}
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
	claims := make([]*probity.TokenClaim, len(batch))
	for i, a := range batch {
		events[i], claims[i] = a.ev, a.claim
	}
	b.batches.Add(1)
	b.events.Add(int64(len(batch)))
	out, refused, err := s.commitAuditBatch(context.WithoutCancel(ctx), events, claims)

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
		switch {
		case err != nil:
			a.out, a.err = a.ev, fmt.Errorf("append audit event: %w", err)
		case refused[i]:
			a.out, a.err = a.ev, probity.Errorf(probity.EUNAUTHORIZED, "the token was revoked or changed; the audit event was not written")
		default:
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

// auditClaimsRefused is a subquery that returns, as refused, the i of every
// claim in $claims whose token is unknown, revoked or no longer as claimed.
const auditClaimsRefused = `CALL () {
		UNWIND $claims AS c
		OPTIONAL MATCH (t:` + LabelToken + ` {hash: c.hash})
			WHERE t.revokedAt IS NULL AND t.id = c.id AND t.name = c.name AND t.role = c.role
				AND coalesce(t.officerId, '') = c.officer
		WITH c, count(t) AS n WHERE n = 0
		RETURN collect(c.i) AS refused
	}`

// auditAppendIfHead is one auto-commit statement: it locks the chain head
// (the SET takes its write lock before anything is read, so batches queue
// here and the chain cannot fork), checks the tokens the events claim, and
// only if the head is still ($prevSeq, $prevHash) and no claim is refused
// moves it to ($seq, $hash) and creates the events. It returns whether it
// wrote, whether the head was as remembered, the refused claims and the
// head after it.
const auditAppendIfHead = auditLockHead + `
	WITH h
	` + auditClaimsRefused + `
	WITH h, refused, h.seq = $prevSeq AND h.hash = $prevHash AS current
	WITH h, refused, current, current AND size(refused) = 0 AS ok
	CALL (h, ok) {
		WITH h, ok WHERE ok
		` + auditChainOn + `
	}
	RETURN ok, current, refused, h.seq, h.hash`

// auditLockHead is the chain's head h, made at seq 0 if there is none,
// write-locked (the SET takes the lock before anything is read: appends
// queue here, and the chain cannot fork).
const auditLockHead = `MERGE (h:` + LabelAuditHead + ` {id: $head})
	ON CREATE SET h.seq = 0, h.hash = ''
	SET h.lockedAt = datetime()`

// auditChainOn moves the locked head h to ($seq, $hash) and creates the
// events of the rows $events (chainRows) behind it.
const auditChainOn = `SET h.seq = $seq, h.hash = $hash
	WITH h
	UNWIND $events AS e
	CREATE (:AuditEvent {id: e.id, seq: e.seq, at: e.at, actor: e.actor, role: e.role, operation: e.operation,
		variablesDigest: e.digest, entityIds: e.entityIds, revealed: e.revealed, purpose: e.purpose,
		prevHash: e.prevHash, hash: e.hash})`

// claimRows are the Cypher rows of the claims of the events kept (index
// into kept as i); events without a claim have none.
func claimRows(claims []*probity.TokenClaim, kept []int) []map[string]any {
	rows := []map[string]any{}
	for j, i := range kept {
		if c := claims[i]; c != nil {
			rows = append(rows, map[string]any{"i": int64(j), "hash": c.Hash, "id": c.ID, "name": c.Name,
				"role": string(c.Role), "officer": c.OfficerID})
		}
	}
	return rows
}

// keptEvents returns the indexes of the events not refused, and the events.
func keptEvents(events []probity.AuditEvent, refused []bool) ([]int, []probity.AuditEvent) {
	var idx []int
	var evs []probity.AuditEvent
	for i, e := range events {
		if !refused[i] {
			idx, evs = append(idx, i), append(evs, e)
		}
	}
	return idx, evs
}

// commitAuditBatch appends events to the chain, in order, atomically, and
// returns them with ID, Seq, PrevHash and Hash set; an event whose claim
// (claims[i], when not nil) is refused is not written (refused[i]) and the
// others are chained without it. With the head this process remembers it
// costs one round trip: one auto-commit statement (auditAppendIfHead),
// durable when it returns (another when a claim is refused). When the head
// is unknown or another process moved it, that statement writes nothing,
// and the batch is written by commitAudit, which reads the head under its
// lock.
func (s *Store) commitAuditBatch(ctx context.Context, events []probity.AuditEvent, claims []*probity.TokenClaim) ([]probity.AuditEvent, []bool, error) {
	b := &s.audit
	out := make([]probity.AuditEvent, len(events))
	refused := make([]bool, len(events))
	for b.head.known {
		idx, kept := keptEvents(events, refused)
		if len(kept) == 0 {
			return out, refused, nil
		}
		evs, rows := chainAudit(kept, b.head.seq, b.head.hash)
		last := evs[len(evs)-1]
		r, err := s.appendIfHead(ctx, rows, claimRows(claims, idx), b.head, last)
		if err != nil {
			b.head.known = false // it may or may not have been written
			return nil, nil, err
		}
		if r.ok {
			b.head = auditHead{seq: last.Seq, hash: last.Hash, known: true}
			b.noteWrote(last)
			for j, i := range idx {
				out[i] = evs[j]
			}
			return out, refused, nil
		}
		for _, j := range r.refused {
			refused[idx[j]] = true
		}
		if !r.current {
			b.rereads.Add(1)
			break
		}
	}
	idx, kept := keptEvents(events, refused)
	if len(kept) == 0 {
		return out, refused, nil
	}
	evs, no, err := s.commitAudit(ctx, kept, claimRows(claims, idx), b.lastWrote())
	if err != nil {
		b.head.known = false
		return nil, nil, err
	}
	b.head.known = false
	for j, i := range idx {
		if no[j] {
			refused[i] = true
			continue
		}
		out[i] = evs[j]
		b.head = auditHead{seq: evs[j].Seq, hash: evs[j].Hash, known: true}
		b.noteWrote(evs[j])
	}
	return out, refused, nil
}

// ifHead is the outcome of auditAppendIfHead.
type ifHead struct {
	ok, current bool
	refused     []int64 // indexes into the events of the refused claims
}

// appendIfHead runs auditAppendIfHead in an auto-commit transaction: its
// result is read to the end, so when it returns without error the write,
// if any, is committed.
func (s *Store) appendIfHead(ctx context.Context, rows, claims []map[string]any, prev auditHead, last probity.AuditEvent) (ifHead, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var rec *neo4j.Record
	err := s.inSession(ctx, func(sess neo4j.SessionWithContext) error {
		res, err := sess.Run(ctx, auditAppendIfHead, map[string]any{
			"head": auditHeadID, "prevSeq": prev.seq, "prevHash": prev.hash, "seq": last.Seq, "hash": last.Hash,
			"events": rows, "claims": claims,
		}, neo4j.WithTxTimeout(s.timeout))
		if err != nil {
			return err
		}
		if rec, err = res.Single(ctx); err != nil {
			return err
		}
		_, err = res.Consume(ctx)
		return err
	})
	if err != nil {
		return ifHead{}, err
	}
	var r ifHead
	r.ok, _ = rec.Values[0].(bool)
	r.current, _ = rec.Values[1].(bool)
	l, _ := rec.Values[2].([]any)
	for _, x := range l {
		if i, ok := x.(int64); ok {
			r.refused = append(r.refused, i)
		}
	}
	return r, nil
}

// commitAudit appends events to the chain, in order, in one explicit
// transaction that locks the head and reads it and checks the claims first,
// and returns the events written with ID, Seq, PrevHash and Hash set, and
// which events were refused (not written, the rest chained without them).
func (s *Store) commitAudit(ctx context.Context, events []probity.AuditEvent, claims []map[string]any, wrote auditMark) ([]probity.AuditEvent, []bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	refused := make([]bool, len(events))
	var written []probity.AuditEvent
	err := s.inSession(ctx, func(sess neo4j.SessionWithContext) error {
		out, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			clear(refused)
			// The SET takes the head's write lock before the read, so the chain
			// cannot fork: concurrent batches queue here.
			res, err := tx.Run(ctx, auditLockHead+`
			WITH h
			`+auditClaimsRefused+`
			OPTIONAL MATCH (mine:AuditEvent {seq: $wrote})
			RETURN h.seq, h.hash, refused, mine.hash`, map[string]any{"head": auditHeadID, "claims": claims, "wrote": wrote.seq})
			if err != nil {
				return nil, err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return nil, err
			}
			seq, _ := rec.Values[0].(int64)
			prev, _ := rec.Values[1].(string)
			mine, _ := rec.Values[3].(string)
			if err := wrote.wentBack(seq, mine); err != nil {
				return nil, err
			}
			l, _ := rec.Values[2].([]any)
			for _, x := range l {
				if i, ok := x.(int64); ok && i >= 0 && int(i) < len(refused) {
					refused[i] = true
				}
			}
			_, kept := keptEvents(events, refused)
			if len(kept) == 0 {
				return []probity.AuditEvent{}, nil
			}
			evs, rows := chainAudit(kept, seq, prev)
			last := evs[len(evs)-1]
			if _, err := tx.Run(ctx, `MATCH (h:`+LabelAuditHead+` {id: $head}) `+auditChainOn, map[string]any{
				"head": auditHeadID, "seq": last.Seq, "hash": last.Hash, "events": rows,
			}); err != nil {
				return nil, err
			}
			return evs, nil
		}, neo4j.WithTxTimeout(s.timeout))
		if err == nil {
			written = out.([]probity.AuditEvent)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	// Spread the written events back over the positions not refused.
	full := make([]probity.AuditEvent, len(events))
	j := 0
	for i := range events {
		if !refused[i] {
			full[i] = written[j]
			j++
		}
	}
	return full, refused, nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// auditEventOfNode reads an event as stored. It reads strictly: a
// property of another type than the one written (an id turned into a
// number, a list holding one) reads as empty, so that audit verify finds
// the hash no longer matches; str and asStrings would print it back to
// the text it was.
func auditEventOfNode(n dbtype.Node) probity.AuditEvent {
	p := n.Props
	text := func(k string) string { v, _ := p[k].(string); return v }
	texts := func(k string) []string {
		var out []string
		for _, x := range asList(p[k]) {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	seq, _ := p["seq"].(int64)
	at, _ := p["at"].(time.Time)
	return probity.AuditEvent{
		ID: text("id"), Seq: seq, At: at.UTC(), Actor: text("actor"), Role: probity.Role(text("role")),
		Operation: text("operation"), VariablesDigest: text("variablesDigest"), EntityIDs: texts("entityIds"),
		Revealed: texts("revealed"), Purpose: text("purpose"), PrevHash: text("prevHash"), Hash: text("hash"),
	}
}

// auditEventsCypher selects audit events by seq, actor, time, entity (a
// global id, or an import id under any label), root field and reveal, in
// seq order (newest: descending), leaving out those about the officer $hide
// (the reader's own record: naming it, in the entities or as a word of
// the purpose in any case; another's naming what its case or record names,
// readerHiding; or a flag about it) and that
// reader's own lookups that found nothing ($misses, HideMisses). Each order
// is its own statement so that the seq bound and the order are the audit_seq_unique
// index's (a range seek, read in order, stopping at $first matches; an
// order or bound chosen inside the statement read every event: reviewB
// M1). The filters are checked on the events that seek reads: a reviewer's
// question about a rare actor over millions of events should give a time
// range.
func auditEventsCypher(newest bool) string {
	bound, order := "e.seq > $after", "e.seq"
	if newest {
		bound, order = "e.seq < $before", "e.seq DESC"
	}
	return `MATCH (e:AuditEvent)
	WHERE ` + bound + `
	  AND ($actor = '' OR e.actor = $actor) AND ($from IS NULL OR e.at >= $from) AND ($to IS NULL OR e.at < $to)
	  AND ($entity = '' OR $entity IN e.entityIds OR any(x IN e.entityIds WHERE x ENDS WITH ':' + $entity))
	  AND (size($operations) = 0 OR any(op IN $operations WHERE ` + auditOpMatches + `))
	  AND ($hide = '' OR (NOT 'Officer:' + $hide IN e.entityIds
	       // what the case and the reader's record name, in others' events;
	       // its own are shown alike, whatever they name (hiding them told
	       // which ids its case names, as secM H1)
	       AND (` + bySubject + ` OR none(a IN [x IN e.entityIds | $about[toLower(x)]] WHERE a IS NOT NULL
	              AND (a.always OR coalesce(e.seq > a.afterSeq, false) OR coalesce(e.at >= a.since, false)))
	            AND none(p IN [toLower(coalesce(e.purpose, ''))] WHERE any(w IN $words WHERE p CONTAINS w)))
	       AND NOT coalesce(e.purpose, '') =~ $hidePurpose
	       // the flags it names (bare ids, or Flag:ID from the command line)
	       // hidden from it ($hiddenFlags); but not the reader's own audit log reads, which
	       // name the entity they asked about whether it exists or not:
	       // hidden for a real flag, shown for a made-up id, they told
	       // which ids were its case (secM H1)
	       AND (` + bySubject + ` AND 'auditLog' IN split(e.operation, ',') OR none(x IN e.entityIds WHERE $hiddenFlags[CASE WHEN x STARTS WITH 'Flag:' THEN substring(x, 5) WHEN NOT x CONTAINS ':' THEN x ELSE '' END] IS NOT NULL))
	       AND NOT (` + bySubject + ` AND (coalesce(e.purpose, '') CONTAINS ': not_found' OR size(coalesce(e.entityIds, [])) = 0))
	       // nor another's begin event: it carries that caller's purpose
	       // before what the change touched is known (secL H1); its own
	       // name no entity and are hidden with its misses above
	       AND NOT e.operation STARTS WITH 'begin '))
	  AND none(op IN $hideOps WHERE ` + auditOpMatches + ` OR ` + auditOpBegun + `)
	  AND (NOT $revealed OR size(coalesce(e.revealed, [])) > 0)
	RETURN e ORDER BY ` + order + ` LIMIT $first`
}

// readerHidingCypher reads, once a page, what the audit log hides from
// the reader tied to officer $hide. about: the entities ({id: global id,
// key: import id, afterSeq, since}) an event may not name to it: the
// evidence of the flags about it
// (flagAbout), in the events after the audit head as the first of them
// was written (afterSeq; for a flag written before flags kept it, from its
// firstSeen), and what its own record links to (its accounts, addresses,
// phones, companies, relations), in every event: it reads its own links,
// so an event vanishing as a link is loaded tells it nothing it cannot
// read, where a link's loadedAt, which a load moves, showed the earlier
// looks at its account (secP H2). An investigator's
// ordinary chart work on the case (expanding the payer, revealing the
// payer's name, the officer's account's timeline) names these and not the
// officer, and showed the subject its case was being worked on (secN H1);
// events from before they were about it stay as it saw them, else a
// colleague's old look at a person, vanishing after a scan, told it a case
// was raised and its evidence (secO H1). An event names an entity however
// it was typed (an auditLog of the payer's bare or lower-case id: reviewK
// H2); a hub the record links to (the station's address) is not hidden,
// else every tied reader at that station lost its events (reviewK L2).
//
// The other tokens tied to the same officer (subjects), the flags hidden
// from it, and its name: with the pseudonym the API gives (HideWords) and
// the flag ids, the words a purpose may not hold, in any case (a flag id
// it could not read confirmed a case: secO M1). A purpose that names its
// id as a word is hidden too (namesWord): the purpose names what was
// asked, as typed (an auditLog of the bare id, a flagCounts of its lower
// case: secN M1). They go to the page's statement as parameters, the
// entities and flags as maps, one lookup an id: a list read for each
// event's each id made a page of a reader many flags name take seconds
// (perfH H1, M1).
var readerHidingCypher = `WITH ` + hiddenFlagIDs + ` AS hiddenFlags
	RETURN COLLECT { MATCH (t:ApiToken) WHERE t.officerId = $hide RETURN t.name } AS subjects,
	COLLECT { MATCH (f:Flag)-[:EVIDENCE]->(n) WHERE ` + flagAbout("f") + ` AND ` + isEntity("n") + `
	         RETURN {id: toLower(` + entityKey("n") + `), key: toLower(n.id), afterSeq: f.auditSeq, since: f.firstSeen} AS a
	       UNION MATCH (:Officer {id: $hide})-[:HOLDS|LIVES_AT|USES_PHONE|DIRECTOR_OF|RELATED_TO]-(n) WHERE ` + isEntity("n") + ` AND NOT n:` + LabelHub + `
	         RETURN {id: toLower(` + entityKey("n") + `), key: toLower(n.id), afterSeq: null, since: null} AS a } AS about,
	hiddenFlags,
	[w IN $hideWords + hiddenFlags + COLLECT { MATCH (o:Officer {id: $hide}) WHERE o.name IS NOT NULL RETURN o.name } WHERE trim(w) <> '' | toLower(trim(w))] AS words`

// readerHiding puts into params what readerHidingCypher reads for f's
// reader: about as a map from each entity's id and key (lower case) to
// when it is hidden (always; in events after afterSeq; or from since:
// the earliest of each), hiddenFlags as a set.
func (s *Store) readerHiding(ctx context.Context, f probity.AuditFilter, params map[string]any) error {
	res, err := s.read(ctx, readerHidingCypher, map[string]any{"hide": f.HideOfficer, "entity_labels": probity.EntityLabels, "hideWords": append([]string{}, f.HideWords...)})
	if err != nil {
		return fmt.Errorf("audit events: %w", err)
	}
	r := res.Records[0].Values
	about := map[string]any{}
	for _, x := range asList(r[1]) {
		a := asMap(x)
		seq, hasSeq := a["afterSeq"].(int64)
		since, hasSince := a["since"].(time.Time)
		for _, k := range []string{str(a["id"]), str(a["key"])} {
			h, _ := about[k].(map[string]any)
			if h == nil {
				h = map[string]any{"always": false, "afterSeq": nil, "since": nil}
				about[k] = h
			}
			switch {
			case hasSeq:
				if was, ok := h["afterSeq"].(int64); !ok || seq < was {
					h["afterSeq"] = seq
				}
			case hasSince:
				if was, ok := h["since"].(time.Time); !ok || since.Before(was) {
					h["since"] = since
				}
			default:
				h["always"] = true
			}
		}
	}
	hidden := map[string]any{}
	for _, id := range asStrings(r[2]) {
		hidden[id] = true
	}
	// the words lower-cased by Cypher, as the purpose is (Go's and Java's lower case differ: İ, final Σ)
	lower := asStrings(r[3])
	params["subjects"], params["about"], params["hiddenFlags"], params["words"] = nonNilStrings(asStrings(r[0])), about, hidden, nonNilStrings(lower)
	return nil
}

// isEntity is the Cypher condition that node n is an entity (a label of
// $entity_labels): a Shift or a MisconductCase in a flag's evidence has
// no global id, and a null in readerHiding's list hid every event from the
// reader (reviewK H1).
func isEntity(n string) string {
	return "any(l IN labels(" + n + ") WHERE l IN $entity_labels)"
}

// namesWord is the regular expression (Java's, as Neo4j's =~ reads it) of
// a text that names id as a word, in any case: "flagCounts of
// \"cpd-1\"" names CPD-1, "CPD-10" does not. "" for no id.
func namesWord(id string) string {
	if id == "" {
		return ""
	}
	return `(?isu).*(?<![\p{L}\p{N}])` + regexp.QuoteMeta(id) + `(?![\p{L}\p{N}]).*`
}

// auditOpMatches is the Cypher condition that event e is of operation op:
// a root field the request ran, or the first words of a command line
// event ("watch" is "watch add"); the filter's operations and the hidden
// ones match alike. auditOpBegun: e is the event a mutation writes before
// it runs naming op ("begin unwatch,watch"); a hidden operation's are
// hidden too, for they carry the caller's purpose (a token that may not
// read the watch list read its changes there; reviewG M1), while the
// filter finds them by their own name ("begin watch").
const (
	auditOpMatches = `op IN split(e.operation, ',') OR e.operation STARTS WITH op + ' '`
	auditOpBegun   = `e.operation STARTS WITH 'begin ' AND op IN split(substring(e.operation, 6), ',')`
)

// bySubject is the Cypher condition that event e is the reader's own ($misses)
// or another token's tied to the same officer ($subjects, readerHiding's):
// the misses of a second token of one officer, shown to the first, told
// its case's ids from made-up ones (secL L1, secM M2).
const bySubject = `(e.actor = $misses OR e.actor IN $subjects)`

var auditOldestFirst, auditNewestFirst = auditEventsCypher(false), auditEventsCypher(true)

// AuditEvents returns the events f selects, oldest first (newest first
// with f.NewestFirst), at most f.First.
func (s *Store) AuditEvents(ctx context.Context, f probity.AuditFilter) ([]probity.AuditEvent, error) {
	cypher, before := auditOldestFirst, f.AfterSeq
	if f.NewestFirst {
		cypher = auditNewestFirst
		if before == 0 { // from the newest
			before = math.MaxInt64
		}
	}
	params := map[string]any{
		"after": f.AfterSeq, "before": before, "actor": f.Actor, "from": optTime(f.From), "to": optTime(f.To),
		"entity": f.Entity, "hide": f.HideOfficer, "misses": f.HideMisses, "hidePurpose": namesWord(f.HideOfficer),
		"subjects": []string{}, "about": map[string]any{}, "hiddenFlags": map[string]any{}, "words": []string{},
		"operations": f.Operations(), "hideOps": append([]string{}, f.HideOperations...), "revealed": f.Revealed, "first": f.First,
	}
	if f.HideOfficer != "" {
		if err := s.readerHiding(ctx, f, params); err != nil {
			return nil, err
		}
	}
	res, err := s.read(ctx, cypher, params)
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

// auditHead returns the seq and hash of the audit log's last event (0 and
// "" for an empty log).
func (s *Store) auditHead(ctx context.Context) (int64, string, error) {
	res, err := s.read(ctx, `OPTIONAL MATCH (h:`+LabelAuditHead+` {id: $id}) RETURN coalesce(h.seq, 0), coalesce(h.hash, '')`,
		map[string]any{"id": auditHeadID})
	if err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	seq, _ := res.Records[0].Values[0].(int64)
	hash, _ := res.Records[0].Values[1].(string)
	return seq, hash, nil
}

// VerifyAudit walks the whole chain in seq order and reports the first
// broken link: a gap in seq, a prevHash that is not the previous event's
// hash, a hash that does not match the event's fields, or a head that does
// not point at the last event (events deleted from the end).
func (s *Store) VerifyAudit(ctx context.Context) (probity.AuditVerification, error) {
	return s.verifyAudit(ctx, 1000)
}

// verifyAudit is VerifyAudit reading page events at a time (a test walks
// several pages of a short log).
func (s *Store) verifyAudit(ctx context.Context, page int) (probity.AuditVerification, error) {
	var v probity.AuditVerification
	prev := ""
	var last int64
	for {
		events, err := s.AuditEvents(ctx, probity.AuditFilter{AfterSeq: last, First: page})
		if err != nil {
			return v, err
		}
		for _, e := range events {
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
		if len(events) < page {
			break
		}
	}
	hs, hh, err := s.auditHead(ctx)
	if err != nil {
		return v, err
	}
	if hs != last || hh != prev {
		v.BrokenSeq, v.BrokenID = hs, fmt.Sprintf("audit-%d", hs)
		v.Reason = fmt.Sprintf("the chain head says seq %d but the last event is %d: events were removed", hs, last)
	}
	v.HeadHash = prev
	return v, nil
}
