package graph_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"probity"
	"probity/graph"
	"probity/graph/graphtest"
)

// IncrementalEqualsFull is graphtest.IncrementalEqualsFull with the new
// events given as Cypher, and checks that the incremental scan recorded
// its steps.
func IncrementalEqualsFull(t *testing.T, s *graph.Store, addNew string) (probity.ScanRun, map[string]probity.Flag) {
	t.Helper()
	inc, flags := graphtest.IncrementalEqualsFull(t, s, func() { run(t, s, addNew) })
	checkSteps(t, s, inc)
	return inc, flags
}

// checkSteps checks that run recorded its steps other than patterns (and
// reads them back from its ScanRun) and each pattern's preparation time.
func checkSteps(t *testing.T, s *graph.Store, run probity.ScanRun) {
	t.Helper()
	runs, err := s.ScanRunPage(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.ID != run.ID {
			continue
		}
		got := map[string]bool{}
		for _, st := range r.Steps {
			got[strings.Fields(st.Step)[0]] = true
			if st.DurationMS < 0 {
				t.Errorf("step %+v", st)
			}
		}
		for _, want := range []string{"watermark", "last", "hubs", "aggregates:", "risk"} {
			if !got[want] {
				t.Errorf("scan run %s steps %+v: no %q step", r.ID, r.Steps, want)
			}
		}
		for _, p := range r.Patterns {
			if p.PrepareMS > p.DurationMS {
				t.Errorf("pattern run %+v: preparation longer than the whole", p)
			}
		}
		return
	}
	t.Fatalf("scan run %s not stored", run.ID)
}

// seenBy returns the (pattern, officer) pairs of the flags the run saw.
func seenBy(flags map[string]probity.Flag, run probity.ScanRun, pattern string) []string {
	var out []string
	for _, f := range flags {
		if f.ScanRunID == run.ID && (pattern == "" || f.Pattern == pattern) {
			out = append(out, f.OfficerID)
		}
	}
	sort.Strings(out)
	return out
}

// rosterDay is officer o's onsite shift on day d, rostered (no events yet).
func rosterDay(o, d string) string {
	return `(` + o + `)-[:WORKED]->(:Shift {id: '` + o + `/` + d + `', date: date('` + d + `'), declaredLocation: 'onsite'})`
}

func TestIncrementalAttendanceLateSwipe(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O2:Officer)
		(O3:Officer)
		(O4:Officer)
		`+day("O1", "2025-03-01")+"\n"+day("O1", "2025-03-05")+"\n"+day("O1", "2025-03-10")+"\n"+day("O1", "2025-03-15")+`
		`+day("O2", "2025-03-10")+"\n"+day("O2", "2025-03-15")+`
		`+day("O3", "2025-03-05")+"\n"+day("O3", "2025-03-12")+"\n"+day("O3", "2025-03-20")+"\n"+day("O3", "2025-03-21")+`
		`+day("O4", "2025-03-01")+"\n"+day("O4", "2025-03-05")+"\n"+day("O4", "2025-03-10")+`
	`)
	// the watermark is O3's access on 2025-03-21 at 11:00; then:
	// O1: a swipe for 2025-03-10 loaded late (dated long before the watermark) removes that day: 3 days left, new evidence;
	// O2: a new mismatch day after the watermark makes 3;
	// O3: a swipe later on the watermark's own day removes 2025-03-21;
	// O4 (flagged, untouched): its flag said no badge swipe was loaded for
	// anyone, which the first swipes make untrue: it is worded again.
	inc, flags := IncrementalEqualsFull(t, s, `
		MATCH (o1:Officer {id: 'O1'}), (o2:Officer {id: 'O2'}), (o3:Officer {id: 'O3'})
		CREATE (o1)-[:SWIPED]->(:BadgeSwipe {id: 'late', at: datetime('2025-03-10T08:00:00Z'), site: 'HQ'})
		CREATE (o2)-[:WORKED]->(:Shift {id: 'O2/new', date: date('2025-03-22'), declaredLocation: 'onsite'})
		CREATE (o2)-[:ACCESSED {at: datetime('2025-03-22T09:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-O2-new'})
		CREATE (o3)-[:SWIPED]->(:BadgeSwipe {id: 'same-day', at: datetime('2025-03-21T18:00:00Z'), site: 'HQ'})`)
	if got := strings.Join(seenBy(flags, inc, graph.PatAttendanceMismatch), " "); got != "O1 O2 O3 O4" {
		t.Fatalf("attendance-mismatch flags seen by the incremental scan: %s, want O1 O2 O3, and O4 worded again", got)
	}
	if inc.Officers != 4 {
		t.Errorf("the incremental scan looked at %d officers, want 4", inc.Officers)
	}
	for _, f := range flags {
		if f.ScanRunID != inc.ID || f.Pattern != graph.PatAttendanceMismatch {
			continue
		}
		if f.OfficerID == "O1" && (strings.Contains(f.Explanation, "2025-03-10") || !strings.Contains(f.Explanation, "3 mismatch days")) {
			t.Errorf("O1 after the late swipe: %s", f.Explanation)
		}
		if f.OfficerID == "O3" && strings.Contains(f.Explanation, "2025-03-21") {
			t.Errorf("O3 after the same-day swipe: %s", f.Explanation)
		}
		if strings.Contains(f.InnocentExplanation, "no badge swipe") {
			t.Errorf("%s after swipes were loaded: %s", f.OfficerID, f.InnocentExplanation)
		}
	}
}

// TestIncrementalNextDayIsNotLate: the aggregates' stamp after a roster's
// last day is that day's start, so the next day's shifts are new events,
// counted on, not late rows that send their officers to a whole recompute
// (at 35,000 officers that was a day's 20,008 officers and two minutes).
func TestIncrementalNextDayIsNotLate(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O2:Officer)
		`+day("O1", "2025-03-01")+"\n"+day("O2", "2025-03-01")+`
		(O2)-[:WORKED]->(:Shift {id: 'O2/roster', date: date('2025-03-02'), declaredLocation: 'onsite'})
	`)
	inc, _ := IncrementalEqualsFull(t, s, `
		MATCH (o1:Officer {id: 'O1'}), (o2:Officer {id: 'O2'})
		CREATE (o1)-[:WORKED]->(:Shift {id: 'O1/next', date: date('2025-03-03'), declaredLocation: 'onsite'})
		CREATE (o1)-[:ACCESSED {at: datetime('2025-03-03T09:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-O1-next'})
		CREATE (o2)-[:WORKED]->(:Shift {id: 'O2/next', date: date('2025-03-03'), declaredLocation: 'onsite'})`)
	for _, st := range inc.Steps {
		if strings.Contains(st.Step, "whole histories") {
			t.Fatalf("the next day's events sent officers to a whole recompute: steps %+v", inc.Steps)
		}
	}
}

