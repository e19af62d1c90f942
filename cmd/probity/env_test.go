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
	for _, c := range []string{"suppress", "watch", "schedule", "webhook", "token", "report", "migrate", "scan", "load", "flags", "export-bulk"} {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string {
			return map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}[k]
		}}
		err := run(context.Background(), []string{c, "-h"}, e)
		if text := strings.ToLower(out.String() + errb.String()); err != nil || !strings.Contains(text, "usage") || !strings.Contains(text, strings.ToLower(commands[c].summary)) {
			t.Errorf("probity %s -h: %v, output %q", c, err, text)
		}
	}
}
