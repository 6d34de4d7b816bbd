package mapi

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
)

// logon is one store logon of the session, a client's or the spooler's:
// the provider's MSLogon and MsgStore, the support object it got, and what
// MAPI keeps for it (routes, the status row, subscriptions, the objects
// opened through it).
type logon struct {
	s       *Session
	svc     *service
	p       *provider
	spooler bool
	support *support
	// statusRow is the number of its status table row, 0 for none;
	// guarded by the status table's lock.
	statusRow uint64

	ml       mapispi.MSLogon
	store    mapispi.MsgStore
	storeRef *ref

	ended atomic.Bool // the logon is over: its support object and objects are invalid

	// Guarded by Session.mu:
	refs  map[any]*ref        // objects opened through it, by the provider's value
	loose map[*ref]bool       // those whose values cannot be map keys
	sinks map[clientConn]bool // client sinks registered through its store

	mu         sync.Mutex
	transports int // StoreLogoffTransports calls

	// For the spooler's logons: sending holds a token while the spooler
	// sends a message of the store, and stopSending is set when the
	// spooler is to release the store, so that it takes no next message.
	sending     chan struct{}
	stopSending atomic.Bool
	queue       mapispi.Table // the outgoing queue the spooler follows; guarded by mu
}

func (s *Session) newLogon(svc *service, p *provider, spooler bool) *logon {
	l := &logon{s: s, svc: svc, p: p, spooler: spooler}
	if spooler {
		l.sending = make(chan struct{}, 1)
	}
	l.support = &support{l: l}
	return l
}

// msLogon returns the provider's MSLogon, or nil while Logon runs.
func (l *logon) msLogon() mapispi.MSLogon {
	l.s.mu.RLock()
	defer l.s.mu.RUnlock()
	return l.ml
}

// attach keeps what Logon or SpoolerLogon returned. The session's lock
// covers ml, which routing reads.
func (l *logon) attach(ml mapispi.MSLogon, store mapispi.MsgStore) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	l.ml, l.store = ml, store
	l.storeRef = &ref{s: l.s, l: l, svc: l.svc, kind: "IMsgStore", obj: store}
	l.refs = map[any]*ref{}
}

// traceName names the logon in the trace: its service's name, marked for
// the spooler's logons.
func (l *logon) traceName() string {
	if l.spooler {
		return l.svc.name + " (spooler)"
	}
	return l.svc.name
}

// check returns ErrInvalidObject once the logon has ended.
func (l *logon) check(op string) error {
	if l.ended.Load() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, op, "the store has been logged off")
	}
	return nil
}

// child returns the ref of an object opened through the logon, the same
// one for every open that returns the same provider value, with a new
// handle on it; skip counts the host's frames above child. It fails when
// the logon ended meanwhile.
func (l *logon) child(obj interface{ Close(context.Context) error }, kind string, skip int) (*handle, error) {
	s := l.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.ended.Load() || s.state != sessionOpen {
		return nil, mapispi.Errorf(mapispi.ErrInvalidObject, kind, "the store was logged off while the object was being opened")
	}
	var r *ref
	if comparableValue(obj) {
		r = l.refs[obj]
		if r == nil {
			r = &ref{s: s, l: l, svc: l.svc, kind: kind, obj: obj, key: obj}
			l.refs[obj] = r
		}
	} else {
		r = &ref{s: s, l: l, svc: l.svc, kind: kind, obj: obj}
		if l.loose == nil {
			l.loose = map[*ref]bool{}
		}
		l.loose[r] = true
	}
	return s.newHandle(r, skip+1), nil
}

// forget drops a released object's ref.
func (l *logon) forget(r *ref) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if r.key != nil && l.refs[r.key] == r {
		delete(l.refs, r.key)
	}
	delete(l.loose, r)
}

// shutdown releases the logon as MAPI does when the last handle of its
// store goes: the store's Close (IUnknown::Release, in which the provider
// calls StoreLogoffTransports), then what MAPI does when the store
// releases its support object: the UIDs the logon registered and its
// status row go, IMSLogon::Logoff runs, and the logon ends.
func (l *logon) shutdown(ctx context.Context) error {
	var errs []error
	l.mu.Lock()
	q := l.queue
	l.queue = nil
	l.mu.Unlock()
	if q != nil {
		closeQuiet(ctx, l, "IMAPITable::Release", q)
	}
	if l.store != nil {
		_, err := logonCall(l, "IMsgStore::Release", nil, func() (struct{}, error) { return struct{}{}, l.store.Close(ctx) })
		errs = append(errs, err)
	}
	l.unregister()
	if l.ml != nil {
		_, err := logonCall(l, "IMSLogon::Logoff", nil, func() (struct{}, error) { return struct{}{}, l.ml.Logoff(ctx) })
		errs = append(errs, err)
	}
	l.end(ctx)
	return errors.Join(errs...)
}

// unregister removes what MAPI keeps for the logon in the session: the
// UIDs it registered and its status row.
func (l *logon) unregister() {
	s := l.s
	s.mu.Lock()
	for uid, ls := range s.routes {
		if slices.Contains(ls, l) {
			ls = slices.DeleteFunc(slices.Clone(ls), func(x *logon) bool { return x == l })
			if len(ls) == 0 {
				delete(s.routes, uid)
			} else {
				s.routes[uid] = ls
			}
		}
	}
	s.mu.Unlock()
	s.status.remove(l)
}

// end invalidates the logon: its support object, the objects opened
// through it and the client sinks registered through its store. It
// reports whether the logon was still alive.
func (l *logon) end(ctx context.Context) bool {
	if !l.ended.CompareAndSwap(false, true) {
		return false
	}
	l.unregister()
	s := l.s
	s.mu.Lock()
	refs := make([]*ref, 0, len(l.refs)+len(l.loose)+1)
	for _, r := range l.refs {
		refs = append(refs, r)
	}
	for r := range l.loose {
		refs = append(refs, r)
	}
	if l.storeRef != nil {
		refs = append(refs, l.storeRef)
	}
	l.refs, l.loose = nil, nil
	sinks := l.sinks
	l.sinks = nil
	s.mu.Unlock()
	for _, r := range refs {
		r.dead.Store(true)
	}
	for c := range sinks {
		_ = c.Close(ctx)
	}
	s.subs.drop(ctx, l)
	return true
}

// svcLogon reports whether l is its service's client logon (s.mu held).
func (s *Session) svcLogon(l *logon) bool { return !l.spooler && l.svc.logon == l }

// closeStore logs a client store off, as the op o, when its last handle
// has been closed.
func (s *Session) closeStore(ctx context.Context, o *op, l *logon) error {
	err := l.shutdown(s.mark(ctx, o))
	s.mu.Lock()
	if l.svc.logon == l {
		l.svc.logon = nil
	}
	l.svc.busy = nil
	s.finishOp(o)
	s.mu.Unlock()
	return err
}
