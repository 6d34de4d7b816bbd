package alloc

// Stats is a snapshot of a Heap's or a Malloc's accounting. Taken while
// other goroutines allocate, it is a sum of per-shard snapshots rather
// than one instant; taken at rest it is exact.
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
	// Mistakes counts each kind of misuse, indexed by Mistake.
	Mistakes [numMistakes]int64
}

// Misuses returns the number of mistakes of every kind.
func (s Stats) Misuses() int64 {
	var n int64
	for _, m := range s.Mistakes {
		n += m
	}
	return n
}
