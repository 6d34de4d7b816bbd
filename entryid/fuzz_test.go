package entryid_test

// Fuzz targets that check properties of the codec, each seeded with every
// vector of testdata/vectors.tsv and the hand-made cases of layout_test.go.
//
//	go test ./entryid -run '^$' -fuzz '^FuzzParse$' -fuzztime 30s

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// fuzzSeedIDs returns the seed entry IDs: the vectors, the valid and
// invalid layout cases, and a few odd inputs.
func fuzzSeedIDs(tb testing.TB) [][]byte {
	var ids [][]byte
	for _, r := range loadVectors(tb) {
		ids = append(ids, r.id)
	}
	for _, c := range layValidCases() {
		ids = append(ids, layHex(c.hex))
	}
	for _, c := range layInvalidCases() {
		ids = append(ids, layHex(c.hex))
	}
	inner := layHex("00000000" + layPriv + "0C000000" + "53525600" + "2F6F00")
	ids = append(ids,
		nil,
		[]byte{0, 0, 0},
		make([]byte, 20),
		entryid.WrapStore("EMSMDB.DLL", inner),
		entryid.WrapStore("emsmdb.dll", inner),
		entryid.WrapStore("mspst.dll", layHex("00000000"+layMSPST+"00"+"00"+"78000000")),
		entryid.WrapStore("EMSMDB.DLL", entryid.WrapStore("EMSMDB.DLL", inner)),
	)
	return ids
}

// fuzzCheckParseError checks the error contract of every decoder.
func fuzzCheckParseError(t *testing.T, name string, in []byte, err error) {
	t.Helper()
	if !errors.Is(err, mapispi.ErrInvalidEntryID) {
		t.Fatalf("%s(%X) error %v does not wrap mapispi.ErrInvalidEntryID", name, in, err)
	}
	var pe *entryid.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%s(%X) error %T (%v), want *entryid.ParseError", name, in, err, err)
	}
	if pe.Offset < 0 || pe.Offset > len(in) {
		t.Fatalf("%s(%X) error offset %d outside 0..%d (%v)", name, in, pe.Offset, len(in), err)
	}
}

func FuzzParse(f *testing.F) {
	for _, id := range fuzzSeedIDs(f) {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		s, err := entryid.Parse(in)
		k := entryid.Identify(in)
		prefix := []byte{0xAA}
		canon, cerr := entryid.AppendCanonical(bytes.Clone(prefix), in)
		if !bytes.Equal(in, orig) {
			t.Fatalf("Parse or AppendCanonical changed its input %X to %X", orig, in)
		}
		if err != nil {
			fuzzCheckParseError(t, "Parse", in, err)
			if cerr == nil {
				t.Fatalf("AppendCanonical(nil, %X) = %X, but Parse fails: %v", in, canon, err)
			}
			fuzzCheckParseError(t, "AppendCanonical", in, cerr)
			if !bytes.Equal(canon, prefix) {
				t.Fatalf("AppendCanonical(%X, %X) = %X with an error, want dst unchanged", prefix, in, canon)
			}
			return
		}
		if cerr != nil {
			t.Fatalf("AppendCanonical(nil, %X): %v, but Parse succeeds with %v", in, cerr, s)
		}
		if !bytes.HasPrefix(canon, prefix) || len(canon) <= len(prefix) {
			t.Fatalf("AppendCanonical(%X, %X) = %X, want the prefix kept and a canonical form", prefix, in, canon)
		}
		if s.Kind() != k {
			t.Fatalf("Parse(%X).Kind() = %v, Identify = %v", in, s.Kind(), k)
		}
		out, err := s.AppendBinary(nil)
		if err != nil {
			t.Fatalf("Parse(%X) = %v, AppendBinary: %v", in, s, err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("Parse(%X) = %v, AppendBinary gives %X, want the input", in, s, out)
		}
		s2, err := entryid.Parse(out)
		if err != nil || !reflect.DeepEqual(s2, s) {
			t.Fatalf("Parse(%X) = %v, %v, want %v", out, s2, err, s)
		}
		if !entryid.Equal(in, out) {
			t.Fatalf("Equal(%X, itself re-encoded) = false", in)
		}
		if _, err := entryid.Explain(in); err != nil {
			t.Fatalf("Explain(%X): %v, but Parse succeeds", in, err)
		}

		// Another code page: a single-byte one reads every ID Windows-1252
		// reads; a multi-byte one may refuse some. Either way, what it
		// reads it writes back byte for byte.
		for _, cp := range []codepage.ID{codepage.Windows1251, codepage.ShiftJIS} {
			o := entryid.Options{CodePage: cp}
			s, err := o.Parse(in)
			if err != nil {
				if cp == codepage.Windows1251 {
					t.Fatalf("Options{%v}.Parse(%X): %v, Windows-1252 reads it", cp, in, err)
				}
				var ce *codepage.Error
				if !errors.As(err, &ce) {
					t.Fatalf("Options{%v}.Parse(%X) error %v is not about the code page", cp, in, err)
				}
				continue
			}
			if out, err := s.AppendBinary(nil); err != nil || !bytes.Equal(out, in) {
				t.Fatalf("Options{%v}.Parse(%X) = %v, AppendBinary gives %X, %v, want the input", cp, in, s, out, err)
			}
		}
	})
}

