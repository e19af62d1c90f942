package graph

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"probity"
)

// The pattern library: one .cypher file per query in patterns/, expanded once
// with text/template. The template functions are the only way a query gets
// relationship types, the hub label and hop bounds (Go constants below, never
// request text) and the shared predicates (window, unassigned access, UTC day).

//go:embed patterns/*.cypher
var patternFS embed.FS

// LabelHub marks, for the duration of a scan and until the next one, the
// nodes no pattern path passes through: automatic hubs (more than HubDegree
// distinct neighbours over association links) and suppressed identifiers.
const LabelHub = "Hub"

// LabelWindowHub marks, during a scan of a window (--from/--to), the hubs of
// the window's links (window-hubs.cypher), which that scan's queries avoid
// instead of LabelHub (windowVariants).
const LabelWindowHub = "WindowHub"

// maxAssociationHops is the longest undisclosed-association path (DESIGN.md).
const maxAssociationHops = 4

// Pattern names of the library.
const (
	PatUndisclosedAssociation = "undisclosed-association"
	PatAccessForGain          = "access-for-gain"
	PatPersonalInterest       = "personal-interest-access"
	PatVolumeOutlier          = "access-volume-outlier"
	PatAttendanceMismatch     = "attendance-mismatch"
	PatBusinessInterest       = "undeclared-business-interest"
	PatCollusionRing          = "collusion-ring"
	PatCoAccusedCrew          = "co-accused-crew"
	PatSimilarToConfirmed     = "similar-to-confirmed"
	PatTripwire               = "tripwire"
)

// RankedPatterns are the patterns whose flags are a ranking, not cases
// found (similar-to-confirmed's topK nearest): eval measures their
// precision@k, which their scores order.
var RankedPatterns = map[string]bool{PatSimilarToConfirmed: true}

var familyTypes = []string{"family", "partner"}

func utcDay(expr string) string {
	return "CASE WHEN " + expr + " IS NULL THEN null ELSE date(datetime({datetime: " + expr + ", timezone: 'UTC'})) END"
}

