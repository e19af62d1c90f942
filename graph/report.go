package graph

import (
	"context"
	"fmt"
	"time"

	"probity"
	"probity/internal/fairness"
)

// Fairness returns flag rates by every officer attribute the data holds
// (unit, rank, role, status and any other property, such as a protected
// attribute), each with its ratio to the force-wide rate and whether it
// differs from the rest of the force beyond chance; officers with no value
// for an attribute are its NotRecorded group; groups of fewer than
// fairness.SmallGroup officers are marked Small (internal/fairness builds
// the report from the officers read here). An officer counts as flagged
// when any flag (of pattern, if given) concerns them, whatever its review
// state: the report measures what the patterns raise; with current, only
// a flag the rules as they stand raise counts (not superseded, cleared, or
// reviewed and no longer found), so that a rule fixed shows its fix
// (statA L4, statB H1); the report also counts the officers a flag that
// stands concerns (FlaggedStanding). With q.Hide, the flags hidden from a reader tied
// to that officer do not count.
func (s *Store) Fairness(ctx context.Context, q probity.FairnessQuery) (probity.FairnessReport, error) {
	pattern, current := q.Pattern, q.Current
	if pattern != "" {
		if _, err := patternByName(pattern); err != nil {
			return probity.FairnessReport{}, err
		}
	}
	// (o)<-[:CONCERNS]-(f), f unlabelled (only flags CONCERN officers): the
	// planner expands from each officer and never scans every flag per
	// officer (see similar-profile.cypher).
	// a reader tied to an officer: the flags hidden from it, read once
	hidden := "[]"
	if q.Hide != "" {
		hidden = hiddenFlagIDs
	}
	res, err := s.query(ctx, `WITH `+hidden+` AS hidden
		MATCH (o:Officer)
		RETURN properties(o) AS p,
		       EXISTS { MATCH (o)<-[:CONCERNS]-(f) WHERE ($pattern = '' OR f.pattern = $pattern) AND (NOT $current OR `+standingFlag+`) AND NOT f.id IN hidden } AS flagged,
		       EXISTS { MATCH (o)<-[:CONCERNS]-(f) WHERE ($pattern = '' OR f.pattern = $pattern) AND `+standingFlag+` AND NOT f.id IN hidden } AS standing`,
		map[string]any{"pattern": pattern, "current": current, "hide": q.Hide}, false)
	if err != nil {
		return probity.FairnessReport{}, fmt.Errorf("fairness: %w", err)
	}
	officers := make([]fairness.Officer, len(res.Records))
	for i, r := range res.Records {
		flagged, _ := r.Values[1].(bool)
		standing, _ := r.Values[2].(bool)
		officers[i] = fairness.Officer{Props: asMap(r.Values[0]), Flagged: flagged, Standing: standing}
	}
	return fairness.Report(officers, q, time.Now().UTC())
}

// FlagsMark is the latest time a flag changed (Flag.changedAt), zero when
// there is none: eval reads it before the flags it measures, and the
// accuracy report later looks only at the flags changed from it on.
func (s *Store) FlagsMark(ctx context.Context) (time.Time, error) {
	res, err := s.read(ctx, `MATCH (f:Flag) WHERE f.changedAt IS NOT NULL RETURN f.changedAt ORDER BY f.changedAt DESC LIMIT 1`, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("flags mark: %w", err)
	}
	t, _ := single(res).(time.Time)
	return t, nil
}

