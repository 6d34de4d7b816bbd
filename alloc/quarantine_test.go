package alloc

import (
	"runtime"
	"testing"
	"unsafe"
	"weak"
)

// TestQuarantine shows how long a freed buffer is told apart from a
// foreign one: the quarantine is bounded in bytes, each freed buffer
// counting its size rounded up to 8 plus bookkeeping, and the oldest go
// first.
func TestQuarantine(t *testing.T) {
	t.Run("off", func(t *testing.T) {
		h := Heap{Quarantine: -1}
		buf := mustAlloc(t, &h, 8)
		noErr(t, "FreeBuffer(buf)", h.FreeBuffer(buf))
		wantMistake(t, "FreeBuffer(freed) with no quarantine", h.FreeBuffer(buf), FreeForeign)
		_, err := h.AllocateMore(1, buf)
		wantMistake(t, "AllocateMore(1, freed) with no quarantine", err, ParentForeign)
		allPoison(t, "freed buf", buf)
	})
	t.Run("bytes", func(t *testing.T) {
		const k = bookkeeping
		h := Heap{Quarantine: 8 + 72 + 8 + 3*k} // a, b and c
		a := mustAlloc(t, &h, 1)                // counts 8+k
		b := mustAlloc(t, &h, 65)               // counts 72+k
		c := mustAlloc(t, &h, 0)                // counts 8+k
		d := mustAlloc(t, &h, 8)                // counts 8+k
		for _, buf := range [][]byte{a, b, c} {
			noErr(t, "FreeBuffer", h.FreeBuffer(buf))
		}
		for name, buf := range map[string][]byte{"a": a, "b": b, "c": c} {
			wantMistake(t, "FreeBuffer("+name+") with the quarantine just full", h.FreeBuffer(buf), DoubleFree)
		}
		noErr(t, "FreeBuffer(d)", h.FreeBuffer(d)) // pushes a out
		wantMistake(t, "FreeBuffer(a), the oldest", h.FreeBuffer(a), FreeForeign)
		wantMistake(t, "FreeBuffer(b)", h.FreeBuffer(b), DoubleFree)
		big := mustAlloc(t, &h, 1000)
		noErr(t, "FreeBuffer(big)", h.FreeBuffer(big)) // larger than the quarantine: pushes out all
		for name, buf := range map[string][]byte{"b": b, "c": c, "d": d, "big": big} {
			wantMistake(t, "FreeBuffer("+name+") after a free larger than the quarantine", h.FreeBuffer(buf), FreeForeign)
		}
		allPoison(t, "big", big)
		noErr(t, "CheckLeaks()", h.CheckLeaks())
	})
	t.Run("linked", func(t *testing.T) {
		// Freeing a root puts it in the quarantine first, then its linked
		// buffers in the order they were made.
		h := Heap{Quarantine: 3 * (8 + bookkeeping)}
		root := mustAlloc(t, &h, 8)
		k1 := mustMore(t, &h, 8, root)
		k2 := mustMore(t, &h, 8, root)
		noErr(t, "FreeBuffer(root)", h.FreeBuffer(root))
		wantMistake(t, "FreeBuffer(k1)", h.FreeBuffer(k1), DoubleFree)
		other := mustAlloc(t, &h, 8)
		noErr(t, "FreeBuffer(other)", h.FreeBuffer(other)) // pushes root out
		wantMistake(t, "FreeBuffer(root)", h.FreeBuffer(root), FreeForeign)
		wantMistake(t, "FreeBuffer(k2)", h.FreeBuffer(k2), DoubleFree)
		_, err := h.AllocateMore(1, k1)
		wantMistake(t, "AllocateMore(1, k1)", err, ParentFreed)
	})
	t.Run("default", func(t *testing.T) {
		var h Heap
		first := mustAlloc(t, &h, 56) // counts 56+bookkeeping
		noErr(t, "FreeBuffer(first)", h.FreeBuffer(first))
		for range DefaultQuarantine/(56+bookkeeping) - 1 {
			noErr(t, "FreeBuffer", h.FreeBuffer(mustAlloc(t, &h, 56)))
		}
		wantMistake(t, "FreeBuffer(first) with DefaultQuarantine just full", h.FreeBuffer(first), DoubleFree)
		noErr(t, "FreeBuffer", h.FreeBuffer(mustAlloc(t, &h, 56)))
		wantMistake(t, "FreeBuffer(first) once pushed out", h.FreeBuffer(first), FreeForeign)
	})
}

