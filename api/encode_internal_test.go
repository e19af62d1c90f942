package api

import (
	"encoding/json"
	"testing"

	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// encodeResponse writes what json.Marshal would, without re-compacting the
// data graphql-go already wrote.
func TestEncodeResponseMatchesMarshal(t *testing.T) {
	for _, resp := range []*graphql.Response{
		{Data: json.RawMessage(`{"a":[1,2],"b":"x"}`)},
		{Errors: []*gqlerrors.QueryError{{Message: "no", Path: []any{"a", 0}, Extensions: map[string]any{"code": "invalid"}}}},
		{Errors: []*gqlerrors.QueryError{{Message: "partial"}}, Data: json.RawMessage(`{"a":null}`)},
		{Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 3}},
		{},
	} {
		got, err := encodeResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(resp)
		if string(got) != string(want) {
			t.Errorf("encodeResponse = %s, json.Marshal = %s", got, want)
		}
	}
}

// fastID encodes as graphql.ID does, only faster.
func TestFastIDEncodesAsGraphQLID(t *testing.T) {
	for _, id := range []string{"Officer:O1", "Address:12 <High> St & Co", "Person:Zoë", `Record:"q"\`} {
		got, _ := json.Marshal(fastID(id))
		want, _ := json.Marshal(graphql.ID(id))
		if string(got) != string(want) {
			t.Errorf("fastID %s, graphql.ID %s", got, want)
		}
	}
	var id fastID
	if err := id.UnmarshalGraphQL("Officer:O1"); err != nil || id != "Officer:O1" {
		t.Errorf("UnmarshalGraphQL: %q, %v", id, err)
	}
}
