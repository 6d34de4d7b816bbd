package spitest

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
)

// workers is how many goroutines each concurrent phase runs.
const workers = 8

// firstLogonRounds is how many times the Concurrency case releases
// workers first logons of one store at once. A provider that checks
// whether the store is open and then opens it, with no claim in
// between, gives two MsgStores in some of the rounds.
const firstLogonRounds = 24

// firstLogons makes workers logons of the store id names through p at
// the same moment. Each goroutine gets its support object, then waits at
// a barrier that opens once all of them are running: they spin (yielding
// the processor) rather than block, so that on release goroutines on
// every processor call Logon together, instead of waking one by one
// while the first already runs. The support objects yield the processor
// in every call, so that the other logons run while a first logon is in
// a support call, even with one processor. The results are in no order;
// a failed logon is nil and reported.
func (e *env) firstLogons(s *session, p mapispi.MSProvider, id mapispi.EntryID) []*logon {
	sups := make([]*recSupport, workers)
	for i := range sups {
		sups[i] = e.support(s, e.store(0).svc.Name, false)
		sups[i].yield = true
	}
	logons := make([]*logon, workers)
	var arrived atomic.Int32
	var open atomic.Bool
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arrived.Add(1)
			for !open.Load() {
				runtime.Gosched()
			}
			err := protect(func() error {
				res, err := e.rawLogon(s, p, sups[i], id.Clone(), rw)
				if err != nil {
					return err
				}
				logons[i] = &logon{ml: res.Logon, st: res.Store, token: s.take(res.SpoolSecurity), sup: sups[i]}
				return nil
			})
			if err != nil {
				e.errorf("concurrent Logon of one store: %v", err)
			}
		}()
	}
	for arrived.Load() < workers {
		runtime.Gosched()
	}
	open.Store(true)
	wg.Wait()
	return logons
}

// oneStore checks that concurrent logons of one store by one provider
// object gave one MsgStore.
func (e *env) oneStore(logons []*logon, round int) bool {
	var first mapispi.MsgStore
	for _, l := range logons {
		if l == nil {
			continue
		}
		if first == nil {
			first = l.st
		} else if same, known := sameObject(first, l.st); known && !same {
			e.errorf("%d concurrent Logons of one store by one provider object, released together (round %d of %d), returned more than one MsgStore: two first logons of the store ran at once", workers, round+1, firstLogonRounds)
			return false
		}
	}
	return first != nil // else every logon failed, and each was reported
}

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
// going on. It yields the processor after each call, so that comparers
// do not keep the logons they race with waiting for a processor.
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
		runtime.Gosched()
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

	// Phase 1: rounds of concurrent first logons of one store, each
	// released at once by a barrier, and logged off before the next.
	var logons []*logon
rounds:
	for round := range firstLogonRounds {
		logons = e.firstLogons(s, p, id)
		if !e.oneStore(logons, round) {
			break
		}
		if round == firstLogonRounds-1 {
			break // phase 2 logs the last round off
		}
		for _, l := range logons {
			if l == nil || l.ml == nil {
				continue
			}
			if err := protect(func() error { return l.ml.Logoff(e.ctx) }); err != nil && !isCode(err, mapispi.ErrInvalidObject) {
				e.errorf("IMSLogon::Logoff after concurrent first logons: %v", err)
				break rounds
			}
		}
	}
	var wg sync.WaitGroup

	// Phase 2: logoffs racing new logons.
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := protect(func() error {
				if i < len(logons) && logons[i] != nil && logons[i].ml != nil {
					l := logons[i]
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
