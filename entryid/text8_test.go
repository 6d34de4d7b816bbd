package entryid_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Tests of 8-bit strings: what the builders write, how Parse, Equal and
// Explain read them, and what a code page cannot hold.

func TestBuildersWrite8BitInCodePage(t *testing.T) {
	tests := []struct {
		name string
		v    entryid.Structure
		want string // the 8-bit bytes the ID must hold, with their NUL
	}{
		{"one-off name", entryid.OneOff{DisplayName: "Zoë", AddressType: "SMTP", Address: "zoe@example.com"}, "Zo\xEB\x00"},
		{"one-off name, euro", entryid.OneOff{DisplayName: "€ Œuvre", AddressType: "SMTP", Address: "x"}, "\x80 \x8Cuvre\x00"},
		{"one-off name, Windows-1251", entryid.OneOff{DisplayName: "Жанна", AddressType: "SMTP", Address: "x", CodePage: codepage.Windows1251}, "\xC6\xE0\xED\xED\xE0\x00"},
		{"one-off name, Shift JIS", entryid.OneOff{DisplayName: "日本", AddressType: "SMTP", Address: "x", CodePage: codepage.ShiftJIS}, "\x93\xFA\x96\x7B\x00"},
		{"PST ANSI path", entryid.PSTStore{ANSIPath: `C:\Mail\Zoë.pst`}, "C:\\Mail\\Zo\xEB.pst\x00"},
		{"address book DN", entryid.AddressBook{DN: "/o=Zoë"}, "/o=Zo\xEB\x00"},
		{"Exchange mailbox DN", entryid.NewExchangeStore("SRV", "/o=Zoë"), "/o=Zo\xEB\x00"},
		{"store DLL name", entryid.Store{DLL: "é.dll", Inner: []byte{1}}, "\xE9.dll\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.v.AppendBinary(nil)
			if err != nil {
				t.Fatalf("%v.AppendBinary: %v", tt.v, err)
			}
			if !bytes.Contains(b, []byte(tt.want)) {
				t.Errorf("%v.AppendBinary = %X, want it to hold %X", tt.v, b, tt.want)
			}
			cp := layCodePage(tt.v)
			back, err := entryid.Options{CodePage: cp}.Parse(b)
			if err != nil || back.String() != tt.v.String() {
				t.Errorf("Options{%v}.Parse(%X) = %v, %v, want %v", cp, b, back, err, tt.v)
			}
		})
	}
}

func TestBuildersRefuseWhatTheCodePageCannotHold(t *testing.T) {
	tests := []struct {
		name string
		v    entryid.Structure
		r    rune
	}{
		{"one-off", entryid.OneOff{DisplayName: "Zoë 日本", AddressType: "SMTP", Address: "x"}, '日'},
		{"one-off ASCII", entryid.OneOff{DisplayName: "x", AddressType: "SMTP", Address: "zoë@x", CodePage: codepage.ASCII}, 'ë'},
		{"PST ANSI path", entryid.PSTStore{ANSIPath: `C:\Ж.pst`}, 'Ж'},
		{"address book DN", entryid.AddressBook{DN: "/o=Ж"}, 'Ж'},
		{"Exchange server", entryid.NewExchangeStore("Ж", "/o=x"), 'Ж'},
		{"Exchange V2 server DN", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Server: "s", MailboxDN: "/o", V2: entryid.NewStoreV2("/cn=Ж", "")}, 'Ж'},
		{"store DLL name", entryid.Store{DLL: "Ж.dll", Inner: []byte{1}}, 'Ж'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{7}
			b, err := tt.v.AppendBinary(prefix)
			if err == nil {
				t.Fatalf("%v.AppendBinary = %X, want an error", tt.v, b)
			}
			if !bytes.Equal(b, prefix) {
				t.Errorf("%v.AppendBinary with an error = %X, want the buffer unchanged", tt.v, b)
			}
			var ce *codepage.Error
			if !errors.As(err, &ce) || ce.Rune != tt.r {
				t.Errorf("%v.AppendBinary error %v, want a *codepage.Error naming %q", tt.v, err, tt.r)
			}
			if !errors.Is(err, mapispi.ErrInvalidParameter) || !errors.Is(err, codepage.ErrUnrepresentable) {
				t.Errorf("%v.AppendBinary error %v does not match ErrInvalidParameter and ErrUnrepresentable", tt.v, err)
			}
			if !strings.Contains(err.Error(), string(tt.r)) {
				t.Errorf("%v.AppendBinary error %q does not name %q", tt.v, err, tt.r)
			}
		})
	}
	if w := entryid.WrapStore("Ж.dll", []byte{1}); w != nil {
		t.Errorf("WrapStore(\"Ж.dll\", ...) = %X, want nil", w)
	}
}

// ansiOneOff builds the 8-bit one-off ID of address in code page cp.
func ansiOneOff(t *testing.T, name, address string, cp codepage.ID) []byte {
	t.Helper()
	return encode(t, entryid.OneOff{DisplayName: name, AddressType: "SMTP", Address: address, CodePage: cp})
}

