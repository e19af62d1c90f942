package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
)

func cmdReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "fairness" {
		return &exitError{code: 64, err: fmt.Errorf("usage: probity report fairness [--pattern NAME] [--format text|json]")}
	}
	fs := flag.NewFlagSet("report fairness", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pattern := fs.String("pattern", "", "only flags of this pattern (default: any)")
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{code: 64, err: err}
	}
	store, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	rep, err := store.Fairness(ctx, *pattern)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(e.stdout, "force-wide: %d of %d officers flagged (rate %.4f)\n", rep.Flagged, rep.Officers, rep.Rate)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "attribute\tvalue\tofficers\tflagged\trate\tratio\t95% interval\t")
	for _, g := range rep.Groups {
		var marks []string
		if g.BeyondChance {
			marks = append(marks, "beyond chance")
		}
		if g.Small {
			marks = append(marks, "small group (n < 10)")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.4f\t%.2f\t%.2f-%.2f\t%s\n", g.Attribute, g.Value, g.Officers, g.Flagged, g.Rate, g.Ratio,
			g.RatioLow, g.RatioHigh, strings.Join(marks, "; "))
	}
	return tw.Flush()
}
