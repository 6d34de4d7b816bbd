package msprovider

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// BenchmarkLogonLogoff measures a first logon and its Logoff.
func BenchmarkLogonLogoff(b *testing.B) {
	h := newHarness(b)
	id := h.store("bench", "")
	sup := newFakeSupport(h.heap)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := h.p.Logon(ctx, sup, &mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoDialog})
		if err != nil {
			b.Fatal(err)
		}
		h.heap.FreeBuffer(res.SpoolSecurity)
		if err := res.Logon.Logoff(ctx); err != nil {
			b.Fatal(err)
		}
		sup.calls, sup.uids, sup.transports = sup.calls[:0], sup.uids[:0], sup.transports[:0]
	}
}

// BenchmarkCompareStoreIDs compares two unwrapped IDs of one store that
// differ in abFlags, as MAPI passes them; BenchmarkBytesEqual is the
// baseline on the same bytes.
func BenchmarkCompareStoreIDs(b *testing.B) {
	short, long, _ := benchStoreIDs()
	p := &Provider{}
	b.ReportAllocs()
	for b.Loop() {
		if same, err := p.CompareStoreIDs(short, long); !same || err != nil {
			b.Fatal(same, err)
		}
	}
}

func BenchmarkBytesEqual(b *testing.B) {
	short, long, _ := benchStoreIDs()
	b.ReportAllocs()
	for b.Loop() {
		if bytes.Equal(short, long) {
			b.Fatal("equal")
		}
	}
}

// BenchmarkCompareStoreIDsWrapped compares a wrapped ID with an unwrapped one.
func BenchmarkCompareStoreIDsWrapped(b *testing.B) {
	_, long, wrapped := benchStoreIDs()
	p := &Provider{}
	b.ReportAllocs()
	for b.Loop() {
		if same, err := p.CompareStoreIDs(wrapped, long); !same || err != nil {
			b.Fatal(same, err)
		}
	}
}

func benchStoreIDs() (short, long, wrapped []byte) {
	long = appendStoreID(nil, mapispi.UID{0xAB, 1, 2, 3})
	short = bytes.Clone(long)
	short[0] = 0x80
	return short, long, testWrap(DLLName, short)
}

// BenchmarkLogoffWithOpenStores logs one store off and on again while n
// others stay open: the per-call cost must not depend on n, since each
// store holds its list element.
func BenchmarkLogoffWithOpenStores(b *testing.B) {
	for _, n := range []int{10, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := newHarness(b)
			ctx := context.Background()
			sup := newFakeSupport(h.heap)
			for i := range n {
				res, err := h.p.Logon(ctx, sup, &mapispi.LogonRequest{EntryID: h.store(fmt.Sprint(i), ""), Flags: mapispi.LogonNoMail})
				if err != nil {
					b.Fatal(err)
				}
				_ = res
			}
			id := h.store("cycled", "")
			b.ReportAllocs()
			for b.Loop() {
				res, err := h.p.Logon(ctx, sup, &mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoMail})
				if err != nil {
					b.Fatal(err)
				}
				if err := res.Logon.Logoff(ctx); err != nil {
					b.Fatal(err)
				}
				sup.calls, sup.uids, sup.transports = sup.calls[:0], sup.uids[:0], sup.transports[:0]
			}
		})
	}
}
