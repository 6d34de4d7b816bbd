package mapispi

import (
	"encoding/hex"
	"fmt"
)

// EntryID is the Go form of an ENTRYID with its byte count (cbEntryID,
// lpEntryID): the opaque bytes that name a store, folder, message or
// recipient. A nil EntryID means "none" (a NULL lpEntryID).
//
// Entry IDs are not binary comparable: the same object may have several
// valid IDs. Compare them through the owning provider (CompareEntryIDs,
// CompareStoreIDs) or with the rules of package entryid.
type EntryID []byte

// String returns the bytes as upper-case hex without separators, the way
// Outlook's object model prints entry IDs. A nil or empty EntryID prints "".
func (id EntryID) String() string {
	b, _ := id.AppendText(make([]byte, 0, 2*len(id)))
	return string(b)
}

// Format implements fmt.Formatter, so that %x and %X print the bytes in
// hex as they do for a []byte (with the same flags: "% x"), %s and %v
// print String, %q prints it quoted, and %#v prints Go syntax.
func (id EntryID) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'x' || verb == 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), []byte(id))
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "mapispi.EntryID(%#v)", []byte(id))
	default:
		fmt.Fprintf(f, fmt.FormatString(f, verb), id.String())
	}
}

// AppendText appends the upper-case hex form to b.
func (id EntryID) AppendText(b []byte) ([]byte, error) {
	for _, c := range id {
		b = append(b, hexUpper[c>>4], hexUpper[c&0xF])
	}
	return b, nil
}

// MarshalText returns the upper-case hex form.
func (id EntryID) MarshalText() ([]byte, error) { return id.AppendText(nil) }

// UnmarshalText sets id from hex digits of either case; an empty text gives
// a nil EntryID. Anything else is ErrInvalidEntryID. For the other text
// forms tools print, see entryid.ParseHex.
func (id *EntryID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*id = nil
		return nil
	}
	b := make([]byte, hex.DecodedLen(len(text)))
	if len(text)%2 != 0 {
		return Errorf(ErrInvalidEntryID, "mapispi", "EntryID.UnmarshalText: odd number of hex digits (%d)", len(text))
	}
	if _, err := hex.Decode(b, text); err != nil {
		return &Error{Code: ErrInvalidEntryID, Component: "mapispi", Message: "EntryID.UnmarshalText", Err: err}
	}
	*id = b
	return nil
}

// Clone returns a copy of id that shares no memory with it; nil stays nil.
func (id EntryID) Clone() EntryID {
	if id == nil {
		return nil
	}
	return append(EntryID{}, id...)
}
