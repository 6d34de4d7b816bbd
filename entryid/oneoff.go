package entryid

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
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
// Without MAPI_ONE_OFF_UNICODE the strings hold the 8-bit bytes as stored
// (the code page is not recorded) and are written back unchanged.
type OneOff struct {
	Flags       Flags
	Options     OneOffFlags
	DisplayName string // may be empty
	AddressType string // "SMTP", "EX", "FAX", ...
	Address     string
}

// NewOneOff returns the one-off entry ID IAddrBook::CreateOneOff builds for
// a name, address type and address, in Unicode form, with
// MAPI_ONE_OFF_NO_RICH_INFO set as Outlook does for Internet addresses.
func NewOneOff(name, addrType, address string) OneOff {
	return OneOff{Options: OneOffUnicode | OneOffNoRichInfo, DisplayName: name, AddressType: addrType, Address: address}
}

// ParseOneOff decodes a one-off entry ID. Bytes after the third string are
// an error.
func ParseOneOff(b []byte) (OneOff, error) {
	var x oneOffScan
	if err := x.scan(b); err != nil {
		return OneOff{}, err
	}
	o := OneOff{Flags: x.flags, Options: x.options}
	if x.options&OneOffUnicode != 0 {
		o.DisplayName, o.AddressType, o.Address = decodeUTF16(x.name), decodeUTF16(x.typ), decodeUTF16(x.addr)
	} else {
		o.DisplayName, o.AddressType, o.Address = string(x.name), string(x.typ), string(x.addr)
	}
	return o, nil
}

// oneOffScan is a one-off ID read without allocating; the strings alias
// the input, UTF-16LE if options has OneOffUnicode.
type oneOffScan struct {
	flags           Flags
	options         OneOffFlags
	name, typ, addr []byte
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
	r.end("the address")
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
// Options has MAPI_ONE_OFF_UNICODE.
func (o OneOff) AppendBinary(b []byte) ([]byte, error) {
	for _, s := range [...]string{o.DisplayName, o.AddressType, o.Address} {
		if o.Unicode() && !validWide(s) || hasNUL(s) {
			return b, encodeErr(KindOneOff, "string %q holds a NUL or is not valid UTF-8", s)
		}
	}
	b = o.Flags.append(b)
	b = append(b, OneOffUID[:]...)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(o.Options))
	for _, s := range [...]string{o.DisplayName, o.AddressType, o.Address} {
		if o.Unicode() {
			b = appendUTF16(b, s)
		} else {
			b = appendCString(b, s)
		}
	}
	return b, nil
}

// MarshalBinary returns AppendBinary(nil).
func (o OneOff) MarshalBinary() ([]byte, error) { return marshal(o) }

// UnmarshalBinary sets o from b like ParseOneOff.
func (o *OneOff) UnmarshalBinary(b []byte) error { return unmarshal(o, b, ParseOneOff) }

// String returns the fields on one line, for logs and test failures.
func (o OneOff) String() string {
	return fmt.Sprintf("OneOff{Flags: %v, Options: %v, DisplayName: %q, AddressType: %q, Address: %q}", o.Flags, o.Options, o.DisplayName, o.AddressType, o.Address)
}
