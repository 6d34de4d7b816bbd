package pst

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// errNotFound is the cause (FormatError.Err) of a missing node,
// subnode or block, so that callers can tell absence from damage with
// errors.Is.
var errNotFound = errors.New("not found")

// Block types ([MS-PST] 2.2.2.8.3) of internal blocks.
const (
	btypeData    = 0x01 // XBLOCK (cLevel 1), XXBLOCK (cLevel 2)
	btypeSubnode = 0x02 // SLBLOCK (cLevel 0), SIBLOCK (cLevel 1 and up)
)

// maxSubnodeLevel bounds an SIBLOCK's cLevel. [MS-PST] only shows
// cLevel 1; deeper trees read the same way, up to this depth.
const maxSubnodeLevel = 8

// isInternal reports whether bid is that of an internal block (XBLOCK,
// XXBLOCK, SLBLOCK, SIBLOCK): the i bit of [MS-PST] 2.2.2.2.
func isInternal(bid BID) bool { return bid&2 != 0 }

// blockSize returns the bytes a block of cb bytes of data takes in the
// file: data, padding and trailer, rounded up to 64.
func (l *layout) blockSize(cb int) int { return (cb + l.blockTrailer + 63) &^ 63 }

// block returns the data of block bid, decoded when the block is
// external, as stored when internal, and the block's offset. The data
// is shared with the cache: callers must not modify it.
func (f *File) block(bid BID, nid NID) ([]byte, int64, error) {
	k := cacheKey{kind: cacheBlock, id: uint64(bid &^ 1)}
	if v, ib, ok := f.cache.get(k); ok {
		return v.([]byte), int64(ib), nil
	}
	e, err := f.bbtLookup(bid, nid)
	if err != nil {
		return nil, -1, err
	}
	if e.cb > f.l.maxBlockData {
		return nil, e.ib, &FormatError{Offset: e.ib, NID: nid, BID: e.bid, Reason: fmt.Sprintf("block of %d bytes, more than %d", e.cb, f.l.maxBlockData)}
	}
	raw := make([]byte, f.l.blockSize(e.cb))
	if err := f.readAt(raw, e.ib); err != nil {
		if fe, ok := err.(*FormatError); ok {
			fe.NID, fe.BID = nid, e.bid
		}
		return nil, e.ib, err
	}
	d, err := f.checkBlock(raw, e, nid)
	if err != nil {
		return nil, e.ib, err
	}
	if !isInternal(e.bid) {
		f.crypt.decodeBlock(d, e.bid)
	}
	f.cache.put(k, d, cap(d), uint64(e.ib))
	return d, e.ib, nil
}

// checkBlock checks the BLOCKTRAILER ([MS-PST] 2.2.2.8.1) at the end of
// raw, the block e, and returns the block's data, still encoded.
func (f *File) checkBlock(raw []byte, e bbtEntry, nid NID) ([]byte, error) {
	bad := func(format string, args ...any) error {
		return &FormatError{Offset: e.ib, NID: nid, BID: e.bid, Reason: fmt.Sprintf(format, args...)}
	}
	if e.cb > f.l.maxBlockData || len(raw) != f.l.blockSize(e.cb) {
		return nil, bad("block of %d bytes in %d bytes of file", e.cb, len(raw))
	}
	t := raw[len(raw)-f.l.blockTrailer:]
	cb := int(binary.LittleEndian.Uint16(t))
	sig := binary.LittleEndian.Uint16(t[2:])
	var sum uint32
	var bid BID
	if f.format == FormatANSI {
		bid, sum = BID(binary.LittleEndian.Uint32(t[4:])), binary.LittleEndian.Uint32(t[8:])
	} else {
		sum, bid = binary.LittleEndian.Uint32(t[4:]), BID(binary.LittleEndian.Uint64(t[8:]))
	}
	switch {
	case cb != e.cb:
		return nil, bad("block trailer says %d bytes, the block B-tree %d", cb, e.cb)
	case bid&^1 != e.bid&^1:
		return nil, bad("block trailer holds BID %v", bid)
	}
	if !f.skipCRC {
		if want := signature(e.ib, e.bid); sig != want {
			return nil, bad("block wSig is 0x%04X, computed 0x%04X", sig, want)
		}
		if got := wire.CRC32(raw[:cb]); got != sum {
			return nil, bad("block dwCRC is 0x%08X, computed 0x%08X", sum, got)
		}
	}
	return raw[:cb:cb], nil
}

