package probity

import (
	"strings"
	"time"
)

// EntityLabels are the labels that the API exposes as entities (GraphQL
// Node types). Shifts, badge swipes and misconduct cases appear only as
// timeline details.
var EntityLabels = []string{LabelOfficer, LabelPerson, LabelCompany, LabelAccount, LabelAddress,
	LabelPhone, LabelCase, LabelRecord, LabelComplaint}

// ExploreRels are the relationship types that exploration (neighbourhood,
// paths) may follow: the links between entities. Queries name types from
// this closed list only.
var ExploreRels = []string{RelAccessed, RelAbout, RelPartOf, RelAssignedTo, RelHolds, RelPaid,
	RelLivesAt, RelUsesPhone, RelDirectorOf, RelRelatedTo, RelDeclared, RelNamedIn}

// IsEntityLabel reports whether label is one of EntityLabels.
func IsEntityLabel(label string) bool {
	for _, l := range EntityLabels {
		if l == label {
			return true
		}
	}
	return false
}

// Ref names one entity by label and import-format id.
type Ref struct {
	Label string
	ID    string
}

// Key is the entity's global id, "Label:id" (for example "Officer:O1").
func (r Ref) Key() string { return r.Label + ":" + r.ID }

// ParseKey reads a global id, "Label:id", back into its Ref; ok is false
// when key does not start with one of EntityLabels and a colon (an import
// id alone, say). The id may be empty: callers that need one check it.
func ParseKey(key string) (Ref, bool) {
	label, id, ok := strings.Cut(key, ":")
	if !ok || !IsEntityLabel(label) {
		return Ref{}, false
	}
	return Ref{Label: label, ID: id}, true
}

// Ref returns the node's label and id.
func (n Node) Ref() Ref { return Ref{Label: n.Label, ID: n.ID} }

// Exploration caps: whatever a request asks, the server never goes beyond
// these.
const (
	MaxNeighbourhoodDepth = 3
	MaxPathHops           = 6
	MaxPaths              = 50 // shortest paths one request may ask for
)

// NeighbourhoodQuery asks for the subgraph within Depth hops of Seeds over
// RelTypes (all ExploreRels when empty), at most Limit nodes, and, when AsOf
// is set, only links in force at that time. Hubs (more than HubDegree
// distinct neighbours over association links) other than the seeds are
// shown but not expanded.
type NeighbourhoodQuery struct {
	Seeds     []Ref
	Depth     int
	RelTypes  []string
	Limit     int
	AsOf      *time.Time
	HubDegree int
}

// PathQuery asks for up to Limit shortest paths of at most MaxHops links
// between From and To over RelTypes (all ExploreRels when empty), never
// through a hub unless ThroughHubs.
type PathQuery struct {
	From, To    Ref
	MaxHops     int
	RelTypes    []string
	ThroughHubs bool
	Limit       int
	HubDegree   int
}

// Path is one path as the ids of its nodes and edges, in order from the
// query's From to its To.
type Path struct {
	NodeIDs []string
	EdgeIDs []string
}

// PathResult holds the paths found and the subgraph they span. Its
// Truncated lists "hub:Label:id" for each hub the search did not pass
// through and "node_limit" when the search stopped at its visit cap.
type PathResult struct {
	Subgraph
	Paths []Path
}

// TimelineQuery asks for the dated events of Seeds between From
// (inclusive) and To (exclusive), at most Limit, oldest first.
type TimelineQuery struct {
	Seeds    []Ref
	From, To *time.Time
	Limit    int
}

// Timeline kinds.
const (
	EventAccess    = "access"
	EventLookup    = "lookup" // an officer accessed a record about the subject
	EventPayment   = "payment"
	EventShift     = "shift"
	EventSwipe     = "swipe"
	EventComplaint = "complaint"
)

