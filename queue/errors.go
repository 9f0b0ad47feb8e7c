package queue

import (
	"errors"
	"fmt"
)

// ErrorKind says what sort of refusal an Error is, so that the HTTP layer can
// choose a status code and pages can choose a message.
type ErrorKind string

// Kinds of refusal.
const (
	KindInvalid   ErrorKind = "invalid"   // the request names something wrong
	KindNotFound  ErrorKind = "not_found" // no such counter, ticket, or nothing waiting
	KindConflict  ErrorKind = "conflict"  // not allowed in the ticket's current stage
	KindClosed    ErrorKind = "closed"    // outside opening hours
	KindQuota     ErrorKind = "quota"     // the service's daily quota is reached
	KindForbidden ErrorKind = "forbidden" // not allowed to whoever asked (a wrong ticket code)
	KindCapacity  ErrorKind = "capacity"  // the service cannot serve one more today (forecast.go)
)

// ReasonCapacity is the reason of a ticket refused because it would not be served before
// closing (DOMAIN.md "Crisis": 409 with "reason": "capacity").
const ReasonCapacity = "capacity"

// Error is a refusal of a command. Msg is Indonesian, for the person at the
// kiosk or counter, and says what to do next.
type Error struct {
	Kind ErrorKind
	Msg  string
	// Reason, when set, is the machine-readable why of a refusal the API answers with
	// ("capacity").
	Reason string
}

func (e *Error) Error() string { return e.Msg }

func refuse(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the reason of a refusal, or "".
func ReasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// KindOf returns the kind of a refusal, or "" for other errors (storage failures).
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
