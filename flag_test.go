package probity

import (
	"fmt"
	"slices"
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
