package mapiutil_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var (
	ctx    = context.Background()
	tagKey = mapispi.NewPropTag(mapispi.PtLong, 0x6700) // the index column of the test tables
)

func msg(key int32, subject string, size int32) mapispi.Row {
	return mapispi.Row{
		{Tag: tagKey, Value: key},
		{Tag: tagSubject, Value: subject},
		{Tag: tagSize, Value: size},
	}
}

func keyOf(k int32) mapispi.PropValue { return mapispi.PropValue{Tag: tagKey, Value: k} }

// newTable returns table data with rows 1..n ("s<i>", size i*10) and a view
// on [key, subject].
func newTable(t *testing.T, n int) (*mapiutil.TableData, *mapiutil.View) {
	t.Helper()
	td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagSubject})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if err := td.ModifyRow(msg(int32(i), "s"+string(rune('0'+i)), int32(i*10))); err != nil {
			t.Fatal(err)
		}
	}
	v, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	return td, v
}

// keys reads n rows and returns their index values.
func keys(t *testing.T, v mapispi.Table, n int) []int32 {
	t.Helper()
	rows, err := v.QueryRows(ctx, n)
	if err != nil {
		t.Fatalf("QueryRows(%d) = %v", n, err)
	}
	var out []int32
	for _, r := range rows {
		out = append(out, r[0].Value.(int32))
	}
	return out
}

func allKeys(t *testing.T, v mapispi.Table) []int32 {
	t.Helper()
	if _, err := v.SeekRow(ctx, mapispi.BookmarkBeginning, 0); err != nil {
		t.Fatal(err)
	}
	return keys(t, v, math.MaxInt)
}

func TestViewQueryRows(t *testing.T) {
	_, v := newTable(t, 5)
	if _, err := v.QueryRows(ctx, 0); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("QueryRows(0) = %v, want ErrInvalidParameter", err)
	}
	if got := keys(t, v, 2); !slices.Equal(got, []int32{1, 2}) {
		t.Errorf("QueryRows(2) = %v, want [1 2]", got)
	}
	if got := keys(t, v, 10); !slices.Equal(got, []int32{3, 4, 5}) {
		t.Errorf("QueryRows(10) = %v, want [3 4 5]", got)
	}
	if got := keys(t, v, 1); got != nil {
		t.Errorf("QueryRows at the end = %v, want none", got)
	}
	if got := keys(t, v, -2); !slices.Equal(got, []int32{4, 5}) {
		t.Errorf("QueryRows(-2) = %v, want [4 5]", got)
	}
	if pos, _ := v.QueryPosition(ctx); pos.Row != 3 {
		t.Errorf("QueryPosition after QueryRows(-2) = %d, want 3 (on the first returned row)", pos.Row)
	}
	if got := keys(t, v, math.MinInt); !slices.Equal(got, []int32{1, 2, 3}) {
		t.Errorf("QueryRows(MinInt) = %v, want [1 2 3]", got)
	}
	if got := keys(t, v, -1); got != nil {
		t.Errorf("QueryRows(-1) at the start = %v, want none", got)
	}
	if err := v.SetColumns(ctx, []mapispi.PropTag{tagSize, mapispi.PropNull, tagRead, tagSubject.WithType(mapispi.PtUnspecified), tagSubject.WithType(mapispi.PtString8)}); err != nil {
		t.Fatal(err)
	}
	rows, _ := v.QueryRows(ctx, 1)
	want := mapispi.Row{
		{Tag: tagSize, Value: int32(10)},
		{Tag: mapispi.PropNull},
		mapispi.ErrorValue(tagRead, mapispi.ErrNotFound),
		{Tag: tagSubject, Value: "s1"},
		{Tag: tagSubject.WithType(mapispi.PtString8), Value: "s1"},
	}
	if len(rows) != 1 || !slices.EqualFunc(rows[0], want, func(a, b mapispi.PropValue) bool { return a.Tag == b.Tag && a.Value == b.Value }) {
		t.Errorf("row with columns = %v, want %v", rows, want)
	}
	if cols, _ := v.Columns(ctx); len(cols) != 5 || cols[1] != mapispi.PropNull {
		t.Errorf("Columns = %v", cols)
	}
	for _, bad := range [][]mapispi.PropTag{nil, {mapispi.NewPropTag(mapispi.PtSvrEID, 1)}, {mapispi.NewPropTag(mapispi.PtLong|mapispi.MVInstance, 1)}} {
		if err := v.SetColumns(ctx, bad); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("SetColumns(%v) = %v, want ErrInvalidParameter", bad, err)
		}
	}
}

