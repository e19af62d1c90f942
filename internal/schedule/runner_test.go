package schedule_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
	"probity/internal/schedule"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// execution is one call of a fake scan.
type execution struct {
	holder     string
	token      int64
	start, end time.Time
}

// recorder is a fake scan that records its calls and takes d.
type recorder struct {
	mu    sync.Mutex
	execs []execution
	n     atomic.Int64
}

func (rc *recorder) scan(holder string, d time.Duration) schedule.ScanFunc {
	return func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
		e := execution{holder: holder, token: req.LeaseToken, start: time.Now()}
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return schedule.ScanResult{}, ctx.Err()
		}
		e.end = time.Now()
		rc.mu.Lock()
		rc.execs = append(rc.execs, e)
		rc.mu.Unlock()
		return schedule.ScanResult{RunID: fmt.Sprintf("scan-%d", rc.n.Add(1))}, nil
	}
}

func (rc *recorder) snapshot() []execution {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]execution(nil), rc.execs...)
}

func runFor(t *testing.T, r *schedule.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	}
}

func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func add(t *testing.T, store *graph.Store, s probity.Schedule, now func() time.Time) probity.Schedule {
	t.Helper()
	s, err := (&schedule.Admin{Store: store, Now: now}).AddSchedule(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestScheduleFiresAndIsRecorded(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	add(t, store, probity.Schedule{Name: "tick", Cron: "@every 1s", Enabled: true, Patterns: []string{"access-for-gain"}}, nil)
	add(t, store, probity.Schedule{Name: "off", Cron: "@every 1s", Enabled: false}, nil)
	var rc recorder
	var reqs []schedule.ScanRequest
	var mu sync.Mutex
	inner := rc.scan("A", 10*time.Millisecond)
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Poll: 50 * time.Millisecond, LeaseTTL: 3 * time.Second,
		Defaults: []probity.Schedule{}, Logger: quiet,
		Scan: func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			mu.Lock()
			reqs = append(reqs, req)
			mu.Unlock()
			return inner(ctx, req)
		}})
	stop := runFor(t, r)
	waitUntil(t, "two runs", 10*time.Second, func() bool { return len(rc.snapshot()) >= 2 })
	stop()

	runs, err := store.ScheduleRuns(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var okRuns []probity.ScheduleRun
	for _, run := range runs {
		if run.Status == probity.RunFailed && run.Error == "interrupted: the instance is stopping" {
			continue // cut short by stop()
		}
		okRuns = append(okRuns, run)
	}
	runs = okRuns
	if len(runs) != len(rc.snapshot()) {
		t.Fatalf("%d runs recorded for %d scans", len(runs), len(rc.snapshot()))
	}
	scanIDs := map[string]bool{}
	for _, run := range runs {
		if run.Schedule != "tick" || run.Status != probity.RunOK || run.Trigger != "schedule:tick" || run.Holder != "A" ||
			run.EndedAt.Before(run.StartedAt) || run.Slot.IsZero() || run.LeaseToken < 1 {
			t.Errorf("run = %+v", run)
		}
		scanIDs[run.ScanRunID] = true
	}
	if len(scanIDs) != len(runs) || scanIDs[""] {
		t.Errorf("scan run ids %v", scanIDs)
	}
	mu.Lock()
	if reqs[0].Trigger != "schedule:tick" || len(reqs[0].Patterns) != 1 || reqs[0].Patterns[0] != "access-for-gain" || reqs[0].LeaseName != "tick" {
		t.Errorf("request = %+v", reqs[0])
	}
	mu.Unlock()
	sc, err := store.ScheduleByName(ctx, "tick")
	if err != nil {
		t.Fatal(err)
	}
	if sc.LastResult != "ok" || sc.LastRunAt.IsZero() || !sc.NextRunAt.After(sc.LastRunAt) {
		t.Errorf("schedule after runs = %+v", sc)
	}
}

