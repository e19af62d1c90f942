package graph

// What the audit log hides from a token tied to an officer (readerHiding):
// cases reviewL wrote for the refactor that made it a statement of its own.

import (
	"context"
	"slices"
	"testing"
	"time"

	"probity"
)

func shownToTied(t *testing.T, s *Store, hide, purpose string) bool {
	t.Helper()
	evs, err := s.AuditEvents(context.Background(), probity.AuditFilter{HideOfficer: hide, HideMisses: "tok-" + hide, First: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Purpose == purpose {
			return true
		}
	}
	return false
}

// A colleague's purpose naming the officer exactly as its record spells
// it is hidden from the officer's token when the name holds İ or a final
// Σ too: the words are lower-cased by Cypher, as the purpose is (Go's
// lower case differs: İ -> i, Σ -> σ; reviewL M1).
func TestHiddenNamesLowerCasedAsThePurpose(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if err := s.RunForTest(ctx, `MATCH (n) DETACH DELETE n`); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Alice Smith", "İlkay Demir", "NIKOLAOS PAPAS", "ΝΙΚΟΛΑΟΣ ΠΑΠΑΣ"} {
		id := "O" + string(rune('1'+i))
		if err := s.RunForTestParams(ctx, `CREATE (:Officer {id: $id, name: $name})`, map[string]any{"id": id, "name": name}); err != nil {
			t.Fatal(err)
		}
		purpose := "interview " + name + " next week"
		if _, err := s.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC(), Actor: "colleague", Role: probity.RoleReviewer,
			Operation: "node", EntityIDs: []string{"Person:P9"}, Purpose: purpose}); err != nil {
			t.Fatal(err)
		}
		if shownToTied(t, s, id, purpose) {
			t.Errorf("officer named %q: a colleague's purpose %q is shown to its token", name, purpose)
		}
	}
}

// Two flags about O1 name P1, written at audit heads 2 and 5: events after
// seq 2 naming P1 are hidden (the earliest), the event at seq 2 shown.
func TestHiddenFromTheEarliestFlag(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if err := s.RunForTest(ctx, `MATCH (n) DETACH DELETE n`); err != nil {
		t.Fatal(err)
	}
	if err := s.RunForTest(ctx, `CREATE (o1:Officer {id: 'O1'}), (p1:Person {id: 'P1'}),
		  (f1:Flag {id: 'FLAG-late', pattern: 'pa', officerId: 'O1', status: 'new', evidenceIds: ['O1','P1'], auditSeq: 5, firstSeen: datetime()})-[:CONCERNS]->(o1), (f1)-[:EVIDENCE]->(p1),
		  (f2:Flag {id: 'FLAG-early', pattern: 'pb', officerId: 'O1', status: 'new', evidenceIds: ['O1','P1'], auditSeq: 2, firstSeen: datetime()})-[:CONCERNS]->(o1), (f2)-[:EVIDENCE]->(p1)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		if _, err := s.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC(), Actor: "colleague", Role: probity.RoleReviewer,
			Operation: "node", EntityIDs: []string{"Person:P1"}, Purpose: "look " + string(rune('0'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []bool{true, true, false, false, false, false} {
		if got := shownToTied(t, s, "O1", "look "+string(rune('1'+i))); got != want {
			t.Errorf("event %d naming P1: shown %v, want %v", i+1, got, want)
		}
	}
}

// hiddenFlagIDs, which the audit log reads once a page, is the set of
// flags flagHidden picks one by one, on flags that are about the reader
// in each way flagAbout knows (flagged; named in evidence as an officer;
// named by id with no evidence links left), flags naming an account of
// the reader's id (not about it), and superseded chains of the same and
// of other patterns and officers.
func TestHiddenFlagIDsIsFlagHidden(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if err := s.RunForTest(ctx, `MATCH (n) DETACH DELETE n`); err != nil {
		t.Fatal(err)
	}
	if err := s.RunForTest(ctx, `CREATE (o1:Officer {id: 'O1'}), (o2:Officer {id: 'O2'}), (o3:Officer {id: 'O3'}), (a:Account {id: 'O1'}), (p:Person {id: 'P1'})
		CREATE (:Flag {id: 'F-own', pattern: 'a', officerId: 'O1', evidenceIds: ['O1']})-[:EVIDENCE]->(o1)
		CREATE (:Flag {id: 'F-own-old', pattern: 'a', officerId: 'O1', evidenceIds: ['O1'], supersededBy: 'F-own'})
		CREATE (f:Flag {id: 'F-named', pattern: 'b', officerId: 'O2', evidenceIds: ['O1', 'O2', 'P1']}), (f)-[:EVIDENCE]->(o1), (f)-[:EVIDENCE]->(o2), (f)-[:EVIDENCE]->(p)
		CREATE (g:Flag {id: 'F-named-old', pattern: 'b', officerId: 'O2', evidenceIds: ['O2', 'P1'], supersededBy: 'F-named'}), (g)-[:EVIDENCE]->(o2)
		CREATE (:Flag {id: 'F-other-pattern-old', pattern: 'c', officerId: 'O2', evidenceIds: ['O2'], supersededBy: 'F-x'})-[:EVIDENCE]->(o2)
		CREATE (h:Flag {id: 'F-account', pattern: 'd', officerId: 'O3', evidenceIds: ['O1', 'O3']}), (h)-[:EVIDENCE]->(a), (h)-[:EVIDENCE]->(o3)
		CREATE (:Flag {id: 'F-account-old', pattern: 'd', officerId: 'O3', evidenceIds: ['O3'], supersededBy: 'F-account'})-[:EVIDENCE]->(o3)
		CREATE (:Flag {id: 'F-bare', pattern: 'e', officerId: 'O3', evidenceIds: ['O3', 'O1']})
		CREATE (:Flag {id: 'F-bare-old', pattern: 'e', officerId: 'O3', evidenceIds: ['O3'], supersededBy: 'F-bare'})-[:EVIDENCE]->(o3)
		CREATE (:Flag {id: 'F-no-pattern-old', officerId: 'O1', supersededBy: 'F-own'})`); err != nil {
		t.Fatal(err)
	}
	ids := func(cypher string) []string {
		res, err := s.read(ctx, cypher, map[string]any{"hide": "O1"})
		if err != nil {
			t.Fatal(err)
		}
		got := asStrings(res.Records[0].Values[0])
		slices.Sort(got)
		return got
	}
	oneByOne := ids(`MATCH (f:Flag) WHERE ` + flagHidden("f") + ` RETURN collect(f.id)`)
	once := ids(`RETURN ` + hiddenFlagIDs)
	want := []string{"F-bare", "F-bare-old", "F-named", "F-named-old", "F-no-pattern-old", "F-own", "F-own-old"}
	if !slices.Equal(oneByOne, want) {
		t.Fatalf("flagHidden picks %v, want %v", oneByOne, want)
	}
	if !slices.Equal(once, want) {
		t.Errorf("hiddenFlagIDs is %v, flagHidden picks %v", once, want)
	}
}
