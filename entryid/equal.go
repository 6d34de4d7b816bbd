package entryid

import (
	"bytes"
	"encoding/binary"
	"unicode"
	"unicode/utf8"
)

// Equal answers the question of IMAPISupport::CompareEntryIDs and
// IMAPISession::CompareEntryIDs without the providers: do a and b name the
// same object? It applies the comparison rules of
// shared/spec/entryid-formats.md section 8, and does not allocate for
// well-formed IDs.
//
//   - C1: IDs of different providers (UIDs at offset 4) differ, except
//     that a wrapped store ID is compared by its inner ID (C3).
//   - C2: abFlags are ignored (a short-term and a long-term ID of one
//     object are equal), but an NSPI ephemeral ID (abFlags[0] = 0x87)
//     never equals a permanent one: it names its object by a
//     session-scoped MId.
//   - C3, C4: a wrapped store ID equals the provider's unwrapped ID; the
//     wrap's DLL name takes no part, so its case cannot matter.
//   - C5: Exchange store IDs compare by provider UID, the OPENSTORE_PUBLIC
//     bit and the mailbox DN without regard to case; the server name and
//     the V2/V3 tails are routing hints and are ignored. Address book IDs
//     compare by X500 DN without regard to case.
//   - C6: Exchange folder and message IDs compare by provider UID and the
//     object's GID (database GUID and global counter); pads, the type
//     field and, for messages, the parent folder's ID are ignored.
//   - C7: contact and distribution list IDs compare by type, index and
//     the embedded entry ID, itself compared by these rules; the tail
//     Outlook adds has no meaning and is ignored. Wrapped member IDs and
//     contact folder IDs compare likewise by their fields and embedded ID.
//   - C8: PST IDs compare by record key and NID.
//   - C9 (a heuristic: no source states the rule): PST store IDs compare by
//     path, Unicode if present else ANSI, without regard to case, so one
//     file named in either encoding is one store. ANSI bytes are read as
//     Latin-1, so non-ASCII ANSI paths equal only their Latin-1 spelling.
//   - C10 (a heuristic): one-off IDs compare by address type and address
//     without regard to case and encoding; the display name and the flag
//     word (rich info, format, NOLOOKUP) are ignored.
//
// IDs of any other provider compare by UID and bytes. IDs that [Parse]
// rejects are equal only to the same bytes. Wraps and embedded IDs are
// followed 7 levels deep (real data nests 2); deeper ones compare by
// their bytes, so crafted IDs cost no more than their length.
//
// Equal agrees with [AppendCanonical]: for well-formed IDs, Equal(a, b) is
// bytes.Equal(canonical(a), canonical(b)).
func Equal(a, b []byte) bool {
	// Fast paths that give the same answer as the general one (FuzzEqual
	// checks the agreement with AppendCanonical). Folder, message and PST IDs are settled here, without a call: b
	// equals such an a only as the same layout of the same provider (whose
	// UID, like a's, is not a well-known one), or as a store wrap around
	// one, which equalSlow handles.
	switch len(a) {
	case folderLen, messageLen, pstLen:
		if wellKnownUID(a) || len(b) < headerLen {
			break
		}
		t := ObjectType(binary.LittleEndian.Uint16(a[20:]))
		if len(a) == len(b) && string(a[4:len(a)-2]) == string(b[4:len(b)-2]) {
			// Same UID, type and IDs: the common case of a lookup.
			// A PST ID's last 2 bytes are part of its NID; a 46- or 70-byte
			// ID of another type is a Generic, whose bytes all count.
			return len(a) != pstLen && (len(a) == folderLen && t.isFolder() || len(a) == messageLen && t.isMessage()) ||
				[2]byte(a[len(a)-2:]) == [2]byte(b[len(b)-2:])
		}
		if [16]byte(a[4:20]) != [16]byte(b[4:20]) {
			if b[4] == StoreWrapUID[0] && knownUID(b) == kStoreWrap {
				break
			}
			return false
		}
		switch len(a) {
		case folderLen:
			if t.isFolder() {
				return len(b) == folderLen && ObjectType(binary.LittleEndian.Uint16(b[20:])).isFolder() &&
					[22]byte(a[22:44]) == [22]byte(b[22:44])
			}
		case messageLen:
			if t.isMessage() {
				return len(b) == messageLen && ObjectType(binary.LittleEndian.Uint16(b[20:])).isMessage() &&
					[22]byte(a[46:68]) == [22]byte(b[46:68])
			}
		default:
			return len(b) == pstLen && [4]byte(a[20:24]) == [4]byte(b[20:24])
		}
	}
	return equalSlow(a, b)
}

