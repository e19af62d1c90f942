package graph

import (
	"context"
	"os"
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
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAllData(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// A write fenced by a lease commits while the token is current and is
// refused, writing nothing, once the lease has been taken over.
func TestCheckFence(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if err := s.CreateSchedule(ctx, probity.Schedule{Name: "job", Cron: "@daily", Enabled: true, NextRunAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	a, _, ok, err := s.AcquireLease(ctx, "job", "A", 50*time.Millisecond, false, time.Now())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	write := func(token int64, id string) error {
		return s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
			if err := checkFence(ctx, tx, "job", token); err != nil {
				return err
			}
			_, err := tx.Run(ctx, `CREATE (:Flag {id: $id})`, map[string]any{"id": id})
			return err
		})
	}
	if err := write(a.Token, "f1"); err != nil {
		t.Fatalf("fenced write with the current token: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, _, ok, _ := s.AcquireLease(ctx, "job", "B", time.Minute, false, time.Now()); !ok {
		t.Fatal("B could not take the expired lease")
	}
	if err := write(a.Token, "f2"); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("fenced write after takeover = %v, want conflict", err)
	}
	n, _ := s.CountForTest(ctx, `MATCH (f:Flag) RETURN count(f)`)
	if n != 1 {
		t.Fatalf("%d flags written, want 1", n)
	}
}
