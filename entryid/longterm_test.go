package entryid_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

func TestParseLongTermID(t *testing.T) {
	msg := vectorID(t, "mfcmapi-ENTRYID-13")
	m, err := entryid.ParseMessage(msg)
	if err != nil {
		t.Fatal(err)
	}
	ltid := msg[46:70]
	got, err := entryid.ParseLongTermID(ltid)
	if err != nil || got != m.ID {
		t.Fatalf("ParseLongTermID(%X) = %v, %v, want %v", ltid, got, err, m.ID)
	}
	gid, err := got.AppendGID(nil)
	if err != nil || !bytes.Equal(gid, ltid[:22]) {
		t.Fatalf("AppendGID() = %X, %v, want %X", gid, err, ltid[:22])
	}
	fromGID, err := entryid.ParseLongTermID(gid)
	if err != nil || fromGID != got {
		t.Fatalf("ParseLongTermID(GID %X) = %v, %v, want %v", gid, fromGID, err, got)
	}
	back, err := got.MarshalBinary()
	if err != nil || !bytes.Equal(back, ltid) {
		t.Fatalf("MarshalBinary() = %X, %v, want %X", back, err, ltid)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = entryid.ParseLongTermID(gid) }); n != 0 {
		t.Errorf("ParseLongTermID(GID): %v allocations, want 0", n)
	}
	for _, bad := range [][]byte{nil, ltid[:21], ltid[:23], append(bytes.Clone(ltid), 0)} {
		if _, err := entryid.ParseLongTermID(bad); !errors.Is(err, mapispi.ErrInvalidEntryID) {
			t.Errorf("ParseLongTermID(%X) error = %v, want ErrInvalidEntryID", bad, err)
		}
	}
	var l entryid.LongTermID
	if err := l.UnmarshalBinary(ltid[:5]); err == nil || l != (entryid.LongTermID{}) {
		t.Errorf("UnmarshalBinary(5 bytes) = %v, left %v; want an error and no change", err, l)
	}
	wide := entryid.LongTermID{Counter: entryid.MaxCounter + 1}
	if b, err := wide.AppendGID([]byte{1}); !errors.Is(err, mapispi.ErrInvalidParameter) || !bytes.Equal(b, []byte{1}) {
		t.Errorf("AppendGID(counter 1<<48) = %X, %v; want ErrInvalidParameter and b unchanged", b, err)
	}
}

func FuzzParseLongTermID(f *testing.F) {
	f.Add(make([]byte, 22))
	f.Add(make([]byte, 24))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := entryid.ParseLongTermID(b)
		if err != nil {
			if !errors.Is(err, mapispi.ErrInvalidEntryID) {
				t.Fatalf("ParseLongTermID(%X) error %v does not wrap ErrInvalidEntryID", b, err)
			}
			return
		}
		out, err := l.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 22 {
			out = out[:22]
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("ParseLongTermID(%X) re-encodes to %X", b, out)
		}
	})
}
