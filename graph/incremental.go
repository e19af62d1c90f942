package graph

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// Incremental scans and per-officer aggregates (docs/patterns.md "Scans").
//
// Two patterns need facts about an officer's whole history:
// access-volume-outlier (the count of unassigned accesses) and
// attendance-mismatch (the mismatch days). A scan without a window keeps
// them on the Officer node, with the degree-store counts of the officer's
// own events they were computed from: aggAccesses, aggWorked, aggSwiped,
// aggAssigned, aggUnassigned, aggMismatchDays; (:AggregateState {id:
// 'officer', access, swipe, shift, watermark}) holds the newest time of
// each kind of event they cover, and the newest of all. A full scan
// recomputes them for everyone; an incremental scan compares the counts
// (degree store, no expansion) and, for an officer whose counts grew by
// exactly its events after their kinds' stamps, adds the new accesses and
// recomputes only the days the new events fall on; any other change (late
// events dated before their kind's stamp, a new assignment) recomputes
// that officer's whole history.

var (
	aggCheckCypher          = cypherOf("agg-check.cypher")
	aggWriteCypher          = cypherOf("agg-write.cypher")
	aggReadCypher           = cypherOf("agg-read.cypher")
	aggWatermarkCypher      = cypherOf("agg-watermark.cypher")
	newEventsCypher         = cypherOf("new-events.cypher")
	dayFactsCypher          = cypherOf("day-facts.cypher")
	officerAggregatesCypher = cypherOf("officer-aggregates.cypher")
	aggLateShiftsCypher     = cypherOf("agg-late-shifts.cypher")
	volumeSampleCypher      = cypherOf("volume-sample.cypher")
	newLinksCypher          = cypherOf("new-links.cypher")
	touchedLoadedCypher     = cypherOf("touched-loaded.cypher")
	hubsNewCypher           = cypherOf("hubs-new.cypher")
	hubsUnsuppressCypher    = cypherOf("hubs-unsuppress.cypher")
	touchedAssocCypher      = cypherOf("touched-association.cypher")
	touchedNearCypher       = cypherOf("touched-near.cypher")
	touchedAccessCypher     = cypherOf("touched-access.cypher")
	poisNearCypher          = cypherOf("pois-near.cypher")
	touchedCollusionCypher  = cypherOf("touched-collusion.cypher")
	collusionPoisCypher     = cypherOf("collusion-pois.cypher")
	staleScoresCypher       = cypherOf("stale-scores.cypher")
	watchChangedCypher      = `OPTIONAL MATCH (c:ListChange {id: 'WatchItem'}) WITH c.removedAt AS removedAt
		OPTIONAL MATCH (w:WatchItem)
		WITH removedAt, count(w) AS items, count(CASE WHEN $start IS NULL OR w.at >= $start THEN 1 END) AS added
		RETURN items, added > 0 OR (removedAt IS NOT NULL AND ($start IS NULL OR removedAt >= $start)) AS changed`
	suppressionRemovedCypher = `OPTIONAL MATCH (c:ListChange {id: 'Suppression'})
		RETURN c.removedAt IS NOT NULL AND ($start IS NULL OR c.removedAt >= $start) AS removed`
	touchedDeclaredCypher = `MATCH (o)-[d:DECLARED]->() WHERE (d.on >= $sinceDay OR d.withdrawnOn >= $sinceDay OR d.loadedAt >= $loadedFrom) AND o:Officer RETURN collect(DISTINCT o.id) AS officers`
	noSwipesFlagsCypher   = `MATCH (f:Flag {pattern: $pattern}) WHERE ` + standingFlag + ` AND f.innocentExplanation CONTAINS $note
		RETURN collect(DISTINCT f.officerId) AS officers`
	aggStateCypher       = `MATCH (s:AggregateState {id: 'officer'}) RETURN s.watermark, s.access, s.swipe, s.shift`
	aggStateWriteCypher  = `MERGE (s:AggregateState {id: 'officer'}) SET s.watermark = $watermark, s.access = $access, s.swipe = $swipe, s.shift = $shift`
	aggStateForgetCypher = `MATCH (s:AggregateState {id: 'officer'}) DELETE s`
)

// increment is what an incremental scan knows about the new data.
type increment struct {
	since time.Time
	// baseStart: when the scan whose watermark since is started (zero with
	// an explicit --since: the watch list is then taken as changed)
	baseStart time.Time
	// loadedFrom: links stamped since (PropLoadedAt) are new, however they
	// are dated (the base scan's loadedFrom; since with --since)
	loadedFrom time.Time
	links      []any    // new association links {type, x, y} (element ids)
	hubs       []string // element ids of nodes that have just become hubs
	// officers whose access history changed (new or late accesses, new
	// assignments), and those whose history must be recomputed whole
	access map[string]bool
	late   []string
	// officers whose access history changed by links loaded since
	// loadedFrom (touched-loaded.cypher): recomputed whole
	loaded map[string]bool
	// officers whose mismatch days changed, and those whose
	// unassigned-access count changed (their peer groups are evaluated again)
	mismatch map[string]bool
	xChanged []string
	near2    map[string]bool
	near4    map[string]bool
	nearDone bool
	// officers with a new access that takes part in a hit (touched-access)
	gain, personal, business map[string]bool
	// marked: a stored person became, or stopped being, of interest or
	// high-profile since loadedFrom (PropMarkedAt): the rules that read
	// those marks look at every officer; regrouped: a stored officer's unit
	// or role changed, so access-volume-outlier looks at every peer group
	marked, regrouped bool
	// sinceGiven: a scan given --since looks at what is new since then,
	// not at the flags an incremental scan rescores (staleScores)
	sinceGiven bool
	// noSwipes: officers with a current attendance-mismatch flag that says
	// no badge swipe is loaded, while one is now
	noSwipes map[string]bool
	// unsuppressed: a suppression was removed since the base scan began:
	// paths through what it named are open again, anywhere, so the rules
	// that avoid hubs look at every officer
	unsuppressed bool
}

