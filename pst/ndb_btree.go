package pst

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// Page types ([MS-PST] 2.2.2.7.1, PAGETRAILER ptype) of the B-trees.
const (
	ptypeBBT = 0x80
	ptypeNBT = 0x81
)

// maxBTreeLevel bounds cLevel. A B-tree of 512-byte pages holding 2^32
// keys needs 8 levels at most; a deeper claim is damage.
const maxBTreeLevel = 8

// nbtEntry is an NBTENTRY ([MS-PST] 2.2.2.7.7.4): a node of the file,
// its data block or data tree, its subnode tree and its parent folder.
type nbtEntry struct {
	nid       NID
	bidData   BID
	bidSub    BID
	nidParent NID
}

// bbtEntry is a BBTENTRY ([MS-PST] 2.2.2.7.7.3): where a block is and
// its size without padding and trailer. A reader has no use for its
// reference count (cRef).
type bbtEntry struct {
	bref
	cb int
}

// btPage is a BTPAGE ([MS-PST] 2.2.2.7.7), checked. The cache holds it
// parsed, shared by every reader: nobody modifies it.
type btPage struct {
	raw   []byte // the page
	ref   bref
	ptype byte
	level int
	n     int // cEnt
	cb    int // cbEnt
}

func (p *btPage) entry(i int) []byte { return p.raw[i*p.cb : (i+1)*p.cb] }

// page returns the B-tree page ref of type ptype, checked: its trailer
// (type, signature, CRC, BID) and its entries (size, count, order).
// level is the cLevel the page must have, or -1 for a root. nid says
// what is being looked for, for errors. A page is read and checked
// once while the cache holds it; a hit is checked against ref's BID,
// ptype and level, which the page's checks depend on.
func (f *File) page(ref bref, ptype byte, level int, nid NID) (*btPage, error) {
	k := cacheKey{kind: cachePage, id: uint64(ref.ib)}
	if v, bid, ok := f.cache.get(k); ok && BID(bid) == ref.bid {
		p := v.(*btPage)
		if p.ptype == ptype && (level < 0 || p.level == level) {
			return p, nil
		}
		return f.parsePage(p.raw, ref, ptype, level, nid) // its error
	}
	raw := make([]byte, pageSize)
	if err := f.readAt(raw, ref.ib); err != nil {
		if fe, ok := err.(*FormatError); ok {
			fe.NID, fe.BID = nid, ref.bid
		}
		return nil, err
	}
	if !f.skipCRC {
		if err := f.checkPageTrailer(raw, ref, nid); err != nil {
			return nil, err
		}
	}
	p, err := f.parsePage(raw, ref, ptype, level, nid)
	if err != nil {
		return nil, err
	}
	f.cache.put(k, p, pageSize, uint64(ref.bid))
	return p, nil
}

// pageTrailer returns a PAGETRAILER's wSig, dwCRC and bid.
func (f *File) pageTrailer(raw []byte) (sig uint16, sum uint32, bid BID) {
	t := raw[pageSize-f.l.pageTrailer:]
	sig = binary.LittleEndian.Uint16(t[2:])
	if f.format == FormatANSI {
		return sig, binary.LittleEndian.Uint32(t[8:]), BID(binary.LittleEndian.Uint32(t[4:]))
	}
	return sig, binary.LittleEndian.Uint32(t[4:]), BID(binary.LittleEndian.Uint64(t[8:]))
}

func (f *File) checkPageTrailer(raw []byte, ref bref, nid NID) error {
	sig, sum, _ := f.pageTrailer(raw)
	if want := signature(ref.ib, ref.bid); sig != want {
		return &FormatError{Offset: ref.ib, NID: nid, BID: ref.bid, Reason: fmt.Sprintf("page wSig is 0x%04X, computed 0x%04X", sig, want)}
	}
	if got := wire.CRC32(raw[:pageSize-f.l.pageTrailer]); got != sum {
		return &FormatError{Offset: ref.ib, NID: nid, BID: ref.bid, Reason: fmt.Sprintf("page dwCRC is 0x%08X, computed 0x%08X", sum, got)}
	}
	return nil
}

func (f *File) parsePage(raw []byte, ref bref, ptype byte, level int, nid NID) (*btPage, error) {
	l := f.l
	bad := func(format string, args ...any) error {
		return &FormatError{Offset: ref.ib, NID: nid, BID: ref.bid, Reason: fmt.Sprintf(format, args...)}
	}
	t := raw[pageSize-l.pageTrailer:]
	if t[0] != ptype || t[1] != ptype {
		return nil, bad("page ptype is 0x%02X (repeated 0x%02X), want 0x%02X", t[0], t[1], ptype)
	}
	if _, _, bid := f.pageTrailer(raw); bid != ref.bid {
		return nil, bad("page trailer holds BID %v", bid)
	}
	m := raw[l.btEntries:]
	p := &btPage{raw: raw, ref: ref, ptype: ptype, n: int(m[0]), cb: int(m[2]), level: int(m[3])}
	switch {
	case level >= 0 && p.level != level:
		return nil, bad("B-tree page has cLevel %d, want %d", p.level, level)
	case p.level > maxBTreeLevel:
		return nil, bad("B-tree page has cLevel %d, more than %d", p.level, maxBTreeLevel)
	}
	want := l.btEntry
	if p.level == 0 {
		want = l.bbtEntry
		if ptype == ptypeNBT {
			want = l.nbtEntry
		}
	}
	switch {
	case p.cb < want:
		return nil, bad("B-tree page has cbEnt %d, want %d", p.cb, want)
	case p.n*p.cb > l.btEntries:
		return nil, bad("B-tree page has %d entries of %d bytes, more than fit", p.n, p.cb)
	case p.level > 0 && p.n == 0:
		return nil, bad("intermediate B-tree page has no entries")
	}
	for i := 1; i < p.n; i++ {
		if l.id(p.entry(i)) <= l.id(p.entry(i-1)) {
			return nil, bad("B-tree page keys out of order at entry %d", i)
		}
	}
	return p, nil
}

