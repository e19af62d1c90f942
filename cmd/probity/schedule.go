package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/internal/schedule"
)

// scanFactory builds the scan that scheduled runs call. env.scan nil means
// patternScan; tests inject a fake through env.
type scanFactory func(store *graph.Store) schedule.ScanFunc

// patternScan is the pattern library as a schedule.ScanFunc: it runs
// graph's scan and reports the flags that run created, for alerting, even
// when the run timed out or was interrupted after writing some (ctx is
// over by then: the list is read on a context of its own; schedW). Flag
// writes are not fenced by the lease: they are keyed upserts, so a stale
// holder that writes late duplicates nothing.
func patternScan(store *graph.Store) schedule.ScanFunc {
	return func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
		run, err := store.Scan(ctx, probity.ScanOptions{Patterns: req.Patterns, Incremental: req.Incremental, Trigger: req.Trigger})
		res := schedule.ScanResult{RunID: run.ID, Updated: run.Updated}
		if run.ID != "" && run.NewFlags > 0 {
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			flags, ferr := store.Flags(lctx, probity.FlagFilter{CreatedByRun: run.ID})
			cancel()
			if ferr != nil && err == nil {
				err = ferr
			}
			for _, f := range flags {
				res.NewFlags = append(res.NewFlags, schedule.AlertFlag{ID: f.ID, Pattern: f.Pattern,
					OfficerID: f.OfficerID, Score: f.Score, Tripwire: f.Pattern == graph.PatTripwire})
			}
		}
		return res, err
	}
}

// schedulerConfig is read from flags and the environment.
type schedulerConfig struct {
	holder    string
	poll      time.Duration
	leaseTTL  time.Duration
	minScore  float64
	publicURL string
}

// schedulerFlags defines the scheduler's flags on fs with defaults from
// PROBITY_INSTANCE_ID, PROBITY_SCHEDULER_POLL, PROBITY_LEASE_TTL,
// PROBITY_ALERT_MIN_SCORE and PROBITY_PUBLIC_URL.
func schedulerFlags(fs *flag.FlagSet, getenv func(string) string) func() (schedulerConfig, error) {
	holder := fs.String("instance", getenv("PROBITY_INSTANCE_ID"), "this instance's id in leases (PROBITY_INSTANCE_ID; default host-pid-random)")
	poll := fs.String("poll", envOr(getenv, "PROBITY_SCHEDULER_POLL", "5s"), "how often to look for due schedules (PROBITY_SCHEDULER_POLL)")
	ttl := fs.String("lease-ttl", envOr(getenv, "PROBITY_LEASE_TTL", "30s"), "lease time-out: a crashed instance's job is taken over after it (PROBITY_LEASE_TTL)")
	minScore := fs.String("alert-min-score", envOr(getenv, "PROBITY_ALERT_MIN_SCORE", "0.7"), "send new flags scoring at least this to webhooks (PROBITY_ALERT_MIN_SCORE)")
	public := fs.String("public-url", envOr(getenv, "PROBITY_PUBLIC_URL", "http://"+envOr(getenv, "PROBITY_ADDR", "127.0.0.1:8080")), "base URL of links in alerts (PROBITY_PUBLIC_URL)")
	return func() (schedulerConfig, error) {
		c := schedulerConfig{holder: *holder, publicURL: *public}
		var err error
		if c.poll, err = time.ParseDuration(*poll); err != nil || c.poll <= 0 {
			return c, fmt.Errorf("PROBITY_SCHEDULER_POLL (probity scheduler --poll) %q: want a duration such as 5s", *poll)
		}
		if c.leaseTTL, err = time.ParseDuration(*ttl); err != nil || c.leaseTTL < time.Second {
			return c, fmt.Errorf("PROBITY_LEASE_TTL (probity scheduler --lease-ttl) %q: want a duration of at least 1s", *ttl)
		}
		if c.minScore, err = strconv.ParseFloat(*minScore, 64); err != nil || c.minScore < 0 || c.minScore > 1 {
			return c, fmt.Errorf("PROBITY_ALERT_MIN_SCORE (probity scheduler --alert-min-score) %q: want a number in 0..1", *minScore)
		}
		// the base of every alert's link: a typo would send links that go nowhere
		if u, err := url.Parse(*public); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("PROBITY_PUBLIC_URL (probity scheduler --public-url) %q: want the UI's address, such as https://probity.example.org", *public)
		}
		return c, nil
	}
}

