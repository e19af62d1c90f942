package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/graph/graphtest"
	"probity/internal/schedule"
)

// world is the planted graph most tests use:
//   - O1 lives at A1 with the person of interest P1, accessed R1 (about P1)
//     and R2, holds AC1, which AC2 (held by P1) paid; named in complaint C1;
//     worked shift S1.
//   - O2 accessed R1 and lives at H1, a hub address with 25 residents; one
//     of them, P2, is family of P3, a person of interest.
func world() string {
	var b strings.Builder
	b.WriteString(`
(O1:Officer {name:'Alice Smith', unit:'U1', rank:'PC', role:'PC'})-[:LIVES_AT {from: date('2020-01-01')}]->(A1:Address {line:'1 High St', postcode:'AB1 2CD'})
(P1:Person {name:'Bob Jones', poi:true})-[:LIVES_AT {from: date('2021-01-01')}]->(A1)
(O2:Officer {name:'Carol White', unit:'U1'})
(O1)-[:ACCESSED {at: datetime('2024-03-01T10:00:00Z'), channel:'remote', system:'PNC'}]->(R1:Record {system:'PNC', kind:'person'})-[:ABOUT]->(P1)
(O1)-[:ACCESSED {at: datetime('2024-01-01T10:00:00Z'), channel:'onsite'}]->(R2:Record {system:'CRM'})
(O2)-[:ACCESSED {at: datetime('2024-02-01T10:00:00Z')}]->(R1)
(O1)-[:HOLDS]->(AC1:Account {bank:'North'})
(P1)-[:HOLDS]->(AC2:Account {bank:'South'})
(AC2)-[:PAID {id:'PAY1', amount: 500.0, currency:'GBP', at: datetime('2024-03-05T12:00:00Z')}]->(AC1)
(O1)-[:NAMED_IN {role:'accused'}]->(C1:Complaint {received: date('2024-02-15'), category:'conduct'})
(O1)-[:WORKED]->(S1:Shift {date: date('2024-03-01'), start: datetime('2024-03-01T08:00:00Z'), declaredLocation:'onsite'})
(O2)-[:LIVES_AT]->(H1:Address {postcode:'ZZ1 1ZZ'})
(P2:Person)-[:LIVES_AT]->(H1)
(P2)-[:RELATED_TO {type:'family', source:'register'}]->(P3:Person {poi:true})
`)
	for i := 0; i < 23; i++ {
		fmt.Fprintf(&b, "(N%d:Person)-[:LIVES_AT]->(H1)\n", i)
	}
	return b.String()
}

// counting wraps the real store and counts link queries.
type counting struct {
	*graph.Store
	links atomic.Int64
}

func (c *counting) Links(ctx context.Context, q probity.LinkQuery) (map[string][]probity.Link, error) {
	c.links.Add(1)
	return c.Store.Links(ctx, q)
}

type harness struct {
	t      testing.TB
	store  *graph.Store
	graph  *counting
	srv    *httptest.Server
	tokens map[probity.Role]string
	key    []byte
}

func newHarness(t *testing.T, fixture string, limits api.Limits) *harness {
	t.Helper()
	store := graphtest.Open(t)
	if fixture != "" {
		graphtest.Fixture(t, store, fixture)
	}
	h := &harness{t: t, store: store, graph: &counting{Store: store}, tokens: map[probity.Role]string{},
		key: []byte("test-pseudonym-key-0123456789")}
	h.srv = httptest.NewServer(api.New(api.Options{Health: store, Graph: h.graph, Tokens: store, Audit: store,
		Flags: store, Schedules: &schedule.Admin{Store: store}, PseudonymKey: h.key, Limits: limits}))
	t.Cleanup(h.srv.Close)
	for _, r := range probity.Roles {
		secret, tok, err := api.NewToken("test-"+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		tok.CreatedAt = time.Now()
		if err := store.CreateToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		h.tokens[r] = secret
	}
	return h
}

// newHarnessOn is a second server over h's store and tokens, with other
// limits.
func newHarnessOn(t *testing.T, h *harness, limits api.Limits) *harness {
	t.Helper()
	o := *h
	o.srv = httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.graph, Tokens: h.store, Audit: h.store,
		Flags: h.store, Schedules: &schedule.Admin{Store: h.store}, PseudonymKey: h.key, Limits: limits}))
	t.Cleanup(o.srv.Close)
	return &o
}

// A server whose audit head was rolled back under it (a backup restored)
// says it needs a restart, not "try again", which would never help.
func TestAuditRolledBackSaysRestart(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	an := h.tokens[probity.RoleAnalyst]
	for range 2 {
		h.ok(an, `{ node(id: "Officer:O1") { id } }`, nil, &struct{}{})
	}
	evs := h.audit()
	prev := evs[len(evs)-2]
	if err := h.store.RunForTestParams(context.Background(), `MATCH (e:AuditEvent) WHERE e.seq > $seq DETACH DELETE e
		WITH count(*) AS n MATCH (h:AuditHead) SET h.seq = $seq, h.hash = $hash`, map[string]any{"seq": prev.Seq, "hash": prev.Hash}); err != nil {
		t.Fatal(err)
	}
	// its health check says so at once, before any request fails: a
	// balancer stops sending it requests
	healthz := func(when string) {
		hr, err := http.Get(h.srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(hr.Body)
		hr.Body.Close()
		if hr.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "audit log changed") {
			t.Fatalf("healthz %s: %d %s", when, hr.StatusCode, body)
		}
	}
	healthz("after the audit head went back")
	// a mutation, the first request after it, is refused before it runs:
	// its change would be committed with no event to chain (opsV)
	r := h.post(an, `mutation { saveChart(name: "after restore", document: "{}") { id } }`, nil)
	if r.status != http.StatusServiceUnavailable || r.code() != probity.EUNAVAILABLE {
		t.Fatalf("mutation after the rollback: %d %+v, want 503", r.status, r.Errors)
	}
	if n, _ := h.store.CountForTest(context.Background(), `MATCH (c:SavedChart) RETURN count(c)`); n != 0 {
		t.Fatalf("the refused mutation saved %d charts", n)
	}
	r = h.post(an, `{ node(id: "Officer:O1") { id } }`, nil)
	if r.status != http.StatusServiceUnavailable || r.code() != probity.EUNAVAILABLE || !strings.Contains(r.Errors[0].Message, "restarts it") {
		t.Fatalf("rolled-back audit head: %d %+v", r.status, r.Errors)
	}
	time.Sleep(1100 * time.Millisecond) // past the health cache
	healthz("after a request was refused")
}

type gqlError struct {
	Message    string
	Path       []any
	Extensions struct{ Code string }
}

type response struct {
	status int
	ctype  string
	auth   string // WWW-Authenticate
	Data   json.RawMessage
	Errors []gqlError
}

// code returns the first error's code, "" without errors.
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

// post sends a GraphQL request as the holder of token.
func (h *harness) post(token, query string, vars map[string]any, header ...string) response {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return h.raw(http.MethodPost, "/graphql", token, bytes.NewReader(body), header...)
}

func (h *harness) raw(method, path, token string, body io.Reader, header ...string) response {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.srv.URL+path, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), auth: res.Header.Get("WWW-Authenticate")}
	if err := json.Unmarshal(b, &r); err != nil {
		h.t.Fatalf("%s %s: %d %q is not a GraphQL response", method, path, res.StatusCode, b)
	}
	return r
}

