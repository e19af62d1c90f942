package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
	"probity/internal/schedule"
	"probity/internal/stats"
)

// flagWorld is world() plus officers for recusal: O3 (unit U2) is related
// to P1, so three association links from O1 (O3–P1–A1–O1); O4 (unit U3)
// is linked to nobody.
func flagWorld() string {
	return world() + `
(O3:Officer {name:'Dan Green', unit:'U2'})-[:RELATED_TO {type:'associate', source:'intel report 9'}]->(P1)
(O4:Officer {name:'Eve Black', unit:'U3'})
`
}

// token makes an extra token, optionally naming its holder's officer record.
func (h *harness) token(name string, role probity.Role, officer string) string {
	h.t.Helper()
	secret, tok, err := api.NewToken(name, role)
	if err != nil {
		h.t.Fatal(err)
	}
	tok.CreatedAt, tok.OfficerID = time.Now(), officer
	if err := h.store.CreateToken(context.Background(), tok); err != nil {
		h.t.Fatal(err)
	}
	return secret
}

func (h *harness) lastAudit() probity.AuditEvent {
	h.t.Helper()
	evs := h.audit()
	if len(evs) == 0 {
		h.t.Fatal("no audit events")
	}
	return evs[len(evs)-1]
}

type flagData struct {
	ID, Pattern, Status, Explanation string
	Score                            float64
	Revealed                         bool
	Officer                          struct{ ID, DisplayName, Pseudonym string }
	Parameters                       []struct{ Name, Value string }
	Evidence                         struct {
		Nodes []struct{ ID, Type, DisplayName string }
		Edges []struct {
			ID, Type, From, To string
			Source             *string
		}
	}
	Reviews []struct{ Reviewer, From, To, Reason string }
	Recusal struct {
		Required, Own bool
		Reasons       []string
	}
	ClearedAt, SupersededBy *string
}

const flagFields = `id pattern status explanation score revealed clearedAt supersededBy officer { id displayName pseudonym }
	parameters { name value } evidence { nodes { id type displayName } edges { id type from to source } }
	reviews { reviewer from to reason } recusal { required own reasons }`

// scanned is a harness over flagWorld with its flags made by a real scan
// started through runScan.
func scanned(t *testing.T) *harness { return scannedWorld(t, flagWorld()) }

// scannedWorld is scanned with another fixture.
func scannedWorld(t *testing.T, fixture string) *harness {
	h := newHarness(t, fixture, api.Limits{})
	var d struct {
		RunScan struct {
			ID, Status             string
			NewFlags, ClearedFlags int
		}
	}
	h.ok(h.tokens[probity.RoleAdmin], `mutation { runScan { id status newFlags clearedFlags } }`, nil, &d)
	// runScan answers "running" when the scan outlasts the request (a
	// loaded machine): it goes on, and scanRuns tells when it is done
	for deadline := time.Now().Add(3 * time.Minute); d.RunScan.Status == "running" && time.Now().Before(deadline); {
		time.Sleep(time.Second)
		var runs struct {
			ScanRuns struct {
				Nodes []struct {
					ID, Status             string
					NewFlags, ClearedFlags int
				}
			}
		}
		h.ok(h.tokens[probity.RoleAdmin], `{ scanRuns(first: 5) { nodes { id status newFlags clearedFlags } } }`, nil, &runs)
		for _, r := range runs.ScanRuns.Nodes {
			if r.ID == d.RunScan.ID {
				d.RunScan.Status, d.RunScan.NewFlags, d.RunScan.ClearedFlags = r.Status, r.NewFlags, r.ClearedFlags
			}
		}
	}
	if d.RunScan.Status != "ok" || d.RunScan.NewFlags < 2 || d.RunScan.ClearedFlags != 0 {
		t.Fatalf("runScan = %+v, want ok with flags", d.RunScan)
	}
	// audited with its outcome (secJ L3, mutS A2), or that it went on
	var ev probity.AuditEvent
	for _, e := range h.audit() {
		if e.Operation == "runScan" {
			ev = e
		}
	}
	if !strings.Contains(ev.Purpose, "runScan "+d.RunScan.ID+": ") && !strings.Contains(ev.Purpose, "runScan still running") {
		t.Fatalf("runScan audit event %+v", ev)
	}
	return h
}

