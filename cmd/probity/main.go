// Command probity is the one binary of Probity: it serves the UI and API,
// loads and generates data, runs pattern scans and reports. Configuration is
// read here, from flags and the environment, and passed down as plain values.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"

	"probity"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "probity:", errText(err))
	}
	os.Exit(exitCode(err))
}

// env is what a command may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	scan           scanFactory // nil: the pattern library; tests inject a fake
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands is the table of subcommands.
var commands = map[string]command{
	"version": {"print the version", cmdVersion},
	"migrate": {"apply schema migrations to the database (migrate; no arguments)", cmdMigrate},
	"serve":   {"serve the UI and the GraphQL API", cmdServe},
	"load":    {"load a data set (a folder of import-format CSV files)", cmdLoad},

	"export-bulk": {"convert DIR to neo4j-admin import files in OUT (export-bulk DIR OUT)", cmdExportBulk},
	"bench-api":   {"measure API latency against the driver (bench-api -h)", cmdBenchAPI},

	"generate": {"generate a synthetic force with planted cases (--out DIR --officers N --seed S)", cmdGenerate},

	"schedule":      {"list, add, remove or run scheduled scans", cmdSchedule},
	"scheduler":     {"run the scheduler alone (serve runs it too)", cmdScheduler},
	"webhook":       {"list, add or remove alert webhooks", cmdWebhook},
	"token":         {"create, revoke or list API tokens", cmdToken},
	"audit":         {"verify the audit log's hash chain", cmdAudit},
	"pseudonym-key": {"show the pseudonym key's fingerprint, or adopt a new key (show|adopt)", cmdPseudonymKey},
	"scan":          {"run the pattern library and raise flags", cmdScan},
	"patterns":      {"list the pattern library, or show one pattern's parameters and Cypher", cmdPatterns},
	"flags":         {"list flags (--format csv|json)", cmdFlags},
	"eval":          {"precision and recall per pattern against a truth file", cmdEval},
	"report":        {"report fairness: flag rates by officer attribute", cmdReport},
	"suppress":      {"manage suppressed shared identifiers (add|list|remove)", cmdSuppress},
	"threshold":     {"list, set or reset the patterns' thresholds (list|set|reset)", cmdThreshold},
	"watch":         {"manage the tripwire watch list (add|list|remove)", cmdWatch},
}

func run(ctx context.Context, args []string, e *env) error {
	if len(args) == 2 && args[0] == "help" && commands[args[1]].run == nil {
		usage(e.stderr)
		return &exitError{code: 64, err: fmt.Errorf("unknown command %q", args[1])}
	}
	if len(args) == 2 && args[0] == "help" {
		args = []string{args[1], "-h"} // probity help load: as probity load -h
	}
	if len(args) == 2 && args[1] == "help" && commands[args[0]].run != nil {
		args = []string{args[0], "-h"} // probity scan help: as probity scan -h, not a scan (reFix)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return &exitError{code: 64}
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(e.stderr)
		return &exitError{code: 64, err: fmt.Errorf("unknown command %q", args[0])}
	}
	if len(args) == 2 && isHelp(args[1]) {
		// what the command does, then its flags or subcommands (some
		// commands take only arguments, which their summary names)
		fmt.Fprintf(e.stderr, "probity %s: %s\n", args[0], c.summary)
	}
	if len(args) == 2 && isHelp(args[1]) && subcommands[args[0]] {
		// Commands of subcommands tell their usage when given none.
		var x *exitError
		if err := c.run(ctx, e, nil); errors.As(err, &x) && x.code == 64 && x.err != nil {
			fmt.Fprintln(e.stdout, x.err)
			return nil
		}
	}
	err := c.run(ctx, e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil // -h: the flag package has printed the command's flags
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: probity COMMAND [flags]   (probity COMMAND -h for its flags)")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].summary)
	}
}

// subcommands are the commands whose first argument is a subcommand
// (probity schedule add ...): given none they answer with their usage.
var subcommands = map[string]bool{"schedule": true, "webhook": true, "token": true, "suppress": true, "watch": true, "report": true, "threshold": true, "pseudonym-key": true}

// exitError carries a process exit code (2: rows rejected, 64: usage).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		return 1
	}
}

// errText is what the user sees: an unavailable Neo4j by its message with
// the driver's detail wrapped around it, others whole (the command line is
// for operators, who need the detail).
func errText(err error) string {
	var pe *probity.Error
	if errors.As(err, &pe) && pe.Code == probity.EUNAVAILABLE {
		return strings.Replace(err.Error(), pe.Error(), pe.Message, 1)
	}
	return err.Error()
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "probity %s\n", probity.Version)
	return nil
}

// parseInterleaved parses fs's flags wherever they stand among args (the
// flag package stops at the first argument: "set P N V --reason R") and
// returns the arguments in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// checkFormat refuses a --format that is not one of want: another value
// had printed text, exited 0 and (eval) stored its report (boardA, secJ).
func checkFormat(format string, want ...string) error {
	if !slices.Contains(want, format) {
		return &exitError{code: 64, err: fmt.Errorf("--format %q: want %s", format, strings.Join(want, " or "))}
	}
	return nil
}

// parseNoArgs parses the flags of a command that takes no argument, and
// refuses one: "probity scan now" would otherwise run a full scan.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 64, err: err}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 64, err: fmt.Errorf("%s takes no argument, got %q (probity help %s)", fs.Name(), fs.Arg(0), fs.Name())}
	}
	return nil
}
