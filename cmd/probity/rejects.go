package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"probity/graph"
)

// rejectsFile writes rejected rows as CSV (file,line,column,reason,raw),
// creating the file at the first one, and echoes the first few.
type rejectsFile struct {
	path     string
	fallback string // the file's name in a new private temporary folder when path cannot be used ("": nowhere else)
	why      error  // why path could not be used, when it falls back (path "" until the first reject)
	echo     io.Writer
	f        *os.File
	w        *csv.Writer
	count    int
}

// rejectsHeader is the first line of a rejects file.
var rejectsHeader = []string{"file", "line", "column", "reason", "raw"}

// prepare checks, before anything is loaded, that the rejects file can be
// written where it goes and would overwrite nothing but an earlier
// rejects file: a --rejects naming a file of the set, or any other file,
// deleted or truncated it (formatB M1), and a folder that cannot be
// written was found at the first bad row, after files were loaded
// (formatB L2). The default path falls back to the temporary folder; a
// --rejects that cannot be used is a usage error, exit 64. The fallback
// is a folder of its own (0700), not a name in the shared temporary folder
// that another account could have made first (opsX L4).
func (r *rejectsFile) prepare(dir string) error {
	err := usableRejects(r.path, dir)
	if err != nil && r.fallback != "" {
		// the folder is made at the first rejected row (add): a clean
		// load leaves none behind (reviewN L6)
		r.why, r.path = err, ""
		return nil
	}
	if err != nil {
		return &exitError{code: 64, err: fmt.Errorf("load: --rejects: %w; nothing loaded", err)}
	}
	return nil
}

func usableRejects(path, dir string) error {
	absPath, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// compared as resolved: a link to the set's folder is the set (reviewM L3)
	if real, err := filepath.EvalSymlinks(absDir); err == nil {
		absDir = real
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(absPath)); err == nil {
		absPath = filepath.Join(real, filepath.Base(absPath))
	}
	if rel, err := filepath.Rel(absDir, absPath); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("%s is inside the data set %s, which it would be read with or overwrite", path, dir)
	}
	st, err := os.Stat(path)
	if lst, lerr := os.Lstat(path); os.IsNotExist(err) && lerr == nil && lst.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a link to nothing", path) // written through, wherever it points
	}
	switch {
	case err == nil && st.Mode()&os.ModeCharDevice != 0:
		return nil // /dev/null: no rejects file, as asked (reviewM L4)
	case err == nil && !st.Mode().IsRegular():
		return fmt.Errorf("%s is not a file", path)
	case err == nil && !isRejectsFile(path):
		return fmt.Errorf("%s is there and is not a rejects file (its first line is not %s), so it is not overwritten", path, strings.Join(rejectsHeader, ","))
	case err != nil && !os.IsNotExist(err):
		return err
	}
	probe, err := os.CreateTemp(filepath.Dir(absPath), ".probity-rejects-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// isRejectsFile says the file at path is empty or an earlier load's
// rejects file: one a load may overwrite or remove.
func isRejectsFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	first, err := csv.NewReader(f).Read()
	if err == nil && len(first) > 0 { // saved again by a spreadsheet: a byte-order mark first (reviewM L5)
		first[0] = strings.TrimPrefix(first[0], "\uFEFF")
	}
	return err == io.EOF || err == nil && strings.Join(first, ",") == strings.Join(rejectsHeader, ",")
}

func (r *rejectsFile) add(rej graph.Reject) error {
	if r.f == nil {
		if r.path == "" { // the default path could not be used (prepare)
			tmp, err := os.MkdirTemp("", "probity-rejects-")
			if err != nil {
				return fmt.Errorf("%v; and no temporary folder (%w): give --rejects FILE", r.why, err)
			}
			r.path = filepath.Join(tmp, r.fallback)
			fmt.Fprintf(r.echo, "load: %v; rejected rows go to %s\n", r.why, r.path)
		}
		// raw rows are personal data: readable by this account only (opsX
		// L4); an earlier rejects file is made anew, not truncated in place,
		// also through a link (reviewN M3: its old rows stayed)
		if real, err := filepath.EvalSymlinks(r.path); err == nil {
			r.path = real
		}
		flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if st, err := os.Stat(r.path); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			flags = os.O_WRONLY // /dev/null, written to as it is
		} else if err == nil {
			os.Remove(r.path)
		}
		f, err := os.OpenFile(r.path, flags, 0o600)
		if err != nil {
			return fmt.Errorf("create the rejects file: %w", err)
		}
		r.f, r.w = f, csv.NewWriter(f)
		r.w.Write(rejectsHeader)
	}
	r.count++
	if r.count <= maxShownRejects {
		fmt.Fprintln(r.echo, rej)
	} else if r.count == maxShownRejects+1 {
		fmt.Fprintf(r.echo, "... more rejected rows in %s\n", r.path)
	}
	return r.w.Write([]string{rej.File, strconv.Itoa(rej.Line), rej.Column, rej.Reason, inert(rej.Raw)})
}

// dropStale removes a rejects file an earlier load left at the path when
// this one rejected nothing: its rows would read as this load's.
func (r *rejectsFile) dropStale() {
	if r.count > 0 {
		return
	}
	if st, err := os.Stat(r.path); err != nil || !st.Mode().IsRegular() || !isRejectsFile(r.path) {
		return
	}
	if err := os.Remove(r.path); err == nil {
		fmt.Fprintf(r.echo, "load: removed %s, an earlier load's rejected rows: this load rejected none\n", r.path)
	}
}

func (r *rejectsFile) close() error {
	if r.f == nil {
		return nil
	}
	r.w.Flush()
	err := r.w.Error()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f = nil
	return err
}

// inert is a rejects file's raw cell as a spreadsheet shows it rather than
// runs it: one that starts as a formula would (=, +, -, @) gets a leading
// apostrophe, as spreadsheets themselves mark text (loadV).
func inert(raw string) string {
	if raw != "" && strings.ContainsRune("=+-@", rune(raw[0])) {
		return "'" + raw
	}
	return raw
}
