package entryid_test

// Layout tests built from the tables of shared/spec/entryid-formats.md
// sections 1-9: every value type is encoded from its fields and compared
// with bytes written out by hand from the spec's offsets, then decoded back.

import (
	"bytes"
	"encoding"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Raw bytes of the well-known UIDs (spec section 1.1), and a few
// arbitrary ones.
const (
	layWrap   = "38A1BB1005E5101AA1BB08002B2A56C2" // MUIDSTOREWRAP
	layPriv   = "1B55FA20AA6611CD9BC800AA002FC45A" // g_muidStorePrivate
	layPub    = "1C830210AA6611CD9BC800AA002FC45A" // g_muidStorePublic
	layPF     = "1A447390AA6611CD9BC800AA002FC45A" // pbLongTermNonPrivateGuid
	layEMSAB  = "DCA740C8C042101AB4B908002B2FE182" // MUIDEMSAB
	layOOP    = "812B1FA4BEA310199D6E00DD010F5402" // MAPI_ONE_OFF_UID
	layContab = "FE42AA0A18C71A10E8850B651C240000" // muidContabDLL
	layWAB    = "C091ADD3519DCF11A4A900AA0047FAA4" // WAB_GUID
	layMSPST  = "4E495441F9BFB80100AA0037D96E0000" // MSPST_UID_PROVIDER

	layMbx  = "96614EC66601D211A3B10008C728E7F1" // a mailbox GUID
	layDB   = "85FA5C86FCE6D111A3A60008C728E7F1" // a database GUID
	layDB2  = "790431D57047B94A8B692E587C735EEE" // another database GUID
	layRec  = "0FC47A51C32F264AAA1CD7F2BA4F1D7A" // a PST record key
	layAnon = "00112233445566778899AABBCCDDEEFF" // a UID no layout knows
)

// layHex decodes hex digits, ignoring spaces; test tables only.
func layHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic("bad test hex " + s + ": " + err.Error())
	}
	return b
}

func layUID(s string) mapispi.UID { return mapispi.UID(layHex(s)) }

// layA is the hex of an 8-bit string and its NUL.
func layA(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) + "00" }

