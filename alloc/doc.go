// Package alloc emulates MAPI's memory rules exactly and adds the checks C
// never had. [Heap] is the Go form of the allocator callbacks
// MSProviderInit receives (MAPIAllocateBuffer, MAPIAllocateMore,
// MAPIFreeBuffer: [mapispi.Allocator]); [Malloc] is the Go form of its
// IMalloc ([mapispi.Malloc]). The rules come from
// shared/spec/spi-facts.md §3; the choices where MAPI is silent follow §9.
//
// In C a misused allocator is a leak or a crash found months later; in Go
// the garbage collector hides both. This package makes every mistake
// visible: it returns an error instead of guessing, counts it in [Stats],
// overwrites freed memory with [Poison], and lists what was never freed
// ([Heap.CheckLeaks]).
//
// # Rules
//
//	Operation             C function                What happens on misuse here
//	Heap.AllocateBuffer   MAPIAllocateBuffer        size < 0 or > MaxSize: NegativeSize, SizeTooLarge
//	Heap.AllocateMore     MAPIAllocateMore          freed, foreign (or nil), re-sliced parent:
//	                                                ParentFreed, ParentForeign, ParentResliced
//	Heap.FreeBuffer       MAPIFreeBuffer            linked, freed, foreign, re-sliced buffer:
//	                                                FreeLinked, DoubleFree, FreeForeign, FreeResliced
//	Malloc.Alloc          IMalloc::Alloc            bad size, as AllocateBuffer
//	Malloc.Realloc        IMalloc::Realloc          bad size; bad buffer as Free
//	Malloc.Free           IMalloc::Free             freed, foreign, re-sliced block
//	Malloc.Size           IMalloc::GetSize          -1 for nil or an unknown block
//	Malloc.DidAlloc       IMalloc::DidAlloc         -1 for nil, 0 for an unknown block
//	Malloc.HeapMinimize   IMalloc::HeapMinimize     (none)
//
// Every mistake returns a [*MisuseError] that unwraps to
// [mapispi.ErrInvalidParameter], changes nothing, and is counted by kind
// in [Stats.Mistakes]. Running out of memory ([Heap.SetLimit],
// [Heap.FailAfter]) is [mapispi.ErrNotEnoughMemory], counted in
// [Stats.Failures]. Freeing nil succeeds and does nothing. Nothing panics.
//
// # Choices where MAPI is undefined
//
//   - Freeing a linked buffer, freeing twice, or freeing a foreign pointer is
//     undefined in MAPI (its docs also say it "can return S_OK"; Wine frees
//     the rest of the chain). Here each is a mistake, reported as
//     MAPI_E_INVALID_PARAMETER, which is the code Wine uses for bad
//     arguments (spec §9 #2, #3).
//   - A linked buffer is accepted as AllocateMore's parent, as Wine accepts
//     it: the new buffer links to the parent's root.
//   - A buffer is identified by the address of its first byte and its len
//     and cap, so a re-sliced buffer (buf[1:], buf[:3]) is a mistake, as
//     an interior pointer would be in C.
//   - Size 0 gives a distinct, non-nil, empty buffer (as Wine and IMalloc
//     do). Sizes above [MaxSize] are a mistake on every platform.
//   - Every buffer is 8-byte aligned (the allocator pages promise 2 or 4,
//     the ENTRYID page speaks of 8; spec §9 #4) and backed by its own
//     allocation of at least 8 bytes. Its cap equals its len, so append
//     never writes past it.
//   - Memory is zero-filled, as all Go memory is (C leaves it undefined).
//   - A freed buffer is overwritten with [Poison], and its address is
//     remembered in a bounded quarantine (see [Heap.Quarantine]) so that
//     freeing it again is told apart as a DoubleFree. Go reclaims the memory
//     once no slice refers to it; until then, a stale slice reads Poison.
//     Because only the address is kept, Go may hand the same memory to a
//     later make: a foreign buffer that happens to sit at a remembered or
//     live address is still an error (ErrInvalidParameter), but its
//     Mistake kind may be DoubleFree, ParentFreed or ParentResliced rather
//     than the foreign kind. The kind is best effort; the error is not.
//   - Without SetLimit, a size MAPI accepts (below 2 GiB) goes to make, so
//     a size the machine cannot hold ends the process as any Go allocation
//     would. Set a limit to turn such sizes into ErrNotEnoughMemory.
//   - Realloc always moves the block, so a stale pointer to the old block
//     reads Poison rather than the new contents.
//
// # Concurrency and cost
//
// Heap and Malloc are safe for concurrent use. Buffers are kept in 64
// shards by 8 KiB page of memory, each an open-addressing table behind its
// own mutex; no call holds two shard locks, and the allocation and free
// paths hold one only for a table update. The one shared write is an
// atomic counter of the bytes in use, which keeps SetLimit and Stats().Peak
// exact. AllocateMore appends to its root's list in O(1) amortized time,
// and FreeBuffer frees a root with n linked buffers in O(n). Telling a
// re-sliced buffer from a foreign one scans every buffer, and CheckLeaks
// does too, locking one shard at a time; the allocation and free paths
// never scan.
package alloc
