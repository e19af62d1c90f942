// Package graph is the only package that speaks Cypher: driver setup, schema
// migrations, the loader, the pattern library and the investigator's records
// (flags, reviews, scan runs, audit events). Every query is parameterised;
// labels, relationship types and hop bounds come from Go constants.
package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"probity"
)

// Config says how to reach Neo4j. cmd/probity fills it from the environment.
type Config struct {
	URI      string // bolt://, neo4j:// (routing) ...; default DefaultURI
	User     string // default "neo4j"
	Password string
	Database string        // default "neo4j"
	Timeout  time.Duration // default deadline of one query; default 30s
}

// DefaultURI is the local server that scripts/neo4j runs.
const DefaultURI = "bolt://127.0.0.1:7687"

// Store wraps a Neo4j driver and one database.
type Store struct {
	driver  neo4j.DriverWithContext
	db      string
	uri     string
	timeout time.Duration
	audit   auditBatcher // group commit of AppendAudit
	// unfreedLoadLock is the holder id of a load lock this store took and
	// could not free (Neo4j was gone); its next load takes it over.
	unfreedLoadLock atomic.Value
	unfreedScanLock atomic.Value // the same, of the scan lock
	// loadLockTTL overrides the load lock's time to live (tests); 0: the
	// default loadLockTTL.
	loadLockTTL time.Duration
	// bookmarks are the causal-consistency bookmarks of the store's
	// queries (read your writes in a cluster). A database restored from a
	// backup is behind them: every query would wait for a transaction it
	// will never see, until its deadline, for ever (a running server never
	// recovered after a restore). A query that times out or finds a
	// bookmark invalid starts afresh (forgetBookmarks).
	bookmarks atomic.Pointer[bookmarks]
}

type bookmarks struct{ m neo4j.BookmarkManager }

func newBookmarks() *bookmarks {
	return &bookmarks{neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{})}
}

// forgetBookmarks drops bm after err if err may come from bookmarks the
// database cannot reach (a deadline, a bookmark timeout or an invalid one).
func (s *Store) forgetBookmarks(bm *bookmarks, err error) {
	var ne *neo4j.Neo4jError
	stale := errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "context deadline exceeded") ||
		(errors.As(err, &ne) && strings.Contains(ne.Code, "Bookmark"))
	if stale {
		s.bookmarks.CompareAndSwap(bm, newBookmarks())
	}
}

// Open creates a driver for cfg and checks that the server answers. The
// error for an unreachable server is coded EUNAVAILABLE and names the URI.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		cfg.URI = DefaultURI
	}
	if cfg.User == "" {
		cfg.User = "neo4j"
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""),
		func(c *config.Config) {
			c.SocketConnectTimeout = 5 * time.Second
			c.ConnectionAcquisitionTimeout = 30 * time.Second
			c.MaxConnectionPoolSize = 50
			// a transaction retries (Neo4j gone, a deadlock) no longer than a
			// query may take: with PROBITY_QUERY_TIMEOUT=10s each pattern of a
			// scan had waited the driver's 30 s on a stopped Neo4j (opsW)
			c.MaxTransactionRetryTime = min(c.MaxTransactionRetryTime, cfg.Timeout)
		})
	if err != nil {
		// not the driver's words: they quote the address whole
		return nil, probity.Errorf(probity.EINVALID, "neo4j configuration %s: not a URI the driver takes (bolt://HOST:PORT or neo4j://HOST:PORT)", shownURI(cfg.URI))
	}
	s := &Store{driver: driver, db: cfg.Database, uri: shownURI(cfg.URI), timeout: cfg.Timeout}
	s.bookmarks.Store(newBookmarks())
	if err := s.Ping(ctx); err != nil {
		driver.Close(ctx)
		return nil, err
	}
	return s, nil
}

// shownURI is uri as messages show it: without a user and password
// written into it (bolt://neo4j:secret@host), which /healthz, logs and
// errors would otherwise print (secL M2).
func shownURI(uri string) string {
	// cut by text, not by a URL parser, which fails on a password holding
	// "%", "/", "#" or "?" and would leave it whole (reviewI M1); an
	// address mistyped without "//" (neo4j:secret@host) shows its host
	// only (reviewJ L2)
	j := strings.LastIndex(uri, "@")
	if j < 0 {
		return uri
	}
	if i := strings.Index(uri, "://"); i >= 0 && i < j {
		return uri[:i+3] + uri[j+1:]
	}
	return uri[j+1:]
}

// Close releases the driver's connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// URI returns the address the store connects to.
func (s *Store) URI() string { return s.uri }

// Ping checks that the server answers within five seconds; the error says
// what to do about it.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return unreachable(s.uri, err)
	}
	return nil
}

func unreachable(uri string, err error) error {
	var auth *neo4j.Neo4jError
	if errors.As(err, &auth) && auth.Code == "Neo.ClientError.Security.Unauthorized" {
		return probity.Errorf(probity.EUNAVAILABLE, "Neo4j at %s refused the credentials: check NEO4J_USER and NEO4J_PASSWORD", uri)
	}
	return probity.Errorf(probity.EUNAVAILABLE, "cannot reach Neo4j at %s: run scripts/neo4j start or set NEO4J_URI", uri)
}

