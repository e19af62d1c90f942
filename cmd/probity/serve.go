package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"probity/api"
	"probity/graph"
	"probity/internal/schedule"
	"probity/ui"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", envOr(e.getenv, "PROBITY_ADDR", "127.0.0.1:8080"), "listen address (PROBITY_ADDR)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	tuneGC(e.getenv)
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if dir := e.getenv("PROBITY_DEMO_DIR"); dir != "" {
		if err := loadIfEmpty(ctx, store, dir, e.stderr); err != nil {
			return fmt.Errorf("demo data set %s: %w", dir, err)
		}
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	key, err := pseudonymKey(ctx, e.getenv, store, logger)
	if err != nil {
		return err
	}
	limits := api.DefaultLimits()
	if v := e.getenv("PROBITY_REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return &exitError{code: 64, err: fmt.Errorf("PROBITY_REQUEST_TIMEOUT=%q: want a duration such as 30s", v)}
		}
		limits.RequestTimeout = d
	}
	if v := e.getenv("PROBITY_MAX_UPLOAD_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return &exitError{code: 64, err: fmt.Errorf("PROBITY_MAX_UPLOAD_MB=%q: want a number of MiB such as 256", v)}
		}
		limits.MaxUploadBytes = n << 20
	}
	scrape, err := metricsSecret(e.getenv)
	if err != nil {
		return &exitError{code: 64, err: err}
	}
	reg := prometheus.NewRegistry() // /metrics: the API's, the audit's and the scheduler's collectors
	reg.MustRegister(auditCollectors(store)...)
	apiSrv := api.New(api.Options{
		Health:        store,
		Graph:         store,
		Tokens:        store,
		Audit:         store,
		Flags:         store,
		Schedules:     &schedule.Admin{Store: store},
		Loader:        dataLoader{store},
		UI:            ui.FS(),
		Logger:        logger,
		SchemaVersion: graph.LatestSchemaVersion(),
		PseudonymKey:  key,
		Limits:        limits,
		Metrics:       reg,
		MetricsSecret: scrape,
	})
	srv := &http.Server{
		Handler:           apiSrv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ln, err := net.Listen("tcp", *addr) // before the scheduler: a busy address stops serve before it takes a lease
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	defer ln.Close()
	stopScheduler, err := startScheduler(ctx, e, store, logger, reg)
	if err != nil {
		return err
	}
	defer stopScheduler()
	logger.Info("serving", "url", "http://"+ln.Addr().String(), "neo4j", store.URI())
	if pw := e.getenv("NEO4J_PASSWORD"); pw == "" || pw == DefaultNeo4jPassword {
		// any account on the database's machine can read it all, past
		// pseudonyms and the audit log (opsX H1)
		logger.Warn("Neo4j's password is the published default (probity-local): set NEO4J_PASSWORD, and change the server's with scripts/neo4j password, the new one on stdin (docs/operations.md, Passwords)")
	}
	if a, ok := ln.Addr().(*net.TCPAddr); ok && !a.IP.IsLoopback() {
		logger.Warn("listening beyond this machine: /healthz answers without a token (versions, Neo4j's state), tokens travel in every request and nothing is encrypted; put a TLS proxy in front, or set PROBITY_ADDR to 127.0.0.1:PORT",
			"addr", ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("stopping: waiting up to 10 s for the requests under way")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		// a long request (a POST /load) is cut short: a load is idempotent, rerun it
		logger.Warn("stopped with requests still under way; an interrupted load leaves what it wrote and can be run again", "err", err)
	}
	// A scan started through the API stops and records its run as interrupted.
	closing, cancelClose := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelClose()
	if err := apiSrv.Close(closing); err != nil {
		logger.Warn("stopping", "err", err)
		return nil
	}
	logger.Info("stopped")
	return nil
}

// metricsSecret reads PROBITY_METRICS_TOKEN, the bearer secret that reads
// /metrics alone (a scraper's credentials): at least 32 characters, or "".
func metricsSecret(getenv func(string) string) (string, error) {
	s := getenv("PROBITY_METRICS_TOKEN")
	if s != "" && len(s) < 32 {
		return "", fmt.Errorf("PROBITY_METRICS_TOKEN is too short: use at least 32 characters (openssl rand -hex 32)")
	}
	return s, nil
}

// pseudonymKey reads PROBITY_PSEUDONYM_KEY (at least 16 bytes). Without it
// the key is the one kept in the database (made once, at random): every
// server of the database, and every restart, shows the same pseudonyms, and
// saved charts keep theirs (a key made per start changed them all). A key
// whose fingerprint is not the one the database recorded is refused: two
// servers would show one officer under two pseudonyms, and analysts quoting
// them to each other would mean different people.
func pseudonymKey(ctx context.Context, getenv func(string) string, store *graph.Store, logger *slog.Logger) ([]byte, error) {
	key, source, err := pseudonymKeyInUse(ctx, getenv, store)
	if err != nil {
		return nil, err
	}
	fp := api.KeyFingerprint(key)
	was, err := store.PseudonymKeyFingerprint(ctx, fp, false)
	if err != nil {
		return nil, err
	}
	if was != fp {
		return nil, fmt.Errorf("the pseudonym key (%s, fingerprint %s) is not the one this database's pseudonyms were made with (fingerprint %s): "+
			"give every probity serve of the database the same PROBITY_PSEUDONYM_KEY, or none; to change the key on purpose, "+
			"stop every server and run `probity pseudonym-key adopt` with the new key (docs/operations.md, \"Changing the pseudonym key\")", source, fp, was)
	}
	if len(key) < 32 {
		// every pseudonym shown (and the fingerprint) tests a guess of the
		// key offline: a short key a person chose falls to a word list
		// (reviewO L3), and with it every pseudonym and the audit seal
		logger.Warn("PROBITY_PSEUDONYM_KEY is shorter than 32 characters: a key a person chose can be guessed from any pseudonym the UI shows; use a random one (openssl rand -hex 32) and adopt it (docs/operations.md, \"Changing the pseudonym key\")")
	}
	logger.Info("pseudonyms", "key", source, "fingerprint", fp)
	return key, nil
}

// pseudonymKeyInUse is PROBITY_PSEUDONYM_KEY, or the key kept in the
// database when it is unset, and which of the two it is.
func pseudonymKeyInUse(ctx context.Context, getenv func(string) string, store *graph.Store) (key []byte, source string, err error) {
	if k := getenv("PROBITY_PSEUDONYM_KEY"); k != "" {
		if len(k) < 16 {
			return nil, "", fmt.Errorf("PROBITY_PSEUDONYM_KEY is too short: use at least 16 characters")
		}
		return []byte(k), "PROBITY_PSEUDONYM_KEY", nil
	}
	k, err := store.PseudonymKey(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("the pseudonym key kept in the database (PROBITY_PSEUDONYM_KEY is unset): %w", err)
	}
	return k, "the key kept in the database", nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// serveGCPercent is the garbage collector's target (GOGC) of probity serve
// when the GOGC variable is not set. Serving allocates a lot of short-lived
// memory a request (driver records, resolvers, JSON); at 100 the collector
// took about a sixth of the process's CPU. 400 cut the Go CPU time of a
// GraphQL neighbourhood by about a fifth, for about twice the peak memory
// (docs/operations.md).
const serveGCPercent = 400

// tuneGC sets the collector's target of a serving process to
// serveGCPercent unless GOGC is set (then the runtime has applied it), and
// returns the target in effect.
func tuneGC(getenv func(string) string) int {
	if v := getenv("GOGC"); v != "" {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	debug.SetGCPercent(serveGCPercent)
	return serveGCPercent
}

// auditCollectors count the audit group commit's batches and events, so
// /metrics tells how many requests share each durable audit write
// (events ÷ batches); see docs/operations.md.
func auditCollectors(store *graph.Store) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "probity_audit_batches_total",
			Help: "Audit group-commit transactions started by this process.",
		}, func() float64 { return float64(store.AuditStats().Batches) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "probity_audit_events_total",
			Help: "Audit events carried by those transactions.",
		}, func() float64 { return float64(store.AuditStats().Events) }),
	}
}

