package pst

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// This file holds the LTP layer's fake node and the builders that lay
// out heaps, BTHs, PCs and TCs by hand from [MS-PST]'s layouts.

// ltpFakeNode is a node held in memory: its data blocks and subnodes.
type ltpFakeNode struct {
	nid  NID
	data [][]byte
	subs map[NID]*ltpFakeNode
}

var _ nodeData = (*ltpFakeNode)(nil)

func (f *ltpFakeNode) id() NID { return f.nid }

func (f *ltpFakeNode) blocks() ([][]byte, error) { return f.data, nil }

func (f *ltpFakeNode) subnode(nid NID) (nodeData, error) {
	if s, ok := f.subs[nid]; ok {
		return s, nil
	}
	return nil, &FormatError{Offset: -1, NID: f.nid, Reason: "no subnode " + nid.String()}
}

// addSub adds a subnode with the given data blocks.
func (f *ltpFakeNode) addSub(nid NID, blocks ...[]byte) {
	if f.subs == nil {
		f.subs = map[NID]*ltpFakeNode{}
	}
	f.subs[nid] = &ltpFakeNode{nid: nid, data: blocks}
}

// encode serialises the node for a fuzz corpus: records of (u32 NID, 0
// for the node itself, u16 length, data), one per block.
func (f *ltpFakeNode) encode() []byte {
	var out []byte
	rec := func(nid NID, b []byte) {
		out = binary.LittleEndian.AppendUint32(out, uint32(nid))
		out = binary.LittleEndian.AppendUint16(out, uint16(len(b)))
		out = append(out, b...)
	}
	for _, b := range f.data {
		rec(0, b)
	}
	keys := make([]NID, 0, len(f.subs))
	for k := range f.subs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, b := range f.subs[k].data {
			rec(k, b)
		}
	}
	return out
}

// decodeFakeNode is encode's inverse, for any input: a short last
// record keeps what there is.
func decodeFakeNode(nid NID, in []byte) *ltpFakeNode {
	f := &ltpFakeNode{nid: nid}
	for len(in) >= 6 {
		sub := NID(binary.LittleEndian.Uint32(in))
		n := int(binary.LittleEndian.Uint16(in[4:]))
		in = in[6:]
		n = min(n, len(in))
		b := in[:n:n]
		in = in[n:]
		if sub == 0 {
			f.data = append(f.data, b)
			continue
		}
		if f.subs == nil {
			f.subs = map[NID]*ltpFakeNode{}
		}
		s := f.subs[sub]
		if s == nil {
			s = &ltpFakeNode{nid: sub}
			f.subs[sub] = s
		}
		s.data = append(s.data, b)
	}
	return f
}

// ltpHeap lays out a heap-on-node ([MS-PST] 2.3.1): pages of
// allocations, each page ending with its HNPAGEMAP.
type ltpHeap struct {
	pages [][][]byte
}

func newLTPHeap() *ltpHeap { return &ltpHeap{pages: [][][]byte{nil}} }

// add allocates b on the last page and returns its HID.
func (h *ltpHeap) add(b []byte) hid {
	p := len(h.pages) - 1
	h.pages[p] = append(h.pages[p], b)
	return hid(p<<16 | len(h.pages[p])<<5)
}

// newPage starts a page.
func (h *ltpHeap) newPage() { h.pages = append(h.pages, nil) }

// build returns the pages' bytes.
func (h *ltpHeap) build(clientSig byte, userRoot hid) [][]byte {
	out := make([][]byte, len(h.pages))
	for i, allocs := range h.pages {
		p := make([]byte, pageHeaderSize(i))
		if i == 0 {
			p[2], p[3] = hnSig, clientSig
			binary.LittleEndian.PutUint32(p[4:], uint32(userRoot))
		}
		offs := []int{len(p)}
		for _, a := range allocs {
			p = append(p, a...)
			offs = append(offs, len(p))
		}
		if len(p)%2 != 0 {
			p = append(p, 0)
		}
		binary.LittleEndian.PutUint16(p, uint16(len(p)))
		p = binary.LittleEndian.AppendUint16(p, uint16(len(allocs)))
		p = binary.LittleEndian.AppendUint16(p, 0) // cFree
		for _, o := range offs {
			p = binary.LittleEndian.AppendUint16(p, uint16(o))
		}
		out[i] = p
	}
	return out
}

// addBTH lays out a BTH ([MS-PST] 2.3.2) of recs, which are sorted,
// with at most fanout records a node, and returns its header's HID.
func (h *ltpHeap) addBTH(keySize, entSize int, recs []bthRecord, fanout int) hid {
	var root hid
	levels := 0
	if len(recs) > 0 {
		type entry struct {
			key []byte
			val []byte
		}
		level := make([]entry, len(recs))
		for i, r := range recs {
			level[i] = entry{r.key, r.data}
		}
		for {
			var next []entry
			for start := 0; start < len(level); start += fanout {
				var node []byte
				for _, e := range level[start:min(start+fanout, len(level))] {
					node = append(node, e.key...)
					node = append(node, e.val...)
				}
				id := h.add(node)
				next = append(next, entry{level[start].key, binary.LittleEndian.AppendUint32(nil, uint32(id))})
			}
			if len(next) == 1 {
				root = hid(binary.LittleEndian.Uint32(next[0].val))
				break
			}
			level = next
			levels++
		}
	}
	hdr := []byte{hnClientBTH, byte(keySize), byte(entSize), byte(levels)}
	return h.add(binary.LittleEndian.AppendUint32(hdr, uint32(root)))
}

// utf16le encodes s as UTF-16LE, without a terminator.
func utf16le(s string) []byte { return wire.EncodeUTF16(s) }

// multi lays out a variable-size multi-valued value ([MS-PST]
// 2.3.3.4.2): ulCount, rgulDataOffsets, the items.
func multi(items ...[]byte) []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(items)))
	off := 4 + 4*len(items)
	for _, it := range items {
		out = binary.LittleEndian.AppendUint32(out, uint32(off))
		off += len(it)
	}
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// testBudget returns a budget that no test reaches, for tests of
// other things.
func testBudget() *budget { return newBudget(math.MaxInt64) }

// wantFormatError fails t unless err is a *FormatError about node nid
// that wraps ErrFormat.
func wantFormatError(t *testing.T, err error, nid NID) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
		t.Fatalf("error = %v, want a *FormatError", err)
	}
	if fe.NID != nid {
		t.Fatalf("FormatError.NID = %v, want %v (%v)", fe.NID, nid, err)
	}
}