func (h *harness) queue(token string, filter map[string]any, first int, after *string) ([]flagData, *string, bool) {
	h.t.Helper()
	var d struct {
		Flags struct {
			Nodes    []flagData
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	h.ok(token, `query($f: FlagFilter, $n: Int, $a: String) { flags(filter: $f, first: $n, after: $a) { nodes { `+flagFields+` } pageInfo { hasNextPage endCursor } } }`,
		map[string]any{"f": filter, "n": first, "a": after}, &d)
	return d.Flags.Nodes, d.Flags.PageInfo.EndCursor, d.Flags.PageInfo.HasNextPage
}

func (h *harness) flag(token, id string) flagData {
	h.t.Helper()
	var d struct{ Flag flagData }
	h.ok(token, `query($id: ID!) { flag(id: $id) { `+flagFields+` } }`, map[string]any{"id": id}, &d)
	return d.Flag
}

func TestFlagQueuePagingCountsAndFilters(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	all, _, more := h.queue(an, nil, 200, nil)
	if more || len(all) < 2 {
		t.Fatalf("queue: %d flags, more %v", len(all), more)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Score < b.Score || (a.Score == b.Score && a.ID > b.ID) {
			t.Fatalf("queue not ordered by score desc, id: %+v before %+v", a, b)
		}
	}
	// pages of one give the same order, without gaps or repeats
	var paged []string
	var after *string
	for {
		page, end, more := h.queue(an, nil, 1, after)
		for _, f := range page {
			paged = append(paged, f.ID)
		}
		if !more {
			break
		}
		after = end
	}
	for i := range all {
		if i >= len(paged) || paged[i] != all[i].ID {
			t.Fatalf("paged %v, want the order of %d flags", paged, len(all))
		}
	}
	// officers appear by pseudonym
	for _, f := range all {
		key := strings.TrimPrefix(f.Officer.ID, "Officer:")
		if f.Officer.DisplayName != api.Pseudonym(h.key, "Officer", key) || strings.Contains(f.Officer.DisplayName, "Alice") {
			t.Fatalf("officer shown as %q", f.Officer.DisplayName)
		}
	}
	// counts agree with the queue
	var c struct {
		FlagCounts struct {
			Total     int
			ByPattern []struct {
				Pattern string
				Count   int
			}
		}
	}
	h.ok(an, `{ flagCounts { total byPattern { pattern count } } }`, nil, &c)
	var tc struct{ Flags struct{ TotalCount int } }
	h.ok(an, `{ flags(first: 1) { totalCount } }`, nil, &tc)
	if tc.Flags.TotalCount != len(all) {
		t.Fatalf("totalCount %d, queue has %d", tc.Flags.TotalCount, len(all))
	}
	want := map[string]int{}
	for _, f := range all {
		want[f.Pattern]++
	}
	sum := 0
	for _, p := range c.FlagCounts.ByPattern {
		sum += p.Count
		if want[p.Pattern] != p.Count {
			t.Errorf("count of %s = %d, queue has %d", p.Pattern, p.Count, want[p.Pattern])
		}
	}
	if c.FlagCounts.Total != len(all) || sum != len(all) {
		t.Fatalf("counts %+v, queue has %d", c.FlagCounts, len(all))
	}
	// filters: pattern, unit, minScore
	p := all[0].Pattern
	byPattern, _, _ := h.queue(an, map[string]any{"pattern": []string{p}}, 200, nil)
	if len(byPattern) != want[p] {
		t.Fatalf("pattern %s: %d flags, want %d", p, len(byPattern), want[p])
	}
	if none, _, _ := h.queue(an, map[string]any{"unit": "U9"}, 200, nil); len(none) != 0 {
		t.Fatalf("unit U9: %d flags", len(none))
	}
	u1, _, _ := h.queue(an, map[string]any{"unit": "U1"}, 200, nil)
	for _, f := range u1 {
		if f.Officer.ID != "Officer:O1" && f.Officer.ID != "Officer:O2" {
			t.Fatalf("unit U1 listed %s", f.Officer.ID)
		}
	}
	if len(u1) == 0 || len(u1) == len(all) {
		t.Fatalf("unit U1: %d of %d flags (O3's flag is in U2)", len(u1), len(all))
	}
	top, _, _ := h.queue(an, map[string]any{"minScore": all[0].Score}, 200, nil)
	for _, f := range top {
		if f.Score < all[0].Score {
			t.Fatalf("minScore %v listed %v", all[0].Score, f.Score)
		}
	}
	if len(top) == 0 {
		t.Fatal("minScore at the top score listed nothing")
	}
	if closed, _, _ := h.queue(an, map[string]any{"status": []string{"false_positive"}}, 200, nil); len(closed) != 0 {
		t.Fatalf("false_positive flags before any review: %d", len(closed))
	}
	// text: the officer's id, unit or explanation, in any case, on the
	// server (not the page the client holds); an officer's pseudonym too
	o := strings.TrimPrefix(all[0].Officer.ID, "Officer:")
	for _, text := range []string{strings.ToLower(o), all[0].Officer.DisplayName, strings.ToUpper(all[0].Officer.DisplayName)} {
		got, _, _ := h.queue(an, map[string]any{"text": text}, 200, nil)
		mine := 0
		for _, f := range got {
			if f.Officer.ID == all[0].Officer.ID {
				mine++
			} else if strings.HasPrefix(text, "Officer-") || strings.HasPrefix(text, "OFFICER-") {
				t.Errorf("text %q (a pseudonym) listed %s", text, f.Officer.ID)
			} else if !strings.Contains(strings.ToLower(f.Explanation), strings.ToLower(o)) {
				t.Errorf("text %q listed %s, whose explanation does not name it", text, f.ID)
			}
		}
		if mine == 0 {
			t.Errorf("text %q did not find %s's flags", text, all[0].Officer.ID)
		}
	}
	if got, _, _ := h.queue(an, map[string]any{"text": "Officer-00000000"}, 200, nil); len(got) != 0 {
		t.Errorf("a pseudonym of nobody listed %d flags", len(got))
	}
	var counted struct{ FlagCounts struct{ Total int } }
	h.ok(an, `query($t: String) { flagCounts(filter: {text: $t}) { total } }`, map[string]any{"t": all[0].Officer.DisplayName}, &counted)
	if counted.FlagCounts.Total == 0 || counted.FlagCounts.Total > len(all) {
		t.Errorf("flagCounts of a pseudonym: %d", counted.FlagCounts.Total)
	}
	// a pseudonym copied from the queue finds its officer in search too
	var found struct {
		Search []struct{ ID, DisplayName string }
	}
	h.ok(an, `query($t: String!) { search(text: $t) { id displayName } }`, map[string]any{"t": all[0].Officer.DisplayName}, &found)
	if len(found.Search) != 1 || found.Search[0].ID != all[0].Officer.ID {
		t.Errorf("search of pseudonym %s: %+v, want %s", all[0].Officer.DisplayName, found.Search, all[0].Officer.ID)
	}
	// bad input
	bad := "bm90LWEtY3Vyc29y"
	for q, code := range map[string]string{
		`{ flags(first: 201) { nodes { id } } }`:                                            probity.ELIMIT,
		`{ flags(first: 0) { nodes { id } } }`:                                              probity.EINVALID,
		`{ flags(after: "` + bad + `") { nodes { id } } }`:                                  probity.EINVALID,
		`{ flags(filter: {pattern: ["no-such"]}) { nodes { id } } }`:                        probity.EINVALID,
		`{ flags(filter: {minScore: 2}) { nodes { id } } }`:                                 probity.EINVALID,
		`{ flags(filter: {text: "` + strings.Repeat("x", 201) + `"}) { nodes { id } } }`:    probity.ELIMIT,
		`{ flag(id: "FLAG-0000") { id } }`:                                                  probity.ENOTFOUND,
		`{ officerRisk(id: "Person:P1") { risk } }`:                                         probity.EINVALID,
		`{ officerRisk(id: "Officer:NOPE") { risk } }`:                                      probity.ENOTFOUND,
		`mutation { reviewFlag(id: "FLAG-0000", decision: in_review, reason: "x") { id } }`: probity.ENOTFOUND,
	} {
		if r := h.post(an, q, nil); r.code() != code {
			t.Errorf("%s: %q %+v, want %s", q, r.code(), r.Errors, code)
		}
	}
	// the queue's audit event names the flags, their officers and evidence
	h.queue(an, nil, 200, nil)
	ev := h.lastAudit()
	if ev.Operation != "flags" {
		t.Fatalf("last audit op %q", ev.Operation)
	}
	for _, f := range all {
		if !contains(ev.EntityIDs, f.ID) || !contains(ev.EntityIDs, f.Officer.ID) {
			t.Fatalf("audit of flags lacks %s or %s: %v", f.ID, f.Officer.ID, ev.EntityIDs)
		}
	}
	if !contains(ev.EntityIDs, "Person:P1") {
		t.Fatalf("audit of flags lacks evidence Person:P1: %v", ev.EntityIDs)
	}
	// flagCounts of the whole queue is about no one and is not audited;
	// under a text filter (an officer's id) it tells of that officer: audited
	n := len(h.audit())
	h.ok(an, `{ flagCounts { total } patterns { name } }`, nil, &struct{}{})
	if len(h.audit()) != n {
		t.Fatal("flagCounts and patterns were audited")
	}
	h.ok(an, `{ flagCounts(filter: {text: "O1"}) { total } }`, nil, &struct{}{})
	if evs := h.audit(); len(evs) != n+1 || evs[len(evs)-1].Operation != "flagCounts" {
		t.Fatalf("flagCounts of one officer: %d events after %d", len(evs), n)
	}
}

// o1Flag returns O1's access-for-gain flag.
func o1Flag(t *testing.T, h *harness) flagData {
	all, _, _ := h.queue(h.tokens[probity.RoleAnalyst], map[string]any{"pattern": []string{graph.PatAccessForGain}}, 200, nil)
	for _, f := range all {
		if f.Officer.ID == "Officer:O1" {
			return f
		}
	}
	t.Fatalf("no access-for-gain flag on O1 in %+v", all)
	return flagData{}
}

func TestFlagDetailRevealAndAudit(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	id := o1Flag(t, h).ID
	f := h.flag(an, id)
	if f.Explanation == "" || len(f.Parameters) == 0 || f.Status != "new" || f.Revealed || f.Recusal.Required ||
		f.ClearedAt != nil || f.SupersededBy != nil {
		t.Fatalf("flag = %+v", f)
	}
	nodes := map[string]string{}
	for _, n := range f.Evidence.Nodes {
		nodes[n.ID] = n.DisplayName
	}
	if nodes["Person:P1"] != api.Pseudonym(h.key, "Person", "P1") || nodes["Account:AC1"] == "" {
		t.Fatalf("evidence nodes %v", nodes)
	}
	paid := false
	for _, e := range f.Evidence.Edges {
		if _, ok := nodes[e.From]; !ok {
			t.Fatalf("edge %+v starts outside the evidence nodes", e)
		}
		if _, ok := nodes[e.To]; !ok {
			t.Fatalf("edge %+v ends outside the evidence nodes", e)
		}
		paid = paid || (e.Type == "PAID" && e.ID == "PAY1" && e.From == "Account:AC2" && e.To == "Account:AC1")
	}
	if !paid {
		t.Fatalf("evidence lacks the payment PAY1: %+v", f.Evidence.Edges)
	}
	ev := h.lastAudit()
	if ev.Operation != "flag" || !contains(ev.EntityIDs, id) || !contains(ev.EntityIDs, "Officer:O1") || !contains(ev.EntityIDs, "Person:P1") || len(ev.Revealed) != 0 {
		t.Fatalf("audit of flag = %+v", ev)
	}

	// reveal: purpose required; names of the officer and evidence persons; audited
	// a purpose of spaces, punctuation or invisible characters alone is none (mutQ)
	for _, p := range []string{"  ", "...", "\u200b", " - "} {
		if r := h.post(an, `mutation($p: String!) { revealIdentity(flagId: "`+id+`", purpose: $p) { id } }`, map[string]any{"p": p}); r.code() != probity.EINVALID {
			t.Fatalf("reveal with purpose %q: %+v, want invalid", p, r.Errors)
		}
	}
	if n, _ := h.store.CountForTest(context.Background(), `MATCH (r:Reveal) RETURN count(r)`); n != 0 {
		t.Fatalf("%d reveals recorded for refused purposes", n)
	}
	if r := h.post(an, `mutation { revealIdentity(flagId: "FLAG-0000", purpose: "x") { id } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("reveal of unknown flag: %+v", r.Errors)
	}
	var rv struct {
		RevealIdentity struct {
			FlagId, Purpose string
			People          []struct {
				Entity struct{ ID string }
				Name   string
			}
		}
	}
	h.ok(an, `mutation { revealIdentity(flagId: "`+id+`", purpose: "referral 7: confirm identity") { flagId purpose people { entity { id } name } } }`, nil, &rv)
	names := map[string]string{}
	for _, p := range rv.RevealIdentity.People {
		names[p.Entity.ID] = p.Name
	}
	if names["Officer:O1"] != "Alice Smith" || names["Person:P1"] != "Bob Jones" || rv.RevealIdentity.People[0].Entity.ID != "Officer:O1" {
		t.Fatalf("revealed %v", names)
	}
	ev = h.lastAudit()
	if ev.Operation != "revealIdentity" || !contains(ev.Revealed, "Officer:O1") || !contains(ev.Revealed, "Person:P1") ||
		!strings.Contains(ev.Purpose, "referral 7: confirm identity") {
		t.Fatalf("audit of reveal = %+v", ev)
	}
	n, err := h.store.CountForTest(context.Background(), `MATCH (r:Reveal {flagId: '`+id+`', actor: 'test-analyst'}) WHERE r.purpose = 'referral 7: confirm identity' RETURN count(r)`)
	if err != nil || n != 1 {
		t.Fatalf("Reveal nodes: %d, %v", n, err)
	}

	// later reads of that flag by the same token show names, audited as reveals
	f = h.flag(an, id)
	if !f.Revealed || f.Officer.DisplayName != "Alice Smith" || f.Officer.Pseudonym != api.Pseudonym(h.key, "Officer", "O1") {
		t.Fatalf("after reveal: revealed %v, officer %q (pseudonym %q)", f.Revealed, f.Officer.DisplayName, f.Officer.Pseudonym)
	}
	ev = h.lastAudit()
	if !contains(ev.Revealed, "Officer:O1") || !contains(ev.Revealed, "Person:P1") || !strings.Contains(ev.Purpose, "referral 7") {
		t.Fatalf("audit of a revealed read = %+v", ev)
	}
	// another token still sees pseudonyms
	other := h.token("analyst-2", probity.RoleAnalyst, "")
	if g := h.flag(other, id); g.Revealed || g.Officer.DisplayName != api.Pseudonym(h.key, "Officer", "O1") {
		t.Fatalf("another token sees %q (revealed %v)", g.Officer.DisplayName, g.Revealed)
	}
	if v, err := h.store.VerifyAudit(context.Background()); err != nil || !v.OK() {
		t.Fatalf("audit chain: %+v %v", v, err)
	}
}

// A flag shows the officer's declarations of people in its evidence: when
// made, withdrawn, and whether made only after the flag was raised.
func TestFlagDeclarations(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	id := o1Flag(t, h).ID
	ctx := context.Background()
	if err := h.store.RunForTestParams(ctx, `MATCH (f:Flag {id: $id}) SET f.firstSeen = datetime('2025-01-10T09:00:00Z')
		WITH f MATCH (o:Officer {id: 'O1'}), (p:Person {id: 'P1'}), (x:Person {id: 'P2'})
		CREATE (o)-[:DECLARED {type: 'association', on: date('2024-01-01'), withdrawnOn: date('2024-06-01')}]->(p)
		CREATE (o)-[:DECLARED {type: 'association', on: date('2025-03-01')}]->(p)
		CREATE (o)-[:DECLARED {type: 'association', on: date('2025-03-01')}]->(x)`, map[string]any{"id": id}); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Flag struct {
			Declarations []struct {
				Declared, Type  string
				On, WithdrawnOn *string
				AfterFlag       bool
			}
		}
	}
	h.ok(an, `query($id: ID!) { flag(id: $id) { declarations { declared type on withdrawnOn afterFlag } } }`, map[string]any{"id": id}, &d)
	got := d.Flag.Declarations
	// P2 is not in this flag's evidence: its declaration is not shown
	if len(got) != 2 || got[0].Declared != "Person:P1" || *got[0].On != "2024-01-01" || got[0].WithdrawnOn == nil || *got[0].WithdrawnOn != "2024-06-01" || got[0].AfterFlag ||
		got[1].Declared != "Person:P1" || *got[1].On != "2025-03-01" || got[1].WithdrawnOn != nil || !got[1].AfterFlag || got[1].Type != "association" {
		t.Fatalf("declarations = %+v", got)
	}
}

func TestReviewStateMachineRolesAndRecusal(t *testing.T) {
	h := scanned(t)
	an, rev := h.tokens[probity.RoleAnalyst], h.tokens[probity.RoleReviewer]
	id := o1Flag(t, h).ID
	review := func(token, decision, reason string, ack bool) response {
		return h.post(token, `mutation($id: ID!, $d: FlagStatus!, $r: String!, $a: Boolean) { reviewFlag(id: $id, decision: $d, reason: $r, acknowledgeLink: $a) { id status reviews { reviewer from to reason acknowledgedLinks } } }`,
			map[string]any{"id": id, "d": decision, "r": reason, "a": ack})
	}
	if r := review(an, "in_review", " ", false); r.code() != probity.EINVALID {
		t.Fatalf("no reason: %+v", r.Errors)
	}
	if r := review(an, "no_further_action", "skip", false); r.code() != probity.ECONFLICT {
		t.Fatalf("new -> no_further_action: %+v, want conflict", r.Errors)
	}
	if r := review(an, "new", "back", false); r.code() != probity.EINVALID {
		t.Fatalf("decision new: %+v, want invalid", r.Errors)
	}
	if r := review(an, "bogus", "x", false); r.code() != probity.EINVALID {
		t.Fatalf("unknown decision: %+v, want invalid", r.Errors)
	}

	// recusal: O2 is in O1's unit (no line manager recorded), O3 is three
	// association links away, O4 is unrelated; the flagged officer himself
	same := h.token("same-unit", probity.RoleAnalyst, "O2")
	linked := h.token("linked", probity.RoleAnalyst, "O3")
	clear := h.token("clear", probity.RoleAnalyst, "O4")
	self := h.token("self", probity.RoleAnalyst, "O1")
	for _, c := range []struct {
		token, reason string
	}{{same, "same unit (U1)"}, {linked, "linked within 3 association links"}} {
		f := h.flag(c.token, id)
		if !f.Recusal.Required || !strings.Contains(strings.Join(f.Recusal.Reasons, "|"), c.reason) {
			t.Fatalf("recusal = %+v, want %q", f.Recusal, c.reason)
		}
	}
	// the path the linked reviewer's recusal names is audited with the flag
	h.flag(linked, id)
	if ev := h.lastAudit(); !contains(ev.EntityIDs, "Address:A1") {
		t.Fatalf("recusal path read: audit ids %v lack the path's Address:A1 (O3 – P1 – A1 – O1)", ev.EntityIDs)
	}
	if f := h.flag(clear, id); f.Recusal.Required || len(f.Recusal.Reasons) != 0 || f.Recusal.Own {
		t.Fatalf("unlinked reviewer asked to recuse: %+v", f.Recusal)
	}
	// the flagged officer may never read the flag, nor find it in the queue
	// or its counts, nor decide on it, acknowledged or not (tipping off)
	// (as if it did not exist: a distinct refusal would confirm the id is theirs)
	if r := h.post(self, `query($id: ID!) { flag(id: $id) { id } }`, map[string]any{"id": id}); r.code() != probity.ENOTFOUND {
		t.Fatalf("the flagged officer reads the flag: %+v, want not_found", r.Errors)
	}
	if ev := h.lastAudit(); !contains(ev.EntityIDs, id) || !strings.Contains(ev.Purpose, "refused on "+id) {
		t.Fatalf("the refused read's audit: %+v", ev)
	}
	mine, _, _ := h.queue(self, map[string]any{"status": []string{"new", "in_review", "referred_investigation", "prevention_notice", "no_further_action", "false_positive"}}, 200, nil)
	for _, f := range mine {
		if f.Officer.ID == "Officer:O1" {
			t.Fatalf("the flagged officer's queue lists its own flag %s", f.ID)
		}
	}
	var counts struct{ FlagCounts struct{ Total int } }
	h.ok(self, `{ flagCounts(filter: {text: "O1"}) { total } }`, nil, &counts)
	var others struct{ FlagCounts struct{ Total int } }
	h.ok(an, `{ flagCounts(filter: {text: "O1"}) { total } }`, nil, &others)
	if others.FlagCounts.Total == 0 || counts.FlagCounts.Total >= others.FlagCounts.Total {
		t.Fatalf("counts about O1: %d to O1 itself, %d to another analyst; want O1's own left out", counts.FlagCounts.Total, others.FlagCounts.Total)
	}
	if r := h.post(self, `{ officerRisk(id: "Officer:O1") { risk } }`, nil); r.code() != probity.EFORBIDDEN {
		t.Fatalf("the officer's own risk: %+v, want forbidden", r.Errors)
	}
	for _, ack := range []bool{false, true} {
		if r := review(self, "in_review", "my own flag, reviewing", ack); r.code() != probity.ENOTFOUND {
			t.Fatalf("the flagged officer reviews (acknowledgeLink %v): %+v, want not_found", ack, r.Errors)
		}
	}
	// With line managers recorded (an extra column of officers.csv, kept as
	// line_manager), the same unit counts only with the same manager.
	for _, c := range []struct {
		o2     string
		recuse bool
	}{{"M2", false}, {"M1", true}} {
		if err := h.store.RunForTestParams(context.Background(), `MATCH (a:Officer {id: 'O1'}), (b:Officer {id: 'O2'})
			SET a.line_manager = 'M1', b.line_manager = $m`, map[string]any{"m": c.o2}); err != nil {
			t.Fatal(err)
		}
		f := h.flag(same, id)
		if f.Recusal.Required != c.recuse || c.recuse && !strings.Contains(strings.Join(f.Recusal.Reasons, "|"), "same unit (U1) and line manager") {
			t.Fatalf("O2 managed by %s: recusal %+v", c.o2, f.Recusal)
		}
	}
	// whoever the flagged officer manages, in any unit, is asked to recuse
	if err := h.store.RunForTestParams(context.Background(), `MATCH (o:Officer {id: 'O4'}) SET o.line_manager = 'O1'`, nil); err != nil {
		t.Fatal(err)
	}
	if f := h.flag(clear, id); !f.Recusal.Required || !strings.Contains(strings.Join(f.Recusal.Reasons, "|"), "the flagged officer is your line manager") {
		t.Fatalf("managed by the flagged officer: recusal %+v", f.Recusal)
	}
	if err := h.store.RunForTestParams(context.Background(), `MATCH (o:Officer) REMOVE o.line_manager`, nil); err != nil {
		t.Fatal(err)
	}
	// a suppressed identifier (a hub after the next scan) breaks the link
	ctx := context.Background()
	if _, err := h.store.AddSuppression(ctx, "A1", "station front desk", "t"); err != nil {
		t.Fatal(err)
	}
	if err := h.store.MarkHubs(ctx, probity.HubDegree); err != nil {
		t.Fatal(err)
	}
	if f := h.flag(linked, id); strings.Contains(strings.Join(f.Recusal.Reasons, "|"), "association links") {
		t.Fatalf("link through a suppressed address: %+v", f.Recusal)
	}
	if err := h.store.RemoveSuppression(ctx, "A1"); err != nil {
		t.Fatal(err)
	}
	if err := h.store.MarkHubs(ctx, probity.HubDegree); err != nil {
		t.Fatal(err)
	}
	r := review(linked, "in_review", "looking", false)
	if r.code() != probity.ECONFLICT || !strings.HasPrefix(r.Errors[0].Message, "recuse: ") ||
		!strings.Contains(r.Errors[0].Message, "linked within 3 association links") || strings.Contains(r.Errors[0].Message, "Person:P1") {
		t.Fatalf("linked reviewer: %+v, want conflict recuse naming the kind of link, not the (unaudited) path", r.Errors)
	}
	// the links acknowledged stay with the decision, for whoever reads the
	// flag's history (not only in the audit log)
	if r := review(linked, "in_review", "no one else on shift", true); r.code() != "" {
		t.Fatalf("acknowledged review: %+v", r.Errors)
	} else {
		var d struct {
			ReviewFlag struct {
				Reviews []struct{ AcknowledgedLinks []string }
			}
		}
		json.Unmarshal(r.Data, &d)
		rs := d.ReviewFlag.Reviews
		if len(rs) != 1 || len(rs[0].AcknowledgedLinks) == 0 || !strings.Contains(rs[0].AcknowledgedLinks[0], "linked within 3 association links") {
			t.Fatalf("acknowledged review's history: %+v, want the links acknowledged", rs)
		}
	}
	ev := h.lastAudit()
	if ev.Operation != "reviewFlag" || ev.Actor != "linked" || !strings.Contains(ev.Purpose, "recusal acknowledged") ||
		!strings.Contains(ev.Purpose, `new -> in_review: "no one else on shift"`) || !contains(ev.EntityIDs, id) {
		t.Fatalf("audit of an acknowledged review = %+v", ev)
	}

	// in_review -> referred by an analyst; confirmation needs a reviewer
	if r := review(an, "referred_investigation", "payment after look-up", false); r.code() != "" {
		t.Fatalf("refer: %+v", r.Errors)
	}
	confirm := func(token string) response {
		return h.post(token, `mutation($id: ID!) { confirmReferral(id: $id, reason: "agree") { status reviews { reviewer from to reason acknowledgedLinks } } }`, map[string]any{"id": id})
	}
	if r := confirm(an); r.code() != probity.EFORBIDDEN {
		t.Fatalf("analyst confirms: %+v", r.Errors)
	}
	// a reviewer linked to the officer is asked to recuse here too
	linkedRev := h.token("linked-reviewer", probity.RoleReviewer, "O3")
	if r := confirm(linkedRev); r.code() != probity.ECONFLICT || !strings.HasPrefix(r.Errors[0].Message, "recuse: ") {
		t.Fatalf("linked reviewer confirms: %+v, want conflict recuse", r.Errors)
	}
	var d struct {
		ConfirmReferral struct {
			Status  string
			Reviews []struct {
				Reviewer, From, To, Reason string
				AcknowledgedLinks          []string
			}
		}
	}
	if r := confirm(rev); r.code() != "" {
		t.Fatalf("reviewer confirms: %+v", r.Errors)
	} else {
		json.Unmarshal(r.Data, &d)
	}
	rs := d.ConfirmReferral.Reviews
	if d.ConfirmReferral.Status != "referred_investigation" || len(rs) != 3 || rs[0].Reviewer != "linked" ||
		rs[1].To != "referred_investigation" || rs[2].Reviewer != "test-reviewer" || rs[2].Reason != "confirmed: agree" ||
		len(rs[0].AcknowledgedLinks) == 0 || len(rs[1].AcknowledgedLinks)+len(rs[2].AcknowledgedLinks) != 0 {
		t.Fatalf("after confirmation: %+v", d.ConfirmReferral)
	}
	if r := confirm(rev); r.code() != probity.ECONFLICT {
		t.Fatalf("second confirmation: %+v", r.Errors)
	}
	if r := review(an, "false_positive", "changed my mind", false); r.code() != probity.ECONFLICT {
		t.Fatalf("closed flag moved again: %+v", r.Errors)
	}
	// a reviewer cannot confirm their own referral
	all, _, _ := h.queue(an, nil, 200, nil)
	var other string
	for _, f := range all {
		if f.ID != id {
			other = f.ID
		}
	}
	for _, dec := range []string{"in_review", "referred_investigation"} {
		if r := h.post(rev, `mutation($id: ID!, $d: FlagStatus!) { reviewFlag(id: $id, decision: $d, reason: "mine") { status } }`,
			map[string]any{"id": other, "d": dec}); r.code() != "" {
			t.Fatalf("reviewer reviews: %+v", r.Errors)
		}
	}
	if r := h.post(rev, `mutation($id: ID!) { confirmReferral(id: $id, reason: "self") { status } }`, map[string]any{"id": other}); r.code() != probity.ECONFLICT {
		t.Fatalf("referrer confirms own referral: %+v", r.Errors)
	}
	// another reviewer disagrees: returned to in_review, not confirmed; the
	// referrer cannot return their own, an analyst cannot return at all
	ret := func(token string) response {
		return h.post(token, `mutation($id: ID!) { returnReferral(id: $id, reason: "the payment is a refund") { status } }`, map[string]any{"id": other})
	}
	if r := ret(rev); r.code() != probity.ECONFLICT {
		t.Fatalf("referrer returns own referral: %+v", r.Errors)
	}
	if r := ret(an); r.code() != probity.EFORBIDDEN {
		t.Fatalf("analyst returns a referral: %+v", r.Errors)
	}
	if r := ret(h.token("second-reviewer", probity.RoleReviewer, "")); r.code() != "" || !strings.Contains(string(r.Data), `"in_review"`) {
		t.Fatalf("second reviewer returns: %s %+v", r.Data, r.Errors)
	}
	if ev := h.lastAudit(); ev.Operation != "returnReferral" || !strings.Contains(ev.Purpose, `return referral `+other+`: "returned: the payment is a refund"`) {
		t.Fatalf("audit of the return = %+v", ev)
	}
	if r := ret(h.token("third-reviewer", probity.RoleReviewer, "")); r.code() != probity.ECONFLICT {
		t.Fatalf("return of a flag back in review: %+v", r.Errors)
	}
	for _, dec := range []string{"referred_investigation"} { // referred again, as before the return
		if r := h.post(rev, `mutation($id: ID!, $d: FlagStatus!) { reviewFlag(id: $id, decision: $d, reason: "refund checked: not one") { status } }`,
			map[string]any{"id": other, "d": dec}); r.code() != "" {
			t.Fatalf("refer again after the return: %+v", r.Errors)
		}
	}
	// the reviewer's own queue: referrals awaiting confirmation (other), not
	// the confirmed one (id), nor any open flag
	waiting, _, _ := h.queue(an, map[string]any{"awaitingConfirmation": true}, 200, nil)
	if len(waiting) != 1 || waiting[0].ID != other {
		t.Fatalf("awaiting confirmation: %+v, want %s only", waiting, other)
	}
	if rest, _, _ := h.queue(an, map[string]any{"awaitingConfirmation": false, "status": []string{"referred_investigation"}}, 200, nil); len(rest) != 1 || rest[0].ID != id {
		t.Fatalf("referrals not awaiting: %+v, want %s only", rest, id)
	}
	if r := h.post(an, `{ flags(filter: {awaitingConfirmation: true, status: [new]}) { totalCount } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("awaiting with status new: %+v, want invalid", r.Errors)
	}
	// the flags queue default (new, in_review) no longer lists the referred flags
	open, _, _ := h.queue(an, nil, 200, nil)
	for _, f := range open {
		if f.ID == id || f.ID == other {
			t.Fatalf("referred flag %s still in the default queue", f.ID)
		}
	}
	var risk struct {
		OfficerRisk struct {
			Risk     float64
			Officer  struct{ DisplayName string }
			Patterns []struct{ Pattern string }
		}
	}
	h.ok(an, `{ officerRisk(id: "Officer:O1") { risk officer { displayName } patterns { pattern } } }`, nil, &risk)
	if risk.OfficerRisk.Risk <= 0 || len(risk.OfficerRisk.Patterns) == 0 || risk.OfficerRisk.Officer.DisplayName != api.Pseudonym(h.key, "Officer", "O1") {
		t.Fatalf("officerRisk = %+v", risk.OfficerRisk)
	}
	if v, err := h.store.VerifyAudit(context.Background()); err != nil || !v.OK() {
		t.Fatalf("audit chain: %+v %v", v, err)
	}
}

// slowScans holds every scan until release is closed.
type slowScans struct {
	*graph.Store
	started chan struct{}
	release chan struct{}
}

func (s *slowScans) Scan(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error) {
	s.started <- struct{}{}
	<-s.release
	return s.Store.Scan(ctx, opts)
}

// blockedScans is a scan that runs until its context ends.
type blockedScans struct {
	*graph.Store
	started chan struct{}
	ended   chan error
}

func (s *blockedScans) Scan(ctx context.Context, _ probity.ScanOptions) (probity.ScanRun, error) {
	s.started <- struct{}{}
	<-ctx.Done()
	s.ended <- ctx.Err()
	return probity.ScanRun{}, ctx.Err()
}

// Close stops a scan started through runScan (its context is cancelled,
// so the scan records its run as interrupted) and waits for it; the
// request that started it gets an error, and no scan starts afterwards.
func TestCloseStopsRunningScan(t *testing.T) {
	h := newHarness(t, flagWorld(), api.Limits{})
	scans := &blockedScans{Store: h.store, started: make(chan struct{}, 1), ended: make(chan error, 1)}
	as := api.New(api.Options{Health: h.store, Graph: h.store, Tokens: h.store, Audit: h.store, Flags: scans, PseudonymKey: h.key})
	srv := httptest.NewServer(as)
	t.Cleanup(srv.Close)
	h.srv = srv
	admin := h.tokens[probity.RoleAdmin]
	first := make(chan response, 1)
	go func() { first <- h.post(admin, `mutation { runScan { id } }`, nil) }()
	<-scans.started
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := as.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-scans.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("the scan ended with %v, want its context cancelled", err)
	}
	if r := <-first; r.code() == "" {
		t.Fatalf("the request of the stopped scan succeeded: %s", r.Data)
	}
	if r := h.post(admin, `mutation { runScan { id } }`, nil); r.code() != probity.ECONFLICT {
		t.Fatalf("a scan after Close: %+v, want conflict", r.Errors)
	}
}

// scriptedScans answers Scan and ScanRunPage as its test says, the rest
// from the store.
type scriptedScans struct {
	*graph.Store
	scan func(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error)
	runs func() ([]probity.ScanRun, error)
}

func (s *scriptedScans) Scan(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error) {
	return s.scan(ctx, opts)
}

func (s *scriptedScans) ScanRunPage(ctx context.Context, skip, limit int) ([]probity.ScanRun, error) {
	return s.runs()
}

// runScan's audit event says how the scan came out: its counts, a pattern
// that failed, or that it outlived the request; a run that cannot be read
// afterwards is unavailable, not a limit the caller broke (mutT M4).
func TestRunScanAuditNotes(t *testing.T) {
	h := newHarness(t, flagWorld(), api.Limits{})
	admin := h.tokens[probity.RoleAdmin]
	serve := func(s *scriptedScans, limits api.Limits) {
		srv := httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.store, Tokens: h.store, Audit: h.store, Flags: s, PseudonymKey: h.key, Limits: limits}))
		t.Cleanup(srv.Close)
		h.srv = srv
	}
	lastRunScan := func() string {
		t.Helper()
		evs, err := h.store.AuditEvents(context.Background(), probity.AuditFilter{Operation: "runScan", NewestFirst: true, First: 1})
		if err != nil || len(evs) != 1 {
			t.Fatalf("runScan's audit event: %v, %v", evs, err)
		}
		return evs[0].Purpose
	}
	ended := func(failed string) func(context.Context, probity.ScanOptions) (probity.ScanRun, error) {
		return func(context.Context, probity.ScanOptions) (probity.ScanRun, error) {
			return probity.ScanRun{ID: "SCAN-t", NewFlags: 2, Cleared: 1, NotFound: 3, Error: failed, StartedAt: time.Now(), EndedAt: time.Now()}, nil
		}
	}
	serve(&scriptedScans{Store: h.store, scan: ended("")}, api.Limits{})
	h.ok(admin, `mutation { runScan { id } }`, nil, &struct{}{})
	if p := lastRunScan(); !strings.Contains(p, "runScan SCAN-t: 2 new flags, 1 cleared, 3 taken up no longer found") || strings.Contains(p, "failed") {
		t.Fatalf("a clean run's audit: %q", p)
	}
	serve(&scriptedScans{Store: h.store, scan: ended("collusion-ring: query failed")}, api.Limits{})
	h.ok(admin, `mutation { runScan { id } }`, nil, &struct{}{})
	if p := lastRunScan(); !strings.HasSuffix(p, "runScan SCAN-t: 2 new flags, 1 cleared, 3 taken up no longer found; failed: collusion-ring: query failed") {
		t.Fatalf("a run with a failed pattern, audited: %q", p)
	}

	// A request of 2 s waits for none of the scan (it keeps 2 s for
	// itself): the answer is the run as recorded so far.
	release := make(chan struct{})
	stopped := make(chan struct{})
	blocked := func(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error) {
		defer close(stopped)
		<-release
		return probity.ScanRun{ID: "SCAN-slow"}, nil
	}
	running := func() ([]probity.ScanRun, error) { // as the store records the scan the admin started
		return []probity.ScanRun{{ID: "SCAN-other", Trigger: "api:someone-else", StartedAt: time.Now()},
			{ID: "SCAN-slow", Trigger: "api:test-" + string(probity.RoleAdmin), StartedAt: time.Now()}}, nil
	}
	serve(&scriptedScans{Store: h.store, scan: blocked, runs: running}, api.Limits{RequestTimeout: 2 * time.Second})
	var d struct{ RunScan struct{ ID string } }
	h.ok(admin, `mutation { runScan { id } }`, nil, &d)
	if p := lastRunScan(); d.RunScan.ID != "SCAN-slow" || !strings.Contains(p, "runScan still running when the request ended") {
		t.Fatalf("a scan outliving its request: %+v, audit %q", d, p)
	}
	close(release)
	<-stopped

	// ... and when its run cannot be read then, unavailable
	release, stopped = make(chan struct{}), make(chan struct{})
	serve(&scriptedScans{Store: h.store, scan: blocked, runs: func() ([]probity.ScanRun, error) { return nil, errors.New("connection reset") }},
		api.Limits{RequestTimeout: 2 * time.Second})
	if r := h.post(admin, `mutation { runScan { id } }`, nil); r.code() != probity.EUNAVAILABLE || strings.Contains(r.Errors[0].Message, "connection reset") {
		t.Fatalf("a run that cannot be read: %+v", r.Errors)
	}
	close(release)
	<-stopped
}

