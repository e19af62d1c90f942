package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	graphql "github.com/graph-gophers/graphql-go"
	"github.com/graph-gophers/graphql-go/ast"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"probity"
)

//go:embed schema.graphql
var schemaSDL string

// SchemaSDL returns the GraphQL schema the server offers.
func SchemaSDL() string { return schemaSDL }

// Limits are the server's caps; requests beyond them fail with code limit
// (or HTTP 413 for bodies) whatever they ask.
type Limits struct {
	MaxBodyBytes  int64 // request body; 413 beyond
	MaxQueryBytes int   // query document
	MaxDepth      int   // field nesting of a query
	MaxPage       int   // first of any page
	MaxIDs        int   // ids of nodes, neighbourhood, timeline
	MaxNodes      int   // neighbourhood limit
	MaxEvents     int   // timeline first
	MaxLinked     int   // items all link fields of a request return together (nesting them multiplies pages)
	// MaxRecusalOfficers bounds the officers (flagged, and co-subjects)
	// whose links to the caller one request's recusal notices look for:
	// each is a path search, and a page of 200 flags asking for its
	// recusal would be hundreds (reviewB M2).
	MaxRecusalOfficers int
	RequestTimeout     time.Duration // whole request, Neo4j included
	MaxUploadBytes     int64         // a data set uploaded to /load; 413 beyond
	LoadTimeout        time.Duration // a /load, upload and load together
}

// DefaultLimits are the limits documented in docs/api.md.
func DefaultLimits() Limits {
	return Limits{MaxBodyBytes: 1 << 20, MaxQueryBytes: 20 << 10, MaxDepth: 15, MaxPage: 200, MaxIDs: 200,
		MaxNodes: 500, MaxEvents: 1000, MaxLinked: 10000, MaxRecusalOfficers: 50, RequestTimeout: 30 * time.Second, MaxUploadBytes: 256 << 20, LoadTimeout: 30 * time.Minute}
}

const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// PurposeHeader carries the purpose of a request into its audit event.
const PurposeHeader = "X-Probity-Purpose"

// bearerChallenge is the WWW-Authenticate header of a 401 (RFC 6750), on
// /graphql and POST /load alike.
const bearerChallenge = `Bearer realm="probity"`

// ChangeOperations are the operations of the API's audit events that
// change what the database holds, which a restore of an older backup takes
// back (`probity audit changes`): the schema's mutations but those that
// only record a read (revealIdentity, recordExport), and POST /load's
// "load". A command line's changes are named otherwise.
func ChangeOperations() map[string]bool {
	ops := mutationFields(graphql.MustParseSchema(schemaSDL, nil, graphql.UseStringDescriptions()))
	delete(ops, "revealIdentity")
	delete(ops, "recordExport")
	ops["load"] = true
	return ops
}

// mutationFields are the names of the schema's mutations.
func mutationFields(schema *graphql.Schema) map[string]bool {
	out := map[string]bool{}
	if m, ok := schema.AST().RootOperationTypes["mutation"].(*ast.ObjectTypeDefinition); ok {
		for _, f := range m.Fields {
			out[f.Name] = true
		}
	}
	return out
}

func (s *Server) buildSchema() *graphql.Schema {
	return graphql.MustParseSchema(schemaSDL, &resolver{s: s},
		graphql.UseStringDescriptions(),
		graphql.UseFieldResolvers(), // entity and edge ids are fields (see entity, edge)
		graphql.MaxDepth(s.opt.Limits.MaxDepth),
		graphql.MaxQueryLength(s.opt.Limits.MaxQueryBytes),
		graphql.MaxParallelism(10),
		// Validation compares fields of one response name pairwise: 990
		// same-named fields with other arguments made 490,000 errors, a
		// 121 MB answer and 1 GB more memory (secE). The UI's queries and
		// the introspection query stay under 50 pairs.
		graphql.OverlapValidationLimit(maxOverlapPairs),
		// Fields selected after fragments are spread, aliases each counted:
		// 400 aliases of patterns with 200 of description each, or one
		// __schema whose fragments spread aliases, made answers of 100 MB
		// and a server of 2 GB (secG). The UI's largest query and the
		// introspection query select a few hundred.
		graphql.MaxSelections(maxSelections),
	)
}

// auditBehindMsg is the answer of a server whose audit log's head went
// back under it.
const auditBehindMsg = "the audit log changed under this server (a backup restored?), so it returns no data and makes no change until an administrator restarts it"

