package graph_test

import (
	"context"
	"errors"
	"fmt"
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
	before := graph.AuditBatches(s)
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
	batches := graph.AuditBatches(s) - before
	if batches >= n {
		t.Fatalf("%d concurrent appends used %d transactions, want fewer", n, batches)
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
	cfg := graphtest.Config()
	cfg.URI, cfg.Timeout = p.URI(), 2*time.Second
	s, err := graph.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if _, err := s.AppendAudit(ctx, auditEvent(0)); err != nil {
		t.Fatal(err)
	}
	p.Down()
	before := graph.AuditBatches(s)
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
	_, err = s.AppendAudit(impatient, auditEvent(99))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > time.Second {
		t.Errorf("impatient caller: %v after %v, want its deadline", err, time.Since(t0))
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			t.Errorf("caller %d: no error with the database gone", i)
		}
	}
	if batches := graph.AuditBatches(s) - before; batches >= n {
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
