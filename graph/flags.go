package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// RelReviews links a Review to the flag it decides: (Review)-[:REVIEWS]->(Flag).
const RelReviews = "REVIEWS"

// RelNotes links an analyst's note to its flag: (FlagNote)-[:NOTES]->(Flag).
const RelNotes = "NOTES"

// evidenceLabels are the labels an (Flag)-[:EVIDENCE]->(node) may point to;
// the upsert has one indexed MATCH per label (labels cannot be parameters).
var evidenceLabels = probity.DataLabels

// flagClock is the Cypher that starts every statement changing what a
// reader of a flag sees: it write-locks the one FlagClock node, held until
// the transaction commits, so that such transactions stamp changedAt
// (changedNow, the database's clock read after the lock) one after the
// other, in the order they commit. A tool that has seen a change stamped T
// has seen every change stamped before T. (The scan's upserts had been
// stamped with the scan's start and committed up to a minute later, under
// the stamps of reviews made meanwhile, which a mirror had already read
// past; syncZ.)
const flagClock = `MERGE (clk:` + LabelFlagClock + ` {id: 'flags'}) SET clk.tick = coalesce(clk.tick, 0) + 1
WITH clk
`

// changedNow is the time a change is stamped with, under flagClock.
const changedNow = `datetime.realtime()`

var upsertFlagsCypher = func() string {
	var b strings.Builder
	b.WriteString(flagClock + `CALL { MATCH (m:SchemaMigration) RETURN max(m.appliedAt) AS migratedAt }
UNWIND $flags AS f
MATCH (o:Officer {id: f.officer})
OPTIONAL MATCH (byKey:Flag {pattern: f.pattern, officerId: f.officer, fingerprint: f.fingerprint})
CALL (f, byKey, migratedAt) {
  // A flag that a new pattern version, or a migration of the data's ids,
  // presents with another fingerprint but the same evidence is the same
  // case: it is carried over (it takes the fingerprint, keeps its id,
  // status and first sighting), where a reviewed one would come back as a
  // new flag beside the decision taken on it, and an open one would be
  // superseded and alerted again. The same evidence: the same entities
  // (shifts and swipes aside: their ids are the ones a migration
  // rewrites) and no evidence id the flag did not have (a payment).
  OPTIONAL MATCH (same:Flag {pattern: f.pattern, officerId: f.officer})
  WHERE byKey IS NULL AND same.supersededBy IS NULL AND same.clearedAt IS NULL
    AND (same.patternVersion <> f.version OR same.lastSeen < migratedAt)
    AND all(x IN f.evidenceIds WHERE x IN same.evidenceIds)
    AND COLLECT { MATCH (same)-[:EVIDENCE]->(n) WHERE NOT n:Shift AND NOT n:BadgeSwipe RETURN DISTINCT n.id AS id ORDER BY id } = f.entityIds
  RETURN same AS carried ORDER BY same.lastSeen DESC LIMIT 1
}
WITH f, o, coalesce(byKey, carried) AS old
// A scan of a window (--from/--to) that finds the very evidence of a
// standing flag a scan of all the data last wrote under this version of the
// pattern (mutY L1: an older version's reading is not kept) sees it again, and leaves
// it as that scan read it: the window's score and wording (a path "since"
// the window's first link) are of the window's part of the case, and would
// stand in the queue until the next scan of all the data (reviewQ M1).
OPTIONAL CALL (old) {
  MATCH (lr:ScanRun {id: old.scanRunId})
  WHERE NOT $supersede AND old.supersededBy IS NULL AND old.clearedAt IS NULL AND old.notFoundAt IS NULL
    AND lr.from IS NULL AND lr.to IS NULL
  RETURN true AS kept
}
WITH f, o, old, old IS NULL AS created, $supersede AND old.supersededBy IS NOT NULL AS revived,
     kept IS NOT NULL AND old.fingerprint = f.fingerprint AND old.patternVersion = f.version AS keep
// changed for a reader: not merely seen again (Flag.ChangedAt)
WITH f, o, old, created, revived, keep, NOT keep AND (created OR revived OR old.clearedAt IS NOT NULL OR old.notFoundAt IS NOT NULL OR old.score <> f.score
  OR old.explanation <> f.explanation OR old.patternVersion <> f.version OR old.changedAt IS NULL) AS changed
MERGE (fl:Flag {id: coalesce(old.id, f.id)})
ON CREATE SET fl.pattern = f.pattern, fl.officerId = f.officer,
              fl.status = 'new', fl.firstSeen = $now, fl.firstScanRunId = $run,
              // the audit log's head as the flag is written: the events a
              // token tied to an officer it is about may no longer read
              // are those after it (readerHiding; firstSeen is the scan's
              // start, and a colleague's look during the scan, shown, then
              // vanished: secP H1)
              fl.auditSeq = $auditSeq
SET fl.fingerprint = f.fingerprint, fl.patternVersion = f.version, fl.evidence = f.evidence, fl.evidenceIds = f.evidenceIds,
    fl.lastSeen = $now, fl.scannedAt = $now
FOREACH (_ IN CASE WHEN NOT keep THEN [1] END |
  SET fl.score = f.score, fl.explanation = f.explanation, fl.innocentExplanation = f.innocent,
      fl.parameters = f.parameters, fl.scanRunId = $run)
SET fl.clearedAt = null, fl.clearedByRun = null, fl.clearedHubs = null, fl.clearedParameters = null, fl.notFoundAt = null, fl.notFoundByRun = null, fl.newerFlag = null, fl.changedAt = CASE WHEN changed THEN ` + changedNow + ` ELSE fl.changedAt END
FOREACH (_ IN CASE WHEN revived THEN [1] END | SET fl.supersededBy = null)
MERGE (fl)-[:CONCERNS]->(o)
WITH fl, f, created, revived
`)
	for _, l := range evidenceLabels {
		fmt.Fprintf(&b, "CALL (fl, f) { UNWIND coalesce(f.nodes.%[1]s, []) AS id MATCH (n:%[1]s {id: id}) MERGE (fl)-[:EVIDENCE]->(n) }\n", l)
	}
	b.WriteString(`CALL (fl, f, created, revived) {
  // a scan of all the data that finds a case anew (a new fingerprint, or
  // one that had been superseded) supersedes the open flags of the same
  // pattern and officer (reviewed flags are left as they are); a scan of a
  // window sees part of the data and supersedes nothing
  MATCH (prev:Flag {pattern: f.pattern, officerId: f.officer})
  WHERE $supersede AND (created OR revived) AND prev <> fl AND prev.status = 'new' AND prev.supersededBy IS NULL
    AND prev.lastSeen < $now // not a flag this scan found too: two would supersede each other (reviewI L3)
  SET prev.supersededBy = fl.id, prev.changedAt = ` + changedNow + `
}
RETURN count(CASE WHEN created THEN 1 END) AS created, count(*) AS total`)
	return b.String()
}()