// avoidsHubs are the patterns whose paths no hub may cut.
var avoidsHubs = map[string]bool{PatUndisclosedAssociation: true, PatPersonalInterest: true, PatCollusionRing: true}

// readsMarks are the patterns whose result a person's poi or highProfile
// changes, for officers anywhere within their reach.
var readsMarks = map[string]bool{PatUndisclosedAssociation: true, PatPersonalInterest: true, PatBusinessInterest: true, PatCollusionRing: true}

// markedCypher tells whether a stored person's marks, or a stored
// officer's unit or role, changed since $loadedFrom.
const markedCypher = `CALL { MATCH (p:Person) WHERE p.` + PropMarkedAt + ` >= $loadedFrom RETURN count(p) > 0 AS marked }
CALL { MATCH (o:Officer) WHERE o.` + PropMarkedAt + ` >= $loadedFrom RETURN count(o) > 0 AS regrouped }
RETURN marked, regrouped`

// aggRow is one officer's stored aggregates.
type aggRow struct {
	officer            string
	na, nw, ns, nas, x int64
	days               []string // YYYY-MM-DD, sorted
	// lastShift is a day no shift counted in nw is after (YYYY-MM-DD; ""
	// none stored, or, with nw > 0, stored by an earlier build)
	lastShift string
}

func (r aggRow) params() map[string]any {
	days := make([]any, 0, len(r.days))
	for _, d := range r.days {
		if t := dayParam(d); t != nil {
			days = append(days, t)
		}
	}
	return map[string]any{"officer": r.officer, "na": r.na, "nw": r.nw, "ns": r.ns, "nas": r.nas, "x": r.x, "days": days,
		"lastShift": dayParam(r.lastShift)}
}

// dayParam is day (YYYY-MM-DD) as a Cypher date, or nil when it is none.
func dayParam(day string) any {
	if t, err := time.Parse("2006-01-02", day); err == nil {
		return neo4j.DateOf(t)
	}
	return nil
}

func dayStrings(v any) []string {
	var out []string
	for _, d := range asList(v) {
		out = append(out, dayOf(str(d)))
	}
	sort.Strings(out)
	return out
}

func (sc *scan) rows(cypher string, params map[string]any, write bool) ([]map[string]any, error) {
	res, err := sc.s.query(sc.ctx, sc.cypher(cypher), params, write)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(res.Records))
	for i, r := range res.Records {
		out[i] = r.AsMap()
	}
	return out, nil
}

