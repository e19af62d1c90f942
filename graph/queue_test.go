package graph_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// queueFixture: six officers in two units, each living with a person of
// interest (an undisclosed-association flag each, scores differing by how
// recent the link is).
func queueFixture() string {
	var b strings.Builder
	for i := 1; i <= 6; i++ {
		unit := "U1"
		if i > 3 {
			unit = "U2"
		}
		fmt.Fprintf(&b, "(O%d:Officer {unit:'%s'})-[:LIVES_AT {from: date('20%02d-01-01')}]->(A%d:Address)<-[:LIVES_AT]-(P%d:Person {poi:true})\n",
			i, unit, 10+i, i, i)
	}
	return b.String()
}

// queueFlags loads queueFixture, scans it for undisclosed-association and
// returns the store and its queue.
func queueFlags(t *testing.T) (*graph.Store, []probity.Flag) {
	t.Helper()
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, queueFixture())
	if _, err := s.Scan(ctx, probity.ScanOptions{Patterns: []string{graph.PatUndisclosedAssociation}}); err != nil {
		t.Fatal(err)
	}
	all, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 100})
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
	return s, all
}

func TestFlagQueuePagesAndCounts(t *testing.T) {
	s, all := queueFlags(t)
	ctx := context.Background()
	if len(all) != 6 {
		t.Fatalf("queue: %d flags", len(all))
	}
	// keyset pages of two give the same order
	paged := pageAll(t, s, probity.FlagQuery{Limit: 2})
	for i, f := range all {
		if i > 0 && (all[i-1].Score < f.Score || (all[i-1].Score == f.Score && all[i-1].ID > f.ID)) {
			t.Fatalf("order broken at %d", i)
		}
		if paged[i] != f.ID {
			t.Fatalf("paged %v differs from %d flags", paged, len(all))
		}
	}
	if len(paged) != len(all) {
		t.Fatalf("paged %d flags, want %d", len(paged), len(all))
	}
	u2, _, _ := s.FlagQueue(ctx, probity.FlagQuery{Unit: "U2", Limit: 100})
	min := all[2].Score
	top, _, _ := s.FlagQueue(ctx, probity.FlagQuery{MinScore: &min, Limit: 100})
	c, err := s.CountFlagQueue(ctx, probity.FlagQuery{Unit: "U2"})
	if err != nil || len(u2) != 3 || c.Total != 3 || c.ByPattern[graph.PatUndisclosedAssociation] != 3 {
		t.Fatalf("unit U2: %d flags, counts %+v %v", len(u2), c, err)
	}
	for _, f := range top {
		if f.Score < min {
			t.Fatalf("minScore %v gave %v", min, f.Score)
		}
	}
	if len(top) < 3 {
		t.Fatalf("minScore %v: %d flags", min, len(top))
	}
	if _, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 0}); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("limit 0: %v", err)
	}
	// reviewed flags leave the default (new, in_review) queue
	if _, err := s.ReviewFlag(ctx, all[0].ID, "a", probity.FlagInReview, "look", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewFlag(ctx, all[0].ID, "a", probity.FlagFalsePositive, "known", nil); err != nil {
		t.Fatal(err)
	}
	open := probity.FlagQuery{Statuses: []probity.FlagStatus{probity.FlagNew, probity.FlagInReview}, Limit: 100}
	if c, _ := s.CountFlagQueue(ctx, open); c.Total != 5 {
		t.Fatalf("open flags %d, want 5", c.Total)
	}
	revs, err := s.ReviewsOf(ctx, []string{all[0].ID, all[1].ID})
	if err != nil || len(revs[all[0].ID]) != 2 || len(revs[all[1].ID]) != 0 {
		t.Fatalf("reviews %+v %v", revs, err)
	}
	risks, err := s.OfficerRisks(ctx, []string{"O1", "O2", "NOPE"}, "")
	if err != nil || len(risks) != 2 || risks["O1"].Risk <= 0 {
		t.Fatalf("risks %+v %v", risks, err)
	}
	one, _ := s.OfficerRisk(ctx, "O2")
	if one.Risk != risks["O2"].Risk {
		t.Fatalf("batched risk %v, single %v", risks["O2"].Risk, one.Risk)
	}
}

