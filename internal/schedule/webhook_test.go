package schedule_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
	"probity/internal/schedule"
)

type received struct {
	alert     schedule.Alert
	raw       string
	validSig  bool
	delivery  string
	timestamp string
}

// A receiver checks each delivery's HMAC signature; its first answer is 500,
// so the first alert is retried. Tripwire hits go first and bypass the
// score thresholds; flags below them are not sent; disabled webhooks get
// nothing; every attempt is logged and counted.
func TestWebhookSignedRetriedAndLogged(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	const secret = "s3cret-s3cret-s3cret"
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc := received{raw: string(body), delivery: r.Header.Get(schedule.HeaderDelivery), timestamp: r.Header.Get(schedule.HeaderTimestamp)}
		rc.validSig = schedule.Verify(secret, r.Header.Get(schedule.HeaderSignature), rc.timestamp, body, time.Now(), 5*time.Minute)
		json.Unmarshal(body, &rc.alert)
		mu.Lock()
		got = append(got, rc)
		first := len(got) == 1
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	disabled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("disabled webhook called")
	}))
	defer disabled.Close()

	admin := &schedule.Admin{Store: store}
	hook, err := admin.AddWebhook(ctx, probity.Webhook{URL: srv.URL + "/hook", Secret: secret, MinScore: 0.5, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateWebhook(ctx, probity.Webhook{ID: "off", URL: disabled.URL, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddSchedule(ctx, probity.Schedule{Name: "job", Cron: "@daily", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	m, err := schedule.NewMetrics(reg, store.CountFlagsByPatternStatus)
	if err != nil {
		t.Fatal(err)
	}
	flags := []schedule.AlertFlag{
		{ID: "F-high", Pattern: "access-for-gain", OfficerID: "OFF-1", Score: 0.9},
		{ID: "F-low", Pattern: "access-volume-outlier", OfficerID: "OFF-2", Score: 0.3},
		{ID: "F-mid", Pattern: "collusion-ring", OfficerID: "OFF-3", Score: 0.6}, // below the global 0.65
		{ID: "F-trip", Pattern: "personal-interest-access", OfficerID: "OFF-4", Score: 0.1, Tripwire: true},
	}
	r := schedule.New(schedule.Options{Store: store, Holder: "A", Defaults: []probity.Schedule{}, Logger: quiet, Metrics: m,
		Alerts: schedule.AlertOptions{MinScore: 0.65, PublicURL: "https://probity.example/", Backoff: 50 * time.Millisecond, Attempts: 3},
		Scan: func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			return schedule.ScanResult{RunID: "scan-1", NewFlags: flags}, nil
		}})
	run, err := r.RunNow(ctx, "job")
	if err != nil || run.Status != probity.RunOK || run.NewFlags != 4 {
		t.Fatalf("run = %+v, %v", run, err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("receiver got %d requests, want 3 (tripwire failing once, then high)", len(got))
	}
	for i, want := range []string{"F-trip", "F-trip", "F-high"} {
		g := got[i]
		if g.alert.FlagID != want || !g.validSig {
			t.Errorf("request %d: flag %s, signature valid %v; want %s, valid", i, g.alert.FlagID, g.validSig, want)
		}
		if strings.Contains(g.raw, "OFF-") || strings.Contains(strings.ToLower(g.raw), "officer") {
			t.Errorf("payload carries an officer: %s", g.raw)
		}
		if g.delivery != g.alert.DeliveryID {
			t.Errorf("delivery header %q, body %q", g.delivery, g.alert.DeliveryID)
		}
	}
	if got[0].alert.DeliveryID != got[1].alert.DeliveryID || got[1].alert.DeliveryID == got[2].alert.DeliveryID {
		t.Errorf("delivery ids %q %q %q: a retry keeps its id, another alert does not", got[0].alert.DeliveryID, got[1].alert.DeliveryID, got[2].alert.DeliveryID)
	}
	a := got[2].alert
	if a.Pattern != "access-for-gain" || a.Score != 0.9 || a.Tripwire || a.URL != "https://probity.example/#/flag/F-high" || a.SentAt == "" {
		t.Errorf("alert = %+v", a)
	}
	if !got[0].alert.Tripwire {
		t.Errorf("tripwire alert not marked: %+v", got[0].alert)
	}
	// A tampered body or an old timestamp fails verification.
	if schedule.Verify(secret, schedule.Sign(secret, got[2].timestamp, []byte(got[2].raw)), got[2].timestamp, []byte(got[2].raw+" "), time.Now(), time.Minute) {
		t.Error("tampered body verified")
	}
	if schedule.Verify(secret, schedule.Sign(secret, "1000", []byte(got[2].raw)), "1000", []byte(got[2].raw), time.Now(), time.Minute) {
		t.Error("replayed old delivery verified")
	}

	log, err := store.WebhookDeliveries(ctx, probity.DeliveryQuery{Webhook: hook.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for i := len(log) - 1; i >= 0; i-- {
		d := log[i]
		summary = append(summary, d.FlagID+"#"+strconv.Itoa(d.Attempt)+":"+d.Status+":"+strconv.Itoa(d.HTTPStatus))
	}
	want := "F-trip#1:failed:500 F-trip#2:ok:204 F-high#1:ok:204"
	if strings.Join(summary, " ") != want {
		t.Errorf("delivery log = %v, want %s", summary, want)
	}
	if v := counter(t, reg, "probity_webhook_deliveries_total", map[string]string{"webhook": hook.ID, "status": "failed"}); v != 1 {
		t.Errorf("failed deliveries metric = %v, want 1", v)
	}
	if v := counter(t, reg, "probity_webhook_deliveries_total", map[string]string{"webhook": hook.ID, "status": "ok"}); v != 2 {
		t.Errorf("ok deliveries metric = %v, want 2", v)
	}
	if v := counter(t, reg, "probity_schedule_runs_total", map[string]string{"schedule": "job", "status": "ok"}); v != 1 {
		t.Errorf("runs metric = %v, want 1", v)
	}
	if v := counter(t, reg, "probity_scan_new_flags_total", map[string]string{"pattern": "collusion-ring"}); v != 1 {
		t.Errorf("new flags metric = %v, want 1", v)
	}
	// The flags gauge counts the current flags at scrape time (as the queue: not superseded, not cleared).
	if err := store.RunForTest(ctx, `CREATE (:Flag {id: 'f1', pattern: 'access-for-gain', status: 'new'}),
		(:Flag {id: 'f2', pattern: 'access-for-gain', status: 'new'}), (:Flag {id: 'f3', pattern: 'access-for-gain', status: 'false_positive'}),
		(:Flag {id: 'f4', pattern: 'access-for-gain', status: 'new', supersededBy: 'f1'}), (:Flag {id: 'f5', pattern: 'access-for-gain', status: 'new', clearedAt: datetime()})`); err != nil {
		t.Fatal(err)
	}
	if v := gauge(t, reg, "probity_flags", map[string]string{"pattern": "access-for-gain", "status": "new"}); v != 2 {
		t.Errorf("probity_flags{new} = %v, want 2", v)
	}
	if v := gauge(t, reg, "probity_flags", map[string]string{"pattern": "access-for-gain", "status": "false_positive"}); v != 1 {
		t.Errorf("probity_flags{false_positive} = %v, want 1", v)
	}
}

func gauge(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if mf.GetName() == name && matches(m, labels) {
				return m.GetGauge().GetValue()
			}
		}
	}
	return -1
}

// A receiver that keeps failing is given up on after the bounded attempts;
// a 4xx other than 408/429 is not retried.
func TestWebhookGivesUp(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	var mu sync.Mutex
	hits := map[string]int{}
	var got []string // flags the /down receiver took once it was back up
	up := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hits[r.URL.Path]++
		switch {
		case r.URL.Path == "/down" && up:
			var a schedule.Alert
			json.NewDecoder(r.Body).Decode(&a)
			got = append(got, a.FlagID)
		case r.URL.Path == "/down":
			w.WriteHeader(http.StatusBadGateway)
		default:
			w.WriteHeader(http.StatusForbidden)
		}
	}))
	defer srv.Close()
	r := alertingRunner(t, store, 4, 10*time.Millisecond, srv.URL+"/down", srv.URL+"/forbidden")
	if run, err := r.RunNow(ctx, "job"); err != nil || run.Status != probity.RunOK {
		t.Fatalf("run = %+v %v", run, err)
	}
	mu.Lock()
	// /down: four attempts for F1, then F2 is not attempted (the receiver
	// is down); /forbidden: one attempt per flag, never retried.
	if hits["/down"] != 4 || hits["/forbidden"] != 2 {
		t.Fatalf("hits = %v, want 4 on /down and 2 on /forbidden", hits)
	}
	log, _ := store.WebhookDeliveries(ctx, probity.DeliveryQuery{Limit: 20})
	gaveUp, notAttempted := 0, 0
	for _, d := range log {
		if d.Status == probity.DeliveryGaveUp {
			gaveUp++
		}
		if d.Attempt == 0 && d.FlagID == "F2" && strings.HasPrefix(d.Error, "not attempted") {
			notAttempted++
		}
	}
	if len(log) != 7 || gaveUp != 4 || notAttempted != 1 {
		t.Fatalf("log has %d entries, %d gave up, %d not attempted; want 7, 4, 1", len(log), gaveUp, notAttempted)
	}
	mu.Unlock()

	// The receiver is back: the next run, with no new flag, sends it
	// the two alerts it missed; the one that refused them gets none.
	mu.Lock()
	up = true
	before := hits["/forbidden"]
	mu.Unlock()
	if run, err := r.RunNow(ctx, "job"); err != nil || run.Status != probity.RunOK {
		t.Fatalf("second run = %+v %v", run, err)
	}
	mu.Lock()
	defer mu.Unlock()
	sort.Strings(got)
	if strings.Join(got, ",") != "F1,F2" || hits["/forbidden"] != before {
		t.Fatalf("after the receiver came back it got %v (want F1,F2); /forbidden hit %d more times", got, hits["/forbidden"]-before)
	}
}

func TestWebhookURLAndAdminValidation(t *testing.T) {
	for _, u := range []string{"ftp://x", "file:///etc/passwd", "http://", "javascript:alert(1)", "https://u:p@host/x", "hooks.example/x"} {
		if err := schedule.ValidateWebhookURL(u); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("%q accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:9000/hook", "https://hooks.example/x?y=1"} {
		if err := schedule.ValidateWebhookURL(u); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
	for _, c := range []string{"", "* * *", "61 * * * *", "TZ=UTC", "@every", "@yearly x"} {
		if _, err := schedule.ParseCron(c); probity.ErrorCode(err) != probity.EINVALID {
			t.Errorf("cron %q accepted", c)
		}
	}
	next, err := schedule.NextRun("0 2 * * *", time.Date(2030, 5, 1, 2, 0, 0, 0, time.UTC))
	if err != nil || !next.Equal(time.Date(2030, 5, 2, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("next nightly = %v %v", next, err)
	}
}

func counter(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if matches(m, labels) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func matches(m *dto.Metric, labels map[string]string) bool {
	n := 0
	for _, lp := range m.GetLabel() {
		if v, ok := labels[lp.GetName()]; ok {
			if v != lp.GetValue() {
				return false
			}
			n++
		}
	}
	return n == len(labels)
}

// An instance that stops while it sends a run's alerts logs the ones it did
// not send as given up, and a later run sends them.
func TestAlertsCutShortAreSentLater(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	var mu sync.Mutex
	var got []string
	ids := map[string]string{} // flag → delivery id received
	slow := true
	entered := make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		s := slow
		mu.Unlock()
		if s {
			io.Copy(io.Discard, r.Body) // read, so that the server notices the client go
			entered <- struct{}{}
			<-r.Context().Done() // hangs until the client gives up
			return
		}
		var a schedule.Alert
		json.NewDecoder(r.Body).Decode(&a)
		mu.Lock()
		got = append(got, a.FlagID)
		ids[a.FlagID] = a.DeliveryID
		mu.Unlock()
	}))
	defer srv.Close()
	r := alertingRunner(t, store, 2, 10*time.Millisecond, srv.URL)
	stopping, stop := context.WithCancel(ctx)
	go func() { <-entered; stop() }() // the instance stops while F1 is being sent
	r.RunNow(stopping, "job")
	log, _ := store.WebhookDeliveries(ctx, probity.DeliveryQuery{Limit: 20})
	var notSent []string
	for _, d := range log {
		if d.FlagID == "F2" && d.Error == "not attempted: the instance is stopping" {
			notSent = append(notSent, d.FlagID)
		}
	}
	if len(notSent) != 1 {
		t.Fatalf("deliveries after the stop %+v: want F2 logged as not attempted", log)
	}
	mu.Lock()
	slow = false
	mu.Unlock()
	if run, err := r.RunNow(ctx, "job"); err != nil || run.Status != probity.RunOK {
		t.Fatalf("next run = %+v %v", run, err)
	}
	mu.Lock()
	defer mu.Unlock()
	sort.Strings(got)
	if strings.Join(got, ",") != "F1,F2" {
		t.Fatalf("the next run sent %v, want F1,F2", got)
	}
	// sent again, an alert keeps its delivery id: a receiver that took F1
	// the first time (and answered too late) knows it has it
	for _, d := range log {
		if want := ids[d.FlagID]; d.DeliveryID != want {
			t.Errorf("%s: first run's delivery id %q, the next run's %q: want the same", d.FlagID, d.DeliveryID, want)
		}
	}
}

// alertingRunner is a runner of schedule "job" whose first scan finds flags
// F1 and F2 (stored as open flags) new and whose later scans find nothing
// new, alerting the webhooks at urls with up to attempts tries each,
// backoff apart at first.
func alertingRunner(t *testing.T, store *graph.Store, attempts int, backoff time.Duration, urls ...string) *schedule.Runner {
	t.Helper()
	ctx := context.Background()
	admin := &schedule.Admin{Store: store}
	for _, u := range urls {
		if _, err := admin.AddWebhook(ctx, probity.Webhook{URL: u, Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.AddSchedule(ctx, probity.Schedule{Name: "job", Cron: "@daily", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := store.RunForTest(ctx, `UNWIND ['F1', 'F2'] AS id CREATE (:Flag {id: id, pattern: 'p', officerId: 'O1', score: 1.0, status: 'new'})`); err != nil {
		t.Fatal(err)
	}
	newFlags := []schedule.AlertFlag{{ID: "F1", Pattern: "p", Score: 1}, {ID: "F2", Pattern: "p", Score: 1}}
	return schedule.New(schedule.Options{Store: store, Holder: "A", Defaults: []probity.Schedule{}, Logger: quiet,
		Alerts: schedule.AlertOptions{Backoff: backoff, Attempts: attempts},
		Scan: func(ctx context.Context, req schedule.ScanRequest) (schedule.ScanResult, error) {
			res := schedule.ScanResult{RunID: "s", NewFlags: newFlags}
			newFlags = nil // the next scan finds them again, not anew
			return res, nil
		}})
}

// A flag raised by a scan that alerts nobody (probity scan, runScan) or by
// a run cut short before it listed its flags is sent by the next run: one
// raised since the webhook was added, still open, at or above the
// webhook's threshold; not one raised before it, one decided, or one
// below the threshold (schedW).
func TestAlertsForFlagsRaisedOutsideTheScheduler(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	srv, sent := alertRecorder(t)
	r := alertingRunner(t, store, 1, 10*time.Millisecond, srv.URL)
	if err := store.RunForTest(ctx, `MATCH (w:Webhook) SET w.minScore = 0.6`); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunNow(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	if s := sent(); s != "F1,F2" {
		t.Fatalf("the first run sent %s, want its new flags F1,F2", s)
	}
	if err := store.RunForTest(ctx, `CREATE (:Flag {id: 'F3', pattern: 'p', officerId: 'O1', score: 0.9, status: 'new', firstSeen: datetime()}),
		(:Flag {id: 'F4', pattern: 'p', officerId: 'O1', score: 0.9, status: 'false_positive', firstSeen: datetime()}),
		(:Flag {id: 'F5', pattern: 'p', officerId: 'O1', score: 0.5, status: 'new', firstSeen: datetime()}),
		(:Flag {id: 'F6', pattern: 'tripwire', officerId: 'O1', score: 0.5, status: 'new', firstSeen: datetime()}),
		(:Flag {id: 'F7', pattern: 'p', officerId: 'O1', score: 0.9, status: 'new', firstSeen: datetime() - duration('P1D')})`); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunNow(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	if s := sent(); s != "F3,F6" {
		t.Fatalf("the next run sent %s, want the flags raised outside it F3 and the tripwire hit F6", s)
	}
	if _, err := r.RunNow(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	if s := sent(); s != "" {
		t.Fatalf("a third run sent %s again", s)
	}
}

// An alert waiting between attempts when the instance stops is logged as
// given up, and the next run sends it (it had stayed 'failed'; schedW).
func TestAlertInBackoffWhenStoppingIsSentLater(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	var mu sync.Mutex
	fail := true
	var got []string
	firstFail := make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a schedule.Alert
		json.NewDecoder(r.Body).Decode(&a)
		mu.Lock()
		defer mu.Unlock()
		if fail {
			w.WriteHeader(http.StatusServiceUnavailable)
			go func() { // once the answer is in: the sender is in its backoff
				time.Sleep(100 * time.Millisecond)
				firstFail <- struct{}{}
			}()
			return
		}
		got = append(got, a.FlagID)
	}))
	defer srv.Close()
	r := alertingRunner(t, store, 3, time.Minute, srv.URL) // the stop comes in the first backoff
	stopping, stop := context.WithCancel(ctx)
	go func() { <-firstFail; stop() }() // stops during F1's backoff
	r.RunNow(stopping, "job")
	mu.Lock()
	fail = false
	mu.Unlock()
	if _, err := r.RunNow(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	sort.Strings(got)
	if strings.Join(got, ",") != "F1,F2" {
		t.Fatalf("the next run sent %v, want F1 (cut off in its backoff) and F2", got)
	}
}

// An alert whose sender was killed between two attempts (its last record
// 'failed', none after) is sent by a run once RetryAbandoned has passed,
// not while another instance may still be retrying it (alertZ).
func TestAlertAbandonedBetweenAttemptsIsSentLater(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	srv, sent := alertRecorder(t)
	r := alertingRunner(t, store, 1, 10*time.Millisecond, srv.URL)
	if _, err := r.RunNow(ctx, "job"); err != nil { // sends its new flags F1, F2
		t.Fatal(err)
	}
	hooks, err := store.Webhooks(ctx)
	if err != nil || len(hooks) != 1 {
		t.Fatal(hooks, err)
	}
	// F5's score fell below the webhook's threshold since its first try (a rescan): not sent again (secH)
	for _, q := range []string{`UNWIND ['F3', 'F4'] AS id CREATE (:Flag {id: id, pattern: 'p', officerId: 'O1', score: 1.0, status: 'new'})`,
		`CREATE (:Flag {id: 'F5', pattern: 'p', officerId: 'O1', score: 0.5, status: 'new'})`, `MATCH (w:Webhook) SET w.minScore = 0.6`} {
		if err := store.RunForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for flag, ago := range map[string]time.Duration{"F3": schedule.RetryAbandoned + time.Minute, "F4": time.Minute, "F5": schedule.RetryAbandoned + time.Minute} {
		if err := store.RecordDelivery(ctx, probity.WebhookDelivery{ID: "dlv-" + flag + "/x/1", DeliveryID: "dlv-" + flag, Webhook: hooks[0].ID, FlagID: flag,
			Attempt: 1, Status: probity.DeliveryFailed, HTTPStatus: 500, At: time.Now().Add(-ago).UTC()}); err != nil {
			t.Fatal(err)
		}
	}
	sent() // the first run's
	if _, err := r.RunNow(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	if s := sent(); s != "F3" {
		t.Fatalf("the next run sent %s, want F3 (abandoned %v ago), not F4 (failed a minute ago) nor F5 (below the threshold now)", s, schedule.RetryAbandoned+time.Minute)
	}
}

// alertRecorder is a webhook receiver that answers 200; sent returns the
// flags it received since the last call, sorted and comma-joined.
func alertRecorder(t *testing.T) (*httptest.Server, func() string) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a schedule.Alert
		json.NewDecoder(r.Body).Decode(&a)
		mu.Lock()
		got = append(got, a.FlagID)
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() string {
		mu.Lock()
		defer mu.Unlock()
		sort.Strings(got)
		s := strings.Join(got, ",")
		got = nil
		return s
	}
}

// An instance that stops while it sends again the alerts of flags raised
// outside it logs those it did not send as given up, as it does its own
// run's (chaosA L2: they had no record).
func TestPendingAlertsCutShortAreLogged(t *testing.T) {
	store := graphtest.Open(t)
	ctx := context.Background()
	var mu sync.Mutex
	slow := false
	entered := make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		s := slow
		mu.Unlock()
		if s {
			entered <- struct{}{}
			<-r.Context().Done() // hangs until the client gives up
		}
	}))
	defer srv.Close()
	r := alertingRunner(t, store, 1, 10*time.Millisecond, srv.URL)
	if _, err := r.RunNow(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	if err := store.RunForTest(ctx, `CREATE (:Flag {id: 'F3', pattern: 'p', officerId: 'O1', score: 0.9, status: 'new', firstSeen: datetime()}),
		(:Flag {id: 'F4', pattern: 'p', officerId: 'O1', score: 0.9, status: 'new', firstSeen: datetime()})`); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	slow = true
	mu.Unlock()
	stopping, stop := context.WithCancel(ctx)
	go func() { <-entered; stop() }() // the instance stops while the first is sent
	r.RunNow(stopping, "job")
	log, _ := store.WebhookDeliveries(ctx, probity.DeliveryQuery{Limit: 50})
	var notSent []string
	for _, d := range log {
		if d.Error == "not attempted: the instance is stopping" {
			notSent = append(notSent, d.FlagID)
		}
	}
	if len(notSent) != 1 || (notSent[0] != "F3" && notSent[0] != "F4") {
		t.Fatalf("deliveries after the stop %+v: want the flag not tried logged as not attempted", log)
	}
}