// fuzzLayout checks one decoder: on success the value re-encodes to the
// input (the inner ID for a wrapped Exchange or PST store ID), decodes to
// the same value again, and agrees with UnmarshalBinary and Parse; on
// failure the error is a *ParseError.
func fuzzLayout[T entryid.Structure](f *testing.F, name string, parse func(mapispi.EntryID) (T, error), unmarshal func(*T, []byte) error) {
	for _, id := range fuzzSeedIDs(f) {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		v, err := parse(in)
		if !bytes.Equal(in, orig) {
			t.Fatalf("%s changed its input %X to %X", name, orig, in)
		}
		var u T
		uerr := unmarshal(&u, in)
		if err == nil && entryid.Identify(in) == entryid.KindStore && (name == "ParseExchangeStore" || name == "ParsePSTStore") {
			// ParseExchangeStore and ParsePSTStore accept a wrapped ID;
			// UnmarshalBinary refuses it, since MarshalBinary could not
			// give the wrapper back.
			if uerr == nil {
				t.Fatalf("UnmarshalBinary(wrapped %X) succeeds, want an error", in)
			}
			inner, _ := entryid.UnwrapView(in)
			uerr = unmarshal(&u, inner)
		}
		if err != nil {
			fuzzCheckParseError(t, name, in, err)
			var zero T
			if !reflect.DeepEqual(v, zero) {
				t.Fatalf("%s(%X) = %v with an error, want the zero value", name, in, v)
			}
			if uerr == nil {
				t.Fatalf("UnmarshalBinary(%X) succeeds, %s fails: %v", in, name, err)
			}
			if !reflect.DeepEqual(u, zero) {
				t.Fatalf("UnmarshalBinary(%X) changed the value to %v on error", in, u)
			}
			return
		}
		if uerr != nil || !reflect.DeepEqual(u, v) {
			t.Fatalf("UnmarshalBinary(%X) = %v, %v, %s gives %v", in, u, uerr, name, v)
		}
		want := in
		if _, ok := any(v).(entryid.ExchangeStore); ok {
			want, err = entryid.UnwrapView(in)
		} else if _, ok := any(v).(entryid.PSTStore); ok {
			want, err = entryid.UnwrapView(in)
		}
		if err != nil {
			t.Fatalf("%s(%X) succeeds, UnwrapView fails: %v", name, in, err)
		}
		out, err := v.AppendBinary(nil)
		if err != nil {
			t.Fatalf("%s(%X) = %v, AppendBinary: %v", name, in, v, err)
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("%s(%X) = %v, AppendBinary gives %X, want %X", name, in, v, out, want)
		}
		v2, err := parse(out)
		if err != nil || !reflect.DeepEqual(v2, v) {
			t.Fatalf("%s(%X) = %v, %v, want %v", name, out, v2, err, v)
		}
		if k := entryid.Identify(out); k == v.Kind() {
			s, err := entryid.Parse(out)
			if err != nil || !reflect.DeepEqual(s, entryid.Structure(v)) {
				t.Fatalf("Parse(%X) = %v, %v, %s gives %v", out, s, err, name, v)
			}
		}
	})
}

func FuzzParseGeneric(f *testing.F) {
	fuzzLayout(f, "ParseGeneric", entryid.ParseGeneric, (*entryid.Generic).UnmarshalBinary)
}

func FuzzParseStore(f *testing.F) {
	fuzzLayout(f, "ParseStore", entryid.ParseStore, (*entryid.Store).UnmarshalBinary)
}

func FuzzParseExchangeStore(f *testing.F) {
	fuzzLayout(f, "ParseExchangeStore", entryid.ParseExchangeStore, (*entryid.ExchangeStore).UnmarshalBinary)
}

func FuzzParsePSTStore(f *testing.F) {
	fuzzLayout(f, "ParsePSTStore", entryid.ParsePSTStore, (*entryid.PSTStore).UnmarshalBinary)
}