// TestIncrementalRosterPublishedAhead: shifts rostered weeks ahead (police
// duty rosters are published a month or more ahead) hold the shifts' stamp
// there, not the accesses' and swipes': a day's new look-ups and swipes are
// new events, and only their days are recomputed (with one stamp for all
// kinds, every officer with a new event was recomputed whole until the
// data passed the roster's last day). The days are read whole: the
// look-up on a rostered day makes a mismatch day with the stored shift,
// and a swipe later on a mismatch day removes it.
func TestIncrementalRosterPublishedAhead(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O2:Officer)
		(O3:Officer)
		`+day("O1", "2025-03-01")+"\n"+day("O1", "2025-03-05")+"\n"+rosterDay("O1", "2025-03-08")+"\n"+rosterDay("O1", "2025-04-20")+`
		`+day("O2", "2025-03-01")+"\n"+day("O2", "2025-03-05")+"\n"+day("O2", "2025-03-06")+"\n"+rosterDay("O2", "2025-04-20")+`
		(O3)-[:SWIPED]->(:BadgeSwipe {id: 'O3/0306', at: datetime('2025-03-06T08:00:00Z'), site: 'HQ'})
	`)
	// the stamps: accesses 2025-03-06 11:00, swipes 2025-03-06 08:00, shifts 2025-04-20; then
	// O1: a remote look-up on its rostered 2025-03-08 makes a third mismatch day;
	// O2: a swipe later on 2025-03-06 removes that day: two left, its flag is cleared.
	inc, flags := IncrementalEqualsFull(t, s, `
		MATCH (o1:Officer {id: 'O1'}), (o2:Officer {id: 'O2'})
		CREATE (o1)-[:ACCESSED {at: datetime('2025-03-08T10:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-O1-0308'})
		CREATE (o2)-[:SWIPED]->(:BadgeSwipe {id: 'O2/0306', at: datetime('2025-03-06T09:00:00Z'), site: 'HQ'})`)
	for _, st := range inc.Steps {
		if strings.Contains(st.Step, "whole histories") {
			t.Fatalf("a roster published ahead sent officers with new look-ups or swipes to a whole recompute: steps %+v", inc.Steps)
		}
	}
	if got := strings.Join(seenBy(flags, inc, graph.PatAttendanceMismatch), " "); got != "O1" {
		t.Errorf("attendance-mismatch flags seen by the incremental scan: %q, want O1", got)
	}
	if inc.Cleared != 1 {
		t.Errorf("the incremental scan cleared %d flags, want O2's attendance-mismatch", inc.Cleared)
	}
}

// TestIncrementalRostersOfDifferentHorizons: one unit's roster published
// further ahead than another's (O1's to 2025-04-20, the others' to
// 2025-03-20) holds the shifts' stamp at its horizon; a shift then
// rostered after an officer's own latest (O2's 2025-03-21) is a new event
// of that officer, counted on, not a late one that recomputes its whole
// history: with a remote look-up that day it makes O2's third mismatch
// day. A shift dated before the officer's own latest (O3's 2025-03-03,
// the day of a remote look-up: its third mismatch day) is late and
// recomputes O3 whole, as does any shift of an officer whose latest an
// earlier build did not store (O4).
func TestIncrementalRostersOfDifferentHorizons(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O2:Officer)
		(O3:Officer)
		(O4:Officer)
		`+day("O1", "2025-03-01")+"\n"+day("O1", "2025-03-05")+"\n"+rosterDay("O1", "2025-04-20")+`
		`+day("O2", "2025-03-01")+"\n"+day("O2", "2025-03-05")+"\n"+rosterDay("O2", "2025-03-20")+`
		`+day("O3", "2025-03-01")+"\n"+day("O3", "2025-03-05")+"\n"+rosterDay("O3", "2025-03-20")+`
		(O3)-[:ACCESSED {at: datetime('2025-03-03T10:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-O3-0303'})
		`+day("O4", "2025-03-01")+"\n"+rosterDay("O4", "2025-03-20")+`
	`)
	inc, flags := IncrementalEqualsFull(t, s, `
		MATCH (o1:Officer {id: 'O1'}), (o2:Officer {id: 'O2'}), (o3:Officer {id: 'O3'}), (o4:Officer {id: 'O4'})
		REMOVE o4.aggLastShift
		CREATE (o1)-[:ACCESSED {at: datetime('2025-03-07T10:00:00Z'), channel: 'onsite'}]->(:Record {id: 'R-O1-0307'})
		CREATE (o2)-[:WORKED]->(:Shift {id: 'O2/2025-03-21', date: date('2025-03-21'), declaredLocation: 'onsite'})
		CREATE (o2)-[:ACCESSED {at: datetime('2025-03-21T10:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-O2-0321'})
		CREATE (o3)-[:WORKED]->(:Shift {id: 'O3/2025-03-03', date: date('2025-03-03'), declaredLocation: 'onsite'})
		CREATE (o4)-[:WORKED]->(:Shift {id: 'O4/2025-03-21', date: date('2025-03-21'), declaredLocation: 'onsite'})`)
	var steps []string
	for _, st := range inc.Steps {
		steps = append(steps, st.Step)
	}
	if !slices.Contains(steps, "aggregates: 2 whole histories") || !slices.Contains(steps, "aggregates: shifts of 2 officers before the shifts' stamp") {
		t.Errorf("steps %q: want O3 and O4 recomputed whole, and the shifts of O2 and O3 before the stamp read", steps)
	}
	if got := strings.Join(seenBy(flags, inc, graph.PatAttendanceMismatch), " "); got != "O2 O3" {
		t.Errorf("attendance-mismatch flags seen by the incremental scan: %q, want O2 O3", got)
	}
}

// TestIncrementalEventsChangedByAReload: a row loaded again with another
// value changes no count, so the aggregates' counts cannot tell it: a
// shift's declared location (onsite to remote: O1 keeps 2 mismatch days,
// its flag is cleared) and an access's channel (onsite to remote: O2's
// third mismatch day; empty, then remote: O3's). The load marks the
// changed events (markedAt) and the incremental scan recomputes their
// officers whole, as a full scan would (incrV, incrW: each was missed).
// Loading the same rows again marks nothing: no officer is recomputed
// whole.
func TestIncrementalEventsChangedByAReload(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	load := func(dir string) { loadSet(t, s, dir, graph.LoadOptions{}) }
	const shiftsHead = "officer_id,date,start,end,declared_location\n"
	const accessHead = "officer_id,record_id,at,system,channel,terminal,purpose\n"
	shifts, accesses := "", ""
	for _, o := range []string{"O1", "O2", "O3"} {
		for _, d := range []string{"2025-03-01", "2025-03-05", "2025-03-10"} {
			shifts += o + "," + d + ",09:00,17:00,onsite\n"
			channel := "remote"
			if o == "O2" && d == "2025-03-10" {
				channel = "onsite"
			} else if o == "O3" && d == "2025-03-10" {
				channel = ""
			}
			accesses += o + ",R1," + d + "T11:00:00Z,PNC," + channel + ",T,\n"
		}
	}
	load(writeSet(t, map[string]string{
		"officers.csv": "officer_id,name,rank,unit,role,start_date,status\nO1,A,PC,U1,r,,\nO2,B,PC,U1,r,,\nO3,C,PC,U1,r,,\n",
		"records.csv":  "record_id,system,kind,case_id\nR1,PNC,person,\n",
		"shifts.csv":   shiftsHead + shifts,
		"accesses.csv": accessHead + accesses,
	}))
	changed := writeSet(t, map[string]string{
		"shifts.csv":   shiftsHead + "O1,2025-03-05,09:00,17:00,remote\n",
		"accesses.csv": accessHead + "O2,R1,2025-03-10T11:00:00Z,PNC,remote,T,\nO3,R1,2025-03-10T11:00:00Z,PNC,remote,T,\n",
	})
	inc, flags := graphtest.IncrementalEqualsFull(t, s, func() { load(changed) })
	if got := strings.Join(seenBy(flags, inc, graph.PatAttendanceMismatch), " "); got != "O2 O3" {
		t.Errorf("attendance-mismatch flags seen by the incremental scan: %q, want O2 O3", got)
	}
	if inc.Cleared != 1 {
		t.Errorf("the incremental scan cleared %d flags, want O1's attendance-mismatch", inc.Cleared)
	}
	load(changed)
	again, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range again.Steps {
		if strings.Contains(st.Step, "whole histories") {
			t.Fatalf("the same rows loaded again sent officers to a whole recompute: steps %+v", again.Steps)
		}
	}
}

