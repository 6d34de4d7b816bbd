package alloc

import "testing"

// CheckTB (no MAPI counterpart) makes the test t fail if a buffer from a
// is still live when t ends: it registers a t.Cleanup that calls
// a.CheckLeaks and reports its error, one leak per line. a is a *Heap or a
// *Malloc.
//
// Cleanups run last-registered first, so call CheckTB before registering
// cleanups that free buffers (deferred frees in the test function run
// before it anyway). Set the allocator's Trace field to have each leak say
// where it was allocated.
//
//	func TestProvider(t *testing.T) {
//		var heap alloc.Heap
//		alloc.CheckTB(t, &heap)
//		buf, err := heap.AllocateBuffer(64)
//		...
//		heap.FreeBuffer(buf) // without it, the test fails with
//		// alloc: leak: AllocateBuffer(64) #1
//	}
func CheckTB(t testing.TB, a interface{ CheckLeaks() error }) {
	t.Helper()
	t.Cleanup(func() {
		t.Helper()
		if err := a.CheckLeaks(); err != nil {
			t.Errorf("buffers never freed:\n%v", err)
		}
	})
}
