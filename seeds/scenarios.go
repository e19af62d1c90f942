package seeds

import (
	"math/rand/v2"
	"strconv"
)

// Pattern names of the pattern library (DESIGN.md).
const (
	PatUndisclosed  = "undisclosed-association"
	PatAccessGain   = "access-for-gain"
	PatPersonal     = "personal-interest-access"
	PatVolume       = "access-volume-outlier"
	PatAttendance   = "attendance-mismatch"
	PatBusiness     = "undeclared-business-interest"
	PatCollusion    = "collusion-ring"
	PatCoAccused    = "co-accused-crew"
	PatSimilar      = "similar-to-confirmed"
	bigComplaintLen = 25
)

// scen is the context of one copy of the scenario set.
type scen struct {
	g     *gen
	r     *rand.Rand
	copy  int
	queue []int // planted officers of this copy, not in a tower block
	tower []int // planted officers of this copy living in a tower block
}

func (g *gen) planOf(i int) *plan {
	p := g.plans[i]
	if p == nil {
		p = &plan{unassign: -1, override: map[int]dayPlan{}}
		g.plans[i] = p
	}
	return p
}

// markTowers gives the first towerSlotsPerCopy officers of each copy a home
// in a tower block; called before the households are written.
func (g *gen) markTowers() {
	for c := 0; c < g.copies; c++ {
		for k := 0; k < towerSlotsPerCopy; k++ {
			g.planOf(g.pickNormal[c*slotsPerCopy+k]).tower = true
		}
	}
}

func (s *scen) take() *officer {
	if len(s.queue) == 0 {
		panic("seeds: scenario officers exhausted; raise slotsPerCopy")
	}
	o := s.g.officers[s.queue[0]]
	s.queue = s.queue[1:]
	return o
}

// takeWhere takes the first officer of the queue that ok accepts, or the
// next one if none does.
func (s *scen) takeWhere(ok func(*officer) bool) *officer {
	for k, i := range s.queue {
		if o := s.g.officers[i]; ok(o) {
			s.queue = append(s.queue[:k:k], s.queue[k+1:]...)
			return o
		}
	}
	return s.take()
}

func (s *scen) takeTower() *officer {
	o := s.g.officers[s.tower[0]]
	s.tower = s.tower[1:]
	return o
}

func (s *scen) id(base string) string { return base + "-" + strconv.Itoa(s.copy+1) }

func (s *scen) truth(o *officer, pattern, base string) {
	s.g.out.truth.row(o.id, pattern, s.id(base))
}

func (s *scen) trap(o *officer, pattern, base, why string) {
	s.g.out.traps.row(o.id, pattern, s.id(base), why)
}

func (s *scen) poi() string {
	return s.g.person(s.r, "", adultDOB(s.r, 19, 60), true, pick(s.r, poiReasons), false)
}

func (s *scen) civilian() string {
	return s.g.person(s.r, "", adultDOB(s.r, 19, 70), false, "", false)
}

func (s *scen) acct(party string) string {
	a := s.g.account(s.r)
	s.g.hold(party, a)
	return a
}

// recordAbout writes a record (in case c, or in none) about subject.
func (s *scen) recordAbout(subject, caseID string) string {
	kind := "person check"
	sys := "PNC"
	if caseID != "" {
		kind, sys = pick(s.r, recordKinds), "Niche RMS"
	}
	rec := s.g.record(sys, kind, caseID)
	s.g.about(rec, subject)
	return rec
}

// lookup plants an access by o to rec on day d (unassigned unless the
// scenario assigned o to the record's case on that day).
func (s *scen) lookup(o *officer, d int, rec string) {
	p := s.g.planOf(o.idx)
	p.extra = append(p.extra, extraAccess{day: d, minute: 540 + s.r.IntN(360), record: rec, system: "PNC", purpose: "enquiry"})
}

func (s *scen) lookupAt(o *officer, d, minute int, rec string) {
	p := s.g.planOf(o.idx)
	p.extra = append(p.extra, extraAccess{day: d, minute: minute, record: rec, system: "PNC", purpose: "enquiry"})
}

// lookups plants n unassigned look-ups of general records on distinct days
// and sets the officer's background look-ups to none, so its count is n.
func (s *scen) lookups(o *officer, n int) {
	p := s.g.planOf(o.idx)
	p.unassign = 0
	days := s.r.Perm(s.g.days)[:n]
	for _, d := range days {
		s.lookup(o, d, pick(s.r, s.g.general))
	}
}

