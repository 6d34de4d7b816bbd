package alloc

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/mapiemu/mapiemu/mapispi"
)

func TestAllocateBuffer(t *testing.T) {
	var h Heap
	for _, size := range []int{0, 1, 7, 8, 9, 15, 16, 63, 64, 65, 100, 4096, 1 << 20} {
		buf := mustAlloc(t, &h, size)
		call := fmt.Sprintf("AllocateBuffer(%d)", size)
		eq(t, "len("+call+")", len(buf), size)
		eq(t, "cap("+call+")", cap(buf), size)
		p := addr(buf)
		if p == 0 || p%8 != 0 {
			t.Errorf("%s address = %#x, want non-nil and 8-byte aligned", call, p)
		}
		for i, c := range buf {
			if c != 0 {
				t.Fatalf("%s[%d] = %#x, want 0", call, i, c)
			}
		}
		eq(t, "Owns("+call+")", h.Owns(buf), true)
	}
}

func TestZeroSizeDistinct(t *testing.T) {
	var h Heap
	seen := map[uintptr]bool{}
	var bufs [][]byte
	for range 1000 {
		buf := mustAlloc(t, &h, 0)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
		if buf == nil || p == 0 || seen[p] {
			t.Fatalf("AllocateBuffer(0) = %p (nil %v, seen %v), want a new non-nil empty slice", buf, buf == nil, seen[p])
		}
		seen[p] = true
		bufs = append(bufs, buf)
	}
	if more := mustMore(t, &h, 0, bufs[0]); more == nil || seen[addr(more)] {
		t.Errorf("AllocateMore(0, root) = %p, want a new non-nil empty slice", more)
	}
	for _, b := range bufs {
		noErr(t, "FreeBuffer(zero-size buffer)", h.FreeBuffer(b))
	}
	wantMistake(t, "FreeBuffer(freed zero-size buffer)", h.FreeBuffer(bufs[len(bufs)-1]), DoubleFree)
	noErr(t, "CheckLeaks()", h.CheckLeaks())
}

func TestFreeNil(t *testing.T) {
	var h Heap
	before := h.Stats()
	noErr(t, "FreeBuffer(nil)", h.FreeBuffer(nil))
	var empty []byte
	noErr(t, "FreeBuffer(nil slice)", h.FreeBuffer(empty))
	eq(t, "Stats() after FreeBuffer(nil)", h.Stats(), before)
}

func TestLinkedFreedWithRoot(t *testing.T) {
	var h Heap
	root := mustAlloc(t, &h, 24)
	a := mustMore(t, &h, 10, root)
	b := mustMore(t, &h, 5, a) // a linked parent links to the root
	c := mustMore(t, &h, 0, root)
	for _, buf := range [][]byte{root, a, b} {
		for i := range buf {
			buf[i] = 0x42
		}
	}
	eq(t, "Stats()", h.Stats(), Stats{Roots: 1, Linked: 3, InUse: 39, Peak: 39, Allocs: 1, Mores: 3})
	wantMistake(t, "FreeBuffer(linked to linked)", h.FreeBuffer(b), FreeLinked)
	wantMistake(t, "FreeBuffer(linked)", h.FreeBuffer(a), FreeLinked)
	eq(t, "Owns(linked) after FreeBuffer(linked)", h.Owns(a), true)

	noErr(t, "FreeBuffer(root)", h.FreeBuffer(root))
	for name, buf := range map[string][]byte{"root": root, "a": a, "b": b, "c": c} {
		eq(t, "Owns("+name+") after FreeBuffer(root)", h.Owns(buf), false)
		allPoison(t, name+" after FreeBuffer(root)", buf)
	}
	want := Stats{Peak: 39, Allocs: 1, Mores: 3, Frees: 1}
	want.mistakes[FreeLinked] = 2
	eq(t, "Stats() after FreeBuffer(root)", h.Stats(), want)
	eq(t, "Live()", h.Live(), 0)
	noErr(t, "CheckLeaks()", h.CheckLeaks())
}

