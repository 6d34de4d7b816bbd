package rtfcp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

func TestInitialDict(t *testing.T) {
	if got, want := len(initialDict), 207; got != want {
		t.Errorf("len(initialDict) = %d, want %d", got, want)
	}
}

func TestCRC(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want uint32
	}{
		{"empty", nil, 0},
		{"simple example", specVectors[0].comp[headerSize:], 0xa7c7c5f1},
		{"tokens example", specVectors[1].comp[headerSize:], 0x514bd4e2},
	}
	for _, tt := range tests {
		if got := CRC(tt.in); got != tt.want {
			t.Errorf("CRC(%s) = %#08x, want %#08x", tt.name, got, tt.want)
		}
	}
	// The spec's CRC is the IEEE table without the inversions, so it is
	// not crc32.ChecksumIEEE: a one-byte input shows the difference.
	if got, ieee := CRC([]byte("a")), crc32.ChecksumIEEE([]byte("a")); got == ieee {
		t.Errorf("CRC(%q) = %#08x, the same as crc32.ChecksumIEEE, want different", "a", got)
	}
	// A table-driven reference with init 0 and no final XOR.
	ref := func(b []byte) uint32 {
		var c uint32
		for _, v := range b {
			c = crc32.IEEETable[byte(c)^v] ^ c>>8
		}
		return c
	}
	in := []byte(initialDict + "some more bytes")
	if got, want := CRC(in), ref(in); got != want {
		t.Errorf("CRC(initialDict...) = %#08x, want %#08x", got, want)
	}
}

// rtfLike returns n bytes of pseudo-random text built from RTF control words
// and prose, the mix an RTF body holds.
func rtfLike(r *rand.Rand, n int) []byte {
	words := []string{`{\rtf1\ansi\ansicpg1252`, `\deff0`, `{\fonttbl{\f0\fswiss Arial;}}`,
		`\pard`, `\par`, "\r\n", `\plain`, `\f0\fs20`, `\b`, `\b0`, `\i`, `\tab`, `{`, `}`,
		"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "Hello ",
		"mailbox ", "meeting ", "tomorrow ", `\'e9`, `\u8364?`, "0123456789"}
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.Bytes()[:n]
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 20000)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"one byte", []byte("{")},
		{"two bytes", []byte("{}")},
		{"initial dictionary", []byte(initialDict)},
		{"initial dictionary twice", []byte(initialDict + initialDict)},
		{"run of a", bytes.Repeat([]byte("a"), 10000)},
		{"run of NUL", make([]byte, 5000)},
		{"run of 0xFF", bytes.Repeat([]byte{0xFF}, 4097)},
		{"rtf-like 1k", rtfLike(r, 1000)},
		{"rtf-like 4095", rtfLike(r, 4095)},
		{"rtf-like 4096", rtfLike(r, 4096)},
		{"rtf-like 4097", rtfLike(r, 4097)},
		{"rtf-like 100k", rtfLike(r, 100000)},
		{"random bytes", random},
		{"period 4095", bytes.Repeat(rtfLike(r, 4095), 3)},
		{"period 4096", bytes.Repeat(rtfLike(r, 4096), 3)},
		{"period 4097", bytes.Repeat(rtfLike(r, 4097), 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compress(tt.in)
			if err != nil {
				t.Fatalf("Compress(%d bytes) = _, %v, want nil error", len(tt.in), err)
			}
			got, err := Decompress(c)
			if err != nil || !bytes.Equal(got, tt.in) {
				t.Fatalf("Decompress(Compress(%d bytes)) = %d bytes, %v, want the input back", len(tt.in), len(got), err)
			}
			again, _ := Compress(tt.in)
			if !bytes.Equal(again, c) {
				t.Errorf("Compress(%d bytes) twice differs, want byte-identical output", len(tt.in))
			}
			u := Uncompressed(tt.in)
			if got, err := Decompress(u); err != nil || !bytes.Equal(got, tt.in) {
				t.Errorf("Decompress(Uncompressed(%d bytes)) = %d bytes, %v, want the input back", len(tt.in), len(got), err)
			}
		})
	}
}

