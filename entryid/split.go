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
// The first bytes of the well-known UIDs differ, so one byte picks the
// candidate and two uint64 comparisons confirm it. TestKnownUID checks the
// constants against the UID variables.
func knownUID(b []byte) int {
	var k int
	var lo, hi uint64
	switch b[4] {
	case 0x38:
		k, lo, hi = kStoreWrap, 0x1A10E50510BBA138, 0xC2562A2B0008BBA1
	case 0x1B:
		k, lo, hi = kStorePrivate, 0xCD1166AA20FA551B, 0x5AC42F00AA00C89B
	case 0x1C:
		k, lo, hi = kStorePublic, 0xCD1166AA1002831C, 0x5AC42F00AA00C89B
	case 0x4E:
		k, lo, hi = kPSTProvider, 0x01B8BFF94154494E, 0x00006ED93700AA00
	case 0x81:
		k, lo, hi = kOneOff, 0x1910A3BEA41F2B81, 0x02540F01DD006E9D
	case 0xDC:
		k, lo, hi = kAddressBook, 0x1A1042C0C840A7DC, 0x82E12F2B0008B9B4
	case 0xC0:
		k, lo, hi = kWAB, 0x11CF9D51D3AD91C0, 0xA4FA4700AA00A9A4
	case 0xFE:
		k, lo, hi = kContacts, 0x101AC7180AAA42FE, 0x0000241C650B85E8
	default:
		return kNone
	}
	if binary.LittleEndian.Uint64(b[4:]) != lo || binary.LittleEndian.Uint64(b[12:]) != hi {
		return kNone
	}
	return k
}
