package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"probity"
)

// Labels of the API's own records (Reveal, AccuracyReport; SavedChart is LabelChart).
const (
	LabelReveal         = "Reveal"
	LabelAccuracyReport = "AccuracyReport"
)

// flagQueueWhere is the filter of FlagQueue and CountFlagQueue: open
// (not superseded, not cleared; with Cleared, the cleared ones) flags of
// the given patterns and states, of officers of
// the given unit, scoring at least minScore.
var flagQueueWhere = `MATCH (f:Flag)-[:CONCERNS]->(o:Officer)
	WHERE ($changedSince IS NULL AND (CASE WHEN $cleared THEN f.supersededBy IS NULL AND f.clearedAt IS NOT NULL ELSE ` + currentFlag + ` END)
	       OR f.changedAt >= $changedSince)
	  AND (NOT $notFound OR f.notFoundAt IS NOT NULL)
	  AND (size($patterns) = 0 OR f.pattern IN $patterns)
	  AND (size($statuses) = 0 OR f.status IN $statuses)
	  AND ($unit = '' OR o.unit = $unit)
	  AND ($minScore IS NULL OR f.score >= $minScore)
	  AND ($minRisk IS NULL OR ` + storedRisk + ` >= $minRisk)
	  AND ($awaiting IS NULL OR $awaiting = (f.status = 'referred_investigation' AND f.referralConfirmedBy IS NULL))
	  AND ($officers IS NULL OR f.officerId IN $officers)
	  AND ($hide = '' OR NOT ` + flagHidden("f") + `)
	  AND ($text = '' OR toLower(f.officerId) CONTAINS $text OR toLower(coalesce(o.unit, '')) CONTAINS $text
	       OR toLower(f.explanation) CONTAINS $text)`

// flagAbout is the Cypher condition that flag f is about the officer
// $hide: flagged, or named in its evidence as an officer (an account or a
// person of the same id is not it: an officer 7 lost the flags naming
// account 7; secP M1). A flag without evidence links (its entities
// deleted since) is read by its evidence ids alone: the safe side.
// flagHidden adds a superseded flag when any flag of its pattern and
// officer is about $hide: its successor's id would tell of the case
// (secH), and a chain superseded twice (secL H2), or found again and
// superseded again (reviewI H1), runs to it through flags of that pattern
// and officer only. A superseded flag whose chain never reaches that case
// is hidden too: the safe side. A token tied to an officer reads neither,
// wherever flags are listed or read: the queue, a flag, the audit log, the
// delivery log (reviewH L5).
func flagAbout(f string) string {
	return "(" + f + ".officerId = $hide OR $hide IN coalesce(" + f + ".evidenceIds, []) AND (EXISTS { (" + f + ")-[:EVIDENCE]->(:" + probity.LabelOfficer + " {id: $hide}) }" +
		" OR NOT EXISTS { (" + f + ")-[:EVIDENCE]->() }))"
}

func flagHidden(f string) string {
	return "(" + flagAbout(f) + " OR " + f + ".supersededBy IS NOT NULL AND EXISTS { MATCH (other:Flag {pattern: " + f + ".pattern, officerId: " + f + ".officerId})" +
		" WHERE " + flagAbout("other") + " })"
}

// hiddenFlagIDs is a Cypher expression: the ids of every flag hidden
// from $hide, the set flagHidden picks, for a statement that needs them
// all (the audit log's readerHiding). flagHidden on each flag looked for
// each superseded flag through its whole pattern and officer chain, so a
// page cost seconds once daily scans had superseded flags for a year,
// whoever the reader (reviewL M2); here the flags about $hide are read
// once, and only their chains after, through the flag_officer index.
var hiddenFlagIDs = `COLLECT { MATCH (f:Flag) WHERE ` + flagAbout("f") + ` RETURN f.id AS id
	UNION MATCH (f:Flag) WHERE ` + flagAbout("f") + ` WITH DISTINCT f.pattern AS pattern, f.officerId AS officer
	      MATCH (g:Flag {officerId: officer, pattern: pattern}) WHERE g.supersededBy IS NOT NULL RETURN g.id AS id }`

// FlagsShownTo returns which of the flags ids a token tied to officer may
// read: held, and not hidden from it (flagHidden).
func (s *Store) FlagsShownTo(ctx context.Context, ids []string, officer string) (map[string]bool, error) {
	res, err := s.read(ctx, `MATCH (f:Flag) WHERE f.id IN $ids AND NOT `+flagHidden("f")+` RETURN f.id`, map[string]any{"ids": ids, "hide": officer})
	if err != nil {
		return nil, fmt.Errorf("flags: %w", err)
	}
	shown := map[string]bool{}
	for _, r := range res.Records {
		shown[str(r.Values[0])] = true
	}
	return shown, nil
}

