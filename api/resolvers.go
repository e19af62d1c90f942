package api

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	graphql "github.com/graph-gophers/graphql-go"

	"probity"
)

// Graph is what the API reads from the association graph. cmd/probity
// plugs a *graph.Store in.
type Graph interface {
	Entities(ctx context.Context, refs []probity.Ref) ([]probity.Node, error)
	Search(ctx context.Context, q probity.SearchQuery) ([]probity.Node, error)
	Links(ctx context.Context, q probity.LinkQuery) (map[string][]probity.Link, error)
	Neighbourhood(ctx context.Context, q probity.NeighbourhoodQuery) (probity.Subgraph, error)
	Paths(ctx context.Context, q probity.PathQuery) (probity.PathResult, error)
	Timeline(ctx context.Context, q probity.TimelineQuery) (probity.Timeline, error)
	// Recusal says how officer me is linked to each of officers (DESIGN:
	// within probity.RecusalHops association links, or the same unit and
	// line manager).
	Recusal(ctx context.Context, me string, officers []string) ([]probity.RecusalLink, error)
}

// TokenStore keeps API tokens (hashes only).
type TokenStore interface {
	CreateToken(ctx context.Context, t probity.Token) error
	TokenByHash(ctx context.Context, hash string) (probity.Token, error)
	RevokeToken(ctx context.Context, nameOrID, by string, at time.Time) (probity.Token, error)
	ListTokens(ctx context.Context) ([]probity.Token, error)
}

// AuditLog is the append-only, hash-chained audit log.
type AuditLog interface {
	AppendAudit(ctx context.Context, e probity.AuditEvent) (probity.AuditEvent, error)
	// AppendAuditFor appends e only if, when it is committed, the token c
	// names is still as claimed (not revoked, same id, name, role and
	// officer); otherwise it writes nothing and fails with EUNAUTHORIZED.
	AppendAuditFor(ctx context.Context, e probity.AuditEvent, c probity.TokenClaim) (probity.AuditEvent, error)
	AuditEvents(ctx context.Context, f probity.AuditFilter) ([]probity.AuditEvent, error)
	VerifyAudit(ctx context.Context) (probity.AuditVerification, error)
	// CheckAuditHead fails with probity.ErrAuditRolledBack when events
	// this process wrote are gone from the chain (a backup restored).
	CheckAuditHead(ctx context.Context) error
}

// resolver is the root resolver: stateless and shared; per-request state
// is in the context (see request).
type resolver struct{ s *Server }

// parseID splits a global id "Label:id"; EINVALID for anything else.
func parseID(id graphql.ID) (probity.Ref, error) {
	ref, ok := probity.ParseKey(string(id))
	if !ok || ref.ID == "" {
		return probity.Ref{}, probity.Errorf(probity.EINVALID, "bad id %q: want Label:id, for example Officer:O1", string(id))
	}
	return ref, nil
}

