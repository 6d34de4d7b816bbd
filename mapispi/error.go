package mapispi

import (
	"fmt"
	"strings"
)

// Error is the Go form of MAPIERROR: a status code with the extended
// information MAPI's GetLastError would return for it.
//
// MAPI returns a MAPIERROR through a separate out parameter
// (lppMAPIError) or GetLastError; in Go it travels as the error itself.
// Unwrap returns Code, so errors.Is(err, mapispi.ErrLogonFailed) holds for
// an *Error whose Code is ErrLogonFailed.
type Error struct {
	// Code is the status code of the failure. It should not be OK.
	Code SCode
	// Component names the layer that failed (lpszComponent). MAPI asks for
	// 30 characters or fewer, since it is shown in dialogs.
	Component string
	// Message says what went wrong and why (lpszError).
	Message string
	// LowLevel is the low-level error code, when the failure had one
	// (ulLowLevelError).
	LowLevel uint32
	// Context locates the failure inside Component (ulContext).
	Context uint32
}

// Errorf returns an *Error with the given code and component and a message
// formatted as by fmt.Sprintf.
func Errorf(code SCode, component, format string, args ...any) *Error {
	return &Error{Code: code, Component: component, Message: fmt.Sprintf(format, args...)}
}

// Error returns "component: message (MAPI_NAME)", leaving out empty parts.
func (e *Error) Error() string {
	if e == nil {
		return "<nil *mapispi.Error>"
	}
	var b strings.Builder
	if e.Component != "" {
		b.WriteString(e.Component)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
		b.WriteString(" (")
		b.WriteString(e.Code.String())
		b.WriteByte(')')
	} else {
		b.WriteString(e.Code.String())
	}
	if e.LowLevel != 0 {
		fmt.Fprintf(&b, " [low-level 0x%08X]", e.LowLevel)
	}
	return b.String()
}

// Unwrap returns e.Code.
func (e *Error) Unwrap() error { return e.Code }
