package pst

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
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

// TestSubnodes finds every subnode that the walk lists by its NID, and
// through the nodeData seam.
func TestSubnodes(t *testing.T) {
	for _, tf := range testFiles {
		f := openBytes(t, readTestFile(t, tf.name), nil)
		count := 0
		err := f.walkNodes(func(e nbtEntry) error {
			n := f.nodeOf(e)
			return n.subnodes(func(s *node) error {
				count++
				got, err := n.subnode(s.nid)
				if err != nil {
					return err
				}
				if g := got.(*node); g.bidData != s.bidData || g.bidSub != s.bidSub || g.id() != s.nid {
					t.Errorf("%s: node %v: subnode(%v) = %+v, want %+v", tf.name, n.nid, s.nid, g, s)
				}
				if _, err := n.subnode(s.nid + 0x20000); !errors.Is(err, errNotFound) {
					t.Errorf("%s: node %v: subnode(absent) = %v, want errNotFound", tf.name, n.nid, err)
				}
				return nil
			})
		})
		if err != nil {
			t.Fatalf("%s: %v", tf.name, err)
		}
		if count == 0 && tf.name != "Empty.pst" {
			t.Errorf("%s: no subnodes found", tf.name)
		}
		n, _ := f.node(0x21)
		if _, err := n.subnode(0x1234); !errors.Is(err, errNotFound) {
			t.Errorf("%s: subnode of a node without subnodes = %v, want errNotFound", tf.name, err)
		}
	}
}

// TestConcurrentReaders reads every node from several goroutines
// through a cache too small to hold them, so that entries come and go.
func TestConcurrentReaders(t *testing.T) {
	b := readTestFile(t, "sample1.pst")
	want, err := readAll(openBytes(t, b, nil))
	if err != nil {
		t.Fatal(err)
	}
	const cacheSize = 16 << 10
	f := openBytes(t, b, &Options{CacheSize: cacheSize})
	errs := make(chan error, 8)
	for range cap(errs) {
		go func() {
			for range 5 {
				got, err := readAll(f)
				if err == nil && !reflect.DeepEqual(got, want) {
					err = errors.New("nodes differ")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if used, _ := f.cache.size(); used > cacheSize {
		t.Errorf("cache holds %d bytes, more than its %d", used, cacheSize)
	}
	// No cache at all reads the same.
	got, err := readAll(openBytes(t, b, &Options{CacheSize: -1}))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("without a cache: %v, or nodes differ", err)
	}
}

// TestCachedPageChecks asks for B-tree pages the cache holds, parsed,
// as other kinds of page: each is the error it is when read afresh.
func TestCachedPageChecks(t *testing.T) {
	f := openBytes(t, readTestFile(t, "sample1.pst"), nil)
	root, err := f.page(f.nbt, ptypeNBT, -1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := f.cache.get(cacheKey{kind: cachePage, id: uint64(f.nbt.ib)}); !ok {
		t.Fatalf("the node B-tree's root page is not in the cache")
	}
	again, err := f.page(f.nbt, ptypeNBT, root.level, 0)
	if err != nil || again != root {
		t.Errorf("page(root, NBT, %d) = %p, %v; want the cached page %p", root.level, again, err, root)
	}
	var fe *FormatError
	if _, err := f.page(f.nbt, ptypeBBT, -1, 0); !errors.As(err, &fe) || fe.Offset != f.nbt.ib {
		t.Errorf("page(NBT root, BBT) = %v, want a *FormatError at offset 0x%X", err, f.nbt.ib)
	}
	if _, err := f.page(f.nbt, ptypeNBT, root.level+1, 0); !errors.As(err, &fe) || fe.Offset != f.nbt.ib {
		t.Errorf("page(NBT root, level %d) = %v, want a *FormatError at offset 0x%X", root.level+1, err, f.nbt.ib)
	}
	if _, err := f.page(bref{bid: f.nbt.bid + 4, ib: f.nbt.ib}, ptypeNBT, -1, 0); !errors.As(err, &fe) {
		t.Errorf("page(NBT root's offset, another BID) = %v, want a *FormatError", err)
	}
}
