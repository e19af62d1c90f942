package graph_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

const lifecycleFixture = `
	(O1:Officer {unit:'U1', rank:'PC'})-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi:true})
	(O2:Officer {unit:'U1', rank:'Sgt'})-[:RELATED_TO {type:'associate', source:'intel'}]->(P2:Person {poi:true})
	(O3:Officer {unit:'U2', rank:'PC'})
`

func TestFlagLifecycle(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, lifecycleFixture)
	opts := only(graph.PatUndisclosedAssociation)
	first := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]
	wantOfficers(t, graph.PatUndisclosedAssociation, first, "O1", "O2")

	t.Run("rescan updates lastSeen, no duplicates", func(t *testing.T) {
		time.Sleep(10 * time.Millisecond)
		run, err := s.Scan(ctx, opts)
		if err != nil || run.NewFlags != 0 || run.Updated != 2 {
			t.Fatalf("rescan: new %d updated %d, %v", run.NewFlags, run.Updated, err)
		}
		all, _ := s.Flags(ctx, probity.FlagFilter{})
		if len(all) != 2 {
			t.Fatalf("flags after rescan = %d, want 2", len(all))
		}
		for _, f := range all {
			if f.LastSeen.Equal(first[f.OfficerID].LastSeen) || !f.FirstSeen.Equal(first[f.OfficerID].FirstSeen) || f.ID != first[f.OfficerID].ID {
				t.Fatalf("flag %s: firstSeen %v→%v lastSeen %v→%v", f.ID, first[f.OfficerID].FirstSeen, f.FirstSeen, first[f.OfficerID].LastSeen, f.LastSeen)
			}
		}
	})

	t.Run("review state machine", func(t *testing.T) {
		id := first["O1"].ID
		if _, err := s.ReviewFlag(ctx, id, "rev1", probity.FlagFalsePositive, "not them", nil); probity.ErrorCode(err) != probity.ECONFLICT {
			t.Fatalf("new → false_positive: %v, want conflict", err)
		}
		// a reason says something: not spaces, punctuation or invisible characters (fuzzG)
		for _, reason := range []string{" ", "\ufeff", "\u200b\u200b", "???", "\u3164"} {
			if _, err := s.ReviewFlag(ctx, id, "rev1", probity.FlagInReview, reason, nil); probity.ErrorCode(err) != probity.EINVALID {
				t.Fatalf("reason %q: %v, want invalid", reason, err)
			}
		}
		if _, err := s.AddWatch(ctx, "P1", "\ufeff\ufeff\ufeff\ufeff\ufeff", "admin"); probity.ErrorCode(err) != probity.EINVALID {
			t.Fatalf("watch with an invisible reason: %v, want invalid", err)
		}
		if _, err := s.ReviewFlag(ctx, "FLAG-nope", "rev1", probity.FlagInReview, "x", nil); probity.ErrorCode(err) != probity.ENOTFOUND {
			t.Fatalf("unknown flag: %v", err)
		}
		if _, err := s.ReviewFlag(ctx, id, "rev1", probity.FlagInReview, "taking it", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReviewFlag(ctx, id, "rev1", probity.FlagNoFurtherAction, "shared address is a care home, known", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReviewFlag(ctx, id, "rev2", probity.FlagReferredInvestigation, "second thoughts", nil); probity.ErrorCode(err) != probity.ECONFLICT {
			t.Fatalf("closed flag moved: %v", err)
		}
		rvs, err := s.Reviews(ctx, id)
		if err != nil || len(rvs) != 2 || rvs[0].To != probity.FlagInReview || rvs[1].From != probity.FlagInReview || rvs[1].Reason == "" {
			t.Fatalf("reviews = %+v, %v", rvs, err)
		}
	})

	t.Run("dismissed stays dismissed", func(t *testing.T) {
		if _, err := s.Scan(ctx, opts); err != nil {
			t.Fatal(err)
		}
		f, err := s.Flag(ctx, first["O1"].ID)
		if err != nil || f.Status != probity.FlagNoFurtherAction {
			t.Fatalf("after rescan: %s, %v", f.Status, err)
		}
		if n, _ := s.Flags(ctx, probity.FlagFilter{OfficerID: "O1"}); len(n) != 1 {
			t.Fatalf("O1 flags = %d, want 1", len(n))
		}
	})

	t.Run("changed evidence makes a new flag", func(t *testing.T) {
		graphtest.Fixture(t, s, `(P9:Person {poi:true})`)
		run := `MATCH (o:Officer {id:'O1'}), (p:Person {id:'P9'}) CREATE (o)-[:RELATED_TO {type:'family', since: date('2025-01-01')}]->(p)`
		if err := s.RunForTest(ctx, run); err != nil {
			t.Fatal(err)
		}
		got, err := s.Scan(ctx, opts)
		if err != nil || got.NewFlags != 1 {
			t.Fatalf("new flags = %d, %v", got.NewFlags, err)
		}
		fs, _ := s.Flags(ctx, probity.FlagFilter{OfficerID: "O1"})
		var statuses []string
		for _, f := range fs {
			statuses = append(statuses, string(f.Status))
		}
		sort.Strings(statuses)
		if strings.Join(statuses, ",") != "new,no_further_action" {
			t.Fatalf("O1 statuses = %v", statuses)
		}
		r, err := s.OfficerRisk(ctx, "O1")
		if err != nil || r.Risk <= 0 || r.Flags[graph.PatUndisclosedAssociation] == 0 {
			t.Fatalf("risk = %+v, %v", r, err)
		}
		if want := 0.8 * r.Flags[graph.PatUndisclosedAssociation]; r.Risk < want-0.002 || r.Risk > want+0.002 {
			t.Fatalf("risk %.3f, want 0.8 × %.3f", r.Risk, r.Flags[graph.PatUndisclosedAssociation])
		}
		rank, err := s.RiskRanking(ctx, 10)
		if err != nil || len(rank) != 2 || rank[0].Risk < rank[1].Risk {
			t.Fatalf("ranking = %+v, %v", rank, err)
		}
		if _, err := s.OfficerRisk(ctx, "NOPE"); probity.ErrorCode(err) != probity.ENOTFOUND {
			t.Fatalf("unknown officer: %v", err)
		}
	})

	t.Run("fairness", func(t *testing.T) {
		if err := s.RunForTestParams(ctx, `MATCH (o:Officer) SET o.status = 'active'`, nil); err != nil {
			t.Fatal(err)
		}
		rep, err := s.Fairness(ctx, probity.FairnessQuery{})
		if err != nil {
			t.Fatal(err)
		}
		// one attribute: its groups only, and its comparisons the family the
		// false discovery rate is held over (statB M1)
		byUnit, err := s.Fairness(ctx, probity.FairnessQuery{Attribute: "unit"})
		if err != nil || len(byUnit.Groups) == 0 || byUnit.Comparisons != len(byUnit.Groups) || len(byUnit.NotCompared) != 0 {
			t.Fatalf("by unit: %+v, %v", byUnit, err)
		}
		for _, g := range byUnit.Groups {
			if g.Attribute != "unit" {
				t.Fatalf("by unit: a group of %s", g.Attribute)
			}
		}
		if _, err := s.Fairness(ctx, probity.FairnessQuery{Attribute: "Unit"}); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), "unit") {
			t.Fatalf("an unknown attribute: %v", err)
		}
		// one the data holds but takes for an identifier is left out, saying
		// by which rule (reviewE L10), and refused when asked for by name:
		// its groups would name officers (reviewR L5)
		if err := s.RunForTestParams(ctx, `MATCH (o:Officer) SET o.badge = 'B-' + o.id`, nil); err != nil {
			t.Fatal(err)
		}
		if all, err := s.Fairness(ctx, probity.FairnessQuery{}); err != nil || !slices.ContainsFunc(all.NotCompared, func(a string) bool { return strings.HasPrefix(a, "badge (3 values, none shared by two officers") }) {
			t.Fatalf("an identifier: %q, %v", all.NotCompared, err)
		}
		if _, err := s.Fairness(ctx, probity.FairnessQuery{Attribute: "badge"}); probity.ErrorCode(err) != probity.EINVALID {
			t.Fatalf("an identifier asked for: %v", err)
		}
		// what it did not compare, and why (statA L5)
		if !slices.Contains(rep.NotCompared, "status (one value for every officer)") || slices.ContainsFunc(rep.NotCompared, func(a string) bool { return strings.HasPrefix(a, "unit") }) {
			t.Fatalf("not compared: %q", rep.NotCompared)
		}
		if rep.Officers != 3 || rep.Flagged != 2 || rep.FlaggedStanding != 2 {
			t.Fatalf("fairness totals %d/%d, %d by flags that stand", rep.Flagged, rep.Officers, rep.FlaggedStanding)
		}
		found := false
		for _, g := range rep.Groups {
			if g.Attribute == "unit" && g.Value == "U1" {
				found = true
				if g.Officers != 2 || g.Flagged != 2 || g.Ratio == nil || *g.Ratio < 1.49 || *g.Ratio > 1.51 || !g.Small || len(g.SmallOfficers) != 2 {
					t.Fatalf("U1 group = %+v", g)
				}
				// 2 of 2 flagged against 0 of the 1 other officer: Fisher's
				// exact test gives p = 1/3, and counts this small get no
				// large-sample interval.
				if !g.Compared || math.Abs(g.P-1.0/3) > 1e-6 || g.BeyondChance || g.HasInterval {
					t.Fatalf("U1 group %+v", g)
				}
			}
		}
		if !found {
			t.Fatalf("no unit group: %+v", rep.Groups)
		}
	})

	t.Run("scan runs recorded", func(t *testing.T) {
		runs, err := s.ScanRuns(ctx, 10)
		if err != nil || len(runs) != 4 || runs[0].EndedAt.IsZero() || len(runs[0].Patterns) != 1 {
			t.Fatalf("runs = %+v, %v", runs, err)
		}
	})
}