// equalSlow is Equal for the IDs its first fast path does not settle.
func equalSlow(a, b []byte) bool {
	if len(a) < headerLen || len(b) < headerLen {
		return equalAt(a, b, 0)
	}
	if eq, ok := equalExchangeStores(a, b); ok {
		return eq // settles identical Exchange store IDs too
	}
	if len(a) == len(b) && bytes.Equal(a[4:], b[4:]) {
		// Same bytes after abFlags: one object if well formed, unless one
		// is an ephemeral ID and the other not.
		if isEphemeral(a) != isEphemeral(b) {
			return false
		}
		return wellFormed(a) || bytes.Equal(a[:4], b[:4])
	}
	return equalAt(a, b, 0)
}

// equalAt compares two IDs found depth levels down (inside wraps or as
// embedded IDs): well-formed ones by their views, others by their bytes.
func equalAt(a, b []byte, depth int) bool {
	var va, vb view
	oka, okb := va.loadAt(a, depth), vb.loadAt(b, depth)
	if !oka || !okb {
		return !oka && !okb && bytes.Equal(a, b)
	}
	if va.tag != vb.tag || va.n != vb.n {
		return false
	}
	for i := range va.n {
		if !partEqual(&va.p[i], &vb.p[i]) {
			return false
		}
	}
	return true
}

// AppendCanonical appends the canonical form of id to dst: bytes that are
// equal for two IDs exactly when [Equal] says they name the same object,
// so it can serve as a map key (string(canonical)). The form is a tag byte
// and length-prefixed parts, case-folded where Equal ignores case; it is
// stable within a release of this package, but not meant to be stored.
// With a buffer of len(id)+32 bytes or more it does not allocate (folded
// text can grow: a sized buffer is 3*len(id)+32). IDs that [Parse]
// rejects give its *ParseError and dst unchanged.
func AppendCanonical(dst, id []byte) ([]byte, error) {
	var v view
	if !v.load(id) {
		_, err := Parse(id)
		if err == nil { // cannot happen: load accepts all that Parse accepts
			err = parseErr(Identify(id), 0, "no canonical form")
		}
		return dst, err
	}
	return v.appendCanonical(dst), nil
}

func (v *view) appendCanonical(dst []byte) []byte {
	dst = append(dst, v.tag)
	for i := range v.n {
		dst = v.p[i].appendCanonical(dst)
	}
	return dst
}

// equalExchangeStores answers for two Exchange store IDs (wrapped or
// not) that agree on everything after the server name, the common case of
// one mailbox seen through two servers or with two spellings of one. Both
// are then valid or invalid together, so only one is scanned. ok is false
// when the IDs are not such a pair or are invalid.
func equalExchangeStores(a, b []byte) (eq, ok bool) {
	ia, ib := exchangeInner(a), exchangeInner(b)
	if ia == nil || ib == nil || !bytes.Equal(ia[4:20], ib[4:20]) || (ia[20]^ib[20])&byte(OpenStorePublic) != 0 {
		return false, false
	}
	na, nb := bytes.IndexByte(ia[24:], 0), bytes.IndexByte(ib[24:], 0)
	if na < 0 || nb < 0 || !bytes.Equal(ia[24+na:], ib[24+nb:]) {
		return false, false
	}
	// The header and server name of both are well formed; check the
	// shared rest once.
	return true, validExchangeRest(ia[24+na+1:], ia[20]&byte(OpenStorePublic) != 0)
}

