package msgfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
)

// testFiles returns the 44 Outlook files' bytes.
func testFiles(b testing.TB) [][]byte {
	b.Helper()
	paths, _ := filepath.Glob("testdata/msg/*.msg")
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// BenchmarkCFBRead44 is the baseline: the 44 files opened as compound
// files and every stream read.
func BenchmarkCFBRead44(b *testing.B) {
	files := testFiles(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			f, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				b.Fatal(err)
			}
			var walk func(e *cfb.Entry)
			walk = func(e *cfb.Entry) {
				for _, c := range e.Children() {
					if c.IsStorage() {
						walk(c)
					} else if _, err := c.ReadAll(); err != nil {
						b.Fatal(err)
					}
				}
			}
			walk(f.Root())
		}
	}
}

// BenchmarkRead44 reads the 44 files as messages, whole: every
// property, recipient, attachment and embedded message (dump.Read).
func BenchmarkRead44(b *testing.B) {
	files := testFiles(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			m, err := msgfile.Read(bytes.NewReader(data), int64(len(data)), 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := dump.Read(ctx, m); err != nil {
				b.Fatal(err)
			}
			_ = m.Close(ctx)
		}
	}
}

// BenchmarkRewrite44 reads each of the 44 files and writes it again.
func BenchmarkRewrite44(b *testing.B) {
	files := testFiles(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			m, err := msgfile.Read(bytes.NewReader(data), int64(len(data)), 0)
			if err != nil {
				b.Fatal(err)
			}
			buf.Reset()
			if _, err := m.WriteTo(&buf); err != nil {
				b.Fatal(err)
			}
			_ = m.Close(ctx)
		}
	}
}

const tenMB = 10 << 20

// withAttachment returns a .msg file whose message has one 10 MB
// attachment.
func withAttachment(tb testing.TB) []byte {
	tb.Helper()
	m := msgfile.New()
	_, _ = m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "10 MB"}})
	a, _, err := m.CreateAttach(ctx, 0)
	if err != nil {
		tb.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), tenMB/16)
	if _, err := a.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}, {Tag: mapispi.PropAttachDataBin, Value: data}}); err != nil {
		tb.Fatal(err)
	}
	if err := a.SaveChanges(ctx, 0); err != nil {
		tb.Fatal(err)
	}
	if err := m.SaveChanges(ctx, 0); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkCopy10MB is the baseline of the 10 MB figures: the
// attachment's bytes copied once into new memory.
func BenchmarkCopy10MB(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), tenMB/16)
	b.SetBytes(tenMB)
	b.ReportAllocs()
	for b.Loop() {
		out := make([]byte, len(data))
		copy(out, data)
	}
}

// BenchmarkWrite10MB makes a message with a 10 MB attachment and writes
// it as a .msg file.
func BenchmarkWrite10MB(b *testing.B) {
	b.SetBytes(tenMB)
	b.ReportAllocs()
	for b.Loop() {
		withAttachment(b)
	}
}

// BenchmarkRead10MB reads a .msg file with a 10 MB attachment and the
// attachment's data.
func BenchmarkRead10MB(b *testing.B) {
	file := withAttachment(b)
	b.SetBytes(tenMB)
	b.ReportAllocs()
	for b.Loop() {
		m, err := msgfile.Read(bytes.NewReader(file), int64(len(file)), 0)
		if err != nil {
			b.Fatal(err)
		}
		a, err := m.OpenAttach(ctx, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		vals, err := a.GetProps(ctx, []mapispi.PropTag{mapispi.PropAttachDataBin})
		if err != nil || len(vals[0].Value.([]byte)) != tenMB {
			b.Fatal(err)
		}
		_ = m.Close(ctx)
	}
}

// TestMemoryPerFile: a message read from a file with a 10 MB attachment
// holds at most twice the file's size, plus a constant, once the read is
// done.
func TestMemoryPerFile(t *testing.T) {
	file := withAttachment(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC() // the second frees what the first's finalizers let go
	runtime.ReadMemStats(&before)
	m, err := msgfile.Read(bytes.NewReader(file), int64(len(file)), 0)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	allocated := after.TotalAlloc - before.TotalAlloc
	limit := 2*int64(len(file)) + 1<<20
	t.Logf("a %d-byte file's message holds %d bytes (%.2fx the file); reading it allocated %d bytes in all (%.2fx)",
		len(file), held, float64(held)/float64(len(file)), allocated, float64(allocated)/float64(len(file)))
	if held > limit {
		t.Errorf("Read of a %d-byte file holds %d bytes, want at most 2x plus 1 MB (%d)", len(file), held, limit)
	}
	if held < int64(len(file))/2 {
		t.Errorf("Read of a %d-byte file holds %d bytes: the measure is broken (the attachment alone is 10 MB)", len(file), held)
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(file)
}
