package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"probity"
	"probity/graph"
)

// cmdPatterns lists the pattern library, or shows one pattern whole: its
// parameters with their defaults and the Cypher it runs, so that whoever
// reviews a flag, or the tool, can read the exact query (no database needed).
func cmdPatterns(ctx context.Context, e *env, args []string) error {
	lib := graph.Patterns()
	switch {
	case len(args) == 0:
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PATTERN\tVERSION\tDESCRIPTION")
		for _, p := range lib {
			fmt.Fprintf(w, "%s\tv%d\t%s\n", p.Name, p.Version, p.Description)
		}
		return w.Flush()
	case len(args) > 1 || isHelp(args[0]):
		fmt.Fprintln(e.stdout, "usage: probity patterns [NAME]   (the library, or one pattern's parameters and Cypher)")
		if isHelp(args[0]) {
			return nil
		}
		return &exitError{code: 64}
	}
	if err := probity.CheckPattern(lib, args[0]); err != nil {
		return &exitError{code: 64, err: err}
	}
	for _, p := range lib {
		if p.Name != args[0] {
			continue
		}
		fmt.Fprintf(e.stdout, "%s v%d\n%s\n\nparameters (default; the values in use: probity threshold list):\n", p.Name, p.Version, p.Description)
		for _, pp := range p.Params {
			fmt.Fprintf(e.stdout, "  %s = %v (%s): %s\n", pp.Name, pp.Default, valueRange(pp), pp.Description)
		}
		if q := graph.PatternCypher(p.Name); q != "" {
			fmt.Fprintf(e.stdout, "\nCypher (the parameters above, the scan's window and its scope are $-parameters):\n%s\n", q)
		} else {
			fmt.Fprintln(e.stdout, "\nComputed in Go from other queries (docs/patterns.md says how).")
		}
	}
	return nil
}

// valueRange is the values an administrator may give pp ("1..366"), or
// "fixed".
func valueRange(pp probity.PatternParam) string {
	if pp.Fixed {
		return "fixed"
	}
	return fmt.Sprintf("%v..%v", pp.Min, pp.Max)
}
