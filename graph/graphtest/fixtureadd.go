package graphtest

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"

	"probity/graph"
)

// bare matches a node named by its variable alone: (X).
var bare = regexp.MustCompile(`\((\w+)\)`)

// AddFixture adds to a graph that Fixture (or an earlier AddFixture) built,
// in the same notation: a node written with its label is new; a node named
// by its variable alone, (X), and not written with a label in src is the
// existing node with id 'X'. Tests use it for the data that arrives after a
// first scan (the new events of an incremental scan).
//
//	(O1)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(R9:Record)
func AddFixture(t testing.TB, s *graph.Store, src string) {
	t.Helper()
	labelled := map[string]bool{}
	refs := map[string]bool{}
	var parts []string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, g := range node.FindAllStringSubmatch(line, -1) {
			labelled[g[1]] = true
		}
		for _, g := range bare.FindAllStringSubmatch(line, -1) {
			refs[g[1]] = true
		}
		parts = append(parts, node.ReplaceAllStringFunc(line, func(m string) string {
			g := node.FindStringSubmatch(m)
			v, labels, open, closed := g[1], g[2], g[3], g[4]
			out := "(" + v + ":" + labels + " {id:'" + v + "'"
			if open == "" || closed != "" {
				return out + "}"
			}
			return out + ", "
		}))
	}
	var old []string
	for v := range refs {
		if !labelled[v] {
			old = append(old, v)
		}
	}
	sort.Strings(old)
	var b strings.Builder
	for _, v := range old {
		b.WriteString("MATCH (" + v + " {id:'" + v + "'})\n")
	}
	b.WriteString("CREATE " + strings.Join(parts, ",\n") + `
WITH 1 AS done
MATCH (p) WHERE (p:Officer OR p:Person OR p:Company) AND NOT p:Party SET p:Party
WITH p WHERE p:Person
SET p.poi = coalesce(p.poi, false), p.highProfile = coalesce(p.highProfile, false)`)
	if err := s.RunForTest(context.Background(), b.String()); err != nil {
		t.Fatalf("add fixture: %v\n%s", err, b.String())
	}
}