// TestMistakes runs every misuse of a Heap: each must return a
// *MisuseError of the right kind that unwraps to ErrInvalidParameter,
// count it, and change nothing else.
func TestMistakes(t *testing.T) {
	type fixture struct {
		root, linked, freed, freedLinked []byte
	}
	big := int64(MaxSize) + 1
	tooBig := int(big)
	if int64(tooBig) != big {
		tooBig = 0 // 32-bit int: those cases are skipped
	}
	tests := []struct {
		name string
		op   string
		call func(h *Heap, f fixture) error
		want Mistake
	}{
		{"double free", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.freed) }, DoubleFree},
		{"free of a freed linked buffer", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.freedLinked) }, DoubleFree},
		{"free of a linked buffer", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.linked) }, FreeLinked},
		{"free of a foreign buffer", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(make([]byte, 16)) }, FreeForeign},
		{"free of a foreign empty slice", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer([]byte{}) }, FreeForeign},
		{"free of another heap's buffer", "FreeBuffer", func(h *Heap, f fixture) error {
			var other Heap
			b, _ := other.AllocateBuffer(16)
			return h.FreeBuffer(b)
		}, FreeForeign},
		{"free of buf[1:]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.root[1:]) }, FreeResliced},
		{"free of buf[15:]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.root[15:]) }, FreeResliced},
		{"free of buf[16:]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.root[16:]) }, FreeResliced},
		{"free of buf[:3]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.root[:3]) }, FreeResliced},
		{"free of buf[:0]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.root[:0]) }, FreeResliced},
		{"free of buf[:8:8]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.root[:8:8]) }, FreeResliced},
		{"free of freed buf[1:]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.freed[1:]) }, FreeResliced},
		{"free of freed buf[:1]", "FreeBuffer", func(h *Heap, f fixture) error { return h.FreeBuffer(f.freed[:1]) }, DoubleFree},
		{"more on a freed parent", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, f.freed); return err }, ParentFreed},
		{"more on a freed linked parent", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, f.freedLinked); return err }, ParentFreed},
		{"more on freed[:1]", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, f.freed[:1]); return err }, ParentFreed},
		{"more on a foreign parent", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, make([]byte, 8)); return err }, ParentForeign},
		{"more on a nil parent", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, nil); return err }, ParentForeign},
		{"more on parent[2:]", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, f.root[2:]); return err }, ParentResliced},
		{"more on linked[:1]", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(4, f.linked[:1]); return err }, ParentResliced},
		{"negative size", "AllocateBuffer", func(h *Heap, f fixture) error { _, err := h.AllocateBuffer(-1); return err }, NegativeSize},
		{"negative size, more", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(-8, f.root); return err }, NegativeSize},
		{"size too large", "AllocateBuffer", func(h *Heap, f fixture) error { _, err := h.AllocateBuffer(tooBig); return err }, SizeTooLarge},
		{"size too large, more", "AllocateMore", func(h *Heap, f fixture) error { _, err := h.AllocateMore(tooBig, f.root); return err }, SizeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == SizeTooLarge && tooBig == 0 {
				t.Skip("a 32-bit int cannot exceed MaxSize")
			}
			var h Heap
			var f fixture
			f.root = mustAlloc(t, &h, 16)
			f.linked = mustMore(t, &h, 8, f.root)
			f.freed = mustAlloc(t, &h, 16)
			f.freedLinked = mustMore(t, &h, 8, f.freed)
			noErr(t, "FreeBuffer(freed)", h.FreeBuffer(f.freed))
			before := h.Stats()

			err := tt.call(&h, f)
			wantMistake(t, tt.name, err, tt.want)
			var me *MisuseError
			if errors.As(err, &me) {
				eq(t, tt.name+": MisuseError.Op", me.Op, tt.op)
			}
			if err != nil && !strings.Contains(err.Error(), tt.want.String()) {
				t.Errorf("%s: Error() = %q, want it to say %q", tt.name, err, tt.want)
			}
			after := h.Stats()
			eq(t, tt.name+": Stats().Mistakes(want)", after.Mistakes(tt.want), before.Mistakes(tt.want)+1)
			eq(t, tt.name+": Stats().Misuses()", after.Misuses(), before.Misuses()+1)
			after.mistakes = before.mistakes
			eq(t, tt.name+": Stats() apart from the mistake", after, before)
			eq(t, tt.name+": Owns(root) && Owns(linked)", h.Owns(f.root) && h.Owns(f.linked), true)
		})
	}
}

