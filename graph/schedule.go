package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// Schedules, their run history, webhooks and the delivery log. Property
// names: Schedule {id (= name), name, cron, patterns, incremental, enabled,
// timeoutSeconds, lastRunAt, lastResult, nextRunAt}; ScheduleRun {id,
// schedule, trigger, slot, holder, startedAt, endedAt, status, error,
// scanRunId, newFlags, leaseToken}; Webhook {id, url, secret, minScore,
// enabled}; WebhookDelivery {id, deliveryId, webhook, flagId, attempt,
// status, httpStatus, error, at}.

func scheduleReturn(v string) string {
	return fmt.Sprintf(`%[1]s.id AS sid, %[1]s.cron AS cron, %[1]s.patterns AS patterns,
		%[1]s.incremental AS incremental, %[1]s.enabled AS enabled, %[1]s.timeoutSeconds AS timeoutSeconds,
		%[1]s.lastRunAt AS lastRunAt, %[1]s.lastResult AS lastResult, %[1]s.nextRunAt AS nextRunAt,
		%[1]s.requestedAt AS requestedAt`, v)
}

func scheduleFrom(rec *neo4j.Record) probity.Schedule {
	m := rec.AsMap()
	sc := probity.Schedule{}
	sc.Name, _ = m["sid"].(string)
	sc.Cron, _ = m["cron"].(string)
	if ps, ok := m["patterns"].([]any); ok {
		for _, p := range ps {
			if s, ok := p.(string); ok {
				sc.Patterns = append(sc.Patterns, s)
			}
		}
	}
	sc.Incremental, _ = m["incremental"].(bool)
	sc.Enabled, _ = m["enabled"].(bool)
	if n, ok := m["timeoutSeconds"].(int64); ok {
		sc.Timeout = time.Duration(n) * time.Second
	}
	sc.LastRunAt = storedTime(m["lastRunAt"])
	sc.LastResult, _ = m["lastResult"].(string)
	sc.NextRunAt = storedTime(m["nextRunAt"])
	sc.RequestedAt = storedTime(m["requestedAt"])
	return sc
}

func scheduleParams(sc probity.Schedule) map[string]any {
	patterns := sc.Patterns
	if patterns == nil {
		patterns = []string{}
	}
	return map[string]any{
		"id": sc.Name, "cron": sc.Cron, "patterns": patterns, "incremental": sc.Incremental,
		"enabled": sc.Enabled, "timeoutSeconds": int64(sc.Timeout / time.Second),
		"nextRunAt": timeOrNull(sc.NextRunAt),
	}
}

// Schedules returns every schedule, by name.
func (s *Store) Schedules(ctx context.Context) ([]probity.Schedule, error) {
	res, err := s.read(ctx, `MATCH (s:Schedule) RETURN `+scheduleReturn("s")+` ORDER BY s.id`, nil)
	if err != nil {
		return nil, codeDriverError("schedules", err)
	}
	out := make([]probity.Schedule, 0, len(res.Records))
	for _, r := range res.Records {
		out = append(out, scheduleFrom(r))
	}
	return out, nil
}

// ScheduleByName returns one schedule. ENOTFOUND if there is none.
func (s *Store) ScheduleByName(ctx context.Context, name string) (probity.Schedule, error) {
	res, err := s.read(ctx, `MATCH (s:Schedule {id: $id}) RETURN `+scheduleReturn("s"), map[string]any{"id": name})
	if err != nil {
		return probity.Schedule{}, codeDriverError("schedule "+name, err)
	}
	if len(res.Records) == 0 {
		return probity.Schedule{}, probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
	}
	return scheduleFrom(res.Records[0]), nil
}

// CreateSchedule stores a new schedule. The caller has validated it.
// ECONFLICT if the name is taken.
func (s *Store) CreateSchedule(ctx context.Context, sc probity.Schedule) error {
	res, err := s.write(ctx, `MERGE (s:Schedule {id: $id})
		ON CREATE SET s.new = true, s.name = $id, s.cron = $cron, s.patterns = $patterns,
		   s.incremental = $incremental, s.enabled = $enabled, s.timeoutSeconds = $timeoutSeconds,
		   s.nextRunAt = $nextRunAt, s.createdAt = datetime()
		WITH s, s.new IS NOT NULL AS created
		REMOVE s.new
		RETURN created`, scheduleParams(sc))
	if err != nil {
		return codeDriverError("create schedule "+sc.Name, err)
	}
	if single(res) != true {
		return probity.Errorf(probity.ECONFLICT, "schedule %q exists", sc.Name)
	}
	return nil
}

