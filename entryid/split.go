package entryid

import (
	"encoding/binary"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Split returns the parts every entry ID starts with: abFlags, the 16-byte
// provider UID at offset 4 by which MAPI routes it, and the provider's
// bytes after them (aliasing b). It does not allocate unless it fails; it
// fails, with a *ParseError, only when b is shorter than 20 bytes.
func Split(b []byte) (flags Flags, provider mapispi.UID, rest []byte, err error) {
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
	return parseErr(k, len(b), "entry ID of "+itoa(len(b))+" bytes is shorter than abFlags and a provider UID (20 bytes)")
}

// Identify tells which layout b has from its header: the provider UID, the
// abFlags, and for layouts with no UID of their own (Exchange folders and
// messages, PST IDs) the length and type field. It does not allocate and
// does not validate the rest: [Parse] may still reject b.
//
// IDs with fewer than 20 bytes are KindInvalid; IDs it does not recognise
// are KindGeneric. Lengths decide only where no UID does, as in MFCMAPI:
// 46 bytes with a folder type value is a folder, 70 bytes with a message
// type value a message, and 24 bytes a PST entry ID.
func Identify(b []byte) Kind {
	if len(b) < headerLen {
		return KindInvalid
	}
	if b[0] == byte(EphemeralFlags) && len(b) == ephemeralLen {
		return KindEphemeral
	}
	switch mapispi.UID(b[4:20]) {
	case StoreWrapUID:
		return KindStore
	case StorePrivateUID, StorePublicUID:
		return KindExchangeStore
	case PSTProviderUID:
		return KindPSTStore
	case OneOffUID:
		return KindOneOff
	case AddressBookUID:
		return KindAddressBook
	case WABUID:
		return KindWrapped
	case ContactsUID:
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
		if ObjectType(binary.LittleEndian.Uint16(b[20:])).isFolder() {
			return KindFolder
		}
	case messageLen:
		if ObjectType(binary.LittleEndian.Uint16(b[20:])).isMessage() {
			return KindMessage
		}
	case pstLen:
		return KindPST
	}
	return KindGeneric
}
