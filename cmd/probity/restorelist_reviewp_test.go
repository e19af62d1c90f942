package main

// reviewP: copy into cmd/probity/ and run
//   go test -count=1 -run TestReviewPRestoreList ./cmd/probity/
// (no Neo4j needed)

import (
	"testing"

	"probity"
)

// Two identical requests of one actor in flight at once (a double click, two
// tabs): both begin events share (actor, digest); the second overwrites the
// first in open, so the first result closes the second begin and the first
// begin stays listed as unfinished, though both results came; the summary
// then counts 0 unfinished while one begin event is listed.
func TestReviewPRestoreList(t *testing.T) {
	l := newRestoreList()
	ev := func(seq int, op string) probity.AuditEvent {
		return probity.AuditEvent{Seq: int64(seq), Actor: "ana", Operation: op, VariablesDigest: "D"}
	}
	l.add(ev(1, "begin noteFlag"))
	l.add(ev(2, "begin noteFlag"))
	l.add(ev(3, "noteFlag"))
	l.add(ev(4, "noteFlag"))
	var begins int
	for _, e := range l.events() {
		if e.Operation == "begin noteFlag" {
			begins++
			t.Logf("listed as begun with no result: seq %d", e.Seq)
		}
	}
	if begins != 0 {
		t.Errorf("%d begin events listed although both results came; unfinished=%d", begins, l.unfinished())
	}
}

// A second begin of the same request whose result never came stays listed
// and counted, after the first's result closed the first.
func TestRestoreListKeepsTheUnfinishedOfTwo(t *testing.T) {
	l := newRestoreList()
	ev := func(seq int, op string) probity.AuditEvent {
		return probity.AuditEvent{Seq: int64(seq), Actor: "ana", Operation: op, VariablesDigest: "D"}
	}
	l.add(ev(1, "begin revokeToken"))
	l.add(ev(2, "begin revokeToken"))
	l.add(ev(3, "revokeToken"))
	evs := l.events()
	if len(evs) != 2 || evs[0].Seq != 2 || evs[1].Seq != 3 || l.unfinished() != 1 {
		t.Errorf("listed %+v, unfinished %d; want the second begin and the result, 1 unfinished", evs, l.unfinished())
	}
}
