package graph

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"probity"
)

// fairnessSkip are officer properties that are not groups (identifiers,
// names, dates, computed scores).
var fairnessSkip = map[string]bool{"id": true, "name": true, "startDate": true, "risk": true, "hubReason": true, "hubDegree": true}

// maxGroupValues: an attribute with more distinct values than this is
// treated as an identifier, not a group.
const maxGroupValues = 500

// SmallGroup is the group size under which a fairness ratio is marked unreliable.
const SmallGroup = 10

// Fairness returns flag rates by every officer attribute the data holds
// (unit, rank, role, status and any other property, such as a protected
// attribute), each with its ratio to the force-wide rate; groups of fewer
// than SmallGroup officers are marked Small. An officer counts as flagged
// when any flag (of pattern, if given) concerns them, whatever its review
// state: the report measures what the patterns raise.
func (s *Store) Fairness(ctx context.Context, pattern string) (probity.FairnessReport, error) {
	if pattern != "" {
		if _, err := patternByName(pattern); err != nil {
			return probity.FairnessReport{}, err
		}
	}
	// (o)<-[:CONCERNS]-(f), f unlabelled (only flags CONCERN officers): the
	// planner expands from each officer and never scans every flag per
	// officer (see similar-profile.cypher).
	res, err := s.query(ctx, `MATCH (o:Officer)
		RETURN properties(o) AS p,
		       EXISTS { MATCH (o)<-[:CONCERNS]-(f) WHERE $pattern = '' OR f.pattern = $pattern } AS flagged`,
		map[string]any{"pattern": pattern}, false)
	if err != nil {
		return probity.FairnessReport{}, fmt.Errorf("fairness: %w", err)
	}
	rep := probity.FairnessReport{Pattern: pattern, Generated: time.Now().UTC()}
	type count struct{ n, f int }
	groups := map[string]map[string]*count{}
	for _, r := range res.Records {
		props := asMap(r.Values[0])
		flagged, _ := r.Values[1].(bool)
		rep.Officers++
		if flagged {
			rep.Flagged++
		}
		for k, v := range props {
			if fairnessSkip[k] {
				continue
			}
			if _, ok := v.(string); !ok {
				if _, ok := v.(bool); !ok {
					continue
				}
			}
			if groups[k] == nil {
				groups[k] = map[string]*count{}
			}
			c := groups[k][str(v)]
			if c == nil {
				c = &count{}
				groups[k][str(v)] = c
			}
			c.n++
			if flagged {
				c.f++
			}
		}
	}
	if rep.Officers > 0 {
		rep.Rate = float64(rep.Flagged) / float64(rep.Officers)
	}
	// An attribute is a grouping, not an identifier (an e-mail, a payroll
	// number, a free-text note), when it has at most maxGroupValues values
	// and some value is shared by two officers or more.
	attrs := make([]string, 0, len(groups))
	for a, vs := range groups {
		shared := false
		for _, c := range vs {
			shared = shared || c.n > 1
		}
		if len(vs) <= maxGroupValues && (shared || len(vs) == 1) {
			attrs = append(attrs, a)
		}
	}
	sort.Strings(attrs)
	for _, a := range attrs {
		vals := make([]string, 0, len(groups[a]))
		for v := range groups[a] {
			vals = append(vals, v)
		}
		sort.Strings(vals)
		for _, v := range vals {
			c := groups[a][v]
			g := probity.FairnessGroup{Attribute: a, Value: v, Officers: c.n, Flagged: c.f, Small: c.n < SmallGroup}
			g.Rate = float64(c.f) / float64(c.n)
			if rep.Rate > 0 {
				lo, hi := wilson(c.f, c.n)
				g.Ratio, g.RatioLow, g.RatioHigh = g.Rate/rep.Rate, lo/rep.Rate, hi/rep.Rate
				g.BeyondChance = g.RatioLow > 1 || g.RatioHigh < 1
			}
			rep.Groups = append(rep.Groups, g)
		}
	}
	return rep, nil
}

// FlaggedOfficers returns, per pattern, the officers with a current flag
// of it (any review state; not superseded by a newer flag, not cleared by
// a scan that no longer found its case) and their best score, for
// evaluation.
func (s *Store) FlaggedOfficers(ctx context.Context) (map[string]map[string]float64, error) {
	res, err := s.query(ctx, `MATCH (f:Flag) WHERE `+currentFlag+`
		RETURN f.pattern, f.officerId, max(f.score)`, nil, false)
	if err != nil {
		return nil, fmt.Errorf("flagged officers: %w", err)
	}
	out := map[string]map[string]float64{}
	for _, r := range res.Records {
		p := str(r.Values[0])
		if out[p] == nil {
			out[p] = map[string]float64{}
		}
		out[p][str(r.Values[1])] = num(r.Values[2])
	}
	return out, nil
}

// wilson is the 95% Wilson score interval of a rate of k in n (n > 0): good
// for small groups and rates near 0 or 1, where the normal approximation is
// not.
func wilson(k, n int) (lo, hi float64) {
	const z = 1.959964 // two-sided 95%
	p, nf := float64(k)/float64(n), float64(n)
	mid := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return math.Max(0, mid-half), math.Min(1, mid+half)
}
