package api

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"probity"
	"probity/internal/stats"
)

// scanFlight lets one runScan run at a time in this server, and lets
// Close stop it.
type scanFlight struct {
	mu      sync.Mutex
	running bool
	closed  bool
	cancel  context.CancelFunc // the running scan's
	wg      sync.WaitGroup
}

// start reserves the flight for a scan that cancel stops; ECONFLICT when
// one is running or the server is closing.
func (f *scanFlight) start(cancel context.CancelFunc) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return probity.Errorf(probity.ECONFLICT, "this server is stopping; start the scan on another, or when it is back")
	case f.running:
		return probity.Errorf(probity.ECONFLICT, "a scan started through the API is still running; try again when it ends (see scanRuns)")
	}
	f.running, f.cancel = true, cancel
	f.wg.Add(1)
	return nil
}

func (f *scanFlight) done() {
	f.mu.Lock()
	f.running, f.cancel = false, nil
	f.mu.Unlock()
	f.wg.Done()
}

// Close stops a scan started through the API (runScan), which then records
// its run as interrupted, and waits for it until ctx ends. Call it once the
// HTTP server has shut down; no scan starts after it.
func (s *Server) Close(ctx context.Context) error {
	f := &s.scan
	f.mu.Lock()
	f.closed = true
	if f.cancel != nil {
		f.cancel()
	}
	f.mu.Unlock()
	stopped := make(chan struct{})
	go func() { f.wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the scan started through the API had not stopped: %w", ctx.Err())
	}
}

// ScanTimeout bounds a scan started by runScan; it runs detached from the
// request, which waits for it at most until shortly before its own deadline.
const ScanTimeout = 30 * time.Minute

func (r *resolver) Patterns(ctx context.Context) ([]pattern, error) {
	_, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "patterns", false)
	if err != nil {
		return nil, err
	}
	lib, err := fs.PatternsInEffect(ctx)
	if err != nil {
		return nil, err
	}
	return wrapAll(lib, func(x probity.PatternInfo) pattern { return pattern{x} }), nil
}

// thresholdArgs name one parameter of one pattern.
type thresholdArgs struct{ Pattern, Name, Reason string }

// SetThreshold sets the value scans use for a pattern's parameter (DESIGN:
// the administrator manages thresholds); the next scan is a full one.
func (r *resolver) SetThreshold(ctx context.Context, a struct {
	thresholdArgs
	Value string
}) (patternParam, error) {
	return r.changeThreshold(ctx, "setThreshold", a.thresholdArgs, &a.Value)
}

// ResetThreshold puts a pattern's parameter back to its default.
func (r *resolver) ResetThreshold(ctx context.Context, a thresholdArgs) (patternParam, error) {
	return r.changeThreshold(ctx, "resetThreshold", a, nil)
}

// cut is s, at most n characters.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// changeThreshold sets value, or resets to the default without one.
func (r *resolver) changeThreshold(ctx context.Context, op string, a thresholdArgs, value *string) (patternParam, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAdmin, op, true)
	if err != nil {
		return patternParam{}, err
	}
	// The event says what the value was and became, so that two changes
	// made at once read in their real order whatever the order of their
	// events (adminC M1); a refused attempt is noted with its reason cut
	// to the reasons' cap.
	var now probity.PatternParam
	was, to := any(nil), "the default"
	if value != nil {
		now, err = fs.SetThreshold(ctx, a.Pattern, a.Name, *value, a.Reason, req.principal.Name)
		to = *value
		if err == nil { // the value stored, not the text typed ("0x1p-1", "+5": secI L7)
			was, to = now.Set.Was, fmt.Sprint(now.Value)
		}
	} else {
		now, was, err = fs.ResetThreshold(ctx, a.Pattern, a.Name, a.Reason, req.principal.Name)
		if err == nil {
			to = fmt.Sprintf("the default %v", now.Value)
		}
	}
	if err != nil {
		req.note(fmt.Sprintf("%s %s %s to %s: %q", op, a.Pattern, a.Name, cut(to, 100), cut(a.Reason, probity.MaxReviewReason)))
		return patternParam{}, err
	}
	req.note(fmt.Sprintf("%s %s %s: %v -> %s: %q", op, a.Pattern, a.Name, was, to, strings.Join(strings.Fields(a.Reason), " ")))
	return patternParam{now}, nil
}

