package mapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// BenchmarkSessionCompareEntryIDs compares two wrapped IDs of one store
// that differ in abFlags, through the session's routing to the provider's
// CompareStoreIDs; msprovider's BenchmarkCompareStoreIDs is the baseline.
func BenchmarkSessionCompareEntryIDs(b *testing.B) {
	ctx := context.Background()
	s, a, other := flagPair(b)
	b.ReportAllocs()
	for b.Loop() {
		if same, err := s.CompareEntryIDs(ctx, a, other); !same || err != nil {
			b.Fatal(same, err)
		}
	}
}

// BenchmarkSessionOpenLogoff opens a store through the host and logs it
// off (OpenMsgStore with MDB_NO_MAIL, then StoreLogoff and the handle's
// Close, which logs the store off); msprovider's
// BenchmarkLogonLogoff (Logon and Logoff on the provider, no spooler) is
// the baseline, with the same allocator (an alloc.Heap without Trace).
// The Trace variant also encodes every call as JSON to io.Discard; the
// DefaultAllocator variant uses the session's default allocator, whose
// Trace records a stack per allocation for the leak report.
func BenchmarkSessionOpenLogoff(b *testing.B) {
	for _, tc := range []struct {
		name  string
		trace func(mapi.Call)
		heap  mapispi.Allocator
	}{
		{"NoTrace", nil, &alloc.Heap{}},
		{"Trace", func(c mapi.Call) { _ = json.NewEncoder(io.Discard).Encode(c) }, &alloc.Heap{}},
		{"DefaultAllocator", nil, nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			w := newWorld(b, "Mailbox")
			s := w.logon(b, &mapi.Options{Trace: tc.trace, Allocator: tc.heap})
			defer s.Logoff(ctx)
			stores, _ := s.MsgStores(ctx)
			id := stores[0].EntryID
			b.ReportAllocs()
			for b.Loop() {
				st, err := s.OpenMsgStore(ctx, id, mapispi.LogonNoDialog|mapispi.LogonNoMail)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := st.StoreLogoff(ctx, mapispi.LogoffNoWait); err != nil {
					b.Fatal(err)
				}
				if err := st.Close(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSessionCompareEntryIDsAllocs(t *testing.T) {
	ctx := context.Background()
	s, a, other := flagPair(t)
	if n := testing.AllocsPerRun(100, func() { s.CompareEntryIDs(ctx, a, other) }); n != 0 {
		t.Errorf("Session.CompareEntryIDs of two wrapped store IDs allocates %v times, want 0", n)
	}
}

// flagPair logs a session on, and returns it with two wrapped IDs of one
// store that differ in abFlags, compared once so the provider is loaded.
func flagPair(t testing.TB) (*mapi.Session, mapispi.EntryID, mapispi.EntryID) {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t, "Mailbox")
	s := w.logon(t, nil)
	t.Cleanup(func() { s.Logoff(ctx) })
	stores, _ := s.MsgStores(ctx)
	a := stores[0].EntryID
	other := append(mapispi.EntryID(nil), a...)
	other[0] = 0x80
	if same, err := s.CompareEntryIDs(ctx, a, other); !same || err != nil {
		t.Fatalf("CompareEntryIDs(wrapped, other abFlags) = %v, %v, want true", same, err)
	}
	return s, a, other
}

// BenchmarkOpenMsgStore opens one store of a profile of n services and
// closes it (OpenMsgStore with MDB_NO_MAIL, then Close, which logs it
// off), cycling through the stores: the session finds the service by the
// ID's key, so the cost does not grow with the profile (the aim: n=10000
// within 1.5x of n=100).
func BenchmarkOpenMsgStore(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			ctx := context.Background()
			names := make([]string, n)
			for i := range names {
				names[i] = fmt.Sprintf("store %d", i)
			}
			w := newWorld(b, names...)
			s := w.logon(b, &mapi.Options{Allocator: &alloc.Heap{}})
			defer s.Logoff(ctx)
			stores, _ := s.MsgStores(ctx)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				st, err := s.OpenMsgStore(ctx, stores[i%n].EntryID, mapispi.LogonNoDialog|mapispi.LogonNoMail)
				if err != nil {
					b.Fatal(err)
				}
				if err := st.Close(ctx); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
