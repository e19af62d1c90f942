package graph_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// An administrator's threshold is checked, used by the next scan (a full
// one, incremental or not), recorded in the flags it raises, shown with
// who set it and why, and reset to the default (DESIGN: the administrator
// "manages tokens, schedules, thresholds"; adminB M4).
func TestThresholds(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:NAMED_IN {role: 'accused'}]->(C1:Complaint {received: date('2025-01-10')})
		(O2:Officer)-[:NAMED_IN {role: 'accused'}]->(C1)
		(O1)-[:NAMED_IN {role: 'accused'}]->(C2:Complaint {received: date('2025-02-10')})
		(O2)-[:NAMED_IN {role: 'accused'}]->(C2)
		(O1)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z'), channel: 'onsite'}]->(R:Record)
	`) // the look-up gives the scans a watermark: the next ones can be incremental
	crew := func() []probity.Flag {
		t.Helper()
		fs, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatCoAccusedCrew, Current: true})
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if fs := crew(); len(fs) != 2 || fs[0].Parameters["minShared"] != float64(2) {
		t.Fatalf("at the default: %+v, want O1 and O2 with minShared 2", fs)
	}
	for _, c := range []struct{ pattern, name, value, reason, want string }{
		{"no-such-rule", "minShared", "3", "a reason long enough", "unknown pattern"},
		{graph.PatCoAccusedCrew, "minSharde", "3", "a reason long enough", `no parameter "minSharde" (it has minShared, maxNamed)`},
		{graph.PatUndisclosedAssociation, "maxHops", "5", "a reason long enough", "fixed"},
		{graph.PatCoAccusedCrew, "minShared", "2.5", "a reason long enough", "not a whole number"},
		{graph.PatCoAccusedCrew, "minShared", "0", "a reason long enough", "outside 1..1000"},
		{graph.PatVolumeOutlier, "minZ", "NaN", "a reason long enough", "not a number"},
		{graph.PatSimilarToConfirmed, "topK", "1001", "a reason long enough", "outside 1..1000"}, // scores step 0.001 a rank (rulesM L1)
		{graph.PatCoAccusedCrew, "minShared", "3", "short", "reason of at least"},
	} {
		if _, err := s.SetThreshold(ctx, c.pattern, c.name, c.value, c.reason, "admin"); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s = %s: %v, want invalid saying %q", c.pattern, c.name, c.value, err, c.want)
		}
	}
	if th, err := s.SetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", " 3 ", "the unit's pairs share two complaints by rota", "admin"); err != nil || th.Value != int64(3) || th.Set == nil || th.Set.Was != int64(2) || th.Set.At.IsZero() {
		t.Fatalf("set: %+v, %v; want it to say it replaced the default 2", th, err)
	}
	// parameters that bound each other: 40 mismatch days cannot fall within 30
	if _, err := s.SetThreshold(ctx, graph.PatAttendanceMismatch, "minDays", "40", "a reason long enough", "admin"); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), "could never flag") {
		t.Fatalf("minDays above spanDays: %v", err)
	}
	// nor by a reset: spanDays 60 then minDays 40, and spanDays back to 30
	for _, c := range [][2]string{{"spanDays", "60"}, {"minDays", "40"}} {
		if _, err := s.SetThreshold(ctx, graph.PatAttendanceMismatch, c[0], c[1], "a reason long enough", "admin"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.ResetThreshold(ctx, graph.PatAttendanceMismatch, "spanDays", "a reason long enough", "admin"); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), "could never flag") {
		t.Fatalf("a reset that leaves minDays above spanDays: %v", err)
	}
	// nor by two administrators at once, each within bounds against the
	// other's old value (reviewC M1: 29 rounds of 30 stored 25 in 20)
	for round := range 6 {
		for _, n := range []string{"minDays", "spanDays"} {
			if _, _, err := s.ResetThreshold(ctx, graph.PatAttendanceMismatch, n, "a reason long enough", "admin"); err != nil && probity.ErrorCode(err) != probity.ENOTFOUND {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, c := range [][2]string{{"minDays", "25"}, {"spanDays", "20"}} {
			wg.Go(func() {
				_, errs[i] = s.SetThreshold(ctx, graph.PatAttendanceMismatch, c[0], c[1], "two administrators at once", "admin")
			})
		}
		wg.Wait()
		if errs[0] == nil && errs[1] == nil {
			t.Fatalf("round %d: both minDays 25 and spanDays 20 were taken: the pattern could never flag", round)
		}
	}
	for _, n := range []string{"minDays", "spanDays"} {
		if _, _, err := s.ResetThreshold(ctx, graph.PatAttendanceMismatch, n, "a reason long enough", "admin"); err != nil && probity.ErrorCode(err) != probity.ENOTFOUND {
			t.Fatal(err)
		}
	}
	lib, err := s.PatternsInEffect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lib {
		for _, pp := range p.Params {
			if p.Name == graph.PatCoAccusedCrew && pp.Name == "minShared" &&
				(pp.Value != int64(3) || pp.Default != int64(2) || pp.Set == nil || pp.Set.By != "admin" || !strings.Contains(pp.Set.Reason, "rota")) {
				t.Errorf("in effect: %+v (set %+v)", pp, pp.Set)
			}
			if p.Name == graph.PatCoAccusedCrew && !strings.HasSuffix(p.Description, "(defaults; an administrator set minShared 3)") {
				t.Errorf("the description does not say its numbers are the defaults: %q", p.Description)
			}
		}
	}
	// an incremental scan after the change is a full one: O1 and O2 met
	// nothing new, yet their flags no longer hold
	run, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Since.IsZero() || len(crew()) != 0 {
		t.Fatalf("incremental scan after the change: since %v, flags %+v; want a full scan that clears both", run.Since, crew())
	}
	// the cleared flags say the thresholds they were cleared with differ
	// from those they were found with: the likely cause (secI M2)
	cleared, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatCoAccusedCrew})
	if err != nil || len(cleared) != 2 {
		t.Fatalf("cleared crew flags: %+v, %v", cleared, err)
	}
	for _, f := range cleared {
		if f.ClearedAt.IsZero() || f.ClearedParameters["minShared"] != float64(3) || f.Parameters["minShared"] != float64(2) {
			t.Fatalf("cleared %v with %v, found with %v; want minShared 3 against 2", f.ClearedAt, f.ClearedParameters, f.Parameters)
		}
	}
	// back to the default: found again, by the next scan
	if _, _, err := s.ResetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", "x", "admin"); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("reset with a reason of one letter: %v, want invalid", err)
	}
	if pp, was, err := s.ResetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", "back to what the unit agreed", "admin"); err != nil || was != int64(3) || pp.Value != int64(2) || pp.Set != nil {
		t.Fatalf("reset: %+v, was %v, %v; want 2 back from 3", pp, was, err)
	}
	if _, _, err := s.ResetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", "back to what the unit agreed", "admin"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("a second reset: %v, want not found", err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{Incremental: true}); err != nil {
		t.Fatal(err)
	}
	if fs := crew(); len(fs) != 2 {
		t.Fatalf("after the reset: %+v, want O1 and O2 again", fs)
	}
	// with nothing changed since, the next incremental scan is incremental
	if run, err := s.Scan(ctx, probity.ScanOptions{Incremental: true}); err != nil || run.Since.IsZero() {
		t.Fatalf("the scan after: since %v, %v; want incremental", run.Since, err)
	}
	// changes made at once go one after the other: ordered by their time,
	// each replaced the one before, and the last is the value in use
	// (adminC M1: two administrators' changes were stamped out of order)
	var wg sync.WaitGroup
	got := make([]probity.Threshold, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pp, err := s.SetThreshold(ctx, graph.PatCollusionRing, "days", fmt.Sprint(10+i), "two administrators at once", fmt.Sprint("admin", i))
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = *pp.Set
		}()
	}
	wg.Wait()
	sort.Slice(got, func(i, j int) bool { return got[i].At.Before(got[j].At) })
	for i := 1; i < len(got); i++ {
		if got[i].Was != got[i-1].Value || !got[i].At.After(got[i-1].At) {
			t.Fatalf("change %d replaced %v at %v, the one before it set %v at %v", i, got[i].Was, got[i].At, got[i-1].Value, got[i-1].At)
		}
	}
	ts, err := s.Thresholds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range ts {
		if th.Name == "days" && th.Value != got[len(got)-1].Value {
			t.Fatalf("in use %v, the last change set %v", th.Value, got[len(got)-1].Value)
		}
	}
}

// What the threshold tests at the defaults could not tell (mutR): the
// bounds are inclusive, a flag records the value its scan used and its
// wording and score follow it, and a reset, like a set, makes the next
// incremental scan a full one.
func TestThresholdsInUse(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:NAMED_IN {role: 'accused'}]->(C1:Complaint {received: date('2025-01-10')})
		(O2:Officer)-[:NAMED_IN {role: 'accused'}]->(C1)
		(O3:Officer)-[:NAMED_IN {role: 'accused'}]->(C1)
		(O1)-[:NAMED_IN {role: 'accused'}]->(C2:Complaint {received: date('2025-02-10')})
		(O2)-[:NAMED_IN {role: 'accused'}]->(C2)
		(O3)-[:NAMED_IN {role: 'accused'}]->(C2)
		(O1)-[:NAMED_IN {role: 'accused'}]->(C3:Complaint {received: date('2025-02-11')})
		(O2)-[:NAMED_IN {role: 'accused'}]->(C3)
		(O3)-[:NAMED_IN {role: 'accused'}]->(C3)
	`)
	const why = "a reason long enough"
	if _, err := s.SetThreshold(ctx, graph.PatAttendanceMismatch, "minDays", "30", why, "admin"); err != nil {
		t.Errorf("minDays equal to spanDays refused: %v", err)
	}
	if _, err := s.SetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", "1000", why, "admin"); err != nil {
		t.Errorf("minShared at its maximum refused: %v", err)
	}
	if _, err := s.SetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", "3", why, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatCoAccusedCrew, Current: true})
	if err != nil || len(fs) != 3 {
		t.Fatalf("flags at minShared 3: %+v, %v; want O1, O2 and O3", fs, err)
	}
	for _, f := range fs {
		// 3 shared at minShared 3 adds nothing for shared complaints: 0.4,
		// and 0.15·(1−0.8) for the other partner; nothing sustained
		if f.Parameters["minShared"] != float64(3) || !strings.Contains(f.Explanation, "in 3 or more complaints (crew of 3)") || f.Score != 0.43 {
			t.Errorf("%s: parameters %v, score %v, explanation %q", f.OfficerID, f.Parameters, f.Score, f.Explanation)
		}
	}
	// a decision keeps the thresholds it was taken under (secI L8)
	if _, err := s.ReviewFlag(ctx, fs[0].ID, "rev1", probity.FlagInReview, "taking it up", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ResetThreshold(ctx, graph.PatCoAccusedCrew, "minShared", why, "admin"); err != nil {
		t.Fatal(err)
	}
	if run, err := s.Scan(ctx, probity.ScanOptions{Incremental: true}); err != nil || !run.Since.IsZero() {
		t.Fatalf("the incremental scan after a reset: since %v, %v; want a full scan", run.Since, err)
	}
	f, err := s.Flag(ctx, fs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	rvs, err := s.Reviews(ctx, f.ID)
	if err != nil || len(rvs) != 1 || rvs[0].Parameters["minShared"] != float64(3) || f.Parameters["minShared"] != float64(2) {
		t.Fatalf("the decision's thresholds %v, the flag's now %v (%v); want 3 and 2", rvs, f.Parameters, err)
	}
}

// A value stored when the bounds were wider is read as the nearest bound,
// not dropped for the default: a topK of 5,000 stored when the bound was
// 10,000 is 1,000 now, not 100, which would clear flags ranked 101-1,000
// (reviewM M2); a value of another type still leaves the default.
func TestStoredThresholdBeyondANewBound(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	if err := s.RunForTest(ctx, `CREATE (:`+graph.LabelThreshold+` {pattern: '`+graph.PatSimilarToConfirmed+`', name: 'topK', value: 5000, reason: 'a big force, set in 2026', by: 'admin', at: datetime()}),
		(:`+graph.LabelThreshold+` {pattern: '`+graph.PatSimilarToConfirmed+`', name: 'neighbours', value: 'three', reason: 'a bad value', by: 'admin', at: datetime()})`); err != nil {
		t.Fatal(err)
	}
	infos, err := s.PatternsInEffect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, p := range infos {
		if p.Name == graph.PatSimilarToConfirmed {
			for _, pp := range p.Params {
				got[pp.Name] = pp.Value
			}
		}
	}
	if got["topK"] != int64(1000) || got["neighbours"] != int64(3) {
		t.Fatalf("in effect: topK %v (want 1000), neighbours %v (want the default 3)", got["topK"], got["neighbours"])
	}
}
