package probity

import "testing"

func TestParseKey(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"Officer:O1", Ref{LabelOfficer, "O1"}, true},
		{"Address:A:7", Ref{LabelAddress, "A:7"}, true}, // the id keeps its own colons
		{"Officer:", Ref{LabelOfficer, ""}, true},       // callers that need an id check it
		{"O1", Ref{}, false},
		{"Shift:S1", Ref{}, false}, // not an entity label
		{"officer:O1", Ref{}, false},
	} {
		if got, ok := ParseKey(c.in); got != c.want || ok != c.ok {
			t.Errorf("ParseKey(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