func (s *Server) parseIDs(ids []graphql.ID) ([]probity.Ref, error) {
	if len(ids) > s.opt.Limits.MaxIDs {
		return nil, probity.Errorf(probity.ELIMIT, "%d ids exceed the maximum of %d", len(ids), s.opt.Limits.MaxIDs)
	}
	if len(ids) == 0 {
		return nil, probity.Errorf(probity.EINVALID, "give at least one id")
	}
	out := make([]probity.Ref, 0, len(ids))
	for _, id := range ids {
		r, err := parseID(id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// relTypes maps RelType enum values to the allowlisted constants.
func relTypes(in *[]string) ([]string, error) {
	if in == nil {
		return nil, nil
	}
	var out []string
	for _, r := range *in {
		ok := false
		for _, c := range probity.ExploreRels {
			if c == r {
				out, ok = append(out, c), true
			}
		}
		if !ok {
			return nil, probity.Errorf(probity.EINVALID, "relationship type %q cannot be explored", r)
		}
	}
	return out, nil
}

// capped checks n in [1, max]: below is EINVALID, above ELIMIT.
func capped(name string, n, max int) error {
	switch {
	case n < 1:
		return probity.Errorf(probity.EINVALID, "%s must be at least 1", name)
	case n > max:
		return probity.Errorf(probity.ELIMIT, "%s %d exceeds the maximum of %d", name, n, max)
	}
	return nil
}

type principal struct{ p Principal }

func (p principal) Name() string { return p.p.Name }
func (p principal) Role() string { return string(p.p.Role) }

func (r *resolver) Me(ctx context.Context) (principal, error) {
	req, err := need(ctx, probity.RoleAnalyst, "me", false)
	if err != nil {
		return principal{}, err
	}
	return principal{req.principal}, nil
}

func (r *resolver) Node(ctx context.Context, a struct{ ID graphql.ID }) (*entity, error) {
	req, err := need(ctx, probity.RoleAnalyst, "node", true)
	if err != nil {
		return nil, err
	}
	ref, err := parseID(a.ID)
	if err != nil {
		return nil, err
	}
	ns, err := r.s.opt.Graph.Entities(ctx, []probity.Ref{ref})
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, probity.Errorf(probity.ENOTFOUND, "no entity %s", ref.Key())
	}
	return r.s.newEntity(req, ns[0]), nil
}

func (r *resolver) Nodes(ctx context.Context, a struct{ Ids []graphql.ID }) ([]*entity, error) {
	req, err := need(ctx, probity.RoleAnalyst, "nodes", true)
	if err != nil {
		return nil, err
	}
	refs, err := r.s.parseIDs(a.Ids)
	if err != nil {
		return nil, err
	}
	ns, err := r.s.opt.Graph.Entities(ctx, refs)
	if err != nil {
		return nil, err
	}
	if err := r.spendList(req, len(ns)); err != nil {
		return nil, err
	}
	byKey := map[string]probity.Node{}
	for _, n := range ns {
		byKey[n.Ref().Key()] = n
	}
	out := make([]*entity, len(refs))
	for i, ref := range refs {
		if n, ok := byKey[ref.Key()]; ok {
			out[i] = r.s.newEntity(req, n)
		}
	}
	return out, nil
}

func (r *resolver) Search(ctx context.Context, a struct {
	Text  string
	Types *[]string
	First opt[int32]
}) ([]*entity, error) {
	req, err := need(ctx, probity.RoleAnalyst, "search", true)
	if err != nil {
		return nil, err
	}
	n, err := r.s.pageSize(a.First.or(20))
	if err != nil {
		return nil, err
	}
	if len(a.Text) > 200 {
		return nil, probity.Errorf(probity.ELIMIT, "search text longer than 200 bytes")
	}
	var labels []string
	if a.Types != nil {
		labels = *a.Types
	}
	var ns []probity.Node
	if text := strings.TrimSpace(a.Text); pseudonymRE.MatchString(text) && r.s.opt.Flags != nil &&
		(len(labels) == 0 || slices.Contains(labels, probity.LabelOfficer)) {
		// a pseudonym copied from the queue: the flagged officer it names
		ids, err := r.s.flaggedByPseudonym(ctx, text)
		if err != nil {
			return nil, err
		}
		refs := make([]probity.Ref, len(ids))
		for i, id := range ids {
			refs[i] = probity.Ref{Label: probity.LabelOfficer, ID: id}
		}
		if ns, err = r.s.opt.Graph.Entities(ctx, refs); err != nil {
			return nil, err
		}
	} else if ns, err = r.s.opt.Graph.Search(ctx, probity.SearchQuery{Text: a.Text, Labels: labels, First: n,
		// without a purpose no name is searched: a search by name is a
		// reveal, and an answer that depended on a name would tell it
		PeopleUnnamed: req.purpose == ""}); err != nil {
		return nil, err
	}
	if err := r.spendList(req, len(ns)); err != nil {
		return nil, err
	}
	out := make([]*entity, len(ns))
	for i, n := range ns {
		// A match on an officer's or a person's name tells who the
		// pseudonym is: that is a reveal, audited as one, with a purpose.
		if (n.Label == probity.LabelOfficer || n.Label == probity.LabelPerson) && req.purpose != "" && nameMatched(a.Text, n) {
			req.reveal(n.Ref().Key(), "search by name: "+req.purpose)
		}
		out[i] = r.s.newEntity(req, n)
	}
	return out, nil
}

// spendList counts the n items a root list returned against the request's
// budget of listed items (Limits.MaxLinked), which link fields share: many
// aliased root lists in one request would otherwise escape every cap.
func (r *resolver) spendList(req *request, n int) error {
	return req.spendLinked(n, r.s.opt.Limits.MaxLinked)
}

// nameMatched says whether search text found n through its name: some
// word of text starts a word of the name (case and punctuation aside, as
// the full-text search reads them) and no word of n's other searched
// fields (id, address line, postcode, title). One such word is enough:
// "OFF000089 el" finds OFF000089 by its id and tells, by the name, that
// it is an Ella.
func nameMatched(text string, n probity.Node) bool {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	field := func(k string) string { v, _ := n.Properties[k].(string); return v }
	name := split(field("name"))
	other := split(strings.Join([]string{n.ID, field("line"), field("postcode"), field("title")}, " "))
	starts := func(words []string, w string) bool {
		return slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) })
	}
	for _, w := range split(text) {
		if starts(name, w) && !starts(other, w) {
			return true
		}
	}
	return false
}

