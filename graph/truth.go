package graph

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// ReadTruth reads a CSV with a header naming officer_id and pattern columns
// (scenario_id optional). Every row must name an officer and a pattern of
// the library, with as many fields as the header: anything else is an
// error naming file:line, and nothing is measured. probity eval reads its
// truth and traps files with it, and the tests their generated sets'.
func ReadTruth(path string) ([]probity.TruthRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(SkipBOM(f))
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty: a header naming officer_id and pattern is needed", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range HeaderNames(header) {
		col[HeaderKey(h)] = i
	}
	oi, ok1 := col["officer_id"]
	pi, ok2 := col["pattern"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s:1: header needs officer_id and pattern, got %v", path, header)
	}
	si, hasScenario := col["scenario_id"]
	var out []probity.TruthRow
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err) // csv's error names the line
		}
		line, _ := r.FieldPos(0)
		t := probity.TruthRow{OfficerID: strings.TrimSpace(row[oi]), Pattern: strings.TrimSpace(row[pi])}
		if t.OfficerID == "" {
			return nil, fmt.Errorf("%s:%d: officer_id is empty", path, line)
		}
		if err := probity.CheckPattern(Patterns(), t.Pattern); err != nil {
			return nil, fmt.Errorf("%s:%d: %s", path, line, probity.ErrorMessage(err))
		}
		if hasScenario {
			t.ScenarioID = row[si]
		}
		out = append(out, t)
	}
}

// OfficerMismatch is an officer of a data set's officers.csv whose row
// differs from the officer the database holds: Diffs name each property
// that differs, with both values, or say the file has no row for it.
type OfficerMismatch struct {
	ID    string
	Diffs []string
	// Missing: the file has no row for it (a set loaded in parts may hold
	// it in another part's file)
	Missing bool
}

// CompareOfficers reads the officers.csv at path as probity load parses it
// and compares, for each of ids the database holds, the row's values (the
// format's columns and the attribute columns) with the stored officer's
// properties: compared counts those officers, mismatched the ones whose
// row differs or is missing, in ids order. A row load would reject is
// skipped. probity eval tells with it a truth file of another generated
// set, whose officer ids are those of every set (statA M1).
func (s *Store) CompareOfficers(ctx context.Context, path string, ids []string) (compared int, mismatched []OfficerMismatch, err error) {
	spec, _ := probity.ImportFile("officers.csv")
	rows, err := readOfficerRows(path, spec, ids)
	if err != nil {
		return 0, nil, err
	}
	res, err := s.read(ctx, `UNWIND $ids AS id MATCH (o:`+probity.LabelOfficer+` {id: id}) RETURN id, properties(o)`, map[string]any{"ids": ids})
	if err != nil {
		return 0, nil, fmt.Errorf("compare officers: %w", err)
	}
	stored := map[string]map[string]any{}
	for _, r := range res.Records {
		stored[str(r.Values[0])] = asMap(r.Values[1])
	}
	for _, id := range ids {
		db, ok := stored[id]
		if !ok {
			continue // not held: eval counts it as missed, and says so
		}
		compared++
		row, ok := rows[id]
		if !ok {
			mismatched = append(mismatched, OfficerMismatch{ID: id, Diffs: []string{"no row in " + filepath.Base(path)}, Missing: true})
			continue
		}
		var diffs []string
		for _, k := range slices.Sorted(maps.Keys(row)) {
			if a, b := cellString(row[k]), cellString(db[k]); a != b {
				diffs = append(diffs, fmt.Sprintf("%s %q in the file, %q in the database", k, a, b))
			}
		}
		if len(diffs) > 0 {
			mismatched = append(mismatched, OfficerMismatch{ID: id, Diffs: diffs})
		}
	}
	return compared, mismatched, nil
}

// readOfficerRows reads, from the officers.csv at path, the rows of ids as
// the properties load would give them (empty cells left out).
func readOfficerRows(path string, spec probity.FileSpec, ids []string) (map[string]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(SkipBOM(f))
	r.FieldsPerRecord = -1
	fields, err := r.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h, reason, _ := checkHeader(spec, fields)
	if reason != "" {
		return nil, fmt.Errorf("%s:1: %s", path, reason)
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string]map[string]any{}
	for {
		fields, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			continue // a row load rejects
		}
		c, _, reason := checkRow(spec, h, fields)
		if reason != "" {
			continue
		}
		id, _ := c[0].(string)
		if _, seen := out[id]; !want[id] || seen {
			continue // load keeps an officer's first row and rejects the others (reviewR L1)
		}
		props := map[string]any{}
		for i, col := range spec.Columns {
			if i > 0 && c[i] != nil {
				props[propName(spec.Name, col.Name)] = c[i]
			}
		}
		for j, a := range h.attrs {
			if v := c[len(spec.Columns)+j]; v != nil {
				props[a.Name] = v
			}
		}
		out[id] = props
	}
}

// cellString is a property's value as text, whether read from a file or
// from the database ("" when absent).
func cellString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case neo4j.Date:
		return time.Time(x).Format(dateLayout)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
