package propstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

var ctx = context.Background()

// owner records what a Stream asks of it.
type owner struct {
	checkErr  error
	growErr   error
	commitErr error
	grown     int
	commits   [][]byte
}

func (o *owner) Check(op string) error       { return o.checkErr }
func (o *owner) Grow(op string, n int) error { o.grown += n; return o.growErr }
func (o *owner) Commit(ctx context.Context, b []byte) error {
	if o.commitErr != nil {
		return o.commitErr
	}
	o.commits = append(o.commits, bytes.Clone(b))
	return nil
}

// wantErr fails unless err matches code and says what is wrong, and
// where, in each of words.
func wantErr(t *testing.T, call string, err error, code mapispi.SCode, words ...string) {
	t.Helper()
	if !errors.Is(err, code) {
		t.Errorf("%s = %v, want %v", call, err, code)
		return
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s = %q, want it to say %q", call, err, w)
		}
	}
}

func TestReadSeekWrite(t *testing.T) {
	o := &owner{}
	s := New(o, []byte("hello"), Config{Component: "test", Write: true})
	b, err := io.ReadAll(s)
	if err != nil || string(b) != "hello" {
		t.Fatalf("ReadAll = %q, %v, want %q", b, err, "hello")
	}
	if n, err := s.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("Read at the end = %d, %v, want 0, io.EOF", n, err)
	}
	if pos, err := s.Seek(-2, io.SeekEnd); pos != 3 || err != nil {
		t.Errorf("Seek(-2, end) = %d, %v, want 3", pos, err)
	}
	if n, err := s.Write([]byte("LOWORLD")); n != 7 || err != nil {
		t.Errorf("Write = %d, %v, want 7", n, err)
	}
	if pos, _ := s.Seek(0, io.SeekCurrent); pos != 10 {
		t.Errorf("position after the write = %d, want 10", pos)
	}
	if _, err := s.Seek(2, io.SeekCurrent); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write([]byte("!")); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stat(); st.Size != 13 {
		t.Errorf("Stat().Size = %d, want 13", st.Size)
	}
	if o.grown != 8 {
		t.Errorf("Grow asked for %d bytes in all, want 8", o.grown)
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if want := "helLOWORLD\x00\x00!"; len(o.commits) != 1 || string(o.commits[0]) != want {
		t.Errorf("committed %q, want %q (the gap zero)", o.commits, want)
	}
	if err := s.Commit(ctx); err != nil || len(o.commits) != 1 {
		t.Errorf("a second Commit with nothing written = %v, %d commits; want nil and no commit", err, len(o.commits))
	}
	if err := s.SetSize(2); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if len(o.commits) != 2 || string(o.commits[1]) != "he" {
		t.Errorf("Close committed %q, want %q", o.commits, "he")
	}
}

