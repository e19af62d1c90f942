package graph

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// DefaultBatchSize is the number of rows a load writes in one transaction,
// chosen by measurement (docs/BENCHMARKS.md, "Loader").
const DefaultBatchSize = 1000

// DefaultWriters is the number of transactions a load keeps in flight for
// the batches of a fresh file (docs/BENCHMARKS.md, "Loader").
const DefaultWriters = 2

// Progress receives the loader's progress so that the command can draw it;
// the graph package prints nothing itself. Calls come from the goroutine
// that called Load.
type Progress interface {
	// FileStart announces a file of size bytes; checking is true during the
	// validation pass of a strict load, which writes nothing.
	FileStart(file string, size int64, checking bool)
	// FileProgress reports the rows and bytes read so far.
	FileProgress(file string, rows int, bytes int64)
	// FileDone reports a file's totals.
	FileDone(r FileReport)
	// Notice reports something the user should know (an ignored file).
	Notice(msg string)
}

// LoadOptions tune a load.
type LoadOptions struct {
	Strict    bool               // validate every file first; write nothing if any row is bad
	CheckOnly bool               // validate every file and write nothing (load --bulk writes through neo4j-admin)
	BatchSize int                // rows a transaction; default DefaultBatchSize
	Writers   int                // transactions in flight for a fresh file; default DefaultWriters
	Progress  Progress           // may be nil
	OnReject  func(Reject) error // called once for every rejected row, in file order; may be nil
	// Started, when not nil, is called once the load holds the load lock,
	// before it reads a row: probity load writes its audit event there, so
	// that a load refused for the lock leaves no event that looks like a
	// load (opsV). An error stops the load before it writes anything.
	Started func() error
	// Again is what the user does to complete a load that stopped
	// (Neo4j lost, interrupted); default "rerun probity load DIR". An
	// upload's folder is gone by then, so POST /load says to send the
	// files again.
	Again string
}

// FileReport is what a load did with one file.
type FileReport struct {
	File   string
	Read   int // data rows read (the header not counted)
	Loaded int // rows written and committed (or, when nothing was written, that passed validation)
	// New counts the nodes (entity files) or relationships (link files)
	// the committed rows created: a reload of the same file creates none,
	// a day's extract as many as it brings.
	New      int
	Rejected int
	Duration time.Duration
	Stopped  bool // the load stopped during this file (interrupted, Neo4j lost)
}

// LoadReport sums up a load.
type LoadReport struct {
	Files    []FileReport
	Rejected int
	Written  bool // false when a strict load found bad rows and wrote nothing
}

// ignoredFiles are files of a data set that the loader knows and skips.
var ignoredFiles = map[string]string{
	probity.TruthFile: "ground truth of a generated set, read by probity eval",
	probity.TrapsFile: "decoys of a generated set, read by probity eval",
}

// Load reads the import files present in dir (probity.ImportFiles, in that
// order: entities first, then links), validates every row and writes the
// good ones in batched transactions, MERGEd on the keys of
// docs/data-model.md so that loading a set twice leaves the same graph. A
// bad row is passed to opts.OnReject and never half-written. Files are
// streamed; the loader keeps in memory the ids of the entities it has seen
// (and of PAID payments), not the rows.
//
// The database must have the schema (Migrate): the writes MERGE on the
// unique id constraints and name their indexes in hints. The error is nil
// when the load ran to its end, rejects or not; a lost connection is an
// EUNAVAILABLE error that names the file and line reached.
func (s *Store) Load(ctx context.Context, dir string, opts LoadOptions) (*LoadReport, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Writers <= 0 {
		opts.Writers = DefaultWriters
	}
	files, err := s.loadFiles(dir, opts.Progress)
	if err != nil {
		return nil, err
	}
	if opts.CheckOnly || len(files) == 0 {
		// nothing to write (a check, or a folder without import files): no
		// lock, so neither waits for a load that is running
		return newLoader(s, dir, opts, !opts.CheckOnly).run(ctx, files)
	}
	locked, release, tookOver, err := s.lockLoad(ctx)
	if probity.ErrorCode(err) == probity.EUNAVAILABLE { // Neo4j lost before the lock: what to do, as later
		return nil, newLoader(s, dir, opts, true).stopped(ctx, err, "the start", 0)
	}
	if err != nil {
		return nil, err
	}
	ctx = locked
	defer release()
	if err := s.NotAhead(ctx); err != nil {
		return nil, err
	}
	if tookOver != "" && opts.Progress != nil {
		opts.Progress.Notice(tookOver)
	}
	if opts.Started != nil {
		if err := opts.Started(); err != nil {
			return nil, err
		}
	}
	if opts.Strict {
		check := newLoader(s, dir, opts, false)
		rep, err := check.run(ctx, files)
		if err != nil || rep.Rejected > 0 {
			return rep, err
		}
	}
	w := newLoader(s, dir, opts, true)
	w.noted = opts.Strict // the check pass told the header notes
	return w.run(ctx, files)
}

// loadFiles lists the import files of dir in load order and tells the
// progress about every other file. A file meant for the format under
// another name ("Accesses.csv", a dated "payments_2025-06-01.csv") or a
// folder named as a file refuses the whole load, before anything is
// written: left out with a notice, the rest loaded and the exit status 0,
// a nightly script took a day without its accesses for loaded (formatB M2).
func (s *Store) loadFiles(dir string, progress Progress) ([]probity.FileSpec, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, probity.Errorf(probity.EINVALID, "read data set: %v", err)
	}
	present := map[string]bool{}
	var misnamed []string
	for _, e := range entries {
		name := e.Name()
		_, known := probity.ImportFile(name)
		miss := nearMiss(name)
		switch {
		case known && !e.IsDir():
			present[name] = true
		case known:
			misnamed = append(misnamed, name+": a folder, not a file")
		case miss != "":
			misnamed = append(misnamed, name+": "+miss)
		case progress == nil:
		case ignoredFiles[name] != "":
			progress.Notice(fmt.Sprintf("%s: ignored (%s)", name, ignoredFiles[name]))
		default:
			progress.Notice(name + ": ignored (not a file of the import format)")
		}
	}
	if len(misnamed) > 0 {
		return nil, probity.Errorf(probity.EINVALID, "%s holds what looks meant for the import format under another name (%s); rename it and load again: nothing loaded",
			filepath.Base(dir), strings.Join(misnamed, "; "))
	}
	var specs []probity.FileSpec
	for _, f := range probity.ImportFiles {
		if present[f.Name] {
			specs = append(specs, f)
		}
	}
	return specs, nil
}

