package fairness

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"probity"
)

// Benjamini-Hochberg at 5% over the compared groups: the largest rank k
// whose p is at most k/m·0.05 and every smaller p pass; a group not
// compared is never marked.
func TestMarkFDR(t *testing.T) {
	ps := []float64{0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216}
	rep := probity.FairnessReport{}
	for _, p := range ps {
		rep.Groups = append(rep.Groups, probity.FairnessGroup{Compared: true, P: p, BeyondChance: p < 0.05})
	}
	rep.Groups = append(rep.Groups, probity.FairnessGroup{P: 0})
	markFDR(&rep)
	// m = 10: 0.001 <= 0.005, 0.008 <= 0.010, 0.039 > 0.015, 0.041 > 0.020, 0.042 > 0.025
	for i, g := range rep.Groups {
		if want := i < 2; g.BeyondChanceFDR != want {
			t.Errorf("group %d (p %v): FDR mark %v, want %v", i, g.P, g.BeyondChanceFDR, want)
		}
	}
}

// A report of five officers: groups by each attribute that groups them,
// the officers with no value their own group, a small group's officers
// kept for the audit, an identifier not compared (and refused when asked
// for), one attribute's report over its own groups only.
func TestReport(t *testing.T) {
	o := func(id, unit, rank string, flagged bool) Officer {
		p := map[string]any{"id": id, "badge": "B-" + id, "score": 3.0}
		if unit != "" {
			p["unit"] = unit
		}
		if rank != "" {
			p["rank"] = rank
		}
		return Officer{Props: p, Flagged: flagged}
	}
	officers := []Officer{o("O1", "U1", "PC", true), o("O2", "U1", "PC", true), o("O3", "U2", "PC", false), o("O4", "", "PS", false), o("O5", "U2", "PS", false)}
	// O1's flag stands, O2's was cleared: counted beside (statA L6)
	officers[0].Standing = true
	officers = append(officers, Officer{Props: map[string]any{"id": "O6", "unit": "", "rank": "PS", "badge": "B-O6"}}) // an empty unit is none (reviewF L5)
	rep, err := Report(officers, probity.FairnessQuery{Pattern: "p"}, time.Time{})
	if err != nil || rep.Officers != 6 || rep.Flagged != 2 || rep.FlaggedStanding != 1 || rep.Pattern != "p" {
		t.Fatalf("report %+v, %v", rep, err)
	}
	groups := map[string]probity.FairnessGroup{}
	for _, g := range rep.Groups {
		groups[g.Attribute+"="+g.Value] = g
	}
	if g := groups["unit="]; !g.NotRecorded || g.Officers != 2 || strings.Join(g.SmallOfficers, ",") != "O4,O6" {
		t.Errorf("the officers with no unit: %+v", g)
	}
	if g := groups["unit=U1"]; g.Officers != 2 || g.Flagged != 2 || !g.Small || strings.Join(g.SmallOfficers, ",") != "O1,O2" || g.Ratio == nil || *g.Ratio != 3 || !g.Compared {
		t.Errorf("U1: %+v", g)
	}
	if _, ok := groups["badge=B-O1"]; ok || !slices.Contains(rep.NotCompared, "badge (6 values, none shared by two officers: taken for an identifier, not compared)") {
		t.Errorf("an identifier compared: %v", rep.NotCompared)
	}
	// asked for by name it is still refused: each group would be one
	// officer named by the identifier, beside whether a flag concerns them
	// (reviewR L5; an attribute of many shared values is compared: statA L3)
	if _, err := Report(officers, probity.FairnessQuery{Attribute: "badge"}, time.Time{}); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), "no value two officers share") {
		t.Errorf("an identifier asked for: %v", err)
	}
	// a property that is no grouping says so, and what the report compares
	if _, err := Report(officers, probity.FairnessQuery{Attribute: "id"}, time.Time{}); probity.ErrorCode(err) != probity.EINVALID || !strings.Contains(err.Error(), "not a grouping") || !strings.Contains(err.Error(), "rank, unit") {
		t.Errorf("the id asked for: %v", err)
	}
	byRank, err := Report(officers, probity.FairnessQuery{Attribute: "rank"}, time.Time{})
	if err != nil || len(byRank.NotCompared) != 0 || byRank.Comparisons != 2 {
		t.Fatalf("by rank: %+v, %v", byRank, err)
	}
}