func FuzzParseFolder(f *testing.F) {
	fuzzLayout(f, "ParseFolder", entryid.ParseFolder, (*entryid.Folder).UnmarshalBinary)
}

func FuzzParseMessage(f *testing.F) {
	fuzzLayout(f, "ParseMessage", entryid.ParseMessage, (*entryid.Message).UnmarshalBinary)
}

func FuzzParsePST(f *testing.F) {
	fuzzLayout(f, "ParsePST", entryid.ParsePST, (*entryid.PST).UnmarshalBinary)
}

func FuzzParseAddressBook(f *testing.F) {
	fuzzLayout(f, "ParseAddressBook", entryid.ParseAddressBook, (*entryid.AddressBook).UnmarshalBinary)
}

func FuzzParseEphemeral(f *testing.F) {
	fuzzLayout(f, "ParseEphemeral", entryid.ParseEphemeral, (*entryid.Ephemeral).UnmarshalBinary)
}

func FuzzParseOneOff(f *testing.F) {
	fuzzLayout(f, "ParseOneOff", entryid.ParseOneOff, (*entryid.OneOff).UnmarshalBinary)
}

func FuzzParseContact(f *testing.F) {
	fuzzLayout(f, "ParseContact", entryid.ParseContact, (*entryid.Contact).UnmarshalBinary)
}

func FuzzParseContactFolder(f *testing.F) {
	fuzzLayout(f, "ParseContactFolder", entryid.ParseContactFolder, (*entryid.ContactFolder).UnmarshalBinary)
}

func FuzzParseWrapped(f *testing.F) {
	fuzzLayout(f, "ParseWrapped", entryid.ParseWrapped, (*entryid.Wrapped).UnmarshalBinary)
}

func FuzzParseHex(f *testing.F) {
	for _, id := range fuzzSeedIDs(f) {
		if len(id) == 0 {
			continue
		}
		s := mapispi.EntryID(id).String()
		f.Add(s)
		f.Add(entryid.FormatCB(id))
		f.Add(entryid.FormatLog(id))
		f.Add(entryid.EncodeSearch(id))
	}
	for _, s := range []string{
		"", " ", "0x", "0x00", "00 11\r\n22\t33", "abCD", "000", "zz",
		"cb: 0 lpb: NULL", "cb: 2 lpb: 0011", "cb: 3 lpb: 0011", "CB:1 LPB:0x00",
		"[len=2, data=0011]", "[len=2, data=0011", "[len=0, data=]",
		"\uAC00\uAC01\x00", "\uAC00x", " \uAC00 ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := entryid.ParseHex(s)
		if err != nil {
			if !errors.Is(err, mapispi.ErrInvalidEntryID) {
				t.Fatalf("ParseHex(%q) error %v does not wrap ErrInvalidEntryID", s, err)
			}
			var pe *entryid.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseHex(%q) error %T, want *ParseError", s, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("ParseHex(%q) error offset %d outside 0..%d", s, pe.Offset, len(s))
			}
			if out != nil {
				t.Fatalf("ParseHex(%q) = %X with an error", s, out)
			}
			return
		}
		if len(out) == 0 {
			// Only the counted forms spell the NULL entry ID; plain hex
			// and the Search form have no spelling for it.
			if out != nil {
				t.Fatalf("ParseHex(%q) = empty non-nil %#v, want nil", s, out)
			}
			for _, text := range []string{entryid.FormatCB(out), entryid.FormatLog(out)} {
				if back, err := entryid.ParseHex(text); err != nil || back != nil {
					t.Fatalf("ParseHex(%q) = %X, %v, want nil", text, back, err)
				}
			}
			return
		}
		for _, text := range []string{
			mapispi.EntryID(out).String(),
			entryid.FormatCB(out),
			entryid.FormatLog(out),
			entryid.EncodeSearch(out),
		} {
			back, err := entryid.ParseHex(text)
			if err != nil || !bytes.Equal(back, out) {
				t.Fatalf("ParseHex(%q) = %X, %v, want %X (from ParseHex(%q))", text, back, err, out, s)
			}
		}
		if back, err := entryid.DecodeSearch(entryid.EncodeSearch(out)); err != nil || !bytes.Equal(back, out) {
			t.Fatalf("DecodeSearch(EncodeSearch(%X)) = %X, %v", out, back, err)
		}
	})
}