// RunScan runs the pattern library (or one pattern) now. Only one runs at a
// time per server (ECONFLICT while one runs). The scan goes on if the
// request ends first; the answer is then the run as recorded so far.
func (r *resolver) RunScan(ctx context.Context, a struct{ Pattern *string }) (*scanRun, error) {
	// audited: the begin event alone read like a refusal (secJ L3)
	req, fs, err := r.flagsFor(ctx, probity.RoleAdmin, "runScan", true)
	if err != nil {
		return nil, err
	}
	opts := probity.ScanOptions{Trigger: "api:" + req.principal.Name}
	if a.Pattern != nil && *a.Pattern != "" {
		if err := probity.CheckPattern(fs.PatternLibrary(), *a.Pattern); err != nil {
			return nil, err
		}
		opts.Patterns = []string{*a.Pattern}
	}
	// The scan outlives the request, not the server (Close).
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ScanTimeout)
	if err := r.s.scan.start(cancel); err != nil {
		cancel()
		return nil, err
	}
	type result struct {
		run probity.ScanRun
		err error
	}
	done := make(chan result, 1)
	var unheard atomic.Bool // the request stopped waiting: the log is the only place left for an error
	go func() {
		defer r.s.scan.done()
		defer cancel()
		run, err := fs.Scan(sctx, opts)
		if err != nil && unheard.Load() {
			r.s.opt.Logger.Error("api scan", "trigger", opts.Trigger, "err", err)
		}
		done <- result{run, err}
	}()
	wait := time.Until(deadlineOf(ctx)) - 2*time.Second
	select {
	case res := <-done:
		if res.run.ID == "" {
			return nil, res.err
		}
		outcome := fmt.Sprintf("runScan %s: %d new flags, %d cleared, %d taken up no longer found", res.run.ID, res.run.NewFlags, res.run.Cleared, res.run.NotFound)
		if tied(req) { // its own event: it reads it in the log
			outcome = fmt.Sprintf("runScan %s: ended", res.run.ID)
		}
		if res.run.Error != "" {
			outcome += "; failed: " + cut(res.run.Error, 200) // a pattern failed, the others ran (reviewE L3)
		}
		req.note(outcome)
		return &scanRun{res.run, tied(req)}, nil
	case <-time.After(max(wait, 0)):
		unheard.Store(true)
		req.note("runScan still running when the request ended: its outcome is in scanRuns")
	}
	runs, err := fs.ScanRunPage(context.WithoutCancel(ctx), 0, 10)
	if err != nil {
		r.s.opt.Logger.Warn("api scan: its run could not be read", "trigger", opts.Trigger, "err", err)
		// Neo4j away, or the request's time spent: the scan goes on and
		// retries; not a limit the caller broke (chaosA L1)
		return nil, probity.Errorf(probity.EUNAVAILABLE, "the scan goes on, but its run could not be read now; see scanRuns")
	}
	for _, run := range runs {
		if run.Trigger == opts.Trigger && run.EndedAt.IsZero() {
			return &scanRun{run, tied(req)}, nil
		}
	}
	return nil, probity.Errorf(probity.EUNAVAILABLE, "the scan is starting; see scanRuns")
}

func deadlineOf(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(30 * time.Second)
}

func (r *resolver) ScanRuns(ctx context.Context, a pageArgs) (*scanRunConn, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "scanRuns", false)
	if err != nil {
		return nil, err
	}
	n, err := r.s.pageSize(a.first())
	if err != nil {
		return nil, err
	}
	skip, err := decodeCursor(a.After)
	if err != nil {
		return nil, err
	}
	runs, err := fs.ScanRunPage(ctx, skip, n+1)
	if err != nil {
		return nil, err
	}
	c := &scanRunConn{nodes: []*scanRun{}}
	if len(runs) > n {
		runs, c.info.next = runs[:n], true
	}
	if len(runs) > 0 {
		end := cursor(skip + len(runs))
		c.info.end = &end
	}
	for _, run := range runs {
		c.nodes = append(c.nodes, &scanRun{run, tied(req)})
	}
	return c, nil
}

// fairnessArgs are the arguments of fairnessReport and disproportion.
type fairnessArgs struct {
	Pattern, Attribute *string
	Current            opt[bool]
}

func (r *resolver) FairnessReport(ctx context.Context, a fairnessArgs) (*fairness, error) {
	return r.fairness(ctx, "fairnessReport", a)
}

func (r *resolver) fairness(ctx context.Context, op string, a fairnessArgs) (*fairness, error) {
	// audited: a group of one officer (the only Chief Inspector) shows
	// whether that officer is flagged (secC); the event says which report
	// and names the officers of each small group
	req, fs, err := r.flagsFor(ctx, probity.RoleReviewer, op, true)
	if err != nil {
		return nil, err
	}
	if err := req.onlyOnce(op); err != nil { // it reads every officer: once a request
		return nil, err
	}
	q := probity.FairnessQuery{Current: a.Current.or(false), Hide: req.principal.OfficerID}
	if a.Pattern != nil {
		q.Pattern = *a.Pattern
	}
	if a.Attribute != nil {
		q.Attribute = *a.Attribute
	}
	req.note(op + q.Filter())
	rep, err := fs.Fairness(ctx, q)
	if err != nil {
		return nil, err
	}
	req.sawAll(rep.SmallOfficerKeys()) // a small group's counts are about its officers (secJ M2)
	return &fairness{rep}, nil
}

func (r *resolver) AccuracyReport(ctx context.Context) (*accuracyReport, error) {
	rep, err := r.latestAccuracy(ctx, "accuracyReport", "")
	if rep == nil || err != nil {
		return nil, err
	}
	return &accuracyReport{*rep}, nil
}

func (r *resolver) Accuracy(ctx context.Context, a struct{ Pattern *string }) ([]patternAccuracy, error) {
	pattern := ""
	if a.Pattern != nil {
		pattern = *a.Pattern
	}
	rep, err := r.latestAccuracy(ctx, "accuracy", pattern)
	out := []patternAccuracy{}
	if rep == nil || err != nil {
		return out, err
	}
	for _, p := range rep.Patterns {
		if pattern == "" || pattern == p.Pattern {
			out = append(out, patternAccuracy{p, rep.TrapsFile != ""})
		}
	}
	return out, nil
}

func (r *resolver) ReviewOutcomes(ctx context.Context, a struct{ Pattern *string }) ([]reviewOutcome, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleReviewer, "reviewOutcomes", false)
	if err != nil {
		return nil, err
	}
	pattern := ""
	if a.Pattern != nil {
		pattern = *a.Pattern
	}
	if pattern != "" {
		if err := probity.CheckPattern(fs.PatternLibrary(), pattern); err != nil {
			return nil, err
		}
	}
	outcomes, err := fs.ReviewOutcomes(ctx, pattern, req.principal.OfficerID)
	return wrapAll(outcomes, func(o probity.ReviewOutcome) reviewOutcome { return reviewOutcome{o} }), err
}

type reviewOutcome struct{ o probity.ReviewOutcome }

