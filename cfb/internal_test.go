package cfb

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// checkRedBlack checks the tree of every storage in f's directory against
// [MS-CFB] 2.6.4: a black root, no red node with a red child, the same
// number of black nodes on every path to a leaf, and names in order.
func checkRedBlack(t *testing.T, f *File) {
	t.Helper()
	var walk func(id uint32, lo, hi []uint16) int
	walk = func(id uint32, lo, hi []uint16) int {
		if id == noStream {
			return 1
		}
		raw := f.dir[id*dirEntrySize:]
		_, name := f.rawName(id)
		if lo != nil && compareNames(lo, name) >= 0 || hi != nil && compareNames(name, hi) >= 0 {
			t.Errorf("entry %d %q is out of order", id, string(rune(name[0])))
		}
		l, r := le.Uint32(raw[68:]), le.Uint32(raw[72:])
		if raw[67] == colorRed {
			for _, c := range []uint32{l, r} {
				if c != noStream && f.dir[c*dirEntrySize+67] == colorRed {
					t.Errorf("red entry %d has a red child %d", id, c)
				}
			}
		}
		bl, br := walk(l, lo, name), walk(r, name, hi)
		if bl != br {
			t.Errorf("entry %d: black height %d on the left, %d on the right", id, bl, br)
		}
		if raw[67] == colorBlack {
			bl++
		}
		return bl
	}
	var storages func(e *Entry)
	storages = func(e *Entry) {
		child := le.Uint32(f.dir[e.index*dirEntrySize+76:])
		if child != noStream && f.dir[child*dirEntrySize+67] != colorBlack {
			t.Errorf("storage %q: the tree's root %d is red", e.name, child)
		}
		walk(child, nil, nil)
		for _, c := range e.children {
			if c.IsStorage() {
				storages(c)
			}
		}
	}
	storages(f.root)
}

func TestRedBlack(t *testing.T) {
	for n := 0; n <= 70; n++ {
		for _, v := range []Version{V3, V4} {
			b := NewBuilder(v)
			s, _ := b.Root().AddStorage("sub")
			for i := range n {
				// Names of varying length and case, added out of order.
				name := fmt.Sprintf("%*d", 1+(i*7)%5, (i*37)%101)
				if i%2 == 1 {
					name = "x" + name
				}
				if err := b.Root().AddStream(name, []byte{byte(i)}); err != nil {
					continue // a repeat of an earlier name
				}
				s.AddStream(name, nil)
			}
			out, err := b.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			f, err := Open(bytes.NewReader(out), int64(len(out)))
			if err != nil {
				t.Fatalf("n=%d: Open() = %v", n, err)
			}
			checkRedBlack(t, f)
		}
	}
}

// TestWriteTooLarge plans files past version 3's limit without holding
// their bytes.
func TestWriteTooLarge(t *testing.T) {
	tests := []struct {
		v    Version
		size int64
		want error
	}{
		{V3, 1<<31 - 100<<20, nil},
		{V3, 1 << 31, ErrTooLarge},
		{V3, 3 << 30, ErrTooLarge},
		{V4, 3 << 30, nil},
	}
	for _, tt := range tests {
		b := NewBuilder(tt.v)
		b.Root().AddStream("big", nil)
		b.root.kids[0].size = tt.size
		_, err := b.Size()
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("v%d with a %d-byte stream: Size() = %v, want %v", tt.v, tt.size, err, tt.want)
		}
	}
}

func TestFiletime(t *testing.T) {
	for _, ft := range []uint64{0, 1, 116444736000000000, 133000000001234567, 1<<63 + 5} {
		if got := timeToFiletime(filetimeToTime(ft)); got != ft {
			t.Errorf("timeToFiletime(filetimeToTime(%d)) = %d, want %d", ft, got, ft)
		}
	}
}
