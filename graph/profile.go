package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// QueryProfile is what PROFILE reports for one pattern query.
type QueryProfile struct {
	Pattern   string
	Rows      int
	DBHits    int64
	Operators []string // distinct operator names, sorted
	Plan      string   // the operator tree, one operator a line
}

// ProfilePatterns runs every pattern query once under PROFILE with default
// parameters and the whole window (docs/patterns.md shows the results).
func (s *Store) ProfilePatterns(ctx context.Context) ([]QueryProfile, error) {
	sc := &scan{ctx: ctx, s: s}
	sc.base = baseParams(time.Time{}, time.Time{}, time.Now())
	type named struct{ name, cypher string }
	var queries []named
	for _, p := range library {
		if p.cypher != "" {
			queries = append(queries, named{p.info.Name, p.cypher})
		}
	}
	queries = append(queries, named{"similar-profile", similarProfileCypher}, named{"watermark", watermarkCypher},
		named{"agg-check", aggCheckCypher}, named{"new-events", newEventsCypher},
		named{"day-facts", dayFactsCypher}, named{"officer-aggregates", officerAggregatesCypher}, named{"new-links", newLinksCypher},
		named{"touched-association", touchedAssocCypher}, named{"touched-near", touchedNearCypher}, named{"touched-access", touchedAccessCypher},
		named{"touched-collusion", touchedCollusionCypher}, named{"touched-loaded", touchedLoadedCypher}, named{"agg-watermark", aggWatermarkCypher})
	since := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []QueryProfile
	for _, q := range queries {
		params := map[string]any{"sample": int64(volumeSample), "self": PatSimilarToConfirmed, "since": since, "sinceDay": neo4j.DateOf(since),
			"all": true, "force": []any{}, "loadedFrom": since, "lastDay": neo4j.DateOf(since.AddDate(0, 6, 0)), "endedFrom": neo4j.DateOf(since), "late": []any{}, "links": []any{}, "hubs": []any{}, "dayList": []any{neo4j.DateOf(since.AddDate(0, 5, 0))},
			"days": int64(7), "before": int64(30), "after": int64(90)}
		for k, v := range (aggStamps{access: since, swipe: since, shift: since}).after() {
			params[k] = v
		}
		for k, v := range sc.base {
			params[k] = v
		}
		if p, err := patternByName(q.name); err == nil {
			for k, v := range p.params() {
				params[k] = v
			}
		}
		res, err := s.query(ctx, "PROFILE "+q.cypher, params, false)
		if err != nil {
			return out, fmt.Errorf("profile %s: %w", q.name, err)
		}
		qp := QueryProfile{Pattern: q.name, Rows: len(res.Records)}
		ops := map[string]bool{}
		var b strings.Builder
		var walk func(p neo4j.ProfiledPlan, depth int)
		walk = func(p neo4j.ProfiledPlan, depth int) {
			op := strings.TrimSuffix(p.Operator(), "@neo4j")
			ops[op] = true
			qp.DBHits += p.DbHits()
			fmt.Fprintf(&b, "%s%s rows=%d dbHits=%d", strings.Repeat("  ", depth), op, p.Records(), p.DbHits())
			if op == "NodeByLabelScan" || op == "NodeIndexScan" || op == "NodeIndexSeek" {
				if d, ok := p.Arguments()["Details"].(string); ok { // which label it scans
					fmt.Fprintf(&b, " %s", d)
				}
			}
			b.WriteString("\n")
			for _, c := range p.Children() {
				walk(c, depth+1)
			}
		}
		if prof := res.Summary.Profile(); prof != nil {
			walk(prof, 0)
		}
		for op := range ops {
			qp.Operators = append(qp.Operators, op)
		}
		sort.Strings(qp.Operators)
		qp.Plan = b.String()
		out = append(out, qp)
	}
	return out, nil
}