func TestCompressRatio(t *testing.T) {
	in := rtfLike(rand.New(rand.NewPCG(3, 4)), 100000)
	c, _ := Compress(in)
	if len(c)*2 > len(in) {
		t.Errorf("Compress(100 kB RTF-like) = %d bytes, want under half the input", len(c))
	}
	run, _ := Compress(bytes.Repeat([]byte("x"), 17*100))
	// One literal, then references of 17 (2 bytes each), control bytes.
	if len(run) > headerSize+250 {
		t.Errorf("Compress(1700 x) = %d bytes, want at most %d", len(run), headerSize+250)
	}
}

func TestUncompressed(t *testing.T) {
	got := Uncompressed([]byte("{\\rtf1}"))
	want := []byte{0x13, 0, 0, 0, 0x07, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0, '{', '\\', 'r', 't', 'f', '1', '}'}
	if !bytes.Equal(got, want) {
		t.Errorf("Uncompressed(%q) = % x, want % x", "{\\rtf1}", got, want)
	}
	// A reader ignores a MELA stream's CRC.
	got[12] = 0xAB
	if raw, err := Decompress(got); err != nil || string(raw) != "{\\rtf1}" {
		t.Errorf("Decompress(MELA with CRC 0xAB) = %q, %v, want %q, nil", raw, err, "{\\rtf1}")
	}
}

// TestNoAliasing changes what Decompress returns and checks the input, and
// a second decode, are unaffected.
func TestNoAliasing(t *testing.T) {
	for _, in := range [][]byte{specVectors[0].comp, Uncompressed([]byte("{\\rtf1 x}"))} {
		orig := bytes.Clone(in)
		got, err := Decompress(in)
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Clone(got)
		for i := range got {
			got[i] ^= 0xFF
		}
		_ = append(got, 'x') // must not write into anything Decompress keeps
		if !bytes.Equal(in, orig) {
			t.Errorf("Decompress(% x) changed its input when its result was changed", orig)
		}
		if again, _ := Decompress(in); !bytes.Equal(again, want) {
			t.Errorf("Decompress(% x) = %q after changing an earlier result, want %q", in, again, want)
		}
	}
}

// lzfu builds an LZFu value around contents with a correct COMPSIZE and CRC.
func lzfu(rawSize uint32, contents []byte) []byte {
	b := make([]byte, headerSize+len(contents))
	putHeader(b, uint32(len(b)-4), rawSize, typeCompressed, CRC(contents))
	copy(b[headerSize:], contents)
	return b
}

