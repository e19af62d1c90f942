package graph_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// loadSet loads dir and returns the report and the rejects as strings.
func loadSet(t *testing.T, s *graph.Store, dir string, opts graph.LoadOptions) (*graph.LoadReport, []string, *notices) {
	t.Helper()
	var rejects []string
	also := opts.OnReject
	opts.OnReject = func(r graph.Reject) error {
		rejects = append(rejects, r.String())
		if also != nil {
			return also(r)
		}
		return nil
	}
	n := &notices{}
	if opts.Progress == nil {
		opts.Progress = n
	}
	rep, err := s.Load(context.Background(), dir, opts)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return rep, rejects, n
}

// notices is a Progress that keeps the notices and checks the call order.
type notices struct {
	msgs    []string
	files   []string
	onRows  func(file string, rows int)
	started string
}

func (n *notices) FileStart(file string, size int64, checking bool) { n.started = file }
func (n *notices) FileProgress(file string, rows int, bytes int64) {
	if n.onRows != nil {
		n.onRows(file, rows)
	}
}
func (n *notices) FileDone(r graph.FileReport) { n.files = append(n.files, r.File) }
func (n *notices) Notice(msg string)           { n.msgs = append(n.msgs, msg) }

func count(t *testing.T, s *graph.Store, cypher string) int64 {
	t.Helper()
	n, err := s.CountForTest(context.Background(), cypher)
	if err != nil {
		t.Fatalf("%v\n%s", err, cypher)
	}
	return n
}

func snapshot(t *testing.T, s *graph.Store) []string {
	t.Helper()
	snap, err := s.SnapshotForTest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func sameGraph(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("%s: graphs differ (%d vs %d lines); first difference:\n got  %s\n want %s", what, len(got), len(want), g, w)
		}
	}
}

