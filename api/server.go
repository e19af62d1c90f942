// Package api is Probity's HTTP edge: the gin route table, GraphQL at
// /graphql, authentication and audit, health, metrics and the embedded UI.
// It does not import graph: it declares the small interfaces it needs and
// cmd/probity plugs a graph.Store in.
package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	graphql "github.com/graph-gophers/graphql-go"
	"github.com/prometheus/client_golang/prometheus"

	"probity"
)

// HealthChecker reports on the database.
type HealthChecker interface {
	Health(ctx context.Context) probity.Health
	// SchemaVersion reads the schema version alone (a mutation's check).
	SchemaVersion(ctx context.Context) (int, error)
}

// Options are the server's dependencies and limits.
type Options struct {
	Health        HealthChecker
	Graph         Graph      // entities and exploration
	Tokens        TokenStore // API tokens
	Audit         AuditLog   // the hash-chained audit log
	Flags         FlagStore  // flags, reviews, reveals, scans, reports, lists and charts
	Schedules     probity.ScheduleService
	Loader        DataLoader // POST /load; nil: no uploads
	UI            fs.FS      // the built link-chart app
	Logger        *slog.Logger
	SchemaVersion int                  // the version this binary expects; 0: not checked
	PseudonymKey  []byte               // HMAC key of displayName pseudonyms
	Limits        Limits               // zero fields take DefaultLimits
	Metrics       *prometheus.Registry // /metrics registry shared with other collectors; nil: the API's own
	MetricsSecret string               // a bearer secret that reads /metrics and nothing else (PROBITY_METRICS_TOKEN); "": admin tokens only
}

// Server is the HTTP handler of probity serve.
type Server struct {
	opt        Options
	engine     *gin.Engine
	health     healthCache
	schemaSeen schemaCache
	schema     *graphql.Schema
	mutations  map[string]bool // the schema's mutation fields (mutationFields)
	metrics    *metrics
	scan       scanFlight // runScan single-flight
	tokens     tokenCache // principals of tokens seen, checked again on every request
	sealed     sealedSeqs // audit seqs as a reader tied to an officer sees them
	// dbDown is set when a request failed for want of Neo4j. While it is
	// set, each request first asks the health check (cached for a second,
	// and quick when the connection is refused), so that with Neo4j gone
	// requests are refused at once instead of each waiting out the
	// driver's retries; the first healthy answer clears it.
	dbDown atomic.Bool
	// auditBehind is set when the audit chain's head went back under this
	// server (a backup restored): it serves no data until restarted, and
	// its health check says so.
	auditBehind atomic.Bool
	// keyFingerprint is the fingerprint of this server's pseudonym key;
	// keyChanged is set when the health check finds the database records
	// another (an adopt since this server started): its pseudonyms are no
	// longer the other servers', so it serves nothing until restarted.
	keyFingerprint string
	keyChanged     atomic.Bool
}

// New builds the route table.
func New(opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	gin.SetMode(gin.ReleaseMode)
	def := DefaultLimits()
	l := &opt.Limits
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = def.MaxBodyBytes
	}
	if l.MaxQueryBytes <= 0 {
		l.MaxQueryBytes = def.MaxQueryBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = def.MaxDepth
	}
	if l.MaxPage <= 0 {
		l.MaxPage = def.MaxPage
	}
	if l.MaxIDs <= 0 {
		l.MaxIDs = def.MaxIDs
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = def.MaxNodes
	}
	if l.MaxLinked <= 0 {
		l.MaxLinked = def.MaxLinked
	}
	if l.MaxRecusalOfficers <= 0 {
		l.MaxRecusalOfficers = def.MaxRecusalOfficers
	}
	if l.MaxEvents <= 0 {
		l.MaxEvents = def.MaxEvents
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = def.RequestTimeout
	}
	if l.MaxUploadBytes <= 0 {
		l.MaxUploadBytes = def.MaxUploadBytes
	}
	if l.LoadTimeout <= 0 {
		l.LoadTimeout = def.LoadTimeout
	}
	s := &Server{opt: opt, engine: gin.New(), metrics: newMetrics(opt.Metrics), sealed: newSealedSeqs(opt.PseudonymKey)}
	if len(opt.PseudonymKey) > 0 {
		s.keyFingerprint = KeyFingerprint(opt.PseudonymKey)
	}
	s.schema = s.buildSchema()
	s.mutations = mutationFields(s.schema)
	s.health.ttl = time.Second
	s.engine.Use(gin.Recovery(), securityHeaders)
	s.routes()
	return s
}

