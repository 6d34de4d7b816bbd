package entryid

import (
	"fmt"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// PSTStore is the Go form of the PST provider's own store entry ID, the
// inner ID of a store wrapped with "mspst.dll" or "PSTPRX.DLL". Microsoft
// does not document it; the layout is the one every Outlook version
// writes:
//
//	offset  size  field
//	0       4     abFlags
//	4       16    MSPST_UID_PROVIDER
//	20      1     reserved (0)
//	21      n+1   ANSI path, NUL-terminated; empty when a Unicode path follows
//	...     2m+2  Unicode path, UTF-16LE, NUL-terminated (Outlook 2003 and later)
//
// Outlook 97 and 98 write only the ANSI path; later versions an empty ANSI
// path and the Unicode path. The Unicode path is written when it is not
// empty.
type PSTStore struct {
	Flags       Flags
	Reserved    uint8
	ANSIPath    string // 8-bit text in CodePage
	UnicodePath string
	// CodePage is the code page of ANSIPath on the wire: the Windows code
	// page of the machine that wrote the ID, which it does not record.
	// Zero is Windows-1252.
	CodePage codepage.ID
	// Trailing holds bytes found after the last path, kept as stored;
	// they carry no meaning (see [Parse]).
	Trailing []byte
}

// NewPSTStore returns the PST store entry ID Outlook 2003 and later write
// for the PST file at path: an empty ANSI path and the Unicode path. Use
// [PSTStore.Wrapped] for the form clients see.
func NewPSTStore(path string) PSTStore { return PSTStore{UnicodePath: path} }

// ParsePSTStore decodes a PST store entry ID, wrapped (by MUIDSTOREWRAP,
// any DLL name) or unwrapped, reading the ANSI path as Windows-1252.
func ParsePSTStore(b mapispi.EntryID) (PSTStore, error) { return parsePSTStore(b, 0) }

func parsePSTStore(b []byte, cp codepage.ID) (PSTStore, error) {
	base := 0
	if len(b) >= headerLen && mapispi.UID(b[4:20]) == StoreWrapUID {
		inner, err := UnwrapView(b)
		if err != nil {
			return PSTStore{}, err
		}
		base = len(b) - len(inner)
		b = inner
	}
	var x pstScan
	if err := x.scan(b); err != nil {
		err.Offset += base
		return PSTStore{}, err
	}
	ansi, err := decode8(KindPSTStore, cp, x.ansi, base+21, "ANSI path")
	if err != nil {
		return PSTStore{}, err
	}
	return PSTStore{Flags: x.flags, Reserved: x.reserved, ANSIPath: ansi, UnicodePath: wire.DecodeUTF16(x.unicode),
		CodePage: cp, Trailing: clone(x.trailing)}, nil
}

// pstScan is a PST store ID read without allocating; the paths alias the
// input and unicode is UTF-16LE.
type pstScan struct {
	flags                   Flags
	reserved                uint8
	ansi, unicode, trailing []byte
}

// scan reads the paths. After a non-empty ANSI path, bytes that do not
// start with a Unicode path are trailing bytes; after an empty one, a
// Unicode path must follow if anything does.
func (x *pstScan) scan(b []byte) *ParseError {
	r := newReader(KindPSTStore, b)
	x.flags = r.header(&PSTProviderUID)
	x.reserved = r.u8("reserved byte")
	x.ansi = r.cstr("ANSI path")
	if r.err == nil && r.left() > 0 {
		if len(x.ansi) > 0 && !startsWithPath16(r.b[r.off:]) {
			x.trailing = r.rest()
			return nil
		}
		at := r.off
		x.unicode = r.wstr("Unicode path")
		if r.err == nil && len(x.unicode) == 0 {
			r.fail(at, "empty Unicode path")
		}
		x.trailing = r.rest()
	}
	return r.err
}

// startsWithPath16 reports whether b starts with a non-empty, valid,
// NUL-terminated UTF-16LE string.
func startsWithPath16(b []byte) bool {
	n, bad := scanUTF16(b)
	return n > 0 && bad < 0
}

// Kind returns KindPSTStore.
func (PSTStore) Kind() Kind { return KindPSTStore }

// AppendBinary appends the unwrapped PST store entry ID, with the ANSI
// path in code page CodePage; wrap it with [WrapStore]("mspst.dll", ...)
// or use [PSTStore.Wrapped]. Trailing bytes that Parse would read as a
// Unicode path (without UnicodePath) are an error.
func (p PSTStore) AppendBinary(b []byte) ([]byte, error) {
	if p.UnicodePath != "" && !validWide(p.UnicodePath) {
		return b, encodeErr(KindPSTStore, nil, "Unicode path %q holds a NUL or is not valid UTF-8", p.UnicodePath)
	}
	if p.UnicodePath == "" && len(p.Trailing) > 0 && (p.ANSIPath == "" || startsWithPath16(p.Trailing)) {
		return b, encodeErr(KindPSTStore, nil, "trailing bytes %X would be read as a Unicode path", p.Trailing)
	}
	out := p.Flags.append(b)
	out = append(out, PSTProviderUID[:]...)
	out = append(out, p.Reserved)
	out, err := appendString8(out, KindPSTStore, p.CodePage, "ANSI path", p.ANSIPath)
	if err != nil {
		return b, err
	}
	if p.UnicodePath != "" {
		out = append(wire.AppendUTF16(out, p.UnicodePath), 0, 0)
	}
	return append(out, p.Trailing...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (p PSTStore) MarshalBinary() ([]byte, error) { return marshal(p) }

// UnmarshalBinary sets p from an unwrapped PST store ID, the form
// MarshalBinary returns, reading the ANSI path in p.CodePage. Unlike
// ParsePSTStore it refuses a wrapped ID, whose wrapper p could not give
// back.
func (p *PSTStore) UnmarshalBinary(b []byte) error {
	return unmarshal(p, b, func(b mapispi.EntryID) (PSTStore, error) {
		if err := refuseWrap(KindPSTStore, b); err != nil {
			return PSTStore{}, err
		}
		return parsePSTStore(b, p.CodePage)
	})
}

// Path returns the Unicode path if there is one, else the ANSI path.
func (p PSTStore) Path() string {
	if p.UnicodePath != "" {
		return p.UnicodePath
	}
	return p.ANSIPath
}

// Wrapped returns the store ID as clients see it, wrapped with the DLL
// name "mspst.dll" (PR_PROVIDER_DLL_NAME of the PST service).
func (p PSTStore) Wrapped() (mapispi.EntryID, error) {
	inner, err := p.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	return WrapStore("mspst.dll", inner), nil
}

// String returns the fields on one line, for logs and test failures.
func (p PSTStore) String() string {
	return fmt.Sprintf("PSTStore{Flags: %v, ANSIPath: %q, UnicodePath: %q", p.Flags, p.ANSIPath, p.UnicodePath) +
		codePageString(p.CodePage) + trailingString(p.Trailing) + "}"
}
