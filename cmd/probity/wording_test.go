package main

import (
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"probity/graph/graphtest"
)

// TestWordingSetEndToEnd runs the command-line contract (load, scan, flags
// --format csv) on testdata/wording, a small force written by hand from
// DESIGN.md's words in the forms other tools write (see its README): every
// rule raises exactly the flags of expected.csv, the decoys none.
func TestWordingSetEndToEnd(t *testing.T) {
	graphtest.Open(t)
	ctx := context.Background()
	e, out, errOut := testEnv()
	const dir = "testdata/wording"
	if err := run(ctx, []string{"load", "--rejects", t.TempDir() + "/rejects.csv", dir}, e); err != nil {
		t.Fatalf("load: %v\n%s", err, errOut.String())
	}
	if err := run(ctx, []string{"scan"}, e); err != nil {
		t.Fatalf("scan: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"flags", "--format", "csv"}, e); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	evidence := map[string][]string{}
	for _, r := range rows[1:] {
		k := r[1] + "," + r[2]
		got = append(got, k)
		evidence[k] = strings.Split(r[5], ";")
	}
	slices.Sort(got)
	b, err := os.ReadFile(dir + "/expected.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("flags (pattern,officer):\n%s\nwant:\n%s\n\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), out.String())
	}
	// The evidence names the whole chain in import-format ids.
	for k, ids := range map[string][]string{
		"access-for-gain,O3":              {"O3", "R3", "P3", "ACC3", "ACCO3", "PAY1"},
		"undisclosed-association,O1":      {"O1", "A1", "P1"},
		"personal-interest-access,O4":     {"O4", "R4", "P4"},
		"undeclared-business-interest,O7": {"O7", "C7"},
		"collusion-ring,O8":               {"O8", "O9", "P10", "A8"},
		"co-accused-crew,O11":             {"O10", "O11", "CP1", "CP2"},
		"similar-to-confirmed,O11":        {"O11", "O10", "MC1"},
	} {
		for _, id := range ids {
			if !slices.Contains(evidence[k], id) {
				t.Errorf("%s: evidence %v lacks %s", k, evidence[k], id)
			}
		}
	}
}