// officersInto runs a read whose one row holds a list `officers` and adds
// those ids to into.
func (sc *scan) officersInto(cypher string, params map[string]any, into map[string]bool) error {
	rs, err := sc.rows(cypher, params, false)
	if err != nil {
		return err
	}
	if len(rs) > 0 {
		idSet(rs[0]["officers"], into)
	}
	return nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// markHubsIncremental updates the Hub label after new links: the ends of
// the new links (and the nodes that were hubs by suppression only) are
// checked again; a hub stays a hub (data only grows).
func (sc *scan) markHubsIncremental() error {
	inc := sc.inc
	res, err := sc.rows(newLinksCypher, map[string]any{"since": inc.since, "sinceDay": neo4j.DateOf(inc.since.UTC()),
		"loadedFrom": inc.loadedFrom, "lastDay": neo4j.DateOf(dataDay(sc.dataTime)),
		"endedFrom": neo4j.DateOf(dataDay(inc.since))}, false)
	if err != nil {
		return fmt.Errorf("new links: %w", err)
	}
	if len(res) > 0 {
		inc.links = asList(res[0]["links"])
	}
	un, err := sc.rows(hubsUnsuppressCypher, nil, true)
	if err != nil {
		return fmt.Errorf("unsuppress hubs: %w", err)
	}
	was := []any{}
	if len(un) > 0 {
		was = asList(un[0]["nodes"])
	}
	nodes := slices.Clone(was)
	for _, l := range inc.links {
		m := asMap(l)
		nodes = append(nodes, m["x"], m["y"])
	}
	hs, err := sc.rows(hubsNewCypher, map[string]any{"nodes": nodes, "was": was, "hubDegree": sc.base["hubDegree"]}, true)
	if err != nil {
		return fmt.Errorf("mark new hubs: %w", err)
	}
	if len(hs) > 0 {
		inc.hubs = append(inc.hubs, asStrings(hs[0]["hubs"])...)
	}
	var start any
	if !inc.baseStart.IsZero() {
		start = inc.baseStart
	}
	sup, err := sc.rows(hubsSuppressedCypher, map[string]any{"start": start}, true)
	if err != nil {
		return fmt.Errorf("mark suppressed: %w", err)
	}
	// a suppression added since the base scan cuts paths as a new hub does
	if len(sup) > 0 {
		for _, h := range asList(sup[0]["added"]) {
			if e := str(h); e != "" && !slices.Contains(inc.hubs, e) {
				inc.hubs = append(inc.hubs, e)
			}
		}
	}
	rm, err := sc.rows(suppressionRemovedCypher, map[string]any{"start": start}, false)
	if err != nil {
		return fmt.Errorf("suppressions removed: %w", err)
	}
	inc.unsuppressed = len(rm) > 0 && rm[0]["removed"] == true
	return nil
}

// touchedLoaded finds the officers whose access history changed by links
// loaded since the base scan (touched-loaded.cypher), and whether a load
// since changed a stored person's marks or an officer's unit or role
// (markedCypher).
func (sc *scan) touchedLoaded() error {
	sc.inc.loaded = map[string]bool{}
	if err := sc.officersInto(touchedLoadedCypher, map[string]any{"loadedFrom": sc.inc.loadedFrom, "since": sc.inc.since}, sc.inc.loaded); err != nil {
		return fmt.Errorf("touched by loaded links: %w", err)
	}
	ms, err := sc.rows(markedCypher, map[string]any{"loadedFrom": sc.inc.loadedFrom}, false)
	if err != nil {
		return fmt.Errorf("persons and officers marked since: %w", err)
	}
	sc.inc.marked = len(ms) > 0 && ms[0]["marked"] == true
	sc.inc.regrouped = len(ms) > 0 && ms[0]["regrouped"] == true
	return nil
}

// updateAggregates brings the officers' aggregates up to date (every
// officer in a full scan) and, in an incremental scan, records what
// changed in sc.inc.
func (sc *scan) updateAggregates() error {
	u := &aggUpdate{sc: sc, full: sc.inc == nil, facts: map[[2]string]*dayFacts{}, events: map[string]map[string]newEv{},
		rows: map[string]*aggRow{}, old: map[string]aggRow{}, delta: map[string]bool{}, redo: map[string]bool{}}
	check, stamps, err := u.readCounts()
	if err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	if !u.since.latest().IsZero() && len(check) > 0 {
		if err := u.newEvents(); err != nil {
			return fmt.Errorf("new events: %w", err)
		}
	}
	checked := aggCheckRows(check)
	if err := u.lateShifts(checked); err != nil {
		return fmt.Errorf("late shifts: %w", err)
	}
	u.classify(checked)
	if err := u.wholeHistories(); err != nil {
		return err
	}
	if err := u.newEventDays(); err != nil {
		return fmt.Errorf("day facts: %w", err)
	}
	if err := u.store(stamps); err != nil {
		return fmt.Errorf("store aggregates: %w", err)
	}
	return nil
}

// aggUpdate is one run of updateAggregates.
type aggUpdate struct {
	sc      *scan
	full    bool
	since   aggStamps // the stamps the stored counts were taken at (zero in a full scan)
	lastDay string    // the latest stamp's day: later days' events are all in events
	events  map[string]map[string]newEv
	facts   map[[2]string]*dayFacts // officer, day
	rows    map[string]*aggRow      // the counts now, by officer
	old     map[string]aggRow       // the aggregates as stored, by officer
	late    []string                // officers whose history is recomputed whole
	delta   map[string]bool         // officers with new events only
	redo    map[string]bool         // days to recompute for the delta officers
}

// newEv is an officer's events of one kind since the stamp: how many, how
// many with a person not met before (un), and their days.
type newEv struct {
	n, un int64
	days  []string
}

// dayFacts is what attendance-mismatch needs of an officer's day.
type dayFacts struct{ shift, swipe, n, remote int64 }

// addFact adds n events of kind on day to officer o's facts.
func (u *aggUpdate) addFact(o, day, kind string, n, remote int64) {
	k := [2]string{o, day}
	x := u.facts[k]
	if x == nil {
		x = &dayFacts{}
		u.facts[k] = x
	}
	switch kind {
	case "shift":
		x.shift += n
	case "swipe":
		x.swipe += n
	case "access":
		x.n += n
		x.remote += remote
	}
}

// readCounts reads every officer's counts now beside the stored ones
// (agg-check.cypher; in an incremental scan, the officers whose counts
// differ or whose links were loaded), the stamps they will be stored under
// (agg-watermark.cypher) and, in an incremental scan, the stored stamps.
func (u *aggUpdate) readCounts() (check []map[string]any, stamps aggStamps, err error) {
	sc := u.sc
	t0 := time.Now()
	force := []any{}
	if !u.full {
		for o := range sc.inc.loaded {
			force = append(force, o)
		}
	}
	if check, err = sc.rows(aggCheckCypher, map[string]any{"all": u.full, "force": force}, false); err != nil {
		return nil, stamps, err
	}
	aw, err := sc.rows(aggWatermarkCypher, nil, false)
	if err != nil {
		return nil, stamps, err
	}
	for _, r := range aw {
		t, _ := r["t"].(time.Time)
		*stamps.of(str(r["kind"])) = t
	}
	sc.step("aggregates: check counts", t0)
	if u.full {
		// the stamp goes first: an interrupted full scan leaves no stamp, so the
		// next incremental scan recomputes every officer whose counts differ
		_, err := sc.s.query(sc.ctx, aggStateForgetCypher, nil, true)
		return check, stamps, err
	}
	st, err := sc.rows(aggStateCypher, nil, false)
	if err != nil {
		return nil, stamps, err
	}
	if len(st) > 0 {
		u.since = storedStamps(st[0])
	}
	u.lastDay = u.since.latest().UTC().Format("2006-01-02")
	return check, stamps, nil
}

// aggStamps are the stamps of the officers' aggregates, one a kind of
// event (agg-watermark.cypher): every event of a kind they cover is at or
// before its kind's stamp (a shift's stamp is the start of its date).
type aggStamps struct{ access, swipe, shift time.Time }

// of is the stamp of kind ("access", "swipe" or "shift").
func (s *aggStamps) of(kind string) *time.Time {
	switch kind {
	case "access":
		return &s.access
	case "swipe":
		return &s.swipe
	}
	return &s.shift
}

// latest is the latest of the stamps (zero when there is none).
func (s aggStamps) latest() time.Time {
	t := s.access
	for _, u := range []time.Time{s.swipe, s.shift} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// params are the stamps as AggregateState stores them (a kind without
// events stored has none).
func (s aggStamps) params() map[string]any {
	p := map[string]any{"watermark": s.latest()}
	for _, k := range []string{"access", "swipe", "shift"} {
		if t := *s.of(k); !t.IsZero() {
			p[k] = t
		} else {
			p[k] = nil
		}
	}
	return p
}

// after are new-events.cypher's parameters: the events after the stamps
// (the shifts dated after the shifts' stamp's day).
func (s aggStamps) after() map[string]any {
	return map[string]any{"sinceAccess": s.access, "sinceSwipe": s.swipe, "sinceShift": neo4j.DateOf(s.shift.UTC())}
}

// storedStamps reads AggregateState's stamps: a kind without one had no
// event stored (every event of it is new). A state written before the
// stamps were kept a kind (by an earlier build) has only the latest of
// all, which every kind takes: every event then stored was at or before it.
func storedStamps(r map[string]any) aggStamps {
	var s aggStamps
	kept := false
	for _, k := range []string{"access", "swipe", "shift"} {
		t, ok := r["s."+k].(time.Time)
		*s.of(k), kept = t, kept || ok
	}
	if all, ok := r["s.watermark"].(time.Time); ok && !kept {
		s = aggStamps{access: all, swipe: all, shift: all}
	}
	return s
}

// newEvents reads the events after their kinds' stamps (new-events.cypher),
// with the facts of the days after the latest stamp's day: all their
// events are new, so day-facts.cypher is not needed for them.
func (u *aggUpdate) newEvents() error {
	t0 := time.Now()
	rs, err := u.sc.rows(newEventsCypher, u.since.after(), false)
	if err != nil {
		return err
	}
	for _, r := range rs {
		o := str(r["officer"])
		kind := str(r["kind"])
		u.eventsOf(o)[kind] = newEv{n: int64(num(r["n"])), un: int64(num(r["un"])), days: dayStrings(r["days"])}
		for _, pd := range asList(r["perDay"]) {
			m := asMap(pd)
			if d := dayOf(str(m["day"])); d > u.lastDay {
				u.addFact(o, d, kind, int64(num(m["n"])), int64(num(m["remote"])))
			}
		}
	}
	u.sc.step("aggregates: new events", t0)
	return nil
}

// classify sorts the officers read back: those whose stored aggregates
// plus their new events explain their counts now (delta: only the days of
// those events are recomputed), and the rest (late: their whole history).
// In a full scan every officer is late. It also notes in sc.inc whose
// access history changed.
func (u *aggUpdate) classify(check []aggCheck) {
	sc := u.sc
	if !u.full {
		sc.inc.access, sc.inc.mismatch = map[string]bool{}, map[string]bool{}
	}
	for _, c := range check {
		o, r, prev, known := c.officer, c.now, c.prev, c.known
		u.rows[o] = r
		if known {
			u.old[o] = prev
		}
		if u.full {
			u.late = append(u.late, o)
			continue
		}
		forced := sc.inc.loaded[o]
		if !known || prev.na != r.na || prev.nas != r.nas || forced {
			sc.inc.access[o] = true
		}
		ev := u.events[o]
		if u.explains(o, prev, r, known) && prev.nw+ev["shift"].n == r.nw {
			u.delta[o] = true
			r.x = prev.x + ev["access"].un
			r.lastShift = prev.lastShift
			if r.lastShift == "" && prev.nw > 0 { // stored by an earlier build: the stamp bounds them
				r.lastShift = u.since.shift.UTC().Format("2006-01-02")
			}
			for _, d := range ev["shift"].days {
				r.lastShift = max(r.lastShift, d)
			}
			for _, d := range u.eventDays(o, "access", "shift", "swipe") {
				u.redo[d] = true
			}
			continue
		}
		u.late = append(u.late, o)
	}
	sc.aggRows = u.rows
	if !u.full {
		sc.inc.late = u.late
	}
}

// aggCheck is a row of agg-check.cypher: an officer, its counts now, its
// aggregates as stored and whether it had any.
type aggCheck struct {
	officer string
	now     *aggRow
	prev    aggRow
	known   bool
}

// aggCheckRows reads the rows of agg-check.cypher.
func aggCheckRows(check []map[string]any) []aggCheck {
	out := make([]aggCheck, len(check))
	for i, c := range check {
		o := str(c["officer"])
		prev := aggRow{officer: o, na: int64(num(c["a0"])), nw: int64(num(c["w0"])), ns: int64(num(c["s0"])), nas: int64(num(c["as0"])),
			x: int64(num(c["x0"])), days: dayStrings(c["days0"])}
		if c["ls0"] != nil {
			prev.lastShift = dayOf(str(c["ls0"]))
		}
		out[i] = aggCheck{officer: o, prev: prev, known: c["a0"] != nil && c["x0"] != nil,
			now: &aggRow{officer: o, na: int64(num(c["na"])), nw: int64(num(c["nw"])), ns: int64(num(c["ns"])), nas: int64(num(c["nas"]))}}
	}
	return out
}

// explains says whether officer o's stored aggregates (prev) and its new
// events explain its counts now (r) but for its shifts: the same
// assignments, and its accesses and swipes grown by its new ones.
func (u *aggUpdate) explains(o string, prev aggRow, r *aggRow, known bool) bool {
	ev := u.events[o]
	return known && !u.sc.inc.loaded[o] && !u.since.latest().IsZero() && prev.nas == r.nas &&
		prev.na+ev["access"].n == r.na && prev.ns+ev["swipe"].n == r.ns
}

// lateShifts adds to the new events the shifts of officers (those whose
// shifts are the only count their new events do not explain) dated after
// their own latest stored shift but not after the shifts' stamp
// (agg-late-shifts.cypher): with rosters published further ahead in one
// unit than another, the others' new shifts are such. An officer whose
// latest shift is unknown (stored by an earlier build) is left to a
// whole recompute.
func (u *aggUpdate) lateShifts(check []aggCheck) error {
	if u.full || u.since.shift.IsZero() {
		return nil
	}
	var ask []any
	for _, c := range check {
		prev := c.prev
		if !u.explains(c.officer, prev, c.now, c.known) || prev.nw+u.events[c.officer]["shift"].n >= c.now.nw || (prev.lastShift == "" && prev.nw > 0) {
			continue
		}
		ask = append(ask, map[string]any{"officer": c.officer, "after": dayParam(c.prev.lastShift)})
	}
	if len(ask) == 0 {
		return nil
	}
	t0 := time.Now()
	rs, err := u.sc.rows(aggLateShiftsCypher, map[string]any{"officers": ask, "sinceShift": u.since.after()["sinceShift"]}, false)
	if err != nil {
		return err
	}
	for _, r := range rs {
		evs := u.eventsOf(str(r["officer"]))
		ev := evs["shift"]
		ev.n += int64(num(r["n"]))
		ev.days = append(ev.days, dayStrings(r["days"])...)
		evs["shift"] = ev
	}
	u.sc.step(fmt.Sprintf("aggregates: shifts of %d officers before the shifts' stamp", len(ask)), t0)
	return nil
}

// eventsOf is officer o's new events by kind (made empty when it has none).
func (u *aggUpdate) eventsOf(o string) map[string]newEv {
	if u.events[o] == nil {
		u.events[o] = map[string]newEv{}
	}
	return u.events[o]
}

// eventDays lists the days of officer o's new events of the kinds given.
func (u *aggUpdate) eventDays(o string, kinds ...string) []string {
	var days []string
	for _, k := range kinds {
		days = append(days, u.events[o][k].days...)
	}
	return days
}

// wholeHistories recomputes the derived aggregates of the late officers.
func (u *aggUpdate) wholeHistories() error {
	if len(u.late) == 0 {
		return nil
	}
	t0 := time.Now()
	ag, err := u.sc.officerAggregates(u.late)
	if err != nil {
		return err
	}
	for _, v := range ag {
		if r := u.rows[str(v["officer"])]; r != nil {
			r.x = int64(num(v["x"]))
			r.days = dayStrings(v["days"])
			if v["lastShift"] != nil {
				r.lastShift = dayOf(str(v["lastShift"]))
			}
		}
	}
	u.sc.step(fmt.Sprintf("aggregates: %d whole histories", len(u.late)), t0)
	return nil
}

// newEventDays recomputes the mismatch days of the delta officers: their
// stored days, less the days of their new events, plus those of these
// days that are mismatch days now (day-facts.cypher for the days up to
// the latest stamp's).
func (u *aggUpdate) newEventDays() error {
	if len(u.delta) == 0 {
		return nil
	}
	t0 := time.Now()
	var days []any
	for d := range u.redo {
		if d <= u.lastDay {
			days = append(days, dayParam(d))
		}
	}
	if len(days) > 0 {
		rs, err := u.sc.rows(dayFactsCypher, map[string]any{"dayList": days}, false)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if o := str(r["officer"]); u.delta[o] {
				u.addFact(o, dayOf(str(r["day"])), str(r["kind"]), int64(num(r["n"])), int64(num(r["remote"])))
			}
		}
	}
	for o := range u.delta {
		mine := map[string]bool{}
		for _, d := range u.eventDays(o, "access", "shift", "swipe") {
			mine[d] = true
		}
		var days []string
		for _, d := range u.old[o].days {
			if !mine[d] {
				days = append(days, d)
			}
		}
		for d := range mine {
			if x := u.facts[[2]string{o, d}]; x != nil && x.shift > 0 && x.swipe == 0 && x.n > 0 && x.n == x.remote {
				days = append(days, d)
			}
		}
		sort.Strings(days)
		u.rows[o].days = days
	}
	u.sc.step(fmt.Sprintf("aggregates: days of %d officers' new events", len(u.delta)), t0)
	return nil
}

// store notes in sc.inc whose derived aggregates changed, writes the
// aggregates that differ from the stored ones, then the new stamps.
func (u *aggUpdate) store(stamps aggStamps) error {
	sc := u.sc
	t0 := time.Now()
	recomputed := map[string]bool{}
	for _, o := range u.late {
		recomputed[o] = true
	}
	var write []any
	for o, r := range u.rows {
		prev, ok := u.old[o]
		sameDays := slices.Equal(prev.days, r.days)
		if !u.full {
			if !ok || prev.x != r.x {
				sc.inc.xChanged = append(sc.inc.xChanged, o)
			}
			// the days changed, or a day stayed a mismatch day with a new
			// look-up or shift on it: its evidence changed
			if !sameDays || (len(r.days) > 0 && (recomputed[o] || (u.delta[o] && anyIn(u.eventDays(o, "access", "shift"), r.days)))) {
				sc.inc.mismatch[o] = true
			}
		}
		if ok && sameDays && prev.x == r.x && prev.na == r.na && prev.nw == r.nw && prev.ns == r.ns && prev.nas == r.nas &&
			prev.lastShift == r.lastShift {
			continue
		}
		w := r.params()
		if ok && sameDays && prev.x == r.x {
			// the counts only: the derived aggregates are as stored
			w["x"], w["days"] = nil, nil
		}
		write = append(write, w)
	}
	const batch = 5000
	for i := 0; i < len(write); i += batch {
		j := min(len(write), i+batch)
		if _, err := sc.s.query(sc.ctx, aggWriteCypher, map[string]any{"rows": write[i:j]}, true); err != nil {
			return err
		}
	}
	if !stamps.latest().IsZero() {
		if _, err := sc.s.query(sc.ctx, aggStateWriteCypher, stamps.params(), true); err != nil {
			return err
		}
	}
	sc.step(fmt.Sprintf("aggregates: write %d", len(write)), t0)
	return nil
}

// anyIn says one of xs is in ys.
func anyIn(xs, ys []string) bool {
	for _, x := range xs {
		if slices.Contains(ys, x) {
			return true
		}
	}
	return false
}

// poisFor sets sc.pois to the persons of interest that cypher (one row,
// column pois) finds for sc.officers; with no officers it leaves sc.pois
// as it is.
func (sc *scan) poisFor(cypher, what string) error {
	if len(sc.officers) == 0 {
		return nil
	}
	ps, err := sc.rows(cypher, sc.incParams(map[string]any{"officers": keys(sc.officers)}), false)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	sc.pois = []string{}
	if len(ps) > 0 {
		for _, id := range asList(ps[0]["pois"]) {
			sc.pois = append(sc.pois, str(id))
		}
	}
	return nil
}

func idSet(v any, into map[string]bool) map[string]bool {
	if into == nil {
		into = map[string]bool{}
	}
	for _, id := range asList(v) {
		into[str(id)] = true
	}
	return into
}

// lateAccess are the officers whose history is recomputed whole and
// whose access history changed: every access of theirs is looked at.
func (inc *increment) lateAccess() []string {
	var out []string
	for _, o := range inc.late {
		if inc.access[o] {
			out = append(out, o)
		}
	}
	return out
}

func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		for k := range s {
			out[k] = true
		}
	}
	return out
}

