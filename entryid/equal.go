package entryid

import (
	"bytes"
	"encoding/binary"
	"unicode"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Equal answers the question of IMAPISupport::CompareEntryIDs and
// IMAPISession::CompareEntryIDs without the providers: do a and b name the
// same object? Entry IDs are not binary comparable (the MAPI reference's
// CompareEntryIDs pages and NameSpace.CompareEntryIDs say so): one object
// can have several IDs. Equal applies these rules, and [Compare] says
// which of them decided:
//
//   - C1, provider: IDs of different providers (the provider UID at
//     offset 4) or of different layouts name different objects. IDs of a
//     provider this package does not know compare by provider UID and all
//     the bytes after it.
//   - C2, abFlags: abFlags are ignored, so a short-term and a long-term
//     ID of one object are equal. But an NSPI ephemeral ID (abFlags[0] =
//     0x87, [MS-OXNSPI] 2.2.9.2) names its object only within one NSPI
//     session and never equals a permanent ID; two ephemeral IDs compare
//     by server GUID, version, display type and MId.
//   - C3, store wrap: a store ID wrapped by MAPI (MUIDSTOREWRAP) equals
//     the provider's own, unwrapped ID: the wrap is ignored. A wrap of a
//     store never opened (Flag 1) compares by its GUID and the bytes
//     after it, a wrap around bytes no layout reads by those bytes.
//   - C4, DLL name: the provider DLL name in a wrap is ignored, and with
//     it its case ("EMSMDB.DLL", "emsmdb.dll").
//   - C5, Exchange stores and address book: Exchange store IDs compare by
//     provider UID (mailbox or public store), the OPENSTORE_PUBLIC bit
//     and the mailbox DN without regard to case; the server name, the
//     other WrappedType bits and the V2 and V3 tails only tell where to
//     connect and are ignored. Exchange address book IDs compare by X500
//     DN without regard to case; the display type is ignored.
//   - C6, Exchange folders and messages: they compare by provider UID and
//     the object's GID, its database GUID and global counter ([MS-OXCDATA]
//     2.2.4); the type field, the pads and a message's parent folder are
//     ignored, so a message keeps its identity when it moves to another
//     folder.
//   - C7, Outlook contacts: contact and distribution list IDs compare by
//     type, address index and the embedded entry ID; contact folder IDs by
//     type, muidID and the embedded entry ID; distribution list member IDs
//     (WrappedEntryId) by their type byte and the embedded entry ID.
//     Embedded IDs are compared by these rules.
//   - C8, MS-PST: PST folder and message IDs compare by record key and NID
//     ([MS-PST] 2.4.3.2).
//   - C9, PST stores (a heuristic: no documentation states it): PST store
//     IDs compare by path, the Unicode one if there is one, else the ANSI
//     one, without regard to case, so one file named in either encoding is
//     one store.
//   - C10, one-off recipients (a heuristic): one-off IDs compare by
//     address type and address without regard to case or encoding; the
//     display name and the flag word (rich info, format, NOLOOKUP) are
//     ignored.
//   - C11, trailing bytes: bytes after the end of a complete ID (see
//     [Parse]) are ignored.
//   - C12, malformed IDs: an ID that [Parse] rejects is equal only to the
//     same bytes. Wraps and embedded IDs are followed 7 levels deep (real
//     data nests 2); deeper ones compare by their bytes, so a crafted ID
//     costs no more than its length.
//
// Without regard to case means by the upper case of each character, as
// [unicode.ToUpper] gives it. Equal reads 8-bit text as Windows-1252
// ([Options.Equal] reads another code page), so that the 8-bit and the
// UTF-16 spelling of one text are equal.
//
// Equal does not allocate, and returns at the cost of [bytes.Equal] when a
// and b are the same bytes. It agrees with [Key] and [AppendCanonical]:
// Equal(a, b) is Key(a) == Key(b).
func Equal(a, b mapispi.EntryID) bool { return Options{}.Equal(a, b) }

// Equal is [Equal] with 8-bit text read in o.CodePage. It does not
// allocate when the code page is a single-byte one.
func (o Options) Equal(a, b mapispi.EntryID) bool {
	if bytes.Equal(a, b) {
		return true // every ID names what it names, well formed or not
	}
	// A server name that the code page might not read takes the plain
	// path: only multi-byte code pages refuse bytes.
	if o.CodePage == 0 || o.CodePage == codepage.Windows1252 || charsetOf(o.CodePage).single {
		if eq, ok := equalStores(a, b); ok {
			return eq
		}
	}
	return equalAt(a, b, 0, charsetOf(o.CodePage))
}

// equalStores is a shortcut in front of equalAt for two Exchange store
// IDs, wrapped or not, whose bytes after the server name are the same:
// the common case of one mailbox seen through two servers, or through two
// spellings of one server name. Such IDs are well formed or malformed
// together, so the shared bytes are read once, by the scanner the plain
// path uses. ok is false for any other pair; FuzzEqualShortcut holds the
// answer to equalAt's.
func equalStores(a, b []byte) (eq, ok bool) {
	ia, wa := exchangeInner(a)
	ib, wb := exchangeInner(b)
	if ia == nil || ib == nil {
		return false, false
	}
	na, nb := indexNUL8(ia[24:]), indexNUL8(ib[24:])
	if na < 0 || nb < 0 || !bytes.Equal(ia[24+na:], ib[24+nb:]) {
		return false, false
	}
	// exchangeInner let only the two Exchange store UIDs through, which
	// differ in their first byte.
	if ia[4] != ib[4] || (ia[20]^ib[20])&byte(OpenStorePublic) != 0 {
		// Different stores, whether well formed or not: the bytes differ.
		return false, true
	}
	x := exchangeScan{typ: OpenStoreFlags(binary.LittleEndian.Uint32(ia[20:]))}
	if x.scanRest(ia, 24+na+1) == nil {
		return true, true // C3, C4, C5: only wraps, abFlags and server names differ
	}
	// Malformed inner IDs: a wrap keeps them as opaque bytes (C3), an
	// unwrapped one is malformed (C12), equal only to the same bytes.
	return wa == wb && bytes.Equal(ia, ib), true
}

// exchangeInner returns the Exchange store ID in id, unwrapping it if it
// is wrapped, or nil; wrapped says whether it was.
func exchangeInner(id []byte) (inner []byte, wrapped bool) {
	if len(id) < headerLen {
		return nil, false
	}
	if knownUID(id) == kStoreWrap {
		in, reason, _ := unwrapView(id)
		if reason != "" {
			return nil, false
		}
		id, wrapped = in, true
	}
	if len(id) < 24 || isEphemeral(id) {
		return nil, false
	}
	if k := knownUID(id); k != kStorePrivate && k != kStorePublic {
		return nil, false
	}
	return id, wrapped
}

// equalAt compares two IDs found depth levels down (inside wraps or as
// embedded IDs): well-formed ones by their views, others by their bytes.
func equalAt(a, b []byte, depth int, cs *charset) bool {
	var va, vb view
	oka, okb := va.load(a, depth, cs), vb.load(b, depth, cs)
	if !oka || !okb {
		return !oka && !okb && bytes.Equal(a, b)
	}
	return va.equal(&vb)
}

// equal reports whether two loaded views name one object.
func (v *view) equal(w *view) bool {
	if v.tag != w.tag || v.n != w.n {
		return false
	}
	for i := range v.n {
		if !partEqual(&v.p[i], &w.p[i], v.cs) {
			return false
		}
	}
	return true
}

// AppendCanonical appends the canonical form of id to dst: bytes that are
// equal for two IDs exactly when [Equal] says they name the same object.
// They are the bytes of [Key] for well-formed IDs; IDs that [Parse]
// rejects give its *ParseError and dst unchanged. With a buffer of
// 3*len(id)+32 bytes or more it does not allocate.
func AppendCanonical(dst []byte, id mapispi.EntryID) ([]byte, error) {
	return Options{}.AppendCanonical(dst, id)
}

// AppendCanonical is [AppendCanonical] with 8-bit text read in
// o.CodePage.
func (o Options) AppendCanonical(dst []byte, id mapispi.EntryID) ([]byte, error) {
	var v view
	if !v.load(id, 0, charsetOf(o.CodePage)) {
		_, err := o.Parse(id)
		if err == nil { // cannot happen: load accepts all that Parse accepts
			err = parseErr(Identify(id), 0, "no canonical form")
		}
		return dst, err
	}
	return v.appendCanonical(dst), nil
}

// Key returns a string that is the same for two entry IDs exactly when
// [Equal] says they name the same object, for use as a map key or a
// database key by archivers and converters. It never fails: an ID that
// [Parse] rejects gets a key made of its bytes that cannot collide with
// the key of any well-formed ID.
//
// Keys are stable: a later version of this module gives the same key for
// the same ID and code page, so keys may be stored. (Case is folded with
// [unicode.ToUpper], whose tables follow the Unicode version of the Go
// release; only characters whose case mapping a later Unicode version
// adds could change.) A key is binary, not text: encode it, with hex or
// base64, for text columns. Key allocates once, for the string; use
// [AppendCanonical] to build keys without allocating.
func Key(id mapispi.EntryID) string { return Options{}.Key(id) }

// Key is [Key] with 8-bit text read in o.CodePage.
func (o Options) Key(id mapispi.EntryID) string {
	var v view
	if !v.load(id, 0, charsetOf(o.CodePage)) {
		return malformedKey + string(id)
	}
	var buf [512]byte
	return string(v.appendCanonical(buf[:0]))
}

// malformedKey starts the Key of an ID Parse rejects; the canonical form
// of a well-formed ID starts with a tag letter instead.
const malformedKey = "\x00"

// The canonical form, which Key returns and which must not change: the
// view's tag letter, then for each of its parts a 4-byte little-endian
// length and the part. A raw part is its bytes, a text part the UTF-8 of
// its characters folded with fold, an embedded ID 'V' and its canonical
// form, or 'R' and its bytes when it is not well formed or nested too
// deep. TestKeyStable pins the keys of real IDs.
//
// Embedded IDs are walked with a stack of their own rather than by
// recursion, so that dst does not escape and Key can build in a buffer on
// the stack.
func (v *view) appendCanonical(dst []byte) []byte {
	dst = append(dst, v.tag)
	for i := range v.n {
		if p := &v.p[i]; p.e == nested {
			dst = appendEmbedded(dst, p, v.cs)
		} else {
			dst = p.appendCanonical(dst, v.cs)
		}
	}
	return dst
}

// appendEmbedded appends an embedded ID as a part: a 4-byte length, then
// 'V' and its canonical form if it is well formed, else 'R' and its bytes.
func appendEmbedded(dst []byte, p *part, cs *charset) []byte {
	type frame struct {
		v  view
		i  uint8
		at int // where the embedded ID's length goes
	}
	var stack [maxDepth]frame
	sp := -1
	for {
		if p != nil {
			at := len(dst)
			dst = append(dst, 0, 0, 0, 0)
			var w view
			if sp+1 < len(stack) && w.load(p.b, int(p.depth), cs) {
				dst = append(dst, 'V', w.tag)
				sp++
				stack[sp] = frame{v: w, at: at}
			} else {
				dst = append(append(dst, 'R'), p.b...)
				binary.LittleEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
			}
			p = nil
		}
		if sp < 0 {
			return dst
		}
		f := &stack[sp]
		if f.i == f.v.n {
			binary.LittleEndian.PutUint32(dst[f.at:], uint32(len(dst)-f.at-4))
			sp--
			continue
		}
		q := &f.v.p[f.i]
		f.i++
		if q.e == nested {
			p = q
		} else {
			dst = q.appendCanonical(dst, cs)
		}
	}
}

// view is an entry ID reduced to what identifies its object: a tag for the
// rule that applies and up to four parts aliasing the ID, which Equal,
// Compare and the canonical form compare. Each tag has a fixed number of
// parts, each with a fixed field. For Compare, ign (when not nil) also
// collects the parts the rules ignore. The loader, load, is the one
// statement of the comparison rules.
type view struct {
	tag  byte
	n    uint8
	kind Kind // the layout the parts come from (inside any wraps)
	cs   *charset
	p    [4]part
	ign  *[]part
}

type part struct {
	b     []byte
	f     field
	e     enc
	depth uint8 // for nested parts: the embedded ID's nesting depth
}

type enc uint8

const (
	raw      enc = iota // compared byte for byte
	text8               // 8-bit text in the view's code page
	text16              // UTF-16LE text
	nested              // an embedded entry ID, compared as Equal compares IDs
	textUTF8            // 8-bit text of a multi-byte code page, decoded to UTF-8
)

// maxDepth bounds how far wraps and embedded IDs are followed: real IDs
// nest two levels at most (a contact inside a wrapped member), and a
// bound keeps crafted IDs nested thousands deep from costing more than
// their bytes. Deeper IDs are compared by their bytes.
const maxDepth = 8

// The tags: one per rule set, the first byte of the canonical form.
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

// add adds a part the rules compare.
func (v *view) add(f field, b []byte, e enc) {
	v.p[v.n] = part{b: b, f: f, e: e}
	v.n++
}

// addEmbedded adds an embedded entry ID, found at depth, as a nested part,
// or as raw bytes beyond maxDepth.
func (v *view) addEmbedded(f field, b []byte, depth int) {
	if depth >= maxDepth {
		v.add(f, b, raw)
		return
	}
	v.p[v.n] = part{b: b, f: f, e: nested, depth: uint8(depth)}
	v.n++
}

// ignore records a part the rules ignore, for Compare's reasons.
func (v *view) ignore(f field, b []byte, e enc) {
	if v.ign != nil {
		*v.ign = append(*v.ign, part{b: b, f: f, e: e})
	}
}

// load fills v from id, found depth levels down, and reports whether id
// is well formed: it accepts exactly what Parse (with the code page of cs)
// accepts, and allocates only to reject an ID or for a multi-byte code
// page.
func (v *view) load(id []byte, depth int, cs *charset) bool {
	v.cs = cs
	k := Identify(id)
	v.kind = k
	switch k {
	case KindInvalid:
		return false
	case KindStore:
		return v.loadStore(id, depth)
	case KindExchangeStore:
		var x exchangeScan
		if x.scan(id) != nil || !v.valid8(x.server) || !v.valid8(x.dn) || x.tail == StoreV2Magic && !v.valid8(x.t.s1) {
			return false
		}
		v.tag = tagExchange
		v.ignore(fFlags, id[:4], raw)
		v.add(fProvider, id[4:20], raw)
		pub := publicBit[:1]
		if x.typ&OpenStorePublic != 0 {
			pub = publicBit[1:]
		}
		v.add(fPublic, pub, raw)
		v.ignore(fWrappedType, id[20:24], raw)
		v.ignore(fServer, x.server, text8)
		v.add(fMailboxDN, x.dn, text8)
		if x.tail != 0 {
			f := fV2
			if x.tail == StoreV3Magic {
				f = fV3
			}
			v.ignore(f, id[x.tailOff:], raw)
		}
		v.ignore(fTrailing, x.trailing, raw)
	case KindPSTStore:
		var x pstScan
		if x.scan(id) != nil || !v.valid8(x.ansi) {
			return false
		}
		v.tag = tagPSTStore
		v.ignore(fFlags, id[:4], raw)
		v.ignore(fReserved, id[20:21], raw)
		if len(x.unicode) > 0 {
			v.ignore(fANSIPath, x.ansi, text8)
			v.add(fPath, x.unicode, text16)
		} else {
			v.add(fPath, x.ansi, text8)
		}
		v.ignore(fTrailing, x.trailing, raw)
	case KindFolder:
		v.tag = tagFolder
		v.ignore(fFlags, id[:4], raw)
		v.add(fProvider, id[4:20], raw)
		v.ignore(fFolderType, id[20:22], raw)
		v.add(fFolderGID, id[22:44], raw)
		v.ignore(fPad, id[44:46], raw)
	case KindMessage:
		v.tag = tagMessage
		v.ignore(fFlags, id[:4], raw)
		v.add(fProvider, id[4:20], raw)
		v.ignore(fMessageType, id[20:22], raw)
		v.ignore(fParent, id[22:46], raw)
		v.add(fMessageGID, id[46:68], raw)
		v.ignore(fPad, id[68:70], raw)
	case KindPST:
		v.tag = tagPST
		v.ignore(fFlags, id[:4], raw)
		v.add(fRecordKey, id[4:20], raw)
		v.add(fNID, id[20:24], raw)
	case KindAddressBook:
		var x addressBookScan
		if x.scan(id) != nil || !v.valid8(x.dn) {
			return false
		}
		v.tag = tagAddressBook
		v.ignore(fFlags, id[:4], raw)
		v.ignore(fDisplayType, id[24:28], raw)
		v.add(fX500DN, x.dn, text8)
		v.ignore(fTrailing, x.trailing, raw)
	case KindEphemeral:
		v.tag = tagEphemeral
		v.ignore(fFlags, id[:4], raw)
		v.add(fServerGUID, id[4:20], raw)
		v.add(fEphVersion, id[20:24], raw)
		v.add(fEphDisplayType, id[24:28], raw)
		v.add(fMId, id[28:32], raw)
	case KindOneOff:
		var x oneOffScan
		if x.scan(id) != nil {
			return false
		}
		e := text8
		if x.options&OneOffUnicode != 0 {
			e = text16
		} else if !v.valid8(x.name) || !v.valid8(x.typ) || !v.valid8(x.addr) {
			return false
		}
		v.tag = tagOneOff
		v.ignore(fFlags, id[:4], raw)
		v.ignore(fOneOffFlags, id[22:24], raw)
		v.ignore(fDisplayName, x.name, e)
		v.add(fAddressType, x.typ, e)
		v.add(fAddress, x.addr, e)
		v.ignore(fTrailing, x.trailing, raw)
	case KindContact, KindDistList:
		var x contactScan
		if x.scan(id) != nil {
			return false
		}
		v.tag = tagContact
		v.ignore(fFlags, id[:4], raw)
		v.add(fContabType, id[24:28], raw)
		v.add(fIndex, id[28:32], raw)
		v.addEmbedded(fEntryID, x.entryID, depth+1)
		v.ignore(fTrailing, x.trailing, raw)
	case KindContactFolder:
		if len(id) < 44 || binary.LittleEndian.Uint32(id[20:]) != ContabVersion {
			return false
		}
		v.tag = tagContactGroup
		v.ignore(fFlags, id[:4], raw)
		v.add(fContabType, id[24:28], raw)
		v.add(fMuidID, id[28:44], raw)
		v.addEmbedded(fEntryID, id[44:], depth+1)
	case KindWrapped:
		if len(id) < 21 {
			return false
		}
		v.tag = tagWrapped
		v.ignore(fFlags, id[:4], raw)
		v.add(fMemberType, id[20:21], raw)
		v.addEmbedded(fEntryID, id[21:], depth+1)
	default:
		v.tag = tagGeneric
		v.ignore(fFlags, id[:4], raw)
		v.add(fProvider, id[4:20], raw)
		v.add(fData, id[20:], raw)
	}
	return true
}

// loadStore loads a wrapped store ID: the provider's ID inside it if that
// is well formed and not nested too deep, else the wrapped bytes.
func (v *view) loadStore(id []byte, depth int) bool {
	if len(id) >= 22 && id[21] == StoreFlagUnopened {
		if id[20] != 0 || len(id) < 38 {
			return false
		}
		v.tag = tagUnopened
		v.ignore(fWrapFlags, id[:4], raw)
		v.add(fWrapGUID, id[22:38], raw)
		v.add(fWrapData, id[38:], raw)
		return true
	}
	inner, reason, _ := unwrapView(id)
	if reason != "" || !v.valid8(id[22:22+indexNUL8(id[22:])]) {
		return false
	}
	v.ignore(fWrapFlags, id[:4], raw)
	v.ignore(fDLL, id[22:22+indexNUL8(id[22:])], text8)
	var mark int
	if v.ign != nil {
		mark = len(*v.ign)
	}
	if depth+1 >= maxDepth || !v.load(inner, depth+1, v.cs) {
		// ParseStore keeps the inner ID as opaque bytes, so a wrap
		// around bytes no layout accepts is still well formed.
		v.tag, v.n, v.kind = tagOpaqueStore, 0, KindStore
		if v.ign != nil {
			*v.ign = (*v.ign)[:mark]
		}
		v.add(fWrapData, inner, raw)
	}
	return true
}

// valid8 reports whether 8-bit text reads in the view's code page, as
// decode8 does: always for a single-byte one.
func (v *view) valid8(b []byte) bool {
	if v.cs.single || isASCII(b) {
		return true
	}
	_, err := v.cs.id.Decode(b)
	return err == nil
}

// partEqual compares two parts of one field.
func partEqual(x, y *part, cs *charset) bool {
	if x.e == y.e && bytes.Equal(x.b, y.b) {
		return true
	}
	switch {
	case x.e == nested:
		return equalAt(x.b, y.b, int(x.depth), cs)
	case x.e == raw || y.e == raw:
		return false
	}
	return foldEqual(x.text(cs), y.text(cs), cs)
}

// text returns a text part ready for next: 8-bit text of a multi-byte
// code page decoded, which allocates.
func (p *part) text(cs *charset) *part {
	if p.e != text8 || cs.single || isASCII(p.b) {
		return p
	}
	s, _ := cs.id.Decode(p.b) // load checked that it decodes
	return &part{b: []byte(s), f: p.f, e: textUTF8}
}

// foldEqual compares two text parts without regard to case.
func foldEqual(x, y *part, cs *charset) bool {
	i, j := 0, 0
	for {
		r1, n1 := x.next(i, cs)
		r2, n2 := y.next(j, cs)
		if n1 == 0 || n2 == 0 {
			return n1 == n2
		}
		if fold(r1) != fold(r2) {
			return false
		}
		i, j = i+n1, j+n2
	}
}

// next decodes the character at byte offset i of a text part; n is 0 at
// the end.
func (p *part) next(i int, cs *charset) (r rune, n int) {
	b := p.b[i:]
	switch {
	case len(b) == 0:
		return 0, 0
	case p.e == text8:
		if b[0] < utf8.RuneSelf || !cs.single {
			return rune(b[0]), 1 // ASCII (text calls next only then for multi-byte pages)
		}
		return cs.dec[b[0]], 1
	case p.e == textUTF8:
		return utf8.DecodeRune(b)
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
// are, text as the UTF-8 of its folded characters. Embedded IDs are the
// view's business.
func (p *part) appendCanonical(dst []byte, cs *charset) []byte {
	at := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	switch {
	case p.e == raw || p.e == nested:
		dst = append(dst, p.b...)
	case p.e == text8 && isASCII(p.b):
		for _, c := range p.b {
			dst = append(dst, upperASCII[c])
		}
	default:
		t := p.text(cs)
		for i := 0; ; {
			r, n := t.next(i, cs)
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

// isEphemeral reports whether Identify says KindEphemeral.
func isEphemeral(b []byte) bool { return len(b) == ephemeralLen && b[0] == byte(EphemeralFlags) }