func (s *scen) plantedCase(opened int) string {
	t := pick(s.r, caseTypes)
	return s.g.newCase(t, t+" at "+pick(s.r, streets)+", "+pick(s.r, towns), opened, "open")
}

func (s *scen) day() int { return 31 + s.r.IntN(s.g.days-123) }

func (g *gen) plantScenarios() {
	for c := 0; c < g.copies; c++ {
		slot := g.pickNormal[c*slotsPerCopy : (c+1)*slotsPerCopy]
		s := &scen{g: g, r: g.rng(streamScenario, c), copy: c,
			tower: append([]int(nil), slot[:towerSlotsPerCopy]...),
			queue: append([]int(nil), slot[towerSlotsPerCopy:]...)}
		s.undisclosed()
		s.accessForGain()
		s.personal()
		s.volume()
		s.attendance()
		s.business()
		s.collusion()
		s.coAccused()
		s.similar()
		if len(s.queue) != 0 || len(s.tower) != 0 {
			panic("seeds: slotsPerCopy does not match the scenarios")
		}
	}
}

func (s *scen) undisclosed() {
	g, r := s.g, s.r
	P := PatUndisclosed
	d := s.day()

	o, p := s.take(), s.poi()
	a := g.houseAddress(r)
	g.live(o.id, a, d-200)
	g.live(p, a, d-300)
	s.truth(o, P, "UA-ADDR")

	o, p = s.take(), s.poi()
	ph := g.phone()
	g.usePhone(o.id, ph, d-100)
	g.usePhone(p, ph, d-150)
	s.truth(o, P, "UA-PHONE")

	o, p = s.take(), s.poi()
	aunt := s.civilian()
	g.relate(o.parents[0], aunt, "family", "birth register", -20000)
	g.relate(aunt, p, "partner", "electoral roll", d-700)
	s.truth(o, P, "UA-FAMREL")

	o, p = s.take(), s.poi()
	g.relate(o.partner, p, "associate", "intelligence report", d-60)
	s.truth(o, P, "UA-ASSOC")

	o, p = s.take(), s.poi()
	co := g.company(r, "", d-900)
	g.direct(o.id, co, "director", d-800)
	g.declare(o.id, co, "business_interest", d-790)
	g.direct(p, co, "secretary", d-400)
	s.truth(o, P, "UA-DIR")

	o, p = s.take(), s.poi()
	co = g.company(r, "", d-900)
	g.direct(o.partner, co, "director", d-800)
	g.direct(p, co, "director", d-500)
	s.truth(o, P, "UA-DIRFAM")

	o, p = s.take(), s.poi()
	g.pay(s.acct(p), o.acct, 1500, d, 700, "loan")
	s.truth(o, P, "UA-PAY")

	o, p = s.take(), s.poi()
	j := g.account(r)
	g.hold(o.id, j)
	g.hold(p, j)
	s.truth(o, P, "UA-JOINT")

	o, p = s.take(), s.poi()
	g.pay(s.acct(p), o.partnerAc, 800, d+5, 660, "gift")
	s.truth(o, P, "UA-4")

	o, p = s.take(), s.poi()
	a = g.houseAddress(r)
	m := s.civilian()
	g.live(o.id, a, d-120)
	g.live(m, a, d-400)
	ph = g.phone()
	g.usePhone(m, ph, d-300)
	g.usePhone(p, ph, d-200)
	s.truth(o, P, "UA-4B")

	// traps
	o, p = s.take(), s.poi()
	a = g.houseAddress(r)
	g.live(o.id, a, d-200)
	g.live(p, a, d-300)
	g.declare(o.id, p, "association", d-190)
	s.trap(o, P, "UA-T-DECL", "shares an address with a person of interest but declared the association")

	o, p = s.take(), s.poi()
	ph = g.phone()
	g.usePhone(o.id, ph, d-400)
	g.usePhone(p, ph, d-400)
	g.declare(o.id, p, "association", d-10)
	s.trap(o, P, "UA-T-DECLLATE", "shared a phone undeclared for 390 days, declared since: in force at scan time")

	o, p = s.takeTower(), s.poi()
	g.live(p, g.towers[o.tower], d-500)
	s.trap(o, P, "UA-T-TOWER", "lives in the same tower block as a person of interest (a hub)")

	o, p = s.take(), s.poi()
	g.usePhone(p, g.switchboards[o.station], d-100)
	s.trap(o, P, "UA-T-SWITCH", "a person of interest uses the station switchboard the officer uses (a hub)")

	o, p = s.take(), s.poi()
	pa := s.acct(p)
	for m := 0; m < 3; m++ {
		g.pay(g.payroll, pa, 1200, monthDay(m, 25), 540, "salary")
	}
	s.trap(o, P, "UA-T-PAYROLL", "a person of interest is paid by the payroll account that pays the officer (a hub)")

	o, p = s.take(), s.poi()
	g.pay(s.acct(p), g.shops[o.shops[0]], 42.5, d, 800, "card payment")
	s.trap(o, P, "UA-T-SHOP", "a person of interest pays the same shop account as the officer (a hub)")

	o, p = s.take(), s.poi()
	ph = g.phone()
	f := s.civilian()
	g.usePhone(o.id, ph, d-100)
	g.usePhone(f, ph, d-100)
	a = g.houseAddress(r)
	x := s.civilian()
	g.live(f, a, d-300)
	g.live(x, a, d-300)
	g.relate(x, p, "associate", "intelligence report", d-50)
	s.trap(o, P, "UA-T-5", "a person of interest 5 links away: officer-phone-friend-address-lodger-POI")
}

