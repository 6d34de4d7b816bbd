package spitest

import (
	"github.com/mapiemu/mapiemu/mapispi"
)

const transports = "IMAPISupport::StoreLogoffTransports"

func checkStoreLogoffTransportsOnce(e *env) {
	s := e.session(1, sessOpts{})

	// StoreLogoff records the flag; Close (the release of the store's last
	// reference) calls the transports with the flag recorded last; the
	// IMSLogon::Logoff MAPI makes next does not call them again.
	l := e.mustLogon(s, 0, rw)
	for _, flags := range []mapispi.LogoffFlags{mapispi.LogoffNoWait, mapispi.LogoffOrderly} {
		if _, err := l.st.StoreLogoff(e.ctx, flags); err != nil {
			e.fatalf("precondition: StoreLogoff(%v) failed: %w", flags, err)
		}
	}
	if calls := l.sup.callsOf(transports); len(calls) != 0 {
		e.errorf("StoreLogoff called StoreLogoffTransports (%v): it records the flag, and Close passes it on when the store's last reference goes", calls[0].logoff)
	}
	if err := protect(func() error { return l.st.Close(e.ctx) }); err != nil {
		e.errorf("MsgStore.Close after StoreLogoff: %v, want success", err)
	}
	calls := l.sup.callsOf(transports)
	switch {
	case len(calls) != 1:
		e.errorf("Close after StoreLogoff called StoreLogoffTransports %d times, want once", len(calls))
	case calls[0].logoff != mapispi.LogoffOrderly:
		e.errorf("Close after StoreLogoff(LOGOFF_NO_WAIT), StoreLogoff(LOGOFF_ORDERLY) called StoreLogoffTransports(%v), want the flag recorded last, LOGOFF_ORDERLY", calls[0].logoff)
	}
	_ = protect(func() error { return l.ml.Logoff(e.ctx) })
	if n := len(l.sup.callsOf(transports)); n > len(calls) {
		e.errorf("IMSLogon::Logoff after Close called StoreLogoffTransports again (%d calls in all)", n)
	}

	// Close of a store without StoreLogoff.
	l = e.mustLogon(s, 0, rw)
	if err := protect(func() error { return l.st.Close(e.ctx) }); err != nil {
		e.errorf("MsgStore.Close without StoreLogoff: %v, want success", err)
	}
	calls = l.sup.callsOf(transports)
	switch {
	case len(calls) != 1:
		e.errorf("Close of a store without StoreLogoff called StoreLogoffTransports %d times, want once", len(calls))
	case calls[0].logoff != mapispi.LogoffAbort:
		e.errorf("Close of a store without StoreLogoff called StoreLogoffTransports(%v), want LOGOFF_ABORT", calls[0].logoff)
	}
	_ = protect(func() error { return l.ml.Logoff(e.ctx) })

	// IMSLogon::Logoff with neither (MAPI logging a session off).
	l = e.mustLogon(s, 0, rw)
	if err := l.ml.Logoff(e.ctx); err != nil {
		e.fatalf("precondition: IMSLogon::Logoff failed: %w", err)
	}
	calls = l.sup.callsOf(transports)
	switch {
	case len(calls) != 1:
		e.errorf("IMSLogon::Logoff of a store without Close called StoreLogoffTransports %d times, want once", len(calls))
	case calls[0].logoff != mapispi.LogoffAbort:
		e.errorf("IMSLogon::Logoff of a store without StoreLogoff called StoreLogoffTransports(%v), want LOGOFF_ABORT", calls[0].logoff)
	}
}

