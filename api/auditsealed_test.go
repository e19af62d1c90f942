package api_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/api"
	"probity/graph/graphtest"
)

// TestTiedReaderSeesNoSeqs: a reader tied to an officer reads the audit log
// without the seqs, hashes and counts whose gaps told it how many events
// about its case were left out (secO M2); it still pages through all it
// may see, in both orders, with cursors that carry no seq it could read.
func TestTiedReaderSeesNoSeqs(t *testing.T) {
	h := scanned(t)
	rev := h.tokens[probity.RoleReviewer]
	tied := h.token("reviewer-tied", probity.RoleReviewer, "O1")
	an := h.tokens[probity.RoleAnalyst]
	for _, id := range []string{"Officer:O1", "Officer:O4", "Officer:O1", "Officer:O4", "Officer:O4", "Officer:O1", "Officer:O4"} {
		h.ok(an, `{ node(id: "`+id+`") { id } }`, nil, &struct{}{})
	}
	type page struct {
		AuditLog struct {
			Nodes []struct {
				ID             string
				Seq            *int
				Hash, PrevHash *string
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	const q = `query($a: String, $f: Int, $n: Boolean) { auditLog(first: $f, after: $a, newestFirst: $n) { nodes { id seq hash prevHash } pageInfo { hasNextPage endCursor } } }`
	read := func(token string, first int, newest bool) (ids []string, cursors []string) {
		var after any
		for range 100 {
			var p page
			h.ok(token, q, map[string]any{"a": after, "f": first, "n": newest}, &p)
			for _, n := range p.AuditLog.Nodes {
				if token == tied && (n.Seq != nil || n.Hash != nil || n.PrevHash != nil || !strings.HasPrefix(n.ID, "audit-s")) {
					t.Fatalf("the tied reader sees an event's place in the chain: %+v", n)
				}
				if token != tied && (n.Seq == nil || n.Hash == nil || n.ID != "audit-"+strconv.Itoa(*n.Seq)) {
					t.Fatalf("an untied reviewer sees an event without its seq: %+v", n)
				}
				ids = append(ids, n.ID)
			}
			if !p.AuditLog.PageInfo.HasNextPage {
				return ids, cursors
			}
			cursors = append(cursors, *p.AuditLog.PageInfo.EndCursor)
			after = *p.AuditLog.PageInfo.EndCursor
		}
		t.Fatal("no last page in 100")
		return nil, nil
	}
	// each read is audited: the log may grow at its end while it is paged
	whole, _ := read(tied, 200, false)
	paged, cursors := read(tied, 2, false)
	if len(whole) < 5 || len(paged) < len(whole) || !slices.Equal(whole, paged[:len(whole)]) {
		t.Fatalf("pages of 2 gave %v, one page %v", paged, whole)
	}
	newest, _ := read(tied, 3, true)
	slices.Reverse(newest)
	if len(newest) < len(paged) || !slices.Equal(paged, newest[:len(paged)]) {
		t.Fatalf("newest first, reversed: %v; oldest first: %v", newest, paged)
	}
	for _, c := range cursors {
		if b, err := base64.RawURLEncoding.DecodeString(c); err != nil || strings.Contains(string(b), "offset") {
			t.Fatalf("the tied reader's cursor %q reads %q", c, b)
		}
	}
	// the two kinds of cursor do not cross
	_, plain := read(rev, 2, false)
	for token, c := range map[string]string{tied: plain[0], rev: cursors[0]} {
		if r := h.post(token, q, map[string]any{"a": c, "f": 2, "n": false}); r.code() != probity.EINVALID {
			t.Errorf("a cursor of the other kind of reader (tied %v): %+v, want invalid", token == tied, r.Errors)
		}
	}

	var v struct {
		AuditVerification struct {
			Ok      bool
			Checked *int
		}
	}
	h.ok(tied, `{ auditVerification { ok checked } }`, nil, &v)
	if !v.AuditVerification.Ok || v.AuditVerification.Checked != nil {
		t.Fatalf("the tied reader's check of the chain: %+v, want ok and no count", v)
	}
	h.ok(rev, `{ auditVerification { ok checked } }`, nil, &v)
	if !v.AuditVerification.Ok || v.AuditVerification.Checked == nil || *v.AuditVerification.Checked < len(whole) {
		t.Fatalf("an untied reviewer's check of the chain: %+v", v)
	}
}

// TestTiedReaderCountsNoHiddenFlags: the fairness report a reader tied to
// an officer reads leaves out the flags hidden from it, and the counts of
// scan runs (which include them) are null for it: against the queue it
// sees, they told it that a flag about it exists, and of which pattern.
func TestTiedReaderCountsNoHiddenFlags(t *testing.T) {
	h := scanned(t)
	rev := h.tokens[probity.RoleReviewer]
	tied := h.token("reviewer-tied-o1", probity.RoleReviewer, "O1")
	tiedAdmin := h.token("admin-tied-o1", probity.RoleAdmin, "O1")
	var f struct{ FairnessReport struct{ Flagged int } }
	h.ok(rev, `{ fairnessReport { flagged } }`, nil, &f)
	all := f.FairnessReport.Flagged
	h.ok(tied, `{ fairnessReport { flagged } }`, nil, &f)
	if all < 1 || f.FairnessReport.Flagged != all-1 {
		t.Fatalf("fairnessReport: %d officers flagged for the tied reader, %d for others; want one fewer (O1's flags hidden)", f.FairnessReport.Flagged, all)
	}

	type run struct {
		NewFlags, UpdatedFlags, ClearedFlags, NotFoundFlags *int
		Patterns                                            []struct{ Hits, NewFlags *int }
	}
	var runs struct{ ScanRuns struct{ Nodes []run } }
	const q = `{ scanRuns(first: 5) { nodes { newFlags updatedFlags clearedFlags notFoundFlags patterns { hits newFlags } } } }`
	h.ok(rev, q, nil, &runs)
	if n := runs.ScanRuns.Nodes; len(n) == 0 || n[0].NewFlags == nil || *n[0].NewFlags < 1 || len(n[0].Patterns) == 0 || n[0].Patterns[0].Hits == nil {
		t.Fatalf("scanRuns for an untied reviewer: %+v", n)
	}
	h.ok(tied, q, nil, &runs)
	for _, r := range runs.ScanRuns.Nodes {
		if r.NewFlags != nil || r.UpdatedFlags != nil || r.ClearedFlags != nil || r.NotFoundFlags != nil {
			t.Fatalf("scanRuns' counts shown to the tied reader: %+v", r)
		}
		for _, p := range r.Patterns {
			if p.Hits != nil || p.NewFlags != nil {
				t.Fatalf("a pattern's counts shown to the tied reader: %+v", p)
			}
		}
	}
	var rs struct{ RunScan run }
	h.ok(tiedAdmin, `mutation { runScan { newFlags updatedFlags clearedFlags notFoundFlags patterns { hits newFlags } } }`, nil, &rs)
	if rs.RunScan.NewFlags != nil || rs.RunScan.UpdatedFlags != nil {
		t.Fatalf("runScan's counts shown to a tied admin: %+v", rs.RunScan)
	}
	if ev := h.lastAudit(); !strings.Contains(ev.Purpose, "runScan") || strings.Contains(ev.Purpose, "new flags") {
		t.Fatalf("the tied admin's own runScan event, which it reads in the log, counts flags: %+v", ev)
	}
}

// TestKeyAdoptedUnderServer: a server left running while an administrator
// adopted another pseudonym key showed one officer under another pseudonym
// than the restarted servers (reviewO L2); its health check now finds the
// change, and from then on it answers 503 to every request.
func TestKeyAdoptedUnderServer(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	ctx := context.Background()
	graphtest.ForgetKeyFingerprint(t, h.store)
	an := h.tokens[probity.RoleAnalyst]
	healthz := func() (int, string) {
		r, err := http.Get(h.srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if _, err := h.store.PseudonymKeyFingerprint(ctx, api.KeyFingerprint(h.key), false); err != nil {
		t.Fatal(err)
	}
	if code, body := healthz(); code != http.StatusOK {
		t.Fatalf("healthz with this server's key recorded: %d %s", code, body)
	}
	h.ok(an, `{ node(id: "Officer:O1") { id } }`, nil, &struct{}{})
	if _, err := h.store.PseudonymKeyFingerprint(ctx, api.KeyFingerprint([]byte("another-key-adopted-by-an-admin")), true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the health check's cache
	if code, body := healthz(); code != http.StatusServiceUnavailable || !strings.Contains(body, "pseudonym-key adopt") {
		t.Fatalf("healthz after another key was adopted: %d %s", code, body)
	}
	if r := h.post(an, `{ node(id: "Officer:O1") { id displayName } }`, nil); r.status != http.StatusServiceUnavailable || r.code() != probity.EUNAVAILABLE {
		t.Fatalf("a read after another key was adopted: %d %+v, want 503", r.status, r.Errors)
	}
}

// TestTiedReaderNoAccuracy: the accuracy figures, stored by probity eval
// over every flag, told a reviewer tied to an officer that a flag about it
// exists and of which pattern (analystD H1): refused, audited.
func TestTiedReaderNoAccuracy(t *testing.T) {
	h := scanned(t)
	tied := h.token("reviewer-tied-acc", probity.RoleReviewer, "O1")
	for _, q := range []string{`{ accuracy { pattern } }`, `{ accuracyReport { at } }`} {
		if r := h.post(tied, q, nil); r.code() != probity.EFORBIDDEN || !strings.Contains(r.Errors[0].Message, "tied to an officer") {
			t.Errorf("%s for a tied reviewer: %+v, want forbidden", q, r.Errors)
		}
		if ev := h.lastAudit(); ev.Actor != "reviewer-tied-acc" || !strings.Contains(ev.Purpose, "failed") {
			t.Errorf("the refusal's audit event: %+v", ev)
		}
		h.ok(h.tokens[probity.RoleReviewer], q, nil, &struct{}{})
	}
}
