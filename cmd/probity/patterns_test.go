package main

import (
	"context"
	"strings"
	"testing"

	"probity/graph"
)

// probity patterns lists every pattern of the library with its version;
// probity patterns NAME shows its parameters with their defaults and the
// Cypher it runs (or says it is computed in Go); an unknown name is a
// usage error naming the patterns there are. No database is needed.
func TestPatternsCommand(t *testing.T) {
	e, out, _ := testEnv()
	if err := run(context.Background(), []string{"patterns"}, e); err != nil {
		t.Fatal(err)
	}
	for _, p := range graph.Patterns() {
		if !strings.Contains(out.String(), p.Name) {
			t.Errorf("the list lacks %s:\n%s", p.Name, out)
		}
	}

	out.Reset()
	if err := run(context.Background(), []string{"patterns", "access-for-gain"}, e); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"access-for-gain v", "before = 30", "after = 90", "MATCH (o:Officer)", "$before"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("access-for-gain lacks %q:\n%s", want, out)
		}
	}

	out.Reset()
	if err := run(context.Background(), []string{"patterns", "similar-to-confirmed"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Computed in Go") || strings.Contains(out.String(), "MATCH") {
		t.Errorf("similar-to-confirmed should say it is computed in Go:\n%s", out)
	}

	err := run(context.Background(), []string{"patterns", "no-such"}, e)
	if exitCode(err) != 64 || !strings.Contains(err.Error(), "undisclosed-association") {
		t.Errorf("unknown pattern = %v (exit %d), want a usage error listing the patterns", err, exitCode(err))
	}
}
