package pst

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

const testNID NID = 0x21 // the node the tests lay out

func TestHeapAllocations(t *testing.T) {
	h := newLTPHeap()
	want := map[hid][]byte{}
	want[h.add([]byte("first"))] = []byte("first")
	want[h.add(nil)] = nil
	want[h.add([]byte("odd"))] = []byte("odd")
	for p := 1; p <= 8; p++ { // page 8 starts with an HNBITMAPHDR
		h.newPage()
		s := []byte(fmt.Sprintf("page %d", p))
		want[h.add(s)] = s
	}
	n := &ltpFakeNode{nid: testNID, data: h.build(hnClientBTH, 0)}
	hn, err := openHeap(n)
	if err != nil {
		t.Fatal(err)
	}
	if hn.clientSig != hnClientBTH {
		t.Errorf("clientSig = 0x%X, want 0xB5", hn.clientSig)
	}
	for id, w := range want {
		got, err := hn.alloc(id)
		if err != nil || !bytes.Equal(got, w) {
			t.Errorf("alloc(%v) = %q, %v, want %q", id, got, err, w)
		}
	}
	if len(n.data[8]) < hnBitmapHdrSize {
		t.Fatalf("page 8 is %d bytes, want an HNBITMAPHDR", len(n.data[8]))
	}
}

// TestStoredValue reads a value at each kind of HNID ([MS-PST]
// 2.3.3.2): a HID, a subnode of two blocks, 0; and an 8-byte value
// whose subnode holds more, which is an error before any join.
func TestStoredValue(t *testing.T) {
	h := newLTPHeap()
	id := h.add([]byte("in the heap"))
	n := &ltpFakeNode{nid: testNID, data: h.build(hnClientPC, 0)}
	const sub, big NID = 0x3F, 0x5F
	n.addSub(sub, []byte("in a "), []byte("subnode"))
	n.addSub(big, make([]byte, 4096), make([]byte, 4096))
	hn, err := openHeap(n)
	if err != nil {
		t.Fatal(err)
	}
	bin := mapispi.NewPropTag(mapispi.PtBinary, 0x6600)
	for _, tt := range []struct {
		name string
		hnid uint32
		want string
	}{
		{"HID", uint32(id), "in the heap"},
		{"subnode NID, two blocks joined", uint32(sub), "in a subnode"},
		{"zero", 0, ""},
	} {
		bud := testBudget()
		v, err := hn.storedValue(bin, tt.hnid, 0, bud)
		if got, ok := v.Value.([]byte); err != nil || !ok || string(got) != tt.want {
			t.Errorf("%s: storedValue(0x%X) = %#v, %v, want %q", tt.name, tt.hnid, v, err, tt.want)
		}
		if want := int64(len(tt.want) + valueCost); bud.used != want {
			t.Errorf("%s: storedValue(0x%X) charged %d bytes, want %d", tt.name, tt.hnid, bud.used, want)
		}
	}
	_, err = hn.storedValue(bin, 0x7F, 0, testBudget()) // a NID the node has no subnode for
	wantFormatError(t, err, testNID)
	_, err = hn.storedValue(mapispi.NewPropTag(mapispi.PtI8, 0x6600), uint32(big), 0, testBudget())
	wantFormatError(t, err, testNID)
	_, err = hn.storedValue(bin, uint32(big), 0, newBudget(8192))
	wantFormatError(t, err, testNID)
}

func TestHeapErrors(t *testing.T) {
	good := func() [][]byte {
		h := newLTPHeap()
		h.add([]byte("abcd"))
		return h.build(hnClientPC, 0x20)
	}
	for _, tt := range []struct {
		name  string
		pages func() [][]byte
		id    hid // allocation to read, 0 for none
	}{
		{"no data", func() [][]byte { return nil }, 0},
		{"page 0 shorter than an HNHDR", func() [][]byte { return [][]byte{make([]byte, 11)} }, 0},
		{"bad bSig", func() [][]byte { p := good(); p[0][2] = 0xED; return p }, 0},
		{"ibHnpm past the page", func() [][]byte { p := good(); p[0][0] = 0xFF; return p }, 0},
		{"ibHnpm inside the header", func() [][]byte { p := good(); binary.LittleEndian.PutUint16(p[0], 4); return p }, 0},
		{"cAlloc past the page", func() [][]byte {
			p := good()
			ib := binary.LittleEndian.Uint16(p[0])
			binary.LittleEndian.PutUint16(p[0][ib:], 500)
			return p
		}, 0},
		{"rgibAlloc out of order", func() [][]byte {
			p := good()
			ib := binary.LittleEndian.Uint16(p[0])
			binary.LittleEndian.PutUint16(p[0][ib+6:], 2)
			return p
		}, 0},
		{"HID past the page map", good, 2 << 5},
		{"HID past the pages", good, 1<<16 | 1<<5},
		{"HID with hidType", good, 1<<5 | 1},
		{"HID with hidIndex 0", good, 1 << 16},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hn, err := openHeap(&ltpFakeNode{nid: testNID, data: tt.pages()})
			if tt.id != 0 {
				if err != nil {
					t.Fatal(err)
				}
				_, err = hn.alloc(tt.id)
			}
			wantFormatError(t, err, testNID)
		})
	}
}

