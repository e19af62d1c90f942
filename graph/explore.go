package graph

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// This file answers the API's reads of entities: by id, full-text search
// and typed link pages (traverse.go walks the graph). Labels and
// relationship types in the Cypher come from the closed lists of the
// probity package, never from request text.

// allowedEntityLabel returns the allowlisted constant for label, or "".
func allowedEntityLabel(label string) string {
	for _, l := range probity.EntityLabels {
		if l == label {
			return l
		}
	}
	return ""
}

// exploreRelPattern joins allowlisted relationship types as "A|B|C"; empty rels
// means every exploration type. Unknown types are EINVALID.
func exploreRelPattern(rels []string) (string, error) {
	if len(rels) == 0 {
		rels = probity.ExploreRels
	}
	var out []string
	for _, r := range rels {
		ok := false
		for _, allowed := range probity.ExploreRels {
			if r == allowed {
				out, ok = append(out, allowed), true
				break
			}
		}
		if !ok {
			return "", probity.Errorf(probity.EINVALID, "relationship type %q cannot be explored", r)
		}
	}
	return strings.Join(out, "|"), nil
}

var associationRelPattern = strings.Join(probity.AssociationRels, "|")

// driverPlain turns driver values into plain Go: dates become "YYYY-MM-DD",
// date-times UTC time.Time, other temporal values their ISO text.
func driverPlain(v any) any {
	switch x := v.(type) {
	case dbtype.Date:
		return time.Time(x).Format("2006-01-02")
	case time.Time:
		return x.UTC()
	case dbtype.LocalDateTime:
		return x.String()
	case dbtype.LocalTime:
		return x.String()
	case dbtype.Time:
		return x.String()
	case dbtype.Duration:
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = driverPlain(e)
		}
		return out
	default:
		return v
	}
}

func driverProps(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		out[k] = driverPlain(v)
	}
	return out
}

// nodeOfDriver converts a driver node; its Label is the first entity label it
// carries (so never the extra Party), else its first label.
func nodeOfDriver(n dbtype.Node) probity.Node {
	label := ""
	for _, l := range probity.EntityLabels {
		for _, have := range n.Labels {
			if have == l && label == "" {
				label = l
			}
		}
	}
	if label == "" && len(n.Labels) > 0 {
		label = n.Labels[0]
	}
	id, _ := n.Props["id"].(string)
	return probity.Node{ID: id, Label: label, Properties: driverProps(n.Props)}
}

// edgeOfDriver converts a relationship whose start and end nodes have the given
// import ids. Its id is the loader's key of it (relKeyProp), the same in
// every database the data is loaded into: PAID keeps its payment id; the
// others are TYPE:from:to, then the key property's value for the types
// that have one (an access's time, a stay's from, a relation's type), as
// driverPlain writes it (times in UTC, RFC 3339). The ends' ids have '%'
// and ':' escaped (%25, %3A), so that ids holding colons cannot make two
// relationships one id (syncZ); the key, last, is kept as it is. Element
// ids, used before 2026-11-27, changed with every reload (apiY).
func edgeOfDriver(r dbtype.Relationship, from, to string) probity.Edge {
	props := driverProps(r.Props)
	id := r.Type + ":" + idPart.Replace(from) + ":" + idPart.Replace(to)
	if kp := relKeyProp[r.Type]; kp != "" {
		if v, ok := props[kp]; ok {
			id += ":" + keyText(v)
		}
	}
	if r.Type == probity.RelPaid {
		if pid, ok := r.Props["id"].(string); ok && pid != "" {
			id = pid
		}
	}
	return probity.Edge{ID: id, Type: r.Type, From: from, To: to, Properties: props}
}

// idPart escapes an end's id in an edge id.
var idPart = strings.NewReplacer("%", "%25", ":", "%3A")

