package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
	"probity/internal/stats"
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
// attribute), each with its ratio to the force-wide rate and whether it
// differs from the rest of the force beyond chance; officers with no value
// for an attribute are its NotRecorded group; groups of fewer than
// SmallGroup officers are marked Small. An officer counts as flagged
// when any flag (of pattern, if given) concerns them, whatever its review
// state: the report measures what the patterns raise; with current, only
// a flag the rules as they stand raise counts (not superseded, cleared, or
// reviewed and no longer found), so that a rule fixed shows its fix
// (statA L4, statB H1).
func (s *Store) Fairness(ctx context.Context, q probity.FairnessQuery) (probity.FairnessReport, error) {
	pattern, current := q.Pattern, q.Current
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
		       EXISTS { MATCH (o)<-[:CONCERNS]-(f) WHERE ($pattern = '' OR f.pattern = $pattern) AND (NOT $current OR `+standingFlag+`) } AS flagged`,
		map[string]any{"pattern": pattern, "current": current}, false)
	if err != nil {
		return probity.FairnessReport{}, fmt.Errorf("fairness: %w", err)
	}
	rep := probity.FairnessReport{Pattern: pattern, Current: current, Generated: time.Now().UTC()}
	groups, missing := countGroups(&rep, res.Records)
	if rep.Officers > 0 {
		rep.Rate = float64(rep.Flagged) / float64(rep.Officers)
	}
	use := groupings(groups)
	if q.Attribute != "" {
		if !slices.Contains(use, q.Attribute) {
			if vs, ok := groups[q.Attribute]; ok { // reviewE L10
				return probity.FairnessReport{}, probity.Errorf(probity.EINVALID, "attribute %q is taken for an identifier, not a grouping (%d values, few or none shared); the report compares: %s", q.Attribute, len(vs), strings.Join(use, ", "))
			}
			return probity.FairnessReport{}, probity.Errorf(probity.EINVALID, "no attribute %q in the report; it has: %s", q.Attribute, strings.Join(use, ", "))
		}
		use = []string{q.Attribute}
		groups = map[string]map[string]*fairnessCount{q.Attribute: groups[q.Attribute]}
	}
	for a, vs := range groups {
		if !slices.Contains(use, a) {
			rep.NotCompared = append(rep.NotCompared, fmt.Sprintf("%s (%d values, taken for an identifier)", a, len(vs)))
		}
	}
	for _, a := range use {
		if !addAttribute(&rep, a, groups[a], missing[a]) {
			rep.NotCompared = append(rep.NotCompared, a+" (one value for every officer)")
		}
	}
	sort.Strings(rep.NotCompared)
	markFDR(&rep)
	return rep, nil
}

// markFDR marks the compared groups that stay beyond chance when the false
// discovery rate over all the report's comparisons is held at 5%
// (Benjamini-Hochberg): of 389 comparisons on the Chicago set, 39 had
// p < 0.05 and about 19 of those could be chance, with nothing saying
// which (statA M4).
func markFDR(rep *probity.FairnessReport) {
	var idx []int
	var ps []float64
	for i, g := range rep.Groups {
		if g.Compared {
			idx, ps = append(idx, i), append(ps, g.P)
		}
	}
	for j, keep := range stats.BenjaminiHochberg(ps, 0.05) {
		rep.Groups[idx[j]].BeyondChanceFDR = keep
	}
}

// fairnessCount counts the officers of a group (n) and those flagged (f),
// and keeps their ids while there are fewer than SmallGroup.
type fairnessCount struct {
	n, f int
	ids  []string
}

func (c *fairnessCount) add(id string, flagged bool) {
	c.n++
	if flagged {
		c.f++
	}
	if c.n < SmallGroup {
		c.ids = append(c.ids, id)
	} else {
		c.ids = nil
	}
}

// countGroups counts the officers of the records, and those flagged, in
// rep, and returns the counts by attribute and value of every string or
// boolean property that is not in fairnessSkip, and for each attribute
// the officers with no value for it ("").
func countGroups(rep *probity.FairnessReport, records []*neo4j.Record) (groups map[string]map[string]*fairnessCount, missing map[string]*fairnessCount) {
	groups = map[string]map[string]*fairnessCount{}
	for _, r := range records {
		props := asMap(r.Values[0])
		flagged, _ := r.Values[1].(bool)
		rep.Officers++
		if flagged {
			rep.Flagged++
		}
		for k, v := range props {
			if !fairnessValue(k, v) {
				continue
			}
			if groups[k] == nil {
				groups[k] = map[string]*fairnessCount{}
			}
			c := groups[k][str(v)]
			if c == nil {
				c = &fairnessCount{}
				groups[k][str(v)] = c
			}
			c.add(str(props["id"]), flagged)
		}
	}
	// Officers with no value for an attribute are a group of their own:
	// missing data is where a disproportion can hide. A second pass, as
	// a small group's officers are kept by id.
	missing = map[string]*fairnessCount{}
	for a := range groups {
		missing[a] = &fairnessCount{}
	}
	for _, r := range records {
		props := asMap(r.Values[0])
		flagged, _ := r.Values[1].(bool)
		for a := range groups {
			if !fairnessValue(a, props[a]) {
				missing[a].add(str(props["id"]), flagged)
			}
		}
	}
	return groups, missing
}

// fairnessValue says an officer's property k of value v groups officers:
// a string or a boolean, not in fairnessSkip.
func fairnessValue(k string, v any) bool {
	switch v.(type) {
	case string, bool:
		return !fairnessSkip[k]
	}
	return false
}

// groupings returns, sorted, the attributes of groups that are groupings,
// not identifiers (an e-mail, a payroll number, a free-text note): those
// with at most maxGroupValues values, some value shared by two officers or
// more.
func groupings(groups map[string]map[string]*fairnessCount) []string {
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
	return attrs
}

// addAttribute adds to rep the groups of attribute a, one a value of vs in
// order, then that of the officers with no value (NotRecorded, missing);
// none when every officer has the one value (false).
func addAttribute(rep *probity.FairnessReport, a string, vs map[string]*fairnessCount, missing *fairnessCount) bool {
	vals := make([]string, 0, len(vs))
	for v := range vs {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	if missing.n > 0 {
		vs[""] = missing
		vals = append(vals, "")
	}
	if len(vals) == 1 {
		return false // one value for every officer: nothing to compare
	}
	for _, v := range vals {
		rep.Groups = append(rep.Groups, fairnessGroup(rep, a, v, vs[v]))
	}
	return true
}

// fairnessGroup is the group of the c.n officers whose attribute a is v:
// its rate, its ratio to the force-wide rate and, when the force has
// flagged officers and officers outside the group, whether it differs
// from the rest of the force beyond chance (counted in rep.Comparisons).
func fairnessGroup(rep *probity.FairnessReport, a, v string, c *fairnessCount) probity.FairnessGroup {
	g := probity.FairnessGroup{Attribute: a, Value: v, NotRecorded: v == "", Officers: c.n, Flagged: c.f, Small: c.n < SmallGroup, SmallOfficers: c.ids}
	g.Rate = float64(c.f) / float64(c.n)
	if rep.Rate > 0 {
		g.Ratio = g.Rate / rep.Rate
	}
	if rest := rep.Officers - c.n; rep.Rate > 0 && rest > 0 {
		// Against the rest of the force, not the force-wide rate
		// taken as known (the group is part of it).
		g.Compared = true
		rep.Comparisons++
		if stats.MinExpected(c.n, rep.Flagged, rep.Officers) < 5 {
			// Too few for a large-sample method: Fisher's exact
			// test, and no interval.
			g.P = stats.FisherP(c.f, c.n, rep.Flagged, rep.Officers)
			g.BeyondChance = g.P < 0.05
		} else {
			// The score test (Pearson's chi-square) and the score
			// interval of the rate ratio (Koopman's), its
			// inversion: the interval leaves out 1 exactly when
			// p < 0.05. It is mapped onto the ratio to the
			// force-wide rate, which grows with the rate ratio.
			lo, hi := stats.Koopman(c.f, c.n, rep.Flagged-c.f, rest)
			w := float64(c.n) / float64(rep.Officers)
			toForce := func(rr float64) float64 {
				if math.IsInf(rr, 1) {
					return 1 / w // every flagged officer is in the group
				}
				return rr / (w*rr + 1 - w)
			}
			g.P = math.Erfc(math.Sqrt(stats.ScoreStat(c.f, c.n, rep.Flagged-c.f, rest, 1) / 2))
			g.HasInterval = true
			g.RatioLow, g.RatioHigh = toForce(lo), toForce(hi)
			g.BeyondChance = lo > 1 || hi < 1
		}
	}
	return g
}

// FlaggedOfficers returns, per pattern, the officers with a flag of it
// that the rules as they stand raise (any review state; not superseded by
// a newer flag, not cleared by a scan that no longer found its case, and
// not a reviewed flag such a scan no longer found) and their best score,
// for evaluation: the accuracy of the rules now, not of every flag once
// raised (statB: a pattern a threshold silenced kept recall 1 through its
// reviewed flags).
func (s *Store) FlaggedOfficers(ctx context.Context) (map[string]map[string]float64, error) {
	res, err := s.query(ctx, `MATCH (f:Flag) WHERE `+standingFlag+`
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

// OfficersFlagged returns the officers with a flag, current or not, each
// once, in id order (the queue's filter by pseudonym looks among them, for
// its cleared flags too), with the store's deadline.
func (s *Store) OfficersFlagged(ctx context.Context) ([]string, error) {
	res, err := s.read(ctx, `MATCH (f:Flag) RETURN DISTINCT f.officerId ORDER BY f.officerId`, nil)
	if err != nil {
		return nil, fmt.Errorf("flagged officers: %w", err)
	}
	out := make([]string, len(res.Records))
	for i, r := range res.Records {
		out[i] = str(r.Values[0])
	}
	return out, nil
}

// ReviewOutcomes counts, per pattern of the library (or only pattern), the
// flags by review state: open ones that are current (a new flag superseded
// or cleared was never decided and is not counted), and every decided
// one, current or not (a decision stands). Referrals confirmed by a second
// reviewer are those ConfirmReferral marked.
func (s *Store) ReviewOutcomes(ctx context.Context, pattern string) ([]probity.ReviewOutcome, error) {
	if pattern != "" {
		if _, err := patternByName(pattern); err != nil {
			return nil, err
		}
	}
	res, err := s.read(ctx, `MATCH (f:Flag)
		WHERE ($pattern = '' OR f.pattern = $pattern)
		  AND (f.status <> 'new' OR (f.supersededBy IS NULL AND f.clearedAt IS NULL))
		RETURN f.pattern AS pattern, f.status AS status, count(*) AS n, count(f.referralConfirmedBy) AS confirmed`,
		map[string]any{"pattern": pattern})
	if err != nil {
		return nil, fmt.Errorf("review outcomes: %w", err)
	}
	by := map[string]*probity.ReviewOutcome{}
	for _, p := range Patterns() {
		if pattern == "" || p.Name == pattern {
			by[p.Name] = &probity.ReviewOutcome{Pattern: p.Name}
		}
	}
	for _, r := range res.Records {
		o := by[str(r.Values[0])]
		if o == nil {
			continue // a pattern no longer in the library
		}
		n := int(num(r.Values[2]))
		switch probity.FlagStatus(str(r.Values[1])) {
		case probity.FlagNew:
			o.Open += n
		case probity.FlagInReview:
			o.Open += n
			o.InReview += n
		case probity.FlagReferredInvestigation:
			o.Referred += n
			o.Confirmed += int(num(r.Values[3]))
		case probity.FlagPreventionNotice:
			o.PreventionNotice += n
		case probity.FlagNoFurtherAction:
			o.NoFurtherAction += n
		case probity.FlagFalsePositive:
			o.FalsePositive += n
		}
	}
	out := make([]probity.ReviewOutcome, 0, len(by))
	for _, p := range Patterns() {
		o := by[p.Name]
		if o == nil {
			continue
		}
		o.Decided = o.Referred + o.PreventionNotice + o.NoFurtherAction + o.FalsePositive
		if o.Decided > 0 {
			u := float64(o.Referred+o.PreventionNotice) / float64(o.Decided)
			o.Upheld = &u
		}
		out = append(out, *o)
	}
	return out, nil
}
