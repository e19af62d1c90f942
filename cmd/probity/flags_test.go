package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph/graphtest"
)

func TestScanFlagsCSVAndLists(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi:true})
		(O2:Officer)-[:LIVES_AT]->(A2:Address)<-[:LIVES_AT]-(P2:Person {poi:true, poiReason:'drugs, "supplier"'})
	`)
	ctx := context.Background()
	e, out, errOut := testEnv()
	if err := run(ctx, []string{"suppress", "add", "A2", "--reason", "station front desk"}, e); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"suppress", "list"}, e); err != nil || !strings.Contains(out.String(), "A2\tstation front desk\ttester") {
		t.Fatalf("suppress list: %q, %v", out.String(), err)
	}
	// audited as the API's changes and reads of the list are
	if evs, err := s.AuditEvents(ctx, probity.AuditFilter{First: 10}); err != nil || len(evs) != 2 ||
		evs[0].Operation != "suppress add" || evs[0].Purpose != "A2: station front desk" || strings.Join(evs[0].EntityIDs, ",") != "Address:A2" ||
		evs[1].Operation != "suppress list" || strings.Join(evs[1].EntityIDs, ",") != "Address:A2" {
		t.Fatalf("suppress add and list in the audit log: %+v, %v", evs, err)
	}
	// an unknown pattern is a usage error, and nothing on stdout looks like a run
	out.Reset()
	var ee *exitError
	if err := run(ctx, []string{"scan", "--pattern", "no-such-pattern"}, e); !errors.As(err, &ee) || ee.code != 64 || out.Len() != 0 {
		t.Fatalf("scan of an unknown pattern: %v, stdout %q", err, out.String())
	}
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association"}, e); err != nil {
		t.Fatalf("scan: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "[1/1] undisclosed-association") || !strings.Contains(out.String(), "1 new flags") {
		t.Fatalf("scan output: %q / %q", out.String(), errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"flags", "--format", "csv"}, e); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(out.String(), "\n", 2)
	if lines[0] != "flag_id,pattern,officer_id,score,status,evidence,explanation" {
		t.Fatalf("header = %q", lines[0])
	}
	rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv rows = %v, %v", rows, err)
	}
	r := rows[1]
	if !strings.HasPrefix(r[0], "FLAG-") || r[1] != "undisclosed-association" || r[2] != "O1" || r[4] != "new" || r[5] != "A1;O1;P1" || !strings.Contains(r[6], "P1") {
		t.Fatalf("row = %q", r)
	}
	if r[3] != "0.612" && !strings.Contains(r[3], ".") {
		t.Fatalf("score = %q", r[3])
	}
	// after removing the suppression, O2 is flagged too; the explanation with quotes and a comma survives CSV
	if err := run(ctx, []string{"suppress", "remove", "A2"}, e); err != nil {
		t.Fatal(err)
	}
	// the removal's audit event names the entity, as the API's does
	if evs, err := s.AuditEvents(ctx, probity.AuditFilter{Entity: "Address:A2", Operation: "suppress remove", First: 10}); err != nil || len(evs) != 1 {
		t.Fatalf("audit of the CLI's removal by entity: %+v, %v", evs, err)
	}
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association", "--pattern", "personal-interest-access,tripwire"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "[1/3] undisclosed-association") || !strings.Contains(errOut.String(), "[3/3] tripwire") {
		t.Fatalf("a repeated --pattern runs each: %q", errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"flags", "--format", "csv", "--officer", "O2", "--purpose", "case file 7"}, e); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil || len(rows) != 2 || !strings.Contains(rows[1][6], `drugs, "supplier"`) {
		t.Fatalf("O2 rows = %q, %v", rows, err)
	}
	// the API's global id names the same officer
	out.Reset()
	if err := run(ctx, []string{"flags", "--format", "csv", "--officer", "Officer:O2", "--purpose", "case file 7"}, e); err != nil {
		t.Fatal(err)
	}
	if again, err := csv.NewReader(strings.NewReader(out.String())).ReadAll(); err != nil || len(again) != 2 || again[1][0] != rows[1][0] {
		t.Fatalf("--officer Officer:O2 rows = %q, %v", again, err)
	}
	// Each export is in the audit log: who, why and every flag, officer and
	// evidence entity it named (the first export gave no purpose, and was
	// told so).
	evs, err := s.AuditEvents(ctx, probity.AuditFilter{Actor: "cli:tester", First: 100})
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, ev := range evs {
		if strings.HasPrefix(ev.Operation, "cli:flags") {
			exports = append(exports, ev.Purpose+" "+strings.Join(ev.EntityIDs, ";"))
		}
	}
	o2 := "case file 7 Flag:" + rows[1][0] + ";Officer:O2;Address:A2;Person:P2"
	want := []string{"none given Flag:" + r[0] + ";Officer:O1;Address:A1;Person:P1", o2, o2} // by import id, then by global id
	if strings.Join(exports, "|") != strings.Join(want, "|") {
		t.Errorf("audited exports %q, want %q", exports, want)
	}
	if !strings.Contains(errOut.String(), "no --purpose") {
		t.Errorf("no notice of the missing purpose: %q", errOut.String())
	}
	// O2's evidence changes (a second person of interest at A2): the new
	// flag supersedes the old, which the export leaves out unless asked.
	graphtest.AddFixture(t, s, `(P3:Person {poi:true})-[:LIVES_AT]->(A2)`)
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association"}, e); err != nil {
		t.Fatal(err)
	}
	// In the CSV the superseded flag says so in its status column: a script
	// counting the rows of --all by status must not count it as new.
	for _, c := range []struct {
		args   []string
		want   int
		status string
	}{{nil, 1, "new"}, {[]string{"--all"}, 2, "new,superseded"}} {
		out.Reset()
		if err := run(ctx, append([]string{"flags", "--officer", "O2", "--purpose", "check"}, c.args...), e); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
		if err != nil || len(rows) != 1+c.want || !strings.Contains(rows[1][5], "P3") {
			t.Fatalf("flags %v: %q, %v", c.args, rows, err)
		}
		var status []string
		for _, r := range rows[1:] {
			status = append(status, r[4])
		}
		if slices.Sort(status); strings.Join(status, ",") != c.status {
			t.Errorf("flags %v: statuses %q, want %s", c.args, status, c.status)
		}
	}
	out.Reset()
	if err := run(ctx, []string{"flags", "--format", "json", "--status", "new"}, e); err != nil || !strings.Contains(out.String(), `"officerId": "O2"`) ||
		!strings.Contains(out.String(), `"patternVersion": `) || !strings.Contains(out.String(), `"evidenceIds": [`) || !strings.Contains(out.String(), `"evidence": {`) ||
		!strings.Contains(out.String(), `"firstSeen": "`) || strings.Contains(out.String(), `"OfficerID"`) { // the API's names (mutU M5)
		t.Fatalf("json: %v %s", err, out.String())
	}
	truth := filepath.Join(t.TempDir(), "truth.csv")
	os.WriteFile(truth, []byte("officer_id,pattern,scenario_id\nO1,undisclosed-association,S1\nO3,undisclosed-association,S2\n"), 0o644)
	out.Reset()
	if err := run(ctx, []string{"eval", "--truth", truth, "--format", "json"}, e); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Patterns []probity.PatternAccuracy
		Overall  struct {
			Pattern      string
			PrecisionLow *float64
		}
		TruthFile string
	}
	err = json.Unmarshal(out.Bytes(), &rep)
	if acc := rep.Patterns; err != nil || len(acc) != 1 || acc[0].TruePositives != 1 || ratio(acc[0].Precision) != "0.500" || ratio(acc[0].Recall) != "0.500" {
		t.Fatalf("eval = %+v, %v", rep, err)
	}
	// the JSON says what the text does: the pooled row, with its intervals
	if rep.Overall.Pattern != probity.AllPatterns || rep.Overall.PrecisionLow == nil || !strings.Contains(out.String(), `"recallHigh"`) {
		t.Fatalf("eval json without the pooled row or the intervals: %s", out.String())
	}
	// eval stores its result for the API's accuracy field
	if rep, err := s.LatestAccuracyReport(ctx, true); err != nil || rep.TruthFile != truth || len(rep.Patterns) != 1 || ratio(rep.Patterns[0].Recall) != "0.500" {
		t.Fatalf("stored accuracy report = %+v, %v", rep, err)
	}
	// ... and is audited: it names the officers it missed and those not in
	// truth, and replaces the figures reviewers read (adminB M2)
	if evs, err := s.AuditEvents(ctx, probity.AuditFilter{Operation: "cli:eval", NewestFirst: true, First: 1}); err != nil || len(evs) != 1 ||
		!strings.Contains(evs[0].Purpose, "truth "+truth) || !slices.Contains(evs[0].EntityIDs, "Officer:O3") {
		t.Fatalf("eval's audit event: %+v, %v", evs, err)
	}
	// a pattern with truth but no flags has no precision: "-", not 0.000
	os.WriteFile(truth, []byte("officer_id,pattern,scenario_id\nO1,collusion-ring,S3\n"), 0o644)
	out.Reset()
	if err := run(ctx, []string{"eval", "--truth", truth}, e); err != nil {
		t.Fatal(err)
	}
	if f := strings.Fields(strings.Split(out.String(), "\n")[1]); len(f) < 6 || f[0] != "collusion-ring" || f[4] != "-" || f[5] != "0.000" {
		t.Fatalf("eval text = %q", out.String())
	}
	// ... and null in JSON, not 0
	out.Reset()
	if err := run(ctx, []string{"eval", "--truth", truth, "--format", "json"}, e); err != nil || !strings.Contains(out.String(), `"precision": null`) {
		t.Fatalf("eval json: %v %s", err, out.String())
	}
	// the traps file is kept with the report, absolute; without one none (mutT M5)
	traps := filepath.Join(t.TempDir(), "traps.csv")
	if err := os.WriteFile(traps, []byte("officer_id,pattern,scenario_id\nO2,collusion-ring,T1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cwd, _ := os.Getwd()
	relTraps, err := filepath.Rel(cwd, traps) // given relative, kept absolute (mutU M3)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"eval", "--truth", truth, "--traps", relTraps}, e); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.LatestAccuracyReport(ctx, true); err != nil || rep.TrapsFile != traps || !filepath.IsAbs(rep.TrapsFile) {
		t.Fatalf("the traps file kept: %q, %v", rep.TrapsFile, err)
	}
	// ... and named in the audit event, where the API's readers see only its name (secK L4)
	if evs, err := s.AuditEvents(ctx, probity.AuditFilter{Operation: "cli:eval", NewestFirst: true, First: 1}); err != nil || len(evs) != 1 ||
		!strings.HasSuffix(evs[0].Purpose, "; truth "+truth+"; traps "+traps) {
		t.Fatalf("eval's audit event with a traps file: %+v, %v", evs, err)
	}
	// A truth file naming an officer the database does not hold is
	// measured, with a warning; a bad one is refused with file:line and
	// leaves the stored report as it was.
	os.WriteFile(truth, []byte("officer_id,pattern\nO1,collusion-ring\nO999,collusion-ring\n"), 0o644)
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", truth}, e); err != nil || !strings.Contains(errOut.String(), "1 officer(s) the database does not hold, counted as missed: O999") {
		t.Fatalf("unknown officer: %v %q", err, errOut.String())
	}
	stored, _ := s.LatestAccuracyReport(ctx, true)
	if !slices.ContainsFunc(stored.Warnings, func(w string) bool { return strings.Contains(w, "does not hold, counted as missed: O999") }) || stored.ScanRunID == "" ||
		!slices.Equal(stored.UnknownOfficers, []string{"O999"}) {
		t.Fatalf("the stored report keeps the warning and the scan it measured: %+v", stored)
	}
	// a scan since that changes no flag leaves the figures standing (statA L1)
	if err := run(ctx, []string{"scan", "--incremental"}, e); err != nil {
		t.Fatal(err)
	}
	if now, err := s.LatestAccuracyReport(ctx, true); err != nil || now.LatestScanRunID == stored.ScanRunID || now.Changes == nil || now.Changes.Any() {
		t.Fatalf("after a scan that changed nothing: %+v, %v", now, err)
	}
	// the figures come with their exact intervals: none found of 2
	if !strings.Contains(out.String(), "0.000 [0.00-0.84]") {
		t.Fatalf("eval text without the interval of 0 in 2: %q", out.String())
	}
	// a truth file none of whose officers the database holds (another data
	// set's) is refused, and stores nothing (statA M3)
	os.WriteFile(truth, []byte("officer_id,pattern\nX1,collusion-ring\nX2,collusion-ring\n"), 0o644)
	if err := run(ctx, []string{"eval", "--truth", truth}, e); exitCode(err) != 65 || !strings.Contains(err.Error(), "holds none of them") {
		t.Fatalf("a truth file of other data: %v", err)
	}
	if now, _ := s.LatestAccuracyReport(ctx, true); now.ID != stored.ID {
		t.Fatalf("a refused truth file replaced the stored report")
	}
	for body, want := range map[string]string{
		"": "empty: a header naming officer_id and pattern is needed",
		"officer_id,pattern\nO1,Collusion-Ring\n":                  `:2: unknown pattern "Collusion-Ring" (one of `,
		"officer_id,pattern\nO1,collusion-ring\n,collusion-ring\n": ":3: officer_id is empty",
		"officer_id,pattern\nO1\n":                                 "record on line 2: wrong number of fields",
	} {
		os.WriteFile(truth, []byte(body), 0o644)
		err := run(ctx, []string{"eval", "--truth", truth}, e)
		if err == nil || !strings.Contains(err.Error(), truth) || !strings.Contains(err.Error(), want) {
			t.Errorf("truth %q: %v, want %q", body, err, want)
		}
	}
	if now, _ := s.LatestAccuracyReport(ctx, true); now.ID != stored.ID {
		t.Errorf("a refused truth file replaced the stored report")
	}
	// the API's id of an entity names it too
	out.Reset()
	if err := run(ctx, []string{"watch", "add", "Person:P1", "--reason", "public figure"}, e); err != nil || !strings.Contains(out.String(), "\tP1\tpublic figure") {
		t.Fatalf("watch add Person:P1: %v %q", err, out.String())
	}
	out.Reset()
	if err := s.RunForTest(ctx, `MATCH (o:Officer {id: 'O1'}) SET o.unit = 'U1'`); err != nil { // U1 and not recorded: groups of one
		t.Fatal(err)
	}
	if err := run(ctx, []string{"report", "fairness", "--purpose", "board pack", "--current"}, e); err != nil || !strings.Contains(out.String(), "2 of 2 officers flagged by flags that stand") ||
		!strings.Contains(out.String(), "95% interval") {
		t.Fatalf("report: %v %s", err, out.String())
	}
	// audited as the API's read is, naming the small groups' officers (secK L2, mutT M6)
	if evs, err := s.AuditEvents(ctx, probity.AuditFilter{Operation: "cli:report fairness", First: 5}); err != nil || len(evs) != 1 ||
		evs[0].Purpose != "board pack; fairness report (current flags)" || strings.Join(evs[0].EntityIDs, ",") != "Officer:O1,Officer:O2" {
		t.Fatalf("the report's audit event: %+v, %v", evs, err)
	}
	// its JSON gives an empty list as the API does, not null (statA L7)
	out.Reset()
	if err := run(ctx, []string{"report", "fairness", "--purpose", "board pack", "--format", "json"}, e); err != nil || !strings.Contains(out.String(), `"notCompared": []`) {
		t.Fatalf("report json: %v %s", err, out.String())
	}
	// every flag ever raised, with those that stand beside them (statA L6)
	out.Reset()
	if err := run(ctx, []string{"report", "fairness", "--purpose", "board pack"}, e); err != nil || !strings.Contains(out.String(), "force-wide: 2 of 2 officers ever flagged, 2 by flags that stand (rate 1.0000)") {
		t.Fatalf("report: %v %s", err, out.String())
	}
}

