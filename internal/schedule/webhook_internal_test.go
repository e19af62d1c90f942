package schedule

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"probity"
)

// TestWebhookAddresses: a link-local (cloud metadata), unspecified or
// multicast address is no alert receiver, written in the URL or reached
// through a name; loopback and private receivers are allowed.
func TestWebhookAddresses(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://169.254.169.254/latest/meta-data/": false,
		"http://[fe80::1]:8080/":                   false,
		"http://0.0.0.0:9000/":                     false,
		"http://[::ffff:169.254.169.254]/":         false,
		"http://224.0.0.1/":                        false,
		"http://127.0.0.1:9000/hook":               true,
		"https://10.20.30.40/siem":                 true,
		"https://alerts.example/probity":           true,
	} {
		if err := ValidateWebhookURL(raw); (err == nil) != ok {
			t.Errorf("ValidateWebhookURL(%s) = %v, want allowed %v", raw, err, ok)
		}
	}
	if err := dialControl("tcp", "169.254.169.254:80", nil); err == nil {
		t.Error("a connection to the metadata address was allowed")
	}
	if err := dialControl("tcp", "127.0.0.1:9000", nil); err != nil {
		t.Errorf("a connection to a loopback receiver: %v", err)
	}
}

// TestSeedLastSuccess: the age of a schedule's last success can be
// alerted on from an instance's start, before it finishes a run of its own.
func TestSeedLastSuccess(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	m.seed(probity.Schedule{Name: "nightly", LastRunAt: at, LastResult: probity.RunOK})
	m.seed(probity.Schedule{Name: "nightly", LastRunAt: at.Add(time.Hour), LastResult: "failed: x"}) // once only
	m.seed(probity.Schedule{Name: "broken", LastRunAt: at, LastResult: "failed: no database"})
	m.seed(probity.Schedule{Name: "fresh"})
	got := map[string]float64{}
	for _, name := range []string{"nightly", "broken"} {
		got[name] = testutil.ToFloat64(m.lastSuccess.WithLabelValues(name))
	}
	if got["nightly"] != float64(at.Unix()) || got["broken"] != 0 || testutil.CollectAndCount(m.lastSuccess) != 2 {
		t.Fatalf("seeded %v (%d series), want nightly at %d, broken 0, none for a schedule never run", got, testutil.CollectAndCount(m.lastSuccess), at.Unix())
	}
}

// TestEnabledGauge: each poll says whether a schedule runs on its cron, a
// schedule disabled since included, so a staleness alert can leave it out
// (opsX L6).
func TestEnabledGauge(t *testing.T) {
	m, err := NewMetrics(prometheus.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m.seed(probity.Schedule{Name: "nightly", Enabled: true})
	m.seed(probity.Schedule{Name: "nightly", Enabled: false}) // disabled since the last poll
	m.seed(probity.Schedule{Name: "fresh", Enabled: true})
	if a, b := testutil.ToFloat64(m.enabled.WithLabelValues("nightly")), testutil.ToFloat64(m.enabled.WithLabelValues("fresh")); a != 0 || b != 1 {
		t.Fatalf("enabled: nightly %v, fresh %v; want 0 and 1", a, b)
	}
	// a schedule removed: its series go at the next poll (reviewN M4)
	m.seed(probity.Schedule{Name: "gone", Enabled: true, LastRunAt: time.Now(), LastResult: probity.RunOK})
	m.forget([]probity.Schedule{{Name: "nightly"}, {Name: "fresh"}})
	if n, l := testutil.CollectAndCount(m.enabled), testutil.CollectAndCount(m.lastSuccess); n != 2 || l != 0 {
		t.Fatalf("after removing gone: %d enabled series (want 2: nightly, fresh), %d last-success series (want 0)", n, l)
	}
}