// currentFlag is the Cypher condition on a flag f that still stands: not
// superseded by a newer flag of its pattern and officer, and not cleared by
// a full scan that no longer found its case. The queue and `probity flags`
// read only such flags; what measures the rules (risk, eval, the
// disproportion of current flags) reads standingFlag.
const currentFlag = `f.supersededBy IS NULL AND f.clearedAt IS NULL`

// standingFlag is the Cypher condition on a flag f that the rules as they
// stand still raise: current, and not a reviewed flag the latest scan of
// its case no longer found (NotFoundAt). The reports that measure the
// rules (accuracy, disproportion of current flags) count these.
const standingFlag = currentFlag + ` AND f.notFoundAt IS NULL`

// entityKey is the Cypher expression of node n's global id ("Address:A1"),
// its label among $entity_labels (probity.EntityLabels) and its id.
func entityKey(n string) string {
	return "[l IN labels(" + n + ") WHERE l IN $entity_labels][0] + ':' + " + n + ".id"
}

// flagID is the stable id of the flag keyed by (pattern, officer, fingerprint).
func flagID(pattern, officer, fingerprint string) string {
	h := sha256.Sum256([]byte(pattern + "\x00" + officer + "\x00" + fingerprint))
	return "FLAG-" + hex.EncodeToString(h[:8])
}

// nilOr is l, or a Cypher null for a nil l.
func nilOr(l []string) any {
	if l == nil {
		return nil
	}
	return l
}

