package api

import (
	"fmt"
	"math"
	"strings"
)

// opt is an argument that the schema gives a default (first: Int = 50).
// graphql-go fills the default in when the document leaves the argument
// out, but packs a variable the request leaves out, or sends as null, as
// null, which a plain int32 refuses ("got null for non-null", no field
// named): GraphQL gives such an argument its default (apiY). opt takes the
// null; or(def) gives def then, def being the schema's default.
type opt[T int32 | float64 | bool | string] struct{ v *T }

// ImplementsGraphQLType accepts the scalar T stands for; a string stands
// for an enum (FlagOrder).
func (opt[T]) ImplementsGraphQLType(name string) bool {
	name = strings.TrimSuffix(name, "!")
	var z T
	switch any(z).(type) {
	case int32:
		return name == "Int"
	case float64:
		return name == "Float"
	case bool:
		return name == "Boolean"
	}
	return name != "Int" && name != "Float" && name != "Boolean" && name != "ID"
}

// UnmarshalGraphQL takes a literal or a variable's value (JSON numbers
// arrive as float64), or null.
func (o *opt[T]) UnmarshalGraphQL(input any) error {
	if input == nil {
		o.v = nil
		return nil
	}
	var v any
	var z T
	switch any(z).(type) {
	case int32:
		switch n := input.(type) {
		case int32:
			v = n
		case float64:
			if n != math.Trunc(n) || n < math.MinInt32 || n > math.MaxInt32 {
				return fmt.Errorf("%v is not a 32-bit integer", n)
			}
			v = int32(n)
		}
	case float64:
		switch n := input.(type) {
		case int32:
			v = float64(n)
		case float64:
			v = n
		}
	default:
		if _, ok := input.(T); ok {
			v = input
		}
	}
	t, ok := v.(T)
	if !ok {
		return fmt.Errorf("wrong type %T", input)
	}
	o.v = &t
	return nil
}

// Nullable lets graphql-go pass null to UnmarshalGraphQL.
func (*opt[T]) Nullable() {}

// or returns the argument's value, or def when it is null.
func (o opt[T]) or(def T) T {
	if o.v == nil {
		return def
	}
	return *o.v
}