func (o reviewOutcome) Pattern() string         { return o.o.Pattern }
func (o reviewOutcome) Open() int32             { return int32(o.o.Open) }
func (o reviewOutcome) InReview() int32         { return int32(o.o.InReview) }
func (o reviewOutcome) Referred() int32         { return int32(o.o.Referred) }
func (o reviewOutcome) Confirmed() int32        { return int32(o.o.Confirmed) }
func (o reviewOutcome) PreventionNotice() int32 { return int32(o.o.PreventionNotice) }
func (o reviewOutcome) NoFurtherAction() int32  { return int32(o.o.NoFurtherAction) }
func (o reviewOutcome) FalsePositive() int32    { return int32(o.o.FalsePositive) }
func (o reviewOutcome) Decided() int32          { return int32(o.o.Decided) }
func (o reviewOutcome) Upheld() *float64        { return o.o.Upheld }

// UpheldLow and UpheldHigh bound chance only: which flags reviewers chose
// to decide first is a bias no interval shows.
func (o reviewOutcome) UpheldLow() *float64  { return bound(false)(o.o.UpheldCounts()) }
func (o reviewOutcome) UpheldHigh() *float64 { return bound(true)(o.o.UpheldCounts()) }

// latestAccuracy is the latest stored eval result, nil when there is none;
// a pattern ("" none) not in the library is EINVALID, as reviewOutcomes
// says (statA L5: a misspelt name answered [], read as "no figures").
func (r *resolver) latestAccuracy(ctx context.Context, op, pattern string) (*probity.AccuracyReport, error) {
	// audited: its warnings may name officers by id (secJ L5), and the
	// event names them (secK L3)
	req, fs, err := r.flagsFor(ctx, probity.RoleReviewer, op, true)
	if err != nil {
		return nil, err
	}
	if tied(req) {
		// stored by probity eval over every flag: its counts per pattern,
		// against the queue a tied reader sees, told it that a flag about it
		// exists and of which pattern (analystD H1); they cannot be
		// recomputed without the hidden flags, as the fairness report is
		return nil, req.refuse(op, officerTiedNote, officerTiedMessage("read the accuracy figures (probity eval counted the flags hidden from you)"))
	}
	if pattern != "" {
		if err := probity.CheckPattern(fs.PatternLibrary(), pattern); err != nil {
			return nil, err
		}
	}
	rep, err := fs.LatestAccuracyReport(ctx, op == "accuracyReport") // accuracy lists the figures alone
	if probity.ErrorCode(err) == probity.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, id := range rep.UnknownOfficers {
		req.saw(probity.Ref{Label: probity.LabelOfficer, ID: id}.Key())
	}
	return &rep, nil
}

func (r *resolver) Disproportion(ctx context.Context, a fairnessArgs) ([]fairnessGroup, error) {
	rep, err := r.fairness(ctx, "disproportion", a)
	if err != nil {
		return nil, err
	}
	return rep.Groups(), nil
}

func (r *resolver) Suppressions(ctx context.Context) ([]listItem, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAdmin, "suppressions", true)
	if err != nil {
		return nil, err
	}
	items, err := fs.Suppressions(ctx)
	out := []listItem{}
	for _, it := range items {
		req.sawAll(it.Keys())
		out = append(out, listItem{probity.WatchItem(it)})
	}
	return out, err
}

func (r *resolver) Watchlist(ctx context.Context) ([]listItem, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAdmin, "watchlist", true)
	if err != nil {
		return nil, err
	}
	items, err := fs.Watches(ctx)
	out := []listItem{}
	for _, it := range items {
		req.sawAll(it.Keys())
		out = append(out, listItem{it})
	}
	return out, err
}

func (r *resolver) AddSuppression(ctx context.Context, a struct {
	ID     graphql.ID
	Reason string
}) (listItem, error) {
	return r.addListItem(ctx, "addSuppression", a.ID, a.Reason, true)
}

func (r *resolver) Watch(ctx context.Context, a struct {
	ID     graphql.ID
	Reason string
}) (listItem, error) {
	return r.addListItem(ctx, "watch", a.ID, a.Reason, false)
}

func (r *resolver) addListItem(ctx context.Context, op string, id graphql.ID, reason string, suppression bool) (listItem, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAdmin, op, true)
	if err != nil {
		return listItem{}, err
	}
	ref, err := parseID(id)
	if err != nil {
		return listItem{}, err
	}
	req.saw(ref.Key())
	req.note(op + " " + ref.Key() + ": " + strings.TrimSpace(reason))
	// the global id: the entity of that label only (an import id is unique per label only)
	if suppression {
		it, err := fs.AddSuppression(ctx, ref.Key(), reason, req.principal.Name)
		return listItem{probity.WatchItem(it)}, err
	}
	it, err := fs.AddWatch(ctx, ref.Key(), reason, req.principal.Name)
	return listItem{it}, err
}

func (r *resolver) RemoveSuppression(ctx context.Context, a struct{ ID string }) (bool, error) {
	return r.removeListItem(ctx, "removeSuppression", a.ID, true)
}

func (r *resolver) Unwatch(ctx context.Context, a struct{ ID string }) (bool, error) {
	return r.removeListItem(ctx, "unwatch", a.ID, false)
}

func (r *resolver) removeListItem(ctx context.Context, op, id string, suppression bool) (bool, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAdmin, op, true)
	if err != nil {
		return false, err
	}
	// a global id names the entity; the store takes its import id or the item id
	if ref, err := parseID(graphql.ID(id)); err == nil {
		req.saw(ref.Key())
		id = ref.ID
	} else {
		req.saw(id)
	}
	req.note(op + " " + id)
	if suppression {
		err = fs.RemoveSuppression(ctx, id)
	} else {
		err = fs.RemoveWatch(ctx, id)
	}
	return err == nil, err
}

