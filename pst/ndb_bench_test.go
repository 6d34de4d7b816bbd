package pst

import (
	"bytes"
	"testing"
)

// BenchmarkReadAllNodes opens sample1.pst from memory and reads every
// node and subnode, from a cold cache each time.
func BenchmarkReadAllNodes(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Open(bytes.NewReader(data), int64(len(data)), nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := readAll(f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAllNodesWarm reads every node of an open File whose
// cache already holds them.
func BenchmarkReadAllNodesWarm(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	f := openBytes(b, data, nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readAll(f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlibReadFile is the baseline: reading sample1.pst's bytes
// through the same io.ReaderAt in 8 KiB blocks.
func BenchmarkStdlibReadFile(b *testing.B) {
	data := readTestFile(b, "sample1.pst")
	r := bytes.NewReader(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		buf := make([]byte, 8192)
		for off := int64(0); off < int64(len(data)); off += int64(len(buf)) {
			if _, err := r.ReadAt(buf, off); err != nil && off+int64(len(buf)) <= int64(len(data)) {
				b.Fatal(err)
			}
		}
	}
}
