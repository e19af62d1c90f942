package main

import (
	"context"
	"strings"
	"testing"

	"probity"
	"probity/graph/graphtest"
)

// probity threshold set, list and reset, with the reason after the
// arguments, audited as the API's changes are.
func TestThresholdCommand(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	e, out, _ := testEnv()
	if err := run(ctx, []string{"threshold", "set", "attendance-mismatch", "minDays", "4"}, e); exitCode(err) != 64 {
		t.Fatalf("set without a reason: %v, want a usage error", err)
	}
	if err := run(ctx, []string{"threshold", "set", "attendance-mismatch", "minDays", "4", "--reason", "four days, the PSD board's rule"}, e); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"threshold", "list"}, e); err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "attendance-mismatch") && strings.Contains(l, "minDays") {
			row = strings.Join(strings.Fields(l), " ")
		}
	}
	if !strings.HasPrefix(row, "attendance-mismatch minDays 4 3 1..366 cli:tester") || !strings.HasSuffix(row, "four days, the PSD board's rule mismatch days needed") {
		t.Fatalf("list: %q in\n%s", row, out.String())
	}
	if err := run(ctx, []string{"threshold", "reset", "attendance-mismatch", "minDays", "--reason", "back to the documented three"}, e); err != nil {
		t.Fatal(err)
	}
	evs, err := s.AuditEvents(ctx, probity.AuditFilter{Operation: "threshold", First: 10})
	if err != nil || len(evs) != 2 || evs[0].Operation != "threshold set" || !strings.Contains(evs[0].Purpose, "minDays: 3 -> 4") || evs[1].Operation != "threshold reset" {
		t.Fatalf("audit: %+v, %v", evs, err)
	}
}