// Two runners with separate drivers (as two instances would have) share
// one schedule: no slot runs twice and no two runs overlap.
func TestTwoRunnersNeverRunASlotTwice(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	add(t, store, probity.Schedule{Name: "tick", Cron: "@every 1s", Enabled: true}, nil)
	var rc recorder
	var stops []func()
	for _, h := range []string{"A", "B"} {
		s, err := graph.Open(ctx, graphtest.Config())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close(ctx)
		stops = append(stops, runFor(t, schedule.New(schedule.Options{Store: s, Holder: h, Poll: 20 * time.Millisecond,
			LeaseTTL: 3 * time.Second, Defaults: []probity.Schedule{}, Logger: quiet, Scan: rc.scan(h, 300*time.Millisecond)})))
	}
	waitUntil(t, "four runs", 20*time.Second, func() bool { return len(rc.snapshot()) >= 4 })
	for _, stop := range stops {
		stop()
	}
	execs := rc.snapshot()
	sort.Slice(execs, func(i, j int) bool { return execs[i].start.Before(execs[j].start) })
	for i := 1; i < len(execs); i++ {
		if execs[i].start.Before(execs[i-1].end) {
			t.Errorf("runs overlap: %+v and %+v", execs[i-1], execs[i])
		}
		if execs[i].token <= execs[i-1].token {
			t.Errorf("token did not increase: %d then %d", execs[i-1].token, execs[i].token)
		}
	}
	runs, err := store.ScheduleRuns(ctx, "tick", 100)
	if err != nil {
		t.Fatal(err)
	}
	slots := map[time.Time]string{}
	ok := 0
	for _, r := range runs {
		if r.Status != probity.RunOK {
			continue
		}
		ok++
		if prev, dup := slots[r.Slot]; dup {
			t.Errorf("slot %s ran twice: %s and %s", r.Slot, prev, r.ID)
		}
		slots[r.Slot] = r.ID
	}
	if ok != len(execs) {
		t.Errorf("%d ok runs recorded, %d scans executed", ok, len(execs))
	}
}

// clock is an injectable clock that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// After four hours down, an hourly schedule that missed four slots runs
// once, and its next slot is the first after now.
func TestCatchUpAfterDowntimeRunsOnce(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	c := &clock{now: time.Date(2030, 1, 1, 0, 30, 0, 0, time.UTC)}
	sc := add(t, store, probity.Schedule{Name: "hourly", Cron: "0 * * * *", Enabled: true}, c.Now)
	if want := time.Date(2030, 1, 1, 1, 0, 0, 0, time.UTC); !sc.NextRunAt.Equal(want) {
		t.Fatalf("first slot %v, want %v", sc.NextRunAt, want)
	}
	c.Set(time.Date(2030, 1, 1, 5, 10, 0, 0, time.UTC)) // slots 01:00 … 05:00 missed
	var rc recorder
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Poll: 20 * time.Millisecond, LeaseTTL: 3 * time.Second,
		Now: c.Now, Defaults: []probity.Schedule{}, Logger: quiet, Scan: rc.scan("A", 0)})
	stop := runFor(t, r)
	waitUntil(t, "the catch-up run", 10*time.Second, func() bool { return len(rc.snapshot()) >= 1 })
	time.Sleep(500 * time.Millisecond) // 25 more polls: nothing else is due
	stop()
	if n := len(rc.snapshot()); n != 1 {
		t.Fatalf("%d runs after downtime, want 1", n)
	}
	sc, err := store.ScheduleByName(ctx, "hourly")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2030, 1, 1, 6, 0, 0, 0, time.UTC); !sc.NextRunAt.Equal(want) {
		t.Fatalf("next slot %v, want %v", sc.NextRunAt, want)
	}
	runs, _ := store.ScheduleRuns(ctx, "hourly", 10)
	if len(runs) != 1 || !runs[0].Slot.Equal(time.Date(2030, 1, 1, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("runs = %+v", runs)
	}
}

