package mapi

import (
	"context"

	"github.com/mapiemu/mapiemu/mapispi"
)

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

// Provider returns the session's provider object for the message service
// called service, calling the provider's InitFunc the first time, as
// OpenMsgStore does. It is for code that drives a provider directly, such
// as a conformance kit or a provider's own tests; the session still shuts
// the object down at Logoff.
func (s *Session) Provider(ctx context.Context, service string) (mapispi.MSProvider, error) {
	svc, err := s.serviceNamed("mapi.Session.Provider", service)
	if err != nil {
		return nil, err
	}
	p, err := s.providerFor(ctx, svc)
	if err != nil {
		return nil, err
	}
	return p.obj, nil
}

// Support returns a new support object for one logon to the store of the
// message service called service, as MAPI makes one for each
// IMSProvider::Logon, for code that calls the provider's Logon or
// SpoolerLogon itself (spooler true gives the spooler's kind, whose
// StoreLogoffTransports releases nothing). It is the host's real support
// object: profile section, routing (SetProviderUID), status row, faults
// and trace all work; session-level routing reaches only logons the
// session made itself. It ends with the session's Logoff.
func (s *Session) Support(ctx context.Context, service string, spooler bool) (mapispi.Support, error) {
	svc, err := s.serviceNamed("mapi.Session.Support", service)
	if err != nil {
		return nil, err
	}
	p, err := s.providerFor(ctx, svc)
	if err != nil {
		return nil, err
	}
	l := s.newLogon(svc, p, spooler)
	s.mu.Lock()
	s.direct = append(s.direct, l)
	s.mu.Unlock()
	return l.support, nil
}
