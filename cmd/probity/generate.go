package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"probity/seeds"
)

func cmdGenerate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	out := fs.String("out", "", "output folder (created if missing; files in it are overwritten)")
	n := fs.Int("officers", 1000, fmt.Sprintf("number of officers (at least %d)", seeds.MinOfficers))
	seed := fs.Uint64("seed", 1, "random seed: the same seed and size give byte-identical files")
	days := fs.Int("days", seeds.DefaultDays, fmt.Sprintf("activity window in days from 2025-01-01 (%d to %d)", seeds.MinDays, seeds.MaxDays))
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 64, err: err}
	}
	if *out == "" || fs.NArg() > 0 {
		return &exitError{code: 64, err: fmt.Errorf("usage: probity generate --out DIR [--officers N] [--seed S] [--days D]")}
	}
	if *n < seeds.MinOfficers {
		return &exitError{code: 64, err: fmt.Errorf("--officers %d: want at least %d", *n, seeds.MinOfficers)}
	}
	if *days < seeds.MinDays || *days > seeds.MaxDays { // a usage error, as --officers (docsJ L11)
		return &exitError{code: 64, err: fmt.Errorf("--days %d: want %d to %d", *days, seeds.MinDays, seeds.MaxDays)}
	}
	start := time.Now()
	st, err := seeds.Generate(*out, seeds.Config{Officers: *n, Seed: *seed, Days: *days})
	if err != nil {
		return err
	}
	for _, f := range st.Files {
		fmt.Fprintf(e.stdout, "%-24s %10d rows\n", f, st.Rows[f])
	}
	fmt.Fprintf(e.stdout, "generated %d officers (seed %d) in %s to %s\n", *n, *seed, time.Since(start).Round(time.Millisecond), *out)
	return nil
}
