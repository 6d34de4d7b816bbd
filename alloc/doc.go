// Package alloc emulates MAPI's memory rules exactly and adds the checks C
// never had. [Heap] is the Go form of the allocator callbacks
// MSProviderInit receives (MAPIAllocateBuffer, MAPIAllocateMore,
// MAPIFreeBuffer: [mapispi.Allocator]); [Malloc] is the Go form of its
// IMalloc ([mapispi.Malloc]). The rules are those of Microsoft's
// MAPIAllocateBuffer, MAPIAllocateMore and MAPIFreeBuffer pages (Outlook
// MAPI reference) and of the COM IMalloc interface page.
//
// In C a misused allocator is a leak or a crash found months later; in Go
// the garbage collector hides both. This package makes every mistake
// visible: it returns an error instead of guessing, counts it in [Stats],
// overwrites freed memory with [Poison], and lists what was never freed
// ([Heap.CheckLeaks], or [CheckTB] in a test).
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
// ([Stats.Mistakes]). Running out of memory ([Heap.SetLimit],
// [Heap.FailAfter]) is [mapispi.ErrNotEnoughMemory], counted in
// [Stats.Failures]. Freeing nil succeeds and does nothing. Nothing panics.
//
// # Choices where MAPI is undefined
//
//   - Freeing a linked buffer, freeing twice, or freeing a foreign pointer is
//     undefined in MAPI (the MAPIFreeBuffer page also says it "can return
//     S_OK"; Wine's mapi32 frees the rest of the chain). Here each is a
//     mistake, reported as MAPI_E_INVALID_PARAMETER, the code Wine returns
//     for bad arguments.
//   - A linked buffer is accepted as AllocateMore's parent, as Wine accepts
//     it: the new buffer links to the parent's root.
//   - A buffer is identified by the address of its first byte and its len
//     and cap, so a re-sliced buffer (buf[1:], buf[:3]) is a mistake, as
//     an interior pointer would be in C.
//   - Size 0 gives a distinct, non-nil, empty buffer (as Wine and IMalloc
//     do). Sizes above [MaxSize] are a mistake on every platform.
//   - Every buffer is 8-byte aligned (the allocator pages promise 2 or 4,
//     the ENTRYID page speaks of 8) and backed by its own allocation of at
//     least 8 bytes. Its cap equals its len, so append never writes past
//     it.
//   - Memory is zero-filled, as all Go memory is (C leaves it undefined).
//   - Without SetLimit, a size MAPI accepts (below 2 GiB) goes to make, so
//     a size the machine cannot hold ends the process as any Go allocation
//     would. Set a limit to turn such sizes into ErrNotEnoughMemory.
//   - Realloc always moves the block, so a stale pointer to the old block
//     reads Poison rather than the new contents.
//
// # Freed buffers and the quarantine
//
// A freed buffer is overwritten with Poison and put in the allocator's
// quarantine, which remembers it, and keeps its memory alive, until later
// frees push it out; [Heap.Quarantine] bounds the quarantine in bytes.
// While a buffer is live or in the quarantine, no other Go allocation can
// have its address, so the Mistake kind of an error is exact: DoubleFree
// and ParentFreed mean this allocator handed the buffer out and it was
// freed; FreeLinked, FreeResliced and ParentResliced name a buffer it
// handed out; FreeForeign and ParentForeign mean it remembers nothing at
// that address.
//
// Once a buffer leaves the quarantine, the allocator forgets it: freeing
// it again is FreeForeign, and using it as a parent is ParentForeign
// (both still ErrInvalidParameter). A slice that still refers to it keeps
// reading Poison, since the slice keeps the memory alive; when no slice
// does, Go may reclaim the memory and hand the address to a later buffer,
// which is then simply a new buffer.
//
// # Concurrency and cost
//
// Heap and Malloc are safe for concurrent use; each call is atomic. A
// call costs a few map operations on top of Go's own allocation (see the
// README for figures). AllocateMore appends to its root's list in O(1)
// amortized time, and FreeBuffer frees a root with n linked buffers in
// O(n). Telling a freed, a re-sliced and a foreign buffer apart, which
// only a mistake needs, looks at every remembered buffer, as CheckLeaks
// does; calls that make no mistake never do.
package alloc
