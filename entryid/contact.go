package entryid

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/mapiemu/mapiemu/mapispi"
)

// ContabType is the Type field of the Outlook Contacts address book's entry
// IDs (CONTAB_ENTRYID and DIR_ENTRYID).
type ContabType uint32

// The contab entry ID types.
const (
	ContabRoot      ContabType = 1 // CONTAB_ROOT
	ContabSubroot   ContabType = 2 // CONTAB_SUBROOT
	ContabContainer ContabType = 3 // CONTAB_CONTAINER: a contacts folder as an address book container
	ContabUser      ContabType = 4 // CONTAB_USER: one address of a contact
	ContabDistList  ContabType = 5 // CONTAB_DISTLIST: a personal distribution list
)

// String returns the C name ("CONTAB_USER") or the value.
func (t ContabType) String() string {
	switch t {
	case ContabRoot:
		return "CONTAB_ROOT"
	case ContabSubroot:
		return "CONTAB_SUBROOT"
	case ContabContainer:
		return "CONTAB_CONTAINER"
	case ContabUser:
		return "CONTAB_USER"
	case ContabDistList:
		return "CONTAB_DISTLIST"
	}
	return "ContabType(" + strconv.Itoa(int(t)) + ")"
}

// ContabVersion is the Version of the contab entry IDs (CONTAB_VERSION).
const ContabVersion = 3

// EmailIndex is the Index field of a contact entry ID: which of the
// contact's addresses it names (EEI_*).
type EmailIndex uint32

// The address indexes.
const (
	Email1      EmailIndex = 0
	Email2      EmailIndex = 1
	Email3      EmailIndex = 2
	Fax1        EmailIndex = 3    // business fax
	Fax2        EmailIndex = 4    // home fax
	Fax3        EmailIndex = 5    // primary fax
	DistListAll EmailIndex = 0xFF // the Index of every distribution list ID
)

// String returns "Email1".."Fax3", "DistList" for 0xFF, or the value.
func (i EmailIndex) String() string {
	switch {
	case i <= Email3:
		return "Email" + strconv.Itoa(int(i)+1)
	case i <= Fax3:
		return "Fax" + strconv.Itoa(int(i)-2)
	case i == DistListAll:
		return "DistList"
	}
	return "EmailIndex(" + strconv.Itoa(int(i)) + ")"
}

// Contact is the Go form of a Contact Address EntryID ([MS-OXCDATA]
// 2.2.5.3) and of a Personal Distribution List EntryID (2.2.5.4), which
// share one layout (CONTAB_ENTRYID):
//
//	offset  size  field
//	0       4     abFlags
//	4       16    muidContabDLL
//	20      4     Version (3)
//	24      4     Type: CONTAB_USER (4) or CONTAB_DISTLIST (5)
//	28      4     Index: which address (EmailIndex); 0xFF for a distribution list
//	32      4     EntryIdCount
//	36      n     the entry ID of the contact or list item (a message ID)
//	36+n    ...   Outlook 2003 and 2007 may add 3 meaningless bytes
type Contact struct {
	Flags   Flags
	Type    ContabType // ContabUser or ContabDistList
	Index   EmailIndex
	EntryID mapispi.EntryID // the contact's or list's message entry ID, any store's layout
	// Trailing holds the bytes after EntryID, kept as stored: the 3
	// bytes Outlook 2003 and 2007 add, or any others. They carry no
	// meaning (see [Parse]).
	Trailing []byte
}

// ParseContact decodes a contact or distribution list entry ID.
func ParseContact(b mapispi.EntryID) (Contact, error) {
	var x contactScan
	if err := x.scan(b); err != nil {
		return Contact{}, err
	}
	return Contact{Flags: x.flags, Type: x.typ, Index: x.index, EntryID: clone(x.entryID), Trailing: clone(x.trailing)}, nil
}

// contactScan is a contact ID read without allocating.
type contactScan struct {
	flags             Flags
	typ               ContabType
	index             EmailIndex
	entryID, trailing []byte
}

func (x *contactScan) scan(b []byte) *ParseError {
	r := newReader(KindContact, b)
	x.flags = r.header(&ContactsUID)
	r.contabVersion()
	x.typ = ContabType(r.u32("type"))
	if r.err == nil && x.typ != ContabUser && x.typ != ContabDistList {
		r.fail(24, "type "+x.typ.String()+" is not CONTAB_USER or CONTAB_DISTLIST")
	}
	if x.typ == ContabDistList {
		r.kind = KindDistList
	}
	x.index = EmailIndex(r.u32("index"))
	n := r.u32("entry ID count")
	if r.err == nil && uint64(n) > uint64(r.left()) {
		r.fail(32, "entry ID count "+strconv.Itoa(int(n))+" points past the end ("+strconv.Itoa(r.left())+" bytes left)")
	}
	x.entryID = r.bytes(int(n), "entry ID")
	x.trailing = r.rest()
	return r.err
}

