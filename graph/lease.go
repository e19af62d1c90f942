package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// A lease lets one holder at a time run a schedule, (:Lease {id: schedule
// name}), or write a load, (:LoadLock {id: 'load'}); label is one of the
// two. The node has holder (an instance id, or a random id per load), host
// and pid of its process, since, expiresAt, and token, the fencing token,
// +1 at each acquisition. Every operation write-locks the node, then reads
// it, in one write transaction: contenders go one after the other and each
// sees what the last did. Expiry is judged by the database's clock (the
// leader's in a cluster). Writes made under a lease succeed only while it
// carries the holder's token. Released, a Lease is kept (its token keeps
// increasing) and a LoadLock deleted.

// leaseReturn is what lockLease and LeaseOf read of lease node l.
const leaseReturn = `l.holder, l.host, l.pid, coalesce(l.token, 0), l.since, l.expiresAt, l.expiresAt < datetime()`

// leaseFrom decodes leaseReturn; expired: expiresAt has passed.
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

// lockLease write-locks lease (label, name), creating it if create is set,
// and returns it as stored; found is false when there is none.
func lockLease(ctx context.Context, tx neo4j.ManagedTransaction, label, name string, create bool) (l probity.Lease, expired, found bool, err error) {
	find := "MATCH"
	if create {
		find = "MERGE"
	}
	res, err := tx.Run(ctx, find+` (l:`+label+` {id: $name}) SET l.lockedAt = datetime() RETURN `+leaseReturn,
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

// acquireLease takes lease (label, name) for holder in this process for
// ttl, and returns it with ok, if take (called under the lock with the
// lease as it stands and whether it is free: no holder, or expired) says so;
// nil take takes a free lease only. Otherwise it returns the lease as it
// stands. Errors are not coded.
func (s *Store) acquireLease(ctx context.Context, label, name, holder string, ttl time.Duration,
	take func(tx neo4j.ManagedTransaction, cur probity.Lease, free bool) (bool, error)) (got probity.Lease, ok bool, err error) {
	err = s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		cur, expired, _, err := lockLease(ctx, tx, label, name, true)
		got, ok = cur, cur.Holder == "" || expired
		if err == nil && take != nil {
			ok, err = take(tx, cur, ok)
		}
		if err != nil || !ok {
			return err
		}
		host, _ := os.Hostname()
		res, err := tx.Run(ctx, `MATCH (l:`+label+` {id: $name})
			SET l.holder = $holder, l.host = $host, l.pid = $pid, l.token = coalesce(l.token, 0) + 1,
			    l.since = datetime(), l.expiresAt = datetime() + duration({milliseconds: $ttl})
			RETURN `+leaseReturn,
			map[string]any{"name": name, "holder": holder, "host": host, "pid": os.Getpid(), "ttl": ttl.Milliseconds()})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err == nil {
			got, _ = leaseFrom(name, rec.Values)
		}
		return err
	})
	return got, ok, err
}

// holding write-locks lease l and returns ECONFLICT, saying what became of
// it, unless l still holds it (an expired lease nobody took is still held).
func holding(ctx context.Context, tx neo4j.ManagedTransaction, label string, l probity.Lease) error {
	cur, _, found, err := lockLease(ctx, tx, label, l.Name, false)
	switch {
	case err != nil || found && cur.Holder == l.Holder && cur.Token == l.Token:
		return err
	case cur.Holder == "":
		return probity.Errorf(probity.ECONFLICT, "lease %q of %s (token %d) lost: released", l.Name, l.Holder, l.Token)
	}
	return probity.Errorf(probity.ECONFLICT, "lease %q of %s (token %d) lost: now held by %s (token %d; host %s, pid %d)",
		l.Name, l.Holder, l.Token, cur.Holder, cur.Token, cmp.Or(cur.Host, "unknown"), cur.PID)
}

// renewLease extends held lease l by ttl from now; ECONFLICT (holding)
// when l lost it.
func (s *Store) renewLease(ctx context.Context, label string, l probity.Lease, ttl time.Duration) error {
	return s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		if err := holding(ctx, tx, label, l); err != nil {
			return err
		}
		_, err := tx.Run(ctx, `MATCH (l:`+label+` {id: $name}) SET l.expiresAt = datetime() + duration({milliseconds: $ttl})`,
			map[string]any{"name": l.Name, "ttl": ttl.Milliseconds()})
		return err
	})
}

// keepLease renews l every ttl/3 until ctx ends (nil) or l lost the lease
// (ECONFLICT). Other errors go to warn, if set, and are retried next tick.
func (s *Store) keepLease(ctx context.Context, label string, l probity.Lease, ttl time.Duration, warn func(error)) error {
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		err := s.renewLease(ctx, label, l, ttl)
		if probity.ErrorCode(err) == probity.ECONFLICT {
			return err
		}
		if err != nil && ctx.Err() == nil && warn != nil {
			warn(codeDriverError("renew lease "+l.Name, err))
		}
	}
}

