package graph

import (
	"context"
	"fmt"
	"strings"

	"probity"
)

// Recusal says how the officer me (a reviewer's own officer record) is
// linked to each of officers, in their order (DESIGN: "within 3
// association links, or the same unit and line manager"): the same
// officer; one the other's line manager; the same unit and line manager
// (with no line manager recorded for either, an optional column, the same
// unit alone counts); a path of at most probity.RecusalHops association
// links through no hub (Paths avoids nodes of more than HubDegree
// neighbours; the last scan's Hub marks, hubReason, also cover suppressed
// identifiers). An officer not in the graph, or me not in it, has no
// reasons. The entities are read in one query; each path is one more.
func (s *Store) Recusal(ctx context.Context, me string, officers []string) ([]probity.RecusalLink, error) {
	out := make([]probity.RecusalLink, len(officers))
	refs := []probity.Ref{{Label: probity.LabelOfficer, ID: me}}
	for i, o := range officers {
		out[i].OfficerID = o
		refs = append(refs, probity.Ref{Label: probity.LabelOfficer, ID: o})
	}
	ns, err := s.Entities(ctx, refs)
	if err != nil {
		return nil, err
	}
	props := map[string]map[string]any{}
	for _, n := range ns {
		props[n.ID] = n.Properties
	}
	mine, inGraph := props[me]
	var paths []probity.PathResult
	for i, o := range officers {
		if o == me { // whether or not the record is in the graph (secH)
			out[i].Reasons = []string{"the flag concerns your own officer record"}
			paths = append(paths, probity.PathResult{})
			continue
		}
		theirs, ok := props[o]
		if !ok || !inGraph { // no record of theirs, or of the token's officer: nothing to link
			paths = append(paths, probity.PathResult{})
			continue
		}
		out[i].Reasons = sameLine(mine, theirs, me, o)
		res, err := s.Paths(ctx, probity.PathQuery{From: refs[0], To: refs[i+1], MaxHops: probity.RecusalHops,
			RelTypes: probity.AssociationRels, Limit: probity.MaxPaths})
		if err != nil {
			return nil, err
		}
		paths = append(paths, res)
	}
	hub, err := s.hubsAmong(ctx, paths)
	if err != nil {
		return nil, err
	}
	for i, res := range paths {
		for _, p := range res.Paths {
			if throughHub(p, hub) {
				continue
			}
			out[i].Reasons = append(out[i].Reasons, fmt.Sprintf("linked within %d association links (%s)", len(p.EdgeIDs), strings.Join(p.NodeIDs, " – ")))
			out[i].PathIDs = p.NodeIDs
			break
		}
	}
	return out, nil
}

// sameLine lists the unit and line-manager links between officers a
// (id aID) and b (id bID), given their properties.
func sameLine(a, b map[string]any, aID, bID string) []string {
	var reasons []string
	ua, _ := a["unit"].(string)
	ub, _ := b["unit"].(string)
	ma, hasA := lineManager(a)
	mb, hasB := lineManager(b)
	switch {
	case ua == "" || ua != ub:
	case hasA && hasB && ma == mb:
		reasons = append(reasons, "same unit ("+ua+") and line manager")
	case !hasA && !hasB:
		reasons = append(reasons, "same unit ("+ua+"); the data records no line manager")
	}
	// one manages the other, whatever their units
	if hasA && ma == bID {
		reasons = append(reasons, "the flagged officer is your line manager")
	}
	if hasB && mb == aID {
		reasons = append(reasons, "you are the flagged officer's line manager")
	}
	return reasons
}

// hubsAmong returns the interior nodes of paths (global ids) that carry a
// hub mark, in one query.
func (s *Store) hubsAmong(ctx context.Context, paths []probity.PathResult) (map[string]bool, error) {
	var interior []probity.Ref
	for _, res := range paths {
		for _, p := range res.Paths {
			for i := 1; i+1 < len(p.NodeIDs); i++ {
				if ref, ok := probity.ParseKey(p.NodeIDs[i]); ok {
					interior = append(interior, ref)
				}
			}
		}
	}
	hub := map[string]bool{}
	if len(interior) == 0 {
		return hub, nil
	}
	ns, err := s.Entities(ctx, interior)
	if err != nil {
		return nil, err
	}
	for _, n := range ns {
		if r, _ := n.Properties["hubReason"].(string); r != "" {
			hub[n.Ref().Key()] = true
		}
	}
	return hub, nil
}

// throughHub says whether a path's interior passes a node of hub.
func throughHub(p probity.Path, hub map[string]bool) bool {
	for i := 1; i+1 < len(p.NodeIDs); i++ {
		if hub[p.NodeIDs[i]] {
			return true
		}
	}
	return false
}

// nameSeparators are dropped when property names are compared.
var nameSeparators = strings.NewReplacer("_", "", "-", "", " ", "")

// lineManager finds an officer's line manager among its properties: an
// extra column of officers.csv kept as an attribute (line_manager,
// "Line Manager", line_manager_id...) or a lineManager property.
func lineManager(props map[string]any) (string, bool) {
	for k, v := range props {
		switch nameSeparators.Replace(strings.ToLower(k)) {
		case "linemanager", "linemanagerid":
			if m, ok := v.(string); ok && m != "" {
				return m, true
			}
		}
	}
	return "", false
}
