package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
)

// bench-api measures the latency of depth-2 neighbourhoods and of the flag
// queue (first 50) through the GraphQL API (HTTP, token, audit, JSON) and of
// the same Store calls made straight through the driver, with C concurrent
// clients for a fixed time each, in the same run. Each driver twin then
// decodes a JSON document of the shape its GraphQL twin answers, as the
// GraphQL client does (the encoding of that document is not timed), so both
// sides do the same client-side work. It prints one JSON object a line (see
// scripts/bench).

type benchResult struct {
	Case     string  `json:"case"`
	Clients  int     `json:"clients"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50ms    float64 `json:"p50_ms"`
	P90ms    float64 `json:"p90_ms"`
	P99ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
	PerSec   float64 `json:"per_s"`
	Nodes    float64 `json:"mean_nodes,omitempty"`
	// CPU time a request, in ms: this process (API server, bench clients
	// and driver alike) and, with --neo4j-pid, the Neo4j server.
	GoCPUms    float64 `json:"go_cpu_ms_per_req,omitempty"`
	Neo4jCPUms float64 `json:"neo4j_cpu_ms_per_req,omitempty"`
	// AuditBatch is the audit events each group-commit transaction carried
	// (cases that write none: 0).
	AuditBatch float64 `json:"audit_events_per_batch,omitempty"`
	// AuditRereads is the batches that found the chain's head moved by
	// another writer and were written again from the head read.
	AuditRereads int64 `json:"audit_rereads,omitempty"`
}

// cpuClock reads the CPU time used so far by this process and, when pid is
// not 0, by process pid (from /proc; 0 where it cannot be read).
func cpuClock(pid int) (self, other time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if pid == 0 {
		return self, 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return self, 0
	}
	// Fields after the command (which may hold spaces): utime, stime are
	// the 12th and 13th after the closing parenthesis, in clock ticks.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return self, 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return self, time.Duration(ut+st) * time.Second / ticksPerSecond
}

func cmdBenchAPI(ctx context.Context, e *env, args []string) error {
	o, err := parseBenchAPI(e, args)
	if err != nil {
		return err
	}
	// The API runs in this process as it runs in probity serve, with its
	// collector target (which the client side of the bench shares).
	tuneGC(e.getenv)
	if o.pprofAddr != "" {
		stop, err := servePprof(o.pprofAddr)
		if err != nil {
			return err
		}
		defer stop()
	}
	store, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	seeds, err := ordinarySeeds(ctx, store, o.data, o.nseeds)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "bench-api: %d ordinary seeds\n", len(seeds))
	cl, err := newBenchClient(ctx, store, o.depth)
	if err != nil {
		return err
	}
	// Two servers: the real one, and one whose audit append is a no-op, to
	// tell the cost of the hash-chained audit log from the rest of the API.
	url, stop, err := serveBench(store, store)
	if err != nil {
		return err
	}
	defer stop()
	urlNoAudit, stop2, err := serveBench(store, noAudit{store, store})
	if err != nil {
		return err
	}
	defer stop2()
	if err := cl.warmUp(ctx, seeds, url); err != nil {
		return err
	}
	return runBenchCases(ctx, e, store.AuditStats, o, seeds, cl.cases(url, urlNoAudit))
}

// cases are bench-api's cases, named as benchCaseNames lists them, in the
// order they are reported (runBenchCases interleaves them).
func (cl *benchClient) cases(url, urlNoAudit string) []benchCase {
	return []benchCase{
		{"neighbourhood-graphql", cl.nbhdGQL(url)}, {"neighbourhood-driver", cl.nbhdDriver},
		{"neighbourhood-graphql-noaudit", cl.nbhdGQL(urlNoAudit)},
		{"flags-graphql", cl.flagsGQL(url)}, {"flags-driver", cl.flagsDriver},
		{"flags-graphql-noaudit", cl.flagsGQL(urlNoAudit)},
	}
}

// benchCaseNames are the names --cases may give.
var benchCaseNames = []string{"neighbourhood-graphql", "neighbourhood-driver", "neighbourhood-graphql-noaudit",
	"flags-graphql", "flags-driver", "flags-graphql-noaudit"}

// benchAPIFlags are bench-api's flags, parsed.
type benchAPIFlags struct {
	data, only, pprofAddr   string
	conc                    []int
	dur                     time.Duration
	neo4jPID, nseeds, depth int
	rounds                  int
}

// parseBenchAPI reads bench-api's flags; a missing --data, an argument, a
// bad --clients or a --cases name that is no case is a usage error (exit
// code 64).
func parseBenchAPI(e *env, args []string) (benchAPIFlags, error) {
	fs := flag.NewFlagSet("bench-api", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "the loaded folder (officers.csv and persons.csv give the seeds)")
	clients := fs.String("clients", "4,8", "concurrent clients, comma-separated")
	dur := fs.Duration("duration", 20*time.Second, "how long each case runs at each concurrency (counted; a warm-up round adds duration/rounds)")
	rounds := fs.Int("rounds", 5, "rounds the duration is cut into, the cases interleaved")
	neo4jPID := fs.Int("neo4j-pid", 0, "also report the CPU time a request of this Neo4j server process (Linux)")
	nseeds := fs.Int("seeds", 300, "ordinary (non-hub) officers and persons to sample")
	depth := fs.Int("depth", 2, "neighbourhood depth")
	only := fs.String("cases", "", "run only these cases (comma-separated names, e.g. neighbourhood-graphql,neighbourhood-driver)")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof (CPU, block, mutex) on this address during the run")
	if err := fs.Parse(args); err != nil || *data == "" || fs.NArg() > 0 || *rounds < 1 || *dur < time.Duration(*rounds)*time.Second {
		return benchAPIFlags{}, &exitError{code: 64, err: fmt.Errorf("usage: probity bench-api --data DIR [--clients 4,8] [--duration 20s] [--rounds 5] (at least a second a round)")}
	}
	if *only != "" {
		for _, n := range strings.Split(*only, ",") {
			if !slices.Contains(benchCaseNames, n) {
				return benchAPIFlags{}, &exitError{code: 64, err: fmt.Errorf("--cases: no case %q (the cases: %s)", n, strings.Join(benchCaseNames, ", "))}
			}
		}
	}
	var conc []int
	for _, c := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n <= 0 {
			return benchAPIFlags{}, &exitError{code: 64, err: fmt.Errorf("--clients %q", *clients)}
		}
		conc = append(conc, n)
	}
	return benchAPIFlags{data: *data, only: *only, pprofAddr: *pprofAddr, conc: conc, dur: *dur,
		neo4jPID: *neo4jPID, nseeds: *nseeds, depth: *depth, rounds: *rounds}, nil
}

// serveBench serves the API over store, with audit as its audit log, on a
// free local port, and returns its GraphQL URL and how to stop it.
func serveBench(store *graph.Store, audit api.AuditLog) (string, func(), error) {
	srv := &http.Server{Handler: api.New(api.Options{Health: store, Graph: store, Tokens: store, Audit: audit, Flags: store,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SchemaVersion: graph.LatestSchemaVersion(),
		PseudonymKey: []byte("bench"), Limits: api.DefaultLimits()})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/graphql", func() { srv.Close() }, nil
}

// benchClient makes bench-api's requests: the GraphQL queries with an
// analyst token of its own, and their driver twins on the store.
type benchClient struct {
	store  *graph.Store
	hc     *http.Client
	secret string
	name   string // the token's, as the API reveals flags to it
	depth  int
}

// newBenchClient creates the analyst token the client's GraphQL requests
// carry.
func newBenchClient(ctx context.Context, store *graph.Store, depth int) (*benchClient, error) {
	secret, tok, err := api.NewToken(fmt.Sprintf("bench-%d", time.Now().UnixNano()), probity.RoleAnalyst)
	if err != nil {
		return nil, err
	}
	if err := store.CreateToken(ctx, tok); err != nil {
		return nil, err
	}
	return &benchClient{store: store, hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		secret: secret, name: tok.Name, depth: depth}, nil
}

// post sends query to url and decodes the answer's data into out; a status
// other than 200 or an error in the answer is an error.
func (cl *benchClient) post(ctx context.Context, url, query string, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cl.secret)
	res, err := cl.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var doc struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		return err
	}
	if res.StatusCode != 200 || len(doc.Errors) > 0 {
		return fmt.Errorf("status %d %v", res.StatusCode, doc.Errors)
	}
	return json.Unmarshal(doc.Data, out)
}

// nbhdGQL asks the API at url for a seed's neighbourhood.
func (cl *benchClient) nbhdGQL(url string) benchFn {
	return func(ctx context.Context, s probity.Ref) (int, time.Duration, error) {
		var out nbhdDoc
		query := fmt.Sprintf(`{ neighbourhood(ids: [%q], depth: %d) { nodes { id } edges { id } truncated } }`, s.Key(), cl.depth)
		if err := cl.post(ctx, url, query, &out); err != nil {
			return 0, 0, err
		}
		return len(out.Neighbourhood.Nodes), 0, nil
	}
}

// flagsGQL asks the API at url for the first 50 flags of the queue.
func (cl *benchClient) flagsGQL(url string) benchFn {
	const flagsQuery = `{ flags(first: 50) { nodes { id pattern status score officer { id } } pageInfo { hasNextPage endCursor } } }`
	return func(ctx context.Context, _ probity.Ref) (int, time.Duration, error) {
		var out flagsDoc
		if err := cl.post(ctx, url, flagsQuery, &out); err != nil {
			return 0, 0, err
		}
		return len(out.Flags.Nodes), 0, nil
	}
}

// nbhdDriver is nbhdGQL's driver twin. The driver twins make the Store
// calls the resolvers make for these queries, then decode the same document
// as the GraphQL client (its encoding, which stands for nothing on the
// GraphQL side, is not timed).
func (cl *benchClient) nbhdDriver(ctx context.Context, s probity.Ref) (int, time.Duration, error) {
	g, err := cl.store.Neighbourhood(ctx, probity.NeighbourhoodQuery{Seeds: []probity.Ref{s}, Depth: cl.depth, Limit: 200})
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	var doc nbhdDoc
	for _, n := range g.Nodes {
		doc.Neighbourhood.Nodes = append(doc.Neighbourhood.Nodes, struct{ ID string }{n.Ref().Key()})
	}
	for _, e := range g.Edges {
		doc.Neighbourhood.Edges = append(doc.Neighbourhood.Edges, struct{ ID string }{e.ID})
	}
	doc.Neighbourhood.Truncated = len(g.Truncated) > 0
	b, untimed := encodeUntimed(doc, t0)
	var out nbhdDoc
	return len(g.Nodes), untimed, json.Unmarshal(b, &struct{ Data *nbhdDoc }{&out})
}

// flagsDriver is flagsGQL's driver twin.
func (cl *benchClient) flagsDriver(ctx context.Context, _ probity.Ref) (int, time.Duration, error) {
	list, _, err := cl.store.FlagQueue(ctx, probity.FlagQuery{Statuses: []probity.FlagStatus{probity.FlagNew, probity.FlagInReview}, Limit: 51})
	if err != nil {
		return 0, 0, err
	}
	more := len(list) > 50
	if more {
		list = list[:50]
	}
	ids := make([]string, len(list))
	var refs []probity.Ref
	seen := map[string]bool{}
	for i, f := range list {
		ids[i] = f.ID
		if !seen[f.OfficerID] {
			seen[f.OfficerID] = true
			refs = append(refs, probity.Ref{Label: probity.LabelOfficer, ID: f.OfficerID})
		}
	}
	if len(ids) > 0 {
		if _, err := cl.store.RevealedFlags(ctx, cl.name, ids); err != nil {
			return 0, 0, err
		}
	}
	officers, err := cl.store.Entities(ctx, refs)
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	key := map[string]string{}
	for _, n := range officers {
		key[n.ID] = n.Ref().Key()
	}
	var doc flagsDoc
	for _, f := range list {
		doc.Flags.Nodes = append(doc.Flags.Nodes, flagDocNode{ID: f.ID, Pattern: f.Pattern, Status: string(f.Status),
			Score: f.Score, Officer: struct{ ID string }{key[f.OfficerID]}})
	}
	doc.Flags.PageInfo.HasNextPage = more
	b, untimed := encodeUntimed(doc, t0)
	var out flagsDoc
	return len(list), untimed, json.Unmarshal(b, &struct{ Data *flagsDoc }{&out})
}

// warmUp warms the plan and page caches with one pass over the seeds, then
// one request of each other kind against the API at url.
func (cl *benchClient) warmUp(ctx context.Context, seeds []probity.Ref, url string) error {
	for _, s := range seeds {
		if _, _, err := cl.nbhdDriver(ctx, s); err != nil {
			return fmt.Errorf("warm-up %s: %w", s.Key(), err)
		}
	}
	for _, fn := range []benchFn{cl.flagsDriver, cl.flagsGQL(url), cl.nbhdGQL(url)} {
		if _, _, err := fn(ctx, seeds[0]); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	return nil
}

// benchCase is one named case of bench-api.
type benchCase struct {
	name string
	fn   benchFn
}

// runBenchCases runs the cases (those --cases names, if given) at each
// concurrency, interleaved: o.rounds rounds of dur/rounds a case, each
// round starting one case further on, after a first round not counted.
// Whatever drifts during a run (a Neo4j just started compiling its write
// path, the page cache filling, other load on the machine) then hits every
// case alike; run one after the other, the first case after a server start
// had paid for it (issue 5: a GraphQL p50 of 29 ms first, 19 ms a minute
// later). It reports each case on stderr and, as a JSON object, on stdout,
// with the audit batches that audit (the store's counts) tells of.
func runBenchCases(ctx context.Context, e *env, audit func() graph.AuditStats, o benchAPIFlags, seeds []probity.Ref, cases []benchCase) error {
	var run []benchCase
	for _, cs := range cases {
		if o.only == "" || slices.Contains(strings.Split(o.only, ","), cs.name) {
			run = append(run, cs)
		}
	}
	slice := o.dur / time.Duration(o.rounds)
	enc := json.NewEncoder(e.stdout)
	for _, c := range o.conc {
		got := make([]benchSamples, len(run))
		for round := 0; round <= o.rounds; round++ {
			for k := range run {
				i := (k + round) % len(run)
				a0 := audit()
				smp := hammer(ctx, c, slice, seeds, run[i].fn, o.neo4jPID, uint64(round))
				if round > 0 { // round 0 warms up
					got[i].add(smp, a0, audit())
				}
			}
		}
		for i, cs := range run {
			r := got[i].result(cs.name, c)
			fmt.Fprintf(e.stderr, "bench-api: %-29s c=%d  %d req  p50 %.1f ms  p99 %.1f ms  %d errors  cpu/req %.2f ms go, %.2f ms neo4j  audit %.2f events/batch, %d rereads\n",
				r.Case, c, r.Requests, r.P50ms, r.P99ms, r.Errors, r.GoCPUms, r.Neo4jCPUms, r.AuditBatch, r.AuditRereads)
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// benchFn is one request of a case; untimed is time inside it not to count.
type benchFn func(ctx context.Context, seed probity.Ref) (n int, untimed time.Duration, err error)

// nbhdDoc and flagsDoc are the data of the bench's two GraphQL queries as
// the client decodes them.
type nbhdDoc struct {
	Neighbourhood struct {
		Nodes     []struct{ ID string }
		Edges     []struct{ ID string }
		Truncated bool
	}
}

type flagDocNode struct {
	ID, Pattern, Status string
	Score               float64
	Officer             struct{ ID string }
}

type flagsDoc struct {
	Flags struct {
		Nodes    []flagDocNode
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// encodeUntimed encodes v as a GraphQL answer's JSON and returns the time
// since t0 (the driver twin's untimed part).
func encodeUntimed(v any, t0 time.Time) ([]byte, time.Duration) {
	b, _ := json.Marshal(map[string]any{"data": v})
	return b, time.Since(t0)
}

// servePprof serves net/http/pprof on addr with block and mutex profiling on.
func servePprof(addr string) (func(), error) {
	runtime.SetBlockProfileRate(int(100 * time.Microsecond))
	runtime.SetMutexProfileFraction(10)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}

// benchSamples are what the requests of a case gave, over its slices.
type benchSamples struct {
	lat             []time.Duration
	errs, nodes     int
	took            time.Duration // the slices' length
	cpuSelf, cpuNeo time.Duration
	audit           graph.AuditStats // the audit log's batches during them
}

// add adds the samples of one slice, and the audit batches written in it
// (the audit counts before it, a0, and after it, a1).
func (b *benchSamples) add(s benchSamples, a0, a1 graph.AuditStats) {
	b.lat = append(b.lat, s.lat...)
	b.errs += s.errs
	b.nodes += s.nodes
	b.took += s.took
	b.cpuSelf += s.cpuSelf
	b.cpuNeo += s.cpuNeo
	b.audit.Batches += a1.Batches - a0.Batches
	b.audit.Events += a1.Events - a0.Events
	b.audit.Rereads += a1.Rereads - a0.Rereads
}

// hammer runs fn from c goroutines for d, each on random seeds (drawn from
// the stream of random numbers named by stream and the goroutine).
func hammer(ctx context.Context, c int, d time.Duration, seeds []probity.Ref, fn benchFn, pid int, stream uint64) benchSamples {
	self0, other0 := cpuClock(pid)
	var mu sync.Mutex
	var out benchSamples
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < c; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), stream))
			for time.Now().Before(end) && ctx.Err() == nil {
				s := seeds[rng.IntN(len(seeds))]
				t0 := time.Now()
				n, untimed, err := fn(ctx, s)
				el := time.Since(t0) - untimed
				mu.Lock()
				if err != nil {
					out.errs++
				} else {
					out.lat = append(out.lat, el)
					out.nodes += n
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	self1, other1 := cpuClock(pid)
	out.took, out.cpuSelf, out.cpuNeo = d, self1-self0, other1-other0
	return out
}

// result is the case's figures: latency percentiles, rate, CPU time and
// audit batches a request.
func (b *benchSamples) result(name string, c int) benchResult {
	lat := slices.Clone(b.lat)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	r := benchResult{Case: name, Clients: c, Requests: len(lat), Errors: b.errs, P50ms: pct(0.5), P90ms: pct(0.9),
		P99ms: pct(0.99), MaxMs: pct(1)}
	if b.took > 0 {
		r.PerSec = float64(len(lat)) / b.took.Seconds()
	}
	if len(lat) > 0 {
		r.Nodes = float64(b.nodes) / float64(len(lat))
	}
	if n := len(lat) + b.errs; n > 0 {
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
		r.GoCPUms, r.Neo4jCPUms = ms(b.cpuSelf), ms(b.cpuNeo)
	}
	if b.audit.Batches > 0 {
		r.AuditBatch = float64(b.audit.Events) / float64(b.audit.Batches)
		r.AuditRereads = b.audit.Rereads
	}
	return r
}

// ordinarySeeds samples officers and persons from the folder and keeps
// those that are not hubs: fewer than probity.HubDegree association
// neighbours (a depth-1 neighbourhood over association links).
func ordinarySeeds(ctx context.Context, store *graph.Store, dir string, n int) ([]probity.Ref, error) {
	var cand []probity.Ref
	for _, f := range []struct{ file, label string }{{"officers.csv", probity.LabelOfficer}, {"persons.csv", probity.LabelPerson}} {
		ids, err := firstColumn(filepath.Join(dir, f.file))
		if err != nil {
			return nil, err
		}
		rng := rand.New(rand.NewPCG(1, uint64(len(ids))))
		for i := 0; i < n && len(ids) > 0; i++ {
			cand = append(cand, probity.Ref{Label: f.label, ID: ids[rng.IntN(len(ids))]})
		}
	}
	var out []probity.Ref
	for _, s := range cand {
		g, err := store.Neighbourhood(ctx, probity.NeighbourhoodQuery{Seeds: []probity.Ref{s}, Depth: 1,
			RelTypes: probity.AssociationRels, Limit: 100})
		if err != nil {
			return nil, err
		}
		if len(g.Nodes)-1 <= probity.HubDegree {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no ordinary officer or person found in %s", dir)
	}
	return out, nil
}

func firstColumn(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	var ids []string
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return ids, nil
		}
		if err != nil {
			return nil, err
		}
		if i > 0 {
			ids = append(ids, rec[0])
		}
	}
}

// noAudit is the audit log with appends dropped: bench-api's diagnostic
// case only, never served. An append for a token still confirms the token
// (by a lookup, as the real append does in its statement), so the case
// measures the API without the audit write, not without the token check.
type noAudit struct {
	api.AuditLog
	tokens api.TokenStore
}

func (noAudit) AppendAudit(_ context.Context, e probity.AuditEvent) (probity.AuditEvent, error) {
	return e, nil
}

func (n noAudit) AppendAuditFor(ctx context.Context, e probity.AuditEvent, c probity.TokenClaim) (probity.AuditEvent, error) {
	t, err := n.tokens.TokenByHash(ctx, c.Hash)
	if err != nil || t.RevokedAt != nil || t.ID != c.ID || t.Name != c.Name || t.Role != c.Role || t.OfficerID != c.OfficerID {
		return e, probity.Errorf(probity.EUNAUTHORIZED, "the token was revoked or changed")
	}
	return e, nil
}
