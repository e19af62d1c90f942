package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

func run(t *testing.T, s *graph.Store, cypher string) {
	t.Helper()
	if err := s.RunForTest(context.Background(), cypher); err != nil {
		t.Fatalf("%v\n%s", err, cypher)
	}
}

// accesses gives officer n unassigned look-ups of fresh records, one a day from day0.
func accesses(t *testing.T, s *graph.Store, officer string, n int) {
	t.Helper()
	if n == 0 {
		return
	}
	run(t, s, `MATCH (o:Officer {id: '`+officer+`'}) UNWIND range(1, `+itoa(n)+`) AS i
		CREATE (o)-[:ACCESSED {at: datetime('2025-01-01T10:00:00Z') + duration({days: i}), channel: 'onsite'}]->(:Record {id: 'R-`+officer+`-' + i})`)
}

func TestAccessVolumeOutlier(t *testing.T) {
	s := graphtest.Open(t)
	// peer group U1/PC: ten officers with 2 unassigned look-ups, one with 25, one with 19 in U2
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	run(t, s, `CREATE (:Officer:Party {id: 'O1', unit: 'U1', role: 'PC'}), (:Officer:Party {id: 'O2', unit: 'U2', role: 'PC'}),
		(:Officer:Party {id: 'Q1', unit: 'U2', role: 'PC'}), (:Officer:Party {id: 'Q2', unit: 'U2', role: 'PC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	accesses(t, s, "O1", 25)
	accesses(t, s, "O2", 19)
	got := scanAll(t, s, only(graph.PatVolumeOutlier))[graph.PatVolumeOutlier]
	wantOfficers(t, graph.PatVolumeOutlier, got, "O1")
	if f := got["O1"]; !strings.Contains(f.Explanation, "25 unassigned") || !strings.Contains(f.Explanation, "median of 2") {
		t.Fatalf("O1: %s", f.Explanation)
	}
	// with 20 look-ups O2 is flagged (x ≥ 20)
	run(t, s, `MATCH (o:Officer {id: 'O2'}) CREATE (o)-[:ACCESSED {at: datetime('2025-06-01T10:00:00Z')}]->(:Record {id: 'R-O2-20'})`)
	got = scanAll(t, s, only(graph.PatVolumeOutlier))[graph.PatVolumeOutlier]
	wantOfficers(t, graph.PatVolumeOutlier, got, "O1", "O2")
}

// An officer alone in its unit and role, or with one colleague, cannot be
// flagged however many look-ups it makes (its count is half its group):
// the scan says how many such officers had the count to be (rulesM M1).
func TestVolumeOutlierNotesGroupsTooSmall(t *testing.T) {
	s := graphtest.Open(t)
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	run(t, s, `CREATE (:Officer:Party {id: 'O1', unit: 'U1', role: 'PC'}), (:Officer:Party {id: 'LONE', unit: 'U9', role: 'Supt'}),
		(:Officer:Party {id: 'PAIR1', unit: 'U8', role: 'DS'}), (:Officer:Party {id: 'PAIR2', unit: 'U8', role: 'DS'}), (:Officer:Party {id: 'QUIET', unit: 'U7', role: 'DC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	accesses(t, s, "O1", 25)
	accesses(t, s, "LONE", 300)
	accesses(t, s, "PAIR1", 300)
	accesses(t, s, "PAIR2", 2)
	accesses(t, s, "QUIET", 19)
	r, err := s.Scan(context.Background(), only(graph.PatVolumeOutlier))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Patterns[0].Note, "2 officers with at least 20 unassigned look-ups are in a peer group (unit and role) of one or two") {
		t.Fatalf("note: %q", r.Patterns[0].Note)
	}
	got := scanAll(t, s, only(graph.PatVolumeOutlier))[graph.PatVolumeOutlier]
	wantOfficers(t, graph.PatVolumeOutlier, got, "O1")
}

// TestVolumeOutlierEvidenceBeyondSample: a flag charts 25 of the officer's
// look-ups, but one more look-up past those is new evidence all the same,
// so a dismissed flag does not swallow the grown case.
func TestVolumeOutlierEvidenceBeyondSample(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	run(t, s, `CREATE (:Officer:Party {id: 'O1', unit: 'U1', role: 'PC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	accesses(t, s, "O1", 40)
	f := scanAll(t, s, only(graph.PatVolumeOutlier))[graph.PatVolumeOutlier]["O1"]
	if len(f.Evidence.Nodes) != 26 || !strings.Contains(f.Explanation, "40 unassigned") || !strings.Contains(f.Explanation, "holds the first 25") {
		t.Fatalf("O1: %d nodes, %s", len(f.Evidence.Nodes), f.Explanation)
	}
	for _, to := range []probity.FlagStatus{probity.FlagInReview, probity.FlagFalsePositive} {
		if _, err := s.ReviewFlag(ctx, f.ID, "rev1", to, "seen before", nil); err != nil {
			t.Fatal(err)
		}
	}
	run(t, s, `MATCH (o:Officer {id: 'O1'}) CREATE (o)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z'), channel: 'onsite'}]->(:Record {id: 'R-O1-41'})`)
	scanAll(t, s, only(graph.PatVolumeOutlier))
	flags, err := s.Flags(ctx, probity.FlagFilter{OfficerID: "O1"})
	if err != nil || len(flags) != 2 {
		t.Fatalf("O1 after a 41st look-up: %d flags, %v; want the dismissed one and a new one", len(flags), err)
	}
	for _, g := range flags {
		if g.ID == f.ID && g.Status != probity.FlagFalsePositive ||
			g.ID != f.ID && (g.Status != probity.FlagNew || !strings.Contains(g.Explanation, "41 unassigned")) {
			t.Fatalf("O1 after a 41st look-up: %s %s %s", g.ID, g.Status, g.Explanation)
		}
	}
}

// mismatchDay is fixture text for a mismatch day of officer o on day d:
// an onsite shift, no swipe, only a remote look-up.
func mismatchDay(o, d string) string {
	return `(` + o + `)-[:WORKED]->(:Shift {id: '` + o + `/` + d + `', date: date('` + d + `'), declaredLocation: 'onsite'})
		(` + o + `)-[:ACCESSED {at: datetime('` + d + `T11:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-` + o + `-` + d + `'})`
}

func TestAttendanceMismatch(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O2:Officer)
		(O3:Officer)
		(O4:Officer)
		(O5:Officer)
		(O6:Officer)
		`+day("O1", "2025-02-01")+"\n"+day("O1", "2025-02-15")+"\n"+day("O1", "2025-03-02")+`
		# trap: only 2 mismatch days
		`+day("O2", "2025-02-01")+"\n"+day("O2", "2025-02-15")+`
		# trap: a swipe on one of the days
		`+day("O3", "2025-02-01")+"\n"+day("O3", "2025-02-15")+"\n"+day("O3", "2025-02-20")+`
		(O3)-[:SWIPED]->(:BadgeSwipe {id: 'O3/sw', at: datetime('2025-02-15T07:55:00Z'), site: 'HQ'})
		# trap: an onsite look-up on one of the days
		`+day("O4", "2025-02-01")+"\n"+day("O4", "2025-02-15")+"\n"+day("O4", "2025-02-20")+`
		(O4)-[:ACCESSED {at: datetime('2025-02-20T15:00:00Z'), channel: 'onsite'}]->(:Record {id: 'R-O4-x'})
		# trap: 3 days spread over 31 days
		`+day("O5", "2025-02-01")+"\n"+day("O5", "2025-02-15")+"\n"+day("O5", "2025-03-03")+`
		# trap: remote shifts are not mismatches
		(O6)-[:WORKED]->(:Shift {id: 'O6/1', date: date('2025-02-01'), declaredLocation: 'remote'})
		(O6)-[:WORKED]->(:Shift {id: 'O6/2', date: date('2025-02-02'), declaredLocation: 'remote'})
		(O6)-[:WORKED]->(:Shift {id: 'O6/3', date: date('2025-02-03'), declaredLocation: 'remote'})
		(O6)-[:ACCESSED {at: datetime('2025-02-01T11:00:00Z'), channel: 'remote'}]->(:Record {id: 'R6a'})
		(O6)-[:ACCESSED {at: datetime('2025-02-02T11:00:00Z'), channel: 'remote'}]->(:Record {id: 'R6b'})
		(O6)-[:ACCESSED {at: datetime('2025-02-03T11:00:00Z'), channel: 'remote'}]->(:Record {id: 'R6c'})
		# two runs far apart: the sentence names the second too
		(O7:Officer)
		`+day("O7", "2025-02-01")+"\n"+day("O7", "2025-02-02")+"\n"+day("O7", "2025-02-03")+`
		`+day("O7", "2025-07-01")+"\n"+day("O7", "2025-07-02")+"\n"+day("O7", "2025-07-03")+`
	`)
	got := scanAll(t, s, only(graph.PatAttendanceMismatch))[graph.PatAttendanceMismatch]
	wantOfficers(t, graph.PatAttendanceMismatch, got, "O1", "O7")
	if e := got["O7"].Explanation; !strings.Contains(e, "(2025-02-01, 2025-02-02, 2025-02-03), and 3 more such days in other runs of 3 or more within 30 days (2025-07-01, 2025-07-02, 2025-07-03)") ||
		!strings.Contains(e, "6 look-ups on the 6 flagged days") {
		t.Fatalf("O7, two runs: %s", e)
	}
	f := got["O1"]
	if !strings.Contains(f.Explanation, "2025-02-01, 2025-02-15, 2025-03-02") {
		t.Fatalf("O1: %s", f.Explanation)
	}
	// The shifts are evidence (on the chart) but have no import-format id,
	// so the CSV's evidence ids leave them out.
	shifts := 0
	for _, n := range f.Evidence.Nodes {
		if n.Label == probity.LabelShift {
			shifts++
		}
	}
	if ids := strings.Join(f.EvidenceIDs, ";"); shifts != 3 || ids != "O1;R-O1-2025-02-01;R-O1-2025-02-15;R-O1-2025-03-02" {
		t.Fatalf("O1: %d shifts in the evidence, evidence ids %s", shifts, ids)
	}
	// A scan of a window takes the rule from the pattern query alone (a
	// full scan picks its officers from the stored aggregates first): the
	// same officers, each trap refused by the query too (mutQ).
	if err := s.RunForTest(context.Background(), `MATCH (f:Flag) DETACH DELETE f`); err != nil {
		t.Fatal(err)
	}
	window := only(graph.PatAttendanceMismatch)
	window.From, window.To = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	wantOfficers(t, graph.PatAttendanceMismatch, scanAll(t, s, window)[graph.PatAttendanceMismatch], "O1", "O7")
	if f.InnocentExplanation != "" {
		t.Fatalf("O1 with swipes in the data: innocent explanation %q", f.InnocentExplanation)
	}
	// With no swipe in the data at all, each flag says the swipes may be
	// missing from the data (formatA L2: a set without badge_swipes.csv).
	if err := s.RunForTest(context.Background(), `MATCH (b:BadgeSwipe) DETACH DELETE b`); err != nil {
		t.Fatal(err)
	}
	if f := scanAll(t, s, only(graph.PatAttendanceMismatch))[graph.PatAttendanceMismatch]["O1"]; !strings.Contains(f.InnocentExplanation, "no badge swipe for any officer") {
		t.Fatalf("O1 with no swipe in the data: innocent explanation %q", f.InnocentExplanation)
	}
}

func TestUndeclaredBusinessInterest(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:DIRECTOR_OF {role:'director', from: date('2022-01-01')}]->(C1:Company)
		# trap: declared
		(O2:Officer)-[:DIRECTOR_OF {role:'owner'}]->(C2:Company)
		(O2)-[:DECLARED {type:'business_interest', on: date('2022-02-01')}]->(C2)
		# relative's company paid by a person of interest
		(O3:Officer)-[:RELATED_TO {type:'family'}]->(F3:Person)-[:DIRECTOR_OF]->(C3:Company)-[:HOLDS]->(AC3:Account)
		(P3:Person {poi:true})-[:HOLDS]->(AP3:Account)-[:PAID {id:'PAY3', amount: 5000.0, at: datetime('2025-02-01T00:00:00Z')}]->(AC3)
		# trap: relative's company with no suspicious money
		(O4:Officer)-[:RELATED_TO {type:'partner'}]->(F4:Person)-[:DIRECTOR_OF]->(C4:Company)-[:HOLDS]->(AC4:Account)
		(X4:Person)-[:HOLDS]->(AX4:Account)-[:PAID {id:'PAY4', amount: 5000.0, at: datetime('2025-02-01T00:00:00Z')}]->(AC4)
		# relative's company paid by a subject of the officer's unassigned look-up
		(F5:Person)-[:RELATED_TO {type:'family'}]->(O5:Officer)-[:ACCESSED {at: datetime('2025-01-05T10:00:00Z')}]->(R5:Record)-[:ABOUT]->(S5:Person)-[:HOLDS]->(AS5:Account)
		(F5)-[:DIRECTOR_OF]->(C5:Company)-[:HOLDS]->(AC5:Account)<-[:PAID {id:'PAY5', amount: 800.0, currency: 'EUR', at: datetime('2025-02-01T00:00:00Z')}]-(AS5)
		(R5)-[:PART_OF]->(CS5:Case)<-[:ASSIGNED_TO {from: date('2024-01-01'), to: date('2025-01-04')}]-(O5)
		# trap: associate's company (associate is not family)
		(O6:Officer)-[:RELATED_TO {type:'associate'}]->(F6:Person)-[:DIRECTOR_OF]->(C6:Company)-[:HOLDS]->(AC6:Account)
		(P6:Person {poi:true})-[:HOLDS]->(AP6:Account)-[:PAID {id:'PAY6', amount: 5000.0, at: datetime('2025-02-01T00:00:00Z')}]->(AC6)
		# traps: directorships that begin after the scan's day (the officer's own; a relative's, paid by a person of interest)
		(O7:Officer)-[:DIRECTOR_OF {role:'director', from: date('2099-01-01')}]->(C7:Company)
		(O8:Officer)-[:RELATED_TO {type:'family'}]->(F8:Person)-[:DIRECTOR_OF {from: date('2099-01-01')}]->(C8:Company)-[:HOLDS]->(AC8:Account)
		(P3)-[:HOLDS]->(AP8:Account)-[:PAID {id:'PAY8', amount: 5000.0, at: datetime('2025-02-01T00:00:00Z')}]->(AC8)
	`)
	got := scanAll(t, s, only(graph.PatBusinessInterest))[graph.PatBusinessInterest]
	wantOfficers(t, graph.PatBusinessInterest, got, "O1", "O3", "O5")
	if f := got["O3"]; !strings.Contains(f.Explanation, "P3") || !strings.Contains(f.Explanation, "PAY3") {
		t.Fatalf("O3: %s", f.Explanation)
	}
	// the payment in its own currency, never a guessed one; the look-up said
	// unassigned, with its innocent explanation
	if f := got["O3"]; !strings.Contains(f.Explanation, "5000.00 (currency not recorded)") {
		t.Fatalf("O3, a payment without a currency: %s", f.Explanation)
	}
	if f := got["O5"]; !strings.Contains(f.Explanation, "R5") || !strings.Contains(f.Explanation, "800.00 EUR") ||
		!strings.Contains(f.Explanation, "without an assignment on 2025-01-05") || !strings.Contains(f.InnocentExplanation, "assigned to case CS5 until 2025-01-04, 1 day before") {
		t.Fatalf("O5: %s / %s", f.Explanation, f.InnocentExplanation)
	}
}

func TestCollusionRing(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(P1:Person {poi:true})
		(O1:Officer)-[:RELATED_TO {type:'associate'}]->(O2:Officer)
		(O1)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(R1:Record)-[:ABOUT]->(P1)
		(O2)-[:ACCESSED {at: datetime('2025-03-04T10:00:00Z')}]->(R2:Record)-[:ABOUT]->(P1)
		# trap: 8 days apart
		(O3:Officer)-[:RELATED_TO {type:'associate'}]->(O4:Officer)
		(O3)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(R1)
		(O4)-[:ACCESSED {at: datetime('2025-03-09T10:00:00Z')}]->(R2)
		# trap: close in time but not linked
		(O5:Officer)-[:ACCESSED {at: datetime('2025-03-02T10:00:00Z')}]->(R1)
		(O6:Officer)-[:ACCESSED {at: datetime('2025-03-02T12:00:00Z')}]->(R2)
		# linked through a shared address (2 links), exactly 7 days apart
		(O7:Officer)-[:LIVES_AT]->(A7:Address)<-[:LIVES_AT]-(O8:Officer)
		(O7)-[:ACCESSED {at: datetime('2025-05-01T23:00:00Z')}]->(R1)
		(R1)-[:PART_OF]->(C7:Case)<-[:ASSIGNED_TO {from: date('2025-01-01'), to: date('2025-04-30')}]-(O7)
		(O8)-[:ACCESSED {at: datetime('2025-05-08T01:00:00Z')}]->(R2)
	`)
	got := scanAll(t, s, only(graph.PatCollusionRing))[graph.PatCollusionRing]
	wantOfficers(t, graph.PatCollusionRing, got, "O1", "O2", "O7", "O8")
	// each look-up goes with its own officer, on either officer's flag
	for _, o := range []string{"O1", "O2"} {
		if f := got[o]; !strings.Contains(f.Explanation, "O1: record R1 on 2025-03-01") || !strings.Contains(f.Explanation, "O2: record R2 on 2025-03-04") || !strings.Contains(f.Explanation, "P1") {
			t.Fatalf("%s: %s", o, f.Explanation)
		}
	}
	// DESIGN's innocent explanation: assigned to the case until the day before
	if f := got["O7"]; !strings.Contains(f.InnocentExplanation, "assigned to case C7 until 2025-04-30, 1 day before this look-up") {
		t.Fatalf("O7's innocent explanation: %q", f.InnocentExplanation)
	}
}

func TestCoAccusedCrew(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		# O2 was cleared in both complaints: its innocent explanation
		(O1:Officer)-[:NAMED_IN {role:'accused', finding:'sustained'}]->(CR1:Complaint)<-[:NAMED_IN {role:'accused', finding:'exonerated'}]-(O2:Officer)
		(O1)-[:NAMED_IN {role:'accused'}]->(CR2:Complaint)<-[:NAMED_IN {role:'accused', finding:'unfounded'}]-(O2)
		# trap: co-accused once
		(O3:Officer)-[:NAMED_IN {role:'accused'}]->(CR3:Complaint)<-[:NAMED_IN {role:'accused'}]-(O4:Officer)
		# trap: the second shared complaint names 21 officers
		(O5:Officer)-[:NAMED_IN {role:'accused'}]->(CR5:Complaint)<-[:NAMED_IN {role:'accused'}]-(O6:Officer)
		(O5)-[:NAMED_IN {role:'accused'}]->(CR6:Complaint)<-[:NAMED_IN {role:'accused'}]-(O6)
		# trap: a witness is not co-accused
		(O7:Officer)-[:NAMED_IN {role:'accused'}]->(CR7:Complaint)<-[:NAMED_IN {role:'accused'}]-(O8:Officer)
		(O7)-[:NAMED_IN {role:'accused'}]->(CR8:Complaint)<-[:NAMED_IN {role:'witness'}]-(O8)
	`)
	run(t, s, `MATCH (c:Complaint {id: 'CR6'}) UNWIND range(1, 19) AS i CREATE (:Officer:Party {id: 'W' + i})-[:NAMED_IN {role: 'witness'}]->(c)`)
	got := scanAll(t, s, only(graph.PatCoAccusedCrew))[graph.PatCoAccusedCrew]
	wantOfficers(t, graph.PatCoAccusedCrew, got, "O1", "O2")
	if f := got["O1"]; !strings.Contains(f.Explanation, "CR1, CR2") || !strings.Contains(f.Explanation, "1 of the 2") {
		t.Fatalf("O1: %s", f.Explanation)
	}
	if o1, o2 := got["O1"].InnocentExplanation, got["O2"].InnocentExplanation; o1 != "" ||
		!strings.Contains(o2, "cleared (exonerated or unfounded) in all 2 shared complaints") {
		t.Fatalf("innocent explanations: O1 (sustained) %q, O2 (cleared twice) %q", o1, o2)
	}
	// with 20 named officers the complaint counts
	run(t, s, `MATCH (:Officer {id: 'W19'})-[n:NAMED_IN]->(:Complaint {id: 'CR6'}) DELETE n`)
	got = scanAll(t, s, only(graph.PatCoAccusedCrew))[graph.PatCoAccusedCrew]
	wantOfficers(t, graph.PatCoAccusedCrew, got, "O1", "O2", "O5", "O6")
	// an officer named twice in it (two roles) is still one of its 20 officers
	run(t, s, `MATCH (w:Officer {id: 'W1'}), (c:Complaint {id: 'CR6'}) CREATE (w)-[:NAMED_IN {role: 'investigator'}]->(c)`)
	got = scanAll(t, s, only(graph.PatCoAccusedCrew))[graph.PatCoAccusedCrew]
	wantOfficers(t, graph.PatCoAccusedCrew, got, "O1", "O2", "O5", "O6")
}