// clearUnseen marks cleared the new, current flags of pattern (of the
// officers given; nil: of every officer) that the scan run, started at now,
// did not find again: their case no longer holds. A reviewed flag is not
// cleared (a person has looked at it: it stays in review, or decided) but
// marked not found (NotFoundAt: the first scan that did not find it)
// until a scan finds it again: a reviewer must see that a threshold change
// or new data ended its case, and the reports of the rules as they stand
// leave it out (statB, boardA: "only flags that still stand" counted
// dismissed flags no rule raised any more). The evidence's entities that
// are now hubs (automatic, or on the hub list), and the scan's parameters
// where they differ from the flag's, are kept with the flag as the likely
// cause; a reviewed flag not found also names the flag of its pattern and
// officer this scan did find, if any (NewerFlag). Each scan that still
// does not find a marked flag says the cause and the newer flag as they
// are now (reviewE L2: the first scan's stayed, naming a flag superseded
// since), its changedAt moving only when the cause changed: not for the
// newer flag alone, which a token tied to the officer it is about reads
// as null, so a change it could not see told it of that case (reviewJ M2).
// It returns
// how many it cleared and how many it newly marked not found.
func (s *Store) clearUnseen(ctx context.Context, p *patternDef, officers []string, now time.Time, runID string) (cleared, notFound int, err error) {
	res, err := s.query(ctx, flagClock+`MATCH (f:Flag {pattern: $pattern})
		WHERE `+currentFlag+` AND f.lastSeen < $now AND ($officers IS NULL OR f.officerId IN $officers)
		WITH f, f.status = 'new' AS clear, f.notFoundAt IS NULL AS first, [(f)-[:EVIDENCE]->(n:`+LabelHub+`) WHERE n.id <> f.officerId
		         | `+entityKey("n")+` + ' (' + coalesce(n.hubReason, 'hub') + ')'] AS hubs
		WITH f, clear, first, CASE WHEN size(hubs) > 0 THEN hubs END AS hubs, CASE WHEN f.parameters <> $parameters THEN $parameters END AS params,
		     CASE WHEN clear THEN null ELSE COLLECT { MATCH (n:Flag {pattern: $pattern, officerId: f.officerId})
		       WHERE n <> f AND n.lastSeen = $now AND n.supersededBy IS NULL RETURN n.id ORDER BY n.firstSeen DESC LIMIT 1 }[0] END AS newer
		WITH f, clear, first, hubs, params, newer, clear OR first OR coalesce(f.clearedHubs, []) <> coalesce(hubs, [])
		     OR coalesce(f.clearedParameters, '') <> coalesce(params, '') AS changed
		SET f.changedAt = CASE WHEN changed THEN `+changedNow+` ELSE f.changedAt END, f.clearedHubs = hubs, f.clearedParameters = params
		FOREACH (_ IN CASE WHEN clear THEN [1] END | SET f.clearedAt = $now, f.clearedByRun = $run)
		FOREACH (_ IN CASE WHEN NOT clear THEN [1] END | SET f.notFoundAt = coalesce(f.notFoundAt, $now), f.notFoundByRun = coalesce(f.notFoundByRun, $run), f.newerFlag = newer)
		RETURN count(CASE WHEN clear THEN 1 END), count(CASE WHEN NOT clear AND first THEN 1 END)`, map[string]any{"pattern": p.info.Name, "officers": nilOr(officers), "now": now, "run": runID,
		"entity_labels": probity.EntityLabels, "parameters": shownParameters(p)}, true)
	if err != nil {
		return 0, 0, fmt.Errorf("clear flags of %s no longer found: %w", p.info.Name, err)
	}
	if len(res.Records) == 1 {
		cleared, notFound = int(num(res.Records[0].Values[0])), int(num(res.Records[0].Values[1]))
	}
	return cleared, notFound, nil
}

// upsertFlags turns hits into flags: a hit whose (pattern, officer,
// fingerprint) already has a flag updates it (lastSeen, score, wording) and
// never touches its status; any other hit creates a flag in state new.
// supersede says the scan saw all the data (no window): only then does a
// flag supersede the open flags of its pattern and officer, and a
// superseded flag found again stand again.
func (s *Store) upsertFlags(ctx context.Context, p *patternDef, hs []hit, now time.Time, runID string, supersede bool) (created, updated int, err error) {
	pj := shownParameters(p)
	var rows []any
	for _, h := range hs {
		ev, ids, fp := h.ev.final()
		ej, _ := json.Marshal(ev)
		nodes := map[string]any{}
		var entityIDs []string // the evidence's entities but shifts and swipes, sorted (the carry-over)
		for _, n := range ev.Nodes {
			l, _ := nodes[n.Label].([]any)
			nodes[n.Label] = append(l, n.ID)
			if hasImportID(n.Label) {
				entityIDs = append(entityIDs, n.ID)
			}
		}
		slices.Sort(entityIDs)
		entityIDs = append([]string{}, slices.Compact(entityIDs)...) // [] rather than nil: Cypher compares lists
		if ids == nil {
			ids = []string{}
		}
		rows = append(rows, map[string]any{"id": flagID(p.info.Name, h.officer, fp), "pattern": p.info.Name,
			"version": int64(p.info.Version), "officer": h.officer, "score": round3(clamp01(h.score)),
			"explanation": h.explanation, "innocent": h.innocent, "parameters": pj, "evidence": string(ej),
			"evidenceIds": ids, "fingerprint": fp, "nodes": nodes, "entityIds": entityIDs})
	}
	const batch = 500
	for i := 0; i < len(rows); i += batch {
		j := min(len(rows), i+batch)
		head, _, err := s.auditHead(ctx)
		if err != nil {
			return created, updated, fmt.Errorf("flags of %s: %w", p.info.Name, err)
		}
		res, err := s.query(ctx, upsertFlagsCypher, map[string]any{"flags": rows[i:j], "now": now, "run": runID, "supersede": supersede, "auditSeq": head}, true)
		if err != nil {
			return created, updated, fmt.Errorf("flags of %s: %w", p.info.Name, err)
		}
		if len(res.Records) > 0 {
			c, _ := res.Records[0].Get("created")
			t, _ := res.Records[0].Get("total")
			created += int(num(c))
			updated += int(num(t)) - int(num(c))
		}
	}
	return created, updated, nil
}