func (sc *scan) incParams(extra map[string]any) map[string]any {
	m := sc.params(&patternDef{}, extra)
	m["since"] = sc.inc.since
	m["sinceDay"] = neo4j.DateOf(sc.inc.since.UTC())
	m["loadedFrom"] = sc.inc.loadedFrom
	m["links"] = sc.inc.links
	hubs := make([]any, len(sc.inc.hubs))
	for i, h := range sc.inc.hubs {
		hubs[i] = h
	}
	m["hubs"] = hubs
	return m
}

// nearLinks finds, once, the officers near new links and new hubs.
func (sc *scan) nearLinks() error {
	inc := sc.inc
	if inc.nearDone {
		return nil
	}
	inc.nearDone = true
	inc.near2, inc.near4 = map[string]bool{}, map[string]bool{}
	if len(inc.links) == 0 && len(inc.hubs) == 0 {
		return nil
	}
	rs, err := sc.rows(touchedNearCypher, sc.incParams(nil), false)
	if err != nil {
		return fmt.Errorf("touched near new links: %w", err)
	}
	if len(rs) > 0 {
		idSet(rs[0]["near2"], inc.near2)
		idSet(rs[0]["near4"], inc.near4)
	}
	return nil
}

// aggWorkers is how many officer-aggregates queries run at once: the pass
// over every officer's history is most of a full scan, and one query uses
// one core of the server.
const aggWorkers = 2

