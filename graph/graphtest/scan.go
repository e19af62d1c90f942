package graphtest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"probity"
	"probity/graph"
)

// IncrementalEqualsFull checks issue 4's rule for incremental scans on s:
// a full scan, then addNew (new or late events), then an incremental scan,
// then another full scan over the same data. The second full scan must
// create no flag (the incremental scan found every new case) and see again
// every flag the incremental scan saw (it raised nothing a full scan would
// not), and every flag it sees must read as the incremental scan left it:
// the same score, explanation and innocent explanation (what an analyst
// sees after the last scan does not depend on which kind it was; incrA
// M2). It returns the incremental scan and the flags as it left them.
func IncrementalEqualsFull(t testing.TB, s *graph.Store, addNew func()) (inc probity.ScanRun, flags map[string]probity.Flag) {
	t.Helper()
	ctx := context.Background()
	full, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil {
		t.Fatalf("full scan: %v", err)
	}
	addNew()
	inc, err = s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatalf("incremental scan: %v", err)
	}
	if !inc.Since.Equal(full.Watermark) {
		t.Fatalf("incremental since %v, want the full scan's watermark %v", inc.Since, full.Watermark)
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{})
	if err != nil {
		t.Fatal(err)
	}
	flags = map[string]probity.Flag{}
	for _, f := range fs {
		flags[f.ID] = f
	}
	again, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil {
		t.Fatalf("second full scan: %v", err)
	}
	after, err := s.Flags(ctx, probity.FlagFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var created, missed, cleared, left, reworded []string
	seenAgain := map[string]bool{}
	for _, f := range after {
		if f.ClearedByRun == again.ID {
			left = append(left, f.Pattern+":"+f.OfficerID+": "+f.Explanation)
		}
		if f.ScanRunID != again.ID {
			continue
		}
		seenAgain[f.ID] = true
		if before, ok := flags[f.ID]; !ok {
			created = append(created, f.Pattern+":"+f.OfficerID+": "+f.Explanation)
		} else if before.ClearedByRun == inc.ID {
			cleared = append(cleared, f.Pattern+":"+f.OfficerID+": "+f.Explanation)
		} else if before.Score != f.Score || before.Explanation != f.Explanation || before.InnocentExplanation != f.InnocentExplanation {
			reworded = append(reworded, fmt.Sprintf("%s:%s: %.3f %s [%s]\n  then %.3f %s [%s]", f.Pattern, f.OfficerID,
				before.Score, before.Explanation, before.InnocentExplanation, f.Score, f.Explanation, f.InnocentExplanation))
		}
	}
	for id, f := range flags {
		if f.ScanRunID == inc.ID && !seenAgain[id] {
			missed = append(missed, f.Pattern+":"+f.OfficerID+": "+f.Explanation)
		}
	}
	sort.Strings(created)
	sort.Strings(missed)
	if again.NewFlags != 0 || len(created) > 0 {
		t.Errorf("the full scan after the incremental one created %d flags the incremental scan did not find:\n%s",
			again.NewFlags, strings.Join(created, "\n"))
	}
	if len(missed) > 0 {
		t.Errorf("the incremental scan raised flags a full scan does not:\n%s", strings.Join(missed, "\n"))
	}
	if len(cleared) > 0 {
		t.Errorf("the incremental scan cleared flags a full scan still finds:\n%s", strings.Join(cleared, "\n"))
	}
	if len(reworded) > 0 {
		sort.Strings(reworded)
		t.Errorf("flags the full scan after the incremental one scored or worded otherwise:\n%s", strings.Join(reworded, "\n"))
	}
	if len(left) > 0 {
		sort.Strings(left)
		t.Errorf("the incremental scan left flags that the full scan after it cleared:\n%s", strings.Join(left, "\n"))
	}
	return inc, flags
}