// storedRisk is the Cypher expression of officer o's risk as the scan
// stored it, which orders the queue (order RISK) and minRisk filters.
// riskShownTo is the same figure (riskOf) over only the flags not hidden
// from a token tied to officer $hide: the stored one counts the case about
// that officer, so a colleague's flags ranked above their shown risk, or
// kept by minRisk, told of it (reviewJ M3). forReader puts it in a queue
// statement for such a token; others' statements, and plans, are as they
// were.
const storedRisk = `coalesce(o.risk, 0.0)`

var riskShownTo = `round(1 - reduce(keep = 1.0, p IN keys($weights) | keep * (1 - $weights[p] * reduce(best = 0.0, x IN
	  [(o)<-[:CONCERNS]-(g:Flag) WHERE g.pattern = p AND ` + onFlag(riskFlag, "g") + ` AND NOT ` + flagHidden("g") + ` | g.score]
	  | CASE WHEN x > best THEN CASE WHEN x > 1 THEN 1.0 ELSE x END ELSE best END))), 3)`

// onFlag is a condition written on flag f (riskFlag, currentFlag...) on
// flag v instead: where f is another flag's name already.
func onFlag(cond, v string) string { return strings.ReplaceAll(cond, "f.", v+".") }

// riskWeights is RiskWeights as a query parameter.
func riskWeights() map[string]any {
	w := make(map[string]any, len(RiskWeights))
	for p, x := range RiskWeights {
		w[p] = x
	}
	return w
}

func forReader(cypher string, q probity.FlagQuery) string {
	if q.HideOfficer == "" {
		return cypher
	}
	return strings.ReplaceAll(cypher, storedRisk, riskShownTo)
}

func flagQueueParams(q probity.FlagQuery) map[string]any {
	statuses := make([]string, 0, len(q.Statuses))
	for _, s := range q.Statuses {
		statuses = append(statuses, string(s))
	}
	p := map[string]any{"patterns": append([]string{}, q.Patterns...), "statuses": statuses, "unit": q.Unit, "minScore": nil, "minRisk": nil,
		"text": strings.ToLower(strings.TrimSpace(q.Text)), "officers": nil, "hide": q.HideOfficer, "awaiting": nil, "changedSince": nil,
		"cleared": q.Cleared, "notFound": q.NotFound}
	if q.HideOfficer != "" { // riskShownTo's (forReader)
		p["open"], p["weights"] = openFlagStatuses, riskWeights()
	}
	if q.ChangedSince != nil {
		p["changedSince"] = q.ChangedSince.UTC()
	}
	if q.Awaiting != nil {
		p["awaiting"] = *q.Awaiting
	}
	if q.OfficerIDs != nil {
		p["officers"] = append([]string{}, q.OfficerIDs...)
	}
	if q.MinScore != nil {
		p["minScore"] = *q.MinScore
	}
	if q.MinRisk != nil {
		p["minRisk"] = *q.MinRisk
	}
	return p
}

// FlagQueue returns one page of the flag queue: flags matching q that are
// not superseded, highest score first, then by id (with q.ByRisk, the
// officer's risk first, then the officer's id: an officer's flags
// together, the officers in triage order; with q.ByChange, the oldest
// change first, then by id), after q.After; at most q.Limit (1..1000), each with its
// place in that order. The order is total, so cursors are stable while
// flags keep their scores and officers their risks.
func (s *Store) FlagQueue(ctx context.Context, q probity.FlagQuery) ([]probity.Flag, []probity.FlagKey, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		return nil, nil, probity.Errorf(probity.EINVALID, "flag page size %d: want 1..1000", q.Limit)
	}
	p := flagQueueParams(q)
	p["limit"] = int64(q.Limit)
	p["afterRisk"], p["afterOfficer"], p["afterScore"], p["afterId"], p["afterChanged"] = nil, nil, nil, nil, nil
	if q.After != nil {
		p["afterRisk"], p["afterOfficer"], p["afterScore"], p["afterId"] = q.After.Risk, q.After.OfficerID, q.After.Score, q.After.ID
		p["afterChanged"] = q.After.ChangedAt.UTC()
	}
	// two statements, not one with CASE: the order by score keeps the plan
	// the flags benchmark measured (docs/BENCHMARKS.md, issue 5)
	cypher := flagQueueWhere + `
	  AND ($afterId IS NULL OR f.score < $afterScore OR (f.score = $afterScore AND f.id > $afterId))
	RETURN properties(f), 0.0, '' ORDER BY f.score DESC, f.id LIMIT $limit`
	if q.ByRisk {
		cypher = flagQueueWhere + `
	WITH f, ` + storedRisk + ` AS risk, f.officerId AS officer
	WHERE $afterId IS NULL OR risk < $afterRisk OR (risk = $afterRisk AND (officer > $afterOfficer OR (officer = $afterOfficer
	  AND (f.score < $afterScore OR (f.score = $afterScore AND f.id > $afterId)))))
	RETURN properties(f), risk, officer ORDER BY risk DESC, officer, f.score DESC, f.id LIMIT $limit`
	}
	if q.ByChange {
		cypher = flagQueueWhere + `
	  AND ($afterId IS NULL OR f.changedAt > $afterChanged OR (f.changedAt = $afterChanged AND f.id > $afterId))
	RETURN properties(f), 0.0, '' ORDER BY f.changedAt, f.id LIMIT $limit`
	}
	res, err := s.read(ctx, forReader(cypher, q), p)
	if err != nil {
		return nil, nil, fmt.Errorf("flag queue: %w", err)
	}
	out := make([]probity.Flag, 0, len(res.Records))
	keys := make([]probity.FlagKey, 0, len(res.Records))
	for _, r := range res.Records {
		f := flagFromNode(asMap(r.Values[0]))
		out = append(out, f)
		keys = append(keys, probity.FlagKey{Risk: num(r.Values[1]), OfficerID: str(r.Values[2]), Score: f.Score, ID: f.ID, ChangedAt: f.ChangedAt})
	}
	return out, keys, nil
}

