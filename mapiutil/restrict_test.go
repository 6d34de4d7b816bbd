package mapiutil_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// TestRestrictKeepsACopy: changing or reusing a restriction after
// Restrict changes nothing in the view, even made cyclic.
func TestRestrictKeepsACopy(t *testing.T) {
	td, v := newTable(t, 0)
	and := &mapispi.AndRestriction{Res: []mapispi.Restriction{
		mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: tagEntryID, Prop: mapispi.PropValue{Tag: tagEntryID, Value: []byte("a")}},
	}}
	if err := v.Restrict(ctx, and); err != nil {
		t.Fatal(err)
	}
	// The caller reuses its value: another restriction, a changed byte
	// slice, then a cycle.
	and.Res[0].(mapispi.PropertyRestriction).Prop.Value.([]byte)[0] = 'b'
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(1)}, {Tag: tagEntryID, Value: []byte("a")}})
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(2)}, {Tag: tagEntryID, Value: []byte("b")}})
	and.Res[0] = prop(mapispi.RelopRE, tagSubject, "unvalidated")
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(3)}, {Tag: tagEntryID, Value: []byte("a")}})
	and.Res[0] = and
	td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(4)}, {Tag: tagEntryID, Value: []byte("a")}})
	if got := allKeys(t, v); !slices.Equal(got, []int32{1, 3, 4}) {
		t.Errorf("rows after the caller changed its restriction = %v, want [1 3 4] (entry ID \"a\")", got)
	}
	if err := v.Restrict(ctx, and); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("Restrict(a cyclic restriction) = %v, want ErrTooComplex", err)
	}
}

type panickingRows struct{}

func (panickingRows) SubRows() ([]mapispi.Row, error) { panic("a provider's bug") }

// TestSubRowsPanic: a SubRows source that panics is a failed evaluation,
// never a panic in ModifyRow, and never leaves the table locked.
func TestSubRowsPanic(t *testing.T) {
	td, v := newTable(t, 1)
	sub := mapispi.SubRestriction{Object: mapispi.PropMessageRecipients, Res: mapispi.ExistRestriction{Tag: tagSubject}}
	if err := v.Restrict(ctx, sub); err != nil && !errors.Is(err, mapispi.ErrTooComplex) {
		t.Fatal(err)
	}
	row := mapispi.Row{{Tag: tagKey, Value: int32(7)}, {Tag: mapispi.PropMessageRecipients, Value: panickingRows{}}}
	within(t, "ModifyRow", func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("ModifyRow panicked: %v", p)
			}
		}()
		td.ModifyRow(row)
	})
	within(t, "RowCount after a panicking SubRows", func() { td.RowCount() })
	if ok, err := mapiutil.Match(sub, row); ok || !errors.Is(err, mapispi.ErrCallFailed) {
		t.Errorf("Match(a panicking SubRows) = %v, %v, want false, ErrCallFailed", ok, err)
	}
}

// TestColumnChecks: the argument checks the docs promise.
func TestColumnChecks(t *testing.T) {
	errTag := tagSubject.WithType(mapispi.PtError)
	mvi1 := tagKeyword.WithType(tagKeyword.Type() | mapispi.MVInstance)
	mvi2 := mapispi.NewPropTag(mapispi.PtLong|mapispi.MVFlag|mapispi.MVInstance, 0x8005)
	if _, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, errTag}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("NewTableData(a PT_ERROR column) = %v, want ErrInvalidParameter", err)
	}
	if _, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{mvi1, mvi2}); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("NewTableData(two MVI columns) = %v, want ErrTooComplex", err)
	}
	td, v := newTable(t, 2)
	if _, err := td.View([]mapispi.PropTag{errTag}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("View(a PT_ERROR column) = %v, want ErrInvalidParameter", err)
	}
	if err := v.SetColumns(ctx, []mapispi.PropTag{tagKey, errTag}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SetColumns(a PT_ERROR column) = %v, want ErrInvalidParameter", err)
	}
	if err := v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: errTag}}}); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SortTable(a PT_ERROR tag) = %v, want ErrInvalidParameter", err)
	}
	if err := v.SetColumns(ctx, []mapispi.PropTag{tagKey, tagSubject.WithType(mapispi.PtError | mapispi.MVFlag)}); err != nil {
		t.Errorf("SetColumns(a PT_MV_ERROR column) = %v, want nil (FBadColumnSet accepts it)", err)
	}
}

// blockingRows is a SubRows source that waits for release, telling
// entered when it is called.
type blockingRows struct {
	entered chan<- struct{}
	release <-chan struct{}
}

func (b blockingRows) SubRows() ([]mapispi.Row, error) {
	select {
	case b.entered <- struct{}{}:
	default:
	}
	<-b.release
	return nil, nil
}