// FlaggedOfficers returns, per pattern, the officers with a flag of it
// that the rules as they stand raise (any review state; not superseded by
// a newer flag, not cleared by a scan that no longer found its case, and
// not a reviewed flag such a scan no longer found) and their best score,
// for evaluation: the accuracy of the rules now, not of every flag once
// raised (statB: a pattern a threshold silenced kept recall 1 through its
// reviewed flags).
func (s *Store) FlaggedOfficers(ctx context.Context) (map[string]map[string]float64, error) {
	res, err := s.query(ctx, `MATCH (f:Flag) WHERE `+standingFlag+`
		RETURN f.pattern, f.officerId, max(f.score)`, nil, false)
	if err != nil {
		return nil, fmt.Errorf("flagged officers: %w", err)
	}
	out := map[string]map[string]float64{}
	for _, r := range res.Records {
		p := str(r.Values[0])
		if out[p] == nil {
			out[p] = map[string]float64{}
		}
		out[p][str(r.Values[1])] = num(r.Values[2])
	}
	return out, nil
}

// OfficersFlagged returns the officers with a flag, current or not, each
// once, in id order (the queue's filter by pseudonym looks among them, for
// its cleared flags too), with the store's deadline.
func (s *Store) OfficersFlagged(ctx context.Context) ([]string, error) {
	res, err := s.read(ctx, `MATCH (f:Flag) RETURN DISTINCT f.officerId ORDER BY f.officerId`, nil)
	if err != nil {
		return nil, fmt.Errorf("flagged officers: %w", err)
	}
	out := make([]string, len(res.Records))
	for i, r := range res.Records {
		out[i] = str(r.Values[0])
	}
	return out, nil
}

// ReviewOutcomes counts, per pattern of the library (or only pattern), the
// flags by review state: open ones that are current (a new flag superseded
// or cleared was never decided and is not counted), and every decided
// one, current or not (a decision stands). Referrals confirmed by a second
// reviewer are those ConfirmReferral marked. With hide (the officer a
// reader's token is tied to), the flags hidden from that reader are not
// counted: a referral of a case about it moved these counts (reviewJ M3).
func (s *Store) ReviewOutcomes(ctx context.Context, pattern, hide string) ([]probity.ReviewOutcome, error) {
	if pattern != "" {
		if _, err := patternByName(pattern); err != nil {
			return nil, err
		}
	}
	res, err := s.read(ctx, `MATCH (f:Flag)
		WHERE ($pattern = '' OR f.pattern = $pattern)
		  AND (f.status <> 'new' OR (f.supersededBy IS NULL AND f.clearedAt IS NULL))
		  AND ($hide = '' OR NOT `+flagHidden("f")+`)
		RETURN f.pattern AS pattern, f.status AS status, count(*) AS n, count(f.referralConfirmedBy) AS confirmed`,
		map[string]any{"pattern": pattern, "hide": hide})
	if err != nil {
		return nil, fmt.Errorf("review outcomes: %w", err)
	}
	by := map[string]*probity.ReviewOutcome{}
	for _, p := range Patterns() {
		if pattern == "" || p.Name == pattern {
			by[p.Name] = &probity.ReviewOutcome{Pattern: p.Name}
		}
	}
	for _, r := range res.Records {
		o := by[str(r.Values[0])]
		if o == nil {
			continue // a pattern no longer in the library
		}
		n := int(num(r.Values[2]))
		switch probity.FlagStatus(str(r.Values[1])) {
		case probity.FlagNew:
			o.Open += n
		case probity.FlagInReview:
			o.Open += n
			o.InReview += n
		case probity.FlagReferredInvestigation:
			o.Referred += n
			o.Confirmed += int(num(r.Values[3]))
		case probity.FlagPreventionNotice:
			o.PreventionNotice += n
		case probity.FlagNoFurtherAction:
			o.NoFurtherAction += n
		case probity.FlagFalsePositive:
			o.FalsePositive += n
		}
	}
	out := make([]probity.ReviewOutcome, 0, len(by))
	for _, p := range Patterns() {
		o := by[p.Name]
		if o == nil {
			continue
		}
		o.Decided = o.Referred + o.PreventionNotice + o.NoFurtherAction + o.FalsePositive
		if k, n := o.UpheldCounts(); n > 0 {
			u := float64(k) / float64(n)
			o.Upheld = &u
		}
		out = append(out, *o)
	}
	return out, nil
}
