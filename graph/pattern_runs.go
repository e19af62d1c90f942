package graph

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"probity"
)

// linkWeight is the strength of one association link for the
// undisclosed-association score.
func linkWeight(e map[string]any) float64 {
	switch str(e["type"]) {
	case probity.RelRelatedTo:
		if t := str(e["relType"]); t == "family" || t == "partner" {
			return 1
		}
		return 0.7
	case probity.RelLivesAt, probity.RelHolds:
		return 0.9
	default: // USES_PHONE, DIRECTOR_OF, PAID
		return 0.8
	}
}

// recency is 1 for a link made at the data's time (scan.dataTime), falling
// towards 0.6 for older links (half-way after about 1.4 years); 0.8 when no
// link is dated.
func recency(latest string, now time.Time) float64 {
	t, err := time.Parse("2006-01-02", dayOf(latest))
	if latest == "" || err != nil {
		return 0.8
	}
	years := math.Max(0, now.Sub(t).Hours()/24/365.25)
	return 0.6 + 0.4*math.Exp(-years/2)
}

// declaredOnPath words the officer's declarations of entities on the path,
// one clause an entity with all its dates in order, entities by id: the
// store's order had made the text differ between two loads of one data set,
// and an entity declared twice was named twice (incrA L2).
func declaredOnPath(decls []any) []string {
	dates := map[string][]string{}
	for _, d := range decls {
		m := asMap(d)
		id := str(m["id"])
		dates[id] = append(dates[id], orUndated(str(m["on"])))
	}
	var out []string
	for _, id := range slices.Sorted(maps.Keys(dates)) {
		on := slices.Compact(slices.Sorted(slices.Values(dates[id])))
		out = append(out, fmt.Sprintf("the officer declared %[1]s (on %[2]s), and %[1]s is on the path", id, strings.Join(on, " and on ")))
	}
	return out
}

// pathTieKey orders two paths of one score and wording, which parallel
// links make (two payments between the same accounts spell the same path):
// the one whose links are newer first, then by the links' ids, so that
// every scan picks the same one whatever order the store returns them in.
// The order had decided, and loading an older payment later superseded the
// flag with a new one, a dismissed case back in the queue (incrA M1).
func pathTieKey(edges []any) string {
	var dates, ids []string
	for _, e := range edges {
		m := asMap(e)
		// by day (a date and a date-time of one day are alike); an undated
		// link counts as the oldest (reviewP L5: it had counted as the newest)
		day := str(m["at"])
		if len(day) >= 10 {
			day = day[:10]
		} else {
			day = "0000-00-00"
		}
		dates = append(dates, day)
		ids = append(ids, str(m["type"])+":"+str(m["id"])+":"+str(m["from"])+">"+str(m["to"]))
	}
	slices.Sort(dates)
	slices.Reverse(dates) // newest first: a newer path compares smaller below
	for i, d := range dates {
		dates[i] = invert(d)
	}
	return strings.Join(dates, ",") + "|" + strings.Join(ids, ",")
}

// invert maps a date text to one that sorts the other way round (byte by
// byte), so that the newer of two dates gives the smaller key.
func invert(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = 0xFF - b[i]
	}
	return string(b)
}

func runUndisclosedAssociation(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.query(p, nil)
	if err != nil {
		return nil, err
	}
	lengthFactor := map[int]float64{1: 1, 2: 0.85, 3: 0.7, 4: 0.55}
	lastDay := dataDay(sc.dataTime).Format("2006-01-02")
	// The query gives every shortest path of a (person, officer) pair; the
	// flag keeps the strongest, and of equally strong ones the first by its
	// explanation (which spells the path out), so that a rescan of the same
	// data shows the same path and keeps the same fingerprint.
	// Parallel links make a path of each: 25 payments between two accounts
	// are 25 shortest paths through the same nodes, the strongest the
	// newest; the connection they make has existed since the earliest of
	// those that still hold (DESIGN: "since when the link existed").
	earliest := map[string]string{}
	for _, r := range rows {
		_, latest, ended, _ := pathLinks(asList(r["edges"]))
		k := throughKey(r)
		if e, ok := earliest[k]; latest != "" && (ended == "" || ended >= lastDay) && (!ok || latest < e) {
			earliest[k] = latest
		}
	}
	best := map[[2]string]hit{}
	bestKey := map[[2]string]string{} // the chosen path's tie key (pathTieKey)
	for _, r := range rows {
		hops := int(num(r["hops"]))
		nodes, edges := asList(r["nodes"]), asList(r["edges"])
		strength, latest, ended, sources := pathLinks(edges)
		held, since := heldTogether(latest, ended, lastDay)
		if e := earliest[throughKey(r)]; held == 1 && e != "" && e < latest {
			since = "; the link has existed since " + e
		}
		score := clamp01(lengthFactor[hops] * strength * recency(latest, sc.dataTime) * held)
		// the path runs from the person of interest to the officer: show it officer first
		var steps []string
		for i := len(nodes) - 1; i >= 0; i-- {
			steps = append(steps, str(asMap(nodes[i])["id"]))
			if i > 0 {
				steps = append(steps, str(asMap(edges[i-1])["type"]))
			}
		}
		reason := ""
		if pr := str(r["poiReason"]); pr != "" {
			reason = " (" + pr + ")"
		}
		exp := fmt.Sprintf("Officer %s is linked to person of interest %s%s by %d association link%s (%s) and has not declared them",
			r["officer"], r["poi"], reason, hops, plural(hops), strings.Join(steps, " - "))
		exp += since
		if len(sources) > 0 {
			exp += "; sources: " + strings.Join(sources, "; ")
		}
		exp += withdrawnNote(r["withdrawn"])
		var innocent []string
		innocent = append(innocent, declaredOnPath(asList(r["declaredOnPath"]))...)
		if dl := str(r["declaredLater"]); dl != "" {
			if held < 1 { // the link has ended: it went undeclared while it held
				innocent = append(innocent, fmt.Sprintf("a declaration dated %s, after the scan's day, is not in force yet: the link was not declared while it held (one of its links ended on %s)", dayOf(dl), ended))
			} else {
				innocent = append(innocent, declaredAfterScan(dl, latest, "the link"))
			}
		}
		h := hit{officer: str(r["officer"]), score: score, explanation: exp + ".", innocent: strings.Join(innocent, "; ")}
		key, tie := [2]string{h.officer, str(r["poi"])}, pathTieKey(edges)
		if b, ok := best[key]; ok && (b.score > h.score || b.score == h.score && (b.explanation < h.explanation || b.explanation == h.explanation && bestKey[key] <= tie)) {
			continue
		}
		h.ev.addRow(nodes, edges)
		best[key], bestKey[key] = h, tie
	}
	hs := make([]hit, 0, len(best))
	for _, h := range best {
		hs = append(hs, h)
	}
	return group(hs), nil
}