// nearMiss says which import file a name was perhaps meant to be: the same
// in other case ("Accesses.csv"), or with a suffix ("accesses_2025-06-01.csv":
// one folder a day, each file named exactly); "" when none.
//
// The suffix follows the whole name of a file, the longest that fits
// ("badge_swipes_2025-06-02.csv" is badge_swipes.csv): cut at the first
// "_", the five files whose names hold one were never recognised (reviewM
// H1). It is a date, a number or a copy ("accesses (1).csv", a browser's
// second download; "_copy"): a word ("persons of interest.csv",
// "cases-closed.csv") is another file, ignored with a notice (reviewN L2).
func nearMiss(name string) string {
	lower := strings.ToLower(name)
	if _, ok := probity.ImportFile(lower); ok {
		return "file names are lower case: " + lower
	}
	stem, ok := strings.CutSuffix(lower, ".csv")
	if !ok {
		return ""
	}
	best := ""
	for _, f := range probity.ImportFiles {
		base := strings.TrimSuffix(f.Name, ".csv")
		if len(base) > len(best) && strings.HasPrefix(stem, base) && datedSuffix.MatchString(stem[len(base):]) {
			best = base
		}
	}
	if best == "" {
		return ""
	}
	return "each file is named exactly " + best + ".csv: put each day's files in a folder of their own"
}

// datedSuffix is what a dated or copied import file adds to its name: a
// separator, then digits (a date, a number: "_2025-06-01", "-20250601",
// ".1", " (1)") or "copy".
var datedSuffix = regexp.MustCompile(`^[_ .-]+(\(?[0-9][0-9_. ()-]*|copy( ?\(?[0-9]+\)?)?)$`)

// loader is one pass over a data set.
type loader struct {
	s     *Store
	dir   string
	opts  LoadOptions
	write bool
	noted bool // header notes were told by an earlier pass
	// started: when the load began, against which events dated ahead are
	// told (fileRun.ahead)
	started time.Time
	// known holds, per label, the ids seen in this load (with the line of
	// their file, by file name) or found in the database (line 0).
	known  map[string]map[string]origin
	absent map[string]map[string]bool // ids looked up in the database and not found
	// rejected holds, per label, the ids whose own row this load rejected
	// (file and line), so that a row naming one says why it is unknown.
	rejected map[string]map[string]origin
	// emptyAtStart holds the data labels of which the database held no node
	// when the load began: an id of such a label that this load has not
	// seen is in no database, so it needs no lookup.
	emptyAtStart map[string]bool
	seed         maphash.Seed
	rep          *LoadReport

	// Batches in flight: at most opts.Writers at once; a batch that MERGEs
	// waits for every earlier one (it may need to see their writes), and a
	// file ends only when all its batches are committed.
	inflight sync.WaitGroup
	slots    chan struct{}
	mu       sync.Mutex
	werr     error // the first write error
}

type origin struct {
	file string
	line int32
}

func newLoader(s *Store, dir string, opts LoadOptions, write bool) *loader {
	return &loader{s: s, dir: dir, opts: opts, write: write, started: time.Now(),
		known: map[string]map[string]origin{}, absent: map[string]map[string]bool{}, rejected: map[string]map[string]origin{},
		emptyAtStart: map[string]bool{}, seed: maphash.MakeSeed(),
		slots: make(chan struct{}, max(opts.Writers, 1)),
		rep:   &LoadReport{Written: write}}
}

func (l *loader) run(ctx context.Context, files []probity.FileSpec) (*LoadReport, error) {
	for _, lb := range probity.DataLabels {
		has, err := l.s.holdsAny(ctx, cypherAnyNode, lb)
		if err != nil {
			return l.rep, l.stopped(ctx, err, "the start", 0)
		}
		l.emptyAtStart[lb] = !has
	}
	for _, spec := range files {
		start := time.Now()
		fr := FileReport{File: spec.Name}
		err := l.file(ctx, spec, &fr)
		if werr := l.wait(); err == nil {
			err = werr
		}
		fr.Duration = time.Since(start)
		fr.Stopped = err != nil
		if l.opts.Progress != nil {
			l.opts.Progress.FileDone(fr)
		}
		l.rep.Files = append(l.rep.Files, fr)
		l.rep.Rejected += fr.Rejected
		if err != nil {
			return l.rep, err
		}
	}
	return l.rep, nil
}

// row is one row read, validated locally and awaiting its batch.
type row struct {
	line   int
	fields []string
	cells  cells
	labels [2]string // resolved labels of the ends a and b
}

// fileRun is the state of reading one file.
type fileRun struct {
	spec  probity.FileSpec
	plan  plan
	col   map[string]int // spec column index by name
	idCol int            // the TypeID column, -1 if none
	seen  map[string]int // id → line, for repeats within the file
	rep   *FileReport
	attrs []Attribute // kept unknown columns: cells after the spec's
	// fresh is true when the database held nothing of the file's kind (its
	// label, owned label and relationship type) when the file started: rows
	// new to the file are then CREATEd, a repeat going through MERGE
	// instead: links (below) tells a link's repeats, keys those of the
	// nodes an owning file writes (firstNode).
	fresh bool
	keys  map[uint64]struct{}
	// links remembers, for a link file, each good row's key (RowKey.RelKey)
	// with its line and a hash of its cells, to tell the user about rows
	// merged into an earlier one (repeatNotice).
	links                map[uint64]uint64 // key hash → firstRow
	rowKey               RowKey            // the file's key (RowKeyOf), once, not a row
	texts                []string          // firstOfKey's cell texts, reused from row to row
	repeats, differing   int
	startless            int // differing repeats of shifts without a start: two shifts of a day, maybe
	repeatLine, repeatOf int
	// zoneless counts the rows with a date-time written without a zone
	// (taken as UTC), and where the first was, for a notice.
	blank        int // rows of empty cells, skipped
	zoneless     int
	zonelessLine int
	zonelessCol  string
	// ahead counts the look-ups and swipes dated more than a day after
	// the load began (the first: its line and time); atCol is the column
	// of their time (-1: a file of no such events)
	atCol     int
	ahead     int
	aheadLine int
	aheadAt   string // as written
	// held are the rejects found since the last batch was checked: the
	// reading loop finds some, the batch's reference checks (column by
	// column) others; release passes them on in line order.
	held []Reject
}

