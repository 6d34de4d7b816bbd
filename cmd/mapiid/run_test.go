package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// vectorHex returns the hex of a row of the entryid package's vectors.
func vectorHex(t testing.TB, name string) string {
	t.Helper()
	f, err := os.Open("../../entryid/testdata/vectors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 3 && cols[0] == name {
			return cols[2]
		}
	}
	t.Fatalf("no vector %s (%v)", name, sc.Err())
	return ""
}

// runCmd runs the command and returns the exit status and both outputs.
func runCmd(args []string, stdin string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	st := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return st, stdout.String(), stderr.String()
}

func TestDecode(t *testing.T) {
	store := vectorHex(t, "mfcmapi-ENTRYID-1")
	pst := vectorHex(t, "mfcmapi-ENTRYID-19")
	tests := []struct {
		args       []string
		stdin      string
		want       int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
		notWantOut []string
	}{
		{
			args: []string{"decode", store},
			want: 0,
			wantOut: []string{
				"store entry ID (173 bytes)\n",
				"  0x0000     4  abFlags",
				`  0x0016    11  DLL name                 "EMSMDB.DLL"`,
				"  0x0024   137  Exchange store entry ID\n",
				"    0x003C     9  ServerShortname  \"BOOEX2K7\"",
			},
		},
		{
			// Spaces and lower case are one argument's business.
			args:    []string{"decode", "cb: 24 lpb: " + strings.ToLower(pst)},
			want:    0,
			wantOut: []string{"PST entry ID (24 bytes)", "NormalFolder"},
		},
		{
			args:       []string{"decode"},
			stdin:      store + "\n\n   \n" + pst + "\n",
			want:       0,
			wantOut:    []string{"store entry ID (173 bytes)", "\n\nPST entry ID (24 bytes)\n"},
			notWantOut: []string{"\n\n\n"},
		},
		{
			args:    []string{"decode", vectorHex(t, "mfcmapi-ENTRYID-30")},
			want:    0,
			wantOut: []string{"\n    0x0077   124  V2 tail\n                  ! V2 size field says 131, the bytes give 124", "\n      0x0077     4  Magic "},
		},
		{
			args:    []string{"decode", "112233"},
			want:    1,
			wantErr: []string{`mapiid decode: "112233": `, "offset 3"},
		},
		{
			args:    []string{"decode", "00zz"},
			want:    1,
			wantErr: []string{`mapiid decode: "00zz": `, "offset 2", "invalid character"},
		},
		{
			// A bad ID in the middle: the others are still decoded.
			args:    []string{"decode", store, "112233", pst},
			want:    1,
			wantOut: []string{"store entry ID", "PST entry ID"},
			wantErr: []string{`mapiid decode: "112233": `},
		},
		{
			args:    []string{"decode"},
			stdin:   pst + "\nnothex\n",
			want:    1,
			wantOut: []string{"PST entry ID"},
			wantErr: []string{`mapiid decode: line 2: "nothex": `},
		},
		{
			args:    []string{"decode", "--bogus", store},
			want:    2,
			wantErr: []string{"bogus", "usage: mapiid decode"},
		},
	}
	for _, tt := range tests {
		got, stdout, stderr := runCmd(tt.args, tt.stdin)
		if got != tt.want {
			t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, got, tt.want, stderr)
		}
		for _, w := range tt.wantOut {
			if !strings.Contains(stdout, w) {
				t.Errorf("run(%q) stdout lacks %q:\n%s", tt.args, w, stdout)
			}
		}
		for _, w := range tt.notWantOut {
			if strings.Contains(stdout, w) {
				t.Errorf("run(%q) stdout holds %q:\n%s", tt.args, w, stdout)
			}
		}
		for _, w := range tt.wantErr {
			if !strings.Contains(stderr, w) {
				t.Errorf("run(%q) stderr lacks %q:\n%s", tt.args, w, stderr)
			}
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	store := vectorHex(t, "mfcmapi-ENTRYID-1")
	contact := vectorHex(t, "mfcmapi-ENTRYID-18")
	args := []string{"decode", "--json", store, contact}
	got, stdout, stderr := runCmd(args, "")
	if got != 0 {
		t.Fatalf("run(%q) = %d, want 0; stderr:\n%s", args, got, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("run(%q) printed %d lines, want one per ID:\n%s", args, len(lines), stdout)
	}
	type node struct {
		Name   string `json:"name"`
		Offset int    `json:"offset"`
		Size   int    `json:"size"`
		Value  string `json:"value"`
		Note   string `json:"note"`
		Fields []node `json:"fields"`
	}
	var objs []struct {
		Input, Hex, Kind string
		node
	}
	for _, l := range lines {
		var o struct {
			Input, Hex, Kind string
			node
		}
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		objs = append(objs, o)
	}
	if o := objs[0]; o.Hex != store || o.Kind != "store" || o.Name != "store entry ID" || o.Size != 173 || len(o.Fields) != 7 {
		t.Errorf("first object = %+v, want the store ID with 7 fields", o)
	}
	if f := objs[0].Fields[4]; f.Name != "DLL name" || f.Offset != 22 || f.Value != `"EMSMDB.DLL"` {
		t.Errorf("field 4 = %+v, want the DLL name at 22", f)
	}
	if inner := objs[0].Fields[6]; inner.Name != "Exchange store entry ID" || inner.Offset != 36 || len(inner.Fields) == 0 {
		t.Errorf("field 6 = %+v, want the Exchange store ID at 36 with fields", inner)
	}
	o := objs[1]
	if o.Kind != "contact" {
		t.Errorf("second object kind %q, want contact", o.Kind)
	}
	last := o.Fields[len(o.Fields)-1]
	if last.Name != "Trailing" || !strings.Contains(last.Note, "3 bytes") {
		t.Errorf("last contact field = %+v, want the tail with a note", last)
	}
}

// sameOneOff compares the fields build sets.
func sameOneOff(o, p entryid.OneOff) bool {
	return o.Options == p.Options && o.DisplayName == p.DisplayName && o.AddressType == p.AddressType && o.Address == p.Address
}

// replaceHex replaces the first occurrence of old with new in an ID.
func replaceHex(t *testing.T, id []byte, old, new string) []byte {
	t.Helper()
	i := bytes.Index(id, []byte(old))
	if i < 0 || len(old) != len(new) {
		t.Fatalf("cannot replace %q with %q", old, new)
	}
	b := bytes.Clone(id)
	copy(b[i:], new)
	return b
}

func TestCompare(t *testing.T) {
	storeHex := vectorHex(t, "mfcmapi-ENTRYID-1")
	store, err := entryid.ParseHex(storeHex)
	if err != nil {
		t.Fatal(err)
	}
	shortTerm := replaceHex(t, store, "BOOEX2K7", "booex2k7")
	shortTerm[0] = 0x80
	dnCase := replaceHex(t, store, "Administrator", "ADMINISTRATOR")
	otherDN := replaceHex(t, store, "Administrator", "Somebodyelse!")
	unwrapped := store[36:]
	folder1 := vectorHex(t, "mfcmapi-ENTRYID-8")
	folder2 := vectorHex(t, "mfcmapi-ENTRYID-10")
	hexOf := func(b []byte) string { return mapispi.EntryID(b).String() }

	tests := []struct {
		a, b    string
		want    int
		verdict string
		reasons []string
	}{
		{storeHex, storeHex, 0, "same object", []string{"both Exchange store entry IDs", "identical bytes"}},
		{storeHex, hexOf(shortTerm), 0, "same object", []string{
			"both Exchange store entry IDs", "abFlags differs (0x00000000, 0x00000080 (MAPI_SHORTTERM)): ignored by C2",
			`ServerShortname differs ("BOOEX2K7", "booex2k7"): ignored by C5`,
			"\n  C2: abFlags are ignored", "\n  C5: Exchange stores compare by mailbox DN"}},
		{storeHex, hexOf(dnCase), 0, "same object", []string{"MailboxDN differs only in case", "ignored by C5"}},
		{storeHex, hexOf(unwrapped), 0, "same object", []string{"MUIDSTOREWRAP wrap differs as one ID is wrapped and the other not", "ignored by C3"}},
		{storeHex, hexOf(otherDN), 1, "different objects", []string{"MailboxDN differs", "different objects by C5"}},
		{folder1, folder2, 1, "different objects", []string{"both folder entry IDs", "LongTermID differs", "different objects by C6"}},
		{folder1, storeHex, 1, "different objects", []string{"first: folder entry ID; second: Exchange store entry ID", "different objects by C1"}},
		// Bytes no layout reads are still compared (equal only to the
		// same bytes): a verdict, not an error.
		{folder1, "112233", 1, "different objects", []string{"the second ID is not a well-formed entry ID", "different objects by C12"}},
	}
	for _, tt := range tests {
		args := []string{"compare", tt.a, tt.b}
		got, stdout, stderr := runCmd(args, "")
		if got != tt.want {
			t.Errorf("run(%q) = %d, want %d; stderr:\n%s", args, got, tt.want, stderr)
			continue
		}
		if !strings.HasPrefix(stdout, tt.verdict+"\n") {
			t.Errorf("run(%q) printed\n%s\nwant the verdict %q", args, stdout, tt.verdict)
		}
		a, _ := entryid.ParseHex(tt.a)
		b, _ := entryid.ParseHex(tt.b)
		if same := strings.HasPrefix(stdout, "same object\n"); same != entryid.Equal(a, b) {
			t.Errorf("run(%q) verdict disagrees with entryid.Equal = %v", args, !same)
		}
		for _, r := range tt.reasons {
			if !strings.Contains(stdout, r) {
				t.Errorf("run(%q) printed\n%s\nwant a reason containing %q", args, stdout, r)
			}
		}
	}

	// Errors exit with 2, as cmp and diff do, and name the bad argument.
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"one ID", []string{"compare", storeHex}, "want two IDs, got 1"},
		{"no ID", []string{"compare"}, "want two IDs, got 0"},
		{"three IDs", []string{"compare", storeHex, storeHex, storeHex}, "want two IDs, got 3"},
		{"unknown flag", []string{"compare", "--x", storeHex, storeHex}, "-x"},
		{"second not hex", []string{"compare", storeHex, "0g"}, `second ID "0g": `},
		{"first odd digits", []string{"compare", "0", storeHex}, `first ID "0": `},
		{"first empty", []string{"compare", "cb: 0 lpb: NULL", storeHex}, `first ID "cb: 0 lpb: NULL": no entry ID`},
		{"second empty", []string{"compare", storeHex, "[len=0, data=]"}, `second ID "[len=0, data=]": no entry ID`},
	} {
		got, stdout, stderr := runCmd(tt.args, "")
		if got != 2 {
			t.Errorf("%s: run(%q) = %d, want 2", tt.name, tt.args, got)
		}
		if stdout != "" || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("%s: run(%q) printed stdout %q, stderr %q; want only an error containing %q", tt.name, tt.args, stdout, stderr, tt.wantErr)
		}
	}
}