// A scan that fails with EUNAVAILABLE is retried with backoff; a scan that
// outlives the schedule's timeout is cut off and recorded as timeout.
func TestRetryAndTimeout(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	add(t, store, probity.Schedule{Name: "flaky", Cron: "@daily", Enabled: true, Timeout: 10 * time.Second}, nil)
	add(t, store, probity.Schedule{Name: "slow", Cron: "@daily", Enabled: true, Timeout: time.Second}, nil)
	var calls atomic.Int64
	var times []time.Time
	var mu sync.Mutex
	scan := func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
		n := calls.Add(1)
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if req.Trigger == "manual:flaky" {
			if n < 3 {
				return schedule.ScanResult{}, probity.Errorf(probity.EUNAVAILABLE, "transient")
			}
			return schedule.ScanResult{RunID: "scan-ok"}, nil
		}
		<-ctx.Done()
		return schedule.ScanResult{}, ctx.Err()
	}
	r := schedule.New(schedule.Options{Store: store, Holder: "A", LeaseTTL: 3 * time.Second, Backoff: 100 * time.Millisecond,
		Defaults: []probity.Schedule{}, Logger: quiet, Scan: scan})
	run, err := r.RunNow(ctx, "flaky")
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != probity.RunOK || calls.Load() != 3 || run.ScanRunID != "scan-ok" {
		t.Fatalf("flaky run = %+v after %d calls", run, calls.Load())
	}
	if gap1, gap2 := times[1].Sub(times[0]), times[2].Sub(times[1]); gap1 < 100*time.Millisecond || gap2 < 200*time.Millisecond {
		t.Fatalf("backoff gaps %v, %v; want ≥100ms then ≥200ms", gap1, gap2)
	}
	start := time.Now()
	run, err = r.RunNow(ctx, "slow")
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); run.Status != probity.RunTimeout || took > 5*time.Second {
		t.Fatalf("slow run = %+v after %v", run, took)
	}
	sc, _ := store.ScheduleByName(ctx, "slow")
	if sc.LastResult != "timeout: no result within 1s" {
		t.Fatalf("lastResult = %q", sc.LastResult)
	}
	// A panicking scan fails its run; the process survives.
	panicky := schedule.New(schedule.Options{Store: store, Holder: "A", Defaults: []probity.Schedule{}, Logger: quiet,
		Scan: func(context.Context, schedule.ScanRequest) (schedule.ScanResult, error) { panic("boom") }})
	run, err = panicky.RunNow(ctx, "flaky")
	if err != nil || run.Status != probity.RunFailed || run.Error != "scan panicked: boom" {
		t.Fatalf("panicking run = %+v, %v", run, err)
	}
	if _, err := r.RunNow(ctx, "nope"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("run of unknown schedule = %v", err)
	}
}

// A manual run waits for nobody: while another instance holds the lease it
// is refused (no overlapping runs of one schedule).
func TestManualRunRefusedWhileHeld(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	add(t, store, probity.Schedule{Name: "job", Cron: "@daily", Enabled: true}, nil)
	if _, _, ok, err := store.AcquireLease(ctx, "job", "other", time.Minute, false, time.Now()); !ok || err != nil {
		t.Fatalf("acquire = %v %v", ok, err)
	}
	var rc recorder
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Defaults: []probity.Schedule{}, Logger: quiet, Scan: rc.scan("A", 0)})
	if _, err := r.RunNow(ctx, "job"); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("run while held = %v, want conflict", err)
	}
	if len(rc.snapshot()) != 0 {
		t.Fatal("scan ran while another instance held the lease")
	}
}

func TestDefaultsCreatedOnFirstStart(t *testing.T) {
	store := graphtest.Open(t)
	var rc recorder
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Poll: time.Hour, Logger: quiet, Scan: rc.scan("A", 0)})
	stop := runFor(t, r)
	waitUntil(t, "defaults", 10*time.Second, func() bool {
		l, _ := store.Schedules(context.Background())
		return len(l) == 2
	})
	stop()
	l, _ := store.Schedules(context.Background())
	if l[0].Name != "incremental" || l[0].Cron != "*/15 * * * *" || !l[0].Incremental ||
		l[1].Name != "nightly" || l[1].Cron != "0 2 * * *" || l[1].Incremental || l[1].NextRunAt.Hour() != 2 {
		t.Fatalf("defaults = %+v", l)
	}
}