// ok sends a query that must succeed and decodes its data into v.
func (h *harness) ok(token, query string, vars map[string]any, v any, header ...string) {
	h.t.Helper()
	r := h.post(token, query, vars, header...)
	if r.status != 200 || len(r.Errors) > 0 {
		h.t.Fatalf("query failed: %d %+v\n%s", r.status, r.Errors, query)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) audit() []probity.AuditEvent {
	h.t.Helper()
	evs, err := h.store.AuditEvents(context.Background(), probity.AuditFilter{First: 1000})
	if err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func TestAuthRequired(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	for _, tc := range []struct{ name, token string }{{"none", ""}, {"unknown", "prb_nope"}} {
		r := h.post(tc.token, `{ me { name } }`, nil)
		if r.status != http.StatusUnauthorized || r.code() != probity.EUNAUTHORIZED || !strings.HasPrefix(r.auth, "Bearer ") {
			t.Errorf("%s token: %d %q (WWW-Authenticate %q), want 401 unauthorized with a Bearer challenge", tc.name, r.status, r.code(), r.auth)
		}
	}
	// the scheme is case-insensitive, as HTTP auth schemes are
	an := h.tokens[probity.RoleAnalyst]
	if r := h.post("", `{ me { name } }`, nil, "Authorization", "bearer "+an); r.status != http.StatusOK {
		t.Fatalf("lower-case bearer: %d %+v", r.status, r.Errors)
	}
	var created struct{ CreateToken struct{ Secret string } }
	h.ok(h.tokens[probity.RoleAdmin], `mutation { createToken(name: "temp", role: analyst) { secret token { name role revokedAt } } }`, nil, &created)
	var me struct{ Me struct{ Name, Role string } }
	h.ok(created.CreateToken.Secret, `{ me { name role } }`, nil, &me)
	if me.Me.Name != "temp" || me.Me.Role != "analyst" {
		t.Fatalf("me = %+v", me.Me)
	}
	h.ok(h.tokens[probity.RoleAdmin], `mutation { revokeToken(nameOrId: "temp") { revokedAt } }`, nil, &struct{}{})
	if r := h.post(created.CreateToken.Secret, `{ me { name } }`, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d, want 401", r.status)
	}
	for _, name := range []string{"test-admin", "TEST-Admin"} { // names that read alike in the audit log
		r := h.post(h.tokens[probity.RoleAdmin], `mutation($n: String!) { createToken(name: $n, role: admin) { secret } }`, map[string]any{"n": name})
		if r.code() != probity.ECONFLICT {
			t.Fatalf("duplicate token name %q: %+v, want conflict", name, r.Errors)
		}
	}
	// a mutation hidden behind a name only graphql-go reads whole runs as a
	// mutation here too: with a revoked token, refused before it runs (secF)
	disguised := `{"query": "query Xé { me { name } } mutation X { saveChart(name: \"hidden\", document: \"{}\") { id } }", "operationName": "X"}`
	if r := h.raw(http.MethodPost, "/graphql", created.CreateToken.Secret, strings.NewReader(disguised)); r.status != http.StatusUnauthorized {
		t.Fatalf("disguised mutation with a revoked token: %d %+v, want 401", r.status, r.Errors)
	}
	if n, _ := h.store.CountForTest(context.Background(), `MATCH (c:SavedChart {name: 'hidden'}) RETURN count(c)`); n != 0 {
		t.Fatalf("the revoked token's disguised mutation saved %d charts", n)
	}
	if r := h.raw(http.MethodGet, "/graphql?operationName=X&query="+url.QueryEscape(`query Xé { me { name } } mutation X { saveChart(name: "hidden", document: "{}") { id } }`), h.tokens[probity.RoleAdmin], nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("disguised mutation over GET: %d, want 405", r.status)
	}
	// an administrator who is an officer mints no token: a new one could
	// read the flags about them that their own hides (secD)
	officerAdmin := h.token("admin-officer", probity.RoleAdmin, "O1")
	if r := h.post(officerAdmin, `mutation { createToken(name: "clean", role: reviewer) { secret } }`, nil); r.code() != probity.EFORBIDDEN {
		t.Fatalf("an officer's admin token creates a token: %+v, want forbidden", r.Errors)
	}
	if ev := h.lastAudit(); ev.Actor != "admin-officer" || !strings.Contains(ev.Purpose, "failed createToken: forbidden") {
		t.Fatalf("the refused createToken's audit event: %+v", ev)
	}
	// nor does it change the lists that decide what is flagged: a
	// suppressed hub would clear the flag whose evidence runs through it (secG)
	for _, m := range []string{
		`addSuppression(id: "Address:A1", reason: "the station's address") { id }`,
		`watch(id: "Person:P1", reason: "high profile") { id }`,
		`unwatch(id: "Person:P1")`,
		`removeSuppression(id: "Address:A1")`,
	} {
		if r := h.post(officerAdmin, "mutation { "+m+" }", nil); r.code() != probity.EFORBIDDEN {
			t.Fatalf("%s by an officer's admin token: %+v, want forbidden", m, r.Errors)
		}
	}
	// a name is the actor of audit events: one printable line, never a
	// token id (revokeToken takes a name or an id)
	for _, name := range []string{"tok-af51bdcb7ec4", "cli:root", "two\nlines", " lead", "lead ", "team  lead", strings.Repeat("x", 65)} {
		r := h.post(h.tokens[probity.RoleAdmin], `mutation($n: String!) { createToken(name: $n, role: analyst) { secret } }`, map[string]any{"n": name})
		if r.code() != probity.EINVALID {
			t.Errorf("token name %q: %+v, want invalid", name, r.Errors)
		}
	}
}

func TestRoles(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	cases := []struct {
		query   string
		allowed probity.Role // weakest role allowed
	}{
		{`{ node(id: "Officer:O1") { id } }`, probity.RoleAnalyst},
		{`{ search(text: "AB1") { id } }`, probity.RoleAnalyst},
		{`{ neighbourhood(ids: ["Officer:O1"]) { truncated } }`, probity.RoleAnalyst},
		{`{ paths(from: "Officer:O1", to: "Person:P1") { truncated } }`, probity.RoleAnalyst},
		{`{ timeline(ids: ["Officer:O1"]) { truncated } }`, probity.RoleAnalyst},
		{`{ auditLog { nodes { id } } }`, probity.RoleReviewer},
		{`{ tokens { name } }`, probity.RoleAdmin},
		{`mutation { revokeToken(nameOrId: "nobody") { name } }`, probity.RoleAdmin},
		// admin mutations: a weaker role that could mint a token or edit the lists would be an escalation (mutQ)
		{`mutation { createToken(name: "made-in-role-test", role: admin) { secret } }`, probity.RoleAdmin},
		{`mutation { addSuppression(id: "Address:H1", reason: "a test of the roles") { id } }`, probity.RoleAdmin},
		{`mutation { watch(id: "Record:R1", reason: "a test of the roles") { id } }`, probity.RoleAdmin},
		{`mutation { addSchedule(name: "role-test", cron: "@daily") { name } }`, probity.RoleAdmin},
		{`mutation { updateSchedule(name: "role-test", cron: "@hourly") { name } }`, probity.RoleAdmin},
		{`mutation { setThreshold(pattern: "collusion-ring", name: "days", value: "8", reason: "a test of the roles") { value } }`, probity.RoleAdmin},
	}
	for _, c := range cases {
		for _, role := range probity.Roles {
			r := h.post(h.tokens[role], c.query, nil)
			want := ""
			if !role.Allows(c.allowed) {
				want = probity.EFORBIDDEN
			} else if strings.Contains(c.query, "nobody") {
				want = probity.ENOTFOUND
			}
			if r.code() != want {
				t.Errorf("%s as %s: code %q (%v), want %q", c.query, role, r.code(), r.Errors, want)
			}
			// a refused attempt is audited, query or mutation: who tried what
			if ev := h.audit(); want == probity.EFORBIDDEN && (len(ev) == 0 || ev[len(ev)-1].Actor != "test-"+string(role) ||
				!strings.Contains(ev[len(ev)-1].Purpose, ": forbidden")) {
				t.Errorf("%s refused to %s: the last audit event is not the attempt: %+v", c.query, role, ev[len(ev)-1:])
			}
		}
	}
	// a refused field is named as it is, whatever alias the caller gave it
	h.post(h.tokens[probity.RoleAnalyst], `mutation { saveChart: revokeToken(nameOrId: "nobody") { name } }`, nil)
	if ev := h.lastAudit(); ev.Operation != "revokeToken" || !strings.Contains(ev.Purpose, "failed revokeToken: forbidden") || strings.Contains(ev.Purpose, "saveChart") {
		t.Errorf("an aliased refused mutation in the audit log: %+v", ev)
	}
}

func TestEntityLinksPseudonymsAndAudit(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	var d struct {
		Node struct {
			ID, Key, Type, DisplayName string
			Rank                       *string
			Accesses                   struct {
				Edges []struct {
					At, Channel *string
					Record      struct {
						Key      string
						Subjects struct {
							Nodes []struct{ ID, DisplayName string }
						}
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
			Complaints struct {
				Edges []struct {
					Role      *string
					Complaint struct{ Key string }
				}
			}
		}
	}
	q := `query($after: String) { node(id: "Officer:O1") { id key type displayName ... on Officer { rank
		accesses(first: 1, after: $after) { edges { at channel record { key subjects { nodes { id displayName } } } } pageInfo { hasNextPage endCursor } }
		complaints { edges { role complaint { key } } } } } }`
	h.ok(h.tokens[probity.RoleAnalyst], q, nil, &d, api.PurposeHeader, "case 42 triage")
	n := d.Node
	if n.ID != "Officer:O1" || n.Key != "O1" || n.Type != "Officer" || *n.Rank != "PC" {
		t.Fatalf("node = %+v", n)
	}
	if want := api.Pseudonym(h.key, "Officer", "O1"); n.DisplayName != want || strings.Contains(n.DisplayName, "Alice") {
		t.Fatalf("displayName = %q, want pseudonym %q", n.DisplayName, want)
	}
	if len(n.Accesses.Edges) != 1 || *n.Accesses.Edges[0].At != "2024-03-01T10:00:00Z" || n.Accesses.Edges[0].Record.Key != "R1" {
		t.Fatalf("first page of accesses (newest first) = %+v", n.Accesses)
	}
	subj := n.Accesses.Edges[0].Record.Subjects.Nodes
	if len(subj) != 1 || subj[0].ID != "Person:P1" || subj[0].DisplayName != api.Pseudonym(h.key, "Person", "P1") {
		t.Fatalf("record subjects = %+v", subj)
	}
	if !n.Accesses.PageInfo.HasNextPage || len(n.Complaints.Edges) != 1 || *n.Complaints.Edges[0].Role != "accused" {
		t.Fatalf("pageInfo %+v complaints %+v", n.Accesses.PageInfo, n.Complaints)
	}
	h.ok(h.tokens[probity.RoleAnalyst], q, map[string]any{"after": n.Accesses.PageInfo.EndCursor}, &d)
	if len(d.Node.Accesses.Edges) != 1 || d.Node.Accesses.Edges[0].Record.Key != "R2" || d.Node.Accesses.PageInfo.HasNextPage {
		t.Fatalf("second page = %+v", d.Node.Accesses)
	}

	evs := h.audit()
	if len(evs) != 2 {
		t.Fatalf("audit events = %d, want 2", len(evs))
	}
	e := evs[0]
	sort.Strings(e.EntityIDs)
	if e.Actor != "test-analyst" || e.Role != probity.RoleAnalyst || e.Operation != "node" || e.Purpose != "case 42 triage" ||
		strings.Join(e.EntityIDs, ",") != "Complaint:C1,Officer:O1,Person:P1,Record:R1" || len(e.Revealed) != 0 {
		t.Fatalf("audit event = %+v", e)
	}
	if e.VariablesDigest == evs[1].VariablesDigest {
		t.Fatalf("different variables, same digest %s", e.VariablesDigest)
	}
	// what is written inline is in the digest too: two searches that find
	// nothing differ only by their text
	var digests []string
	for _, text := range []string{"Zzyzx Nobody", "Someone Else", "Zzyzx Nobody"} {
		var sd struct{ Search []struct{ ID string } }
		h.ok(h.tokens[probity.RoleAnalyst], `{ search(text: "`+text+`") { id } }`, nil, &sd, api.PurposeHeader, "digest check")
		evs := h.audit()
		digests = append(digests, evs[len(evs)-1].VariablesDigest)
	}
	if digests[0] == digests[1] || digests[0] != digests[2] {
		t.Fatalf("inline search texts: digests %v, want the first and last equal and the middle different", digests)
	}
	// keyed: a reader of the log cannot test a guess of what was asked by
	// hashing it (secM L3)
	guess, _ := json.Marshal(map[string]any{"operationName": "", "query": `{ search(text: "Zzyzx Nobody") { id } }`, "variables": map[string]any{}})
	if sum := sha256.Sum256(guess); hex.EncodeToString(sum[:]) == digests[0] {
		t.Fatalf("the digest of a search is the plain SHA-256 of the request: a guess can be tested")
	}
	// nor by sending the guess with another token and comparing (secN M2)
	var sd struct{ Search []struct{ ID string } }
	h.ok(h.tokens[probity.RoleReviewer], `{ search(text: "Zzyzx Nobody") { id } }`, nil, &sd, api.PurposeHeader, "digest check")
	if evs := h.audit(); evs[len(evs)-1].VariablesDigest == digests[0] {
		t.Fatalf("the same request from another token has the same digest: a colleague's request can be tested by sending it")
	}
}

// TestRecordExportIsAudited: a chart export is an audited read of what the
// chart holds, with its format and purpose; bad formats, bad ids and too
// many ids are refused with nothing written.
// Nodes say why the last scan made them hubs (a shared address; an
// account on the hub list), so that a chart marks them on sight.
func TestHubReasonOnNodes(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	ctx := context.Background()
	if _, err := h.store.AddSuppression(ctx, "AC1", "the payroll account", "test-admin"); err != nil {
		t.Fatal(err)
	}
	if err := h.store.MarkHubs(ctx, probity.HubDegree); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Neighbourhood struct {
			Nodes []struct {
				ID        string
				HubReason *string
			}
		}
		Node struct{ HubReason *string }
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ neighbourhood(ids: ["Officer:O2"], depth: 1) { nodes { id hubReason } } node(id: "Account:AC1") { hubReason } }`, nil, &d)
	got := map[string]string{}
	for _, n := range d.Neighbourhood.Nodes {
		if n.HubReason != nil {
			got[n.ID] = *n.HubReason
		}
	}
	if len(got) != 1 || got["Address:H1"] != "degree" {
		t.Fatalf("hub reasons around O2: %v, want Address:H1 degree only", got)
	}
	if d.Node.HubReason == nil || *d.Node.HubReason != "suppressed: the payroll account" {
		t.Fatalf("AC1's hub reason: %v", d.Node.HubReason)
	}
}

func TestRecordExportIsAudited(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	an := h.tokens[probity.RoleAnalyst]
	before := len(h.audit())
	for _, c := range []struct {
		q    string
		code string
	}{
		{`mutation { recordExport(format: "pdf", ids: ["Person:P1"]) }`, probity.EINVALID},
		{`mutation { recordExport(format: "png", ids: ["P1"]) }`, probity.EINVALID},
		{`mutation { recordExport(format: "png", ids: [` + strings.Repeat(`"Person:P1",`, 2001) + `]) }`, probity.ELIMIT},
		{`mutation { recordExport(format: "png", ids: ["Person:P1"]) }`, probity.EINVALID}, // no purpose
		{`mutation { recordExport(format: "png", ids: ["Person:P1"], revealed: ["Officer:O1"]) }`, probity.EINVALID},
	} {
		if r := h.post(an, c.q, nil); r.code() != c.code {
			t.Fatalf("%.60s: %+v, want %s", c.q, r.Errors, c.code)
		}
	}
	// each wrote only the event that it began (a mutation's, before it runs), naming no entity
	for _, e := range h.audit()[before:] {
		if e.Operation != "begin recordExport" || len(e.EntityIDs) > 0 {
			t.Fatalf("a refused export wrote %+v", e)
		}
	}
	if n := len(h.audit()) - before; n != 5 {
		t.Fatalf("refused exports wrote %d audit events, want the 5 that they began", n)
	}
	var d struct{ RecordExport bool }
	h.ok(an, `mutation { recordExport(format: "graphml", ids: ["Officer:O1", "Person:P1"]) }`, nil, &d, api.PurposeHeader, "case file 12")
	evs := h.audit()
	last := evs[len(evs)-1]
	if !d.RecordExport || last.Operation != "recordExport" || strings.Join(last.EntityIDs, ",") != "Officer:O1,Person:P1" ||
		!strings.Contains(last.Purpose, "case file 12") || !strings.Contains(last.Purpose, "export graphml") {
		t.Fatalf("export event = %+v (returned %v)", last, d.RecordExport)
	}
	if len(last.Revealed) != 0 {
		t.Fatalf("an export without real names marked %v revealed", last.Revealed)
	}
	// A chart whose names were revealed carries them into the file: the
	// event says which real names left.
	h.ok(an, `mutation { recordExport(format: "json", ids: ["Officer:O1", "Person:P1"], revealed: ["Person:P1"]) }`, nil, &d, api.PurposeHeader, "case file 12")
	evs = h.audit()
	last = evs[len(evs)-1]
	if strings.Join(last.Revealed, ",") != "Person:P1" || !strings.Contains(last.Purpose, "export json with 1 real names") {
		t.Fatalf("export with names: event = %+v", last)
	}
}

func TestRevealIsAuditedWithPurpose(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	r := h.post(h.tokens[probity.RoleAnalyst], `{ node(id: "Person:P1") { ... on Person { name(purpose: " ") } } }`, nil)
	if r.code() != probity.EINVALID {
		t.Fatalf("reveal without purpose: %+v, want invalid", r.Errors)
	}
	var d struct{ Node struct{ Name string } }
	h.ok(h.tokens[probity.RoleAnalyst], `{ node(id: "Person:P1") { ... on Person { name(purpose: "referral 7") } } }`, nil, &d)
	if d.Node.Name != "Bob Jones" {
		t.Fatalf("name = %q", d.Node.Name)
	}
	evs := h.audit()
	last := evs[len(evs)-1]
	if strings.Join(last.Revealed, ",") != "Person:P1" || !strings.Contains(last.Purpose, "referral 7") {
		t.Fatalf("reveal event = %+v", last)
	}
	// A company's name is not personal data: no purpose needed.
	graphtest.Fixture(t, h.store, `(CO1:Company {name:'Acme Ltd'})`)
	var c struct {
		Node struct{ Name, DisplayName string }
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ node(id: "Company:CO1") { displayName ... on Company { name } } }`, nil, &c)
	if c.Node.Name != "Acme Ltd" || c.Node.DisplayName != "Acme Ltd" {
		t.Fatalf("company = %+v", c.Node)
	}
}

func TestLinksAreBatched(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	var d struct {
		Nodes []struct {
			Accesses struct {
				Edges []struct{ Record struct{ Key string } }
			}
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ nodes(ids: ["Officer:O1", "Officer:O2", "Person:P1", "Officer:NOPE"]) {
		... on Officer { accesses { edges { record { key } } } } } }`, nil, &d)
	if got := h.graph.links.Load(); got != 1 {
		t.Fatalf("link queries = %d for two officers, want 1", got)
	}
	if len(d.Nodes) != 4 || len(d.Nodes[0].Accesses.Edges) != 2 || len(d.Nodes[1].Accesses.Edges) != 1 || d.Nodes[3].Accesses.Edges != nil {
		t.Fatalf("nodes = %+v", d.Nodes)
	}
}

func TestSearch(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	for _, c := range []struct {
		text, types, want string
	}{
		{"AB1 2CD", "", "Address:A1"},
		{"bob", "", "Person:P1"},
		{"O1", "[Officer]", "Officer:O1"},
		{"ZZ1", "[Address]", "Address:H1"},
		{"bob", "[Officer]", ""},
	} {
		q := `query($t: String!) { search(text: $t` + map[bool]string{true: ", types: " + c.types, false: ""}[c.types != ""] + `) { id } }`
		var d struct{ Search []struct{ ID string } }
		h.ok(h.tokens[probity.RoleAnalyst], q, map[string]any{"t": c.text}, &d, api.PurposeHeader, "case 7")
		got := ""
		if len(d.Search) > 0 {
			got = d.Search[0].ID
		}
		if got != c.want {
			t.Errorf("search %q %s: first = %q (%v), want %q", c.text, c.types, got, d.Search, c.want)
		}
	}
	// A match on a person's or an officer's name tells who the pseudonym
	// is: it is audited as a reveal with the purpose; without a purpose no
	// name is searched at all, so the answer is the same whatever the name
	// (letter by letter, a refusal on a name match told the name: secC).
	var d struct{ Search []struct{ ID string } }
	for _, text := range []string{"Alice Sm", "O1 al", "O1 zz", "O a", "bob"} {
		h.ok(h.tokens[probity.RoleAnalyst], `query($t: String!) { search(text: $t) { id } }`, map[string]any{"t": text}, &d)
		if evs := h.audit(); len(d.Search) != 0 || len(evs[len(evs)-1].Revealed) != 0 {
			t.Fatalf("search %q without a purpose: %v, audit %+v; want nothing found by a name", text, d.Search, evs[len(evs)-1])
		}
	}
	// an address, or a company's name, is no one's name: found without a purpose
	h.ok(h.tokens[probity.RoleAnalyst], `{ search(text: "AB1 2CD") { id } }`, nil, &d)
	if len(d.Search) == 0 || d.Search[0].ID != "Address:A1" {
		t.Fatalf("an address without a purpose: %v", d.Search)
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ search(text: "Alice Sm") { id } }`, nil, &d, api.PurposeHeader, "case 7")
	evs := h.audit()
	if e := evs[len(evs)-1]; len(d.Search) != 1 || !contains(e.Revealed, "Officer:O1") || !strings.Contains(e.Purpose, "search by name: case 7") {
		t.Fatalf("search by name: %+v, audit %+v", d.Search, e)
	}
	// an id or an address is no name: no reveal
	h.ok(h.tokens[probity.RoleAnalyst], `{ search(text: "O1") { id } }`, nil, &d)
	if evs := h.audit(); len(evs[len(evs)-1].Revealed) != 0 {
		t.Fatalf("search by id audited as a reveal: %+v", evs[len(evs)-1])
	}
	// an id pinned beside part of a name still tests the name: with a
	// purpose, a reveal
	h.ok(h.tokens[probity.RoleAnalyst], `{ search(text: "O1 al", types: [Officer]) { id } }`, nil, &d, api.PurposeHeader, "case 7")
	if evs := h.audit(); len(d.Search) != 1 || !contains(evs[len(evs)-1].Revealed, "Officer:O1") {
		t.Fatalf("an id and a name's start with a purpose: %v, audit %+v", d.Search, evs[len(evs)-1])
	}
}

type subgraphData struct {
	Nodes     []struct{ ID string }
	Edges     []struct{ ID, Type, From, To string }
	Truncated bool
	Reasons   []string
	Hubs      []string
}

func (g subgraphData) has(id string) bool {
	for _, n := range g.Nodes {
		if n.ID == id {
			return true
		}
	}
	return false
}

func TestNeighbourhoodStopsAtHubs(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	var d struct{ Neighbourhood subgraphData }
	h.ok(h.tokens[probity.RoleAnalyst], `{ neighbourhood(ids: ["Officer:O2"], depth: 3, relTypes: [LIVES_AT, RELATED_TO]) {
		nodes { id } edges { id type from to } truncated reasons hubs } }`, nil, &d)
	g := d.Neighbourhood
	if !g.has("Address:H1") || g.has("Person:P2") || g.has("Person:P3") || len(g.Nodes) != 2 {
		t.Fatalf("nodes = %v: want O2 and the hub H1 only", g.Nodes)
	}
	if !g.Truncated || strings.Join(g.Hubs, ",") != "Address:H1" || strings.Join(g.Reasons, ",") != "hub:Address:H1" {
		t.Fatalf("truncated %v reasons %v hubs %v", g.Truncated, g.Reasons, g.Hubs)
	}
	if len(g.Edges) != 1 || g.Edges[0].From != "Officer:O2" || g.Edges[0].To != "Address:H1" || g.Edges[0].Type != "LIVES_AT" {
		t.Fatalf("edges = %+v", g.Edges)
	}
	// A hub given as a seed is expanded, but the node limit cuts it.
	h.ok(h.tokens[probity.RoleAnalyst], `{ neighbourhood(ids: ["Address:H1"], limit: 10) { nodes { id } edges { id } truncated reasons hubs } }`, nil, &d)
	if len(d.Neighbourhood.Nodes) != 10 || strings.Join(d.Neighbourhood.Reasons, ",") != "node_limit" {
		t.Fatalf("hub seed: %d nodes, reasons %v", len(d.Neighbourhood.Nodes), d.Neighbourhood.Reasons)
	}
	// asOf drops links not yet in force: P1 moved to A1 in 2021.
	h.ok(h.tokens[probity.RoleAnalyst], `{ neighbourhood(ids: ["Address:A1"], asOf: "2020-06-01") { nodes { id } edges { id } truncated reasons hubs } }`, nil, &d)
	if !d.Neighbourhood.has("Officer:O1") || d.Neighbourhood.has("Person:P1") {
		t.Fatalf("asOf 2020: nodes %v", d.Neighbourhood.Nodes)
	}
}

func TestPathsAvoidHubs(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	type pathsData struct {
		Paths struct {
			Paths []struct {
				NodeIds []string
				Length  int
			}
			Hubs  []string
			Edges []struct{ ID string }
		}
	}
	q := `query($from: ID!, $to: ID!, $through: Boolean!, $rels: [RelType!]) { paths(from: $from, to: $to, throughHubs: $through, relTypes: $rels) {
		paths { nodeIds length } hubs edges { id } } }`
	var d pathsData
	h.ok(h.tokens[probity.RoleAnalyst], q, map[string]any{"from": "Officer:O2", "to": "Person:P3", "through": false}, &d)
	if len(d.Paths.Paths) != 0 || strings.Join(d.Paths.Hubs, ",") != "Address:H1" {
		t.Fatalf("O2→P3 avoiding hubs: %+v, want no path and hub H1", d.Paths)
	}
	if evs := h.audit(); !contains(evs[len(evs)-1].EntityIDs, "Address:H1") {
		t.Fatalf("the hub returned is not in the audit event: %+v", evs[len(evs)-1])
	}
	h.ok(h.tokens[probity.RoleAnalyst], q, map[string]any{"from": "Officer:O2", "to": "Person:P3", "through": true}, &d)
	if len(d.Paths.Paths) != 1 || strings.Join(d.Paths.Paths[0].NodeIds, ",") != "Officer:O2,Address:H1,Person:P2,Person:P3" {
		t.Fatalf("O2→P3 through hubs: %+v", d.Paths)
	}
	h.ok(h.tokens[probity.RoleAnalyst], q, map[string]any{"from": "Officer:O1", "to": "Person:P1", "through": false}, &d)
	var got []string
	for _, p := range d.Paths.Paths {
		got = append(got, strings.Join(p.NodeIds, ","))
		if p.Length != 2 {
			t.Fatalf("path %v length %d, want 2 (shortest only)", p.NodeIds, p.Length)
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "Officer:O1,Address:A1,Person:P1 Officer:O1,Record:R1,Person:P1" {
		t.Fatalf("O1→P1 shortest paths = %v", got)
	}
	h.ok(h.tokens[probity.RoleAnalyst], q, map[string]any{"from": "Officer:O1", "to": "Person:P1", "through": false, "rels": []string{"HOLDS", "PAID"}}, &d)
	if len(d.Paths.Paths) != 1 || strings.Join(d.Paths.Paths[0].NodeIds, ",") != "Officer:O1,Account:AC1,Account:AC2,Person:P1" {
		t.Fatalf("money path = %+v", d.Paths)
	}
}

func TestTimelineOrder(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	var d struct {
		Timeline struct {
			Events []struct {
				At, Kind string
				Subject  struct{ ID string }
				Other    *struct{ ID string }
			}
			Truncated bool
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ timeline(ids: ["Officer:O1"]) { events { at kind subject { id } other { id } } truncated } }`, nil, &d)
	var got []string
	for _, e := range d.Timeline.Events {
		s := e.Kind + "@" + e.At[:10]
		if e.Other != nil {
			s += ":" + e.Other.ID
		}
		got = append(got, s)
	}
	want := "access@2024-01-01:Record:R2 complaint@2024-02-15:Complaint:C1 shift@2024-03-01 access@2024-03-01:Record:R1 payment@2024-03-05:Account:AC2"
	if strings.Join(got, " ") != want {
		t.Fatalf("timeline = %v\nwant       %v", got, want)
	}
	// Who looked the person up, and their money.
	var p struct {
		Timeline struct {
			Events []struct {
				Kind    string
				Other   struct{ ID string }
				Details []struct{ Name, Value string }
			}
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ timeline(ids: ["Person:P1"]) { events { kind other { id } details { name value } } } }`, nil, &p)
	got = nil
	for _, e := range p.Timeline.Events {
		via := ""
		for _, d := range e.Details {
			if d.Name == "via" {
				via = d.Value
			}
		}
		got = append(got, e.Kind+":"+e.Other.ID+"/"+via)
	}
	if want := "lookup:Officer:O2/R1 lookup:Officer:O1/R1 payment:Account:AC1/AC2"; strings.Join(got, " ") != want {
		t.Fatalf("person timeline = %v, want %s", got, want)
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ timeline(ids: ["Officer:O1"], from: "2024-02-01", to: "2024-03-01T09:00:00Z", first: 1) { events { at kind subject { id } other { id } } truncated } }`, nil, &d)
	if len(d.Timeline.Events) != 1 || d.Timeline.Events[0].Kind != "complaint" || !d.Timeline.Truncated {
		t.Fatalf("window, first 1: %+v", d.Timeline)
	}
	// Bounds at the very instant of an event (O1's look-up at 10:00): from
	// takes it in, to leaves it out, in the timeline and in link fields.
	bound := "2024-03-01T10:00:00Z"
	kinds := func(from, to string) string {
		h.ok(h.tokens[probity.RoleAnalyst], `query($from: String, $to: String) { timeline(ids: ["Officer:O1"], from: $from, to: $to) { events { kind } } }`,
			map[string]any{"from": from, "to": to}, &d)
		var k []string
		for _, e := range d.Timeline.Events {
			k = append(k, e.Kind)
		}
		return strings.Join(k, " ")
	}
	if got := kinds(bound, "2024-03-02"); got != "access" {
		t.Errorf("timeline from %s: %q, want the access", bound, got)
	}
	if got := kinds("2024-03-01", bound); strings.Contains(got, "access") {
		t.Errorf("timeline to %s: %q, want no access", bound, got)
	}
	var acc struct {
		Node struct {
			From, To struct{ Edges []struct{ At string } }
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `query($at: String) { node(id: "Officer:O1") { ... on Officer { from: accesses(from: $at) { edges { at } } to: accesses(to: $at) { edges { at } } } } }`,
		map[string]any{"at": bound}, &acc)
	if len(acc.Node.From.Edges) != 1 || !strings.HasPrefix(acc.Node.From.Edges[0].At, "2024-03-01T10:00") || len(acc.Node.To.Edges) != 1 || !strings.HasPrefix(acc.Node.To.Edges[0].At, "2024-01-01") {
		t.Errorf("accesses from / to %s: %+v", bound, acc.Node)
	}
}

// TestLinkedItemsBudget: link fields nested in link fields multiply their
// pages; past Limits.MaxLinked items in one request the next link field
// fails with limit instead of asking Neo4j.
func TestLinkedItemsBudget(t *testing.T) {
	h := newHarness(t, world(), api.Limits{MaxLinked: 2})
	tok := h.tokens[probity.RoleAnalyst]
	one := `{ node(id: "Officer:O1") { ... on Officer { accesses(first: 2) { edges { at } } } } }`
	if r := h.post(tok, one, nil); r.code() != "" {
		t.Fatalf("2 linked items with a budget of 2: %+v", r.Errors)
	}
	nested := `{ node(id: "Officer:O1") { ... on Officer { accesses(first: 2) { edges { record { subjects { nodes { id } } } } } } } }`
	if r := h.post(tok, nested, nil); r.code() != probity.ELIMIT || !strings.Contains(r.Errors[0].Message, "more than 2 items") {
		t.Fatalf("nested link fields past the budget: %+v, want limit", r.Errors)
	}
}

func TestLimitsAndBadInput(t *testing.T) {
	h := newHarness(t, world(), api.Limits{MaxBodyBytes: 64 << 10})
	tok := h.tokens[probity.RoleAnalyst]
	// 16 levels of fields: deeper than the 15 allowed.
	deep := `{ node(id: "Officer:O1") { ... on Officer { accesses { edges { id: at } } relations { edges { party { ... on Person {` +
		strings.Repeat(` relations { edges { party { ... on Person {`, 4) + ` key` + strings.Repeat(` } } } }`, 5) + ` } } }`
	// 40 aliases of patterns spreading a fragment of 100 aliases: 4,040
	// fields once spread, in 2 KB (secG: such requests made 100 MB answers)
	var frag, roots strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&frag, "d%d: description ", i)
	}
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&roots, "p%d: patterns { ...D } ", i)
	}
	manySelections := "{ " + roots.String() + "} fragment D on Pattern { " + frag.String() + "}"
	many := make([]string, 201)
	for i := range many {
		many[i] = fmt.Sprintf("Officer:O%d", i)
	}
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		code        string
		status      int
	}{
		{"neighbourhood depth 10", `{ neighbourhood(ids: ["Officer:O1"], depth: 10) { truncated } }`, nil, probity.ELIMIT, 200},
		{"neighbourhood limit", `{ neighbourhood(ids: ["Officer:O1"], limit: 100000) { truncated } }`, nil, probity.ELIMIT, 200},
		{"paths maxHops 7", `{ paths(from: "Officer:O1", to: "Person:P1", maxHops: 7) { truncated } }`, nil, probity.ELIMIT, 200},
		{"huge page", `{ search(text: "bob", first: 1000) { id } }`, nil, probity.ELIMIT, 200},
		{"huge link page", `{ node(id: "Officer:O1") { ... on Officer { accesses(first: 201) { edges { at } } } } }`, nil, probity.ELIMIT, 200},
		{"too many ids", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": many}, probity.ELIMIT, 200},
		{"timeline first", `{ timeline(ids: ["Officer:O1"], first: 5000) { truncated } }`, nil, probity.ELIMIT, 200},
		{"unknown id", `{ node(id: "Officer:NOPE") { id } }`, nil, probity.ENOTFOUND, 200},
		{"malformed id", `{ node(id: "O1") { id } }`, nil, probity.EINVALID, 200},
		{"unknown label", `{ node(id: "Flag:F1") { id } }`, nil, probity.EINVALID, 200},
		{"unknown seed", `{ neighbourhood(ids: ["Person:NOPE"]) { truncated } }`, nil, probity.ENOTFOUND, 200},
		{"bad cursor", `{ node(id: "Officer:O1") { ... on Officer { accesses(after: "xyz") { edges { at } } } } }`, nil, probity.EINVALID, 200},
		{"bad time", `{ timeline(ids: ["Officer:O1"], from: "yesterday") { truncated } }`, nil, probity.EINVALID, 200},
		{"bad audit cursor", `{ auditLog(after: "!!") { nodes { id } } }`, nil, probity.EFORBIDDEN, 200},
		{"malformed query", `{ node(id: `, nil, probity.EINVALID, 400},
		{"unknown field", `{ nope }`, nil, probity.EINVALID, 400},
		{"variable of the wrong type", `query($n: Int) { search(text: "a", first: $n) { id } }`, map[string]any{"n": "ten"}, probity.EINVALID, 400},
		{"object for a scalar variable", `query($n: Int) { search(text: "a", first: $n) { id } }`, map[string]any{"n": map[string]any{"x": 1}}, probity.EINVALID, 400},
		{"number too big for Int", `query($n: Int) { search(text: "a", first: $n) { id } }`, map[string]any{"n": 1e12}, probity.EINVALID, 400},
		{"query too deep", deep, nil, probity.ELIMIT, 400},
		{"query too long", `{ me { name } }` + strings.Repeat(" ", 21<<10), nil, probity.ELIMIT, 400},
		{"introspection aliased", `{ ` + strings.Repeat(`a: __schema { queryType { name } } `, 5) + `}`, nil, probity.ELIMIT, 400},
		{"fields spread by fragments", manySelections, nil, probity.ELIMIT, 400},
	} {
		r := h.post(tok, c.query, c.vars)
		if r.code() != c.code || r.status != c.status {
			t.Errorf("%s: %d %q %v, want %d %q", c.name, r.status, r.code(), r.Errors, c.status, c.code)
		}
		if c.status == 400 && r.Data != nil {
			t.Errorf("%s: a request error carries data %s", c.name, r.Data)
		}
		if e := fmt.Sprint(r.Errors); strings.Contains(e, "neo4j") || strings.Contains(e, "goroutine") || strings.Contains(e, "int32") || strings.Contains(e, "interface {}") {
			t.Errorf("%s: error leaks internals: %v", c.name, r.Errors)
		}
	}
	// Same-named fields are compared pairwise: capped, not n² errors.
	var same, unknown strings.Builder
	for i := 0; i < 990; i++ {
		fmt.Fprintf(&same, `s:node(id:"%d"){id} `, i)
	}
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&unknown, "nope%d ", i)
	}
	if r := h.post(tok, "{"+same.String()+"}", nil); r.status != 400 || r.code() != probity.ELIMIT || len(r.Errors) > 50 {
		t.Errorf("990 same-named fields: %d %q, %d errors; want 400 limit, at most 50 errors", r.status, r.code(), len(r.Errors))
	}
	if r := h.post(tok, "{"+unknown.String()+"}", nil); r.status != 400 || len(r.Errors) != 50 || r.Errors[49].Message != "11 more errors not listed" {
		t.Errorf("60 unknown fields: %d, %d errors, last %+v; want 400, 50 errors, the last saying 11 more", r.status, len(r.Errors), r.Errors[len(r.Errors)-1])
	}
	big := `{"query": "{ me { name } }", "variables": {"pad": "` + strings.Repeat("x", 70<<10) + `"}}`
	if r := h.raw(http.MethodPost, "/graphql", tok, strings.NewReader(big)); r.status != http.StatusRequestEntityTooLarge || r.code() != probity.ELIMIT {
		t.Errorf("big body: %d %q, want 413 limit", r.status, r.code())
	}
	if r := h.raw(http.MethodGet, "/graphql?query=mutation%7B__typename%7D", tok, nil); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET mutation: %d, want 405", r.status)
	}
	if r := h.raw(http.MethodGet, "/graphql?query=%7Bme%7Bname%7D%7D", tok, nil); r.status != 200 || !strings.HasPrefix(r.ctype, "application/graphql-response+json") {
		t.Errorf("GET query: %d %s", r.status, r.ctype)
	}
}

func TestRequestTimeoutIsCoded(t *testing.T) {
	h := newHarness(t, world(), api.Limits{RequestTimeout: time.Nanosecond})
	r := h.post(h.tokens[probity.RoleAnalyst], `{ neighbourhood(ids: ["Officer:O1"], depth: 3) { truncated } }`, nil)
	if r.code() != probity.ELIMIT {
		t.Fatalf("timed-out request: %d %+v, want code limit", r.status, r.Errors)
	}
}

func TestAuditChainConcurrentAndTamperEvident(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	const n = 24
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := h.post(h.tokens[probity.RoleAnalyst], `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": []string{"Officer:O1", "Person:P1", "Address:A1"}[i%3]})
			if r.status != 200 || len(r.Errors) > 0 {
				t.Errorf("request %d: %d %v", i, r.status, r.Errors)
			}
		}(i)
	}
	wg.Wait()
	ctx := context.Background()
	v, err := h.store.VerifyAudit(ctx)
	if err != nil || !v.OK() || v.Checked != n {
		t.Fatalf("verify after %d concurrent requests: %+v, %v", n, v, err)
	}
	// Reviewers read the log, page by page; reading it is audited too.
	var d struct {
		AuditLog struct {
			Nodes []struct {
				Seq                   int
				Actor, Hash, PrevHash string
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	h.ok(h.tokens[probity.RoleReviewer], `{ auditLog(first: 10, actor: "test-analyst") { nodes { seq actor hash prevHash } pageInfo { hasNextPage endCursor } } }`, nil, &d)
	if len(d.AuditLog.Nodes) != 10 || !d.AuditLog.PageInfo.HasNextPage || d.AuditLog.Nodes[1].PrevHash != d.AuditLog.Nodes[0].Hash {
		t.Fatalf("audit page = %+v", d.AuditLog)
	}
	h.ok(h.tokens[probity.RoleReviewer], `query($after: String) { auditLog(first: 100, after: $after, actor: "test-analyst") { nodes { seq actor hash prevHash } pageInfo { hasNextPage endCursor } } }`,
		map[string]any{"after": d.AuditLog.PageInfo.EndCursor}, &d)
	if len(d.AuditLog.Nodes) != n-10 || d.AuditLog.Nodes[0].Seq != 11 {
		t.Fatalf("second audit page: %d events from seq %d", len(d.AuditLog.Nodes), d.AuditLog.Nodes[0].Seq)
	}
	if evs := h.audit(); evs[len(evs)-1].Operation != "auditLog" || evs[len(evs)-1].Actor != "test-reviewer" {
		t.Fatalf("reading the audit log was not audited: %+v", evs[len(evs)-1])
	}

	if err := h.store.RunForTest(ctx, `MATCH (e:AuditEvent {seq: 7}) SET e.actor = 'someone-else'`); err != nil {
		t.Fatal(err)
	}
	v, err = h.store.VerifyAudit(ctx)
	if err != nil || v.OK() || v.BrokenID != "audit-7" || v.Checked != 6 {
		t.Fatalf("verify after tampering with event 7: %+v, %v", v, err)
	}
	var av struct {
		AuditVerification struct {
			Ok        bool
			Checked   int
			BrokenId  string
			BrokenSeq int
			Reason    string
		}
	}
	h.ok(h.tokens[probity.RoleReviewer], `{ auditVerification { ok checked brokenId brokenSeq reason } }`, nil, &av)
	if a := av.AuditVerification; a.Ok || a.BrokenId != "audit-7" || a.BrokenSeq != 7 || a.Checked != 6 || !strings.Contains(a.Reason, "altered") {
		t.Fatalf("auditVerification = %+v", a)
	}
	if r := h.post(h.tokens[probity.RoleAnalyst], `{ auditVerification { ok } }`, nil); r.code() != probity.EFORBIDDEN {
		t.Fatalf("analyst verifying: %v", r.Errors)
	}
}

func TestAuditFailureWithholdsData(t *testing.T) {
	graphtest.Open(t)
	p := graphtest.NewProxy(t)
	cfg := graphtest.Config()
	cfg.URI, cfg.Timeout = p.URI(), 20*time.Second // longer than the request's deadline below
	store, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	graphtest.Fixture(t, store, `(O1:Officer {name: 'Alice'})`)
	secret, tok, _ := api.NewToken("a", probity.RoleAnalyst)
	if err := store.CreateToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	audit := &switchedAudit{Store: store}
	audit.fail.Store(true)
	srv := httptest.NewServer(api.New(api.Options{Health: store, Graph: store, Tokens: store, Audit: audit, PseudonymKey: []byte("k"),
		Limits: api.Limits{RequestTimeout: 3 * time.Second}}))
	defer srv.Close()
	h := &harness{t: t, srv: srv}
	r := h.post(secret, `{ node(id: "Officer:O1") { id } }`, nil)
	if r.status != http.StatusServiceUnavailable || r.Data != nil || r.code() != probity.EUNAVAILABLE {
		t.Fatalf("audit down: %d data=%s %v, want 503 without data", r.status, r.Data, r.Errors)
	}
	adminSecret, adminTok, _ := api.NewToken("m", probity.RoleAdmin)
	if err := store.CreateToken(context.Background(), adminTok); err != nil {
		t.Fatal(err)
	}
	if status, m := metricsOf(t, srv.URL, adminSecret); status != http.StatusOK || !strings.Contains(m, "probity_audit_append_failures_total 1") {
		t.Errorf("metrics do not count the withheld response: %d", status)
	}
	// Neo4j gone: a coded error, never driver text, within the token
	// lookup's deadline (the request's, at least 5 s; it waited for the
	// driver's own time-out, twice 30 s).
	audit.fail.Store(false)
	if r := h.post(secret, `{ node(id: "Officer:O1") { id } }`, nil); r.status != http.StatusOK {
		t.Fatalf("audit back: %d %v", r.status, r.Errors)
	}
	p.Down()
	start := time.Now()
	r = h.post(secret, `{ me { name } }`, nil)
	if r.status != http.StatusServiceUnavailable || strings.Contains(fmt.Sprint(r.Errors), "bolt") {
		t.Fatalf("neo4j down: %d %v", r.status, r.Errors)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("neo4j down: answered after %s, past the token lookup's 5 s deadline", d)
	}
	t.Logf("neo4j down: 503 after %s", time.Since(start).Round(time.Millisecond))
	// the metrics still answer a token Neo4j confirmed before (reviewJ L3:
	// the scrape failed during the outage it should show), not another
	start = time.Now()
	if status, _ := metricsOf(t, srv.URL, adminSecret); status != http.StatusOK || time.Since(start) > 5*time.Second {
		t.Errorf("metrics with Neo4j down, to an admin token confirmed before: %d after %s, want 200 well within a scrape's 10 s", status, time.Since(start))
	}
	unseen, _, _ := api.NewToken("u", probity.RoleAdmin)
	if status, _ := metricsOf(t, srv.URL, unseen); status != http.StatusServiceUnavailable {
		t.Errorf("metrics with Neo4j down, to a token never confirmed: %d, want 503", status)
	}
	// Known to be down: the next requests are refused at once, not after
	// the lookup's deadline each.
	for i := 0; i < 3; i++ {
		start = time.Now()
		r = h.post(secret, `{ node(id: "Officer:O1") { id } }`, nil)
		if d := time.Since(start); r.status != http.StatusServiceUnavailable || r.code() != probity.EUNAVAILABLE || d > time.Second {
			t.Fatalf("neo4j known down: %d %v after %s, want 503 at once", r.status, r.Errors, d)
		}
	}
	// Back: answered again as soon as the health check sees it.
	p.Up(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r = h.post(secret, `{ node(id: "Officer:O1") { id } }`, nil)
		if r.status == http.StatusOK && len(r.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("neo4j back: still %d %v", r.status, r.Errors)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// switchedAudit fails every append while fail is set.
type switchedAudit struct {
	*graph.Store
	fail atomic.Bool
}

func (a *switchedAudit) AppendAudit(ctx context.Context, e probity.AuditEvent) (probity.AuditEvent, error) {
	if a.fail.Load() {
		return probity.AuditEvent{}, fmt.Errorf("disk on fire")
	}
	return a.Store.AppendAudit(ctx, e)
}

func (a *switchedAudit) AppendAuditFor(ctx context.Context, e probity.AuditEvent, c probity.TokenClaim) (probity.AuditEvent, error) {
	if a.fail.Load() {
		return probity.AuditEvent{}, fmt.Errorf("disk on fire")
	}
	return a.Store.AppendAuditFor(ctx, e, c)
}

func TestMetricsWithoutPersonalData(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	h.post(h.tokens[probity.RoleAnalyst], `{ node(id: "Officer:O1") { id } }`, nil)
	h.post("", `{ node(id: "Officer:O1") { id } }`, nil)
	h.post(h.tokens[probity.RoleAnalyst], `{ tokens { name } }`, nil) // forbidden: a field error, HTTP 200
	// an admin's token not tied to an officer reads them; no token, another
	// role or a tied admin does not (secM M1: the flag counts by state told
	// a subject its hidden case was referred)
	for _, c := range []struct {
		token string
		want  int
	}{{"", http.StatusUnauthorized}, {h.tokens[probity.RoleReviewer], http.StatusForbidden}, {h.token("tied-admin", probity.RoleAdmin, "O1"), http.StatusForbidden}} {
		if status, _ := metricsOf(t, h.srv.URL, c.token); status != c.want {
			t.Errorf("metrics with token %q: %d, want %d", c.token, status, c.want)
		}
	}
	status, m := metricsOf(t, h.srv.URL, h.tokens[probity.RoleAdmin])
	if status != http.StatusOK {
		t.Fatalf("metrics with an admin token: %d", status)
	}
	for _, want := range []string{`probity_graphql_requests_total{operation="node",status="200"} 1`,
		`probity_graphql_requests_total{operation="none",status="401"} 1`, `probity_graphql_request_duration_seconds_bucket{operation="node"`,
		`probity_graphql_errors_total{code="forbidden",operation="tokens"} 1`, `probity_graphql_errors_total{code="unauthorized",operation="none"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, leak := range []string{"O1", "test-analyst", "Alice"} {
		if strings.Contains(m, leak) {
			t.Errorf("metrics contain %q", leak)
		}
	}
}

func TestSearchPhoneNumbers(t *testing.T) {
	h := newHarness(t, `(PH1:Phone {id: '07700900123'})
(PH2:Phone {id: '+44 7700 900456'})
(P9:Person)-[:USES_PHONE]->(PH1)`, api.Limits{})
	for text, want := range map[string]string{"07700900123": "Phone:07700900123", "07700 900123": "Phone:07700900123", "7700 900456": "Phone:+44 7700 900456"} {
		var d struct{ Search []struct{ ID string } }
		h.ok(h.tokens[probity.RoleAnalyst], `query($t: String!) { search(text: $t, types: [Phone]) { id } }`, map[string]any{"t": text}, &d)
		if len(d.Search) == 0 || d.Search[0].ID != want {
			t.Errorf("search %q = %v, want %s first", text, d.Search, want)
		}
	}
}

// TestEveryPersonalReadIsAudited checks, field by field, the event written:
// operation, actor, an entity returned, and that `me` is not audited.
func TestEveryPersonalReadIsAudited(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	for _, c := range []struct {
		query, op, entity string
		role              probity.Role
	}{
		{`{ node(id: "Officer:O1") { id } }`, "node", "Officer:O1", probity.RoleAnalyst},
		{`{ nodes(ids: ["Person:P1"]) { id } }`, "nodes", "Person:P1", probity.RoleAnalyst},
		{`{ search(text: "AB1") { id } }`, "search", "Address:A1", probity.RoleAnalyst},
		{`{ neighbourhood(ids: ["Address:A1"]) { nodes { id } } }`, "neighbourhood", "Person:P1", probity.RoleAnalyst},
		{`{ paths(from: "Officer:O1", to: "Person:P1") { paths { length } } }`, "paths", "Address:A1", probity.RoleAnalyst},
		{`{ timeline(ids: ["Officer:O1"]) { events { kind } } }`, "timeline", "Complaint:C1", probity.RoleAnalyst},
		{`{ me { name } node(id: "Phone:X") { id } }`, "me,node", "", probity.RoleAnalyst},
		{`{ auditLog(first: 1) { nodes { id } } }`, "auditLog", "", probity.RoleReviewer},
		{`{ tokens { name } }`, "tokens", "", probity.RoleAdmin},
	} {
		before := len(h.audit())
		h.post(h.tokens[c.role], c.query, nil)
		evs := h.audit()
		if len(evs) != before+1 {
			t.Errorf("%s: %d events written, want 1", c.query, len(evs)-before)
			continue
		}
		e := evs[len(evs)-1]
		if e.Operation != c.op || e.Actor != "test-"+string(c.role) || (c.entity != "" && !contains(e.EntityIDs, c.entity)) {
			t.Errorf("%s: event %+v, want operation %s with %s", c.query, e, c.op, c.entity)
		}
	}
	before := len(h.audit())
	h.post(h.tokens[probity.RoleAnalyst], `{ me { name } }`, nil)
	h.post(h.tokens[probity.RoleAnalyst], `{ __schema { types { name } } }`, nil)
	if n := len(h.audit()) - before; n != 0 {
		t.Errorf("me and introspection wrote %d audit events", n)
	}
	if v, err := h.store.VerifyAudit(context.Background()); err != nil || !v.OK() {
		t.Fatalf("chain: %+v %v", v, err)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestMoneyAndCompanyLinks(t *testing.T) {
	h := newHarness(t, world()+`
(P1)-[:DIRECTOR_OF {role:'owner', from: date('2022-01-01')}]->(CO1:Company {name:'Acme Ltd'})
(CO1)-[:HOLDS]->(AC3:Account)
(AC3)-[:PAID {id:'PAY2', amount: 90.5, at: datetime('2023-06-01T00:00:00Z')}]->(AC1)
(O1)-[:USES_PHONE]->(PH1:Phone)<-[:USES_PHONE]-(P1)
(O1)-[:RELATED_TO {type:'associate', source:'intel'}]->(P1)`, api.Limits{})
	var d struct {
		Node struct {
			Holders struct {
				Edges []struct{ Party struct{ ID string } }
			}
			Payments struct {
				Edges []struct {
					PaymentId    string
					Amount       float64
					Payer, Payee struct{ ID string }
				}
			}
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ node(id: "Account:AC1") { ... on Account {
		holders { edges { party { id } } }
		payments(from: "2024-01-01") { edges { paymentId amount payer { id } payee { id } } } } } }`, nil, &d)
	if len(d.Node.Holders.Edges) != 1 || d.Node.Holders.Edges[0].Party.ID != "Officer:O1" {
		t.Fatalf("holders = %+v", d.Node.Holders)
	}
	if p := d.Node.Payments.Edges; len(p) != 1 || p[0].PaymentId != "PAY1" || p[0].Amount != 500 || p[0].Payer.ID != "Account:AC2" || p[0].Payee.ID != "Account:AC1" {
		t.Fatalf("payments since 2024 = %+v", p)
	}
	var c struct {
		Node struct {
			Directors struct {
				Edges []struct {
					Role  string
					Party struct{ ID string }
				}
			}
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ node(id: "Company:CO1") { ... on Company { directors { edges { role party { id } } } } } }`, nil, &c)
	if e := c.Node.Directors.Edges; len(e) != 1 || e[0].Role != "owner" || e[0].Party.ID != "Person:P1" {
		t.Fatalf("directors = %+v", e)
	}
	var p struct {
		Node struct {
			Relations struct {
				Edges []struct {
					RelationType, Source string
					Outgoing             bool
					Party                struct{ ID string }
				}
			}
			Phones struct {
				Edges []struct {
					Phone struct {
						Users struct {
							Edges []struct{ Party struct{ ID string } }
						}
					}
				}
			}
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ node(id: "Person:P1") { ... on Person {
		relations { edges { relationType source outgoing party { id } } }
		phones { edges { phone { users { edges { party { id } } } } } } } } }`, nil, &p)
	if r := p.Node.Relations.Edges; len(r) != 1 || r[0].Outgoing || r[0].Party.ID != "Officer:O1" || r[0].Source != "intel" {
		t.Fatalf("relations seen from P1 = %+v", r)
	}
	var users []string
	for _, e := range p.Node.Phones.Edges[0].Phone.Users.Edges {
		users = append(users, e.Party.ID)
	}
	sort.Strings(users)
	if strings.Join(users, ",") != "Officer:O1,Person:P1" {
		t.Fatalf("phone users = %v", users)
	}
}

// A token the server has seen is checked again in Neo4j on every request
// (while a query runs): one revoked since by another process (probity token
// revoke) gets 401 and no data, and no audit event is written for it; a
// mutation waits for the check before it runs.
func TestRevokedTokenRefusedThoughRemembered(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	store := h.store
	secret, tok, err := api.NewToken("soon-revoked", probity.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	const q = `{ neighbourhood(ids: ["Officer:O1"]) { nodes { id } } }`
	var d struct {
		Neighbourhood struct{ Nodes []struct{ ID string } }
	}
	h.ok(secret, q, nil, &d) // now remembered
	if len(d.Neighbourhood.Nodes) == 0 {
		t.Fatal("no nodes")
	}
	before := len(h.audit())
	if _, err := store.RevokeToken(context.Background(), "soon-revoked", "", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		r := h.post(secret, q, nil)
		if r.status != http.StatusUnauthorized || r.Data != nil || r.code() != probity.EUNAUTHORIZED {
			t.Fatalf("revoked token, request %d: %d data=%s %v, want 401 without data", i, r.status, r.Data, r.Errors)
		}
	}
	if r := h.post(secret, `mutation { revealIdentity(flagId: "F1", purpose: "x") { id } }`, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("mutation with a revoked token: %d %v, want 401", r.status, r.Errors)
	}
	// A query that writes no audit event is confirmed by a lookup of its own.
	meSecret, meTok, err := api.NewToken("me-only", probity.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateToken(context.Background(), meTok); err != nil {
		t.Fatal(err)
	}
	var me struct{ Me struct{ Name string } }
	h.ok(meSecret, `{ me { name } }`, nil, &me) // now remembered
	if _, err := store.RevokeToken(context.Background(), "me-only", "", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if r := h.post(meSecret, `{ me { name } }`, nil); r.status != http.StatusUnauthorized || r.Data != nil {
		t.Fatalf("unaudited query with a revoked remembered token: %d data=%s %v, want 401 without data", r.status, r.Data, r.Errors)
	}
	if n := len(h.audit()); n != before {
		t.Fatalf("%d audit events written for refused requests", n-before)
	}
	if v, err := store.VerifyAudit(context.Background()); err != nil || !v.OK() {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// revoking revokes a token while a neighbourhood query runs, after the
// data is read and before the request's audit event is written.
type revoking struct {
	*graph.Store
	token  atomic.Pointer[string] // name of the token to revoke, once
	failed atomic.Pointer[error]
}

func (g *revoking) Neighbourhood(ctx context.Context, q probity.NeighbourhoodQuery) (probity.Subgraph, error) {
	sg, err := g.Store.Neighbourhood(ctx, q)
	if name := g.token.Swap(nil); name != nil {
		if _, rerr := g.Store.RevokeToken(context.Background(), *name, "", time.Now().UTC()); rerr != nil {
			g.failed.Store(&rerr)
		}
	}
	return sg, err
}

// A token revoked between the query and its audit event gets 401 with no
// data and no event, whether the server remembered the token (the request
// ran at once) or looked it up first: the statement that writes the audit
// event confirms the token, and writes nothing when it is revoked. The
// chain stays whole and other tokens are served and audited as before.
func TestTokenRevokedBeforeAuditRefused(t *testing.T) {
	store := graphtest.Open(t)
	graphtest.Fixture(t, store, world())
	g := &revoking{Store: store}
	srv := httptest.NewServer(api.New(api.Options{Graph: g, Tokens: store, Audit: store, PseudonymKey: []byte("k")}))
	defer srv.Close()
	h := &harness{t: t, store: store, srv: srv}
	token := func(name string) string {
		secret, tok, err := api.NewToken(name, probity.RoleAnalyst)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.CreateToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	const q = `{ neighbourhood(ids: ["Officer:O1"]) { nodes { id } } }`
	var d struct {
		Neighbourhood struct{ Nodes []struct{ ID string } }
	}
	remembered, fresh, other := token("remembered"), token("fresh"), token("other")
	h.ok(remembered, q, nil, &d) // the server now remembers it
	if len(d.Neighbourhood.Nodes) == 0 {
		t.Fatal("no nodes")
	}
	before := len(h.audit())
	for _, tc := range []struct{ name, secret string }{{"remembered", remembered}, {"fresh", fresh}} {
		name := tc.name
		g.token.Store(&name)
		r := h.post(tc.secret, q, nil)
		if p := g.failed.Load(); p != nil {
			t.Fatal(*p)
		}
		if g.token.Load() != nil {
			t.Fatalf("%s: the query did not run", tc.name)
		}
		if r.status != http.StatusUnauthorized || r.Data != nil || r.code() != probity.EUNAUTHORIZED {
			t.Fatalf("%s token revoked during the query: %d data=%s %v, want 401 without data", tc.name, r.status, r.Data, r.Errors)
		}
		if n := len(h.audit()); n != before {
			t.Fatalf("%s: %d audit events written for a refused request", tc.name, n-before)
		}
	}
	h.ok(other, q, nil, &d)
	evs := h.audit()
	if len(evs) != before+1 || evs[len(evs)-1].Actor != "other" {
		t.Fatalf("after the refusals: %d events (last %+v), want %d, the last by other", len(evs), evs[len(evs)-1], before+1)
	}
	if v, err := store.VerifyAudit(context.Background()); err != nil || !v.OK() {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// No answer is to be framed, sniffed or cached (the API's hold personal
// data), and the UI keeps to its own origin.
func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	for path, cache := range map[string]string{"/": "", "/graphql": "no-store", "/healthz": ""} {
		res, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		hd := res.Header
		if hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("X-Frame-Options") != "DENY" || hd.Get("Referrer-Policy") != "no-referrer" ||
			!strings.Contains(hd.Get("Content-Security-Policy"), "frame-ancestors 'none'") || !strings.Contains(hd.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: headers %v", path, hd)
		}
		if cache != "" && hd.Get("Cache-Control") != cache {
			t.Errorf("%s: Cache-Control %q, want %q", path, hd.Get("Cache-Control"), cache)
		}
	}
}

// Root lists share the request's budget of listed items with link fields:
// aliases cannot multiply a capped page past it.
func TestRootListsShareTheItemBudget(t *testing.T) {
	h := newHarness(t, world(), api.Limits{MaxLinked: 3})
	r := h.post(h.tokens[probity.RoleAnalyst], `{ a: nodes(ids: ["Officer:O1", "Officer:O2"]) { id } b: nodes(ids: ["Officer:O1", "Officer:O2"]) { id } }`, nil)
	if r.code() != probity.ELIMIT {
		t.Fatalf("two aliased lists of 2 against a budget of 3: %+v, want limit", r.Errors)
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ a: nodes(ids: ["Officer:O1"]) { id } b: nodes(ids: ["Officer:O2"]) { id } }`, nil, &struct{}{})
}

// A timeline's look-ups name the record looked up ("via"): it is returned,
// so it is in the audit event.
func TestTimelineViaIsAudited(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	h.ok(h.tokens[probity.RoleAnalyst], `{ timeline(ids: ["Person:P1"]) { events { kind } } }`, nil, &struct{}{})
	evs := h.audit()
	if e := evs[len(evs)-1]; !contains(e.EntityIDs, "Record:R1") {
		t.Fatalf("timeline of P1 (looked up through R1): audit ids %v lack Record:R1", e.EntityIDs)
	}
}

// endsFail is an audit log whose appends fail while its switches say: all
// of them, or only those that are not a mutation's "begin" event (a server
// that stops between a change and its event).
type endsFail struct {
	*graph.Store
	all, ends atomic.Bool
}

func (a *endsFail) AppendAudit(ctx context.Context, e probity.AuditEvent) (probity.AuditEvent, error) {
	if a.all.Load() || (a.ends.Load() && !strings.HasPrefix(e.Operation, "begin ")) {
		return probity.AuditEvent{}, fmt.Errorf("server stopped")
	}
	return a.Store.AppendAudit(ctx, e)
}

// TestMutationAuditedBeforeItRuns: a change is committed before the event
// that tells it, so a server stopped between the two (opsW: kill -9 with
// 44 decisions in flight left 16 changes no event named) left a change
// unaudited; each mutation now writes first an event that it began (actor,
// fields, the digest of the event after it), and runs nothing when that
// cannot be written.
func TestMutationAuditedBeforeItRuns(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	audit := &endsFail{Store: h.store}
	srv := httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.store, Tokens: h.store, Audit: audit, Flags: h.store,
		PseudonymKey: h.key}))
	defer srv.Close()
	o := *h
	o.srv = srv
	admin := h.tokens[probity.RoleAdmin]
	suppressed := func(id string) bool {
		sups, err := h.store.Suppressions(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sups {
			if slices.Contains(s.EntityKeys, id) {
				return true
			}
		}
		return false
	}
	// the begin event cannot be written: nothing runs
	audit.all.Store(true)
	if r := o.post(admin, `mutation { addSuppression(id: "Address:H1", reason: "a block of flats") { id } }`, nil); r.status != http.StatusServiceUnavailable || suppressed("Address:H1") {
		t.Fatalf("begin event refused: %d %v, suppressed %v; want 503 and no change", r.status, r.Errors, suppressed("Address:H1"))
	}
	// the change is made, its own event is not written (the server "stopped"): the begin event names it
	audit.all.Store(false)
	audit.ends.Store(true)
	before := len(h.audit())
	r := o.post(admin, `mutation { addSuppression(id: "Address:A1", reason: "the station's address") { id } }`, nil, api.PurposeHeader, "hub list review")
	if r.status != http.StatusServiceUnavailable || !suppressed("Address:A1") {
		t.Fatalf("after the change: %d %v, suppressed %v; want 503 with the change made", r.status, r.Errors, suppressed("Address:A1"))
	}
	evs := h.audit()[before:]
	if len(evs) != 1 || evs[0].Operation != "begin addSuppression" || evs[0].Actor != "test-admin" || evs[0].VariablesDigest == "" ||
		!strings.HasPrefix(evs[0].Purpose, "hub list review; begun:") {
		t.Fatalf("events %+v, want one begin addSuppression by test-admin with its digest and purpose", evs)
	}
	// both events when all goes well, with the same digest; the begin event
	// lists the fields the document names as fields, not those a reason or
	// a comment quotes (reviewB M3)
	audit.ends.Store(false)
	before = len(h.audit())
	o.ok(admin, `mutation { addSuppression(id: "Account:AC1", reason: "the payroll account, as the removeSuppression of last week said") { id } } # removeSchedule later`, nil, &struct{}{})
	evs = h.audit()[before:]
	if len(evs) != 2 || evs[0].Operation != "begin addSuppression" || evs[1].Operation != "addSuppression" || evs[0].VariablesDigest != evs[1].VariablesDigest {
		t.Fatalf("events %+v, want begin addSuppression then addSuppression with one digest", evs)
	}
}

// metricsOf reads /metrics with token as a bearer ("": none).
func metricsOf(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
