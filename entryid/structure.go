package entryid

import (
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Structure is a decoded entry ID: one of [Generic], [Store],
// [ExchangeStore], [PSTStore], [Folder], [Message], [PST], [AddressBook],
// [Ephemeral], [OneOff], [Contact], [ContactFolder] or [Wrapped]. Each is a
// value type whose fields can be set by hand; AppendBinary encodes it the
// way Outlook and Exchange do, and for every input Parse accepts, Parse
// then AppendBinary gives the input back byte for byte.
type Structure interface {
	Kind() Kind
	// AppendBinary appends the encoded entry ID to b. It fails, with
	// MAPI_E_INVALID_PARAMETER and b unchanged, for field values that
	// have no encoding (a NUL inside a string, a counter wider than 48
	// bits) or whose encoding the type's own Parse function would reject
	// (a folder type in a Message), so what it returns always parses back.
	AppendBinary(b []byte) ([]byte, error)
	// String returns a one-line summary of the fields.
	String() string
}

// Parse decodes b as the layout [Identify] names and returns the value (a
// Generic for layouts it does not know). Malformed input gives a
// *ParseError wrapping [mapispi.ErrInvalidEntryID]. The result shares no
// memory with b.
func Parse(b []byte) (Structure, error) {
	switch Identify(b) {
	case KindInvalid:
		return nil, tooShort(KindInvalid, b)
	case KindStore:
		return structure(ParseStore(b))
	case KindExchangeStore:
		return structure(ParseExchangeStore(b))
	case KindPSTStore:
		return structure(ParsePSTStore(b))
	case KindFolder:
		return structure(ParseFolder(b))
	case KindMessage:
		return structure(ParseMessage(b))
	case KindPST:
		return structure(ParsePST(b))
	case KindAddressBook:
		return structure(ParseAddressBook(b))
	case KindEphemeral:
		return structure(ParseEphemeral(b))
	case KindOneOff:
		return structure(ParseOneOff(b))
	case KindContact, KindDistList:
		return structure(ParseContact(b))
	case KindContactFolder:
		return structure(ParseContactFolder(b))
	case KindWrapped:
		return structure(ParseWrapped(b))
	}
	return structure(ParseGeneric(b))
}

// structure returns a nil Structure with an error, never a zero value.
func structure[T Structure](v T, err error) (Structure, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// marshal implements MarshalBinary for every layout.
func marshal(s Structure) ([]byte, error) { return s.AppendBinary(nil) }

// header reads abFlags and checks the provider UID of a layout with a fixed one.
func (r *reader) header(want *mapispi.UID) Flags {
	if len(r.b) < headerLen {
		r.err = tooShort(r.kind, r.b)
		return 0
	}
	f := Flags(r.u32("abFlags"))
	u := mapispi.UID(r.uid("provider UID"))
	if want != nil && u != *want {
		r.fail(4, fmt.Sprintf("provider UID %v is not %s", u, UIDName(*want)))
	}
	return f
}

func uidString(u mapispi.UID) string {
	if n := UIDName(u); n != "" {
		return n
	}
	return u.String()
}
