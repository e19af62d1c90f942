package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// patternQueries is where TestPatternQueriesPinnedToVersions keeps each
// pattern's version and a digest of its query.
const patternQueries = "testdata/pattern-queries.txt"

// TestPatternQueriesPinnedToVersions: a flag carries its rule's version,
// and an analyst reads it against that version's documentation; a query
// changed under the same version (mutX L5: the version could even go back
// unnoticed) makes two flags of one version mean two rules. When a
// pattern's query changes, this fails until someone decides: bump the
// version (and docs/patterns.md's heading) if what it flags changed, and
// record the new digest (PROBITY_PIN_PATTERNS=1 rewrites the file).
//
// pinnedWording adds to a pattern's digest the wording that a later scan
// matches on its stored flags: an incremental scan finds the
// attendance-mismatch flags that said no swipe was loaded by that text
// (noSwipesFlagsCypher), so a new wording under the same version would
// leave the old one on them unseen (reviewQ L3); a new version makes the
// next scan a full one.
var pinnedWording = map[string]string{PatAttendanceMismatch: noSwipesNote}

func TestPatternQueriesPinnedToVersions(t *testing.T) {
	var lines []string
	for _, p := range library {
		if p.cypher == "" {
			continue
		}
		sum := sha256.Sum256([]byte(p.cypher + pinnedWording[p.info.Name]))
		lines = append(lines, fmt.Sprintf("%s v%d %s", p.info.Name, p.info.Version, hex.EncodeToString(sum[:6])))
	}
	slices.Sort(lines)
	want := strings.Join(lines, "\n") + "\n"
	if os.Getenv("PROBITY_PIN_PATTERNS") == "1" {
		if err := os.WriteFile(patternQueries, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(patternQueries)
	if err != nil {
		t.Fatal(err)
	}
	pinned := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, l := range lines {
		if !slices.Contains(pinned, l) {
			name, _, _ := strings.Cut(l, " ")
			t.Errorf("%s: the query or version is not the one pinned in %s (now %q): if what it flags changed, bump its Version and docs/patterns.md's heading; then pin it with PROBITY_PIN_PATTERNS=1 go test -run TestPatternQueriesPinnedToVersions ./graph/", name, patternQueries, l)
		}
	}
	if len(pinned) != len(lines) {
		t.Errorf("%s pins %d patterns, the library has %d", patternQueries, len(pinned), len(lines))
	}
}

// TestDeclaredOnPathWording: one clause an entity, its dates in order,
// whatever order the store gave the declarations (incrA L2).
func TestDeclaredOnPathWording(t *testing.T) {
	a := []any{map[string]any{"id": "C1", "on": "2025-01-01"}, map[string]any{"id": "B2", "on": "2024-02-02"}, map[string]any{"id": "C1", "on": "2024-08-31"}}
	b := []any{a[2], a[1], a[0]}
	want := []string{"the officer declared B2 (on 2024-02-02), and B2 is on the path", "the officer declared C1 (on 2024-08-31 and on 2025-01-01), and C1 is on the path"}
	for _, in := range [][]any{a, b} {
		if got := declaredOnPath(in); !slices.Equal(got, want) {
			t.Errorf("declaredOnPath(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestPathTieKeyPrefersNewer: of two paths spelled alike the newer links'
// path sorts first; an undated link is the oldest, and a date and a
// date-time of one day are alike, ids then deciding (reviewP L5).
func TestPathTieKeyPrefersNewer(t *testing.T) {
	rel := map[string]any{"type": "RELATED_TO", "from": "O1", "to": "P2", "at": "2025-06-01"}
	holds := map[string]any{"type": "HOLDS", "from": "P2", "to": "AC1"}
	pay := func(id, at string) []any {
		return []any{rel, holds, map[string]any{"type": "PAID", "id": id, "from": "AC1", "to": "AC2", "at": at}}
	}
	newer, older, undated := pathTieKey(pay("PAY2", "2024-02-10T10:00:00Z")), pathTieKey(pay("PAY1", "2024-01-10T10:00:00Z")), pathTieKey(pay("PAY0", ""))
	if !(newer < older && older < undated) {
		t.Errorf("keys newer %q, older %q, undated %q: want them in that order", newer, older, undated)
	}
	if d, dt := pathTieKey(pay("PAYA", "2024-02-10")), pathTieKey(pay("PAYB", "2024-02-10T23:00:00Z")); !(d < dt) {
		t.Errorf("one day, a date and a date-time: %q, %q; want the ids (PAYA first) to decide", d, dt)
	}
}
