package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/mapiemu/mapiemu/internal/tempdir"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/internal/dump"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
)

const testdata = "../../pst/testdata/"

var pstFiles = []string{"sample1", "sample2", "submessage", "test_ansi", "test_unicode", "Empty"}

func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// tempDir is a temporary directory for the test (see internal/tempdir).
func tempDir(t *testing.T) string { return tempdir.New(t, "mapipst-test-") }

func TestInfo(t *testing.T) {
	code, out, errOut := runCmd("info", testdata+"sample1.pst")
	if code != exitOK {
		t.Fatalf("info sample1.pst = %d, %s", code, errOut)
	}
	for _, want := range []string{"format:      Unicode", "encryption:  NDB_CRYPT_PERMUTE", "store:       sample1", "messages:    1", "attachments: 1", "password:    none"} {
		if !strings.Contains(out, want) {
			t.Errorf("info sample1.pst lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd("info", testdata+"sample2.pst")
	if code != exitOK || !strings.Contains(out, "format:      ANSI") {
		t.Errorf("info sample2.pst = %d:\n%s", code, out)
	}
}

func TestLs(t *testing.T) {
	code, out, errOut := runCmd("ls", testdata+"sample1.pst")
	if code != exitOK || !strings.Contains(out, "  Sample1 (1)") {
		t.Errorf("ls sample1.pst = %d, %s:\n%s", code, errOut, out)
	}
	code, out, errOut = runCmd("ls", testdata+"sample1.pst", "Top of Outlook data file/Sample1")
	if code != exitOK || !strings.Contains(out, "Here is a sample message") || !strings.Contains(out, "Terry Mahaffey") {
		t.Errorf("ls sample1.pst Sample1 = %d, %s:\n%s", code, errOut, out)
	}
	if code, _, errOut := runCmd("ls", testdata+"sample1.pst", "Nope"); code != exitInvalid || !strings.Contains(errOut, "Nope") {
		t.Errorf("ls of a missing folder = %d, %q", code, errOut)
	}
}

// jsonDump is the part of dump --json the tests read.
type jsonDump struct {
	Folders []struct {
		Path     []string
		Messages []struct {
			Props []struct {
				Tag, Name string
				Value     any
			}
			Attachments []struct {
				Message *json.RawMessage
			}
		}
	}
}

func TestDumpJSON(t *testing.T) {
	for _, name := range pstFiles {
		code, out, errOut := runCmd("dump", "--json", testdata+name+".pst")
		if code != exitOK {
			t.Fatalf("dump --json %s = %d, %s", name, code, errOut)
		}
		var d jsonDump
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatalf("dump --json %s is not JSON: %v", name, err)
		}
		if len(d.Folders) == 0 {
			t.Errorf("dump --json %s has no folders", name)
		}
		for _, f := range d.Folders {
			for _, m := range f.Messages {
				for _, p := range m.Props {
					if p.Name == "PR_MESSAGE_SIZE" || p.Name == "PR_MESSAGE_FLAGS" {
						if _, ok := p.Value.(float64); !ok {
							t.Errorf("%s: %s = %v, want a number", name, p.Name, p.Value)
						}
					}
				}
			}
		}
	}
	_, out, _ := runCmd("dump", "--json", testdata+"submessage.pst")
	if !strings.Contains(out, `"message":{`) {
		t.Errorf("dump --json submessage.pst shows no embedded message")
	}
}

func TestExport(t *testing.T) {
	dir := tempDir(t)
	code, out, errOut := runCmd("export", testdata+"sample1.pst", dir)
	if code != exitOK {
		t.Fatalf("export = %d, %s", code, errOut)
	}
	if !strings.Contains(out, "1 messages") || !strings.Contains(errOut, "exported 1/1") {
		t.Errorf("export output = %q, progress = %q", out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "Top of Outlook data file", "Sample1", "*.msg"))
	if len(files) != 1 {
		t.Fatalf("exported .msg files in Sample1 = %v, want 1", files)
	}
	m, err := msgfile.OpenFile(files[0], 0)
	if err != nil {
		t.Fatalf("the exported file does not read: %v", err)
	}
	defer m.Close(context.Background())
	vals, _ := m.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropSubject})
	if vals[0].Value != "Here is a sample message" {
		t.Errorf("the exported message's PR_SUBJECT = %v", vals[0].Value)
	}
}

