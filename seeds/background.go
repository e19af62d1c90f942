package seeds

import (
	"math/rand/v2"
	"slices"
	"strconv"
)

// The background force. Every rule of the pattern library is false for it by
// construction; docs/generator.md lists the invariants and seeds_test.go
// checks them with a reference evaluation of the rules.

type function struct{ unit, role, rank string }

var functions = []function{
	{"Response", "constable", "Police Constable"},
	{"Neighbourhood Policing", "constable", "Police Constable"},
	{"CID", "detective constable", "Detective Constable"},
	{"Response", "sergeant", "Sergeant"},
	{"Roads Policing", "constable", "Police Constable"},
	{"Public Protection", "detective constable", "Detective Constable"},
	{"Custody", "detention officer", "Police Staff"},
	{"Firearms", "constable", "Police Constable"},
	{"Economic Crime", "financial investigator", "Police Staff"},
	{"Neighbourhood Policing", "PCSO", "PCSO"},
}

var areas = []string{"North", "South", "East", "West", "Central", "City", "Valley", "Coast"}

func areaName(k int) string {
	if k < len(areas) {
		return areas[k]
	}
	return "Area " + strconv.Itoa(k+1)
}

// Sizes of the force.
func intelGroups(n int) int { return max(1, n/1000) }
func intelSize(n int) int   { return 25 + min(15, n/1000) }
func towerCount(n int) int  { return max(2, n/100) }
func shopCount(n int) int   { return 6 + n/1000 }
func stationCount(n int) int {
	return max(1, n/250)
}

// Copies is the number of copies of the scenario set planted in a force of
// n officers: one per 2,000 officers, at least one.
func Copies(n int) int { return max(1, n/2000) }

// slotsPerCopy is the number of officers one copy of the normal-group
// scenarios takes (see scenarios.go).
const slotsPerCopy = 73

// towerSlotsPerCopy of them live in a tower block.
const towerSlotsPerCopy = 2

func (g *gen) buildGroups() {
	n := g.cfg.Officers
	gi, is := intelGroups(n), intelSize(n)
	for k := 0; k < gi; k++ {
		g.groups = append(g.groups, group{unit: "Intelligence Bureau " + areaName(k), role: "intelligence analyst",
			rank: "Police Staff", intel: true})
	}
	rest := n - gi*is
	gn := max(1, rest/60)
	for k := 0; k < gn; k++ {
		f := functions[k%len(functions)]
		g.groups = append(g.groups, group{unit: f.unit + " " + areaName(k/len(functions)), role: f.role, rank: f.rank})
	}
	slots := make([]int, 0, n)
	for k := 0; k < gi; k++ {
		for j := 0; j < is; j++ {
			slots = append(slots, k)
		}
	}
	for j := 0; j < rest; j++ {
		slots = append(slots, gi+j%gn)
	}
	r := g.rng(streamGlobal, 0)
	r.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	stations := stationCount(n)
	for i := 0; i < n; i++ {
		gr := &g.groups[slots[i]]
		o := &officer{id: ident("OFF", i+1, 6), idx: i, group: slots[i], member: len(gr.members),
			station: slots[i] % stations, tower: -1}
		gr.members = append(gr.members, i)
		o.shiftOff = r.IntN(7)
		o.startDay = -(365 + r.IntN(25*365))
		s := shopCount(n)
		o.shops = [3]int{i % s, (i + 1) % s, (i + 2) % s}
		if gr.intel {
			o.bgUnassigned = 20 + (o.member*7+slots[i])%9
		} else {
			o.bgUnassigned = (o.member*5 + slots[i]) % 4
		}
		g.officers = append(g.officers, o)
	}
}

