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

// ExchangeStore is the Go form of the Exchange store entry ID that
// emsmdb.dll keeps inside a wrapped store ID ([MS-OXCDATA] 2.2.4.3 from
// offset 36; the V2 tail is described in Stephen Griffin's "Store Entry
// ID v2" on Microsoft's blogs):
//
//	offset  size  field
//	0       4     abFlags (WrappedFlags)
//	4       16    StorePrivateUID or StorePublicUID (WrappedProviderUID)
//	20      4     WrappedType, OPENSTORE_* bits
//	24      n+1   ServerShortname, 8-bit, NUL-terminated
//	...     m+1   MailboxDN, 8-bit, NUL-terminated (absent from most public store IDs)
//	...     ...   an optional V2 or V3 tail (Outlook 2003 and later)
//
// The 8-bit strings (Server, MailboxDN, V2.ServerDN) are text in code
// page CodePage on the wire; they are ASCII in practice. MailboxDN is
// written when it is not empty or when Type lacks OpenStorePublic; a
// public store ID without a DN has an empty MailboxDN.
type ExchangeStore struct {
	Flags     Flags
	Provider  mapispi.UID    // StorePrivateUID (mailbox) or StorePublicUID (public folders)
	Type      OpenStoreFlags // 0x0C for mailboxes and 0x06 for public stores in MS-OXCDATA; other values occur
	Server    string         // NetBIOS name in older IDs, an SMTP address in newer ones
	MailboxDN string         // X500 DN of the mailbox
	V2        *StoreV2       // Outlook 2003+ tail: server DN and FQDN; nil if absent
	V3        *StoreV3       // later tail: the mailbox SMTP address; nil if absent
	// CodePage is the code page of the 8-bit strings; zero is
	// Windows-1252.
	CodePage codepage.ID
	// Trailing holds bytes found after the mailbox DN (or after a public
	// store's server name) that are not a V2 or V3 tail, kept as stored;
	// they carry no meaning (see [Parse]). A V2 or V3 tail keeps what
	// follows its strings in its Reserved field instead.
	Trailing []byte
}

// NewExchangeStore returns the store entry ID of an Exchange mailbox, as
// Outlook writes it without a V2 or V3 tail: StorePrivateUID, type
// MailboxStoreType, the server name and the mailbox's X500 DN. Set V3
// (with [NewStoreV3]) for the form newer Outlook versions write, and use
// [ExchangeStore.Wrapped] for the form clients see.
func NewExchangeStore(server, mailboxDN string) ExchangeStore {
	return ExchangeStore{Provider: StorePrivateUID, Type: MailboxStoreType, Server: server, MailboxDN: mailboxDN}
}

// NewPublicStore returns the store entry ID of an Exchange public folder
// store: StorePublicUID, type PublicStoreType and the server name.
func NewPublicStore(server string) ExchangeStore {
	return ExchangeStore{Provider: StorePublicUID, Type: PublicStoreType, Server: server}
}

// OpenStoreFlags are the OPENSTORE_* bits of ExchangeStore.Type (edkmdb.h).
type OpenStoreFlags uint32

// The OPENSTORE_* bits.
const (
	OpenStoreUseAdminPrivilege OpenStoreFlags = 0x01 // OPENSTORE_USE_ADMIN_PRIVILEGE
	OpenStorePublic            OpenStoreFlags = 0x02 // OPENSTORE_PUBLIC
	OpenStoreHomeLogon         OpenStoreFlags = 0x04 // OPENSTORE_HOME_LOGON
	OpenStoreTakeOwnership     OpenStoreFlags = 0x08 // OPENSTORE_TAKE_OWNERSHIP
	OpenStoreOverrideHomeMDB   OpenStoreFlags = 0x10 // OPENSTORE_OVERRIDE_HOME_MDB
	OpenStoreTransport         OpenStoreFlags = 0x20 // OPENSTORE_TRANSPORT
	OpenStoreRemoteTransport   OpenStoreFlags = 0x40 // OPENSTORE_REMOTE_TRANSPORT

	// MailboxStoreType and PublicStoreType are the values MS-OXCDATA gives
	// for WrappedType.
	MailboxStoreType = OpenStoreHomeLogon | OpenStoreTakeOwnership
	PublicStoreType  = OpenStorePublic | OpenStoreHomeLogon
)

