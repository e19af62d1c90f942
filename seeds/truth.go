package seeds

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"probity"
)

// Planted is one row of truth.csv (a planted case) or traps.csv (a planted
// near miss, with Why it must not be flagged).
type Planted struct {
	OfficerID  string
	Pattern    string
	ScenarioID string
	Why        string // traps only
}

// ReadTruth reads truth.csv and traps.csv from a generated set's folder.
// A missing traps.csv is not an error (other tools may write truth only).
func ReadTruth(dir string) (truth, traps []Planted, err error) {
	truth, err = readPlanted(filepath.Join(dir, probity.TruthFile), false)
	if err != nil {
		return nil, nil, err
	}
	traps, err = readPlanted(filepath.Join(dir, probity.TrapsFile), true)
	if os.IsNotExist(err) {
		err = nil
	}
	return truth, traps, err
}

func readPlanted(path string, withWhy bool) ([]Planted, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	want := []string{"officer_id", "pattern", "scenario_id"}
	if withWhy {
		want = append(want, "why")
	}
	for _, h := range want {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%s: no column %s", path, h)
		}
	}
	var out []Planted
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		p := Planted{OfficerID: rec[col["officer_id"]], Pattern: rec[col["pattern"]], ScenarioID: rec[col["scenario_id"]]}
		if withWhy {
			p.Why = rec[col["why"]]
		}
		if p.OfficerID == "" || p.Pattern == "" {
			return nil, fmt.Errorf("%s:%d: officer_id and pattern are required", path, line)
		}
		out = append(out, p)
	}
}