func TestEqual8BitAndUnicode(t *testing.T) {
	ansiPath := encode(t, entryid.PSTStore{ANSIPath: `C:\Mail\Œuvres.pst`}) // 0x8C in Windows-1252, U+008C in Latin-1
	uniPath := encode(t, entryid.NewPSTStore(`c:\mail\œuvres.pst`))
	cyrANSI := ansiOneOff(t, "Жанна", "жанна@пример.рф", codepage.Windows1251)
	cyrUni := encode(t, entryid.NewOneOff("Жанна", "SMTP", "ЖАННА@ПРИМЕР.РФ"))
	tests := []struct {
		name string
		cp   codepage.ID
		a, b []byte
		want bool
	}{
		{"PST path, Windows-1252 only character", 0, ansiPath, uniPath, true},
		{"one-off address, Windows-1252", 0, ansiOneOff(t, "Zoë", "zoë@example.com", 0), encode(t, entryid.NewOneOff("Zoe", "smtp", "ZOË@example.com")), true},
		{"one-off, Windows-1251 read as 1251", codepage.Windows1251, cyrANSI, cyrUni, true},
		{"one-off, Windows-1251 read as 1252", 0, cyrANSI, cyrUni, false},
		{"one-off, Windows-1251 read as Shift JIS", codepage.ShiftJIS, cyrANSI, cyrUni, false},
		{"one-off, Shift JIS", codepage.ShiftJIS, ansiOneOff(t, "x", "日本@x", codepage.ShiftJIS), encode(t, entryid.NewOneOff("x", "SMTP", "日本@X")), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := entryid.Options{CodePage: tt.cp}
			if got := o.Equal(tt.a, tt.b); got != tt.want {
				t.Errorf("Options{%v}.Equal(%X, %X) = %v, want %v", tt.cp, tt.a, tt.b, got, tt.want)
			}
			if got := o.Key(tt.a) == o.Key(tt.b); got != tt.want {
				t.Errorf("Options{%v}.Key(a) == Key(b) is %v, want %v", tt.cp, got, tt.want)
			}
			ca, erra := o.AppendCanonical(nil, tt.a)
			cb, errb := o.AppendCanonical(nil, tt.b)
			if got := erra == nil && errb == nil && bytes.Equal(ca, cb); got != tt.want {
				t.Errorf("Options{%v}.AppendCanonical equal is %v, want %v (errors %v, %v)", tt.cp, got, tt.want, erra, errb)
			}
			if got := o.Compare(tt.a, tt.b).Same; got != tt.want {
				t.Errorf("Options{%v}.Compare(a, b).Same = %v, want %v", tt.cp, got, tt.want)
			}
		})
	}
}

func TestParseBytesInvalidInCodePage(t *testing.T) {
	// 0x81 0x20 is no Shift JIS character: a lead byte then a space.
	b := layHex("00000000" + layOOP + "0000" + "0000" + "78812000" + "534D545000" + "7800")
	o := entryid.Options{CodePage: codepage.ShiftJIS}
	_, err := o.Parse(b)
	pe := checkParseError(t, "Options{ShiftJIS}.Parse", err, len(b))
	var ce *codepage.Error
	if pe == nil || pe.Offset != 25 || !errors.As(err, &ce) {
		t.Errorf("Options{ShiftJIS}.Parse error %#v, want offset 25 and a *codepage.Error", err)
	}
	if _, err := entryid.Parse(b); err != nil {
		t.Errorf("Parse (Windows-1252) = %v, want no error: every byte is a character", err)
	}
	if _, err := o.Explain(b); err == nil {
		t.Errorf("Options{ShiftJIS}.Explain succeeds on bytes that are not Shift JIS")
	}
	// The ID is malformed for these options: equal only to its bytes.
	if o.Equal(b, bytes.Clone(b)) != true || o.Equal(b, withFlags(b, 0x80)) {
		t.Errorf("Options{ShiftJIS}.Equal of an ID it cannot read is not byte equality")
	}
	if _, err := (entryid.Options{CodePage: 1}).Parse(b); err == nil {
		t.Errorf("Options{CodePage: 1}.Parse succeeds: code page 1 does not exist")
	}
}

func TestExplainReadsCodePage(t *testing.T) {
	b := ansiOneOff(t, "Жанна", "x", codepage.Windows1251)
	for _, tt := range []struct {
		cp   codepage.ID
		want string
	}{
		{codepage.Windows1251, `"Жанна"`},
		{0, `"Æàííà"`},
	} {
		root, err := entryid.Options{CodePage: tt.cp}.Explain(b)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := explainFind(root, "DisplayName")
		if !ok || f.Value != tt.want || f.Size != 6 {
			t.Errorf("Options{%v}.Explain DisplayName = %+v, want %s in 6 bytes", tt.cp, f, tt.want)
		}
	}
}

func TestExplainEscapesOnlyControls(t *testing.T) {
	b := encode(t, entryid.NewOneOff("a\tb\x01\"c\"", "SMTP", `C:\x`))
	root, err := entryid.Explain(b)
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{
		"DisplayName": `"a\tb\x01"c""`,
		"Address":     `"C:\x"`,
	} {
		if f, _ := explainFind(root, field); f.Value != want {
			t.Errorf("Explain %s = %s, want %s", field, f.Value, want)
		}
	}
}
