package entryid

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// OneOffFlags is the 16-bit flags word of a one-off entry ID, little-endian
// at offset 22 ([MS-OXCDATA] 2.2.5.1; MAPI's "One-Off Entry Identifiers").
type OneOffFlags uint16

// The one-off flag bits and fields.
const (
	OneOffUnicode    OneOffFlags = 0x8000 // MAPI_ONE_OFF_UNICODE: the strings are UTF-16LE
	OneOffNoLookup   OneOffFlags = 0x1000 // MAPI_ONE_OFF_NOLOOKUP: the server must not resolve the address
	OneOffNoRichInfo OneOffFlags = 0x0001 // MAPI_ONE_OFF_NO_RICH_INFO: send pure MIME, no TNEF

	OneOffFormatMask  OneOffFlags = 0x001E // MAPI_ONE_OFF_FMTMASK: body format preference
	OneOffTextOnly    OneOffFlags = 0x0006 // MIME, text only
	OneOffHTMLOnly    OneOffFlags = 0x000E // MIME, HTML only
	OneOffTextAndHTML OneOffFlags = 0x0016 // MIME, text and HTML

	OneOffMacMask     OneOffFlags = 0x0060 // MAPI_ONE_OFF_MAEMASK: Macintosh attachment encoding
	OneOffBinHex      OneOffFlags = 0x0000
	OneOffUUEncode    OneOffFlags = 0x0020
	OneOffAppleSingle OneOffFlags = 0x0040
	OneOffAppleDouble OneOffFlags = 0x0060
)

// String names the bits: "MAPI_ONE_OFF_UNICODE|MAPI_ONE_OFF_NO_RICH_INFO",
// the format and Macintosh encoding when set, and reserved bits in hex.
func (f OneOffFlags) String() string {
	var parts []string
	if f&OneOffUnicode != 0 {
		parts = append(parts, "MAPI_ONE_OFF_UNICODE")
	}
	if f&OneOffNoLookup != 0 {
		parts = append(parts, "MAPI_ONE_OFF_NOLOOKUP")
	}
	if f&OneOffNoRichInfo != 0 {
		parts = append(parts, "MAPI_ONE_OFF_NO_RICH_INFO")
	}
	switch f & OneOffFormatMask {
	case 0:
	case OneOffTextOnly:
		parts = append(parts, "TEXT_ONLY")
	case OneOffHTMLOnly:
		parts = append(parts, "HTML_ONLY")
	case OneOffTextAndHTML:
		parts = append(parts, "TEXT_AND_HTML")
	default:
		parts = append(parts, fmt.Sprintf("FORMAT(0x%02X)", uint16(f&OneOffFormatMask)))
	}
	switch f & OneOffMacMask {
	case OneOffUUEncode:
		parts = append(parts, "UUENCODE")
	case OneOffAppleSingle:
		parts = append(parts, "APPLESINGLE")
	case OneOffAppleDouble:
		parts = append(parts, "APPLEDOUBLE")
	}
	if rest := f &^ (OneOffUnicode | OneOffNoLookup | OneOffNoRichInfo | OneOffFormatMask | OneOffMacMask); rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%04X", uint16(rest)))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "|")
}

// OneOff is the Go form of a one-off entry ID ([MS-OXCDATA] 2.2.5.1), a
// recipient that is in no address book:
//
//	offset  size  field
//	0       4     abFlags
//	4       16    MAPI_ONE_OFF_UID
//	20      2     version (0)
//	22      2     flags (OneOffFlags)
//	24      ...   display name, address type, address: NUL-terminated,
//	              UTF-16LE if MAPI_ONE_OFF_UNICODE is set, else 8-bit
//
// Without MAPI_ONE_OFF_UNICODE the strings are 8-bit text in the Windows
// code page of the program that wrote them, which the ID does not record:
// CodePage says which one the fields are read and written in.
type OneOff struct {
	Flags       Flags
	Options     OneOffFlags
	DisplayName string // may be empty
	AddressType string // "SMTP", "EX", "FAX", ...
	Address     string
	// CodePage is the code page of the 8-bit strings (without
	// MAPI_ONE_OFF_UNICODE); zero is Windows-1252.
	CodePage codepage.ID
	// Trailing holds bytes found after the address, kept as stored; they
	// carry no meaning (see [Parse]).
	Trailing []byte
}

// NewOneOff returns the one-off entry ID IAddrBook::CreateOneOff builds for
// a name, address type and address, in Unicode form, with
// MAPI_ONE_OFF_NO_RICH_INFO set as Outlook does for Internet addresses.
func NewOneOff(name, addrType, address string) OneOff {
	return OneOff{Options: OneOffUnicode | OneOffNoRichInfo, DisplayName: name, AddressType: addrType, Address: address}
}