func TestErrors(t *testing.T) {
	path := filepath.Join(tempDir(t), "x.pst")
	if err := os.WriteFile(path, []byte("not a pst at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd("info", path); code != exitInvalid || !strings.Contains(errOut, "x.pst") {
		t.Errorf("info of a text file = %d, %q", code, errOut)
	}
	for _, args := range [][]string{{}, {"frob"}, {"info"}, {"dump", "x"}, {"export", "x"}} {
		if code, _, _ := runCmd(args...); code != exitUsage {
			t.Errorf("mapipst %q = %d, want %d", args, code, exitUsage)
		}
	}
}

// pffMessage is what pffexport -f text says of a message.
type pffMessage struct {
	folder, subject string
	size, flags     int64
}

// TestAgainstPffexport: libpff's pffexport (Debian pff-tools) finds the
// same folders and, in each, messages with the same subject,
// PR_MESSAGE_SIZE and PR_MESSAGE_FLAGS; and the attachment data it
// exports equals ours byte for byte.
func TestAgainstPffexport(t *testing.T) {
	tool, err := exec.LookPath("pffexport")
	if err != nil {
		t.Skip("pffexport not installed: apt-get install pff-tools (.ci/run does)")
	}
	for _, name := range pstFiles {
		t.Run(name, func(t *testing.T) {
			dir := tempDir(t)
			target := filepath.Join(dir, "out")
			cmd := exec.Command(tool, "-v", "-f", "text", "-t", target, testdata+name+".pst")
			res, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("pffexport: %v\n%s", err, res)
			}
			theirFolders, theirs := pffTree(t, target+".export")
			// pffexport skips the items of some classes (IPM.Post) and says
			// so with -v: those are left out of our side too.
			skipped := map[string]int{}
			for _, m := range regexp.MustCompile(`skipped export of item: \d+ out of: \d+ of type: (\S+) `).FindAllStringSubmatch(string(res), -1) {
				skipped[m[1]]++
			}

			_, out, _ := runCmd("dump", "--json", testdata+name+".pst")
			var d jsonDump
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatal(err)
			}
			var ourFolders []string
			var ours []pffMessage
			for _, f := range d.Folders {
				folder := strings.Join(f.Path, "/")
				ourFolders = append(ourFolders, folder)
				for _, m := range f.Messages {
					pm := pffMessage{folder: folder}
					class := ""
					for _, p := range m.Props {
						switch p.Name {
						case "PR_MESSAGE_CLASS", "PR_MESSAGE_CLASS_A":
							class = p.Value.(string)
						case "PR_SUBJECT", "PR_SUBJECT_A":
							pm.subject = p.Value.(string)
						case "PR_MESSAGE_SIZE":
							pm.size = int64(p.Value.(float64))
						case "PR_MESSAGE_FLAGS":
							pm.flags = int64(p.Value.(float64))
						}
					}
					if skipped[class] > 0 {
						skipped[class]--
						continue
					}
					ours = append(ours, pm)
				}
			}
			for class, n := range skipped {
				if n != 0 {
					t.Errorf("pffexport skipped %d more items of class %s than we found", n, class)
				}
			}
			slices.Sort(ourFolders)
			if !slices.Equal(ourFolders, theirFolders) {
				t.Errorf("folders = %q\npffexport's = %q", ourFolders, theirFolders)
			}
			sortMessages(ours)
			sortMessages(theirs)
			if !slices.Equal(ours, theirs) {
				t.Errorf("messages = %+v\npffexport's = %+v", ours, theirs)
			}
		})
	}

	// The attachment of sample1, byte for byte.
	dir := tempDir(t)
	target := filepath.Join(dir, "out")
	if res, err := exec.Command(tool, "-f", "text", "-t", target, testdata+"sample1.pst").CombinedOutput(); err != nil {
		t.Fatalf("pffexport: %v\n%s", err, res)
	}
	theirs, err := os.ReadFile(filepath.Join(target+".export", "Top of Outlook data file", "Sample1", "Message00001", "Attachments", "1_leah_thumper.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	exp := tempDir(t)
	if code, _, errOut := runCmd("export", testdata+"sample1.pst", exp); code != exitOK {
		t.Fatal(errOut)
	}
	files, _ := filepath.Glob(filepath.Join(exp, "Top of Outlook data file", "Sample1", "*.msg"))
	if len(files) != 1 {
		t.Fatalf("exported files = %v", files)
	}
	m, err := msgfile.OpenFile(files[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	a, err := m.OpenAttach(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	vals, _ := a.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropAttachDataBin, mapispi.PropAttachLongFilename})
	if got, _ := vals[0].Value.([]byte); !bytes.Equal(got, theirs) {
		t.Errorf("leah_thumper.jpg: %d bytes, pffexport's %d, not equal", len(got), len(theirs))
	}
	if vals[1].Value != "leah_thumper.jpg" {
		t.Errorf("the attachment's PR_ATTACH_LONG_FILENAME = %v", vals[1].Value)
	}
}

func sortMessages(ms []pffMessage) {
	slices.SortFunc(ms, func(a, b pffMessage) int {
		return strings.Compare(a.folder+"\x00"+a.subject, b.folder+"\x00"+b.subject)
	})
}

// pffTree reads a pffexport -f text tree: the folders (directories that
// are not messages or parts of one) and each message's subject, size and
// flags (OutlookHeaders.txt).
func pffTree(t *testing.T, root string) ([]string, []pffMessage) {
	t.Helper()
	var folders []string
	var msgs []pffMessage
	var walk func(dir, path string)
	walk = func(dir, path string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			sub := filepath.Join(dir, e.Name())
			if strings.HasPrefix(e.Name(), "Message") && fileExists(filepath.Join(sub, "OutlookHeaders.txt")) {
				msgs = append(msgs, readHeaders(t, filepath.Join(sub, "OutlookHeaders.txt"), path))
				continue
			}
			p := e.Name()
			if path != "" {
				p = path + "/" + e.Name()
			}
			folders = append(folders, p)
			walk(sub, p)
		}
	}
	walk(root, "")
	slices.Sort(folders)
	return folders, msgs
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func readHeaders(t *testing.T, path, folder string) pffMessage {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	m := pffMessage{folder: folder}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "Subject":
			m.subject = value
		case "Size":
			m.size, _ = strconv.ParseInt(value, 10, 64)
		case "Flags":
			f, _, _ := strings.Cut(value, " ")
			m.flags, _ = strconv.ParseInt(strings.TrimPrefix(f, "0x"), 16, 64)
		}
	}
	return m
}

