package graph_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"probity/graph"
	"probity/graph/graphtest"
)

func TestUndisclosedAssociation(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		# positive, 2 links: shared address
		(O1:Officer)-[:LIVES_AT {from: date('2024-01-01')}]->(A1:Address)
		(P1:Person {poi:true, poiReason:'supplier'})-[:LIVES_AT {from: date('2023-05-01')}]->(A1)
		# positive, 3 links: payment from the person's account into the officer's
		(O2:Officer)-[:HOLDS]->(AC2:Account)<-[:PAID {id:'PAY2', amount: 500.0, at: datetime('2025-02-01T10:00:00Z')}]-(AC2P:Account)<-[:HOLDS]-(P2:Person {poi:true})
		# positive, 4 links; and its source is reported
		(O3:Officer)-[:RELATED_TO {type:'family', source:'vetting'}]->(X31:Person)-[:USES_PHONE]->(PH3:Phone)<-[:USES_PHONE]-(X32:Person)-[:RELATED_TO {type:'associate', source:'intel'}]->(P3:Person {poi:true})
		# trap: 5 links
		(O4:Officer)-[:RELATED_TO {type:'family'}]->(X41:Person)-[:RELATED_TO {type:'family'}]->(X42:Person)-[:RELATED_TO {type:'family'}]->(X43:Person)-[:RELATED_TO {type:'family'}]->(X44:Person)-[:RELATED_TO {type:'associate'}]->(P4:Person {poi:true})
		# trap: declared association (in force)
		(O5:Officer)-[:RELATED_TO {type:'associate', since: date('2024-01-01')}]->(P5:Person {poi:true})
		(O5)-[:DECLARED {type:'association', on: date('2024-02-01')}]->(P5)
		# trap: hub address (21 other residents)
		(O6:Officer)-[:LIVES_AT]->(HA:Address)
		(P6:Person {poi:true})-[:LIVES_AT]->(HA)
		# trap: hub phone (switchboard)
		(O7:Officer)-[:USES_PHONE]->(HP:Phone)
		(P7:Person {poi:true})-[:USES_PHONE]->(HP)
		# trap: hub account (payroll pays both)
		(O8:Officer)-[:HOLDS]->(AC8:Account)<-[:PAID {id:'PAY8', amount: 2000.0, at: datetime('2025-01-28T00:00:00Z')}]-(PAYROLL:Account)-[:PAID {id:'PAY8P', amount: 2000.0, at: datetime('2025-01-28T00:00:00Z')}]->(AC8P:Account)<-[:HOLDS]-(P8:Person {poi:true})
		# trap: a suppressed (known shared) address
		(O9:Officer)-[:LIVES_AT]->(SA:Address)
		(P9:Person {poi:true})-[:LIVES_AT]->(SA)
		# positive despite declaring the intermediate relative (innocent explanation names it)
		(O10:Officer)-[:RELATED_TO {type:'partner'}]->(X10:Person)-[:RELATED_TO {type:'family'}]->(P10:Person {poi:true})
		(O10)-[:DECLARED {type:'association', on: date('2023-01-01')}]->(X10)
		# positive: declared only after the scan's day, the flag says how long the link went undeclared
		(O11:Officer)-[:RELATED_TO {type:'associate', since: date('2024-01-01')}]->(P11:Person {poi:true})
		(O11)-[:DECLARED {type:'association', on: date('2099-01-01')}]->(P11)
	`)
	hubOf(t, s, "Address", "HA", "LIVES_AT", 21)
	hubOf(t, s, "Phone", "HP", "USES_PHONE", 21)
	hubOf(t, s, "Account", "PAYROLL", "PAID", 21)
	ctx := context.Background()
	if _, err := s.AddSuppression(ctx, "SA", "police station front desk", "admin"); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, s, only(graph.PatUndisclosedAssociation))[graph.PatUndisclosedAssociation]
	wantOfficers(t, graph.PatUndisclosedAssociation, got, "O1", "O2", "O3", "O10", "O11")
	if i := got["O11"].InnocentExplanation; !strings.Contains(i, "a declaration dated 2099-01-01, after the scan's day, is not in force yet: the link has existed undeclared since 2024-01-01") {
		t.Fatalf("O11 innocent explanation: %q", i)
	}
	if f := got["O1"]; !strings.Contains(f.Explanation, "P1") || !strings.Contains(f.Explanation, "since 2024-01-01") || !strings.Contains(f.Explanation, "supplier") {
		t.Fatalf("O1 explanation: %s", f.Explanation)
	}
	if f := got["O3"]; !strings.Contains(f.Explanation, "vetting") || f.Evidence.Edges[0].Source == "" && f.Evidence.Edges[1].Source == "" {
		t.Fatalf("O3 sources missing: %s %+v", f.Explanation, f.Evidence.Edges)
	}
	if !(got["O1"].Score > got["O3"].Score) {
		t.Fatalf("a 2-link path (%.3f) should score above a 4-link one (%.3f)", got["O1"].Score, got["O3"].Score)
	}
	if !strings.Contains(got["O10"].InnocentExplanation, "declared X10") {
		t.Fatalf("O10 innocent explanation: %q", got["O10"].InnocentExplanation)
	}
	if ids := strings.Join(got["O2"].EvidenceIDs, ";"); ids != "AC2;AC2P;O2;P2;PAY2" {
		t.Fatalf("O2 evidence ids = %s", ids)
	}
	hubs, err := s.Hubs(ctx)
	if err != nil || hubs["HA"] != "degree" || hubs["PAYROLL"] != "degree" || !strings.HasPrefix(hubs["SA"], "suppressed") {
		t.Fatalf("hubs = %v, %v", hubs, err)
	}
}

// Of several shortest paths to a person of interest the flag shows the
// strongest, and of equally strong ones the first by ids, so that rescans
// of the same data keep the same evidence and so the same flag.
func TestUndisclosedAssociationPathChoice(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi:true})
		(O1)-[:RELATED_TO {type:'associate'}]->(X1:Person)-[:RELATED_TO {type:'associate'}]->(P1)
		(O1)-[:RELATED_TO {type:'family'}]->(F2:Person)-[:RELATED_TO {type:'family'}]->(P1)
		(O1)-[:RELATED_TO {type:'family'}]->(F1:Person)-[:RELATED_TO {type:'family'}]->(P1)
	`)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		f := scanAll(t, s, only(graph.PatUndisclosedAssociation))[graph.PatUndisclosedAssociation]["O1"]
		if ids := strings.Join(f.EvidenceIDs, ";"); ids != "F1;O1;P1" || !strings.Contains(f.Explanation, "O1 - RELATED_TO - F1 - RELATED_TO - P1") {
			t.Fatalf("%s: evidence %s, %s; want the family path through F1", when, ids, f.Explanation)
		}
	}
	check("first scan")
	// New relationships on the path's nodes change their storage order.
	graphtest.AddFixture(t, s, `
		(O1)-[:ACCESSED {at: datetime('2025-02-01T10:00:00Z')}]->(R1:Record)-[:ABOUT]->(F2)
		(R1)-[:ABOUT]->(A1)
		(R1)-[:ABOUT]->(P1)
	`)
	for i := range 3 {
		run, err := s.Scan(ctx, only(graph.PatUndisclosedAssociation))
		if err != nil || run.NewFlags != 0 {
			t.Fatalf("rescan %d of the same associations: %d new flags, %v", i+1, run.NewFlags, err)
		}
	}
	check("after rescans")
}