// chooseScenarioOfficers reserves the officers of the planted scenarios:
// they always have a partner and live in a house (or, for the tower slots,
// in a tower block), and the background never pairs them in a complaint.
func (g *gen) chooseScenarioOfficers() {
	g.copies = Copies(g.cfg.Officers)
	r := g.rng(streamGlobal, 1)
	var normal, intel []int
	for _, o := range g.officers {
		if g.groups[o.group].intel {
			intel = append(intel, o.idx)
		} else {
			normal = append(normal, o.idx)
		}
	}
	r.Shuffle(len(normal), func(i, j int) { normal[i], normal[j] = normal[j], normal[i] })
	r.Shuffle(len(intel), func(i, j int) { intel[i], intel[j] = intel[j], intel[i] })
	need := g.copies * slotsPerCopy
	if need > len(normal) {
		panic("seeds: too few officers for the scenarios")
	}
	g.pickNormal = normal[:need]
	for _, i := range g.pickNormal {
		g.officers[i].planted = true
	}
	g.pickIntel = intel
}

func (g *gen) fixedEntities() {
	r := g.rng(streamGlobal, 2)
	g.payrollCo = g.company(r, "West Yorkshire Police Payroll", -20*365)
	g.payroll = g.account(r)
	g.hold(g.payrollCo, g.payroll)
	for k := 0; k < shopCount(g.cfg.Officers); k++ {
		co := g.company(r, pick(r, []string{"Corner", "Market", "Express", "Village", "Central"})+" "+
			pick(r, []string{"Stores", "Supermarket", "Fuel", "Pharmacy", "Cafe"})+" "+strconv.Itoa(k+1), -(1000 + r.IntN(5000)))
		a := g.account(r)
		g.hold(co, a)
		g.shops = append(g.shops, a)
	}
	for k := 0; k < stationCount(g.cfg.Officers); k++ {
		g.stations = append(g.stations, g.address(areaName(k)+" Police Station, "+towns[k%len(towns)], postcode(r)))
		g.switchboards = append(g.switchboards, g.phone())
	}
}

// civilians writes the civilian population: households in tower blocks
// (each block filled to at least 30 residents) and houses, about six
// civilians an officer.
func (g *gen) civilians() {
	r := g.rng(streamCivilians, 0)
	n := g.cfg.Officers
	target := 6 * n
	hpWant := 3 + n/100
	h := 0
	for b := 0; b < towerCount(n); b++ {
		addr := g.address(strconv.Itoa(1+r.IntN(40))+" "+pick(r, lastNames)+" House (tower block), "+pick(r, towns), postcode(r))
		g.towers = append(g.towers, addr)
		g.towerCivs = append(g.towerCivs, nil)
		for len(g.towerCivs[b]) < 30 {
			g.household(r, h, addr, b, hpWant)
			h++
		}
	}
	for len(g.civs) < target {
		g.household(r, h, g.houseAddress(r), -1, hpWant)
		h++
	}
}