// TestFlagClearedWhenCaseGone: a full scan that no longer finds a new
// flag's case (here a declaration made since) clears it: it leaves the
// queue, the current list, the risk and the evaluation, and comes back if
// the case does. A window, or an incremental scan that did not look at the
// officer, cannot tell, and a flag a person has taken up is never cleared.
func TestFlagClearedWhenCaseGone(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer {unit:'U1'})-[:RELATED_TO {type:'family'}]->(P1:Person {poi:true})
		(O2:Officer {unit:'U1'})-[:RELATED_TO {type:'family'}]->(P2:Person {poi:true})
		(O1)-[:ACCESSED {at: datetime('2025-06-01T10:00:00Z')}]->(R1:Record)
	`)
	opts := only(graph.PatUndisclosedAssociation)
	first := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]
	wantOfficers(t, graph.PatUndisclosedAssociation, first, "O1", "O2")
	if _, err := s.ReviewFlag(ctx, first["O2"].ID, "rev1", probity.FlagInReview, "looking", nil); err != nil {
		t.Fatal(err)
	}
	// both officers declare their relative
	graphtest.AddFixture(t, s, `
		(O1)-[:DECLARED {type:'association', on: date('2025-06-02')}]->(P1)
		(O2)-[:DECLARED {type:'association', on: date('2025-06-02')}]->(P2)
		(O1)-[:ACCESSED {at: datetime('2025-06-03T10:00:00Z')}]->(R2:Record)
	`)
	current := func() map[string]bool {
		t.Helper()
		fs, err := s.Flags(ctx, probity.FlagFilter{Current: true})
		if err != nil {
			t.Fatal(err)
		}
		q, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, f := range fs {
			out[f.OfficerID] = true
		}
		if len(q) != len(fs) {
			t.Fatalf("queue %d flags, current list %d", len(q), len(fs))
		}
		return out
	}
	for _, o := range []probity.ScanOptions{
		// new since the 3rd: O1's look-up of R2, nothing undisclosed-association looks at
		{Patterns: opts.Patterns, Since: time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)},
		{Patterns: opts.Patterns, From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)},
	} {
		run, err := s.Scan(ctx, o)
		if err != nil || run.Cleared != 0 || !current()["O1"] {
			t.Fatalf("a partial scan (%+v) cleared %d flags, %v; current %v", o, run.Cleared, err, current())
		}
	}
	run, err := s.Scan(ctx, opts)
	if err != nil || run.Cleared != 1 || run.Patterns[0].Cleared != 1 {
		t.Fatalf("full scan: cleared %d, %v", run.Cleared, err)
	}
	f, _ := s.Flag(ctx, first["O1"].ID)
	if f.ClearedAt.IsZero() || f.ClearedByRun != run.ID || f.Status != probity.FlagNew {
		t.Fatalf("O1's flag after the declaration: cleared %v by %q, %s", f.ClearedAt, f.ClearedByRun, f.Status)
	}
	if c := current(); c["O1"] || !c["O2"] {
		t.Fatalf("current after the full scan: %v; want O2 only (in review, never cleared)", c)
	}
	// Out of the queue, so not to be taken up: in review it would never be
	// cleared again and would stay out of sight.
	if _, err := s.ReviewFlag(ctx, f.ID, "rev1", probity.FlagInReview, "looking", nil); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "cleared") {
		t.Fatalf("reviewing a cleared flag: %v, want conflict saying it was cleared", err)
	}
	flagged, err := s.FlaggedOfficers(ctx)
	if err != nil || len(flagged[graph.PatUndisclosedAssociation]) != 0 {
		t.Fatalf("evaluation still counts O1 or O2: %v, %v", flagged, err)
	}
	if r, err := s.OfficerRisk(ctx, "O1"); err != nil || r.Risk != 0 {
		t.Fatalf("O1's risk %+v, %v", r, err)
	}
	// O2's, in review, is not cleared but says the scan no longer found it,
	// and the run counts it
	if g, err := s.Flag(ctx, first["O2"].ID); err != nil || !g.ClearedAt.IsZero() || g.NotFoundAt.IsZero() || g.NotFoundByRun != run.ID || g.Status != probity.FlagInReview {
		t.Fatalf("O2's flag in review after the declaration: cleared %v, not found %v by %q, %s (%v)", g.ClearedAt, g.NotFoundAt, g.NotFoundByRun, g.Status, err)
	}
	if run.NotFound != 1 || run.Patterns[0].NotFound != 1 {
		t.Fatalf("the run counts %d (pattern %d) taken up no longer found, want 1", run.NotFound, run.Patterns[0].NotFound)
	}
	// the stored run says so too (mutS G10), and O1's flag, cleared by a
	// declaration under unchanged thresholds, names no parameters (mutS G12)
	if runs, err := s.ScanRuns(ctx, 1); err != nil || len(runs) != 1 || runs[0].NotFound != 1 || runs[0].Cleared != 1 {
		t.Fatalf("the stored run: %+v, %v", runs, err)
	}
	if f, err := s.Flag(ctx, first["O1"].ID); err != nil || f.ClearedAt.IsZero() || len(f.ClearedParameters) != 0 {
		t.Fatalf("O1's cleared flag: cleared %v, parameters %v, %v", f.ClearedAt, f.ClearedParameters, err)
	}
	// nor does it keep O2 up the triage order (analystB M5): computed or
	// stored, which the queue's order and floor read (mutT H1)
	if r, err := s.OfficerRisk(ctx, "O2"); err != nil || r.Risk != 0 {
		t.Fatalf("O2's risk with the flag not found: %+v, %v", r, err)
	}
	floor := 0.01
	if fs, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 10, NotFound: true, MinRisk: &floor}); err != nil || len(fs) != 0 {
		t.Fatalf("the queue above a risk floor still holds O2's not-found flag: %+v, %v", fs, err)
	}
	// the queue lists it among the flags taken up that a scan no longer found
	if nf, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 10, NotFound: true}); err != nil || len(nf) != 1 || nf[0].ID != first["O2"].ID {
		t.Fatalf("the not-found flags: %+v, %v; want O2's", nf, err)
	}
	// the disproportion report counts every flag ever raised, or with
	// current only those the rules as they stand raise: neither O1's,
	// cleared, nor O2's, not found (statA L4, statB H1)
	for cur, want := range map[bool]int{false: 2, true: 0} {
		// either way with the officers flags that stand concern beside them (statA L6)
		if rep, err := s.Fairness(ctx, probity.FairnessQuery{Pattern: graph.PatUndisclosedAssociation, Current: cur}); err != nil || rep.Flagged != want || rep.Current != cur || rep.FlaggedStanding != 0 {
			t.Fatalf("fairness, current %v: %d flagged, %d by flags that stand, %v; want %d, 0", cur, rep.Flagged, rep.FlaggedStanding, err, want)
		}
	}
	// the declaration is withdrawn: the same case, the same flag, back
	graphtest.AddFixture(t, s, `(O1)-[:ACCESSED {at: datetime('2025-06-05T10:00:00Z')}]->(R3:Record)`)
	if err := s.RunForTest(ctx, `MATCH (:Officer {id: 'O1'})-[d:DECLARED]->() SET d.withdrawnOn = date('2025-06-04')`); err != nil {
		t.Fatal(err)
	}
	// O2's flag, still not found, is not marked (nor counted) again
	if run, err = s.Scan(ctx, opts); err != nil || run.NewFlags != 0 || run.Cleared != 0 || run.NotFound != 0 {
		t.Fatalf("after the withdrawal: %d new, %d cleared, %d not found, %v", run.NewFlags, run.Cleared, run.NotFound, err)
	}
	// the queue's not-found filter keeps O2's and leaves O1's, current again (reviewE M4)
	if nf, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 10, NotFound: true}); err != nil || len(nf) != 1 || nf[0].ID != first["O2"].ID {
		t.Fatalf("the not-found flags after O1's withdrawal: %+v, %v; want O2's", nf, err)
	}
	if f, _ = s.Flag(ctx, first["O1"].ID); !f.ClearedAt.IsZero() || f.ClearedByRun != "" || !current()["O1"] {
		t.Fatalf("O1's flag found again but still cleared: %v %q", f.ClearedAt, f.ClearedByRun)
	}
	// O2's declaration withdrawn too: found again, it is no longer marked
	if err := s.RunForTest(ctx, `MATCH (:Officer {id: 'O2'})-[d:DECLARED]->() SET d.withdrawnOn = date('2025-06-04')`); err != nil {
		t.Fatal(err)
	}
	if run, err = s.Scan(ctx, opts); err != nil || run.NotFound != 0 {
		t.Fatalf("after O2's withdrawal: %d not found, %v", run.NotFound, err)
	}
	if r, err := s.OfficerRisk(ctx, "O2"); err != nil || r.Risk == 0 {
		t.Fatalf("O2's risk with the flag found again: %+v, %v", r, err)
	}
	if g, err := s.Flag(ctx, first["O2"].ID); err != nil || !g.NotFoundAt.IsZero() || g.NotFoundByRun != "" || g.Status != probity.FlagInReview {
		t.Fatalf("O2's flag found again: not found %v by %q, %s (%v)", g.NotFoundAt, g.NotFoundByRun, g.Status, err)
	}
}

// paidTwice: officer O1 paid person of interest P (A1 to AP) on the days
// older and newer, YYYY-MM-DD: one undisclosed-association case whose path
// has existed "since" the older payment, and of which a window after it
// sees the newer payment only.
func paidTwice(t *testing.T, s *graph.Store, older, newer string) {
	t.Helper()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:HOLDS]->(A1:Account)
		(P:Person {poi: true})-[:HOLDS]->(AP:Account)
	`)
	run(t, s, `MATCH (a1:Account {id: 'A1'}), (ap:Account {id: 'AP'})
		CREATE (a1)-[:PAID {id: 'old', amount: 100.0, at: datetime('`+older+`T10:00:00Z')}]->(ap)
		CREATE (a1)-[:PAID {id: 'new', amount: 100.0, at: datetime('`+newer+`T10:00:00Z')}]->(ap)`)
}

