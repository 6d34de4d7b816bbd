package entryid

import (
	"testing"
	"unicode/utf16"
)

// scanUTF16Ref is scanUTF16 written the plain way: one code unit at a time.
func scanUTF16Ref(b []byte) (n, bad int) {
	bad = -1
	for i := 0; i+1 < len(b); i += 2 {
		u := uint16(b[i]) | uint16(b[i+1])<<8
		switch {
		case u == 0:
			return i, bad
		case !utf16.IsSurrogate(rune(u)):
		case u < 0xDC00 && i+3 < len(b) && utf16.IsSurrogate(rune(uint16(b[i+2])|uint16(b[i+3])<<8)) && b[i+3] >= 0xDC:
			i += 2
		default:
			if bad < 0 {
				bad = i
			}
		}
	}
	return -1, bad
}

func TestScanUTF16(t *testing.T) {
	cases := [][]byte{
		nil, {0}, {0, 0}, {'a', 0, 0, 0}, {'a', 0, 'b', 0, 'c', 0, 'd', 0, 0, 0},
		{0x3D, 0xD8, 0x00, 0xDE, 0, 0},             // a surrogate pair (U+1F600)
		{0x3D, 0xD8, 'a', 0, 0, 0},                 // an unpaired high surrogate
		{0x00, 0xDE, 0, 0},                         // an unpaired low surrogate
		{'a', 0, 'b', 0, 'c', 0, 0x00, 0xD8, 0, 0}, // high surrogate before the NUL
		{1, 0, 0, 1, 0, 0},                         // 0x0100 is not a NUL
	}
	for _, b := range cases {
		gn, gb := scanUTF16(b)
		wn, wb := scanUTF16Ref(b)
		if gn != wn || gb != wb {
			t.Errorf("scanUTF16(%X) = %d, %d, want %d, %d", b, gn, gb, wn, wb)
		}
	}
}

func FuzzScanUTF16(f *testing.F) {
	f.Add([]byte("a\x00b\x00c\x00d\x00e\x00f\x00g\x00h\x00i\x00\x00\x00"))
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE, 'x', 0, 'y', 0, 'z', 0, 0, 0})
	f.Add([]byte{1, 0, 0, 1, 2, 0, 0, 2, 0, 0, 9, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		gn, gb := scanUTF16(b)
		wn, wb := scanUTF16Ref(b)
		if gn != wn || gb != wb {
			t.Fatalf("scanUTF16(%X) = %d, %d, want %d, %d", b, gn, gb, wn, wb)
		}
	})
}