func TestConfirmReferral(t *testing.T) {
	s, all := queueFlags(t)
	ctx := context.Background()
	id := all[0].ID
	if _, err := s.ConfirmReferral(ctx, id, "rev", "ok", nil); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("confirm a new flag: %v", err)
	}
	if _, err := s.ConfirmReferral(ctx, "FLAG-none", "rev", "ok", nil); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("confirm unknown flag: %v", err)
	}
	s.ReviewFlag(ctx, id, "ann", probity.FlagInReview, "look", nil)
	s.ReviewFlag(ctx, id, "ann", probity.FlagReferredInvestigation, "refer", nil)
	if _, err := s.ConfirmReferral(ctx, id, "ann", "mine", nil); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "cannot also confirm") {
		t.Fatalf("referrer confirms: %v", err)
	}
	if _, err := s.ConfirmReferral(ctx, id, "rev", " ", nil); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("no reason: %v", err)
	}
	// what a person types holds no terminal escape nor direction override (secF)
	if _, err := s.ConfirmReferral(ctx, id, "rev", "ok \x1b[2J", nil); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("a reason with an escape: %v", err)
	}
	if _, err := s.NoteFlag(ctx, id, "rev", "see gnp.exe\u202e", nil); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("a note with a direction override: %v", err)
	}
	if _, err := s.NoteFlag(ctx, id, "rev", "line one\n\tline two", nil); err != nil {
		t.Fatalf("a note of two lines: %v", err)
	}
	if _, err := s.ConfirmReferral(ctx, id, "rev", "agreed", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ConfirmReferral(ctx, id, "rev2", "again", nil); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("second confirmation: %v", err)
	}
	revs, _ := s.Reviews(ctx, id)
	if len(revs) != 3 || revs[2].Reviewer != "rev" || revs[2].Reason != "confirmed: agreed" {
		t.Fatalf("reviews %+v", revs)
	}
}