// TestCoAccusedCrewScore: scored higher for sustained findings and larger
// crews (DESIGN), by count: 2 sustained of 6 shared complaints above 1 of 2,
// a crew of 7 above a crew of 2 with the same complaints, and no ceiling
// at 5 officers.
func TestCoAccusedCrewScore(t *testing.T) {
	s := graphtest.Open(t)
	// A1-A2: 2 shared complaints, 1 sustained. B1-B2: 6 shared, 2 sustained.
	// C1 with C2..C7 (a crew of 7), D1 with D2..D6 (a crew of 6): 2 each, none sustained.
	run(t, s, `UNWIND [['A', 2, 1], ['B', 6, 2]] AS crew
		MERGE (o1:Officer:Party {id: crew[0] + '1'}) MERGE (o2:Officer:Party {id: crew[0] + '2'})
		WITH crew, o1, o2 UNWIND range(1, crew[1]) AS i
		CREATE (c:Complaint {id: crew[0] + '-CR' + i})
		CREATE (o1)-[:NAMED_IN {role: 'accused', finding: CASE WHEN i <= crew[2] THEN 'sustained' ELSE 'not_sustained' END}]->(c)
		CREATE (o2)-[:NAMED_IN {role: 'accused', finding: 'not_sustained'}]->(c)`)
	run(t, s, `UNWIND [['C', 7], ['D', 6]] AS crew
		MERGE (lead:Officer:Party {id: crew[0] + '1'})
		WITH crew, lead UNWIND range(2, crew[1]) AS j
		CREATE (p:Officer:Party {id: crew[0] + j})
		WITH crew, lead, p, j UNWIND range(1, 2) AS i
		CREATE (c:Complaint {id: crew[0] + j + '-CR' + i})
		CREATE (lead)-[:NAMED_IN {role: 'accused'}]->(c), (p)-[:NAMED_IN {role: 'accused'}]->(c)`)
	run(t, s, `MATCH (o:Officer) WHERE o.id IN ['D1', 'D2', 'D4'] SET o.unit = 'U9'`)
	got := scanAll(t, s, only(graph.PatCoAccusedCrew))[graph.PatCoAccusedCrew]
	score := func(o string) float64 { return got[o].Score }
	if !(score("B1") > score("A1")) {
		t.Errorf("2 sustained of 6 shared (%.3f) should score above 1 of 2 (%.3f)", score("B1"), score("A1"))
	}
	if !(score("C1") > score("D1") && score("D1") > score("C2")) {
		t.Errorf("crew of 7 %.3f, crew of 6 %.3f, a member with one partner %.3f: want larger crews higher", score("C1"), score("D1"), score("C2"))
	}
	if f := got["B1"]; !strings.Contains(f.Explanation, "2 of the 6 shared complaints had a sustained finding against the officer or a crew partner (2 against the officer)") ||
		strings.Contains(f.InnocentExplanation, "none of the sustained") {
		t.Errorf("B1: %s / %s", f.Explanation, f.InnocentExplanation)
	}
	// B2 was sustained in none of them: its score counts B1's findings, and it says so
	if f := got["B2"]; !strings.Contains(f.Explanation, "(0 against the officer)") || f.InnocentExplanation != "none of the sustained findings is against the officer" {
		t.Errorf("B2: %s / %s", f.Explanation, f.InnocentExplanation)
	}
	// no finding sustained, and a partner of the same unit: innocent readings (analystZ: many crews had none)
	if f := got["C1"]; f.InnocentExplanation != "none of the shared complaints was sustained against anyone in the crew" {
		t.Errorf("C1: %q", f.InnocentExplanation)
	}
	// every partner of the officer's unit, not only the top one (analystA)
	if f := got["D1"]; !strings.HasSuffix(f.InnocentExplanation, "; the officer and D2, D4 serve in the same unit (U9): officers who attend an incident together are named together") {
		t.Errorf("D1: %q", f.InnocentExplanation)
	}
}