// TimelineEvent is one dated event: an access, a payment, a shift, a badge
// swipe or a complaint, concerning Subject (one of the query's seeds).
// Other is the entity at the far end (a record, an account, a complaint, an
// officer) or, for shifts and swipes, the Shift or BadgeSwipe node.
type TimelineEvent struct {
	At      time.Time
	Kind    string
	Subject Node
	Other   Node
	Edge    Edge
}

// Timeline is a query's events in time order; Truncated holds "event_limit"
// when there were more.
type Timeline struct {
	Events    []TimelineEvent
	Truncated []string
}

// SearchQuery asks for entities whose id, name, address line, postcode or
// title match Text (words are prefixes, all must match), restricted to
// Labels when given. PeopleUnnamed leaves the names of officers and
// persons out of the match (a search without a purpose: a result that
// depended on a name would tell the name).
type SearchQuery struct {
	Text          string
	Labels        []string
	First         int
	PeopleUnnamed bool
}

// LinkKind is one typed link of an entity: from an owner with label Owner
// (any party when Owner is "Party", any label when "") over Rel, outgoing when Out, incoming
// when In, either way when both. Time, if set, is the DateTime property by
// which links are filtered and ordered (newest first).
type LinkKind struct {
	Owner string
	Rel   string
	Out   bool
	In    bool
	Time  string
}

// LinkKinds is the closed table of link fields the API offers.
var LinkKinds = map[string]LinkKind{
	"accesses":        {Owner: LabelOfficer, Rel: RelAccessed, Out: true, Time: "at"},
	"recordAccesses":  {Owner: LabelRecord, Rel: RelAccessed, In: true, Time: "at"},
	"payments":        {Owner: LabelAccount, Rel: RelPaid, Out: true, In: true, Time: "at"},
	"holders":         {Owner: LabelAccount, Rel: RelHolds, In: true},
	"accounts":        {Owner: "Party", Rel: RelHolds, Out: true},
	"residences":      {Owner: "Party", Rel: RelLivesAt, Out: true},
	"residents":       {Owner: LabelAddress, Rel: RelLivesAt, In: true},
	"phones":          {Owner: "Party", Rel: RelUsesPhone, Out: true},
	"phoneUsers":      {Owner: LabelPhone, Rel: RelUsesPhone, In: true},
	"relations":       {Owner: "Party", Rel: RelRelatedTo, Out: true, In: true},
	"directorships":   {Owner: "Party", Rel: RelDirectorOf, Out: true},
	"directors":       {Owner: LabelCompany, Rel: RelDirectorOf, In: true},
	"complaints":      {Owner: LabelOfficer, Rel: RelNamedIn, Out: true},
	"complaintNamed":  {Owner: LabelComplaint, Rel: RelNamedIn, In: true},
	"assignments":     {Owner: LabelOfficer, Rel: RelAssignedTo, Out: true},
	"caseAssignments": {Owner: LabelCase, Rel: RelAssignedTo, In: true},
	"declarations":    {Owner: LabelOfficer, Rel: RelDeclared, Out: true},
	"declaredBy":      {Owner: "Party", Rel: RelDeclared, In: true},
	"subjects":        {Owner: LabelRecord, Rel: RelAbout, Out: true},
	"recordsAbout":    {Owner: "", Rel: RelAbout, In: true},
	"recordCase":      {Owner: LabelRecord, Rel: RelPartOf, Out: true},
	"caseRecords":     {Owner: LabelCase, Rel: RelPartOf, In: true},
}

// LinkQuery asks for links of kind Kind (a key of LinkKinds) of the owners
// IDs, all labelled Label: per owner, Limit links after skipping Skip;
// From/To (inclusive, exclusive) filter kinds that have a Time.
type LinkQuery struct {
	Kind     string
	Label    string
	IDs      []string
	From, To *time.Time
	Skip     int
	Limit    int
}

// Link is one link of an owner: the relationship and the entity at its far
// end; Out when the relationship starts at the owner.
type Link struct {
	Owner string
	Edge  Edge
	Other Node
	Out   bool
}
