package api

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"probity"
)

// A validation message reaches the client without a formatting slip of
// graphql-go's ("%!q(<nil>)" for a fragment cycle: fuzzG).
func TestMapErrorsDropsFormattingSlips(t *testing.T) {
	errs := []*gqlerrors.QueryError{{Message: `Fragment "A" cannot be spread here as objects of type "Me" can never be of type %!q(<nil>).`, Rule: "PossibleFragmentSpreads"}}
	mapErrors(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)), errs)
	if m := errs[0].Message; strings.Contains(m, "%!") || !strings.Contains(m, "that type") || errs[0].Extensions["code"] != probity.EINVALID {
		t.Errorf("message %q, extensions %v", m, errs[0].Extensions)
	}
}
