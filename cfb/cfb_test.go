package cfb_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
)

var testCLSID = cfb.CLSID{0x0B, 0x0D, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// trees are the round-trip cases, each written as version 3 and 4.
func trees() map[string][]node {
	many := make([]node, 300)
	for i := range many {
		many[i] = stream(fmt.Sprintf("__substg1.0_%08X", i), pattern(i*37, byte(i)))
	}
	deep := stream("leaf", []byte("at the bottom"))
	for i := 40; i > 0; i-- {
		deep = storage(fmt.Sprintf("level%d", i), deep, stream("s", []byte{byte(i)}))
	}
	withCLSID := storage("__attach_version1.0_#00000000", stream("x", nil))
	withCLSID.clsid = testCLSID
	return map[string][]node{
		"empty root":     nil,
		"empty storage":  {storage("empty")},
		"empty stream":   {stream("empty", nil)},
		"4095 bytes":     {stream("a", pattern(4095, 1))},
		"4096 bytes":     {stream("a", pattern(4096, 2))},
		"4097 bytes":     {stream("a", pattern(4097, 3))},
		"cutoff mix":     {stream("a", pattern(4095, 1)), stream("b", pattern(4096, 2)), stream("c", pattern(4097, 3)), stream("d", pattern(1, 4))},
		"many streams":   many,
		"deep nesting":   {deep},
		"storage clsid":  {withCLSID},
		"mixed case":     {stream("abc", []byte("1")), stream("ABD", []byte("2")), stream("Ab", []byte("3")), stream("éÉ0", []byte("4"))},
		"31 code units":  {stream(strings.Repeat("x", 29)+"😀", []byte("max"))},
		"surrogate pair": {stream("😀", []byte("astral"))},
	}
}

func TestRoundTrip(t *testing.T) {
	for name, kids := range trees() {
		for _, v := range []cfb.Version{cfb.V3, cfb.V4} {
			t.Run(fmt.Sprintf("%s/v%d", name, v), func(t *testing.T) {
				b := build(t, v, testCLSID, kids...)
				f := open(t, b)
				if got := f.Version(); got != v {
					t.Errorf("Version() = %d, want %d", got, v)
				}
				if got, want := int64(len(b))%(map[cfb.Version]int64{cfb.V3: 512, cfb.V4: 4096}[v]), int64(0); got != want {
					t.Errorf("len(file) %% sector size = %d, want %d", got, want)
				}
				got := listing(t, f)
				want := wantListing(kids)
				if !equalLines(got, want) {
					t.Errorf("listing = \n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				// Deterministic: a second build, and a rewrite of what was
				// read, give the same bytes.
				if b2 := build(t, v, testCLSID, kids...); !bytes.Equal(b, b2) {
					t.Errorf("second Bytes() differs from the first")
				}
				if b3 := rewrite(t, f, v); !bytes.Equal(b, b3) {
					t.Errorf("Bytes() of the tree read back differs from the original")
				}
			})
		}
	}
}

func wantListing(kids []node) []string {
	var out []string
	var walk func(ns []node, path string)
	walk = func(ns []node, path string) {
		for _, n := range ns {
			p := n.name
			if path != "" {
				p = path + "/" + n.name
			}
			if n.storage {
				out = append(out, fmt.Sprintf("%s\tstorage\t%s", p, clsidText(n.clsid)))
				walk(n.kids, p)
				continue
			}
			out = append(out, fmt.Sprintf("%s\tstream\t%d\t%x", p, len(n.data), sha(n.data)))
		}
	}
	walk(kids, "")
	out = append(out, "\troot\t"+clsidText(testCLSID))
	sortLines(out)
	return out
}

// TestDIFAT writes a stream over 7 MB, so a version 3 file needs more
// than the header's 109 FAT sectors, and reads it back.
func TestDIFAT(t *testing.T) {
	data := pattern(7<<20+12345, 9)
	for _, v := range []cfb.Version{cfb.V3, cfb.V4} {
		b := build(t, v, cfb.CLSID{}, stream("big", data), stream("small", []byte("s")))
		nfat := le32(b[44:])
		ndifat := le32(b[72:])
		if v == cfb.V3 && (nfat <= 109 || ndifat == 0) {
			t.Errorf("v3: header FAT sectors %d, DIFAT sectors %d, want over 109 and at least 1", nfat, ndifat)
		}
		f := open(t, b)
		e, ok := f.Root().Child("BIG")
		if !ok {
			t.Fatalf("Child(%q) = _, false, want the stream", "BIG")
		}
		got, err := e.ReadAll()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("v%d: ReadAll() = %d bytes, %v; want the %d bytes written", v, len(got), err, len(data))
		}
		// Random access through the SectionReader.
		sr, _ := e.Open()
		buf := make([]byte, 1000)
		for _, off := range []int64{0, 511, 512, 4095, 1 << 20, int64(len(data)) - 1000} {
			if _, err := sr.ReadAt(buf, off); err != nil || !bytes.Equal(buf, data[off:off+1000]) {
				t.Errorf("v%d: ReadAt(1000 bytes, %d) = %v, or other bytes than written", v, off, err)
			}
		}
		if n, err := sr.ReadAt(buf, int64(len(data))-10); n != 10 || err != io.EOF {
			t.Errorf("v%d: ReadAt past the end = %d, %v, want 10, io.EOF", v, n, err)
		}
	}
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// TestReadMsg reads real .msg files Outlook wrote (testdata/README.md).
func TestReadMsg(t *testing.T) {
	for _, name := range []string{"A_memo.msg", "test1.msg", "sent.msg"} {
		t.Run(name, func(t *testing.T) {
			f := open(t, readTestdata(t, name))
			if got, want := f.Version(), cfb.V3; got != want {
				t.Errorf("Version() = %d, want %d", got, want)
			}
			root := f.Root()
			if got, want := root.Name(), "Root Entry"; got != want {
				t.Errorf("Root().Name() = %q, want %q", got, want)
			}
			for _, s := range []string{"__properties_version1.0", "__substg1.0_0037001F", "__SUBSTG1.0_0037001f", "__nameid_version1.0"} {
				if _, ok := root.Child(s); !ok {
					t.Errorf("Root().Child(%q) = _, false, want found", s)
				}
			}
			subj, _ := root.Child("__substg1.0_0037001F")
			b, err := subj.ReadAll()
			if err != nil || len(b) == 0 || len(b)%2 != 0 {
				t.Errorf("ReadAll(subject) = %d bytes, %v; want UTF-16 text", len(b), err)
			}
			nameid, _ := root.Child("__nameid_version1.0")
			if !nameid.IsStorage() {
				t.Errorf("__nameid_version1.0 IsStorage() = false, want true")
			}
			props, _ := root.Child("__properties_version1.0")
			if n := props.Size(); n < 32 || (n-32)%16 != 0 {
				t.Errorf("__properties_version1.0 Size() = %d, want 32 + 16n", n)
			}
			// Every stream reads, and the tree rewrites to the same tree.
			lines := listing(t, f)
			for _, v := range []cfb.Version{cfb.V3, cfb.V4} {
				if got := listing(t, open(t, rewrite(t, f, v))); !equalLines(got, lines) {
					t.Errorf("v%d rewrite listing differs:\n%s\nwant\n%s", v, strings.Join(got, "\n"), strings.Join(lines, "\n"))
				}
			}
		})
	}
}

func TestBuilderNames(t *testing.T) {
	tests := []struct {
		name string
		want error
	}{
		{"", cfb.ErrName},
		{"a/b", cfb.ErrName},
		{`a\b`, cfb.ErrName},
		{"a:b", cfb.ErrName},
		{"a!b", cfb.ErrName},
		{"a\x00b", cfb.ErrName},
		{"\xff", cfb.ErrName},
		{strings.Repeat("x", 32), cfb.ErrName},
		{strings.Repeat("x", 30) + "😀", cfb.ErrName}, // 32 code units
		{strings.Repeat("x", 31), nil},
		{"\x05SummaryInformation", nil},
		{"TAKEN", cfb.ErrDuplicate},
		{"taken", cfb.ErrDuplicate},
		{"Taken", cfb.ErrDuplicate},
	}
	for _, tt := range tests {
		b := cfb.NewBuilder(cfb.V3)
		if err := b.Root().AddStream("taken", nil); err != nil {
			t.Fatal(err)
		}
		err := b.Root().AddStream(tt.name, nil)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("AddStream(%q) = %v, want %v", tt.name, err, tt.want)
		}
		_, err = b.Root().AddStorage(tt.name)
		if tt.want == nil {
			tt.want = cfb.ErrDuplicate // the stream above took the name
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("AddStorage(%q) = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestBuilderVersion(t *testing.T) {
	_, err := cfb.NewBuilder(5).Bytes()
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("NewBuilder(5).Bytes() = %v, want errors.ErrUnsupported", err)
	}
}

func TestOpenStorageAsStream(t *testing.T) {
	f := open(t, build(t, cfb.V3, cfb.CLSID{}, storage("s")))
	s, _ := f.Root().Child("s")
	if _, err := s.ReadAll(); !errors.Is(err, cfb.ErrNotStream) {
		t.Errorf("ReadAll(storage) = %v, want ErrNotStream", err)
	}
	if _, ok := f.Root().Child("nope"); ok {
		t.Errorf("Child(%q) = _, true, want false", "nope")
	}
}
