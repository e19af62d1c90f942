package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"probity/graph/graphtest"
)

// testEnv points commands at the test server, as user "tester", and
// captures their output.
func testEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	cfg := graphtest.Config()
	vars := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_PASSWORD": cfg.Password, "USER": "tester"}
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}, &out, &errb
}

// TestHelpNeedsNoDatabase: COMMAND -h prints what the command does and its
// usage or flags, and succeeds, without reaching for Neo4j (here
// unreachable).
func TestHelpNeedsNoDatabase(t *testing.T) {
	for _, c := range []string{"suppress", "watch", "schedule", "webhook", "token", "report", "threshold", "migrate", "scan", "load", "flags", "export-bulk", "pseudonym-key"} {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string {
			return map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}[k]
		}}
		for _, args := range [][]string{{c, "-h"}, {c, "help"}, {"help", c}} {
			out.Reset()
			errb.Reset()
			err := run(context.Background(), args, e)
			if text := strings.ToLower(out.String() + errb.String()); err != nil || !strings.Contains(text, "usage") || !strings.Contains(text, strings.ToLower(commands[c].summary)) {
				t.Errorf("probity %s: %v, output %q", strings.Join(args, " "), err, text)
			}
		}
	}
	// an argument a command does not take, or help on no command, is a
	// usage error: "probity scan help" had run a full scan (reFix)
	for _, args := range [][]string{{"scan", "now"}, {"flags", "all"}, {"migrate", "x"}, {"help", "nosuch"}} {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}[k] }}
		if err := run(context.Background(), args, e); exitCode(err) != 64 {
			t.Errorf("probity %s: %v (exit %d), want a usage error", strings.Join(args, " "), err, exitCode(err))
		}
	}
}

// PROBITY_METRICS_TOKEN, the scraper's secret, is refused when short
// enough to guess; unset, the metrics want an admin token.
func TestMetricsSecret(t *testing.T) {
	for v, ok := range map[string]bool{"": true, "short": false, strings.Repeat("x", 31): false, strings.Repeat("x", 32): true} {
		got, err := metricsSecret(func(string) string { return v })
		if (err == nil) != ok || ok && got != v {
			t.Errorf("PROBITY_METRICS_TOKEN of %d characters: %q, %v", len(v), got, err)
		}
	}
}
