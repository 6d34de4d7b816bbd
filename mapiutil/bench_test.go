package mapiutil_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var benchWords = []string{"Re:", "meeting", "Budget", "report", "lunch", "Q3", "invoice", "Project", "status", "update", "Team", "FW:", "holiday", "plan"}

// subjects returns n pseudo-random subjects of a few words.
func subjects(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := range 3 + r.IntN(4) {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchWords[r.IntN(len(benchWords))])
		}
		fmt.Fprintf(&b, " #%d", r.IntN(1000000))
		out[i] = b.String()
	}
	return out
}

// sortedView returns table data with n rows and a view sorted by subject
// and restricted to sizes below 900 (about 90% of rows).
func sortedView(b *testing.B, n int) (*mapiutil.TableData, *mapiutil.View) {
	b.Helper()
	td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagSubject, tagSize})
	if err != nil {
		b.Fatal(err)
	}
	subj := subjects(n)
	rows := make([]mapispi.Row, n)
	for i := range rows {
		rows[i] = msg(int32(i), subj[i], int32(i*7919%1000))
	}
	if err := td.ModifyRows(rows); err != nil {
		b.Fatal(err)
	}
	v, err := td.View(nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortAscend}}}); err != nil {
		b.Fatal(err)
	}
	if err := v.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(900))); err != nil {
		b.Fatal(err)
	}
	// The setup leaves garbage behind; collect it now so that the
	// timed loop does not pay for it.
	runtime.GC()
	b.ResetTimer()
	return td, v
}

// BenchmarkViewQueryRows reads a 50-row page at a pseudo-random place of
// a sorted, restricted view: the cost should not grow with the table.
func BenchmarkViewQueryRows(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, v := sortedView(b, n)
			r := rand.New(rand.NewPCG(3, 4))
			b.ReportAllocs()
			for b.Loop() {
				if err := v.SeekRowApprox(ctx, r.IntN(1000), 1000); err != nil {
					b.Fatal(err)
				}
				rows, err := v.QueryRows(ctx, 50)
				if err != nil || len(rows) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkViewInsert adds one row with ModifyRow while one sorted,
// restricted view is open, and deletes the oldest row so that the table
// stays at n rows: the cost should grow as log n. The view has no sink
// and is never read, so it never applies the changes (see
// BenchmarkViewInsertRead).
func BenchmarkViewInsert(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			td, _ := sortedView(b, n)
			subj := subjects(1 << 16)
			next, oldest := int32(n), int32(0)
			b.ReportAllocs()
			for b.Loop() {
				if err := td.ModifyRow(msg(next, subj[next&0xFFFF], next%1000)); err != nil {
					b.Fatal(err)
				}
				if err := td.DeleteRow(keyOf(oldest)); err != nil {
					b.Fatal(err)
				}
				next++
				oldest++
			}
		})
	}
}

// BenchmarkViewInsertRead is BenchmarkViewInsert with the view read
// (GetRowCount) after each change, so that the view is kept up to date
// however the table data brings its views up to date: the cost of a
// change to one view someone reads, which should grow as log n.
func BenchmarkViewInsertRead(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			td, v := sortedView(b, n)
			subj := subjects(1 << 16)
			next, oldest := int32(n), int32(0)
			b.ReportAllocs()
			for b.Loop() {
				if err := td.ModifyRow(msg(next, subj[next&0xFFFF], next%1000)); err != nil {
					b.Fatal(err)
				}
				if err := td.DeleteRow(keyOf(oldest)); err != nil {
					b.Fatal(err)
				}
				if _, err := v.RowCount(ctx); err != nil {
					b.Fatal(err)
				}
				next++
				oldest++
			}
		})
	}
}

