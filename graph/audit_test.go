package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

func auditEvent(i int) probity.AuditEvent {
	return probity.AuditEvent{At: time.Now(), Actor: fmt.Sprintf("user-%d", i), Role: probity.RoleAnalyst,
		Operation: "node", VariablesDigest: "d", EntityIDs: []string{fmt.Sprintf("Person:P%d", i)}}
}

// Concurrent appends are group-committed: every caller gets its own seq,
// the chain has no gap or fork, and the callers shared transactions.
func TestAppendAuditGroupCommit(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	const n = 64
	before := s.AuditStats()
	got := make([]probity.AuditEvent, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			ev, err := s.AppendAudit(ctx, auditEvent(i))
			if err != nil {
				t.Errorf("append %d: %v", i, err)
			}
			got[i] = ev
		}(i)
	}
	close(start)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	seen := map[int64]int{}
	for i, ev := range got {
		if ev.Seq < 1 || ev.Seq > n || ev.ID != fmt.Sprintf("audit-%d", ev.Seq) || ev.Actor != fmt.Sprintf("user-%d", i) {
			t.Errorf("caller %d got %+v", i, ev)
		}
		if j, dup := seen[ev.Seq]; dup {
			t.Errorf("callers %d and %d both got seq %d", j, i, ev.Seq)
		}
		seen[ev.Seq] = i
	}
	stored, err := s.AuditEvents(ctx, probity.AuditFilter{First: n + 1})
	if err != nil || len(stored) != n {
		t.Fatalf("stored events: %d, %v", len(stored), err)
	}
	for _, e := range stored {
		if r := got[seen[e.Seq]]; r.Hash != e.Hash || r.PrevHash != e.PrevHash {
			t.Errorf("seq %d: caller was told hash %s prev %s, stored %s prev %s", e.Seq, r.Hash, r.PrevHash, e.Hash, e.PrevHash)
		}
	}
	v, err := s.VerifyAudit(ctx)
	if err != nil || !v.OK() || v.Checked != n {
		t.Fatalf("verify: %+v, %v", v, err)
	}
	after := s.AuditStats()
	batches := after.Batches - before.Batches
	if batches >= n {
		t.Fatalf("%d concurrent appends used %d transactions, want fewer", n, batches)
	}
	if events := after.Events - before.Events; events != n {
		t.Fatalf("stats count %d events for %d appends", events, n)
	}
	t.Logf("%d concurrent appends in %d transactions", n, batches)
}

