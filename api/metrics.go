package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics counts GraphQL requests by operation (the root fields called,
// names from the schema) and HTTP status. Labels never hold personal data:
// no ids, variables or token names.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	auditErr prometheus.Counter
}

// newMetrics registers the API's collectors in reg (a new registry when
// nil); cmd/probity shares one registry with the scheduler's collectors.
func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "probity_graphql_requests_total",
			Help: "GraphQL requests by operation (root fields) and HTTP status.",
		}, []string{"operation", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "probity_graphql_request_duration_seconds",
			Help:    "GraphQL request duration by operation (root fields) and HTTP status.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation", "status"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "probity_graphql_errors_total",
			Help: "GraphQL errors by operation (root fields) and code (extensions.code): field errors come with HTTP 200, so the status alone hides them.",
		}, []string{"operation", "code"}),
		auditErr: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "probity_audit_append_failures_total",
			Help: "Responses withheld because their audit event could not be written.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.errors, m.auditErr, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(op string, status int, d time.Duration) {
	s := strconv.Itoa(status)
	m.requests.WithLabelValues(op, s).Inc()
	m.duration.WithLabelValues(op, s).Observe(d.Seconds())
}

// failed counts one error of code in operation op.
func (m *metrics) failed(op, code string) {
	m.errors.WithLabelValues(op, code).Inc()
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