func (r *resolver) Neighbourhood(ctx context.Context, a struct {
	Ids      []graphql.ID
	Depth    opt[int32]
	RelTypes *[]string
	Limit    opt[int32]
	AsOf     *string
}) (*subgraph, error) {
	req, err := need(ctx, probity.RoleAnalyst, "neighbourhood", true)
	if err != nil {
		return nil, err
	}
	refs, err := r.s.parseIDs(a.Ids)
	if err != nil {
		return nil, err
	}
	depth, limit := int(a.Depth.or(1)), int(a.Limit.or(200))
	if depth > probity.MaxNeighbourhoodDepth {
		return nil, probity.Errorf(probity.ELIMIT, "depth %d exceeds the maximum of %d", depth, probity.MaxNeighbourhoodDepth)
	}
	if err := capped("limit", limit, r.s.opt.Limits.MaxNodes); err != nil {
		return nil, err
	}
	rels, err := relTypes(a.RelTypes)
	if err != nil {
		return nil, err
	}
	asOf, err := parseTime("asOf", a.AsOf)
	if err != nil {
		return nil, err
	}
	g, err := r.s.opt.Graph.Neighbourhood(ctx, probity.NeighbourhoodQuery{Seeds: refs, Depth: depth, RelTypes: rels, Limit: limit, AsOf: asOf})
	if err != nil {
		return nil, err
	}
	if err := r.spendList(req, len(g.Nodes)+len(g.Edges)); err != nil {
		return nil, err
	}
	return r.s.newSubgraph(req, g.Nodes, g.Edges, g.Truncated), nil
}

func (r *resolver) Paths(ctx context.Context, a struct {
	From, To    graphql.ID
	MaxHops     opt[int32]
	RelTypes    *[]string
	ThroughHubs opt[bool]
	First       opt[int32]
}) (*pathResult, error) {
	req, err := need(ctx, probity.RoleAnalyst, "paths", true)
	if err != nil {
		return nil, err
	}
	from, err := parseID(a.From)
	if err != nil {
		return nil, err
	}
	to, err := parseID(a.To)
	if err != nil {
		return nil, err
	}
	hops, first := int(a.MaxHops.or(4)), int(a.First.or(10))
	if err := capped("maxHops", hops, probity.MaxPathHops); err != nil {
		return nil, err
	}
	if err := capped("first", first, probity.MaxPaths); err != nil {
		return nil, err
	}
	rels, err := relTypes(a.RelTypes)
	if err != nil {
		return nil, err
	}
	res, err := r.s.opt.Graph.Paths(ctx, probity.PathQuery{From: from, To: to, MaxHops: hops, RelTypes: rels,
		ThroughHubs: a.ThroughHubs.or(false), Limit: first})
	if err != nil {
		return nil, err
	}
	if err := r.spendList(req, len(res.Nodes)+len(res.Edges)); err != nil {
		return nil, err
	}
	return &pathResult{subgraph: r.s.newSubgraph(req, res.Nodes, res.Edges, res.Truncated), paths: res.Paths}, nil
}

