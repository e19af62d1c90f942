package seeds

// An independent, deliberately simple reference evaluation of the rules of
// DESIGN.md ("Pattern library") over the CSV files of a generated set. It
// shares no code with the generator: it reads the files back.

import (
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"
)

type rows []map[string]string

func readCSV(t testing.TB, dir, name string) rows {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out rows
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
}

func dayOf(t testing.TB, s string) int {
	t.Helper()
	var tm time.Time
	var err error
	if len(s) == 10 {
		tm, err = time.Parse(time.DateOnly, s)
	} else {
		tm, err = time.Parse(time.RFC3339, s)
	}
	if err != nil {
		t.Fatalf("bad date %q: %v", s, err)
	}
	return int(tm.UTC().Truncate(24*time.Hour).Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func isoDay(d int) string {
	return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format(time.DateOnly)
}

type set map[string]bool

func (s set) add(k string) { s[k] = true }
func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type access struct {
	o, rec  string
	day     int
	channel string
}

type payment struct {
	from, to string
	day      int
}

type assignment struct {
	c        string
	from, to int
	open     bool
}

// world is a generated set read back.
type world struct {
	officers     []string
	group        map[string]string
	poi, hp      set
	adj          map[string]set // association links, undirected
	family       map[string]set
	assoc        map[string]set
	livesAt      map[string][]string
	residents    map[string][]string
	holds        map[string][]string // party -> accounts
	directs      map[string][]string // party -> companies
	declared     map[string]set
	recCase      map[string]string
	recSubjects  map[string][]string
	assignments  map[string][]assignment
	accesses     []access
	paymentsFrom map[string][]payment
	paysIn       map[string][]payment // by to account
	shift        map[[2]string]string // (officer, date) -> location
	swiped       set                  // officer|date
	complaints   map[string][]string  // complaint -> accused
	named        map[string]int       // complaint -> officers named
	proven       set
}

func load(t testing.TB, dir string) *world {
	w := &world{group: map[string]string{}, poi: set{}, hp: set{}, adj: map[string]set{}, family: map[string]set{},
		assoc: map[string]set{}, livesAt: map[string][]string{}, residents: map[string][]string{},
		holds: map[string][]string{}, directs: map[string][]string{}, declared: map[string]set{},
		recCase: map[string]string{}, recSubjects: map[string][]string{}, assignments: map[string][]assignment{},
		paymentsFrom: map[string][]payment{}, paysIn: map[string][]payment{}, shift: map[[2]string]string{},
		swiped: set{}, complaints: map[string][]string{}, named: map[string]int{}, proven: set{}}
	link := w.link
	add := func(m map[string]set, a, b string) {
		if m[a] == nil {
			m[a] = set{}
		}
		m[a].add(b)
	}
	for _, r := range readCSV(t, dir, "officers.csv") {
		w.officers = append(w.officers, r["officer_id"])
		w.group[r["officer_id"]] = r["unit"] + "|" + r["role"]
	}
	for _, r := range readCSV(t, dir, "persons.csv") {
		if r["poi"] == "true" {
			w.poi.add(r["person_id"])
		}
		if r["high_profile"] == "true" {
			w.hp.add(r["person_id"])
		}
	}
	for _, r := range readCSV(t, dir, "residences.csv") {
		link(r["party_id"], r["address_id"])
		w.livesAt[r["party_id"]] = append(w.livesAt[r["party_id"]], r["address_id"])
		w.residents[r["address_id"]] = append(w.residents[r["address_id"]], r["party_id"])
	}
	for _, r := range readCSV(t, dir, "phone_use.csv") {
		link(r["party_id"], r["phone_id"])
	}
	for _, r := range readCSV(t, dir, "relations.csv") {
		a, b := r["party_a"], r["party_b"]
		link(a, b)
		if r["type"] == "associate" {
			add(w.assoc, a, b)
			add(w.assoc, b, a)
		} else {
			add(w.family, a, b)
			add(w.family, b, a)
		}
	}
	for _, r := range readCSV(t, dir, "directorships.csv") {
		link(r["party_id"], r["company_id"])
		w.directs[r["party_id"]] = append(w.directs[r["party_id"]], r["company_id"])
	}
	for _, r := range readCSV(t, dir, "holders.csv") {
		link(r["party_id"], r["account_id"])
		w.holds[r["party_id"]] = append(w.holds[r["party_id"]], r["account_id"])
	}
	for _, r := range readCSV(t, dir, "payments.csv") {
		link(r["from_account"], r["to_account"])
		p := payment{r["from_account"], r["to_account"], dayOf(t, r["at"])}
		w.paymentsFrom[p.from] = append(w.paymentsFrom[p.from], p)
		w.paysIn[p.to] = append(w.paysIn[p.to], p)
	}
	for _, r := range readCSV(t, dir, "declarations.csv") {
		add(w.declared, r["officer_id"], r["declared_id"])
	}
	for _, r := range readCSV(t, dir, "records.csv") {
		w.recCase[r["record_id"]] = r["case_id"]
	}
	for _, r := range readCSV(t, dir, "record_subjects.csv") {
		w.recSubjects[r["record_id"]] = append(w.recSubjects[r["record_id"]], r["subject_id"])
	}
	for _, r := range readCSV(t, dir, "assignments.csv") {
		a := assignment{c: r["case_id"], from: dayOf(t, r["from"]), open: r["to"] == ""}
		if !a.open {
			a.to = dayOf(t, r["to"])
		}
		w.assignments[r["officer_id"]] = append(w.assignments[r["officer_id"]], a)
	}
	for _, r := range readCSV(t, dir, "accesses.csv") {
		w.accesses = append(w.accesses, access{r["officer_id"], r["record_id"], dayOf(t, r["at"]), r["channel"]})
	}
	for _, r := range readCSV(t, dir, "shifts.csv") {
		w.shift[[2]string{r["officer_id"], r["date"]}] = r["declared_location"]
	}
	for _, r := range readCSV(t, dir, "badge_swipes.csv") {
		w.swiped.add(r["officer_id"] + "|" + r["at"][:10])
	}
	for _, r := range readCSV(t, dir, "complaint_officers.csv") {
		w.named[r["complaint_id"]]++
		if r["role"] == "accused" {
			w.complaints[r["complaint_id"]] = append(w.complaints[r["complaint_id"]], r["officer_id"])
		}
	}
	for _, r := range readCSV(t, dir, "misconduct_history.csv") {
		if r["outcome"] == "proven" {
			w.proven.add(r["officer_id"])
		}
	}
	return w
}

// rules holds the parameters of the rules; defaults() is DESIGN.md, and the
// traps are checked by relaxing exactly one of them.
type rules struct {
	depth          int
	hubs           bool // hubs block paths and co-residence
	declarations   bool // declarations suppress
	before, after  int  // access-for-gain window
	assignedCounts bool // assigned accesses are case work (false: every access counts as unassigned)
	toExclusive    bool // an assignment ends the day before its to date
	minX           int
	minZ           float64
	attDays        int
	attSpan        int
	attSwipes      bool // a swipe clears the day
	attOnsite      bool // an onsite access clears the day
	colDays        int
	cacMin         int
	bigIsHub       bool
	famCompanyPaid bool   // a relative's company needs suspicious money
	only           set    // if set, rule 1 is evaluated for these officers only (it is the costly one)
	pattern        string // if set, only this pattern is evaluated
}

func defaults() rules {
	return rules{depth: 4, hubs: true, declarations: true, before: 30, after: 90, assignedCounts: true,
		minX: 20, minZ: 3.5, attDays: 3, attSpan: 30, attSwipes: true, attOnsite: true, colDays: 7, cacMin: 2,
		bigIsHub: true, famCompanyPaid: true}
}

func (w *world) link(a, b string) {
	if w.adj[a] == nil {
		w.adj[a] = set{}
	}
	if w.adj[b] == nil {
		w.adj[b] = set{}
	}
	w.adj[a].add(b)
	w.adj[b].add(a)
}

func (w *world) isHub(ru rules, n string) bool { return ru.hubs && len(w.adj[n]) > 20 }

// dist returns the association-link distance from a to every node within
// depth, never passing through a hub.
func (w *world) dist(ru rules, a string, depth int) map[string]int {
	d := map[string]int{a: 0}
	frontier := []string{a}
	for k := 1; k <= depth; k++ {
		var next []string
		for _, n := range frontier {
			if n != a && w.isHub(ru, n) {
				continue
			}
			for m := range w.adj[n] {
				if _, ok := d[m]; !ok {
					d[m] = k
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return d
}

func (w *world) unassigned(ru rules, a access) bool {
	if !ru.assignedCounts {
		return true
	}
	c := w.recCase[a.rec]
	if c == "" {
		return true
	}
	for _, as := range w.assignments[a.o] {
		to := as.to
		if ru.toExclusive {
			to--
		}
		if as.c == c && as.from <= a.day && (as.open || a.day <= to) {
			return false
		}
	}
	return true
}

func (w *world) coresidents(ru rules, o string) set {
	s := set{}
	for _, a := range w.livesAt[o] {
		if w.isHub(ru, a) {
			continue
		}
		for _, p := range w.residents[a] {
			if p != o {
				s.add(p)
			}
		}
	}
	return s
}

// evaluate returns, per pattern, the officers the rules flag.
func (w *world) evaluate(ru rules) map[string]set {
	out := map[string]set{}
	flag := func(p, o string) {
		if out[p] == nil {
			out[p] = set{}
		}
		out[p].add(o)
	}
	on := func(p string) bool { return ru.pattern == "" || ru.pattern == p }
	// 1 undisclosed-association
	for _, o := range w.officers {
		if !on(PatUndisclosed) || ru.only != nil && !ru.only[o] {
			continue
		}
		for n := range w.dist(ru, o, ru.depth) {
			if w.poi[n] && !(ru.declarations && w.declared[o][n]) {
				flag(PatUndisclosed, o)
			}
		}
	}
	var un []access
	for _, a := range w.accesses {
		needed := ru.pattern == "" || ru.pattern != PatUndisclosed && ru.pattern != PatAttendance && ru.pattern != PatCoAccused
		if needed && w.unassigned(ru, a) {
			un = append(un, a)
		}
	}
	accountsOf := func(parties ...string) set {
		s := set{}
		for _, p := range parties {
			for _, a := range w.holds[p] {
				s.add(a)
			}
		}
		return s
	}
	subjects := map[string]set{} // officer -> subjects of unassigned accesses
	count := map[string]int{}
	for _, a := range un {
		count[a.o]++
		if subjects[a.o] == nil {
			subjects[a.o] = set{}
		}
		for _, s := range w.recSubjects[a.rec] {
			subjects[a.o].add(s)
			// 2 access-for-gain
			if on(PatAccessGain) {
				payers := accountsOf(append(append([]string{s}, w.directs[s]...), w.family[s].sorted()...)...)
				recv := accountsOf(append([]string{a.o}, w.family[a.o].sorted()...)...)
				for acc := range payers {
					for _, p := range w.paymentsFrom[acc] {
						if recv[p.to] && p.day >= a.day-ru.before && p.day <= a.day+ru.after {
							flag(PatAccessGain, a.o)
						}
					}
				}
			}
			// 3 personal-interest-access
			if on(PatPersonal) && (w.family[a.o][s] || w.assoc[a.o][s] || w.coresidents(ru, a.o)[s] || w.hp[s]) {
				flag(PatPersonal, a.o)
			}
		}
	}
	// 4 access-volume-outlier
	if on(PatVolume) {
		byGroup := map[string][]float64{}
		for _, o := range w.officers {
			byGroup[w.group[o]] = append(byGroup[w.group[o]], float64(count[o]))
		}
		for _, o := range w.officers {
			xs := byGroup[w.group[o]]
			med := median(xs)
			dev := make([]float64, len(xs))
			for i, x := range xs {
				dev[i] = math.Abs(x - med)
			}
			mad := median(dev)
			if mad == 0 {
				mad = 1
			}
			x := float64(count[o])
			if z := (x - med) / (1.4826 * mad); z > ru.minZ && count[o] >= ru.minX {
				flag(PatVolume, o)
			}
		}
	}
	// 5 attendance-mismatch
	if on(PatAttendance) {
		type od struct {
			o   string
			day int
		}
		dayAcc := map[od][]string{}
		for _, a := range w.accesses {
			dayAcc[od{a.o, a.day}] = append(dayAcc[od{a.o, a.day}], a.channel)
		}
		mism := map[string][]int{}
		for k, chans := range dayAcc {
			ds := isoDay(k.day)
			if w.shift[[2]string{k.o, ds}] != "onsite" || (ru.attSwipes && w.swiped[k.o+"|"+ds]) {
				continue
			}
			remote := 0
			for _, c := range chans {
				if c == "remote" {
					remote++
				}
			}
			if remote == len(chans) || (!ru.attOnsite && remote > 0) {
				mism[k.o] = append(mism[k.o], k.day)
			}
		}
		for o, ds := range mism {
			slices.Sort(ds)
			for i := 0; i+ru.attDays-1 < len(ds); i++ {
				if ds[i+ru.attDays-1]-ds[i] <= ru.attSpan-1 {
					flag(PatAttendance, o)
				}
			}
		}
	}
	// 6 undeclared-business-interest
	if on(PatBusiness) {
		for _, o := range w.officers {
			for _, c := range w.directs[o] {
				if !(ru.declarations && w.declared[o][c]) {
					flag(PatBusiness, o)
				}
			}
			for f := range w.family[o] {
				for _, c := range w.directs[f] {
					if !ru.famCompanyPaid {
						flag(PatBusiness, o)
					}
					for acc := range accountsOf(c) {
						for _, p := range w.paysIn[acc] {
							for h := range w.holdersOf(p.from) {
								if w.poi[h] || subjects[o][h] {
									flag(PatBusiness, o)
								}
							}
						}
					}
				}
			}
		}
	}
	// 7 collusion-ring
	if on(PatCollusion) {
		type hit struct {
			o   string
			day int
		}
		byPOI := map[string][]hit{}
		for _, a := range un {
			for _, s := range w.recSubjects[a.rec] {
				if w.poi[s] {
					byPOI[s] = append(byPOI[s], hit{a.o, a.day})
				}
			}
		}
		for _, hs := range byPOI {
			for i, x := range hs {
				for _, y := range hs[i+1:] {
					if x.o == y.o || abs(x.day-y.day) > ru.colDays {
						continue
					}
					if d, ok := w.dist(ru, x.o, 2)[y.o]; ok && d <= 2 {
						flag(PatCollusion, x.o)
						flag(PatCollusion, y.o)
					}
				}
			}
		}
	}
	// 8 co-accused-crew
	if on(PatCoAccused) {
		pairs := map[[2]string]int{}
		for c, acc := range w.complaints {
			if ru.bigIsHub && w.named[c] > 20 {
				continue
			}
			for i, a := range acc {
				for _, b := range acc[i+1:] {
					pairs[[2]string{min(a, b), max(a, b)}]++
				}
			}
		}
		for p, n := range pairs {
			if n >= ru.cacMin {
				flag(PatCoAccused, p[0])
				flag(PatCoAccused, p[1])
			}
		}
	}
	return out
}

func (w *world) holdersOf(acc string) set {
	s := set{}
	for p := range w.adj[acc] {
		for _, a := range w.holds[p] {
			if a == acc {
				s.add(p)
			}
		}
	}
	return s
}

// profiles are the behaviour vectors of similar-to-confirmed: unassigned
// accesses, accused in complaints, payments made.
func (w *world) profiles() map[string][3]float64 {
	ru := defaults()
	out := map[string][3]float64{}
	for _, o := range w.officers {
		out[o] = [3]float64{}
	}
	for _, a := range w.accesses {
		if w.unassigned(ru, a) {
			v := out[a.o]
			v[0]++
			out[a.o] = v
		}
	}
	for c, acc := range w.complaints {
		if w.named[c] > 20 {
			continue
		}
		for _, o := range acc {
			v := out[o]
			v[1]++
			out[o] = v
		}
	}
	for _, o := range w.officers {
		v := out[o]
		for _, a := range w.holds[o] {
			v[2] += float64(len(w.paymentsFrom[a]))
		}
		out[o] = v
	}
	return out
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// paymentOffsets lists, for o's unassigned accesses, the day offsets of the
// payments from the subject's side to o's side, whatever the window.
func (w *world) paymentOffsets(o string) []int {
	ru := defaults()
	ru.before, ru.after = 1000, 1000
	var out []int
	for _, a := range w.accesses {
		if a.o != o || !w.unassigned(ru, a) {
			continue
		}
		recv := set{}
		for _, p := range append([]string{o}, w.family[o].sorted()...) {
			for _, acc := range w.holds[p] {
				recv.add(acc)
			}
		}
		for _, s := range w.recSubjects[a.rec] {
			for _, p := range append(append([]string{s}, w.directs[s]...), w.family[s].sorted()...) {
				for _, acc := range w.holds[p] {
					for _, pay := range w.paymentsFrom[acc] {
						if recv[pay.to] {
							out = append(out, pay.day-a.day)
						}
					}
				}
			}
		}
	}
	return out
}

func (w *world) unassignedCount(o string) int {
	n := 0
	for _, a := range w.accesses {
		if a.o == o && w.unassigned(defaults(), a) {
			n++
		}
	}
	return n
}

// mismatchDays are o's days with an onsite shift, no swipe and only remote
// accesses, in order.
func (w *world) mismatchDays(o string) []int {
	chans := map[int][]string{}
	for _, a := range w.accesses {
		if a.o == o {
			chans[a.day] = append(chans[a.day], a.channel)
		}
	}
	var out []int
	for d, cs := range chans {
		ds := isoDay(d)
		if w.shift[[2]string{o, ds}] != "onsite" || w.swiped[o+"|"+ds] || slices.Contains(cs, "onsite") {
			continue
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}