var openStoreNames = []string{
	"OPENSTORE_USE_ADMIN_PRIVILEGE", "OPENSTORE_PUBLIC", "OPENSTORE_HOME_LOGON",
	"OPENSTORE_TAKE_OWNERSHIP", "OPENSTORE_OVERRIDE_HOME_MDB", "OPENSTORE_TRANSPORT",
	"OPENSTORE_REMOTE_TRANSPORT",
}

// String names the set bits, "OPENSTORE_PUBLIC|OPENSTORE_HOME_LOGON".
func (f OpenStoreFlags) String() string {
	if f == 0 {
		return "0"
	}
	var parts []string
	for i, n := range openStoreNames {
		if f&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if rest := f &^ 0x7F; rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%08X", uint32(rest)))
	}
	return strings.Join(parts, "|")
}

// Magic numbers and versions of the store entry ID tails.
const (
	StoreV2Magic   uint32 = 0xF32135D8 // MDB_STORE_EID_V2_MAGIC
	StoreV3Magic   uint32 = 0xF43246E9 // MDB_STORE_EID_V3_MAGIC
	StoreV2Version uint32 = 1          // MDB_STORE_EID_V2_VERSION
	StoreV3Version uint32 = 2          // MDB_STORE_EID_V3_VERSION
)

// StoreV2 is the V2 tail of an Exchange store entry ID (MDB_STORE_EID_V2):
// magic, Size, version, OffsetDN and OffsetFQDN (from the tail's start),
// then the server's legacy DN (8-bit) and FQDN (UTF-16LE), then 2 reserved
// bytes. The strings are read in order: a string is present when its
// offset is not zero. Size and the offsets are kept as stored, even where
// they disagree with the bytes (MFCMAPI's anonymised samples do); Check
// reports such disagreements. [NewStoreV2] computes them. The server DN is
// ASCII in practice; sizes are computed for it in Windows-1252.
type StoreV2 struct {
	Size       uint32
	OffsetDN   uint32
	OffsetFQDN uint32
	ServerDN   string
	ServerFQDN string
	Reserved   []byte // the bytes after the last string: normally 2 zero bytes
}

// StoreV3 is the V3 tail (MDB_STORE_EID_V3): magic, Size, version,
// OffsetSMTP, the mailbox's SMTP address (UTF-16LE), 2 reserved bytes.
// As with StoreV2, fields are kept as stored and Check reports
// disagreements; [NewStoreV3] computes them.
type StoreV3 struct {
	Size        uint32
	OffsetSMTP  uint32
	SMTPAddress string
	Reserved    []byte
}

// NewStoreV2 returns the V2 tail Outlook writes for a server DN and FQDN,
// with Size and offsets computed and 2 reserved zero bytes. An empty
// string is left out (offset 0).
func NewStoreV2(serverDN, serverFQDN string) *StoreV2 {
	t := &StoreV2{ServerDN: serverDN, ServerFQDN: serverFQDN, Reserved: []byte{0, 0}}
	n := uint32(storeV2HeaderLen)
	if serverDN != "" {
		t.OffsetDN = n
		n += uint32(max(len8(0, serverDN), 0)) + 1
	}
	if serverFQDN != "" {
		t.OffsetFQDN = n
		n += uint32(2*wire.UTF16Len(serverFQDN)) + 2
	}
	t.Size = n + 2
	return t
}

// NewStoreV3 returns the V3 tail for an SMTP address, with Size and offset
// computed and 2 reserved zero bytes.
func NewStoreV3(smtp string) *StoreV3 {
	t := &StoreV3{SMTPAddress: smtp, Reserved: []byte{0, 0}}
	n := uint32(storeV3HeaderLen)
	if smtp != "" {
		t.OffsetSMTP = n
		n += uint32(2*wire.UTF16Len(smtp)) + 2
	}
	t.Size = n + 2
	return t
}

const (
	storeV2HeaderLen = 20
	storeV3HeaderLen = 16
)

// ParseExchangeStore decodes an Exchange store entry ID, wrapped (by
// MUIDSTOREWRAP, any DLL name) or unwrapped, reading the 8-bit strings as
// Windows-1252. The result holds the unwrapped fields; use [ParseStore]
// to keep the wrapper.
func ParseExchangeStore(b mapispi.EntryID) (ExchangeStore, error) { return parseExchangeStore(b, 0) }