// writeSet writes files (name → content) into a new temporary folder.
func writeSet(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.TrimLeft(content, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadRoundTrip(t *testing.T) {
	s := graphtest.Open(t)
	rep, rejects, n := loadSet(t, s, "testdata/load/full", graph.LoadOptions{})
	if len(rejects) != 0 || rep.Rejected != 0 {
		t.Fatalf("rejects: %v", rejects)
	}
	if len(rep.Files) != len(probity.ImportFiles) {
		t.Fatalf("loaded %d files, want all %d", len(rep.Files), len(probity.ImportFiles))
	}
	for i, f := range rep.Files {
		if f.File != probity.ImportFiles[i].Name {
			t.Fatalf("file %d = %s, want %s (ImportFiles order)", i, f.File, probity.ImportFiles[i].Name)
		}
		if f.Read == 0 || f.Loaded != f.Read {
			t.Errorf("%s: read %d, loaded %d", f.File, f.Read, f.Loaded)
		}
	}
	if !slices.ContainsFunc(n.msgs, func(m string) bool { return strings.HasPrefix(m, "truth.csv: ignored") }) ||
		!slices.ContainsFunc(n.msgs, func(m string) bool { return strings.HasPrefix(m, "README.md: ignored") }) {
		t.Errorf("notices = %q, want truth.csv and README.md ignored", n.msgs)
	}

	checks := []struct{ name, cypher string }{
		{"officer", `MATCH (o:Officer:Party {id:'O1', name:'Alex Vance', rank:'PC', unit:'U1', role:'response', status:'serving'})
			WHERE o.startDate = date('2015-03-01') AND valueType(o.startDate) = 'DATE NOT NULL'`},
		{"quoted name, empty date absent", `MATCH (o:Officer {id:'O2', name:'Sam "Sly" Reed'}) WHERE o.startDate IS NULL AND NOT 'startDate' IN keys(o)`},
		{"person poi", `MATCH (p:Person:Party {id:'P1', name:'Jo Marsh', poi:true, highProfile:false, poiReason:'organised crime'})
			WHERE p.dob = date('1980-05-17') AND valueType(p.poi) = 'BOOLEAN NOT NULL' AND valueType(p.highProfile) = 'BOOLEAN NOT NULL'`},
		{"person defaults", `MATCH (p:Person {id:'P2', poi:false, highProfile:true}) WHERE p.dob IS NULL AND p.poiReason IS NULL`},
		{"company", `MATCH (c:Company:Party {id:'C1', name:'Marsh Trading Ltd'}) WHERE c.registered = date('2019-11-02')`},
		{"account", `MATCH (a:Account {id:'AC1', bank:'Northbank'}) MATCH (b:Account {id:'AC3'}) WHERE b.bank IS NULL AND NOT b:Party`},
		{"address", `MATCH (a:Address {id:'AD1', line:'12 High Street, Flat 2', postcode:'AB1 2CD'})`},
		{"phone", `MATCH (p:Phone {id:'PH1'})`},
		{"case", `MATCH (c:Case {id:'CA1', type:'burglary', title:'Op Lantern', status:'open'}) WHERE c.opened = date('2024-01-10')`},
		{"complaint", `MATCH (c:Complaint {id:'CP1', category:'Use of force', status:'closed'}) WHERE c.received = date('2024-02-01')`},
		{"record part of case", `MATCH (r:Record {id:'R1', system:'PNC', kind:'person'})-[:PART_OF]->(:Case {id:'CA1'}) WHERE r.caseId IS NULL`},
		{"record without case", `MATCH (r:Record {id:'R2', system:'Niche', kind:'vehicle'}) WHERE NOT (r)-[:PART_OF]->()`},
		{"about person", `MATCH (:Record {id:'R1'})-[:ABOUT]->(:Person {id:'P1'})`},
		{"about address", `MATCH (:Record {id:'R2'})-[:ABOUT]->(:Address {id:'AD1'})`},
		{"access in UTC", `MATCH (:Officer {id:'O1'})-[r:ACCESSED {system:'PNC', channel:'remote', terminal:'T-9', purpose:'enquiry'}]->(:Record {id:'R1'})
			WHERE r.at = datetime('2024-03-01T10:15:00Z') AND valueType(r.at) = 'ZONED DATETIME NOT NULL' AND r.at.offsetSeconds = 0`},
		{"access from +01:00 stored in UTC", `MATCH (:Officer {id:'O1'})-[r:ACCESSED {channel:'onsite'}]->(:Record {id:'R1'})
			WHERE r.at = datetime('2024-03-01T11:15:00Z') AND r.at.offsetSeconds = 0 AND r.at.hour = 11 AND r.terminal IS NULL AND r.purpose IS NULL`},
		{"access fractional seconds", `MATCH (:Officer {id:'O2'})-[r:ACCESSED]->(:Record {id:'R2'}) WHERE r.at = datetime('2024-03-02T09:00:00.5Z') AND r.channel IS NULL`},
		{"assignment", `MATCH (:Officer {id:'O1'})-[r:ASSIGNED_TO]->(:Case {id:'CA1'}) WHERE r.from = date('2024-01-10') AND r.to = date('2024-02-28')`},
		{"holders", `MATCH (:Officer {id:'O1'})-[:HOLDS]->(:Account {id:'AC1'}) MATCH (:Person {id:'P1'})-[:HOLDS]->(:Account {id:'AC2'}) MATCH (:Company {id:'C1'})-[:HOLDS]->(:Account {id:'AC3'})`},
		{"payment", `MATCH (:Account {id:'AC2'})-[p:PAID {id:'PAY1', amount:1500.5, currency:'GBP', reference:'consultancy'}]->(:Account {id:'AC1'})
			WHERE valueType(p.amount) = 'FLOAT NOT NULL' AND p.at = datetime('2024-03-05T12:00:00Z')`},
		{"payment negative, -05:00", `MATCH (:Account {id:'AC3'})-[p:PAID {id:'PAY2', amount:-20.0}]->(:Account {id:'AC1'})
			WHERE p.at = datetime('2024-03-06T05:00:00Z') AND p.at.offsetSeconds = 0 AND p.currency IS NULL AND p.reference IS NULL`},
		{"residence", `MATCH (:Officer {id:'O1'})-[r:LIVES_AT]->(:Address {id:'AD1'}) WHERE r.from = date('2020-01-01') AND r.to IS NULL`},
		{"residence without from", `MATCH (:Person {id:'P1'})-[r:LIVES_AT]->(:Address {id:'AD1'}) WHERE r.from IS NULL AND keys(r) = ['loadedAt']`},
		{"phone use", `MATCH (:Person {id:'P1'})-[r:USES_PHONE]->(:Phone {id:'PH1'}) WHERE r.from IS NULL AND r.to = date('2023-12-31')`},
		{"directorship", `MATCH (:Person {id:'P1'})-[r:DIRECTOR_OF {role:'director'}]->(:Company {id:'C1'}) WHERE r.from = date('2019-11-02') AND r.to IS NULL`},
		{"relation", `MATCH (:Officer {id:'O1'})-[r:RELATED_TO {type:'family', source:'HR declaration'}]->(:Person {id:'P2'}) WHERE r.since = date('2010-06-01')`},
		{"relation to person", `MATCH (:Officer {id:'O2'})-[r:RELATED_TO {type:'associate'}]->(:Person {id:'P1'}) WHERE r.source IS NULL`},
		{"declaration", `MATCH (:Officer {id:'O1'})-[r:DECLARED {type:'association'}]->(:Person {id:'P2'}) WHERE r.on = date('2015-03-01')`},
		{"declaration of company", `MATCH (:Officer {id:'O1'})-[r:DECLARED {type:'business_interest'}]->(:Company {id:'C1'}) WHERE r.on IS NULL`},
		{"shift", `MATCH (:Officer {id:'O1'})-[:WORKED]->(s:Shift {id:'O1/2024-03-01/2024-03-01T08:00:00Z', declaredLocation:'onsite'})
			WHERE s.date = date('2024-03-01') AND s.start = datetime('2024-03-01T08:00:00Z') AND s.end = datetime('2024-03-01T16:00:00Z')`},
		{"overnight shift with zone", `MATCH (:Officer {id:'O2'})-[:WORKED]->(s:Shift {id:'O2/2024-03-01/2024-03-01T21:00:00Z', declaredLocation:'remote'})
			WHERE s.start = datetime('2024-03-01T21:00:00Z') AND s.end = datetime('2024-03-02T05:00:00Z') AND s.start.offsetSeconds = 0`},
		{"shift without end", `MATCH (:Officer {id:'O2'})-[:WORKED]->(s:Shift {id:'O2/2024-03-02/2024-03-02T08:00:00Z'}) WHERE s.start = datetime('2024-03-02T08:00:00Z') AND s.end IS NULL`},
		{"badge swipe", `MATCH (:Officer {id:'O1'})-[:SWIPED]->(b:BadgeSwipe {id:'O1/2024-03-01T07:55:00Z', site:'HQ'}) WHERE b.at = datetime('2024-03-01T07:55:00Z')`},
		{"badge swipe id in UTC", `MATCH (:Officer {id:'O1'})-[:SWIPED]->(b:BadgeSwipe {id:'O1/2024-03-01T11:00:00Z'}) WHERE b.site IS NULL`},
		{"misconduct", `MATCH (:Officer {id:'O2'})-[r:SUBJECT_OF {category:'data misuse', outcome:'proven'}]->(m:MisconductCase {id:'MC1'}) WHERE r.decidedOn = date('2022-09-30')`},
		{"named in", `MATCH (:Officer {id:'O1'})-[r:NAMED_IN {role:'accused', finding:'sustained', penalty:'written warning'}]->(:Complaint {id:'CP1'})`},
		{"named in pending", `MATCH (:Officer {id:'O2'})-[r:NAMED_IN {role:'witness'}]->(:Complaint {id:'CP1'}) WHERE r.finding IS NULL AND r.penalty IS NULL`},
		{"named again in another role", `MATCH (:Officer {id:'O2'})-[r:NAMED_IN {role:'investigator'}]->(:Complaint {id:'CP1'})`},
	}
	for _, c := range checks {
		if got := count(t, s, c.cypher+" RETURN count(*)"); got != 1 {
			t.Errorf("%s: %d matches, want 1:\n%s", c.name, got, c.cypher)
		}
	}
	if got := count(t, s, `MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n)`); got != 20 {
		t.Errorf("nodes = %d, want 20", got)
	}
	if got := count(t, s, `MATCH ()-[r]->() RETURN count(r)`); got != 29 {
		t.Errorf("relationships = %d, want 29", got)
	}
	if got := count(t, s, `MATCH (n) WHERE any(k IN keys(n) WHERE n[k] = '') RETURN count(n)`); got != 0 {
		t.Errorf("%d nodes hold an empty string", got)
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	s := graphtest.Open(t)
	rep, _, _ := loadSet(t, s, "testdata/load/full", graph.LoadOptions{})
	first := snapshot(t, s)
	// New counts what the rows created: every node or link of the first load.
	news := map[string]int{}
	for _, f := range rep.Files {
		news[f.File] = f.New
	}
	for file, q := range map[string]string{
		"officers.csv":        `MATCH (o:Officer) RETURN count(o)`,
		"records.csv":         `MATCH (r:Record) RETURN count(r)`,
		"accesses.csv":        `MATCH ()-[r:ACCESSED]->() RETURN count(r)`,
		"record_subjects.csv": `MATCH ()-[r:ABOUT]->() RETURN count(r)`,
	} {
		if want := count(t, s, q); int64(news[file]) != want || want == 0 {
			t.Errorf("first load: %s new = %d, want %d", file, news[file], want)
		}
	}
	rep, rejects, _ := loadSet(t, s, "testdata/load/full", graph.LoadOptions{BatchSize: 1})
	if len(rejects) != 0 {
		t.Fatalf("second load rejected %v", rejects)
	}
	if rep.Files[0].Loaded == 0 {
		t.Fatalf("second load loaded nothing: %+v", rep.Files[0])
	}
	for _, f := range rep.Files {
		if f.New != 0 {
			t.Errorf("second load: %s new = %d, want 0 (all already stored)", f.File, f.New)
		}
	}
	sameGraph(t, "after a second load", snapshot(t, s), first)
	if len(first) != 20+29 {
		t.Fatalf("snapshot has %d lines, want 49", len(first))
	}
}

// A load stamps the links an incremental scan must find however they are
// dated (graph.StampedRels) when it creates them or changes them; a reload
// of the same rows stamps nothing.
func TestLoadStampsNewAndChangedLinks(t *testing.T) {
	s := graphtest.Open(t)
	loadSet(t, s, "testdata/load/full", graph.LoadOptions{}) // fresh: the CREATE statements
	var stamped []string
	for r := range graph.StampedRels {
		stamped = append(stamped, r)
	}
	types := "['" + strings.Join(stamped, "', '") + "']"
	if n := count(t, s, `MATCH ()-[r]->() WHERE type(r) IN `+types+` AND r.loadedAt IS NULL RETURN count(r)`); n != 0 {
		t.Fatalf("%d links of %s without loadedAt after the first load", n, types)
	}
	if n := count(t, s, `MATCH ()-[r]->() WHERE NOT type(r) IN `+types+` AND r.loadedAt IS NOT NULL RETURN count(r)`); n != 0 {
		t.Fatalf("%d other links stamped", n)
	}
	run(t, s, `MATCH ()-[r]->() WHERE r.loadedAt IS NOT NULL SET r.stampWas = r.loadedAt`)
	restamped := func() int64 {
		return count(t, s, `MATCH ()-[r]->() WHERE r.loadedAt <> r.stampWas OR r.stampWas IS NULL AND r.loadedAt IS NOT NULL RETURN count(r)`)
	}
	loadSet(t, s, "testdata/load/full", graph.LoadOptions{BatchSize: 1}) // the MERGE statements
	if n := restamped(); n != 0 {
		t.Fatalf("a reload of the same rows stamped %d links again", n)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{
		// O1's residence gets its end; P1's (no from: the null-key statement) too
		"residences.csv": "party_id,address_id,from,to\nO1,AD1,2020-01-01,2024-01-01\nP1,AD1,,2023-05-01\n",
		// O1 holds AC2 too (new); O1's AC1 again (unchanged)
		"holders.csv": "party_id,account_id\nO1,AC2\nO1,AC1\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	loadSet(t, s, dir, graph.LoadOptions{})
	if n := restamped(); n != 3 {
		t.Fatalf("%d links stamped again, want 3 (two residences given an end, a new holder)", n)
	}
	if n := count(t, s, `MATCH (:Officer {id: 'O1'})-[r:HOLDS]->(:Account {id: 'AC1'}) WHERE r.loadedAt = r.stampWas RETURN count(r)`); n != 1 {
		t.Fatalf("an unchanged holder was stamped again")
	}
}

// badSet has one bad row of every kind among good ones.
var badSet = map[string]string{
	"officers.csv": `
officer_id,name,rank,unit,role,start_date,status
O1,Ann,PC,U1,response,2015-03-01,serving
O2,Bob,PC,U1,response,2015-13-01,serving
O3,Cy,PC,U1,response,2015-03-01
,Di,PC,U1,response,,
O1,Ed,PC,U1,response,,
O4,Fr` + "\xff" + `d,PC,U1,response,,
"O5","two
lines",PC,U1,response,,
O6,Gus,PC,U1,response,,
O7,"Ha"l,PC,U1,response,,
O8,Ivy,PC,U1,response,,
`,
	"persons.csv": `
person_id,name,dob,poi,poi_reason,high_profile
P1,Jo,,yes,,
O6,Dup,,,,
P2,Kim,,,,
`,
	"records.csv": `
record_id,system,kind,case_id
R1,PNC,person,
R2,PNC,person,CA9
`,
	"accounts.csv": `
account_id,bank
AC1,
AC2,
`,
	"accesses.csv": `
officer_id,record_id,at,system,channel,terminal,purpose
O1,R1,2024-03-01T10:00:00Z,,remote,,
O1,R9,2024-03-01T10:00:00Z,,remote,,
O1,R1,01/03/2024 10:00,,remote,,
O1,R1,2024-03-02T10:00:00Z,,bike,,
O2,R1,2024-03-03T10:00:00Z,,,,
O1,R1,,,,,
`,
	"payments.csv": `
payment_id,from_account,to_account,amount,currency,at,reference
PAY1,AC1,AC2,12.50,GBP,2024-03-05T12:00:00Z,
PAY2,AC1,AC2,"1,50",GBP,2024-03-05T12:00:00Z,
`,
	"holders.csv": `
party_id,account_id
`,
	"shifts.csv": `
officer_id,date,start,end
O1,2024-03-01,08:00,16:00
`,
}

var badSetRejects = []string{
	`officers.csv:3: start_date: "2015-13-01" is not a date (YYYY-MM-DD)`,
	`officers.csv:4: 6 fields, header has 7`,
	`officers.csv:5: officer_id: required`,
	`officers.csv:6: officer_id: id "O1" repeats line 2`,
	`officers.csv:7: name: not valid UTF-8 (byte 0xFF at 2: Windows-1252 or Latin-1? save the file as "CSV UTF-8")`,
	`officers.csv:11: not valid CSV: extraneous or missing " in quoted-field`,
	`persons.csv:2: poi: "yes" is not true or false`,
	`persons.csv:3: person_id: id "O6" is already a party: Officer (officers.csv line 10)`,
	`records.csv:3: case_id: no Case with id "CA9" in the set or the database`,
	`shifts.csv:1: bad header: missing required column(s) declared_location (want officer_id,date,start,end,declared_location, in any order); file skipped`,
	`accesses.csv:3: record_id: no Record with id "R9" in the set or the database`,
	`accesses.csv:4: at: "01/03/2024 10:00" is not an RFC 3339 date-time`,
	`accesses.csv:5: channel: "bike" is not one of onsite, remote`,
	`accesses.csv:6: officer_id: no Officer with id "O2": its own row was rejected (officers.csv line 3)`,
	`accesses.csv:7: at: required`,
	`payments.csv:3: amount: "1,50" is not a decimal number`,
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestLoadRejectsBadRows(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, badSet)
	var rawCSV string // the text of the row that is not valid CSV, for the rejects file
	lastLine := map[string]int{}
	rep, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{OnReject: func(r graph.Reject) error {
		if r.File == "officers.csv" && r.Line == 11 {
			rawCSV = r.Raw
		}
		// A file's rejects come in line order, whether the row was found
		// bad when read (a bad date) or when its batch was checked (an
		// unknown id).
		if r.Line < lastLine[r.File] {
			t.Errorf("%s: the reject of line %d came after that of line %d", r.File, r.Line, lastLine[r.File])
		}
		lastLine[r.File] = r.Line
		return nil
	}})
	if rawCSV != `O7,"Ha"l,PC,U1,response,,` {
		t.Errorf("raw text of the row that is not valid CSV = %q", rawCSV)
	}
	if got, want := sortedCopy(rejects), sortedCopy(badSetRejects); !slices.Equal(got, want) {
		t.Fatalf("rejects:\n%s\nwant:\n%s", strings.Join(rejects, "\n"), strings.Join(badSetRejects, "\n"))
	}
	if rep.Rejected != len(badSetRejects) || !rep.Written {
		t.Fatalf("report rejected %d written %v, want %d true", rep.Rejected, rep.Written, len(badSetRejects))
	}
	// The good rows are in, the bad ones are not.
	for _, c := range []struct {
		cypher string
		want   int64
	}{
		{`MATCH (o:Officer) RETURN count(o)`, 4}, // O1, O5 (two lines), O6, O8
		{`MATCH (o:Officer) WHERE o.id IN ['O1','O5','O6','O8'] AND (o.id <> 'O1' OR o.name = 'Ann') RETURN count(o)`, 4},
		{`MATCH (o:Officer {id:'O5', name:'two
lines'}) RETURN count(o)`, 1},
		{`MATCH (p:Person) RETURN count(p)`, 1},
		{`MATCH (r:Record) RETURN count(r)`, 1},
		{`MATCH ()-[r:ACCESSED]->() RETURN count(r)`, 1},
		{`MATCH ()-[r:ACCESSED {channel:'remote'}]->({id:'R1'}) RETURN count(r)`, 1},
		{`MATCH ()-[r:PAID]->() RETURN count(r)`, 1},
		{`MATCH (s:Shift) RETURN count(s)`, 0},
	} {
		if got := count(t, s, c.cypher); got != c.want {
			t.Errorf("%s = %d, want %d", c.cypher, got, c.want)
		}
	}
	for _, f := range rep.Files {
		if f.File == "officers.csv" && (f.Read != 10 || f.Loaded != 4 || f.Rejected != 6) {
			t.Errorf("officers.csv report %+v, want read 10 loaded 4 rejected 6", f)
		}
	}

	// A party id already in the database under another label.
	dir2 := writeSet(t, map[string]string{"companies.csv": "company_id,name,registered\nO1,Ann Ltd,\nC1,Ok Ltd,\n"})
	_, rejects, _ = loadSet(t, s, dir2, graph.LoadOptions{})
	want := []string{`companies.csv:2: company_id: id "O1" is already a party: Officer (in the database)`}
	if !slices.Equal(rejects, want) {
		t.Fatalf("rejects = %q, want %q", rejects, want)
	}
	if got := count(t, s, `MATCH (c:Company) RETURN count(c)`); got != 1 {
		t.Fatalf("companies = %d, want 1 (C1)", got)
	}
}

func TestLoadStrictWritesNothing(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, badSet)
	rep, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{Strict: true})
	if got, want := sortedCopy(rejects), sortedCopy(badSetRejects); !slices.Equal(got, want) {
		t.Fatalf("strict rejects:\n%s\nwant:\n%s", strings.Join(rejects, "\n"), strings.Join(badSetRejects, "\n"))
	}
	if rep.Written || rep.Rejected != len(badSetRejects) {
		t.Fatalf("report written %v rejected %d", rep.Written, rep.Rejected)
	}
	if got := count(t, s, `MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n)`); got != 0 {
		t.Fatalf("strict load with bad rows wrote %d nodes", got)
	}

	// A clean set loads in strict mode.
	rep, rejects, _ = loadSet(t, s, "testdata/load/full", graph.LoadOptions{Strict: true})
	if len(rejects) != 0 || !rep.Written {
		t.Fatalf("clean strict load: rejects %v written %v", rejects, rep.Written)
	}
	if got := count(t, s, `MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n)`); got != 20 {
		t.Fatalf("clean strict load: %d nodes, want 20", got)
	}
}

// genSet writes a generated data set: officers, persons, accounts, records
// with subjects, accesses, payments, residences and shifts. Half the
// residences have no start date (the null-key path).
func genSet(t testing.TB, dir string, officers, records, accesses int, seed int64) {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	files := map[string]*csv.Writer{}
	open := func(name string, header ...string) *csv.Writer {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		w := csv.NewWriter(f)
		w.Write(header)
		files[name] = w
		return w
	}
	persons := records / 2
	w := open("officers.csv", "officer_id", "name", "rank", "unit", "role", "start_date", "status")
	for i := 0; i < officers; i++ {
		w.Write([]string{fmt.Sprintf("O%d", i), fmt.Sprintf("Officer %d", i), "PC", fmt.Sprintf("U%d", i%7), "response", "2015-03-01", "serving"})
	}
	w = open("persons.csv", "person_id", "name", "dob", "poi", "poi_reason", "high_profile")
	for i := 0; i < persons; i++ {
		w.Write([]string{fmt.Sprintf("P%d", i), fmt.Sprintf("Person %d", i), "", fmt.Sprint(i%50 == 0), "", ""})
	}
	w = open("accounts.csv", "account_id", "bank")
	for i := 0; i < officers+persons; i++ {
		w.Write([]string{fmt.Sprintf("AC%d", i), "Bank"})
	}
	w = open("addresses.csv", "address_id", "line", "postcode")
	for i := 0; i < persons/3+1; i++ {
		w.Write([]string{fmt.Sprintf("AD%d", i), fmt.Sprintf("%d High St", i), ""})
	}
	w = open("records.csv", "record_id", "system", "kind", "case_id")
	for i := 0; i < records; i++ {
		w.Write([]string{fmt.Sprintf("R%d", i), "PNC", "person", ""})
	}
	w = open("record_subjects.csv", "record_id", "subject_id")
	for i := 0; i < records; i++ {
		w.Write([]string{fmt.Sprintf("R%d", i), fmt.Sprintf("P%d", i%persons)})
	}
	w = open("residences.csv", "party_id", "address_id", "from", "to")
	for i := 0; i < persons; i++ {
		from := ""
		if i%2 == 0 {
			from = "2020-01-01"
		}
		w.Write([]string{fmt.Sprintf("P%d", i), fmt.Sprintf("AD%d", i/3), from, ""})
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	w = open("accesses.csv", "officer_id", "record_id", "at", "system", "channel", "terminal", "purpose")
	for i := 0; i < accesses; i++ {
		at := base.Add(time.Duration(i) * 37 * time.Second).Format(time.RFC3339)
		w.Write([]string{fmt.Sprintf("O%d", rng.Intn(officers)), fmt.Sprintf("R%d", rng.Intn(records)), at, "PNC",
			[]string{"onsite", "remote"}[rng.Intn(2)], fmt.Sprintf("T%d", rng.Intn(99)), ""})
	}
	w = open("payments.csv", "payment_id", "from_account", "to_account", "amount", "currency", "at", "reference")
	for i := 0; i < accesses/10; i++ {
		w.Write([]string{fmt.Sprintf("PAY%d", i), fmt.Sprintf("AC%d", rng.Intn(officers+persons)), fmt.Sprintf("AC%d", rng.Intn(officers+persons)),
			fmt.Sprintf("%d.%02d", rng.Intn(5000), rng.Intn(100)), "GBP", base.Add(time.Duration(i) * time.Hour).Format(time.RFC3339), ""})
	}
	w = open("shifts.csv", "officer_id", "date", "start", "end", "declared_location")
	for i := 0; i < officers; i++ {
		for d := 0; d < 20; d++ {
			w.Write([]string{fmt.Sprintf("O%d", i), base.AddDate(0, 0, d).Format("2006-01-02"), "08:00", "16:00", "onsite"})
		}
	}
	for name, w := range files {
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestLoadInterruptedThenRerun(t *testing.T) {
	s := graphtest.Open(t)
	dir := t.TempDir()
	genSet(t, dir, 60, 2000, 14000, 1)

	// Load through a proxy and cut it half-way through accesses.csv.
	p := graphtest.NewProxy(t)
	// On the shared development machine a rerun right after the cut was
	// seen to wait on batches for a minute now and then: a long deadline.
	viaProxy := p.Open(t, 2*time.Minute)
	prog := &notices{onRows: func(file string, rows int) {
		if file == "accesses.csv" && rows >= 8000 {
			p.Down()
		}
	}}
	_, err := viaProxy.Load(context.Background(), dir, graph.LoadOptions{BatchSize: 2000, Progress: prog})
	if err == nil {
		t.Fatal("load through a cut proxy succeeded")
	}
	msg := probity.ErrorMessage(err)
	want := fmt.Sprintf("lost Neo4j at %s during accesses.csv line ~", p.URI())
	if probity.ErrorCode(err) != probity.EUNAVAILABLE || !strings.HasPrefix(msg, want) ||
		!strings.Contains(msg, "rerun probity load "+dir+" to complete; loading is idempotent") {
		t.Fatalf("error = %q (%s), want it to start %q", msg, probity.ErrorCode(err), want)
	}
	partial := count(t, s, `MATCH ()-[r:ACCESSED]->() RETURN count(r)`)
	if partial == 0 || partial >= 14000 {
		t.Fatalf("accesses before the cut = %d, want some but not all", partial)
	}

	// Neo4j is back: the rerun (which takes over the load lock the cut
	// load could not free) must leave the graph of a clean load.
	p.Up(t)
	start := time.Now()
	if _, rejects, _ := loadSet(t, viaProxy, dir, graph.LoadOptions{}); len(rejects) != 0 {
		t.Fatalf("rerun rejects %v", rejects[:min(5, len(rejects))])
	}
	t.Logf("rerun took %s", time.Since(start).Round(time.Millisecond))
	if n := count(t, s, `MATCH (l:LoadLock) RETURN count(l)`); n != 0 {
		t.Fatalf("%d load locks left after the rerun", n)
	}
	rerun := snapshot(t, s)
	if err := s.DeleteAllData(context.Background()); err != nil {
		t.Fatal(err)
	}
	loadSet(t, s, dir, graph.LoadOptions{})
	sameGraph(t, "rerun after a cut vs clean load", rerun, snapshot(t, s))
}

// A load that loses Neo4j before its first file says so, without a line
// (chaosA L4, mutT L7).
func TestLoadLostAtTheStart(t *testing.T) {
	graphtest.Open(t)
	p := graphtest.NewProxy(t)
	viaProxy := p.Open(t, 3*time.Second)
	p.Down()
	_, err := viaProxy.Load(context.Background(), "testdata/load/full", graph.LoadOptions{})
	if msg := probity.ErrorMessage(err); probity.ErrorCode(err) != probity.EUNAVAILABLE || strings.Contains(msg, "line") || strings.Contains(msg, "--batch") ||
		!strings.Contains(msg, "during the start: rerun probity load testdata/load/full to complete") {
		t.Fatalf("a load lost at the start: %q (%s)", msg, probity.ErrorCode(err))
	}
}

func TestLoadIncremental(t *testing.T) {
	s := graphtest.Open(t)
	loadSet(t, s, "testdata/load/full", graph.LoadOptions{})
	before := map[string]int64{}
	rels := []string{"ACCESSED", "PAID", "WORKED"}
	for _, r := range rels {
		before[r] = count(t, s, fmt.Sprintf("MATCH ()-[r:%s]->() RETURN count(r)", r))
	}
	nodes := count(t, s, `MATCH (n) RETURN count(n)`)
	inc := writeSet(t, map[string]string{
		"accesses.csv": `officer_id,record_id,at,system,channel,terminal,purpose
O2,R1,2024-04-01T10:00:00Z,PNC,remote,,
O1,R2,2024-04-02T10:00:00Z,Niche,onsite,,
O1,R1,2024-04-03T10:00:00Z,PNC,remote,,
`,
		"payments.csv": `payment_id,from_account,to_account,amount,currency,at,reference
PAY3,AC1,AC2,99.99,GBP,2024-04-05T12:00:00Z,
PAY4,AC2,AC3,5,GBP,2024-04-06T12:00:00Z,
`,
		"shifts.csv": `officer_id,date,start,end,declared_location
O1,2024-04-01,08:00,16:00,onsite
`,
	})
	for round := 0; round < 2; round++ { // the second time adds nothing
		rep, rejects, _ := loadSet(t, s, inc, graph.LoadOptions{})
		if len(rejects) != 0 || rep.Rejected != 0 {
			t.Fatalf("incremental rejects %v", rejects)
		}
		for r, add := range map[string]int64{"ACCESSED": 3, "PAID": 2, "WORKED": 1} {
			if got := count(t, s, fmt.Sprintf("MATCH ()-[r:%s]->() RETURN count(r)", r)); got != before[r]+add {
				t.Errorf("round %d: %s = %d, want %d + %d", round, r, got, before[r], add)
			}
		}
		if got := count(t, s, `MATCH (n) RETURN count(n)`); got != nodes+1 {
			t.Errorf("round %d: nodes = %d, want %d + 1 shift", round, got, nodes)
		}
	}
	if got := count(t, s, `MATCH (:Officer {id:'O2'})-[r:ACCESSED {channel:'remote'}]->(:Record {id:'R1'}) WHERE r.at = datetime('2024-04-01T10:00:00Z') RETURN count(r)`); got != 1 {
		t.Errorf("incremental access not stored as given")
	}
}

// sharedDir finds shared/data/chicago beside the repository or an ancestor
// of it (CI puts a copy of shared/ beside the clone).
func chicagoDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	for d := filepath.Dir(root); ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "data", "chicago")
		if _, err := os.Stat(filepath.Join(p, "officers.csv")); err == nil {
			return p
		}
		if d == filepath.Dir(d) {
			t.Fatalf("shared/data/chicago not found beside %s or its parents", root)
		}
	}
}

func csvRows(t *testing.T, path string) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	n := int64(-1) // the header
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}

func TestLoadChicago(t *testing.T) {
	s := graphtest.Open(t)
	dir := chicagoDir(t)
	start := time.Now()
	rep, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{})
	t.Logf("chicago loaded in %s", time.Since(start).Round(time.Millisecond))
	if len(rejects) != 0 || rep.Rejected != 0 {
		t.Fatalf("chicago rejects (%d): %v", len(rejects), rejects[:min(10, len(rejects))])
	}
	for _, c := range []struct{ file, cypher string }{
		{"officers.csv", `MATCH (o:Officer:Party) RETURN count(o)`},
		{"complaints.csv", `MATCH (c:Complaint) RETURN count(c)`},
		{"complaint_officers.csv", `MATCH (:Officer)-[r:NAMED_IN]->(:Complaint) RETURN count(r)`},
	} {
		want := csvRows(t, filepath.Join(dir, c.file))
		if got := count(t, s, c.cypher); got != want || want == 0 {
			t.Errorf("%s: stored %d, file has %d rows", c.file, got, want)
		}
	}
}

