package cfb_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
)

const benchSize = 10 << 20

// BenchmarkWrite10MB writes a version 3 file holding one 10 MB stream;
// BenchmarkWrite10MBBaseline copies the same 10 MB into a bytes.Buffer,
// the floor any writer stands on.
func BenchmarkWrite10MB(b *testing.B) {
	data := pattern(benchSize, 1)
	var buf bytes.Buffer
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		bl := cfb.NewBuilder(cfb.V3)
		if err := bl.Root().AddStream("attachment", data); err != nil {
			b.Fatal(err)
		}
		if _, err := bl.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite10MBBaseline(b *testing.B) {
	data := pattern(benchSize, 1)
	var buf bytes.Buffer
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		buf.Write(data)
	}
}

// BenchmarkRead10MB opens a version 3 file and reads its 10 MB stream
// into a reused buffer; BenchmarkRead10MBBaseline reads the same 10 MB
// from a bytes.Reader.
func BenchmarkRead10MB(b *testing.B) {
	data := pattern(benchSize, 1)
	bl := cfb.NewBuilder(cfb.V3)
	bl.Root().AddStream("attachment", data)
	file, _ := bl.Bytes()
	out := make([]byte, benchSize)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		f, err := cfb.Open(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			b.Fatal(err)
		}
		e, _ := f.Root().Child("attachment")
		r, _ := e.Open()
		if _, err := io.ReadFull(r, out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead10MBBaseline(b *testing.B) {
	data := pattern(benchSize, 1)
	out := make([]byte, benchSize)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.ReadFull(bytes.NewReader(data), out); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteToMemory: WriteTo streams the file, its FAT too: writing 64 MB
// (64 streams sharing one megabyte) allocates a bounded amount, not a
// FAT of 1/128 of the file (512 KB here) nor the file.
func TestWriteToMemory(t *testing.T) {
	mb := pattern(1<<20, 1)
	bl := cfb.NewBuilder(cfb.V3)
	for i := range 64 {
		if err := bl.Root().AddStream(fmt.Sprintf("s%02d", i), mb); err != nil {
			t.Fatal(err)
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, err := bl.WriteTo(io.Discard)
	runtime.ReadMemStats(&after)
	if err != nil || n < 64<<20 {
		t.Fatalf("WriteTo = %d, %v, want over 64 MB", n, err)
	}
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(256<<10); got > limit {
		t.Errorf("WriteTo of a %d-byte file allocated %d bytes, want at most %d", n, got, limit)
	}
}