func (r *resolver) Timeline(ctx context.Context, a struct {
	Ids      []graphql.ID
	From, To *string
	First    opt[int32]
}) (*timeline, error) {
	req, err := need(ctx, probity.RoleAnalyst, "timeline", true)
	if err != nil {
		return nil, err
	}
	refs, err := r.s.parseIDs(a.Ids)
	if err != nil {
		return nil, err
	}
	first := int(a.First.or(200))
	if err := capped("first", first, r.s.opt.Limits.MaxEvents); err != nil {
		return nil, err
	}
	from, err := parseTime("from", a.From)
	if err != nil {
		return nil, err
	}
	to, err := parseTime("to", a.To)
	if err != nil {
		return nil, err
	}
	tl, err := r.s.opt.Graph.Timeline(ctx, probity.TimelineQuery{Seeds: refs, From: from, To: to, Limit: first})
	if err != nil {
		return nil, err
	}
	if err := r.spendList(req, len(tl.Events)); err != nil {
		return nil, err
	}
	out := &timeline{truncated: len(tl.Truncated) > 0}
	for _, ev := range tl.Events {
		// "via" names the record of a look-up or the account of a payment:
		// returned to the caller, so in the audit event too
		if via, _ := ev.Edge.Properties["via"].(string); via != "" {
			label := probity.LabelRecord
			if ev.Kind == "payment" {
				label = probity.LabelAccount
			}
			req.saw(probity.Ref{Label: label, ID: via}.Key())
		}
		te := &timelineEvent{ev: ev, subject: r.s.newEntity(req, ev.Subject)}
		if probity.IsEntityLabel(ev.Other.Label) {
			te.other = r.s.newEntity(req, ev.Other)
		}
		out.events = append(out.events, te)
	}
	return out, nil
}

// maxAuditFilter is the longest auditLog filter (actor, entity,
// operation), in bytes.
const maxAuditFilter = 200

// maxAuditOperations is how many operations one auditLog filter may name
// (the Audit screen's longest entry names 7).
const maxAuditOperations = 12

