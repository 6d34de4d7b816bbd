package wire

import (
	"hash/crc32"
	"testing"
)

// TestCRC32 checks CRC32 against the values each spec that uses it
// publishes or that its files hold: one function serves [MS-OXRTFCP],
// [MS-OXMSG] and [MS-PST] only because these agree.
func TestCRC32(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want uint32
	}{
		{"nothing", nil, 0},
		{"the IEEE table's entry 1", []byte{0x01}, 0x77073096},
		{"entry 0x80, the reflected polynomial", []byte{0x80}, 0xEDB88320},
		// [MS-OXRTFCP] 3.1.1 (Example 1, "simple"): the CRC header field
		// of the compressed stream, over the contents after the header.
		{"MS-OXRTFCP 3.1.1", []byte{
			0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67,
			0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
			0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77,
			0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
			0xa0,
		}, 0xa7c7c5f1},
		// [MS-OXRTFCP] 3.1.2 (Example 2, with a dictionary reference).
		{"MS-OXRTFCP 3.1.2", []byte{
			0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a,
			0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
		}, 0x514bd4e2},
		// [MS-OXMSG] 2.2.3.2.2: the CRC of a string name's UTF-16LE
		// bytes, as Outlook wrote it into the name-to-ID mapping streams
		// of msgfile/testdata/msg (Simple.msg and others).
		{"MS-OXMSG ExchangeApplicationFlags", EncodeUTF16("ExchangeApplicationFlags"), 0x3499C20A},
		{"MS-OXMSG HasQuotedText", EncodeUTF16("HasQuotedText"), 0xC751860D},
		{"MS-OXMSG Internet Charset Body", EncodeUTF16("Internet Charset Body"), 0x1ACA5B8B},
	}
	for _, tc := range tests {
		if got := CRC32(tc.in); got != tc.want {
			t.Errorf("CRC32(%s) = %#08x, want %#08x", tc.name, got, tc.want)
		}
	}
	if got, ieee := CRC32([]byte("a")), crc32.ChecksumIEEE([]byte("a")); got == ieee {
		t.Errorf("CRC32(%q) = %#08x, crc32.ChecksumIEEE's value, want the uninverted one", "a", got)
	}
}

// TestCRC32Bitwise checks CRC32 against the bit-at-a-time definition
// [MS-OXRTFCP] 2.1.3.2 and [MS-PST] 5.3 give, over inputs of every
// length to 64 (the hardware paths of hash/crc32 start at 16 bytes).
func TestCRC32Bitwise(t *testing.T) {
	bitwise := func(b []byte) uint32 {
		var c uint32
		for _, x := range b {
			c ^= uint32(x)
			for range 8 {
				if c&1 != 0 {
					c = c>>1 ^ 0xEDB88320
				} else {
					c >>= 1
				}
			}
		}
		return c
	}
	in := make([]byte, 64)
	for i := range in {
		in[i] = byte(i*37 + 11)
	}
	for n := range len(in) + 1 {
		if got, want := CRC32(in[:n]), bitwise(in[:n]); got != want {
			t.Errorf("CRC32(%d bytes) = %#08x, want %#08x", n, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = CRC32(in) }); n != 0 {
		t.Errorf("CRC32: %v allocations a call, want 0", n)
	}
}
