package mapi

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/internal/goid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// op is work of the session that other calls may have to wait for: a
// provider object being made (MSProviderInit), a store being opened
// (IMSProvider::Logon and the spooler's logon) or released (its Close and
// IMSLogon::Logoff). The host holds no lock while an op calls into a
// provider; a call that needs the op's result waits for done, as long as
// its context lets it.
//
// A call made from inside the op (by a Prompt or Trace callback, or by
// code that got the context the op passed to the provider) must not wait
// for it: it would wait for itself. Such a call is told apart by the op
// in its context or by its goroutine, and fails at once with ErrBusy.
type op struct {
	// doing (a format with one %q) and name say what it is doing, for
	// messages: `IMSProvider::Logon of service "Mailbox"`. They are
	// formatted only when a message needs them.
	doing, name string
	done        chan struct{}
	parent      *op // the op whose context started it, if any
	// goid is the goroutine running the op, recorded when the session has
	// a callback that could re-enter the op on that goroutine (Trace,
	// Prompt); 0 otherwise.
	goid atomic.Uint64
	// cancel cancels the context begin made for the op (s.mu held); nil
	// for an op that did not begin so.
	cancel context.CancelCauseFunc
}

// what says what o is doing.
func (o *op) what() string { return fmt.Sprintf(o.doing, o.name) }

// opKey is the context key of the op a context was made for.
type opKey struct{}

// newOp returns an op started by a call with context ctx.
func newOp(ctx context.Context, doing, name string) *op {
	o := &op{doing: doing, name: name, done: make(chan struct{})}
	o.parent, _ = ctx.Value(opKey{}).(*op)
	return o
}

// mark records the running goroutine as o's, when the session has
// callbacks that could re-enter o on it, and returns the context o passes
// to the provider, which carries o.
func (s *Session) mark(ctx context.Context, o *op) context.Context {
	if s.trace != nil || s.prompt != nil {
		o.goid.Store(goid.Get())
	}
	return context.WithValue(ctx, opKey{}, o)
}

// begin is mark for an op that may wait for the user (a logon's Prompt):
// its context is also cancelled when the session logs off, so that Logoff
// does not wait for the user. Call the returned function when the op is
// done.
func (s *Session) begin(ctx context.Context, o *op) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(s.mark(ctx, o))
	s.mu.Lock()
	o.cancel = cancel
	gone := s.state != sessionOpen
	s.mu.Unlock()
	if gone {
		cancel(errLoggingOff) // Logoff began before the op could be told
	}
	return ctx, func() { cancel(nil) }
}

// errLoggingOff is the cause of the contexts the session cancels at Logoff.
var errLoggingOff = errors.New("the session is logging off")

// within reports whether a call with context ctx, on the calling
// goroutine, is made from inside o.
func within(ctx context.Context, o *op) bool {
	for x, _ := ctx.Value(opKey{}).(*op); x != nil; x = x.parent {
		if x == o {
			return true
		}
	}
	id := o.goid.Load()
	return id != 0 && id == goid.Get()
}

// await waits for o to finish, for the call named method. It fails with
// ErrBusy when the call is made from inside o, and with an error wrapping
// ctx.Err() when ctx ends first.
func await(ctx context.Context, o *op, method string) error {
	if within(ctx, o) {
		return mapispi.Errorf(mapispi.ErrBusy, method, "called from inside %s, which it would have to wait for; call it after that returns", o.what())
	}
	select {
	case <-o.done:
		return nil
	case <-ctx.Done():
		return ctxError(ctx, method, "waiting for "+o.what())
	}
}

// ctxError is the error of a call whose context ended while it waited:
// MAPI_E_TIMEOUT for a deadline, MAPI_E_CALL_FAILED otherwise, wrapping
// ctx.Err().
func ctxError(ctx context.Context, method, doing string) error {
	code := mapispi.ErrCallFailed
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		code = mapispi.ErrTimeout
	}
	return &mapispi.Error{Code: code, Component: method, Message: fmt.Sprintf("gave up %s", doing), Err: ctx.Err()}
}

// startOp registers a new op (s.mu held): Logoff waits for it.
func (s *Session) startOp(ctx context.Context, doing, name string) *op {
	o := newOp(ctx, doing, name)
	s.ops[o] = struct{}{}
	return o
}

// finishOp ends o (s.mu held): its waiters go on.
func (s *Session) finishOp(o *op) {
	delete(s.ops, o)
	close(o.done)
}