// newRunner wires a schedule.Runner to store, the scan and reg (nil: no
// metrics).
func newRunner(e *env, store *graph.Store, c schedulerConfig, logger *slog.Logger, reg prometheus.Registerer) (*schedule.Runner, error) {
	var m *schedule.Metrics
	if reg != nil {
		var err error
		if m, err = schedule.NewMetrics(reg, store.CountFlagsByPatternStatus); err != nil {
			return nil, err
		}
	}
	scan := e.scan
	if scan == nil {
		scan = patternScan
	}
	return schedule.New(schedule.Options{
		Store: store, Scan: scan(store), Holder: c.holder, Poll: c.poll, LeaseTTL: c.leaseTTL,
		Logger: logger, Metrics: m,
		Alerts: schedule.AlertOptions{MinScore: c.minScore, PublicURL: c.publicURL},
	}), nil
}

// startScheduler runs the scheduler in the background of probity serve
// unless PROBITY_SCHEDULER is off (or false, 0, no: an API-only instance
// must not take leases and run scans because of a spelling); the returned
// stop cancels it and waits. A value that is neither on nor off is refused.
func startScheduler(ctx context.Context, e *env, store *graph.Store, logger *slog.Logger, reg prometheus.Registerer) (stop func(), err error) {
	switch v := strings.ToLower(strings.TrimSpace(e.getenv("PROBITY_SCHEDULER"))); v {
	case "off", "false", "0", "no":
		// the same series as a scheduling instance, probity_flags with them
		// (it had been missing where the scheduler was off; schedW)
		if reg != nil {
			if _, err := schedule.NewMetrics(reg, store.CountFlagsByPatternStatus); err != nil {
				return nil, err
			}
		}
		return func() {}, nil
	case "", "on", "true", "1", "yes":
	default:
		return nil, &exitError{code: 64, err: fmt.Errorf("PROBITY_SCHEDULER=%q: want on or off", v)}
	}
	c, err := schedulerFlags(flag.NewFlagSet("", flag.ContinueOnError), e.getenv)()
	if err != nil {
		return nil, err
	}
	r, err := newRunner(e, store, c, logger, reg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := r.Run(ctx); err != nil {
			logger.Error("scheduler stopped", "err", err)
		}
	}()
	logger.Info("scheduler started", "instance", r.Holder())
	return func() { cancel(); wg.Wait() }, nil
}

func cmdScheduler(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("scheduler", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := schedulerFlags(fs, e.getenv)
	metricsAddr := fs.String("metrics-addr", e.getenv("PROBITY_METRICS_ADDR"), "serve /metrics on this address (PROBITY_METRICS_ADDR; default none)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	c, err := cfg()
	if err != nil {
		return &exitError{code: 64, err: err}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	reg := prometheus.NewRegistry()
	r, err := newRunner(e, store, c, logger, reg)
	if err != nil {
		return err
	}
	if *metricsAddr != "" {
		ln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", *metricsAddr, err)
		}
		mux := http.NewServeMux()
		scrape, err := metricsSecret(e.getenv)
		if err != nil {
			return &exitError{code: 64, err: err}
		}
		mux.Handle("/metrics", api.MetricsGate(store, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), scrape))
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
	}
	logger.Info("scheduler running", "instance", r.Holder(), "neo4j", store.URI())
	err = r.Run(ctx) // returns once ctx ends (SIGINT, SIGTERM) and the runs under way have stopped
	logger.Info("scheduler stopped", "instance", r.Holder())
	return err
}

const scheduleUsage = "usage: probity schedule list | add NAME CRON [--patterns a,b] [--incremental] [--timeout 30m] [--disabled] | edit NAME CRON [the same flags; one left out keeps the schedule's value: --patterns '' is every pattern, --incremental=false a full scan, --disabled=false enabled; its history stays] | remove NAME | enable NAME | disable NAME | run NAME | runs [NAME] [--limit N]"

// cmdSchedule manages the stored schedules: list, add, remove, enable,
// disable, run one now, list runs. A bad use exits 64; a run that does not
// end ok exits 1.
func cmdSchedule(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return &exitError{code: 64, err: errors.New(scheduleUsage)}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	admin := &schedule.Admin{Store: store}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		if len(rest) > 0 {
			return &exitError{code: 64, err: fmt.Errorf("schedule list takes no argument, got %q", rest[0])}
		}
		return listSchedules(ctx, e, admin)
	case "add":
		return addSchedule(ctx, e, store, admin, rest)
	case "edit":
		return editSchedule(ctx, e, store, admin, rest)
	case "remove":
		if len(rest) != 1 {
			return &exitError{code: 64, err: errors.New(scheduleUsage)}
		}
		if err := admin.RemoveSchedule(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "schedule %s removed\n", rest[0])
		return auditCLI(ctx, store, e, "schedule remove", rest[0])
	case "enable", "disable":
		if len(rest) != 1 {
			return &exitError{code: 64, err: errors.New(scheduleUsage)}
		}
		if err := admin.EnableSchedule(ctx, rest[0], sub == "enable"); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "schedule %s %sd\n", rest[0], sub)
		return auditCLI(ctx, store, e, "schedule "+sub, rest[0])
	case "run":
		return runSchedule(ctx, e, store, rest)
	case "runs":
		return listScheduleRuns(ctx, e, admin, rest)
	default:
		return &exitError{code: 64, err: errors.New(scheduleUsage)}
	}
}