func TestSeekErrors(t *testing.T) {
	s := New(&owner{}, []byte("abc"), Config{Component: "test"})
	_, err := s.Seek(-4, io.SeekEnd)
	wantErr(t, "Seek(-4, end) of 3 bytes", err, mapispi.ErrInvalidParameter, "test: IStream::Seek", "offset -4 from 3", "before the start")
	_, err = s.Seek(0, 3)
	wantErr(t, "Seek(0, 3)", err, mapispi.ErrInvalidParameter, "whence 3")
	if _, err := s.Seek(1<<62, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	_, err = s.Seek(1<<62, io.SeekCurrent)
	wantErr(t, "Seek(1<<62, cur) at 1<<62", err, mapispi.ErrInvalidParameter, "past the largest position")
	if pos, _ := s.Seek(0, io.SeekCurrent); pos != 1<<62 {
		t.Errorf("position after a refused Seek = %d, want 1<<62", pos)
	}
}

func TestReadOnly(t *testing.T) {
	o := &owner{}
	s := New(o, []byte("abc"), Config{Component: "test"})
	_, err := s.Write([]byte("x"))
	wantErr(t, "Write on a read-only stream", err, mapispi.ErrNoAccess, "IStream::Write", "read-only")
	wantErr(t, "SetSize on a read-only stream", s.SetSize(0), mapispi.ErrNoAccess, "IStream::SetSize")
	if err := s.Close(ctx); err != nil || len(o.commits) != 0 {
		t.Errorf("Close = %v with %d commits, want nil and none", err, len(o.commits))
	}
}

func TestCreate(t *testing.T) {
	o := &owner{}
	s := New(o, []byte("ignored"), Config{Component: "test", Write: true, Create: true})
	if st, _ := s.Stat(); st.Size != 0 {
		t.Errorf("Stat().Size of a created stream = %d, want 0", st.Size)
	}
	if err := s.Close(ctx); err != nil || len(o.commits) != 1 || len(o.commits[0]) != 0 {
		t.Errorf("Close of an unwritten created stream = %v, commits %q; want one empty commit", err, o.commits)
	}
}

func TestSizeLimits(t *testing.T) {
	o := &owner{}
	s := New(o, nil, Config{Component: "test", Write: true})
	wantErr(t, "SetSize(-1)", s.SetSize(-1), mapispi.ErrInvalidParameter, "size -1")
	wantErr(t, "SetSize(MaxSize+1)", s.SetSize(MaxSize+1), mapispi.ErrTooBig, "IStream::SetSize", "4294967296 bytes")
	if _, err := s.Seek(1<<63-1, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	_, err := s.Write([]byte("xy"))
	wantErr(t, "Write at the largest position", err, mapispi.ErrTooBig, "IStream::Write")
	if o.grown != 0 {
		t.Errorf("Grow asked for %d bytes, want none past MaxSize", o.grown)
	}
	o.growErr = mapispi.Errorf(mapispi.ErrNotEnoughMemory, "owner", "budget spent")
	if _, err := s.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write([]byte("abc")); !errors.Is(err, o.growErr) {
		t.Errorf("Write the owner's Grow refuses = %v, want its error", err)
	}
	if err := s.SetSize(10); !errors.Is(err, o.growErr) {
		t.Errorf("SetSize the owner's Grow refuses = %v, want its error", err)
	}
	if st, _ := s.Stat(); st.Size != 0 {
		t.Errorf("Stat().Size after refused growth = %d, want 0", st.Size)
	}
}

func TestOwnerErrors(t *testing.T) {
	released := mapispi.Errorf(mapispi.ErrInvalidObject, "owner", "the message has been released")
	o := &owner{}
	s := New(o, []byte("abc"), Config{Component: "test", Write: true})
	if _, err := s.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	o.checkErr = released
	if _, err := s.Read(make([]byte, 1)); !errors.Is(err, released) {
		t.Errorf("Read with the owner released = %v, want its error", err)
	}
	if err := s.Commit(ctx); !errors.Is(err, released) {
		t.Errorf("Commit with the owner released = %v, want its error", err)
	}
	if err := s.Close(ctx); err != nil || len(o.commits) != 0 {
		t.Errorf("Close with the owner released = %v, %d commits; want nil and no commit", err, len(o.commits))
	}

	o = &owner{commitErr: mapispi.Errorf(mapispi.ErrNoAccess, "owner", "read-only now")}
	s = New(o, nil, Config{Component: "test", Write: true})
	if _, err := s.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx); !errors.Is(err, o.commitErr) {
		t.Errorf("Commit = %v, want the owner's error", err)
	}
	if err := s.Close(ctx); !errors.Is(err, o.commitErr) {
		t.Errorf("Close = %v, want the owner's error (still dirty)", err)
	}
}

func TestAfterClose(t *testing.T) {
	s := New(&owner{}, []byte("abc"), Config{Component: "test", Write: true})
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := s.Read(make([]byte, 1))
	wantErr(t, "Read after Close", err, mapispi.ErrInvalidObject, "test: IStream::Read", "released")
	_, err = s.Write([]byte("x"))
	wantErr(t, "Write after Close", err, mapispi.ErrInvalidObject, "IStream::Write")
	_, err = s.Seek(0, io.SeekStart)
	wantErr(t, "Seek after Close", err, mapispi.ErrInvalidObject, "IStream::Seek")
	_, err = s.Stat()
	wantErr(t, "Stat after Close", err, mapispi.ErrInvalidObject, "IStream::Stat")
	wantErr(t, "SetSize after Close", s.SetSize(0), mapispi.ErrInvalidObject, "IStream::SetSize")
	wantErr(t, "Commit after Close", s.Commit(ctx), mapispi.ErrInvalidObject, "IStream::Commit")
	wantErr(t, "a second Close", s.Close(ctx), mapispi.ErrInvalidObject, "IStream::Release", "already")
}

func TestConcurrentWrites(t *testing.T) {
	o := &owner{}
	s := New(o, nil, Config{Component: "test", Write: true})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = s.Write([]byte("ab"))
				_, _ = s.Stat()
			}
		})
	}
	wg.Wait()
	if st, _ := s.Stat(); st.Size != 8*100*2 {
		t.Errorf("Stat().Size after 800 two-byte writes = %d, want 1600", st.Size)
	}
}