// TestWindowScanKeepsTheWholeReading: a window that finds the very
// evidence of a flag a scan of all the data wrote sees the same flag
// (same fingerprint); it marks it seen and leaves its score and wording as
// the scan of all the data read them: the window's "since" is its own first
// link, and would stand in the queue until the next full scan (reviewQ
// M1). A flag the window alone wrote takes the next full scan's reading.
func TestWindowScanKeepsTheWholeReading(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	paidTwice(t, s, "2024-01-01", "2025-06-01")
	opts := only(graph.PatUndisclosedAssociation)
	full := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]["O1"]
	if !strings.Contains(full.Explanation, "since 2024-01-01") {
		t.Fatalf("the full scan's reading: %q", full.Explanation)
	}
	window := opts
	window.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := s.Scan(ctx, window)
	if err != nil || r.NewFlags != 0 {
		t.Fatalf("window scan: %d new, %v", r.NewFlags, err)
	}
	got, err := s.Flag(ctx, full.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Explanation != full.Explanation || got.Score != full.Score || got.ScanRunID != full.ScanRunID || !got.LastSeen.After(full.LastSeen) {
		t.Fatalf("after the window scan: %q %v run %s seen %v; want the full scan's %q %v run %s, seen again",
			got.Explanation, got.Score, got.ScanRunID, got.LastSeen, full.Explanation, full.Score, full.ScanRunID)
	}
}

