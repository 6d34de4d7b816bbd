package entryid

import "github.com/mapiemu/mapiemu/mapispi"

// Well-known provider and wrapper UIDs, as the raw 16 bytes entry IDs carry
// at offset 4 ([MS-OXCDATA] 2.2.4-2.2.5 gives most of them). Their String
// form is the registry form of the GUID with those in-memory bytes.
var (
	// StoreWrapUID is MUIDSTOREWRAP: MAPI's wrapper around a provider's store
	// entry ID (WrapStoreEntryID). {10BBA138-E505-1A10-A1BB-08002B2A56C2}
	StoreWrapUID = mapispi.UID{0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A, 0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2}
	// StorePrivateUID is g_muidStorePrivate: the inner UID of a wrapped
	// Exchange mailbox store ID.
	StorePrivateUID = mapispi.UID{0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A}
	// StorePublicUID is g_muidStorePublic: the inner UID of a wrapped
	// Exchange public folder store ID.
	StorePublicUID = mapispi.UID{0x1C, 0x83, 0x02, 0x10, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A}
	// PublicFolderUID is pbLongTermNonPrivateGuid: the provider UID of
	// Exchange public folder and public message entry IDs.
	PublicFolderUID = mapispi.UID{0x1A, 0x44, 0x73, 0x90, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A}
	// AddressBookUID is MUIDEMSAB (GUID_NSPI): Exchange address book entry IDs.
	AddressBookUID = mapispi.UID{0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82}
	// OneOffUID is MAPI_ONE_OFF_UID (muidOOP): one-off recipient entry IDs.
	OneOffUID = mapispi.UID{0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02}
	// ContactsUID is muidContabDLL: the Outlook Contacts address book
	// (contact, distribution list and container entry IDs).
	ContactsUID = mapispi.UID{0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10, 0xE8, 0x85, 0x0B, 0x65, 0x1C, 0x24, 0x00, 0x00}
	// WABUID is WAB_GUID: the MS-OXOCNTC WrappedEntryId of distribution
	// list members.
	WABUID = mapispi.UID{0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11, 0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4}
	// PSTProviderUID is MSPST_UID_PROVIDER: the inner UID of wrapped PST
	// store IDs.
	PSTProviderUID = mapispi.UID{0x4E, 0x49, 0x54, 0x41, 0xF9, 0xBF, 0xB8, 0x01, 0x00, 0xAA, 0x00, 0x37, 0xD9, 0x6E, 0x00, 0x00}
)

// UIDName returns the C name of a well-known UID ("MUIDSTOREWRAP",
// "MAPI_ONE_OFF_UID", ...) or "" for any other UID.
func UIDName(u mapispi.UID) string {
	switch u {
	case StoreWrapUID:
		return "MUIDSTOREWRAP"
	case StorePrivateUID:
		return "g_muidStorePrivate"
	case StorePublicUID:
		return "g_muidStorePublic"
	case PublicFolderUID:
		return "pbLongTermNonPrivateGuid"
	case AddressBookUID:
		return "MUIDEMSAB"
	case OneOffUID:
		return "MAPI_ONE_OFF_UID"
	case ContactsUID:
		return "muidContabDLL"
	case WABUID:
		return "WAB_GUID"
	case PSTProviderUID:
		return "MSPST_UID_PROVIDER"
	}
	return ""
}
