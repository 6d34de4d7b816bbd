package entryid

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Match is an entry ID that [FindAll] found in a text: text[Start:End] is
// its text, which [ParseHex] reads as ID.
type Match struct {
	Start, End int // byte offsets into the text
	ID         mapispi.EntryID
}

// minFound is the fewest bytes FindAll takes plain hex or Search text
// for: abFlags and a provider UID, the shortest entry ID.
const minFound = headerLen

// FindAll returns the entry IDs written in text (a log line, a trace, a
// report), in order and without overlaps, in every text form [ParseHex]
// reads:
//
//   - MFCMAPI's "cb: N lpb: HEX" and the "[len=N, data=HEX]" of Exchange
//     logs, whatever their byte count (those saying there is no ID, "cb:
//     0 lpb: NULL", are left out);
//   - hex of 20 bytes or more, the shortest entry ID, optionally after
//     "0x", either as one run of digits or as groups of an even number of
//     digits separated by one space, tab or dash, the groups as long as
//     the first except the last, which may be shorter (so a hex word
//     right after byte-separated hex, "... 1D 7A be careful", reads as
//     one more byte, as it would for ParseHex); a date such as 2024-05-01
//     is too short to be taken;
//   - the Windows Search form of [EncodeSearch], 20 characters or more.
//
// A match must stand apart from the text around it: the characters just
// before and after it are not letters, digits or '_' (a hex run inside a
// word is not an entry ID). Whether a match is a well-formed entry ID is
// for [Parse] to say.
func FindAll(text string) []Match {
	var out []Match
	for i := 0; i < len(text); {
		if m, next, ok := findAt(text, i); ok {
			out = append(out, m)
			i = m.End
			continue
		} else if next > i {
			i = next
			continue
		}
		i++
	}
	return out
}

// findAt looks for an entry ID starting at byte i. When there is none,
// next (if greater than i) is where the search may resume: the end of a
// run that cannot hold a match at any of its bytes.
func findAt(text string, i int) (m Match, next int, ok bool) {
	c := text[i]
	if c == 0xEA && i+1 < len(text) && text[i+1] >= 0xB0 && text[i+1] <= 0xB3 {
		return findSearch(text, i)
	}
	if !startsWord(text, i) {
		return Match{}, 0, false
	}
	switch {
	case c == 'c' || c == 'C':
		if hasPrefixFold(text[i:], "cb:") {
			return findCounted(text, i, countedCBEnd)
		}
	case c == '[':
		if hasPrefixFold(text[i:], "[len=") {
			return findCounted(text, i, countedLogEnd)
		}
		return Match{}, 0, false
	}
	if unhex(c) < 16 {
		return findHex(text, i)
	}
	return Match{}, 0, false
}

// startsWord reports whether no letter, digit or '_' ends text[:i].
func startsWord(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// endsWord reports whether no letter, digit or '_' starts text[i:].
func endsWord(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !isWordRune(r)
}

func isWordRune(r rune) bool {
	return r == '_' || r < utf8.RuneSelf && (unhex(byte(r)) < 16 || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// match returns the match text[start:end] if ParseHex reads a non-empty
// entry ID there.
func match(text string, start, end int) (Match, bool) {
	id, err := ParseHex(text[start:end])
	if err != nil || len(id) == 0 {
		return Match{}, false
	}
	return Match{Start: start, End: end, ID: id}, true
}

// findHex reads plain hex at i, which starts a word. No match can start
// inside the first run of digits, so next is its end.
func findHex(text string, i int) (Match, int, bool) {
	p := i
	if text[p] == '0' && p+2 < len(text) && (text[p+1] == 'x' || text[p+1] == 'X') && unhex(text[p+2]) < 16 {
		p += 2
	}
	var ends []int // ends[k] is the end of the first k+1 groups
	first := -1
	for q := p; ; {
		r := q
		for r < len(text) && unhex(text[r]) < 16 {
			r++
		}
		g := r - q
		if g%2 != 0 { // a separator would split a byte
			if len(ends) == 0 {
				return Match{}, r, false
			}
			break
		}
		if first < 0 {
			first = g
		} else if g > first {
			break
		}
		ends = append(ends, r)
		if g < first || first >= 2*minFound {
			break // the last, shorter group, or one run of digits
		}
		if r+1 >= len(text) || text[r] != ' ' && text[r] != '\t' && text[r] != '-' || unhex(text[r+1]) >= 16 {
			break
		}
		q = r + 1
	}
	// The match ends a word: drop groups from the end until it does.
	for k := len(ends) - 1; k >= 0; k-- {
		end := ends[k]
		if !endsWord(text, end) {
			continue
		}
		digits := 0
		for j := p; j < end; j++ {
			if unhex(text[j]) < 16 {
				digits++
			}
		}
		if digits/2 < minFound {
			break
		}
		if m, ok := match(text, i, end); ok {
			return m, 0, true
		}
	}
	return Match{}, ends[0], false
}

// The ends of the counted forms: the last byte of the digits for "cb:",
// the closing bracket for "[len=".
const (
	countedCBEnd = iota
	countedLogEnd
)

// findCounted reads "cb: N lpb: HEX" or "[len=N, data=HEX]" at i.
func findCounted(text string, i, form int) (Match, int, bool) {
	if form == countedLogEnd {
		j := strings.IndexByte(text[i:], ']')
		if j < 0 {
			return Match{}, 0, false
		}
		m, ok := match(text, i, i+j+1)
		return m, 0, ok
	}
	// cb: N lpb: then 2N hex digits, with separators allowed between bytes.
	p := i + len("cb:")
	for p < len(text) && text[p] == ' ' {
		p++
	}
	n, q := 0, p
	for q < len(text) && text[q] >= '0' && text[q] <= '9' && n < 1<<24 {
		n = n*10 + int(text[q]-'0')
		q++
	}
	if q == p || n == 0 {
		return Match{}, 0, false
	}
	for q < len(text) && text[q] == ' ' {
		q++
	}
	if !hasPrefixFold(text[q:], "lpb:") {
		return Match{}, 0, false
	}
	q += len("lpb:")
	for q < len(text) && text[q] == ' ' {
		q++
	}
	if q+1 < len(text) && text[q] == '0' && (text[q+1] == 'x' || text[q+1] == 'X') {
		q += 2
	}
	digits := 0
	for ; q < len(text) && digits < 2*n; q++ {
		switch c := text[q]; {
		case unhex(c) < 16:
			digits++
		case (c == ' ' || c == '\t' || c == '-') && digits%2 == 0 && q+1 < len(text) && unhex(text[q+1]) < 16:
		default:
			return Match{}, 0, false
		}
	}
	if digits != 2*n || !endsWord(text, q) {
		return Match{}, 0, false
	}
	m, ok := match(text, i, q)
	return m, 0, ok
}

// findSearch reads a run of Windows Search characters at i.
func findSearch(text string, i int) (Match, int, bool) {
	end, n := i, 0
	for end+2 < len(text) && text[end] == 0xEA && text[end+1] >= 0xB0 && text[end+1] <= 0xB3 {
		end += 3
		n++
	}
	if n < minFound || !startsWord(text, i) || !endsWord(text, end) {
		return Match{}, end, false
	}
	m, ok := match(text, i, end)
	return m, end, ok
}
