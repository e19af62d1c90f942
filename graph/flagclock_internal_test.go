package graph

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// A change is stamped after the flag clock's lock, held until its
// transaction commits: a review made while a scan's flag writes are open
// waits for them and is stamped after them, so a mirror that has read the
// review's stamp cannot later meet the scan's flags with an earlier one
// (syncZ).
func TestFlagClockOrdersChangesByCommit(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if _, err := s.write(ctx, `CREATE (:Officer {id: 'O1'}),
		(:Flag {id: 'FA', pattern: 'p', officerId: 'O1', score: 0.5, status: 'new', firstSeen: datetime()}),
		(:Flag {id: 'FB', pattern: 'p', officerId: 'O1', score: 0.5, status: 'new', firstSeen: datetime()})`, nil); err != nil {
		t.Fatal(err)
	}
	scanning := make(chan struct{})
	scanDone := make(chan error, 1)
	go func() { // a scan's flag write that takes a while to commit
		scanDone <- s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := tx.Run(ctx, flagClock+`MATCH (f:Flag {id: 'FA'}) SET f.score = 0.9, f.changedAt = `+changedNow, nil)
			if err == nil {
				_, err = res.Consume(ctx)
			}
			select {
			case <-scanning:
			default:
				close(scanning)
			}
			time.Sleep(700 * time.Millisecond)
			return err
		})
	}()
	<-scanning
	start := time.Now()
	if _, err := s.ReviewFlag(ctx, "FB", "rev1", probity.FlagInReview, "looking", nil); err != nil {
		t.Fatal(err)
	}
	waited := time.Since(start)
	if err := <-scanDone; err != nil {
		t.Fatal(err)
	}
	fa, err := s.Flag(ctx, "FA")
	if err != nil {
		t.Fatal(err)
	}
	fb, err := s.Flag(ctx, "FB")
	if err != nil {
		t.Fatal(err)
	}
	a, b := fa.ChangedAt, fb.ChangedAt
	if waited < 300*time.Millisecond || !b.After(a) {
		t.Fatalf("the review waited %v and is stamped %v, the scan's write %v: want it to wait for the write and come after it", waited, b, a)
	}
}
