package graph

import (
	"fmt"
	"strings"

	"probity"
)

// LabelParty is the extra label of officers, persons and companies.
const LabelParty = "Party"

// Cypher of the loader. Every MATCH by id carries an index hint: plans are
// cached, and a plan made while a label held a handful of nodes (a label
// scan) would otherwise be reused for a large load, 100 times slower.
// Every value is a parameter ($rows: one map a row,
// with id, a, b, k and the property map p); the labels, relationship types
// and key property names filled in with fmt come from the plans below, never
// from the files. Verbs: %[1]s the label of end a (entity files: the file's
// label), %[2]s the label of end b, %[3]s the relationship type, %[4]s the
// key property of the relationship, %[5]s the stamp of a link of
// StampedRels (else empty).
const (
	cypherEntity = `UNWIND $rows AS row
MERGE (n:%[1]s {id: row.id}) SET n += row.p`

	// row.d holds the defaults of a new node (a person's poi and
	// highProfile: false), never set over a stored value. A stored person
	// whose poi or highProfile the row changes, or a stored officer whose
	// unit or role it changes, is stamped markedAt: an incremental scan then
	// looks again at every officer for the rules that read them
	// (docs/patterns.md, "Incremental").
	cypherParty = `UNWIND $rows AS row
MERGE (n:%[1]s {id: row.id}) ON CREATE SET n += row.d
  ON MATCH SET n.` + PropMarkedAt + ` = CASE WHEN coalesce(row.p.poi, n.poi, false) <> coalesce(n.poi, false)
    OR coalesce(row.p.highProfile, n.highProfile, false) <> coalesce(n.highProfile, false)
    OR coalesce(row.p.unit, n.unit, '') <> coalesce(n.unit, '') OR coalesce(row.p.role, n.role, '') <> coalesce(n.role, '')
    THEN datetime() ELSE n.` + PropMarkedAt + ` END
SET n += row.p, n:` + LabelParty

	cypherRecord = `UNWIND $rows AS row
MERGE (n:%[1]s {id: row.id}) SET n += row.p
WITH n, row WHERE row.b IS NOT NULL
MATCH (c:%[2]s {id: row.b}) USING INDEX c:%[2]s(id)
MERGE (n)-[r:%[3]s]->(c) %[5]s`

	cypherPair = `UNWIND $rows AS row
MATCH (a:%[1]s {id: row.a}) USING INDEX a:%[1]s(id)
MATCH (b:%[2]s {id: row.b}) USING INDEX b:%[2]s(id)
MERGE (a)-[r:%[3]s]->(b) %[5]s SET r += row.p`

	cypherKeyed = `UNWIND $rows AS row
MATCH (a:%[1]s {id: row.a}) USING INDEX a:%[1]s(id)
MATCH (b:%[2]s {id: row.b}) USING INDEX b:%[2]s(id)
MERGE (a)-[r:%[3]s {%[4]s: row.k}]->(b) %[5]s SET r += row.p`

	// cypherNullKey is cypherKeyed for rows whose key is empty: the link
	// without that property, created once (MERGE cannot match on null).
	cypherNullKey = `UNWIND $rows AS row
MATCH (a:%[1]s {id: row.a}) USING INDEX a:%[1]s(id)
MATCH (b:%[2]s {id: row.b}) USING INDEX b:%[2]s(id)
OPTIONAL MATCH (a)-[old:%[3]s]->(b) WHERE old.%[4]s IS NULL
WITH a, b, row, collect(old) AS olds
FOREACH (r IN olds | %[5]s SET r += row.p)
FOREACH (_ IN CASE WHEN size(olds) = 0 THEN [1] ELSE [] END | CREATE (a)-[r:%[3]s]->(b) SET r = row.p %[5]s)`

	// cypherOwned creates the node a row describes (a shift, a badge swipe,
	// a misconduct case) keyed by row.b and links the officer to it; %[5]s
	// marks a changed shift (markChanged).
	cypherOwned = `UNWIND $rows AS row
MATCH (a:%[1]s {id: row.a}) USING INDEX a:%[1]s(id)
MERGE (b:%[2]s {id: row.b}) %[5]s SET b += row.n
MERGE (a)-[r:%[3]s]->(b) SET r += row.p`

	// cypherAnyNode and cypherAnyRel tell whether a label or relationship
	// type holds anything.
	cypherAnyNode = `MATCH (n:%s) RETURN true LIMIT 1`
	cypherAnyRel  = `MATCH ()-[r:%s]->() RETURN true LIMIT 1`

	// cypherLookup returns the ids of $ids that name a node of the label.
	cypherLookup = `UNWIND $ids AS id
MATCH (n:%[1]s {id: id}) USING INDEX n:%[1]s(id) RETURN n.id AS id`

	// cypherPaidElsewhere returns the payments of $rows already stored
	// between other accounts (the PAID id is unique).
	cypherPaidElsewhere = `UNWIND $rows AS row
MATCH (a)-[r:` + probity.RelPaid + ` {id: row.k}]->(b) USING INDEX r:` + probity.RelPaid + `(id)
WHERE a.id <> row.a OR b.id <> row.b
RETURN r.id AS id, a.id AS from, b.id AS to`

	cypherAnyData    = `MATCH (n) WHERE NOT n:SchemaMigration RETURN true LIMIT 1`
	cypherAnyOfficer = `MATCH (o:` + probity.LabelOfficer + `) RETURN count(o) > 0 LIMIT 1`
)

