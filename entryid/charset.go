package entryid

import (
	"sync"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/codepage"
)

// charset is a code page prepared for comparing 8-bit strings without
// allocating: for a single-byte code page, the character of every byte.
type charset struct {
	id     codepage.ID
	single bool // each byte is one character, given by dec
	dec    [256]rune
	err    error // the code page is not supported
}

var (
	defaultCharset = sync.OnceValue(func() *charset { return newCharset(codepage.Windows1252) })
	charsets       sync.Map // codepage.ID -> *charset, for supported code pages only
)

// charsetOf returns the prepared code page id (the zero ID is
// Windows-1252).
func charsetOf(id codepage.ID) *charset {
	if id == 0 || id == codepage.Windows1252 {
		return defaultCharset()
	}
	if c, ok := charsets.Load(id); ok {
		return c.(*charset)
	}
	c := newCharset(id)
	if c.err != nil {
		return c // not cached: an unsupported ID may be anything
	}
	v, _ := charsets.LoadOrStore(id, c)
	return v.(*charset)
}

// newCharset asks package codepage for the character of each byte; a code
// page in which some byte alone is not one character is multi-byte.
func newCharset(id codepage.ID) *charset {
	c := &charset{id: id, single: true}
	if _, err := id.Decode(nil); err != nil {
		c.err, c.single = err, false
		return c
	}
	for i := range 256 {
		s, err := id.Decode([]byte{byte(i)})
		r, n := utf8.DecodeRuneInString(s)
		if err != nil || n != len(s) || n == 0 {
			c.single = false
			return c
		}
		c.dec[i] = r
	}
	return c
}

// decode8 decodes an 8-bit string of an entry ID of kind k, found at byte
// off, with code page cp; what names the field for the error.
func decode8(k Kind, cp codepage.ID, b []byte, off int, what string) (string, *ParseError) {
	if isASCII(b) {
		return string(b), nil
	}
	s, err := cp.Decode(b)
	if err != nil {
		pe := parseErr(k, off, what+" is not "+cp.String()+" text")
		if ce, ok := err.(*codepage.Error); ok {
			pe.Offset += ce.Offset
		}
		pe.Err = err
		return "", pe
	}
	return s, nil
}

// appendString8 appends s in code page cp and a NUL, for the field what of
// an entry ID of kind k. A NUL in s, or a character cp cannot hold, is an
// error that names it, and b is returned unchanged.
func appendString8(b []byte, k Kind, cp codepage.ID, what, s string) ([]byte, error) {
	if hasNUL(s) {
		return b, encodeErr(k, nil, "%s %q holds a NUL", what, s)
	}
	if isASCIIString(s) {
		return appendCString(b, s), nil
	}
	out, err := cp.AppendEncode(b, s)
	if err != nil {
		return b, encodeErr(k, err, "%s %q", what, s)
	}
	return append(out, 0), nil
}

// len8 is the length in bytes of s in code page cp, or -1 if cp cannot
// hold it.
func len8(cp codepage.ID, s string) int {
	if isASCIIString(s) {
		return len(s)
	}
	b, err := cp.Encode(s)
	if err != nil {
		return -1
	}
	return len(b)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
