package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"slices"
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

	// a database a newer binary migrated is no health for this one (docsJ L11)
	older := httptest.NewServer(api.New(api.Options{Health: store, SchemaVersion: graph.LatestSchemaVersion() - 1}))
	defer older.Close()
	resp, err := http.Get(older.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(fmt.Sprint(body["reason"]), "ahead of this binary") {
		t.Fatalf("healthz of a binary older than the schema: %d %v %v", resp.StatusCode, body, err)
	}
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
	// a file that is not there is not answered with the app (secE)
	resp, err := http.Get(srv.URL + "/assets/index-gone.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a missing asset: %d, want 404", resp.StatusCode)
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

// POST /load takes a data set as multipart files from an admin, audits who
// loaded what before loading, loads it as probity load does (rejects
// listed, strict writes nothing when a row is bad) and refuses other roles,
// unknown files and uploads over the limit.
func TestLoadUpload(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	limits := api.DefaultLimits()
	limits.MaxUploadBytes = 4 << 10
	srv := httptest.NewServer(api.New(api.Options{Tokens: s, Audit: s, Loader: dataLoader{s}, Limits: limits, PseudonymKey: []byte("k")}))
	defer srv.Close()
	token := func(r probity.Role) string {
		secret, tok, err := api.NewToken("load-"+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	admin, analyst := token(probity.RoleAdmin), token(probity.RoleAnalyst)
	// an admin whose token is tied to an officer loads nothing: the data is
	// the evidence about them (secJ H2)
	tiedSecret, tied, err := api.NewToken("load-tied", probity.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	tied.OfficerID = "O1"
	if err := s.CreateToken(ctx, tied); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Code, Error      string
		Files            []api.LoadFile
		Rejected         int
		Written          bool
		Rejects          []api.LoadReject
		RejectsTruncated bool
		Notes            []string
	}
	send := func(secret, query, accept string, files map[string]string) *http.Response {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for name, content := range files {
			w, err := mw.CreateFormFile("file", name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(content))
		}
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/load"+query, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		// a line separator and a direction override: the purpose is kept
		// readable on one line, as a GraphQL request's is
		req.Header.Set(api.PurposeHeader, "monthly HR\u2028\u202eextract")
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	post := func(secret, query string, files map[string]string) (int, answer) {
		t.Helper()
		resp := send(secret, query, "", files)
		defer resp.Body.Close()
		var a answer
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, a
	}
	officers := "officer_id,name,unit\nO1,Ann,U1\nO2,Bob,U2\nO3,,U1,extra\n"
	for _, c := range []struct {
		what, secret, query string
		files               map[string]string
		status              int
		code                string
	}{
		{"no token", "", "", map[string]string{"officers.csv": officers}, 401, probity.EUNAUTHORIZED},
		{"an analyst", analyst, "", map[string]string{"officers.csv": officers}, 403, probity.EFORBIDDEN},
		{"an admin tied to an officer", tiedSecret, "", map[string]string{"officers.csv": officers}, 403, probity.EFORBIDDEN},
		{"an unknown file", admin, "", map[string]string{"officers.csv": officers, "notes.txt": "x"}, 400, probity.EINVALID},
		{"over the limit", admin, "", map[string]string{"officers.csv": officers + strings.Repeat("O9,Xavier,U9\n", 400)}, 413, probity.ELIMIT},
		{"nothing", admin, "", map[string]string{}, 400, probity.EINVALID},
	} {
		if status, a := post(c.secret, c.query, c.files); status != c.status || a.Code != c.code {
			t.Errorf("%s: %d %s (%s), want %d %s", c.what, status, a.Code, a.Error, c.status, c.code)
		}
	}
	// a file sent as a form field (curl -F file=<officers.csv) is refused,
	// not passed over while the other files load (fuzzG)
	{
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("file", officers)
		w, _ := mw.CreateFormFile("file", "persons.csv")
		w.Write([]byte("person_id,name\nP1,Pat\n"))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/load", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set(api.PurposeHeader, "monthly HR extract")
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var a answer
		json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if resp.StatusCode != 400 || a.Code != probity.EINVALID || !strings.Contains(a.Error, "no file name") || countOf(t, s, "MATCH (p:Person) RETURN count(p)") != 0 {
			t.Errorf("a file as a form field: %d %+v", resp.StatusCode, a)
		}
	}
	if got := countOf(t, s, "MATCH (o:Officer) RETURN count(o)"); got != 0 {
		t.Fatalf("refused uploads loaded %d officers", got)
	}
	// the analyst's attempt is in the audit log
	if got := countOf(t, s, "MATCH (e:AuditEvent {operation: 'load', role: 'analyst', purpose: 'failed load: forbidden'}) RETURN count(e)"); got != 1 {
		t.Fatalf("audited attempts to load by an analyst: %d, want 1", got)
	}

	// A strict that is not a boolean is refused, not read as false.
	for _, v := range []string{"yes", "TRUE", "1"} { // api.md: only true or false
		if status, a := post(admin, "?strict="+v, map[string]string{"officers.csv": officers}); status != http.StatusBadRequest || countOf(t, s, "MATCH (o:Officer) RETURN count(o)") != 0 {
			t.Fatalf("strict=%s: %d %+v", v, status, a)
		}
	}
	// Strict: the bad row stops everything.
	status, a := post(admin, "?strict=true", map[string]string{"officers.csv": officers})
	if status != 200 || a.Written || a.Rejected != 1 || countOf(t, s, "MATCH (o:Officer) RETURN count(o)") != 0 ||
		len(a.Files) != 1 || a.Files[0].Valid != 2 || a.Files[0].Loaded != 0 {
		t.Fatalf("strict: %d %+v (want 2 valid rows, none loaded)", status, a)
	}
	// Not strict: the good rows load, the bad one is listed.
	status, a = post(admin, "", map[string]string{"officers.csv": officers, "persons.csv": "person_id,poi\nP1,true\n"})
	if status != 200 || !a.Written || a.Rejected != 1 || len(a.Rejects) != 1 || a.Rejects[0].File != "officers.csv" || a.Rejects[0].Line != 4 ||
		len(a.Files) != 2 || a.Files[0].File != "officers.csv" || a.Files[0].Loaded != 2 || a.Files[0].Valid != 2 || a.Files[1].Loaded != 1 {
		t.Fatalf("load: %d %+v", status, a)
	}
	if got := countOf(t, s, "MATCH (o:Officer) RETURN count(o)"); got != 2 {
		t.Fatalf("%d officers loaded, want 2", got)
	}
	if !slices.Contains(a.Notes, "officers.csv: no column(s) rank, role, start_date, status: left absent on every row") {
		t.Errorf("notes %q lack the absent columns", a.Notes)
	}
	// Streamed: a progress line as each file starts, then the result.
	resp := send(admin, "", "application/x-ndjson", map[string]string{"persons.csv": "person_id\nP2\nP3\n", "officers.csv": officers})
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	var first struct{ Progress api.LoadProgress }
	var last struct{ Result answer }
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson") || len(lines) < 3 ||
		json.Unmarshal([]byte(lines[0]), &first) != nil || first.Progress.File != "officers.csv" || first.Progress.Size != int64(len(officers)) ||
		json.Unmarshal([]byte(lines[len(lines)-1]), &last) != nil || last.Result.Rejected != 1 || !last.Result.Written || len(last.Result.Files) != 2 {
		t.Fatalf("streamed load: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	evs, err := s.AuditEvents(ctx, probity.AuditFilter{Actor: "load-admin", First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 || evs[1].Operation != "load" || evs[1].Purpose != "monthly HR extract; load officers.csv, persons.csv" ||
		!strings.HasSuffix(evs[0].Purpose, "load officers.csv (strict)") {
		t.Fatalf("audit events %+v", evs)
	}
	// each names what it loaded by a digest of the files' bytes (secE)
	if d0, d1 := evs[0].VariablesDigest, evs[1].VariablesDigest; len(d0) != 64 || len(d1) != 64 || d0 == d1 {
		t.Fatalf("load digests %q and %q: want two SHA-256s of different file sets", d0, d1)
	}
	// keyed, with the actor: a reader of the log cannot check a guess of a
	// small upload by hashing it (secN L1)
	sum := sha256.Sum256([]byte(officers))
	manifest := fmt.Sprintf("officers.csv\x00%d\x00%x\n", len(officers), sum)
	for _, guess := range []string{manifest, "load-admin\x00" + manifest} {
		if plain := sha256.Sum256([]byte(guess)); hex.EncodeToString(plain[:]) == evs[0].VariablesDigest {
			t.Fatalf("the load digest is a plain SHA-256 of the files' manifest: a guess can be tested")
		}
	}
}

func countOf(t *testing.T, s *graph.Store, cypher string) int64 {
	t.Helper()
	n, err := s.CountForTest(context.Background(), cypher)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
