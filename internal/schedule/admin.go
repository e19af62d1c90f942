package schedule

import (
	"context"
	"time"

	"probity"
)

// AdminStore is what Admin needs of the database; *graph.Store implements it.
type AdminStore interface {
	Schedules(ctx context.Context) ([]probity.Schedule, error)
	ScheduleByName(ctx context.Context, name string) (probity.Schedule, error)
	CreateSchedule(ctx context.Context, s probity.Schedule) error
	UpdateSchedule(ctx context.Context, e probity.ScheduleEdit, next time.Time) error
	DeleteSchedule(ctx context.Context, name string) error
	SetScheduleEnabled(ctx context.Context, name string, enabled bool, next time.Time) error
	RequestRun(ctx context.Context, name string, now time.Time) error
	ScheduleRuns(ctx context.Context, name string, limit int) ([]probity.ScheduleRun, error)
	Webhooks(ctx context.Context) ([]probity.Webhook, error)
	CreateWebhook(ctx context.Context, w probity.Webhook) error
	DeleteWebhook(ctx context.Context, id string) error
	WebhookDeliveries(ctx context.Context, q probity.DeliveryQuery) ([]probity.WebhookDelivery, error)
	PatternLibrary() []probity.PatternInfo
}

// Admin implements probity.ScheduleService over an AdminStore: it validates
// cron expressions and URLs, computes the first slot and generates webhook
// ids and secrets. The CLI and the API both use it.
type Admin struct {
	Store AdminStore
	Now   func() time.Time // default time.Now
}

var _ probity.ScheduleService = (*Admin)(nil)

func (a *Admin) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

// Schedules lists every schedule.
func (a *Admin) Schedules(ctx context.Context) ([]probity.Schedule, error) {
	return a.Store.Schedules(ctx)
}

// AddSchedule validates s (EINVALID: its name, cron, timeout, and patterns
// that are not in the library, so that a typo is found now and not at the
// first run), fills in its timeout and first slot and stores it (ECONFLICT
// if the name is taken).
func (a *Admin) AddSchedule(ctx context.Context, s probity.Schedule) (probity.Schedule, error) {
	s, err := a.check(s)
	if err != nil {
		return s, err
	}
	s.LastRunAt, s.LastResult = time.Time{}, ""
	return s, a.Store.CreateSchedule(ctx, s)
}

// check validates s and its patterns, and fills in its timeout and first
// slot (Validate).
func (a *Admin) check(s probity.Schedule) (probity.Schedule, error) {
	s, err := Validate(s, a.now())
	if err != nil {
		return s, err
	}
	for _, p := range s.Patterns {
		if err := probity.CheckPattern(a.Store.PatternLibrary(), p); err != nil {
			return s, err
		}
	}
	return s, nil
}

// UpdateSchedule changes the schedule of e's name (ENOTFOUND) as e says and
// checks the result as AddSchedule does; its next slot is the new cron's
// first after now, and its run history and last result stay (adminB:
// changing a cron meant remove and add).
func (a *Admin) UpdateSchedule(ctx context.Context, e probity.ScheduleEdit) (probity.Schedule, error) {
	// what is given is checked as an add checks it, and kept as it checked
	// (patterns once each, the time-out to the second); the store keeps
	// the rest in the statement that writes (reviewH M1)
	s, err := a.check(e.Apply(probity.Schedule{Name: e.Name}))
	if err != nil {
		return s, err
	}
	if e.Patterns != nil {
		e.Patterns = &s.Patterns
	}
	if e.Timeout != nil {
		e.Timeout = &s.Timeout
	}
	if err := a.Store.UpdateSchedule(ctx, e, s.NextRunAt); err != nil {
		return s, err
	}
	return a.Store.ScheduleByName(ctx, e.Name)
}

// RemoveSchedule deletes a schedule (ENOTFOUND); its history stays.
func (a *Admin) RemoveSchedule(ctx context.Context, name string) error {
	return a.Store.DeleteSchedule(ctx, name)
}

// EnableSchedule enables or disables a schedule (ENOTFOUND). A schedule
// enabled again whose next slot has passed gets the first slot after now:
// the slots missed while it was disabled are not caught up (enabling the
// nightly full scan at noon does not start it at once).
func (a *Admin) EnableSchedule(ctx context.Context, name string, enabled bool) error {
	var next time.Time
	if enabled {
		s, err := a.Store.ScheduleByName(ctx, name)
		if err != nil {
			return err
		}
		if now := a.now(); !s.Enabled && !s.NextRunAt.After(now) {
			if next, err = NextRun(s.Cron, now); err != nil {
				return err
			}
		}
	}
	return a.Store.SetScheduleEnabled(ctx, name, enabled, next)
}

// RequestRun makes a schedule due now (ENOTFOUND); whichever scheduler
// instance polls first runs it.
func (a *Admin) RequestRun(ctx context.Context, name string) error {
	return a.Store.RequestRun(ctx, name, a.now())
}

// ScheduleRuns returns recent runs of one schedule, or of all when name is
// empty, newest first.
func (a *Admin) ScheduleRuns(ctx context.Context, name string, limit int) ([]probity.ScheduleRun, error) {
	return a.Store.ScheduleRuns(ctx, name, limit)
}

// Webhooks lists the webhooks with their secrets blanked.
func (a *Admin) Webhooks(ctx context.Context) ([]probity.Webhook, error) {
	ws, err := a.Store.Webhooks(ctx)
	for i := range ws {
		ws[i].Secret = ""
	}
	return ws, err
}

// AddWebhook validates w (an http/https URL, 0 ≤ MinScore ≤ 1; EINVALID),
// gives it an id and, if it has none, a random 32-byte secret, and stores
// it. The returned webhook carries the secret: the only time it is shown.
func (a *Admin) AddWebhook(ctx context.Context, w probity.Webhook) (probity.Webhook, error) {
	if err := ValidateWebhookURL(w.URL); err != nil {
		return w, err
	}
	if w.MinScore < 0 || w.MinScore > 1 {
		return w, probity.Errorf(probity.EINVALID, "minScore %v: want 0..1", w.MinScore)
	}
	if w.Secret == "" {
		w.Secret = randomHex(32)
	} else if len(w.Secret) < 16 {
		return w, probity.Errorf(probity.EINVALID, "webhook secret: want at least 16 characters")
	}
	if w.ID == "" {
		w.ID = "wh-" + randomHex(4)
	}
	return w, a.Store.CreateWebhook(ctx, w)
}

// RemoveWebhook deletes a webhook (ENOTFOUND); its delivery log stays.
func (a *Admin) RemoveWebhook(ctx context.Context, id string) error {
	return a.Store.DeleteWebhook(ctx, id)
}

// WebhookDeliveries returns recent delivery attempts, newest first.
func (a *Admin) WebhookDeliveries(ctx context.Context, q probity.DeliveryQuery) ([]probity.WebhookDelivery, error) {
	return a.Store.WebhookDeliveries(ctx, q)
}
