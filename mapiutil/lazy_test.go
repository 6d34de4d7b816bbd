package mapiutil_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// The tests here drive views in pairs made and used alike: one has a sink,
// so that it follows each change as the change is made; the other has
// none, so that it may catch up only when it is next called. Every call
// must answer the same on both.

var (
	mviKeyword  = tagKeyword.WithType(tagKeyword.Type() | mapispi.MVInstance)
	lazyColumns = []mapispi.PropTag{mapispi.PropInstanceKey, tagKey, tagSubject, tagSize}
)

// code is the status code of err: 0 for nil, and ErrCallFailed for an
// error that carries none.
func code(err error) mapispi.SCode {
	if err == nil {
		return 0
	}
	var e *mapispi.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return mapispi.ErrCallFailed
}

// pair is two views of one table data: eager, with a recorder sink, and
// lazy, without one except while the test advises it.
type pair struct {
	t           *testing.T
	td          *mapiutil.TableData
	eager, lazy *mapiutil.View
	views       [2]*mapiutil.View // eager, lazy
	eagerRec    *recorder
	marks       [][2]mapispi.Bookmark // each bookmark made on both views: eager's, lazy's
	lazyRec     *recorder             // the lazy view's sink, while it has one
	lazyConn    mapispi.Connection
	inst        bool
}

func newPair(t *testing.T, td *mapiutil.TableData, columns []mapispi.PropTag) *pair {
	t.Helper()
	p := &pair{t: t, td: td, eagerRec: &recorder{}, inst: true}
	for i := range p.views {
		v, err := td.View(columns)
		if err != nil {
			t.Fatalf("View(%v) = %v", columns, err)
		}
		p.views[i] = v
	}
	p.eager, p.lazy = p.views[0], p.views[1]
	if _, err := p.eager.Advise(ctx, p.eagerRec); err != nil {
		t.Fatalf("Advise = %v", err)
	}
	t.Cleanup(func() {
		for _, v := range p.views {
			v.Close(ctx)
		}
	})
	return p
}

// strip drops the PR_INSTANCE_KEY column of rows unless p compares
// instance keys.
func (p *pair) strip(rows []mapispi.Row) []mapispi.Row {
	if p.inst {
		return rows
	}
	out := make([]mapispi.Row, len(rows))
	for i, r := range rows {
		out[i] = slices.DeleteFunc(slices.Clone(r), func(v mapispi.PropValue) bool { return v.Tag == mapispi.PropInstanceKey })
	}
	return out
}

// mark returns bookmark i of side (0 eager, 1 lazy), or one of the
// predefined bookmarks for i < 3.
func (p *pair) mark(side, i int) mapispi.Bookmark {
	if i < 3 {
		return []mapispi.Bookmark{mapispi.BookmarkBeginning, mapispi.BookmarkCurrent, mapispi.BookmarkEnd}[i]
	}
	return p.marks[i-3][side]
}

// same runs f on both views and fails the test when their answers
// differ; f's answer is compared with reflect.DeepEqual and its error by
// status code.
func (p *pair) same(what string, f func(side int, v *mapiutil.View) (any, error)) {
	p.t.Helper()
	a, errA := f(0, p.eager)
	b, errB := f(1, p.lazy)
	if code(errA) != code(errB) || !reflect.DeepEqual(a, b) {
		p.t.Fatalf("%s = %v, %v on the lazy view, want %v, %v as on the eager one", what, b, errB, a, errA)
	}
}

// state returns a view's cursor position and all its rows, leaving its
// cursor where it was.
func (p *pair) state(v *mapiutil.View) (mapispi.Position, []mapispi.Row, error) {
	b, err := v.CreateBookmark(ctx)
	if err != nil {
		return mapispi.Position{}, nil, err
	}
	defer v.FreeBookmark(ctx, b)
	pos, err := v.QueryPosition(ctx)
	if err != nil {
		return pos, nil, err
	}
	if _, err := v.SeekRow(ctx, mapispi.BookmarkBeginning, 0); err != nil {
		return pos, nil, err
	}
	rows, err := v.QueryRows(ctx, math.MaxInt)
	if err != nil {
		return pos, nil, err
	}
	if _, err := v.SeekRow(ctx, b, 0); err != nil {
		return pos, nil, err
	}
	return pos, p.strip(rows), nil
}