// firstRow packs, for the first row of a link file with a key, the high
// 32 bits of the hash of its cells and its line (low 32 bits): 8 bytes a
// row of the file, which may hold tens of millions (the cells compared on
// 32 bits: one repeat in 4 billion with other values passes as identical,
// for a notice).
func firstRow(cells uint64, line int) uint64 { return cells&^0xffffffff | uint64(uint32(line)) }

// firstOfKey remembers the key of a good row of a link file and tells
// whether it is the first row with it; a later one counts as a repeat: the
// two write one relationship (RowKey).
func (fx *fileRun) firstOfKey(seed maphash.Seed, r row) bool {
	fx.texts = fx.texts[:0]
	for _, c := range r.cells {
		fx.texts = append(fx.texts, KeyText(c))
	}
	a, b, key := fx.rowKey.RelKey(func(col string) string { return fx.texts[fx.col[col]] })
	h, row := HashKey(seed, a, b, key), firstRow(HashKey(seed, fx.texts...), r.line)
	first, ok := fx.links[h]
	if !ok {
		fx.links[h] = row
		return true
	}
	if fx.repeats == 0 {
		fx.repeatLine, fx.repeatOf = r.line, int(uint32(first))
	}
	fx.repeats++
	if first>>32 != row>>32 {
		fx.differing++
		if i, ok := fx.col["start"]; ok && fx.spec.Name == "shifts.csv" && fx.texts[i] == "" {
			fx.startless++
		}
	}
	return false
}

// repeatNotice tells of the rows of a link file that repeated an earlier
// row's key ("" when none did): they were merged into its relationship,
// as docs/import-format.md says, and the user should know, above all when
// their values differ (two rows that disagree about one look-up).
func (fx *fileRun) repeatNotice() string {
	if fx.repeats == 0 {
		return ""
	}
	k := fx.rowKey
	cols := []string{k.A, k.B}
	if k.OwnCols != nil {
		cols = k.OwnCols // the officer's among them
	}
	if k.Key != "" {
		cols = append(slices.Clip(cols), k.Key)
	}
	differ := "all identical to it"
	if fx.differing > 0 {
		differ = fmt.Sprintf("%d with other values, their non-empty cells overwriting the earlier row's", fx.differing)
	}
	were := "was"
	if fx.repeats > 1 {
		were = "were"
	}
	hint := ""
	if fx.startless > 0 {
		// two shifts of a day (onsite, then remote) without starts are one (rulesI)
		hint = fmt.Sprintf("; %d of them without a start: two shifts of one day are told apart by their start, so give it, or the later row's location is the day's", fx.startless)
	}
	return fmt.Sprintf("%s: %d row%s repeated the key (%s) of an earlier row and %s merged into it when loaded (%s; first: line %d repeats line %d)%s",
		fx.spec.Name, fx.repeats, plural(fx.repeats), strings.Join(cols, ", "), were, differ, fx.repeatLine, fx.repeatOf, hint)
}

// hold keeps r until the batch that holds its line has been checked (the
// caller counts the rows it stands for).
func (fx *fileRun) hold(r Reject) {
	fx.held = append(fx.held, r)
}

// release passes the held rejects on in line order.
func (l *loader) release(fx *fileRun) error {
	slices.SortStableFunc(fx.held, func(a, b Reject) int { return cmp.Compare(a.Line, b.Line) })
	held := fx.held
	fx.held = nil
	for _, r := range held {
		if err := l.reject(r); err != nil {
			return err
		}
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// file loads one import file: its header, then its rows in batches, then
// the notices about it. A file that cannot be opened is an EINVALID error;
// one whose header rejects it is a reject, and the load goes on.
func (l *loader) file(ctx context.Context, spec probity.FileSpec, fr *FileReport) (err error) {
	f, err := os.Open(filepath.Join(l.dir, spec.Name))
	if err != nil {
		return probity.Errorf(probity.EINVALID, "open %s: %v", spec.Name, err)
	}
	defer f.Close()
	raws := &rawLines{path: f.Name()}
	defer raws.close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if l.opts.Progress != nil {
		l.opts.Progress.FileStart(spec.Name, size, !l.write)
	}
	cr := &countingReader{r: f}
	r := csv.NewReader(SkipBOM(cr))
	r.FieldsPerRecord = -1

	h, ok, err := l.readHeader(spec, r, fr)
	if !ok {
		return err
	}
	fx, err := l.newFileRun(ctx, spec, fr, h)
	if err != nil {
		return err
	}
	defer func() {
		// Stopped early (interrupted, Neo4j lost): the rows already found
		// bad are still said.
		if rerr := l.release(fx); err == nil {
			err = rerr
		}
	}()
	if err := l.rows(ctx, fx, r, h, raws, cr); err != nil {
		return err
	}
	l.fileDone(fx, cr.n)
	return nil
}

// readHeader reads a file's header and tells its notes (unless an earlier
// pass told them). ok is false when the file is not loaded: it is empty
// (a notice), or its header rejects it (one reject, counted in fr; err is
// the reject's).
func (l *loader) readHeader(spec probity.FileSpec, r *csv.Reader, fr *FileReport) (h header, ok bool, err error) {
	fields, err := r.Read()
	if err == io.EOF {
		if l.opts.Progress != nil {
			l.opts.Progress.Notice(spec.Name + ": empty file, nothing to load")
		}
		return h, false, nil
	}
	var reason string
	var notes []string
	if err != nil {
		reason = "bad header: " + csvReason(err)
	} else {
		h, reason, notes = checkHeader(spec, fields)
	}
	if l.opts.Progress != nil && !l.noted {
		for _, n := range notes {
			l.opts.Progress.Notice(spec.Name + ": " + n)
		}
	}
	if reason != "" {
		fr.Rejected++
		return h, false, l.reject(Reject{File: spec.Name, Line: 1, Reason: reason + "; file skipped", Raw: rawLine(fields)})
	}
	return h, true, nil
}

// newFileRun starts the reading of a file whose header is h: its columns,
// and whether the database holds nothing of its kind yet (fileRun.fresh).
// A failure to ask is said as stopped says it, at line 1.
func (l *loader) newFileRun(ctx context.Context, spec probity.FileSpec, fr *FileReport, h header) (*fileRun, error) {
	fx := &fileRun{spec: spec, plan: plans[spec.Name], col: map[string]int{}, idCol: -1, atCol: -1, seen: map[string]int{}, rep: fr, attrs: h.attrs}
	for i, c := range spec.Columns {
		fx.col[c.Name] = i
		if c.Type == probity.TypeID {
			fx.idCol = i
		}
		if c.Name == "at" && happened[spec.Name] {
			fx.atCol = i
		}
	}
	var err error
	if fx.fresh, err = l.s.freshFile(ctx, spec.Label, fx.plan); err != nil {
		return nil, l.stopped(ctx, err, spec.Name, 1)
	}
	if spec.Label == "" {
		fx.links = map[uint64]uint64{}
		fx.rowKey, _ = RowKeyOf(spec.Name)
		// a shift's or swipe's node id holds its officer: the node is new
		// when its link is (firstOfKey); a misconduct case's is its case
		// id alone (two officers, one node), so it keeps a map of its own
		if fx.fresh && fx.plan.query == cypherOwned && fx.plan.ownCols == nil {
			fx.keys = map[uint64]struct{}{}
		}
	}
	return fx, nil
}

// rows reads the rows after the header to the end of the file: it holds
// the bad ones, flushes the good ones a batch (opts.BatchSize) at a time
// and tells the progress after each full batch.
func (l *loader) rows(ctx context.Context, fx *fileRun, r *csv.Reader, h header, raws *rawLines, cr *countingReader) error {
	spec, fr := fx.spec, fx.rep
	batch := make([]row, 0, l.opts.BatchSize)
	for {
		if err := ctx.Err(); err != nil {
			return l.stopped(ctx, err, spec.Name, fr.Read+1)
		}
		fields, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("read %s: %w", spec.Name, err)
			}
			fx.badRecord(pe, raws)
			continue
		}
		line, _ := r.FieldPos(0)
		if BlankRow(fields) {
			fx.blank++ // no data, as a blank line is none
			continue
		}
		fr.Read++
		// h.width: the header's, what a row of this file looks like
		if end, rows := swallowed(fields, h.width, line); rows > 0 {
			// A value may span lines (RFC 4180), but not hold whole rows.
			fr.Read += end - line
			fr.Rejected += end - line + 1
			fx.hold(Reject{File: spec.Name, Line: line, Reason: fmt.Sprintf("a quoted value from line %d to line %d holds %d line(s) that look like rows of this file: "+
				"a stray quote? The %d lines are not loaded; fix the quote and load the file again", line, end, rows, end-line+1), Raw: raws.lines(line, end)})
			continue
		}
		c, ok := l.checked(fx, h, fields, line)
		if !ok {
			continue
		}
		batch = append(batch, row{line: line, fields: fields, cells: c})
		if len(batch) == l.opts.BatchSize {
			if err := l.flush(ctx, fx, batch); err != nil {
				return err
			}
			batch = batch[:0]
			if l.opts.Progress != nil {
				l.opts.Progress.FileProgress(spec.Name, fr.Read, cr.n)
			}
		}
	}
	return l.flush(ctx, fx, batch)
}

