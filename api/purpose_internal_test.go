package api

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A purpose is kept as one readable line; one that states nothing is "".
func TestCleanPurpose(t *testing.T) {
	for in, want := range map[string]string{
		"  case 42\n\ttriage ":        "case 42 triage",
		"\u200b":                      "",
		"   ":                         "",
		"a\u200bb":                    "a b",
		"reviewed\u202e by admin":     "reviewed by admin",
		"op Sable – referral file 12": "op Sable – referral file 12",
	} {
		if got := cleanPurpose(in); got != want {
			t.Errorf("cleanPurpose(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanPurpose(strings.Repeat("x", 60000)); utf8.RuneCountInString(got) != maxPurpose {
		t.Errorf("a 60,000-character purpose kept %d characters, want %d", utf8.RuneCountInString(got), maxPurpose)
	}
}
