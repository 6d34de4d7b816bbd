package alloc

import (
	"fmt"
	"strings"
	"testing"
)

// fakeTB records what CheckTB asks of a test.
type fakeTB struct {
	testing.TB // nil: a method CheckTB should not call panics
	cleanups   []func()
	errs       []string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Cleanup(fn func())              { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(format, a...)) }

// end runs the cleanups as the testing package does, last first.
func (f *fakeTB) end() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

func TestCheckTB(t *testing.T) {
	t.Run("leak", func(t *testing.T) {
		var h Heap
		f := new(fakeTB)
		CheckTB(f, &h)
		eq(t, "cleanups registered by CheckTB", len(f.cleanups), 1)
		mustAlloc(t, &h, 64)
		eq(t, "errors before the test ends", len(f.errs), 0)
		f.end()
		want := "buffers never freed:\nalloc: leak: AllocateBuffer(64) #1"
		if len(f.errs) != 1 || f.errs[0] != want {
			t.Errorf("CheckTB(leaky test) reported %q, want [%q]", f.errs, want)
		}
	})
	t.Run("freed by a later cleanup", func(t *testing.T) {
		var m Malloc
		f := new(fakeTB)
		CheckTB(f, &m)
		buf := mustMalloc(t, &m, 8)
		f.Cleanup(func() { m.Free(buf) })
		f.end()
		eq(t, "CheckTB(Malloc freed in a cleanup): errors", strings.Join(f.errs, "; "), "")
	})
	t.Run("real test, no leak", func(t *testing.T) {
		var h Heap
		CheckTB(t, &h)
		buf := mustAlloc(t, &h, 8)
		mustMore(t, &h, 8, buf)
		noErr(t, "FreeBuffer", h.FreeBuffer(buf))
	})
}
