package mapi

import (
	"bytes"
	"context"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// FuzzWrapCache holds the session's shortcut for wrapped IDs with a known
// header to what entryid.UnwrapView says of them.
func FuzzWrapCache(f *testing.F) {
	a := entryid.WrapStore("msprovider.dll", bytes.Repeat([]byte{7}, 40))
	f.Add([]byte(a), []byte(a))
	f.Add([]byte(a), append([]byte{1, 0, 0, 0}, a[4:]...))
	f.Add([]byte(entryid.WrapStore("EMSMDB.DLL", []byte{1, 2, 3})), []byte(a))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ia, err := entryid.UnwrapView(a)
		if err != nil || !isWrapped(a) || !isWrapped(b) {
			return
		}
		c := &wrapCache{hdr: a[20 : len(a)-len(ia)]}
		ib, ok := c.inner(b)
		if !ok {
			return
		}
		want, err := entryid.UnwrapView(mapispi.EntryID(b))
		if err != nil || !bytes.Equal(ib, want) {
			t.Fatalf("wrapCache{%x}.inner(%x) = %x, UnwrapView = %x, %v", c.hdr, b, ib, want, err)
		}
	})
}

// BenchmarkSessionCompareEntryIDsUncached is BenchmarkSessionCompareEntryIDs
// on the plain path, without the wrap cache: what the cache saves.
func BenchmarkSessionCompareEntryIDsUncached(b *testing.B) {
	ctx := context.Background()
	backend := msprovider.NewBackend(msprovider.WithPasswordIterations(1))
	var reg Registry
	if err := reg.Register(msprovider.DLLName, backend.Init); err != nil {
		b.Fatal(err)
	}
	id, _ := backend.CreateStore("Mailbox", nil)
	s, err := Logon(ctx, &reg, Profile{Services: []Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Logoff(ctx)
	a := entryid.WrapStore(msprovider.DLLName, id)
	other := append(mapispi.EntryID(nil), a...)
	other[0] = 0x80
	if same, err := s.compareStoresPlain(a, other, true, true, false); !same || err != nil {
		b.Fatal(same, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if same, err := s.compareStoresPlain(a, other, true, true, false); !same || err != nil {
			b.Fatal(same, err)
		}
	}
}
