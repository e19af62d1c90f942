package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// A lease gives one holder at a time the right to do one thing: run one
// schedule, or write a load. It is a node (:Lease {id: schedule name}) or
// (:LoadLock {id: 'load'}) with holder (an instance id, or a random id per
// load), host and pid (the holder's process), token, since and expiresAt.
// Every operation on it runs in one write transaction that first
// write-locks the node, then reads it, so that two contenders are served one
// after the other and the second sees what the first did. Expiry is judged
// by the database's clock (datetime() on the server that runs the write
// transaction: the leader in a cluster), so the holders' clocks need not
// agree. Each acquisition increments token, the fencing token: writes made
// under a lease (StartScheduleRun, FinishScheduleRun, checkFence) succeed
// only while the lease still carries the holder's token.

// leaseKind is a kind of lease: the label of its nodes, from the Go
// constants, and what releasing it does.
type leaseKind struct {
	label string
	// transient leases are deleted when released, so their token starts
	// again at 1; the others are kept so that their token keeps increasing.
	transient bool
}

var (
	scheduleLeases = leaseKind{label: LabelLease}
	loadLeases     = leaseKind{label: LabelLoadLock, transient: true}
)

// ownLease is a request for lease name by holder in this process.
func ownLease(name, holder string) probity.Lease {
	host, _ := os.Hostname()
	return probity.Lease{Name: name, Holder: holder, Host: host, PID: os.Getpid()}
}

// leaseReturn is what lockLease and LeaseOf read of lease node l.
const leaseReturn = `l.holder, l.host, l.pid, coalesce(l.token, 0), l.since, l.expiresAt, l.expiresAt < datetime()`

// leaseFrom decodes leaseReturn; expired says that expiresAt has passed.
func leaseFrom(name string, v []any) (l probity.Lease, expired bool) {
	l = probity.Lease{Name: name, Since: storedTime(v[4]), ExpiresAt: storedTime(v[5])}
	l.Holder, _ = v[0].(string)
	l.Host, _ = v[1].(string)
	pid, _ := v[2].(int64)
	l.PID = int(pid)
	l.Token, _ = v[3].(int64)
	expired, _ = v[6].(bool)
	return l, expired
}

// lockLease write-locks lease node (k, name), creating it (with token 0)
// when create is set, and returns it as stored; found is false when there
// is no such node. Reads after the lock see the latest committed lease.
func lockLease(ctx context.Context, tx neo4j.ManagedTransaction, k leaseKind, name string, create bool) (l probity.Lease, expired, found bool, err error) {
	find := "MATCH"
	if create {
		find = "MERGE"
	}
	res, err := tx.Run(ctx, find+` (l:`+k.label+` {id: $name}) SET l.lockedAt = datetime() RETURN `+leaseReturn,
		map[string]any{"name": name})
	if err != nil {
		return l, false, false, err
	}
	recs, err := res.Collect(ctx)
	if err != nil || len(recs) == 0 {
		return l, false, false, err
	}
	l, expired = leaseFrom(name, recs[0].Values)
	return l, expired, true, nil
}

// acquireLease takes lease (k, want.Name) for want's holder for ttl if it is
// free, expired, or takeOver (may be nil) allows taking it from its live
// holder; a live lease is otherwise never taken, not even by its own holder
// id. check (may be nil) runs in the same transaction after the lease is
// locked: an error aborts, false leaves the lease alone. It returns the
// lease taken and true, or the lease as it stands and false. Errors are the
// driver's or check's, not yet coded.
func (s *Store) acquireLease(ctx context.Context, k leaseKind, want probity.Lease, ttl time.Duration,
	takeOver func(held probity.Lease) bool, check func(tx neo4j.ManagedTransaction) (bool, error)) (probity.Lease, bool, error) {
	var (
		got probity.Lease
		ok  bool
	)
	err := s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		cur, expired, _, err := lockLease(ctx, tx, k, want.Name, true)
		if err != nil {
			return err
		}
		got, ok = cur, false
		if check != nil {
			if proceed, err := check(tx); err != nil || !proceed {
				return err
			}
		}
		if cur.Holder != "" && !expired && (takeOver == nil || !takeOver(cur)) {
			return nil
		}
		res, err := tx.Run(ctx, `MATCH (l:`+k.label+` {id: $name})
			SET l.holder = $holder, l.host = $host, l.pid = $pid, l.token = coalesce(l.token, 0) + 1,
			    l.since = datetime(), l.expiresAt = datetime() + duration({milliseconds: $ttl})
			RETURN l.token, l.since, l.expiresAt`,
			map[string]any{"name": want.Name, "holder": want.Holder, "host": want.Host, "pid": want.PID, "ttl": ttl.Milliseconds()})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		got = want
		got.Token, _ = rec.Values[0].(int64)
		got.Since, got.ExpiresAt = storedTime(rec.Values[1]), storedTime(rec.Values[2])
		ok = true
		return nil
	})
	return got, ok, err
}

