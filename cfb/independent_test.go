package cfb_test

// Checks against readers written by others: Debian's python3-olefile and
// libolecf-utils' olecfinfo (.ci/run installs both). Each test skips,
// saying why, where its reader is absent.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/cfb"
)

// olefileScript prints the file's tree in listing's form. DEFECT_INCORRECT
// makes olefile raise on anything the specification calls incorrect, not
// only on what stops it reading.
const olefileScript = `
import hashlib, sys, olefile
o = olefile.OleFileIO(sys.argv[1], raise_defects=olefile.DEFECT_INCORRECT)
out = ["\troot\t" + o.root.clsid]
for e in o.listdir(streams=True, storages=True):
    p = "/".join(e)
    if o.get_type(e) == olefile.STGTY_STORAGE:
        out.append("%s\tstorage\t%s" % (p, o.getclsid(e)))
    else:
        d = o.openstream(e).read()
        out.append("%s\tstream\t%d\t%s" % (p, len(d), hashlib.sha256(d).hexdigest()))
for l in sorted(out):
    print(l)
`

func olefilePython(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import olefile").Run() == nil {
			return path
		}
		tried = append(tried, path)
	}
	t.Skipf("no python3 with olefile (tried %v): apt-get install python3-olefile", tried)
	return ""
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// independentFiles are the writer's outputs checked by the other readers,
// and what each should list.
func independentFiles(t *testing.T) map[string][]byte {
	files := map[string][]byte{}
	for name, kids := range trees() {
		for _, v := range []cfb.Version{cfb.V3, cfb.V4} {
			files[fmt.Sprintf("%s v%d", name, v)] = build(t, v, testCLSID, kids...)
		}
	}
	big := pattern(7<<20+12345, 9)
	for _, v := range []cfb.Version{cfb.V3, cfb.V4} {
		files[fmt.Sprintf("DIFAT v%d", v)] = build(t, v, testCLSID, stream("big", big), stream("small", []byte("s")), storage("st", stream("x", pattern(5000, 1))))
	}
	for _, name := range []string{"A_memo.msg", "test1.msg", "sent.msg"} {
		f := open(t, readTestdata(t, name))
		for _, v := range []cfb.Version{cfb.V3, cfb.V4} {
			files[fmt.Sprintf("%s rewritten v%d", name, v)] = rewrite(t, f, v)
		}
	}
	return files
}

// TestOlefile: olefile reads every file the writer makes, strictly, to
// the same tree, CLSIDs and bytes as this package; and this package reads
// the real .msg files to the same tree olefile does.
func TestOlefile(t *testing.T) {
	py := olefilePython(t)
	run := func(t *testing.T, path string) []string {
		out, err := exec.Command(py, "-c", olefileScript, path).CombinedOutput()
		if err != nil {
			t.Fatalf("olefile: %v\n%s", err, out)
		}
		return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	}
	for name, b := range independentFiles(t) {
		t.Run("write/"+name, func(t *testing.T) {
			got := run(t, writeTemp(t, "f.cfb", b))
			want := listing(t, open(t, b))
			if !equalLines(got, want) {
				t.Errorf("olefile lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	for _, name := range []string{"A_memo.msg", "test1.msg", "sent.msg"} {
		t.Run("read/"+name, func(t *testing.T) {
			want := run(t, filepath.Join("testdata", name))
			got := listing(t, open(t, readTestdata(t, name)))
			if !equalLines(got, want) {
				t.Errorf("listing =\n%s\nolefile lists\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// olecfItem is one line of olecfinfo's item list: "  name (123 bytes)",
// two spaces of indent a level.
var olecfItem = regexp.MustCompile(`^( *)(.*) \((\d+) bytes\)$`)

// TestOlecfinfo: libolecf's olecfinfo opens every file the writer makes
// and lists the same paths and stream sizes.
func TestOlecfinfo(t *testing.T) {
	tool, err := exec.LookPath("olecfinfo")
	if err != nil {
		t.Skip("olecfinfo not installed: apt-get install libolecf-utils")
	}
	for name, b := range independentFiles(t) {
		t.Run(name, func(t *testing.T) {
			out, err := exec.Command(tool, writeTemp(t, "f.cfb", b)).CombinedOutput()
			if err != nil {
				t.Fatalf("olecfinfo: %v\n%s", err, out)
			}
			var got, stack []string
			sc := bufio.NewScanner(bytes.NewReader(out))
			items := false
			for sc.Scan() {
				if sc.Text() == "Storage and stream items:" {
					items = true
					continue
				}
				m := olecfItem.FindStringSubmatch(sc.Text())
				if !items || m == nil {
					continue
				}
				depth := len(m[1]) / 2
				if depth == 0 {
					continue // the root
				}
				stack = append(stack[:depth-1], olecfName(m[2]))
				n, _ := strconv.Atoi(m[3])
				got = append(got, fmt.Sprintf("%s %d", strings.Join(stack, "/"), n))
			}
			sortLines(got)
			var want []string
			for _, l := range listing(t, open(t, b)) {
				f := strings.Split(l, "\t")
				switch f[1] {
				case "storage":
					want = append(want, astral(f[0])+" 0")
				case "stream":
					want = append(want, astral(f[0])+" "+f[2])
				}
			}
			sortLines(want)
			if !equalLines(got, want) {
				t.Errorf("olecfinfo lists\n%s\nwant\n%s\n(output:\n%s)", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
			}
		})
	}
}

// olecfName undoes olecfinfo's \xNN escapes of UTF-8 bytes.
func olecfName(s string) string {
	s = regexp.MustCompile(`\\x[0-9a-f]{2}`).ReplaceAllStringFunc(s, func(e string) string {
		b, _ := strconv.ParseUint(e[2:], 16, 8)
		return string([]byte{byte(b)})
	})
	return astral(s)
}

// astral replaces characters past U+FFFF with '?': libolecf 20181231
// decodes UTF-16 surrogate pairs to other characters than olefile, Go and
// Windows do (U+1F600, D83D DE00, prints as U+1F201), so only their
// presence is compared.
func astral(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}
