package mapi

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/internal/notify"
	"github.com/mapiemu/mapiemu/mapispi"
)

// A client's sink never meets the provider: the provider (or the
// session's own status table) gets a forwarder, which copies each batch
// into a connection of the host's dispatcher (internal/notify), which
// calls the client's sink under the rules of mapispi's "Notifications"
// section whatever the provider does: in order, one call at a time, on a
// goroutine that holds no lock, never after Unadvise or Close returned. A
// panic in the client's sink is the client's: it is traced as such and
// the connection dropped; the provider never sees it.

// forwarder copies each batch a provider delivers into a client's
// connection; the provider's slice is the provider's again when it
// returns.
type forwarder[T any] struct {
	c     *notify.Conn[T]
	clone func(T) T
}

func (f forwarder[T]) forward(ns []T) mapispi.CallbackResult {
	cp := make([]T, len(ns))
	for i, n := range ns {
		cp[i] = f.clone(n)
	}
	f.c.Post(cp)
	return mapispi.CallbackContinue
}

// adviseForwarder is the AdviseSink a provider gets for a client's sink.
type adviseForwarder struct {
	forwarder[mapispi.Notification]
}

func (f adviseForwarder) OnNotify(ns []mapispi.Notification) mapispi.CallbackResult {
	return f.forward(ns)
}

// tableForwarder is the TableSink a table gets for a client's sink.
type tableForwarder struct {
	forwarder[mapispi.TableNotification]
}

func (f tableForwarder) OnTableNotify(ns []mapispi.TableNotification) mapispi.CallbackResult {
	return f.forward(ns)
}

func newAdviseForwarder(c *notify.Conn[mapispi.Notification]) adviseForwarder {
	return adviseForwarder{forwarder[mapispi.Notification]{c, mapispi.Notification.Clone}}
}

func newTableForwarder(c *notify.Conn[mapispi.TableNotification]) tableForwarder {
	return tableForwarder{forwarder[mapispi.TableNotification]{c, mapispi.TableNotification.Clone}}
}

// handleSinks are the client sinks made through one handle, by the
// provider's connection number: Unadvise and the handle's Close end them.
type handleSinks struct {
	mu    sync.Mutex
	conns map[mapispi.Connection]clientConn
}

// advise registers c, a client sink's connection, with the provider
// (register) and with the handle's owner, so that it ends with the
// handle, the store or the session, whichever goes first.
func (hs *handleSinks) advise(ctx context.Context, h *handle, method string, c clientConn, register func() (mapispi.Connection, error)) (mapispi.Connection, error) {
	conn, err := guard(h, method, nil, register)
	if err != nil {
		_ = c.Close(ctx)
		return 0, err
	}
	if !h.r.addSink(c) {
		_ = c.Close(ctx)
		return 0, mapispi.Errorf(mapispi.ErrInvalidObject, method, "the object was released")
	}
	hs.mu.Lock()
	if hs.conns == nil {
		hs.conns = map[mapispi.Connection]clientConn{}
	}
	hs.conns[conn] = c
	hs.mu.Unlock()
	return conn, nil
}

// unadvise ends the client sink of conn, then asks the provider to
// (unregister): once it returns the sink is not called again. A
// connection this handle did not make is ErrNotFound.
func (hs *handleSinks) unadvise(ctx context.Context, h *handle, method string, conn mapispi.Connection, unregister func() error) error {
	if err := h.check(method); err != nil {
		return err
	}
	hs.mu.Lock()
	c := hs.conns[conn]
	delete(hs.conns, conn)
	hs.mu.Unlock()
	if c == nil {
		return mapispi.Errorf(mapispi.ErrNotFound, method, "connection %d is not one this handle made", conn)
	}
	cerr := c.Close(ctx)
	h.r.dropSink(c)
	_, err := guard(h, method, nil, func() (struct{}, error) { return struct{}{}, unregister() })
	if err == nil {
		err = cerr
	}
	return err
}

// closeAll ends every client sink of the handle, unregistering each from
// the provider with unregister while the object lives (nil for none).
func (hs *handleSinks) closeAll(ctx context.Context, h *handle, method string, unregister func(mapispi.Connection) error) {
	hs.mu.Lock()
	conns := hs.conns
	hs.conns = nil
	hs.mu.Unlock()
	for conn, c := range conns {
		_ = c.Close(ctx)
		h.r.dropSink(c)
		if unregister != nil && h.check(method) == nil {
			_, _ = guard(h, method, nil, func() (struct{}, error) { return struct{}{}, unregister(conn) })
		}
	}
}

// clientConn is the host's connection for one client sink.
type clientConn interface {
	Close(ctx context.Context) error
}

// newAdviseConn returns the dispatcher connection for a client's
// AdviseSink, which a forwarder feeds.
func (s *Session) newAdviseConn(sink mapispi.AdviseSink, what string) *notify.Conn[mapispi.Notification] {
	return notify.New(sink.OnNotify, notify.Options[mapispi.Notification]{
		OnPanic: func(v any, stack []byte) { s.sinkPanicked("IMAPIAdviseSink::OnNotify", what, v, stack) },
	})
}

// newTableConn returns the dispatcher connection for a client's TableSink.
func (s *Session) newTableConn(sink mapispi.TableSink, what string) *notify.Conn[mapispi.TableNotification] {
	return notify.New(sink.OnTableNotify, notify.Options[mapispi.TableNotification]{
		OnPanic: func(v any, stack []byte) { s.sinkPanicked("IMAPIAdviseSink::OnNotify", what, v, stack) },
		Limit:   maxQueuedTableBatches,
		Overflow: func() []mapispi.TableNotification {
			return []mapispi.TableNotification{{Event: mapispi.TableChanged}}
		},
	})
}

