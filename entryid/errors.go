package entryid

import (
	"strconv"

	"github.com/mapiemu/mapiemu/mapispi"
)

// ParseError reports malformed entry ID bytes or text: MAPI's
// MAPI_E_INVALID_ENTRYID with the offset at which the input stopped making
// sense and the reason. It unwraps to [mapispi.ErrInvalidEntryID], so
//
//	errors.Is(err, mapispi.ErrInvalidEntryID)
//
// holds for every error a Parse function returns.
type ParseError struct {
	Kind   Kind   // the layout being read; KindInvalid when not yet known
	Offset int    // byte offset into the entry ID (or into the text, for ParseHex)
	Reason string // what is wrong there, in lower case
	// Err is the cause, if there is one: a *codepage.Error for 8-bit text
	// that is not valid in the code page it is read with.
	Err error
}

// Error returns "entryid: <layout>: offset N: reason".
func (e *ParseError) Error() string {
	s := "entryid: "
	if e.Kind != KindInvalid {
		s += e.Kind.String() + " entry ID: "
	}
	s += "offset " + strconv.Itoa(e.Offset) + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns [mapispi.ErrInvalidEntryID] and Err, if set.
func (e *ParseError) Unwrap() []error {
	if e.Err != nil {
		return []error{mapispi.ErrInvalidEntryID, e.Err}
	}
	return []error{mapispi.ErrInvalidEntryID}
}

func parseErr(k Kind, off int, reason string) *ParseError {
	return &ParseError{Kind: k, Offset: off, Reason: reason}
}

// encodeErr reports a value that cannot be encoded (a string holding a NUL,
// a counter wider than 48 bits, text the code page cannot hold, ...) as
// MAPI_E_INVALID_PARAMETER, wrapping cause if it is not nil.
func encodeErr(k Kind, cause error, format string, args ...any) error {
	e := mapispi.Errorf(mapispi.ErrInvalidParameter, "entryid", k.String()+" entry ID: "+format, args...)
	e.Err = cause
	return e
}