// officerAggregates runs officer-aggregates.cypher for the officers ids, in
// chunks, aggWorkers at a time.
func (sc *scan) officerAggregates(ids []string) ([]map[string]any, error) {
	const chunk = 2000
	var (
		mu     sync.Mutex
		out    []map[string]any
		errs   []error
		wg     sync.WaitGroup
		failed atomic.Bool // after the first error no chunk starts: each could take the query timeout (reviewB L3)
	)
	work := make(chan []any)
	for w := 0; w < aggWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for part := range work {
				if failed.Load() {
					continue
				}
				rs, err := sc.rows(officerAggregatesCypher, map[string]any{"officers": part}, false)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("officer aggregates: %w", err))
					failed.Store(true)
				}
				out = append(out, rs...)
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < len(ids) && !failed.Load(); i += chunk {
		part := make([]any, 0, chunk)
		for _, id := range ids[i:min(len(ids), i+chunk)] {
			part = append(part, id)
		}
		work <- part
	}
	close(work)
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return out, nil
}

// touchedAccess finds, once, the officers whose new accesses take part in
// a hit of access-for-gain or personal-interest-access.
func (sc *scan) touchedAccess() error {
	inc := sc.inc
	if inc.gain != nil {
		return nil
	}
	inc.gain, inc.personal, inc.business = map[string]bool{}, map[string]bool{}, map[string]bool{}
	// its window as an administrator set it, whichever of the three
	// patterns asks: the defaults' missed a payment a widened window
	// takes in (rulesK H1)
	p := sc.lib[PatAccessForGain]
	rs, err := sc.rows(touchedAccessCypher, sc.incParams(p.params()), false)
	if err != nil {
		return fmt.Errorf("touched by new accesses: %w", err)
	}
	if len(rs) > 0 {
		idSet(rs[0]["gain"], inc.gain)
		idSet(rs[0]["personal"], inc.personal)
		idSet(rs[0]["business"], inc.business)
	}
	return nil
}

