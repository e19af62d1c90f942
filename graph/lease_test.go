package graph_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

func addSchedule(t *testing.T, s *graph.Store, name string, next time.Time) {
	t.Helper()
	err := s.CreateSchedule(context.Background(), probity.Schedule{Name: name, Cron: "@every 1m", Enabled: true,
		Timeout: time.Minute, NextRunAt: next})
	if err != nil {
		t.Fatal(err)
	}
}

// Many instances racing for one due lease: exactly one wins, and the token
// goes up by exactly one.
func TestAcquireLeaseOneWinner(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	addSchedule(t, store, "job", now.Add(-time.Second))

	// separate drivers, as separate instances would have
	stores := []*graph.Store{store}
	for i := 0; i < 3; i++ {
		s, err := graph.Open(ctx, graphtest.Config())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close(ctx)
		stores = append(stores, s)
	}
	for round := 1; round <= 5; round++ {
		var wg sync.WaitGroup
		wins := make(chan probity.Lease, 16)
		for i := 0; i < 12; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				l, _, ok, err := stores[i%len(stores)].AcquireLease(ctx, "job", fmt.Sprintf("h%d-%d", round, i), time.Minute, true, now)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					wins <- l
				}
			}(i)
		}
		wg.Wait()
		close(wins)
		var got []probity.Lease
		for l := range wins {
			got = append(got, l)
		}
		if len(got) != 1 {
			t.Fatalf("round %d: %d winners %v, want 1", round, len(got), got)
		}
		if got[0].Token != int64(round) {
			t.Fatalf("round %d: token %d, want %d", round, got[0].Token, round)
		}
		if err := store.ReleaseLease(ctx, got[0]); err != nil {
			t.Fatal(err)
		}
	}
}

// A lease is refused while held, taken after expiry with a higher token,
// and the old holder's renewal and finish are refused (fencing).
func TestLeaseExpiryAndFencing(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	slot := now.Add(-time.Minute).Truncate(time.Second)
	addSchedule(t, store, "job", slot)

	a, _, ok, err := store.AcquireLease(ctx, "job", "A", 1500*time.Millisecond, true, now)
	if err != nil || !ok {
		t.Fatalf("A acquire = %v, %v", ok, err)
	}
	runA := probity.ScheduleRun{ID: "ra", Schedule: "job", Trigger: "schedule:job", Slot: slot, Holder: "A",
		StartedAt: now, LeaseToken: a.Token}
	if err := store.StartScheduleRun(ctx, runA); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := store.AcquireLease(ctx, "job", "B", time.Minute, true, now); ok {
		t.Fatal("B took a held lease")
	}
	time.Sleep(2 * time.Second)
	b, _, ok, err := store.AcquireLease(ctx, "job", "B", time.Minute, true, now)
	if err != nil || !ok || b.Token != a.Token+1 {
		t.Fatalf("B after expiry = %+v %v %v, want token %d", b, ok, err, a.Token+1)
	}
	if err := store.RenewLease(ctx, a, time.Minute); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("A renewed a lease taken over: %v", err)
	}
	runB := probity.ScheduleRun{ID: "rb", Schedule: "job", Trigger: "schedule:job", Slot: slot, Holder: "B",
		StartedAt: now, LeaseToken: b.Token}
	if err := store.StartScheduleRun(ctx, runB); err != nil {
		t.Fatal(err)
	}
	// A wakes up and tries to record its result: fenced.
	runA.EndedAt, runA.Status = now, probity.RunOK
	err = store.FinishScheduleRun(ctx, runA, "ok", now.Add(time.Hour))
	if probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("A finish = %v, want conflict", err)
	}
	sc, err := store.ScheduleByName(ctx, "job")
	if err != nil {
		t.Fatal(err)
	}
	if !sc.NextRunAt.Equal(slot) || !sc.LastRunAt.IsZero() {
		t.Fatalf("fenced finish changed the schedule: %+v", sc)
	}
	runB.EndedAt, runB.Status = now.Add(time.Second), probity.RunOK
	if err := store.FinishScheduleRun(ctx, runB, "ok", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	sc, _ = store.ScheduleByName(ctx, "job")
	if !sc.NextRunAt.Equal(now.Add(time.Hour).Truncate(time.Millisecond)) && !sc.NextRunAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("nextRunAt = %v, want %v", sc.NextRunAt, now.Add(time.Hour))
	}
	runs, err := store.ScheduleRuns(ctx, "job", 10)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range runs {
		status[r.ID] = r.Status
	}
	// A's run was marked abandoned when B started (older token), and its
	// late finish could only mark it fenced.
	if status["ra"] != probity.RunFenced || status["rb"] != probity.RunOK {
		t.Fatalf("statuses = %v", status)
	}
	l, err := store.LeaseOf(ctx, "job")
	if err != nil || l.Holder != "" || l.Token != b.Token {
		t.Fatalf("lease after finish = %+v %v, want released with token %d", l, err, b.Token)
	}
	// The slot is no longer due: nobody takes the lease for it.
	if _, _, ok, _ := store.AcquireLease(ctx, "job", "C", time.Minute, true, now.Add(time.Minute)); ok {
		t.Fatal("C took the lease of a slot already run")
	}
}

func TestDefaultSchedulesOnlyWhenNone(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	defs := []probity.Schedule{{Name: "a", Cron: "@hourly", Enabled: true}, {Name: "b", Cron: "@daily", Enabled: true}}
	var wg sync.WaitGroup
	created := make(chan []string, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := store.EnsureSchedules(ctx, defs)
			if err != nil {
				t.Error(err)
			}
			created <- n
		}()
	}
	wg.Wait()
	close(created)
	total := 0
	for n := range created {
		total += len(n)
	}
	if total != 2 {
		t.Fatalf("created %d schedules in all, want 2", total)
	}
	if err := store.DeleteSchedule(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if n, err := store.EnsureSchedules(ctx, defs); err != nil || len(n) != 0 {
		t.Fatalf("ensure with b present created %v, %v", n, err)
	}
}

// Errors from a database that went away are coded EUNAVAILABLE, which the
// scheduler retries with backoff.
func TestUnreachableIsUnavailable(t *testing.T) {
	graphtest.Open(t)
	ctx := context.Background()
	p := graphtest.NewProxy(t)
	s := p.Open(t, 3*time.Second)
	p.Down()
	if _, err := s.Schedules(ctx); probity.ErrorCode(err) != probity.EUNAVAILABLE {
		t.Fatalf("read with the database gone = %v, want unavailable", err)
	}
	if _, _, _, err := s.AcquireLease(ctx, "x", "h", time.Second, false, time.Now()); probity.ErrorCode(err) != probity.EUNAVAILABLE {
		t.Fatalf("lease with the database gone = %v, want unavailable", err)
	}
}