func TestBytes(t *testing.T) {
	cp := codepage.Windows1252
	subjectA := mapispi.PropSubject.WithType(mapispi.PtString8)
	tests := []struct {
		v    mapispi.PropValue
		want []byte
	}{
		{mapispi.PropValue{Tag: mapispi.PropAttachDataBin, Value: []byte{1, 2}}, []byte{1, 2}},
		{mapispi.PropValue{Tag: mapispi.PropSubject, Value: "\u00e9\U0001F600"}, []byte{0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE}},
		{mapispi.PropValue{Tag: subjectA, Value: "caf\u00e9"}, []byte("caf\xe9")},
	}
	for _, tc := range tests {
		got, err := Bytes("test", tc.v, cp.Encode)
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("Bytes(%v) = % X, %v, want % X", tc.v, got, err, tc.want)
		}
	}
	in := []byte{1, 2}
	got, _ := Bytes("test", mapispi.PropValue{Tag: mapispi.PropAttachDataBin, Value: in}, cp.Encode)
	if got[0] = 9; in[0] != 1 {
		t.Errorf("Bytes shares the value's memory")
	}
	_, err := Bytes("test", mapispi.PropValue{Tag: subjectA, Value: "\u65e5"}, cp.Encode)
	wantErr(t, "Bytes(PR_SUBJECT_A \u65e5) in 1252", err, mapispi.ErrBadValue, "test: OpenProperty", "PR_SUBJECT_A", "1252")
	if !errors.Is(err, codepage.ErrUnrepresentable) {
		t.Errorf("Bytes(PR_SUBJECT_A \u65e5) in 1252 = %v, want it to wrap codepage.ErrUnrepresentable", err)
	}
	_, err = Bytes("test", mapispi.PropValue{Tag: mapispi.PropImportance, Value: int32(1)}, cp.Encode)
	wantErr(t, "Bytes(PR_IMPORTANCE)", err, mapispi.ErrInterfaceNotSupported, "PR_IMPORTANCE", "int32")
}

func TestValue(t *testing.T) {
	cp := codepage.ShiftJIS
	subjectA := mapispi.PropSubject.WithType(mapispi.PtString8)
	tests := []struct {
		tag  mapispi.PropTag
		in   []byte
		want any
	}{
		{mapispi.PropSubject, []byte{'h', 0, 'i', 0, 0, 0}, "hi"},     // the terminator written with the text
		{mapispi.PropSubject, []byte{'h', 0, 'i', 0, 0}, "hi"},        // and an odd byte
		{mapispi.PropSubject, []byte{'a', 0, 0, 0, 'b', 0}, "a\x00b"}, // a NUL inside is kept, as written
		{mapispi.PropSubject, []byte{0x3D, 0xD8, 'x', 0}, "\uFFFDx"},  // an unpaired surrogate
		{subjectA, []byte{0x93, 0xfa, 0x96, 0x7b}, "\u65e5\u672c"},    // Shift JIS
		{mapispi.PropAttachDataBin, []byte{0, 1, 0}, []byte{0, 1, 0}}, // bytes as they are
		{mapispi.PropAttachDataBin, []byte{}, []byte{}},               // empty
	}
	for _, tc := range tests {
		got, err := Value("test", tc.tag, tc.in, cp.Decode)
		if err != nil || got.Tag != tc.tag || !equal(got.Value, tc.want) {
			t.Errorf("Value(%v, % X) = %v, %v, want %#v", tc.tag, tc.in, got, err, tc.want)
		}
	}
	_, err := Value("test", subjectA, []byte{'a', 0x81}, cp.Decode)
	wantErr(t, "Value(PR_SUBJECT_A, a 81) in Shift JIS", err, mapispi.ErrBadValue, "test: IStream::Commit", "PR_SUBJECT_A", "shift_jis")
}

func equal(a, b any) bool {
	if x, ok := a.([]byte); ok {
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	}
	return a == b
}

// TestGrowFitsInt: a growth is passed to Grow as a positive int, so a
// size that fits a property but not the platform's int (3 GB on a 32-bit
// system) is ErrTooBig rather than a negative Grow and a panic.
func TestGrowFitsInt(t *testing.T) {
	o := &owner{growErr: mapispi.Errorf(mapispi.ErrNotEnoughMemory, "owner", "no budget")}
	var asked []int
	s := New(&recordGrow{owner: o, asked: &asked}, nil, Config{Component: "test", Write: true})
	err := s.SetSize(3 << 30)
	switch {
	case strconv.IntSize == 32:
		wantErr(t, "SetSize(3 GB) on a 32-bit system", err, mapispi.ErrTooBig, "IStream::SetSize")
	default:
		wantErr(t, "SetSize(3 GB)", err, mapispi.ErrNotEnoughMemory)
	}
	for _, n := range asked {
		if n <= 0 {
			t.Errorf("Grow(%d), want a positive size", n)
		}
	}
}

// recordGrow is an owner that records each Grow's n.
type recordGrow struct {
	*owner
	asked *[]int
}

func (r *recordGrow) Grow(op string, n int) error {
	*r.asked = append(*r.asked, n)
	return r.owner.Grow(op, n)
}
