package graph

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
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
