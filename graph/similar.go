package graph

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

var similarProfileCypher = cypherOf("similar-profile.cypher")

// RelSimilarTo is similar-to-confirmed's evidence edge (probity.RelSimilarTo).
const RelSimilarTo = probity.RelSimilarTo

// profileFeatures names the dimensions of the behaviour profile, in order:
// one signal per other pattern (its best open score), then the
// unassigned-access rate, payments received and made, complaints as accused
// and sustained complaints (counts scaled by log1p / log1p(max)).
func profileFeatures() []string {
	var f []string
	for _, p := range []string{PatUndisclosedAssociation, PatAccessForGain, PatPersonalInterest, PatVolumeOutlier,
		PatAttendanceMismatch, PatBusinessInterest, PatCollusionRing, PatCoAccusedCrew, PatTripwire} {
		f = append(f, "signal:"+p)
	}
	return append(f, "unassignedRate", "paymentsIn", "paymentsOut", "complaints", "sustained")
}

type profile struct {
	officer string
	proven  []string
	v       []float64
	counts  map[string]int // the counted features as counted (complaints, sustained, payments)
	looks   lookups        // what its unassignedRate is of
}

// lookups are an officer's look-ups in the window: the unassigned ones
// and all.
type lookups struct{ unassigned, all int }

// fewLookups is how few look-ups make an unassigned-access rate a weak
// feature: one look-up more or less moves it by a tenth or more, and a
// single unassigned look-up of one is a rate of 1 (rulesM M2). The flag
// says so; the rate stays the feature.
const fewLookups = 10

// runSimilarToConfirmed ranks the officers without proven misconduct by how
// near their behaviour profile (profileFeatures) is to those of officers
// with it, and flags the first topK of at least minSimilarity. With no
// confirmed officer to compare with it notes so and flags no one.
func runSimilarToConfirmed(sc *scan, p *patternDef) ([]hit, error) {
	vol, err := sc.volume()
	if err != nil {
		return nil, err
	}
	params := sc.params(p, map[string]any{"self": PatSimilarToConfirmed})
	t0 := time.Now()
	res, err := sc.s.query(sc.ctx, sc.cypher(similarProfileCypher), params, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.info.Name, err)
	}
	sc.step("similar-to-confirmed: profiles", t0)
	features := profileFeatures()
	// rate is a feature; count, the unassigned accesses scaled as the
	// other counts (log1p / log1p(max)), only orders ties of similarity
	// (two officers whose every access was unassigned share a rate of 1,
	// whether they made 1 or 40).
	looks, count := map[string]lookups{}, map[string]float64{}
	maxCount := 0.0
	for _, v := range vol {
		looks[v.officer] = lookups{unassigned: v.x, all: v.total}
		count[v.officer] = math.Log1p(float64(v.x))
		maxCount = math.Max(maxCount, count[v.officer])
	}
	apart := func(a, b *profile) float64 {
		if maxCount == 0 {
			return 0
		}
		return math.Abs(count[a.officer]-count[b.officer]) / maxCount
	}
	profiles, confirmed := readProfiles(res.Records, features, looks)
	if len(confirmed) == 0 {
		sc.note(p, "no officer with proven misconduct and a behaviour profile to compare with")
		return nil, nil
	}
	ranking := rankSimilar(profiles, confirmed, int(num(p.param("neighbours"))), apart)
	return similarHits(sc, features, ranking, int(num(p.param("topK"))), num(p.param("minSimilarity"))), nil
}

// maxTopK is the most officers similar-to-confirmed flags (topK's bound):
// each rank's score is at least 0.001 below the one before, so from rank
// 1,001 every score was 0 (rulesM L1); a topK stored above it before (the
// bound was 10,000) is read as it (withThresholds' clamped).
const maxTopK = 1000