// listSchedules is schedule list: a table of the schedules, their last
// run and their next.
func listSchedules(ctx context.Context, e *env, admin *schedule.Admin) error {
	list, err := admin.Schedules(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tCRON\tPATTERNS\tINCREMENTAL\tENABLED\tTIMEOUT\tLAST RUN\tLAST RESULT\tNEXT RUN")
	for _, s := range list {
		patterns := strings.Join(s.Patterns, ",")
		if patterns == "" {
			patterns = "all"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%t\t%t\t%s\t%s\t%s\t%s\n", s.Name, s.Cron, patterns, s.Incremental, s.Enabled,
			s.Timeout, stamp(s.LastRunAt), s.LastResult, stamp(s.NextRunAt))
	}
	return w.Flush()
}

// scheduleEdit reads schedule add's and edit's arguments: NAME CRON and
// the flags given (edit keeps what a flag left out says; add takes its
// default).
func scheduleEdit(e *env, verb string, rest []string) (probity.ScheduleEdit, error) {
	fs := flag.NewFlagSet("schedule "+verb, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	help := map[string]string{"patterns": "comma-separated pattern names (default all)", "incremental": "scan only what changed since the last scan",
		"timeout": "deadline of one run", "disabled": "store it disabled"}
	if verb == "edit" { // a flag left out keeps the schedule's value: no defaults to name (reviewH L3)
		help = map[string]string{"patterns": "comma-separated pattern names ('' for every pattern; left out: kept)",
			"incremental": "scan only what changed since the last scan (=false: a full scan; left out: kept)",
			"timeout":     "deadline of one run (left out: kept)", "disabled": "disable it (=false: enable it; left out: kept)"}
	}
	patterns := fs.String("patterns", "", help["patterns"])
	incremental := fs.Bool("incremental", false, help["incremental"])
	timeout := fs.Duration("timeout", schedule.DefaultTimeout, help["timeout"])
	disabled := fs.Bool("disabled", false, help["disabled"])
	if verb == "edit" {
		fs.Usage = func() {
			fmt.Fprintf(e.stderr, "Usage of schedule edit NAME CRON (a flag left out keeps the schedule's value):\n")
			fs.PrintDefaults()
		}
	}
	if len(rest) > 0 && isHelp(rest[0]) {
		return probity.ScheduleEdit{}, fs.Parse(rest[:1]) // prints the flags; ErrHelp exits 0
	}
	if len(rest) < 2 {
		return probity.ScheduleEdit{}, &exitError{code: 64, err: errors.New(scheduleUsage)}
	}
	if err := fs.Parse(rest[2:]); err != nil {
		return probity.ScheduleEdit{}, &exitError{code: 64, err: err}
	}
	if fs.NArg() > 0 {
		hint := ""
		if cronField.MatchString(fs.Arg(0)) { // a cron of five fields unquoted (0 2 * * *) leaves four here
			hint = " (quote a cron expression of several fields: '0 2 * * *')"
		}
		return probity.ScheduleEdit{}, &exitError{code: 64, err: fmt.Errorf("schedule %s: unexpected argument %q after NAME CRON%s", verb, fs.Arg(0), hint)}
	}
	ed := probity.ScheduleEdit{Name: rest[0], Cron: rest[1]}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "patterns":
			list := []string{}
			for _, p := range strings.Split(*patterns, ",") {
				if p = strings.TrimSpace(p); p != "" {
					list = append(list, p)
				}
			}
			ed.Patterns = &list
		case "incremental":
			ed.Incremental = incremental
		case "timeout":
			ed.Timeout = timeout
		case "disabled":
			enabled := !*disabled
			ed.Enabled = &enabled
		}
	})
	return ed, nil
}