// schedules is the schedule service for an admin's op, audited or not. A
// run or a change is audited, as token changes are: a schedule decides
// what is scanned and a webhook where alerts about officers go; so is the
// delivery log, which names flags. Which changes a token tied to an
// officer may not make is officerTiedRefusals'.
func (r *resolver) schedules(ctx context.Context, op string, audited bool) (*request, probity.ScheduleService, error) {
	req, err := need(ctx, probity.RoleAdmin, op, audited)
	if err != nil {
		return nil, nil, err
	}
	if r.s.opt.Schedules == nil {
		return nil, nil, probity.Errorf(probity.EUNAVAILABLE, "schedules are not configured on this server")
	}
	return req, r.s.opt.Schedules, nil
}

func (r *resolver) Schedules(ctx context.Context) ([]schedule, error) {
	_, svc, err := r.schedules(ctx, "schedules", false)
	if err != nil {
		return nil, err
	}
	list, err := svc.Schedules(ctx)
	return wrapAll(list, func(x probity.Schedule) schedule { return schedule{x} }), err
}

func (r *resolver) ScheduleRuns(ctx context.Context, a struct {
	Name  *string
	First opt[int32]
}) ([]scheduleRun, error) {
	req, svc, err := r.schedules(ctx, "scheduleRuns", false)
	if err != nil {
		return nil, err
	}
	n, err := r.s.pageSize(a.First.or(20))
	if err != nil {
		return nil, err
	}
	name := ""
	if a.Name != nil {
		name = *a.Name
	}
	runs, err := svc.ScheduleRuns(ctx, name, n)
	return wrapAll(runs, func(x probity.ScheduleRun) scheduleRun { return scheduleRun{x, tied(req)} }), err
}

// scheduleArgs are the arguments of addSchedule and updateSchedule.
type scheduleArgs struct {
	Name           string
	Cron           string
	Patterns       *[]string
	Incremental    opt[bool]
	Enabled        opt[bool]
	TimeoutSeconds *int32
}

// edit is the change the arguments ask for; an argument not given keeps
// the schedule's value (an update), or takes the default (an add).
func (a scheduleArgs) edit() probity.ScheduleEdit {
	e := probity.ScheduleEdit{Name: a.Name, Cron: a.Cron, Patterns: a.Patterns, Incremental: a.Incremental.v, Enabled: a.Enabled.v}
	if a.TimeoutSeconds != nil {
		t := time.Duration(*a.TimeoutSeconds) * time.Second
		e.Timeout = &t
	}
	return e
}

func (r *resolver) AddSchedule(ctx context.Context, a scheduleArgs) (schedule, error) {
	req, svc, err := r.schedules(ctx, "addSchedule", true)
	if err != nil {
		return schedule{}, err
	}
	s := a.edit().Apply(probity.Schedule{Name: a.Name, Enabled: true})
	req.note("add schedule " + s.Describe())
	s, err = svc.AddSchedule(ctx, s)
	return schedule{s}, err
}

// UpdateSchedule changes a schedule, keeping its history and what the
// arguments leave out.
func (r *resolver) UpdateSchedule(ctx context.Context, a scheduleArgs) (schedule, error) {
	req, svc, err := r.schedules(ctx, "updateSchedule", true)
	if err != nil {
		return schedule{}, err
	}
	req.note("update schedule " + a.edit().Describe())
	s, err := svc.UpdateSchedule(ctx, a.edit())
	if err == nil { // what it kept is on the record too (reviewH L6)
		req.note("now " + s.Describe())
	}
	return schedule{s}, err
}

func (r *resolver) RemoveSchedule(ctx context.Context, a struct{ Name string }) (bool, error) {
	req, svc, err := r.schedules(ctx, "removeSchedule", true)
	if err != nil {
		return false, err
	}
	req.note("remove schedule " + a.Name)
	err = svc.RemoveSchedule(ctx, a.Name)
	return err == nil, err
}

func (r *resolver) EnableSchedule(ctx context.Context, a struct {
	Name    string
	Enabled bool
}) (bool, error) {
	req, svc, err := r.schedules(ctx, "enableSchedule", true)
	if err != nil {
		return false, err
	}
	req.note(fmt.Sprintf("enable schedule %s: %v", a.Name, a.Enabled))
	err = svc.EnableSchedule(ctx, a.Name, a.Enabled)
	return err == nil, err
}

func (r *resolver) RunSchedule(ctx context.Context, a struct{ Name string }) (bool, error) {
	req, svc, err := r.schedules(ctx, "runSchedule", true)
	if err != nil {
		return false, err
	}
	req.note("run schedule " + a.Name + " now")
	err = svc.RequestRun(ctx, a.Name)
	return err == nil, err
}