// dataLoader is graph.Store's loader as the API's POST /load uses it.
type dataLoader struct{ s *graph.Store }

func (d dataLoader) LoadDir(ctx context.Context, dir string, strict bool, onReject func(api.LoadReject) error, onProgress func(api.LoadProgress)) (api.LoadResult, error) {
	prog := &loadProgress{on: onProgress}
	rep, err := d.s.Load(ctx, dir, graph.LoadOptions{Strict: strict, Progress: prog, Again: "send the same files again", OnReject: func(r graph.Reject) error {
		return onReject(api.LoadReject{File: r.File, Line: r.Line, Column: r.Column, Reason: r.Reason})
	}})
	if err != nil {
		return api.LoadResult{}, err
	}
	out := api.LoadResult{Rejected: rep.Rejected, Written: rep.Written, Notes: prog.notes}
	for _, f := range rep.Files {
		lf := api.LoadFile{File: f.File, Read: f.Read, Valid: f.Loaded, Rejected: f.Rejected, Seconds: f.Duration.Seconds()}
		if rep.Written {
			lf.Loaded, lf.New = f.Loaded, f.New
		}
		out.Files = append(out.Files, lf)
	}
	return out, nil
}

// loadProgress is a /load's graph.Progress: it keeps the notices (an
// ignored column, an absent one) for the answer and passes where the load
// is to on (when not nil), for a client that streams it.
type loadProgress struct {
	notes   []string
	on      func(api.LoadProgress)
	current api.LoadProgress
}

func (l *loadProgress) FileStart(file string, size int64, checking bool) {
	l.current = api.LoadProgress{File: file, Checking: checking, Size: size}
	l.report()
}

func (l *loadProgress) FileProgress(file string, rows int, bytes int64) {
	l.current.Rows, l.current.Bytes = rows, bytes
	l.report()
}

func (l *loadProgress) FileDone(graph.FileReport) {}
func (l *loadProgress) Notice(msg string)         { l.notes = append(l.notes, msg) }

func (l *loadProgress) report() {
	if l.on != nil {
		l.on(l.current)
	}
}
