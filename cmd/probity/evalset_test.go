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
	set := func(officers, truth string) string {
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
	const ours = "officer_id,name,rank,unit,role,start_date,status,gender\nO1,Ann Lee,,U1,,2015-03-01,,\nO2,Bob Ray,,U2,,,,m\nO3,Cy Dee,,U1,,,,\n"
	planted := "O1,undisclosed-association,S1\nO2,undisclosed-association,S2\n"

	// its own set: measured, no warning
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", set(ours, planted)}, e); err != nil || errOut.Len() != 0 {
		t.Fatalf("the loaded set's truth: %v %q", err, errOut.String())
	}
	stored, err := s.LatestAccuracyReport(ctx)
	if err != nil || len(stored.Warnings) != 0 {
		t.Fatalf("stored %+v, %v", stored, err)
	}

	// another set's: the same ids, other officers; refused, nothing stored
	other := set("officer_id,name,rank,unit,role,start_date,status,gender\nO1,Ava Bennett,,U3,,2019-01-01,,\nO2,Evie Johnson,,U2,,,,f\nO3,Cy Dee,,U1,,,,\n", planted)
	err = run(ctx, []string{"eval", "--truth", other}, e)
	if exitCode(err) != 65 || !strings.Contains(err.Error(), other+" is not the truth file of the loaded data: 2 of the 2 officers") ||
		!strings.Contains(err.Error(), `O1: name "Ava Bennett" in the file, "Ann Lee" in the database`) || !strings.Contains(err.Error(), "O2: gender") || !strings.Contains(err.Error(), "nothing is stored") {
		t.Fatalf("another set's truth: %v", err)
	}
	if now, _ := s.LatestAccuracyReport(ctx); now.ID != stored.ID {
		t.Fatalf("a refused truth file replaced the stored report")
	}

	// one officer of three changed since (an update loaded): a warning
	errOut.Reset()
	changed := strings.Replace(ours, "O3,Cy Dee,,U1", "O3,Cy Dee,,U9", 1)
	if err := run(ctx, []string{"eval", "--truth", set(changed, planted+"O3,collusion-ring,S3\n")}, e); err != nil ||
		!strings.Contains(errOut.String(), `1 of the 3 officers truth.csv names differ in the officers.csv beside it from those the database holds (O3: unit "U9" in the file, "U1" in the database)`) {
		t.Fatalf("an officer changed since: %v %q", err, errOut.String())
	}

	// every officer moved unit since (an update loaded), names unchanged: a warning, not a refusal
	errOut.Reset()
	moved := strings.NewReplacer(",U1,", ",U7,", ",U2,", ",U8,").Replace(ours)
	if err := run(ctx, []string{"eval", "--truth", set(moved, planted)}, e); err != nil || !strings.Contains(errOut.String(), "2 of the 2 officers truth.csv names differ") {
		t.Fatalf("officers moved since: %v %q", err, errOut.String())
	}

	// no officers.csv beside it: the truth names an officer no flag concerns
	// while two are flagged; warned, and the warning kept with the figures
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", set("", "O3,undisclosed-association,S1\n")}, e); err != nil ||
		!strings.Contains(errOut.String(), "0 of 1 truth pairs flagged; 2 flags not in the truth: is truth.csv the truth file of this data?") {
		t.Fatalf("a truth file that barely overlaps: %v %q", err, errOut.String())
	}
	if now, _ := s.LatestAccuracyReport(ctx); !slices.ContainsFunc(now.Warnings, func(w string) bool { return strings.Contains(w, "is truth.csv the truth file of this data?") }) {
		t.Fatalf("the warning is not kept with the figures: %q", now.Warnings)
	}
	// ... not when it overlaps
	errOut.Reset()
	if err := run(ctx, []string{"eval", "--truth", set("", planted)}, e); err != nil || strings.Contains(errOut.String(), "truth pairs flagged") {
		t.Fatalf("an honest truth file alone: %v %q", err, errOut.String())
	}
}
