package cfb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
)

// dirOffset is the file offset of directory entry i in a small version 3
// file the Builder wrote (its directory fits one sector).
func dirOffset(b []byte, i int) int {
	return int(binary.LittleEndian.Uint32(b[48:])+1)*512 + 128*i
}

func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }

func TestOpenDamaged(t *testing.T) {
	// The base file: entries 1 "a", 2 "b", 3 "c" under the root (b the
	// tree's root, a its left, c its right), a and b 5000 bytes in the
	// FAT, c 100 bytes in the mini stream.
	base := build(t, cfb.V3, cfb.CLSID{}, stream("a", pattern(5000, 1)), stream("b", pattern(5000, 2)), stream("c", pattern(100, 3)))
	entryA, entryB, entryC := dirOffset(base, 1), dirOffset(base, 2), dirOffset(base, 3)
	startA := binary.LittleEndian.Uint32(base[entryA+116:])
	fatOff := 512 // the Builder puts the FAT first

	tests := []struct {
		name      string
		damage    func(b []byte) []byte
		wantWhere string
	}{
		{"truncated header", func(b []byte) []byte { return b[:100] }, "header"},
		{"empty", func(b []byte) []byte { return nil }, "header"},
		{"bad signature", func(b []byte) []byte { b[0] = 0; return b }, "header"},
		{"bad byte order", func(b []byte) []byte { b[28] = 0xFF; return b }, "header"},
		{"version 5", func(b []byte) []byte { b[26] = 5; return b }, "header"},
		{"v3 with 4096-byte sectors", func(b []byte) []byte { b[30] = 12; return b }, "header"},
		{"mini sector shift", func(b []byte) []byte { b[32] = 7; return b }, "header"},
		{"mini cutoff", func(b []byte) []byte { put32(b, 56, 8192); return b }, "header"},
		{"huge FAT sector count", func(b []byte) []byte { put32(b, 44, 0x7FFFFFFF); return b }, "header"},
		{"FAT sector past the end", func(b []byte) []byte { put32(b, 76, 5000); return b }, "FAT sector 0"},
		{"DIFAT chain ends early", func(b []byte) []byte {
			put32(b, 44, 150)
			return append(b, make([]byte, 200*512)...)
		}, "DIFAT sector 0"},
		{"empty directory", func(b []byte) []byte { put32(b, 48, 0xFFFFFFFE); return b }, "header"},
		{"FAT cycle", func(b []byte) []byte { put32(b, fatOff+4*int(startA+3), startA); return b }, `directory entry 1 ("a")`},
		{"FAT chain into free", func(b []byte) []byte { put32(b, fatOff+4*int(startA+3), 0xFFFFFFFF); return b }, `directory entry 1 ("a")`},
		{"two chains share a sector", func(b []byte) []byte {
			copy(b[entryB+116:entryB+120], b[entryA+116:entryA+120])
			return b
		}, `directory entry 1 ("a")`},
		{"stream through the FAT", func(b []byte) []byte { put32(b, entryA+116, 0); return b }, `directory entry 1 ("a")`},
		{"directory cycle", func(b []byte) []byte { put32(b, entryA+68, 2); return b }, `a link in storage "Root Entry"`},
		{"link past the end", func(b []byte) []byte { put32(b, entryC+72, 1000); return b }, `a link in storage "Root Entry"`},
		{"root not type 5", func(b []byte) []byte { b[dirOffset(b, 0)+66] = 1; return b }, "directory entry 0"},
		{"bad object type", func(b []byte) []byte { b[entryC+66] = 3; return b }, "directory entry 3"},
		{"bad name length", func(b []byte) []byte { b[entryC+64] = 3; return b }, "directory entry 3"},
		{"name with a slash", func(b []byte) []byte { b[entryC] = '/'; return b }, `directory entry 3 ("/")`},
		{"unpaired surrogate", func(b []byte) []byte { b[entryC], b[entryC+1] = 0x00, 0xD8; return b }, "directory entry 3"},
		{"unpaired surrogate beside U+FFFD", func(b []byte) []byte {
			copy(b[entryC:], []byte{0xFD, 0xFF, 0x00, 0xD8, 0, 0})
			b[entryC+64] = 6
			return b
		}, "directory entry 3"},
		{"duplicate name", func(b []byte) []byte { b[entryC] = 'A'; return b }, `directory entry 3 ("A")`},
		{"v3 stream size past the file", func(b []byte) []byte { put32(b, entryA+120, 0xFFFFFF00); return b }, `directory entry 1 ("a")`},
		{"stream size past its chain", func(b []byte) []byte { put32(b, entryA+120, 9000); return b }, `directory entry 1 ("a")`},
		{"mini stream size past the file", func(b []byte) []byte { put32(b, dirOffset(b, 0)+120, 1<<30); return b }, "directory entry 0"},
		{"mini chain cycle", func(b []byte) []byte {
			mf := (int(binary.LittleEndian.Uint32(b[60:])) + 1) * 512
			put32(b, mf+4, 0)
			return b
		}, `directory entry 3 ("c")`},
		{"mini sector past the mini stream", func(b []byte) []byte { put32(b, entryC+116, 500); return b }, `directory entry 3 ("c")`},
		{"file cut in a stream", func(b []byte) []byte { return b[:len(b)-1000] }, `directory entry 2 ("b")`},
	}
	// reasons: words of each error's reason, which says what is wrong.
	reasons := map[string]string{
		"truncated header":                 "the file is 100 bytes, shorter than the 512-byte header",
		"empty":                            "the file is 0 bytes",
		"bad signature":                    "signature 00 CF 11 E0 A1 B1 1A E1 is not D0 CF 11 E0 A1 B1 1A E1",
		"bad byte order":                   "byte order 0xFFFF is not 0xFFFE",
		"version 5":                        "major version 5 is neither 3 nor 4",
		"v3 with 4096-byte sectors":        "sector shift 12, want 9 for version 3",
		"mini sector shift":                "mini sector shift 7, want 6",
		"mini cutoff":                      "mini stream cutoff 8192, want 4096",
		"huge FAT sector count":            "2147483647 FAT sectors claimed, but the file has room for 24 sectors",
		"FAT sector past the end":          "sector 5000 is past the end of the file (24 sectors)",
		"DIFAT chain ends early":           "with 109 of the 150 FAT sectors found",
		"empty directory":                  "the directory is empty",
		"FAT cycle":                        "sector 4 is used twice",
		"FAT chain into free":              "the chain reaches 0xFFFFFFFF after 4 sectors",
		"two chains share a sector":        "sector 4 is used twice",
		"stream through the FAT":           "sector 0 is used twice",
		"directory cycle":                  "directory entry 2 is reached twice",
		"link past the end":                "entry 1000 is past the last directory entry 3",
		"root not type 5":                  "object type 1, want 5",
		"bad object type":                  "object type 3 in a storage, want 1 (storage) or 2 (stream)",
		"bad name length":                  "name length 3 bytes, want an even number from 4 to 64",
		"name with a slash":                "holds '/'",
		"unpaired surrogate":               "an unpaired surrogate",
		"unpaired surrogate beside U+FFFD": "an unpaired surrogate",
		"duplicate name":                   `the name repeats entry 1's ("a")`,
		"v3 stream size past the file":     "stream size 4294967040 is larger than the file (12800 bytes)",
		"stream size past its chain":       "size 9000 needs 18 sectors, but its chain has 10",
		"mini stream size past the file":   "mini stream size 1073741824 is larger than the file",
		"mini chain cycle":                 "mini sector 0 is used twice",
		"mini sector past the mini stream": "mini sector 500 is past the end of the mini stream",
		"file cut in a stream":             "sector 23 has no FAT entry",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.damage(bytes.Clone(base))
			_, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
			if !errors.Is(err, cfb.ErrFormat) {
				t.Fatalf("Open() = %v; want an error wrapping ErrFormat", err)
			}
			var fe *cfb.FormatError
			if !errors.As(err, &fe) || fe.Where != tt.wantWhere {
				t.Errorf("Open() = %v; want a *FormatError at %q", err, tt.wantWhere)
			}
			if want, ok := reasons[tt.name]; !ok || !strings.Contains(err.Error(), want) {
				t.Errorf("Open() = %q; want it to say %q", err, want)
			}
		})
	}
}

