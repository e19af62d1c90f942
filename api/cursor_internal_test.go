package api

import (
	"encoding/base64"
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

// A cursor that decodes to a place no flag can have is refused, not read
// as the end of the queue.
func TestFlagCursorImpossiblePlaces(t *testing.T) {
	for _, c := range []struct {
		text   string
		byRisk bool
	}{
		{"flag:NaN:FLAG-1", false}, {"flag:1.5:FLAG-1", false}, {"flag:-0.1:FLAG-1", false}, {"flag:0.5:x", false},
		{"flag:0.5:", false}, {"flagr:Inf:0.5:FLAG-1:O1", true}, {"flagr:0.5:2:FLAG-1:O1", true}, {"flagr:0.5:0.5:FLAG-1:", true},
	} {
		s := base64.RawURLEncoding.EncodeToString([]byte(c.text))
		if _, err := decodeFlagCursor(&s, c.byRisk); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("%q: %v, want invalid", c.text, err)
		}
	}
}
