package probity

import (
	"math"
	"testing"
)

// Reference values: the Clopper-Pearson intervals as statA computed them
// and as R's binom.test gives them.
func TestExactInterval(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{3, 3, 0.2924, 1},
		{10, 10, 0.6915, 1},
		{45, 45, 0.9213, 1},
		{3, 4, 0.1941, 0.9937},
		{3, 13, 0.0504, 0.5381},
		{0, 5, 0, 0.5218},
		{8, 14, 0.2886, 0.8234},
	} {
		lo, hi, ok := ExactInterval(c.k, c.n)
		if !ok || math.Abs(lo-c.lo) > 5e-4 || math.Abs(hi-c.hi) > 5e-4 {
			t.Errorf("%d of %d: %.4f-%.4f (%v), want %.4f-%.4f", c.k, c.n, lo, hi, ok, c.lo, c.hi)
		}
	}
	if _, _, ok := ExactInterval(0, 0); ok {
		t.Error("0 of 0 has an interval")
	}
}