// gcReclaimed reports whether the garbage collector has reclaimed the
// memory p points to: that is when Go may hand its address to another
// allocation.
func gcReclaimed(p weak.Pointer[byte]) bool {
	runtime.GC()
	runtime.GC()
	return p.Value() == nil
}

// TestQuarantineKeepsMemory proves the guarantee that makes the Mistake
// kinds exact: a freed buffer's memory stays alive while the quarantine
// remembers its address, so Go cannot give the address to anything else,
// and is let go once the address is forgotten.
func TestQuarantineKeepsMemory(t *testing.T) {
	t.Run("Heap", func(t *testing.T) {
		h := Heap{Quarantine: 1 << 20}
		root := mustAlloc(t, &h, 64)
		kid := mustMore(t, &h, 32, root)
		rootMem, kidMem := weak.Make(&root[0]), weak.Make(&kid[0])
		noErr(t, "FreeBuffer(root)", h.FreeBuffer(root))
		root, kid = nil, nil
		eq(t, "freed root reclaimed while in the quarantine", gcReclaimed(rootMem), false)
		eq(t, "freed linked buffer reclaimed while in the quarantine", gcReclaimed(kidMem), false)
		if t.Failed() {
			t.FailNow()
		}
		allPoison(t, "freed root, in the quarantine", unsafe.Slice(rootMem.Value(), 64))

		// A free larger than the quarantine pushes both out.
		noErr(t, "FreeBuffer(big)", h.FreeBuffer(mustAlloc(t, &h, 2<<20)))
		eq(t, "freed root reclaimed once out of the quarantine", gcReclaimed(rootMem), true)
		eq(t, "freed linked buffer reclaimed once out of the quarantine", gcReclaimed(kidMem), true)
	})
	t.Run("Malloc", func(t *testing.T) {
		var m Malloc
		old := mustMalloc(t, &m, 64)
		gone := mustMalloc(t, &m, 64)
		oldMem, goneMem := weak.Make(&old[0]), weak.Make(&gone[0])
		_, err := m.Realloc(old, 128)
		noErr(t, "Realloc(old, 128)", err)
		noErr(t, "Free(gone)", m.Free(gone))
		old, gone = nil, nil
		eq(t, "block freed by Realloc reclaimed while in the quarantine", gcReclaimed(oldMem), false)
		eq(t, "freed block reclaimed while in the quarantine", gcReclaimed(goneMem), false)
		m.HeapMinimize()
		eq(t, "block freed by Realloc reclaimed after HeapMinimize", gcReclaimed(oldMem), true)
		eq(t, "freed block reclaimed after HeapMinimize", gcReclaimed(goneMem), true)
	})
}

// TestForeignAtFreedAddress frees buffers, drops every slice of them,
// runs the garbage collector and then hands the Heap foreign buffers of
// the same size class: none may sit at a remembered address, so each is
// FreeForeign and ParentForeign, never DoubleFree or ParentFreed.
func TestForeignAtFreedAddress(t *testing.T) {
	h := Heap{Quarantine: 1 << 30}
	const n = 2000
	freed := map[uintptr]bool{}
	for range n {
		b := mustAlloc(t, &h, 48)
		freed[addr(b)] = true
		noErr(t, "FreeBuffer", h.FreeBuffer(b))
	}
	runtime.GC()
	runtime.GC()
	var keep [][]byte
	for range 4 * n {
		f := make([]byte, 48)
		keep = append(keep, f)
		if freed[addr(f)] {
			t.Fatalf("make([]byte, 48) at %#x, the address of a buffer still in the quarantine", addr(f))
		}
		wantMistake(t, "FreeBuffer(foreign)", h.FreeBuffer(f), FreeForeign)
		_, err := h.AllocateMore(1, f)
		wantMistake(t, "AllocateMore(1, foreign)", err, ParentForeign)
	}
	runtime.KeepAlive(keep)
	eq(t, "Stats().Mistakes(DoubleFree)", h.Stats().Mistakes(DoubleFree), 0)
}
