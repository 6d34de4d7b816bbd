package wire

import (
	"strings"
	"unicode/utf8"
)

// Surrogate ranges of UTF-16 (The Unicode Standard, 3.8).
const (
	surrHigh  = 0xD800 // first high (leading) surrogate
	surrLow   = 0xDC00 // first low (trailing) surrogate
	surrEnd   = 0xE000 // one past the last low surrogate
	surrPlane = 0x10000
)

// UTF16Len returns the number of UTF-16 code units s encodes to with
// AppendUTF16: two for a character above U+FFFF, one for any other, and
// one (U+FFFD) for each byte that is not part of valid UTF-8. Twice it is
// the byte length of the encoding, without a terminator. It allocates
// nothing.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= surrPlane {
			n++
		}
	}
	return n
}

// AppendUTF16 appends s to dst as UTF-16LE, without a terminator, and
// returns the extended slice: the Go form of MultiByteToWideChar(CP_UTF8).
// A byte of s that is not part of valid UTF-8 becomes U+FFFD, as
// utf16.Encode([]rune(s)) has it. It allocates nothing when dst has room
// for 2*UTF16Len(s) more bytes.
func AppendUTF16(dst []byte, s string) []byte {
	for _, r := range s {
		if r < surrPlane {
			dst = append(dst, byte(r), byte(r>>8))
			continue
		}
		r -= surrPlane
		hi, lo := surrHigh+(r>>10)&0x3FF, surrLow+r&0x3FF
		dst = append(dst, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
	}
	return dst
}

// EncodeUTF16 returns s as UTF-16LE in a new slice of exactly its length
// (one allocation; none for ""), without a terminator; see AppendUTF16.
func EncodeUTF16(s string) []byte {
	n := UTF16Len(s)
	if n == 0 {
		return []byte{}
	}
	return AppendUTF16(make([]byte, 0, 2*n), s)
}

// DecodeUTF16 returns the text of the UTF-16LE code units in b, the Go
// form of WideCharToMultiByte(CP_UTF8): a surrogate pair is one
// character, and a surrogate without its partner reads as U+FFFD, as
// utf16.Decode has it. A final odd byte is no code unit and is ignored;
// a caller for which it is an error checks len(b)%2. NUL code units are
// characters like any other (see UTF16BeforeNUL and UTF16TrimNUL for a
// MAPI string's terminator). It allocates once, the string, and nothing
// for an empty result.
func DecodeUTF16(b []byte) string {
	n := 0
	for i := 0; i+1 < len(b); {
		r, w := decodeUnit(b, i)
		n += utf8.RuneLen(r)
		i += w
	}
	if n == 0 {
		return ""
	}
	var s strings.Builder
	s.Grow(n)
	for i := 0; i+1 < len(b); {
		r, w := decodeUnit(b, i)
		s.WriteRune(r)
		i += w
	}
	return s.String()
}

// decodeUnit returns the character at byte i of UTF-16LE b (i+1 <
// len(b)) and how many bytes it takes: 4 for a surrogate pair, else 2.
func decodeUnit(b []byte, i int) (rune, int) {
	u := rune(b[i]) | rune(b[i+1])<<8
	switch {
	case u < surrHigh || u >= surrEnd:
		return u, 2
	case u < surrLow && i+3 < len(b):
		if l := rune(b[i+2]) | rune(b[i+3])<<8; l >= surrLow && l < surrEnd {
			return surrPlane + (u-surrHigh)<<10 | (l - surrLow), 4
		}
	}
	return utf8.RuneError, 2
}

// ValidUTF16 reports whether b is whole UTF-16LE code units (an even
// length) without a surrogate that lacks its partner: whether
// DecodeUTF16 reads it without loss, so that encoding the text gives b
// back. It allocates nothing.
func ValidUTF16(b []byte) bool {
	if len(b)%2 != 0 {
		return false
	}
	for i := 0; i < len(b); {
		r, w := decodeUnit(b, i)
		if r == utf8.RuneError && (b[i] != 0xFD || b[i+1] != 0xFF) {
			return false
		}
		i += w
	}
	return true
}

// UTF16BeforeNUL returns b up to its first NUL code unit (two zero bytes
// at an even offset), or all of b: a MAPI string ends at its terminator,
// whatever follows it. It returns a subslice of b and allocates nothing.
func UTF16BeforeNUL(b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			return b[:i]
		}
	}
	return b
}

// UTF16TrimNUL returns b without a final odd byte and without the NUL
// code units at its end: the text of a stream written with its
// terminator, or padded. It returns a subslice of b and allocates
// nothing.
func UTF16TrimNUL(b []byte) []byte {
	b = b[:len(b)&^1]
	for len(b) >= 2 && b[len(b)-2] == 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-2]
	}
	return b
}