// check compares both views whole: cursor, rows, row count, and where
// each bookmark is (which clears their PositionChanged on both alike).
func (p *pair) check(what string) {
	p.t.Helper()
	p.same(what+": QueryPosition, all rows", func(_ int, v *mapiutil.View) (any, error) {
		pos, rows, err := p.state(v)
		return fmt.Sprint(pos, rows), err
	})
	p.same(what+": GetRowCount", func(_ int, v *mapiutil.View) (any, error) { return v.RowCount(ctx) })
	for i := range p.marks {
		p.same(fmt.Sprintf("%s: bookmark %d", what, i), func(side int, v *mapiutil.View) (any, error) {
			b, err := v.CreateBookmark(ctx)
			if err != nil {
				return nil, err
			}
			defer v.FreeBookmark(ctx, b)
			res, err := v.SeekRow(ctx, p.mark(side, i+3), 0)
			if err != nil {
				return nil, err
			}
			pos, err := v.QueryPosition(ctx)
			if err != nil {
				return nil, err
			}
			rows, err := v.QueryRows(ctx, 1)
			if _, err := v.SeekRow(ctx, b, 0); err != nil {
				return nil, err
			}
			return fmt.Sprint(res, pos, p.strip(rows)), err
		})
	}
}

// createBookmark makes a bookmark on both views' cursors.
func (p *pair) createBookmark() {
	p.t.Helper()
	var m [2]mapispi.Bookmark
	var errs [2]error
	for i, v := range p.views {
		m[i], errs[i] = v.CreateBookmark(ctx)
	}
	if code(errs[0]) != code(errs[1]) {
		p.t.Fatalf("CreateBookmark = %v on the lazy view, want %v as on the eager one", errs[1], errs[0])
	}
	if errs[0] == nil {
		p.marks = append(p.marks, m)
	}
}

// voidMarks forgets the bookmarks, after a call that discards them.
func (p *pair) voidMarks() { p.marks = nil }

// advise gives the lazy view a sink, whose notifications must then be
// those the eager view's sink gets.
func (p *pair) advise() {
	p.t.Helper()
	if p.lazyRec != nil {
		return
	}
	p.eagerRec.take(p.t, p.td)
	p.lazyRec = &recorder{}
	c, err := p.lazy.Advise(ctx, p.lazyRec)
	if err != nil {
		p.t.Fatalf("Advise = %v", err)
	}
	p.lazyConn = c
}

// unadvise takes the lazy view's sink away, and compares what it got.
func (p *pair) unadvise() {
	p.t.Helper()
	if p.lazyRec == nil {
		return
	}
	got, want := p.lazyRec.take(p.t, p.td), p.eagerRec.take(p.t, p.td)
	if !reflect.DeepEqual(p.stripNotes(got), p.stripNotes(want)) {
		p.t.Fatalf("notifications of the lazy view while advised = %v, want %v", got, want)
	}
	if err := p.lazy.Unadvise(ctx, p.lazyConn); err != nil {
		p.t.Fatalf("Unadvise = %v", err)
	}
	p.lazyRec = nil
}

func (p *pair) stripNotes(notes []mapispi.TableNotification) []mapispi.TableNotification {
	if p.inst {
		return notes
	}
	out := slices.Clone(notes)
	for i := range out {
		out[i].Index, out[i].Prior = mapispi.PropValue{}, mapispi.PropValue{}
		out[i].Row = p.strip([]mapispi.Row{out[i].Row})[0]
	}
	return out
}

// lazyRow is a pseudo-random row for key k: subjects that collate alike
// and apart, a size or none, keywords (an MVI column's values) or none,
// and sometimes the row's own PR_INSTANCE_KEY.
func lazyRow(r *rand.Rand, k int32) mapispi.Row {
	subjects := []string{"apple", "Apple", "banana", "cherry", "", "échec", "echec"}
	row := mapispi.Row{{Tag: tagKey, Value: k}, {Tag: tagSubject, Value: subjects[r.IntN(len(subjects))]}}
	if r.IntN(8) != 0 {
		row = append(row, mapispi.PropValue{Tag: tagSize, Value: int32(r.IntN(100))})
	}
	if n := r.IntN(5); n > 0 {
		words := []string{"red", "blue", "green", "red"}
		row = append(row, mapispi.PropValue{Tag: tagKeyword, Value: words[:n-1]})
	}
	if r.IntN(6) == 0 {
		row = append(row, mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: []byte(fmt.Sprint("own", k))})
	}
	return row
}