func TestViewSeek(t *testing.T) {
	_, v := newTable(t, 5)
	tests := []struct {
		origin mapispi.Bookmark
		n      int
		sought int
		next   []int32
	}{
		{mapispi.BookmarkBeginning, 2, 2, []int32{3}},
		{mapispi.BookmarkCurrent, 10, 2, nil},
		{mapispi.BookmarkEnd, -1, -1, []int32{5}},
		{mapispi.BookmarkEnd, -100, -5, []int32{1}},
		{mapispi.BookmarkBeginning, math.MaxInt, 5, nil},
		{mapispi.BookmarkEnd, math.MinInt, -5, []int32{1}},
	}
	for _, tt := range tests {
		res, err := v.SeekRow(ctx, tt.origin, tt.n)
		if err != nil || res.Rows != tt.sought || res.PositionChanged {
			t.Errorf("SeekRow(%d, %d) = %+v, %v, want %d rows", tt.origin, tt.n, res, err, tt.sought)
		}
		if got := keys(t, v, 1); !slices.Equal(got, tt.next) {
			t.Errorf("after SeekRow(%d, %d), QueryRows(1) = %v, want %v", tt.origin, tt.n, got, tt.next)
		}
	}
	if err := v.SeekRowApprox(ctx, 1, 1); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, v, 1); got != nil {
		t.Errorf("after SeekRowApprox(1,1), QueryRows = %v, want none", got)
	}
	v.SeekRowApprox(ctx, 0, 7)
	if p, _ := v.QueryPosition(ctx); p != (mapispi.Position{Row: 0, Numerator: 0, Denominator: 5}) {
		t.Errorf("QueryPosition after SeekRowApprox(0,7) = %+v", p)
	}
	v.SeekRowApprox(ctx, 3, 5)
	keys(t, v, 1)
	if p, _ := v.QueryPosition(ctx); p.Row != 4 {
		t.Errorf("QueryPosition = %+v, want row 4", p)
	}
	v.SeekRowApprox(ctx, math.MaxInt-1, math.MaxInt)
	if p, _ := v.QueryPosition(ctx); p.Row != 4 {
		t.Errorf("QueryPosition after a huge fraction = %+v, want row 4", p)
	}
	for _, f := range [][2]int{{1, 0}, {-1, 2}, {1, -2}} {
		if err := v.SeekRowApprox(ctx, f[0], f[1]); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("SeekRowApprox(%d, %d) = %v, want ErrInvalidParameter", f[0], f[1], err)
		}
	}
	if st, err := v.Status(ctx); err != nil || st != (mapispi.TableStatus{State: mapispi.TableStatusComplete, Type: mapispi.TableTypeDynamic}) {
		t.Errorf("Status = %v, %v", st, err)
	}
}

func TestViewBookmarks(t *testing.T) {
	td, v := newTable(t, 5)
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 2)
	b, err := v.CreateBookmark(ctx)
	if err != nil || b <= mapispi.BookmarkEnd {
		t.Fatalf("CreateBookmark = %d, %v", b, err)
	}
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 0)
	if res, err := v.SeekRow(ctx, b, 0); err != nil || res.PositionChanged {
		t.Fatalf("SeekRow(bookmark) = %+v, %v", res, err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{3}) {
		t.Errorf("row at bookmark = %v, want [3]", got)
	}
	// A row inserted before the bookmark's row does not move it off.
	td.ModifyRow(msg(0, "front", 1))
	v.SortTable(ctx, mapispi.SortOrderSet{})     // (discards bookmarks: make a new one)
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 2) // rows are 1 2 3 4 5 0: on row 3
	b, _ = v.CreateBookmark(ctx)
	if err := td.DeleteRow(keyOf(3)); err != nil {
		t.Fatal(err)
	}
	res, err := v.SeekRow(ctx, b, 0)
	if err != nil || !res.PositionChanged {
		t.Errorf("SeekRow(bookmark on a deleted row) = %+v, %v, want PositionChanged", res, err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{4}) {
		t.Errorf("row after the deleted bookmark row = %v, want [4]", got)
	}
	if res, _ := v.SeekRow(ctx, b, 0); res.PositionChanged {
		t.Errorf("PositionChanged reported twice for one move")
	}
	if err := v.FreeBookmark(ctx, mapispi.BookmarkCurrent); err != nil {
		t.Errorf("FreeBookmark(BOOKMARK_CURRENT) = %v, want nil", err)
	}
	if err := v.FreeBookmark(ctx, b); err != nil {
		t.Errorf("FreeBookmark(b) = %v", err)
	}
	if err := v.FreeBookmark(ctx, b); !errors.Is(err, mapispi.ErrInvalidBookmark) {
		t.Errorf("FreeBookmark(freed) = %v, want ErrInvalidBookmark", err)
	}
	b, _ = v.CreateBookmark(ctx)
	if err := v.Restrict(ctx, mapispi.ExistRestriction{Tag: tagSize}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.SeekRow(ctx, b, 0); !errors.Is(err, mapispi.ErrInvalidBookmark) {
		t.Errorf("SeekRow(bookmark after Restrict) = %v, want ErrInvalidBookmark", err)
	}
	other, _ := td.View(nil)
	ob, _ := other.CreateBookmark(ctx)
	if _, err := v.SeekRow(ctx, ob, 0); !errors.Is(err, mapispi.ErrInvalidBookmark) {
		t.Errorf("SeekRow(another view's bookmark) = %v, want ErrInvalidBookmark", err)
	}
	if _, err := v.FindRow(ctx, mapispi.ExistRestriction{Tag: tagSize}, ob, 0); !errors.Is(err, mapispi.ErrInvalidBookmark) {
		t.Errorf("FindRow(another view's bookmark) = %v, want ErrInvalidBookmark", err)
	}
	for range 1024 {
		if _, err := v.CreateBookmark(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.CreateBookmark(ctx); !errors.Is(err, mapispi.ErrUnableToComplete) {
		t.Errorf("CreateBookmark beyond the limit = %v, want ErrUnableToComplete", err)
	}
}

func TestViewCursorFollowsItsRow(t *testing.T) {
	td, v := newTable(t, 5)
	keys(t, v, 2) // cursor on row 3
	td.ModifyRow(msg(9, "new", 5))
	td.DeleteRow(keyOf(1))
	if p, _ := v.QueryPosition(ctx); p.Row != 1 {
		t.Errorf("QueryPosition after deleting a row before the cursor = %d, want 1", p.Row)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{3}) {
		t.Errorf("next row after changes before the cursor = %v, want [3]", got)
	}
	td.DeleteRow(keyOf(4)) // the cursor's row
	if got := keys(t, v, 1); !slices.Equal(got, []int32{5}) {
		t.Errorf("next row after its row was deleted = %v, want [5]", got)
	}
	// At the beginning, a row added at the front is read next.
	v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}})
	td.ModifyRow(msg(7, "tiny", 0))
	if got := keys(t, v, 1); !slices.Equal(got, []int32{7}) {
		t.Errorf("first row after adding at the front = %v, want [7]", got)
	}
	// At the end, rows added later are after the cursor's "after last".
	v.SeekRow(ctx, mapispi.BookmarkEnd, 0)
	td.ModifyRow(msg(8, "huge", 1000))
	if got := keys(t, v, 1); got != nil {
		t.Errorf("QueryRows at the end after an append = %v, want none", got)
	}
}

