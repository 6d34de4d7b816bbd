package entryid_test

import (
	"bytes"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
)

// TestZeroAllocs proves the zero-allocation claims of the package doc.
func TestZeroAllocs(t *testing.T) {
	store := vectorID(t, "mfcmapi-ENTRYID-38")
	store2 := withFlags(replaceOnce(t, store, "USER.NAME@", "user.name@"), 0x80)
	folder := vectorID(t, "mfcmapi-ENTRYID-8")
	msg := vectorID(t, "mfcmapi-ENTRYID-13")
	pst := vectorID(t, "mfcmapi-ENTRYID-19")
	eph := vectorID(t, "mfcmapi-ENTRYID-25")
	oneoff := vectorID(t, "mfcmapi-ENTRYID-40")
	o, err := entryid.ParseOneOff(oneoff)
	if err != nil {
		t.Fatal(err)
	}
	o.Options &^= entryid.OneOffUnicode
	o.CodePage = codepage.Windows1251
	ansiOneOff, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	contact := vectorID(t, "mfcmapi-ENTRYID-18")
	pstStore := vectorID(t, "mfcmapi-ENTRYID-5")
	storeCopy := bytes.Clone(store)
	bad := []byte{1, 2, 3}
	badCopy := bytes.Clone(bad)
	cp1251 := entryid.Options{CodePage: codepage.Windows1251}
	ab := vectorID(t, "mfcmapi-ENTRYID-16")
	abNUL := append(bytes.Clone(ab), 0)
	buf := make([]byte, 0, 3*len(store)+32)
	var sink bool
	cases := []struct {
		name string
		f    func()
	}{
		{"Identify", func() { sink = entryid.Identify(store) == entryid.KindStore }},
		{"Split", func() { _, _, _, err := entryid.Split(store); sink = err == nil }},
		{"UnwrapView", func() { _, err := entryid.UnwrapView(store); sink = err == nil }},
		{"Equal/store", func() { sink = entryid.Equal(store, store2) }},
		{"Equal/identical copies", func() { sink = entryid.Equal(store, storeCopy) }},
		{"Equal/malformed identical copies", func() { sink = entryid.Equal(bad, badCopy) }},
		{"Equal/Windows-1251", func() { sink = cp1251.Equal(oneoff, ansiOneOff) }},
		{"Equal/address book with trailing NUL", func() { sink = entryid.Equal(ab, abNUL) }},
		{"AppendCanonical/Windows-1251 one-off", func() { _, err := cp1251.AppendCanonical(buf[:0], ansiOneOff); sink = err == nil }},
		{"Equal/folder", func() { sink = entryid.Equal(folder, folder) }},
		{"Equal/message", func() { sink = entryid.Equal(msg, msg) }},
		{"Equal/one-off ANSI vs Unicode", func() { sink = entryid.Equal(oneoff, ansiOneOff) }},
		{"Equal/contact", func() { sink = entryid.Equal(contact, contact) }},
		{"Equal/PST store", func() { sink = entryid.Equal(pstStore, pstStore) }},
		{"AppendCanonical/store", func() { _, err := entryid.AppendCanonical(buf[:0], store); sink = err == nil }},
		{"AppendCanonical/one-off", func() { _, err := entryid.AppendCanonical(buf[:0], oneoff); sink = err == nil }},
		{"ParseFolder", func() { _, err := entryid.ParseFolder(folder); sink = err == nil }},
		{"ParseMessage", func() { _, err := entryid.ParseMessage(msg); sink = err == nil }},
		{"ParsePST", func() { _, err := entryid.ParsePST(pst); sink = err == nil }},
		{"ParseEphemeral", func() { _, err := entryid.ParseEphemeral(eph); sink = err == nil }},
	}
	for _, c := range cases {
		c.f()
		if !sink {
			t.Fatalf("%s: the call failed", c.name)
		}
		if n := testing.AllocsPerRun(100, c.f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", c.name, n)
		}
	}
}

// TestKeyAllocs proves that Key allocates only its string.
func TestKeyAllocs(t *testing.T) {
	for _, name := range []string{"mfcmapi-ENTRYID-38", "mfcmapi-ENTRYID-8", "mfcmapi-ENTRYID-18", "mfcmapi-ENTRYID-39"} {
		id := vectorID(t, name)
		var key string
		if n := testing.AllocsPerRun(100, func() { key = entryid.Key(id) }); n != 1 {
			t.Errorf("Key(%s): %v allocations per run, want 1 (the string)", name, n)
		}
		if key == "" {
			t.Errorf("Key(%s) is empty", name)
		}
	}
}
