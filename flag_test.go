package probity

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A flag's co-subjects are the other officers its evidence names, once
// each, in id order, at most MaxCoSubjects; not the flagged officer, not
// other entities, and not the confirmed officers a similar-to-confirmed
// flag compares with.
func TestCoSubjects(t *testing.T) {
	f := Flag{OfficerID: "O1", Evidence: Evidence{
		Nodes: []EvidenceNode{{ID: "O1", Label: LabelOfficer}, {ID: "O3", Label: LabelOfficer}, {ID: "P1", Label: LabelPerson},
			{ID: "O2", Label: LabelOfficer}, {ID: "O3", Label: LabelOfficer}, {ID: "O9", Label: LabelOfficer}},
		Edges: []EvidenceEdge{{ID: "e1", Type: RelSimilarTo, From: "O1", To: "O9"}},
	}}
	if got := f.CoSubjects(); !slices.Equal(got, []string{"O2", "O3"}) {
		t.Fatalf("co-subjects = %v, want [O2 O3]", got)
	}
	crew := Flag{OfficerID: "O00"}
	for i := 30; i > 0; i-- {
		crew.Evidence.Nodes = append(crew.Evidence.Nodes, EvidenceNode{ID: fmt.Sprintf("O%02d", i), Label: LabelOfficer})
	}
	got := crew.CoSubjects()
	if len(got) != MaxCoSubjects || got[0] != "O01" || got[MaxCoSubjects-1] != "O10" {
		t.Fatalf("a crew of 30: co-subjects = %v, want the first %d by id", got, MaxCoSubjects)
	}
}

// A group's JSON has null, not 0, for a p-value it was not given and an
// interval it has not (analystB L5), and the API's name for the FDR mark.
func TestFairnessGroupJSON(t *testing.T) {
	for _, c := range []struct {
		g    FairnessGroup
		want string
	}{
		{FairnessGroup{Value: "U1"}, `"pValue":null,"ratioLow":null,"ratioHigh":null`},
		{FairnessGroup{Value: "U2", Compared: true, P: 0.5}, `"pValue":0.5,"ratioLow":null,"ratioHigh":null`},
		{FairnessGroup{Value: "U3", Compared: true, P: 0.01, BeyondChanceFDR: true, HasInterval: true, RatioLow: 0, RatioHigh: 0.8},
			`"pValue":0.01,"ratioLow":0,"ratioHigh":0.8`},
	} {
		b, err := json.Marshal(c.g)
		if err != nil || !strings.Contains(string(b), c.want) || !strings.Contains(string(b), `"beyondChanceFdr":`+fmt.Sprint(c.g.BeyondChanceFDR)) ||
			strings.Contains(string(b), "SmallOfficers") {
			t.Errorf("%s: %s, %v; want %s", c.g.Value, b, err, c.want)
		}
	}
}

// A hub list entry applies when it names a shared identifier; one that
// names no entity now (its id not in the data) is taken to apply (mutS R1).
func TestSuppressionApplies(t *testing.T) {
	for _, c := range []struct {
		keys []string
		want bool
	}{{nil, true}, {[]string{"Person:P1"}, false}, {[]string{"Address:A1"}, true}, {[]string{"Company:C1", "Account:C1"}, true}} {
		if got := (Suppression{EntityKeys: c.keys}).Applies(); got != c.want {
			t.Errorf("%v applies %v, want %v", c.keys, got, c.want)
		}
	}
}

// Upheld counts referrals and prevention notices among the decided flags
// (mutT M1).
func TestUpheldCounts(t *testing.T) {
	if k, n := (ReviewOutcome{Referred: 1, PreventionNotice: 2, NoFurtherAction: 1, Decided: 4}).UpheldCounts(); k != 3 || n != 4 {
		t.Errorf("upheld %d of %d, want 3 of 4", k, n)
	}
	if k, n := (PatternAccuracy{TruePositives: 2, Flagged: 5, Truth: 3}).PrecisionCounts(); k != 2 || n != 5 {
		t.Errorf("precision counts %d of %d", k, n)
	}
	if k, n := (PatternAccuracy{TruePositives: 2, Flagged: 5, Truth: 3}).RecallCounts(); k != 2 || n != 3 {
		t.Errorf("recall counts %d of %d", k, n)
	}
}
