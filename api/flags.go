package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"probity"
)

// FlagStore is what the flag queue, review, reveal and operations fields
// need; cmd/probity plugs a *graph.Store in.
type FlagStore interface {
	FlagQueue(ctx context.Context, q probity.FlagQuery) ([]probity.Flag, []probity.FlagKey, error)
	CountFlagQueue(ctx context.Context, q probity.FlagQuery) (probity.FlagCounts, error)
	Flag(ctx context.Context, id string) (probity.Flag, error)
	// FlagsShownTo returns which of the flags ids a token tied to officer
	// may read: held, not about the officer, nor superseded on the way to
	// a case about it.
	FlagsShownTo(ctx context.Context, ids []string, officer string) (map[string]bool, error)
	ReviewsOf(ctx context.Context, flagIDs []string) (map[string][]probity.Review, error)
	NotesOf(ctx context.Context, flagIDs []string) (map[string][]probity.FlagNote, error)
	NoteFlag(ctx context.Context, flagID, author, text string, acknowledged []string) (probity.FlagNote, error)
	DeclarationsOf(ctx context.Context, flagIDs []string) (map[string][]probity.Declaration, error)
	ReviewFlag(ctx context.Context, flagID, reviewer string, decision probity.FlagStatus, reason string, acknowledged []string) (probity.Review, error)
	ConfirmReferral(ctx context.Context, flagID, reviewer, reason string, acknowledged []string) (probity.Review, error)
	ReturnReferral(ctx context.Context, flagID, reviewer, reason string, acknowledged []string) (probity.Review, error)
	ReviewOutcomes(ctx context.Context, pattern, hide string) ([]probity.ReviewOutcome, error)
	OfficerRisks(ctx context.Context, officerIDs []string, hide string) (map[string]probity.OfficerRisk, error)
	RecordReveal(ctx context.Context, rv probity.Reveal) (probity.Reveal, error)
	RevealedFlags(ctx context.Context, actor string, flagIDs []string) (map[string]string, error)

	PatternLibrary() []probity.PatternInfo
	// PatternsInEffect is the library with each parameter's value in
	// effect; SetThreshold and ResetThreshold change one (graph/thresholds.go).
	PatternsInEffect(ctx context.Context) ([]probity.PatternInfo, error)
	SetThreshold(ctx context.Context, pattern, name, value, reason, by string) (probity.PatternParam, error)
	ResetThreshold(ctx context.Context, pattern, name, reason, by string) (now probity.PatternParam, was any, err error)
	Scan(ctx context.Context, opts probity.ScanOptions) (probity.ScanRun, error)
	ScanRunPage(ctx context.Context, skip, limit int) ([]probity.ScanRun, error)
	Fairness(ctx context.Context, q probity.FairnessQuery) (probity.FairnessReport, error)
	// OfficersFlagged gives the officers with a flag, each once.
	OfficersFlagged(ctx context.Context) ([]string, error)
	LatestAccuracyReport(ctx context.Context, changes bool) (probity.AccuracyReport, error)

	Suppressions(ctx context.Context) ([]probity.Suppression, error)
	AddSuppression(ctx context.Context, entityID, reason, by string) (probity.Suppression, error)
	RemoveSuppression(ctx context.Context, id string) error
	Watches(ctx context.Context) ([]probity.WatchItem, error)
	AddWatch(ctx context.Context, entityID, reason, by string) (probity.WatchItem, error)
	RemoveWatch(ctx context.Context, id string) error

	SaveChart(ctx context.Context, c probity.SavedChart) (probity.SavedChart, error)
	Charts(ctx context.Context, owner string) ([]probity.SavedChart, error)
	Chart(ctx context.Context, id, owner string) (probity.SavedChart, error)
	DeleteChart(ctx context.Context, id, owner string) error
}

func (s *Server) flagStore() (FlagStore, error) {
	if s.opt.Flags == nil {
		return nil, probity.Errorf(probity.EUNAVAILABLE, "flags are not configured on this server")
	}
	return s.opt.Flags, nil
}

// flagsFor checks that the caller may run op (as need does) and returns the
// flag store; EUNAVAILABLE when the server has none.
func (r *resolver) flagsFor(ctx context.Context, role probity.Role, op string, audited bool) (*request, FlagStore, error) {
	req, err := need(ctx, role, op, audited)
	if err != nil {
		return nil, nil, err
	}
	fs, err := r.s.flagStore()
	if err != nil {
		return nil, nil, err
	}
	return req, fs, nil
}

// The orders of the flag queue (FlagOrder).
const (
	orderScore   = "SCORE"
	orderRisk    = "RISK"
	orderChanged = "CHANGED"
)

