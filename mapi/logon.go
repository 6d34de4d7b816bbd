package mapi

import (
	"context"
	"encoding/binary"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
)

// logon is one store logon of the session, a client's or the spooler's:
// the provider's MSLogon and MsgStore, the support object it got, and what
// MAPI keeps for it (routes, the status row, subscriptions).
type logon struct {
	s       *Session
	svc     *service
	p       *provider
	spooler bool
	support *support
	rowKey  []byte // the status row's PR_INSTANCE_KEY

	ml    mapispi.MSLogon
	inner mapispi.MsgStore
	store *hostStore

	mu         sync.Mutex
	ended      bool
	transports int // StoreLogoffTransports calls
}

func (s *Session) newLogon(svc *service, p *provider, spooler bool) *logon {
	s.mu.Lock()
	s.nextRow++
	n := s.nextRow
	s.mu.Unlock()
	l := &logon{s: s, svc: svc, p: p, spooler: spooler, rowKey: binary.LittleEndian.AppendUint64(nil, n)}
	l.support = &support{l: l}
	return l
}

// attach keeps what Logon or SpoolerLogon returned.
// The session's lock covers ml, which routing reads.
func (l *logon) attach(ml mapispi.MSLogon, store mapispi.MsgStore) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	l.ml, l.inner = ml, store
	l.store = &hostStore{l: l}
}

// alive reports whether the logon has not ended.
func (l *logon) alive() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.ended
}

// check returns ErrInvalidObject once the logon has ended.
func (l *logon) check(op string) error {
	if !l.alive() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, op, "the store has been logged off")
	}
	return nil
}

// end does what MAPI does when a store's support object is released: it
// removes the UIDs the logon registered, its status row and its
// subscriptions, and invalidates its support object. It reports whether
// the logon was still alive.
func (l *logon) end() bool {
	l.mu.Lock()
	was := !l.ended
	l.ended = true
	l.mu.Unlock()
	if !was {
		return false
	}
	s := l.s
	s.mu.Lock()
	s.routes = slices.DeleteFunc(s.routes, func(r route) bool { return r.l == l })
	if s.svcLogon(l) {
		l.svc.logon = nil
	}
	s.mu.Unlock()
	_ = s.status.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: l.rowKey})
	s.notify.drop(l)
	return true
}

// svcLogon reports whether l is its service's client logon (s.mu held).
func (s *Session) svcLogon(l *logon) bool { return !l.spooler && l.svc.logon == l }

// logoff closes the logon as MAPI does when its store is released: the
// provider's IMSLogon::Logoff (a logon the provider has already closed
// answers ErrInvalidObject, which is expected), then end.
func (l *logon) logoff(ctx context.Context) error {
	if !l.alive() {
		return nil
	}
	var err error
	if l.ml != nil {
		err = l.callLogoff(ctx)
		if isInvalidObject(err) {
			err = nil
		}
	}
	l.end()
	return err
}

func (l *logon) callLogoff(ctx context.Context) (err error) {
	c := l.s.begin("IMSLogon::Logoff", l.svc)
	defer func() { l.s.end(c, l.svc, recover(), &err, nil) }()
	return l.ml.Logoff(ctx)
}
