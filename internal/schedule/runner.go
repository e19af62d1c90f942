// Package schedule runs the pattern library on cron schedules: named jobs
// stored in the database, one instance at a time per job (a lease with a
// fencing token), run history, time-outs, retries on transient database
// errors, and webhook alerts for new flags. The scan itself is injected as a
// ScanFunc; the store is any implementation of Store (graph.Store in cmd).
package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"probity"
)

// ScanRequest says what one scheduled run asks of the scan.
type ScanRequest struct {
	Patterns    []string // empty = all patterns
	Incremental bool     // only data changed since the last scan, when the scan supports it
	Trigger     string   // "schedule:NAME" or "manual:NAME"; the scan records it on its ScanRun
	// The lease the run holds, for the scan's logs. The scan's flag writes
	// are not fenced by it: they are keyed upserts made under the scan lock
	// (docs/operations.md, "Fencing").
	LeaseName  string
	LeaseToken int64
	RunID      string // the ScheduleRun id
}

// AlertFlag is one flag that a scan created (not one it merely saw again).
type AlertFlag struct {
	ID        string
	Pattern   string
	OfficerID string // never sent to webhooks
	Score     float64
	Tripwire  bool // a watch-list hit: alerted at once, whatever the score threshold
}

// ScanResult is what a scan reports.
type ScanResult struct {
	RunID    string // id of the ScanRun node the scan wrote
	NewFlags []AlertFlag
	Updated  int // flags seen again
}

// ScanFunc runs the pattern library. It must stop when ctx is done. Errors
// coded EUNAVAILABLE are retried with backoff; others fail the run. A scan
// that fails after creating flags should still return them in NewFlags (and
// its ScanRun id) so that they are alerted.
type ScanFunc func(ctx context.Context, req ScanRequest) (ScanResult, error)

// Store is what the runner needs of the database; *graph.Store implements it.
type Store interface {
	Schedules(ctx context.Context) ([]probity.Schedule, error)
	ScheduleByName(ctx context.Context, name string) (probity.Schedule, error)
	EnsureSchedules(ctx context.Context, defs []probity.Schedule) ([]string, error)
	InitNextRunAt(ctx context.Context, name string, next time.Time) error
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, due bool, now time.Time) (probity.Lease, probity.Schedule, bool, error)
	// KeepLease renews l every ttl/3 until ctx ends (nil) or the lease is
	// taken over (ECONFLICT); failed renewals go to warn.
	KeepLease(ctx context.Context, l probity.Lease, ttl time.Duration, warn func(error)) error
	ReleaseLease(ctx context.Context, l probity.Lease) error
	StartScheduleRun(ctx context.Context, run probity.ScheduleRun) error
	FinishScheduleRun(ctx context.Context, run probity.ScheduleRun, lastResult string, next time.Time) error
	Webhooks(ctx context.Context) ([]probity.Webhook, error)
	RecordDelivery(ctx context.Context, d probity.WebhookDelivery) error
	// UndeliveredFlags lists the open flags scoring at least minScore
	// (tripwire hits whatever their score) that a webhook has not had since
	// since: their delivery gave up, or its last attempt failed before
	// stale with none after, and never succeeded; or none was tried and
	// they came after the webhook (sent at the next run).
	UndeliveredFlags(ctx context.Context, webhookID string, since, stale time.Time, minScore float64, limit int) ([]probity.Flag, error)
}

// Options configure a Runner. Zero values take the defaults named.
type Options struct {
	Store  Store
	Scan   ScanFunc
	Holder string // this instance's id in leases; default host-pid-random
	Poll   time.Duration
	// LeaseTTL is how long a lease lasts without renewal (default 30s); a
	// crashed holder's job is taken over this long after its last renewal.
	// Renewal happens every LeaseTTL/3.
	LeaseTTL time.Duration
	Retries  int           // attempts on EUNAVAILABLE (default 5)
	Backoff  time.Duration // first retry delay, doubled each time up to 30s (default 500ms)
	Now      func() time.Time
	Defaults []probity.Schedule // created when none exist; nil = DefaultSchedules(), empty = none
	Logger   *slog.Logger
	Metrics  *Metrics // nil = no metrics
	Alerts   AlertOptions
}

