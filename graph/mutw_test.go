package graph_test

// mutW: integration tests (the test Neo4j) that kill mutants of this
// session's graph changes which the suite let survive. Each names its
// mutants (see /work/scratch/mutW/REPORT.md).

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// The volume note counts an officer alone with exactly minCount look-ups
// (kills P2: r.x > minCount), leaves out one a low minZ flags in a pair
// (kills P3: z <= minZ dropped), and a scan with no such officer has no
// note (kills P6: alone >= 0).
func TestMutWVolumeNoteBounds(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	if r, err := s.Scan(ctx, only(graph.PatVolumeOutlier)); err != nil || r.Patterns[0].Note != "" {
		t.Fatalf("no officer alone: note %q, %v", r.Patterns[0].Note, err)
	}
	run(t, s, `CREATE (:Officer:Party {id: 'LONE', unit: 'U9', role: 'Supt'})`)
	accesses(t, s, "LONE", 20) // exactly minCount
	r, err := s.Scan(ctx, only(graph.PatVolumeOutlier))
	if err != nil || !strings.Contains(r.Patterns[0].Note, "1 officer with at least 20 unassigned look-ups is in a peer group") {
		t.Fatalf("an officer alone with minCount look-ups: note %q, %v", r.Patterns[0].Note, err)
	}
	// minZ 0.5: of a pair, the officer with more look-ups has z 0.674 and
	// is flagged, so the rule judged it
	run(t, s, `CREATE (:Officer:Party {id: 'PAIR1', unit: 'U8', role: 'DS'}), (:Officer:Party {id: 'PAIR2', unit: 'U8', role: 'DS'})`)
	accesses(t, s, "PAIR1", 300)
	accesses(t, s, "PAIR2", 2)
	if _, err := s.SetThreshold(ctx, graph.PatVolumeOutlier, "minZ", "0.5", "mutW: a low minZ flags one of a pair", "admin"); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, s, only(graph.PatVolumeOutlier))[graph.PatVolumeOutlier]
	if _, ok := got["PAIR1"]; !ok {
		t.Fatalf("minZ 0.5 does not flag PAIR1: %v", got)
	}
	r, err = s.Scan(ctx, only(graph.PatVolumeOutlier))
	if err != nil || !strings.Contains(r.Patterns[0].Note, "1 officer with at least 20 unassigned look-ups is in") {
		t.Fatalf("minZ 0.5: note %q, %v; want LONE alone counted, not PAIR1 (flagged)", r.Patterns[0].Note, err)
	}
}

// A scan or a load is refused on a schema one version ahead, the next a
// newer binary would apply (kills D2: v > latest+1; the suite's schema test
// stores two newer versions).
func TestMutWNotAheadByOne(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	newer := graph.LatestSchemaVersion() + 1
	t.Cleanup(func() {
		_ = s.RunForTestParams(context.Background(), `MATCH (m:SchemaMigration {version: $v}) DELETE m`, map[string]any{"v": newer})
	})
	if err := s.RunForTestParams(ctx, `CREATE (:SchemaMigration {version: $v, name: 'mutW'})`, map[string]any{"v": newer}); err != nil {
		t.Fatal(err)
	}
	if err := s.NotAhead(ctx); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("NotAhead one version ahead: %v, want conflict", err)
	}
	if _, err := s.Scan(ctx, only(graph.PatVolumeOutlier)); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("scan one version ahead: %v, want conflict", err)
	}
}

// NotAhead on a store that cannot read the version is an error, not a
// go-ahead (kills D3).
func TestMutWNotAheadUnreadable(t *testing.T) {
	graphtest.Open(t)
	p := graphtest.NewProxy(t)
	s := p.Open(t, 3*time.Second)
	p.Down()
	if err := s.NotAhead(context.Background()); err == nil {
		t.Fatal("NotAhead with Neo4j gone: nil, want an error")
	}
}

// A mutation's audit head check with Neo4j gone answers within ~5 s (not
// the query time-out, 30 s), as EUNAVAILABLE (kills H1: s.timeout; H3: the
// driver's error passed without its code), and a caller's own deadline is
// not reported as Neo4j's (kills H2).
func TestMutWAuditHeadWithNeo4jGone(t *testing.T) {
	graphtest.Open(t)
	ctx := context.Background()
	p := graphtest.NewProxy(t)
	s := p.Open(t, 30*time.Second)
	if _, err := s.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC(), Actor: "mutW", Role: probity.RoleAnalyst, Operation: "node", Purpose: "mutW"}); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAuditHead(ctx); err != nil {
		t.Fatalf("head with Neo4j up: %v", err)
	}
	p.Down()
	start := time.Now()
	err := s.CheckAuditHead(ctx)
	took := time.Since(start)
	t.Logf("Neo4j gone: %v after %v", err, took)
	if probity.ErrorCode(err) != probity.EUNAVAILABLE || took > 12*time.Second {
		t.Fatalf("head with Neo4j gone: %v after %v; want EUNAVAILABLE within ~5 s", err, took)
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	err = s.CheckAuditHead(short)
	t.Logf("caller's deadline: %v", err)
	if err == nil || strings.Contains(err.Error(), "did not answer within") && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("head past the caller's deadline: %v", err)
	}
	if strings.Contains(err.Error(), "did not answer within") {
		t.Fatalf("the caller's deadline reported as Neo4j's: %v", err)
	}
}

// The rate's look-ups are the unassigned ones of all (kills S7: the two
// swapped, which the suite's officers, every look-up unassigned, cannot
// tell).
func TestMutWSimilarRateOfLookups(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(CO1:Officer)-[:SUBJECT_OF {outcome:'proven', category:'data misuse'}]->(M1:MisconductCase)
		(CO1)-[:NAMED_IN {role:'accused'}]->(CRa:Complaint)
		(CO1)-[:NAMED_IN {role:'accused'}]->(CRb:Complaint)
		(O5:Officer)-[:NAMED_IN {role:'accused'}]->(CRc:Complaint)
		(O5)-[:NAMED_IN {role:'accused'}]->(CRd:Complaint)
	`)
	accesses(t, s, "CO1", 10)
	// O5: nine of its ten look-ups unassigned
	run(t, s, `CREATE (c:Case {id: 'C5'}) WITH c MATCH (o:Officer {id: 'O5'})
		CREATE (o)-[:ASSIGNED_TO {from: date('2024-01-01')}]->(c)
		WITH o, c UNWIND range(1, 10) AS i
		CREATE (o)-[:ACCESSED {at: datetime('2025-02-01T10:00:00Z') + duration({days: i})}]->(r:Record {id: 'R-' + o.id + '-' + i})
		FOREACH (_ IN CASE WHEN i = 1 THEN [1] ELSE [] END | CREATE (r)-[:PART_OF]->(c))`)
	got := scanAll(t, s, only(graph.PatSimilarToConfirmed))[graph.PatSimilarToConfirmed]
	f, ok := got["O5"]
	if !ok || !strings.Contains(f.Explanation, "unassignedRate 0.90 (9 of 10 look-ups)") {
		t.Fatalf("O5 (9 of 10 unassigned): %v %q", ok, f.Explanation)
	}
}
