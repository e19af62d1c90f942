package api_test

// mutX: additions to api/auditsealed_test.go. Copy into api/ and run:
//   go test -count=1 -p 1 -run 'TestMutX' ./api/

import (
	"context"
	"strings"
	"testing"

	"probity"
)

// TestMutXTiedReaderBrokenChain kills M61, M62, M63: on a broken chain a
// reader tied to an officer is told it is broken, and neither where (the
// broken seq counts the events before it) nor the reason (which names it).
func TestMutXTiedReaderBrokenChain(t *testing.T) {
	h := scanned(t)
	tied := h.token("reviewer-tied", probity.RoleReviewer, "O1")
	an := h.tokens[probity.RoleAnalyst]
	for range 8 {
		h.ok(an, `{ node(id: "Officer:O4") { id } }`, nil, &struct{}{})
	}
	if err := h.store.RunForTest(context.Background(), `MATCH (e:AuditEvent) WITH e ORDER BY e.seq DESC LIMIT 1 SET e.actor = 'someone-else'`); err != nil {
		t.Fatal(err)
	}
	var v struct {
		AuditVerification struct {
			Ok        bool
			Checked   *int
			BrokenId  *string
			BrokenSeq *int
			Reason    *string
		}
	}
	h.ok(tied, `{ auditVerification { ok checked brokenId brokenSeq reason } }`, nil, &v)
	a := v.AuditVerification
	if a.Ok || a.Checked != nil || a.BrokenId != nil || a.BrokenSeq != nil || a.Reason == nil || !strings.Contains(*a.Reason, "broken") || strings.ContainsAny(*a.Reason, "0123456789") {
		t.Fatalf("the tied reader's check of a broken chain: ok %v checked %v brokenId %v brokenSeq %v reason %v", a.Ok, a.Checked, a.BrokenId, a.BrokenSeq, a.Reason)
	}
	rev := h.tokens[probity.RoleReviewer]
	h.ok(rev, `{ auditVerification { ok checked brokenId brokenSeq reason } }`, nil, &v)
	if a := v.AuditVerification; a.Ok || a.BrokenSeq == nil || a.BrokenId == nil {
		t.Fatalf("an untied reviewer's check of a broken chain: %+v", a)
	}
}

// TestMutXTiedReaderIdsDistinct kills M51: the tied reader's opaque ids
// still tell events apart (a UI keyed by id showed one row).
func TestMutXTiedReaderIdsDistinct(t *testing.T) {
	h := scanned(t)
	tied := h.token("reviewer-tied", probity.RoleReviewer, "O1")
	an := h.tokens[probity.RoleAnalyst]
	for range 4 {
		h.ok(an, `{ node(id: "Officer:O4") { id } }`, nil, &struct{}{})
	}
	var p struct {
		AuditLog struct{ Nodes []struct{ ID string } }
	}
	h.ok(tied, `{ auditLog(first: 50) { nodes { id } } }`, nil, &p)
	seen := map[string]bool{}
	for _, n := range p.AuditLog.Nodes {
		if seen[n.ID] {
			t.Fatalf("id %s twice in the tied reader's log", n.ID)
		}
		seen[n.ID] = true
	}
	if len(seen) < 4 {
		t.Fatalf("%d events", len(seen))
	}
}
