package api

import (
	"testing"

	"probity"
)

// TestFlagCursorRoundTrip: a cursor reads back as the place it names, in
// its own order only, whatever colons an officer's import id holds.
func TestFlagCursorRoundTrip(t *testing.T) {
	for _, c := range []struct {
		key    probity.FlagKey
		byRisk bool
	}{
		{probity.FlagKey{Score: 0.9, ID: "FLAG-1"}, false},
		{probity.FlagKey{Risk: 0.75, OfficerID: "OFF:12:x", Score: 0.5, ID: "FLAG-2"}, true},
		{probity.FlagKey{Risk: 0, OfficerID: "O1", Score: 1, ID: "FLAG-3"}, true},
	} {
		s := flagCursor(c.key, c.byRisk)
		got, err := decodeFlagCursor(&s, c.byRisk)
		if err != nil || *got != c.key {
			t.Errorf("%+v (by risk %v): read back %+v, %v", c.key, c.byRisk, got, err)
		}
		if _, err := decodeFlagCursor(&s, !c.byRisk); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("%+v read in the other order: %v, want invalid", c.key, err)
		}
	}
}