// maxOverlapPairs caps the field pairs validation compares (docs/api.md,
// "Limits"); maxErrors the errors an answer lists; maxSelections the
// fields an operation selects once its fragments are spread.
const (
	maxOverlapPairs = 1000
	maxErrors       = 50
	maxSelections   = 3000
)

// admit reads what kind of operation a request is ("query", "mutation",
// "subscription", or "" when it cannot tell) and refuses, before anything
// runs, what must not run: more introspection than maxIntrospection; and,
// with the audit log rolled back under this server (a backup restored),
// anything at all, since a mutation's change is committed before its audit
// event is written and that event could not be chained. A mutation first
// checks the chain's head (one read; mutations are few). A document that
// names a mutation anywhere is taken for one (mayChange).
func (s *Server) admit(ctx context.Context, params gqlParams) (string, *badRequest) {
	if n := words(params.Query, "__schema") + words(params.Query, "__type"); n > maxIntrospection {
		return "", &badRequest{http.StatusBadRequest, probity.ELIMIT, fmt.Sprintf("%d __schema and __type fields in one request: at most %d", n, maxIntrospection)}
	}
	t := operationType(params.Query, params.OperationName)
	if t != "mutation" && t != "subscription" && mayChange(params.Query) {
		t = "mutation"
	}
	if !s.auditBehind.Load() && t == "mutation" {
		if err := s.opt.Audit.CheckAuditHead(ctx); errors.Is(err, probity.ErrAuditRolledBack) {
			s.auditBehind.Store(true)
		} else if err != nil {
			s.opt.Logger.Error("audit head unreadable; mutation refused", "err", err)
			if probity.ErrorCode(err) == probity.EUNAVAILABLE {
				// an outage, said as the reads say it: "the audit log cannot be
				// read" read as a broken chain (analystC M2)
				s.dbDown.Store(true)
				return t, &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, "the database is unavailable, so no change is made; try again shortly"}
			}
			return t, &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, "the audit log cannot be read, so no change is made; try again"}
		}
	}
	// after the audit head, which says an outage within its 5 s (the schema
	// read first made a hung Neo4j's refusal take 10 s: mutW M1)
	if t == "mutation" && s.schemaAhead(ctx) {
		// a newer binary migrated the database: this one would write in a
		// shape it does not know; /healthz says 503 too (opsX M6)
		return t, &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, schemaAheadMsg}
	}
	if s.auditBehind.Load() {
		return t, &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, auditBehindMsg}
	}
	if s.keyChanged.Load() { // found by a health check (keyAdopted)
		return t, &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, keyChangedMsg}
	}
	return t, nil
}

// gqlParams are the parameters of a GraphQL-over-HTTP request.
type gqlParams struct {
	Query         string
	OperationName string
	Variables     map[string]any
}

// badRequest is a request that cannot be executed, with its HTTP status.
type badRequest struct {
	status int
	code   string
	msg    string
}

// handleGraphQL serves /graphql following the GraphQL-over-HTTP spec: GET
// (queries only; mutations 405) and POST application/json, answering
// application/graphql-response+json when the client accepts it, else
// application/json. It authenticates, executes with the request timeout,
// maps errors, writes the audit event when personal data is returned
// (no audit, no data) and records metrics.
func (s *Server) handleGraphQL(c *gin.Context) {
	start := time.Now()
	r := c.Request
	media := responseMedia(r.Header.Get("Accept"))
	op := "none"
	reply := func(status int, body []byte) {
		c.Header("Content-Type", media+"; charset=utf-8")
		if status == http.StatusUnauthorized {
			c.Header("WWW-Authenticate", bearerChallenge)
		}
		c.Status(status)
		c.Writer.Write(body)
		s.metrics.observe(op, status, time.Since(start))
	}
	fail := func(b *badRequest) {
		if b.status == http.StatusMethodNotAllowed {
			c.Header("Allow", allowed(r.Method))
		}
		s.metrics.failed(op, b.code)
		body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"message": b.msg, "extensions": map[string]any{"code": b.code}}}})
		reply(b.status, body)
	}
	// The token lookup has a deadline too (the request's, at least
	// authTimeoutMin): with Neo4j down it would otherwise wait for the
	// driver's own connection time-out, twice 30 s.
	actx, acancel := context.WithTimeout(r.Context(), max(s.opt.Limits.RequestTimeout, authTimeoutMin))
	defer acancel()
	auth, params, t, bad := s.gate(actx, r)
	if bad != nil {
		fail(bad)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.Limits.RequestTimeout)
	defer cancel()
	req, resp, body, bad := s.execute(ctx, r, auth, params, t)
	if req != nil {
		op = req.operation()
	}
	if bad != nil {
		fail(bad)
		return
	}
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		s.metrics.failed(op, code)
	}
	status := http.StatusOK
	if resp.Data == nil && media == mediaGraphQLResponse {
		status = http.StatusBadRequest // not executed: parse, validation or variable errors
	}
	reply(status, body)
}