// TestReturnReferral: a second reviewer who disagrees sends a referral not
// yet confirmed back to in_review, for a decision again; a confirmed
// referral stands, the referrer cannot return their own, and the outcome
// counts follow (a returned referral is open, not upheld).
func TestReturnReferral(t *testing.T) {
	s, all := queueFlags(t)
	ctx := context.Background()
	id, other := all[0].ID, all[1].ID
	if _, err := s.ReturnReferral(ctx, id, "rev", "not enough", nil); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("return a new flag: %v", err)
	}
	for _, f := range []string{id, other} {
		s.ReviewFlag(ctx, f, "ann", probity.FlagInReview, "look", nil)
		s.ReviewFlag(ctx, f, "ann", probity.FlagReferredInvestigation, "refer", nil)
	}
	if _, err := s.ReturnReferral(ctx, id, "ann", "changed my mind", nil); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "cannot also return") {
		t.Fatalf("referrer returns: %v", err)
	}
	if _, err := s.ReturnReferral(ctx, id, "rev", "the payment is the officer's salary", nil); err != nil {
		t.Fatal(err)
	}
	f, _ := s.Flag(ctx, id)
	revs, _ := s.Reviews(ctx, id)
	last := revs[len(revs)-1]
	if f.Status != probity.FlagInReview || last.From != probity.FlagReferredInvestigation || last.To != probity.FlagInReview ||
		last.Reviewer != "rev" || last.Reason != "returned: the payment is the officer's salary" {
		t.Fatalf("after the return: %s, last review %+v", f.Status, last)
	}
	// not by whoever returned it: one person would close a colleague's referral alone
	if _, err := s.ReviewFlag(ctx, id, "rev", probity.FlagFalsePositive, "dismissing it myself", nil); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "you returned the referral") {
		t.Fatalf("the returner decides next: %v, want conflict", err)
	}
	// decided again as in any review, then confirmable
	if _, err := s.ReviewFlag(ctx, id, "ann", probity.FlagNoFurtherAction, "salary, as the reviewer says", nil); err != nil {
		t.Fatalf("decide again after the return: %v", err)
	}
	if _, err := s.ConfirmReferral(ctx, other, "rev", "agreed", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReturnReferral(ctx, other, "rev2", "disagree", nil); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "already confirmed") {
		t.Fatalf("return a confirmed referral: %v", err)
	}
	if _, err := s.ReturnReferral(ctx, id, "rev", "again", nil); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("return a flag no longer referred: %v", err)
	}
	// two tokens of one officer are one person: checked under the flag's
	// lock, so a confirmation sent at the moment of the referral is refused too (secF)
	for _, tok := range []probity.Token{{ID: "t1", Name: "o4-analyst", Role: probity.RoleAnalyst, OfficerID: "O4"}, {ID: "t2", Name: "o4-reviewer", Role: probity.RoleReviewer, OfficerID: "O4"}} {
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	third := all[2].ID
	s.ReviewFlag(ctx, third, "o4-analyst", probity.FlagInReview, "look", nil)
	s.ReviewFlag(ctx, third, "o4-analyst", probity.FlagReferredInvestigation, "refer", nil)
	for _, do := range []func(context.Context, string, string, string, []string) (probity.Review, error){s.ConfirmReferral, s.ReturnReferral} {
		if _, err := do(ctx, third, "o4-reviewer", "agreed with myself", nil); probity.ErrorCode(err) != probity.ECONFLICT || !strings.Contains(err.Error(), "own officer record") {
			t.Fatalf("the referrer's officer with another token: %v, want conflict", err)
		}
	}
}

func TestRevealsChartsAndAccuracyReports(t *testing.T) {
	s, all := queueFlags(t)
	ctx := context.Background()
	if _, err := s.RecordReveal(ctx, probity.Reveal{FlagID: all[0].ID, Actor: "ann", Purpose: ""}); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("reveal without purpose: %v", err)
	}
	if _, err := s.RecordReveal(ctx, probity.Reveal{FlagID: "FLAG-none", Actor: "ann", Purpose: "p"}); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("reveal of unknown flag: %v", err)
	}
	s.RecordReveal(ctx, probity.Reveal{FlagID: all[0].ID, Actor: "ann", Purpose: "first"})
	time.Sleep(2 * time.Millisecond)
	s.RecordReveal(ctx, probity.Reveal{FlagID: all[0].ID, Actor: "ann", Purpose: "second"})
	got, err := s.RevealedFlags(ctx, "ann", []string{all[0].ID, all[1].ID})
	if err != nil || len(got) != 1 || got[all[0].ID] != "second" {
		t.Fatalf("revealed %v %v", got, err)
	}
	if other, _ := s.RevealedFlags(ctx, "bob", []string{all[0].ID}); len(other) != 0 {
		t.Fatalf("bob sees ann's reveal: %v", other)
	}

	c, err := s.SaveChart(ctx, probity.SavedChart{Name: "n", Owner: "ann", JSON: `{"a":1}`})
	if err != nil {
		t.Fatal(err)
	}
	// a chart's name is a readable line of at most 200 characters (fuzzG)
	for _, name := range []string{strings.Repeat("x", 201), "case\x00 7", "\u202egnp.exe", "\ufeff"} {
		if _, err := s.SaveChart(ctx, probity.SavedChart{Name: name, Owner: "ann", JSON: `{}`}); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("chart name %q: %v, want invalid", name, err)
		}
	}
	if _, err := s.Chart(ctx, c.ID, "bob"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("bob reads ann's chart: %v", err)
	}
	if got, err := s.Chart(ctx, c.ID, "ann"); err != nil || got.JSON != `{"a":1}` {
		t.Fatalf("chart %+v %v", got, err)
	}
	if list, _ := s.Charts(ctx, "bob"); len(list) != 0 {
		t.Fatalf("bob's charts %v", list)
	}
	if err := s.DeleteChart(ctx, c.ID, "bob"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("bob deletes ann's chart: %v", err)
	}
	if err := s.DeleteChart(ctx, c.ID, "ann"); err != nil {
		t.Fatal(err)
	}

	if _, err := s.LatestAccuracyReport(ctx, true); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("no report yet: %v", err)
	}
	quarter := 0.25
	s.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "a.csv"})
	time.Sleep(2 * time.Millisecond)
	s.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "b.csv", Patterns: []probity.PatternAccuracy{{Pattern: "x", Recall: &quarter}}})
	r, err := s.LatestAccuracyReport(ctx, true)
	if err != nil || r.TruthFile != "b.csv" || len(r.Patterns) != 1 || r.Patterns[0].Recall == nil || *r.Patterns[0].Recall != 0.25 {
		t.Fatalf("latest %+v %v", r, err)
	}

	runs, err := s.ScanRunPage(ctx, 0, 10)
	if err != nil || len(runs) != 1 {
		t.Fatalf("scan runs %d %v", len(runs), err)
	}
	if rest, _ := s.ScanRunPage(ctx, 1, 10); len(rest) != 0 {
		t.Fatalf("skip 1: %d runs", len(rest))
	}
}

