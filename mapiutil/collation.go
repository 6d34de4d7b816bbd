package mapiutil

import (
	"bytes"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Collation is the order of strings that LPropCompareProp, restrictions
// and table sorts use: native MAPI compares strings with lstrcmpW and
// lstrcmpA, the linguistic order of the user's locale, so that "apple" <
// "Apple" < "Banana" < "cherry". See the package documentation's "Text"
// section for how it can differ from Windows. A Collation is safe for
// concurrent use; a nil *Collation is the default, English.
type Collation struct {
	codeUnits bool
	lang      language.Tag
	pool      sync.Pool // of *collator
}

// collator is a collate.Collator with its buffer; neither is safe for
// concurrent use, so each goroutine takes one from the pool.
type collator struct {
	c   *collate.Collator
	buf collate.Buffer
}

// NewCollation returns the linguistic order of lang, as
// golang.org/x/text/collate gives it (the Unicode Collation Algorithm
// with the CLDR tailoring of lang), the Go counterpart of CompareString
// with the locale's sort (lstrcmpW). Strings that it finds equal but are
// not identical are ordered by their UTF-16 code units, so that the
// order is total and only equal strings compare equal.
func NewCollation(lang language.Tag) *Collation {
	c := &Collation{lang: lang}
	c.pool.New = func() any { return &collator{c: collate.New(lang)} }
	return c
}

// CodeUnitOrder returns the order of UTF-16 code units, the Go
// counterpart of CompareStringOrdinal: locale-free, and the same on
// every platform, but "Banana" sorts before "apple".
func CodeUnitOrder() *Collation { return codeUnitOrder }

var (
	codeUnitOrder    = &Collation{codeUnits: true}
	defaultCollation = NewCollation(language.English)
)

// or returns c, or the default for nil.
func (c *Collation) or() *Collation {
	if c == nil {
		return defaultCollation
	}
	return c
}

// Language returns the language whose order c is, or language.Und for
// CodeUnitOrder.
func (c *Collation) Language() language.Tag { return c.or().lang }

// compareText orders two strings: by their collation keys, then by
// UTF-16 code units.
func (c *Collation) compareText(a, b string) int {
	if a == b {
		return 0
	}
	if !c.codeUnits {
		w := c.pool.Get().(*collator)
		r := bytes.Compare(w.c.KeyFromString(&w.buf, a), w.c.KeyFromString(&w.buf, b))
		w.buf.Reset()
		c.pool.Put(w)
		if r != 0 {
			return r
		}
	}
	return sign(compareText(a, b))
}

// appendKey appends the collation key of s to dst: keys compare with
// bytes.Compare as compareText compares their strings, up to the code
// unit tie-break. In code unit order it appends nothing.
func (c *Collation) appendKey(dst []byte, s string) []byte {
	if c.codeUnits {
		return dst
	}
	w := c.pool.Get().(*collator)
	dst = append(dst, w.c.KeyFromString(&w.buf, s)...)
	w.buf.Reset()
	c.pool.Put(w)
	return dst
}

// CompareProps is LPropCompareProp in c's order of strings (see the
// function CompareProps, which uses the default, English).
func (c *Collation) CompareProps(a, b mapispi.PropValue) int { return compareProps(a, b, c.or()) }

// CompareRelop is FPropCompareProp in c's order of strings (see the
// function CompareRelop).
func (c *Collation) CompareRelop(a mapispi.PropValue, op mapispi.Relop, b mapispi.PropValue) bool {
	return compareRelop(a, op, b, c.or())
}

// Match is Match (the restriction evaluation of IMAPITable::Restrict) in
// c's order of strings, for RELOP_LT, RELOP_LE, RELOP_GT and RELOP_GE on
// strings.
func (c *Collation) Match(r mapispi.Restriction, row []mapispi.PropValue) (bool, error) {
	return match(r, row, c.or())
}