// badRecord holds the reject of a record that is not valid CSV. Every line
// the bad record took is lost to the file: it counts them all (a quote
// opened and never closed takes the rest of the file).
func (fx *fileRun) badRecord(pe *csv.ParseError, raws *rawLines) {
	n := max(pe.Line-pe.StartLine+1, 1)
	fx.rep.Read += n
	fx.rep.Rejected += n
	reason := csvReason(pe)
	if n > 1 {
		reason += fmt.Sprintf(" (a quoted value from line %d to line %d: the %d lines are not loaded; a stray quote?)", pe.StartLine, pe.Line, n)
	}
	fx.hold(Reject{File: fx.spec.Name, Line: pe.StartLine, Reason: reason, Raw: raws.lines(pe.StartLine, pe.Line)})
}

// checked checks a row read on line: its cells (checkRow) and, in an
// entity file, that its id does not repeat an earlier row's. ok is false
// when the row is rejected (held, counted in the file's report); a good
// row with a date-time without a zone is counted for fileDone's notice.
func (l *loader) checked(fx *fileRun, h header, fields []string, line int) (cells, bool) {
	spec, fr := fx.spec, fx.rep
	c, col, reason := checkRow(spec, h, fields)
	if reason == "" && fx.idCol >= 0 {
		id := c[fx.idCol].(string)
		if first, ok := fx.seen[id]; ok {
			col, reason = spec.Columns[fx.idCol].Name, fmt.Sprintf("id %q repeats line %d", id, first)
		} else {
			fx.seen[id] = line
		}
	}
	if reason != "" {
		fr.Rejected++
		if fx.idCol >= 0 && h.index[fx.idCol] >= 0 && h.index[fx.idCol] < len(fields) {
			l.rejectedID(spec, strings.TrimSpace(fields[h.index[fx.idCol]]), line)
		}
		fx.hold(Reject{File: spec.Name, Line: line, Column: col, Reason: reason, Raw: rawLine(fields)})
		return nil, false
	}
	if col := zonelessColumn(spec, h, fields); col != "" {
		if fx.zoneless == 0 {
			fx.zonelessLine, fx.zonelessCol = line, col
		}
		fx.zoneless++
	}
	if i := fx.atCol; i >= 0 {
		if t, ok := c[i].(time.Time); ok && t.After(l.started.Add(24*time.Hour)) {
			if fx.ahead == 0 {
				fx.aheadLine, fx.aheadAt = line, strings.TrimSpace(fields[h.index[i]])
			}
			fx.ahead++
		}
	}
	return c, true
}

// happened are the files of events that have happened (a look-up, a
// swipe), so none is dated ahead, unlike a rostered shift.
var happened = map[string]bool{"accesses.csv": true, "badge_swipes.csv": true}