// ParseOneOff decodes a one-off entry ID, reading 8-bit strings as
// Windows-1252 ([Options.Parse] reads them in another code page).
func ParseOneOff(b mapispi.EntryID) (OneOff, error) { return parseOneOff(b, 0) }

func parseOneOff(b []byte, cp codepage.ID) (OneOff, error) {
	var x oneOffScan
	if err := x.scan(b); err != nil {
		return OneOff{}, err
	}
	o := OneOff{Flags: x.flags, Options: x.options, CodePage: cp, Trailing: clone(x.trailing)}
	if x.options&OneOffUnicode != 0 {
		o.DisplayName, o.AddressType, o.Address = wire.DecodeUTF16(x.name), wire.DecodeUTF16(x.typ), wire.DecodeUTF16(x.addr)
		return o, nil
	}
	var err *ParseError
	off := 24
	for _, f := range [...]struct {
		dst  *string
		b    []byte
		what string
	}{{&o.DisplayName, x.name, "display name"}, {&o.AddressType, x.typ, "address type"}, {&o.Address, x.addr, "address"}} {
		if *f.dst, err = decode8(KindOneOff, cp, f.b, off, f.what); err != nil {
			return OneOff{}, err
		}
		off += len(f.b) + 1
	}
	return o, nil
}

// oneOffScan is a one-off ID read without allocating; the strings alias
// the input, UTF-16LE if options has OneOffUnicode.
type oneOffScan struct {
	flags           Flags
	options         OneOffFlags
	name, typ, addr []byte
	trailing        []byte
}

func (x *oneOffScan) scan(b []byte) *ParseError {
	r := newReader(KindOneOff, b)
	x.flags = r.header(&OneOffUID)
	if v := r.u16("version"); r.err == nil && v != 0 {
		r.fail(20, "unknown version "+strconv.Itoa(int(v)))
	}
	x.options = OneOffFlags(r.u16("flags"))
	x.name = r.oneOffString(x.options, "display name")
	x.typ = r.oneOffString(x.options, "address type")
	x.addr = r.oneOffString(x.options, "address")
	x.trailing = r.rest()
	return r.err
}

func (r *reader) oneOffString(f OneOffFlags, what string) []byte {
	if f&OneOffUnicode != 0 {
		return r.wstr(what)
	}
	return r.cstr(what)
}

// Unicode reports whether the strings are UTF-16.
func (o OneOff) Unicode() bool { return o.Options&OneOffUnicode != 0 }

// Kind returns KindOneOff.
func (OneOff) Kind() Kind { return KindOneOff }

// AppendBinary appends the one-off entry ID, with UTF-16LE strings if
// Options has MAPI_ONE_OFF_UNICODE and in code page CodePage otherwise.
// A character the code page cannot hold is an error that names it.
func (o OneOff) AppendBinary(b []byte) ([]byte, error) {
	out := o.Flags.append(b)
	out = append(out, OneOffUID[:]...)
	out = binary.LittleEndian.AppendUint16(out, 0)
	out = binary.LittleEndian.AppendUint16(out, uint16(o.Options))
	var err error
	for _, f := range [...]struct{ what, s string }{{"display name", o.DisplayName}, {"address type", o.AddressType}, {"address", o.Address}} {
		if !o.Unicode() {
			if out, err = appendString8(out, KindOneOff, o.CodePage, f.what, f.s); err != nil {
				return b, err
			}
			continue
		}
		if !validWide(f.s) {
			return b, encodeErr(KindOneOff, nil, "%s %q holds a NUL or is not valid UTF-8", f.what, f.s)
		}
		out = append(wire.AppendUTF16(out, f.s), 0, 0)
	}
	return append(out, o.Trailing...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (o OneOff) MarshalBinary() ([]byte, error) { return marshal(o) }

// UnmarshalBinary sets o from b like ParseOneOff, keeping o.CodePage: the
// 8-bit strings are read in it.
func (o *OneOff) UnmarshalBinary(b []byte) error {
	return unmarshal(o, b, func(b mapispi.EntryID) (OneOff, error) { return parseOneOff(b, o.CodePage) })
}

// String returns the fields on one line, for logs and test failures.
func (o OneOff) String() string {
	s := fmt.Sprintf("OneOff{Flags: %v, Options: %v, DisplayName: %q, AddressType: %q, Address: %q", o.Flags, o.Options, o.DisplayName, o.AddressType, o.Address)
	return s + codePageString(o.CodePage) + trailingString(o.Trailing) + "}"
}