// UpdateSchedule sets the cron, patterns, mode, enabled state, time-out
// and next slot of the schedule of sc's name; its history, last run and a
// pending request stay. ENOTFOUND when there is none.
func (s *Store) UpdateSchedule(ctx context.Context, e probity.ScheduleEdit, next time.Time) error {
	p := map[string]any{"id": e.Name, "cron": e.Cron, "nextRunAt": timeOrNull(next), "patterns": nil, "incremental": nil, "enabled": nil, "timeoutSeconds": nil}
	if e.Patterns != nil {
		p["patterns"] = append([]string{}, *e.Patterns...) // never nil: an empty list is every pattern
	}
	if e.Incremental != nil {
		p["incremental"] = *e.Incremental
	}
	if e.Enabled != nil {
		p["enabled"] = *e.Enabled
	}
	if e.Timeout != nil {
		p["timeoutSeconds"] = int64(*e.Timeout / time.Second)
	}
	// what the edit leaves out is kept in the same statement: a change
	// another admin made meanwhile (a disable) stays (reviewH M1)
	res, err := s.write(ctx, `MATCH (s:Schedule {id: $id})
		SET s.cron = $cron, s.patterns = coalesce($patterns, s.patterns), s.incremental = coalesce($incremental, s.incremental),
		    s.enabled = coalesce($enabled, s.enabled), s.timeoutSeconds = coalesce($timeoutSeconds, s.timeoutSeconds),
		    s.nextRunAt = CASE WHEN s.requestedAt IS NOT NULL THEN s.nextRunAt ELSE $nextRunAt END
		RETURN count(s)`, p)
	if err != nil {
		return codeDriverError("update schedule "+e.Name, err)
	}
	if num(single(res)) == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no schedule %q", e.Name)
	}
	return nil
}

// EnsureSchedules creates defs if the database holds no schedule at all, in
// one transaction (instances starting together create each at most once,
// the uniqueness constraint on id deciding). It returns the names created.
func (s *Store) EnsureSchedules(ctx context.Context, defs []probity.Schedule) ([]string, error) {
	rows := make([]map[string]any, 0, len(defs))
	for _, d := range defs {
		rows = append(rows, scheduleParams(d))
	}
	res, err := s.write(ctx, `OPTIONAL MATCH (x:Schedule)
		WITH count(x) AS existing WHERE existing = 0
		UNWIND $rows AS d
		MERGE (s:Schedule {id: d.id})
		ON CREATE SET s.new = true, s.name = d.id, s.cron = d.cron, s.patterns = d.patterns,
		   s.incremental = d.incremental, s.enabled = d.enabled, s.timeoutSeconds = d.timeoutSeconds,
		   s.nextRunAt = d.nextRunAt, s.createdAt = datetime()
		WITH s WHERE s.new
		REMOVE s.new
		RETURN s.id`, map[string]any{"rows": rows})
	if err != nil {
		return nil, codeDriverError("default schedules", err)
	}
	var names []string
	for _, r := range res.Records {
		n, _ := r.Values[0].(string)
		names = append(names, n)
	}
	return names, nil
}

// SetScheduleEnabled enables or disables a schedule, and sets its nextRunAt
// to next unless next is zero. ENOTFOUND if none.
func (s *Store) SetScheduleEnabled(ctx context.Context, name string, enabled bool, next time.Time) error {
	res, err := s.write(ctx, `MATCH (s:Schedule {id: $id}) SET s.enabled = $enabled, s.nextRunAt = coalesce($next, s.nextRunAt) RETURN count(s)`,
		map[string]any{"id": name, "enabled": enabled, "next": timeOrNull(next)})
	if err != nil {
		return codeDriverError("enable schedule "+name, err)
	}
	if n, _ := single(res).(int64); n == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
	}
	return nil
}

