package alloc_test

import (
	"errors"
	"fmt"

	"github.com/mapiemu/mapiemu/alloc"
	"github.com/mapiemu/mapiemu/mapispi"
)

// A provider builds a result as one root buffer plus linked buffers, as
// MAPI asks, and the caller frees all of it with one FreeBuffer.
func Example_linked() {
	var h alloc.Heap
	root, _ := h.AllocateBuffer(16)     // say, an SPropValue array
	name, _ := h.AllocateMore(6, root)  // a string it points to
	blob, _ := h.AllocateMore(32, name) // linked to name's root: root
	copy(name, "Inbox\x00")
	fmt.Println(h.Stats().Roots, h.Stats().Linked, h.Stats().InUse)

	if err := h.FreeBuffer(root); err != nil {
		fmt.Println(err)
	}
	st := h.Stats()
	fmt.Println(st.Roots, st.Linked, st.InUse)
	fmt.Printf("%#x %#x\n", name[0], blob[0]) // freed memory is poisoned
	fmt.Println(h.CheckLeaks())
	// Output:
	// 1 2 54
	// 0 0 0
	// 0xdd 0xdd
	// <nil>
}

// Freeing a buffer twice is undefined in MAPI; here it is an error that
// says which mistake it was.
func Example_doubleFree() {
	var h alloc.Heap
	buf, _ := h.AllocateBuffer(64)
	fmt.Println(h.FreeBuffer(buf))
	err := h.FreeBuffer(buf)
	fmt.Println(err)

	var me *alloc.MisuseError
	if errors.As(err, &me) {
		fmt.Println(me.Mistake == alloc.DoubleFree, errors.Is(err, mapispi.ErrInvalidParameter))
	}
	fmt.Println(h.Stats().Mistakes(alloc.DoubleFree))
	// Output:
	// <nil>
	// alloc: FreeBuffer: double free (64-byte buffer #1) (MAPI_E_INVALID_PARAMETER)
	// true true
	// 1
}

// CheckLeaks lists every root buffer never freed, largest first, with its
// allocation number (#1 is the Heap's first allocation). Set Trace to add
// where each was allocated.
func ExampleHeap_CheckLeaks() {
	var h alloc.Heap
	spool, _ := h.AllocateBuffer(48)
	h.AllocateMore(10, spool)
	h.AllocateBuffer(8)
	fmt.Println(h.CheckLeaks())
	fmt.Println(h.Live())
	// Output:
	// alloc: leak: AllocateBuffer(48) #1 with 1 linked buffer (10 bytes)
	// alloc: leak: AllocateBuffer(8) #3
	// 2
}

// FailAfter makes an allocation fail at a chosen step, so that each
// out-of-memory path of a provider can be tested.
func ExampleHeap_FailAfter() {
	var h alloc.Heap
	h.FailAfter(2)
	for i := 1; i <= 3; i++ {
		_, err := h.AllocateBuffer(8)
		fmt.Println(i, errors.Is(err, mapispi.ErrNotEnoughMemory))
	}
	// Output:
	// 1 false
	// 2 false
	// 3 true
}

// Malloc is IMalloc: Realloc keeps the contents and frees the old block.
func ExampleMalloc() {
	var m alloc.Malloc
	buf, _ := m.Alloc(5)
	copy(buf, "hello")
	bigger, _ := m.Realloc(buf, 8)
	fmt.Printf("%q %d %d %d\n", bigger, m.Size(bigger), m.DidAlloc(buf), m.DidAlloc(nil))
	m.Free(bigger)
	fmt.Println(m.CheckLeaks())
	// Output:
	// "hello\x00\x00\x00" 8 0 -1
	// <nil>
}