// child returns the page an intermediate entry (a BTENTRY) points to.
func (f *File) child(e []byte) bref {
	s := f.l.idSize
	return bref{bid: BID(f.l.id(e[s:])), ib: int64(f.l.id(e[2*s:]))}
}

// lookup returns the leaf entry of key in the B-tree at root, or nil
// when there is none. The entry is shared with the cache.
func (f *File) lookup(root bref, ptype byte, key uint64, nid NID) ([]byte, error) {
	p, err := f.page(root, ptype, -1, nid)
	if err != nil {
		return nil, err
	}
	for {
		// The first entry whose key is above key, less one.
		i := sort.Search(p.n, func(i int) bool { return f.l.id(p.entry(i)) > key }) - 1
		if i < 0 {
			return nil, nil
		}
		e := p.entry(i)
		if p.level == 0 {
			if f.l.id(e) != key {
				return nil, nil
			}
			return e, nil
		}
		// cLevel falls by one at each step: no cycle can hold.
		if p, err = f.page(f.child(e), ptype, p.level-1, nid); err != nil {
			return nil, err
		}
	}
}

// walk calls fn with every leaf entry of the B-tree at root, in key
// order, checking that each page's keys lie within its parent entry's
// range and that no page is reached twice.
func (f *File) walk(root bref, ptype byte, fn func(e []byte) error) error {
	seen := make(map[int64]bool)
	var visit func(ref bref, level int, lo, hi uint64) error
	visit = func(ref bref, level int, lo, hi uint64) error {
		if seen[ref.ib] {
			return &FormatError{Offset: ref.ib, BID: ref.bid, Reason: "B-tree page is reached twice"}
		}
		seen[ref.ib] = true
		p, err := f.page(ref, ptype, level, 0)
		if err != nil {
			return err
		}
		for i := 0; i < p.n; i++ {
			e := p.entry(i)
			k := f.l.id(e)
			if k < lo || k >= hi {
				return &FormatError{Offset: ref.ib, BID: ref.bid, Reason: fmt.Sprintf("B-tree key 0x%X lies outside its parent's range", k)}
			}
			if p.level == 0 {
				if err := fn(e); err != nil {
					return err
				}
				continue
			}
			next := hi
			if i+1 < p.n {
				next = f.l.id(p.entry(i + 1))
			}
			if err := visit(f.child(e), p.level-1, k, next); err != nil {
				return err
			}
		}
		return nil
	}
	return visit(root, -1, 0, ^uint64(0))
}

func (f *File) parseNBTEntry(e []byte) nbtEntry {
	s := f.l.idSize
	return nbtEntry{
		nid:       NID(binary.LittleEndian.Uint32(e)),
		bidData:   BID(f.l.id(e[s:])),
		bidSub:    BID(f.l.id(e[2*s:])),
		nidParent: NID(binary.LittleEndian.Uint32(e[3*s:])),
	}
}

func (f *File) parseBBTEntry(e []byte) bbtEntry {
	s := f.l.idSize
	return bbtEntry{
		bref: bref{bid: BID(f.l.id(e)), ib: int64(f.l.id(e[s:]))},
		cb:   int(binary.LittleEndian.Uint16(e[2*s:])),
	}
}

// nbtLookup returns the NBT entry of nid.
func (f *File) nbtLookup(nid NID) (nbtEntry, error) {
	e, err := f.lookup(f.nbt, ptypeNBT, uint64(nid), nid)
	if err != nil {
		return nbtEntry{}, err
	}
	if e == nil {
		return nbtEntry{}, &FormatError{Offset: -1, NID: nid, Reason: "no such node in the node B-tree", Err: errNotFound}
	}
	return f.parseNBTEntry(e), nil
}

// bbtLookup returns the BBT entry of bid, its reserved bit ignored.
func (f *File) bbtLookup(bid BID, nid NID) (bbtEntry, error) {
	bid &^= 1
	e, err := f.lookup(f.bbt, ptypeBBT, uint64(bid), nid)
	if err != nil {
		return bbtEntry{}, err
	}
	if e == nil {
		return bbtEntry{}, &FormatError{Offset: -1, NID: nid, BID: bid, Reason: "no such block in the block B-tree", Err: errNotFound}
	}
	return f.parseBBTEntry(e), nil
}

// walkNodes calls fn with every entry of the node B-tree, in NID order;
// it stops at fn's first error and returns it.
func (f *File) walkNodes(fn func(nbtEntry) error) error {
	return f.walk(f.nbt, ptypeNBT, func(e []byte) error { return fn(f.parseNBTEntry(e)) })
}

// walkBlocks calls fn with every entry of the block B-tree, in BID order.
func (f *File) walkBlocks(fn func(bbtEntry) error) error {
	return f.walk(f.bbt, ptypeBBT, func(e []byte) error { return fn(f.parseBBTEntry(e)) })
}
