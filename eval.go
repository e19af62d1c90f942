package probity

import (
	"math"
	"sort"
)

// TruthRow is one planted case of a ground-truth file (truth.csv) or one
// trap (an officer a pattern must not flag).
type TruthRow struct {
	OfficerID  string
	Pattern    string
	ScenarioID string
}

// Accuracy measures each pattern against ground truth at officer level: the
// officers flagged for pattern P against the truth officers for P. flagged
// maps pattern → officer → best score. Patterns with neither truth nor flags
// are left out. For ranked patterns (similar-to-confirmed) PrecisionAtK is
// the precision of the K best-scored flagged officers, K = the number of
// truth officers.
func Accuracy(truth, traps []TruthRow, flagged map[string]map[string]float64, ranked map[string]bool) []PatternAccuracy {
	want := map[string]map[string]bool{}
	for _, r := range truth {
		if want[r.Pattern] == nil {
			want[r.Pattern] = map[string]bool{}
		}
		want[r.Pattern][r.OfficerID] = true
	}
	trap := map[string]map[string]bool{}
	for _, r := range traps {
		if trap[r.Pattern] == nil {
			trap[r.Pattern] = map[string]bool{}
		}
		trap[r.Pattern][r.OfficerID] = true
	}
	patterns := map[string]bool{}
	for p := range want {
		patterns[p] = true
	}
	for p := range flagged {
		patterns[p] = true
	}
	var names []string
	for p := range patterns {
		names = append(names, p)
	}
	sort.Strings(names)
	var out []PatternAccuracy
	for _, p := range names {
		a := PatternAccuracy{Pattern: p, Truth: len(want[p]), Flagged: len(flagged[p]), Traps: len(trap[p])}
		for o := range flagged[p] {
			if want[p][o] {
				a.TruePositives++
			} else {
				a.Spurious = append(a.Spurious, o)
			}
			if trap[p][o] {
				a.TrapsFlagged++
			}
		}
		for o := range want[p] {
			if _, ok := flagged[p][o]; !ok {
				a.Missed = append(a.Missed, o)
			}
		}
		sort.Strings(a.Spurious)
		sort.Strings(a.Missed)
		a.ratios()
		if ranked[p] && a.Truth > 0 {
			type os struct {
				o string
				s float64
			}
			var list []os
			for o, s := range flagged[p] {
				list = append(list, os{o, s})
			}
			sort.Slice(list, func(i, j int) bool {
				if list[i].s != list[j].s {
					return list[i].s > list[j].s
				}
				return list[i].o < list[j].o
			})
			a.K = a.Truth
			hits := 0
			for i := 0; i < a.K && i < len(list); i++ {
				if want[p][list[i].o] {
					hits++
				}
			}
			a.PrecisionAtK = ptr(float64(hits) / float64(a.K))
		}
		out = append(out, a)
	}
	return out
}

// AllPatterns names the row that pools every pattern's (Pooled).
const AllPatterns = "all patterns"

// Pooled is rows summed: counts over (pattern, officer) pairs, so an
// officer planted for two patterns and flagged by both counts twice, and
// the precision and recall of the whole library (statA L3: a board asks
// for one figure). Missed, spurious and precision@k are per pattern only.
func Pooled(rows []PatternAccuracy) PatternAccuracy {
	all := PatternAccuracy{Pattern: AllPatterns}
	for _, a := range rows {
		all.Truth += a.Truth
		all.Flagged += a.Flagged
		all.TruePositives += a.TruePositives
		all.Traps += a.Traps
		all.TrapsFlagged += a.TrapsFlagged
	}
	all.ratios()
	return all
}

// ratios sets Precision and Recall from their counts, each nil when it
// divides by nothing.
func (a *PatternAccuracy) ratios() {
	a.Precision, a.Recall = ratio(a.PrecisionCounts()), ratio(a.RecallCounts())
}

// ratio is k / n, nil when n is 0.
func ratio(k, n int) *float64 {
	if n == 0 {
		return nil
	}
	return ptr(float64(k) / float64(n))
}

func ptr(f float64) *float64 { return &f }

// AccuracyChanges is how the flags that stand differ from those an eval
// measured, counted in (pattern, officer) pairs, eval's unit: Raised
// pairs a flag now concerns and none did, Cleared the other way, and
// Rescored pairs of a ranked pattern (similar-to-confirmed, whose
// precision@k its scores order) whose score moved. All 0: the figures are
// still those of the flags that stand, whatever scans ran since (statA
// L1: every no-op incremental scan had called them stale).
type AccuracyChanges struct {
	Raised, Cleared, Rescored int
}

// Any says whether anything eval measured has changed.
func (c AccuracyChanges) Any() bool { return c.Raised+c.Cleared+c.Rescored > 0 }

// ChangesSince counts how the flagged officers now (per pattern, with
// their best score, as eval reads them) differ from those measured then;
// a score counts only for the patterns of ranked.
func ChangesSince(then, now map[string]map[string]float64, ranked map[string]bool) AccuracyChanges {
	var c AccuracyChanges
	for p, officers := range now {
		for o, score := range officers {
			was, ok := then[p][o]
			switch {
			case !ok:
				c.Raised++
			case ranked[p] && math.Abs(was-score) > 1e-9:
				c.Rescored++
			}
		}
	}
	for p, officers := range then {
		for o := range officers {
			if _, ok := now[p][o]; !ok {
				c.Cleared++
			}
		}
	}
	return c
}
