package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// This file answers the API's reads: entities by id, full-text search,
// typed link pages, neighbourhoods, shortest paths and timelines. Labels and
// relationship types in the Cypher below come from the closed lists of the
// probity package, never from request text.

// entityLabel returns the allowlisted constant for label, or "".
func entityLabel(label string) string {
	for _, l := range probity.EntityLabels {
		if l == label {
			return l
		}
	}
	return ""
}

// relPattern joins allowlisted relationship types as "A|B|C"; empty rels
// means every exploration type. Unknown types are EINVALID.
func relPattern(rels []string) (string, error) {
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

var assocPattern = strings.Join(probity.AssociationRels, "|")

// plainValue turns driver values into plain Go: dates become "YYYY-MM-DD",
// date-times UTC time.Time, other temporal values their ISO text.
func plainValue(v any) any {
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
			out[i] = plainValue(e)
		}
		return out
	default:
		return v
	}
}

func plainProps(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		out[k] = plainValue(v)
	}
	return out
}

// entityNode converts a driver node; its Label is the first entity label it
// carries (so never the extra Party), else its first label.
func entityNode(n dbtype.Node) probity.Node {
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
	return probity.Node{ID: id, Label: label, Properties: plainProps(n.Props)}
}

// edgeOf converts a relationship whose start and end nodes have the given
// import ids. PAID keeps its payment id; others use the element id.
func edgeOf(r dbtype.Relationship, from, to string) probity.Edge {
	id := r.ElementId
	if r.Type == probity.RelPaid {
		if pid, ok := r.Props["id"].(string); ok && pid != "" {
			id = pid
		}
	}
	return probity.Edge{ID: id, Type: r.Type, From: from, To: to, Properties: plainProps(r.Props)}
}

// located is a node with its element id, for traversals.
type located struct {
	eid  string
	node probity.Node
}

// lookup finds the entities refs name in one query (one UNION branch per
// label, each an index seek). Unknown labels are EINVALID; missing
// entities are simply absent from the result.
func (s *Store) lookup(ctx context.Context, refs []probity.Ref) (map[probity.Ref]located, error) {
	byLabel := map[string][]string{}
	for _, r := range refs {
		l := entityLabel(r.Label)
		if l == "" {
			return nil, probity.Errorf(probity.EINVALID, "unknown entity type %q", r.Label)
		}
		byLabel[l] = append(byLabel[l], r.ID)
	}
	out := map[probity.Ref]located{}
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
		node := entityNode(n)
		node.Label, _ = rec.Values[2].(string)
		out[node.Ref()] = located{eid: eid, node: node}
	}
	return out, nil
}

