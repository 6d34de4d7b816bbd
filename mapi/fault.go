package mapi

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Fault makes one call fail, for testing a provider's failure paths: the
// Nth call (counted from 1 within the session) of Method fails with Code,
// whatever its arguments. Method is the C name of an IMAPISupport method
// that can fail ("IMAPISupport::ModifyProfile"; not GetMemAllocRoutines,
// which has no error result), "IMAPISupport::Prompt", or
// "MAPIAllocateBuffer" or "MAPIAllocateMore" (every buffer a provider gets
// from the session, through its Allocator or from a support call such as
// WrapStoreEntryID, counted over every provider of the session).
// Session.UnfiredFaults lists the faults that have not fired.
type Fault struct {
	Method string
	N      int
	Code   mapispi.SCode
}

// faultMethods are the names a Fault may give.
var faultMethods = map[string]bool{
	"MAPIAllocateBuffer": true, "MAPIAllocateMore": true,
	"IMAPISupport::SetProviderUID": true, "IMAPISupport::WrapStoreEntryID": true,
	"IMAPISupport::ModifyProfile": true, "IMAPISupport::ModifyStatusRow": true,
	"IMAPISupport::OpenProfileSection": true, "IMAPISupport::Subscribe": true,
	"IMAPISupport::Unsubscribe": true, "IMAPISupport::Notify": true,
	"IMAPISupport::SpoolerNotify": true, "IMAPISupport::StoreLogoffTransports": true,
	"IMAPISupport::CompareEntryIDs": true, "IMAPISupport::NewUID": true,
	"IMAPISupport::Prompt": true,
}

// faults counts calls by method and fails the ones Options.Faults names.
// A nil *faults fails nothing.
type faults struct {
	list   []Fault // as Options.Faults gave them
	mu     sync.Mutex
	counts map[string]int
	plan   map[string]map[int]mapispi.SCode
}

func newFaults(list []Fault) (*faults, error) {
	if len(list) == 0 {
		return nil, nil
	}
	f := &faults{list: slices.Clone(list), counts: make(map[string]int), plan: make(map[string]map[int]mapispi.SCode)}
	for i, x := range list {
		switch {
		case !faultMethods[x.Method]:
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "mapi.Options", "Faults[%d]: unknown method %q (want a C name such as %q)", i, x.Method, "IMAPISupport::ModifyProfile")
		case x.N < 1:
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "mapi.Options", "Faults[%d]: N is %d, want the call's number counted from 1", i, x.N)
		case !x.Code.Failed():
			return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "mapi.Options", "Faults[%d]: code %v is not a failure", i, x.Code)
		}
		if f.plan[x.Method] == nil {
			f.plan[x.Method] = make(map[int]mapispi.SCode)
		}
		f.plan[x.Method][x.N] = x.Code
	}
	return f, nil
}

// check counts a call of method and returns the injected failure, if any.
func (f *faults) check(method string) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[method]++
	n := f.counts[method]
	if code, ok := f.plan[method][n]; ok {
		short := method[strings.LastIndex(method, ":")+1:]
		return mapispi.Errorf(code, "mapi", "%s call %d fails as Options.Faults asks", short, n)
	}
	return nil
}

// unfired returns the faults whose call has not been made yet.
func (f *faults) unfired() []Fault {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Fault
	for _, x := range f.list {
		if f.counts[x.Method] < x.N {
			out = append(out, x)
		}
	}
	return out
}

// UnfiredFaults returns the faults of Options.Faults that have not fired
// yet, in the order they were given: the calls they name have not been
// made that many times. A test that plans a fault checks here that the
// path it meant to test ran.
func (s *Session) UnfiredFaults() []Fault { return s.faults.unfired() }

// String lists the plan, for messages.
func (x Fault) String() string { return fmt.Sprintf("%s #%d: %v", x.Method, x.N, x.Code) }