// lazyRestriction is a pseudo-random restriction, or nil.
func lazyRestriction(r *rand.Rand) mapispi.Restriction {
	switch r.IntN(7) {
	case 0:
		return nil
	case 1:
		return prop(mapispi.Relop(r.IntN(6)), tagSize, int32(r.IntN(100)))
	case 2:
		return content(mapispi.FuzzyPrefix|mapispi.FuzzyIgnoreCase, tagSubject, "a")
	case 3:
		return mapispi.ExistRestriction{Tag: tagSize}
	case 4:
		return mapispi.NotRestriction{Res: prop(mapispi.RelopEQ, tagSubject, "banana")}
	case 5:
		return mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzyFullString, Tag: tagKeyword, Prop: mapispi.PropValue{Tag: tagKeyword.WithType(mapispi.PtUnicode), Value: "red"}}
	}
	return mapispi.OrRestriction{Res: []mapispi.Restriction{
		prop(mapispi.RelopLT, tagSize, int32(30)),
		prop(mapispi.RelopGE, tagKey, int32(20)),
	}}
}

// lazySort is a pseudo-random sort order, perhaps on the MVI column.
func lazySort(r *rand.Rand) mapispi.SortOrderSet {
	tags := []mapispi.PropTag{tagSize, tagSubject, tagKey, mviKeyword}
	var s mapispi.SortOrderSet
	for range r.IntN(3) {
		s.Sorts = append(s.Sorts, mapispi.SortOrder{Tag: tags[r.IntN(len(tags))], Order: mapispi.SortDirection(r.IntN(2))})
	}
	return s
}

// change makes one pseudo-random change to td, of keys below 40: a row
// added or changed, a few at once, a row deleted (perhaps one that is not
// there), or, when all is true, rarely all of them.
func change(r *rand.Rand, td *mapiutil.TableData, all bool) error {
	switch x := r.IntN(100); {
	case x < 55:
		if err := td.ModifyRow(lazyRow(r, int32(r.IntN(40)))); err != nil {
			return fmt.Errorf("ModifyRow = %w", err)
		}
	case x < 65:
		rows := make([]mapispi.Row, 1+r.IntN(4))
		for i := range rows {
			rows[i] = lazyRow(r, int32(r.IntN(40)))
		}
		if err := td.ModifyRows(rows); err != nil {
			return fmt.Errorf("ModifyRows = %w", err)
		}
	case x < 90:
		if err := td.DeleteRow(keyOf(int32(r.IntN(40)))); err != nil && !errors.Is(err, mapispi.ErrNotFound) {
			return fmt.Errorf("DeleteRow = %w", err)
		}
	case x < 99 || !all:
		if _, err := td.DeleteRows([]mapispi.PropValue{keyOf(int32(r.IntN(40))), keyOf(int32(r.IntN(40)))}); err != nil {
			return fmt.Errorf("DeleteRows = %w", err)
		}
	default:
		td.DeleteAllRows()
	}
	return nil
}

// changes makes n changes (see change), failing t on an error.
func changes(t *testing.T, r *rand.Rand, td *mapiutil.TableData, n int, all bool) {
	t.Helper()
	for range n {
		if err := change(r, td, all); err != nil {
			t.Fatal(err)
		}
	}
}

