package graph

// mutW: tests, needing no Neo4j, that kill mutants of this session's
// graph changes which the suite let survive. Each names its mutants
// (see /work/scratch/mutW/REPORT.md).

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"probity"
)

// One file meant for the format under another name refuses the load, also
// when it is the only one (kills L3: len(misnamed) > 1), and a folder
// named as an import file refuses it as a folder, not as a file to load
// (kills L1: case known: loaded the folder; L2: said "lower case").
func TestMutWLoadFilesOneMisnamed(t *testing.T) {
	for name, want := range map[string]string{
		"accesses_2025-06-01.csv": "named exactly accesses.csv",
		"phones.csv/":             "phones.csv: a folder, not a file",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "officers.csv"), []byte("officer_id\nO1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var err error
		if d, ok := strings.CutSuffix(name, "/"); ok {
			err = os.Mkdir(filepath.Join(dir, d), 0o700)
		} else {
			err = os.WriteFile(filepath.Join(dir, name), []byte("officer_id,record_id,at\n"), 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		specs, err := (&Store{}).loadFiles(dir, nil)
		if probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), want) || len(specs) != 0 {
			t.Errorf("a set with %s: %v, %v; want EINVALID saying %q", name, specs, err, want)
		}
	}
}

// The weak-likeness reading is for fewer than 10 look-ups with some
// unassigned (kills S3: <= fewLookups; S4: unassigned >= 0; S5:
// fewLookups 9).
func TestMutWSimilarInnocentBounds(t *testing.T) {
	for _, c := range []struct {
		looks lookups
		weak  bool
	}{{lookups{3, 9}, true}, {lookups{3, 10}, false}, {lookups{0, 5}, false}, {lookups{1, 1}, true}, {lookups{0, 0}, false}} {
		got := similarInnocent(&profile{looks: c.looks, counts: map[string]int{}})
		if strings.Contains(got, "weak likeness") != c.weak {
			t.Errorf("%d of %d look-ups: %q, want weak %v", c.looks.unassigned, c.looks.all, got, c.weak)
		}
	}
}

// A float stored beyond its bounds is read as the nearest bound, NaN and
// a value of another type leave the default (kills T3: NaN clamped to NaN;
// T4: a float read as its default; T5: another type read as the default
// but marked as set).
func TestMutWClampedFloat(t *testing.T) {
	sim := pp("minSimilarity", 0.75, 0.01, 1, "")
	for _, c := range []struct {
		in   any
		want any
	}{{5.0, 1.0}, {-2.0, 0.01}, {math.Inf(1), 1.0}} {
		if v, err := clamped(sim, c.in); err != nil || v != c.want {
			t.Errorf("clamped(minSimilarity, %v) = %v, %v; want %v", c.in, v, err, c.want)
		}
	}
	if v, err := clamped(sim, math.NaN()); err == nil {
		t.Errorf("clamped(minSimilarity, NaN) = %v, want an error (the default holds)", v)
	}
	topK := pp("topK", int64(100), 1, maxTopK, "")
	if v, err := clamped(topK, "three"); err == nil {
		t.Errorf("clamped(topK, \"three\") = %v, want an error", v)
	}
	if v, err := clamped(topK, int64(-5)); err != nil || v != int64(1) {
		t.Errorf("clamped(topK, -5) = %v, %v; want 1", v, err)
	}
}

// A malformed row's raw lines, read again from the file, show a lone CR as
// \r as rawLine does (kills L10).
func TestMutWRawLinesLoneCR(t *testing.T) {
	p := filepath.Join(t.TempDir(), "accesses.csv")
	if err := os.WriteFile(p, []byte("h\nunit\rO40,\"x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &rawLines{path: p}
	defer r.close()
	if got := r.lines(2, 2); got != `unit\rO40,"x` {
		t.Fatalf("raw lines %q, want %q", got, `unit\rO40,"x`)
	}
}

// A CR that ends the text (a raw cut at 4 KiB) is shown too (kills V3).
func TestMutWShowLoneCRAtTheEnd(t *testing.T) {
	if got := showLoneCR("a\r"); got != `a\r` {
		t.Fatalf("showLoneCR(%q) = %q", "a\r", got)
	}
}
