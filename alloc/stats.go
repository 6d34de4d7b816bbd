package alloc

// Stats is a snapshot of a Heap's or a Malloc's accounting, taken at one
// instant. Two snapshots compare with ==.
type Stats struct {
	// Roots counts the live root buffers: from AllocateBuffer (Heap), or
	// from Alloc and Realloc (Malloc).
	Roots int64
	// Linked counts the live buffers from AllocateMore.
	Linked int64
	// InUse is the bytes in use: the sizes asked for, summed over live
	// buffers. Peak is the highest InUse has been.
	InUse, Peak int64

	// Allocs counts the root buffers made (AllocateBuffer, Alloc, and
	// the new block of each Realloc that made one); Mores the linked
	// buffers made; Frees the root buffers freed (FreeBuffer, Free, and
	// the old block of each Realloc that freed one), so that
	// Roots == Allocs - Frees. Freeing nil is not counted.
	Allocs, Mores, Frees int64
	// Reallocs counts the Realloc calls that succeeded.
	Reallocs int64

	// Failures counts the allocations refused with ErrNotEnoughMemory
	// because of the limit or FailAfter.
	Failures int64

	mistakes [numMistakes]int64 // by kind; read with Mistakes
}

// Mistakes returns how many mistakes of kind m were made.
func (s Stats) Mistakes(m Mistake) int64 {
	if int(m) >= len(s.mistakes) {
		return 0
	}
	return s.mistakes[m]
}

// Misuses returns the number of mistakes of every kind.
func (s Stats) Misuses() int64 {
	var n int64
	for _, m := range s.mistakes {
		n += m
	}
	return n
}