// When a holder's lease is taken over mid-run (here: it is expired by hand,
// as a long GC pause or partition would let it), the renewal notices, the
// run is cancelled, its late result is fenced and the schedule is left to
// the new holder.
func TestLeaseLostMidRunIsFenced(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	add(t, store, probity.Schedule{Name: "job", Cron: "@daily", Enabled: true}, nil)
	if err := store.RequestRun(ctx, "job", time.Now()); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	var cause atomic.Value
	scan := func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
		close(started)
		<-ctx.Done()
		cause.Store(context.Cause(ctx).Error())
		return schedule.ScanResult{RunID: "scan-a"}, ctx.Err()
	}
	r := schedule.New(schedule.Options{Store: store, Holder: "A", LeaseTTL: 900 * time.Millisecond, Poll: 20 * time.Millisecond,
		Defaults: []probity.Schedule{}, Logger: quiet, Scan: scan})
	stop := runFor(t, r)
	defer stop()
	<-started
	if err := store.RunForTest(ctx, `MATCH (l:Lease {id: 'job'}) SET l.expiresAt = datetime() - duration('PT1S')`); err != nil {
		t.Fatal(err)
	}
	b, sc, ok, err := store.AcquireLease(ctx, "job", "B", time.Minute, true, time.Now())
	if err != nil || !ok {
		t.Fatalf("B could not take the expired lease: %v %v", ok, err)
	}
	waitUntil(t, "A's run to end", 10*time.Second, func() bool {
		runs, _ := store.ScheduleRuns(ctx, "job", 5)
		return len(runs) == 1 && runs[0].Status != probity.RunRunning
	})
	runs, _ := store.ScheduleRuns(ctx, "job", 5)
	if runs[0].Holder != "A" || runs[0].Status != probity.RunFenced || runs[0].LeaseToken != b.Token-1 {
		t.Fatalf("A's run = %+v", runs[0])
	}
	if c, _ := cause.Load().(string); c != "lease lost" {
		t.Fatalf("A's scan ended by %q, want lease lost", c)
	}
	now, _ := store.ScheduleByName(ctx, "job")
	if !now.NextRunAt.Equal(sc.NextRunAt) || !now.LastRunAt.IsZero() {
		t.Fatalf("fenced run changed the schedule: %+v", now)
	}
	if l, _ := store.LeaseOf(ctx, "job"); l.Holder != "B" || l.Token != b.Token {
		t.Fatalf("lease = %+v, want B's", l)
	}
}

// A runner started while the database is unreachable keeps polling and
// does its work once the database is back.
func TestRunnerOutlivesOutage(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	p := graphtest.NewProxy(t)
	cfg := graphtest.Config()
	cfg.URI, cfg.Timeout = p.URI(), 3*time.Second
	ps, err := graph.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(ctx)
	p.Down()
	var rc recorder
	r := schedule.New(schedule.Options{Store: ps, Holder: "A", Poll: 50 * time.Millisecond, LeaseTTL: 3 * time.Second,
		Backoff: 50 * time.Millisecond, Logger: quiet, Scan: rc.scan("A", 0)})
	stop := runFor(t, r)
	defer stop()
	time.Sleep(time.Second)
	if l, _ := store.Schedules(ctx); len(l) != 0 {
		t.Fatalf("schedules created through a cut connection: %v", l)
	}
	p.Up(t)
	waitUntil(t, "default schedules after the outage", 20*time.Second, func() bool {
		l, _ := store.Schedules(ctx)
		return len(l) == 2
	})
	if err := store.RequestRun(ctx, "incremental", time.Now()); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a run after the outage", 20*time.Second, func() bool { return len(rc.snapshot()) == 1 })
}