func TestMistakeText(t *testing.T) {
	for m := range Mistake(numMistakes) {
		if strings.HasPrefix(m.String(), "Mistake(") {
			t.Errorf("Mistake(%d).String() = %q, want a name", uint8(m), m)
		}
	}
	eq(t, "Mistake(200).String()", Mistake(200).String(), "Mistake(200)")
	eq(t, "Stats{}.Mistakes(Mistake(200))", Stats{}.Mistakes(Mistake(200)), 0)
	tests := []struct {
		e    *MisuseError
		want string
	}{
		{&MisuseError{Op: "AllocateBuffer", Mistake: NegativeSize, Size: -3}, "alloc: AllocateBuffer(-3): negative size (MAPI_E_INVALID_PARAMETER)"},
		{&MisuseError{Op: "FreeBuffer", Mistake: DoubleFree, Size: 64}, "alloc: FreeBuffer: double free (64-byte buffer) (MAPI_E_INVALID_PARAMETER)"},
		{&MisuseError{Op: "AllocateMore", Mistake: ParentFreed, Size: 8}, "alloc: AllocateMore: freed parent (8-byte parent) (MAPI_E_INVALID_PARAMETER)"},
		{&MisuseError{Op: "Free", Mistake: DoubleFree, Size: 5, Seq: 12}, "alloc: Free: double free (5-byte buffer #12) (MAPI_E_INVALID_PARAMETER)"},
		{&MisuseError{Op: "FreeBuffer", Mistake: FreeLinked, Size: 0, Seq: 2}, "alloc: FreeBuffer: free of a linked buffer (0-byte buffer #2) (MAPI_E_INVALID_PARAMETER)"},
	}
	for _, tt := range tests {
		eq(t, fmt.Sprintf("%#v.Error()", *tt.e), tt.e.Error(), tt.want)
		eq(t, "CodeOf(MisuseError)", mapispi.CodeOf(tt.e), mapispi.ErrInvalidParameter)
	}
	eq(t, "LeakError.Error()", (&LeakError{Op: "Alloc", Size: 5}).Error(), "alloc: leak: Alloc(5)")
	eq(t, "LeakError.Error()", (&LeakError{Op: "AllocateBuffer", Seq: 9, Size: 5, Linked: []LinkedBuffer{{Seq: 10, Size: 1}}}).Error(),
		"alloc: leak: AllocateBuffer(5) #9 with 1 linked buffer (1 bytes)")
}

// TestFailAfter proves that FailAfter(n) lets exactly n allocations
// through, AllocateBuffer and AllocateMore alike, and fails the (n+1)th
// and every later one until FailAfter(-1).
func TestFailAfter(t *testing.T) {
	for n := range 6 {
		var h Heap
		root := mustAlloc(t, &h, 8)
		h.FailAfter(n)
		for i := range n {
			var err error
			if i%2 == 0 {
				_, err = h.AllocateBuffer(4)
			} else {
				_, err = h.AllocateMore(4, root)
			}
			noErr(t, fmt.Sprintf("FailAfter(%d): allocation %d", n, i+1), err)
		}
		for i := range 3 {
			buf, err := h.AllocateBuffer(1)
			what := fmt.Sprintf("FailAfter(%d): AllocateBuffer, allocation %d", n, n+1+2*i)
			isErr(t, what, err, mapispi.ErrNotEnoughMemory)
			eq(t, what+" buffer is nil", buf == nil, true)
			buf, err = h.AllocateMore(1, root)
			what = fmt.Sprintf("FailAfter(%d): AllocateMore, allocation %d", n, n+2+2*i)
			isErr(t, what, err, mapispi.ErrNotEnoughMemory)
			eq(t, what+" buffer is nil", buf == nil, true)
		}
		// A mistake is still a mistake, and uses no allocation.
		_, err := h.AllocateBuffer(-1)
		wantMistake(t, "AllocateBuffer(-1) while failing", err, NegativeSize)
		st := h.Stats()
		eq(t, fmt.Sprintf("FailAfter(%d): Stats().Failures", n), st.Failures, 6)
		eq(t, fmt.Sprintf("FailAfter(%d): Stats().Allocs+Mores", n), st.Allocs+st.Mores, int64(1+n))
		h.FailAfter(-1)
		_, err = h.AllocateBuffer(1)
		noErr(t, "AllocateBuffer(1) after FailAfter(-1)", err)
	}
}

