package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"probity"
	"probity/graph/graphtest"
)

// testEnv runs commands against the test server.
func TestLoadCommand(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "set")
	os.Mkdir(dir, 0o755)
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("officers.csv", "officer_id,name,rank,unit,role,start_date,status\nO1,Ann,PC,U1,r,2015-03-01,serving\nO2,Bob,PC,U1,r,01/03/2015,serving\n")
	write("truth.csv", "officer_id,pattern,scenario_id\nO1,x,S1\n")

	// --strict: exit 2, rejects file, nothing written.
	e, out, errb := testEnv()
	err := run(ctx, []string{"load", "--strict", dir}, e)
	if exitCode(err) != 2 {
		t.Fatalf("strict load: exit %d (%v), want 2\n%s", exitCode(err), err, errb)
	}
	if n, _ := s.CountForTest(ctx, `MATCH (o:Officer) RETURN count(o)`); n != 0 {
		t.Fatalf("strict load wrote %d officers", n)
	}
	want := `officers.csv:3: start_date: "01/03/2015" is not a date (YYYY-MM-DD)`
	if !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), "truth.csv: ignored") {
		t.Fatalf("stderr lacks %q or the truth.csv notice:\n%s", want, errb)
	}
	if !strings.Contains(out.String(), "nothing written") {
		t.Fatalf("summary does not say nothing was written:\n%s", out)
	}
	f, err := os.Open(dir + ".rejects.csv")
	if err != nil {
		t.Fatalf("default rejects file: %v", err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 2 || strings.Join(rows[0], ",") != "file,line,column,reason,raw" ||
		strings.Join(rows[1][:4], "|") != `officers.csv|3|start_date|"01/03/2015" is not a date (YYYY-MM-DD)` ||
		rows[1][4] != "O2,Bob,PC,U1,r,01/03/2015,serving" {
		t.Fatalf("rejects file = %q, %v", rows, err)
	}

	// Without --strict: the good row loads, exit 2, rejects where asked.
	rejects := filepath.Join(t.TempDir(), "bad.csv")
	e, out, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", rejects, "--batch", "1", dir}, e); exitCode(err) != 2 {
		t.Fatalf("load: exit %d (%v), want 2", exitCode(err), err)
	}
	if n, _ := s.CountForTest(ctx, `MATCH (o:Officer {id:'O1'}) RETURN count(o)`); n != 1 {
		t.Fatalf("good row not loaded")
	}
	if _, err := os.Stat(rejects); err != nil {
		t.Fatalf("--rejects file: %v", err)
	}
	// Both loads are in the audit log, each before it ran: who, the folder, how.
	evs, err := s.AuditEvents(ctx, probity.AuditFilter{Actor: "cli:tester", First: 10})
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	if len(evs) != 2 || evs[0].Operation != "cli:load" || evs[0].Purpose != "load "+abs+" (strict)" || evs[1].Purpose != "load "+abs {
		t.Fatalf("audit events of the loads: %+v", evs)
	}
	for _, col := range []string{"file", "rows read", "loaded", "new", "rejected", "seconds", "rows/s", "officers.csv", "total"} {
		if !strings.Contains(out.String(), col) {
			t.Fatalf("summary lacks %q:\n%s", col, out)
		}
	}

	// The default rejects file cannot be written beside DIR (read-only data,
	// here a folder in its way): the rows are rejected into the temporary
	// folder instead, and the load goes on.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	os.Remove(dir + ".rejects.csv")
	if err := os.Mkdir(dir+".rejects.csv", 0o755); err != nil {
		t.Fatal(err)
	}
	e, _, errb = testEnv()
	if err := run(ctx, []string{"load", dir}, e); exitCode(err) != 2 || !strings.Contains(errb.String(), "rejected rows go to "+filepath.Join(tmp, "set.rejects.csv")) {
		t.Fatalf("load with its rejects file in the way: exit %d (%v)\n%s", exitCode(err), err, errb)
	}
	if b, err := os.ReadFile(filepath.Join(tmp, "set.rejects.csv")); err != nil || !strings.Contains(string(b), "01/03/2015") {
		t.Fatalf("fallback rejects file: %q, %v", b, err)
	}

	// Every row bad: the message does not say the others were loaded.
	bad := filepath.Join(t.TempDir(), "bad")
	os.Mkdir(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "officers.csv"), []byte("officer_id,start_date\nO9,yesterday\n"), 0o644)
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", filepath.Join(t.TempDir(), "r.csv"), bad}, e); exitCode(err) != 2 || !strings.Contains(err.Error(), "no row was loaded") {
		t.Fatalf("load of bad rows only: %v", err)
	}

	// Refused because another load holds the lock: no audit event, for it
	// was no load (opsV).
	before, _ := s.AuditEvents(ctx, probity.AuditFilter{Actor: "cli:tester", First: 100})
	if err := s.RunForTestParams(ctx, `MERGE (l:LoadLock {id: 'load'}) SET l.holder = 'other', l.host = 'elsewhere', l.pid = 4242,
		l.since = datetime(), l.expiresAt = datetime() + duration('PT1M')`, nil); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", filepath.Join(t.TempDir(), "r.csv"), dir}, e); exitCode(err) != 1 || !strings.Contains(err.Error(), "another load") {
		t.Fatalf("load under another's lock: exit %d (%v), want 1", exitCode(err), err)
	}
	if after, _ := s.AuditEvents(ctx, probity.AuditFilter{Actor: "cli:tester", First: 100}); len(after) != len(before) {
		t.Fatalf("a load refused for the lock wrote %d audit events", len(after)-len(before))
	}
	if err := s.RunForTest(ctx, `MATCH (l:LoadLock) DELETE l`); err != nil {
		t.Fatal(err)
	}

	// --if-empty: the database has an officer now, so nothing happens.
	write("officers.csv", "officer_id,name,rank,unit,role,start_date,status\nO3,Cy,PC,U1,r,,\n")
	e, out, _ = testEnv()
	if err := run(ctx, []string{"load", "--if-empty", dir}, e); err != nil {
		t.Fatalf("--if-empty: %v", err)
	}
	if n, _ := s.CountForTest(ctx, `MATCH (o:Officer {id:'O3'}) RETURN count(o)`); n != 0 || !strings.Contains(out.String(), "not loaded") {
		t.Fatalf("--if-empty loaded into a non-empty database (%d): %s", n, out)
	}

	// A folder without import files loads nothing, and says so in its exit
	// status: a daily file named otherwise must not look loaded.
	daily := t.TempDir()
	if err := os.WriteFile(filepath.Join(daily, "accesses_2025-06-01.csv"), []byte("officer_id,record_id,at\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, _, errOut := testEnv()
	if err := run(ctx, []string{"load", daily}, e); err == nil || !strings.Contains(err.Error(), "no file of the import format") ||
		!strings.Contains(errOut.String(), "named exactly accesses.csv") {
		t.Fatalf("a folder of misnamed files: %v; stderr %s", err, errOut)
	}
	// Clean: exit 0, and an earlier load's rejects file is not left to be
	// read as this one's.
	os.Remove(dir + ".rejects.csv") // the folder put in its way above
	if err := os.WriteFile(dir+".rejects.csv", []byte("file,line,column,reason,raw\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, _, errb = testEnv()
	if err := run(ctx, []string{"load", dir}, e); err != nil {
		t.Fatalf("clean load: %v", err)
	}
	if _, err := os.Stat(dir + ".rejects.csv"); !os.IsNotExist(err) || !strings.Contains(errb.String(), "an earlier load's rejected rows") {
		t.Fatalf("a stale rejects file after a clean load: %v\n%s", err, errb)
	}
}
