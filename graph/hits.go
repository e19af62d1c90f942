package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"probity"
)

// hit is one pattern's finding on one officer before it becomes a flag.
type hit struct {
	officer     string
	score       float64
	explanation string
	innocent    string
	ev          evidence
	// brief names the finding in a few words, for the flag of several
	// findings whose wording is the best one's: "(and 1 more such finding:
	// with OFF000173, ...)" instead of leaving the others unnamed (analystD
	// L3: a collusion ring's third officer was on the chart only)
	brief string
}

// evidence collects nodes and edges without duplicates.
type evidence struct {
	nodes map[string]probity.EvidenceNode
	edges map[string]probity.EvidenceEdge
	// uncharted are fingerprint keys of evidence past a flag's cap (the
	// findings beyond the strongest 20, the count of look-ups beyond those
	// sampled): not stored or charted, but a change in them changes the
	// fingerprint, so the case grown past the cap is a new flag.
	uncharted map[string]bool
}

// beyondCap adds keys to the fingerprint without charting anything.
func (e *evidence) beyondCap(keys ...string) {
	if e.uncharted == nil {
		e.uncharted = map[string]bool{}
	}
	for _, k := range keys {
		e.uncharted[k] = true
	}
}

func (e *evidence) addNode(id, label string) {
	if id == "" {
		return
	}
	if e.nodes == nil {
		e.nodes = map[string]probity.EvidenceNode{}
	}
	if _, ok := e.nodes[id]; !ok || label != "" {
		e.nodes[id] = probity.EvidenceNode{ID: id, Label: label}
	}
}

func (e *evidence) addEdge(x probity.EvidenceEdge) {
	if e.edges == nil {
		e.edges = map[string]probity.EvidenceEdge{}
	}
	if x.ID == "" {
		x.ID = x.Type + ":" + x.From + ":" + x.To
		if x.At != "" {
			x.ID += ":" + x.At
		}
	}
	e.edges[x.ID] = x
}

// addRow adds the nodes and edges lists a query returned ({{node}}, {{edge}}).
func (e *evidence) addRow(nodes, edges any) {
	for _, n := range asList(nodes) {
		m := asMap(n)
		e.addNode(str(m["id"]), str(m["label"]))
	}
	for _, x := range asList(edges) {
		m := asMap(x)
		ed := probity.EvidenceEdge{ID: str(m["id"]), Type: str(m["type"]), From: str(m["from"]), To: str(m["to"]),
			Source: str(m["source"]), At: str(m["at"])}
		props := map[string]any{}
		for _, k := range []string{"relType", "until", "amount", "currency", "channel", "role", "finding"} {
			if v, ok := m[k]; ok && v != nil {
				props[k] = v
			}
		}
		if len(props) > 0 {
			ed.Props = props
		}
		e.addEdge(ed)
	}
}

func (e *evidence) merge(o evidence) {
	for _, n := range o.nodes {
		e.addNode(n.ID, n.Label)
	}
	for _, x := range o.edges {
		e.addEdge(x)
	}
}

// hasImportID says whether evidence nodes of label have an import-format
// id: shifts and badge swipes have none (their ids are derived, and a
// migration rewrote them), so evidence ids and the carry-over leave them out.
func hasImportID(label string) bool {
	return label != probity.LabelShift && label != probity.LabelBadgeSwipe
}

