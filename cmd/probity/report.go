package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"probity"
)

func cmdReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "fairness" {
		return &exitError{code: 64, err: fmt.Errorf("usage: probity report fairness [--pattern NAME] [--current] [--format text|json] [--purpose WHY]")}
	}
	fs := flag.NewFlagSet("report fairness", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pattern := fs.String("pattern", "", "only flags of this pattern (default: any)")
	format := fs.String("format", "text", "text or json")
	purpose := fs.String("purpose", e.getenv("PROBITY_PURPOSE"), "why the report is read, for the audit log (default $PROBITY_PURPOSE)")
	current := fs.Bool("current", false, "count only the flags the rules as they stand raise (not cleared or superseded, nor taken up and no longer found): shows a fixed rule's fix")
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{code: 64, err: err}
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	q := probity.FairnessQuery{Pattern: *pattern, Current: *current}
	rep, err := store.Fairness(ctx, q)
	if err != nil {
		return err
	}
	// audited as the API's read is: a small group's counts are about its
	// officers, who are named (secK L2)
	why, _ := statedPurpose(*purpose)
	if err := auditCLI(ctx, store, e, "cli:report fairness", why+"; fairness report"+q.Filter(), rep.SmallOfficerKeys()...); err != nil {
		return fmt.Errorf("report: the read cannot be audited, so nothing is printed: %w", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	// both counts: a rate made mostly of cleared flags shows (statA L6)
	counted := fmt.Sprintf("%d of %d officers ever flagged, %d by flags that stand (rate %.4f); every officer a pattern ever flagged counts, cleared flags included (--current: only those the rules as they stand raise)",
		rep.Flagged, rep.Officers, rep.FlaggedStanding, rep.Rate)
	if rep.Current {
		counted = fmt.Sprintf("%d of %d officers flagged by flags that stand (rate %.4f); only the flags the rules as they stand raise count (not cleared or superseded, nor taken up and no longer found)",
			rep.Flagged, rep.Officers, rep.Rate)
	}
	fmt.Fprintf(e.stdout, "force-wide: %s\n", counted)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "attribute\tvalue\tofficers\tflagged\trate\tratio\t95% interval\tp\tnote")
	for _, g := range rep.Groups {
		var marks []string
		switch {
		case g.BeyondChanceFDR:
			marks = append(marks, "beyond chance, also at FDR 5%")
		case g.BeyondChance:
			marks = append(marks, "beyond chance")
		}
		if g.Small {
			marks = append(marks, "small group (n < 10)")
		}
		value, ratio, interval, p := g.Value, "-", "-", "-" // no ratio: nobody flagged (statA L2)
		if g.Ratio != nil {
			ratio = fmt.Sprintf("%.2f", *g.Ratio)
		}
		if g.NotRecorded {
			value = "(not recorded)"
		}
		if g.HasInterval {
			interval = fmt.Sprintf("%.2f-%.2f", g.RatioLow, g.RatioHigh)
		}
		if g.Compared {
			p = fmt.Sprintf("%.3g", g.P)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.4f\t%s\t%s\t%s\t%s\n", g.Attribute, value, g.Officers, g.Flagged, g.Rate, ratio,
			interval, p, strings.Join(marks, "; "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.NotCompared) > 0 {
		fmt.Fprintf(e.stdout, "not compared: %s\n", strings.Join(rep.NotCompared, "; "))
	}
	fmt.Fprintf(e.stdout, "each group against the rest of the force: score test and interval, or Fisher's exact test and no interval where the counts\n"+
		"are too few; beyond chance at p < 0.05; "+
		"of %d comparisons about %d may be marked beyond chance by chance alone;\n"+
		"\"also at FDR 5%%\": still so with the false discovery rate over all comparisons held at 5%% (Benjamini-Hochberg).\n"+
		"A flag rate mixes how often a group's officers do what the rules look for with how the rules are written: a ratio\n"+
		"beyond chance asks which of the two it is (the reviewers' false positives by group, the rule's conditions); it is\n"+
		"no finding about the group.\n", rep.Comparisons, (rep.Comparisons+10)/20)
	return nil
}
