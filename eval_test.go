package probity_test

import (
	"testing"

	"probity"
)

func TestAccuracy(t *testing.T) {
	truth := []probity.TruthRow{{"O1", "a", "s1"}, {"O2", "a", "s2"}, {"O3", "a", "s3"}, {"O4", "sim", "s4"}, {"O5", "sim", "s5"}}
	traps := []probity.TruthRow{{"T1", "a", "t1"}}
	flagged := map[string]map[string]float64{
		"a":   {"O1": 0.9, "O2": 0.8, "T1": 0.5, "X": 0.4},
		"sim": {"O4": 0.95, "X": 0.9, "O5": 0.5},
	}
	acc := probity.Accuracy(truth, traps, flagged, map[string]bool{"sim": true})
	if len(acc) != 2 {
		t.Fatalf("acc = %+v", acc)
	}
	a := acc[0]
	if a.Pattern != "a" || a.TruePositives != 2 || *a.Precision != 0.5 || *a.Recall != 2.0/3 || a.TrapsFlagged != 1 || len(a.Missed) != 1 || a.Missed[0] != "O3" {
		t.Fatalf("a = %+v", a)
	}
	s := acc[1]
	if s.K != 2 || *s.PrecisionAtK != 0.5 || *s.Recall != 1 {
		t.Fatalf("sim = %+v", s)
	}
}

// The pooled row sums counts over (pattern, officer) pairs and divides
// them; a pattern that flagged nobody adds its truth to recall only.
func TestPooled(t *testing.T) {
	all := probity.Pooled([]probity.PatternAccuracy{
		{Pattern: "a", Truth: 4, Flagged: 3, TruePositives: 3},
		{Pattern: "b", Truth: 2, Flagged: 0},
		{Pattern: "c", Truth: 0, Flagged: 1, TrapsFlagged: 1, Traps: 3},
		{Pattern: "d", Truth: 0, Flagged: 0, Traps: 2},
	})
	if all.Pattern != probity.AllPatterns || all.Truth != 6 || all.Flagged != 4 || all.TruePositives != 3 || all.TrapsFlagged != 1 || all.Traps != 5 ||
		*all.Precision != 0.75 || *all.Recall != 0.5 {
		t.Fatalf("pooled %+v", all)
	}
	if none := probity.Pooled(nil); none.Precision != nil || none.Recall != nil {
		t.Fatalf("pooled nothing: %+v", none)
	}
	// flagged but no truth: precision 0, recall a ratio of nothing (mutS P3)
	if spur := probity.Pooled([]probity.PatternAccuracy{{Pattern: "c", Flagged: 2}}); spur.Precision == nil || *spur.Precision != 0 || spur.Recall != nil {
		t.Fatalf("pooled spurious flags: %+v", spur)
	}
}

// What changed since an eval measured the flags: pairs raised and
// cleared, and the scores of a ranked pattern only (statA L1).
func TestChangesSince(t *testing.T) {
	then := map[string]map[string]float64{"a": {"O1": 1, "O2": 0.5}, "rank": {"O3": 0.9, "O4": 0.8}}
	now := map[string]map[string]float64{"a": {"O1": 2, "O5": 1}, "rank": {"O3": 0.9, "O4": 0.7}, "b": {"O1": 1}}
	got := probity.ChangesSince(then, now, map[string]bool{"rank": true})
	if want := (probity.AccuracyChanges{Raised: 2, Cleared: 1, Rescored: 1}); got != want || !got.Any() {
		t.Fatalf("changes %+v, want %+v", got, want)
	}
	if c := probity.ChangesSince(then, then, nil); c.Any() {
		t.Fatalf("no change: %+v", c)
	}
	if c := probity.ChangesSince(nil, nil, nil); c.Any() {
		t.Fatalf("nothing flagged: %+v", c)
	}
}
