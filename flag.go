package probity

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"
)

// FlagStatus is where a flag stands in review. A flag starts New; a reviewer
// takes it InReview, then closes it with one of the four decisions.
type FlagStatus string

// Flag states (DESIGN.md "Flags and review").
const (
	FlagNew                   FlagStatus = "new"
	FlagInReview              FlagStatus = "in_review"
	FlagReferredInvestigation FlagStatus = "referred_investigation"
	FlagPreventionNotice      FlagStatus = "prevention_notice"
	FlagNoFurtherAction       FlagStatus = "no_further_action"
	FlagFalsePositive         FlagStatus = "false_positive"
)

// FlagStatuses lists every state, in lifecycle order.
var FlagStatuses = []FlagStatus{FlagNew, FlagInReview, FlagReferredInvestigation,
	FlagPreventionNotice, FlagNoFurtherAction, FlagFalsePositive}

// Dismissed reports whether s closes a flag without action; a dismissed flag
// stays dismissed on rescans until its evidence changes.
func (s FlagStatus) Dismissed() bool { return s == FlagNoFurtherAction || s == FlagFalsePositive }

// Closed reports whether s is one of the four final decisions.
func (s FlagStatus) Closed() bool {
	return s == FlagReferredInvestigation || s == FlagPreventionNotice || s.Dismissed()
}

// NextStatuses returns the states a reviewer may move a flag in state s to.
func NextStatuses(s FlagStatus) []FlagStatus {
	switch s {
	case FlagNew:
		return []FlagStatus{FlagInReview}
	case FlagInReview:
		return []FlagStatus{FlagReferredInvestigation, FlagPreventionNotice, FlagNoFurtherAction, FlagFalsePositive}
	}
	return nil
}

// Next returns the states a reviewer may move f to: NextStatuses of its
// state, and none for a new flag that is superseded or cleared (out of the
// queue; taken up, it would stay out of sight).
func (f Flag) Next() []FlagStatus {
	if f.Status == FlagNew && !f.Standing() {
		return nil
	}
	return NextStatuses(f.Status)
}

// Standing says the flag still stands: no newer flag of its pattern and
// officer superseded it, and no full scan cleared it (graph reads the
// same condition in Cypher).
func (f Flag) Standing() bool { return f.SupersededBy == "" && f.ClearedAt.IsZero() }

// Flag is one hit of a pattern on one officer, keyed by (Pattern, OfficerID,
// Fingerprint): rescans update LastSeen; changed evidence makes a new flag.
type Flag struct {
	ID                  string         `json:"id"`
	Pattern             string         `json:"pattern"`
	PatternVersion      int            `json:"patternVersion"`
	OfficerID           string         `json:"officerId"`
	Score               float64        `json:"score"`                        // in [0,1]
	Explanation         string         `json:"explanation"`                  // one sentence with the concrete facts
	InnocentExplanation string         `json:"innocentExplanation,omitzero"` // empty when none is known
	Parameters          map[string]any `json:"parameters"`
	Evidence            Evidence       `json:"evidence"`
	EvidenceIDs         []string       `json:"evidenceIds"` // import-format ids of evidence entities and payments, sorted
	Fingerprint         string         `json:"fingerprint"`
	Status              FlagStatus     `json:"status"`
	FirstSeen           time.Time      `json:"firstSeen"`
	LastSeen            time.Time      `json:"lastSeen"`
	ScannedAt           time.Time      `json:"scannedAt"`             // data time of the scan that last saw it
	ScanRunID           string         `json:"scanRunId"`             // the scan run whose reading it holds (a window scan that sees it again leaves it)
	SupersededBy        string         `json:"supersededBy,omitzero"` // a newer flag of the same pattern and officer with changed evidence
	// ClearedAt is when a full scan (all officers, no window) of the
	// pattern no longer found this new flag's case (a declaration made
	// since, a link ended, data corrected), and ClearedByRun that scan;
	// zero while it holds. Found again, it is no longer cleared.
	ClearedAt    time.Time `json:"clearedAt,omitzero"`
	ClearedByRun string    `json:"clearedByRun,omitzero"`
	// NotFoundAt is, for a flag someone has taken up (in review or
	// decided), when a scan that would have cleared a new flag no longer
	// found its case, and NotFoundByRun that scan; zero while it holds.
	// The flag stays where it is (a person has looked at it); its view
	// says so, and the reports of the rules as they stand leave it out.
	NotFoundAt    time.Time `json:"notFoundAt,omitzero"`
	NotFoundByRun string    `json:"notFoundByRun,omitzero"`
	// NewerFlag is, for a flag not found, the flag of the same pattern and
	// officer that the same scan found (its evidence changed): the case
	// as it stands now, to be read beside this one (checkE M1).
	NewerFlag string `json:"newerFlag,omitzero"`
	// ClearedHubs are the entities of the evidence, besides the officer,
	// that the clearing scan (or, for a reviewed flag, the scan that no
	// longer found it) found to be hubs, each with why ("degree", or
	// "suppressed: " and the hub list's reason): the likely cause, which
	// the flag names (adminB H1: an admin's hub list entry cleared a flag
	// and nothing the reviewer saw said so).
	ClearedHubs []string `json:"clearedHubs,omitzero"`
	// ClearedParameters are the clearing scan's parameters of the pattern
	// when they differ from those the flag was found with: an
	// administrator's threshold change, the likely cause (secI M2: a
	// narrowed threshold cleared 8 flags and their view blamed the data).
	ClearedParameters map[string]any `json:"clearedParameters,omitzero"`
	// ChangedAt is when the flag last changed: created; found again with
	// another score, explanation or pattern version; cleared, or found
	// again after that or after being superseded; superseded; decided,
	// confirmed, returned or noted. A scan that only sees it again
	// (LastSeen) does not move it, nor do the officer's risk, declarations,
	// recusal or reveals.
	ChangedAt time.Time `json:"changedAt"`
}

