package mapi

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/internal/stack"
	"github.com/mapiemu/mapiemu/mapispi"
)

// ref is what the host knows of one object a provider returned and
// clients hold handles on: the object, the logon it came through and the
// number of open handles. A provider may return one Go value for several
// opens (a reopened store, a status object it keeps); the host then
// counts the handles on that value, as a COM object counts references,
// and calls its Close once, when the last handle is closed.
type ref struct {
	s    *Session
	l    *logon   // the logon it was opened through; nil for the session's own tables
	svc  *service // for the trace and for a panic's blame; nil for the session's own tables
	kind string   // the C interface, for the trace and leak reports: "IMsgStore", "IMAPITable"
	obj  interface {
		Close(ctx context.Context) error
	}
	key any // its key in l.refs, when the provider's value is comparable

	n    int         // open handles; guarded by s.mu
	dead atomic.Bool // released, or its logon ended: every call is ErrInvalidObject
}

// handle is one client handle: what one open returned. Closing it closes
// nothing another handle refers to; the last handle of a ref releases
// the provider's object.
type handle struct {
	r      *ref
	seq    uint64 // the session's handle number, in open order
	closed atomic.Bool
	at     stack.Trace // where it was opened
}

// newHandle opens a handle on r (s.mu held). skip is the number of frames
// between the client's call and newHandle, for the leak report.
func (s *Session) newHandle(r *ref, skip int) *handle {
	s.handleSeq++
	h := &handle{r: r, seq: s.handleSeq, at: stack.Record(skip + 1)}
	r.n++
	s.live[h] = struct{}{}
	return h
}

// check fails with ErrInvalidObject once the handle is closed, its object
// released or its store logged off, or the session logged off.
func (h *handle) check(method string) error {
	switch {
	case h.closed.Load():
		return mapispi.Errorf(mapispi.ErrInvalidObject, method, "the handle has been closed")
	case h.r.dead.Load():
		if h.r.l != nil && h.r.l.ended.Load() {
			return mapispi.Errorf(mapispi.ErrInvalidObject, method, "the store has been logged off")
		}
		return mapispi.Errorf(mapispi.ErrInvalidObject, method, "the object has been released")
	}
	return h.r.s.check(method)
}

// close closes the handle: the first call releases the handle, and the
// provider's object when it was the last; a second call is
// ErrInvalidObject. Closing a handle whose object is already gone (its
// store logged off) succeeds.
func (h *handle) close(ctx context.Context, method string) error {
	if !h.closed.CompareAndSwap(false, true) {
		return mapispi.Errorf(mapispi.ErrInvalidObject, method, "the handle has been closed already")
	}
	r := h.r
	s := r.s
	s.mu.Lock()
	delete(s.live, h)
	r.n--
	if r.n > 0 || r.dead.Load() || s.state != sessionOpen {
		s.mu.Unlock()
		return nil // other handles remain, or Logoff releases what is left
	}
	var o *op
	if l := r.l; l != nil && r == l.storeRef && s.svcLogon(l) {
		// The last handle of a client store: the store is logged off, and
		// opens of it wait until it is.
		o = s.startOp(ctx, "the logoff of service %q", l.svc.name)
		l.svc.busy = o
	}
	if r.l == nil {
		delete(s.sessionRefs, r)
	}
	s.mu.Unlock()
	if o != nil {
		return s.closeStore(ctx, o, r.l)
	}
	return r.release(ctx, method)
}

// release calls the provider object's Close, once, and forgets the ref.
func (r *ref) release(ctx context.Context, method string) error {
	if !r.dead.CompareAndSwap(false, true) {
		return nil
	}
	if r.l != nil {
		r.l.forget(r)
		if r.l.ended.Load() {
			return nil // the logon's end released it
		}
	}
	_, err := guardedCall(r.s, r.svc, method, nil, func() (struct{}, error) { return struct{}{}, r.obj.Close(ctx) })
	return err
}

// addSink registers a client sink made through a handle on r, so that it
// ends when the object's logon ends (or the session, for the session's
// own tables); it reports false when that has happened already.
func (r *ref) addSink(c clientConn) bool {
	s := r.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.dead.Load() || s.state != sessionOpen {
		return false
	}
	m := &s.sinks
	if r.l != nil {
		m = &r.l.sinks
	}
	if *m == nil {
		*m = map[clientConn]bool{}
	}
	(*m)[c] = true
	return true
}

// dropSink forgets a client sink closed before its owner ended.
func (r *ref) dropSink(c clientConn) {
	s := r.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.l != nil {
		delete(r.l.sinks, c)
	} else {
		delete(s.sinks, c)
	}
}

// comparable reports whether v can be a map key: a provider may return
// values of types == cannot compare, which then count as distinct objects.
func comparableValue(v any) bool {
	t := reflect.TypeOf(v)
	return t != nil && t.Comparable()
}

// LeakError reports a handle a client never closed: Logoff closes it and
// lists one LeakError per such handle in its error, as an allocator lists
// the buffers it still holds. errors.As finds them through the join.
type LeakError struct {
	// Kind is the C interface of the object: "IMsgStore", "IMAPITable",
	// "IMAPIProp".
	Kind string
	// Service is the message service the object belongs to, or "" for
	// the session's own objects (the status table).
	Service string
	// Seq is the handle's number: the session numbers its handles 1, 2,
	// 3, ... in the order they are opened.
	Seq uint64
	// Stack holds the program counters of the call that opened the
	// handle, as runtime.Callers gives them.
	Stack []uintptr
}

// Error returns text such as `mapi: leak: IMsgStore #3 of service
// "Mailbox", opened at main.run (main.go:40) <- main.main (main.go:12)`.
func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mapi: leak: %s #%d", e.Kind, e.Seq)
	if e.Service != "" {
		fmt.Fprintf(&b, " of service %q", e.Service)
	}
	b.WriteString(" never closed")
	if len(e.Stack) > 0 {
		b.WriteString(", opened at ")
		stack.Write(&b, e.Stack)
	}
	return b.String()
}