func (s *scen) accessForGain() {
	g := s.g
	P := PatAccessGain
	one := func(base string, payDay, payMinute int, from func(o *officer, subj string) string, to func(o *officer) string) {
		o, subj := s.take(), s.civilian()
		d := s.day()
		s.lookupAt(o, d, 540, s.recordAbout(subj, ""))
		g.pay(from(o, subj), to(o), 400+float64(s.r.IntN(300000))/100, d+payDay, payMinute, "cash deposit")
		s.truth(o, P, base)
	}
	own := func(o *officer, subj string) string { return s.acct(subj) }
	officerAcct := func(o *officer) string { return o.acct }
	one("AFG-OWN", 10, 700, own, officerAcct)
	one("AFG-COMP", -5, 700, func(o *officer, subj string) string {
		co := g.company(s.r, "", -800)
		g.direct(subj, co, "director", -700)
		return s.acct(co)
	}, officerAcct)
	one("AFG-FAM", 20, 700, func(o *officer, subj string) string {
		f := s.civilian()
		g.relate(subj, f, "partner", "electoral roll", -2000)
		return s.acct(f)
	}, officerAcct)
	one("AFG-TOFAM", 40, 700, own, func(o *officer) string { return o.partnerAc })
	one("AFG-EDGE30", -30, 1380, own, officerAcct)
	one("AFG-EDGE90", 90, 30, own, officerAcct)

	// assignment ended the day before the access: unassigned
	o, subj := s.take(), s.civilian()
	d := s.day()
	k := s.plantedCase(d - 90)
	g.assign(o.id, k, d-60, d-1, false)
	s.lookup(o, d-20, s.recordAbout(s.civilian(), k))
	s.lookup(o, d, s.recordAbout(subj, k))
	g.pay(s.acct(subj), o.acct, 950, d+15, 700, "cash deposit")
	s.truth(o, P, "AFG-ENDED")

	// a record of a case the officer never worked
	o, subj = s.take(), s.civilian()
	d = s.day()
	k = s.plantedCase(d - 30)
	s.lookup(o, d, s.recordAbout(subj, k))
	g.pay(s.acct(subj), o.acct, 2000, d+3, 700, "cash deposit")
	s.truth(o, P, "AFG-CASE")

	// traps
	trapPay := func(base, why string, payDay int) {
		o, subj := s.take(), s.civilian()
		d := s.day()
		s.lookupAt(o, d, 540, s.recordAbout(subj, ""))
		g.pay(s.acct(subj), o.acct, 1100, d+payDay, 720, "cash deposit")
		s.trap(o, P, base, why)
	}
	trapPay("AFG-T-31", "paid by the subject 31 days before the look-up: outside the window", -31)
	trapPay("AFG-T-91", "paid by the subject 91 days after the look-up: outside the window", 91)

	o, subj = s.take(), s.civilian()
	d = s.day()
	k = s.plantedCase(d - 40)
	g.assign(o.id, k, d-20, 0, true)
	s.lookup(o, d, s.recordAbout(subj, k))
	g.pay(s.acct(subj), o.acct, 900, d+10, 700, "cash deposit")
	s.trap(o, P, "AFG-T-ASSIGNED", "paid by the subject, but the look-up was case work on an open assignment")

	o, subj = s.take(), s.civilian()
	d = s.day()
	k = s.plantedCase(d - 60)
	g.assign(o.id, k, d-45, d, false)
	s.lookup(o, d, s.recordAbout(subj, k))
	g.pay(s.acct(subj), o.acct, 900, d+10, 700, "cash deposit")
	s.trap(o, P, "AFG-T-LASTDAY", "paid by the subject, but the look-up was on the last day of the assignment (to is inclusive)")
}

