package cfb_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
)

// FuzzOpen: any input is an error wrapping ErrFormat or ErrTooLarge, or a
// File whose streams all read; such a File's tree, written again with the
// Builder in the same version and reopened, is the same tree with the
// same bytes, and writing it a second time gives the same file.
func FuzzOpen(f *testing.F) {
	for _, name := range []string{"A_memo.msg", "test1.msg", "sent.msg"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(build(f, cfb.V3, testCLSID))
	f.Add(build(f, cfb.V4, cfb.CLSID{}, stream("a", pattern(5000, 1))))
	f.Add(build(f, cfb.V3, cfb.CLSID{}, stream("a", pattern(5000, 1)), stream("b", pattern(5000, 2)), stream("c", pattern(100, 3)), storage("s", stream("d", []byte("x")))))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, cfb.ErrFormat) && !errors.Is(err, cfb.ErrTooLarge) {
				t.Fatalf("Open() = %v, want an error wrapping ErrFormat or ErrTooLarge", err)
			}
			return
		}
		want := fuzzListing(t, file, true)
		b, err := copyTree(file, file.Version())
		if err != nil {
			t.Fatalf("copying the tree into a Builder: %v", err)
		}
		out, err := b.Bytes()
		if err != nil {
			t.Fatalf("Bytes() = %v", err)
		}
		again, err := cfb.Open(bytes.NewReader(out), int64(len(out)))
		if err != nil {
			t.Fatalf("Open(written) = %v", err)
		}
		if got := fuzzListing(t, again, true); got != want {
			t.Fatalf("written tree =\n%s\nwant\n%s", got, want)
		}
		if out2, err := b.Bytes(); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second Bytes() = %v or other bytes than the first", err)
		}
	})
}

// fuzzListing is the whole tree: names, kinds, storages' CLSIDs, state
// bits and times (but the root's creation time, which [MS-CFB] 2.6.2 has
// the writer leave zero), and streams' bytes.
func fuzzListing(t *testing.T, f *cfb.File, withTimes bool) string {
	var sb strings.Builder
	var walk func(e *cfb.Entry, depth int)
	walk = func(e *cfb.Entry, depth int) {
		for _, c := range e.Children() {
			fmt.Fprintf(&sb, "%*s%q ", 2*depth, "", c.Name())
			if c.IsStream() {
				data, err := c.ReadAll()
				if err != nil {
					t.Fatalf("ReadAll(%q) = %v", c.Name(), err)
				}
				fmt.Fprintf(&sb, "stream %d %x\n", len(data), sha(data))
				continue
			}
			fmt.Fprintf(&sb, "storage %v %08X %v %v\n", c.CLSID(), c.StateBits(), c.Created(), c.Modified())
			walk(c, depth+1)
		}
	}
	r := f.Root()
	fmt.Fprintf(&sb, "root %v %08X %v\n", r.CLSID(), r.StateBits(), r.Modified())
	walk(r, 1)
	return sb.String()
}