func (g *gen) household(r *rand.Rand, h int, addr string, tower, hpWant int) {
	size := 1
	switch x := r.IntN(100); {
	case x < 25:
		size = 1
	case x < 60:
		size = 2
	case x < 80:
		size = 3
	case x < 95:
		size = 4
	default:
		size = 5
	}
	adults := min(size, 2)
	var members []int
	for k := 0; k < size; k++ {
		c := civ{tower: tower, adult: k < adults}
		dob := adultDOB(r, 18, 80)
		if !c.adult {
			dob = -r.IntN(17 * 365)
		}
		reason := ""
		if c.adult && r.IntN(100) < 11 {
			c.poi = true
			reason = pick(r, poiReasons)
		}
		if c.adult && k == 0 && !c.poi && h%60 == 7 && len(g.hps) < hpWant {
			c.hp = true
		}
		c.id = g.person(r, "", dob, c.poi, reason, c.hp)
		g.live(c.id, addr, -r.IntN(3000)-30)
		idx := len(g.civs)
		g.civs = append(g.civs, c)
		members = append(members, idx)
		if tower >= 0 {
			g.towerCivs[tower] = append(g.towerCivs[tower], idx)
		}
		switch {
		case c.hp:
			g.hps = append(g.hps, idx)
		case c.adult && !c.poi:
			g.safe = append(g.safe, idx)
		}
	}
	// relations inside the household
	if adults == 2 {
		g.relate(g.civs[members[0]].id, g.civs[members[1]].id, "partner", "electoral roll", -r.IntN(4000)-100)
	}
	for _, k := range members[adults:] {
		g.relate(g.civs[members[0]].id, g.civs[k].id, "family", "birth register", -r.IntN(4000)-100)
	}
	for _, k := range members[:adults] {
		c := &g.civs[k]
		if r.IntN(10) < 9 {
			g.usePhone(c.id, g.phone(), -r.IntN(2000)-10)
		}
		if r.IntN(10) < 8 {
			a := g.account(r)
			g.hold(c.id, a)
			c.accounts = append(c.accounts, a)
			// a shop, round robin so that every shop has many distinct payers
			ai := len(g.civAccounts)
			g.pay(a, g.shops[ai%len(g.shops)], 5+float64(r.IntN(8000))/100, r.IntN(g.days), 480+r.IntN(720), "card payment")
			for p := r.IntN(4); p > 0 && ai > 0; p-- {
				to := g.civAccounts[r.IntN(ai)]
				g.pay(a, to, 10+float64(r.IntN(30000))/100, r.IntN(g.days), 480+r.IntN(720), "transfer")
			}
			g.civAccounts = append(g.civAccounts, a)
		}
		if c.poi && k > 0 {
			g.relate(c.id, g.civs[r.IntN(k)].id, "associate", "intelligence report", -r.IntN(1500))
		}
		if r.IntN(100) < 4 {
			co := g.company(r, "", -r.IntN(5000)-30)
			g.direct(c.id, co, "director", -r.IntN(3000)-30)
			ca := g.account(r)
			g.hold(co, ca)
			for p := r.IntN(4); p > 0 && len(g.civAccounts) > 0; p-- {
				g.pay(g.civAccounts[r.IntN(len(g.civAccounts))], ca, 20+float64(r.IntN(90000))/100, r.IntN(g.days), 480+r.IntN(720), "invoice")
			}
		}
	}
	if adults == 2 && r.IntN(10) < 3 {
		a := g.account(r)
		g.hold(g.civs[members[0]].id, a)
		g.hold(g.civs[members[1]].id, a)
		g.pay(a, g.shops[r.IntN(len(g.shops))], 20+float64(r.IntN(15000))/100, r.IntN(g.days), 600, "direct debit")
	}
}

var salary = map[string]float64{"Police Constable": 2650, "Detective Constable": 2800, "Sergeant": 3300,
	"Police Staff": 2300, "PCSO": 2100}

