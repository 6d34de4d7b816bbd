package entryid_test

// Text forms of entry IDs (shared/spec/entryid-formats.md section 9):
// ParseHex, FormatCB, FormatLog, EncodeSearch and DecodeSearch.

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

func TestTextParseHex(t *testing.T) {
	folder := layHex(layFolderHex)
	for _, c := range []struct {
		name string
		in   string
		want []byte
	}{
		{"upper", "0000000038A1BB10", layHex("0000000038A1BB10")},
		{"lower", "0000000038a1bb10", layHex("0000000038A1BB10")},
		{"mixed", "0000000038a1Bb10", layHex("0000000038A1BB10")},
		{"one byte", "ff", []byte{0xFF}},
		{"spaces between bytes", "00 00 00 00 38 a1 bb 10", layHex("0000000038A1BB10")},
		{"dashes between bytes (MFCMAPI samples)", "00000000-38A1BB10", layHex("0000000038A1BB10")},
		{"0x then dashes", "0x00-11", layHex("0011")},
		{"newlines and tabs", "00000000\r\n38A1\tBB10\n", layHex("0000000038A1BB10")},
		{"leading and trailing space", " \t\n0011 \r\n", []byte{0x00, 0x11}},
		{"0x prefix", "0x0000000038A1BB10", layHex("0000000038A1BB10")},
		{"0X prefix", "0X00ff", []byte{0x00, 0xFF}},
		{"0x prefix after space", "  0x00 ff", []byte{0x00, 0xFF}},
		{"0x then space", "0x 00 ff", []byte{0x00, 0xFF}},
		{"digits that look like 0x", "0000", []byte{0, 0}},
		{"whole folder ID", layFolderHex, folder},

		{"cb", "cb: 46 lpb: " + layFolderHex, folder},
		{"cb lower-case hex", "cb: 2 lpb: abcd", []byte{0xAB, 0xCD}},
		{"cb upper-case keywords", "CB: 2 LPB: ABCD", []byte{0xAB, 0xCD}},
		{"cb without spaces", "cb:2 lpb:abcd", []byte{0xAB, 0xCD}},
		{"cb with extra spaces", "  cb:   2   lpb:   ab cd  ", []byte{0xAB, 0xCD}},
		{"cb with 0x", "cb: 2 lpb: 0xABCD", []byte{0xAB, 0xCD}},
		{"cb NULL", "cb: 0 lpb: NULL", nil},
		{"cb NULL with spaces", " cb: 0 lpb: NULL \n", nil},
		{"cb empty data", "cb: 0 lpb: ", nil},
		{"log empty data (FormatLog(nil))", "[len=0, data=]", nil},

		{"log", "[len=46, data=" + layFolderHex + "]", folder},
		{"log lower-case", "[len=2, data=abcd]", []byte{0xAB, 0xCD}},
		{"log no space", "[len=2,data=ABCD]", []byte{0xAB, 0xCD}},
		{"log upper-case keywords", "[LEN=2, DATA=ABCD]", []byte{0xAB, 0xCD}},
		{"log surrounded by space", "\t[len=2, data=AB CD]\n", []byte{0xAB, 0xCD}},

		{"search", entryid.EncodeSearch([]byte{0, 1, 0xFE, 0xFF}), []byte{0, 1, 0xFE, 0xFF}},
		{"search literal", "\uAC00\uAC38\uACA1\uACFF", []byte{0x00, 0x38, 0xA1, 0xFF}},
		{"search with NUL", "\uAC12\uAC34\x00", []byte{0x12, 0x34}},
		{"search with space around", " \uAC12\n", []byte{0x12}},
	} {
		got, err := entryid.ParseHex(c.in)
		if err != nil {
			t.Errorf("ParseHex(%q) [%s]: %v", c.in, c.name, err)
			continue
		}
		if !bytes.Equal(got, c.want) || (got == nil) != (c.want == nil) {
			t.Errorf("ParseHex(%q) [%s] = %X (nil %v), want %X (nil %v)", c.in, c.name, got, got == nil, c.want, c.want == nil)
		}
	}
}

func TestTextParseHexErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		off  int // the expected ParseError.Offset
	}{
		{"empty", "", 0},
		{"only space", "   ", 3},
		{"only 0x", "0x", 2},
		{"only 0x after space", "  0x  ", 4},
		{"odd digits", "000", 3},
		{"odd digits with space", "00 0 ", 4},
		{"one digit", "f", 1},
		{"invalid character", "00zz", 2},
		{"invalid character after space", "  00 g0", 5},
		{"space inside a byte", "0 0 0 0 0 0 0 0 3 8", 1},
		{"dash inside a byte", "000-00", 3},
		{"invalid character after 0x", "0x00_11", 4},
		{"x inside", "00 0x11", 4},
		{"non-ASCII", "00é0", 2},
		{"NUL", "00\x0000", 2},
		{"braces", "{00}", 0},

		{"cb count too large", "cb: 3 lpb: 0011", 11},
		{"cb count too small", "cb: 1 lpb: 0011", 11},
		{"cb 0 with data", "cb: 0 lpb: 00", 11},
		{"cb NULL with a count", "cb: 2 lpb: NULL", 11},
		{"cb no count", "cb: lpb: 00", 4},
		{"cb count not a number", "cb: x lpb: 00", 4},
		{"cb huge count", "cb: 99999999999999999999 lpb: 00", 4},
		{"cb without lpb", "cb: 1 00", 6},
		{"cb odd digits", "cb: 1 lpb: 001", 14},
		{"cb invalid digit", "cb: 1 lpb: 0g", 12},
		{"cb after space", "  cb: 3 lpb: 0011", 13},

		{"log count mismatch", "[len=3, data=0011]", 13},
		{"log missing ]", "[len=2, data=0011", 17},
		{"log missing ] with space", "[len=2, data=0011  ", 17},
		{"log text after ]", "[len=2, data=0011]x", 19},
		{"log missing data=", "[len=2, 0011]", 8},
		{"log missing comma", "[len=2 data=0011]", 7},
		{"log no count", "[len=, data=00]", 5},
		{"log invalid digit", "[len=1, data=0z]", 14},

		{"search then ASCII", "\uAC00x", 3},
		{"search then hex", "\uAC0000", 3},
		{"search then other Hangul", "\uAC00\uAD00", 3},
		{"search then U+ABFF", "\uAC00\uABFF", 3},
		{"search NUL not last", "\uAC00\x00\uAC00", 3},
		{"search two NULs", "\uAC00\x00\x00", 3},
		{"search after space", " \uAC00x", 4},
		{"search invalid UTF-8", "\uAC00\xff", 3},
	} {
		got, err := entryid.ParseHex(c.in)
		if err == nil {
			t.Errorf("ParseHex(%q) [%s] = %X, want an error", c.in, c.name, got)
			continue
		}
		if got != nil {
			t.Errorf("ParseHex(%q) [%s] = %X with an error, want nil", c.in, c.name, got)
		}
		if pe := checkParseError(t, "ParseHex("+c.name+")", err, len(c.in)); pe != nil {
			if pe.Offset != c.off {
				t.Errorf("ParseHex(%q) [%s] error offset = %d, want %d (%v)", c.in, c.name, pe.Offset, c.off, err)
			}
			if pe.Kind != entryid.KindInvalid || pe.Reason == "" {
				t.Errorf("ParseHex(%q) [%s] error = %+v, want KindInvalid and a reason", c.in, c.name, *pe)
			}
		}
	}
}

func TestTextSearch(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	s := entryid.EncodeSearch(all)
	if n := utf8.RuneCountInString(s); n != 256 {
		t.Fatalf("EncodeSearch(256 bytes) has %d characters, want 256", n)
	}
	i := 0
	for _, r := range s {
		if r != 0xAC00+rune(i) {
			t.Errorf("EncodeSearch: byte %#02x gives %U, want %U", i, r, 0xAC00+rune(i))
		}
		i++
	}
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{[]byte{0x00}, "\uAC00"},
		{[]byte{0xFF}, "\uACFF"},
		{[]byte{0x00, 0x00, 0x00, 0x00, 0x38}, "\uAC00\uAC00\uAC00\uAC00\uAC38"},
		{nil, ""},
	} {
		if got := entryid.EncodeSearch(c.in); got != c.want {
			t.Errorf("EncodeSearch(%X) = %q, want %q", c.in, got, c.want)
		}
	}

	back, err := entryid.DecodeSearch(s)
	if err != nil || !bytes.Equal(back, all) {
		t.Errorf("DecodeSearch(EncodeSearch(0..255)) = %X, %v", back, err)
	}
	back, err = entryid.DecodeSearch(s + "\x00")
	if err != nil || !bytes.Equal(back, all) {
		t.Errorf("DecodeSearch(EncodeSearch(0..255) + NUL) = %X, %v", back, err)
	}
	for _, r := range loadVectors(t) {
		if back, err := entryid.DecodeSearch(entryid.EncodeSearch(r.id)); err != nil || !bytes.Equal(back, r.id) {
			t.Errorf("DecodeSearch(EncodeSearch(%s)) = %X, %v, want %X", r.name, back, err, r.id)
		}
	}

	for _, c := range []struct {
		in  string
		off int
	}{
		{"", 0},
		{"\x00", 0}, // a terminator with nothing before it
		{"x", 0},
		{"00", 0},
		{"\uAC00x", 3},
		{"\uAC00\uAC01\uAD00", 6},
		{"\uAC00\x00\uAC00", 3},
		{"\uAC00\x00\x00", 3},
		{"\uAC00 ", 3},
		{" \uAC00", 0},
		{"\uAC00\xff", 3},
	} {
		got, err := entryid.DecodeSearch(c.in)
		if err == nil {
			t.Errorf("DecodeSearch(%q) = %X, want an error", c.in, got)
			continue
		}
		if pe := checkParseError(t, "DecodeSearch", err, len(c.in)); pe != nil && pe.Offset != c.off {
			t.Errorf("DecodeSearch(%q) error offset = %d, want %d (%v)", c.in, pe.Offset, c.off, err)
		}
	}
}

