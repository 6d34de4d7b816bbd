package entryid

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// DisplayType is the Type field of address book entry IDs: PR_DISPLAY_TYPE
// values ([MS-OXCDATA] 2.2.5.2).
type DisplayType uint32

// The display types.
const (
	DTMailUser        DisplayType = 0x000 // DT_MAILUSER: local mail user
	DTDistList        DisplayType = 0x001 // DT_DISTLIST: distribution list
	DTForum           DisplayType = 0x002 // DT_FORUM: bulletin board or public folder
	DTAgent           DisplayType = 0x003 // DT_AGENT: automated mailbox
	DTOrganization    DisplayType = 0x004 // DT_ORGANIZATION: organizational mailbox
	DTPrivateDistList DisplayType = 0x005 // DT_PRIVATE_DISTLIST: private distribution list
	DTRemoteMailUser  DisplayType = 0x006 // DT_REMOTE_MAILUSER: remote mail user
	DTContainer       DisplayType = 0x100 // DT_CONTAINER: address book container
	DTTemplate        DisplayType = 0x101 // DT_TEMPLATE
	DTAddressTemplate DisplayType = 0x102 // DT_ADDRESS_TEMPLATE: one-off user template
	DTSearch          DisplayType = 0x200 // DT_SEARCH: search template
)

var displayTypeNames = map[DisplayType]string{
	DTMailUser: "DT_MAILUSER", DTDistList: "DT_DISTLIST", DTForum: "DT_FORUM",
	DTAgent: "DT_AGENT", DTOrganization: "DT_ORGANIZATION",
	DTPrivateDistList: "DT_PRIVATE_DISTLIST", DTRemoteMailUser: "DT_REMOTE_MAILUSER",
	DTContainer: "DT_CONTAINER", DTTemplate: "DT_TEMPLATE",
	DTAddressTemplate: "DT_ADDRESS_TEMPLATE", DTSearch: "DT_SEARCH",
}

// String returns the C name ("DT_MAILUSER") or the value in hex.
func (t DisplayType) String() string {
	if s, ok := displayTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("0x%08X", uint32(t))
}

// AddressBookVersion is the Version of Exchange address book entry IDs
// (EMS_VERSION).
const AddressBookVersion = 1

// AddressBook is the Go form of an Exchange Address Book EntryID
// ([MS-OXCDATA] 2.2.5.2), the same bytes as an NSPI PermanentEntryID:
//
//	offset  size  field
//	0       4     abFlags
//	4       16    MUIDEMSAB
//	20      4     Version (1)
//	24      4     Type, a display type
//	28      n+1   X500 DN, 8-bit, NUL-terminated
type AddressBook struct {
	Flags Flags
	Type  DisplayType
	DN    string // the object's X500 DN ("/o=First Organization/ou=.../cn=Recipients/cn=x")
	// CodePage is the code page of DN on the wire; zero is Windows-1252.
	// X500 DNs are ASCII in practice.
	CodePage codepage.ID
	// Trailing holds bytes found after the DN's NUL, kept as stored: saved
	// messages have been seen with an extra NUL there. They carry no
	// meaning (see [Parse]).
	Trailing []byte
}

// ParseAddressBook decodes an Exchange address book entry ID, reading the
// DN as Windows-1252.
func ParseAddressBook(b mapispi.EntryID) (AddressBook, error) { return parseAddressBook(b, 0) }

func parseAddressBook(b []byte, cp codepage.ID) (AddressBook, error) {
	var x addressBookScan
	if err := x.scan(b); err != nil {
		return AddressBook{}, err
	}
	dn, err := decode8(KindAddressBook, cp, x.dn, 28, "X500 DN")
	if err != nil {
		return AddressBook{}, err
	}
	return AddressBook{Flags: x.flags, Type: x.typ, DN: dn, CodePage: cp, Trailing: clone(x.trailing)}, nil
}

// addressBookScan is an address book ID read without allocating; dn and
// trailing alias the input.
type addressBookScan struct {
	flags        Flags
	typ          DisplayType
	dn, trailing []byte
}

func (x *addressBookScan) scan(b []byte) *ParseError {
	r := newReader(KindAddressBook, b)
	x.flags = r.header(&AddressBookUID)
	if v := r.u32("version"); r.err == nil && v != AddressBookVersion {
		r.fail(20, "unknown version "+strconv.Itoa(int(v)))
	}
	x.typ = DisplayType(r.u32("type"))
	x.dn = r.cstr("X500 DN")
	x.trailing = r.rest()
	return r.err
}

