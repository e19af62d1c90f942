package graph

import (
	"math"
	"testing"
)

// The Wilson score interval against published values (0 of 10: 0 to 0.2775,
// the textbook example of a rate the normal approximation gets wrong) and
// its ends at 0 and 1.
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{21, 72, 0.1994, 0.4051},
		{24, 128, 0.1294, 0.2638},
	} {
		lo, hi := wilson(c.k, c.n)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("wilson(%d, %d) = %.4f..%.4f, want %.4f..%.4f", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
}