func (r *resolver) WebhookDeliveries(ctx context.Context, a struct {
	WebhookId *string
	First     opt[int32]
}) ([]webhookDelivery, error) {
	// audited: the log names flags (secK H1)
	req, svc, err := r.schedules(ctx, "webhookDeliveries", true)
	if err != nil {
		return nil, err
	}
	n, err := r.s.pageSize(a.First.or(50))
	if err != nil {
		return nil, err
	}
	q := probity.DeliveryQuery{Limit: n, HideOfficer: req.principal.OfficerID}
	if a.WebhookId != nil {
		q.Webhook = *a.WebhookId
	}
	list, err := svc.WebhookDeliveries(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, d := range list {
		req.saw(d.FlagID)
	}
	return wrapAll(list, func(x probity.WebhookDelivery) webhookDelivery { return webhookDelivery{x} }), nil
}

func (r *resolver) Webhooks(ctx context.Context) ([]webhook, error) {
	_, svc, err := r.schedules(ctx, "webhooks", false)
	if err != nil {
		return nil, err
	}
	list, err := svc.Webhooks(ctx)
	return wrapAll(list, func(x probity.Webhook) webhook { return webhook{x} }), err
}

func (r *resolver) AddWebhook(ctx context.Context, a struct {
	URL      string
	MinScore opt[float64]
	Secret   *string
}) (*newWebhook, error) {
	req, svc, err := r.schedules(ctx, "addWebhook", true)
	if err != nil {
		return nil, err
	}
	// the address without its query and fragment, which may hold a receiver's key
	shown := a.URL
	if u, err := url.Parse(a.URL); err == nil {
		u.RawQuery, u.Fragment, u.User = "", "", nil
		shown = u.String()
	}
	minScore := a.MinScore.or(0)
	req.note(fmt.Sprintf("add webhook %s (min score %v)", shown, minScore))
	w := probity.Webhook{URL: a.URL, MinScore: minScore, Enabled: true}
	if a.Secret != nil {
		w.Secret = *a.Secret
	}
	w, err = svc.AddWebhook(ctx, w)
	if err != nil {
		return nil, err
	}
	return &newWebhook{webhook{w}, w.Secret}, nil
}

func (r *resolver) RemoveWebhook(ctx context.Context, a struct{ ID string }) (bool, error) {
	req, svc, err := r.schedules(ctx, "removeWebhook", true)
	if err != nil {
		return false, err
	}
	req.note("remove webhook " + a.ID)
	err = svc.RemoveWebhook(ctx, a.ID)
	return err == nil, err
}

func (r *resolver) SaveChart(ctx context.Context, a struct {
	Name           string
	Json, Document *string
}) (chart, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "saveChart", true)
	if err != nil {
		return chart{}, err
	}
	var doc string
	switch {
	case a.Json != nil && a.Document != nil && *a.Json != *a.Document:
		return chart{}, probity.Errorf(probity.EINVALID, "give the chart as json or as document, not two different ones")
	case a.Json != nil:
		doc = *a.Json
	case a.Document != nil:
		doc = *a.Document
	default:
		return chart{}, probity.Errorf(probity.EINVALID, "give the chart as json (or document)")
	}
	if len(doc) > 512<<10 {
		return chart{}, probity.Errorf(probity.ELIMIT, "a chart's JSON is limited to 512 KiB")
	}
	c, err := fs.SaveChart(ctx, probity.SavedChart{Name: a.Name, Owner: req.principal.Name, JSON: doc})
	if err == nil {
		req.saw(c.ID)
	}
	return chart{c}, err
}

func (r *resolver) Charts(ctx context.Context) ([]chart, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "charts", true)
	if err != nil {
		return nil, err
	}
	if err := req.onlyOnce("charts"); err != nil { // every chart's JSON: aliases would multiply them (secD)
		return nil, err
	}
	list, err := fs.Charts(ctx, req.principal.Name)
	out := []chart{}
	for _, c := range list {
		req.saw(c.ID)
		out = append(out, chart{c})
	}
	return out, err
}

func (r *resolver) Chart(ctx context.Context, a struct{ ID graphql.ID }) (*chart, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "chart", true)
	if err != nil {
		return nil, err
	}
	req.saw(string(a.ID))
	c, err := fs.Chart(ctx, string(a.ID), req.principal.Name)
	if err != nil {
		return nil, err
	}
	// the entities the chart holds are read with it
	req.sawAll(chartEntityIDs(c.JSON))
	return &chart{c}, nil
}

// chartEntityIDs are the distinct entity ids a saved chart names, whatever
// the shape of the document: every string that is a global id
// ("Officer:O1", JSON escapes decoded), and every object that names an
// entity by label and key ({"label": "Person", "key": "P1"}, or type and
// id).
func chartEntityIDs(doc string) []string {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return nil // saveChart stores JSON only
	}
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if ref, ok := probity.ParseKey(x); ok && ref.ID != "" && !strings.ContainsAny(ref.ID, " \t\n") {
				add(x)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			label, _ := x["label"].(string)
			if label == "" {
				label, _ = x["type"].(string)
			}
			key, _ := x["key"].(string)
			if key == "" {
				key, _ = x["id"].(string)
			}
			if probity.IsEntityLabel(label) && key != "" && !strings.Contains(key, ":") {
				add(label + ":" + key)
			}
			for _, k := range slices.Sorted(maps.Keys(x)) { // the same order at every read
				walk(x[k])
			}
		}
	}
	walk(v)
	return out
}

func (r *resolver) DeleteChart(ctx context.Context, a struct{ ID graphql.ID }) (bool, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "deleteChart", true)
	if err != nil {
		return false, err
	}
	req.saw(string(a.ID))
	err = fs.DeleteChart(ctx, string(a.ID), req.principal.Name)
	return err == nil, err
}

type pattern struct{ p probity.PatternInfo }

func (p pattern) Name() string        { return p.p.Name }
func (p pattern) Version() int32      { return int32(p.p.Version) }
func (p pattern) Description() string { return p.p.Description }
func (p pattern) Parameters() []patternParam {
	return wrapAll(p.p.Params, func(x probity.PatternParam) patternParam { return patternParam{x} })
}

type patternParam struct{ p probity.PatternParam }

func (p patternParam) Name() string        { return p.p.Name }
func (p patternParam) Default() string     { return jsonText(p.p.Default) }
func (p patternParam) Description() string { return p.p.Description }
func (p patternParam) Value() string       { return jsonText(p.p.Value) }
func (p patternParam) Fixed() bool         { return p.p.Fixed }
func (p patternParam) Min() *float64 {
	if p.p.Fixed {
		return nil
	}
	return &p.p.Min
}
func (p patternParam) Max() *float64 {
	if p.p.Fixed {
		return nil
	}
	return &p.p.Max
}
func (p patternParam) SetBy() *string {
	if p.p.Set == nil {
		return nil
	}
	return &p.p.Set.By
}
func (p patternParam) SetAt() *string {
	if p.p.Set == nil {
		return nil
	}
	return optString(rfc3339(p.p.Set.At))
}
func (p patternParam) Reason() *string {
	if p.p.Set == nil {
		return nil
	}
	return &p.p.Set.Reason
}