// gate decides whether a request may run: its method, the database, its
// parameters, what admit refuses and, before anything that is not a query
// runs, its token. It returns the token check under way (a query runs
// while a remembered token is checked again), the parameters and the
// operation type. A refusal that tells something of the server (a limit,
// the method of a document) goes to an authenticated caller only; a server
// that cannot audit says so to anyone.
func (s *Server) gate(actx context.Context, r *http.Request) (*authCheck, gqlParams, string, *badRequest) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, gqlParams{}, "", &badRequest{http.StatusMethodNotAllowed, probity.EINVALID, "use GET or POST"}
	}
	if s.neo4jDown(r.Context()) {
		return nil, gqlParams{}, "", &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, "the database is unavailable; try again shortly"}
	}
	auth := s.startAuth(actx, r.Header.Get("Authorization"))
	confirmed := func(refusal *badRequest) (*authCheck, gqlParams, string, *badRequest) {
		if _, err := auth.wait(); err != nil {
			return nil, gqlParams{}, "", authRefusal(err)
		}
		return nil, gqlParams{}, "", refusal
	}
	if auth.now() {
		if _, err := auth.wait(); err != nil {
			return nil, gqlParams{}, "", authRefusal(err)
		}
	}
	params, bad := readParams(r, s.opt.Limits.MaxBodyBytes)
	if bad != nil {
		return confirmed(bad)
	}
	t, refused := s.admit(r.Context(), params)
	if refused != nil && refused.status == http.StatusServiceUnavailable {
		return nil, gqlParams{}, "", refused
	}
	if refused != nil {
		return confirmed(refused)
	}
	if r.Method == http.MethodGet && t != "query" && t != "" {
		return confirmed(&badRequest{http.StatusMethodNotAllowed, probity.EINVALID, "only queries may use GET; send mutations with POST"})
	}
	if t != "query" {
		if _, err := auth.wait(); err != nil {
			return nil, gqlParams{}, "", authRefusal(err)
		}
	}
	return auth, params, t, nil
}

// allowed is the Allow header of a request refused its method: a GET
// refused is a mutation, which only POST may send.
func allowed(method string) string {
	if method == http.MethodGet {
		return "POST"
	}
	return "GET, POST"
}

// authRefusal is the refusal of a request whose token check failed.
func authRefusal(err error) *badRequest {
	code, msg := codeOf(err)
	return &badRequest{httpStatus(code), code, msg}
}