// pathLinks reads a path's links: their mean weight, the newest start of
// one, the first end ("" when none is recorded) and their sources.
func pathLinks(edges []any) (strength float64, latest, ended string, sources []string) {
	for _, e := range edges {
		m := asMap(e)
		strength += linkWeight(m)
		if at := dayOf(str(m["at"])); at > latest {
			latest = at
		}
		if to := dayOf(str(m["until"])); to != "" && (ended == "" || to < ended) {
			ended = to
		}
		if s := str(m["source"]); s != "" && !slices.Contains(sources, s) {
			sources = append(sources, s)
		}
	}
	if len(edges) > 0 {
		strength /= float64(len(edges))
	}
	return strength, latest, ended, sources
}

// throughKey names the nodes an undisclosed-association path runs through,
// in order: paths that differ only in parallel links share it.
func throughKey(r map[string]any) string {
	var ids []string
	for _, n := range asList(r["nodes"]) {
		m := asMap(n)
		ids = append(ids, str(m["label"])+":"+str(m["id"]))
	}
	return strings.Join(ids, "\x00")
}

// dataDay is the last UTC day data up to t covers: an instant at 00:00
// belongs to the day before (a watermark at midnight ends that day).
// undisclosed-association asks whether a link held on that day, and an
// incremental scan looks again at links that ended between two scans' data
// days: both must reckon it alike (incrT).
func dataDay(t time.Time) time.Time {
	return t.Add(-time.Nanosecond).UTC()
}

// heldTogether weighs a path by whether its links still hold at the data's
// last day (DESIGN: "more recent links score higher"): 1 when none has
// ended; 0.75 when one has ended but they all held at one time; 0.5 when
// they never did (a person who left a flat before the officer moved in).
// since says which, for the explanation. latest is the newest start of a
// link, ended the first end (dates; "" when none is recorded).
func heldTogether(latest, ended, lastDay string) (weight float64, since string) {
	switch {
	case ended == "" || ended >= lastDay:
		if latest == "" {
			return 1, ""
		}
		return 1, "; the link has existed since " + latest
	case latest != "" && latest > ended:
		return 0.5, fmt.Sprintf("; its links never held at one time: one ended on %s, before another began on %s", ended, latest)
	case latest == "":
		return 0.75, fmt.Sprintf("; the link held until %s, when one of its links ended", ended)
	}
	return 0.75, fmt.Sprintf("; the link existed from %s to %s, when one of its links ended", latest, ended)
}

func orUndated(s string) string {
	if s == "" {
		return "an unrecorded date"
	}
	return s
}