func parseExchangeStore(b []byte, cp codepage.ID) (ExchangeStore, error) {
	base := 0
	if len(b) >= headerLen && mapispi.UID(b[4:20]) == StoreWrapUID {
		inner, err := UnwrapView(b)
		if err != nil {
			return ExchangeStore{}, err
		}
		base = len(b) - len(inner)
		b = inner
	}
	e, err := decodeExchangeStore(b, cp)
	if err != nil {
		err.Offset += base
		return ExchangeStore{}, err
	}
	return e, nil
}

// exchangeScan is an Exchange store ID read without allocating: the
// strings alias the input.
type exchangeScan struct {
	flags    Flags
	provider mapispi.UID
	typ      OpenStoreFlags
	server   []byte
	dn       []byte
	dnOff    int    // the mailbox DN's offset, if there is one
	tail     uint32 // StoreV2Magic, StoreV3Magic or 0
	tailOff  int    // the tail's offset, if there is one
	t        tailScan
	trailing []byte
}

// tailScan is a V2 or V3 tail read without allocating. For V2, off1 and
// s1 are the server DN's offset and bytes, off2 and s2 the FQDN's
// (UTF-16LE); for V3, off1 and s1 are the SMTP address's (UTF-16LE).
type tailScan struct {
	size, off1, off2 uint32
	s1, s2, reserved []byte
}

// decodeExchangeStore decodes an unwrapped Exchange store ID.
func decodeExchangeStore(b []byte, cp codepage.ID) (ExchangeStore, *ParseError) {
	var x exchangeScan
	if err := x.scan(b); err != nil {
		return ExchangeStore{}, err
	}
	e := ExchangeStore{Flags: x.flags, Provider: x.provider, Type: x.typ, CodePage: cp, Trailing: clone(x.trailing)}
	var err *ParseError
	if e.Server, err = decode8(KindExchangeStore, cp, x.server, 24, "server name"); err != nil {
		return ExchangeStore{}, err
	}
	if e.MailboxDN, err = decode8(KindExchangeStore, cp, x.dn, x.dnOff, "mailbox DN"); err != nil {
		return ExchangeStore{}, err
	}
	switch t := &x.t; x.tail {
	case StoreV2Magic:
		dn, err := decode8(KindExchangeStore, cp, t.s1, x.tailOff+storeV2HeaderLen, "V2 server DN")
		if err != nil {
			return ExchangeStore{}, err
		}
		e.V2 = &StoreV2{Size: t.size, OffsetDN: t.off1, OffsetFQDN: t.off2,
			ServerDN: dn, ServerFQDN: wire.DecodeUTF16(t.s2), Reserved: clone(t.reserved)}
	case StoreV3Magic:
		e.V3 = &StoreV3{Size: t.size, OffsetSMTP: t.off1, SMTPAddress: wire.DecodeUTF16(t.s1), Reserved: clone(t.reserved)}
	}
	return e, nil
}

// scan reads an unwrapped Exchange store ID; it allocates only to report
// an error. It is written straight rather than with the reader because
// Equal, Compare and Key run it on every store ID they meet.
func (x *exchangeScan) scan(b []byte) *ParseError {
	if len(b) < headerLen {
		return tooShort(KindExchangeStore, b)
	}
	if k := knownUID(b); k != kStorePrivate && k != kStorePublic {
		return parseErr(KindExchangeStore, 4, "provider UID is neither g_muidStorePrivate nor g_muidStorePublic")
	}
	if len(b) < 24 {
		return parseErr(KindExchangeStore, len(b), "entry ID ends inside WrappedType")
	}
	x.flags, x.provider, x.typ = flagsOf(b), mapispi.UID(b[4:20]), OpenStoreFlags(binary.LittleEndian.Uint32(b[20:]))
	var err *ParseError
	if x.server, err = cstrAt(KindExchangeStore, b, 24, "server name"); err != nil {
		return err
	}
	return x.scanRest(b, 24+len(x.server)+1)
}

