package mapi

import (
	"bytes"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
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