func runAccessForGain(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.query(p, nil)
	if err != nil {
		return nil, err
	}
	var hs []hit
	for _, r := range rows {
		lag := int(num(r["lagDays"]))
		how := str(r["how"])
		directness := map[string]float64{"subject": 0.2, "company": 0.15, "family": 0.1}[how]
		timing := 0.05
		if lag >= 0 && lag <= 30 {
			timing = 0.1
		}
		amount := 0.1 * math.Min(1, math.Log10(1+math.Max(0, num(r["amount"])))/4)
		score := clamp01(0.6 + directness + timing + amount)
		payer := "the subject"
		switch how {
		case "company":
			payer = fmt.Sprintf("company %s, which %s directs", r["payer"], r["subject"])
		case "family":
			payer = fmt.Sprintf("%s, family of %s", r["payer"], r["subject"])
		}
		receiver := "the officer"
		if rcv := str(r["receiver"]); rcv != "" {
			receiver = "the officer's family member " + rcv
		}
		when := fmt.Sprintf("%d day%s after", lag, plural(lag))
		if lag < 0 {
			when = fmt.Sprintf("%d day%s before", -lag, plural(-lag))
		}
		exp := fmt.Sprintf("Officer %s looked up record %s about %s on %s without an assignment, and an account held by %s paid %s (payment %s) on %s, %s the look-up, into an account held by %s.",
			r["officer"], r["record"], r["subject"], dayOf(str(r["accessAt"])), payer, money(r["amount"], r["currency"]),
			r["payment"], dayOf(str(r["paidAt"])), when, receiver)
		var innocent []string
		if note := assignmentInnocent(r["note"], str(r["accessAt"])); note != "" {
			innocent = append(innocent, note)
		}
		innocent = append(innocent, hubPayments(r["hubAccounts"])...)
		h := hit{officer: str(r["officer"]), score: score, explanation: exp, innocent: strings.Join(innocent, "; ")}
		h.ev.addRow(r["nodes"], r["edges"])
		hs = append(hs, h)
	}
	return group(hs), nil
}

// hubPayments words each hub account of a payment rule's chain ({id,
// reason, degree}: the scan's hub marks) as an innocent reading. The
// payment rules count payments through hubs (v2); one through a payroll's,
// a shop's or a busy trading account may be one of many ordinary ones
// (rulesJ: salaries from a company the subject directs were flagged with
// nothing saying so). An account on the hub list is said to be that, with
// the list's reason, not to have neighbours it may not have (analystA).
func hubPayments(accounts any) []string {
	var out []string
	for _, a := range asList(accounts) {
		m := asMap(a)
		id := str(m["id"])
		why, listed := strings.CutPrefix(str(m["reason"]), "suppressed: ") // hubs-suppressed.cypher's mark
		switch {
		case listed:
			out = append(out, fmt.Sprintf("account %s is on the hub list as a shared identifier (%q), so payments through it may be ordinary ones", id, why))
		case m["degree"] != nil:
			out = append(out, fmt.Sprintf("account %s is a hub (%d neighbours, as a payroll's, a shop's or a busy trading account has), so the payment may be one of many ordinary ones, a salary or a purchase",
				id, int(num(m["degree"]))))
		default: // a hub of a window's data
			out = append(out, fmt.Sprintf("account %s is a hub of the data scanned (more than %d neighbours), so the payment may be one of many ordinary ones, a salary or a purchase", id, probity.HubDegree))
		}
	}
	return out
}

func runPersonalInterest(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.query(p, nil)
	if err != nil {
		return nil, err
	}
	weight := map[string]float64{"family": 0.9, "co-resident": 0.8, "associate": 0.7, "high-profile": 0.6}
	what := map[string]string{"family": "a family member or partner of the officer", "co-resident": "someone who has lived at the officer's address at the same time as the officer",
		"associate": "an associate of the officer", "high-profile": "a high-profile person"}
	var hs []hit
	for _, r := range rows {
		kind := str(r["kind"])
		exp := fmt.Sprintf("Officer %s looked up record %s about %s, %s, on %s without an assignment to its case.",
			r["officer"], r["record"], r["subject"], what[kind], dayOf(str(r["accessAt"])))
		var innocent []string
		for _, s := range []string{assignmentInnocent(r["note"], str(r["accessAt"])), linkBeganAfter(asList(r["edges"]), str(r["accessAt"]), kind)} {
			if s != "" {
				innocent = append(innocent, s)
			}
		}
		h := hit{officer: str(r["officer"]), score: weight[kind], explanation: exp, innocent: strings.Join(innocent, "; ")}
		h.ev.addRow(r["nodes"], r["edges"])
		hs = append(hs, h)
	}
	return group(hs), nil
}

// linkBeganAfter tells that the personal link a look-up is flagged for
// began after the look-up (its edges: the access, ABOUT, then the
// relation, or the two residences whose overlap made co-residents): the
// officer could not have looked the person up for that link ("" when it
// began by then, or its start is not recorded).
func linkBeganAfter(edges []any, accessAt, kind string) string {
	if len(edges) < 3 || kind == "high-profile" {
		return ""
	}
	began := ""
	for _, e := range edges[2:] {
		if at := dayOf(str(asMap(e)["at"])); at > began {
			began = at
		}
	}
	if a := dayOf(accessAt); began == "" || a == "" || began <= a {
		return ""
	}
	if kind == "co-resident" {
		return fmt.Sprintf("they lived at the same address only from %s, after this look-up", began)
	}
	return fmt.Sprintf("the relationship began on %s, after this look-up", began)
}

var volumeCypher = cypherOf("access-volume.cypher")

// volumeSample is how many unassigned records a volume flag keeps as evidence.
const volumeSample = 25

