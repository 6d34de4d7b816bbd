package alloc

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestMallocModel runs random Alloc, Realloc and Free calls against a
// model (live blocks and their contents) and checks after every step that
// each live block keeps its contents and reports its size, that freed
// blocks are no longer the Malloc's, and that Stats counts the live
// blocks; at the end CheckLeaks is clean.
func TestMallocModel(t *testing.T) {
	steps := 5000
	if testing.Short() {
		steps = 500
	}
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 0x3A110C))
		var m Malloc
		type block struct{ buf, want []byte }
		var live []block
		var freed [][]byte // kept referenced, so their memory is not reused
		pick := func() int { return rng.IntN(len(live)) }
		fill := func(b []byte) {
			for i := range b {
				b[i] = byte(rng.UintN(255) + 1)
			}
		}
		for step := range steps {
			switch op := rng.UintN(10); {
			case op < 4 || len(live) == 0: // Alloc
				n := rng.IntN(65)
				b, err := m.Alloc(n)
				if err != nil || len(b) != n || !bytes.Equal(b, make([]byte, n)) {
					t.Fatalf("seed %d step %d: Alloc(%d) = %d bytes, %v; want %d zero bytes", seed, step, n, len(b), err, n)
				}
				fill(b)
				live = append(live, block{b, bytes.Clone(b)})
			case op < 7: // Realloc, to size 0 (a free) now and then
				i := pick()
				n := rng.IntN(65)
				if rng.UintN(8) == 0 {
					n = 0
				}
				old := live[i]
				b, err := m.Realloc(old.buf, n)
				if err != nil {
					t.Fatalf("seed %d step %d: Realloc(%d bytes, %d) = %v", seed, step, len(old.buf), n, err)
				}
				freed = append(freed, old.buf)
				live = append(live[:i], live[i+1:]...)
				if n == 0 {
					if b != nil {
						t.Fatalf("seed %d step %d: Realloc(buf, 0) = %d bytes, want nil", seed, step, len(b))
					}
					break
				}
				want := make([]byte, n)
				copy(want, old.want)
				if !bytes.Equal(b, want) {
					t.Fatalf("seed %d step %d: Realloc(%X, %d) = %X, want %X", seed, step, old.want, n, b, want)
				}
				fill(b[min(n, len(old.want)):])
				live = append(live, block{b, bytes.Clone(b)})
			default: // Free
				i := pick()
				if err := m.Free(live[i].buf); err != nil {
					t.Fatalf("seed %d step %d: Free = %v", seed, step, err)
				}
				freed = append(freed, live[i].buf)
				live = append(live[:i], live[i+1:]...)
			}
			for _, l := range live {
				if !bytes.Equal(l.buf, l.want) || m.Size(l.buf) != len(l.want) || m.DidAlloc(l.buf) != 1 {
					t.Fatalf("seed %d step %d: live block %X reads %X, Size %d, DidAlloc %d", seed, step, l.want, l.buf, m.Size(l.buf), m.DidAlloc(l.buf))
				}
			}
			if st := m.Stats(); st.Roots != int64(len(live)) {
				t.Fatalf("seed %d step %d: Stats().Roots = %d, want %d live blocks", seed, step, st.Roots, len(live))
			}
		}
		for _, f := range freed {
			if m.DidAlloc(f) != 0 && len(f) > 0 || m.Size(f) != -1 {
				t.Fatalf("seed %d: a freed block still counts as the Malloc's (DidAlloc %d, Size %d)", seed, m.DidAlloc(f), m.Size(f))
			}
		}
		for _, l := range live {
			if err := m.Free(l.buf); err != nil {
				t.Fatal(err)
			}
		}
		if err := m.CheckLeaks(); err != nil {
			t.Fatalf("seed %d: CheckLeaks after freeing everything = %v", seed, err)
		}
	}
}