// Concurrent decisions on one flag go one after the other: of several moves
// from one state exactly one wins and the others get ECONFLICT; a referral
// is confirmed once however many reviewers confirm it at the same moment.
func TestConcurrentDecisions(t *testing.T) {
	s, all := queueFlags(t)
	ctx := context.Background()
	id := all[0].ID
	race := func(what string, n int, act func(i int) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = act(i)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case probity.ErrorCode(err) != probity.ECONFLICT:
				t.Fatalf("%s: %v", what, err)
			}
		}
		if won != 1 {
			t.Fatalf("%s: %d of %d won, want 1 (errors %v)", what, won, n, errs)
		}
	}
	race("new -> in_review", 8, func(i int) error {
		_, err := s.ReviewFlag(ctx, id, fmt.Sprint("r", i), probity.FlagInReview, "look", nil)
		return err
	})
	closed := []probity.FlagStatus{probity.FlagFalsePositive, probity.FlagPreventionNotice, probity.FlagNoFurtherAction, probity.FlagReferredInvestigation}
	race("in_review -> a decision", 8, func(i int) error {
		_, err := s.ReviewFlag(ctx, id, fmt.Sprint("r", i), closed[i%len(closed)], "decide", nil)
		return err
	})
	revs, _ := s.Reviews(ctx, id)
	if len(revs) != 2 {
		t.Fatalf("%d reviews, want 2: %+v", len(revs), revs)
	}
	f, err := s.Flag(ctx, id)
	if err != nil || f.Status != revs[1].To {
		t.Fatalf("flag status %s, want the one decision recorded, %s (%v)", f.Status, revs[1].To, err)
	}
	ref := all[1].ID
	if _, err := s.ReviewFlag(ctx, ref, "ann", probity.FlagInReview, "look", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewFlag(ctx, ref, "ann", probity.FlagReferredInvestigation, "refer", nil); err != nil {
		t.Fatal(err)
	}
	race("confirm referral", 6, func(i int) error {
		_, err := s.ConfirmReferral(ctx, ref, fmt.Sprint("c", i), "agreed", nil)
		return err
	})
}