// lazyModel drives a pair of views through steps pseudo-random calls
// from seed: changes, alone or in runs of up to gap changes, between
// reads, seeks, bookmarks, FindRow, Restrict, SortTable, SetColumns and
// Advise and Unadvise of the lazy view, comparing both views' answers
// after each call and whole every few. Unless p compares instance keys,
// the lazy view may rebuild: its rows must then be the eager view's, and
// both views are restricted again (which puts their cursors at the
// beginning and discards their bookmarks), since a rebuild may leave
// cursor and bookmarks elsewhere (see View). It returns how many calls
// found the lazy view behind and how many found it due to rebuild.
func lazyModel(t *testing.T, seed uint64, steps, gap int, p *pair) (behind, rebuilds int) {
	r := rand.New(rand.NewPCG(seed, 99))
	td := p.td
	var res mapispi.Restriction // both views' restriction
	for step := range steps {
		what := fmt.Sprintf("seed %d step %d", seed, step)
		if p.lazyRec != nil {
			// Let the sinks keep up: a sink more than maxQueued batches
			// behind gets TABLE_CHANGED in their place, which depends on
			// how fast its goroutine runs (under Wine, slowly), not on
			// the views.
			if err := td.Flush(ctxT(t)); err != nil {
				t.Fatalf("%s: Flush = %v", what, err)
			}
		}
		if n, _ := mapiutil.Lag(p.eager); n != 0 {
			t.Fatalf("%s: Lag(eager view) = %d, want 0", what, n)
		}
		switch n, rebuild := mapiutil.Lag(p.lazy); {
		case rebuild && p.inst:
			t.Fatalf("%s: Lag(lazy view) = %d, true, want no rebuild under a log that is never dropped", what, n)
		case rebuild:
			rebuilds++
			p.same(what+": all rows after a rebuild", func(_ int, v *mapiutil.View) (any, error) {
				_, rows, err := p.state(v)
				return rows, err
			})
			p.same(fmt.Sprintf("%s: Restrict(%v) again", what, res), func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.Restrict(ctx, res)
			})
			p.voidMarks()
		case n > 0:
			behind++
		}
		switch x := r.IntN(100); {
		case x < 30:
			changes(t, r, td, 1, true)
		case x < 34:
			changes(t, r, td, 1+r.IntN(gap), false)
		case x < 44:
			n := []int{1, 3, 10, -1, -3, -10, math.MaxInt}[r.IntN(7)]
			p.same(fmt.Sprintf("%s: QueryRows(%d)", what, n), func(_ int, v *mapiutil.View) (any, error) {
				rows, err := v.QueryRows(ctx, n)
				return p.strip(rows), err
			})
		case x < 54:
			m, n := r.IntN(3+len(p.marks)), r.IntN(11)-5
			p.same(fmt.Sprintf("%s: SeekRow(%d, %d)", what, m, n), func(side int, v *mapiutil.View) (any, error) {
				return v.SeekRow(ctx, p.mark(side, m), n)
			})
		case x < 57:
			num, den := r.IntN(12), r.IntN(10)
			p.same(fmt.Sprintf("%s: SeekRowApprox(%d, %d)", what, num, den), func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.SeekRowApprox(ctx, num, den)
			})
		case x < 61:
			p.same(what+": QueryPosition", func(_ int, v *mapiutil.View) (any, error) { return v.QueryPosition(ctx) })
		case x < 63:
			p.same(what+": GetRowCount", func(_ int, v *mapiutil.View) (any, error) { return v.RowCount(ctx) })
		case x < 68:
			if len(p.marks) < 6 {
				p.createBookmark()
			}
		case x < 70:
			if len(p.marks) > 0 {
				i := r.IntN(len(p.marks))
				p.same(fmt.Sprintf("%s: FreeBookmark(%d)", what, i), func(side int, v *mapiutil.View) (any, error) {
					return nil, v.FreeBookmark(ctx, p.marks[i][side])
				})
				p.marks = slices.Delete(p.marks, i, i+1)
			}
		case x < 76:
			res, m, back := lazyRestriction(r), r.IntN(3+len(p.marks)), mapispi.FindFlags(0)
			if res == nil {
				res = mapispi.ExistRestriction{Tag: tagSubject}
			}
			if r.IntN(2) == 0 {
				back = mapispi.FindBackward
			}
			p.same(fmt.Sprintf("%s: FindRow(%v, %d, %d)", what, res, m, back), func(side int, v *mapiutil.View) (any, error) {
				return v.FindRow(ctx, res, p.mark(side, m), back)
			})
		case x < 81:
			nr := lazyRestriction(r)
			p.same(fmt.Sprintf("%s: Restrict(%v)", what, nr), func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.Restrict(ctx, nr)
			})
			res = nr // both views refuse a restriction alike; none is refused here
			p.voidMarks()
		case x < 85:
			s := lazySort(r)
			p.same(fmt.Sprintf("%s: SortTable(%v)", what, s), func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.SortTable(ctx, s)
			})
			p.voidMarks()
		case x < 87:
			cols := lazyColumns
			if r.IntN(2) == 0 {
				cols = append(slices.Clone(cols), mviKeyword)
			}
			p.same(fmt.Sprintf("%s: SetColumns(%v)", what, cols), func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.SetColumns(ctx, cols)
			})
			p.voidMarks() // a change of MVI column discards them
		case x < 90:
			if p.lazyRec == nil {
				p.advise()
			} else {
				p.unadvise()
			}
		default:
			p.check(what)
		}
	}
	p.unadvise()
	if _, rebuild := mapiutil.Lag(p.lazy); !rebuild {
		p.check(fmt.Sprintf("seed %d at the end", seed))
	}
	return behind, rebuilds
}

