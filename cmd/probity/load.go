package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"probity"
	"probity/graph"
)

// maxShownRejects is how many rejected rows load prints; the rejects file
// holds them all.
const maxShownRejects = 50

func cmdLoad(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: probity load [--strict] [--rejects FILE] [--batch N] [--writers N] [--if-empty] [--bulk] [--purpose WHY] DIR")
		fs.PrintDefaults()
	}
	strict := fs.Bool("strict", false, "check every file first and write nothing if any row is bad")
	rejects := fs.String("rejects", "", "where to write rejected rows (default DIR.rejects.csv, beside DIR; created only when a row is rejected)")
	batch := fs.Int("batch", graph.DefaultBatchSize, "rows a transaction")
	writers := fs.Int("writers", graph.DefaultWriters, "transactions in flight while a file new to the database loads")
	ifEmpty := fs.Bool("if-empty", false, "load only when the database holds no Officer")
	bulk := fs.Bool("bulk", false, "first load into an EMPTY database through neo4j-admin (stops and starts the scripts/neo4j server)")
	purpose := fs.String("purpose", e.getenv("PROBITY_PURPOSE"), "why the data is loaded, for the audit log (default $PROBITY_PURPOSE)")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 64, err: err}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return &exitError{code: 64, err: fmt.Errorf("load needs exactly one DIR")}
	}
	if *batch < 1 || *writers < 1 {
		return &exitError{code: 64, err: fmt.Errorf("load: --batch and --writers are at least 1")}
	}
	dir := fs.Arg(0)
	rw := &rejectsFile{path: *rejects, echo: e.stderr}
	if *rejects == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		rw.path = abs + ".rejects.csv"
		// beside a read-only DIR: a folder of its own in the temporary one instead
		rw.fallback = filepath.Base(abs) + ".rejects.csv"
	}
	if err := rw.prepare(dir); err != nil {
		return err
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if *ifEmpty {
		has, err := store.HasOfficers(ctx)
		if err != nil {
			return err
		}
		if has {
			fmt.Fprintf(e.stdout, "load: the database already holds officers; %s not loaded (--if-empty)\n", dir)
			return nil
		}
	}
	defer rw.close()
	// Who loaded what is in the audit log, as for POST /load: before a load,
	// or, for --bulk (whose database must be empty), after the import.
	what := dir
	if abs, err := filepath.Abs(dir); err == nil {
		what = abs
	}
	what = probity.LoadPurpose(*purpose, what, *strict, *bulk)
	if *bulk {
		err := loadBulk(ctx, e, store, dir, *strict, rw, what)
		if cerr := rw.close(); cerr != nil && err == nil {
			err = cerr
		}
		return err
	}
	rep, err := store.Load(ctx, dir, graph.LoadOptions{
		Strict:    *strict,
		BatchSize: *batch,
		Writers:   *writers,
		Progress:  newProgress(e.stderr),
		OnReject:  rw.add,
		// audited once it holds the lock: a load refused for it is no load
		Started: func() error {
			if err := auditCLI(ctx, store, e, "cli:load", what); err != nil {
				return fmt.Errorf("load: the load cannot be audited, so nothing is loaded: %w", err)
			}
			return nil
		},
	})
	if rep != nil {
		printSummary(e.stdout, rep)
	}
	if cerr := rw.close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if len(rep.Files) == 0 {
		// a script's daily load that found nothing to load must not look done
		return fmt.Errorf("load: %s holds no file of the import format (officers.csv, accesses.csv, ...: docs/import-format.md); nothing loaded", dir)
	}
	rw.dropStale()
	if rep.Rejected > 0 {
		what := "the other rows were loaded"
		loaded := 0
		for _, f := range rep.Files {
			loaded += f.Loaded
		}
		if loaded == 0 {
			what = "no row was loaded"
		}
		if !rep.Written {
			what = "--strict: nothing was written"
		}
		return &exitError{code: 2, err: fmt.Errorf("%d row(s) rejected, listed in %s; %s", rep.Rejected, rw.path, what)}
	}
	return nil
}

// loadIfEmpty loads dir when the database holds no officer; serve uses it
// for PROBITY_DEMO_DIR. Rejected rows are logged, not written to a file.
func loadIfEmpty(ctx context.Context, store *graph.Store, dir string, log io.Writer) error {
	has, err := store.HasOfficers(ctx)
	if err != nil || has {
		return err
	}
	// the demo is a made-up force: said where an administrator looks, lest
	// it sit in a real force's queue unnoticed (opsX M3)
	fmt.Fprintf(log, "loading %s into the empty database: if it is the demo set, its officers and cases are made up; for real data, unset PROBITY_DEMO_DIR and start again on an empty database (docs/operations.md)\n", dir)
	shown := 0
	rep, err := store.Load(ctx, dir, graph.LoadOptions{
		Progress: newProgress(log),
		OnReject: func(r graph.Reject) error {
			if shown++; shown <= maxShownRejects {
				fmt.Fprintln(log, r)
			}
			return nil
		},
	})
	if rep != nil {
		printSummary(log, rep)
	}
	return err
}

