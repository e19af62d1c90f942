package graph_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"probity/graph/graphtest"
)

// TestProfilePatterns builds a small generated force (200 officers, records,
// cases, assignments, accesses, payments, addresses, a hub, complaints) and
// PROFILEs every pattern query: none may scan all nodes. With
// PROBITY_PROFILE_OUT set it writes the plans there for docs/patterns.md.
func TestProfilePatterns(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	for _, q := range []string{
		`UNWIND range(1, 200) AS i CREATE (o:Officer:Party {id: 'O' + i, unit: 'U' + (i % 5), role: CASE WHEN i % 3 = 0 THEN 'DC' ELSE 'PC' END, rank: 'PC'})
		 CREATE (o)-[:HOLDS]->(:Account {id: 'AO' + i}) CREATE (o)-[:LIVES_AT]->(:Address {id: 'AD' + i})`,
		`UNWIND range(1, 400) AS i CREATE (p:Person:Party {id: 'P' + i, poi: i % 20 = 0, highProfile: i % 50 = 0})
		 CREATE (p)-[:HOLDS]->(:Account {id: 'AP' + i})`,
		`UNWIND range(1, 400) AS i MATCH (p:Person {id: 'P' + i}), (a:Address {id: 'AD' + (i % 200 + 1)}) CREATE (p)-[:LIVES_AT]->(a)`,
		`UNWIND range(1, 300) AS i MATCH (a:Person {id: 'P' + i}), (b:Person {id: 'P' + (i * 7 % 400 + 1)}) CREATE (a)-[:RELATED_TO {type: CASE WHEN i % 2 = 0 THEN 'family' ELSE 'associate' END, source: 'test'}]->(b)`,
		`UNWIND range(1, 100) AS i MATCH (o:Officer {id: 'O' + i}), (p:Person {id: 'P' + (i * 3)}) CREATE (o)-[:RELATED_TO {type: 'family'}]->(p)`,
		`UNWIND range(1, 50) AS i CREATE (c:Case {id: 'C' + i})`,
		`UNWIND range(1, 1000) AS i MATCH (c:Case {id: 'C' + (i % 50 + 1)}), (p:Person {id: 'P' + (i % 400 + 1)})
		 CREATE (r:Record {id: 'R' + i})-[:ABOUT]->(p) FOREACH (_ IN CASE WHEN i % 4 > 0 THEN [1] ELSE [] END | CREATE (r)-[:PART_OF]->(c))`,
		`UNWIND range(1, 200) AS i MATCH (o:Officer {id: 'O' + i}), (c:Case {id: 'C' + (i % 50 + 1)}) CREATE (o)-[:ASSIGNED_TO {from: date('2025-01-01'), to: date('2025-06-30')}]->(c)`,
		`UNWIND range(1, 5000) AS i MATCH (o:Officer {id: 'O' + (i % 200 + 1)}), (r:Record {id: 'R' + (i * 13 % 1000 + 1)})
		 CREATE (o)-[:ACCESSED {at: datetime('2025-01-01T08:00:00Z') + duration({hours: i}), channel: CASE WHEN i % 5 = 0 THEN 'remote' ELSE 'onsite' END}]->(r)`,
		`UNWIND range(1, 600) AS i MATCH (a:Account {id: 'AP' + (i % 400 + 1)}), (b:Account {id: 'AO' + (i % 200 + 1)})
		 CREATE (a)-[:PAID {id: 'PAY' + i, amount: 100.0 + i, at: datetime('2025-01-01T00:00:00Z') + duration({days: i % 300})}]->(b)`,
		`MATCH (a:Address {id: 'AD1'}) UNWIND range(1, 30) AS i CREATE (:Person:Party {id: 'H' + i, poi: false, highProfile: false})-[:LIVES_AT]->(a)`,
		`UNWIND range(1, 200) AS i MATCH (o:Officer {id: 'O' + i}) UNWIND range(1, 10) AS d
		 CREATE (o)-[:WORKED]->(:Shift {id: o.id + '/' + d, date: date('2025-01-01') + duration({days: d}), declaredLocation: 'onsite'})`,
		`UNWIND range(1, 300) AS i MATCH (a:Officer {id: 'O' + (i % 200 + 1)}), (b:Officer {id: 'O' + (i * 7 % 200 + 1)})
		 CREATE (c:Complaint {id: 'CR' + i, received: date('2024-01-01')}) CREATE (a)-[:NAMED_IN {role: 'accused'}]->(c) MERGE (b)-[:NAMED_IN {role: 'accused'}]->(c)`,
		`UNWIND range(1, 20) AS i MATCH (o:Officer {id: 'O' + i}) CREATE (o)-[:SUBJECT_OF {outcome: 'proven'}]->(:MisconductCase {id: 'M' + i})`,
		`UNWIND range(1, 30) AS i MATCH (o:Officer {id: 'O' + i}), (c:Company) WHERE false CREATE (o)-[:DIRECTOR_OF]->(c)`,
		`UNWIND range(1, 40) AS i MATCH (p:Person {id: 'P' + i}) CREATE (p)-[:DIRECTOR_OF]->(c:Company:Party {id: 'CO' + i})-[:HOLDS]->(:Account {id: 'ACO' + i})`,
		`CREATE (:WatchItem {id: 'W1', entityId: 'P40', reason: 'test'})`,
		// flags just written, as by the patterns before similar-to-confirmed
		`UNWIND range(1, 300) AS i MATCH (o:Officer {id: 'O' + (i % 200 + 1)})
		 CREATE (:Flag {id: 'F' + i, pattern: 'co-accused-crew', officerId: o.id, status: 'new', score: 0.5})-[:CONCERNS]->(o)`,
	} {
		run(t, s, q)
	}
	if err := s.MarkHubs(ctx, 20); err != nil {
		t.Fatal(err)
	}
	profiles, err := s.ProfilePatterns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var doc strings.Builder
	for _, p := range profiles {
		t.Logf("%-28s rows %5d  dbHits %8d  %v", p.Pattern, p.Rows, p.DBHits, p.Operators)
		for _, op := range p.Operators {
			if op == "AllNodesScan" || op == "CartesianProduct" {
				t.Errorf("%s: plan uses %s:\n%s", p.Pattern, op, p.Plan)
			}
		}
		// Flags are read from each officer, never by scanning them all per
		// officer (planned while there were none, that took 90 s at 14,571
		// officers and 3,210 flags).
		if strings.Contains(p.Plan, ":Flag") {
			t.Errorf("%s: plan scans Flag nodes:\n%s", p.Pattern, p.Plan)
		}
		doc.WriteString("### " + p.Pattern + "\n\n```\n" + p.Plan + "```\n\n")
	}
	if out := os.Getenv("PROBITY_PROFILE_OUT"); out != "" {
		os.WriteFile(out, []byte(doc.String()), 0o644)
	}
}