// CountFlagQueue counts the flags FlagQueue would list for q (After and
// Limit ignored), in total and per pattern.
func (s *Store) CountFlagQueue(ctx context.Context, q probity.FlagQuery) (probity.FlagCounts, error) {
	res, err := s.read(ctx, forReader(flagQueueWhere+` RETURN f.pattern, count(*)`, q), flagQueueParams(q))
	if err != nil {
		return probity.FlagCounts{}, fmt.Errorf("flag counts: %w", err)
	}
	c := probity.FlagCounts{ByPattern: map[string]int{}}
	for _, r := range res.Records {
		n := int(num(r.Values[1]))
		c.ByPattern[str(r.Values[0])] = n
		c.Total += n
	}
	return c, nil
}

// ReviewsOf returns the reviews of several flags, oldest first per flag.
func (s *Store) ReviewsOf(ctx context.Context, flagIDs []string) (map[string][]probity.Review, error) {
	res, err := s.read(ctx, `MATCH (r:Review)-[:`+RelReviews+`]->(f:Flag) WHERE f.id IN $ids
		RETURN properties(r) ORDER BY r.at, r.id`, map[string]any{"ids": flagIDs})
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	out := map[string][]probity.Review{}
	for _, rec := range res.Records {
		m := asMap(rec.Values[0])
		rv := probity.Review{ID: str(m["id"]), FlagID: str(m["flagId"]), Reviewer: str(m["reviewer"]),
			From: probity.FlagStatus(str(m["from"])), To: probity.FlagStatus(str(m["to"])), Reason: str(m["reason"]),
			Acknowledged: asStrings(m["acknowledged"])}
		rv.At, _ = m["at"].(time.Time)
		if p := str(m["parameters"]); p != "" {
			json.Unmarshal([]byte(p), &rv.Parameters) // written from the flag's, which the scan marshalled
		}
		out[rv.FlagID] = append(out[rv.FlagID], rv)
	}
	return out, nil
}

// NotesOf returns, per flag, its notes, oldest first.
func (s *Store) NotesOf(ctx context.Context, flagIDs []string) (map[string][]probity.FlagNote, error) {
	res, err := s.read(ctx, `MATCH (n:FlagNote)-[:`+RelNotes+`]->(f:Flag) WHERE f.id IN $ids
		RETURN properties(n) ORDER BY n.at, n.id`, map[string]any{"ids": flagIDs})
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	out := map[string][]probity.FlagNote{}
	for _, rec := range res.Records {
		m := asMap(rec.Values[0])
		n := probity.FlagNote{ID: str(m["id"]), FlagID: str(m["flagId"]), Author: str(m["author"]), Text: str(m["text"]),
			Acknowledged: asStrings(m["acknowledged"])}
		n.At, _ = m["at"].(time.Time)
		out[n.FlagID] = append(out[n.FlagID], n)
	}
	return out, nil
}

