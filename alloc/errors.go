package alloc

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Mistake is a kind of allocator misuse that C MAPI leaves undefined (or
// that a C caller could not even express) and that this package reports
// with a [*MisuseError] and counts in [Stats.Mistakes].
type Mistake uint8

// The mistakes, in the order of [Stats.Mistakes].
const (
	// DoubleFree: FreeBuffer, Free or Realloc of a buffer already freed.
	DoubleFree Mistake = iota
	// FreeLinked: FreeBuffer of a buffer from AllocateMore. MAPI frees a
	// linked buffer only with its root.
	FreeLinked
	// FreeForeign: FreeBuffer, Free or Realloc of a buffer this allocator
	// did not hand out.
	FreeForeign
	// FreeResliced: FreeBuffer, Free or Realloc of a re-sliced buffer
	// (buf[1:], buf[:3]): in C, a pointer that is not the block's start.
	FreeResliced
	// ParentFreed: AllocateMore with a parent that has been freed.
	ParentFreed
	// ParentForeign: AllocateMore with a parent this allocator did not
	// hand out (nil included).
	ParentForeign
	// ParentResliced: AllocateMore with a re-sliced parent.
	ParentResliced
	// NegativeSize: a size below 0.
	NegativeSize
	// SizeTooLarge: a size above [MaxSize].
	SizeTooLarge

	numMistakes = iota
)

var mistakeNames = [numMistakes]string{
	DoubleFree:     "double free",
	FreeLinked:     "free of a linked buffer",
	FreeForeign:    "free of a foreign buffer",
	FreeResliced:   "free of a re-sliced buffer",
	ParentFreed:    "freed parent",
	ParentForeign:  "foreign parent",
	ParentResliced: "re-sliced parent",
	NegativeSize:   "negative size",
	SizeTooLarge:   "size too large",
}

// String returns a short description, such as "double free".
func (m Mistake) String() string {
	if int(m) < len(mistakeNames) {
		return mistakeNames[m]
	}
	return fmt.Sprintf("Mistake(%d)", uint8(m))
}

// MisuseError reports a misuse of a [Heap] or a [Malloc]: where C MAPI has
// undefined behaviour, this package returns this error and changes nothing.
// It unwraps to [mapispi.ErrInvalidParameter], so
// errors.Is(err, mapispi.ErrInvalidParameter) holds; errors.As gives the
// Mistake.
type MisuseError struct {
	// Op is the method called: "AllocateBuffer", "AllocateMore",
	// "FreeBuffer", "Alloc", "Realloc" or "Free".
	Op string
	// Mistake says what was wrong.
	Mistake Mistake
	// Size is the size argument for NegativeSize and SizeTooLarge, and
	// len of the buffer argument otherwise.
	Size int
}

// Error returns text such as
// "alloc: FreeBuffer: double free (64-byte buffer) (MAPI_E_INVALID_PARAMETER)".
func (e *MisuseError) Error() string {
	what := "buffer"
	switch e.Mistake {
	case NegativeSize, SizeTooLarge:
		return fmt.Sprintf("alloc: %s(%d): %s (%v)", e.Op, e.Size, e.Mistake, mapispi.ErrInvalidParameter)
	case ParentFreed, ParentForeign, ParentResliced:
		what = "parent"
	}
	return fmt.Sprintf("alloc: %s: %s (%d-byte %s) (%v)", e.Op, e.Mistake, e.Size, what, mapispi.ErrInvalidParameter)
}

// Unwrap returns [mapispi.ErrInvalidParameter].
func (e *MisuseError) Unwrap() error { return mapispi.ErrInvalidParameter }

// LeakError reports a root buffer that was never freed: one per leak in the
// error [Heap.CheckLeaks] and [Malloc.CheckLeaks] return.
type LeakError struct {
	// Op is the call that allocated the buffer: "AllocateBuffer", "Alloc"
	// or "Realloc".
	Op string
	// Size is the buffer's size.
	Size int
	// Linked and LinkedBytes count the buffers linked to it with
	// AllocateMore and their bytes.
	Linked      int
	LinkedBytes int64
	// Stack holds the program counters of the allocating call, as
	// runtime.Callers gives them, when leak tracing was on; nil otherwise.
	Stack []uintptr
}

// Error returns text such as
// "alloc: leak: AllocateBuffer(64) with 2 linked buffers (24 bytes)",
// followed by " allocated at f (file.go:12) <- g (file.go:30)" when the
// stack was recorded.
func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "alloc: leak: %s(%d)", e.Op, e.Size)
	if e.Linked > 0 {
		s := "s"
		if e.Linked == 1 {
			s = ""
		}
		fmt.Fprintf(&b, " with %d linked buffer%s (%d bytes)", e.Linked, s, e.LinkedBytes)
	}
	if len(e.Stack) > 0 {
		b.WriteString(" allocated at ")
		writeStack(&b, e.Stack)
	}
	return b.String()
}

// maxFrames bounds the frames a leak report prints.
const maxFrames = 6

// writeStack writes frames compactly: "pkg.Func (file.go:12) <- ...",
// stopping at the test runner or the runtime.
func writeStack(b *strings.Builder, pcs []uintptr) {
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
