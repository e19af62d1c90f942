package api

import (
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
	// a field's description comes before it: split at each field line
	field := regexp.MustCompile(`(?m)^  ([a-zA-Z]+)[(:]`)
	locs := field.FindAllStringSubmatchIndex(block, -1)
	prev, admin := 0, 0
	for _, l := range locs {
		name, desc := block[l[2]:l[3]], block[prev:l[0]]
		prev = l[1]
		if !strings.Contains(desc, "Needs admin") {
			if _, ok := officerTiedRefusals[name]; ok {
				t.Errorf("%s is refused to tied tokens but does not need admin", name)
			}
			continue
		}
		admin++
		if _, ok := officerTiedRefusals[name]; !ok && !slices.Contains(officerTiedAllowed, name) {
			t.Errorf("admin mutation %s: neither refused to a token tied to an officer nor allowed (officerTiedRefusals)", name)
		}
	}
	if admin < len(officerTiedRefusals)+len(officerTiedAllowed) {
		t.Errorf("%d admin mutations found, fewer than the %d the lists name", admin, len(officerTiedRefusals)+len(officerTiedAllowed))
	}
}
