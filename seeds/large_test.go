package seeds

import (
	"os"
	"strconv"
	"testing"
)

// TestLargeForce runs the exact-match check of rules 1-8 on a larger force
// with several copies of the scenarios, on demand:
// PROBITY_SEEDS_OFFICERS=8000 go test -run TestLargeForce ./seeds
// (about 40 s at 8,000 officers; the reference holds the whole set in memory).
func TestLargeForce(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PROBITY_SEEDS_OFFICERS"))
	if n == 0 {
		t.Skip("set PROBITY_SEEDS_OFFICERS to run")
	}
	dir := generate(t, n, 77)
	w := load(t, dir)
	got := w.evaluate(defaults())
	want := map[string]set{}
	for _, r := range readCSV(t, dir, "truth.csv") {
		if want[r["pattern"]] == nil {
			want[r["pattern"]] = set{}
		}
		want[r["pattern"]].add(r["officer_id"])
	}
	for p, s := range got {
		for o := range s {
			if !want[p][o] {
				t.Errorf("%s: %s flagged but not planted", p, o)
			}
		}
	}
	for p, s := range want {
		if p == PatSimilar {
			continue
		}
		t.Logf("%s: want %d got %d", p, len(s), len(got[p]))
		for o := range s {
			if !got[p][o] {
				t.Errorf("%s: %s planted but not flagged", p, o)
			}
		}
	}
}
