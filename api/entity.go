package api

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"probity"
)

// entity resolves every entity type (Officer, Person, ... Complaint); the
// To* methods pick the concrete type for the Node and Party interfaces.
type entity struct {
	// ID is a field, not a method: graphql-go reads a field without a
	// reflected call (and its allocations), and a chart asks for ids by
	// the hundred. Set it with the node (newEntity).
	ID  fastID
	n   probity.Node
	s   *Server
	req *request
	// revealFor is set on officers and persons of a flag whose names the
	// caller revealed (revealIdentity): displayName is then the real name,
	// recorded as a reveal with this purpose.
	revealFor string
}

// company overrides name, which companies show without a purpose.
type company struct{ *entity }

// newEntity wraps a node returned to the caller: it is recorded for the
// audit event and primed for batched link loading.
func (s *Server) newEntity(req *request, n probity.Node) *entity {
	key := n.Ref().Key()
	req.saw(key)
	req.loader.prime(n, key)
	return &entity{ID: fastID(key), n: n, s: s, req: req}
}

// newEntities is newEntity for many nodes at once (a subgraph's): one lock
// of the request and of the loader, one allocation for the entities.
func (s *Server) newEntities(req *request, nodes []probity.Node) []*entity {
	keys := make([]string, len(nodes))
	for i, n := range nodes {
		keys[i] = n.Ref().Key()
	}
	req.sawAll(keys)
	req.loader.primeAll(nodes, keys)
	es := make([]entity, len(nodes))
	out := make([]*entity, len(nodes))
	for i, n := range nodes {
		es[i] = entity{ID: fastID(keys[i]), n: n, s: s, req: req}
		out[i] = &es[i]
	}
	return out
}

func (e *entity) is(label string) (*entity, bool) { return e, e.n.Label == label }

func (e *entity) ToOfficer() (*entity, bool)   { return e.is(probity.LabelOfficer) }
func (e *entity) ToPerson() (*entity, bool)    { return e.is(probity.LabelPerson) }
func (e *entity) ToAccount() (*entity, bool)   { return e.is(probity.LabelAccount) }
func (e *entity) ToAddress() (*entity, bool)   { return e.is(probity.LabelAddress) }
func (e *entity) ToPhone() (*entity, bool)     { return e.is(probity.LabelPhone) }
func (e *entity) ToCase() (*entity, bool)      { return e.is(probity.LabelCase) }
func (e *entity) ToRecord() (*entity, bool)    { return e.is(probity.LabelRecord) }
func (e *entity) ToComplaint() (*entity, bool) { return e.is(probity.LabelComplaint) }
func (e *entity) ToCompany() (*company, bool) {
	return &company{e}, e.n.Label == probity.LabelCompany
}

// ID resolves a company's id (graphql-go does not look into the embedded
// *entity's fields).
func (c *company) ID() fastID { return c.entity.ID }

func (e *entity) Key() string { return e.n.ID }

// HubReason is why the last scan marked the entity a hub, if it did.
func (e *entity) HubReason() *string { return e.prop("hubReason") }

// Pseudonym is an officer's or person's stable pseudonym, revealed or not.
func (e *entity) Pseudonym() string { return Pseudonym(e.s.opt.PseudonymKey, e.n.Label, e.n.ID) }
func (e *entity) Type() string      { return e.n.Label }

// DisplayName is a pseudonym for officers and persons and a descriptive
// label for the rest.
func (e *entity) DisplayName() string {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := e.prop(k); v != nil && *v != "" {
				return *v
			}
		}
		return e.n.ID
	}
	if name, ok := e.n.Properties["name"].(string); ok && name != "" && e.revealFor != "" {
		e.req.reveal(e.n.Ref().Key(), e.revealFor)
		return name
	}
	switch e.n.Label {
	case probity.LabelOfficer, probity.LabelPerson:
		return e.Pseudonym()
	case probity.LabelCompany:
		return first("name")
	case probity.LabelAddress:
		return first("line", "postcode")
	case probity.LabelCase:
		return first("title")
	// Records and complaints: the id first, so that a label cut short on a
	// chart still tells them apart.
	case probity.LabelRecord:
		return strings.Join(append([]string{e.n.ID}, nonEmpty(e.prop("system"), e.prop("kind"))...), " ")
	case probity.LabelComplaint:
		return strings.Join(append([]string{e.n.ID}, nonEmpty(e.prop("category"))...), " ")
	default:
		return e.n.ID
	}
}

