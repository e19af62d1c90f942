package api

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"probity"
)

// Principal is the caller of a request, from its token.
type Principal struct {
	TokenID string
	Name    string
	Role    probity.Role
	// OfficerID is the caller's own officer record (the token's officerId),
	// for recusal; "" when the token names none.
	OfficerID string
}

// request is the per-request state that resolvers share through the
// context: the caller, what the audit event will record, and the loader.
// Nothing per-request lives on the shared resolver.
type request struct {
	principal Principal
	purpose   string // X-Probity-Purpose
	loader    *loader
	// unaudited is called when a root field that writes no audit event
	// runs: the token must then be confirmed by a lookup of its own (an
	// audited request has it confirmed by its audit statement).
	unaudited func()
	// mutations names the schema's mutations; asChange is true when the
	// handler took the request for one (it then waited for the token, and
	// checked the audit log's head). A mutation field of a request taken
	// for a query is refused before it runs: the two readings of the
	// document disagree (secF), and a change must take the strict path.
	mutations map[string]bool
	asChange  bool

	mu       sync.Mutex
	ops      map[string]bool // root fields called
	personal bool            // some root field returned personal data
	entities []string        // global ids returned, in first-seen order
	seen     map[string]bool
	revealed map[string]bool
	reasons  []string       // purposes given to name(purpose:)
	notes    []string       // decisions and overrides, for the audit purpose
	linked   int            // items returned by link fields so far (Limits.MaxLinked)
	calls    map[string]int // root fields called, by name, aliases counted apart
}

// onlyOnce refuses (ELIMIT) a second call of the root field op in one
// request: a field whose page can be large (the audit log: 200 events of
// thousands of ids each) would otherwise be asked for under many aliases.
func (r *request) onlyOnce(op string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	if r.calls[op]++; r.calls[op] > 1 {
		return probity.Errorf(probity.ELIMIT, "%s may be asked once in a request (no aliases of it; the audit log pages with after)", op)
	}
	return nil
}

type ctxKey struct{}

func withRequest(ctx context.Context, r *request) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

func requestOf(ctx context.Context) *request {
	r, _ := ctx.Value(ctxKey{}).(*request)
	return r
}

// need checks the caller's role and records the root field op; audited
// says the field returns personal data or manages access (tokens), so the
// request will be written to the audit log.
// Errors: EUNAUTHORIZED without a caller, EFORBIDDEN when the role is short.
func need(ctx context.Context, role probity.Role, op string, audited bool) (*request, error) {
	r := requestOf(ctx)
	if r == nil || r.principal.Name == "" {
		return nil, probity.Errorf(probity.EUNAUTHORIZED, "a bearer token is required")
	}
	if r.mutations[op] && !r.asChange {
		return nil, probity.Errorf(probity.EINVALID, "%s is a mutation, but this document was read as a query: write it as one operation, `mutation { ... }`", op)
	}
	if !r.principal.Role.Allows(role) {
		return nil, r.refuse(op, ": "+probity.EFORBIDDEN, fmt.Sprintf("%s needs the %s role; this token is %s", op, role, r.principal.Role))
	}
	if what, ok := officerTiedRefusals[op]; ok && r.principal.OfficerID != "" {
		return nil, r.refuse(op, officerTiedNote, officerTiedMessage(what))
	}
	if !audited && r.unaudited != nil {
		r.unaudited()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops[op] = true
	if audited {
		r.personal = true
	}
	return r, nil
}

// tied says whether req's token is tied to an officer: what is about that
// officer is hidden from it (docs/api.md, "A token tied to an officer").
func tied(req *request) bool { return req.principal.OfficerID != "" }

// refuse records a refused attempt at op and returns the refusal: the
// attempt is audited (the investigators are investigated too), the event
// naming the operation and its purpose saying it failed (note follows
// "failed OP"), by the field's name (an alias is the caller's choice).
func (r *request) refuse(op, note, msg string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops[op], r.personal = true, true
	r.notes = append(r.notes, refusalNote(op, note))
	return probity.Errorf(probity.EFORBIDDEN, "%s", msg)
}

// refusalNote is the audit note of a refused attempt at op: "failed OP"
// and why (": forbidden", or the officer-tied note); POST /load writes it
// too, so that one search of the log finds every refusal.
func refusalNote(op, note string) string { return "failed " + op + note }

// spendLinked counts n items a link field or a root list returns; ELIMIT
// once the request's lists have returned more than max together. A link
// field that finds the budget spent fails before it asks Neo4j.
func (r *request) spendLinked(n, max int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.linked+n > max {
		r.linked = max + 1 // spent: later link fields fail at once
		return probity.Errorf(probity.ELIMIT, "this request's lists (link fields and root lists) return more than %d items together; ask for smaller pages (first), fewer aliases, or nest fewer link fields", max)
	}
	r.linked += n
	return nil
}

// saw records a global id returned to the caller.
func (r *request) saw(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.seen[id] {
		r.seen[id] = true
		r.entities = append(r.entities, id)
	}
}

// sawAll records global ids returned to the caller, in order.
func (r *request) sawAll(ids []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen) == 0 {
		r.seen = make(map[string]bool, len(ids))
	}
	for _, id := range ids {
		if !r.seen[id] {
			r.seen[id] = true
			r.entities = append(r.entities, id)
		}
	}
}