// scanRun is a scan's run as its reader sees it. A reader tied to an
// officer (tied) gets no counts of flags: they include the flags hidden
// from it, and against the queue it sees they told that such a flag exists
// and of which pattern (the counts of schedule runs and the fairness report
// likewise: see fairness).
type scanRun struct {
	r    probity.ScanRun
	tied bool
}

// count is n, or null for a reader tied to an officer (scanRun).
func count(n int, tied bool) *int32 {
	if tied {
		return nil
	}
	c := int32(n)
	return &c
}

func (s *scanRun) ID() graphql.ID        { return graphql.ID(s.r.ID) }
func (s *scanRun) Trigger() string       { return s.r.Trigger }
func (s *scanRun) StartedAt() string     { return rfc3339(s.r.StartedAt) }
func (s *scanRun) EndedAt() *string      { return optTime(s.r.EndedAt) }
func (s *scanRun) From() *string         { return optTime(s.r.From) }
func (s *scanRun) To() *string           { return optTime(s.r.To) }
func (s *scanRun) Since() *string        { return optTime(s.r.Since) }
func (s *scanRun) Officers() int32       { return int32(s.r.Officers) }
func (s *scanRun) NewFlags() *int32      { return count(s.r.NewFlags, s.tied) }
func (s *scanRun) UpdatedFlags() *int32  { return count(s.r.Updated, s.tied) }
func (s *scanRun) ClearedFlags() *int32  { return count(s.r.Cleared, s.tied) }
func (s *scanRun) NotFoundFlags() *int32 { return count(s.r.NotFound, s.tied) }
func (s *scanRun) Error() *string        { return optString(s.r.Error) }
func (s *scanRun) Status() string {
	switch {
	case s.r.EndedAt.IsZero():
		return "running"
	case s.r.Error != "":
		return "failed"
	}
	return "ok"
}
func (s *scanRun) Patterns() []patternRun {
	return wrapAll(s.r.Patterns, func(x probity.PatternRun) patternRun { return patternRun{x, s.tied} })
}

type patternRun struct {
	p    probity.PatternRun
	tied bool // no counts (scanRun)
}

func (p patternRun) Pattern() string       { return p.p.Pattern }
func (p patternRun) DurationMs() float64   { return float64(p.p.DurationMS) }
func (p patternRun) Hits() *int32          { return count(p.p.Hits, p.tied) }
func (p patternRun) NewFlags() *int32      { return count(p.p.NewFlags, p.tied) }
func (p patternRun) UpdatedFlags() *int32  { return count(p.p.Updated, p.tied) }
func (p patternRun) ClearedFlags() *int32  { return count(p.p.Cleared, p.tied) }
func (p patternRun) NotFoundFlags() *int32 { return count(p.p.NotFound, p.tied) }
func (p patternRun) Error() *string        { return optString(p.p.Error) }
func (p patternRun) Note() *string         { return optString(p.p.Note) }

type scanRunConn struct {
	nodes []*scanRun
	info  pageInfo
}

func (c *scanRunConn) Nodes() []*scanRun  { return c.nodes }
func (c *scanRunConn) PageInfo() pageInfo { return c.info }

type fairness struct{ r probity.FairnessReport }

func (f *fairness) Pattern() *string       { return optString(f.r.Pattern) }
func (f *fairness) Officers() int32        { return int32(f.r.Officers) }
func (f *fairness) Flagged() int32         { return int32(f.r.Flagged) }
func (f *fairness) FlaggedStanding() int32 { return int32(f.r.FlaggedStanding) }
func (f *fairness) Rate() float64          { return f.r.Rate }
func (f *fairness) GeneratedAt() string    { return rfc3339(f.r.Generated) }
func (f *fairness) Comparisons() int32     { return int32(f.r.Comparisons) }
func (f *fairness) NotCompared() []string  { return nonNil(f.r.NotCompared) }
func (f *fairness) Current() bool          { return f.r.Current }
func (f *fairness) Groups() []fairnessGroup {
	return wrapAll(f.r.Groups, func(x probity.FairnessGroup) fairnessGroup { return fairnessGroup{x} })
}

type fairnessGroup struct{ g probity.FairnessGroup }

func (g fairnessGroup) Attribute() string     { return g.g.Attribute }
func (g fairnessGroup) Value() string         { return g.g.Value }
func (g fairnessGroup) Officers() int32       { return int32(g.g.Officers) }
func (g fairnessGroup) Flagged() int32        { return int32(g.g.Flagged) }
func (g fairnessGroup) Rate() float64         { return g.g.Rate }
func (g fairnessGroup) Ratio() *float64       { return g.g.Ratio }
func (g fairnessGroup) Small() bool           { return g.g.Small }
func (g fairnessGroup) NotRecorded() bool     { return g.g.NotRecorded }
func (g fairnessGroup) BeyondChance() bool    { return g.g.BeyondChance }
func (g fairnessGroup) BeyondChanceFdr() bool { return g.g.BeyondChanceFDR }
func (g fairnessGroup) PValue() *float64 {
	if !g.g.Compared {
		return nil
	}
	return &g.g.P
}
func (g fairnessGroup) RatioLow() *float64 {
	if !g.g.HasInterval {
		return nil
	}
	return &g.g.RatioLow
}
func (g fairnessGroup) RatioHigh() *float64 {
	if !g.g.HasInterval {
		return nil
	}
	return &g.g.RatioHigh
}

