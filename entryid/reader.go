package entryid

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// reader is a little-endian cursor over entry ID bytes. Reads past the end
// or over malformed data record the first failure and return zero values,
// so parsing code stays flat and checks r.err once. It never allocates
// except to build the error.
type reader struct {
	b    []byte
	off  int
	kind Kind
	err  *ParseError
}

func newReader(k Kind, b []byte) reader { return reader{b: b, kind: k} }

func (r *reader) fail(off int, reason string) {
	if r.err == nil {
		r.err = parseErr(r.kind, off, reason)
	}
}

func (r *reader) left() int { return len(r.b) - r.off }

func (r *reader) need(n int, what string) bool {
	if r.err != nil {
		return false
	}
	if r.left() < n {
		r.fail(len(r.b), "entry ID ends inside "+what)
		return false
	}
	return true
}

func (r *reader) u8(what string) uint8 {
	if !r.need(1, what) {
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16(what string) uint16 {
	if !r.need(2, what) {
		return 0
	}
	v := binary.LittleEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32(what string) uint32 {
	if !r.need(4, what) {
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) uid(what string) (u [16]byte) {
	if !r.need(16, what) {
		return u
	}
	copy(u[:], r.b[r.off:])
	r.off += 16
	return u
}

// bytes returns the next n bytes, aliasing the input.
func (r *reader) bytes(n int, what string) []byte {
	if !r.need(n, what) {
		return nil
	}
	v := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return v
}

// rest returns the remaining bytes, aliasing the input.
func (r *reader) rest() []byte {
	if r.err != nil {
		return nil
	}
	v := r.b[r.off:len(r.b):len(r.b)]
	r.off = len(r.b)
	return v
}

// cstr returns an 8-bit NUL-terminated string without its NUL, aliasing the
// input, and moves past the NUL.
func (r *reader) cstr(what string) []byte {
	if r.err != nil {
		return nil
	}
	v, err := cstrAt(r.kind, r.b, r.off, what)
	if err != nil {
		r.err = err
		return nil
	}
	r.off += len(v) + 1
	return v
}

// cstrAt returns the 8-bit NUL-terminated string at b[off:] without its
// NUL, aliasing b.
func cstrAt(k Kind, b []byte, off int, what string) ([]byte, *ParseError) {
	if n := indexNUL8(b[off:]); n >= 0 {
		return b[off : off+n : off+n], nil
	}
	return nil, noNUL(k, off, what)
}

func noNUL(k Kind, off int, what string) *ParseError {
	return parseErr(k, off, what+" has no terminating NUL")
}

// wstr returns the bytes of a UTF-16LE string terminated by a 2-byte NUL,
// without the NUL, aliasing the input, and moves past the NUL. It rejects
// strings that are not valid UTF-16 (unpaired surrogates), because they
// cannot be carried by a Go string and re-encoded unchanged.
func (r *reader) wstr(what string) []byte {
	if r.err != nil {
		return nil
	}
	v, err := wstrAt(r.kind, r.b, r.off, what)
	if err != nil {
		r.err = err
		return nil
	}
	r.off += len(v) + 2
	return v
}

// wstrAt returns the UTF-16LE string at b[off:] as wstr reads it.
func wstrAt(k Kind, b []byte, off int, what string) ([]byte, *ParseError) {
	if n, bad := scanUTF16(b[off:]); n >= 0 && bad < 0 {
		return b[off : off+n : off+n], nil
	}
	return nil, badUTF16(k, b, off, what)
}

func badUTF16(k Kind, b []byte, off int, what string) *ParseError {
	n, bad := scanUTF16(b[off:])
	if n < 0 {
		return noNUL(k, off, what)
	}
	return parseErr(k, off+bad, what+" is not valid UTF-16 (unpaired surrogate)")
}

// end records an error if bytes remain.
func (r *reader) end(what string) {
	if r.err == nil && r.left() != 0 {
		r.fail(r.off, strconv.Itoa(r.left())+" unexpected bytes after "+what)
	}
}

func indexNUL8(b []byte) int { return bytes.IndexByte(b, 0) }

// scanUTF16 finds the 2-byte-aligned 0x0000 code unit that ends a UTF-16LE
// string: n is its byte offset or -1, and bad is the byte offset of the
// first unpaired surrogate before it or -1. It checks 4 code units at a
// time while none is zero or a surrogate, the common case.
func scanUTF16(b []byte) (n, bad int) {
	const (
		ones  = 0x0001000100010001
		highs = 0x8000800080008000
		smask = 0xF800F800F800F800
		surr  = 0xD800D800D800D800
	)
	i := 0
	for ; i+16 <= len(b); i += 16 { // 8 units at a time while none is flagged
		v1, v2 := binary.LittleEndian.Uint64(b[i:]), binary.LittleEndian.Uint64(b[i+8:])
		w1, w2 := v1&smask^surr, v2&smask^surr
		if ((w1-ones)&^w1|(w2-ones)&^w2|(v1-ones)&^v1|(v2-ones)&^v2)&highs != 0 {
			break // the loop below finds which
		}
	}
	for ; i+8 <= len(b); i += 8 {
		v := binary.LittleEndian.Uint64(b[i:])
		w := v&smask ^ surr
		if (w-ones)&^w&highs != 0 {
			break // a surrogate: the loop below pairs them
		}
		// The lowest flagged lane is the first zero code unit (higher
		// lanes may be flagged falsely by the borrow).
		if z := (v - ones) &^ v & highs; z != 0 {
			return i + bits.TrailingZeros64(z)/16*2, -1
		}
	}
	bad = -1
	for ; i+1 < len(b); i += 2 {
		u := rune(b[i]) | rune(b[i+1])<<8
		switch {
		case u == 0:
			return i, bad
		case u < 0xD800 || u > 0xDFFF:
		case u < 0xDC00 && i+3 < len(b) && b[i+3]&0xFC == 0xDC:
			i += 2 // a high surrogate followed by a low one
		default:
			if bad < 0 {
				bad = i
			}
		}
	}
	return -1, bad
}

// appendCString appends s and a NUL byte.
func appendCString(b []byte, s string) []byte {
	b = append(b, s...)
	return append(b, 0)
}

// hasNUL reports whether s holds a NUL, which no NUL-terminated field can carry.
func hasNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// validWide reports whether s can be written as a UTF-16 field: valid UTF-8
// and no NUL.
func validWide(s string) bool { return utf8.ValidString(s) && !hasNUL(s) }