// scanRest reads what follows the server name, from p: the mailbox DN
// (which a public store ID may leave out), then a V2 or V3 tail or
// trailing bytes. It needs only x.typ: Equal runs it alone on the bytes
// two store IDs share.
//
// Its strings are read inline, with the helpers only for errors: Equal
// spends most of its time on store IDs here.
func (x *exchangeScan) scanRest(b []byte, p int) *ParseError {
	switch public := x.typ&OpenStorePublic != 0; {
	case public && (p == len(b) || b[p] == 0 || tailMagic(b[p:]) != 0):
		// No DN: a tail, trailing bytes (which a NUL starts) or nothing.
	case p == len(b):
		return parseErr(KindExchangeStore, p, "mailbox store entry ID has no mailbox DN")
	default:
		n := indexNUL8(b[p:])
		if n < 0 {
			return noNUL(KindExchangeStore, p, "mailbox DN")
		}
		x.dn, x.dnOff = b[p:p+n:p+n], p
		p += n + 1
	}
	if p == len(b) {
		return nil
	}
	x.tailOff = p
	x.tail = tailMagic(b[p:])
	switch x.tail {
	case StoreV2Magic:
		return x.t.scanV2(b, p)
	case StoreV3Magic:
		return x.t.scanV3(b, p)
	}
	x.trailing = b[p:len(b):len(b)]
	return nil
}

func tailMagic(b []byte) uint32 {
	if len(b) < 4 {
		return 0
	}
	switch m := binary.LittleEndian.Uint32(b); m {
	case StoreV2Magic, StoreV3Magic:
		return m
	}
	return 0
}

// tailHeader checks the header fields of a V2 or V3 tail at start: n
// fields after the magic, named in names, the second the version.
func tailHeader(b []byte, start, n int, names *[4]string, version uint32) *ParseError {
	if len(b) >= start+4+4*n {
		if v := binary.LittleEndian.Uint32(b[start+8:]); v != version {
			return parseErr(KindExchangeStore, start+8, "unknown "+names[0][:2]+" tail version "+strconv.Itoa(int(v)))
		}
		return nil
	}
	// Cut short: name the field it ends in, or the version if that came
	// first and is wrong.
	for i := range n {
		if len(b) < start+4*(i+2) {
			return parseErr(KindExchangeStore, len(b), "entry ID ends inside "+names[i])
		}
		if i == 1 {
			if v := binary.LittleEndian.Uint32(b[start+8:]); v != version {
				return parseErr(KindExchangeStore, start+8, "unknown "+names[0][:2]+" tail version "+strconv.Itoa(int(v)))
			}
		}
	}
	return nil
}

var (
	v2Fields = [4]string{"V2 size", "V2 version", "V2 DN offset", "V2 FQDN offset"}
	v3Fields = [4]string{"V3 size", "V3 version", "V3 SMTP offset"}
)

func (t *tailScan) scanV2(b []byte, start int) *ParseError {
	if err := tailHeader(b, start, 4, &v2Fields, StoreV2Version); err != nil {
		return err
	}
	t.size = binary.LittleEndian.Uint32(b[start+4:])
	t.off1 = binary.LittleEndian.Uint32(b[start+12:])
	t.off2 = binary.LittleEndian.Uint32(b[start+16:])
	p := start + storeV2HeaderLen
	var err *ParseError
	if t.off1 != 0 {
		if t.s1, err = cstrAt(KindExchangeStore, b, p, "V2 server DN"); err != nil {
			return err
		}
		p += len(t.s1) + 1
	}
	if t.off2 != 0 {
		if t.s2, err = wstrAt(KindExchangeStore, b, p, "V2 server FQDN"); err != nil {
			return err
		}
		p += len(t.s2) + 2
	}
	t.reserved = b[p:len(b):len(b)]
	return nil
}

func (t *tailScan) scanV3(b []byte, start int) *ParseError {
	p := start + storeV3HeaderLen
	if len(b) < p || binary.LittleEndian.Uint32(b[start+8:]) != StoreV3Version {
		return tailHeader(b, start, 3, &v3Fields, StoreV3Version)
	}
	t.size = binary.LittleEndian.Uint32(b[start+4:])
	t.off1 = binary.LittleEndian.Uint32(b[start+12:])
	if t.off1 != 0 {
		n, bad := scanUTF16(b[p:])
		if n < 0 || bad >= 0 {
			return badUTF16(KindExchangeStore, b, p, "V3 SMTP address")
		}
		t.s1 = b[p : p+n : p+n]
		p += n + 2
	}
	t.reserved = b[p:len(b):len(b)]
	return nil
}

// Kind returns KindExchangeStore.
func (ExchangeStore) Kind() Kind { return KindExchangeStore }

