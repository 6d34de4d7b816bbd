package rtfcp

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"testing"
)

// benchInput is about 1 MB of RTF-like text.
var benchInput = rtfLike(rand.New(rand.NewPCG(5, 6)), 1<<20)

func BenchmarkCompress(b *testing.B) {
	b.SetBytes(int64(len(benchInput)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		c, err := Compress(benchInput)
		if err != nil {
			b.Fatal(err)
		}
		n = len(c)
	}
	b.ReportMetric(float64(n)/float64(len(benchInput)), "ratio")
}

func BenchmarkDecompress(b *testing.B) {
	c, _ := Compress(benchInput)
	b.SetBytes(int64(len(benchInput)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decompress(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlibFlateCompress is the baseline for BenchmarkCompress:
// compress/flate at BestSpeed on the same input.
func BenchmarkStdlibFlateCompress(b *testing.B) {
	b.SetBytes(int64(len(benchInput)))
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		w, _ := flate.NewWriter(&buf, flate.BestSpeed)
		w.Write(benchInput)
		w.Close()
	}
	b.ReportMetric(float64(buf.Len())/float64(len(benchInput)), "ratio")
}

// BenchmarkStdlibFlateDecompress is the baseline for BenchmarkDecompress.
func BenchmarkStdlibFlateDecompress(b *testing.B) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write(benchInput)
	w.Close()
	c := buf.Bytes()
	b.SetBytes(int64(len(benchInput)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.ReadAll(flate.NewReader(bytes.NewReader(c))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCopy is the floor: a bytes copy of the same input.
func BenchmarkCopy(b *testing.B) {
	b.SetBytes(int64(len(benchInput)))
	b.ReportAllocs()
	for b.Loop() {
		_ = bytes.Clone(benchInput)
	}
}