// mustBeInvalid checks that every method of l's MsgStore, of its MSLogon
// unless storeOnly, and of status (an object opened through it, or nil),
// returns ErrInvalidObject.
func (e *env) mustBeInvalid(when string, l *logon, status mapispi.Object, storeOnly bool) {
	id := e.store(0).id
	calls := []struct {
		name string
		f    func() error
	}{
		{"MsgStore.GetProps", func() error { _, err := l.st.GetProps(e.ctx, nil); return err }},
		{"MsgStore.GetPropList", func() error { _, err := l.st.GetPropList(e.ctx); return err }},
		{"MsgStore.SetProps", func() error {
			_, err := l.st.SetProps(e.ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "spitest"}})
			return err
		}},
		{"MsgStore.OpenEntry", func() error { _, err := l.st.OpenEntry(e.ctx, nil, 0); return err }},
		{"MsgStore.CompareEntryIDs", func() error { _, err := l.st.CompareEntryIDs(id.Clone(), id.Clone()); return err }},
		{"MsgStore.Close", func() error { return l.st.Close(e.ctx) }},
	}
	if !storeOnly {
		calls = append(calls, []struct {
			name string
			f    func() error
		}{
			{"MSLogon.OpenEntry", func() error { _, err := l.ml.OpenEntry(e.ctx, nil, 0); return err }},
			{"MSLogon.CompareEntryIDs", func() error { _, err := l.ml.CompareEntryIDs(id.Clone(), id.Clone()); return err }},
			{"MSLogon.OpenStatusEntry", func() error { _, err := l.ml.OpenStatusEntry(e.ctx, 0); return err }},
		}...)
	}
	if status != nil {
		calls = append(calls, struct {
			name string
			f    func() error
		}{"the status object's GetProps", func() error { _, err := status.GetProps(e.ctx, nil); return err }})
	}
	calls = append(calls, struct {
		name string
		f    func() error
	}{"MsgStore.StoreLogoff", func() error { _, err := l.st.StoreLogoff(e.ctx, mapispi.LogoffOrderly); return err }})
	for _, c := range calls {
		if err := protect(c.f); !isCode(err, mapispi.ErrInvalidObject) {
			e.errorf("%s, %s: error %v, want ErrInvalidObject", when, c.name, err)
		}
	}
}

// use calls the reading methods of a logon's objects, as a client does
// before it logs off.
func (e *env) use(l *logon, status mapispi.Object) {
	_, _ = l.st.GetProps(e.ctx, nil)
	_, _ = l.st.GetPropList(e.ctx)
	_, _ = l.st.OpenEntry(e.ctx, nil, 0)
	_, _ = l.ml.OpenEntry(e.ctx, nil, 0)
	if status != nil {
		_, _ = status.GetProps(e.ctx, nil)
	}
}

func checkLogoffInvalidates(e *env) {
	s := e.session(1, sessOpts{})
	l := e.mustLogon(s, 0, rw)
	status, err := l.ml.OpenStatusEntry(e.ctx, 0)
	if err != nil {
		status = nil
	}
	e.use(l, status)
	if err := l.ml.Logoff(e.ctx); err != nil {
		e.fatalf("IMSLogon::Logoff: %v, want success", err)
	}
	e.mustBeInvalid("after IMSLogon::Logoff", l, status, false)
	if err := protect(func() error { return l.ml.Logoff(e.ctx) }); !isCode(err, mapispi.ErrInvalidObject) {
		e.errorf("a second IMSLogon::Logoff: error %v, want ErrInvalidObject", err)
	}
	l, err = e.logon(s, 0, rw)
	switch {
	case err != nil:
		e.fatalf("after IMSLogon::Logoff, Logon of the store failed: %v", err)
	case l.ml == nil:
		e.fatalf("after IMSLogon::Logoff, Logon of the store reopened it (nil MSLogon): it is still on the provider's list")
	}

	// The release path: Close, then the Logoff MAPI makes as it releases
	// the store's support object, which succeeds.
	e.use(l, nil)
	if _, err := l.st.StoreLogoff(e.ctx, mapispi.LogoffOrderly); err != nil {
		e.fatalf("StoreLogoff(LOGOFF_ORDERLY): %v, want success", err)
	}
	if err := protect(func() error { return l.st.Close(e.ctx) }); err != nil {
		e.fatalf("MsgStore.Close: %v, want success", err)
	}
	e.mustBeInvalid("after MsgStore.Close", l, nil, true)
	if err := protect(func() error { return l.ml.Logoff(e.ctx) }); err != nil {
		e.errorf("IMSLogon::Logoff after MsgStore.Close: error %v, want success: MAPI calls it next, and a clean logoff reports no failure", err)
	}
	e.mustBeInvalid("after Close and IMSLogon::Logoff", l, nil, false)
	if l, err := e.logon(s, 0, rw); err != nil {
		e.errorf("after Close and IMSLogon::Logoff, Logon of the store failed: %v", err)
	} else if l.ml == nil {
		e.errorf("after Close and IMSLogon::Logoff, Logon of the store reopened it (nil MSLogon): it is still on the provider's list")
	}
}