// execute runs a request gate let through and encodes its response. The
// body leaves only once the token is confirmed as the principal it ran
// with (again, if the token changed meanwhile) and its audit event, if it
// needs one, is committed: no audit, no data. The request is returned,
// for its operation, unless the token was refused.
func (s *Server) execute(ctx context.Context, r *http.Request, auth *authCheck, params gqlParams, t string) (*request, *graphql.Response, []byte, *badRequest) {
	if t == "mutation" {
		if bad := s.auditBegun(r, auth.p, params); bad != nil {
			return nil, nil, nil, bad
		}
	}
	for p, attempt := auth.p, 0; ; attempt++ {
		req, resp := s.run(ctx, r, auth, p, params, t)
		encode := func() ([]byte, *badRequest) {
			body, err := encodeResponse(resp)
			if err != nil {
				s.opt.Logger.Error("encode response", "err", err)
				return nil, &badRequest{http.StatusInternalServerError, probity.EINTERNAL, "internal error"}
			}
			return body, nil
		}
		ev, audit := req.auditEvent()
		if !audit || resp.Data == nil {
			// No audit event: nothing leaves before a lookup confirms the
			// token. A token revoked or changed meanwhile gets its error, or
			// the query again as it is now.
			fresh, err := auth.wait()
			if err != nil {
				return nil, nil, nil, authRefusal(err)
			}
			if fresh == p {
				body, bad := encode()
				return req, resp, body, bad
			}
			p = fresh
			continue
		}
		// The audit event is written while the body is encoded; the body is
		// sent only once the event is committed. For a query the statement
		// that writes it also confirms the token is still as p says.
		// Anything else ran after a lookup confirmed the token and may have
		// changed data, so its event is written whatever happens to the
		// token meanwhile.
		ev.At = time.Now().UTC().Truncate(time.Microsecond)
		ev.VariablesDigest = s.requestDigest(p.Name, params.Query, params.OperationName, params.Variables)
		claim := probity.TokenClaim{Hash: auth.hash, ID: p.TokenID, Name: p.Name, Role: p.Role, OfficerID: p.OfficerID}
		audited := s.appendAudit(r, t, ev, claim)
		body, bad := encode()
		err := <-audited
		if err == nil {
			return req, resp, body, bad
		}
		if probity.ErrorCode(err) != probity.EUNAUTHORIZED {
			s.opt.Logger.Error("audit append failed; response withheld", "operation", req.operation(), "err", err)
			bad := s.auditRefusal(err, "no data is returned")
			if !s.auditBehind.Load() {
				s.dbDown.Store(true)
			}
			return req, nil, nil, bad
		}
		// The token was revoked or changed since it was confirmed: nothing
		// was written; look it up again.
		fresh, err := auth.again()
		if err != nil {
			return nil, nil, nil, authRefusal(err)
		}
		if fresh == p && attempt >= 2 {
			return nil, nil, nil, &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, "cannot confirm the token now; try again"}
		}
		p = fresh
	}
}

// run executes a request once, as principal p, with its errors mapped
// and capped.
func (s *Server) run(ctx context.Context, r *http.Request, auth *authCheck, p Principal, params gqlParams, t string) (*request, *graphql.Response) {
	req := &request{principal: p, purpose: cleanPurpose(r.Header.Get(PurposeHeader)), loader: newLoader(s.opt.Graph),
		ops: map[string]bool{}, seen: map[string]bool{}, revealed: map[string]bool{}, unaudited: auth.start,
		mutations: s.mutations, asChange: t == "mutation"}
	resp := s.schema.Exec(withRequest(ctx, req), params.Query, params.OperationName, params.Variables)
	mapErrors(ctx, s.opt.Logger, resp.Errors)
	if n := len(resp.Errors); n > maxErrors {
		resp.Errors = append(resp.Errors[:maxErrors-1], &gqlerrors.QueryError{Message: fmt.Sprintf("%d more errors not listed", n-maxErrors+1),
			Extensions: map[string]any{"code": probity.ELIMIT}})
	}
	noteFailures(req, resp.Errors, t == "mutation") // an attempt is not a change
	if requestError(resp) {
		resp.Data = nil // not executed (a variable of the wrong type): no data, 400 below
	}
	return req, resp
}

// auditBegun writes, before a mutation runs, an audit event saying it
// began: who (the token, confirmed by gate), the mutation fields the
// document names (as names: not inside strings or comments, where a reason
// quoting "addWebhook" listed a field never run, reviewB M3; a field named
// in another operation of the document, or as an alias, is still listed:
// more, never fewer, than what runs), its digest (the same as the event
// written after it ran) and purpose. A change is committed before its own event is written,
// and a server killed between the two (opsW: 16 of 44 decisions in
// flight) left changes no event named; now each has this one before it.
// An event that cannot be written runs nothing (503).
func (s *Server) auditBegun(r *http.Request, p Principal, params gqlParams) *badRequest {
	named := map[string]bool{}
	for _, t := range lex(params.Query) {
		if s.mutations[t] {
			named[t] = true
		}
	}
	fields := slices.Sorted(maps.Keys(named))
	purpose := cleanPurpose(r.Header.Get(PurposeHeader))
	if purpose != "" {
		purpose += "; "
	}
	ev := probity.AuditEvent{Actor: p.Name, Role: p.Role, Operation: "begin " + strings.Join(fields, ","),
		At:              time.Now().UTC().Truncate(time.Microsecond),
		VariablesDigest: s.requestDigest(p.Name, params.Query, params.OperationName, params.Variables),
		Purpose:         purpose + "begun: the next event of this actor with this digest tells what it did; without one it was refused before any change, or the server stopped while it ran (the change's own record says whether it was made)"}
	if err := <-s.appendAudit(r, "mutation", ev, probity.TokenClaim{}); err != nil {
		s.opt.Logger.Error("audit append failed; mutation not run", "err", err)
		return s.auditRefusal(err, "no change is made")
	}
	return nil
}