// shownParameters is the JSON of p's parameters as a flag records them:
// the values of the scan, an administrator's where one was set.
func shownParameters(p *patternDef) string {
	shown := map[string]any{}
	for _, pp := range p.info.Params {
		shown[pp.Name] = pp.Value
	}
	pj, _ := json.Marshal(shown) // numbers under names: cannot fail
	return string(pj)
}

func flagFromNode(n map[string]any) probity.Flag {
	f := probity.Flag{ID: str(n["id"]), Pattern: str(n["pattern"]), PatternVersion: int(num(n["patternVersion"])),
		OfficerID: str(n["officerId"]), Score: num(n["score"]), Explanation: str(n["explanation"]),
		InnocentExplanation: str(n["innocentExplanation"]), Fingerprint: str(n["fingerprint"]),
		Status: probity.FlagStatus(str(n["status"])), SupersededBy: str(n["supersededBy"]),
		ScanRunID: str(n["scanRunId"]), ClearedByRun: str(n["clearedByRun"]), ClearedHubs: asStrings(n["clearedHubs"])}
	json.Unmarshal([]byte(str(n["parameters"])), &f.Parameters)
	if c := str(n["clearedParameters"]); c != "" {
		json.Unmarshal([]byte(c), &f.ClearedParameters)
	}
	json.Unmarshal([]byte(str(n["evidence"])), &f.Evidence)
	f.EvidenceIDs = asStrings(n["evidenceIds"])
	f.FirstSeen, _ = n["firstSeen"].(time.Time)
	f.LastSeen, _ = n["lastSeen"].(time.Time)
	f.ScannedAt, _ = n["scannedAt"].(time.Time)
	f.ClearedAt, _ = n["clearedAt"].(time.Time)
	f.NotFoundAt, _ = n["notFoundAt"].(time.Time)
	f.NotFoundByRun = str(n["notFoundByRun"])
	f.NewerFlag = str(n["newerFlag"])
	f.ChangedAt, _ = n["changedAt"].(time.Time)
	return f
}

