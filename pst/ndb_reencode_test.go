package pst

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// reencode returns a copy of the PST file b with the data of its
// external blocks encoded with to instead of the file's method, their
// trailer CRCs and the header (bCryptMethod, CRCs) to match.
func reencode(t testing.TB, b []byte, to CryptMethod) []byte {
	t.Helper()
	f := openBytes(t, b, nil)
	out := bytes.Clone(b)
	err := f.walkBlocks(func(e bbtEntry) error {
		if isInternal(e.bid) {
			return nil
		}
		raw := out[e.ib : e.ib+int64(f.l.blockSize(e.cb))]
		data := raw[:e.cb]
		f.crypt.decodeBlock(data, e.bid)
		to.encodeBlock(data, e.bid)
		setBlockCRC(f, raw)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sentinel := hdrSentinelUni
	if f.format == FormatANSI {
		sentinel = hdrSentinelANSI
	}
	out[sentinel+1] = byte(to)
	fixHeaderCRCs(out)
	return out
}

// setBlockCRC sets the dwCRC of the block raw (data, padding, trailer).
func setBlockCRC(f *File, raw []byte) {
	t := raw[len(raw)-f.l.blockTrailer:]
	cb := binary.LittleEndian.Uint16(t)
	at := 4
	if f.format == FormatANSI {
		at = 8
	}
	binary.LittleEndian.PutUint32(t[at:], wire.CRC32(raw[:cb]))
}

// fixHeaderCRCs recomputes the header's CRCs after a change.
func fixHeaderCRCs(b []byte) {
	binary.LittleEndian.PutUint32(b[hdrCRCPartial:], wire.CRC32(b[hdrCRCStart:hdrCRCStart+hdrCRCPartialN]))
	if v := binary.LittleEndian.Uint16(b[hdrVer:]); v >= 23 {
		binary.LittleEndian.PutUint32(b[hdrCRCFull:], wire.CRC32(b[hdrCRCStart:hdrCRCStart+hdrCRCFullN]))
	}
}

// TestReencode reads every test file re-encoded with each method and
// wants the same nodes with the same bytes.
func TestReencode(t *testing.T) {
	for _, tf := range testFiles {
		b := readTestFile(t, tf.name)
		want, err := readAll(openBytes(t, b, nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []CryptMethod{CryptNone, CryptCyclic, CryptPermute} {
			t.Run(tf.name+"/"+m.String(), func(t *testing.T) {
				re := reencode(t, b, m)
				if m != CryptPermute && bytes.Equal(re, b) {
					t.Fatal("re-encoding changed nothing")
				}
				if m == CryptPermute && !bytes.Equal(re, b) {
					t.Fatal("re-encoding with the file's own method changed it")
				}
				f := openBytes(t, re, nil)
				if got := f.CryptMethod(); got != m {
					t.Errorf("CryptMethod() = %v, want %v", got, m)
				}
				got, err := readAll(f)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("nodes read differ from the original's")
				}
				// Read with the wrong method, a data block fails no check
				// (CRCs cover stored bytes) but decodes to other bytes.
				if m != CryptPermute {
					re[hdrSentinelUni+1] = byte(CryptPermute)
					if f.format == FormatANSI {
						re[hdrSentinelANSI+1] = byte(CryptPermute)
					}
					fixHeaderCRCs(re)
					wrong, err := readAll(openBytes(t, re, nil))
					if err == nil && reflect.DeepEqual(wrong, want) {
						t.Errorf("nodes read with the wrong method are the original's")
					}
				}
			})
		}
	}
}

func TestOpenErrors(t *testing.T) {
	uni := readTestFile(t, "sample1.pst")
	ansi := readTestFile(t, "sample2.pst")
	edit := func(b []byte, fix bool, change func(b []byte)) []byte {
		b = bytes.Clone(b)
		change(b)
		if fix {
			fixHeaderCRCs(b)
		}
		return b
	}
	tests := []struct {
		name        string
		file        []byte
		size        int64 // -1: len(file)
		offset      int64
		unsupported bool
	}{
		{"empty", nil, -1, 0, false},
		{"short", uni[:300], -1, 0, false},
		{"magic", edit(uni, true, func(b []byte) { b[0] = 'X' }), -1, 0, false},
		{"magic client", edit(uni, true, func(b []byte) { b[8] = 'X' }), -1, 8, false},
		{"crc partial", edit(uni, false, func(b []byte) { b[40]++ }), -1, 4, false},
		{"crc full", edit(uni, false, func(b []byte) { b[516]++ }), -1, 524, false},
		{"ansi crc", edit(ansi, false, func(b []byte) { b[40]++ }), -1, 4, false},
		{"version", edit(uni, true, func(b []byte) { b[10] = 20 }), -1, 10, false},
		{"4K pages", edit(uni, true, func(b []byte) { b[10] = 36 }), -1, 10, true},
		{"sentinel", edit(uni, true, func(b []byte) { b[512] = 0 }), -1, 512, false},
		{"crypt method", edit(uni, true, func(b []byte) { b[513] = 0x10 }), -1, 513, true},
		{"truncated", uni[:len(uni)-512], -1, 184, false},
		{"size claims less", uni, int64(len(uni) - 1), 184, false},
		{"ansi truncated", ansi[:len(ansi)-64], -1, 168, false},
	}
	for _, tt := range tests {
		size := tt.size
		if size < 0 {
			size = int64(len(tt.file))
		}
		_, err := Open(bytes.NewReader(tt.file), size, nil)
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Open = %v, want a *FormatError", tt.name, err)
			continue
		}
		if fe.Offset != tt.offset {
			t.Errorf("%s: Open = %v, offset %d, want %d", tt.name, err, fe.Offset, tt.offset)
		}
		if got := errors.Is(err, errors.ErrUnsupported); got != tt.unsupported {
			t.Errorf("%s: errors.Is(%v, ErrUnsupported) = %v, want %v", tt.name, err, got, tt.unsupported)
		}
	}
}

// TestWellKnownNodes checks nodes every PST has ([MS-PST] 2.4.1) and the
// name-to-ID map of sample1, a heap-on-node whose size the block B-tree
// gives and whose header holds bSig 0xEC and bClientSig 0xBC (a
// property context): proof that it was decoded.
func TestWellKnownNodes(t *testing.T) {
	wellKnown := []NID{
		0x21,  // NID_MESSAGE_STORE
		0x61,  // NID_NAME_TO_ID_MAP
		0x122, // NID_ROOT_FOLDER
		0x1E1, // NID_HIERARCHY_TABLE_TEMPLATE
		0x60D, // NID_CONTENTS_TABLE_TEMPLATE
		0x671, // NID_ATTACHMENT_TABLE_TEMPLATE
		0x692, // NID_RECIPIENT_TABLE_TEMPLATE
	}
	for _, tf := range testFiles {
		f := openBytes(t, readTestFile(t, tf.name), nil)
		for _, nid := range wellKnown {
			n, err := f.node(nid)
			if err != nil {
				t.Errorf("%s: node(%v): %v", tf.name, nid, err)
				continue
			}
			if n.id() != nid {
				t.Errorf("%s: node(%v).id() = %v", tf.name, nid, n.id())
			}
		}
		if _, err := f.node(0x7FFFFFE1); !errors.Is(err, errNotFound) {
			t.Errorf("%s: node(absent) = %v, want errNotFound", tf.name, err)
		}
	}

	f := openBytes(t, readTestFile(t, "sample1.pst"), nil)
	n, err := f.node(0x61)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.bbtLookup(n.bidData, n.nid)
	if err != nil {
		t.Fatal(err)
	}
	b, err := n.blocks()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1 || len(b[0]) != e.cb {
		t.Fatalf("name-to-ID map: %d blocks, want 1 of %d bytes", len(b), e.cb)
	}
	if b[0][2] != 0xEC || b[0][3] != 0xBC {
		t.Errorf("name-to-ID map: bSig, bClientSig = 0x%02X, 0x%02X, want 0xEC, 0xBC", b[0][2], b[0][3])
	}
	if ib := binary.LittleEndian.Uint16(b[0]); int(ib) >= len(b[0]) {
		t.Errorf("name-to-ID map: ibHnpm %d beyond its %d bytes", ib, len(b[0]))
	}
}
