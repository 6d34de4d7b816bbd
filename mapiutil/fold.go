package mapiutil

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The text rules are stated in the package documentation's "Text"
// section; this file implements code unit order, case folding and the
// removal of non-spacing marks.

// compareText orders a and b as UTF-16 strings: by the sequences of
// their characters' textKeys.
func compareText(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && load64(a[i:]) == load64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	if i < n && a[i] < utf8.RuneSelf && b[i] < utf8.RuneSelf {
		// Two ASCII characters, after the same characters.
		return cmp.Compare(a[i], b[i])
	}
	// Back up to where both strings start a character (or end): a byte
	// that is not a continuation byte starts one, valid or not, in any
	// string.
	for i > 0 && !(startsAt(a, i) && startsAt(b, i)) {
		i--
	}
	for i < len(a) && i < len(b) {
		ka, w := textKey(a[i:])
		kb, _ := textKey(b[i:])
		if ka != kb {
			return cmp.Compare(ka, kb)
		}
		i += w // equal keys are equal characters, of equal widths
	}
	return cmp.Compare(len(a), len(b))
}

// startsAt reports whether a character starts at s[i] or s ends there.
func startsAt(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// textKey returns the key of the character s starts with and its width:
// utf16Key for a character, and for a byte that is not part of valid
// UTF-8 a number above every character's key.
func textKey(s string) (uint32, int) {
	r, w := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && w == 1 {
		return invalidByte + uint32(s[0]), 1
	}
	return utf16Key(r), w
}

// load64 returns the first 8 bytes of s (at least 8 long) as a number,
// for skipping equal bytes 8 at a time.
func load64(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// utf16Key maps r to a number whose order is the order of r's first
// UTF-16 code unit (and then of r itself).
func utf16Key(r rune) uint32 {
	switch {
	case r < 0xD800:
		return uint32(r)
	case r >= 0x10000:
		return 0xD800 + uint32(r-0x10000)
	default: // U+D800..U+FFFF: above every surrogate pair
		return 0x200000 + uint32(r)
	}
}

// foldRune returns the least member of r's simple case folding orbit, so
// two runes are equal ignoring case exactly when their foldRune values
// are equal.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// nextRune decodes the rune at s[i:], with an ASCII fast path. A byte
// that is not part of valid UTF-8 gives a value above every rune, one per
// byte value, which case folding leaves alone: two different invalid
// bytes never match, as they never compare equal in compareText.
func nextRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && w == 1 {
		return invalidByte + rune(s[i]), 1
	}
	return r, w
}

// invalidByte is where nextRune puts the bytes that are not valid UTF-8.
const invalidByte = 0x400000

// hasPrefixFold reports whether s starts with prefix ignoring case.
func hasPrefixFold(s, prefix string) bool {
	i, j := 0, 0
	for j < len(prefix) {
		if i >= len(s) {
			return false
		}
		a, wa := nextRune(s, i)
		b, wb := nextRune(prefix, j)
		if a != b && foldRune(a) != foldRune(b) {
			return false
		}
		i += wa
		j += wb
	}
	return true
}

// equalFold reports whether a and b are equal ignoring case.
func equalFold(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ra, wa := nextRune(a, i)
		rb, wb := nextRune(b, j)
		if ra != rb && foldRune(ra) != foldRune(rb) {
			return false
		}
		i += wa
		j += wb
	}
	return i == len(a) && j == len(b)
}

// containsFold reports whether sub occurs in s ignoring case. It does not
// allocate.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	first, _ := nextRune(sub, 0)
	first = foldRune(first)
	for i := 0; i < len(s); {
		r, w := nextRune(s, i)
		if (r == first || foldRune(r) == first) && hasPrefixFold(s[i:], sub) {
			return true
		}
		i += w
	}
	return false
}

// stripNonSpacing returns s decomposed with its non-spacing marks removed.
func stripNonSpacing(s string) string {
	d := norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
}

// containsText applies a content restriction's fuzzy level to two strings:
// needle in haystack.
func containsText(haystack, needle string, match uint32, ignoreCase, ignoreNonSpace bool) bool {
	if ignoreNonSpace {
		haystack, needle = stripNonSpacing(haystack), stripNonSpacing(needle)
	}
	switch match {
	case 2: // FL_PREFIX
		if ignoreCase {
			return hasPrefixFold(haystack, needle)
		}
		return strings.HasPrefix(haystack, needle)
	case 1: // FL_SUBSTRING
		if ignoreCase {
			return containsFold(haystack, needle)
		}
		return strings.Contains(haystack, needle)
	default: // FL_FULLSTRING
		if ignoreCase {
			return equalFold(haystack, needle)
		}
		return haystack == needle
	}
}
