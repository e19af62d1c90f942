package graph

import (
	"testing"
	"time"
)

// TestStoredStamps: each kind keeps its own stamp; a kind with none had no
// event stored, so all of its events are new; a state from an earlier
// build has only the latest of all, which every kind then takes.
func TestStoredStamps(t *testing.T) {
	a := time.Date(2025, 3, 6, 11, 0, 0, 0, time.UTC)
	sh := time.Date(2025, 4, 20, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		row  map[string]any
		want aggStamps
	}{
		{"a kind each", map[string]any{"s.watermark": sh, "s.access": a, "s.swipe": nil, "s.shift": sh}, aggStamps{access: a, shift: sh}},
		{"an earlier build's", map[string]any{"s.watermark": sh, "s.access": nil, "s.swipe": nil, "s.shift": nil}, aggStamps{access: sh, swipe: sh, shift: sh}},
		{"none", map[string]any{"s.watermark": nil, "s.access": nil, "s.swipe": nil, "s.shift": nil}, aggStamps{}},
	} {
		got := storedStamps(c.row)
		if got != c.want {
			t.Errorf("%s: stamps %+v, want %+v", c.name, got, c.want)
		}
		if c.name == "a kind each" && !got.latest().Equal(sh) {
			t.Errorf("latest %v, want %v", got.latest(), sh)
		}
	}
}