func TestViewSortAndRestrict(t *testing.T) {
	td, v := newTable(t, 0)
	td.ModifyRows([]mapispi.Row{
		msg(1, "b", 30), msg(2, "a", 10), msg(3, "c", 20),
		{{Tag: tagKey, Value: int32(4)}, {Tag: tagSize, Value: int32(5)}}, // no subject
		msg(5, "a", 40),
	})
	asc := mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortAscend}}}
	if err := v.SortTable(ctx, asc); err != nil {
		t.Fatal(err)
	}
	if got := allKeys(t, v); !slices.Equal(got, []int32{2, 5, 1, 3, 4}) {
		t.Errorf("ascending = %v, want [2 5 1 3 4] (equal keys in insertion order, missing last)", got)
	}
	desc := mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortDescend}, {Tag: tagSize, Order: mapispi.SortDescend}}}
	v.SortTable(ctx, desc)
	if got := allKeys(t, v); !slices.Equal(got, []int32{3, 1, 5, 2, 4}) {
		t.Errorf("descending = %v, want [3 1 5 2 4] (missing still last)", got)
	}
	if got, _ := v.QuerySortOrder(ctx); !slices.Equal(got.Sorts, desc.Sorts) {
		t.Errorf("QuerySortOrder = %v, want %v", got, desc)
	}
	td.ModifyRow(msg(2, "z", 10)) // moves to the front
	if got := allKeys(t, v); !slices.Equal(got, []int32{2, 3, 1, 5, 4}) {
		t.Errorf("after a change of sort key = %v, want [2 3 1 5 4]", got)
	}
	if err := v.Restrict(ctx, prop(mapispi.RelopGE, tagSize, int32(20))); err != nil {
		t.Fatal(err)
	}
	if got := allKeys(t, v); !slices.Equal(got, []int32{3, 1, 5}) {
		t.Errorf("restricted = %v, want [3 1 5]", got)
	}
	if n, _ := v.RowCount(ctx); n != 3 {
		t.Errorf("RowCount = %d, want 3", n)
	}
	if err := v.Restrict(ctx, prop(mapispi.RelopRE, tagSubject, "x")); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("Restrict(RELOP_RE) = %v, want ErrTooComplex", err)
	}
	if got := allKeys(t, v); !slices.Equal(got, []int32{3, 1, 5}) {
		t.Errorf("after a refused Restrict = %v, want the old restriction kept", got)
	}
	v.Restrict(ctx, nil)
	if got := allKeys(t, v); len(got) != 5 {
		t.Errorf("Restrict(nil) = %v, want every row", got)
	}
	for _, bad := range []struct {
		s    mapispi.SortOrderSet
		want error
	}{
		{mapispi.SortOrderSet{Sorts: asc.Sorts, Categories: 1}, mapispi.ErrTooComplex},
		{mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortCombine}}}, mapispi.ErrInvalidParameter},
		{mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.NewPropTag(mapispi.PtObject, 9)}}}, mapispi.ErrTooComplex},
		{mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.NewPropTag(0x99, 9)}}}, mapispi.ErrInvalidParameter},
	} {
		if err := v.SortTable(ctx, bad.s); !errors.Is(err, bad.want) {
			t.Errorf("SortTable(%v) = %v, want %v", bad.s, err, bad.want)
		}
	}
}

func TestViewFindRow(t *testing.T) {
	_, v := newTable(t, 6)
	even := mapispi.BitmaskRestriction{Relop: mapispi.BitmaskEQZ, Tag: tagKey, Mask: 1}
	if _, err := v.FindRow(ctx, even, mapispi.BookmarkBeginning, 0); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{2}) {
		t.Errorf("FindRow forward from the beginning = %v, want [2]", got)
	}
	// Forward starts at the bookmark's row itself.
	if _, err := v.FindRow(ctx, even, mapispi.BookmarkCurrent, 0); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{4}) {
		t.Errorf("FindRow forward from row 3 = %v, want [4]", got)
	}
	if _, err := v.FindRow(ctx, even, mapispi.BookmarkEnd, mapispi.FindBackward); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{6}) {
		t.Errorf("FindRow backward from the end = %v, want [6]", got)
	}
	// Backward starts at the row before the bookmark's.
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 3) // on row 4
	v.FindRow(ctx, even, mapispi.BookmarkCurrent, mapispi.FindBackward)
	if got := keys(t, v, 1); !slices.Equal(got, []int32{2}) {
		t.Errorf("FindRow backward from row 4 = %v, want [2]", got)
	}
	if _, err := v.FindRow(ctx, prop(mapispi.RelopEQ, tagKey, int32(99)), mapispi.BookmarkBeginning, 0); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("FindRow(no match) = %v, want ErrNotFound", err)
	}
	if _, err := v.FindRow(ctx, nil, mapispi.BookmarkBeginning, 0); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("FindRow(nil) = %v, want ErrInvalidParameter", err)
	}
	if _, err := v.FindRow(ctx, even, mapispi.BookmarkBeginning, 4); !errors.Is(err, mapispi.ErrUnknownFlags) {
		t.Errorf("FindRow(flags 4) = %v, want ErrUnknownFlags", err)
	}
	// PR_INSTANCE_KEY searches work.
	v.SetColumns(ctx, []mapispi.PropTag{tagKey, mapispi.PropInstanceKey})
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 4)
	rows, _ := v.QueryRows(ctx, 1)
	ik := rows[0][1]
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 0)
	if _, err := v.FindRow(ctx, mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: mapispi.PropInstanceKey, Prop: ik}, mapispi.BookmarkBeginning, 0); err != nil {
		t.Fatalf("FindRow(PR_INSTANCE_KEY) = %v", err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{5}) {
		t.Errorf("FindRow(PR_INSTANCE_KEY of row 5) = %v, want [5]", got)
	}
}