// Health reports reachability, server version and edition, and the schema
// version. It never returns an error: failures are described in the result.
func (s *Store) Health(ctx context.Context) probity.Health {
	h := probity.Health{CheckedAt: time.Now().UTC()}
	// Ping first: a refused connection fails it at once, where a query
	// would be retried by the driver until the deadline.
	if err := s.Ping(ctx); err != nil {
		h.Error = probity.ErrorMessage(err)
		return h
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := s.read(ctx, `CALL dbms.components() YIELD name, versions, edition
		WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition`, nil)
	if err != nil {
		h.Error = probity.ErrorMessage(unreachable(s.uri, err))
		return h
	}
	if len(res.Records) > 0 {
		v, _ := res.Records[0].Get("version")
		e, _ := res.Records[0].Get("edition")
		h.ServerVersion, _ = v.(string)
		h.Edition, _ = e.(string)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		h.Error = "schema version unknown: " + probity.ErrorMessage(err)
		return h
	}
	h.Reachable, h.SchemaVersion = true, v
	h.AuditBehind = errors.Is(s.CheckAuditHead(ctx), probity.ErrAuditRolledBack)
	h.KeyFingerprint, _ = s.RecordedPseudonymKeyFingerprint(ctx) // unread: no claim either way
	return h
}

// auditHeadTimeout bounds CheckAuditHead, which every mutation waits for.
const auditHeadTimeout = 5 * time.Second

// CheckAuditHead fails with probity.ErrAuditRolledBack when the audit
// chain's head is below the last event this process wrote, or another
// event holds that event's seq (a backup restored under it: events were
// removed from the end of the chain, and maybe others chained since), or
// with the driver's error when the head cannot be read. A server asks it
// before a mutation, whose change would be committed before its audit
// event: refused then, so that no change goes unaudited (opsV). Neo4j
// not answering is an EUNAVAILABLE error.
func (s *Store) CheckAuditHead(ctx context.Context) error {
	wrote := s.audit.lastWrote()
	if wrote.seq == 0 {
		return nil
	}
	// From the leader on a cluster: the head was written through a session
	// whose bookmarks a follower's read would not wait for (reviewA), and a
	// lagging follower's head would read as a rollback.
	// One index seek, within auditHeadTimeout: a Neo4j gone away had the
	// driver retry for the whole query time-out (30 s) while a reviewer's
	// decision showed "Saving…" (analystC M2).
	res, err := s.exec(ctx, `MATCH (h:`+LabelAuditHead+` {id: $id}) OPTIONAL MATCH (mine:AuditEvent {seq: $wrote}) RETURN h.seq, mine.hash`,
		map[string]any{"id": auditHeadID, "wrote": wrote.seq}, min(s.timeout, auditHeadTimeout), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", probity.Errorf(probity.EUNAVAILABLE, "Neo4j did not answer within %v", auditHeadTimeout), err)
		}
		return codeDriverError("read the audit head", err)
	}
	if len(res.Records) != 1 {
		return wrote.wentBack(0, "")
	}
	seq, _ := res.Records[0].Values[0].(int64)
	mine, _ := res.Records[0].Values[1].(string)
	return wrote.wentBack(seq, mine)
}

// read runs one read query with the store's deadline (or ctx's, if sooner).
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	return s.run(ctx, cypher, params, neo4j.ExecuteQueryWithReadersRouting())
}

// write runs one write query in its own transaction.
func (s *Store) write(ctx context.Context, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	return s.run(ctx, cypher, params, neo4j.ExecuteQueryWithWritersRouting())
}

func (s *Store) run(ctx context.Context, cypher string, params map[string]any, routing neo4j.ExecuteQueryConfigurationOption) (*neo4j.EagerResult, error) {
	return s.exec(ctx, cypher, params, s.timeout, routing,
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(s.timeout))) // the server stops it too
}

// exec runs one query in its own transaction within timeout, with the
// store's bookmarks.
func (s *Store) exec(ctx context.Context, cypher string, params map[string]any, timeout time.Duration, opts ...neo4j.ExecuteQueryConfigurationOption) (*neo4j.EagerResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	bm := s.bookmarks.Load()
	opts = append(opts, neo4j.ExecuteQueryWithDatabase(s.db), neo4j.ExecuteQueryWithBookmarkManager(bm.m))
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		s.forgetBookmarks(bm, err)
	}
	return res, err
}

// inSession runs fn in a write session on the store's database with the
// store's bookmarks, as exec's queries have them (a read after one of
// these writes waits for it on a cluster's follower; reviewB M6), and
// closes it; an error that may come from stale bookmarks drops them.
func (s *Store) inSession(ctx context.Context, fn func(neo4j.SessionWithContext) error) error {
	bm := s.bookmarks.Load()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite, BookmarkManager: bm.m})
	defer sess.Close(ctx)
	err := fn(sess)
	if err != nil {
		s.forgetBookmarks(bm, err)
	}
	return err
}

// single returns the one value of a one-row, one-column result, or nil.
func single(res *neo4j.EagerResult) any {
	if res == nil || len(res.Records) == 0 || len(res.Records[0].Values) == 0 {
		return nil
	}
	return res.Records[0].Values[0]
}

// autoCommit runs one statement in an implicit transaction, which
// CALL { ... } IN TRANSACTIONS needs, and consumes its result.
func (s *Store) autoCommit(ctx context.Context, cypher string, params map[string]any) error {
	return s.autoCommitWithin(ctx, s.timeout, cypher, params)
}

// autoCommitWithin is autoCommit with its own deadline, which the server
// keeps too.
func (s *Store) autoCommitWithin(ctx context.Context, timeout time.Duration, cypher string, params map[string]any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return s.inSession(ctx, func(sess neo4j.SessionWithContext) error {
		res, err := sess.Run(ctx, cypher, params, neo4j.WithTxTimeout(timeout))
		if err != nil {
			return err
		}
		_, err = res.Consume(ctx)
		return err
	})
}
