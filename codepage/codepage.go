// Package codepage converts MAPI's 8-bit strings to and from Go text.
//
// MAPI keeps 8-bit strings (PT_STRING8 properties, one-off entry IDs
// without MAPI_ONE_OFF_UNICODE, the ANSI path of a PST store entry ID, X500
// distinguished names) in the Windows code page of the program that wrote
// them; the bytes do not record which. An [ID] names that code page, so the
// conversion is explicit and the same everywhere in this module. The zero
// ID is Windows-1252, the code page Western-language Outlook writes.
//
// Single-byte code pages convert byte for byte both ways: a byte the code
// page leaves undefined maps to the control character of the same value
// (0x81 is U+0081 in Windows-1252), as Windows' MultiByteToWideChar maps
// it, so Decode then Encode gives back the input. Multi-byte code pages
// (932, 936, 949, 950) refuse input that is not valid in them.
//
// See Microsoft's "Code Page Identifiers" page for the numbers.
package codepage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// ID is a Windows code page identifier, the number Windows and MAPI use
// (PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID): 1252 for Western European,
// 932 for Japanese Shift JIS, 65001 for UTF-8. The zero ID is
// [Windows1252].
type ID uint16

// Code pages whose text is common in MAPI data.
const (
	Windows1252 ID = 1252  // Western European (the default)
	Windows1250 ID = 1250  // Central European
	Windows1251 ID = 1251  // Cyrillic
	Windows1253 ID = 1253  // Greek
	Windows1254 ID = 1254  // Turkish
	Windows1255 ID = 1255  // Hebrew
	Windows1256 ID = 1256  // Arabic
	Windows1257 ID = 1257  // Baltic
	Windows1258 ID = 1258  // Vietnamese
	Windows874  ID = 874   // Thai
	ShiftJIS    ID = 932   // Japanese
	GBK         ID = 936   // Simplified Chinese
	Korean      ID = 949   // Korean (Unified Hangul Code)
	Big5        ID = 950   // Traditional Chinese
	ASCII       ID = 20127 // US-ASCII
	Latin1      ID = 28591 // ISO 8859-1
	UTF8        ID = 65001 // UTF-8
)

type page struct {
	name  string // the WHATWG or IANA name, lower case
	alias []string
	enc   encoding.Encoding // nil for UTF-8 and ASCII
	sb    bool              // single-byte: use the tables
}