// fileDone tells the progress that the file was read to its end (n bytes)
// and, unless an earlier pass told them, the notices about its rows: dates
// without a zone, events dated ahead, empty rows skipped, rows repeating an
// earlier one.
func (l *loader) fileDone(fx *fileRun, n int64) {
	if l.opts.Progress == nil {
		return
	}
	spec := fx.spec
	l.opts.Progress.FileProgress(spec.Name, fx.rep.Read, n)
	if fx.zoneless > 0 && !l.noted {
		l.opts.Progress.Notice(fmt.Sprintf("%s: %d row%s had a date-time without a zone, taken as UTC (first: line %d, %s); "+
			"the rules count UTC days, so give Z or an offset such as +01:00 if these are local times",
			spec.Name, fx.zoneless, plural(fx.zoneless), fx.zonelessLine, fx.zonelessCol))
	}
	if fx.ahead > 0 && !l.noted {
		l.opts.Progress.Notice(fmt.Sprintf("%s: %d row%s dated more than a day after this load began (first: line %d, %s), which cannot have happened yet: "+
			"a mistyped year? Loaded as written; until the data passes that time, incremental scans recompute whole every officer with a new row of "+
			"this file (slower, same flags). Delete the row and load it again with its true time (docs/patterns.md, \"Officers' aggregates\")",
			spec.Name, fx.ahead, plural(fx.ahead), fx.aheadLine, fx.aheadAt))
	}
	if fx.blank > 0 && !l.noted {
		l.opts.Progress.Notice(fmt.Sprintf("%s: %d row%s with every cell empty skipped (a spreadsheet's empty rows)", spec.Name, fx.blank, plural(fx.blank)))
	}
	if n := fx.repeatNotice(); n != "" && !l.noted {
		l.opts.Progress.Notice(n)
	}
}

// swallowed tells whether a record that starts on line holds, inside a
// quoted value, lines that look like rows of its file (as many commas as
// a row of ncols columns has, or more, and a first value shaped as the
// record's own: "A2" as "A1"): a stray quote opened the value and another,
// rows later, closed it. It returns the record's last line and how many
// such lines it holds (0: none, or no value spans lines). An address's
// second line with commas ("High Street, Leeds, West Yorkshire") is legal
// RFC 4180, not a row (formatA M1).
func swallowed(fields []string, ncols, line int) (end, rows int) {
	end = line
	if len(fields) == 0 {
		return end, 0
	}
	shape := idShape(fields[0])
	for _, f := range fields {
		if !strings.ContainsAny(f, "\n\r") {
			continue
		}
		lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(f, "\r\n", "\n"), "\r", "\n"), "\n")
		end += len(lines) - 1
		for _, ln := range lines[1:] {
			first, _, _ := strings.Cut(ln, ",")
			if ncols > 1 && strings.Count(ln, ",") >= ncols-1 && idShape(strings.Trim(first, `" `)) == shape {
				rows++
			}
		}
	}
	return end, rows
}

// idShape is an id's letters with each run of digits one '0': "ADR0000012"
// and "ADR7" are "ADR0", an id and the first words of an address are not.
func idShape(id string) string {
	var b strings.Builder
	digits := false
	for _, r := range id {
		d := r >= '0' && r <= '9'
		if !d {
			b.WriteRune(r)
		} else if !digits {
			b.WriteByte('0')
		}
		digits = d
	}
	return b.String()
}

// rawLines reads a data file a second time, forward only, for the text of
// the rows that are not valid CSV (the CSV reader keeps none of it). Such
// rows come in line order, so the file is read at most once whatever their
// number.
type rawLines struct {
	path string
	f    *os.File
	sc   *bufio.Scanner
	n    int // lines read so far
}

// lines returns lines from..to (1-based) as written, at most 4 KiB; "" if
// the file cannot be read again.
func (r *rawLines) lines(from, to int) string {
	if r.sc == nil {
		f, err := os.Open(r.path)
		if err != nil {
			return ""
		}
		r.f, r.sc = f, bufio.NewScanner(f)
		r.sc.Buffer(make([]byte, 64<<10), 16<<20)
	}
	var b strings.Builder
	for r.n < to && r.sc.Scan() {
		r.n++
		if r.n < from || b.Len() > 4<<10 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.sc.Text())
	}
	if b.Len() > 4<<10 {
		return showLoneCR(probity.ShowText(strings.ToValidUTF8(b.String()[:4<<10], "\uFFFD"))) + "…"
	}
	return showLoneCR(probity.ShowText(strings.ToValidUTF8(b.String(), "\uFFFD")))
}

func (r *rawLines) close() {
	if r.f != nil {
		r.f.Close()
	}
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not valid CSV: " + pe.Err.Error()
	}
	return err.Error()
}

func (l *loader) reject(r Reject) error {
	if l.opts.OnReject == nil {
		return nil
	}
	if err := l.opts.OnReject(r); err != nil {
		return fmt.Errorf("rejects: %w", err)
	}
	return nil
}

// stopped turns an error met while talking to Neo4j into the message the
// user acts on: a lost server or an interruption is fixed by a rerun.
func (l *loader) stopped(ctx context.Context, err error, file string, line int) error {
	again := l.opts.Again
	if again == "" {
		again = "rerun probity load " + l.dir
	}
	rerun := again + " to complete; loading is idempotent"
	at, hint := fmt.Sprintf("%s line ~%d", file, line), " (try a smaller --batch or a longer PROBITY_QUERY_TIMEOUT)"
	if line == 0 {
		at, hint = file, "" // before any file, "the start" (chaosA L4), where no batch was written
	}
	var ne *neo4j.Neo4jError
	switch cause := context.Cause(ctx); {
	case probity.ErrorCode(cause) == probity.ECONFLICT:
		return probity.Errorf(probity.ECONFLICT, "stopped during %s: %s; when the other load has finished, %s",
			at, probity.ErrorMessage(cause), rerun)
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return probity.Errorf(probity.EUNAVAILABLE, "interrupted during %s: %s", at, rerun)
	case errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.") && !strings.Contains(ne.Code, "Security"):
		return fmt.Errorf("%s: %w", at, err)
	case errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.DatabaseError."):
		// Neo4j answered, and refused the batch: not a lost connection.
		return fmt.Errorf("%s: Neo4j refused the batch starting there, which was not written (%s: %s)", at, ne.Code, ne.Msg)
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "deadline exceeded"):
		return probity.Errorf(probity.EUNAVAILABLE, "Neo4j at %s did not answer in time during %s%s: %s", l.s.uri, at, hint, rerun)
	}
	return fmt.Errorf("%w (%v)", probity.Errorf(probity.EUNAVAILABLE, "lost Neo4j at %s during %s: %s", l.s.uri, at, rerun), err)
}

// rejectedID remembers that an entity file's row with id was rejected,
// unless another row of the set gave the id (then it is known).
func (l *loader) rejectedID(spec probity.FileSpec, id string, line int) {
	if spec.Label == "" || id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rejected[spec.Label] == nil {
		l.rejected[spec.Label] = map[string]origin{}
	}
	if _, ok := l.rejected[spec.Label][id]; !ok {
		l.rejected[spec.Label][id] = origin{file: spec.Name, line: int32(line)}
	}
}

