package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"probity"
	"probity/graph"
)

// export-bulk converts an import-format folder into the CSV layout of
// neo4j-admin database import full: one node file a label and one
// relationship file a (file, start id space, end id space), each with its
// header written in the first row. It writes the same nodes, labels,
// relationships and typed properties as `probity load` on an empty
// database: what a row writes and its key come from the loader
// (graph.RowKeyOf), and rows that repeat a key are merged as the loader's
// MERGE and SET += merge them (one relationship or node a key, each later
// row's non-empty cells over the earlier's; an entity id's first row). It
// checks nothing else: run `probity load --strict` on the folder first when
// it comes from outside. OUT/args lists the arguments to pass to the
// importer.

// idSpace is the importer's id space of a label: parties share one, as
// their ids are unique across the three files.
func idSpace(label string) string {
	for _, l := range probity.PartyLabels {
		if l == label {
			return "Party"
		}
	}
	return label
}

func cmdExportBulk(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("export-bulk", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 64, err: err}
	}
	if fs.NArg() != 2 {
		return &exitError{code: 64, err: fmt.Errorf("usage: probity export-bulk DIR OUT")}
	}
	start := time.Now()
	rows, files, err := exportBulk(ctx, fs.Arg(0), fs.Arg(1), nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "export-bulk: %d rows into %d files in %s (%s)\n", rows, files, fs.Arg(1), time.Since(start).Round(time.Millisecond))
	return nil
}

// exportBulk converts the import files of in into out (and out/args);
// skip names, by file, the lines of rows to leave out (line 1: the whole
// file), as load --bulk does with the rows its validation rejected. It
// returns the rows read and the number of files written. The files are
// written into a folder beside out, put in its place only when all are
// written: a failed export leaves out as it was. out must be missing,
// empty, or an earlier export (replaceable), which is replaced.
func exportBulk(ctx context.Context, in, out string, skip map[string]map[int]bool) (int, int, error) {
	if fi, err := os.Stat(in); err != nil || !fi.IsDir() {
		return 0, 0, fmt.Errorf("%s is no folder of import files", in) // (it had exported 0 rows, exit 0)
	}
	dir, err := filepath.Abs(out) // absolute, so that OUT/args works from any folder
	if err != nil {
		return 0, 0, err
	}
	if err := replaceable(dir); err != nil {
		return 0, 0, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return 0, 0, err
	}
	part, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".part-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(part) // nothing left once renamed
	if err := os.Chmod(part, 0o755); err != nil {
		return 0, 0, err
	}
	x := &bulkExport{in: in, out: part, ids: map[string]map[string]bool{}, files: map[string]*bulkFile{}, skip: skip,
		seed: maphash.MakeSeed()}
	rows, err := x.run(ctx)
	if cerr := x.closeAll(); err == nil {
		err = cerr
	}
	if err == nil {
		err = x.writeArgs(dir)
	}
	if err == nil {
		err = swapIn(part, dir)
	}
	if err != nil {
		return rows, 0, err
	}
	return rows, len(x.files), nil
}

// swapIn puts folder part in dir's place. An earlier dir, checked again
// (replaceable: files may have come since the export began), is moved
// aside first and removed only once part is in place; it is put back if
// that fails.
func swapIn(part, dir string) error {
	if err := replaceable(dir); err != nil {
		return err
	}
	old := part + ".old"
	err := os.Rename(dir, old)
	moved := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(part, dir); err != nil {
		if moved {
			os.Rename(old, dir)
		}
		return err
	}
	if moved {
		return os.RemoveAll(old)
	}
	return nil
}

