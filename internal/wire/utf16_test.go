package wire

import (
	"bytes"
	"testing"
	"unicode/utf16"
)

// reference is what the standard library makes of b: the code units
// utf16.Decode reads, a final odd byte left out.
func reference(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}

func le16(units ...uint16) []byte {
	var b []byte
	for _, u := range units {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestDecodeUTF16(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, ""},
		{"one odd byte", []byte{'A'}, ""},
		{"ASCII", le16('H', 'i'), "Hi"},
		{"final odd byte ignored", append(le16('H', 'i'), 'x'), "Hi"},
		{"BMP", le16(0x65E5, 0x672C), "\u65e5\u672c"},
		{"surrogate pair", le16(0xD83D, 0xDE00), "\U0001F600"},
		{"lone high surrogate at the end", le16('a', 0xD83D), "a\uFFFD"},
		{"high surrogate then a letter", le16(0xD83D, 'b'), "\uFFFDb"},
		{"lone low surrogate", le16(0xDE00, 'c'), "\uFFFDc"},
		{"two high surrogates then a low", le16(0xD800, 0xD83D, 0xDE00), "\uFFFD\U0001F600"},
		{"high surrogate, then an odd byte", append(le16(0xD83D), 0x00), "\uFFFD"},
		{"NUL is a character", le16('a', 0, 'b'), "a\x00b"},
		{"U+FFFD itself", le16(0xFFFD), "\uFFFD"},
		{"largest pair", le16(0xDBFF, 0xDFFF), "\U0010FFFF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DecodeUTF16(tc.in); got != tc.want {
				t.Errorf("DecodeUTF16(% X) = %q, want %q", tc.in, got, tc.want)
			}
			if got, ref := DecodeUTF16(tc.in), reference(tc.in); got != ref {
				t.Errorf("DecodeUTF16(% X) = %q, utf16.Decode = %q, want the same", tc.in, got, ref)
			}
		})
	}
}

func TestValidUTF16(t *testing.T) {
	tests := []struct {
		in   []byte
		want bool
	}{
		{nil, true},
		{le16('a', 0, 0xFFFD), true},
		{le16(0xD83D, 0xDE00), true},
		{[]byte{'a'}, false},
		{append(le16('a'), 0), false},
		{le16(0xD83D), false},
		{le16(0xDE00, 0xD83D), false},
		{le16(0xFFFD, 0xD800), false}, // U+FFFD spelled out does not hide a lone surrogate
		{le16(0xD83D, 0xFFFD), false},
	}
	for _, tc := range tests {
		if got := ValidUTF16(tc.in); got != tc.want {
			t.Errorf("ValidUTF16(% X) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestEncodeUTF16(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"", []byte{}},
		{"Hi", le16('H', 'i')},
		{"caf\u00e9", le16('c', 'a', 'f', 0xE9)},
		{"\U0001F600!", le16(0xD83D, 0xDE00, '!')},
		{"\U0010FFFF", le16(0xDBFF, 0xDFFF)},
		{"a\xffb", le16('a', 0xFFFD, 'b')},             // an invalid byte is U+FFFD
		{"\xed\xa0\x80", le16(0xFFFD, 0xFFFD, 0xFFFD)}, // so is each byte of an encoded surrogate
		{"a\x00", le16('a', 0)},
	}
	for _, tc := range tests {
		got := EncodeUTF16(tc.in)
		if !bytes.Equal(got, tc.want) || got == nil {
			t.Errorf("EncodeUTF16(%q) = % X, want % X", tc.in, got, tc.want)
		}
		if n := UTF16Len(tc.in); 2*n != len(tc.want) {
			t.Errorf("UTF16Len(%q) = %d, want %d", tc.in, n, len(tc.want)/2)
		}
		if ref := utf16.Encode([]rune(tc.in)); !bytes.Equal(got, le16(ref...)) {
			t.Errorf("EncodeUTF16(%q) = % X, utf16.Encode = % X, want the same", tc.in, got, le16(ref...))
		}
		if got := AppendUTF16([]byte{1, 2}, tc.in); !bytes.Equal(got, append([]byte{1, 2}, tc.want...)) {
			t.Errorf("AppendUTF16([01 02], %q) = % X, want 01 02 % X", tc.in, got, tc.want)
		}
	}
}

func TestUTF16NUL(t *testing.T) {
	tests := []struct {
		in           []byte
		before, trim []byte
	}{
		{nil, nil, nil},
		{le16('a', 'b'), le16('a', 'b'), le16('a', 'b')},
		{le16('a', 0, 'b', 0, 0), le16('a'), le16('a', 0, 'b')},
		{le16(0, 0), []byte{}, []byte{}},
		{le16(0x0100, 0x0001), le16(0x0100, 0x0001), le16(0x0100, 0x0001)}, // zero bytes straddling two units are no NUL
		{append(le16('a', 0), 0), le16('a'), le16('a')},
		{[]byte{0}, []byte{0}, []byte{}},
	}
	for _, tc := range tests {
		if got := UTF16BeforeNUL(tc.in); !bytes.Equal(got, tc.before) {
			t.Errorf("UTF16BeforeNUL(% X) = % X, want % X", tc.in, got, tc.before)
		}
		if got := UTF16TrimNUL(tc.in); !bytes.Equal(got, tc.trim) {
			t.Errorf("UTF16TrimNUL(% X) = % X, want % X", tc.in, got, tc.trim)
		}
	}
}

// TestUTF16Allocs checks the allocation counts the doc comments state.
func TestUTF16Allocs(t *testing.T) {
	s := "Grüße \u65e5\u672c \U0001F600, and some ASCII to make it longer"
	enc := EncodeUTF16(s)
	dst := make([]byte, 0, 2*UTF16Len(s))
	padded := append(append([]byte{}, enc...), 0, 0, 0, 0)
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"UTF16Len", 0, func() { _ = UTF16Len(s) }},
		{"AppendUTF16 with room", 0, func() { _ = AppendUTF16(dst[:0], s) }},
		{"EncodeUTF16", 1, func() { _ = EncodeUTF16(s) }},
		{"EncodeUTF16 of empty", 0, func() { _ = EncodeUTF16("") }},
		{"DecodeUTF16", 1, func() { _ = DecodeUTF16(enc) }},
		{"DecodeUTF16 of empty", 0, func() { _ = DecodeUTF16(nil) }},
		{"ValidUTF16", 0, func() { _ = ValidUTF16(enc) }},
		{"UTF16BeforeNUL", 0, func() { _ = UTF16BeforeNUL(padded) }},
		{"UTF16TrimNUL", 0, func() { _ = UTF16TrimNUL(padded) }},
	}
	for _, tc := range tests {
		if got := testing.AllocsPerRun(100, tc.f); got != tc.want {
			t.Errorf("%s: %v allocations a call, want %v", tc.name, got, tc.want)
		}
	}
}

func BenchmarkDecodeUTF16(b *testing.B) {
	in := EncodeUTF16(string(bytes.Repeat([]byte("Subject: caf\u00e9 \u65e5\u672c "), 64)))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		_ = DecodeUTF16(in)
	}
}

func BenchmarkEncodeUTF16(b *testing.B) {
	in := string(bytes.Repeat([]byte("Subject: caf\u00e9 \u65e5\u672c "), 64))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		_ = EncodeUTF16(in)
	}
}