// TestLazyViewModel drives a view without a sink and one with a sink
// through a few thousand pseudo-random calls and changes, with runs of
// changes the view without a sink does not see until its next call: the
// two must answer every call alike, instance keys and notifications
// included. Under a log of at least 8 changes, which the runs of up to
// 100 changes often outgrow, the view without a sink rebuilds: its rows
// must still be the other's.
func TestLazyViewModel(t *testing.T) {
	for _, logMin := range []int{1 << 30, 8} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("log=%d/seed=%d", logMin, seed), func(t *testing.T) {
				td, err := mapiutil.NewTableData(tagKey, lazyColumns)
				if err != nil {
					t.Fatal(err)
				}
				mapiutil.SetLogMin(td, logMin)
				p := newPair(t, td, lazyColumns)
				p.inst = logMin > 100
				behind, rebuilds := lazyModel(t, seed, 3000, 100, p)
				if behind == 0 {
					t.Errorf("no call found the view without a sink behind the changes")
				}
				if rebuilds == 0 && !p.inst {
					t.Errorf("the view without a sink never rebuilt")
				}
				t.Logf("%d calls found the view without a sink behind, %d due to rebuild", behind, rebuilds)
			})
		}
	}
}

// catchUpSetup returns table data of 200 rows, sorted by size and
// restricted to sizes below 800, in a pair of views, with the cursor on
// row 50, and bookmarks at the beginning, on rows 10, 60 and 120 and at
// the end.
func catchUpSetup(t *testing.T, mvi bool) *pair {
	td, err := mapiutil.NewTableData(tagKey, lazyColumns)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for k := range int32(200) {
		if err := td.ModifyRow(sizedRow(r, k)); err != nil {
			t.Fatal(err)
		}
	}
	cols := lazyColumns
	if mvi {
		cols = append(slices.Clone(cols), mviKeyword)
	}
	p := newPair(t, td, cols)
	p.same("SortTable", func(_ int, v *mapiutil.View) (any, error) {
		return nil, v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}})
	})
	p.same("Restrict", func(_ int, v *mapiutil.View) (any, error) {
		return nil, v.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(800)))
	})
	p.createBookmark()
	for _, at := range []int{10, 60, 120, math.MaxInt, 50} {
		p.same(fmt.Sprintf("SeekRow(BOOKMARK_BEGINNING, %d)", at), func(_ int, v *mapiutil.View) (any, error) {
			return v.SeekRow(ctx, mapispi.BookmarkBeginning, at)
		})
		if at != 50 {
			p.createBookmark()
		}
	}
	p.check("before the changes")
	return p
}

// sizedRow is lazyRow with a size below 1000.
func sizedRow(r *rand.Rand, k int32) mapispi.Row {
	row := slices.DeleteFunc(lazyRow(r, k), func(v mapispi.PropValue) bool { return v.Tag == tagSize })
	return append(row, mapispi.PropValue{Tag: tagSize, Value: r.Int32N(1000)})
}

// bigChange adds, changes or deletes one of rows 0..299, with sizes
// below 1000.
func bigChange(t *testing.T, r *rand.Rand, td *mapiutil.TableData) {
	t.Helper()
	k := int32(r.IntN(300))
	if r.IntN(3) == 0 {
		td.DeleteRow(keyOf(k))
		return
	}
	if err := td.ModifyRow(sizedRow(r, k)); err != nil {
		t.Fatalf("ModifyRow = %v", err)
	}
}

