package graph

import (
	"testing"

	"probity"
)

// Benjamini-Hochberg at 5% over the compared groups: the largest rank k
// whose p is at most k/m·0.05 and every smaller p pass; a group not
// compared is never marked.
func TestMarkFDR(t *testing.T) {
	ps := []float64{0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216}
	rep := probity.FairnessReport{}
	for _, p := range ps {
		rep.Groups = append(rep.Groups, probity.FairnessGroup{Compared: true, P: p, BeyondChance: p < 0.05})
	}
	rep.Groups = append(rep.Groups, probity.FairnessGroup{P: 0})
	markFDR(&rep)
	// m = 10: 0.001 <= 0.005, 0.008 <= 0.010, 0.039 > 0.015, 0.041 > 0.020, 0.042 > 0.025
	for i, g := range rep.Groups {
		if want := i < 2; g.BeyondChanceFDR != want {
			t.Errorf("group %d (p %v): FDR mark %v, want %v", i, g.P, g.BeyondChanceFDR, want)
		}
	}
}