// When a batch's transaction fails, every caller in it gets the error and
// none of its events is written; a waiting caller whose ctx ends returns
// at once. The chain continues without a gap once the database is back.
func TestAppendAuditFailedBatchFailsAllCallers(t *testing.T) {
	graphtest.Open(t)
	ctx := context.Background()
	p := graphtest.NewProxy(t)
	s := p.Open(t, 2*time.Second)
	if _, err := s.AppendAudit(ctx, auditEvent(0)); err != nil {
		t.Fatal(err)
	}
	p.Down()
	before := s.AuditStats().Batches
	const n = 16
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, errs[i] = s.AppendAudit(ctx, auditEvent(i+1))
		}(i)
	}
	close(start)
	// A caller that joins while the failing batch is in flight and gives up.
	time.Sleep(100 * time.Millisecond)
	impatient, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	_, err := s.AppendAudit(impatient, auditEvent(99))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > time.Second {
		t.Errorf("impatient caller: %v after %v, want its deadline", err, time.Since(t0))
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			t.Errorf("caller %d: no error with the database gone", i)
		}
	}
	if batches := s.AuditStats().Batches - before; batches >= n {
		t.Errorf("%d failing callers used %d transactions: they were not batched", n, batches)
	}
	p.Up(t)
	ev, err := s.AppendAudit(ctx, auditEvent(100))
	if err != nil || ev.Seq != 2 {
		t.Fatalf("append after the database is back: seq %d, %v (want 2: failed batches wrote nothing)", ev.Seq, err)
	}
	if v, err := s.VerifyAudit(ctx); err != nil || !v.OK() || v.Checked != 2 {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// Two stores (two serve processes) append to one chain. Each remembers the
// head it last wrote and writes a batch in one statement that checks it;
// when the other moved the head meanwhile, that statement writes nothing
// and the batch is chained again from the head in Neo4j: no fork, no gap,
// every caller told the hash that was stored, and the chain verifies.
func TestAppendAuditHeadMovedByAnotherProcess(t *testing.T) {
	s1 := graphtest.Open(t)
	ctx := context.Background()
	s2, err := graph.Open(ctx, graphtest.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(ctx)

	first, err := s1.AppendAudit(ctx, auditEvent(1)) // s1 learns the head
	if err != nil {
		t.Fatal(err)
	}
	again, err := s1.AppendAudit(ctx, auditEvent(2)) // from its remembered head
	if err != nil || again.Seq != first.Seq+1 || again.PrevHash != first.Hash {
		t.Fatalf("second append: %+v, %v", again, err)
	}
	if n := graph.AuditRereads(s1); n != 0 {
		t.Fatalf("s1 re-read the head %d times with nobody else writing", n)
	}
	other, err := s2.AppendAudit(ctx, auditEvent(3)) // the head moves under s1
	if err != nil || other.Seq != again.Seq+1 || other.PrevHash != again.Hash {
		t.Fatalf("append by the other store: %+v, %v", other, err)
	}
	moved, err := s1.AppendAudit(ctx, auditEvent(4))
	if err != nil {
		t.Fatal(err)
	}
	if moved.Seq != other.Seq+1 || moved.PrevHash != other.Hash {
		t.Fatalf("after the head moved: seq %d prev %s, want seq %d prev %s", moved.Seq, moved.PrevHash, other.Seq+1, other.Hash)
	}
	if n := graph.AuditRereads(s1); n != 1 {
		t.Fatalf("s1 re-read the head %d times, want 1 (it was moved once)", n)
	}

	// Both at once, many callers each.
	const n = 24
	var wg sync.WaitGroup
	got := make([]probity.AuditEvent, 2*n)
	for i := 0; i < 2*n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := s1
			if i%2 == 1 {
				s = s2
			}
			ev, err := s.AppendAudit(ctx, auditEvent(10+i))
			if err != nil {
				t.Errorf("append %d: %v", i, err)
			}
			got[i] = ev
		}(i)
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	stored, err := s1.AuditEvents(ctx, probity.AuditFilter{First: 1000})
	if err != nil || len(stored) != 4+2*n {
		t.Fatalf("stored events: %d, %v; want %d", len(stored), err, 4+2*n)
	}
	bySeq := map[int64]probity.AuditEvent{}
	for _, e := range stored {
		bySeq[e.Seq] = e
	}
	for i, ev := range got {
		if e, ok := bySeq[ev.Seq]; !ok || e.Hash != ev.Hash || e.Actor != ev.Actor {
			t.Errorf("caller %d was told seq %d hash %s; stored %+v", i, ev.Seq, ev.Hash, e)
		}
	}
	v, err := s1.VerifyAudit(ctx)
	if err != nil || !v.OK() || v.Checked != 4+2*n {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// rollBackThird appends three events through s, then deletes the third and
// sets the head back to the second, as a restored backup would.
func rollBackThird(t *testing.T, s *graph.Store) {
	t.Helper()
	ctx := context.Background()
	var evs []probity.AuditEvent
	for i := range 3 {
		ev, err := s.AppendAudit(ctx, auditEvent(i))
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	if err := s.RunForTestParams(ctx, `MATCH (e:AuditEvent {seq: $seq}) DETACH DELETE e
		WITH count(*) AS n MATCH (h:AuditHead) SET h.seq = $prev, h.hash = $hash`,
		map[string]any{"seq": evs[2].Seq, "prev": evs[1].Seq, "hash": evs[1].Hash}); err != nil {
		t.Fatal(err)
	}
}

// A head rolled back (the last events deleted and the head set to the one
// before: `audit verify` cannot tell) is below what this process wrote:
// nothing more is chained onto it, and the error says why.
func TestAppendAuditRefusesAHeadRolledBack(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	rollBackThird(t, s)
	if v, err := s.VerifyAudit(ctx); err != nil || !v.OK() {
		t.Fatalf("the rolled-back chain verifies: %+v, %v (the check this test is about is the writer's)", v, err)
	}
	if _, err := s.AppendAudit(ctx, auditEvent(9)); err == nil || !strings.Contains(err.Error(), "events were removed") || !errors.Is(err, probity.ErrAuditRolledBack) {
		t.Fatalf("append onto a rolled-back head: %v, want refused", err)
	}
	if stored, _ := s.AuditEvents(ctx, probity.AuditFilter{First: 10}); len(stored) != 2 {
		t.Fatalf("%d events stored after the refused append, want 2", len(stored))
	}
}

// A chain restored under this process and chained on since by another
// (the CLI) has its head past what this process wrote, but another event
// at that seq: the seq alone passed it (opsW L1); now nothing more is
// chained onto it, and the head check says so.
func TestAppendAuditRefusesARestoredChainChainedOn(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	rollBackThird(t, s) // the restore
	// another process chains two events on it: the head passes this one's last seq
	cli, err := graph.Open(ctx, graphtest.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close(ctx)
	for i := range 2 {
		if _, err := cli.AppendAudit(ctx, auditEvent(20+i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CheckAuditHead(ctx); !errors.Is(err, probity.ErrAuditRolledBack) {
		t.Fatalf("head check: %v, want rolled back", err)
	}
	if _, err := s.AppendAudit(ctx, auditEvent(9)); !errors.Is(err, probity.ErrAuditRolledBack) || !strings.Contains(err.Error(), "not the one this process wrote") {
		t.Fatalf("append onto a restored chain chained on: %v, want refused", err)
	}
	if stored, _ := s.AuditEvents(ctx, probity.AuditFilter{First: 10}); len(stored) != 4 {
		t.Fatalf("%d events stored after the refused append, want 4", len(stored))
	}
}

// AppendAuditFor writes an event only while its token is as claimed: a
// revoked token, an unknown one or a claim with another role is refused
// with EUNAUTHORIZED and nothing of it is written, while the events of the
// same batches with good claims (or none) are chained without a gap, on
// the one-statement path (head remembered) and on the path that reads the
// head (a store that has not written yet).
func TestAppendAuditForRefusesRevokedToken(t *testing.T) {
	s1 := graphtest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	good := probity.Token{ID: "t-good", Name: "good", Role: probity.RoleAnalyst, Hash: "hash-good", CreatedAt: now}
	gone := probity.Token{ID: "t-gone", Name: "gone", Role: probity.RoleAnalyst, Hash: "hash-gone", CreatedAt: now, OfficerID: "O1"}
	for _, tk := range []probity.Token{good, gone} {
		if err := s1.CreateToken(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	claim := func(tk probity.Token) probity.TokenClaim {
		return probity.TokenClaim{Hash: tk.Hash, ID: tk.ID, Name: tk.Name, Role: tk.Role, OfficerID: tk.OfficerID}
	}
	// Before the revocation the token's claim is accepted.
	if _, err := s1.AppendAuditFor(ctx, auditEvent(0), claim(gone)); err != nil {
		t.Fatalf("append for a valid token: %v", err)
	}
	if _, err := s1.RevokeToken(ctx, "gone", "", now); err != nil {
		t.Fatal(err)
	}
	promoted := claim(good)
	promoted.Role = probity.RoleAdmin
	unknown := claim(good)
	unknown.Hash = "hash-unknown"
	s2, err := graph.Open(ctx, graphtest.Config()) // knows no head: reads it under the lock
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(ctx)

	const n = 40
	type result struct {
		ev     probity.AuditEvent
		err    error
		refuse bool
	}
	got := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := s1
			if i%5 == 0 {
				s = s2
			}
			<-start
			var ev probity.AuditEvent
			var err error
			switch i % 4 {
			case 0:
				ev, err = s.AppendAuditFor(ctx, auditEvent(100+i), claim(good))
			case 1:
				ev, err = s.AppendAuditFor(ctx, auditEvent(100+i), claim(gone))
				got[i].refuse = true
			case 2:
				ev, err = s.AppendAudit(ctx, auditEvent(100+i))
			case 3:
				c := promoted
				if i%8 == 7 {
					c = unknown
				}
				ev, err = s.AppendAuditFor(ctx, auditEvent(100+i), c)
				got[i].refuse = true
			}
			got[i].ev, got[i].err = ev, err
		}(i)
	}
	close(start)
	wg.Wait()
	written := map[string]int64{}
	for i, r := range got {
		switch {
		case r.refuse && probity.ErrorCode(r.err) != probity.EUNAUTHORIZED:
			t.Errorf("append %d with a bad claim: %+v, %v; want EUNAUTHORIZED", i, r.ev, r.err)
		case !r.refuse && r.err != nil:
			t.Errorf("append %d with a good claim: %v", i, r.err)
		case !r.refuse:
			written[r.ev.Actor] = r.ev.Seq
		}
	}
	stored, err := s1.AuditEvents(ctx, probity.AuditFilter{First: 1000})
	if err != nil || len(stored) != 1+len(written) {
		t.Fatalf("stored events: %d, %v; want %d", len(stored), err, 1+len(written))
	}
	for _, e := range stored[1:] {
		if seq, ok := written[e.Actor]; !ok || seq != e.Seq {
			t.Errorf("stored %s at seq %d; callers were told %v", e.Actor, e.Seq, written)
		}
	}
	v, err := s1.VerifyAudit(ctx)
	if err != nil || !v.OK() || v.Checked != int64(len(stored)) {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// VerifyAudit finds each way of tampering with the chain (mutQ): any
// hashed field changed; an event rewritten with its own hash recomputed,
// which only the next event's prevHash betrays; events deleted from the
// end, which only the head betrays.
func TestVerifyAuditFindsTampering(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	var evs []probity.AuditEvent
	for i := 0; i < 10; i++ {
		e := auditEvent(i)
		e.Purpose, e.Revealed = fmt.Sprintf("purpose %d", i), []string{fmt.Sprintf("Person:P%d", i)}
		ev, err := s.AppendAudit(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	verify := func() probity.AuditVerification {
		t.Helper()
		v, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := verify(); v.Reason != "" || v.Checked != 10 {
		t.Fatalf("untouched chain: %+v", v)
	}
	run := func(cypher string) {
		t.Helper()
		if err := s.RunForTest(ctx, cypher); err != nil {
			t.Fatal(err)
		}
	}
	// Each hashed field, changed on event 4 and put back.
	for _, f := range []struct{ prop, value string }{
		{"id", "'audit-x'"}, {"at", "e.at + duration('PT1S')"}, {"actor", "'mallory'"}, {"role", "'admin'"},
		{"operation", "'me'"}, {"variablesDigest", "'x'"}, {"entityIds", "[]"}, {"revealed", "[]"}, {"purpose", "'routine'"},
	} {
		run(`MATCH (e:AuditEvent {seq: 4}) SET e.saved = e.` + f.prop + `, e.` + f.prop + ` = ` + f.value)
		if v := verify(); v.BrokenSeq != 4 || !strings.Contains(v.Reason, "altered") {
			t.Errorf("%s changed: %+v, want event 4 altered", f.prop, v)
		}
		run(`MATCH (e:AuditEvent {seq: 4}) SET e.` + f.prop + ` = e.saved REMOVE e.saved`)
	}
	if v := verify(); v.Reason != "" {
		t.Fatalf("chain put back: %+v", v)
	}

	// Event 7 rewritten by someone who recomputes its hash: event 8's prevHash no longer matches.
	forged := evs[6]
	forged.Purpose = "routine check"
	forged.Hash = forged.ComputeHash()
	run(fmt.Sprintf(`MATCH (e:AuditEvent {seq: 7}) SET e.purpose = %q, e.hash = %q`, forged.Purpose, forged.Hash))
	if v := verify(); v.BrokenSeq != 8 || !strings.Contains(v.Reason, "prevHash") {
		t.Errorf("event 7 forged with its hash recomputed: %+v, want event 8's prevHash to break", v)
	}
	run(fmt.Sprintf(`MATCH (e:AuditEvent {seq: 7}) SET e.purpose = %q, e.hash = %q`, evs[6].Purpose, evs[6].Hash))

	// The last two events deleted: every remaining link holds, the head does not.
	run(`MATCH (e:AuditEvent) WHERE e.seq > 8 DETACH DELETE e`)
	if v := verify(); v.BrokenSeq != 10 || !strings.Contains(v.Reason, "removed") {
		t.Errorf("events 9 and 10 deleted: %+v, want the head to say 10 and events removed", v)
	}
}

// An operation filter names root fields or the first words of a command
// line event, several comma-separated matching any: the Audit screen's
// "Exports" are the API's and the command line's (adminB M1).
func TestAuditOperationFilter(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	for _, op := range []string{"recordExport", "cli:flags --format csv", "flags", "cli:load", "suppress add", "flag,timeline"} {
		if _, err := s.AppendAudit(ctx, probity.AuditEvent{Actor: "a", Role: probity.RoleAdmin, Operation: op}); err != nil {
			t.Fatal(err)
		}
	}
	for filter, want := range map[string]string{
		"recordExport,cli:flags": "recordExport|cli:flags --format csv",
		"cli:flags":              "cli:flags --format csv",
		"flags":                  "flags",
		"cli":                    "",
		"suppress":               "suppress add",
		" timeline , cli:load ":  "cli:load|flag,timeline",
	} {
		evs, err := s.AuditEvents(ctx, probity.AuditFilter{Operation: filter, First: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range evs {
			got = append(got, e.Operation)
		}
		if strings.Join(got, "|") != want {
			t.Errorf("operation %q: %q, want %q", filter, got, want)
		}
	}
}