func TestTextFormat(t *testing.T) {
	for _, c := range []struct {
		in       []byte
		cb, log  string
		outlook  string
		wantBack []byte
	}{
		{[]byte{0xAB, 0x01}, "cb: 2 lpb: AB01", "[len=2, data=AB01]", "AB01", []byte{0xAB, 0x01}},
		{layHex(layFolderHex), "cb: 46 lpb: " + layFolderHex, "[len=46, data=" + layFolderHex + "]", layFolderHex, layHex(layFolderHex)},
		{[]byte{0}, "cb: 1 lpb: 00", "[len=1, data=00]", "00", []byte{0}},
	} {
		if got := entryid.FormatCB(c.in); got != c.cb {
			t.Errorf("FormatCB(%X) = %q, want %q", c.in, got, c.cb)
		}
		if got := entryid.FormatLog(c.in); got != c.log {
			t.Errorf("FormatLog(%X) = %q, want %q", c.in, got, c.log)
		}
		if got := mapispi.EntryID(c.in).String(); got != c.outlook {
			t.Errorf("EntryID(%X).String() = %q, want %q", c.in, got, c.outlook)
		}
	}
	if got := entryid.FormatCB(nil); got != "cb: 0 lpb: NULL" {
		t.Errorf("FormatCB(nil) = %q, want \"cb: 0 lpb: NULL\"", got)
	}
	if got := entryid.FormatCB([]byte{}); got != "cb: 0 lpb: NULL" {
		t.Errorf("FormatCB([]byte{}) = %q, want \"cb: 0 lpb: NULL\"", got)
	}
	if got, err := entryid.ParseHex(entryid.FormatCB(nil)); err != nil || got != nil {
		t.Errorf("ParseHex(FormatCB(nil)) = %X, %v, want nil, nil", got, err)
	}

	// Every vector goes through every text form and back.
	for _, r := range loadVectors(t) {
		for _, s := range []string{
			mapispi.EntryID(r.id).String(),
			strings.ToLower(mapispi.EntryID(r.id).String()),
			"0x" + mapispi.EntryID(r.id).String(),
			entryid.FormatCB(r.id),
			entryid.FormatLog(r.id),
			entryid.EncodeSearch(r.id),
			entryid.EncodeSearch(r.id) + "\x00",
			layGroups(mapispi.EntryID(r.id).String(), 2, " "),
			layGroups(mapispi.EntryID(r.id).String(), 32, "\r\n"),
		} {
			got, err := entryid.ParseHex(s)
			if err != nil || !bytes.Equal(got, r.id) {
				t.Errorf("ParseHex(%q) [%s] = %X, %v, want %X", s, r.name, got, err, r.id)
			}
		}
	}
}

// layGroups inserts sep after every n characters of s.
func layGroups(s string, n int, sep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

func TestTextParseErrorMessage(t *testing.T) {
	_, err := entryid.ParseHex("00zz")
	var pe *entryid.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("ParseHex(\"00zz\") error %T, want *ParseError", err)
	}
	if u := pe.Unwrap(); len(u) != 1 || u[0] != mapispi.ErrInvalidEntryID {
		t.Errorf("ParseError.Unwrap() = %v, want [ErrInvalidEntryID]", u)
	}
	if !strings.Contains(pe.Error(), "offset 2") {
		t.Errorf("ParseError.Error() = %q does not name the offset", pe.Error())
	}
	_, err = entryid.ParseFolder(make([]byte, 45))
	if !errors.As(err, &pe) || pe.Kind != entryid.KindFolder || !strings.Contains(pe.Error(), entryid.KindFolder.String()) {
		t.Errorf("ParseFolder(45 bytes) error = %v, want a folder ParseError", err)
	}
}