// clearsOfficers are the patterns whose incremental run evaluates each of
// its officers (prepare's sc.officers) over all the data, as a full scan
// would: for undisclosed-association every person of interest within reach
// of them, for collusion-ring every one they looked up. tripwire (new
// look-ups only) and access-volume-outlier (peer groups) are not.
var clearsOfficers = map[string]bool{PatUndisclosedAssociation: true, PatAccessForGain: true, PatPersonalInterest: true,
	PatBusinessInterest: true, PatCollusionRing: true, PatAttendanceMismatch: true}

// uncounted are the patterns ScanRun.officers leaves out: they look at
// every officer (or at new look-ups) in every scan.
var uncounted = map[string]bool{PatTripwire: true, PatCoAccusedCrew: true, PatSimilarToConfirmed: true}

// sawAllIncremental tells the patterns an incremental scan runs as a full
// one does: co-accused-crew always (complaint links are undated), and, on
// aggregates it refreshed, similar-to-confirmed (a force-wide ranking) and
// access-volume-outlier when an officer changed peer group (every group).
func sawAllIncremental(sc *scan, pattern string) bool {
	switch pattern {
	case PatCoAccusedCrew:
		return true
	case PatSimilarToConfirmed:
		return sc.agg
	case PatVolumeOutlier:
		return sc.agg && sc.inc.regrouped
	}
	return false
}