// TestIncrementalPersonMarkedOfInterest: a person a load marks as of
// interest (or high-profile) since the last scan, with no new link, changes
// what the rules that read the marks find for officers anywhere near: an
// incremental scan looks at every officer for them, as a full scan does.
func TestIncrementalPersonMarkedOfInterest(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'family'}]->(P1:Person {poi: false, highProfile: false})
		(O2:Officer)-[:LIVES_AT]->(A2:Address)<-[:LIVES_AT]-(P2:Person {poi: false, highProfile: false})
		(O3:Officer)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z'), channel: 'remote'}]->(R3:Record)-[:ABOUT]->(P3:Person {poi: false, highProfile: false})
		(O9:Officer)-[:ACCESSED {at: datetime('2025-03-02T10:00:00Z'), channel: 'remote'}]->(R9:Record)
	`)
	inc, flags := IncrementalEqualsFull(t, s, `
		MATCH (p:Person) WHERE p.id IN ['P1', 'P2'] SET p.poi = true, p.markedAt = datetime()
		WITH count(*) AS n MATCH (p3:Person {id: 'P3'}) SET p3.highProfile = true, p3.markedAt = datetime()`)
	if got := strings.Join(seenBy(flags, inc, graph.PatUndisclosedAssociation), " "); got != "O1 O2" {
		t.Fatalf("undisclosed-association flags seen by the incremental scan: %q, want O1 O2", got)
	}
	if got := strings.Join(seenBy(flags, inc, graph.PatPersonalInterest), " "); got != "O3" {
		t.Fatalf("personal-interest-access flags seen by the incremental scan: %q, want O3", got)
	}
	if inc.Officers != 4 { // four patterns looked at every officer
		t.Fatalf("officers the incremental scan looked at: %d, want all 4", inc.Officers)
	}
}

// TestIncrementalAttendanceMoreOnAMismatchDay: a new remote look-up on a
// day that is already a mismatch day changes the flag's evidence, not its
// days: later on the watermark's own day (the afternoon of the day the
// last load ended on) or loaded late for an earlier day (incrR).
func TestIncrementalAttendanceMoreOnAMismatchDay(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(M1:Officer)
		(M2:Officer)
		`+day("M1", "2025-03-03")+"\n"+day("M1", "2025-03-04")+"\n"+day("M1", "2025-03-05")+`
		`+day("M2", "2025-03-01")+"\n"+day("M2", "2025-03-02")+"\n"+day("M2", "2025-03-04")+`
	`)
	// the watermark is the look-ups of 2025-03-05 at 11:00
	inc, flags := IncrementalEqualsFull(t, s, `
		MATCH (m1:Officer {id: 'M1'}), (m2:Officer {id: 'M2'})
		CREATE (m1)-[:ACCESSED {at: datetime('2025-03-05T15:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-M1-pm'})
		CREATE (m2)-[:ACCESSED {at: datetime('2025-03-02T15:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-M2-late'})`)
	if got := strings.Join(seenBy(flags, inc, graph.PatAttendanceMismatch), " "); got != "M1 M2" {
		t.Fatalf("attendance-mismatch flags seen by the incremental scan: %q, want M1 M2", got)
	}
	for _, f := range flags {
		if f.ScanRunID == inc.ID && f.Pattern == graph.PatAttendanceMismatch && !strings.Contains(f.Explanation, "4 look-ups") {
			t.Errorf("%s after a fourth look-up: %s", f.OfficerID, f.Explanation)
		}
	}
}

// TestIncrementalClearsWhatItSawWhole: a person no longer of interest, and
// a complaint that became a hub (21 named officers), end flags that an
// incremental scan looked for over every officer, as a full scan does: it
// clears them too.
func TestIncrementalClearsWhatItSawWhole(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi: true})
		(O2:Officer)-[:NAMED_IN {role: 'accused'}]->(CR1:Complaint)<-[:NAMED_IN {role: 'accused'}]-(O3:Officer)
		(O2)-[:NAMED_IN {role: 'accused'}]->(CR2:Complaint)<-[:NAMED_IN {role: 'accused'}]-(O3)
	`)
	ctx := context.Background()
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	run(t, s, `MATCH (p:Person {id: 'P1'}) SET p.poi = false, p.markedAt = datetime()`)
	run(t, s, `MATCH (c:Complaint {id: 'CR2'}) UNWIND range(1, 19) AS i CREATE (:Officer:Party {id: 'W' + i})-[:NAMED_IN {role: 'witness', loadedAt: datetime()}]->(c)`)
	inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Flags(ctx, probity.FlagFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var cleared []string
	for _, f := range all {
		if f.ClearedByRun == inc.ID {
			cleared = append(cleared, f.Pattern+":"+f.OfficerID)
		}
	}
	sort.Strings(cleared)
	want := "co-accused-crew:O2 co-accused-crew:O3 undisclosed-association:O1"
	if got := strings.Join(cleared, " "); got != want || inc.Cleared != 3 {
		t.Fatalf("cleared by the incremental scan: %q (%d), want %q", got, inc.Cleared, want)
	}
}

// TestIncrementalClearsOfficersItLookedAt: an incremental scan that looks
// at an officer over all the data (a new declaration, an assignment given
// late) and no longer finds the officer's case clears the flag, as a full
// scan would (incrR: they stood until the next full scan).
func TestIncrementalClearsOfficersItLookedAt(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(P1:Person {poi: true})
		(O2:Officer)-[:ACCESSED {at: datetime('2025-03-10T09:00:00Z'), channel: 'onsite'}]->(R2:Record)-[:ABOUT]->(S2:Person)
		(S2)-[:HOLDS]->(AS2:Account)-[:PAID {id: 'PAY2', amount: 500.0, at: datetime('2025-03-20T12:00:00Z')}]->(AO2:Account)<-[:HOLDS]-(O2)
		(R2)-[:PART_OF]->(C2:Case)
		(O9:Officer)-[:ACCESSED {at: datetime('2025-03-21T09:00:00Z'), channel: 'onsite'}]->(:Record)
	`)
	inc, flags := IncrementalEqualsFull(t, s, `
		MATCH (o1:Officer {id: 'O1'}), (p1:Person {id: 'P1'}), (o2:Officer {id: 'O2'}), (c2:Case {id: 'C2'})
		CREATE (o1)-[:DECLARED {type: 'association', on: date('2025-04-01'), loadedAt: datetime()}]->(p1)
		CREATE (o2)-[:ASSIGNED_TO {from: date('2025-03-01'), to: date('2025-03-31'), loadedAt: datetime()}]->(c2)`)
	var cleared []string
	for _, f := range flags {
		if f.ClearedByRun == inc.ID {
			cleared = append(cleared, f.Pattern+":"+f.OfficerID)
		}
	}
	sort.Strings(cleared)
	if got := strings.Join(cleared, " "); got != "access-for-gain:O2 undisclosed-association:O1" {
		t.Fatalf("flags the incremental scan cleared: %q, want O1's (declared) and O2's (assigned after all)", got)
	}
}

