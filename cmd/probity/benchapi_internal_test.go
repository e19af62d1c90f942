package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestBenchAPICases: --cases names only cases that exist (a misspelt one
// had run nothing and exited 0), and benchCaseNames are the cases' names.
func TestBenchAPICases(t *testing.T) {
	var names []string
	for _, c := range (&benchClient{}).cases("", "") {
		names = append(names, c.name)
	}
	if !slices.Equal(names, benchCaseNames) {
		t.Fatalf("cases %v, benchCaseNames %v", names, benchCaseNames)
	}
	e := &env{stderr: &strings.Builder{}}
	for _, args := range [][]string{{"--data", "d", "--cases", "neighbourhood-graphq"}, {"--data", "d", "extra"}} {
		var ee *exitError
		if _, err := parseBenchAPI(e, args); !errors.As(err, &ee) || ee.code != 64 {
			t.Errorf("%v: %v, want a usage error (64)", args, err)
		}
	}
	if o, err := parseBenchAPI(e, []string{"--data", "d", "--cases", "flags-driver,neighbourhood-driver"}); err != nil || o.only != "flags-driver,neighbourhood-driver" {
		t.Errorf("two known cases: %+v, %v", o, err)
	}
}