// TestFlagQueueByRisk: the triage order puts the riskiest officers first
// (an officer's flags together), then as by score; pages follow the keys.
func TestFlagQueueByRisk(t *testing.T) {
	s, byScore := queueFlags(t)
	ctx := context.Background()
	// risks against the scores: the lowest-scored flag's officer is the
	// riskiest; two officers tie, and come by officer id
	risk := map[string]float64{}
	for i, f := range byScore {
		risk[f.OfficerID] = float64(i) / 10
	}
	risk[byScore[1].OfficerID] = risk[byScore[2].OfficerID]
	for o, r := range risk {
		if err := s.RunForTestParams(ctx, `MATCH (o:Officer {id: $id}) SET o.risk = $risk`, map[string]any{"id": o, "risk": r}); err != nil {
			t.Fatal(err)
		}
	}
	all, keys, err := s.FlagQueue(ctx, probity.FlagQuery{ByRisk: true, Limit: 100})
	if err != nil || len(all) != len(byScore) {
		t.Fatalf("queue by risk: %d flags, %v", len(all), err)
	}
	tied := []probity.Flag{byScore[1], byScore[2]}
	if tied[0].OfficerID > tied[1].OfficerID {
		tied[0], tied[1] = tied[1], tied[0]
	}
	want := []string{byScore[5].ID, byScore[4].ID, byScore[3].ID, tied[0].ID, tied[1].ID, byScore[0].ID}
	for i, f := range all {
		if f.ID != want[i] || keys[i].Risk != risk[f.OfficerID] || keys[i].ID != f.ID {
			t.Fatalf("by risk, place %d: %s (key %+v), want %s", i, f.ID, keys[i], want[i])
		}
	}
	if paged := pageAll(t, s, probity.FlagQuery{ByRisk: true, Limit: 2}); strings.Join(paged, " ") != strings.Join(want, " ") {
		t.Fatalf("paged by risk: %v, want %v", paged, want)
	}
}

// pageAll reads the queue q asks for page by page, each after the place
// of the last flag of the one before, and returns the flag ids in order.
func pageAll(t *testing.T, s *graph.Store, q probity.FlagQuery) []string {
	t.Helper()
	var ids []string
	for {
		page, keys, err := s.FlagQueue(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return ids
		}
		for _, f := range page {
			ids = append(ids, f.ID)
		}
		q.After = &keys[len(keys)-1]
	}
}

// TestDecisionRefreshesRisk: a flag closed by a decision leaves its
// officer's stored risk (the queue's triage order) at once.
func TestDecisionRefreshesRisk(t *testing.T) {
	s, all := queueFlags(t)
	ctx := context.Background()
	f := all[0]
	risk := func() int64 {
		return count(t, s, `MATCH (o:Officer {id: '`+f.OfficerID+`'}) WHERE o.risk > 0 RETURN count(o)`)
	}
	if risk() != 1 {
		t.Fatalf("officer %s has no stored risk after the scan", f.OfficerID)
	}
	for _, d := range []probity.FlagStatus{probity.FlagInReview, probity.FlagFalsePositive} {
		if _, err := s.ReviewFlag(ctx, f.ID, "ann", d, "checked the address: a hostel", nil); err != nil {
			t.Fatal(err)
		}
	}
	if risk() != 0 {
		t.Fatalf("officer %s keeps a stored risk after its only flag was closed as a false positive", f.OfficerID)
	}
}