// validExchangeRest reports whether exchangeScan.scanRest accepts rest,
// the bytes after an Exchange store ID's server name, without building
// anything: the same checks in straight-line code for Equal's hot path.
// FuzzEqual checks that the two agree (through AppendCanonical).
func validExchangeRest(rest []byte, public bool) bool {
	switch {
	case public && (len(rest) == 0 || tailMagic(rest) != 0):
	case len(rest) == 0:
		return false // a mailbox store ID without a mailbox DN
	default:
		n := bytes.IndexByte(rest, 0)
		if n < 0 || public && n == 0 {
			return false
		}
		rest = rest[n+1:]
	}
	if len(rest) == 0 {
		return true
	}
	var p int
	switch tailMagic(rest) {
	case StoreV2Magic:
		if len(rest) < storeV2HeaderLen || binary.LittleEndian.Uint32(rest[8:]) != StoreV2Version {
			return false
		}
		p = storeV2HeaderLen
		if binary.LittleEndian.Uint32(rest[12:]) != 0 { // the server DN
			n := bytes.IndexByte(rest[p:], 0)
			if n < 0 {
				return false
			}
			p += n + 1
		}
		if binary.LittleEndian.Uint32(rest[16:]) == 0 {
			return true
		}
	case StoreV3Magic:
		if len(rest) < storeV3HeaderLen || binary.LittleEndian.Uint32(rest[8:]) != StoreV3Version {
			return false
		}
		if binary.LittleEndian.Uint32(rest[12:]) == 0 {
			return true
		}
		p = storeV3HeaderLen
	default:
		return false
	}
	n, bad := scanUTF16(rest[p:]) // V2's FQDN or V3's SMTP address
	return n >= 0 && bad < 0
}

// exchangeInner returns the Exchange store ID in id, unwrapping it, or nil.
func exchangeInner(id []byte) []byte {
	if len(id) < headerLen || isEphemeral(id) {
		return nil
	}
	lo, hi := binary.LittleEndian.Uint64(id[4:]), binary.LittleEndian.Uint64(id[12:])
	if lo == storeWrapLo && hi == storeWrapHi {
		id = unwrapFast(id)
		if len(id) < headerLen || isEphemeral(id) {
			return nil
		}
		lo, hi = binary.LittleEndian.Uint64(id[4:]), binary.LittleEndian.Uint64(id[12:])
	}
	// g_muidStorePrivate and g_muidStorePublic share their upper half.
	if hi != storeExchangeHi || lo != storePrivateLo && lo != storePublicLo || len(id) < 24 {
		return nil
	}
	return id
}

// The UIDs exchangeInner looks for, as little-endian uint64 halves;
// TestKnownUID checks them.
const (
	storeWrapLo     = 0x1A10E50510BBA138
	storeWrapHi     = 0xC2562A2B0008BBA1
	storePrivateLo  = 0xCD1166AA20FA551B
	storePublicLo   = 0xCD1166AA1002831C
	storeExchangeHi = 0x5AC42F00AA00C89B
)

// unwrapFast is unwrapView for a wrapped store ID (MUIDSTOREWRAP already
// checked), returning nil for anything unwrapView rejects. The usual
// 10-character DLL name ("EMSMDB.DLL") is checked without a search.
func unwrapFast(b []byte) []byte {
	if len(b) > 36 && b[20] == 0 && b[21] == 0 && b[32]|b[33]|b[34]|b[35] == 0 {
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		if v := binary.LittleEndian.Uint64(b[22:]); (v-ones)&^v&highs == 0 && b[30] != 0 && b[31] != 0 {
			return b[36:]
		}
	}
	inner, reason, _ := unwrapView(b)
	if reason != "" {
		return nil
	}
	return inner
}

// wellKnownUID reports whether b (len(b) >= 20) carries one of the UIDs
// Identify knows; a table of their first bytes answers most IDs without
// comparing.
func wellKnownUID(b []byte) bool { return firstUIDByte[b[4]] && knownUID(b) != kNone }

// firstUIDByte marks the first bytes of the UIDs knownUID knows;
// TestKnownUID checks it.
var firstUIDByte = [256]bool{0x38: true, 0x1B: true, 0x1C: true, 0x4E: true, 0x81: true, 0xDC: true, 0xC0: true, 0xFE: true}

// isEphemeral reports whether Identify says KindEphemeral.
func isEphemeral(b []byte) bool { return len(b) == ephemeralLen && b[0] == byte(EphemeralFlags) }

// wellFormed reports whether Parse accepts id, without allocating.
func wellFormed(id []byte) bool {
	switch Identify(id) {
	case KindInvalid:
		return false
	case KindFolder, KindMessage, KindPST, KindEphemeral, KindGeneric:
		return true // Identify checked all these layouts need
	}
	return loads(id)
}

