package graph_test

// mutY: tests that kill surviving mutants of the twenty-third session's
// scan changes (stale-scores.cypher, incremental.go staleScores and
// noSwipes, flags.go's kept reading of a window scan); each names the
// mutant it kills (/work/scratch/mutY/REPORT.md).

import (
	"context"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// moreOfficers are the "N more officers" steps of staleScores that name one or more.
func moreOfficers(r probity.ScanRun) []string {
	var out []string
	for _, st := range r.Steps {
		if strings.Contains(st.Step, "more officers, whose flags were scored") && !strings.HasPrefix(st.Step, graph.PatUndisclosedAssociation+": 0 ") {
			out = append(out, st.Step)
		}
	}
	return out
}

func uaFlags(t *testing.T, s *graph.Store, officer string, current bool) []probity.Flag {
	t.Helper()
	fs, err := s.Flags(context.Background(), probity.FlagFilter{OfficerID: officer, Pattern: graph.PatUndisclosedAssociation, Current: current})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// Kills S8 (stale-scores without f.supersededBy IS NULL), S9 (without
// f.clearedAt IS NULL), S12 (f.firstScanRunId for f.scanRunId) and I3
// ($dataNanos 0): after a full scan that rescored every standing flag at
// the data's time, an incremental scan with no new data looks at no one for
// stale scores, whatever superseded or cleared flags lie about, and when the
// watermark has a fraction of a second.
func TestMutYIncrementalNoNewDataRescoresNoOne(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(P1:Person {poi: true})
		(O2:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(P3:Person {poi: true})
		(O3:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(P4:Person {poi: true})
		(P2:Person {poi: true})
		(O9:Officer)-[:ACCESSED {at: datetime('2025-06-01T09:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	// O1: new evidence, a new flag supersedes the open one; O2: its case
	// gone, its flag is cleared; O3: unchanged, rescored; the watermark
	// moves to a time with a fraction of a second
	run(t, s, `MATCH (o:Officer {id: 'O1'}), (p:Person {id: 'P2'}) CREATE (o)-[:RELATED_TO {type: 'associate', since: date('2025-05-01')}]->(p)`)
	run(t, s, `MATCH (:Officer {id: 'O2'})-[r:RELATED_TO]->() DELETE r`)
	run(t, s, `MATCH (o:Officer {id: 'O9'}), (r:Record {id: 'R'}) CREATE (o)-[:ACCESSED {at: datetime('2025-07-01T09:00:00.5Z'), channel: 'onsite'}]->(r)`)
	full, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if full.Watermark.Nanosecond() == 0 {
		t.Fatalf("the test's premise: a watermark with a fraction of a second, got %v", full.Watermark)
	}
	// the premise: a superseded flag (O1), a cleared one (O2), one first seen by an older run (O3)
	var superseded, cleared bool
	for _, f := range uaFlags(t, s, "O1", false) {
		superseded = superseded || f.SupersededBy != ""
	}
	for _, f := range uaFlags(t, s, "O2", false) {
		cleared = cleared || !f.ClearedAt.IsZero()
	}
	o3 := uaFlags(t, s, "O3", true)
	if !superseded || !cleared || len(o3) != 1 || o3[0].ScanRunID != full.ID {
		t.Fatalf("the test's premise: superseded %v, cleared %v, O3 %+v", superseded, cleared, o3)
	}
	inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	if m := moreOfficers(inc); len(m) > 0 || inc.Officers != 0 {
		t.Errorf("incremental scan with no new data: %d officers looked at, %v", inc.Officers, m)
	}
}

// Kills S2 (stale-scores counting a window's run as a scan of all the
// data): a window (--from) that sees part of an officer's paths raises a
// flag of its own (another fingerprint) beside the full one; an incremental
// scan after it must look at that officer again (and clear the window's
// flag), as the full scan after it does.
func TestMutYIncrementalAfterAWindowsOwnFlag(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:HOLDS]->(A1:Account)
		(P1:Person {poi: true})-[:HOLDS]->(AP1:Account)
		(P2:Person {poi: true})-[:HOLDS]->(AP2:Account)
		(O2:Officer)-[:ACCESSED {at: datetime('2025-06-01T09:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	run(t, s, `MATCH (a1:Account {id: 'A1'}), (ap1:Account {id: 'AP1'}), (ap2:Account {id: 'AP2'})
		CREATE (a1)-[:PAID {id: 'old', amount: 100.0, at: datetime('2024-01-01T10:00:00Z')}]->(ap1)
		CREATE (a1)-[:PAID {id: 'new', amount: 100.0, at: datetime('2025-06-01T10:00:00Z')}]->(ap2)`)
	graphtest.IncrementalEqualsFull(t, s, func() {
		r, err := s.Scan(ctx, probity.ScanOptions{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if r.NewFlags == 0 {
			t.Fatalf("the test's premise: the window raises a flag of its own")
		}
		run(t, s, `MATCH (o:Officer {id: 'O2'}), (r:Record {id: 'R'}) CREATE (o)-[:ACCESSED {at: datetime('2025-05-01T09:00:00Z'), channel: 'onsite'}]->(r)`)
	})
}

// Kills I1 (staleScores without its sinceGiven return) and I11 (the
// increment not told --since was given): a scan given --since looks at
// what is new since then, not at the flags an incremental scan rescores.
func TestMutYSinceScanDoesNotRescore(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(P1:Person {poi: true})
		(O2:Officer)-[:ACCESSED {at: datetime('2025-06-01T09:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	run(t, s, `MATCH (o:Officer {id: 'O2'}), (r:Record {id: 'R'}) CREATE (o)-[:ACCESSED {at: datetime('2025-07-01T09:00:00Z'), channel: 'onsite'}]->(r)`)
	r, err := s.Scan(ctx, probity.ScanOptions{Since: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.SinceGiven {
		t.Fatalf("the test's premise: a --since scan, got %+v", r)
	}
	if m := moreOfficers(r); len(m) > 0 {
		t.Errorf("a --since scan rescored stale flags: %v", m)
	}
}

// Kills I8 (noSwipesFlagsCypher without its CONTAINS $note): once the
// flags that said no swipe was loaded are worded again, a later
// incremental scan with no new data looks at no attendance officer.
func TestMutYNoSwipesOnlyOnce(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O4:Officer)
		`+day("O1", "2025-03-01")+"\n"+day("O1", "2025-03-05")+"\n"+day("O1", "2025-03-10")+"\n"+day("O1", "2025-03-15")+`
		`+day("O4", "2025-03-01")+"\n"+day("O4", "2025-03-05")+"\n"+day("O4", "2025-03-10")+`
	`)
	graphtest.IncrementalEqualsFull(t, s, func() {
		run(t, s, `MATCH (o1:Officer {id: 'O1'}) CREATE (o1)-[:SWIPED]->(:BadgeSwipe {id: 'late', at: datetime('2025-03-10T08:00:00Z'), site: 'HQ'})`)
	})
	inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Officers != 0 {
		t.Errorf("an incremental scan with no new data looked at %d officers", inc.Officers)
	}
}

// windowRefinds: O1's flag, written by a full scan, then taken out of the
// queue by a later full scan that no longer finds its case (P no longer of
// interest; review: the flag was taken up first, so it is marked not found
// rather than cleared); P is of interest again, and a window scan finds the
// flag's case (its fingerprint) again. It returns the flag before and after.
func windowRefinds(t *testing.T, review bool) (before, after probity.Flag) {
	s := graphtest.Open(t)
	ctx := context.Background()
	paidTwice(t, s, "2024-01-01", "2025-06-01")
	opts := only(graph.PatUndisclosedAssociation)
	full := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]["O1"]
	if review {
		if _, err := s.ReviewFlag(ctx, full.ID, "rev", probity.FlagInReview, "looking at it", nil); err != nil {
			t.Fatal(err)
		}
	}
	run(t, s, `MATCH (p:Person {id: 'P'}) SET p.poi = false`)
	if _, err := s.Scan(ctx, opts); err != nil {
		t.Fatal(err)
	}
	before, err := s.Flag(ctx, full.ID)
	if err != nil {
		t.Fatal(err)
	}
	if (review && before.NotFoundAt.IsZero()) || (!review && before.ClearedAt.IsZero()) {
		t.Fatalf("the test's premise: the flag no longer found: %+v", before)
	}
	run(t, s, `MATCH (p:Person {id: 'P'}) SET p.poi = true`)
	window := opts
	window.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.Scan(ctx, window); err != nil {
		t.Fatal(err)
	}
	if after, err = s.Flag(ctx, full.ID); err != nil {
		t.Fatal(err)
	}
	return before, after
}

// Kills F3 (kept without old.clearedAt IS NULL): a cleared flag a window
// scan finds again stands again, and that is a change a reader (a sync
// mirror reading ChangedAt) must see.
func TestMutYWindowRefindsAClearedFlag(t *testing.T) {
	before, after := windowRefinds(t, false)
	if !after.ClearedAt.IsZero() || !after.ChangedAt.After(before.ChangedAt) {
		t.Errorf("a cleared flag found again by a window: cleared %v, changed %v (before %v)", after.ClearedAt, after.ChangedAt, before.ChangedAt)
	}
}

// Kills F4 (kept without old.notFoundAt IS NULL): likewise for a reviewed
// flag marked not found.
func TestMutYWindowRefindsANotFoundFlag(t *testing.T) {
	before, after := windowRefinds(t, true)
	if !after.NotFoundAt.IsZero() || !after.ChangedAt.After(before.ChangedAt) {
		t.Errorf("a not-found flag found again by a window: not found %v, changed %v (before %v)", after.NotFoundAt, after.ChangedAt, before.ChangedAt)
	}
}

// Kills F12 (changed without NOT keep): a window that finds the very
// evidence of a flag a full scan wrote leaves its reading, and so its
// ChangedAt: seen again is no change for a reader (Flag.ChangedAt).
func TestMutYWindowKeepsChangedAt(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	paidTwice(t, s, "2024-01-01", "2025-06-01")
	opts := only(graph.PatUndisclosedAssociation)
	full := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]["O1"]
	window := opts
	window.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.Scan(ctx, window); err != nil {
		t.Fatal(err)
	}
	got, err := s.Flag(ctx, full.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ChangedAt.Equal(full.ChangedAt) {
		t.Errorf("a window that saw the flag again changed it: ChangedAt %v, was %v", got.ChangedAt, full.ChangedAt)
	}
}

// windowsOwnFlag: O1 pays P1 in 2024 and 2025-02 and P2 in 2025-06; a
// full scan flags both paths; window w1 sees part of them and raises a flag
// of its own; window w2 sees the same part (the same fingerprint) and must
// write its reading on that flag: the flag was a window's, not the whole
// data's. It returns the window flag's run after w2, and w2's run.
func windowsOwnFlag(t *testing.T, w1, w2 probity.ScanOptions) (string, string) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:HOLDS]->(A1:Account)
		(P1:Person {poi: true})-[:HOLDS]->(AP1:Account)
		(P2:Person {poi: true})-[:HOLDS]->(AP2:Account)
	`)
	run(t, s, `MATCH (a1:Account {id: 'A1'}), (ap1:Account {id: 'AP1'}), (ap2:Account {id: 'AP2'})
		CREATE (a1)-[:PAID {id: 'p1', amount: 100.0, at: datetime('2024-01-01T10:00:00Z')}]->(ap1)
		CREATE (a1)-[:PAID {id: 'p2', amount: 100.0, at: datetime('2025-02-01T10:00:00Z')}]->(ap2)
		CREATE (a1)-[:PAID {id: 'p3', amount: 100.0, at: datetime('2025-06-01T10:00:00Z')}]->(ap2)`)
	opts := only(graph.PatUndisclosedAssociation)
	full := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]["O1"]
	w1.Patterns, w2.Patterns = opts.Patterns, opts.Patterns
	r1, err := s.Scan(ctx, w1)
	if err != nil || r1.NewFlags != 1 {
		t.Fatalf("the test's premise: window 1 raises a flag of its own: %d, %v", r1.NewFlags, err)
	}
	r2, err := s.Scan(ctx, w2)
	if err != nil || r2.NewFlags != 0 {
		t.Fatalf("the test's premise: window 2 finds window 1's flag: %d new, %v", r2.NewFlags, err)
	}
	var own []probity.Flag
	for _, f := range uaFlags(t, s, "O1", true) {
		if f.ID != full.ID {
			own = append(own, f)
		}
	}
	if len(own) != 1 {
		t.Fatalf("the windows' flags: %+v", own)
	}
	return own[0].ScanRunID, r2.ID
}

// Kills F5 (kept without lr.from IS NULL).
func TestMutYSecondFromWindowRewordsAWindowsFlag(t *testing.T) {
	got, want := windowsOwnFlag(t, probity.ScanOptions{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, probity.ScanOptions{From: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)})
	if got != want {
		t.Errorf("the window's flag holds run %s's reading, want the later window's %s", got, want)
	}
}

// Kills F6 (kept without lr.to IS NULL).
func TestMutYSecondToWindowRewordsAWindowsFlag(t *testing.T) {
	got, want := windowsOwnFlag(t, probity.ScanOptions{To: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)}, probity.ScanOptions{To: time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC)})
	if got != want {
		t.Errorf("the window's flag holds run %s's reading, want the later window's %s", got, want)
	}
}

// Kills F14 (the run that last wrote the flag read as its first run): a
// flag a window raised first and a scan of all the data then wrote holds
// the whole data's reading, which a later window that sees part of it
// leaves.
func TestMutYWindowLeavesAFullReadingOfAFlagAWindowRaised(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	paidTwice(t, s, "2024-06-01", "2025-06-01")
	opts := only(graph.PatUndisclosedAssociation)
	first := opts
	first.From = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // sees all of it
	if r, err := s.Scan(ctx, first); err != nil || r.NewFlags != 1 {
		t.Fatalf("the first (window) scan: %d new, %v", r.NewFlags, err)
	}
	full := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]["O1"]
	if full.ScanRunID == "" || !strings.Contains(full.Explanation, "since 2024-06-01") {
		t.Fatalf("the full scan's reading: %+v", full)
	}
	window := opts
	window.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.Scan(ctx, window); err != nil {
		t.Fatal(err)
	}
	got, err := s.Flag(ctx, full.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Explanation != full.Explanation || got.ScanRunID != full.ScanRunID {
		t.Errorf("after the window scan: %q (run %s), want the full scan's %q (run %s)", got.Explanation, got.ScanRunID, full.Explanation, full.ScanRunID)
	}
}

// upgradedThenWindow: O1's flag as an older version of the pattern left
// it (version 1, its own wording; with carried, another fingerprint too,
// so the scan carries it over by its evidence), then a window scan that
// finds its evidence. It returns the flag after the window scan.
func upgradedThenWindow(t *testing.T, carried bool) probity.Flag {
	s := graphtest.Open(t)
	ctx := context.Background()
	paidTwice(t, s, "2024-01-01", "2025-06-01")
	opts := only(graph.PatUndisclosedAssociation)
	full := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]["O1"]
	fp := ""
	if carried {
		fp = ", f.fingerprint = 'old'"
	}
	run(t, s, `MATCH (f:Flag {id: '`+full.ID+`'}) SET f.patternVersion = 1, f.explanation = 'version 1 wording'`+fp)
	window := opts
	window.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if r, err := s.Scan(ctx, window); err != nil || r.NewFlags != 0 {
		t.Fatalf("window scan: %d new, %v", r.NewFlags, err)
	}
	got, err := s.Flag(ctx, full.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Kills F7 (keep without the fingerprint equality): a flag carried over
// from an older version (another fingerprint) is not "the very evidence"
// a scan of all the data last read: the window writes its reading.
func TestMutYWindowRewordsACarriedFlag(t *testing.T) {
	if got := upgradedThenWindow(t, true); got.PatternVersion != 1 && got.Explanation == "version 1 wording" {
		t.Errorf("a carried flag claims version %d with version 1's wording: %q", got.PatternVersion, got.Explanation)
	}
}

// mutY L1: the same check when the older version's flag
// has the same fingerprint: the window keeps version 1's wording and score
// and stamps the flag with the current version.
func TestMutYWindowAfterUpgradeRewords(t *testing.T) {
	if got := upgradedThenWindow(t, false); got.PatternVersion != 1 && got.Explanation == "version 1 wording" {
		t.Errorf("the flag claims version %d with version 1's wording: %q", got.PatternVersion, got.Explanation)
	}
}
