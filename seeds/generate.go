package seeds

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"probity"
)

// Config sets the size and the seed of a generated force.
type Config struct {
	Officers int    // number of officers, at least MinOfficers
	Seed     uint64 // the same seed (and size) always gives byte-identical files
	Days     int    // length of the activity window from 2025-01-01; 0 means DefaultDays
}

// MinOfficers is the smallest force that holds one copy of every planted
// scenario next to a background.
const MinOfficers = 100

// Stats counts the rows written to each file.
type Stats struct {
	Files []string
	Rows  map[string]int
}

// Generate writes a synthetic force of cfg.Officers officers to dir in the
// import format, with truth.csv and traps.csv. Files are written as the
// force is generated: memory grows with officers and persons, not with
// accesses or payments.
func Generate(dir string, cfg Config) (Stats, error) {
	if cfg.Officers < MinOfficers {
		return Stats{}, fmt.Errorf("officers = %d: want at least %d", cfg.Officers, MinOfficers)
	}
	if cfg.Days == 0 {
		cfg.Days = DefaultDays
	}
	if cfg.Days < MinDays || cfg.Days > MaxDays {
		return Stats{}, fmt.Errorf("days = %d: want %d to %d", cfg.Days, MinDays, MaxDays)
	}
	s, err := newSink(dir)
	if err != nil {
		return Stats{}, err
	}
	g := newGen(cfg, s)
	g.run()
	err = s.close()
	st := Stats{Rows: map[string]int{}}
	for _, t := range s.tables {
		st.Files = append(st.Files, t.name)
		st.Rows[t.name] = t.rows
	}
	return st, err
}

// Random streams: every part of the force draws from its own PCG stream,
// keyed by (seed, kind, index), so one part never shifts another.
const (
	streamGlobal = iota + 1
	streamCivilians
	streamOfficerHome
	streamActivity
	streamScenario
	streamComplaints
	streamCases
	streamAttributes
)

func (g *gen) rng(kind, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.cfg.Seed, uint64(kind)<<40|uint64(i)))
}

type group struct {
	unit, role, rank string
	intel            bool
	members          []int
	cases            []int // indices into g.cases
}

type officer struct {
	id                     string
	idx, group, member     int
	station                int
	planted                bool // reserved for a scenario: never in a background two-officer complaint
	tower                  int  // tower block index, -1 for a house
	home                   string
	partner                string
	children, parents      []string
	acct, joint, partnerAc string
	parentsAc              string
	phone                  string
	shops                  [3]int // indices into g.shops: the only shops its household pays
	bgUnassigned           int    // background look-ups outside any case in the window
	shiftOff               int    // works on days d with (d+shiftOff)%7 < 4
	startDay               int    // joined the force
}

type civ struct {
	id       string
	poi, hp  bool
	adult    bool
	tower    int // -1: a house
	accounts []string
}

type ccase struct {
	id    string
	first int // earliest assignment day; 1<<30 when none
	recs  int // first record number
}

// plan is what the scenarios add to one officer's daily activity.
type plan struct {
	extra    []extraAccess   // planted accesses (unassigned unless the scenario assigned the case)
	override map[int]dayPlan // planted days: shift, swipe and accesses fixed by the scenario
	unassign int             // if >= 0, background look-ups are set to this number
	tower    bool            // the officer's household lives in a tower block
}

type extraAccess struct {
	day, minute int
	record      string
	system      string
	purpose     string
}

type dayKind int

const (
	dayMismatch     dayKind = iota // onsite shift, no swipe, remote accesses only
	daySwipedRemote                // onsite shift, a swipe, remote accesses only
	dayOnsiteMixed                 // onsite shift, no swipe, one remote and one onsite access
)

type dayPlan struct {
	kind    dayKind
	records []string
}

type gen struct {
	cfg  Config
	days int // activity window: days 0..days-1
	out  struct {
		officers, persons, companies, accounts, addresses, phones, cases, complaints, records,
		subjects, accesses, assignments, holders, payments, residences, phoneUse, directorships,
		relations, declarations, shifts, swipes, misconduct, complaintOfficers, truth, traps *table
	}
	n struct{ person, company, account, address, phone, record, complaint, payment, misconduct, caseN int }

	groups   []group
	officers []*officer
	plans    map[int]*plan
	copies   int

	payroll      string
	payrollCo    string
	shops        []string // shop account ids
	stations     []string // station addresses
	switchboards []string
	towers       []string
	towerCivs    [][]int // civilian indices per tower block
	civs         []civ
	civAccounts  []string
	safe         []int // civilians that background look-ups may be about
	hps          []int
	general      []string // general records (no case), each about one safe civilian
	cases        []ccase

	pickNormal, pickIntel []int // scenario officer queues
}