// A boolean attribute groups as a text one does; an attribute one officer
// holds is a grouping (that officer against those with none), one value
// every officer holds is not compared; the attributes not compared are listed sorted, whatever the map order
// (mutT L2-L4).
func TestReportBooleansOneValueAndSortedNotCompared(t *testing.T) {
	var officers []Officer
	for i := range 12 {
		id := fmt.Sprintf("O%02d", i)
		officers = append(officers, Officer{Props: map[string]any{"id": id, "sworn": i%3 != 0, "force": "F1",
			"email": id + "@force.test", "badge": "B" + id}, Flagged: i < 4})
		if i == 0 {
			officers[i].Props["seconded"] = "S1"
		}
	}
	for range 20 {
		rep, err := Report(officers, probity.FairnessQuery{Pattern: "p"}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		groups := map[string]probity.FairnessGroup{}
		for _, g := range rep.Groups {
			groups[g.Attribute+"="+g.Value] = g
		}
		if g := groups["sworn=true"]; g.Officers != 8 || g.Flagged != 2 || groups["sworn=false"].Officers != 4 {
			t.Fatalf("a boolean attribute's groups: %+v", rep.Groups)
		}
		if g, ok := groups["seconded=S1"]; !ok || g.Officers != 1 || groups["seconded="].Officers != 11 {
			t.Fatalf("an attribute one officer holds: %+v", rep.Groups)
		}
		if want := []string{"badge (12 values, none shared by two officers: taken for an identifier, not compared)", "email (12 values, none shared by two officers: taken for an identifier, not compared)", "force (one value for every officer)"}; !slices.Equal(rep.NotCompared, want) {
			t.Fatalf("not compared: %q, want %q", rep.NotCompared, want)
		}
	}
}

// A group keeps its officers' ids only while it is small.
func TestCountKeepsSmallGroupsOnly(t *testing.T) {
	c := &count{}
	for i := 0; i < SmallGroup; i++ {
		if c.add(string(rune('a'+i)), i%2 == 0); i == SmallGroup-2 && len(c.ids) != SmallGroup-1 {
			t.Fatalf("a group of %d keeps %d ids, want all (reviewF L6)", SmallGroup-1, len(c.ids))
		}
	}
	if c.n != SmallGroup || c.f != SmallGroup/2 || c.ids != nil {
		t.Fatalf("count %+v", c)
	}
}

// Groups with counts enough for the score test: a p-value and an interval
// that agree (the interval leaves out 1 exactly when p < 0.05), and the
// small-group boundary at 10 officers (mutT H2, L1).
func TestReportScoreTest(t *testing.T) {
	var officers []Officer
	add := func(unit string, n, flagged int) {
		for i := 0; i < n; i++ {
			officers = append(officers, Officer{Props: map[string]any{"id": fmt.Sprintf("%s-%d", unit, i), "unit": unit}, Flagged: i < flagged})
		}
	}
	add("U1", 20, 15)
	add("U2", 10, 2)
	add("U3", 9, 3)
	rep, err := Report(officers, probity.FairnessQuery{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Groups {
		switch g.Value {
		case "U1":
			// 15 of 20 against 5 of the 19 others: chi² 9.24, p 0.00236 (Pearson, no correction)
			if !g.HasInterval || math.Abs(g.P-0.00236) > 1e-5 || !g.BeyondChance || g.Small || g.SmallOfficers != nil {
				t.Errorf("U1: %+v", g)
			}
		case "U2":
			if g.Small || g.SmallOfficers != nil {
				t.Errorf("a group of 10 is not small: %+v", g)
			}
		case "U3":
			if !g.Small || len(g.SmallOfficers) != 9 {
				t.Errorf("a group of 9 is small, its officers kept: %+v", g)
			}
		}
		if g.HasInterval && g.BeyondChance != (g.P < 0.05) || g.HasInterval && g.BeyondChance != (g.RatioLow > 1 || g.RatioHigh < 1) {
			t.Errorf("%s: p %v and interval %v-%v disagree on beyond chance %v", g.Value, g.P, g.RatioLow, g.RatioHigh, g.BeyondChance)
		}
	}
}

// A force of 1,200 officers in 600 teams of two: DESIGN names unit (and
// rank) as groupings the report compares, so they are compared over 500
// values; another attribute over 500 values is left out with that rule
// named, and compared when asked for by name (statA L3).
func TestReportUnitAndRankOver500Values(t *testing.T) {
	var officers []Officer
	for i := 0; i < 1200; i++ {
		officers = append(officers, Officer{Props: map[string]any{
			"id": fmt.Sprintf("O%d", i), "unit": fmt.Sprintf("Team %d", i/2), "rank": fmt.Sprintf("R%d", i/2), "team": fmt.Sprintf("T%d", i/2),
		}, Flagged: i < 40 || (i < 400 && i%2 == 0 && i%3 == 0)})
	}
	rep, err := Report(officers, probity.FairnessQuery{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for _, g := range rep.Groups {
		by[g.Attribute]++
	}
	if by["unit"] != 600 || by["rank"] != 600 || by["team"] != 0 {
		t.Fatalf("groups by attribute %v, want 600 of unit and rank, none of team", by)
	}
	if want := []string{"team (600 values, more than 500: taken for an identifier; ask for it by name to compare it)"}; !slices.Equal(rep.NotCompared, want) {
		t.Fatalf("not compared: %q, want %q", rep.NotCompared, want)
	}
	for _, a := range []string{"unit", "team"} {
		one, err := Report(officers, probity.FairnessQuery{Attribute: a}, time.Time{})
		if err != nil || len(one.Groups) != 600 || one.Comparisons != 600 {
			t.Errorf("fairnessReport(attribute: %q): %d groups, %d comparisons, %v", a, len(one.Groups), one.Comparisons, err)
		}
	}
}

// Nobody flagged (a pattern that raised nothing): every group's ratio is
// 0/0, none, not 0 shown against the 1.00 line, and nothing is compared
// (statA L2).
func TestReportNoFlagsHasNoRatio(t *testing.T) {
	var officers []Officer
	for i := 0; i < 50; i++ {
		officers = append(officers, Officer{Props: map[string]any{"id": fmt.Sprintf("O%d", i), "gender": []string{"f", "m"}[i%2]}})
	}
	rep, err := Report(officers, probity.FairnessQuery{}, time.Time{})
	if err != nil || len(rep.Groups) != 2 || rep.Rate != 0 || rep.Comparisons != 0 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	for _, g := range rep.Groups {
		if g.Ratio != nil || g.Compared {
			t.Errorf("%s=%s: ratio %v, compared %v with nobody flagged", g.Attribute, g.Value, g.Ratio, g.Compared)
		}
	}
	js, err := json.Marshal(rep.Groups[0])
	if err != nil || !strings.Contains(string(js), `"ratio":null`) {
		t.Errorf("json %s, %v", js, err)
	}
}
