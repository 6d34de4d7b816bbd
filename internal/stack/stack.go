// Package stack records and prints where something happened, compactly,
// for the leak and misuse reports of packages alloc and mapi.
package stack

import (
	"fmt"
	"runtime"
	"strings"
)

// Depth is how many frames Record keeps: as many as Write prints, since
// each costs its unwinding on every Record.
const Depth = maxFrames

// Trace is a recorded call stack: up to Depth program counters.
type Trace struct {
	pcs [Depth]uintptr
	n   uint8
}

// Record returns the caller's stack, skipping skip frames above Record's
// caller (0: Record's caller itself).
func Record(skip int) Trace {
	var t Trace
	t.n = uint8(runtime.Callers(skip+2, t.pcs[:]))
	return t
}

// PCs returns the program counters, as runtime.Callers gives them.
func (t Trace) PCs() []uintptr { return t.pcs[:t.n] }

// maxFrames bounds the frames Write prints.
const maxFrames = 6

// Write writes frames compactly, "pkg.Func (file.go:12) <- ...", stopping
// at the test runner or the runtime.
func Write(b *strings.Builder, pcs []uintptr) {
	frames := runtime.CallersFrames(pcs)
	for n := 0; n < maxFrames; n++ {
		f, more := frames.Next()
		if f.Function == "testing.tRunner" || strings.HasPrefix(f.Function, "runtime.") {
			break
		}
		if n > 0 {
			b.WriteString(" <- ")
		}
		fn := f.Function
		if i := strings.LastIndexByte(fn, '/'); i >= 0 {
			fn = fn[i+1:]
		}
		file := f.File
		if i := strings.LastIndexByte(file, '/'); i >= 0 {
			file = file[i+1:]
		}
		fmt.Fprintf(b, "%s (%s:%d)", fn, file, f.Line)
		if !more {
			break
		}
	}
}