// TestIncrementalOfficerRegrouped: an officer whose unit a load changed
// since the last scan leaves one peer group and joins another, with no new
// look-up of anyone's: both groups' medians changed, so an incremental scan
// looks at every group for access-volume-outlier.
func TestIncrementalOfficerRegrouped(t *testing.T) {
	s := graphtest.Open(t)
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	run(t, s, `CREATE (:Officer:Party {id: 'Q', unit: 'U2', role: 'PC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	accesses(t, s, "Q", 30) // alone in U2/PC: its own median, no flag
	inc, flags := IncrementalEqualsFull(t, s, `MATCH (q:Officer {id: 'Q'}) SET q.unit = 'U1', q.markedAt = datetime()`)
	if got := strings.Join(seenBy(flags, inc, graph.PatVolumeOutlier), " "); got != "Q" {
		t.Fatalf("access-volume-outlier flags seen by the incremental scan: %q, want Q (moved into U1, against a median of 2)", got)
	}
}

// TestIncrementalOutlierNoMore: peers' new look-ups move the median up to
// an outlier, which is one no more: the incremental scan evaluates the
// group again and clears its flag (incrR: it stood until a full scan).
func TestIncrementalOutlierNoMore(t *testing.T) {
	s := graphtest.Open(t)
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	run(t, s, `CREATE (:Officer:Party {id: 'E', unit: 'U1', role: 'PC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	accesses(t, s, "E", 25)
	inc, flags := IncrementalEqualsFull(t, s, `UNWIND range(1, 10) AS i MATCH (o:Officer {id: 'P' + i})
		UNWIND range(1, 20) AS j
		CREATE (o)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z') + duration({hours: j}), channel: 'onsite'}]->(:Record {id: 'RN-' + i + '-' + j})`)
	found := false
	for _, f := range flags {
		if f.Pattern == graph.PatVolumeOutlier && f.OfficerID == "E" {
			found = true
			if f.ClearedByRun != inc.ID {
				t.Fatalf("E's flag after the median rose to 22: cleared by %q, want the incremental scan %s", f.ClearedByRun, inc.ID)
			}
		}
	}
	if !found {
		t.Fatal("E was never flagged")
	}
}

func TestIncrementalPeerMedianShifts(t *testing.T) {
	s := graphtest.Open(t)
	// U1/PC: ten officers with 2 unassigned look-ups, E with 25 (flagged against a median of 2)
	run(t, s, `UNWIND range(1, 10) AS i CREATE (:Officer:Party {id: 'P' + i, unit: 'U1', role: 'PC'})`)
	run(t, s, `CREATE (:Officer:Party {id: 'E', unit: 'U1', role: 'PC'}), (:Officer:Party {id: 'Q', unit: 'U2', role: 'PC'})`)
	for i := 1; i <= 10; i++ {
		accesses(t, s, "P"+itoa(i), 2)
	}
	accesses(t, s, "E", 25)
	accesses(t, s, "Q", 30)
	// six peers make 10 new unassigned look-ups each: the median becomes 12;
	// E has no new event but its flag is evaluated again against the new median
	inc, flags := IncrementalEqualsFull(t, s, `UNWIND range(1, 6) AS i MATCH (o:Officer {id: 'P' + i})
		UNWIND range(1, 10) AS j
		CREATE (o)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z') + duration({hours: j}), channel: 'onsite'}]->(:Record {id: 'RN-' + i + '-' + j})`)
	if got := strings.Join(seenBy(flags, inc, graph.PatVolumeOutlier), " "); got != "E" {
		t.Fatalf("access-volume-outlier flags seen by the incremental scan: %q, want E (Q's group did not change)", got)
	}
	for _, f := range flags {
		if f.ScanRunID == inc.ID && f.Pattern == graph.PatVolumeOutlier && !strings.Contains(f.Explanation, "median of 12") {
			t.Errorf("E after the median moved: %s", f.Explanation)
		}
	}
}

func TestIncrementalPaymentMakesPath(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:HOLDS]->(A1:Account)
		(Y:Person)-[:HOLDS]->(AY:Account)
		(Y)-[:RELATED_TO {type: 'associate'}]->(P:Person {poi: true})
		(O2:Officer)-[:LIVES_AT]->(H2:Address)<-[:LIVES_AT]-(X2:Person)-[:HOLDS]->(A2:Account)
		(O3:Officer)-[:HOLDS]->(A3:Account)<-[:PAID {id: 'old', at: datetime('2025-01-01T10:00:00Z')}]-(AP:Account)<-[:HOLDS]-(P2:Person {poi: true})
	`)
	// a payment A1 → AY makes O1 - A1 - AY - Y - P (4 links); A2 → AY gives O2 a path of 5 (no flag)
	inc, flags := IncrementalEqualsFull(t, s, `MATCH (a1:Account {id: 'A1'}), (a2:Account {id: 'A2'}), (ay:Account {id: 'AY'})
		CREATE (a1)-[:PAID {id: 'new1', amount: 500.0, at: datetime('2025-02-01T10:00:00Z')}]->(ay)
		CREATE (a2)-[:PAID {id: 'new2', amount: 700.0, at: datetime('2025-02-01T11:00:00Z')}]->(ay)`)
	// O3's path did not change, but the payments moved the watermark a
	// month on, and with it the recency O3's score is weighed by: it is
	// scored again (TestIncrementalRescoresWhenTheWatermarkMoves)
	if got := strings.Join(seenBy(flags, inc, graph.PatUndisclosedAssociation), " "); got != "O1 O3" {
		t.Fatalf("undisclosed-association flags seen by the incremental scan: %q, want O1 (new) and O3 (rescored)", got)
	}
	if inc.Officers > 3 {
		t.Errorf("the incremental scan looked at %d officers, want at most O1, O2 and O3", inc.Officers)
	}
}

// An incremental scan picks access-for-gain's officers with the window an
// administrator set, not the default one: a payment 115 days before a new
// look-up, inside before = 120, is found as a full scan finds it (rulesK H1).
func TestIncrementalAccessForGainWidenedWindow(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:HOLDS]->(AO:Account)
		(P1:Person)-[:HOLDS]->(AP:Account)-[:PAID {id: 'PAY1', amount: 900.0, at: datetime('2024-01-01T10:00:00Z')}]->(AO)
		(R1:Record)-[:ABOUT]->(P1)
		(O2:Officer)-[:ACCESSED {at: datetime('2024-04-20T10:00:00Z')}]->(R2:Record)
	`)
	if _, err := s.SetThreshold(context.Background(), graph.PatAccessForGain, "before", "120", "four months, the board's review", "admin"); err != nil {
		t.Fatal(err)
	}
	inc, flags := IncrementalEqualsFull(t, s, `MATCH (o:Officer {id: 'O1'}), (r:Record {id: 'R1'})
		CREATE (o)-[:ACCESSED {at: datetime('2024-04-25T10:00:00Z')}]->(r)`)
	if got := strings.Join(seenBy(flags, inc, graph.PatAccessForGain), " "); got != "O1" {
		t.Fatalf("access-for-gain flags seen by the incremental scan: %q, want O1", got)
	}
}

// An incremental scan after an upgrade (the base scan ran another pattern
// library or schema, or is a run stored before runs kept theirs) is a full
// one: a new pattern version reaches a stored flag only through a full scan
// (upgradeA L2).
func TestIncrementalAfterUpgradeIsFull(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `(O1:Officer)-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]->(R1:Record)`)
	schema := fmt.Sprintf("schema %d", graph.LatestSchemaVersion())
	for _, old := range []string{
		// the stamp this binary wrote, with the schema before (a migration)
		// or one pattern's version before: each is another library (mutT M3)
		`replace(r.library, '` + schema + `', 'schema 1')`,
		`replace(r.library, 'access-for-gain v', 'access-for-gain v0')`,
		`'undisclosed-association v4, schema 12'`,
		`null`, // a run stored before runs kept it
	} {
		if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
			t.Fatal(err)
		}
		inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
		if err != nil || inc.Since.IsZero() {
			t.Fatalf("incremental after a scan of this binary: since %v, %v; want incremental", inc.Since, err)
		}
		if err := s.RunForTestParams(ctx, `MATCH (r:ScanRun) WHERE r.library CONTAINS $schema SET r.library = `+old, map[string]any{"schema": schema}); err != nil {
			t.Fatal(err)
		}
		inc, err = s.Scan(ctx, probity.ScanOptions{Incremental: true})
		if err != nil || !inc.Since.IsZero() || !slices.ContainsFunc(inc.Steps, func(st probity.StepRun) bool { return strings.Contains(st.Step, "(an upgrade): a full scan") }) {
			t.Fatalf("incremental after a scan with library %s: since %v, steps %+v, %v; want a full scan", old, inc.Since, inc.Steps, err)
		}
	}
}

