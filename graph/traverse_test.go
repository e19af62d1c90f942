package graph_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"probity"
	"probity/graph/graphtest"
)

// TestNeighbourhoodCaps checks the node and edge caps: the nodes kept are the
// first met, every edge between two kept nodes within reach is returned, and
// no edge names a node left out.
func TestNeighbourhoodCaps(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(A1:Address)<-[:LIVES_AT]-(P1:Person)
		(A1)<-[:LIVES_AT]-(P2:Person)
		(A1)<-[:LIVES_AT]-(P3:Person)
		(A1)<-[:LIVES_AT]-(P4:Person)
		(A1)<-[:LIVES_AT]-(P5:Person)
		(P1)-[:RELATED_TO {type:'family'}]->(P2)-[:RELATED_TO {type:'family'}]->(P3)-[:RELATED_TO {type:'family'}]->(P4)-[:RELATED_TO {type:'family'}]->(P5)-[:RELATED_TO {type:'family'}]->(P1)
		(P1)-[:RELATED_TO {type:'family'}]->(P3)
		(P2)-[:RELATED_TO {type:'family'}]->(P4)`)
	links := map[string]bool{}
	for i := 1; i <= 5; i++ {
		links["Person:P"+string(rune('0'+i))+">Address:A1"] = true
	}
	for _, l := range []string{"1>2", "2>3", "3>4", "4>5", "5>1", "1>3", "2>4"} {
		links["Person:P"+l[:1]+">Person:P"+l[2:]] = true
	}
	seed := []probity.Ref{{Label: probity.LabelAddress, ID: "A1"}}

	g, err := s.Neighbourhood(ctx, probity.NeighbourhoodQuery{Seeds: seed, Depth: 2, Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, n := range g.Nodes {
		in[n.Ref().Key()] = true
	}
	if len(g.Nodes) != 4 || !in["Address:A1"] || strings.Join(g.Truncated, ",") != "node_limit" {
		t.Fatalf("nodes %v truncated %v: want A1 and 3 persons, node_limit", keys(in), g.Truncated)
	}
	got := map[string]bool{}
	for _, e := range g.Edges {
		k := labelOf(e.From) + e.From + ">" + labelOf(e.To) + e.To
		if !in[labelOf(e.From)+e.From] || !in[labelOf(e.To)+e.To] {
			t.Errorf("edge %s names a node left out", k)
		}
		if got[k] {
			t.Errorf("edge %s twice", k)
		}
		got[k] = true
	}
	for l := range links {
		ends := strings.Split(l, ">")
		if in[ends[0]] && in[ends[1]] && !got[l] {
			t.Errorf("edge %s between kept nodes missing; got %v", l, keys(got))
		}
	}
	for k := range got {
		if !links[k] {
			t.Errorf("edge %s not in the graph", k)
		}
	}

	// Limit 1 allows 4 edges: A1's five residents overflow it.
	g, err = s.Neighbourhood(ctx, probity.NeighbourhoodQuery{Seeds: seed, Depth: 2, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 1 || len(g.Edges) != 0 || strings.Join(g.Truncated, ",") != "edge_limit,node_limit" {
		t.Fatalf("limit 1: %d nodes, %d edges, truncated %v", len(g.Nodes), len(g.Edges), g.Truncated)
	}
}

// labelOf gives the "Label:" prefix of a fixture id (A… address, P… person).
func labelOf(id string) string {
	if strings.HasPrefix(id, "A") {
		return probity.LabelAddress + ":"
	}
	return probity.LabelPerson + ":"
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