var pages = map[ID]page{
	437:         {name: "ibm437", alias: []string{"cp437"}, enc: charmap.CodePage437, sb: true},
	850:         {name: "ibm850", alias: []string{"cp850"}, enc: charmap.CodePage850, sb: true},
	852:         {name: "ibm852", alias: []string{"cp852"}, enc: charmap.CodePage852, sb: true},
	855:         {name: "ibm855", alias: []string{"cp855"}, enc: charmap.CodePage855, sb: true},
	858:         {name: "ibm00858", alias: []string{"cp858"}, enc: charmap.CodePage858, sb: true},
	866:         {name: "ibm866", alias: []string{"cp866"}, enc: charmap.CodePage866, sb: true},
	Windows874:  {name: "windows-874", alias: []string{"cp874"}, enc: charmap.Windows874, sb: true},
	ShiftJIS:    {name: "shift_jis", alias: []string{"cp932", "sjis", "windows-31j"}, enc: japanese.ShiftJIS},
	GBK:         {name: "gbk", alias: []string{"cp936", "gb2312"}, enc: simplifiedchinese.GBK},
	Korean:      {name: "ks_c_5601-1987", alias: []string{"cp949", "euc-kr", "uhc"}, enc: korean.EUCKR},
	Big5:        {name: "big5", alias: []string{"cp950"}, enc: traditionalchinese.Big5},
	Windows1250: {name: "windows-1250", alias: []string{"cp1250"}, enc: charmap.Windows1250, sb: true},
	Windows1251: {name: "windows-1251", alias: []string{"cp1251"}, enc: charmap.Windows1251, sb: true},
	Windows1252: {name: "windows-1252", alias: []string{"cp1252"}, enc: charmap.Windows1252, sb: true},
	Windows1253: {name: "windows-1253", alias: []string{"cp1253"}, enc: charmap.Windows1253, sb: true},
	Windows1254: {name: "windows-1254", alias: []string{"cp1254"}, enc: charmap.Windows1254, sb: true},
	Windows1255: {name: "windows-1255", alias: []string{"cp1255"}, enc: charmap.Windows1255, sb: true},
	Windows1256: {name: "windows-1256", alias: []string{"cp1256"}, enc: charmap.Windows1256, sb: true},
	Windows1257: {name: "windows-1257", alias: []string{"cp1257"}, enc: charmap.Windows1257, sb: true},
	Windows1258: {name: "windows-1258", alias: []string{"cp1258"}, enc: charmap.Windows1258, sb: true},
	10000:       {name: "macintosh", alias: []string{"mac", "x-mac-roman"}, enc: charmap.Macintosh, sb: true},
	20866:       {name: "koi8-r", enc: charmap.KOI8R, sb: true},
	21866:       {name: "koi8-u", enc: charmap.KOI8U, sb: true},
	ASCII:       {name: "us-ascii", alias: []string{"ascii"}},
	Latin1:      {name: "iso-8859-1", alias: []string{"latin1"}, enc: charmap.ISO8859_1, sb: true},
	28592:       {name: "iso-8859-2", alias: []string{"latin2"}, enc: charmap.ISO8859_2, sb: true},
	28593:       {name: "iso-8859-3", enc: charmap.ISO8859_3, sb: true},
	28594:       {name: "iso-8859-4", enc: charmap.ISO8859_4, sb: true},
	28595:       {name: "iso-8859-5", enc: charmap.ISO8859_5, sb: true},
	28596:       {name: "iso-8859-6", enc: charmap.ISO8859_6, sb: true},
	28597:       {name: "iso-8859-7", enc: charmap.ISO8859_7, sb: true},
	28598:       {name: "iso-8859-8", enc: charmap.ISO8859_8, sb: true},
	28599:       {name: "iso-8859-9", enc: charmap.ISO8859_9, sb: true},
	28603:       {name: "iso-8859-13", enc: charmap.ISO8859_13, sb: true},
	28605:       {name: "iso-8859-15", alias: []string{"latin9"}, enc: charmap.ISO8859_15, sb: true},
	54936:       {name: "gb18030", enc: simplifiedchinese.GB18030},
	UTF8:        {name: "utf-8", alias: []string{"utf8"}},
}

// Known reports whether this package can convert id's text.
func (id ID) Known() bool {
	_, ok := pages[id.number()]
	return ok
}

// ANSIFamily returns the Windows code page of id's script when id is an
// Internet code page of East Asian mail (a 7-bit ISO-2022 form, EUC or
// HZ), which MAPI never stores 8-bit strings in: a message whose
// PR_INTERNET_CPID is ISO-2022-JP (50220) has its PT_STRING8 values in
// Shift JIS (932), as Outlook writes them. Any other id is returned as
// it is.
func (id ID) ANSIFamily() ID {
	if w, ok := ansiFamily[id]; ok {
		return w
	}
	return id
}

var ansiFamily = map[ID]ID{
	50220: ShiftJIS, 50221: ShiftJIS, 50222: ShiftJIS, // ISO-2022-JP
	51932: ShiftJIS, 20932: ShiftJIS, // EUC-JP
	50225: Korean, 51949: Korean, // ISO-2022-KR, EUC-KR
	50227: GBK, 51936: GBK, 52936: GBK, 20936: GBK, // ISO-2022-CN, EUC-CN, HZ, GB2312
	51950: Big5, // EUC-TW
}

// Number returns the code page's number: 1252 for the zero ID.
func (id ID) Number() int { return int(id.number()) }

