package entryid_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

func vectorID(t testing.TB, name string) []byte {
	t.Helper()
	for _, v := range loadVectors(t) {
		if v.name == name {
			return v.id
		}
	}
	t.Fatalf("no vector %s", name)
	return nil
}

func encode(t testing.TB, s entryid.Structure) []byte {
	t.Helper()
	b, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatalf("%v.AppendBinary: %v", s, err)
	}
	return b
}

// withFlags returns a copy of id with abFlags[0] set to f.
func withFlags(id []byte, f byte) []byte {
	c := bytes.Clone(id)
	c[0] = f
	return c
}

// replaceOnce returns a copy of id with the first old replaced by new.
func replaceOnce(t testing.TB, id []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(id, []byte(old)) {
		t.Fatalf("%q not in %X", old, id)
	}
	return bytes.Replace(bytes.Clone(id), []byte(old), []byte(new), 1)
}

type equalCase struct {
	name string
	a, b []byte
	want bool
}

func equalCases(t testing.TB) []equalCase {
	store := vectorID(t, "mfcmapi-ENTRYID-2") // private, server SERVER, DN /o=microsoft/...
	exInner, err := entryid.UnwrapView(store)
	if err != nil {
		t.Fatal(err)
	}
	x, err := entryid.ParseExchangeStore(store)
	if err != nil {
		t.Fatal(err)
	}
	withV3 := x
	withV3.Server = "user@example.com"
	withV3.V3 = entryid.NewStoreV3("user@example.com")
	v3Wrapped, err := withV3.Wrapped()
	if err != nil {
		t.Fatal(err)
	}
	public := x
	public.Provider = entryid.StorePublicUID
	public.Type = entryid.PublicStoreType
	otherDN := x
	otherDN.MailboxDN += "6"

	folder := vectorID(t, "mfcmapi-ENTRYID-8")
	msg := vectorID(t, "mfcmapi-ENTRYID-13")
	m, _ := entryid.ParseMessage(msg)
	moved := m
	moved.Folder.Counter++
	moved.ID.Pad = 0x0102
	otherMsg := m
	otherMsg.ID.Counter++
	otherProvider := m
	otherProvider.Provider[0] ^= 1

	contact := vectorID(t, "mfcmapi-ENTRYID-18")
	c, _ := entryid.ParseContact(contact)
	noTail := c
	noTail.Trailing = []byte{0, 0, 0}
	email2 := c
	email2.Index = entryid.Email2

	ansi := entryid.PSTStore{ANSIPath: `C:\Mail\Outlook.pst`}
	unicode := entryid.PSTStore{UnicodePath: `c:\mail\OUTLOOK.PST`}
	ansiWrapped, _ := ansi.Wrapped()

	oo := entryid.OneOff{Options: entryid.OneOffNoRichInfo, DisplayName: "Ann", AddressType: "SMTP", Address: "ann@example.com"}
	ooU := entryid.NewOneOff("Ann Smith", "smtp", "Ann@Example.COM")
	ooOther := entryid.NewOneOff("Ann", "SMTP", "bob@example.com")

	ab := vectorID(t, "mfcmapi-ENTRYID-16")
	eph := vectorID(t, "mfcmapi-ENTRYID-25")

	ephStore := layHex("870000001B55FA20AA6611CD9BC800AA002FC45A0C0000006162630064656600")
	permStore := layHex("000000001B55FA20AA6611CD9BC800AA002FC45A0C0000006162630064656600")
	member := vectorID(t, "mfcmapi-ENTRYID-3") // a wrapped GAL user: an address book ID inside
	memberUpper := replaceOnce(t, member, "/o=microsoft/ou=something", "/O=MICROSOFT/OU=SOMETHING")
	movedContact := c
	movedEntry, _ := entryid.ParseMessage(c.EntryID)
	movedEntry.Folder.Counter++
	movedContact.EntryID = encode(t, movedEntry)

	return []equalCase{
		{"C2 ephemeral with an Exchange store UID vs the permanent ID", ephStore, permStore, false},
		{"C2 ephemeral inside a wrap vs the permanent ID", entryid.WrapStore("EMSMDB.DLL", ephStore), permStore, false},
		{"C7 wrapped member: embedded address book DN case", member, memberUpper, true},
		{"C7 contact: embedded message ID after a folder move", contact, encode(t, movedContact), true},
		{"C2 folder short-term vs long-term", folder, withFlags(folder, 0x80), true},
		{"C2 ephemeral vs itself", eph, bytes.Clone(eph), true},
		{"C2 ephemeral vs other MId", eph, append(bytes.Clone(eph[:28]), 1, 2, 3, 4), false},
		{"C2 ephemeral never equals a permanent ID", eph, ab, false},
		{"C3 wrapped vs unwrapped store", store, exInner, true},
		{"C4 DLL name case", store, entryid.WrapStore("emsmdb.dll", exInner), true},
		{"C5 server name case and abFlags", store, withFlags(replaceOnce(t, store, "SERVER", "server"), 0x80), true},
		{"C5 mailbox DN case", store, replaceOnce(t, store, "/o=microsoft/ou=something", "/O=MICROSOFT/OU=Something"), true},
		{"C5 SMTP server name and V3 tail", store, v3Wrapped, true},
		{"C5 public vs private store", encode(t, x), encode(t, public), false},
		{"C5 other mailbox", encode(t, x), encode(t, otherDN), false},
		{"C5 address book DN case", ab, replaceOnce(t, ab, "fareast", "FarEast"), true},
		{"C6 message moved to another folder, pad set", msg, encode(t, moved), true},
		{"C6 other message", msg, encode(t, otherMsg), false},
		{"C1 other provider UID", msg, encode(t, otherProvider), false},
		{"C6 folder vs message", folder, msg, false},
		{"C7 contact tail ignored", contact, encode(t, noTail), true},
		{"C7 contact other address", contact, encode(t, email2), false},
		{"C9 PST path ANSI vs Unicode, case", encode(t, ansi), encode(t, unicode), true},
		{"C9 wrapped PST vs unwrapped other case", ansiWrapped, encode(t, unicode), true},
		{"C9 other PST file", encode(t, ansi), encode(t, entryid.PSTStore{ANSIPath: `C:\Mail\Archive.pst`}), false},
		{"C10 one-off ANSI vs Unicode, flags, name and case", encode(t, oo), encode(t, ooU), true},
		{"C10 other address", encode(t, oo), encode(t, ooOther), false},
		{"malformed equals its own bytes", []byte{1, 2, 3}, []byte{1, 2, 3}, true},
		{"malformed vs other malformed", []byte{1, 2, 3}, []byte{1, 2, 4}, false},
		{"nil vs nil", nil, nil, true},
		{"malformed vs well-formed", vectorID(t, "mfcmapi-ENTRYID-24"), ab, false},
	}
}