// TestLazyViewCatchesUp makes n changes that a view without a sink does
// not see, and then reads it: it must show what a view with a sink shows,
// and, while the table data logs the changes (1024 of them), the cursor
// and bookmarks must be where that view's are.
func TestLazyViewCatchesUp(t *testing.T) {
	for _, mvi := range []bool{false, true} {
		for _, n := range []int{1, 10, 300, 1000, 2000} {
			t.Run(fmt.Sprintf("mvi=%v/%d", mvi, n), func(t *testing.T) {
				p := catchUpSetup(t, mvi)
				r := rand.New(rand.NewPCG(uint64(n), 7))
				for range n {
					bigChange(t, r, p.td)
				}
				lag, rebuild := mapiutil.Lag(p.lazy)
				if lag == 0 || rebuild != (n > 1024) {
					t.Fatalf("Lag(lazy view) = %d, %v after %d changes, want changes to apply, and a rebuild: %v", lag, rebuild, n, n > 1024)
				}
				if rebuild {
					p.inst = false
					p.same("all rows after a rebuild", func(_ int, v *mapiutil.View) (any, error) {
						_, rows, err := p.state(v)
						return rows, err
					})
				} else {
					p.check(fmt.Sprintf("after %d changes", n))
				}
				if lag, rebuild := mapiutil.Lag(p.lazy); lag != 0 || rebuild {
					t.Fatalf("Lag(lazy view) = %d, %v after reading it, want 0, false", lag, rebuild)
				}
				// A fresh view sorted and restricted alike shows the same rows.
				fresh, err := p.td.View(nil)
				if err != nil {
					t.Fatal(err)
				}
				defer fresh.Close(ctx)
				cols, _ := p.lazy.Columns(ctx)
				fresh.SetColumns(ctx, cols)
				fresh.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}})
				fresh.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(800)))
				p.inst = false // a fresh view makes its own instance keys
				_, want, _ := p.state(fresh)
				_, got, _ := p.state(p.lazy)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("QueryRows(all) = %v on the lazy view, want %v as on a fresh view", got, want)
				}
			})
		}
	}
}

// TestLazyViewInterleaved changes the table data between a view's
// Restrict, SortTable, SetColumns, Advise and Unadvise, FindRow and
// reads, which must each see every change made before them.
func TestLazyViewInterleaved(t *testing.T) {
	p := catchUpSetup(t, false)
	r := rand.New(rand.NewPCG(11, 12))
	changes := func(n int) {
		for range n {
			bigChange(t, r, p.td)
		}
	}
	calls := []struct {
		name string
		f    func(side int, v *mapiutil.View) (any, error)
	}{
		{"Restrict", func(_ int, v *mapiutil.View) (any, error) {
			return nil, v.Restrict(ctx, prop(mapispi.RelopGE, tagSize, int32(300)))
		}},
		{"SortTable", func(_ int, v *mapiutil.View) (any, error) {
			return nil, v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortDescend}, {Tag: tagSize, Order: mapispi.SortAscend}}})
		}},
		{"SeekRowApprox", func(_ int, v *mapiutil.View) (any, error) { return nil, v.SeekRowApprox(ctx, 1, 3) }},
		{"QueryPosition", func(_ int, v *mapiutil.View) (any, error) { return v.QueryPosition(ctx) }},
		{"FindRow", func(_ int, v *mapiutil.View) (any, error) {
			return v.FindRow(ctx, prop(mapispi.RelopGT, tagSize, int32(600)), mapispi.BookmarkCurrent, 0)
		}},
		{"QueryRows", func(_ int, v *mapiutil.View) (any, error) { return v.QueryRows(ctx, 7) }},
		{"SetColumns", func(_ int, v *mapiutil.View) (any, error) {
			return nil, v.SetColumns(ctx, []mapispi.PropTag{mapispi.PropInstanceKey, tagSize, tagKey})
		}},
		{"GetRowCount", func(_ int, v *mapiutil.View) (any, error) { return v.RowCount(ctx) }},
		{"SeekRow", func(_ int, v *mapiutil.View) (any, error) { return v.SeekRow(ctx, mapispi.BookmarkCurrent, -3) }},
		{"Restrict(nil)", func(_ int, v *mapiutil.View) (any, error) { return nil, v.Restrict(ctx, nil) }},
		{"QueryRows(-5)", func(_ int, v *mapiutil.View) (any, error) { return v.QueryRows(ctx, -5) }},
	}
	for i, c := range calls {
		changes(5 + 20*i)
		p.same(fmt.Sprintf("%s after changes", c.name), c.f)
		if c.name == "Restrict" || c.name == "SortTable" || c.name == "Restrict(nil)" {
			p.voidMarks()
		}
		switch i {
		case 3:
			p.advise()
		case 6:
			p.unadvise()
		}
		p.check(c.name)
	}
}