type recorder struct {
	mu    sync.Mutex
	notes []mapispi.TableNotification
}

func (r *recorder) OnTableNotify(n []mapispi.TableNotification) mapispi.CallbackResult {
	r.mu.Lock()
	r.notes = append(r.notes, n...)
	r.mu.Unlock()
	return mapispi.CallbackContinue
}

// take waits for td's notifications to reach their sinks and returns
// those r got since the last take.
func (r *recorder) take(t *testing.T, td *mapiutil.TableData) []mapispi.TableNotification {
	t.Helper()
	if err := td.Flush(ctxT(t)); err != nil {
		t.Fatalf("Flush = %v, want nil", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.notes
	r.notes = nil
	return n
}

func TestViewNotifications(t *testing.T) {
	td, v := newTable(t, 0)
	v.SetColumns(ctx, []mapispi.PropTag{mapispi.PropInstanceKey, tagKey})
	v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}})
	v.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(100)))
	rec := &recorder{}
	c, err := v.Advise(ctx, rec)
	if err != nil || c == 0 {
		t.Fatalf("Advise = %d, %v", c, err)
	}
	td.ModifyRow(msg(1, "a", 50))
	n := rec.take(t, td)
	if len(n) != 1 || n[0].Event != mapispi.TableRowAdded || n[0].Prior.Tag != mapispi.PropNull || n[0].Row[1].Value != int32(1) {
		t.Fatalf("first add = %v, want TABLE_ROW_ADDED with prior PR_NULL", n)
	}
	key1 := n[0].Index.Value.([]byte)
	if !slices.Equal(n[0].Row[0].Value.([]byte), key1) {
		t.Errorf("row's PR_INSTANCE_KEY %v differs from the notification's %v", n[0].Row[0], n[0].Index)
	}
	td.ModifyRow(msg(2, "b", 60))
	n = rec.take(t, td)
	if len(n) != 1 || !slices.Equal(n[0].Prior.Value.([]byte), key1) {
		t.Errorf("second add = %v, want prior = the first row's key", n)
	}
	td.ModifyRow(msg(3, "hidden", 500))
	if n := rec.take(t, td); len(n) != 0 {
		t.Errorf("add of a row the restriction hides sent %v, want nothing", n)
	}
	td.ModifyRow(msg(1, "a", 70)) // moves after row 2
	n = rec.take(t, td)
	if len(n) != 1 || n[0].Event != mapispi.TableRowModified || !slices.Equal(n[0].Index.Value.([]byte), key1) || n[0].Prior.Tag != mapispi.PropInstanceKey {
		t.Errorf("modify = %v, want TABLE_ROW_MODIFIED of the same instance key after row 2", n)
	}
	td.ModifyRow(msg(1, "a", 700)) // leaves the restriction
	n = rec.take(t, td)
	if len(n) != 1 || n[0].Event != mapispi.TableRowDeleted || !slices.Equal(n[0].Index.Value.([]byte), key1) || len(n[0].Row) != 0 || n[0].Prior.Tag != mapispi.PropNull {
		t.Errorf("modify out of the restriction = %v, want TABLE_ROW_DELETED", n)
	}
	td.ModifyRow(msg(1, "a", 7)) // back in: same instance key
	n = rec.take(t, td)
	if len(n) != 1 || n[0].Event != mapispi.TableRowAdded || !slices.Equal(n[0].Index.Value.([]byte), key1) {
		t.Errorf("modify into the restriction = %v, want TABLE_ROW_ADDED with the row's old key", n)
	}
	td.DeleteRow(keyOf(2))
	if n := rec.take(t, td); len(n) != 1 || n[0].Event != mapispi.TableRowDeleted {
		t.Errorf("delete = %v, want TABLE_ROW_DELETED", n)
	}
	var many []mapispi.Row
	for i := range 100 {
		many = append(many, msg(int32(100+i), "m", int32(i%50)))
	}
	td.ModifyRows(many)
	if n := rec.take(t, td); len(n) != 1 || n[0].Event != mapispi.TableChanged {
		t.Errorf("bulk add = %d notifications, want one TABLE_CHANGED", len(n))
	}
	if err := v.Unadvise(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := v.Unadvise(ctx, c); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("Unadvise(again) = %v, want ErrNotFound", err)
	}
	td.DeleteRow(keyOf(1))
	if n := rec.take(t, td); len(n) != 0 {
		t.Errorf("after Unadvise, got %v", n)
	}
	if _, err := v.Advise(ctx, nil); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("Advise(nil) = %v, want ErrInvalidParameter", err)
	}
}

func TestViewInstanceKeys(t *testing.T) {
	td, v := newTable(t, 3)
	other, _ := td.View([]mapispi.PropTag{mapispi.PropInstanceKey})
	v.SetColumns(ctx, []mapispi.PropTag{mapispi.PropInstanceKey})
	first, _ := v.QueryRows(ctx, 10)
	td.ModifyRow(msg(2, "changed", 1))
	td.ModifyRow(msg(4, "new", 1))
	v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagKey, Order: mapispi.SortAscend}}})
	v.SeekRow(ctx, mapispi.BookmarkBeginning, 0)
	second, _ := v.QueryRows(ctx, 10)
	seen := map[string]bool{}
	for i, r := range second {
		k := string(r[0].Value.([]byte))
		if seen[k] {
			t.Errorf("instance key %X appears twice", k)
		}
		seen[k] = true
		if i < 3 && k != string(first[i][0].Value.([]byte)) {
			t.Errorf("row %d's instance key changed from %X to %X", i, first[i][0].Value, k)
		}
	}
	// A row's own PR_INSTANCE_KEY is used when it has one.
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(5)}, {Tag: mapispi.PropInstanceKey, Value: []byte("own")}})
	other.SeekRow(ctx, mapispi.BookmarkEnd, -1)
	rows, _ := other.QueryRows(ctx, 1)
	if string(rows[0][0].Value.([]byte)) != "own" {
		t.Errorf("PR_INSTANCE_KEY of a row that has one = %v, want its own", rows[0][0])
	}
}

