package probity

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Labels of the scheduler's records (the Schedule label is above).
const (
	LabelScheduleRun = "ScheduleRun"
)

// Schedule is a named cron job that runs the pattern library, stored as a
// (:Schedule {id: Name}) node. Patterns empty means all patterns.
type Schedule struct {
	Name        string // unique; also the id of its lease
	Cron        string // standard 5-field cron or a descriptor (@hourly, @every 15m), evaluated in UTC
	Patterns    []string
	Incremental bool
	Enabled     bool
	Timeout     time.Duration // deadline of one run (stored as timeoutSeconds)
	LastRunAt   time.Time     // end of the last finished run; zero if never run
	LastResult  string        // "ok", or "failed: reason", "timeout: ..."
	NextRunAt   time.Time     // the next slot; zero until the scheduler computes it
	RequestedAt time.Time     // a run asked for now (runSchedule) and not yet started; its run is manual:NAME
}

// ScheduleEdit changes the schedule of its name: the cron always, and
// each other field given; a nil one keeps the schedule's value (an edit of
// the cron does not enable a disabled schedule nor reset its time-out:
// docsJ L9). Patterns of length 0 is every pattern.
type ScheduleEdit struct {
	Name, Cron  string
	Patterns    *[]string
	Incremental *bool
	Enabled     *bool
	Timeout     *time.Duration
}

// Apply returns s with e's changes.
func (e ScheduleEdit) Apply(s Schedule) Schedule {
	s.Cron = e.Cron
	if e.Patterns != nil {
		s.Patterns = append([]string{}, *e.Patterns...)
	}
	if e.Incremental != nil {
		s.Incremental = *e.Incremental
	}
	if e.Enabled != nil {
		s.Enabled = *e.Enabled
	}
	if e.Timeout != nil {
		s.Timeout = *e.Timeout
	}
	return s
}

// Describe says the schedule for the audit log: name, cron, patterns,
// mode, enabled state and time-out (0: the default).
func (s Schedule) Describe() string {
	return fmt.Sprintf("%s (%s, patterns %s, incremental %v, enabled %v, timeout %s)", s.Name, s.Cron, patternList(s.Patterns), s.Incremental, s.Enabled, timeoutText(s.Timeout))
}

// Describe says the change for the audit log: the name, the cron, and
// each field given.
func (e ScheduleEdit) Describe() string {
	parts := []string{e.Cron}
	if e.Patterns != nil {
		parts = append(parts, "patterns "+patternList(*e.Patterns))
	}
	if e.Incremental != nil {
		parts = append(parts, fmt.Sprintf("incremental %v", *e.Incremental))
	}
	if e.Enabled != nil {
		parts = append(parts, fmt.Sprintf("enabled %v", *e.Enabled))
	}
	if e.Timeout != nil {
		parts = append(parts, "timeout "+timeoutText(*e.Timeout))
	}
	return fmt.Sprintf("%s (%s; the rest kept)", e.Name, strings.Join(parts, ", "))
}

func patternList(ps []string) string {
	if len(ps) == 0 {
		return "all"
	}
	return strings.Join(ps, ",")
}

func timeoutText(t time.Duration) string {
	if t == 0 {
		return "default"
	}
	return t.String()
}

// Run statuses of a ScheduleRun.
const (
	RunRunning   = "running"
	RunOK        = "ok"
	RunFailed    = "failed"
	RunTimeout   = "timeout"
	RunAbandoned = "abandoned" // its holder died or lost the lease; another instance took over
	RunFenced    = "fenced"    // finished after losing its lease; its result was not applied
)

