package msprovider

import (
	"context"
	"runtime"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// dataBytes is what a message's data weighs: the bytes of its strings
// (as Go holds them, UTF-8) and binary values, 4 or 8 for numbers and
// times.
func dataBytes(props []mapispi.PropValue) int {
	n := 0
	for _, v := range props {
		switch x := v.Value.(type) {
		case string:
			n += len(x)
		case []byte:
			n += len(x)
		case int32:
			n += 4
		default:
			n += 8
		}
	}
	return n
}

// TestMemoryPerMessage: a store of 100,000 small messages (a subject, a
// sender and a 1 KB body), each made with CreateMessage, SetProps and
// SaveChanges, takes at most 3 times the bytes of the message data in
// the heap, as runtime.MemStats counts it after a collection.
func TestMemoryPerMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store of 100,000 messages; -short skips it")
	}
	const n = 100000
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, inbox := benchInbox(t)
	data := 0
	for i := range n {
		props := smallMessage(0, 0, i).Props
		data += dataBytes(props)
		m, err := inbox.CreateMessage(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.SetProps(ctx, props); err != nil {
			t.Fatal(err)
		}
		if err := m.SaveChanges(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if err := m.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	used := int(after.HeapAlloc) - int(before.HeapAlloc)
	ratio := float64(used) / float64(data)
	t.Logf("%d messages: %d bytes of message data, %d bytes of heap: %.2fx", n, data, used, ratio)
	if ratio > 3 {
		t.Errorf("heap per byte of message data = %.2fx, want at most 3x", ratio)
	}
	runtime.KeepAlive(inbox)
}
