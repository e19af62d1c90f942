package seeds

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
)

func generate(t testing.TB, n int, seed uint64) string {
	t.Helper()
	days := 0
	if n == DemoOfficers && seed == DemoSeed {
		days = DemoDays
	}
	return generateDays(t, n, seed, days)
}

func generateDays(t testing.TB, n int, seed uint64, days int) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Generate(dir, Config{Officers: n, Seed: seed, Days: days}); err != nil {
		t.Fatal(err)
	}
	return dir
}

var sizes = []struct {
	n    int
	seed uint64
	days int
}{{100, 1, 0}, {100, 2, MinDays}, {DemoOfficers, DemoSeed, DemoDays}, {600, 42, 0}}

// base strips the copy number from a scenario id ("UA-ADDR-2" -> "UA-ADDR").
func base(id string) string { return id[:strings.LastIndex(id, "-")] }

// relaxations says, for every trap, the one rule parameter that, relaxed,
// makes the trap fire: proof that the trap sits just beyond the rule.
var relaxations = map[string]func(*rules){
	"UA-T-DECL":          func(r *rules) { r.declarations = false },
	"UA-T-DECLLATE":      func(r *rules) { r.declarations = false },
	"UA-T-TOWER":         func(r *rules) { r.hubs = false },
	"UA-T-SWITCH":        func(r *rules) { r.hubs = false },
	"UA-T-PAYROLL":       func(r *rules) { r.hubs = false },
	"UA-T-SHOP":          func(r *rules) { r.hubs = false },
	"UA-T-5":             func(r *rules) { r.depth = 5 },
	"AFG-T-31":           func(r *rules) { r.before = 31 },
	"AFG-T-91":           func(r *rules) { r.after = 91 },
	"AFG-T-ASSIGNED":     func(r *rules) { r.assignedCounts = false },
	"AFG-T-LASTDAY":      func(r *rules) { r.toExclusive = true },
	"PIA-T-ASSIGNED":     func(r *rules) { r.assignedCounts = false },
	"PIA-T-TOWER":        func(r *rules) { r.hubs = false },
	"AVO-T-19":           func(r *rules) { r.minX = 19 },
	"AVO-T-Z":            func(r *rules) { r.minZ = 0 },
	"ATT-T-2":            func(r *rules) { r.attDays = 2 },
	"ATT-T-31":           func(r *rules) { r.attSpan = 31 },
	"ATT-T-SWIPE":        func(r *rules) { r.attSwipes = false },
	"ATT-T-ONSITE":       func(r *rules) { r.attOnsite = false },
	"UBI-T-DECL":         func(r *rules) { r.declarations = false },
	"UBI-T-FAMCO":        func(r *rules) { r.famCompanyPaid = false },
	"UBI-T-ASSIGNEDSUBJ": func(r *rules) { r.assignedCounts = false },
	"COL-T-8":            func(r *rules) { r.colDays = 8 },
	"COL-T-HUB":          func(r *rules) { r.hubs = false },
	"CAC-T-ONCE":         func(r *rules) { r.cacMin = 1 },
	"CAC-T-BIG":          func(r *rules) { r.bigIsHub = false },
}