// auditRefusal is the answer of a request whose audit event could not be
// written (said: what was withheld), counted: 503, and for an audit log
// rolled back under this server, for good (auditBehindMsg).
func (s *Server) auditRefusal(err error, said string) *badRequest {
	s.metrics.auditErr.Inc()
	if errors.Is(err, probity.ErrAuditRolledBack) {
		s.auditBehind.Store(true)
		// not transient: say so, rather than "try again" for ever
		return &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, auditBehindMsg}
	}
	return &badRequest{http.StatusServiceUnavailable, probity.EUNAVAILABLE, "the audit log cannot be written, so " + said + "; try again"}
}

// appendAudit writes a request's audit event in the background, with a
// deadline of its own (a client gone must not leave an executed request
// unaudited). A query's statement also checks the token is as claimed.
func (s *Server) appendAudit(r *http.Request, t string, ev probity.AuditEvent, claim probity.TokenClaim) <-chan error {
	audited := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
		defer cancel()
		var err error
		if t == "query" {
			_, err = s.opt.Audit.AppendAuditFor(ctx, ev, claim)
		} else {
			_, err = s.opt.Audit.AppendAudit(ctx, ev)
		}
		audited <- err
	}()
	return audited
}

// noteFailures adds to a mutation's audit event each root field that
// failed, with its code: the event of a refused change (a duplicate
// schedule, a bad cron) says so, instead of reading as the change made.
// The field is as the request named it (an alias, if it gave one; the
// event's operation lists the fields). A failure for want of a role is
// noted by need itself, by the field's own name, for queries too.
func noteFailures(req *request, errs []*gqlerrors.QueryError, mutation bool) {
	for _, e := range errs {
		if mutation && len(e.Path) > 0 && e.Extensions["code"] != probity.EFORBIDDEN {
			req.note(fmt.Sprintf("failed %v: %v", e.Path[0], e.Extensions["code"]))
		}
	}
}

// requestError says graphql-go refused the request as a whole while
// executing it (variables that do not coerce to their types): errors
// without a field path and nothing in data. The GraphQL-over-HTTP spec
// treats that as a request error, like a parse or validation error.
func requestError(resp *graphql.Response) bool {
	if len(resp.Errors) == 0 {
		return false
	}
	for _, e := range resp.Errors {
		if len(e.Path) > 0 {
			return false
		}
	}
	d := strings.TrimSpace(string(resp.Data))
	return d == "" || d == "{}" || d == "null"
}

// authTimeoutMin is the least time a token lookup is given, however short
// the request's own deadline: a request that runs out of time should say
// so (limit), not that its token could not be checked.
const authTimeoutMin = 5 * time.Second

// encodeResponse is json.Marshal(resp) without re-validating and
// compacting resp.Data, which graphql-go wrote as compact JSON.
func encodeResponse(resp *graphql.Response) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(resp.Data) + 64)
	b.WriteByte('{')
	sep := func() {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
	}
	if len(resp.Errors) > 0 {
		e, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		b.WriteString(`"errors":`)
		b.Write(e)
	}
	if len(resp.Data) > 0 {
		sep()
		b.WriteString(`"data":`)
		b.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		x, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, err
		}
		sep()
		b.WriteString(`"extensions":`)
		b.Write(x)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// authCheck is the authentication of one request. For a token this server
// has confirmed before, p is its remembered principal and the request runs
// at once: the token is confirmed again either by the statement that writes
// the request's audit event or, for a request that writes none, by a lookup
// started (start) when its first unaudited field runs and awaited (wait)
// before anything is sent. Otherwise the lookup runs when now() says so,
// before anything else.
type authCheck struct {
	p       Principal
	hash    string // SHA-256 of the token's secret
	unknown bool   // nothing remembered: wait must be called before executing
	lookup  func() (Principal, error)
	once    sync.Once
	done    chan struct{}
	result  Principal
	err     error
}

// now says the principal is not known yet: wait must be called first.
func (a *authCheck) now() bool { return a.unknown }

