package graph

// mutV wrote this for reviewI L3's guard:
// Kills F02 (the supersede step without "prev.lastSeen < $now").
// Every pattern groups its hits per officer today, so two flags of one
// pattern and officer in one scan cannot arise from a scan; this test
// drives upsertFlags directly to keep reviewI L3's guard from being lost
// if a pattern ever returns more than one hit an officer.

import (
	"context"
	"testing"
	"time"

	"probity"
)

func TestScanFlagsDoNotSupersedeEachOther(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if err := s.RunForTest(ctx, `CREATE (:Officer {id: 'O1'}), (:Person {id: 'P1'}), (:Person {id: 'P2'})`); err != nil {
		t.Fatal(err)
	}
	p, err := patternByName(PatUndisclosedAssociation)
	if err != nil {
		t.Fatal(err)
	}
	var a, b hit
	a.officer, a.score, a.explanation = "O1", 0.5, "a"
	a.ev.addNode("O1", probity.LabelOfficer)
	a.ev.addNode("P1", probity.LabelPerson)
	b.officer, b.score, b.explanation = "O1", 0.6, "b"
	b.ev.addNode("O1", probity.LabelOfficer)
	b.ev.addNode("P2", probity.LabelPerson)
	now := time.Now().UTC()
	if created, _, err := s.upsertFlags(ctx, p, []hit{a, b}, now, "SCAN-test", true); err != nil || created != 2 {
		t.Fatalf("upsert: %d created, %v", created, err)
	}
	res, err := s.read(ctx, `MATCH (f:Flag {officerId: 'O1'}) WHERE f.supersededBy IS NOT NULL RETURN f.id, f.supersededBy`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 0 {
		t.Fatalf("flags of one scan superseded each other: %v", res.Records[0].Values)
	}
}
