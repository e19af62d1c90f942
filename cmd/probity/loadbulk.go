package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"probity/graph"
)

// bulkHowTo is what to do when load --bulk cannot drive the server itself.
const bulkHowTo = `for another server: check the set with probity load --strict on an empty test database,
convert it with probity export-bulk DIR OUT, stop the server, run
neo4j-admin database import full neo4j --overwrite-destination=true $(cat OUT/args),
start the server and run probity migrate (docs/import-format.md, "Bulk import")`

// loadBulk is probity load --bulk: the first load of a large set into an
// EMPTY database through neo4j-admin database import full, which needs the
// server stopped. It validates the set exactly as load does (the same
// rejects and --strict), converts the good rows with export-bulk, and has
// scripts/neo4j (PROBITY_NEO4J_SCRIPT) stop the server, import and start
// it; then it migrates.
func loadBulk(ctx context.Context, e *env, store *graph.Store, dir string, strict bool, rw *rejectsFile, auditPurpose string) error {
	script := e.getenv("PROBITY_NEO4J_SCRIPT")
	if script == "" {
		script = filepath.Join("scripts", "neo4j")
	}
	if err := localServer(e.getenv, store.URI()); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("load --bulk: %v; %s", err, bulkHowTo)}
	}
	if _, err := os.Stat(script); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("load --bulk drives the server of scripts/neo4j, not found at %s (set PROBITY_NEO4J_SCRIPT); %s", script, bulkHowTo)}
	}
	has, err := store.HoldsData(ctx)
	if err != nil {
		return err
	}
	if has {
		return &exitError{code: 1, err: fmt.Errorf("load --bulk fills an EMPTY database only (it replaces the whole database) and %s holds data; use probity load %s", store.URI(), dir)}
	}

	start := time.Now()
	skip := map[string]map[int]bool{}
	rep, err := store.Load(ctx, dir, graph.LoadOptions{
		CheckOnly: true,
		Progress:  newProgress(e.stderr),
		OnReject: func(r graph.Reject) error {
			if skip[r.File] == nil {
				skip[r.File] = map[int]bool{}
			}
			skip[r.File][r.Line] = true
			return rw.add(r)
		},
	})
	if err != nil {
		return err
	}
	if strict && rep.Rejected > 0 {
		printSummary(e.stdout, rep)
		return &exitError{code: 2, err: fmt.Errorf("%d row(s) rejected, listed in %s; --strict: nothing was written", rep.Rejected, rw.path)}
	}
	checked := time.Since(start)

	out, err := os.MkdirTemp("", "probity-bulk-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	rows, files, err := exportBulk(ctx, dir, out, skip)
	if err != nil {
		return fmt.Errorf("convert for neo4j-admin: %w", err)
	}
	converted := time.Since(start) - checked
	fmt.Fprintf(e.stderr, "load: %d rows converted into %d files; stopping the server for neo4j-admin\n", rows, files)
	store.Close(context.Background())

	cmd := exec.CommandContext(ctx, script, "import", filepath.Join(out, "args"))
	cmd.Stdout, cmd.Stderr = e.stderr, e.stderr
	cmd.Env = os.Environ()
	for _, k := range scriptEnv {
		if v := e.getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s import: %w", script, err)
	}
	imported := time.Since(start) - checked - converted

	// The imported store has no schema: the uniqueness constraints and
	// indexes are built over its data, minutes at force scale.
	cfg, err := neo4jConfig(e.getenv)
	if err != nil {
		return err
	}
	if cfg.Timeout < time.Hour {
		cfg.Timeout = time.Hour
	}
	after, err := graph.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer after.Close(context.Background())
	if _, err := after.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate the imported database: %w", err)
	}
	if err := auditCLI(ctx, after, e, "cli:load", auditPurpose); err != nil {
		return fmt.Errorf("the data was imported but the load could not be audited: %w", err)
	}
	for i := range rep.Files {
		rep.Files[i].Duration = 0
	}
	rep.Written = true
	printSummary(e.stdout, rep)
	total := time.Since(start)
	fmt.Fprintf(e.stdout, "bulk: %d rows in %.1f s (%d rows/s): check %.1f s, convert %.1f s, neo4j-admin %.1f s, migrate %.1f s\n",
		rows, total.Seconds(), int(float64(rows)/total.Seconds()), checked.Seconds(), converted.Seconds(), imported.Seconds(),
		(total - checked - converted - imported).Seconds())
	if rep.Rejected > 0 {
		return &exitError{code: 2, err: fmt.Errorf("%d row(s) rejected, listed in %s; the other rows were loaded", rep.Rejected, rw.path)}
	}
	return nil
}

// scriptEnv are the settings of scripts/neo4j, passed on from probity's
// environment.
var scriptEnv = []string{"NEO4J_PASSWORD", "NEO4J_DATA_DIR", "NEO4J_BOLT_PORT", "NEO4J_HTTP_PORT", "NEO4J_HEAP",
	"NEO4J_PAGECACHE", "NEO4J_VERSION", "PROBITY_CACHE", "NEO4J_START_TIMEOUT", "NEO4J_IMPORT_HEAP", "NEO4J_IMPORT_OFF_HEAP"}

// localServer checks that uri is the server scripts/neo4j runs here: on
// this machine, at its Bolt port (NEO4J_BOLT_PORT, default 7687).
func localServer(getenv func(string) string, uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("NEO4J_URI %q: %v", uri, err)
	}
	port := getenv("NEO4J_BOLT_PORT")
	if port == "" {
		port = "7687"
	}
	if h := u.Hostname(); (h != "127.0.0.1" && h != "localhost") || u.Port() != port {
		return fmt.Errorf("it stops, imports into and starts the local server of scripts/neo4j (127.0.0.1:%s, NEO4J_BOLT_PORT), not %s", port, uri)
	}
	return nil
}