func nonEmpty(vs ...*string) []string {
	var out []string
	for _, v := range vs {
		if v != nil && *v != "" {
			out = append(out, *v)
		}
	}
	return out
}

// Name reveals an officer's or person's real name; the reveal and its
// purpose go into the request's audit event. An empty purpose is EINVALID.
func (e *entity) Name(args struct{ Purpose string }) (*string, error) {
	purpose := cleanPurpose(args.Purpose)
	if purpose == "" {
		return nil, probity.Errorf(probity.EINVALID, "revealing a name needs a purpose (readable words)")
	}
	e.req.reveal(e.n.Ref().Key(), purpose)
	return e.prop("name"), nil
}

// Name is a company's name, not personal data.
func (c *company) Name() *string { return c.prop("name") }

// prop returns a stored property as text.
func (e *entity) prop(k string) *string { return propText(e.n.Properties, k) }

func propText(p map[string]any, k string) *string {
	v, ok := p[k]
	if !ok || v == nil {
		return nil
	}
	s := text(v)
	return &s
}

// text formats a property value: dates as stored, times RFC 3339 UTC.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, y := range x {
			parts[i] = text(y)
		}
		return strings.Join(parts, ", ")
	default:
		return fmt.Sprint(x)
	}
}

func (e *entity) flag(k string) bool { b, _ := e.n.Properties[k].(bool); return b }

func (e *entity) Rank() *string      { return e.prop("rank") }
func (e *entity) Unit() *string      { return e.prop("unit") }
func (e *entity) Role() *string      { return e.prop("role") }
func (e *entity) StartDate() *string { return e.prop("startDate") }
func (e *entity) Status() *string    { return e.prop("status") }
func (e *entity) Dob() *string       { return e.prop("dob") }
func (e *entity) Poi() bool          { return e.flag("poi") }
func (e *entity) PoiReason() *string { return e.prop("poiReason") }
func (e *entity) HighProfile() bool  { return e.flag("highProfile") }
func (e *entity) Registered() *string {
	return e.prop("registered")
}
func (e *entity) Bank() *string     { return e.prop("bank") }
func (e *entity) Line() *string     { return e.prop("line") }
func (e *entity) Postcode() *string { return e.prop("postcode") }
func (e *entity) CaseType() *string { return e.prop("type") }
func (e *entity) Title() *string    { return e.prop("title") }
func (e *entity) Opened() *string   { return e.prop("opened") }
func (e *entity) System() *string   { return e.prop("system") }
func (e *entity) Kind() *string     { return e.prop("kind") }
func (e *entity) Received() *string { return e.prop("received") }
func (e *entity) Category() *string { return e.prop("category") }

// pageArgs are the paging arguments of a link field (and scanRuns):
// first defaults to 20.
type pageArgs struct {
	First opt[int32]
	After *string
}

// timedPageArgs add a time window.
type timedPageArgs struct {
	From, To *string
	First    opt[int32]
	After    *string
}

// linkPage is the schema's default page of a link field (first: Int = 20).
const linkPage = 20

func (a pageArgs) first() int32      { return a.First.or(linkPage) }
func (a timedPageArgs) first() int32 { return a.First.or(linkPage) }

// conn resolves every *Connection type.
type conn struct {
	edges []*link
	nodes []*entity
	info  pageInfo
}

func (c *conn) Edges() []*link     { return c.edges }
func (c *conn) Nodes() []*entity   { return c.nodes }
func (c *conn) PageInfo() pageInfo { return c.info }

type pageInfo struct {
	next bool
	end  *string
}

func (p pageInfo) HasNextPage() bool  { return p.next }
func (p pageInfo) EndCursor() *string { return p.end }

// cursor encodes an offset; decodeCursor rejects anything else (EINVALID).
func cursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

// maxCursorOffset is the largest offset a page cursor may hold: far past
// any list, far from overflowing.
const maxCursorOffset = 1 << 40