// rejectedOrigin tells where the row of an id of one of labels was rejected.
func (l *loader) rejectedOrigin(labels []string, id string) (origin, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, lb := range labels {
		if o, ok := l.rejected[lb][id]; ok {
			return o, true
		}
	}
	return origin{}, false
}

// flush checks the batch's references against the set and the database,
// rejects the rows that fail, and writes the others in one transaction.
func (l *loader) flush(ctx context.Context, fx *fileRun, batch []row) error {
	if len(batch) == 0 {
		return l.release(fx)
	}
	b := &batchCheck{l: l, fx: fx, batch: batch, bad: make([]bool, len(batch))}
	for _, check := range []func(context.Context) error{b.refs, b.parties, b.payments} {
		if err := check(ctx); err != nil {
			return l.stopped(ctx, err, fx.spec.Name, batch[0].line)
		}
	}
	if err := l.release(fx); err != nil {
		return err
	}
	return l.writeGood(ctx, fx, batch, b.bad)
}

// batchCheck holds a batch's checks against the set and the database:
// bad marks the rows rejected so far.
type batchCheck struct {
	l     *loader
	fx    *fileRun
	batch []row
	bad   []bool
}

// fail rejects row i for reason, in column col.
func (b *batchCheck) fail(i int, col, reason string) {
	b.bad[i] = true
	b.fx.rep.Rejected++
	r := b.batch[i]
	if b.fx.idCol >= 0 {
		if id, ok := r.cells[b.fx.idCol].(string); ok {
			b.l.rejectedID(b.fx.spec, id, r.line)
		}
	}
	b.fx.hold(Reject{File: b.fx.spec.Name, Line: r.line, Column: col, Reason: reason, Raw: rawLine(r.fields)})
}

// refs resolves every referring column's ids, each to exactly one label.
func (b *batchCheck) refs(ctx context.Context) error {
	for ci, c := range b.fx.spec.Columns {
		if c.Type != probity.TypeRef {
			continue
		}
		var ids []string
		for _, r := range b.batch {
			if v := r.cells[ci]; v != nil {
				ids = append(ids, v.(string))
			}
		}
		if err := b.l.lookup(ctx, c.Refs, ids); err != nil {
			return err
		}
		end := 0
		if c.Name == b.fx.plan.b {
			end = 1
		}
		for i := range b.batch {
			v := b.batch[i].cells[ci]
			if b.bad[i] || v == nil {
				continue
			}
			id := v.(string)
			var found []string
			for _, lb := range c.Refs {
				if _, ok := b.l.known[lb][id]; ok {
					found = append(found, lb)
				}
			}
			var reason string
			switch len(found) {
			case 0:
				reason = fmt.Sprintf("no %s with id %q in the set or the database", strings.Join(c.Refs, "/"), id)
				if o, ok := b.l.rejectedOrigin(c.Refs, id); ok {
					reason = fmt.Sprintf("no %s with id %q: its own row was rejected (%s line %d)", strings.Join(c.Refs, "/"), id, o.file, o.line)
				}
			case 1:
				b.batch[i].labels[end] = found[0]
			default:
				reason = fmt.Sprintf("id %q names more than one entity: %s", id, strings.Join(found, " and "))
			}
			if reason != "" {
				b.fail(i, c.Name, reason)
			}
		}
	}
	return nil
}

// parties: party ids are unique across officers, persons and companies,
// in the set and in the database.
func (b *batchCheck) parties(ctx context.Context) error {
	if !isParty(b.fx.spec.Label) {
		return nil
	}
	var ids []string
	for _, r := range b.batch {
		ids = append(ids, r.cells[b.fx.idCol].(string))
	}
	var others []string
	for _, lb := range probity.PartyLabels {
		if lb != b.fx.spec.Label {
			others = append(others, lb)
		}
	}
	if err := b.l.lookup(ctx, others, ids); err != nil {
		return err
	}
	for i, r := range b.batch {
		id := r.cells[b.fx.idCol].(string)
		for _, lb := range others {
			o, ok := b.l.known[lb][id]
			if !ok || b.bad[i] {
				continue
			}
			where := "in the database"
			if o.line > 0 {
				where = fmt.Sprintf("%s line %d", o.file, o.line)
			}
			b.fail(i, b.fx.spec.Columns[b.fx.idCol].Name, fmt.Sprintf("id %q is already a party: %s (%s)", id, lb, where))
		}
	}
	return nil
}