// Evidence is the exact nodes and relationships that make a flag's case.
type Evidence struct {
	Nodes []EvidenceNode `json:"nodes"`
	Edges []EvidenceEdge `json:"edges"`
}

// EvidenceNode is one entity of the evidence.
type EvidenceNode struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// EvidenceEdge is one relationship of the evidence. Source is the link's
// provenance (RELATED_TO.source) where the data has one; At is its date or
// time where it has one (ACCESSED.at, PAID.at, RELATED_TO.since, ...).
type EvidenceEdge struct {
	ID     string         `json:"id"`
	Type   string         `json:"type"`
	From   string         `json:"from"`
	To     string         `json:"to"`
	Source string         `json:"source,omitempty"`
	At     string         `json:"at,omitempty"`
	Props  map[string]any `json:"props,omitempty"`
}

// FlagNote is an analyst's working note on a flag (what was checked, what
// is awaited), kept beside its reviews and never changing its state.
type FlagNote struct {
	ID     string
	FlagID string
	Author string
	Text   string
	At     time.Time
	// Acknowledged lists the author's links to the flag's officers that the
	// author was asked to recuse for and wrote despite (empty: none).
	Acknowledged []string
}

// MaxFlagNote is the longest note, in characters.
const MaxFlagNote = 4000

// MaxReviewReason is the longest reason of a decision or a confirmation,
// in characters: it goes into the flag's history and the audit log.
const MaxReviewReason = 2000

// Review is one transition of a flag, made by a named reviewer with a reason.
type Review struct {
	ID       string
	FlagID   string
	Reviewer string
	From, To FlagStatus
	Reason   string
	At       time.Time
	// Acknowledged lists the reviewer's links to the flag's officers that
	// the reviewer was asked to recuse for and decided despite (empty:
	// none), for whoever reads the flag's history later.
	Acknowledged []string
	// Parameters are the flag's parameters when the decision was taken: a
	// later scan under other thresholds overwrites the flag's, and the
	// decision must still say what it was taken under (secI L8).
	Parameters map[string]any
}

// Declaration is a DECLARED from a flag's officer to a person or company
// in the flag's evidence, for the flag to show when it was made, whether it
// was withdrawn and whether it came only after the flag (DESIGN.md:
// "Declarations are dated").
type Declaration struct {
	FlagID          string
	Declared        Ref
	Type            string
	On, WithdrawnOn time.Time // zero: undated, not withdrawn
}

