package graph_test

// mutV wrote this for what reviewE L2 left untested:
// Kills F05 (notFoundByRun overwritten by each later scan), F07 (a change
// of the hubs does not move changedAt), F09 (the cause kept from the first
// scan, not refreshed), F12 (a change of the parameters does not move
// changedAt) and F13 (the first mark moves changedAt only when it has a
// newer flag, hubs or parameters to name).

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

func TestNotFoundMarkFollowsItsCause(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
(O1:Officer {name:'Alice Smith', unit:'U1'})-[:ACCESSED {at: datetime('2024-03-01T10:00:00Z'), channel:'remote', system:'PNC'}]->(R1:Record {system:'PNC', kind:'person'})-[:ABOUT]->(P1:Person {name:'Bob Jones', poi:true})
(O1)-[:HOLDS]->(AC1:Account {bank:'North'})
(P1)-[:HOLDS]->(AC2:Account {bank:'South'})
(AC2)-[:PAID {id:'PAY1', amount: 500.0, currency:'GBP', at: datetime('2024-03-05T12:00:00Z')}]->(AC1)`)
	opts := probity.ScanOptions{Patterns: []string{graph.PatAccessForGain}}
	scan := func() probity.ScanRun {
		t.Helper()
		time.Sleep(5 * time.Millisecond)
		run, err := s.Scan(ctx, opts)
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		return run
	}
	scan()
	flags, err := s.Flags(ctx, probity.FlagFilter{})
	if err != nil || len(flags) != 1 {
		t.Fatalf("flags %+v, %v: want O1's access-for-gain flag", flags, err)
	}
	id := flags[0].ID
	if _, err := s.ReviewFlag(ctx, id, "rev1", probity.FlagInReview, "looking", nil); err != nil {
		t.Fatal(err)
	}
	get := func() probity.Flag {
		t.Helper()
		f, err := s.Flag(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	// the case ends (the payment was a data error): the first mark moves
	// changedAt, though there is no newer flag, hub or parameter to name
	before := get()
	if err := s.RunForTest(ctx, `MATCH ()-[p:PAID]->() DELETE p`); err != nil {
		t.Fatal(err)
	}
	run2 := scan()
	marked := get()
	if marked.NotFoundAt.IsZero() || marked.NotFoundByRun != run2.ID || !marked.ChangedAt.After(before.ChangedAt) {
		t.Fatalf("first mark: not found %v by %q (want %s), changed %v (was %v)", marked.NotFoundAt, marked.NotFoundByRun, run2.ID, marked.ChangedAt, before.ChangedAt)
	}
	// a threshold changed: the cause names the parameters and the flag
	// changes for a mirror; the mark still says the first scan
	if _, err := s.SetThreshold(ctx, graph.PatAccessForGain, "before", "60", "a wider window of payments", "admin"); err != nil {
		t.Fatal(err)
	}
	scan()
	withParams := get()
	if len(withParams.ClearedParameters) == 0 || !withParams.ChangedAt.After(marked.ChangedAt) ||
		withParams.NotFoundByRun != run2.ID || !withParams.NotFoundAt.Equal(marked.NotFoundAt) {
		t.Fatalf("after a threshold change: parameters %v, changed %v (was %v), not found by %q at %v (want %s at %v)",
			withParams.ClearedParameters, withParams.ChangedAt, marked.ChangedAt, withParams.NotFoundByRun, withParams.NotFoundAt, run2.ID, marked.NotFoundAt)
	}
	// set back: the cause no longer names them, and the flag changes again
	if _, _, err := s.ResetThreshold(ctx, graph.PatAccessForGain, "before", "back to the default window", "admin"); err != nil {
		t.Fatal(err)
	}
	scan()
	reset := get()
	if len(reset.ClearedParameters) != 0 || !reset.ChangedAt.After(withParams.ChangedAt) {
		t.Fatalf("after the reset: parameters %v, changed %v (was %v)", reset.ClearedParameters, reset.ChangedAt, withParams.ChangedAt)
	}
	// an entity of the evidence put on the hub list: the cause names it,
	// and the flag changes
	if _, err := s.AddSuppression(ctx, "Account:AC2", "a payroll bureau account", "admin"); err != nil {
		t.Fatal(err)
	}
	scan()
	hub := get()
	if !slices.ContainsFunc(hub.ClearedHubs, func(h string) bool { return strings.Contains(h, "AC2") }) || !hub.ChangedAt.After(reset.ChangedAt) {
		t.Fatalf("after AC2 went on the hub list: hubs %v, changed %v (was %v)", hub.ClearedHubs, hub.ChangedAt, reset.ChangedAt)
	}
}