// reveal records that the real name of id was returned, and why.
func (r *request) reveal(id, purpose string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.personal = true
	r.revealed[id] = true
	for _, p := range r.reasons {
		if p == purpose {
			return
		}
	}
	r.reasons = append(r.reasons, purpose)
}

// carriesNames records ids whose real names leave in what the request
// returns or records (an export of a chart with names revealed earlier):
// revealed under the request's own purpose, with no new reveal reason.
func (r *request) carriesNames(ids []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		r.revealed[id] = true
	}
}

// note adds a line (a review decision, a recusal override) to the audit
// event's purpose.
func (r *request) note(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, probity.OneLine(s))
}

// auditEvent is what the request did, for the audit log; ok is false when
// it returned no personal data.
func (r *request) auditEvent() (probity.AuditEvent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.personal {
		return probity.AuditEvent{}, false
	}
	var ops, revealed []string
	for o := range r.ops {
		ops = append(ops, o)
	}
	for id := range r.revealed {
		revealed = append(revealed, id)
	}
	sort.Strings(ops)
	sort.Strings(revealed)
	purpose := r.purpose
	if len(r.reasons) > 0 {
		if purpose != "" {
			purpose += "; "
		}
		purpose += "reveal: " + strings.Join(r.reasons, "; ")
	}
	for _, n := range r.notes {
		if purpose != "" {
			purpose += "; "
		}
		purpose += n
	}
	return probity.AuditEvent{
		Actor: r.principal.Name, Role: r.principal.Role, Operation: strings.Join(ops, ","),
		EntityIDs: append([]string{}, r.entities...), Revealed: revealed, Purpose: purpose,
	}, true
}

func (r *request) operation() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ops []string
	for o := range r.ops {
		ops = append(ops, o)
	}
	sort.Strings(ops)
	if len(ops) == 0 {
		return "none"
	}
	return strings.Join(ops, ",")
}

// maxPurpose is the longest purpose kept, in characters.
const maxPurpose = 500

// cleanPurpose is a stated purpose as the audit log keeps it: one line, no
// control or invisible format characters, at most maxPurpose characters;
// "" when nothing readable is left (a purpose of spaces or zero-width
// characters states nothing).
func cleanPurpose(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxPurpose {
			break // readable or not by what is kept (fuzzF: 500 "!" and a letter)
		}
		if probity.Invisible(r) {
			r = ' ' // a Hangul filler is a letter nobody can read (fuzzF)
		}
		b.WriteRune(r)
		n++
	}
	if !probity.Readable(b.String()) {
		return ""
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
