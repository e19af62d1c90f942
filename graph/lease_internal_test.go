package graph

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// openInternal opens the test server from inside package graph (graphtest
// imports graph, so it cannot be used here) and empties it.
func openInternal(t testing.TB) *Store {
	t.Helper()
	uri, pw := "bolt://127.0.0.1:7688", "probity-local"
	if v := os.Getenv("PROBITY_TEST_NEO4J_URI"); v != "" {
		uri = v
	}
	if v := os.Getenv("PROBITY_TEST_NEO4J_PASSWORD"); v != "" {
		pw = v
	}
	s, err := Open(context.Background(), Config{URI: uri, Password: pw})
	if err != nil {
		t.Fatalf("integration test needs Neo4j: %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if err := s.DeleteAllData(context.Background()); err != nil { // first: it refuses a database that is no test's
		t.Fatal(err)
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// The one lease that schedules and loads share: of two contenders one
// wins; a live lease is refused, an expired one taken over with a higher
// token; the old holder's renewal fails naming the new holder and its
// release does nothing; a takeover rule may take a live lease; a LoadLock
// is deleted when released.
func TestLease(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	host, _ := os.Hostname()
	type try struct {
		l   probity.Lease
		ok  bool
		err error
	}
	tries := make([]try, 2)
	var wg sync.WaitGroup
	for i, h := range []string{"A", "B"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, ok, err := s.acquireLease(ctx, LabelLease, "x", h, 700*time.Millisecond, nil)
			tries[i] = try{l, ok, err}
		}()
	}
	wg.Wait()
	if tries[0].err != nil || tries[1].err != nil || tries[0].ok == tries[1].ok {
		t.Fatalf("two contenders = %+v, want one winner", tries)
	}
	win, lose := tries[0], tries[1]
	if lose.ok {
		win, lose = lose, win
	}
	a, other := win.l, map[string]string{"A": "B", "B": "A"}[win.l.Holder]
	if a.Token != 1 || a.Host != host || a.PID != os.Getpid() || a.Since.IsZero() || !a.ExpiresAt.After(a.Since) {
		t.Fatalf("winner's lease = %+v", a)
	}
	if lose.l.Holder != a.Holder || lose.l.Token != 1 {
		t.Fatalf("loser saw %+v, want the winner's lease", lose.l)
	}
	if _, ok, _ := s.acquireLease(ctx, LabelLease, "x", other, time.Minute, nil); ok {
		t.Fatal("a live lease was taken")
	}

	time.Sleep(time.Second)
	b, ok, err := s.acquireLease(ctx, LabelLease, "x", other, time.Minute, nil)
	if err != nil || !ok || b.Holder != other || b.Token != 2 {
		t.Fatalf("takeover after expiry = %+v %v %v, want %s with token 2", b, ok, err, other)
	}
	err = s.renewLease(ctx, LabelLease, a, time.Minute)
	if want := fmt.Sprintf("lost: now held by %s (token 2;", other); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(probity.ErrorMessage(err), want) {
		t.Fatalf("renewal after the loss = %v, want a conflict saying %q", err, want)
	}
	stranger := probity.Lease{Name: "x", Holder: other, Token: 1} // right holder, old token
	for _, l := range []probity.Lease{a, stranger} {
		if released, err := s.releaseLease(ctx, nil, LabelLease, l); released || err != nil {
			t.Fatalf("release by %+v = %v %v, want nothing done", l, released, err)
		}
	}
	if l, _ := s.LeaseOf(ctx, "x"); l.Holder != other || l.Token != 2 || !l.ExpiresAt.Equal(b.ExpiresAt) {
		t.Fatalf("lease after releases by non-holders = %+v, want %+v", l, b)
	}
	if err := s.renewLease(ctx, LabelLease, b, time.Hour); err != nil {
		t.Fatalf("holder's renewal: %v", err)
	}
	if l, _ := s.LeaseOf(ctx, "x"); !l.ExpiresAt.After(b.ExpiresAt.Add(50 * time.Minute)) {
		t.Fatalf("renewed lease expires at %v, want about an hour from now", l.ExpiresAt)
	}

	// Released, a Lease keeps its token: the next holder's is higher.
	if released, err := s.releaseLease(ctx, nil, LabelLease, b); !released || err != nil {
		t.Fatalf("release by the holder = %v %v", released, err)
	}
	if err := s.renewLease(ctx, LabelLease, b, time.Minute); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("renewal of a released lease = %v, want conflict", err)
	}
	c, ok, err := s.acquireLease(ctx, LabelLease, "x", "C", time.Minute, nil)
	if err != nil || !ok || c.Token != 3 {
		t.Fatalf("acquire after release = %+v %v %v, want token 3", c, ok, err)
	}

	// A takeover rule takes a live lease from the holder it names only.
	takeFrom := func(h string) func(neo4j.ManagedTransaction, probity.Lease, bool) (bool, error) {
		return func(_ neo4j.ManagedTransaction, cur probity.Lease, free bool) (bool, error) {
			return free || cur.Holder == h, nil
		}
	}
	if _, ok, _ := s.acquireLease(ctx, LabelLease, "x", "D", time.Minute, takeFrom("nobody")); ok {
		t.Fatal("the rule took a lease from a holder it does not name")
	}
	d, ok, err := s.acquireLease(ctx, LabelLease, "x", "D", time.Minute, takeFrom("C"))
	if err != nil || !ok || d.Token != 4 {
		t.Fatalf("takeover by rule = %+v %v %v, want token 4", d, ok, err)
	}

	// A LoadLock is gone once released.
	ll, ok, err := s.acquireLease(ctx, LabelLoadLock, "load", "E", time.Minute, nil)
	if err != nil || !ok {
		t.Fatalf("load lock = %v %v", ok, err)
	}
	if released, err := s.releaseLease(ctx, nil, LabelLoadLock, ll); !released || err != nil {
		t.Fatalf("load lock release = %v %v", released, err)
	}
	if n, _ := s.CountForTest(ctx, `MATCH (l:LoadLock) RETURN count(l)`); n != 0 {
		t.Fatalf("%d load locks after release, want 0", n)
	}
}
