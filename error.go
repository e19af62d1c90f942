package probity

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The API maps them once, at the edge, to
// HTTP statuses and GraphQL extensions.code; clients never see other text.
const (
	ECONFLICT     = "conflict"     // the action conflicts with the current state
	EINTERNAL     = "internal"     // anything unexpected; details are logged, not shown
	EINVALID      = "invalid"      // bad input
	ENOTFOUND     = "not_found"    // no such entity
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // credentials lack the role
	ELIMIT        = "limit"        // a server limit (depth, page size, time) was exceeded
	EUNAVAILABLE  = "unavailable"  // a dependency (Neo4j) cannot be reached
)

// Error is a domain error with a stable code and a message that is safe to
// show to a client.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the client-safe message of err: the *Error's message,
// or "internal error" for anything else.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