// FlagFilter selects flags; zero fields match everything. Limit 0 means the
// store's default page (1000).
type FlagFilter struct {
	Pattern      string
	Status       FlagStatus
	OfficerID    string
	CreatedByRun string // only flags that this ScanRun created
	Current      bool   // leave out flags superseded by a newer flag (changed evidence) or cleared (case no longer found)
	Limit        int
}

// PatternParam is one documented threshold of a pattern.
type PatternParam struct {
	Name        string
	Default     any // int64 or float64
	Description string
	// Min and Max bound the values an administrator may set; Fixed says
	// the query is written for the default (a path's length, the hub
	// degree every rule shares), so it cannot be set.
	Min, Max float64
	Fixed    bool
	// Value is the value scans use: Default, or Set's when an
	// administrator set one.
	Value any
	Set   *Threshold
}

// Threshold is an administrator's value for a pattern's parameter
// (DESIGN: the administrator "manages ... thresholds"), with who set it,
// when and why. Scans use it instead of the documented default, and every
// flag records the values it was raised with.
type Threshold struct {
	Pattern, Name string
	Value         any // of the default's type
	Reason, By    string
	At            time.Time
	// Was is the value in use before this change, as a change returns it
	// (the default when none was set): changes made at once by two
	// administrators are audited each with the value it replaced, so the
	// audit log tells their order (adminC M1).
	Was any
}

// PatternInfo describes a pattern of the library.
type PatternInfo struct {
	Name        string
	Version     int
	Description string
	Params      []PatternParam
}

// CheckPattern is nil when name is a pattern of lib, else EINVALID naming
// the patterns there are: the one check of a pattern name given by a
// person, wherever it is given (a scan, a schedule, a filter, a truth file).
func CheckPattern(lib []PatternInfo, name string) error {
	names := make([]string, len(lib))
	for i, p := range lib {
		if p.Name == name {
			return nil
		}
		names[i] = p.Name
	}
	sort.Strings(names)
	return Errorf(EINVALID, "unknown pattern %q (one of %s)", name, strings.Join(names, ", "))
}

// ScanOptions says what a scan runs on. From/To bound the window (zero = all
// loaded data); Since (or, with Incremental, the last run's watermark) limits
// the scan to officers touched by newer events.
type ScanOptions struct {
	Patterns    []string // empty: all
	From, To    time.Time
	Since       time.Time
	Incremental bool
	Trigger     string // "cli", "schedule", "api"
	Progress    func(ScanProgress)
}

// ScanProgress reports one step of a scan: a pattern, or (Step set) one of
// the steps before and after the patterns.
type ScanProgress struct {
	Pattern  string
	Step     string
	Done     int // patterns finished
	Total    int
	Hits     int
	Note     string // why a pattern found nothing it could look for, if so
	Error    string // why the pattern failed, if it did (its Hits then mean nothing)
	Duration time.Duration
}

// PatternRun is one pattern's outcome within a scan.
type PatternRun struct {
	Pattern    string `json:"pattern"`
	DurationMS int64  `json:"durationMs"`
	PrepareMS  int64  `json:"prepareMs,omitempty"` // of DurationMS, finding the officers to look at (incremental scans)
	Hits       int    `json:"hits"`
	NewFlags   int    `json:"newFlags"`
	Updated    int    `json:"updatedFlags"`
	Cleared    int    `json:"clearedFlags,omitempty"`  // new flags whose case a full scan no longer found
	NotFound   int    `json:"notFoundFlags,omitempty"` // flags taken up that such a scan no longer found (marked, not cleared)
	Note       string `json:"note,omitempty"`          // why it could find nothing (similar-to-confirmed: no confirmed officer)
	Error      string `json:"error,omitempty"`
}

// StepRun is how long one step of a scan other than a pattern took
// (watermark, hubs, aggregates and its parts, risk).
type StepRun struct {
	Step       string `json:"step"`
	DurationMS int64  `json:"durationMs"`
}