// plan says how the rows of one import file are written.
type plan struct {
	query    string   // template above
	a, b     string   // the columns naming the ends (entity files: b = optional reference)
	bLabel   string   // the label of b when b is not a reference
	rel      string   // relationship type
	key      string   // the column keying the relationship ("" = the pair)
	keyProp  string   // its property name
	ownCols  []string // cypherOwned: the columns whose texts, joined by "/", are the node's id (nil: b)
	nodeCols []string // cypherOwned: columns stored on the node (row.n); the rest go on the relationship
}

// plans holds the write plan of every import file.
var plans = map[string]plan{
	"officers.csv":   {query: cypherParty},
	"persons.csv":    {query: cypherParty},
	"companies.csv":  {query: cypherParty},
	"accounts.csv":   {query: cypherEntity},
	"addresses.csv":  {query: cypherEntity},
	"phones.csv":     {query: cypherEntity},
	"cases.csv":      {query: cypherEntity},
	"complaints.csv": {query: cypherEntity},
	"records.csv":    {query: cypherRecord, b: "case_id", bLabel: probity.LabelCase, rel: probity.RelPartOf},

	"record_subjects.csv": {query: cypherPair, a: "record_id", b: "subject_id", rel: probity.RelAbout},
	"accesses.csv": {query: cypherKeyed, a: "officer_id", b: "record_id", rel: probity.RelAccessed,
		key: "at", keyProp: "at"},
	"assignments.csv": {query: cypherKeyed, a: "officer_id", b: "case_id", rel: probity.RelAssignedTo,
		key: "from", keyProp: "from"},
	"holders.csv": {query: cypherPair, a: "party_id", b: "account_id", rel: probity.RelHolds},
	"payments.csv": {query: cypherKeyed, a: "from_account", b: "to_account", rel: probity.RelPaid,
		key: "payment_id", keyProp: "id"},
	"residences.csv": {query: cypherKeyed, a: "party_id", b: "address_id", rel: probity.RelLivesAt,
		key: "from", keyProp: "from"},
	"phone_use.csv": {query: cypherKeyed, a: "party_id", b: "phone_id", rel: probity.RelUsesPhone,
		key: "from", keyProp: "from"},
	"directorships.csv": {query: cypherKeyed, a: "party_id", b: "company_id", rel: probity.RelDirectorOf,
		key: "from", keyProp: "from"},
	"relations.csv": {query: cypherKeyed, a: "party_a", b: "party_b", rel: probity.RelRelatedTo,
		key: "type", keyProp: "type"},
	// a declaration is an event: one made again after a withdrawal is another
	"declarations.csv": {query: cypherKeyed, a: "officer_id", b: "declared_id", rel: probity.RelDeclared,
		key: "declared_on", keyProp: "on"},
	"shifts.csv": {query: cypherOwned, a: "officer_id", bLabel: probity.LabelShift, rel: probity.RelWorked,
		// an officer may work two shifts a day (onsite, then remote): the
		// start tells them apart (migration 13 re-keyed stored shifts)
		ownCols:  []string{"officer_id", "date", "start"},
		nodeCols: []string{"date", "start", "end", "declared_location"}},
	"badge_swipes.csv": {query: cypherOwned, a: "officer_id", bLabel: probity.LabelBadgeSwipe, rel: probity.RelSwiped,
		ownCols:  []string{"officer_id", "at"},
		nodeCols: []string{"at", "site"}},
	"misconduct_history.csv": {query: cypherOwned, a: "officer_id", b: "case_id", bLabel: probity.LabelMisconductCase,
		rel: probity.RelSubjectOf},
	// an officer named in one complaint as accused and as witness is named twice
	"complaint_officers.csv": {query: cypherKeyed, a: "officer_id", b: "complaint_id", rel: probity.RelNamedIn,
		key: "role", keyProp: "role"},
}

// createOf maps each MERGE template to its CREATE twin, for a file whose
// label and relationship type held nothing when it started (a fresh
// database, or a kind of data loaded for the first time): CREATE saves
// MERGE's index lookups and locks. The loader uses a twin only for a row
// whose key it has not seen earlier in the file (repeats go through the
// MERGE statement after the CREATEs of their batch), so the graph is the
// one MERGE would give; a file cut half-way leaves data of its kind, so the
// rerun MERGEs. A twin is its template with CREATE for MERGE; a party is
// created with both its labels at once.
var createOf = func() map[string]string {
	m := map[string]string{cypherParty: `UNWIND $rows AS row
CREATE (n:%[1]s:` + LabelParty + ` {id: row.id}) SET n += row.d, n += row.p`}
	for _, q := range []string{cypherEntity, cypherRecord, cypherPair, cypherKeyed, cypherOwned} {
		m[q] = strings.ReplaceAll(q, "MERGE ", "CREATE ")
	}
	return m
}()