func TestLimit(t *testing.T) {
	var h Heap
	h.SetLimit(100)
	a := mustAlloc(t, &h, 60)
	_, err := h.AllocateBuffer(41)
	isErr(t, "AllocateBuffer(41) with 60 of 100 bytes in use", err, mapispi.ErrNotEnoughMemory)
	_, err = h.AllocateMore(41, a)
	isErr(t, "AllocateMore(41) with 60 of 100 bytes in use", err, mapispi.ErrNotEnoughMemory)
	mustMore(t, &h, 40, a)
	mustAlloc(t, &h, 0)
	_, err = h.AllocateBuffer(1)
	isErr(t, "AllocateBuffer(1) with 100 of 100 bytes in use", err, mapispi.ErrNotEnoughMemory)
	noErr(t, "FreeBuffer(a)", h.FreeBuffer(a))
	mustAlloc(t, &h, 100)
	h.SetLimit(-1)
	mustAlloc(t, &h, 1<<16)
	h.SetLimit(0)
	_, err = h.AllocateBuffer(1)
	isErr(t, "AllocateBuffer(1) with SetLimit(0)", err, mapispi.ErrNotEnoughMemory)
	st := h.Stats()
	eq(t, "Stats().Failures", st.Failures, 4)
	eq(t, "Stats().InUse", st.InUse, 100+1<<16)
	eq(t, "Stats().Peak", st.Peak, 100+1<<16)
}

func TestStatsCounts(t *testing.T) {
	var h Heap
	r1 := mustAlloc(t, &h, 10)
	r2 := mustAlloc(t, &h, 20)
	mustMore(t, &h, 5, r1)
	mustMore(t, &h, 6, r2)
	mustMore(t, &h, 7, r2)
	noErr(t, "FreeBuffer(r2)", h.FreeBuffer(r2))
	r3 := mustAlloc(t, &h, 1)
	eq(t, "Stats()", h.Stats(), Stats{Roots: 2, Linked: 1, InUse: 16, Peak: 48, Allocs: 3, Mores: 3, Frees: 1})
	eq(t, "Live()", h.Live(), 2)
	noErr(t, "FreeBuffer(r1)", h.FreeBuffer(r1))
	noErr(t, "FreeBuffer(r3)", h.FreeBuffer(r3))
	eq(t, "Stats().InUse", h.Stats().InUse, 0)
}

func TestCheckLeaks(t *testing.T) {
	var h Heap
	noErr(t, "CheckLeaks() of a new Heap", h.CheckLeaks())
	small := mustAlloc(t, &h, 8)
	big := mustAlloc(t, &h, 100)
	mustMore(t, &h, 10, big)
	mustMore(t, &h, 20, big)
	mustMore(t, &h, 30, small)
	err := h.CheckLeaks()
	want := "alloc: leak: AllocateBuffer(100) #2 with 2 linked buffers (30 bytes)\n" +
		"alloc: leak: AllocateBuffer(8) #1 with 1 linked buffer (30 bytes)"
	if err == nil || err.Error() != want {
		t.Fatalf("CheckLeaks() = %v, want %q", err, want)
	}
	var le *LeakError
	if !errors.As(err, &le) {
		t.Fatalf("CheckLeaks() = %v, want *LeakError inside", err)
	}
	wantLeak := &LeakError{Op: "AllocateBuffer", Seq: 2, Size: 100, Linked: []LinkedBuffer{{Seq: 3, Size: 10}, {Seq: 4, Size: 20}}}
	if !reflect.DeepEqual(le, wantLeak) {
		t.Errorf("first LeakError = %+v, want %+v", le, wantLeak)
	}
	eq(t, "leaks in CheckLeaks()", len(err.(interface{ Unwrap() []error }).Unwrap()), 2)
	noErr(t, "FreeBuffer(big)", h.FreeBuffer(big))
	noErr(t, "FreeBuffer(small)", h.FreeBuffer(small))
	noErr(t, "CheckLeaks() after freeing everything", h.CheckLeaks())
}