// A flag's changedAt moves when it changes for a reader (a decision, a
// note, a clearing), not when a scan merely sees it again; the queue
// filtered by ChangedSince lists exactly the changed flags, in every
// state, cleared ones too: what a tool mirroring the queue fetches (apiY).
func TestFlagChangedSince(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'associate'}]->(P1:Person {poi: true})
		(O2:Officer)-[:RELATED_TO {type: 'associate'}]->(P2:Person {poi: true})
	`)
	scan := func() {
		t.Helper()
		if _, err := s.Scan(ctx, probity.ScanOptions{Patterns: []string{graph.PatUndisclosedAssociation}}); err != nil {
			t.Fatal(err)
		}
	}
	changed := func(since time.Time) map[string]probity.Flag {
		t.Helper()
		list, _, err := s.FlagQueue(ctx, probity.FlagQuery{ChangedSince: &since, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]probity.Flag{}
		for _, f := range list {
			out[f.OfficerID] = f
		}
		return out
	}
	scan()
	first := changed(time.Time{})
	if len(first) != 2 || first["O1"].ChangedAt.Before(first["O1"].FirstSeen) {
		t.Fatalf("after the first scan: %+v", first)
	}
	t1 := time.Now()
	scan()
	if got := changed(t1); len(got) != 0 {
		t.Fatalf("a rescan that found the same cases changed %v", got)
	}
	if _, err := s.ReviewFlag(ctx, first["O1"].ID, "rev1", probity.FlagInReview, "looking", nil); err != nil {
		t.Fatal(err)
	}
	if got := changed(t1); len(got) != 1 || got["O1"].Status != probity.FlagInReview || got["O1"].ChangedAt.Before(t1) {
		t.Fatalf("after a decision: %+v, want O1's flag in review", got)
	}
	t2 := time.Now()
	if _, err := s.NoteFlag(ctx, first["O1"].ID, "an1", "HR asked", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RunForTest(ctx, `MATCH (o:Officer {id: 'O2'}), (p:Person {id: 'P2'}) CREATE (o)-[:DECLARED {type: 'association', on: date('2020-01-01')}]->(p)`); err != nil {
		t.Fatal(err)
	}
	scan() // O2's link is declared now: its new flag is cleared
	got := changed(t2)
	if len(got) != 2 || got["O2"].ClearedAt.IsZero() || got["O1"].Status != probity.FlagInReview {
		t.Fatalf("after a note on O1's flag and O2's cleared: %+v", got)
	}
	// the open queue still leaves the cleared flag out
	open, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 100})
	if err != nil || len(open) != 1 || open[0].OfficerID != "O1" {
		t.Fatalf("the queue without ChangedSince: %+v, %v", open, err)
	}
}

// A flag a scan clears because its evidence now passes through a hub keeps
// that hub, with why, as the likely cause, and the queue lists it among
// the cleared flags, not among the current ones (adminB H1: an entry on
// the hub list made a flag vanish, and nothing said why).
func TestClearedFlagNamesTheHubAndIsListed(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer {unit: 'U1'})-[:LIVES_AT]->(A:Address)
		(P:Person {poi: true})-[:LIVES_AT]->(A)
	`)
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	open, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 10, Patterns: []string{graph.PatUndisclosedAssociation}})
	if err != nil || len(open) != 1 {
		t.Fatalf("before: %+v, %v; want O1's flag", open, err)
	}
	if _, err := s.AddSuppression(ctx, "Address:A", "the section house", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := s.Flag(ctx, open[0].ID)
	if err != nil || f.ClearedAt.IsZero() || len(f.ClearedHubs) != 1 || f.ClearedHubs[0] != "Address:A (suppressed: the section house)" {
		t.Fatalf("after the entry: cleared %v, hubs %q (%v); want cleared, naming the entry", f.ClearedAt, f.ClearedHubs, err)
	}
	if now, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 10, Patterns: []string{graph.PatUndisclosedAssociation}}); err != nil || len(now) != 0 {
		t.Fatalf("the open queue: %+v, %v; want none", now, err)
	}
	cleared, _, err := s.FlagQueue(ctx, probity.FlagQuery{Limit: 10, Patterns: []string{graph.PatUndisclosedAssociation}, Cleared: true,
		Statuses: []probity.FlagStatus{probity.FlagNew}})
	if err != nil || len(cleared) != 1 || cleared[0].ID != f.ID {
		t.Fatalf("the cleared flags: %+v, %v; want %s", cleared, err, f.ID)
	}
	// found again (the entry removed), it stands, and names no hub
	if err := s.RemoveSuppression(ctx, "Address:A"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Flag(ctx, f.ID); err != nil || !f.ClearedAt.IsZero() || len(f.ClearedHubs) != 0 {
		t.Fatalf("found again: cleared %v, hubs %q (%v)", f.ClearedAt, f.ClearedHubs, err)
	}
}

