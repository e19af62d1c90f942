package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"probity"
)

// export-bulk converts an import-format folder into the CSV layout of
// neo4j-admin database import full: one node file a label and one
// relationship file a (file, start id space, end id space), each with its
// header written in the first row. It writes the same nodes, labels,
// relationships and typed properties as `probity load` on an empty
// database, except that it checks nothing: run `probity load --strict` on
// the folder first when it comes from outside. OUT/args lists the
// arguments to pass to the importer.

// bulkLink says how the rows of one link file become relationships (the
// bulk twin of the loader's write plans).
type bulkLink struct {
	rel     string
	a, b    string            // columns naming the start and end
	key     map[string]string // column -> property name when not propName
	owned   string            // label of a node each row creates (b is then its id)
	ownID   func(c map[string]string) string
	nodeCol []string // owned: columns stored on the node
}

var bulkLinks = map[string]bulkLink{
	"record_subjects.csv": {rel: probity.RelAbout, a: "record_id", b: "subject_id"},
	"accesses.csv":        {rel: probity.RelAccessed, a: "officer_id", b: "record_id"},
	"assignments.csv":     {rel: probity.RelAssignedTo, a: "officer_id", b: "case_id"},
	"holders.csv":         {rel: probity.RelHolds, a: "party_id", b: "account_id"},
	"payments.csv": {rel: probity.RelPaid, a: "from_account", b: "to_account",
		key: map[string]string{"payment_id": "id"}},
	"residences.csv":    {rel: probity.RelLivesAt, a: "party_id", b: "address_id"},
	"phone_use.csv":     {rel: probity.RelUsesPhone, a: "party_id", b: "phone_id"},
	"directorships.csv": {rel: probity.RelDirectorOf, a: "party_id", b: "company_id"},
	"relations.csv":     {rel: probity.RelRelatedTo, a: "party_a", b: "party_b"},
	"declarations.csv": {rel: probity.RelDeclared, a: "officer_id", b: "declared_id",
		key: map[string]string{"declared_on": "on"}},
	"shifts.csv": {rel: probity.RelWorked, a: "officer_id", owned: probity.LabelShift,
		ownID:   func(c map[string]string) string { return c["officer_id"] + "/" + c["date"] },
		nodeCol: []string{"date", "start", "end", "declared_location"}},
	"badge_swipes.csv": {rel: probity.RelSwiped, a: "officer_id", owned: probity.LabelBadgeSwipe,
		ownID:   func(c map[string]string) string { return c["officer_id"] + "/" + c["at"] },
		nodeCol: []string{"at", "site"}},
	"misconduct_history.csv": {rel: probity.RelSubjectOf, a: "officer_id", b: "case_id", owned: probity.LabelMisconductCase},
	"complaint_officers.csv": {rel: probity.RelNamedIn, a: "officer_id", b: "complaint_id"},
}

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
// returns the rows read and the number of files written.
func exportBulk(ctx context.Context, in, out string, skip map[string]map[int]bool) (int, int, error) {
	x := &bulkExport{in: in, out: out, spaces: map[string]map[string]bool{}, files: map[string]*bulkFile{}, skip: skip}
	if err := os.MkdirAll(x.out, 0o755); err != nil {
		return 0, 0, err
	}
	rows, err := x.run(ctx)
	if cerr := x.closeAll(); err == nil {
		err = cerr
	}
	if err != nil {
		return rows, 0, err
	}
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
		argv = append(argv, kind+filepath.Join(x.out, n))
	}
	argv = append(argv, "--ignore-empty-strings=true", fmt.Sprintf("--multiline-fields=%t", x.multiline))
	if err := os.WriteFile(filepath.Join(x.out, "args"), []byte(strings.Join(argv, "\n")+"\n"), 0o644); err != nil {
		return rows, 0, err
	}
	return rows, len(x.files), nil
}

type bulkFile struct {
	f    *os.File
	w    *csv.Writer
	node bool
}

type bulkExport struct {
	in, out   string
	spaces    map[string]map[string]bool // ids of the labels that links may need to tell apart
	files     map[string]*bulkFile
	multiline bool
	skip      map[string]map[int]bool // file -> lines to leave out
	lines     map[int]bool            // skip of the file being converted
}

