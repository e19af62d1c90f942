package schedule

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"probity"
)

// Metrics are the scheduler's Prometheus collectors. A nil *Metrics
// records nothing.
//
//	probity_schedule_runs_started_total{schedule}
//	probity_schedule_runs_total{schedule,status}            status: ok, failed, timeout, fenced
//	probity_schedule_run_failures_total{schedule}           every status but ok
//	probity_schedule_run_duration_seconds{schedule}         histogram
//	probity_schedule_last_success_timestamp_seconds{schedule}
//	probity_schedule_leases_lost_total{schedule}
//	probity_scan_new_flags_total{pattern}                   flags created by scheduled runs
//	probity_webhook_deliveries_total{webhook,status}        status: ok, failed (will retry), gave_up
//	probity_flags{pattern,status}                           gauge, counted at scrape time
//	probity_flags_count_errors_total                        scrapes where counting failed
type Metrics struct {
	started     *prometheus.CounterVec
	runs        *prometheus.CounterVec
	failures    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	lastSuccess *prometheus.GaugeVec
	enabled     *prometheus.GaugeVec
	lost        *prometheus.CounterVec
	newFlags    *prometheus.CounterVec
	deliveries  *prometheus.CounterVec
	seeded      sync.Map // schedule names whose lastSuccess was seeded from the store
	listed      sync.Map // schedule names seen at a poll, whose series forget drops when they go
}

// FlagCounter counts flags by pattern and status at scrape time
// (graph.Store.CountFlagsByPatternStatus).
type FlagCounter func(ctx context.Context) ([]probity.FlagCount, error)

// NewMetrics registers the collectors with reg. With flagCounts set it also
// registers the probity_flags gauge, which calls flagCounts (within 5s) at
// every scrape.
func NewMetrics(reg prometheus.Registerer, flagCounts FlagCounter) (*Metrics, error) {
	m := &Metrics{
		started: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "probity_schedule_runs_started_total",
			Help: "Scheduled or manual runs started by this instance."}, []string{"schedule"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "probity_schedule_runs_total",
			Help: "Runs finished by this instance, by outcome."}, []string{"schedule", "status"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "probity_schedule_run_failures_total",
			Help: "Runs that did not end ok (failed, timeout, fenced)."}, []string{"schedule"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "probity_schedule_run_duration_seconds",
			Help:    "Duration of runs, scan and alerts included.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200}}, []string{"schedule"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "probity_schedule_last_success_timestamp_seconds",
			Help: "End of the last ok run: finished by this instance, or stored when it first saw the schedule (0: its last stored run failed) (Unix seconds)."}, []string{"schedule"}),
		enabled: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "probity_schedule_enabled",
			Help: "1 for a schedule that runs on its cron, 0 for one disabled (an alert on the age of its last success leaves those out)."}, []string{"schedule"}),
		lost: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "probity_schedule_leases_lost_total",
			Help: "Runs whose lease was taken over before they finished."}, []string{"schedule"}),
		newFlags: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "probity_scan_new_flags_total",
			Help: "Flags created by scheduled runs of this instance."}, []string{"pattern"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "probity_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by outcome."}, []string{"webhook", "status"}),
	}
	cs := []prometheus.Collector{m.started, m.runs, m.failures, m.duration, m.lastSuccess, m.enabled, m.lost, m.newFlags, m.deliveries}
	if flagCounts != nil {
		cs = append(cs, newFlagGauge(flagCounts))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) startedRun(name string) {
	if m != nil {
		m.started.WithLabelValues(name).Inc()
	}
}

func (m *Metrics) finished(name, status string, took time.Duration, flags []AlertFlag) {
	if m == nil {
		return
	}
	m.runs.WithLabelValues(name, status).Inc()
	m.duration.WithLabelValues(name).Observe(took.Seconds())
	for _, f := range flags {
		m.newFlags.WithLabelValues(f.Pattern).Inc()
	}
	if status == probity.RunOK {
		m.lastSuccess.WithLabelValues(name).SetToCurrentTime()
	} else {
		m.failures.WithLabelValues(name).Inc()
	}
}

// seed gives a schedule's lastSuccess series a value the first time this
// instance sees the schedule, from its stored last run: the end of that
// run if it was ok, else 0 (no success known). Without it the series
// appeared only after this instance's first ok run, so an alert on its age
// could never fire for a schedule that fails on every run since a restart.
// A schedule that never ran gets no series yet.
func (m *Metrics) seed(sc probity.Schedule) {
	if m == nil {
		return
	}
	// at every poll: a schedule disabled since is left out of the staleness
	// alert (opsX L6: its frozen last success fired it for ever)
	on := 0.0
	if sc.Enabled {
		on = 1
	}
	m.enabled.WithLabelValues(sc.Name).Set(on)
	m.listed.Store(sc.Name, true)
	if sc.LastRunAt.IsZero() {
		return
	}
	if _, done := m.seeded.LoadOrStore(sc.Name, true); done {
		return
	}
	v := 0.0
	if sc.LastResult == probity.RunOK {
		v = float64(sc.LastRunAt.UnixNano()) / 1e9
	}
	m.lastSuccess.WithLabelValues(sc.Name).Set(v)
}

// forget drops the gauges of schedules no longer listed (removed): their
// enabled 1 and frozen last success fired the staleness alert until the
// process restarted (reviewN M4).
func (m *Metrics) forget(listed []probity.Schedule) {
	if m == nil {
		return
	}
	now := map[string]bool{}
	for _, sc := range listed {
		now[sc.Name] = true
	}
	m.listed.Range(func(k, _ any) bool {
		if name := k.(string); !now[name] {
			m.enabled.DeleteLabelValues(name)
			m.lastSuccess.DeleteLabelValues(name)
			m.seeded.Delete(name)
			m.listed.Delete(name)
		}
		return true
	})
}

func (m *Metrics) leaseLost(name string) {
	if m != nil {
		m.lost.WithLabelValues(name).Inc()
	}
}

func (m *Metrics) delivery(webhook, status string) {
	if m != nil {
		m.deliveries.WithLabelValues(webhook, status).Inc()
	}
}

// flagGauge is a collector that counts flags at scrape time.
type flagGauge struct {
	count  FlagCounter
	desc   *prometheus.Desc
	errors prometheus.Counter
}

func newFlagGauge(count FlagCounter) *flagGauge {
	return &flagGauge{
		count: count,
		desc:  prometheus.NewDesc("probity_flags", "Flags in the database by pattern and status.", []string{"pattern", "status"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{Name: "probity_flags_count_errors_total",
			Help: "Scrapes at which the flags could not be counted."}),
	}
}

func (g *flagGauge) Describe(ch chan<- *prometheus.Desc) {
	ch <- g.desc
	g.errors.Describe(ch)
}

func (g *flagGauge) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := g.count(ctx)
	if err != nil {
		g.errors.Inc()
	}
	for _, c := range counts {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, float64(c.Count), c.Pattern, c.Status)
	}
	g.errors.Collect(ch)
}