// keyText writes a key property's value (driverPlain's) in an edge id.
func keyText(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// relKeyProp maps a relationship type to the property that tells apart
// relationships of that type between the same ends (the write plans' key),
// "" where the ends are the key.
var relKeyProp = func() map[string]string {
	m := map[string]string{}
	for _, p := range plans {
		if p.rel != "" {
			m[p.rel] = p.keyProp
		}
	}
	return m
}()

// locatedNode is a node with its element id, for traversals.
type locatedNode struct {
	eid  string
	node probity.Node
}

// lookupEntities finds the entities refs name in one query (one UNION branch per
// label, each an index seek). Unknown labels are EINVALID; missing
// entities are simply absent from the result.
func (s *Store) lookupEntities(ctx context.Context, refs []probity.Ref) (map[probity.Ref]locatedNode, error) {
	byLabel := map[string][]string{}
	for _, r := range refs {
		l := allowedEntityLabel(r.Label)
		if l == "" {
			return nil, probity.Errorf(probity.EINVALID, "unknown entity type %q", r.Label)
		}
		byLabel[l] = append(byLabel[l], r.ID)
	}
	out := map[probity.Ref]locatedNode{}
	var branches []string
	params := map[string]any{}
	for _, l := range probity.EntityLabels {
		if ids := byLabel[l]; len(ids) > 0 {
			branches = append(branches, `UNWIND $`+l+` AS id MATCH (n:`+l+` {id: id}) RETURN n, '`+l+`' AS label`)
			params[l] = ids
		}
	}
	if len(branches) == 0 {
		return out, nil
	}
	res, err := s.read(ctx, `CALL () { `+strings.Join(branches, " UNION ALL ")+` } RETURN n, elementId(n), label`, params)
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	for _, rec := range res.Records {
		n, _ := rec.Values[0].(dbtype.Node)
		eid, _ := rec.Values[1].(string)
		node := nodeOfDriver(n)
		node.Label, _ = rec.Values[2].(string)
		out[node.Ref()] = locatedNode{eid: eid, node: node}
	}
	return out, nil
}

// Entities returns the entities that refs name, in no particular order;
// ids that name nothing are left out. Unknown labels are EINVALID.
func (s *Store) Entities(ctx context.Context, refs []probity.Ref) ([]probity.Node, error) {
	found, err := s.lookupEntities(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]probity.Node, 0, len(found))
	for _, r := range refs {
		if l, ok := found[r]; ok {
			out = append(out, l.node)
			delete(found, r)
		}
	}
	return out, nil
}

// searchFields are the properties of entity_search other than name.
var searchFields = []string{"id", "line", "postcode", "title"}