// TestRulesFlagExactlyTheTruth evaluates rules 1-8 with the reference
// evaluator: the flagged officers of each pattern must be exactly the
// planted ones (no unplanned hit in the background, no planted case missed),
// no trap may be flagged, and every trap must fire once its one rule
// parameter is relaxed.
func TestRulesFlagExactlyTheTruth(t *testing.T) {
	for _, sz := range sizes {
		t.Run(strconv.Itoa(sz.n)+"/"+strconv.Itoa(sz.days), func(t *testing.T) {
			dir := generateDays(t, sz.n, sz.seed, sz.days)
			w := load(t, dir)
			got := w.evaluate(defaults())
			want := map[string]set{}
			scen := map[string]set{}
			for _, r := range readCSV(t, dir, "truth.csv") {
				if want[r["pattern"]] == nil {
					want[r["pattern"]] = set{}
				}
				want[r["pattern"]].add(r["officer_id"])
				if scen[base(r["scenario_id"])] == nil {
					scen[base(r["scenario_id"])] = set{}
				}
				scen[base(r["scenario_id"])].add(r["officer_id"])
			}
			for _, p := range []string{PatUndisclosed, PatAccessGain, PatPersonal, PatVolume, PatAttendance,
				PatBusiness, PatCollusion, PatCoAccused} {
				if len(want[p]) == 0 {
					t.Errorf("%s: nothing planted", p)
				}
				for o := range got[p] {
					if !want[p][o] {
						t.Errorf("%s: %s flagged but not planted", p, o)
					}
				}
				for o := range want[p] {
					if !got[p][o] {
						t.Errorf("%s: %s planted but not flagged", p, o)
					}
				}
			}
			wantScen := []string{"UA-ADDR", "UA-PHONE", "UA-FAMREL", "UA-ASSOC", "UA-DIR", "UA-DIRFAM", "UA-PAY",
				"UA-JOINT", "UA-4", "UA-4B", "AFG-OWN", "AFG-COMP", "AFG-FAM", "AFG-TOFAM", "AFG-EDGE30",
				"AFG-EDGE90", "AFG-ENDED", "AFG-CASE", "PIA-FAM", "PIA-ASSOC", "PIA-CORES", "PIA-HP", "AVO-30",
				"AVO-20", "AVO-ANALYST", "ATT-3", "ATT-SPREAD", "ATT-WEEK", "UBI-DIR", "UBI-OWNER", "UBI-FAMPOI", "UBI-FAMSUBJ", "COL-2",
				"COL-3", "CAC-PAIR", "CAC-3", "STC-1", "STC-2"}
			for _, s := range wantScen {
				if len(scen[s]) == 0 {
					t.Errorf("scenario %s missing from truth.csv", s)
				}
			}
			traps := readCSV(t, dir, probity.TrapsFile)
			relaxed := map[string]map[string]set{}
			trapped := set{}
			for _, r := range traps {
				trapped.add(r["officer_id"])
			}
			for _, r := range traps {
				o, p, b := r["officer_id"], r["pattern"], base(r["scenario_id"])
				if got[p][o] {
					t.Errorf("trap %s: %s flagged for %s", r["scenario_id"], o, p)
				}
				relax, ok := relaxations[b]
				if !ok {
					t.Errorf("trap %s has no relaxation", b)
					continue
				}
				if relaxed[b+p] == nil {
					ru := defaults()
					relax(&ru)
					ru.only, ru.pattern = trapped, p
					relaxed[b+p] = w.evaluate(ru)
				}
				if !relaxed[b+p][p][o] {
					t.Errorf("trap %s: %s not flagged for %s even with the rule relaxed: not a near miss", r["scenario_id"], o, p)
				}
			}
			if len(traps) < len(relaxations) {
				t.Errorf("traps.csv has %d rows, want at least %d", len(traps), len(relaxations))
			}
		})
	}
}

// TestReferenceCanFail: the reference evaluation does notice an unplanned
// link (so the exact match above means something): a person of interest
// moving into a background officer's house flags that officer.
func TestReferenceCanFail(t *testing.T) {
	dir := generate(t, 100, 1)
	w := load(t, dir)
	planted := set{}
	for _, r := range readCSV(t, dir, "truth.csv") {
		planted.add(r["officer_id"])
	}
	for _, r := range readCSV(t, dir, probity.TrapsFile) {
		planted.add(r["officer_id"])
	}
	var o, home string
	for _, x := range w.officers {
		if !planted[x] {
			for _, a := range w.livesAt[x] {
				if !w.isHub(defaults(), a) {
					o, home = x, a
				}
			}
		}
		if o != "" {
			break
		}
	}
	if w.evaluate(defaults())[PatUndisclosed][o] {
		t.Fatalf("%s flagged before the change", o)
	}
	var poi string
	for p := range w.poi {
		poi = p
		break
	}
	w.link(poi, home)
	if !w.evaluate(defaults())[PatUndisclosed][o] {
		t.Fatalf("%s not flagged after a person of interest moved into %s", o, home)
	}
}

