package msprovider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestStressLogonLogoff runs 32 goroutines x 1,000 logon/logoff cycles on
// shared stores through one provider object, comparing store IDs in
// between, then shuts the provider down: the list ends empty and the heap
// holds nothing. Run it with -race.
func TestStressLogonLogoff(t *testing.T) {
	const workers, cycles, stores = 32, 1000, 8
	iters := cycles
	if testing.Short() {
		iters = 50
	}
	h := newHarness(t)
	ids := make([]mapispi.EntryID, stores)
	for i := range ids {
		ids[i] = h.store(fmt.Sprintf("shared %d", i), "")
	}
	runWorkers(t, workers, func(w int) error {
		ctx := context.Background()
		for i := range iters {
			id := ids[(w+i)%stores]
			res, err := h.p.Logon(ctx, newFakeSupport(h.heap), &mapispi.LogonRequest{EntryID: id, Flags: mapispi.LogonNoDialog})
			if err != nil {
				return fmt.Errorf("worker %d cycle %d: Logon: %w", w, i, err)
			}
			if same, err := h.p.CompareStoreIDs(id, ids[(w+i+1)%stores]); err != nil || same {
				return fmt.Errorf("CompareStoreIDs(different stores) = %v, %v", same, err)
			}
			if err := h.heap.FreeBuffer(res.SpoolSecurity); err != nil {
				return fmt.Errorf("worker %d cycle %d: FreeBuffer(spool security) = %w", w, i, err)
			}
			if res.Logon == nil {
				continue // a reopen: another worker owns the logon
			}
			if i%2 == 0 {
				_, err = res.Store.StoreLogoff(ctx, mapispi.LogoffNoWait)
			} else {
				err = res.Logon.Logoff(ctx)
			}
			if err != nil {
				return fmt.Errorf("worker %d cycle %d: logoff: %w", w, i, err)
			}
		}
		return nil
	})
	if err := h.p.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	st := h.p.Stats()
	if st.OpenStores != 0 || st.Logoffs != st.Logons+st.SpoolerLogons {
		t.Errorf("Stats() = %+v, want an empty list and one logoff per logon", st)
	}
	if err := h.heap.CheckLeaks(); err != nil {
		t.Errorf("CheckLeaks() = %v", err)
	}
	t.Logf("%+v", st)
}

// TestConcurrentLogoffPaths races StoreLogoff, Logoff and Shutdown on the
// same stores: each store leaves the list exactly once and the transports
// are called exactly once per store.
func TestConcurrentLogoffPaths(t *testing.T) {
	const n = 50
	h := newHarness(t)
	sups := make([]*fakeSupport, n)
	results := make([]*mapispi.LogonResult, n)
	for i := range n {
		sups[i] = newFakeSupport(h.heap)
		results[i] = h.mustLogon(sups[i], h.store(fmt.Sprint(i), ""), 0)
		h.free(results[i])
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i].Store.StoreLogoff(ctx, mapispi.LogoffOrderly) })
		wg.Go(func() { results[i].Logon.Logoff(ctx) })
	}
	wg.Go(func() { h.p.Shutdown(ctx) })
	wg.Wait()
	st := h.p.Stats()
	if st.OpenStores != 0 || st.Logoffs != n {
		t.Errorf("Stats() = %+v, want 0 open and %d logoffs", st, n)
	}
	for i, sup := range sups {
		if got := sup.transportCalls(); len(got) != 1 {
			t.Errorf("store %d: StoreLogoffTransports calls = %v, want exactly one", i, got)
		}
		if _, err := results[i].Store.GetPropList(ctx); !errors.Is(err, mapispi.ErrInvalidObject) {
			t.Errorf("store %d GetPropList = %v, want ErrInvalidObject", i, err)
		}
	}
}

// TestConcurrentFirstLogon: many logons of one store racing in one
// provider make one first logon; the others are reopens.
func TestConcurrentFirstLogon(t *testing.T) {
	h := newHarness(t)
	id := h.store("Contended", "")
	const n = 32
	var wg sync.WaitGroup
	results := make([]*mapispi.LogonResult, n)
	sups := make([]*fakeSupport, n)
	for i := range n {
		sups[i] = newFakeSupport(h.heap)
		wg.Go(func() {
			res, err := h.logon(sups[i], id, mapispi.LogonNoDialog)
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = res
		})
	}
	wg.Wait()
	firsts, uidCalls := 0, 0
	for i, r := range results {
		if r == nil {
			continue
		}
		h.free(r)
		if r.Logon != nil {
			firsts++
		}
		if r.Store != results[0].Store {
			t.Errorf("logon %d got another store object", i)
		}
		uidCalls += len(sups[i].uids)
	}
	if firsts != 1 || uidCalls != 1 {
		t.Errorf("first logons = %d, SetProviderUID calls = %d, want 1 and 1", firsts, uidCalls)
	}
	if st := h.p.Stats(); st.Logons != 1 || st.Reopens != n-1 || st.OpenStores != 1 {
		t.Errorf("Stats() = %+v, want 1 logon, %d reopens, 1 open", st, n-1)
	}
}

// runWorkers runs fn for workers 0..n-1 at once and fails t with the
// errors they return.
func runWorkers(t *testing.T, n int, fn func(w int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range n {
		wg.Go(func() {
			if err := fn(w); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