func (r *resolver) AuditLog(ctx context.Context, a struct {
	First             opt[int32]
	After             *string
	Actor             *string
	From, To          *string
	Entity, Operation *string
	Revealed          opt[bool]
	NewestFirst       opt[bool]
}) (*auditConn, error) {
	req, err := need(ctx, probity.RoleReviewer, "auditLog", true)
	if err != nil {
		return nil, err
	}
	if err := req.onlyOnce("auditLog"); err != nil {
		return nil, err
	}
	n, err := r.s.pageSize(a.First.or(50))
	if err != nil {
		return nil, err
	}
	tied := tied(req)
	after, err := r.s.sealed.decodeCursor(a.After, tied)
	if err != nil {
		return nil, err
	}
	from, err := parseTime("from", a.From)
	if err != nil {
		return nil, err
	}
	to, err := parseTime("to", a.To)
	if err != nil {
		return nil, err
	}
	if from != nil && to != nil && !to.After(*from) { // an empty period answered "no events" (adminB L4)
		return nil, probity.Errorf(probity.EINVALID, "to %s is not after from %s: the period holds no time", rfc3339(*to), rfc3339(*from))
	}
	f := probity.AuditFilter{AfterSeq: after, From: from, To: to, Revealed: a.Revealed.or(false), NewestFirst: a.NewestFirst.or(false), First: n + 1}
	if a.Actor != nil { // trimmed as the others are: a pasted "alice " matched nothing (reviewB L11)
		f.Actor = strings.TrimSpace(*a.Actor)
	}
	if a.Entity != nil {
		f.Entity = strings.TrimSpace(*a.Entity)
	}
	if a.Operation != nil {
		f.Operation = strings.TrimSpace(*a.Operation)
	}
	for _, x := range []string{f.Actor, f.Entity, f.Operation} {
		if len(x) > maxAuditFilter {
			return nil, probity.Errorf(probity.ELIMIT, "an auditLog filter of %d bytes: at most %d", len(x), maxAuditFilter)
		}
	}
	// each name is a test on every event read: 100 one-letter names cost
	// 8 times an actor filter (secI L6)
	if n := len(f.Operations()); n > maxAuditOperations {
		return nil, probity.Errorf(probity.ELIMIT, "an auditLog operation filter of %d names: at most %d", n, maxAuditOperations)
	}
	// the events about the caller's own officer record are not theirs to
	// read: they would tell of a flag about them, who read it, what was
	// decided (secD)
	f.HideOfficer = req.principal.OfficerID
	if f.HideOfficer != "" {
		f.HideMisses = req.principal.Name
		// nor the watch list's changes and reads, which name what is
		// watched: a tied token may not read the list (reviewF M1)
		f.HideOperations = watchOperations
		// nor others' purposes naming it by its pseudonym, as the queue
		// shows it (secO M1); its name and its hidden flags' ids the
		// store adds
		f.HideWords = []string{Pseudonym(r.s.opt.PseudonymKey, probity.LabelOfficer, f.HideOfficer)}
	}
	// who asked the log about whom is itself on the record
	var asked []string
	for _, x := range [][2]string{{"actor", f.Actor}, {"entity", f.Entity}, {"operation", f.Operation}} {
		if x[1] != "" {
			asked = append(asked, x[0]+" "+strconv.Quote(x[1]))
		}
	}
	if f.Revealed {
		asked = append(asked, "revealed only")
	}
	if len(asked) > 0 {
		req.note("auditLog of " + strings.Join(asked, ", "))
	}
	if f.Entity != "" {
		req.saw(f.Entity)
	}
	evs, err := r.s.opt.Audit.AuditEvents(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := r.spendList(req, len(evs)); err != nil {
		return nil, err
	}
	c := &auditConn{}
	if len(evs) > n {
		evs, c.info.next = evs[:n], true
	}
	var sealed *sealedSeqs
	if tied {
		sealed = &r.s.sealed
	}
	if len(evs) > 0 {
		end := r.s.sealed.cursor(evs[len(evs)-1].Seq, tied)
		c.info.end = &end
	}
	for _, e := range evs {
		c.nodes = append(c.nodes, auditEvent{e, sealed})
	}
	return c, nil
}

func (r *resolver) AuditVerification(ctx context.Context) (auditVerification, error) {
	req, err := need(ctx, probity.RoleReviewer, "auditVerification", false)
	if err != nil {
		return auditVerification{}, err
	}
	if err := req.onlyOnce("auditVerification"); err != nil { // it reads the whole chain
		return auditVerification{}, err
	}
	v, err := r.s.opt.Audit.VerifyAudit(ctx)
	return auditVerification{v, tied(req)}, err
}

// auditVerification is the chain's check as its reader may see it: for a
// reader tied to an officer, whether it holds and nothing that counts
// events (sealedSeqs).
type auditVerification struct {
	v    probity.AuditVerification
	tied bool
}

func (a auditVerification) Ok() bool { return a.v.OK() }
func (a auditVerification) Checked() *int32 {
	if a.tied {
		return nil
	}
	n := int32(a.v.Checked)
	return &n
}
func (a auditVerification) BrokenId() *graphql.ID {
	if a.v.OK() || a.tied {
		return nil
	}
	id := graphql.ID(a.v.BrokenID)
	return &id
}
func (a auditVerification) BrokenSeq() *int32 {
	if a.v.OK() || a.tied {
		return nil
	}
	n := int32(a.v.BrokenSeq)
	return &n
}
func (a auditVerification) Reason() *string {
	switch {
	case a.v.OK():
		return nil
	case a.tied:
		r := "the chain is broken; a reviewer whose token is not tied to an officer, or probity audit verify, can see where"
		return &r
	}
	return &a.v.Reason
}

func (r *resolver) Tokens(ctx context.Context) ([]apiToken, error) {
	if _, err := need(ctx, probity.RoleAdmin, "tokens", true); err != nil {
		return nil, err
	}
	ts, err := r.s.opt.Tokens.ListTokens(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]apiToken, len(ts))
	for i, t := range ts {
		out[i] = apiToken{t}
	}
	return out, nil
}

