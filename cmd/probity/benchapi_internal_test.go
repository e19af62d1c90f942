package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"probity"
	"probity/graph"
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
	for _, args := range [][]string{{"--data", "d", "--cases", "neighbourhood-graphq"}, {"--data", "d", "extra"},
		{"--data", "d", "--rounds", "0"}, {"--data", "d", "--duration", "4s", "--rounds", "5"}} {
		var ee *exitError
		if _, err := parseBenchAPI(e, args); !errors.As(err, &ee) || ee.code != 64 {
			t.Errorf("%v: %v, want a usage error (64)", args, err)
		}
	}
	if o, err := parseBenchAPI(e, []string{"--data", "d", "--cases", "flags-driver,neighbourhood-driver"}); err != nil || o.only != "flags-driver,neighbourhood-driver" {
		t.Errorf("two known cases: %+v, %v", o, err)
	}
}

// TestBenchAPIInterleaves: the cases run in rounds, each round one case
// further on, and the first round (the warm-up) is not counted: a case run
// first after a server start no longer pays alone for what warms it.
func TestBenchAPIInterleaves(t *testing.T) {
	var mu sync.Mutex
	var calls []string // every call's case, in order
	fn := func(name string) benchFn {
		return func(context.Context, probity.Ref) (int, time.Duration, error) {
			time.Sleep(time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, name)
			return 1, 0, nil
		}
	}
	cases := []benchCase{{"a", fn("a")}, {"b", fn("b")}, {"c", fn("c")}}
	var out strings.Builder
	e := &env{stdout: &out, stderr: io.Discard}
	o := benchAPIFlags{conc: []int{1}, dur: 300 * time.Millisecond, rounds: 2}
	var batches int64
	audit := func() graph.AuditStats { batches += 2; return graph.AuditStats{Batches: batches, Events: 3 * batches} }
	if err := runBenchCases(context.Background(), e, audit, o, []probity.Ref{{}}, cases); err != nil {
		t.Fatal(err)
	}
	// the slices: runs of calls of one case (one client: they do not overlap)
	var order []string
	all, warm := map[string]int{}, map[string]int{}
	for i, c := range calls {
		if i == 0 || calls[i-1] != c {
			order = append(order, c)
		}
		all[c]++
		if len(order) <= len(cases) {
			warm[c]++
		}
	}
	if want := []string{"a", "b", "c", "b", "c", "a", "c", "a", "b"}; !slices.Equal(order, want) {
		t.Fatalf("slices ran in the order %v, want %v", order, want)
	}
	dec := json.NewDecoder(strings.NewReader(out.String()))
	for _, name := range []string{"a", "b", "c"} {
		var r benchResult
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		if r.Case != name || r.Requests != all[name]-warm[name] || r.AuditBatch != 3 {
			t.Errorf("%s: %+v, want the %d calls after its warm-up slice's %d", name, r, all[name]-warm[name], warm[name])
		}
	}
}
