package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"probity"
	"probity/graph"
	"probity/internal/stats"
)

func cmdEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	truthFile := fs.String("truth", "", "ground truth CSV (officer_id, pattern, scenario_id)")
	trapsFile := fs.String("traps", "", "optional traps CSV (officer_id, pattern, ...): officers the pattern must not flag")
	format := fs.String("format", "text", "text or json")
	purpose := fs.String("purpose", e.getenv("PROBITY_PURPOSE"), "why the accuracy is measured, for the audit log (default $PROBITY_PURPOSE)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *truthFile == "" {
		return &exitError{code: 64, err: fmt.Errorf("--truth is required")}
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	truth, err := graph.ReadTruth(*truthFile)
	if err != nil {
		return err
	}
	var traps []probity.TruthRow
	if *trapsFile != "" {
		if traps, err = graph.ReadTruth(*trapsFile); err != nil {
			return err
		}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	var warnings []string
	warn := func(format string, args ...any) {
		w := fmt.Sprintf(format, args...)
		warnings = append(warnings, w)
		fmt.Fprintf(e.stderr, "eval: %s\n", w)
	}
	unknown, err := checkTruthOfficers(ctx, store, *truthFile, truth, warn)
	if err != nil {
		return err
	}
	set, err := checkTruthSet(ctx, store, *truthFile, truth, unknown)
	if err != nil {
		return err
	}
	// the scan whose flags are measured, and the latest change to a flag,
	// read before the flags: a flag changed after the mark is compared
	// again when the report is read (statA L1)
	scanRun, err := store.LatestEndedScan(ctx)
	if err != nil {
		return err
	}
	mark, err := store.FlagsMark(ctx)
	if err != nil {
		return err
	}
	flagged, err := store.FlaggedOfficers(ctx)
	if err != nil {
		return err
	}
	var untold []string
	for _, p := range graph.Patterns() {
		if len(flagged[p.Name]) > 0 && !slices.ContainsFunc(truth, func(t probity.TruthRow) bool { return t.Pattern == p.Name }) {
			untold = append(untold, p.Name)
		}
	}
	if len(untold) > 0 {
		warn("%s names no officer for %s: the file is taken as complete, so their flags count as not in truth",
			filepath.Base(*truthFile), strings.Join(untold, ", "))
	}
	acc := probity.Accuracy(truth, traps, flagged, graph.RankedPatterns)
	low := lowOverlap(probity.Pooled(acc))
	if err := set.verdict(*truthFile, low, warn); err != nil {
		return err
	}
	if low != "" {
		warn("%s: is %s the truth file of this data?", low, filepath.Base(*truthFile))
	}
	// the latest result is what the API's accuracy field serves
	where, err := filepath.Abs(*truthFile)
	if err != nil {
		return err
	}
	// It names flagged officers and replaces the figures reviewers read:
	// audited as an export is, before anything is written (adminB M2).
	var named []string
	for _, a := range acc {
		for _, o := range append(append([]string{}, a.Missed...), a.Spurious...) {
			if k := (probity.Ref{Label: probity.LabelOfficer, ID: o}).Key(); !slices.Contains(named, k) {
				named = append(named, k)
			}
		}
	}
	trapsAt, files := "", "; truth "+where
	if *trapsFile != "" {
		if trapsAt, err = filepath.Abs(*trapsFile); err != nil {
			return err
		}
		files += "; traps " + trapsAt
	}
	why, _ := statedPurpose(*purpose)
	if err := auditCLI(ctx, store, e, "cli:eval", why+files, named...); err != nil {
		return fmt.Errorf("eval: the measurement cannot be audited, so nothing is stored or printed: %w", err)
	}
	if _, err := store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: where, TrapsFile: trapsAt, ScanRunID: scanRun, Warnings: warnings, UnknownOfficers: unknown, Patterns: acc, Measured: flagged, FlagsMark: mark}); err != nil {
		return err
	}
	if *format == "json" { // what the text says, and the API: the intervals, the pooled row, the warnings (boardA, statB)
		out := evalJSON{TruthFile: where, TrapsFile: trapsAt, ScanRunID: scanRun, Warnings: append([]string{}, warnings...), Overall: withIntervals(probity.Pooled(acc), trapsAt != "")}
		for _, a := range acc {
			out.Patterns = append(out.Patterns, withIntervals(a, trapsAt != ""))
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pattern\ttruth\tflagged\ttp\tprecision [95%]\trecall [95%]\ttraps_flagged\tprecision@k")
	for _, a := range append(slices.Clip(acc), probity.Pooled(acc)) {
		pk := ""
		if a.PrecisionAtK != nil {
			pk = fmt.Sprintf("%.3f (k=%d)", *a.PrecisionAtK, a.K)
		}
		traps := "-" // no traps file: none were tried (analystB: "0 of 0" read as a clean result)
		if trapsAt != "" {
			traps = fmt.Sprintf("%d of %d", a.TrapsFlagged, a.Traps)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", a.Pattern, a.Truth, a.Flagged, a.TruePositives,
			withInterval(a.Precision, a.PrecisionCounts), withInterval(a.Recall, a.RecallCounts), traps, pk)
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, "[95%]: exact (Clopper-Pearson) intervals: a few planted cases bound a ratio loosely (3 of 3: 0.29-1.00).")
	fmt.Fprintln(e.stdout, "The figures are as good as the truth file: one generated with the data (probity generate) shows that the rules meet their specification, not how they fare on real data.")
	for _, a := range acc {
		if len(a.Missed) > 0 {
			fmt.Fprintf(e.stdout, "%s missed: %s\n", a.Pattern, short(a.Missed))
		}
		if len(a.Spurious) > 0 {
			fmt.Fprintf(e.stdout, "%s not in truth: %s\n", a.Pattern, short(a.Spurious))
		}
	}
	return nil
}

func short(ids []string) string {
	if len(ids) > 20 {
		return strings.Join(ids[:20], " ") + fmt.Sprintf(" ... (%d)", len(ids))
	}
	return strings.Join(ids, " ")
}

// checkTruthOfficers returns, and warns of, the officers of the truth file the
// database does not hold (counted as missed, which is more likely a wrong
// file or database than a miss), and refuses a file none of whose
// officers it holds: its figures (every recall 0) would replace the ones
// reviewers read (statA M3: a truth file of another data set).
func checkTruthOfficers(ctx context.Context, store *graph.Store, path string, truth []probity.TruthRow, warn func(string, ...any)) (unknown []string, err error) {
	var refs []probity.Ref
	seen := map[string]bool{}
	for _, t := range truth {
		if !seen[t.OfficerID] {
			seen[t.OfficerID] = true
			refs = append(refs, probity.Ref{Label: probity.LabelOfficer, ID: t.OfficerID})
		}
	}
	found, err := store.Entities(ctx, refs)
	if err != nil {
		return nil, err
	}
	for _, n := range found {
		delete(seen, n.ID)
	}
	unknown = slices.Sorted(maps.Keys(seen))
	switch {
	case len(refs) > 0 && len(found) == 0:
		return nil, &exitError{code: 65, err: fmt.Errorf("eval: %s names %d officer(s) and the database holds none of them: a truth file of other data? Nothing is stored", path, len(refs))}
	case len(unknown) > 0:
		warn("%s names %d officer(s) the database does not hold, counted as missed: %s", filepath.Base(path), len(unknown), short(unknown))
	}
	return unknown, nil
}

// truthSet is what the officers.csv beside a truth file (a generated
// set: DESIGN.md, "Import format") says of it: of the officers truth
// names that the database holds and the file has a row for (a set loaded
// in parts may hold others elsewhere: reviewR M1), how many rows differ,
// and how many have another name. Every generated set numbers its
// officers OFF000001..., so a truth file of another set names officers
// the database holds and only their rows tell (statA M1).
type truthSet struct {
	officers                  string // the officers.csv compared; "" when there is none
	compared, differ, renamed int
	namedDiffer, namedRenamed []string // a few, "ID: what differs"
}

func checkTruthSet(ctx context.Context, store *graph.Store, path string, truth []probity.TruthRow, unknown []string) (truthSet, error) {
	var set truthSet
	officers := filepath.Join(filepath.Dir(path), "officers.csv")
	if _, err := os.Stat(officers); err != nil {
		return set, nil
	}
	set.officers = officers
	var ids []string
	for _, t := range truth {
		if !slices.Contains(ids, t.OfficerID) && !slices.Contains(unknown, t.OfficerID) {
			ids = append(ids, t.OfficerID)
		}
	}
	compared, bad, err := store.CompareOfficers(ctx, officers, ids)
	if err != nil {
		return set, fmt.Errorf("eval: %w", err)
	}
	set.compared = compared
	for _, m := range bad {
		if m.Missing {
			set.compared--
			continue
		}
		set.differ++
		if len(set.namedDiffer) < 3 {
			set.namedDiffer = append(set.namedDiffer, m.ID+": "+m.Diffs[0])
		}
		if i := slices.IndexFunc(m.Diffs, func(d string) bool { return strings.HasPrefix(d, "name ") }); i >= 0 {
			set.renamed++
			if len(set.namedRenamed) < 3 {
				set.namedRenamed = append(set.namedRenamed, m.ID+": "+m.Diffs[i])
			}
		}
	}
	return set, nil
}

// verdict refuses (exit 65; nothing is stored) a truth file of another
// set: when at least half of the officers compared have another name, or
// at least half differ in anything (a set of the same seed at another
// size shares the names: reviewR H1) and the truth and the flags barely
// overlap (low). Fewer differences are warned of: officers loaded since
// from an update (a new unit, rank or status).
func (set truthSet) verdict(path string, low string, warn func(string, ...any)) error {
	if set.compared == 0 || set.differ == 0 {
		return nil
	}
	refuse := func(n int, what string, named []string) error {
		return &exitError{code: 65, err: fmt.Errorf("eval: %s is not the truth file of the loaded data: %d of the %d officers it names %s in %s than in the database (%s). Load its set, or give the truth file of the data loaded; nothing is stored",
			path, n, set.compared, what, set.officers, strings.Join(named, "; "))}
	}
	switch {
	case 2*set.renamed >= set.compared:
		return refuse(set.renamed, "have another name", set.namedRenamed)
	case 2*set.differ >= set.compared && low != "":
		return refuse(set.differ, "are otherwise ("+low+")", set.namedDiffer)
	}
	warn("%d of the %d officers %s names differ in the officers.csv beside it from those the database holds (%s): loaded since from other data?",
		set.differ, set.compared, filepath.Base(path), strings.Join(set.namedDiffer, "; "))
	return nil
}

// lowOverlap says, when the truth and the flags that stand barely overlap
// although flags exist, how: fewer than a third of the truth's pairs
// flagged and fewer than a third of the flags in the truth (on the demo
// and generated sets an honest run flags every truth pair, and a loosened
// threshold lowers only precision; a truth file of another set flags
// about one pair in ten either way); "" otherwise.
func lowOverlap(pooled probity.PatternAccuracy) string {
	tp, t, f := pooled.TruePositives, pooled.Truth, pooled.Flagged
	if f > 0 && 3*tp < t && 3*tp < f {
		return fmt.Sprintf("%d of %d truth pairs flagged; %d flags not in the truth", tp, t, f-tp)
	}
	return ""
}

// evalJSON is eval's --format json: the stored report's fields, each
// pattern's accuracy with its exact intervals, and the pooled row.
type evalJSON struct {
	TruthFile string    `json:"truthFile"`
	TrapsFile string    `json:"trapsFile,omitempty"` // none: the rows' trap counts are null, none was tried
	ScanRunID string    `json:"scanRunId,omitempty"`
	Warnings  []string  `json:"warnings"`
	Patterns  []evalRow `json:"patterns"`
	Overall   evalRow   `json:"overall"`
}

// evalRow is one pattern's accuracy with the exact 95% intervals of its
// precision and recall (null where the ratio is).
type evalRow struct {
	probity.PatternAccuracy
	// null without a traps file, as in the API (reviewF L4): shallower,
	// these win over PatternAccuracy's
	Traps         *int     `json:"traps"`
	TrapsFlagged  *int     `json:"trapsFlagged"`
	PrecisionLow  *float64 `json:"precisionLow"`
	PrecisionHigh *float64 `json:"precisionHigh"`
	RecallLow     *float64 `json:"recallLow"`
	RecallHigh    *float64 `json:"recallHigh"`
}

func withIntervals(a probity.PatternAccuracy, traps bool) evalRow {
	r := evalRow{PatternAccuracy: a}
	if traps {
		r.Traps, r.TrapsFlagged = &a.Traps, &a.TrapsFlagged
	}
	if lo, hi, ok := stats.ExactInterval(a.PrecisionCounts()); ok {
		r.PrecisionLow, r.PrecisionHigh = &lo, &hi
	}
	if lo, hi, ok := stats.ExactInterval(a.RecallCounts()); ok {
		r.RecallLow, r.RecallHigh = &lo, &hi
	}
	return r
}

// withInterval prints r and the exact 95% interval of its counts, or "-" for a
// ratio of nothing (nil).
func withInterval(r *float64, counts func() (k, n int)) string {
	lo, hi, ok := stats.ExactInterval(counts())
	if r == nil || !ok {
		return "-"
	}
	return fmt.Sprintf("%.3f [%s-%s]", *r, bound2(lo), bound2(hi))
}

// bound2 prints an interval's end to 2 places, or to 2 significant digits
// below 0.01: 5 of 3,210 is 0.0005-0.0036, not 0.00-0.00 (statB).
func bound2(x float64) string {
	if x > 0 && x < 0.01 {
		return strconv.FormatFloat(x, 'g', 2, 64)
	}
	return fmt.Sprintf("%.2f", x)
}
