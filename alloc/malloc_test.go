package alloc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

func mustMalloc(t testing.TB, m *Malloc, size int) []byte {
	t.Helper()
	buf, err := m.Alloc(size)
	noErr(t, fmt.Sprintf("Alloc(%d)", size), err)
	return buf
}

func TestMallocAlloc(t *testing.T) {
	var m Malloc
	for _, size := range []int{0, 1, 8, 13, 64, 1000} {
		buf := mustMalloc(t, &m, size)
		call := fmt.Sprintf("Alloc(%d)", size)
		if buf == nil || len(buf) != size || cap(buf) != size || addr(buf)%8 != 0 {
			t.Errorf("%s = %p len %d cap %d, want non-nil, 8-byte aligned, len and cap %d", call, buf, len(buf), cap(buf), size)
		}
		eq(t, "Size("+call+")", m.Size(buf), size)
		eq(t, "DidAlloc("+call+")", m.DidAlloc(buf), 1)
	}
	eq(t, "Live()", m.Live(), 6)
}

func TestMallocSizeDidAlloc(t *testing.T) {
	var m, other Malloc
	buf := mustMalloc(t, &m, 16)
	freed := mustMalloc(t, &m, 16)
	noErr(t, "Free(freed)", m.Free(freed))
	tests := []struct {
		name     string
		buf      []byte
		size     int
		didAlloc int
	}{
		{"nil", nil, -1, -1},
		{"live", buf, 16, 1},
		{"freed", freed, -1, 0},
		{"foreign", make([]byte, 16), -1, 0},
		{"foreign empty", []byte{}, -1, 0},
		{"other Malloc's", mustMalloc(t, &other, 16), -1, 0},
		{"buf[1:]", buf[1:], -1, 0},
		{"buf[:8]", buf[:8], -1, 0},
	}
	for _, tt := range tests {
		eq(t, "Size("+tt.name+")", m.Size(tt.buf), tt.size)
		eq(t, "DidAlloc("+tt.name+")", m.DidAlloc(tt.buf), tt.didAlloc)
	}
	eq(t, "Stats().Misuses() after Size and DidAlloc", m.Stats().Misuses(), 0)
}

func TestMallocRealloc(t *testing.T) {
	var m Malloc
	t.Run("nil allocates", func(t *testing.T) {
		buf, err := m.Realloc(nil, 5)
		noErr(t, "Realloc(nil, 5)", err)
		eq(t, "len(Realloc(nil, 5))", len(buf), 5)
		eq(t, "DidAlloc(Realloc(nil, 5))", m.DidAlloc(buf), 1)
		zero, err := m.Realloc(nil, 0)
		noErr(t, "Realloc(nil, 0)", err)
		eq(t, "Realloc(nil, 0) is a non-nil block", zero != nil && m.DidAlloc(zero) == 1, true)
		noErr(t, "Free", m.Free(buf))
		noErr(t, "Free", m.Free(zero))
	})
	t.Run("size 0 frees", func(t *testing.T) {
		buf := mustMalloc(t, &m, 8)
		got, err := m.Realloc(buf, 0)
		if got != nil || err != nil {
			t.Fatalf("Realloc(buf, 0) = %v, %v, want nil, nil", got, err)
		}
		eq(t, "DidAlloc(buf) after Realloc(buf, 0)", m.DidAlloc(buf), 0)
		allPoison(t, "buf after Realloc(buf, 0)", buf)
	})
	for _, size := range []int{1, 7, 8, 9, 100} {
		t.Run(fmt.Sprintf("grow or shrink to %d", size), func(t *testing.T) {
			old := mustMalloc(t, &m, 8)
			copy(old, "ABCDEFGH")
			buf, err := m.Realloc(old, size)
			noErr(t, fmt.Sprintf("Realloc(old, %d)", size), err)
			eq(t, "len", len(buf), size)
			n := min(size, 8)
			if !bytes.Equal(buf[:n], []byte("ABCDEFGH")[:n]) || !bytes.Equal(buf[n:], make([]byte, size-n)) {
				t.Errorf("Realloc(\"ABCDEFGH\", %d) = %q, want the old contents then zeros", size, buf)
			}
			eq(t, "DidAlloc(old)", m.DidAlloc(old), 0)
			eq(t, "DidAlloc(new)", m.DidAlloc(buf), 1)
			allPoison(t, "old block", old)
			noErr(t, "Free(new)", m.Free(buf))
		})
	}
	t.Run("failure leaves the block", func(t *testing.T) {
		var m Malloc
		old := mustMalloc(t, &m, 4)
		copy(old, "keep")
		m.FailAfter(0)
		buf, err := m.Realloc(old, 100)
		isErr(t, "Realloc(old, 100) with FailAfter(0)", err, mapispi.ErrNotEnoughMemory)
		eq(t, "Realloc result on failure is nil", buf == nil, true)
		eq(t, "old contents after a failed Realloc", string(old), "keep")
		eq(t, "DidAlloc(old) after a failed Realloc", m.DidAlloc(old), 1)
		m.FailAfter(-1)
		m.SetLimit(10)
		_, err = m.Realloc(old, 7) // 4 + 7 bytes in use for a moment
		isErr(t, "Realloc(old, 7) with limit 10", err, mapispi.ErrNotEnoughMemory)
		eq(t, "old contents after a failed Realloc", string(old), "keep")
		m.SetLimit(-1)
		m.FailAfter(0)
		buf, err = m.Realloc(nil, 5)
		isErr(t, "Realloc(nil, 5) with FailAfter(0)", err, mapispi.ErrNotEnoughMemory)
		eq(t, "Realloc(nil, 5) result on failure is nil", buf == nil, true)
		m.FailAfter(-1)
		noErr(t, "Free(old)", m.Free(old))
		eq(t, "Stats()", m.Stats(), Stats{Peak: 4, Allocs: 1, Frees: 1, Failures: 3})
	})
}

