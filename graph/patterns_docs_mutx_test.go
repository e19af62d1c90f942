package graph_test

// mutX: a check that docs/patterns.md names each pattern at the version the
// library runs (flags carry the version; an analyst reading a v5 flag
// against the v4 rule, or the reverse, misreads it). Kills M73. Copy into
// graph/ and run: go test -count=1 -run 'TestMutXPatternVersionsDocumented' ./graph/

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"probity/graph"
)

func TestMutXPatternVersionsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/patterns.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, p := range graph.Patterns() {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^### (\d+\. )?%s \(v%d\)$`, regexp.QuoteMeta(p.Name), p.Version)).MatchString(doc) {
			t.Errorf("docs/patterns.md has no heading for %s (v%d)", p.Name, p.Version)
		}
	}
}