// holding write-locks lease l and returns ECONFLICT, naming what became of
// it, unless l still holds it (same holder and token; an expired lease that
// nobody has taken is still held).
func holding(ctx context.Context, tx neo4j.ManagedTransaction, k leaseKind, l probity.Lease) error {
	cur, _, found, err := lockLease(ctx, tx, k, l.Name, false)
	switch {
	case err != nil:
		return err
	case !found:
		return probity.Errorf(probity.ECONFLICT, "lease %q of %s (token %d) lost: it no longer exists", l.Name, l.Holder, l.Token)
	case cur.Holder == l.Holder && cur.Token == l.Token:
		return nil
	case cur.Holder == "":
		return probity.Errorf(probity.ECONFLICT, "lease %q of %s (token %d) lost: released", l.Name, l.Holder, l.Token)
	}
	return probity.Errorf(probity.ECONFLICT, "lease %q of %s (token %d) lost: now held by %s (token %d)",
		l.Name, l.Holder, l.Token, cur.Holder, cur.Token)
}

// renewLease extends held lease l by ttl from now (the database's clock).
// ECONFLICT (from holding) when l no longer holds it: the holder must stop,
// and its fenced writes will be refused.
func (s *Store) renewLease(ctx context.Context, k leaseKind, l probity.Lease, ttl time.Duration) error {
	return s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		if err := holding(ctx, tx, k, l); err != nil {
			return err
		}
		_, err := tx.Run(ctx, `MATCH (l:`+k.label+` {id: $name}) SET l.expiresAt = datetime() + duration({milliseconds: $ttl})`,
			map[string]any{"name": l.Name, "ttl": ttl.Milliseconds()})
		return err
	})
}

// keepLease renews l every ttl/3 until ctx ends (nil) or a renewal finds
// the lease lost (the ECONFLICT of holding). Other errors (Neo4j out of
// reach) go to warn, when set and ctx is not done, and the next tick tries
// again.
func (s *Store) keepLease(ctx context.Context, k leaseKind, l probity.Lease, ttl time.Duration, warn func(error)) error {
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		err := s.renewLease(ctx, k, l, ttl)
		if probity.ErrorCode(err) == probity.ECONFLICT {
			return err
		}
		if err != nil && ctx.Err() == nil && warn != nil {
			warn(codeDriverError("renew lease "+l.Name, err))
		}
	}
}

// releaseTx frees lease l in tx if l still holds it (a transient lease is
// deleted), and says whether it did; a lease taken over is left alone.
func releaseTx(ctx context.Context, tx neo4j.ManagedTransaction, k leaseKind, l probity.Lease) (bool, error) {
	if err := holding(ctx, tx, k, l); err != nil {
		if probity.ErrorCode(err) == probity.ECONFLICT {
			err = nil
		}
		return false, err
	}
	free := `SET l.holder = null, l.expiresAt = null, l.releasedAt = datetime()`
	if k.transient {
		free = `DELETE l`
	}
	_, err := tx.Run(ctx, `MATCH (l:`+k.label+` {id: $name}) `+free, map[string]any{"name": l.Name})
	return err == nil, err
}

// releaseLease is releaseTx in its own transaction.
func (s *Store) releaseLease(ctx context.Context, k leaseKind, l probity.Lease) error {
	return s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		_, err := releaseTx(ctx, tx, k, l)
		return err
	})
}

