package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"probity"
)

// FlagsCSVHeader is the header of `probity flags --format csv` (DESIGN.md).
var FlagsCSVHeader = []string{"flag_id", "pattern", "officer_id", "score", "status", "evidence", "explanation"}

func cmdFlags(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "csv", "csv or json")
	var f probity.FlagFilter
	fs.StringVar(&f.Pattern, "pattern", "", "only this pattern")
	status := fs.String("status", "", "only this status")
	fs.StringVar(&f.OfficerID, "officer", "", "only this officer")
	all := fs.Bool("all", false, "also flags superseded by a newer flag of the same pattern and officer (changed evidence) and flags cleared by a scan over all the data that no longer found their case (csv status: superseded, cleared)")
	innocent := fs.Bool("innocent", false, "csv: add an innocent_explanation column after the seven of the contract")
	purpose := fs.String("purpose", e.getenv("PROBITY_PURPOSE"), "why the flags are exported, for the audit log (default $PROBITY_PURPOSE)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	f.Status = probity.FlagStatus(*status)
	if f.Status != "" && !slices.Contains(probity.FlagStatuses, f.Status) {
		// superseded and cleared are not review statuses (docsH: --status
		// cleared listed nothing, unsaid)
		return &exitError{code: 64, err: fmt.Errorf("--status %q: want one of %s (superseded and cleared flags: --all)", *status, statusList())}
	}
	f.Current = !*all
	// the API's global id names the same officer as its import id
	if ref, ok := probity.ParseKey(f.OfficerID); ok {
		if ref.Label != probity.LabelOfficer {
			return &exitError{code: 64, err: fmt.Errorf("--officer %s: not an officer", f.OfficerID)}
		}
		f.OfficerID = ref.ID
	}
	if err := checkFormat(*format, "csv", "json"); err != nil {
		return err
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	flags, err := store.Flags(ctx, f)
	if err != nil {
		return err
	}
	// An export is audited before anything is written, like an API read:
	// every flag, officer and evidence entity it names, and why.
	why, given := statedPurpose(*purpose)
	if !given {
		fmt.Fprintln(e.stderr, "flags: no --purpose (or PROBITY_PURPOSE) given; the export is audited as \"purpose: none given\"")
	}
	ids := make([]string, 0, 2*len(flags))
	seen := map[string]bool{}
	add := func(r probity.Ref) {
		if k := r.Key(); !seen[k] {
			seen[k] = true
			ids = append(ids, k)
		}
	}
	for _, fl := range flags {
		add(probity.Ref{Label: probity.LabelFlag, ID: fl.ID})
		add(probity.Ref{Label: probity.LabelOfficer, ID: fl.OfficerID})
		for _, n := range fl.Evidence.Nodes {
			add(probity.Ref{Label: n.Label, ID: n.ID})
		}
	}
	if err := auditCLI(ctx, store, e, "cli:flags --format "+*format, why, ids...); err != nil {
		return fmt.Errorf("flags: the export cannot be audited, so nothing is written: %w", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if flags == nil {
			flags = []probity.Flag{}
		}
		return enc.Encode(flags)
	}
	// The contract's status column is the review state; that a flag taken
	// up is no longer found by a scan is said beside it (analystB L6).
	if n := notFound(flags); n > 0 {
		fmt.Fprintf(e.stderr, "flags: %d in review or decided are no longer found by a scan (notFoundAt in --format json; the UI's \"Taken up, no longer found by a scan\")\n", n)
	}
	return writeFlagsCSV(e.stdout, flags, *innocent)
}

// notFound counts the flags taken up that a scan no longer found.
func notFound(flags []probity.Flag) int {
	n := 0
	for _, f := range flags {
		if !f.NotFoundAt.IsZero() {
			n++
		}
	}
	return n
}

// writeFlagsCSV writes DESIGN.md's seven columns, and the innocent
// explanation as an eighth when asked (scripts reading the contract's
// header are not surprised by a column they did not ask for). A flag that
// no longer stands (--all) has the status superseded or cleared: a script
// counting rows by status must not take it for an open flag (its review
// status is in the JSON export).
func writeFlagsCSV(w io.Writer, flags []probity.Flag, innocent bool) error {
	cw := csv.NewWriter(w)
	header := FlagsCSVHeader
	if innocent {
		header = append(slices.Clip(header), "innocent_explanation")
	}
	cw.Write(header)
	for _, f := range flags {
		status := string(f.Status)
		switch {
		case f.SupersededBy != "":
			status = "superseded"
		case !f.ClearedAt.IsZero():
			status = "cleared"
		}
		row := []string{f.ID, f.Pattern, f.OfficerID, strconv.FormatFloat(f.Score, 'f', 3, 64), status,
			strings.Join(f.EvidenceIDs, ";"), f.Explanation}
		if innocent {
			row = append(row, f.InnocentExplanation)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// statusList is the review statuses, comma-separated.
func statusList() string {
	names := make([]string, len(probity.FlagStatuses))
	for i, s := range probity.FlagStatuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
