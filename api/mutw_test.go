package api_test

// mutW: kills A8 (the server's /metrics route not given
// Options.MetricsSecret: PROBITY_METRICS_TOKEN would read nothing) and A7
// (an empty scrape secret matching a request without a token). No Neo4j.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"probity/api"
)

func TestMutWServerMetricsSecret(t *testing.T) {
	secret := strings.Repeat("m", 40)
	srv := httptest.NewServer(api.New(api.Options{Tokens: failingTokens{}, MetricsSecret: secret}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics with the server's scrape secret: %d, want 200", res.StatusCode)
	}
}

func TestMutWMetricsGateNoSecretNoToken(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("probity_flags 1\n")) })
	srv := httptest.NewServer(api.MetricsGate(failingTokens{}, metrics, ""))
	defer srv.Close()
	for _, h := range []string{"", "Bearer ", "Bearer"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Fatalf("no scrape secret set, Authorization %q: 200", h)
		}
	}
}
