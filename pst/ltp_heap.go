package pst

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// This file is the heap-on-node (HN) of [MS-PST] 2.3.1: a node's data
// blocks seen as pages of a heap whose allocations are named by HIDs.
//
// Page 0 starts with an HNHDR (2.3.1.2), page 8 and every 128th page
// after it with an HNBITMAPHDR (2.3.1.4), every other page with an
// HNPAGEHDR (2.3.1.3). All three begin with ibHnpm, the offset of the
// page's HNPAGEMAP (2.3.1.5): cAlloc, cFree, then cAlloc+1 offsets
// (rgibAlloc), allocation i (1-based) being the bytes from rgibAlloc[i-1]
// to rgibAlloc[i].

// Heap-on-node signatures ([MS-PST] 2.3.1.2).
const (
	hnSig = 0xEC // bSig of every HNHDR

	hnClientTC  = 0x7C // bTypeTC: a table context
	hnClientBTH = 0xB5 // bTypeBTH: a BTree-on-heap
	hnClientPC  = 0xBC // bTypePC: a property context
)

// Sizes of the page headers ([MS-PST] 2.3.1.2 to 2.3.1.4).
const (
	hnHdrSize       = 12 // HNHDR: ibHnpm, bSig, bClientSig, hidUserRoot, rgbFillLevel
	hnPageHdrSize   = 2  // HNPAGEHDR: ibHnpm
	hnBitmapHdrSize = 66 // HNBITMAPHDR: ibHnpm, rgbFillLevel[64]
)

// hid is a heap ID ([MS-PST] 2.3.1.1): hidType in bits 0..4 (always
// NID_TYPE_HID, 0), hidIndex in bits 5..15 (the 1-based allocation in
// the page map), hidBlockIndex in bits 16..31 (the page).
type hid uint32

func (h hid) hidType() uint8  { return uint8(h & 0x1F) }
func (h hid) index() int      { return int(h>>5) & 0x7FF }
func (h hid) blockIndex() int { return int(h >> 16) }
func (h hid) String() string  { return fmt.Sprintf("0x%X", uint32(h)) }
func isHID(hnid uint32) bool  { return hnid&0x1F == 0 }

// ltpErr returns the FormatError for a problem in the LTP structures of
// node nid. The LTP layer does not know file offsets; the reason says
// where in the node's data.
func ltpErr(nid NID, format string, args ...any) *FormatError {
	return &FormatError{Offset: -1, NID: nid, Reason: fmt.Sprintf(format, args...)}
}

// heapNode is a node's data read as a heap-on-node ([MS-PST] 2.3.1).
// The slices it returns alias the node's blocks: callers copy what they
// keep or change.
type heapNode struct {
	node      nodeData
	nid       NID
	pages     [][]byte
	clientSig byte
	userRoot  hid
}

// openHeap reads n as a heap-on-node and checks its HNHDR.
func openHeap(n nodeData) (*heapNode, error) {
	nid := n.id()
	pages, err := n.blocks()
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, ltpErr(nid, "heap-on-node: the node has no data")
	}
	p := pages[0]
	if len(p) < hnHdrSize {
		return nil, ltpErr(nid, "heap-on-node: page 0 is %d bytes, shorter than an HNHDR", len(p))
	}
	if p[2] != hnSig {
		return nil, ltpErr(nid, "heap-on-node: HNHDR bSig is 0x%02X, want 0xEC", p[2])
	}
	h := &heapNode{
		node:      n,
		nid:       nid,
		pages:     pages,
		clientSig: p[3],
		userRoot:  hid(binary.LittleEndian.Uint32(p[4:])),
	}
	// Every page map is checked here, once, so that alloc need not
	// loop and a heapNode is read-only, safe for concurrent use.
	for i := range pages {
		if _, err := h.pageMap(i); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// pageHeaderSize returns the size of the header page i starts with.
func pageHeaderSize(i int) int {
	switch {
	case i == 0:
		return hnHdrSize
	case i >= 8 && (i-8)%128 == 0:
		return hnBitmapHdrSize
	}
	return hnPageHdrSize
}

// pageMap returns page i's rgibAlloc (cAlloc+1 offsets, as a view of
// the page), checked: ascending, after the page header, before the map.
func (h *heapNode) pageMap(i int) ([]byte, error) {
	return h.checkPageMap(i, true)
}

// checkPageMap is pageMap, checking the offsets only if full.
func (h *heapNode) checkPageMap(i int, full bool) ([]byte, error) {
	p := h.pages[i]
	hdr := pageHeaderSize(i)
	if len(p) < hdr {
		return nil, ltpErr(h.nid, "heap-on-node: page %d is %d bytes, shorter than its %d-byte header", i, len(p), hdr)
	}
	ib := int(binary.LittleEndian.Uint16(p))
	if ib < hdr || ib+4 > len(p) {
		return nil, ltpErr(h.nid, "heap-on-node: page %d's ibHnpm 0x%X is outside the page (%d bytes)", i, ib, len(p))
	}
	cAlloc := int(binary.LittleEndian.Uint16(p[ib:]))
	rgib := p[ib+4:]
	if len(rgib) < 2*(cAlloc+1) {
		return nil, ltpErr(h.nid, "heap-on-node: page %d's HNPAGEMAP claims %d allocations, more than the page holds", i, cAlloc)
	}
	rgib = rgib[:2*(cAlloc+1)]
	if !full {
		return rgib, nil
	}
	prev := hdr
	for k := 0; k <= cAlloc; k++ {
		off := int(binary.LittleEndian.Uint16(rgib[2*k:]))
		if off < prev || off > ib {
			return nil, ltpErr(h.nid, "heap-on-node: page %d's rgibAlloc[%d] = 0x%X is out of order or past the page map at 0x%X", i, k, off, ib)
		}
		prev = off
	}
	return rgib, nil
}

// alloc returns the bytes of the allocation id names ([MS-PST] 2.3.1.1),
// a view of the page.
func (h *heapNode) alloc(id hid) ([]byte, error) {
	if id.hidType() != 0 {
		return nil, ltpErr(h.nid, "heap-on-node: HID %v has hidType %d, want NID_TYPE_HID (0)", id, id.hidType())
	}
	if id.index() == 0 {
		return nil, ltpErr(h.nid, "heap-on-node: HID %v has hidIndex 0", id)
	}
	b := id.blockIndex()
	if b >= len(h.pages) {
		return nil, ltpErr(h.nid, "heap-on-node: HID %v names page %d of %d", id, b, len(h.pages))
	}
	rgib, err := h.checkPageMap(b, false) // checked in full by openHeap
	if err != nil {
		return nil, err
	}
	k := id.index()
	if 2*k >= len(rgib) {
		return nil, ltpErr(h.nid, "heap-on-node: HID %v is past the page map of page %d (%d allocations)", id, b, len(rgib)/2-1)
	}
	start := binary.LittleEndian.Uint16(rgib[2*(k-1):])
	end := binary.LittleEndian.Uint16(rgib[2*k:])
	return h.pages[b][start:end:end], nil
}

// subnodeBlocks returns the data blocks of the node's subnode nid.
func (h *heapNode) subnodeBlocks(nid NID) ([][]byte, error) {
	sub, err := h.node.subnode(nid)
	if err != nil {
		if errors.Is(err, ErrFormat) {
			e := ltpErr(h.nid, "HNID %v names a subnode the node lacks", nid)
			e.Err = err
			return nil, e
		}
		return nil, err
	}
	return sub.blocks()
}