// uiCSP keeps the UI to its own origin: scripts and styles from the server
// (styles inline too: cytoscape sets them), images also as data: and blob:
// URLs (the icons, exports), and no framing.
const uiCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders: no answer is to be sniffed, framed or kept by a cache
// (the API's answers hold personal data), nor to say where the user came
// from; the UI gets its content security policy.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", uiCSP)
	switch c.Request.URL.Path {
	case "/graphql", "/load":
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// routes is the whole route table.
func (s *Server) routes() {
	r := s.engine
	r.GET("/healthz", s.handleHealth)
	r.Any("/graphql", s.handleGraphQL)
	r.Any("/load", s.handleLoad)
	r.GET("/metrics", gin.WrapH(MetricsGate(s.opt.Tokens, s.metrics.handler(), s.opt.MetricsSecret)))
	r.NoRoute(s.handleUI)
}

// MetricsGate serves metrics to an administrator's token that is not tied
// to an officer, sent as a bearer token (Prometheus: a scrape job's
// authorization credentials_file): the flag counts by pattern and state
// told a subject that the case about it, hidden from it, was referred
// (secL L2, secM M1), and they were open to anyone who reached the port.
// probity serve and probity scheduler both put it before their /metrics.
// While Neo4j cannot be asked, a token it confirmed before is taken as it
// was then (a revocation made meanwhile counts once Neo4j answers): the
// metrics matter most during an outage (reviewJ L3: the scrape failed).
// scrape, when set, is a secret of its own that reads the metrics and
// nothing else: a scraper's credentials file held an admin token, which
// could mint tokens and add webhooks (opsX M4).
func MetricsGate(tokens TokenStore, metrics http.Handler, scrape string) http.Handler {
	var seen tokenCache
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		secret, _ := bearer(header)
		if scrape != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(scrape)) == 1 {
			metrics.ServeHTTP(w, r)
			return
		}
		key := HashToken(secret)
		was, known := seen.get(key)
		wait := authTimeoutMin
		if known { // answer well within a scrape's time-out (10 s by default: reviewK L1)
			wait = time.Second
		}
		ctx, cancel := context.WithTimeout(r.Context(), wait)
		defer cancel()
		p, err := principalOf(ctx, tokens, header)
		if errors.As(err, new(*tokenLookupError)) {
			if known {
				p, err = was, nil
			}
		} else {
			seen.remember(key, p, err)
		}
		switch {
		case errors.As(err, new(*tokenLookupError)):
			writeError(w, probity.Errorf(probity.EUNAVAILABLE, "cannot check the token now; try again"))
		case err != nil:
			writeError(w, err)
		case !p.Role.Allows(probity.RoleAdmin) || p.OfficerID != "":
			writeError(w, probity.Errorf(probity.EFORBIDDEN, "the metrics need an admin token not tied to an officer"))
		default:
			metrics.ServeHTTP(w, r)
		}
	})
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// handleHealth answers 200 when Neo4j is reachable and the schema current,
// 503 with the reason otherwise. Results are cached for a second so that a
// flood of probes does not become a flood of queries.
func (s *Server) handleHealth(c *gin.Context) {
	h := s.health.get(c.Request.Context(), s.opt.Health)
	body := gin.H{
		"status":                "ok",
		"version":               probity.Version,
		"neo4j":                 gin.H{"reachable": h.Reachable, "version": h.ServerVersion, "edition": h.Edition},
		"schemaVersion":         h.SchemaVersion,
		"expectedSchemaVersion": s.opt.SchemaVersion,
		"checkedAt":             h.CheckedAt,
	}
	switch {
	case !h.Reachable:
		body["status"], body["reason"] = "unavailable", h.Error
		c.JSON(http.StatusServiceUnavailable, body)
	case h.SchemaVersion < s.opt.SchemaVersion:
		body["status"], body["reason"] = "unavailable", "database schema is behind this binary: run probity migrate"
		c.JSON(http.StatusServiceUnavailable, body)
	case s.opt.SchemaVersion > 0 && h.SchemaVersion > s.opt.SchemaVersion: // 0: a server not told its schema (tests)
		// a newer binary migrated it: this one reads and writes shapes it
		// no longer has, as the command line refuses to (docsJ L11)
		body["status"], body["reason"] = "unavailable", schemaAheadMsg
		c.JSON(http.StatusServiceUnavailable, body)
	case s.auditBehind.Load() || h.AuditBehind:
		body["status"], body["reason"] = "unavailable", "the audit log changed under this server (a backup restored?): it returns no data until restarted"
		c.JSON(http.StatusServiceUnavailable, body)
	case s.keyAdopted(h):
		body["status"], body["reason"] = "unavailable", keyChangedMsg
		c.JSON(http.StatusServiceUnavailable, body)
	default:
		c.JSON(http.StatusOK, body)
	}
}

