package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// Leases give one instance at a time the right to run one schedule. A lease
// is a (:Lease {id, holder, token, expiresAt}) node. Expiry is judged by the
// database's clock (datetime() on the server that runs the write
// transaction: the leader in a cluster), so the instances' clocks need not
// agree. Each acquisition increments token, the fencing token: writes made
// under a lease (StartScheduleRun, FinishScheduleRun) succeed only while the
// lease still carries the holder's token.

// AcquireLease takes the lease of schedule name for holder for ttl, in one
// write transaction, if the lease is free or expired (a live lease is never
// taken, not even by its own holder id). With due set, it takes the lease only if the schedule is
// enabled and its nextRunAt is at or before now, judged after the lease is
// locked, so an instance that has just finished the slot and released the
// lease is never followed by a second run of the same slot. It returns the
// lease and the schedule as seen under the lock, and ok=false when someone
// else holds the lease or nothing is due. ENOTFOUND: no such schedule.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, due bool, now time.Time) (probity.Lease, probity.Schedule, bool, error) {
	var (
		lease probity.Lease
		sched probity.Schedule
		ok    bool
	)
	err := s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		ok = false
		// Lock first (MERGE + SET takes the node's write lock and waits for
		// any other holder of it), then read: reads after the lock see the
		// latest committed lease and schedule.
		res, err := tx.Run(ctx, `MERGE (l:Lease {id: $name})
			ON CREATE SET l.token = 0
			SET l.lockedAt = datetime()
			WITH l
			OPTIONAL MATCH (s:Schedule {id: $name})
			RETURN l.holder AS holder, l.token AS token, l.expiresAt < datetime() AS expired,
			       s IS NOT NULL AS found, `+scheduleReturn("s"),
			map[string]any{"name": name})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if found, _ := rec.Get("found"); found != true {
			return probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
		}
		sched = scheduleFrom(rec)
		cur, _ := rec.Get("holder")
		expired, _ := rec.Get("expired")
		free := cur == nil || expired == true
		if !free {
			return nil
		}
		if due && (!sched.Enabled || sched.NextRunAt.IsZero() || sched.NextRunAt.After(now)) {
			return nil
		}
		res, err = tx.Run(ctx, `MATCH (l:Lease {id: $name})
			SET l.holder = $holder, l.token = l.token + 1,
			    l.acquiredAt = datetime(), l.expiresAt = datetime() + duration({milliseconds: $ttl})
			RETURN l.token AS token, l.expiresAt AS expiresAt`,
			map[string]any{"name": name, "holder": holder, "ttl": ttl.Milliseconds()})
		if err != nil {
			return err
		}
		rec, err = res.Single(ctx)
		if err != nil {
			return err
		}
		tok, _ := rec.Get("token")
		exp, _ := rec.Get("expiresAt")
		lease = probity.Lease{Name: name, Holder: holder, Token: tok.(int64), ExpiresAt: storedTime(exp)}
		ok = true
		return nil
	})
	if err != nil {
		return probity.Lease{}, probity.Schedule{}, false, codeDriverError("acquire lease "+name, err)
	}
	return lease, sched, ok, nil
}

// RenewLease extends a held lease by ttl from now (the database's clock). It
// returns false when the lease has been taken over (its token changed): the
// holder must stop and its later writes will be refused.
func (s *Store) RenewLease(ctx context.Context, l probity.Lease, ttl time.Duration) (bool, error) {
	res, err := s.write(ctx, `MATCH (l:Lease {id: $name}) WHERE l.holder = $holder AND l.token = $token
		SET l.expiresAt = datetime() + duration({milliseconds: $ttl})
		RETURN count(l)`,
		map[string]any{"name": l.Name, "holder": l.Holder, "token": l.Token, "ttl": ttl.Milliseconds()})
	if err != nil {
		return false, codeDriverError("renew lease "+l.Name, err)
	}
	n, _ := single(res).(int64)
	return n == 1, nil
}

// ReleaseLease frees a held lease; a lease already taken over is left alone.
func (s *Store) ReleaseLease(ctx context.Context, l probity.Lease) error {
	_, err := s.write(ctx, `MATCH (l:Lease {id: $name}) WHERE l.holder = $holder AND l.token = $token
		SET l.holder = null, l.expiresAt = null, l.releasedAt = datetime()`,
		map[string]any{"name": l.Name, "holder": l.Holder, "token": l.Token})
	return codeDriverError("release lease "+l.Name, err)
}

// LeaseOf returns the current state of a lease (zero Lease if it never
// existed).
func (s *Store) LeaseOf(ctx context.Context, name string) (probity.Lease, error) {
	res, err := s.read(ctx, `MATCH (l:Lease {id: $name}) RETURN l.holder, l.token, l.expiresAt`,
		map[string]any{"name": name})
	if err != nil {
		return probity.Lease{}, codeDriverError("lease "+name, err)
	}
	if len(res.Records) == 0 {
		return probity.Lease{}, nil
	}
	v := res.Records[0].Values
	h, _ := v[0].(string)
	t, _ := v[1].(int64)
	return probity.Lease{Name: name, Holder: h, Token: t, ExpiresAt: storedTime(v[2])}, nil
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
	})
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

// checkFence is for write transactions made under a lease (the scan's flag
// writes): call it first in the transaction. It write-locks the lease and
// returns ECONFLICT unless its token is still token, so a holder that lost
// the lease cannot write, and a takeover waits until this transaction has
// committed. An empty name means no lease (a scan run by hand): no check.
func checkFence(ctx context.Context, tx neo4j.ManagedTransaction, name string, token int64) error {
	if name == "" {
		return nil
	}
	res, err := tx.Run(ctx, `MATCH (l:Lease {id: $name}) SET l.lockedAt = datetime() RETURN l.token`,
		map[string]any{"name": name})
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return probity.Errorf(probity.ECONFLICT, "lease %q does not exist", name)
	}
	if got, _ := rec.Values[0].(int64); got != token {
		return probity.Errorf(probity.ECONFLICT, "lease %q has token %d, not %d: taken over", name, got, token)
	}
	return nil
}