// officerHouseholds writes each officer with a household that touches the
// civilian world only through hubs: home (a house, or a tower block),
// station address, switchboard, partner, children, parents in their own house,
// accounts paid only by the payroll and paying only shops.
func (g *gen) officerHouseholds() {
	var pois []int
	for i, c := range g.civs {
		if c.poi {
			pois = append(pois, i)
		}
	}
	for _, o := range g.officers {
		r := g.rng(streamOfficerHome, o.idx)
		gr := g.groups[o.group]
		name := pick(r, firstNames) + " " + pick(r, lastNames)
		status := "active"
		if r.IntN(50) == 0 {
			status = "leave"
		}
		gender := "male"
		if g.rng(streamAttributes, o.idx).IntN(100) < 35 {
			gender = "female"
		}
		g.out.officers.row(o.id, name, gr.rank, gr.unit, gr.role, date(o.startDay), status, gender)
		if p := g.plans[o.idx]; (p != nil && p.tower) || (!o.planted && r.IntN(100) < 4) {
			o.tower = r.IntN(len(g.towers))
			o.home = g.towers[o.tower]
		} else {
			o.home = g.houseAddress(r)
		}
		moved := o.startDay + r.IntN(-o.startDay)
		g.live(o.id, o.home, moved)
		g.live(o.id, g.stations[o.station], o.startDay)
		o.phone = g.phone()
		g.usePhone(o.id, o.phone, moved)
		g.usePhone(o.id, g.switchboards[o.station], o.startDay)
		o.acct = g.account(r)
		g.hold(o.id, o.acct)
		if o.planted || r.IntN(10) < 7 {
			o.partner = g.person(r, "", adultDOB(r, 22, 60), false, "", false)
			g.relate(o.id, o.partner, "partner", "HR record", moved)
			g.live(o.partner, o.home, moved)
			g.usePhone(o.partner, g.phone(), moved)
			o.partnerAc = g.account(r)
			g.hold(o.partner, o.partnerAc)
			o.joint = g.account(r)
			g.hold(o.id, o.joint)
			g.hold(o.partner, o.joint)
		}
		for k := r.IntN(3); k > 0; k-- {
			c := g.person(r, "", -r.IntN(17*365), false, "", false)
			o.children = append(o.children, c)
			g.relate(o.id, c, "family", "HR record", moved)
			if o.partner != "" {
				g.relate(o.partner, c, "family", "HR record", moved)
			}
			g.live(c, o.home, moved)
		}
		paddr := g.houseAddress(r)
		for k := 0; k < 2; k++ {
			p := g.person(r, "", adultDOB(r, 50, 85), false, "", false)
			o.parents = append(o.parents, p)
			g.relate(o.id, p, "family", "HR record", o.startDay)
			g.live(p, paddr, -r.IntN(8000)-1000)
		}
		g.relate(o.parents[0], o.parents[1], "partner", "HR record", -9000)
		landline := g.phone()
		o.parentsAc = g.account(r)
		for _, p := range o.parents {
			g.usePhone(p, landline, -5000)
			g.hold(p, o.parentsAc)
		}
		if !o.planted {
			switch x := r.IntN(100); {
			case x < 3: // a declared business interest
				co := g.company(r, "", o.startDay+r.IntN(-o.startDay))
				from := o.startDay + r.IntN(-o.startDay)
				g.direct(o.id, co, "director", from)
				g.declare(o.id, co, "business_interest", from+r.IntN(30))
			case x < 6: // a parent's company, no money from anyone
				co := g.company(r, "", -r.IntN(8000)-400)
				g.direct(o.parents[0], co, "director", -r.IntN(6000)-300)
				g.hold(co, g.account(r))
			case x < 8 && len(pois) > 0: // a declared acquaintance, no link in the data
				g.declare(o.id, g.civs[pick(r, pois)].id, "association", o.startDay+r.IntN(-o.startDay))
			}
		}
		// money: payroll in; shops out
		pay := salary[gr.rank]
		for m := 0; monthDay(m, 25) < g.days; m++ {
			g.pay(g.payroll, o.acct, pay, monthDay(m, 25), 540, "salary")
		}
		for j := 0; j < 3; j++ {
			g.pay(o.acct, g.shops[o.shops[j]], 5+float64(r.IntN(12000))/100, r.IntN(g.days), 480+r.IntN(720), "card payment")
		}
		if o.partner != "" {
			g.pay(o.partnerAc, g.shops[o.shops[0]], 5+float64(r.IntN(9000))/100, r.IntN(g.days), 480+r.IntN(720), "card payment")
			g.pay(o.partnerAc, g.shops[o.shops[1]], 5+float64(r.IntN(9000))/100, r.IntN(g.days), 480+r.IntN(720), "card payment")
			g.pay(o.joint, g.shops[o.shops[2]], 40+float64(r.IntN(20000))/100, r.IntN(g.days), 600, "direct debit")
		}
		g.pay(o.parentsAc, g.shops[o.shops[0]], 5+float64(r.IntN(6000))/100, r.IntN(g.days), 600, "card payment")
	}
}