func (s *scen) personal() {
	g := s.g
	P := PatPersonal

	o := s.take()
	s.lookup(o, s.day(), s.recordAbout(o.partner, ""))
	s.truth(o, P, "PIA-FAM")

	o = s.take()
	a := s.civilian()
	g.relate(o.id, a, "associate", "vetting interview", -900)
	s.lookup(o, s.day(), s.recordAbout(a, ""))
	s.truth(o, P, "PIA-ASSOC")

	o = s.take()
	d := s.day()
	l := s.civilian()
	g.live(l, o.home, d-100)
	s.lookup(o, d, s.recordAbout(l, ""))
	s.truth(o, P, "PIA-CORES")

	o = s.take()
	var hp string
	if len(g.hps) > 0 {
		hp = g.civs[g.hps[s.copy%len(g.hps)]].id
	} else {
		hp = g.person(s.r, "", adultDOB(s.r, 30, 70), false, "", true)
	}
	s.lookup(o, s.day(), s.recordAbout(hp, ""))
	s.truth(o, P, "PIA-HP")

	o = s.take()
	d = s.day()
	k := s.plantedCase(d - 40)
	g.assign(o.id, k, d-30, d+30, false)
	s.lookup(o, d, s.recordAbout(o.partner, k))
	s.trap(o, P, "PIA-T-ASSIGNED", "looked up their partner, but in a case they were assigned to that day")

	o = s.takeTower()
	t := s.civilian()
	g.live(t, g.towers[o.tower], -600)
	s.lookup(o, s.day(), s.recordAbout(t, ""))
	s.trap(o, P, "PIA-T-TOWER", "looked up a neighbour in the same tower block (a hub): not a co-resident")
}

func (s *scen) volume() {
	P := PatVolume
	o := s.take()
	s.lookups(o, 30)
	s.truth(o, P, "AVO-30")
	o = s.take()
	s.lookups(o, 20)
	s.truth(o, P, "AVO-20")
	o = s.take()
	s.lookups(o, 19)
	s.trap(o, P, "AVO-T-19", "19 unassigned accesses: robust z far above 3.5 but x < 20")
	// two analysts: one far above the bureau's median, one within it
	i := s.g.pickIntel[(2*s.copy)%len(s.g.pickIntel)]
	o = s.g.officers[i]
	s.g.planOf(i).unassign = 0
	s.lookups(o, 60)
	s.truth(o, P, "AVO-ANALYST")
	i = s.g.pickIntel[(2*s.copy+1)%len(s.g.pickIntel)]
	o = s.g.officers[i]
	s.g.planOf(i).unassign = 28
	s.trap(o, P, "AVO-T-Z", "28 unassigned accesses in an intelligence peer group whose median is 24: robust z below 3.5")
}