// TestWindowScanLeavesFullFlags: a scan of a window sees part of the data,
// so its flag (other evidence, another fingerprint) stands beside the flag
// of the whole data instead of superseding it, and the next full scan
// clears it. A flag that a scan of all the data finds again is current
// again, and supersedes the flag that had superseded it.
func TestWindowScanLeavesFullFlags(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type:'family'}]->(F1:Person)<-[:ABOUT]-(R1:Record)<-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]-(O1)
		(O1)-[:ACCESSED {at: datetime('2025-03-10T10:00:00Z')}]->(R2:Record)-[:ABOUT]->(F1)
	`)
	opts := only(graph.PatPersonalInterest)
	current := func() []string {
		t.Helper()
		fs, err := s.Flags(ctx, probity.FlagFilter{Current: true})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.ID)
		}
		sort.Strings(ids)
		return ids
	}
	full := scanAll(t, s, opts)[graph.PatPersonalInterest]["O1"]
	window := probity.ScanOptions{Patterns: opts.Patterns, From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)}
	run, err := s.Scan(ctx, window)
	if err != nil || run.NewFlags != 1 {
		t.Fatalf("window scan: %d new flags, %v", run.NewFlags, err)
	}
	if c := current(); len(c) != 2 || !slices.Contains(c, full.ID) {
		t.Fatalf("after the window scan, current flags %v; want the full-data flag %s and the window's", c, full.ID)
	}
	if run, err = s.Scan(ctx, opts); err != nil || run.Cleared != 1 {
		t.Fatalf("full scan: cleared %d, %v", run.Cleared, err)
	}
	if c := current(); !slices.Equal(c, []string{full.ID}) {
		t.Fatalf("after the full scan, current flags %v; want only %s", c, full.ID)
	}

	// New evidence supersedes the flag; once it is gone (data corrected)
	// a full scan finds the first case again, and that flag stands again.
	graphtest.AddFixture(t, s, `(O1)-[:ACCESSED {at: datetime('2025-04-10T10:00:00Z'), tag: 'mistake'}]->(R1)`)
	if run, err = s.Scan(ctx, opts); err != nil || run.NewFlags != 1 {
		t.Fatalf("scan with new evidence: %d new, %v", run.NewFlags, err)
	}
	f, _ := s.Flag(ctx, full.ID)
	if f.SupersededBy == "" {
		t.Fatalf("the first flag is not superseded by the new evidence: %+v", f)
	}
	// The conflict points at supersededBy but does not name the newer flag
	// (to a token tied to its officer that flag may be hidden: reviewI L2).
	if _, err := s.ReviewFlag(ctx, f.ID, "rev1", probity.FlagInReview, "looking", nil); probity.ErrorCode(err) != probity.ECONFLICT ||
		!strings.Contains(err.Error(), "supersededBy") || strings.Contains(err.Error(), f.SupersededBy) {
		t.Fatalf("reviewing a superseded flag: %v, want a conflict pointing at supersededBy, not naming %s", err, f.SupersededBy)
	}
	if err := s.RunForTest(ctx, `MATCH ()-[a:ACCESSED {tag: 'mistake'}]->() DELETE a`); err != nil {
		t.Fatal(err)
	}
	if run, err = s.Scan(ctx, opts); err != nil || run.NewFlags != 0 {
		t.Fatalf("scan after the correction: %d new, %v", run.NewFlags, err)
	}
	if c := current(); !slices.Equal(c, []string{full.ID}) {
		t.Fatalf("after the correction, current flags %v; want only %s again", c, full.ID)
	}
}

// TestReturnReferralOfSupersededFlag: a referral on a superseded flag
// stands; the refusal points at supersededBy without naming the newer flag
// (reviewI L2: to a token tied to its officer it may be hidden). A scan
// supersedes only new flags, so a referred one is superseded only in data
// an earlier release wrote; the test writes that state.
func TestReturnReferralOfSupersededFlag(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type:'family'}]->(F1:Person)<-[:ABOUT]-(R1:Record)<-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]-(O1)
	`)
	f := scanAll(t, s, only(graph.PatPersonalInterest))[graph.PatPersonalInterest]["O1"]
	for _, to := range []probity.FlagStatus{probity.FlagInReview, probity.FlagReferredInvestigation} {
		if _, err := s.ReviewFlag(ctx, f.ID, "rev1", to, "the look-up has no case", nil); err != nil {
			t.Fatal(err)
		}
	}
	const newer = "FLAG-newer-of-an-earlier-release"
	if err := s.RunForTestParams(ctx, `MATCH (f:Flag {id: $id}) SET f.supersededBy = $newer`, map[string]any{"id": f.ID, "newer": newer}); err != nil {
		t.Fatal(err)
	}
	_, err := s.ReturnReferral(ctx, f.ID, "rev2", "the evidence changed", nil)
	if probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "the referral stands") ||
		!strings.Contains(err.Error(), "supersededBy") || strings.Contains(err.Error(), newer) {
		t.Fatalf("returning the referral of a superseded flag: %v, want a conflict saying it stands, not naming %s", err, newer)
	}
	if after, _ := s.Flag(ctx, f.ID); after.Status != probity.FlagReferredInvestigation {
		t.Fatalf("the refused return changed the flag: %s", after.Status)
	}
}