// TestLoadBatchSizes measures the batch size (docs/BENCHMARKS.md, Loader).
// It is slow and runs only with PROBITY_LOAD_BENCH=accesses (e.g. 300000);
// PROBITY_LOAD_BENCH_SIZES lists the batch sizes, in the order tried.
func TestLoadBatchSizes(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("PROBITY_LOAD_BENCH"), &n)
	if n == 0 {
		t.Skip("set PROBITY_LOAD_BENCH=300000 to measure batch sizes")
	}
	sizes := []int{1000, 5000, 10000, 20000}
	if v := os.Getenv("PROBITY_LOAD_BENCH_SIZES"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			var b int
			fmt.Sscan(f, &b)
			sizes = append(sizes, b)
		}
	}
	s := graphtest.Open(t)
	dir := t.TempDir()
	genSet(t, dir, 500, 50000, n, 2)
	for _, size := range sizes {
		for try := 0; ; try++ { // each delete transaction that commits is progress
			err := s.DeleteAllData(context.Background())
			if err == nil {
				break
			}
			if try == 5 {
				t.Fatal(err)
			}
		}
		start := time.Now()
		rep, err := s.Load(context.Background(), dir, graph.LoadOptions{BatchSize: size})
		if err != nil {
			t.Logf("batch %5d: failed after %.1fs: %v", size, time.Since(start).Seconds(), err)
			continue
		}
		if rep.Rejected != 0 {
			t.Fatalf("%d rejects", rep.Rejected)
		}
		line := fmt.Sprintf("batch %5d: whole set %5.1fs", size, time.Since(start).Seconds())
		for _, f := range rep.Files {
			if f.File == "accesses.csv" || f.File == "payments.csv" || f.File == "record_subjects.csv" {
				line += fmt.Sprintf("; %s %d rows %5.1fs = %6.0f rows/s", f.File, f.Read, f.Duration.Seconds(), float64(f.Read)/f.Duration.Seconds())
			}
		}
		t.Log(line)
	}
}