func TestDecompressErrors(t *testing.T) {
	simple := specVectors[0].comp
	with := func(b []byte, f func(b []byte) []byte) []byte { return f(bytes.Clone(b)) }
	tests := []struct {
		name   string
		in     []byte
		offset int
		crc    bool
	}{
		{"empty", nil, 0, false},
		{"truncated header", simple[:10], 10, false},
		{"bad COMPTYPE", with(simple, func(b []byte) []byte { copy(b[8:], "LZFU"); return b }), 8, false},
		{"COMPSIZE too large", with(simple, func(b []byte) []byte { b[0]++; return b }), 0, false},
		{"COMPSIZE too small", append(bytes.Clone(simple), 0), 0, false},
		{"truncated contents", simple[:len(simple)-1], 0, false},
		{"COMPSIZE below 12", with(simple[:16], func(b []byte) []byte { b[0] = 3; return b }), 0, false},
		{"CRC field wrong", with(simple, func(b []byte) []byte { b[12] ^= 1; return b }), 12, true},
		{"contents corrupted", with(simple, func(b []byte) []byte { b[20] ^= 1; return b }), 12, true},
		{"RAWSIZE too large", with(simple, func(b []byte) []byte { b[4]++; return b }), len(simple) - 2, false},
		{"RAWSIZE too small by a literal", with(simple, func(b []byte) []byte { b[4] = 40; return b }), 44, false},
		{"RAWSIZE too small by a reference", with(simple, func(b []byte) []byte { b[4] = 5; return b }), 17, false},
		{"RAWSIZE huge", with(simple, func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 0xFFFFFFFF); return b }), len(simple) - 2, false},
		{"reference past output", lzfu(2, []byte{0x01, 0xBB, 0x80}), 17, false},
		{"reference truncated", lzfu(2, []byte{0x01, 0x00}), 17, false},
		{"no end marker", lzfu(8, []byte{0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}), 25, false},
		{"no end marker mid-run", lzfu(2, []byte{0x00, 'a', 'b'}), 19, false},
		{"no contents", lzfu(0, nil), 16, false},
		{"MELA RAWSIZE too large", with(Uncompressed([]byte("{}")), func(b []byte) []byte { b[4] = 3; return b }), 4, false},
		{"MELA RAWSIZE too small", with(Uncompressed([]byte("{}")), func(b []byte) []byte { b[4] = 1; return b }), 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decompress(tt.in)
			if err == nil {
				t.Fatalf("Decompress(% x) = %q, nil, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("Decompress(% x) = %v, want an error wrapping ErrFormat", tt.in, err)
			}
			if errors.Is(err, ErrChecksum) != tt.crc {
				t.Errorf("errors.Is(%v, ErrChecksum) = %v, want %v", err, !tt.crc, tt.crc)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Decompress(% x) = %T, want *FormatError", tt.in, err)
			}
			if fe.Offset != tt.offset {
				t.Errorf("Decompress(% x) = %v: Offset %d, want %d", tt.in, err, fe.Offset, tt.offset)
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Errorf("Decompress(% x).Error() = %q, want it to name the offset", tt.in, err)
			}
		})
	}
}

// TestDecompressBoundedMemory checks that a header claiming a huge RAWSIZE
// does not make Decompress allocate it.
func TestDecompressBoundedMemory(t *testing.T) {
	in := lzfu(0xFFFFFFFF, []byte{0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := Decompress(in); err == nil {
			t.Fatal("Decompress(RAWSIZE 4 GiB, 8 literals) = nil error, want an error")
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("10 × Decompress(RAWSIZE 4 GiB, 25 bytes) allocated %d bytes, want under 1 MiB", got)
	}
}

// TestLongestMatch holds the hash-chain matcher to a brute-force search of
// the whole window: the longest match, the earliest of equals.
func TestLongestMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	inputs := [][]byte{
		rtfLike(r, 9000),
		bytes.Repeat([]byte("ab"), 3000),
		bytes.Repeat([]byte("z"), 9000),
		[]byte(initialDict + initialDict),
	}
	small := make([]byte, 9000)
	for i := range small {
		small[i] = "ab\\{}"[r.IntN(5)]
	}
	inputs = append(inputs, small)
	for i, in := range inputs {
		lin := append([]byte(initialDict), in...)
		m := newMatcher(lin)
		for cur := range len(lin) {
			if cur >= len(initialDict) {
				src, n := m.longest(cur)
				wantSrc, wantN := 0, 1
				maxLen := min(maxRef, len(lin)-cur)
				for c := max(0, cur-(dictSize-1)); c < cur; c++ {
					if l := matchLen(lin[c:c+maxLen], lin[cur:cur+maxLen]); l > wantN {
						wantSrc, wantN = c, l
					}
				}
				if wantN < 2 {
					wantSrc, wantN = 0, 0
				}
				if src != wantSrc || n != wantN {
					t.Fatalf("input %d: longest(%d) = %d, %d, want %d, %d", i, cur, src, n, wantSrc, wantN)
				}
			}
			m.insert(cur)
		}
	}
}