func TestIncrementalScan(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type:'family'}]->(F1:Person)<-[:ABOUT]-(R1:Record)<-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]-(O1)
		(O2:Officer)-[:RELATED_TO {type:'family'}]->(F2:Person)<-[:ABOUT]-(R2:Record)
		(O3:Officer)-[:RELATED_TO {type:'family'}]->(F3:Person)<-[:ABOUT]-(R3:Record)
		(O4:Officer)-[:LIVES_AT]->(A4:Address)
		(X4:Person)-[:HOLDS]->(AX4:Account)
		(P4:Person {poi:true})-[:RELATED_TO {type:'associate'}]->(X4)
	`)
	full, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil || full.NewFlags != 1 {
		t.Fatalf("full scan: %d new, %v", full.NewFlags, err)
	}
	before, _ := s.Flag(ctx, mustFlags(t, s, "O1")[0].ID)
	// new data: O2 looks up a relative; X4 (linked to a person of interest) moves in with O4
	err = s.RunForTest(ctx, `MATCH (o:Officer {id:'O2'}), (r:Record {id:'R2'}) CREATE (o)-[:ACCESSED {at: datetime('2025-02-01T10:00:00Z')}]->(r)
		WITH 1 AS x MATCH (p:Person {id:'X4'}), (a:Address {id:'A4'}) CREATE (p)-[:LIVES_AT {from: date('2025-02-02')}]->(a)`)
	if err != nil {
		t.Fatal(err)
	}
	var progress, steps []string
	inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true, Progress: func(p probity.ScanProgress) {
		if p.Step == "" {
			progress = append(progress, p.Pattern)
		} else {
			steps = append(steps, p.Step)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Since.Equal(full.Watermark) || inc.Officers != 2 {
		t.Fatalf("incremental since %v (want %v), officers %d (want 2: O2, O4)", inc.Since, full.Watermark, inc.Officers)
	}
	if len(progress) != len(graph.Patterns()) {
		t.Fatalf("progress = %v", progress)
	}
	if len(steps) < 4 || steps[len(steps)-1] != "risk" {
		t.Fatalf("steps reported: %q, want watermark, hubs, aggregates ... risk", steps)
	}
	var got []string
	fs, _ := s.Flags(ctx, probity.FlagFilter{})
	for _, f := range fs {
		if f.FirstSeen.After(full.StartedAt.Add(time.Millisecond)) && f.ScannedAt.After(full.EndedAt) {
			got = append(got, f.Pattern+":"+f.OfficerID)
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "personal-interest-access:O2 undisclosed-association:O4" {
		t.Fatalf("new flags of the incremental scan = %v", got)
	}
	after, _ := s.Flag(ctx, before.ID)
	if !after.LastSeen.Equal(before.LastSeen) {
		t.Fatalf("O1 (untouched) was rescanned: lastSeen %v → %v", before.LastSeen, after.LastSeen)
	}
}

func mustFlags(t *testing.T, s *graph.Store, officer string) []probity.Flag {
	t.Helper()
	fs, err := s.Flags(context.Background(), probity.FlagFilter{OfficerID: officer})
	if err != nil || len(fs) == 0 {
		t.Fatalf("flags of %s: %v, %v", officer, fs, err)
	}
	return fs
}

// TestFlagCarriedOverAnUpgrade: a flag that a new pattern version (or a
// migration of the data's ids) finds again with another fingerprint but
// the same evidence stays the one flag: a reviewed one with its decision
// (it came back as a new flag beside it, opsU), an open one with its id
// (it was superseded and alerted again), also when the older version
// listed shift ids among its evidence ids (attendance-mismatch before
// schema 13, opsV). New evidence ids make a new case.
func TestFlagCarriedOverAnUpgrade(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, lifecycleFixture)
	opts := only(graph.PatUndisclosedAssociation)
	first := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]
	for _, d := range []probity.FlagStatus{probity.FlagInReview, probity.FlagFalsePositive} {
		if _, err := s.ReviewFlag(ctx, first["O1"].ID, "rev1", d, "the address is a hostel", nil); err != nil {
			t.Fatal(err)
		}
	}
	// as an older version left them: other fingerprints and ids, version 1, a shift id among the evidence ids
	run(t, s, `MATCH (f:Flag) SET f.id = 'FLAG-old-' + f.officerId, f.fingerprint = 'old', f.patternVersion = 1,
		f.evidenceIds = f.evidenceIds + [f.officerId + '/2025-01-01']`)
	for i := range 2 { // then nothing new: the carried flags are found by their new fingerprints
		if r, err := s.Scan(ctx, opts); err != nil || r.NewFlags != 0 {
			t.Fatalf("scan %d after the upgrade: %d new flags, %v; want 0", i+1, r.NewFlags, err)
		}
	}
	all, err := s.Flags(ctx, probity.FlagFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range all {
		got = append(got, fmt.Sprintf("%s %s %s v%d current=%v", f.OfficerID, f.ID, f.Status, f.PatternVersion, f.SupersededBy == "" && f.ClearedAt.IsZero()))
	}
	sort.Strings(got)
	if want := "O1 FLAG-old-O1 false_positive v5 current=true|O2 FLAG-old-O2 new v5 current=true"; strings.Join(got, "|") != want {
		t.Fatalf("flags after the upgrade:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	// new evidence ids make a new case, beside the decision
	graphtest.AddFixture(t, s, `(P9:Person {poi:true})-[:LIVES_AT]->(A1)`)
	if r, err := s.Scan(ctx, opts); err != nil || r.NewFlags != 1 {
		t.Fatalf("scan with a second person of interest at O1's address: %d new, %v", r.NewFlags, err)
	}
}

// TestScansTakeTurns: a scan waits while another holds the scan lock (the
// hub marks of two scans at once would mix) and says so, then runs; one
// whose context ends while it waits stops with that reason.
func TestScansTakeTurns(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, lifecycleFixture)
	hold := func(d string) {
		run(t, s, `MERGE (l:Lease {id: 'scan:lock'}) SET l.holder = 'elsewhere', l.host = 'another-host', l.pid = 1, l.token = 1,
			l.since = datetime(), l.expiresAt = datetime() + duration('`+d+`')`)
	}
	hold("PT3S")
	var steps []string
	start := time.Now()
	r, err := s.Scan(context.Background(), probity.ScanOptions{Patterns: []string{graph.PatUndisclosedAssociation},
		Progress: func(p probity.ScanProgress) { steps = append(steps, p.Step) }})
	if err != nil || r.NewFlags != 2 || time.Since(start) < 2*time.Second || !strings.HasPrefix(steps[0], "waiting: another scan is running on this database (host another-host") {
		t.Fatalf("scan behind another: %+v, %v after %v, steps %q", r, err, time.Since(start), steps)
	}
	hold("PT1M")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := s.Scan(ctx, only(graph.PatUndisclosedAssociation)); err == nil || !strings.Contains(err.Error(), "waiting for the scan lock") {
		t.Fatalf("a scan whose time ran out in the queue: %v", err)
	}
}

// TestScanRunLeftRunning: the run of a scan whose process died stays
// "running" until the next scan takes the scan lock, which marks it
// failed, abandoned (opsU).
func TestScanRunLeftRunning(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, lifecycleFixture)
	run(t, s, `CREATE (:ScanRun {id: 'SCAN-dead', trigger: 'cli', startedAt: datetime() - duration('PT1H'), status: 'running'})`)
	if _, err := s.Scan(context.Background(), only(graph.PatUndisclosedAssociation)); err != nil {
		t.Fatal(err)
	}
	runs, err := s.ScanRunPage(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(runs, func(r probity.ScanRun) bool { return r.ID == "SCAN-dead" })
	if i < 0 || runs[i].EndedAt.IsZero() || !strings.HasPrefix(runs[i].Error, "abandoned") {
		t.Fatalf("the dead run after the next scan: %+v", runs)
	}
}

// A flag taken up whose officer's case the scan finds with other evidence
// (a new flag, as reviewed flags are not superseded) names that flag: the
// case as it stands, to be read beside the decision (checkE M1).
func TestNotFoundNamesTheNewerFlag(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `(O1:Officer {unit:'U1'})-[:RELATED_TO {type:'family'}]->(P1:Person {poi:true})`)
	opts := only(graph.PatUndisclosedAssociation)
	first := scanAll(t, s, opts)[graph.PatUndisclosedAssociation]
	if _, err := s.ReviewFlag(ctx, first["O1"].ID, "rev1", probity.FlagInReview, "looking", nil); err != nil {
		t.Fatal(err)
	}
	graphtest.AddFixture(t, s, `(O1)-[:RELATED_TO {type:'associate'}]->(P2:Person {poi:true})`)
	run, err := s.Scan(ctx, opts)
	if err != nil || run.NewFlags != 1 || run.NotFound != 1 {
		t.Fatalf("scan: %d new, %d not found, %v", run.NewFlags, run.NotFound, err)
	}
	old, err := s.Flag(ctx, first["O1"].ID)
	if err != nil || old.NotFoundAt.IsZero() || old.NewerFlag == "" || old.NewerFlag == old.ID {
		t.Fatalf("the reviewed flag: not found %v, newer %q (%v)", old.NotFoundAt, old.NewerFlag, err)
	}
	if newer, err := s.Flag(ctx, old.NewerFlag); err != nil || newer.OfficerID != "O1" || newer.Status != probity.FlagNew || !newer.NotFoundAt.IsZero() {
		t.Fatalf("the newer flag: %+v, %v", newer, err)
	}
	// a scan that changes nothing leaves the mark, and the flag, as they
	// were: not marked again, not changed for a mirror
	if run, err = s.Scan(ctx, opts); err != nil || run.NotFound != 0 {
		t.Fatalf("a scan of the same data: %d newly not found, %v", run.NotFound, err)
	}
	if same, err := s.Flag(ctx, old.ID); err != nil || !same.NotFoundAt.Equal(old.NotFoundAt) || !same.ChangedAt.Equal(old.ChangedAt) || same.NewerFlag != old.NewerFlag {
		t.Fatalf("after a scan of the same data: %+v, %v (was %+v)", same, err, old)
	}
	// the newer case superseded in turn: the mark names the case as it
	// stands now, and keeps when it was first not found (reviewE L2); the
	// flag has not changed for a mirror: a token tied to an officer the
	// newer case is about reads newerFlag null, and a change it could not
	// see told it of that case (reviewJ M2)
	graphtest.AddFixture(t, s, `(O1)-[:RELATED_TO {type:'associate'}]->(P3:Person {poi:true})`)
	if run, err = s.Scan(ctx, opts); err != nil || run.NotFound != 0 {
		t.Fatalf("scan after a third person of interest: %d newly not found, %v", run.NotFound, err)
	}
	now, err := s.Flag(ctx, old.ID)
	if err != nil || now.NewerFlag == old.NewerFlag || now.NewerFlag == "" || !now.NotFoundAt.Equal(old.NotFoundAt) || !now.ChangedAt.Equal(old.ChangedAt) {
		t.Fatalf("after the newer case was superseded: newer %q (was %q), not found %v (was %v), changed %v (was %v), %v", now.NewerFlag, old.NewerFlag, now.NotFoundAt, old.NotFoundAt, now.ChangedAt, old.ChangedAt, err)
	}
	if was, err := s.Flag(ctx, old.NewerFlag); err != nil || was.SupersededBy != now.NewerFlag {
		t.Fatalf("the first newer flag: superseded by %q, want %q (%v)", was.SupersededBy, now.NewerFlag, err)
	}
	old = now
	// found again: the mark and the newer flag go, and the flag has
	// changed for a mirror (reviewE M4)
	if err := s.RunForTest(ctx, `MATCH (:Officer {id: 'O1'})-[r:RELATED_TO]->(p:Person) WHERE p.id IN ['P2', 'P3'] DELETE r`); err != nil {
		t.Fatal(err)
	}
	if run, err = s.Scan(ctx, opts); err != nil || run.NotFound != 0 {
		t.Fatalf("scan after the associates went: %d not found, %v", run.NotFound, err)
	}
	again, err := s.Flag(ctx, old.ID)
	if err != nil || !again.NotFoundAt.IsZero() || again.NotFoundByRun != "" || again.NewerFlag != "" || !again.ChangedAt.After(old.ChangedAt) {
		t.Fatalf("found again: not found %v by %q, newer %q, changed %v (was %v), %v", again.NotFoundAt, again.NotFoundByRun, again.NewerFlag, again.ChangedAt, old.ChangedAt, err)
	}
}
