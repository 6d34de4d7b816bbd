package alloc

import "github.com/mapiemu/mapiemu/mapispi"

// Heap is the Go form of the MAPI allocator callbacks MAPIAllocateBuffer,
// MAPIAllocateMore and MAPIFreeBuffer ([mapispi.Allocator]), with the
// checks C never had: every misuse is reported and counted, freed memory
// is poisoned, leaks are listed, and allocation failure can be forced.
//
// The zero value is ready to use. A Heap is safe for concurrent use; set
// its fields before the first call and do not copy it after.
type Heap struct {
	// Trace records the caller's stack at each allocation and each
	// free, so that CheckLeaks says where every leaked buffer and every
	// buffer linked to it was allocated, and a DoubleFree or ParentFreed
	// error says where the buffer was first freed. It costs a stack walk
	// and an allocation per call.
	Trace bool

	// Quarantine bounds, in bytes, the freed buffers the Heap remembers:
	// freeing one of them again is a DoubleFree, while freeing one it has
	// forgotten is FreeForeign. A freed buffer counts its size rounded up
	// to a multiple of 8 (8 at least), plus 64 bytes for its bookkeeping;
	// the oldest are forgotten first. 0 means DefaultQuarantine (1 MiB);
	// a negative value remembers none.
	//
	// The Heap keeps a remembered buffer's memory alive, which is what
	// makes the Mistake kinds exact (see the package doc).
	Quarantine int

	c core
}

var _ mapispi.Allocator = (*Heap)(nil)

// AllocateBuffer is MAPIAllocateBuffer: a new root buffer of size bytes,
// zero-filled (as all Go memory is) and 8-byte aligned, with len and cap
// size. Size 0 gives a distinct, non-nil, empty buffer.
//
// A size below 0 or above MaxSize is a mistake (ErrInvalidParameter); the
// limit or FailAfter refuse it with ErrNotEnoughMemory.
func (h *Heap) AllocateBuffer(size int) ([]byte, error) {
	return h.c.alloc(opAllocateBuffer, size, callers(h.Trace))
}

// AllocateMore is MAPIAllocateMore: a new buffer of size bytes linked to
// the root of parent, which is a live buffer from AllocateBuffer or
// AllocateMore exactly as handed out (a linked parent links to its root).
// Freeing the root frees it; it cannot be freed on its own. Its cost does
// not depend on how many buffers the root already has.
//
// A freed, foreign or re-sliced parent is a mistake (ErrInvalidParameter),
// as are bad sizes; the limit and FailAfter apply as for AllocateBuffer.
func (h *Heap) AllocateMore(size int, parent []byte) ([]byte, error) {
	return h.c.more(size, parent, callers(h.Trace))
}

// FreeBuffer is MAPIFreeBuffer: it frees a root buffer and every buffer
// linked to it, overwriting them with Poison, in time proportional to
// their number. Freeing nil does nothing and succeeds.
//
// Freeing a linked buffer, a freed buffer, a re-sliced buffer or one this
// Heap did not hand out is undefined in MAPI; here it is a mistake that
// returns ErrInvalidParameter and frees nothing.
func (h *Heap) FreeBuffer(buf []byte) error {
	return h.c.free(opFreeBuffer, buf, h.Quarantine, callers(h.Trace))
}

// SetLimit (no MAPI counterpart) caps the bytes in use (Stats.InUse),
// simulating a full heap: an allocation that would
// go past n bytes fails with ErrNotEnoughMemory. A negative n removes the
// cap, which is where the zero Heap starts.
func (h *Heap) SetLimit(n int64) { h.c.setLimit(n) }

// Limit returns the cap SetLimit set, or -1 for none.
func (h *Heap) Limit() int64 { return h.c.getLimit() }

// FailAfter (no MAPI counterpart) makes the next n allocations
// (AllocateBuffer and AllocateMore
// calls with valid arguments) succeed and every one after them fail with
// ErrNotEnoughMemory, so that each out-of-memory path of a provider can be
// tested. FailAfter(0) fails the next one; FailAfter(-1) stops failing.
// FailAfter is checked before the limit, so an allocation the limit
// refuses still counts as one of the n.
func (h *Heap) FailAfter(n int) { h.c.failAfter(n) }

// Stats (no MAPI counterpart) returns the Heap's accounting. It does not
// allocate.
func (h *Heap) Stats() Stats { return h.c.stats() }

// CheckLeaks (no MAPI counterpart) returns nil if no root buffer is live,
// or else the
// errors.Join of one *LeakError per live root, largest first, saying its
// size, its allocation number, its linked buffers and, with Trace, where
// each was allocated.
// It is what MAPI never does: logging off does not reclaim buffers.
func (h *Heap) CheckLeaks() error { return h.c.checkLeaks() }

// Owns (no MAPI counterpart) reports whether buf is a live buffer (root
// or linked) that this
// Heap handed out, exactly as it was handed out.
func (h *Heap) Owns(buf []byte) bool {
	_, ok := h.c.live(buf)
	return ok
}

// Live (no MAPI counterpart) returns the number of live root buffers.
func (h *Heap) Live() int { return h.c.liveRoots() }
