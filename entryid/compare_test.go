package entryid_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/entryid"
)

// diffSummary is a Difference reduced to what the tests check.
type diffSummary struct {
	field   string
	rule    entryid.Rule
	ignored bool
}

func summarize(ds []entryid.Difference) []diffSummary {
	var out []diffSummary
	for _, d := range ds {
		out = append(out, diffSummary{d.Field, d.Rule, d.Ignored})
	}
	return out
}

func hasDiff(ds []entryid.Difference, want diffSummary) bool {
	for _, d := range summarize(ds) {
		if d == want {
			return true
		}
	}
	return false
}

func TestCompare(t *testing.T) {
	store := vectorID(t, "mfcmapi-ENTRYID-2")
	inner, _ := entryid.UnwrapView(store)
	folder := vectorID(t, "mfcmapi-ENTRYID-8")
	msg := vectorID(t, "mfcmapi-ENTRYID-13")
	contact := vectorID(t, "mfcmapi-ENTRYID-18")
	c, _ := entryid.ParseContact(contact)
	m, _ := entryid.ParseMessage(c.EntryID)
	m.Folder.Counter++
	moved := c
	moved.EntryID = encode(t, m)
	moved.Trailing = nil
	ab := vectorID(t, "mfcmapi-ENTRYID-16")
	abNUL := append(bytes.Clone(ab), 0)
	eph := vectorID(t, "mfcmapi-ENTRYID-25")
	ansi := encode(t, entryid.OneOff{DisplayName: "Ann", AddressType: "SMTP", Address: "ann@example.com"})
	uni := encode(t, entryid.NewOneOff("Ann", "SMTP", "ann@example.com"))
	upper := encode(t, entryid.NewOneOff("Ann", "SMTP", "ANN@example.com"))

	tests := []struct {
		name string
		a, b []byte
		same bool
		want []diffSummary // each must be among the differences
	}{
		{"identical", store, bytes.Clone(store), true, nil},
		{"abFlags", folder, withFlags(folder, 0x80), true, []diffSummary{{"abFlags", entryid.RuleFlags, true}}},
		{"wrapped vs unwrapped", store, inner, true, []diffSummary{{"MUIDSTOREWRAP wrap", entryid.RuleWrap, true}}},
		{"DLL name case", store, entryid.WrapStore("emsmdb.dll", inner), true, []diffSummary{{"DLL name", entryid.RuleDLLName, true}}},
		{"server name", store, replaceOnce(t, store, "SERVER", "server"), true, []diffSummary{{"ServerShortname", entryid.RuleExchange, true}}},
		{"mailbox DN case", store, replaceOnce(t, store, "/o=microsoft", "/O=MICROSOFT"), true, []diffSummary{{"MailboxDN", entryid.RuleExchange, true}}},
		{"other mailbox", store, replaceOnce(t, store, "cn=12345", "cn=12346"), false, []diffSummary{{"MailboxDN", entryid.RuleExchange, false}}},
		{"folder vs message", folder, msg, false, []diffSummary{{"layout", entryid.RuleProvider, false}}},
		{"ephemeral vs permanent", eph, ab, false, []diffSummary{{"layout", entryid.RuleFlags, false}}},
		{"contact: message moved, tail dropped", contact, encode(t, moved), true, []diffSummary{
			{"EntryID/FolderLongTermID", entryid.RuleFolder, true},
			{"Trailing", entryid.RuleTrailing, true},
		}},
		{"address book trailing NUL", ab, abNUL, true, []diffSummary{{"Trailing", entryid.RuleTrailing, true}}},
		{"one-off encoding", ansi, uni, true, []diffSummary{
			{"Address", entryid.RuleOneOff, true},
			{"Flags", entryid.RuleOneOff, true},
		}},
		{"one-off other address", uni, encode(t, entryid.NewOneOff("Ann", "SMTP", "bob@example.com")), false, []diffSummary{{"Address", entryid.RuleOneOff, false}}},
		{"one-off case", uni, upper, true, []diffSummary{{"Address", entryid.RuleOneOff, true}}},
		{"malformed", []byte{1, 2, 3}, []byte{1, 2, 4}, false, []diffSummary{{"entry ID", entryid.RuleMalformed, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, swap := range []bool{false, true} {
				a, b := tt.a, tt.b
				if swap {
					a, b = b, a
				}
				c := entryid.Compare(a, b)
				if c.Same != tt.same || c.Same != entryid.Equal(a, b) {
					t.Errorf("Compare(%X, %X).Same = %v, want %v (Equal says %v)", a, b, c.Same, tt.same, entryid.Equal(a, b))
				}
				for _, w := range tt.want {
					if !hasDiff(c.Differences, w) {
						t.Errorf("Compare(%X, %X) differences %v, want one %v", a, b, summarize(c.Differences), w)
					}
				}
				if tt.want == nil && len(c.Differences) > 0 {
					t.Errorf("Compare(identical) differences %v, want none", c.Differences)
				}
				checkComparison(t, a, b, c)
			}
		})
	}
}

// checkComparison checks the invariants of a Comparison.
func checkComparison(t *testing.T, a, b []byte, c entryid.Comparison) {
	t.Helper()
	decides := false
	lastIgnored := false
	for _, d := range c.Differences {
		if !d.Ignored {
			decides = true
			if lastIgnored {
				t.Fatalf("Compare(%X, %X): deciding difference %v after an ignored one", a, b, d)
			}
		}
		lastIgnored = d.Ignored
		if d.Field == "" || d.Rule < entryid.RuleProvider || d.Rule > entryid.RuleMalformed || d.A == d.B && d.Note == "" {
			t.Fatalf("Compare(%X, %X): incomplete difference %#v", a, b, d)
		}
		if d.Rule.Summary() == "" || !strings.Contains(d.String(), d.Rule.String()) {
			t.Fatalf("Compare(%X, %X): difference %v does not name its rule", a, b, d)
		}
	}
	if !c.Same && !decides {
		t.Fatalf("Compare(%X, %X) says different objects without a deciding difference: %v", a, b, c.Differences)
	}
	if c.Same && decides {
		t.Fatalf("Compare(%X, %X) says same object with a deciding difference: %v", a, b, c.Differences)
	}
	if _, err := entryid.Parse(a); (err == nil) != (c.ErrA == nil) {
		t.Fatalf("Compare(%X, %X).ErrA = %v, Parse says %v", a, b, c.ErrA, err)
	}
	if _, err := entryid.Parse(b); (err == nil) != (c.ErrB == nil) {
		t.Fatalf("Compare(%X, %X).ErrB = %v, Parse says %v", a, b, c.ErrB, err)
	}
}

func TestCompareAllVectors(t *testing.T) {
	var ids [][]byte
	for _, v := range loadVectors(t) {
		ids = append(ids, v.id, withFlags(v.id, 0x80))
	}
	for _, c := range equalCases(t) {
		ids = append(ids, c.a, c.b)
	}
	for _, a := range ids {
		for _, b := range ids {
			checkComparison(t, a, b, entryid.Compare(a, b))
		}
	}
}

func TestDifferenceString(t *testing.T) {
	d := entryid.Difference{Field: "MailboxDN", Rule: entryid.RuleExchange, Ignored: true, A: `"/o=x"`, B: `"/O=X"`, Note: "only in case"}
	if got, want := d.String(), `MailboxDN differs only in case ("/o=x", "/O=X"): ignored by C5`; got != want {
		t.Errorf("Difference.String() = %s, want %s", got, want)
	}
	d.Ignored, d.Note = false, ""
	if got, want := d.String(), `MailboxDN differs ("/o=x", "/O=X"): different objects by C5`; got != want {
		t.Errorf("Difference.String() = %s, want %s", got, want)
	}
	if got := entryid.RuleMalformed.String(); got != "C12" {
		t.Errorf("RuleMalformed.String() = %s, want C12", got)
	}
}

// TestKeyStable pins the keys of real IDs of each kind: a change here
// breaks every archive that stored keys, and must not happen.
func TestKeyStable(t *testing.T) {
	tests := []struct {
		vector string
		key    string // hex
	}{
		{"mfcmapi-ENTRYID-2", "53100000001B55FA20AA6611CD9BC800AA002FC45A0100000000300000002F4F3D4D4943524F534F46542F4F553D534F4D455448494E472F434E3D524543495049454E54532F434E3D3132333435"},
		{"mfcmapi-ENTRYID-5", "5028000000433A5C4F46464C494E4553544F5245535C4F46464C494E45202D20323030342D323030352E505354"},
		{"mfcmapi-ENTRYID-8", "461000000096614EC66601D211A3B10008C728E7F11600000085FA5C86FCE6D111A3A60008C728E7F1000000019EBA"},
		{"mfcmapi-ENTRYID-13", "4D1000000096614EC66601D211A3B10008C728E7F1160000004423BFDC35888C4BACC4B3D80C10040600240E16BDE9"},
		{"mfcmapi-ENTRYID-19", "4E100000000FC47A51C32F264AAA1CD7F2BA4F1D7A0400000082800000"},
		{"mfcmapi-ENTRYID-16", "41300000002F4F3D4D4943524F534F46542F4F553D464152454153542F434E3D524543495049454E54532F434E3D4558414D504C45"},
		{"mfcmapi-ENTRYID-25", "4510000000A13B2B00CE5ECA4D976D076EC81BA4A4040000000100000004000000000000000400000022BB0000"},
		{"mfcmapi-ENTRYID-17", "4F04000000534D54501100000041444D494E404558414D504C452E434F4D"},
		{"mfcmapi-ENTRYID-18", "430400000004000000040000000000000030000000564D1000000096614EC66601D211A3B10008C728E7F11600000020A7A751D553394AB9D41BB443250C47000000487654"},
		{"mfcmapi-ENTRYID-35", "44040000000300000010000000A06D377943EB164498340BAD544EFF721E000000564E100000009EFDFC3C2E3A254C9C086F5D93F6E9630400000042810000"},
		{"mfcmapi-ENTRYID-3", "5701000000B5360000005641300000002F4F3D4D4943524F534F46542F4F553D534F4D455448494E472F434E3D524543495049454E54532F434E3D3132333435"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString([]byte(entryid.Key(vectorID(t, tt.vector))))
		if !strings.EqualFold(got, tt.key) {
			t.Errorf("Key(%s) = %s, want %s", tt.vector, strings.ToUpper(got), tt.key)
		}
	}
	if got, want := entryid.Key([]byte{1, 2, 3}), "\x00\x01\x02\x03"; got != want {
		t.Errorf("Key(010203) = %q, want %q", got, want)
	}
	if got := entryid.Key(nil); got != "\x00" {
		t.Errorf("Key(nil) = %q, want %q", got, "\x00")
	}
}

func TestKeyMatchesEqual(t *testing.T) {
	var ids [][]byte
	for _, v := range loadVectors(t) {
		ids = append(ids, v.id, withFlags(v.id, 0x80))
	}
	for _, c := range equalCases(t) {
		ids = append(ids, c.a, c.b)
	}
	for _, a := range ids {
		for _, b := range ids {
			if got, want := entryid.Key(a) == entryid.Key(b), entryid.Equal(a, b); got != want {
				t.Fatalf("Key(%X) == Key(%X) is %v, Equal says %v", a, b, got, want)
			}
		}
	}
}

func TestFindAll(t *testing.T) {
	folder := "0000000096614EC66601D211A3B10008C728E7F1010085FA5C86FCE6D111A3A60008C728E7F1000000019EBA0000"
	pst := "000000000FC47A51C32F264AAA1CD7F2BA4F1D7A82800000"
	spaced := "00 00 00 00 0F C4 7A 51 C3 2F 26 4A AA 1C D7 F2 BA 4F 1D 7A 82 80 00 00"
	search := entryid.EncodeSearch(layHex(pst))
	tests := []struct {
		name string
		text string
		want []string // the matched texts
	}{
		{"log line with a date", "2024-05-01T10:00:00 moved [len=46, data=" + folder + "] ok", []string{"[len=46, data=" + folder + "]"}},
		{"MFCMAPI form", "PR_ENTRYID: cb: 24 lpb: " + pst + ", then cb: 0 lpb: NULL", []string{"cb: 24 lpb: " + pst}},
		{"plain hex after =", "EntryID=" + folder + ".", []string{folder}},
		{"0x prefix", "id 0x" + pst + " and " + folder, []string{"0x" + pst, folder}},
		{"byte-separated", "[" + spaced + "]", []string{spaced}},
		{"dash-separated groups", "00000000-0FC47A51-C32F264A-AA1CD7F2-BA4F1D7A-82800000", []string{"00000000-0FC47A51-C32F264A-AA1CD7F2-BA4F1D7A-82800000"}},
		{"Windows Search form", "url " + search + " end", []string{search}},
		{"inside a word", "x" + folder + " " + folder + "z", nil},
		{"too short", "2024-05-01 10:00:00 abcdef 0011223344556677 deadbeef", nil},
		{"a GUID", "{10BBA138-E505-1A10-A1BB-08002B2A56C2}", nil},
		{"odd hex", folder + "0", nil},
		{"counted form with a wrong count", "cb: 25 lpb: " + pst, []string{pst}},
		{"empty", "", nil},
		{"Korean text", "가나다라 마바사", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := entryid.FindAll(tt.text)
			var got []string
			for _, m := range ms {
				got = append(got, tt.text[m.Start:m.End])
				id, err := entryid.ParseHex(tt.text[m.Start:m.End])
				if err != nil || !bytes.Equal(id, m.ID) {
					t.Errorf("FindAll(%q) match %q has ID %X, ParseHex gives %X, %v", tt.text, tt.text[m.Start:m.End], m.ID, id, err)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("FindAll(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestNewStores(t *testing.T) {
	store := vectorID(t, "mfcmapi-ENTRYID-2")
	x, err := entryid.NewExchangeStore("SERVER", "/o=microsoft/ou=something/cn=Recipients/cn=12345").Wrapped()
	if err != nil || !bytes.Equal(x, store) {
		t.Errorf("NewExchangeStore(...).Wrapped() = %X, %v, want mfcmapi-ENTRYID-2 %X", x, err, store)
	}
	pub := vectorID(t, "mfcmapi-ENTRYID-7")
	if x, err := entryid.NewPublicStore("BOOEX2K7").Wrapped(); err != nil || !bytes.Equal(x, pub) {
		t.Errorf("NewPublicStore(\"BOOEX2K7\").Wrapped() = %X, %v, want mfcmapi-ENTRYID-7 %X", x, err, pub)
	}
	pstStore := vectorID(t, "mfcmapi-ENTRYID-5")
	if x, err := entryid.NewPSTStore(`C:\OfflineStores\Offline - 2004-2005.pst`).Wrapped(); err != nil || !bytes.Equal(x, pstStore) {
		t.Errorf("NewPSTStore(...).Wrapped() = %X, %v, want mfcmapi-ENTRYID-5 %X", x, err, pstStore)
	}
	for _, tt := range []struct {
		vector        string
		exchange, pst bool
	}{
		{"mfcmapi-ENTRYID-2", true, false},
		{"mfcmapi-ENTRYID-5", false, true},
	} {
		s, err := entryid.ParseStore(vectorID(t, tt.vector))
		if err != nil {
			t.Fatal(err)
		}
		if s.IsExchange() != tt.exchange || s.IsPST() != tt.pst {
			t.Errorf("%s: IsExchange, IsPST = %v, %v, want %v, %v", tt.vector, s.IsExchange(), s.IsPST(), tt.exchange, tt.pst)
		}
	}
	if (entryid.Store{DLL: "mspst.dll", Inner: []byte{1, 2}}).IsPST() {
		t.Errorf("Store{mspst.dll, 2 bytes}.IsPST() = true; it holds no PST store ID")
	}
}

func TestStoreStringShowsInner(t *testing.T) {
	for _, tt := range []struct {
		vector string
		want   []string
	}{
		{"mfcmapi-ENTRYID-2", []string{`DLL: "EMSMDB.DLL"`, `Server: "SERVER"`, `MailboxDN: "/o=microsoft/ou=something/cn=Recipients/cn=12345"`}},
		{"mfcmapi-ENTRYID-5", []string{`DLL: "mspst.dll"`, `UnicodePath: "C:\\OfflineStores\\Offline - 2004-2005.pst"`}},
	} {
		s, err := entryid.ParseStore(vectorID(t, tt.vector))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(s.String(), w) {
				t.Errorf("ParseStore(%s).String() = %s, want it to contain %s", tt.vector, s, w)
			}
		}
	}
	opaque := entryid.Store{DLL: "x.dll", Inner: []byte{0xAB, 0xCD}}
	if !strings.Contains(opaque.String(), "Inner: ABCD") {
		t.Errorf("Store around bytes no layout reads: String() = %s, want the bytes in hex", opaque)
	}
}

func TestEqualIgnoresTrailing(t *testing.T) {
	ab := vectorID(t, "mfcmapi-ENTRYID-16")
	withNUL := append(bytes.Clone(ab), 0)
	if !entryid.Equal(ab, withNUL) {
		t.Errorf("Equal(address book ID, same with an extra NUL) = false")
	}
	a, err := entryid.ParseAddressBook(withNUL)
	if err != nil || !bytes.Equal(a.Trailing, []byte{0}) || !bytes.Equal(encode(t, a), withNUL) {
		t.Errorf("ParseAddressBook(with an extra NUL) = %v, %v; want Trailing 00 and the bytes back", a, err)
	}
	var pe *entryid.ParseError
	if _, err := entryid.Parse(ab[:len(ab)-1]); !errors.As(err, &pe) {
		t.Errorf("Parse(address book ID cut before its NUL) = %v, want a *ParseError", err)
	}
}