func TestInfoSaysAPasswordIsSet(t *testing.T) {
	code, out, errOut := runCmd("info", testdata+"test_ansi.pst")
	if code != exitOK || !strings.Contains(out, "password:    set (a CRC") {
		t.Errorf("info test_ansi.pst = %d, %s:\n%s", code, errOut, out)
	}
}

// TestExportedFilesDumpAsThePST: each exported .msg reads (msgfile) to
// the same properties, recipients, attachments and embedded messages as
// the PST's message, and opens in olecfinfo and olefile where they are.
func TestExportedFilesDumpAsThePST(t *testing.T) {
	for _, name := range []string{"sample1", "sample2", "submessage", "test_unicode"} {
		t.Run(name, func(t *testing.T) {
			_, out, _ := runCmd("dump", "--json", testdata+name+".pst")
			var fromPST struct {
				Folders []struct {
					Path     []string
					Messages []json.RawMessage
				}
			}
			if err := json.Unmarshal([]byte(out), &fromPST); err != nil {
				t.Fatal(err)
			}
			dir := tempDir(t)
			if code, _, errOut := runCmd("export", testdata+name+".pst", dir); code != exitOK {
				t.Fatal(errOut)
			}
			for _, f := range fromPST.Folders {
				parts := make([]string, len(f.Path))
				for i, p := range f.Path {
					parts[i] = safeName(p)
				}
				files, _ := filepath.Glob(filepath.Join(append(append([]string{dir}, parts...), "*.msg")...))
				slices.Sort(files)
				if len(files) != len(f.Messages) {
					t.Fatalf("%s: %d .msg files, want %d", strings.Join(f.Path, "/"), len(files), len(f.Messages))
				}
				for i, path := range files {
					var got bytes.Buffer
					if code, _, errOut := runMsgDump(path, &got); code != 0 {
						t.Fatalf("dump of %s: %s", path, errOut)
					}
					if !sameJSON(t, f.Messages[i], got.Bytes()) {
						t.Errorf("%s dumps otherwise than its PST message (above)", path)
					}
					checkIndependentReaders(t, path)
				}
			}
		})
	}
}