// start begins the lookup in the background, once.
func (a *authCheck) start() {
	a.once.Do(func() {
		go func() {
			defer close(a.done)
			a.result, a.err = a.lookup()
		}()
	})
}

// wait returns the principal the token has now, or why it has none.
func (a *authCheck) wait() (Principal, error) {
	if a.unknown {
		a.once.Do(func() {
			a.result, a.err = a.lookup()
			close(a.done)
		})
		a.p, a.unknown = a.result, false
	}
	a.start()
	<-a.done
	return a.result, a.err
}

// again looks the token up afresh (after an audit statement refused it).
func (a *authCheck) again() (Principal, error) { return a.lookup() }

// bearer returns the token of an Authorization header "Bearer TOKEN" (the
// scheme in any case, as HTTP auth schemes are), spaces around it dropped;
// ok is false when there is none.
func bearer(header string) (secret string, ok bool) {
	scheme, secret, ok := strings.Cut(header, " ")
	secret = strings.TrimSpace(secret)
	return secret, ok && strings.EqualFold(scheme, "Bearer") && secret != ""
}

// startAuth begins authenticating an Authorization header.
func (s *Server) startAuth(ctx context.Context, header string) *authCheck {
	a := &authCheck{done: make(chan struct{})}
	secret, ok := bearer(header)
	if !ok {
		a.unknown = true
		a.lookup = func() (Principal, error) { return s.authenticate(ctx, header) }
		return a
	}
	a.hash = HashToken(secret)
	a.lookup = func() (Principal, error) {
		p, err := s.authenticate(ctx, header)
		s.tokens.remember(a.hash, p, err)
		return p, err
	}
	p, known := s.tokens.get(a.hash)
	a.p, a.unknown = p, !known
	return a
}

// tokenCache remembers the principals of tokens confirmed in Neo4j, by
// secret hash, so that the next request with the token can run while it is
// checked again. It never lets a request skip the check.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]Principal
}

// tokenCacheMax bounds the cache; it starts afresh beyond.
const tokenCacheMax = 4096

func (tc *tokenCache) get(hash string) (Principal, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	p, ok := tc.m[hash]
	return p, ok
}

// remember keeps p for hash after a lookup, or forgets hash when the
// lookup refused the token.
func (tc *tokenCache) remember(hash string, p Principal, err error) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if err != nil {
		delete(tc.m, hash)
		return
	}
	if tc.m == nil || len(tc.m) >= tokenCacheMax {
		tc.m = map[string]Principal{}
	}
	tc.m[hash] = p
}

// authenticate returns the principal of a bearer token. Missing, unknown
// and revoked tokens are EUNAUTHORIZED.
func (s *Server) authenticate(ctx context.Context, header string) (Principal, error) {
	p, err := principalOf(ctx, s.opt.Tokens, header)
	if lookup := (*tokenLookupError)(nil); errors.As(err, &lookup) {
		s.opt.Logger.Error("token lookup", "err", lookup.err)
		s.dbDown.Store(true)
		return Principal{}, probity.Errorf(probity.EUNAVAILABLE, "cannot check the token now; try again")
	}
	return p, err
}

// tokenLookupError is a token store that could not be asked.
type tokenLookupError struct{ err error }

func (e *tokenLookupError) Error() string { return "token lookup: " + e.err.Error() }

// principalOf returns the principal of a bearer token. Missing, unknown
// and revoked tokens are EUNAUTHORIZED; a store that cannot be asked is a
// *tokenLookupError.
func principalOf(ctx context.Context, tokens TokenStore, header string) (Principal, error) {
	secret, ok := bearer(header)
	if !ok {
		return Principal{}, probity.Errorf(probity.EUNAUTHORIZED, "send Authorization: Bearer TOKEN (see probity token create)")
	}
	if tokens == nil {
		return Principal{}, probity.Errorf(probity.EUNAVAILABLE, "tokens are not configured")
	}
	t, err := tokens.TokenByHash(ctx, HashToken(secret))
	switch {
	case probity.ErrorCode(err) == probity.ENOTFOUND:
		return Principal{}, probity.Errorf(probity.EUNAUTHORIZED, "unknown token")
	case err != nil:
		return Principal{}, &tokenLookupError{err}
	case t.RevokedAt != nil:
		return Principal{}, probity.Errorf(probity.EUNAUTHORIZED, "this token was revoked")
	case !t.Role.Valid():
		return Principal{}, probity.Errorf(probity.EUNAUTHORIZED, "token %s has no valid role", t.Name)
	}
	return Principal{TokenID: t.ID, Name: t.Name, Role: t.Role, OfficerID: t.OfficerID}, nil
}

