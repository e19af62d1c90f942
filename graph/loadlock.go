package graph

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
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

// lockLoad takes the load lock or fails with ECONFLICT naming the holder
// (workLock).
func (s *Store) lockLoad(ctx context.Context) (loadCtx context.Context, release func(), tookOver string, err error) {
	return s.workLock(ctx, LabelLoadLock, "load", cmp.Or(s.loadLockTTL, loadLockTTL), &s.unfreedLoadLock,
		"another load is writing to this database", "another load took the load lock over while this one was stalled past its expiry")
}

// scanLockName is the scan lock's Lease (lease.go): a schedule's name has
// no colon, so no schedule's lease can be it.
const scanLockName = "scan:lock"

// lockScan takes the scan lock or fails with ECONFLICT naming the holder
// (workLock). A scan marks the hubs (the Hub and WindowHub labels) for
// its queries to avoid: two at once would each read the other's marks (a
// 2023 window's hubs in a 2025 window's scan), so one waits its turn.
func (s *Store) lockScan(ctx context.Context) (scanCtx context.Context, release func(), tookOver string, err error) {
	return s.workLock(ctx, LabelLease, scanLockName, loadLockTTL, &s.unfreedScanLock,
		"another scan is running on this database", "another scan took the scan lock over while this one was stalled past its expiry")
}

// workLock takes the lease (label, name) for the work of this process, or
// fails with ECONFLICT naming the holder: busy, then who holds it. A lease
// left by work of this host whose process is gone, or by this store (work
// cut off from Neo4j cannot free it: unfreed), is taken over at once; any
// other is refused until it expires. The work runs in the returned ctx,
// which ends, with lost as its cause, if the lease is lost (work stalled
// past the lease's expiry while another took it over): the two must never
// run at once. It is renewed every ttl/3; release renews nothing more and
// frees it. tookOver says whose lease was taken over ("" when it was free),
// for the logs: an administrator matching them after a crash wants to know.
func (s *Store) workLock(ctx context.Context, label, name string, ttl time.Duration, unfreed *atomic.Value, busy, lostMsg string) (workCtx context.Context, release func(), tookOver string, err error) {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	host, _ := os.Hostname()
	what := strings.TrimSuffix(name, ":lock") + " lock"
	l, ok, err := s.acquireLease(ctx, label, name, hex.EncodeToString(nonce), ttl,
		func(_ neo4j.ManagedTransaction, cur probity.Lease, free bool) (bool, error) {
			why := ""
			switch {
			case cur.Holder == "":
				return true, nil
			case free:
				why = "it had expired at " + neo4jTime(cur.ExpiresAt)
			case cur.Holder == unfreed.Load():
				why = "this process could not free it"
			case cur.Host == host && cur.PID > 0 && !processAlive(cur.PID):
				why = "its process is gone"
			default:
				return false, nil
			}
			tookOver = fmt.Sprintf("took over the %s of host %v, pid %v, since %v: %s", what, cur.Host, cur.PID, neo4jTime(cur.Since), why)
			return true, nil
		})
	if err != nil {
		return nil, nil, "", codeDriverError("take the "+what, err)
	}
	if !ok {
		return nil, nil, "", probity.Errorf(probity.ECONFLICT, "%s (host %v, pid %v, since %v); wait for it to finish (if it died, its lock expires at %v)",
			busy, l.Host, l.PID, neo4jTime(l.Since), neo4jTime(l.ExpiresAt))
	}
	workCtx, lost := context.WithCancelCause(ctx)
	renewCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A failed renewal is retried at the next tick (the work's own
		// queries fail too if Neo4j is gone); a lease taken over ends the work.
		if err := s.keepLease(renewCtx, label, l, ttl, nil); err != nil {
			lost(probity.Errorf(probity.ECONFLICT, "%s (%s)", lostMsg, probity.ErrorMessage(err)))
		}
	}()
	return workCtx, func() {
		stop()
		<-done
		lost(nil)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := s.releaseLease(ctx, nil, label, l); err != nil {
			unfreed.Store(l.Holder)
		}
	}, tookOver, nil
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
