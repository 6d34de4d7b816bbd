package entryid

import (
	"fmt"
	"strconv"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Wrapped is the Go form of the WrappedEntryId of a distribution list
// member ([MS-OXOCNTC] 2.2.2.2.4.1.1):
//
//	offset  size  field
//	0       4     abFlags
//	4       16    WAB_GUID
//	20      1     Type (WrappedType)
//	21      rest  the member's own entry ID
type Wrapped struct {
	Flags   Flags
	Type    WrappedType
	EntryID mapispi.EntryID // a one-off, a contact's or list's message ID, or an address book ID
}

// WrappedType is the Type byte of a WrappedEntryId: the embedded ID's kind
// in the low 4 bits, for contacts the address index in bits 4-6, and bit 7
// set for everything but one-offs.
type WrappedType uint8

// The WrappedType parts.
const (
	WrappedOneOff      WrappedType = 0    // embedded one-off entry ID
	WrappedContact     WrappedType = 3    // BFLAGS_INTERNAL_MAILUSER: a contact's message ID
	WrappedDistList    WrappedType = 4    // BFLAGS_INTERNAL_DISTLIST: a PDL's message ID
	WrappedGALUser     WrappedType = 5    // BFLAGS_EXTERNAL_MAILUSER: an address book ID
	WrappedGALDistList WrappedType = 6    // BFLAGS_EXTERNAL_DISTLIST: an address book ID
	WrappedNotContact  WrappedType = 0x30 // address index 3: anything but a contact
	WrappedOutlook     WrappedType = 0x80 // BFLAGS_MASK_OUTLOOK: set for all but one-offs
)

// Embedded returns the low 4 bits, the embedded entry ID's kind.
func (t WrappedType) Embedded() WrappedType { return t & 0x0F }

// AddressIndex returns bits 4-6: for a contact 0 business fax, 1 home fax,
// 2 primary fax, 4..6 Email1..Email3; 3 for anything but a contact.
func (t WrappedType) AddressIndex() uint8 { return uint8(t&0x70) >> 4 }

// String prints "0xC3 (Contact, address index 4)".
func (t WrappedType) String() string {
	kind := map[WrappedType]string{
		WrappedOneOff: "OneOff", WrappedContact: "Contact", WrappedDistList: "DistList",
		WrappedGALUser: "GALUser", WrappedGALDistList: "GALDistList",
	}[t.Embedded()]
	if kind == "" {
		kind = "kind " + strconv.Itoa(int(t.Embedded()))
	}
	return fmt.Sprintf("0x%02X (%s, address index %d)", uint8(t), kind, t.AddressIndex())
}

// ParseWrapped decodes a WrappedEntryId.
func ParseWrapped(b mapispi.EntryID) (Wrapped, error) {
	r := newReader(KindWrapped, b)
	w := Wrapped{Flags: r.header(&WABUID)}
	w.Type = WrappedType(r.u8("type"))
	w.EntryID = clone(r.rest())
	if r.err != nil {
		return Wrapped{}, r.err
	}
	return w, nil
}

// Kind returns KindWrapped.
func (Wrapped) Kind() Kind { return KindWrapped }

// AppendBinary appends the WrappedEntryId.
func (w Wrapped) AppendBinary(b []byte) ([]byte, error) {
	b = w.Flags.append(b)
	b = append(b, WABUID[:]...)
	b = append(b, byte(w.Type))
	return append(b, w.EntryID...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (w Wrapped) MarshalBinary() ([]byte, error) { return marshal(w) }

// UnmarshalBinary sets w from b like ParseWrapped.
func (w *Wrapped) UnmarshalBinary(b []byte) error { return unmarshal(w, b, ParseWrapped) }

// String returns the fields on one line, for logs and test failures.
func (w Wrapped) String() string {
	return fmt.Sprintf("Wrapped{Flags: %v, Type: %v, EntryID: %X}", w.Flags, w.Type, []byte(w.EntryID))
}
