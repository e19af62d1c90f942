// Package fairness builds the disproportion report (docs/patterns.md,
// "Accuracy and fairness reports") from the officers' properties and
// whether each is flagged: the groups, their rates and ratios, the tests
// against the rest of the force and the false discovery rate. No database
// here: graph reads the officers (reviewE M2: this was in the Cypher
// adapter, testable only through a Neo4j fixture).
package fairness

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"probity"
	"probity/internal/stats"
)

// Officer is one officer's properties, whether a flag the report counts
// concerns them, and whether a flag that stands does (Standing: the rules
// as they stand raise it; the report says how many officers such flags
// concern beside those it counts, statA L6).
type Officer struct {
	Props    map[string]any
	Flagged  bool
	Standing bool
}

// Report is the disproportion report of officers for q (its Pattern and
// Current only label it: the caller counted the flags), generated at now.
// An attribute asked for that the officers do not hold, or hold as an
// identifier, is EINVALID.
func Report(officers []Officer, q probity.FairnessQuery, now time.Time) (probity.FairnessReport, error) {
	// empty lists, not null, in every encoding: the API's and the command
	// line's JSON alike (statA L7)
	rep := probity.FairnessReport{Pattern: q.Pattern, Current: q.Current, Generated: now, Groups: []probity.FairnessGroup{}, NotCompared: []string{}}
	groups, missing := countGroups(&rep, officers)
	if rep.Officers > 0 {
		rep.Rate = float64(rep.Flagged) / float64(rep.Officers)
	}
	use, why := groupings(groups)
	if q.Attribute != "" {
		// asked for by name, an attribute is compared however many values
		// it has (statA L3: a unit of 600 teams of two was refused), but
		// not one no two officers share: its groups would be officers, each
		// named by an identifier (an e-mail, a payroll number) beside
		// whether a flag concerns them, past the pseudonyms (reviewR L5)
		vs, ok := groups[q.Attribute]
		if ok && len(vs) > 1 && !shared(vs) && !always[q.Attribute] {
			return probity.FairnessReport{}, probity.Errorf(probity.EINVALID, "attribute %q has no value two officers share: its groups would each be one officer, named by it (an identifier, not a grouping); the report compares: %s", q.Attribute, strings.Join(use, ", "))
		}
		if !ok {
			if skip[q.Attribute] {
				return probity.FairnessReport{}, probity.Errorf(probity.EINVALID, "attribute %q is not a grouping (an identifier, a name, a date or a score); the report compares: %s", q.Attribute, strings.Join(use, ", "))
			}
			return probity.FairnessReport{}, probity.Errorf(probity.EINVALID, "no attribute %q in the report; it has: %s", q.Attribute, strings.Join(use, ", "))
		}
		use = []string{q.Attribute}
		groups = map[string]map[string]*count{q.Attribute: groups[q.Attribute]}
	}
	for a := range groups {
		if !slices.Contains(use, a) {
			rep.NotCompared = append(rep.NotCompared, why[a])
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

// skip are officer properties that are not groups (identifiers,
// names, dates, computed scores).
var skip = map[string]bool{"id": true, "name": true, "startDate": true, "risk": true, "hubReason": true, "hubDegree": true}

// maxGroupValues: an attribute with more distinct values than this is
// treated as an identifier, not a group, unless it is one of always or
// asked for by name.
const maxGroupValues = 500

// always are the attributes DESIGN names for the report ("flag rates by
// unit, rank"): compared whatever their values, as the largest forces
// hold more than maxGroupValues teams (statA L3).
var always = map[string]bool{"unit": true, "rank": true}

// SmallGroup is the group size under which a fairness ratio is marked unreliable.
const SmallGroup = 10

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

// count counts the officers of a group (n) and those flagged (f),
// and keeps their ids while there are fewer than SmallGroup.
type count struct {
	n, f int
	ids  []string
}

func (c *count) add(id string, flagged bool) {
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

// countGroups counts the officers, and those flagged, in
// rep, and returns the counts by attribute and value of every string or
// boolean property that is not in skip, and for each attribute
// the officers with no value for it ("").
func countGroups(rep *probity.FairnessReport, officers []Officer) (groups map[string]map[string]*count, missing map[string]*count) {
	groups = map[string]map[string]*count{}
	for _, o := range officers {
		props, flagged := o.Props, o.Flagged
		rep.Officers++
		if flagged {
			rep.Flagged++
		}
		if o.Standing {
			rep.FlaggedStanding++
		}
		for k, v := range props {
			if !value(k, v) {
				continue
			}
			if groups[k] == nil {
				groups[k] = map[string]*count{}
			}
			key := fmt.Sprint(v)
			c := groups[k][key]
			if c == nil {
				c = &count{}
				groups[k][key] = c
			}
			c.add(officerID(props), flagged)
		}
	}
	// Officers with no value for an attribute are a group of their own:
	// missing data is where a disproportion can hide. A second pass, as
	// a small group's officers are kept by id.
	missing = map[string]*count{}
	for a := range groups {
		missing[a] = &count{}
	}
	for _, o := range officers {
		props, flagged := o.Props, o.Flagged
		for a := range groups {
			if !value(a, props[a]) {
				missing[a].add(officerID(props), flagged)
			}
		}
	}
	return groups, missing
}

// value says an officer's property k of value v groups officers:
// a non-empty string or a boolean, not in skip.
func value(k string, v any) bool {
	switch x := v.(type) {
	case string:
		// an empty value is none: the not-recorded group, which it would
		// otherwise share a key with and be counted in twice (reviewF L5)
		return x != "" && !skip[k]
	case bool:
		return !skip[k]
	}
	return false
}

// shared tells whether two officers or more share one of the values.
func shared(vs map[string]*count) bool {
	for _, c := range vs {
		if c.n > 1 {
			return true
		}
	}
	return false
}

// groupings returns, sorted, the attributes of groups that are groupings,
// not identifiers (an e-mail, a payroll number, a free-text note): those
// of always, and those with at most maxGroupValues values, some value
// shared by two officers or more. why says, of each other attribute, the
// rule that left it out.
func groupings(groups map[string]map[string]*count) (attrs []string, why map[string]string) {
	why = map[string]string{}
	for a, vs := range groups {
		switch {
		case always[a] || len(vs) <= maxGroupValues && (shared(vs) || len(vs) == 1):
			attrs = append(attrs, a)
		case len(vs) > maxGroupValues && shared(vs):
			why[a] = fmt.Sprintf("%s (%d values, more than %d: taken for an identifier; ask for it by name to compare it)", a, len(vs), maxGroupValues)
		default:
			why[a] = fmt.Sprintf("%s (%d values, none shared by two officers: taken for an identifier, not compared)", a, len(vs))
		}
	}
	sort.Strings(attrs)
	return attrs, why
}

// addAttribute adds to rep the groups of attribute a, one a value of vs in
// order, then that of the officers with no value (NotRecorded, missing);
// none when every officer has the one value (false).
func addAttribute(rep *probity.FairnessReport, a string, vs map[string]*count, missing *count) bool {
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
		rep.Groups = append(rep.Groups, group(rep, a, v, vs[v]))
	}
	return true
}

// group is the group of the c.n officers whose attribute a is v:
// its rate, its ratio to the force-wide rate (none when nobody is flagged) and, when the force has
// flagged officers and officers outside the group, whether it differs
// from the rest of the force beyond chance (counted in rep.Comparisons).
func group(rep *probity.FairnessReport, a, v string, c *count) probity.FairnessGroup {
	g := probity.FairnessGroup{Attribute: a, Value: v, NotRecorded: v == "", Officers: c.n, Flagged: c.f, Small: c.n < SmallGroup, SmallOfficers: c.ids}
	g.Rate = float64(c.f) / float64(c.n)
	if rep.Rate > 0 {
		r := g.Rate / rep.Rate
		g.Ratio = &r
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
			g.P = stats.ScoreP(c.f, c.n, rep.Flagged-c.f, rest)
			g.HasInterval = true
			g.RatioLow, g.RatioHigh = toForce(lo), toForce(hi)
			g.BeyondChance = lo > 1 || hi < 1
		}
	}
	return g
}

// officerID is an officer's import id, "" when the node has none
// (Community cannot require the property).
func officerID(props map[string]any) string {
	id, _ := props["id"].(string)
	return id
}