// Tripwire in an incremental scan looks only at officers with new accesses
// while the watch list is unchanged, and at every officer once it changed.
func TestIncrementalTripwire(t *testing.T) {
	fixture := `
		(O1:Officer)-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]->(R1:Record)-[:ABOUT]->(W:Person)
		(O2:Officer)-[:ACCESSED {at: datetime('2025-01-11T10:00:00Z')}]->(R2:Record)
		(O3:Officer)-[:ACCESSED {at: datetime('2025-01-12T10:00:00Z')}]->(R3:Record)-[:ABOUT]->(X:Person)
	`
	t.Run("watch list unchanged", func(t *testing.T) {
		s := graphtest.Open(t)
		graphtest.Fixture(t, s, fixture)
		if _, err := s.AddWatch(context.Background(), "W", "a test watch item", "analyst"); err != nil {
			t.Fatal(err)
		}
		inc, flags := IncrementalEqualsFull(t, s, `MATCH (o:Officer {id: 'O2'}), (r:Record {id: 'R1'})
			CREATE (o)-[:ACCESSED {at: datetime('2025-02-01T10:00:00Z')}]->(r)`)
		if got := strings.Join(seenBy(flags, inc, graph.PatTripwire), " "); got != "O2" {
			t.Fatalf("tripwire flags seen by the incremental scan: %q, want O2 (O1's look-up is old)", got)
		}
	})
	t.Run("watch item added", func(t *testing.T) {
		s := graphtest.Open(t)
		graphtest.Fixture(t, s, fixture)
		if _, err := s.AddWatch(context.Background(), "W", "a test watch item", "analyst"); err != nil {
			t.Fatal(err)
		}
		// O3's old look-up of a record about X is caught once X is watched
		inc, flags := IncrementalEqualsFull(t, s, `MATCH (o:Officer {id: 'O2'}), (r:Record {id: 'R2'})
			CREATE (o)-[:ACCESSED {at: datetime('2025-02-01T10:00:00Z')}]->(r)
			CREATE (:WatchItem {id: 'WATCH-X', entityId: 'X', reason: 'test', by: 'analyst', at: datetime()})`)
		if got := strings.Join(seenBy(flags, inc, graph.PatTripwire), " "); got != "O1 O3" {
			t.Fatalf("tripwire flags seen by the incremental scan: %q, want O1 O3 (every officer: the watch list changed)", got)
		}
	})
}

// TestIncrementalListItemsRemoved: removing a suppression opens the paths
// through what it named, for every officer; removing a watch item clears
// the tripwire flags of look-ups of it (both stood until the next full
// scan before).
func TestIncrementalListItemsRemoved(t *testing.T) {
	ctx := context.Background()
	t.Run("suppression", func(t *testing.T) {
		s := graphtest.Open(t)
		graphtest.Fixture(t, s, `
			(O1:Officer)-[:LIVES_AT]->(A1:Address)<-[:LIVES_AT]-(P1:Person {poi: true})
			(O2:Officer)-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]->(R2:Record)
		`)
		if _, err := s.AddSuppression(ctx, "A1", "the station's address", "admin"); err != nil {
			t.Fatal(err)
		}
		inc, flags := graphtest.IncrementalEqualsFull(t, s, func() {
			if err := s.RemoveSuppression(ctx, "A1"); err != nil {
				t.Fatal(err)
			}
		})
		if got := strings.Join(seenBy(flags, inc, graph.PatUndisclosedAssociation), " "); got != "O1" {
			t.Fatalf("undisclosed-association flags seen by the incremental scan: %q, want O1 (A1 is no hub any more)", got)
		}
	})
	t.Run("watch item", func(t *testing.T) {
		s := graphtest.Open(t)
		graphtest.Fixture(t, s, `
			(O1:Officer)-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]->(R1:Record)-[:ABOUT]->(W:Person)
			(O2:Officer)-[:ACCESSED {at: datetime('2025-01-11T10:00:00Z')}]->(R2:Record)-[:ABOUT]->(X:Person)
		`)
		for _, e := range []string{"W", "X"} {
			if _, err := s.AddWatch(ctx, e, "a test watch item", "analyst"); err != nil {
				t.Fatal(err)
			}
		}
		// one of the two, then the last: whose look-up of it was flagged
		for _, c := range []struct{ entity, officer string }{{"X", "O2"}, {"W", "O1"}} {
			inc, _ := graphtest.IncrementalEqualsFull(t, s, func() {
				if err := s.RemoveWatch(ctx, c.entity); err != nil {
					t.Fatal(err)
				}
			})
			fs, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatTripwire, OfficerID: c.officer})
			if err != nil || len(fs) != 1 || fs[0].ClearedByRun != inc.ID {
				t.Errorf("after removing watch item %s: tripwire flags of %s %+v (%v), want one cleared by the incremental scan %s", c.entity, c.officer, fs, err, inc.ID)
			}
		}
	})
}