// luceneQuery turns free text into a query of the entity_search index:
// every word (letters and digits) must match as a prefix, in any indexed
// property, or with fields, in one of those. Text that looks like a phone
// number ("07700 900123", "+44-7700-900123") also matches its digits
// written together.
func luceneQuery(text string, fields ...string) string {
	in := func(w string) string {
		if len(fields) == 0 {
			return w + "*"
		}
		alt := make([]string, len(fields))
		for i, f := range fields {
			alt[i] = f + ":" + w + "*"
		}
		return "(" + strings.Join(alt, " ") + ")"
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	digits, phone := "", true
	for _, r := range text {
		switch {
		case unicode.IsDigit(r):
			digits += string(r)
		case strings.ContainsRune(" +-()./", r):
		default:
			phone = false
		}
	}
	for i, w := range words {
		words[i] = "+" + in(w)
	}
	q := strings.Join(words, " ")
	if phone && len(words) > 1 && len(digits) >= 6 {
		q = "(" + q + ") " + in(digits)
	}
	return q
}

// Search returns at most q.First entities matching q.Text: exact id matches
// first, then full-text matches on id, name, address line, postcode and
// title by relevance. An empty text is EINVALID.
func (s *Store) Search(ctx context.Context, q probity.SearchQuery) ([]probity.Node, error) {
	labels := q.Labels
	if len(labels) == 0 {
		labels = probity.EntityLabels
	}
	var refs []probity.Ref
	var allowed []string
	for _, l := range labels {
		c := allowedEntityLabel(l)
		if c == "" {
			return nil, probity.Errorf(probity.EINVALID, "unknown entity type %q", l)
		}
		allowed = append(allowed, c)
		refs = append(refs, probity.Ref{Label: c, ID: strings.TrimSpace(q.Text)})
	}
	lq := luceneQuery(q.Text)
	if lq == "" {
		return nil, probity.Errorf(probity.EINVALID, "search text has no letters or digits")
	}
	exact, err := s.lookupEntities(ctx, refs)
	if err != nil {
		return nil, err
	}
	var out []probity.Node
	seen := map[probity.Ref]bool{}
	for _, r := range refs {
		if l, ok := exact[r]; ok && len(out) < q.First {
			out, seen[r] = append(out, l.node), true
		}
	}
	// Without names, officers and persons are matched on their other
	// fields only, and the other entities (a company's name is no one's)
	// on all of them, in a second query.
	type pass struct {
		q      string
		labels []string
	}
	passes := []pass{{lq, allowed}}
	if q.PeopleUnnamed {
		var people, others []string
		for _, l := range allowed {
			if l == probity.LabelOfficer || l == probity.LabelPerson {
				people = append(people, l)
			} else {
				others = append(others, l)
			}
		}
		passes = []pass{{luceneQuery(q.Text, searchFields...), people}, {lq, others}}
	}
	var recs []*neo4j.Record
	for _, x := range passes {
		if len(x.labels) == 0 {
			continue
		}
		res, err := s.read(ctx, `CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: $scan}) YIELD node, score
			WHERE any(l IN labels(node) WHERE l IN $labels)
			RETURN node ORDER BY score DESC, node.id LIMIT $first`,
			map[string]any{"q": x.q, "labels": x.labels, "first": q.First, "scan": q.First * 20})
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		recs = append(recs, res.Records...)
	}
	for _, rec := range recs {
		n, _ := rec.Values[0].(dbtype.Node)
		node := nodeOfDriver(n)
		if !seen[node.Ref()] && len(out) < q.First {
			out, seen[node.Ref()] = append(out, node), true
		}
	}
	return out, nil
}

// Links returns, for each owner in q.IDs, one page of its links of kind
// q.Kind: newest first for dated kinds, else by the far end's id.
func (s *Store) Links(ctx context.Context, q probity.LinkQuery) (map[string][]probity.Link, error) {
	k, ok := probity.LinkKinds[q.Kind]
	if !ok {
		return nil, probity.Errorf(probity.EINVALID, "unknown link %q", q.Kind)
	}
	label := allowedEntityLabel(q.Label)
	switch {
	case label == "":
		return nil, probity.Errorf(probity.EINVALID, "unknown entity type %q", q.Label)
	case k.Owner == "Party" && label != probity.LabelOfficer && label != probity.LabelPerson && label != probity.LabelCompany,
		k.Owner != "" && k.Owner != "Party" && k.Owner != label:
		return nil, probity.Errorf(probity.EINVALID, "%s has no link %q", label, q.Kind)
	}
	pattern := "(o)-[r:" + k.Rel + "]-(m)"
	switch {
	case k.Out && !k.In:
		pattern = "(o)-[r:" + k.Rel + "]->(m)"
	case k.In && !k.Out:
		pattern = "(o)<-[r:" + k.Rel + "]-(m)"
	}
	where, order := "", "m.id, elementId(r)"
	if k.Time == "at" {
		where = "WHERE ($from IS NULL OR r.at >= $from) AND ($to IS NULL OR r.at < $to)"
		order = "r.at DESC, elementId(r)"
	}
	params := map[string]any{"ids": q.IDs, "skip": q.Skip, "limit": q.Limit, "from": eventBound(q.From), "to": eventBound(q.To)}
	res, err := s.read(ctx, `UNWIND $ids AS oid MATCH (o:`+label+` {id: oid})
		CALL (o) { MATCH `+pattern+` `+where+` RETURN r, m ORDER BY `+order+` SKIP $skip LIMIT $limit }
		RETURN oid, r, m, startNode(r) = o AS out`, params)
	if err != nil {
		return nil, fmt.Errorf("links %s: %w", q.Kind, err)
	}
	out := map[string][]probity.Link{}
	for _, rec := range res.Records {
		oid, _ := rec.Values[0].(string)
		r, _ := rec.Values[1].(dbtype.Relationship)
		m, _ := rec.Values[2].(dbtype.Node)
		isOut, _ := rec.Values[3].(bool)
		other := nodeOfDriver(m)
		from, to := oid, other.ID
		if !isOut {
			from, to = other.ID, oid
		}
		out[oid] = append(out[oid], probity.Link{Owner: oid, Edge: edgeOfDriver(r, from, to), Other: other, Out: isOut})
	}
	return out, nil
}

func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// eventBound is a bound to compare with loaded event times, in the form the
// loader stores them (a zero offset, not the UTC zone): Cypher orders two
// forms of one instant apart, so a bound in the other form would leave out
// (from) or take in (to) an event at that very instant.
func eventBound(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.In(utc)
}
