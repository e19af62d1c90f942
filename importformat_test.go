package probity_test

import (
	"strings"
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

// Every column whose values Neo4j indexes (ids, references, a misconduct
// case's id) is held to the length of an index key: a longer value failed
// its whole write batch, half-writing a load (fuzzF: misconduct case_id).
func TestIndexedColumnsHaveTheKeyLimit(t *testing.T) {
	for _, spec := range probity.ImportFiles {
		for _, c := range spec.Columns {
			keyed := c.Type == probity.TypeID || c.Type == probity.TypeRef || c.Type == probity.TypeKey || strings.HasSuffix(c.Name, "_id")
			if keyed && c.MaxBytes != probity.MaxKeyBytes {
				t.Errorf("%s %s: MaxBytes %d, want %d", spec.Name, c.Name, c.MaxBytes, probity.MaxKeyBytes)
			}
		}
	}
}
