package probity

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Role is what an API token may do. Roles are ordered: each includes the
// ones before it.
//   - analyst: reads entities, explores, reviews flags
//   - reviewer: also confirms referrals and reads the audit log
//   - admin: also manages tokens, suppressions, the watch list, schedules and loads
type Role string

// Roles, weakest first.
const (
	RoleAnalyst  Role = "analyst"
	RoleReviewer Role = "reviewer"
	RoleAdmin    Role = "admin"
)

// Roles lists every role, weakest first.
var Roles = []Role{RoleAnalyst, RoleReviewer, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether a holder of r may do what needs the role need.
func (r Role) Allows(need Role) bool { return r.Valid() && r.rank() >= need.rank() }

// Token is an API token as stored: only the SHA-256 of its secret is kept.
type Token struct {
	ID        string
	Name      string
	Role      Role
	Hash      string // hex SHA-256 of the secret
	OfficerID string // the holder's own officer record, if any (recusal checks); "" when none
	CreatedAt time.Time
	RevokedAt *time.Time
}

// ErrAuditRolledBack is why a server refuses to append to an audit log
// whose head went back below what it wrote itself (a backup restored under
// it): only a restart, after an administrator has looked, makes it append
// again.
var ErrAuditRolledBack = errors.New("the audit log's head went back below what this server wrote")

// AuditEvent records one API operation that returned personal data: who
// (Actor, the token name, and Role), what (Operation, the digest of its
// variables and the ids of the entities returned or revealed), when (At) and
// why (Purpose). Events form a hash chain: Hash covers PrevHash and every
// other field, so editing or deleting an event breaks the chain.
type AuditEvent struct {
	ID              string
	Seq             int64
	At              time.Time
	Actor           string
	Role            Role
	Operation       string
	VariablesDigest string
	EntityIDs       []string
	Revealed        []string // ids whose real names were revealed
	Purpose         string
	PrevHash        string
	Hash            string
}

// ComputeHash returns the hex SHA-256 of PrevHash, a newline and the
// canonical JSON of the event's other fields (At in RFC 3339 UTC with
// nanoseconds; absent lists as empty lists).
func (e AuditEvent) ComputeHash() string {
	nz := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	canon, _ := json.Marshal(struct {
		ID              string   `json:"id"`
		Seq             int64    `json:"seq"`
		At              string   `json:"at"`
		Actor           string   `json:"actor"`
		Role            string   `json:"role"`
		Operation       string   `json:"operation"`
		VariablesDigest string   `json:"variablesDigest"`
		EntityIDs       []string `json:"entityIds"`
		Revealed        []string `json:"revealed"`
		Purpose         string   `json:"purpose"`
	}{e.ID, e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Actor, string(e.Role), e.Operation,
		e.VariablesDigest, nz(e.EntityIDs), nz(e.Revealed), e.Purpose})
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write([]byte("\n"))
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}

// TokenClaim is the token an audit event is written for, as the API last
// confirmed it: the event is written only if, when it is committed, a token
// whose secret hashes to Hash exists, is not revoked and still has this ID,
// Name, Role and OfficerID.
type TokenClaim struct {
	Hash      string
	ID        string
	Name      string
	Role      Role
	OfficerID string
}

// AuditFilter selects audit events: by Actor, At in [From, To), Entity
// (a global id "Label:id" among the event's entities, or an import id of
// any label), Operation (one of the event's root fields), Revealed (events
// that revealed names, exports of real names included); Seq after AfterSeq
// (before it with NewestFirst); at most First, oldest first unless
// NewestFirst.
type AuditFilter struct {
	Actor       string
	From, To    *time.Time
	Entity      string
	HideOfficer string // leave out the events that name this officer (import id) or a flag about it: the caller's own record
	// HideMisses, with HideOfficer, leaves out too this actor's events of
	// lookups that found nothing (": not_found", or no entity at all): a
	// refusal of one's own flag is hidden with it, so an id that exists
	// would otherwise differ from one made up (secF, docsE).
	HideMisses string
	// HideOperations leaves out the events of these operations (as
	// Operation matches them, and the begin events naming them): a token
	// tied to an officer does not read the watch list's changes in the
	// log, as it may not read the list (reviewF M1, reviewG M1).
	HideOperations []string
	// HideWords, with HideOfficer, leaves out too others' events whose
	// purpose holds one of these (any case): the officer's pseudonym, which
	// the API computes (secO M1).
	HideWords []string
	// Operation keeps the events of any of its comma-separated operations:
	// a root field the request ran, or the first words of a command line
	// event ("cli:flags" is "cli:flags --format csv", "suppress" is
	// "suppress add").
	Operation   string
	Revealed    bool
	AfterSeq    int64
	NewestFirst bool
	First       int
}

// Operations are the operations Operation names, trimmed, empty ones left
// out: what the filter matches, and what a limit on their number counts.
func (f AuditFilter) Operations() []string {
	out := []string{}
	for _, op := range strings.Split(f.Operation, ",") {
		if op = strings.TrimSpace(op); op != "" {
			out = append(out, op)
		}
	}
	return out
}

// AuditVerification is the outcome of checking the whole chain: Checked
// events in order; BrokenSeq/BrokenID/Reason name the first broken link
// (zero when the chain is whole).
type AuditVerification struct {
	Checked   int64
	BrokenSeq int64
	BrokenID  string
	Reason    string
	// HeadHash is the hash of the last event checked: kept outside the
	// database (a log, a ticket), it shows a chain later cut back to an
	// earlier head, which verifies on its own.
	HeadHash string
}

// OK reports whether the chain is whole.
func (v AuditVerification) OK() bool { return v.Reason == "" }

// LoadPurpose is the purpose an audit event gives a load, whether it came
// from `probity load` or POST /load: why (when given), then "load " and what
// was loaded (a folder, or the files uploaded), then how.
func LoadPurpose(why, what string, strict, bulk bool) string {
	p := "load " + what
	if strict {
		p += " (strict)"
	}
	if bulk {
		p += " (bulk)"
	}
	if why = strings.TrimSpace(why); why != "" {
		p = why + "; " + p
	}
	return p
}