// TestFlagsCSVInnocentColumn: --innocent adds the innocent explanation as
// an eighth column; without it the header is DESIGN.md's seven.
func TestFlagsCSVInnocentColumn(t *testing.T) {
	graphtest.Fixture(t, graphtest.Open(t), `
		(O1:Officer)-[:RELATED_TO {type:'family'}]->(F1:Person)<-[:ABOUT]-(R1:Record)<-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]-(O1)
		(R1)-[:PART_OF]->(C1:Case)<-[:ASSIGNED_TO {from: date('2025-04-01'), to: date('2025-04-30')}]-(O1)
	`)
	ctx := context.Background()
	e, out, _ := testEnv()
	if err := run(ctx, []string{"scan", "--pattern", "personal-interest-access"}, e); err != nil {
		t.Fatal(err)
	}
	for _, innocent := range []bool{false, true} {
		out.Reset()
		args := []string{"flags", "--purpose", "test"}
		if innocent {
			args = append(args, "--innocent")
		}
		if err := run(ctx, args, e); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("--innocent=%v: %q, %v", innocent, rows, err)
		}
		if !innocent && len(rows[0]) != 7 {
			t.Fatalf("header without --innocent: %q", rows[0])
		}
		if innocent && (rows[0][7] != "innocent_explanation" || !strings.Contains(rows[1][7], "assigned to case C1 until 2025-04-30, 1 day before this look-up")) {
			t.Fatalf("with --innocent: %q", rows)
		}
	}
}

