package codepage_test

import (
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/codepage"
)

func TestSingleByteRoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, id := range []codepage.ID{0, codepage.Windows1252, codepage.Windows1250, codepage.Windows1251, codepage.Windows874, codepage.Latin1, 437, 10000} {
		s, err := id.Decode(all)
		if err != nil {
			t.Fatalf("%v.Decode(all bytes) error %v", id, err)
		}
		back, err := id.Encode(s)
		if err != nil || string(back) != string(all) {
			t.Errorf("%v.Encode(Decode(all bytes)) = %x, %v, want the 256 bytes back", id, back, err)
		}
	}
}

func TestWindows1252(t *testing.T) {
	tests := []struct {
		text  string
		bytes string
	}{
		{"Zoë", "Zo\xeb"},
		{"€ 5", "\x80 5"},
		{"\u0081", "\x81"}, // undefined in 1252: MultiByteToWideChar gives U+0081
		{"“quoted”", "\x93quoted\x94"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		got, err := codepage.Windows1252.Encode(tt.text)
		if err != nil || string(got) != tt.bytes {
			t.Errorf("Windows1252.Encode(%q) = %x, %v, want %x", tt.text, got, err, tt.bytes)
		}
		text, err := codepage.ID(0).Decode([]byte(tt.bytes))
		if err != nil || text != tt.text {
			t.Errorf("ID(0).Decode(%x) = %q, %v, want %q", tt.bytes, text, err, tt.text)
		}
	}
}

func TestEncodeErrorNamesCharacter(t *testing.T) {
	tests := []struct {
		id     codepage.ID
		text   string
		offset int
		r      rune
	}{
		{codepage.Windows1252, "Zoë 日本", 5, '日'},
		{codepage.ASCII, "café", 3, 'é'},
		{codepage.ShiftJIS, "日本€", 6, '€'},
		{codepage.Windows1251, "abc\xff", 3, utf8.RuneError},
	}
	for _, tt := range tests {
		b, err := tt.id.Encode(tt.text)
		var e *codepage.Error
		if !errors.As(err, &e) || !errors.Is(err, codepage.ErrUnrepresentable) {
			t.Errorf("%v.Encode(%q) = %x, %v, want *Error", tt.id, tt.text, b, err)
			continue
		}
		if e.Offset != tt.offset || e.Rune != tt.r {
			t.Errorf("%v.Encode(%q) error at %d rune %q, want %d %q", tt.id, tt.text, e.Offset, e.Rune, tt.offset, tt.r)
		}
	}
}

func TestMultiByte(t *testing.T) {
	for _, tt := range []struct {
		id   codepage.ID
		text string
	}{
		{codepage.ShiftJIS, "日本語のメール"},
		{codepage.GBK, "中文邮件"},
		{codepage.Big5, "中文郵件"},
		{codepage.Korean, "한국어"},
		{codepage.UTF8, "any ✓ text"},
	} {
		b, err := tt.id.Encode(tt.text)
		if err != nil {
			t.Fatalf("%v.Encode(%q) error %v", tt.id, tt.text, err)
		}
		s, err := tt.id.Decode(b)
		if err != nil || s != tt.text {
			t.Errorf("%v.Decode(Encode(%q)) = %q, %v", tt.id, tt.text, s, err)
		}
	}
	_, err := codepage.ShiftJIS.Decode([]byte{'a', 0x82}) // a lead byte with no trail
	var e *codepage.Error
	if !errors.As(err, &e) || e.Offset != 1 || !e.Decode {
		t.Errorf("ShiftJIS.Decode(61 82) error = %v, want a decode *Error at offset 1", err)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]codepage.ID{
		"1252": 1252, "cp1252": 1252, "Windows-1252": 1252, "shift_jis": 932, "932": 932,
		"UTF-8": 65001, "65001": 65001, "latin1": 28591,
	} {
		if got, err := codepage.Parse(in); got != want || err != nil {
			t.Errorf("Parse(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "1", "klingon", "cp99999"} {
		if got, err := codepage.Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, got)
		}
	}
	if s := codepage.ID(0).String(); s != "windows-1252" {
		t.Errorf("ID(0).String() = %q, want windows-1252", s)
	}
	if _, err := codepage.ID(1).Decode([]byte("x")); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("ID(1).Decode error = %v, want ErrUnsupported", err)
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add(uint16(1252), []byte("Zo\xeb"))
	f.Add(uint16(932), []byte("\x93\xfa\x96\x7b"))
	f.Add(uint16(65001), []byte("ok"))
	f.Fuzz(func(t *testing.T, n uint16, b []byte) {
		id := codepage.ID(n)
		s, err := id.Decode(b)
		if err != nil {
			return
		}
		back, err := id.Encode(s)
		if err != nil {
			t.Fatalf("%v.Encode(Decode(%x) = %q) error %v", id, b, s, err)
		}
		if s2, err := id.Decode(back); err != nil || s2 != s {
			t.Fatalf("%v: Decode(Encode(%q)) = %q, %v", id, s, s2, err)
		}
	})
}

func ExampleID_Encode() {
	b, _ := codepage.Windows1252.Encode("Zoë")
	fmt.Printf("% X\n", b)
	_, err := codepage.Windows1252.Encode("日本")
	fmt.Println(err)
	// Output:
	// 5A 6F EB
	// codepage: windows-1252 cannot hold '日' (U+65E5) at offset 0
}

func TestANSIFamily(t *testing.T) {
	for _, c := range []struct{ in, want codepage.ID }{
		{50220, codepage.ShiftJIS}, {51932, codepage.ShiftJIS}, {51949, codepage.Korean}, {52936, codepage.GBK}, {51950, codepage.Big5},
		{codepage.Windows1252, codepage.Windows1252}, {codepage.ShiftJIS, codepage.ShiftJIS}, {codepage.UTF8, codepage.UTF8},
	} {
		if got := c.in.ANSIFamily(); got != c.want {
			t.Errorf("ID(%d).ANSIFamily() = %d, want %d", c.in, got, c.want)
		}
	}
}
