package graph

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// TestForgetBookmarks: a query that timed out (a restored database is
// behind the bookmarks, and would make every query wait for ever) or found
// a bookmark invalid starts the next one without bookmarks; other errors
// keep them (read your writes in a cluster).
func TestForgetBookmarks(t *testing.T) {
	s := &Store{}
	for _, c := range []struct {
		err    error
		forget bool
	}{
		{fmt.Errorf("flags: %w", context.DeadlineExceeded), true},
		{errors.New("ConnectivityError: context deadline exceeded"), true},
		{&neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.BookmarkTimeout"}, true},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.InvalidBookmark"}, true},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}, false},
		{errors.New("connection refused"), false},
	} {
		bm := newBookmarks()
		s.bookmarks.Store(bm)
		s.forgetBookmarks(bm, c.err)
		if forgot := s.bookmarks.Load() != bm; forgot != c.forget {
			t.Errorf("after %v: bookmarks forgotten %v, want %v", c.err, forgot, c.forget)
		}
	}
}

// An edge's id is its loader key, the ends' ids escaped: relationships
// whose ends hold colons keep ids of their own (syncZ), and times are UTC.
func TestEdgeIDs(t *testing.T) {
	rel := func(typ string, props map[string]any) dbtype.Relationship {
		return dbtype.Relationship{ElementId: "5:x:1", Type: typ, Props: props}
	}
	assoc := map[string]any{"type": "associate"}
	a := edgeOfDriver(rel(probity.RelRelatedTo, assoc), "QZ:A", "QZ")
	b := edgeOfDriver(rel(probity.RelRelatedTo, assoc), "QZ", "A:QZ")
	if a.ID == b.ID || a.ID != "RELATED_TO:QZ%3AA:QZ:associate" {
		t.Fatalf("ids %q and %q: want two, the colons escaped", a.ID, b.ID)
	}
	at := time.Date(2024, 3, 1, 11, 0, 0, 0, time.FixedZone("", 3600))
	if e := edgeOfDriver(rel(probity.RelAccessed, map[string]any{"at": at}), "O1", "R1"); e.ID != "ACCESSED:O1:R1:2024-03-01T10:00:00Z" {
		t.Fatalf("access id %q", e.ID)
	}
	if e := edgeOfDriver(rel(probity.RelHolds, nil), "O1", "AC1"); e.ID != "HOLDS:O1:AC1" {
		t.Fatalf("holding id %q", e.ID)
	}
	if e := edgeOfDriver(rel(probity.RelPaid, map[string]any{"id": "PAY1"}), "AC2", "AC1"); e.ID != "PAY1" {
		t.Fatalf("payment id %q", e.ID)
	}
}
