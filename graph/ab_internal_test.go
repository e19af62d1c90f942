package graph

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"text/template"
	"time"
)

// TestABAggregates (manual, PROBITY_TIME_URI): the old access-volume and
// attendance-mismatch queries against officer-aggregates, on the same officers.
func TestABAggregates(t *testing.T) {
	uri := os.Getenv("PROBITY_TIME_URI")
	if uri == "" {
		t.Skip("PROBITY_TIME_URI not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, Config{URI: uri, Password: "probity-local"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.query(ctx, "MATCH (o:Officer) RETURN o.id ORDER BY o.id LIMIT 3000", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var ids []any
	for _, r := range res.Records {
		ids = append(ids, r.Values[0])
	}
	expand := func(file string) string {
		src, _ := os.ReadFile(file)
		tp := template.Must(template.New(file).Funcs(cypherFuncs).Parse(string(src)))
		var b bytes.Buffer
		tp.Execute(&b, nil)
		return b.String()
	}
	p := windowParams(time.Time{}, time.Time{})
	p["sample"] = int64(25)
	p["minDays"] = int64(3)
	for round := 0; round < 2; round++ {
		for _, q := range []struct{ name, cypher string }{{"old-volume", expand("/tmp/incr4/old-volume.cypher")},
			{"old-attendance", expand("/tmp/incr4/old-att.cypher")}, {"officer-aggregates", officerAggregatesCypher}} {
			p["officers"] = ids
			if q.name == "old-volume" {
				q.cypher = strings.Replace(q.cypher, "\nMATCH (o:Officer)\n", "\nMATCH (o:Officer) WHERE o.id IN $officers\n", 1)
			}
			t0 := time.Now()
			r, err := s.query(ctx, q.cypher, p, false)
			if err != nil {
				t.Fatalf("%s: %v", q.name, err)
			}
			t.Logf("%-20s %5d rows %v", q.name, len(r.Records), time.Since(t0).Round(time.Millisecond))
		}
	}
}