func FuzzEqual(f *testing.F) {
	ids := fuzzSeedIDs(f)
	for i, id := range ids {
		f.Add(id, id)
		f.Add(id, ids[(i+1)%len(ids)])
		if len(id) > 0 {
			flipped := bytes.Clone(id)
			flipped[0] ^= 0x80
			f.Add(id, flipped)
		}
		if inner, err := entryid.UnwrapView(id); err == nil && len(inner) != len(id) {
			f.Add(id, bytes.Clone(inner))
		}
	}
	ansi, _ := entryid.OneOff{AddressType: "SMTP", Address: "A@B.C"}.AppendBinary(nil)
	uni, _ := entryid.NewOneOff("x", "smtp", "a@b.c").AppendBinary(nil)
	f.Add(ansi, uni)
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if !entryid.Equal(a, a) {
			t.Fatalf("Equal(%X, itself) = false", a)
		}
		eab, eba := entryid.Equal(a, b), entryid.Equal(b, a)
		if eab != eba {
			t.Fatalf("Equal(%X, %X) = %v but Equal(b, a) = %v", a, b, eab, eba)
		}
		ca, erra := entryid.AppendCanonical(nil, a)
		cb, errb := entryid.AppendCanonical(nil, b)
		if erra == nil && errb == nil {
			if want := bytes.Equal(ca, cb); eab != want {
				t.Fatalf("Equal(%X, %X) = %v, canonical forms %X and %X equal: %v", a, b, eab, ca, cb, want)
			}
		} else if want := erra != nil && errb != nil && bytes.Equal(a, b); eab != want {
			t.Fatalf("Equal(%X, %X) = %v, want %v (AppendCanonical errors %v, %v)", a, b, eab, want, erra, errb)
		}
		if ka, kb := entryid.Key(a), entryid.Key(b); (ka == kb) != eab {
			t.Fatalf("Key(%X) == Key(%X) is %v, Equal says %v", a, b, ka == kb, eab)
		}
		if erra == nil && entryid.Key(a) != string(ca) {
			t.Fatalf("Key(%X) = %X, AppendCanonical gives %X", a, entryid.Key(a), ca)
		}
		checkComparison(t, a, b, entryid.Compare(a, b))
		// Windows-1251, like every single-byte code page, reads every ID:
		// Equal with it agrees with its Key too.
		o := entryid.Options{CodePage: codepage.Windows1251}
		if e := o.Equal(a, b); (o.Key(a) == o.Key(b)) != e || o.Compare(a, b).Same != e {
			t.Fatalf("Options{1251}: Equal(%X, %X) = %v disagrees with Key or Compare", a, b, e)
		}

		// abFlags byte 0 takes no part, except that 0x87 makes an ID ephemeral.
		if _, err := entryid.Parse(a); err == nil && entryid.Identify(a) != entryid.KindEphemeral {
			mask := byte(0x80)
			if len(b) > 0 && b[0] != 0 {
				mask = b[0]
			}
			flipped := bytes.Clone(a)
			flipped[0] ^= mask
			if _, err := entryid.Parse(flipped); err == nil && flipped[0] != 0x87 && entryid.Identify(flipped) != entryid.KindEphemeral {
				if !entryid.Equal(a, flipped) {
					t.Fatalf("Equal(%X, %X) = false, they differ only in abFlags[0]", a, flipped)
				}
			}
		}

		// A wrapped store ID equals the provider's own ID, when that is
		// well formed; IDs Parse rejects equal only their own bytes.
		if entryid.Identify(a) == entryid.KindStore {
			if inner, err := entryid.UnwrapView(a); err == nil {
				_, perr := entryid.Parse(inner)
				if got, want := entryid.Equal(a, inner), perr == nil; got != want {
					t.Fatalf("Equal(%X, inner %X) = %v, want %v (Parse(inner) error: %v)", a, inner, got, want, perr)
				}
			}
		}
	})
}

func FuzzFindAll(f *testing.F) {
	for _, id := range fuzzSeedIDs(f) {
		if len(id) == 0 {
			continue
		}
		f.Add("2024-05-01T10:00:00 moved " + entryid.FormatLog(id) + " to " + mapispi.EntryID(id).String() + ".")
		f.Add("x " + entryid.FormatCB(id) + " " + entryid.EncodeSearch(id) + " y")
		f.Add(strings.ReplaceAll(fmt.Sprintf("% X", id), " ", "-"))
	}
	f.Add("cb: 0 lpb: NULL [len=0, data=] 0x00 cb: 99999999999999999999 lpb:")
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, m := range entryid.FindAll(text) {
			if m.Start < end || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("FindAll(%q): match %d..%d out of order or outside the text", text, m.Start, m.End)
			}
			end = m.End
			id, err := entryid.ParseHex(text[m.Start:m.End])
			if err != nil || len(id) == 0 || !bytes.Equal(id, m.ID) {
				t.Fatalf("FindAll(%q): match %q has ID %X, ParseHex gives %X, %v", text, text[m.Start:m.End], m.ID, id, err)
			}
		}
	})
}
