package entryid_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// vector is one row of testdata/vectors.tsv, a copy of
// shared/testdata/entryid/vectors.tsv: real entry IDs from public sources
// with the fields an independent decoder found in them.
type vector struct {
	name, kind string
	id         []byte
	expected   map[string]string
	negative   bool // kind "other", or NEGATIVE in the note: Parse must fail
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/vectors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || cols[0] == "name" {
			continue
		}
		// Plain hex decoding, so that the vectors do not depend on ParseHex.
		id, err := hex.DecodeString(cols[2])
		if err != nil {
			t.Fatalf("%s: bad hex: %v", cols[0], err)
		}
		exp := parseExpected(cols[3])
		// A vector with trailing bytes is negative in the file, which
		// says a decoder may instead report them: Parse keeps them.
		_, trailing := exp["trailingBytes"]
		vs = append(vs, vector{name: cols[0], kind: cols[1], id: id, expected: exp,
			negative: (cols[1] == "other" || strings.Contains(exp["note"], "NEGATIVE")) && !trailing})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 30 {
		t.Fatalf("read %d vectors, want the whole file", len(vs))
	}
	return vs
}

// parseExpected splits "k=v;k=v;inner=[k=v;...];note=..." at the top
// level only; the note runs to the end of the line.
func parseExpected(s string) map[string]string {
	m := map[string]string{}
	if i := strings.Index(s, "note="); i >= 0 && (i == 0 || s[i-1] == ';') {
		m["note"] = s[i+len("note="):]
		s = strings.TrimSuffix(s[:i], ";")
	}
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '[':
				depth++
				continue
			case ']':
				depth--
				continue
			case ';':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		kv := s[start:i]
		start = i + 1
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		} else if kv != "" {
			m[kv] = ""
		}
	}
	return m
}

var wantKind = map[string][]entryid.Kind{
	"store":       {entryid.KindStore},
	"folder":      {entryid.KindFolder},
	"message":     {entryid.KindMessage},
	"pst":         {entryid.KindPST},
	"addressbook": {entryid.KindAddressBook, entryid.KindEphemeral},
	"oneoff":      {entryid.KindOneOff},
	"contact":     {entryid.KindContact, entryid.KindDistList, entryid.KindContactFolder},
	"wrapped":     {entryid.KindWrapped},
}

func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			s, err := entryid.Parse(v.id)
			if v.negative {
				if err == nil {
					t.Fatalf("Parse(%s) = %v, want an error", v.name, s)
				}
				if !errors.Is(err, mapispi.ErrInvalidEntryID) {
					t.Fatalf("Parse(%s) error %v does not wrap ErrInvalidEntryID", v.name, err)
				}
				var pe *entryid.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("Parse(%s) error %T, want *ParseError", v.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%s): %v", v.name, err)
			}
			if k := entryid.Identify(v.id); v.kind != "other" && !containsKind(wantKind[v.kind], k) {
				t.Errorf("Identify(%s) = %v, want one of %v", v.name, k, wantKind[v.kind])
			}
			if s.Kind() != entryid.Identify(v.id) {
				t.Errorf("Parse(%s).Kind() = %v, Identify = %v", v.name, s.Kind(), entryid.Identify(v.id))
			}
			got, err := s.AppendBinary(nil)
			if err != nil {
				t.Fatalf("AppendBinary: %v", err)
			}
			if !bytes.Equal(got, v.id) {
				t.Fatalf("Parse then AppendBinary(%s) =\n%X\nwant\n%X", v.name, got, v.id)
			}
			if want := v.expected["len"]; want != fmt.Sprint(len(v.id)) {
				t.Errorf("len(%s) = %d, vector says %s", v.name, len(v.id), want)
			}
		})
	}
}