// RequestRun makes a schedule due now: the next poll of any instance runs
// it, recorded as a manual run (requestedAt, cleared when the run takes the
// lease). ENOTFOUND if none.
func (s *Store) RequestRun(ctx context.Context, name string, now time.Time) error {
	res, err := s.write(ctx, `MATCH (s:Schedule {id: $id}) SET s.nextRunAt = $now, s.requestedAt = $now RETURN count(s)`,
		map[string]any{"id": name, "now": now.UTC()})
	if err != nil {
		return codeDriverError("request run of "+name, err)
	}
	if n, _ := single(res).(int64); n == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
	}
	return nil
}

// InitNextRunAt sets nextRunAt of a schedule that has none (one created
// without it, for example through the API).
func (s *Store) InitNextRunAt(ctx context.Context, name string, next time.Time) error {
	_, err := s.write(ctx, `MATCH (s:Schedule {id: $id}) WHERE s.nextRunAt IS NULL SET s.nextRunAt = $next`,
		map[string]any{"id": name, "next": next.UTC()})
	return codeDriverError("schedule "+name, err)
}

// DeleteSchedule removes a schedule; its run history stays, and so does its
// lease, so that fencing tokens keep increasing if the name is used again
// (a run in progress ends as it would, noting that its schedule was
// removed). ENOTFOUND if there is none.
func (s *Store) DeleteSchedule(ctx context.Context, name string) error {
	res, err := s.write(ctx, `MATCH (s:Schedule {id: $id})
		DETACH DELETE s
		RETURN count(*)`, map[string]any{"id": name})
	if err != nil {
		return codeDriverError("delete schedule "+name, err)
	}
	if n, _ := single(res).(int64); n == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no schedule %q", name)
	}
	return nil
}

// StartScheduleRun records run as running, fenced by its lease: it succeeds
// only while lease (run.Schedule, run.Holder, run.LeaseToken) is current.
// Runs of the schedule still marked running under an older token (their
// holder crashed or lost the lease) are marked abandoned in the same
// transaction. ECONFLICT when the lease has been lost.
func (s *Store) StartScheduleRun(ctx context.Context, run probity.ScheduleRun) error {
	err := s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		if err := holding(ctx, tx, LabelLease, probity.Lease{Name: run.Schedule, Holder: run.Holder, Token: run.LeaseToken}); err != nil {
			return err
		}
		_, err := tx.Run(ctx, `MATCH (old:ScheduleRun {schedule: $schedule, status: 'running'}) WHERE old.leaseToken < $token
			SET old.status = 'abandoned', old.endedAt = $startedAt,
			    old.error = 'its instance stopped or lost the lease; another took over'
			WITH count(*) AS abandoned
			CREATE (r:ScheduleRun {id: $id, schedule: $schedule, trigger: $trigger, cron: $cron, slot: $slot, holder: $holder,
			        startedAt: $startedAt, status: 'running', leaseToken: $token})`, map[string]any{
			"id": run.ID, "schedule": run.Schedule, "trigger": run.Trigger, "cron": stringOrNull(run.Cron), "slot": timeOrNull(run.Slot),
			"holder": run.Holder, "startedAt": run.StartedAt.UTC(), "token": run.LeaseToken,
		})
		return err
	})
	if probity.ErrorCode(err) == probity.ECONFLICT {
		return probity.Errorf(probity.ECONFLICT, "lease of %q lost (token %d)", run.Schedule, run.LeaseToken)
	}
	return codeDriverError("start run of "+run.Schedule, err)
}

