package pst

import "encoding/binary"

// This file is the BTree-on-heap (BTH) of [MS-PST] 2.3.2: a B-tree whose
// nodes are heap allocations. The BTHHEADER (2.3.2.1) gives the key and
// data sizes, the number of intermediate levels and the root; an
// intermediate node (2.3.2.2) is an array of (key, hidNextLevel) records,
// a leaf (2.3.2.3) an array of (key, data) records, both sorted by key.
// Keys compare as little-endian unsigned integers.

const bthHeaderSize = 8 // bType, cbKey, cbEnt, bIdxLevels, hidRoot

// bth is a BTree-on-heap in a heap-on-node.
type bth struct {
	h       *heapNode
	keySize int // cbKey: 2, 4, 8 or 16
	entSize int // cbEnt: 1 to 32
	levels  int // bIdxLevels: intermediate levels above the leaves
	root    hid // 0 for an empty tree
}

// bthRecord is a leaf record; both slices alias the heap.
type bthRecord struct {
	key, data []byte
}

// openBTH reads the BTHHEADER at hdr.
func (h *heapNode) openBTH(hdr hid) (*bth, error) {
	p, err := h.alloc(hdr)
	if err != nil {
		return nil, err
	}
	if len(p) < bthHeaderSize {
		return nil, ltpErr(h.nid, "BTH: header at HID %v is %d bytes, want %d", hdr, len(p), bthHeaderSize)
	}
	if p[0] != hnClientBTH {
		return nil, ltpErr(h.nid, "BTH: header at HID %v has bType 0x%02X, want 0xB5", hdr, p[0])
	}
	b := &bth{h: h, keySize: int(p[1]), entSize: int(p[2]), levels: int(p[3]), root: hid(binary.LittleEndian.Uint32(p[4:]))}
	switch b.keySize {
	case 2, 4, 8, 16:
	default:
		return nil, ltpErr(h.nid, "BTH: header at HID %v has cbKey %d, want 2, 4, 8 or 16", hdr, b.keySize)
	}
	if b.entSize < 1 || b.entSize > 32 {
		return nil, ltpErr(h.nid, "BTH: header at HID %v has cbEnt %d, want 1 to 32", hdr, b.entSize)
	}
	return b, nil
}

// compareKeys compares two keys of the same size as little-endian
// unsigned integers.
func compareKeys(a, b []byte) int {
	for i := len(a) - 1; i >= 0; i-- {
		switch {
		case a[i] < b[i]:
			return -1
		case a[i] > b[i]:
			return 1
		}
	}
	return 0
}

// nodeRecords returns the BTH node at id, at level (0 for a leaf), and
// its record size, checking that its size is a whole number of records
// and its keys ascend.
func (b *bth) nodeRecords(id hid, level int) ([]byte, int, error) {
	p, err := b.h.alloc(id)
	if err != nil {
		return nil, 0, err
	}
	size := b.keySize + b.entSize
	if level > 0 {
		size = b.keySize + 4
	}
	if len(p)%size != 0 {
		return nil, 0, ltpErr(b.h.nid, "BTH: node at HID %v (level %d) is %d bytes, not a whole number of %d-byte records", id, level, len(p), size)
	}
	if level > 0 && len(p) == 0 {
		return nil, 0, ltpErr(b.h.nid, "BTH: intermediate node at HID %v (level %d) is empty", id, level)
	}
	for off := size; off < len(p); off += size {
		if compareKeys(p[off-size:off-size+b.keySize], p[off:off+b.keySize]) >= 0 {
			return nil, 0, ltpErr(b.h.nid, "BTH: keys of the node at HID %v (level %d) do not ascend", id, level)
		}
	}
	return p, size, nil
}

// lookup returns the data of the record with key, or false.
func (b *bth) lookup(key []byte) ([]byte, bool, error) {
	if len(key) != b.keySize {
		return nil, false, nil
	}
	if b.root == 0 {
		return nil, false, nil
	}
	id := b.root
	var path []hid
	for level := b.levels; ; level-- {
		for _, seen := range path {
			if seen == id {
				return nil, false, ltpErr(b.h.nid, "BTH: node at HID %v is its own descendant (a cycle)", id)
			}
		}
		path = append(path, id)
		p, size, err := b.nodeRecords(id, level)
		if err != nil {
			return nil, false, err
		}
		if level == 0 {
			for off := 0; off < len(p); off += size {
				if compareKeys(p[off:off+b.keySize], key) == 0 {
					return p[off+b.keySize : off+size : off+size], true, nil
				}
			}
			return nil, false, nil
		}
		// The last record whose key is not above key leads to it.
		next := -1
		for off := 0; off < len(p) && compareKeys(p[off:off+b.keySize], key) <= 0; off += size {
			next = off
		}
		if next < 0 {
			return nil, false, nil
		}
		id = hid(binary.LittleEndian.Uint32(p[next+b.keySize:]))
	}
}

// records returns every leaf record in key order. Each node is read
// once: a node reached twice (a cycle or a shared subtree) is an error,
// so the work is bounded by the heap's size.
func (b *bth) records() ([]bthRecord, error) {
	if b.root == 0 {
		return nil, nil
	}
	w := bthWalk{b: b, seen: map[hid]bool{}}
	if err := w.walk(b.root, b.levels, nil, nil); err != nil {
		return nil, err
	}
	return w.out, nil
}

type bthWalk struct {
	b    *bth
	seen map[hid]bool
	out  []bthRecord
}

// walk appends the records below the node at id, whose keys must lie in
// [lo, hi) (nil for no bound).
func (w *bthWalk) walk(id hid, level int, lo, hi []byte) error {
	b := w.b
	if w.seen[id] {
		return ltpErr(b.h.nid, "BTH: node at HID %v is reached twice (a cycle or a shared node)", id)
	}
	w.seen[id] = true
	p, size, err := b.nodeRecords(id, level)
	if err != nil {
		return err
	}
	for off := 0; off < len(p); off += size {
		key := p[off : off+b.keySize : off+b.keySize]
		if lo != nil && compareKeys(key, lo) < 0 || hi != nil && compareKeys(key, hi) >= 0 {
			return ltpErr(b.h.nid, "BTH: a key of the node at HID %v (level %d) is outside the range its parent gives", id, level)
		}
		if level == 0 {
			w.out = append(w.out, bthRecord{key: key, data: p[off+b.keySize : off+size : off+size]})
			continue
		}
		// An intermediate key is the least key below it ([MS-PST]
		// 2.3.2.2), and lookup relies on that: the child's keys lie
		// from it up to the next record's key.
		childLo, childHi := key, hi
		if off+size < len(p) {
			childHi = p[off+size : off+size+b.keySize]
		}
		if err := w.walk(hid(binary.LittleEndian.Uint32(p[off+b.keySize:])), level-1, childLo, childHi); err != nil {
			return err
		}
	}
	return nil
}
