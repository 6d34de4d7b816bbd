package mapispi

import (
	"fmt"
	"strings"
)

// Error is the Go form of MAPIERROR: a status code with the extended
// information MAPI's GetLastError would return for it, and the Go error
// that caused it.
//
// MAPI returns a MAPIERROR through a separate out parameter
// (lppMAPIError) or GetLastError; in Go it travels as the error itself.
// Unwrap returns Code and Err, so errors.Is(err, mapispi.ErrLogonFailed)
// holds for an *Error whose Code is ErrLogonFailed, and errors.Is and
// errors.As reach the cause (context.Canceled, a parse error) through
// any number of *Error layers.
type Error struct {
	// Code is the status code of the failure. It should not be OK.
	Code SCode
	// Component names the layer that failed (lpszComponent). MAPI asks for
	// 30 characters or fewer, since it is shown in dialogs.
	Component string
	// Message says what the layer was doing or what went wrong (lpszError).
	Message string
	// LowLevel is the low-level error code, when the failure had one
	// (ulLowLevelError).
	LowLevel uint32
	// Context locates the failure inside Component (ulContext).
	Context uint32
	// Err is the error that caused this one, or nil. It is not part of a
	// MAPIERROR; a host that builds one puts its text after Message.
	Err error
}

// Errorf returns an *Error with the given code and component and a message
// formatted as by fmt.Sprintf. It sets no cause: to keep one, build the
// Error with its Err field, so that errors.Is and errors.As still reach it.
func Errorf(code SCode, component, format string, args ...any) *Error {
	return &Error{Code: code, Component: component, Message: fmt.Sprintf(format, args...)}
}

// Error returns "component: message (MAPI_NAME): cause", leaving out empty
// parts. The MAPI name appears once: it is left out when the message or
// the cause already shows it, as it does when the cause is an *Error with
// the same Code.
func (e *Error) Error() string {
	if e == nil {
		return "<nil *mapispi.Error>"
	}
	code := e.Code.String()
	var cause string
	if e.Err != nil {
		cause = e.Err.Error()
	}
	var b strings.Builder
	if e.Component != "" {
		b.WriteString(e.Component)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if !strings.Contains(e.Message, code) && !strings.Contains(cause, code) {
		if e.Message != "" {
			b.WriteString(" (" + code + ")")
		} else {
			b.WriteString(code)
		}
	}
	if cause != "" {
		if e.Message != "" || !strings.Contains(cause, code) {
			b.WriteString(": ")
		}
		b.WriteString(cause)
	}
	if e.LowLevel != 0 {
		fmt.Fprintf(&b, " [low-level 0x%08X]", e.LowLevel)
	}
	return b.String()
}

// Unwrap returns e.Code and, when there is one, e.Err.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Code}
	}
	return []error{e.Code, e.Err}
}

// PartialError is the Go form of MAPI_W_PARTIAL_COMPLETION: a call on
// several objects at once (copying, moving or deleting messages or
// folders, say) did some of them and not the others. MAPI reports that
// as a warning; in Go the request was not done, so it is an error, and it
// lists what failed.
//
// CodeOf gives WarnPartialCompletion, the SCode MAPI returns, and
// errors.Is(err, WarnPartialCompletion) holds. Unwrap also returns each
// item's Err, so errors.Is and errors.As reach the causes as they do
// through errors.Join.
type PartialError struct {
	// Op names the call, such as "IMAPIFolder::DeleteMessages".
	Op string
	// Failed lists the items that were not done, in the caller's order.
	Failed []FailedItem
}

// FailedItem is one object that a call on several could not handle.
type FailedItem struct {
	Index   int     // index into the caller's list
	EntryID EntryID // the object's entry ID, when the call was given one
	Err     error   // why, or nil when the provider cannot tell (MAPI never says)
}

// Error returns "op: n item(s) not done: [index] cause; ...
// (MAPI_W_PARTIAL_COMPLETION)".
func (e *PartialError) Error() string {
	if e == nil {
		return "<nil *mapispi.PartialError>"
	}
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d item(s) not done", len(e.Failed))
	for i, f := range e.Failed {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "[%d]", f.Index)
		if f.EntryID != nil {
			fmt.Fprintf(&b, " %v", f.EntryID)
		}
		if f.Err != nil {
			b.WriteString(" ")
			b.WriteString(f.Err.Error())
		}
	}
	b.WriteString(" (" + WarnPartialCompletion.String() + ")")
	return b.String()
}

// Unwrap returns WarnPartialCompletion, then every item's non-nil Err.
func (e *PartialError) Unwrap() []error {
	errs := []error{WarnPartialCompletion}
	for _, f := range e.Failed {
		if f.Err != nil {
			errs = append(errs, f.Err)
		}
	}
	return errs
}