// loads reports whether a view loads from id. It is kept out of line so
// that the callers' fast paths do not pay for zeroing a view.
//
//go:noinline
func loads(id []byte) bool {
	var v view
	return v.load(id)
}

// view is an entry ID reduced to what identifies its object: a tag for the
// rule that applies and up to four parts aliasing the ID. Each tag has a
// fixed number of parts and a fixed choice of raw or text for each.
type view struct {
	tag byte
	n   int
	p   [4]part
}

type part struct {
	b     []byte
	e     enc
	depth uint8 // for nested parts: the embedded ID's nesting depth
}

type enc uint8

const (
	raw    enc = iota // compared byte for byte
	text8             // 8-bit text, compared case-insensitively as Latin-1
	text16            // UTF-16LE text, compared case-insensitively
	nested            // an embedded entry ID, compared as Equal compares IDs
)

// maxDepth bounds how far wraps and embedded IDs are followed: real IDs
// nest two levels at most (a contact inside a wrapped member), and a
// bound keeps crafted IDs nested thousands deep from costing more than
// their bytes. Deeper IDs are compared by their bytes.
const maxDepth = 8

const (
	tagGeneric      = 'G'
	tagUnopened     = 'U'
	tagOpaqueStore  = 'X'
	tagExchange     = 'S'
	tagPSTStore     = 'P'
	tagFolder       = 'F'
	tagMessage      = 'M'
	tagPST          = 'N'
	tagAddressBook  = 'A'
	tagEphemeral    = 'E'
	tagOneOff       = 'O'
	tagContact      = 'C'
	tagContactGroup = 'D'
	tagWrapped      = 'W'
)

var publicBit = [2]byte{0, 1}

func (v *view) add(b []byte, e enc) {
	v.p[v.n] = part{b: b, e: e}
	v.n++
}

// load fills v from id and reports whether id is well formed. It accepts
// every ID Parse accepts and does not allocate unless it rejects id.
func (v *view) load(id []byte) bool { return v.loadAt(id, 0) }

// addEmbedded adds an embedded entry ID, found at depth, as a nested part,
// or as raw bytes beyond maxDepth.
func (v *view) addEmbedded(b []byte, depth int) {
	if depth >= maxDepth {
		v.add(b, raw)
		return
	}
	v.p[v.n] = part{b: b, e: nested, depth: uint8(depth)}
	v.n++
}

func (v *view) loadAt(id []byte, depth int) bool {
	switch Identify(id) {
	case KindInvalid:
		return false
	case KindStore:
		if len(id) >= 22 && id[21] == StoreFlagUnopened {
			if id[20] != 0 || len(id) < 38 {
				return false
			}
			v.tag = tagUnopened
			v.add(id[22:38], raw)
			v.add(id[38:], raw)
			return true
		}
		inner, reason, _ := unwrapView(id)
		if reason != "" {
			return false
		}
		if depth+1 >= maxDepth || !v.loadAt(inner, depth+1) {
			// ParseStore keeps the inner ID as opaque bytes, so a wrap
			// around bytes no layout accepts is still well formed.
			*v = view{tag: tagOpaqueStore}
			v.add(inner, raw)
		}
		return true
	case KindExchangeStore:
		var x exchangeScan
		if x.scan(id) != nil {
			return false
		}
		v.tag = tagExchange
		v.add(id[4:20], raw)
		pub := publicBit[:1]
		if x.typ&OpenStorePublic != 0 {
			pub = publicBit[1:]
		}
		v.add(pub, raw)
		v.add(x.dn, text8)
	case KindPSTStore:
		var x pstScan
		if x.scan(id) != nil {
			return false
		}
		v.tag = tagPSTStore
		if len(x.unicode) > 0 {
			v.add(x.unicode, text16)
		} else {
			v.add(x.ansi, text8)
		}
	case KindFolder:
		v.tag = tagFolder
		v.add(id[4:20], raw)
		v.add(id[22:44], raw)
	case KindMessage:
		v.tag = tagMessage
		v.add(id[4:20], raw)
		v.add(id[46:68], raw)
	case KindPST:
		v.tag = tagPST
		v.add(id[4:24], raw)
	case KindAddressBook:
		_, _, dn, err := scanAddressBook(id)
		if err != nil {
			return false
		}
		v.tag = tagAddressBook
		v.add(dn, text8)
	case KindEphemeral:
		v.tag = tagEphemeral
		v.add(id[4:], raw)
	case KindOneOff:
		var x oneOffScan
		if x.scan(id) != nil {
			return false
		}
		e := text8
		if x.options&OneOffUnicode != 0 {
			e = text16
		}
		v.tag = tagOneOff
		v.add(x.typ, e)
		v.add(x.addr, e)
	case KindContact, KindDistList:
		var x contactScan
		if x.scan(id) != nil {
			return false
		}
		v.tag = tagContact
		v.add(id[20:32], raw)
		v.addEmbedded(x.entryID, depth+1)
	case KindContactFolder:
		if len(id) < 44 || binary.LittleEndian.Uint32(id[20:]) != ContabVersion {
			return false
		}
		v.tag = tagContactGroup
		v.add(id[24:44], raw)
		v.addEmbedded(id[44:], depth+1)
	case KindWrapped:
		if len(id) < 21 {
			return false
		}
		v.tag = tagWrapped
		v.add(id[20:21], raw)
		v.addEmbedded(id[21:], depth+1)
	default:
		v.tag = tagGeneric
		v.add(id[4:20], raw)
		v.add(id[20:], raw)
	}
	return true
}