// FinishScheduleRun records the end of run and, in the same transaction and
// only while its lease token is current, updates the schedule (lastRunAt =
// run.EndedAt, lastResult, and nextRunAt = next unless next is zero (an
// interrupted run: its slot and its request stay), a run was requested
// after this one started (it stays due) or the cron is no longer
// run.Cron (edited during the run: the edit's slot stays); else the
// request this run answered is cleared; a schedule
// removed during the run is noted in the run's error) and releases the
// lease. When the lease has been lost the run is marked fenced, the
// schedule is left alone and the error is ECONFLICT.
func (s *Store) FinishScheduleRun(ctx context.Context, run probity.ScheduleRun, lastResult string, next time.Time) error {
	params := map[string]any{
		"id": run.ID, "schedule": run.Schedule,
		"endedAt": run.EndedAt.UTC(), "status": run.Status, "error": stringOrNull(run.Error), "scanRunId": stringOrNull(run.ScanRunID),
		"newFlags": int64(run.NewFlags), "lastResult": lastResult, "next": timeOrNull(next), "startedAt": run.StartedAt.UTC(),
		"cron": stringOrNull(run.Cron),
	}
	fenced := false
	err := s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		released, err := s.releaseLease(ctx, tx, LabelLease, probity.Lease{Name: run.Schedule, Holder: run.Holder, Token: run.LeaseToken})
		if err != nil {
			return err
		}
		fenced = true
		if released {
			// The lease was ours to the end: the run stands, whether or not
			// its schedule was removed meanwhile (then it says so).
			_, err := tx.Run(ctx, `MATCH (r:ScheduleRun {id: $id})
				OPTIONAL MATCH (s:Schedule {id: $schedule})
				SET r.endedAt = $endedAt, r.status = $status, r.scanRunId = $scanRunId, r.newFlags = $newFlags, r.cron = coalesce($cron, r.cron),
				    r.error = CASE WHEN s IS NULL THEN coalesce($error + '; ', '') + 'its schedule was removed during the run' ELSE $error END
				WITH s WHERE s IS NOT NULL
				// a run requested while this one ran stays due; one requested
				// before it started is done; a cron changed during the run
				// keeps the slot its change gave (next is of the old cron)
				SET s.lastRunAt = $endedAt, s.lastResult = $lastResult,
				    s.nextRunAt = CASE WHEN s.requestedAt > $startedAt THEN s.requestedAt
				                       WHEN $cron IS NOT NULL AND s.cron <> $cron THEN s.nextRunAt
				                       ELSE coalesce($next, s.nextRunAt) END
				WITH s
				SET s.requestedAt = CASE WHEN s.requestedAt > $startedAt OR $next IS NULL THEN s.requestedAt END`, params)
			if err == nil {
				fenced = false
			}
			return err
		}
		_, err = tx.Run(ctx, `MATCH (r:ScheduleRun {id: $id})
			SET r.endedAt = $endedAt, r.status = 'fenced', r.scanRunId = $scanRunId,
			    r.error = 'lease lost before the end: result not applied (' + $status + coalesce(': ' + $error, '') + ')'`, params)
		return err
	})
	if err != nil {
		return codeDriverError("finish run of "+run.Schedule, err)
	}
	if fenced {
		return probity.Errorf(probity.ECONFLICT, "lease of %q lost (token %d): run %s fenced", run.Schedule, run.LeaseToken, run.ID)
	}
	return nil
}

// ScheduleRuns returns the latest runs of one schedule (all schedules when
// name is empty), newest first, at most limit (1..1000, default 50).
func (s *Store) ScheduleRuns(ctx context.Context, name string, limit int) ([]probity.ScheduleRun, error) {
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	res, err := s.read(ctx, `MATCH (r:ScheduleRun) WHERE $name = '' OR r.schedule = $name
		RETURN r.id, r.schedule, r.trigger, r.slot, r.holder, r.startedAt, r.endedAt, r.status,
		       r.error, r.scanRunId, r.newFlags, r.leaseToken, r.cron
		ORDER BY r.startedAt DESC, r.leaseToken DESC LIMIT $limit`,
		map[string]any{"name": name, "limit": int64(limit)})
	if err != nil {
		return nil, codeDriverError("schedule runs", err)
	}
	out := make([]probity.ScheduleRun, 0, len(res.Records))
	for _, rec := range res.Records {
		v := rec.Values
		r := probity.ScheduleRun{Slot: storedTime(v[3]), StartedAt: storedTime(v[5]), EndedAt: storedTime(v[6])}
		r.ID, _ = v[0].(string)
		r.Schedule, _ = v[1].(string)
		r.Trigger, _ = v[2].(string)
		r.Cron, _ = v[12].(string)
		r.Holder, _ = v[4].(string)
		r.Status, _ = v[7].(string)
		r.Error, _ = v[8].(string)
		r.ScanRunID, _ = v[9].(string)
		n, _ := v[10].(int64)
		r.NewFlags = int(n)
		r.LeaseToken, _ = v[11].(int64)
		out = append(out, r)
	}
	return out, nil
}

