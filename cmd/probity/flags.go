package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 64, err: err}
	}
	f.Status = probity.FlagStatus(*status)
	if *format != "csv" && *format != "json" {
		return &exitError{code: 64, err: fmt.Errorf("--format %q: want csv or json", *format)}
	}
	store, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	flags, err := store.Flags(ctx, f)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if flags == nil {
			flags = []probity.Flag{}
		}
		return enc.Encode(flags)
	}
	return writeFlagsCSV(e.stdout, flags)
}

func writeFlagsCSV(w io.Writer, flags []probity.Flag) error {
	cw := csv.NewWriter(w)
	cw.Write(FlagsCSVHeader)
	for _, f := range flags {
		cw.Write([]string{f.ID, f.Pattern, f.OfficerID, strconv.FormatFloat(f.Score, 'f', 3, 64), string(f.Status),
			strings.Join(f.EvidenceIDs, ";"), f.Explanation})
	}
	cw.Flush()
	return cw.Error()
}
