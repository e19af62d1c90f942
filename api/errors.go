package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"probity"
)

// mapErrors is the one place that turns errors into what clients see: every
// GraphQL error gets a stable extensions.code from probity's codes and a
// safe message; resolver errors that are not *probity.Error are logged and
// shown as "internal error"; deadlines become limit.
func mapErrors(ctx context.Context, log *slog.Logger, errs []*gqlerrors.QueryError) {
	for _, e := range errs {
		var code, msg string
		switch {
		case e.ResolverError != nil:
			code, msg = codeOf(e.ResolverError)
			if code == probity.EINTERNAL {
				log.ErrorContext(ctx, "resolver failed", "path", e.Path, "err", e.ResolverError)
			}
		case e.Rule == "MaxDepthExceeded" || e.Rule == "OverlapValidationLimitExceeded" || strings.HasPrefix(e.Message, "query length") ||
			errors.Is(e.Err, graphql.ErrTooManySelections):
			code, msg = probity.ELIMIT, e.Message
		case e.Err != nil && errors.Is(e.Err, context.DeadlineExceeded):
			code, msg = probity.ELIMIT, "the request took longer than the server allows"
		case e.Rule == "" && e.Path != nil:
			// a panic or an execution error without a resolver error
			log.ErrorContext(ctx, "execution failed", "path", e.Path, "err", e.Message)
			code, msg = probity.EINTERNAL, "internal error"
		case goInternals.MatchString(e.Message):
			// a variable that did not decode into the resolver's Go type:
			// its text names Go types, not the schema's
			code, msg = probity.EINVALID, "a variable's value does not fit the type the query declares for it"
		default: // parse and validation errors: graphql-go's text is about the query, not the server
			// less a formatting slip of its own ("can never be of type
			// %!q(<nil>)" for a fragment cycle: fuzzG)
			code, msg = probity.EINVALID, fmtSlip.ReplaceAllString(e.Message, "that type")
		}
		e.Message = msg
		e.Extensions = map[string]any{"code": code}
	}
}

// fmtSlip is what Go's fmt writes for a verb it cannot fill: %!q(<nil>).
var fmtSlip = regexp.MustCompile(`%!\w\([^)]*\)`)

// goInternals matches error texts that speak of Go types (a variable that
// could not be decoded), which are no business of the client's.
var goInternals = regexp.MustCompile(`Go (value|struct)|interface \{\}|map\[string\]|\b(u?int(8|16|32|64)?|float(32|64))\b`)

// codeOf returns the code and client-safe message of err.
func codeOf(err error) (string, string) {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return probity.ELIMIT, "the request took longer than the server allows"
	case errors.Is(err, context.Canceled):
		return probity.EUNAVAILABLE, "the request was cancelled"
	}
	return probity.ErrorCode(err), probity.ErrorMessage(err)
}

// writeError answers a request outside GraphQL (POST /load, /metrics)
// that failed with err: the status of its code, {"code", "error"} as JSON,
// and the bearer challenge on a 401. It returns the status.
func writeError(w http.ResponseWriter, err error) int {
	code, msg := codeOf(err)
	status := httpStatus(code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", bearerChallenge)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg, "code": code})
	return status
}

// httpStatus is the status of a request that failed before execution.
func httpStatus(code string) int {
	switch code {
	case probity.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case probity.EFORBIDDEN:
		return http.StatusForbidden
	case probity.ENOTFOUND:
		return http.StatusNotFound
	case probity.ELIMIT:
		return http.StatusRequestEntityTooLarge
	case probity.EINVALID:
		return http.StatusBadRequest
	case probity.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case probity.ECONFLICT:
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}