func partEqual(x, y *part) bool {
	if x.e == y.e && bytes.Equal(x.b, y.b) {
		return true
	}
	if x.e == nested {
		return equalAt(x.b, y.b, int(x.depth))
	}
	if x.e == raw || y.e == raw {
		return false
	}
	i, j := 0, 0
	for {
		r1, n1 := x.next(i)
		r2, n2 := y.next(j)
		if n1 == 0 || n2 == 0 {
			return n1 == n2
		}
		if fold(r1) != fold(r2) {
			return false
		}
		i, j = i+n1, j+n2
	}
}

// next decodes the character at byte offset i; n is 0 at the end.
func (p *part) next(i int) (r rune, n int) {
	b := p.b[i:]
	switch {
	case len(b) == 0:
		return 0, 0
	case p.e == text8:
		return rune(b[0]), 1
	case len(b) < 2:
		return utf8.RuneError, 1
	}
	u := rune(b[0]) | rune(b[1])<<8
	if u < 0xD800 || u > 0xDFFF {
		return u, 2
	}
	if u < 0xDC00 && len(b) >= 4 {
		if u2 := rune(b[2]) | rune(b[3])<<8; u2 >= 0xDC00 && u2 <= 0xDFFF {
			return (u-0xD800)<<10 | (u2 - 0xDC00) + 0x10000, 4
		}
	}
	return utf8.RuneError, 2
}

// fold maps a character to the form case-insensitive comparison uses.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	return unicode.ToUpper(r)
}

// appendCanonical appends a 4-byte length and the part: raw bytes as they
// are, text as the UTF-8 of its folded characters.
func (p *part) appendCanonical(dst []byte) []byte {
	at := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	switch p.e {
	case raw:
		dst = append(dst, p.b...)
	case nested:
		// A well-formed embedded ID by its canonical form, others by
		// their bytes; the leading byte keeps the two apart.
		var v view
		if v.loadAt(p.b, int(p.depth)) {
			dst = v.appendCanonical(append(dst, 'V'))
		} else {
			dst = append(append(dst, 'R'), p.b...)
		}
	case text8:
		start := len(dst)
		dst = append(dst, p.b...)
		ascii := true
		for i, c := range dst[start:] {
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			dst[start+i] = upperASCII[c]
		}
		if !ascii { // Latin-1 bytes take two UTF-8 bytes each: start over
			dst = dst[:start]
			for _, c := range p.b {
				if c < utf8.RuneSelf {
					dst = append(dst, upperASCII[c])
				} else {
					dst = utf8.AppendRune(dst, fold(rune(c)))
				}
			}
		}
	default:
		for i := 0; ; {
			r, n := p.next(i)
			if n == 0 {
				break
			}
			if r < utf8.RuneSelf {
				dst = append(dst, upperASCII[r])
			} else {
				dst = utf8.AppendRune(dst, fold(r))
			}
			i += n
		}
	}
	binary.LittleEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
	return dst
}

// upperASCII maps each ASCII byte to its upper case, as fold does.
var upperASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(fold(rune(c)))
	}
	return t
}()
