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
)

// Error is a refusal of a command. Msg is Indonesian, for the person at the
// kiosk or counter, and says what to do next.
type Error struct {
	Kind ErrorKind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func refuse(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of a refusal, or "" for other errors (storage failures).
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
