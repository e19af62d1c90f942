package api

import (
	"slices"
	"testing"
)

// TestChartEntityIDs: the entities a saved chart names are audited when it
// is read, however the document writes them: global ids (JSON escapes
// decoded) or label and key; free text is not an id.
func TestChartEntityIDs(t *testing.T) {
	doc := `{"nodes": [{"id": "Officer\u003aO1"}, {"label": "Person", "key": "P1"}, {"type": "Address", "id": "A1"}],
		"note": "Officer:O2 Person:P2", "edges": [["Officer:O1", "Account:AC1"]], "x": "Nothing:N1"}`
	got := chartEntityIDs(doc)
	slices.Sort(got)
	if want := []string{"Account:AC1", "Address:A1", "Officer:O1", "Person:P1"}; !slices.Equal(got, want) {
		t.Fatalf("chartEntityIDs = %v, want %v", got, want)
	}
}