// NoteFlag adds author's note to a flag in any state (a cleared or closed
// flag's file stays open to notes): text is required and at most
// probity.MaxFlagNote characters (EINVALID); an unknown flag is ENOTFOUND.
// acknowledged are as for ReviewFlag.
func (s *Store) NoteFlag(ctx context.Context, flagID, author, text string, acknowledged []string) (probity.FlagNote, error) {
	author, text = strings.TrimSpace(author), strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case author == "" || n == 0:
		return probity.FlagNote{}, probity.Errorf(probity.EINVALID, "a note needs an author and a text")
	case n > probity.MaxFlagNote:
		return probity.FlagNote{}, probity.Errorf(probity.EINVALID, "a note is at most %d characters (this one has %d)", probity.MaxFlagNote, n)
	}
	if err := checkText("a note", text); err != nil {
		return probity.FlagNote{}, err
	}
	now := time.Now().UTC()
	note := probity.FlagNote{ID: newID("NOTE-", now), FlagID: flagID, Author: author, Text: text, At: now, Acknowledged: acknowledged}
	res, err := s.write(ctx, flagClock+`MATCH (f:Flag {id: $flag})
		SET f.changedAt = `+changedNow+`
		CREATE (:FlagNote {id: $id, flagId: $flag, author: $author, text: $text, at: $at, acknowledged: $acknowledged})-[:`+RelNotes+`]->(f)
		RETURN count(*)`, map[string]any{"flag": flagID, "id": note.ID, "author": author, "text": text, "at": now,
		"acknowledged": listOrNull(acknowledged)})
	if err != nil {
		return note, fmt.Errorf("note on %s: %w", flagID, err)
	}
	if num(single(res)) == 0 {
		return note, probity.Errorf(probity.ENOTFOUND, "no flag %s", flagID)
	}
	return note, nil
}

// DeclarationsOf returns, per flag, its officer's declarations of the
// people and companies in its evidence, oldest first (undated last).
func (s *Store) DeclarationsOf(ctx context.Context, flagIDs []string) (map[string][]probity.Declaration, error) {
	res, err := s.read(ctx, `MATCH (f:Flag)-[:CONCERNS]->(o:Officer) WHERE f.id IN $ids
		MATCH (o)-[d:DECLARED]->(x)<-[:EVIDENCE]-(f)
		RETURN f.id, x.id, CASE WHEN x:Company THEN 'Company' WHEN x:Officer THEN 'Officer' ELSE 'Person' END,
		       d.type, toString(d.on), toString(d.withdrawnOn)
		ORDER BY f.id, d.on, x.id`, map[string]any{"ids": flagIDs})
	if err != nil {
		return nil, fmt.Errorf("declarations: %w", err)
	}
	out := map[string][]probity.Declaration{}
	for _, rec := range res.Records {
		v := rec.Values
		d := probity.Declaration{FlagID: str(v[0]), Declared: probity.Ref{Label: str(v[2]), ID: str(v[1])}, Type: str(v[3])}
		d.On, _ = time.Parse("2006-01-02", str(v[4]))
		d.WithdrawnOn, _ = time.Parse("2006-01-02", str(v[5]))
		out[d.FlagID] = append(out[d.FlagID], d)
	}
	return out, nil
}

// ConfirmReferral records a reviewer's confirmation of a referral: the flag
// must be referred_investigation (ECONFLICT otherwise) and the confirmer
// must not be whoever referred it (ECONFLICT). It is kept as a Review from
// and to referred_investigation whose reason starts "confirmed: ".
// Reviewer and reason are required (EINVALID); unknown flag ENOTFOUND.
func (s *Store) ConfirmReferral(ctx context.Context, flagID, reviewer, reason string, acknowledged []string) (probity.Review, error) {
	return s.secondLook(ctx, flagID, reviewer, reason, acknowledged, false)
}

// ReturnReferral records a reviewer's disagreement with a referral not yet
// confirmed: the flag goes back to in_review, for a decision again, kept
// as a Review from referred_investigation to in_review whose reason starts
// "returned: ". A confirmed referral stands (ECONFLICT), as does one the
// reviewer made (ECONFLICT: a second pair of eyes is another person's).
// This is the one way out of a decided state, and only for a referral
// awaiting its confirmation: reviewFlag's final states stay final.
func (s *Store) ReturnReferral(ctx context.Context, flagID, reviewer, reason string, acknowledged []string) (probity.Review, error) {
	return s.secondLook(ctx, flagID, reviewer, reason, acknowledged, true)
}