// flagCursor encodes a flag's place in the queue order: "flag:SCORE:ID",
// in the order by risk "flagr:RISK:SCORE:ID:OFFICER" (a flag id holds no
// colon; an officer's import id may, so it comes last), in the order by
// change "flagc:ID:CHANGEDAT" (RFC 3339 with nanoseconds).
func flagCursor(k probity.FlagKey, order string) string {
	s := "flag:" + strconv.FormatFloat(k.Score, 'g', -1, 64) + ":" + k.ID
	switch order {
	case orderRisk:
		s = "flagr:" + strconv.FormatFloat(k.Risk, 'g', -1, 64) + ":" + strconv.FormatFloat(k.Score, 'g', -1, 64) + ":" + k.ID + ":" + k.OfficerID
	case orderChanged:
		s = "flagc:" + k.ID + ":" + k.ChangedAt.UTC().Format(time.RFC3339Nano)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// flagIDForm is the form of a flag id, as the store makes them (FLAG- and
// 16 hex digits): a cursor naming anything else was not written by us.
var flagIDForm = regexp.MustCompile(`^FLAG-[0-9a-f]{16}$`)

// decodeFlagCursor reads a cursor of the order asked for: one of another
// order is refused, as its place means nothing there.
func decodeFlagCursor(c *string, order string) (*probity.FlagKey, error) {
	if c == nil || *c == "" {
		return nil, nil
	}
	bad := probity.Errorf(probity.EINVALID, "bad cursor %q: pass an endCursor from a previous page of flags in the same order", *c)
	b, err := base64.RawURLEncoding.DecodeString(*c)
	if err != nil {
		return nil, bad
	}
	if order == orderChanged {
		id, at, ok := strings.Cut(strings.TrimPrefix(string(b), "flagc:"), ":")
		t, err := time.Parse(time.RFC3339Nano, at)
		if !strings.HasPrefix(string(b), "flagc:") || !ok || err != nil || !flagIDForm.MatchString(id) {
			return nil, bad
		}
		return &probity.FlagKey{ID: id, ChangedAt: t}, nil
	}
	prefix, fields := "flag:", 2
	if order == orderRisk {
		prefix, fields = "flagr:", 4
	}
	rest, ok := strings.CutPrefix(string(b), prefix)
	parts := strings.SplitN(rest, ":", fields)
	if !ok || len(parts) != fields {
		return nil, bad
	}
	// A place no flag can have (a score or risk outside [0, 1], NaN, an id
	// that is no flag id) is refused, not read as the end of the queue
	// (apiY: a corrupted cursor had ended a sync silently).
	unit := func(s string) (float64, bool) {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && v >= 0 && v <= 1
	}
	var k probity.FlagKey
	if order == orderRisk { // RISK:SCORE:ID:OFFICER
		if k.Risk, ok = unit(parts[0]); !ok || parts[3] == "" {
			return nil, bad
		}
		k.OfficerID, parts = parts[3], parts[1:3]
	}
	if k.Score, ok = unit(parts[0]); !ok || !flagIDForm.MatchString(parts[1]) {
		return nil, bad
	}
	k.ID = parts[1]
	return &k, nil
}

// sawAsked records the officers the filter named, by pseudonym or by id:
// the answer tells whether they are flagged and how it was decided, even
// with no flag on the page (totalCount past the end, counts), so the
// event names them (secC).
func (s *Server) sawAsked(ctx context.Context, req *request, q probity.FlagQuery) error {
	for _, id := range q.OfficerIDs {
		req.saw(probity.Ref{Label: probity.LabelOfficer, ID: id}.Key())
	}
	// a text that is an officer's id asks about that officer as well (secD)
	if q.Text == "" {
		return nil
	}
	ref := probity.Ref{Label: probity.LabelOfficer, ID: q.Text}
	ns, err := s.opt.Graph.Entities(ctx, []probity.Ref{ref})
	if err != nil {
		return err
	}
	if len(ns) > 0 {
		req.saw(ref.Key())
	}
	return nil
}

// flagFilterArgs is the FlagFilter input.
type flagFilterArgs struct {
	Pattern  *[]string
	Status   *[]string
	Unit     *string
	MinScore *float64
	MinRisk  *float64
	Text     *string
	// AwaitingConfirmation: referrals awaiting a reviewer's confirmation.
	AwaitingConfirmation *bool
	// Cleared: the flags a scan cleared instead of the current ones.
	Cleared  *bool
	NotFound *bool
	// ChangedSince: flags changed at or after this time (RFC 3339), in
	// every state unless Status says, superseded and cleared ones too.
	ChangedSince *string
}

// maxFilterText is the longest text filter of the flag list.
const maxFilterText = 200

// pseudonymRE is the form of an officer's pseudonym (Pseudonym).
var pseudonymRE = regexp.MustCompile(`(?i)^` + probity.LabelOfficer + `-[0-9a-f]{8}$`)

func (s *Server) flagQuery(ctx context.Context, f *flagFilterArgs) (probity.FlagQuery, error) {
	q := probity.FlagQuery{Statuses: []probity.FlagStatus{probity.FlagNew, probity.FlagInReview}}
	if f == nil {
		return q, nil
	}
	if f.Pattern != nil {
		for _, p := range *f.Pattern {
			if err := probity.CheckPattern(s.opt.Flags.PatternLibrary(), p); err != nil {
				return q, err
			}
		}
		q.Patterns = *f.Pattern
	}
	if f.Status != nil {
		q.Statuses = nil
		for _, st := range *f.Status {
			q.Statuses = append(q.Statuses, probity.FlagStatus(st))
		}
	}
	if a := f.AwaitingConfirmation; a != nil {
		q.Awaiting = a
		switch {
		case *a && f.Status == nil:
			q.Statuses = []probity.FlagStatus{probity.FlagReferredInvestigation}
		case *a && len(q.Statuses) > 0 && !slices.Contains(q.Statuses, probity.FlagReferredInvestigation):
			return q, probity.Errorf(probity.EINVALID, "awaitingConfirmation: true keeps referrals only, and status %v has no referred_investigation", q.Statuses)
		}
	}
	if f.Unit != nil {
		q.Unit = *f.Unit
	}
	if f.Cleared != nil {
		q.Cleared = *f.Cleared
	}
	if f.NotFound != nil {
		q.NotFound = *f.NotFound
		switch {
		case q.NotFound && q.Cleared:
			return q, probity.Errorf(probity.EINVALID, "notFound and cleared: a cleared flag is never marked not found (a scan clears only new flags); ask for one or the other")
		case q.NotFound && f.Status == nil:
			q.Statuses = nil // taken up, then no longer found: in review or decided (reviewE L5)
		}
	}
	if f.ChangedSince != nil {
		if *f.ChangedSince == "" { // not read as no filter: a mirror would get the open queue only (syncZ)
			return q, probity.Errorf(probity.EINVALID, "changedSince: give a time (RFC 3339, or YYYY-MM-DD for midnight UTC)")
		}
		t, err := parseTime("changedSince", f.ChangedSince)
		if err != nil {
			return q, err
		}
		q.ChangedSince = t
		if t != nil && f.Status == nil && f.AwaitingConfirmation == nil {
			q.Statuses = nil // a mirror needs every change, decisions too
		}
	}
	for _, m := range []struct {
		name string
		v    *float64
		dst  **float64
	}{{"minScore", f.MinScore, &q.MinScore}, {"minRisk", f.MinRisk, &q.MinRisk}} {
		if m.v == nil {
			continue
		}
		if *m.v < 0 || *m.v > 1 {
			return q, probity.Errorf(probity.EINVALID, "%s %v: want 0..1", m.name, *m.v)
		}
		*m.dst = m.v
	}
	if f.Text != nil {
		text := strings.TrimSpace(*f.Text)
		if len(text) > maxFilterText {
			return q, probity.Errorf(probity.ELIMIT, "text filter of %d bytes: at most %d", len(text), maxFilterText)
		}
		if !pseudonymRE.MatchString(text) {
			q.Text = text
			return q, nil
		}
		ids, err := s.flaggedByPseudonym(ctx, text)
		if err != nil {
			return q, err
		}
		q.OfficerIDs = ids
	}
	return q, nil
}

// flaggedByPseudonym returns the flagged officers whose pseudonym is p
// (none, or one but for a collision). The queue shows officers by
// pseudonym, which cannot be reversed: the officers with a flag are
// pseudonymised until one matches.
func (s *Server) flaggedByPseudonym(ctx context.Context, p string) ([]string, error) {
	flagged, err := s.opt.Flags.OfficersFlagged(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, id := range flagged {
		if strings.EqualFold(Pseudonym(s.opt.PseudonymKey, probity.LabelOfficer, id), p) {
			out = append(out, id)
		}
	}
	return out, nil
}

func (r *resolver) Flags(ctx context.Context, a struct {
	Filter *flagFilterArgs
	First  opt[int32]
	After  *string
	Order  opt[string]
}) (*flagConn, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "flags", true)
	if err != nil {
		return nil, err
	}
	n, err := r.s.pageSize(a.First.or(50))
	if err != nil {
		return nil, err
	}
	q, err := r.s.flagQuery(ctx, a.Filter)
	if err != nil {
		return nil, err
	}
	if err := r.s.sawAsked(ctx, req, q); err != nil {
		return nil, err
	}
	q.HideOfficer = req.principal.OfficerID
	order := a.Order.or(orderScore)
	q.ByRisk, q.ByChange = order == orderRisk, order == orderChanged
	if q.After, err = decodeFlagCursor(a.After, order); err != nil {
		return nil, err
	}
	q.Limit = n + 1
	list, keys, err := fs.FlagQueue(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &flagConn{fs: fs, q: q}
	if len(list) > n {
		list, c.info.next = list[:n], true
	}
	// each flag and the entities of its evidence count against the
	// request's budget (aliases of whole queues would escape it otherwise)
	spent := len(list)
	for _, f := range list {
		spent += len(f.EvidenceIDs)
	}
	if err := r.spendList(req, spent); err != nil {
		return nil, err
	}
	if len(list) > 0 {
		end := flagCursor(keys[len(list)-1], order)
		c.info.end = &end
	}
	set, err := r.s.newFlagSet(ctx, req, list)
	if err != nil {
		return nil, err
	}
	c.nodes = set.items
	return c, nil
}

func (r *resolver) FlagCounts(ctx context.Context, a struct{ Filter *flagFilterArgs }) (*flagCounts, error) {
	// Counts under a text filter (an officer's id or pseudonym) tell whether
	// that officer is flagged, by what, and how it was decided: audited.
	// The queue's counts per pattern and state are not about anyone.
	named := a.Filter != nil && a.Filter.Text != nil && strings.TrimSpace(*a.Filter.Text) != ""
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "flagCounts", named)
	if err != nil {
		return nil, err
	}
	if named {
		req.note(fmt.Sprintf("flagCounts of %q", strings.TrimSpace(*a.Filter.Text))) // who was asked about
	}
	q, err := r.s.flagQuery(ctx, a.Filter)
	if err != nil {
		return nil, err
	}
	if named {
		if err := r.s.sawAsked(ctx, req, q); err != nil {
			return nil, err
		}
	}
	q.HideOfficer = req.principal.OfficerID
	c, err := fs.CountFlagQueue(ctx, q)
	if err != nil {
		return nil, err
	}
	return &flagCounts{c}, nil
}

func (r *resolver) Flag(ctx context.Context, a struct{ ID graphql.ID }) (*flagR, error) {
	req, err := need(ctx, probity.RoleAnalyst, "flag", true)
	if err != nil {
		return nil, err
	}
	f, err := r.s.flagFor(ctx, req, string(a.ID))
	if err != nil {
		return nil, err
	}
	set, err := r.s.newFlagSet(ctx, req, []probity.Flag{f})
	if err != nil {
		return nil, err
	}
	return set.items[0], nil
}

// flagFor loads flag id for the caller, who may read it: a flag about the
// caller's own officer record, or superseded by one (however many times:
// the successor's id would tell of the case, secH, secL H2), is refused as
// one that does not exist, for a read and for every decision, note or
// reveal alike. Whether a token tied to an officer may read it is asked
// of the store for every flag (FlagsShownTo, the rule the queue and the
// audit log apply), not only for a superseded one: one rule, and no
// lookup that only some flags make (reviewJ L5).
func (s *Server) flagFor(ctx context.Context, req *request, id string) (probity.Flag, error) {
	f, err := s.loadFlag(ctx, id)
	if err != nil || req.principal.OfficerID == "" {
		return f, err
	}
	fs, err := s.flagStore()
	if err != nil {
		return probity.Flag{}, err
	}
	shown, err := fs.FlagsShownTo(ctx, []string{f.ID}, req.principal.OfficerID)
	if err != nil {
		return probity.Flag{}, err
	}
	if !shown[f.ID] {
		why := "superseded by a flag about the caller's own officer record"
		if ownFlag(req.principal, f) {
			why = "the caller's own officer record"
		}
		return probity.Flag{}, notTheirs(req, f.ID, why)
	}
	return f, nil
}

func (s *Server) loadFlag(ctx context.Context, id string) (probity.Flag, error) {
	fs, err := s.flagStore()
	if err != nil {
		return probity.Flag{}, err
	}
	if strings.TrimSpace(id) == "" {
		return probity.Flag{}, probity.Errorf(probity.EINVALID, "give a flag id")
	}
	return fs.Flag(ctx, id)
}

func (r *resolver) OfficerRisk(ctx context.Context, a struct{ ID graphql.ID }) (*officerRisk, error) {
	req, fs, err := r.flagsFor(ctx, probity.RoleAnalyst, "officerRisk", true)
	if err != nil {
		return nil, err
	}
	ref, err := parseID(a.ID)
	if err != nil {
		return nil, err
	}
	if ref.Label != probity.LabelOfficer {
		return nil, probity.Errorf(probity.EINVALID, "officerRisk needs an officer id, for example Officer:O1")
	}
	if req.principal.OfficerID == ref.ID {
		req.note("refused: officerRisk of the caller's own officer record")
		return nil, probity.Errorf(probity.EFORBIDDEN, "your own officer record's risk is not yours to read")
	}
	risks, err := fs.OfficerRisks(ctx, []string{ref.ID}, req.principal.OfficerID)
	if err != nil {
		return nil, err
	}
	risk, ok := risks[ref.ID]
	if !ok {
		return nil, probity.Errorf(probity.ENOTFOUND, "no officer %s", ref.Key())
	}
	ns, err := r.s.opt.Graph.Entities(ctx, []probity.Ref{ref})
	if err != nil || len(ns) == 0 {
		return nil, fmt.Errorf("officer %s: %v", ref.Key(), err)
	}
	return &officerRisk{risk: risk, officer: r.s.newEntity(req, ns[0])}, nil
}

// flagSet holds the flags of one response and loads what their fields
// need once for all of them: officers, evidence entities, reviews, risks.
type flagSet struct {
	s        *Server
	req      *request
	items    []*flagR
	revealed map[string]string // flag id → purpose of the caller's reveal

	officersOnce sync.Once
	officers     map[string]*entity
	officersErr  error

	evidenceOnce sync.Once
	evidence     map[string]probity.Node // global id → node
	evidenceErr  error

	reviewsOnce sync.Once
	reviews     map[string][]probity.Review
	reviewsErr  error

	notesOnce sync.Once
	notes     map[string][]probity.FlagNote
	notesErr  error

	risksOnce sync.Once
	risks     map[string]probity.OfficerRisk
	risksErr  error

	declarationsOnce sync.Once
	declarations     map[string][]probity.Declaration
	declarationsErr  error

	recusalsOnce sync.Once
	recusals     map[string]recusalOf // flag id →
	recusalsErr  error

	newerOnce sync.Once
	newer     map[string]bool // the newerFlag ids an officer-tied caller may read
	newerErr  error
}

// newFlagSet wraps flags returned to the caller. The audit event records
// each flag id, its officer and its evidence entities, whether or not the
// query asks for them (the explanation speaks of them).
func (s *Server) newFlagSet(ctx context.Context, req *request, flags []probity.Flag) (*flagSet, error) {
	set := &flagSet{s: s, req: req, revealed: map[string]string{}}
	ids := make([]string, len(flags))
	for i, f := range flags {
		ids[i] = f.ID
	}
	if len(ids) > 0 {
		rv, err := s.opt.Flags.RevealedFlags(ctx, req.principal.Name, ids)
		if err != nil {
			return nil, err
		}
		set.revealed = rv
	}
	for _, f := range flags {
		req.saw(f.ID)
		req.saw(probity.Ref{Label: probity.LabelOfficer, ID: f.OfficerID}.Key())
		for _, n := range f.Evidence.Nodes {
			req.saw(probity.Ref{Label: n.Label, ID: n.ID}.Key())
		}
		set.items = append(set.items, &flagR{f: f, set: set})
	}
	return set, nil
}

// entityFor wraps a node for flag f: officers and persons show their real
// names in displayName when the caller revealed this flag.
func (set *flagSet) entityFor(f probity.Flag, n probity.Node) *entity {
	e := set.s.newEntity(set.req, n)
	if p, ok := set.revealed[f.ID]; ok && (n.Label == probity.LabelOfficer || n.Label == probity.LabelPerson) {
		e.revealFor = "flag " + f.ID + ": " + p
	}
	return e
}

func (set *flagSet) loadOfficers(ctx context.Context) {
	set.officersOnce.Do(func() {
		var refs []probity.Ref
		seen := map[string]bool{}
		for _, it := range set.items {
			if !seen[it.f.OfficerID] {
				seen[it.f.OfficerID] = true
				refs = append(refs, probity.Ref{Label: probity.LabelOfficer, ID: it.f.OfficerID})
			}
		}
		ns, err := set.s.opt.Graph.Entities(ctx, refs)
		set.officersErr = err
		set.officers = map[string]*entity{}
		for _, n := range ns {
			set.officers[n.ID] = &entity{ID: fastID(n.Ref().Key()), n: n}
		}
	})
}

func (set *flagSet) loadEvidence(ctx context.Context) {
	set.evidenceOnce.Do(func() {
		var refs []probity.Ref
		seen := map[string]bool{}
		for _, it := range set.items {
			for _, n := range it.f.Evidence.Nodes {
				ref := probity.Ref{Label: n.Label, ID: n.ID}
				if probity.IsEntityLabel(n.Label) && !seen[ref.Key()] {
					seen[ref.Key()] = true
					refs = append(refs, ref)
				}
			}
		}
		set.evidence = map[string]probity.Node{}
		if len(refs) == 0 {
			return
		}
		ns, err := set.s.opt.Graph.Entities(ctx, refs)
		set.evidenceErr = err
		for _, n := range ns {
			set.evidence[n.Ref().Key()] = n
		}
	})
}

func (set *flagSet) flagIDs() []string {
	out := make([]string, len(set.items))
	for i, it := range set.items {
		out[i] = it.f.ID
	}
	return out
}

func (set *flagSet) loadReviews(ctx context.Context) {
	set.reviewsOnce.Do(func() {
		set.reviews, set.reviewsErr = set.s.opt.Flags.ReviewsOf(ctx, set.flagIDs())
	})
}

func (set *flagSet) loadNotes(ctx context.Context) {
	set.notesOnce.Do(func() {
		set.notes, set.notesErr = set.s.opt.Flags.NotesOf(ctx, set.flagIDs())
	})
}

func (set *flagSet) loadDeclarations(ctx context.Context) {
	set.declarationsOnce.Do(func() {
		set.declarations, set.declarationsErr = set.s.opt.Flags.DeclarationsOf(ctx, set.flagIDs())
	})
}

// loadNewer reads, in one query, which flags the set's flags name as
// newerFlag a token tied to an officer may read (reviewE M5: one round
// trip a row before; reviewI H2: a newer flag hidden from it, superseded
// by its case, was named).
func (set *flagSet) loadNewer(ctx context.Context) {
	set.newerOnce.Do(func() {
		var ids []string
		for _, it := range set.items {
			if it.f.NewerFlag != "" {
				ids = append(ids, it.f.NewerFlag)
			}
		}
		fs, err := set.s.flagStore()
		if err != nil {
			set.newerErr = err
			return
		}
		set.newer, set.newerErr = fs.FlagsShownTo(ctx, ids, set.req.principal.OfficerID)
	})
}

func (set *flagSet) loadRisks(ctx context.Context) {
	set.risksOnce.Do(func() {
		var ids []string
		for _, it := range set.items {
			ids = append(ids, it.f.OfficerID)
		}
		set.risks, set.risksErr = set.s.opt.Flags.OfficerRisks(ctx, ids, set.req.principal.OfficerID)
	})
}

// flagR resolves Flag.
type flagR struct {
	f   probity.Flag
	set *flagSet
}

func (f *flagR) ID() graphql.ID        { return graphql.ID(f.f.ID) }
func (f *flagR) Pattern() string       { return f.f.Pattern }
func (f *flagR) PatternVersion() int32 { return int32(f.f.PatternVersion) }
func (f *flagR) Score() float64        { return f.f.Score }
func (f *flagR) Status() string        { return string(f.f.Status) }
func (f *flagR) Explanation() string   { return f.f.Explanation }
func (f *flagR) InnocentExplanation() *string {
	if f.f.InnocentExplanation == "" {
		return nil
	}
	return &f.f.InnocentExplanation
}
func (f *flagR) Parameters() []property { return properties(f.f.Parameters) }
func (f *flagR) FirstSeen() string      { return rfc3339(f.f.FirstSeen) }
func (f *flagR) LastSeen() string       { return rfc3339(f.f.LastSeen) }
func (f *flagR) ScannedAt() string      { return rfc3339(f.f.ScannedAt) }
func (f *flagR) ScanRunId() *string     { return optString(f.f.ScanRunID) }
func (f *flagR) SupersededBy() *graphql.ID {
	if f.f.SupersededBy == "" {
		return nil
	}
	f.set.req.saw(f.f.SupersededBy) // an id the answer names (secH)
	id := graphql.ID(f.f.SupersededBy)
	return &id
}
func (f *flagR) ClearedAt() *string     { return optTime(f.f.ClearedAt) }
func (f *flagR) ChangedAt() string      { return rfc3339(f.f.ChangedAt) }
func (f *flagR) ClearedByRun() *string  { return optString(f.f.ClearedByRun) }
func (f *flagR) ClearedHubs() []string  { return nonNil(f.f.ClearedHubs) }
func (f *flagR) NotFoundAt() *string    { return optTime(f.f.NotFoundAt) }
func (f *flagR) NotFoundByRun() *string { return optString(f.f.NotFoundByRun) }

// NewerFlag names the flag the scan found in this one's place, unless that
// flag is about the caller's own officer record (it names them in its
// evidence): its id would tell of a case the caller may not see, as a
// successor's would (secH, secJ H1). It is then null, as when there is
// none.
func (f *flagR) NewerFlag(ctx context.Context) (*graphql.ID, error) {
	if f.f.NewerFlag == "" {
		return nil, nil
	}
	if p := f.set.req.principal; p.OfficerID != "" {
		f.set.loadNewer(ctx)
		if f.set.newerErr != nil {
			return nil, f.set.newerErr
		}
		if !f.set.newer[f.f.NewerFlag] {
			return nil, nil
		}
	}
	f.set.req.saw(f.f.NewerFlag) // an id the answer names, as supersededBy
	id := graphql.ID(f.f.NewerFlag)
	return &id, nil
}
func (f *flagR) ClearedParameters() []property { return properties(f.f.ClearedParameters) }
func (f *flagR) NextStatuses() []string {
	var out []string
	for _, s := range f.f.Next() {
		out = append(out, string(s))
	}
	return nonNil(out)
}
func (f *flagR) Revealed() bool {
	_, ok := f.set.revealed[f.f.ID]
	return ok
}

func (f *flagR) Officer(ctx context.Context) (*entity, error) {
	f.set.loadOfficers(ctx)
	if f.set.officersErr != nil {
		return nil, f.set.officersErr
	}
	o, ok := f.set.officers[f.f.OfficerID]
	if !ok {
		return nil, probity.Errorf(probity.ENOTFOUND, "the officer %s of flag %s is no longer in the graph", f.f.OfficerID, f.f.ID)
	}
	return f.set.entityFor(f.f, o.n), nil
}

func (f *flagR) OfficerRisk(ctx context.Context) (*officerRisk, error) {
	f.set.loadRisks(ctx)
	if f.set.risksErr != nil {
		return nil, f.set.risksErr
	}
	o, err := f.Officer(ctx)
	if err != nil {
		return nil, err
	}
	return &officerRisk{risk: f.set.risks[f.f.OfficerID], officer: o}, nil
}

func (f *flagR) Reviews(ctx context.Context) ([]review, error) {
	f.set.loadReviews(ctx)
	if f.set.reviewsErr != nil {
		return nil, f.set.reviewsErr
	}
	out := []review{}
	for _, rv := range f.set.reviews[f.f.ID] {
		out = append(out, review{rv})
	}
	return out, nil
}

func (f *flagR) Declarations(ctx context.Context) ([]flagDeclaration, error) {
	f.set.loadDeclarations(ctx)
	if f.set.declarationsErr != nil {
		return nil, f.set.declarationsErr
	}
	out := []flagDeclaration{}
	for _, d := range f.set.declarations[f.f.ID] {
		out = append(out, flagDeclaration{d: d, flagDay: f.f.FirstSeen.UTC().Truncate(24 * time.Hour)})
	}
	return out, nil
}

func (f *flagR) Evidence(ctx context.Context) (*flagEvidence, error) {
	f.set.loadEvidence(ctx)
	if f.set.evidenceErr != nil {
		return nil, f.set.evidenceErr
	}
	ev := &flagEvidence{}
	label := map[string]string{}
	for _, n := range f.f.Evidence.Nodes {
		if _, ok := label[n.ID]; !ok {
			label[n.ID] = n.Label
		}
		ref := probity.Ref{Label: n.Label, ID: n.ID}
		if node, ok := f.set.evidence[ref.Key()]; ok {
			ev.nodes = append(ev.nodes, f.set.entityFor(f.f, node))
		} else {
			ev.others = append(ev.others, evidenceItem{id: ref.Key(), typ: n.Label})
		}
	}
	global := func(id string) string {
		if l, ok := label[id]; ok {
			return probity.Ref{Label: l, ID: id}.Key()
		}
		return id
	}
	for _, e := range f.f.Evidence.Edges {
		ev.edges = append(ev.edges, evidenceEdge{e: e, from: global(e.From), to: global(e.To)})
	}
	if ev.nodes == nil {
		ev.nodes = []*entity{}
	}
	return ev, nil
}

// Recusal says whether the caller should step aside from this flag. The
// flags of a page are looked at together (loadRecusals).
func (f *flagR) Recusal(ctx context.Context) (*recusal, error) {
	f.set.loadRecusals(ctx)
	if f.set.recusalsErr != nil {
		return nil, f.set.recusalsErr
	}
	r := f.set.recusals[f.f.ID]
	f.set.req.sawAll(r.pathIDs)
	// own stays false where the flag can be read: one's own is refused (flagFor)
	return &recusal{r.reasons, ownFlag(f.set.req.principal, f.f)}, nil
}

func (set *flagSet) loadRecusals(ctx context.Context) {
	set.recusalsOnce.Do(func() {
		flags := make([]probity.Flag, len(set.items))
		for i, it := range set.items {
			flags[i] = it.f
		}
		rs, err := set.s.recusalsOf(ctx, set.req.principal, flags)
		set.recusals, set.recusalsErr = map[string]recusalOf{}, err
		for i, r := range rs {
			set.recusals[flags[i].ID] = r
		}
	})
}

// parties are the officers flag f is about: its officer, then its
// co-subjects.
func parties(f probity.Flag) []string { return append([]string{f.OfficerID}, f.CoSubjects()...) }

// recusalOf is how the caller is linked to one flag's officers: the
// reasons, and the global ids of the paths they name.
type recusalOf struct{ reasons, pathIDs []string }

// flagRecusal is recusalsOf for one flag.
func (s *Server) flagRecusal(ctx context.Context, p Principal, f probity.Flag) (reasons, pathIDs []string, err error) {
	rs, err := s.recusalsOf(ctx, p, []probity.Flag{f})
	if err != nil {
		return nil, nil, err
	}
	return rs[0].reasons, rs[0].pathIDs, nil
}

// recusalsOf lists, for each of flags, how the caller's own officer record
// (the token's officerId) is linked to the flag's officer and to the
// co-subjects its evidence names (probity.Flag.CoSubjects; secD: a reviewer
// in a co-accused's unit decided on the crew's flag unasked), each of those
// reasons naming the co-subject. Nothing when the token names no officer or
// nothing links them. The officers of all the flags are looked at in one
// Graph.Recusal call, at most Limits.MaxRecusalOfficers of them (ELIMIT).
func (s *Server) recusalsOf(ctx context.Context, p Principal, flags []probity.Flag) ([]recusalOf, error) {
	out := make([]recusalOf, len(flags))
	if p.OfficerID == "" {
		return out, nil
	}
	var officers []string
	for _, f := range flags {
		for _, o := range parties(f) {
			if !slices.Contains(officers, o) {
				officers = append(officers, o)
			}
		}
	}
	if max := s.opt.Limits.MaxRecusalOfficers; len(officers) > max {
		return nil, probity.Errorf(probity.ELIMIT, "the recusal notices of these %d flags would look for links to %d officers (at most %d a request): ask them of fewer flags, or of each flag(id)",
			len(flags), len(officers), max)
	}
	links, err := s.opt.Graph.Recusal(ctx, p.OfficerID, officers)
	if err != nil {
		return nil, err
	}
	byOfficer := map[string]probity.RecusalLink{}
	for _, l := range links {
		byOfficer[l.OfficerID] = l
	}
	for i, f := range flags {
		for j, o := range parties(f) {
			l := byOfficer[o]
			for _, r := range l.Reasons {
				if j > 0 {
					r = fmt.Sprintf("co-subject %s, named in the evidence: %s", o, r)
				}
				out[i].reasons = append(out[i].reasons, r)
			}
			out[i].pathIDs = append(out[i].pathIDs, l.PathIDs...)
		}
	}
	return out, nil
}

type recusal struct {
	reasons []string
	own     bool
}

func (r *recusal) Required() bool    { return len(r.reasons) > 0 }
func (r *recusal) Own() bool         { return r.own }
func (r *recusal) Reasons() []string { return nonNil(r.reasons) }
func (r *recusal) Reason() *string {
	return optString(strings.Join(r.reasons, "; "))
}

type flagConn struct {
	nodes []*flagR
	info  pageInfo
	fs    FlagStore
	q     probity.FlagQuery
}

// TotalCount counts every flag of the filter (one more query, only when asked).
func (c *flagConn) TotalCount(ctx context.Context) (int32, error) {
	q := c.q
	q.After = nil
	n, err := c.fs.CountFlagQueue(ctx, q)
	return int32(n.Total), err
}

func (c *flagConn) Nodes() []*flagR {
	if c.nodes == nil {
		return []*flagR{}
	}
	return c.nodes
}
func (c *flagConn) PageInfo() pageInfo { return c.info }

type flagCounts struct{ c probity.FlagCounts }

func (c *flagCounts) Total() int32 { return int32(c.c.Total) }
func (c *flagCounts) ByPattern() []patternCount {
	out := []patternCount{}
	for p, n := range c.c.ByPattern {
		out = append(out, patternCount{p, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pattern < out[j].pattern })
	return out
}

type patternCount struct {
	pattern string
	n       int
}

func (p patternCount) Pattern() string { return p.pattern }
func (p patternCount) Count() int32    { return int32(p.n) }

func (f *flagR) Notes(ctx context.Context) ([]flagNote, error) {
	f.set.loadNotes(ctx)
	if f.set.notesErr != nil {
		return nil, f.set.notesErr
	}
	notes := f.set.notes[f.f.ID]
	// notes count against the request's budget: a flag may hold many, and
	// aliases of one flag would multiply them (secD)
	if err := f.set.req.spendLinked(len(notes), f.set.s.opt.Limits.MaxLinked); err != nil {
		return nil, err
	}
	out := []flagNote{}
	for _, n := range notes {
		out = append(out, flagNote{n})
	}
	return out, nil
}

type flagNote struct{ n probity.FlagNote }

func (n flagNote) ID() graphql.ID              { return graphql.ID(n.n.ID) }
func (n flagNote) At() string                  { return rfc3339(n.n.At) }
func (n flagNote) Author() string              { return n.n.Author }
func (n flagNote) Text() string                { return n.n.Text }
func (n flagNote) AcknowledgedLinks() []string { return nonNil(n.n.Acknowledged) }

type review struct{ r probity.Review }

func (r review) ID() graphql.ID              { return graphql.ID(r.r.ID) }
func (r review) At() string                  { return rfc3339(r.r.At) }
func (r review) Reviewer() string            { return r.r.Reviewer }
func (r review) From() string                { return string(r.r.From) }
func (r review) To() string                  { return string(r.r.To) }
func (r review) Reason() string              { return r.r.Reason }
func (r review) AcknowledgedLinks() []string { return nonNil(r.r.Acknowledged) }
func (r review) Parameters() []property      { return properties(r.r.Parameters) }

type flagDeclaration struct {
	d       probity.Declaration
	flagDay time.Time // the UTC day the flag was first raised
}

func (d flagDeclaration) Declared() graphql.ID { return graphql.ID(d.d.Declared.Key()) }
func (d flagDeclaration) Type() *string        { return optString(d.d.Type) }
func (d flagDeclaration) On() *string          { return optDay(d.d.On) }
func (d flagDeclaration) WithdrawnOn() *string { return optDay(d.d.WithdrawnOn) }
func (d flagDeclaration) AfterFlag() bool      { return d.d.On.After(d.flagDay) }

func optDay(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format("2006-01-02")
	return &s
}

type flagEvidence struct {
	nodes  []*entity
	others []evidenceItem
	edges  []evidenceEdge
}

func (e *flagEvidence) Nodes() []*entity { return e.nodes }
func (e *flagEvidence) Others() []evidenceItem {
	if e.others == nil {
		return []evidenceItem{}
	}
	return e.others
}
func (e *flagEvidence) Edges() []evidenceEdge {
	if e.edges == nil {
		return []evidenceEdge{}
	}
	return e.edges
}

type evidenceItem struct{ id, typ string }

func (e evidenceItem) ID() graphql.ID { return graphql.ID(e.id) }
func (e evidenceItem) Type() string   { return e.typ }

type evidenceEdge struct {
	e        probity.EvidenceEdge
	from, to string
}

func (e evidenceEdge) ID() graphql.ID         { return graphql.ID(e.e.ID) }
func (e evidenceEdge) Type() string           { return e.e.Type }
func (e evidenceEdge) From() graphql.ID       { return graphql.ID(e.from) }
func (e evidenceEdge) To() graphql.ID         { return graphql.ID(e.to) }
func (e evidenceEdge) Source() *string        { return optString(e.e.Source) }
func (e evidenceEdge) At() *string            { return optString(e.e.At) }
func (e evidenceEdge) Properties() []property { return properties(e.e.Props) }

type officerRisk struct {
	risk    probity.OfficerRisk
	officer *entity
}

func (o *officerRisk) Officer() *entity { return o.officer }
func (o *officerRisk) Risk() float64    { return o.risk.Risk }
func (o *officerRisk) Patterns() []patternScore {
	out := []patternScore{}
	for p, s := range o.risk.Flags {
		out = append(out, patternScore{p, s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pattern < out[j].pattern })
	return out
}

type patternScore struct {
	pattern string
	score   float64
}

func (p patternScore) Pattern() string { return p.pattern }
func (p patternScore) Score() float64  { return p.score }

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := rfc3339(t)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ReviewFlag moves a flag to decision with a reason. A caller linked to the
// flagged officer (see flagRecusal) gets ECONFLICT "recuse: ..." unless
// acknowledgeLink is true, in which case the links are written into the
// audit event with the decision and kept with the review.
func (r *resolver) ReviewFlag(ctx context.Context, a struct {
	ID              graphql.ID
	Decision        string
	Reason          string
	AcknowledgeLink opt[bool]
}) (*flagR, error) {
	req, err := need(ctx, probity.RoleAnalyst, "reviewFlag", true)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Reason) == "" {
		return nil, probity.Errorf(probity.EINVALID, "a review needs a reason")
	}
	f, err := r.s.flagFor(ctx, req, string(a.ID))
	if err != nil {
		return nil, err
	}
	links, err := r.s.recuseOrAcknowledge(ctx, req, f, a.AcknowledgeLink.or(false))
	if err != nil {
		return nil, err
	}
	rv, err := r.s.opt.Flags.ReviewFlag(ctx, f.ID, req.principal.Name, probity.FlagStatus(a.Decision), a.Reason, links)
	if err != nil {
		return nil, err
	}
	// the caller's text quoted: one line, and told apart from the server's own words ("failed ...")
	req.note(fmt.Sprintf("review %s: %s -> %s: %q", f.ID, rv.From, rv.To, rv.Reason))
	return r.reloadFlag(ctx, req, f.ID)
}

// NoteFlag adds the caller's working note to a flag, in any state. A note
// is not a decision, but it is read by whoever decides: a caller linked to
// the officer is asked to recuse as for a review, and one whose own record
// the flag concerns cannot write one.
func (r *resolver) NoteFlag(ctx context.Context, a struct {
	ID              graphql.ID
	Text            string
	AcknowledgeLink opt[bool]
}) (*flagR, error) {
	req, err := need(ctx, probity.RoleAnalyst, "noteFlag", true)
	if err != nil {
		return nil, err
	}
	f, err := r.s.flagFor(ctx, req, string(a.ID))
	if err != nil {
		return nil, err
	}
	links, err := r.s.recuseOrAcknowledge(ctx, req, f, a.AcknowledgeLink.or(false))
	if err != nil {
		return nil, err
	}
	n, err := r.s.opt.Flags.NoteFlag(ctx, f.ID, req.principal.Name, a.Text, links)
	if err != nil {
		return nil, err
	}
	req.note(fmt.Sprintf("note %s on %s", n.ID, f.ID))
	return r.reloadFlag(ctx, req, f.ID)
}

func (r *resolver) reloadFlag(ctx context.Context, req *request, id string) (*flagR, error) {
	f, err := r.s.opt.Flags.Flag(ctx, id)
	if err != nil {
		return nil, err
	}
	set, err := r.s.newFlagSet(ctx, req, []probity.Flag{f})
	if err != nil {
		return nil, err
	}
	return set.items[0], nil
}

// ownFlag says whether flag f concerns the caller's own officer record:
// flagged, or named in its evidence (a co-accused or a colluding partner
// is as much its subject: secC H2).
func ownFlag(p Principal, f probity.Flag) bool {
	if p.OfficerID == "" {
		return false
	}
	if p.OfficerID == f.OfficerID {
		return true
	}
	for _, n := range f.Evidence.Nodes {
		if n.Label == probity.LabelOfficer && n.ID == p.OfficerID {
			return true
		}
	}
	return false
}

// notTheirs refuses flag id to the caller as if it did not exist (a
// distinct refusal would confirm it is about them), and audits the
// refusal with why.
func notTheirs(req *request, id, why string) error {
	req.saw(id)
	req.note("refused on " + id + ": " + why)
	return probity.Errorf(probity.ENOTFOUND, "no flag %s", id)
}

// recuseOrAcknowledge refuses a decision on f by a caller linked to its
// officers (ECONFLICT, naming the kinds of link) unless the caller
// acknowledges the links, which it then returns, for the decision to keep,
// and writes into the audit event. f is one the caller may read (flagFor:
// a flag about the caller's own record is refused before, as not found).
func (s *Server) recuseOrAcknowledge(ctx context.Context, req *request, f probity.Flag, acknowledged bool) ([]string, error) {
	req.saw(f.ID) // the attempt names the flag, refused or not
	reasons, _, err := s.flagRecusal(ctx, req.principal, f)
	if err != nil || len(reasons) == 0 {
		return nil, err
	}
	if !acknowledged {
		// The error is not audited (no data is returned), so it names the
		// kinds of link, not the entities on a path: flag.recusal, an
		// audited read, lists those.
		kinds := make([]string, len(reasons))
		for i, r := range reasons {
			kinds[i], _, _ = strings.Cut(r, " (Officer:")
		}
		return nil, probity.Errorf(probity.ECONFLICT, "recuse: you are linked to the flagged officer or to a co-subject named in the evidence (%s; see the flag's recusal for the links); ask a colleague, or pass acknowledgeLink: true to decide anyway (recorded in the audit log)",
			strings.Join(kinds, "; "))
	}
	req.note("recusal acknowledged on " + f.ID + ": " + strings.Join(reasons, "; "))
	return reasons, nil
}

// referralArgs are the arguments of confirmReferral and returnReferral.
type referralArgs struct {
	ID              graphql.ID
	Reason          string
	AcknowledgeLink opt[bool]
}

// ConfirmReferral is a reviewer's second pair of eyes on a referral; the
// referrer cannot confirm their own (ECONFLICT), and a reviewer linked to
// the officer is asked to recuse as for a review.
func (r *resolver) ConfirmReferral(ctx context.Context, a referralArgs) (*flagR, error) {
	return r.secondLook(ctx, a, "confirmReferral", "confirm", r.s.opt.Flags.ConfirmReferral)
}

// ReturnReferral is the second pair of eyes disagreeing: a referral not
// yet confirmed goes back to in_review, with the reason, under the same
// rules as ConfirmReferral.
func (r *resolver) ReturnReferral(ctx context.Context, a referralArgs) (*flagR, error) {
	return r.secondLook(ctx, a, "returnReferral", "return", r.s.opt.Flags.ReturnReferral)
}

func (r *resolver) secondLook(ctx context.Context, a referralArgs, op, verb string,
	do func(ctx context.Context, flagID, reviewer, reason string, acknowledged []string) (probity.Review, error)) (*flagR, error) {
	req, err := need(ctx, probity.RoleReviewer, op, true)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Reason) == "" {
		return nil, probity.Errorf(probity.EINVALID, "to %s a referral needs a reason", verb)
	}
	f, err := r.s.flagFor(ctx, req, string(a.ID))
	if err != nil {
		return nil, err
	}
	links, err := r.s.recuseOrAcknowledge(ctx, req, f, a.AcknowledgeLink.or(false))
	if err != nil {
		return nil, err
	}
	rv, err := do(ctx, f.ID, req.principal.Name, a.Reason, links)
	if err != nil {
		return nil, err
	}
	req.note(fmt.Sprintf("%s referral %s: %q", verb, f.ID, rv.Reason))
	return r.reloadFlag(ctx, req, f.ID)
}

// RevealIdentity records a Reveal and returns the real names of the flag's
// officer and of the officers and persons of its evidence.
func (r *resolver) RevealIdentity(ctx context.Context, a struct {
	FlagId  graphql.ID
	Purpose string
}) (*revealed, error) {
	req, err := need(ctx, probity.RoleAnalyst, "revealIdentity", true)
	if err != nil {
		return nil, err
	}
	purpose := cleanPurpose(a.Purpose)
	if purpose == "" {
		return nil, probity.Errorf(probity.EINVALID, "revealing identities needs a purpose: why you need the names, in words (a purpose of punctuation or spaces alone is none)")
	}
	f, err := r.s.flagFor(ctx, req, string(a.FlagId))
	if err != nil {
		return nil, err
	}
	refs := []probity.Ref{{Label: probity.LabelOfficer, ID: f.OfficerID}}
	for _, n := range f.Evidence.Nodes {
		ref := probity.Ref{Label: n.Label, ID: n.ID}
		if (n.Label == probity.LabelOfficer || n.Label == probity.LabelPerson) && ref != refs[0] {
			refs = append(refs, ref)
		}
	}
	ns, err := r.s.opt.Graph.Entities(ctx, refs)
	if err != nil {
		return nil, err
	}
	rv, err := r.s.opt.Flags.RecordReveal(ctx, probity.Reveal{FlagID: f.ID, Actor: req.principal.Name, Purpose: purpose})
	if err != nil {
		return nil, err
	}
	req.saw(f.ID)
	out := &revealed{rv: rv}
	for _, n := range ns {
		e := r.s.newEntity(req, n)
		req.reveal(n.Ref().Key(), "flag "+f.ID+": "+purpose)
		name, _ := n.Properties["name"].(string)
		out.people = append(out.people, revealedName{e: e, name: name})
	}
	return out, nil
}

type revealed struct {
	rv     probity.Reveal
	people []revealedName
}

func (r *revealed) ID() graphql.ID     { return graphql.ID(r.rv.ID) }
func (r *revealed) FlagId() graphql.ID { return graphql.ID(r.rv.FlagID) }
func (r *revealed) Purpose() string    { return r.rv.Purpose }
func (r *revealed) At() string         { return rfc3339(r.rv.At) }
func (r *revealed) People() []revealedName {
	if r.people == nil {
		return []revealedName{}
	}
	return r.people
}

type revealedName struct {
	e    *entity
	name string
}

func (n revealedName) Entity() *entity { return n.e }
func (n revealedName) Name() *string   { return optString(n.name) }

// jsonText is a value as compact JSON text, for parameter defaults.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
