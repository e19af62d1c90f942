package api_test

// mutW: integration tests (the test Neo4j) that kill A5 (schemaAhead true
// at the server's own version: every mutation refused) and A3 (a mutation
// refused for an outage not marking Neo4j down for the requests after).

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/internal/schedule"
)

// A server at the database's own schema version takes mutations.
func TestMutWMutationAtTheCurrentSchema(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	o := *h
	o.srv = httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.graph, Tokens: h.store, Audit: h.store,
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: h.key, SchemaVersion: graph.LatestSchemaVersion()}))
	t.Cleanup(o.srv.Close)
	if r := o.post(h.tokens[probity.RoleAnalyst], `mutation { saveChart(name: "current", document: "{}") { id } }`, nil); r.status != http.StatusOK || r.code() != "" {
		t.Fatalf("a mutation at the current schema: %d %+v", r.status, r.Errors)
	}
}

// downHealth is a health check that finds Neo4j unreachable.
type downHealth struct{}

func (downHealth) Health(context.Context) probity.Health      { return probity.Health{Error: "down"} }
func (downHealth) SchemaVersion(context.Context) (int, error) { return 0, errors.New("down") }

// After a mutation refused for an outage, the next request is answered
// "unavailable" at once, while the health check finds Neo4j gone.
func TestMutWOutageMarksDown(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	o := *h
	o.srv = httptest.NewServer(api.New(api.Options{Health: downHealth{}, Graph: h.graph, Tokens: h.store, Audit: headDown{h.store},
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: h.key}))
	t.Cleanup(o.srv.Close)
	an := h.tokens[probity.RoleAnalyst]
	if r := o.post(an, `mutation { saveChart(name: "x", document: "{}") { id } }`, nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("mutation during the outage: %d %+v", r.status, r.Errors)
	}
	if r := o.post(an, `{ me { name } }`, nil); r.status != http.StatusServiceUnavailable || len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "database is unavailable") {
		t.Fatalf("the request after: %d %+v, want 503 database unavailable", r.status, r.Errors)
	}
}
