package api_test

import (
	"strings"
	"testing"

	graphql "github.com/graph-gophers/graphql-go"
	gqlast "github.com/graph-gophers/graphql-go/ast"

	"probity"
	"probity/api"
)

// TestSchemaDocumented fails on any type, field or enum value of
// schema.graphql without a description.
func TestSchemaDocumented(t *testing.T) {
	s, err := graphql.ParseSchema(api.SchemaSDL(), nil, graphql.UseStringDescriptions())
	if err != nil {
		t.Fatal(err)
	}
	ast := s.AST()
	var missing []string
	for _, o := range ast.Objects {
		if o.Desc == "" {
			missing = append(missing, o.Name)
		}
		for _, f := range o.Fields {
			if f.Desc == "" {
				missing = append(missing, o.Name+"."+f.Name)
			}
		}
	}
	for _, typ := range ast.Types {
		i, ok := typ.(*gqlast.InterfaceTypeDefinition)
		if !ok {
			continue
		}
		if i.Desc == "" {
			missing = append(missing, i.Name)
		}
		for _, f := range i.Fields {
			if f.Desc == "" {
				missing = append(missing, i.Name+"."+f.Name)
			}
		}
	}
	for _, e := range ast.Enums {
		if e.Desc == "" {
			missing = append(missing, e.Name)
		}
		for _, v := range e.EnumValuesDefinition {
			if v.Desc == "" {
				missing = append(missing, e.Name+"."+v.EnumValue)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("undocumented: %s", strings.Join(missing, ", "))
	}
}

// TestSchemaEnumsMatchAllowlists keeps the EntityType and RelType enums
// equal to the Go lists the store trusts.
func TestSchemaEnumsMatchAllowlists(t *testing.T) {
	s, err := graphql.ParseSchema(api.SchemaSDL(), nil, graphql.UseStringDescriptions())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"EntityType": probity.EntityLabels, "RelType": probity.ExploreRels}
	for _, e := range s.AST().Enums {
		w, ok := want[e.Name]
		if !ok {
			continue
		}
		var got []string
		for _, v := range e.EnumValuesDefinition {
			got = append(got, v.EnumValue)
		}
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("enum %s = %v, want %v", e.Name, got, w)
		}
	}
}
