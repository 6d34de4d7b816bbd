package rtfcp

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecompress checks that any input is either an error wrapping
// ErrFormat or RTF of exactly RAWSIZE bytes that re-encodes to itself.
func FuzzDecompress(f *testing.F) {
	for _, v := range specVectors {
		f.Add(v.comp)
		f.Add(Uncompressed([]byte(v.rtf)))
	}
	f.Add(lzfu(2, []byte{0x01, 0xBB, 0x80}))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Decompress(b)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("Decompress(% x) = %v, want an error wrapping ErrFormat", b, err)
			}
			return
		}
		if want := uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24; uint64(len(got)) != uint64(want) {
			t.Fatalf("Decompress(% x) = %d bytes, want RAWSIZE %d", b, len(got), want)
		}
		c, err := Compress(got)
		if err != nil {
			t.Fatalf("Compress(%q) = %v", got, err)
		}
		if again, err := Decompress(c); err != nil || !bytes.Equal(again, got) {
			t.Fatalf("Decompress(Compress(%q)) = %q, %v, want the input back", got, again, err)
		}
	})
}

// FuzzRoundTrip checks that Compress then Decompress, and Uncompressed then
// Decompress, give the input back, and that Compress is deterministic.
func FuzzRoundTrip(f *testing.F) {
	for _, v := range specVectors {
		f.Add([]byte(v.rtf))
	}
	f.Add([]byte(initialDict))
	f.Add(bytes.Repeat([]byte("a"), 5000))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := Compress(in)
		if err != nil {
			t.Fatalf("Compress(%q) = %v", in, err)
		}
		got, err := Decompress(c)
		if err != nil || !bytes.Equal(got, in) {
			t.Fatalf("Decompress(Compress(%q)) = %q, %v, want the input back", in, got, err)
		}
		if again, _ := Compress(in); !bytes.Equal(again, c) {
			t.Fatalf("Compress(%q) twice = % x and % x, want identical", in, c, again)
		}
		if got, err := Decompress(Uncompressed(in)); err != nil || !bytes.Equal(got, in) {
			t.Fatalf("Decompress(Uncompressed(%q)) = %q, %v, want the input back", in, got, err)
		}
	})
}
