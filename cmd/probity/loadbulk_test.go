package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"probity/graph"
	"probity/graph/graphtest"
)

// TestLoadBulk loads a small generated set, with two bad rows, through
// load --bulk (neo4j-admin, the test server stopped and started again by
// scripts/neo4j) and through the Bolt loader, and wants the same rejects and
// the same graph: every node, relationship and typed property. A second
// --bulk, into the now non-empty database, is refused. It needs the test
// server that scripts/test runs (NEO4J_DATA_DIR and NEO4J_BOLT_PORT set).
func TestLoadBulk(t *testing.T) {
	if testing.Short() {
		t.Skip("stops and starts the test server (about a minute)")
	}
	cfg := graphtest.Config()
	u, _ := url.Parse(cfg.URI)
	if os.Getenv("NEO4J_DATA_DIR") == "" || os.Getenv("NEO4J_BOLT_PORT") != u.Port() {
		t.Skip("needs the scripts/neo4j test server of scripts/test (NEO4J_DATA_DIR, NEO4J_BOLT_PORT of " + cfg.URI + ")")
	}
	s := graphtest.Open(t)
	ctx := context.Background()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "set")
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password, "USER": "tester",
		"NEO4J_BOLT_PORT": u.Port(), "PROBITY_NEO4J_SCRIPT": "../../scripts/neo4j"}
	env := func() (*env, *bytes.Buffer, *bytes.Buffer) {
		var out, errb bytes.Buffer
		return &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}, &out, &errb
	}
	e, _, errb := env()
	if err := run(ctx, []string{"generate", "--out", dir, "--officers", "100", "--days", "130", "--seed", "3"}, e); err != nil {
		t.Fatalf("generate: %v\n%s", err, errb)
	}
	appendRow := func(name, row string) {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		f.WriteString(row + "\n")
	}
	appendRow("persons.csv", "PBAD1,Bad Poi,,maybe,,false")
	appendRow("accesses.csv", "NOSUCH,REC00000001,2025-03-01T10:00:00Z,Intel DB,onsite,T1,")

	load := func(args ...string) (string, string) {
		e, out, errb := env()
		rej := filepath.Join(tmp, args[0]+".rejects.csv")
		err := run(ctx, append([]string{"load", "--rejects", rej}, append(args[1:], dir)...), e)
		if exitCode(err) != 2 {
			t.Fatalf("load %v: exit %d (%v), want 2 (two rejects)\n%s\n%s", args, exitCode(err), err, out, errb)
		}
		b, err := os.ReadFile(rej)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), out.String()
	}
	bulkRejects, out := load("bulk", "--bulk")
	if !strings.Contains(out, "bulk: ") {
		t.Fatalf("no bulk summary:\n%s", out)
	}
	after, err := graph.Open(ctx, cfg) // the server was restarted
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close(ctx)
	bulkGraph, err := after.SnapshotForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := after.SchemaVersion(ctx); err != nil || v == 0 {
		t.Fatalf("schema after the import: %d, %v", v, err)
	}

	// A second --bulk is refused: the database holds data.
	e, _, errb = env()
	err = run(ctx, []string{"load", "--bulk", "--rejects", filepath.Join(tmp, "again.csv"), dir}, e)
	if err == nil || !strings.Contains(err.Error(), "EMPTY database only") {
		t.Fatalf("bulk into a loaded database: %v, want a refusal\n%s", err, errb)
	}

	if err := after.DeleteAllData(ctx); err != nil {
		t.Fatal(err)
	}
	boltRejects, _ := load("bolt")
	boltGraph, err := after.SnapshotForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bulkRejects != boltRejects || strings.Count(boltRejects, "\n") != 3 {
		t.Errorf("rejects differ or are not the two bad rows:\n--bulk:\n%s\nBolt:\n%s", bulkRejects, boltRejects)
	}
	if len(boltGraph) < 10000 {
		t.Fatalf("Bolt load: %d nodes and relationships, want a generated set's", len(boltGraph))
	}
	if !slices.Equal(bulkGraph, boltGraph) {
		n := 0
		for _, l := range bulkGraph {
			if _, ok := slices.BinarySearch(boltGraph, l); !ok && n < 5 {
				t.Errorf("only in --bulk: %s", l)
				n++
			}
		}
		for _, l := range boltGraph {
			if _, ok := slices.BinarySearch(bulkGraph, l); !ok && n < 10 {
				t.Errorf("only in Bolt: %s", l)
				n++
			}
		}
		t.Fatalf("--bulk: %d lines, Bolt: %d", len(bulkGraph), len(boltGraph))
	}
	_ = s
}
