// Package stats holds the statistics Probity's reports give: exact
// intervals of proportions, the score test and interval of a ratio of two
// rates (Koopman), Fisher's exact test, and the false discovery rate's
// marks. It is
// kept out of the root package, which imports only the standard library,
// because it stands on gonum.
package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// ExactInterval is the Clopper-Pearson 95% interval of a proportion of k
// in n: exact (never narrower than the truth allows), so that a small
// count says how little it shows (3 of 3 is 0.29-1.00, not "1.00":
// statA). ok is false when n is 0.
func ExactInterval(k, n int) (lo, hi float64, ok bool) {
	if n <= 0 || k < 0 || k > n {
		return 0, 0, false
	}
	const alpha = 0.05
	lo, hi = 0, 1
	if k > 0 {
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(alpha / 2)
	}
	if k < n {
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - alpha/2)
	}
	return lo, hi, true
}

// BenjaminiHochberg marks the p-values that stay significant when the false
// discovery rate over all of them is held at q (the step-up procedure: the
// largest rank k whose p is at most k/m·q, and every p up to it).
func BenjaminiHochberg(ps []float64, q float64) []bool {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	last := -1
	for rank, i := range idx {
		if ps[i] <= q*float64(rank+1)/float64(len(ps)) {
			last = rank
		}
	}
	marks := make([]bool, len(ps))
	for _, i := range idx[:last+1] {
		marks[i] = true
	}
	return marks
}

// chi95 is the 95th percentile of the chi-square distribution, 1 degree
// of freedom (1.959964²).
const chi95 = 3.841459

// ScoreP is the two-sided p-value of the score test (Pearson's
// chi-square, one degree of freedom) that a of n and b of m are one rate.
func ScoreP(a, n, b, m int) float64 {
	return math.Erfc(math.Sqrt(ScoreStat(a, n, b, m, 1) / 2))
}

// ScoreStat is the score statistic (chi-square, 1 degree of freedom) that
// the ratio of the rates a/n and b/m is theta: each group's count against
// the count expected of it with the rates fitted under that ratio
// (Koopman 1984). At theta = 1 it is Pearson's chi-square.
func ScoreStat(a, n, b, m int, theta float64) float64 {
	x1, n1, x2, n2 := float64(a), float64(n), float64(b), float64(m)
	// The rate of the second group under the constraint p1 = theta·p2: the
	// smaller root of A·p² + B·p + C.
	A := theta * (n1 + n2)
	B := -(theta*(n1+x2) + x1 + n2)
	C := x1 + x2
	p2 := (-B - math.Sqrt(max(0, B*B-4*A*C))) / (2 * A)
	p1 := theta * p2
	term := func(x, n, p float64) float64 {
		v := n * p * (1 - p)
		if v <= 0 {
			if d := x - n*p; math.Abs(d) < 1e-9 {
				return 0
			}
			return math.Inf(1)
		}
		return (x - n*p) * (x - n*p) / v
	}
	return term(x1, n1, p1) + term(x2, n2, p2)
}

// Koopman is the 95% score interval of the ratio of two rates, a of n
// against b of m (n, m > 0, a + b > 0): the ratios the score test does not
// reject. Its ends are found by bisection on a log scale; a = 0 gives a
// lower end of 0, b = 0 an upper end of +Inf.
func Koopman(a, n, b, m int) (lo, hi float64) {
	// where is the ratio, between from and to, at which the statistic
	// crosses chi95 (rejected at from's side when rejectFrom).
	where := func(from, to float64, rejectFrom bool) float64 {
		l, h := math.Log(from), math.Log(to)
		for range 200 {
			mid := (l + h) / 2
			if (ScoreStat(a, n, b, m, math.Exp(mid)) > chi95) == rejectFrom {
				l = mid
			} else {
				h = mid
			}
		}
		return math.Exp((l + h) / 2)
	}
	const far = 1e9 // ratios beyond 1e9 either way are taken as 0 or +Inf
	switch {
	case a == 0:
		return 0, where(far, 1/far, true)
	case b == 0:
		return where(1/far, far, true), math.Inf(1)
	}
	est := (float64(a) / float64(n)) / (float64(b) / float64(m))
	return where(est/far, est, true), where(est*far, est, true)
}

// MinExpected is the least count the 2×2 table of a group of n officers
// against the rest (flagged or not) would hold if k of all total officers
// were flagged at random: under 5, a large-sample interval is not to be
// trusted (Cochran's rule).
func MinExpected(n, k, total int) float64 {
	g, f, t := float64(n), float64(k), float64(total)
	return min(g*f, g*(t-f), (t-g)*f, (t-g)*(t-f)) / t
}

// FisherP is the two-sided p-value of Fisher's exact test that a group of
// n officers, a of them flagged, is no different from the rest, when k of
// all total officers are flagged: the chance, with the flags dealt out at
// random, of a group count as unlikely as a or more so.
func FisherP(a, n, k, total int) float64 {
	lchoose := func(n, r int) float64 {
		x, _ := math.Lgamma(float64(n + 1))
		y, _ := math.Lgamma(float64(r + 1))
		z, _ := math.Lgamma(float64(n - r + 1))
		return x - y - z
	}
	base := lchoose(total, n)
	logp := func(x int) float64 { return lchoose(k, x) + lchoose(total-k, n-x) - base }
	observed := logp(a)
	p := 0.0
	for x := max(0, n-(total-k)); x <= min(n, k); x++ {
		if l := logp(x); l <= observed+1e-7 { // ties within rounding count as as unlikely
			p += math.Exp(l)
		}
	}
	return min(1, p)
}