// An entry on the hub list naming a person, which the list took before it
// took shared identifiers only, no longer cuts the paths through them
// (secI M4).
func TestLegacyPersonEntryNoLongerApplies(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer {unit: 'U1'})-[:LIVES_AT]->(A:Address)
		(M:Person)-[:LIVES_AT]->(A)
		(M)-[:RELATED_TO {type: 'associate'}]->(P:Person {poi: true})
		(M)-[:DIRECTOR_OF]->(CO:Company)
		(Z:Address)
	`)
	// nor does it take one now: a person, an officer or a company (mutR G15)
	for _, id := range []string{"Person:M", "Officer:O1", "Company:CO"} {
		if _, err := s.AddSuppression(ctx, id, "a reason long enough", "admin"); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("%s on the hub list: %v, want invalid", id, err)
		}
	}
	// entries kept before they named their entities' kinds (no entityKeys)
	// are read as naming every entity of their id (secJ L4)
	if err := s.RunForTestParams(ctx, `CREATE (:Suppression {id: 'SUP-legacy', entityId: 'M', entityKeys: ['Person:M'], reason: 'the landlord', at: datetime()}),
		(:Suppression {id: 'SUP-older', entityId: 'CO', reason: 'the firm', at: datetime()}),
		(:Suppression {id: 'SUP-oldest', entityId: 'Z', reason: 'the station', at: datetime()}),
		// an id only a complaint has names no entity a list entry may name:
		// no keys, so it is taken to apply, as one naming nothing yet (reviewG L1)
		(:Complaint {id: 'CMP-L'}), (:Suppression {id: 'SUP-cmp', entityId: 'CMP-L', reason: 'a complaint', at: datetime()})`, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{Patterns: []string{graph.PatUndisclosedAssociation}}); err != nil {
		t.Fatal(err)
	}
	if fs, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatUndisclosedAssociation, Current: true}); err != nil || len(fs) != 1 {
		t.Fatalf("flags: %+v, %v; want O1's, through M", fs, err)
	}
	// and the list says which entry applies no more, for the admin to remove
	if _, err := s.AddSuppression(ctx, "Address:A", "the section house", "admin"); err != nil {
		t.Fatal(err)
	}
	sups, err := s.Suppressions(ctx)
	if err != nil || len(sups) != 5 {
		t.Fatalf("suppressions: %+v, %v", sups, err)
	}
	for _, sp := range sups {
		if want := sp.EntityID == "A" || sp.EntityID == "Z" || sp.EntityID == "CMP-L"; sp.Applies() != want {
			t.Errorf("%s applies %v, want %v", sp.EntityID, sp.Applies(), want)
		}
	}
}

// A payment through an account on the hub list is still access-for-gain's
// case (the rule counts hubs), and its innocent explanation says the
// account is listed, with the list's reason, not that it has neighbours it
// does not have (analystA: "more than 20 neighbours" of an account of 4).
func TestHubListAccountInnocentReading(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:HOLDS]->(AO:Account)
		(O1)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z'), channel: 'onsite'}]->(R:Record)-[:ABOUT]->(S:Person)-[:HOLDS]->(AS:Account)
		(AS)-[:PAID {id: 'PX', amount: 1562.0, at: datetime('2025-03-20T09:00:00Z')}]->(AO)
	`)
	if _, err := s.AddSuppression(ctx, "Account:AS", "client account of a solicitors firm", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{Patterns: []string{graph.PatAccessForGain}}); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatAccessForGain, Current: true})
	if err != nil || len(fs) != 1 {
		t.Fatalf("flags: %+v, %v; want O1's", fs, err)
	}
	if in := fs[0].InnocentExplanation; !strings.Contains(in, `account AS is on the hub list as a shared identifier ("client account of a solicitors firm")`) || strings.Contains(in, "neighbours") {
		t.Fatalf("innocent explanation %q", in)
	}
}
