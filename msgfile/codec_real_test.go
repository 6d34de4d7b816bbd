package msgfile

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// realFiles are the Outlook files of testdata/msg, which readFile's
// compound file reader turns into trees.
func realFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "msg", "*.msg"))
	if len(files) == 0 {
		t.Fatal("no .msg files in testdata/msg")
	}
	return files
}

func treeOfFile(t *testing.T, file string) *tree {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := readTree(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("readTree(%s) = %v", file, err)
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
			root := treeOfFile(t, file)
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
	m, _, err := decodeMessage(treeOfFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	subject := mapispi.PropSubject.WithType(mapispi.PtString8)
	if got, want := propValue(m.props, subject), "\u65e5\u672c\u8a9e Non Unicode \u30bf\u30a4\u30c8\u30eb"; got != want {
		t.Errorf("PR_SUBJECT_A = %q, want %q", got, want)
	}
}
