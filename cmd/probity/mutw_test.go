package main

// mutW: integration tests (the test Neo4j) that kill mutants of this
// session's cmd/probity changes which the suite let survive. Each names
// its mutants (see /work/scratch/mutW/REPORT.md).

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/graph/graphtest"
)

type lockedBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// probity serve on the published default password warns of it (kills E2:
// only an empty NEO4J_PASSWORD warned), and PROBITY_METRICS_TOKEN reads its
// /metrics (kills E3: the secret read but not given to the server).
func TestMutWServeDefaultPasswordAndScrapeSecret(t *testing.T) {
	graphtest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := graphtest.Config()
	if cfg.Password != DefaultNeo4jPassword {
		t.Skip("the test server's password is not the default")
	}
	scrape := strings.Repeat("k", 40)
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password, "PROBITY_ADDR": "127.0.0.1:0",
		"PROBITY_SCHEDULER": "off", "PROBITY_METRICS_TOKEN": scrape}
	var out lockedBuf
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &env{stdout: &out, stderr: &out, getenv: func(k string) string { return vars[k] }})
	}()
	url := regexp.MustCompile(`url=(http://[0-9.:]+)`)
	waitFor(t, "serving", 20*time.Second, func() bool { return url.MatchString(out.String()) })
	base := url.FindStringSubmatch(out.String())[1]
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+scrape)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("serve's /metrics with PROBITY_METRICS_TOKEN: %d, want 200", res.StatusCode)
	}
	waitFor(t, "the password warning", 5*time.Second, func() bool { return strings.Contains(out.String(), "published default") })
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// A command-line purpose is kept on one line in the audit log (kills E5:
// OneLine dropped from auditCLI).
func TestMutWAuditCLIOneLine(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	e, _, _ := testEnv()
	if err := auditCLI(ctx, s, e, "cli:load", "load /data/June\nforged line\u2028\u202eevent"); err != nil {
		t.Fatal(err)
	}
	evs, err := s.AuditEvents(ctx, probity.AuditFilter{Actor: "cli:tester", First: 10})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events %+v, %v", evs, err)
	}
	if p := evs[0].Purpose; strings.ContainsAny(p, "\n\u2028\u202e") {
		t.Fatalf("purpose %q is not one line", p)
	}
}

// --rejects checks against the set's folder resolved: DIR given through a
// link, a --rejects inside the real folder (kills C6); a dangling link is
// refused, not written through after the load (kills C8); an empty file
// may be overwritten (kills C12).
func TestMutWRejectsPathMore(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	root := t.TempDir()
	dir := filepath.Join(root, "set")
	os.Mkdir(dir, 0o755)
	officers := "officer_id,name,rank,unit,role,start_date,status\nO1,Ann,PC,U1,r,2015-03-01,serving\nO2,Bob,PC,U1,r,01/03/2015,serving\n"
	if err := os.WriteFile(filepath.Join(dir, "officers.csv"), []byte(officers), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "setlink")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	e, _, _ := testEnv()
	if err := run(ctx, []string{"load", "--rejects", filepath.Join(dir, "r.csv"), link}, e); exitCode(err) != 64 {
		t.Errorf("DIR through a link, --rejects in its folder: exit %d (%v), want 64", exitCode(err), err)
	}
	dangling := filepath.Join(root, "dangling.csv")
	if err := os.Symlink(filepath.Join(root, "nowhere", "r.csv"), dangling); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", dangling, dir}, e); exitCode(err) != 64 {
		t.Errorf("--rejects a dangling link: exit %d (%v), want 64", exitCode(err), err)
	}
	if n, _ := s.CountForTest(ctx, `MATCH (o:Officer) RETURN count(o)`); n != 0 {
		t.Fatalf("refused loads loaded %d officers", n)
	}
	empty := filepath.Join(root, "empty.csv")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", empty, dir}, e); exitCode(err) != 2 {
		t.Fatalf("--rejects an empty file: exit %d (%v), want 2", exitCode(err), err)
	}
	if b, _ := os.ReadFile(empty); !strings.Contains(string(b), "01/03/2015") {
		t.Fatalf("the empty rejects file after the load: %q", b)
	}
}