func containsKind(ks []entryid.Kind, k entryid.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// vectorFields renders a decoded value with the key names and value
// formats of the vectors file, so each listed field can be checked.
func vectorFields(t *testing.T, s entryid.Structure) map[string]string {
	t.Helper()
	m := map[string]string{}
	hexUID := func(u mapispi.UID) string { return fmt.Sprintf("%X", u[:]) }
	ltid := func(prefix string, l entryid.LongTermID, dbKey, cntKey, padKey string) {
		m[dbKey] = hexUID(l.Database)
		m[cntKey] = fmt.Sprintf("%012X", l.Counter)
		m[padKey] = fmt.Sprintf("%04X", l.Pad)
	}
	switch v := s.(type) {
	case entryid.Store:
		m["dll"] = v.DLL
		m["ver"] = fmt.Sprint(v.Version)
		m["flag"] = fmt.Sprint(v.Flag)
		m["innerOfs"] = fmt.Sprint(len(encode(t, v)) - len(v.Inner))
		if v.IsExchange() {
			x, err := v.Exchange()
			if err != nil {
				t.Fatalf("Store.Exchange(): %v", err)
			}
			m["wrappedFlags"] = fmt.Sprint(uint32(x.Flags))
			switch x.Provider {
			case entryid.StorePrivateUID:
				m["wrappedUID"] = "private(1B55FA20..)"
			case entryid.StorePublicUID:
				m["wrappedUID"] = "public(1C830210..)"
			}
			m["wrappedType"] = fmt.Sprintf("0x%X", uint32(x.Type))
			m["server"] = x.Server
			if x.MailboxDN != "" {
				m["mailboxDN"] = x.MailboxDN
			}
			if t2 := x.V2; t2 != nil {
				m["v2.size"] = fmt.Sprint(t2.Size)
				m["v2.offsetDN"] = fmt.Sprint(t2.OffsetDN)
				m["v2.offsetFQDN"] = fmt.Sprint(t2.OffsetFQDN)
				m["v2.DN"] = t2.ServerDN
				m["v2.FQDN"] = t2.ServerFQDN
				m["v2.reserved"] = fmt.Sprintf("%X", t2.Reserved)
				if len(t2.Reserved) == 0 {
					m["v2.reserved"] = "absent"
				}
			}
			if t3 := x.V3; t3 != nil {
				m["v3.size"] = fmt.Sprint(t3.Size)
				m["v3.version"] = "2"
				m["v3.offsetSmtp"] = fmt.Sprint(t3.OffsetSMTP)
				m["v3.smtp"] = t3.SMTPAddress
				m["v3.reserved"] = fmt.Sprintf("%X", t3.Reserved)
			}
		} else {
			p, err := v.PST()
			if err != nil {
				t.Fatalf("Store.PST(): %v", err)
			}
			m["inner.flags"] = fmt.Sprintf("%08X", uint32(p.Flags))
			m["inner.uid"] = "MSPST_UID_PROVIDER"
			m["inner.bReserved"] = fmt.Sprint(p.Reserved)
			m["ansiPath"] = p.ANSIPath
			if p.ANSIPath == "" {
				m["ansiPath"] = "(empty)"
			}
			m["unicodePath"] = p.UnicodePath
		}
	case entryid.Folder:
		m["uid"] = hexUID(v.Provider)
		m["type"] = fmt.Sprintf("0x%04X", uint16(v.Type))
		ltid("", v.ID, "dbGuid", "globCnt", "pad")
	case entryid.Message:
		m["uid"] = hexUID(v.Provider)
		m["type"] = fmt.Sprintf("0x%04X", uint16(v.Type))
		ltid("", v.Folder, "folderDbGuid", "folderGlobCnt", "pad1")
		ltid("", v.ID, "msgDbGuid", "msgGlobCnt", "pad2")
	case entryid.PST:
		m["uid"] = hexUID(v.Store)
		m["nid"] = fmt.Sprintf("0x%08X", uint32(v.NID))
		m["nidType"] = fmt.Sprintf("0x%02X", uint8(v.NID.Type()))
		m["nidIndex"] = fmt.Sprintf("0x%X", v.NID.Index())
	case entryid.AddressBook:
		m["version"] = "1"
		m["type"] = fmt.Sprintf("0x%X", uint32(v.Type))
		m["x500dn"] = escape8(t, v.DN)
		m["trailingBytes"] = fmt.Sprint(len(v.Trailing))
	case entryid.Ephemeral:
		m["uid"] = hexUID(v.Server)
		m["form"] = "NSPI-ephemeral"
		m["version"] = fmt.Sprint(v.Version)
		m["displayType"] = fmt.Sprint(uint32(v.DisplayType))
		m["mid"] = fmt.Sprintf("0x%08X", v.MID)
	case entryid.OneOff:
		m["version"] = "0"
		m["flags16"] = fmt.Sprintf("0x%04X", uint16(v.Options))
		m["displayName"] = v.DisplayName
		m["addrType"] = v.AddressType
		m["email"] = v.Address
	case entryid.Contact:
		m["version"] = "3"
		m["type"] = fmt.Sprint(uint32(v.Type))
		m["index"] = fmt.Sprint(uint32(v.Index))
		m["entryIdCount"] = fmt.Sprint(len(v.EntryID))
		m["trailingBytes"] = fmt.Sprint(len(v.Trailing))
		m["inner"] = innerFields(t, v.EntryID)
	case entryid.ContactFolder:
		m["version"] = "3"
		m["type"] = fmt.Sprint(uint32(v.Type))
		m["muidID"] = fmt.Sprintf("%X", v.Logon[:])
		m["inner"] = innerFields(t, v.EntryID)
	case entryid.Wrapped:
		m["wrapType"] = fmt.Sprintf("0x%X", uint8(v.Type))
		m["inner"] = innerFields(t, v.EntryID)
	default:
		t.Fatalf("vectorFields: unexpected %T", s)
	}
	return m
}

// escape8 writes text as the vectors file writes 8-bit strings: its
// Windows-1252 bytes, non-ASCII ones as \xNN.
func escape8(t *testing.T, s string) string {
	b, err := codepage.Windows1252.Encode(s)
	if err != nil {
		t.Fatalf("Windows1252.Encode(%q): %v", s, err)
	}
	var out strings.Builder
	for _, c := range b {
		if c < 0x80 {
			out.WriteByte(c)
		} else {
			fmt.Fprintf(&out, "\\x%02X", c)
		}
	}
	return out.String()
}

// innerFields renders an embedded entry ID as the vectors file does:
// "[k=v;...]" with the keys the file lists for the inner layout.
func innerFields(t *testing.T, b []byte) string {
	s, err := entryid.Parse(b)
	if err != nil {
		t.Fatalf("Parse(embedded %X): %v", b, err)
	}
	return "[" + fmt.Sprint(vectorFields(t, s)) + "]"
}

func TestVectorsFields(t *testing.T) {
	checked := 0
	for _, v := range loadVectors(t) {
		if v.negative {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			s, err := entryid.Parse(v.id)
			if err != nil {
				t.Fatal(err)
			}
			got := vectorFields(t, s)
			for k, want := range v.expected {
				switch k {
				case "len", "note", "abFlags", "uid", "v2.bytesPresent", "v3.bytesPresent":
					if k == "uid" && len(want) == 32 && got[k] != want {
						t.Errorf("%s: uid = %s, want %s", v.name, got[k], want)
					}
					continue
				case "inner":
					checkInner(t, v.name, s, want)
					continue
				}
				if g, ok := got[k]; !ok {
					t.Errorf("%s: field %s not decoded (want %q)", v.name, k, want)
				} else if g != want {
					t.Errorf("%s: %s = %q, want %q", v.name, k, g, want)
				}
				checked++
			}
		})
	}
	if checked < 200 {
		t.Errorf("checked %d fields, want every field the vectors list", checked)
	}
}

// checkInner compares an embedded ID's decoded fields with the bracketed
// expectation.
func checkInner(t *testing.T, name string, s entryid.Structure, want string) {
	var emb []byte
	switch v := s.(type) {
	case entryid.Contact:
		emb = v.EntryID
	case entryid.ContactFolder:
		emb = v.EntryID
	case entryid.Wrapped:
		emb = v.EntryID
	}
	in, err := entryid.Parse(emb)
	if err != nil {
		t.Fatalf("%s: Parse(embedded): %v", name, err)
	}
	got := vectorFields(t, in)
	for k, w := range parseExpected(strings.TrimSuffix(strings.TrimPrefix(want, "["), "]")) {
		if k == "len" || k == "abFlags" || k == "uid" && len(w) != 32 {
			continue
		}
		if k == "uid" && got[k] == "" {
			continue
		}
		if got[k] != w {
			t.Errorf("%s: inner %s = %q, want %q", name, k, got[k], w)
		}
	}
}