// volumeRow is one officer's access counts in the window.
type volumeRow struct {
	officer, unit, role string
	total, x            int
}

// volume returns every officer's access counts (peer groups and profiles
// need everyone): the stored aggregates in a scan without a window, else
// counted now.
func (sc *scan) volume() ([]volumeRow, error) {
	if sc.volumeRows != nil {
		return sc.volumeRows, nil
	}
	cypher, params := aggReadCypher, map[string]any{}
	if !sc.agg {
		cypher, params = volumeCypher, sc.params(&patternDef{}, map[string]any{"officers": nil})
	}
	rows, err := sc.rows(cypher, params, false)
	if err != nil {
		return nil, fmt.Errorf("access volume: %w", err)
	}
	out := make([]volumeRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, volumeRow{officer: str(r["officer"]), unit: str(r["unit"]), role: str(r["role"]),
			total: int(num(r["total"])), x: int(num(r["x"]))})
	}
	sc.volumeRows = out
	return out, nil
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// robustZ returns (x − median) / (1.4826 · MAD) over the group, a MAD of 0
// taken as 1, with the median and MAD.
func robustZ(x float64, group []float64) (z, med, mad float64) {
	med = median(group)
	dev := make([]float64, len(group))
	for i, g := range group {
		dev[i] = math.Abs(g - med)
	}
	mad = median(dev)
	m := mad
	if m == 0 {
		m = 1
	}
	return (x - med) / (1.4826 * m), med, mad
}

