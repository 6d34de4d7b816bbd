package mapiutil_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// wait bounds every wait of these tests, so that a deadlock fails a test
// instead of hanging it.
const wait = 10 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// within fails the test when f does not return in time.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatalf("%s did not return within %v", what, wait)
	}
}

// mirror is a sink that keeps a copy of a view's rows by applying its
// notifications, as a client's list control does, and checks that it is
// never called on two goroutines at once.
type mirror struct {
	mu      sync.Mutex
	rows    []mapispi.Row // each row's first column is PR_INSTANCE_KEY
	errs    []string
	active  atomic.Int32
	overlap atomic.Bool
}

func (m *mirror) find(key []byte) int {
	return slices.IndexFunc(m.rows, func(r mapispi.Row) bool { return string(r[0].Value.([]byte)) == string(key) })
}

func (m *mirror) OnTableNotify(notes []mapispi.TableNotification) mapispi.CallbackResult {
	if m.active.Add(1) > 1 {
		m.overlap.Store(true)
	}
	defer m.active.Add(-1)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range notes {
		key, _ := n.Index.Value.([]byte)
		switch n.Event {
		case mapispi.TableRowDeleted, mapispi.TableRowModified:
			i := m.find(key)
			if i < 0 {
				m.errs = append(m.errs, n.String()+": no such row")
				continue
			}
			m.rows = slices.Delete(m.rows, i, i+1)
		}
		switch n.Event {
		case mapispi.TableRowAdded, mapispi.TableRowModified:
			at := 0
			if n.Prior.Tag != mapispi.PropNull {
				i := m.find(n.Prior.Value.([]byte))
				if i < 0 {
					m.errs = append(m.errs, n.String()+": no prior row")
					continue
				}
				at = i + 1
			}
			m.rows = slices.Insert(m.rows, at, n.Row)
		case mapispi.TableRowDeleted:
		default:
			m.errs = append(m.errs, n.String()+": unexpected")
		}
	}
	return mapispi.CallbackContinue
}

// TestViewNotifyMirror: two writers change one table; a sink that mirrors
// the view from its notifications ends equal to the view.
func TestViewNotifyMirror(t *testing.T) {
	td, _ := newTable(t, 0)
	v, err := td.View([]mapispi.PropTag{mapispi.PropInstanceKey, tagKey, tagSize})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSize, Order: mapispi.SortAscend}}}); err != nil {
		t.Fatal(err)
	}
	if err := v.Restrict(ctx, prop(mapispi.RelopLT, tagSize, int32(80))); err != nil {
		t.Fatal(err)
	}
	m := &mirror{}
	if _, err := v.Advise(ctx, m); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			// 2 writers x 100 changes stay below the 256 batches a sink
			// may have waiting, so that none becomes TABLE_CHANGED.
			for range 100 {
				k := int32(r.IntN(16)) // both writers change the same rows
				if r.IntN(4) == 0 {
					td.DeleteRow(keyOf(k))
				} else if err := td.ModifyRow(msg(k, "s", int32(r.IntN(100)))); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if err := td.Flush(ctxT(t)); err != nil {
		t.Fatalf("Flush = %v, want nil", err)
	}
	if _, err := v.SeekRow(ctx, mapispi.BookmarkBeginning, 0); err != nil {
		t.Fatal(err)
	}
	want, err := v.QueryRows(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.errs) > 0 {
		t.Fatalf("the mirror could not apply %d notifications, first %s", len(m.errs), m.errs[0])
	}
	if m.overlap.Load() {
		t.Error("the sink ran on two goroutines at once")
	}
	eq := func(a, b mapispi.Row) bool {
		return slices.EqualFunc(a, b, func(x, y mapispi.PropValue) bool { return mapiutil.CompareProps(x, y) == 0 })
	}
	if !slices.EqualFunc(m.rows, want, eq) {
		t.Errorf("the mirror has %d rows %v, the view %d rows %v", len(m.rows), m.rows, len(want), want)
	}
}

// TestViewNotifyOrderAcrossWriters: one goroutine adds a row and another
// deletes it; the sink sees TABLE_ROW_ADDED before TABLE_ROW_DELETED.
func TestViewNotifyOrderAcrossWriters(t *testing.T) {
	td, _ := newTable(t, 0)
	v, err := td.View([]mapispi.PropTag{mapispi.PropInstanceKey, tagKey})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	added := map[string]bool{}
	var bad []string
	v.Advise(ctx, mapispi.TableSinkFunc(func(notes []mapispi.TableNotification) mapispi.CallbackResult {
		mu.Lock()
		defer mu.Unlock()
		for _, n := range notes {
			k := string(n.Index.Value.([]byte))
			switch n.Event {
			case mapispi.TableRowAdded:
				added[k] = true
			case mapispi.TableRowDeleted:
				if !added[k] {
					bad = append(bad, n.String())
				}
				delete(added, k)
			}
		}
		return mapispi.CallbackContinue
	}))
	keys := make(chan int32)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for k := range keys {
			if err := td.DeleteRow(keyOf(k)); err != nil {
				t.Error(err)
			}
		}
	}()
	// 120 rows make 240 batches, below the 256 a sink may have waiting, so
	// that none becomes TABLE_CHANGED.
	for k := range int32(120) {
		if err := td.ModifyRow(msg(k, "a", 1)); err != nil {
			t.Fatal(err)
		}
		keys <- k
	}
	close(keys)
	<-done
	if err := td.Flush(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 || len(added) > 0 {
		t.Errorf("%d deletions arrived before their rows' additions (first %v); %d rows left added", len(bad), bad, len(added))
	}
}

