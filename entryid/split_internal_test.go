package entryid

import (
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

func TestKnownUID(t *testing.T) {
	for want, u := range map[int]mapispi.UID{
		kStoreWrap: StoreWrapUID, kStorePrivate: StorePrivateUID, kStorePublic: StorePublicUID,
		kPSTProvider: PSTProviderUID, kOneOff: OneOffUID, kAddressBook: AddressBookUID,
		kWAB: WABUID, kContacts: ContactsUID, kNone: PublicFolderUID,
	} {
		b := append(make([]byte, 4), u[:]...)
		if got := knownUID(b); got != want {
			t.Errorf("knownUID(%v) = %d, want %d", u, got, want)
		}
		b[19] ^= 1 // same low half, other high half
		if got := knownUID(b); got != kNone {
			t.Errorf("knownUID(%v with its last byte changed) = %d, want kNone", u, got)
		}
	}
}