// payments: a payment id is unique, it may not move to other accounts.
func (b *batchCheck) payments(ctx context.Context) error {
	if b.fx.spec.Name != "payments.csv" {
		return nil
	}
	var rows []map[string]any
	for i, r := range b.batch {
		if !b.bad[i] {
			rows = append(rows, map[string]any{"k": r.cells[b.fx.col["payment_id"]], "a": r.cells[b.fx.col["from_account"]], "b": r.cells[b.fx.col["to_account"]]})
		}
	}
	moved := map[string]string{}
	if len(rows) > 0 && !b.fx.fresh {
		res, err := b.l.s.read(ctx, cypherPaidElsewhere, map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		for _, rec := range res.Records {
			id, _ := rec.Values[0].(string)
			from, _ := rec.Values[1].(string)
			to, _ := rec.Values[2].(string)
			moved[id] = fmt.Sprintf("payment %q is already stored from %s to %s", id, from, to)
		}
	}
	for i, r := range b.batch {
		if reason, ok := moved[r.cells[b.fx.col["payment_id"]].(string)]; ok && !b.bad[i] {
			b.fail(i, "payment_id", reason)
		}
	}
	return nil
}

// writeGood remembers the good rows' entities, then writes them.
func (l *loader) writeGood(ctx context.Context, fx *fileRun, batch []row, bad []bool) error {
	firstLine := batch[0].line
	groups := map[string][]map[string]any{}
	var order, merges []string    // CREATE statements first, then MERGE ones
	nullKeyed := map[string]int{} // dedupe of rows without a key: a|b → index in group
	good := 0
	for i, r := range batch {
		if bad[i] {
			continue
		}
		good++
		first := true
		if fx.spec.Label != "" {
			id := r.cells[fx.idCol].(string)
			l.remember(fx.spec.Label, id, origin{file: fx.spec.Name, line: int32(r.line)})
		} else {
			first = fx.firstOfKey(l.seed, r)
		}
		if !l.write {
			continue
		}
		params, nullKey := fx.params(r)
		bLabel := r.labels[1]
		if bLabel == "" {
			bLabel = fx.plan.bLabel
		}
		create := fx.fresh && !nullKey && first && fx.firstNode(l.seed, params)
		q := fx.plan.statement(fx.spec.Label, r.labels[0], bLabel, nullKey, create)
		if _, ok := groups[q]; !ok {
			if create {
				order = append(order, q)
			} else {
				merges = append(merges, q)
			}
		}
		if nullKey {
			// One row a relationship: a later row's properties are set
			// over the earlier's, as cypherNullKey does across batches.
			k := q + "\x00" + params["a"].(string) + "\x00" + params["b"].(string)
			if j, ok := nullKeyed[k]; ok {
				maps.Copy(groups[q][j]["p"].(map[string]any), params["p"].(map[string]any))
				continue
			}
			nullKeyed[k] = len(groups[q])
		}
		groups[q] = append(groups[q], params)
	}
	order = append(order, merges...)
	if !l.write || len(order) == 0 {
		l.mu.Lock()
		fx.rep.Loaded += good
		l.mu.Unlock()
		return nil
	}
	if len(merges) > 0 {
		if err := l.wait(); err != nil {
			return err
		}
	}
	// The rows count as loaded once their batch is committed.
	return l.launch(ctx, fx.spec.Name, firstLine, order, groups, fx.spec.Label != "", func(created int) {
		fx.rep.Loaded += good
		fx.rep.New += created
	})
}

// launch writes a batch in its own goroutine once a slot is free, and calls
// done (under l.mu) once it is committed with what it created (writeBatch);
// it returns the first error of an earlier batch, if any.
func (l *loader) launch(ctx context.Context, file string, line int, order []string, groups map[string][]map[string]any, nodes bool, done func(created int)) error {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return l.stopped(ctx, ctx.Err(), file, line)
	}
	if err := l.failed(); err != nil {
		<-l.slots
		return err
	}
	l.inflight.Add(1)
	go func() {
		defer l.inflight.Done()
		defer func() { <-l.slots }()
		created, err := l.s.writeBatch(ctx, order, groups, nodes)
		l.mu.Lock()
		defer l.mu.Unlock()
		switch {
		case err == nil:
			done(created)
		case l.werr == nil:
			l.werr = l.stopped(ctx, err, file, line)
		}
	}()
	return nil
}

func (l *loader) failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.werr
}

// wait waits for every batch in flight and returns the first write error.
func (l *loader) wait() error {
	l.inflight.Wait()
	return l.failed()
}

// params builds the $rows entry of a row: id, a, b, k and the properties p
// (n for the node of cypherOwned); nullKey is true when the row's
// relationship key is empty.
func (fx *fileRun) params(r row) (map[string]any, bool) {
	p := fx.plan
	byName := map[string]any{}
	for i, c := range fx.spec.Columns {
		if v := r.cells[i]; v != nil {
			byName[c.Name] = v
		}
	}
	out := map[string]any{}
	props := map[string]any{}
	node := map[string]any{}
	inNode := map[string]bool{}
	for _, c := range p.nodeCols {
		inNode[c] = true
	}
	for i, c := range fx.spec.Columns {
		v := r.cells[i]
		switch {
		case i == fx.idCol && fx.spec.Label != "":
			out["id"] = v
		case c.Name == p.a:
			out["a"] = v
		case c.Name == p.b:
			out["b"] = v
		case c.Name == p.key:
			out["k"] = v
		case v == nil:
		case inNode[c.Name]:
			node[propName(fx.spec.Name, c.Name)] = v
		default:
			props[propName(fx.spec.Name, c.Name)] = v
		}
	}
	for j, a := range fx.attrs {
		if v := r.cells[len(fx.spec.Columns)+j]; v != nil {
			props[a.Name] = v
		}
	}
	// A new person is not of interest nor high-profile unless the file
	// says so; a stored person keeps what an earlier load said (row.d is
	// set only on create).
	defaults := map[string]any{}
	if fx.spec.Label == probity.LabelPerson {
		for _, k := range []string{"poi", "highProfile"} {
			if _, ok := props[k]; !ok {
				defaults[k] = false
			}
		}
		// a person no longer of interest keeps no reason for it (null
		// removes the stored one); a reason given beside poi=false stays
		if _, given := props["poiReason"]; props["poi"] == false && !given {
			props["poiReason"] = nil
		}
	}
	if p.ownCols != nil {
		out["b"] = RowKey{OwnCols: p.ownCols}.NodeID(func(col string) string { return KeyText(byName[col]) })
	}
	if _, ok := out["b"]; !ok && p.b != "" {
		out["b"] = nil
	}
	out["p"], out["n"], out["d"] = props, node, defaults
	return out, p.key != "" && out["k"] == nil
}

// firstNode tells whether a row of a fresh misconduct file is the first
// to write its case node, keyed by its id (one case may have two officers:
// two relationships, one node), and remembers the id. Other files need no
// map of their own (true): firstOfKey tells their repeats, the node of a
// shift or swipe with them.
func (fx *fileRun) firstNode(seed maphash.Seed, params map[string]any) bool {
	if fx.keys == nil {
		return true
	}
	k := HashKey(seed, params["b"].(string))
	if _, ok := fx.keys[k]; ok {
		return false // a repeat, or (once in 2^64) another key: MERGE is right either way
	}
	fx.keys[k] = struct{}{}
	return true
}

// holdsAny tells whether the label (cypherAnyNode) or relationship type
// (cypherAnyRel) holds anything.
func (s *Store) holdsAny(ctx context.Context, q, name string) (bool, error) {
	res, err := s.read(ctx, fmt.Sprintf(q, name), nil)
	if err != nil {
		return false, err
	}
	return len(res.Records) > 0, nil
}

// freshFile tells whether the database holds nothing of what a file writes:
// its label, the label of the node its rows own, its relationship type.
func (s *Store) freshFile(ctx context.Context, label string, p plan) (bool, error) {
	check := func(q, name string) (bool, error) {
		if name == "" {
			return false, nil
		}
		return s.holdsAny(ctx, q, name)
	}
	for _, c := range []struct{ q, name string }{{cypherAnyNode, label}, {cypherAnyRel, p.rel}} {
		if has, err := check(c.q, c.name); err != nil || has {
			return false, err
		}
	}
	if p.query == cypherOwned {
		if has, err := check(cypherAnyNode, p.bLabel); err != nil || has {
			return false, err
		}
	}
	return true, nil
}