// Webhooks returns every webhook, secrets included (callers showing them to
// people must blank Secret).
func (s *Store) Webhooks(ctx context.Context) ([]probity.Webhook, error) {
	res, err := s.read(ctx, `MATCH (w:Webhook) RETURN w.id, w.url, w.secret, w.minScore, w.enabled ORDER BY w.id`, nil)
	if err != nil {
		return nil, codeDriverError("webhooks", err)
	}
	out := make([]probity.Webhook, 0, len(res.Records))
	for _, rec := range res.Records {
		v := rec.Values
		w := probity.Webhook{}
		w.ID, _ = v[0].(string)
		w.URL, _ = v[1].(string)
		w.Secret, _ = v[2].(string)
		w.MinScore, _ = v[3].(float64)
		w.Enabled, _ = v[4].(bool)
		out = append(out, w)
	}
	return out, nil
}

// CreateWebhook stores a validated webhook. ECONFLICT if the id is taken.
func (s *Store) CreateWebhook(ctx context.Context, w probity.Webhook) error {
	res, err := s.write(ctx, `MERGE (w:Webhook {id: $id})
		ON CREATE SET w.new = true, w.url = $url, w.secret = $secret, w.minScore = $minScore,
		   w.enabled = $enabled, w.createdAt = datetime()
		WITH w, w.new IS NOT NULL AS created
		REMOVE w.new
		RETURN created`, map[string]any{"id": w.ID, "url": w.URL, "secret": w.Secret, "minScore": w.MinScore, "enabled": w.Enabled})
	if err != nil {
		return codeDriverError("create webhook", err)
	}
	if single(res) != true {
		return probity.Errorf(probity.ECONFLICT, "webhook %q exists", w.ID)
	}
	return nil
}

// DeleteWebhook removes a webhook; its delivery log stays. ENOTFOUND if none.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	res, err := s.write(ctx, `MATCH (w:Webhook {id: $id}) DETACH DELETE w RETURN count(*)`, map[string]any{"id": id})
	if err != nil {
		return codeDriverError("delete webhook "+id, err)
	}
	if n, _ := single(res).(int64); n == 0 {
		return probity.Errorf(probity.ENOTFOUND, "no webhook %q", id)
	}
	return nil
}

// RecordDelivery appends one delivery attempt to the log.
func (s *Store) RecordDelivery(ctx context.Context, d probity.WebhookDelivery) error {
	_, err := s.write(ctx, `CREATE (:WebhookDelivery {id: $id, deliveryId: $deliveryId, webhook: $webhook,
		flagId: $flagId, attempt: $attempt, status: $status, httpStatus: $httpStatus, error: $error, at: $at})`,
		map[string]any{"id": d.ID, "deliveryId": d.DeliveryID, "webhook": d.Webhook, "flagId": d.FlagID,
			"attempt": int64(d.Attempt), "status": d.Status, "httpStatus": int64(d.HTTPStatus), "error": stringOrNull(d.Error), "at": d.At.UTC()})
	return codeDriverError("record delivery", err)
}