func TestViewMVI(t *testing.T) {
	td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey})
	if err != nil {
		t.Fatal(err)
	}
	td.ModifyRows([]mapispi.Row{
		{{Tag: tagKey, Value: int32(1)}, {Tag: tagKeyword, Value: []string{"red", "blue"}}},
		{{Tag: tagKey, Value: int32(2)}},
		{{Tag: tagKey, Value: int32(3)}, {Tag: tagKeyword, Value: []string{"green"}}},
	})
	mvi := tagKeyword.WithType(tagKeyword.Type() | mapispi.MVInstance)
	v, err := td.View([]mapispi.PropTag{tagKey, mvi, mapispi.PropInstanceKey})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := v.QueryRows(ctx, 10)
	var got []string
	keys := map[string]bool{}
	for _, r := range rows {
		s := "-"
		if r[1].Tag == mvi {
			s = r[1].Value.(string)
		}
		got = append(got, s)
		keys[string(r[2].Value.([]byte))] = true
	}
	if !slices.Equal(got, []string{"red", "blue", "-", "green"}) || len(keys) != 4 {
		t.Errorf("MVI rows = %v (%d keys), want [red blue - green] with 4 distinct keys", got, len(keys))
	}
	v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mvi, Order: mapispi.SortAscend}}})
	v.Restrict(ctx, mapispi.ExistRestriction{Tag: mvi})
	rows, _ = v.QueryRows(ctx, 10)
	got = nil
	for _, r := range rows {
		got = append(got, r[1].Value.(string))
	}
	if !slices.Equal(got, []string{"blue", "green", "red"}) {
		t.Errorf("MVI rows sorted = %v, want [blue green red]", got)
	}
	rec := &recorder{}
	v.Advise(ctx, rec)
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(1)}, {Tag: tagKeyword, Value: []string{"red"}}})
	n := rec.take(t, td)
	events := map[mapispi.TableEvent]int{}
	for _, x := range n {
		events[x.Event]++
	}
	if events[mapispi.TableRowDeleted] != 1 || events[mapispi.TableRowModified] != 1 {
		t.Errorf("dropping one value sent %v, want one modified and one deleted", n)
	}
	other := mapispi.NewPropTag(mapispi.PtUnicode|mapispi.MVFlag|mapispi.MVInstance, 0x8009)
	if err := v.SetColumns(ctx, []mapispi.PropTag{other}); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("SetColumns(a second MVI column) = %v, want ErrTooComplex", err)
	}
	if err := v.SetColumns(ctx, []mapispi.PropTag{tagKey}); err != nil {
		t.Errorf("SetColumns dropping the MVI column the sort uses = %v, want nil", err)
	}
}

func TestTableData(t *testing.T) {
	if _, err := mapiutil.NewTableData(tagKeyword, []mapispi.PropTag{tagKey}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("NewTableData(MV index) = %v, want ErrInvalidParameter", err)
	}
	if _, err := mapiutil.NewTableData(tagKey, nil); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("NewTableData(no columns) = %v, want ErrInvalidParameter", err)
	}
	td, v := newTable(t, 3)
	row, i, err := td.QueryRow(keyOf(2))
	if err != nil || i != 1 || row[1].Value != "s2" {
		t.Errorf("QueryRow(2) = %v, %d, %v", row, i, err)
	}
	row[1].Value = "changed" // a copy
	if r, _ := td.EnumRow(1); r[1].Value != "s2" {
		t.Errorf("EnumRow(1) = %v after changing QueryRow's copy", r)
	}
	if _, ok := td.EnumRow(3); ok {
		t.Error("EnumRow(3) found a row")
	}
	if _, ok := td.EnumRow(-1); ok {
		t.Error("EnumRow(-1) found a row")
	}
	if _, _, err := td.QueryRow(keyOf(9)); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("QueryRow(9) = %v, want ErrNotFound", err)
	}
	if _, _, err := td.QueryRow(mapispi.PropValue{Tag: tagSize, Value: int32(1)}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("QueryRow(other column) = %v, want ErrInvalidParameter", err)
	}
	if err := td.ModifyRow(mapispi.Row{{Tag: tagSubject, Value: "no key"}}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("ModifyRow(no key) = %v, want ErrInvalidParameter", err)
	}
	if err := td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: "wrong"}}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("ModifyRow(bad key value) = %v, want ErrInvalidParameter", err)
	}
	if err := td.ModifyRows([]mapispi.Row{msg(8, "ok", 1), {{Tag: tagKey, Value: int32(9)}, {Tag: tagSize, Value: "bad"}}}); !errors.Is(err, mapispi.ErrInvalidParameter) || td.RowCount() != 3 {
		t.Errorf("ModifyRows with one bad row = %v, %d rows, want ErrInvalidParameter and nothing stored", err, td.RowCount())
	}
	bin := []byte("mutable")
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(4)}, {Tag: tagEntryID, Value: bin}})
	bin[0] = 'X'
	if r, _, _ := td.QueryRow(keyOf(4)); string(r[1].Value.([]byte)) != "mutable" {
		t.Errorf("stored row changed with the caller's slice: %v", r)
	}
	if err := td.DeleteRow(keyOf(9)); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("DeleteRow(9) = %v, want ErrNotFound", err)
	}
	if n, err := td.DeleteRows([]mapispi.PropValue{keyOf(1), keyOf(9), keyOf(2)}); n != 2 || err != nil {
		t.Errorf("DeleteRows = %d, %v, want 2, nil", n, err)
	}
	if _, err := td.DeleteRows([]mapispi.PropValue{{Tag: tagSubject, Value: "x"}}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("DeleteRows(bad key) = %v, want ErrInvalidParameter", err)
	}
	if n := td.DeleteAllRows(); n != 2 || td.RowCount() != 0 {
		t.Errorf("DeleteAllRows = %d, leaving %d", n, td.RowCount())
	}
	if n, _ := v.RowCount(ctx); n != 0 {
		t.Errorf("view RowCount after DeleteAllRows = %d", n)
	}
	// Binary and string index columns.
	for _, idx := range []mapispi.PropValue{
		{Tag: mapispi.PropEntryID, Value: []byte{1, 2}},
		{Tag: mapispi.PropSubject, Value: "k"},
	} {
		td, err := mapiutil.NewTableData(idx.Tag, []mapispi.PropTag{idx.Tag})
		if err != nil {
			t.Fatal(err)
		}
		td.ModifyRow(mapispi.Row{idx})
		td.ModifyRow(mapispi.Row{idx, {Tag: tagSize, Value: int32(1)}})
		if td.RowCount() != 1 {
			t.Errorf("index %v: %d rows after replacing one, want 1", idx.Tag, td.RowCount())
		}
	}
}

func TestViewClose(t *testing.T) {
	td, v := newTable(t, 3)
	if err := v.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(ctx); !errors.Is(err, mapispi.ErrInvalidObject) {
		t.Errorf("second Close = %v, want ErrInvalidObject", err)
	}
	td.ModifyRow(msg(9, "x", 1))
	var table mapispi.Table = v
	if _, err := table.QueryRows(ctx, 1); !errors.Is(err, mapispi.ErrInvalidObject) {
		t.Errorf("QueryRows on a closed view = %v, want ErrInvalidObject", err)
	}
	if _, err := table.RowCount(ctx); !errors.Is(err, mapispi.ErrInvalidObject) {
		t.Errorf("RowCount on a closed view = %v, want ErrInvalidObject", err)
	}
}

// TestViewConcurrent runs changes and reads at once, for -race.
func TestViewConcurrent(t *testing.T) {
	td, v := newTable(t, 10)
	v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortDescend}}})
	v.Advise(ctx, &recorder{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				k := int32(w*1000 + i%20)
				if i%3 == 0 {
					td.DeleteRow(keyOf(k))
				} else {
					td.ModifyRow(msg(k, "c", int32(i)))
				}
				v.QueryRows(ctx, 5)
				v.SeekRow(ctx, mapispi.BookmarkBeginning, i%7)
			}
		}()
	}
	wg.Wait()
	n, _ := v.RowCount(ctx)
	if n != td.RowCount() {
		t.Errorf("view has %d rows, table data %d", n, td.RowCount())
	}
}

// TestViewLarge changes thousands of rows under a sorted, restricted view
// and an unsorted one, and checks both against a model and that a cursor
// stays on its row: it reaches the parts of the views' trees that small
// tables never do.
func TestViewLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	words := []string{"alpha", "beta", "gamma", "ré", "Ω"}
	subject := func() string {
		// Long shared beginnings, so that many rows tie on their first bytes.
		return "Re: quarterly budget meeting notes " + words[r.IntN(len(words))] + fmt.Sprint(r.IntN(50))
	}
	td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagSubject, tagSize})
	if err != nil {
		t.Fatal(err)
	}
	model := map[int32]mapispi.Row{}
	var order []int32
	put := func(k int32) {
		row := msg(k, subject(), int32(r.IntN(1000)))
		if err := td.ModifyRow(row); err != nil {
			t.Fatal(err)
		}
		if model[k] == nil {
			order = append(order, k)
		}
		model[k] = row
	}
	for k := range int32(2000) {
		put(k)
	}
	sorted, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	sorts := mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortDescend}, {Tag: tagSize, Order: mapispi.SortAscend}}}
	if err := sorted.SortTable(ctx, sorts); err != nil {
		t.Fatal(err)
	}
	if err := sorted.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(800))); err != nil {
		t.Fatal(err)
	}
	want := func() []int32 {
		var out []int32
		for _, k := range order {
			if model[k][2].Value.(int32) < 800 {
				out = append(out, k)
			}
		}
		slices.SortStableFunc(out, func(a, b int32) int {
			if c := mapiutil.CompareProps(model[b][1], model[a][1]); c != 0 {
				return c
			}
			return mapiutil.CompareProps(model[a][2], model[b][2])
		})
		return out
	}
	// The cursor of the plain view sits on a row no step touches.
	const pinned = 1000
	if _, err := plain.SeekRow(ctx, mapispi.BookmarkBeginning, pinned); err != nil {
		t.Fatal(err)
	}
	next := int32(2000)
	for step := range 3000 {
		switch op := r.IntN(3); {
		case op == 0:
			put(next)
			next++
		case op == 1:
			if k := order[r.IntN(len(order))]; k != pinned {
				put(k)
			}
		default:
			if k := order[r.IntN(len(order))]; k != pinned {
				if err := td.DeleteRow(keyOf(k)); err != nil {
					t.Fatal(err)
				}
				delete(model, k)
				order = slices.DeleteFunc(order, func(x int32) bool { return x == k })
			}
		}
		if step%500 != 499 {
			continue
		}
		pos, err := plain.QueryPosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pos.Row, slices.Index(order, pinned); got != want {
			t.Fatalf("step %d: plain view's cursor at %d, want %d (its row's index)", step, got, want)
		}
		if got := keys(t, plain, 1); !slices.Equal(got, []int32{pinned}) {
			t.Fatalf("step %d: the row at the plain view's cursor is %v, want [%d]", step, got, pinned)
		}
		if _, err := plain.SeekRow(ctx, mapispi.BookmarkCurrent, -1); err != nil {
			t.Fatal(err)
		}
		if got, want := allKeys(t, sorted), want(); !slices.Equal(got, want) {
			t.Fatalf("step %d: sorted view has %d rows, want %d, or another order", step, len(got), len(want))
		}
	}
	var got []int32
	for i := 0; ; i += 100 {
		if err := plain.SeekRowApprox(ctx, i, len(order)); err != nil {
			t.Fatal(err)
		}
		if i >= len(order) {
			break
		}
		got = append(got, keys(t, plain, 100)...)
	}
	if !slices.Equal(got, order) {
		t.Fatalf("plain view read in pages has %d rows, want %d in insertion order", len(got), len(order))
	}
	// FindRow walks across many leaves both ways.
	for _, tc := range []struct {
		origin mapispi.Bookmark
		flags  mapispi.FindFlags
		want   int32
	}{
		{mapispi.BookmarkBeginning, 0, order[len(order)-2]},
		{mapispi.BookmarkEnd, mapispi.FindBackward, order[1]},
	} {
		if _, err := plain.FindRow(ctx, prop(mapispi.RelopEQ, tagKey, tc.want), tc.origin, tc.flags); err != nil {
			t.Fatalf("FindRow(%d, flags %d) = %v", tc.want, tc.flags, err)
		}
		if got := keys(t, plain, 1); !slices.Equal(got, []int32{tc.want}) {
			t.Errorf("FindRow(%d, flags %d) stopped on %v", tc.want, tc.flags, got)
		}
	}
}

