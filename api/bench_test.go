package api_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"probity"
	"probity/api"
	"probity/graph/graphtest"
)

// benchGraph is a synthetic force: 2,000 officers, 20,000 persons, 8,000
// addresses (20 of them hubs with 400+ residents), 40,000 records each
// accessed once and about one person, an account per party, 20,000
// payments and 6,667 family relations.
var benchGraph = []string{
	`UNWIND range(0, 1999) AS i CREATE (:Officer:Party {id: 'O' + i, name: 'Officer ' + i, unit: 'U' + (i % 20), role: 'PC'})`,
	`UNWIND range(0, 19999) AS i CREATE (:Person:Party {id: 'P' + i, name: 'Person ' + i, poi: i % 100 = 0, highProfile: false})`,
	`UNWIND range(0, 7999) AS i CREATE (:Address {id: 'A' + i, line: i + ' Long Road', postcode: 'PC' + i})`,
	`UNWIND range(0, 39999) AS i CREATE (:Record {id: 'R' + i, system: 'PNC', kind: 'person'})`,
	`UNWIND range(0, 21999) AS i CREATE (:Account {id: 'AC' + i, bank: 'B' + (i % 7)})`,
	`UNWIND range(0, 19999) AS j MATCH (p:Person {id: 'P' + j}), (a:Address {id: 'A' + CASE WHEN j % 50 = 0 THEN j % 20 ELSE (j * 13) % 8000 END})
	 CREATE (p)-[:LIVES_AT {from: date('2020-01-01')}]->(a)`,
	`UNWIND range(0, 1999) AS i MATCH (o:Officer {id: 'O' + i}), (a:Address {id: 'A' + ((i * 7) % 8000)}) CREATE (o)-[:LIVES_AT {from: date('2019-01-01')}]->(a)`,
	`UNWIND range(0, 39999) AS r MATCH (o:Officer {id: 'O' + (r % 2000)}), (rec:Record {id: 'R' + r}), (p:Person {id: 'P' + (r % 20000)})
	 CREATE (o)-[:ACCESSED {at: datetime('2024-01-01T00:00:00Z') + duration({hours: r}), channel: 'onsite'}]->(rec)-[:ABOUT]->(p)`,
	`UNWIND range(0, 19999) AS j MATCH (p:Person {id: 'P' + j}), (a:Account {id: 'AC' + j}) CREATE (p)-[:HOLDS]->(a)`,
	`UNWIND range(0, 1999) AS i MATCH (o:Officer {id: 'O' + i}), (a:Account {id: 'AC' + (20000 + i)}) CREATE (o)-[:HOLDS]->(a)`,
	`UNWIND range(0, 19999) AS j MATCH (a:Account {id: 'AC' + j}), (b:Account {id: 'AC' + ((j * 7 + 3) % 22000)})
	 CREATE (a)-[:PAID {id: 'PAY' + j, amount: 10.0 + j % 500, currency: 'GBP', at: datetime('2024-01-01T00:00:00Z') + duration({hours: j})}]->(b)`,
	`UNWIND range(0, 19999, 3) AS j MATCH (a:Person {id: 'P' + j}), (b:Person {id: 'P' + ((j + 1) % 20000)}) CREATE (a)-[:RELATED_TO {type: 'family'}]->(b)`,
}

func BenchmarkAPI(b *testing.B) {
	store := graphtest.Open(b)
	ctx := context.Background()
	start := time.Now()
	for _, q := range benchGraph {
		if err := store.RunForTest(ctx, q); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
	b.Logf("synthetic graph built in %v", time.Since(start))
	if err := store.RunForTest(ctx, `CALL db.awaitIndexes(300)`); err != nil {
		b.Fatal(err)
	}
	secret, tok, _ := api.NewToken("bench", probity.RoleAnalyst)
	if err := store.CreateToken(ctx, tok); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Graph: store, Tokens: store, Audit: store, PseudonymKey: []byte("bench")}))
	defer srv.Close()
	h := &harness{srv: srv}
	for _, c := range []struct{ name, query string }{
		{"search", `{ search(text: "Person 1234") { id } }`},
		{"officers-with-accesses-200", `{ search(text: "Officer", types: [Officer], first: 200) { ... on Officer { accesses(first: 20) { edges { at record { id } } } } } }`},
		{"neighbourhood-depth2", `{ neighbourhood(ids: ["Officer:O7"], depth: 2, limit: 500) { nodes { id } edges { id } truncated } }`},
		{"neighbourhood-depth3", `{ neighbourhood(ids: ["Officer:O7"], depth: 3, limit: 500) { nodes { id } edges { id } truncated } }`},
		{"paths-6-hops", `{ paths(from: "Officer:O7", to: "Person:P12345", maxHops: 6, relTypes: [LIVES_AT, HOLDS, PAID, RELATED_TO]) { paths { length } truncated } }`},
		{"timeline", `{ timeline(ids: ["Officer:O7", "Person:P7"]) { events { at } } }`},
	} {
		b.Run(c.name, func(b *testing.B) {
			h.t = b
			for i := 0; i < 2; i++ { // warm the plan cache and the page cache
				h.post(secret, c.query, nil)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := h.post(secret, c.query, nil)
				if r.status != 200 || len(r.Errors) > 0 {
					b.Fatalf("%d %+v", r.status, r.Errors)
				}
			}
		})
	}
}
