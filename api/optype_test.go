package api

import "testing"

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
