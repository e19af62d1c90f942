package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"probity"
)

// DataLoader loads a folder in the import format (docs/import-format.md)
// into the database: cmd/probity plugs graph.Store.Load in. onReject is
// called once for every rejected row, in file order; onProgress, when not
// nil, as each file starts and as its rows are read.
type DataLoader interface {
	LoadDir(ctx context.Context, dir string, strict bool, onReject func(LoadReject) error, onProgress func(LoadProgress)) (LoadResult, error)
}

// LoadProgress is where a load is: the file being read (Checking during a
// strict load's validation pass, which writes nothing), its rows and bytes
// read so far and its size.
type LoadProgress struct {
	File     string `json:"file"`
	Checking bool   `json:"checking"`
	Rows     int    `json:"rows"`
	Bytes    int64  `json:"bytes"`
	Size     int64  `json:"size"`
}

// mediaNDJSON is the answer of a /load that asked for progress.
const mediaNDJSON = "application/x-ndjson"

// LoadReject is one rejected row.
type LoadReject struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// LoadFile is what a load did with one file: Valid rows passed the checks,
// Loaded were written (none when a strict load wrote nothing), New is how
// many nodes (entity files) or links they created, the rest being already
// stored.
type LoadFile struct {
	File     string  `json:"file"`
	Read     int     `json:"read"`
	Valid    int     `json:"valid"`
	Loaded   int     `json:"loaded"`
	New      int     `json:"new"`
	Rejected int     `json:"rejected"`
	Seconds  float64 `json:"seconds"`
}

// LoadResult sums up a load: Written is false when a strict load found bad
// rows and wrote nothing.
type LoadResult struct {
	Files    []LoadFile `json:"files"`
	Rejected int        `json:"rejected"`
	Written  bool       `json:"written"`
	// Notes are what the load told besides rejects: columns absent,
	// ignored or kept as attributes, files skipped.
	Notes []string `json:"notes"`
}

// maxRejectsShown caps the rejected rows a /load answer lists (all are
// counted): enough for the whole of any load a person would fix by hand
// (the UI shows the first 1,000 and downloads them all); 1,000 left an
// admin with 1,200 bad rows no way to find the last 200 (adminB M6).
const maxRejectsShown = 100000

// loadAnswer is the body of a /load answer.
type loadAnswer struct {
	LoadResult
	Rejects          []LoadReject `json:"rejects"`
	RejectsTruncated bool         `json:"rejectsTruncated"`
}

