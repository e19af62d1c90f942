package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// LabelLoadLock marks the one node that says a load is writing. A load
// CREATEs into kinds of data it finds empty (see loader), so two loads at
// once could both write the same rows; the lock makes the second wait its
// turn by refusing it.
const LabelLoadLock = "LoadLock"

// loadLockTTL is how long the lock lasts without renewal: a load renews it
// every loadLockTTL/3, so a loader that died blocks others for at most this.
const loadLockTTL = 2 * time.Minute

// lockLoad takes the load lock or fails with ECONFLICT naming the holder.
// A lock left by a load of this host whose process is gone, or by this
// store (a load cut off from Neo4j cannot free it), is taken over at once;
// any other lock is refused until it expires. release renews
// nothing more and frees the lock.
func (s *Store) lockLoad(ctx context.Context) (release func(), err error) {
	host, _ := os.Hostname()
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	holder := hex.EncodeToString(nonce)
	ttl := loadLockTTL.Milliseconds()
	take := func(steal any) (*neo4j.Record, error) {
		res, err := s.write(ctx, `MERGE (l:`+LabelLoadLock+` {id: 'load'})
			SET l.lockedAt = datetime()
			WITH l, l.holder IS NULL OR l.expiresAt < datetime() OR l.holder = $steal AS free
			FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
				SET l.holder = $holder, l.host = $host, l.pid = $pid,
				    l.since = datetime(), l.expiresAt = datetime() + duration({milliseconds: $ttl}))
			RETURN free, l.holder AS holder, l.host AS host, l.pid AS pid,
			       toString(l.since) AS since, toString(l.expiresAt) AS expires`,
			map[string]any{"holder": holder, "host": host, "pid": os.Getpid(), "ttl": ttl, "steal": steal})
		if err != nil {
			return nil, codeDriverError("take the load lock", err)
		}
		return res.Records[0], nil
	}
	rec, err := take(nil)
	if err != nil {
		return nil, err
	}
	if free, _ := rec.Get("free"); free != true {
		old, _ := rec.Get("holder")
		h, _ := rec.Get("host")
		pid, _ := rec.Get("pid")
		p, _ := pid.(int64)
		if old == s.unfreedLoadLock.Load() || h == host && p > 0 && !processAlive(int(p)) {
			if rec, err = take(old); err != nil {
				return nil, err
			}
		}
	}
	if free, _ := rec.Get("free"); free != true {
		h, _ := rec.Get("host")
		pid, _ := rec.Get("pid")
		since, _ := rec.Get("since")
		exp, _ := rec.Get("expires")
		return nil, probity.Errorf(probity.ECONFLICT,
			"another load is writing to this database (host %v, pid %v, since %v); wait for it to finish (if it died, its lock expires at %v)", h, pid, since, exp)
	}
	renewCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(loadLockTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-renewCtx.Done():
				return
			case <-t.C:
				// A failed renewal is retried at the next tick; the load's own
				// writes fail too if Neo4j is gone.
				_, _ = s.write(renewCtx, `MATCH (l:`+LabelLoadLock+` {id: 'load'}) WHERE l.holder = $holder
					SET l.expiresAt = datetime() + duration({milliseconds: $ttl})`,
					map[string]any{"holder": holder, "ttl": ttl})
			}
		}
	}()
	return func() {
		stop()
		<-done
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := s.write(ctx, `MATCH (l:`+LabelLoadLock+` {id: 'load'}) WHERE l.holder = $holder DELETE l`,
			map[string]any{"holder": holder}); err != nil {
			s.unfreedLoadLock.Store(holder)
		}
	}, nil
}

// processAlive says whether a process with this pid exists on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
