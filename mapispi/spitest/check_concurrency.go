package spitest

import (
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
)

// workers is how many goroutines each concurrent phase runs.
const workers = 8

// answer is what a comparison gave.
type answer struct {
	same bool
	err  bool
}

func (a answer) String() string {
	if a.err {
		return "an error"
	}
	if a.same {
		return "true"
	}
	return "false"
}

// comparer calls compare until stop is closed (and at least a few times),
// checking that it keeps giving want: the answer it gave with nothing else
// going on.
func (e *env) comparer(what string, want answer, compare func() (bool, error), stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; ; i++ {
		if i >= 4 {
			select {
			case <-stop:
				return
			default:
			}
		}
		same, err := compare()
		if got := (answer{same && err == nil, err != nil}); got != want {
			e.errorf("%s, during concurrent logons and logoffs, gave %s (%v), but %s alone", what, got, err, want)
			return
		}
	}
}

// sample returns compare's answer.
func sample(compare func() (bool, error)) answer {
	same, err := compare()
	return answer{same && err == nil, err != nil}
}

func checkConcurrency(e *env) {
	s := e.session(2, sessOpts{})
	p := e.provider(s, 0)
	id, other := e.store(0).id, e.store(1).id
	e.mustLogon(s, 1, rw) // store 1 stays open throughout
	comparisons := []struct {
		what string
		f    func() (bool, error)
	}{
		{"CompareStoreIDs of a store's ID and a copy", func() (bool, error) { return e.compare(p, id, id) }},
		{"CompareStoreIDs of two stores' IDs", func() (bool, error) { return e.compare(p, id, other) }},
	}
	stop := make(chan struct{})
	var cwg sync.WaitGroup
	for _, c := range comparisons {
		want := sample(c.f)
		for range workers / 4 {
			cwg.Add(1)
			go e.comparer(c.what, want, c.f, stop, &cwg)
		}
	}

	// Phase 1: concurrent logons of one store.
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

	// Phase 2: logoffs racing new logons.
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
				_, err := e.logon(s, 0, rw)
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
	e.close(s)

	// Phase 3: the same through a session, as clients call MAPI.
	hs := e.session(2, sessOpts{})
	opened, err := hs.OpenMsgStore(e.ctx, e.tableID(hs, 1), rw)
	if err != nil {
		e.fatalf("precondition: OpenMsgStore failed: %w", err)
	}
	defer opened.Close(e.ctx)
	wrapped, wrappedOther := e.tableID(hs, 0), e.tableID(hs, 1)
	comparisons = []struct {
		what string
		f    func() (bool, error)
	}{
		{"the session's CompareEntryIDs of one store's ID", func() (bool, error) { return hs.CompareEntryIDs(e.ctx, wrapped, wrapped) }},
		{"the session's CompareEntryIDs of two stores' IDs", func() (bool, error) { return hs.CompareEntryIDs(e.ctx, wrapped, wrappedOther) }},
	}
	wants := make([]answer, len(comparisons))
	for i, c := range comparisons {
		wants[i] = sample(c.f)
	}
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
				for j, c := range comparisons {
					if got := sample(c.f); got != wants[j] {
						e.errorf("%s, during concurrent opens, gave %s, but %s alone", c.what, got, wants[j])
					}
				}
				if i%3 == 0 {
					if _, err := st.StoreLogoff(e.ctx, mapispi.LogoffOrderly); err != nil {
						return err
					}
				}
				return st.Close(e.ctx)
			})
			if err != nil && !failed.Swap(true) {
				e.errorf("concurrent OpenMsgStore, StoreLogoff and Close through a session: %v", err)
			}
		}()
	}
	wg.Wait()
}
