package main

import (
	"io"
	"testing"
)

// BenchmarkDumpJSON is mapipst dump --json of sample1.pst (its one
// message has a 93 KB attachment) without the process start.
func BenchmarkDumpJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := dumpJSON(testdata+"sample1.pst", io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