// build runs "mapiid build" and returns the decoded bytes it printed.
func build(t *testing.T, args ...string) []byte {
	t.Helper()
	args = append([]string{"build"}, args...)
	got, stdout, stderr := runCmd(args, "")
	if got != 0 {
		t.Fatalf("run(%q) = %d, want 0; stderr:\n%s", args, got, stderr)
	}
	out := strings.TrimSuffix(stdout, "\n")
	if out != strings.ToUpper(out) || strings.ContainsAny(out, " \n") {
		t.Errorf("run(%q) printed %q, want one line of upper-case hex", args, stdout)
	}
	b, err := entryid.ParseHex(out)
	if err != nil {
		t.Fatalf("run(%q) printed %q: %v", args, stdout, err)
	}
	return b
}

func TestBuild(t *testing.T) {
	const (
		uid  = "{C64E6196-0166-11D2-A3B1-0008C728E7F1}"
		db   = "85FA5C86FCE6D111A3A60008C728E7F1"
		db2  = "{DCBF2344-8835-4B8C-ACC4-B3D80C100406}"
		dn   = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=Administrator"
		path = `C:\Users\Ünïcode\Outlook.pst`
	)
	mustUID := mapispi.MustParseUID

	t.Run("oneoff", func(t *testing.T) {
		o, err := entryid.ParseOneOff(build(t, "oneoff", "--name", "Zoë", "--address", "zoe@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		want := entryid.OneOff{Options: entryid.OneOffNoRichInfo, DisplayName: "Zoë", AddressType: "SMTP", Address: "zoe@example.com"}
		if !sameOneOff(o, want) {
			t.Errorf("ParseOneOff = %v, want %v", o, want)
		}
		o, err = entryid.ParseOneOff(build(t, "oneoff", "--name", "Zoë", "--type", "EX", "--address", "/o=x", "--unicode", "--tnef"))
		if err != nil {
			t.Fatal(err)
		}
		want = entryid.OneOff{Options: entryid.OneOffUnicode, DisplayName: "Zoë", AddressType: "EX", Address: "/o=x"}
		if !sameOneOff(o, want) {
			t.Errorf("ParseOneOff = %v, want %v", o, want)
		}
	})
	t.Run("addressbook", func(t *testing.T) {
		for _, tt := range []struct {
			typ  []string
			want entryid.DisplayType
		}{{nil, entryid.DTMailUser}, {[]string{"--type", "1"}, entryid.DTDistList}, {[]string{"--type", "0x100"}, entryid.DTContainer}, {[]string{"--type", "dt_forum"}, entryid.DTForum}} {
			a, err := entryid.ParseAddressBook(build(t, append([]string{"addressbook", "--dn", dn}, tt.typ...)...))
			if err != nil {
				t.Fatal(err)
			}
			if a.DN != dn || a.Type != tt.want {
				t.Errorf("ParseAddressBook = %v, want DN %q type %v", a, dn, tt.want)
			}
		}
	})
	t.Run("exchange-store", func(t *testing.T) {
		b := build(t, "exchange-store", "--server", "BOOEX2K7", "--dn", dn)
		if want, _ := entryid.ParseHex(vectorHex(t, "mfcmapi-ENTRYID-1")); !bytes.Equal(b, want) {
			t.Errorf("build exchange-store = %X, want ENTRYID-1 %X", b, want)
		}
		b = build(t, "exchange-store", "--server", "mail.example.com", "--dn", dn, "--smtp", "admin@example.com", "--unwrapped")
		if k := entryid.Identify(b); k != entryid.KindExchangeStore {
			t.Errorf("--unwrapped gave a %v ID", k)
		}
		e, err := entryid.ParseExchangeStore(b)
		if err != nil {
			t.Fatal(err)
		}
		if e.Provider != entryid.StorePrivateUID || e.Type != entryid.MailboxStoreType || e.Server != "mail.example.com" ||
			e.MailboxDN != dn || e.V3 == nil || e.V3.SMTPAddress != "admin@example.com" || e.V3.Check() != nil {
			t.Errorf("ParseExchangeStore = %v", e)
		}
		b = build(t, "exchange-store", "--server", "PF", "--public")
		s, err := entryid.ParseStore(b)
		if err != nil || !s.IsExchange() {
			t.Fatalf("ParseStore = %v, %v; want an EMSMDB.DLL wrap", s, err)
		}
		if e, err = s.Exchange(); err != nil || e.Provider != entryid.StorePublicUID || e.Type != entryid.PublicStoreType || e.Server != "PF" || e.MailboxDN != "" {
			t.Errorf("Exchange() = %v, %v; want a public store", e, err)
		}
	})
	t.Run("pst-store", func(t *testing.T) {
		p, err := entryid.ParsePSTStore(build(t, "pst-store", "--path", path))
		if err != nil || p.UnicodePath != path || p.ANSIPath != "" {
			t.Errorf("ParsePSTStore = %v, %v; want the Unicode path %q", p, err, path)
		}
		b := build(t, "pst-store", "--path", path, "--ansi", "--unwrapped")
		if k := entryid.Identify(b); k != entryid.KindPSTStore {
			t.Errorf("--unwrapped gave a %v ID", k)
		}
		p, err = entryid.ParsePSTStore(b)
		if err != nil || p.ANSIPath != path || p.UnicodePath != "" {
			t.Errorf("ParsePSTStore = %v, %v; want the Windows-1252 path %q", p, err, path)
		}
	})
	t.Run("folder", func(t *testing.T) {
		f, err := entryid.ParseFolder(build(t, "folder", "--provider", uid, "--db", db, "--counter", "0x19EBA"))
		if err != nil {
			t.Fatal(err)
		}
		want := entryid.Folder{Provider: mustUID(uid), Type: entryid.PrivateFolder, ID: entryid.LongTermID{Database: mustUID(db), Counter: 0x19EBA}}
		if f != want {
			t.Errorf("ParseFolder = %v, want %v", f, want)
		}
		if got, _ := entryid.ParseHex(vectorHex(t, "mfcmapi-ENTRYID-8")); !entryid.Equal(build(t, "folder", "--provider", uid, "--db", db, "--counter", "106170"), got) {
			t.Errorf("build folder does not equal ENTRYID-8")
		}
		f, err = entryid.ParseFolder(build(t, "folder", "--db", db, "--counter", "6", "--type", "public"))
		if err != nil || f.Provider != entryid.PublicFolderUID || f.Type != entryid.PublicFolder || f.ID.Counter != 6 {
			t.Errorf("ParseFolder = %v, %v; want a public folder", f, err)
		}
	})
	t.Run("message", func(t *testing.T) {
		m, err := entryid.ParseMessage(build(t, "message", "--provider", uid, "--folder-db", db, "--folder-counter", "0x19EBA", "--db", db2, "--counter", "0x00240E16BDE9"))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := entryid.ParseHex(vectorHex(t, "mfcmapi-ENTRYID-13"))
		if b, _ := m.AppendBinary(nil); !bytes.Equal(b, want) {
			t.Errorf("build message = %X, want ENTRYID-13 %X", b, want)
		}
	})
	t.Run("pst", func(t *testing.T) {
		p, err := entryid.ParsePST(build(t, "pst", "--store", "{517AC40F-2FC3-4A26-AA1C-D7F2BA4F1D7A}", "--nid", "0x8082"))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := entryid.ParseHex(vectorHex(t, "mfcmapi-ENTRYID-19"))
		if b, _ := p.AppendBinary(nil); !bytes.Equal(b, want) {
			t.Errorf("build pst = %X, want ENTRYID-19 %X", b, want)
		}
		if p.NID != 32898 {
			t.Errorf("NID = %v, want 0x8082", p.NID)
		}
	})
	t.Run("wrap", func(t *testing.T) {
		store, _ := entryid.ParseHex(vectorHex(t, "mfcmapi-ENTRYID-1"))
		b := build(t, "wrap", "--dll", "EMSMDB.DLL", "--inner", hex.EncodeToString(store[36:]))
		if !bytes.Equal(b, store) {
			t.Errorf("build wrap = %X, want %X", b, store)
		}
		dll, inner, err := entryid.UnwrapStore(build(t, "wrap", "--dll", "mspst.dll", "--inner", "cb: 3 lpb: 010203"))
		if err != nil || dll != "mspst.dll" || !bytes.Equal(inner, []byte{1, 2, 3}) {
			t.Errorf("UnwrapStore = %q, %X, %v", dll, inner, err)
		}
	})
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args    []string
		want    int
		wantErr string
	}{
		{nil, 2, "usage:"},
		{[]string{"build", "pst-store", "--path", ""}, 2, "--path is empty"},
		{[]string{"build", "oneoff", "--name", "N", "--address", ""}, 2, "--address is empty"},
		{[]string{"build", "oneoff", "--name", "", "--address", "a"}, 2, "--name is empty"},
		{[]string{"build", "oneoff", "--address", "a"}, 2, "missing --name"},
		{[]string{"frob"}, 2, `unknown command "frob"`},
		{[]string{"build"}, 2, "  oneoff --name N"},
		{[]string{"build", "--name", "x"}, 2, "the kind of ID comes first"},
		{[]string{"build", "frob"}, 2, `unknown kind "frob"`},
		{[]string{"build", "oneoff"}, 2, "missing --name, --address"},
		{[]string{"build", "oneoff", "--name", "N", "--address", "a", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"build", "oneoff", "--name", "N", "--address", "a", "--frob"}, 2, "frob"},
		{[]string{"build", "folder", "--provider", "{C64E6196-0166-11D2-A3B1-0008C728E7F1}"}, 2, "missing --db, --counter"},
		{[]string{"build", "message", "--db", "x", "--counter", "1"}, 2, "missing --folder-db, --folder-counter"},
		{[]string{"build", "pst", "--nid", "1"}, 2, "missing --store"},
		{[]string{"build", "wrap", "--dll", "x"}, 2, "missing --inner"},
		{[]string{"build", "exchange-store", "--dn", "x"}, 2, "missing --server"},
		{[]string{"build", "pst-store"}, 2, "missing --path"},
		{[]string{"build", "addressbook"}, 2, "missing --dn"},
		{[]string{"build", "unicode", "--unicode=maybe"}, 2, `unknown kind "unicode"`},
		{[]string{"build", "oneoff", "--name", "N", "--address", "a", "--unicode=maybe"}, 2, "invalid boolean"},

		// Invalid values: status 1.
		{[]string{"build", "folder", "--provider", "nope", "--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "1"}, 1, "--provider"},
		{[]string{"build", "folder", "--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "1"}, 1, "--provider"},
		{[]string{"build", "folder", "--type", "odd", "--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "1"}, 1, "--type"},
		{[]string{"build", "folder", "--type", "public", "--db", "85FA", "--counter", "1"}, 1, "--db"},
		{[]string{"build", "folder", "--type", "public", "--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "0x1000000000000"}, 1, "48 bits"},
		{[]string{"build", "folder", "--type", "public", "--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "-1"}, 1, "--counter"},
		{[]string{"build", "pst", "--store", "85FA5C86FCE6D111A3A60008C728E7F1", "--nid", "0x100000000"}, 1, "--nid"},
		{[]string{"build", "pst", "--store", "85FA5C86FCE6D111A3A60008C728E7F1", "--nid", "12ab"}, 1, "--nid"},
		{[]string{"build", "wrap", "--dll", "x", "--inner", "xyz"}, 1, "--inner"},
		{[]string{"build", "exchange-store", "--server", "S"}, 1, "--dn"},
		{[]string{"build", "oneoff", "--address", "a", "--name", "日本"}, 1, "日本"},
		{[]string{"build", "addressbook", "--dn", "x", "--type", "DT_NOPE"}, 1, "--type"},
	}
	for _, tt := range tests {
		got, stdout, stderr := runCmd(tt.args, "")
		if got != tt.want {
			t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, got, tt.want, stderr)
		}
		if stdout != "" {
			t.Errorf("run(%q) wrote %q to stdout, want nothing", tt.args, stdout)
		}
		if !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, stderr, tt.wantErr)
		}
	}
}

// TestHelp: asking for help is not an error: the usage goes to stdout,
// for the program and for every command and kind of build.
func TestHelp(t *testing.T) {
	type helpCase struct {
		args []string
		want string // in stdout
	}
	tests := []helpCase{
		{[]string{"help"}, "mapiid decode"},
		{[]string{"--help"}, "mapiid decode"},
		{[]string{"-h"}, "mapiid decode"},
		{[]string{"decode", "-h"}, "usage: mapiid decode"},
		{[]string{"decode", "--help"}, "-json"},
		{[]string{"compare", "-h"}, "usage: mapiid compare"},
		{[]string{"compare", "--help"}, "1 different objects"},
		{[]string{"build", "-h"}, "usage: mapiid build <kind>"},
		{[]string{"build", "--help"}, "  wrap --dll NAME --inner ID"},
		// Help wins over flags given before it, and over missing ones.
		{[]string{"build", "oneoff", "--address", "a", "--help"}, "usage: mapiid build oneoff"},
	}
	for _, k := range buildKinds {
		tests = append(tests,
			helpCase{[]string{"build", k, "-h"}, "usage: mapiid build " + k + " "},
			helpCase{[]string{"build", k, "--help"}, "flags:"})
	}
	for _, tt := range tests {
		got, stdout, stderr := runCmd(tt.args, "")
		if got != 0 || !strings.Contains(stdout, tt.want) || stderr != "" {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want 0 and %q on stdout", tt.args, got, stdout, stderr, tt.want)
		}
	}
}

// TestBuildRefusesWhatDecodeRejects: a folder whose provider UID is a
// well-known one reads as another layout; build says so instead of
// printing it.
func TestBuildRefusesWhatDecodeRejects(t *testing.T) {
	got, stdout, stderr := runCmd([]string{"build", "folder", "--provider", "38A1BB1005E5101AA1BB08002B2A56C2",
		"--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "1"}, "")
	if got != 1 || stdout != "" || !strings.Contains(stderr, "not an entry ID Parse accepts") {
		t.Errorf("build folder with MUIDSTOREWRAP = %d, stdout %q, stderr %q; want 1 and an explanation", got, stdout, stderr)
	}
}

// TestCompareReasons checks reasons that must not contradict the verdict.
func TestCompareReasons(t *testing.T) {
	build := func(args ...string) string {
		t.Helper()
		st, out, errOut := runCmd(append([]string{"build"}, args...), "")
		if st != 0 {
			t.Fatalf("build %q = %d: %s", args, st, errOut)
		}
		return strings.TrimSpace(out)
	}
	tests := []struct {
		name   string
		a, b   string
		want   string // the verdict line
		reason string // a line the reasons must hold
		not    string // and one they must not
	}{
		{"one-off ANSI vs Unicode, non-ASCII",
			build("oneoff", "--name", "X", "--address", "é@x", "--unicode"), build("oneoff", "--name", "X", "--address", "é@x"),
			"same object", "Address differs only in encoding", "different objects by"},
		{"wraps around the same unreadable bytes, other DLLs",
			build("wrap", "--dll", "EMSMDB.DLL", "--inner", "0102030405"), build("wrap", "--dll", "mspst.dll", "--inner", "0102030405"),
			"same object", `DLL name differs ("EMSMDB.DLL", "mspst.dll"): ignored by C4`, "different objects by"},
	}
	for _, tt := range tests {
		st, out, errOut := runCmd([]string{"compare", tt.a, tt.b}, "")
		if st != 0 || !strings.HasPrefix(out, tt.want) {
			t.Errorf("%s: compare = %d, %q (stderr %q), want %q", tt.name, st, out, errOut, tt.want)
		}
		if tt.reason != "" && !strings.Contains(out, tt.reason) {
			t.Errorf("%s: compare output %q lacks %q", tt.name, out, tt.reason)
		}
		if strings.Contains(out, tt.not) {
			t.Errorf("%s: compare output %q says %q, which contradicts the verdict", tt.name, out, tt.not)
		}
	}
}

// FuzzCompare checks that compare answers for any pair of IDs as
// entryid.Equal does, with its exit status, without an error, and with a
// reason for every different-objects verdict, in text a terminal can show.
func FuzzCompare(f *testing.F) {
	for _, n := range []string{"mfcmapi-ENTRYID-1", "mfcmapi-ENTRYID-8", "mfcmapi-ENTRYID-18", "mfcmapi-ENTRYID-3"} {
		b, err := entryid.ParseHex(vectorHex(f, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(b), []byte(b))
		c := bytes.Clone(b)
		c[len(c)-2]++
		f.Add([]byte(b), c)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) == 0 || len(b) == 0 {
			return // "no entry ID" is an error, tested in TestCompare
		}
		args := []string{"compare", hex.EncodeToString(a), hex.EncodeToString(b)}
		st, stdout, stderr := runCmd(args, "")
		want := exitDifferent
		if entryid.Equal(a, b) {
			want = exitSame
		}
		if st != want || stderr != "" {
			t.Fatalf("run(%q) = %d, stderr %q; want %d", args, st, stderr, want)
		}
		if st == exitDifferent && !strings.Contains(stdout, "different objects by ") {
			t.Errorf("run(%q) printed\n%s\nwith no deciding difference", args, stdout)
		}
		if why := terminalSafe(stdout); why != "" {
			t.Errorf("run(%q) printed %s: %q", args, why, stdout)
		}
	})
}

// terminalSafe reports why s could upset a terminal: a control character
// other than newline and tab, a format character (a bidirectional
// override), or bytes that are not UTF-8. It returns "" for safe text.
func terminalSafe(s string) string {
	if !utf8.ValidString(s) {
		return "bytes that are not UTF-8"
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029') {
			return fmt.Sprintf("the character %U", r)
		}
	}
	return ""
}

// TestUntrustedInputIsEscaped: whatever the input holds, what mapiid
// prints cannot move the cursor, change colours or reorder a line, and a
// long bad line gives a short message.
func TestUntrustedInputIsEscaped(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr []string // in stderr
	}{
		{"ESC in an argument", []string{"decode", "ab\x1b[31mzz"}, "", []string{`"ab\x1b[31mzz": `}},
		{"ESC on stdin", []string{"decode"}, "\x1b]0;owned\x07\n", []string{`line 1: "\x1b]0;owned\a": `}},
		{"bytes that are not UTF-8", []string{"decode", "00\xff\xfe"}, "", []string{`"00\xff\xfe": `}},
		{"C1 control (CSI)", []string{"decode", "00\u009b2J"}, "", []string{`"00\u009b2J": `}},
		{"bidirectional override", []string{"decode", "\u202e0011"}, "", []string{`"\u202e0011": `}},
		{"carriage return", []string{"decode", "zz\rOK"}, "", []string{`"zz\rOK": `}},
		{"long line", []string{"decode"}, strings.Repeat("zz", 5000) + "\n", []string{`line 1: "zzzzzz`, `"... (10000 characters): `}},
		{"compare", []string{"compare", "\x1b[2J", "00"}, "", []string{`first ID "\x1b[2J": `}},
		{"unknown flag", []string{"decode", "--\x1b[2J"}, "", []string{`-\x1b[2J`}},
		{"unknown command", []string{"\x1b[2J"}, "", []string{`unknown command "\x1b[2J"`}},
		{"unknown kind", []string{"build", "\x1b[2J"}, "", []string{`unknown kind "\x1b[2J"`}},
		{"unexpected argument", []string{"build", "pst", "--store", "x", "--nid", "1", "\x1b[2J"}, "", []string{`unexpected argument "\x1b[2J"`}},
		{"flag value", []string{"build", "pst", "--store", "{\x1b[2J}", "--nid", "1"}, "", []string{`\x1b[2J`}},
	}
	for _, tt := range tests {
		st, stdout, stderr := runCmd(tt.args, tt.stdin)
		if st == 0 {
			t.Errorf("%s: run(%q) = 0, want an error", tt.name, tt.args)
		}
		for _, out := range []string{stdout, stderr} {
			if why := terminalSafe(out); why != "" {
				t.Errorf("%s: run(%q) printed %s: %q", tt.name, tt.args, why, out)
			}
		}
		for _, w := range tt.wantErr {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: run(%q) stderr = %q, want it to contain %q", tt.name, tt.args, stderr, w)
			}
		}
		if tt.name == "long line" && len(stderr) > 200 {
			t.Errorf("%s: run(%q) wrote %d bytes of error, want one short line", tt.name, tt.args, len(stderr))
		}
	}
}

// TestDecodedTextIsEscaped: strings inside an ID (a DLL name, a path) are
// input too.
func TestDecodedTextIsEscaped(t *testing.T) {
	evil := "\x1b[2J\u202e"
	// An 8-bit DLL name holds what Windows-1252 has: ESC, and 0x81 (U+0081).
	wrap, err := entryid.Store{DLL: "\x1b[2J\u0081", Inner: []byte{1, 2, 3}}.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	path, err := entryid.PSTStore{UnicodePath: `C:\` + evil + ".pst"}.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := entryid.Store{DLL: "x\r", Inner: []byte{1, 2, 3}}.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	hexOf := func(b []byte) string { return mapispi.EntryID(b).String() }
	for _, args := range [][]string{
		{"decode", hexOf(wrap), hexOf(path)},
		{"decode", "--json", hexOf(wrap), hexOf(path)},
		{"compare", hexOf(wrap), hexOf(other)},
	} {
		st, stdout, stderr := runCmd(args, "")
		if st == 2 {
			t.Errorf("run(%q) = %d; stderr %q", args, st, stderr)
		}
		for _, out := range []string{stdout, stderr} {
			if why := terminalSafe(out); why != "" {
				t.Errorf("run(%q) printed %s: %q", args, why, out)
			}
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "0000 38A1", "0000 38A1"},
		{"Windows path", `C:\Users\ann\Outlook.pst`, `C:\Users\ann\Outlook.pst`},
		{"quotes", `say "hi"`, `say "hi"`},
		{"non-ASCII letters", "Zoë 日本", "Zoë 日本"},
		{"ESC", "\x1b[31m", `\x1b[31m`},
		{"newline and tab", "a\nb\tc", `a\nb\tc`},
		{"DEL", "\x7f", `\x7f`},
		{"C1", "\u0085\u009b", `\u0085\u009b`},
		{"bad bytes", "a\xff\xc3", `a\xff\xc3`},
		{"real U+FFFD", "\uFFFD", "\uFFFD"},
		{"bidi and zero width", "\u202e\u200b", `\u202e\u200b`},
		{"line separator", "\u2028", `\u2028`},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("%s: escape(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestQuoteInput(t *testing.T) {
	long := strings.Repeat("é", maxQuoted+1)
	tests := []struct {
		name, in, want string
	}{
		{"short", " 00zz \n", `"00zz"`},
		{"exactly the limit", long[:2*maxQuoted], `"` + long[:2*maxQuoted] + `"`},
		{"cut by characters, not bytes", long, `"` + long[:2*maxQuoted] + `"... (61 characters)`},
		{"escaped after the cut", strings.Repeat("\x1b", maxQuoted+5), `"` + strings.Repeat(`\x1b`, maxQuoted) + `"... (65 characters)`},
	}
	for _, tt := range tests {
		if got := quoteInput(tt.in); got != tt.want {
			t.Errorf("%s: quoteInput(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestDecodeNoEntryID: the counted forms can say "no entry ID", which is
// an answer, not an error.
func TestDecodeNoEntryID(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"decode", "cb: 0 lpb: NULL"}, "", "no entry ID (0 bytes)\n"},
		{[]string{"decode", "[len=0, data=]"}, "", "no entry ID (0 bytes)\n"},
		{[]string{"decode"}, "cb: 0 lpb: NULL\n", "no entry ID (0 bytes)\n"},
		{[]string{"decode", "--json", "cb: 0 lpb: NULL"}, "",
			`{"input":"cb: 0 lpb: NULL","hex":"","kind":"none","name":"no entry ID","offset":0,"size":0,"value":""}` + "\n"},
	} {
		st, stdout, stderr := runCmd(tt.args, tt.stdin)
		if st != 0 || stdout != tt.want || stderr != "" {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want 0 and %q", tt.args, st, stdout, stderr, tt.want)
		}
	}
}

// TestDecodeColumns: offsets are hex with 0x, and the columns grow for
// IDs too long for four digits instead of pushing the names out of line.
func TestDecodeColumns(t *testing.T) {
	for _, tt := range []struct {
		name    string
		address int    // length of the one-off's address
		line    string // the Address field's line
		pattern string // every field line
	}{
		{"small", 10, "  0x001F    11  Address      ", `^  0x[0-9A-F]{4}  [ 0-9]{4}  [A-Za-z]`},
		{"over 9999 bytes", 12000, "  0x001F  12001  Address      ", `^  0x[0-9A-F]{4}  [ 0-9]{5}  [A-Za-z]`},
		{"over 65535 bytes", 70000, "  0x0001F  70001  Address      ", `^  0x[0-9A-F]{5}  [ 0-9]{5}  [A-Za-z]`},
	} {
		b, err := entryid.OneOff{DisplayName: "N", AddressType: "SMTP", Address: strings.Repeat("a", tt.address)}.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		st, stdout, stderr := runCmd([]string{"decode", mapispi.EntryID(b).String()}, "")
		if st != 0 {
			t.Fatalf("%s: decode = %d: %s", tt.name, st, stderr)
		}
		if !strings.Contains(stdout, "\n"+tt.line) {
			t.Errorf("%s: decode printed\n%.400s\nwant the line %q", tt.name, stdout, tt.line)
		}
		re := regexp.MustCompile(tt.pattern)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		for _, l := range lines[1:] {
			if !re.MatchString(l) {
				t.Errorf("%s: decode line %.80q does not match %s", tt.name, l, tt.pattern)
			}
		}
	}
}

// TestNoCodeTwice: no message names its MAPI status code twice, as a
// message wrapped around a *mapispi.Error that already ends with the code
// would.
func TestNoCodeTwice(t *testing.T) {
	code := regexp.MustCompile(`MAPI_[EW]_[A-Z0-9_]+`)
	for _, args := range [][]string{
		{"build", "pst", "--store", "nope", "--nid", "1"},
		{"build", "folder", "--provider", "nope", "--db", "85FA5C86FCE6D111A3A60008C728E7F1", "--counter", "1"},
		{"build", "oneoff", "--unicode", "--name", "\xff", "--address", "a"},
		{"build", "exchange-store", "--server", "S", "--dn", "x", "--smtp", "\xff"},
		{"build", "pst-store", "--path", "\xff"},
		{"build", "wrap", "--dll", "x", "--inner", "0g"},
		{"decode", "00", "0g", "0000000038A1BB1005E5101AA1BB08002B2A56C2"},
	} {
		st, _, stderr := runCmd(args, "")
		if st == 0 || stderr == "" {
			t.Errorf("run(%q) = %d, stderr %q; want an error", args, st, stderr)
		}
		for _, l := range strings.Split(stderr, "\n") {
			seen := map[string]bool{}
			for _, c := range code.FindAllString(l, -1) {
				if seen[c] {
					t.Errorf("run(%q) names %s twice: %q", args, c, l)
				}
				seen[c] = true
			}
		}
	}
}