func runVolumeOutlier(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.volume()
	if err != nil {
		return nil, err
	}
	minZ := num(p.param("minZ"))
	minCount := int(num(p.param("minCount")))
	peers := map[[2]string][]float64{}
	groupOf := map[string][2]string{}
	for _, r := range rows {
		k := [2]string{r.unit, r.role}
		peers[k] = append(peers[k], float64(r.x))
		groupOf[r.officer] = k
	}
	// an incremental scan looks again at the peer groups where some member's
	// count changed: a new median or MAD changes every member's z (every
	// group when an officer's unit or role changed: two groups changed)
	var groups map[[2]string]bool
	if sc.inc != nil && sc.agg && !sc.inc.regrouped {
		groups = map[[2]string]bool{}
		for _, o := range sc.inc.xChanged {
			groups[groupOf[o]] = true
		}
	}
	// In a peer group of one or two the officer's own count is half the
	// group or more: z is 0 or 0.674 whatever the count, so no flag. The
	// rule cannot judge them (rulesM M1): the run says how many had the
	// count to be flagged.
	alone := 0
	for _, r := range rows {
		// z only for those: robustZ sorts the group, and a unit's group of
		// thousands, sorted once for each officer of the force, was work
		// for nothing
		if group := peers[groupOf[r.officer]]; r.x >= minCount && len(group) <= 2 {
			if z, _, _ := robustZ(float64(r.x), group); z <= minZ { // a minZ under 0.674 flags some (reviewM L1)
				alone++
			}
		}
	}
	if alone > 0 {
		sc.note(p, fmt.Sprintf("%d officer%s with at least %d unassigned look-ups %s in a peer group (unit and role) of one or two, where the robust z cannot pass %.3f: this rule cannot judge them",
			alone, plural(alone), minCount, map[bool]string{true: "is", false: "are"}[alone == 1], 1/1.4826))
	}
	var hs []hit
	var flagged []any
	if groups != nil {
		sc.evaluated = []string{} // every member of the groups looked at again
	}
	for _, r := range rows {
		if groups != nil && groups[groupOf[r.officer]] {
			sc.evaluated = append(sc.evaluated, r.officer)
		}
		if (groups != nil && !groups[groupOf[r.officer]]) || r.x < minCount {
			continue
		}
		if sc.touchedAll != nil {
			sc.touchedAll[r.officer] = true
		}
		group := peers[[2]string{r.unit, r.role}]
		z, med, mad := robustZ(float64(r.x), group)
		if z <= minZ {
			continue
		}
		exp := fmt.Sprintf("Officer %s made %d unassigned look-ups in the window against a median of %g (MAD %g) among %d officers of unit %s, role %s: robust z = %.1f.",
			r.officer, r.x, med, mad, len(group), orNone(r.unit), orNone(r.role), z)
		h := hit{officer: r.officer, score: clamp01(0.5 + 0.5*(1-minZ/z)), explanation: exp}
		h.ev.addNode(r.officer, probity.LabelOfficer)
		if r.x > volumeSample {
			h.explanation = strings.TrimSuffix(exp, ".") + fmt.Sprintf("; the evidence holds the first %d of them (fewer records when one was looked up more than once).", volumeSample)
			h.ev.beyondCap(fmt.Sprintf("unassigned-accesses:%d", r.x))
		}
		hs = append(hs, h)
		flagged = append(flagged, r.officer)
	}
	if len(hs) == 0 {
		return nil, nil
	}
	samples, err := sc.rows(volumeSampleCypher, sc.params(p, map[string]any{"officers": flagged, "sample": int64(volumeSample)}), false)
	if err != nil {
		return nil, fmt.Errorf("access volume sample: %w", err)
	}
	byOfficer := map[string][]any{}
	for _, s := range samples {
		byOfficer[str(s["officer"])] = asList(s["sample"])
	}
	for i := range hs {
		for _, s := range byOfficer[hs[i].officer] {
			m := asMap(s)
			hs[i].ev.addNode(str(m["record"]), probity.LabelRecord)
			hs[i].ev.addEdge(probity.EvidenceEdge{Type: probity.RelAccessed, From: hs[i].officer, To: str(m["record"]), At: str(m["at"])})
		}
	}
	return hs, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// noSwipesNote is attendance-mismatch's innocent explanation when no badge
// swipe is loaded for anyone.
const noSwipesNote = "the data holds no badge swipe for any officer: the swipes may be missing from the data (no badge_swipes.csv loaded), not from the door"

func runAttendanceMismatch(sc *scan, p *patternDef) ([]hit, error) {
	minDays := int(num(p.param("minDays")))
	span := int(num(p.param("spanDays")))
	looked := sc.officers
	if sc.agg && sc.aggRows != nil {
		// the stored mismatch days say who is flagged; the query gives the evidence
		candidates := sc.mismatchCandidates(minDays, span)
		sc.officers = map[string]bool{}
		for _, o := range candidates {
			sc.officers[o] = true
		}
		if sc.inc != nil {
			// flags whose wording read that no swipe was loaded: the query
			// finds again what the stored days say (prepare)
			for o := range sc.inc.noSwipes {
				sc.officers[o] = true
			}
		}
	}
	rows, err := sc.query(p, nil)
	// the officers looked at stay those prepare chose: an incremental scan
	// clears the flags of those it no longer finds (incrS: an officer whose
	// late swipes left fewer than 3 days was no candidate, so no clearing)
	sc.officers = looked
	if err != nil {
		return nil, err
	}
	// No swipe loaded for anyone: every onsite day with remote look-ups
	// only counts, which says more of the data than of the officers
	// (formatA L2): each flag says so, and the scan notes it.
	swipes, err := sc.s.holdsAny(sc.ctx, cypherAnyNode, probity.LabelBadgeSwipe)
	if err != nil {
		return nil, err
	}
	innocent := ""
	if !swipes && len(rows) > 0 {
		innocent = noSwipesNote
		sc.note(p, "no badge swipe in the data: every onsite day with only remote look-ups counts as a mismatch day")
	}
	var hs []hit
	for _, r := range rows {
		type mday struct {
			t   time.Time
			raw map[string]any
		}
		var days []mday
		for _, d := range asList(r["days"]) {
			m := asMap(d)
			t, err := time.Parse("2006-01-02", str(m["day"]))
			if err == nil {
				days = append(days, mday{t, m})
			}
		}
		sort.Slice(days, func(i, j int) bool { return days[i].t.Before(days[j].t) })
		in := map[int]bool{}
		best, bestStart := 0, 0
		for i := range days {
			j := i
			for j+1 < len(days) && int(days[j+1].t.Sub(days[i].t).Hours()/24) <= span-1 {
				j++
			}
			if n := j - i + 1; n >= minDays {
				for k := i; k <= j; k++ {
					in[k] = true
				}
				if n > best {
					best, bestStart = n, i
				}
			}
		}
		if best == 0 {
			continue
		}
		officer := str(r["officer"])
		h := hit{officer: officer, score: clamp01(0.5 + 0.1*float64(best-minDays)), innocent: innocent}
		h.ev.addNode(officer, probity.LabelOfficer)
		var shown []string
		accesses := 0
		for k, d := range days {
			if !in[k] {
				continue
			}
			shift := str(d.raw["shift"])
			h.ev.addNode(shift, probity.LabelShift)
			h.ev.addEdge(probity.EvidenceEdge{Type: probity.RelWorked, From: officer, To: shift, At: str(d.raw["day"])})
			accesses += int(num(d.raw["n"]))
			for _, a := range asList(d.raw["accesses"]) {
				m := asMap(a)
				h.ev.addNode(str(m["record"]), probity.LabelRecord)
				h.ev.addEdge(probity.EvidenceEdge{Type: probity.RelAccessed, From: officer, To: str(m["record"]), At: str(m["at"]),
					Props: map[string]any{"channel": "remote"}})
			}
		}
		var others []string // flagged days of other qualifying runs
		for k := range days {
			if in[k] && (k < bestStart || k >= bestStart+best) {
				others = append(others, str(days[k].raw["day"]))
			} else if k >= bestStart && k < bestStart+best {
				shown = append(shown, str(days[k].raw["day"]))
			}
		}
		more := ""
		if len(others) > 0 {
			more = fmt.Sprintf(", and %d more such day%s in other runs of %d or more within %d days (%s)", len(others), plural(len(others)), minDays, span, listShort(others, 5))
		}
		h.explanation = fmt.Sprintf("Officer %s had %d mismatch days within %d days (%s)%s: a shift declared onsite, no badge swipe, and only remote look-ups (%d look-ups on the %d flagged days in all).",
			officer, best, span, strings.Join(shown, ", "), more, accesses, len(in))
		hs = append(hs, h)
	}
	return hs, nil
}

func runBusinessInterest(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.query(p, nil)
	if err != nil {
		return nil, err
	}
	var hs []hit
	for _, r := range rows {
		var exp, innocent string
		var score float64
		role := str(r["role"])
		if role == "" {
			role = "director or owner"
		}
		if str(r["variant"]) == "own" {
			score = 0.6
			exp = fmt.Sprintf("Officer %s is %s of company %s", r["officer"], role, r["company"])
			if s := str(r["since"]); s != "" {
				exp += " since " + s
			}
			exp += " and has not declared it" + withdrawnNote(r["withdrawn"]) + "."
			if u := str(r["until"]); u != "" {
				innocent = "the directorship is due to end on " + u
			} else {
				score += 0.1
			}
			if dl := str(r["declaredLater"]); dl != "" {
				innocent = strings.Trim(innocent+"; "+declaredAfterScan(dl, str(r["since"]), "the directorship"), "; ")
			}
		} else {
			score = 0.8
			payer := fmt.Sprintf("person of interest %s", r["payer"])
			if pk := str(r["payerKind"]); pk != "poi" {
				payer = fmt.Sprintf("%s, %s", r["payer"], pk)
			}
			paid, since := dayOf(str(r["paidAt"])), str(r["since"])
			holds := fmt.Sprintf("is %s of company %s", role, r["company"])
			var readings []string
			switch current, _ := r["current"].(bool); {
			case !current: // held on the payment's day, so begun by the scan's: ended since
				holds = fmt.Sprintf("was %s of company %s until %s", role, r["company"], r["until"])
				readings = append(readings, fmt.Sprintf("%s no longer directs company %s: the directorship ended on %s (the payment was on %s)", r["relative"], r["company"], r["until"], paid))
			case since > paid: // in force now, begun after the payment (ISO days compare as text)
				holds = fmt.Sprintf("has been %s of company %s since %s (after the payment)", role, r["company"], since)
				readings = append(readings, fmt.Sprintf("%s became %s of company %s on %s, after the payment on %s", r["relative"], role, r["company"], since, paid))
			}
			exp = fmt.Sprintf("Officer %s's family member %s %s, not declared by the officer, which was paid %s (payment %s on %s) from an account held by %s%s.",
				r["officer"], r["relative"], holds, money(r["amount"], r["currency"]), r["payment"], paid, payer,
				withdrawnNote(r["withdrawn"]))
			if r["note"] != nil {
				if note := assignmentInnocent(r["note"], str(r["accessAt"])); note != "" {
					readings = append(readings, note)
				}
			}
			innocent = strings.Join(append(readings, hubPayments(r["hubAccounts"])...), "; ")
		}
		h := hit{officer: str(r["officer"]), score: score, explanation: exp, innocent: innocent}
		h.ev.addRow(r["nodes"], r["edges"])
		hs = append(hs, h)
	}
	return group(hs), nil
}

func runCollusionRing(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.query(p, nil)
	if err != nil {
		return nil, err
	}
	days := num(p.param("days"))
	var hs []hit
	for _, r := range rows {
		hops := int(num(r["hops"]))
		gap := num(r["gapDays"])
		score := clamp01(0.7 + 0.1*float64(2-hops) + 0.2*(1-gap/math.Max(1, days)))
		// each side's look-up goes with its officer, whichever is flagged
		type side struct {
			officer, record, at string
			note                any
		}
		s1 := side{str(r["officer1"]), str(r["record1"]), str(r["at1"]), r["note1"]}
		s2 := side{str(r["officer2"]), str(r["record2"]), str(r["at2"]), r["note2"]}
		for _, pair := range [][2]side{{s1, s2}, {s2, s1}} {
			me, other := pair[0], pair[1]
			if !sc.wanted(me.officer) {
				continue // an incremental scan adds the partner to the officers when the pair is new
			}
			more := ""
			if n := int(num(r["pairs"])); n > 1 {
				more = fmt.Sprintf("; the closest of %d pairs of their look-up days within %g days", n, days)
			}
			exp := fmt.Sprintf("Officers %s and %s, linked by %d association link%s, both looked up person of interest %s without an assignment %g day%s apart (%s: record %s on %s; %s: record %s on %s%s).",
				me.officer, other.officer, hops, plural(hops), r["poi"], gap, plural(int(gap)),
				me.officer, me.record, dayOf(me.at), other.officer, other.record, dayOf(other.at), more)
			var innocent []string
			for _, s := range []side{me, other} { // each clause names its officer (analystD L3)
				if n := assignmentInnocent(s.note, s.at); n != "" {
					innocent = append(innocent, s.officer+": "+n)
				}
			}
			h := hit{officer: me.officer, score: score, explanation: exp, innocent: strings.Join(innocent, "; "),
				brief: fmt.Sprintf("with %s about %s (record %s on %s)", other.officer, r["poi"], other.record, dayOf(other.at))}
			h.ev.addRow(r["nodes"], r["edges"])
			hs = append(hs, h)
		}
	}
	return group(hs), nil
}

func runCoAccusedCrew(sc *scan, p *patternDef) ([]hit, error) {
	rows, err := sc.query(p, nil)
	if err != nil {
		return nil, err
	}
	minShared := int(num(p.param("minShared")))
	type crew struct {
		partners   map[string][]string // partner → shared complaints
		complaints map[string]bool
		sustained  map[string]bool
		own        map[string]string // complaint → the officer's own finding
		ev         evidence
	}
	crews := map[string]*crew{}
	get := func(o string) *crew {
		c := crews[o]
		if c == nil {
			c = &crew{partners: map[string][]string{}, complaints: map[string]bool{}, sustained: map[string]bool{}, own: map[string]string{}}
			c.ev.addNode(o, probity.LabelOfficer)
			crews[o] = c
		}
		return c
	}
	for _, r := range rows {
		o1, o2 := str(r["officer1"]), str(r["officer2"])
		for i, side := range [][2]string{{o1, o2}, {o2, o1}} {
			c := get(side[0])
			c.ev.addNode(side[1], probity.LabelOfficer)
			for _, s := range asList(r["shared"]) {
				m := asMap(s)
				id := str(m["complaint"])
				c.partners[side[1]] = append(c.partners[side[1]], id)
				c.complaints[id] = true
				c.own[id] = str(m[[]string{"f1", "f2"}[i]])
				if str(m["f1"]) == "sustained" || str(m["f2"]) == "sustained" {
					c.sustained[id] = true
				}
				c.ev.addNode(id, probity.LabelComplaint)
				c.ev.addEdge(probity.EvidenceEdge{Type: probity.RelNamedIn, From: o1, To: id, Props: map[string]any{"role": "accused", "finding": str(m["f1"])}})
				c.ev.addEdge(probity.EvidenceEdge{Type: probity.RelNamedIn, From: o2, To: id, Props: map[string]any{"role": "accused", "finding": str(m["f2"])}})
			}
		}
	}
	var ids []string // the officers flagged and their partners
	for o, c := range crews {
		if !sc.wanted(o) {
			continue
		}
		ids = append(ids, o)
		for pt := range c.partners {
			ids = append(ids, pt)
		}
	}
	unit, err := sc.units(ids)
	if err != nil {
		return nil, err
	}
	var hs []hit
	for o, c := range crews {
		if !sc.wanted(o) {
			continue
		}
		var partners []string
		maxShared := 0
		for pt, cs := range c.partners {
			partners = append(partners, pt)
			maxShared = max(maxShared, len(cs))
		}
		sort.Slice(partners, func(i, j int) bool {
			if len(c.partners[partners[i]]) != len(c.partners[partners[j]]) {
				return len(c.partners[partners[i]]) > len(c.partners[partners[j]])
			}
			return partners[i] < partners[j]
		})
		// v3: every further shared complaint, partner and sustained finding
		// raises the score, less each time (v2 capped them at 6 shared and
		// 5 officers, and took the sustained share, so 2 sustained of 6
		// scored below 1 of 2)
		grow := func(weight, keep float64, n int) float64 { return weight * (1 - math.Pow(keep, float64(max(0, n)))) }
		// shared complaints count beyond the least a pair needs (minShared,
		// 2 by default: an administrator may set it; adminC M2)
		score := clamp01(0.4 + grow(0.15, 0.75, maxShared-minShared) + grow(0.15, 0.8, len(partners)-1) + grow(0.3, 0.5, len(c.sustained)))
		top := partners[0]
		cs := append([]string(nil), c.partners[top]...)
		sort.Strings(cs)
		exp := fmt.Sprintf("Officer %s was named as accused together with %s in %d complaints (%s)", o, top, len(cs), strings.Join(cs, ", "))
		if len(partners) > 1 {
			exp += fmt.Sprintf(", and with %d other officer%s in %d or more complaints (crew of %d)", len(partners)-1, plural(len(partners)-1), minShared, len(partners)+1)
		}
		ownSustained := 0
		for _, f := range c.own {
			if f == "sustained" {
				ownSustained++
			}
		}
		exp += fmt.Sprintf("; %d of the %d shared complaints had a sustained finding against the officer or a crew partner (%d against the officer).",
			len(c.sustained), len(c.complaints), ownSustained)
		var innocent []string
		cleared := crewInnocent(c.own)
		if cleared != "" {
			innocent = append(innocent, cleared)
		}
		if len(c.sustained) > 0 && ownSustained == 0 {
			// the score counts the partners' sustained findings too (DESIGN: "scored higher for sustained findings")
			innocent = append(innocent, "none of the sustained findings is against the officer")
		}
		if len(c.sustained) == 0 && cleared == "" {
			innocent = append(innocent, "none of the shared complaints was sustained against anyone in the crew")
		}
		if u := unit[o]; u != "" {
			// analystZ: 1,477 of Chicago's 3,210 crews had no innocent
			// reading; analystA: a partner other than the top one in the
			// officer's unit went unsaid
			var mates []string
			for _, pt := range partners {
				if unit[pt] == u {
					mates = append(mates, pt)
				}
			}
			if len(mates) > 0 {
				innocent = append(innocent, fmt.Sprintf("the officer and %s serve in the same unit (%s): officers who attend an incident together are named together",
					listShort(mates, 3), u))
			}
		}
		hs = append(hs, hit{officer: o, score: score, explanation: exp, innocent: strings.Join(innocent, "; "), ev: c.ev})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].officer < hs[j].officer })
	return hs, nil
}