// TestEvaluationDoesNotBlockTheTable: while Restrict or FindRow evaluates
// a restriction, other readers and writers of the table go on; a context
// that ends stops the evaluation.
func TestEvaluationDoesNotBlockTheTable(t *testing.T) {
	sub := mapispi.SubRestriction{Object: mapispi.PropMessageRecipients, Res: mapispi.ExistRestriction{Tag: tagSubject}}
	for _, method := range []string{"Restrict", "FindRow"} {
		t.Run(method, func(t *testing.T) {
			td, v := newTable(t, 0)
			entered, release := make(chan struct{}, 1), make(chan struct{})
			var once sync.Once
			t.Cleanup(func() { once.Do(func() { close(release) }) })
			td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(9)}, {Tag: mapispi.PropMessageRecipients, Value: blockingRows{entered, release}}})
			for k := range int32(3) {
				td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: k}, {Tag: mapispi.PropMessageRecipients, Value: subRows{}}})
			}
			done := make(chan error, 1)
			go func() {
				var err error
				if method == "Restrict" {
					err = v.Restrict(ctx, sub)
				} else {
					_, err = v.FindRow(ctx, sub, mapispi.BookmarkBeginning, 0)
				}
				done <- err
			}()
			select {
			case <-entered:
			case <-time.After(wait):
				t.Fatalf("%s never evaluated the row", method)
			}
			within(t, "RowCount during "+method, func() {
				if n, err := v.RowCount(ctx); err != nil || n != 4 {
					t.Errorf("RowCount = %d, %v, want 4", n, err)
				}
			})
			within(t, "ModifyRow during "+method, func() {
				td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(10)}, {Tag: mapispi.PropMessageRecipients, Value: subRows{}}})
			})
			once.Do(func() { close(release) })
			select {
			case err := <-done:
				if want := mapispi.ErrNotFound; method == "Restrict" && err != nil || method == "FindRow" && !errors.Is(err, want) {
					t.Errorf("%s = %v, want nil (Restrict) or ErrNotFound (FindRow)", method, err)
				}
			case <-time.After(wait):
				t.Fatalf("%s did not return", method)
			}
		})
	}
	// A context that has ended is honoured.
	td, v := newTable(t, 3)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := v.Restrict(cancelled, prop(mapispi.RelopEQ, tagKey, int32(1))); !errors.Is(err, context.Canceled) {
		t.Errorf("Restrict(a cancelled context) = %v, want context.Canceled", err)
	}
	if _, err := v.FindRow(cancelled, prop(mapispi.RelopEQ, tagKey, int32(1)), mapispi.BookmarkBeginning, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("FindRow(a cancelled context) = %v, want context.Canceled", err)
	}
	if n, _ := v.RowCount(ctx); n != td.RowCount() {
		t.Errorf("RowCount after a cancelled Restrict = %d, want %d (the old restriction)", n, td.RowCount())
	}
}

// TestRestrictSubRestrictionWithoutSource: Restrict answers a
// sub-restriction that cannot be evaluated on a row as Match and FindRow
// do, and keeps the old restriction.
func TestRestrictSubRestrictionWithoutSource(t *testing.T) {
	_, v := newTable(t, 3)
	sub := mapispi.SubRestriction{Object: mapispi.PropMessageRecipients, Res: mapispi.ExistRestriction{Tag: tagSubject}}
	if err := v.Restrict(ctx, sub); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("Restrict(a sub-restriction, rows without a source) = %v, want ErrTooComplex", err)
	}
	if _, err := v.FindRow(ctx, sub, mapispi.BookmarkBeginning, 0); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("FindRow(the same) = %v, want ErrTooComplex", err)
	}
	if n, _ := v.RowCount(ctx); n != 3 {
		t.Errorf("RowCount after the refused Restrict = %d, want 3", n)
	}
}

// TestRestrictBinaryInstanceKeys: a table indexed by PR_INSTANCE_KEY
// (binary, as stores make them) restricts; comparing a row's identity
// before and after the evaluation used to panic comparing two []byte.
func TestRestrictBinaryInstanceKeys(t *testing.T) {
	td, err := mapiutil.NewTableData(mapispi.PropInstanceKey, []mapispi.PropTag{mapispi.PropInstanceKey, tagKey})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := td.ModifyRow(mapispi.Row{{Tag: mapispi.PropInstanceKey, Value: []byte{byte(i)}}, {Tag: tagKey, Value: int32(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(ctx)
	if err := v.Restrict(ctx, prop(mapispi.RelopGE, tagKey, int32(1))); err != nil {
		t.Fatalf("Restrict(key >= 1) on binary instance keys = %v, want nil", err)
	}
	if n, err := v.RowCount(ctx); n != 2 || err != nil {
		t.Errorf("RowCount() after Restrict(key >= 1) = %d, %v, want 2, nil", n, err)
	}
}

// TestRestrictRowsWithOwnInstanceKeys restricts and searches rows that
// carry their own PR_INSTANCE_KEY, a []byte the view keeps as the row's
// key: checking that such a row has not changed during the evaluation
// must compare its bytes.
func TestRestrictRowsWithOwnInstanceKeys(t *testing.T) {
	td, v := newTable(t, 0)
	for k := range int32(3) {
		if err := td.ModifyRow(append(msg(k, "s", k), mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: []byte{byte(k)}})); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Restrict(ctx, prop(mapispi.RelopGE, tagSize, int32(1))); err != nil {
		t.Fatalf("Restrict(size >= 1) = %v, want nil", err)
	}
	if got := allKeys(t, v); !slices.Equal(got, []int32{1, 2}) {
		t.Errorf("QueryRows after Restrict(size >= 1) = %v, want [1 2]", got)
	}
	if _, err := v.FindRow(ctx, prop(mapispi.RelopEQ, tagSize, int32(2)), mapispi.BookmarkBeginning, 0); err != nil {
		t.Fatalf("FindRow(size == 2) = %v, want nil", err)
	}
	if got := keys(t, v, 1); !slices.Equal(got, []int32{2}) {
		t.Errorf("QueryRows after FindRow(size == 2) = %v, want [2]", got)
	}
}