// replaceable refuses an out folder it could not replace whole without
// losing what is not its own: one that holds anything but the files an
// export writes (args, nodes-*.csv, rels-*.csv; a folder inside it, the
// input set say, or a file of the user's), a symbolic link (the folder it
// names would be left behind), or the folder the command runs in or one
// around it (reG: an args file of the user's had made a folder of other
// files pass for an earlier export, and was deleted with it).
func replaceable(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link: give the folder it names", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is a file, not a folder", dir)
	}
	if wd, err := os.Getwd(); err == nil && (wd == dir || strings.HasPrefix(wd, dir+string(filepath.Separator))) {
		return fmt.Errorf("%s holds the folder this command runs in: give another folder", dir)
	}
	es, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range es {
		n := e.Name()
		if !e.Type().IsRegular() || n != "args" && !(strings.HasSuffix(n, ".csv") && (strings.HasPrefix(n, "nodes-") || strings.HasPrefix(n, "rels-"))) {
			return fmt.Errorf("%s holds %s, which export-bulk does not write: give a new or empty folder, or an earlier export", dir, n)
		}
	}
	return nil
}

// writeArgs writes the importer's arguments file: its files, named as
// they will be in dir, and the options the data needs.
func (x *bulkExport) writeArgs(dir string) error {
	var argv []string
	names := make([]string, 0, len(x.files))
	for n := range x.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		kind := "--relationships="
		if x.files[n].node {
			kind = "--nodes="
		}
		argv = append(argv, kind+filepath.Join(dir, n))
	}
	argv = append(argv, "--ignore-empty-strings=true", fmt.Sprintf("--multiline-fields=%t", x.multiline))
	return os.WriteFile(filepath.Join(x.out, "args"), []byte(strings.Join(argv, "\n")+"\n"), 0o644)
}

type bulkFile struct {
	f    *os.File
	w    *csv.Writer
	node bool
}

type bulkExport struct {
	in, out string
	// ids holds the entity ids of the id spaces that outlive their file:
	// parties (unique across three files) and addresses (which ABOUT
	// tells apart from parties).
	ids       map[string]map[string]bool
	files     map[string]*bulkFile
	created   []string // the files created by the import file being converted
	multiline bool
	skip      map[string]map[int]bool // file -> lines to leave out
	lines     map[int]bool            // skip of the file being converted
	seed      maphash.Seed
}

// next reads the next row to convert, passing over the rows to skip
// (whose CSV may be broken: those errors are passed over too).
func (x *bulkExport) next(r *csv.Reader) ([]string, error) {
	for {
		rec, err := r.Read()
		var pe *csv.ParseError
		switch {
		case err == nil:
			if line, _ := r.FieldPos(0); x.lines[line] || graph.BlankRow(rec) {
				continue // a row the loader rejected, or skipped as empty
			}
			return rec, nil
		case errors.As(err, &pe) && x.lines[pe.StartLine]:
			continue
		}
		return rec, err
	}
}

// file returns the output file name, creating it with header on first use.
func (x *bulkExport) file(name string, node bool, header []string) (*csv.Writer, error) {
	if bf, ok := x.files[name]; ok {
		return bf.w, nil
	}
	f, err := os.Create(filepath.Join(x.out, name))
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	x.files[name] = &bulkFile{f: f, w: w, node: node}
	x.created = append(x.created, name)
	return w, w.Write(header)
}

// drop removes the files created by the import file being converted, to
// convert it again.
func (x *bulkExport) drop() error {
	var errs []error
	for _, name := range x.created {
		errs = append(errs, x.files[name].f.Close(), os.Remove(filepath.Join(x.out, name)))
		delete(x.files, name)
	}
	x.created = nil
	return errors.Join(errs...)
}

func (x *bulkExport) closeAll() error {
	var errs []error
	for _, bf := range x.files {
		bf.w.Flush()
		errs = append(errs, bf.w.Error(), bf.f.Close())
	}
	return errors.Join(errs...)
}

// typeSuffix is the importer's column type of a column.
func typeSuffix(t probity.ColumnType) string {
	switch t {
	case probity.TypeDate:
		return ":date"
	case probity.TypeDateTime, probity.TypeTime:
		return ":datetime"
	case probity.TypeBool:
		return ":boolean"
	case probity.TypeDecimal:
		return ":double"
	}
	return ""
}

