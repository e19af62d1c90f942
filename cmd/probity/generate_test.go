package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if err := run(context.Background(), []string{"generate", "--out", dir, "--officers", "100", "--seed", "3", "--days", "130"}, e); err != nil {
		t.Fatalf("generate: %v (%s)", err, errb.String())
	}
	if !strings.Contains(out.String(), "generated 100 officers (seed 3)") {
		t.Fatalf("output = %q", out.String())
	}
	for _, f := range []string{"officers.csv", "accesses.csv", "truth.csv", "traps.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, args := range [][]string{
		{"generate"},
		{"generate", "--out", dir, "--officers", "10"},
		{"generate", "--out", dir, "extra"},
		{"generate", "--out", dir, "--days", "129"}, {"generate", "--out", dir, "--days", "801"},
	} {
		if code := exitCode(run(context.Background(), args, e)); code != 64 {
			t.Errorf("%v: exit %d, want 64", args, code)
		}
	}
}