// monthDay is the day index of day dom of month m (0 = January 2025).
func monthDay(m, dom int) int {
	t := Day0.AddDate(0, m, dom-1)
	return int(t.Sub(Day0).Hours() / 24)
}

var recordKinds = []string{"crime report", "witness statement", "intelligence log", "custody record",
	"vehicle check", "person check", "property log"}
var systems = []string{"Niche RMS", "PNC", "Intel DB", "Command and Control"}

const recordsPerCase = 8

// caseFiles allocates the background cases (two per officer, in the pool of
// their peer group) with their records, and the general records (no case)
// that background look-ups touch: each is about one safe civilian.
func (g *gen) caseFiles() {
	r := g.rng(streamCases, 0)
	for gi := range g.groups {
		gr := &g.groups[gi]
		for k := 0; k < 2*len(gr.members); k++ {
			g.n.caseN++
			c := ccase{id: ident("CASE", g.n.caseN, 7), first: 1 << 30, recs: g.n.record + 1}
			for j := 0; j < recordsPerCase; j++ {
				rec := g.record(pick(r, systems), pick(r, recordKinds), c.id)
				switch x := r.IntN(20); {
				case x == 0:
					g.about(rec, g.towers[r.IntN(len(g.towers))])
				default:
					g.about(rec, g.civs[r.IntN(len(g.civs))].id)
				}
			}
			gr.cases = append(gr.cases, len(g.cases))
			g.cases = append(g.cases, c)
		}
	}
	for k := 0; k < max(100, g.cfg.Officers); k++ {
		rec := g.record("PNC", "person check", "")
		g.about(rec, g.civs[g.safe[r.IntN(len(g.safe))]].id)
		g.general = append(g.general, rec)
	}
}

func (g *gen) caseRecord(c, k int) string { return ident("REC", g.cases[c].recs+k, 8) }

// Daily schedule: pure functions of (seed, officer, day) so that scenarios
// can ask about any day.
func (g *gen) works(o *officer, d int) bool { return (d+o.shiftOff)%7 < 4 }

func (g *gen) dayHash(o *officer, d int) uint64 {
	return mix(g.cfg.Seed ^ uint64(o.idx)<<20 ^ uint64(d+1000))
}

func (g *gen) remoteDay(o *officer, d int) bool {
	pct := uint64(10)
	if g.groups[o.group].intel {
		pct = 30
	}
	return g.dayHash(o, d)%100 < pct
}

// forgot: an onsite shift without a badge swipe (about 3%); such a day's
// accesses are all onsite.
func (g *gen) forgot(o *officer, d int) bool { return (g.dayHash(o, d)>>8)%100 < 3 }

// channel is the channel of a background or planted access on day d:
// remote only on a remote shift, so that no unplanned mismatch day appears.
func (g *gen) channel(o *officer, d int) string {
	if g.works(o, d) && g.remoteDay(o, d) {
		return "remote"
	}
	return "onsite"
}

func (g *gen) terminal(o *officer, ch string, r *rand.Rand) string {
	if ch == "remote" {
		return "VPN-" + o.id
	}
	return "WS-" + strconv.Itoa(o.station+1) + "-" + strconv.Itoa(1+r.IntN(40))
}

type asg struct {
	c, from, to int
	open        bool
}