// layParse adapts a typed Parse function.
func layParse[T entryid.Structure](f func(mapispi.EntryID) (T, error)) func(mapispi.EntryID) (entryid.Structure, error) {
	return func(b mapispi.EntryID) (entryid.Structure, error) {
		v, err := f(b)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}

// layParsers are all the decoders, by name.
var layParsers = []struct {
	name  string
	kind  entryid.Kind
	parse func(mapispi.EntryID) (entryid.Structure, error)
}{
	{"Parse", entryid.KindInvalid, entryid.Parse},
	{"ParseGeneric", entryid.KindGeneric, layParse(entryid.ParseGeneric)},
	{"ParseStore", entryid.KindStore, layParse(entryid.ParseStore)},
	{"ParseExchangeStore", entryid.KindExchangeStore, layParse(entryid.ParseExchangeStore)},
	{"ParsePSTStore", entryid.KindPSTStore, layParse(entryid.ParsePSTStore)},
	{"ParseFolder", entryid.KindFolder, layParse(entryid.ParseFolder)},
	{"ParseMessage", entryid.KindMessage, layParse(entryid.ParseMessage)},
	{"ParsePST", entryid.KindPST, layParse(entryid.ParsePST)},
	{"ParseAddressBook", entryid.KindAddressBook, layParse(entryid.ParseAddressBook)},
	{"ParseEphemeral", entryid.KindEphemeral, layParse(entryid.ParseEphemeral)},
	{"ParseOneOff", entryid.KindOneOff, layParse(entryid.ParseOneOff)},
	{"ParseContact", entryid.KindContact, layParse(entryid.ParseContact)},
	{"ParseContactFolder", entryid.KindContactFolder, layParse(entryid.ParseContactFolder)},
	{"ParseWrapped", entryid.KindWrapped, layParse(entryid.ParseWrapped)},
}

// layParserFor returns the decoder of a layout and its name.
func layParserFor(k entryid.Kind) (string, func(mapispi.EntryID) (entryid.Structure, error)) {
	if k == entryid.KindDistList {
		k = entryid.KindContact
	}
	for _, p := range layParsers[1:] {
		if p.kind == k {
			return p.name, p.parse
		}
	}
	panic("no parser for " + k.String())
}

// checkParseError checks that err is a *ParseError wrapping
// ErrInvalidEntryID with 0 <= Offset <= n and returns it.
func checkParseError(t testing.TB, call string, err error, n int) *entryid.ParseError {
	t.Helper()
	if !errors.Is(err, mapispi.ErrInvalidEntryID) {
		t.Errorf("%s error %v does not wrap mapispi.ErrInvalidEntryID", call, err)
	}
	var pe *entryid.ParseError
	if !errors.As(err, &pe) {
		t.Errorf("%s error %T (%v), want *entryid.ParseError", call, err, err)
		return nil
	}
	if pe.Offset < 0 || pe.Offset > n {
		t.Errorf("%s error offset %d, want 0..%d (%v)", call, pe.Offset, n, err)
	}
	return pe
}

func TestLayoutUIDs(t *testing.T) {
	for _, c := range []struct {
		name string
		got  mapispi.UID
		hex  string
	}{
		{"StoreWrapUID", entryid.StoreWrapUID, layWrap},
		{"StorePrivateUID", entryid.StorePrivateUID, layPriv},
		{"StorePublicUID", entryid.StorePublicUID, layPub},
		{"PublicFolderUID", entryid.PublicFolderUID, layPF},
		{"AddressBookUID", entryid.AddressBookUID, layEMSAB},
		{"OneOffUID", entryid.OneOffUID, layOOP},
		{"ContactsUID", entryid.ContactsUID, layContab},
		{"WABUID", entryid.WABUID, layWAB},
		{"PSTProviderUID", entryid.PSTProviderUID, layMSPST},
	} {
		if c.got != layUID(c.hex) {
			t.Errorf("%s = %X, want %s", c.name, c.got[:], c.hex)
		}
		if entryid.UIDName(c.got) == "" {
			t.Errorf("UIDName(%s) is empty", c.name)
		}
	}
	if n := entryid.UIDName(layUID(layAnon)); n != "" {
		t.Errorf("UIDName(%s) = %q, want \"\"", layAnon, n)
	}
}

// Sample embedded IDs.
var (
	layFolderHex = "00000000" + layMbx + "0100" + layDB + "123456789ABC" + "0000"
	layPSTHex    = "00000000" + layRec + "82800000"
)

// layValid is a value and the bytes the spec says it encodes to.
type layValid struct {
	name string
	v    entryid.Structure
	hex  string
}

func layValidCases() []layValid {
	inner := layHex("00000000" + layPriv + "0C000000" + layA("SRV") + layA("/o=Org/cn=u"))
	dn := "/o=Org/ou=Exchange Administrative Group/cn=Recipients/cn=u"
	cases := []layValid{
		// Section 1: generic ENTRYID.
		{"Generic/data", entryid.Generic{Provider: layUID(layAnon), Data: []byte{0xAB, 0xCD, 0xEF}},
			"00000000" + layAnon + "ABCDEF"},
		{"Generic/empty", entryid.Generic{Provider: layUID(layAnon)},
			"00000000" + layAnon},
		{"Generic/short-term", entryid.Generic{Flags: entryid.ShortTerm | entryid.NotRecip | entryid.Compound, Provider: layUID(layAnon), Data: []byte{1}},
			"C0800000" + layAnon + "01"},

		// Section 2: the wrap. "EMSMDB.DLL" + NUL is 11 bytes: 22+11 = 33,
		// padded to 36.
		{"Store/EMSMDB.DLL", entryid.Store{DLL: "EMSMDB.DLL", Inner: inner},
			"00000000" + layWrap + "00" + "00" + "454D534D44422E444C4C00" + "000000" + hex.EncodeToString(inner)},
		// "mspst.dll" + NUL is 10 bytes: 22+10 = 32, no pad.
		{"Store/mspst.dll", entryid.Store{DLL: "mspst.dll", Inner: []byte{1, 2, 3, 4}},
			"00000000" + layWrap + "0000" + "6D737073742E646C6C00" + "01020304"},
		{"Store/emsmdb.dll", entryid.Store{DLL: "emsmdb.dll", Inner: []byte{9}},
			"00000000" + layWrap + "0000" + "656D736D64622E646C6C00" + "000000" + "09"},
		{"Store/empty DLL", entryid.Store{Inner: []byte{9}},
			"00000000" + layWrap + "0000" + "00" + "00" + "09"},
		{"Store/short-term", entryid.Store{Flags: entryid.ShortTerm, DLL: "a", Inner: []byte{9}},
			"80000000" + layWrap + "0000" + "6100" + "09"},
		{"Store/flag 1", entryid.Store{Flag: entryid.StoreFlagUnopened, Provider: layUID(layAnon), Inner: []byte{0xCA, 0xFE}},
			"00000000" + layWrap + "00" + "01" + layAnon + "CAFE"},
		{"Store/flag 1 without rest", entryid.Store{Flag: entryid.StoreFlagUnopened, Provider: layUID(layAnon)},
			"00000000" + layWrap + "0001" + layAnon},

		// Section 2.1: Exchange store, unwrapped (from offset 36 of the wrap).
		{"ExchangeStore/private with DN", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV", MailboxDN: dn},
			"00000000" + layPriv + "0C000000" + "53525600" + layA(dn)},
		{"ExchangeStore/private empty DN", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV"},
			"00000000" + layPriv + "0C000000" + "53525600" + "00"},
		{"ExchangeStore/private type 0x08", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.OpenStoreTakeOwnership, Server: "SRV", MailboxDN: "/o"},
			"00000000" + layPriv + "08000000" + "53525600" + "2F6F00"},
		{"ExchangeStore/public without DN", entryid.ExchangeStore{Provider: entryid.StorePublicUID, Type: entryid.PublicStoreType, Server: "SRV"},
			"00000000" + layPub + "06000000" + "53525600"},
		{"ExchangeStore/public with DN", entryid.ExchangeStore{Provider: entryid.StorePublicUID, Type: entryid.PublicStoreType, Server: "SRV", MailboxDN: "/o"},
			"00000000" + layPub + "06000000" + "53525600" + "2F6F00"},
		{"ExchangeStore/short-term", entryid.ExchangeStore{Flags: entryid.ShortTerm, Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "", MailboxDN: "/o"},
			"80000000" + layPriv + "0C000000" + "00" + "2F6F00"},
		// Section 2.2: V2 tail, NewStoreV2("/cn=S", "s.ex"): header 20,
		// DN 6 bytes at 20, FQDN 10 bytes at 26 (0x1A), 2 reserved: 38 (0x26).
		{"ExchangeStore/private V2", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV", MailboxDN: "/o", V2: entryid.NewStoreV2("/cn=S", "s.ex")},
			"00000000" + layPriv + "0C000000" + "53525600" + "2F6F00" +
				"D83521F3" + "26000000" + "01000000" + "14000000" + "1A000000" + "2F636E3D5300" + "73002E00650078000000" + "0000"},
		{"ExchangeStore/public V2 without DN", entryid.ExchangeStore{Provider: entryid.StorePublicUID, Type: entryid.PublicStoreType, Server: "SRV", V2: entryid.NewStoreV2("/cn=S", "s.ex")},
			"00000000" + layPub + "06000000" + "53525600" +
				"D83521F3" + "26000000" + "01000000" + "14000000" + "1A000000" + "2F636E3D5300" + "73002E00650078000000" + "0000"},
		// NewStoreV2 with no FQDN: OffsetFQDN 0, size 20+6+2 = 28 (0x1C).
		{"ExchangeStore/V2 DN only", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV", MailboxDN: "/o", V2: entryid.NewStoreV2("/cn=S", "")},
			"00000000" + layPriv + "0C000000" + "53525600" + "2F6F00" +
				"D83521F3" + "1C000000" + "01000000" + "14000000" + "00000000" + "2F636E3D5300" + "0000"},
		// V3 tail, NewStoreV3("a@b.c"): header 16, SMTP 12 bytes at 16
		// (0x10), 2 reserved: 30 (0x1E).
		{"ExchangeStore/private V3", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV", MailboxDN: "/o", V3: entryid.NewStoreV3("a@b.c")},
			"00000000" + layPriv + "0C000000" + "53525600" + "2F6F00" +
				"E94632F4" + "1E000000" + "02000000" + "10000000" + "6100400062002E0063000000" + "0000"},
		{"ExchangeStore/public V3 without DN", entryid.ExchangeStore{Provider: entryid.StorePublicUID, Type: entryid.PublicStoreType, Server: "SRV", V3: entryid.NewStoreV3("a@b.c")},
			"00000000" + layPub + "06000000" + "53525600" +
				"E94632F4" + "1E000000" + "02000000" + "10000000" + "6100400062002E0063000000" + "0000"},
		{"ExchangeStore/V3 empty", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV", MailboxDN: "/o", V3: entryid.NewStoreV3("")},
			"00000000" + layPriv + "0C000000" + "53525600" + "2F6F00" +
				"E94632F4" + "12000000" + "02000000" + "00000000" + "0000"},

		// Section 2.3: PST store, unwrapped.
		{"PSTStore/ANSI only", entryid.PSTStore{ANSIPath: `C:\a.pst`},
			"00000000" + layMSPST + "00" + "433A5C612E70737400"},
		{"PSTStore/empty ANSI and Unicode", entryid.PSTStore{UnicodePath: `C:\ü.pst`},
			"00000000" + layMSPST + "00" + "00" + "43003A005C00FC002E007000730074000000"},
		{"PSTStore/both paths", entryid.PSTStore{ANSIPath: "x", UnicodePath: "y"},
			"00000000" + layMSPST + "00" + "7800" + "79000000"},
		{"PSTStore/no path", entryid.PSTStore{},
			"00000000" + layMSPST + "00" + "00"},
		{"PSTStore/reserved and flags", entryid.PSTStore{Flags: entryid.ShortTerm, Reserved: 7, ANSIPath: "x"},
			"80000000" + layMSPST + "07" + "7800"},
		{"PSTStore/ANSI Windows-1252", entryid.PSTStore{ANSIPath: "é€.pst"},
			"00000000" + layMSPST + "00" + "E9802E70737400"},
		{"PSTStore/ANSI Windows-1251", entryid.PSTStore{ANSIPath: "Ж.pst", CodePage: codepage.Windows1251},
			"00000000" + layMSPST + "00" + "C62E70737400"},
		{"PSTStore/Unicode path and trailing bytes", entryid.PSTStore{UnicodePath: "x", Trailing: []byte{0xAB}},
			"00000000" + layMSPST + "00" + "00" + "78000000" + "AB"},
		{"PSTStore/ANSI path and trailing NUL", entryid.PSTStore{ANSIPath: "x", Trailing: []byte{0}},
			"00000000" + layMSPST + "00" + "7800" + "00"},
		{"PSTStore/ANSI path and trailing bytes that are no Unicode path", entryid.PSTStore{ANSIPath: "x", Trailing: []byte{0x41, 0}},
			"00000000" + layMSPST + "00" + "7800" + "4100"},
	}

	// Section 3.2: Folder EntryID, all four folder types; counter big-endian.
	for _, c := range []struct {
		t   entryid.LongTermType
		hex string
	}{
		{entryid.PrivateFolder, "0100"},
		{entryid.PublicFolder, "0300"},
		{entryid.MappedPublicFolder, "0500"},
		{entryid.PublicNewsgroupFolder, "0C00"},
	} {
		cases = append(cases, layValid{"Folder/" + c.t.String(),
			entryid.Folder{Provider: layUID(layMbx), Type: c.t, ID: entryid.LongTermID{Database: layUID(layDB), Counter: 0x123456789ABC}},
			"00000000" + layMbx + c.hex + layDB + "123456789ABC" + "0000"})
	}
	cases = append(cases,
		layValid{"Folder/max counter and pad", entryid.Folder{Flags: entryid.ShortTerm, Provider: layUID(layPF), Type: entryid.PublicFolder, ID: entryid.LongTermID{Database: layUID(layDB), Counter: entryid.MaxCounter, Pad: 0x0201}},
			"80000000" + layPF + "0300" + layDB + "FFFFFFFFFFFF" + "0102"},
		layValid{"Folder/counter 1", entryid.Folder{Provider: layUID(layMbx), Type: entryid.PrivateFolder, ID: entryid.LongTermID{Database: layUID(layDB), Counter: 1}},
			"00000000" + layMbx + "0100" + layDB + "000000000001" + "0000"},
	)

	// Section 3.3: Message EntryID, all three message types.
	for _, c := range []struct {
		t   entryid.LongTermType
		hex string
	}{
		{entryid.PrivateMessage, "0700"},
		{entryid.PublicMessage, "0900"},
		{entryid.MappedPublicMessage, "0B00"},
	} {
		cases = append(cases, layValid{"Message/" + c.t.String(),
			entryid.Message{Provider: layUID(layMbx), Type: c.t,
				Folder: entryid.LongTermID{Database: layUID(layDB), Counter: 0x0000019EBA},
				ID:     entryid.LongTermID{Database: layUID(layDB2), Counter: 0xA1B2C3D4E5F6}},
			"00000000" + layMbx + c.hex + layDB + "000000019EBA" + "0000" + layDB2 + "A1B2C3D4E5F6" + "0000"})
	}
	cases = append(cases, layValid{"Message/pads",
		entryid.Message{Provider: layUID(layPF), Type: entryid.PublicMessage,
			Folder: entryid.LongTermID{Database: layUID(layDB), Counter: 2, Pad: 0xFFFE},
			ID:     entryid.LongTermID{Database: layUID(layDB2), Counter: 3, Pad: 1}},
		"00000000" + layPF + "0900" + layDB + "000000000002" + "FEFF" + layDB2 + "000000000003" + "0100"})

	cases = append(cases,
		// Section 4: MS-PST entry ID; NID little-endian at 20.
		layValid{"PST/folder", entryid.PST{Store: layUID(layRec), NID: entryid.NewNID(entryid.NIDTypeNormalFolder, 0x404)},
			"00000000" + layRec + "82800000"},
		layValid{"PST/message", entryid.PST{Store: layUID(layRec), NID: entryid.NewNID(entryid.NIDTypeNormalMessage, 0x10002)},
			"00000000" + layRec + "44002000"},
		layValid{"PST/flags", entryid.PST{Flags: entryid.ShortTerm, Store: layUID(layRec), NID: 0x21},
			"80000000" + layRec + "21000000"},

		// Section 6.1: address book.
		layValid{"AddressBook/mail user", entryid.AddressBook{Type: entryid.DTMailUser, DN: "/o=Org/cn=u"},
			"00000000" + layEMSAB + "01000000" + "00000000" + layA("/o=Org/cn=u")},
		layValid{"AddressBook/GAL root", entryid.AddressBook{Type: entryid.DTContainer, DN: "/"},
			"00000000" + layEMSAB + "01000000" + "00010000" + "2F00"},
		layValid{"AddressBook/empty DN", entryid.AddressBook{Flags: entryid.ShortTerm, Type: entryid.DTDistList},
			"80000000" + layEMSAB + "01000000" + "01000000" + "00"},

		// Section 6.3: NSPI ephemeral, 32 bytes.
		layValid{"Ephemeral/mail user", entryid.Ephemeral{Flags: entryid.EphemeralFlags, Server: layUID(layAnon), Version: 1, DisplayType: entryid.DTMailUser, MID: 0xBB22},
			"87000000" + layAnon + "01000000" + "00000000" + "22BB0000"},
		layValid{"Ephemeral/other flag bytes", entryid.Ephemeral{Flags: entryid.EphemeralFlags | entryid.Compound, Server: layUID(layOOP), Version: 1, DisplayType: entryid.DTDistList, MID: 0x002DF1BE},
			"87800000" + layOOP + "01000000" + "01000000" + "BEF12D00"},
	)

	// Section 5: one-off, every flag bit; flag word little-endian at 22.
	for _, c := range []struct {
		name string
		f    entryid.OneOffFlags
		hex  string
	}{
		{"none", 0, "0000"},
		{"NoRichInfo", entryid.OneOffNoRichInfo, "0100"},
		{"NoLookup", entryid.OneOffNoLookup, "0010"},
		{"NoLookup|NoRichInfo", entryid.OneOffNoLookup | entryid.OneOffNoRichInfo, "0110"},
		{"TextOnly", entryid.OneOffTextOnly, "0600"},
		{"HTMLOnly", entryid.OneOffHTMLOnly, "0E00"},
		{"TextAndHTML", entryid.OneOffTextAndHTML, "1600"},
		{"UUEncode", entryid.OneOffUUEncode, "2000"},
		{"AppleSingle", entryid.OneOffAppleSingle, "4000"},
		{"AppleDouble", entryid.OneOffAppleDouble, "6000"},
		{"reserved bits", 0x6F80, "806F"},
	} {
		cases = append(cases, layValid{"OneOff/ANSI " + c.name,
			entryid.OneOff{Options: c.f, DisplayName: "Al", AddressType: "SMTP", Address: "a@b.c"},
			"00000000" + layOOP + "0000" + c.hex + "416C00" + "534D545000" + "6140622E6300"})
		cases = append(cases, layValid{"OneOff/Unicode " + c.name,
			entryid.OneOff{Options: c.f | entryid.OneOffUnicode, DisplayName: "Al", AddressType: "SMTP", Address: "a@b.c"},
			"00000000" + layOOP + "0000" + c.hex[:2] + layHexOr(c.hex[2:], "80") + "41006C000000" + "53004D00540050000000" + "6100400062002E0063000000"})
	}
	cases = append(cases,
		layValid{"OneOff/empty name", entryid.OneOff{Options: entryid.OneOffNoRichInfo, AddressType: "EX", Address: "/o=x"},
			"00000000" + layOOP + "0000" + "0100" + "00" + "455800" + "2F6F3D7800"},
		layValid{"OneOff/Unicode all empty", entryid.OneOff{Options: entryid.OneOffUnicode},
			"00000000" + layOOP + "0000" + "0080" + "0000" + "0000" + "0000"},
		layValid{"OneOff/Unicode surrogate pair", entryid.NewOneOff("\U0001F600é", "SMTP", "x"),
			"00000000" + layOOP + "0000" + "0180" + "3DD800DEE9000000" + "53004D00540050000000" + "78000000"},
		layValid{"OneOff/ANSI Windows-1252", entryid.OneOff{DisplayName: "Zoë ÿ", AddressType: "SMTP", Address: "x"},
			"00000000" + layOOP + "0000" + "0000" + "5A6FEB20FF00" + "534D545000" + "7800"},
		layValid{"OneOff/ANSI Windows-1251", entryid.OneOff{DisplayName: "Жанна", AddressType: "SMTP", Address: "x", CodePage: codepage.Windows1251},
			"00000000" + layOOP + "0000" + "0000" + "C6E0EDEDE000" + "534D545000" + "7800"},
		layValid{"OneOff/ANSI trailing byte", entryid.OneOff{Trailing: []byte{0xFF}},
			"00000000" + layOOP + "0000" + "0000" + "00" + "00" + "00" + "FF"},
		layValid{"OneOff/Unicode trailing byte", entryid.OneOff{Options: entryid.OneOffUnicode, Trailing: []byte{0}},
			"00000000" + layOOP + "0000" + "0080" + "0000" + "0000" + "0000" + "00"},
		layValid{"AddressBook/extra NUL after the DN", entryid.AddressBook{Type: entryid.DTMailUser, DN: "/o=x", Trailing: []byte{0}},
			"00000000" + layEMSAB + "01000000" + "00000000" + "2F6F3D7800" + "00"},
		layValid{"AddressBook/trailing bytes", entryid.AddressBook{Type: entryid.DTContainer, DN: "/", Trailing: []byte{0xAA, 0xBB}},
			"00000000" + layEMSAB + "01000000" + "00010000" + "2F00" + "AABB"},
		layValid{"ExchangeStore/public, trailing NUL", entryid.ExchangeStore{Provider: entryid.StorePublicUID, Type: entryid.PublicStoreType, Server: "SRV", Trailing: []byte{0}},
			"00000000" + layPub + "06000000" + "53525600" + "00"},
		layValid{"ExchangeStore/trailing bytes after the DN", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "SRV", MailboxDN: "/o", Trailing: []byte{1, 2, 3, 4}},
			"00000000" + layPriv + "0C000000" + "53525600" + "2F6F00" + "01020304"},
		layValid{"OneOff/flags", entryid.OneOff{Flags: entryid.ShortTerm, Options: entryid.OneOffUnicode, DisplayName: "", AddressType: "", Address: ""},
			"80000000" + layOOP + "0000" + "0080" + "000000000000"},
	)

	cases = append(cases,
		// Section 6.2: contact and distribution list.
		layValid{"Contact/user with 3-byte tail", entryid.Contact{Type: entryid.ContabUser, Index: entryid.Email1, EntryID: layHex(layPSTHex), Trailing: []byte{0, 0, 0}},
			"00000000" + layContab + "03000000" + "04000000" + "00000000" + "18000000" + layPSTHex + "000000"},
		layValid{"Contact/user Fax2 tail 1B0300", entryid.Contact{Type: entryid.ContabUser, Index: entryid.Fax2, EntryID: layHex(layFolderHex), Trailing: []byte{0x1B, 0x03, 0x00}},
			"00000000" + layContab + "03000000" + "04000000" + "04000000" + "2E000000" + layFolderHex + "1B0300"},
		layValid{"Contact/user no tail", entryid.Contact{Type: entryid.ContabUser, Index: entryid.Email3, EntryID: []byte{1, 2}},
			"00000000" + layContab + "03000000" + "04000000" + "02000000" + "02000000" + "0102"},
		layValid{"Contact/distlist", entryid.Contact{Type: entryid.ContabDistList, Index: entryid.DistListAll, EntryID: layHex(layPSTHex)},
			"00000000" + layContab + "03000000" + "05000000" + "FF000000" + "18000000" + layPSTHex},
		layValid{"Contact/empty entry ID", entryid.Contact{Flags: entryid.ShortTerm, Type: entryid.ContabUser, Index: entryid.Fax3},
			"80000000" + layContab + "03000000" + "04000000" + "05000000" + "00000000"},
		layValid{"ContactFolder/container", entryid.ContactFolder{Type: entryid.ContabContainer, Logon: layUID(layAnon), EntryID: layHex(layFolderHex)},
			"00000000" + layContab + "03000000" + "03000000" + layAnon + layFolderHex},
		layValid{"ContactFolder/root", entryid.ContactFolder{Type: entryid.ContabRoot, Logon: layUID(layAnon)},
			"00000000" + layContab + "03000000" + "01000000" + layAnon},
		layValid{"ContactFolder/subroot", entryid.ContactFolder{Type: entryid.ContabSubroot, Logon: layUID(layDB), EntryID: []byte{7}},
			"00000000" + layContab + "03000000" + "02000000" + layDB + "07"},

		// Section 6.4: WrappedEntryId.
		layValid{"Wrapped/contact", entryid.Wrapped{Type: entryid.WrappedOutlook | 0x40 | entryid.WrappedContact, EntryID: layHex(layFolderHex)},
			"00000000" + layWAB + "C3" + layFolderHex},
		layValid{"Wrapped/GAL user", entryid.Wrapped{Type: 0xB5, EntryID: layHex("00000000" + layEMSAB + "01000000" + "00000000" + "2F00")},
			"00000000" + layWAB + "B5" + "00000000" + layEMSAB + "01000000" + "00000000" + "2F00"},
		layValid{"Wrapped/one-off", entryid.Wrapped{Type: entryid.WrappedOneOff, EntryID: []byte{0xAA}},
			"00000000" + layWAB + "00" + "AA"},
		layValid{"Wrapped/empty", entryid.Wrapped{Flags: entryid.ShortTerm, Type: 0xB6},
			"80000000" + layWAB + "B6"},
	)
	return cases
}

