package msprovider

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// storeIDSeeds are inputs for the fuzz targets: IDs of two stores, their
// aliases and wraps, the version 1 layout (ProviderUID at offset 4) and
// other providers' IDs.
func storeIDSeeds() [][]byte {
	a := appendStoreID(nil, mapispi.UID{1})
	b := appendStoreID(nil, mapispi.UID{2})
	short := slices.Clone(a)
	short[0] = 0x80
	v1 := slices.Concat([]byte{0, 0, 0, 0}, ProviderUID[:], []byte{1, 0, 0, 0}, a[4:20])
	foreign := slices.Clone(a)
	foreign[30] ^= 0xFF
	return [][]byte{a, b, short, v1, foreign, testWrap(DLLName, a), testWrap("", nil), testWrap("abc", b), {}, a[:20], a[:39]}
}

// FuzzCompareStoreIDs: CompareStoreIDs never panics, fails only with
// ErrInvalidEntryID, is symmetric, reflexive on what it accepts, and
// agrees with the store UID the IDs decode to, which is the UID at bytes
// 4..19 of an accepted unwrapped ID, whose bytes 24..39 are ProviderUID.
func FuzzCompareStoreIDs(f *testing.F) {
	seeds := storeIDSeeds()
	for _, x := range seeds {
		f.Add(x, seeds[0])
	}
	p := &Provider{}
	f.Fuzz(func(t *testing.T, x, y []byte) {
		got, err := p.CompareStoreIDs(x, y)
		back, err2 := p.CompareStoreIDs(y, x)
		if got != back || (err == nil) != (err2 == nil) {
			t.Fatalf("CompareStoreIDs not symmetric: %v, %v vs %v, %v", got, err, back, err2)
		}
		if err != nil {
			if !errors.Is(err, mapispi.ErrInvalidEntryID) {
				t.Fatalf("CompareStoreIDs error %v is not ErrInvalidEntryID", err)
			}
			return
		}
		ux, _ := parseAnyStoreID(x)
		uy, _ := parseAnyStoreID(y)
		if got != (ux == uy) {
			t.Fatalf("CompareStoreIDs = %v, but the store UIDs are %v and %v", got, ux, uy)
		}
		if same, err := p.CompareStoreIDs(x, x); err != nil || !same {
			t.Fatalf("CompareStoreIDs(x, x) = %v, %v, want true", same, err)
		}
		inner, _ := unwrap(x)
		if len(inner) != storeIDLen || mapispi.UID(inner[4:20]) != ux || mapispi.UID(inner[24:40]) != ProviderUID {
			t.Fatalf("CompareStoreIDs accepted %X: store UID %v, want a 40-byte ID with it at 4..19 and ProviderUID at 24..39", inner, ux)
		}
		// The canonical ID of the store round-trips.
		if u, _ := parseStoreID(appendStoreID(nil, ux)); u != ux {
			t.Fatalf("appendStoreID/parseStoreID round trip: %v != %v", u, ux)
		}
	})
}