// bthRecs returns n records with 4-byte keys 10, 20, ... and 2-byte data.
func bthRecs(n int) []bthRecord {
	recs := make([]bthRecord, n)
	for i := range recs {
		recs[i] = bthRecord{key: le32(uint32(10 * (i + 1))), data: le16(uint16(i))}
	}
	return recs
}

func TestBTH(t *testing.T) {
	for _, tt := range []struct {
		name       string
		n, fanout  int
		wantLevels int
	}{
		{"empty", 0, 4, 0},
		{"one leaf", 3, 4, 0},
		{"one intermediate level", 10, 4, 1},
		{"two intermediate levels", 40, 4, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs := bthRecs(tt.n)
			h := newLTPHeap()
			hdr := h.addBTH(4, 2, recs, tt.fanout)
			hn, err := openHeap(&ltpFakeNode{nid: testNID, data: h.build(hnClientBTH, hdr)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := hn.openBTH(hn.userRoot)
			if err != nil {
				t.Fatal(err)
			}
			if b.levels != tt.wantLevels {
				t.Errorf("levels = %d, want %d", b.levels, tt.wantLevels)
			}
			got, err := b.records()
			if err != nil || len(got) != len(recs) {
				t.Fatalf("records() = %d records, %v, want %d", len(got), err, len(recs))
			}
			for i, r := range recs {
				if !bytes.Equal(got[i].key, r.key) || !bytes.Equal(got[i].data, r.data) {
					t.Errorf("records()[%d] = %x:%x, want %x:%x", i, got[i].key, got[i].data, r.key, r.data)
				}
				d, ok, err := b.lookup(r.key)
				if err != nil || !ok || !bytes.Equal(d, r.data) {
					t.Errorf("lookup(%x) = %x, %v, %v, want %x", r.key, d, ok, err, r.data)
				}
			}
			for _, k := range []uint32{0, 5, 15, 10*uint32(tt.n) + 1} {
				if d, ok, err := b.lookup(le32(k)); ok || err != nil {
					t.Errorf("lookup(%d) = %x, %v, %v, want not found", k, d, ok, err)
				}
			}
		})
	}
}

func TestBTHErrors(t *testing.T) {
	// Each case lays out a heap and returns the BTH header's HID.
	for _, tt := range []struct {
		name   string
		layout func(h *ltpHeap) hid
		key    uint32 // the key lookup must fail on, 0 for none
	}{
		{"bad bType", func(h *ltpHeap) hid {
			return h.add([]byte{0xB6, 4, 2, 0, 0, 0, 0, 0})
		}, 10},
		{"bad cbKey", func(h *ltpHeap) hid {
			return h.add([]byte{hnClientBTH, 3, 2, 0, 0, 0, 0, 0})
		}, 10},
		{"bad cbEnt", func(h *ltpHeap) hid {
			return h.add([]byte{hnClientBTH, 4, 33, 0, 0, 0, 0, 0})
		}, 10},
		{"short header", func(h *ltpHeap) hid {
			return h.add([]byte{hnClientBTH, 4, 2, 0})
		}, 10},
		{"intermediate node that is its own child (a cycle)", func(h *ltpHeap) hid {
			self := hid(1 << 5) // the first allocation is the node itself
			h.add(append(le32(10), le32(uint32(self))...))
			return h.add(append([]byte{hnClientBTH, 4, 2, 3}, le32(uint32(self))...))
		}, 10},
		{"two parents share a leaf", func(h *ltpHeap) hid {
			leaf := h.add(append(le32(10), 1, 0))
			mid := h.add(append(append(le32(10), le32(uint32(leaf))...), append(le32(20), le32(uint32(leaf))...)...))
			return h.add(append([]byte{hnClientBTH, 4, 2, 1}, le32(uint32(mid))...))
		}, 0}, // a lookup follows one path: it cannot tell
		{"bIdxLevels above the tree's depth", func(h *ltpHeap) hid {
			leaf := h.add(append(append(le32(10), 1, 0), append(le32(20), 2, 0)...)) // 12 bytes: not 8-byte records
			return h.add(append([]byte{hnClientBTH, 4, 2, 1}, le32(uint32(leaf))...))
		}, 10},
		{"keys out of order", func(h *ltpHeap) hid {
			leaf := h.add(append(append(le32(20), 1, 0), append(le32(10), 2, 0)...))
			return h.add(append([]byte{hnClientBTH, 4, 2, 0}, le32(uint32(leaf))...))
		}, 10},
		{"leaf node not a whole number of records", func(h *ltpHeap) hid {
			leaf := h.add(append(le32(10), 1, 0, 0))
			return h.add(append([]byte{hnClientBTH, 4, 2, 0}, le32(uint32(leaf))...))
		}, 10},
		{"root past the page map", func(h *ltpHeap) hid {
			return h.add(append([]byte{hnClientBTH, 4, 2, 0}, le32(9<<5)...))
		}, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newLTPHeap()
			hdr := tt.layout(h)
			hn, err := openHeap(&ltpFakeNode{nid: testNID, data: h.build(hnClientBTH, hdr)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := hn.openBTH(hdr)
			if err == nil {
				_, err = b.records()
				if tt.key != 0 {
					wantFormatError(t, err, testNID)
					_, _, err = b.lookup(le32(tt.key))
				}
			}
			wantFormatError(t, err, testNID)
		})
	}
}
