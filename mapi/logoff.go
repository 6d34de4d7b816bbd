package mapi

import (
	"context"
	"errors"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Logoff is IMAPISession::Logoff, in MAPI's order: StoreLogoff on every
// open store (whose provider's StoreLogoffTransports has the spooler
// release it) and IMSLogon::Logoff, then Shutdown on every provider object
// of the session and of its spooler, then the leak check of the session's
// allocator: if providers left buffers behind, the error lists each one
// (size, linked buffers, where it was allocated). Every failure along the
// way is in the returned error; the logoff goes on regardless. Every call
// after Logoff, Logoff included, is ErrInvalidObject.
func (s *Session) Logoff(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed.CompareAndSwap(false, true) {
		s.mu.Unlock()
		return mapispi.Errorf(mapispi.ErrInvalidObject, "IMAPISession::Logoff", "the session has logged off")
	}
	services := slices.Clone(s.services)
	s.mu.Unlock()

	var errs []error
	for _, svc := range services {
		svc.open.Lock() // waits for an open in progress
		s.mu.RLock()
		l := svc.logon
		s.mu.RUnlock()
		if l != nil {
			errs = append(errs, s.closeStore(ctx, l))
		}
		svc.open.Unlock()
	}
	errs = append(errs, s.spooler.shutdown(ctx))
	// Taking initMu waits for an MSProviderInit under way, whose provider
	// object must be shut down too; later loads see the session closed.
	s.initMu.Lock()
	s.mu.Lock()
	providers := make([]*provider, 0, len(s.providers))
	for _, p := range s.providers {
		providers = append(providers, p)
	}
	s.mu.Unlock()
	s.initMu.Unlock()
	for _, p := range providers {
		errs = append(errs, s.shutdownProvider(ctx, p))
	}
	// Support objects handed out by Session.Support last until the
	// providers have shut down, which may log their stores off.
	s.mu.Lock()
	direct := s.direct
	s.direct = nil
	s.mu.Unlock()
	for _, l := range direct {
		l.end()
	}
	if lc, ok := s.rawAlloc.(interface{ CheckLeaks() error }); ok {
		if err := lc.CheckLeaks(); err != nil {
			errs = append(errs, &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "IMAPISession::Logoff", Message: "providers leaked memory", Err: err})
		}
	}
	return errors.Join(errs...)
}

// closeStore logs a client store off at session logoff.
func (s *Session) closeStore(ctx context.Context, l *logon) error {
	_, err := l.store.StoreLogoff(ctx, mapispi.LogoffOrderly)
	if isInvalidObject(err) {
		err = nil
	}
	if l.alive() { // the provider did not complete: MAPI releases it anyway
		err = errors.Join(err, l.logoff(ctx))
	}
	return err
}

// shutdownProvider calls IMSProvider::Shutdown.
func (s *Session) shutdownProvider(ctx context.Context, p *provider) (err error) {
	svc := &service{name: p.name, provider: p.name}
	c := s.begin("IMSProvider::Shutdown", svc)
	defer func() { s.end(c, nil, recover(), &err, nil) }()
	return p.obj.Shutdown(ctx)
}
