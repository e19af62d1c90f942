package stats

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

// m = 10: 0.001 <= 0.005, 0.008 <= 0.010, 0.039 > 0.015, 0.041 > 0.020,
// 0.042 > 0.025, and no later rank passes: the first two are marked.
func TestBenjaminiHochberg(t *testing.T) {
	ps := []float64{0.042, 0.001, 0.008, 0.039, 0.041, 0.06, 0.074, 0.205, 0.212, 0.216}
	got := BenjaminiHochberg(ps, 0.05)
	for i, p := range ps {
		if want := p < 0.01; got[i] != want {
			t.Errorf("p %v: marked %v, want %v", p, got[i], want)
		}
	}
	// a later rank that passes carries the earlier ones with it
	if got := BenjaminiHochberg([]float64{0.03, 0.04}, 0.05); !got[0] || !got[1] {
		t.Errorf("0.03 and 0.04 of 2: %v, want both", got)
	}
	if got := BenjaminiHochberg(nil, 0.05); len(got) != 0 {
		t.Errorf("nothing: %v", got)
	}
}
