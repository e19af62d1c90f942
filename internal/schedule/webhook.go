package schedule

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"probity"
)

// Alert is the JSON body of a webhook delivery. It carries no names and no
// officer ids: the receiver follows URL into Probity, where access is
// authenticated and audited.
type Alert struct {
	DeliveryID string  `json:"deliveryId"` // the same for every attempt of one alert: receivers deduplicate on it
	FlagID     string  `json:"flagId"`
	Pattern    string  `json:"pattern"`
	Score      float64 `json:"score"`
	Tripwire   bool    `json:"tripwire"`
	URL        string  `json:"url"`
	SentAt     string  `json:"sentAt"` // RFC 3339 UTC, this attempt
}

// Headers of a webhook delivery.
const (
	HeaderSignature = "X-Probity-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
	HeaderTimestamp = "X-Probity-Timestamp" // Unix seconds of this attempt
	HeaderDelivery  = "X-Probity-Delivery"  // Alert.DeliveryID
)

// Sign returns the X-Probity-Signature value of body sent at timestamp
// (Unix seconds as a decimal string).
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a delivery as a receiver should: the signature matches
// (compared in constant time) and the timestamp is within tolerance of now,
// so that a captured request cannot be replayed later.
func Verify(secret, signature, timestamp string, body []byte, now time.Time, tolerance time.Duration) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return false
	}
	return hmac.Equal([]byte(signature), []byte(Sign(secret, timestamp, body)))
}

// ValidateWebhookURL accepts absolute http and https URLs with a host.
// EINVALID otherwise.
// A host written as an address that no alert receiver has (refusedAddr)
// is refused too.
func ValidateWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return probity.Errorf(probity.EINVALID, "webhook URL %q: want http:// or https:// with a host and no credentials", raw)
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if why := refusedAddr(ip); why != "" {
			return probity.Errorf(probity.EINVALID, "webhook URL %q: %s", raw, why)
		}
	}
	return nil
}

// refusedAddr says why alerts are never sent to ip ("" if they may be):
// link-local addresses (169.254.0.0/16, fe80::/10: a cloud host's
// metadata service answers there, credentials included), unspecified and
// multicast ones. Loopback and private addresses stay allowed: a force's
// alert receivers (its SIEM, a relay on the same host) live there.
func refusedAddr(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLinkLocalUnicast():
		return "a link-local address (where a cloud host's metadata service answers) is no alert receiver"
	case ip.IsUnspecified(), ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "an unspecified or multicast address is no alert receiver"
	}
	return ""
}

// alertTransport is the default transport with dialControl.
func alertTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: dialControl}).DialContext
	return t
}

// dialControl refuses, at connection time, the addresses refusedAddr
// names, whatever name resolved to them (a name may resolve elsewhere
// than when the webhook was added).
func dialControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return err
	}
	if why := refusedAddr(ap.Addr()); why != "" {
		return fmt.Errorf("refused %s: %s", address, why)
	}
	return nil
}

// Redelivery is how far back, and how many, undelivered alerts a run sends
// again to a webhook whose delivery of them gave up; and how long after a
// failed attempt with none following an alert counts as abandoned (its
// sender killed between two attempts), well past the attempts' backoff.
const (
	RedeliverWithin = 7 * 24 * time.Hour
	RedeliverMax    = 200
	RetryAbandoned  = 10 * time.Minute
)

// alert sends the new flags of a run to every enabled webhook: tripwire hits
// first, each at once whatever its score, then the flags at or above both
// the global threshold and the webhook's minScore; then, again, the open
// flags whose delivery to it gave up in an earlier run (within
// RedeliverWithin), so that a receiver that was down gets them once it is
// back. One request per flag and webhook, retried with backoff; every
// attempt is logged.
func (r *Runner) alert(ctx context.Context, flags []AlertFlag) {
	// Listed even when the run was cut short, so that its new flags are
	// logged as not sent, and sent by a later run.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	hooks, err := r.opt.Store.Webhooks(lctx)
	cancel()
	if err != nil {
		r.opt.Logger.Warn("alerts: list webhooks", "err", err)
		return
	}
	flags = append([]AlertFlag(nil), flags...)
	sort.SliceStable(flags, func(i, j int) bool { return flags[i].Tripwire && !flags[j].Tripwire })
	for _, w := range hooks {
		if !w.Enabled {
			continue
		}
		down := false // the webhook exhausted its attempts in this run
		sent := map[string]bool{}
		for _, f := range flags {
			if !f.Tripwire && (f.Score < r.opt.Alerts.MinScore || f.Score < w.MinScore) {
				continue
			}
			sent[f.ID] = true
			// One dead receiver must not hold the run for attempts × flags,
			// and an instance that is stopping sends no more; either way
			// the alert is logged as given up, so a later run sends it.
			switch {
			case ctx.Err() != nil:
				r.notAttempted(ctx, w, f, "the instance is stopping")
			case down:
				r.notAttempted(ctx, w, f, "the webhook failed earlier in this run")
			default:
				down = !r.deliver(ctx, w, f)
			}
		}
		if down || ctx.Err() != nil {
			continue // its undelivered alerts wait for a run that finds it up
		}
		now := r.opt.Now()
		pending, err := r.opt.Store.UndeliveredFlags(ctx, w.ID, now.Add(-RedeliverWithin), now.Add(-RetryAbandoned), max(r.opt.Alerts.MinScore, w.MinScore), RedeliverMax)
		if err != nil {
			r.opt.Logger.Warn("alerts: undelivered flags", "webhook", w.ID, "err", err)
			continue
		}
		for _, p := range pending {
			if sent[p.ID] {
				continue
			}
			f := AlertFlag{ID: p.ID, Pattern: p.Pattern, OfficerID: p.OfficerID, Score: p.Score, Tripwire: p.Pattern == tripwirePattern}
			switch {
			case ctx.Err() != nil:
				// stopping: logged as the run's own alerts are (chaosA L2: they had no record)
				r.notAttempted(ctx, w, f, "the instance is stopping")
			case down:
				// not logged again: a later run that finds it up sends it
			default:
				down = !r.deliver(ctx, w, f)
			}
		}
	}
}