// addSchedule is schedule add NAME CRON [flags].
func addSchedule(ctx context.Context, e *env, store *graph.Store, admin *schedule.Admin, rest []string) error {
	ed, err := scheduleEdit(e, "add", rest)
	if err != nil {
		return err
	}
	s, err := admin.AddSchedule(ctx, ed.Apply(probity.Schedule{Name: ed.Name, Enabled: true}))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schedule %s added; next run %s\n", s.Name, stamp(s.NextRunAt))
	return auditCLI(ctx, store, e, "schedule add", s.Describe())
}

// editSchedule is schedule edit NAME CRON [flags]: what a flag left out
// stays as it was (docsJ L9: an edit of the cron enabled a disabled
// schedule and reset its time-out).
func editSchedule(ctx context.Context, e *env, store *graph.Store, admin *schedule.Admin, rest []string) error {
	ed, err := scheduleEdit(e, "edit", rest)
	if err != nil {
		return err
	}
	s, err := admin.UpdateSchedule(ctx, ed)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schedule %s edited; next run %s\n", s.Name, stamp(s.NextRunAt))
	return auditCLI(ctx, store, e, "schedule edit", ed.Describe()+"; now "+s.Describe())
}

// runSchedule is schedule run NAME: it audits the run, runs the schedule
// now with a lease holder id of its own and says the outcome; a run that
// does not end ok exits 1.
func runSchedule(ctx context.Context, e *env, store *graph.Store, rest []string) error {
	if len(rest) != 1 {
		return &exitError{code: 64, err: errors.New(scheduleUsage)}
	}
	c, err := schedulerFlags(flag.NewFlagSet("", flag.ContinueOnError), e.getenv)()
	if err != nil {
		return err
	}
	c.holder = "" // its own lease holder id, never a server's
	r, err := newRunner(e, store, c, slog.New(slog.NewTextHandler(e.stderr, nil)), nil)
	if err != nil {
		return err
	}
	if err := auditCLI(ctx, store, e, "schedule run", rest[0]); err != nil {
		return err
	}
	run, err := r.RunNow(ctx, rest[0])
	if err != nil {
		return err
	}
	outcome := run.Status
	if run.Error != "" {
		outcome += ": " + run.Error
	}
	fmt.Fprintf(e.stdout, "run %s of %s: %s (scan run %q, %d new flags)\n", run.ID, run.Schedule, outcome, run.ScanRunID, run.NewFlags)
	if run.Status != probity.RunOK {
		return &exitError{code: 1, err: fmt.Errorf("run of %s %s", run.Schedule, run.Status)}
	}
	return nil
}

// cronField is a word of a cron expression (0, */15, 1-5, MON-FRI aside).
var cronField = regexp.MustCompile(`^[0-9*/,-]+$`)

// listScheduleRuns is schedule runs [NAME] [--limit N]: a table of the
// newest runs (of NAME, or of every schedule), at most 1000.
func listScheduleRuns(ctx context.Context, e *env, admin *schedule.Admin, rest []string) error {
	fs := flag.NewFlagSet("schedule runs", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	limit := fs.Int("limit", 20, "how many runs, newest first (at most 1000)")
	name := ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return &exitError{code: 64, err: err}
	}
	left := fs.Args()
	if name == "" && len(left) > 0 {
		name, left = left[0], left[1:] // after the flags: runs --limit 5 NAME
	}
	if len(left) > 0 {
		return &exitError{code: 64, err: fmt.Errorf("schedule runs: unexpected argument %q (schedule runs [NAME] [--limit N])", left[0])}
	}
	if *limit < 1 || *limit > 1000 {
		return &exitError{code: 64, err: fmt.Errorf("--limit %d: want 1 to 1000", *limit)}
	}
	runs, err := admin.ScheduleRuns(ctx, name, *limit)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RUN\tSCHEDULE\tTRIGGER\tSTARTED\tENDED\tSTATUS\tTOKEN\tSCAN RUN\tNEW FLAGS\tERROR")
	for _, r := range runs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", r.ID, r.Schedule, r.Trigger, stamp(r.StartedAt),
			stamp(r.EndedAt), r.Status, r.LeaseToken, r.ScanRunID, r.NewFlags, r.Error)
	}
	return w.Flush()
}