// secondLook is a second reviewer's confirmation (ConfirmReferral) or
// return (ReturnReferral) of a referral; acknowledged are as for ReviewFlag.
func (s *Store) secondLook(ctx context.Context, flagID, reviewer, reason string, acknowledged []string, ret bool) (probity.Review, error) {
	verb, prefix, to := "confirm", "confirmed: ", probity.FlagReferredInvestigation
	set, current := `SET f.referralConfirmedBy = $reviewer, f.referralConfirmedAt = $at, f.changedAt = `+changedNow, ""
	if ret {
		// a flag in review leaves the queue only by a decision: one
		// superseded or cleared would stay in review out of sight
		verb, prefix, to = "return", "returned: ", probity.FlagInReview
		set, current = `SET f.status = $to, f.reviewedAt = $at, f.reviewedBy = $reviewer, f.changedAt = `+changedNow, " AND "+currentFlag
	}
	reviewer, reason = strings.TrimSpace(reviewer), strings.TrimSpace(reason)
	if reviewer == "" || reason == "" {
		return probity.Review{}, probity.Errorf(probity.EINVALID, "to %s a referral needs a reviewer and a reason", verb)
	}
	if err := checkReason(reason); err != nil {
		return probity.Review{}, err
	}
	ref := string(probity.FlagReferredInvestigation)
	now := time.Now().UTC()
	rv := probity.Review{ID: newID("REV-", now), FlagID: flagID, Reviewer: reviewer, From: probity.FlagReferredInvestigation,
		To: to, Reason: prefix + reason, At: now, Acknowledged: acknowledged}
	recs, err := s.writeFlagLocked(ctx, flagID, `MATCH (f:Flag {id: $flag})
		OPTIONAL MATCH (r:Review)-[:`+RelReviews+`]->(f) WHERE r.to = $ref AND r.from <> $ref
		WITH f, r ORDER BY r.at DESC LIMIT 1
		WITH f, r.reviewer AS referrer
		CALL (f, referrer) {
		  WITH f, referrer WHERE f.status = $ref AND f.referralConfirmedBy IS NULL AND referrer <> $reviewer`+current+`
		    AND NOT `+sameOfficer("$reviewer", "referrer")+`
		  `+set+`
		  CREATE (:Review {id: $id, flagId: $flag, reviewer: $reviewer, from: $ref, to: $to, reason: $reason, at: $at,
		                   acknowledged: $acknowledged, parameters: f.parameters})-[:`+RelReviews+`]->(f)
		  RETURN true AS done
		}
		RETURN f.officerId`,
		map[string]any{"flag": flagID, "ref": ref, "to": string(to), "reviewer": reviewer, "at": now, "id": rv.ID, "reason": rv.Reason,
			"acknowledged": listOrNull(acknowledged)})
	if err != nil {
		return rv, fmt.Errorf("%s referral %s: %w", verb, flagID, err)
	}
	if len(recs) == 1 {
		if ret { // open again: the officer's triage order follows at once
			if err := s.refreshRisk(ctx, str(recs[0].Values[0])); err != nil {
				return rv, fmt.Errorf("return referral %s: recorded; the officer's risk is stale until the next scan: %w", flagID, err)
			}
		}
		return rv, nil
	}
	// the CALL returned no row: look at why
	f, err := s.Flag(ctx, flagID)
	if err != nil {
		return rv, err
	}
	if f.Status != probity.FlagReferredInvestigation {
		return rv, probity.Errorf(probity.ECONFLICT, "flag %s is %s, not referred_investigation", flagID, f.Status)
	}
	revs, err := s.Reviews(ctx, flagID)
	if err != nil {
		return rv, err
	}
	for _, r := range revs {
		if r.To == probity.FlagReferredInvestigation && r.From == probity.FlagReferredInvestigation {
			return rv, probity.Errorf(probity.ECONFLICT, "the referral of flag %s is already confirmed by %s", flagID, r.Reviewer)
		}
	}
	if officer, token, err := s.sameOfficerTokens(ctx, reviewer, revs); err != nil {
		return rv, err
	} else if officer != "" {
		return rv, probity.Errorf(probity.ECONFLICT, "flag %s was referred with token %s of your own officer record (%s): only another person can %s the referral", flagID, token, officer, verb)
	}
	switch {
	case ret && f.SupersededBy != "":
		return rv, probity.Errorf(probity.ECONFLICT, "flag %s is superseded (its evidence changed): the referral stands; review the newer flag its supersededBy names", flagID)
	case ret && !f.ClearedAt.IsZero():
		return rv, probity.Errorf(probity.ECONFLICT, "flag %s was cleared by a later scan: the referral stands", flagID)
	}
	return rv, probity.Errorf(probity.ECONFLICT, "%s referred flag %s and cannot also %s the referral", reviewer, flagID, verb)
}

// RecordReveal stores a Reveal: rv.Actor saw the real names of rv.FlagID's
// people for rv.Purpose. ID and At are filled in.
func (s *Store) RecordReveal(ctx context.Context, rv probity.Reveal) (probity.Reveal, error) {
	if strings.TrimSpace(rv.Purpose) == "" || rv.Actor == "" || rv.FlagID == "" {
		return rv, probity.Errorf(probity.EINVALID, "a reveal needs a flag, an actor and a purpose")
	}
	rv.At = time.Now().UTC()
	rv.ID = newID("REVEAL-", rv.At)
	res, err := s.write(ctx, `MATCH (f:Flag {id: $flag})
		CREATE (r:`+LabelReveal+` {id: $id, flagId: $flag, actor: $actor, purpose: $purpose, at: $at}) RETURN r.id`,
		map[string]any{"flag": rv.FlagID, "id": rv.ID, "actor": rv.Actor, "purpose": strings.TrimSpace(rv.Purpose), "at": rv.At})
	if err != nil {
		return rv, fmt.Errorf("reveal %s: %w", rv.FlagID, err)
	}
	if len(res.Records) == 0 {
		return rv, probity.Errorf(probity.ENOTFOUND, "no flag %s", rv.FlagID)
	}
	return rv, nil
}

