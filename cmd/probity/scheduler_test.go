package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/graph/graphtest"
	"probity/internal/schedule"
)

// The scheduler process tests run `probity scheduler` in separate OS
// processes: the test binary re-executes itself (the os/exec helper-process
// pattern) into TestSchedulerHelperProcess, which calls run() as main does
// but with a fake scan. The fake lives only in this test binary.

// TestSchedulerHelperProcess is not a test: it is the body of a helper
// process, and returns at once unless PROBITY_TEST_HELPER=scheduler.
func TestSchedulerHelperProcess(t *testing.T) {
	if os.Getenv("PROBITY_TEST_HELPER") != "scheduler" {
		return
	}
	args := []string{"scheduler"}
	for i, a := range os.Args {
		if a == "--" {
			args = append(args, os.Args[i+1:]...)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, args, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, scan: fakeScan})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// fakeScan appends "start|end INSTANCE RUN TOKEN UNIXNANO" lines to
// PROBITY_FAKE_SCAN_LOG and takes PROBITY_FAKE_SCAN_SLEEP.
func fakeScan(*graph.Store) schedule.ScanFunc {
	path := os.Getenv("PROBITY_FAKE_SCAN_LOG")
	d, _ := time.ParseDuration(os.Getenv("PROBITY_FAKE_SCAN_SLEEP"))
	me := os.Getenv("PROBITY_INSTANCE_ID")
	logLine := func(kind string, req schedule.ScanRequest) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(f, "%s %s %s %d %d\n", kind, me, req.RunID, req.LeaseToken, time.Now().UnixNano())
		f.Close()
	}
	return func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
		logLine("start", req)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return schedule.ScanResult{}, ctx.Err()
		}
		logLine("end", req)
		return schedule.ScanResult{RunID: "fake-" + req.RunID}, nil
	}
}

type fakeExec struct {
	instance, run string
	token         int64
	start, end    time.Time
}

// readExecs parses the fake scan's log into executions by run id.
func readExecs(t *testing.T, path string) map[string]*fakeExec {
	t.Helper()
	out := map[string]*fakeExec{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kind, inst, run string
		var tok, ns int64
		if _, err := fmt.Sscanf(sc.Text(), "%s %s %s %d %d", &kind, &inst, &run, &tok, &ns); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		e := out[run]
		if e == nil {
			e = &fakeExec{instance: inst, run: run, token: tok}
			out[run] = e
		}
		if kind == "start" {
			e.start = time.Unix(0, ns)
		} else {
			e.end = time.Unix(0, ns)
		}
	}
	return out
}

type helper struct {
	name string
	cmd  *exec.Cmd
	out  *os.File
}

// startScheduler starts `probity scheduler` as a separate process.
func startHelper(t *testing.T, name, logPath string, scanSleep, ttl time.Duration) *helper {
	t.Helper()
	cfg := graphtest.Config()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSchedulerHelperProcess$", "--")
	cmd.Env = append(os.Environ(),
		"PROBITY_TEST_HELPER=scheduler",
		"NEO4J_URI="+cfg.URI, "NEO4J_PASSWORD="+cfg.Password,
		"PROBITY_INSTANCE_ID="+name,
		"PROBITY_SCHEDULER_POLL=50ms",
		"PROBITY_LEASE_TTL="+ttl.String(),
		"PROBITY_FAKE_SCAN_LOG="+logPath,
		"PROBITY_FAKE_SCAN_SLEEP="+scanSleep.String(),
	)
	out, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{name: name, cmd: cmd, out: out}
	t.Cleanup(func() {
		if h.cmd.ProcessState == nil {
			h.cmd.Process.Kill()
			h.cmd.Wait()
		}
		if t.Failed() || os.Getenv("PROBITY_TEST_HELPER_OUTPUT") != "" {
			b, _ := os.ReadFile(out.Name())
			t.Logf("output of %s:\n%s", name, b)
		}
	})
	return h
}

