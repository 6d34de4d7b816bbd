package pst

import (
	"encoding/binary"
	"reflect"
	"testing"
)

// xblockBytes builds the data of an XBLOCK (level 1) or XXBLOCK.
func xblockBytes(l *layout, level int, total uint32, kids ...BID) []byte {
	d := []byte{btypeData, byte(level), byte(len(kids)), byte(len(kids) >> 8)}
	d = binary.LittleEndian.AppendUint32(d, total)
	for _, k := range kids {
		if l.idSize == 4 {
			d = binary.LittleEndian.AppendUint32(d, uint32(k))
		} else {
			d = binary.LittleEndian.AppendUint64(d, uint64(k))
		}
	}
	return d
}

func TestParseXBlock(t *testing.T) {
	for _, l := range []*layout{&ansiLayout, &unicodeLayout} {
		tests := []struct {
			name  string
			d     []byte
			level int
			kids  []BID
			total int64
			ok    bool
		}{
			{"XBLOCK", xblockBytes(l, 1, 20000, 4, 8, 12), -1, []BID{4, 8, 12}, 20000, true},
			{"XXBLOCK", xblockBytes(l, 2, 1<<20, 6, 10), -1, []BID{6, 10}, 1 << 20, true},
			{"XBLOCK where XXBLOCK wanted", xblockBytes(l, 1, 1, 4), 2, nil, 0, false},
			{"XBLOCK pointing to internal", xblockBytes(l, 1, 1, 4, 6), -1, nil, 0, false},
			{"XXBLOCK pointing to external", xblockBytes(l, 2, 1, 4), -1, nil, 0, false},
			{"cLevel 3", xblockBytes(l, 3, 1, 6), -1, nil, 0, false},
			{"btype", append([]byte{btypeSubnode}, xblockBytes(l, 1, 1, 4)[1:]...), -1, nil, 0, false},
			{"no entries", xblockBytes(l, 1, 0), -1, nil, 0, false},
			{"entries beyond the data", xblockBytes(l, 1, 1, 4, 8)[:8+l.idSize], -1, nil, 0, false},
			{"short", []byte{1, 1, 0}, -1, nil, 0, false},
		}
		for _, tt := range tests {
			kids, total, _, reason := l.parseXBlock(tt.d, tt.level)
			if (reason == "") != tt.ok {
				t.Errorf("%d-byte IDs, %s: parseXBlock reason %q, want ok %v", l.idSize, tt.name, reason, tt.ok)
				continue
			}
			if tt.ok && (!reflect.DeepEqual(kids, tt.kids) || total != tt.total) {
				t.Errorf("%d-byte IDs, %s: parseXBlock = %v, %d, want %v, %d", l.idSize, tt.name, kids, total, tt.kids, tt.total)
			}
		}
	}
}

// subnodeBytes builds an SLBLOCK (entries of nid, bidData, bidSub) or an
// SIBLOCK (entries of nid, bid).
func subnodeBytes(l *layout, level int, entries ...[]uint64) []byte {
	d := []byte{btypeSubnode, byte(level), byte(len(entries)), 0}
	d = append(d, make([]byte, l.subnodeHeader-4)...)
	for _, e := range entries {
		for _, v := range e {
			if l.idSize == 4 {
				d = binary.LittleEndian.AppendUint32(d, uint32(v))
			} else {
				d = binary.LittleEndian.AppendUint64(d, v)
			}
		}
	}
	return d
}

func TestParseSubnodeBlock(t *testing.T) {
	for _, l := range []*layout{&ansiLayout, &unicodeLayout} {
		tests := []struct {
			name  string
			d     []byte
			level int
			n     int
			ok    bool
		}{
			{"SLBLOCK", subnodeBytes(l, 0, []uint64{0x21, 4, 0}, []uint64{0x41, 8, 6}), -1, 2, true},
			{"empty SLBLOCK", subnodeBytes(l, 0), -1, 0, true},
			{"SIBLOCK", subnodeBytes(l, 1, []uint64{0x21, 6}, []uint64{0x4000, 10}), -1, 2, true},
			{"SIBLOCK of level 2", subnodeBytes(l, 2, []uint64{0x21, 6}), 2, 1, true},
			{"level not wanted", subnodeBytes(l, 1, []uint64{0x21, 6}), 0, 0, false},
			{"empty SIBLOCK", subnodeBytes(l, 1), -1, 0, false},
			{"keys out of order", subnodeBytes(l, 0, []uint64{0x41, 4, 0}, []uint64{0x21, 8, 0}), -1, 0, false},
			{"keys repeated", subnodeBytes(l, 0, []uint64{0x41, 4, 0}, []uint64{0x41, 8, 0}), -1, 0, false},
			{"too deep", subnodeBytes(l, maxSubnodeLevel+1, []uint64{0x21, 6}), -1, 0, false},
			{"btype", append([]byte{btypeData}, subnodeBytes(l, 0, []uint64{0x21, 4, 0})[1:]...), -1, 0, false},
			{"entries beyond the data", subnodeBytes(l, 0, []uint64{0x21, 4, 0})[:l.subnodeHeader+4], -1, 0, false},
		}
		for _, tt := range tests {
			b, reason := l.parseSubnodeBlock(tt.d, tt.level)
			if (reason == "") != tt.ok {
				t.Errorf("%d-byte IDs, %s: parseSubnodeBlock reason %q, want ok %v", l.idSize, tt.name, reason, tt.ok)
				continue
			}
			if tt.ok && b.n != tt.n {
				t.Errorf("%d-byte IDs, %s: parseSubnodeBlock has %d entries, want %d", l.idSize, tt.name, b.n, tt.n)
			}
		}
	}
	f := &File{l: &unicodeLayout, format: FormatUnicode}
	b, _ := f.l.parseSubnodeBlock(subnodeBytes(f.l, 0, []uint64{0x21, 4, 0}, []uint64{0x41, 8, 6}), 0)
	if got, want := f.parseSLEntry(b.entry(1)), (slEntry{nid: 0x41, bidData: 8, bidSub: 6}); got != want {
		t.Errorf("parseSLEntry = %+v, want %+v", got, want)
	}
}

func TestDistinct(t *testing.T) {
	if err := distinct([]BID{4, 8, 12}, 6, 0x21); err != nil {
		t.Errorf("distinct(4, 8, 12) = %v", err)
	}
	if err := distinct([]BID{4, 8, 5}, 6, 0x21); err == nil {
		t.Errorf("distinct(4, 8, 5) = nil, want an error (the reserved bit is ignored)")
	}
}
