package graph

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// This file walks the graph for the API: neighbourhoods, shortest paths and
// timelines. Each BFS level is one query over a frontier of element ids;
// hubs are detected on the way and never expanded (see probity.HubDegree).

// asOfLinkFilter keeps links in force at $asOf: started (from, since, on, at)
// by then and not ended (to) before it.
const asOfLinkFilter = `($asOf IS NULL OR (
	(r.from IS NULL OR r.from <= date($asOf)) AND (r.to IS NULL OR r.to >= date($asOf)) AND
	(r.since IS NULL OR r.since <= date($asOf)) AND (r.on IS NULL OR r.on <= date($asOf)) AND
	(r.at IS NULL OR r.at <= $asOf)))`

// pathHop is one relationship crossed from a known node (from) to a neighbour.
type pathHop struct {
	from string // element id of the expanded node
	to   locatedNode
	edge probity.Edge
}

// expandHops returns the relationships of types rels around the nodes with
// element ids eids (at most limit; more is true when there were more), to
// entity nodes only.
func (s *Store) expandHops(ctx context.Context, eids []string, rels string, asOf *time.Time, limit int) ([]pathHop, bool, error) {
	if len(eids) == 0 {
		return nil, false, nil
	}
	res, err := s.read(ctx, `UNWIND $eids AS eid
		MATCH (n) WHERE elementId(n) = eid
		MATCH (n)-[r:`+rels+`]-(m)
		WHERE any(l IN labels(m) WHERE l IN $entity) AND `+asOfLinkFilter+`
		RETURN eid, n.id, r, m, elementId(m), startNode(r) = n LIMIT $limit`,
		map[string]any{"eids": eids, "entity": probity.EntityLabels, "asOf": eventBound(asOf), "limit": limit + 1})
	if err != nil {
		return nil, false, fmt.Errorf("expand: %w", err)
	}
	var out []pathHop
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
		other := nodeOfDriver(m)
		from, to := nid, other.ID
		if !out1 {
			from, to = other.ID, nid
		}
		out = append(out, pathHop{from: eid, to: locatedNode{eid: meid, node: other}, edge: edgeOfDriver(r, from, to)})
	}
	return out, false, nil
}

// hubDegreeCypher is a Cypher CALL that sets deg, for a node n, to the
// number of its distinct neighbours that make a hub of it when exploring
// over rels, counting no further than limit (a parameter), when
// $checkHubs: for an officer, person or company those over association
// links (DESIGN's hub rule: a subject with many links is what is being
// looked at, not a hub); for any other node those over the links explored,
// so that a complaint naming 49 officers or a case of 300 records is a hub
// as a block of flats is. Each degree is counted over typed links only.
func hubDegreeCypher(rels, limit string) string {
	return `CALL (n) {
			WITH n WHERE $checkHubs AND n:` + LabelParty + `
			MATCH (n)-[:` + associationRelPattern + `]-(x) WITH DISTINCT x LIMIT ` + limit + `
			RETURN count(x) AS partyDeg
		}
		CALL (n) {
			WITH n WHERE $checkHubs AND NOT n:` + LabelParty + `
			MATCH (n)-[:` + rels + `]-(x) WITH DISTINCT x LIMIT ` + limit + `
			RETURN count(x) AS otherDeg
		}
		WITH *, partyDeg + otherDeg AS deg`
}