// activity writes one officer's assignments, shifts, badge swipes and
// accesses for the window, day by day, with the planted additions.
func (g *gen) activity(o *officer) {
	r := g.rng(streamActivity, o.idx)
	p := g.plans[o.idx]
	gr := g.groups[o.group]
	var as []asg
	for d := -r.IntN(60); d < g.days; {
		l := 30 + r.IntN(90)
		a := asg{c: pick(r, gr.cases), from: d, to: d + l}
		as = append(as, a)
		if r.IntN(10) < 3 {
			// a parallel case (never the same one: (officer, case, from) is a key)
			if c := pick(r, gr.cases); c != a.c {
				as = append(as, asg{c: c, from: d + r.IntN(l/2), to: d + l/2 + 20 + r.IntN(40)})
			}
		}
		d += l + 1 + r.IntN(10)
	}
	for i := range as {
		a := &as[i]
		if a.to >= g.days && r.IntN(2) == 0 {
			a.open = true
		}
		g.assign(o.id, g.cases[a.c].id, a.from, a.to, a.open)
		g.cases[a.c].first = min(g.cases[a.c].first, a.from)
	}
	// background look-ups outside any assignment, on random working days
	nu := o.bgUnassigned
	if p != nil && p.unassign >= 0 {
		nu = p.unassign
	}
	var workdays []int
	for d := 0; d < g.days; d++ {
		if g.works(o, d) && (p == nil || p.override[d].records == nil) {
			workdays = append(workdays, d)
		}
	}
	lookups := make([]int, nu)
	for k := range lookups {
		lookups[k] = pick(r, workdays)
	}
	slices.Sort(lookups)
	var extra []extraAccess
	if p != nil {
		extra = p.extra
		slices.SortStableFunc(extra, func(a, b extraAccess) int { return a.day - b.day })
	}
	var active, used []int
	// minute returns a minute of day d not used yet by this officer, so that
	// (officer, record, at) stays a key.
	minute := func(m int) int {
		for slices.Contains(used, m) {
			m++
		}
		used = append(used, m)
		return m
	}
	for d := 0; d < g.days; d++ {
		used = used[:0]
		if p != nil {
			if dp, ok := p.override[d]; ok {
				g.plantedDay(o, d, dp, r)
				for len(extra) > 0 && extra[0].day == d {
					extra = extra[1:]
				}
				continue
			}
		}
		if g.works(o, d) {
			remote := g.remoteDay(o, d)
			loc := "onsite"
			if remote {
				loc = "remote"
			}
			g.out.shifts.row(o.id, date(d), stamp(d, 480), stamp(d, 960), loc)
			if !remote && !g.forgot(o, d) {
				g.out.swipes.row(o.id, stamp(d, 470+r.IntN(10)), "Station "+strconv.Itoa(o.station+1))
			}
			ch := g.channel(o, d)
			active = active[:0]
			for _, a := range as {
				if a.from < d && (a.open || d < a.to) {
					active = append(active, a.c)
				}
			}
			if len(active) > 0 {
				k := 1
				if r.IntN(100) < 45 {
					k++
				}
				for ; k > 0; k-- {
					c := pick(r, active)
					sys := pick(r, systems)
					g.out.accesses.row(o.id, g.caseRecord(c, r.IntN(recordsPerCase)), stamp(d, minute(485+r.IntN(470))), sys, ch, g.terminal(o, ch, r), "case work")
				}
			}
			for len(lookups) > 0 && lookups[0] == d {
				lookups = lookups[1:]
				g.out.accesses.row(o.id, pick(r, g.general), stamp(d, minute(485+r.IntN(470))), "PNC", ch, g.terminal(o, ch, r), "general enquiry")
			}
		}
		for len(extra) > 0 && extra[0].day == d {
			e := extra[0]
			extra = extra[1:]
			ch := g.channel(o, d)
			g.out.accesses.row(o.id, e.record, stamp(d, minute(e.minute)), e.system, ch, g.terminal(o, ch, r), e.purpose)
		}
	}
}

