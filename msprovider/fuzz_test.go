package msprovider

import (
	"errors"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// FuzzCompareStoreIDs: CompareStoreIDs never panics, fails only with
// ErrInvalidEntryID, is symmetric, reflexive on what it accepts, and
// agrees with the store UID the IDs decode to.
func FuzzCompareStoreIDs(f *testing.F) {
	a := appendStoreID(nil, mapispi.UID{1})
	f.Add(a, appendStoreID(nil, mapispi.UID{2}))
	f.Add(testWrap(DLLName, a), a)
	f.Add([]byte{}, a)
	f.Add(testWrap("", nil), testWrap("abc", a))
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
		// The canonical ID of the store round-trips.
		if u, _ := parseStoreID(appendStoreID(nil, ux)); u != ux {
			t.Fatalf("appendStoreID/parseStoreID round trip: %v != %v", u, ux)
		}
	})
}
