package probity_test

import (
	"testing"

	"probity"
)

// What the loader refuses is shown escaped, never run: a rejected row's
// terminal escape or direction override reaches a rejects file or a
// terminal as text (rulesG).
func TestShowText(t *testing.T) {
	for in, want := range map[string]string{
		"Ann":                 "Ann",
		"\x1b[2JAnn":          `\x1b[2JAnn`,
		"Evil\u202egnp.exe":   `Evil\u202egnp.exe`,
		"two\nlines\tand tab": "two\nlines\tand tab",
		"Zoë אבג":             "Zoë אבג",
	} {
		if got := probity.ShowText(in); got != want {
			t.Errorf("ShowText(%q) = %q, want %q", in, got, want)
		}
	}
}
