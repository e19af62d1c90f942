package graph_test

import (
	"testing"

	"probity/graph/graphtest"
)

func TestScanEmptyAndSmallGraph(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer {unit:'U', role:'PC'})-[:LIVES_AT]->(A1:Address)
		(P1:Person {poi:true})-[:LIVES_AT]->(A1)
	`)
	got := scanAll(t, s, probityAll())
	t.Logf("%v", got)
}