// Kind returns KindAddressBook.
func (AddressBook) Kind() Kind { return KindAddressBook }

// AppendBinary appends the address book entry ID, with DN in code page
// CodePage.
func (a AddressBook) AppendBinary(b []byte) ([]byte, error) {
	out := a.Flags.append(b)
	out = append(out, AddressBookUID[:]...)
	out = binary.LittleEndian.AppendUint32(out, AddressBookVersion)
	out = binary.LittleEndian.AppendUint32(out, uint32(a.Type))
	out, err := appendString8(out, KindAddressBook, a.CodePage, "X500 DN", a.DN)
	if err != nil {
		return b, err
	}
	return append(out, a.Trailing...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (a AddressBook) MarshalBinary() ([]byte, error) { return marshal(a) }

// UnmarshalBinary sets a from b like ParseAddressBook, reading the DN in
// a.CodePage.
func (a *AddressBook) UnmarshalBinary(b []byte) error {
	return unmarshal(a, b, func(b mapispi.EntryID) (AddressBook, error) { return parseAddressBook(b, a.CodePage) })
}

// String returns the fields on one line, for logs and test failures.
func (a AddressBook) String() string {
	return fmt.Sprintf("AddressBook{Flags: %v, Type: %v, DN: %q", a.Flags, a.Type, a.DN) + codePageString(a.CodePage) + trailingString(a.Trailing) + "}"
}

// Ephemeral is the Go form of an NSPI EphemeralEntryID ([MS-OXNSPI]
// 2.2.9.2), 32 bytes. It names an address book object only within one NSPI
// session, by its minimal entry ID, so it never equals a permanent ID.
//
//	offset  size  field
//	0       1     ID type, 0x87
//	1       3     reserved (0)
//	4       16    the NSPI server's GUID
//	20      4     R4, observed 1 (EMS_VERSION)
//	24      4     display type
//	28      4     MId, the minimal entry ID
type Ephemeral struct {
	Flags       Flags // low byte 0x87 (EphemeralFlags); the other bytes as stored
	Server      mapispi.UID
	Version     uint32
	DisplayType DisplayType
	MID         uint32
}

const ephemeralLen = 32

// ParseEphemeral decodes an NSPI ephemeral entry ID. It does not allocate
// unless it fails.
func ParseEphemeral(b mapispi.EntryID) (Ephemeral, error) {
	r := newReader(KindEphemeral, b)
	e := Ephemeral{Flags: r.header(nil)}
	if r.err == nil {
		e.Server = mapispi.UID(b[4:20])
		if !e.Flags.Ephemeral() {
			r.fail(0, "ID type is not 0x87")
		}
	}
	e.Version = r.u32("version")
	e.DisplayType = DisplayType(r.u32("display type"))
	e.MID = r.u32("MId")
	r.end("the MId")
	if r.err != nil {
		return Ephemeral{}, r.err
	}
	return e, nil
}

// Kind returns KindEphemeral.
func (Ephemeral) Kind() Kind { return KindEphemeral }

// AppendBinary appends the 32-byte ephemeral entry ID. A zero Flags is
// written as EphemeralFlags.
func (e Ephemeral) AppendBinary(b []byte) ([]byte, error) {
	f := e.Flags
	if f == 0 {
		f = EphemeralFlags
	}
	if !f.Ephemeral() {
		return b, encodeErr(KindEphemeral, nil, "flags %v do not start with 0x87", f)
	}
	b = f.append(b)
	b = append(b, e.Server[:]...)
	b = binary.LittleEndian.AppendUint32(b, e.Version)
	b = binary.LittleEndian.AppendUint32(b, uint32(e.DisplayType))
	return binary.LittleEndian.AppendUint32(b, e.MID), nil
}

// MarshalBinary returns AppendBinary(nil).
func (e Ephemeral) MarshalBinary() ([]byte, error) { return marshal(e) }

// UnmarshalBinary sets e from b like ParseEphemeral.
func (e *Ephemeral) UnmarshalBinary(b []byte) error { return unmarshal(e, b, ParseEphemeral) }

// String returns the fields on one line, for logs and test failures.
func (e Ephemeral) String() string {
	return fmt.Sprintf("Ephemeral{Flags: %v, Server: %v, Version: %d, DisplayType: %v, MID: 0x%08X}", e.Flags, e.Server, e.Version, e.DisplayType, e.MID)
}