// hubDegrees counts, for each element id, the neighbours that make a hub
// of it when exploring over rels (hubDegreeCypher), no further than limit.
func (s *Store) hubDegrees(ctx context.Context, eids []string, rels string, limit int) (map[string]int, error) {
	out := map[string]int{}
	if len(eids) == 0 {
		return out, nil
	}
	res, err := s.read(ctx, `UNWIND $eids AS eid
		MATCH (n) WHERE elementId(n) = eid
		`+hubDegreeCypher(rels, "$limit")+`
		RETURN eid, deg`, map[string]any{"eids": eids, "limit": limit, "checkHubs": true})
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

// levelResult is one level of a neighbourhood: the frontier nodes left
// unexpanded as hubs, the hops kept, and whether the edge cap (more) or the
// node cap (nodeCut) dropped any hop.
type levelResult struct {
	hubs          []string
	hops          []pathHop
	more, nodeCut bool
}

// expandLevel is one level of a neighbourhood in one query. When checkHubs,
// the nodes of frontier (element ids) with more than hub distinct
// association neighbours are hubs and not expanded; the others are expanded
// over rels, at most limit hops (more when there were more). Of the hops to
// nodes not in known, only those to the first room such nodes (in the
// order of the hops) are kept, nodeCut when others were dropped. The
// admission is made here, not in Cypher: a query that indexed the list of
// hops row by row (hops[i]) was charged the whole list on every row, and its
// memory grew with the square of the hops (out of transaction memory at
// about 1,400 hops on a 1 GB heap, a depth-3 neighbourhood of limit 500).
func (s *Store) expandLevel(ctx context.Context, frontier []string, checkHubs bool, hub int, rels string, asOf *time.Time, limit int, known map[string]probity.Node, room int) (levelResult, error) {
	var lr levelResult
	res, err := s.read(ctx, `UNWIND $eids AS eid
		MATCH (n) WHERE elementId(n) = eid
		`+hubDegreeCypher(rels, "$hubLimit")+`
		WITH collect(CASE WHEN deg > $hub THEN eid END) AS hubs, collect(CASE WHEN deg <= $hub THEN n END) AS open
		CALL (open) {
			UNWIND open AS n
			MATCH (n)-[r:`+rels+`]-(m)
			WHERE any(l IN labels(m) WHERE l IN $entity) AND `+asOfLinkFilter+`
			WITH n, r, m LIMIT $fetch
			RETURN collect([elementId(n), n.id, r, elementId(m), startNode(r) = n, m]) AS fetched
		}
		RETURN hubs, size(fetched) > $limit, fetched[..$limit]`,
		map[string]any{"eids": frontier, "checkHubs": checkHubs, "hub": hub, "hubLimit": hub + 1,
			"entity": probity.EntityLabels, "asOf": eventBound(asOf), "limit": limit, "fetch": limit + 1})
	if err != nil {
		return lr, fmt.Errorf("expand: %w", err)
	}
	if len(res.Records) != 1 {
		return lr, fmt.Errorf("expand: %d rows", len(res.Records))
	}
	v := res.Records[0].Values
	hl, _ := v[0].([]any)
	for _, h := range hl {
		if e, ok := h.(string); ok {
			lr.hubs = append(lr.hubs, e)
		}
	}
	lr.more, _ = v[1].(bool)
	hs, _ := v[2].([]any)
	admitted := map[string]probity.Node{}
	for _, x := range hs {
		h, _ := x.([]any)
		if len(h) != 6 {
			return lr, fmt.Errorf("expand: malformed hop")
		}
		eid, _ := h[0].(string)
		nid, _ := h[1].(string)
		r, _ := h[2].(dbtype.Relationship)
		meid, _ := h[3].(string)
		out1, _ := h[4].(bool)
		other, ok := known[meid]
		if !ok {
			if other, ok = admitted[meid]; !ok {
				if len(admitted) >= room {
					lr.nodeCut = true
					continue
				}
				m, _ := h[5].(dbtype.Node)
				other = nodeOfDriver(m)
				admitted[meid] = other
			}
		}
		from, to := nid, other.ID
		if !out1 {
			from, to = other.ID, nid
		}
		lr.hops = append(lr.hops, pathHop{from: eid, to: locatedNode{eid: meid, node: other}, edge: edgeOfDriver(r, from, to)})
	}
	return lr, nil
}

func hubThreshold(d int) int {
	if d <= 0 {
		return probity.HubDegree
	}
	return d
}

// lookupSeeds looks up refs and fails with ENOTFOUND naming the first missing.
func (s *Store) lookupSeeds(ctx context.Context, refs []probity.Ref) ([]locatedNode, error) {
	found, err := s.lookupEntities(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]locatedNode, 0, len(refs))
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
	rels, err := exploreRelPattern(q.RelTypes)
	if err != nil {
		return g, err
	}
	seeds, err := s.lookupSeeds(ctx, q.Seeds)
	if err != nil {
		return g, err
	}
	hub := hubThreshold(q.HubDegree)
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
		// Level 0 is the seeds, which are expanded even when they are hubs.
		lr, err := s.expandLevel(ctx, frontier, d > 0, hub, rels, q.AsOf, edgeCap-len(g.Edges), label, q.Limit-len(g.Nodes))
		if err != nil {
			return g, err
		}
		for _, h := range lr.hubs {
			reasons["hub:"+label[h].Ref().Key()] = true
		}
		if lr.more {
			reasons["edge_limit"] = true
		}
		if lr.nodeCut {
			reasons["node_limit"] = true
		}
		var next []string
		for _, h := range lr.hops {
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

// pathSearchSide is one direction of the bidirectional search.
type pathSearchSide struct {
	dist     map[string]int
	parents  map[string][]pathHop // pathHop.from is one step nearer this side's origin
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
	rels, err := exploreRelPattern(q.RelTypes)
	if err != nil {
		return res, err
	}
	ends, err := s.lookupSeeds(ctx, []probity.Ref{q.From, q.To})
	if err != nil {
		return res, err
	}
	from, to := ends[0], ends[1]
	if from.eid == to.eid {
		res.Nodes = []probity.Node{from.node}
		res.Paths = []probity.Path{{NodeIDs: []string{from.node.Ref().Key()}}}
		return res, nil
	}
	ps := &pathSearch{s: s, rels: rels, hub: hubThreshold(q.HubDegree), throughHubs: q.ThroughHubs, from: from, to: to,
		nodes: map[string]probity.Node{from.eid: from.node, to.eid: to.node}, hubs: map[string]bool{}, reasons: map[string]bool{},
		fw: &pathSearchSide{dist: map[string]int{from.eid: 0}, parents: map[string][]pathHop{}, frontier: []string{from.eid}},
		bw: &pathSearchSide{dist: map[string]int{to.eid: 0}, parents: map[string][]pathHop{}, frontier: []string{to.eid}}}
	meets, err := ps.meet(ctx, q.MaxHops)
	if err != nil {
		return res, err
	}
	res.Paths, res.Edges = ps.paths(meets, q.Limit)
	res.Nodes = ps.pathNodes(res.Paths)
	for r := range ps.reasons {
		res.Truncated = append(res.Truncated, r)
	}
	sort.Strings(res.Truncated)
	return res, nil
}

// pathSearch is one bidirectional search of Paths, from its two ends.
type pathSearch struct {
	s           *Store
	rels        string // the relationship pattern (exploreRelPattern)
	hub         int    // the degree above which a node is a hub
	throughHubs bool
	from, to    locatedNode
	fw, bw      *pathSearchSide
	nodes       map[string]probity.Node // every node reached, by element id
	hubs        map[string]bool         // hubs met, by element id: not gone through
	reasons     map[string]bool         // why the result may be partial (Truncated)
}

// meet searches from both ends a level at a time, each time from the side
// with the smaller frontier, until the sides meet or maxHops, an empty
// frontier or the visit cap (pathVisitCap, a reason) stops it. It returns
// the nodes where the shortest paths found meet (none: no path).
func (ps *pathSearch) meet(ctx context.Context, maxHops int) ([]string, error) {
	fw, bw := ps.fw, ps.bw
	var meets []string
	for fw.depth+bw.depth < maxHops && len(meets) == 0 {
		side := fw
		if len(bw.frontier) < len(fw.frontier) || len(fw.frontier) == 0 {
			side = bw
		}
		if len(side.frontier) == 0 {
			break
		}
		if err := ps.expand(ctx, side); err != nil {
			return nil, err
		}
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
		if len(ps.nodes) > pathVisitCap {
			ps.reasons["node_limit"] = true
			break
		}
		if ps.reasons["node_limit"] {
			break
		}
	}
	return meets, nil
}

// expand takes side one level further: the nodes one link beyond its
// frontier that it has not reached, each with its parents on the shortest
// paths to it. Unless the search goes through hubs, a new node other than
// the ends with more than hub links is dropped, remembered and named among
// the reasons.
func (ps *pathSearch) expand(ctx context.Context, side *pathSearchSide) error {
	hops, more, err := ps.s.expandHops(ctx, side.frontier, ps.rels, nil, pathVisitCap)
	if err != nil {
		return err
	}
	if more {
		ps.reasons["node_limit"] = true
	}
	var fresh []string
	for _, h := range hops {
		if ps.hubs[h.to.eid] {
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
		side.parents[h.to.eid] = []pathHop{h}
		ps.nodes[h.to.eid] = h.to.node
		fresh = append(fresh, h.to.eid)
	}
	if !ps.throughHubs {
		degs, err := ps.s.hubDegrees(ctx, fresh, ps.rels, ps.hub+1)
		if err != nil {
			return err
		}
		kept := fresh[:0]
		for _, e := range fresh {
			if e != ps.from.eid && e != ps.to.eid && degs[e] > ps.hub {
				ps.hubs[e] = true
				ps.reasons["hub:"+ps.nodes[e].Ref().Key()] = true
				delete(side.dist, e)
				delete(side.parents, e)
				continue
			}
			kept = append(kept, e)
		}
		fresh = kept
	}
	side.frontier, side.depth = fresh, side.depth+1
	return nil
}

// paths joins, at each meeting node in id order, the chains from the
// origin with those from the other end, up to limit paths in all, and
// returns them with their edges, each once.
func (ps *pathSearch) paths(meets []string, limit int) ([]probity.Path, []probity.Edge) {
	var paths []probity.Path
	var edges []probity.Edge
	sort.Strings(meets)
	seenEdge := map[string]bool{}
	for _, m := range meets {
		for _, pre := range walkParents(ps.fw, m, limit) {
			for _, post := range walkParents(ps.bw, m, limit) {
				if len(paths) >= limit {
					break
				}
				// pre runs origin→m; post runs to→m, so reverse it.
				var p probity.Path
				chain := append([]pathHop{}, pre...)
				for i := len(post) - 1; i >= 0; i-- {
					chain = append(chain, post[i])
				}
				p.NodeIDs = append(p.NodeIDs, ps.from.node.Ref().Key())
				cur := ps.from.eid
				for _, h := range chain {
					next := h.to.eid
					if h.to.eid == cur { // a backward pathHop: we arrive at its from
						next = h.from
					}
					p.EdgeIDs = append(p.EdgeIDs, h.edge.ID)
					p.NodeIDs = append(p.NodeIDs, ps.nodes[next].Ref().Key())
					if !seenEdge[h.edge.ID] {
						seenEdge[h.edge.ID] = true
						edges = append(edges, h.edge)
					}
					cur = next
				}
				paths = append(paths, p)
			}
		}
	}
	return paths, edges
}

// pathNodes returns the nodes on the paths, each once, in the order the
// paths name them.
func (ps *pathSearch) pathNodes(paths []probity.Path) []probity.Node {
	var out []probity.Node
	byKey := map[string]probity.Node{}
	for _, n := range ps.nodes {
		byKey[n.Ref().Key()] = n
	}
	seenNode := map[string]bool{}
	for _, p := range paths {
		for _, k := range p.NodeIDs {
			if !seenNode[k] {
				seenNode[k] = true
				out = append(out, byKey[k])
			}
		}
	}
	return out
}

// walkParents returns up to limit pathHop chains from side's origin to e, in order.
func walkParents(side *pathSearchSide, e string, limit int) [][]pathHop {
	ps := side.parents[e]
	if len(ps) == 0 {
		return [][]pathHop{nil}
	}
	var out [][]pathHop
	for _, h := range ps {
		for _, pre := range walkParents(side, h.from, limit) {
			if len(out) >= limit {
				return out
			}
			out = append(out, append(append([]pathHop{}, pre...), h))
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
	seeds, err := s.lookupSeeds(ctx, q.Seeds)
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
		map[string]any{"eids": eids, "from": eventBound(q.From), "to": eventBound(q.To), "limit": q.Limit*2 + 1})
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
		subject := nodeOfDriver(sn)
		e := edgeOfDriver(r, a, b)
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
		tl.Events = append(tl.Events, probity.TimelineEvent{At: at.UTC(), Kind: kind, Subject: subject, Other: nodeOfDriver(m), Edge: e})
	}
	if len(tl.Events) < q.Limit && len(res.Records) == q.Limit*2+1 {
		tl.Truncated = []string{"event_limit"}
	}
	return tl, nil
}