// AlertOptions configure webhook alerts.
type AlertOptions struct {
	MinScore  float64 // flags below are not sent (tripwire hits always are)
	PublicURL string  // base of the link to a flag, e.g. https://probity.example
	Attempts  int     // delivery attempts per alert (default 5)
	Backoff   time.Duration
	Client    *http.Client // default: 10s timeout, no redirects
}

// Runner runs due schedules until its context ends.
type Runner struct {
	opt     Options
	mu      sync.Mutex
	running map[string]bool
}

// New returns a runner with defaults filled in.
func New(opt Options) *Runner {
	if opt.Holder == "" {
		opt.Holder = DefaultHolder()
	}
	if opt.Poll <= 0 {
		opt.Poll = 5 * time.Second
	}
	if opt.LeaseTTL <= 0 {
		opt.LeaseTTL = 30 * time.Second
	}
	if opt.Retries <= 0 {
		opt.Retries = 5
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 500 * time.Millisecond
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Defaults == nil {
		opt.Defaults = DefaultSchedules()
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Alerts.Attempts <= 0 {
		opt.Alerts.Attempts = 5
	}
	if opt.Alerts.Backoff <= 0 {
		opt.Alerts.Backoff = time.Second
	}
	if opt.Alerts.Client == nil {
		opt.Alerts.Client = &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     alertTransport(),
		}
	}
	return &Runner{opt: opt, running: map[string]bool{}}
}

// Holder is the id this runner writes into leases.
func (r *Runner) Holder() string { return r.opt.Holder }

// DefaultHolder names this process: host, pid and a random suffix.
func DefaultHolder() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), randomHex(3))
}

// Run creates the default schedules if there are none, then every Poll
// starts each due schedule that is not already running here, each in its
// own goroutine. It returns when ctx ends, after every run has finished
// (a run cut short by ctx is recorded as failed and its slot stays due for
// another instance). Database errors are logged and the next poll tries
// again, so Run outlives outages; it returns nil.
func (r *Runner) Run(ctx context.Context) error {
	defaultsDone := len(r.opt.Defaults) == 0
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTimer(r.opt.Poll)
	defer t.Stop()
	for {
		if !defaultsDone {
			created, err := r.opt.Store.EnsureSchedules(ctx, r.withNext(r.opt.Defaults))
			switch {
			case err != nil && ctx.Err() == nil:
				r.opt.Logger.Warn("scheduler: default schedules", "err", err)
			case err == nil:
				defaultsDone = true
				if len(created) > 0 {
					r.opt.Logger.Info("created default schedules", "names", created)
				}
			}
		}
		r.tick(ctx, &wg)
		// ±20% jitter: instances do not poll in lock-step, so the one that
		// takes a slot varies instead of the same one always winning.
		t.Reset(r.opt.Poll*4/5 + time.Duration(mrand.Int64N(int64(r.opt.Poll*2/5)+1)))
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (r *Runner) withNext(defs []probity.Schedule) []probity.Schedule {
	out := make([]probity.Schedule, 0, len(defs))
	for _, d := range defs {
		v, err := Validate(d, r.opt.Now())
		if err != nil {
			r.opt.Logger.Error("bad default schedule", "name", d.Name, "err", err)
			continue
		}
		out = append(out, v)
	}
	return out
}

// tick starts the due schedules.
func (r *Runner) tick(ctx context.Context, wg *sync.WaitGroup) {
	list, err := r.opt.Store.Schedules(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.opt.Logger.Warn("scheduler: list schedules", "err", err)
		}
		return
	}
	now := r.opt.Now()
	r.opt.Metrics.forget(list)
	for _, sc := range list {
		r.opt.Metrics.seed(sc)
		if sc.NextRunAt.IsZero() {
			if next, err := NextRun(sc.Cron, now); err == nil {
				if err := r.opt.Store.InitNextRunAt(ctx, sc.Name, next); err != nil {
					r.opt.Logger.Warn("scheduler: set next run", "schedule", sc.Name, "err", err)
				}
			} else {
				r.opt.Logger.Warn("scheduler: bad cron", "schedule", sc.Name, "err", err)
			}
			continue
		}
		// A disabled schedule runs only when a run of it is requested.
		if (!sc.Enabled && sc.RequestedAt.IsZero()) || sc.NextRunAt.After(now) || !r.claimLocal(sc.Name) {
			continue
		}
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			defer r.releaseLocal(name)
			if _, err := r.runOnce(ctx, name, true); err != nil && ctx.Err() == nil {
				r.opt.Logger.Warn("scheduler: run", "schedule", name, "err", err)
			}
		}(sc.Name)
	}
}

