package entryid

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Store is the Go form of a store entry ID wrapped by MAPI's
// WrapStoreEntryID (MUIDSTOREWRAP): the form clients see as a store's
// PR_ENTRYID and PR_STORE_ENTRYID (the MAPI reference's WrapStoreEntryID
// and [MS-OXCDATA] 2.2.4.3).
//
//	offset  size  field
//	0       4     abFlags
//	4       16    MUIDSTOREWRAP
//	20      1     Version (0)
//	21      1     Flag (0, or 1 for a store added but not yet opened)
//	22      n+1   DLL name, 8-bit, NUL-terminated, zero-padded to a multiple of 4
//	align4  rest  the provider's own (unwrapped) store entry ID
//
// With Flag = 1 (seen from MSMAPI for stores not yet opened) a 16-byte
// GUID follows the flag directly and there is no DLL name.
type Store struct {
	Flags    Flags
	Version  uint8           // always 0 in real data
	Flag     uint8           // StoreFlagNormal or StoreFlagUnopened
	DLL      string          // the provider DLL's profile name, "EMSMDB.DLL", "mspst.dll"; Flag 0 only
	Provider mapispi.UID     // the GUID that follows a Flag 1 header; Flag 1 only
	Inner    mapispi.EntryID // Flag 0: the provider's store entry ID; Flag 1: the bytes after Provider
	// CodePage is the code page of the 8-bit strings: the DLL name (ASCII
	// in practice) and those of Inner, for [Store.Exchange], [Store.PST]
	// and String. Zero is Windows-1252.
	CodePage codepage.ID
}

// Values of Store.Flag.
const (
	StoreFlagNormal   uint8 = 0 // MAPIMDB_NORMAL: a DLL name and the provider's ID follow
	StoreFlagUnopened uint8 = 1 // a GUID follows, no DLL name
)

// ParseStore decodes a wrapped store entry ID. The DLL name may be any
// case and must be NUL-terminated and padded with zero bytes to a multiple
// of 4; Inner must not be empty for Flag 0. Inner is kept as bytes: decode
// it with [Store.Exchange], [Store.PST] or [Parse].
func ParseStore(b mapispi.EntryID) (Store, error) { return parseStore(b, 0) }

func parseStore(b []byte, cp codepage.ID) (Store, error) {
	r := newReader(KindStore, b)
	s := Store{Flags: r.header(&StoreWrapUID), CodePage: cp}
	s.Version = r.u8("version")
	s.Flag = r.u8("flag")
	if r.err == nil && s.Version != 0 {
		r.fail(20, "unknown version "+strconv.Itoa(int(s.Version)))
	}
	switch {
	case r.err != nil:
	case s.Flag == StoreFlagNormal:
		dll := r.cstr("DLL name")
		if r.err == nil {
			s.DLL, r.err = decode8(KindStore, cp, dll, 22, "DLL name")
		}
		if pad := padTo4(r.off); r.need(pad, "the DLL name padding") {
			for i, c := range r.bytes(pad, "") {
				if c != 0 {
					r.fail(r.off-pad+i, "DLL name padding is not zero")
				}
			}
		}
		s.Inner = clone(r.rest())
		if r.err == nil && len(s.Inner) == 0 {
			r.fail(r.off, "no provider store entry ID after the DLL name")
		}
	case s.Flag == StoreFlagUnopened:
		s.Provider = r.uid("GUID")
		s.Inner = clone(r.rest())
	default:
		r.fail(21, "unknown flag "+strconv.Itoa(int(s.Flag)))
	}
	if r.err != nil {
		return Store{}, r.err
	}
	return s, nil
}

func padTo4(off int) int { return (4 - off%4) % 4 }

// nonZero8 reports whether none of the first 8 bytes of b is zero.
func nonZero8(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	v := binary.LittleEndian.Uint64(b)
	return (v-ones)&^v&highs == 0
}

// Kind returns KindStore.
func (Store) Kind() Kind { return KindStore }

