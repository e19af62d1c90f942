package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// TestAuditChanges: `probity audit changes --after SEQ:HASH` lists what a
// restore of a backup taken at that head takes back, the changes made since
// through the API and the command line, and leaves out reads and the
// mutations' begin events; the operations.md procedure had searched for
// operation names no event carries (docsF H1), so a revocation was missed
// and the revoked token worked again after the restore.
func TestAuditChanges(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	e, out, errb := testEnv()
	for _, name := range []string{"leaver", "stays"} {
		if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", name}, e); err != nil {
			t.Fatal(err)
		}
	}
	head := auditHead(t, store)
	at := time.Now().UTC().Truncate(time.Microsecond)
	if err := run(ctx, []string{"token", "revoke", "leaver"}, e); err != nil {
		t.Fatal(err)
	}
	api := func(op, digest, purpose string) {
		if _, err := store.AppendAudit(ctx, probity.AuditEvent{At: at, Actor: "admin-ann", Role: probity.RoleAdmin, Operation: op, VariablesDigest: digest, Purpose: purpose}); err != nil {
			t.Fatal(err)
		}
	}
	api("begin removeSuppression", "d1", "tidying")
	api("removeSuppression", "d1", "tidying; removed suppression SUP-1")
	api("node,search", "d2", "case 12")
	api("flags", "d3", "triage")
	api("begin recordExport", "d4", "case file")
	api("recordExport", "d4", "case file; chart exported as PNG") // a read, recorded
	api("revealIdentity", "d5", "reveal: interview")
	api("load", "d6", "monthly HR extract: officers.csv") // POST /load, the Load screen (reviewO H1)
	api("begin revokeToken", "d7", "leaver")              // no result: the server stopped (reviewO M1)
	if err := run(ctx, []string{"flags", "--format", "csv", "--purpose", "a read"}, e); err != nil {
		t.Fatal(err)
	}

	for _, after := range []string{fmt.Sprintf("%d:%s", head.Seq, head.Hash), fmt.Sprint(head.Seq)} {
		out.Reset()
		errb.Reset()
		if err := run(ctx, []string{"audit", "changes", "--after", after}, e); err != nil {
			t.Fatalf("changes --after %s: %v %s", after, err, errb)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 5 || !strings.Contains(lines[1], "token revoke") || !strings.Contains(lines[1], "leaver") ||
			!strings.Contains(lines[2], "removeSuppression") || !strings.Contains(lines[2], "SUP-1") || strings.Contains(lines[2], "begin") ||
			!strings.Contains(lines[3], " load ") || !strings.Contains(lines[3], "HR extract") ||
			!strings.Contains(lines[4], "begin revokeToken") {
			t.Errorf("changes --after %s:\n%s", after, out)
		}
		if !strings.Contains(errb.String(), "4 changes after seq") || !strings.Contains(errb.String(), "1 of them begun with no result") {
			t.Errorf("summary: %q", errb)
		}
	}

	// a head this chain does not hold is refused, not read as "no changes"
	for _, after := range []string{fmt.Sprintf("%d:%s", head.Seq, strings.Repeat("0", 64)), fmt.Sprint(head.Seq + 1000)} {
		if err := run(ctx, []string{"audit", "changes", "--after", after}, e); exitCode(err) != 2 {
			t.Errorf("changes --after %s: %v (exit %d), want 2", after, err, exitCode(err))
		}
	}
	for _, args := range [][]string{{"audit", "changes"}, {"audit", "changes", "--after", "x"}, {"audit", "changes", "--after", "5:"}} {
		if err := run(ctx, args, e); exitCode(err) != 64 {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// auditHead is the audit chain's last event: the head a backup would keep.
func auditHead(t *testing.T, store *graph.Store) probity.AuditEvent {
	t.Helper()
	head, err := store.AuditEvents(context.Background(), probity.AuditFilter{NewestFirst: true, First: 1})
	if err != nil || len(head) != 1 {
		t.Fatalf("head: %v, %v", head, err)
	}
	return head[0]
}
