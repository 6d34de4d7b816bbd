package entryid

import "strconv"

// Kind names an entry ID layout. [Identify] tells it from the header
// without allocating; [Parse] returns the value type for it.
type Kind uint8

const (
	// KindInvalid: fewer than 20 bytes, too short for the abFlags and the
	// provider UID every layout starts with.
	KindInvalid Kind = iota
	// KindGeneric: flags, a provider UID this package does not know and the
	// provider's opaque bytes ([Generic]).
	KindGeneric
	// KindStore: a store entry ID wrapped by MAPI (WrapStoreEntryID,
	// MUIDSTOREWRAP) around a provider's own store ID ([Store]).
	KindStore
	// KindExchangeStore: the Exchange private or public store ID that
	// emsmdb.dll keeps inside the wrap ([ExchangeStore]).
	KindExchangeStore
	// KindPSTStore: the PST provider's store ID inside the wrap ([PSTStore]).
	KindPSTStore
	// KindFolder: an Exchange folder entry ID, 46 bytes ([Folder]).
	KindFolder
	// KindMessage: an Exchange message entry ID, 70 bytes ([Message]).
	KindMessage
	// KindPST: an MS-PST folder or message entry ID, 24 bytes ([PST]).
	KindPST
	// KindAddressBook: an Exchange address book (X500 DN) entry ID, the NSPI
	// permanent ID ([AddressBook]).
	KindAddressBook
	// KindEphemeral: an NSPI ephemeral address book ID: 32 bytes with
	// abFlags[0] = 0x87 ([Ephemeral]).
	KindEphemeral
	// KindOneOff: a one-off recipient ([OneOff]).
	KindOneOff
	// KindContact: a Contact Address entry ID of the Outlook Contacts
	// address book, CONTAB_USER ([Contact]).
	KindContact
	// KindDistList: a Personal Distribution List entry ID, CONTAB_DISTLIST
	// ([Contact] with Type ContabDistList).
	KindDistList
	// KindContactFolder: a container of the Outlook Contacts address book,
	// CONTAB_ROOT, CONTAB_SUBROOT or CONTAB_CONTAINER ([ContactFolder]).
	KindContactFolder
	// KindWrapped: the WrappedEntryId of a distribution list member
	// (MS-OXOCNTC, WAB_GUID) ([Wrapped]).
	KindWrapped

	numKinds
)

var kindNames = [numKinds]string{
	KindInvalid:       "invalid",
	KindGeneric:       "generic",
	KindStore:         "store",
	KindExchangeStore: "Exchange store",
	KindPSTStore:      "PST store",
	KindFolder:        "folder",
	KindMessage:       "message",
	KindPST:           "PST",
	KindAddressBook:   "address book",
	KindEphemeral:     "ephemeral",
	KindOneOff:        "one-off",
	KindContact:       "contact",
	KindDistList:      "distribution list",
	KindContactFolder: "contact folder",
	KindWrapped:       "wrapped",
}

// String returns the layout's name in lower case ("folder", "one-off").
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}