// runMsgDump dumps the .msg file at path as mapimsg dump --json does.
func runMsgDump(path string, out *bytes.Buffer) (int, string, string) {
	m, err := msgfile.OpenFile(path, 0)
	if err != nil {
		return 1, "", err.Error()
	}
	defer m.Close(context.Background())
	d, err := dump.Read(context.Background(), m)
	if err != nil {
		return 1, "", err.Error()
	}
	b, _ := json.Marshal(d)
	out.Write(b)
	return 0, "", ""
}

// sameJSON reports whether two dumps hold the same values, named
// properties compared by name (a file's map gives them other IDs than
// the PST's) and PR_ROWID and PR_ATTACH_NUM left out (they number a
// recipient or an attachment in its message, and a new file numbers them
// anew), and logs the differences.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	fx, fy := flat("", x), flat("", y)
	same := true
	for k, v := range fx {
		if w, ok := fy[k]; !ok || w != v {
			t.Logf("%s: PST %.80s, .msg %.80s", k, v, w)
			same = false
		}
	}
	for k, v := range fy {
		if _, ok := fx[k]; !ok {
			t.Logf("%s: only in the .msg: %.80s", k, v)
			same = false
		}
	}
	return same
}

// flat maps each property of a dump to its value's JSON, keyed by path
// and tag, or by name for a named property.
func flat(path string, v any) map[string]string {
	out := map[string]string{}
	m, _ := v.(map[string]any)
	props, _ := m["props"].([]any)
	for _, p := range props {
		pm := p.(map[string]any)
		key := fmt.Sprint(pm["tag"])
		if key == "0x30000003" || key == "0x0E210003" {
			continue
		}
		if n, ok := pm["named"].(map[string]any); ok {
			key = fmt.Sprintf("%v:%v%v/%s", n["set"], n["name"], n["id"], key[6:])
		}
		b, _ := json.Marshal(pm["value"])
		out[path+" "+key] = string(b)
	}
	for _, list := range []string{"recipients", "attachments"} {
		items, _ := m[list].([]any)
		out[path+" "+list] = fmt.Sprint(len(items))
		for i, it := range items {
			for k, x := range flat(fmt.Sprintf("%s/%s[%d]", path, list, i), it) {
				out[k] = x
			}
			if sub, ok := it.(map[string]any)["message"]; ok {
				for k, x := range flat(fmt.Sprintf("%s/%s[%d]/message", path, list, i), sub) {
					out[k] = x
				}
			}
		}
	}
	return out
}

// checkIndependentReaders opens a written .msg in olecfinfo and olefile
// when they are installed.
func checkIndependentReaders(t *testing.T, path string) {
	t.Helper()
	if tool, err := exec.LookPath("olecfinfo"); err == nil {
		if res, err := exec.Command(tool, path).CombinedOutput(); err != nil || !strings.Contains(string(res), "OLE Compound File information") {
			t.Errorf("olecfinfo %s: %v\n%s", path, err, res)
		}
	}
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import olefile").Run() != nil {
			continue
		}
		script := "import olefile,sys; f=olefile.OleFileIO(sys.argv[1]); assert f.exists('__properties_version1.0')"
		if res, err := exec.Command(py, "-c", script, path).CombinedOutput(); err != nil {
			t.Errorf("olefile %s: %v\n%s", path, err, res)
		}
		break
	}
}