// BenchmarkLoad loads a generated set of 20,000 accesses (and the entities,
// payments, residences and shifts around them) into an empty database.
func BenchmarkLoad(b *testing.B) {
	s := graphtest.Open(b)
	dir := b.TempDir()
	genSet(b, dir, 100, 5000, 20000, 3)
	rows := 0
	for b.Loop() {
		b.StopTimer()
		if err := s.DeleteAllData(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.Load(context.Background(), dir, graph.LoadOptions{})
		if err != nil || rep.Rejected != 0 {
			b.Fatalf("load: %v, %d rejected", err, rep.Rejected)
		}
		for _, f := range rep.Files {
			rows += f.Read
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// TestLoadFreshRepeats loads, into an empty database (where the loader
// CREATEs), files whose rows repeat a key: in one batch and across batches.
// A repeat must update the first row's node or relationship, as MERGE does,
// never add a second one, and a keyless link's repeat must merge its
// properties in one batch as across batches; a second load over it changes
// nothing.
func TestLoadFreshRepeats(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv": "officer_id,name,rank,unit,role,start_date,status\nO1,Ann,PC,U1,r,,serving\nO2,Bob,PC,U1,r,,serving\n",
		"records.csv":  "record_id,system,kind,case_id\nR1,PNC,person,\n",
		"accounts.csv": "account_id,bank\nAC1,\nAC2,\n",
		"accesses.csv": "officer_id,record_id,at,system,channel,terminal,purpose\n" +
			"O1,R1,2024-03-01T10:00:00Z,,,,first\nO2,R1,2024-03-01T10:00:00Z,,,,\nO1,R1,2024-03-01T10:00:00Z,,,,second\n" +
			"O1,R1,2024-03-01T11:00:00+01:00,,,,third\nO1,R1,2024-03-01T10:30:00Z,,,,\n",
		"holders.csv": "party_id,account_id\nO1,AC1\nO2,AC2\nO1,AC1\n",
		"shifts.csv": "officer_id,date,start,end,declared_location\nO1,2024-03-01,08:00,16:00,onsite\n" +
			"O2,2024-03-01,08:00,16:00,onsite\nO1,2024-03-01,08:00:00Z,17:00,remote\n" + // O1's shift again (the same start written otherwise)
			"O2,2024-03-02,,,onsite\nO2,2024-03-02,,,remote\n", // two shifts of a day without starts: one (rulesI), and told so
		"badge_swipes.csv": "officer_id,at,site\nO1,2024-03-01T07:55:00Z,HQ\nO1,2024-03-01T08:55:00+01:00,Annex\n",
		// Without a from (the key), one link a pair, its properties merged
		// whether the rows share a batch or not.
		"companies.csv":     "company_id,name,registered\nC1,,\n",
		"directorships.csv": "party_id,company_id,role,from,to\nO1,C1,director,,\nO1,C1,,,2024-05-01\nO1,C1,,2024-01-01,\n",
	})
	var snaps [][]string
	for _, batch := range []int{1000, 2, 1} {
		if err := s.DeleteAllData(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, rejects, n := loadSet(t, s, dir, graph.LoadOptions{BatchSize: batch})
		if len(rejects) != 0 {
			t.Fatalf("batch %d: rejects %v", batch, rejects)
		}
		// The merges are told, not silent: how many, whether they disagreed.
		var repeats []string
		for _, m := range n.msgs {
			if strings.Contains(m, "repeated the key") {
				repeats = append(repeats, m)
			}
		}
		wantRepeats := []string{
			"accesses.csv: 2 rows repeated the key (officer_id, record_id, at) of an earlier row and were merged into it when loaded " +
				"(2 with other values, their non-empty cells overwriting the earlier row's; first: line 4 repeats line 2)",
			"holders.csv: 1 row repeated the key (party_id, account_id) of an earlier row and was merged into it when loaded (all identical to it; first: line 4 repeats line 2)",
			"shifts.csv: 2 rows repeated the key (officer_id, date, start) of an earlier row and were merged into it when loaded " +
				"(2 with other values, their non-empty cells overwriting the earlier row's; first: line 4 repeats line 2); 1 of them without a start: " +
				"two shifts of one day are told apart by their start, so give it, or the later row's location is the day's",
			"badge_swipes.csv: 1 row repeated the key (officer_id, at) of an earlier row and was merged into it when loaded " +
				"(1 with other values, their non-empty cells overwriting the earlier row's; first: line 3 repeats line 2)",
			"directorships.csv: 1 row repeated the key (party_id, company_id, from) of an earlier row and was merged into it when loaded " +
				"(1 with other values, their non-empty cells overwriting the earlier row's; first: line 3 repeats line 2)",
		}
		if !slices.Equal(sortedCopy(repeats), sortedCopy(wantRepeats)) {
			t.Errorf("batch %d: repeat notices\n%s\nwant\n%s", batch, strings.Join(repeats, "\n"), strings.Join(wantRepeats, "\n"))
		}
		for q, want := range map[string]int64{
			`MATCH ()-[r:ACCESSED]->() RETURN count(r)`:                                                                               3,
			`MATCH (:Officer {id: 'O1'})-[r:ACCESSED]->() WHERE r.purpose = 'third' RETURN count(r)`:                                  1,
			`MATCH ()-[r:HOLDS]->() RETURN count(r)`:                                                                                  2,
			`MATCH (s:Shift) RETURN count(s)`:                                                                                         3,
			`MATCH ()-[r:WORKED]->() RETURN count(r)`:                                                                                 3,
			`MATCH (:Officer {id: 'O1'})-[:WORKED]->(s:Shift) WHERE s.declaredLocation = 'remote' RETURN count(s)`:                    1,
			`MATCH (b:BadgeSwipe) RETURN count(b)`:                                                                                    1,
			`MATCH ()-[r:SWIPED]->(b:BadgeSwipe {site: 'Annex'}) RETURN count(r)`:                                                     1,
			`MATCH ()-[r:DIRECTOR_OF]->() RETURN count(r)`:                                                                            2,
			`MATCH ()-[r:DIRECTOR_OF]->() WHERE r.from IS NULL AND r.role = 'director' AND r.to = date('2024-05-01') RETURN count(r)`: 1,
		} {
			if got := count(t, s, q); got != want {
				t.Errorf("batch %d: %s = %d, want %d", batch, q, got, want)
			}
		}
		snaps = append(snaps, snapshot(t, s))
	}
	sameGraph(t, "batch 2 vs one batch", snaps[1], snaps[0])
	sameGraph(t, "batch 1 vs one batch", snaps[2], snaps[0])
	loadSet(t, s, dir, graph.LoadOptions{BatchSize: 2}) // over the data: MERGE
	sameGraph(t, "second load", snapshot(t, s), snaps[0])
}

// TestLoadOneAtATime: a load refuses to write while another load holds the
// lock, and takes over a lock that expired or whose process is gone.
func TestLoadOneAtATime(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	host, _ := os.Hostname()
	lock := func(host string, pid int, expires string) {
		t.Helper()
		if err := s.RunForTestParams(ctx, `MERGE (l:LoadLock {id: 'load'})
			SET l.holder = 'other', l.host = $host, l.pid = $pid, l.since = datetime(),
			    l.expiresAt = datetime() + duration($expires)`,
			map[string]any{"host": host, "pid": pid, "expires": expires}); err != nil {
			t.Fatal(err)
		}
	}
	data := `MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:LoadLock RETURN count(n)`

	// Held by a live load elsewhere: refused with the holder named, nothing written.
	lock("elsewhere", 4242, "PT1M")
	_, err := s.Load(ctx, "testdata/load/full", graph.LoadOptions{})
	if probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(probity.ErrorMessage(err), "host elsewhere, pid 4242") {
		t.Fatalf("load under another's lock: %v (%s), want a conflict naming the holder", err, probity.ErrorCode(err))
	}
	if n := count(t, s, data); n != 0 {
		t.Fatalf("refused load wrote %d nodes", n)
	}
	// A folder without import files writes nothing, so it needs no lock.
	if rep, err := s.Load(ctx, t.TempDir(), graph.LoadOptions{}); err != nil || len(rep.Files) != 0 {
		t.Fatalf("empty folder under another's lock: %+v, %v; want a no-op", rep, err)
	}

	// Expired: taken over; the lock is gone when the load ends.
	lock("elsewhere", 4242, "-PT1S")
	_, _, n := loadSet(t, s, "testdata/load/full", graph.LoadOptions{})
	tookOver := func(want ...string) {
		t.Helper()
		if !slices.ContainsFunc(n.msgs, func(m string) bool {
			return strings.HasPrefix(m, "took over the load lock of host ") &&
				!slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(m, w) })
		}) {
			t.Errorf("notices %q do not say the lock was taken over (%q)", n.msgs, want)
		}
	}
	tookOver("host elsewhere, pid 4242", ": it had expired at ")
	if n := count(t, s, data); n != 20 {
		t.Fatalf("load after expiry: %d nodes, want 20", n)
	}
	if n := count(t, s, `MATCH (l:LoadLock) RETURN count(l)`); n != 0 {
		t.Fatalf("%d load locks left after the load", n)
	}

	// Left by a process of this host that is gone: taken over at once.
	const deadPid = 4194303 // beyond any pid in use here (checked below)
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", deadPid)); err == nil {
		t.Skip("pid in use")
	}
	lock(host, deadPid, "PT1M")
	_, _, n = loadSet(t, s, "testdata/load/full", graph.LoadOptions{})
	tookOver(fmt.Sprintf("pid %d, since ", deadPid), ": its process is gone")
	// A live process of this host (this one, another Store) is not.
	lock(host, os.Getpid(), "PT1M")
	if _, err := s.Load(ctx, "testdata/load/full", graph.LoadOptions{}); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("load under a live local lock: %v, want a conflict", err)
	}
}

