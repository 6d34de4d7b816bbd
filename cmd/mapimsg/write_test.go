package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// failAfter is an io.Writer that passes n bytes on to w and then fails,
// as a full disk does part way through a file.
type failAfter struct {
	w io.Writer
	n int
}

var errFull = errors.New("no space left on device (injected)")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return f.w.Write(p)
	}
	n, err := f.w.Write(p[:f.n])
	f.n = 0
	if err == nil {
		err = errFull
	}
	return n, err
}

// failWritesAfter makes every file the command writes fail after n
// bytes, until the test ends.
func failWritesAfter(t *testing.T, n int) {
	t.Helper()
	wrapOut = func(w io.Writer) io.Writer { return &failAfter{w: w, n: n} }
	t.Cleanup(func() { wrapOut = nil })
}

// dirNames returns the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// TestRewriteFailureKeepsOut: a write of OUT that fails part way leaves
// no OUT when there was none, the old OUT whole when there was one, and
// no other file in OUT's directory.
func TestRewriteFailureKeepsOut(t *testing.T) {
	in := testdata + "attachmentsOrder.msg"
	whole := filepath.Join(tempDir(t), "whole.msg")
	if code, _, errOut := runCmd("rewrite", in, whole); code != exitOK {
		t.Fatalf("rewrite = %d, %s", code, errOut)
	}
	st, err := os.Stat(whole)
	if err != nil {
		t.Fatal(err)
	}
	size := int(st.Size())
	for _, failAt := range []int{0, 1, size / 2, size - 1} {
		dir := tempDir(t)
		out := filepath.Join(dir, "out.msg")
		failWritesAfter(t, failAt)
		code, _, errOut := runCmd("rewrite", in, out)
		if code != exitInvalid || !strings.Contains(errOut, "out.msg") || !strings.Contains(errOut, errFull.Error()) {
			t.Errorf("rewrite failing after %d bytes = %d, %q, want %d and the write error naming out.msg", failAt, code, errOut, exitInvalid)
		}
		if got := dirNames(t, dir); len(got) != 0 {
			t.Errorf("rewrite failing after %d bytes into an empty directory: directory holds %q, want nothing", failAt, got)
		}

		old := []byte("the earlier OUT")
		if err := os.WriteFile(out, old, 0o600); err != nil {
			t.Fatal(err)
		}
		if code, _, errOut := runCmd("rewrite", in, out); code != exitInvalid {
			t.Errorf("rewrite over an old OUT failing after %d bytes = %d, %q, want %d", failAt, code, errOut, exitInvalid)
		}
		if got, err := os.ReadFile(out); err != nil || string(got) != string(old) {
			t.Errorf("OUT after a rewrite failing after %d bytes = %.40q, %v, want %q", failAt, got, err, old)
		}
		if got, want := dirNames(t, dir), []string{"out.msg"}; !slices.Equal(got, want) {
			t.Errorf("rewrite over an old OUT failing after %d bytes: directory holds %q, want %q", failAt, got, want)
		}
	}
}

// TestRewriteReplacesOut: a rewrite over an existing OUT replaces it
// whole, keeps its permission bits, and leaves no other file.
func TestRewriteReplacesOut(t *testing.T) {
	dir := tempDir(t)
	out := filepath.Join(dir, "out.msg")
	if err := os.WriteFile(out, []byte("the earlier OUT, to be replaced"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(out, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	before, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", out); code != exitOK {
		t.Fatalf("rewrite over an old OUT = %d, %s", code, errOut)
	}
	if code, _, errOut := runCmd("dump", out); code != exitOK {
		t.Errorf("dump of the rewritten OUT = %d, %s", code, errOut)
	}
	if st, err := os.Stat(out); err != nil || st.Mode() != before.Mode() {
		t.Errorf("os.Stat(OUT) after rewrite = %v, %v, want mode %v, OUT's before", st.Mode(), err, before.Mode())
	}
	if got, want := dirNames(t, dir), []string{"out.msg"}; !slices.Equal(got, want) {
		t.Errorf("directory after rewrite holds %q, want %q", got, want)
	}
}

// TestRewriteOutIsDirectory: an OUT that is a directory is an error that
// leaves the directory, and OUT's parent, as they were.
func TestRewriteOutIsDirectory(t *testing.T) {
	dir := tempDir(t)
	out := filepath.Join(dir, "out.msg")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", out); code != exitInvalid || !strings.Contains(errOut, "out.msg") {
		t.Errorf("rewrite into a directory = %d, %q, want %d and a message naming it", code, errOut, exitInvalid)
	}
	if got, want := dirNames(t, dir), []string{"out.msg"}; !slices.Equal(got, want) {
		t.Errorf("OUT's parent after rewrite holds %q, want %q", got, want)
	}
	if got := dirNames(t, out); len(got) != 0 {
		t.Errorf("OUT, a directory, after rewrite holds %q, want nothing", got)
	}
}

// TestRewriteThroughSymlink: an OUT that is a symbolic link to a file
// replaces the file it names, and stays a link, as a write through
// os.Create does.
func TestRewriteThroughSymlink(t *testing.T) {
	dir := tempDir(t)
	target, link := filepath.Join(dir, "target.msg"), filepath.Join(dir, "link.msg")
	if err := os.WriteFile(target, []byte("the earlier target"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.msg", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if st, err := os.Lstat(link); err != nil {
		t.Skipf("os.Symlink made no symbolic link here: os.Lstat = %v", err)
	} else if st.Mode()&fs.ModeSymlink == 0 {
		t.Skipf("os.Symlink made no symbolic link here (Wine makes a file): os.Lstat = %v", st.Mode())
	}
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", link); code != exitOK {
		t.Fatalf("rewrite through a link = %d, %s", code, errOut)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("os.Lstat(OUT) after rewrite = %v, %v, want the symbolic link", st.Mode(), err)
	}
	if code, _, errOut := runCmd("dump", target); code != exitOK {
		t.Errorf("dump of the link's target after rewrite = %d, %s", code, errOut)
	}
	if got, want := dirNames(t, dir), []string{"link.msg", "target.msg"}; !slices.Equal(got, want) {
		t.Errorf("directory after rewrite holds %q, want %q", got, want)
	}
}

// TestRewriteReadOnlyOut: an OUT that exists but cannot be written is
// refused and kept, as os.Create refuses it.
func TestRewriteReadOnlyOut(t *testing.T) {
	dir := tempDir(t)
	out := filepath.Join(dir, "out.msg")
	old := []byte("the earlier, read-only OUT")
	if err := os.WriteFile(out, old, 0o400); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(out, 0o600) }) // for Windows to remove it
	if f, err := os.OpenFile(out, os.O_WRONLY, 0); err == nil {
		f.Close()
		t.Skip("a read-only file can be written here (running as root?)")
	}
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", out); code != exitInvalid || !strings.Contains(errOut, "out.msg") {
		t.Errorf("rewrite over a read-only OUT = %d, %q, want %d and a message naming it", code, errOut, exitInvalid)
	}
	if got, err := os.ReadFile(out); err != nil || string(got) != string(old) {
		t.Errorf("read-only OUT after rewrite = %.40q, %v, want %q", got, err, old)
	}
	if got, want := dirNames(t, dir), []string{"out.msg"}; !slices.Equal(got, want) {
		t.Errorf("directory after rewrite holds %q, want %q", got, want)
	}
}
