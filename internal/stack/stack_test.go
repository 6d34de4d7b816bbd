package stack

import (
	"strings"
	"testing"
)

func here() Trace { return Record(0) }

func TestRecordAndWrite(t *testing.T) {
	tr := here()
	if len(tr.PCs()) == 0 {
		t.Fatal("Record(0) recorded no frame")
	}
	var b strings.Builder
	Write(&b, tr.PCs())
	got := b.String()
	if !strings.HasPrefix(got, "stack.here (stack_test.go:") || !strings.Contains(got, "<- stack.TestRecordAndWrite (stack_test.go:") {
		t.Fatalf("Write(Record in here) = %q, want here's frame, then its caller's", got)
	}
	if strings.Contains(got, "tRunner") {
		t.Fatalf("Write = %q, want it to stop at the test runner", got)
	}
}
