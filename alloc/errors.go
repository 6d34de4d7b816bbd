package alloc

import (
	"fmt"
	"strings"

	"github.com/mapiemu/mapiemu/internal/stack"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Mistake is a kind of allocator misuse that C MAPI leaves undefined (or
// that a C caller could not even express) and that this package reports
// with a [*MisuseError] and counts in [Stats.Mistakes]. The kind is exact:
// see "Freed buffers and the quarantine" in the package doc.
type Mistake uint8

// The mistakes.
const (
	// DoubleFree: FreeBuffer, Free or Realloc of a buffer already freed
	// (a root, or a buffer linked to a freed root) and still in the
	// quarantine.
	DoubleFree Mistake = iota
	// FreeLinked: FreeBuffer of a buffer from AllocateMore. MAPI frees a
	// linked buffer only with its root.
	FreeLinked
	// FreeForeign: FreeBuffer, Free or Realloc of a buffer this allocator
	// did not hand out, or freed so long ago that it left the quarantine.
	FreeForeign
	// FreeResliced: FreeBuffer, Free or Realloc of a re-sliced buffer
	// (buf[1:], buf[:3]): in C, a pointer that is not the block's start.
	FreeResliced
	// ParentFreed: AllocateMore with a parent that has been freed and is
	// still in the quarantine.
	ParentFreed
	// ParentForeign: AllocateMore with a parent this allocator did not
	// hand out (nil included), or freed and gone from the quarantine.
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
// errors.Is(err, mapispi.ErrInvalidParameter) holds and mapispi.CodeOf
// gives that code; errors.As(err, &me) with me a *MisuseError gives the
// details, also through fmt.Errorf's %w and errors.Join.
type MisuseError struct {
	// Op is the method called: "AllocateBuffer", "AllocateMore",
	// "FreeBuffer", "Alloc", "Realloc" or "Free".
	Op string
	// Mistake says what was wrong.
	Mistake Mistake
	// Size is the size argument for NegativeSize and SizeTooLarge, and
	// len of the buffer argument otherwise.
	Size int
	// Seq is the allocation number (as in [LeakError]) of the buffer the
	// argument is, or points into: set for DoubleFree, FreeLinked,
	// FreeResliced, ParentFreed and ParentResliced; 0 otherwise.
	Seq uint64
	// FreedAt, for DoubleFree and ParentFreed, holds the program counters
	// of the call that first freed the buffer (the FreeBuffer of its root,
	// for a linked buffer), as runtime.Callers gives them, when the
	// allocator's Trace field was set; nil otherwise.
	FreedAt []uintptr
}

// Error returns text such as
// "alloc: FreeBuffer: double free (64-byte buffer #3) (MAPI_E_INVALID_PARAMETER)",
// followed by ", first freed at f (file.go:12) <- g (file.go:30)" when
// FreedAt is set.
func (e *MisuseError) Error() string {
	switch e.Mistake {
	case NegativeSize, SizeTooLarge:
		return fmt.Sprintf("alloc: %s(%d): %s (%v)", e.Op, e.Size, e.Mistake, mapispi.ErrInvalidParameter)
	}
	var b strings.Builder
	what := "buffer"
	switch e.Mistake {
	case ParentFreed, ParentForeign, ParentResliced:
		what = "parent"
	}
	fmt.Fprintf(&b, "alloc: %s: %s (%d-byte %s", e.Op, e.Mistake, e.Size, what)
	if e.Seq != 0 {
		fmt.Fprintf(&b, " #%d", e.Seq)
	}
	fmt.Fprintf(&b, ") (%v)", mapispi.ErrInvalidParameter)
	if len(e.FreedAt) > 0 {
		b.WriteString(", first freed at ")
		stack.Write(&b, e.FreedAt)
	}
	return b.String()
}

// Unwrap returns [mapispi.ErrInvalidParameter].
func (e *MisuseError) Unwrap() error { return mapispi.ErrInvalidParameter }

// LeakError reports a root buffer that was never freed: one per leak in the
// error [Heap.CheckLeaks] and [Malloc.CheckLeaks] return.
type LeakError struct {
	// Op is the call that allocated the buffer: "AllocateBuffer", "Alloc"
	// or "Realloc".
	Op string
	// Seq is the buffer's allocation number: a Heap or Malloc numbers the
	// buffers it hands out 1, 2, 3, ... in the order it makes them,
	// AllocateMore's included, so leaks from one call site are told
	// apart, and a rerun of a deterministic test gives the same numbers.
	Seq uint64
	// Size is the buffer's size.
	Size int
	// Stack holds the program counters of the allocating call, as
	// runtime.Callers gives them, when the allocator's Trace field was
	// set; nil otherwise.
	Stack []uintptr
	// Linked lists the buffers linked to it with AllocateMore, in the
	// order they were made; freeing the root would free them.
	Linked []LinkedBuffer
}

// LinkedBuffer is a buffer linked to a leaked root (see [LeakError]).
type LinkedBuffer struct {
	Seq   uint64    // allocation number
	Size  int       // size
	Stack []uintptr // where AllocateMore was called, with Trace; nil otherwise
}

// bytes returns the size of the root and its linked buffers.
func (e *LeakError) bytes() int64 {
	n := int64(e.Size)
	for _, l := range e.Linked {
		n += int64(l.Size)
	}
	return n
}

// maxLinkedSites bounds the linked buffers whose call site a leak report
// prints.
const maxLinkedSites = 3

// Error returns text such as
// "alloc: leak: AllocateBuffer(64) #3 with 2 linked buffers (24 bytes)",
// followed, when the stacks were recorded, by
// " allocated at f (file.go:12) <- g (file.go:30)" and the call sites of
// the first three linked buffers: "; linked #4 at f (file.go:13) <- ...".
func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "alloc: leak: %s(%d)", e.Op, e.Size)
	if e.Seq != 0 {
		fmt.Fprintf(&b, " #%d", e.Seq)
	}
	if n := len(e.Linked); n > 0 {
		s := "s"
		if n == 1 {
			s = ""
		}
		fmt.Fprintf(&b, " with %d linked buffer%s (%d bytes)", n, s, e.bytes()-int64(e.Size))
	}
	if len(e.Stack) > 0 {
		b.WriteString(" allocated at ")
		stack.Write(&b, e.Stack)
	}
	sites := 0
	for _, l := range e.Linked {
		if len(l.Stack) == 0 {
			continue
		}
		if sites == maxLinkedSites {
			b.WriteString("; ...")
			break
		}
		sites++
		fmt.Fprintf(&b, "; linked #%d at ", l.Seq)
		stack.Write(&b, l.Stack)
	}
	return b.String()
}
