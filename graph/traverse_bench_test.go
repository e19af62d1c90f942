package graph

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"probity"
)

// BenchmarkNeighbourhood times depth-2 neighbourhoods (limit 200) of 200
// random officers and persons with 4 goroutines, the one-query-per-level
// Neighbourhood alternating with the former five-round-trip version
// (neighbourhoodStepwise), and checks that both find the same subgraph when
// no cap cut it. It reads, and never changes, the data already loaded in the
// server at PROBITY_TEST_NEO4J_URI, and is skipped unless PROBITY_BENCH_DATA
// is set (to anything; load a generated set first, for example
// "probity generate --officers 1000 --seed 1" then "probity load").
func BenchmarkNeighbourhood(b *testing.B) {
	if os.Getenv("PROBITY_BENCH_DATA") == "" {
		b.Skip("set PROBITY_BENCH_DATA and load a generated set into PROBITY_TEST_NEO4J_URI")
	}
	ctx := context.Background()
	cfg := Config{URI: os.Getenv("PROBITY_TEST_NEO4J_URI"), Password: os.Getenv("PROBITY_TEST_NEO4J_PASSWORD")}
	if cfg.Password == "" {
		cfg.Password = "probity-local"
	}
	s, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	res, err := s.read(ctx, `MATCH (n:`+probity.LabelOfficer+`) RETURN $o AS label, n.id AS id
		UNION ALL MATCH (n:`+probity.LabelPerson+`) RETURN $p AS label, n.id AS id`,
		map[string]any{"o": probity.LabelOfficer, "p": probity.LabelPerson})
	if err != nil {
		b.Fatal(err)
	}
	var all []probity.Ref
	for _, r := range res.Records {
		l, _ := r.Values[0].(string)
		id, _ := r.Values[1].(string)
		all = append(all, probity.Ref{Label: l, ID: id})
	}
	if len(all) == 0 {
		b.Fatal("no officers or persons loaded")
	}
	rng := rand.New(rand.NewSource(1))
	seeds := make([]probity.Ref, 200)
	for i := range seeds {
		seeds[i] = all[rng.Intn(len(all))]
	}
	query := func(r probity.Ref) probity.NeighbourhoodQuery {
		return probity.NeighbourhoodQuery{Seeds: []probity.Ref{r}, Depth: 2, Limit: 200}
	}
	type impl struct {
		name string
		fn   func(context.Context, probity.NeighbourhoodQuery) (probity.Subgraph, error)
	}
	impls := []impl{{"one-query-per-level", s.Neighbourhood}, {"stepwise", s.neighbourhoodStepwise}}
	mismatch := 0
	for _, r := range seeds[:50] {
		a, err := impls[0].fn(ctx, query(r))
		if err != nil {
			b.Fatal(err)
		}
		o, err := impls[1].fn(ctx, query(r))
		if err != nil {
			b.Fatal(err)
		}
		if !slices.Contains(a.Truncated, "node_limit") && !slices.Contains(a.Truncated, "edge_limit") &&
			!slices.Contains(o.Truncated, "node_limit") && !slices.Contains(o.Truncated, "edge_limit") &&
			subgraphKey(a) != subgraphKey(o) {
			mismatch++
			b.Errorf("%s: subgraphs differ:\n new %s\n old %s", r.Key(), subgraphKey(a), subgraphKey(o))
		}
	}
	lat := map[string][]time.Duration{}
	rounds := max(b.N, 3)
	for round := 0; round < rounds; round++ {
		for k := range impls {
			im := impls[(round+k)%len(impls)] // alternate which goes first
			var mu sync.Mutex
			var wg sync.WaitGroup
			work := make(chan probity.Ref)
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for r := range work {
						t0 := time.Now()
						if _, err := im.fn(ctx, query(r)); err != nil {
							b.Error(err)
						}
						d := time.Since(t0)
						mu.Lock()
						lat[im.name] = append(lat[im.name], d)
						mu.Unlock()
					}
				}()
			}
			for _, r := range seeds {
				work <- r
			}
			close(work)
			wg.Wait()
		}
	}
	for _, im := range impls {
		ds := lat[im.name]
		slices.Sort(ds)
		b.Logf("%-20s n=%d p50=%v p90=%v p99=%v max=%v", im.name, len(ds),
			ds[len(ds)/2].Round(time.Millisecond/10), ds[len(ds)*90/100].Round(time.Millisecond/10),
			ds[len(ds)*99/100].Round(time.Millisecond/10), ds[len(ds)-1].Round(time.Millisecond/10))
	}
}

// subgraphKey is the sorted node keys, edge ids and truncation reasons of g.
func subgraphKey(g probity.Subgraph) string {
	var ns, es []string
	for _, n := range g.Nodes {
		ns = append(ns, n.Ref().Key())
	}
	for _, e := range g.Edges {
		es = append(es, e.ID)
	}
	sort.Strings(ns)
	sort.Strings(es)
	return fmt.Sprint(ns, es, g.Truncated)
}

// neighbourhoodStepwise is Neighbourhood as it was before one query per
// level: a degree query and an expansion query per level. The benchmark
// compares against it.
func (s *Store) neighbourhoodStepwise(ctx context.Context, q probity.NeighbourhoodQuery) (probity.Subgraph, error) {
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
		degs, err := s.hubDegrees(ctx, frontier, rels, hub+1)
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
		hops, more, err := s.expandHops(ctx, open, rels, q.AsOf, edgeCap-len(g.Edges))
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
