package graph_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(chicagoDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestChicagoCoAccusedCrew checks co-accused-crew on the real Chicago
// network against the rule computed independently here: officers accused
// together in 2 or more complaints, not counting complaints that name more
// than 20 officers (all named officers count; the data has only accused).
// The data goes in through the loader, as an administrator would load it.
func TestChicagoCoAccusedCrew(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 48k rows")
	}
	links := readCSV(t, "complaint_officers.csv")
	s := graphtest.Open(t)
	ctx := context.Background()
	rep, err := s.Load(ctx, chicagoDir(t), graph.LoadOptions{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, f := range rep.Files {
		if f.Rejected != 0 {
			t.Fatalf("%s: %d rows rejected", f.File, f.Rejected)
		}
	}

	// the rule, independently
	named := map[string][]string{}
	accused := map[string][]string{}
	for _, l := range links {
		named[l["complaint_id"]] = append(named[l["complaint_id"]], l["officer_id"])
		if l["role"] == "accused" {
			accused[l["complaint_id"]] = append(accused[l["complaint_id"]], l["officer_id"])
		}
	}
	pairs := map[[2]string]int{}
	excluded := 0
	for c, os := range accused {
		if len(named[c]) > 20 {
			excluded++
			continue
		}
		for i := range os {
			for j := range os {
				if os[i] < os[j] {
					pairs[[2]string{os[i], os[j]}]++
				}
			}
		}
	}
	want := map[string]bool{}
	for p, n := range pairs {
		if n >= 2 {
			want[p[0]], want[p[1]] = true, true
		}
	}

	run, err := s.Scan(ctx, probity.ScanOptions{Patterns: []string{graph.PatCoAccusedCrew}})
	if err != nil {
		t.Fatal(err)
	}
	flags, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatCoAccusedCrew})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range flags {
		got[f.OfficerID] = true
	}
	var missing, extra []string
	for o := range want {
		if !got[o] {
			missing = append(missing, o)
		}
	}
	for o := range got {
		if !want[o] {
			extra = append(extra, o)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	t.Logf("Chicago: %d officers flagged (%d complaints excluded as hubs), scan %s", len(got), excluded, run.EndedAt.Sub(run.StartedAt))
	if len(want) == 0 || len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("want %d officers, got %d; missing %s; extra %s", len(want), len(got), head(missing), head(extra))
	}
}

func head(ids []string) string {
	if len(ids) > 10 {
		return strings.Join(ids[:10], " ") + " ..."
	}
	return strings.Join(ids, " ")
}