// final returns the sorted evidence, the import-format ids (nodes and
// payments; not shifts and badge swipes, which have no id in the import
// format, only a key made of officer_id and date or time) and the
// fingerprint: a hash of every node and edge id (and of the evidence past
// the flag's cap), so a new access or payment in the evidence changes it.
func (e *evidence) final() (probity.Evidence, []string, string) {
	var out probity.Evidence
	var ids, keys []string
	for _, n := range e.nodes {
		out.Nodes = append(out.Nodes, n)
		if hasImportID(n.Label) {
			ids = append(ids, n.ID)
		}
		keys = append(keys, "n:"+n.ID)
	}
	for _, x := range e.edges {
		out.Edges = append(out.Edges, x)
		if x.Type == probity.RelPaid {
			ids = append(ids, x.ID)
		}
		keys = append(keys, "e:"+x.ID)
	}
	sort.Slice(out.Nodes, func(i, j int) bool { return out.Nodes[i].ID < out.Nodes[j].ID })
	sort.Slice(out.Edges, func(i, j int) bool { return out.Edges[i].ID < out.Edges[j].ID })
	if len(e.uncharted) > 0 {
		charted := make(map[string]bool, len(keys))
		for _, k := range keys {
			charted[k] = true
		}
		for k := range e.uncharted {
			if !charted[k] {
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(ids)
	sort.Strings(keys)
	h := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return out, ids, hex.EncodeToString(h[:16])
}

// group keeps, per officer, the best-scoring hit and merges the evidence of
// the others (at most maxPerFlag), noting how many more there were.
func group(hs []hit) []hit {
	const maxPerFlag = 20
	by := map[string][]hit{}
	var order []string
	for _, h := range hs {
		if _, ok := by[h.officer]; !ok {
			order = append(order, h.officer)
		}
		by[h.officer] = append(by[h.officer], h)
	}
	sort.Strings(order)
	out := make([]hit, 0, len(order))
	for _, o := range order {
		list := by[o]
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].score != list[j].score {
				return list[i].score > list[j].score
			}
			return list[i].explanation < list[j].explanation
		})
		best := list[0]
		g := hit{officer: o, score: best.score, explanation: best.explanation, innocent: best.innocent}
		for i, h := range list {
			if i < maxPerFlag {
				g.ev.merge(h.ev)
				continue
			}
			for id := range h.ev.nodes {
				g.ev.beyondCap("n:" + id)
			}
			for id := range h.ev.edges {
				g.ev.beyondCap("e:" + id)
			}
		}
		if n := len(list) - 1; n > 0 {
			more := fmt.Sprintf(" (and %d more such finding%s", n, plural(n))
			var briefs []string
			for _, h := range list[1:] {
				if h.brief != "" {
					briefs = append(briefs, h.brief)
				}
			}
			if len(briefs) > 0 {
				more += ": " + listShort(briefs, 3)
			}
			if len(list) > maxPerFlag {
				more += fmt.Sprintf("; the evidence holds the %d strongest", maxPerFlag)
			}
			g.explanation = strings.TrimSuffix(g.explanation, ".") + more + ")."
		}
		out = append(out, g)
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// assignmentInnocent reads an assignmentNote and says what might make the
// access innocent: an assignment to the record's case that ended shortly
// before or started shortly after it, or a stated purpose.
func assignmentInnocent(note any, accessAt string) string {
	m := asMap(note)
	day, err := time.Parse(time.RFC3339, accessAt)
	var parts []string
	if err == nil {
		d := day.UTC().Truncate(24 * time.Hour)
		best, bestGap := "", math.MaxInt
		for _, a := range asList(m["asg"]) {
			am := asMap(a)
			if to, err := time.Parse("2006-01-02", str(am["to"])); err == nil && to.Before(d) {
				gap := int(d.Sub(to).Hours() / 24)
				if gap < bestGap {
					best, bestGap = fmt.Sprintf("assigned to case %s until %s, %d day%s before this look-up", str(am["case"]), str(am["to"]), gap, plural(gap)), gap
				}
			}
			if from, err := time.Parse("2006-01-02", str(am["from"])); err == nil && from.After(d) {
				gap := int(from.Sub(d).Hours() / 24)
				if gap < bestGap {
					best, bestGap = fmt.Sprintf("assigned to case %s from %s, %d day%s after this look-up", str(am["case"]), str(am["from"]), gap, plural(gap)), gap
				}
			}
		}
		if best != "" {
			parts = append(parts, best)
		}
	}
	if p := str(m["purpose"]); p != "" {
		parts = append(parts, fmt.Sprintf("purpose recorded as %q", p))
	}
	return strings.Join(parts, "; ")
}

// listShort joins at most max items, saying how many more there are.
func listShort(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:max], ", "), len(items)-max)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// asStrings is a list of values as text (nil when there are none).
func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, str(x))
	}
	return out
}

// listOrNull is a list parameter that stores no property when empty (a
// Cypher property set to null is not written; an empty list would be).
func listOrNull(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return l
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

func num(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// dayOf returns the UTC day of an RFC 3339 time or a date string.
func dayOf(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format("2006-01-02")
	}
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

func money(amount any, currency any) string {
	c := str(currency)
	switch {
	case amount == nil && c == "":
		return "an amount not recorded"
	case amount == nil:
		return "an amount not recorded (" + c + ")"
	case c == "":
		return fmt.Sprintf("%.2f (currency not recorded)", num(amount)) // not a guess at one
	}
	return fmt.Sprintf("%.2f %s", num(amount), c)
}
