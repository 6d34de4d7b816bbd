package alloc

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// TestHeapConcurrent shares one Heap between many goroutines that
// allocate, link, free, make mistakes and read the accounting at once.
// Run it with -race.
func TestHeapConcurrent(t *testing.T) {
	h := Heap{Quarantine: 1 << 30}
	const workers = 16
	iters := 2000
	if testing.Short() {
		iters = 300
	}
	var mistakes, frees atomic.Int64
	// A root with its linked buffers; whoever holds it owns them.
	type tree struct{ root, linked [][]byte }
	handoff := make(chan *tree, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var trees []*tree
			var freed [][]byte
			defer func() {
				for _, tr := range trees {
					if err := h.FreeBuffer(tr.root[0]); err != nil {
						t.Errorf("FreeBuffer(live root) at the end = %v", err)
					}
					frees.Add(1)
				}
			}()
			for range iters {
				switch r := rng.IntN(100); {
				case r < 30 || len(trees) == 0:
					b, err := h.AllocateBuffer(rng.IntN(100))
					if err != nil {
						t.Errorf("AllocateBuffer = %v", err)
						return
					}
					trees = append(trees, &tree{root: [][]byte{b}})
				case r < 60:
					tr := trees[rng.IntN(len(trees))]
					parent := tr.root[0]
					if len(tr.linked) > 0 && rng.IntN(2) == 0 {
						parent = tr.linked[rng.IntN(len(tr.linked))]
					}
					b, err := h.AllocateMore(rng.IntN(50), parent)
					if err != nil {
						t.Errorf("AllocateMore(live parent) = %v", err)
						return
					}
					tr.linked = append(tr.linked, b)
				case r < 75:
					i := rng.IntN(len(trees))
					if err := h.FreeBuffer(trees[i].root[0]); err != nil {
						t.Errorf("FreeBuffer(live root) = %v", err)
						return
					}
					frees.Add(1)
					freed = append(freed, trees[i].root[0])
					freed = append(freed, trees[i].linked...)
					trees = append(trees[:i], trees[i+1:]...)
				case r < 85 && len(freed) > 0:
					err := h.FreeBuffer(freed[rng.IntN(len(freed))])
					var me *MisuseError
					if !errors.As(err, &me) || me.Mistake != DoubleFree {
						t.Errorf("FreeBuffer(freed) = %v, want DoubleFree", err)
						return
					}
					mistakes.Add(1)
				case r < 90:
					// Hand a tree to another worker, which now owns it.
					i := rng.IntN(len(trees))
					select {
					case handoff <- trees[i]:
						trees = append(trees[:i], trees[i+1:]...)
					default:
					}
				case r < 95:
					select {
					case tr := <-handoff:
						trees = append(trees, tr)
					default:
					}
				default:
					_ = h.Stats()
					_ = h.Live()
					_ = h.CheckLeaks()
					if tr := trees[0]; !h.Owns(tr.root[0]) {
						t.Errorf("Owns(live root) = false, want true")
					}
				}
			}
		}()
	}
	wg.Wait()
	close(handoff)
	for tr := range handoff {
		noErr(t, "FreeBuffer(handed-off root)", h.FreeBuffer(tr.root[0]))
		frees.Add(1)
	}
	st := h.Stats()
	eq(t, "Stats().Roots", st.Roots, 0)
	eq(t, "Stats().Linked", st.Linked, 0)
	eq(t, "Stats().InUse", st.InUse, 0)
	eq(t, "Stats().Frees", st.Frees, frees.Load())
	eq(t, "Stats().Allocs", st.Allocs, st.Frees)
	eq(t, "Stats().Mistakes(DoubleFree)", st.Mistakes(DoubleFree), mistakes.Load())
	noErr(t, "CheckLeaks()", h.CheckLeaks())
}

// TestHeapConcurrentFreeWhileLinking frees roots while other goroutines
// link buffers to them: each AllocateMore either succeeds, and its buffer
// is freed with the root, or fails with ParentFreed (ParentForeign if so
// many buffers were linked that the root has already left the
// quarantine); nothing leaks.
func TestHeapConcurrentFreeWhileLinking(t *testing.T) {
	var h Heap
	rounds := 200
	if testing.Short() {
		rounds = 50
	}
	for range rounds {
		root := mustAlloc(t, &h, 8)
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					_, err := h.AllocateMore(8, root)
					if err == nil {
						continue
					}
					var me *MisuseError
					if !errors.As(err, &me) || (me.Mistake != ParentFreed && me.Mistake != ParentForeign) {
						t.Errorf("AllocateMore(root being freed) = %v, want ParentFreed", err)
					}
					return
				}
			}()
		}
		noErr(t, "FreeBuffer(root)", h.FreeBuffer(root))
		wg.Wait()
	}
	st := h.Stats()
	if st.Roots != 0 || st.Linked != 0 || st.InUse != 0 {
		t.Errorf("Stats() = %+v, want nothing live", st)
	}
	noErr(t, "CheckLeaks()", h.CheckLeaks())
}

// TestMallocConcurrent shares one Malloc between many goroutines.
func TestMallocConcurrent(t *testing.T) {
	var m Malloc
	const workers = 16
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 9))
			var blocks [][]byte
			for range 1000 {
				switch r := rng.IntN(10); {
				case r < 4 || len(blocks) == 0:
					b, err := m.Alloc(rng.IntN(64))
					if err != nil {
						t.Errorf("Alloc = %v", err)
						return
					}
					blocks = append(blocks, b)
				case r < 7:
					i := rng.IntN(len(blocks))
					b, err := m.Realloc(blocks[i], 1+rng.IntN(64))
					if err != nil {
						t.Errorf("Realloc = %v", err)
						return
					}
					blocks[i] = b
				case r < 9:
					i := rng.IntN(len(blocks))
					if err := m.Free(blocks[i]); err != nil {
						t.Errorf("Free = %v", err)
						return
					}
					blocks = append(blocks[:i], blocks[i+1:]...)
				default:
					_ = m.Stats()
					if len(blocks) > 0 && m.DidAlloc(blocks[0]) != 1 {
						t.Errorf("DidAlloc(live) != 1")
					}
				}
			}
			for _, b := range blocks {
				if err := m.Free(b); err != nil {
					t.Errorf("Free at the end = %v", err)
				}
			}
		}()
	}
	wg.Wait()
	st := m.Stats()
	if st.Roots != 0 || st.InUse != 0 || st.Allocs != st.Frees || st.Misuses() != 0 {
		t.Errorf("Stats() = %+v, want nothing live and no mistakes", st)
	}
	noErr(t, "CheckLeaks()", m.CheckLeaks())
}