// TestLazyViewConcurrent reads views without sinks while writers change
// the table data and one view is advised and unadvised, for -race; at
// the end each view shows what a fresh one does.
func TestLazyViewConcurrent(t *testing.T) {
	td, err := mapiutil.NewTableData(tagKey, lazyColumns)
	if err != nil {
		t.Fatal(err)
	}
	sorted := mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortDescend}}}
	views := make([]*mapiutil.View, 4)
	for i := range views {
		v, err := td.View(lazyColumns)
		if err != nil {
			t.Fatal(err)
		}
		defer v.Close(ctx)
		if err := v.SortTable(ctx, sorted); err != nil {
			t.Fatal(err)
		}
		views[i] = v
	}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 3))
			for range 400 {
				if err := change(r, td, w == 0); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i, v := range views {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 4))
			for j := range 200 {
				switch j % 5 {
				case 0:
					v.QueryRows(ctx, 5)
				case 1:
					v.SeekRow(ctx, mapispi.BookmarkBeginning, r.IntN(20))
				case 2:
					v.FindRow(ctx, prop(mapispi.RelopLT, tagSize, int32(r.IntN(100))), mapispi.BookmarkCurrent, 0)
				case 3:
					if i == 0 {
						c, err := v.Advise(ctx, &recorder{})
						if err == nil {
							v.QueryPosition(ctx)
							v.Unadvise(ctx, c)
						}
					} else {
						v.RowCount(ctx)
					}
				case 4:
					if i == 1 {
						v.Restrict(ctx, lazyRestriction(r))
					}
				}
			}
		})
	}
	wg.Wait()
	fresh, err := td.View(lazyColumns)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close(ctx)
	if err := fresh.SortTable(ctx, sorted); err != nil {
		t.Fatal(err)
	}
	p := &pair{t: t} // comparing rows without their instance keys
	_, want, _ := p.state(fresh)
	for i, v := range views {
		if err := v.Restrict(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, got, err := p.state(v); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("view %d: QueryRows(all) = %v, %v, want %v as on a fresh view", i, got, err, want)
		}
	}
}