// A run requested while the schedule runs (Run now) is not swallowed by the
// end of that run: the schedule stays due and runs again, as manual. A
// disabled schedule runs when asked to, and only then; enabling it again
// does not catch up the slots it missed.
func TestRequestedRunsAreKept(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	past := func() time.Time { return time.Now().Add(-48 * time.Hour) }
	add(t, store, probity.Schedule{Name: "daily", Cron: "@daily", Enabled: true}, past) // due: its slot was a day ago
	add(t, store, probity.Schedule{Name: "off", Cron: "@daily", Enabled: false}, past)
	var rc recorder
	started := make(chan struct{}, 10)
	inner := rc.scan("A", 1500*time.Millisecond)
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Poll: 50 * time.Millisecond, LeaseTTL: 5 * time.Second,
		Defaults: []probity.Schedule{}, Logger: quiet,
		Scan: func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			started <- struct{}{}
			return inner(ctx, req)
		}})
	stop := runFor(t, r)
	defer func() { stop() }()
	<-started // the due slot of daily runs
	if err := admin.RequestRun(ctx, "daily"); err != nil {
		t.Fatal(err)
	}
	triggers := func(name string) []string {
		runs, err := store.ScheduleRuns(ctx, name, 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, run := range runs {
			if run.Status == probity.RunOK {
				out = append(out, run.Trigger)
			}
		}
		sort.Strings(out)
		return out
	}
	waitUntil(t, "the requested run of daily", 10*time.Second, func() bool { return len(triggers("daily")) == 2 })
	if got := triggers("daily"); got[0] != "manual:daily" || got[1] != "schedule:daily" {
		t.Fatalf("daily runs %v, want the slot's and the requested one", got)
	}
	if got := triggers("off"); len(got) != 0 {
		t.Fatalf("a disabled schedule ran unasked: %v", got)
	}
	if err := admin.RequestRun(ctx, "off"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the requested run of off", 10*time.Second, func() bool { return len(triggers("off")) == 1 })
	stop()
	stop = func() {}
	// enabled again after its slot has passed: the next slot is the first
	// after now, not at once
	if err := store.RunForTest(ctx, `MATCH (s:Schedule {id: 'off'}) SET s.nextRunAt = datetime() - duration('PT1H')`); err != nil {
		t.Fatal(err)
	}
	if err := admin.EnableSchedule(ctx, "off", true); err != nil {
		t.Fatal(err)
	}
	sc, err := store.ScheduleByName(ctx, "off")
	if err != nil || !sc.Enabled || !sc.NextRunAt.After(time.Now()) {
		t.Fatalf("enabled again: %+v, %v", sc, err)
	}
}

func TestScheduleValidation(t *testing.T) {
	// a step as large as its field fires once (*/61: hourly, not every 61 minutes)
	for _, c := range []string{"@every 0s", "@every -5m", "@every 500ms", "CRON_TZ=Europe/London @every 0s",
		"*/61 * * * *", "0 */24 * * *", "0 0 1-31/31 * *", "0 0 * */12 *", "5,10/60 * * * *", "CRON_TZ=Europe/London */90 * * * *"} {
		if _, err := schedule.ParseCron(c); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("cron %q accepted", c)
		}
	}
	// a pattern named twice is kept once (fuzzG)
	if sc, err := schedule.Validate(probity.Schedule{Name: "x", Cron: "@daily", Patterns: []string{"tripwire", "access-for-gain", "tripwire"}}, time.Now()); err != nil || strings.Join(sc.Patterns, ",") != "tripwire,access-for-gain" {
		t.Errorf("patterns named twice: %v, %v", sc.Patterns, err)
	}
	// a letter where a number is wanted is told in the format's words, not Go's (fuzzG)
	if _, err := schedule.ParseCron("a * * * *"); err == nil || strings.Contains(err.Error(), "strconv") || !strings.Contains(err.Error(), "minute hour") {
		t.Errorf("cron with a letter: %v", err)
	}
	for _, c := range []string{"@every 1s", "*/59 * * * *", "0 */23 * * *", "0 2 * * 1-5/2", "CRON_TZ=Europe/London 0 2 * * *", "@daily"} {
		if _, err := schedule.ParseCron(c); err != nil {
			t.Errorf("%s refused: %v", c, err)
		}
	}
	for _, d := range []time.Duration{500 * time.Millisecond, -time.Second, 25 * time.Hour} {
		if _, err := schedule.Validate(probity.Schedule{Name: "x", Cron: "@daily", Timeout: d}, time.Now()); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("timeout %s accepted", d)
		}
	}
}