// prepare sets, for an incremental scan, the officers (and persons of
// interest) pattern p looks at: those whose result may differ from the last
// scan's (docs/patterns.md, "Incremental scans"). nil: every officer.
func (sc *scan) prepare(p *patternDef) error {
	sc.officers, sc.pois, sc.evaluated = nil, nil, nil
	inc := sc.inc
	full := inc == nil || (inc.marked && readsMarks[p.info.Name]) || (inc.unsuppressed && avoidsHubs[p.info.Name])
	sc.sawAll = full || sawAllIncremental(sc, p.info.Name)
	if full {
		return nil // nil: every officer, as a full scan
	}
	switch p.info.Name {
	case PatUndisclosedAssociation:
		rs, err := sc.rows(touchedAssocCypher, sc.incParams(nil), false)
		if err != nil {
			return fmt.Errorf("touched (%s): %w", p.info.Name, err)
		}
		sc.officers = map[string]bool{}
		for _, r := range rs {
			sc.officers[str(r["officer"])] = true
		}
		if err := sc.staleScores(p); err != nil {
			return err
		}
		if err := sc.poisFor(poisNearCypher, "persons of interest near"); err != nil {
			return err
		}
	case PatAccessForGain, PatPersonalInterest, PatBusinessInterest:
		if err := sc.nearLinks(); err != nil {
			return err
		}
		if err := sc.touchedAccess(); err != nil {
			return err
		}
		// officers whose access history changed otherwise than by new
		// accesses (late ones, new assignments, no aggregates yet): all of them
		whole := map[string]bool{}
		for _, o := range inc.lateAccess() {
			whole[o] = true
		}
		switch p.info.Name {
		case PatAccessForGain:
			sc.officers = union(inc.gain, whole, inc.near4)
		case PatPersonalInterest:
			sc.officers = union(inc.personal, whole, inc.near2)
		default:
			// a new directorship or declaration is a new link or is found here
			sc.officers = union(inc.business, whole, inc.near4)
			if err := sc.officersInto(touchedDeclaredCypher, sc.incParams(nil), sc.officers); err != nil {
				return fmt.Errorf("touched (%s): %w", p.info.Name, err)
			}
		}
	case PatCollusionRing:
		if err := sc.nearLinks(); err != nil {
			return err
		}
		late := inc.late
		if late == nil {
			late = []string{}
		}
		sc.officers = union(inc.near2)
		if err := sc.officersInto(touchedCollusionCypher, sc.incParams(map[string]any{"late": late, "days": p.param("days")}), sc.officers); err != nil {
			return fmt.Errorf("touched (%s): %w", p.info.Name, err)
		}
		if err := sc.poisFor(collusionPoisCypher, "persons of interest looked up"); err != nil {
			return err
		}
	case PatTripwire:
		// a watch item added since the last scan catches earlier look-ups
		// too: then every access; else the new accesses and every access of
		// the officers whose access history changed otherwise (late
		// accesses, new assignments)
		var start any
		if !inc.baseStart.IsZero() {
			start = inc.baseStart
		}
		rs, err := sc.rows(watchChangedCypher, map[string]any{"start": start}, false)
		if err != nil {
			return fmt.Errorf("watch list changed: %w", err)
		}
		// an empty list finds nothing, and a changed one is read whole: a
		// run that sees all, which clears the flags it no longer finds
		// (of a watch item removed)
		sc.sawAll = true
		if len(rs) > 0 && num(rs[0]["items"]) == 0 {
			sc.tripwire = map[string]any{"none": true} // an empty watch list
		} else if len(rs) > 0 && rs[0]["changed"] == false && sc.agg {
			sc.sawAll = false
			whole := append([]string{}, inc.lateAccess()...) // a list, never null
			sc.tripwire = map[string]any{"newSince": inc.since, "whole": whole}
			sc.evaluated = whole // every access of these: their flags it no longer finds are cleared
		}
	case PatAttendanceMismatch:
		if sc.agg {
			sc.officers = union(inc.mismatch)
			// the first swipes loaded make the flags that said none was
			// wrong, whoever's they are: those officers are looked at again
			// (their stored days, unchanged, make them candidates still)
			swipes, err := sc.s.holdsAny(sc.ctx, cypherAnyNode, probity.LabelBadgeSwipe)
			if err != nil {
				return fmt.Errorf("badge swipes: %w", err)
			}
			inc.noSwipes = map[string]bool{}
			if swipes {
				if err := sc.officersInto(noSwipesFlagsCypher, map[string]any{"pattern": p.info.Name, "note": noSwipesNote}, inc.noSwipes); err != nil {
					return fmt.Errorf("flags that said no swipe was loaded: %w", err)
				}
				for o := range inc.noSwipes {
					sc.officers[o] = true
				}
			}
		}
	}
	if sc.officers != nil {
		for o := range sc.officers {
			sc.touchedAll[o] = true
		}
	}
	return nil
}