func TestTripwire(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(RW:Record {kind:'operation'})
		(O2:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(RW)-[:PART_OF]->(CW:Case)<-[:ASSIGNED_TO {from: date('2025-01-01')}]-(O2)
		(O3:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(RP:Record)-[:ABOUT]->(PW:Person {highProfile:true})
		(O4:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z')}]->(RX:Record)
		(O5:Officer)-[:ACCESSED {at: datetime('2025-03-02T10:00:00Z')}]->(RS:Record)-[:PART_OF]->(CS:Case)
		(O6:Officer)-[:ACCESSED {at: datetime('2025-03-02T10:00:00Z')}]->(RS)
		(O6)-[:ASSIGNED_TO {from: date('2025-01-01')}]->(CS)
		(O6)-[:USES_PHONE]->(PH:Phone)
		(O7:Officer)-[:ACCESSED {at: datetime('2099-01-01T10:00:00Z')}]->(RW)
	`)
	ctx := context.Background()
	if _, err := s.AddWatch(ctx, "RW", "Operation Lantern", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddWatch(ctx, "PW", "public figure", "admin"); err != nil {
		t.Fatal(err)
	}
	// a sensitive operation: every record of case CS
	if _, err := s.AddWatch(ctx, "CS", "Operation Sable", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddWatch(ctx, "NOPE", "a typo of an id", "admin"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("watching an unknown id: %v", err)
	}
	// nothing is looked up about a phone: a watch on it could never fire
	if _, err := s.AddWatch(ctx, "PH", "switchboard", "admin"); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), "PH is a Phone") {
		t.Fatalf("watching a phone: %v", err)
	}
	got := scanAll(t, s, only(graph.PatTripwire))[graph.PatTripwire]
	wantOfficers(t, graph.PatTripwire, got, "O1", "O3", "O5", "O7")
	if !strings.Contains(got["O1"].Explanation, "Operation Lantern") {
		t.Fatalf("O1: %s", got["O1"].Explanation)
	}
	// a look-up made before the record was watched says so; one after does not
	today := time.Now().UTC().Format("2006-01-02")
	if want := "the look-up on 2025-03-01 came before the watch item was added on " + today; got["O1"].InnocentExplanation != want {
		t.Fatalf("O1's innocent explanation %q, want %q", got["O1"].InnocentExplanation, want)
	}
	if got["O7"].InnocentExplanation != "" {
		t.Fatalf("O7 looked up a record already watched: %q", got["O7"].InnocentExplanation)
	}
	f := got["O5"]
	if !strings.Contains(f.Explanation, "record RS of watched case CS") || !strings.Contains(f.Explanation, "Operation Sable") {
		t.Fatalf("O5: %s", f.Explanation)
	}
	var partOf bool
	for _, e := range f.Evidence.Edges {
		partOf = partOf || e.Type == probity.RelPartOf && e.From == "RS" && e.To == "CS"
	}
	if !partOf {
		t.Fatalf("O5's evidence %+v lacks RS PART_OF CS", f.Evidence.Edges)
	}
	ws, _ := s.Watches(ctx)
	if len(ws) != 3 {
		t.Fatalf("watches = %v", ws)
	}
	if err := s.RemoveWatch(ctx, "RW"); err != nil {
		t.Fatal(err)
	}
	if ws, _ := s.Watches(ctx); len(ws) != 2 || ws[0].EntityID != "PW" {
		t.Fatalf("after remove: %v", ws)
	}
}

func TestSimilarToConfirmed(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(CO1:Officer)-[:SUBJECT_OF {outcome:'proven', category:'data misuse'}]->(M1:MisconductCase)
		(CO1)-[:NAMED_IN {role:'accused'}]->(CRa:Complaint)
		(CO1)-[:NAMED_IN {role:'accused'}]->(CRb:Complaint)
		(CO2:Officer)-[:SUBJECT_OF {outcome:'not_proven'}]->(M2:MisconductCase)
		(O2:Officer)-[:NAMED_IN {role:'accused'}]->(CRc:Complaint)
		(O2)-[:NAMED_IN {role:'accused'}]->(CRd:Complaint)
		(O3:Officer)
		(O4:Officer)
	`)
	accesses(t, s, "CO1", 10)
	accesses(t, s, "O2", 8)
	accesses(t, s, "CO2", 10)
	// O3's look-ups are all assigned; O4 has one unassigned in ten
	run(t, s, `CREATE (c:Case {id: 'C3'}) WITH c MATCH (o:Officer) WHERE o.id IN ['O3', 'O4']
		CREATE (o)-[:ASSIGNED_TO {from: date('2024-01-01')}]->(c)
		WITH o, c UNWIND range(1, 10) AS i
		CREATE (o)-[:ACCESSED {at: datetime('2025-02-01T10:00:00Z') + duration({days: i})}]->(r:Record {id: 'R-' + o.id + '-' + i})
		FOREACH (_ IN CASE WHEN o.id = 'O3' OR i > 1 THEN [1] ELSE [] END | CREATE (r)-[:PART_OF]->(c))`)
	got := scanAll(t, s, only(graph.PatSimilarToConfirmed))[graph.PatSimilarToConfirmed]
	wantOfficers(t, graph.PatSimilarToConfirmed, got, "O2")
	f := got["O2"]
	if !strings.Contains(f.Explanation, "CO1 (proven case M1") || f.Score < 0.9 {
		t.Fatalf("O2: %.3f %s", f.Score, f.Explanation)
	}
	// a scaled part says its count, the rate what it is of; two complaints,
	// none sustained, and a rate of 8 look-ups: innocent readings
	// (analystZ, rulesM M2)
	if !strings.Contains(f.Explanation, "complaints 1.00 (2)") || !strings.Contains(f.Explanation, "unassignedRate 1.00 (8 of 8 look-ups)") ||
		f.InnocentExplanation != "the unassigned-access rate is of 8 look-ups only, a weak likeness: one look-up more or less would move it by a tenth or more; "+
			"none of the 2 complaints naming the officer as accused was sustained: a complaint is an allegation, not a finding" {
		t.Fatalf("O2: %s | %s", f.Explanation, f.InnocentExplanation)
	}
	// The chart connects the flagged officer to the confirmed one and its case.
	var similar, proven bool
	for _, e := range f.Evidence.Edges {
		similar = similar || e.Type == graph.RelSimilarTo && e.From == "O2" && e.To == "CO1" && e.Props["similarity"] == f.Score
		proven = proven || e.Type == probity.RelSubjectOf && e.From == "CO1" && e.To == "M1"
	}
	if !similar || !proven {
		t.Fatalf("O2's evidence edges %+v lack SIMILAR_TO CO1 (similarity %.3f) or CO1's SUBJECT_OF M1", f.Evidence.Edges, f.Score)
	}
	if r, err := s.Scan(context.Background(), only(graph.PatSimilarToConfirmed)); err != nil || r.Patterns[0].Note != "" {
		t.Fatalf("a note with confirmed officers: %+v, %v", r.Patterns, err)
	}

	// Only an officer's current flags are signals: O3 (no unassigned
	// access, no complaint) has a flag superseded by a newer one of its
	// pattern and officer, which puts nothing in its profile; once that flag
	// stands again, O3 is ranked too (O2, CO2 and O4 before).
	ranks := func(want string) {
		t.Helper()
		got := scanAll(t, s, only(graph.PatSimilarToConfirmed))[graph.PatSimilarToConfirmed]
		if !strings.Contains(got["O2"].Explanation, want) {
			t.Fatalf("O2 %s, want %q", got["O2"].Explanation, want)
		}
	}
	run(t, s, `MATCH (o:Officer {id: 'O3'}) CREATE (:Flag {id: 'F-O3', pattern: '`+graph.PatTripwire+`', score: 0.9, status: 'new', supersededBy: 'F-O3b'})-[:CONCERNS]->(o)`)
	ranks("ranks 1 of 3 ")
	run(t, s, `MATCH (f:Flag {id: 'F-O3'}) SET f.supersededBy = null`)
	ranks("ranks 1 of 4 ")
	run(t, s, `MATCH (f:Flag {id: 'F-O3'}) DETACH DELETE f`)

	// With no proven case left there is nothing to compare with, and the
	// run says so instead of a bare 0 hits.
	run(t, s, `MATCH (:Officer {id: 'CO1'})-[r:SUBJECT_OF]->() SET r.outcome = 'dismissed'`)
	r, err := s.Scan(context.Background(), only(graph.PatSimilarToConfirmed))
	if err != nil || r.Patterns[0].Hits != 0 || !strings.Contains(r.Patterns[0].Note, "no officer with proven misconduct") {
		t.Fatalf("no confirmed officer: %+v, %v", r.Patterns, err)
	}
}

// TestSimilarToConfirmedTiesByCount: officers whose every access was
// unassigned share a rate of 1 with the confirmed officer, whatever their
// count; the tie goes to the one whose count is nearer the confirmed
// officer's (v6), not to the first officer id (rulesF).
func TestSimilarToConfirmedTiesByCount(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(CO:Officer)-[:SUBJECT_OF {outcome:'proven'}]->(M:MisconductCase)
		(A1:Officer)
		(A2:Officer)
		(R1:Officer)
	`)
	accesses(t, s, "CO", 8)
	accesses(t, s, "A1", 1)
	accesses(t, s, "A2", 2)
	accesses(t, s, "R1", 8)
	got := scanAll(t, s, only(graph.PatSimilarToConfirmed))[graph.PatSimilarToConfirmed]
	wantOfficers(t, graph.PatSimilarToConfirmed, got, "A1", "A2", "R1")
	// the scores order them too (the queue, the CSV export, eval's precision@k)
	for id, c := range map[string]struct {
		rank  string
		score float64
	}{"R1": {"ranks 1 of 3 ", 1}, "A2": {"ranks 2 of 3 ", 0.999}, "A1": {"ranks 3 of 3 ", 0.998}} {
		if f := got[id]; f.Score != c.score || !strings.Contains(f.Explanation, c.rank) || !strings.Contains(f.Explanation, "similarity 1.00") {
			t.Errorf("%s: %.3f %s; want score %.3f, similarity 1 and %q", id, f.Score, f.Explanation, c.score, c.rank)
		}
	}
}

// An officer exactly at minSimilarity (0.75: distance 1/3, whose
// 1/(1+distance) is 0.7499999999999999 in floating point) is flagged, as
// "similarity ≥ minSimilarity" says (rulesL's minimal set: OB is 1/3 from
// the proven OA in the unit profile, OC farther).
func TestSimilarToConfirmedAtTheBound(t *testing.T) {
	s := graphtest.Open(t)
	var complaints, parties strings.Builder
	complaints.WriteString("complaint_id,received,category,status\n")
	parties.WriteString("complaint_id,officer_id,role,finding,penalty\n")
	for i, who := range []string{"OA", "OB", "OC", "OC", "OC", "OC", "OC", "OC", "OC"} {
		finding := "sustained"
		if who == "OA" {
			finding = "not_sustained"
		}
		fmt.Fprintf(&complaints, "C%d,2022-01-%02d,conduct,closed\n", i+1, i+1)
		fmt.Fprintf(&parties, "C%d,%s,accused,%s,\n", i+1, who, finding)
	}
	loadSet(t, s, writeSet(t, map[string]string{
		"officers.csv":           "officer_id,name,rank,unit,role,start_date,status\nOA,A,PC,U1,patrol,2010-01-01,active\nOB,B,PC,U1,patrol,2010-01-01,active\nOC,C,PC,U1,patrol,2010-01-01,active\n",
		"complaints.csv":         complaints.String(),
		"complaint_officers.csv": parties.String(),
		"misconduct_history.csv": "case_id,officer_id,category,outcome,decided_on\nM1,OA,conduct,proven,2021-01-01\n",
	}), graph.LoadOptions{})
	got := scanAll(t, s, only(graph.PatSimilarToConfirmed))[graph.PatSimilarToConfirmed]
	wantOfficers(t, graph.PatSimilarToConfirmed, got, "OB")
	if f := got["OB"]; !strings.Contains(f.Explanation, "similarity 0.75") {
		t.Errorf("OB: %s", f.Explanation)
	}
}

func TestScanWindow(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type:'family'}]->(F1:Person)<-[:ABOUT]-(R1:Record)<-[:ACCESSED {at: datetime('2025-01-31T23:59:00Z')}]-(O1)
		(O2:Officer)-[:RELATED_TO {type:'family'}]->(F2:Person)<-[:ABOUT]-(R2:Record)<-[:ACCESSED {at: datetime('2025-02-28T23:59:00Z')}]-(O2)
		(O3:Officer)-[:RELATED_TO {type:'family'}]->(F3:Person)<-[:ABOUT]-(R3:Record)<-[:ACCESSED {at: datetime('2025-03-01T00:00:00Z')}]-(O3)
	`)
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	opts := only(graph.PatPersonalInterest)
	opts.From, opts.To = day("2025-02-01"), day("2025-02-28")
	got := scanAll(t, s, opts)[graph.PatPersonalInterest]
	wantOfficers(t, graph.PatPersonalInterest, got, "O2")
	if _, err := s.Scan(context.Background(), probity.ScanOptions{From: day("2025-03-01"), To: day("2025-02-01")}); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("reversed window: %v", err)
	}
}

