package api

import (
	"context"
	"testing"

	"probity"
)

func TestOperationType(t *testing.T) {
	for _, c := range []struct{ doc, name, want string }{
		{`{ me { name } }`, "", "query"},
		{`query Q { me { name } }`, "", "query"},
		{`mutation { __typename }`, "", "mutation"},
		{`mutation M($v: In = {a: "{"}) @x(y: {z: 1}) { revokeToken(nameOrId: "}") { name } }`, "", "mutation"},
		{"# mutation { x }\n{ me { name } }", "", "query"},
		{`"""mutation""" query A { a } mutation B { b }`, "B", "mutation"},
		{`query A { a } mutation B { b }`, "A", "query"},
		{`query A { a } mutation B { b }`, "", ""},
		{`fragment F on Query { me { name } } mutation { x }`, "", "mutation"},
		{`subscription S { s }`, "", "subscription"},
		{`{`, "", "query"},
		{``, "", ""},
	} {
		if got := operationType(c.doc, c.name); got != c.want {
			t.Errorf("operationType(%q, %q) = %q, want %q", c.doc, c.name, got, c.want)
		}
	}
}

// mayChange finds every document that could run a change, whatever this
// package's lexer makes of its names (secF: graphql-go reads "Xé" as one
// name, ours read "X"), and only words, not parts of names.
func TestMayChange(t *testing.T) {
	for doc, want := range map[string]bool{
		`query Xé { me { name } } mutation X { saveChart(name: "x", document: "{}") { id } }`: true,
		`{ me { name } }`: false,
		`query IntrospectionQuery { __schema { mutationType { name } subscriptionType { name } } }`: false,
		`mutation{x}`:                          true,
		`subscription S { s }`:                 true,
		`{ search(text: "mutation") { id } }`:  true, // strict: a word in a string counts too
		`{ search(text: "mutations") { id } }`: false,
		`query mutationé { a }`:                false,
		"query A { a }\n#c\nmutation\tB { b }": true,
	} {
		if got := mayChange(doc); got != want {
			t.Errorf("mayChange(%q) = %v, want %v", doc, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct {
		doc, word string
		want      int
	}{
		{`{ a: __schema { x } b: __schema { x } }`, "__schema", 2},
		{`{ __schemas __schema_x x__schema }`, "__schema", 0},
		{`query { __type(name: "Flag") { name } }`, "__type", 1},
		{`fragment T on __Type { name }`, "__type", 0},
	} {
		if got := words(c.doc, c.word); got != c.want {
			t.Errorf("words(%q, %q) = %d, want %d", c.doc, c.word, got, c.want)
		}
	}
}

// A mutation field of a request read as a query is refused before it
// runs, whatever the lexers made of the document.
func TestNeedRefusesAMutationReadAsAQuery(t *testing.T) {
	r := &request{principal: Principal{Name: "a", Role: "admin"}, ops: map[string]bool{}, mutations: map[string]bool{"saveChart": true}}
	ctx := withRequest(context.Background(), r)
	if _, err := need(ctx, "analyst", "saveChart", true); probity.ErrorCode(err) != probity.EINVALID {
		t.Fatalf("saveChart in a request read as a query: %v, want invalid", err)
	}
	if _, err := need(ctx, "analyst", "search", true); err != nil {
		t.Fatalf("a query field: %v", err)
	}
	r.asChange = true
	if _, err := need(ctx, "analyst", "saveChart", true); err != nil {
		t.Fatalf("saveChart in a request read as a mutation: %v", err)
	}
}

func TestPseudonymStableAndKeyed(t *testing.T) {
	a := Pseudonym([]byte("key-one"), "Officer", "O1")
	if a != Pseudonym([]byte("key-one"), "Officer", "O1") || len(a) != len("Officer-")+8 {
		t.Fatalf("pseudonym %q not stable or wrong shape", a)
	}
	if a == Pseudonym([]byte("key-two"), "Officer", "O1") || a == Pseudonym([]byte("key-one"), "Officer", "O2") {
		t.Fatal("pseudonym does not depend on key and id")
	}
}

func TestResponseMedia(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                  mediaJSON,
		"*/*":                               mediaJSON,
		"application/json":                  mediaJSON,
		"application/graphql-response+json": mediaGraphQLResponse,
		"application/json, application/graphql-response+json;q=0.9": mediaGraphQLResponse,
		"application/graphql-response+json;q=0":                     mediaJSON,
	} {
		if got := responseMedia(accept); got != want {
			t.Errorf("responseMedia(%q) = %q, want %q", accept, got, want)
		}
	}
}
