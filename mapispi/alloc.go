package mapispi

// Allocator is the Go form of the three MAPI allocation callbacks that
// MSProviderInit receives (lpAllocateBuffer, lpAllocateMore, lpFreeBuffer)
// and IMAPISupport::GetMemAllocRoutines returns again.
//
// Every buffer a provider hands to MAPI (spool security data, MAPIERROR
// text, property arrays) must come from the Allocator it was given, and
// MAPI frees it. Package alloc implements it with MAPI's exact rules and
// reports every misuse.
//
// Implementations must be safe for concurrent use.
type Allocator interface {
	// AllocateBuffer is MAPIAllocateBuffer: a new root buffer of size bytes.
	// Size 0 gives a valid, distinct buffer. A negative or oversized size is
	// ErrInvalidParameter; exhaustion is ErrNotEnoughMemory.
	AllocateBuffer(size int) ([]byte, error)

	// AllocateMore is MAPIAllocateMore: a buffer of size bytes linked to
	// parent, a buffer from AllocateBuffer (or one linked to it), so that
	// freeing the root frees it too. It cannot be freed on its own.
	AllocateMore(size int, parent []byte) ([]byte, error)

	// FreeBuffer is MAPIFreeBuffer: it frees a root buffer and every buffer
	// linked to it. Freeing nil does nothing and succeeds. Freeing a linked
	// buffer, a buffer twice, or one this allocator did not hand out is
	// undefined in MAPI; an implementation should report it with
	// ErrInvalidParameter rather than guess.
	FreeBuffer(buf []byte) error
}

// Malloc is the Go form of the OLE IMalloc interface that MSProviderInit
// receives as lpMalloc, used for objects such as IStream.
//
// Implementations must be safe for concurrent use.
type Malloc interface {
	// Alloc is IMalloc::Alloc: a block of at least size bytes. Size 0 gives
	// a valid block. It fails with ErrNotEnoughMemory where C returns NULL.
	Alloc(size int) ([]byte, error)

	// Realloc is IMalloc::Realloc. A nil buf allocates as Alloc does; size 0
	// with a non-nil buf frees it and returns nil, nil. Otherwise the
	// contents are kept up to the smaller of the two sizes, the block may
	// move, and on failure buf is left unchanged and still valid.
	Realloc(buf []byte, size int) ([]byte, error)

	// Free is IMalloc::Free. Freeing nil does nothing. Freeing a block this
	// allocator did not hand out, or twice, is reported with
	// ErrInvalidParameter where C has undefined behaviour.
	Free(buf []byte) error

	// Size is IMalloc::GetSize: the size of the block, which may exceed
	// the size requested, or -1 for nil or a block this allocator does not
	// know.
	Size(buf []byte) int

	// DidAlloc is IMalloc::DidAlloc: 1 if this allocator handed out buf and
	// it is live, 0 if it did not, -1 if it cannot tell (nil gives -1).
	DidAlloc(buf []byte) int

	// HeapMinimize is IMalloc::HeapMinimize: return unused memory to the
	// system where the implementation can.
	HeapMinimize()
}