func (r *Runner) claimLocal(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[name] {
		return false
	}
	r.running[name] = true
	return true
}

func (r *Runner) releaseLocal(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.running, name)
}

// RunNow runs schedule name once, now, whether due or not, under its lease
// (so never alongside a scheduled run of it anywhere), and returns the
// recorded run. ECONFLICT if another instance holds the lease, ENOTFOUND
// for an unknown name. A run that fails is returned with its status and
// error in the ScheduleRun, not as an error.
func (r *Runner) RunNow(ctx context.Context, name string) (probity.ScheduleRun, error) {
	if !r.claimLocal(name) {
		return probity.ScheduleRun{}, probity.Errorf(probity.ECONFLICT, "schedule %q is running", name)
	}
	defer r.releaseLocal(name)
	run, err := r.runOnce(ctx, name, false)
	if err == nil && run.ID == "" {
		return run, probity.Errorf(probity.ECONFLICT, "schedule %q is running on another instance", name)
	}
	return run, err
}

var errLeaseLost = errors.New("lease lost")

// runOnce takes the lease of name (only if due, when due is set), runs the
// scan and the alerts under it and records the run. It returns a zero run
// and no error when the lease or the slot was not ours.
func (r *Runner) runOnce(ctx context.Context, name string, due bool) (probity.ScheduleRun, error) {
	var (
		lease probity.Lease
		sc    probity.Schedule
		ok    bool
	)
	err := r.retry(ctx, func() error {
		var err error
		lease, sc, ok, err = r.opt.Store.AcquireLease(ctx, name, r.opt.Holder, r.opt.LeaseTTL, due, r.opt.Now())
		return err
	})
	if err != nil || !ok {
		return probity.ScheduleRun{}, err
	}
	kind := "schedule"
	if !due || !sc.RequestedAt.IsZero() { // run now, here or requested through the API
		kind = "manual"
	}
	run := probity.ScheduleRun{
		ID: "srun-" + randomHex(8), Schedule: name, Trigger: trigger(kind, name), Cron: sc.Cron, Holder: r.opt.Holder,
		StartedAt: r.opt.Now().UTC(), Status: probity.RunRunning, LeaseToken: lease.Token,
	}
	if due || !sc.NextRunAt.After(run.StartedAt) {
		run.Slot = sc.NextRunAt
	}
	// Records made after ctx ends (shutdown) still need a little time.
	bg := context.WithoutCancel(ctx)
	if err := r.retry(ctx, func() error { return r.opt.Store.StartScheduleRun(ctx, run) }); err != nil {
		if probity.ErrorCode(err) != probity.ECONFLICT {
			rctx, cancel := context.WithTimeout(bg, 10*time.Second)
			r.opt.Store.ReleaseLease(rctx, lease)
			cancel()
		}
		return probity.ScheduleRun{}, fmt.Errorf("start run: %w", err)
	}
	r.opt.Metrics.startedRun(name)

	runCtx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	renewDone := make(chan struct{})
	go func() { // keep the lease; cancel the run when it is taken over
		defer close(renewDone)
		err := r.opt.Store.KeepLease(runCtx, lease, r.opt.LeaseTTL, func(err error) {
			r.opt.Logger.Warn("scheduler: renew lease", "schedule", name, "err", err)
		})
		if err != nil {
			r.opt.Logger.Warn("scheduler: lease taken over; stopping the run", "schedule", name, "token", lease.Token)
			cancelRun(errLeaseLost)
		}
	}()

	res, timedOut, scanErr := r.scan(runCtx, sc, run)
	interrupted := false
	run.ScanRunID = res.RunID
	run.NewFlags = len(res.NewFlags)
	switch {
	case scanErr == nil && context.Cause(runCtx) == nil:
		run.Status = probity.RunOK
	case errors.Is(context.Cause(runCtx), errLeaseLost):
		run.Status, run.Error = probity.RunFailed, "lease lost during the run"
	case timedOut:
		run.Status, run.Error = probity.RunTimeout, fmt.Sprintf("no result within %s", timeoutOf(sc))
	case ctx.Err() != nil:
		run.Status, run.Error = probity.RunFailed, "interrupted: the instance is stopping"
		interrupted = true
	default:
		run.Status, run.Error = probity.RunFailed, errMessage(scanErr)
	}
	// Flags a failed, timed-out or interrupted scan did create are alerted
	// too (the next scan will not report them as new), or logged as not
	// sent when the run is cut short, for a later run to send. Alerts a
	// receiver missed earlier go again, new flags or none.
	r.alert(runCtx, res.NewFlags)
	cancelRun(nil)
	<-renewDone

	run.EndedAt = r.opt.Now().UTC()
	last := run.Status
	if run.Error != "" {
		last += ": " + run.Error
	}
	fctx, cancel := context.WithTimeout(bg, 30*time.Second)
	defer cancel()
	var next time.Time // zero: the slot stays due (an interrupted run is taken up again)
	if !interrupted && !sc.NextRunAt.After(run.StartedAt) {
		// The slot is consumed, and all slots missed meanwhile with it:
		// the next one is the first after now (catch-up runs once), of the
		// cron as it is now: one edited during the run gives it (reviewC
		// L5: the old cron's slot came back). FinishScheduleRun leaves the
		// slot alone if the cron changes again before it.
		if cur, err := r.opt.Store.ScheduleByName(fctx, name); err == nil {
			run.Cron = cur.Cron
		} else {
			r.opt.Logger.Warn("scheduled run: the schedule's cron could not be read again; the next slot is of the cron the run began with", "schedule", name, "error", err)
		}
		next, _ = NextRun(run.Cron, run.EndedAt)
	}
	err = r.retry(fctx, func() error { return r.opt.Store.FinishScheduleRun(fctx, run, last, next) })
	if probity.ErrorCode(err) == probity.ECONFLICT {
		run.Status = probity.RunFenced
		r.opt.Metrics.leaseLost(name)
	}
	r.opt.Metrics.finished(name, run.Status, run.EndedAt.Sub(run.StartedAt), res.NewFlags)
	r.opt.Logger.Info("scheduled run", "schedule", name, "trigger", run.Trigger, "status", run.Status,
		"error", run.Error, "scanRun", run.ScanRunID, "newFlags", run.NewFlags, "token", run.LeaseToken,
		"took", run.EndedAt.Sub(run.StartedAt).Round(time.Millisecond))
	if err != nil {
		return run, fmt.Errorf("finish run: %w", err)
	}
	return run, nil
}