// TestCheckLeaksSeq leaks three same-sized buffers from one call site:
// their allocation numbers tell them apart, and count AllocateMore, frees
// and refused allocations as a reader would expect.
func TestCheckLeaksSeq(t *testing.T) {
	var h Heap
	for i := range 5 {
		buf := mustAlloc(t, &h, 16) // #1, #3, #4, #5, #7
		if i == 0 || i == 3 {
			mustMore(t, &h, 4, buf) // #2, #6
		}
		if i == 2 {
			_, err := h.AllocateBuffer(-1) // a mistake takes no number
			wantMistake(t, "AllocateBuffer(-1)", err, NegativeSize)
			noErr(t, "FreeBuffer", h.FreeBuffer(buf)) // #4 does not leak
			continue
		}
		if i == 4 {
			h.FailAfter(0)
			_, err := h.AllocateBuffer(16) // a refusal takes no number
			isErr(t, "AllocateBuffer with FailAfter(0)", err, mapispi.ErrNotEnoughMemory)
			h.FailAfter(-1)
		}
	}
	err := h.CheckLeaks()
	want := "alloc: leak: AllocateBuffer(16) #1 with 1 linked buffer (4 bytes)\n" +
		"alloc: leak: AllocateBuffer(16) #5 with 1 linked buffer (4 bytes)\n" +
		"alloc: leak: AllocateBuffer(16) #3\n" +
		"alloc: leak: AllocateBuffer(16) #7"
	if err == nil || err.Error() != want {
		t.Errorf("CheckLeaks() = %v, want %q", err, want)
	}
}