// TestViewUnadviseRacesDelivery: once Unadvise or Close returns, the sink
// is never called again, while writers keep changing the table.
func TestViewUnadviseRacesDelivery(t *testing.T) {
	td, _ := newTable(t, 0)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				td.ModifyRow(msg(int32(w*100+i%50), "x", int32(i)))
			}
		}()
	}
	var late atomic.Int32
	for round := range 40 {
		v, err := td.View(nil)
		if err != nil {
			t.Fatal(err)
		}
		var gone atomic.Bool
		sink := mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
			if gone.Load() {
				late.Add(1)
			}
			time.Sleep(50 * time.Microsecond) // be under way when Unadvise comes
			return mapispi.CallbackContinue
		})
		c, err := v.Advise(ctx, sink)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
		if round%2 == 0 {
			err = v.Unadvise(ctxT(t), c)
		} else {
			err = v.Close(ctxT(t))
		}
		if err != nil {
			t.Fatalf("round %d: Unadvise or Close = %v", round, err)
		}
		gone.Store(true)
		time.Sleep(time.Millisecond)
		if round%2 == 0 {
			v.Close(ctx)
		}
	}
	close(stop)
	wg.Wait()
	if n := late.Load(); n > 0 {
		t.Errorf("sinks were called %d times after Unadvise or Close returned", n)
	}
}

// TestViewSinkCallsBack: a sink may call its view (QueryRows, SetColumns,
// Unadvise of its own connection, Close) and the table data (ModifyRow)
// without deadlock.
func TestViewSinkCallsBack(t *testing.T) {
	td, v := newTable(t, 2)
	other, err := td.View(nil)
	if err != nil {
		t.Fatal(err)
	}
	var conn mapispi.Connection
	steps := make(chan error, 10)
	var once sync.Once
	conn, err = v.Advise(ctx, mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
		once.Do(func() {
			_, err := v.QueryRows(ctx, 10)
			steps <- err
			steps <- v.SetColumns(ctx, []mapispi.PropTag{tagKey, tagSize})
			steps <- td.ModifyRow(msg(50, "from the sink", 5))
			steps <- v.Unadvise(ctx, conn)
			steps <- td.Flush(ctx) // its own later calls are not waited for
		})
		return mapispi.CallbackContinue
	}))
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	other.Advise(ctx, mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
		select {
		case closed <- other.Close(ctx):
		default:
		}
		return mapispi.CallbackContinue
	}))
	within(t, "ModifyRow", func() { td.ModifyRow(msg(9, "x", 1)) })
	for i, name := range []string{"QueryRows", "SetColumns", "ModifyRow", "Unadvise", "Flush"} {
		select {
		case err := <-steps:
			if err != nil {
				t.Errorf("%s from inside the sink = %v, want nil", name, err)
			}
		case <-time.After(wait):
			t.Fatalf("the sink's call %d (%s) did not return within %v", i, name, wait)
		}
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close from inside the sink = %v, want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("Close from inside the sink did not return")
	}
	within(t, "Flush", func() {
		if err := td.Flush(ctxT(t)); err != nil {
			t.Errorf("Flush = %v", err)
		}
	})
	if _, err := other.RowCount(ctx); !errors.Is(err, mapispi.ErrInvalidObject) {
		t.Errorf("RowCount on the view its sink closed = %v, want ErrInvalidObject", err)
	}
	if err := v.Unadvise(ctx, conn); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("Unadvise of the connection the sink removed = %v, want ErrNotFound", err)
	}
}

// TestViewPanickingSink: a sink that panics loses its connection; the
// writer and the other sinks go on.
func TestViewPanickingSink(t *testing.T) {
	td, v := newTable(t, 0)
	var calls atomic.Int32
	v.Advise(ctx, mapispi.TableSinkFunc(func([]mapispi.TableNotification) mapispi.CallbackResult {
		calls.Add(1)
		panic("a client's bug")
	}))
	rec := &recorder{}
	v.Advise(ctx, rec)
	for k := range int32(5) {
		if err := td.ModifyRow(msg(k, "a", 1)); err != nil {
			t.Fatalf("ModifyRow with a panicking sink = %v", err)
		}
	}
	if n := rec.take(t, td); len(n) != 5 {
		t.Errorf("the other sink got %d notifications, want 5", len(n))
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the panicking sink was called %d times, want 1 (then dropped)", n)
	}
}

// TestViewSlowSinkBounded: a sink that falls behind gets one
// TABLE_CHANGED for what waited, not every batch.
func TestViewSlowSinkBounded(t *testing.T) {
	td, v := newTable(t, 0)
	release := make(chan struct{})
	var mu sync.Mutex
	var got []mapispi.TableNotification
	v.Advise(ctx, mapispi.TableSinkFunc(func(n []mapispi.TableNotification) mapispi.CallbackResult {
		<-release
		mu.Lock()
		got = append(got, n...)
		mu.Unlock()
		return mapispi.CallbackContinue
	}))
	for k := range int32(1000) {
		td.ModifyRow(msg(k, "a", 1))
	}
	close(release)
	if err := td.Flush(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) > 300 || got[len(got)-1].Event != mapispi.TableChanged && !slices.ContainsFunc(got, func(n mapispi.TableNotification) bool { return n.Event == mapispi.TableChanged }) {
		t.Errorf("a sink 1000 batches behind got %d notifications, want at most ~257 including a TABLE_CHANGED", len(got))
	}
}
