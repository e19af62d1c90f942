package graph

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestTimeIncrementalQueries (manual, PROBITY_TIME_URI): times the
// incremental scan's queries one by one against a loaded store.
func TestTimeIncrementalQueries(t *testing.T) {
	uri := os.Getenv("PROBITY_TIME_URI")
	if uri == "" {
		t.Skip("PROBITY_TIME_URI not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, Config{URI: uri, User: "neo4j", Password: "probity-local", Database: "neo4j"})
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2025, 12, 31, 19, 59, 0, 0, time.UTC)
	p := map[string]any{"since": since, "sinceDay": neo4j.DateOf(since), "all": false, "hubDegree": int64(20), "family": familyTypes,
		"dayList": []any{neo4j.DateOf(since.AddDate(0, 0, 1))}, "fromMs": nil, "toMs": nil, "fromDay": nil, "toDay": nil,
		"late": []any{}, "days": int64(7), "hubs": []any{}}
	step := func(name, cypher string) []*neo4j.Record {
		t0 := time.Now()
		res, err := s.query(ctx, cypher, p, false)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%-20s %6d rows %v", name, len(res.Records), time.Since(t0).Round(time.Millisecond))
		return res.Records
	}
	step("watermark", watermarkCypher)
	r := step("new-links", newLinksCypher)
	p["links"] = r[0].Values[0]
	step("agg-check", aggCheckCypher)
	step("new-events", newEventsCypher)
	step("day-facts", dayFactsCypher)
	step("touched-association", touchedAssocCypher)
	step("touched-near", touchedNearCypher)
	step("touched-collusion", touchedCollusionCypher)
	step("agg-read", aggReadCypher)
	w := func(name, cypher string, params map[string]any) []*neo4j.Record {
		t0 := time.Now()
		res, err := s.query(ctx, cypher, params, true)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%-20s %6d rows %v", name, len(res.Records), time.Since(t0).Round(time.Millisecond))
		return res.Records
	}
	un := w("hubs-unsuppress", hubsUnsuppressCypher, nil)
	nodes := asList(un[0].Values[0])
	for _, l := range asList(p["links"]) {
		nodes = append(nodes, asMap(l)["x"], asMap(l)["y"])
	}
	w("hubs-new", hubsNewCypher, map[string]any{"nodes": nodes, "hubDegree": int64(20)})
	w("hubs-suppressed", hubsSuppressedCypher, nil)
	p["all"] = true
	all := step("agg-check all", aggCheckCypher)
	var rows []any
	for _, r := range all[:19000] {
		m := r.AsMap()
		rows = append(rows, map[string]any{"officer": m["officer"], "na": m["na"], "nw": m["nw"], "ns": m["ns"], "nas": m["nas"],
			"x": m["x0"], "days": m["days0"]})
	}
	t0 := time.Now()
	for i := 0; i < len(rows); i += 5000 {
		w("agg-write", aggWriteCypher, map[string]any{"rows": rows[i:min(len(rows), i+5000)]})
	}
	t.Logf("agg-write 19000 %v", time.Since(t0).Round(time.Millisecond))
}