func cmdWebhook(ctx context.Context, e *env, args []string) error {
	const usage = "usage: probity webhook list | add URL [--min-score S (default 0: every new flag that PROBITY_ALERT_MIN_SCORE, 0.7 by default, lets through)] [--secret S] | remove ID | deliveries [ID]"
	if len(args) == 0 {
		return &exitError{code: 64, err: errors.New(usage)}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	admin := &schedule.Admin{Store: store}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		if len(rest) > 0 {
			return &exitError{code: 64, err: errors.New(usage)}
		}
		ws, err := admin.Webhooks(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tURL\tMIN SCORE\tENABLED")
		for _, h := range ws {
			fmt.Fprintf(w, "%s\t%s\t%.2f\t%t\n", h.ID, h.URL, h.MinScore, h.Enabled)
		}
		return w.Flush()
	case "add":
		fs := flag.NewFlagSet("webhook add", flag.ContinueOnError)
		fs.SetOutput(e.stderr)
		minScore := fs.Float64("min-score", 0, "only flags scoring at least this (tripwire hits always)")
		secret := fs.String("secret", "", "shared HMAC secret (default: $PROBITY_WEBHOOK_SECRET, else generated and printed once; on the command line it shows in the process list)")
		if len(rest) > 0 && isHelp(rest[0]) {
			return fs.Parse(rest[:1]) // prints the flags; ErrHelp exits 0
		}
		if len(rest) < 1 {
			return &exitError{code: 64, err: errors.New(usage)}
		}
		if err := fs.Parse(rest[1:]); err != nil {
			return &exitError{code: 64, err: err}
		}
		if fs.NArg() > 0 {
			return &exitError{code: 64, err: fmt.Errorf("webhook add: unexpected argument %q after URL (%s)", fs.Arg(0), usage)}
		}
		given := *secret
		if given == "" {
			given = e.getenv("PROBITY_WEBHOOK_SECRET")
		}
		h, err := admin.AddWebhook(ctx, probity.Webhook{URL: rest[0], MinScore: *minScore, Secret: given, Enabled: true})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "webhook %s added for %s\n", h.ID, h.URL)
		if given == "" { // a secret the caller gave is not echoed back
			fmt.Fprintf(e.stdout, "secret (shown once; configure the receiver with it): %s\n", h.Secret)
		}
		return auditCLI(ctx, store, e, "webhook add", fmt.Sprintf("%s %s (min score %v)", h.ID, h.URL, h.MinScore))
	case "remove":
		if len(rest) != 1 {
			return &exitError{code: 64, err: errors.New(usage)}
		}
		if err := admin.RemoveWebhook(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "webhook %s removed\n", rest[0])
		return auditCLI(ctx, store, e, "webhook remove", rest[0])
	case "deliveries":
		if len(rest) > 1 {
			return &exitError{code: 64, err: errors.New(usage)}
		}
		id := ""
		if len(rest) > 0 {
			id = rest[0]
		}
		ds, err := admin.WebhookDeliveries(ctx, probity.DeliveryQuery{Webhook: id, Limit: 50})
		if err != nil {
			return err
		}
		// it names flags: audited as the API's read is (reviewG L3)
		var flags []string
		for _, d := range ds {
			if !slices.Contains(flags, d.FlagID) {
				flags = append(flags, d.FlagID)
			}
		}
		if err := auditCLI(ctx, store, e, "webhook deliveries", cmp.Or(id, "every webhook"), flags...); err != nil {
			return fmt.Errorf("webhook deliveries: the read cannot be audited, so nothing is shown: %w", err)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "AT\tWEBHOOK\tDELIVERY\tFLAG\tATTEMPT\tSTATUS\tHTTP\tERROR")
		for _, d := range ds {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", stamp(d.At), d.Webhook, d.DeliveryID, d.FlagID, d.Attempt, d.Status, d.HTTPStatus, d.Error)
		}
		return w.Flush()
	default:
		return &exitError{code: 64, err: errors.New(usage)}
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// isHelp says arg asks for a command's flags.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }
