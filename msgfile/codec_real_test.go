package msgfile

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Until package cfb reads compound files, the real files of
// shared/testdata/msg reach the codec through libolecf's olecfexport
// (Debian libolecf-utils), which writes each storage as a directory and
// each stream as a directory holding StreamData.bin. A directory with
// nothing but StreamData.bin is taken for a stream, so an empty storage
// would read as an empty stream; the CLSIDs are not exported.

const realMsgDir = "../../shared/testdata/msg"

func realFiles(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("olecfexport"); err != nil {
		t.Skip("olecfexport (Debian libolecf-utils) not installed: the real .msg files need it until package cfb lands")
	}
	dir := realMsgDir
	if d := os.Getenv("MAPIEMU_MSG_TESTDATA"); d != "" {
		dir = d
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.msg"))
	if len(files) == 0 {
		t.Skipf("no .msg files in %s", dir)
	}
	return files
}

func treeFromExport(t *testing.T, file string) *tree {
	t.Helper()
	out := filepath.Join(t.TempDir(), "x")
	cmd := exec.Command("olecfexport", "-t", out, file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("olecfexport %s: %v\n%s", file, err, b)
	}
	return readExportDir(t, out+".export")
}

func readExportDir(t *testing.T, dir string) *tree {
	t.Helper()
	tr := newTree()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		sub, _ := os.ReadDir(p)
		if len(sub) == 1 && sub[0].Name() == "StreamData.bin" {
			b, err := os.ReadFile(filepath.Join(p, "StreamData.bin"))
			if err != nil {
				t.Fatal(err)
			}
			tr.streams[e.Name()] = b
			continue
		}
		tr.storages[e.Name()] = readExportDir(t, p)
	}
	return tr
}

// TestRealFiles reads every real file, writes it back and reads that
// again: the model must come back equal. The mapping streams written for
// the named properties must equal the ones Outlook wrote, which checks
// the CRC and stream formula of [MS-OXMSG] 2.2.3.2.
func TestRealFiles(t *testing.T) {
	for _, file := range realFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			root := treeFromExport(t, file)
			m, names, err := decodeMessage(root)
			if err != nil {
				t.Fatalf("decodeMessage: %v", err)
			}
			enc, err := encodeMessage(m, names)
			if err != nil {
				t.Fatalf("encodeMessage: %v", err)
			}
			m2, names2, err := decodeMessage(enc)
			if err != nil {
				t.Fatalf("decodeMessage(encodeMessage(...)): %v", err)
			}
			if !sameMsg(m, m2) || !sameNames(names, names2) {
				t.Errorf("the model changed on a rewrite")
			}
			orig, _ := root.storage(nameidStorage)
			ours := enc.storages[nameidStorage]
			if orig == nil {
				return
			}
			wrote := 0
			for name, want := range orig.streams {
				if !strings.HasPrefix(strings.ToLower(name), "__substg1.0_10") {
					continue
				}
				wrote++
				got, ok := ours.stream(name)
				if !ok {
					t.Errorf("%s: Outlook wrote it, we did not", name)
					continue
				}
				if !bytes.Equal(sortEntries(got), sortEntries(want)) {
					t.Errorf("%s = % X, want % X", name, got, want)
				}
			}
			if wrote == 0 {
				return // the new Outlook writes no mapping streams
			}
			for name := range ours.streams {
				if _, ok := orig.stream(name); !ok && strings.HasPrefix(name, "__substg1.0_10") {
					t.Errorf("%s: we wrote it, Outlook did not", name)
				}
			}
		})
	}
}

// sortEntries returns the 8-byte entries of b in a fixed order, so that
// streams that differ only in entry order compare equal.
func sortEntries(b []byte) []byte {
	var es []string
	for i := 0; i+8 <= len(b); i += 8 {
		es = append(es, string(b[i:i+8]))
	}
	sort.Strings(es)
	return []byte(strings.Join(es, ""))
}

// TestRealCP932: the ANSI Japanese file has PR_INTERNET_CPID 50220
// (ISO-2022-JP) and no PR_MESSAGE_CODEPAGE; its 8-bit strings are Shift
// JIS and read as Japanese text.
func TestRealCP932(t *testing.T) {
	file := filepath.Join(filepath.Dir(realFiles(t)[0]), "nonUnicodeCP932.msg")
	if _, err := os.Stat(file); err != nil {
		t.Skip(err)
	}
	m, _, err := decodeMessage(treeFromExport(t, file))
	if err != nil {
		t.Fatal(err)
	}
	subject := mapispi.PropSubject.WithType(mapispi.PtString8)
	if got, want := propValue(m.props, subject), "\u65e5\u672c\u8a9e Non Unicode \u30bf\u30a4\u30c8\u30eb"; got != want {
		t.Errorf("PR_SUBJECT_A = %q, want %q", got, want)
	}
}
