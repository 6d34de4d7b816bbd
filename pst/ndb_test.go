package pst

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// testFiles are the PSTs in testdata and what their headers say.
var testFiles = []struct {
	name   string
	format Format
}{
	{"Empty.pst", FormatUnicode},
	{"sample1.pst", FormatUnicode},
	{"sample2.pst", FormatANSI},
	{"submessage.pst", FormatUnicode},
	{"test_ansi.pst", FormatANSI},
	{"test_unicode.pst", FormatUnicode},
}

func readTestFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openBytes(t testing.TB, b []byte, opts *Options) *File {
	t.Helper()
	f, err := Open(bytes.NewReader(b), int64(len(b)), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return f
}

// readAll reads every node of f, its blocks and its subnodes at every
// depth, and returns their data by path of NIDs.
func readAll(f *File) (map[string][][]byte, error) {
	out := make(map[string][][]byte)
	var read func(path string, n *node, depth int) error
	read = func(path string, n *node, depth int) error {
		path += "/" + n.nid.String()
		b, err := n.blocks()
		if err != nil {
			return err
		}
		out[path] = b
		if depth > 16 {
			return &FormatError{Offset: -1, NID: n.nid, Reason: "subnodes nested too deep"}
		}
		return n.subnodes(func(s *node) error { return read(path, s, depth+1) })
	}
	err := f.walkNodes(func(e nbtEntry) error { return read("", f.nodeOf(e), 0) })
	return out, err
}

func TestOpenTestFiles(t *testing.T) {
	for _, tf := range testFiles {
		t.Run(tf.name, func(t *testing.T) {
			f := openBytes(t, readTestFile(t, tf.name), nil)
			if got := f.Format(); got != tf.format {
				t.Errorf("Format() = %v, want %v", got, tf.format)
			}
			if got := f.CryptMethod(); got != CryptPermute {
				t.Errorf("CryptMethod() = %v, want %v", got, CryptPermute)
			}
			for _, nid := range []NID{0x21, 0x61, 0x122} {
				if _, err := f.node(nid); err != nil {
					t.Errorf("node(%v): %v", nid, err)
				}
			}
			data, err := readAll(f)
			if err != nil {
				t.Fatalf("reading every node: %v", err)
			}
			t.Logf("%d nodes and subnodes", len(data))
		})
	}
}
