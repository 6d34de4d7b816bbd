package alloc

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// eq reports got != want as "what = got, want want".
func eq[T comparable](t testing.TB, what string, got, want T) bool {
	t.Helper()
	if got != want {
		t.Errorf("%s = %+v, want %+v", what, got, want)
		return false
	}
	return true
}

// noErr stops the test if err is not nil.
func noErr(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s = %v, want nil", what, err)
	}
}

// isErr reports err not matching target with errors.Is.
func isErr(t testing.TB, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s = %v, want %v", what, err, target)
	}
}

// wantMistake checks that err is a *MisuseError of kind want that unwraps
// to ErrInvalidParameter.
func wantMistake(t testing.TB, what string, err error, want Mistake) {
	t.Helper()
	var me *MisuseError
	switch {
	case !errors.Is(err, mapispi.ErrInvalidParameter):
		t.Errorf("%s = %v, want ErrInvalidParameter (%v)", what, err, want)
	case !errors.As(err, &me):
		t.Errorf("%s = %v, want a *MisuseError (%v)", what, err, want)
	case me.Mistake != want:
		t.Errorf("%s = %v, want mistake %v", what, err, want)
	}
}

func mustAlloc(t testing.TB, h *Heap, size int) []byte {
	t.Helper()
	buf, err := h.AllocateBuffer(size)
	noErr(t, fmt.Sprintf("AllocateBuffer(%d)", size), err)
	return buf
}

func mustMore(t testing.TB, h *Heap, size int, parent []byte) []byte {
	t.Helper()
	buf, err := h.AllocateMore(size, parent)
	noErr(t, fmt.Sprintf("AllocateMore(%d, parent)", size), err)
	return buf
}

// allPoison reports the first byte of buf that is not Poison.
func allPoison(t testing.TB, what string, buf []byte) {
	t.Helper()
	for i, c := range buf {
		if c != Poison {
			t.Errorf("%s[%d] = %#x, want Poison %#x", what, i, c, Poison)
			return
		}
	}
}

// allocClaim is a claim about how many allocations f makes.
type allocClaim struct {
	name string
	want float64
	f    func()
}

// checkAllocs proves each claim with testing.AllocsPerRun.
func checkAllocs(t *testing.T, claims []allocClaim) {
	t.Helper()
	for _, c := range claims {
		eq(t, "AllocsPerRun("+c.name+")", testing.AllocsPerRun(1000, c.f), c.want)
	}
}
