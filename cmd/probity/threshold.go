package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// cmdThreshold runs `probity threshold list | set PATTERN NAME VALUE
// --reason R | reset PATTERN NAME --reason R`: the values scans use for the
// patterns' parameters (DESIGN: the administrator manages thresholds), as
// the API's setThreshold and resetThreshold, audited alike.
func cmdThreshold(ctx context.Context, e *env, args []string) error {
	usage := fmt.Errorf("usage: probity threshold list | set PATTERN NAME VALUE --reason TEXT | reset PATTERN NAME --reason TEXT")
	if len(args) == 0 {
		return &exitError{code: 64, err: usage}
	}
	fs := flag.NewFlagSet("threshold", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	reason := fs.String("reason", "", "why (required for set and reset: kept with the value and audited)")
	by := fs.String("by", "", "who sets it (default: cli:$USER, as the audit log names the command line's user)")
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return &exitError{code: 64, err: err}
	}
	want := map[string]int{"list": 0, "set": 3, "reset": 2}
	n, ok := want[args[0]]
	if !ok || len(rest) != n {
		return &exitError{code: 64, err: usage}
	}
	if args[0] != "list" && strings.TrimSpace(*reason) == "" {
		return &exitError{code: 64, err: fmt.Errorf("probity threshold %s: give the reason with --reason TEXT (at least 10 characters)", args[0])}
	}
	if *by == "" { // "admin" by default told a board nothing (boardA)
		*by = cliActor(e)
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	switch args[0] {
	case "set":
		pp, err := store.SetThreshold(ctx, rest[0], rest[1], rest[2], *reason, *by)
		if err != nil {
			return err
		}
		if err := auditCLI(ctx, store, e, "threshold set", fmt.Sprintf("%s %s: %v -> %v: %q", rest[0], rest[1], pp.Set.Was, pp.Value, pp.Set.Reason)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s = %v from the next scan (a full one)\n", rest[0], rest[1], pp.Value)
	case "reset":
		pp, was, err := store.ResetThreshold(ctx, rest[0], rest[1], *reason, *by)
		if err != nil {
			return err
		}
		if err := auditCLI(ctx, store, e, "threshold reset", fmt.Sprintf("%s %s: %v -> the default %v: %q", rest[0], rest[1], was, pp.Value, strings.Join(strings.Fields(*reason), " "))); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s back to its default from the next scan (a full one)\n", rest[0], rest[1])
	case "list":
		lib, err := store.PatternsInEffect(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PATTERN\tPARAMETER\tVALUE\tDEFAULT\tRANGE\tSET BY\tAT (UTC)\tREASON\tWHAT IT IS")
		for _, p := range lib {
			for _, pp := range p.Params {
				who, at, why := "", "", ""
				if pp.Set != nil {
					who, at, why = pp.Set.By, pp.Set.At.Format(time.DateTime), pp.Set.Reason
				}
				fmt.Fprintf(w, "%s\t%s\t%v\t%v\t%s\t%s\t%s\t%s\t%s\n", p.Name, pp.Name, pp.Value, pp.Default, valueRange(pp), who, at, why, pp.Description)
			}
		}
		return w.Flush()
	}
	return nil
}
