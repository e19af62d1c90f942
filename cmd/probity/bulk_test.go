package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportBulkDemo converts the demo set and checks that every entity row
// becomes a node, every link row a relationship (less the shifts and swipes
// the loader would merge), with typed headers and an args file naming them.
func TestExportBulkDemo(t *testing.T) {
	out := t.TempDir()
	e, stdout, stderr := testEnv()
	if err := run(context.Background(), []string{"export-bulk", "../../seeds/demo", out}, e); err != nil {
		t.Fatalf("export-bulk: %v (%s)", err, stderr)
	}
	if !strings.Contains(stdout.String(), "export-bulk:") {
		t.Fatalf("output = %q", stdout)
	}
	rows := func(path string) (header []string, n int) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return recs[0], len(recs) - 1
	}
	in := func(name string) int { _, n := rows(filepath.Join("../../seeds/demo", name)); return n }
	for file, label := range map[string]string{"officers.csv": "Officer", "persons.csv": "Person", "records.csv": "Record", "phones.csv": "Phone"} {
		if _, n := rows(filepath.Join(out, "nodes-"+label+".csv")); n != in(file) {
			t.Errorf("%s: %d nodes, want %d", label, n, in(file))
		}
	}
	h, n := rows(filepath.Join(out, "rels-PAID-Account-Account.csv"))
	if n != in("payments.csv") {
		t.Errorf("PAID: %d, want %d", n, in("payments.csv"))
	}
	if got := strings.Join(h, ","); got != ":START_ID(Account),:END_ID(Account),:TYPE,id,amount:double,currency,at:datetime,reference" {
		t.Errorf("PAID header = %s", got)
	}
	h, _ = rows(filepath.Join(out, "nodes-Person.csv"))
	if got := strings.Join(h, ","); got != "id:ID(Party),name,dob:date,poi:boolean,poiReason,highProfile:boolean,:LABEL" {
		t.Errorf("Person header = %s", got)
	}
	// ABOUT ends in two id spaces: parties and addresses, split by file.
	about := 0
	for _, f := range []string{"rels-ABOUT-Record-Party.csv", "rels-ABOUT-Record-Address.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			_, n := rows(filepath.Join(out, f))
			about += n
		}
	}
	if about != in("record_subjects.csv") {
		t.Errorf("ABOUT: %d, want %d", about, in("record_subjects.csv"))
	}
	_, shifts := rows(filepath.Join(out, "nodes-Shift.csv"))
	_, worked := rows(filepath.Join(out, "rels-WORKED-Party-Shift.csv"))
	if shifts != worked || shifts == 0 || shifts > in("shifts.csv") {
		t.Errorf("shifts %d, WORKED %d, rows %d", shifts, worked, in("shifts.csv"))
	}
	args, err := os.ReadFile(filepath.Join(out, "args"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(args), "--nodes="+filepath.Join(out, "nodes-Officer.csv")) ||
		!strings.Contains(string(args), "--relationships="+filepath.Join(out, "rels-ACCESSED-Party-Record.csv")) {
		t.Errorf("args = %s", args)
	}
}