// TestIncrementalTripwireAssignedLate: an assignment loaded late that
// covers a look-up of a watched record clears its tripwire flag, as the
// full scan would: tripwire read every access of that officer.
func TestIncrementalTripwireAssignedLate(t *testing.T) {
	s := graphtest.Open(t)
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:ACCESSED {at: datetime('2025-01-10T10:00:00Z')}]->(R1:Record)-[:ABOUT]->(W:Person)
		(R1)-[:PART_OF]->(C1:Case)
		(O2:Officer)-[:ACCESSED {at: datetime('2025-01-11T10:00:00Z')}]->(R1)
	`)
	if _, err := s.AddWatch(context.Background(), "W", "a test watch item", "analyst"); err != nil {
		t.Fatal(err)
	}
	inc, _ := IncrementalEqualsFull(t, s, `MATCH (o:Officer {id: 'O1'}), (c:Case {id: 'C1'})
		CREATE (o)-[:ASSIGNED_TO {from: date('2025-01-01'), loadedAt: datetime()}]->(c)`)
	fs, err := s.Flags(context.Background(), probity.FlagFilter{Pattern: graph.PatTripwire})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if (f.OfficerID == "O1") != (f.ClearedByRun == inc.ID) {
			t.Errorf("tripwire flag of %s cleared by %q, want only O1's cleared by the incremental scan %s", f.OfficerID, f.ClearedByRun, inc.ID)
		}
	}
}

// TestIncrementalStart: what an incremental scan starts from. A shift dated
// after everything else (a roster) does not move it, nor does a scan of a
// window; and an incremental scan of some patterns leaves the stored
// aggregates alone, so the next incremental scan of them all still sees
// the new mismatch day.
func TestIncrementalStart(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	day := mismatchDay
	graphtest.Fixture(t, s, `(O1:Officer)
		`+day("O1", "2025-03-01")+"\n"+day("O1", "2025-03-05")+`
		(O1)-[:WORKED]->(:Shift {id: 'O1/roster', date: date('2025-07-31'), declaredLocation: 'onsite'})`)
	full, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 3, 5, 11, 0, 0, 0, time.UTC); !full.Watermark.Equal(want) {
		t.Fatalf("watermark %v, want %v (the last access, not the roster's shift)", full.Watermark, want)
	}
	// a third mismatch day, then a window scan and an incremental scan of
	// another pattern
	run(t, s, `MATCH (o:Officer {id: 'O1'})
		CREATE (o)-[:WORKED]->(:Shift {id: 'O1/2025-03-08', date: date('2025-03-08'), declaredLocation: 'onsite'}),
		       (o)-[:ACCESSED {at: datetime('2025-03-08T11:00:00Z'), channel: 'remote'}]->(:Record {id: 'R-O1-2025-03-08'})`)
	if _, err := s.Scan(ctx, probity.ScanOptions{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{Incremental: true, Patterns: []string{graph.PatCoAccusedCrew}}); err != nil {
		t.Fatal(err)
	}
	inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Since.Equal(full.Watermark) {
		t.Errorf("incremental scan from %v, want the full scan's watermark %v", inc.Since, full.Watermark)
	}
	flags, err := s.Flags(ctx, probity.FlagFilter{OfficerID: "O1", Pattern: graph.PatAttendanceMismatch, Current: true})
	if err != nil || len(flags) != 1 {
		t.Fatalf("O1's attendance-mismatch flags after the incremental scan: %+v, %v", flags, err)
	}
}

// Links a load brings after a scan are new to the next incremental scan
// however they are dated (PropLoadedAt): here every one is dated before
// the watermark, or has no date.
func TestIncrementalLinksLoadedLate(t *testing.T) {
	s := graphtest.Open(t)
	load := func(dir string) { loadSet(t, s, dir, graph.LoadOptions{}) }
	load(writeSet(t, map[string]string{
		"officers.csv": "officer_id,name,rank,unit,role,start_date,status\nO1,A,PC,U1,response,,\nO2,B,PC,U1,response,,\nO3,C,PC,U1,response,,\nO4,D,PC,U1,response,,\n",
		"persons.csv":  "person_id,name,dob,poi,poi_reason,high_profile\nF1,E,,,,\nP1,F,,true,drugs,\nP2,G,,true,fraud,\nF3,H,,,,\nF4,I,,,,\n",
		"relations.csv": "party_a,party_b,type,source,since\nO1,F1,family,HR,2010-01-01\nO3,F3,family,HR,2010-01-01\n" +
			"O4,F4,family,HR,2010-01-01\n",
		"accounts.csv":        "account_id,bank\nA2,X\nAP2,X\n",
		"holders.csv":         "party_id,account_id\nP2,AP2\n",
		"payments.csv":        "payment_id,from_account,to_account,amount,currency,at,reference\nPAY1,AP2,A2,900,GBP,2025-01-05T10:00:00Z,x\n",
		"cases.csv":           "case_id,type,title,opened,status\nC3,theft,T,2024-01-01,open\n",
		"records.csv":         "record_id,system,kind,case_id\nR3,PNC,person,C3\nR4,PNC,person,\n",
		"record_subjects.csv": "record_id,subject_id\nR3,F3\n",
		"accesses.csv": "officer_id,record_id,at,system,channel,terminal,purpose\nO3,R3,2025-03-01T10:00:00Z,PNC,onsite,T,x\n" +
			"O4,R4,2025-03-02T10:00:00Z,PNC,onsite,T,x\n",
		"assignments.csv": "officer_id,case_id,from,to\nO3,C3,2024-01-01,\n",
	}))
	late := writeSet(t, map[string]string{
		// O1 - F1 - P1, dated years back
		"relations.csv": "party_a,party_b,type,source,since\nF1,P1,associate,intel,2015-06-01\n",
		// O2 holds the account P2 paid in January: O2 - A2 - AP2 - P2 (undated)
		"holders.csv": "party_id,account_id\nO2,A2\n",
		// O3's assignment ended before its look-up of a record about family
		"assignments.csv": "officer_id,case_id,from,to\nO3,C3,2024-01-01,2025-01-31\n",
		// the record O4 looked up is about O4's family
		"record_subjects.csv": "record_id,subject_id\nR4,F4\n",
	})
	inc, flags := graphtest.IncrementalEqualsFull(t, s, func() { load(late) })
	checkSteps(t, s, inc)
	for pattern, want := range map[string]string{graph.PatUndisclosedAssociation: "O1 O2", graph.PatPersonalInterest: "O3 O4"} {
		if got := strings.Join(seenBy(flags, inc, pattern), " "); got != want {
			t.Errorf("%s flags seen by the incremental scan: %q, want %s", pattern, got, want)
		}
	}
}

// More of what an incremental scan must see (an independent check found
// each missed): a declaration withdrawn in a row loaded late; a suppression
// added since the last scan; a shift loaded late while a roster's shift
// dated ahead was stored; an access loaded late while one with a mistyped
// year was stored; and a scan given --since is no base for the next one.
func TestIncrementalLateDeclarationsSuppressionsAndStoredFutureEvents(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	load := func(dir string) { loadSet(t, s, dir, graph.LoadOptions{}) }
	load(writeSet(t, map[string]string{
		"officers.csv": "officer_id,name,rank,unit,role,start_date,status\nO1,A,PC,U1,r,,\nO2,B,PC,U2,r,,\nO3,C,PC,U3,r,,\nO4,D,PC,U4,r,,\n",
		"persons.csv":  "person_id,name,dob,poi,poi_reason,high_profile\nP1,E,,true,drugs,\nP2,F,,true,fraud,\nX3,G,,,,\nY3,H,,,,\nHP,I,,,,true\n",
		// O1 declared P1 (in force); O3 lives with P2 at A5, and is 4 links from P2 another way
		"relations.csv":       "party_a,party_b,type,source,since\nO1,P1,associate,intel,2020-01-01\nO3,X3,associate,intel,2020-01-01\nX3,Y3,associate,intel,2020-01-01\nY3,P2,associate,intel,2020-01-01\n",
		"declarations.csv":    "officer_id,declared_id,type,declared_on,withdrawn_on\nO1,P1,association,2024-01-01,\n",
		"addresses.csv":       "address_id,line,postcode\nA5,1 High St,AB1\n",
		"residences.csv":      "party_id,address_id,from,to\nO3,A5,2020-01-01,\nP2,A5,2020-01-01,\n",
		"records.csv":         "record_id,system,kind,case_id\nR1,PNC,person,\nR2,PNC,person,\nR3,PNC,person,\nR9,PNC,person,\nRH,PNC,person,\n",
		"record_subjects.csv": "record_id,subject_id\nRH,HP\n",
		// O2: remote look-ups on three days, onsite shifts on two of them, and a roster's shift in July
		"accesses.csv": "officer_id,record_id,at,system,channel,terminal,purpose\n" +
			"O2,R1,2025-03-01T10:00:00Z,PNC,remote,T,\nO2,R2,2025-03-02T10:00:00Z,PNC,remote,T,\nO2,R3,2025-03-03T10:00:00Z,PNC,remote,T,\n" +
			"O4,R9,2027-01-01T10:00:00Z,PNC,onsite,T,\n", // a mistyped year
		"shifts.csv": "officer_id,date,start,end,declared_location\nO2,2025-03-01,09:00,17:00,onsite\nO2,2025-03-02,09:00,17:00,onsite\nO2,2025-07-05,09:00,17:00,onsite\n",
	}))
	late := writeSet(t, map[string]string{
		"declarations.csv": "officer_id,declared_id,type,declared_on,withdrawn_on\nO1,P1,association,2024-01-01,2025-02-01\n",
		"shifts.csv":       "officer_id,date,start,end,declared_location\nO2,2025-03-03,09:00,17:00,onsite\n",
		"accesses.csv":     "officer_id,record_id,at,system,channel,terminal,purpose\nO4,RH,2025-03-03T10:00:00Z,PNC,onsite,T,\n",
	})
	inc, flags := graphtest.IncrementalEqualsFull(t, s, func() {
		load(late)
		if _, err := s.AddSuppression(ctx, "A5", "station flats", "admin"); err != nil {
			t.Fatal(err)
		}
	})
	for pattern, want := range map[string]string{graph.PatUndisclosedAssociation: "O1 O3", graph.PatAttendanceMismatch: "O2", graph.PatPersonalInterest: "O4"} {
		if got := strings.Join(seenBy(flags, inc, pattern), " "); got != want {
			t.Errorf("%s flags seen by the incremental scan: %q, want %s", pattern, got, want)
		}
	}

	// a scan given --since saw nothing loaded before that time: the next
	// incremental scan starts from the last scan that saw everything
	load(writeSet(t, map[string]string{"relations.csv": "party_a,party_b,type,source,since\nO4,P2,associate,intel,2020-01-01\n"}))
	if _, err := s.Scan(ctx, probity.ScanOptions{Since: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	next, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{OfficerID: "O4", Pattern: graph.PatUndisclosedAssociation, Current: true})
	if err != nil || len(fs) != 1 || fs[0].ScanRunID != next.ID {
		t.Fatalf("O4's link loaded before a --since scan: flags %+v (%v), want one seen by the incremental scan %s", fs, err, next.ID)
	}
}

// TestIncrementalAttendanceLateSwipesClear: late swipes that leave an
// officer fewer than 3 mismatch days clear the flag, as the full scan
// would (incrS: the incremental scan left it).
func TestIncrementalAttendanceLateSwipesClear(t *testing.T) {
	s := graphtest.Open(t)
	day := mismatchDay
	graphtest.Fixture(t, s, `
		(O1:Officer)
		(O2:Officer)
		`+day("O1", "2025-05-10")+"\n"+day("O1", "2025-05-16")+"\n"+day("O1", "2025-05-22")+`
		`+day("O2", "2025-06-30")+`
	`)
	inc, _ := IncrementalEqualsFull(t, s, `
		MATCH (o1:Officer {id: 'O1'})
		CREATE (o1)-[:SWIPED]->(:BadgeSwipe {id: 'late1', at: datetime('2025-05-16T07:55:00Z'), site: 'HQ'})
		CREATE (o1)-[:SWIPED]->(:BadgeSwipe {id: 'late2', at: datetime('2025-05-22T07:55:00Z'), site: 'HQ'})`)
	if inc.Cleared != 1 {
		t.Fatalf("the incremental scan cleared %d flags, want O1's attendance-mismatch", inc.Cleared)
	}
}

// TestIncrementalSuppressedDegreeHubIsNotNew: an address that is a hub by
// degree and also on the hub list (the station front desk) is not a new
// hub to every incremental scan after the one that saw it: with nothing
// new, the scan looks at no officer (docsG: it looked at every officer
// within two links of it, each time).
func TestIncrementalSuppressedDegreeHubIsNotNew(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:LIVES_AT]->(H:Address)
		(O2:Officer)-[:LIVES_AT]->(H)
		(P:Person {poi: true})-[:LIVES_AT]->(H)
		(O1)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z'), channel: 'onsite'}]->(R:Record)
	`) // the look-up gives the full scan a watermark: the next scans are incremental
	run(t, s, fmt.Sprintf(`MATCH (h:Address {id: 'H'}) UNWIND range(1, %d) AS i CREATE (:Person {id: 'X' + i})-[:LIVES_AT]->(h)`, probity.HubDegree))
	if _, err := s.AddSuppression(ctx, "H", "station front desk", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
		if err != nil {
			t.Fatal(err)
		}
		if inc.Officers != 0 {
			t.Errorf("incremental scan %d with nothing new looked at %d officers, want 0", i+1, inc.Officers)
		}
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{Pattern: graph.PatUndisclosedAssociation, Current: true})
	if err != nil || len(fs) != 0 {
		t.Errorf("flags through the hub: %+v, %v", fs, err)
	}
}