func decodeCursor(c *string) (int, error) {
	if c == nil || *c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*c)
	text, ok := strings.CutPrefix(string(b), "offset:")
	n, err2 := strconv.Atoi(text)
	// only what cursor writes, and no offset Neo4j's SKIP and LIMIT
	// would overflow on (fuzzF: internal error)
	if err != nil || err2 != nil || !ok || n < 0 || n > maxCursorOffset || strconv.Itoa(n) != text {
		return 0, probity.Errorf(probity.EINVALID, "bad cursor %q: pass an endCursor from a previous page", *c)
	}
	return n, nil
}

// pageSize checks a first argument against the server's page cap.
func (s *Server) pageSize(first int32) (int, error) {
	n := int(first)
	switch {
	case n < 1:
		return 0, probity.Errorf(probity.EINVALID, "first must be at least 1")
	case n > s.opt.Limits.MaxPage:
		return 0, probity.Errorf(probity.ELIMIT, "first %d exceeds the maximum page size of %d", n, s.opt.Limits.MaxPage)
	}
	return n, nil
}

// links resolves a link field of kind.
func (e *entity) links(ctx context.Context, kind string, first int32, after *string, from, to *string) (*conn, error) {
	n, err := e.s.pageSize(first)
	if err != nil {
		return nil, err
	}
	skip, err := decodeCursor(after)
	if err != nil {
		return nil, err
	}
	f, err := parseTime("from", from)
	if err != nil {
		return nil, err
	}
	t, err := parseTime("to", to)
	if err != nil {
		return nil, err
	}
	budget := e.s.opt.Limits.MaxLinked
	if err := e.req.spendLinked(0, budget); err != nil {
		return nil, err
	}
	ls, err := e.req.loader.links(ctx, e.n.ID, probity.LinkQuery{Kind: kind, Label: e.n.Label, From: f, To: t, Skip: skip, Limit: n + 1})
	if err != nil {
		return nil, err
	}
	if err := e.req.spendLinked(min(len(ls), n), budget); err != nil {
		return nil, err
	}
	c := &conn{}
	if len(ls) > n {
		ls, c.info.next = ls[:n], true
	}
	if len(ls) > 0 {
		end := cursor(skip + len(ls))
		c.info.end = &end
	}
	for _, l := range ls {
		other := e.s.newEntity(e.req, l.Other)
		c.edges = append(c.edges, &link{l: l, owner: e, other: other})
		c.nodes = append(c.nodes, other)
	}
	return c, nil
}

// parseTime reads RFC 3339 or YYYY-MM-DD (midnight UTC); EINVALID otherwise.
func parseTime(name string, s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, *s); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, probity.Errorf(probity.EINVALID, "%s %q: want RFC 3339 or YYYY-MM-DD", name, *s)
}

func (e *entity) Accesses(ctx context.Context, a timedPageArgs) (*conn, error) {
	kind := "accesses"
	if e.n.Label == probity.LabelRecord {
		kind = "recordAccesses"
	}
	return e.links(ctx, kind, a.first(), a.After, a.From, a.To)
}
func (e *entity) Payments(ctx context.Context, a timedPageArgs) (*conn, error) {
	return e.links(ctx, "payments", a.first(), a.After, a.From, a.To)
}
func (e *entity) Assignments(ctx context.Context, a pageArgs) (*conn, error) {
	kind := "assignments"
	if e.n.Label == probity.LabelCase {
		kind = "caseAssignments"
	}
	return e.links(ctx, kind, a.first(), a.After, nil, nil)
}
func (e *entity) Complaints(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "complaints", a.first(), a.After, nil, nil)
}
func (e *entity) Officers(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "complaintNamed", a.first(), a.After, nil, nil)
}
func (e *entity) Declarations(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "declarations", a.first(), a.After, nil, nil)
}
func (e *entity) DeclaredBy(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "declaredBy", a.first(), a.After, nil, nil)
}
func (e *entity) Accounts(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "accounts", a.first(), a.After, nil, nil)
}
func (e *entity) Holders(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "holders", a.first(), a.After, nil, nil)
}
func (e *entity) Residences(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "residences", a.first(), a.After, nil, nil)
}
func (e *entity) Residents(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "residents", a.first(), a.After, nil, nil)
}
func (e *entity) Phones(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "phones", a.first(), a.After, nil, nil)
}
func (e *entity) Users(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "phoneUsers", a.first(), a.After, nil, nil)
}
func (e *entity) Relations(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "relations", a.first(), a.After, nil, nil)
}
func (e *entity) Directorships(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "directorships", a.first(), a.After, nil, nil)
}
func (e *entity) Directors(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "directors", a.first(), a.After, nil, nil)
}
func (e *entity) RecordsAbout(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "recordsAbout", a.first(), a.After, nil, nil)
}
func (e *entity) Records(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "caseRecords", a.first(), a.After, nil, nil)
}
func (e *entity) Subjects(ctx context.Context, a pageArgs) (*conn, error) {
	return e.links(ctx, "subjects", a.first(), a.After, nil, nil)
}

