package api

import (
	"encoding/base64"
	"testing"
	"time"

	"probity"
)

// TestFlagCursorRoundTrip: a cursor reads back as the place it names, in
// its own order only, whatever colons an officer's import id holds.
func TestFlagCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 27, 5, 1, 2, 345678901, time.UTC)
	for _, c := range []struct {
		key   probity.FlagKey
		order string
	}{
		{probity.FlagKey{Score: 0.9, ID: "FLAG-0123456789abcdef"}, orderScore},
		{probity.FlagKey{Risk: 0.75, OfficerID: "OFF:12:x", Score: 0.5, ID: "FLAG-fedcba9876543210"}, orderRisk},
		{probity.FlagKey{Risk: 0, OfficerID: "O1", Score: 1, ID: "FLAG-00000000000000ff"}, orderRisk},
		{probity.FlagKey{ID: "FLAG-a1b2c3d4e5f60718", ChangedAt: at}, orderChanged},
	} {
		s := flagCursor(c.key, c.order)
		got, err := decodeFlagCursor(&s, c.order)
		if err != nil || !got.ChangedAt.Equal(c.key.ChangedAt) || got.ID != c.key.ID || got.Score != c.key.Score || got.Risk != c.key.Risk || got.OfficerID != c.key.OfficerID {
			t.Errorf("%+v (order %s): read back %+v, %v", c.key, c.order, got, err)
		}
		for _, other := range []string{orderScore, orderRisk, orderChanged} {
			if _, err := decodeFlagCursor(&s, other); other != c.order && probity.ErrorCode(err) != probity.EINVALID {
				t.Errorf("%+v read in order %s: %v, want invalid", c.key, other, err)
			}
		}
	}
}

// A cursor that decodes to a place no flag can have (a score outside
// [0, 1], an id not of the form the store makes) is refused, not read as
// the end of the queue.
func TestFlagCursorImpossiblePlaces(t *testing.T) {
	for _, c := range []struct {
		text  string
		order string
	}{
		{"flag:NaN:FLAG-1", orderScore}, {"flag:1.5:FLAG-1", orderScore}, {"flag:-0.1:FLAG-1", orderScore}, {"flag:0.5:x", orderScore},
		{"flag:0.5:", orderScore}, {"flagr:Inf:0.5:FLAG-1:O1", orderRisk}, {"flagr:0.5:2:FLAG-1:O1", orderRisk}, {"flagr:0.5:0.5:FLAG-1:", orderRisk},
		{"flag:0.5:FLAG-1", orderScore}, {"flag:0.5:FLAG-0123456789ABCDEF", orderScore}, {"flag:0.5:FLAG-0123456789abcdef0", orderScore},
		{"flagr:0.5:0.5:FLAG-x:O1", orderRisk}, {"flagc:FLAG-1:2026-11-27T05:00:00Z", orderChanged},
		{"flagc:FLAG-0123456789abcdef:yesterday", orderChanged}, {"flagc:x:2026-11-27T05:00:00Z", orderChanged}, {"flag:FLAG-1:2026-11-27T05:00:00Z", orderChanged},
	} {
		s := base64.RawURLEncoding.EncodeToString([]byte(c.text))
		if _, err := decodeFlagCursor(&s, c.order); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("%q: %v, want invalid", c.text, err)
		}
	}
}