func printSummary(w io.Writer, rep *graph.LoadReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	loaded := "loaded"
	if !rep.Written {
		loaded = "valid (not written)"
	}
	fmt.Fprintln(tw, "file\trows read\t"+loaded+"\tnew\trejected\tseconds\trows/s\t")
	var tot graph.FileReport
	for _, f := range rep.Files {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.1f\t%s\t\n", f.File, f.Read, f.Loaded, f.New, f.Rejected, f.Duration.Seconds(), rate(f.Read, f.Duration))
		tot.Read += f.Read
		tot.Loaded += f.Loaded
		tot.New += f.New
		tot.Rejected += f.Rejected
		tot.Duration += f.Duration
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%.1f\t%s\t\n", tot.Read, tot.Loaded, tot.New, tot.Rejected, tot.Duration.Seconds(), rate(tot.Read, tot.Duration))
	tw.Flush()
	if !rep.Written {
		fmt.Fprintln(w, "nothing written (--strict and rows were rejected)")
	}
}

func rate(rows int, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return strconv.Itoa(int(float64(rows) / d.Seconds()))
}

// newProgress draws a bar a file on a terminal and otherwise logs a line
// every logEvery.
func newProgress(w io.Writer) graph.Progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barProgress{w: w}
	}
	return &logProgress{w: w, every: logEvery}
}

const logEvery = 10 * time.Second

type barProgress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	start time.Time
	verb  string
}

func (p *barProgress) FileStart(file string, size int64, checking bool) {
	p.start, p.verb = time.Now(), "loading"
	if checking {
		p.verb = "checking"
	}
	p.bar = progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%s %-24s", p.verb, file)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func (p *barProgress) FileProgress(file string, rows int, bytes int64) {
	p.bar.Describe(fmt.Sprintf("%s %-24s %9d rows %7s rows/s", p.verb, file, rows, rate(rows, time.Since(p.start))))
	p.bar.Set64(bytes)
}

func (p *barProgress) FileDone(r graph.FileReport) {
	if p.bar != nil {
		if r.Stopped {
			p.bar.Exit() // left where it stopped, not drawn full
			fmt.Fprintln(p.w)
		} else {
			p.bar.Finish()
		}
		p.bar = nil
	}
}

func (p *barProgress) Notice(msg string) { fmt.Fprintln(p.w, "load:", msg) }

type logProgress struct {
	w     io.Writer
	every time.Duration
	start time.Time
	last  time.Time
	size  int64
	verb  string
}

func (p *logProgress) FileStart(file string, size int64, checking bool) {
	p.start, p.last, p.size, p.verb = time.Now(), time.Now(), size, "loading"
	if checking {
		p.verb = "checking"
	}
	fmt.Fprintf(p.w, "load: %s %s (%d bytes)\n", p.verb, file, size)
}

func (p *logProgress) FileProgress(file string, rows int, bytes int64) {
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	pct, eta := "", ""
	if p.size > 0 && bytes > 0 {
		el := time.Since(p.start)
		pct = fmt.Sprintf(" %d%%", bytes*100/p.size)
		eta = fmt.Sprintf(", about %s left", (time.Duration(float64(el) * float64(p.size-bytes) / float64(bytes))).Round(time.Second))
	}
	fmt.Fprintf(p.w, "load: %s %s: %d rows%s, %s rows/s%s\n", p.verb, file, rows, pct, rate(rows, time.Since(p.start)), eta)
}

func (p *logProgress) FileDone(r graph.FileReport) {
	if r.Stopped {
		fmt.Fprintf(p.w, "load: %s %s stopped after %d rows read (%d written), %d rejected, %.1fs\n", p.verb, r.File, r.Read, r.Loaded, r.Rejected, r.Duration.Seconds())
		return
	}
	fmt.Fprintf(p.w, "load: %s %s done: %d rows, %d rejected, %.1fs\n", p.verb, r.File, r.Read, r.Rejected, r.Duration.Seconds())
}

func (p *logProgress) Notice(msg string) { fmt.Fprintln(p.w, "load:", strings.TrimSpace(msg)) }