// TestSimilarToConfirmed ranks officers by the distance of their profile
// (unassigned accesses, accused in complaints, payments made; each scaled by
// its standard deviation) to the nearest officer with proven misconduct: the
// planted resemblers must be exactly the top of the ranking.
func TestSimilarToConfirmed(t *testing.T) {
	dir := generate(t, DemoOfficers, DemoSeed)
	w := load(t, dir)
	if len(w.proven) == 0 {
		t.Fatal("no proven misconduct planted")
	}
	prof := w.profiles()
	var sd [3]float64
	for k := 0; k < 3; k++ {
		var s, s2 float64
		for _, v := range prof {
			s += v[k]
			s2 += v[k] * v[k]
		}
		n := float64(len(prof))
		sd[k] = math.Sqrt(s2/n - (s/n)*(s/n))
	}
	type ranked struct {
		o string
		d float64
	}
	var rs []ranked
	for o, v := range prof {
		if w.proven[o] {
			continue
		}
		best := math.Inf(1)
		for c := range w.proven {
			var d float64
			for k := 0; k < 3; k++ {
				x := (v[k] - prof[c][k]) / sd[k]
				d += x * x
			}
			best = min(best, d)
		}
		rs = append(rs, ranked{o, best})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d < rs[j].d || rs[i].d == rs[j].d && rs[i].o < rs[j].o })
	want := set{}
	for _, r := range readCSV(t, dir, "truth.csv") {
		if r["pattern"] == PatSimilar {
			want.add(r["officer_id"])
		}
	}
	for i := 0; i < len(want); i++ {
		if !want[rs[i].o] {
			t.Errorf("rank %d: %s (distance %.2f) is not a planted resembler; want %v", i+1, rs[i].o, rs[i].d, want.sorted())
		}
	}
	if len(want) < 3 || rs[len(want)].d < 4*rs[len(want)-1].d+1 {
		t.Errorf("resemblers not clearly separated: last planted %.2f, first other %.2f", rs[len(want)-1].d, rs[len(want)].d)
	}
}

// TestDeterministic: the same seed gives byte-identical files; another seed
// gives other files.
func TestDeterministic(t *testing.T) {
	a, b, c := generate(t, 150, 9), generate(t, 150, 9), generate(t, 150, 10)
	names, _ := filepath.Glob(filepath.Join(a, "*.csv"))
	if len(names) != len(probity.ImportFiles)+2 {
		t.Fatalf("%d files, want %d", len(names), len(probity.ImportFiles)+2)
	}
	differ := false
	for _, n := range names {
		x, _ := os.ReadFile(n)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(n)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", filepath.Base(n))
		}
		z, _ := os.ReadFile(filepath.Join(c, filepath.Base(n)))
		if !bytes.Equal(x, z) {
			differ = true
		}
	}
	if !differ {
		t.Error("seed 10 gives the same files as seed 9")
	}
}

