package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"probity"
)

// LabelAuditHead marks the single node that holds the head of the audit
// chain (its last seq and hash). Appends lock it, so they serialise and the
// chain never forks.
const LabelAuditHead = "AuditHead"

const auditHeadID = "audit"

// AppendAudit adds e to the end of the audit chain and returns it with its
// ID, Seq, PrevHash and Hash set. In one transaction it locks the chain
// head (a write to the AuditHead node, held until commit), reads the last
// seq and hash, and writes the event and the new head, so concurrent
// appends queue behind each other and the chain never forks.
func (s *Store) AppendAudit(ctx context.Context, e probity.AuditEvent) (probity.AuditEvent, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	out, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := tx.Run(ctx, `MERGE (h:`+LabelAuditHead+` {id: $id})
			ON CREATE SET h.seq = 0, h.hash = ''
			SET h.lockedAt = datetime()`, map[string]any{"id": auditHeadID}); err != nil {
			return nil, err
		}
		res, err := tx.Run(ctx, `MATCH (h:`+LabelAuditHead+` {id: $id}) RETURN h.seq, h.hash`, map[string]any{"id": auditHeadID})
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		seq, _ := rec.Values[0].(int64)
		prev, _ := rec.Values[1].(string)
		ev := e
		ev.Seq = seq + 1
		ev.ID = fmt.Sprintf("audit-%d", ev.Seq)
		ev.At = ev.At.UTC()
		ev.PrevHash = prev
		ev.Hash = ev.ComputeHash()
		if _, err := tx.Run(ctx, `MATCH (h:`+LabelAuditHead+` {id: $head})
			CREATE (:AuditEvent {id: $id, seq: $seq, at: $at, actor: $actor, role: $role, operation: $operation,
				variablesDigest: $digest, entityIds: $entityIds, revealed: $revealed, purpose: $purpose,
				prevHash: $prevHash, hash: $hash})
			SET h.seq = $seq, h.hash = $hash`, map[string]any{
			"head": auditHeadID, "id": ev.ID, "seq": ev.Seq, "at": ev.At, "actor": ev.Actor, "role": string(ev.Role),
			"operation": ev.Operation, "digest": ev.VariablesDigest, "entityIds": nonNilStrings(ev.EntityIDs),
			"revealed": nonNilStrings(ev.Revealed), "purpose": ev.Purpose, "prevHash": ev.PrevHash, "hash": ev.Hash,
		}); err != nil {
			return nil, err
		}
		return ev, nil
	}, neo4j.WithTxTimeout(s.timeout))
	if err != nil {
		return e, fmt.Errorf("append audit event: %w", err)
	}
	return out.(probity.AuditEvent), nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func driverStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func auditEventOfNode(n dbtype.Node) probity.AuditEvent {
	p := n.Props
	str := func(k string) string { v, _ := p[k].(string); return v }
	seq, _ := p["seq"].(int64)
	at, _ := p["at"].(time.Time)
	return probity.AuditEvent{
		ID: str("id"), Seq: seq, At: at.UTC(), Actor: str("actor"), Role: probity.Role(str("role")),
		Operation: str("operation"), VariablesDigest: str("variablesDigest"), EntityIDs: driverStrings(p["entityIds"]),
		Revealed: driverStrings(p["revealed"]), Purpose: str("purpose"), PrevHash: str("prevHash"), Hash: str("hash"),
	}
}

// AuditEvents returns the events f selects, oldest first, at most f.First.
func (s *Store) AuditEvents(ctx context.Context, f probity.AuditFilter) ([]probity.AuditEvent, error) {
	res, err := s.read(ctx, `MATCH (e:AuditEvent) WHERE e.seq > $after
		AND ($actor = '' OR e.actor = $actor) AND ($from IS NULL OR e.at >= $from) AND ($to IS NULL OR e.at < $to)
		RETURN e ORDER BY e.seq LIMIT $first`, map[string]any{
		"after": f.AfterSeq, "actor": f.Actor, "from": optTime(f.From), "to": optTime(f.To), "first": f.First,
	})
	if err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	out := make([]probity.AuditEvent, 0, len(res.Records))
	for _, rec := range res.Records {
		n, _ := rec.Values[0].(dbtype.Node)
		out = append(out, auditEventOfNode(n))
	}
	return out, nil
}

// VerifyAudit walks the whole chain in seq order and reports the first
// broken link: a gap in seq, a prevHash that is not the previous event's
// hash, a hash that does not match the event's fields, or a head that does
// not point at the last event (events deleted from the end).
func (s *Store) VerifyAudit(ctx context.Context) (probity.AuditVerification, error) {
	var v probity.AuditVerification
	prev := ""
	var last int64
	for {
		page, err := s.AuditEvents(ctx, probity.AuditFilter{AfterSeq: last, First: 1000})
		if err != nil {
			return v, err
		}
		for _, e := range page {
			reason := ""
			switch {
			case e.Seq != last+1:
				reason = fmt.Sprintf("seq %d follows %d: events are missing", e.Seq, last)
			case e.PrevHash != prev:
				reason = "prevHash does not match the previous event's hash"
			case e.ComputeHash() != e.Hash:
				reason = "hash does not match the event's fields: the event was altered"
			}
			if reason != "" {
				v.BrokenSeq, v.BrokenID, v.Reason = e.Seq, e.ID, reason
				return v, nil
			}
			v.Checked++
			prev, last = e.Hash, e.Seq
		}
		if len(page) < 1000 {
			break
		}
	}
	res, err := s.read(ctx, `OPTIONAL MATCH (h:`+LabelAuditHead+` {id: $id}) RETURN coalesce(h.seq, 0), coalesce(h.hash, '')`,
		map[string]any{"id": auditHeadID})
	if err != nil {
		return v, fmt.Errorf("audit head: %w", err)
	}
	hs, _ := res.Records[0].Values[0].(int64)
	hh, _ := res.Records[0].Values[1].(string)
	if hs != last || hh != prev {
		v.BrokenSeq, v.BrokenID = hs, fmt.Sprintf("audit-%d", hs)
		v.Reason = fmt.Sprintf("the chain head says seq %d but the last event is %d: events were removed", hs, last)
	}
	return v, nil
}