// FuzzStoreCompareEntryIDs: a store's CompareEntryIDs never panics, fails
// only with ErrInvalidEntryID or ErrUnknownEntryID, is symmetric, answers
// only for IDs that carry the store's UID at bytes 4..19 (directly or in
// a wrap) and then gives CompareStoreIDs' answer; OpenEntry refuses, with
// the same code, exactly the IDs CompareEntryIDs refuses.
func FuzzStoreCompareEntryIDs(f *testing.F) {
	seeds := storeIDSeeds()
	for _, x := range seeds {
		f.Add(x, seeds[0])
	}
	d := &storeData{uid: mapispi.UID{1}}
	d.eng = newEngine(d.uid, newMailbox(), d.displayName)
	s := newStore(&Provider{}, d, nil, seeds[0], testWrap(DLLName, seeds[0]), 0, false)
	f.Fuzz(func(t *testing.T, x, y []byte) {
		got, err := s.CompareEntryIDs(x, y)
		back, err2 := s.CompareEntryIDs(y, x)
		if got != back || (err == nil) != (err2 == nil) {
			t.Fatalf("CompareEntryIDs not symmetric: %v, %v vs %v, %v", got, err, back, err2)
		}
		for _, id := range [][]byte{x, y} {
			_, oerr := s.OpenEntry(t.Context(), id, 0)
			ownErr := s.owns("test", id)
			switch {
			case ownErr == nil && s.isStoreID(id):
				// The store's own ID is not opened with OpenEntry, once it
				// is well formed: CompareEntryIDs says whether it is.
				_, cerr := s.CompareEntryIDs(id, id)
				if cerr == nil && !errors.Is(oerr, mapispi.ErrNoSupport) || cerr != nil && mapispi.CodeOf(oerr) != mapispi.CodeOf(cerr) {
					t.Fatalf("OpenEntry(%X), an ID of the store, = %v; CompareEntryIDs(it, it) = %v; want ErrNoSupport or its error", id, oerr, cerr)
				}
			case ownErr == nil && !s.isStoreID(id) && oerr != nil && !errors.Is(oerr, mapispi.ErrNotFound) && !errors.Is(oerr, mapispi.ErrInvalidEntryID):
				t.Fatalf("OpenEntry(%X), a folder or message ID of the store, = %v, want an object, ErrNotFound or ErrInvalidEntryID", id, oerr)
			case ownErr != nil && mapispi.CodeOf(oerr) != mapispi.CodeOf(ownErr):
				t.Fatalf("OpenEntry(%X) = %v, but the store refuses the ID with %v", id, oerr, ownErr)
			}
		}
		if err != nil {
			if !errors.Is(err, mapispi.ErrInvalidEntryID) && !errors.Is(err, mapispi.ErrUnknownEntryID) {
				t.Fatalf("CompareEntryIDs error %v is neither ErrInvalidEntryID nor ErrUnknownEntryID", err)
			}
			return
		}
		for _, id := range [][]byte{x, y} {
			inner := id
			if len(id) >= 20 && mapispi.UID(id[4:20]) == entryid.StoreWrapUID {
				inner, _ = unwrap(id)
			}
			if len(inner) < 20 || mapispi.UID(inner[4:20]) != s.data.uid {
				t.Fatalf("CompareEntryIDs answered for %X, which does not carry the store's UID %v", id, s.data.uid)
			}
		}
		if !s.isStoreID(x) || !s.isStoreID(y) {
			return
		}
		want, werr := (&Provider{}).CompareStoreIDs(x, y)
		if werr != nil || got != want {
			t.Fatalf("CompareEntryIDs = %v, but CompareStoreIDs = %v, %v", got, want, werr)
		}
	})
}

// FuzzObjectEntryID: parseObjectID never panics, refuses what it cannot
// read with ErrInvalidEntryID or ErrUnknownEntryID, and what it accepts
// encodes back to the same bytes, abFlags aside.
func FuzzObjectEntryID(f *testing.F) {
	uid := mapispi.UID{1, 2, 3}
	f.Add([]byte(folderEntryID(uid, RootID)))
	f.Add([]byte(folderEntryID(uid, 1<<47)))
	f.Add([]byte(messageEntryID(uid, inboxID, 99)))
	f.Add([]byte(messageEntryID(mapispi.UID{9}, inboxID, 99)))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		ref, err := parseObjectID(uid, b)
		if err != nil {
			if !errors.Is(err, mapispi.ErrInvalidEntryID) && !errors.Is(err, mapispi.ErrUnknownEntryID) {
				t.Fatalf("parseObjectID(%X) = %v, want ErrInvalidEntryID or ErrUnknownEntryID", b, err)
			}
			return
		}
		var back mapispi.EntryID
		switch ref.typ {
		case mapispi.ObjFolder:
			back = folderEntryID(uid, ref.id)
		case mapispi.ObjMessage:
			back = messageEntryID(uid, ref.folder, ref.id)
		default:
			t.Fatalf("parseObjectID(%X) = type %v", b, ref.typ)
		}
		if !bytes.Equal(back[4:], b[4:]) {
			t.Fatalf("parseObjectID(%X) = %+v, which encodes as %X", b, ref, back)
		}
	})
}
