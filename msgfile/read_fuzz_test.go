package msgfile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/msgfile"
)

// FuzzRead reads any bytes as a .msg file: the answer is an error or a
// message, never a panic or a hang; a message reads whole, and written
// again it reads the same.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"Simple", "A_memo", "sent", "msgInMsg"} {
		b, err := os.ReadFile("testdata/msg/" + name + ".msg")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("not a compound file"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := msgfile.Read(bytes.NewReader(b), int64(len(b)), 0)
		if err != nil {
			return
		}
		defer m.Close(ctx)
		d, err := dump.Read(ctx, m)
		if err != nil {
			t.Fatalf("dump.Read of a file Read accepted: %v", err)
		}
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			if errors.Is(err, msgfile.ErrFormat) {
				return // a value the file holds that a file cannot hold (a NUL in a string, say)
			}
			t.Logf("WriteTo: %v", err)
			return
		}
		again, err := msgfile.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
		if err != nil {
			t.Fatalf("Read of the rewritten file: %v", err)
		}
		defer again.Close(ctx)
		d2, err := dump.Read(ctx, again)
		if err != nil {
			t.Fatalf("dump.Read of the rewritten file: %v", err)
		}
		j1, _ := json.Marshal(d)
		j2, _ := json.Marshal(d2)
		if !bytes.Equal(j1, j2) {
			t.Fatalf("rewritten, the message reads otherwise:\n%s\nwant\n%s", j2, j1)
		}
	})
}
