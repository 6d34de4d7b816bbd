package entryid_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// FuzzBuild builds values from arbitrary fields and checks the promise of
// AppendBinary: whatever it encodes, the type's Parse function reads back
// as the same value.
func FuzzBuild(f *testing.F) {
	f.Add(uint8(0), uint32(0x0C), "SERVER", "/o=org/cn=x", "a", uint16(0x8001), uint64(5))
	f.Add(uint8(1), uint32(0x06), "S", "", "", uint16(0x1001), uint64(1<<48))
	f.Add(uint8(2), uint32(0), "C:\\x.pst", "\xD8\x35\x21\xF3", "\x00", uint16(0), uint64(0))
	f.Add(uint8(3), uint32(0x0001), "", "", "", uint16(7), uint64(1))
	f.Fuzz(func(t *testing.T, which uint8, n uint32, s1, s2, s3 string, w uint16, counter uint64) {
		var v entryid.Structure
		var parse func(mapispi.EntryID) (entryid.Structure, error)
		switch which % 6 {
		case 0, 1:
			x := entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.OpenStoreFlags(n), Server: s1, MailboxDN: s2}
			if which%2 == 1 {
				x.Provider = entryid.StorePublicUID
			}
			switch w % 3 {
			case 1:
				x.V2 = entryid.NewStoreV2(s3, s1)
			case 2:
				x.V3 = entryid.NewStoreV3(s3)
			}
			v, parse = x, layParse(entryid.ParseExchangeStore)
		case 2:
			v, parse = entryid.PSTStore{ANSIPath: s1, UnicodePath: s2, Reserved: uint8(n)}, layParse(entryid.ParsePSTStore)
		case 3:
			v, parse = entryid.Folder{Type: entryid.LongTermType(w), ID: entryid.LongTermID{Counter: counter, Pad: uint16(n)}}, layParse(entryid.ParseFolder)
		case 4:
			v, parse = entryid.OneOff{Options: entryid.OneOffFlags(w), DisplayName: s1, AddressType: s2, Address: s3}, layParse(entryid.ParseOneOff)
		case 5:
			v, parse = entryid.Store{Version: uint8(n), Flag: uint8(w), DLL: s1, Provider: mapispi.UID{1}, Inner: []byte(s2)}, layParse(entryid.ParseStore)
		}
		b, err := v.AppendBinary(nil)
		if err != nil {
			if !errors.Is(err, mapispi.ErrInvalidParameter) {
				t.Fatalf("%v.AppendBinary error %v, want ErrInvalidParameter", v, err)
			}
			return
		}
		got, err := parse(b)
		if err != nil {
			t.Fatalf("%v encodes to %X, which its Parse function rejects: %v", v, b, err)
		}
		if !reflect.DeepEqual(normalise(got), normalise(v)) {
			t.Fatalf("Parse(%X) = %v, want %v", b, got, v)
		}
	})
}

// normalise clears what a decode may legitimately spell differently from
// the value built: empty and nil byte slices.
func normalise(s entryid.Structure) entryid.Structure {
	switch v := s.(type) {
	case entryid.Store:
		if len(v.Inner) == 0 {
			v.Inner = nil
		}
		if v.Flag == entryid.StoreFlagUnopened {
			v.DLL = ""
		} else {
			v.Provider = mapispi.UID{}
		}
		return v
	}
	return s
}