// UndeliveredFlags returns the alerts a webhook has not had since since:
// flags whose delivery gave up because the receiver was down (not because
// it refused them), or whose last attempt failed before stale and none
// followed (the instance sending it was killed between two attempts;
// alertZ), and never succeeded; and flags raised since the webhook
// was added that no run tried to send (a scan by probity scan or runScan
// alerts nobody, and a run cut short may not have listed its flags;
// schedW). Only flags still current and open (new or in review) that
// score at least minScore now (a rescan may have lowered a score since
// the first try; secH), or hits of the tripwire, best first, at most limit.
func (s *Store) UndeliveredFlags(ctx context.Context, webhookID string, since, stale time.Time, minScore float64, limit int) ([]probity.Flag, error) {
	res, err := s.read(ctx, `MATCH (w:Webhook {id: $webhook})
		WITH w, COLLECT { MATCH (d:WebhookDelivery {webhook: $webhook}) WHERE d.at >= $since RETURN d } AS ds
		CALL (w, ds) {
		  // given up on a receiver that was down (no answer, 5xx, 408, 429),
		  // never on one that refused it (another 3xx or 4xx), never delivered
		  UNWIND ds AS d
		  WITH d.flagId AS id, collect(d) AS tried
		  WHERE none(x IN tried WHERE x.status = 'ok')
		    AND none(x IN tried WHERE x.status = 'gave_up' AND x.httpStatus >= 300 AND x.httpStatus < 500 AND NOT x.httpStatus IN [408, 429])
		    AND (any(x IN tried WHERE x.status = 'gave_up') OR all(x IN tried WHERE x.at < $stale))
		  RETURN id
		  UNION
		  // never tried
		  WITH w, [d IN ds | d.flagId] AS tried
		  MATCH (f:Flag) WHERE f.firstSeen >= $since AND f.firstSeen >= coalesce(w.createdAt, datetime())
		    AND NOT f.id IN tried
		  RETURN f.id AS id
		}
		MATCH (f:Flag {id: id}) WHERE f.status IN ['new', 'in_review'] AND `+currentFlag+`
		  AND (f.score >= $minScore OR f.pattern = $tripwire)
		RETURN f.id, f.pattern, f.officerId, f.score ORDER BY f.score DESC, f.id LIMIT $limit`,
		map[string]any{"webhook": webhookID, "since": since.UTC(), "stale": stale.UTC(), "minScore": minScore, "tripwire": PatTripwire, "limit": int64(limit)})
	if err != nil {
		return nil, codeDriverError("undelivered alerts", err)
	}
	out := make([]probity.Flag, 0, len(res.Records))
	for _, r := range res.Records {
		out = append(out, probity.Flag{ID: str(r.Values[0]), Pattern: str(r.Values[1]), OfficerID: str(r.Values[2]), Score: num(r.Values[3])})
	}
	return out, nil
}

// WebhookDeliveries returns the latest delivery attempts to one webhook
// (all when webhookID is empty), newest first, at most limit (default 50).
func (s *Store) WebhookDeliveries(ctx context.Context, q probity.DeliveryQuery) ([]probity.WebhookDelivery, error) {
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	res, err := s.read(ctx, `MATCH (d:WebhookDelivery) WHERE ($webhook = '' OR d.webhook = $webhook)
		AND ($hide = '' OR EXISTS { MATCH (f:Flag {id: d.flagId}) WHERE NOT `+flagHidden("f")+` })
		RETURN d.id, d.deliveryId, d.webhook, d.flagId, d.attempt, d.status, d.httpStatus, d.error, d.at
		ORDER BY d.at DESC, d.attempt DESC LIMIT $limit`, map[string]any{"webhook": q.Webhook, "hide": q.HideOfficer, "limit": int64(limit)})
	if err != nil {
		return nil, codeDriverError("webhook deliveries", err)
	}
	out := make([]probity.WebhookDelivery, 0, len(res.Records))
	for _, rec := range res.Records {
		v := rec.Values
		d := probity.WebhookDelivery{At: storedTime(v[8])}
		d.ID, _ = v[0].(string)
		d.DeliveryID, _ = v[1].(string)
		d.Webhook, _ = v[2].(string)
		d.FlagID, _ = v[3].(string)
		a, _ := v[4].(int64)
		d.Attempt = int(a)
		d.Status, _ = v[5].(string)
		h, _ := v[6].(int64)
		d.HTTPStatus = int(h)
		d.Error, _ = v[7].(string)
		out = append(out, d)
	}
	return out, nil
}

// CountFlagsByPatternStatus counts the current flags (not superseded, not
// cleared: those the queue holds) per (pattern, status) for the metrics
// gauge.
func (s *Store) CountFlagsByPatternStatus(ctx context.Context) ([]probity.FlagCount, error) {
	res, err := s.read(ctx, `MATCH (f:Flag) WHERE `+currentFlag+` RETURN coalesce(f.pattern, '') AS pattern,
		coalesce(f.status, '') AS status, count(*) AS n ORDER BY pattern, status`, nil)
	if err != nil {
		return nil, codeDriverError("flag counts", err)
	}
	out := make([]probity.FlagCount, 0, len(res.Records))
	for _, rec := range res.Records {
		c := probity.FlagCount{}
		c.Pattern, _ = rec.Values[0].(string)
		c.Status, _ = rec.Values[1].(string)
		c.Count, _ = rec.Values[2].(int64)
		out = append(out, c)
	}
	return out, nil
}

// stringOrNull stores the empty string as null (absent).
func stringOrNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
