package alloc

import (
	"fmt"
	"testing"
)

// sink keeps benchmark results alive, as a caller would.
var sink []byte

// BenchmarkMake64 is the baseline of BenchmarkAllocateFree: a plain Go
// allocation of 64 bytes, kept alive the same way.
func BenchmarkMake64(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = make([]byte, 64)
	}
}

func BenchmarkAllocateFree(b *testing.B) {
	var h Heap
	b.ReportAllocs()
	for b.Loop() {
		buf, err := h.AllocateBuffer(64)
		if err != nil {
			b.Fatal(err)
		}
		sink = buf
		if err := h.FreeBuffer(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMake64Parallel is the baseline of
// BenchmarkAllocateFreeParallel.
func BenchmarkMake64Parallel(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var keep []byte
		for pb.Next() {
			keep = make([]byte, 64)
		}
		_ = keep
	})
}

func BenchmarkAllocateFreeParallel(b *testing.B) {
	var h Heap
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			buf, err := h.AllocateBuffer(64)
			if err != nil {
				b.Error(err)
				return
			}
			if err := h.FreeBuffer(buf); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkAllocateMore measures AllocateMore(16) on roots that get up
// to `linked` linked buffers before they are freed (the free is in the
// timing, amortized). ns/op is the cost per linked buffer: it stays flat
// from 10 to 10,000 because AllocateMore appends to the root's list and
// FreeBuffer walks it once.
func BenchmarkAllocateMore(b *testing.B) {
	for _, linked := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprintf("linked=%d", linked), func(b *testing.B) {
			var h Heap
			b.ReportAllocs()
			root, _ := h.AllocateBuffer(8)
			n := 0
			for b.Loop() {
				if _, err := h.AllocateMore(16, root); err != nil {
					b.Fatal(err)
				}
				if n++; n == linked {
					h.FreeBuffer(root)
					root, _ = h.AllocateBuffer(8)
					n = 0
				}
			}
			h.FreeBuffer(root)
		})
	}
}

// BenchmarkFreeLinked measures FreeBuffer of a root with `linked` linked
// buffers; ns/linked should stay flat as `linked` grows.
func BenchmarkFreeLinked(b *testing.B) {
	for _, linked := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("linked=%d", linked), func(b *testing.B) {
			var h Heap
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				root, _ := h.AllocateBuffer(8)
				for range linked {
					h.AllocateMore(16, root)
				}
				b.StartTimer()
				if err := h.FreeBuffer(root); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(linked), "ns/linked")
		})
	}
}