// plantedDay writes a scenario's attendance day: an onsite shift with the
// accesses (and swipe) the scenario asks for.
func (g *gen) plantedDay(o *officer, d int, dp dayPlan, r *rand.Rand) {
	g.out.shifts.row(o.id, date(d), stamp(d, 480), stamp(d, 960), "onsite")
	if dp.kind == daySwipedRemote {
		g.out.swipes.row(o.id, stamp(d, 475), "Station "+strconv.Itoa(o.station+1))
	}
	for k, rec := range dp.records {
		ch := "remote"
		if dp.kind == dayOnsiteMixed && k == len(dp.records)-1 {
			ch = "onsite"
		}
		g.out.accesses.row(o.id, rec, stamp(d, 500+60*k), "Niche RMS", ch, g.terminal(o, ch, r), "case work")
	}
}

var caseTypes = []string{"burglary", "assault", "fraud", "drugs supply", "theft", "domestic abuse",
	"criminal damage", "robbery", "missing person", "public order"}

func (g *gen) writeCases() {
	r := g.rng(streamCases, 1)
	for _, c := range g.cases {
		opened := c.first - 3 - r.IntN(40)
		if c.first == 1<<30 {
			opened = -r.IntN(400)
		}
		status := "open"
		if r.IntN(3) == 0 {
			status = "closed"
		}
		t := pick(r, caseTypes)
		g.out.cases.row(c.id, t, t+" at "+pick(r, streets)+", "+pick(r, towns), date(opened), status)
	}
}

var complaintCats = []string{"incivility", "excessive force", "neglect of duty", "discriminatory behaviour",
	"improper disclosure of information", "oppressive conduct"}

func finding(r *rand.Rand) string {
	switch x := r.IntN(10); {
	case x < 1:
		return "sustained"
	case x < 5:
		return "not_sustained"
	case x < 7:
		return "unfounded"
	case x < 8:
		return "exonerated"
	default:
		return ""
	}
}

func (g *gen) complaint(r *rand.Rand, received int, cat string) string {
	g.n.complaint++
	id := ident("CMP", g.n.complaint, 6)
	status := "closed"
	if received > g.days-120 {
		status = "open"
	}
	g.out.complaints.row(id, date(received), cat, status)
	return id
}

// complaintsAndHistory writes the background complaints (one accused, or two
// accused officers who are never named together again, never planted
// officers) and misconduct history (never proven: proven outcomes are
// planted, see the similar-to-confirmed scenarios).
func (g *gen) complaintsAndHistory() {
	r := g.rng(streamComplaints, 0)
	used := map[[2]int]bool{}
	for k := 0; k < g.cfg.Officers/4; k++ {
		a := g.officers[r.IntN(len(g.officers))]
		id := g.complaint(r, -r.IntN(900)+g.days-1, pick(r, complaintCats))
		f := finding(r)
		g.out.complaintOfficers.row(id, a.id, "accused", f, penalty(r, f))
		named := map[int]bool{a.idx: true}
		if r.IntN(100) < 15 && !a.planted {
			mem := g.groups[a.group].members
			b := g.officers[pick(r, mem)]
			key := [2]int{min(a.idx, b.idx), max(a.idx, b.idx)}
			if b != a && !b.planted && !used[key] {
				used[key] = true
				named[b.idx] = true
				g.out.complaintOfficers.row(id, b.id, "accused", f, penalty(r, f))
			}
		}
		if r.IntN(10) < 3 {
			w := g.officers[r.IntN(len(g.officers))]
			if w != a && !named[w.idx] {
				g.out.complaintOfficers.row(id, w.id, "witness", "", "")
			}
		}
	}
	for _, o := range g.officers {
		if o.planted || r.IntN(100) >= 4 {
			continue
		}
		g.n.misconduct++
		out := "not_proven"
		if r.IntN(2) == 0 {
			out = "dismissed"
		}
		g.out.misconduct.row(ident("MIS", g.n.misconduct, 6), o.id, pick(r, complaintCats), out, date(-r.IntN(2000)-30))
	}
}

func penalty(r *rand.Rand, finding string) string {
	if finding != "sustained" {
		return ""
	}
	return pick(r, []string{"management advice", "written warning", "final written warning", "reflective practice"})
}