// Recency is measured to the data's time, not to the day the scan runs: a
// link five months older than the newest event of the data scores the same
// whenever the data is scanned.
func TestUndisclosedAssociationRecencyFromData(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type:'family', since: date('2024-01-01')}]->(P1:Person {poi:true})
		(O1)-[:ACCESSED {at: datetime('2024-06-01T00:00:00Z')}]->(R1:Record)
	`)
	f := scanAll(t, s, only(graph.PatUndisclosedAssociation))[graph.PatUndisclosedAssociation]["O1"]
	years := 152.0 / 365.25 // 2024-01-01 to the newest event, 2024-06-01
	if want := 0.6 + 0.4*math.Exp(-years/2); math.Abs(f.Score-want) > 0.002 {
		t.Fatalf("score %.3f, want %.3f (1 link, family, recency to 2024-06-01)", f.Score, want)
	}
}

func TestAccessForGain(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		# subject pays the officer 10 days after an unassigned look-up
		(O1:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z'), channel:'onsite'}]->(R1:Record)-[:ABOUT]->(S1:Person)
		(S1)-[:HOLDS]->(AS1:Account)-[:PAID {id:'PAY1', amount: 750.0, currency:'GBP', at: datetime('2025-03-20T12:00:00Z')}]->(AO1:Account)<-[:HOLDS]-(O1)
		# a company the subject directs pays the officer's partner
		(O2:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z')}]->(R2:Record)-[:ABOUT]->(S2:Person)-[:DIRECTOR_OF {role:'owner'}]->(C2:Company)-[:HOLDS]->(AC2:Account)
		(AC2)-[:PAID {id:'PAY2', amount: 300.0, at: datetime('2025-04-01T00:00:00Z')}]->(AF2:Account)<-[:HOLDS]-(F2:Person)-[:RELATED_TO {type:'partner'}]->(O2)
		# the subject's family pays the officer
		(O3:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z')}]->(R3:Record)-[:ABOUT]->(S3:Person)<-[:RELATED_TO {type:'family'}]-(F3:Person)-[:HOLDS]->(AF3:Account)
		(AF3)-[:PAID {id:'PAY3', amount: 100.0, at: datetime('2025-03-11T00:00:00Z')}]->(AO3:Account)<-[:HOLDS]-(O3)
		# exactly 30 days before (positive) and 31 days before (trap)
		(O4:Officer)-[:ACCESSED {at: datetime('2025-03-31T23:00:00Z')}]->(R4:Record)-[:ABOUT]->(S4:Person)-[:HOLDS]->(AS4:Account)-[:PAID {id:'PAY4', amount: 100.0, at: datetime('2025-03-01T00:30:00Z')}]->(AO4:Account)<-[:HOLDS]-(O4)
		(O5:Officer)-[:ACCESSED {at: datetime('2025-04-01T00:10:00Z')}]->(R5:Record)-[:ABOUT]->(S5:Person)-[:HOLDS]->(AS5:Account)-[:PAID {id:'PAY5', amount: 100.0, at: datetime('2025-03-01T23:50:00Z')}]->(AO5:Account)<-[:HOLDS]-(O5)
		# exactly 90 days after (positive) and 91 days after (trap)
		(O6:Officer)-[:ACCESSED {at: datetime('2025-01-01T08:00:00Z')}]->(R6:Record)-[:ABOUT]->(S6:Person)-[:HOLDS]->(AS6:Account)-[:PAID {id:'PAY6', amount: 100.0, at: datetime('2025-04-01T23:00:00Z')}]->(AO6:Account)<-[:HOLDS]-(O6)
		(O7:Officer)-[:ACCESSED {at: datetime('2025-01-01T08:00:00Z')}]->(R7:Record)-[:ABOUT]->(S7:Person)-[:HOLDS]->(AS7:Account)-[:PAID {id:'PAY7', amount: 100.0, at: datetime('2025-04-02T01:00:00Z')}]->(AO7:Account)<-[:HOLDS]-(O7)
		# trap: the access was assigned (record in a case the officer works)
		(O8:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z')}]->(R8:Record)-[:ABOUT]->(S8:Person)-[:HOLDS]->(AS8:Account)-[:PAID {id:'PAY8', amount: 100.0, at: datetime('2025-03-12T00:00:00Z')}]->(AO8:Account)<-[:HOLDS]-(O8)
		(R8)-[:PART_OF]->(C8:Case)<-[:ASSIGNED_TO {from: date('2025-01-01')}]-(O8)
		# positive: the assignment ended the day before the look-up
		(O9:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z')}]->(R9:Record)-[:ABOUT]->(S9:Person)-[:HOLDS]->(AS9:Account)-[:PAID {id:'PAY9', amount: 100.0, at: datetime('2025-03-12T00:00:00Z')}]->(AO9:Account)<-[:HOLDS]-(O9)
		(R9)-[:PART_OF]->(C9:Case)<-[:ASSIGNED_TO {from: date('2025-01-01'), to: date('2025-03-09')}]-(O9)
		# trap: look-up and payment, but the payer is unrelated to the subject
		(O10:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z')}]->(R10:Record)-[:ABOUT]->(S10:Person)
		(Z10:Person)-[:HOLDS]->(AZ10:Account)-[:PAID {id:'PAY10', amount: 100.0, at: datetime('2025-03-12T00:00:00Z')}]->(AO10:Account)<-[:HOLDS]-(O10)
		# positive: a payment whose amount was not recorded still counts ("empty = absent")
		(O11:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z')}]->(R11:Record)-[:ABOUT]->(S11:Person)-[:HOLDS]->(AS11:Account)-[:PAID {id:'PAY11', at: datetime('2025-03-12T00:00:00Z')}]->(AO11:Account)<-[:HOLDS]-(O11)
	`)
	got := scanAll(t, s, only(graph.PatAccessForGain))[graph.PatAccessForGain]
	wantOfficers(t, graph.PatAccessForGain, got, "O1", "O2", "O3", "O4", "O6", "O9", "O11")
	if f := got["O11"]; !strings.Contains(f.Explanation, "an amount not recorded") {
		t.Fatalf("O11, a payment without an amount: %s", f.Explanation)
	}
	f := got["O1"]
	for _, want := range []string{"R1", "S1", "750.00 GBP", "PAY1", "2025-03-20", "10 days after"} {
		if !strings.Contains(f.Explanation, want) {
			t.Fatalf("O1 explanation lacks %q: %s", want, f.Explanation)
		}
	}
	if ids := strings.Join(f.EvidenceIDs, ";"); ids != "AO1;AS1;O1;PAY1;R1;S1" {
		t.Fatalf("O1 evidence = %s", ids)
	}
	if !strings.Contains(got["O9"].InnocentExplanation, "assigned to case C9 until 2025-03-09, 1 day before this look-up") {
		t.Fatalf("O9 innocent explanation = %q", got["O9"].InnocentExplanation)
	}
	if !strings.Contains(got["O2"].Explanation, "C2") || !strings.Contains(got["O2"].Explanation, "F2") {
		t.Fatalf("O2 explanation: %s", got["O2"].Explanation)
	}
}

