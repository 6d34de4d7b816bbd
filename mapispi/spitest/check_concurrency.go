package spitest

import (
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
)

// workers is how many goroutines each concurrent phase runs.
const workers = 8

// comparer calls CompareStoreIDs on p until stop is closed (and at least
// a few times), checking that the answers do not change under load.
func (e *env) comparer(p mapispi.MSProvider, same, other mapispi.EntryID, stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; ; i++ {
		if i >= 4 {
			select {
			case <-stop:
				return
			default:
			}
		}
		if got, err := e.compare(p, same, same); err != nil || !got {
			e.errorf("CompareStoreIDs of a store's ID and a copy, during concurrent logons and logoffs, = %v, %v; want true", got, err)
			return
		}
		if got, err := e.compare(p, same, other); err != nil || got {
			e.errorf("CompareStoreIDs of two stores' IDs, during concurrent logons and logoffs, = %v, %v; want false", got, err)
			return
		}
	}
}

func checkConcurrency(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	id, other := e.store(0).id, e.store(1).id
	e.mustLogon(s, 1, rw) // store 1 stays open throughout

	// Phase 1: concurrent logons of one store, under comparisons.
	stop := make(chan struct{})
	var cwg sync.WaitGroup
	for range workers / 2 {
		cwg.Add(1)
		go e.comparer(p, id, other, stop, &cwg)
	}
	logons := make([]*logon, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := protect(func() error {
				l, err := e.logon(s, 0, rw)
				logons[i] = l
				return err
			})
			if err != nil {
				e.errorf("concurrent Logon of one store: %v", err)
			}
		}()
	}
	wg.Wait()
	var first mapispi.MsgStore
	for _, l := range logons {
		if l == nil {
			continue
		}
		if first == nil {
			first = l.st
		} else if same, known := sameObject(first, l.st); known && !same {
			e.errorf("concurrent Logons of one store by one provider object returned different MsgStores: two first logons")
			break
		}
	}

	// Phase 2: logoffs racing new logons, under comparisons.
	var more []*logon
	var mu sync.Mutex
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := protect(func() error {
				if l := logons[i]; l != nil && l.ml != nil {
					if err := l.ml.Logoff(e.ctx); err != nil && !isCode(err, mapispi.ErrInvalidObject) {
						return err
					}
				}
				l, err := e.logon(s, 0, rw)
				if err == nil {
					mu.Lock()
					more = append(more, l)
					mu.Unlock()
				}
				return err
			})
			if err != nil {
				e.errorf("concurrent Logon and Logoff of one store: %v", err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	cwg.Wait()
	for _, l := range more {
		if l.ml != nil {
			if err := protect(func() error { return l.ml.Logoff(e.ctx) }); err != nil && !isCode(err, mapispi.ErrInvalidObject) {
				e.errorf("IMSLogon::Logoff after concurrent logons: %v", err)
			}
		}
	}

	// Phase 3: the same through a session, as clients call MAPI.
	hs := e.session(2, sessOpts{})
	if _, err := hs.OpenMsgStore(e.ctx, e.tableID(hs, 1), rw); err != nil {
		e.fatalf("precondition: OpenMsgStore failed: %w", err)
	}
	wrapped, wrappedOther := e.tableID(hs, 0), e.tableID(hs, 1)
	var failed atomic.Bool
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := protect(func() error {
				st, err := hs.OpenMsgStore(e.ctx, wrapped, rw)
				if err != nil {
					return err
				}
				if same, err := hs.CompareEntryIDs(e.ctx, wrapped, wrapped); err != nil || !same {
					e.errorf("the session's CompareEntryIDs of one store's ID, during concurrent opens, = %v, %v; want true", same, err)
				}
				if same, err := hs.CompareEntryIDs(e.ctx, wrapped, wrappedOther); err != nil || same {
					e.errorf("the session's CompareEntryIDs of two stores' IDs, during concurrent opens, = %v, %v; want false", same, err)
				}
				if i%3 == 0 {
					if _, err := st.StoreLogoff(e.ctx, mapispi.LogoffOrderly); err != nil && !isCode(err, mapispi.ErrInvalidObject) {
						return err
					}
				}
				return nil
			})
			if err != nil && !failed.Swap(true) {
				e.errorf("concurrent OpenMsgStore and StoreLogoff through a session: %v", err)
			}
		}()
	}
	wg.Wait()
}
