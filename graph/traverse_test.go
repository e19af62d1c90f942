package graph_test

import (
	"context"
	"slices"
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

// TestMassComplaintIsAHub: a complaint naming more than 20 officers is a hub
// for exploration, as a block of flats is: a path between two officers does
// not pass through it (it is listed as avoided), and a neighbourhood does
// not expand it. An officer with many links is never a hub for that: a
// subject is what is being looked at.
func TestMassComplaintIsAHub(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `(C1:Complaint)<-[:NAMED_IN {role:'accused'}]-(O1:Officer)
		(C1)<-[:NAMED_IN {role:'accused'}]-(O2:Officer)
		(O1)-[:NAMED_IN {role:'accused'}]->(C2:Complaint)<-[:NAMED_IN {role:'accused'}]-(O3:Officer)-[:NAMED_IN {role:'accused'}]->(C3:Complaint)<-[:NAMED_IN {role:'accused'}]-(O2)`)
	if err := s.RunForTest(ctx, `MATCH (c:Complaint {id: 'C1'}) UNWIND range(1, 25) AS i
		CREATE (:Officer:Party {id: 'X' + i})-[:NAMED_IN {role: 'accused'}]->(c)`); err != nil {
		t.Fatal(err)
	}
	o := func(id string) probity.Ref { return probity.Ref{Label: probity.LabelOfficer, ID: id} }
	res, err := s.Paths(ctx, probity.PathQuery{From: o("O1"), To: o("O2"), MaxHops: 4, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) != 1 || len(res.Paths[0].NodeIDs) != 5 || !slices.Contains(res.Truncated, "hub:Complaint:C1") {
		t.Fatalf("paths %+v truncated %v: want the 4-link way round C1, and C1 as an avoided hub", res.Paths, res.Truncated)
	}
	g, err := s.Neighbourhood(ctx, probity.NeighbourhoodQuery{Seeds: []probity.Ref{o("O1")}, Depth: 2, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, n := range g.Nodes {
		in[n.Ref().Key()] = true
	}
	if in["Officer:X1"] || !in["Complaint:C1"] || !in["Officer:O3"] || !slices.Contains(g.Truncated, "hub:Complaint:C1") {
		t.Fatalf("neighbourhood %v truncated %v: want C1 shown as a hub, not expanded, and O3 through C2", keys(in), g.Truncated)
	}
}