// TestMallocMistakes runs every misuse of a Malloc.
func TestMallocMistakes(t *testing.T) {
	tests := []struct {
		name string
		op   string
		call func(m *Malloc, live, freed []byte) error
		want Mistake
	}{
		{"double free", "Free", func(m *Malloc, live, freed []byte) error { return m.Free(freed) }, DoubleFree},
		{"free of a foreign block", "Free", func(m *Malloc, live, freed []byte) error { return m.Free(make([]byte, 4)) }, FreeForeign},
		{"free of buf[1:]", "Free", func(m *Malloc, live, freed []byte) error { return m.Free(live[1:]) }, FreeResliced},
		{"free of buf[:1]", "Free", func(m *Malloc, live, freed []byte) error { return m.Free(live[:1]) }, FreeResliced},
		{"realloc of a freed block", "Realloc", func(m *Malloc, live, freed []byte) error { _, err := m.Realloc(freed, 4); return err }, DoubleFree},
		{"realloc to 0 of a freed block", "Realloc", func(m *Malloc, live, freed []byte) error { _, err := m.Realloc(freed, 0); return err }, DoubleFree},
		{"realloc of a foreign block", "Realloc", func(m *Malloc, live, freed []byte) error { _, err := m.Realloc(make([]byte, 4), 4); return err }, FreeForeign},
		{"realloc of buf[2:]", "Realloc", func(m *Malloc, live, freed []byte) error { _, err := m.Realloc(live[2:], 4); return err }, FreeResliced},
		{"alloc of a negative size", "Alloc", func(m *Malloc, live, freed []byte) error { _, err := m.Alloc(-1); return err }, NegativeSize},
		{"realloc to a negative size", "Realloc", func(m *Malloc, live, freed []byte) error { _, err := m.Realloc(live, -1); return err }, NegativeSize},
		{"realloc of nil to a negative size", "Realloc", func(m *Malloc, live, freed []byte) error { _, err := m.Realloc(nil, -1); return err }, NegativeSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Malloc
			live := mustMalloc(t, &m, 8)
			copy(live, "contents")
			freed := mustMalloc(t, &m, 8)
			noErr(t, "Free(freed)", m.Free(freed))
			before := m.Stats()
			err := tt.call(&m, live, freed)
			wantMistake(t, tt.name, err, tt.want)
			var me *MisuseError
			if errors.As(err, &me) {
				eq(t, tt.name+": MisuseError.Op", me.Op, tt.op)
			}
			after := m.Stats()
			eq(t, tt.name+": Stats().Mistakes(want)", after.Mistakes(tt.want), before.Mistakes(tt.want)+1)
			after.mistakes = before.mistakes
			eq(t, tt.name+": Stats() apart from the mistake", after, before)
			eq(t, tt.name+": live block", string(live), "contents")
		})
	}
}

func TestMallocFreeNil(t *testing.T) {
	var m Malloc
	noErr(t, "Free(nil)", m.Free(nil))
	eq(t, "Stats() after Free(nil)", m.Stats(), Stats{})
}