// ScanRun is the record of one scan.
type ScanRun struct {
	ID                 string
	Trigger            string
	StartedAt, EndedAt time.Time
	From, To, Since    time.Time // zero when unbounded / full
	Watermark          time.Time // latest event time in the data when the scan started
	Officers           int       // officers scanned (-1: all)
	AllPatterns        bool      // the whole library ran (only such runs set the incremental watermark)
	SinceGiven         bool      // Since came from --since, not from the last scan: the run is no base for --incremental
	ThresholdsAt       time.Time // the last threshold change before the run read the values it used (Neo4j's clock; zero: none)
	Patterns           []PatternRun
	Steps              []StepRun // the steps other than patterns, in order
	NewFlags, Updated  int
	Cleared            int // new flags whose case this (full) scan no longer found
	NotFound           int // flags taken up (in review or decided) that it no longer found: marked NotFoundAt
	Error              string
}

// Suppression is a known shared identifier (a station's address, the
// switchboard, the payroll account) that no pattern path traverses.
type Suppression struct {
	ID         string
	EntityID   string   // the import id given
	EntityKeys []string // the global ids of the entities it named when added (ids are unique per label only); for an entry kept before entries kept them, what its id names now
	Reason     string
	By         string
	At         time.Time
}

// HubListLabels are the kinds of entity the hub list takes: shared
// identifiers. A person, an officer or a company on it cut every path
// through them (adminB H1).
var HubListLabels = []string{LabelAddress, LabelPhone, LabelAccount}

// Applies says the suppression cuts paths: it names a shared identifier
// (HubListLabels). An entry of another kind, made before the list refused
// them, no longer applies and should be removed (secI M4). An entry whose
// id names no entity now (no keys) is taken to apply: an address of that
// id loaded later is cut.
func (s Suppression) Applies() bool {
	if len(s.EntityKeys) == 0 {
		return true
	}
	for _, k := range s.EntityKeys {
		if label, _, _ := strings.Cut(k, ":"); slices.Contains(HubListLabels, label) {
			return true
		}
	}
	return false
}

// WatchItem puts a record, or a person or other subject, on the tripwire
// list: any unassigned look-up of it (or of a record about it) is flagged.
type WatchItem struct {
	ID         string
	EntityID   string   // the import id given
	EntityKeys []string // the global ids of the entities it named when added
	Reason     string
	By         string
	At         time.Time
}

// Keys are the global ids the item names, for the audit log: its
// EntityKeys, or its import id for an item kept before they were.
func (w WatchItem) Keys() []string {
	if len(w.EntityKeys) == 0 {
		return []string{w.EntityID}
	}
	return w.EntityKeys
}

// Keys are the global ids the suppression names (WatchItem.Keys).
func (s Suppression) Keys() []string { return WatchItem(s).Keys() }

// OfficerRisk is the triage score of an officer: the noisy-or of the open
// flags' weighted scores (docs/patterns.md).
type OfficerRisk struct {
	OfficerID string
	Risk      float64
	Flags     map[string]float64 // pattern → best open score
}

// FairnessGroup is the flag rate of one group of officers.
type FairnessGroup struct {
	Attribute string  `json:"attribute"` // "unit", "rank", ...
	Value     string  `json:"value"`
	Officers  int     `json:"officers"`
	Flagged   int     `json:"flagged"`
	Rate      float64 `json:"rate"`
	// Ratio is Rate / the force-wide rate; nil when that is 0 (no officer
	// flagged: 0/0 is no ratio, and was shown 0.00 against the 1.00
	// line; statA L2).
	Ratio *float64 `json:"ratio"`
	Small bool     `json:"small"` // fewer than 10 officers: the ratio is unreliable
	// SmallOfficers are a Small group's officers: its counts are about
	// them, and a reader's audit event names them (secJ M2).
	SmallOfficers []string `json:"-"`
	// NotRecorded: the officers with no value for the attribute (Value "").
	NotRecorded bool `json:"notRecorded"`
	// Compared says the group was compared with the rest of the force
	// (false when no officer is flagged or the group is the whole force).
	// Then P is the two-sided p-value of the test that its flag rate is
	// the rest's, and BeyondChance says P < 0.05: a difference this large
	// is unlikely to be chance alone. The test is the score test
	// (Pearson's chi-square), or Fisher's exact test where an expected
	// count of the 2×2 table is under 5.
	Compared     bool    `json:"compared"`
	P            float64 `json:"pValue"`
	BeyondChance bool    `json:"beyondChance"`
	// BeyondChanceFDR says the group stays beyond chance with the false
	// discovery rate over the report's comparisons held at 5%
	// (Benjamini-Hochberg): the marks to act on when many groups are
	// compared; over one attribute's comparisons when the report was asked
	// for one. Attributes that group officers alike (a unit and the rank
	// only it has) count as comparisons of their own.
	BeyondChanceFDR bool `json:"beyondChanceFdr"`
	// HasInterval (score test only): RatioLow and RatioHigh bound Ratio
	// with 95% confidence, Koopman's score interval of the group's rate
	// over the rest's mapped onto the ratio to the force-wide rate. It
	// leaves out 1 exactly when BeyondChance.
	HasInterval bool    `json:"hasInterval"`
	RatioLow    float64 `json:"ratioLow"`
	RatioHigh   float64 `json:"ratioHigh"`
}

