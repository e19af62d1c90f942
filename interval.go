package probity

import "gonum.org/v1/gonum/stat/distuv"

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
