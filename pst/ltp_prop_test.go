package pst

import (
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"testing"
	"unicode/utf16"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestDecodeUnicode compares decodeUnicode with utf16.Decode, less the
// trailing NULs, on text with pairs, unpaired surrogates and NULs.
func TestDecodeUnicode(t *testing.T) {
	want := func(u []uint16) string {
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1]
		}
		return string(utf16.Decode(u))
	}
	units := []uint16{0, 'a', 0xE9, 0x20AC, 0xD83D, 0xDE00, 0xDBFF, 0xDFFF, 0xD800, 0xDC00, 0xFFFD, 0xFFFF}
	cases := [][]uint16{
		nil, {0}, {0, 0}, {'a', 0}, {0, 'a'}, {0xD83D, 0xDE00}, {0xD83D}, {0xDE00}, {0xD83D, 0}, {0xD83D, 'a'},
		{0xDE00, 0xD83D}, {0xD83D, 0xD83D, 0xDE00}, {'a', 0xD83D, 0xDE00, 0},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		u := make([]uint16, r.IntN(8))
		for i := range u {
			u[i] = units[r.IntN(len(units))]
		}
		cases = append(cases, u)
	}
	for _, u := range cases {
		b := make([]byte, 2*len(u))
		for i, c := range u {
			binary.LittleEndian.PutUint16(b[2*i:], c)
		}
		if got, ok := decodeUnicode(b); !ok || got != want(u) {
			t.Errorf("decodeUnicode(%X) = %q, %v; want %q", u, got, ok, want(u))
		}
	}
	if _, ok := decodeUnicode([]byte{'a', 0, 'b'}); ok {
		t.Errorf("decodeUnicode of 3 bytes = ok, want false")
	}
}

// TestMultiBinaryCopies: the items of a multi-valued binary value are
// copied once. Joined from a subnode's blocks, they are views of the
// join (which is the value's); from the heap, copies in one buffer.
// Either way changing or growing one item leaves the others and the
// node alone.
func TestMultiBinaryCopies(t *testing.T) {
	items := make([][]byte, 16)
	for i := range items {
		items[i] = make([]byte, 100)
		for k := range items[i] {
			items[i][k] = byte(i)
		}
	}
	raw := multi(items...)
	h := newLTPHeap()
	inHeap := h.add(raw)
	n := &ltpFakeNode{nid: testNID, data: h.build(hnClientPC, 0)}
	const sub NID = 0x3F
	n.addSub(sub, raw[:len(raw)/2], raw[len(raw)/2:])
	hn, err := openHeap(n)
	if err != nil {
		t.Fatal(err)
	}
	tag := mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtBinary, 0x6600)
	for _, tt := range []struct {
		name string
		hnid uint32
	}{{"heap", uint32(inHeap)}, {"subnode of two blocks", uint32(sub)}} {
		bud := testBudget()
		var v mapispi.PropValue
		allocs := testing.AllocsPerRun(20, func() {
			v, err = hn.storedValue(tag, tt.hnid, 0, bud)
		})
		got, ok := v.Value.([][]byte)
		if err != nil || !ok || !reflect.DeepEqual(got, items) {
			t.Fatalf("%s: storedValue = %v, %v; want the %d items", tt.name, v, err, len(items))
		}
		// The slices of items, their bytes (one buffer, or the join)
		// and the interface holding them: none for each item.
		if allocs > 5 {
			t.Errorf("%s: storedValue of %d items made %v allocations, want at most 5", tt.name, len(items), allocs)
		}
		got[0][0] = 0xFF
		got[0] = append(got[0], 0xEE)
		if got[1][0] != 1 {
			t.Errorf("%s: changing item 0 changed item 1: %x", tt.name, got[1][:4])
		}
		again, err := hn.storedValue(tag, tt.hnid, 0, bud)
		if err != nil || !reflect.DeepEqual(again.Value, items) {
			t.Errorf("%s: after changing a returned value, storedValue = %v, %v; want the items unchanged", tt.name, again, err)
		}
	}
}
