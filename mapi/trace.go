package mapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Call records one call the host made into a provider, or one call a
// provider made into the host (its support object, its allocator), for
// Options.Trace.
type Call struct {
	// Method is the C name: "MSProviderInit", "IMSProvider::Logon",
	// "IMAPISupport::ModifyProfile", "MAPIAllocateBuffer".
	Method string
	// Service is the message service the call was for, when there is one.
	Service string
	// Args summarises the arguments: entry IDs in hex, flags by name. It
	// never holds a password.
	Args string
	// Result summarises what the call returned when it succeeded.
	Result string
	// SCode is the status MAPI would have returned: S_OK, the warning
	// MAPI returns with a usable result (MAPI_W_ERRORS_RETURNED for
	// GetProps with a PT_ERROR value, or for a Logon with a Warning), or
	// the failure's code.
	SCode mapispi.SCode
	// Err is the error's text when the call failed.
	Err string
	// Duration is how long the call took.
	Duration time.Duration
	// Stack is the goroutine's stack when the call panicked.
	Stack string
}

// MarshalJSON encodes c with the SCode by name ("scode":
// "MAPI_E_LOGON_FAILED") and the duration in nanoseconds.
func (c Call) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Method     string `json:"method"`
		Service    string `json:"service,omitempty"`
		Args       string `json:"args,omitempty"`
		Result     string `json:"result,omitempty"`
		SCode      string `json:"scode"`
		Err        string `json:"error,omitempty"`
		DurationNS int64  `json:"duration_ns"`
		Stack      string `json:"stack,omitempty"`
	}{c.Method, c.Service, c.Args, c.Result, c.SCode.String(), c.Err, c.Duration.Nanoseconds(), c.Stack})
}

// LogTo returns a trace function for Options.Trace that logs each call to
// l: at Info when it succeeded, at Warn when it failed, at Error when it
// panicked, with the call's fields as attributes.
func LogTo(l *slog.Logger) func(Call) {
	return func(c Call) {
		level := slog.LevelInfo
		switch {
		case c.Stack != "":
			level = slog.LevelError
		case c.SCode.Failed():
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{slog.String("scode", c.SCode.String()), slog.Duration("duration", c.Duration)}
		for _, kv := range [...]struct{ k, v string }{
			{"service", c.Service}, {"args", c.Args}, {"result", c.Result}, {"error", c.Err}, {"stack", c.Stack},
		} {
			if kv.v != "" {
				attrs = append(attrs, slog.String(kv.k, kv.v))
			}
		}
		l.LogAttrs(context.Background(), level, c.Method, attrs...)
	}
}

// scodeOf is the SCode MAPI would return for err: S_OK for nil, the code
// an error carries, else MAPI_E_CALL_FAILED.
func scodeOf(err error) mapispi.SCode { return mapispi.CodeOf(err) }

// resultSCode is the SCode a C caller would see for a call that succeeded
// with result: the warning MAPI returns with it, or S_OK.
func resultSCode(result any) mapispi.SCode {
	switch x := result.(type) {
	case *mapispi.LogonResult:
		if x != nil && x.Warning != nil {
			return mapispi.WarnErrorsReturned
		}
	case []mapispi.PropValue:
		return mapispi.PropsWarning(x)
	}
	return mapispi.OK
}
