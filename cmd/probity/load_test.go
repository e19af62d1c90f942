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
	if err := run(ctx, []string{"load", dir}, e); exitCode(err) != 2 || !strings.Contains(errb.String(), "rejected rows go to "+filepath.Join(tmp, "probity-rejects-")) {
		t.Fatalf("load with its rejects file in the way: exit %d (%v)\n%s", exitCode(err), err, errb)
	}
	// in a folder of its own, readable by this account only (opsX L4)
	fallback, _ := filepath.Glob(filepath.Join(tmp, "probity-rejects-*", "set.rejects.csv"))
	if len(fallback) != 1 {
		t.Fatalf("fallback rejects files: %v", fallback)
	}
	if b, err := os.ReadFile(fallback[0]); err != nil || !strings.Contains(string(b), "01/03/2015") {
		t.Fatalf("fallback rejects file: %q, %v", b, err)
	}
	for _, p := range []string{fallback[0], filepath.Dir(fallback[0])} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm()&0o077 != 0 {
			t.Fatalf("%s: %v, %v: want no access for others", p, st.Mode(), err)
		}
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

	// A file meant for the format under another name refuses the load,
	// before anything is written, also beside files named right: a daily
	// file named otherwise must not look loaded (formatB M2).
	daily := t.TempDir()
	for name, body := range map[string]string{
		"accesses_2025-06-01.csv": "officer_id,record_id,at\n",
		"Payments.csv":            "payment_id,from_account,to_account,amount,currency,at,reference\n",
		"officers.csv":            "officer_id,name,rank,unit,role,start_date,status\nO-daily,Di,PC,U1,r,,\n",
	} {
		if err := os.WriteFile(filepath.Join(daily, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(daily, "phones.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	err = run(ctx, []string{"load", daily}, e)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "named exactly accesses.csv") || !strings.Contains(err.Error(), "lower case: payments.csv") ||
		!strings.Contains(err.Error(), "phones.csv: a folder, not a file") ||
		!strings.Contains(err.Error(), "nothing loaded") {
		t.Fatalf("a folder with misnamed files: %v", err)
	}
	if n, _ := s.CountForTest(ctx, `MATCH (o:Officer {id: 'O-daily'}) RETURN count(o)`); n != 0 {
		t.Fatal("a folder with misnamed files loaded its officers.csv")
	}
	// A folder of files not of the format loads nothing, exit 1.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.csv"), []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", other}, e); err == nil || !strings.Contains(err.Error(), "no file of the import format") {
		t.Fatalf("a folder of no import files: %v", err)
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

// A --rejects that would destroy a file or cannot be written refuses the
// load before anything is written, exit 64 (formatB M1, L2): a file of
// the set, a file that is not a rejects file, a folder, a path inside the
// set, a folder that does not exist. An earlier rejects file there is
// overwritten or, after a clean load, removed. Bad --batch and --writers
// are usage errors too (L3).
func TestLoadRejectsPathSafe(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	root := t.TempDir()
	dir := filepath.Join(root, "set")
	os.Mkdir(dir, 0o755)
	officers := "officer_id,name,rank,unit,role,start_date,status\nO1,Ann,PC,U1,r,2015-03-01,serving\nO2,Bob,PC,U1,r,01/03/2015,serving\n"
	accesses := "officer_id,record_id,at,system,channel,terminal,purpose\n"
	notes := filepath.Join(root, "notes.txt")
	for path, body := range map[string]string{filepath.Join(dir, "officers.csv"): officers, filepath.Join(dir, "accesses.csv"): accesses, notes: "keep me\n"} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ args []string }{
		{[]string{"--rejects", filepath.Join(dir, "accesses.csv")}},
		{[]string{"--rejects", filepath.Join(dir, "officers.csv")}},
		{[]string{"--rejects", filepath.Join(dir, "new.csv")}},
		{[]string{"--rejects", notes}},
		{[]string{"--rejects", root}},
		{[]string{"--rejects", filepath.Join(root, "no", "such", "r.csv")}},
		{[]string{"--batch", "0"}},
		{[]string{"--writers", "-3"}},
	} {
		e, _, _ := testEnv()
		err := run(ctx, append(append([]string{"load"}, c.args...), dir), e)
		if exitCode(err) != 64 {
			t.Errorf("load %v: exit %d (%v), want 64", c.args, exitCode(err), err)
		}
	}
	if n, _ := s.CountForTest(ctx, `MATCH (o:Officer) RETURN count(o)`); n != 0 {
		t.Fatalf("a refused --rejects loaded %d officers", n)
	}
	for path, body := range map[string]string{filepath.Join(dir, "officers.csv"): officers, filepath.Join(dir, "accesses.csv"): accesses, notes: "keep me\n"} {
		if b, err := os.ReadFile(path); err != nil || string(b) != body {
			t.Errorf("%s after the refused loads: %q, %v", path, b, err)
		}
	}
	// A link to the set's folder is the set (reviewM L3).
	link := filepath.Join(root, "setlink")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	e, _, _ := testEnv()
	if err := run(ctx, []string{"load", "--rejects", filepath.Join(link, "rejects.csv"), dir}, e); exitCode(err) != 64 {
		t.Fatalf("--rejects through a link into the set: exit %d (%v), want 64", exitCode(err), err)
	}
	// /dev/null asks for no rejects file, and stays (reviewM L4).
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", os.DevNull, dir}, e); exitCode(err) != 2 {
		t.Fatalf("--rejects /dev/null: exit %d (%v), want 2", exitCode(err), err)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s after the load: %v, %v", os.DevNull, st, err)
	}
	// An earlier rejects file is overwritten by this load's rows, also one
	// a spreadsheet saved again with a byte-order mark (reviewM L5).
	earlier := filepath.Join(root, "r.csv")
	if err := os.WriteFile(earlier, []byte("\uFEFFfile,line,column,reason,raw\r\nold.csv,9,x,old,\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", earlier, dir}, e); exitCode(err) != 2 {
		t.Fatalf("load over an earlier rejects file: exit %d (%v)", exitCode(err), err)
	}
	if b, _ := os.ReadFile(earlier); strings.Contains(string(b), "old.csv") || !strings.Contains(string(b), "01/03/2015") {
		t.Fatalf("rejects file after the load: %q", b)
	}
	// Through a link to an earlier rejects file: made anew, 0600, its old
	// rows gone (reviewN M3: opened in place, they stayed).
	if err := os.WriteFile(earlier, []byte("file,line,column,reason,raw\nold.csv,9,x,old,\nold.csv,10,x,old,\nold.csv,11,x,old,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	latest := filepath.Join(root, "latest.csv")
	if err := os.Symlink(earlier, latest); err != nil {
		t.Fatal(err)
	}
	e, _, _ = testEnv()
	if err := run(ctx, []string{"load", "--rejects", latest, dir}, e); exitCode(err) != 2 {
		t.Fatalf("load through a link: exit %d (%v)", exitCode(err), err)
	}
	if b, _ := os.ReadFile(latest); strings.Contains(string(b), "old.csv") || !strings.Contains(string(b), "01/03/2015") {
		t.Fatalf("rejects file through a link after the load: %q", b)
	}
	if st, err := os.Stat(earlier); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("rejects file through a link: %v, %v; want 0600", st.Mode(), err)
	}
}
