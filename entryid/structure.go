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
// Generic for layouts it does not know), reading 8-bit strings as
// Windows-1252 ([Options.Parse] reads them in another code page).
// Malformed input gives a *ParseError wrapping [mapispi.ErrInvalidEntryID].
// The result shares no memory with b.
//
// Real data has bytes past an ID's natural end: Outlook adds 3 to contact
// IDs, and address book IDs have been seen with an extra NUL after the
// DN. Parse accepts such bytes after every layout whose end its own
// fields mark (a one-off ID's address, an address book ID's DN, an
// Exchange store ID's mailbox DN, a PST store ID's path, a contact ID's
// embedded ID) and keeps them in the value's Trailing field, so that
// AppendBinary still gives the input back; Explain shows them and Equal
// ignores them. Layouts recognised by their length (folder, message,
// PST and ephemeral IDs) cannot carry any: with extra bytes they are
// Generic. An ID cut short, or malformed before its end, is an error.
func Parse(b mapispi.EntryID) (Structure, error) { return Options{}.Parse(b) }

// Parse is [Parse] with 8-bit strings read in o.CodePage. Bytes that are
// not valid in it are a *ParseError whose Err is the *codepage.Error.
func (o Options) Parse(b mapispi.EntryID) (Structure, error) {
	cp := o.CodePage
	switch Identify(b) {
	case KindInvalid:
		return nil, tooShort(KindInvalid, b)
	case KindStore:
		return structure(parseStore(b, cp))
	case KindExchangeStore:
		return structure(parseExchangeStore(b, cp))
	case KindPSTStore:
		return structure(parsePSTStore(b, cp))
	case KindFolder:
		return structure(ParseFolder(b))
	case KindMessage:
		return structure(ParseMessage(b))
	case KindPST:
		return structure(ParsePST(b))
	case KindAddressBook:
		return structure(parseAddressBook(b, cp))
	case KindEphemeral:
		return structure(ParseEphemeral(b))
	case KindOneOff:
		return structure(parseOneOff(b, cp))
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
	r.off = headerLen
	if want != nil && mapispi.UID(r.b[4:20]) != *want {
		r.fail(4, fmt.Sprintf("provider UID %v is not %s", mapispi.UID(r.b[4:20]), UIDName(*want)))
	}
	return flagsOf(r.b)
}

func uidString(u mapispi.UID) string {
	if n := UIDName(u); n != "" {
		return n
	}
	return u.String()
}
