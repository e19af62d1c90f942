package api

import (
	"sort"
	"strings"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"probity"
)

// subgraph resolves Subgraph (and the graph part of PathResult).
type subgraph struct {
	nodes   []*entity
	edges   []edge
	reasons []string
	hubs    []graphql.ID
}

func (s *Server) newSubgraph(req *request, nodes []probity.Node, edges []probity.Edge, truncated []string) *subgraph {
	g := &subgraph{reasons: append([]string{}, truncated...), nodes: s.newEntities(req, nodes), edges: make([]edge, 0, len(edges))}
	key := make(map[string]fastID, len(nodes))
	for _, n := range g.nodes {
		if _, ok := key[n.n.ID]; !ok {
			key[n.n.ID] = n.ID
		}
	}
	for _, e := range edges {
		g.edges = append(g.edges, edge{ID: fastID(e.ID), Type: e.Type, From: key[e.From], To: key[e.To], e: e})
	}
	for _, r := range truncated {
		if h, ok := strings.CutPrefix(r, "hub:"); ok {
			g.hubs = append(g.hubs, graphql.ID(h))
			req.saw(h) // returned by hubs and reasons: audited like the nodes
		}
	}
	sort.Strings(g.reasons)
	return g
}

func (g *subgraph) Nodes() []*entity   { return g.nodes }
func (g *subgraph) Edges() []edge      { return g.edges }
func (g *subgraph) Truncated() bool    { return len(g.reasons) > 0 }
func (g *subgraph) Reasons() []string  { return g.reasons }
func (g *subgraph) Hubs() []graphql.ID { return g.hubs }
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// edge resolves Edge. Its scalar fields are struct fields, not methods:
// graphql-go reads a field without a reflected call (and its
// allocations), and a chart asks for them by the hundred.
type edge struct {
	ID       fastID
	Type     string
	From, To fastID // global ids of the ends
	e        probity.Edge
}

func (e edge) Properties() []property { return properties(e.e.Properties) }

// pathResult resolves PathResult.
type pathResult struct {
	*subgraph
	paths []probity.Path
}

func (p *pathResult) Paths() []pathR {
	out := make([]pathR, len(p.paths))
	for i, x := range p.paths {
		out[i] = pathR{x}
	}
	return out
}

// pathR resolves Path.
type pathR struct{ p probity.Path }

func (p pathR) NodeIds() []graphql.ID { return ids(p.p.NodeIDs) }
func (p pathR) EdgeIds() []graphql.ID { return ids(p.p.EdgeIDs) }
func (p pathR) Length() int32         { return int32(len(p.p.EdgeIDs)) }

// timeline resolves Timeline.
type timeline struct {
	events    []*timelineEvent
	truncated bool
}

func (t *timeline) Events() []*timelineEvent { return t.events }
func (t *timeline) Truncated() bool          { return t.truncated }

type timelineEvent struct {
	ev      probity.TimelineEvent
	subject *entity
	other   *entity
}

func (t *timelineEvent) At() string       { return t.ev.At.UTC().Format(time.RFC3339Nano) }
func (t *timelineEvent) Kind() string     { return t.ev.Kind }
func (t *timelineEvent) Subject() *entity { return t.subject }
func (t *timelineEvent) Other() *entity   { return t.other }
func (t *timelineEvent) Details() []property {
	p := map[string]any{}
	for k, v := range t.ev.Edge.Properties {
		p[k] = v
	}
	if t.other == nil {
		for k, v := range t.ev.Other.Properties {
			if k != "id" {
				p[k] = v
			}
		}
	}
	return properties(p)
}

// fastID is the ID scalar for the fields a chart returns by the hundred
// (entity and edge ids). It encodes as a plain JSON string: graphql.ID has a
// MarshalJSON, which makes encoding/json re-scan and compact every value:
// about a third of graphql-go's encoding of a neighbourhood's ids.
type fastID string

func (fastID) ImplementsGraphQLType(name string) bool { return name == "ID" }

func (id *fastID) UnmarshalGraphQL(input any) error {
	var g graphql.ID
	if err := g.UnmarshalGraphQL(input); err != nil {
		return err
	}
	*id = fastID(g)
	return nil
}