// layHexOr ORs two 1-byte hex strings.
func layHexOr(a, b string) string {
	x, y := layHex(a), layHex(b)
	return strings.ToUpper(hex.EncodeToString([]byte{x[0] | y[0]}))
}

func TestLayoutValid(t *testing.T) {
	prefix := []byte{0xAA, 0xBB}
	for _, c := range layValidCases() {
		t.Run(c.name, func(t *testing.T) {
			want := layHex(c.hex)
			got, err := c.v.AppendBinary(bytes.Clone(prefix))
			if err != nil {
				t.Fatalf("%v.AppendBinary: %v", c.v, err)
			}
			if !bytes.Equal(got[:len(prefix)], prefix) || !bytes.Equal(got[len(prefix):], want) {
				t.Fatalf("%v.AppendBinary(%X) =\n%X\nwant\n%X%X", c.v, prefix, got, prefix, want)
			}
			m, err := c.v.(encoding.BinaryMarshaler).MarshalBinary()
			if err != nil || !bytes.Equal(m, want) {
				t.Errorf("%v.MarshalBinary() = %X, %v, want %X", c.v, m, err, want)
			}
			if k := entryid.Identify(want); k != c.v.Kind() {
				t.Errorf("Identify(%X) = %v, want %v", want, k, c.v.Kind())
			}

			// A value with a code page is read with it.
			cp := layCodePage(c.v)
			name, parse := layParserFor(c.v.Kind())
			if cp != 0 {
				name, parse = "Options.Parse", entryid.Options{CodePage: cp}.Parse
			}
			back, err := parse(want)
			if err != nil {
				t.Fatalf("%s(%X): %v", name, want, err)
			}
			if !reflect.DeepEqual(back, c.v) {
				t.Errorf("%s(%X) = %v, want %v", name, want, back, c.v)
			}
			// Parse shares no memory with its input.
			in0 := bytes.Clone(want)
			back, err = entryid.Options{CodePage: cp}.Parse(in0)
			if err != nil {
				t.Fatalf("Parse(%X): %v", want, err)
			}
			for i := range in0 {
				in0[i] ^= 0xFF
			}
			if !reflect.DeepEqual(back, c.v) {
				t.Errorf("Parse(%X) = %v, want %v (after changing the input)", want, back, c.v)
			}
			if back.Kind() != entryid.Identify(want) {
				t.Errorf("Parse(%X).Kind() = %v, Identify = %v", want, back.Kind(), entryid.Identify(want))
			}
			if back.String() == "" {
				t.Errorf("Parse(%X).String() is empty", want)
			}

			// UnmarshalBinary keeps no reference to its input.
			ptr := reflect.New(reflect.TypeOf(c.v))
			if cp != 0 {
				ptr.Elem().FieldByName("CodePage").Set(reflect.ValueOf(cp))
			}
			in := bytes.Clone(want)
			if err := ptr.Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(in); err != nil {
				t.Fatalf("UnmarshalBinary(%X): %v", want, err)
			}
			for i := range in {
				in[i] ^= 0xFF
			}
			if got := ptr.Elem().Interface(); !reflect.DeepEqual(got, c.v) {
				t.Errorf("UnmarshalBinary(%X) then changing the input = %v, want %v", want, got, c.v)
			}
		})
	}
}

