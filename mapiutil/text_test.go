package mapiutil

import (
	"bytes"
	"slices"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// FuzzCompareText checks that compareText orders valid UTF-8 as UTF-16
// code units and is a total order on any bytes.
func FuzzCompareText(f *testing.F) {
	f.Add("a\ue000", "a\xb0", "a\U00010000")
	f.Add("a\xc3\xa9", "a\xc3A", "a\xc3")
	f.Add("Re: meeting #1", "Re: meeting #10", "re: meeting")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, ba := compareText(a, b), compareText(b, a)
		if ab != -ba || (ab == 0) != (a == b) {
			t.Fatalf("compareText(%q, %q) = %d, reversed %d", a, b, ab, ba)
		}
		if utf8.ValidString(a) && utf8.ValidString(b) {
			if want := slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))); ab != want {
				t.Fatalf("compareText(%q, %q) = %d, want %d (UTF-16 order)", a, b, ab, want)
			}
		}
		bc, ac := compareText(b, c), compareText(a, c)
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Fatalf("compareText: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}

// FuzzCollation checks that a collation is a total order on any bytes in
// which only equal strings are equal, and that a view's collation keys
// (compared as bytes, then by code units) give the same order.
func FuzzCollation(f *testing.F) {
	f.Add("apple", "Apple", "Banana")
	f.Add("co-op", "coop", "a\xffb")
	f.Add("e\u0301", "\u00e9", "İ")
	colls := []*Collation{NewCollation(language.English), NewCollation(language.Turkish), CodeUnitOrder()}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		for _, coll := range colls {
			ab, ba := coll.compareText(a, b), coll.compareText(b, a)
			if ab != -ba || (ab == 0) != (a == b) || ab < -1 || ab > 1 {
				t.Fatalf("%v: compareText(%q, %q) = %d, reversed %d", coll.Language(), a, b, ab, ba)
			}
			ka, kb := coll.appendKey(nil, a), coll.appendKey(nil, b)
			byKey := bytes.Compare(ka, kb)
			if byKey == 0 {
				byKey = compareText(a, b)
			}
			if byKey != ab {
				t.Fatalf("%v: keys of %q and %q compare %d, compareText %d", coll.Language(), a, b, byKey, ab)
			}
			bc, ac := coll.compareText(b, c), coll.compareText(a, c)
			if ab <= 0 && bc <= 0 && ac > 0 {
				t.Fatalf("%v: %q <= %q <= %q but %q > %q", coll.Language(), a, b, c, a, c)
			}
		}
	})
}