// Entities returns the entities that refs name, in no particular order;
// ids that name nothing are left out. Unknown labels are EINVALID.
func (s *Store) Entities(ctx context.Context, refs []probity.Ref) ([]probity.Node, error) {
	found, err := s.lookup(ctx, refs)
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

// luceneQuery turns free text into a query of the entity_search index:
// every word (letters and digits) must match as a prefix. Text that looks
// like a phone number ("07700 900123", "+44-7700-900123") also matches its
// digits written together.
func luceneQuery(text string) string {
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
		words[i] = "+" + w + "*"
	}
	q := strings.Join(words, " ")
	if phone && len(words) > 1 && len(digits) >= 6 {
		q = "(" + q + ") " + digits + "*"
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
		c := entityLabel(l)
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
	exact, err := s.lookup(ctx, refs)
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
	res, err := s.read(ctx, `CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: $scan}) YIELD node, score
		WHERE any(l IN labels(node) WHERE l IN $labels)
		RETURN node ORDER BY score DESC, node.id LIMIT $first`,
		map[string]any{"q": lq, "labels": allowed, "first": q.First, "scan": q.First * 20})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	for _, rec := range res.Records {
		n, _ := rec.Values[0].(dbtype.Node)
		node := entityNode(n)
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
	label := entityLabel(q.Label)
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
	params := map[string]any{"ids": q.IDs, "skip": q.Skip, "limit": q.Limit, "from": timeParam(q.From), "to": timeParam(q.To)}
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
		other := entityNode(m)
		from, to := oid, other.ID
		if !isOut {
			from, to = other.ID, oid
		}
		out[oid] = append(out[oid], probity.Link{Owner: oid, Edge: edgeOf(r, from, to), Other: other, Out: isOut})
	}
	return out, nil
}

func timeParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// asOfFilter keeps links in force at $asOf: started (from, since, on, at)
// by then and not ended (to) before it.
const asOfFilter = `($asOf IS NULL OR (
	(r.from IS NULL OR r.from <= date($asOf)) AND (r.to IS NULL OR r.to >= date($asOf)) AND
	(r.since IS NULL OR r.since <= date($asOf)) AND (r.on IS NULL OR r.on <= date($asOf)) AND
	(r.at IS NULL OR r.at <= $asOf)))`

// hop is one relationship crossed from a known node (from) to a neighbour.
type hop struct {
	from string // element id of the expanded node
	to   located
	edge probity.Edge
}

// expand returns the relationships of types rels around the nodes with
// element ids eids (at most limit; more is true when there were more), to
// entity nodes only.
func (s *Store) expand(ctx context.Context, eids []string, rels string, asOf *time.Time, limit int) ([]hop, bool, error) {
	if len(eids) == 0 {
		return nil, false, nil
	}
	res, err := s.read(ctx, `UNWIND $eids AS eid
		MATCH (n) WHERE elementId(n) = eid
		MATCH (n)-[r:`+rels+`]-(m)
		WHERE any(l IN labels(m) WHERE l IN $entity) AND `+asOfFilter+`
		RETURN eid, n.id, r, m, elementId(m), startNode(r) = n LIMIT $limit`,
		map[string]any{"eids": eids, "entity": probity.EntityLabels, "asOf": timeParam(asOf), "limit": limit + 1})
	if err != nil {
		return nil, false, fmt.Errorf("expand: %w", err)
	}
	var out []hop
	for i, rec := range res.Records {
		if i == limit {
			return out, true, nil
		}
		eid, _ := rec.Values[0].(string)
		nid, _ := rec.Values[1].(string)
		r, _ := rec.Values[2].(dbtype.Relationship)
		m, _ := rec.Values[3].(dbtype.Node)
		meid, _ := rec.Values[4].(string)
		out1, _ := rec.Values[5].(bool)
		other := entityNode(m)
		from, to := nid, other.ID
		if !out1 {
			from, to = other.ID, nid
		}
		out = append(out, hop{from: eid, to: located{eid: meid, node: other}, edge: edgeOf(r, from, to)})
	}
	return out, false, nil
}

// degrees counts, for each element id, its distinct neighbours over
// association links, counting no further than limit.
func (s *Store) degrees(ctx context.Context, eids []string, limit int) (map[string]int, error) {
	out := map[string]int{}
	if len(eids) == 0 {
		return out, nil
	}
	res, err := s.read(ctx, `UNWIND $eids AS eid
		MATCH (n) WHERE elementId(n) = eid
		CALL (n) { MATCH (n)-[:`+assocPattern+`]-(x) WITH DISTINCT x LIMIT $limit RETURN count(x) AS deg }
		RETURN eid, deg`, map[string]any{"eids": eids, "limit": limit})
	if err != nil {
		return nil, fmt.Errorf("degrees: %w", err)
	}
	for _, rec := range res.Records {
		eid, _ := rec.Values[0].(string)
		d, _ := rec.Values[1].(int64)
		out[eid] = int(d)
	}
	return out, nil
}

func hubDegree(d int) int {
	if d <= 0 {
		return probity.HubDegree
	}
	return d
}

// seeds looks up refs and fails with ENOTFOUND naming the first missing.
func (s *Store) seeds(ctx context.Context, refs []probity.Ref) ([]located, error) {
	found, err := s.lookup(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]located, 0, len(refs))
	for _, r := range refs {
		l, ok := found[r]
		if !ok {
			return nil, probity.Errorf(probity.ENOTFOUND, "no entity %s", r.Key())
		}
		out = append(out, l)
	}
	return out, nil
}