// RevealedFlags returns, of flagIDs, those whose names actor has revealed,
// with the purpose of the latest reveal.
func (s *Store) RevealedFlags(ctx context.Context, actor string, flagIDs []string) (map[string]string, error) {
	res, err := s.read(ctx, `MATCH (r:`+LabelReveal+`) WHERE r.actor = $actor AND r.flagId IN $ids
		WITH r ORDER BY r.at RETURN r.flagId, last(collect(r.purpose))`, map[string]any{"actor": actor, "ids": flagIDs})
	if err != nil {
		return nil, fmt.Errorf("reveals: %w", err)
	}
	out := map[string]string{}
	for _, r := range res.Records {
		out[str(r.Values[0])] = str(r.Values[1])
	}
	return out, nil
}

// maxChartName is the longest name of a saved chart, in characters.
const maxChartName = 200

// SaveChart stores a chart for its owner; name and JSON are required
// (EINVALID), the name a readable line of at most maxChartName
// characters. ID and SavedAt are filled in.
func (s *Store) SaveChart(ctx context.Context, c probity.SavedChart) (probity.SavedChart, error) {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || c.Owner == "" || !json.Valid([]byte(c.JSON)) {
		return c, probity.Errorf(probity.EINVALID, "a chart needs a name, an owner and valid JSON")
	}
	// a name is a line in a list, held to the text rules (fuzzG: 600 KiB, NUL)
	if n := utf8.RuneCountInString(c.Name); n > maxChartName {
		return c, probity.Errorf(probity.EINVALID, "a chart's name is at most %d characters (this one has %d)", maxChartName, n)
	}
	if err := checkText("a chart's name", c.Name); err != nil {
		return c, err
	}
	c.SavedAt = time.Now().UTC()
	c.ID = newID("CHART-", c.SavedAt)
	_, err := s.write(ctx, `CREATE (:`+LabelChart+` {id: $id, name: $name, owner: $owner, json: $json, savedAt: $at})`,
		map[string]any{"id": c.ID, "name": c.Name, "owner": c.Owner, "json": c.JSON, "at": c.SavedAt})
	if err != nil {
		return c, fmt.Errorf("save chart: %w", err)
	}
	return c, nil
}

func chartOf(m map[string]any) probity.SavedChart {
	c := probity.SavedChart{ID: str(m["id"]), Name: str(m["name"]), Owner: str(m["owner"]), JSON: str(m["json"])}
	c.SavedAt, _ = m["savedAt"].(time.Time)
	return c
}

// Charts lists owner's charts, newest first.
func (s *Store) Charts(ctx context.Context, owner string) ([]probity.SavedChart, error) {
	res, err := s.read(ctx, `MATCH (c:`+LabelChart+` {owner: $owner}) RETURN properties(c) ORDER BY c.savedAt DESC, c.id`,
		map[string]any{"owner": owner})
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	var out []probity.SavedChart
	for _, r := range res.Records {
		out = append(out, chartOf(asMap(r.Values[0])))
	}
	return out, nil
}

// Chart returns owner's chart id; ENOTFOUND when there is none (or it is
// someone else's).
func (s *Store) Chart(ctx context.Context, id, owner string) (probity.SavedChart, error) {
	res, err := s.read(ctx, `MATCH (c:`+LabelChart+` {id: $id}) WHERE c.owner = $owner RETURN properties(c)`,
		map[string]any{"id": id, "owner": owner})
	if err != nil {
		return probity.SavedChart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	if len(res.Records) == 0 {
		return probity.SavedChart{}, probity.Errorf(probity.ENOTFOUND, "no chart %s", id)
	}
	return chartOf(asMap(res.Records[0].Values[0])), nil
}

// DeleteChart deletes owner's chart id; ENOTFOUND when there is none.
func (s *Store) DeleteChart(ctx context.Context, id, owner string) error {
	res, err := s.write(ctx, `MATCH (c:`+LabelChart+` {id: $id}) WHERE c.owner = $owner DELETE c RETURN count(*)`,
		map[string]any{"id": id, "owner": owner})
	if err != nil {
		return fmt.Errorf("delete chart %s: %w", id, err)
	}
	if n, _ := single(res).(int64); n == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no chart %s", id)
	}
	return nil
}

