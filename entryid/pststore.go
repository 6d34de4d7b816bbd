package entryid

import (
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// PSTStore is the Go form of the PST provider's own store entry ID, the
// inner ID of a store wrapped with "mspst.dll" or "PSTPRX.DLL"
// (shared/spec/entryid-formats.md section 2.3; Microsoft does not document
// it, the layout is the one every Outlook version writes):
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
	ANSIPath    string // 8-bit bytes as stored; the code page is not recorded
	UnicodePath string
}

// ParsePSTStore decodes a PST store entry ID, wrapped (by MUIDSTOREWRAP,
// any DLL name) or unwrapped.
func ParsePSTStore(b []byte) (PSTStore, error) {
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
	return PSTStore{Flags: x.flags, Reserved: x.reserved, ANSIPath: string(x.ansi), UnicodePath: decodeUTF16(x.unicode)}, nil
}

// pstScan is a PST store ID read without allocating; the paths alias the
// input and unicode is UTF-16LE.
type pstScan struct {
	flags         Flags
	reserved      uint8
	ansi, unicode []byte
}

func (x *pstScan) scan(b []byte) *ParseError {
	r := newReader(KindPSTStore, b)
	x.flags = r.header(&PSTProviderUID)
	x.reserved = r.u8("reserved byte")
	x.ansi = r.cstr("ANSI path")
	if r.err == nil && r.left() > 0 {
		at := r.off
		x.unicode = r.wstr("Unicode path")
		if r.err == nil && len(x.unicode) == 0 {
			r.fail(at, "empty Unicode path")
		}
		r.end("the Unicode path")
	}
	return r.err
}

// Kind returns KindPSTStore.
func (PSTStore) Kind() Kind { return KindPSTStore }

// AppendBinary appends the unwrapped PST store entry ID; wrap it with
// [WrapStore]("mspst.dll", ...) or use [PSTStore.Wrapped].
func (p PSTStore) AppendBinary(b []byte) ([]byte, error) {
	if hasNUL(p.ANSIPath) || (p.UnicodePath != "" && !validWide(p.UnicodePath)) {
		return b, encodeErr(KindPSTStore, "path holds a NUL or the Unicode path is not valid UTF-8")
	}
	b = p.Flags.append(b)
	b = append(b, PSTProviderUID[:]...)
	b = append(b, p.Reserved)
	b = appendCString(b, p.ANSIPath)
	if p.UnicodePath != "" {
		b = appendUTF16(b, p.UnicodePath)
	}
	return b, nil
}

// MarshalBinary returns AppendBinary(nil).
func (p PSTStore) MarshalBinary() ([]byte, error) { return marshal(p) }

// UnmarshalBinary sets p from an unwrapped PST store ID, the form
// MarshalBinary returns. Unlike ParsePSTStore it refuses a wrapped ID,
// whose wrapper p could not give back.
func (p *PSTStore) UnmarshalBinary(b []byte) error {
	return unmarshal(p, b, func(b []byte) (PSTStore, error) {
		if err := refuseWrap(KindPSTStore, b); err != nil {
			return PSTStore{}, err
		}
		return ParsePSTStore(b)
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
func (p PSTStore) Wrapped() ([]byte, error) {
	inner, err := p.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	return WrapStore("mspst.dll", inner), nil
}

// String returns the fields on one line, for logs and test failures.
func (p PSTStore) String() string {
	return fmt.Sprintf("PSTStore{Flags: %v, ANSIPath: %q, UnicodePath: %q}", p.Flags, p.ANSIPath, p.UnicodePath)
}