// Neighbourhood returns the entities within q.Depth (0..3, ELIMIT beyond)
// hops of the seeds, at most q.Limit nodes and 4·q.Limit edges. Hubs other
// than the seeds are included but not expanded. Truncated lists
// "hub:Label:id" for each hub left unexpanded, "node_limit" and
// "edge_limit" when a cap cut the result. Missing seeds are ENOTFOUND.
func (s *Store) Neighbourhood(ctx context.Context, q probity.NeighbourhoodQuery) (probity.Subgraph, error) {
	var g probity.Subgraph
	switch {
	case q.Depth < 0:
		return g, probity.Errorf(probity.EINVALID, "depth must be 0 or more")
	case q.Depth > probity.MaxNeighbourhoodDepth:
		return g, probity.Errorf(probity.ELIMIT, "depth %d exceeds the maximum of %d", q.Depth, probity.MaxNeighbourhoodDepth)
	case q.Limit <= 0:
		return g, probity.Errorf(probity.EINVALID, "limit must be positive")
	}
	rels, err := relPattern(q.RelTypes)
	if err != nil {
		return g, err
	}
	seeds, err := s.seeds(ctx, q.Seeds)
	if err != nil {
		return g, err
	}
	hub := hubDegree(q.HubDegree)
	nodes := map[string]bool{}
	isSeed := map[string]bool{}
	edges := map[string]bool{}
	reasons := map[string]bool{}
	var frontier []string
	for _, sd := range seeds {
		if !nodes[sd.eid] {
			nodes[sd.eid], isSeed[sd.eid] = true, true
			g.Nodes = append(g.Nodes, sd.node)
			frontier = append(frontier, sd.eid)
		}
	}
	label := map[string]probity.Node{}
	for _, sd := range seeds {
		label[sd.eid] = sd.node
	}
	edgeCap := 4 * q.Limit
	for d := 0; d < q.Depth && len(frontier) > 0; d++ {
		degs, err := s.degrees(ctx, frontier, hub+1)
		if err != nil {
			return g, err
		}
		var open []string
		for _, f := range frontier {
			if !isSeed[f] && degs[f] > hub {
				reasons["hub:"+label[f].Ref().Key()] = true
				continue
			}
			open = append(open, f)
		}
		hops, more, err := s.expand(ctx, open, rels, q.AsOf, edgeCap-len(g.Edges))
		if err != nil {
			return g, err
		}
		if more {
			reasons["edge_limit"] = true
		}
		var next []string
		for _, h := range hops {
			if !nodes[h.to.eid] {
				if len(g.Nodes) >= q.Limit {
					reasons["node_limit"] = true
					continue
				}
				nodes[h.to.eid] = true
				label[h.to.eid] = h.to.node
				g.Nodes = append(g.Nodes, h.to.node)
				next = append(next, h.to.eid)
			}
			if !edges[h.edge.ID] {
				edges[h.edge.ID] = true
				g.Edges = append(g.Edges, h.edge)
			}
		}
		frontier = next
		if reasons["edge_limit"] {
			break
		}
	}
	for r := range reasons {
		g.Truncated = append(g.Truncated, r)
	}
	sort.Strings(g.Truncated)
	return g, nil
}

// pathSide is one direction of the bidirectional search.
type pathSide struct {
	dist     map[string]int
	parents  map[string][]hop // hop.from is one step nearer this side's origin
	frontier []string
	depth    int
}

// pathVisitCap bounds the nodes one path search may visit.
const pathVisitCap = 20000

