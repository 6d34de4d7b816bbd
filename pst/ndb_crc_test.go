package pst

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// specCRC is [MS-PST] 5.3's ComputeCRC as the spec states it, a byte at
// a time with the table of polynomial 0xEDB88320, from dwCRC 0.
func specCRC(p []byte) uint32 {
	var table [256]uint32
	for i := range table {
		c := uint32(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xEDB88320
			} else {
				c >>= 1
			}
		}
		table[i] = c
	}
	var c uint32
	for _, b := range p {
		c = table[byte(c)^b] ^ c>>8
	}
	return c
}

// TestCRC checks that wire.CRC32, which the header, pages and blocks
// are checked with, is [MS-PST] 5.3's ComputeCRC.
func TestCRC(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want uint32
	}{
		{"empty", nil, 0},
		{"zero byte", []byte{0}, 0},
		// The spec's table starts 0x00000000, 0x77073096, 0xEE0E612C.
		{"one", []byte{1}, 0x77073096},
		{"two", []byte{2}, 0xEE0E612C},
	}
	for _, tt := range tests {
		if got := wire.CRC32(tt.in); got != tt.want {
			t.Errorf("%s: wire.CRC32(% x) = 0x%08X, want 0x%08X", tt.name, tt.in, got, tt.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		p := make([]byte, n*7)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		if got, want := wire.CRC32(p), specCRC(p); got != want {
			t.Fatalf("wire.CRC32(%d bytes) = 0x%08X, spec algorithm gives 0x%08X", len(p), got, want)
		}
	}
}

// TestCRCHeaders checks the CRCs Outlook wrote in the test files' headers.
func TestCRCHeaders(t *testing.T) {
	for _, tf := range testFiles {
		b := readTestFile(t, tf.name)
		if got, want := wire.CRC32(b[8:8+471]), binary.LittleEndian.Uint32(b[4:]); got != want {
			t.Errorf("%s: wire.CRC32(header) = 0x%08X, dwCRCPartial 0x%08X", tf.name, got, want)
		}
		if tf.format == FormatUnicode {
			if got, want := wire.CRC32(b[8:8+516]), binary.LittleEndian.Uint32(b[524:]); got != want {
				t.Errorf("%s: wire.CRC32(header) = 0x%08X, dwCRCFull 0x%08X", tf.name, got, want)
			}
		}
	}
}

func TestSignature(t *testing.T) {
	tests := []struct {
		ib   int64
		bid  BID
		want uint16
	}{
		{0, 0, 0},
		{0x1000, 0x24, 0x1024},           // low word only
		{0x12345678, 0, 0x1234 ^ 0x5678}, // high word ^ low word
		{0x12345678, 0x12345678, 0},
		{0x1_0000_0000, 0, 0}, // above 32 bits: ignored
	}
	for _, tt := range tests {
		if got := signature(tt.ib, tt.bid); got != tt.want {
			t.Errorf("signature(0x%X, %v) = 0x%04X, want 0x%04X", tt.ib, tt.bid, got, tt.want)
		}
	}
}