// TestFlagNotes: an analyst's working note is kept on the flag, oldest
// first, without moving its state; empty, too long, on an unknown flag,
// without a token or by a linked or the flagged officer's own token, it is
// refused; each note is audited.
func TestFlagNotes(t *testing.T) {
	h := scanned(t)
	an, rev := h.tokens[probity.RoleAnalyst], h.tokens[probity.RoleReviewer]
	id := o1Flag(t, h).ID
	note := func(token, text string) response {
		return h.post(token, `mutation($id: ID!, $t: String!) { noteFlag(id: $id, text: $t) { status notes { author text at } } }`,
			map[string]any{"id": id, "t": text})
	}
	for _, c := range []struct {
		token, id, text, code string
	}{
		{an, id, "  ", probity.EINVALID},
		{an, id, strings.Repeat("é", probity.MaxFlagNote+1), probity.EINVALID},
		{an, "FLAG-0000", "x", probity.ENOTFOUND},
		{"", id, "x", probity.EUNAUTHORIZED},
		{h.token("linked", probity.RoleAnalyst, "O3"), id, "x", probity.ECONFLICT},
		{h.token("self", probity.RoleAnalyst, "O1"), id, "x", probity.ENOTFOUND},
	} {
		r := h.post(c.token, `mutation($id: ID!, $t: String!) { noteFlag(id: $id, text: $t) { id } }`, map[string]any{"id": c.id, "t": c.text})
		if r.code() != c.code {
			t.Errorf("note %.20q on %s: %+v, want %s", c.text, c.id, r.Errors, c.code)
		}
	}
	if r := note(an, "HR says the payment was a loan repayment; awaiting the loan agreement"); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if ev := h.lastAudit(); ev.Operation != "noteFlag" || !strings.Contains(ev.Purpose, "on "+id) || !contains(ev.EntityIDs, id) {
		t.Fatalf("audit event of a note: %+v", ev)
	}
	r := note(rev, strings.Repeat("é", probity.MaxFlagNote))
	var d struct {
		NoteFlag struct {
			Status string
			Notes  []struct{ Author, Text, At string }
		}
	}
	if err := json.Unmarshal(r.Data, &d); err != nil || len(r.Errors) > 0 {
		t.Fatal(err, r.Errors)
	}
	n := d.NoteFlag.Notes
	if d.NoteFlag.Status != "new" || len(n) != 2 || n[0].Author != "test-analyst" || !strings.HasPrefix(n[0].Text, "HR says") ||
		n[1].Author != "test-reviewer" || n[0].At > n[1].At {
		t.Fatalf("after two notes: %+v", d.NoteFlag)
	}
}