// TestLoadNotesZonelessTimes: a date-time without a zone loads as UTC, and
// the load says so once a file, where the first was: the rules count UTC
// days, so local times written without an offset can move a look-up to
// another day.
func TestLoadNotesZonelessTimes(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv":     "officer_id\nO1\n",
		"records.csv":      "record_id\nR1\nR2\nR3\nR4\n",
		"accesses.csv":     "officer_id,record_id,at\nO1,R1,2024-03-01T10:00:00Z\nO1,R2,2024-03-01 23:30\nO1,R3,2024-03-02T00:30:00\nO1,R4,2024-03-02T08:00:00+01:00\n",
		"badge_swipes.csv": "officer_id,at,site\nO1,2024-03-01,HQ\n",
	})
	for _, strict := range []bool{false, true} {
		rep, rejects, n := loadSet(t, s, dir, graph.LoadOptions{Strict: strict})
		if len(rejects) != 0 || !rep.Written {
			t.Fatalf("strict %v: rejects %q", strict, rejects)
		}
		var got []string
		for _, m := range n.msgs {
			if strings.Contains(m, "without a zone") {
				got = append(got, m)
			}
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], "accesses.csv: 2 rows had a date-time without a zone, taken as UTC (first: line 3, at)") {
			t.Fatalf("strict %v: zone notices %q", strict, got)
		}
	}
}