func (r *reader) contabVersion() {
	if v := r.u32("version"); r.err == nil && v != ContabVersion {
		r.fail(20, "unknown version "+strconv.Itoa(int(v)))
	}
}

// Kind is KindDistList for a CONTAB_DISTLIST and KindContact otherwise.
func (c Contact) Kind() Kind {
	if c.Type == ContabDistList {
		return KindDistList
	}
	return KindContact
}

// AppendBinary appends the entry ID; EntryIdCount is len(EntryID).
func (c Contact) AppendBinary(b []byte) ([]byte, error) {
	if c.Type != ContabUser && c.Type != ContabDistList {
		return b, encodeErr(c.Kind(), nil, "type %v is not CONTAB_USER or CONTAB_DISTLIST", c.Type)
	}
	if uint64(len(c.EntryID)) > 0xFFFFFFFF {
		return b, encodeErr(c.Kind(), nil, "entry ID of %d bytes", len(c.EntryID))
	}
	b = c.Flags.append(b)
	b = append(b, ContactsUID[:]...)
	b = binary.LittleEndian.AppendUint32(b, ContabVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(c.Type))
	b = binary.LittleEndian.AppendUint32(b, uint32(c.Index))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.EntryID)))
	b = append(b, c.EntryID...)
	return append(b, c.Trailing...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (c Contact) MarshalBinary() ([]byte, error) { return marshal(c) }

// UnmarshalBinary sets c from b like ParseContact.
func (c *Contact) UnmarshalBinary(b []byte) error { return unmarshal(c, b, ParseContact) }

// String returns the fields on one line, for logs and test failures.
func (c Contact) String() string {
	return fmt.Sprintf("Contact{Flags: %v, Type: %v, Index: %v, EntryID: %X", c.Flags, c.Type, c.Index, []byte(c.EntryID)) + trailingString(c.Trailing) + "}"
}

// ContactFolder is the Go form of a container ID of the Outlook Contacts
// address book (DIR_ENTRYID): CONTAB_ROOT, CONTAB_SUBROOT or
// CONTAB_CONTAINER.
//
//	offset  size  field
//	0       4     abFlags
//	4       16    muidContabDLL
//	20      4     Version (3)
//	24      4     Type (1, 2 or 3)
//	28      16    muidID, the GUID of the logon object
//	44      rest  the entry ID of the backing contacts folder (in real data;
//	              the documentation stops at muidID)
type ContactFolder struct {
	Flags   Flags
	Type    ContabType
	Logon   mapispi.UID     // muidID
	EntryID mapispi.EntryID // the contacts folder's entry ID, possibly empty
}

// ParseContactFolder decodes a contacts address book container ID.
func ParseContactFolder(b mapispi.EntryID) (ContactFolder, error) {
	r := newReader(KindContactFolder, b)
	c := ContactFolder{Flags: r.header(&ContactsUID)}
	r.contabVersion()
	c.Type = ContabType(r.u32("type"))
	if r.err == nil && (c.Type < ContabRoot || c.Type > ContabContainer) {
		r.fail(24, "type "+c.Type.String()+" is not a container type")
	}
	c.Logon = r.uid("muidID")
	c.EntryID = clone(r.rest())
	if r.err != nil {
		return ContactFolder{}, r.err
	}
	return c, nil
}

// Kind returns KindContactFolder.
func (ContactFolder) Kind() Kind { return KindContactFolder }

// AppendBinary appends the container ID.
func (c ContactFolder) AppendBinary(b []byte) ([]byte, error) {
	if c.Type < ContabRoot || c.Type > ContabContainer {
		return b, encodeErr(KindContactFolder, nil, "type %v is not a container type", c.Type)
	}
	b = c.Flags.append(b)
	b = append(b, ContactsUID[:]...)
	b = binary.LittleEndian.AppendUint32(b, ContabVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(c.Type))
	b = append(b, c.Logon[:]...)
	return append(b, c.EntryID...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (c ContactFolder) MarshalBinary() ([]byte, error) { return marshal(c) }

// UnmarshalBinary sets c from b like ParseContactFolder.
func (c *ContactFolder) UnmarshalBinary(b []byte) error {
	return unmarshal(c, b, ParseContactFolder)
}

// String returns the fields on one line, for logs and test failures.
func (c ContactFolder) String() string {
	return fmt.Sprintf("ContactFolder{Flags: %v, Type: %v, Logon: %v, EntryID: %X}", c.Flags, c.Type, c.Logon, []byte(c.EntryID))
}