// Flags returns the flags matching filter, highest score first (at most
// filter.Limit, default and maximum 100000).
func (s *Store) Flags(ctx context.Context, filter probity.FlagFilter) ([]probity.Flag, error) {
	limit := filter.Limit
	if limit <= 0 || limit > 100000 {
		limit = 100000
	}
	res, err := s.read(ctx, `MATCH (f:Flag)
		WHERE ($pattern = '' OR f.pattern = $pattern) AND ($status = '' OR f.status = $status)
		  AND ($officer = '' OR f.officerId = $officer) AND ($run = '' OR f.firstScanRunId = $run)
		  AND ($current = false OR (`+currentFlag+`))
		RETURN properties(f) ORDER BY f.score DESC, f.id LIMIT $limit`,
		map[string]any{"pattern": filter.Pattern, "status": string(filter.Status), "officer": filter.OfficerID,
			"run": filter.CreatedByRun, "current": filter.Current, "limit": int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("flags: %w", err)
	}
	out := make([]probity.Flag, 0, len(res.Records))
	for _, r := range res.Records {
		out = append(out, flagFromNode(asMap(r.Values[0])))
	}
	return out, nil
}

// Flag returns one flag; ENOTFOUND when there is none with that id.
func (s *Store) Flag(ctx context.Context, id string) (probity.Flag, error) {
	res, err := s.read(ctx, `MATCH (f:Flag {id: $id}) RETURN properties(f)`, map[string]any{"id": id})
	if err != nil {
		return probity.Flag{}, fmt.Errorf("flag %s: %w", id, err)
	}
	if len(res.Records) == 0 {
		return probity.Flag{}, probity.Errorf(probity.ENOTFOUND, "no flag %s", id)
	}
	return flagFromNode(asMap(res.Records[0].Values[0])), nil
}

// checkReason refuses a reason longer than probity.MaxReviewReason.
func checkReason(reason string) error {
	if n := utf8.RuneCountInString(reason); n > probity.MaxReviewReason {
		return probity.Errorf(probity.EINVALID, "a reason is at most %d characters (this one has %d)", probity.MaxReviewReason, n)
	}
	return checkText("a reason", reason)
}

// checkText refuses what a person typed (a reason, a note) when it holds a
// control or text-direction character (probity.BadTextRune), as the loader
// refuses it in the data (secF).
func checkText(what, s string) error {
	if r, i := probity.BadTextRune(s); i >= 0 {
		return probity.Errorf(probity.EINVALID, "%s holds a control or text-direction character (U+%04X at byte %d)", what, r, i)
	}
	if !probity.Readable(s) {
		return probity.Errorf(probity.EINVALID, "%s needs words: letters or digits, not only spaces, punctuation or invisible characters", what)
	}
	return nil
}

// ReviewFlag moves a flag to decision and records a Review: new → in_review
// → referred_investigation | prevention_notice | no_further_action |
// false_positive. Reviewer and reason are required (EINVALID); an unknown
// flag is ENOTFOUND; a move the state machine does not allow (including a
// concurrent review that got there first) is ECONFLICT, and so is taking up
// a superseded or cleared flag: it has left the queue, and a flag in review
// is never cleared, so it would stay there out of sight. acknowledged are
// the reviewer's links to the flag's officers that the reviewer was asked
// to recuse for and decided despite; they are kept with the review.
func (s *Store) ReviewFlag(ctx context.Context, flagID, reviewer string, decision probity.FlagStatus, reason string, acknowledged []string) (probity.Review, error) {
	reviewer, reason = strings.TrimSpace(reviewer), strings.TrimSpace(reason)
	if reviewer == "" || reason == "" {
		return probity.Review{}, probity.Errorf(probity.EINVALID, "a review needs a reviewer and a reason")
	}
	if err := checkReason(reason); err != nil {
		return probity.Review{}, err
	}
	var from probity.FlagStatus
	switch {
	case decision == probity.FlagInReview:
		from = probity.FlagNew
	case decision.Closed():
		from = probity.FlagInReview
	default:
		return probity.Review{}, probity.Errorf(probity.EINVALID, "unknown decision %q", decision)
	}
	now := time.Now().UTC()
	rv := probity.Review{ID: newID("REV-", now), FlagID: flagID, Reviewer: reviewer, From: from, To: decision, Reason: reason, At: now,
		Acknowledged: acknowledged}
	recs, err := s.writeFlagLocked(ctx, flagID, `MATCH (f:Flag {id: $flag}) WHERE f.status = $from AND `+currentFlag+`
		  AND NOT `+returnedBy+`
		SET f.status = $to, f.reviewedAt = $at, f.reviewedBy = $reviewer, f.changedAt = `+changedNow+`
		CREATE (r:Review {id: $id, flagId: $flag, reviewer: $reviewer, from: $from, to: $to, reason: $reason, at: $at,
		                  acknowledged: $acknowledged, parameters: f.parameters})-[:`+RelReviews+`]->(f)
		RETURN r.id, f.officerId`,
		map[string]any{"flag": flagID, "from": string(from), "to": string(decision), "at": now, "reviewer": reviewer,
			"id": rv.ID, "reason": reason, "acknowledged": listOrNull(acknowledged)})
	if err != nil {
		return rv, fmt.Errorf("review %s: %w", flagID, err)
	}
	if len(recs) == 1 {
		// a decision opens or closes a flag: the officer's stored risk (the
		// queue's triage order) follows at once, not at the next scan
		if err := s.refreshRisk(ctx, str(recs[0].Values[1])); err != nil {
			return rv, fmt.Errorf("review %s: recorded; the officer's risk is stale until the next scan: %w", flagID, err)
		}
		return rv, nil
	}
	f, err := s.Flag(ctx, flagID)
	if err != nil {
		return rv, err
	}
	if from == probity.FlagInReview && f.Status == from {
		if res, err := s.read(ctx, `MATCH (f:Flag {id: $flag}) RETURN `+returnedBy, map[string]any{"flag": flagID, "reviewer": reviewer}); err != nil {
			return rv, err
		} else if yes, _ := single(res).(bool); yes {
			return rv, probity.Errorf(probity.ECONFLICT, "you returned the referral of flag %s: the next decision on it is another person's (whoever referred it, or a colleague)", flagID)
		}
	}
	switch {
	case f.SupersededBy != "":
		// the newer flag is not named: to a token tied to its officer it may
		// be the case hidden from it, superseding this one since the check
		// (reviewI L2); its supersededBy names it to whoever may read it
		return rv, probity.Errorf(probity.ECONFLICT, "flag %s is superseded (its evidence changed): review the newer flag its supersededBy names", flagID)
	case !f.ClearedAt.IsZero():
		return rv, probity.Errorf(probity.ECONFLICT, "flag %s was cleared by the full scan of %s: its pattern no longer finds it, so there is nothing to review",
			flagID, f.ClearedAt.Format("2006-01-02 15:04 MST"))
	}
	return rv, probity.Errorf(probity.ECONFLICT, "flag %s is %s: it cannot move to %s", flagID, f.Status, decision)
}

// returnedBy is true of flag f when its last review is the return of its
// referral (ReturnReferral) by $reviewer, or by another token of the same
// officer: the reviewer who sent a referral back does not also make the
// next decision, or one person could close a colleague's referral alone
// (return it, then dismiss it; secF).
var returnedBy = `EXISTS { MATCH (back:Review)-[:` + RelReviews + `]->(f)
	WHERE back.from = 'referred_investigation' AND back.to = 'in_review'
	  AND NOT EXISTS { MATCH (later:Review)-[:` + RelReviews + `]->(f) WHERE later.at > back.at }
	  AND (back.reviewer = $reviewer OR ` + sameOfficer("$reviewer", "back.reviewer") + `) }`

// writeFlagLocked runs cypher in a write transaction that first
// write-locks flag id: decisions on one flag (reviews, a referral's
// confirmation) then go one after the other, and each reads the state the
// last one left, so of two concurrent moves from one state one wins and the
// other finds the state changed. (A status checked in the same statement
// as the write was read before the lock: every concurrent move passed.)
func (s *Store) writeFlagLocked(ctx context.Context, id, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	var recs []*neo4j.Record
	err := s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		// the clock first, then the flag: the order every flag change takes
		res, err := tx.Run(ctx, flagClock+`MATCH (f:Flag {id: $id}) SET f.lockedAt = datetime()`, map[string]any{"id": id})
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return err
		}
		if res, err = tx.Run(ctx, cypher, params); err != nil {
			return err
		}
		recs, err = res.Collect(ctx)
		return err
	})
	return recs, err
}

