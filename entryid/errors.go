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
}

// Error returns "entryid: <layout>: offset N: reason".
func (e *ParseError) Error() string {
	s := "entryid: "
	if e.Kind != KindInvalid {
		s += e.Kind.String() + " entry ID: "
	}
	return s + "offset " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Unwrap returns [mapispi.ErrInvalidEntryID].
func (e *ParseError) Unwrap() error { return mapispi.ErrInvalidEntryID }

func parseErr(k Kind, off int, reason string) *ParseError {
	return &ParseError{Kind: k, Offset: off, Reason: reason}
}

// encodeErr reports a value that cannot be encoded (a string holding a NUL,
// a counter wider than 48 bits, ...) as MAPI_E_INVALID_PARAMETER.
func encodeErr(k Kind, format string, args ...any) error {
	return mapispi.Errorf(mapispi.ErrInvalidParameter, "entryid", k.String()+" entry ID: "+format, args...)
}
