package mapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Logoff is IMAPISession::Logoff, in MAPI's order. New calls on the
// session and its handles fail with ErrInvalidObject from the moment it
// begins; work under way (a store being opened, a provider being loaded)
// is told to stop (the contexts the session passed to providers are
// cancelled, so a logon waiting in Options.Prompt gives up) and waited
// for. Then every handle a client left open is closed and reported, every
// store logs off (its Close, whose StoreLogoffTransports has the spooler
// release it, then IMSLogon::Logoff), the spooler's logons and provider
// objects end, every provider object of the session gets Shutdown, and
// the session's allocator is checked for leaks.
//
// The error joins every failure along the way; the logoff goes on
// regardless. Each handle never closed is a *LeakError giving where it
// was opened, and each buffer a provider leaked an alloc.LeakError (when
// the Allocator has a CheckLeaks() error method, as alloc.Heap has); use
// errors.As to reach them.
//
// When ctx ends before the work under way finishes, Logoff returns an
// error that says what it was waiting for and wraps ctx.Err(); the session
// is then logging off, and finishes when that work does (the trace
// records what failed then). Called from inside a call of this session
// (a Prompt or Trace callback), Logoff cannot wait for that call: it
// fails with ErrBusy and changes nothing. Every call after Logoff began,
// Logoff included, is ErrInvalidObject.
func (s *Session) Logoff(ctx context.Context) error {
	const method = "IMAPISession::Logoff"
	s.mu.Lock()
	if s.state != sessionOpen {
		s.mu.Unlock()
		return mapispi.Errorf(mapispi.ErrInvalidObject, method, "the session has logged off")
	}
	for o := range s.ops {
		if within(ctx, o) {
			s.mu.Unlock()
			return mapispi.Errorf(mapispi.ErrBusy, method, "called from inside %s, which logging off would have to wait for; call it after that returns", o.what())
		}
	}
	s.state = sessionLoggingOff
	s.closed.Store(true)
	var cancels []context.CancelCauseFunc
	for o := range s.ops {
		if o.cancel != nil {
			cancels = append(cancels, o.cancel)
		}
	}
	s.mu.Unlock()
	for _, cancel := range cancels {
		cancel(errLoggingOff)
	}

	if err := s.drain(ctx); err != nil {
		go func() {
			_ = s.drain(context.Background())
			if err := s.finish(context.Background()); err != nil {
				s.tracef(nil, method, "finished after the caller stopped waiting", err)
			}
		}()
		return err
	}
	return s.finish(ctx)
}

// drain waits until no op of the session is under way, or ctx ends.
func (s *Session) drain(ctx context.Context) error {
	for {
		s.mu.Lock()
		var o *op
		for x := range s.ops {
			o = x
			break
		}
		s.mu.Unlock()
		if o == nil {
			return nil
		}
		select {
		case <-o.done:
		case <-ctx.Done():
			return ctxError(ctx, "IMAPISession::Logoff", "waiting for "+o.what())
		}
	}
}

// finish does the logoff once nothing is under way.
func (s *Session) finish(ctx context.Context) error {
	const method = "IMAPISession::Logoff"
	var errs []error
	if err := s.closeLeaked(ctx); err != nil {
		errs = append(errs, err)
	}

	s.mu.Lock()
	services := slices.Clone(s.services)
	var logons []*logon
	for _, svc := range services {
		if svc.logon != nil {
			logons = append(logons, svc.logon)
		}
	}
	tables := make([]*ref, 0, len(s.sessionRefs))
	for r := range s.sessionRefs {
		tables = append(tables, r)
	}
	s.sessionRefs = map[*ref]struct{}{}
	sinks := s.sinks
	s.sinks = nil
	s.mu.Unlock()

	for c := range sinks {
		_ = c.Close(ctx)
	}
	for _, r := range tables {
		errs = append(errs, r.release(ctx, "IMAPITable::Release"))
	}
	for _, l := range logons {
		errs = append(errs, l.shutdown(ctx))
		s.mu.Lock()
		if l.svc.logon == l {
			l.svc.logon = nil
		}
		s.mu.Unlock()
	}
	errs = append(errs, s.spooler.shutdown(ctx))

	s.mu.Lock()
	providers := make([]*provider, 0, len(s.providers))
	for _, p := range s.providers {
		providers = append(providers, p)
	}
	direct := s.direct
	s.direct = nil
	s.mu.Unlock()
	slices.SortFunc(providers, func(a, b *provider) int { return strings.Compare(a.name, b.name) })
	for _, p := range providers {
		errs = append(errs, s.shutdownProvider(ctx, p))
	}
	// Support objects handed out to the kit last until the providers have
	// shut down, which may log their stores off.
	for _, l := range direct {
		l.end(ctx)
	}
	if lc, ok := s.rawAlloc.(interface{ CheckLeaks() error }); ok {
		if err := lc.CheckLeaks(); err != nil {
			errs = append(errs, &mapispi.Error{Code: mapispi.ErrCallFailed, Component: method, Message: "providers leaked memory", Err: err})
		}
	}
	s.panicMu.Lock()
	if s.panics != nil {
		errs = append(errs, s.panics)
	}
	s.panicMu.Unlock()
	s.mu.Lock()
	s.state = sessionClosed
	s.mu.Unlock()
	return errors.Join(errs...)
}

// closeLeaked closes the handles clients left open and reports each as a
// *LeakError, in the order they were opened.
func (s *Session) closeLeaked(ctx context.Context) error {
	s.mu.Lock()
	leaked := make([]*handle, 0, len(s.live))
	for h := range s.live {
		leaked = append(leaked, h)
	}
	s.mu.Unlock()
	if len(leaked) == 0 {
		return nil
	}
	slices.SortFunc(leaked, func(a, b *handle) int { return int(a.seq - b.seq) })
	errs := make([]error, 0, len(leaked))
	for _, h := range leaked {
		e := &LeakError{Kind: h.r.kind, Seq: h.seq, Stack: h.at.PCs()}
		if h.r.svc != nil {
			e.Service = h.r.svc.name
		}
		errs = append(errs, e)
		_ = h.close(ctx, h.r.kind+"::Release")
	}
	n := "1 handle was"
	if len(leaked) > 1 {
		n = fmt.Sprintf("%d handles were", len(leaked))
	}
	return &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "IMAPISession::Logoff", Message: n + " never closed", Err: leakList(errs)}
}

// leakList joins leak reports as errors.Join does, but prints at most
// maxLeaksShown of them: a test that forgets a Close in a loop should not
// print thousands of lines. errors.As reaches every one.
type leakList []error

// maxLeaksShown bounds the leaks a Logoff error prints.
const maxLeaksShown = 10

func (l leakList) Error() string {
	var b strings.Builder
	for i, err := range l {
		if i == maxLeaksShown {
			fmt.Fprintf(&b, "\n... and %d more", len(l)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

func (l leakList) Unwrap() []error { return l }

// shutdownProvider calls IMSProvider::Shutdown.
func (s *Session) shutdownProvider(ctx context.Context, p *provider) error {
	svc := &service{name: p.name, provider: p.name} // names the provider in the trace
	_, err := guardedCall(s, svc, "IMSProvider::Shutdown", nil, func() (struct{}, error) { return struct{}{}, p.obj.Shutdown(ctx) })
	return err
}