// SaveAccuracyReport stores a `probity eval` result; ID and At are filled in.
func (s *Store) SaveAccuracyReport(ctx context.Context, r probity.AccuracyReport) (probity.AccuracyReport, error) {
	r.At = time.Now().UTC()
	r.ID = newID("ACC-", r.At)
	js, err := json.Marshal(r.Patterns)
	if err != nil {
		return r, err
	}
	var measured, mark any // null: not known
	if r.Measured != nil {
		m, err := json.Marshal(r.Measured)
		if err != nil {
			return r, err
		}
		measured = string(m)
	}
	if !r.FlagsMark.IsZero() {
		mark = r.FlagsMark
	}
	_, err = s.write(ctx, `CREATE (:`+LabelAccuracyReport+` {id: $id, at: $at, truthFile: $truth, trapsFile: $traps, json: $json, scanRunId: $scan, warnings: $warnings, unknownOfficers: $unknown, measured: $measured, flagsMark: $mark})`,
		map[string]any{"id": r.ID, "at": r.At, "truth": r.TruthFile, "traps": stringOrNull(r.TrapsFile), "json": string(js), "scan": stringOrNull(r.ScanRunID), "warnings": listOrNull(r.Warnings), "unknown": listOrNull(r.UnknownOfficers), "measured": measured, "mark": mark})
	if err != nil {
		return r, fmt.Errorf("save accuracy report: %w", err)
	}
	return r, nil
}

// LatestAccuracyReport returns the newest stored eval result; ENOTFOUND
// when `probity eval` has never run. When a scan has ended since the one
// it measured, its Changes say how the flags that stand differ from those
// it measured (statA L1); nil for a report stored without them. Only the
// flags changed since eval read them (Flag.changedAt, indexed, from the
// report's FlagsMark) are looked at, so the read costs what changed, not
// every flag; and only when changes is asked (the per-pattern figures of
// the accuracy field do not need them: reviewR L4).
func (s *Store) LatestAccuracyReport(ctx context.Context, changes bool) (probity.AccuracyReport, error) {
	res, err := s.read(ctx, `MATCH (a:`+LabelAccuracyReport+`) WITH a ORDER BY a.at DESC, a.id DESC LIMIT 1
		RETURN a {.id, .at, .truthFile, .trapsFile, .json, .scanRunId, .warnings, .unknownOfficers, .flagsMark, measured: a.measured IS NOT NULL},
		       COLLECT { `+latestEndedScan+` }[0]`, nil)
	if err != nil {
		return probity.AccuracyReport{}, fmt.Errorf("accuracy report: %w", err)
	}
	if len(res.Records) == 0 {
		return probity.AccuracyReport{}, probity.Errorf(probity.ENOTFOUND, "no accuracy report: run probity eval --truth FILE")
	}
	m := asMap(res.Records[0].Values[0])
	r := probity.AccuracyReport{ID: str(m["id"]), TruthFile: str(m["truthFile"]), TrapsFile: str(m["trapsFile"]), ScanRunID: str(m["scanRunId"]), Warnings: asStrings(m["warnings"]), UnknownOfficers: asStrings(m["unknownOfficers"])}
	r.At, _ = m["at"].(time.Time)
	r.FlagsMark, _ = m["flagsMark"].(time.Time)
	r.LatestScanRunID = str(res.Records[0].Values[1])
	if err := json.Unmarshal([]byte(str(m["json"])), &r.Patterns); err != nil {
		return r, fmt.Errorf("accuracy report %s: %w", r.ID, err)
	}
	// flags are raised and cleared by scans only: none ended since, none changed
	if measured, _ := m["measured"].(bool); changes && measured && r.ScanRunID != "" && r.LatestScanRunID != r.ScanRunID {
		c, err := s.changesSince(ctx, r.ID, r.FlagsMark)
		if err != nil {
			return r, err
		}
		r.Changes = &c
	}
	return r, nil
}