// statement fills a plan's template with the labels of a row's ends; create
// picks the CREATE twin (for a row new to a fresh file).
func (p plan) statement(label, aLabel, bLabel string, nullKey, create bool) string {
	q := p.query
	if nullKey {
		q = cypherNullKey
	} else if create {
		q = createOf[q]
	}
	st := ""
	switch {
	case StampedRels[p.rel] && p.query == cypherRecord:
		st = stampNewCypher // the row's properties are the record's, not its link's
	case StampedRels[p.rel]:
		st = stampCypher
	case MarkedEvents[p.rel] && !create && p.query == cypherOwned:
		st = markChanged("b", "row.n") // the shift node's properties
	case MarkedEvents[p.rel] && !create: // a new event is no change
		st = markChanged("r", "row.p")
	}
	switch p.query {
	case cypherEntity, cypherParty, cypherRecord:
		return fmt.Sprintf(q, label, bLabel, p.rel, "", st)
	}
	return fmt.Sprintf(q, aLabel, bLabel, p.rel, p.keyProp, st)
}

// StampedRels are the relationship types a load stamps with PropLoadedAt:
// the links whose arrival an incremental scan must see however they are
// dated (an association link or a declaration dated long ago, a record's
// subject or case, an assignment given its end). docs/patterns.md,
// "Incremental".
var StampedRels = map[string]bool{
	probity.RelLivesAt: true, probity.RelUsesPhone: true, probity.RelRelatedTo: true, probity.RelDirectorOf: true,
	probity.RelHolds: true, probity.RelPaid: true, probity.RelDeclared: true, probity.RelAbout: true,
	probity.RelPartOf: true, probity.RelAssignedTo: true,
}

// PropMarkedAt holds when a load last changed a stored person's poi or
// highProfile, a stored officer's unit or role, or a stored event of
// MarkedEvents (Neo4j's clock).
const PropMarkedAt = "markedAt"

// MarkedEvents are the events a load marks (PropMarkedAt) when a row gives
// a stored one a value it did not hold: an access another channel or
// purpose (or one first left empty), a shift another declared location or
// end. Their counts stay the same, so an incremental
// scan finds their officers by the mark (touched-loaded.cypher) and
// recomputes them whole. (A badge swipe's only other value is its site,
// which no rule reads.)
var MarkedEvents = map[string]bool{probity.RelAccessed: true, probity.RelWorked: true}

// markChanged marks v (a relationship or node MERGEd just before) when
// the row's properties (props) give one of its stored ones another value
// or one it did not have (a channel or purpose filled in later): a new
// event (props set on creation first) and a reload of the same row mark
// nothing, and an empty cell, which leaves the stored value, is no change.
// Only the mark is written (a SET on every row would write each matched
// event).
func markChanged(v, props string) string {
	return `ON CREATE SET ` + v + ` += ` + props + `
FOREACH (_ IN CASE WHEN any(k IN keys(` + props + `) WHERE ` + props + `[k] IS NOT NULL AND (` + v + `[k] IS NULL OR ` + v + `[k] <> ` + props + `[k]))
  THEN [1] ELSE [] END | SET ` + v + `.` + PropMarkedAt + ` = datetime())`
}

// PropLoadedAt holds when a load last created or changed a stamped link
// (Neo4j's clock: datetime()).
const PropLoadedAt = "loadedAt"

// stampCypher stamps link r, before the row's properties (row.p) are set on
// it, when it has no stamp yet (a new link, or one older than the stamp)
// or the row changes one of its properties (a missing property and a null
// count as the same): a reload of the same file stamps nothing.
const stampCypher = `SET r.` + PropLoadedAt + ` = CASE WHEN r.` + PropLoadedAt + ` IS NULL
  OR any(k IN keys(row.p) WHERE coalesce(r[k] <> row.p[k], (r[k] IS NULL) <> (row.p[k] IS NULL)))
  THEN datetime() ELSE r.` + PropLoadedAt + ` END`

// stampNewCypher stamps link r when it has no stamp yet (a link without
// properties of its own).
const stampNewCypher = `SET r.` + PropLoadedAt + ` = coalesce(r.` + PropLoadedAt + `, datetime())`

// propName is the stored name of a column: camelCase, except declared_on,
// stored as DECLARED.on.
func propName(file, col string) string {
	if col == "declared_on" {
		return "on"
	}
	b := []byte{}
	up := false
	for i := 0; i < len(col); i++ {
		c := col[i]
		switch {
		case c == '_':
			up = true
		case up && c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
			up = false
		default:
			b = append(b, c)
			up = false
		}
	}
	return string(b)
}