// next reads the next row to convert, passing over the rows to skip
// (whose CSV may be broken: those errors are passed over too).
func (x *bulkExport) next(r *csv.Reader) ([]string, error) {
	for {
		rec, err := r.Read()
		var pe *csv.ParseError
		switch {
		case err == nil:
			if line, _ := r.FieldPos(0); x.lines[line] {
				continue
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
	return w, w.Write(header)
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

// bulkProp names a column as the loader stores it (camelCase; declared_on
// is DECLARED.on, payment_id is PAID.id).
func bulkProp(l bulkLink, col string) string {
	if n, ok := l.key[col]; ok {
		return n
	}
	return propName("", col)
}

// propName mirrors the loader's stored names: snake_case to camelCase.
func propName(_ string, col string) string {
	var b strings.Builder
	up := false
	for _, r := range col {
		switch {
		case r == '_':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cellValue is what the importer should read for a cell: datetimes in UTC
// (a time of day is placed on the row's date), the rest as written.
func cellValue(c probity.Column, v, date string) (string, error) {
	if v == "" {
		return "", nil
	}
	switch c.Type {
	case probity.TypeDateTime, probity.TypeTime:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil && c.Type == probity.TypeTime {
			for _, l := range []string{"15:04", "15:04:05", "15:04Z07:00", "15:04:05Z07:00"} {
				if tod, err2 := time.Parse(l, v); err2 == nil {
					d, err3 := time.Parse("2006-01-02", date)
					if err3 != nil {
						return "", fmt.Errorf("%q is a time of day but the row has no valid date", v)
					}
					_, off := tod.Zone()
					t = time.Date(d.Year(), d.Month(), d.Day(), tod.Hour(), tod.Minute(), tod.Second(), tod.Nanosecond(), time.FixedZone("", off))
					err = nil
					break
				}
			}
		}
		if err != nil {
			return "", fmt.Errorf("%q is not a date-time", v)
		}
		return t.UTC().Format(time.RFC3339Nano), nil
	}
	return v, nil
}

func (x *bulkExport) run(ctx context.Context) (int, error) {
	total := 0
	for _, spec := range probity.ImportFiles {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := x.convert(spec)
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
func (x *bulkExport) convert(spec probity.FileSpec) (int, error) {
	f, err := os.Open(filepath.Join(x.in, spec.Name))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	x.lines = x.skip[spec.Name]
	if x.lines[1] {
		return 0, nil // a bad header: the loader skips the file
	}
	head, err := r.Read()
	if err == io.EOF {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	col := map[string]int{}
	for i, h := range head {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		col[strings.TrimSpace(h)] = i
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	if spec.Label != "" {
		return x.entities(spec, r, get)
	}
	return x.links(spec, r, get)
}

func (x *bulkExport) entities(spec probity.FileSpec, r *csv.Reader, get func([]string, string) string) (int, error) {
	space := idSpace(spec.Label)
	labels := spec.Label
	if space == "Party" {
		labels += ";Party"
	}
	header := []string{}
	var props []probity.Column
	idCol := ""
	for _, c := range spec.Columns {
		switch {
		case c.Type == probity.TypeID:
			idCol = c.Name
			header = append(header, "id:ID("+space+")")
		case spec.Label == probity.LabelRecord && c.Name == "case_id":
		default:
			props = append(props, c)
			header = append(header, propName("", c.Name)+typeSuffix(c.Type))
		}
	}
	header = append(header, ":LABEL")
	w, err := x.file("nodes-"+spec.Label+".csv", true, header)
	if err != nil {
		return 0, err
	}
	var partOf *csv.Writer
	if spec.Label == probity.LabelRecord {
		if partOf, err = x.file("rels-PART_OF-Record-Case.csv", false, []string{":START_ID(Record)", ":END_ID(Case)", ":TYPE"}); err != nil {
			return 0, err
		}
	}
	if spec.Label == probity.LabelAddress {
		x.spaces[probity.LabelAddress] = map[string]bool{}
	}
	n := 0
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
		id := get(rec, idCol)
		out = append(out[:0], id)
		for _, c := range props {
			v, err := cellValue(c, get(rec, c.Name), "")
			if err != nil {
				return n, fmt.Errorf("row %d, %s: %w", n+1, c.Name, err)
			}
			if v == "" && c.Type == probity.TypeBool && spec.Label == probity.LabelPerson {
				v = "false" // the loader stores poi and highProfile false when absent
			}
			x.multiline = x.multiline || strings.ContainsAny(v, "\r\n")
			out = append(out, v)
		}
		out = append(out, labels)
		if err := w.Write(out); err != nil {
			return n, err
		}
		if s, ok := x.spaces[spec.Label]; ok {
			s[id] = true
		}
		if partOf != nil {
			if c := get(rec, "case_id"); c != "" {
				if err := partOf.Write([]string{id, c, probity.RelPartOf}); err != nil {
					return n, err
				}
			}
		}
	}
}

func (x *bulkExport) links(spec probity.FileSpec, r *csv.Reader, get func([]string, string) string) (int, error) {
	l, ok := bulkLinks[spec.Name]
	if !ok {
		return 0, fmt.Errorf("no bulk plan")
	}
	cols := map[string]probity.Column{}
	var relProps, nodeProps []probity.Column
	inNode := map[string]bool{}
	for _, c := range l.nodeCol {
		inNode[c] = true
	}
	for _, c := range spec.Columns {
		cols[c.Name] = c
		switch {
		case c.Name == l.a || c.Name == l.b:
		case inNode[c.Name]:
			nodeProps = append(nodeProps, c)
		default:
			relProps = append(relProps, c)
		}
	}
	// The end's id space: the referenced label's, or the owned node's.
	endSpace := func(rec []string) (string, error) {
		if l.owned != "" {
			return l.owned, nil
		}
		refs := cols[l.b].Refs
		space := idSpace(refs[0])
		for _, lb := range refs[1:] {
			if idSpace(lb) != space {
				if x.spaces[probity.LabelAddress][get(rec, l.b)] {
					return probity.LabelAddress, nil
				}
				return "Party", nil
			}
		}
		return space, nil
	}
	startSpace := idSpace(cols[l.a].Refs[0])
	relHeader := func(end string) []string {
		h := []string{":START_ID(" + startSpace + ")", ":END_ID(" + end + ")", ":TYPE"}
		for _, c := range relProps {
			h = append(h, bulkProp(l, c.Name)+typeSuffix(c.Type))
		}
		return h
	}
	var nodes *csv.Writer
	if l.owned != "" {
		h := []string{"id:ID(" + l.owned + ")"}
		for _, c := range nodeProps {
			h = append(h, propName("", c.Name)+typeSuffix(c.Type))
		}
		var err error
		if nodes, err = x.file("nodes-"+l.owned+".csv", true, append(h, ":LABEL")); err != nil {
			return 0, err
		}
	}
	// Owned nodes are merged by id, as the loader does; the files list an
	// officer's rows together, so ids are remembered an officer at a time.
	seen, seenFor := map[string]bool{}, ""
	seenAll := map[string]bool{} // misconduct cases: few, remembered all
	byName := map[string]string{}
	n := 0
	out := []string{}
	for {
		rec, err := x.next(r)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
		date := get(rec, "date")
		end, err := endSpace(rec)
		if err != nil {
			return n, err
		}
		w, err := x.file(fmt.Sprintf("rels-%s-%s-%s.csv", l.rel, startSpace, end), false, relHeader(end))
		if err != nil {
			return n, err
		}
		a, b := get(rec, l.a), get(rec, l.b)
		if l.owned != "" {
			for k := range byName {
				delete(byName, k)
			}
			for _, c := range spec.Columns {
				v, err := cellValue(c, get(rec, c.Name), date)
				if err != nil {
					return n, fmt.Errorf("row %d, %s: %w", n+1, c.Name, err)
				}
				byName[c.Name] = v
			}
			if l.ownID != nil {
				b = l.ownID(byName)
			}
			fresh := false
			if l.ownID != nil {
				if a != seenFor {
					clear(seen)
					seenFor = a
				}
				fresh = !seen[b]
				seen[b] = true
			} else {
				fresh = !seenAll[b]
				seenAll[b] = true
			}
			switch {
			case !fresh && l.ownID != nil:
				continue // the loader's MERGE finds the officer's node and its link
			case fresh:
				out = append(out[:0], b)
				for _, c := range nodeProps {
					out = append(out, byName[c.Name])
				}
				if err := nodes.Write(append(out, l.owned)); err != nil {
					return n, err
				}
			}
		}
		out = append(out[:0], a, b, l.rel)
		for _, c := range relProps {
			v, err := cellValue(c, get(rec, c.Name), date)
			if err != nil {
				return n, fmt.Errorf("row %d, %s: %w", n+1, c.Name, err)
			}
			x.multiline = x.multiline || strings.ContainsAny(v, "\r\n")
			out = append(out, v)
		}
		if err := w.Write(out); err != nil {
			return n, err
		}
	}
}
