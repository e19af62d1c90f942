package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"probity"
	"probity/graph"
)

func cmdEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	truthFile := fs.String("truth", "", "ground truth CSV (officer_id, pattern, scenario_id)")
	trapsFile := fs.String("traps", "", "optional traps CSV (officer_id, pattern, ...): officers the pattern must not flag")
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 64, err: err}
	}
	if *truthFile == "" {
		return &exitError{code: 64, err: fmt.Errorf("--truth is required")}
	}
	truth, err := readTruth(*truthFile)
	if err != nil {
		return err
	}
	var traps []probity.TruthRow
	if *trapsFile != "" {
		if traps, err = readTruth(*trapsFile); err != nil {
			return err
		}
	}
	store, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	flagged, err := store.FlaggedOfficers(ctx)
	if err != nil {
		return err
	}
	acc := probity.Accuracy(truth, traps, flagged, map[string]bool{graph.PatSimilarToConfirmed: true})
	// the latest result is what the API's accuracy field serves
	if _, err := store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: *truthFile, Patterns: acc}); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(acc)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pattern\ttruth\tflagged\ttp\tprecision\trecall\ttraps_flagged\tprecision@k")
	for _, a := range acc {
		pk := ""
		if a.K > 0 {
			pk = fmt.Sprintf("%.3f (k=%d)", a.PrecisionAtK, a.K)
		}
		// a ratio of nothing is undefined, not 0: "-" (no flags, or no truth)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%d\t%s\n", a.Pattern, a.Truth, a.Flagged, a.TruePositives,
			ratio(a.Precision, a.Flagged), ratio(a.Recall, a.Truth), a.TrapsFlagged, pk)
	}
	tw.Flush()
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

// readTruth reads a CSV with a header naming officer_id and pattern columns
// (scenario_id optional).
func readTruth(path string) ([]probity.TruthRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	oi, ok1 := col["officer_id"]
	pi, ok2 := col["pattern"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s: header needs officer_id and pattern, got %v", path, rows[0])
	}
	si, hasScenario := col["scenario_id"]
	var out []probity.TruthRow
	for _, row := range rows[1:] {
		if oi >= len(row) || pi >= len(row) {
			continue
		}
		t := probity.TruthRow{OfficerID: row[oi], Pattern: row[pi]}
		if hasScenario && si < len(row) {
			t.ScenarioID = row[si]
		}
		out = append(out, t)
	}
	return out, nil
}

// ratio prints r to 3 places, or "-" when its denominator n is 0.
func ratio(r float64, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", r)
}