// TestTableDataIndexValues checks which index values name the same row,
// for index columns of each kind: short and long values, values that
// differ only in their length or far from their start, and times.
func TestTableDataIndexValues(t *testing.T) {
	long := strings.Repeat("x", 20)
	zone := time.FixedZone("UTC+1", 3600)
	instant := time.Date(2024, 3, 1, 12, 0, 0, 5, time.UTC)
	tests := []struct {
		name string
		a, b mapispi.PropValue
		same bool
	}{
		{"PT_LONG", mapispi.PropValue{Tag: tagKey, Value: int32(1)}, mapispi.PropValue{Tag: tagKey, Value: int32(-1)}, false},
		{"binary length", bin([]byte("ab")), bin([]byte("ab\x00")), false},
		{"binary equal", bin([]byte("ab")), bin([]byte("ab")), true},
		{"binary of 17 bytes", bin([]byte(long[:17])), bin([]byte(long[:16])), false},
		{"long binary, late difference", bin([]byte(long + "1")), bin([]byte(long + "2")), false},
		{"long binary equal", bin([]byte(long)), bin([]byte(long)), true},
		{"string and 8-bit string", mapispi.PropValue{Tag: mapispi.PropSubject, Value: long}, mapispi.PropValue{Tag: mapispi.PropSubject.WithType(mapispi.PtString8), Value: long}, true},
		{"time in two zones", systime(instant), systime(instant.In(zone)), true},
		{"time a nanosecond apart", systime(instant), systime(instant.Add(1)), false},
		{"times centuries apart", systime(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)), systime(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)), false},
		{"CLSID", clsid(mapispi.UID{1}), clsid(mapispi.UID{1, 0, 1}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			td, err := mapiutil.NewTableData(tc.a.Tag, []mapispi.PropTag{tc.a.Tag})
			if err != nil {
				t.Fatal(err)
			}
			if err := td.ModifyRows([]mapispi.Row{{tc.a}, {tc.b}}); err != nil {
				t.Fatal(err)
			}
			want := 2
			if tc.same {
				want = 1
			}
			if n := td.RowCount(); n != want {
				t.Errorf("RowCount() = %d after adding %v and %v, want %d", n, tc.a, tc.b, want)
			}
			if _, _, err := td.QueryRow(tc.b); err != nil {
				t.Errorf("QueryRow(%v) = %v", tc.b, err)
			}
			if err := td.DeleteRow(tc.a); err != nil {
				t.Errorf("DeleteRow(%v) = %v", tc.a, err)
			}
			if n := td.RowCount(); n != want-1 {
				t.Errorf("RowCount() = %d after deleting %v, want %d", n, tc.a, want-1)
			}
		})
	}
}

func clsid(u mapispi.UID) mapispi.PropValue {
	return mapispi.PropValue{Tag: mapispi.NewPropTag(mapispi.PtCLSID, 0x8001), Value: u}
}

func bin(b []byte) mapispi.PropValue { return mapispi.PropValue{Tag: mapispi.PropEntryID, Value: b} }

func systime(t time.Time) mapispi.PropValue {
	return mapispi.PropValue{Tag: mapispi.NewPropTag(mapispi.PtSysTime, 0x0E06), Value: t}
}

