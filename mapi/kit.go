package mapi

import (
	"context"

	"github.com/mapiemu/mapiemu/internal/hostkit"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The conformance kit drives providers directly, through the session's
// provider objects and support objects of its own; clients never do. The
// kit reaches them through internal/hostkit, which this package fills in.
func init() {
	hostkit.Provider = func(s any, ctx context.Context, service string) (mapispi.MSProvider, error) {
		return s.(*Session).kitProvider(ctx, service)
	}
	hostkit.Support = func(s any, ctx context.Context, service string, spooler bool) (mapispi.Support, error) {
		return s.(*Session).kitSupport(ctx, service, spooler)
	}
}

// serviceNamed returns the profile's service called name.
func (s *Session) serviceNamed(op, name string) (*service, error) {
	if err := s.check(op); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, svc := range s.services {
		if svc.name == name && !svc.temporary {
			return svc, nil
		}
	}
	return nil, mapispi.Errorf(mapispi.ErrNotFound, op, "the profile has no message service %q", name)
}

// kitProvider returns the session's provider object for the message
// service called service, calling the provider's InitFunc the first time,
// as OpenMsgStore does. The session still shuts the object down at
// Logoff.
func (s *Session) kitProvider(ctx context.Context, service string) (mapispi.MSProvider, error) {
	svc, err := s.serviceNamed("hostkit.Provider", service)
	if err != nil {
		return nil, err
	}
	p, err := s.providerFor(ctx, svc)
	if err != nil {
		return nil, err
	}
	return p.obj, nil
}

// kitSupport returns a new support object for one logon to the store of
// the message service called service, as MAPI makes one for each
// IMSProvider::Logon (spooler true gives the spooler's kind, whose
// StoreLogoffTransports releases nothing). It is the host's real support
// object: profile section, routing (SetProviderUID), status row, faults
// and trace all work; session-level routing reaches only logons the
// session made itself. It ends with the session's Logoff, and one asked
// for while Logoff runs is never handed out.
func (s *Session) kitSupport(ctx context.Context, service string, spooler bool) (mapispi.Support, error) {
	svc, err := s.serviceNamed("hostkit.Support", service)
	if err != nil {
		return nil, err
	}
	p, err := s.providerFor(ctx, svc)
	if err != nil {
		return nil, err
	}
	l := s.newLogon(svc, p, spooler)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != sessionOpen {
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, "hostkit.Support", "the session has logged off")
	}
	s.direct = append(s.direct, l)
	return l.support, nil
}