// stop sends SIGTERM and waits for a clean exit.
func (h *helper) stop(t *testing.T) {
	t.Helper()
	h.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("%s exited with %v", h.name, err)
		}
	case <-time.After(20 * time.Second):
		h.cmd.Process.Kill()
		t.Errorf("%s did not stop on SIGTERM", h.name)
	}
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ended(execs map[string]*fakeExec) int {
	n := 0
	for _, e := range execs {
		if !e.end.IsZero() {
			n++
		}
	}
	return n
}

// Two `probity scheduler` processes on one database share an every-second
// schedule: each slot runs once, runs never overlap, and every run is recorded.
func TestSchedulerProcessesRunEachSlotOnce(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	if _, err := (&schedule.Admin{Store: store}).AddSchedule(ctx, probity.Schedule{Name: "tick", Cron: "@every 1s", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "scans.log")
	a := startHelper(t, "P1", logPath, 300*time.Millisecond, 3*time.Second)
	b := startHelper(t, "P2", logPath, 300*time.Millisecond, 3*time.Second)
	waitFor(t, "five finished scans", 40*time.Second, func() bool { return ended(readExecs(t, logPath)) >= 5 })
	a.stop(t)
	b.stop(t)

	execs := readExecs(t, logPath)
	var list []*fakeExec
	by := map[string]int{}
	for _, e := range execs {
		if !e.end.IsZero() {
			list = append(list, e)
			by[e.instance]++
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].start.Before(list[j].start) })
	for i := 1; i < len(list); i++ {
		if list[i].start.Before(list[i-1].end) {
			t.Errorf("scans overlap: %+v and %+v", *list[i-1], *list[i])
		}
		if list[i].token <= list[i-1].token {
			t.Errorf("fencing token went from %d to %d", list[i-1].token, list[i].token)
		}
	}
	runs, err := store.ScheduleRuns(ctx, "tick", 200)
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
		if e := execs[r.ID]; e == nil || e.end.IsZero() || r.ScanRunID != "fake-"+r.ID || e.instance != r.Holder {
			t.Errorf("run %+v has no matching scan %+v", r, e)
		}
	}
	if ok != len(list) {
		t.Errorf("%d ok runs recorded, %d scans finished", ok, len(list))
	}
	t.Logf("%d scans: %v", len(list), by)
}

// A holder killed with SIGKILL mid-run is taken over by another process
// once its lease expires (not before), for the same slot; the dead run is
// marked abandoned.
func TestKilledLeaseHolderIsTakenOver(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	slot := time.Now().UTC().Add(-time.Second).Truncate(time.Second)
	if err := store.CreateSchedule(ctx, probity.Schedule{Name: "job", Cron: "@every 1h", Enabled: true, Timeout: time.Minute, NextRunAt: slot}); err != nil {
		t.Fatal(err)
	}
	const ttl = 2 * time.Second
	logPath := filepath.Join(t.TempDir(), "scans.log")
	a := startHelper(t, "A", logPath, time.Hour, ttl) // hangs in its scan
	waitFor(t, "A to start the scan", 20*time.Second, func() bool { return len(readExecs(t, logPath)) == 1 })
	b := startHelper(t, "B", logPath, 100*time.Millisecond, ttl)
	time.Sleep(1500 * time.Millisecond) // B is up and polling, A keeps renewing
	if n := len(readExecs(t, logPath)); n != 1 {
		t.Fatalf("%d scans while A held the lease, want 1", n)
	}
	killed := time.Now()
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	a.cmd.Wait()
	var taken *fakeExec
	waitFor(t, "B to take over", 20*time.Second, func() bool {
		for _, e := range readExecs(t, logPath) {
			if e.instance == "B" && !e.end.IsZero() {
				taken = e
				return true
			}
		}
		return false
	})
	b.stop(t)

	// A renewed every ttl/3, so its lease outlived it by more than ttl·2/3.
	wait := taken.start.Sub(killed)
	if wait < ttl*2/3 || wait > ttl+5*time.Second {
		t.Errorf("B started %v after the kill; want between %v and %v", wait, ttl*2/3, ttl+5*time.Second)
	}
	t.Logf("B took over %v after A was killed (lease TTL %v)", wait.Round(time.Millisecond), ttl)
	runs, err := store.ScheduleRuns(ctx, "job", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		got = append(got, r.Holder+":"+r.Status+":"+strconv.FormatInt(r.LeaseToken, 10))
		if !r.Slot.Equal(slot) {
			t.Errorf("run %s served slot %v, want %v", r.ID, r.Slot, slot)
		}
	}
	if want := "A:abandoned:1 B:ok:2"; strings.Join(got, " ") != want {
		t.Fatalf("runs = %v, want %s", got, want)
	}
	sc, _ := store.ScheduleByName(ctx, "job")
	if sc.LastResult != "ok" || !sc.NextRunAt.After(slot.Add(59*time.Minute)) {
		t.Fatalf("schedule after takeover = %+v", sc)
	}
}