// AcquireLease takes the lease of schedule name for holder (this process)
// for ttl, as acquireLease does. With due set, it takes the lease only if
// the schedule is enabled and its nextRunAt is at or before now, judged
// after the lease is locked, so an instance that has just finished the slot
// and released the lease is never followed by a second run of the same
// slot. It returns the lease (taken, or as it stands when ok is false) and
// the schedule as seen under the lock; ok=false when someone else holds the
// lease or nothing is due. ENOTFOUND: no such schedule.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, due bool, now time.Time) (probity.Lease, probity.Schedule, bool, error) {
	var sched probity.Schedule
	l, ok, err := s.acquireLease(ctx, scheduleLeases, ownLease(name, holder), ttl, nil, func(tx neo4j.ManagedTransaction) (bool, error) {
		res, err := tx.Run(ctx, `MATCH (s:Schedule {id: $name}) RETURN `+scheduleReturn("s"), map[string]any{"name": name})
		if err != nil {
			return false, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return false, err
		}
		if len(recs) == 0 {
			return false, probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
		}
		sched = scheduleFrom(recs[0])
		return !due || sched.Enabled && !sched.NextRunAt.IsZero() && !sched.NextRunAt.After(now), nil
	})
	if err != nil {
		return probity.Lease{}, probity.Schedule{}, false, codeDriverError("acquire lease "+name, err)
	}
	return l, sched, ok, nil
}

// RenewLease extends a held schedule lease by ttl from now (the database's
// clock). ECONFLICT, naming its new holder, when the lease has been taken
// over: the holder must stop and its later writes will be refused.
func (s *Store) RenewLease(ctx context.Context, l probity.Lease, ttl time.Duration) error {
	return codeDriverError("renew lease "+l.Name, s.renewLease(ctx, scheduleLeases, l, ttl))
}

// KeepLease renews a held schedule lease every ttl/3 until ctx ends (nil)
// or the lease turns out to be taken over (ECONFLICT, as RenewLease).
// Failed renewals are passed to warn and retried at the next tick.
func (s *Store) KeepLease(ctx context.Context, l probity.Lease, ttl time.Duration, warn func(error)) error {
	return s.keepLease(ctx, scheduleLeases, l, ttl, warn)
}

// ReleaseLease frees a held schedule lease; a lease already taken over is
// left alone.
func (s *Store) ReleaseLease(ctx context.Context, l probity.Lease) error {
	return codeDriverError("release lease "+l.Name, s.releaseLease(ctx, scheduleLeases, l))
}

// LeaseOf returns the current state of a schedule lease (zero Lease if it
// never existed).
func (s *Store) LeaseOf(ctx context.Context, name string) (probity.Lease, error) {
	res, err := s.read(ctx, `MATCH (l:Lease {id: $name}) RETURN `+leaseReturn, map[string]any{"name": name})
	if err != nil {
		return probity.Lease{}, codeDriverError("lease "+name, err)
	}
	if len(res.Records) == 0 {
		return probity.Lease{}, nil
	}
	l, _ := leaseFrom(name, res.Records[0].Values)
	return l, nil
}

// checkFence is for write transactions made under a schedule lease (the
// scan's flag writes): call it first in the transaction. It write-locks the
// lease and returns ECONFLICT unless its token is still token, so a holder
// that lost the lease cannot write, and a takeover waits until this
// transaction has committed. An empty name means no lease (a scan run by
// hand): no check.
func checkFence(ctx context.Context, tx neo4j.ManagedTransaction, name string, token int64) error {
	if name == "" {
		return nil
	}
	cur, _, found, err := lockLease(ctx, tx, scheduleLeases, name, false)
	switch {
	case err != nil:
		return err
	case !found:
		return probity.Errorf(probity.ECONFLICT, "lease %q does not exist", name)
	case cur.Token != token:
		return probity.Errorf(probity.ECONFLICT, "lease %q has token %d, not %d: taken over", name, cur.Token, token)
	}
	return nil
}

// inWriteTx runs fn in one managed write transaction (retried by the driver
// on transient errors) with the store's deadline.
func (s *Store) inWriteTx(ctx context.Context, fn func(tx neo4j.ManagedTransaction) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, fn(tx)
	}, neo4j.WithTxTimeout(s.timeout)) // the server stops it too
	return err
}

// codeDriverError turns driver errors that are worth retrying (transient errors,
// lost connections, a leader switch, the driver's retries running out) into
// EUNAVAILABLE, keeps coded errors, and wraps the rest with op.
func codeDriverError(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *probity.Error
	if errors.As(err, &pe) {
		return err
	}
	var conn *neo4j.ConnectivityError
	var limit *neo4j.TransactionExecutionLimit
	if neo4j.IsRetryable(err) || errors.As(err, &conn) || errors.As(err, &limit) {
		return fmt.Errorf("%s: %w (%v)", op, probity.Errorf(probity.EUNAVAILABLE, "Neo4j is temporarily unavailable"), err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// storedTime converts a stored DateTime (or null) to UTC time.
func storedTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case neo4j.LocalDateTime:
		return time.Time(t).UTC()
	}
	return time.Time{}
}

// timeOrNull stores the zero time as null.
func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