// readProfiles builds the officers' behaviour profiles from the records of
// similar-profile.cypher and their look-ups (the unassigned-access rate), the counts
// scaled by log1p / log1p(max), and returns them with those of the
// confirmed officers (proven misconduct and a profile that is not zero).
func readProfiles(records []*neo4j.Record, features []string, looks map[string]lookups) (profiles, confirmed []*profile) {
	index := map[string]int{}
	for i, f := range features {
		index[f] = i
	}
	maxOf := map[string]float64{}
	for _, rec := range records {
		r := rec.AsMap()
		pr := &profile{officer: str(r["officer"]), v: make([]float64, len(features)), counts: map[string]int{}}
		pr.proven = asStrings(r["proven"])
		for _, f := range asList(r["flags"]) {
			m := asMap(f)
			if i, ok := index["signal:"+str(m["pattern"])]; ok {
				pr.v[i] = math.Max(pr.v[i], num(m["score"]))
			}
		}
		pr.looks = looks[pr.officer]
		if pr.looks.all > 0 {
			pr.v[index["unassignedRate"]] = float64(pr.looks.unassigned) / float64(pr.looks.all)
		}
		for _, k := range []string{"paymentsIn", "paymentsOut", "complaints", "sustained"} {
			pr.counts[k] = int(num(r[k]))
			maxOf[k] = math.Max(maxOf[k], math.Log1p(float64(pr.counts[k])))
		}
		profiles = append(profiles, pr)
	}
	for _, pr := range profiles {
		for _, k := range []string{"paymentsIn", "paymentsOut", "complaints", "sustained"} {
			if maxOf[k] > 0 {
				pr.v[index[k]] = math.Log1p(float64(pr.counts[k])) / maxOf[k]
			}
		}
		if len(pr.proven) > 0 && nonZero(pr.v) {
			confirmed = append(confirmed, pr)
		}
	}
	return profiles, confirmed
}

// similarRank is an officer's place in similar-to-confirmed's ranking.
type similarRank struct {
	pr      *profile
	sim     float64
	apart   float64 // from the nearest, in unassigned accesses: orders ties
	nearest []*profile
	sims    []float64
}

// rankSimilar ranks the profiles that are not confirmed and not zero by
// their similarity to the nearest confirmed profile, each with its k
// nearest; ties go to the nearer in unassigned accesses (apart), then to
// the officer id.
func rankSimilar(profiles, confirmed []*profile, k int, apart func(a, b *profile) float64) []similarRank {
	var ranking []similarRank
	for _, pr := range profiles {
		if len(pr.proven) > 0 || !nonZero(pr.v) {
			continue
		}
		type near struct {
			c          *profile
			sim, apart float64
		}
		ns := make([]near, len(confirmed))
		for i, c := range confirmed {
			ns[i] = near{c, 1 / (1 + distance(pr.v, c.v)), apart(pr, c)}
		}
		sort.Slice(ns, func(i, j int) bool {
			if ns[i].sim != ns[j].sim {
				return ns[i].sim > ns[j].sim
			}
			if ns[i].apart != ns[j].apart {
				return ns[i].apart < ns[j].apart
			}
			return ns[i].c.officer < ns[j].c.officer
		})
		rk := similarRank{pr: pr, sim: ns[0].sim, apart: ns[0].apart}
		for i := 0; i < len(ns) && i < k; i++ {
			rk.nearest = append(rk.nearest, ns[i].c)
			rk.sims = append(rk.sims, ns[i].sim)
		}
		ranking = append(ranking, rk)
	}
	sort.Slice(ranking, func(i, j int) bool {
		if ranking[i].sim != ranking[j].sim {
			return ranking[i].sim > ranking[j].sim
		}
		if ranking[i].apart != ranking[j].apart {
			return ranking[i].apart < ranking[j].apart
		}
		return ranking[i].pr.officer < ranking[j].pr.officer
	})
	return ranking
}

// simTolerance is how far below minSimilarity a similarity still counts as
// at it: rounding error, far below the 0.01 the library's bounds step by.
const simTolerance = 1e-9