// runCLI runs one probity command in-process against the test database.
func runCLI(t *testing.T, scan scanFactory, extraEnv map[string]string, args ...string) (string, error) {
	t.Helper()
	cfg := graphtest.Config()
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password}
	for k, v := range extraEnv {
		vars[k] = v
	}
	var out, errOut strings.Builder
	err := run(context.Background(), args, &env{stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }, scan: scan})
	return out.String() + errOut.String(), err
}

func TestScheduleAndWebhookCommands(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	if out, err := runCLI(t, nil, nil, "schedule", "add", "hourly-gain", "0 * * * *", "--patterns", "access-for-gain,collusion-ring", "--timeout", "5m"); err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}
	if evs, err := store.AuditEvents(ctx, probity.AuditFilter{First: 1000}); err != nil || len(evs) == 0 ||
		evs[len(evs)-1].Operation != "schedule add" || !strings.Contains(evs[len(evs)-1].Purpose, "hourly-gain (0 * * * *, patterns access-for-gain,collusion-ring") {
		t.Fatalf("schedule add is not audited: %+v, %v", evs, err)
	}
	if out, err := runCLI(t, nil, nil, "schedule", "add", "bad", "61 * * * *"); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("add with bad cron = %v\n%s", err, out)
	}
	// --help shows the flags, and is not taken for a name or a URL
	for _, args := range [][]string{{"schedule", "add", "--help"}, {"webhook", "add", "--help"}} {
		if out, err := runCLI(t, nil, nil, args...); err != nil || !strings.Contains(out, "Usage of "+args[0]+" add") {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	// a pattern name with a typo is refused when the schedule is added, not at its first run
	if out, err := runCLI(t, nil, nil, "schedule", "add", "typo", "@daily", "--patterns", "acess-for-gain"); probity.ErrorCode(err) != probity.EINVALID ||
		!strings.Contains(err.Error(), `unknown pattern "acess-for-gain" (one of `) {
		t.Fatalf("add with an unknown pattern = %v\n%s", err, out)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "add", "hourly-gain", "@daily"); probity.ErrorCode(err) != probity.ECONFLICT {
		t.Fatalf("duplicate add = %v", err)
	}
	// edit changes the schedule in place (its history is kept by name), and
	// is audited; what it does not name stays, a disabled schedule disabled
	// and its time-out (docsJ L9); an unknown one is not found
	if _, err := runCLI(t, nil, nil, "schedule", "disable", "hourly-gain"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, nil, nil, "schedule", "edit", "hourly-gain", "30 2 * * *", "--incremental"); err != nil || !strings.Contains(out, "schedule hourly-gain edited") {
		t.Fatalf("edit: %v\n%s", err, out)
	}
	if sc, err := store.ScheduleByName(ctx, "hourly-gain"); err != nil || sc.Cron != "30 2 * * *" || !sc.Incremental || sc.Enabled || sc.Timeout != 5*time.Minute ||
		!slices.Equal(sc.Patterns, []string{"access-for-gain", "collusion-ring"}) || sc.NextRunAt.Minute() != 30 {
		t.Fatalf("after edit: %+v, %v", sc, err)
	}
	if evs, err := store.AuditEvents(ctx, probity.AuditFilter{Operation: "schedule edit", First: 10}); err != nil || len(evs) != 1 || evs[0].Purpose != "hourly-gain (30 2 * * *, incremental true; the rest kept); now hourly-gain (30 2 * * *, patterns access-for-gain,collusion-ring, incremental true, enabled false, timeout 5m0s)" {
		t.Fatalf("schedule edit is not audited: %+v, %v", evs, err)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "enable", "hourly-gain"); err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"add", "edit"} { // an empty name (an unset $NAME) is refused, not a silent success (reviewH L1)
		if _, err := runCLI(t, nil, nil, "schedule", verb, "", "@daily"); probity.ErrorCode(err) != probity.EINVALID && probity.ErrorCode(err) != probity.ENOTFOUND {
			t.Fatalf("schedule %s with an empty name: %v", verb, err)
		}
	}
	// a flag given as false undoes: every pattern, a full scan, enabled
	if _, err := runCLI(t, nil, nil, "schedule", "edit", "hourly-gain", "30 2 * * *", "--patterns", "", "--incremental=false", "--disabled=false"); err != nil {
		t.Fatal(err)
	}
	if sc, err := store.ScheduleByName(ctx, "hourly-gain"); err != nil || len(sc.Patterns) != 0 || sc.Incremental || !sc.Enabled || sc.Timeout != 5*time.Minute {
		t.Fatalf("after an edit back to every pattern, full, enabled: %+v, %v", sc, err)
	}
	// add stores what its flags say, enabled unless --disabled (mutU M2)
	if _, err := runCLI(t, nil, nil, "schedule", "add", "held", "@daily", "--disabled", "--timeout", "90s"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "add", "plain", "@daily"); err != nil {
		t.Fatal(err)
	}
	held, err1 := store.ScheduleByName(ctx, "held")
	plain, err2 := store.ScheduleByName(ctx, "plain")
	if err1 != nil || err2 != nil || held.Enabled || held.Timeout != 90*time.Second || !plain.Enabled || plain.Timeout != schedule.DefaultTimeout {
		t.Fatalf("added with --disabled --timeout 90s: %+v; with no flags: %+v (%v, %v)", held, plain, err1, err2)
	}
	for _, n := range []string{"held", "plain"} {
		if _, err := runCLI(t, nil, nil, "schedule", "remove", n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := runCLI(t, nil, nil, "schedule", "edit", "no-such", "@daily"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("edit of an unknown schedule = %v", err)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "edit", "hourly-gain", "0 * * * *", "--patterns", "access-for-gain,collusion-ring", "--timeout", "5m"); err != nil {
		t.Fatal(err) // back as it was added, for the list below
	}
	// words left over are refused, not dropped (longF): a cron of several
	// fields unquoted, an argument after the flags
	for _, args := range [][]string{{"schedule", "add", "nightly", "0", "2", "*", "*", "*"}, {"schedule", "add", "c", "@daily", "--incremental", "extra"},
		{"schedule", "list", "extra"}, {"schedule", "runs", "a", "b"}, {"schedule", "runs", "--limit", "5", "a", "extra"},
		{"webhook", "add", "https://hooks.example/x", "--min-score", "0.5", "extra"},
		{"webhook", "list", "x"}, {"webhook", "deliveries", "a", "b"}} {
		var ee *exitError
		out, err := runCLI(t, nil, nil, args...)
		if !errors.As(err, &ee) || ee.code != 64 {
			t.Errorf("%v = %v, want a usage error (64)\n%s", args, err, out)
		} else if last := args[len(args)-1]; (args[1] == "runs" || args[0] == "webhook" && args[1] == "add") && !strings.Contains(err.Error(), `"`+last+`"`) {
			t.Errorf("%v: %v, want the word left over (%q) named", args, err, last)
		}
	}
	if sc, err := store.ScheduleByName(ctx, "nightly"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Errorf("an unquoted cron stored a schedule: %+v, %v", sc, err)
	}
	out, err := runCLI(t, nil, nil, "schedule", "list")
	if err != nil || !strings.Contains(out, "hourly-gain") || !strings.Contains(out, "access-for-gain,collusion-ring") || !strings.Contains(out, "5m0s") {
		t.Fatalf("list = %v\n%s", err, out)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "disable", "hourly-gain"); err != nil {
		t.Fatal(err)
	}
	sc, err := store.ScheduleByName(ctx, "hourly-gain")
	if err != nil || sc.Enabled || len(sc.Patterns) != 2 || sc.Timeout != 5*time.Minute || sc.NextRunAt.Minute() != 0 {
		t.Fatalf("stored = %+v %v", sc, err)
	}

	// run NAME runs now through the injected scan and records the run.
	var got schedule.ScanRequest
	scan := func(*graph.Store) schedule.ScanFunc {
		return func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			got = req
			return schedule.ScanResult{RunID: "scan-cli"}, nil
		}
	}
	if out, err := runCLI(t, scan, nil, "schedule", "run", "hourly-gain"); err != nil || !strings.Contains(out, ": ok") {
		t.Fatalf("run = %v\n%s", err, out)
	}
	if got.Trigger != "manual:hourly-gain" || len(got.Patterns) != 2 {
		t.Fatalf("scan request = %+v", got)
	}
	out, err = runCLI(t, nil, nil, "schedule", "runs", "hourly-gain")
	if err != nil || !strings.Contains(out, "manual:hourly-gain") || !strings.Contains(out, "scan-cli") {
		t.Fatalf("runs = %v\n%s", err, out)
	}
	// the name after the flags names the schedule too (it had been ignored)
	out, err = runCLI(t, nil, nil, "schedule", "runs", "--limit", "5", "nosuch")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); err != nil || len(lines) != 1 {
		t.Fatalf("runs --limit 5 nosuch = %v\n%s, want the header alone", err, out)
	}
	// The real pattern scan is wired in: a planted shared address with a
	// person of interest becomes a flag that the run reports as new.
	graphtest.Fixture(t, store, `(O9:Officer)-[:LIVES_AT]->(A9:Address)<-[:LIVES_AT]-(P9:Person {poi:true})`)
	if _, err := runCLI(t, nil, nil, "schedule", "add", "assoc", "@daily", "--patterns", "undisclosed-association"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, nil, nil, "schedule", "run", "assoc"); err != nil || !strings.Contains(out, ": ok") {
		t.Fatalf("real scan run = %v\n%s", err, out)
	}
	// every schedule's runs, as many as asked
	out, err = runCLI(t, nil, nil, "schedule", "runs", "--limit", "1")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); err != nil || len(lines) != 2 || !strings.Contains(lines[1], "manual:assoc") {
		t.Fatalf("runs --limit 1 = %v\n%s", err, out)
	}
	flags, err := store.Flags(ctx, probity.FlagFilter{OfficerID: "O9"})
	if err != nil || len(flags) != 1 || flags[0].Pattern != "undisclosed-association" {
		t.Fatalf("flags after the scheduled scan = %+v, %v", flags, err)
	}
	created, err := store.Flags(ctx, probity.FlagFilter{CreatedByRun: flags[0].ScanRunID})
	if err != nil || len(created) != 1 || created[0].ID != flags[0].ID {
		t.Fatalf("flags created by run %q = %+v, %v", flags[0].ScanRunID, created, err)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "remove", "hourly-gain"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, nil, nil, "schedule", "remove", "hourly-gain"); probity.ErrorCode(err) != probity.ENOTFOUND {
		t.Fatalf("second remove = %v", err)
	}

	out, err = runCLI(t, nil, nil, "webhook", "add", "https://hooks.example/probity", "--min-score", "0.8")
	if err != nil || !strings.Contains(out, "secret (shown once") {
		t.Fatalf("webhook add = %v\n%s", err, out)
	}
	secret := strings.TrimSpace(out[strings.LastIndex(out, ": ")+2:])
	if _, err := runCLI(t, nil, nil, "webhook", "add", "file:///etc/passwd"); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("file URL accepted: %v", err)
	}
	out, err = runCLI(t, nil, nil, "webhook", "list")
	if err != nil || !strings.Contains(out, "https://hooks.example/probity") || !strings.Contains(out, "0.80") || strings.Contains(out, secret) {
		t.Fatalf("webhook list (must not show the secret) = %v\n%s", err, out)
	}
	ws, _ := store.Webhooks(ctx)
	if len(ws) != 1 || ws[0].Secret != secret || len(secret) != 64 {
		t.Fatalf("stored webhooks = %+v, secret %q", ws, secret)
	}
	// the delivery log names flags: shown, and audited naming them (reviewG L3)
	if err := store.RecordDelivery(ctx, probity.WebhookDelivery{ID: "dlv-c/1", DeliveryID: "dlv-c", Webhook: ws[0].ID, FlagID: "FLAG-c1",
		Attempt: 1, Status: probity.DeliveryOK, HTTPStatus: 200, At: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, nil, nil, "webhook", "deliveries", ws[0].ID)
	evs, _ := store.AuditEvents(ctx, probity.AuditFilter{Operation: "webhook deliveries", NewestFirst: true, First: 1})
	if err != nil || !strings.Contains(out, "FLAG-c1") || len(evs) != 1 || evs[0].Purpose != ws[0].ID || !slices.Equal(evs[0].EntityIDs, []string{"FLAG-c1"}) {
		t.Fatalf("webhook deliveries: %v\n%s\naudit %+v", err, out, evs)
	}
	if _, err := runCLI(t, nil, nil, "webhook", "remove", ws[0].ID); err != nil {
		t.Fatal(err)
	}
	// a secret from the environment (not the process list) is used, not echoed
	given := "receiver-shared-secret-0123456789"
	out, err = runCLI(t, nil, map[string]string{"PROBITY_WEBHOOK_SECRET": given}, "webhook", "add", "https://hooks.example/env")
	if ws, _ := store.Webhooks(ctx); err != nil || strings.Contains(out, given) || len(ws) != 1 || ws[0].Secret != given {
		t.Fatalf("webhook add with PROBITY_WEBHOOK_SECRET: %v\n%s\n%+v", err, out, ws)
	}
}