func TestPersonalInterestAccess(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type:'family'}]->(F1:Person)<-[:ABOUT]-(R1:Record)<-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]-(O1)
		(A2:Person)-[:RELATED_TO {type:'associate'}]->(O2:Officer)-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]->(R2:Record)-[:ABOUT]->(A2)
		(O3:Officer)-[:LIVES_AT]->(AD3:Address)<-[:LIVES_AT]-(C3:Person)<-[:ABOUT]-(R3:Record)<-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]-(O3)
		(O4:Officer)-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]->(R4:Record)-[:ABOUT]->(HP4:Person {highProfile:true})
		# trap: co-resident only through a hub address
		(O5:Officer)-[:LIVES_AT]->(HUB5:Address)<-[:LIVES_AT]-(C5:Person)<-[:ABOUT]-(R5:Record)<-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]-(O5)
		# trap: family look-up while assigned to the record's case
		(O6:Officer)-[:RELATED_TO {type:'partner'}]->(F6:Person)<-[:ABOUT]-(R6:Record)<-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]-(O6)
		(R6)-[:PART_OF]->(C6:Case)<-[:ASSIGNED_TO {from: date('2025-04-01'), to: date('2025-05-01')}]-(O6)
		# trap: a record about an ordinary stranger
		(O7:Officer)-[:ACCESSED {at: datetime('2025-05-01T10:00:00Z')}]->(R7:Record)-[:ABOUT]->(X7:Person)
	`)
	hubOf(t, s, "Address", "HUB5", "LIVES_AT", 21)
	got := scanAll(t, s, only(graph.PatPersonalInterest))[graph.PatPersonalInterest]
	wantOfficers(t, graph.PatPersonalInterest, got, "O1", "O2", "O3", "O4")
	if !(got["O1"].Score > got["O4"].Score) {
		t.Fatalf("family (%.2f) should outrank high-profile (%.2f)", got["O1"].Score, got["O4"].Score)
	}
}

// TestHubBoundary: a node with exactly 20 distinct neighbours is not a hub;
// with 21 it is (more than 20). Parallel links to one neighbour count once.
func TestHubBoundary(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:LIVES_AT {from: date('2020-01-01')}]->(A20:Address)<-[:LIVES_AT]-(P1:Person {poi:true})
		(O1)-[:LIVES_AT {from: date('2022-01-01')}]->(A20)
		(O2:Officer)-[:LIVES_AT]->(A21:Address)<-[:LIVES_AT]-(P2:Person {poi:true})
	`)
	hubOf(t, s, "Address", "A20", "LIVES_AT", 18) // O1, P1 and 18 others: 20
	hubOf(t, s, "Address", "A21", "LIVES_AT", 19) // O2, P2 and 19 others: 21
	got := scanAll(t, s, only(graph.PatUndisclosedAssociation))[graph.PatUndisclosedAssociation]
	wantOfficers(t, graph.PatUndisclosedAssociation, got, "O1")
}

