package graphtest_test

import (
	"context"
	"testing"

	"probity/graph/graphtest"
)

func TestFixture(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		# an officer sharing an address with a person of interest
		(O1:Officer {unit:'U1', role:'PC'})-[:LIVES_AT {from: date('2024-01-01')}]->(A1:Address)
		(P1:Person {poi:true})-[:LIVES_AT]->(A1)
		(P2:Person)
	`)
	got, err := s.CountForTest(context.Background(),
		`MATCH (o:Officer:Party {id:'O1', unit:'U1'})-[:LIVES_AT]->(:Address {id:'A1'})<-[:LIVES_AT]-(p:Person:Party {id:'P1', poi:true, highProfile:false})
		 MATCH (p2:Person {id:'P2', poi:false}) RETURN count(*)`)
	if err != nil || got != 1 {
		t.Fatalf("fixture graph: count = %d, %v; want 1", got, err)
	}
}