// changesSince counts how the flags that stand differ from those the
// report id measured: of the (pattern, officer) pairs with a flag changed
// after mark (a flag raised, found again with another score,
// cleared, superseded, marked not found), those a flag stands for now,
// with their best score, against those measured. The report's pairs are
// read only when some changed.
func (s *Store) changesSince(ctx context.Context, id string, mark time.Time) (probity.AccuracyChanges, error) {
	if mark.IsZero() {
		mark = time.Unix(0, 0).UTC() // no flag when eval ran: every flag is a change
	}
	// the pairs changed since (an index seek: few, mostly none), then
	// whether a flag stands for each now, and what eval measured
	res, err := s.read(ctx, `MATCH (f:Flag) USING INDEX f:Flag(changedAt) WHERE f.changedAt > $mark RETURN DISTINCT [f.pattern, f.officerId]`, map[string]any{"mark": mark})
	if err != nil {
		return probity.AccuracyChanges{}, fmt.Errorf("accuracy report %s: changes: %w", id, err)
	}
	if len(res.Records) == 0 {
		return probity.AccuracyChanges{}, nil
	}
	changed := make([]any, len(res.Records))
	for i, r := range res.Records {
		changed[i] = r.Values[0]
	}
	res, err = s.read(ctx, `UNWIND $changed AS pair
		WITH pair[0] AS pattern, pair[1] AS officer
		OPTIONAL MATCH (f:Flag {officerId: officer}) WHERE f.pattern = pattern AND `+standingFlag+`
		WITH pattern, officer, max(f.score) AS score
		WITH collect([pattern, officer, score]) AS pairs
		MATCH (a:`+LabelAccuracyReport+` {id: $id})
		RETURN pairs, a.measured`, map[string]any{"changed": changed, "id": id})
	if err != nil {
		return probity.AccuracyChanges{}, fmt.Errorf("accuracy report %s: changes: %w", id, err)
	}
	if len(res.Records) == 0 {
		return probity.AccuracyChanges{}, nil
	}
	var measured map[string]map[string]float64
	if js := str(res.Records[0].Values[1]); js != "" {
		if err := json.Unmarshal([]byte(js), &measured); err != nil {
			return probity.AccuracyChanges{}, fmt.Errorf("accuracy report %s: %w", id, err)
		}
	}
	then, now := map[string]map[string]float64{}, map[string]map[string]float64{}
	put := func(m map[string]map[string]float64, p, o string, score float64) {
		if m[p] == nil {
			m[p] = map[string]float64{}
		}
		m[p][o] = score
	}
	pairs, _ := res.Records[0].Values[0].([]any)
	for _, x := range pairs {
		pair, _ := x.([]any)
		if len(pair) != 3 {
			continue
		}
		p, o := str(pair[0]), str(pair[1])
		if was, ok := measured[p][o]; ok {
			put(then, p, o, was)
		}
		if pair[2] != nil {
			put(now, p, o, num(pair[2]))
		}
	}
	return probity.ChangesSince(then, now, RankedPatterns), nil
}

// OfficerRisks is OfficerRisk for several officers in one query; unknown
// officers are left out. With hide (the officer a reader's token is tied
// to), the flags hidden from that reader are not counted: a colleague's
// risk named the pattern and score of a case about the reader (reviewJ M3).
func (s *Store) OfficerRisks(ctx context.Context, officerIDs []string, hide string) (map[string]probity.OfficerRisk, error) {
	// f unlabelled: expanded from each officer (see similar-profile.cypher)
	res, err := s.read(ctx, `MATCH (o:Officer) WHERE o.id IN $ids
		OPTIONAL MATCH (o)<-[:CONCERNS]-(f) WHERE `+riskFlag+` AND ($hide = '' OR NOT `+flagHidden("f")+`)
		RETURN o.id, collect([f.pattern, f.score])`, map[string]any{"ids": officerIDs, "open": openFlagStatuses, "hide": hide})
	if err != nil {
		return nil, fmt.Errorf("officer risks: %w", err)
	}
	out := map[string]probity.OfficerRisk{}
	for _, rec := range res.Records {
		r := probity.OfficerRisk{OfficerID: str(rec.Values[0]), Flags: map[string]float64{}}
		for _, pair := range asList(rec.Values[1]) {
			l := asList(pair)
			if len(l) == 2 && l[0] != nil {
				p := str(l[0])
				r.Flags[p] = max(r.Flags[p], num(l[1]))
			}
		}
		r.Risk = riskOf(r.Flags)
		out[r.OfficerID] = r
	}
	return out, nil
}

// sameOfficerTokens returns the officer, and the token, when the last
// referral among revs was made with a token of the same officer record as
// token reviewer's ("" when not, or when either token names no officer):
// a second pair of eyes is another person, not another token (checked in
// secondLook's statement, under the flag's lock; this says why it wrote
// nothing).
func (s *Store) sameOfficerTokens(ctx context.Context, reviewer string, revs []probity.Review) (officer, token string, err error) {
	for _, r := range revs { // oldest first: the last referral counts
		if r.To == probity.FlagReferredInvestigation && r.From != probity.FlagReferredInvestigation {
			token = r.Reviewer
		}
	}
	if token == "" {
		return "", "", nil
	}
	res, err := s.read(ctx, `MATCH (t:`+LabelToken+` {name: $me}) WHERE `+sameOfficer("$me", "$them")+` RETURN t.officerId`,
		map[string]any{"me": reviewer, "them": token})
	if err != nil {
		return "", "", err
	}
	officer, _ = single(res).(string)
	return officer, token, nil
}