// TestIncrementalRecountsAHub: an incremental scan that sees new links of a
// node already a hub by degree counts its neighbours anew, as a full scan
// does: the flags quote the count (incrA L1: it kept the first one).
func TestIncrementalRecountsAHub(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:LIVES_AT]->(H:Address)
		(O1)-[:ACCESSED {at: datetime('2025-03-01T10:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	run(t, s, fmt.Sprintf(`MATCH (h:Address {id: 'H'}) UNWIND range(1, %d) AS i CREATE (:Person {id: 'X' + i})-[:LIVES_AT]->(h)`, probity.HubDegree))
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	degree := func() int64 {
		n, err := s.CountForTest(ctx, `MATCH (h:Address:Hub {id: 'H'}) RETURN h.hubDegree`)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if d := degree(); d != probity.HubDegree+1 {
		t.Fatalf("after the full scan: hubDegree %d, want %d", d, probity.HubDegree+1)
	}
	graphtest.AddFixture(t, s, `
		(Y1:Person)-[:LIVES_AT {from: date('2025-03-02')}]->(H)
		(Y2:Person)-[:LIVES_AT {from: date('2025-03-02')}]->(H)
		(O1)-[:ACCESSED {at: datetime('2025-03-02T10:00:00Z'), channel: 'onsite'}]->(R)
	`)
	if _, err := s.Scan(ctx, probity.ScanOptions{Incremental: true}); err != nil {
		t.Fatal(err)
	}
	if d := degree(); d != probity.HubDegree+3 {
		t.Errorf("after the incremental scan: hubDegree %d, want %d, the full scan's", d, probity.HubDegree+3)
	}
}

// TestIncrementalRescoresWhenTheWatermarkMoves: undisclosed-association
// weighs a path's recency to the data's time (the scan's watermark), so a
// flag of an officer no new data touches changes with the watermark: its
// score, and here its lead finding too (P2's recent associate path leads
// at first, P1's older family path once the data is 17 months on). After
// an incremental scan the flag must read as a full scan of the same data
// would write it (incrA M2: it kept the older watermark's score and lead),
// while an officer with no flag whom nothing new touches is not looked at.
func TestIncrementalRescoresWhenTheWatermarkMoves(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'family', since: date('2015-01-01')}]->(P1:Person {poi: true})
		(O1)-[:RELATED_TO {type: 'associate', since: date('2025-01-01')}]->(P2:Person {poi: true})
		(O3:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(X3:Person)
		(O2:Officer)-[:ACCESSED {at: datetime('2025-01-02T10:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	full, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ua := func() probity.Flag {
		t.Helper()
		fs, err := s.Flags(ctx, probity.FlagFilter{OfficerID: "O1", Pattern: graph.PatUndisclosedAssociation, Current: true})
		if err != nil || len(fs) != 1 {
			t.Fatalf("O1's current undisclosed-association flags: %+v, %v", fs, err)
		}
		return fs[0]
	}
	before := ua()
	if !strings.Contains(before.Explanation, "person of interest P2") {
		t.Fatalf("after the first scan, want P2's recent path to lead: %s", before.Explanation)
	}
	// a later day's data moves the watermark 17 months on; nothing new is near O1 or O3
	graphtest.AddFixture(t, s, `(O2)-[:ACCESSED {at: datetime('2026-06-01T10:00:00Z'), channel: 'onsite'}]->(R)`)
	inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Since.Equal(full.Watermark) {
		t.Fatalf("incremental since %v, want the full scan's watermark %v", inc.Since, full.Watermark)
	}
	got := ua()
	again, err := s.Scan(ctx, probity.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := ua()
	if got.ID != want.ID || got.Score != want.Score || got.Explanation != want.Explanation ||
		got.InnocentExplanation != want.InnocentExplanation || !slices.Equal(got.EvidenceIDs, want.EvidenceIDs) {
		t.Errorf("O1's flag after the incremental scan:\n  %s %.3f %s %v\nafter a full scan of the same data:\n  %s %.3f %s %v",
			got.ID, got.Score, got.Explanation, got.EvidenceIDs, want.ID, want.Score, want.Explanation, want.EvidenceIDs)
	}
	if want.Score == before.Score || !strings.Contains(want.Explanation, "person of interest P1") {
		t.Errorf("the test's premise: the score (%.3f, then %.3f) and the lead (%s) should change with the watermark", before.Score, want.Score, want.Explanation)
	}
	if again.NewFlags != 0 || again.Updated == 0 {
		t.Errorf("the full scan after: %d new flags, %d updated", again.NewFlags, again.Updated)
	}
	// O1 (its flag rescored) only: not O3 (no flag, nothing new near it), nor O2 (a new look-up in no hit)
	if inc.Officers != 1 {
		t.Errorf("the incremental scan looked at %d officers, want 1 (O1)", inc.Officers)
	}
}

// A scan of a window (--from) rewrites the wording of a flag whose
// evidence it finds ("since 2025-06-01", the window's first payment), and
// its data time is the watermark, as a full scan's: the incremental scan
// after it must look at that officer again, not take the window's run for
// a scan of the whole data (reviewQ M1).
func TestIncrementalAfterAWindowedScan(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	paidTwice(t, s, "2024-01-01", "2025-06-01")
	graphtest.AddFixture(t, s, `
		(O2:Officer)-[:ACCESSED {at: datetime('2025-06-01T09:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	graphtest.IncrementalEqualsFull(t, s, func() {
		if _, err := s.Scan(ctx, probity.ScanOptions{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		// a late look-up, dated before the watermark: the watermark does not move
		run(t, s, `MATCH (o:Officer {id: 'O2'}), (r:Record {id: 'R'}) CREATE (o)-[:ACCESSED {at: datetime('2025-05-01T09:00:00Z'), channel: 'onsite'}]->(r)`)
	})
}

// A reviewed flag the scans no longer find (NotFoundAt) keeps the run that
// last found it, and no scan rescores it, full or incremental: an
// incremental scan with no new data must not look at its officer again
// and again (reviewQ L1).
func TestIncrementalSkipsFlagsNoLongerFound(t *testing.T) {
	s := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Fixture(t, s, `
		(O1:Officer)-[:RELATED_TO {type: 'associate', since: date('2024-01-01')}]->(P1:Person {poi: true})
		(P2:Person {poi: true})
		(O2:Officer)-[:ACCESSED {at: datetime('2025-06-01T09:00:00Z'), channel: 'onsite'}]->(R:Record)
	`)
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Flags(ctx, probity.FlagFilter{OfficerID: "O1", Pattern: graph.PatUndisclosedAssociation, Current: true})
	if err != nil || len(fs) != 1 {
		t.Fatalf("flags of O1: %v, %v", fs, err)
	}
	if _, err := s.ReviewFlag(ctx, fs[0].ID, "rev", probity.FlagInReview, "looking at it", nil); err != nil {
		t.Fatal(err)
	}
	// a second person of interest: new evidence, a new flag; the reviewed one is no longer found
	run(t, s, `MATCH (o:Officer {id: 'O1'}), (p:Person {id: 'P2'}) CREATE (o)-[:RELATED_TO {type: 'associate', since: date('2025-05-01')}]->(p)`)
	// and a later day's look-up: the watermark moves
	run(t, s, `MATCH (o:Officer {id: 'O2'}), (r:Record {id: 'R'}) CREATE (o)-[:ACCESSED {at: datetime('2025-07-01T09:00:00Z'), channel: 'onsite'}]->(r)`)
	if _, err := s.Scan(ctx, probity.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		inc, err := s.Scan(ctx, probity.ScanOptions{Incremental: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range inc.Steps {
			if strings.Contains(st.Step, "more officers") && !strings.HasPrefix(st.Step, graph.PatUndisclosedAssociation+": 0 ") {
				t.Errorf("incremental scan %d, no new data: %s", i+1, st.Step)
			}
		}
	}
}