// tripwirePattern is the watch-list pattern, whose hits bypass thresholds.
const tripwirePattern = "tripwire"

// notAttempted logs an alert of f to w as given up without an attempt.
func (r *Runner) notAttempted(ctx context.Context, w probity.Webhook, f AlertFlag, why string) {
	id := deliveryID(w.ID, f.ID)
	r.record(ctx, probity.WebhookDelivery{ID: id + "/" + randomHex(4) + "/0", DeliveryID: id, Webhook: w.ID, FlagID: f.ID,
		Status: probity.DeliveryGaveUp, Error: "not attempted: " + why, At: r.opt.Now().UTC()})
}

// deliveryID is the id of the alert of flag f to webhook w: the same for
// every attempt and in every run that sends it again, so that a receiver
// that took it but answered an error (or too late) can tell it is one it
// has (until 2026-11-27 a run that sent it again gave it a new id; opsV).
func deliveryID(w, f string) string {
	h := sha256.Sum256([]byte(w + "\x00" + f))
	return "dlv-" + hex.EncodeToString(h[:8])
}

func (r *Runner) record(ctx context.Context, d probity.WebhookDelivery) {
	if d.DeliveryID == "" {
		d.DeliveryID, _, _ = strings.Cut(d.ID, "/")
	}
	if err := r.opt.Store.RecordDelivery(context.WithoutCancel(ctx), d); err != nil {
		r.opt.Logger.Warn("alerts: record delivery", "webhook", d.Webhook, "err", err)
	}
	r.opt.Metrics.delivery(d.Webhook, d.Status)
}

// deliver makes up to Attempts tries to post one alert to one webhook.
// 2xx is success; network errors, 408, 429 and 5xx are retried after
// Backoff, 2·Backoff, ...; any other status (a redirect included: they are
// not followed) gives up at once. It returns false when the receiver looks
// down (it gave up after retryable failures).
func (r *Runner) deliver(ctx context.Context, w probity.Webhook, f AlertFlag) bool {
	a := Alert{DeliveryID: deliveryID(w.ID, f.ID), FlagID: f.ID, Pattern: f.Pattern, Score: f.Score, Tripwire: f.Tripwire,
		URL: strings.TrimRight(r.opt.Alerts.PublicURL, "/") + "/#/flag/" + url.PathEscape(f.ID)}
	send := randomHex(4) // this run's sending: the log keeps each attempt of each
	wait := r.opt.Alerts.Backoff
	for attempt := 1; attempt <= r.opt.Alerts.Attempts; attempt++ {
		now := r.opt.Now().UTC()
		a.SentAt = now.Format(time.RFC3339)
		code, err := r.post(ctx, w, a, now)
		d := probity.WebhookDelivery{ID: fmt.Sprintf("%s/%s/%d", a.DeliveryID, send, attempt), DeliveryID: a.DeliveryID,
			Webhook: w.ID, FlagID: f.ID, Attempt: attempt, HTTPStatus: code, At: now}
		retryable := err != nil || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
		switch {
		case err == nil && code >= 200 && code < 300:
			d.Status = probity.DeliveryOK
		case retryable && attempt < r.opt.Alerts.Attempts && ctx.Err() == nil:
			d.Status = probity.DeliveryFailed
		default:
			d.Status = probity.DeliveryGaveUp
		}
		if err != nil {
			d.Error = err.Error()
		} else if d.Status != probity.DeliveryOK {
			d.Error = fmt.Sprintf("HTTP %d", code)
		}
		r.record(ctx, d)
		if d.Status != probity.DeliveryFailed {
			return d.Status == probity.DeliveryOK || !retryable
		}
		select {
		case <-ctx.Done():
			// logged as given up, so that a later run sends it (it had
			// stayed 'failed', which no run sends again; schedW)
			r.notAttempted(ctx, w, f, "the instance is stopping")
			return true
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
	return true
}

func (r *Runner) post(ctx context.Context, w probity.Webhook, a Alert, now time.Time) (int, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "probity/"+probity.Version)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	req.Header.Set(HeaderDelivery, a.DeliveryID)
	resp, err := r.opt.Alerts.Client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}
