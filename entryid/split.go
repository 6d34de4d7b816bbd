package entryid

import (
	"encoding/binary"
	"strconv"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Split returns the parts every entry ID starts with: abFlags, the 16-byte
// provider UID at offset 4 by which MAPI routes it, and the provider's
// bytes after them (aliasing b). It does not allocate unless it fails; it
// fails, with a *ParseError, only when b is shorter than 20 bytes.
func Split(b mapispi.EntryID) (flags Flags, provider mapispi.UID, rest []byte, err error) {
	if len(b) < headerLen {
		return 0, mapispi.UID{}, nil, tooShort(KindInvalid, b)
	}
	return flagsOf(b), mapispi.UID(b[4:20]), b[headerLen:], nil
}

const headerLen = 20

func tooShort(k Kind, b []byte) *ParseError {
	if b == nil {
		return parseErr(k, 0, "no entry ID (nil)")
	}
	return parseErr(k, len(b), "entry ID of "+strconv.Itoa(len(b))+" bytes is shorter than abFlags and a provider UID (20 bytes)")
}

// Identify tells which layout b has from its header: the provider UID, the
// abFlags, and for layouts with no UID of their own (Exchange folders and
// messages, PST IDs) the length and type field. It does not allocate and
// does not validate the rest: [Parse] may still reject b.
//
// IDs with fewer than 20 bytes are KindInvalid; IDs it does not recognise
// are KindGeneric. Lengths decide only where no UID does, as in MFCMAPI:
// 46 bytes with a folder type value is a folder, 70 bytes with a message
// type value a message, and 24 bytes a PST entry ID. A well-known UID
// decides the layout family even when the rest does not fit it: a Contacts
// address book ID of an unknown type is KindContact, which ParseContact
// then rejects with the reason.
func Identify(b mapispi.EntryID) Kind {
	if len(b) < headerLen {
		return KindInvalid
	}
	if isEphemeral(b) {
		return KindEphemeral
	}
	switch knownUID(b) {
	case kStoreWrap:
		return KindStore
	case kStorePrivate, kStorePublic:
		return KindExchangeStore
	case kPSTProvider:
		return KindPSTStore
	case kOneOff:
		return KindOneOff
	case kAddressBook:
		return KindAddressBook
	case kWAB:
		return KindWrapped
	case kContacts:
		if len(b) >= 28 {
			switch ContabType(binary.LittleEndian.Uint32(b[24:])) {
			case ContabUser:
				return KindContact
			case ContabDistList:
				return KindDistList
			case ContabRoot, ContabSubroot, ContabContainer:
				return KindContactFolder
			}
		}
		return KindContact // of no type Parse accepts: ParseContact says why
	}
	switch len(b) {
	case folderLen:
		if LongTermType(binary.LittleEndian.Uint16(b[20:])).isFolder() {
			return KindFolder
		}
	case messageLen:
		if LongTermType(binary.LittleEndian.Uint16(b[20:])).isMessage() {
			return KindMessage
		}
	case pstLen:
		return KindPST
	}
	return KindGeneric
}

// The well-known UIDs that decide a layout, as knownUID reports them.
const (
	kNone = iota
	kStoreWrap
	kStorePrivate
	kStorePublic
	kPSTProvider
	kOneOff
	kAddressBook
	kWAB
	kContacts
)

// knownUID returns which well-known UID b carries at offset 4 (len(b) >= 20).
// The first bytes of the well-known UIDs differ, so a table indexed by the
// first byte picks the candidate and two uint64 comparisons confirm it.
func knownUID(b []byte) int {
	c := &uidTable[b[4]]
	if c.k == kNone || binary.LittleEndian.Uint64(b[4:]) != c.lo || binary.LittleEndian.Uint64(b[12:]) != c.hi {
		return kNone
	}
	return c.k
}

// uidTable holds, by first byte, the well-known UID starting with it as
// two little-endian halves.
var uidTable = func() (t [256]struct {
	k      int
	lo, hi uint64
}) {
	for k, u := range map[int]mapispi.UID{
		kStoreWrap: StoreWrapUID, kStorePrivate: StorePrivateUID, kStorePublic: StorePublicUID,
		kPSTProvider: PSTProviderUID, kOneOff: OneOffUID, kAddressBook: AddressBookUID,
		kWAB: WABUID, kContacts: ContactsUID,
	} {
		c := &t[u[0]]
		if c.k != kNone {
			panic("entryid: two well-known UIDs start with the same byte") // a programming error, caught by any test
		}
		c.k, c.lo, c.hi = k, binary.LittleEndian.Uint64(u[:8]), binary.LittleEndian.Uint64(u[8:])
	}
	return t
}()