// ScheduleRun is one execution of a schedule, kept as run history.
type ScheduleRun struct {
	ID         string
	Schedule   string
	Trigger    string    // "schedule:NAME" or "manual:NAME"
	Cron       string    // the schedule's cron as the run read it, when it began and again when it ended: the next slot it sets is of this cron
	Slot       time.Time // the nextRunAt this run served (zero for a manual run that was not due)
	Holder     string    // the instance that ran it
	StartedAt  time.Time
	EndedAt    time.Time
	Status     string // Run* above
	Error      string
	ScanRunID  string
	NewFlags   int
	LeaseToken int64 // fencing token of the lease it ran under
}

// Lease is the right of one holder at a time to do one thing: to run one
// schedule (a (:Lease {id: schedule name}) node) or to write a load (a
// (:LoadLock {id: 'load'}) node). Token increases by one at every
// acquisition and fences the holder's writes.
type Lease struct {
	Name      string
	Holder    string // an instance id (schedules) or a random id per load
	Host      string // host name and process id of the holder
	PID       int
	Token     int64
	Since     time.Time // when the holder took it
	ExpiresAt time.Time
}

// Webhook is an alert destination. Secret is a shared secret: Probity signs
// each delivery with HMAC-SHA256 under it and the receiver checks the
// signature, so it is stored as given and never shown again after creation.
type Webhook struct {
	ID       string
	URL      string // http or https only; configured by administrators
	Secret   string
	MinScore float64 // flags scoring below are not sent (tripwire hits always are)
	Enabled  bool
}

// Delivery statuses of a WebhookDelivery attempt.
const (
	DeliveryOK     = "ok"
	DeliveryFailed = "failed" // this attempt failed; another may follow
	DeliveryGaveUp = "gave_up"
)

// WebhookDelivery is one attempt to deliver one alert to one webhook.
type WebhookDelivery struct {
	ID         string // DeliveryID + "/" + a sending's random part + "/" + attempt
	DeliveryID string // the same for every attempt of one alert, in every run that sends it
	Webhook    string
	FlagID     string
	Attempt    int
	Status     string
	HTTPStatus int
	Error      string
	At         time.Time
}

// DeliveryQuery selects the delivery log's newest attempts.
type DeliveryQuery struct {
	Webhook string // one webhook's id; "" for all
	Limit   int    // 1..1000; 50 when out of that range
	// HideOfficer leaves out, when not "", the alerts of flags about that
	// officer (flagged or in the evidence), for a token tied to them: each
	// tells of a case they may not see (secK H1), and those of flags the
	// store does not hold, which it cannot tell about (reviewG L2). The
	// page is still full.
	HideOfficer string
}

// FlagCount is the number of flags of one pattern in one status.
type FlagCount struct {
	Pattern, Status string
	Count           int64
}

// ScheduleService manages schedules, their history and webhooks with the
// domain types above. cmd/probity plugs an implementation into the API.
// Errors: EINVALID for a bad cron expression or URL, ENOTFOUND for an
// unknown name, ECONFLICT for a duplicate name.
type ScheduleService interface {
	Schedules(ctx context.Context) ([]Schedule, error)
	AddSchedule(ctx context.Context, s Schedule) (Schedule, error)
	// UpdateSchedule changes an existing schedule as e says (its cron, and
	// the patterns, mode, enabled state and time-out given), keeping its
	// history (ENOTFOUND).
	UpdateSchedule(ctx context.Context, e ScheduleEdit) (Schedule, error)
	RemoveSchedule(ctx context.Context, name string) error
	EnableSchedule(ctx context.Context, name string, enabled bool) error
	// RequestRun makes the schedule due now; a running scheduler picks it
	// up within its poll interval.
	RequestRun(ctx context.Context, name string) error
	ScheduleRuns(ctx context.Context, name string, limit int) ([]ScheduleRun, error)
	Webhooks(ctx context.Context) ([]Webhook, error)
	AddWebhook(ctx context.Context, w Webhook) (Webhook, error)
	RemoveWebhook(ctx context.Context, id string) error
	WebhookDeliveries(ctx context.Context, q DeliveryQuery) ([]WebhookDelivery, error)
}