// Paths returns up to q.Limit shortest paths of at most q.MaxHops (1..6,
// ELIMIT beyond) links between q.From and q.To. Interior nodes are never
// hubs unless q.ThroughHubs; hubs met on the way are listed in Truncated as
// "hub:Label:id", and "node_limit" says the search stopped at its visit cap.
// No path within the bound gives an empty result, not an error.
func (s *Store) Paths(ctx context.Context, q probity.PathQuery) (probity.PathResult, error) {
	var res probity.PathResult
	switch {
	case q.MaxHops < 1:
		return res, probity.Errorf(probity.EINVALID, "maxHops must be 1 or more")
	case q.MaxHops > probity.MaxPathHops:
		return res, probity.Errorf(probity.ELIMIT, "maxHops %d exceeds the maximum of %d", q.MaxHops, probity.MaxPathHops)
	case q.Limit <= 0:
		return res, probity.Errorf(probity.EINVALID, "first must be positive")
	}
	rels, err := relPattern(q.RelTypes)
	if err != nil {
		return res, err
	}
	ends, err := s.seeds(ctx, []probity.Ref{q.From, q.To})
	if err != nil {
		return res, err
	}
	from, to := ends[0], ends[1]
	nodes := map[string]probity.Node{from.eid: from.node, to.eid: to.node}
	if from.eid == to.eid {
		res.Nodes = []probity.Node{from.node}
		res.Paths = []probity.Path{{NodeIDs: []string{from.node.Ref().Key()}}}
		return res, nil
	}
	hub := hubDegree(q.HubDegree)
	hubs := map[string]bool{}
	reasons := map[string]bool{}
	fw := &pathSide{dist: map[string]int{from.eid: 0}, parents: map[string][]hop{}, frontier: []string{from.eid}}
	bw := &pathSide{dist: map[string]int{to.eid: 0}, parents: map[string][]hop{}, frontier: []string{to.eid}}
	var meets []string
	for fw.depth+bw.depth < q.MaxHops && len(meets) == 0 {
		side := fw
		if len(bw.frontier) < len(fw.frontier) || len(fw.frontier) == 0 {
			side = bw
		}
		if len(side.frontier) == 0 {
			break
		}
		hops, more, err := s.expand(ctx, side.frontier, rels, nil, pathVisitCap)
		if err != nil {
			return res, err
		}
		if more {
			reasons["node_limit"] = true
		}
		var fresh []string
		for _, h := range hops {
			if hubs[h.to.eid] {
				continue
			}
			d := side.dist[h.from] + 1
			if have, ok := side.dist[h.to.eid]; ok {
				if have == d {
					side.parents[h.to.eid] = append(side.parents[h.to.eid], h)
				}
				continue
			}
			side.dist[h.to.eid] = d
			side.parents[h.to.eid] = []hop{h}
			nodes[h.to.eid] = h.to.node
			fresh = append(fresh, h.to.eid)
		}
		if !q.ThroughHubs {
			degs, err := s.degrees(ctx, fresh, hub+1)
			if err != nil {
				return res, err
			}
			kept := fresh[:0]
			for _, e := range fresh {
				if e != from.eid && e != to.eid && degs[e] > hub {
					hubs[e] = true
					reasons["hub:"+nodes[e].Ref().Key()] = true
					delete(side.dist, e)
					delete(side.parents, e)
					continue
				}
				kept = append(kept, e)
			}
			fresh = kept
		}
		side.frontier, side.depth = fresh, side.depth+1
		best := -1
		for e, df := range fw.dist {
			if db, ok := bw.dist[e]; ok {
				switch {
				case best < 0 || df+db < best:
					best, meets = df+db, []string{e}
				case df+db == best:
					meets = append(meets, e)
				}
			}
		}
		if len(nodes) > pathVisitCap {
			reasons["node_limit"] = true
			break
		}
		if reasons["node_limit"] {
			break
		}
	}
	sort.Strings(meets)
	seenNode, seenEdge := map[string]bool{}, map[string]bool{}
	for _, m := range meets {
		for _, pre := range walk(fw, m, q.Limit) {
			for _, post := range walk(bw, m, q.Limit) {
				if len(res.Paths) >= q.Limit {
					break
				}
				// pre runs origin→m; post runs to→m, so reverse it.
				var p probity.Path
				chain := append([]hop{}, pre...)
				for i := len(post) - 1; i >= 0; i-- {
					chain = append(chain, post[i])
				}
				p.NodeIDs = append(p.NodeIDs, from.node.Ref().Key())
				cur := from.eid
				for _, h := range chain {
					next := h.to.eid
					if h.to.eid == cur { // a backward hop: we arrive at its from
						next = h.from
					}
					p.EdgeIDs = append(p.EdgeIDs, h.edge.ID)
					p.NodeIDs = append(p.NodeIDs, nodes[next].Ref().Key())
					if !seenEdge[h.edge.ID] {
						seenEdge[h.edge.ID] = true
						res.Edges = append(res.Edges, h.edge)
					}
					cur = next
				}
				res.Paths = append(res.Paths, p)
			}
		}
	}
	byKey := map[string]probity.Node{}
	for _, n := range nodes {
		byKey[n.Ref().Key()] = n
	}
	for _, p := range res.Paths {
		for _, k := range p.NodeIDs {
			if !seenNode[k] {
				seenNode[k] = true
				res.Nodes = append(res.Nodes, byKey[k])
			}
		}
	}
	for r := range reasons {
		res.Truncated = append(res.Truncated, r)
	}
	sort.Strings(res.Truncated)
	return res, nil
}

// walk returns up to limit hop chains from side's origin to e, in order.
func walk(side *pathSide, e string, limit int) [][]hop {
	ps := side.parents[e]
	if len(ps) == 0 {
		return [][]hop{nil}
	}
	var out [][]hop
	for _, h := range ps {
		for _, pre := range walk(side, h.from, limit) {
			if len(out) >= limit {
				return out
			}
			out = append(out, append(append([]hop{}, pre...), h))
		}
	}
	return out
}