// scan calls the ScanFunc under the schedule's deadline, retrying
// EUNAVAILABLE with backoff while the deadline allows. timedOut says that
// the schedule's deadline (not some inner one) passed.
func (r *Runner) scan(ctx context.Context, sc probity.Schedule, run probity.ScheduleRun) (res ScanResult, timedOut bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeoutOf(sc))
	defer cancel()
	req := ScanRequest{Patterns: sc.Patterns, Incremental: sc.Incremental, Trigger: run.Trigger,
		LeaseName: run.Schedule, LeaseToken: run.LeaseToken, RunID: run.ID}
	err = r.retry(ctx, func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				r.opt.Logger.Error("scheduler: scan panicked", "schedule", run.Schedule, "panic", p, "stack", string(debug.Stack()))
				err = fmt.Errorf("scan panicked: %v", p)
			}
		}()
		res, err = r.opt.Scan(ctx, req)
		return err
	})
	if ctx.Err() != nil {
		if err == nil {
			err = ctx.Err()
		} else if !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
	}
	return res, errors.Is(ctx.Err(), context.DeadlineExceeded), err
}

// retry calls fn until it succeeds, fails with anything but EUNAVAILABLE,
// the attempts run out or ctx ends, sleeping Backoff, 2·Backoff, ... (at
// most 30s) between attempts.
func (r *Runner) retry(ctx context.Context, fn func() error) error {
	wait := r.opt.Backoff
	var err error
	for attempt := 1; ; attempt++ {
		err = fn()
		if err == nil || probity.ErrorCode(err) != probity.EUNAVAILABLE || attempt >= r.opt.Retries {
			return err
		}
		r.opt.Logger.Warn("scheduler: transient error, retrying", "attempt", attempt, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func timeoutOf(sc probity.Schedule) time.Duration {
	if sc.Timeout <= 0 {
		return DefaultTimeout
	}
	return sc.Timeout
}

// errMessage is what the run history keeps of an error: coded errors by
// their message, others whole (the history is for administrators).
func errMessage(err error) string {
	var pe *probity.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