// BenchmarkSortTable100k sorts a 100,000-row view by a string column; its
// baseline is BenchmarkSlicesSortFunc100k.
func BenchmarkSortTable100k(b *testing.B) {
	const n = 100000
	td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagSubject})
	if err != nil {
		b.Fatal(err)
	}
	subj := subjects(n)
	rows := make([]mapispi.Row, n)
	for i := range rows {
		rows[i] = mapispi.Row{{Tag: tagKey, Value: int32(i)}, {Tag: tagSubject, Value: subj[i]}}
	}
	td.ModifyRows(rows)
	v, _ := td.View(nil)
	orders := []mapispi.SortOrderSet{
		{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortAscend}}},
		{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortDescend}}},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := v.SortTable(ctx, orders[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSlicesSortFunc100k sorts the same 100,000 strings with
// slices.SortFunc and strings.Compare, from the same unsorted order each
// time: the baseline of BenchmarkSortTable100k.
func BenchmarkSlicesSortFunc100k(b *testing.B) {
	subj := subjects(100000)
	s := make([]string, len(subj))
	b.ReportAllocs()
	for b.Loop() {
		copy(s, subj)
		slices.SortFunc(s, strings.Compare)
	}
}

// BenchmarkCollateSort100k sorts the same 100,000 strings linguistically
// as a Go program would with golang.org/x/text/collate: a key for each,
// then slices.SortFunc on the keys. It is the baseline of SortTable100k's
// string collation, which SlicesSortFunc100k does not pay.
func BenchmarkCollateSort100k(b *testing.B) {
	subj := subjects(100000)
	c := collate.New(language.English)
	type item struct {
		key []byte
		s   string
	}
	items := make([]item, len(subj))
	b.ReportAllocs()
	for b.Loop() {
		var buf collate.Buffer
		for i, s := range subj {
			items[i] = item{c.KeyFromString(&buf, s), s}
		}
		slices.SortFunc(items, func(x, y item) int { return bytes.Compare(x.key, y.key) })
	}
}

// BenchmarkMatchContent evaluates an FL_SUBSTRING|FL_IGNORECASE content
// restriction over 100,000 subjects; its baseline is
// BenchmarkContainsFold.
func BenchmarkMatchContent(b *testing.B) {
	subj := subjects(100000)
	rows := make([][]mapispi.PropValue, len(subj))
	for i, s := range subj {
		rows[i] = []mapispi.PropValue{{Tag: tagKey, Value: int32(i)}, {Tag: tagSubject, Value: s}}
	}
	r := mapispi.Restriction(content(mapispi.FuzzySubstring|mapispi.FuzzyIgnoreCase, tagSubject, "BUDGET report"))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, row := range rows {
			if ok, _ := mapiutil.Match(r, row); ok {
				n++
			}
		}
		if n == 0 {
			b.Fatal("no match")
		}
	}
}

// BenchmarkContainsFold is the same search written directly: for each
// subject, try each position, comparing rune by rune under simple case
// folding.
func BenchmarkContainsFold(b *testing.B) {
	subj := subjects(100000)
	needle := "BUDGET report"
	fold := func(r rune) rune {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				return r - 32
			}
			return r
		}
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}
	contains := func(s, sub string) bool {
		for i := range s {
			j, k := i, 0
			for k < len(sub) && j < len(s) {
				a, wa := utf8.DecodeRuneInString(s[j:])
				c, wc := utf8.DecodeRuneInString(sub[k:])
				if a != c && fold(a) != fold(c) {
					break
				}
				j += wa
				k += wc
			}
			if k == len(sub) {
				return true
			}
		}
		return false
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, s := range subj {
			if contains(s, needle) {
				n++
			}
		}
		if n == 0 {
			b.Fatal("no match")
		}
	}
}

// BenchmarkModifyRowViews changes one row of a 100-row table while n
// sorted views are open: at most O(log rows) per view, so /2000 should
// cost at most about 10 times /200. The views have no sinks and are not
// read, so the change costs them nothing until they are.
func BenchmarkModifyRowViews(b *testing.B) {
	for _, n := range []int{200, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagSubject, tagSize})
			if err != nil {
				b.Fatal(err)
			}
			subj := subjects(100)
			for i := range 100 {
				if err := td.ModifyRow(msg(int32(i), subj[i], int32(i))); err != nil {
					b.Fatal(err)
				}
			}
			for range n {
				v, err := td.View(nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := td.ModifyRow(msg(int32(i%100), subj[i%100], int32(i*7%1000))); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
