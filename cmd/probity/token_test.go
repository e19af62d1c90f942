package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"probity"
	"probity/api"
	"probity/graph/graphtest"
)

func TestTokenCommands(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	e, out, errb := testEnv()
	if err := run(ctx, []string{"token", "create", "--role", "reviewer", "--name", "ci"}, e); err != nil {
		t.Fatalf("create: %v %s", err, errb.String())
	}
	secret := strings.TrimSpace(out.String())
	if !strings.HasPrefix(secret, api.TokenPrefix) || len(secret) < 40 {
		t.Fatalf("secret = %q", secret)
	}
	tok, err := store.TokenByHash(ctx, api.HashToken(secret))
	if err != nil || tok.Name != "ci" || tok.Role != "reviewer" || strings.Contains(tok.Hash, secret) || tok.OfficerID != "" {
		t.Fatalf("stored token = %+v, %v", tok, err)
	}
	out.Reset()
	// the officer must exist (recusal reads it); a global id is taken too
	if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", "pc-o7", "--officer", "O7"}, e); exitCode(err) != 64 {
		t.Fatalf("create --officer of no officer: %v", err)
	}
	graphtest.Fixture(t, store, `(O7:Officer)`)
	if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", "pc-o7", "--officer", "Officer:O7"}, e); err != nil {
		t.Fatalf("create --officer: %v %s", err, errb.String())
	}
	if o7, err := store.TokenByHash(ctx, api.HashToken(strings.TrimSpace(out.String()))); err != nil || o7.OfficerID != "O7" {
		t.Fatalf("token with officer = %+v, %v", o7, err)
	}
	// its audit event names the officer, as createToken's does
	if evs, err := store.AuditEvents(ctx, probity.AuditFilter{First: 1000}); err != nil || len(evs) == 0 ||
		!strings.Contains(evs[len(evs)-1].Purpose, "pc-o7 (analyst)") || !slices.Contains(evs[len(evs)-1].EntityIDs, "Officer:O7") {
		t.Fatalf("audit of token create --officer: %+v, %v", evs, err)
	}
	out.Reset()
	srv := httptest.NewServer(api.New(api.Options{Graph: store, Tokens: store, Audit: store}))
	defer srv.Close()
	status := func() int {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := status(); s != 200 {
		t.Fatalf("fresh token: %d", s)
	}
	if err := run(ctx, []string{"token", "create", "--role", "boss", "--name", "x"}, e); exitCode(err) != 64 {
		t.Fatalf("bad role: %v", err)
	}
	if err := run(ctx, []string{"token", "create", "--role", "admin", "--name", "ci"}, e); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate name: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"token", "revoke", "ci"}, e); err != nil || !strings.Contains(out.String(), "revoked") {
		t.Fatalf("revoke: %v %s", err, out.String())
	}
	if s := status(); s != 401 {
		t.Fatalf("revoked token: %d, want 401", s)
	}
	evs, err := store.AuditEvents(ctx, probity.AuditFilter{First: 10})
	if err != nil || len(evs) < 2 || evs[0].Operation != "token create" || evs[len(evs)-1].Operation != "token revoke" ||
		!strings.HasPrefix(evs[0].Actor, "cli:") || !strings.Contains(evs[0].Purpose, "ci (reviewer)") || evs[len(evs)-1].Purpose != "ci (reviewer)" {
		t.Fatalf("token changes in the audit log: %+v, %v", evs, err)
	}
	out.Reset()
	if err := run(ctx, []string{"token", "list"}, e); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 3 || !strings.Contains(lines[1], "ci") ||
		!strings.Contains(lines[1], "reviewer") || strings.HasSuffix(lines[1], "-") || strings.Contains(out.String(), tok.Hash) || !strings.Contains(lines[2], "O7") {
		t.Fatalf("list = %q", out.String())
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, store, `(O1:Officer)`)
	secret, tok, _ := api.NewToken("a", "analyst")
	if err := store.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Graph: store, Tokens: store, Audit: store}))
	defer srv.Close()
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ node(id: \"Officer:O1\") { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("query: %v %v", res, err)
		}
		res.Body.Close()
	}
	e, out, _ := testEnv()
	if err := run(ctx, []string{"audit", "verify"}, e); err != nil || !strings.Contains(out.String(), "intact: 3 events") {
		t.Fatalf("verify: %v %q", err, out.String())
	}
	_, kept, _ := strings.Cut(out.String(), "verify --expect ")
	kept, _, _ = strings.Cut(kept, " ")
	if err := run(ctx, []string{"audit", "verify", "--expect", strings.ToUpper(kept)}, e); err != nil || !strings.HasPrefix(kept, "3:") {
		t.Fatalf("verify --expect %q (the head it printed, in capitals): %v", kept, err)
	}
	if err := run(ctx, []string{"audit", "verify", "--expect", "3:0abc"}, e); exitCode(err) != 2 || !strings.Contains(err.Error(), "rewritten") {
		t.Fatalf("verify --expect with another hash at seq 3: %v", err)
	}
	// tampering exits 2 (1 is a failure to check, such as Neo4j down)
	if err := store.RunForTest(ctx, `MATCH (e:AuditEvent {seq: 2}) SET e.entityIds = []`); err != nil {
		t.Fatal(err)
	}
	err := run(ctx, []string{"audit", "verify"}, e)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "audit-2 (seq 2)") {
		t.Fatalf("verify after tampering: %v", err)
	}
	// Deleting the newest event is caught by the chain head.
	if err := store.RunForTest(ctx, `MATCH (e:AuditEvent) WHERE e.seq >= 2 DETACH DELETE e`); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"audit", "verify"}, e); exitCode(err) != 2 || !strings.Contains(err.Error(), "removed") {
		t.Fatalf("verify after deleting the tail: %v", err)
	}
	// ... and with the head set back too, only the head kept outside tells
	if err := store.RunForTest(ctx, `MATCH (e:AuditEvent {seq: 1}), (h:AuditHead) SET h.seq = 1, h.hash = e.hash`); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"audit", "verify"}, e); err != nil {
		t.Fatalf("verify of a chain cut short with its head: %v (it cannot tell)", err)
	}
	if err := run(ctx, []string{"audit", "verify", "--expect", kept}, e); exitCode(err) != 2 || !strings.Contains(err.Error(), "does not reach the kept head") {
		t.Fatalf("verify --expect after the tail and head were cut: %v", err)
	}
}