// AppendBinary appends the unwrapped Exchange store entry ID, with the
// 8-bit strings in code page CodePage; wrap it with
// [WrapStore]("EMSMDB.DLL", ...) or use [ExchangeStore.Wrapped]. Field
// values Parse would read back otherwise are an error: Trailing bytes
// beside a V2 or V3 tail or starting with its magic, or after a public
// store's server name without a NUL first.
func (e ExchangeStore) AppendBinary(b []byte) ([]byte, error) {
	public := e.Type&OpenStorePublic != 0
	switch {
	case e.Provider != StorePrivateUID && e.Provider != StorePublicUID:
		return b, encodeErr(KindExchangeStore, nil, "provider UID %v is neither StorePrivateUID nor StorePublicUID", e.Provider)
	case e.V2 != nil && e.V3 != nil:
		return b, encodeErr(KindExchangeStore, nil, "both a V2 and a V3 tail")
	case len(e.Trailing) > 0 && (e.V2 != nil || e.V3 != nil):
		return b, encodeErr(KindExchangeStore, nil, "trailing bytes after a V2 or V3 tail belong in its Reserved field")
	case tailMagic(e.Trailing) != 0:
		return b, encodeErr(KindExchangeStore, nil, "trailing bytes cannot start with the V2 or V3 magic")
	case public && e.MailboxDN == "" && len(e.Trailing) > 0 && e.Trailing[0] != 0:
		return b, encodeErr(KindExchangeStore, nil, "trailing bytes after a public store's server name must start with a NUL")
	case e.V2 != nil && !validWide(e.V2.ServerFQDN):
		return b, encodeErr(KindExchangeStore, nil, "V2 server FQDN is not valid UTF-8 without NUL")
	case e.V3 != nil && !validWide(e.V3.SMTPAddress):
		return b, encodeErr(KindExchangeStore, nil, "V3 SMTP address is not valid UTF-8 without NUL")
	case e.V2 != nil && (e.V2.OffsetDN == 0 && e.V2.ServerDN != "" || e.V2.OffsetFQDN == 0 && e.V2.ServerFQDN != ""):
		return b, encodeErr(KindExchangeStore, nil, "V2 string with a zero offset (use NewStoreV2)")
	case e.V3 != nil && e.V3.OffsetSMTP == 0 && e.V3.SMTPAddress != "":
		return b, encodeErr(KindExchangeStore, nil, "V3 SMTP address with a zero offset (use NewStoreV3)")
	}
	out := e.Flags.append(b)
	out = append(out, e.Provider[:]...)
	out = binary.LittleEndian.AppendUint32(out, uint32(e.Type))
	out, err := appendString8(out, KindExchangeStore, e.CodePage, "server name", e.Server)
	if err != nil {
		return b, err
	}
	if e.MailboxDN != "" || !public {
		at := len(out)
		if out, err = appendString8(out, KindExchangeStore, e.CodePage, "mailbox DN", e.MailboxDN); err != nil {
			return b, err
		}
		if public && tailMagic(out[at:]) != 0 {
			return b, encodeErr(KindExchangeStore, nil, "a public store's mailbox DN cannot start with the V2 or V3 magic bytes")
		}
	}
	if out, err = e.appendTails(out); err != nil {
		return b, err
	}
	return append(out, e.Trailing...), nil
}

// appendTails appends the V2 or V3 tail, if any.
func (e ExchangeStore) appendTails(b []byte) ([]byte, error) {
	if t := e.V2; t != nil {
		b = binary.LittleEndian.AppendUint32(b, StoreV2Magic)
		b = binary.LittleEndian.AppendUint32(b, t.Size)
		b = binary.LittleEndian.AppendUint32(b, StoreV2Version)
		b = binary.LittleEndian.AppendUint32(b, t.OffsetDN)
		b = binary.LittleEndian.AppendUint32(b, t.OffsetFQDN)
		if t.OffsetDN != 0 {
			var err error
			if b, err = appendString8(b, KindExchangeStore, e.CodePage, "V2 server DN", t.ServerDN); err != nil {
				return b, err
			}
		}
		if t.OffsetFQDN != 0 {
			b = append(wire.AppendUTF16(b, t.ServerFQDN), 0, 0)
		}
		b = append(b, t.Reserved...)
	}
	if t := e.V3; t != nil {
		b = binary.LittleEndian.AppendUint32(b, StoreV3Magic)
		b = binary.LittleEndian.AppendUint32(b, t.Size)
		b = binary.LittleEndian.AppendUint32(b, StoreV3Version)
		b = binary.LittleEndian.AppendUint32(b, t.OffsetSMTP)
		if t.OffsetSMTP != 0 {
			b = append(wire.AppendUTF16(b, t.SMTPAddress), 0, 0)
		}
		b = append(b, t.Reserved...)
	}
	return b, nil
}