func TestOpenV4Oversize(t *testing.T) {
	b := build(t, cfb.V4, cfb.CLSID{}, stream("a", pattern(5000, 1)))
	off := int(binary.LittleEndian.Uint32(b[48:])+1)*4096 + 128
	binary.LittleEndian.PutUint64(b[off+120:], 1<<40)
	_, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
	var fe *cfb.FormatError
	if !errors.As(err, &fe) || fe.Where != `directory entry 1 ("a")` {
		t.Errorf("Open(v4 with a 1 TB stream size) = %v, want a *FormatError at directory entry 1", err)
	}
}

// TestOpenV3TooLarge: a version 3 file over 2 GB is refused before any of
// it is read past the header.
func TestOpenV3TooLarge(t *testing.T) {
	b := build(t, cfb.V3, cfb.CLSID{}, stream("a", []byte("x")))
	_, err := cfb.Open(bytes.NewReader(b), 3<<30)
	if !errors.Is(err, cfb.ErrTooLarge) {
		t.Errorf("Open(v3, 3 GB) = %v, want ErrTooLarge", err)
	}
}

// TestOpenReadError: a failing ReadAt is returned, not taken for damage.
func TestOpenReadError(t *testing.T) {
	b := build(t, cfb.V3, cfb.CLSID{}, stream("a", []byte("x")))
	boom := errors.New("disk on fire")
	_, err := cfb.Open(failingReader{b, 600, boom}, int64(len(b)))
	if !errors.Is(err, boom) || errors.Is(err, cfb.ErrFormat) {
		t.Errorf("Open(failing reader) = %v, want %v and not ErrFormat", err, boom)
	}
}

type failingReader struct {
	b     []byte
	after int64
	err   error
}

func (r failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > r.after {
		return 0, r.err
	}
	return copy(p, r.b[off:]), nil
}