func TestRunScanSingleFlightAndHistory(t *testing.T) {
	h := newHarness(t, flagWorld(), api.Limits{})
	slow := &slowScans{Store: h.store, started: make(chan struct{}, 1), release: make(chan struct{})}
	srv := httptest.NewServer(api.New(api.Options{Health: h.store, Graph: h.store, Tokens: h.store, Audit: h.store,
		Flags: slow, PseudonymKey: h.key}))
	t.Cleanup(srv.Close)
	h.srv = srv
	admin := h.tokens[probity.RoleAdmin]
	if r := h.post(h.tokens[probity.RoleReviewer], `mutation { runScan { id } }`, nil); r.code() != probity.EFORBIDDEN {
		t.Fatalf("reviewer runs a scan: %+v", r.Errors)
	}
	if r := h.post(admin, `mutation { runScan(pattern: "nope") { id } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("unknown pattern: %+v", r.Errors)
	}
	first := make(chan response, 1)
	go func() {
		first <- h.post(admin, `mutation { runScan(pattern: "`+graph.PatAccessForGain+`") { id status newFlags patterns { pattern hits } } }`, nil)
	}()
	<-slow.started
	if r := h.post(admin, `mutation { runScan { id } }`, nil); r.code() != probity.ECONFLICT {
		t.Fatalf("second scan while one runs: %+v, want conflict", r.Errors)
	}
	close(slow.release)
	r := <-first
	var d struct {
		RunScan struct {
			ID, Status string
			NewFlags   int
			Patterns   []struct {
				Pattern string
				Hits    int
			}
		}
	}
	if r.code() != "" || json.Unmarshal(r.Data, &d) != nil {
		t.Fatalf("first scan: %+v", r.Errors)
	}
	if d.RunScan.Status != "ok" || d.RunScan.NewFlags != 1 || len(d.RunScan.Patterns) != 1 || d.RunScan.Patterns[0].Hits != 1 {
		t.Fatalf("scan = %+v", d.RunScan)
	}
	slow.started = make(chan struct{}, 1) // free now: a new scan may start
	h.ok(admin, `mutation { runScan { id } }`, nil, &struct{}{})
	var runs struct {
		ScanRuns struct {
			Nodes []struct {
				ID, Trigger, Status string
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	h.ok(h.tokens[probity.RoleAnalyst], `{ scanRuns(first: 1) { nodes { id trigger status } pageInfo { hasNextPage endCursor } } }`, nil, &runs)
	newest := runs.ScanRuns.Nodes
	if len(newest) != 1 || !runs.ScanRuns.PageInfo.HasNextPage || newest[0].Trigger != "api:test-admin" || newest[0].ID == d.RunScan.ID {
		t.Fatalf("scanRuns page 1 = %+v", runs.ScanRuns)
	}
	h.ok(h.tokens[probity.RoleAnalyst], `query($a: String) { scanRuns(first: 5, after: $a) { nodes { id trigger status } pageInfo { hasNextPage endCursor } } }`,
		map[string]any{"a": runs.ScanRuns.PageInfo.EndCursor}, &runs)
	if len(runs.ScanRuns.Nodes) != 1 || runs.ScanRuns.Nodes[0].ID != d.RunScan.ID || runs.ScanRuns.PageInfo.HasNextPage {
		t.Fatalf("scanRuns page 2 = %+v", runs.ScanRuns)
	}
	if r := h.post(admin, `{ scanRuns(after: "!!") { nodes { id } } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("bad scanRuns cursor: %+v", r.Errors)
	}
}

func TestOperationsFields(t *testing.T) {
	h := scanned(t)
	an, rev, admin := h.tokens[probity.RoleAnalyst], h.tokens[probity.RoleReviewer], h.tokens[probity.RoleAdmin]
	var pats struct {
		Patterns []struct {
			Name, Description string
			Version           int
			Parameters        []struct{ Name, Default, Description string }
		}
	}
	h.ok(an, `{ patterns { name version description parameters { name default description } } }`, nil, &pats)
	if len(pats.Patterns) != len(graph.Patterns()) {
		t.Fatalf("%d patterns, library has %d", len(pats.Patterns), len(graph.Patterns()))
	}
	for _, p := range pats.Patterns {
		if p.Version < 1 || p.Description == "" {
			t.Fatalf("pattern %+v", p)
		}
	}

	// roles of the operations fields
	for q, role := range map[string]probity.Role{
		`{ fairnessReport { rate } }`:                                            probity.RoleReviewer,
		`{ accuracy { pattern } accuracyReport { id } disproportion { value } }`: probity.RoleReviewer,
		`{ suppressions { id } }`:                                                probity.RoleAdmin,
		`{ watchlist { id } }`:                                                   probity.RoleAdmin,
		`{ schedules { name } }`:                                                 probity.RoleAdmin,
		`{ webhooks { id } }`:                                                    probity.RoleAdmin,
		`{ scheduleRuns(name: "x") { id } }`:                                     probity.RoleAdmin,
		`{ scheduleRuns { id } }`:                                                probity.RoleAdmin,
		`{ webhookDeliveries { id } }`:                                           probity.RoleAdmin,
		`mutation { removeSchedule(name: "nobody") }`:                            probity.RoleAdmin,
		`mutation { unwatch(id: "nobody") }`:                                     probity.RoleAdmin,
		`{ charts { id } flags { nodes { id } } patterns { name } }`:             probity.RoleAnalyst,
	} {
		for _, rl := range probity.Roles {
			r := h.post(h.tokens[rl], q, nil)
			got := r.code()
			if got == probity.ENOTFOUND {
				got = ""
			}
			want := ""
			if !rl.Allows(role) {
				want = probity.EFORBIDDEN
			}
			if got != want {
				t.Errorf("%s as %s: %q %+v, want %q", q, rl, r.code(), r.Errors, want)
			}
		}
	}

	var fr struct {
		FairnessReport struct {
			Officers, Flagged, Comparisons int
			FlaggedStanding                int
			Rate                           float64
			Groups                         []struct {
				Attribute, Value  string
				NotRecorded       bool
				Officers, Flagged int
				Ratio             *float64
				Small             bool
				RatioLow          *float64
				RatioHigh         *float64
				PValue            *float64
				BeyondChance      bool
			}
		}
	}
	h.ok(rev, `{ fairnessReport(attribute: "unit") { officers flagged flaggedStanding rate comparisons groups { attribute value notRecorded officers flagged ratio small pValue beyondChance ratioLow ratioHigh } } }`, nil, &fr)
	units := map[string]int{}
	for _, g := range fr.FairnessReport.Groups {
		// Four officers: every group is compared (Fisher's test), none has
		// counts enough for an interval.
		if g.Attribute != "unit" || !g.Small || g.PValue == nil || *g.PValue <= 0 || *g.PValue > 1 || g.BeyondChance != (*g.PValue < 0.05) ||
			g.RatioLow != nil || g.RatioHigh != nil || g.NotRecorded != (g.Value == "") {
			t.Fatalf("group %+v", g)
		}
		units[g.Value] = g.Officers
		if g.Ratio == nil || math.Abs(*g.Ratio-(float64(g.Flagged)/float64(g.Officers))/fr.FairnessReport.Rate) > 1e-9 {
			t.Fatalf("group %+v: ratio", g)
		}
	}
	if fr.FairnessReport.Officers != 4 || units["U1"] != 2 || units["U2"] != 1 || units["U3"] != 1 || fr.FairnessReport.Flagged < 2 || fr.FairnessReport.FlaggedStanding != fr.FairnessReport.Flagged ||
		fr.FairnessReport.Comparisons != len(fr.FairnessReport.Groups) {
		t.Fatalf("fairness %+v", fr.FairnessReport)
	}
	// a group of one shows whether its officer is flagged: reading the
	// report is audited, and names the officers of the small groups (all
	// four here; secJ M2)
	if ev := h.lastAudit(); ev.Operation != "fairnessReport" || !strings.Contains(ev.Purpose, "fairnessReport by unit") ||
		len(ev.EntityIDs) != 4 || slices.ContainsFunc(ev.EntityIDs, func(id string) bool { return !strings.HasPrefix(id, "Officer:") }) {
		t.Fatalf("the fairness report's audit: %+v", ev)
	}
	if r := h.post(rev, `{ fairnessReport(attribute: "Unit") { rate } }`, nil); r.code() != probity.EINVALID || !strings.Contains(r.Errors[0].Message, "unit") {
		t.Fatalf("unknown attribute: %q %+v", r.code(), r.Errors)
	}

	// a pattern that flagged nobody: no ratio (null), not 0 (statA L2)
	var none struct {
		FairnessReport struct {
			Flagged int
			Groups  []struct{ Ratio *float64 }
		}
	}
	h.ok(rev, `{ fairnessReport(pattern: "`+graph.PatTripwire+`") { flagged groups { ratio } } }`, nil, &none)
	if r := none.FairnessReport; r.Flagged != 0 || len(r.Groups) == 0 || slices.ContainsFunc(r.Groups, func(g struct{ Ratio *float64 }) bool { return g.Ratio != nil }) {
		t.Fatalf("no flags of tripwire: %+v", r)
	}
	// accuracy: empty until probity eval stores a result, then the latest
	type accRow struct {
		Pattern                     string
		Precision, Recall           *float64
		PrecisionLow, PrecisionHigh *float64
		RecallLow, RecallHigh       *float64
	}
	var acc struct {
		AccuracyReport *struct {
			TruthFile string
			Warnings  []string
		}
		Accuracy []accRow
	}
	h.ok(rev, `{ accuracyReport { truthFile } accuracy { pattern precision recall } }`, nil, &acc)
	if acc.AccuracyReport != nil || len(acc.Accuracy) != 0 {
		t.Fatalf("accuracy before eval: %+v", acc)
	}
	ctx := context.Background()
	one, half := 1.0, 0.5
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "old.csv"})
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "/srv/probity/sets/truth.csv",
		Warnings: []string{"truth.csv names 1 officer(s) the database does not hold"}, UnknownOfficers: []string{"OX9"},
		Patterns: []probity.PatternAccuracy{{Pattern: graph.PatAccessForGain, Truth: 6, Flagged: 3, TruePositives: 3, Precision: &one, Recall: &half},
			{Pattern: graph.PatTripwire, Truth: 1, TruePositives: 0, Recall: &one}}})
	h.ok(rev, `{ accuracyReport { truthFile warnings } accuracy(pattern: "`+graph.PatAccessForGain+`") { pattern precision recall precisionLow precisionHigh recallLow recallHigh } }`, nil, &acc)
	// audited: the warnings may name officers (secJ L5, mutS A3)
	if ev := h.lastAudit(); ev.Operation != "accuracy,accuracyReport" || !contains(ev.EntityIDs, "Officer:OX9") {
		t.Fatalf("accuracy read audit event %+v", ev)
	}
	// the file's name, not where it lies on the server (secK L4)
	if acc.AccuracyReport == nil || acc.AccuracyReport.TruthFile != "truth.csv" || len(acc.AccuracyReport.Warnings) != 1 || len(acc.Accuracy) != 1 || acc.Accuracy[0].Recall == nil || *acc.Accuracy[0].Recall != 0.5 {
		t.Fatalf("accuracy = %+v", acc)
	}
	var whole struct {
		AccuracyReport struct {
			Overall struct {
				Pattern              string
				Truth, TruePositives int
				Recall, RecallLow    *float64
			}
		}
	}
	h.ok(rev, `{ accuracyReport { overall { pattern truth truePositives recall recallLow } } }`, nil, &whole)
	if o := whole.AccuracyReport.Overall; o.Pattern != probity.AllPatterns || o.Truth != 7 || o.TruePositives != 3 || o.Recall == nil || math.Abs(*o.Recall-3.0/7) > 1e-9 || o.RecallLow == nil {
		t.Fatalf("the pooled row: %+v", o)
	}
	// 3 of 3 is 0.29 to 1, 3 of 6 is 0.12 to 0.88 (exact intervals, statA)
	if a := acc.Accuracy[0]; a.PrecisionLow == nil || math.Abs(*a.PrecisionLow-0.292) > 0.001 || *a.PrecisionHigh != 1 ||
		a.RecallLow == nil || math.Abs(*a.RecallLow-0.118) > 0.001 || math.Abs(*a.RecallHigh-0.882) > 0.001 {
		t.Fatalf("accuracy intervals = %+v", a)
	}
	// a pattern not in the library is refused as reviewOutcomes and
	// fairnessReport refuse it, not answered [] (statA L5)
	for _, q := range []string{`{ accuracy(pattern: "Access-For-Gain") { pattern } }`, `{ reviewOutcomes(pattern: "Access-For-Gain") { pattern } }`} {
		if r := h.post(rev, q, nil); r.code() != probity.EINVALID || !strings.Contains(r.Errors[0].Message, graph.PatAccessForGain) {
			t.Fatalf("%s: %q %+v", q, r.code(), r.Errors)
		}
	}
	// tripwire flagged nobody: no precision (null), not 0
	h.ok(rev, `{ accuracy(pattern: "`+graph.PatTripwire+`") { pattern precision recall } }`, nil, &acc)
	if len(acc.Accuracy) != 1 || acc.Accuracy[0].Precision != nil || acc.Accuracy[0].Recall == nil {
		t.Fatalf("tripwire accuracy = %+v", acc.Accuracy)
	}
	// no traps file: the trap counts are null, not "0 of 0"; with one, counts (reviewE M1)
	var traps struct {
		AccuracyReport struct {
			TrapsFile *string
			Overall   struct{ Traps, TrapsFlagged *int }
		}
		Accuracy []struct{ Traps, TrapsFlagged *int }
	}
	h.ok(rev, `{ accuracyReport { trapsFile overall { traps trapsFlagged } } accuracy { traps trapsFlagged } }`, nil, &traps)
	if r := traps.AccuracyReport; r.TrapsFile != nil || r.Overall.Traps != nil || r.Overall.TrapsFlagged != nil || len(traps.Accuracy) != 2 || traps.Accuracy[0].Traps != nil {
		t.Fatalf("trap counts without a traps file: %+v", traps)
	}
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "truth.csv", TrapsFile: "/srv/probity/sets/traps.csv",
		Patterns: []probity.PatternAccuracy{{Pattern: graph.PatAccessForGain, Traps: 2}}})
	h.ok(rev, `{ accuracyReport { trapsFile overall { traps trapsFlagged } } accuracy { traps trapsFlagged } }`, nil, &traps)
	if r := traps.AccuracyReport; r.TrapsFile == nil || *r.TrapsFile != "traps.csv" || r.Overall.Traps == nil || *r.Overall.Traps != 2 ||
		r.Overall.TrapsFlagged == nil || *r.Overall.TrapsFlagged != 0 {
		t.Fatalf("trap counts with a traps file: %+v", traps)
	}
	// the server says whether a scan has ended since eval measured the flags
	// (reviewE L6): not when the measured scan is the latest that ended
	// well, nor for a failed or running one after it
	var fresh struct {
		AccuracyReport struct{ ScanRunId, NewerScanRunId *string }
	}
	if err := h.store.RunForTest(ctx, `CREATE (:ScanRun {id: 'SCAN-m', startedAt: datetime() + duration('PT1M'), endedAt: datetime() + duration('PT2M')}),
		(:ScanRun {id: 'SCAN-failed', startedAt: datetime() + duration('PT3M'), endedAt: datetime() + duration('PT4M'), error: 'lost Neo4j'}),
		(:ScanRun {id: 'SCAN-running', startedAt: datetime() + duration('PT5M')})`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "truth.csv", ScanRunID: "SCAN-m"})
	h.ok(rev, `{ accuracyReport { scanRunId newerScanRunId } }`, nil, &fresh)
	if r := fresh.AccuracyReport; r.ScanRunId == nil || *r.ScanRunId != "SCAN-m" || r.NewerScanRunId != nil {
		t.Fatalf("a report of the latest scan: %+v", r)
	}
	if err := h.store.RunForTest(ctx, `CREATE (:ScanRun {id: 'SCAN-later', startedAt: datetime() + duration('PT6M'), endedAt: datetime() + duration('PT7M')})`); err != nil {
		t.Fatal(err)
	}
	h.ok(rev, `{ accuracyReport { scanRunId newerScanRunId } }`, nil, &fresh)
	if r := fresh.AccuracyReport; r.NewerScanRunId == nil || *r.NewerScanRunId != "SCAN-later" {
		t.Fatalf("a report with a scan ended since: %+v", r)
	}
	// one that kept what it measured is stale only when the flags that
	// stand changed since, and says how (statA L1: every no-op
	// incremental scan had made it look stale)
	measured, err := h.store.FlaggedOfficers(ctx)
	if err != nil || len(measured) == 0 {
		t.Fatalf("flagged officers %v, %v", measured, err)
	}
	type changes struct {
		AccuracyReport struct {
			NewerScanRunId *string
			Changes        *struct{ Raised, Cleared, Rescored int }
		}
	}
	var stale changes
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "truth.csv", ScanRunID: "SCAN-m", Measured: measured})
	h.ok(rev, `{ accuracyReport { newerScanRunId changes { raised cleared rescored } } }`, nil, &stale)
	if r := stale.AccuracyReport; r.NewerScanRunId != nil || r.Changes == nil || *r.Changes != (struct{ Raised, Cleared, Rescored int }{}) {
		t.Fatalf("a scan since that changed nothing measured: %+v", r)
	}
	// a flag measured that a scan has cleared since (no officer: read by nothing else here)
	if err := h.store.RunForTest(ctx, `CREATE (:Flag {id: 'FLAG-gone', pattern: 'access-for-gain', officerId: 'O-gone', score: 1.0, status: 'new', clearedAt: datetime(), changedAt: datetime.realtime()})`); err != nil {
		t.Fatal(err)
	}
	then := map[string]map[string]float64{"access-for-gain": {"O-gone": 1}}
	for p, os := range measured {
		if then[p] == nil {
			then[p] = map[string]float64{}
		}
		for o, sc := range os {
			then[p][o] = sc
		}
	}
	for p, os := range measured { // one pair raised since
		for o := range os {
			delete(then[p], o)
			break
		}
		break
	}
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "truth.csv", ScanRunID: "SCAN-m", Measured: then})
	h.ok(rev, `{ accuracyReport { newerScanRunId changes { raised cleared rescored } } }`, nil, &stale)
	if r := stale.AccuracyReport; r.NewerScanRunId == nil || *r.NewerScanRunId != "SCAN-later" || r.Changes == nil || r.Changes.Raised != 1 || r.Changes.Cleared != 1 {
		t.Fatalf("a scan since that changed what was measured: %+v", r)
	}
	if err := h.store.RunForTest(ctx, `MATCH (f:Flag {id: 'FLAG-gone'}) DELETE f`); err != nil {
		t.Fatal(err)
	}
	// none ended since the one it measured: nothing to compare
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "truth.csv", ScanRunID: "SCAN-later", Measured: then})
	h.ok(rev, `{ accuracyReport { newerScanRunId changes { raised cleared rescored } } }`, nil, &stale)
	if r := stale.AccuracyReport; r.NewerScanRunId != nil || r.Changes != nil {
		t.Fatalf("no scan since: %+v", r)
	}
	// a report stored without its scan: what it measured is not known (reviewJ L4)
	time.Sleep(5 * time.Millisecond)
	h.store.SaveAccuracyReport(ctx, probity.AccuracyReport{TruthFile: "truth.csv"})
	h.ok(rev, `{ accuracyReport { scanRunId newerScanRunId } }`, nil, &fresh)
	if r := fresh.AccuracyReport; r.ScanRunId != nil || r.NewerScanRunId != nil {
		t.Fatalf("a report without its scan: %+v", r)
	}
	var dis struct {
		Disproportion []struct{ Attribute, Value string }
	}
	h.ok(rev, `{ disproportion(attribute: "unit") { attribute value } }`, nil, &dis)
	if len(dis.Disproportion) != len(units) {
		t.Fatalf("disproportion %+v, fairnessReport units %v", dis, units)
	}

	// suppressions and the watch list: audited admin lists
	var sup struct {
		AddSuppression struct{ ID, EntityKey, AddedBy string }
	}
	h.ok(admin, `mutation { addSuppression(id: "Address:H1", reason: "a block of flats") { id entityKey addedBy } }`, nil, &sup)
	if sup.AddSuppression.EntityKey != "H1" || sup.AddSuppression.AddedBy != "test-admin" {
		t.Fatalf("addSuppression = %+v", sup)
	}
	if r := h.post(admin, `mutation { addSuppression(id: "Address:NOPE", reason: "no such address") { id } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("suppress unknown entity: %+v", r.Errors)
	}
	// one entry an entity; the label of the id counts; a reason says something
	for q, code := range map[string]string{
		`mutation { addSuppression(id: "Address:H1", reason: "the same block again") { id } }`: probity.ECONFLICT,
		`mutation { addSuppression(id: "Officer:H1", reason: "H1 is an address") { id } }`:     probity.ENOTFOUND,
		`mutation { addSuppression(id: "Address:A1", reason: "x         y") { id } }`:          probity.EINVALID,
		// a person is no shared identifier: listing one cut every path through them (adminB H1)
		`mutation { addSuppression(id: "Person:P1", reason: "a shared family contact") { id } }`:     probity.EINVALID,
		`mutation { addSuppression(id: "Officer:O2", reason: "the station's desk officer") { id } }`: probity.EINVALID,
	} {
		if r := h.post(admin, q, nil); r.code() != code {
			t.Fatalf("%s: %+v, want %s", q, r.Errors, code)
		}
	}
	h.ok(admin, `mutation { watch(id: "Record:R1", reason: "sensitive operation") { id } }`, nil, &struct{}{})
	var lists struct {
		Suppressions []struct{ EntityKey, Reason string }
		Watchlist    []struct{ EntityKey string }
	}
	h.ok(admin, `{ suppressions { entityKey reason } watchlist { entityKey } }`, nil, &lists)
	if len(lists.Suppressions) != 1 || lists.Suppressions[0].Reason != "a block of flats" || len(lists.Watchlist) != 1 || lists.Watchlist[0].EntityKey != "R1" {
		t.Fatalf("lists = %+v", lists)
	}
	if ev := h.lastAudit(); !strings.Contains(ev.Operation, "suppressions") || !contains(ev.EntityIDs, "Address:H1") || !contains(ev.EntityIDs, "Record:R1") {
		t.Fatalf("audit of lists = %+v, want the global ids of what they name", ev)
	}
	h.ok(admin, `mutation { removeSuppression(id: "Address:H1") unwatch(id: "R1") }`, nil, &struct{}{})
	if ev := h.lastAudit(); !contains(ev.EntityIDs, "Address:H1") || !contains(ev.EntityIDs, "R1") {
		t.Fatalf("audit of removals = %+v, want what was removed", ev)
	}
	h.ok(admin, `{ suppressions { entityKey } watchlist { entityKey } }`, nil, &lists)
	if len(lists.Suppressions) != 0 || len(lists.Watchlist) != 0 {
		t.Fatalf("lists after removal = %+v", lists)
	}

	// a token can name its holder's officer record, for recusal
	var nt struct {
		CreateToken struct {
			Secret string
			Token  struct{ OfficerId *string }
		}
	}
	if r := h.post(admin, `mutation { createToken(name: "pc-x", role: analyst, officerId: "Officer:NOSUCH") { secret } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("createToken for no officer: %+v, want invalid", r.Errors)
	}
	h.ok(admin, `mutation { createToken(name: "pc-o4", role: analyst, officerId: "Officer:O4") { secret token { officerId } } }`, nil, &nt)
	if nt.CreateToken.Token.OfficerId == nil || *nt.CreateToken.Token.OfficerId != "O4" {
		t.Fatalf("createToken officerId = %+v", nt)
	}
	if ev := h.lastAudit(); !strings.Contains(ev.Purpose, "create token pc-o4 (analyst") || !contains(ev.EntityIDs, "Officer:O4") {
		t.Fatalf("createToken audit event = %+v", ev)
	}
	if tok, err := h.store.TokenByHash(context.Background(), api.HashToken(nt.CreateToken.Secret)); err != nil || tok.OfficerID != "O4" {
		t.Fatalf("stored token %+v %v", tok, err)
	}

	// schedules and webhooks through the schedule service
	var sc struct {
		AddSchedule struct{ Name, NextRunAt string }
	}
	h.ok(admin, `mutation { addSchedule(name: "nightly", cron: "0 2 * * *", incremental: true) { name nextRunAt } }`, nil, &sc)
	if sc.AddSchedule.NextRunAt == "" {
		t.Fatalf("addSchedule = %+v", sc)
	}
	// changes to schedules and webhooks are audited, with what changed
	if ev := h.lastAudit(); !strings.Contains(ev.Operation, "addSchedule") || !strings.Contains(ev.Purpose, "add schedule nightly (0 2 * * *, patterns all, incremental true") {
		t.Fatalf("addSchedule audit event %+v", ev)
	}
	// changed in place, audited as an update; an unknown one is not found
	var up struct {
		UpdateSchedule struct {
			Name, Cron  string
			Incremental bool
		}
	}
	h.ok(admin, `mutation { updateSchedule(name: "nightly", cron: "0 3 * * *", incremental: true) { name cron incremental } }`, nil, &up)
	if up.UpdateSchedule.Cron != "0 3 * * *" || !up.UpdateSchedule.Incremental {
		t.Fatalf("updateSchedule = %+v", up)
	}
	if ev := h.lastAudit(); !strings.Contains(ev.Purpose, "update schedule nightly (0 3 * * *, incremental true; the rest kept)") {
		t.Fatalf("updateSchedule audit event %+v", ev)
	}
	// an argument left out keeps the schedule's value: the mode stays
	// incremental, a disabled schedule disabled (docsJ L9)
	var kept struct {
		UpdateSchedule struct {
			Incremental, Enabled bool
			TimeoutSeconds       int
		}
	}
	h.ok(admin, `mutation { enableSchedule(name: "nightly", enabled: false) updateSchedule(name: "nightly", cron: "0 4 * * *") { incremental enabled timeoutSeconds } }`, nil, &kept)
	if k := kept.UpdateSchedule; !k.Incremental || k.Enabled || k.TimeoutSeconds != int(schedule.DefaultTimeout.Seconds()) {
		t.Fatalf("updateSchedule of the cron alone: %+v", k)
	}
	// and what it is given it changes: enabled, the time-out in seconds (mutU M1)
	h.ok(admin, `mutation { updateSchedule(name: "nightly", cron: "0 4 * * *", enabled: true, timeoutSeconds: 600, incremental: true) { incremental enabled timeoutSeconds } }`, nil, &kept)
	if k := kept.UpdateSchedule; !k.Incremental || !k.Enabled || k.TimeoutSeconds != 600 {
		t.Fatalf("updateSchedule with enabled, mode and time-out: %+v", k)
	}
	var added struct {
		AddSchedule struct {
			Enabled        bool
			TimeoutSeconds int
		}
	}
	h.ok(admin, `mutation { addSchedule(name: "held", cron: "@daily", enabled: false, timeoutSeconds: 90) { enabled timeoutSeconds } }`, nil, &added)
	if a := added.AddSchedule; a.Enabled || a.TimeoutSeconds != 90 {
		t.Fatalf("addSchedule disabled, 90 s: %+v", a)
	}
	h.ok(admin, `mutation { addSchedule(name: "plain", cron: "@daily") { enabled timeoutSeconds } }`, nil, &added)
	if a := added.AddSchedule; !a.Enabled || a.TimeoutSeconds != int(schedule.DefaultTimeout.Seconds()) {
		t.Fatalf("addSchedule with the defaults: %+v", a)
	}
	h.ok(admin, `mutation { removeSchedule(name: "held") r2: removeSchedule(name: "plain") }`, nil, &struct{}{})
	if r := h.post(admin, `mutation { updateSchedule(name: "no-such", cron: "@daily") { name } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("update of an unknown schedule: %+v", r.Errors)
	}
	if r := h.post(admin, `mutation { addSchedule(name: "typo", cron: "@daily", patterns: ["acess-for-gain"]) { name } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("unknown pattern: %+v", r.Errors)
	}
	if r := h.post(admin, `mutation { addSchedule(name: "bad", cron: "every tuesday") { name } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("bad cron: %+v", r.Errors)
	}
	if r := h.post(admin, `mutation { addSchedule(name: "nightly", cron: "@hourly") { name } }`, nil); r.code() != probity.ECONFLICT {
		t.Fatalf("duplicate schedule: %+v", r.Errors)
	}
	// a refused change is audited as an attempt, saying it failed and why
	if ev := h.lastAudit(); !strings.Contains(ev.Purpose, "add schedule nightly (@hourly") || !strings.HasSuffix(ev.Purpose, "failed addSchedule: conflict") {
		t.Fatalf("refused addSchedule audit event %+v", ev)
	}
	// an admin whose token is tied to an officer may run a schedule, not
	// stop, narrow or remove one, nor a webhook (secI L3), nor revoke a
	// token (secJ M1)
	tied := h.token("admin-tied", probity.RoleAdmin, "O1")
	for _, m := range []string{`enableSchedule(name: "nightly", enabled: false)`, `updateSchedule(name: "nightly", cron: "@yearly") { name }`,
		`removeSchedule(name: "nightly")`, `removeWebhook(id: "any")`, `revokeToken(nameOrId: "admin") { id }`} {
		if r := h.post(tied, `mutation { `+m+` }`, nil); r.code() != probity.EFORBIDDEN {
			t.Fatalf("%s with a token tied to an officer: %+v", m, r.Errors)
		}
	}
	// nor read the watch list (secK L1), nor its changes in the audit log
	// (reviewF M1: R1 was watched above)
	if r := h.post(tied, `{ watchlist { id } }`, nil); r.code() != probity.EFORBIDDEN {
		t.Fatalf("the watch list read with a token tied to an officer: %+v", r.Errors)
	}
	var wl struct {
		AuditLog struct{ Nodes []struct{ Operation string } }
	}
	for token, want := range map[string]bool{admin: true, tied: false} {
		h.ok(token, `{ auditLog(operation: "watch,unwatch", first: 50) { nodes { operation } } }`, nil, &wl)
		if got := len(wl.AuditLog.Nodes) > 0; got != want {
			t.Fatalf("watch events in the audit log (tied %v): %+v", token == tied, wl.AuditLog.Nodes)
		}
	}
	// read unfiltered, so that what the operations filter misses cannot
	// hide from both sides: no event names a watch field, a mutation's
	// begin event neither (reviewG M1: "begin watch" and its purpose showed)
	h.ok(tied, `{ auditLog(first: 200) { nodes { operation } } }`, nil, &wl)
	if i := slices.IndexFunc(wl.AuditLog.Nodes, func(n struct{ Operation string }) bool {
		return strings.Contains(n.Operation, "watch")
	}); i >= 0 || len(wl.AuditLog.Nodes) == 0 {
		t.Fatalf("the tied admin's whole audit log shows a watch event: %+v", wl.AuditLog.Nodes)
	}
	h.ok(admin, `mutation { enableSchedule(name: "nightly", enabled: false) }`, nil, &struct{}{})
	// the tied admin runs it (mutS A5), and the run is audited (mutS A6)
	h.ok(tied, `mutation { runSchedule(name: "nightly") }`, nil, &struct{}{})
	if ev := h.lastAudit(); ev.Operation != "runSchedule" || ev.Actor != "admin-tied" || !strings.Contains(ev.Purpose, "run schedule nightly now") {
		t.Fatalf("runSchedule audit event %+v", ev)
	}
	var scs struct {
		Schedules []struct {
			Name        string
			Enabled     bool
			Incremental bool
		}
	}
	h.ok(admin, `{ schedules { name enabled incremental } }`, nil, &scs)
	if len(scs.Schedules) != 1 || scs.Schedules[0].Enabled || !scs.Schedules[0].Incremental {
		t.Fatalf("schedules = %+v", scs)
	}
	var wh struct {
		AddWebhook struct {
			Secret  string
			Webhook struct{ ID, URL string }
		}
	}
	h.ok(admin, `mutation { addWebhook(url: "https://alerts.example.test/probity", minScore: 0.5) { secret webhook { id url } } }`, nil, &wh)
	if len(wh.AddWebhook.Secret) < 16 || wh.AddWebhook.Webhook.ID == "" {
		t.Fatalf("addWebhook = %+v", wh)
	}
	if ev := h.lastAudit(); !strings.Contains(ev.Purpose, "add webhook https://alerts.example.test/probity (min score 0.5)") {
		t.Fatalf("addWebhook audit event %+v", ev)
	}
	// the delivery log: newest first, per webhook or all
	for i, st := range []string{probity.DeliveryFailed, probity.DeliveryGaveUp} {
		d := probity.WebhookDelivery{ID: fmt.Sprintf("dlv-x/%d", i+1), DeliveryID: "dlv-x", Webhook: wh.AddWebhook.Webhook.ID, FlagID: "F1",
			Attempt: i + 1, Status: st, HTTPStatus: 502, Error: "HTTP 502", At: time.Now().UTC().Add(time.Duration(i) * time.Second)}
		if err := h.store.RecordDelivery(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	var dl struct {
		WebhookDeliveries []struct {
			ID, DeliveryId, WebhookId, FlagId, Status string
			Attempt                                   int
			HttpStatus                                *int
		}
	}
	h.ok(admin, `query($w: String) { webhookDeliveries(webhookId: $w, first: 10) { id deliveryId webhookId flagId attempt status httpStatus } }`,
		map[string]any{"w": wh.AddWebhook.Webhook.ID}, &dl)
	if len(dl.WebhookDeliveries) != 2 || dl.WebhookDeliveries[0].Status != probity.DeliveryGaveUp || dl.WebhookDeliveries[0].Attempt != 2 ||
		dl.WebhookDeliveries[0].HttpStatus == nil || *dl.WebhookDeliveries[0].HttpStatus != 502 || dl.WebhookDeliveries[1].DeliveryId != "dlv-x" {
		t.Fatalf("webhookDeliveries = %+v", dl.WebhookDeliveries)
	}
	// an alert of a flag about the tied admin's officer is not theirs to
	// see; the read is audited, naming the flags (secK H1)
	if err := h.store.RunForTest(context.Background(), `MATCH (o:Officer {id: 'O1'})
		CREATE (:Flag {id: 'FLAG-aboutO1', pattern: 'co-accused-crew', officerId: 'O1', score: 0.5, status: 'new', evidenceIds: ['O1'],
		  evidence: '{"nodes":[{"id":"O1","label":"Officer"}],"edges":[]}', parameters: '{}', firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o)
		CREATE (:Flag {id: 'F1', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new', evidenceIds: ['O2'],
		  evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}', firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})
		CREATE (:Flag {id: 'FLAG-namesO1', pattern: 'collusion-ring', officerId: 'O2', score: 0.5, status: 'new', evidenceIds: ['O1', 'O2'],
		  evidence: '{"nodes":[{"id":"O1","label":"Officer"},{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}', firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})`); err != nil {
		t.Fatal(err)
	}
	for i, f := range []string{"FLAG-gone", "FLAG-namesO1", "FLAG-aboutO1"} { // a flag no longer held: whose it was cannot be told (reviewG L2); one naming O1 in its evidence (mutU M4)
		if err := h.store.RecordDelivery(context.Background(), probity.WebhookDelivery{ID: "dlv-o1/" + f, DeliveryID: "dlv-o1", Webhook: wh.AddWebhook.Webhook.ID,
			FlagID: f, Attempt: 1, Status: probity.DeliveryOK, HTTPStatus: 200, At: time.Now().UTC().Add(time.Duration(4+i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	seen := func(token string, first ...int) []string {
		n := append(first, 10)[0]
		var d struct{ WebhookDeliveries []struct{ FlagId string } }
		h.ok(token, `query($n: Int) { webhookDeliveries(first: $n) { flagId } }`, map[string]any{"n": n}, &d)
		var ids []string
		for _, x := range d.WebhookDeliveries {
			ids = append(ids, x.FlagId)
		}
		return ids
	}
	if ids := seen(admin); !slices.Contains(ids, "FLAG-aboutO1") || !contains(h.lastAudit().EntityIDs, "FLAG-aboutO1") {
		t.Fatalf("an admin's delivery log %v, audit %+v", ids, h.lastAudit())
	}
	if ids := seen(tied); slices.Contains(ids, "FLAG-aboutO1") || slices.Contains(ids, "FLAG-gone") || slices.Contains(ids, "FLAG-namesO1") || !slices.Contains(ids, "F1") {
		t.Fatalf("the tied admin's delivery log %v: want F1, not the flag about O1", ids)
	}
	// left out in the query, not after the page is cut: the newest
	// alert is the hidden one, and a page of one still holds one (reviewF L1)
	if ids := seen(tied, 1); !slices.Equal(ids, []string{"F1"}) {
		t.Fatalf("the tied admin's delivery log, first 1: %v", ids)
	}
	if r := h.post(admin, `{ webhooks { id secret } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("a webhook's secret can be read back: %+v", r.Errors)
	}
	if r := h.post(admin, `mutation { addWebhook(url: "ftp://x") { secret } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("bad webhook url: %+v", r.Errors)
	}
	h.ok(admin, `mutation($id: String!) { removeWebhook(id: $id) removeSchedule(name: "nightly") }`, map[string]any{"id": wh.AddWebhook.Webhook.ID}, &struct{}{})

	// saved charts belong to their owner and are audited
	var ch struct {
		SaveChart struct{ ID, Name, Owner, Json string }
	}
	h.ok(an, `mutation { saveChart(name: "O1 case file", json: "{\"nodes\":[\"Officer:O1\"]}") { id name owner json } }`, nil, &ch)
	if ch.SaveChart.Owner != "test-analyst" || ch.SaveChart.Json != `{"nodes":["Officer:O1"]}` {
		t.Fatalf("saveChart = %+v", ch)
	}
	if ev := h.lastAudit(); ev.Operation != "saveChart" || !contains(ev.EntityIDs, ch.SaveChart.ID) {
		t.Fatalf("audit of saveChart = %+v", ev)
	}
	for _, q := range []string{`mutation { saveChart(name: "x", json: "{not json") { id } }`, `mutation { saveChart(name: "x") { id } }`,
		`mutation { saveChart(name: "x", json: "{}", document: "[]") { id } }`} {
		if r := h.post(an, q, nil); r.code() != probity.EINVALID {
			t.Fatalf("%s: %+v", q, r.Errors)
		}
	}
	var doc struct {
		SaveChart struct{ Json, Document string }
	}
	h.ok(an, `mutation { saveChart(name: "as document", document: "[1]") { json document } }`, nil, &doc)
	if doc.SaveChart.Json != "[1]" || doc.SaveChart.Document != "[1]" {
		t.Fatalf("saveChart(document:) = %+v", doc)
	}
	var charts struct {
		Charts []struct{ ID string }
		Chart  *struct{ Name string }
	}
	h.ok(an, `query($id: ID!) { charts { id } chart(id: $id) { name } }`, map[string]any{"id": ch.SaveChart.ID}, &charts)
	if len(charts.Charts) != 2 || charts.Chart == nil || charts.Chart.Name != "O1 case file" {
		t.Fatalf("charts = %+v", charts)
	}
	// the list with the documents reads the entities they hold
	h.ok(an, `{ charts { id json } }`, nil, &struct{}{})
	if ev := h.lastAudit(); ev.Operation != "charts" || !contains(ev.EntityIDs, "Officer:O1") {
		t.Fatalf("audit of charts with their documents = %+v, want the officer they hold", ev)
	}
	if r := h.post(rev, `query($id: ID!) { chart(id: $id) { name } }`, map[string]any{"id": ch.SaveChart.ID}); r.code() != probity.ENOTFOUND {
		t.Fatalf("someone else's chart: %+v", r.Errors)
	}
	h.ok(an, `query($id: ID!) { chart(id: $id) { name } }`, map[string]any{"id": ch.SaveChart.ID}, &struct{}{})
	if ev := h.lastAudit(); ev.Operation != "chart" || !contains(ev.EntityIDs, ch.SaveChart.ID) || !contains(ev.EntityIDs, "Officer:O1") {
		t.Fatalf("audit of chart = %+v, want the chart and the officer it holds", ev)
	}
	h.ok(an, `mutation($id: ID!) { deleteChart(id: $id) }`, map[string]any{"id": ch.SaveChart.ID}, &struct{}{})
	if r := h.post(an, `mutation($id: ID!) { deleteChart(id: $id) }`, map[string]any{"id": ch.SaveChart.ID}); r.code() != probity.ENOTFOUND {
		t.Fatalf("delete twice: %+v", r.Errors)
	}
	var ops []string
	for _, e := range h.audit() {
		ops = append(ops, e.Operation)
	}
	sort.Strings(ops)
	if v, err := h.store.VerifyAudit(ctx); err != nil || !v.OK() {
		t.Fatalf("audit chain: %+v %v (ops %v)", v, err, ops)
	}
}

// A second pair of eyes is another person: a reviewer token of the officer
// whose analyst token referred the flag cannot confirm the referral.
func TestConfirmReferralByTheReferrersOfficer(t *testing.T) {
	h := scanned(t)
	id := o1Flag(t, h).ID
	analyst := h.token("pc-o4-analyst", probity.RoleAnalyst, "O4")
	reviewer := h.token("pc-o4-reviewer", probity.RoleReviewer, "O4")
	for _, d := range []string{"in_review", "referred_investigation"} {
		if r := h.post(analyst, `mutation($id: ID!, $d: FlagStatus!) { reviewFlag(id: $id, decision: $d, reason: "payment after the look-up") { id } }`,
			map[string]any{"id": id, "d": d}); r.code() != "" {
			t.Fatalf("%s: %+v", d, r.Errors)
		}
	}
	confirm := func(token string) response {
		return h.post(token, `mutation($id: ID!) { confirmReferral(id: $id, reason: "agree") { status } }`, map[string]any{"id": id})
	}
	if r := confirm(reviewer); r.code() != probity.ECONFLICT || !strings.Contains(r.Errors[0].Message, "another person") {
		t.Fatalf("the referrer's officer confirms with another token: %+v, want conflict", r.Errors)
	}
	if r := confirm(h.tokens[probity.RoleReviewer]); r.code() != "" {
		t.Fatalf("another reviewer confirms: %+v", r.Errors)
	}
}

// TestAuditLogFilters: a reviewer asks who has seen an officer's data,
// who revealed names and who decided on a flag, newest first.
func TestAuditLogFilters(t *testing.T) {
	h := scanned(t)
	an, rev := h.tokens[probity.RoleAnalyst], h.tokens[probity.RoleReviewer]
	flags, _, _ := h.queue(an, map[string]any{"text": "O1"}, 10, nil)
	id := ""
	for _, f := range flags {
		if f.Officer.ID == "Officer:O1" {
			id = f.ID
		}
	}
	if id == "" {
		t.Fatalf("no flag of O1 in %+v", flags)
	}
	h.ok(an, `mutation { revealIdentity(flagId: "`+id+`", purpose: "referral 7: confirm identity") { flagId } }`, nil, &struct{}{})
	h.ok(an, `mutation { reviewFlag(id: "`+id+`", decision: in_review, reason: "checking the payment") { id } }`, nil, &struct{}{})
	h.queue(an, map[string]any{"text": "O2"}, 10, nil) // someone else's flags: not about O1

	type page struct {
		AuditLog struct {
			Nodes []struct {
				Seq                 int
				Actor, Operation    string
				EntityIds, Revealed []string
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	log := func(args string) page {
		t.Helper()
		var d page
		h.ok(rev, `{ auditLog(`+args+`) { nodes { seq actor operation entityIds revealed } pageInfo { hasNextPage endCursor } } }`, nil, &d)
		return d
	}
	all := log(`first: 200`).AuditLog.Nodes
	// a period that holds no time is refused, not answered "no events"
	if r := h.post(rev, `{ auditLog(from: "2026-11-28", to: "2026-11-27") { nodes { seq } } }`, nil); r.code() != probity.EINVALID || !strings.Contains(r.Errors[0].Message, "not after from") {
		t.Fatalf("to before from: %+v, want invalid", r.Errors)
	}
	want := map[string][]int{} // filter → seqs, worked out from the whole log
	for _, e := range all {
		if contains(e.EntityIds, "Officer:O1") {
			want["officer"] = append(want["officer"], e.Seq)
		}
		if len(e.Revealed) > 0 {
			want["revealed"] = append(want["revealed"], e.Seq)
		}
		if e.Operation == "reviewFlag" && contains(e.EntityIds, id) {
			want["review"] = append(want["review"], e.Seq)
		}
	}
	if len(want["officer"]) < 3 || len(want["revealed"]) != 1 || len(want["review"]) != 1 || len(want["officer"]) == len(all) {
		t.Fatalf("the log does not hold what the test needs: %+v from %+v", want, all)
	}
	// reading the log about O1 is itself an event about O1: compare the
	// events that were there when the whole log was read
	last := all[len(all)-1].Seq
	seqs := func(d page) []int {
		var out []int
		for _, e := range d.AuditLog.Nodes {
			if e.Seq <= last {
				out = append(out, e.Seq)
			}
		}
		return out
	}
	for args, w := range map[string][]int{
		`entity: "Officer:O1"`: want["officer"],
		`entity: " O1 "`:       want["officer"], // an import id under any label
		`revealed: true`:       want["revealed"],
		`entity: "` + id + `", operation: "reviewFlag"`:      want["review"],
		`operation: "revealIdentity", actor: "test-analyst"`: want["revealed"],
	} {
		if got := seqs(log(args)); !slices.Equal(got, w) {
			t.Errorf("auditLog(%s) = seqs %v, want %v", args, got, w)
		}
	}
	// the question is on the record: the reviewer's read names the filters and the entity asked about
	log(`entity: "Officer:O1", operation: "reviewFlag"`)
	if ev := h.lastAudit(); ev.Operation != "auditLog" || !strings.Contains(ev.Purpose, `entity "Officer:O1", operation "reviewFlag"`) || !contains(ev.EntityIDs, "Officer:O1") {
		t.Fatalf("the audit of an audit-log read: %+v", ev)
	}
	// newest first, page by page, gives the same events backwards
	var back []int
	var after *string
	for {
		var d page
		h.ok(rev, `query($a: String) { auditLog(entity: "Officer:O1", newestFirst: true, first: 2, after: $a) { nodes { seq } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"a": after}, &d)
		back = append(back, seqs(d)...)
		if !d.AuditLog.PageInfo.HasNextPage {
			break
		}
		after = d.AuditLog.PageInfo.EndCursor
	}
	fwd := slices.Clone(want["officer"])
	slices.Reverse(fwd)
	if !slices.Equal(back, fwd) {
		t.Fatalf("newest first: %v, want %v", back, fwd)
	}
}

// TestFlagQueueOrderByRisk: order: RISK lists the officers by their risk
// (as officerRisk says), an officer's flags together; its pages follow
// its own cursors, and a cursor of the score order is refused.
func TestFlagQueueOrderByRisk(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	type row struct {
		ID          string
		Score       float64
		Officer     struct{ ID string }
		OfficerRisk struct{ Risk float64 }
	}
	page := func(first int, after *string) ([]row, *string, bool) {
		var d struct {
			Flags struct {
				Nodes    []row
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		h.ok(an, `query($n: Int, $a: String) { flags(first: $n, after: $a, order: RISK) { nodes { id score officer { id } officerRisk { risk } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"n": first, "a": after}, &d)
		return d.Flags.Nodes, d.Flags.PageInfo.EndCursor, d.Flags.PageInfo.HasNextPage
	}
	all, _, _ := page(200, nil)
	if len(all) < 3 {
		t.Fatalf("queue by risk: %d flags", len(all))
	}
	seen := map[string]bool{}
	for i, f := range all {
		if i > 0 {
			p := all[i-1]
			if p.OfficerRisk.Risk < f.OfficerRisk.Risk || (p.Officer.ID == f.Officer.ID && p.Score < f.Score) {
				t.Fatalf("order by risk broken at %d: %+v after %+v", i, f, p)
			}
			if p.Officer.ID != f.Officer.ID && seen[f.Officer.ID] {
				t.Fatalf("%s's flags are not together: %+v", f.Officer.ID, all)
			}
		}
		seen[f.Officer.ID] = true
	}
	var paged []string
	var after *string
	for {
		nodes, end, more := page(2, after)
		for _, f := range nodes {
			paged = append(paged, f.ID)
		}
		if !more {
			break
		}
		after = end
	}
	for i, f := range all {
		if i >= len(paged) || paged[i] != f.ID {
			t.Fatalf("paged by risk %v, whole %+v", paged, all)
		}
	}
	_, scoreCursor, _ := h.queue(an, nil, 1, nil)
	if r := h.post(an, `query($a: String) { flags(after: $a, order: RISK) { nodes { id } } }`, map[string]any{"a": scoreCursor}); r.code() != probity.EINVALID {
		t.Fatalf("a score cursor in the order by risk: %+v", r.Errors)
	}
	// the filter on the triage order: officers of at least this risk
	floor := all[len(all)/2].OfficerRisk.Risk
	var d struct {
		Flags struct{ Nodes []row }
	}
	h.ok(an, `query($m: Float) { flags(filter: {minRisk: $m}, first: 200, order: RISK) { nodes { id score officer { id } officerRisk { risk } } } }`, map[string]any{"m": floor}, &d)
	want := 0
	for _, f := range all {
		if f.OfficerRisk.Risk >= floor {
			want++
		}
	}
	if len(d.Flags.Nodes) != want || want == 0 {
		t.Fatalf("minRisk %v: %d flags, want %d", floor, len(d.Flags.Nodes), want)
	}
	if r := h.post(an, `{ flags(filter: {minRisk: 1.5}) { nodes { id } } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("minRisk 1.5: %+v, want invalid", r.Errors)
	}
}

// TestReviewOutcomes: what reviewers decided, per pattern: a referral
// (confirmed by a second reviewer) and a false positive move their
// patterns' counts and upheld shares; open flags are counted as open.
func TestReviewOutcomes(t *testing.T) {
	h := scanned(t)
	an, rev := h.tokens[probity.RoleAnalyst], h.tokens[probity.RoleReviewer]
	type outcome struct {
		Pattern                                                                                        string
		Open, InReview, Referred, Confirmed, PreventionNotice, NoFurtherAction, FalsePositive, Decided int
		Upheld, UpheldLow, UpheldHigh                                                                  *float64
	}
	outcomes := func() map[string]outcome {
		t.Helper()
		var d struct{ ReviewOutcomes []outcome }
		h.ok(rev, `{ reviewOutcomes { pattern open inReview referred confirmed preventionNotice noFurtherAction falsePositive decided upheld upheldLow upheldHigh } }`, nil, &d)
		out := map[string]outcome{}
		for _, o := range d.ReviewOutcomes {
			out[o.Pattern] = o
		}
		return out
	}
	before := outcomes()
	flags, _, _ := h.queue(an, nil, 200, nil)
	if len(flags) < 2 {
		t.Fatalf("%d flags", len(flags))
	}
	total := 0
	for _, o := range before {
		total += o.Open
		if o.Decided != 0 || o.Upheld != nil {
			t.Fatalf("before any decision: %+v", o)
		}
	}
	if total != len(flags) {
		t.Fatalf("open flags counted %d, the queue holds %d", total, len(flags))
	}
	referred, dismissed := flags[0], flags[1]
	decide := func(token, id, decision, reason string) {
		h.ok(token, `mutation($id: ID!, $d: FlagStatus!, $r: String!) { reviewFlag(id: $id, decision: $d, reason: $r) { id } }`,
			map[string]any{"id": id, "d": decision, "r": reason}, &struct{}{})
	}
	decide(an, referred.ID, "in_review", "checking the chain")
	decide(an, referred.ID, "referred_investigation", "payment follows the look-up")
	h.ok(rev, `mutation($id: ID!) { confirmReferral(id: $id, reason: "the chain holds") { id } }`, map[string]any{"id": referred.ID}, &struct{}{})
	decide(an, dismissed.ID, "in_review", "checking the link")
	decide(an, dismissed.ID, "false_positive", "the address is a hostel")
	after := outcomes()
	want := map[string]outcome{}
	for p, o := range before {
		want[p] = o
	}
	r := want[referred.Pattern]
	r.Open, r.Referred, r.Confirmed, r.Decided = r.Open-1, r.Referred+1, r.Confirmed+1, r.Decided+1
	want[referred.Pattern] = r
	d := want[dismissed.Pattern]
	d.Open, d.FalsePositive, d.Decided = d.Open-1, d.FalsePositive+1, d.Decided+1
	want[dismissed.Pattern] = d
	for p, w := range want {
		got := after[p]
		upheld, low, high := got.Upheld, got.UpheldLow, got.UpheldHigh
		got.Upheld, w.Upheld, got.UpheldLow, got.UpheldHigh, w.UpheldLow, w.UpheldHigh = nil, nil, nil, nil, nil, nil
		if got != w {
			t.Errorf("%s: %+v, want %+v", p, got, w)
		}
		var wantUpheld *float64
		if decided := after[p].Decided; decided > 0 {
			u := float64(after[p].Referred) / float64(decided)
			wantUpheld = &u
			// its exact interval holds it, and is wide on one decision
			if lo, hi, _ := stats.ExactInterval(after[p].Referred, decided); low == nil || high == nil || *low != lo || *high != hi || (decided == 1 && hi-lo < 0.9) {
				t.Errorf("%s: upheld interval %v-%v, want %v-%v", p, low, high, lo, hi)
			}
		}
		if (upheld == nil) != (wantUpheld == nil) || (upheld != nil && *upheld != *wantUpheld) {
			t.Errorf("%s: upheld %v, want %v", p, upheld, wantUpheld)
		}
	}
	if r := h.post(an, `{ reviewOutcomes { pattern } }`, nil); r.code() != probity.EFORBIDDEN {
		t.Fatalf("an analyst reading review outcomes: %+v", r.Errors)
	}
}

// TestLargeListsUnderAliases: the audit log may be asked once a request,
// and a queue's flags with their evidence count against the request's
// budget of listed items, so that aliases cannot multiply pages (secC H3:
// 40 aliased auditLog pages took the server from 1.7 to 5.5 GB).
func TestLargeListsUnderAliases(t *testing.T) {
	h := scanned(t)
	if r := h.post(h.tokens[probity.RoleReviewer], `{ a: auditLog(first: 1) { nodes { seq } } b: auditLog(first: 1) { nodes { seq } } }`, nil); r.code() != probity.ELIMIT {
		t.Fatalf("two auditLog in one request: %+v, want limit", r.Errors)
	}
	var one struct {
		AuditLog struct{ Nodes []struct{ Seq int } }
	}
	h.ok(h.tokens[probity.RoleReviewer], `{ auditLog(first: 1) { nodes { seq } } }`, nil, &one)
	flags, _, _ := h.queue(h.tokens[probity.RoleAnalyst], nil, 200, nil)
	per := 0 // what one queue page costs: its flags and their evidence's entities
	for _, f := range flags {
		per += 1 + len(f.Evidence.Nodes)
	}
	small := newHarnessOn(t, h, api.Limits{MaxLinked: per + per/2})
	q := `{ a: flags(first: 200) { nodes { id } } b: flags(first: 200) { nodes { id } } }`
	if r := small.post(small.tokens[probity.RoleAnalyst], q, nil); r.code() != probity.ELIMIT {
		t.Fatalf("two whole queues over a budget of one and a half: %+v, want limit", r.Errors)
	}
	// the other wide reads of secD: saved charts, the reports over every
	// officer and the chain's check once a request; a flag's notes count
	rev := h.tokens[probity.RoleReviewer]
	for _, q := range []string{
		`{ a: charts { id } b: charts { id } }`,
		`{ a: fairnessReport { rate } b: fairnessReport { rate } }`,
		`{ a: auditVerification { ok } b: auditVerification { ok } }`,
	} {
		if r := h.post(rev, q, nil); r.code() != probity.ELIMIT {
			t.Errorf("%s: %+v, want limit", q, r.Errors)
		}
	}
	id := flags[0].ID
	for i := range 3 {
		h.ok(h.tokens[probity.RoleAnalyst], `mutation($id: ID!, $t: String!) { noteFlag(id: $id, text: $t) { id } }`, map[string]any{"id": id, "t": fmt.Sprintf("note %d", i)}, &struct{}{})
	}
	tiny := newHarnessOn(t, h, api.Limits{MaxLinked: 4})
	if r := tiny.post(tiny.tokens[probity.RoleAnalyst], `query($id: ID!) { a: flag(id: $id) { notes { text } } b: flag(id: $id) { notes { text } } }`, map[string]any{"id": id}); r.code() != probity.ELIMIT {
		t.Fatalf("a flag's 3 notes twice over a budget of 4: %+v, want limit", r.Errors)
	}
	long := strings.Repeat("x", 201)
	if r := h.post(rev, `query($e: String) { auditLog(entity: $e) { nodes { seq } } }`, map[string]any{"e": long}); r.code() != probity.ELIMIT {
		t.Fatalf("an auditLog filter of 201 bytes: %+v, want limit", r.Errors)
	}
	many := strings.TrimSuffix(strings.Repeat("a,", 13), ",")
	if r := h.post(rev, `query($o: String) { auditLog(operation: $o) { nodes { seq } } }`, map[string]any{"o": many}); r.code() != probity.ELIMIT || !strings.Contains(r.Errors[0].Message, "13 names") {
		t.Fatalf("an auditLog filter of 13 operations: %+v, want limit", r.Errors)
	}
	// 12 are taken, a trailing comma or two not counted as names (mutS A8, A9)
	for _, o := range []string{strings.Repeat("a,", 12), strings.Repeat("a,", 11) + "a"} {
		if r := h.post(rev, `query($o: String) { auditLog(operation: $o) { nodes { seq } } }`, map[string]any{"o": o}); len(r.Errors) != 0 {
			t.Fatalf("an auditLog filter of 12 operations (%q): %+v", o, r.Errors)
		}
	}
}

// TestRecusalOfOfficersInTheEvidence: an officer named in a flag's
// evidence (a co-accused partner) is as much its subject as the flagged
// officer: no decision and no note on it, and the refused attempt is
// audited with the flag's id (secC H2).
func TestRecusalOfOfficersInTheEvidence(t *testing.T) {
	h := newHarness(t, `
		(A:Officer {unit: 'U1'})-[:NAMED_IN {role: 'accused'}]->(C1:Complaint)<-[:NAMED_IN {role: 'accused'}]-(B:Officer {unit: 'U2'})
		(A)-[:NAMED_IN {role: 'accused'}]->(C2:Complaint)<-[:NAMED_IN {role: 'accused'}]-(B)
		(R:Officer {unit: 'U2'})
	`, api.Limits{})
	if _, err := h.store.Scan(context.Background(), probity.ScanOptions{Patterns: []string{"co-accused-crew"}}); err != nil {
		t.Fatal(err)
	}
	partner := h.token("partner", probity.RoleReviewer, "B")
	var aFlag string
	flags, _, _ := h.queue(h.tokens[probity.RoleAnalyst], nil, 10, nil)
	for _, f := range flags {
		if f.Officer.ID == "Officer:A" {
			aFlag = f.ID
		}
	}
	if aFlag == "" {
		t.Fatalf("no co-accused flag of A in %+v", flags)
	}
	if r := h.post(partner, `query($id: ID!) { flag(id: $id) { id } }`, map[string]any{"id": aFlag}); r.code() != probity.ENOTFOUND {
		t.Fatalf("A's flag read by B's token: %+v, want not_found", r.Errors)
	}
	if rows, _, _ := h.queue(partner, nil, 200, nil); len(rows) != 0 {
		t.Fatalf("B's queue lists the crew's flags: %+v", rows)
	}
	for _, ack := range []bool{false, true} {
		r := h.post(partner, `mutation($id: ID!, $a: Boolean) { reviewFlag(id: $id, decision: in_review, reason: "my partner's flag", acknowledgeLink: $a) { id } }`,
			map[string]any{"id": aFlag, "a": ack})
		if r.code() != probity.ENOTFOUND {
			t.Fatalf("B reviews A's co-accused flag (acknowledgeLink %v): %+v, want not_found", ack, r.Errors)
		}
		if ev := h.lastAudit(); !contains(ev.EntityIDs, aFlag) || !strings.Contains(ev.Purpose, "refused on "+aFlag) {
			t.Fatalf("the refused attempt's audit event: %+v", ev)
		}
	}
	if r := h.post(partner, `mutation($id: ID!) { noteFlag(id: $id, text: "nothing in it") { id } }`, map[string]any{"id": aFlag}); r.code() != probity.ENOTFOUND {
		t.Fatalf("B notes A's flag: %+v, want not_found", r.Errors)
	}
	if r := h.post(partner, `mutation($id: ID!) { revealIdentity(flagId: $id, purpose: "who is in it") { flagId } }`, map[string]any{"id": aFlag}); r.code() != probity.ENOTFOUND {
		t.Fatalf("B reveals the names of A's flag: %+v, want not_found", r.Errors)
	}
	// nor does the audit log tell B of it: the events naming B are not B's to read
	// a flag id made up is refused as A's is, and neither attempt shows in
	// B's audit log: else an id that exists would differ from one made up (secF)
	if r := h.post(partner, `mutation { reviewFlag(id: "FLAG-0000000000000000", decision: in_review, reason: "is this one about me?") { id } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("a made-up flag id: %+v, want not_found", r.Errors)
	}
	if r := h.post(partner, `{ flag(id: "FLAG-0000000000000001") { id } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("a made-up flag id read: %+v, want not_found", r.Errors)
	}
	var mine struct {
		AuditLog struct {
			Nodes []struct {
				Actor, Purpose string
				EntityIds      []string
			}
		}
	}
	h.ok(partner, `{ auditLog(first: 200) { nodes { actor purpose entityIds } } }`, nil, &mine)
	for _, e := range mine.AuditLog.Nodes {
		if contains(e.EntityIds, "Officer:B") || contains(e.EntityIds, aFlag) || e.Actor == "partner" && (strings.Contains(e.Purpose, "not_found") || len(e.EntityIds) == 0) {
			t.Fatalf("B reads an audit event about its own record, or of its lookup that found nothing: %+v", e)
		}
	}
	var others struct {
		AuditLog struct{ Nodes []struct{ Seq int } }
	}
	h.ok(h.tokens[probity.RoleReviewer], `{ auditLog(entity: "Officer:B") { nodes { seq } } }`, nil, &others)
	if len(others.AuditLog.Nodes) == 0 {
		t.Fatal("another reviewer finds no event about B: the test shows nothing")
	}
	// a reviewer in the co-subject B's unit is asked to recuse from A's
	// flag too: the crew's case is B's as much as A's (secD)
	colleague := h.token("b-colleague", probity.RoleReviewer, "R")
	var rec struct {
		Flag struct {
			Recusal struct {
				Required bool
				Reasons  []string
			}
		}
	}
	h.ok(colleague, `query($id: ID!) { flag(id: $id) { recusal { required reasons } } }`, map[string]any{"id": aFlag}, &rec)
	if !rec.Flag.Recusal.Required || len(rec.Flag.Recusal.Reasons) != 1 || !strings.HasPrefix(rec.Flag.Recusal.Reasons[0], "co-subject B, named in the evidence: same unit (U2)") {
		t.Fatalf("recusal of B's unit colleague on A's flag: %+v", rec.Flag.Recusal)
	}
	if r := h.post(colleague, `mutation($id: ID!) { reviewFlag(id: $id, decision: in_review, reason: "taking it") { id } }`, map[string]any{"id": aFlag}); r.code() != probity.ECONFLICT || !strings.Contains(r.Errors[0].Message, "co-subject") {
		t.Fatalf("B's colleague reviews A's flag unasked: %+v, want conflict recuse", r.Errors)
	}
}

// TestPseudonymFilterAudited: asking the queue or its counts about a
// pseudonym tells whether that officer is flagged, with no flag in the
// answer: the audit event names the officer.
func TestPseudonymFilterAudited(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	flags, _, _ := h.queue(an, nil, 1, nil)
	o := flags[0].Officer
	h.ok(an, `query($t: String) { flagCounts(filter: {text: $t, status: [false_positive]}) { total } }`, map[string]any{"t": o.Pseudonym}, &struct{}{})
	if ev := h.lastAudit(); !contains(ev.EntityIDs, o.ID) {
		t.Fatalf("counts asked by pseudonym %s: audit ids %v lack %s", o.Pseudonym, ev.EntityIDs, o.ID)
	}
	h.ok(an, `query($t: String) { flags(filter: {text: $t, status: [false_positive]}) { totalCount nodes { id } } }`, map[string]any{"t": o.Pseudonym}, &struct{}{})
	if ev := h.lastAudit(); !contains(ev.EntityIDs, o.ID) {
		t.Fatalf("an empty page asked by pseudonym %s: audit ids %v lack %s", o.Pseudonym, ev.EntityIDs, o.ID)
	}
	// by the officer's id, likewise
	importID := strings.TrimPrefix(o.ID, "Officer:")
	h.ok(an, `query($t: String) { flagCounts(filter: {text: $t, status: [false_positive]}) { total } }`, map[string]any{"t": importID}, &struct{}{})
	if ev := h.lastAudit(); !contains(ev.EntityIDs, o.ID) {
		t.Fatalf("counts asked by id %s: audit ids %v lack %s", importID, ev.EntityIDs, o.ID)
	}
}

// An argument with a default whose variable the request leaves out, or
// sends as null, takes the default, as when the document leaves the
// argument out (GraphQL's CoerceArgumentValues; graphql-go had answered
// "got null for non-null", apiY): the same answer both ways.
func TestOmittedVariablesTakeArgumentDefaults(t *testing.T) {
	h := scanned(t)
	an, rev := h.tokens[probity.RoleAnalyst], h.tokens[probity.RoleReviewer]
	same := func(token, withVars, literal string, vars map[string]any) {
		t.Helper()
		var a, b any
		h.ok(token, literal, nil, &b)
		for _, v := range []map[string]any{nil, vars} {
			h.ok(token, withVars, v, &a)
			if ja, jb := fmt.Sprint(a), fmt.Sprint(b); ja != jb {
				t.Fatalf("%s with %v:\n%s\nwant, as %s:\n%s", withVars, v, ja, literal, jb)
			}
		}
	}
	same(an, `query($n: Int, $o: FlagOrder) { flags(first: $n, order: $o) { nodes { id } pageInfo { hasNextPage } } }`,
		`{ flags { nodes { id } pageInfo { hasNextPage } } }`, map[string]any{"n": nil, "o": nil})
	same(an, `query($d: Int, $l: Int) { neighbourhood(ids: ["Officer:O1"], depth: $d, limit: $l) { nodes { id } } }`,
		`{ neighbourhood(ids: ["Officer:O1"]) { nodes { id } } }`, map[string]any{"d": nil, "l": nil})
	same(an, `query($h: Int, $t: Boolean, $f: Int) { paths(from: "Officer:O1", to: "Person:P1", maxHops: $h, throughHubs: $t, first: $f) { paths { nodeIds } } }`,
		`{ paths(from: "Officer:O1", to: "Person:P1") { paths { nodeIds } } }`, map[string]any{"h": nil, "t": nil, "f": nil})
	same(an, `query($f: Int) { node(id: "Officer:O1") { ... on Officer { accesses(first: $f) { edges { at } pageInfo { hasNextPage } } } } }`,
		`{ node(id: "Officer:O1") { ... on Officer { accesses { edges { at } pageInfo { hasNextPage } } } } }`, map[string]any{"f": nil})
	same(an, `query($f: Int) { scanRuns(first: $f) { nodes { id } } }`, `{ scanRuns { nodes { id } } }`, map[string]any{"f": nil})
	same(rev, `query($f: Int, $r: Boolean, $n: Boolean) { auditLog(first: $f, revealed: $r, newestFirst: $n, operation: "scanRuns") { nodes { seq } } }`,
		`{ auditLog(operation: "scanRuns") { nodes { seq } } }`, map[string]any{"f": nil, "r": nil, "n": nil})
	// A value given by a variable still counts, and a wrong one is refused.
	var d struct {
		Flags struct{ Nodes []struct{ ID string } }
	}
	h.ok(an, `query($n: Int) { flags(first: $n) { nodes { id } } }`, map[string]any{"n": 1}, &d)
	if len(d.Flags.Nodes) != 1 {
		t.Fatalf("first: $n = 1 gave %d flags", len(d.Flags.Nodes))
	}
	if r := h.post(an, `query($n: Int) { flags(first: $n) { nodes { id } } }`, map[string]any{"n": 1.5}); r.code() != probity.EINVALID {
		t.Fatalf("first: 1.5 = %+v, want invalid", r.Errors)
	}
}

// flags(filter: {changedSince}) lists the flags changed since then in every
// state, each with its changedAt; a decision moves changedAt; a bad time
// is invalid.
func TestFlagsChangedSince(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	type page struct {
		Flags struct {
			Nodes []struct{ ID, Status, ChangedAt string }
		}
	}
	list := func(since string) page {
		var d page
		h.ok(an, `query($s: String) { flags(filter: {changedSince: $s}) { nodes { id status changedAt } } }`, map[string]any{"s": since}, &d)
		return d
	}
	all := list("2000-01-01")
	if len(all.Flags.Nodes) == 0 {
		t.Fatal("no flag changed since 2000")
	}
	last := ""
	for _, f := range all.Flags.Nodes {
		if f.ChangedAt == "" {
			t.Fatalf("flag %s without changedAt", f.ID)
		}
		last = max(last, f.ChangedAt)
	}
	after, _ := time.Parse(time.RFC3339Nano, last)
	if d := list(after.Add(time.Millisecond).Format(time.RFC3339Nano)); len(d.Flags.Nodes) != 0 {
		t.Fatalf("flags changed after the last change: %+v", d.Flags.Nodes)
	}
	id := o1Flag(t, h).ID
	h.ok(an, `mutation($id: ID!) { reviewFlag(id: $id, decision: in_review, reason: "looking") { id } }`, map[string]any{"id": id}, &struct{}{})
	h.ok(an, `mutation($id: ID!) { reviewFlag(id: $id, decision: false_positive, reason: "a neighbour, known") { id } }`, map[string]any{"id": id}, &struct{}{})
	d := list(after.Add(time.Millisecond).Format(time.RFC3339Nano))
	if len(d.Flags.Nodes) != 1 || d.Flags.Nodes[0].ID != id || d.Flags.Nodes[0].Status != "false_positive" {
		t.Fatalf("after a decision: %+v, want the decided flag, closed states included", d.Flags.Nodes)
	}
	for _, bad := range []string{"yesterday", ""} {
		if r := h.post(an, `query($s: String) { flags(filter: {changedSince: $s}) { nodes { id } } }`, map[string]any{"s": bad}); r.code() != probity.EINVALID {
			t.Fatalf("changedSince %q: %+v, want invalid", bad, r.Errors)
		}
	}
}

// An officer-tied token does not learn of a case about its officer from a
// flag that case superseded: the old flag leaves its queue (changedSince
// included) and flag(id) answers not_found; others see supersededBy, and
// the audit event lists the successor it names (secH).
func TestSupersededByACaseAboutTheCaller(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	// a chain superseded twice: FLAG-first -> FLAG-old1 -> FLAG-new1, only
	// the last about O1 (secL H2: the first listed FLAG-old1's id)
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'})
		CREATE (:Flag {id: 'FLAG-first', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new', supersededBy: 'FLAG-old1',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-01-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-old1', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new', supersededBy: 'FLAG-new1',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-02-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-new1', pattern: 'co-accused-crew', officerId: 'O2', score: 0.6, status: 'new',
		  evidenceIds: ['O1', 'O2'], evidence: '{"nodes":[{"id":"O1","label":"Officer"},{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-03-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  // found again after the chain and superseded again: its chain runs
		  // back to an older flag (reviewI H1)
		  (:Flag {id: 'FLAG-late', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'new', supersededBy: 'FLAG-first',
		  evidenceIds: ['O2', 'O4'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-04-01T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  // a reviewed flag, never superseded, whose newer flag is hidden (reviewI H2)
		  (:Flag {id: 'FLAG-rev', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'in_review', newerFlag: 'FLAG-old1',
		  notFoundAt: datetime(), evidenceIds: ['O2', 'O3'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime('2025-01-15T00:00:00Z'), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2)`); err != nil {
		t.Fatal(err)
	}
	tied := h.token("tied-to-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	ids := func(token string) string {
		var d struct {
			Flags struct{ Nodes []struct{ ID string } }
		}
		h.ok(token, `{ flags(filter: {changedSince: "2000-01-01"}) { nodes { id } } }`, nil, &d)
		var out []string
		for _, n := range d.Flags.Nodes {
			out = append(out, n.ID)
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	if got := ids(tied); got != "FLAG-rev" {
		t.Fatalf("O1's token lists %s, want neither the case about O1 nor the flags superseded on the way to it", got)
	}
	if got := ids(other); got != "FLAG-first,FLAG-late,FLAG-new1,FLAG-old1,FLAG-rev" {
		t.Fatalf("another reviewer lists %s", got)
	}
	newer := func(token string) *string {
		var d struct{ Flag struct{ NewerFlag *string } }
		h.ok(token, `{ flag(id: "FLAG-rev") { newerFlag } }`, nil, &d)
		return d.Flag.NewerFlag
	}
	if n := newer(tied); n != nil {
		t.Fatalf("O1's token reads FLAG-rev's newer flag %q, hidden from it", *n)
	}
	if n := newer(other); n == nil || *n != "FLAG-old1" {
		t.Fatalf("another reviewer reads FLAG-rev's newer flag %v", n)
	}
	// the delivery log of a tied admin leaves out the alerts of the chain (reviewI M2)
	tiedAdmin := h.token("tied-admin-o1", probity.RoleAdmin, "O1")
	for i, f := range []string{"FLAG-old1", "FLAG-rev"} {
		if err := h.store.RecordDelivery(context.Background(), probity.WebhookDelivery{ID: "dlv/" + f, DeliveryID: "dlv-" + f, Webhook: "wh-1",
			FlagID: f, Attempt: 1, Status: probity.DeliveryOK, HTTPStatus: 200, At: time.Now().UTC().Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	var dl struct{ WebhookDeliveries []struct{ FlagId string } }
	h.ok(tiedAdmin, `{ webhookDeliveries(first: 10) { flagId } }`, nil, &dl)
	if len(dl.WebhookDeliveries) != 1 || dl.WebhookDeliveries[0].FlagId != "FLAG-rev" {
		t.Fatalf("the tied admin's delivery log: %+v, want FLAG-rev's alert only", dl.WebhookDeliveries)
	}
	// neither read nor decided, noted or revealed: each answer would name
	// the case about O1 (secL H2: a note on FLAG-old1 returned FLAG-new1)
	for _, q := range []string{`{ flag(id: "FLAG-old1") { id supersededBy } }`, `{ flag(id: "FLAG-first") { id supersededBy } }`,
		`mutation { noteFlag(id: "FLAG-old1", text: "a note", acknowledgeLink: true) { supersededBy } }`,
		`mutation { reviewFlag(id: "FLAG-old1", decision: in_review, reason: "taking it", acknowledgeLink: true) { supersededBy } }`,
		`mutation { revealIdentity(flagId: "FLAG-first", purpose: "checking the case") { people { name } } }`,
		`{ flag(id: "FLAG-late") { id supersededBy } }`,
		`mutation { confirmReferral(id: "FLAG-old1", reason: "agreed", acknowledgeLink: true) { status } }`,
		`mutation { returnReferral(id: "FLAG-old1", reason: "not enough", acknowledgeLink: true) { status } }`} {
		if r := h.post(tied, q, nil); r.code() != probity.ENOTFOUND || strings.Contains(fmt.Sprint(r.Errors), "FLAG-new1") {
			t.Fatalf("O1's token on a flag of the chain, %s: %+v, want not_found", q, r.Errors)
		}
	}
	// another's begin event of a decision on the case, with its purpose,
	// and a command line export naming it (Flag:ID) are not in O1's log
	// (secL H1, M1)
	if r := h.post(other, `mutation { reviewFlag(id: "FLAG-new1", decision: in_review, reason: "taking it") { status } }`, nil, "X-Probity-Purpose", "Op Heron: O1 and O2"); r.code() != "" {
		t.Fatalf("the other reviewer's decision: %+v", r.Errors)
	}
	if _, err := h.store.AppendAudit(context.Background(), probity.AuditEvent{At: time.Now().UTC(), Actor: "cli:someone", Role: probity.RoleAdmin,
		Operation: "cli:flags --format csv", Purpose: "export for Op Heron", EntityIDs: []string{"Flag:FLAG-new1", "Officer:O2"}}); err != nil {
		t.Fatal(err)
	}
	// a second token of O1's misses are O1's too: hidden alike for a made-up
	// id and for its case's (secM M2: shown for the made-up one only)
	second := h.token("second-o1", probity.RoleAnalyst, "O1")
	for _, id := range []string{"FLAG-madeup2", "FLAG-new1"} {
		if r := h.post(second, `query($id: ID!) { flag(id: $id) { id } }`, map[string]any{"id": id}); r.code() != probity.ENOTFOUND {
			t.Fatalf("the second token on %s: %+v", id, r.Errors)
		}
	}
	var firstLog struct {
		AuditLog struct{ Nodes []struct{ Actor string } }
	}
	h.ok(tied, `{ auditLog(actor: "second-o1") { nodes { actor } } }`, nil, &firstLog)
	if len(firstLog.AuditLog.Nodes) != 0 {
		t.Fatalf("O1's first token reads the second's misses: %+v", firstLog.AuditLog.Nodes)
	}
	// O1's own reads of the log about an id are shown alike whether the id
	// is of its hidden case or made up (secM H1: hidden for the real one,
	// they told which ids were its case)
	for _, id := range []string{"FLAG-new1", "FLAG-madeup"} {
		h.ok(tied, `query($e: String) { auditLog(entity: $e) { nodes { seq } } }`, map[string]any{"e": id}, &struct{}{})
	}
	var log struct {
		AuditLog struct {
			Nodes []struct{ Actor, Operation, Purpose string }
		}
	}
	h.ok(tied, `{ auditLog(first: 200) { nodes { actor operation purpose } } }`, nil, &log)
	own := 0
	for _, e := range log.AuditLog.Nodes {
		if e.Actor == "tied-to-o1" && strings.Contains(e.Purpose, "auditLog of entity") {
			own++
		}
	}
	if own != 2 {
		t.Fatalf("O1's own reads of the log about its case's id and a made-up one: %d shown, want both", own)
	}
	for _, e := range log.AuditLog.Nodes {
		if strings.Contains(e.Purpose, "Op Heron") || e.Actor != "tied-to-o1" && strings.HasPrefix(e.Operation, "begin ") {
			t.Fatalf("O1's token reads %+v in the audit log", e)
		}
	}
	var d struct{ Flag struct{ SupersededBy string } }
	h.ok(other, `{ flag(id: "FLAG-old1") { supersededBy } }`, nil, &d)
	if ev := h.lastAudit(); d.Flag.SupersededBy != "FLAG-new1" || !contains(ev.EntityIDs, "FLAG-new1") {
		t.Fatalf("supersededBy %q, audit entities %v: want FLAG-new1 shown and listed", d.Flag.SupersededBy, ev.EntityIDs)
	}
}

// TestAuditLogHidesTheWorkOnTheCase: a token tied to an officer does not
// read others' events of ordinary work on its case that name neither it
// nor the flag: expanding the payer, the officer's own account, a question
// about its id typed in lower case (secN H1, M1); its own events are shown
// whatever they name, and a colleague's events about others are shown.
func TestAuditLogHidesTheWorkOnTheCase(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o1:Officer {id: 'O1'}), (p1:Person {id: 'P1'}), (ac2:Account {id: 'AC2'})
		CREATE (f:Flag {id: 'FLAG-afg', pattern: 'access-for-gain', officerId: 'O1', score: 0.9, status: 'in_review',
		  evidenceIds: ['O1', 'P1', 'AC2'], evidence: '{"nodes":[],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o1),
		  (f)-[:EVIDENCE]->(o1), (f)-[:EVIDENCE]->(p1), (f)-[:EVIDENCE]->(ac2)`); err != nil {
		t.Fatal(err)
	}
	tied := h.token("subject-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	for _, q := range []struct{ query, purpose string }{
		{`{ node(id: "Person:P1") { id } }`, "who pays him"},                  // the payer, in the flag's evidence
		{`{ node(id: "Account:AC1") { id } }`, "case 2026/17"},                // the officer's own account
		{`{ auditLog(entity: "o1") { nodes { seq } } }`, "who read his file"}, // its id, in lower case
		{`{ flagCounts(filter: {text: "o1"}) { total } }`, "triage"},          // its id in the purpose's words
		{`{ node(id: "Person:P2") { id } }`, "another case"},                  // nothing of O1's: shown
	} {
		if r := h.post(other, q.query, nil, api.PurposeHeader, q.purpose); r.code() != "" {
			t.Fatalf("%s: %+v", q.query, r.Errors)
		}
	}
	// its own reads are shown alike whatever they name
	h.ok(tied, `{ node(id: "Person:P1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "my own look")
	var log struct {
		AuditLog struct {
			Nodes []struct{ Actor, Purpose string }
		}
	}
	h.ok(tied, `{ auditLog(first: 200) { nodes { actor purpose } } }`, nil, &log)
	var shown []string
	for _, e := range log.AuditLog.Nodes {
		if e.Actor != "subject-o1" || strings.Contains(e.Purpose, "my own look") {
			shown = append(shown, e.Actor+": "+e.Purpose)
		}
	}
	if len(shown) != 2 || !strings.Contains(shown[0]+shown[1], "another case") || !strings.Contains(shown[0]+shown[1], "my own look") {
		t.Fatalf("O1's token reads %q; want only the colleague's read of P2 and its own look", shown)
	}
}

// shownTo says whether token's audit log shows an event of actor whose
// purpose holds needle.
func shownTo(h *harness, token, actor, needle string) bool {
	h.t.Helper()
	var log struct {
		AuditLog struct {
			Nodes []struct{ Actor, Purpose string }
		}
	}
	h.ok(token, `{ auditLog(first: 200) { nodes { actor purpose } } }`, nil, &log)
	for _, e := range log.AuditLog.Nodes {
		if e.Actor == actor && strings.Contains(e.Purpose, needle) {
			return true
		}
	}
	return false
}

// TestAuditLogHidesFromWhenTheCaseWasRaised: a colleague's look at a
// person, shown to O1's token, stays shown once a case about O1 names that
// person (secO H1: it vanished, telling O1 of the case and its evidence);
// a look after the case was raised is hidden.
func TestAuditLogHidesFromWhenTheCaseWasRaised(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	tied := h.token("subject-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	h.ok(other, `{ node(id: "Person:P1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "routine look, no case")
	if !shownTo(h, tied, "test-reviewer", "routine look") {
		t.Fatal("before any case: the colleague's look at P1 is not shown")
	}
	time.Sleep(5 * time.Millisecond)
	if err := h.store.RunForTest(context.Background(), `MATCH (o1:Officer {id: 'O1'}), (p1:Person {id: 'P1'})
		CREATE (f:Flag {id: 'FLAG-0000000000000afe', pattern: 'access-for-gain', officerId: 'O1', score: 0.9, status: 'new',
		  evidenceIds: ['O1', 'P1'], evidence: '{"nodes":[],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o1),
		  (f)-[:EVIDENCE]->(o1), (f)-[:EVIDENCE]->(p1)`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	h.ok(other, `{ node(id: "Person:P1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "working the case")
	if !shownTo(h, tied, "test-reviewer", "routine look") {
		t.Fatal("the colleague's look at P1, shown before the case was raised, vanished after it")
	}
	if shownTo(h, tied, "test-reviewer", "working the case") {
		t.Fatal("the colleague's look at P1 after the case was raised is shown to O1's token")
	}
}

// TestAuditLogHidingNamesEntitiesOnly: a flag about O1 with a shift in its
// evidence hides nothing else from O1's token (reviewK H1: its null in the
// hidden list hid every colleague's event naming an entity), and a
// colleague's auditLog of the payer by its bare or lower-case id is hidden
// as by its global id (reviewK H2).
func TestAuditLogHidingNamesEntitiesOnly(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o1:Officer {id: 'O1'}), (p1:Person {id: 'P1'})
		CREATE (s:Shift {id: 'SH1'}),
		  (f:Flag {id: 'FLAG-00000000000000a1', pattern: 'attendance-mismatch', officerId: 'O1', score: 0.7, status: 'new',
		  evidenceIds: ['O1', 'SH1', 'P1'], evidence: '{"nodes":[],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o1),
		  (f)-[:EVIDENCE]->(o1), (f)-[:EVIDENCE]->(s), (f)-[:EVIDENCE]->(p1)`); err != nil {
		t.Fatal(err)
	}
	tied := h.token("subject-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	h.ok(other, `{ node(id: "Person:P3") { id } }`, nil, &struct{}{}, api.PurposeHeader, "an unrelated look")
	for _, e := range []string{"Person:P1", "P1", "person:p1"} {
		h.ok(other, `query($e: String) { auditLog(entity: $e) { nodes { seq } } }`, map[string]any{"e": e}, &struct{}{}, api.PurposeHeader, "who looked at the payer")
	}
	if !shownTo(h, tied, "test-reviewer", "an unrelated look") {
		t.Error("a colleague's read of P3, nothing of O1's case, is hidden from O1's token")
	}
	if shownTo(h, tied, "test-reviewer", "who looked at the payer") {
		t.Error("a colleague's auditLog of the payer is shown to O1's token")
	}
}

// TestAuditLogLookDuringTheScanStays: a colleague's look at the payer
// while a scan runs, shown to O1's token before the case about O1 is
// written, stays shown after: what is hidden starts at the audit head as
// the flag is written, not at the scan's start (secP H1).
func TestAuditLogLookDuringTheScanStays(t *testing.T) {
	h := newHarness(t, flagWorld(), api.Limits{})
	tied := h.token("subject-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	var once sync.Once
	shownDuring := false
	run, err := h.store.Scan(context.Background(), probity.ScanOptions{Trigger: "cli", Progress: func(probity.ScanProgress) {
		once.Do(func() {
			h.ok(other, `{ node(id: "Person:P1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "look during the scan")
			shownDuring = shownTo(h, tied, "test-reviewer", "look during the scan")
		})
	}})
	if err != nil || run.NewFlags == 0 {
		t.Fatalf("scan: %+v %v", run, err)
	}
	if !shownDuring {
		t.Fatal("set-up: the look during the scan was not shown to O1's token before any flag existed")
	}
	if !shownTo(h, tied, "test-reviewer", "look during the scan") {
		t.Error("a colleague's look at P1, shown to O1's token during the scan, vanished once the scan wrote the case naming P1")
	}
	h.ok(other, `{ node(id: "Person:P1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "look after the scan")
	if shownTo(h, tied, "test-reviewer", "look after the scan") {
		t.Error("a colleague's look at P1 after the scan wrote the case is shown to O1's token")
	}
}

// TestAuditLogHidesTheRecordsLinksAlways: others' looks at what O1's
// record links to stay hidden from O1's token whatever a load does to the
// link (secP H2: the hiding started at the link's loadedAt, which a load
// stamps on a link without one, as after load --bulk, or moves when a row
// changes it, and the unit's earlier looks at its account appeared).
func TestAuditLogHidesTheRecordsLinksAlways(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	tied := h.token("subject-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	// the fixture's links carry no loadedAt, as after load --bulk
	h.ok(other, `{ node(id: "Account:AC1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "case 2026/17: her account")
	if shownTo(h, tied, "test-reviewer", "her account") {
		t.Fatal("set-up: a colleague's look at O1's own account is shown before any load")
	}
	time.Sleep(5 * time.Millisecond)
	// the nightly load sends the holders file again, unchanged
	loadFiles(t, h, map[string]string{"holders.csv": "party_id,account_id\nO1,AC1\n"})
	if shownTo(h, tied, "test-reviewer", "her account") {
		t.Error("a load of the unchanged holders file made a colleague's earlier look at O1's account, hidden until then, appear to O1's token")
	}

	// a stamped link whose row changes is stamped again
	loadFiles(t, h, map[string]string{"residences.csv": "party_id,address_id,from\nO1,A1,2020-01-01\n"})
	time.Sleep(5 * time.Millisecond)
	h.ok(other, `{ node(id: "Address:A1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "case 2026/17: her address")
	if shownTo(h, tied, "test-reviewer", "her address") {
		t.Fatal("set-up: a colleague's look at O1's address after its link was loaded is shown")
	}
	time.Sleep(5 * time.Millisecond)
	loadFiles(t, h, map[string]string{"residences.csv": "party_id,address_id,from,to\nO1,A1,2020-01-01,2026-10-31\n"})
	if shownTo(h, tied, "test-reviewer", "her address") {
		t.Error("a residence row given an end date made a colleague's earlier look at O1's address appear to O1's token")
	}
}

// load writes files (name -> CSV text) to a folder and loads it as
// `probity load` would.
func loadFiles(t *testing.T, h *harness, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.store.Load(context.Background(), dir, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestHidingComparesTypedOfficerIDs: a reviewer tied to officer 7 still
// reads a colleague's case whose evidence holds account 7, and the work on
// it (secP M1: the bare id matched, and officer 7 lost the case).
func TestHidingComparesTypedOfficerIDs(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	loadFiles(t, h, map[string]string{
		"officers.csv": "officer_id,name,unit\n7,Frank Moss,U9\n",
		"accounts.csv": "account_id,bank\n7,West\n",
		"holders.csv":  "party_id,account_id\nP1,7\n",
	})
	if err := h.store.RunForTest(context.Background(), `MATCH (o1:Officer {id: 'O1'}), (a:Account {id: '7'}), (p1:Person {id: 'P1'})
		CREATE (f:Flag {id: 'FLAG-00000000000000c7', pattern: 'access-for-gain', officerId: 'O1', score: 0.9, status: 'new',
		  evidenceIds: ['O1', 'P1', '7'], evidence: '{"nodes":[],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o1),
		  (f)-[:EVIDENCE]->(o1), (f)-[:EVIDENCE]->(p1), (f)-[:EVIDENCE]->(a)`); err != nil {
		t.Fatal(err)
	}
	rev7 := h.token("reviewer-7", probity.RoleReviewer, "7")
	untied := h.tokens[probity.RoleReviewer]
	time.Sleep(5 * time.Millisecond)
	h.ok(untied, `{ node(id: "Person:P1") { id } }`, nil, &struct{}{}, api.PurposeHeader, "case 2026/18: the payer")
	ids := func(tok string) []string {
		var out []string
		fs, _, _ := h.queue(tok, nil, 50, nil)
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	if !contains(ids(untied), "FLAG-00000000000000c7") {
		t.Fatal("set-up: the untied reviewer does not see O1's flag")
	}
	if !contains(ids(rev7), "FLAG-00000000000000c7") {
		t.Error("O1's case is hidden from officer 7's reviewer token because an account in its evidence is keyed '7' too")
	}
	if !shownTo(h, rev7, "test-reviewer", "the payer") {
		t.Error("the work on O1's case is hidden from officer 7's reviewer token")
	}
}

// TestAuditLogHidesPurposesNamingTheCaller: others' purposes naming the
// caller by its pseudonym (as the queue shows it), its name, or the id of
// a flag hidden from it are not shown to it (secO M1: a flag id it could
// not read confirmed a case about it); its own are.
func TestAuditLogHidesPurposesNamingTheCaller(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o1:Officer {id: 'O1'})
		CREATE (f:Flag {id: 'FLAG-0000000000000afe', pattern: 'access-for-gain', officerId: 'O1', score: 0.9, status: 'in_review',
		  evidenceIds: ['O1'], evidence: '{"nodes":[],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o1)`); err != nil {
		t.Fatal(err)
	}
	tied := h.token("subject-o1", probity.RoleReviewer, "O1")
	other := h.tokens[probity.RoleReviewer]
	pseudo := api.Pseudonym(h.key, probity.LabelOfficer, "O1")
	needles := []string{pseudo, "alice SMITH", "FLAG-0000000000000afe"}
	for _, n := range needles {
		h.ok(other, `{ node(id: "Person:P2") { id } }`, nil, &struct{}{}, api.PurposeHeader, n+": the payer's second account")
		h.ok(tied, `{ node(id: "Person:P2") { id } }`, nil, &struct{}{}, api.PurposeHeader, n+": my own look")
	}
	h.ok(other, `{ node(id: "Person:P2") { id } }`, nil, &struct{}{}, api.PurposeHeader, "case 2026/17")
	for _, n := range needles {
		if shownTo(h, tied, "test-reviewer", n) {
			t.Errorf("a purpose naming O1 as %q is shown to O1's token", n)
		}
		if !shownTo(h, tied, "subject-o1", n+": my own look") {
			t.Errorf("O1's own purpose naming %q is not shown to it", n)
		}
	}
	if !shownTo(h, tied, "test-reviewer", "case 2026/17") {
		t.Error("a purpose naming a case reference is hidden from O1's token")
	}
}

// TestAggregatesLeaveOutTheCaseAboutTheCaller: a colleague's officerRisk
// and reviewOutcomes, read with a token tied to O1, do not count a
// referred case naming O1 (reviewJ M3: the pattern, the score and the
// referral were there to read); others' count it.
func TestAggregatesLeaveOutTheCaseAboutTheCaller(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'})
		CREATE (:Flag {id: 'FLAG-namesO1', pattern: 'collusion-ring', officerId: 'O2', score: 0.9, status: 'referred_investigation', evidenceIds: ['O1', 'O2'],
		  evidence: '{"nodes":[{"id":"O1","label":"Officer"},{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2)`); err != nil {
		t.Fatal(err)
	}
	read := func(token string) (risk float64, patterns []string, referred int) {
		var d struct {
			OfficerRisk struct {
				Risk     float64
				Patterns []struct{ Pattern string }
			}
			ReviewOutcomes []struct{ Referred int }
		}
		h.ok(token, `{ officerRisk(id: "Officer:O2") { risk patterns { pattern } } reviewOutcomes(pattern: "collusion-ring") { referred } }`, nil, &d)
		for _, p := range d.OfficerRisk.Patterns {
			patterns = append(patterns, p.Pattern)
		}
		for _, o := range d.ReviewOutcomes {
			referred += o.Referred
		}
		return d.OfficerRisk.Risk, patterns, referred
	}
	if risk, patterns, referred := read(h.tokens[probity.RoleReviewer]); risk == 0 || !slices.Contains(patterns, "collusion-ring") || referred != 1 {
		t.Fatalf("another reviewer reads O2's risk %v of %v, %d referred: want the case counted", risk, patterns, referred)
	}
	tied := h.token("tied-o1", probity.RoleReviewer, "O1")
	if risk, patterns, referred := read(tied); risk != 0 || len(patterns) != 0 || referred != 0 {
		t.Fatalf("O1's token reads O2's risk %v of %v, %d referred: the case naming O1, hidden from it, counted", risk, patterns, referred)
	}
	// the queue in triage order, and minRisk: O2's stored risk counts the
	// case, so its flag ranked above O3's, and kept by minRisk, told of it
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'}) SET o2.risk = 0.85
		CREATE (o3:Officer {id: 'O3', unit: 'U1', risk: 0.4}),
		  (:Flag {id: 'FLAG-o2', pattern: 'volume-outlier', officerId: 'O2', score: 0.4, status: 'new', evidenceIds: ['O2'],
		  evidence: '{"nodes":[],"edges":[]}', parameters: '{}', firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-o3', pattern: 'undisclosed-association', officerId: 'O3', score: 0.5, status: 'new', evidenceIds: ['O3'],
		  evidence: '{"nodes":[],"edges":[]}', parameters: '{}', firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o3)`); err != nil {
		t.Fatal(err)
	}
	queue := func(token, filter string) string {
		var d struct {
			Flags struct{ Nodes []struct{ ID string } }
		}
		h.ok(token, `{ flags(order: RISK, filter: {`+filter+`}) { nodes { id } } }`, nil, &d)
		var ids []string
		for _, n := range d.Flags.Nodes {
			ids = append(ids, n.ID)
		}
		return strings.Join(ids, ",")
	}
	for _, c := range []struct{ who, token, filter, want string }{
		{"another reviewer", h.tokens[probity.RoleReviewer], "", "FLAG-o2,FLAG-o3"},
		{"another reviewer", h.tokens[probity.RoleReviewer], "minRisk: 0.3", "FLAG-o2,FLAG-o3"},
		{"O1's token", tied, "", "FLAG-o3,FLAG-o2"}, {"O1's token", tied, "minRisk: 0.3", "FLAG-o3"},
	} {
		if got := queue(c.token, c.filter); got != c.want {
			t.Errorf("%s, queue by risk {%s}: %s, want %s", c.who, c.filter, got, c.want)
		}
	}
}

// order: CHANGED pages by changedAt: a flag decided after its page was read
// comes again on a later page, with its new state, and no flag is missed
// (docsF: in score order a multi-page poll could lose such a change).
func TestFlagsOrderChangedForMirrors(t *testing.T) {
	h := scanned(t)
	an := h.tokens[probity.RoleAnalyst]
	type node struct{ ID, Status, ChangedAt string }
	var seen []node
	var after *string
	decided := ""
	for i := 0; i < 50; i++ {
		var d struct {
			Flags struct {
				Nodes    []node
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		h.ok(an, `query($a: String) { flags(first: 1, order: CHANGED, after: $a, filter: {changedSince: "2000-01-01"}) { nodes { id status changedAt } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"a": after}, &d)
		seen = append(seen, d.Flags.Nodes...)
		if i == 0 { // the first flag read is decided before the next page
			decided = d.Flags.Nodes[0].ID
			h.ok(an, `mutation($id: ID!) { reviewFlag(id: $id, decision: in_review, reason: "looking") { id } }`, map[string]any{"id": decided}, &struct{}{})
		}
		if !d.Flags.PageInfo.HasNextPage {
			break
		}
		after = d.Flags.PageInfo.EndCursor
	}
	var all struct{ Flags struct{ Nodes []node } }
	h.ok(an, `{ flags(first: 200, filter: {changedSince: "2000-01-01"}) { nodes { id status } } }`, nil, &all)
	got := map[string]node{}
	for i, n := range seen {
		if i > 0 && n.ChangedAt < seen[i-1].ChangedAt {
			t.Fatalf("pages out of changedAt order: %+v", seen)
		}
		got[n.ID] = n // the last sighting wins, as in a mirror
	}
	if len(got) != len(all.Flags.Nodes) || got[decided].Status != "in_review" || len(seen) != len(all.Flags.Nodes)+1 {
		t.Fatalf("mirror %+v of %d flags (read %d times), want every flag once and the decided %s again, in review", got, len(all.Flags.Nodes), len(seen), decided)
	}
}

// The recusal notices of a page of flags are the ones each flag(id) gives,
// looked for together, and a page whose officers are more than
// Limits.MaxRecusalOfficers is refused with a limit rather than run as a
// path search an officer (reviewB M2).
func TestRecusalOfAPage(t *testing.T) {
	// O5 is flagged too, linked to no one
	h := scannedWorld(t, flagWorld()+`(O5:Officer {name:'Fay Grey', unit:'U9'})-[:USES_PHONE]->(PH5:Phone)<-[:USES_PHONE]-(P5:Person {name:'Gil Poe', poi:true})`)
	linked := h.token("linked-page", probity.RoleAnalyst, "O3")
	type page struct {
		Flags struct {
			Nodes []struct {
				ID      string
				Officer struct{ ID string }
				Recusal struct {
					Required bool
					Reasons  []string
				}
			}
		}
	}
	const q = `{ flags(first: 200) { nodes { id officer { id } recusal { required reasons } } } }`
	var d page
	h.ok(linked, q, nil, &d)
	officers, required := map[string]bool{}, 0
	for _, f := range d.Flags.Nodes {
		officers[f.Officer.ID] = true
		one := h.flag(linked, f.ID)
		if one.Recusal.Required != f.Recusal.Required || strings.Join(one.Recusal.Reasons, "|") != strings.Join(f.Recusal.Reasons, "|") {
			t.Fatalf("flag %s: in the page %+v, alone %+v", f.ID, f.Recusal, one.Recusal)
		}
		if f.Recusal.Required {
			required++
		}
	}
	if required == 0 || required == len(d.Flags.Nodes) || len(officers) < 2 {
		t.Fatalf("%d of %d flags ask O3 to recuse, over %d officers: the world should give both kinds", required, len(d.Flags.Nodes), len(officers))
	}
	small := newHarnessOn(t, h, api.Limits{MaxRecusalOfficers: 1})
	if r := small.post(linked, q, nil); r.code() != probity.ELIMIT || !strings.Contains(r.Errors[0].Message, "at most 1 a request") {
		t.Fatalf("a page over the limit: %+v, want limit", r.Errors)
	}
}

// setThreshold and resetThreshold: admin only (and not with a token tied
// to an officer), audited with the value and the reason, and patterns
// shows the value in effect with who set it.
func TestThresholdMutations(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	admin, an := h.tokens[probity.RoleAdmin], h.tokens[probity.RoleAnalyst]
	const set = `mutation($v: String!) { setThreshold(pattern: "access-for-gain", name: "after", value: $v, reason: "payments after a quarter's end") { name default value setBy reason min max fixed } }`
	if r := h.post(an, set, map[string]any{"v": "120"}); r.code() != probity.EFORBIDDEN {
		t.Fatalf("an analyst sets a threshold: %+v", r.Errors)
	}
	if r := h.post(h.token("admin-officer", probity.RoleAdmin, "O1"), set, map[string]any{"v": "120"}); r.code() != probity.EFORBIDDEN {
		t.Fatalf("an admin tied to an officer sets a threshold: %+v", r.Errors)
	}
	if r := h.post(admin, set, map[string]any{"v": "9999"}); r.code() != probity.EINVALID || !strings.Contains(r.Errors[0].Message, "outside 0..365") {
		t.Fatalf("out of bounds: %+v", r.Errors)
	}
	var d struct {
		SetThreshold struct {
			Name, Default, Value, SetBy, Reason string
			Min, Max                            float64
			Fixed                               bool
		}
	}
	h.ok(admin, set, map[string]any{"v": "120"}, &d)
	if p := d.SetThreshold; p.Value != "120" || p.Default != "90" || p.SetBy != "test-admin" || p.Max != 365 || p.Fixed {
		t.Fatalf("setThreshold = %+v", p)
	}
	if ev := h.lastAudit(); ev.Operation != "setThreshold" || !strings.Contains(ev.Purpose, `access-for-gain after: 90 -> 120: "payments after a quarter's end"`) {
		t.Fatalf("audit of setThreshold: %+v", ev)
	}
	var lib struct {
		Patterns []struct {
			Name       string
			Parameters []struct {
				Name, Value string
				SetBy       *string
				Fixed       bool
			}
		}
	}
	h.ok(an, `{ patterns { name parameters { name value setBy fixed } } }`, nil, &lib)
	seen := 0
	for _, p := range lib.Patterns {
		for _, pp := range p.Parameters {
			switch {
			case p.Name == "access-for-gain" && pp.Name == "after":
				seen++
				if pp.Value != "120" || pp.SetBy == nil || *pp.SetBy != "test-admin" {
					t.Errorf("patterns shows %+v", pp)
				}
			case pp.Name == "hubDegree" && !pp.Fixed:
				t.Errorf("%s hubDegree not fixed", p.Name)
			}
		}
	}
	if seen != 1 {
		t.Fatalf("patterns: access-for-gain after seen %d times", seen)
	}
	h.ok(admin, `mutation { resetThreshold(pattern: "access-for-gain", name: "after", reason: "back to the documented 90 days") { value } }`, nil, &struct{}{})
	if r := h.post(admin, `mutation { resetThreshold(pattern: "access-for-gain", name: "after", reason: "again, to be sure") { value } }`, nil); r.code() != probity.ENOTFOUND {
		t.Fatalf("a second reset: %+v", r.Errors)
	}
}

// A flag taken up that a scan no longer found names the flag found in its
// place, unless that one names the caller's officer: an officer-tied token
// reads the old flag with no newerFlag, as when there is none; others see
// it, and the audit event lists it (secJ H1).
func TestNewerFlagAboutTheCaller(t *testing.T) {
	h := newHarness(t, world(), api.Limits{})
	if err := h.store.RunForTest(context.Background(), `MATCH (o2:Officer {id: 'O2'})
		CREATE (:Flag {id: 'FLAG-held1', pattern: 'co-accused-crew', officerId: 'O2', score: 0.5, status: 'in_review', newerFlag: 'FLAG-found1',
		  notFoundAt: datetime(), evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-found1', pattern: 'co-accused-crew', officerId: 'O2', score: 0.6, status: 'new',
		  evidenceIds: ['O1', 'O2'], evidence: '{"nodes":[{"id":"O1","label":"Officer"},{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-held2', pattern: 'access-for-gain', officerId: 'O2', score: 0.4, status: 'false_positive', newerFlag: 'FLAG-found2',
		  notFoundAt: datetime(), evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-found2', pattern: 'access-for-gain', officerId: 'O2', score: 0.7, status: 'new',
		  evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2),
		  (:Flag {id: 'FLAG-held3', pattern: 'collusion-ring', officerId: 'O2', score: 0.3, status: 'in_review', newerFlag: 'FLAG-gone',
		  notFoundAt: datetime(), evidenceIds: ['O2'], evidence: '{"nodes":[{"id":"O2","label":"Officer"}],"edges":[]}', parameters: '{}',
		  firstSeen: datetime(), lastSeen: datetime(), changedAt: datetime()})-[:CONCERNS]->(o2)`); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Flag struct {
			NotFoundAt string
			NewerFlag  *string
		}
	}
	tied := h.token("tied-to-o1", probity.RoleReviewer, "O1")
	h.ok(tied, `{ flag(id: "FLAG-held1") { notFoundAt newerFlag } }`, nil, &d)
	if d.Flag.NotFoundAt == "" || d.Flag.NewerFlag != nil {
		t.Fatalf("O1's token: not found %q, newer %v; want the mark and no newer flag", d.Flag.NotFoundAt, d.Flag.NewerFlag)
	}
	h.ok(h.tokens[probity.RoleReviewer], `{ flag(id: "FLAG-held1") { notFoundAt newerFlag } }`, nil, &d)
	if ev := h.lastAudit(); d.Flag.NewerFlag == nil || *d.Flag.NewerFlag != "FLAG-found1" || !contains(ev.EntityIDs, "FLAG-found1") {
		t.Fatalf("another reviewer: newer %v, audit entities %v", d.Flag.NewerFlag, ev.EntityIDs)
	}
	// in a list, the newer flags are read once for the page (reviewE M5):
	// the one about O1 hidden, the other named; notFound alone lists every
	// state, a decided flag too (reviewE L5)
	var l struct {
		Flags struct {
			TotalCount int
			Nodes      []struct {
				ID, Status string
				NewerFlag  *string
			}
		}
	}
	h.ok(tied, `{ flags(filter: {notFound: true}, first: 10) { totalCount nodes { id status newerFlag } } }`, nil, &l)
	got := map[string]string{}
	for _, n := range l.Flags.Nodes {
		got[n.ID] = n.Status + " <nil>"
		if n.NewerFlag != nil {
			got[n.ID] = n.Status + " " + *n.NewerFlag
		}
	}
	// a newer flag the store no longer holds is not named to a tied token either (mutT L6)
	if l.Flags.TotalCount != 3 || got["FLAG-held1"] != "in_review <nil>" || got["FLAG-held2"] != "false_positive FLAG-found2" || got["FLAG-held3"] != "in_review <nil>" {
		t.Fatalf("not-found flags for O1's token: %d %v", l.Flags.TotalCount, got)
	}
	if r := h.post(h.tokens[probity.RoleReviewer], `{ flags(filter: {notFound: true, cleared: true}) { totalCount } }`, nil); r.code() != probity.EINVALID {
		t.Fatalf("notFound with cleared: %+v", r.Errors)
	}
}
