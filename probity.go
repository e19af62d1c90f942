// Package probity holds the domain of the Probity association investigator:
// the vocabulary of the graph (labels and relationship types), the shapes that
// cross package boundaries (subgraphs, flags, health) and the coded errors.
// It depends on the standard library only; adapters (graph, api) depend on it.
package probity

import "time"

// Version is the release of this binary, set at build time with
// -ldflags "-X probity.Version=...".
var Version = "dev"

// Node labels of the data model (DESIGN.md). Every label has a uniqueness
// constraint on the property id.
const (
	LabelOfficer        = "Officer"
	LabelPerson         = "Person"
	LabelCompany        = "Company"
	LabelAccount        = "Account"
	LabelAddress        = "Address"
	LabelPhone          = "Phone"
	LabelCase           = "Case"
	LabelRecord         = "Record"
	LabelComplaint      = "Complaint"
	LabelShift          = "Shift"
	LabelBadgeSwipe     = "BadgeSwipe"
	LabelMisconductCase = "MisconductCase"
	LabelFlag           = "Flag"
	LabelReview         = "Review"
	LabelSchedule       = "Schedule"
	LabelScanRun        = "ScanRun"
	LabelAuditEvent     = "AuditEvent"
)

// DataLabels are the labels of loaded data; InvestigatorLabels are the
// investigator's own records.
var (
	DataLabels = []string{LabelOfficer, LabelPerson, LabelCompany, LabelAccount, LabelAddress,
		LabelPhone, LabelCase, LabelRecord, LabelComplaint, LabelShift, LabelBadgeSwipe, LabelMisconductCase}
	InvestigatorLabels = []string{LabelFlag, LabelReview, LabelSchedule, LabelScanRun, LabelAuditEvent}
)

// Relationship types of the data model.
const (
	RelAccessed   = "ACCESSED"
	RelAbout      = "ABOUT"
	RelPartOf     = "PART_OF"
	RelAssignedTo = "ASSIGNED_TO"
	RelHolds      = "HOLDS"
	RelPaid       = "PAID"
	RelLivesAt    = "LIVES_AT"
	RelUsesPhone  = "USES_PHONE"
	RelDirectorOf = "DIRECTOR_OF"
	RelRelatedTo  = "RELATED_TO"
	RelDeclared   = "DECLARED"
	RelNamedIn    = "NAMED_IN"
	RelWorked     = "WORKED"
	RelSwiped     = "SWIPED"
	RelSubjectOf  = "SUBJECT_OF"
	RelConcerns   = "CONCERNS"
	RelEvidence   = "EVIDENCE"
	// RelSimilarTo is similar-to-confirmed's evidence edge from the flagged
	// officer to a confirmed one (with its similarity): drawn on the chart,
	// never a relationship of the data.
	RelSimilarTo = "SIMILAR_TO"
)

// AssociationRels are the association links of the pattern rules, taken in
// either direction.
var AssociationRels = []string{RelLivesAt, RelUsesPhone, RelRelatedTo, RelDirectorOf, RelHolds, RelPaid}

// HubDegree is the default hub threshold: a node with more than this many
// distinct neighbours over association links is a hub and no path passes
// through it.
const HubDegree = 20

// Node is one entity of a subgraph, as a link chart shows it.
type Node struct {
	ID         string         // import-format id
	Label      string         // one of the labels above
	Properties map[string]any // stored properties
}

// Edge is one relationship of a subgraph.
type Edge struct {
	ID         string // stable id (element id or, for PAID, the payment id)
	Type       string
	From, To   string // node ids
	Properties map[string]any
}

// Subgraph is a set of nodes and edges; Truncated says why it is partial
// (for example "node_limit" or "hub:ADDR-1"), empty when it is whole.
type Subgraph struct {
	Nodes     []Node
	Edges     []Edge
	Truncated []string
}

// Health is what /healthz reports about the database.
type Health struct {
	Reachable     bool
	ServerVersion string
	Edition       string
	SchemaVersion int
	Error         string // client-safe reason when not reachable
	CheckedAt     time.Time
	// AuditBehind: the audit chain's head is below the last event this
	// process wrote (a backup restored under it): it appends nothing more
	AuditBehind bool
	// KeyFingerprint is the fingerprint of the pseudonym key the database
	// records ("" before any server recorded one): a server started with
	// another, before a `probity pseudonym-key adopt`, shows other pseudonyms.
	KeyFingerprint string
}