// Reviews returns a flag's reviews, oldest first.
func (s *Store) Reviews(ctx context.Context, flagID string) ([]probity.Review, error) {
	out, err := s.ReviewsOf(ctx, []string{flagID})
	if err != nil {
		return nil, fmt.Errorf("reviews of %s: %w", flagID, err)
	}
	return out[flagID], nil
}

// RiskWeights weigh each pattern's best open score in the officer risk.
var RiskWeights = map[string]float64{
	PatAccessForGain: 1.0, PatTripwire: 0.9, PatCollusionRing: 0.9, PatUndisclosedAssociation: 0.8,
	PatBusinessInterest: 0.8, PatPersonalInterest: 0.7, PatAttendanceMismatch: 0.6, PatCoAccusedCrew: 0.6,
	PatVolumeOutlier: 0.5, PatSimilarToConfirmed: 0.4,
}

// openFlagStatuses are the states whose flags count towards risk.
var openFlagStatuses = []string{string(probity.FlagNew), string(probity.FlagInReview),
	string(probity.FlagReferredInvestigation), string(probity.FlagPreventionNotice)}

// riskFlag is the Cypher condition on a flag f that counts towards its
// officer's risk: open, and raised by the rules as they stand. A flag taken
// up that a scan no longer found kept its officer at the top of the triage
// order while the reports left it out (analystB M5).
const riskFlag = `f.status IN $open AND ` + standingFlag

// riskOf combines best scores per pattern: risk = 1 − Π (1 − w_p · s_p).
func riskOf(best map[string]float64) float64 {
	keep := 1.0
	for p, sc := range best {
		keep *= 1 - RiskWeights[p]*clamp01(sc)
	}
	return round3(1 - keep)
}

// OfficerRisk returns an officer's triage risk from their open flags that
// the rules as they stand raise (riskFlag); ENOTFOUND for an unknown officer.
func (s *Store) OfficerRisk(ctx context.Context, officerID string) (probity.OfficerRisk, error) {
	risks, err := s.OfficerRisks(ctx, []string{officerID}, "")
	if err != nil {
		return probity.OfficerRisk{}, fmt.Errorf("risk of %s: %w", officerID, err)
	}
	r, ok := risks[officerID]
	if !ok {
		return probity.OfficerRisk{}, probity.Errorf(probity.ENOTFOUND, "no officer %s", officerID)
	}
	return r, nil
}

// refreshRisk writes Officer.risk again for officerID (null when nothing
// is open), as storeRisk does for all after a scan.
func (s *Store) refreshRisk(ctx context.Context, officerID string) error {
	risks, err := s.OfficerRisks(ctx, []string{officerID}, "")
	if err != nil {
		return err
	}
	var risk any
	if r := risks[officerID].Risk; r > 0 {
		risk = r
	}
	_, err = s.write(ctx, `MATCH (o:Officer {id: $id}) SET o.risk = $risk`, map[string]any{"id": officerID, "risk": risk})
	return err
}

// storeRisk writes Officer.risk (the OfficerRisk formula) for every officer
// with a flag, and clears it on officers with none left open.
func (s *Store) storeRisk(ctx context.Context) error {
	res, err := s.query(ctx, `MATCH (f:Flag)-[:CONCERNS]->(o:Officer)
		WHERE `+riskFlag+`
		RETURN o.id, f.pattern, max(f.score)`, map[string]any{"open": openFlagStatuses}, false)
	if err != nil {
		return err
	}
	best := map[string]map[string]float64{}
	for _, r := range res.Records {
		o := str(r.Values[0])
		if best[o] == nil {
			best[o] = map[string]float64{}
		}
		best[o][str(r.Values[1])] = num(r.Values[2])
	}
	var rows []any
	for o, b := range best {
		rows = append(rows, map[string]any{"id": o, "risk": riskOf(b)})
	}
	_, err = s.query(ctx, `MATCH (o:Officer) WHERE o.risk IS NOT NULL SET o.risk = null
		WITH count(*) AS cleared
		UNWIND $rows AS r MATCH (o:Officer {id: r.id}) SET o.risk = r.risk`, map[string]any{"rows": rows}, true)
	return err
}