// TestDemoInSync: the committed demo set is what the generator writes now
// (regenerate with `make demo`).
func TestDemoInSync(t *testing.T) {
	dir := generate(t, DemoOfficers, DemoSeed)
	names, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, n := range names {
		x, _ := os.ReadFile(n)
		y, err := os.ReadFile(filepath.Join("demo", filepath.Base(n)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("demo/%s is out of date: run `make demo`", filepath.Base(n))
		}
	}
	committed, _ := filepath.Glob(filepath.Join("demo", "*"))
	if len(committed) != len(names) {
		t.Errorf("demo/ holds %d files, the generator writes %d", len(committed), len(names))
	}
}

var (
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	decRE  = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// TestImportFormat checks every file against probity.ImportFiles: header in
// column order, required cells, dates, UTC times, booleans, enums, decimals,
// unique ids, and every reference naming an id of the set with a label the
// column allows.
func TestImportFormat(t *testing.T) {
	dir := generate(t, 100, 5)
	labelOf := map[string]string{} // id -> label
	for _, spec := range probity.ImportFiles {
		if spec.Label == "" {
			continue
		}
		for _, r := range readCSV(t, dir, spec.Name) {
			id := r[spec.Columns[0].Name]
			if _, dup := labelOf[id]; dup {
				t.Errorf("%s: id %s not unique", spec.Name, id)
			}
			labelOf[id] = spec.Label
		}
	}
	for _, spec := range probity.ImportFiles {
		raw, err := os.ReadFile(filepath.Join(dir, spec.Name))
		if err != nil {
			t.Fatal(err)
		}
		head := strings.SplitN(string(raw), "\n", 2)[0]
		var cols []string
		for _, c := range spec.Columns {
			cols = append(cols, c.Name)
		}
		if spec.Name == "officers.csv" {
			cols = append(cols, "gender") // an officer attribute (import-format.md)
		}
		if head != strings.Join(cols, ",") {
			t.Errorf("%s header = %q, want %q", spec.Name, head, strings.Join(cols, ","))
		}
		ids := set{}
		for i, r := range readCSV(t, dir, spec.Name) {
			for _, c := range spec.Columns {
				v := r[c.Name]
				where := spec.Name + ":" + strconv.Itoa(i+2) + " " + c.Name
				if v == "" {
					if c.Required {
						t.Errorf("%s: required", where)
					}
					continue
				}
				ok := true
				switch c.Type {
				case probity.TypeDate:
					ok = dateRE.MatchString(v)
				case probity.TypeDateTime, probity.TypeTime:
					_, err := time.Parse(time.RFC3339, v)
					ok = timeRE.MatchString(v) && err == nil
				case probity.TypeBool:
					ok = v == "true" || v == "false"
				case probity.TypeDecimal:
					ok = decRE.MatchString(v)
				case probity.TypeEnum:
					ok = contains(c.Enum, v)
				case probity.TypeRef:
					ok = contains(c.Refs, labelOf[v])
				case probity.TypeID:
					ok = !ids[v] && strings.TrimSpace(v) == v
					ids.add(v)
				}
				if !ok {
					t.Errorf("%s: bad value %q", where, v)
				}
			}
		}
	}
}

// linkKeys are the keys on which the loader merges link rows
// (docs/data-model.md): two rows with one key would collapse into one.
var linkKeys = map[string][]string{
	"record_subjects.csv":    {"record_id", "subject_id"},
	"accesses.csv":           {"officer_id", "record_id", "at"},
	"assignments.csv":        {"officer_id", "case_id", "from"},
	"holders.csv":            {"party_id", "account_id"},
	"residences.csv":         {"party_id", "address_id", "from"},
	"phone_use.csv":          {"party_id", "phone_id", "from"},
	"directorships.csv":      {"party_id", "company_id", "from"},
	"relations.csv":          {"party_a", "party_b", "type"},
	"declarations.csv":       {"officer_id", "declared_id", "type"},
	"shifts.csv":             {"officer_id", "date"},
	"badge_swipes.csv":       {"officer_id", "at"},
	"misconduct_history.csv": {"officer_id", "case_id"},
	"complaint_officers.csv": {"complaint_id", "officer_id"},
}

// TestLinkKeysUnique: no two link rows share the key the loader merges on,
// so the loaded graph holds every generated row.
func TestLinkKeysUnique(t *testing.T) {
	for _, sz := range []struct {
		n    int
		seed uint64
	}{{100, 5}, {DemoOfficers, DemoSeed}} {
		dir := generate(t, sz.n, sz.seed)
		for name, key := range linkKeys {
			seen := set{}
			for i, r := range readCSV(t, dir, name) {
				k := ""
				for _, c := range key {
					k += r[c] + "\x00"
				}
				if seen[k] {
					t.Errorf("%s:%d: key %v repeated", name, i+2, strings.Split(k, "\x00"))
				}
				seen.add(k)
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

// TestHubsAndPeerGroups checks the shape the rules depend on: the shared
// identifiers are hubs (more than 20 neighbours), peer groups hold 20 to 200
// officers, and about ten persons and 5% persons of interest an officer.
func TestHubsAndPeerGroups(t *testing.T) {
	dir := generate(t, DemoOfficers, DemoSeed)
	w := load(t, dir)
	hubs := 0
	for _, r := range readCSV(t, dir, "addresses.csv") {
		if strings.Contains(r["line"], "tower block") || strings.Contains(r["line"], "Police Station") {
			if len(w.adj[r["address_id"]]) <= 20 {
				t.Errorf("address %s %q has %d neighbours: not a hub", r["address_id"], r["line"], len(w.adj[r["address_id"]]))
			}
			hubs++
		}
	}
	if hubs < 3 {
		t.Errorf("%d hub addresses", hubs)
	}
	groups := map[string]int{}
	for _, o := range w.officers {
		groups[w.group[o]]++
	}
	for g, n := range groups {
		if n < 20 || n > 200 {
			t.Errorf("peer group %s has %d officers", g, n)
		}
	}
	persons := readCSV(t, dir, "persons.csv")
	if r := float64(len(persons)) / float64(len(w.officers)); r < 8 || r > 12 {
		t.Errorf("%.1f persons an officer", r)
	}
	if r := float64(len(w.poi)) / float64(len(persons)); r < 0.03 || r > 0.08 {
		t.Errorf("%.3f persons of interest", r)
	}
	if len(w.hp) == 0 {
		t.Error("no high-profile person")
	}
}

// TestScenarioShapes checks that each planted variant is what its id says:
// the length of the path to the person of interest, the day offset of the
// payment, the count of unassigned accesses, the span of mismatch days.
func TestScenarioShapes(t *testing.T) {
	dir := generate(t, DemoOfficers, DemoSeed)
	w := load(t, dir)
	ru := defaults()
	byScen := map[string][]string{}
	for _, f := range []string{"truth.csv", probity.TrapsFile} {
		for _, r := range readCSV(t, dir, f) {
			byScen[base(r["scenario_id"])] = append(byScen[base(r["scenario_id"])], r["officer_id"])
		}
	}
	one := func(s string) string {
		t.Helper()
		if len(byScen[s]) == 0 {
			t.Fatalf("scenario %s not planted", s)
		}
		return byScen[s][0]
	}
	links := map[string]int{"UA-ADDR": 2, "UA-PHONE": 2, "UA-FAMREL": 3, "UA-ASSOC": 2, "UA-DIR": 2,
		"UA-DIRFAM": 3, "UA-PAY": 3, "UA-JOINT": 2, "UA-4": 4, "UA-4B": 4, "UA-T-5": 5}
	for s, want := range links {
		o := one(s)
		got := -1
		for n, d := range w.dist(ru, o, 6) {
			if w.poi[n] && !w.declared[o][n] && (got < 0 || d < got) {
				got = d
			}
		}
		if got != want {
			t.Errorf("%s: nearest undeclared person of interest at %d links, want %d", s, got, want)
		}
	}
	offsets := map[string]int{"AFG-EDGE30": -30, "AFG-EDGE90": 90, "AFG-T-31": -31, "AFG-T-91": 91}
	for s, want := range offsets {
		if got := w.paymentOffsets(byScen[s][0]); !slices.Contains(got, want) {
			t.Errorf("%s: payment offsets %v, want %d", s, got, want)
		}
	}
	counts := map[string]int{"AVO-30": 30, "AVO-20": 20, "AVO-ANALYST": 60, "AVO-T-19": 19, "AVO-T-Z": 28}
	for s, want := range counts {
		if got := w.unassignedCount(one(s)); got != want {
			t.Errorf("%s: %d unassigned accesses, want %d", s, got, want)
		}
	}
	spans := map[string][2]int{"ATT-3": {3, 9}, "ATT-SPREAD": {3, 29}, "ATT-WEEK": {5, 4}, "ATT-T-2": {2, 20}, "ATT-T-31": {3, 30},
		"ATT-T-SWIPE": {2, 5}, "ATT-T-ONSITE": {2, 5}}
	for s, want := range spans {
		ds := w.mismatchDays(one(s))
		if len(ds) != want[0] || ds[len(ds)-1]-ds[0] != want[1] {
			t.Errorf("%s: mismatch days %v, want %d days spanning %d", s, ds, want[0], want[1])
		}
	}
}

// The demo's truth and traps name every pattern, in the form probity eval
// reads (graph.ReadTruth), the reasons of the traps too.
func TestDemoTruth(t *testing.T) {
	truth, err := graph.ReadTruth(filepath.Join("demo", probity.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	patterns := map[string]bool{}
	for _, p := range truth {
		patterns[p.Pattern] = true
	}
	if len(patterns) != 9 {
		t.Errorf("demo truth covers %d patterns, want all 9: %v", len(patterns), patterns)
	}
	traps, err := graph.ReadTruth(filepath.Join("demo", probity.TrapsFile))
	if err != nil || len(traps) == 0 {
		t.Fatalf("traps = %v, %v", traps, err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "truth.csv"), []byte("officer_id,pattern,scenario_id\nOFF1,,X\n"), 0o644)
	if _, err := graph.ReadTruth(filepath.Join(dir, "truth.csv")); err == nil || !strings.Contains(err.Error(), "truth.csv:2") {
		t.Errorf("bad row: err = %v", err)
	}
}

// TestBackgroundIsolated checks invariant 1 directly, at any depth: the
// hub-free component of an officer outside truth.csv and traps.csv holds no
// person of interest, no other officer and no high-profile person: the
// officer side meets the civilian side only at hubs.
func TestBackgroundIsolated(t *testing.T) {
	dir := generate(t, DemoOfficers, DemoSeed)
	w := load(t, dir)
	named := set{}
	for _, f := range []string{"truth.csv", probity.TrapsFile} {
		for _, r := range readCSV(t, dir, f) {
			named.add(r["officer_id"])
		}
	}
	officers := set{}
	for _, o := range w.officers {
		officers.add(o)
	}
	checked := 0
	for _, o := range w.officers {
		if named[o] {
			continue
		}
		comp := w.dist(defaults(), o, 1000)
		for n := range comp {
			if w.poi[n] || w.hp[n] || (officers[n] && n != o) {
				t.Errorf("%s reaches %s without passing a hub", o, n)
			}
		}
		if len(comp) > 60 {
			t.Errorf("%s: hub-free component of %d nodes", o, len(comp))
		}
		checked++
	}
	if checked < DemoOfficers/2 {
		t.Errorf("only %d background officers", checked)
	}
}