func (r *resolver) CreateToken(ctx context.Context, a struct {
	Name, Role string
	OfficerId  *string
}) (*newToken, error) {
	req, err := need(ctx, probity.RoleAdmin, "createToken", true)
	if err != nil {
		return nil, err
	}
	secret, t, err := NewToken(a.Name, probity.Role(a.Role))
	if err != nil {
		return nil, err
	}
	t.CreatedAt = time.Now().UTC()
	if a.OfficerId != nil && strings.TrimSpace(*a.OfficerId) != "" {
		if t.OfficerID, err = OfficerID(ctx, r.s.opt.Graph, "officerId", *a.OfficerId); err != nil {
			return nil, err
		}
		req.saw(probity.LabelOfficer + ":" + t.OfficerID)
	}
	if err := r.s.opt.Tokens.CreateToken(ctx, t); err != nil {
		return nil, err
	}
	req.note(fmt.Sprintf("create token %s (%s, id %s)", t.Name, t.Role, t.ID))
	return &newToken{apiToken{t}, secret}, nil
}

// officerTiedRefusals are the administrators' changes a token tied to an
// officer record may not make, each with what it cannot do: they reach past
// what that token hides from its officer: a token (secD, secJ M1), or what
// decides which flags are raised and sent, the thresholds, the hub and
// watch lists (a suppressed hub clears the flag whose evidence runs through
// it, an unwatched record the tripwire; secG), the schedules and webhooks
// (secI L3). need refuses them, audited, in one place (reviewE L7: the rule
// was copied to seven call sites); TestOfficerTiedAdminMutations checks
// every admin mutation of the schema is here or in officerTiedAllowed.
var officerTiedRefusals = map[string]string{
	"createToken":       "create tokens (a new one could read what yours may not)",
	"revokeToken":       "revoke tokens (those revoked could be the people reviewing your case)",
	"setThreshold":      changesThresholds,
	"resetThreshold":    changesThresholds,
	"addSuppression":    changesLists,
	"removeSuppression": changesLists,
	"watch":             changesLists,
	"unwatch":           changesLists,
	"addSchedule":       changesSchedules,
	"updateSchedule":    changesSchedules,
	"removeSchedule":    changesSchedules,
	"enableSchedule":    changesSchedules,
	"addWebhook":        changesSchedules,
	"removeWebhook":     changesSchedules,
	// a read: a record known to be watched is one an officer avoids looking up (secK L1)
	"watchlist": "read the watch list (a record known to be watched is one an officer avoids looking up)",
}

// What a token tied to an officer cannot do, said of several operations.
const (
	changesThresholds = "change a threshold (a change can clear or raise the flags about you)"
	changesLists      = "change the hub list or the watch list (a change can clear or raise the flags about you)"
	changesSchedules  = "change schedules or webhooks (a scan or alert stopped would not raise or send the flags about you)"
)