// A flag a full scan cleared reads "cleared" in the CSV's status column,
// one superseded "superseded" (whatever its review status), a standing
// one its review status.
func TestFlagsCSVStatusOfFlagsNoLongerStanding(t *testing.T) {
	var b strings.Builder
	err := writeFlagsCSV(&b, []probity.Flag{
		{ID: "F1", Status: probity.FlagNew},
		{ID: "F2", Status: probity.FlagNew, ClearedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "F3", Status: probity.FlagInReview, SupersededBy: "F4"},
		{ID: "F4", Status: probity.FlagInReview},
	}, false)
	rows, rerr := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil || rerr != nil || len(rows) != 5 {
		t.Fatalf("%q: %v %v", b.String(), err, rerr)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0]+"="+r[4])
	}
	if want := "F1=new F2=cleared F3=superseded F4=in_review"; strings.Join(got, " ") != want {
		t.Errorf("statuses %q, want %s", got, want)
	}
}

// A flag taken up that a scan no longer finds keeps its review state in
// the CSV's status column; the export says on stderr how many there are
// (analystB L6).
func TestFlagsCSVSaysTakenUpNoLongerFound(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `(O1:Officer)-[:RELATED_TO {type:'family'}]->(P1:Person {poi:true})`)
	ctx := context.Background()
	e, out, errOut := testEnv()
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association"}, e); err != nil {
		t.Fatalf("scan: %v\n%s", err, errOut.String())
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{Current: true})
	if err != nil || len(fs) != 1 {
		t.Fatalf("flags %+v, %v", fs, err)
	}
	if _, err := s.ReviewFlag(ctx, fs[0].ID, "rev1", probity.FlagInReview, "looking", nil); err != nil {
		t.Fatal(err)
	}
	graphtest.AddFixture(t, s, `(O1)-[:DECLARED {type:'association', on: date('2025-06-02')}]->(P1)`)
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association"}, e); err != nil {
		t.Fatalf("scan: %v\n%s", err, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if err := run(ctx, []string{"flags", "--format", "csv", "--purpose", "test"}, e); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][4] != "in_review" {
		t.Fatalf("csv %q, %v", out.String(), err)
	}
	if !strings.Contains(errOut.String(), "flags: 1 in review or decided are no longer found by a scan") {
		t.Fatalf("stderr %q", errOut.String())
	}
}
