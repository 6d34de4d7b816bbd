package wire

import (
	"bytes"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecodeUTF16 checks DecodeUTF16 against utf16.Decode, and the round
// trip: decoding, encoding and decoding again gives the first decoding,
// and encoding gives back the input itself exactly when ValidUTF16 says
// so (and always when the text holds no U+FFFD).
func FuzzDecodeUTF16(f *testing.F) {
	f.Add([]byte{})
	f.Add(le16('H', 'i'))
	f.Add(le16(0xD83D, 0xDE00))
	f.Add(le16(0xD83D, 'x', 0xDE00))
	f.Add(append(le16(0xFFFD, 0), 7))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := DecodeUTF16(b)
		if ref := reference(b); s != ref {
			t.Fatalf("DecodeUTF16(% X) = %q, utf16.Decode = %q", b, s, ref)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("DecodeUTF16(% X) = %q, not valid UTF-8", b, s)
		}
		enc := EncodeUTF16(s)
		if len(enc) != 2*UTF16Len(s) {
			t.Fatalf("EncodeUTF16(%q) is %d bytes, UTF16Len says %d units", s, len(enc), UTF16Len(s))
		}
		if again := DecodeUTF16(enc); again != s {
			t.Fatalf("DecodeUTF16(EncodeUTF16(%q)) = %q", s, again)
		}
		even := b[:len(b)&^1]
		if lossless := !bytes.Contains([]byte(s), []byte("\uFFFD")); lossless && !bytes.Equal(enc, even) {
			t.Fatalf("EncodeUTF16(DecodeUTF16(% X)) = % X, want the input", even, enc)
		}
		if valid, same := ValidUTF16(b), len(b)%2 == 0 && bytes.Equal(enc, b); valid != same {
			t.Fatalf("ValidUTF16(% X) = %v, but EncodeUTF16(DecodeUTF16(b)) == b is %v", b, valid, same)
		}
		if got := UTF16TrimNUL(b); len(got)%2 != 0 || len(got) > len(even) || !bytes.Equal(got, even[:len(got)]) {
			t.Fatalf("UTF16TrimNUL(% X) = % X, not a prefix of the whole units", b, got)
		}
		if got := UTF16BeforeNUL(b); !bytes.Equal(got, b[:len(got)]) || bytes.Contains(le16Units(got), []byte{0, 0}) {
			t.Fatalf("UTF16BeforeNUL(% X) = % X, not a NUL-free prefix", b, got)
		}
	})
}

// le16Units returns b's whole code units, two bytes apart, for a search
// of a NUL unit that does not straddle two units: each unit as 0 or 1.
func le16Units(b []byte) []byte {
	var out []byte
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			out = append(out, 0, 0)
		} else {
			out = append(out, 1)
		}
	}
	return out
}

// FuzzEncodeUTF16 checks that text survives the round trip through
// UTF-16LE, invalid UTF-8 bytes as U+FFFD each.
func FuzzEncodeUTF16(f *testing.F) {
	f.Add("")
	f.Add("caf\u00e9 \U0001F600")
	f.Add("a\xffb\xed\xa0\x80")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := DecodeUTF16(EncodeUTF16(s)), string([]rune(s)); got != want {
			t.Fatalf("DecodeUTF16(EncodeUTF16(%q)) = %q, want %q", s, got, want)
		}
	})
}

// FuzzFiletime checks that every FILETIME survives the round trip
// through time.Time, and a time through FILETIME to its 100 ns.
func FuzzFiletime(f *testing.F) {
	f.Add(uint64(0), int64(0), int64(0))
	f.Add(uint64(133536860551234567), int64(-11644473600), int64(99))
	f.Add(^uint64(0), int64(1)<<62, int64(999999999))
	f.Fuzz(func(t *testing.T, ft uint64, sec, nsec int64) {
		if got, ok := ToFiletime(FromFiletime(ft)); !ok || got != ft {
			t.Fatalf("ToFiletime(FromFiletime(%d)) = %d, %v", ft, got, ok)
		}
		tm := time.Unix(sec, nsec)
		if ft, ok := ToFiletime(tm); ok {
			back := FromFiletime(ft)
			if d := tm.Sub(back); d < 0 || d >= 100*time.Nanosecond {
				t.Fatalf("FromFiletime(ToFiletime(%v)) = %v, %v off, want less than 100 ns below", tm, back, d)
			}
		}
	})
}