// A schedule removed while it runs: the run ends as it would (its scan
// counted, its flags kept), saying that its schedule is gone, not that
// its lease was lost.
func TestScheduleRemovedDuringItsRun(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	add(t, store, probity.Schedule{Name: "job", Cron: "@daily", Enabled: true}, nil)
	started := make(chan struct{})
	var rc recorder
	inner := rc.scan("A", 500*time.Millisecond)
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Defaults: []probity.Schedule{}, Logger: quiet,
		Scan: func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			close(started)
			return inner(ctx, req)
		}})
	go func() {
		<-started
		if err := admin.RemoveSchedule(ctx, "job"); err != nil {
			t.Error(err)
		}
	}()
	run, err := r.RunNow(ctx, "job")
	if err != nil || run.Status != probity.RunOK {
		t.Fatalf("run = %+v, %v", run, err)
	}
	runs, err := store.ScheduleRuns(ctx, "job", 5)
	if err != nil || len(runs) != 1 || runs[0].Status != probity.RunOK || runs[0].Error != "its schedule was removed during the run" || runs[0].ScanRunID == "" {
		t.Fatalf("recorded runs %+v, %v", runs, err)
	}
}

// A requested run whose process died midway (kill -9: nothing recorded its
// end) is run again when its lease expires, as what it was, a manual run,
// not as a cron slot (opsW L2); its end then clears the request.
func TestRequestedRunKilledIsRunAgainAsManual(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	add(t, store, probity.Schedule{Name: "off", Cron: "@daily", Enabled: false}, time.Now)
	if err := admin.RequestRun(ctx, "off"); err != nil {
		t.Fatal(err)
	}
	// the dead process: it took the lease and started the run, then vanished
	lease, _, ok, err := store.AcquireLease(ctx, "off", "dead", time.Second, true, time.Now())
	if err != nil || !ok {
		t.Fatalf("the dead process's lease: %v, %v", ok, err)
	}
	if err := store.StartScheduleRun(ctx, probity.ScheduleRun{ID: "srun-dead", Schedule: "off", Trigger: "manual:off", Holder: "dead",
		StartedAt: time.Now().UTC(), Status: probity.RunRunning, LeaseToken: lease.Token}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // its lease expires
	var rc recorder
	r := schedule.New(schedule.Options{Store: store, Holder: "B", Poll: 50 * time.Millisecond, LeaseTTL: 5 * time.Second,
		Defaults: []probity.Schedule{}, Logger: quiet, Scan: rc.scan("B", 10*time.Millisecond)})
	stop := runFor(t, r)
	defer stop()
	var again probity.ScheduleRun
	waitUntil(t, "the run again", 10*time.Second, func() bool {
		runs, err := store.ScheduleRuns(ctx, "off", 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range runs {
			if run.ID != "srun-dead" && run.Status == probity.RunOK {
				again = run
				return true
			}
		}
		return false
	})
	if again.Trigger != "manual:off" {
		t.Fatalf("the run again: trigger %q, want manual:off", again.Trigger)
	}
	waitUntil(t, "the request cleared", 5*time.Second, func() bool {
		sc, err := store.ScheduleByName(ctx, "off")
		return err == nil && sc.RequestedAt.IsZero()
	})
}

// The same request, its run interrupted by a graceful stop (the instance
// shutting down): the request stays, and the next instance runs it, as a
// manual run (reviewC M2: the stop cleared it, so a disabled schedule's
// requested run was never run).
func TestRequestedRunInterruptedIsRunAgainAsManual(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	add(t, store, probity.Schedule{Name: "off", Cron: "@daily", Enabled: false}, time.Now)
	if err := admin.RequestRun(ctx, "off"); err != nil {
		t.Fatal(err)
	}
	var slow recorder
	a := schedule.New(schedule.Options{Store: store, Holder: "A", Poll: 50 * time.Millisecond, LeaseTTL: 5 * time.Second,
		Defaults: []probity.Schedule{}, Logger: quiet, Scan: slow.scan("A", time.Hour)})
	stopA := runFor(t, a)
	waitUntil(t, "A's run to start", 10*time.Second, func() bool {
		runs, _ := store.ScheduleRuns(ctx, "off", 10)
		return len(runs) == 1
	})
	stopA()
	if sc, err := store.ScheduleByName(ctx, "off"); err != nil || sc.RequestedAt.IsZero() {
		t.Fatalf("after the stop: requested at %v, %v; want the request kept", sc.RequestedAt, err)
	}
	var rc recorder
	b := schedule.New(schedule.Options{Store: store, Holder: "B", Poll: 50 * time.Millisecond, LeaseTTL: 5 * time.Second,
		Defaults: []probity.Schedule{}, Logger: quiet, Scan: rc.scan("B", 10*time.Millisecond)})
	stopB := runFor(t, b)
	defer stopB()
	waitUntil(t, "the run again", 10*time.Second, func() bool {
		runs, err := store.ScheduleRuns(ctx, "off", 10)
		return err == nil && len(runs) == 2 && runs[0].Status == probity.RunOK
	})
	if runs, _ := store.ScheduleRuns(ctx, "off", 10); runs[0].Trigger != "manual:off" {
		t.Fatalf("the run again: trigger %q, want manual:off", runs[0].Trigger)
	}
}

// A schedule whose cron is edited while it runs takes its next slot from
// the new cron (reviewC L5: the run's end put back the old cron's slot,
// one run too many at a time nobody wanted any more).
func TestCronEditedDuringARunKeepsItsSlot(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	twoDaysAgo := func() time.Time { return time.Now().Add(-48 * time.Hour) }
	add(t, store, probity.Schedule{Name: "nightly", Cron: "0 3 * * *", Enabled: true}, twoDaysAgo) // due now
	var slow recorder
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Poll: 50 * time.Millisecond, LeaseTTL: 5 * time.Second,
		Defaults: []probity.Schedule{}, Logger: quiet, Scan: slow.scan("A", time.Second)})
	stop := runFor(t, r)
	defer stop()
	waitUntil(t, "the run to start", 10*time.Second, func() bool {
		runs, _ := store.ScheduleRuns(ctx, "nightly", 10)
		return len(runs) == 1
	})
	if _, err := (&schedule.Admin{Store: store}).UpdateSchedule(ctx, probity.ScheduleEdit{Name: "nightly", Cron: "30 4 * * *"}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the run to end", 10*time.Second, func() bool {
		runs, _ := store.ScheduleRuns(ctx, "nightly", 10)
		return len(runs) == 1 && runs[0].Status == probity.RunOK
	})
	sc, err := store.ScheduleByName(ctx, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	if h, m := sc.NextRunAt.UTC().Hour(), sc.NextRunAt.UTC().Minute(); h != 4 || m != 30 || !sc.NextRunAt.After(time.Now()) {
		t.Fatalf("next run at %v, want the new cron's 04:30 slot after now", sc.NextRunAt)
	}
}

