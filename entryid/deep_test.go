package entryid_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/entryid"
)

// TestDeepNesting checks that IDs nested far deeper than real data (a
// store wrap around a wrap around ...) cost time in proportion to their
// bytes and do not exhaust the stack.
func TestDeepNesting(t *testing.T) {
	folder := vectorID(t, "mfcmapi-ENTRYID-8")
	hdr := entryid.WrapStore("", nil) // 24 bytes: header, empty DLL name, padding
	id := append(bytes.Repeat(hdr, 100_000), folder...)
	other := entryid.WrapStore("", folder)
	start := time.Now()
	if entryid.Equal(id, other) {
		t.Errorf("Equal(100000 wraps, 1 wrap) = true; IDs nested beyond the limit compare by their bytes")
	}
	if !entryid.Equal(id, id) {
		t.Errorf("Equal(id, id) = false for 100000 wraps")
	}
	if _, err := entryid.AppendCanonical(nil, id); err != nil {
		t.Errorf("AppendCanonical(100000 wraps) = %v", err)
	}
	f, err := entryid.Explain(id)
	if err != nil {
		t.Fatalf("Explain(100000 wraps) = %v", err)
	}
	depth := 0
	for len(f.Fields) > 0 {
		f = f.Fields[len(f.Fields)-1]
		depth++
	}
	if depth > 20 {
		t.Errorf("Explain(100000 wraps) went %d levels deep, want the nesting bound", depth)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("deeply nested ID took %v", d)
	}
	// Within the bound, wraps are followed: three wraps equal one.
	three := entryid.WrapStore("a", entryid.WrapStore("b", entryid.WrapStore("c", folder)))
	if !entryid.Equal(three, folder) {
		t.Errorf("Equal(3 wraps around a folder ID, the folder ID) = false")
	}
}
