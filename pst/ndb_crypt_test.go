package pst

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func TestCryptTables(t *testing.T) {
	for i := range 256 {
		if got := mpbbI[mpbbR[i]]; got != byte(i) {
			t.Fatalf("mpbbI[mpbbR[%d]] = %d: mpbbI is not mpbbR's inverse", i, got)
		}
		if got := mpbbS[mpbbS[i]]; got != byte(i) {
			t.Fatalf("mpbbS[mpbbS[%d]] = %d: mpbbS is not its own inverse", i, got)
		}
	}
	// The first and last bytes of each third of mpbbCrypt, as [MS-PST] 5.1 prints them.
	ends := []struct {
		name        string
		table       *[256]byte
		first, last byte
	}{
		{"mpbbR", &mpbbR, 65, 61},
		{"mpbbS", &mpbbS, 20, 138},
		{"mpbbI", &mpbbI, 71, 236},
	}
	for _, e := range ends {
		if e.table[0] != e.first || e.table[255] != e.last {
			t.Errorf("%s = [%d ... %d], want [%d ... %d]", e.name, e.table[0], e.table[255], e.first, e.last)
		}
	}
}

func TestCryptVectors(t *testing.T) {
	tests := []struct {
		name   string
		method CryptMethod
		bid    BID
		plain  []byte
		stored []byte
	}{
		{"none", CryptNone, 4, []byte{0, 1, 0xFF}, []byte{0, 1, 0xFF}},
		// mpbbR[0] = 65, mpbbR[1] = 54, mpbbR[255] = 61.
		{"permute", CryptPermute, 4, []byte{0, 1, 0xFF}, []byte{65, 54, 61}},
		// Key 0, so w = 0: 0 -> mpbbR[0] = 65 -> mpbbS[65] = 80 -> mpbbI[80] = 185.
		{"cyclic key 0", CryptCyclic, 0, []byte{0}, []byte{185}},
		// Key 0x102, so w = 0x0102 then 0x0103 (low byte added first, high byte between tables):
		// byte 0: 0+2 = 2 -> mpbbR[2] = 19, +1 = 20 -> mpbbS[20] = 0, -1 = 255 -> mpbbI[255] = 236, -2 = 234;
		// byte 1: 0+3 = 3 -> mpbbR[3] = 98, +1 = 99 -> mpbbS[99] = 48, -1 = 47 -> mpbbI[47] = 251, -3 = 248.
		{"cyclic key 0x102", CryptCyclic, 0x102, []byte{0, 0}, []byte{234, 248}},
		// Only the low 32 bits of the BID key the cipher.
		{"cyclic high bits", CryptCyclic, 0x7_0000_0102, []byte{0, 0}, []byte{234, 248}},
		// The key is the low word XOR the high word: 0x0100_0002 gives 0x0102 too.
		{"cyclic folded key", CryptCyclic, 0x0100_0002, []byte{0, 0}, []byte{234, 248}},
	}
	for _, tt := range tests {
		b := bytes.Clone(tt.plain)
		tt.method.encodeBlock(b, tt.bid)
		if !bytes.Equal(b, tt.stored) {
			t.Errorf("%s: encodeBlock(% x) = % x, want % x", tt.name, tt.plain, b, tt.stored)
		}
		tt.method.decodeBlock(b, tt.bid)
		if !bytes.Equal(b, tt.plain) {
			t.Errorf("%s: decodeBlock(% x) = % x, want % x", tt.name, tt.stored, b, tt.plain)
		}
	}
}

func TestCryptRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	plain := make([]byte, 8176)
	for i := range plain {
		plain[i] = byte(r.Uint32())
	}
	for _, m := range []CryptMethod{CryptNone, CryptPermute, CryptCyclic} {
		for range 20 {
			bid := BID(r.Uint64())
			b := bytes.Clone(plain)
			m.encodeBlock(b, bid)
			if m != CryptNone && bytes.Equal(b, plain) {
				t.Fatalf("%v: encodeBlock changed nothing", m)
			}
			m.decodeBlock(b, bid)
			if !bytes.Equal(b, plain) {
				t.Fatalf("%v, BID %v: decodeBlock(encodeBlock(p)) != p", m, bid)
			}
		}
	}
}

func TestCryptMethodString(t *testing.T) {
	tests := []struct {
		m    CryptMethod
		want string
	}{
		{CryptNone, "NDB_CRYPT_NONE"},
		{CryptPermute, "NDB_CRYPT_PERMUTE"},
		{CryptCyclic, "NDB_CRYPT_CYCLIC"},
		{0x10, "bCryptMethod(0x10)"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("CryptMethod(%d).String() = %q, want %q", uint8(tt.m), got, tt.want)
		}
	}
}
