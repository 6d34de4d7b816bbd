package mapispi

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestEntryIDText(t *testing.T) {
	id := EntryID{0x00, 0x00, 0x00, 0x00, 0x38, 0xA1, 0xBB, 0x10, 0xab}
	if got, want := id.String(), "0000000038A1BB10AB"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := EntryID(nil).String(); got != "" {
		t.Errorf("EntryID(nil).String() = %q, want \"\"", got)
	}
	var back EntryID
	if err := back.UnmarshalText([]byte("0000000038a1bb10AB")); err != nil || string(back) != string(id) {
		t.Errorf("UnmarshalText = %X, %v, want %X", back, err, id)
	}
	if err := back.UnmarshalText(nil); err != nil || back != nil {
		t.Errorf("UnmarshalText(empty) = %X, %v, want nil, nil", back, err)
	}
	for _, bad := range []string{"0", "ZZ", "00 11"} {
		if err := back.UnmarshalText([]byte(bad)); !errors.Is(err, ErrInvalidEntryID) {
			t.Errorf("UnmarshalText(%q) = %v, want ErrInvalidEntryID", bad, err)
		}
	}
	var bad hex.InvalidByteError
	if err := back.UnmarshalText([]byte("ZZ")); !errors.As(err, &bad) || bad != 'Z' {
		t.Errorf("UnmarshalText(\"ZZ\") = %v, want the hex.InvalidByteError as its cause", err)
	}
	b, err := json.Marshal(struct{ ID EntryID }{id})
	if err != nil || string(b) != `{"ID":"0000000038A1BB10AB"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
}

func TestEntryIDClone(t *testing.T) {
	id := EntryID{1, 2, 3}
	c := id.Clone()
	c[0] = 9
	if id[0] != 1 {
		t.Errorf("Clone shares memory with the original")
	}
	if EntryID(nil).Clone() != nil {
		t.Errorf("EntryID(nil).Clone() != nil")
	}
	if c := (EntryID{}).Clone(); c == nil || len(c) != 0 {
		t.Errorf("EntryID{}.Clone() = %#v, want empty non-nil", c)
	}
}

func TestEntryIDFormat(t *testing.T) {
	id := EntryID{0x00, 0xAB, 0x10}
	for _, c := range []struct{ format, want string }{
		{"%x", "00ab10"},
		{"%X", "00AB10"},
		{"% X", "00 AB 10"},
		{"%s", "00AB10"},
		{"%v", "00AB10"},
		{"%q", `"00AB10"`},
		{"%10s", "    00AB10"},
		{"%#v", "mapispi.EntryID([]byte{0x0, 0xab, 0x10})"},
	} {
		if got := fmt.Sprintf(c.format, id); got != c.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", c.format, []byte(id), got, c.want)
		}
	}
}