type accuracyReport struct{ r probity.AccuracyReport }

func (a *accuracyReport) ID() graphql.ID { return graphql.ID(a.r.ID) }
func (a *accuracyReport) At() string     { return rfc3339(a.r.At) }

// The files' names only: where they lie on the server is the
// administrator's business, kept in the audit log (secK L4).
func (a *accuracyReport) TruthFile() string { return filepath.Base(a.r.TruthFile) }
func (a *accuracyReport) TrapsFile() *string {
	if a.r.TrapsFile == "" {
		return nil
	}
	return optString(filepath.Base(a.r.TrapsFile))
}
func (a *accuracyReport) ScanRunId() *string { return optString(a.r.ScanRunID) }

// NewerScanRunId is null also for a report an earlier release stored
// without its scan: what it measured is not known (reviewJ L4); and when
// the scans since changed none of the flags it measured (statA L1: every
// no-op incremental scan had made the figures look stale).
func (a *accuracyReport) NewerScanRunId() *string {
	if a.r.ScanRunID == "" || a.r.LatestScanRunID == a.r.ScanRunID || a.r.Changes != nil && !a.r.Changes.Any() {
		return nil
	}
	return optString(a.r.LatestScanRunID)
}

// Changes is null when no scan has ended since eval, or for a report
// stored without what it measured.
func (a *accuracyReport) Changes() *accuracyChanges {
	if a.r.ScanRunID == "" || a.r.Changes == nil {
		return nil
	}
	return &accuracyChanges{*a.r.Changes}
}

type accuracyChanges struct{ c probity.AccuracyChanges }

func (c *accuracyChanges) Raised() int32     { return int32(c.c.Raised) }
func (c *accuracyChanges) Cleared() int32    { return int32(c.c.Cleared) }
func (c *accuracyChanges) Rescored() int32   { return int32(c.c.Rescored) }
func (a *accuracyReport) Warnings() []string { return nonNil(a.r.Warnings) }
func (a *accuracyReport) Overall() patternAccuracy {
	return patternAccuracy{probity.Pooled(a.r.Patterns), a.r.TrapsFile != ""}
}
func (a *accuracyReport) Patterns() []patternAccuracy {
	return wrapAll(a.r.Patterns, func(x probity.PatternAccuracy) patternAccuracy { return patternAccuracy{x, a.r.TrapsFile != ""} })
}

// patternAccuracy is a row of an eval result; traps says eval was given a
// traps file (else its trap counts are null: none was tried).
type patternAccuracy struct {
	a     probity.PatternAccuracy
	traps bool
}

func (p patternAccuracy) Pattern() string         { return p.a.Pattern }
func (p patternAccuracy) Truth() int32            { return int32(p.a.Truth) }
func (p patternAccuracy) Flagged() int32          { return int32(p.a.Flagged) }
func (p patternAccuracy) TruePositives() int32    { return int32(p.a.TruePositives) }
func (p patternAccuracy) Precision() *float64     { return p.a.Precision }
func (p patternAccuracy) Recall() *float64        { return p.a.Recall }
func (p patternAccuracy) PrecisionLow() *float64  { return bound(false)(p.a.PrecisionCounts()) }
func (p patternAccuracy) PrecisionHigh() *float64 { return bound(true)(p.a.PrecisionCounts()) }
func (p patternAccuracy) RecallLow() *float64     { return bound(false)(p.a.RecallCounts()) }
func (p patternAccuracy) RecallHigh() *float64    { return bound(true)(p.a.RecallCounts()) }

// bound gives the lower or upper bound of the exact 95% interval of k in
// n; nil when n is 0.
func bound(upper bool) func(k, n int) *float64 {
	return func(k, n int) *float64 {
		lo, hi, ok := stats.ExactInterval(k, n)
		switch {
		case !ok:
			return nil
		case upper:
			return &hi
		default:
			return &lo
		}
	}
}
func (p patternAccuracy) TrapsFlagged() *int32 { return p.trapCount(p.a.TrapsFlagged) }
func (p patternAccuracy) Traps() *int32        { return p.trapCount(p.a.Traps) }
func (p patternAccuracy) trapCount(n int) *int32 {
	if !p.traps {
		return nil
	}
	v := int32(n)
	return &v
}
func (p patternAccuracy) PrecisionAtK() *float64 { return p.a.PrecisionAtK }
func (p patternAccuracy) K() *int32 {
	if p.a.K == 0 {
		return nil
	}
	k := int32(p.a.K)
	return &k
}

// listItem resolves Suppression and WatchItem (the same shape).
type listItem struct{ it probity.WatchItem }

func (l listItem) ID() graphql.ID    { return graphql.ID(l.it.ID) }
func (l listItem) EntityKey() string { return l.it.EntityID }
func (l listItem) Reason() string    { return l.it.Reason }
func (l listItem) AddedBy() string   { return l.it.By }
func (l listItem) AddedAt() string   { return rfc3339(l.it.At) }

// Applies is a Suppression's field only (a watch item has none).
func (l listItem) Applies() bool { return probity.Suppression(l.it).Applies() }

type schedule struct{ s probity.Schedule }

func (s schedule) Name() string          { return s.s.Name }
func (s schedule) Cron() string          { return s.s.Cron }
func (s schedule) Patterns() []string    { return nonNil(s.s.Patterns) }
func (s schedule) Incremental() bool     { return s.s.Incremental }
func (s schedule) Enabled() bool         { return s.s.Enabled }
func (s schedule) TimeoutSeconds() int32 { return int32(s.s.Timeout / time.Second) }
func (s schedule) LastRunAt() *string    { return optTime(s.s.LastRunAt) }
func (s schedule) LastResult() *string   { return optString(s.s.LastResult) }
func (s schedule) NextRunAt() *string    { return optTime(s.s.NextRunAt) }