// similarHits turns the first topK of the ranking of at least minSim into
// hits (the officers the scan wants), each with its nearest confirmed
// officers, their proven cases and the SIMILAR_TO edges as evidence.
func similarHits(sc *scan, features []string, ranking []similarRank, topK int, minSim float64) []hit {
	var hs []hit
	prev := 2.0 // the score of the officer ranked before
	for i, rk := range ranking {
		// within rounding of the bound is at it: 1/(1+1/3) is 0.7499999999999999
		// in floating point, and the documented 0.75 ("distance ≤ 1/3") left
		// such an officer out (rulesL)
		if i >= topK || rk.sim < minSim-simTolerance {
			break
		}
		// The score orders the ranking: the similarity, but at least 0.001
		// below the score ranked before, so that officers of equal
		// similarity are told apart (ties go to the nearer count of
		// unassigned accesses) wherever flags are sorted by score: the
		// queue, probity flags --format csv, probity eval's precision@k
		// (rulesG). The explanation and the SIMILAR_TO edges keep the
		// similarity itself.
		score := min(round3(rk.sim), round3(prev-0.001))
		prev = score
		if !sc.wanted(rk.pr.officer) {
			continue
		}
		var names []string
		h := hit{officer: rk.pr.officer, score: score}
		h.ev.addNode(rk.pr.officer, probity.LabelOfficer)
		for j, c := range rk.nearest {
			names = append(names, fmt.Sprintf("%s (proven case %s, similarity %.2f)", c.officer, strings.Join(c.proven, "/"), rk.sims[j]))
			h.ev.addNode(c.officer, probity.LabelOfficer)
			h.ev.addEdge(probity.EvidenceEdge{Type: RelSimilarTo, From: rk.pr.officer, To: c.officer,
				Props: map[string]any{"similarity": round3(rk.sims[j])}})
			for _, m := range c.proven {
				h.ev.addNode(m, probity.LabelMisconductCase)
				h.ev.addEdge(probity.EvidenceEdge{Type: probity.RelSubjectOf, From: c.officer, To: m, Props: map[string]any{"outcome": "proven"}})
			}
		}
		h.explanation = fmt.Sprintf("Officer %s ranks %d of %d by similarity of behaviour profile (each part from 0 to 1 across the force; counts in brackets: %s) to officers with proven misconduct; nearest: %s.",
			rk.pr.officer, i+1, len(ranking), describeProfile(features, rk.pr), strings.Join(names, ", "))
		h.innocent = similarInnocent(rk.pr)
		hs = append(hs, h)
	}
	return hs
}

// describeProfile names a profile's non-zero parts, the counted ones with
// their counts ("complaints 0.77 (3)": analystZ read the scaled value as
// a count).
func describeProfile(features []string, pr *profile) string {
	var parts []string
	for i, f := range features {
		if pr.v[i] <= 0 {
			continue
		}
		part := fmt.Sprintf("%s %.2f", strings.TrimPrefix(f, "signal:"), pr.v[i])
		if n, ok := pr.counts[f]; ok {
			part += fmt.Sprintf(" (%d)", n)
		}
		if f == "unassignedRate" {
			part += fmt.Sprintf(" (%d of %d look-ups)", pr.looks.unassigned, pr.looks.all)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// similarInnocent is the innocent reading a profile's parts allow: a
// complaint is an allegation, and none of the officer's was sustained
// (analystZ: "none found" where all were unfounded); "" when none.
func similarInnocent(pr *profile) string {
	var why []string
	if n := pr.looks.all; n < fewLookups && pr.looks.unassigned > 0 { // a rate of 0 is not in the explanation (reviewM L6)
		why = append(why, fmt.Sprintf("the unassigned-access rate is of %d look-up%s only, a weak likeness: one look-up more or less would move it by a tenth or more", n, plural(n)))
	}
	if n := pr.counts["complaints"]; n > 0 && pr.counts["sustained"] == 0 {
		why = append(why, fmt.Sprintf("none of the %d complaint%s naming the officer as accused was sustained: a complaint is an allegation, not a finding", n, plural(n)))
	}
	return strings.Join(why, "; ")
}

func nonZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}

func distance(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(s)
}