// dataTree returns the BIDs of the data blocks of the data tree whose
// root is bid ([MS-PST] 2.2.2.8.3.1, 2.2.2.8.3.2), in order, and the
// size in bytes that the tree declares (lcbTotal), or -1 when bid is a
// single data block.
func (f *File) dataTree(bid BID, nid NID) ([]BID, int64, error) {
	if bid == 0 {
		return nil, 0, nil
	}
	if !isInternal(bid) {
		return []BID{bid}, -1, nil
	}
	kids, total, level, err := f.xblock(bid, nid, -1)
	if err != nil {
		return nil, 0, err
	}
	if level == 1 {
		return kids, total, distinct(kids, bid, nid)
	}
	var leaves []BID
	var sum int64
	seen := make(map[BID]bool, len(kids))
	for _, k := range kids {
		if seen[k&^1] {
			return nil, 0, &FormatError{Offset: -1, NID: nid, BID: bid, Reason: fmt.Sprintf("XXBLOCK holds XBLOCK %v twice", k)}
		}
		seen[k&^1] = true
		ks, t, _, err := f.xblock(k, nid, 1)
		if err != nil {
			return nil, 0, err
		}
		leaves = append(leaves, ks...)
		sum += t
	}
	if sum != total {
		return nil, 0, &FormatError{Offset: -1, NID: nid, BID: bid, Reason: fmt.Sprintf("XXBLOCK lcbTotal is %d, its XBLOCKs hold %d", total, sum)}
	}
	return leaves, total, distinct(leaves, bid, nid)
}

// distinct checks that no data block appears twice in the data tree
// root: a block reached twice would let a small file claim, and make
// its readers allocate, far more data than it holds.
func distinct(leaves []BID, root BID, nid NID) error {
	seen := make(map[BID]bool, len(leaves))
	for _, b := range leaves {
		if seen[b&^1] {
			return &FormatError{Offset: -1, NID: nid, BID: root, Reason: fmt.Sprintf("data tree holds block %v twice", b)}
		}
		seen[b&^1] = true
	}
	return nil
}

// xblock reads the XBLOCK or XXBLOCK bid: its children, lcbTotal and
// cLevel. level is the cLevel it must have, or -1 for either.
func (f *File) xblock(bid BID, nid NID, level int) ([]BID, int64, int, error) {
	d, ib, err := f.block(bid, nid)
	if err != nil {
		return nil, 0, 0, err
	}
	kids, total, lvl, reason := f.l.parseXBlock(d, level)
	if reason != "" {
		return nil, 0, 0, &FormatError{Offset: ib, NID: nid, BID: bid, Reason: reason}
	}
	return kids, total, lvl, nil
}

// parseXBlock parses the data of an XBLOCK or XXBLOCK ([MS-PST]
// 2.2.2.8.3.1, 2.2.2.8.3.2), or says what is wrong with it.
func (l *layout) parseXBlock(d []byte, level int) (kids []BID, total int64, lvl int, reason string) {
	if len(d) < 8 {
		return nil, 0, 0, fmt.Sprintf("data tree block of %d bytes", len(d))
	}
	lvl, n := int(d[1]), int(binary.LittleEndian.Uint16(d[2:]))
	total = int64(binary.LittleEndian.Uint32(d[4:]))
	switch {
	case d[0] != btypeData:
		return nil, 0, 0, fmt.Sprintf("data tree block has btype 0x%02X", d[0])
	case lvl != 1 && lvl != 2 || level >= 0 && lvl != level:
		return nil, 0, 0, fmt.Sprintf("data tree block has cLevel %d", lvl)
	case n == 0 || 8+n*l.idSize > len(d):
		return nil, 0, 0, fmt.Sprintf("data tree block of %d bytes claims %d entries", len(d), n)
	}
	kids = make([]BID, n)
	for i := range kids {
		k := BID(l.id(d[8+i*l.idSize:]))
		if isInternal(k) != (lvl == 2) {
			return nil, 0, 0, fmt.Sprintf("data tree block of cLevel %d points to block %v", lvl, k)
		}
		kids[i] = k
	}
	return kids, total, lvl, ""
}

// slEntry is an SLENTRY ([MS-PST] 2.2.2.8.3.3.1.1): a subnode, its data
// and its own subnode tree.
type slEntry struct {
	nid     NID
	bidData BID
	bidSub  BID
}

// subnodeBlock is an SLBLOCK (level 0) or SIBLOCK, checked.
type subnodeBlock struct {
	d     []byte // shared with the cache
	ib    int64
	level int
	n     int
	hdr   int
	size  int // of an entry
}

func (b *subnodeBlock) entry(i int) []byte { return b.d[b.hdr+i*b.size:] }
func (b *subnodeBlock) key(i int) NID      { return NID(binary.LittleEndian.Uint32(b.entry(i))) }

