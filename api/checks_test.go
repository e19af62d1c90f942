package api_test

// Tests mutV wrote for what 657ea85^..c9ac0a5 left untested: the hiding
// from tokens tied to an officer, the keyed digest, the metrics gate. Each
// names the mutant it kills (mutV's report).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/internal/schedule"
)

// A superseded flag is hidden from a token tied to an officer when any flag
// of its pattern and officer is about that officer, even one off its chain
// ("the safe side", graph/queue.go flagHidden): flag(id) must refuse it as
// the queue leaves it out. mutV: kills A04 (flagFor asks FlagsShownTo about the
// successor, f.SupersededBy, instead of the flag itself).
func TestSupersededOffTheChainRefusedAsListed(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'})
		CREATE (:Flag {id: 'FLAG-case', pattern: 'co-accused-crew', officerId: 'O2', score: 0.6, status: 'in_review',
		  evidenceIds: ['O1', 'O2'], evidence: '{"nodes":[{"id":"O1","label":"Officer"},{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-01-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-a', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new', supersededBy: 'FLAG-b',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-02-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-b', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new',
		  evidenceIds: ['O2', 'O4'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-03-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2)`); err != nil {
		t.Fatal(err)
	}
	tied := h.token("tied-o1", probity.RoleReviewer, "O1")
	var d struct {
		Flags struct{ Nodes []struct{ ID string } }
	}
	h.ok(tied, `{ flags(filter: {changedSince: "2000-01-01"}) { nodes { id } } }`, nil, &d)
	for _, n := range d.Flags.Nodes {
		if n.ID == "FLAG-a" || n.ID == "FLAG-case" {
			t.Fatalf("the queue of O1's token lists %s", n.ID)
		}
	}
	if r := h.post(tied, `{ flag(id: "FLAG-a") { id supersededBy } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("O1's token reads FLAG-a, which its queue hides: %+v, want not_found", r.Errors)
	}
	if r := h.post(tied, `mutation { noteFlag(id: "FLAG-a", text: "x") { id } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("O1's token notes FLAG-a: %+v, want not_found", r.Errors)
	}
}

// A decision refused for a link to the flag's officers (recusal, not the
// caller's own flag) names the flag in its audit event. mutV: kills A12
// (recuseOrAcknowledge no longer calls req.saw).
func TestRecusalRefusalNamesTheFlag(t *testing.T) {
	h := scanned(t)
	linked := h.token("linked-o3", probity.RoleReviewer, "O3")
	var d struct {
		Flags struct {
			Nodes []struct {
				ID      string
				Recusal struct{ Required bool }
			}
		}
	}
	h.ok(linked, `{ flags(first: 200) { nodes { id recusal { required } } } }`, nil, &d)
	id := ""
	for _, f := range d.Flags.Nodes {
		if f.Recusal.Required {
			id = f.ID
			break
		}
	}
	if id == "" {
		t.Fatalf("no flag asks O3 to recuse: %+v", d.Flags.Nodes)
	}
	r := h.post(linked, `mutation($id: ID!) { reviewFlag(id: $id, decision: in_review, reason: "taking it") { id } }`, map[string]any{"id": id})
	if r.code() != probity.ECONFLICT {
		t.Fatalf("a linked reviewer's decision without acknowledging: %+v, want conflict", r.Errors)
	}
	if ev := h.lastAudit(); !contains(ev.EntityIDs, id) {
		t.Fatalf("the refused decision's audit event %+v does not name %s", ev, id)
	}
}

// The digest is keyed by the server's own key, not a constant anyone can
// compute: two servers with different pseudonym keys give the same request
// different digests, the same key the same. mutV: kills G01 (HMAC under a fixed
// key: a reader of the log tests guesses as with a plain SHA-256).
func TestDigestDependsOnTheKey(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	other := httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.graph, Tokens: h.store, Audit: h.store,
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: []byte("another-key-9876543210")}))
	defer other.Close()
	o := *h
	o.srv = other
	const q = `{ search(text: "Zzyzx Nobody") { id } }`
	var digests []string
	for _, hh := range []*harness{h, &o, h} {
		hh.ok(h.tokens[probity.RoleAnalyst], q, nil, &struct{}{}, api.PurposeHeader, "digest check")
		digests = append(digests, h.lastAudit().VariablesDigest)
	}
	if digests[0] != digests[2] || digests[0] == digests[1] {
		t.Fatalf("digests %v: want the same key's equal and another key's different", digests)
	}
}

// A mutation sent with variables (as the UI sends them) has its begin
// event's digest equal to its own event's: "the next event of this actor
// with this digest tells what it did". mutV: kills G03 (the begin event's digest
// left the variables out).
func TestBeginDigestWithVariables(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	admin := h.tokens[probity.RoleAdmin]
	before := len(h.audit())
	h.ok(admin, `mutation($id: ID!, $r: String!) { addSuppression(id: $id, reason: $r) { id } }`,
		map[string]any{"id": "Address:A1", "r": "the station's address"}, &struct{}{})
	evs := h.audit()[before:]
	if len(evs) != 2 || evs[0].Operation != "begin addSuppression" || evs[0].VariablesDigest != evs[1].VariablesDigest {
		t.Fatalf("events %+v: want begin addSuppression then addSuppression with one digest", evs)
	}
}

// failingTokens is a token store that cannot be asked.
type failingTokens struct{ api.TokenStore }

func (failingTokens) TokenByHash(context.Context, string) (probity.Token, error) {
	return probity.Token{}, errors.New("connection refused")
}

// The metrics gate: no token is a 401 with a Bearer challenge (what a
// scraper's operator reads), and a token store that cannot be asked is a
// 503 to retry, not a 500. mutV: kills S03 and S04. No Neo4j needed.
func TestMetricsGateChallengeAndUnavailable(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("probity_flags 1\n")) })
	scrape := strings.Repeat("s", 40)
	srv := httptest.NewServer(api.MetricsGate(failingTokens{}, metrics, scrape))
	defer srv.Close()
	get := func(token string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		c := &http.Client{Timeout: 10 * time.Second}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := get(""); res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer ") {
		t.Fatalf("no token: %d, WWW-Authenticate %q; want 401 with a Bearer challenge", res.StatusCode, res.Header.Get("WWW-Authenticate"))
	}
	if res := get("prb_whatever"); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("token store down: %d, want 503", res.StatusCode)
	}
	// the scrape secret (PROBITY_METRICS_TOKEN) reads the metrics with no
	// token store at all; one character off is a token to look up (opsX M4)
	if res := get(scrape); res.StatusCode != http.StatusOK {
		t.Fatalf("the scrape secret: %d, want 200", res.StatusCode)
	}
	if res := get(scrape[:39] + "t"); res.StatusCode == http.StatusOK {
		t.Fatal("a wrong scrape secret read the metrics")
	}
}

// Only the flags of the case's own pattern and officer are hidden: a
// superseded flag of another officer in that pattern, or of the same
// officer in another pattern, stays readable and listed for the tied
// token (else a tied reviewer loses its share of the queue, and what
// vanishes tells of the case more broadly). mutV: kills Q02 and Q03 (flagHidden
// matching other flags by officer alone, or by pattern alone).
func TestHidingStaysWithinPatternAndOfficer(t *testing.T) {
	h := newHarness(t, flagWorld(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'}), (o3:Officer {id: 'O3'})
		CREATE (:Flag {id: 'FLAG-case', pattern: 'co-accused-crew', officerId: 'O2', score: 0.6, status: 'in_review',
		  evidenceIds: ['O1', 'O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-01-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-o3-old', pattern: 'co-accused-crew', officerId: 'O3', score: 0.5, status: 'new', supersededBy: 'FLAG-o3-new',
		  evidenceIds: ['O3'], evidence: '{"nodes":[{"id":"O3","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-02-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o3),
		  (:Flag {id: 'FLAG-o3-new', pattern: 'co-accused-crew', officerId: 'O3', score: 0.5, status: 'new',
		  evidenceIds: ['O3'], evidence: '{"nodes":[{"id":"O3","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-03-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o3),
		  (:Flag {id: 'FLAG-o2p-old', pattern: 'access-for-gain', officerId: 'O2', score: 0.5, status: 'new', supersededBy: 'FLAG-o2p-new',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-02-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-o2p-new', pattern: 'access-for-gain', officerId: 'O2', score: 0.5, status: 'new',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-03-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2)`); err != nil {
		t.Fatal(err)
	}
	tied := h.token("tied-o1", probity.RoleReviewer, "O1")
	for _, id := range []string{"FLAG-o3-old", "FLAG-o2p-old"} {
		if r := h.post(tied, `query($id: ID!) { flag(id: $id) { id } }`, map[string]any{"id": id}); r.code() != "" {
			t.Fatalf("O1's token on %s (no case about O1 in its pattern and officer): %+v", id, r.Errors)
		}
	}
	var d struct {
		Flags struct{ Nodes []struct{ ID string } }
	}
	h.ok(tied, `{ flags(first: 200, filter: {changedSince: "2000-01-01"}) { nodes { id } } }`, nil, &d)
	seen := map[string]bool{}
	for _, n := range d.Flags.Nodes {
		seen[n.ID] = true
	}
	if !seen["FLAG-o3-old"] || !seen["FLAG-o2p-old"] || seen["FLAG-case"] {
		t.Fatalf("O1's token lists %v", d.Flags.Nodes)
	}
}

// stale reads a flag as it was before a scan superseded it: the decision
// that follows meets the supersession in the store (the race reviewI L2
// closed).
type stale struct {
	*graph.Store
	id string
}

func (s stale) Flag(ctx context.Context, id string) (probity.Flag, error) {
	f, err := s.Store.Flag(ctx, id)
	if id == s.id {
		f.SupersededBy = ""
	}
	return f, err
}

// A decision on a flag superseded, since the caller's read, by a case about
// the caller is refused without naming that case. mutV: kills F01 (the store's
// conflict names f.SupersededBy again).
func TestSupersededMeanwhileNotNamed(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'})
		CREATE (:Flag {id: 'FLAG-old', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new', supersededBy: 'FLAG-case',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-02-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-case', pattern: 'co-accused-crew', officerId: 'O2', score: 0.6, status: 'new',
		  evidenceIds: ['O1', 'O2'], evidence: '{"nodes":[{"id":"O1","label":"Officer"},{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-03-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2)`); err != nil {
		t.Fatal(err)
	}
	o := *h
	o.srv = httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.graph, Tokens: h.store, Audit: h.store,
		Flags: stale{Store: h.store, id: "FLAG-old"}, PseudonymKey: h.key}))
	defer o.srv.Close()
	tied := h.token("tied-o1", probity.RoleReviewer, "O1")
	r := o.post(tied, `mutation { reviewFlag(id: "FLAG-old", decision: in_review, reason: "taking it", acknowledgeLink: true) { id } }`, nil)
	if r.code() == "" || strings.Contains(fmt.Sprint(r.Errors), "FLAG-case") {
		t.Fatalf("a decision on a flag superseded meanwhile by the case about the caller: %+v, want refused without naming it", r.Errors)
	}
	if ev := h.lastAudit(); strings.Contains(ev.Purpose, "FLAG-case") {
		t.Fatalf("the caller's own audit event names the case: %+v", ev)
	}
}