// probity serve runs the scheduler (defaults created, a requested run
// picked up) and stops it on shutdown.
func TestServeRunsScheduler(t *testing.T) {
	store := graphtest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan string, 10)
	scan := func(*graph.Store) schedule.ScanFunc {
		return func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			ran <- req.Trigger
			return schedule.ScanResult{RunID: "scan-serve"}, nil
		}
	}
	cfg := graphtest.Config()
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password, "PROBITY_ADDR": "127.0.0.1:0",
		"PROBITY_SCHEDULER_POLL": "50ms"}
	done := make(chan error, 1)
	var out strings.Builder
	go func() {
		done <- run(ctx, []string{"serve"}, &env{stdout: &out, stderr: &out, getenv: func(k string) string { return vars[k] }, scan: scan})
	}()
	waitFor(t, "default schedules", 20*time.Second, func() bool {
		l, _ := store.Schedules(context.Background())
		return len(l) == 2
	})
	if err := (&schedule.Admin{Store: store}).RequestRun(context.Background(), "nightly"); err != nil {
		t.Fatal(err)
	}
	select {
	case tr := <-ran:
		if tr != "manual:nightly" { // requested, not its cron slot
			t.Fatalf("trigger %q", tr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("requested run not picked up by serve's scheduler")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	sc, _ := store.ScheduleByName(context.Background(), "nightly")
	if sc.LastResult != "ok" || sc.NextRunAt.Hour() != 2 {
		t.Fatalf("nightly after run = %+v", sc)
	}
}

// PROBITY_SCHEDULER spelled off in any usual way keeps serve's scheduler
// off (an API-only instance took leases and ran scans on "false"); a value
// that is neither on nor off is refused.
func TestSchedulerSwitch(t *testing.T) {
	store := graphtest.Open(t)
	for _, v := range []string{"False", "OFF", "0", "no"} {
		e := &env{getenv: func(k string) string {
			return map[string]string{"PROBITY_SCHEDULER": v, "PROBITY_SCHEDULER_POLL": "50ms"}[k]
		}}
		reg := prometheus.NewRegistry()
		stop, err := startScheduler(context.Background(), e, store, slog.New(slog.DiscardHandler), reg)
		if err != nil {
			t.Fatalf("PROBITY_SCHEDULER=%s: %v", v, err)
		}
		time.Sleep(300 * time.Millisecond)
		stop()
		if l, _ := store.Schedules(context.Background()); len(l) != 0 {
			t.Fatalf("PROBITY_SCHEDULER=%s: the scheduler ran (%d schedules made)", v, len(l))
		}
		// an API-only instance still has the flag gauge (schedW): with no
		// flag it shows its scrape-error counter
		mfs, err := reg.Gather()
		if err != nil || !slices.ContainsFunc(mfs, func(m *dto.MetricFamily) bool { return m.GetName() == "probity_flags_count_errors_total" }) {
			t.Fatalf("PROBITY_SCHEDULER=%s: no probity_flags collector (%v)", v, err)
		}
	}
	e := &env{getenv: func(k string) string { return map[string]string{"PROBITY_SCHEDULER": "maybe"}[k] }}
	var ee *exitError
	if _, err := startScheduler(context.Background(), e, store, slog.New(slog.DiscardHandler), prometheus.NewRegistry()); !errors.As(err, &ee) || ee.code != 64 {
		t.Fatalf("PROBITY_SCHEDULER=maybe: %v, want a usage error", err)
	}
}

// A wrong setting names the variable that holds it, and a public URL that
// is no http(s) address is refused rather than sent in every alert.
func TestSchedulerSettingsChecked(t *testing.T) {
	for _, c := range []struct{ key, value, want string }{
		{"PROBITY_SCHEDULER_POLL", "soon", "PROBITY_SCHEDULER_POLL"},
		{"PROBITY_LEASE_TTL", "10ms", "PROBITY_LEASE_TTL"},
		{"PROBITY_ALERT_MIN_SCORE", "2", "PROBITY_ALERT_MIN_SCORE"},
		{"PROBITY_PUBLIC_URL", "notaurl", "PROBITY_PUBLIC_URL"},
		{"PROBITY_PUBLIC_URL", "ftp://x.example", "PROBITY_PUBLIC_URL"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		get := schedulerFlags(fs, func(k string) string { return map[string]string{c.key: c.value}[k] })
		if _, err := get(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%s: %v, want an error naming %s", c.key, c.value, err, c.want)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	if _, err := schedulerFlags(fs, func(k string) string {
		return map[string]string{"PROBITY_PUBLIC_URL": "https://probity.example.org/"}[k]
	})(); err != nil {
		t.Errorf("a good public URL: %v", err)
	}
}

// probity scheduler's /metrics is for an administrator's token, as serve's
// (secM M1: the flag counts by state told a subject its case moved).
func TestSchedulerMetricsNeedAnAdminToken(t *testing.T) {
	graphtest.Open(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	admin, err := runCLI(t, nil, nil, "token", "create", "--role", "admin", "--name", "scraper")
	if err != nil {
		t.Fatal(err)
	}
	analyst, err := runCLI(t, nil, nil, "token", "create", "--role", "analyst", "--name", "pc")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := graphtest.Config()
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password, "PROBITY_METRICS_ADDR": addr, "PROBITY_SCHEDULER_POLL": "50ms"}
	go func() {
		done <- run(ctx, []string{"scheduler"}, &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }})
	}()
	defer func() { cancel(); <-done }()
	get := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/metrics", nil)
		for _, w := range strings.Fields(token) { // the secret among what the command printed
			if strings.HasPrefix(w, api.TokenPrefix) {
				req.Header.Set("Authorization", "Bearer "+w)
			}
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if code, _ := get(""); code != 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, _ := get(""); code != http.StatusUnauthorized {
		t.Fatalf("the scheduler's metrics without a token: %d", code)
	}
	if code, _ := get(analyst); code != http.StatusForbidden {
		t.Fatalf("the scheduler's metrics with an analyst's token: %d", code)
	}
	if code, body := get(admin); code != http.StatusOK || !strings.Contains(body, "probity_flags") {
		t.Fatalf("the scheduler's metrics with an admin's token: %d %.200s", code, body)
	}
}
