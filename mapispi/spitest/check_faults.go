package spitest

import (
	"strings"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

func checkLogonAllocFailure(e *env) {
	checkLogonFaults(e, mapispi.ErrNotEnoughMemory, func(method string) bool {
		return method == "MAPIAllocateBuffer" || method == "MAPIAllocateMore"
	})
}

func checkLogonSupportFailure(e *env) {
	checkLogonFaults(e, mapispi.ErrCallFailed, func(method string) bool {
		// GetMemAllocRoutines cannot fail: it has no error to return.
		return strings.HasPrefix(method, "IMAPISupport::") && method != "IMAPISupport::GetMemAllocRoutines"
	})
}

// checkLogonFaults counts the calls a successful first logon makes, in
// a traced session, and then fails each call that faultable selects, one
// per fresh session, with code (Options.Faults counts a method's calls
// from the session's start, so each session repeats the same steps).
func checkLogonFaults(e *env, code mapispi.SCode, faultable func(method string) bool) {
	s := e.session(1, sessOpts{})
	svc := e.store(0).svc.Name
	p := e.provider(s, 0)
	sup := e.support(s, svc, false)
	start := s.mark()
	res, err := e.rawLogon(s, p, sup, e.store(0).id.Clone(), rw)
	if err != nil {
		e.fatalf("precondition: Logon(%v) failed: %w", rw, err)
	}
	calls := s.traced()
	s.take(res.SpoolSecurity)
	e.close(s)

	counts := make(map[string]int)
	var plan []mapi.Fault
	for i, c := range calls {
		counts[c.Method]++
		if i >= start && faultable(c.Method) && c.SCode == mapispi.OK {
			plan = append(plan, mapi.Fault{Method: c.Method, N: counts[c.Method], Code: code})
		}
	}
	for _, f := range plan {
		fs := e.session(1, sessOpts{faults: []mapi.Fault{f}})
		p := e.provider(fs, 0)
		sup := e.support(fs, svc, false)
		live := fs.heap.Live()
		res, err := e.rawLogon(fs, p, sup, e.store(0).id.Clone(), rw)
		if err == nil {
			e.errorf("Logon succeeded although %s call %d failed with %v", f.Method, f.N, f.Code)
			fs.take(res.SpoolSecurity)
			e.close(fs)
			continue
		}
		if n := fs.heap.Live() - live; n != 0 {
			e.errorf("Logon failed when %s call %d failed, but left %d more buffer(s) live", f.Method, f.N, n)
		}
		l, err := e.logon(fs, 0, rw)
		switch {
		case err != nil:
			e.errorf("after Logon failed when %s call %d failed, a new Logon of the store failed: %v", f.Method, f.N, err)
		case l.ml == nil:
			e.errorf("after Logon failed when %s call %d failed, a new Logon reopened the store (nil MSLogon): the failed Logon left it open", f.Method, f.N)
		}
		e.close(fs)
	}
}