// MarshalJSON writes pValue null when the group was not compared, and the
// interval's ends null when it has none, as the API does: a script that
// skips hasInterval must not read an interval of 0-0 (analystB L5).
func (g FairnessGroup) MarshalJSON() ([]byte, error) {
	type plain FairnessGroup // no MarshalJSON: no recursion
	out := struct {
		plain
		P         *float64 `json:"pValue"` // shallower: these win over plain's
		RatioLow  *float64 `json:"ratioLow"`
		RatioHigh *float64 `json:"ratioHigh"`
	}{plain: plain(g)}
	if g.Compared {
		out.P = &g.P
	}
	if g.HasInterval {
		out.RatioLow, out.RatioHigh = &g.RatioLow, &g.RatioHigh
	}
	return json.Marshal(out)
}

// FairnessQuery asks for a disproportion report: of one pattern's flags
// ("" any), of one attribute ("" every one; the false discovery rate is
// then held over that attribute's comparisons), of every flag ever raised
// or only of those the rules as they stand raise (Current).
type FairnessQuery struct {
	Pattern, Attribute string
	Current            bool
	// Hide is the officer a reader's token is tied to: the flags hidden
	// from it do not count (they told it, against the queue it sees, that
	// a case about it exists). Not part of the report's Filter.
	Hide string
}

// Filter says which report q asks for, as an audit event names it
// (" of PATTERN by ATTRIBUTE (current flags)"; "" for the whole report).
func (q FairnessQuery) Filter() string {
	s := ""
	if q.Pattern != "" {
		s += " of " + q.Pattern
	}
	if q.Attribute != "" {
		s += " by " + q.Attribute
	}
	if q.Current {
		s += " (current flags)"
	}
	return s
}

// FairnessReport is flag rates by officer attribute against the force-wide rate.
type FairnessReport struct {
	Pattern  string `json:"pattern"` // "" = any pattern
	Current  bool   `json:"current"` // only flags that still stand count (else every flag ever raised)
	Officers int    `json:"officers"`
	Flagged  int    `json:"flagged"`
	// FlaggedStanding is the officers a flag that stands concerns (of the
	// pattern): Flagged when Current, else beside it, so that a reader
	// sees how much of the rate is cleared flags (statA L6: one threshold
	// experiment took 45 flagged officers to 101 for good).
	FlaggedStanding int             `json:"flaggedStanding"`
	Rate            float64         `json:"rate"`
	Groups          []FairnessGroup `json:"groups"`
	// Comparisons is the number of groups compared with the rest of the
	// force: at 95% about one in 20 is marked beyond chance by chance alone.
	Comparisons int `json:"comparisons"`
	// NotCompared are the officer attributes the data holds that the
	// report leaves out, each with why: a reader must not take an
	// attribute as checked that was not (statA L5).
	NotCompared []string  `json:"notCompared"`
	Generated   time.Time `json:"generatedAt"`
}

