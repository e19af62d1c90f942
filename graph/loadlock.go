package graph

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// LabelLoadLock marks the one node, a lease (lease.go) with id 'load', that
// says a load is writing. A load CREATEs into kinds of data it
// finds empty (see loader), so two loads at once could both write the same
// rows; the lock makes the second wait its turn by refusing it.
const LabelLoadLock = "LoadLock"

// loadLockTTL is how long the lock lasts without renewal: a load renews it
// every loadLockTTL/3, so a loader that died blocks others for at most this.
const loadLockTTL = 2 * time.Minute

// lockLoad takes the load lock or fails with ECONFLICT naming the holder.
// A lock left by a load of this host whose process is gone, or by this
// store (a load cut off from Neo4j cannot free it), is taken over at once;
// any other lock is refused until it expires. The load runs in the
// returned ctx, which ends, with the reason as its cause, if the lock is
// lost (a load stalled past the lock's expiry while another took it over):
// two loads must never write at once. release renews nothing more and
// frees the lock.
func (s *Store) lockLoad(ctx context.Context) (loadCtx context.Context, release func(), err error) {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	host, _ := os.Hostname()
	ttl := cmp.Or(s.loadLockTTL, loadLockTTL)
	l, ok, err := s.acquireLease(ctx, LabelLoadLock, "load", hex.EncodeToString(nonce), ttl,
		func(_ neo4j.ManagedTransaction, cur probity.Lease, free bool) (bool, error) {
			return free || cur.Holder == s.unfreedLoadLock.Load() ||
				cur.Host == host && cur.PID > 0 && !processAlive(cur.PID), nil
		})
	if err != nil {
		return nil, nil, codeDriverError("take the load lock", err)
	}
	if !ok {
		return nil, nil, probity.Errorf(probity.ECONFLICT,
			"another load is writing to this database (host %v, pid %v, since %v); wait for it to finish (if it died, its lock expires at %v)",
			l.Host, l.PID, neo4jTime(l.Since), neo4jTime(l.ExpiresAt))
	}
	loadCtx, lost := context.WithCancelCause(ctx)
	renewCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A failed renewal is retried at the next tick (the load's own
		// writes fail too if Neo4j is gone); a lock taken over ends the load.
		if err := s.keepLease(renewCtx, LabelLoadLock, l, ttl, nil); err != nil {
			lost(probity.Errorf(probity.ECONFLICT, "another load took the load lock over while this one was stalled past its expiry (%s)",
				probity.ErrorMessage(err)))
		}
	}()
	return loadCtx, func() {
		stop()
		<-done
		lost(nil)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := s.releaseLease(ctx, nil, LabelLoadLock, l); err != nil {
			s.unfreedLoadLock.Store(l.Holder)
		}
	}, nil
}

// neo4jTime writes t as Cypher's toString does for a UTC DateTime of
// millisecond precision.
func neo4jTime(t time.Time) string {
	return strings.TrimSuffix(t.Format("2006-01-02T15:04:05.000"), ".000") + "Z"
}

// processAlive says whether a process with this pid exists on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
