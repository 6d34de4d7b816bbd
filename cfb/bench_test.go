package cfb_test

import (
	"bytes"
	"io"
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
