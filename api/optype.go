package api

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// operationType returns "query", "mutation" or "subscription" for the
// operation of doc that name selects (the only one when name is empty), or
// "" when it cannot tell; graphql-go then reports the document's error. It
// is a small lexer, enough to refuse mutations over GET before executing.
func operationType(doc, name string) string {
	type op struct{ typ, name string }
	var ops []op
	toks := lex(doc)
	braces, parens := 0, 0
	pending := "" // operation keyword seen at the top level, awaiting its "{"
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t == "(":
			parens++
		case t == ")":
			parens--
		case parens > 0:
		case t == "{":
			if braces == 0 {
				switch pending {
				case "":
					ops = append(ops, op{"query", ""})
				case "fragment":
				default:
					ops[len(ops)-1].typ = pending
				}
				pending = ""
			}
			braces++
		case t == "}":
			braces--
		case braces == 0 && pending == "" && (t == "query" || t == "mutation" || t == "subscription" || t == "fragment"):
			pending = t
			if t != "fragment" {
				o := op{t, ""}
				if i+1 < len(toks) && isName(toks[i+1]) {
					o.name = toks[i+1]
					i++
				}
				ops = append(ops, o)
			}
		}
	}
	for _, o := range ops {
		if (name == "" && len(ops) == 1) || (name != "" && o.name == name) {
			return o.typ
		}
	}
	return ""
}

// mayChange says whether doc could run a mutation or a subscription
// whatever operationType made of it: it names an operation of that kind
// anywhere (as a whole word, outside nothing: strings and comments too).
// graphql-go's lexer reads names with letters of any script (Go's
// text/scanner), ours ASCII only, so `query Xé {...} mutation X {...}`
// with operationName X looked like a query here and ran the mutation
// there, before the token was checked and past the audit-head check
// (secF). Treating every document that mentions one as a mutation is
// strict, never wrong: it waits for the token and may not use GET.
func mayChange(doc string) bool {
	return words(doc, "mutation") > 0 || words(doc, "subscription") > 0
}

// words counts the places doc holds word as a whole word (not part of a
// longer name), in strings and comments too.
func words(doc, word string) int {
	n := 0
	for i := 0; ; {
		j := strings.Index(doc[i:], word)
		if j < 0 {
			return n
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(doc[:at])
		after, _ := utf8.DecodeRuneInString(doc[at+len(word):])
		if !nameRune(before) && !nameRune(after) {
			n++
		}
		i = at + 1
	}
}

// maxIntrospection bounds the __schema and __type fields of one document:
// graphql-go answers them itself, outside every resolver and so every
// budget, and 300 aliases of __schema in 6 KB made a 43 MB answer and a
// server of 1.2 GB (secF). A client's introspection asks one __schema.
const maxIntrospection = 4

// nameRune is a rune a name may hold in graphql-go's lexer.
func nameRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isName(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// lex splits a GraphQL document into names, numbers and punctuators,
// dropping whitespace, commas, comments and strings.
func lex(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' && s[i] != '\r' {
				i++
			}
		case c == '"':
			if i+2 < len(s) && s[i+1] == '"' && s[i+2] == '"' { // block string
				i += 3
				for i < len(s) && !(i+2 < len(s) && s[i] == '"' && s[i+1] == '"' && s[i+2] == '"') {
					if s[i] == '\\' {
						i++
					}
					i++
				}
				i += 3
			} else {
				i++
				for i < len(s) && s[i] != '"' && s[i] != '\n' {
					if s[i] == '\\' {
						i++
					}
					i++
				}
				i++
			}
		case isName(string(c)) || (c >= '0' && c <= '9') || c == '-':
			j := i + 1
			for j < len(s) && (isName(string(s[j])) || (s[j] >= '0' && s[j] <= '9') || s[j] == '.') {
				j++
			}
			out = append(out, s[i:j])
			i = j
		default:
			out = append(out, string(c))
			i++
		}
	}
	return out
}