// units reads the units of the officers ids ("" where none is recorded).
func (sc *scan) units(ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rs, err := sc.rows(`UNWIND $ids AS id MATCH (o:Officer {id: id}) WHERE o.unit IS NOT NULL RETURN o.id AS officer, o.unit AS unit`,
		map[string]any{"ids": ids}, false)
	if err != nil {
		return nil, fmt.Errorf("officers' units: %w", err)
	}
	for _, r := range rs {
		out[str(r["officer"])] = str(r["unit"])
	}
	return out, nil
}

// crewInnocent says in how many of an officer's shared complaints the
// officer was cleared (exonerated, or the allegation unfounded): one
// complainant often names every officer at an incident, so a crew cleared
// each time may be a team that works together.
func crewInnocent(own map[string]string) string {
	cleared := 0
	for _, f := range own {
		if f == "exonerated" || f == "unfounded" {
			cleared++
		}
	}
	switch {
	case cleared == 0:
		return ""
	case cleared == len(own):
		return fmt.Sprintf("the officer was cleared (exonerated or unfounded) in all %d shared complaints; one complainant often names every officer at an incident", cleared)
	}
	return fmt.Sprintf("the officer was cleared (exonerated or unfounded) in %d of the %d shared complaints", cleared, len(own))
}

// runTripwire looks at every officer; in an incremental scan whose watch
// list did not change, at the new accesses only, and with an empty watch
// list at nothing (prepare).
func runTripwire(sc *scan, p *patternDef) ([]hit, error) {
	if sc.tripwire["none"] == true {
		return nil, nil
	}
	rows, err := sc.queryAll(p, sc.tripwire)
	if err != nil {
		return nil, err
	}
	var hs []hit
	for _, r := range rows {
		what := "watched record " + str(r["record"])
		switch w := str(r["watched"]); {
		case r["watchedCase"] == true:
			what = fmt.Sprintf("record %s of watched case %s", r["record"], w)
		case w != str(r["record"]):
			what = fmt.Sprintf("record %s about watched %s", r["record"], w)
		}
		exp := fmt.Sprintf("Officer %s looked up %s on %s without an assignment (watch item %s: %s).",
			r["officer"], what, dayOf(str(r["accessAt"])), r["watch"], orNone(str(r["reason"])))
		var innocent []string
		if s := assignmentInnocent(r["note"], str(r["accessAt"])); s != "" {
			innocent = append(innocent, s)
		}
		if s := watchedAfter(str(r["accessAt"]), str(r["watchedAt"])); s != "" {
			innocent = append(innocent, s)
		}
		h := hit{officer: str(r["officer"]), score: 0.9, explanation: exp, innocent: strings.Join(innocent, "; ")}
		h.ev.addRow(r["nodes"], r["edges"])
		hs = append(hs, h)
	}
	return group(hs), nil
}

