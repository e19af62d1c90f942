package schedule

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"probity"
)

// parser accepts standard five-field cron expressions (minute hour
// day-of-month month day-of-week), descriptors (@hourly, @daily, @every 15m)
// and an optional CRON_TZ=Zone prefix. Without a zone, times are UTC.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseCron checks a cron expression. EINVALID with the parser's reason.
func ParseCron(expr string) (cron.Schedule, error) {
	expr = strings.TrimSpace(expr)
	if (strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ=")) && !strings.Contains(expr, " ") {
		return nil, probity.Errorf(probity.EINVALID, "cron %q: a zone prefix needs an expression after it", expr)
	}
	// The parser takes @every with any duration, 0 and negative ones
	// too, as 1s: a run every second is the most a schedule may ask for.
	if _, every, ok := strings.Cut(expr, "@every "); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(every)); err == nil && d < time.Second {
			return nil, probity.Errorf(probity.EINVALID, "cron %q: @every needs at least 1s", expr)
		}
	}
	s, err := parser.Parse(expr)
	if err != nil {
		// the parser's own words, less its Go ones ("strconv.Atoi: parsing
		// \"a\": invalid syntax" for a letter: fuzzG)
		why := err.Error()
		if strings.Contains(why, "strconv.") {
			why = "a field holds something other than numbers, names of months or days, *, -, / and ,"
		}
		return nil, probity.Errorf(probity.EINVALID, "cron %q: %s (five fields: minute hour day-of-month month day-of-week, or @daily, @every 1h...)", expr, why)
	}
	if err := checkSteps(expr); err != nil {
		return nil, err
	}
	return s, nil
}

// fieldSpans are the number of values of the five fields.
var fieldSpans = [5]struct {
	name string
	span int
}{{"minute", 60}, {"hour", 24}, {"day of month", 31}, {"month", 12}, {"day of week", 7}}

// checkSteps refuses a step as large as its field (*/61 in the minutes):
// the parser takes it, and it fires once an hour, which whoever wrote it
// did not mean (schedW).
func checkSteps(expr string) error {
	fields := strings.Fields(expr)
	if len(fields) > 0 && strings.Contains(fields[0], "TZ=") {
		fields = fields[1:]
	}
	if len(fields) != 5 {
		return nil // a descriptor
	}
	for i, f := range fields {
		for _, part := range strings.Split(f, ",") {
			_, step, ok := strings.Cut(part, "/")
			if n, err := strconv.Atoi(step); ok && err == nil && n >= fieldSpans[i].span {
				return probity.Errorf(probity.EINVALID, "cron %q: a step of %d in the %s field (%d values) fires once, at its start: write that value instead",
					expr, n, fieldSpans[i].name, fieldSpans[i].span)
			}
		}
	}
	return nil
}

// NextRun returns the first slot of expr strictly after t, in UTC.
func NextRun(expr string, t time.Time) (time.Time, error) {
	s, err := ParseCron(expr)
	if err != nil {
		return time.Time{}, err
	}
	next := s.Next(t.UTC())
	if next.IsZero() {
		return time.Time{}, probity.Errorf(probity.EINVALID, "cron %q never fires", expr)
	}
	return next.UTC(), nil
}

// DefaultSchedules are created when the database has no schedule at all:
// an incremental scan of every pattern every 15 minutes and a full scan
// every night at 02:00 UTC.
func DefaultSchedules() []probity.Schedule {
	return []probity.Schedule{
		{Name: "incremental", Cron: "*/15 * * * *", Incremental: true, Enabled: true, Timeout: 10 * time.Minute},
		{Name: "nightly", Cron: "0 2 * * *", Incremental: false, Enabled: true, Timeout: 2 * time.Hour},
	}
}

// DefaultTimeout is the deadline of a run whose schedule sets none.
const DefaultTimeout = 30 * time.Minute

var (
	nameRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	patternRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
)

// Validate checks a schedule and fills in defaults: a Timeout of zero
// becomes DefaultTimeout and NextRunAt the first slot after now. EINVALID.
func Validate(s probity.Schedule, now time.Time) (probity.Schedule, error) {
	if !nameRE.MatchString(s.Name) {
		return s, probity.Errorf(probity.EINVALID, "schedule name %q: use 1-64 of a-z, 0-9, '-' and '_'", s.Name)
	}
	var patterns []string // each once, in the order given (fuzzG: kept three times)
	for _, p := range s.Patterns {
		if !patternRE.MatchString(p) {
			return s, probity.Errorf(probity.EINVALID, "pattern name %q", p)
		}
		if !slices.Contains(patterns, p) {
			patterns = append(patterns, p)
		}
	}
	s.Patterns = patterns
	if s.Timeout < 0 || s.Timeout > 24*time.Hour || s.Timeout > 0 && s.Timeout < time.Second {
		return s, probity.Errorf(probity.EINVALID, "timeout %s: want 1s to 24h (0: the default, %s)", s.Timeout, DefaultTimeout)
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	s.Timeout = s.Timeout.Truncate(time.Second)
	if s.Timeout == 0 {
		s.Timeout = time.Second
	}
	next, err := NextRun(s.Cron, now)
	if err != nil {
		return s, err
	}
	s.NextRunAt = next
	return s, nil
}

// trigger is the ScanRequest.Trigger and ScheduleRun.Trigger of a run.
func trigger(kind, name string) string { return fmt.Sprintf("%s:%s", kind, name) }
