package schedule

// mutW: kills K1 (probity_schedule_enabled made but not registered: the
// gauge the staleness alert needs never reached /metrics).

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"probity"
)

func TestMutWEnabledGaugeExported(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.seed(probity.Schedule{Name: "nightly", Enabled: true})
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "probity_schedule_enabled" && len(f.GetMetric()) == 1 && f.GetMetric()[0].GetGauge().GetValue() == 1 {
			return
		}
	}
	t.Fatal("probity_schedule_enabled is not gathered from the registry")
}