// Timeline returns the dated events of the seeds, oldest first: accesses
// (by an officer or to a record), look-ups (accesses by officers to records
// about the seed; "via" names the record), payments (of an account or of
// the accounts a party holds; "via" names the party's account), shifts and
// badge swipes of an officer, and complaints naming an officer (or the
// officers a complaint names), between
// q.From and q.To, at most q.Limit ("event_limit" in Truncated when more).
func (s *Store) Timeline(ctx context.Context, q probity.TimelineQuery) (probity.Timeline, error) {
	var tl probity.Timeline
	if q.Limit <= 0 {
		return tl, probity.Errorf(probity.EINVALID, "first must be positive")
	}
	seeds, err := s.seeds(ctx, q.Seeds)
	if err != nil {
		return tl, err
	}
	var eids []string
	for _, sd := range seeds {
		eids = append(eids, sd.eid)
	}
	res, err := s.read(ctx, `UNWIND $eids AS eid
		MATCH (s) WHERE elementId(s) = eid
		CALL (s) {
			MATCH (s)-[r:ACCESSED]-(m) RETURN 'access' AS kind, r.at AS at, r, m, null AS via
			UNION ALL
			MATCH (s)<-[:ABOUT]-(rec:Record)<-[r:ACCESSED]-(m:Officer) RETURN 'lookup' AS kind, r.at AS at, r, m, rec.id AS via
			UNION ALL
			MATCH (s:Account)-[r:PAID]-(m:Account) RETURN 'payment' AS kind, r.at AS at, r, m, null AS via
			UNION ALL
			MATCH (s:Party)-[:HOLDS]->(a:Account)-[r:PAID]-(m:Account) RETURN 'payment' AS kind, r.at AS at, r, m, a.id AS via
			UNION ALL
			MATCH (s:Officer)-[r:WORKED]->(m:Shift) RETURN 'shift' AS kind, coalesce(m.start, datetime({date: m.date})) AS at, r, m, null AS via
			UNION ALL
			MATCH (s:Officer)-[r:SWIPED]->(m:BadgeSwipe) RETURN 'swipe' AS kind, m.at AS at, r, m, null AS via
			UNION ALL
			MATCH (s)-[r:NAMED_IN]-(m) RETURN 'complaint' AS kind,
				CASE WHEN s:Complaint THEN datetime({date: s.received}) ELSE datetime({date: m.received}) END AS at, r, m, null AS via
		}
		WITH s, kind, at, r, m, via WHERE at IS NOT NULL AND ($from IS NULL OR at >= $from) AND ($to IS NULL OR at < $to)
		RETURN s, kind, at, r, m, startNode(r).id, endNode(r).id, via
		ORDER BY at, elementId(r) LIMIT $limit`,
		map[string]any{"eids": eids, "from": timeParam(q.From), "to": timeParam(q.To), "limit": q.Limit*2 + 1})
	if err != nil {
		return tl, fmt.Errorf("timeline: %w", err)
	}
	seen := map[string]bool{}
	for _, rec := range res.Records {
		sn, _ := rec.Values[0].(dbtype.Node)
		kind, _ := rec.Values[1].(string)
		at, _ := rec.Values[2].(time.Time)
		r, _ := rec.Values[3].(dbtype.Relationship)
		m, _ := rec.Values[4].(dbtype.Node)
		a, _ := rec.Values[5].(string)
		b, _ := rec.Values[6].(string)
		subject := entityNode(sn)
		e := edgeOf(r, a, b)
		if via, ok := rec.Values[7].(string); ok {
			e.Properties["via"] = via // the record looked up, or the subject's own account
		}
		if seen[subject.Ref().Key()+"|"+e.ID] {
			continue
		}
		seen[subject.Ref().Key()+"|"+e.ID] = true
		if len(tl.Events) == q.Limit {
			tl.Truncated = []string{"event_limit"}
			break
		}
		tl.Events = append(tl.Events, probity.TimelineEvent{At: at.UTC(), Kind: kind, Subject: subject, Other: entityNode(m), Edge: e})
	}
	if len(tl.Events) < q.Limit && len(res.Records) == q.Limit*2+1 {
		tl.Truncated = []string{"event_limit"}
	}
	return tl, nil
}