// handleLoad serves POST /load (admin): a data set uploaded as
// multipart/form-data, one part a file named as in the import format
// (officers.csv, accesses.csv...), loaded as `probity load` loads a folder
// (?strict=true: as `probity load --strict`). The upload is capped at
// Limits.MaxUploadBytes (413 beyond) and the load at Limits.LoadTimeout.
// An audit event (who, which files, why) is written before anything is
// loaded. The answer is the load's report with its rejected rows (the
// first 1000); rows rejected is not an error (200, as `probity load` exits
// 2 but loads the good rows). A client that accepts application/x-ndjson
// gets, once the upload is in and audited, one JSON line a file started and
// about two a second while rows are read ({"progress": LoadProgress}), then
// {"result": ...} or {"error", "code"}.
func (s *Server) handleLoad(c *gin.Context) {
	start := time.Now()
	status := http.StatusOK
	defer func() { s.metrics.observe("load", status, time.Since(start)) }()
	// failed is an error's code and message for the answer; what is not
	// the caller's doing is logged, its text not shown (reviewB M4)
	failed := func(err error) (string, string) {
		code, msg := codeOf(err)
		if code == probity.EINTERNAL {
			s.opt.Logger.ErrorContext(c.Request.Context(), "load failed", "err", err)
		}
		status = httpStatus(code)
		return code, msg
	}
	fail := func(err error) {
		failed(err) // logs what is not the caller's doing
		status = writeError(c.Writer, err)
	}
	if c.Request.Method != http.MethodPost {
		c.Header("Allow", "POST")
		status = http.StatusMethodNotAllowed
		c.JSON(status, gin.H{"error": "send the data set with POST (multipart/form-data)", "code": probity.EINVALID})
		return
	}
	ctx := c.Request.Context()
	p, strict, err := s.loadGate(c)
	if err != nil {
		fail(err)
		return
	}
	// A load outlives the server's usual read and write deadlines.
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(s.opt.Limits.LoadTimeout)
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline.Add(10 * time.Second))

	dir, err := os.MkdirTemp("", "probity-upload-")
	if err != nil {
		fail(err)
		return
	}
	defer os.RemoveAll(dir)
	files, manifest, err := s.receiveDataSet(c.Writer, c.Request, dir)
	if err != nil {
		fail(err)
		return
	}
	if err := s.auditLoad(ctx, c.Request, p, files, s.auditDigest(p.Name, manifest), strict); err != nil {
		fail(err)
		return
	}
	lctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
	defer cancel()
	var stream *progressStream
	if strings.Contains(c.Request.Header.Get("Accept"), mediaNDJSON) {
		stream = startProgressStream(c.Writer)
		fail = func(err error) {
			code, msg := failed(err) // status for the metrics: the answer's status was 200
			stream.end(gin.H{"error": msg, "code": code})
		}
	}
	ans, err := s.loadDir(lctx, dir, strict, stream)
	if err != nil {
		fail(err)
		return
	}
	s.opt.Logger.Info("load", "by", p.Name, "files", strings.Join(files, ","), "rejected", ans.Rejected, "written", ans.Written,
		"seconds", time.Since(start).Seconds())
	if stream != nil {
		stream.end(gin.H{"result": ans})
		return
	}
	c.JSON(status, ans)
}

// loadGate decides whether a /load may run: the database is up, the token
// is an admin's (a token of another role is refused, EFORBIDDEN, and the
// attempt audited), the server has a loader and an audit log, and strict,
// if given, is true or false. It returns the principal and strict.
func (s *Server) loadGate(c *gin.Context) (Principal, bool, error) {
	ctx := c.Request.Context()
	if s.neo4jDown(ctx) {
		return Principal{}, false, probity.Errorf(probity.EUNAVAILABLE, "the database is unavailable; try again shortly")
	}
	p, err := s.authenticate(ctx, c.Request.Header.Get("Authorization"))
	if err != nil {
		return Principal{}, false, err
	}
	// a refused attempt is audited, as a GraphQL one beyond the token's role is
	refuse := func(purpose, msg string) (Principal, bool, error) {
		if s.opt.Audit != nil {
			if _, err := s.opt.Audit.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC().Truncate(time.Microsecond),
				Actor: p.Name, Role: p.Role, Operation: "load", Purpose: purpose}); err != nil {
				s.opt.Logger.Error("audit append failed", "err", err)
			}
		}
		return Principal{}, false, probity.Errorf(probity.EFORBIDDEN, "%s", msg)
	}
	if !p.Role.Allows(probity.RoleAdmin) {
		return refuse(refusalNote("load", ": "+probity.EFORBIDDEN), fmt.Sprintf("loading data needs the admin role; this token is %s", p.Role))
	}
	if p.OfficerID != "" {
		// the data is the evidence: badge swipes loaded by the officer they
		// are about, then a scan, cleared that officer's flag (secJ H2)
		return refuse(refusalNote("load", officerTiedNote), officerTiedMessage("load data (the data is the evidence about you)"))
	}
	if s.opt.Loader == nil || s.opt.Audit == nil {
		return Principal{}, false, probity.Errorf(probity.EUNAVAILABLE, "this server has no loader (or no audit log to record loads in)")
	}
	// A value that is not a boolean is refused: read as false, a strict
	// load asked for as ?strict=yes would write the good rows.
	strict := false
	if v, ok := c.GetQuery("strict"); ok {
		if v != "true" && v != "false" {
			return Principal{}, false, probity.Errorf(probity.EINVALID, "strict=%q: want true or false", v)
		}
		strict = v == "true"
	}
	return p, strict, nil
}

