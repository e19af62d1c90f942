package api

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"
)

// A purpose is kept as one readable line; one that states nothing is "".
func TestCleanPurpose(t *testing.T) {
	for in, want := range map[string]string{
		"  case 42\n\ttriage ":         "case 42 triage",
		"\u200b":                       "",
		"   ":                          "",
		"a\u200bb":                     "a b",
		"reviewed\u202e by admin":      "reviewed by admin",
		"op Sable – referral file 12":  "op Sable – referral file 12",
		"ㅤ":                            "", // a Hangul filler: a letter nobody sees (fuzzF)
		" ️":                           "",
		strings.Repeat("!", 500) + "a": "", // readable or not by what is kept (fuzzF)
	} {
		if got := cleanPurpose(in); got != want {
			t.Errorf("cleanPurpose(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanPurpose(strings.Repeat("x", 60000)); utf8.RuneCountInString(got) != maxPurpose {
		t.Errorf("a 60,000-character purpose kept %d characters, want %d", utf8.RuneCountInString(got), maxPurpose)
	}
}

// A cursor is what cursor wrote: nothing Neo4j's SKIP would overflow
// on, no second spelling of an offset (fuzzF).
func TestDecodeCursor(t *testing.T) {
	enc := func(s string) *string { c := base64.RawURLEncoding.EncodeToString([]byte(s)); return &c }
	for in, ok := range map[string]bool{"offset:0": true, "offset:20": true, "offset:1099511627776": true,
		"offset:1099511627777": false, "offset:9223372036854775807": false, "offset:+5": false, "offset:005": false, "offset:-1": false, "off:5": false} {
		n, err := decodeCursor(enc(in))
		if (err == nil) != ok {
			t.Errorf("decodeCursor(%q) = %d, %v; want ok %v", in, n, err, ok)
		}
	}
	c := cursor(40)
	if n, err := decodeCursor(&c); n != 40 || err != nil {
		t.Errorf("round trip: %d, %v", n, err)
	}
}

// A note keeps what a caller typed on one line: a line break in a cron or
// a reason must not read as a line of its own in the audit log (secI L5).
func TestNoteIsOneLine(t *testing.T) {
	r := &request{}
	r.note("setThreshold x: 1 -> 2: \"why\nseq 99 admin forged\r\x00\u202egnp.exe\u2028seq 100\u2029seq 101\"")
	if got := r.notes[0]; strings.ContainsAny(got, "\n\r\x00\u202e\u2028\u2029") || !strings.Contains(got, "why seq 99") {
		t.Fatalf("note %q", got)
	}
}
