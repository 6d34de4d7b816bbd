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

// begin starts the trace record of a call of method for svc, or returns
// nil when the session has no Trace.
func (s *Session) begin(method string, svc *service) *callRec {
	if s.trace == nil {
		return nil
	}
	c := &callRec{Call: Call{Method: method}, start: time.Now()}
	if svc != nil {
		c.Service = svc.name
	}
	return c
}

// end finishes a call into a provider: a panic (the recovered value) becomes
// an ErrCallFailed *mapispi.Error in *err that names the service, and
// disables the service; the trace, when there is one, gets the call.
func (s *Session) end(c *callRec, svc *service, panicked any, err *error, result any) {
	var stack string
	if panicked != nil {
		stack = string(debug.Stack())
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
	}
	if c != nil {
		c.Stack = stack
		s.record(c, *err, result)
	}
}

// record finishes the trace record of a call: its duration, the SCode a C
// caller would see (a warning with a usable result), and the error or a
// summary of the result. Calls a provider makes into the host use it
// directly: their panics are not the host's to recover.
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
	s.trace(c.Call)
}

// tracef records a host-side failure that has no caller to return it to.
func (s *Session) tracef(svc *service, method, what string, err error) {
	if c := s.begin(method, svc); c != nil {
		c.Args = what
		s.record(c, err, nil)
	}
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
	case bool, mapispi.LogoffFlags, mapispi.NotifyFlags, mapispi.UID, mapispi.Connection, int:
		return fmt.Sprint(x)
	}
	return ""
}

// isInvalidObject reports an ErrInvalidObject failure, which the host
// expects from an object the provider has already closed.
func isInvalidObject(err error) bool { return errors.Is(err, mapispi.ErrInvalidObject) }