// An edit checks what an add checks (an unknown pattern is invalid) and
// keeps a run someone requested due (mutR G23, G25).
func TestEditKeepsARequestAndChecksPatterns(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	add(t, store, probity.Schedule{Name: "nightly", Cron: "0 3 * * *", Enabled: true}, time.Now)
	if _, err := admin.UpdateSchedule(ctx, probity.ScheduleEdit{Name: "nightly", Cron: "0 4 * * *", Patterns: &[]string{"acess-for-gain"}}); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("an edit naming an unknown pattern: %v, want invalid", err)
	}
	if err := admin.RequestRun(ctx, "nightly"); err != nil {
		t.Fatal(err)
	}
	before, err := store.ScheduleByName(ctx, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := admin.UpdateSchedule(ctx, probity.ScheduleEdit{Name: "nightly", Cron: "0 4 * * *"})
	if err != nil || !sc.NextRunAt.Equal(before.RequestedAt) || sc.Cron != "0 4 * * *" {
		t.Fatalf("after the edit: next %v (requested %v), cron %q, %v; want the request still due", sc.NextRunAt, before.RequestedAt, sc.Cron, err)
	}
	if _, err := admin.UpdateSchedule(ctx, probity.ScheduleEdit{Name: "nightly-x", Cron: "0 4 * * *"}); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("an edit of no schedule: %v, want not found", err)
	}
}

