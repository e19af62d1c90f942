package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/graph/graphtest"
	"probity/ui"
)

func TestHealthzFollowsNeo4j(t *testing.T) {
	graphtest.Open(t) // migrated test database
	cfg := graphtest.Config()
	p := graphtest.NewProxy(t)
	cfg.URI = p.URI()
	cfg.Timeout = 3 * time.Second
	store, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	srv := httptest.NewServer(api.New(api.Options{Health: store, UI: ui.FS(), SchemaVersion: graph.LatestSchemaVersion()}))
	defer srv.Close()

	get := func() (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body
	}
	waitFor := func(want int) map[string]any {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, body := get()
			if code == want {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("healthz = %d %v, want %d", code, body, want)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}

	body := waitFor(http.StatusOK)
	neo := body["neo4j"].(map[string]any)
	if neo["reachable"] != true || !strings.HasPrefix(neo["version"].(string), "5.26") {
		t.Fatalf("healthy body = %v", body)
	}
	if body["schemaVersion"] != float64(graph.LatestSchemaVersion()) {
		t.Fatalf("schemaVersion = %v", body["schemaVersion"])
	}

	p.Down()
	body = waitFor(http.StatusServiceUnavailable)
	if !strings.Contains(body["reason"].(string), "cannot reach Neo4j at "+p.URI()) {
		t.Fatalf("reason = %q", body["reason"])
	}

	p.Up(t) // same address: the driver must reconnect by itself
	waitFor(http.StatusOK)
}

func TestUIServedAtRoot(t *testing.T) {
	srv := httptest.NewServer(api.New(api.Options{UI: ui.FS()}))
	defer srv.Close()
	for _, path := range []string{"/", "/flags/123"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "<title>Probity") {
			t.Fatalf("GET %s = %d %.80q", path, resp.StatusCode, b)
		}
	}
}

// serve sets the collector's target unless GOGC is set, which wins.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	if got := tuneGC(func(string) string { return "" }); got != serveGCPercent {
		t.Fatalf("without GOGC: %d, want %d", got, serveGCPercent)
	}
	if p := debug.SetGCPercent(77); p != serveGCPercent {
		t.Fatalf("the runtime's target is %d, want %d", p, serveGCPercent)
	}
	env := map[string]string{"GOGC": "77"}
	if got := tuneGC(func(k string) string { return env[k] }); got != 77 {
		t.Fatalf("with GOGC=77: %d, want 77 kept", got)
	}
	if p := debug.SetGCPercent(100); p != 77 {
		t.Fatalf("GOGC=77 was overridden: %d", p)
	}
}

// The audit collectors count the store's group-commit batches and the
// events they carried.
func TestAuditCollectors(t *testing.T) {
	s := graphtest.Open(t)
	reg := prometheus.NewRegistry()
	reg.MustRegister(auditCollectors(s)...)
	before := s.AuditStats()
	for i := range 3 {
		if _, err := s.AppendAudit(context.Background(), probity.AuditEvent{At: time.Now(), Actor: "t", Role: probity.RoleAnalyst,
			Operation: "node", EntityIDs: []string{fmt.Sprint("Officer:O", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	want := fmt.Sprintf(`
# HELP probity_audit_batches_total Audit group-commit transactions started by this process.
# TYPE probity_audit_batches_total counter
probity_audit_batches_total %d
# HELP probity_audit_events_total Audit events carried by those transactions.
# TYPE probity_audit_events_total counter
probity_audit_events_total %d
`, before.Batches+3, before.Events+3)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
}