// responseMedia picks application/graphql-response+json when the client
// accepts it, else application/json.
func responseMedia(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != mediaGraphQLResponse {
			continue
		}
		if q, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				continue
			}
		}
		return mediaGraphQLResponse
	}
	return mediaJSON
}

// readParams reads query, operationName and variables from the URL (GET)
// or a JSON body (POST), checking every parameter's type.
func readParams(r *http.Request, maxBody int64) (gqlParams, *badRequest) {
	var p gqlParams
	invalid := func(msg string) *badRequest { return &badRequest{http.StatusBadRequest, probity.EINVALID, msg} }
	raw := map[string]json.RawMessage{}
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		if !q.Has("query") {
			return p, invalid("the query parameter is missing")
		}
		raw["query"], _ = json.Marshal(q.Get("query"))
		if v := q.Get("operationName"); v != "" {
			raw["operationName"], _ = json.Marshal(v)
		}
		for _, k := range []string{"variables", "extensions"} {
			if v := q.Get(k); v != "" {
				raw[k] = json.RawMessage(v)
			}
		}
	} else {
		ct := r.Header.Get("Content-Type")
		mt, params, err := mime.ParseMediaType(ct)
		if ct == "" || err != nil || mt != mediaJSON {
			return p, &badRequest{http.StatusUnsupportedMediaType, probity.EINVALID, "send the request as Content-Type: application/json"}
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return p, &badRequest{http.StatusUnsupportedMediaType, probity.EINVALID, "the request must be UTF-8"}
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(http.MaxBytesReader(nil, r.Body, maxBody)); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return p, &badRequest{http.StatusRequestEntityTooLarge, probity.ELIMIT,
					"the request body exceeds " + strconv.FormatInt(maxBody, 10) + " bytes"}
			}
			return p, invalid("cannot read the request body")
		}
		if buf.Len() == 0 {
			return p, invalid("the request body is empty")
		}
		if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
			return p, invalid("the request body is not a JSON object")
		}
	}
	isNull := func(m json.RawMessage) bool { return len(m) == 0 || string(m) == "null" }
	if err := json.Unmarshal(raw["query"], &p.Query); err != nil || isNull(raw["query"]) {
		return p, invalid("query must be a string")
	}
	if m := raw["operationName"]; !isNull(m) {
		if err := json.Unmarshal(m, &p.OperationName); err != nil {
			return p, invalid("operationName must be a string or null")
		}
	}
	if m := raw["variables"]; !isNull(m) {
		if err := json.Unmarshal(m, &p.Variables); err != nil || p.Variables == nil {
			return p, invalid("variables must be an object or null")
		}
	}
	if m := raw["extensions"]; !isNull(m) {
		var ext map[string]any
		if err := json.Unmarshal(m, &ext); err != nil || ext == nil {
			return p, invalid("extensions must be an object or null")
		}
	}
	return p, nil
}

// requestDigest is the audit event's digest of actor's request: keyed
// (auditDigest) over its canonical JSON ({"operationName","query",
// "variables"}).
func (s *Server) requestDigest(actor, query, operationName string, variables map[string]any) string {
	if variables == nil {
		variables = map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"operationName": operationName, "query": query, "variables": variables})
	return s.auditDigest(actor, b)
}

// auditDigest is an audit event's digest of what actor sent (a request, an
// upload): an HMAC-SHA-256 of the actor's name, a NUL and the bytes, keyed
// by a key derived from the pseudonym key, so that a reader of the log
// cannot test guesses of what a colleague asked (secM L3: a subject hashed
// a search for its own name and found it), nor send the guess itself and
// compare the digests (the actor is in the MAC: secN M2); the server,
// holding the key, still can. Without a pseudonym key, a plain SHA-256 of
// the same.
func (s *Server) auditDigest(actor string, b []byte) string {
	var h hash.Hash
	if len(s.opt.PseudonymKey) == 0 {
		h = sha256.New()
	} else {
		key := hmac.New(sha256.New, s.opt.PseudonymKey)
		key.Write([]byte("probity audit request digest"))
		h = hmac.New(sha256.New, key.Sum(nil))
	}
	h.Write([]byte(actor))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