// subnodeBlock reads the SLBLOCK or SIBLOCK bid of node owner; level
// is the cLevel it must have, or -1 for a root.
func (f *File) subnodeBlock(bid BID, owner NID, level int) (*subnodeBlock, error) {
	if !isInternal(bid) {
		return nil, &FormatError{Offset: -1, NID: owner, BID: bid, Reason: "subnode tree block is not an internal block"}
	}
	d, ib, err := f.block(bid, owner)
	if err != nil {
		return nil, err
	}
	b, reason := f.l.parseSubnodeBlock(d, level)
	if reason != "" {
		return nil, &FormatError{Offset: ib, NID: owner, BID: bid, Reason: reason}
	}
	b.ib = ib
	return b, nil
}

// parseSubnodeBlock parses the data of an SLBLOCK or SIBLOCK ([MS-PST]
// 2.2.2.8.3.3), or says what is wrong with it.
func (l *layout) parseSubnodeBlock(d []byte, level int) (*subnodeBlock, string) {
	if len(d) < l.subnodeHeader {
		return nil, fmt.Sprintf("subnode tree block of %d bytes", len(d))
	}
	b := &subnodeBlock{d: d, level: int(d[1]), n: int(binary.LittleEndian.Uint16(d[2:])), hdr: l.subnodeHeader}
	b.size = l.slEntry
	if b.level > 0 {
		b.size = l.siEntry
	}
	switch {
	case d[0] != btypeSubnode:
		return nil, fmt.Sprintf("subnode tree block has btype 0x%02X", d[0])
	case level >= 0 && b.level != level:
		return nil, fmt.Sprintf("subnode tree block has cLevel %d, want %d", b.level, level)
	case b.level > maxSubnodeLevel:
		return nil, fmt.Sprintf("subnode tree block has cLevel %d, more than %d", b.level, maxSubnodeLevel)
	case b.hdr+b.n*b.size > len(d):
		return nil, fmt.Sprintf("subnode tree block of %d bytes claims %d entries", len(d), b.n)
	case b.level > 0 && b.n == 0:
		return nil, "SIBLOCK has no entries"
	}
	for i := 1; i < b.n; i++ {
		if b.key(i) <= b.key(i-1) {
			return nil, fmt.Sprintf("subnode tree keys out of order at entry %d", i)
		}
	}
	return b, ""
}

func (f *File) parseSLEntry(e []byte) slEntry {
	s := f.l.idSize
	return slEntry{nid: NID(binary.LittleEndian.Uint32(e)), bidData: BID(f.l.id(e[s:])), bidSub: BID(f.l.id(e[2*s:]))}
}

// subnodeLookup finds subnode nid in the subnode tree at bid of node owner.
func (f *File) subnodeLookup(bid BID, owner, nid NID) (slEntry, error) {
	b, err := f.subnodeBlock(bid, owner, -1)
	for err == nil {
		i := -1
		for j := 0; j < b.n && b.key(j) <= nid; j++ {
			i = j
		}
		if i < 0 {
			break
		}
		if b.level == 0 {
			if b.key(i) != nid {
				break
			}
			return f.parseSLEntry(b.entry(i)), nil
		}
		// cLevel falls by one at each step: no cycle can hold.
		b, err = f.subnodeBlock(BID(f.l.id(b.entry(i)[f.l.idSize:])), owner, b.level-1)
	}
	if err != nil {
		return slEntry{}, err
	}
	return slEntry{}, &FormatError{Offset: -1, NID: owner, BID: bid, Reason: fmt.Sprintf("node has no subnode %v", nid), Err: errNotFound}
}

// walkSubnodes calls fn with every entry of the subnode tree at bid of
// node owner, in NID order, checking that no block is reached twice
// and that keys lie within their parent entry's range.
func (f *File) walkSubnodes(bid BID, owner NID, fn func(slEntry) error) error {
	seen := make(map[BID]bool)
	var visit func(bid BID, level int, lo, hi uint64) error
	visit = func(bid BID, level int, lo, hi uint64) error {
		if seen[bid&^1] {
			return &FormatError{Offset: -1, NID: owner, BID: bid, Reason: "subnode tree block is reached twice"}
		}
		seen[bid&^1] = true
		b, err := f.subnodeBlock(bid, owner, level)
		if err != nil {
			return err
		}
		for i := 0; i < b.n; i++ {
			k := uint64(b.key(i))
			if k < lo || k >= hi {
				return &FormatError{Offset: b.ib, NID: owner, BID: bid, Reason: fmt.Sprintf("subnode key 0x%X lies outside its parent's range", k)}
			}
			if b.level == 0 {
				if err := fn(f.parseSLEntry(b.entry(i))); err != nil {
					return err
				}
				continue
			}
			next := hi
			if i+1 < b.n {
				next = uint64(b.key(i + 1))
			}
			if err := visit(BID(f.l.id(b.entry(i)[f.l.idSize:])), b.level-1, k, next); err != nil {
				return err
			}
		}
		return nil
	}
	return visit(bid, -1, 0, 1<<32)
}
