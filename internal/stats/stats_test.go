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
		{1, 10, 0.0025, 0.4450}, // R binom.test (mutS S1: the lower end is not 0 at k = 1)
	} {
		lo, hi, ok := ExactInterval(c.k, c.n)
		if !ok || math.Abs(lo-c.lo) > 5e-4 || math.Abs(hi-c.hi) > 5e-4 {
			t.Errorf("%d of %d: %.4f-%.4f (%v), want %.4f-%.4f", c.k, c.n, lo, hi, ok, c.lo, c.hi)
		}
	}
	if _, _, ok := ExactInterval(0, 0); ok {
		t.Error("0 of 0 has an interval")
	}
	if _, _, ok := ExactInterval(3, 2); ok { // mutS S2
		t.Error("3 of 2 has an interval")
	}
}

// The score test's p-value: Pearson's chi-square of the 2×2 table, no
// continuity correction (scipy.stats.chi2_contingency(correction=False):
// 20 of 100 against 10 of 100 is chi² 3.922, p 0.0477); equal rates, 1
// (mutT H2).
func TestScoreP(t *testing.T) {
	if p := ScoreP(20, 100, 10, 100); math.Abs(p-0.04767) > 1e-4 {
		t.Errorf("ScoreP(20, 100, 10, 100) = %v, want 0.0477", p)
	}
	if p := ScoreP(7, 30, 7, 30); math.Abs(p-1) > 1e-12 {
		t.Errorf("equal rates: p = %v, want 1", p)
	}
}

// Cochran's rule reads the smallest expected count of the 2×2 table, each
// of its four cells (mutS S10).
func TestMinExpected(t *testing.T) {
	for _, c := range []struct {
		n, k, total int
		want        float64
	}{{10, 3, 100, 0.3}, {90, 97, 100, 0.3}, {10, 97, 100, 0.3}, {90, 3, 100, 0.3}, {50, 50, 100, 25}} {
		if got := MinExpected(c.n, c.k, c.total); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("MinExpected(%d, %d, %d) = %v, want %v", c.n, c.k, c.total, got, c.want)
		}
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

// Koopman's score interval of a rate ratio and Pearson's chi-square (the
// score statistic at a ratio of 1) against statsmodels'
// confint_proportions_2indep(method="score", compare="ratio",
// correction=False) and SciPy's chi2_contingency(correction=False).
func TestKoopman(t *testing.T) {
	for _, c := range []struct {
		a, n, b, m int
		lo, hi     float64
		chi2       float64
	}{
		{34, 169, 11, 131, 1.287783, 4.530570, 7.952163}, // an independent tester's case
		{1, 25, 46, 177, 0.027001, 0.768588, 5.932452},
		{21, 72, 24, 128, 0.933115, 2.565496, 2.867384},
		{0, 50, 20, 150, 0, 0.540718, 7.407407},
		{300, 1000, 200, 1000, 1.284167, 1.753861, 26.666667},
		// all of a group flagged: statsmodels stops at 2.75, where the
		// constrained rate reaches 1; maximising the likelihood directly
		// puts the crossing at 2.274333
		{10, 10, 30, 100, 2.274333, 4.567277, 19.25},
	} {
		lo, hi := Koopman(c.a, c.n, c.b, c.m)
		if math.Abs(lo-c.lo) > 1e-5 || math.Abs(hi-c.hi) > 1e-5 {
			t.Errorf("koopman(%d/%d, %d/%d) = %.6f..%.6f, want %.6f..%.6f", c.a, c.n, c.b, c.m, lo, hi, c.lo, c.hi)
		}
		if x := ScoreStat(c.a, c.n, c.b, c.m, 1); math.Abs(x-c.chi2) > 1e-5 {
			t.Errorf("chi-square(%d/%d, %d/%d) = %.6f, want %.6f", c.a, c.n, c.b, c.m, x, c.chi2)
		}
	}
	// b = 0: the ratio is unbounded above.
	if lo, hi := Koopman(5, 40, 0, 60); !math.IsInf(hi, 1) || lo <= 1 {
		t.Errorf("koopman(5/40, 0/60) = %v..%v", lo, hi)
	}
}

// Fisher's exact test against SciPy's fisher_exact (two-sided), group
// against rest: a of n flagged against b of m.
func TestFisherP(t *testing.T) {
	for _, c := range []struct {
		a, n, b, m int
		p          float64
	}{
		{34, 169, 11, 131, 0.00533369},
		{2, 2, 45, 200, 0.0532486}, // where large-sample intervals call it beyond chance
		{44, 197, 3, 5, 0.0835254},
		{0, 10, 5, 20, 0.140036},
		{2, 2, 0, 1, 0.333333},
		{5, 69, 5, 231, 0.0538172},
		{21, 72, 24, 128, 0.112364},
		{300, 1000, 200, 1000, 2.97524e-07},
	} {
		p := FisherP(c.a, c.n, c.a+c.b, c.n+c.m)
		if math.Abs(p-c.p) > 1e-5*c.p+1e-12 {
			t.Errorf("fisherP(%d/%d against %d/%d) = %.6g, want %.6g", c.a, c.n, c.b, c.m, p, c.p)
		}
	}
}
