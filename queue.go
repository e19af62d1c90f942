package probity

import "time"

// FlagQuery selects one page of the flag queue (the API's flags field):
// zero fields match everything. Flags come highest score first, then by id;
// After is the (score, id) of the last flag of the previous page.
type FlagQuery struct {
	Patterns []string
	Statuses []FlagStatus
	Unit     string   // the flagged officer's unit
	MinScore *float64 // nil: any score
	MinRisk  *float64 // the officer's stored risk at least this; nil: any
	// Cleared keeps the flags a scan cleared (no longer found, not
	// superseded) instead of the current ones.
	Cleared bool
	// NotFound keeps, of the current flags, those taken up that a scan no
	// longer found (NotFoundAt): a reviewer's flags whose case ended.
	NotFound bool
	// Awaiting, when not nil, keeps the referrals awaiting a reviewer's
	// confirmation (true) or every flag but those (false).
	Awaiting *bool
	// Text, when not empty, keeps the flags whose officer id, officer's
	// unit or explanation holds it, in any case (the explanation names the
	// other officers, persons and records of the case by id).
	Text string
	// OfficerIDs, when not nil, keeps the flags of these officers only (an
	// empty list: none).
	OfficerIDs []string
	// HideOfficer, when not empty, leaves out the flags of that officer and
	// those whose evidence names it: the caller's own (a flagged officer
	// does not learn of the case from the queue).
	HideOfficer string
	// ByRisk orders by the officer's risk (Officer.risk, the triage
	// order), then officer id (an officer's flags together), then as by
	// score; otherwise by score, then id.
	ByRisk bool
	// ChangedSince, when not nil, keeps the flags changed at or after it
	// (Flag.ChangedAt), superseded and cleared ones too: what a tool
	// that mirrors the queue has to fetch again.
	ChangedSince *time.Time
	// ByChange orders by ChangedAt, oldest first, then id: a mirror's
	// order, in which a flag that changes while the pages are read moves
	// behind the cursor's place, to a later page, never to one already read.
	ByChange bool
	After    *FlagKey // nil: from the top
	Limit    int      // 1..1000
}

// FlagKey is a flag's place in the queue order (Risk and OfficerID only
// in the order by risk).
type FlagKey struct {
	Risk      float64
	OfficerID string
	Score     float64
	ID        string
	ChangedAt time.Time // in the order by change only
}

// FlagCounts is how many flags a FlagQuery matches (ignoring After and
// Limit), in total and per pattern.
type FlagCounts struct {
	Total     int
	ByPattern map[string]int
}

// Reveal records that a token holder saw the real names of a flag's
// officer and evidence persons, for a stated purpose.
type Reveal struct {
	ID      string
	FlagID  string
	Actor   string // token name
	Purpose string
	At      time.Time
}

// SavedChart is a link chart the UI saved: its JSON holds personal data.
type SavedChart struct {
	ID      string
	Name    string
	Owner   string // token name
	JSON    string
	SavedAt time.Time
}

// AccuracyReport is one stored `probity eval` result.
type AccuracyReport struct {
	ID        string
	At        time.Time
	TruthFile string
	// TrapsFile is the traps file eval was given, "" when none was: then
	// no trap was tried, which is not "none flagged" (reviewE M1).
	TrapsFile string
	// ScanRunID is the latest scan that had ended without an error when
	// eval ran: the flags it measured are those scans raised up to it.
	ScanRunID string
	// Warnings are what eval said of the truth file against the data
	// (officers the database does not hold, patterns it names nobody for),
	// kept with the figures they qualify.
	Warnings []string
	// UnknownOfficers are the officers the truth file names that the
	// database did not hold (a warning names them): a read of the report
	// is audited naming them (secJ L5, secK L3).
	UnknownOfficers []string
	Patterns        []PatternAccuracy
	// Measured are the flags eval measured: per pattern, the officers a
	// flag that stands concerned and their best score (nil for a report
	// stored before reports kept them).
	Measured map[string]map[string]float64
	// FlagsMark is the latest time a flag had changed when eval read the
	// flags (Flag.changedAt): the flags changed since are those to compare
	// with Measured.
	FlagsMark time.Time
	// LatestScanRunID is, when read, the latest scan that has ended without
	// an error (the rule ScanRunID was taken by): another than ScanRunID
	// says the figures may be of the flags before it (analystB, reviewE L6).
	LatestScanRunID string
	// Changes is, when read and a scan has ended since ScanRunID, how the
	// flags that stand differ from Measured; nil when no scan has ended
	// since or Measured is not known.
	Changes *AccuracyChanges
}