// watchOperations are the audit log's operations that name watched
// entities (the API's and the command line's: "watch" is also "watch
// add"), left out of the log a token tied to an officer reads.
var watchOperations = []string{"watch", "unwatch", "watchlist"}

// officerTiedAllowed are the administrators' mutations a token tied to an
// officer may make: a scan raises flags, never hides one.
var officerTiedAllowed = []string{"runScan", "runSchedule"}

// officerTiedMessage says why a change is refused to a token tied to an
// officer record (need; POST /load says it of loading data).
func officerTiedMessage(what string) string {
	return "your token is tied to an officer record, so it cannot " + what + "; ask another administrator, or use the command line on the server"
}

// officerTiedNote is the audit note of such a refusal.
const officerTiedNote = ": forbidden (the caller's token is tied to an officer record)"

// OfficerID returns the import id of the officer that given names ("O1"
// or the global "Officer:O1"), for a token's holder: recusal reads it, so
// one that names no officer in the data is EINVALID (field says which
// input), never stored to switch recusal off without a word.
func OfficerID(ctx context.Context, g Graph, field, given string) (string, error) {
	id := strings.TrimPrefix(strings.TrimSpace(given), probity.LabelOfficer+":")
	ns, err := g.Entities(ctx, []probity.Ref{{Label: probity.LabelOfficer, ID: id}})
	if err != nil {
		return "", err
	}
	if len(ns) == 0 {
		return "", probity.Errorf(probity.EINVALID, "%s %q: no such officer", field, given)
	}
	return id, nil
}

func (r *resolver) RevokeToken(ctx context.Context, a struct{ NameOrId string }) (apiToken, error) {
	req, err := need(ctx, probity.RoleAdmin, "revokeToken", true)
	if err != nil {
		return apiToken{}, err
	}
	t, err := r.s.opt.Tokens.RevokeToken(ctx, a.NameOrId, req.principal.TokenID, time.Now().UTC())
	if err == nil {
		req.note(fmt.Sprintf("revoke token %s (%s, id %s)", t.Name, t.Role, t.ID))
	}
	return apiToken{t}, err
}

type apiToken struct{ t probity.Token }

func (t apiToken) ID() graphql.ID     { return graphql.ID(t.t.ID) }
func (t apiToken) Name() string       { return t.t.Name }
func (t apiToken) Role() string       { return string(t.t.Role) }
func (t apiToken) CreatedAt() string  { return t.t.CreatedAt.UTC().Format(time.RFC3339) }
func (t apiToken) OfficerId() *string { return optString(t.t.OfficerID) }
func (t apiToken) RevokedAt() *string {
	if t.t.RevokedAt == nil {
		return nil
	}
	s := t.t.RevokedAt.UTC().Format(time.RFC3339)
	return &s
}

type newToken struct {
	token  apiToken
	secret string
}

func (n *newToken) Token() apiToken { return n.token }
func (n *newToken) Secret() string  { return n.secret }

type auditConn struct {
	nodes []auditEvent
	info  pageInfo
}

func (c *auditConn) Nodes() []auditEvent { return c.nodes }
func (c *auditConn) PageInfo() pageInfo  { return c.info }

func (a auditEvent) At() string              { return a.e.At.UTC().Format(time.RFC3339Nano) }
func (a auditEvent) Actor() string           { return a.e.Actor }
func (a auditEvent) Role() string            { return string(a.e.Role) }
func (a auditEvent) Operation() string       { return a.e.Operation }
func (a auditEvent) VariablesDigest() string { return a.e.VariablesDigest }
func (a auditEvent) EntityIds() []graphql.ID { return ids(a.e.EntityIDs) }
func (a auditEvent) Revealed() []graphql.ID  { return ids(a.e.Revealed) }
func (a auditEvent) Purpose() string         { return a.e.Purpose }

func ids(s []string) []graphql.ID {
	out := make([]graphql.ID, len(s))
	for i, x := range s {
		out[i] = graphql.ID(x)
	}
	return out
}