// releaseLease frees lease l (in tx, or in its own transaction if tx is
// nil) if l still holds it, and says whether it did.
func (s *Store) releaseLease(ctx context.Context, tx neo4j.ManagedTransaction, label string, l probity.Lease) (released bool, err error) {
	if tx == nil {
		err = s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
			released, err = s.releaseLease(ctx, tx, label, l)
			return err
		})
		return released, err
	}
	if err := holding(ctx, tx, label, l); err != nil {
		if probity.ErrorCode(err) == probity.ECONFLICT {
			err = nil
		}
		return false, err
	}
	free := `SET l.holder = null, l.expiresAt = null, l.releasedAt = datetime()`
	if label == LabelLoadLock {
		free = `DELETE l`
	}
	_, err = tx.Run(ctx, `MATCH (l:`+label+` {id: $name}) `+free, map[string]any{"name": l.Name})
	return err == nil, err
}

// AcquireLease takes the lease of schedule name for holder for ttl if it is
// free or expired (a live lease is never taken, not even by its own holder
// id). With due set, only if the schedule is enabled (or a run of it was
// requested) and its nextRunAt is at or before now, judged under the lease's lock, so an instance that has
// just finished the slot and released the lease is never followed by a
// second run of it. It returns the lease (as it stands when ok is false)
// and the schedule as seen under the lock. ENOTFOUND: no such schedule.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, due bool, now time.Time) (probity.Lease, probity.Schedule, bool, error) {
	var sched probity.Schedule
	l, ok, err := s.acquireLease(ctx, LabelLease, name, holder, ttl, func(tx neo4j.ManagedTransaction, _ probity.Lease, free bool) (bool, error) {
		res, err := tx.Run(ctx, `MATCH (s:Schedule {id: $name}) RETURN `+scheduleReturn("s"), map[string]any{"name": name})
		if err != nil {
			return false, err
		}
		if !res.Next(ctx) {
			if err := res.Err(); err != nil {
				return false, err
			}
			return false, probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
		}
		sched = scheduleFrom(res.Record())
		// a disabled schedule runs only when asked to (Run now)
		// A request stays until a run that started after it finishes
		// (FinishScheduleRun): a run killed midway is run again as what it
		// was, a manual run (opsW L2: the re-run was labelled a cron slot).
		ok := free && (!due || (sched.Enabled || !sched.RequestedAt.IsZero()) && !sched.NextRunAt.IsZero() && !sched.NextRunAt.After(now))
		return ok, nil
	})
	if err != nil {
		return probity.Lease{}, probity.Schedule{}, false, codeDriverError("acquire lease "+name, err)
	}
	return l, sched, ok, nil
}

// RenewLease extends a held schedule lease by ttl from now. ECONFLICT,
// naming its new holder, when it was taken over: the holder must stop.
func (s *Store) RenewLease(ctx context.Context, l probity.Lease, ttl time.Duration) error {
	return codeDriverError("renew lease "+l.Name, s.renewLease(ctx, LabelLease, l, ttl))
}

// KeepLease renews a held schedule lease every ttl/3 until ctx ends (nil)
// or it is taken over (ECONFLICT); failed renewals go to warn.
func (s *Store) KeepLease(ctx context.Context, l probity.Lease, ttl time.Duration, warn func(error)) error {
	return s.keepLease(ctx, LabelLease, l, ttl, warn)
}

// ReleaseLease frees a held schedule lease; one taken over is left alone.
func (s *Store) ReleaseLease(ctx context.Context, l probity.Lease) error {
	_, err := s.releaseLease(ctx, nil, LabelLease, l)
	return codeDriverError("release lease "+l.Name, err)
}

// LeaseOf returns a schedule lease as stored (zero if it never existed).
func (s *Store) LeaseOf(ctx context.Context, name string) (probity.Lease, error) {
	res, err := s.read(ctx, `MATCH (l:Lease {id: $name}) RETURN `+leaseReturn, map[string]any{"name": name})
	if err != nil || len(res.Records) == 0 {
		return probity.Lease{}, codeDriverError("lease "+name, err)
	}
	l, _ := leaseFrom(name, res.Records[0].Values)
	return l, nil
}

// inWriteTx runs fn in one managed write transaction (retried by the driver
// on transient errors) with the store's deadline.
func (s *Store) inWriteTx(ctx context.Context, fn func(tx neo4j.ManagedTransaction) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.inSession(ctx, func(sess neo4j.SessionWithContext) error {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return nil, fn(tx)
		}, neo4j.WithTxTimeout(s.timeout)) // the server stops it too
		return err
	})
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