// SmallOfficerKeys are the global ids of the officers of the report's
// small groups, once each: a read of the report names them (the API's and
// the command line's audit events alike).
func (r FairnessReport) SmallOfficerKeys() []string {
	var keys []string
	seen := map[string]bool{}
	for _, g := range r.Groups {
		for _, id := range g.SmallOfficers {
			if k := (Ref{Label: LabelOfficer, ID: id}).Key(); !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// ReviewOutcome is what reviewers decided on one pattern's flags: what a
// force has instead of accuracy without a truth file (a precision among
// the flags reviewers chose to decide; nothing of cases no flag raised).
// Upheld is the share of decided flags referred for investigation or given
// a prevention notice
// (nil while none is decided); Confirmed counts referrals a second
// reviewer confirmed.
type ReviewOutcome struct {
	Pattern          string
	Open             int // new or in review (current flags only)
	InReview         int
	Referred         int
	Confirmed        int
	PreventionNotice int
	NoFurtherAction  int
	FalsePositive    int
	Decided          int
	Upheld           *float64
}

// UpheldCounts are the decided flags upheld (referred, or given a
// prevention notice) and the decided ones: Upheld is k / n, and its
// interval is of k in n (reviewE M3: the rule was written in two places).
func (o ReviewOutcome) UpheldCounts() (k, n int) { return o.Referred + o.PreventionNotice, o.Decided }

// PatternAccuracy is precision and recall of one pattern against ground
// truth. A ratio with nothing to divide by is nil (null in JSON), not 0:
// precision when nothing was flagged, recall when the truth names nobody.
type PatternAccuracy struct {
	Pattern       string   `json:"pattern"`
	Truth         int      `json:"truth"`
	Flagged       int      `json:"flagged"`
	TruePositives int      `json:"truePositives"`
	Precision     *float64 `json:"precision"`
	Recall        *float64 `json:"recall"`
	Traps         int      `json:"traps"`        // trap officers of the pattern (the traps file's)
	TrapsFlagged  int      `json:"trapsFlagged"` // trap officers the pattern flagged (should be 0)
	Missed        []string `json:"missed"`       // truth officers not flagged
	Spurious      []string `json:"spurious"`     // flagged officers not in truth
	// PrecisionAtK is the precision of the K best-scored flagged officers,
	// K the number of truth officers: ranked patterns with truth only.
	PrecisionAtK *float64 `json:"precisionAtK,omitempty"`
	K            int      `json:"k,omitempty"`
}

// PrecisionCounts are the true positives and the officers flagged:
// precision is k / n, and its interval is of k in n.
func (a PatternAccuracy) PrecisionCounts() (k, n int) { return a.TruePositives, a.Flagged }

// RecallCounts are the true positives and the truth's officers: recall is
// k / n, and its interval is of k in n.
func (a PatternAccuracy) RecallCounts() (k, n int) { return a.TruePositives, a.Truth }

// RecusalHops is how many association links between a reviewer's own
// officer record and an officer make the reviewer linked (DESIGN: "within
// 3 association links").
const RecusalHops = 3

// MaxCoSubjects bounds the officers of a flag's evidence, besides its
// subject, whose links to a reviewer are looked for (a crew of 20 would be
// 20 path searches a read).
const MaxCoSubjects = 10

// CoSubjects are the other officers f's evidence names as parties to the
// case (a co-accused crew, a colluding partner), in id order, at most
// MaxCoSubjects: a reviewer linked to one of them is linked to the case
// (secD). The confirmed officers a similar-to-confirmed flag compares with
// are no parties to it.
func (f Flag) CoSubjects() []string {
	compared := map[string]bool{}
	for _, e := range f.Evidence.Edges {
		if e.Type == RelSimilarTo {
			compared[e.To] = true
		}
	}
	var out []string
	for _, n := range f.Evidence.Nodes {
		if n.Label == LabelOfficer && n.ID != f.OfficerID && !compared[n.ID] && !slices.Contains(out, n.ID) {
			out = append(out, n.ID)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), MaxCoSubjects)]
}

// RecusalLink is how a reviewer's own officer record is linked to one
// officer: the reasons, and the global ids of the path a reason names
// (whoever reads the reasons reads those entities).
type RecusalLink struct {
	OfficerID string
	Reasons   []string
	PathIDs   []string
}