// TestLoadNotesEventsDatedAhead: a look-up or a swipe dated more than a
// day after the load began cannot have happened (a mistyped year): it
// loads as written, and the load says so once a file, where the first
// was, as written; a rostered shift ahead is no such thing.
func TestLoadNotesEventsDatedAhead(t *testing.T) {
	s := graphtest.Open(t)
	soon := time.Now().UTC().Add(2 * time.Hour).Format(time.RFC3339)
	dir := writeSet(t, map[string]string{
		"officers.csv":     "officer_id\nO1\n",
		"records.csv":      "record_id\nR1\nR2\nR3\n",
		"accesses.csv":     "officer_id,record_id,at\nO1,R1,2024-03-01T10:00:00Z\nO1,R2,2036-03-02T11:00:00+01:00\nO1,R3," + soon + "\nO1,R1,2037-01-01T00:00:00Z\n",
		"badge_swipes.csv": "officer_id,at,site\nO1,2024-03-01T08:00:00Z,HQ\n",
		"shifts.csv":       "officer_id,date,start,end,declared_location\nO1,2036-03-02,09:00,17:00,onsite\n",
	})
	rep, rejects, n := loadSet(t, s, dir, graph.LoadOptions{})
	if len(rejects) != 0 || !rep.Written {
		t.Fatalf("rejects %q", rejects)
	}
	var got []string
	for _, m := range n.msgs {
		if strings.Contains(m, "cannot have happened") {
			got = append(got, m)
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "accesses.csv: 2 rows dated more than a day after this load began (first: line 3, 2036-03-02T11:00:00+01:00)") {
		t.Fatalf("notices of events dated ahead %q, want one for accesses.csv", got)
	}
}

func TestLoadHeaderOptionalAndUnknownColumns(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv": "\uFEFFunit,officer_id,Gender,free text,id,risk,gender,email\nU1,O1,F,seen twice,x,0.9,M,a@x\nU2,O2,,,,,,b@x\n",
		"persons.csv":  "person_id,poi\nP1,true\n",
		"records.csv":  "record_id\nR1\n",
		"accesses.csv": "record_id,at,officer_id\nR1,2024-03-01T10:00:00Z,O1\n",
		"phones.csv":   "phone_id,phone_id\nT1,T2\n",
		"shifts.csv":   "officer_id,start,end,declared_location\nO1,08:00,16:00,onsite\n",
	})
	for _, strict := range []bool{false, true} {
		rep, rejects, n := loadSet(t, s, dir, graph.LoadOptions{Strict: strict})
		wantRejects := []string{
			`phones.csv:1: bad header: repeated column(s) phone_id (want phone_id, in any order); file skipped`,
			`shifts.csv:1: bad header: missing required column(s) date (want officer_id,date,start,end,declared_location, in any order); file skipped`,
		}
		if !slices.Equal(sortedCopy(rejects), wantRejects) {
			t.Fatalf("strict %v: rejects\n%s\nwant\n%s", strict, strings.Join(rejects, "\n"), strings.Join(wantRejects, "\n"))
		}
		if strict {
			if rep.Written {
				t.Fatal("strict load with rejected files wrote")
			}
			break
		}
		for _, want := range []string{
			"officers.csv: no column(s) name, rank, role, start_date, status: left absent on every row",
			"officers.csv: column(s) gender, free_text, email kept as text attributes of each officer (for the disproportion report)",
			"officers.csv: unknown column(s) gender, id, risk ignored",
			"persons.csv: no column(s) name, dob, poi_reason, high_profile: left absent on every row",
			"accesses.csv: no column(s) system, channel, terminal, purpose: left absent on every row",
		} {
			if c := slices.Index(n.msgs, want); c < 0 {
				t.Errorf("notices %q lack %q", n.msgs, want)
			} else if slices.Index(n.msgs[c+1:], want) >= 0 {
				t.Errorf("notice %q told twice", want)
			}
		}
	}
	for _, c := range []struct {
		cypher string
		want   int64
	}{
		{`MATCH (o:Officer) WHERE o.name IS NULL AND o.risk IS NULL AND o.` + "`free text`" + ` IS NULL RETURN count(o)`, 2},
		// "free text" is kept as free_text, as "Line Manager" is as line_manager
		{`MATCH (o:Officer {id: 'O1', free_text: 'seen twice'}) RETURN count(o)`, 1},
		{`MATCH (o:Officer {id: 'O1', gender: 'F'}) RETURN count(o)`, 1},
		{`MATCH (o:Officer {id: 'O2'}) WHERE o.gender IS NULL RETURN count(o)`, 1},
		{`MATCH (o:Officer {id: 'O2', unit: 'U2'}) RETURN count(o)`, 1},
		{`MATCH (:Person {id: 'P1', poi: true, highProfile: false}) RETURN count(*)`, 1},
		{`MATCH (:Officer {id: 'O1'})-[a:ACCESSED]->(:Record {id: 'R1'}) WHERE a.channel IS NULL RETURN count(a)`, 1},
		{`MATCH (p:Phone) RETURN count(p)`, 0},
		{`MATCH (s:Shift) RETURN count(s)`, 0},
	} {
		if got := count(t, s, c.cypher); got != c.want {
			t.Errorf("%s = %d, want %d", c.cypher, got, c.want)
		}
	}
	// The kept attribute is a group of the disproportion report.
	fair, err := s.Fairness(context.Background(), probity.FairnessQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var gender []string
	for _, g := range fair.Groups {
		switch g.Attribute {
		case "gender":
			gender = append(gender, fmt.Sprintf("%s:%d:%v", g.Value, g.Officers, g.NotRecorded))
		case "email":
			t.Errorf("email, a value per officer, is an identifier, not a group: %+v", g)
		}
	}
	// O2, with no gender, is the group of officers it is not recorded for.
	if want := []string{"F:1:false", ":1:true"}; !slices.Equal(gender, want) {
		t.Errorf("fairness groups of gender %q, want %q", gender, want)
	}

	// Strict: a clean set with a missing optional column is written, and
	// its notes are told once (by the check pass).
	dir2 := writeSet(t, map[string]string{"companies.csv": "company_id,extra\nC1,x\n"})
	rep, rejects, n := loadSet(t, s, dir2, graph.LoadOptions{Strict: true})
	if len(rejects) != 0 || !rep.Written {
		t.Fatalf("strict clean set: rejects %q written %v", rejects, rep.Written)
	}
	want := []string{"companies.csv: no column(s) name, registered: left absent on every row", "companies.csv: unknown column(s) extra ignored"}
	if !slices.Equal(n.msgs, want) {
		t.Fatalf("strict notices %q, want %q once each", n.msgs, want)
	}
	if got := count(t, s, `MATCH (c:Company {id: 'C1'}) RETURN count(c)`); got != 1 {
		t.Fatalf("C1 loaded %d times", got)
	}
}

// A load that stalls past its lock's expiry while another load takes the
// lock over must not write on beside it: it stops at its next write with
// ECONFLICT saying why, and a rerun (once the other is done) completes it.
func TestLoadStopsWhenLockLost(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graph.SetLoadLockTTL(s, 600*time.Millisecond) // renewed every 200 ms
	var b strings.Builder
	b.WriteString("officer_id,name\n")
	for i := range 40 {
		fmt.Fprintf(&b, "O%02d,Officer %d\n", i, i)
	}
	dir := writeSet(t, map[string]string{"officers.csv": b.String()})
	taken := false
	prog := &notices{onRows: func(file string, rows int) {
		if taken {
			return
		}
		taken = true
		// The load stalls; meanwhile its lock expires and another load
		// takes it (as acquireLease would: a new holder and expiry).
		if err := s.RunForTestParams(ctx, `MATCH (l:LoadLock {id: 'load'})
			SET l.holder = 'other', l.host = 'elsewhere', l.pid = 4242, l.token = coalesce(l.token, 0) + 1,
			    l.expiresAt = datetime() + duration('PT1M')`, nil); err != nil {
			t.Error(err)
		}
		time.Sleep(time.Second)
	}}
	_, err := s.Load(ctx, dir, graph.LoadOptions{BatchSize: 5, Writers: 1, Progress: prog})
	if probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(probity.ErrorMessage(err), "another load took the load lock over") ||
		!strings.Contains(probity.ErrorMessage(err), "host elsewhere, pid 4242") {
		t.Fatalf("load whose lock was taken over: %v (%s), want a conflict naming the new holder", err, probity.ErrorCode(err))
	}
	written := count(t, s, `MATCH (o:Officer) RETURN count(o)`)
	if written >= 40 {
		t.Fatalf("the load wrote all %d officers after losing its lock", written)
	}
	if n := count(t, s, `MATCH (l:LoadLock {holder: 'other'}) RETURN count(l)`); n != 1 {
		t.Fatalf("the new holder's lock: %d, want it left alone", n)
	}
	// The other load ends; the rerun completes the set, nothing twice.
	if err := s.RunForTestParams(ctx, `MATCH (l:LoadLock) DELETE l`, nil); err != nil {
		t.Fatal(err)
	}
	loadSet(t, s, dir, graph.LoadOptions{})
	if n := count(t, s, `MATCH (o:Officer) RETURN count(o)`); n != 40 {
		t.Fatalf("after the rerun: %d officers, want 40", n)
	}
}

// TestLoadKeepsPersonFlagsOnReload: a person's poi and high_profile are
// false when a new person's file leaves them empty, but a later file that
// does not give them leaves what was stored (loads never delete).
func TestLoadKeepsPersonFlagsOnReload(t *testing.T) {
	s := graphtest.Open(t)
	first := writeSet(t, map[string]string{"persons.csv": "person_id,name,poi,poi_reason,high_profile\nP1,Jo,true,organised crime,true\nP2,Al,,,\n"})
	if _, rejects, _ := loadSet(t, s, first, graph.LoadOptions{}); len(rejects) != 0 {
		t.Fatal(rejects)
	}
	again := writeSet(t, map[string]string{"persons.csv": "person_id,name\nP1,Jo Marsh\nP2,Al Smith\nP3,New\n"})
	if _, rejects, _ := loadSet(t, s, again, graph.LoadOptions{}); len(rejects) != 0 {
		t.Fatal(rejects)
	}
	for cypher, want := range map[string]int64{
		`MATCH (p:Person {id: 'P1', name: 'Jo Marsh', poi: true, highProfile: true, poiReason: 'organised crime'}) RETURN count(p)`: 1,
		`MATCH (p:Person {poi: false, highProfile: false}) WHERE p.id IN ['P2', 'P3'] RETURN count(p)`:                              2,
	} {
		if got := count(t, s, cypher); got != want {
			t.Errorf("%s = %d, want %d", cypher, got, want)
		}
	}
	// no longer of interest: the stored reason goes with the mark (loadU)
	cleared := writeSet(t, map[string]string{"persons.csv": "person_id,name,poi,poi_reason\nP1,Jo Marsh,false,\nP3,New,true,fraud\n"})
	if _, rejects, _ := loadSet(t, s, cleared, graph.LoadOptions{}); len(rejects) != 0 {
		t.Fatal(rejects)
	}
	for cypher, want := range map[string]int64{
		`MATCH (p:Person {id: 'P1', poi: false}) WHERE p.poiReason IS NULL RETURN count(p)`: 1,
		`MATCH (p:Person {id: 'P3', poi: true, poiReason: 'fraud'}) RETURN count(p)`:        1,
	} {
		if got := count(t, s, cypher); got != want {
			t.Errorf("%s = %d, want %d", cypher, got, want)
		}
	}
}

