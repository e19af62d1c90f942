package main

// mutX: additions to cmd/probity/auditchanges_test.go and token_test.go's
// TestAuditVerifyCommand. Copy into cmd/probity and run:
//   go test -count=1 -p 1 -run 'TestMutX' ./cmd/probity/

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph/graphtest"
)

// TestMutXAuditChangesWhatCounts kills M33 (the begin event of a request
// of two mutations is not listed), M35, M36 (each command line read
// left out, not only cli:flags), M37 (a refused mutation is listed, as the
// doc comment says) and M38 (a request of two mutations is listed).
func TestMutXAuditChangesWhatCounts(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	e, out, errb := testEnv()
	if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", "first"}, e); err != nil {
		t.Fatal(err)
	}
	head := auditHead(t, store)
	at := time.Now().UTC().Truncate(time.Microsecond)
	add := func(actor, op string) {
		if _, err := store.AppendAudit(ctx, probity.AuditEvent{At: at, Actor: actor, Role: probity.RoleAdmin, Operation: op, Purpose: "p"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, op := range []string{"cli:report fairness", "cli:eval", "webhook deliveries", "suppress list", "watch list"} {
		add("cli:tester", op) // reads
	}
	add("admin-ann", "revokeToken: forbidden")    // a refusal: listed
	add("admin-ann", "begin noteFlag,reviewFlag") // its begin event: not listed
	add("admin-ann", "noteFlag,reviewFlag")       // two mutations in one request: listed
	add("cli:tester", "cli:scan")                 // a command line change: listed
	out.Reset()
	if err := run(ctx, []string{"audit", "changes", "--after", fmt.Sprint(head.Seq)}, e); err != nil {
		t.Fatalf("changes: %v %s", err, errb)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")[1:]
	var ops []string
	for _, l := range lines {
		f := strings.Fields(l)
		ops = append(ops, strings.Join(f[3:len(f)-1], " "))
	}
	want := []string{"revokeToken: forbidden", "noteFlag,reviewFlag", "cli:scan"}
	if fmt.Sprint(ops) != fmt.Sprint(want) {
		t.Errorf("changes listed %q, want %q\n%s", ops, want, out)
	}
}

// TestMutXAuditChangesPages kills M40: more than one page (500) of events
// after the head, the change at the end is listed.
func TestMutXAuditChangesPages(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	e, out, errb := testEnv()
	if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", "first"}, e); err != nil {
		t.Fatal(err)
	}
	head := auditHead(t, store)
	at := time.Now().UTC().Truncate(time.Microsecond)
	for range 505 {
		if _, err := store.AppendAudit(ctx, probity.AuditEvent{At: at, Actor: "an-analyst", Role: probity.RoleAnalyst, Operation: "node", Purpose: "read"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(ctx, []string{"token", "revoke", "first"}, e); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"audit", "changes", "--after", fmt.Sprint(head.Seq)}, e); err != nil || !strings.Contains(out.String(), "token revoke") {
		t.Errorf("changes after 506 events: %v, %q %s", err, out, errb)
	}
}

// TestMutXAuditHeadZero kills M24 and M42: a kept head of seq 0, or verify's
// --expect without its hash, is a usage error (`verify --expect 0:HASH`
// checked nothing and said the chain was intact); and M43.
func TestMutXAuditHeadZero(t *testing.T) {
	graphtest.Open(t)
	ctx := context.Background()
	e, _, _ := testEnv()
	if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", "first"}, e); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"audit", "verify", "--expect", "0:abc"}, {"audit", "changes", "--after", "0"}, {"audit", "verify", "--expect", "1"}} {
		if err := run(ctx, args, e); exitCode(err) != 64 {
			t.Errorf("%v: %v (exit %d), want 64", args, err, exitCode(err))
		}
	}
	// M43: verify's refusal of a head beyond the chain says how long it is
	if err := run(ctx, []string{"audit", "verify", "--expect", "99:abc"}, e); exitCode(err) != 2 || !strings.Contains(err.Error(), "it holds 1 events") {
		t.Errorf("verify --expect 99:abc: %v", err)
	}
}

// TestMutXAuditChangesHeadMissing kills M28: a head SEQ the chain does not
// hold (an event removed there) is refused, not read as the events after
// it.
func TestMutXAuditChangesHeadMissing(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	e, _, _ := testEnv()
	for _, n := range []string{"a", "b", "c"} {
		if err := run(ctx, []string{"token", "create", "--role", "analyst", "--name", n}, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.RunForTest(ctx, `MATCH (e:AuditEvent {seq: 2}) DETACH DELETE e`); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"audit", "changes", "--after", "2"}, e); exitCode(err) != 2 {
		t.Errorf("changes --after a seq the chain lacks: %v (exit %d), want 2", err, exitCode(err))
	}
}
