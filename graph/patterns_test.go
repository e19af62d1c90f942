package graph_test

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
)

// scanAll runs a full scan of the given patterns and returns the flags by
// pattern and officer.
func scanAll(t *testing.T, s *graph.Store, opts probity.ScanOptions) map[string]map[string]probity.Flag {
	t.Helper()
	ctx := context.Background()
	run, err := s.Scan(ctx, opts)
	if err != nil {
		t.Fatalf("scan: %v (%+v)", err, run)
	}
	flags, err := s.Flags(ctx, probity.FlagFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]probity.Flag{}
	for _, f := range flags {
		if out[f.Pattern] == nil {
			out[f.Pattern] = map[string]probity.Flag{}
		}
		out[f.Pattern][f.OfficerID] = f
	}
	return out
}

func officers(m map[string]probity.Flag) []string {
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func wantOfficers(t *testing.T, pattern string, got map[string]probity.Flag, want ...string) {
	t.Helper()
	sort.Strings(want)
	if g := strings.Join(officers(got), ","); g != strings.Join(want, ",") {
		for _, f := range got {
			t.Logf("%s %s: %.3f %s | innocent: %s", pattern, f.OfficerID, f.Score, f.Explanation, f.InnocentExplanation)
		}
		t.Fatalf("%s flagged [%s], want [%s]", pattern, g, strings.Join(want, ","))
	}
	for _, f := range got {
		if f.Score < 0 || f.Score > 1 || f.Explanation == "" || len(f.Evidence.Nodes) == 0 || f.Status != probity.FlagNew {
			t.Fatalf("%s %s: bad flag %+v", pattern, f.OfficerID, f)
		}
	}
}

// hubOf creates n persons (HUBFILL-prefix-i) linked to node id by rel.
func hubOf(t *testing.T, s *graph.Store, label, id, rel string, n int) {
	t.Helper()
	q := `MATCH (h:` + label + ` {id: '` + id + `'}) UNWIND range(1, ` + itoa(n) + `) AS i
		CREATE (p:Person:Party {id: 'FILL-` + id + `-' + i, poi: false, highProfile: false})`
	switch rel {
	case "PAID":
		q += `-[:HOLDS]->(a:Account {id: 'FILLACC-` + id + `-' + i}) CREATE (h)-[:PAID {id: 'FILLPAY-` + id + `-' + i, amount: 1000.0, at: datetime('2025-01-01T00:00:00Z')}]->(a)`
	default:
		q += ` CREATE (p)-[:` + rel + `]->(h)`
	}
	if err := s.RunForTest(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func only(p string) probity.ScanOptions { return probity.ScanOptions{Patterns: []string{p}} }

var _ = time.Now