// Case is the case a record belongs to.
func (e *entity) Case(ctx context.Context) (*entity, error) {
	c, err := e.links(ctx, "recordCase", 1, nil, nil, nil)
	if err != nil || len(c.nodes) == 0 {
		return nil, err
	}
	return c.nodes[0], nil
}

// link resolves every typed link (Access, Payment, Residence, ...): one
// relationship between the owner entity and the other.
type link struct {
	l     probity.Link
	owner *entity
	other *entity
}

// end returns the entity with import id id (the relationship's From or To).
func (k *link) end(id string) *entity {
	if k.owner.n.ID == id {
		return k.owner
	}
	return k.other
}
func (k *link) start() *entity { return k.end(k.l.Edge.From) }
func (k *link) stop() *entity {
	if k.l.Edge.From == k.l.Edge.To {
		return k.owner
	}
	return k.end(k.l.Edge.To)
}
func (k *link) prop(name string) *string { return propText(k.l.Edge.Properties, name) }

func (k *link) At() *string              { return k.prop("at") }
func (k *link) System() *string          { return k.prop("system") }
func (k *link) Channel() *string         { return k.prop("channel") }
func (k *link) Terminal() *string        { return k.prop("terminal") }
func (k *link) Purpose() *string         { return k.prop("purpose") }
func (k *link) PaymentId() *string       { return k.prop("id") }
func (k *link) Currency() *string        { return k.prop("currency") }
func (k *link) Reference() *string       { return k.prop("reference") }
func (k *link) From() *string            { return k.prop("from") }
func (k *link) To() *string              { return k.prop("to") }
func (k *link) RelationType() *string    { return k.prop("type") }
func (k *link) DeclarationType() *string { return k.prop("type") }
func (k *link) Source() *string          { return k.prop("source") }
func (k *link) Since() *string           { return k.prop("since") }
func (k *link) On() *string              { return k.prop("on") }
func (k *link) Role() *string            { return k.prop("role") }
func (k *link) Finding() *string         { return k.prop("finding") }
func (k *link) Penalty() *string         { return k.prop("penalty") }
func (k *link) Outgoing() bool           { return k.l.Out }
func (k *link) Amount() *float64 {
	switch v := k.l.Edge.Properties["amount"].(type) {
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	}
	return nil
}

func (k *link) Officer() *entity   { return k.start() }
func (k *link) Record() *entity    { return k.stop() }
func (k *link) Payer() *entity     { return k.start() }
func (k *link) Payee() *entity     { return k.stop() }
func (k *link) Account() *entity   { return k.stop() }
func (k *link) Address() *entity   { return k.stop() }
func (k *link) Phone() *entity     { return k.stop() }
func (k *link) Case() *entity      { return k.stop() }
func (k *link) Complaint() *entity { return k.stop() }
func (k *link) Declared() *entity  { return k.stop() }
func (k *link) Company() *company  { return &company{k.stop()} }

// Party is the other party of a relation, else the party at the start of
// the relationship (the holder, resident, user or director).
func (k *link) Party() *entity {
	if k.l.Edge.Type == probity.RelRelatedTo {
		return k.other
	}
	return k.start()
}

// property resolves Property.
type property struct{ name, value string }

func (p property) Name() string  { return p.name }
func (p property) Value() string { return p.value }

func properties(p map[string]any) []property {
	out := make([]property, 0, len(p))
	for k, v := range p {
		out = append(out, property{k, text(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
