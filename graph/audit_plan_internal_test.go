package graph

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// An audit log page, either way, is a range seek on the audit_seq_unique index (the uniqueness constraint's)
// read in order and stopped at the page: a sort over a CASE read every
// event of the log for each page, and audit verify reads the log a page
// at a time (reviewB M1: 265 ms a page at 200,000 events, against 30).
func TestAuditPagesSeekTheSeqIndex(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	// a reader tied to an officer too: what is hidden from it is read once
	// a page by its own statement (readerHiding), the seek unchanged
	for _, hide := range []string{"", "O1"} {
		params := map[string]any{"after": int64(0), "before": int64(math.MaxInt64), "actor": "", "from": nil, "to": nil,
			"entity": "", "hide": hide, "misses": "", "operations": []string{}, "revealed": false, "first": int64(1000)}
		for name, cypher := range map[string]string{"oldest first": auditOldestFirst, "newest first": auditNewestFirst} {
			res, err := s.query(ctx, "EXPLAIN "+cypher, params, false)
			if err != nil {
				t.Fatal(err)
			}
			var ops []string
			var walk func(p neo4j.Plan)
			walk = func(p neo4j.Plan) {
				ops = append(ops, strings.TrimSuffix(p.Operator(), "@neo4j"))
				for _, c := range p.Children() {
					walk(c)
				}
			}
			walk(res.Summary.Plan())
			plan := strings.Join(ops, " ")
			if !strings.Contains(plan, "IndexSeekByRange") || strings.Contains(plan, "NodeByLabelScan") || strings.Contains(plan, "Sort") || strings.Contains(plan, "Top") {
				t.Errorf("%s, hide %q: plan %s, want a range seek on audit_seq_unique in order, no label scan, no sort", name, hide, plan)
			}
		}
	}
}

// audit verify walks a log of several pages whole: every event checked,
// the head matched, and an event altered on the third page found there
// (mutR G19: only logs of one page were verified).
func TestVerifyAuditAcrossPages(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	for i := range 11 {
		if _, err := s.AppendAudit(ctx, probity.AuditEvent{At: time.Now(), Actor: fmt.Sprintf("user-%d", i), Role: probity.RoleAnalyst,
			Operation: "node", VariablesDigest: "d", EntityIDs: []string{fmt.Sprintf("Person:P%d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := s.verifyAudit(ctx, 4); err != nil || !v.OK() || v.Checked != 11 {
		t.Fatalf("a log of 3 pages: %+v, %v", v, err)
	}
	if _, err := s.write(ctx, `MATCH (e:AuditEvent {seq: 10}) SET e.actor = 'someone else'`, nil); err != nil {
		t.Fatal(err)
	}
	if v, err := s.verifyAudit(ctx, 4); err != nil || v.OK() || v.BrokenSeq != 10 {
		t.Fatalf("an event altered on the third page: %+v, %v", v, err)
	}
}
