// Package goid tells goroutines apart, for the one question the host and
// the notification dispatcher cannot answer otherwise: "is this call
// re-entering, on the same goroutine, an operation that is waiting for
// it?". Waiting would deadlock, so such a call must not wait.
//
// Go has no public goroutine identity. The runtime prints it at the top
// of every stack trace ("goroutine 18 [running]:"), and that is what Get
// reads. It costs about a microsecond, so callers use it only where an
// operation may be waited for (a store being opened, a sink being
// called), not on every call.
package goid

import "runtime"

// Get returns the calling goroutine's ID: a positive number unique among
// live goroutines.
func Get() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	// b starts with "goroutine 18 [".
	const prefix = "goroutine "
	if len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		panic("goid: unexpected stack header " + string(b))
	}
	var id uint64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	if id == 0 {
		panic("goid: no goroutine ID in stack header " + string(b))
	}
	return id
}