// AddSuppression puts a shared identifier on the suppression list; no
// pattern path passes through it from the next scan on.
func (s *Store) AddSuppression(ctx context.Context, entityID, reason, by string) (probity.Suppression, error) {
	return s.addListItem(ctx, LabelSuppression, "SUP-", entityID, reason, by)
}

// Suppressions lists the suppression list, oldest first.
func (s *Store) Suppressions(ctx context.Context) ([]probity.Suppression, error) {
	items, err := s.listItems(ctx, LabelSuppression)
	out := make([]probity.Suppression, len(items))
	for i, it := range items {
		out[i] = probity.Suppression(it)
	}
	return out, err
}

// RemoveSuppression deletes one suppression by its id or entity id; ENOTFOUND when none matched.
func (s *Store) RemoveSuppression(ctx context.Context, id string) error {
	return s.removeListItem(ctx, LabelSuppression, id)
}

// AddWatch puts a record or subject on the tripwire watch list.
func (s *Store) AddWatch(ctx context.Context, entityID, reason, by string) (probity.WatchItem, error) {
	it, err := s.addListItem(ctx, LabelWatch, "WATCH-", entityID, reason, by)
	return probity.WatchItem(it), err
}

// Watches lists the watch list, oldest first.
func (s *Store) Watches(ctx context.Context) ([]probity.WatchItem, error) {
	items, err := s.listItems(ctx, LabelWatch)
	out := make([]probity.WatchItem, len(items))
	for i, it := range items {
		out[i] = probity.WatchItem(it)
	}
	return out, err
}

// RemoveWatch deletes one watch item by its id or entity id; ENOTFOUND when none matched.
func (s *Store) RemoveWatch(ctx context.Context, id string) error {
	return s.removeListItem(ctx, LabelWatch, id)
}

// minListReason is the shortest reason a hub list or watch list entry
// takes (spaces run together): a reason someone can act on later, as the
// UI asks of review decisions.
const minListReason = 10

// listLabels is the closed set of list labels the helpers below accept.
var listLabels = map[string]bool{LabelSuppression: true, LabelWatch: true}

// visibleRunes counts the characters of s that show (docsH: ten U+FEFF
// and an x had made a reason of eleven characters).
func visibleRunes(s string) int {
	n := 0
	for _, r := range s {
		if !probity.Invisible(r) {
			n++
		}
	}
	return n
}

// listEntityLabels are the kinds of entity a list entry's id is looked up
// under, when it is added and for an entry kept before entries named their
// entities' kinds; not Complaint, which no list entry names (a crowded
// complaint is a hub by rule, not by entry; reviewG L1).
const listEntityLabels = "Officer|Person|Company|Address|Phone|Account|Record|Case"

func (s *Store) addListItem(ctx context.Context, label, prefix, entityID, reason, by string) (probity.Suppression, error) {
	if !listLabels[label] {
		panic("list label " + label)
	}
	entityID, reason = strings.TrimSpace(entityID), strings.Join(strings.Fields(reason), " ")
	// Label:id names one entity; a bare import id every entity that has it
	var only any
	if ref, ok := probity.ParseKey(entityID); ok {
		only, entityID = ref.Label, ref.ID
	}
	if entityID == "" || visibleRunes(reason) < minListReason {
		return probity.Suppression{}, probity.Errorf(probity.EINVALID, "an entity id and a reason of at least %d characters are required", minListReason)
	}
	if err := checkReason(reason); err != nil {
		return probity.Suppression{}, err
	}
	now := time.Now().UTC()
	it := probity.Suppression{ID: newID(prefix, now), EntityID: entityID, Reason: reason, By: by, At: now}
	// A watch item is something a look-up can touch (tripwire.cypher): a
	// record, a case, or what records are about; not a phone or an account.
	// A suppression is a shared identifier (DESIGN: "a station's address,
	// the switchboard, the payroll account"): a person, an officer or a
	// company on the list cut every path through them, and one entry made
	// the flags about a relative's colleague vanish (adminB H1).
	kinds, want := strings.Join(probity.HubListLabels, "|"), "a hub list entry is a shared identifier: an address, a phone or an account"
	if label == LabelWatch {
		kinds, want = "Officer|Person|Company|Address|Record|Case", "a watch item is a record, a case, or a person, officer, company or address records are about"
	}
	// An entity already listed is refused (ECONFLICT): one entry, one reason.
	res, err := s.write(ctx, `OPTIONAL MATCH (e:`+listEntityLabels+` {id: $entity})
		WHERE $only IS NULL OR $only IN labels(e)
		WITH collect(e) AS found
		WITH found, [e IN found WHERE e:`+kinds+` | `+entityKey("e")+`] AS keys
		OPTIONAL MATCH (d:`+label+` {entityId: $entity})
		WHERE d.entityKeys IS NULL OR any(k IN d.entityKeys WHERE k IN keys)
		WITH found, keys, collect(d.id + ' (' + d.reason + ')')[0] AS dup
		CALL (keys, dup) {
		  WITH keys WHERE size(keys) > 0 AND dup IS NULL
		  CREATE (n:`+label+` {id: $id, entityId: $entity, reason: $reason, by: $by, at: $at, entityKeys: keys})
		}
		RETURN [e IN found | [l IN labels(e) WHERE l IN $entity_labels][0]] AS labels, size(keys) > 0 AND dup IS NULL AS added, keys, dup`,
		map[string]any{"id": it.ID, "entity": entityID, "only": only, "reason": reason, "by": by, "at": now, "entity_labels": probity.EntityLabels})
	if err != nil {
		return it, fmt.Errorf("add %s %s: %w", label, entityID, err)
	}
	r := res.Records[0].AsMap()
	switch {
	case r["added"] == true:
		it.EntityKeys = asStrings(r["keys"])
		return it, nil
	case r["dup"] != nil:
		return it, probity.Errorf(probity.ECONFLICT, "%s is already listed: %s; remove that entry to list it again", entityID, str(r["dup"]))
	case len(asList(r["labels"])) == 0 && only != nil:
		return it, probity.Errorf(probity.ENOTFOUND, "no %s %s", only, entityID)
	case len(asList(r["labels"])) == 0:
		return it, probity.Errorf(probity.ENOTFOUND, "no entity %s", entityID)
	}
	return it, probity.Errorf(probity.EINVALID, "%s is a %s: %s", entityID, str(asList(r["labels"])[0]), want)
}