// auditLoad writes the audit event of a load about to run: who, which
// files, why (the purpose header) and the digest of what they hold. If it
// cannot, nothing is loaded: the error is EUNAVAILABLE.
func (s *Server) auditLoad(ctx context.Context, r *http.Request, p Principal, files []string, digest string, strict bool) error {
	what := probity.LoadPurpose(cleanPurpose(r.Header.Get(PurposeHeader)), strings.Join(files, ", "), strict, false)
	if _, err := s.opt.Audit.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC().Truncate(time.Microsecond),
		Actor: p.Name, Role: p.Role, Operation: "load", Purpose: what, VariablesDigest: digest}); err != nil {
		s.opt.Logger.Error("audit append failed; load refused", "err", err)
		s.metrics.auditErr.Inc()
		return probity.Errorf(probity.EUNAVAILABLE, "the audit log cannot be written, so nothing is loaded; try again")
	}
	return nil
}

// loadDir loads dir and returns the answer: the load's report, with empty
// lists rather than none, and its first maxRejectsShown rejected rows. The
// progress goes to stream, if any.
func (s *Server) loadDir(ctx context.Context, dir string, strict bool, stream *progressStream) (loadAnswer, error) {
	ans := loadAnswer{Rejects: []LoadReject{}}
	res, err := s.opt.Loader.LoadDir(ctx, dir, strict, func(r LoadReject) error {
		if len(ans.Rejects) < maxRejectsShown {
			ans.Rejects = append(ans.Rejects, r)
		} else {
			ans.RejectsTruncated = true
		}
		return nil
	}, stream.update)
	if err != nil {
		return ans, err
	}
	ans.LoadResult = res
	if ans.Files == nil {
		ans.Files = []LoadFile{}
	}
	if ans.Notes == nil {
		ans.Notes = []string{}
	}
	return ans, nil
}

// progressStream writes a load's progress as JSON lines: a line at once
// when a file starts, else at most one every half second. Only its own
// goroutine writes to the client, so a slow client never holds the loader
// back: file starts queue (up to 32; beyond that only the latest progress
// is sent) and the rest is latest-wins.
type progressStream struct {
	w      gin.ResponseWriter
	mu     sync.Mutex // guards last
	last   LoadProgress
	starts chan LoadProgress
	stop   chan struct{}
	done   chan struct{}
}

