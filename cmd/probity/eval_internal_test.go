package main

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"probity"
)

// eval's output helpers: the JSON's precision interval is over the flagged
// officers, recall's over the truth; a small end keeps two significant
// digits; an unknown --format is a usage error before anything is read
// (mutS E1, E3, E6).
func TestEvalOutputHelpers(t *testing.T) {
	r := withIntervals(probity.PatternAccuracy{Truth: 4, Flagged: 2, TruePositives: 1}, false)
	if r.PrecisionLow == nil || math.Abs(*r.PrecisionLow-0.0126) > 5e-4 || math.Abs(*r.PrecisionHigh-0.9874) > 5e-4 ||
		r.RecallLow == nil || math.Abs(*r.RecallLow-0.0063) > 5e-4 || math.Abs(*r.RecallHigh-0.8059) > 5e-4 {
		t.Errorf("1 of 2 flagged, 1 of 4 true: %+v", r)
	}
	if r := withIntervals(probity.PatternAccuracy{Truth: 3}, false); r.PrecisionLow != nil || r.RecallLow == nil {
		t.Errorf("nothing flagged: %+v", r)
	}
	// trap counts null without a traps file, counts with one (reviewF L4)
	for traps, want := range map[bool]string{false: `"traps":null,"trapsFlagged":null`, true: `"traps":2,"trapsFlagged":0`} {
		b, _ := json.Marshal(withIntervals(probity.PatternAccuracy{Traps: 2}, traps))
		if !strings.Contains(string(b), want) {
			t.Errorf("traps file %v: %s", traps, b)
		}
	}
	for x, want := range map[float64]string{0.0005: "0.0005", 0.0036: "0.0036", 0.012: "0.01", 0.29: "0.29", 0: "0.00"} {
		if got := bound2(x); got != want {
			t.Errorf("bound2(%v) = %q, want %q", x, got, want)
		}
	}
	e, _, _ := testEnv()
	var ee *exitError
	if err := run(context.Background(), []string{"eval", "--truth", "no-such.csv", "--format", "csv"}, e); !errors.As(err, &ee) || ee.code != 64 {
		t.Errorf("eval --format csv: %v", err)
	}
}
