// Package mapiutil is the Go form of what MAPI ships in mapiutil.h for
// providers and clients: property comparison and search (LPropCompareProp,
// FPropCompareProp, FPropContainsProp, PpropFindProp, FBadPropTag,
// FBadColumnSet, UlPropSize), restriction evaluation as IMAPITable::Restrict
// performs it (Match), an in-memory property object (PropData, CreateIProp)
// and in-memory table data with views (TableData, CreateTable); and
// ReadMessage and WriteMessage, which copy a message whole between any
// two stores or files.
//
// Everything here behaves as native MAPI does where that is observable,
// including its oddities; each function's documentation names the ones it
// keeps.
//
// # Text
//
// Go holds PT_STRING8 and PT_UNICODE values alike, as UTF-8 strings, so
// the rules for text are written once, for both.
//
// Order. Native MAPI orders strings with lstrcmpW and lstrcmpA
// (LPropCompareProp, the RELOP_LT, RELOP_LE, RELOP_GT and RELOP_GE
// restrictions, and a table's sort), that is CompareString in the user's
// locale: a linguistic order, "apple" < "Apple" < "Banana" < "cherry".
// Here a [Collation] gives that order, from golang.org/x/text/collate (the
// Unicode Collation Algorithm with the CLDR rules of a language); the
// default is English, and NewCollation gives another language's
// (TableOptions.Collation for a table, the Collation methods otherwise).
// Two strings the collation finds equal but that are not identical (a
// precomposed "é" and "e" with a combining accent, say) are ordered by
// their UTF-16 code units, so that the order is total and only identical
// strings compare equal, and a sorted view is stable. The order can
// still differ from Windows', whose sorting tables are its own, not
// CLDR's: Windows' default "word sort" weighs the hyphen and the
// apostrophe less than other characters ("co-op" sorts with "coop"),
// punctuation, symbols and digits may order differently against each
// other, CompareString reports strings that differ only in characters it
// ignores as equal where this package orders them, and lstrcmpA compares
// 8-bit strings through the code page while Go's strings are UTF-8.
// [CodeUnitOrder] is the locale-free alternative (CompareStringOrdinal):
// UTF-16 code units, in which characters above U+FFFF (surrogate pairs)
// sort before U+E000..U+FFFF and "Banana" before "apple"; a byte that is
// not part of valid UTF-8 sorts after every character, by its value.
//
// Case. FL_IGNORECASE (and FL_LOOSE) compare with Unicode simple case
// folding, the one-to-one mappings of CaseFolding.txt, as
// strings.EqualFold does: it is locale-free, never changes the number of
// characters (CompareString with NORM_IGNORECASE never turns one
// character into two either, so "ß" does not match "SS"), and makes every
// member of a case orbit equal ("K", "k" and the Kelvin sign). The
// Turkish letters are the exception to know: simple folding maps neither
// "İ" (U+0130, capital I with dot) nor "ı" (U+0131, dotless i) outside a
// Turkic locale, so under FL_IGNORECASE "İ" matches only "İ" and "ı"
// only "ı", while "I" and "i" match each other; Windows' case tables
// follow the user's locale and may match "İ" with "i". Bytes that are not
// valid UTF-8 match only themselves.
//
// Marks. FL_IGNORENONSPACE (and FL_LOOSE) decompose both strings (NFD)
// and drop their non-spacing marks (category Mn), so "é" matches "e".
//
// Content restrictions (FL_FULLSTRING, FL_SUBSTRING, FL_PREFIX) compare
// characters under these case and mark rules; they do not use the
// collation, as native MAPI's FPropContainsProp does not.
package mapiutil