// maxQueuedTableBatches bounds the table notifications waiting for a slow
// client sink; past it they become one TABLE_CHANGED, which tells the
// client to read the table again.
const maxQueuedTableBatches = 1024

// sinkPanicked reports a panic in a client's sink: the client's fault,
// recorded in the trace with no service to blame, never a reason to
// disable one. The dispatcher has dropped the connection already.
func (s *Session) sinkPanicked(method, what string, v any, stack []byte) {
	if c := s.startCall("client "+method, nil); c != nil {
		c.Args = what
		c.Stack = string(stack)
		s.record(c, mapispi.Errorf(mapispi.ErrCallFailed, "client sink", "panic: %v; the connection was dropped", v), nil)
	}
}

// clientPanic reports a panic in a client's callback other than a sink
// (Options.Trace): Logoff returns it, since the trace may be what failed.
func (s *Session) clientPanic(what string) {
	s.panicMu.Lock()
	defer s.panicMu.Unlock()
	if s.panics == nil {
		s.panics = &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "mapi", Message: what}
	}
}

// subscriptions holds the session's IMAPISupport::Subscribe registrations.
type subscriptions struct {
	mu   sync.Mutex
	last mapispi.Connection
	subs []*subscription // in subscription order
}

type subscription struct {
	conn   mapispi.Connection
	owner  *logon
	key    []byte
	events mapispi.EventMask
	sync   bool
	c      *notify.Conn[mapispi.Notification]
}

func (n *subscriptions) subscribe(s *Session, owner *logon, key []byte, events mapispi.EventMask, flags mapispi.NotifyFlags, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	const op = "IMAPISupport::Subscribe"
	switch {
	case len(key) == 0:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, op, "empty notification key")
	case sink == nil:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, op, "nil sink")
	case events == 0:
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, op, "empty event mask")
	case flags&^mapispi.NotifySync != 0:
		return 0, mapispi.Errorf(mapispi.ErrUnknownFlags, op, "flags %v", flags)
	}
	if f, ok := sink.(mapispi.AdviseSinkFunc); ok && f == nil {
		return 0, mapispi.Errorf(mapispi.ErrInvalidParameter, op, "nil sink")
	}
	svc := owner.svc
	c := notify.New(sink.OnNotify, notify.Options[mapispi.Notification]{
		OnPanic: func(v any, stack []byte) {
			// The provider's sink (or the client's, behind a forwarder,
			// which never panics): traced against the service, which keeps
			// working without the connection.
			if rec := s.startCall("IMAPIAdviseSink::OnNotify", svc); rec != nil {
				rec.Args = fmt.Sprintf("subscription key=%X", key)
				rec.Stack = string(stack)
				s.record(rec, mapispi.Errorf(mapispi.ErrCallFailed, svc.name, "sink panic: %v; the subscription was dropped", v), nil)
			}
		},
	})
	n.mu.Lock()
	defer n.mu.Unlock()
	n.last++
	sub := &subscription{conn: n.last, owner: owner, key: slices.Clone(key), events: events, sync: flags&mapispi.NotifySync != 0, c: c}
	n.subs = append(n.subs, sub)
	return sub.conn, nil
}

// unsubscribe ends a subscription of owner; once it returns the sink is
// not called again.
func (n *subscriptions) unsubscribe(ctx context.Context, owner *logon, conn mapispi.Connection) error {
	n.mu.Lock()
	var sub *subscription
	for i, x := range n.subs {
		if x.conn == conn && x.owner == owner {
			sub = x
			n.subs = slices.Delete(n.subs, i, i+1)
			break
		}
	}
	n.mu.Unlock()
	if sub == nil {
		return mapispi.Errorf(mapispi.ErrNotFound, "IMAPISupport::Unsubscribe", "no connection %d", conn)
	}
	return sub.c.Close(ctx)
}

// drop ends every subscription of owner.
func (n *subscriptions) drop(ctx context.Context, owner *logon) {
	n.mu.Lock()
	var gone []*subscription
	n.subs = slices.DeleteFunc(n.subs, func(sub *subscription) bool {
		if sub.owner == owner {
			gone = append(gone, sub)
			return true
		}
		return false
	})
	n.mu.Unlock()
	for _, sub := range gone {
		_ = sub.c.Close(ctx)
	}
}

// notify posts to each subscription to key the notifications its event
// mask selects, each sink its own copy, under the lock, so that every
// sink sees Notify calls in the order they were made. It then waits for
// the subscriptions made with NOTIFY_SYNC, whose answers make the result.
func (n *subscriptions) notify(ctx context.Context, key []byte, notes []mapispi.Notification) (mapispi.NotifyFlags, error) {
	n.mu.Lock()
	var waits []func(context.Context) (mapispi.CallbackResult, error)
	for _, sub := range n.subs {
		if !bytes.Equal(sub.key, key) {
			continue
		}
		var mine []mapispi.Notification
		for _, note := range notes {
			if note.Event&sub.events != 0 {
				mine = append(mine, note.Clone())
			}
		}
		switch {
		case len(mine) == 0:
		case sub.sync:
			waits = append(waits, sub.c.PostAwait(mine))
		default:
			sub.c.Post(mine)
		}
	}
	n.mu.Unlock()
	var out mapispi.NotifyFlags
	for _, wait := range waits {
		r, err := wait(ctx)
		if err != nil {
			return out, ctxError(ctx, "IMAPISupport::Notify", "waiting for a NOTIFY_SYNC sink")
		}
		if r == mapispi.CallbackDiscontinue {
			out |= mapispi.NotifyCanceled
		}
	}
	return out, nil
}