func newGen(cfg Config, s *sink) *gen {
	g := &gen{cfg: cfg, days: cfg.Days, plans: map[int]*plan{}}
	o := &g.out
	// officers.csv also holds an attribute the format does not name, as a
	// force's HR extract would: the disproportion report groups by it.
	o.officers = s.openSpec("officers.csv", "gender")
	o.persons = s.openSpec("persons.csv")
	o.companies = s.openSpec("companies.csv")
	o.accounts = s.openSpec("accounts.csv")
	o.addresses = s.openSpec("addresses.csv")
	o.phones = s.openSpec("phones.csv")
	o.cases = s.openSpec("cases.csv")
	o.complaints = s.openSpec("complaints.csv")
	o.records = s.openSpec("records.csv")
	o.subjects = s.openSpec("record_subjects.csv")
	o.accesses = s.openSpec("accesses.csv")
	o.assignments = s.openSpec("assignments.csv")
	o.holders = s.openSpec("holders.csv")
	o.payments = s.openSpec("payments.csv")
	o.residences = s.openSpec("residences.csv")
	o.phoneUse = s.openSpec("phone_use.csv")
	o.directorships = s.openSpec("directorships.csv")
	o.relations = s.openSpec("relations.csv")
	o.declarations = s.openSpec("declarations.csv")
	o.shifts = s.openSpec("shifts.csv")
	o.swipes = s.openSpec("badge_swipes.csv")
	o.misconduct = s.openSpec("misconduct_history.csv")
	o.complaintOfficers = s.openSpec("complaint_officers.csv")
	o.truth = s.open("truth.csv", []string{"officer_id", "pattern", "scenario_id"})
	o.traps = s.open(probity.TrapsFile, []string{"officer_id", "pattern", "scenario_id", "why"})
	return g
}

func (g *gen) run() {
	g.buildGroups()
	g.chooseScenarioOfficers()
	g.markTowers()
	g.fixedEntities()
	g.civilians()
	g.officerHouseholds()
	g.caseFiles()
	g.complaintsAndHistory()
	g.plantScenarios()
	for _, o := range g.officers {
		g.activity(o)
	}
	g.writeCases()
}

// ---- small writers, every id drawn from one counter per kind ----

func (g *gen) person(r *rand.Rand, name string, dobDay int, poi bool, reason string, hp bool) string {
	g.n.person++
	id := ident("PER", g.n.person, 7)
	if name == "" {
		name = pick(r, firstNames) + " " + pick(r, lastNames)
	}
	g.out.persons.row(id, name, date(dobDay), strconv.FormatBool(poi), reason, strconv.FormatBool(hp))
	return id
}

// adultDOB is a birth day for someone aged 18 to 80 at Day0.
func adultDOB(r *rand.Rand, minAge, maxAge int) int {
	return -(minAge*365 + r.IntN((maxAge-minAge)*365))
}

func (g *gen) company(r *rand.Rand, name string, registered int) string {
	g.n.company++
	id := ident("COM", g.n.company, 6)
	if name == "" {
		name = pick(r, lastNames) + " " + pick(r, companyWords) + " Ltd"
	}
	g.out.companies.row(id, name, date(registered))
	return id
}

func (g *gen) account(r *rand.Rand) string {
	g.n.account++
	id := ident("ACC", g.n.account, 7)
	g.out.accounts.row(id, pick(r, banks))
	return id
}

func (g *gen) address(line, postcode string) string {
	g.n.address++
	id := ident("ADR", g.n.address, 7)
	g.out.addresses.row(id, line, postcode)
	return id
}

func (g *gen) houseAddress(r *rand.Rand) string {
	line := strconv.Itoa(1+r.IntN(180)) + " " + pick(r, streets) + ", " + pick(r, towns)
	return g.address(line, postcode(r))
}

func postcode(r *rand.Rand) string {
	return "LS" + strconv.Itoa(1+r.IntN(29)) + " " + strconv.Itoa(r.IntN(10)) + string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26)))
}

func (g *gen) phone() string {
	g.n.phone++
	id := ident("PH", g.n.phone, 7)
	g.out.phones.row(id)
	return id
}

func (g *gen) record(system, kind, caseID string) string {
	g.n.record++
	id := ident("REC", g.n.record, 8)
	g.out.records.row(id, system, kind, caseID)
	return id
}

func (g *gen) about(rec, subject string) { g.out.subjects.row(rec, subject) }

func (g *gen) hold(party, acct string) { g.out.holders.row(party, acct) }

func (g *gen) live(party, addr string, from int) { g.out.residences.row(party, addr, date(from), "") }

func (g *gen) usePhone(party, ph string, from int) { g.out.phoneUse.row(party, ph, date(from), "") }

func (g *gen) direct(party, co, role string, from int) {
	g.out.directorships.row(party, co, role, date(from), "")
}

func (g *gen) relate(a, b, typ, source string, since int) {
	g.out.relations.row(a, b, typ, source, date(since))
}

func (g *gen) declare(o, id, typ string, on int) { g.out.declarations.row(o, id, typ, date(on), "") }

func (g *gen) pay(from, to string, amount float64, day, minute int, ref string) {
	g.n.payment++
	g.out.payments.row(ident("PAY", g.n.payment, 9), from, to, money(amount), "GBP", stamp(day, minute), ref)
}

func (g *gen) assign(o, c string, from int, to int, open bool) {
	t := ""
	if !open {
		t = date(to)
	}
	g.out.assignments.row(o, c, date(from), t)
}

func (g *gen) newCase(typ, title string, opened int, status string) string {
	g.n.caseN++
	id := ident("CASE", g.n.caseN, 7)
	g.out.cases.row(id, typ, title, date(opened), status)
	return id
}

// The committed demo set (seeds/demo, `make demo`).
const (
	DemoOfficers        = 200
	DemoSeed     uint64 = 20251125
	DemoDays            = 150
)