func TestEqual(t *testing.T) {
	for _, c := range equalCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if got := entryid.Equal(c.a, c.b); got != c.want {
				t.Errorf("Equal(%X, %X) = %v, want %v", c.a, c.b, got, c.want)
			}
			if got := entryid.Equal(c.b, c.a); got != c.want {
				t.Errorf("Equal(%X, %X) = %v, want %v (swapped)", c.b, c.a, got, c.want)
			}
		})
	}
}

// TestEqualAgreesWithCanonical checks every pair of vectors and test IDs:
// Equal is true exactly when the canonical forms are equal, and the
// canonical form is usable as a map key.
func TestEqualAgreesWithCanonical(t *testing.T) {
	var ids [][]byte
	for _, v := range loadVectors(t) {
		ids = append(ids, v.id, withFlags(v.id, 0x80))
	}
	for _, c := range equalCases(t) {
		ids = append(ids, c.a, c.b)
	}
	for _, a := range ids {
		ca, erra := entryid.AppendCanonical(nil, a)
		if _, perr := entryid.Parse(a); (erra == nil) != (perr == nil) {
			t.Fatalf("AppendCanonical(%X) error %v, Parse error %v: want both or neither", a, erra, perr)
		}
		for _, b := range ids {
			cb, errb := entryid.AppendCanonical(nil, b)
			want := bytes.Equal(a, b)
			if erra == nil && errb == nil {
				want = bytes.Equal(ca, cb)
			} else if erra == nil || errb == nil {
				want = false
			}
			if got := entryid.Equal(a, b); got != want {
				t.Fatalf("Equal(%X, %X) = %v, canonical forms say %v", a, b, got, want)
			}
		}
	}
}

func TestAppendCanonicalAppends(t *testing.T) {
	id := vectorID(t, "mfcmapi-ENTRYID-1")
	prefix := []byte("key:")
	got, err := entryid.AppendCanonical(prefix, id)
	if err != nil {
		t.Fatal(err)
	}
	alone, _ := entryid.AppendCanonical(nil, id)
	if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], alone) {
		t.Errorf("AppendCanonical(%q, id) = %q, want the prefix then %q", prefix, got, alone)
	}
	bad, err := entryid.AppendCanonical(prefix, []byte{1, 2})
	if err == nil || !bytes.Equal(bad, prefix) {
		t.Errorf("AppendCanonical(prefix, 2 bytes) = %q, %v; want prefix unchanged and an error", bad, err)
	}
	if !strings.Contains(err.Error(), "offset") || !isInvalidEntryID(err) {
		t.Errorf("AppendCanonical error %v does not wrap ErrInvalidEntryID with an offset", err)
	}
}

func isInvalidEntryID(err error) bool {
	var pe *entryid.ParseError
	return err != nil && mapispi.CodeOf(err) == mapispi.ErrInvalidEntryID && errors.As(err, &pe)
}
