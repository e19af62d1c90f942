package graph

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestProfileIncrementalQueries (manual, PROBITY_TIME_URI): PROFILEs the
// incremental scan's queries against a loaded store, with the watermark
// 2025-12-31T19:59Z of the bench sets (docs/BENCHMARKS.md).
func TestProfileIncrementalQueries(t *testing.T) {
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
	p := map[string]any{"since": since, "sinceDay": neo4j.DateOf(since), "lastDay": neo4j.DateOf(since.AddDate(0, 1, 0)), "endedFrom": neo4j.DateOf(since), "all": false, "hubDegree": int64(20), "family": familyTypes,
		"dayList": []any{neo4j.DateOf(since.AddDate(0, 0, 1))}, "fromMs": nil, "toMs": nil, "fromDay": nil, "toDay": nil,
		"late": []any{}, "days": int64(7), "hubs": []any{}, "before": int64(30), "after": int64(90)}
	for k, v := range (aggStamps{access: since, swipe: since, shift: since}).after() {
		p[k] = v
	}
	only := os.Getenv("PROBITY_TIME_ONLY")
	for _, q := range []struct{ name, cypher string }{{"new-links", newLinksCypher}, {"agg-check", aggCheckCypher},
		{"new-events", newEventsCypher}, {"day-facts", dayFactsCypher}, {"touched-association", touchedAssocCypher},
		{"touched-near", touchedNearCypher}, {"touched-access", touchedAccessCypher}, {"touched-collusion", touchedCollusionCypher},
		{"agg-read", aggReadCypher}} {
		if only != "" && !strings.Contains(only, q.name) {
			continue
		}
		t0 := time.Now()
		res, err := s.query(ctx, "PROFILE "+q.cypher, p, false)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		if q.name == "new-links" {
			p["links"] = res.Records[0].Values[0]
		}
		var b strings.Builder
		var walk func(pl neo4j.ProfiledPlan, depth int)
		walk = func(pl neo4j.ProfiledPlan, depth int) {
			b.WriteString(strings.Repeat("  ", depth) + pl.Operator() + fmt.Sprintf(" rows=%d dbHits=%d\n", pl.Records(), pl.DbHits()))
			for _, c := range pl.Children() {
				walk(c, depth+1)
			}
		}
		if pr := res.Summary.Profile(); pr != nil {
			walk(pr, 0)
		}
		t.Logf("%s: %d rows, %v\n%s", q.name, len(res.Records), time.Since(t0).Round(time.Millisecond), b.String())
	}
}