func startProgressStream(w gin.ResponseWriter) *progressStream {
	w.Header().Set("Content-Type", mediaNDJSON+"; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Flush()
	ps := &progressStream{w: w, starts: make(chan LoadProgress, 32), stop: make(chan struct{}), done: make(chan struct{})}
	go ps.write()
	return ps
}

// write sends the queued file starts and, every half second, the latest
// progress if it changed, until end.
func (ps *progressStream) write() {
	defer close(ps.done)
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	var sent LoadProgress
	for {
		select {
		case <-ps.stop:
			return
		case p := <-ps.starts:
			ps.line(gin.H{"progress": p})
			sent = p
		case <-t.C:
			if p, ok := ps.sendStarts(); ok { // before any later progress of those files
				sent = p
			}
			ps.mu.Lock()
			p := ps.last
			ps.mu.Unlock()
			if p != sent {
				ps.line(gin.H{"progress": p})
				sent = p
			}
		}
	}
}

// update records where the load is (nil: no stream, nothing to do); it
// never waits for the client.
func (ps *progressStream) update(p LoadProgress) {
	if ps == nil {
		return
	}
	ps.mu.Lock()
	newFile := p.File != ps.last.File || p.Checking != ps.last.Checking
	ps.last = p
	ps.mu.Unlock()
	if newFile {
		select {
		case ps.starts <- p:
		default:
		}
	}
}

// sendStarts writes the file starts queued and returns the last, if any.
func (ps *progressStream) sendStarts() (last LoadProgress, ok bool) {
	for {
		select {
		case p := <-ps.starts:
			ps.line(gin.H{"progress": p})
			last, ok = p, true
		default:
			return last, ok
		}
	}
}

// line writes one JSON line and flushes it.
func (ps *progressStream) line(v any) {
	b, _ := json.Marshal(v)
	ps.w.Write(append(b, '\n'))
	ps.w.Flush()
}

// end sends the file starts still queued, stops the writer and writes the
// last line.
func (ps *progressStream) end(v any) {
	close(ps.stop)
	<-ps.done
	ps.sendStarts()
	ps.line(v)
}

// receiveDataSet stores the files of a multipart upload in dir and returns
// their names, sorted, and the manifest of what they hold, whose digest
// (auditDigest, keyed: a small upload could be guessed and checked by a
// reader of the log; secN L1) the load's audit event carries: one line a
// file in name order, its name, a NUL, its size, a NUL and the hex SHA-256
// of its bytes (hashed as they are written, so that what was loaded can be
// told from another set of the same names; secE). Each part must carry a
// file named as an import file (or truth.csv, traps.csv); a part without a
// file name, an unknown or a repeated name, or a body over
// Limits.MaxUploadBytes is refused, coded EINVALID (413 for the size).
func (s *Server) receiveDataSet(w http.ResponseWriter, r *http.Request, dir string) (names []string, manifest []byte, err error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, nil, probity.Errorf(probity.EINVALID, "send the data set as multipart/form-data, one part a CSV file named as in the import format (curl -F file=@officers.csv ...)")
	}
	limit := s.opt.Limits.MaxUploadBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, probity.Errorf(probity.EINVALID, "not a multipart body: %v", err)
	}
	sums := map[string]string{} // name → its line of the digest: the files received
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, uploadError(err, limit)
		}
		name := part.FileName() // its base name (mime/multipart drops a path)
		if name == "" {
			part.Close()
			// a file sent as a form field (curl -F file=<x.csv) had been
			// passed over unsaid (fuzzG)
			return nil, nil, probity.Errorf(probity.EINVALID, "part %q has no file name: send each file as a file (curl -F file=@officers.csv)", part.FormName())
		}
		if _, ok := probity.ImportFile(name); !ok && name != probity.TruthFile && name != probity.TrapsFile {
			part.Close()
			return nil, nil, probity.Errorf(probity.EINVALID, "%q is not a file of the import format (docs/import-format.md: officers.csv, persons.csv, ... complaint_officers.csv)", name)
		}
		if _, dup := sums[name]; dup {
			part.Close()
			return nil, nil, probity.Errorf(probity.EINVALID, "%s is in the upload twice", name)
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			part.Close()
			return nil, nil, err
		}
		h := sha256.New() // hashed as it is written: the file is not read again for the digest
		n, err := io.Copy(io.MultiWriter(f, h), part)
		part.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, nil, uploadError(err, limit)
		}
		names = append(names, name)
		sums[name] = fmt.Sprintf("%s\x00%d\x00%x\n", name, n, h.Sum(nil))
	}
	if len(names) == 0 {
		return nil, nil, probity.Errorf(probity.EINVALID, "the upload holds no file")
	}
	sort.Strings(names)
	for _, name := range names {
		manifest = append(manifest, sums[name]...)
	}
	return names, manifest, nil
}

// uploadError names a body over the limit (413) or an unreadable one.
func uploadError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return probity.Errorf(probity.ELIMIT, "the upload is over %d MiB (PROBITY_MAX_UPLOAD_MB); load larger sets with probity load on the server", limit>>20)
	}
	return probity.Errorf(probity.EINVALID, "reading the upload: %v", err)
}
