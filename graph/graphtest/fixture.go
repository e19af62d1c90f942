package graphtest

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"probity/graph"
)

// node matches the first mention of a node: (Var:Label[:Label] [{props}]
var node = regexp.MustCompile(`\((\w+):(\w+(?::\w+)*)\s*(\{\s*)?(\})?`)

// Fixture builds a planted case from compact text: one Cypher pattern a line,
// '#' comments. A node is written once with its label, (O1:Officer {unit:'A'}),
// and gets id 'O1'; later lines name it by its variable, (O1). Dates and
// times are Cypher: date('2025-01-31'), datetime('2025-01-31T10:00:00Z').
// Officers, persons and companies also get the Party label; persons get
// poi and highProfile false unless given, as the loader would store them.
//
//	(O1:Officer {unit:'U1', role:'PC'})-[:LIVES_AT]->(A1:Address)
//	(P1:Person {poi:true})-[:LIVES_AT]->(A1)
func Fixture(t testing.TB, s *graph.Store, src string) {
	t.Helper()
	var parts []string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts = append(parts, node.ReplaceAllStringFunc(line, func(m string) string {
			g := node.FindStringSubmatch(m)
			v, labels, open, closed := g[1], g[2], g[3], g[4]
			out := "(" + v + ":" + labels + " {id:'" + v + "'"
			switch {
			case open == "":
				return out + "}"
			case closed != "":
				return out + "}"
			default:
				return out + ", "
			}
		}))
	}
	cypher := "CREATE " + strings.Join(parts, ",\n") + `
WITH 1 AS done
MATCH (p) WHERE p:Officer OR p:Person OR p:Company SET p:Party
WITH p WHERE p:Person
SET p.poi = coalesce(p.poi, false), p.highProfile = coalesce(p.highProfile, false)`
	if err := s.RunForTest(context.Background(), cypher); err != nil {
		t.Fatalf("fixture: %v\n%s", err, cypher)
	}
}