// TestLazyViewPositionsAcrossChanges puts a cursor and bookmarks on rows
// of a sorted, restricted view, then deletes, moves, changes and hides
// some of those rows among enough other changes to outgrow the table
// data's log, or not: the view without a sink must put them where the
// view with a sink does, except where View says a rebuild differs.
func TestLazyViewPositionsAcrossChanges(t *testing.T) {
	for _, rebuild := range []bool{false, true} {
		t.Run(fmt.Sprintf("rebuild=%v", rebuild), func(t *testing.T) {
			td, err := mapiutil.NewTableData(tagKey, lazyColumns)
			if err != nil {
				t.Fatal(err)
			}
			mapiutil.SetLogMin(td, 1<<30)
			if rebuild {
				mapiutil.SetLogMin(td, 16) // a log of max(16, 100) changes
			}
			for k := range int32(100) {
				if err := td.ModifyRow(msg(k, "s", k*10)); err != nil {
					t.Fatal(err)
				}
			}
			p := newPair(t, td, []mapispi.PropTag{tagKey, mapispi.PropInstanceKey, tagSize}) // keys reads the first column
			p.same("SortTable(size)", func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}})
			})
			p.same("Restrict(size < 2000)", func(_ int, v *mapiutil.View) (any, error) {
				return nil, v.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(2000)))
			})
			// Bookmarks on rows 20, 70, 30, 40, 60 and 80, and the cursor on row 50.
			for _, k := range []int{20, 70, 30, 40, 60, 80, 50} {
				p.same(fmt.Sprintf("SeekRow(BOOKMARK_BEGINNING, %d)", k), func(_ int, v *mapiutil.View) (any, error) {
					return v.SeekRow(ctx, mapispi.BookmarkBeginning, k)
				})
				if k != 50 {
					p.createBookmark()
				}
			}
			modify := func(k, size int32) {
				t.Helper()
				if err := td.ModifyRow(msg(k, "changed", size)); err != nil {
					t.Fatalf("ModifyRow(%d) = %v", k, err)
				}
			}
			del := func(k int32) {
				t.Helper()
				if err := td.DeleteRow(keyOf(k)); err != nil {
					t.Fatalf("DeleteRow(%d) = %v", k, err)
				}
			}
			del(70)          // its bookmark goes to 71
			modify(30, 300)  // stays in place
			modify(40, 5)    // moves to the front, with its bookmark
			del(60)          // its bookmark goes to 61,
			del(61)          // and then to 62
			del(50)          // the cursor goes to 51
			modify(80, 2500) // hidden: its bookmark goes to 81 ...
			// Rows the restriction hides, many times over.
			for i := range int32(300) {
				modify(200+i%10, 3000+i)
			}
			modify(80, 800) // ... and stays there when 80 comes back
			if lag, rb := mapiutil.Lag(p.lazy); lag == 0 || rb != rebuild {
				t.Fatalf("Lag(lazy view) = %d, %v, want changes to apply, and a rebuild: %v", lag, rb, rebuild)
			}
			type at struct {
				key     int32
				changed bool
			}
			// Where the view with a sink has them; a rebuild leaves the
			// bookmark of 80, which left and came back, on 80.
			want := []at{{20, false}, {71, true}, {30, false}, {40, false}, {62, true}, {81, true}}
			if rebuild {
				want[5] = at{80, false}
			}
			for side, v := range p.views {
				if got := keys(t, v, 1); !slices.Equal(got, []int32{51}) {
					t.Errorf("view %d: QueryRows(1) = %v, want [51]", side, got)
				}
				for i, w := range want {
					res, err := v.SeekRow(ctx, p.marks[i][side], 0)
					if err != nil {
						t.Fatalf("view %d: SeekRow(bookmark %d) = %v", side, i, err)
					}
					if side == 1 || i != 5 {
						if got := keys(t, v, 1); !slices.Equal(got, []int32{w.key}) || res.PositionChanged != w.changed {
							t.Errorf("view %d: SeekRow(bookmark %d), QueryRows(1) = %v, %v, want %v", side, i, res, got, w)
						}
					} else if got := keys(t, v, 1); !slices.Equal(got, []int32{81}) || !res.PositionChanged {
						t.Errorf("view with a sink: SeekRow(bookmark on 80), QueryRows(1) = %v, %v, want [81] moved", res, got)
					}
				}
			}
			p.inst = !rebuild
			p.same("all rows", func(_ int, v *mapiutil.View) (any, error) {
				_, rows, err := p.state(v)
				return rows, err
			})
		})
	}
}

// TestLazyViewLogBounded changes table data many times under views
// nobody reads: the log stays within max(its least, the row count), and
// empties once every view has caught up; with only views with sinks
// nothing is logged.
func TestLazyViewLogBounded(t *testing.T) {
	td, v := newTable(t, 10)
	mapiutil.SetLogMin(td, 16)
	other, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	most := 0
	for i := range 1000 {
		if err := td.ModifyRow(msg(int32(i%30), "x", int32(i))); err != nil {
			t.Fatal(err)
		}
		most = max(most, mapiutil.LogLen(td))
		if i == 500 {
			other.RowCount(ctx) // one view catching up keeps the log for the other
		}
	}
	if most > 30 {
		t.Errorf("LogLen = %d at most over 1000 changes of 30 rows, want at most 30", most)
	}
	for _, x := range []*mapiutil.View{v, other} {
		if n, err := x.RowCount(ctx); n != 30 || err != nil {
			t.Errorf("RowCount = %d, %v, want 30", n, err)
		}
	}
	if n := mapiutil.LogLen(td); n != 0 {
		t.Errorf("LogLen = %d once every view has caught up, want 0", n)
	}
	for _, x := range []*mapiutil.View{v, other} {
		if _, err := x.Advise(ctx, &recorder{}); err != nil {
			t.Fatal(err)
		}
	}
	td.ModifyRow(msg(1, "y", 1))
	if n := mapiutil.LogLen(td); n != 0 {
		t.Errorf("LogLen = %d with only views with sinks, want 0", n)
	}
	if err := other.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