func (s *scen) attendance() {
	g := s.g
	P := PatAttendance
	one := func(base string, days []int, kinds []dayKind) *officer {
		o := s.take()
		d0 := 11 + s.r.IntN(s.g.days-45)
		k := s.plantedCase(d0 - 20)
		g.assign(o.id, k, d0-10, d0+50, false)
		recs := []string{s.recordAbout(s.civilian(), k), s.recordAbout(s.civilian(), k)}
		p := g.planOf(o.idx)
		for i, d := range days {
			kind := kinds[i]
			dp := dayPlan{kind: kind, records: []string{recs[i%2]}}
			if kind == dayOnsiteMixed {
				dp.records = []string{recs[0], recs[1]}
			}
			p.override[d0+d] = dp
		}
		return o
	}
	mm := []dayKind{dayMismatch, dayMismatch, dayMismatch}
	s.truth(one("ATT-3", []int{0, 3, 9}, mm), P, "ATT-3")
	s.truth(one("ATT-SPREAD", []int{0, 14, 29}, mm), P, "ATT-SPREAD")
	s.truth(one("ATT-WEEK", []int{0, 1, 2, 3, 4}, []dayKind{dayMismatch, dayMismatch, dayMismatch, dayMismatch, dayMismatch}), P, "ATT-WEEK")
	s.trap(one("ATT-T-2", []int{0, 20}, mm), P, "ATT-T-2", "only 2 mismatch days within 30 days")
	s.trap(one("ATT-T-31", []int{0, 15, 30}, mm), P, "ATT-T-31", "3 mismatch days spread over 31 days")
	s.trap(one("ATT-T-SWIPE", []int{0, 5, 10}, []dayKind{dayMismatch, dayMismatch, daySwipedRemote}), P, "ATT-T-SWIPE",
		"2 mismatch days; on the third remote-only day the officer swiped in")
	s.trap(one("ATT-T-ONSITE", []int{0, 5, 10}, []dayKind{dayMismatch, dayMismatch, dayOnsiteMixed}), P, "ATT-T-ONSITE",
		"2 mismatch days; on the third day one access was through the onsite channel")
}

func (s *scen) business() {
	g, r := s.g, s.r
	P := PatBusiness
	d := s.day()

	o := s.take()
	g.direct(o.id, g.company(r, "", d-900), "director", d-300)
	s.truth(o, P, "UBI-DIR")

	o = s.take()
	g.direct(o.id, g.company(r, "", d-2000), "owner", d-1000)
	s.truth(o, P, "UBI-OWNER")

	o = s.take()
	co := g.company(r, "", d-700)
	g.direct(o.partner, co, "director", d-600)
	g.pay(s.acct(s.poi()), s.acct(co), 4800, d, 650, "invoice")
	s.truth(o, P, "UBI-FAMPOI")

	o = s.take()
	co = g.company(r, "", d-3000)
	g.direct(o.parents[0], co, "director", d-2500)
	subj := s.civilian()
	s.lookup(o, d, s.recordAbout(subj, ""))
	g.pay(s.acct(subj), s.acct(co), 3500, d+12, 650, "invoice")
	s.truth(o, P, "UBI-FAMSUBJ")

	o = s.take()
	co = g.company(r, "", d-700)
	g.direct(o.id, co, "director", d-600)
	g.declare(o.id, co, "business_interest", d-590)
	s.trap(o, P, "UBI-T-DECL", "directs a company and declared it")

	o = s.take()
	co = g.company(r, "", d-4000)
	g.direct(o.parents[1], co, "director", d-3000)
	ca := s.acct(co)
	for k := 0; k < 2; k++ {
		g.pay(s.acct(s.civilian()), ca, 120, d+k*30, 700, "invoice")
	}
	s.trap(o, P, "UBI-T-FAMCO", "a parent's company paid only by ordinary customers: a relative's company alone is no flag")

	o = s.take()
	co = g.company(r, "", d-700)
	g.direct(o.partner, co, "director", d-600)
	subj = s.civilian()
	k := s.plantedCase(d - 30)
	g.assign(o.id, k, d-10, d+10, false)
	s.lookup(o, d, s.recordAbout(subj, k))
	g.pay(s.acct(subj), s.acct(co), 2500, d+5, 650, "invoice")
	s.trap(o, P, "UBI-T-ASSIGNEDSUBJ", "the partner's company was paid by someone the officer looked up, but on an assigned case")
}