func TestCheckLeaksTrace(t *testing.T) {
	h := Heap{Trace: true}
	root := leakHere(t, &h)
	linkHere(t, &h, root)
	err := h.CheckLeaks()
	var le *LeakError
	if !errors.As(err, &le) || len(le.Stack) == 0 || len(le.Linked) != 1 || len(le.Linked[0].Stack) == 0 {
		t.Fatalf("CheckLeaks() = %v, want a *LeakError with a stack and a linked buffer with a stack", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"alloc: leak: AllocateBuffer(3) #1 with 1 linked buffer (5 bytes) allocated at alloc.leakHere (heap_test.go:",
		" <- alloc.TestCheckLeaksTrace (heap_test.go:",
		"; linked #2 at alloc.linkHere (heap_test.go:",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("CheckLeaks() = %q, want it to contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "AllocateBuffer (") || strings.Contains(msg, "AllocateMore (") || strings.Contains(msg, "\n") {
		t.Errorf("CheckLeaks() = %q, want one line, each stack starting at the caller", msg)
	}
	// Only the first few linked buffers' sites are printed.
	for range 5 {
		linkHere(t, &h, root)
	}
	msg = h.CheckLeaks().Error()
	eq(t, "linked sites in the leak report", strings.Count(msg, "; linked #"), maxLinkedSites)
	if !strings.HasSuffix(msg, "; ...") {
		t.Errorf("CheckLeaks() = %q, want it to end in \"; ...\"", msg)
	}
}

func leakHere(t *testing.T, h *Heap) []byte {
	buf, err := h.AllocateBuffer(3)
	noErr(t, "AllocateBuffer(3)", err)
	return buf
}

func linkHere(t *testing.T, h *Heap, root []byte) {
	_, err := h.AllocateMore(5, root)
	noErr(t, "AllocateMore(5, root)", err)
}

func freeHere(t *testing.T, h *Heap, buf []byte) {
	noErr(t, "FreeBuffer", h.FreeBuffer(buf))
}

// TestDoubleFreeSays checks what a DoubleFree or ParentFreed error says
// about the buffer: its allocation number always, and with Trace where it
// was first freed (for a linked buffer, where its root was).
func TestDoubleFreeSays(t *testing.T) {
	for _, trace := range []bool{false, true} {
		h := Heap{Trace: trace}
		mustAlloc(t, &h, 8) // #1
		root := mustAlloc(t, &h, 64)
		kid := mustMore(t, &h, 8, root)
		freeHere(t, &h, root)
		for _, tt := range []struct {
			name string
			err  error
			want Mistake
			seq  uint64
		}{
			{"FreeBuffer(freed root)", h.FreeBuffer(root), DoubleFree, 2},
			{"FreeBuffer(freed linked)", h.FreeBuffer(kid), DoubleFree, 3},
			{"AllocateMore(4, freed root)", func() error { _, err := h.AllocateMore(4, root); return err }(), ParentFreed, 2},
		} {
			name := fmt.Sprintf("Trace %v: %s", trace, tt.name)
			wantMistake(t, name, tt.err, tt.want)
			var me *MisuseError
			if !errors.As(tt.err, &me) {
				continue
			}
			eq(t, name+": Seq", me.Seq, tt.seq)
			eq(t, name+": FreedAt recorded", len(me.FreedAt) > 0, trace)
			msg := tt.err.Error()
			if !strings.Contains(msg, fmt.Sprintf("#%d)", tt.seq)) {
				t.Errorf("%s = %q, want it to name #%d", name, msg, tt.seq)
			}
			if got, want := strings.Contains(msg, "first freed at alloc.freeHere (heap_test.go:"), trace; got != want {
				t.Errorf("%s = %q, says where it was first freed: %v, want %v", name, msg, got, want)
			}
		}
	}
}

// TestMisuseErrorWrapped checks that a misuse error keeps its type and
// its code through the usual wrappers.
func TestMisuseErrorWrapped(t *testing.T) {
	var h Heap
	buf := mustAlloc(t, &h, 8)
	noErr(t, "FreeBuffer", h.FreeBuffer(buf))
	err := h.FreeBuffer(buf)
	for _, tt := range []struct {
		name string
		err  error
		code mapispi.SCode
	}{
		{"as returned", err, mapispi.ErrInvalidParameter},
		{"fmt.Errorf", fmt.Errorf("provider: %w", err), mapispi.ErrInvalidParameter},
		{"errors.Join", errors.Join(errors.New("other"), err), mapispi.ErrInvalidParameter},
		{"mapispi.Error cause", &mapispi.Error{Code: mapispi.ErrCallFailed, Component: "provider", Err: err}, mapispi.ErrCallFailed},
	} {
		wantMistake(t, tt.name, tt.err, DoubleFree)
		eq(t, "CodeOf("+tt.name+")", mapispi.CodeOf(tt.err), tt.code)
	}
}

// TestAllocs proves the allocation claims: once the quarantine is full,
// the fast path allocates only the buffer itself, and the accounting
// calls allocate nothing.
func TestAllocs(t *testing.T) {
	var h Heap
	live := mustAlloc(t, &h, 16)
	mustMore(t, &h, 8, live)
	for range DefaultQuarantine / bookkeeping {
		h.FreeBuffer(mustAlloc(t, &h, 64))
	}
	checkAllocs(t, []allocClaim{
		{"AllocateBuffer(64)+FreeBuffer", 1, func() {
			b, _ := h.AllocateBuffer(64)
			h.FreeBuffer(b)
		}},
		{"FreeBuffer(nil)", 0, func() { h.FreeBuffer(nil) }},
		{"Stats", 0, func() { _ = h.Stats() }},
		{"Owns", 0, func() { h.Owns(live) }},
		{"Live", 0, func() { h.Live() }},
	})
}
