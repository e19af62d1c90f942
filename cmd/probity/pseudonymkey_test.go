package main

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/graph/graphtest"
)

// TestPseudonymKeyAgreed: every probity serve of a database uses the key
// whose fingerprint the first one recorded; another key is refused (two
// servers showed one officer under two pseudonyms, opsX L5) until an
// administrator adopts it, which is audited.
func TestPseudonymKeyAgreed(t *testing.T) {
	store := keyTestStore(t)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	keyA, keyB := "a-key-of-sixteen-or-more", "another-key-of-sixteen"
	fpA, fpB := api.KeyFingerprint([]byte(keyA)), api.KeyFingerprint([]byte(keyB))
	if fpA == fpB || len(fpA) != 16 || strings.Contains(fpA, keyA) {
		t.Fatalf("fingerprints %q and %q", fpA, fpB)
	}

	e, out, _ := testEnv()
	vars := e.getenv
	e.getenv = func(k string) string { return cmp.Or(withKey(keyB)(k), vars(k)) }
	if err := run(ctx, []string{"pseudonym-key", "show"}, e); err != nil || !strings.Contains(out.String(), fpB) || !strings.Contains(out.String(), "none yet") {
		t.Fatalf("show before any server: %v, %q", err, out)
	}
	if fp, err := store.RecordedPseudonymKeyFingerprint(ctx); err != nil || fp != "" {
		t.Fatalf("show recorded %q, %v; it only reads", fp, err)
	}

	if k, err := pseudonymKey(ctx, withKey(keyA), store, quiet); err != nil || string(k) != keyA {
		t.Fatalf("first server: %q, %v", k, err)
	}
	if _, err := pseudonymKey(ctx, withKey(keyA), store, quiet); err != nil {
		t.Fatalf("the same key again: %v", err)
	}
	for name, getenv := range map[string]func(string) string{"another key": withKey(keyB), "the database's key": withKey("")} {
		_, err := pseudonymKey(ctx, getenv, store, quiet)
		if err == nil || !strings.Contains(err.Error(), fpA) || !strings.Contains(err.Error(), "pseudonym-key adopt") {
			t.Errorf("%s: %v, want a refusal naming the recorded fingerprint and the way to change it", name, err)
		}
	}

	out.Reset()
	if err := run(ctx, []string{"pseudonym-key", "show"}, e); exitCode(err) != 2 || !strings.Contains(out.String(), fpA) || !strings.Contains(out.String(), fpB) {
		t.Fatalf("show with a key not the database's: %v (exit %d), %q", err, exitCode(err), out)
	}
	out.Reset()
	if err := run(ctx, []string{"pseudonym-key", "adopt"}, e); err != nil || !strings.Contains(out.String(), fpB) {
		t.Fatalf("adopt: %v, %q", err, out)
	}
	if _, err := pseudonymKey(ctx, withKey(keyB), store, quiet); err != nil {
		t.Fatalf("the adopted key: %v", err)
	}
	if _, err := pseudonymKey(ctx, withKey(keyA), store, quiet); err == nil {
		t.Fatal("the old key was still accepted after the adoption")
	}
	evs, err := store.AuditEvents(ctx, probity.AuditFilter{Operation: "pseudonym-key adopt", First: 10})
	if err != nil || len(evs) != 1 || evs[0].Actor != "cli:tester" || !strings.Contains(evs[0].Purpose, fpA+" replaced by "+fpB) {
		t.Fatalf("audit of the adoption: %+v, %v", evs, err)
	}
	out.Reset()
	if err := run(ctx, []string{"pseudonym-key", "adopt"}, e); err != nil || !strings.Contains(out.String(), "nothing to change") {
		t.Fatalf("adopt again: %v, %q", err, out)
	}
	if err := run(ctx, []string{"pseudonym-key", "rotate"}, e); exitCode(err) != 64 {
		t.Fatalf("pseudonym-key rotate: %v, want a usage error", err)
	}
}

// keyTestStore is the test database for a test that records pseudonym-key
// fingerprints, which it removes at the end (graphtest.ForgetKeyFingerprint).
func keyTestStore(t *testing.T) *graph.Store {
	store := graphtest.Open(t)
	graphtest.ForgetKeyFingerprint(t, store)
	return store
}

// withKey is an environment that holds PROBITY_PSEUDONYM_KEY=k alone.
func withKey(k string) func(string) string {
	return func(v string) string {
		if v == "PROBITY_PSEUDONYM_KEY" {
			return k
		}
		return ""
	}
}
