package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// patternTimeout is the deadline of one pattern query or scan step: pattern
// queries read the whole force, so they get longer than the store's default.
const patternTimeout = 30 * time.Minute

var (
	hubsClearCypher = cypherOf("hubs-clear.cypher")
	hubsMarkCypher  = cypherOf("hubs-mark.cypher")
	// the window's hubs: always the window's label
	windowHubsCypher      = expand("window-hubs.cypher", LabelWindowHub)
	windowHubsClearCypher = expand("window-hubs-clear.cypher", LabelWindowHub)
	hubsSuppressedCypher  = cypherOf("hubs-suppressed.cypher")
	watermarkCypher       = cypherOf("watermark.cypher")
)

// query runs one statement with the pattern deadline (or ctx's, if sooner).
func (s *Store) query(ctx context.Context, cypher string, params map[string]any, write bool) (*neo4j.EagerResult, error) {
	routing := neo4j.ExecuteQueryWithReadersRouting()
	if write {
		routing = neo4j.ExecuteQueryWithWritersRouting()
	}
	return s.exec(ctx, cypher, params, patternTimeout, routing,
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(patternTimeout)))
}

// autoCommitLong is autoCommit with the pattern deadline.
func (s *Store) autoCommitLong(ctx context.Context, cypher string, params map[string]any) error {
	return s.autoCommitWithin(ctx, patternTimeout, cypher, params)
}

// scan is the state of one scan run.
type scan struct {
	ctx        context.Context
	s          *Store
	dataTime   time.Time // what "recent" is measured from: the window's end, else the newest event, else now
	base       map[string]any
	officers   map[string]bool // the current pattern's officers; nil: every officer
	pois       []string        // the current pattern's persons of interest; nil: all
	volumeRows []volumeRow
	// whole: the scan has no window (it may supersede and clear flags)
	whole bool
	// sawAll: the current pattern looked at every officer over all the
	// data, as in a full scan, so a new flag it no longer finds is cleared
	// (with whole); an incremental scan sets it for the patterns it runs so
	// (prepare)
	sawAll bool
	// agg: officers' stored aggregates are used and refreshed (incremental.go):
	// no window, and not an incremental scan of some patterns only; aggRows:
	// the officers whose aggregates it computed
	agg        bool
	aggRows    map[string]*aggRow
	inc        *increment      // nil: a full scan
	touchedAll map[string]bool // officers some pattern of an incremental scan looked at
	// everyOfficer: some pattern of an incremental scan looked at every
	// officer (ScanRun.officers is then the force's count)
	everyOfficer bool
	// evaluated: the officers the current pattern (access-volume-outlier,
	// tripwire) evaluated over all the data when they are not sc.officers;
	// nil: none
	evaluated []string
	notes     map[string]string // pattern → why it could find nothing (PatternRun.Note)
	// lib: the library with the administrators' values this run uses
	// (withThresholds), by name: a step that reads another pattern's
	// parameters takes them from here (rulesK H1, reviewF L3)
	lib      map[string]*patternDef
	steps    []probity.StepRun
	tripwire map[string]any // tripwire's $newSince and $whole, or none (prepare); nil: every access
	progress func(probity.ScanProgress)
}

// step records how long a step other than a pattern took since started.
func (sc *scan) step(name string, started time.Time) {
	d := time.Since(started)
	sc.steps = append(sc.steps, probity.StepRun{Step: name, DurationMS: d.Milliseconds()})
	if sc.progress != nil {
		sc.progress(probity.ScanProgress{Step: name, Duration: d})
	}
}

// note records why pattern p could find nothing (PatternRun.Note).
func (sc *scan) note(p *patternDef, why string) {
	if sc.notes == nil {
		sc.notes = map[string]string{}
	}
	sc.notes[p.info.Name] = why
}

func (sc *scan) wanted(officer string) bool { return sc.officers == nil || sc.officers[officer] }

