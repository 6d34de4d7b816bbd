package entryid

import (
	"encoding/binary"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

func TestExchangeUIDHalves(t *testing.T) {
	for _, c := range []struct {
		u      mapispi.UID
		lo, hi uint64
	}{
		{StoreWrapUID, storeWrapLo, storeWrapHi},
		{StorePrivateUID, storePrivateLo, storeExchangeHi},
		{StorePublicUID, storePublicLo, storeExchangeHi},
	} {
		if lo, hi := binary.LittleEndian.Uint64(c.u[:8]), binary.LittleEndian.Uint64(c.u[8:]); lo != c.lo || hi != c.hi {
			t.Errorf("halves of %v = %#x, %#x, constants say %#x, %#x", c.u, lo, hi, c.lo, c.hi)
		}
	}
}

func TestKnownUID(t *testing.T) {
	for want, u := range map[int]mapispi.UID{
		kStoreWrap: StoreWrapUID, kStorePrivate: StorePrivateUID, kStorePublic: StorePublicUID,
		kPSTProvider: PSTProviderUID, kOneOff: OneOffUID, kAddressBook: AddressBookUID,
		kWAB: WABUID, kContacts: ContactsUID, kNone: PublicFolderUID,
	} {
		b := append(make([]byte, 4), u[:]...)
		if want != kNone && !firstUIDByte[u[0]] {
			t.Errorf("firstUIDByte[%#x] = false for %v", u[0], u)
		}
		if got := knownUID(b); got != want {
			t.Errorf("knownUID(%v) = %d, want %d", u, got, want)
		}
		b[19] ^= 1 // same low half, other high half
		if got := knownUID(b); got != kNone {
			t.Errorf("knownUID(%v with its last byte changed) = %d, want kNone", u, got)
		}
	}
}