func (s *scen) collusion() {
	g, r := s.g, s.r
	P := PatCollusion

	a, b := s.take(), s.take()
	g.relate(a.id, b.id, "associate", "social media", -400)
	p := s.poi()
	d := s.day()
	s.lookup(a, d, s.recordAbout(p, ""))
	s.lookup(b, d+3, s.recordAbout(p, ""))
	s.truth(a, P, "COL-2")
	s.truth(b, P, "COL-2")

	a, b, c := s.take(), s.take(), s.take()
	flat := g.houseAddress(r)
	for _, o := range []*officer{a, b, c} {
		g.live(o.id, flat, -200)
	}
	p = s.poi()
	d = s.day()
	rec := s.recordAbout(p, "")
	s.lookup(a, d, rec)
	s.lookup(b, d+2, rec)
	s.lookup(c, d+6, s.recordAbout(p, ""))
	s.truth(a, P, "COL-3")
	s.truth(b, P, "COL-3")
	s.truth(c, P, "COL-3")

	a, b = s.take(), s.take()
	ph := g.phone()
	g.usePhone(a.id, ph, -300)
	g.usePhone(b.id, ph, -300)
	p = s.poi()
	d = s.day()
	s.lookup(a, d, s.recordAbout(p, ""))
	s.lookup(b, d+8, s.recordAbout(p, ""))
	s.trap(a, P, "COL-T-8", "linked officers looked up the same person of interest 8 days apart")
	s.trap(b, P, "COL-T-8", "linked officers looked up the same person of interest 8 days apart")

	a = s.take()
	b = s.takeWhere(func(o *officer) bool { return o.station == a.station })
	p = s.poi()
	d = s.day()
	s.lookup(a, d, s.recordAbout(p, ""))
	s.lookup(b, d+1, s.recordAbout(p, ""))
	why := "looked up the same person of interest a day apart; they share a station address and switchboard, which are hubs"
	s.trap(a, P, "COL-T-HUB", why)
	s.trap(b, P, "COL-T-HUB", why)
}

func (s *scen) coAccused() {
	g, r := s.g, s.r
	P := PatCoAccused
	complaint := func(d int, finding string, os ...*officer) {
		id := g.complaint(r, d, pick(r, complaintCats))
		for _, o := range os {
			g.out.complaintOfficers.row(id, o.id, "accused", finding, penalty(r, finding))
		}
	}
	a, b := s.take(), s.take()
	complaint(-300, "sustained", a, b)
	complaint(40, "sustained", a, b)
	s.truth(a, P, "CAC-PAIR")
	s.truth(b, P, "CAC-PAIR")

	a, b, c := s.take(), s.take(), s.take()
	complaint(-500, "sustained", a, b, c)
	complaint(-100, "not_sustained", a, b, c)
	complaint(g.days-20, "", a, c)
	for _, o := range []*officer{a, b, c} {
		s.truth(o, P, "CAC-3")
	}

	a, b = s.take(), s.take()
	complaint(-200, "sustained", a, b)
	s.trap(a, P, "CAC-T-ONCE", "accused together with one other officer in a single complaint")
	s.trap(b, P, "CAC-T-ONCE", "accused together with one other officer in a single complaint")

	gi := s.copy % intelGroups(g.cfg.Officers)
	mem := g.groups[gi].members[:bigComplaintLen]
	for k := 0; k < 2; k++ {
		id := g.complaint(r, 30+k*(g.days/3), "improper disclosure of information")
		for _, i := range mem {
			g.out.complaintOfficers.row(id, g.officers[i].id, "accused", "", "")
		}
	}
	for _, i := range mem[:2] {
		s.trap(g.officers[i], P, "CAC-T-BIG", "accused together in 2 complaints, both naming 25 officers (hubs)")
	}
}

func (s *scen) similar() {
	g, r := s.g, s.r
	P := PatSimilar
	profile := func(o *officer, lookups, complaints, payments int) {
		s.lookups(o, lookups)
		for k := 0; k < complaints; k++ {
			id := g.complaint(r, -600+k*200+r.IntN(50), "improper disclosure of information")
			f := pick(r, []string{"not_sustained", "unfounded"})
			g.out.complaintOfficers.row(id, o.id, "accused", f, "")
		}
		for k := 0; k < payments; k++ {
			g.pay(o.acct, g.shops[o.shops[k%3]], 20+float64(r.IntN(20000))/100, r.IntN(g.days), 600+r.IntN(600), "card payment")
		}
	}
	set := func(base string, resemblers, lookups, complaints, payments int) {
		c := s.take()
		profile(c, lookups, complaints, payments)
		g.n.misconduct++
		g.out.misconduct.row(ident("MIS", g.n.misconduct, 6), c.id, "improper disclosure of information", "proven", date(-200-r.IntN(300)))
		for k := 0; k < resemblers; k++ {
			o := s.take()
			profile(o, lookups, complaints, payments)
			s.truth(o, P, base)
		}
	}
	set("STC-1", 2, 14, 4, 30)
	set("STC-2", 1, 9, 3, 20)
}