// A declaration is in force on the scan's day when made by then and not
// withdrawn by then: one withdrawn today no longer covers the link, one
// withdrawn tomorrow still does, as does one made today (mutQ).
func TestDeclarationInForceOnTheScanDay(t *testing.T) {
	s := graphtest.Open(t)
	today := time.Now().UTC()
	day := func(d time.Time) string { return d.Format("2006-01-02") }
	graphtest.Fixture(t, s, `
		(P1:Person {poi: true})
		(O1:Officer)-[:RELATED_TO {type: 'associate'}]->(P1)
		(O1)-[:DECLARED {type: 'association', on: date('2020-01-01'), withdrawnOn: date('`+day(today)+`')}]->(P1)
		(O2:Officer)-[:RELATED_TO {type: 'associate'}]->(P1)
		(O2)-[:DECLARED {type: 'association', on: date('2020-01-01'), withdrawnOn: date('`+day(today.AddDate(0, 0, 1))+`')}]->(P1)
		(O3:Officer)-[:RELATED_TO {type: 'associate'}]->(P1)
		(O3)-[:DECLARED {type: 'association', on: date('`+day(today)+`')}]->(P1)
	`)
	got := scanAll(t, s, only(graph.PatUndisclosedAssociation))[graph.PatUndisclosedAssociation]
	wantOfficers(t, graph.PatUndisclosedAssociation, got, "O1")
}