var cypherFuncs = template.FuncMap{
	"assoc":   func() string { return strings.Join(probity.AssociationRels, "|") },
	"hub":     func() string { return LabelHub }, // LabelWindowHub in windowVariants
	"fullHub": func() string { return LabelHub },
	"maxHops": func() int { return maxAssociationHops },
	// maxHopsBetween: the links of a longest path but its last one (the
	// nodes they reach are the path's intermediate nodes)
	"maxHopsBetween": func() int { return maxAssociationHops - 1 },
	"day":            utcDay,
	// inWindow compares instants (epochMillis): DateTimes of equal instant
	// but different zone forms ('Z' and '[UTC]') are not equal in Cypher.
	"inWindow": func(e string) string {
		return fmt.Sprintf("($fromMs IS NULL OR %[1]s.epochMillis >= $fromMs) AND ($toMs IS NULL OR %[1]s.epochMillis < $toMs)", e)
	},
	"inWindowDate": func(e string) string {
		return fmt.Sprintf("(%[1]s IS NULL OR (($fromDay IS NULL OR %[1]s >= $fromDay) AND ($toDay IS NULL OR %[1]s <= $toDay)))", e)
	},
	// linkInWindow: a link counts when it started by the end of the window
	// (since/from/at), had not ended (to) before the window began and, for a
	// payment, was made within the window.
	"linkInWindow": func(r string) string {
		start := fmt.Sprintf("coalesce(%[1]s.since, %[1]s.from, date(%[1]s.at))", r)
		return fmt.Sprintf("($toDay IS NULL OR %[1]s IS NULL OR %[1]s <= $toDay) AND ($fromDay IS NULL OR %[2]s.to IS NULL OR %[2]s.to >= $fromDay) "+
			"AND ($fromMs IS NULL OR %[2]s.at IS NULL OR %[2]s.at.epochMillis >= $fromMs)", start, r)
	},
	// declared: a DECLARED in force on the scan's day: made by then (or
	// undated) and not withdrawn by then.
	"declared": func(d string) string {
		return fmt.Sprintf("((%[1]s.on IS NULL OR %[1]s.on <= $today) AND (%[1]s.withdrawnOn IS NULL OR %[1]s.withdrawnOn > $today))", d)
	},
	// declarationsNotInForce is the body of a subquery returning the
	// declarations from officer o of x that are not in force: the earliest
	// made after the scan's day (declaredLater) and those withdrawn by then
	// (withdrawn: {on, withdrawn}), for the flag to show.
	"declarationsNotInForce": func(o, x string) string {
		return fmt.Sprintf(`MATCH (%[1]s)-[dn:DECLARED]->(%[2]s) WHERE dn.on > $today OR dn.withdrawnOn <= $today
  RETURN toString(min(CASE WHEN dn.on > $today THEN dn.on END)) AS declaredLater,
         [w IN collect(CASE WHEN dn.withdrawnOn <= $today THEN {on: toString(dn.on), withdrawn: toString(dn.withdrawnOn)} END) WHERE w IS NOT NULL] AS withdrawn`, o, x)
	},
	// inForce: a dated link (from..to) has begun and not ended by the
	// scan's day (the window's last day, else today): "directs" is the
	// present tense.
	"inForce": func(r string) string {
		return fmt.Sprintf("(%[1]s.from IS NULL OR %[1]s.from <= coalesce($toDay, $today)) AND (%[1]s.to IS NULL OR %[1]s.to >= coalesce($toDay, $today))", r)
	},
	// heldOn: a dated link (from..to, both inclusive) held on the UTC day
	// of the instant at.
	"heldOn": func(r, at string) string {
		d := utcDay(at)
		return fmt.Sprintf("(%[1]s.from IS NULL OR %[1]s.from <= %[2]s) AND (%[1]s.to IS NULL OR %[1]s.to >= %[2]s)", r, d)
	},
	// overlap: two dated links' periods (from..to, both inclusive, an
	// absent end open) have a day in common, as two stays make co-residents.
	"overlap": func(a, b string) string {
		return fmt.Sprintf("(%[1]s.from IS NULL OR %[2]s.to IS NULL OR %[1]s.from <= %[2]s.to) AND (%[2]s.from IS NULL OR %[1]s.to IS NULL OR %[2]s.from <= %[1]s.to)", a, b)
	},
	"unassigned": func(o, a, r string) string {
		d := utcDay(a + ".at")
		return fmt.Sprintf("NOT EXISTS { MATCH (%s)-[:PART_OF]->(:Case)<-[asg:ASSIGNED_TO]-(%s) WHERE (asg.from IS NULL OR asg.from <= %s) AND (asg.to IS NULL OR asg.to >= %s) }", r, o, d, d)
	},
	// (its own names, noteCase and noteAsg: a query may have bound c, a company)
	"assignmentNote": func(o, a, r string) string {
		return fmt.Sprintf("{purpose: %[2]s.purpose, channel: %[2]s.channel, cases: [(%[3]s)-[:PART_OF]->(noteCase:Case) | noteCase.id], "+
			"asg: [(%[3]s)-[:PART_OF]->(noteCase:Case)<-[noteAsg:ASSIGNED_TO]-(%[1]s) | {case: noteCase.id, from: toString(noteAsg.from), to: toString(noteAsg.to)}]}", o, a, r)
	},
	"node": func(n string) string {
		return fmt.Sprintf("{id: %[1]s.id, label: [l IN labels(%[1]s) WHERE NOT l IN ['Party', '%[2]s', '%[3]s']][0]}", n, LabelHub, LabelWindowHub)
	},
	"edge": func(e string) string {
		return fmt.Sprintf("{type: type(%[1]s), from: startNode(%[1]s).id, to: endNode(%[1]s).id, id: %[1]s.id, source: %[1]s.source, "+
			"relType: %[1]s.type, at: toString(coalesce(%[1]s.at, %[1]s.since, %[1]s.from, %[1]s.on)), until: toString(%[1]s.to), "+
			"amount: %[1]s.amount, currency: %[1]s.currency, channel: %[1]s.channel, role: %[1]s.role, finding: %[1]s.finding}", e)
	},
}

