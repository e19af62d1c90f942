package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"probity"
)

func cmdScan(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var patterns names
	fs.Var(&patterns, "pattern", "run only this pattern (repeat it, or comma-separated names; default all)")
	since := fs.String("since", "", "scan only officers touched by events after this time (RFC 3339 or YYYY-MM-DD)")
	incremental := fs.Bool("incremental", false, "scan only officers touched since the last successful scan's watermark")
	from := fs.String("from", "", "window start, YYYY-MM-DD (default: all data); a window keeps the events, payments, links and complaints (by received date) dated in it, and counts hubs within it (docs/patterns.md, \"Window\")")
	to := fs.String("to", "", "window end, YYYY-MM-DD, inclusive (default: all data); declarations and directorships are judged on this day")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	opts := probity.ScanOptions{Incremental: *incremental, Trigger: "cli", Patterns: patterns}
	var err error
	if opts.From, err = parseDay("--from", *from); err != nil {
		return err
	}
	if opts.To, err = parseDay("--to", *to); err != nil {
		return err
	}
	if *since != "" && *incremental {
		return &exitError{code: 64, err: fmt.Errorf("--since and --incremental each choose the officers to scan: give one")}
	}
	if *since != "" {
		if opts.Since, err = time.Parse(time.RFC3339, *since); err != nil {
			if opts.Since, err = parseDay("--since", *since); err != nil {
				return err
			}
		}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	// who ran which scan, beside the API's runScan: a scan raises and
	// clears flags (adminC M3: the Audit screen's "Scans run" found none)
	if err := auditCLI(ctx, store, e, "cli:scan", strings.TrimSpace("scan "+strings.Join(args, " "))); err != nil {
		return fmt.Errorf("scan: it cannot be audited, so it does not run: %w", err)
	}
	opts.Progress = func(p probity.ScanProgress) {
		if p.Step != "" {
			fmt.Fprintf(e.stderr, "      %-35s %s\n", p.Step, p.Duration.Round(time.Millisecond))
			return
		}
		if p.Error != "" { // not "0 hits": it found nothing because it failed (opsW)
			fmt.Fprintf(e.stderr, "[%d/%d] %-28s failed  %s: %s\n", p.Done, p.Total, p.Pattern, p.Duration.Round(time.Millisecond), p.Error)
			return
		}
		fmt.Fprintf(e.stderr, "[%d/%d] %-28s %6d hits  %s\n", p.Done, p.Total, p.Pattern, p.Hits, p.Duration.Round(time.Millisecond))
		if p.Note != "" {
			fmt.Fprintf(e.stderr, "      %s: %s\n", p.Pattern, p.Note)
		}
	}
	run, err := store.Scan(ctx, opts)
	if run.ID == "" { // refused before it started (an unknown pattern, a bad window)
		if probity.ErrorCode(err) == probity.EINVALID {
			return &exitError{code: 64, err: err}
		}
		return err
	}
	scope := "all officers"
	if run.Officers >= 0 {
		scope = fmt.Sprintf("%d officers touched since %s", run.Officers, run.Since.Format(time.RFC3339))
	}
	unfinished := ""
	if err != nil {
		unfinished = " (did not finish: below)"
	}
	fmt.Fprintf(e.stdout, "scan %s%s: %s, %d new flags, %d updated, %d cleared, %d taken up no longer found, %s\n", run.ID, unfinished, scope, run.NewFlags, run.Updated,
		run.Cleared, run.NotFound, run.EndedAt.Sub(run.StartedAt).Round(time.Millisecond))
	return err
}

func parseDay(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return t, &exitError{code: 64, err: fmt.Errorf("%s %q: want YYYY-MM-DD", name, v)}
	}
	return t, nil
}

// names is a repeatable flag of comma-separated names: --pattern a,b
// --pattern c gives [a b c].
type names []string

func (n *names) String() string { return strings.Join(*n, ",") }

func (n *names) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*n = append(*n, x)
		}
	}
	return nil
}
