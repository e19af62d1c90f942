package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"probity/graph/graphtest"
)

// TestEvalTellsATruthFileOfAnotherSet: every generated set numbers its
// officers OFF000001..., so a truth file of another set names officers the
// database holds. With an officers.csv beside the truth file (a generated
// set), eval compares the truth officers' rows with the database and
// refuses another set's, storing nothing; some rows changed since is a
// warning. With none beside it, a truth that barely overlaps the flags
// that stand is a warning kept with the figures (statA M1).
func TestEvalTellsATruthFileOfAnotherSet(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer {name: 'Ann Lee', unit: 'U1', startDate: date('2015-03-01')})-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi:true})
		(O2:Officer {name: 'Bob Ray', unit: 'U2', gender: 'm'})-[:LIVES_AT]->(A2:Address)<-[:LIVES_AT]-(P2:Person {poi:true})
		(O3:Officer {name: 'Cy Dee', unit: 'U1'})
	`)
	ctx := context.Background()
	e, _, errOut := testEnv()
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association"}, e); err != nil {
		t.Fatal(err)
	}
	const ours = "officer_id,name,rank,unit,role,start_date,status,gender\nO1,Ann Lee,,U1,,2015-03-01,,\nO2,Bob Ray,,U2,,,,m\nO3,Cy Dee,,U1,,,,\n"
	planted := "O1,undisclosed-association,S1\nO2,undisclosed-association,S2\n"

	// its own set: measured, no warning
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", truthSetFile(t, ours, planted)}, e); err != nil || errOut.Len() != 0 {
		t.Fatalf("the loaded set's truth: %v %q", err, errOut.String())
	}
	stored, err := s.LatestAccuracyReport(ctx, true)
	if err != nil || len(stored.Warnings) != 0 {
		t.Fatalf("stored %+v, %v", stored, err)
	}

	// another set's: the same ids, other officers; refused, nothing stored
	other := truthSetFile(t, "officer_id,name,rank,unit,role,start_date,status,gender\nO1,Ava Bennett,,U3,,2019-01-01,,\nO2,Evie Johnson,,U2,,,,f\nO3,Cy Dee,,U1,,,,\n", planted)
	err = run(ctx, []string{"eval", "--truth", other}, e)
	if exitCode(err) != 65 || !strings.Contains(err.Error(), other+" is not the truth file of the loaded data: 2 of the 2 officers") ||
		!strings.Contains(err.Error(), `O1: name "Ava Bennett" in the file, "Ann Lee" in the database`) || !strings.Contains(err.Error(), `O2: name "Evie Johnson" in the file`) || !strings.Contains(err.Error(), "nothing is stored") {
		t.Fatalf("another set's truth: %v", err)
	}
	if now, _ := s.LatestAccuracyReport(ctx, true); now.ID != stored.ID {
		t.Fatalf("a refused truth file replaced the stored report")
	}

	// one officer of three changed since (an update loaded): a warning
	errOut.Reset()
	changed := strings.Replace(ours, "O3,Cy Dee,,U1", "O3,Cy Dee,,U9", 1)
	if err := run(ctx, []string{"eval", "--truth", truthSetFile(t, changed, planted+"O3,collusion-ring,S3\n")}, e); err != nil ||
		!strings.Contains(errOut.String(), `1 of the 3 officers truth.csv names differ in the officers.csv beside it from those the database holds (O3: unit "U9" in the file, "U1" in the database)`) {
		t.Fatalf("an officer changed since: %v %q", err, errOut.String())
	}

	// every officer moved unit since (an update loaded), names unchanged: a warning, not a refusal
	errOut.Reset()
	moved := strings.NewReplacer(",U1,", ",U7,", ",U2,", ",U8,").Replace(ours)
	if err := run(ctx, []string{"eval", "--truth", truthSetFile(t, moved, planted)}, e); err != nil || !strings.Contains(errOut.String(), "2 of the 2 officers truth.csv names differ") {
		t.Fatalf("officers moved since: %v %q", err, errOut.String())
	}

	// no officers.csv beside it: the truth names an officer no flag concerns
	// while two are flagged; warned, and the warning kept with the figures
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", truthSetFile(t, "", "O3,undisclosed-association,S1\n")}, e); err != nil ||
		!strings.Contains(errOut.String(), "0 of 1 truth pairs flagged; 2 flags not in the truth: is truth.csv the truth file of this data?") {
		t.Fatalf("a truth file that barely overlaps: %v %q", err, errOut.String())
	}
	if now, _ := s.LatestAccuracyReport(ctx, true); !slices.ContainsFunc(now.Warnings, func(w string) bool { return strings.Contains(w, "is truth.csv the truth file of this data?") }) {
		t.Fatalf("the warning is not kept with the figures: %q", now.Warnings)
	}
	// ... not when it overlaps
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", truthSetFile(t, "", planted)}, e); err != nil || strings.Contains(errOut.String(), "truth pairs flagged") {
		t.Fatalf("an honest truth file alone: %v %q", err, errOut.String())
	}
}

// TestEvalTruthSetEdges (reviewR): the truth file of the same seed at
// another size (the same names, other rows, no overlap) is refused; a set
// loaded in parts (officers.csv beside the truth holds some of them) and a
// repeated officer row (load keeps the first) are not taken for another
// set.
func TestEvalTruthSetEdges(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer {name: 'Ann Lee', rank: 'PC', unit: 'U1', startDate: date('2015-03-01')})-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi:true})
		(O2:Officer {name: 'Bob Ray', rank: 'PC', unit: 'U2'})-[:LIVES_AT]->(A2:Address)<-[:LIVES_AT]-(P2:Person {poi:true})
		(O3:Officer {name: 'Cy Dee', rank: 'PC', unit: 'U1'})
		(O4:Officer {name: 'Di Fox', rank: 'PC', unit: 'U1'})
	`)
	ctx := context.Background()
	e, _, errOut := testEnv()
	if err := run(ctx, []string{"scan", "--pattern", "undisclosed-association"}, e); err != nil {
		t.Fatal(err)
	}
	const head = "officer_id,name,rank,unit,role,start_date,status\n"

	// H1: the same seed at another size gives the same names in the same
	// order but other ranks, units, start dates and planted cases: every
	// truth officer differs and the truth and the flags do not overlap.
	t.Run("same names, everything else differs, no overlap", func(t *testing.T) {
		errOut.Reset()
		other := truthSetFile(t, head+"O1,Ann Lee,DC,U7,,2001-01-01,\nO2,Bob Ray,DC,U8,,2002-02-02,\nO3,Cy Dee,DC,U9,,2003-03-03,\nO4,Di Fox,DC,U9,,2004-04-04,\n",
			"O3,undisclosed-association,S1\nO4,undisclosed-association,S2\n")
		err := run(ctx, []string{"eval", "--truth", other}, e)
		if exitCode(err) != 65 || !strings.Contains(err.Error(), "2 of the 2 officers it names are otherwise (0 of 2 truth pairs flagged; 2 flags not in the truth)") {
			t.Errorf("another set's truth (0 of 2 pairs flagged, 2 flags not in it, every officer's row differs): %v; %q", err, errOut.String())
		}
	})

	// M1: a set loaded in parts: the officers.csv beside truth.csv holds
	// only part of the officers (the rest were in the first part).
	t.Run("officers loaded in parts", func(t *testing.T) {
		errOut.Reset()
		partB := truthSetFile(t, head+"O3,Cy Dee,PC,U1,,,\nO4,Di Fox,PC,U1,,,\n", "O1,undisclosed-association,S1\nO2,undisclosed-association,S2\n")
		if err := run(ctx, []string{"eval", "--truth", partB}, e); err != nil {
			t.Errorf("an honest truth file beside part of the officers was refused: %v", err)
		}
	})

	// L1: a repeated officer row, which load rejects (the first row is
	// kept), is not compared by its last row
	t.Run("repeated row load rejected", func(t *testing.T) {
		errOut.Reset()
		dup := truthSetFile(t, head+"O1,Ann Lee,PC,U1,,2015-03-01,\nO2,Bob Ray,PC,U2,,,\nO3,Cy Dee,PC,U1,,,\nO4,Di Fox,PC,U1,,,\nO1,Ann Leigh,PC,U1,,2015-03-01,\n",
			"O1,undisclosed-association,S1\nO2,undisclosed-association,S2\n")
		if err := run(ctx, []string{"eval", "--truth", dup}, e); err != nil || strings.Contains(errOut.String(), "differ") {
			t.Errorf("a row load rejected was compared: %v %q", err, errOut.String())
		}
	})
}

// truthSetFile writes a data set's truth.csv (its rows after the header)
// and, unless officers is "", the officers.csv beside it, and returns the
// truth file's path.
func truthSetFile(t *testing.T, officers, truth string) string {
	t.Helper()
	dir := t.TempDir()
	if officers != "" {
		if err := os.WriteFile(filepath.Join(dir, "officers.csv"), []byte(officers), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "truth.csv"), []byte("officer_id,pattern,scenario_id\n"+truth), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "truth.csv")
}