func TestMallocFailAfter(t *testing.T) {
	for n := range 4 {
		var m Malloc
		m.FailAfter(n)
		var blocks [][]byte
		for i := range n {
			if i%2 == 0 {
				buf, err := m.Alloc(4)
				noErr(t, fmt.Sprintf("FailAfter(%d): Alloc, allocation %d", n, i+1), err)
				blocks = append(blocks, buf)
			} else {
				buf, err := m.Realloc(blocks[len(blocks)-1], 8)
				noErr(t, fmt.Sprintf("FailAfter(%d): Realloc, allocation %d", n, i+1), err)
				blocks[len(blocks)-1] = buf
			}
		}
		_, err := m.Alloc(1)
		isErr(t, fmt.Sprintf("FailAfter(%d): Alloc, allocation %d", n, n+1), err, mapispi.ErrNotEnoughMemory)
		// Freeing still works: Realloc to 0 allocates nothing.
		for _, b := range blocks {
			_, err = m.Realloc(b, 0)
			noErr(t, "Realloc(b, 0) while failing", err)
		}
		eq(t, fmt.Sprintf("FailAfter(%d): Stats().Failures", n), m.Stats().Failures, 1)
		noErr(t, "CheckLeaks()", m.CheckLeaks())
	}
}

func TestMallocHeapMinimize(t *testing.T) {
	var m Malloc
	buf := mustMalloc(t, &m, 8)
	noErr(t, "Free(buf)", m.Free(buf))
	m.HeapMinimize()
	wantMistake(t, "Free(buf) after HeapMinimize", m.Free(buf), FreeForeign)
	again := mustMalloc(t, &m, 8)
	noErr(t, "Free(again)", m.Free(again))
	wantMistake(t, "Free(again) twice", m.Free(again), DoubleFree)
}

func TestMallocStatsAndLeaks(t *testing.T) {
	m := Malloc{Trace: true}
	a := mustMalloc(t, &m, 10)
	b := mustMalloc(t, &m, 20)
	b, err := m.Realloc(b, 30)
	noErr(t, "Realloc(b, 30)", err)
	eq(t, "Stats()", m.Stats(), Stats{Roots: 2, InUse: 40, Peak: 60, Allocs: 3, Frees: 1, Reallocs: 1})
	err = m.CheckLeaks()
	var le *LeakError
	if !errors.As(err, &le) || le.Op != "Realloc" || le.Size != 30 || len(le.Stack) == 0 {
		t.Fatalf("CheckLeaks() = %v, want the Realloc(30) block first, with a stack", err)
	}
	noErr(t, "Free(a)", m.Free(a))
	noErr(t, "Free(b)", m.Free(b))
	noErr(t, "CheckLeaks()", m.CheckLeaks())
	eq(t, "Live()", m.Live(), 0)
}

func TestMallocAllocs(t *testing.T) {
	var m Malloc
	live := mustMalloc(t, &m, 8)
	for range DefaultQuarantine / bookkeeping {
		m.Free(mustMalloc(t, &m, 64))
	}
	checkAllocs(t, []allocClaim{
		{"Alloc(64)+Free", 1, func() {
			b, _ := m.Alloc(64)
			m.Free(b)
		}},
		{"Size", 0, func() { m.Size(live) }},
		{"DidAlloc", 0, func() { m.DidAlloc(live) }},
		{"Stats", 0, func() { _ = m.Stats() }},
	})
}

// TestMallocDoubleFreeSays checks that, with Trace, freeing a block that
// Realloc or Free already freed says where that happened.
func TestMallocDoubleFreeSays(t *testing.T) {
	m := Malloc{Trace: true}
	old := mustMalloc(t, &m, 8) // #1
	_, err := reallocHere(&m, old)
	noErr(t, "Realloc(old, 16)", err)
	err = m.Free(old)
	wantMistake(t, "Free(block Realloc freed)", err, DoubleFree)
	var me *MisuseError
	if errors.As(err, &me) {
		eq(t, "MisuseError.Seq", me.Seq, 1)
	}
	if msg := fmt.Sprint(err); !strings.Contains(msg, "(8-byte buffer #1) (MAPI_E_INVALID_PARAMETER), first freed at alloc.reallocHere (malloc_test.go:") {
		t.Errorf("Free(block Realloc freed) = %q, want it to say Realloc in reallocHere freed it", msg)
	}
}

func reallocHere(m *Malloc, buf []byte) ([]byte, error) { return m.Realloc(buf, 16) }
