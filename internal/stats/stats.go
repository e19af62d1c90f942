// Package stats holds the statistics Probity's reports give: exact
// intervals of proportions and the false discovery rate's marks. It is
// kept out of the root package, which imports only the standard library,
// because it stands on gonum.
package stats

import (
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