// windowVariants maps each expanded query that avoids hubs to the same
// query avoiding the window's hubs (LabelWindowHub), which a scan of a
// window runs instead (scan.cypher). The queries that mark hubs (hubs-*)
// have none: they keep the Hub label of all the data. Filled at package
// initialisation only, by cypherOf.
var windowVariants = map[string]string{}

// cypherOf expands one embedded query file; it panics on a bad template,
// which the tests catch (the files are part of the binary).
func cypherOf(file string) string {
	q := expand(file, LabelHub)
	if !strings.HasPrefix(file, "hubs-") {
		if w := expand(file, LabelWindowHub); w != q {
			windowVariants[q] = w
		}
	}
	return q
}

// expand executes one query file's template, {{hub}} naming hub.
func expand(file, hub string) string {
	src, err := patternFS.ReadFile("patterns/" + file)
	if err != nil {
		panic(err)
	}
	funcs := template.FuncMap{"hub": func() string { return hub }}
	t := template.Must(template.New(file).Funcs(cypherFuncs).Funcs(funcs).Parse(string(src)))
	var b bytes.Buffer
	if err := t.Execute(&b, nil); err != nil {
		panic(err)
	}
	return b.String()
}

// patternDef is one pattern of the library.
type patternDef struct {
	info   probity.PatternInfo
	file   string // the .cypher file ("" for patterns computed in Go from other queries)
	cypher string
	run    func(sc *scan, p *patternDef) ([]hit, error)
}

// param is the value of p's parameter name in this scan: its default, or
// an administrator's (withThresholds).
func (p *patternDef) param(name string) any { return p.paramInfo(name).Value }

// paramInfo is p's parameter name whole.
func (p *patternDef) paramInfo(name string) probity.PatternParam {
	for _, pp := range p.info.Params {
		if pp.Name == name {
			return pp
		}
	}
	panic("pattern " + p.info.Name + ": no parameter " + name)
}

func (p *patternDef) params() map[string]any {
	m := map[string]any{}
	for _, pp := range p.info.Params {
		m[pp.Name] = pp.Value
	}
	return m
}

// pp is a parameter an administrator may set between min and max.
func pp(name string, def any, min, max float64, desc string) probity.PatternParam {
	return probity.PatternParam{Name: name, Default: def, Value: def, Description: desc, Min: min, Max: max}
}

// fixed is a parameter the query is written for.
func fixed(name string, def any, desc string) probity.PatternParam {
	return probity.PatternParam{Name: name, Default: def, Value: def, Description: desc, Fixed: true}
}

// library is the pattern library, in scan order: similar-to-confirmed comes
// last because it reads the flags the others raised.
var library = buildLibrary()