// headDown is the store with Neo4j gone as a mutation checks the audit
// chain's head (CheckAuditHead's error for a lost connection or no answer
// within its time-out).
type headDown struct{ *graph.Store }

func (headDown) CheckAuditHead(context.Context) error {
	return fmt.Errorf("read the audit head: %w", probity.Errorf(probity.EUNAVAILABLE, "Neo4j is temporarily unavailable"))
}

// A mutation refused because Neo4j is gone says the database is
// unavailable, as the reads do, not that the audit log cannot be read,
// which reads as a broken chain (analystC M2); nothing is saved.
func TestMutationDuringAnOutageSaysUnavailable(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	o := *h
	o.srv = httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.graph, Tokens: h.store, Audit: headDown{h.store},
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: h.key}))
	t.Cleanup(o.srv.Close)
	r := o.post(h.tokens[probity.RoleAnalyst], `mutation { saveChart(name: "during the outage", document: "{}") { id } }`, nil)
	if r.status != http.StatusServiceUnavailable || r.code() != probity.EUNAVAILABLE || !strings.Contains(r.Errors[0].Message, "the database is unavailable") {
		t.Fatalf("a mutation during an outage: %d %+v", r.status, r.Errors)
	}
	if n, _ := h.store.CountForTest(context.Background(), `MATCH (c:SavedChart) RETURN count(c)`); n != 0 {
		t.Fatalf("%d charts saved during the outage", n)
	}
}

// A server whose database a newer binary migrated since it started
// refuses changes, as /healthz says 503 (opsX M6: a server left running
// through an upgrade kept writing in the old shape); reads still answer.
func TestMutationRefusedOnANewerSchema(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	o := *h
	o.srv = httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.graph, Tokens: h.store, Audit: h.store,
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: h.key, SchemaVersion: graph.LatestSchemaVersion() - 1}))
	t.Cleanup(o.srv.Close)
	r := o.post(h.tokens[probity.RoleAnalyst], `mutation { saveChart(name: "old binary", document: "{}") { id } }`, nil)
	if r.status != http.StatusServiceUnavailable || r.code() != probity.EUNAVAILABLE || !strings.Contains(r.Errors[0].Message, "ahead of this binary") {
		t.Fatalf("a mutation on a newer schema: %d %+v", r.status, r.Errors)
	}
	if r := o.post(h.tokens[probity.RoleAnalyst], `{ me { name } }`, nil); r.status != http.StatusOK || r.code() != "" {
		t.Fatalf("a read on a newer schema: %d %+v", r.status, r.Errors)
	}
}
