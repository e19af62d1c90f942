package api_test

// mutW finding (not a mutant): with Neo4j hung (connections open, no
// answer), a mutation waits for the health check behind schemaAhead (a
// Ping of up to 5 s) and then CheckAuditHead (5 s): about 10 s, where
// analystC M2 promised "within 5 s".

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/graph/graphtest"
	"probity/internal/schedule"
)

// freezer forwards TCP to the test Neo4j until frozen; then it forwards
// nothing and closes nothing: a Neo4j that hangs.
type freezer struct {
	ln     net.Listener
	frozen atomic.Bool
}

func newFreezer(t *testing.T, to string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if f.frozen.Load() {
				continue // accepted, never answered
			}
			s, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			pump := func(dst, src net.Conn) {
				buf := make([]byte, 32<<10)
				for {
					n, err := src.Read(buf)
					if err != nil {
						return
					}
					for f.frozen.Load() {
						time.Sleep(50 * time.Millisecond)
					}
					if _, err := dst.Write(buf[:n]); err != nil {
						return
					}
				}
			}
			go pump(s, c)
			go pump(c, s)
		}
	}()
	return f
}

func TestMutWMutationWhileNeo4jHangs(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	cfg := graphtest.Config()
	fz := newFreezer(t, strings.TrimPrefix(cfg.URI, "bolt://"))
	cfg.URI = "bolt://" + fz.ln.Addr().String()
	hung, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer hung.Close(context.Background())
	// this process wrote an event, so a mutation reads the head
	if _, err := hung.AppendAudit(context.Background(), probity.AuditEvent{At: time.Now().UTC(), Actor: "mutW", Role: probity.RoleAnalyst, Operation: "node", Purpose: "mutW"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Health: hung, Graph: h.graph, Tokens: h.store, Audit: hung,
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: h.key, SchemaVersion: graph.LatestSchemaVersion()}))
	defer srv.Close()
	o := *h
	o.srv = srv
	time.Sleep(1100 * time.Millisecond) // the health cache's second
	fz.frozen.Store(true)
	start := time.Now()
	r := o.post(h.tokens[probity.RoleAnalyst], `mutation { saveChart(name: "while it hangs", document: "{}") { id } }`, nil)
	took := time.Since(start)
	t.Logf("a mutation while Neo4j hangs: %d %+v after %v", r.status, r.Errors, took)
	if r.status != http.StatusServiceUnavailable || took > 6*time.Second {
		t.Errorf("a mutation while Neo4j hangs: %d after %v; want 503 within ~5 s (analystC M2)", r.status, took)
	}
	_ = io.Discard
}
