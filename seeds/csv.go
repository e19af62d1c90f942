package seeds

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"probity"
)

// table is one CSV file being written, row by row, through a buffer.
type table struct {
	name string
	f    *os.File
	w    *bufio.Writer
	cols int
	rows int
	err  *error // the sink's first error
}

// row writes one record; the number of fields must match the header.
func (t *table) row(fields ...string) {
	if *t.err != nil {
		return
	}
	if len(fields) != t.cols {
		*t.err = fmt.Errorf("%s: row has %d fields, want %d", t.name, len(fields), t.cols)
		return
	}
	for i, f := range fields {
		if i > 0 {
			t.w.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\r\n") {
			t.w.WriteByte('"')
			t.w.WriteString(strings.ReplaceAll(f, `"`, `""`))
			t.w.WriteByte('"')
		} else {
			t.w.WriteString(f)
		}
	}
	if _, err := t.w.WriteString("\n"); err != nil {
		*t.err = fmt.Errorf("%s: %w", t.name, err)
	}
	t.rows++
}

// sink holds every output file of a set, open for writing at once.
type sink struct {
	dir    string
	err    error
	tables []*table
}

func newSink(dir string) (*sink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &sink{dir: dir}, nil
}

// open creates the named file with the given header.
func (s *sink) open(name string, header []string) *table {
	t := &table{name: name, cols: len(header), err: &s.err}
	if s.err != nil {
		// keep a harmless table so callers need no checks
		t.w = bufio.NewWriter(discard{})
		s.tables = append(s.tables, t)
		return t
	}
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		s.err = err
		t.w = bufio.NewWriter(discard{})
		s.tables = append(s.tables, t)
		return t
	}
	t.f, t.w = f, bufio.NewWriterSize(f, 256<<10)
	t.w.WriteString(strings.Join(header, ",") + "\n")
	s.tables = append(s.tables, t)
	return t
}

// openSpec creates an import file with the header of its spec, then the
// extra columns.
func (s *sink) openSpec(name string, extra ...string) *table {
	spec, ok := probity.ImportFile(name)
	if !ok {
		panic("seeds: no import spec " + name)
	}
	h := make([]string, 0, len(spec.Columns)+len(extra))
	for _, c := range spec.Columns {
		h = append(h, c.Name)
	}
	return s.open(name, append(h, extra...))
}

// close flushes and closes every file and returns the first error.
func (s *sink) close() error {
	for _, t := range s.tables {
		if t.f == nil {
			continue
		}
		if err := t.w.Flush(); err != nil && s.err == nil {
			s.err = fmt.Errorf("%s: %w", t.name, err)
		}
		if err := t.f.Close(); err != nil && s.err == nil {
			s.err = fmt.Errorf("%s: %w", t.name, err)
		}
	}
	return s.err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
