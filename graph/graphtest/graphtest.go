// Package graphtest opens the real Neo4j server that integration tests run
// against. It never falls back to a fake: without a server, tests fail with
// the reason.
//
// Tests use their own server (scripts/test starts one on port 7688 with data
// in .data/neo4j-test), never the one in NEO4J_URI, because they delete data.
// PROBITY_TEST_NEO4J_URI and PROBITY_TEST_NEO4J_PASSWORD point elsewhere.
package graphtest

import (
	"context"
	"os"
	"sync"
	"testing"

	"probity/graph"
)

// DefaultURI is where scripts/test runs the test server.
const DefaultURI = "bolt://127.0.0.1:7688"

// Config returns the test server's connection settings.
func Config() graph.Config {
	c := graph.Config{URI: os.Getenv("PROBITY_TEST_NEO4J_URI"), Password: os.Getenv("PROBITY_TEST_NEO4J_PASSWORD")}
	if c.URI == "" {
		c.URI = DefaultURI
	}
	if c.Password == "" {
		c.Password = "probity-local"
	}
	return c
}

var once sync.Once

// Mark marks the test server's database as a test database again, for a
// test that replaced it whole (load --bulk's import), marker included.
func Mark(t testing.TB, s *graph.Store) {
	t.Helper()
	if err := s.MarkTestDatabase(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Open connects to the test server, applies the migrations and empties the
// database; the store is closed when the test ends. Tests that use it must
// not run in parallel with each other (go test -p 1 across packages).
func Open(t testing.TB) *graph.Store {
	t.Helper()
	ctx := context.Background()
	s, err := graph.Open(ctx, Config())
	if err != nil {
		t.Fatalf("integration test needs Neo4j (run scripts/test or make test): %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if err := s.DeleteAllData(ctx); err != nil { // first: it refuses a database that is no test's
		t.Fatalf("reset: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	once.Do(func() {
		h := s.Health(ctx)
		t.Logf("integration tests against Neo4j %s %s at %s (schema %d)", h.ServerVersion, h.Edition, s.URI(), h.SchemaVersion)
	})
	return s
}

// ForgetKeyFingerprint removes, when t ends, the pseudonym key's
// fingerprint a test recorded: left behind, a test key's fingerprint
// refused the next server on the test database (the UI's end-to-end run
// serves it with the database's own key).
func ForgetKeyFingerprint(t testing.TB, s *graph.Store) {
	t.Cleanup(func() {
		if err := s.RunForTest(context.Background(), `MATCH (k:Setting {id: 'pseudonymKeyFingerprint'}) DELETE k`); err != nil {
			t.Error(err)
		}
	})
}