func (sc *scan) params(p *patternDef, extra map[string]any) map[string]any {
	m := map[string]any{}
	for k, v := range sc.base {
		m[k] = v
	}
	for k, v := range p.params() {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// query runs a pattern's query for the scan's officers (none at all when
// the incremental scan found none for it).
func (sc *scan) query(p *patternDef, extra map[string]any) ([]map[string]any, error) {
	if sc.officers != nil && len(sc.officers) == 0 {
		return nil, nil
	}
	params := sc.params(p, extra)
	if sc.pois != nil {
		pois := make([]any, len(sc.pois))
		for i, id := range sc.pois {
			pois[i] = id
		}
		params["pois"] = pois
	}
	if sc.officers != nil {
		ids := make([]string, 0, len(sc.officers))
		for id := range sc.officers {
			ids = append(ids, id)
		}
		params["officers"] = ids
	}
	return sc.run(p, params)
}

// queryAll runs a pattern's query for every officer.
func (sc *scan) queryAll(p *patternDef, extra map[string]any) ([]map[string]any, error) {
	return sc.run(p, sc.params(p, extra))
}

func (sc *scan) run(p *patternDef, params map[string]any) ([]map[string]any, error) {
	res, err := sc.s.query(sc.ctx, sc.cypher(p.cypher), params, false)
	if err != nil {
		return nil, fmt.Errorf("pattern %s: %w", p.info.Name, err)
	}
	out := make([]map[string]any, len(res.Records))
	for i, r := range res.Records {
		out[i] = r.AsMap()
	}
	return out, nil
}

// scanTurn takes the scan lock (lockScan), waiting while another scan
// holds it, and says so once through progress; the end of ctx ends the
// wait. Scans queue rather than fail: the nightly full scan and a
// quarter-hourly incremental one start at the same minute.
func (s *Store) scanTurn(ctx context.Context, progress func(probity.ScanProgress)) (context.Context, func(), error) {
	busy := ""
	for {
		sctx, release, tookOver, err := s.lockScan(ctx)
		if tookOver != "" && progress != nil {
			progress(probity.ScanProgress{Step: tookOver})
		}
		switch {
		case err != nil && busy != "" && ctx.Err() != nil:
			return nil, nil, fmt.Errorf("waiting for the scan lock: %w (%s)", ctx.Err(), busy)
		case probity.ErrorCode(err) != probity.ECONFLICT:
			return sctx, release, err
		case busy == "" && progress != nil:
			progress(probity.ScanProgress{Step: "waiting: " + probity.ErrorMessage(err)})
		}
		busy = probity.ErrorMessage(err)
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("waiting for the scan lock: %w (%s)", ctx.Err(), busy)
		case <-time.After(2 * time.Second):
		}
	}
}

// cypher is the query the scan runs for q: in a scan of a window, the one
// that avoids the window's hubs (windowVariants).
func (sc *scan) cypher(q string) string {
	if w, ok := windowVariants[q]; ok && !sc.whole {
		return w
	}
	return q
}

// markWindowHubs marks the hubs of a window's links (window-hubs.cypher)
// for a scan of a window; Scan removes them when it ends.
func (sc *scan) markWindowHubs() error {
	if err := sc.s.autoCommitLong(sc.ctx, windowHubsClearCypher, nil); err != nil {
		return fmt.Errorf("clear window hubs: %w", err)
	}
	// sc.base holds the window's bounds and hubDegree.
	if err := sc.s.autoCommitLong(sc.ctx, windowHubsCypher, sc.base); err != nil {
		return fmt.Errorf("mark window hubs: %w", err)
	}
	return nil
}

// baseParams are the parameters every pattern query of a scan of the
// window from..to at now gets: the window, today, the family types, the
// hub degree, and no narrowing (all officers, all persons of interest, no
// incremental start).
func baseParams(from, to, now time.Time) map[string]any {
	m := windowParams(from, to)
	m["today"] = neo4j.DateOf(now.UTC())
	m["family"] = familyTypes
	m["officers"] = nil
	m["pois"] = nil
	m["hubDegree"] = int64(probity.HubDegree)
	m["newSince"] = nil
	m["whole"] = []any{}
	return m
}

// windowParams turns a scan's window into query parameters: $fromMs/$toMs
// are epoch milliseconds (to exclusive), $fromDay/$toDay Dates (inclusive).
func windowParams(from, to time.Time) map[string]any {
	m := map[string]any{"fromMs": nil, "toMs": nil, "fromDay": nil, "toDay": nil}
	if !from.IsZero() {
		from = from.UTC().Truncate(24 * time.Hour)
		m["fromMs"], m["fromDay"] = from.UnixMilli(), neo4j.DateOf(from)
	}
	if !to.IsZero() {
		to = to.UTC().Truncate(24 * time.Hour)
		m["toMs"], m["toDay"] = to.Add(24*time.Hour).UnixMilli(), neo4j.DateOf(to)
	}
	return m
}

func newID(prefix string, t time.Time) string {
	b := make([]byte, 4)
	rand.Read(b)
	return prefix + t.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

// Scan runs the pattern library (or opts.Patterns), turns the hits into
// flags and records a ScanRun. Hubs are recomputed first. With opts.Since,
// or opts.Incremental and a previous successful run, only officers touched
// by events newer than that time are scanned (docs/patterns.md says how
// "touched" is decided). A failing pattern is recorded in its PatternRun
// and the run's Error, and the scan goes on with the next one.
func (s *Store) Scan(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error) {
	run, err := s.doScan(ctx, opts)
	// lost before any pattern ran (the hubs, the aggregates): said as when
	// a pattern meets it, not as the driver's retry error (chaosA L3)
	var coded *probity.Error
	if err != nil && !errors.As(err, &coded) && ctx.Err() == nil && s.Ping(ctx) != nil {
		err = fmt.Errorf("%w (%v)", probity.Errorf(probity.EUNAVAILABLE, "lost Neo4j at %s during the scan: rerun probity scan when it is back, a scan is safe to rerun", s.uri), err)
	}
	return run, err
}

// doScan is Scan but for the wording of a lost server.
func (s *Store) doScan(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error) {
	if err := s.NotAhead(ctx); err != nil {
		return probity.ScanRun{}, err
	}
	var defs []*patternDef
	if len(opts.Patterns) == 0 {
		defs = library
	} else {
		for _, name := range opts.Patterns {
			p, err := patternByName(name)
			if err != nil {
				return probity.ScanRun{}, err
			}
			defs = append(defs, p)
		}
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && opts.To.Before(opts.From) {
		return probity.ScanRun{}, probity.Errorf(probity.EINVALID, "scan window: --to %s is before --from %s",
			opts.To.Format("2006-01-02"), opts.From.Format("2006-01-02"))
	}
	ctx, release, err := s.scanTurn(ctx, opts.Progress)
	if err != nil {
		return probity.ScanRun{}, err
	}
	defer release()
	// the thresholds administrators set: the values this run uses and its
	// flags record, and the time of the last change before them, which the
	// next incremental scan compares (one clock, Neo4j's; reviewC L1: a
	// change between this read and the run's start was seen by neither).
	// The scan lock does not hold threshold changes back; the read order
	// does the work (thresholdsInUse).
	ts, thresholdsAt, err := s.thresholdsInUse(ctx)
	if err != nil {
		return probity.ScanRun{}, err
	}
	lib := map[string]*patternDef{}
	for _, d := range withThresholds(library, ts) {
		lib[d.info.Name] = d
	}
	picked := make([]*patternDef, len(defs)) // not in place: defs may be the library itself
	for i, d := range defs {
		picked[i] = lib[d.info.Name]
	}
	defs = picked
	// Holding the lock, no other scan runs: a run still marked running is
	// one whose process died (its lock expired), so it ended, failed.
	if _, err := s.write(ctx, `MATCH (r:ScanRun {status: 'running'})
		SET r.status = 'done', r.endedAt = datetime(),
		    r.error = 'abandoned: it did not end (its process stopped, or lost Neo4j and could not record its end; found when the next scan started)'`, nil); err != nil {
		return probity.ScanRun{}, fmt.Errorf("scan runs left running: %w", err)
	}
	now := time.Now().UTC()
	trigger := opts.Trigger
	if trigger == "" {
		trigger = "cli"
	}
	run := probity.ScanRun{ID: newID("SCAN-", now), Trigger: trigger, StartedAt: now, From: opts.From, To: opts.To, Officers: -1,
		AllPatterns: len(defs) == len(library), ThresholdsAt: thresholdsAt}
	sc := &scan{ctx: ctx, s: s, progress: opts.Progress, lib: lib}
	sc.base = baseParams(opts.From, opts.To, now)
	sc.whole = opts.From.IsZero() && opts.To.IsZero()
	sc.agg = sc.whole

	t0 := time.Now()
	wm, err := s.watermark(ctx)
	if err != nil {
		return run, err
	}
	// An event dated after the scan (a published roster's shift, a
	// mistyped year) must not move the next incremental scan's start past
	// data still to come: the watermark is at most the scan's start.
	if wm.After(now) {
		wm = now
	}
	run.Watermark = wm
	sc.dataTime = now
	switch {
	case !opts.To.IsZero():
		sc.dataTime = opts.To.UTC().AddDate(0, 0, 1)
	case !wm.IsZero() && wm.Before(now):
		sc.dataTime = wm.UTC()
	}
	sc.step("watermark", t0)
	since := opts.Since
	var baseStart, loadedFrom time.Time
	if since.IsZero() && opts.Incremental {
		t0 := time.Now()
		base, err := s.lastWatermark(ctx)
		if err != nil {
			return run, err
		}
		since, baseStart, loadedFrom = base.watermark, base.started, base.loadedFrom
		// a threshold changed since the base scan read them: every
		// officer's flags may change, so this run is a full one
		switch {
		case since.IsZero():
		case !base.thresholdsAt.Equal(thresholdsAt):
			since = time.Time{}
			sc.step("thresholds changed since the last full scan: a full scan", t0)
		case base.library != libraryStamp():
			since = time.Time{}
			sc.step("the pattern library or schema changed since the last full scan (an upgrade): a full scan", t0)
		}
		sc.step("last watermark", t0)
	}
	if !since.IsZero() {
		run.Since = since
		if loadedFrom.IsZero() {
			loadedFrom = since // --since: what was loaded since then too
			run.SinceGiven = true
		}
		sc.inc = &increment{since: since.UTC(), baseStart: baseStart, loadedFrom: loadedFrom.UTC(), sinceGiven: run.SinceGiven}
		sc.touchedAll = map[string]bool{}
		// An incremental scan of some patterns leaves the stored aggregates
		// alone: refreshing them would hide their change from the next
		// incremental scan of the patterns that read them (attendance,
		// volume), which this one did not run.
		sc.agg = sc.agg && run.AllPatterns
	}
	if err := s.saveScanRun(ctx, run, false); err != nil {
		return run, err
	}
	if err := sc.prologue(defs); err != nil {
		run.Error = err.Error()
		run.EndedAt = time.Now().UTC()
		run.Steps = sc.steps
		return run, s.finishScan(ctx, run, err)
	}
	for i, p := range defs {
		started := time.Now()
		pr := sc.runPattern(p, now, run.ID)
		if pr.Error != "" && run.Error == "" {
			run.Error = p.info.Name + ": " + pr.Error
		}
		run.NewFlags += pr.NewFlags
		run.Updated += pr.Updated
		run.Cleared += pr.Cleared
		run.NotFound += pr.NotFound
		run.Patterns = append(run.Patterns, pr)
		if opts.Progress != nil {
			opts.Progress(probity.ScanProgress{Pattern: p.info.Name, Done: i + 1, Total: len(defs), Hits: pr.Hits, Note: pr.Note,
				Error: pr.Error, Duration: time.Since(started)})
		}
		if ctx.Err() != nil {
			break
		}
		if pr.Error != "" && s.Ping(ctx) != nil {
			// Neo4j is gone: every pattern left would wait out its time-out in
			// turn (opsW: five minutes), and nothing can record the run; the
			// next scan marks it abandoned, and one that fails clears no flag.
			run.EndedAt = time.Now().UTC()
			return run, probity.Errorf(probity.EUNAVAILABLE, "lost Neo4j at %s during %s (%d of %d patterns run; %s): rerun probity scan when it is back, a scan is safe to rerun",
				s.uri, p.info.Name, i+1, len(defs), pr.Error)
		}
	}
	if sc.inc != nil {
		run.Officers = len(sc.touchedAll)
		if sc.everyOfficer {
			if n, err := s.read(ctx, `MATCH (o:Officer) RETURN count(o)`, nil); err == nil {
				run.Officers = int(num(single(n)))
			}
		}
	}
	if !sc.whole {
		if err := s.autoCommitLong(context.WithoutCancel(ctx), windowHubsClearCypher, nil); err != nil && run.Error == "" {
			run.Error = "clear window hubs: " + err.Error()
		}
	}
	t0 = time.Now()
	if err := s.storeRisk(ctx); err != nil && run.Error == "" {
		run.Error = "risk: " + err.Error()
	}
	sc.step("risk", t0)
	run.Steps = sc.steps
	run.EndedAt = time.Now().UTC()
	if ctx.Err() != nil && run.Error == "" {
		run.Error = ctx.Err().Error()
	}
	return run, s.finishScan(ctx, run, nil)
}

// runPattern runs one pattern of a scan: finds its officers (prepare),
// runs its query, upserts its flags and clears those it no longer finds,
// where it saw enough to tell. A failure is in the result's Error.
func (sc *scan) runPattern(p *patternDef, now time.Time, runID string) probity.PatternRun {
	started := time.Now()
	pr := probity.PatternRun{Pattern: p.info.Name}
	var hs []hit
	err := sc.prepare(p)
	pr.PrepareMS = time.Since(started).Milliseconds()
	if err == nil {
		hs, err = p.run(sc, p)
	}
	if sc.inc != nil && sc.officers == nil && sc.evaluated == nil && !uncounted[p.info.Name] {
		sc.everyOfficer = true // it looked at every officer: counted in ScanRun.officers
	}
	pr.Note = sc.notes[p.info.Name]
	if err == nil {
		pr.Hits = len(hs)
		pr.NewFlags, pr.Updated, err = sc.s.upsertFlags(sc.ctx, p, hs, now, runID, sc.whole)
	}
	if err == nil && sc.whole && sc.ctx.Err() == nil {
		pr.Cleared, pr.NotFound, err = sc.clearUnseen(p, now, runID)
	}
	if err != nil {
		pr.Error = err.Error()
	}
	pr.DurationMS = time.Since(started).Milliseconds()
	return pr
}

// clearUnseen clears the new flags of pattern p whose case the scan no
// longer found, among those it saw whole. A scan of all officers over all
// the data that no longer finds a new flag's case clears it; a window, or
// an incremental scan of some officers or events, sees only part, so it
// cannot tell.
func (sc *scan) clearUnseen(p *patternDef, now time.Time, runID string) (cleared, notFound int, err error) {
	switch {
	case sc.sawAll:
		return sc.s.clearUnseen(sc.ctx, p, nil, now, runID)
	case sc.inc != nil && sc.officers != nil && clearsOfficers[p.info.Name]:
		// it looked at these officers over all the data: their flags it no
		// longer finds are cleared (an assignment given late, a
		// directorship ended, a mismatch day gone)
		return sc.s.clearUnseen(sc.ctx, p, keys(sc.officers), now, runID)
	case sc.inc != nil && sc.evaluated != nil:
		// the members of the peer groups it evaluated again (a median that
		// moved away from an outlier); the officers whose every access
		// tripwire read again (an assignment given late)
		return sc.s.clearUnseen(sc.ctx, p, sc.evaluated, now, runID)
	}
	return 0, 0, nil
}

func (s *Store) finishScan(ctx context.Context, run probity.ScanRun, cause error) error {
	// record the outcome even when the scan was interrupted
	if err := s.saveScanRun(context.WithoutCancel(ctx), run, true); err != nil {
		return err
	}
	if cause != nil {
		return cause
	}
	if run.Error != "" {
		return fmt.Errorf("scan %s: %s", run.ID, run.Error)
	}
	return nil
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// saveScanRun stores run. Its first save, before the scan reads any data,
// also stores loadedFrom (Neo4j's clock): when the load under way then
// began, else the time of that save. Every link a load stamps later
// (PropLoadedAt) carries a time from then on, and the scan saw every
// link stamped before: the next incremental scan's new links are those
// stamped since.
func (s *Store) saveScanRun(ctx context.Context, run probity.ScanRun, done bool) error {
	pj, _ := json.Marshal(run.Patterns)
	sj, _ := json.Marshal(run.Steps)
	var errText any
	if run.Error != "" {
		errText = run.Error
	}
	_, err := s.write(ctx, `MERGE (r:ScanRun {id: $id})
		SET r.trigger = $trigger, r.startedAt = $startedAt, r.endedAt = $endedAt, r.from = $from, r.to = $to,
		    r.since = $since, r.watermark = $watermark, r.officers = $officers, r.patterns = $patterns, r.steps = $steps,
		    r.newFlags = $new, r.updatedFlags = $updated, r.clearedFlags = $cleared, r.notFoundFlags = $notFound, r.error = $error, r.status = $status, r.allPatterns = $all, r.sinceGiven = $sinceGiven, r.thresholdsAt = $thresholdsAt, r.library = $library
		WITH r OPTIONAL MATCH (l:`+LabelLoadLock+` {id: 'load'})
		SET r.loadedFrom = coalesce(r.loadedFrom, CASE WHEN l.since < datetime() THEN l.since ELSE datetime() END)`,
		map[string]any{"id": run.ID, "trigger": run.Trigger, "startedAt": run.StartedAt, "endedAt": timeOrNil(run.EndedAt),
			"from": timeOrNil(run.From), "to": timeOrNil(run.To), "since": timeOrNil(run.Since), "watermark": timeOrNil(run.Watermark),
			"officers": int64(run.Officers), "patterns": string(pj), "steps": string(sj), "new": int64(run.NewFlags), "updated": int64(run.Updated), "cleared": int64(run.Cleared), "notFound": int64(run.NotFound),
			"error": errText, "status": map[bool]string{false: "running", true: "done"}[done], "all": run.AllPatterns, "sinceGiven": run.SinceGiven, "thresholdsAt": timeOrNil(run.ThresholdsAt), "library": libraryStamp()})
	if err != nil {
		return fmt.Errorf("scan run %s: %w", run.ID, err)
	}
	return nil
}

// latestEndedScan returns the id of the latest scan that has ended without
// an error: the flags eval measures are those raised up to it (a scan
// running now is not it). Eval stores it, and a report read compares it
// with the latest now.
const latestEndedScan = `MATCH (r:ScanRun) WHERE r.endedAt IS NOT NULL AND r.error IS NULL RETURN r.id ORDER BY r.startedAt DESC, r.id DESC LIMIT 1`

// LatestEndedScan is latestEndedScan's id; "" when no scan has ended so.
func (s *Store) LatestEndedScan(ctx context.Context) (string, error) {
	res, err := s.read(ctx, latestEndedScan, nil)
	if err != nil {
		return "", fmt.Errorf("scan runs: %w", err)
	}
	return str(single(res)), nil
}

// ScanRuns returns the latest scan runs, newest first (at most limit, ≤ 1000).
func (s *Store) ScanRuns(ctx context.Context, limit int) ([]probity.ScanRun, error) {
	return s.ScanRunPage(ctx, 0, limit)
}

// ScanRunPage returns scan runs newest first (then by id), skipping skip,
// at most limit (≤ 1000).
func (s *Store) ScanRunPage(ctx context.Context, skip, limit int) ([]probity.ScanRun, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	res, err := s.read(ctx, `MATCH (r:ScanRun) RETURN r ORDER BY r.startedAt DESC, r.id DESC SKIP $skip LIMIT $limit`,
		map[string]any{"skip": int64(max(skip, 0)), "limit": int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("scan runs: %w", err)
	}
	var out []probity.ScanRun
	for _, rec := range res.Records {
		n := rec.Values[0].(neo4j.Node).Props
		all, _ := n["allPatterns"].(bool)
		run := probity.ScanRun{ID: str(n["id"]), Trigger: str(n["trigger"]), Error: str(n["error"]), AllPatterns: all,
			Officers: int(num(n["officers"])), NewFlags: int(num(n["newFlags"])), Updated: int(num(n["updatedFlags"])),
			Cleared: int(num(n["clearedFlags"])), NotFound: int(num(n["notFoundFlags"]))}
		run.StartedAt, _ = n["startedAt"].(time.Time)
		run.EndedAt, _ = n["endedAt"].(time.Time)
		run.From, _ = n["from"].(time.Time)
		run.To, _ = n["to"].(time.Time)
		run.Since, _ = n["since"].(time.Time)
		run.Watermark, _ = n["watermark"].(time.Time)
		json.Unmarshal([]byte(str(n["patterns"])), &run.Patterns)
		if st := str(n["steps"]); st != "" {
			json.Unmarshal([]byte(st), &run.Steps)
		}
		out = append(out, run)
	}
	return out, nil
}

func (s *Store) watermark(ctx context.Context) (time.Time, error) {
	res, err := s.query(ctx, watermarkCypher, nil, false)
	if err != nil {
		return time.Time{}, fmt.Errorf("watermark: %w", err)
	}
	t, _ := single(res).(time.Time)
	return t.UTC(), nil
}

// lastWatermark is the watermark of the latest successful full or
// incremental scan of the whole library and of all the data (no window),
// when that scan started, and its loadedFrom (saveScanRun; for a run
// stored before there was one, an hour before its start); zero when there
// is none.
func (s *Store) lastWatermark(ctx context.Context) (baseRun, error) {
	// a scan of a window saw the data only up to its end: not a start
	// nor did a scan given --since see what was loaded before that time
	res, err := s.read(ctx, `MATCH (r:ScanRun) WHERE r.status = 'done' AND r.error IS NULL AND r.allPatterns AND r.watermark IS NOT NULL
		  AND r.from IS NULL AND r.to IS NULL AND coalesce(r.sinceGiven, false) = false
		RETURN r.watermark, r.startedAt, coalesce(r.loadedFrom, r.startedAt - duration('PT1H')), r.thresholdsAt, coalesce(r.library, '')
		ORDER BY r.startedAt DESC LIMIT 1`, nil)
	if err != nil {
		return baseRun{}, fmt.Errorf("last watermark: %w", err)
	}
	var b baseRun
	if len(res.Records) > 0 {
		v := res.Records[0].Values
		b.watermark, _ = v[0].(time.Time)
		b.started, _ = v[1].(time.Time)
		b.loadedFrom, _ = v[2].(time.Time)
		b.thresholdsAt, _ = v[3].(time.Time)
		b.library = str(v[4])
	}
	return b, nil
}

// libraryStamp names the library's patterns with their versions, and the
// schema this binary writes. An incremental scan whose base scan had
// another (an upgrade: a new pattern version, a migration that rewrote
// ids) is a full one, as a new version or id reaches a stored flag only
// through a full scan (upgradeA L2); a run stored before runs kept it
// has none, so the first scan after such an upgrade is full.
func libraryStamp() string {
	parts := make([]string, 0, len(library)+1)
	for _, p := range library {
		parts = append(parts, fmt.Sprintf("%s v%d", p.info.Name, p.info.Version))
	}
	return strings.Join(append(parts, fmt.Sprintf("schema %d", LatestSchemaVersion())), ", ")
}

// baseRun is what an incremental scan takes from the scan it follows
// (lastWatermark): its watermark, its start, its loadedFrom, and the time
// of the last threshold change before it read the thresholds (zero: none;
// also for a run stored before runs kept it, so that after an upgrade a
// store whose thresholds were ever changed has one full scan), and the
// library it ran (libraryStamp).
type baseRun struct {
	watermark, started, loadedFrom, thresholdsAt time.Time
	library                                      string
}

// MarkHubs recomputes the Hub label: nodes with more than degree distinct
// neighbours over association links, and every suppressed identifier.
func (s *Store) MarkHubs(ctx context.Context, degree int) error {
	if err := s.autoCommitLong(ctx, hubsClearCypher, nil); err != nil {
		return fmt.Errorf("clear hubs: %w", err)
	}
	if err := s.autoCommitLong(ctx, hubsMarkCypher, map[string]any{"hubDegree": int64(degree)}); err != nil {
		return fmt.Errorf("mark hubs: %w", err)
	}
	if _, err := s.query(ctx, hubsSuppressedCypher, map[string]any{"start": nil}, true); err != nil {
		return fmt.Errorf("mark suppressed: %w", err)
	}
	return nil
}

// Hubs returns the ids of the nodes the last scan marked as hubs, with the
// reason ("degree" or "suppressed: ...").
func (s *Store) Hubs(ctx context.Context) (map[string]string, error) {
	res, err := s.read(ctx, "MATCH (n:"+LabelHub+") RETURN n.id AS id, n.hubReason AS reason", nil)
	if err != nil {
		return nil, fmt.Errorf("hubs: %w", err)
	}
	out := map[string]string{}
	for _, r := range res.Records {
		out[str(r.Values[0])] = str(r.Values[1])
	}
	return out, nil
}
