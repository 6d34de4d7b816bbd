package main

import (
	"bytes"
	"encoding/json"
	"github.com/mapiemu/mapiemu/internal/tempdir"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testdata = "../../msgfile/testdata/msg/"

func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDumpText(t *testing.T) {
	code, out, errOut := runCmd("dump", testdata+"Simple.msg")
	if code != exitOK {
		t.Fatalf("dump Simple.msg = %d, %s", code, errOut)
	}
	if !strings.Contains(out, `0x0037001F PR_SUBJECT`) || !strings.Contains(out, `"Simple"`) {
		t.Errorf("dump Simple.msg lacks its subject:\n%s", out)
	}
}

func TestDumpJSON(t *testing.T) {
	code, out, errOut := runCmd("dump", "--json", testdata+"msgInMsg.msg")
	if code != exitOK {
		t.Fatalf("dump --json msgInMsg.msg = %d, %s", code, errOut)
	}
	var m struct {
		Props []struct {
			Tag, Name string
			Value     any
		}
		Recipients  []any
		Attachments []struct {
			Message *struct{ Props []any }
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("dump --json output is not JSON: %v\n%s", err, out)
	}
	if len(m.Props) == 0 || !strings.HasPrefix(m.Props[0].Tag, "0x") || len(m.Props[0].Tag) != 10 {
		t.Errorf("dump --json props[0] = %+v, want a tag as 0x and 8 hex digits", m.Props)
	}
	embedded := false
	for _, a := range m.Attachments {
		embedded = embedded || a.Message != nil
	}
	if !embedded {
		t.Errorf("dump --json msgInMsg.msg: no attachment has its embedded message")
	}
}

func TestNotAMsg(t *testing.T) {
	path := filepath.Join(tempDir(t), "x.msg")
	if err := os.WriteFile(path, []byte("not a compound file at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd("dump", path)
	if code != exitInvalid || !strings.Contains(errOut, "x.msg") {
		t.Errorf("dump of a text file = %d, %q; want %d and a message naming it", code, errOut, exitInvalid)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"frob"}, {"dump"}, {"rewrite", "a"}, {"dump", "--nope", "x"}} {
		if code, _, _ := runCmd(args...); code != exitUsage {
			t.Errorf("mapimsg %q = %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, _ := runCmd("help"); code != exitOK || !strings.Contains(out, "usage:") {
		t.Errorf("mapimsg help = %d, %q", code, out)
	}
}

func TestRewriteDumpsTheSame(t *testing.T) {
	out := filepath.Join(tempDir(t), "out.msg")
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", out); code != exitOK {
		t.Fatalf("rewrite = %d, %s", code, errOut)
	}
	_, want, _ := runCmd("dump", "--json", testdata+"attachmentsOrder.msg")
	code, got, errOut := runCmd("dump", "--json", out)
	if code != exitOK {
		t.Fatalf("dump of the rewritten file = %d, %s", code, errOut)
	}
	if got != want {
		t.Errorf("dump --json of the rewritten file differs from the original's")
	}
}

func TestRTF(t *testing.T) {
	code, out, errOut := runCmd("rtf", testdata+"Simple.msg")
	if code != exitOK {
		t.Fatalf("rtf Simple.msg = %d, %s", code, errOut)
	}
	if !strings.HasPrefix(out, `{\rtf`) {
		t.Errorf("rtf Simple.msg = %.40q..., want RTF", out)
	}
}

func TestImportShowsTheStoreSide(t *testing.T) {
	dir := tempDir(t)
	code, out, errOut := runCmd("import", "--folder", "From files", "--out", dir, testdata+"Simple.msg", testdata+"msgInMsg.msg")
	if code != exitOK {
		t.Fatalf("import = %d, %s", code, errOut)
	}
	if !strings.Contains(out, `folder "From files" of the store holds 2 messages`) {
		t.Errorf("import output lacks the folder's count:\n%s", out)
	}
	for _, name := range []string{"001.msg", "002.msg"} {
		code, dumped, errOut := runCmd("dump", "--json", filepath.Join(dir, name))
		if code != exitOK || !strings.Contains(dumped, `"props"`) {
			t.Errorf("dump of the exported %s = %d, %s", name, code, errOut)
		}
	}
	if code, _, _ := runCmd("import"); code != exitUsage {
		t.Errorf("import without files = %d, want %d", code, exitUsage)
	}
	if code, _, errOut := runCmd("import", filepath.Join(dir, "missing.msg")); code != exitInvalid || !strings.Contains(errOut, "missing.msg") {
		t.Errorf("import of a missing file = %d, %q", code, errOut)
	}
}

// tempDir is a temporary directory for the test (see internal/tempdir).
func tempDir(t *testing.T) string { return tempdir.New(t, "mapimsg-test-") }
