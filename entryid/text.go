package entryid

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/mapispi"
)

// ParseHex reads an entry ID from the text forms tools print:
//
//   - hex digits of either case, with or without white space or dashes
//     between bytes ("0000000038A1BB10...", "00 00 00 00 38 a1 ..."),
//     optionally prefixed by "0x": Outlook's EntryID and StoreID strings,
//     EWS HexEntryId, MFCMAPI's samples;
//   - MFCMAPI's "cb: N lpb: HEX" (N in decimal, which must match the digits);
//   - the "[len=N, data=HEX]" form of Exchange migration logs;
//   - the Windows Search URL form of [EncodeSearch], recognised by its
//     first character (U+AC00 to U+ACFF).
//
// s must hold one entry ID and nothing else; [FindAll] finds entry IDs in
// a longer text.
//
// The counted forms can say "no entry ID": "cb: 0 lpb: NULL" and
// "[len=0, data=]" give nil and no error. Plain text without hex digits is
// an error, and an empty entry ID has no Search form. Errors are
// *ParseError values with the offset into s.
func ParseHex(s string) (mapispi.EntryID, error) {
	t := strings.TrimLeft(s, " \t\r\n")
	base := len(s) - len(t)
	t = strings.TrimRight(t, " \t\r\n")
	if r, _ := utf8.DecodeRuneInString(t); r >= searchBase && r <= searchBase+0xFF {
		b, err := DecodeSearch(t)
		if err != nil {
			err.(*ParseError).Offset += base
			return nil, err
		}
		return b, nil
	}
	switch {
	case hasPrefixFold(t, "cb:"):
		return parseCounted(t, base, "cb:", "lpb:", "")
	case hasPrefixFold(t, "[len="):
		return parseCounted(t, base, "[len=", ",", "]")
	}
	return parseHexDigits(t, base, -1)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseCounted reads "<open> N <sep> HEX <close>"; for the log form the
// separator is followed by "data=".
func parseCounted(t string, base int, open, sep, close string) (mapispi.EntryID, error) {
	p := len(open)
	q := p
	for q < len(t) && t[q] == ' ' {
		q++
	}
	p = q
	for q < len(t) && t[q] >= '0' && t[q] <= '9' {
		q++
	}
	n, err := strconv.Atoi(t[p:q])
	switch {
	case p == q:
		return nil, parseErr(KindInvalid, base+p, "byte count is not a decimal number")
	case err != nil:
		return nil, parseErr(KindInvalid, base+p, "byte count "+t[p:q]+" is too large")
	}
	rest := strings.TrimLeft(t[q:], " ")
	if !hasPrefixFold(rest, sep) {
		return nil, parseErr(KindInvalid, base+len(t)-len(rest), "missing "+strconv.Quote(sep))
	}
	rest = strings.TrimLeft(rest[len(sep):], " ")
	if open == "[len=" {
		if !hasPrefixFold(rest, "data=") {
			return nil, parseErr(KindInvalid, base+len(t)-len(rest), `missing "data="`)
		}
		rest = rest[len("data="):]
	}
	if close != "" {
		if !strings.HasSuffix(rest, close) {
			return nil, parseErr(KindInvalid, base+len(t), "missing "+strconv.Quote(close))
		}
		rest = rest[:len(rest)-len(close)]
	}
	at := base + len(t) - len(rest) - len(close)
	if n == 0 && (strings.TrimSpace(rest) == "" || open == "cb:" && strings.EqualFold(strings.TrimSpace(rest), "NULL")) {
		return nil, nil // the NULL entry ID
	}
	return parseHexDigits(rest, at, n)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// parseHexDigits decodes hex digits; white space and '-' (MFCMAPI's
// samples have both) may separate bytes but not split one. want >= 0 is
// the byte count the text announced.
func parseHexDigits(t string, base, want int) (mapispi.EntryID, error) {
	if len(t) >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		t, base = t[2:], base+2
	}
	digits := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case unhex(c) < 16:
			digits++
		case isSpace(c) || c == '-':
			if digits%2 != 0 {
				return nil, parseErr(KindInvalid, base+i, "separator "+strconv.QuoteRune(rune(c))+" inside a byte")
			}
		default:
			r, _ := utf8.DecodeRuneInString(t[i:])
			return nil, parseErr(KindInvalid, base+i, "invalid character "+strconv.QuoteRune(r)+" in hex")
		}
	}
	switch {
	case digits == 0:
		return nil, parseErr(KindInvalid, base, "no hex digits")
	case digits%2 != 0:
		return nil, parseErr(KindInvalid, base+len(t), "odd number of hex digits ("+strconv.Itoa(digits)+")")
	case want >= 0 && digits/2 != want:
		return nil, parseErr(KindInvalid, base, "the text says "+bytesCount(want)+" but holds "+strconv.Itoa(digits/2))
	}
	b := make(mapispi.EntryID, 0, digits/2)
	hi := -1
	for i := 0; i < len(t); i++ {
		v := unhex(t[i])
		if v >= 16 {
			continue
		}
		if hi < 0 {
			hi = int(v)
			continue
		}
		b = append(b, byte(hi<<4)|v)
		hi = -1
	}
	return b, nil
}

// bytesCount says "1 byte" or "n bytes".
func bytesCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 255
}

// FormatCB returns MFCMAPI's "cb: N lpb: HEX" form; an empty entry ID
// gives "cb: 0 lpb: NULL".
func FormatCB(b mapispi.EntryID) string {
	if len(b) == 0 {
		return "cb: 0 lpb: NULL"
	}
	return "cb: " + strconv.Itoa(len(b)) + " lpb: " + mapispi.EntryID(b).String()
}

// FormatLog returns the "[len=N, data=HEX]" form of Exchange logs.
func FormatLog(b mapispi.EntryID) string {
	return "[len=" + strconv.Itoa(len(b)) + ", data=" + mapispi.EntryID(b).String() + "]"
}

const searchBase = 0xAC00

// EncodeSearch returns the Windows Search URL form of an entry ID ("Algorithm
// to Encode Entry IDs and Attachment IDs" in the MAPI reference): each
// byte b becomes the character U+AC00+b. MAPI NUL-terminates the UTF-16
// buffer; a Go string carries its length, so no terminator is added.
func EncodeSearch(b mapispi.EntryID) string {
	buf := make([]byte, 0, 3*len(b))
	for _, c := range b {
		buf = utf8.AppendRune(buf, searchBase+rune(c))
	}
	return string(buf)
}

// DecodeSearch undoes [EncodeSearch]. It accepts one trailing U+0000, as
// the UTF-16 buffer carries; any other character outside U+AC00..U+ACFF is
// a *ParseError.
func DecodeSearch(s string) (mapispi.EntryID, error) {
	b := make([]byte, 0, len(s)/3)
	for i, r := range s {
		switch {
		case r >= searchBase && r <= searchBase+0xFF:
			b = append(b, byte(r-searchBase))
		case r == 0 && i == len(s)-1:
		default:
			return nil, parseErr(KindInvalid, i, "character "+strconv.QuoteRune(r)+" is not in U+AC00..U+ACFF")
		}
	}
	if len(b) == 0 {
		return nil, parseErr(KindInvalid, 0, "no encoded bytes")
	}
	return b, nil
}