func (s *Store) listItems(ctx context.Context, label string) ([]probity.Suppression, error) {
	if !listLabels[label] {
		panic("list label " + label)
	}
	// An entry kept before entries named their entities' kinds (no
	// entityKeys) names every entity of its id, as hubs-suppressed.cypher
	// reads it: so Applies tells whether it cuts anything (secJ L4).
	res, err := s.read(ctx, `MATCH (n:`+label+`)
		RETURN properties(n), coalesce(n.entityKeys, COLLECT { MATCH (e:`+listEntityLabels+` {id: n.entityId})
		  RETURN `+entityKey("e")+` }) AS keys
		ORDER BY n.at, n.id`, map[string]any{"entity_labels": probity.EntityLabels})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", label, err)
	}
	var out []probity.Suppression
	for _, r := range res.Records {
		m := asMap(r.Values[0])
		it := probity.Suppression{ID: str(m["id"]), EntityID: str(m["entityId"]), EntityKeys: asStrings(r.Values[1]), Reason: str(m["reason"]), By: str(m["by"])}
		it.At, _ = m["at"].(time.Time)
		out = append(out, it)
	}
	return out, nil
}

func (s *Store) removeListItem(ctx context.Context, label, id string) error {
	if !listLabels[label] {
		panic("list label " + label)
	}
	// ListChange keeps when the list last lost an item: an incremental scan
	// then looks again at what the item hid (paths through a hub, flags of
	// look-ups of a watched record).
	// by the entry's id, its entity's import id, or the global id it was
	// added with (Address:A1)
	res, err := s.write(ctx, `OPTIONAL MATCH (n:`+label+`) WHERE n.id = $id OR n.entityId = $id OR $id IN coalesce(n.entityKeys, [])
		WITH collect(n) AS items
		CALL (items) {
		  WITH items WHERE size(items) > 0
		  MERGE (c:ListChange {id: $label}) SET c.removedAt = $now
		}
		FOREACH (n IN items | DETACH DELETE n)
		RETURN size(items)`,
		map[string]any{"id": id, "label": label, "now": time.Now().UTC()})
	if err != nil {
		return fmt.Errorf("remove %s %s: %w", label, id, err)
	}
	if n, _ := single(res).(int64); n == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no %s %s", strings.ToLower(label), id)
	}
	return nil
}

// PatternLibrary describes the pattern library (graph.Patterns, as a method
// for interfaces declared by the API).
func (s *Store) PatternLibrary() []probity.PatternInfo { return Patterns() }

// RiskRanking returns officers by stored risk (Officer.risk, written at the
// end of each scan), highest first, at most limit (≤ 1000).
func (s *Store) RiskRanking(ctx context.Context, limit int) ([]probity.OfficerRisk, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	res, err := s.read(ctx, `MATCH (o:Officer) WHERE o.risk IS NOT NULL
		RETURN o.id, o.risk ORDER BY o.risk DESC, o.id LIMIT $limit`, map[string]any{"limit": int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("risk ranking: %w", err)
	}
	out := make([]probity.OfficerRisk, 0, len(res.Records))
	for _, r := range res.Records {
		out = append(out, probity.OfficerRisk{OfficerID: str(r.Values[0]), Risk: num(r.Values[1])})
	}
	return out, nil
}
