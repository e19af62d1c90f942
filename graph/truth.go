package graph

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

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
