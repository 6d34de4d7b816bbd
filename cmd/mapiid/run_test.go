package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

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
				"  0000     4  abFlags",
				`  0022    11  DLL name                 "EMSMDB.DLL"`,
				"  0036   137  Exchange store entry ID\n",
				"    0060     9  ServerShortname  \"BOOEX2K7\"",
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
			wantOut: []string{"\n    0119   124  V2 tail\n          ! V2 size field says 131, the bytes give 124", "\n      0119     4  Magic "},
		},
		{
			args:    []string{"decode", "112233"},
			want:    1,
			wantErr: []string{"mapiid: 112233: ", "offset 3"},
		},
		{
			args:    []string{"decode", "00zz"},
			want:    1,
			wantErr: []string{"mapiid: 00zz: ", "offset 2", "invalid character"},
		},
		{
			// A bad ID in the middle: the others are still decoded.
			args:    []string{"decode", store, "112233", pst},
			want:    1,
			wantOut: []string{"store entry ID", "PST entry ID"},
			wantErr: []string{"mapiid: 112233: "},
		},
		{
			args:    []string{"decode"},
			stdin:   pst + "\nnothex\n",
			want:    1,
			wantOut: []string{"PST entry ID"},
			wantErr: []string{"mapiid: nothex: "},
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
	if last.Name != "Tail" || !strings.Contains(last.Note, "3 meaningless bytes") {
		t.Errorf("last contact field = %+v, want the tail with a note", last)
	}
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
		{storeHex, storeHex, 0, "same object", []string{`both Exchange store entry IDs (wrapped, "EMSMDB.DLL")`, "identical bytes"}},
		{storeHex, hexOf(shortTerm), 0, "same object", []string{
			"both Exchange store entry IDs", "abFlags differ but are ignored", "server names differ but are ignored"}},
		{storeHex, hexOf(dnCase), 0, "same object", []string{"mailbox DNs differ in case but are ignored"}},
		{storeHex, hexOf(unwrapped), 0, "same object", []string{"the wrap is ignored"}},
		{storeHex, hexOf(otherDN), 0, "different objects", []string{"different mailbox DNs"}},
		{folder1, folder2, 0, "different objects", []string{"both folder entry IDs", "different folder IDs"}},
		{folder1, storeHex, 0, "different objects", []string{`A: folder entry ID; B: Exchange store entry ID (wrapped, "EMSMDB.DLL")`}},
		{folder1, "112233", 0, "different objects", []string{"B is not a well-formed entry ID"}},
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

	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"compare", storeHex}, 2},
		{[]string{"compare"}, 2},
		{[]string{"compare", storeHex, storeHex, storeHex}, 2},
		{[]string{"compare", "--x", storeHex, storeHex}, 2},
		{[]string{"compare", storeHex, "0g"}, 1},
		{[]string{"compare", "0", storeHex}, 1},
	} {
		got, stdout, stderr := runCmd(tt.args, "")
		if got != tt.want {
			t.Errorf("run(%q) = %d, want %d", tt.args, got, tt.want)
		}
		if stdout != "" || stderr == "" {
			t.Errorf("run(%q) printed stdout %q, stderr %q; want only an error", tt.args, stdout, stderr)
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
		want := entryid.OneOff{Options: entryid.OneOffNoRichInfo, DisplayName: "Zo\xeb", AddressType: "SMTP", Address: "zoe@example.com"}
		if o != want {
			t.Errorf("ParseOneOff = %v, want %v", o, want)
		}
		o, err = entryid.ParseOneOff(build(t, "oneoff", "--name", "Zoë", "--type", "EX", "--address", "/o=x", "--unicode", "--tnef"))
		if err != nil {
			t.Fatal(err)
		}
		want = entryid.OneOff{Options: entryid.OneOffUnicode, DisplayName: "Zoë", AddressType: "EX", Address: "/o=x"}
		if o != want {
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
		if err != nil || p.ANSIPath != "C:\\Users\\\xdcn\xefcode\\Outlook.pst" || p.UnicodePath != "" {
			t.Errorf("ParsePSTStore = %v, %v; want the Latin-1 path", p, err)
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
		{[]string{"build", "oneoff", "--address", ""}, 2, "--address is empty"},
		{[]string{"frob"}, 2, `unknown command "frob"`},
		{[]string{"decode", "-h"}, 2, "usage: mapiid decode"},
		{[]string{"build"}, 2, "kinds: oneoff"},
		{[]string{"build", "--name", "x"}, 2, "kinds: oneoff"},
		{[]string{"build", "frob"}, 2, `unknown kind "frob"`},
		{[]string{"build", "oneoff"}, 2, "missing --address"},
		{[]string{"build", "oneoff", "--address", "a", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"build", "oneoff", "--address", "a", "--frob"}, 2, "frob"},
		{[]string{"build", "folder", "--provider", "{C64E6196-0166-11D2-A3B1-0008C728E7F1}"}, 2, "missing --db, --counter"},
		{[]string{"build", "message", "--db", "x", "--counter", "1"}, 2, "missing --folder-db, --folder-counter"},
		{[]string{"build", "pst", "--nid", "1"}, 2, "missing --store"},
		{[]string{"build", "wrap", "--dll", "x"}, 2, "missing --inner"},
		{[]string{"build", "exchange-store", "--dn", "x"}, 2, "missing --server"},
		{[]string{"build", "pst-store"}, 2, "missing --path"},
		{[]string{"build", "addressbook"}, 2, "missing --dn"},
		{[]string{"build", "unicode", "--unicode=maybe"}, 2, `unknown kind "unicode"`},
		{[]string{"build", "oneoff", "--address", "a", "--unicode=maybe"}, 2, "invalid boolean"},

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
		{[]string{"build", "oneoff", "--address", "a", "--name", "日本"}, 1, "Latin-1"},
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

// TestHelp: asking for help is not an error: the usage goes to stdout.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		got, stdout, stderr := runCmd(args, "")
		if got != 0 || !strings.Contains(stdout, "mapiid decode") || stderr != "" {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want 0 and the usage on stdout", args, got, stdout, stderr)
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
			"same object", "", "different addresses"},
		{"wraps around the same unreadable bytes, other DLLs",
			build("wrap", "--dll", "EMSMDB.DLL", "--inner", "0102030405"), build("wrap", "--dll", "mspst.dll", "--inner", "0102030405"),
			"same object", "DLL names differ", "the wrapped bytes differ"},
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

// FuzzReasons checks that compare explains any pair of IDs without failing
// and gives a reason for every different-objects verdict.
func FuzzReasons(f *testing.F) {
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
		same := entryid.Equal(a, b)
		rs := reasons(a, b, same)
		if len(rs) == 0 {
			t.Fatalf("reasons(%X, %X) is empty", a, b)
		}
	})
}