// AppendBinary appends the wrapped store entry ID, with the DLL name in
// code page CodePage.
func (s Store) AppendBinary(b []byte) ([]byte, error) {
	switch {
	case s.Version != 0:
		return b, encodeErr(KindStore, nil, "unknown version %d", s.Version)
	case s.Flag > StoreFlagUnopened:
		return b, encodeErr(KindStore, nil, "unknown flag %d", s.Flag)
	case s.Flag == StoreFlagNormal && len(s.Inner) == 0:
		return b, encodeErr(KindStore, nil, "no provider store entry ID to wrap")
	}
	out := s.Flags.append(b)
	out = append(out, StoreWrapUID[:]...)
	out = append(out, s.Version, s.Flag)
	if s.Flag == StoreFlagUnopened {
		out = append(out, s.Provider[:]...)
		return append(out, s.Inner...), nil
	}
	start := len(out) - 22
	out, err := appendString8(out, KindStore, s.CodePage, "DLL name", s.DLL)
	if err != nil {
		return b, err
	}
	for range padTo4(len(out) - start) {
		out = append(out, 0)
	}
	return append(out, s.Inner...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (s Store) MarshalBinary() ([]byte, error) { return marshal(s) }

// UnmarshalBinary sets s from b like ParseStore, reading the DLL name in
// s.CodePage; s keeps no reference to b.
func (s *Store) UnmarshalBinary(b []byte) error {
	return unmarshal(s, b, func(b mapispi.EntryID) (Store, error) { return parseStore(b, s.CodePage) })
}

// Exchange decodes Inner as an Exchange store entry ID, reading its 8-bit
// strings in s.CodePage.
func (s Store) Exchange() (ExchangeStore, error) { return parseExchangeStore(s.Inner, s.CodePage) }

// PST decodes Inner as a PST store entry ID, reading its ANSI path in
// s.CodePage.
func (s Store) PST() (PSTStore, error) { return parsePSTStore(s.Inner, s.CodePage) }

// IsExchange reports whether the wrap names emsmdb.dll (any case), the
// Exchange provider.
func (s Store) IsExchange() bool {
	return s.Flag == StoreFlagNormal && strings.EqualFold(s.DLL, "emsmdb.dll")
}

// IsPST reports whether the wrap holds a PST store entry ID: one that
// carries MSPST_UID_PROVIDER, whatever the DLL name ("mspst.dll", or
// "PSTPRX.DLL" from Outlook 98).
func (s Store) IsPST() bool {
	return s.Flag == StoreFlagNormal && len(s.Inner) >= headerLen && knownUID(s.Inner) == kPSTProvider
}

// String returns the fields on one line, for logs and test failures. An
// Inner that decodes is shown decoded (an Exchange store's server and
// mailbox DN, a PST store's path), anything else in hex.
func (s Store) String() string {
	if s.Flag == StoreFlagUnopened {
		return fmt.Sprintf("Store{Flags: %v, Version: %d, Flag: 1, Provider: %s, Inner: %X}", s.Flags, s.Version, uidString(s.Provider), []byte(s.Inner))
	}
	inner := fmt.Sprintf("%X", []byte(s.Inner))
	if v, err := (Options{CodePage: s.CodePage}).Parse(s.Inner); err == nil {
		inner = v.String()
	}
	return fmt.Sprintf("Store{Flags: %v, Version: %d, DLL: %q, Inner: %s", s.Flags, s.Version, s.DLL, inner) + codePageString(s.CodePage) + "}"
}

// WrapStore is the Go form of WrapStoreEntryID: it wraps a provider's own
// store entry ID with MUIDSTOREWRAP and the provider's DLL name as MAPI's
// profile knows it ("EMSMDB.DLL", "mspst.dll"), written in Windows-1252.
// As with the C char*, a NUL in dll ends the name. Like the C function it
// wraps whatever it is given: an empty inner ID gives a wrap that
// [ParseStore] rejects. DLL names are ASCII; one that Windows-1252 cannot
// hold gives nil ([Store.AppendBinary] reports the character).
func WrapStore(dll string, inner mapispi.EntryID) mapispi.EntryID {
	if i := strings.IndexByte(dll, 0); i >= 0 {
		dll = dll[:i]
	}
	b := make([]byte, 0, 26+len(dll)+len(inner))
	b = append(b, 0, 0, 0, 0)
	b = append(b, StoreWrapUID[:]...)
	b = append(b, 0, StoreFlagNormal)
	b, err := appendString8(b, KindStore, 0, "DLL name", dll)
	if err != nil {
		return nil
	}
	for range padTo4(len(b)) {
		b = append(b, 0)
	}
	return append(b, inner...)
}

// UnwrapStore undoes [WrapStore] (the UnWrapStoreEntryID of Exchange's and
// Kopano's helper libraries; MAPI itself has none): it returns the DLL name
// and a copy of the provider's store entry ID. Anything but a well-formed
// Flag 0 wrapped store ID is a *ParseError.
func UnwrapStore(b mapispi.EntryID) (dll string, inner mapispi.EntryID, err error) {
	s, err := ParseStore(b)
	if err != nil {
		return "", nil, err
	}
	if s.Flag != StoreFlagNormal {
		return "", nil, parseErr(KindStore, 21, "a store that was never opened (flag 1) wraps no provider entry ID")
	}
	return s.DLL, s.Inner, nil
}

// UnwrapView returns the provider's store entry ID inside a wrapped store
// ID as a view that aliases b, without allocating; an ID that is not
// wrapped (no MUIDSTOREWRAP) is returned as it is. This is what a store
// provider needs when MAPI may hand it either form (co-resident providers
// see unwrapped IDs, clients wrapped ones). Fewer than 20 bytes, a
// malformed wrap, or a Flag 1 wrap that holds no provider ID is a
// *ParseError.
func UnwrapView(b mapispi.EntryID) (mapispi.EntryID, error) {
	if len(b) < headerLen {
		return nil, tooShort(KindInvalid, b)
	}
	if mapispi.UID(b[4:20]) != StoreWrapUID {
		return b, nil
	}
	inner, reason, off := unwrapView(b)
	if reason != "" {
		return nil, parseErr(KindStore, off, reason)
	}
	return inner, nil
}

// unwrapView finds the inner ID of a Flag 0 wrapped store ID whose header
// (20 bytes, MUIDSTOREWRAP) is already checked. It reports failure as a
// reason and offset so the zero-allocation callers can ignore it.
func unwrapView(b []byte) (inner []byte, reason string, off int) {
	// The usual 10-character DLL names ("EMSMDB.DLL", "PSTPRX.DLL") end
	// at 32 and are padded to 36: a shortcut for the search in
	// unwrapSlow.
	if len(b) > 36 && b[20]|b[21] == 0 && binary.LittleEndian.Uint32(b[32:]) == 0 && nonZero8(b[22:]) && b[30] != 0 && b[31] != 0 {
		return b[36:], "", 0
	}
	return unwrapSlow(b)
}

func unwrapSlow(b []byte) (inner []byte, reason string, off int) {
	if len(b) < 22 {
		return nil, "entry ID ends inside the version and flag", len(b)
	}
	if b[20] != 0 {
		return nil, "unknown version", 20
	}
	if b[21] != StoreFlagNormal {
		return nil, "a store that was never opened (flag 1) wraps no provider entry ID", 21
	}
	n := indexNUL8(b[22:])
	if n < 0 {
		return nil, "DLL name has no terminating NUL", 22
	}
	i := 22 + n + 1
	end := i + padTo4(i)
	if end > len(b) {
		return nil, "entry ID ends inside the DLL name padding", len(b)
	}
	for ; i < end; i++ {
		if b[i] != 0 {
			return nil, "DLL name padding is not zero", i
		}
	}
	if end == len(b) {
		return nil, "no provider store entry ID after the DLL name", end
	}
	return b[end:], "", 0
}