// MarshalBinary returns AppendBinary(nil).
func (e ExchangeStore) MarshalBinary() ([]byte, error) { return marshal(e) }

// UnmarshalBinary sets e from an unwrapped Exchange store ID, the form
// MarshalBinary returns, reading the 8-bit strings in e.CodePage; e keeps
// no reference to b. Unlike ParseExchangeStore it refuses a wrapped ID,
// whose wrapper e could not give back.
func (e *ExchangeStore) UnmarshalBinary(b []byte) error {
	return unmarshal(e, b, func(b mapispi.EntryID) (ExchangeStore, error) {
		if err := refuseWrap(KindExchangeStore, b); err != nil {
			return ExchangeStore{}, err
		}
		return parseExchangeStore(b, e.CodePage)
	})
}

// refuseWrap fails for a wrapped store ID given where only the provider's
// own ID can be kept.
func refuseWrap(k Kind, b []byte) error {
	if len(b) >= headerLen && mapispi.UID(b[4:20]) == StoreWrapUID {
		return parseErr(k, 4, "a wrapped store ID: unwrap it first, or use ParseStore to keep the wrapper")
	}
	return nil
}

// Wrapped returns the store ID as clients see it: wrapped with the DLL
// name "EMSMDB.DLL", as Outlook writes it.
func (e ExchangeStore) Wrapped() (mapispi.EntryID, error) {
	inner, err := e.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	return WrapStore("EMSMDB.DLL", inner), nil
}

// Check reports the first way the tail's Size or offsets disagree with its
// bytes, or nil. Disagreement is not an error for Parse: MAPI ignores
// these fields and reads the strings in order.
func (t StoreV2) Check() error {
	n := uint32(storeV2HeaderLen)
	if t.ServerDN != "" || t.OffsetDN != 0 {
		if t.OffsetDN != n {
			return tailErr("V2 DN offset", t.OffsetDN, n)
		}
		n += uint32(max(len8(0, t.ServerDN), 0)) + 1
	}
	if t.ServerFQDN != "" || t.OffsetFQDN != 0 {
		if t.OffsetFQDN != n {
			return tailErr("V2 FQDN offset", t.OffsetFQDN, n)
		}
		n += uint32(2*wire.UTF16Len(t.ServerFQDN)) + 2
	}
	n += uint32(len(t.Reserved))
	if t.Size != n {
		return tailErr("V2 size", t.Size, n)
	}
	return nil
}

// Check reports the first way the tail's Size or offset disagrees with its
// bytes, or nil.
func (t StoreV3) Check() error {
	n := uint32(storeV3HeaderLen)
	if t.SMTPAddress != "" || t.OffsetSMTP != 0 {
		if t.OffsetSMTP != n {
			return tailErr("V3 SMTP offset", t.OffsetSMTP, n)
		}
		n += uint32(2*wire.UTF16Len(t.SMTPAddress)) + 2
	}
	n += uint32(len(t.Reserved))
	if t.Size != n {
		return tailErr("V3 size", t.Size, n)
	}
	return nil
}

// tailErr reports a tail field that disagrees with the bytes: an
// *mapispi.Error with MAPI_E_INVALID_ENTRYID, since MAPI itself ignores
// these fields and Parse accepts them.
func tailErr(field string, got, want uint32) error {
	return mapispi.Errorf(mapispi.ErrInvalidEntryID, "entryid", "%s field says %d, the bytes give %d", field, got, want)
}

// String returns the fields on one line, for logs and test failures.
func (e ExchangeStore) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "ExchangeStore{Flags: %v, Provider: %s, Type: %v, Server: %q", e.Flags, uidString(e.Provider), e.Type, e.Server)
	if e.MailboxDN != "" {
		fmt.Fprintf(&s, ", MailboxDN: %q", e.MailboxDN)
	}
	if e.V2 != nil {
		fmt.Fprintf(&s, ", V2: {ServerDN: %q, ServerFQDN: %q}", e.V2.ServerDN, e.V2.ServerFQDN)
	}
	if e.V3 != nil {
		fmt.Fprintf(&s, ", V3: {SMTPAddress: %q}", e.V3.SMTPAddress)
	}
	s.WriteString(codePageString(e.CodePage) + trailingString(e.Trailing) + "}")
	return s.String()
}