func buildLibrary() []*patternDef {
	hub := fixed("hubDegree", int64(probity.HubDegree), "a node with more distinct neighbours than this over association links is a hub; no path passes through it")
	defs := []*patternDef{
		{info: probity.PatternInfo{Name: PatUndisclosedAssociation, Version: 5,
			Description: "a path of at most 4 association links from an officer to an undeclared person of interest",
			Params:      []probity.PatternParam{fixed("maxHops", int64(maxAssociationHops), "longest path, in relationships (fixed in the query)"), hub}},
			file: "undisclosed-association.cypher", run: runUndisclosedAssociation},
		{info: probity.PatternInfo{Name: PatAccessForGain, Version: 2,
			Description: "an unassigned look-up of a subject and a payment from the subject's side to the officer's side from 30 days before to 90 days after",
			Params: []probity.PatternParam{pp("before", int64(30), 0, 365, "days before the access a payment may be made"),
				pp("after", int64(90), 0, 365, "days after the access a payment may be made")}},
			file: "access-for-gain.cypher", run: runAccessForGain},
		{info: probity.PatternInfo{Name: PatPersonalInterest, Version: 2,
			Description: "an unassigned look-up of a record about the officer's family, associates or co-residents (stays at one address that overlap), or about a high-profile person",
			Params:      []probity.PatternParam{hub}},
			file: "personal-interest-access.cypher", run: runPersonalInterest},
		{info: probity.PatternInfo{Name: PatVolumeOutlier, Version: 2,
			Description: "unassigned look-ups far above the peer group (same unit and role): robust z > 3.5 and at least 20",
			Params: []probity.PatternParam{pp("minZ", 3.5, 0.5, 100, "robust z-score above which an officer is flagged"),
				pp("minCount", int64(20), 1, 100000, "fewest unassigned accesses to flag")}},
			file: "access-volume.cypher", run: runVolumeOutlier},
		{info: probity.PatternInfo{Name: PatAttendanceMismatch, Version: 2,
			Description: "3 or more days within 30 with an onsite shift, no badge swipe, and only remote look-ups",
			Params: []probity.PatternParam{pp("minDays", int64(3), 1, 366, "mismatch days needed"),
				pp("spanDays", int64(30), 1, 366, "consecutive days they must fall within")}},
			file: "attendance-mismatch.cypher", run: runAttendanceMismatch},
		{info: probity.PatternInfo{Name: PatBusinessInterest, Version: 5,
			Description: "an undeclared directorship, or a relative's undeclared company paid by a person of interest or by a subject of the officer's unassigned look-ups",
			Params:      nil},
			file: "undeclared-business-interest.cypher", run: runBusinessInterest},
		{info: probity.PatternInfo{Name: PatCollusionRing, Version: 2,
			Description: "officers linked within 2 association links who looked up the same person of interest, unassigned, within 7 days",
			Params:      []probity.PatternParam{pp("days", int64(7), 0, 365, "most UTC days between the two look-ups"), hub}},
			file: "collusion-ring.cypher", run: runCollusionRing},
		{info: probity.PatternInfo{Name: PatCoAccusedCrew, Version: 3,
			Description: "officers named together as accused in 2 or more complaints (complaints naming more than 20 officers excluded)",
			Params: []probity.PatternParam{pp("minShared", int64(2), 1, 1000, "shared complaints needed"),
				pp("maxNamed", int64(20), 2, 10000, "complaints naming more officers (any role) are hubs and do not count")}},
			file: "co-accused-crew.cypher", run: runCoAccusedCrew},
		{info: probity.PatternInfo{Name: PatTripwire, Version: 2,
			Description: "an unassigned look-up of a watched record, of a record of a watched case, or of a record about a watched person or entity",
			Params:      nil},
			file: "tripwire.cypher", run: runTripwire},
		{info: probity.PatternInfo{Name: PatSimilarToConfirmed, Version: 6,
			Description: "officers whose behaviour profile is closest to officers with proven misconduct",
			Params: []probity.PatternParam{pp("topK", int64(100), 1, maxTopK, "most officers flagged, best first (minSimilarity does the choosing; this only bounds the queue)"),
				pp("minSimilarity", 0.75, 0.01, 1, "least similarity 1/(1+distance) to a confirmed officer (0.75: distance ≤ 1/3 in the unit profile space)"),
				pp("neighbours", int64(3), 1, 20, "nearest confirmed officers named")}},
			run: runSimilarToConfirmed},
	}
	for _, d := range defs {
		if d.file != "" {
			d.cypher = cypherOf(d.file)
		}
	}
	return defs
}

// Patterns describes the pattern library, in scan order.
func Patterns() []probity.PatternInfo { return infos(library) }

// infos describes defs, in their order.
func infos(defs []*patternDef) []probity.PatternInfo {
	out := make([]probity.PatternInfo, len(defs))
	for i, p := range defs {
		out[i] = p.info
	}
	return out
}

// PatternCypher returns the expanded query of a pattern ("" when the pattern
// is computed in Go from other queries), for documentation and PROFILE.
func PatternCypher(name string) string {
	for _, p := range library {
		if p.info.Name == name {
			return p.cypher
		}
	}
	return ""
}

func patternByName(name string) (*patternDef, error) {
	for _, p := range library {
		if p.info.Name == name {
			return p, nil
		}
	}
	return nil, probity.CheckPattern(Patterns(), name)
}