// TestLoadBOMBeforeQuotedHeader: a byte-order mark before a quoted first
// column name ("officer_id", as spreadsheets export) is read as a mark, not
// as a bare quote that rejects the file.
func TestLoadBOMBeforeQuotedHeader(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{"officers.csv": "\uFEFF\"officer_id\",\"name\"\r\n\"O1\",\"Ann\"\r\n"})
	if _, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{}); len(rejects) != 0 {
		t.Fatalf("rejects %q", rejects)
	}
	if got := count(t, s, `MATCH (o:Officer {id: 'O1', name: 'Ann'}) RETURN count(o)`); got != 1 {
		t.Fatalf("O1 loaded %d times", got)
	}
}

// TestLoadRejectsOverlongKeys: an id (or an officer's unit, which is
// indexed too) longer than probity.MaxKeyBytes is a rejected row; it used to
// reach Neo4j and fail its whole batch, good rows with it.
func TestLoadRejectsOverlongKeys(t *testing.T) {
	s := graphtest.Open(t)
	long := strings.Repeat("x", probity.MaxKeyBytes+1)
	dir := writeSet(t, map[string]string{
		"officers.csv": "officer_id,unit\nO1,U1\n" + long + ",U1\nO3," + long + "\nO4,U2\n",
		"accounts.csv": "account_id\nA1\nA2\n",
		"payments.csv": "payment_id,from_account,to_account,amount,currency,at\nPAY1,A1,A2,10,GBP,2025-01-01T10:00:00Z\n" + long + ",A1,A2,20,GBP,2025-01-02T10:00:00Z\n",
	})
	_, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{})
	want := fmt.Sprintf("%d bytes, longer than the %d an indexed value may have", probity.MaxKeyBytes+1, probity.MaxKeyBytes)
	if len(rejects) != 3 {
		t.Fatalf("rejects %q, want the 3 rows with an overlong value", rejects)
	}
	for _, r := range rejects {
		if !strings.Contains(r, want) {
			t.Errorf("reject %q lacks %q", r, want)
		}
	}
	for cypher, n := range map[string]int64{
		`MATCH (o:Officer) WHERE o.id IN ['O1', 'O4'] RETURN count(o)`: 2,
		`MATCH (o:Officer) RETURN count(o)`:                            2,
		`MATCH ()-[p:PAID {id: 'PAY1'}]->() RETURN count(p)`:           1,
	} {
		if got := count(t, s, cypher); got != n {
			t.Errorf("%s = %d, want %d", cypher, got, n)
		}
	}
}

// Shifts are keyed officer_id/date/start: an officer's two shifts of a day
// (onsite, then remote) are two, whatever the order of the rows, so
// attendance-mismatch sees the onsite one either way. Migration 13 gives a
// shift stored under the old key (officer_id/date) the id the loader gives.
func TestShiftsKeyedByStart(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	shifts := "officer_id,date,start,end,declared_location\n"
	accesses := "officer_id,record_id,at,system,channel,terminal,purpose\n"
	for _, d := range []string{"2024-03-01", "2024-03-10", "2024-03-20"} {
		shifts += "S1," + d + ",09:00,13:00,onsite\nS1," + d + ",14:00,18:00,remote\n" +
			"S2," + d + ",14:00,18:00,remote\nS2," + d + ",09:00,13:00,onsite\n"
		accesses += "S1,R1," + d + "T10:00:00Z,PNC,remote,T,\nS2,R2," + d + "T10:00:00Z,PNC,remote,T,\n"
	}
	shifts += "S3,2024-04-01,2024-04-01T08:00:00.5+01:00,,onsite\nS3,2024-04-02,,,onsite\n"
	loadSet(t, s, writeSet(t, map[string]string{
		"officers.csv": "officer_id,name,rank,unit,role,start_date,status\nS1,A,PC,U,r,,\nS2,B,PC,U,r,,\nS3,C,PC,U,r,,\n",
		"records.csv":  "record_id,system,kind,case_id\nR1,PNC,person,\nR2,PNC,person,\n",
		"shifts.csv":   shifts, "accesses.csv": accesses,
	}), graph.LoadOptions{})
	if n := count(t, s, `MATCH (:Officer {id: 'S1'})-[:WORKED]->(s:Shift) RETURN count(s)`); n != 6 {
		t.Fatalf("S1 has %d shifts, want 6 (two a day)", n)
	}
	for id, want := range map[string]int64{"S1/2024-03-01/2024-03-01T09:00:00Z": 1, "S3/2024-04-01/2024-04-01T07:00:00.5Z": 1, "S3/2024-04-02": 1} {
		if n := count(t, s, `MATCH (s:Shift {id: '`+id+`'}) RETURN count(s)`); n != want {
			t.Errorf("shift %s: %d, want %d", id, n, want)
		}
	}
	got := scanAll(t, s, only(graph.PatAttendanceMismatch))[graph.PatAttendanceMismatch]
	wantOfficers(t, graph.PatAttendanceMismatch, got, "S1", "S2")

	// the old key (one shift a day then, as it was the only one), then
	// migration 13 again
	run(t, s, `MATCH (s:Shift) SET s.newID = s.id`)
	run(t, s, `MATCH (o:Officer)-[:WORKED]->(s:Shift) WITH o, s.date AS d, collect(s)[0] AS s
		SET s.id = o.id + '/' + toString(d) WITH count(*) AS n MATCH (m:SchemaMigration {version: 13}) DELETE m`)
	if n := count(t, s, `MATCH (s:Shift) WHERE s.id <> s.newID RETURN count(s)`); n != 7 {
		t.Fatalf("%d shifts under the old key, want 7 (one a day of S1 and S2, and S3's with a start)", n)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `MATCH (s:Shift) WHERE s.id <> s.newID RETURN count(s)`); n != 0 {
		t.Fatalf("%d shifts migrated to another id than the loader gives", n)
	}
}

// TestLoadStrayQuotes: a value may span lines (RFC 4180; an address's
// second line may hold as many commas as a row: formatA M1), but a stray quote
// must not swallow the rows after it unseen: a quote never closed rejects
// every line to the end of the file, and one closed rows later rejects the
// lines it joined, each counted; the rows before and after load.
func TestLoadStrayQuotes(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv": "officer_id,name\nO1,Ann\n",
		"records.csv":  "record_id,system\nR1,PNC\n",
		"addresses.csv": `
address_id,line,postcode
A1,"1 High Street
Leeds",LS1 1AA
A2,2 Low Street,LS2 2BB
A3,"Flat 2, Rose Court
High Street, Leeds, West Yorkshire",LS1 4AB
`,
		"accesses.csv": `
officer_id,record_id,at,system,channel,terminal,purpose
O1,R1,2024-03-01T10:00:00Z,PNC,remote,,
O1,R1,2024-03-02T10:00:00Z,PNC,remote,,"checking
O1,R1,2024-03-03T10:00:00Z,PNC,remote,,
O1,R1,2024-03-04T10:00:00Z,PNC,remote,,
O1,R1,2024-03-05T10:00:00Z,PNC,remote,,done"
O1,R1,2024-03-06T10:00:00Z,PNC,remote,,
`,
		"persons.csv": `
person_id,name
P1,Bo
P2,"Cy
P3,Di
P4,Ed
`,
	})
	rep, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{})
	files := map[string]graph.FileReport{}
	for _, f := range rep.Files {
		files[f.File] = f
	}
	for name, want := range map[string][3]int{"addresses.csv": {3, 3, 0}, "accesses.csv": {6, 2, 4}, "persons.csv": {4, 1, 3}} {
		if f := files[name]; f.Read != want[0] || f.Loaded != want[1] || f.Rejected != want[2] {
			t.Errorf("%s: read %d loaded %d rejected %d, want %v", name, f.Read, f.Loaded, f.Rejected, want)
		}
	}
	joined := strings.Join(rejects, "\n")
	if !strings.Contains(joined, "accesses.csv:3: a quoted value from line 3 to line 6 holds 3 line(s) that look like rows") ||
		!strings.Contains(joined, "persons.csv:3: not valid CSV") || !strings.Contains(joined, "the 3 lines are not loaded") {
		t.Fatalf("rejects:\n%s", joined)
	}
	if n, err := s.CountForTest(context.Background(), `MATCH ()-[a:ACCESSED]->() RETURN count(a)`); err != nil || n != 2 {
		t.Fatalf("accesses stored: %d, %v; want the first and the last", n, err)
	}
	if n, err := s.CountForTest(context.Background(), `MATCH (a:Address {id: 'A1'}) WHERE a.line = '1 High Street
Leeds' RETURN count(a)`); err != nil || n != 1 {
		t.Fatalf("a two-line address: %d, %v", n, err)
	}
}