func isParty(label string) bool {
	for _, l := range probity.PartyLabels {
		if l == label {
			return true
		}
	}
	return false
}

func (l *loader) remember(label, id string, o origin) {
	m := l.known[label]
	if m == nil {
		m = map[string]origin{}
		l.known[label] = m
	}
	if _, ok := m[id]; !ok {
		m[id] = o
	}
}

// lookup finds in the database, one query a label, the ids that are not
// yet known under any of labels, and remembers the answer either way.
func (l *loader) lookup(ctx context.Context, labels []string, ids []string) error {
	for _, lb := range labels {
		if l.emptyAtStart[lb] {
			continue // nothing of lb was stored before this load, and its ids are in known
		}
		want := map[string]bool{}
		for _, id := range ids {
			if _, ok := l.known[lb][id]; ok || l.absent[lb][id] {
				continue
			}
			want[id] = true
		}
		if len(want) == 0 {
			continue
		}
		list := make([]string, 0, len(want))
		for id := range want {
			list = append(list, id)
		}
		sort.Strings(list)
		res, err := l.s.read(ctx, fmt.Sprintf(cypherLookup, lb), map[string]any{"ids": list})
		if err != nil {
			return err
		}
		for _, rec := range res.Records {
			id, _ := rec.Values[0].(string)
			l.remember(lb, id, origin{})
			delete(want, id)
		}
		if l.absent[lb] == nil {
			l.absent[lb] = map[string]bool{}
		}
		for id := range want {
			l.absent[lb][id] = true
		}
	}
	return nil
}

// writeBatch runs each statement with its rows in one transaction, again
// (up to 5 times) when the server reports a transient error such as a
// deadlock between concurrent batches: the transaction was rolled back.
// writeBatch writes a batch's statements in one transaction, retried when
// Neo4j says the failure is transient, and returns how many nodes (nodes:
// an entity file's) or else relationships the committed one created.
func (s *Store) writeBatch(ctx context.Context, order []string, groups map[string][]map[string]any, nodes bool) (created int, err error) {
	for attempt := 0; attempt < 5; attempt++ {
		if created, err = s.writeBatchOnce(ctx, order, groups, nodes); !isTransient(err) {
			return created, err
		}
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
	return created, err
}

func isTransient(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.TransientError.")
}

func (s *Store) writeBatchOnce(ctx context.Context, order []string, groups map[string][]map[string]any, nodes bool) (created int, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err = s.inSession(ctx, func(sess neo4j.SessionWithContext) error {
		// The server ends the transaction itself after the same deadline, so a
		// batch whose client vanished does not hold its locks for long.
		tx, err := sess.BeginTransaction(ctx, neo4j.WithTxTimeout(s.timeout))
		if err != nil {
			return err
		}
		for _, q := range order {
			res, err := tx.Run(ctx, q, map[string]any{"rows": groups[q]})
			var sum neo4j.ResultSummary
			if err == nil {
				sum, err = res.Consume(ctx)
			}
			if err != nil {
				tx.Rollback(ctx)
				return err
			}
			if nodes {
				created += sum.Counters().NodesCreated()
			} else {
				created += sum.Counters().RelationshipsCreated()
			}
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}

// HoldsData reports whether the database holds any node besides the schema
// version markers: load --bulk, which replaces the database, refuses one
// that does.
func (s *Store) HoldsData(ctx context.Context) (bool, error) {
	res, err := s.read(ctx, cypherAnyData, nil)
	if err != nil {
		return false, fmt.Errorf("look for data: %w", err)
	}
	return len(res.Records) > 0, nil
}

// HasOfficers reports whether the database holds any Officer: a load with
// --if-empty skips a database that does.
func (s *Store) HasOfficers(ctx context.Context) (bool, error) {
	res, err := s.read(ctx, cypherAnyOfficer, nil)
	if err != nil {
		return false, fmt.Errorf("count officers: %w", err)
	}
	b, _ := single(res).(bool)
	return b, nil
}

func fmtDate(v any) string {
	d, _ := v.(neo4j.Date)
	return time.Time(d).Format(dateLayout)
}

func fmtTime(v any) string {
	t, _ := v.(time.Time)
	return t.UTC().Format(time.RFC3339Nano)
}

// SnapshotForTest returns every node and relationship of the loaded data as
// sorted lines of labels (or type and ends) and typed, sorted properties;
// the audit log (which records the load itself), the links' load times
// (PropLoadedAt) and the marks of changed rows (PropMarkedAt: a row
// repeated in a file marks its event in a Bolt load, not in load --bulk,
// which merges the repeats before the import) are left out. Tests compare
// snapshots; nothing in the product calls it.
func (s *Store) SnapshotForTest(ctx context.Context) ([]string, error) {
	var out []string
	for qi, q := range []string{
		`MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:` + probity.LabelAuditEvent + ` AND NOT n:` + LabelAuditHead + ` RETURN labels(n), properties(n)`,
		`MATCH (a)-[r]->(b) RETURN [labels(a)[0] + ':' + a.id, type(r), labels(b)[0] + ':' + b.id], properties(r)`,
	} {
		res, err := s.read(ctx, q, nil)
		if err != nil {
			return nil, err
		}
		for _, rec := range res.Records {
			var head []string
			for _, v := range rec.Values[0].([]any) {
				head = append(head, fmt.Sprint(v))
			}
			if qi == 0 {
				sort.Strings(head) // node labels; a relationship's head is in order
			}
			props := rec.Values[1].(map[string]any)
			var kv []string
			for k, v := range props {
				if qi == 1 && k == PropLoadedAt || k == PropMarkedAt {
					continue
				}
				if t, ok := v.(time.Time); ok {
					v = t.UTC().Format(time.RFC3339Nano) + "@" + t.Location().String()
				}
				kv = append(kv, fmt.Sprintf("%s=%T:%v", k, v, v))
			}
			sort.Strings(kv)
			out = append(out, strings.Join(head, ":")+" {"+strings.Join(kv, ", ")+"}")
		}
	}
	sort.Strings(out)
	return out, nil
}
