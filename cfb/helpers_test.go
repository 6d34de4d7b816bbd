package cfb_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
)

// node describes a tree to build: a storage when data is nil and kids or
// storage is set, a stream otherwise.
type node struct {
	name    string
	storage bool
	clsid   cfb.CLSID
	data    []byte
	kids    []node
}

func stream(name string, data []byte) node { return node{name: name, data: data} }

func storage(name string, kids ...node) node { return node{name: name, storage: true, kids: kids} }

// build writes kids under a new root of version v.
func build(t testing.TB, v cfb.Version, rootCLSID cfb.CLSID, kids ...node) []byte {
	t.Helper()
	b := cfb.NewBuilder(v)
	b.Root().SetCLSID(rootCLSID)
	var add func(s *cfb.Storage, n node)
	add = func(s *cfb.Storage, n node) {
		if n.storage {
			c, err := s.AddStorage(n.name)
			if err != nil {
				t.Fatalf("AddStorage(%q) = %v", n.name, err)
			}
			c.SetCLSID(n.clsid)
			for _, k := range n.kids {
				add(c, k)
			}
			return
		}
		if err := s.AddStream(n.name, n.data); err != nil {
			t.Fatalf("AddStream(%q) = %v", n.name, err)
		}
	}
	for _, k := range kids {
		add(b.Root(), k)
	}
	out, err := b.Bytes()
	if err != nil {
		t.Fatalf("Bytes() = %v", err)
	}
	return out
}

func open(t testing.TB, b []byte) *cfb.File {
	t.Helper()
	f, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	return f
}

// listing is one line per storage and stream below the root, sorted:
// path, "storage" and CLSID, or "stream", size and SHA-256. It is the
// form the olefile script prints too.
func listing(t testing.TB, f *cfb.File) []string {
	t.Helper()
	var out []string
	var walk func(e *cfb.Entry, path string)
	walk = func(e *cfb.Entry, path string) {
		for _, c := range e.Children() {
			p := c.Name()
			if path != "" {
				p = path + "/" + c.Name()
			}
			if c.IsStorage() {
				out = append(out, fmt.Sprintf("%s\tstorage\t%s", p, clsidText(c.CLSID())))
				walk(c, p)
				continue
			}
			data, err := c.ReadAll()
			if err != nil {
				t.Fatalf("ReadAll(%q) = %v", p, err)
			}
			if int64(len(data)) != c.Size() {
				t.Fatalf("ReadAll(%q) read %d bytes, want Size() %d", p, len(data), c.Size())
			}
			out = append(out, fmt.Sprintf("%s\tstream\t%d\t%x", p, len(data), sha256.Sum256(data)))
		}
	}
	walk(f.Root(), "")
	out = append(out, "\troot\t"+clsidText(f.Root().CLSID()))
	slices.Sort(out)
	return out
}

func clsidText(c cfb.CLSID) string {
	if c == (cfb.CLSID{}) {
		return ""
	}
	return strings.Trim(c.String(), "{}")
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pattern is n deterministic bytes that differ from sector to sector.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

func sha(b []byte) [32]byte { return sha256.Sum256(b) }

func sortLines(s []string) { slices.Sort(s) }

func equalLines(a, b []string) bool { return slices.Equal(a, b) }

// rewrite copies f's tree into a Builder of version v and writes it.
func rewrite(t testing.TB, f *cfb.File, v cfb.Version) []byte {
	t.Helper()
	b, err := copyTree(f, v)
	if err != nil {
		t.Fatalf("copying the tree: %v", err)
	}
	out, err := b.Bytes()
	if err != nil {
		t.Fatalf("Bytes() = %v", err)
	}
	return out
}

func copyTree(f *cfb.File, v cfb.Version) (*cfb.Builder, error) {
	b := cfb.NewBuilder(v)
	var cp func(dst *cfb.Storage, src *cfb.Entry) error
	cp = func(dst *cfb.Storage, src *cfb.Entry) error {
		dst.SetCLSID(src.CLSID())
		dst.SetStateBits(src.StateBits())
		dst.SetTimes(src.Created(), src.Modified())
		for _, c := range src.Children() {
			if c.IsStream() {
				data, err := c.ReadAll()
				if err != nil {
					return err
				}
				if err := dst.AddStream(c.Name(), data); err != nil {
					return err
				}
				continue
			}
			s, err := dst.AddStorage(c.Name())
			if err != nil {
				return err
			}
			if err := cp(s, c); err != nil {
				return err
			}
		}
		return nil
	}
	return b, cp(b.Root(), f.Root())
}
