package alloc

import "github.com/mapiemu/mapiemu/mapispi"

// Malloc is the Go form of the OLE IMalloc interface ([mapispi.Malloc])
// that MSProviderInit receives, with the same checks and accounting as
// [Heap]: misuse is reported and counted, freed memory is poisoned, leaks
// are listed, and allocation failure can be forced.
//
// The zero value is ready to use. A Malloc is safe for concurrent use; set
// its fields before the first call and do not copy it after.
type Malloc struct {
	// Trace records the caller's stack at each Alloc, Realloc and Free,
	// for CheckLeaks and DoubleFree errors, as Heap.Trace does.
	Trace bool

	// Quarantine bounds, in bytes, the freed blocks the Malloc remembers,
	// as Heap.Quarantine does. HeapMinimize empties it.
	Quarantine int

	c core
}

var _ mapispi.Malloc = (*Malloc)(nil)

// Alloc is IMalloc::Alloc: a block of size bytes, zero-filled (C leaves
// it undefined) and 8-byte aligned, with len and cap size. Size 0 gives a
// distinct, non-nil, empty block. Where C returns NULL, it fails with
// ErrNotEnoughMemory (limit, FailAfter) or ErrInvalidParameter (a size
// below 0 or above MaxSize).
func (m *Malloc) Alloc(size int) ([]byte, error) {
	return m.c.alloc(opAlloc, size, callers(m.Trace))
}

// Realloc is IMalloc::Realloc. A nil buf allocates as Alloc does. Size 0
// with a non-nil buf frees it and returns nil, nil. Otherwise the block
// always moves: a new block gets the contents up to the smaller size (the
// rest zero-filled) and buf is freed and poisoned. If the allocation
// fails, buf is left unchanged and still valid.
//
// Realloc frees buf, so a freed, foreign or re-sliced buf is the mistake
// Free would report (ErrInvalidParameter), and changes nothing.
func (m *Malloc) Realloc(buf []byte, size int) ([]byte, error) {
	return m.c.realloc(buf, size, callers(m.Trace), m.Quarantine)
}

// Free is IMalloc::Free: it frees a block and overwrites it with Poison.
// Freeing nil does nothing. Freeing a freed, re-sliced or foreign block is
// undefined in C; here it is a mistake that returns ErrInvalidParameter
// and frees nothing.
func (m *Malloc) Free(buf []byte) error {
	return m.c.free(opFree, buf, m.Quarantine, callers(m.Trace))
}

// Size is IMalloc::GetSize: the size of a live block exactly as handed out
// (the size asked for; blocks are never larger), or -1 for nil or any
// other slice.
func (m *Malloc) Size(buf []byte) int {
	if n, ok := m.c.live(buf); ok {
		return n
	}
	return -1
}

// DidAlloc is IMalloc::DidAlloc: 1 if buf is a live block this Malloc
// handed out (exactly as handed out), -1 for nil, and 0 otherwise.
func (m *Malloc) DidAlloc(buf []byte) int {
	if addr(buf) == 0 {
		return -1
	}
	if _, ok := m.c.live(buf); ok {
		return 1
	}
	return 0
}

// HeapMinimize is IMalloc::HeapMinimize: it empties the quarantine, so Go
// can reclaim the freed blocks it kept alive. Freeing one of them again is
// then reported as FreeForeign rather than DoubleFree.
func (m *Malloc) HeapMinimize() { m.c.flush() }

// SetLimit (no IMalloc counterpart) caps the bytes in use, as
// Heap.SetLimit does. During a Realloc
// the old and the new block are both in use.
func (m *Malloc) SetLimit(n int64) { m.c.setLimit(n) }

// FailAfter (no IMalloc counterpart) makes the next n allocations (Alloc
// calls, and Realloc calls
// that allocate, with valid arguments) succeed and every later one fail
// with ErrNotEnoughMemory; FailAfter(-1) stops failing.
func (m *Malloc) FailAfter(n int) { m.c.failAfter(n) }

// Stats (no IMalloc counterpart) returns the Malloc's accounting. It does
// not allocate.
func (m *Malloc) Stats() Stats { return m.c.stats() }

// CheckLeaks (no IMalloc counterpart) returns nil if no block is live, or
// else the errors.Join of one *LeakError per live block, largest first.
func (m *Malloc) CheckLeaks() error { return m.c.checkLeaks() }

// Live (no IMalloc counterpart) returns the number of live blocks.
func (m *Malloc) Live() int { return m.c.liveRoots() }
