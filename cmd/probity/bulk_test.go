package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
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

// TestExportBulkArgsAbsolute: OUT/args names its files by absolute paths,
// so that neo4j-admin can be run with it from any folder.
func TestExportBulkArgsAbsolute(t *testing.T) {
	in := t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "officers.csv"), []byte("officer_id\nO1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	t.Chdir(work)
	if _, _, err := exportBulk(context.Background(), in, "out", nil); err != nil {
		t.Fatal(err)
	}
	args, err := os.ReadFile(filepath.Join(work, "out", "args"))
	if err != nil {
		t.Fatal(err)
	}
	want := "--nodes=" + filepath.Join(work, "out", "nodes-Officer.csv")
	if !strings.Contains(string(args), want+"\n") {
		t.Errorf("args = %q, want a line %s", args, want)
	}
}

// TestExportBulkFailureLeavesOutAsItWas: an export that fails half way
// (a broken quote in accesses.csv, after officers.csv was converted) leaves
// an earlier export in OUT as it was and nothing beside it; a folder that
// holds anything an export does not write (a file of the user's beside an
// args file, the input set), a symbolic link and the folder the command
// runs in are refused before anything is written (reG).
func TestExportBulkFailureLeavesOutAsItWas(t *testing.T) {
	in, parent := t.TempDir(), t.TempDir()
	out := filepath.Join(parent, "out")
	write := func(dir, name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(in, "officers.csv", "officer_id\nO1\n")
	if _, _, err := exportBulk(context.Background(), in, out, nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "args"))
	if err != nil {
		t.Fatal(err)
	}
	write(in, "officers.csv", "officer_id\nO1\nO2\n")
	write(in, "records.csv", "record_id,system,kind,case_id\nR1,,,\n")
	write(in, "accesses.csv", "officer_id,record_id,at,system,channel,terminal,purpose\nO1,R1,2025-01-01T00:00:00Z,PNC,onsite,T,a \"b\n")
	if _, _, err := exportBulk(context.Background(), in, out, nil); err == nil || !strings.Contains(err.Error(), "accesses.csv") {
		t.Fatalf("export of a broken accesses.csv: %v, want its error", err)
	}
	after, err := os.ReadFile(filepath.Join(out, "args"))
	if err != nil || string(after) != string(before) {
		t.Errorf("OUT/args after the failed export: %q (%v), want the earlier %q", after, err, before)
	}
	if nodes, _ := os.ReadFile(filepath.Join(out, "nodes-Officer.csv")); strings.Contains(string(nodes), "O2") {
		t.Errorf("the failed export wrote into OUT: %q", nodes)
	}
	if es, _ := os.ReadDir(parent); len(es) != 1 {
		t.Errorf("beside OUT after the failed export: %v, want OUT alone", es)
	}

	other := filepath.Join(parent, "project")
	if err := os.MkdirAll(filepath.Join(other, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(other, "args", "mine")
	write(other, "thesis.txt", "mine")
	write(filepath.Join(other, "data"), "officers.csv", "officer_id\nO1\n")
	link := filepath.Join(parent, "link")
	if err := os.Symlink(out, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ out, why string }{
		{other, "holds data, which export-bulk does not write"},
		{link, "is a symbolic link"},
		{filepath.Join(other, "thesis.txt"), "is a file"},
	} {
		if _, _, err := exportBulk(context.Background(), filepath.Join(other, "data"), c.out, nil); err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("export into %s: %v, want a refusal (%s)", c.out, err, c.why)
		}
	}
	if es, _ := os.ReadDir(other); len(es) != 3 {
		t.Errorf("the refused folder holds %v, want args, data and thesis.txt", es)
	}
	if _, _, err := exportBulk(context.Background(), filepath.Join(parent, "nosuch"), filepath.Join(parent, "out2"), nil); err == nil || !strings.Contains(err.Error(), "is no folder of import files") {
		t.Errorf("export of a folder that does not exist: %v, want a refusal (it had exported 0 rows)", err)
	}
	t.Chdir(out)
	if _, _, err := exportBulk(context.Background(), in, ".", nil); err == nil || !strings.Contains(err.Error(), "holds the folder this command runs in") {
		t.Errorf("export into the folder it runs in: %v, want a refusal", err)
	}
}

// TestExportBulkRepeats converts files whose rows repeat a key, far apart
// and next to each other, and wants one row a node or relationship with the
// loader's merge of their cells: each later non-empty cell over the earlier.
func TestExportBulkRepeats(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	for name, content := range map[string]string{
		"officers.csv": "officer_id,name,rank,unit,role,start_date,status\nO1,Ann,,,,,\nO2,Bob,,,,,\nO1,Again,,,,,\n",
		"records.csv":  "record_id,system,kind,case_id\nR1,,,\n",
		"accesses.csv": "officer_id,record_id,at,system,channel,terminal,purpose\n" +
			"O1,R1,2024-03-01T10:00:00Z,PNC,,T1,first\nO2,R1,2024-03-01T10:00:00Z,,,,\n" +
			"O1,R1,2024-03-01T11:00:00+01:00,,remote,,second\nO1,R1,2024-03-01T10:30:00Z,,,,\n",
		"shifts.csv": "officer_id,date,start,end,declared_location\nO1,2024-03-01,08:00,16:00,onsite\n" +
			"O2,2024-03-01,08:00,16:00,onsite\nO1,2024-03-01,08:00,,remote\nO1,2024-03-02,22:00,06:00,onsite\n",
		"misconduct_history.csv": "case_id,officer_id,category,outcome,decided_on\nM1,O1,c,proven,2020-01-01\nM1,O2,c,dismissed,\nM1,O1,,dismissed,\n",
	} {
		if err := os.WriteFile(filepath.Join(in, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, _, stderr := testEnv()
	if err := run(context.Background(), []string{"export-bulk", in, out}, e); err != nil {
		t.Fatalf("export-bulk: %v (%s)", err, stderr)
	}
	lines := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		l := strings.Split(strings.TrimSpace(string(b)), "\n")
		slices.Sort(l[1:])
		return strings.Join(l[1:], "\n")
	}
	for name, want := range map[string]string{
		"nodes-Officer.csv": "O1,Ann,,,,,,Officer;Party\nO2,Bob,,,,,,Officer;Party",
		"rels-ACCESSED-Party-Record.csv": "O1,R1,ACCESSED,2024-03-01T10:00:00Z,PNC,remote,T1,second\n" +
			"O1,R1,ACCESSED,2024-03-01T10:30:00Z,,,,\nO2,R1,ACCESSED,2024-03-01T10:00:00Z,,,,",
		"nodes-Shift.csv": "O1/2024-03-01/2024-03-01T08:00:00Z,2024-03-01,2024-03-01T08:00:00Z,2024-03-01T16:00:00Z,remote,Shift\n" +
			"O1/2024-03-02/2024-03-02T22:00:00Z,2024-03-02,2024-03-02T22:00:00Z,2024-03-03T06:00:00Z,onsite,Shift\n" +
			"O2/2024-03-01/2024-03-01T08:00:00Z,2024-03-01,2024-03-01T08:00:00Z,2024-03-01T16:00:00Z,onsite,Shift",
		"rels-WORKED-Party-Shift.csv": "O1,O1/2024-03-01/2024-03-01T08:00:00Z,WORKED\nO1,O1/2024-03-02/2024-03-02T22:00:00Z,WORKED\n" +
			"O2,O2/2024-03-01/2024-03-01T08:00:00Z,WORKED",
		"nodes-MisconductCase.csv":                 "M1,MisconductCase",
		"rels-SUBJECT_OF-Party-MisconductCase.csv": "O1,M1,SUBJECT_OF,c,dismissed,2020-01-01\nO2,M1,SUBJECT_OF,c,dismissed,",
	} {
		if got := lines(name); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
	// No record names a case: no PART_OF file, whose Case id space no node
	// file would declare (neo4j-admin refused the whole import: fuzzF).
	if args, err := os.ReadFile(filepath.Join(out, "args")); err != nil || strings.Contains(string(args), "PART_OF") {
		t.Errorf("args list a PART_OF file without rows: %s %v", args, err)
	}
}

// An officer attribute is written as the loader keeps it: without the
// padding, and a NULL as nothing (reRun: " F " and "NULL" had reached a
// bulk-loaded database as groups of their own).
func TestExportBulkAttributesAsLoaded(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "officers.csv"), []byte("officer_id,name,Gender\nO1,Ann, F \nO2,Bob,NULL\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, _, stderr := testEnv()
	if err := run(context.Background(), []string{"export-bulk", in, out}, e); err != nil {
		t.Fatalf("export-bulk: %v (%s)", err, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "nodes-Officer.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); !strings.Contains(got, "O1,Ann,,,,,,F,Officer;Party\n") || !strings.Contains(got, "O2,Bob,,,,,,,Officer;Party\n") {
		t.Errorf("nodes-Officer.csv:\n%s", got)
	}
}
