package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"probity/graph"
	"probity/graph/graphtest"
	"probity/seeds"
)

// splitSet moves the dated rows of a generated set into a second folder:
// events (accesses, payments, swipes, shifts) and association links
// (relations, residences, phone use, directorships) dated on or after
// cutoff, plus rows loaded late: the accesses and swipes of the late days
// (dated long before cutoff), and one in ten holders, record subjects and
// relations (undated, or dated before cutoff).
func splitSet(t *testing.T, dir, newDir, cutoff string, late []string) (moved int) {
	t.Helper()
	col := map[string]string{"accesses.csv": "at", "payments.csv": "at", "badge_swipes.csv": "at", "shifts.csv": "date",
		"relations.csv": "since", "residences.csv": "from", "phone_use.csv": "from", "directorships.csv": "from"}
	col["holders.csv"], col["record_subjects.csv"] = "", ""
	lateFiles := map[string]bool{"accesses.csv": true, "badge_swipes.csv": true}
	lateEvery := map[string]int{"holders.csv": 10, "record_subjects.csv": 10, "relations.csv": 10}
	if err := os.MkdirAll(newDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, c := range col {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: %v", file, err)
		}
		i := -1
		for k, h := range rows[0] {
			if h == c {
				i = k
			}
		}
		if i < 0 && c != "" {
			t.Fatalf("%s: no column %s", file, c)
		}
		keep, move := [][]string{rows[0]}, [][]string{rows[0]}
		for k, r := range rows[1:] {
			d := ""
			if i >= 0 {
				d = r[i]
			}
			isLate := lateEvery[file] > 0 && k%lateEvery[file] == 0
			for _, l := range late {
				isLate = isLate || (lateFiles[file] && strings.HasPrefix(d, l))
			}
			if (d != "" && d >= cutoff) || isLate {
				move = append(move, r)
			} else {
				keep = append(keep, r)
			}
		}
		moved += len(move) - 1
		for path, rs := range map[string][][]string{filepath.Join(dir, file): keep, filepath.Join(newDir, file): move} {
			out, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w := csv.NewWriter(out)
			w.WriteAll(rs)
			if err := out.Close(); err != nil || w.Error() != nil {
				t.Fatal(err, w.Error())
			}
		}
	}
	return moved
}

// TestIncrementalEqualsFullOnGeneratedForce: a generated force loaded
// without its last three weeks, scanned in full; then the three weeks (and
// accesses and swipes of two older days, loaded late) are loaded and
// scanned incrementally; a full scan of the same data afterwards must
// create no flag and see every flag the incremental scan saw.
func TestIncrementalEqualsFullOnGeneratedForce(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, loads and scans a force three times")
	}
	store := graphtest.Open(t)
	ctx := context.Background()
	dir, newDir := t.TempDir(), t.TempDir()
	if _, err := seeds.Generate(dir, seeds.Config{Officers: 150, Seed: 11, Days: 130}); err != nil {
		t.Fatal(err)
	}
	moved := splitSet(t, dir, newDir, "2025-05-04", []string{"2025-03-02", "2025-03-03"})
	load := func(d string) {
		rep, err := store.Load(ctx, d, graph.LoadOptions{})
		if err != nil {
			t.Fatalf("load %s: %v", d, err)
		}
		for _, f := range rep.Files {
			if f.Rejected > 0 {
				t.Fatalf("load rejected %d rows of %s", f.Rejected, f.File)
			}
		}
	}
	load(dir)
	inc, flags := graphtest.IncrementalEqualsFull(t, store, func() { load(newDir) })
	perPattern := map[string]int{}
	for _, f := range flags {
		if f.ScanRunID == inc.ID {
			perPattern[f.Pattern]++
		}
	}
	t.Logf("%d rows loaded later; incremental scan: %d officers looked at, %d new flags, seen per pattern %v",
		moved, inc.Officers, inc.NewFlags, perPattern)
	if inc.NewFlags == 0 {
		t.Errorf("the new rows raised no flag: the test proves nothing")
	}
}