// staleScores adds to sc.officers, for undisclosed-association, the
// officers holding a current flag of p whose score was computed against
// another data time than this scan's (stale-scores.cypher): the rule weighs
// a path's recency to the data's time (the watermark), so when the
// watermark moved, every such flag's score, and with it which finding
// leads the flag and which 20 it names, reads otherwise after a full scan
// of the same data (incrA M2). They are looked at as a full scan would:
// every person of interest near them (pois-near.cypher). An officer with
// no flag gains none so: whether the pattern finds a path does not depend
// on the data's time, only its score does.
func (sc *scan) staleScores(p *patternDef) error {
	if sc.inc.sinceGiven {
		return nil
	}
	t0 := time.Now()
	dt := sc.dataTime.UTC()
	stale := map[string]bool{}
	if err := sc.officersInto(staleScoresCypher, map[string]any{"pattern": p.info.Name, "startedFrom": dt.Add(-time.Second),
		"dataSeconds": dt.Unix(), "dataNanos": int64(dt.Nanosecond())}, stale); err != nil {
		return fmt.Errorf("flags scored against another data time: %w", err)
	}
	n := 0
	for o := range stale {
		if !sc.officers[o] {
			sc.officers[o] = true
			n++
		}
	}
	sc.step(fmt.Sprintf("%s: %d more officers, whose flags were scored against another data time", p.info.Name, n), t0)
	return nil
}

// mismatchCandidates are the officers (of those wanted) whose stored
// mismatch days hold minDays within span consecutive days.
func (sc *scan) mismatchCandidates(minDays, span int) []string {
	var out []string
	for o, r := range sc.aggRows {
		if !sc.wanted(o) {
			continue
		}
		var ts []time.Time
		for _, d := range r.days {
			if t, err := time.Parse("2006-01-02", d); err == nil {
				ts = append(ts, t)
			}
		}
		for i := 0; i+minDays-1 < len(ts); i++ {
			if int(ts[i+minDays-1].Sub(ts[i]).Hours()/24) <= span-1 {
				out = append(out, o)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// prologue runs before the patterns: hubs (all of them in a full scan, the
// new ones in an incremental scan), then the officers' aggregates when a
// pattern needs them.
func (sc *scan) prologue(defs []*patternDef) error {
	t0 := time.Now()
	if sc.inc == nil {
		if err := sc.s.MarkHubs(sc.ctx, probity.HubDegree); err != nil {
			return err
		}
	} else if err := sc.markHubsIncremental(); err != nil {
		return err
	}
	sc.step("hubs", t0)
	if !sc.whole {
		t0 := time.Now()
		if err := sc.markWindowHubs(); err != nil {
			return err
		}
		sc.step("window hubs", t0)
	}
	if sc.inc != nil {
		t0 := time.Now()
		if err := sc.touchedLoaded(); err != nil {
			return err
		}
		sc.step("loaded links", t0)
	}
	need := sc.inc != nil
	for _, p := range defs {
		switch p.info.Name {
		case PatVolumeOutlier, PatAttendanceMismatch, PatSimilarToConfirmed:
			need = true
		}
	}
	if sc.agg && need {
		return sc.updateAggregates()
	}
	if sc.inc != nil {
		// no stored aggregates (a window, or some patterns only, or none
		// needed): the officers with accesses after since
		t0 := time.Now()
		since := sc.inc.since
		rs, err := sc.rows(newEventsCypher, aggStamps{access: since, swipe: since, shift: since}.after(), false)
		if err != nil {
			return fmt.Errorf("new events: %w", err)
		}
		sc.inc.access = map[string]bool{}
		for _, r := range rs {
			if str(r["kind"]) == "access" {
				sc.inc.access[str(r["officer"])] = true
			}
		}
		for o := range sc.inc.loaded {
			sc.inc.access[o] = true
			sc.inc.late = append(sc.inc.late, o)
		}
		sc.step("new events", t0)
	}
	return nil
}