// disabledMeanwhile has another administrator disable the schedule just
// before an edit writes.
type disabledMeanwhile struct{ *graph.Store }

func (s disabledMeanwhile) UpdateSchedule(ctx context.Context, e probity.ScheduleEdit, next time.Time) error {
	if err := (&schedule.Admin{Store: s.Store}).EnableSchedule(ctx, e.Name, false); err != nil {
		return err
	}
	return s.Store.UpdateSchedule(ctx, e, next)
}

// An edit of the cron keeps a disable another administrator made while
// it ran: what the edit does not name is kept in the writing statement,
// not read before it (reviewH M1: a disable was undone).
func TestEditKeepsAChangeMadeMeanwhile(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	add(t, store, probity.Schedule{Name: "nightly", Cron: "0 3 * * *", Enabled: true}, time.Now)
	sc, err := (&schedule.Admin{Store: disabledMeanwhile{store}}).UpdateSchedule(ctx, probity.ScheduleEdit{Name: "nightly", Cron: "0 4 * * *"})
	if err != nil || sc.Enabled || sc.Cron != "0 4 * * *" {
		t.Fatalf("after an edit of the cron while the schedule was disabled: %+v, %v", sc, err)
	}
}

// An edit changes what it names and keeps the rest: a disabled schedule
// stays disabled, its time-out, patterns and mode stay (docsJ L9: an edit
// of the cron enabled it and reset its time-out); an empty pattern list is
// every pattern.
func TestEditKeepsWhatItDoesNotName(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	add(t, store, probity.Schedule{Name: "gain", Cron: "0 * * * *", Patterns: []string{"access-for-gain"}, Incremental: true, Timeout: 20 * time.Minute}, time.Now)
	if err := admin.EnableSchedule(ctx, "gain", false); err != nil {
		t.Fatal(err)
	}
	sc, err := admin.UpdateSchedule(ctx, probity.ScheduleEdit{Name: "gain", Cron: "30 * * * *"})
	if err != nil || sc.Enabled || sc.Timeout != 20*time.Minute || !sc.Incremental || !slices.Equal(sc.Patterns, []string{"access-for-gain"}) || sc.Cron != "30 * * * *" {
		t.Fatalf("after an edit of the cron: %+v, %v", sc, err)
	}
	on, off, every := true, false, []string{}
	sc, err = admin.UpdateSchedule(ctx, probity.ScheduleEdit{Name: "gain", Cron: "30 * * * *", Enabled: &on, Incremental: &off, Patterns: &every})
	if err != nil || !sc.Enabled || sc.Incremental || len(sc.Patterns) != 0 || sc.Timeout != 20*time.Minute {
		t.Fatalf("after an edit naming enabled, mode and every pattern: %+v, %v", sc, err)
	}
}