func (id ID) number() ID {
	if id == 0 {
		return Windows1252
	}
	return id
}

// String returns the code page's name, such as "windows-1252" or
// "shift_jis", or "cp" and the number for a code page this package does
// not know.
func (id ID) String() string {
	if p, ok := pages[id.number()]; ok {
		return p.name
	}
	return "cp" + strconv.Itoa(int(id))
}

// Parse returns the code page a name or number gives: "1252", "cp1252",
// "windows-1252", "shift_jis", "utf-8" and the like, compared without
// regard to case. A code page this package cannot convert is an error.
func Parse(s string) (ID, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.ParseUint(strings.TrimPrefix(t, "cp"), 10, 16); err == nil {
		if id := ID(n); id != 0 && id.Known() {
			return id, nil
		}
		return 0, fmt.Errorf("codepage: code page %s is not supported (supported: %s)", s, supported())
	}
	for id, p := range pages {
		if t == p.name || slices.Contains(p.alias, t) {
			return id, nil
		}
	}
	return 0, fmt.Errorf("codepage: unknown code page %q (supported: %s)", s, supported())
}

func supported() string {
	ids := make([]int, 0, len(pages))
	for id := range pages {
		ids = append(ids, int(id))
	}
	slices.Sort(ids)
	s := make([]string, len(ids))
	for i, n := range ids {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// Error reports text that a code page cannot hold, or bytes that are not
// valid in it.
type Error struct {
	CodePage ID
	// Offset is the byte offset of the problem in the input.
	Offset int
	// Rune is the character the code page cannot hold (Encode), or
	// utf8.RuneError for input that is not UTF-8 (Encode) or not valid in
	// the code page (Decode).
	Rune rune
	// Decode tells a Decode error from an Encode one.
	Decode bool
}

// ErrUnrepresentable is what every *Error matches with errors.Is.
var ErrUnrepresentable = errors.New("codepage: text not representable")

func (e *Error) Error() string {
	switch {
	case e.Decode:
		return fmt.Sprintf("codepage: byte sequence at offset %d is not valid %s", e.Offset, e.CodePage)
	case e.Rune == utf8.RuneError:
		return fmt.Sprintf("codepage: invalid UTF-8 at offset %d", e.Offset)
	}
	return fmt.Sprintf("codepage: %s cannot hold %q (U+%04X) at offset %d", e.CodePage, e.Rune, e.Rune, e.Offset)
}

// Is reports whether target is ErrUnrepresentable.
func (e *Error) Is(target error) bool { return target == ErrUnrepresentable }

// tables are the byte-for-byte maps of a single-byte code page.
type tables struct {
	dec [256]rune
	enc map[rune]byte
}

var tableCache sync.Map // ID -> *tables

func (id ID) tables(p page) *tables {
	if t, ok := tableCache.Load(id); ok {
		return t.(*tables)
	}
	cm := p.enc.(*charmap.Charmap)
	t := &tables{enc: make(map[rune]byte, 256)}
	for i := range 256 {
		r := cm.DecodeByte(byte(i))
		if r == utf8.RuneError {
			r = rune(i) // undefined: the C1 control of the same value, as Windows does
		}
		t.dec[i] = r
	}
	for i := range 256 {
		if _, dup := t.enc[t.dec[i]]; !dup {
			t.enc[t.dec[i]] = byte(i)
		}
	}
	v, _ := tableCache.LoadOrStore(id, t)
	return v.(*tables)
}

func (id ID) page() (ID, page, error) {
	n := id.number()
	p, ok := pages[n]
	if !ok {
		return n, p, fmt.Errorf("codepage: code page %d is not supported: %w", int(id), errors.ErrUnsupported)
	}
	return n, p, nil
}

// Decode returns the text that b, 8-bit bytes in code page id, holds. For a
// single-byte code page it never fails. For a multi-byte one, bytes that
// are not valid in it are an *Error with their offset.
func (id ID) Decode(b []byte) (string, error) {
	n, p, err := id.page()
	if err != nil {
		return "", err
	}
	switch {
	case n == UTF8:
		if i := invalidUTF8(b); i >= 0 {
			return "", &Error{CodePage: n, Offset: i, Rune: utf8.RuneError, Decode: true}
		}
		return string(b), nil
	case n == ASCII:
		for i, c := range b {
			if c >= 0x80 {
				return "", &Error{CodePage: n, Offset: i, Rune: utf8.RuneError, Decode: true}
			}
		}
		return string(b), nil
	case p.sb:
		if isASCII(b) {
			return string(b), nil
		}
		t := n.tables(p)
		var sb strings.Builder
		sb.Grow(len(b) + len(b)/2)
		for _, c := range b {
			sb.WriteRune(t.dec[c])
		}
		return sb.String(), nil
	}
	if isASCII(b) {
		return string(b), nil
	}
	// Multi-byte: x/text replaces what it cannot read with U+FFFD, and
	// reads a few bytes it cannot write back. Accept only text that
	// encodes to the same bytes, so that Decode then Encode is exact.
	if s, ok := decodeExact(p.enc, b); ok {
		return s, nil
	}
	good := 0
	for good < len(b) {
		k := 1
		for ; k <= 4 && good+k <= len(b); k++ {
			if _, ok := decodeExact(p.enc, b[good:good+k]); ok {
				break
			}
		}
		if k > 4 || good+k > len(b) {
			break
		}
		good += k
	}
	return "", &Error{CodePage: n, Offset: good, Rune: utf8.RuneError, Decode: true}
}

// decodeExact decodes b with enc and reports whether the text holds no
// replacement character and encodes back to b.
func decodeExact(enc encoding.Encoding, b []byte) (string, bool) {
	s, err := enc.NewDecoder().Bytes(b)
	if err != nil || strings.ContainsRune(string(s), utf8.RuneError) {
		return "", false
	}
	back, err := enc.NewEncoder().Bytes(s)
	if err != nil || string(back) != string(b) {
		return "", false
	}
	return string(s), true
}

// Encode returns s in code page id. A character the code page cannot hold,
// or s that is not UTF-8, is an *Error that names it, with its offset in s:
// nothing is replaced by '?'.
func (id ID) Encode(s string) ([]byte, error) { return id.AppendEncode(nil, s) }

// AppendEncode appends s in code page id to dst, as Encode. On error dst is
// returned unchanged.
func (id ID) AppendEncode(dst []byte, s string) ([]byte, error) {
	n, p, err := id.page()
	if err != nil {
		return dst, err
	}
	if i := invalidUTF8String(s); i >= 0 {
		return dst, &Error{CodePage: n, Offset: i, Rune: utf8.RuneError}
	}
	if n == UTF8 {
		return append(dst, s...), nil
	}
	if isASCIIString(s) {
		return append(dst, s...), nil
	}
	if n == ASCII {
		for i, r := range s {
			if r >= 0x80 {
				return dst, &Error{CodePage: n, Offset: i, Rune: r}
			}
		}
	}
	if p.sb {
		t := n.tables(p)
		out := dst
		for i, r := range s {
			c, ok := t.enc[r]
			if !ok {
				return dst, &Error{CodePage: n, Offset: i, Rune: r}
			}
			out = append(out, c)
		}
		return out, nil
	}
	for i, r := range s {
		if r == utf8.RuneError {
			continue // a real U+FFFD: the encoder below reports it if it cannot hold it
		}
		if _, err := p.enc.NewEncoder().String(string(r)); err != nil {
			return dst, &Error{CodePage: n, Offset: i, Rune: r}
		}
	}
	b, err := p.enc.NewEncoder().String(s)
	if err != nil {
		return dst, &Error{CodePage: n, Offset: strings.IndexRune(s, utf8.RuneError), Rune: utf8.RuneError}
	}
	return append(dst, b...), nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

func invalidUTF8String(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return i
			}
		}
	}
	return -1
}