type scheduleRun struct {
	r    probity.ScheduleRun
	tied bool // no count (scanRun)
}

func (s scheduleRun) ID() graphql.ID     { return graphql.ID(s.r.ID) }
func (s scheduleRun) Schedule() string   { return s.r.Schedule }
func (s scheduleRun) Trigger() string    { return s.r.Trigger }
func (s scheduleRun) StartedAt() string  { return rfc3339(s.r.StartedAt) }
func (s scheduleRun) EndedAt() *string   { return optTime(s.r.EndedAt) }
func (s scheduleRun) Status() string     { return s.r.Status }
func (s scheduleRun) Error() *string     { return optString(s.r.Error) }
func (s scheduleRun) ScanRunId() *string { return optString(s.r.ScanRunID) }
func (s scheduleRun) NewFlags() *int32   { return count(s.r.NewFlags, s.tied) }

type webhook struct{ w probity.Webhook }

func (w webhook) ID() graphql.ID    { return graphql.ID(w.w.ID) }
func (w webhook) URL() string       { return w.w.URL }
func (w webhook) MinScore() float64 { return w.w.MinScore }
func (w webhook) Enabled() bool     { return w.w.Enabled }

type webhookDelivery struct{ d probity.WebhookDelivery }

func (d webhookDelivery) ID() graphql.ID     { return graphql.ID(d.d.ID) }
func (d webhookDelivery) DeliveryId() string { return d.d.DeliveryID }
func (d webhookDelivery) WebhookId() string  { return d.d.Webhook }
func (d webhookDelivery) FlagId() string     { return d.d.FlagID }
func (d webhookDelivery) Attempt() int32     { return int32(d.d.Attempt) }
func (d webhookDelivery) Status() string     { return d.d.Status }
func (d webhookDelivery) Error() *string     { return optString(d.d.Error) }
func (d webhookDelivery) At() string         { return rfc3339(d.d.At) }
func (d webhookDelivery) HttpStatus() *int32 {
	if d.d.HTTPStatus == 0 {
		return nil
	}
	s := int32(d.d.HTTPStatus)
	return &s
}

type newWebhook struct {
	webhook webhook
	secret  string
}

func (n *newWebhook) Webhook() webhook { return n.webhook }
func (n *newWebhook) Secret() string   { return n.secret }

type chart struct{ c probity.SavedChart }

func (c chart) ID() graphql.ID                      { return graphql.ID(c.c.ID) }
func (c chart) Name() string                        { return c.c.Name }
func (c chart) Owner() string                       { return c.c.Owner }
func (c chart) Json(ctx context.Context) string     { return c.document(ctx) }
func (c chart) Document(ctx context.Context) string { return c.document(ctx) }

// document is the chart's JSON; the entities it names are read with it,
// and audited so, from the list (charts) too.
func (c chart) document(ctx context.Context) string {
	if r := requestOf(ctx); r != nil {
		r.sawAll(chartEntityIDs(c.c.JSON))
	}
	return c.c.JSON
}
func (c chart) SavedAt() string { return rfc3339(c.c.SavedAt) }

// exportFormats are the files a chart is exported as.
var exportFormats = []string{"png", "svg", "json", "graphml", "csv"}

// maxExportIDs bounds the entities one recordExport names.
const maxExportIDs = 2000

// RecordExport writes the audit event of a chart export: the entities it
// holds, its format and (from the request) its purpose. The UI downloads
// the file only once this returns true.
func (r *resolver) RecordExport(ctx context.Context, a struct {
	Format   string
	Ids      []graphql.ID
	Revealed []graphql.ID
}) (bool, error) {
	// The input is checked before need marks the request audited: a refused
	// export writes no event.
	if !slices.Contains(exportFormats, a.Format) {
		return false, probity.Errorf(probity.EINVALID, "format %q: want one of %s", a.Format, strings.Join(exportFormats, ", "))
	}
	if len(a.Ids) > maxExportIDs {
		return false, probity.Errorf(probity.ELIMIT, "an export names at most %d entities, got %d", maxExportIDs, len(a.Ids))
	}
	ids := make([]string, len(a.Ids))
	for i, id := range a.Ids {
		if _, err := parseID(id); err != nil {
			return false, err
		}
		ids[i] = string(id)
	}
	var revealed []string
	for _, id := range a.Revealed {
		if !slices.Contains(ids, string(id)) {
			return false, probity.Errorf(probity.EINVALID, "revealed: %s is not among the exported ids", id)
		}
		revealed = append(revealed, string(id))
	}
	// DESIGN: every export states a purpose (the session's, X-Probity-Purpose).
	if r := requestOf(ctx); r != nil && r.principal.Name != "" && r.purpose == "" { // cleanPurpose: "" when it states nothing
		return false, probity.Errorf(probity.EINVALID, "an export needs a purpose: send it in the %s header", PurposeHeader)
	}
	req, err := need(ctx, probity.RoleAnalyst, "recordExport", true)
	if err != nil {
		return false, err
	}
	req.sawAll(ids)
	req.carriesNames(revealed)
	note := "export " + a.Format
	if len(revealed) > 0 {
		note += fmt.Sprintf(" with %d real names", len(revealed))
	}
	req.note(note)
	return true, nil
}

// wrapAll wraps each of xs in its GraphQL type; never nil (a list field
// answers [] rather than null).
func wrapAll[T, W any](xs []T, wrap func(T) W) []W {
	out := make([]W, 0, len(xs))
	for _, x := range xs {
		out = append(out, wrap(x))
	}
	return out
}
