package main

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// escape returns s with everything that is not printable text written as
// a Go escape, so that text read from an untrusted log cannot move a
// terminal's cursor, start an escape sequence or reorder a line:
// control characters ("\x1b", "\n", "\u009b"), format characters such as
// the bidirectional overrides ("\u202e"), line and paragraph separators,
// and bytes that are not UTF-8 ("\xff"). Everything else, backslashes and
// quotes included, is kept as it is, so a Windows path reads
// C:\Users\ann\Outlook.pst rather than C:\\Users\\ann\\Outlook.pst.
func escape(s string) string {
	i := strings.IndexFunc(s, needsEscape)
	if i < 0 {
		return s // the common case: nothing to do
	}
	b := make([]byte, 0, len(s)+8)
	b = append(b, s[:i]...)
	for t := s[i:]; t != ""; {
		r, n := utf8.DecodeRuneInString(t)
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\x`...)
			b = append(b, hexDigits[t[0]>>4], hexDigits[t[0]&15])
		} else {
			b = appendEscaped(b, r)
		}
		t = t[n:]
	}
	return string(b)
}

const hexDigits = "0123456789abcdef"

// needsEscape reports whether escape may rewrite r. Space is the only
// non-graphic rune kept; IndexFunc reports a byte that is not UTF-8 as
// U+FFFD, so that rune is looked at again.
func needsEscape(r rune) bool {
	return r != ' ' && (r == utf8.RuneError || !unicode.IsGraphic(r))
}

// appendEscaped appends r, escaped as Go does if it is not graphic.
func appendEscaped(b []byte, r rune) []byte {
	if r == ' ' || unicode.IsGraphic(r) {
		return utf8.AppendRune(b, r)
	}
	q := strconv.QuoteRuneToASCII(r) // "'\x1b'", "'\u202e'"
	return append(b, q[1:len(q)-1]...)
}

// maxQuoted is how many characters of an input an error message shows.
const maxQuoted = 60

// quoteInput returns an input for an error message: without surrounding
// space, escaped, in double quotes, and cut after maxQuoted characters
// with the full length given, so that a 64 MB line gives a one-line
// message.
func quoteInput(s string) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n <= maxQuoted {
		return `"` + escape(s) + `"`
	}
	cut := 0
	for i := 0; i < maxQuoted; i++ {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return `"` + escape(s[:cut]) + `"... (` + strconv.Itoa(n) + " characters)"
}

// escapeLines is escape for text made of lines: it keeps newlines (and
// tabs) and escapes the rest. It is for messages this program composes,
// such as the flag package's, that may hold a user's text.
func escapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\t")
		for j, p := range parts {
			parts[j] = escape(p)
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return strings.Join(lines, "\n")
}

// escapingWriter escapes what is written through it with escapeLines. Each
// Write must hold whole characters, as fmt's one-call writes do.
type escapingWriter struct{ w io.Writer }

func (e escapingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(e.w, escapeLines(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// quote returns escape(s) in double quotes.
func quote(s string) string { return `"` + escape(s) + `"` }
