package pst

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"unicode/utf16"
)

// TestDecodeUnicode compares decodeUnicode with utf16.Decode, less the
// trailing NULs, on text with pairs, unpaired surrogates and NULs.
func TestDecodeUnicode(t *testing.T) {
	want := func(u []uint16) string {
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1]
		}
		return string(utf16.Decode(u))
	}
	units := []uint16{0, 'a', 0xE9, 0x20AC, 0xD83D, 0xDE00, 0xDBFF, 0xDFFF, 0xD800, 0xDC00, 0xFFFD, 0xFFFF}
	cases := [][]uint16{
		nil, {0}, {0, 0}, {'a', 0}, {0, 'a'}, {0xD83D, 0xDE00}, {0xD83D}, {0xDE00}, {0xD83D, 0}, {0xD83D, 'a'},
		{0xDE00, 0xD83D}, {0xD83D, 0xD83D, 0xDE00}, {'a', 0xD83D, 0xDE00, 0},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		u := make([]uint16, r.IntN(8))
		for i := range u {
			u[i] = units[r.IntN(len(units))]
		}
		cases = append(cases, u)
	}
	for _, u := range cases {
		b := make([]byte, 2*len(u))
		for i, c := range u {
			binary.LittleEndian.PutUint16(b[2*i:], c)
		}
		if got, ok := decodeUnicode(b); !ok || got != want(u) {
			t.Errorf("decodeUnicode(%X) = %q, %v; want %q", u, got, ok, want(u))
		}
	}
	if _, ok := decodeUnicode([]byte{'a', 0, 'b'}); ok {
		t.Errorf("decodeUnicode of 3 bytes = ok, want false")
	}
}