func checkShutdownLogsOff(e *env) {
	s := e.session(1, sessOpts{})
	p := e.provider(s, 0)
	id := e.store(0).id
	l := e.mustLogon(s, 0, rw)
	spool, err := e.spoolerLogon(s, p, 0, id.Clone(), l.token)
	if err != nil {
		spool = nil // the SpoolerLogonToken case reports it
	}
	if err := p.Shutdown(e.ctx); err != nil {
		e.errorf("Shutdown with stores open: %v, want success", err)
	}
	if n := len(l.sup.callsOf(transports)); n == 0 {
		e.errorf("Shutdown did not call StoreLogoffTransports (LOGOFF_ABORT) for the open store")
	}
	for _, x := range []*logon{l, spool} {
		if x == nil {
			continue
		}
		if err := protect(func() error { return x.ml.Logoff(e.ctx) }); !isCode(err, mapispi.ErrInvalidObject) {
			e.errorf("after Shutdown, an open store's IMSLogon::Logoff: error %v, want ErrInvalidObject: Shutdown did not log it off", err)
		}
	}
	after := []struct {
		name string
		f    func() error
	}{
		{"Logon", func() error {
			res, err := e.rawLogon(s, p, e.support(s, e.store(0).svc.Name, false), id.Clone(), rw)
			if err == nil {
				s.take(res.SpoolSecurity)
			}
			return err
		}},
		{"SpoolerLogon", func() error {
			_, err := e.spoolerLogon(s, p, 0, id.Clone(), l.token)
			return err
		}},
		{"CompareStoreIDs", func() error { _, err := p.CompareStoreIDs(id.Clone(), id.Clone()); return err }},
	}
	for _, c := range after {
		if err := protect(c.f); !isCode(err, mapispi.ErrInvalidObject) {
			e.errorf("after Shutdown, %s: error %v, want ErrInvalidObject", c.name, err)
		}
	}
	if err := protect(func() error { return p.Shutdown(e.ctx) }); err != nil {
		e.errorf("a second Shutdown: %v, want success", err)
	}
}

func checkNoLeaks(e *env) {
	// Through the host: open and read; the session's Logoff logs the
	// store off and shuts the provider down.
	s := e.session(1, sessOpts{})
	st, err := s.OpenMsgStore(e.ctx, e.tableID(s, 0), rw)
	if err != nil {
		e.fatalf("precondition: OpenMsgStore failed: %w", err)
	}
	_, _ = st.GetProps(e.ctx, nil)
	_, _ = st.GetPropList(e.ctx)
	_ = st.Close(e.ctx)
	e.noLeaks(s)

	// Directly: a client and a spooler logon, closed the two ways.
	s = e.session(1, sessOpts{})
	p := e.provider(s, 0)
	l := e.mustLogon(s, 0, rw)
	if status, err := l.ml.OpenStatusEntry(e.ctx, 0); err == nil && status != nil {
		_, _ = status.GetProps(e.ctx, nil)
	}
	_, _ = l.st.GetProps(e.ctx, nil)
	if spool, err := e.spoolerLogon(s, p, 0, e.store(0).id.Clone(), l.token); err == nil {
		_, _ = spool.st.GetProps(e.ctx, nil)
		_ = protect(func() error { return spool.ml.Logoff(e.ctx) })
	}
	_, _ = l.st.StoreLogoff(e.ctx, mapispi.LogoffOrderly)
	_ = protect(func() error { return l.st.Close(e.ctx) })
	_ = protect(func() error { return l.ml.Logoff(e.ctx) })
	e.noLeaks(s)
}

// noLeaks closes s and checks its allocator for live buffers.
func (e *env) noLeaks(s *session) {
	_ = e.close(s)
	if err := s.heap.CheckLeaks(); err != nil {
		e.errorf("after every store was logged off and the provider shut down, buffers from its Allocator are live: %w", err)
	}
}