// TestSimilarToConfirmedWindow: in a scan of a window the complaints of
// the profile are those received in it, as for every event (v5).
func TestSimilarToConfirmedWindow(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(C1:Officer)-[:SUBJECT_OF {outcome: 'proven'}]->(:MisconductCase {id: 'MC1'})
		(X1:Officer)
		(Y1:Officer)
		(C1)-[:NAMED_IN {role: 'accused', finding: 'sustained'}]->(K1:Complaint {received: date('2023-05-01')})
		(X1)-[:NAMED_IN {role: 'accused', finding: 'sustained'}]->(K2:Complaint {received: date('2023-06-01')})
		(Y1)-[:NAMED_IN {role: 'accused'}]->(K3:Complaint {received: date('2025-03-01')})
	`)
	day := func(d string) time.Time { t, _ := time.Parse("2006-01-02", d); return t }
	opts := only(graph.PatSimilarToConfirmed)
	got := scanAll(t, s, opts)[graph.PatSimilarToConfirmed]
	wantOfficers(t, graph.PatSimilarToConfirmed, got, "X1") // all the data: X1's sustained complaint is C1's
	opts.From, opts.To = day("2025-01-01"), day("2025-12-31")
	r, err := s.Scan(context.Background(), opts)
	if err != nil || r.NewFlags != 0 || r.Patterns[0].Hits != 0 {
		t.Fatalf("a 2025 window, where C1 and X1 have no complaint: %+v, %v", r.Patterns, err)
	}
}
