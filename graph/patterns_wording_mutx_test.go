package graph_test

// mutX: additions to graph/patterns_wording_test.go (undeclared-business-
// interest v5, heldOn). Copy into graph/ and run:
//   go test -count=1 -p 1 -run 'TestMutX' ./graph/

import (
	"strings"
	"testing"

	"probity/graph"
)

// TestMutXBusinessInterestHeldOnBounds kills M65, M66, M67: a relative's
// directorship counts when it is in force at the scan (C1, begun after the
// payment: "directs" in the present tense, as v4 had it) or held on the
// payment's UTC day, both ends inclusive (C2 ended on that day, C3 began
// on it and has ended since); C4 ended the day before (no flag).
func TestMutXBusinessInterestHeldOnBounds(t *testing.T) {
	base := `
		(C1:Officer)-[:RELATED_TO {type:'family'}]->(FC1:Person)-[:DIRECTOR_OF {from: date('2020-03-01')}]->(CC1:Company)-[:HOLDS]->(ACC1:Account)
		(PC1:Person {poi:true})-[:HOLDS]->(APC1:Account)
		(C2:Officer)-[:RELATED_TO {type:'family'}]->(FC2:Person)-[:DIRECTOR_OF {from: date('2015-01-01'), to: date('2020-02-01')}]->(CC2:Company)-[:HOLDS]->(ACC2:Account)
		(PC2:Person {poi:true})-[:HOLDS]->(APC2:Account)
		(C3:Officer)-[:RELATED_TO {type:'family'}]->(FC3:Person)-[:DIRECTOR_OF {from: date('2020-02-01'), to: date('2021-01-01')}]->(CC3:Company)-[:HOLDS]->(ACC3:Account)
		(PC3:Person {poi:true})-[:HOLDS]->(APC3:Account)
		(C4:Officer)-[:RELATED_TO {type:'family'}]->(FC4:Person)-[:DIRECTOR_OF {from: date('2015-01-01'), to: date('2020-01-31')}]->(CC4:Company)-[:HOLDS]->(ACC4:Account)
		(PC4:Person {poi:true})-[:HOLDS]->(APC4:Account)
	`
	events := `
		(APC1)-[:PAID {id:'PC1', amount: 900.0, at: datetime('2020-02-01T10:00:00Z')}]->(ACC1)
		(APC2)-[:PAID {id:'PC2', amount: 900.0, at: datetime('2020-02-01T23:30:00Z')}]->(ACC2)
		(APC3)-[:PAID {id:'PC3', amount: 900.0, at: datetime('2020-02-01T00:30:00Z')}]->(ACC3)
		(APC4)-[:PAID {id:'PC4', amount: 900.0, at: datetime('2020-02-01T10:00:00Z')}]->(ACC4)
	`
	got := ruleCase(t, graph.PatBusinessInterest, base, nil, events, nil, "C1", "C2", "C3")
	if e := got["C1"].Explanation; !strings.Contains(e, "has been director or owner of company CC1 since 2020-03-01 (after the payment)") {
		t.Errorf("C1: %q", e)
	}
	if e := got["C2"].Explanation; !strings.Contains(e, "was director or owner of company CC2 until 2020-02-01") {
		t.Errorf("C2: %q", e)
	}
}