// handleUI serves the embedded app; unknown paths get index.html so that
// client-side routes survive a reload.
func (s *Server) handleUI(c *gin.Context) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	if s.opt.UI == nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "the UI is not served by this server"})
		return
	}
	name := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
	body, err := fs.ReadFile(s.opt.UI, name)
	if name != "" && err != nil && path.Ext(name) != "" {
		// a file that is not there (an old asset's name): not the app in its
		// place, which a script tag would run as JavaScript (secE)
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	if name == "" || err != nil {
		name = "index.html"
		if body, err = fs.ReadFile(s.opt.UI, name); err != nil {
			c.JSON(http.StatusNotFound, gin.H{"error": "the UI is not built"})
			return
		}
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	c.Data(http.StatusOK, ctype, body)
}

// schemaAheadMsg says why a server refuses changes once a newer binary
// migrated its database.
const schemaAheadMsg = "database schema is ahead of this binary (a newer one migrated it): upgrade this server"

// schemaCache is the schema version a mutation checks, read at most every
// schemaTTL: one small read, where the whole health check (ping, server
// components, audit head) made a mutation after a quiet second 45-150 ms
// (reviewN L4).
type schemaCache struct {
	mu sync.Mutex
	at time.Time
	v  int
}

const schemaTTL = 5 * time.Second

// schemaAhead says a newer binary migrated the database since this server
// started; false for a server not told its schema version (tests), and
// when the version cannot be read (an outage is the audit head check's
// to say).
func (s *Server) schemaAhead(ctx context.Context) bool {
	if s.opt.SchemaVersion == 0 || s.opt.Health == nil {
		return false
	}
	c := &s.schemaSeen
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > schemaTTL {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		v, err := s.opt.Health.SchemaVersion(rctx)
		cancel()
		if err != nil {
			return false
		}
		c.at, c.v = time.Now(), v
	}
	return c.v > s.opt.SchemaVersion
}

// neo4jDown says whether Neo4j is known to be unreachable: only after a
// request failed for want of it, and until the health check finds it again.
func (s *Server) neo4jDown(ctx context.Context) bool {
	if !s.dbDown.Load() || s.opt.Health == nil {
		return false
	}
	if s.health.get(ctx, s.opt.Health).Reachable {
		s.dbDown.Store(false)
		return false
	}
	return true
}

type healthCache struct {
	mu   sync.Mutex
	ttl  time.Duration
	last probity.Health
}

func (hc *healthCache) get(ctx context.Context, hcheck HealthChecker) probity.Health {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if time.Since(hc.last.CheckedAt) < hc.ttl {
		return hc.last
	}
	hc.last = hcheck.Health(ctx)
	return hc.last
}

// keyChangedMsg is the answer of a server whose pseudonym key is no longer
// the one the database records.
const keyChangedMsg = "the pseudonym key was changed (probity pseudonym-key adopt) after this server started, so its pseudonyms are not the other servers': it returns no data until restarted with the new key"

// keyAdopted says, from a health check, that the database records another
// pseudonym key than this server's (docs/operations.md, "Changing the
// pseudonym key": servers left running showed one officer under two
// pseudonyms, reviewO L2), and remembers it: from then on the server
// refuses every request.
func (s *Server) keyAdopted(h probity.Health) bool {
	if s.keyFingerprint != "" && h.KeyFingerprint != "" && h.KeyFingerprint != s.keyFingerprint {
		s.keyChanged.Store(true)
	}
	return s.keyChanged.Load()
}
