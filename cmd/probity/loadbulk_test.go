package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"probity/graph"
	"probity/graph/graphtest"
)

// TestLoadBulk loads a small generated set, with two bad rows and repeated
// rows in many files (repeatRows), through load --bulk (neo4j-admin, the
// test server stopped and started again by scripts/neo4j) and through the
// Bolt loader, and wants the same rejects and the same graph: every node,
// relationship and typed property; the repeats stored once with the
// properties MERGE and SET += give (each later row's non-empty cells over
// the earlier ones'). A second --bulk, into the now non-empty database, is
// refused. It needs the test server that scripts/test runs (NEO4J_DATA_DIR
// and NEO4J_BOLT_PORT set).
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
	checks := repeatRows(t, dir)

	const rejected = 4 // the two bad rows, the repeated payment id and person id

	load := func(args ...string) (string, string) {
		e, out, errb := env()
		rej := filepath.Join(tmp, args[0]+".rejects.csv")
		err := run(ctx, append([]string{"load", "--rejects", rej}, append(args[1:], dir)...), e)
		if exitCode(err) != 2 {
			t.Fatalf("load %v: exit %d (%v), want 2 (%d rejects)\n%s\n%s", args, exitCode(err), err, rejected, out, errb)
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
	graphtest.Mark(t, after) // the import replaced the database, the test marker with it
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
	if bulkRejects != boltRejects || strings.Count(boltRejects, "\n") != rejected+1 || strings.Count(boltRejects, " repeats line ") != 2 {
		t.Errorf("rejects differ or are not the two bad rows and the two repeated ids:\n--bulk:\n%s\nBolt:\n%s", bulkRejects, boltRejects)
	}
	for _, c := range checks {
		for way, g := range map[string][]string{"Bolt": boltGraph, "--bulk": bulkGraph} {
			var got []string
			for _, l := range g {
				if c.match(l) {
					got = append(got, l)
				}
			}
			if len(got) != c.n || (c.n > 0 && !c.ok(got[0])) {
				t.Errorf("%s, %s: %d line(s) %q, want %d %s", c.what, way, len(got), got, c.n, c.want)
			}
		}
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

// repeatCheck is what the graph must hold after the rows of repeatRows:
// n snapshot lines that match, the first one ok.
type repeatCheck struct {
	what, want string
	n          int
	match, ok  func(line string) bool
}

// has returns a test that a line contains every part.
func has(parts ...string) func(string) bool {
	return func(l string) bool {
		for _, p := range parts {
			if !strings.Contains(l, p) {
				return false
			}
		}
		return true
	}
}

// repeatRows appends to the generated set in dir rows that repeat the key
// of an earlier row (the same relationship, owned node or id), verbatim or
// with other non-key cells, some far from their first row (other batches
// of the Bolt loader), some next to it, and returns what the graph must then
// hold.
func repeatRows(t *testing.T, dir string) []repeatCheck {
	t.Helper()
	row := func(name string, i int) []string { // data row i (from 1) of a file
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil || len(recs) <= i {
			t.Fatalf("%s: %d rows, %v; want row %d", name, len(recs)-1, err, i)
		}
		return recs[i]
	}
	add := func(name string, rows ...[]string) {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		w.WriteAll(rows)
		if err := errors.Join(w.Error(), f.Close()); err != nil {
			t.Fatal(err)
		}
	}
	with := func(r []string, cells map[int]string) []string {
		r = slices.Clone(r)
		for i, v := range cells {
			r[i] = v
		}
		return r
	}
	var checks []repeatCheck
	check := func(what string, n int, match func(string) bool, want ...string) {
		checks = append(checks, repeatCheck{what: what, want: strings.Join(want, ", "), n: n, match: match, ok: has(want...)})
	}
	rel := func(a, typ, b string) func(string) bool { return has(":"+a+":"+typ+":", ":"+b+" {") }

	// An access (officer_id,record_id,at,system,channel,terminal,purpose):
	// verbatim, then with the same instant in another zone, no terminal and
	// another purpose.
	acc := row("accesses.csv", 5)
	at, err := time.Parse(time.RFC3339, acc[2])
	if err != nil || acc[5] == "" {
		t.Fatalf("access %v: %v", acc, err)
	}
	add("accesses.csv", acc, with(acc, map[int]string{2: at.In(time.FixedZone("", 3600)).Format(time.RFC3339), 5: "", 6: "second look"}))
	check("repeated access", 1, has(":"+acc[0]+":ACCESSED:", ":"+acc[1]+" {", "at=string:"+acc[2]+"@"),
		"purpose=string:second look", "terminal=string:"+acc[5], "channel=string:"+acc[4])

	// A payment repeated: its id repeats, rejected both ways.
	pay := row("payments.csv", 3)
	add("payments.csv", with(pay, map[int]string{6: "again"}))
	check("repeated payment", 1, has(":PAID:", "id=string:"+pay[0]+","), "reference=string:"+pay[6])

	// A relation (party_a,party_b,type,source,since): verbatim, then with
	// another source and no since.
	r := row("relations.csv", 7)
	add("relations.csv", r, with(r, map[int]string{3: "tip-off", 4: ""}))
	check("repeated relation", 1, has(":"+r[0]+":RELATED_TO:", ":"+r[1]+" {", "type=string:"+r[2]), "source=string:tip-off", "since=dbtype.Date:"+r[4])

	// A person id repeated with another name: rejected, the first stays.
	p := row("persons.csv", 2)
	add("persons.csv", with(p, map[int]string{1: "Someone Else"}))
	check("repeated person id", 1, has("Person {", "id=string:"+p[0]+","), "name=string:"+p[1])

	// A holder and a record subject, verbatim (links without properties).
	h := row("holders.csv", 3)
	add("holders.csv", h)
	check("repeated holder", 1, rel(h[0], "HOLDS", h[1]))
	rs := row("record_subjects.csv", 3)
	add("record_subjects.csv", rs)
	check("repeated record subject", 1, rel(rs[0], "ABOUT", rs[1]))

	// A shift (officer_id,date,start,end,declared_location; keyed by
	// officer, date and start) again with no end and the other location:
	// one node, the end of the first row.
	sh := row("shifts.csv", 4)
	other := map[string]string{"onsite": "remote", "remote": "onsite"}[sh[4]]
	add("shifts.csv", with(sh, map[int]string{3: "", 4: other}))
	shID := sh[0] + "/" + sh[1] + "/" + sh[2]
	check("repeated shift", 1, has("Shift {", "id=string:"+shID+","), "declaredLocation=string:"+other, "start=string:"+sh[2]+"@", "end=string:"+sh[3]+"@")
	check("repeated shift's link", 1, has(":"+sh[0]+":WORKED:Shift:"+shID+" {"))
	// A night shift given in times of day, twice: its end is the next day.
	add("shifts.csv", []string{sh[0], "2031-01-01", "22:00", "06:00", "onsite"}, []string{sh[0], "2031-01-01", "22:00", "06:00", "remote"})
	check("night shift", 1, has("Shift {", "id=string:"+sh[0]+"/2031-01-01/2031-01-01T22:00:00Z,"), "end=string:2031-01-02T06:00:00Z@", "declaredLocation=string:remote")

	// A badge swipe (officer_id,at,site) at the same instant in another
	// zone, at another site: one node, the later site.
	bs := row("badge_swipes.csv", 6)
	bat, err := time.Parse(time.RFC3339, bs[1])
	if err != nil {
		t.Fatal(err)
	}
	add("badge_swipes.csv", []string{bs[0], bat.In(time.FixedZone("", -7200)).Format(time.RFC3339), "Annex"})
	check("repeated swipe", 1, has("BadgeSwipe {", "id=string:"+bs[0]+"/"+bs[1]+","), "site=string:Annex")

	// A misconduct case (case_id,officer_id,category,outcome,decided_on):
	// the officer's row again with another outcome and no date; the case
	// for a second officer: one case node, two links.
	mc := row("misconduct_history.csv", 1)
	officer := row("officers.csv", 50)[0]
	add("misconduct_history.csv", with(mc, map[int]string{3: "proven", 4: ""}), with(mc, map[int]string{1: officer}))
	check("repeated misconduct", 1, rel(mc[1], "SUBJECT_OF", mc[0]), "outcome=string:proven", "decidedOn=dbtype.Date:"+mc[4])
	check("shared misconduct case", 1, has("MisconductCase {", "id=string:"+mc[0]+"}"))
	check("shared misconduct case's links", 2, has(":SUBJECT_OF:MisconductCase:"+mc[0]+" {"))

	// A complaint's officer (complaint_id,officer_id,role,finding,penalty)
	// with a penalty added.
	co := row("complaint_officers.csv", 2)
	add("complaint_officers.csv", with(co, map[int]string{4: "written warning"}))
	check("repeated complaint officer", 1, rel(co[1], "NAMED_IN", co[0]), "penalty=string:written warning", "role=string:"+co[2])

	// A directorship without its key (from), twice in a row (one batch of
	// the Bolt loader): one link without from, the two rows merged.
	d := row("directorships.csv", 2)
	add("directorships.csv", []string{d[0], d[1], "secretary", "", ""}, []string{d[0], d[1], "", "", "2031-02-01"})
	check("keyless directorship", 1, func(l string) bool { return rel(d[0], "DIRECTOR_OF", d[1])(l) && !strings.Contains(l, "from=") },
		"role=string:secretary", "to=dbtype.Date:2031-02-01")
	// Cells as other tools write them: a date-time without a zone and with
	// a space for the T, an enum value and booleans in capitals.
	acc2 := row("accesses.csv", 6)
	add("accesses.csv", with(acc2, map[int]string{2: "2031-03-01 08:30:00.5", 4: "REMOTE"}))
	check("access in other spellings", 1, has(":"+acc2[0]+":ACCESSED:", ":"+acc2[1]+" {", "at=string:2031-03-01T08:30:00.5Z@"), "channel=string:remote")
	add("persons.csv", []string{"PCAPS1", "Cap Case", "", "TRUE", "", "False"})
	check("person in other spellings", 1, has("Person {", "id=string:PCAPS1,"), "poi=bool:true", "highProfile=bool:false")
	// A payment dated by its day alone: the start of that UTC day.
	add("payments.csv", with(pay, map[int]string{0: "PAYDAY1", 5: "2031-04-01"}))
	check("payment dated by its day", 1, has(":PAID:", "id=string:PAYDAY1,"), "at=string:2031-04-01T00:00:00Z@")

	// An officer attribute the format does not name (a Grade_Band column,
	// empty for every third officer), kept as text under its name in lower
	// case, beside the generator's own gender column.
	f, err := os.Open(filepath.Join(dir, "officers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	offs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	offs[0] = append(offs[0], "Grade_Band")
	for i := 1; i < len(offs); i++ {
		offs[i] = append(offs[i], []string{"", "B1", "B2"}[i%3])
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(offs)
	if err := os.WriteFile(filepath.Join(dir, "officers.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	check("officer attribute", 1, has("Officer:Party {", "id=string:"+offs[1][0]+","), "grade_band=string:B1", "gender=string:")
	check("officer without the attribute", 1, func(l string) bool {
		return has("Officer:Party {", "id=string:"+offs[3][0]+",")(l) && !strings.Contains(l, "grade_band=")
	})
	return checks
}