// watchedAfter says that a look-up came before its record was watched: a
// watch item added later catches earlier look-ups too (DESIGN: "any
// unassigned look-up of them raises a flag"), but whoever made one could
// not know the record was sensitive then. "" when it was watched already
// (or on the same UTC day: which came first is then left to the reader).
func watchedAfter(accessAt, watchedAt string) string {
	a, w := dayOf(accessAt), dayOf(watchedAt)
	if a == "" || w == "" || a >= w {
		return ""
	}
	return fmt.Sprintf("the look-up on %s came before the watch item was added on %s", a, w)
}

// declaredAfterScan tells of a declaration dated after the scan's day (the
// declarationsNotInForce subquery's declaredLater): it is not in force, so
// the link is still undeclared, and the flag says since when (DESIGN: "the
// flag says how long a link existed before it was declared", and shows a
// declaration "made only after the flag" as such). The time to a date not
// yet come is no duration a link existed, so no count of days.
func declaredAfterScan(declared, since, what string) string {
	s := "its start is not recorded"
	if since != "" {
		s = fmt.Sprintf("%s has existed undeclared since %s", what, dayOf(since))
	}
	return fmt.Sprintf("a declaration dated %s, after the scan's day, is not in force yet: %s", dayOf(declared), s)
}

// withdrawnNote tells the declarations of a flag's subject that were
// withdrawn by the scan's day ("; a declaration made on X was withdrawn on
// Y"), or "".
func withdrawnNote(v any) string {
	var out string
	for _, w := range asList(v) {
		m := asMap(w)
		out += fmt.Sprintf("; a declaration made on %s was withdrawn on %s", orUndated(str(m["on"])), str(m["withdrawn"]))
	}
	return out
}