// TestViewRestrictOnInstanceKey restricts, sorts and searches a view on
// the PR_INSTANCE_KEY values it makes, which restrictions see like any
// other column.
func TestViewRestrictOnInstanceKey(t *testing.T) {
	td, _ := newTable(t, 4)
	keyed, err := td.View([]mapispi.PropTag{tagKey, mapispi.PropInstanceKey})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := keyed.QueryRows(ctx, 10)
	if err != nil || len(rows) != 4 {
		t.Fatalf("QueryRows = %v, %v", rows, err)
	}
	third := rows[2][1] // row 3's instance key in keyed
	if err := keyed.Restrict(ctx, prop(mapispi.RelopEQ, mapispi.PropInstanceKey, third.Value)); err != nil {
		t.Fatal(err)
	}
	if got := allKeys(t, keyed); !slices.Equal(got, []int32{3}) {
		t.Errorf("rows whose PR_INSTANCE_KEY is row 3's = %v, want [3]", got)
	}
	if err := keyed.Restrict(ctx, mapispi.ExistRestriction{Tag: mapispi.PropInstanceKey.WithType(mapispi.PtUnspecified)}); err != nil {
		t.Fatal(err)
	}
	if err := keyed.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropInstanceKey, Order: mapispi.SortDescend}}}); err != nil {
		t.Fatal(err)
	}
	if got := allKeys(t, keyed); !slices.Equal(got, []int32{4, 3, 2, 1}) {
		t.Errorf("rows sorted by descending PR_INSTANCE_KEY = %v, want [4 3 2 1] (keys made in insertion order)", got)
	}
	res, err := keyed.FindRow(ctx, prop(mapispi.RelopEQ, mapispi.PropInstanceKey, third.Value), mapispi.BookmarkBeginning, 0)
	if err != nil || res.PositionChanged {
		t.Fatalf("FindRow(row 3's key) = %+v, %v", res, err)
	}
	if got := keys(t, keyed, 1); !slices.Equal(got, []int32{3}) {
		t.Errorf("FindRow(row 3's key) stopped on %v, want [3]", got)
	}
}

func TestAdviseRefusesNilSinks(t *testing.T) {
	td, err := mapiutil.NewTableData(mapispi.PropInstanceKey, []mapispi.PropTag{mapispi.PropInstanceKey})
	if err != nil {
		t.Fatal(err)
	}
	v, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(ctx)
	for name, sink := range map[string]mapispi.TableSink{"nil": nil, "nil TableSinkFunc": mapispi.TableSinkFunc(nil)} {
		if _, err := v.Advise(context.Background(), sink); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("Advise(%s) = %v, want ErrInvalidParameter", name, err)
		}
	}
	// A later change notifies nobody and does not panic.
	if err := td.ModifyRow(mapispi.Row{{Tag: mapispi.PropInstanceKey, Value: []byte{1}}}); err != nil {
		t.Fatal(err)
	}
}

// TestQueryRowsValuesAreTheCallers: the rows QueryRows returns share
// their allocations, yet each binary value is the caller's own: changing
// or appending to one changes no other row and nothing in the table.
func TestQueryRowsValuesAreTheCallers(t *testing.T) {
	td := entryIDTable(t, 3)
	v, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(ctx)
	rows, err := v.QueryRows(ctx, 3)
	if err != nil || len(rows) != 3 {
		t.Fatalf("QueryRows(3) = %d rows, %v", len(rows), err)
	}
	first := rows[0][1].Value.([]byte)
	first[1] = 0xEE
	_ = append(first, 0xFF, 0xFF)
	rows[0] = append(rows[0], mapispi.PropValue{Tag: tagSubject, Value: "extra"})
	if got := rows[1][1].Value.([]byte); !bytes.Equal(got, []byte{1, 1}) {
		t.Errorf("row 1's PR_ENTRYID after the caller changed row 0's = %X, want 0101", got)
	}
	if rows[1][0].Value != int32(1) {
		t.Errorf("row 1's key after the caller appended to row 0 = %v, want 1", rows[1][0].Value)
	}
	if _, err := v.SeekRow(ctx, mapispi.BookmarkBeginning, 0); err != nil {
		t.Fatal(err)
	}
	again, _ := v.QueryRows(ctx, 1)
	if got := again[0][1].Value.([]byte); !bytes.Equal(got, []byte{0, 0}) {
		t.Errorf("the table's row 0 PR_ENTRYID after the caller changed its copy = %X, want 0000", got)
	}
}

// TestSortedRowsAreTheCallers: a sorted view keeps its rows' binary
// values in its own memory, laid out in view order; the copies QueryRows
// returns are still the caller's, before and after a row changes.
func TestSortedRowsAreTheCallers(t *testing.T) {
	td := entryIDTable(t, 4)
	v, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(ctx)
	if err := v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagKey, Order: mapispi.SortDescend}}}); err != nil {
		t.Fatal(err)
	}
	entryIDs := func() []string {
		t.Helper()
		if _, err := v.SeekRow(ctx, mapispi.BookmarkBeginning, 0); err != nil {
			t.Fatal(err)
		}
		rows, err := v.QueryRows(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rows {
			b := r[1].Value.([]byte)
			ids = append(ids, fmt.Sprintf("%X", b))
			b[0] = 0xEE // the caller's copy
		}
		return ids
	}
	want := []string{"0303", "0202", "0101", "0000"}
	if got := entryIDs(); !slices.Equal(got, want) {
		t.Fatalf("sorted PR_ENTRYIDs = %v, want %v", got, want)
	}
	if got := entryIDs(); !slices.Equal(got, want) {
		t.Errorf("sorted PR_ENTRYIDs after the caller changed its copies = %v, want %v", got, want)
	}
	if err := td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(2)}, {Tag: tagEntryID, Value: []byte{9, 9}}}); err != nil {
		t.Fatal(err)
	}
	want[1] = "0909"
	for range 2 {
		if got := entryIDs(); !slices.Equal(got, want) {
			t.Errorf("sorted PR_ENTRYIDs after a row changed = %v, want %v", got, want)
		}
	}
}

// entryIDTable returns table data with rows 0..n-1, each with key k and
// PR_ENTRYID {k, k}.
func entryIDTable(t *testing.T, n int32) *mapiutil.TableData {
	t.Helper()
	td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagEntryID})
	if err != nil {
		t.Fatal(err)
	}
	for k := range n {
		if err := td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: k}, {Tag: tagEntryID, Value: []byte{byte(k), byte(k)}}}); err != nil {
			t.Fatal(err)
		}
	}
	return td
}