// layCodePage returns the CodePage field of a value, or 0.
func layCodePage(v entryid.Structure) codepage.ID {
	f := reflect.ValueOf(v).FieldByName("CodePage")
	if !f.IsValid() {
		return 0
	}
	return f.Interface().(codepage.ID)
}

// layInvalid is input a decoder must reject, with the offset of the
// failure.
type layInvalid struct {
	name string
	kind entryid.Kind // the decoder to use
	hex  string
	off  int // the expected ParseError.Offset
}

func layInvalidCases() []layInvalid {
	ems := "454D534D44422E444C4C00"                        // "EMSMDB.DLL" NUL, 22..32
	exch := "00000000" + layPriv + "0C000000" + "53525600" // up to the mailbox DN at 28
	return []layInvalid{
		{"Generic/nil", entryid.KindGeneric, "", 0},
		{"Generic/3 bytes", entryid.KindGeneric, "000000", 3},
		{"Generic/19 bytes", entryid.KindGeneric, "00000000" + layAnon[:30], 19},

		{"Store/wrong UID", entryid.KindStore, "00000000" + layAnon + "0000" + ems + "000000" + "01", 4},
		{"Store/ends before version", entryid.KindStore, "00000000" + layWrap, 20},
		{"Store/ends before flag", entryid.KindStore, "00000000" + layWrap + "00", 21},
		{"Store/version 1", entryid.KindStore, "00000000" + layWrap + "01" + "00" + ems + "000000" + "01", 20},
		{"Store/unknown flag 2", entryid.KindStore, "00000000" + layWrap + "00" + "02" + ems + "000000" + "01", 21},
		{"Store/DLL without NUL", entryid.KindStore, "00000000" + layWrap + "0000" + "454D534D44422E444C4C", 22},
		{"Store/non-zero padding", entryid.KindStore, "00000000" + layWrap + "0000" + ems + "000100" + "01", 34},
		{"Store/ends inside padding", entryid.KindStore, "00000000" + layWrap + "0000" + ems + "0000", 35},
		{"Store/empty inner", entryid.KindStore, "00000000" + layWrap + "0000" + ems + "000000", 36},
		{"Store/empty inner unpadded", entryid.KindStore, "00000000" + layWrap + "0000" + "6D737073742E646C6C00", 32},
		{"Store/flag 1 short GUID", entryid.KindStore, "00000000" + layWrap + "0001" + "0102", 24},

		{"ExchangeStore/wrong UID", entryid.KindExchangeStore, "00000000" + layPF + "0C000000" + "53525600" + "2F6F00", 4},
		{"ExchangeStore/ends inside type", entryid.KindExchangeStore, "00000000" + layPriv + "0C00", 22},
		{"ExchangeStore/server without NUL", entryid.KindExchangeStore, "00000000" + layPriv + "0C000000" + "535256", 24},
		{"ExchangeStore/private without DN", entryid.KindExchangeStore, exch, 28},
		{"ExchangeStore/DN without NUL", entryid.KindExchangeStore, exch + "2F6F", 28},
		{"ExchangeStore/public bytes after server without magic", entryid.KindExchangeStore, "00000000" + layPub + "06000000" + "53525600" + "0102", 28},
		{"ExchangeStore/V2 wrong version", entryid.KindExchangeStore, exch + "2F6F00" + "D83521F3" + "1C000000" + "02000000" + "14000000" + "00000000" + "2F636E3D5300" + "0000", 39},
		{"ExchangeStore/V2 ends inside header", entryid.KindExchangeStore, exch + "2F6F00" + "D83521F3" + "1C00", 37},
		{"ExchangeStore/V2 DN without NUL", entryid.KindExchangeStore, exch + "2F6F00" + "D83521F3" + "1C000000" + "01000000" + "14000000" + "00000000" + "2F636E", 51},
		{"ExchangeStore/V2 FQDN odd length", entryid.KindExchangeStore, exch + "2F6F00" + "D83521F3" + "1C000000" + "01000000" + "00000000" + "14000000" + "730000", 51},
		{"ExchangeStore/V3 wrong version", entryid.KindExchangeStore, exch + "2F6F00" + "E94632F4" + "12000000" + "01000000" + "00000000" + "0000", 39},
		{"ExchangeStore/V3 unpaired surrogate", entryid.KindExchangeStore, exch + "2F6F00" + "E94632F4" + "16000000" + "02000000" + "10000000" + "6100" + "00D8" + "0000" + "0000", 49},
		{"ExchangeStore/V3 lone low surrogate", entryid.KindExchangeStore, exch + "2F6F00" + "E94632F4" + "14000000" + "02000000" + "10000000" + "00DC" + "0000" + "0000", 47},
		// Errors in a wrapped ID count from the wrap's first byte: inner at 36.
		{"ExchangeStore/wrapped private without DN", entryid.KindExchangeStore, "00000000" + layWrap + "0000" + ems + "000000" + exch, 36 + 28},
		{"ExchangeStore/bad wrap", entryid.KindExchangeStore, "00000000" + layWrap + "0000" + ems + "000100" + exch + "00", 34},

		{"PSTStore/wrong UID", entryid.KindPSTStore, "00000000" + layAnon + "00" + "7800", 4},
		{"PSTStore/ends before reserved", entryid.KindPSTStore, "00000000" + layMSPST, 20},
		{"PSTStore/ANSI without NUL", entryid.KindPSTStore, "00000000" + layMSPST + "00" + "4142", 21},
		{"PSTStore/empty Unicode path", entryid.KindPSTStore, "00000000" + layMSPST + "00" + "00" + "0000", 22},
		{"PSTStore/Unicode without NUL", entryid.KindPSTStore, "00000000" + layMSPST + "00" + "00" + "4100", 22},
		{"PSTStore/Unicode odd length", entryid.KindPSTStore, "00000000" + layMSPST + "00" + "00" + "410000", 22},
		{"PSTStore/Unicode unpaired surrogate", entryid.KindPSTStore, "00000000" + layMSPST + "00" + "00" + "4100" + "00D8" + "0000", 24},
		{"PSTStore/wrapped empty Unicode path", entryid.KindPSTStore, "00000000" + layWrap + "0000" + "6D737073742E646C6C00" + "00000000" + layMSPST + "00" + "00" + "0000", 32 + 22},

		{"Folder/45 bytes", entryid.KindFolder, layFolderHex[:90], 45},
		{"Folder/47 bytes", entryid.KindFolder, layFolderHex + "00", 46},
		{"Folder/message type in 46 bytes", entryid.KindFolder, "00000000" + layMbx + "0700" + layDB + "123456789ABC" + "0000", 20},
		{"Folder/type 0", entryid.KindFolder, "00000000" + layMbx + "0000" + layDB + "123456789ABC" + "0000", 20},
		{"Folder/type 0x0100", entryid.KindFolder, "00000000" + layMbx + "0001" + layDB + "123456789ABC" + "0000", 20},
		{"Folder/ends inside type", entryid.KindFolder, "00000000" + layMbx + "01", 21},

		{"Message/69 bytes", entryid.KindMessage, "00000000" + layMbx + "0700" + layDB + "000000019EBA" + "0000" + layDB2 + "A1B2C3D4E5F6" + "00", 69},
		{"Message/71 bytes", entryid.KindMessage, "00000000" + layMbx + "0700" + layDB + "000000019EBA" + "0000" + layDB2 + "A1B2C3D4E5F6" + "000000", 70},
		{"Message/folder type in 70 bytes", entryid.KindMessage, "00000000" + layMbx + "0100" + layDB + "000000019EBA" + "0000" + layDB2 + "A1B2C3D4E5F6" + "0000", 20},
		{"Message/folder ID only", entryid.KindMessage, "00000000" + layMbx + "0700" + layDB + "000000019EBA" + "0000", 46},

		{"PST/23 bytes", entryid.KindPST, "00000000" + layRec + "828000", 23},
		{"PST/25 bytes", entryid.KindPST, "00000000" + layRec + "8280000000", 24},
		{"PST/20 bytes", entryid.KindPST, "00000000" + layRec, 20},

		{"AddressBook/wrong UID", entryid.KindAddressBook, "00000000" + layAnon + "01000000" + "00000000" + "2F00", 4},
		{"AddressBook/version 0", entryid.KindAddressBook, "00000000" + layEMSAB + "00000000" + "00000000" + "2F00", 20},
		{"AddressBook/version 2", entryid.KindAddressBook, "00000000" + layEMSAB + "02000000" + "00000000" + "2F00", 20},
		{"AddressBook/DN without NUL", entryid.KindAddressBook, "00000000" + layEMSAB + "01000000" + "00000000" + "2F6F", 28},
		{"AddressBook/ends inside type", entryid.KindAddressBook, "00000000" + layEMSAB + "01000000" + "0000", 26},

		{"Ephemeral/not 0x87", entryid.KindEphemeral, "00000000" + layAnon + "01000000" + "00000000" + "22BB0000", 0},
		{"Ephemeral/0x80", entryid.KindEphemeral, "80000000" + layAnon + "01000000" + "00000000" + "22BB0000", 0},
		{"Ephemeral/31 bytes", entryid.KindEphemeral, "87000000" + layAnon + "01000000" + "00000000" + "22BB00", 31},
		{"Ephemeral/33 bytes", entryid.KindEphemeral, "87000000" + layAnon + "01000000" + "00000000" + "22BB0000" + "00", 32},

		{"OneOff/wrong UID", entryid.KindOneOff, "00000000" + layAnon + "0000" + "0000" + "00" + "00" + "00", 4},
		{"OneOff/version 1", entryid.KindOneOff, "00000000" + layOOP + "0100" + "0000" + "00" + "00" + "00", 20},
		{"OneOff/ends inside flags", entryid.KindOneOff, "00000000" + layOOP + "0000" + "01", 23},
		{"OneOff/ANSI name unterminated", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0000" + "416C", 24},
		{"OneOff/ANSI type unterminated", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0000" + "416C00" + "534D5450", 27},
		{"OneOff/ANSI address unterminated", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0000" + "416C00" + "534D545000" + "6140", 32},
		{"OneOff/ANSI only two strings", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0000" + "416C00" + "534D545000", 32},
		{"OneOff/Unicode name unterminated", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0080" + "41006C00", 24},
		{"OneOff/Unicode address unterminated", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0080" + "0000" + "0000" + "6100", 28},
		{"OneOff/Unicode odd length", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0080" + "0000" + "0000" + "610000", 28},
		{"OneOff/Unicode ANSI-style NULs", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0180" + "416C00" + "534D545000" + "6100", 24},
		{"OneOff/Unicode unpaired high surrogate", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0080" + "4100" + "3DD8" + "4100" + "0000" + "0000" + "0000", 26},
		{"OneOff/Unicode high surrogate at end", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0080" + "0000" + "3DD8" + "0000" + "0000", 26},
		{"OneOff/Unicode lone low surrogate", entryid.KindOneOff, "00000000" + layOOP + "0000" + "0080" + "0000" + "0000" + "6100" + "00DE" + "0000", 30},

		{"Contact/wrong UID", entryid.KindContact, "00000000" + layAnon + "03000000" + "04000000" + "00000000" + "00000000", 4},
		{"Contact/version 2", entryid.KindContact, "00000000" + layContab + "02000000" + "04000000" + "00000000" + "00000000", 20},
		{"Contact/unknown type 0x30", entryid.KindContact, "00000000" + layContab + "03000000" + "30000000" + "00000000" + "00000000", 24},
		{"Contact/container type", entryid.KindContact, "00000000" + layContab + "03000000" + "03000000" + layAnon, 24},
		{"Contact/entry ID count past the end", entryid.KindContact, "00000000" + layContab + "03000000" + "04000000" + "00000000" + "19000000" + layPSTHex, 32},
		{"Contact/huge entry ID count", entryid.KindContact, "00000000" + layContab + "03000000" + "05000000" + "FF000000" + "FFFFFFFF" + "00", 32},
		{"Contact/ends inside count", entryid.KindContact, "00000000" + layContab + "03000000" + "04000000" + "00000000" + "1800", 34},
		{"Contact/ends before index", entryid.KindContact, "00000000" + layContab + "03000000" + "04000000", 28},

		{"ContactFolder/wrong UID", entryid.KindContactFolder, "00000000" + layAnon + "03000000" + "03000000" + layAnon, 4},
		{"ContactFolder/version 1", entryid.KindContactFolder, "00000000" + layContab + "01000000" + "03000000" + layAnon, 20},
		{"ContactFolder/type 0", entryid.KindContactFolder, "00000000" + layContab + "03000000" + "00000000" + layAnon, 24},
		{"ContactFolder/type 4", entryid.KindContactFolder, "00000000" + layContab + "03000000" + "04000000" + layAnon, 24},
		{"ContactFolder/43 bytes", entryid.KindContactFolder, "00000000" + layContab + "03000000" + "03000000" + layAnon[:30], 43},

		{"Wrapped/wrong UID", entryid.KindWrapped, "00000000" + layAnon + "C3", 4},
		{"Wrapped/no type", entryid.KindWrapped, "00000000" + layWAB, 20},
	}
}

func TestLayoutInvalid(t *testing.T) {
	// Values to check that UnmarshalBinary leaves its receiver alone on
	// error: the first valid case of each layout.
	samples := map[entryid.Kind]entryid.Structure{}
	for _, c := range layValidCases() {
		k := c.v.Kind()
		if k == entryid.KindDistList {
			k = entryid.KindContact
		}
		if _, ok := samples[k]; !ok {
			samples[k] = c.v
		}
	}
	for _, c := range layInvalidCases() {
		t.Run(c.name, func(t *testing.T) {
			in := layHex(c.hex)
			if c.hex == "" {
				in = nil
			}
			name, parse := layParserFor(c.kind)
			v, err := parse(in)
			if err == nil {
				t.Fatalf("%s(%X) = %v, want an error", name, in, v)
			}
			if v != nil {
				t.Errorf("%s(%X) returned %v with its error", name, in, v)
			}
			pe := checkParseError(t, name+"(...)", err, len(in))
			if pe != nil && pe.Offset != c.off {
				t.Errorf("%s(%X) error offset = %d, want %d (%v)", name, in, pe.Offset, c.off, err)
			}
			if pe != nil && pe.Reason == "" {
				t.Errorf("%s(%X) error has no reason", name, in)
			}

			// Parse agrees when Identify names this layout.
			if k := entryid.Identify(in); k == c.kind || k == entryid.KindDistList && c.kind == entryid.KindContact {
				v, err := entryid.Parse(in)
				if err == nil {
					t.Errorf("Parse(%X) = %v, want an error", in, v)
				} else if pe2 := checkParseError(t, "Parse(...)", err, len(in)); pe != nil && pe2 != nil && pe2.Offset != pe.Offset {
					t.Errorf("Parse(%X) error offset = %d, %s says %d", in, pe2.Offset, name, pe.Offset)
				}
			}

			// UnmarshalBinary leaves the value unchanged on error.
			if s, ok := samples[c.kind]; ok {
				ptr := reflect.New(reflect.TypeOf(s))
				ptr.Elem().Set(reflect.ValueOf(s))
				if err := ptr.Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(in); err == nil {
					t.Errorf("UnmarshalBinary(%X) succeeded, %s failed", in, name)
				} else if !errors.Is(err, mapispi.ErrInvalidEntryID) {
					t.Errorf("UnmarshalBinary(%X) error %v does not wrap ErrInvalidEntryID", in, err)
				}
				if got := ptr.Elem().Interface(); !reflect.DeepEqual(got, s) {
					t.Errorf("UnmarshalBinary(%X) changed the value to %v, want %v", in, got, s)
				}
			}
		})
	}
}

// TestLayoutEncodeErrors checks values that have no encoding: AppendBinary
// fails with MAPI_E_INVALID_PARAMETER and returns b unchanged.
func TestLayoutEncodeErrors(t *testing.T) {
	priv := func(e entryid.ExchangeStore) entryid.ExchangeStore {
		e.Provider, e.Type, e.Server, e.MailboxDN = entryid.StorePrivateUID, entryid.MailboxStoreType, "SRV", "/o"
		return e
	}
	for _, c := range []struct {
		name string
		v    entryid.Structure
	}{
		{"Store/DLL with NUL", entryid.Store{DLL: "EMS\x00MDB.DLL", Inner: []byte{1}}},
		{"Store/flag 2", entryid.Store{Flag: 2, Inner: []byte{1}}},
		{"ExchangeStore/V2 and V3", priv(entryid.ExchangeStore{V2: entryid.NewStoreV2("/cn=S", "s"), V3: entryid.NewStoreV3("a@b")})},
		{"ExchangeStore/server with NUL", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "S\x00", MailboxDN: "/o"}},
		{"ExchangeStore/DN with NUL", entryid.ExchangeStore{Provider: entryid.StorePrivateUID, Type: entryid.MailboxStoreType, Server: "S", MailboxDN: "/o\x00x"}},
		{"ExchangeStore/V2 DN with NUL", priv(entryid.ExchangeStore{V2: entryid.NewStoreV2("/cn=\x00", "s")})},
		{"ExchangeStore/V2 FQDN invalid UTF-8", priv(entryid.ExchangeStore{V2: entryid.NewStoreV2("/cn=S", "s\xff")})},
		{"ExchangeStore/V2 FQDN with NUL", priv(entryid.ExchangeStore{V2: entryid.NewStoreV2("/cn=S", "s\x00")})},
		{"ExchangeStore/V2 DN with zero offset", priv(entryid.ExchangeStore{V2: &entryid.StoreV2{ServerDN: "/cn=S"}})},
		{"ExchangeStore/V2 FQDN with zero offset", priv(entryid.ExchangeStore{V2: &entryid.StoreV2{ServerFQDN: "s"}})},
		{"ExchangeStore/V3 SMTP invalid UTF-8", priv(entryid.ExchangeStore{V3: entryid.NewStoreV3("\xc3")})},
		{"ExchangeStore/V3 SMTP with NUL", priv(entryid.ExchangeStore{V3: entryid.NewStoreV3("a\x00b")})},
		{"ExchangeStore/V3 SMTP with zero offset", priv(entryid.ExchangeStore{V3: &entryid.StoreV3{SMTPAddress: "a@b"}})},
		{"PSTStore/ANSI with NUL", entryid.PSTStore{ANSIPath: "C:\\a\x00.pst"}},
		{"PSTStore/Unicode invalid UTF-8", entryid.PSTStore{UnicodePath: "C:\\\xff.pst"}},
		{"PSTStore/Unicode with NUL", entryid.PSTStore{UnicodePath: "C:\\\x00.pst"}},
		{"Folder/counter > MaxCounter", entryid.Folder{Type: entryid.PrivateFolder, ID: entryid.LongTermID{Counter: entryid.MaxCounter + 1}}},
		{"Folder/counter max uint64", entryid.Folder{Type: entryid.PrivateFolder, ID: entryid.LongTermID{Counter: ^uint64(0)}}},
		{"Message/folder counter > MaxCounter", entryid.Message{Type: entryid.PrivateMessage, Folder: entryid.LongTermID{Counter: 1 << 48}}},
		{"Message/message counter > MaxCounter", entryid.Message{Type: entryid.PrivateMessage, ID: entryid.LongTermID{Counter: 1 << 48}}},
		{"AddressBook/DN with NUL", entryid.AddressBook{DN: "/o=\x00"}},
		{"Ephemeral/flags 0x80", entryid.Ephemeral{Flags: entryid.ShortTerm}},
		{"Ephemeral/flags 0x0100", entryid.Ephemeral{Flags: 0x0100}},
		{"OneOff/ANSI name with NUL", entryid.OneOff{DisplayName: "A\x00", AddressType: "SMTP", Address: "a@b"}},
		{"OneOff/ANSI type with NUL", entryid.OneOff{AddressType: "SM\x00TP", Address: "a@b"}},
		{"OneOff/ANSI address with NUL", entryid.OneOff{AddressType: "SMTP", Address: "a@b\x00"}},
		{"OneOff/Unicode name invalid UTF-8", entryid.OneOff{Options: entryid.OneOffUnicode, DisplayName: "\xff", AddressType: "SMTP", Address: "a@b"}},
		{"OneOff/Unicode address invalid UTF-8", entryid.OneOff{Options: entryid.OneOffUnicode, AddressType: "SMTP", Address: "a@\xe9"}},
		{"OneOff/Unicode with NUL", entryid.OneOff{Options: entryid.OneOffUnicode, AddressType: "SMTP", Address: "a\x00b"}},
		{"Contact/type 3", entryid.Contact{Type: entryid.ContabContainer, EntryID: []byte{1}}},
		{"Contact/type 0", entryid.Contact{}},
		{"Contact/type 0x30", entryid.Contact{Type: 0x30}},
		{"ContactFolder/type 4", entryid.ContactFolder{Type: entryid.ContabUser}},
		{"ContactFolder/type 0", entryid.ContactFolder{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			prefix := []byte{0xAA, 0xBB, 0xCC}
			in := bytes.Clone(prefix)
			got, err := c.v.AppendBinary(in)
			if err == nil {
				t.Fatalf("%v.AppendBinary = %X, want an error", c.v, got)
			}
			if !errors.Is(err, mapispi.ErrInvalidParameter) {
				t.Errorf("%v.AppendBinary error %v does not wrap mapispi.ErrInvalidParameter", c.v, err)
			}
			if errors.Is(err, mapispi.ErrInvalidEntryID) {
				t.Errorf("%v.AppendBinary error %v wraps ErrInvalidEntryID", c.v, err)
			}
			if !bytes.Equal(got, prefix) || len(got) != len(prefix) {
				t.Errorf("%v.AppendBinary(%X) returned %X, want the input unchanged", c.v, prefix, got)
			}
			m, err := c.v.(encoding.BinaryMarshaler).MarshalBinary()
			if err == nil || len(m) != 0 {
				t.Errorf("%v.MarshalBinary() = %X, %v, want no bytes and an error", c.v, m, err)
			}
		})
	}
}

func TestLayoutEphemeralZeroFlags(t *testing.T) {
	e := entryid.Ephemeral{Server: layUID(layAnon), Version: 1, MID: 5}
	got, err := e.AppendBinary(nil)
	want := layHex("87000000" + layAnon + "01000000" + "00000000" + "05000000")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%v.AppendBinary(nil) = %X, %v, want %X", e, got, err, want)
	}
}

func TestLayoutNID(t *testing.T) {
	for _, c := range []struct {
		t     entryid.NIDType
		index uint32
		nid   entryid.NID
	}{
		{entryid.NIDTypeNormalFolder, 0x404, 0x8082},
		{entryid.NIDTypeNormalFolder, 0x401, 0x8022},
		{entryid.NIDTypeNormalFolder, 0x40A, 0x8142},
		{entryid.NIDTypeNormalMessage, 0x10002, 0x00200044},
		{entryid.NIDTypeInternal, 1, 0x21}, // NID_MESSAGE_STORE
		{entryid.NIDTypeInternal, 3, 0x61}, // NID_NAME_TO_ID_MAP
		{entryid.NIDTypeHID, 0, 0},
		{entryid.NIDTypeLTP, 1<<27 - 1, 0xFFFFFFFF},
	} {
		n := entryid.NewNID(c.t, c.index)
		if n != c.nid {
			t.Errorf("NewNID(%v, %#x) = %#x, want %#x", c.t, c.index, uint32(n), uint32(c.nid))
		}
		if n.Type() != c.t || n.Index() != c.index {
			t.Errorf("NID(%#x).Type(), Index() = %v, %#x, want %v, %#x", uint32(n), n.Type(), n.Index(), c.t, c.index)
		}
	}
}

func TestLayoutIdentify(t *testing.T) {
	folder := layHex(layFolderHex)
	withType := func(b []byte, t uint16) []byte {
		b = bytes.Clone(b)
		b[20], b[21] = byte(t), byte(t>>8)
		return b
	}
	msg := layHex("00000000" + layMbx + "0700" + layDB + "000000019EBA" + "0000" + layDB2 + "A1B2C3D4E5F6" + "0000")
	for _, c := range []struct {
		name string
		in   []byte
		want entryid.Kind
	}{
		{"nil", nil, entryid.KindInvalid},
		{"empty", []byte{}, entryid.KindInvalid},
		{"3 bytes", []byte{0, 0, 0}, entryid.KindInvalid},
		{"19 bytes", make([]byte, 19), entryid.KindInvalid},
		{"20 zero bytes", make([]byte, 20), entryid.KindGeneric},
		{"unknown UID", layHex("00000000" + layAnon + "01"), entryid.KindGeneric},
		{"wrap", layHex("00000000" + layWrap), entryid.KindStore},
		{"wrap of a private store", layHex("00000000" + layWrap + "0000" + "454D534D44422E444C4C00000000" + "00000000" + layPriv), entryid.KindStore},
		{"private store", layHex("00000000" + layPriv), entryid.KindExchangeStore},
		{"public store", layHex("00000000" + layPub + "06000000"), entryid.KindExchangeStore},
		{"PST store", layHex("00000000" + layMSPST + "0000"), entryid.KindPSTStore},
		{"folder", folder, entryid.KindFolder},
		{"message type in 46 bytes", withType(folder, 7), entryid.KindGeneric},
		{"unknown type in 46 bytes", withType(folder, 2), entryid.KindGeneric},
		{"message", msg, entryid.KindMessage},
		{"folder type in 70 bytes", withType(msg, 1), entryid.KindGeneric},
		{"folder UID on 46 bytes wins over length", append(layHex("00000000"+layEMSAB), make([]byte, 26)...), entryid.KindAddressBook},
		{"PST 24 bytes", layHex(layPSTHex), entryid.KindPST},
		{"any 24 bytes", make([]byte, 24), entryid.KindPST},
		{"address book", layHex("00000000" + layEMSAB), entryid.KindAddressBook},
		{"ephemeral", layHex("87000000" + layAnon + "01000000" + "00000000" + "22BB0000"), entryid.KindEphemeral},
		{"0x87 with a known UID, 32 bytes", layHex("87000000" + layOOP + "01000000" + "00000000" + "22BB0000"), entryid.KindEphemeral},
		{"0x87, 33 bytes", layHex("87000000" + layAnon + "01000000" + "00000000" + "22BB000000"), entryid.KindGeneric},
		{"0x87 one-off, 31 bytes", layHex("87000000" + layOOP + "00000000" + "00000000" + "000000"), entryid.KindOneOff},
		{"one-off", layHex("00000000" + layOOP), entryid.KindOneOff},
		{"contact", layHex("00000000" + layContab + "03000000" + "04000000"), entryid.KindContact},
		{"distlist", layHex("00000000" + layContab + "03000000" + "05000000"), entryid.KindDistList},
		{"contab root", layHex("00000000" + layContab + "03000000" + "01000000"), entryid.KindContactFolder},
		{"contab subroot", layHex("00000000" + layContab + "03000000" + "02000000"), entryid.KindContactFolder},
		{"contab container", layHex("00000000" + layContab + "03000000" + "03000000"), entryid.KindContactFolder},
		{"contab type 0x30", layHex("00000000" + layContab + "03000000" + "30000000"), entryid.KindContact},
		{"contab 27 bytes", layHex("00000000" + layContab + "03000000" + "050000"), entryid.KindContact},
		{"wrapped", layHex("00000000" + layWAB), entryid.KindWrapped},
	} {
		if got := entryid.Identify(c.in); got != c.want {
			t.Errorf("Identify(%X) [%s] = %v, want %v", c.in, c.name, got, c.want)
		}
	}

	// For every valid vector, Identify is the kind Parse returns.
	for _, r := range loadVectors(t) {
		s, err := entryid.Parse(r.id)
		k := entryid.Identify(r.id)
		if r.negative {
			if err == nil {
				t.Errorf("Parse(%s %X) = %v, want an error", r.name, r.id, s)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%s %X): %v", r.name, r.id, err)
			continue
		}
		if s.Kind() != k {
			t.Errorf("Parse(%s %X).Kind() = %v, Identify = %v", r.name, r.id, s.Kind(), k)
		}
	}
	if got := entryid.Identify(vectorID(t, "mfcmapi-ENTRYID-39")); got != entryid.KindInvalid {
		t.Errorf("Identify(ENTRYID-39) = %v, want KindInvalid", got)
	}
}

func TestLayoutKindString(t *testing.T) {
	seen := map[string]bool{}
	for k := entryid.KindInvalid; k <= entryid.KindWrapped; k++ {
		s := k.String()
		if s == "" || seen[s] || strings.HasPrefix(s, "Kind(") {
			t.Errorf("Kind(%d).String() = %q", k, s)
		}
		seen[s] = true
	}
	if s := entryid.Kind(200).String(); s != "Kind(200)" {
		t.Errorf("Kind(200).String() = %q, want \"Kind(200)\"", s)
	}
}

func TestLayoutSplit(t *testing.T) {
	b := layHex("C0800000" + layAnon + "0102030405")
	f, u, rest, err := entryid.Split(b)
	if err != nil {
		t.Fatalf("Split(%X): %v", b, err)
	}
	if f != entryid.ShortTerm|entryid.NotRecip|entryid.Compound {
		t.Errorf("Split(%X) flags = %v, want %v", b, f, entryid.ShortTerm|entryid.NotRecip|entryid.Compound)
	}
	if u != layUID(layAnon) {
		t.Errorf("Split(%X) UID = %v, want %s", b, u, layAnon)
	}
	if !bytes.Equal(rest, b[20:]) {
		t.Errorf("Split(%X) rest = %X, want %X", b, rest, b[20:])
	}
	if len(rest) > 0 && &rest[0] != &b[20] {
		t.Errorf("Split(%X) rest does not alias the input", b)
	}
	b[22] = 0xEE
	if rest[2] != 0xEE {
		t.Errorf("Split rest does not see changes to the input")
	}

	f, _, rest, err = entryid.Split(layHex("87000000" + layAnon))
	if err != nil || f != entryid.EphemeralFlags || len(rest) != 0 || !f.Ephemeral() {
		t.Errorf("Split(20 bytes) = %v, rest %X, %v, want 0x87, no rest", f, rest, err)
	}

	for _, in := range [][]byte{nil, {}, {1, 2, 3}, make([]byte, 19)} {
		f, u, rest, err := entryid.Split(in)
		if err == nil {
			t.Errorf("Split(%X) = %v, %v, %X, want an error", in, f, u, rest)
			continue
		}
		if pe := checkParseError(t, "Split(...)", err, len(in)); pe != nil && pe.Offset != len(in) {
			t.Errorf("Split(%X) error offset %d, want %d", in, pe.Offset, len(in))
		}
		if f != 0 || !u.IsZero() || rest != nil {
			t.Errorf("Split(%X) = %v, %v, %X with an error, want zero values", in, f, u, rest)
		}
	}
}

func TestLayoutFlags(t *testing.T) {
	if !entryid.Flags(0).LongTerm() || entryid.ShortTerm.LongTerm() || entryid.Compound.LongTerm() {
		t.Errorf("Flags.LongTerm is wrong")
	}
	if !entryid.Flags(0x87).Ephemeral() || !entryid.Flags(0xFF87).Ephemeral() || entryid.Flags(0x8700).Ephemeral() || entryid.ShortTerm.Ephemeral() {
		t.Errorf("Flags.Ephemeral is wrong")
	}
	if s := entryid.Flags(0).String(); s != "0" {
		t.Errorf("Flags(0).String() = %q, want \"0\"", s)
	}
	if s := (entryid.ShortTerm | entryid.Compound | 0x10000).String(); !strings.Contains(s, "MAPI_SHORTTERM") || !strings.Contains(s, "MAPI_COMPOUND") || !strings.Contains(s, "00010000") {
		t.Errorf("Flags(0x18080).String() = %q", s)
	}
}

func TestLayoutWrapStore(t *testing.T) {
	inner := layHex("00000000" + layPriv + "0C000000" + "53525600" + "2F6F00")
	for _, c := range []struct {
		dll      string
		innerOfs int
		nameHex  string // the DLL name, NUL and pad as the wrap holds them
	}{
		{"", 24, "00" + "00"},
		{"a", 24, "6100"},
		{"ab", 28, "616200" + "000000"},
		{"abc", 28, "61626300" + "0000"},
		{"abcd", 28, "6162636400" + "00"},
		{"abcde", 28, "616263646500"},
		{"mspst.dll", 32, "6D737073742E646C6C00"},               // 9 characters + NUL: no pad
		{"EMSMDB.DLL", 36, "454D534D44422E444C4C00" + "000000"}, // 10 characters + NUL: 3 pad
		{"emsmdb.dll", 36, "656D736D64622E646C6C00" + "000000"}, // gromox's spelling
		{"PSTPRX.DLL", 36, "5053545052582E444C4C00" + "000000"},
		{"mspstnt.dll", 36, "6D737073746E742E646C6C00" + "0000"}, // 11 characters + NUL = 34: 2 pad
		{"EMS\x00MDB.DLL", 28, "454D5300" + "0000"},              // a NUL ends the name
	} {
		w := entryid.WrapStore(c.dll, inner)
		want := layHex("00000000" + layWrap + "0000" + c.nameHex + hex.EncodeToString(inner))
		if !bytes.Equal(w, want) {
			t.Errorf("WrapStore(%q, %X) =\n%X\nwant\n%X", c.dll, inner, w, want)
			continue
		}
		if len(w)-len(inner) != c.innerOfs {
			t.Errorf("WrapStore(%q) inner offset %d, want %d", c.dll, len(w)-len(inner), c.innerOfs)
		}
		dll, got, err := entryid.UnwrapStore(w)
		wantDLL, _, _ := strings.Cut(c.dll, "\x00")
		if err != nil || dll != wantDLL || !bytes.Equal(got, inner) {
			t.Errorf("UnwrapStore(%X) = %q, %X, %v, want %q, %X", w, dll, got, err, wantDLL, inner)
		}
		if len(got) > 0 && &got[0] == &w[c.innerOfs] {
			t.Errorf("UnwrapStore(%X) returned a view, want a copy", w)
		}
		view, err := entryid.UnwrapView(w)
		if err != nil || !bytes.Equal(view, inner) {
			t.Errorf("UnwrapView(%X) = %X, %v, want %X", w, view, err, inner)
		} else if &view[0] != &w[c.innerOfs] {
			t.Errorf("UnwrapView(%X) does not alias its input at %d", w, c.innerOfs)
		}
		s, err := entryid.ParseStore(w)
		if err != nil || s.DLL != wantDLL || !bytes.Equal(s.Inner, inner) {
			t.Errorf("ParseStore(%X) = %v, %v", w, s, err)
		}
		if isEx := strings.EqualFold(wantDLL, "emsmdb.dll"); s.IsExchange() != isEx {
			t.Errorf("ParseStore(%X).IsExchange() = %v, want %v", w, s.IsExchange(), isEx)
		}
		e, err := entryid.ParseExchangeStore(w)
		if err != nil || e.MailboxDN != "/o" || e.Server != "SRV" {
			t.Errorf("ParseExchangeStore(%X) = %v, %v", w, e, err)
		}
	}

	// Either case of the DLL name wraps the same store.
	upper, lower := entryid.WrapStore("EMSMDB.DLL", inner), entryid.WrapStore("emsmdb.dll", inner)
	if bytes.Equal(upper, lower) {
		t.Errorf("WrapStore gives the same bytes for EMSMDB.DLL and emsmdb.dll")
	}
	if !entryid.Equal(upper, lower) {
		t.Errorf("Equal(%X, %X) = false, want true (DLL name case)", upper, lower)
	}
	if !entryid.Equal(upper, inner) || !entryid.Equal(inner, lower) {
		t.Errorf("Equal(wrapped, unwrapped) = false, want true")
	}
	eu, err1 := entryid.ParseExchangeStore(upper)
	el, err2 := entryid.ParseExchangeStore(lower)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(eu, el) {
		t.Errorf("ParseExchangeStore differs by DLL name case: %v, %v / %v, %v", eu, err1, el, err2)
	}

	// ExchangeStore.Wrapped and PSTStore.Wrapped use the names Outlook writes.
	if w, err := eu.Wrapped(); err != nil || !bytes.Equal(w, upper) {
		t.Errorf("%v.Wrapped() = %X, %v, want %X", eu, w, err, upper)
	}
	p := entryid.PSTStore{UnicodePath: `C:\a.pst`}
	pin, _ := p.AppendBinary(nil)
	if w, err := p.Wrapped(); err != nil || !bytes.Equal(w, entryid.WrapStore("mspst.dll", pin)) {
		t.Errorf("%v.Wrapped() = %X, %v, want the mspst.dll wrap", p, w, err)
	} else if back, err := entryid.ParsePSTStore(w); err != nil || !reflect.DeepEqual(back, p) {
		t.Errorf("ParsePSTStore(%X) = %v, %v, want %v", w, back, err, p)
	}
	if _, err := (entryid.ExchangeStore{Server: "\x00"}).Wrapped(); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("ExchangeStore with a NUL server: Wrapped() error %v, want ErrInvalidParameter", err)
	}
	if _, err := (entryid.PSTStore{ANSIPath: "\x00"}).Wrapped(); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("PSTStore with a NUL path: Wrapped() error %v, want ErrInvalidParameter", err)
	}

	// UnwrapView returns an ID that is not wrapped as it is, and refuses
	// what is too short to be an entry ID.
	for _, in := range [][]byte{inner, layHex(layFolderHex), layHex(layPSTHex)} {
		got, err := entryid.UnwrapView(in)
		if err != nil || !bytes.Equal(got, in) || len(in) > 0 && &got[0] != &in[0] {
			t.Errorf("UnwrapView(%X) = %X, %v, want the input itself", in, got, err)
		}
	}
	for _, in := range [][]byte{nil, {1, 2, 3}} {
		if got, err := entryid.UnwrapView(in); !errors.Is(err, mapispi.ErrInvalidEntryID) || got != nil {
			t.Errorf("UnwrapView(%X) = %X, %v, want nil and ErrInvalidEntryID", in, got, err)
		}
	}

	// Malformed wraps and Flag 1 wraps are errors for UnwrapStore and UnwrapView.
	unopened := layHex("00000000" + layWrap + "0001" + layAnon + "CAFE")
	for _, c := range []struct {
		name string
		in   []byte
		off  int
	}{
		{"flag 1", unopened, 21},
		{"header only", layHex("00000000" + layWrap), 20},
		{"version 1", layHex("00000000" + layWrap + "0100" + "6100" + "01"), 20},
		{"no NUL", layHex("00000000" + layWrap + "0000" + "6162"), 22},
		{"bad pad", layHex("00000000" + layWrap + "0000" + "616200" + "000100" + "01"), 26},
		{"ends in pad", layHex("00000000" + layWrap + "0000" + "616200" + "00"), 26},
		{"no inner", layHex("00000000" + layWrap + "0000" + "6100"), 24},
	} {
		if _, err := entryid.UnwrapView(c.in); err == nil {
			t.Errorf("UnwrapView(%X) [%s] succeeded, want an error", c.in, c.name)
		} else if pe := checkParseError(t, "UnwrapView", err, len(c.in)); pe != nil && pe.Offset != c.off {
			t.Errorf("UnwrapView(%X) [%s] error offset %d, want %d", c.in, c.name, pe.Offset, c.off)
		}
		if _, _, err := entryid.UnwrapStore(c.in); err == nil {
			t.Errorf("UnwrapStore(%X) [%s] succeeded, want an error", c.in, c.name)
		} else if pe := checkParseError(t, "UnwrapStore", err, len(c.in)); pe != nil && pe.Offset != c.off {
			t.Errorf("UnwrapStore(%X) [%s] error offset %d, want %d", c.in, c.name, pe.Offset, c.off)
		}
	}
	if s, err := entryid.ParseStore(unopened); err != nil || s.IsExchange() {
		t.Errorf("ParseStore(%X) = %v, %v, want a Flag 1 store that is not Exchange", unopened, s, err)
	}
}

func TestLayoutStoreTailCheck(t *testing.T) {
	for _, tail := range []*entryid.StoreV2{
		entryid.NewStoreV2("/cn=S", "s.ex"),
		entryid.NewStoreV2("/cn=S", ""),
		entryid.NewStoreV2("", "s.ex"),
		entryid.NewStoreV2("", ""),
		entryid.NewStoreV2("/o=x/cn=Configuration/cn=Servers/cn=S", "se-rv-er.example.com\U0001F600"),
	} {
		if err := tail.Check(); err != nil {
			t.Errorf("NewStoreV2(%q, %q).Check() = %v, want nil", tail.ServerDN, tail.ServerFQDN, err)
		}
	}
	for _, tail := range []*entryid.StoreV3{
		entryid.NewStoreV3("a@b.c"),
		entryid.NewStoreV3(""),
		entryid.NewStoreV3("USER.NAME@example.com"),
		entryid.NewStoreV3("ü\U0001F600@x"),
	} {
		if err := tail.Check(); err != nil {
			t.Errorf("NewStoreV3(%q).Check() = %v, want nil", tail.SMTPAddress, err)
		}
	}
	v2 := entryid.NewStoreV2("/cn=S", "s.ex")
	if v2.OffsetDN != 20 || v2.OffsetFQDN != 26 || v2.Size != 38 || !bytes.Equal(v2.Reserved, []byte{0, 0}) {
		t.Errorf("NewStoreV2(\"/cn=S\", \"s.ex\") = %+v, want offsets 20, 26, size 38", *v2)
	}
	if v2 := entryid.NewStoreV2("", "s.ex"); v2.OffsetDN != 0 || v2.OffsetFQDN != 20 || v2.Size != 32 {
		t.Errorf("NewStoreV2(\"\", \"s.ex\") = %+v, want offsets 0, 20, size 32", *v2)
	}
	v3 := entryid.NewStoreV3("a@b.c")
	if v3.OffsetSMTP != 16 || v3.Size != 30 || !bytes.Equal(v3.Reserved, []byte{0, 0}) {
		t.Errorf("NewStoreV3(\"a@b.c\") = %+v, want offset 16, size 30", *v3)
	}

	bad2 := *v2
	bad2.Size++
	bad3 := *v3
	bad3.OffsetSMTP = 0x14
	if bad2.Check() == nil || bad3.Check() == nil {
		t.Errorf("Check() = nil for a tail whose size or offset is off")
	}

	// MFCMAPI's anonymised vectors: Size disagrees with the bytes, Parse
	// still succeeds and re-encodes them unchanged.
	for _, c := range []struct {
		name string
		v2   bool
	}{{"mfcmapi-ENTRYID-30", true}, {"mfcmapi-ENTRYID-38", false}} {
		id := vectorID(t, c.name)
		e, err := entryid.ParseExchangeStore(id)
		if err != nil {
			t.Fatalf("ParseExchangeStore(%s): %v", c.name, err)
		}
		var cerr error
		switch {
		case c.v2 && e.V2 != nil:
			cerr = e.V2.Check()
		case !c.v2 && e.V3 != nil:
			cerr = e.V3.Check()
		default:
			t.Fatalf("ParseExchangeStore(%s) = %v, want a V2 (%v) or V3 tail", c.name, e, c.v2)
		}
		if cerr == nil {
			t.Errorf("ParseExchangeStore(%s) tail Check() = nil, want a size mismatch", c.name)
		}
		if _, err := entryid.Parse(id); err != nil {
			t.Errorf("Parse(%s): %v", c.name, err)
		}
		inner, _ := entryid.UnwrapView(id)
		if got, err := e.AppendBinary(nil); err != nil || !bytes.Equal(got, inner) {
			t.Errorf("ParseExchangeStore(%s).AppendBinary = %X, %v, want %X", c.name, got, err, inner)
		}
		if w, err := e.Wrapped(); err != nil || !bytes.Equal(w, id) {
			t.Errorf("ParseExchangeStore(%s).Wrapped() = %X, %v, want %X", c.name, w, err, id)
		}
	}
}

// TestLayoutTruncations feeds every Parse function nil, 3 bytes and every
// prefix of every vector: none may panic, and every error must be a
// *ParseError wrapping ErrInvalidEntryID with an offset inside the input.
func TestLayoutTruncations(t *testing.T) {
	inputs := [][]byte{nil, {}, {0, 0, 0}}
	for _, r := range loadVectors(t) {
		for i := 0; i <= len(r.id); i++ {
			inputs = append(inputs, r.id[:i:i])
		}
	}
	for _, c := range layValidCases() {
		b := layHex(c.hex)
		for i := 0; i <= len(b); i++ {
			inputs = append(inputs, b[:i:i])
		}
	}
	for _, p := range layParsers {
		for _, in := range inputs {
			func() {
				defer func() {
					if e := recover(); e != nil {
						t.Errorf("%s(%X) panicked: %v", p.name, in, e)
					}
				}()
				v, err := p.parse(in)
				if err != nil {
					checkParseError(t, p.name+"("+strings.ToUpper(hex.EncodeToString(in))+")", err, len(in))
					return
				}
				if v == nil {
					t.Errorf("%s(%X) = nil, nil", p.name, in)
				}
			}()
		}
	}
	for _, in := range [][]byte{nil, {0, 0, 0}} {
		for _, p := range layParsers {
			if v, err := p.parse(in); err == nil {
				t.Errorf("%s(%X) = %v, want an error", p.name, in, v)
			} else if pe := checkParseError(t, p.name, err, len(in)); pe != nil && pe.Offset != len(in) {
				t.Errorf("%s(%X) error offset %d, want %d", p.name, in, pe.Offset, len(in))
			}
		}
	}
}