func (x *bulkExport) run(ctx context.Context) (int, error) {
	total := 0
	for _, spec := range probity.ImportFiles {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		x.created = nil
		n, rep, err := x.convert(spec, nil)
		if err == nil && rep != nil {
			// Keys repeat: convert the file again, merging their rows.
			if err = x.drop(); err == nil {
				n, _, err = x.convert(spec, rep)
			}
		}
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return total, fmt.Errorf("%s: %w", spec.Name, err)
		}
		total += n
	}
	return total, nil
}

// convert writes the rows of one import file; it returns how many it read.
// For a link file whose keys repeat, the first conversion (rep nil) returns
// the counts of the repeated key hashes: the file must be converted again
// with them, its rows of a repeated key then merged.
func (x *bulkExport) convert(spec probity.FileSpec, rep map[uint64]int) (int, map[uint64]int, error) {
	f, err := os.Open(filepath.Join(x.in, spec.Name))
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	r := csv.NewReader(graph.SkipBOM(f))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	x.lines = x.skip[spec.Name]
	if x.lines[1] {
		return 0, nil, nil // a bad header: the loader skips the file
	}
	head, err := r.Read()
	if err == io.EOF {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	col := map[string]int{}
	names := graph.HeaderNames(head)
	for i, h := range names {
		if _, ok := col[graph.HeaderKey(h)]; !ok && h != "" {
			col[graph.HeaderKey(h)] = i // the first of a repeated name, as the loader reads it (it rejects the file anyway)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	k, ok := graph.RowKeyOf(spec.Name)
	if !ok {
		return 0, nil, fmt.Errorf("no write plan")
	}
	if spec.Label != "" {
		n, err := x.entities(spec, k, r, get, graph.Attributes(spec.Name, names))
		return n, nil, err
	}
	return x.links(spec, k, r, get, rep)
}

func (x *bulkExport) entities(spec probity.FileSpec, k graph.RowKey, r *csv.Reader, get func([]string, string) string, attrs []graph.Attribute) (int, error) {
	space := idSpace(spec.Label)
	labels := spec.Label
	if space == "Party" {
		labels += ";Party"
	}
	header := []string{}
	var props []int
	idCol := -1
	for i, c := range spec.Columns {
		switch {
		case c.Type == probity.TypeID:
			idCol = i
			header = append(header, "id:ID("+space+")")
		case c.Name == k.B:
		default:
			props = append(props, i)
			header = append(header, k.Prop(c.Name)+typeSuffix(c.Type))
		}
	}
	for _, a := range attrs {
		header = append(header, a.Name) // text, as the loader keeps it
	}
	header = append(header, ":LABEL")
	w, err := x.file("nodes-"+spec.Label+".csv", true, header)
	if err != nil {
		return 0, err
	}
	// The link file is made with its first row: one without rows may name
	// an id space no node file declares (records without a case, no
	// cases.csv), which fails the whole import (fuzzF).
	var link *csv.Writer
	bCol := -1
	if k.B != "" {
		bCol = slices.IndexFunc(spec.Columns, func(c probity.Column) bool { return c.Name == k.B })
	}
	// An id's first row is its node, as the loader rejects the others.
	ids := x.ids[space]
	if ids == nil {
		ids = map[string]bool{}
		if space == "Party" || space == probity.LabelAddress {
			x.ids[space] = ids
		}
	}
	n := 0
	texts := make([]string, len(spec.Columns))
	out := make([]string, 0, len(header))
	for {
		rec, err := x.next(r)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
		if err := graph.RowTexts(spec, func(col string) string { return get(rec, col) }, texts); err != nil {
			return n, fmt.Errorf("row %d, %w", n+1, err)
		}
		id := texts[idCol]
		if ids[id] {
			continue
		}
		ids[id] = true
		out = append(out[:0], id)
		for _, i := range props {
			v := texts[i]
			if v == "" && spec.Columns[i].Type == probity.TypeBool && spec.Label == probity.LabelPerson {
				v = "false" // the loader stores poi and highProfile false when absent
			}
			x.multiline = x.multiline || strings.ContainsAny(v, "\r\n")
			out = append(out, v)
		}
		for _, a := range attrs {
			v := ""
			if a.Index < len(rec) {
				v = graph.CellText(rec[a.Index]) // as the loader keeps it
			}
			x.multiline = x.multiline || strings.ContainsAny(v, "\r\n")
			out = append(out, v)
		}
		out = append(out, labels)
		if err := w.Write(out); err != nil {
			return n, err
		}
		if bCol >= 0 && texts[bCol] != "" {
			if link == nil {
				end := idSpace(k.BLabel)
				if link, err = x.file(fmt.Sprintf("rels-%s-%s-%s.csv", k.Rel, space, end), false,
					[]string{":START_ID(" + space + ")", ":END_ID(" + end + ")", ":TYPE"}); err != nil {
					return n, err
				}
			}
			if err := link.Write([]string{id, texts[bCol], k.Rel}); err != nil {
				return n, err
			}
		}
	}
}

func (x *bulkExport) links(spec probity.FileSpec, k graph.RowKey, r *csv.Reader, get func([]string, string) string, rep map[uint64]int) (int, map[uint64]int, error) {
	var relProps, nodeProps []int // column indexes
	idx := map[string]int{}
	for i, c := range spec.Columns {
		idx[c.Name] = i
		switch {
		case c.Name == k.A || c.Name == k.B:
		case slices.Contains(k.NodeCols, c.Name):
			nodeProps = append(nodeProps, i)
		default:
			relProps = append(relProps, i)
		}
	}
	texts := make([]string, len(spec.Columns))
	text := func(col string) string { return texts[idx[col]] }
	// The end's id space: the referenced label's, or the owned node's.
	endSpace := func(b string) string {
		if k.Owned {
			return k.BLabel
		}
		refs := spec.Columns[idx[k.B]].Refs
		space := idSpace(refs[0])
		for _, lb := range refs[1:] {
			if idSpace(lb) != space {
				if x.ids[probity.LabelAddress][b] {
					return probity.LabelAddress
				}
				return "Party"
			}
		}
		return space
	}
	startSpace := idSpace(spec.Columns[idx[k.A]].Refs[0])
	relHeader := func(end string) []string {
		h := []string{":START_ID(" + startSpace + ")", ":END_ID(" + end + ")", ":TYPE"}
		for _, i := range relProps {
			h = append(h, k.Prop(spec.Columns[i].Name)+typeSuffix(spec.Columns[i].Type))
		}
		return h
	}
	var nodes *csv.Writer
	if k.Owned {
		h := []string{"id:ID(" + k.BLabel + ")"}
		for _, i := range nodeProps {
			h = append(h, k.Prop(spec.Columns[i].Name)+typeSuffix(spec.Columns[i].Type))
		}
		var err error
		if nodes, err = x.file("nodes-"+k.BLabel+".csv", true, append(h, ":LABEL")); err != nil {
			return 0, nil, err
		}
	}
	m := newBulkMerge(x.seed, rep)
	var relCells, nodeCells []string
	n := 0
	for {
		rec, err := x.next(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, nil, err
		}
		n++
		if err := graph.RowTexts(spec, func(col string) string { return get(rec, col) }, texts); err != nil {
			return n, nil, fmt.Errorf("row %d, %w", n+1, err)
		}
		a, b, key := k.RelKey(text)
		end := endSpace(b)
		w, err := x.file(fmt.Sprintf("rels-%s-%s-%s.csv", k.Rel, startSpace, end), false, relHeader(end))
		if err != nil {
			return n, nil, err
		}
		// The cells are written at once (or cloned): their slices are reused.
		rel := bulkOut{w: w, cells: append(relCells[:0], a, b, k.Rel)}
		for _, i := range relProps {
			x.multiline = x.multiline || strings.ContainsAny(texts[i], "\r\n")
			rel.cells = append(rel.cells, texts[i])
		}
		relCells = rel.cells
		if !k.Owned {
			err = m.add([]string{"rel", a, b, key}, rel)
		} else {
			node := bulkOut{w: nodes, cells: append(nodeCells[:0], b)}
			for _, i := range nodeProps {
				x.multiline = x.multiline || strings.ContainsAny(texts[i], "\r\n")
				node.cells = append(node.cells, texts[i])
			}
			node.cells = append(node.cells, k.BLabel)
			nodeCells = node.cells
			if k.OwnCols != nil {
				// The node's id names its officer too: one key for both.
				err = m.add([]string{"node", b}, node, rel)
			} else {
				if err = m.add([]string{"node", b}, node); err == nil {
					err = m.add([]string{"rel", a, b, key}, rel)
				}
			}
		}
		if err != nil {
			return n, nil, err
		}
	}
	if rep == nil {
		return n, m.repeats(), nil
	}
	return n, nil, m.flush()
}

// bulkMerge writes one node or relationship a key, merging the rows that
// repeat the key as the loader's MERGE and SET += do: each later row's
// non-empty cells over the earlier ones'. A first pass over a file (no
// counts) writes every row and keeps a 64-bit hash of its key; at the end
// of the file (repeats) it sorts them. When some key repeats, the file is
// converted again with the counts of the repeated hashes: the rows of those
// keys are merged in memory until their last one, then written (the keys
// compared whole, so that two keys of one hash stay apart).
type bulkMerge struct {
	seed    maphash.Seed
	second  bool
	hashes  []uint64              // first pass: the hash of every row's key
	counts  map[uint64]int        // second pass: rows of each repeated hash, counted down
	pending map[uint64][]*bulkRow // second pass: the merged rows of the repeated keys
}

// bulkOut is a row to write to w; the rows of one key have the same shape.
type bulkOut struct {
	w     *csv.Writer
	cells []string
}

type bulkRow struct {
	key  string
	outs []bulkOut
}

func newBulkMerge(seed maphash.Seed, counts map[uint64]int) *bulkMerge {
	if counts != nil {
		return &bulkMerge{seed: seed, second: true, counts: counts, pending: map[uint64][]*bulkRow{}}
	}
	return &bulkMerge{seed: seed}
}

// add takes the rows one input row writes under the key made of parts.
func (m *bulkMerge) add(parts []string, outs ...bulkOut) error {
	h := graph.HashKey(m.seed, parts...)
	if !m.second {
		m.hashes = append(m.hashes, h)
		return writeOuts(outs)
	}
	left, ok := m.counts[h]
	if !ok {
		return writeOuts(outs)
	}
	key := strings.Join(parts, "\x00")
	rows := m.pending[h]
	i := slices.IndexFunc(rows, func(r *bulkRow) bool { return r.key == key })
	if i < 0 {
		row := &bulkRow{key: key}
		for _, o := range outs {
			row.outs = append(row.outs, bulkOut{w: o.w, cells: slices.Clone(o.cells)})
		}
		rows = append(rows, row)
		m.pending[h] = rows
	} else {
		for j, o := range outs {
			for c, v := range o.cells {
				if v != "" {
					rows[i].outs[j].cells[c] = v
				}
			}
		}
	}
	if left > 1 {
		m.counts[h] = left - 1
		return nil
	}
	delete(m.counts, h)
	delete(m.pending, h)
	for _, r := range rows {
		if err := writeOuts(r.outs); err != nil {
			return err
		}
	}
	return nil
}

// repeats returns, after a first pass, the number of rows of each hash
// that more than one row has; nil when no key repeats.
func (m *bulkMerge) repeats() map[uint64]int {
	slices.Sort(m.hashes)
	var counts map[uint64]int
	for i := 1; i < len(m.hashes); i++ {
		if h := m.hashes[i]; h == m.hashes[i-1] {
			if counts == nil {
				counts = map[uint64]int{}
			}
			counts[h] = max(counts[h], 1) + 1
		}
	}
	m.hashes = nil
	return counts
}

// flush writes what a second pass still holds (nothing, when the file did
// not change between the passes).
func (m *bulkMerge) flush() error {
	for _, rows := range m.pending {
		for _, r := range rows {
			if err := writeOuts(r.outs); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeOuts(outs []bulkOut) error {
	for _, o := range outs {
		if err := o.w.Write(o.cells); err != nil {
			return err
		}
	}
	return nil
}
