package api

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every administrators' mutation of the schema is refused to a token tied
// to an officer record, or allowed on purpose: one added without a
// decision fails here (reviewE L7: the rule had been missed twice when it
// was copied to each resolver).
func TestOfficerTiedAdminMutations(t *testing.T) {
	start := strings.Index(schemaSDL, "type Mutation {")
	if start < 0 {
		t.Fatal("no Mutation type in the schema")
	}
	block := schemaSDL[start:]
	block = block[:strings.Index(block, "\n}")]
	// each field with its description: a "..." line or a """ block before
	// it (a description's own lines are never taken for fields; secK L5)
	field := regexp.MustCompile(`^  ([a-zA-Z]+)[(:]`)
	var desc strings.Builder
	inBlock, admin, found := false, 0, map[string]bool{}
	for _, line := range strings.Split(block, "\n")[1:] {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == `"""`:
			inBlock = !inBlock
			continue
		case inBlock || strings.HasPrefix(trimmed, `"`):
			desc.WriteString(line)
			continue
		}
		m := field.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, d := m[1], desc.String()
		desc.Reset()
		if !strings.Contains(d, "Needs admin") {
			if _, ok := officerTiedRefusals[name]; ok {
				t.Errorf("%s is refused to tied tokens but does not need admin", name)
			}
			continue
		}
		admin++
		found[name] = true
		if _, ok := officerTiedRefusals[name]; !ok && !slices.Contains(officerTiedAllowed, name) {
			t.Errorf("admin mutation %s: neither refused to a token tied to an officer nor allowed (officerTiedRefusals)", name)
		}
	}
	// each name of the lists is a field the parse found: an admin mutation,
	// or a read (a Query field) refused on purpose
	query := schemaSDL[strings.Index(schemaSDL, "type Query {"):]
	for _, name := range append(slices.Collect(maps.Keys(officerTiedRefusals)), officerTiedAllowed...) {
		if !found[name] && !strings.Contains(query[:strings.Index(query, "\n}")], "\n  "+name) {
			t.Errorf("%s in the lists is neither an admin mutation found nor a Query field", name)
		}
	}
	if admin < len(officerTiedAllowed)+1 {
		t.Errorf("%d admin mutations found: the parse failed", admin)
	}
	// a field of the watch list refused to tied tokens is one whose
	// events their audit log hides, and only those are (reviewG L5)
	for name := range officerTiedRefusals {
		if watch := strings.Contains(strings.ToLower(name), "watch"); watch != slices.Contains(watchOperations, name) {
			t.Errorf("%s: a watch-list field %v, in the audit log's hidden watch operations %v", name, watch, !watch)
		}
	}
	for _, name := range watchOperations {
		if _, ok := officerTiedRefusals[name]; !ok {
			t.Errorf("%s is hidden from a tied token's audit log but not refused to it", name)
		}
	}
}