// TestLoadRowsThatMakeNoSense: an end before its start (an assignment so
// would make the look-ups in between unassigned, and raise flags) and a
// link from a thing to itself are rejected, with the column and why.
func TestLoadRowsThatMakeNoSense(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv":  "officer_id,name\nO1,Ann\n",
		"persons.csv":   "person_id,name\nP1,Bo\nP2,Cy\n",
		"cases.csv":     "case_id\nC1\n",
		"accounts.csv":  "account_id\nAC1\nAC2\n",
		"addresses.csv": "address_id\nA1\n",
		"assignments.csv": `
officer_id,case_id,from,to
O1,C1,2024-03-01,2024-03-31
O1,C1,2024-05-01,2024-04-01
O1,C1,,2024-02-01
`, // the last: assigned since ever (an empty from loads)
		"residences.csv":   "party_id,address_id,from,to\nP1,A1,2023-01-01,2022-01-01\nP2,A1,2023-01-01,2023-01-01\n",
		"declarations.csv": "officer_id,declared_id,type,declared_on,withdrawn_on\nO1,P1,association,2024-06-01,2024-01-01\n",
		"payments.csv":     "payment_id,from_account,to_account,amount,at\nPAY1,AC1,AC1,10,2024-03-05T12:00:00Z\nPAY2,AC1,AC2,,2024-03-05T12:00:00Z\n", // PAY2: an amount not recorded loads
		"relations.csv":    "party_a,party_b,type\nP1,P1,family\nP1,P2,family\n",
		"shifts.csv":       "officer_id,date,start,end,declared_location\nO1,2024-03-01,2024-03-01T16:00:00Z,2024-03-01T08:00:00Z,onsite\nO1,2024-03-02,22:00,06:00,onsite\n",
	})
	_, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{})
	want := []string{
		`assignments.csv:3: to: 2024-04-01 is before from 2024-05-01`,
		`declarations.csv:2: withdrawn_on: 2024-01-01 is before declared_on 2024-06-01`,
		`payments.csv:2: to_account: the same as from_account: a link from AC1 to itself`,
		`relations.csv:2: party_b: the same as party_a: a link from P1 to itself`,
		`residences.csv:2: to: 2022-01-01 is before from 2023-01-01`,
		`shifts.csv:2: end: 2024-03-01T08:00:00Z is before start 2024-03-01T16:00:00Z`,
	}
	if got := sortedCopy(rejects); !slices.Equal(got, want) {
		t.Fatalf("rejects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n, err := s.CountForTest(context.Background(), `MATCH (:Officer {id: 'O1'})-[a:ASSIGNED_TO]->(:Case {id: 'C1'}) WHERE a.from IS NULL AND a.to = date('2024-02-01') RETURN count(a)`); err != nil || n != 1 {
		t.Fatalf("an assignment without a from: %d, %v", n, err)
	}
}

// TestLoadIdsAndHeadersThatMislead: an id with an invisible character (it
// would make a second officer that looks like the first) is rejected; a
// header in UTF-16, with CR-only line ends or semicolons says so.
func TestLoadIdsAndHeadersThatMislead(t *testing.T) {
	s := graphtest.Open(t)
	utf16 := "\xff\xfe" + strings.Join(strings.Split("person_id,name\r\nP1,Bo\r\n", ""), "\x00") + "\x00"
	dir := writeSet(t, map[string]string{
		"officers.csv":  "officer_id,name\nO1,Ann\nO1\u200b,Ann again\nO2\x00,Nul\n",
		"persons.csv":   utf16,
		"companies.csv": "company_id;name\nC1;Acme\n",
		"accounts.csv":  "account_id,bank\rAC1,North\rAC2,South\r",
	})
	_, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{})
	joined := strings.Join(rejects, "\n")
	for _, want := range []string{
		"officers.csv:3: officer_id: id holds an invisible or control character (U+200B at byte 2)",
		"officers.csv:4: officer_id: id holds an invisible or control character (U+0000 at byte 2)",
		"persons.csv:1: bad header: the file is not UTF-8 (NUL bytes: UTF-16?)",
		"companies.csv:1: bad header: fields are separated by semicolons",
		"accounts.csv:1: bad header: lines end with CR alone",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %q in rejects:\n%s", want, joined)
		}
	}
}

// TestLoadMarksPersonsWhoseMarksChange: a stored person whose poi or
// highProfile a load changes is stamped markedAt (an incremental scan then
// looks at every officer for the rules that read them); a new person, or a
// reload of the same values, is not.
func TestLoadMarksPersonsWhoseMarksChange(t *testing.T) {
	s := graphtest.Open(t)
	loadSet(t, s, writeSet(t, map[string]string{"persons.csv": "person_id,poi,high_profile\nP1,false,false\nP2,true,\nP3,,false\n"}), graph.LoadOptions{BatchSize: 1})
	loadSet(t, s, writeSet(t, map[string]string{"persons.csv": "person_id,poi,high_profile\nP1,true,false\nP2,true,\nP3,false,true\nP4,true,true\nP5,,\n"}), graph.LoadOptions{BatchSize: 1})
	marked := func() string {
		res, err := s.CountForTest(context.Background(), `MATCH (p:Person) WHERE p.markedAt IS NOT NULL AND p.id IN ['P1', 'P3'] RETURN count(p)`)
		if err != nil {
			t.Fatal(err)
		}
		others, _ := s.CountForTest(context.Background(), `MATCH (p:Person) WHERE p.markedAt IS NOT NULL AND NOT p.id IN ['P1', 'P3'] RETURN count(p)`)
		return fmt.Sprintf("%d of P1, P3; %d others", res, others)
	}
	if got := marked(); got != "2 of P1, P3; 0 others" {
		t.Fatalf("marked after the change: %s (P1 became of interest, P3 high-profile; P2 unchanged, P4 and P5 new)", got)
	}
	// an officer's unit or role changed is marked too (peer groups); a name is not
	loadSet(t, s, writeSet(t, map[string]string{"officers.csv": "officer_id,name,unit,role\nO1,Ann,U1,PC\nO2,Bob,U1,PC\n"}), graph.LoadOptions{BatchSize: 1})
	loadSet(t, s, writeSet(t, map[string]string{"officers.csv": "officer_id,name,unit,role\nO1,Ann,U2,PC\nO2,Bobby,U1,PC\n"}), graph.LoadOptions{BatchSize: 1})
	if n := count(t, s, `MATCH (o:Officer) WHERE o.markedAt IS NOT NULL RETURN sum(CASE WHEN o.id = 'O1' THEN 1 ELSE 100 END)`); n != 1 {
		t.Fatalf("officers marked: want O1 only (its unit changed; O2's name did)")
	}
	run(t, s, `MATCH (p:Person) SET p.markWas = p.markedAt`)
	loadSet(t, s, writeSet(t, map[string]string{"persons.csv": "person_id,poi,high_profile\nP1,true,false\nP3,false,true\n"}), graph.LoadOptions{BatchSize: 1})
	if n := count(t, s, `MATCH (p:Person) WHERE p.markedAt <> p.markWas RETURN count(p)`); n != 0 {
		t.Fatalf("a reload of the same marks stamped %d persons again", n)
	}
}

// An attribute column (officers.csv's gender, kept as text) is held to the
// text rules as every text: no terminal escape reaches probity report
// fairness (loadV).
func TestLoadAttributesAreText(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv": "officer_id,name,gender\nO1,Ann,F\nO2,Bob,\x1b[2JM\n",
	})
	_, rejects, _ := loadSet(t, s, dir, graph.LoadOptions{})
	if len(rejects) != 1 || !strings.Contains(rejects[0], "officers.csv:3: gender: text holds a control or text-direction character (U+001B") {
		t.Fatalf("rejects %q, want line 3's gender refused", rejects)
	}
	if n := count(t, s, `MATCH (o:Officer) RETURN count(o)`); n != 1 {
		t.Fatalf("%d officers loaded, want 1", n)
	}
}

// TestLoadAsSpreadsheetsWriteIt: a data set as spreadsheets and databases
// export it (csvW) loads as meant: headers in title case with spaces
// ("Person ID", "POI"), unnamed empty columns, rows of empty cells at the
// end, NULL and \N for a missing value, fixed-width padded text; an id
// with spaces around it is still refused, and a Windows-1252 byte says
// what to do.
func TestLoadAsSpreadsheetsWriteIt(t *testing.T) {
	s := graphtest.Open(t)
	dir := writeSet(t, map[string]string{
		"officers.csv": "Officer ID,Name,Rank,Unit,Role,Start Date,Status,,\n" +
			"O1,Ann,PC,Unit A    ,response,NULL,\\N,,\n" +
			"O2,Bob,PC,Unit A,response,,,,\n" +
			" O3,Cy,PC,Unit A,response,,,,\n" +
			"O4,Ren\xe9,PC,Unit A,response,,,,\n" +
			",,,,,,,,\n,,,,,,,,\n",
		"persons.csv": "Person_ID,Name,DOB,POI,POI Reason,High-Profile\nP1,Pat,1980-01-01,TRUE,drugs,\n",
	})
	rep, rejects, n := loadSet(t, s, dir, graph.LoadOptions{})
	if rep.Rejected != 2 || len(rejects) != 2 || !strings.Contains(rejects[0], "leading or trailing spaces") ||
		!strings.Contains(rejects[1], `save the file as "CSV UTF-8"`) {
		t.Fatalf("rejects %d: %q, want O3's id and O4's Windows-1252 name", rep.Rejected, rejects)
	}
	if got := count(t, s, `MATCH (o:Officer {unit: 'Unit A'}) WHERE o.id IN ['O1', 'O2'] AND o.startDate IS NULL AND o.status IS NULL RETURN count(o)`); got != 2 {
		t.Errorf("O1 and O2 in one unit 'Unit A', NULL and \\N read as empty: %d of 2", got)
	}
	if got := count(t, s, `MATCH (p:Person {id: 'P1', poi: true, poiReason: 'drugs'}) RETURN count(p)`); got != 1 {
		t.Errorf("persons.csv's title-case header: P1 of interest %d, want 1", got)
	}
	msgs := strings.Join(n.msgs, "\n")
	for _, want := range []string{"officers.csv: 2 rows with every cell empty skipped", "2 column(s) without a name ignored"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("notices %q: no %q", msgs, want)
		}
	}
	if strings.Contains(msgs, "unknown column") {
		t.Errorf("title-case columns taken for unknown ones: %q", msgs)
	}
}
