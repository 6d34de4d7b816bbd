package mapi

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// callRec is a Call being timed. A nil *callRec means no trace.
type callRec struct {
	Call
	start time.Time
}

// startCall starts the trace record of a call of method for svc, or
// returns nil when the session has no Trace.
func (s *Session) startCall(method string, svc *service) *callRec {
	if s.trace == nil || s.traceOff.Load() {
		return nil
	}
	c := &callRec{Call: Call{Method: method}, start: time.Now()}
	if svc != nil {
		c.Service = svc.name
	}
	return c
}

// endCall finishes a call into a provider: a panic (the recovered value)
// becomes an ErrCallFailed *mapispi.Error in *err that names the service,
// and disables the service; the trace, when there is one, gets the call.
func (s *Session) endCall(c *callRec, svc *service, panicked any, err *error, result any) {
	s.settle(c, svc, panicked, err)
	s.record(c, *err, result)
}

// settle turns a panic in a call into a provider into an ErrCallFailed
// *mapispi.Error in *err that names the service, and disables the
// service; the stack goes to the trace record c.
func (s *Session) settle(c *callRec, svc *service, panicked any, err *error) {
	if panicked == nil {
		return
	}
	stack := string(debug.Stack())
	component := "provider"
	if svc != nil {
		component = svc.name
	}
	perr := &mapispi.Error{Code: mapispi.ErrCallFailed, Component: component, Message: fmt.Sprintf("panic: %v", panicked)}
	if e, ok := panicked.(error); ok {
		perr.Err = e
	}
	*err = perr
	if svc != nil {
		s.disable(svc, perr)
	}
	if c != nil {
		c.Stack = stack
	}
}

// record finishes the trace record of a call: its duration, the SCode a C
// caller would see (a warning with a usable result), and the error or a
// summary of the result; then it hands the record to Options.Trace, with
// no lock of the host's held. Calls a provider makes into the host use it
// directly: their panics are not the host's to recover.
//
// Options.Trace is the client's code: a panic in it is recovered, the
// trace is turned off for the rest of the session, and Logoff reports it.
func (s *Session) record(c *callRec, err error, result any) {
	if c == nil {
		return
	}
	c.Duration = time.Since(c.start)
	if err != nil {
		c.SCode = scodeOf(err)
		c.Err = err.Error()
	} else {
		c.SCode = resultSCode(result)
		if result != nil && c.Result == "" {
			c.Result = summarize(result)
		}
	}
	defer func() {
		if v := recover(); v != nil {
			s.traceOff.Store(true)
			s.clientPanic(fmt.Sprintf("Options.Trace panicked on a %s record and was turned off: %v", c.Method, v))
		}
	}()
	s.trace(c.Call)
}

// tracef records a host-side failure that has no caller to return it to.
func (s *Session) tracef(svc *service, method, what string, err error) {
	if c := s.startCall(method, svc); c != nil {
		c.Args = what
		s.record(c, err, nil)
	}
}

// guardedCall runs f, a call into the provider of svc, as MAPI calls a
// provider: traced, with a panic recovered as ErrCallFailed naming the
// service (which it disables).
func guardedCall[T any](s *Session, svc *service, method string, args func() string, f func() (T, error)) (res T, err error) {
	c := s.startCall(method, svc)
	if c != nil && args != nil {
		c.Args = args()
	}
	defer func() { s.endCall(c, svc, recover(), &err, res) }()
	return f()
}

// logonCall is guardedCall for a call on one logon's objects: the trace
// names the spooler's logons as such.
func logonCall[T any](l *logon, method string, args func() string, f func() (T, error)) (res T, err error) {
	c := l.s.startCall(method, l.svc)
	if c != nil {
		c.Service = l.traceName()
		if args != nil {
			c.Args = args()
		}
	}
	defer func() { l.s.endCall(c, l.svc, recover(), &err, res) }()
	return f()
}

// callLater is guardedCall whose trace record is sent by emit, which the
// caller calls once it has published what the call made, so that a Trace
// callback that re-enters the session finds it.
func callLater[T any](s *Session, svc *service, method string, args func() string, f func() (T, error)) (res T, emit func(), err error) {
	c := s.startCall(method, svc)
	if c != nil && args != nil {
		c.Args = args()
	}
	defer func() {
		s.settle(c, svc, recover(), &err)
		r, e := res, err
		emit = func() { s.record(c, e, r) }
	}()
	res, err = f()
	return res, nil, err
}

// guard is the one guard every method of a client handle goes through:
// the handle must be live (else ErrInvalidObject), then f, the provider's
// method, runs as guardedCall runs it.
func guard[T any](h *handle, method string, args func() string, f func() (T, error)) (res T, err error) {
	if err := h.check(method); err != nil {
		return res, err
	}
	return guardedCall(h.r.s, h.r.svc, method, args, f)
}

// noSupport is the host's answer for a capability the object lacks.
func noSupport(h *handle, method, what string) error {
	if err := h.check(method); err != nil {
		return err
	}
	component := "mapi"
	if h.r.svc != nil {
		component = h.r.svc.name
	}
	return mapispi.Errorf(mapispi.ErrNoSupport, component, "%s: the %s does not implement it", method, what)
}

// summarize is a short text for a call's result.
func summarize(v any) string {
	switch x := v.(type) {
	case *mapispi.LogonResult:
		if x == nil {
			return ""
		}
		s := fmt.Sprintf("MSLogon=%t MsgStore=%t SpoolSecurity=%d bytes", x.Logon != nil, x.Store != nil, len(x.SpoolSecurity))
		if x.Warning != nil {
			s += " Warning=" + x.Warning.Error()
		}
		return s
	case mapispi.MSProvider:
		return fmt.Sprintf("%T", x)
	case mapispi.EntryID:
		return fmt.Sprintf("%X", []byte(x))
	case []byte:
		return fmt.Sprintf("%d bytes", len(x))
	case bool, mapispi.LogoffFlags, mapispi.NotifyFlags, mapispi.UID, mapispi.Connection, int, mapispi.ObjectType:
		return fmt.Sprint(x)
	}
	return ""
}

// errClient marks a failure that is the client's doing (its Prompt
// panicked, its context ended): the host never disables a service for it.
var errClient = errors.New("the client's doing")

// clientError is an error, for a provider to return, that a callback of
// the client's failed: it wraps errClient, so that the host does not blame
// the provider.
type clientError struct{ err *mapispi.Error }

func (e *clientError) Error() string   { return e.err.Error() }
func (e *clientError) Unwrap() []error { return []error{e.err, errClient} }

// idArg formats an entry ID argument for the trace.
func idArg(id mapispi.EntryID) func() string {
	return func() string { return fmt.Sprintf("EntryID=%X", []byte(id)) }
}
