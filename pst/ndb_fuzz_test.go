package pst

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"testing"
)

// allocated returns the bytes allocated so far by the program.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// FuzzOpen opens a file, walks both B-trees and reads the first nodes,
// with CRCs unchecked so that changes reach the structure's checks: no
// panic, errors are *FormatErrors, and allocation stays in proportion
// to the input whatever the file claims.
func FuzzOpen(f *testing.F) {
	for _, tf := range testFiles {
		f.Add(readTestFile(f, tf.name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := allocated()
		file, err := Open(bytes.NewReader(b), int64(len(b)), &Options{skipCRC: true, CacheSize: 1 << 20})
		if err != nil {
			checkFormatError(t, err)
			return
		}
		var nodes []nbtEntry
		err = file.walkNodes(func(e nbtEntry) error {
			if len(nodes) < 32 {
				nodes = append(nodes, e)
			}
			return nil
		})
		checkFormatError(t, err)
		checkFormatError(t, file.walkBlocks(func(bbtEntry) error { return nil }))
		// Reading a node returns real bytes of the file, each block at
		// most once per node, so what it may allocate is bounded by the
		// file's size times a block's expansion (a short BBT entry can
		// name a whole block).
		limit := uint64(len(b))*4 + 4<<20
		if got := allocated() - before; got > limit {
			t.Fatalf("Open and walks allocated %d bytes for a %d-byte file", got, len(b))
		}
		before = allocated()
		var sum int
		for _, e := range nodes {
			n := file.nodeOf(e)
			data, err := n.blocks()
			checkFormatError(t, err)
			for _, d := range data {
				sum += len(d)
			}
			checkFormatError(t, n.subnodes(func(s *node) error {
				_, err := s.blocks()
				return err
			}))
		}
		limit = uint64(sum)*3 + uint64(len(nodes)*len(b))*400 + 4<<20
		if got := allocated() - before; got > limit {
			t.Fatalf("reading %d nodes allocated %d bytes for %d bytes of data", len(nodes), got, sum)
		}
	})
}

func checkFormatError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if _, ok := err.(*FormatError); !ok {
		t.Fatalf("error %v (%T) is not a *FormatError", err, err)
	}
}

// FuzzBlock checks a block with its trailer and parses its data as each
// kind of internal block: no panic, parsed entries lie within the data,
// and every encoding round-trips.
func FuzzBlock(f *testing.F) {
	for _, tf := range testFiles {
		b := readTestFile(f, tf.name)
		file := openBytes(f, b, nil)
		n := 0
		file.walkBlocks(func(e bbtEntry) error {
			if n < 6 || isInternal(e.bid) {
				f.Add(bytes.Clone(b[e.ib:e.ib+int64(file.l.blockSize(e.cb))]), file.format == FormatUnicode, uint64(e.bid), e.ib, true)
				n++
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, raw []byte, unicode bool, bid uint64, ib int64, checkCRC bool) {
		file := &File{format: FormatANSI, l: &ansiLayout, skipCRC: !checkCRC}
		if unicode {
			file.format, file.l = FormatUnicode, &unicodeLayout
		}
		if len(raw) < file.l.blockTrailer {
			return
		}
		cb := int(binary.LittleEndian.Uint16(raw[len(raw)-file.l.blockTrailer:]))
		before := allocated()
		d, err := file.checkBlock(raw, bbtEntry{bref: bref{bid: BID(bid), ib: ib}, cb: cb}, 0)
		if err != nil {
			checkFormatError(t, err)
			return
		}
		if len(d) != cb || cb > file.l.maxBlockData {
			t.Fatalf("checkBlock returned %d bytes for cb %d", len(d), cb)
		}
		if kids, _, _, reason := file.l.parseXBlock(d, -1); reason == "" && len(kids)*file.l.idSize > len(d) {
			t.Fatalf("parseXBlock: %d children in %d bytes", len(kids), len(d))
		}
		if sb, reason := file.l.parseSubnodeBlock(d, -1); reason == "" {
			if sb.hdr+sb.n*sb.size > len(d) {
				t.Fatalf("parseSubnodeBlock: %d entries in %d bytes", sb.n, len(d))
			}
			for i := 0; i < sb.n && sb.level == 0; i++ {
				file.parseSLEntry(sb.entry(i)[:sb.size:sb.size])
			}
		}
		if got := allocated() - before; got > uint64(len(raw))*2+64<<10 {
			t.Fatalf("parsing a %d-byte block allocated %d bytes", len(raw), got)
		}
		for _, m := range []CryptMethod{CryptNone, CryptPermute, CryptCyclic} {
			c := bytes.Clone(d)
			m.decodeBlock(c, BID(bid))
			m.encodeBlock(c, BID(bid))
			if !bytes.Equal(c, d) {
				t.Fatalf("%v: encode(decode(d)) != d", m)
			}
		}
	})
}
