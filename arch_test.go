package probity_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// allowed is the import direction of docs/ARCHITECTURE.md: for each package
// of the module, the module packages it may import. cmd wires everything;
// api never imports graph; the root package imports only the standard library.
var allowed = map[string][]string{
	"probity":                   {},
	"probity/graph":             {"probity", "probity/internal/stats", "probity/internal/fairness"},
	"probity/graph/graphtest":   {"probity", "probity/graph"},
	"probity/api":               {"probity", "probity/ui", "probity/internal/stats"},
	"probity/ui":                {},
	"probity/seeds":             {"probity"},
	"probity/internal/fairness": {"probity", "probity/internal/stats"},
	"probity/internal/":         {"probity"},
	"probity/cmd/probity":       {"*"},
}

// thirdParty lists the packages that may import each third-party prefix.
var thirdParty = map[string][]string{
	"github.com/neo4j/":        {"probity/graph", "probity/graph/graphtest"},
	"github.com/gin-gonic/":    {"probity/api"},
	"github.com/graph-gophers": {"probity/api"},
	"github.com/schollz/":      {}, // progress bars: cmd/probity only (graph reports through graph.Progress)
	"github.com/robfig/cron":   {"probity/internal/schedule"},
	"github.com/prometheus/":   {"probity/internal/schedule", "probity/api"},
	"gonum.org/":               {"probity/internal/stats", "probity/internal/fairness", "probity/graph", "probity/graph/graphtest", "probity/api"},
}

func rule(pkg string, table map[string][]string) ([]string, bool) {
	if r, ok := table[pkg]; ok {
		return r, true
	}
	for k, r := range table {
		if strings.HasSuffix(k, "/") && strings.HasPrefix(pkg, k) {
			return r, true
		}
	}
	return nil, false
}

func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
			Deps       []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		may, ok := rule(p.ImportPath, allowed)
		if !ok {
			t.Errorf("package %s is not in the import table of arch_test.go and docs/ARCHITECTURE.md", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "probity/") || imp == "probity" {
				if !contains(may, "*") && !contains(may, imp) {
					t.Errorf("%s imports %s: not allowed", p.ImportPath, imp)
				}
			}
		}
		if p.ImportPath == "probity" { // the standard library only: a host name starts a module path, not a standard package
			for _, dep := range p.Deps {
				if first, _, _ := strings.Cut(dep, "/"); strings.Contains(first, ".") {
					t.Errorf("the root package depends on %s: it may use the standard library only", dep)
				}
			}
		}
		for _, imp := range p.Imports { // gonum directly only in internal/stats (graph and api reach it through that)
			if strings.HasPrefix(imp, "gonum.org/") && p.ImportPath != "probity/internal/stats" {
				t.Errorf("%s imports %s: statistics go through probity/internal/stats", p.ImportPath, imp)
			}
		}
		for _, dep := range p.Deps { // indirect too: api must not reach the driver through anything
			for prefix, users := range thirdParty {
				if strings.HasPrefix(dep, prefix) && !contains(users, p.ImportPath) && p.ImportPath != "probity/cmd/probity" && !strings.HasPrefix(p.ImportPath, "probity/cmd/") {
					t.Errorf("%s depends on %s: only %v may", p.ImportPath, dep, users)
				}
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
