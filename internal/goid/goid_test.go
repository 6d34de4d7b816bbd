package goid

import (
	"sync"
	"testing"
)

func TestGetSameGoroutine(t *testing.T) {
	a, b := Get(), Get()
	if a == 0 || a != b {
		t.Fatalf("Get() twice on one goroutine = %d, %d; want one non-zero ID", a, b)
	}
}

func TestGetDiffersAcrossGoroutines(t *testing.T) {
	const n = 50
	ids := make([]uint64, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ids[i] = Get()
		}()
	}
	close(start)
	wg.Wait()
	seen := map[uint64]bool{Get(): true}
	for i, id := range ids {
		if id == 0 || seen[id] {
			t.Fatalf("Get() on goroutine %d = %d, want an ID no other live goroutine has", i, id)
		}
		seen[id] = true
	}
}

func BenchmarkGet(b *testing.B) {
	for b.Loop() {
		Get()
	}
}
