package atomicfile

import (
	"errors"
	"github.com/mapiemu/mapiemu/internal/tempdir"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestNewFileMode: a file Write makes has os.Create's mode, not
// os.CreateTemp's 0600.
func TestNewFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	dir := tempdir.New(t, "atomicfile-test-")
	ref := filepath.Join(dir, "ref")
	f, err := os.Create(ref)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	want, _ := os.Stat(ref)
	path := filepath.Join(dir, "new.msg")
	if err := Write(path, writeString("data")); err != nil {
		t.Fatalf("Write(%s) = %v", path, err)
	}
	got, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Mode().Perm() != want.Mode().Perm() {
		t.Errorf("Write(a new file) mode = %v, want %v (os.Create's)", got.Mode().Perm(), want.Mode().Perm())
	}
}

// TestReplaceKeepsMode: a file Write replaces keeps its permission bits.
func TestReplaceKeepsMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	path := filepath.Join(tempdir.New(t, "atomicfile-test-"), "old.msg")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, writeString("new")); err != nil {
		t.Fatalf("Write(%s) = %v", path, err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("Write(an existing 0640 file) mode = %v, want 0640", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("Write(an existing file) content = %q, want %q", b, "new")
	}
}

// TestFailedWriteLeavesNothing: a write that fails leaves the old file
// as it was, or no file, and no new file beside it.
func TestFailedWriteLeavesNothing(t *testing.T) {
	errWrite := errors.New("injected")
	for _, existing := range []bool{false, true} {
		dir := tempdir.New(t, "atomicfile-test-")
		path := filepath.Join(dir, "f.msg")
		if existing {
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := Write(path, func(w io.Writer) error {
			_, _ = io.WriteString(w, "partial")
			return errWrite
		})
		if !errors.Is(err, errWrite) {
			t.Errorf("Write(existing %t) with a failing write = %v, want the write's error", existing, err)
		}
		entries, _ := os.ReadDir(dir)
		switch b, rerr := os.ReadFile(path); {
		case existing && string(b) != "old":
			t.Errorf("Write(existing) after a failure: content = %q, %v; want %q", b, rerr, "old")
		case !existing && rerr == nil:
			t.Errorf("Write(new) after a failure: the file exists with %q", b)
		}
		if want := map[bool]int{false: 0, true: 1}[existing]; len(entries) != want {
			t.Errorf("Write(existing %t) after a failure left %d entries in the directory, want %d", existing, len(entries), want)
		}
	}
}

// TestDanglingSymlink: a symbolic link to a file that does not exist yet
// makes that file, and stays a link, as os.Create through the link does.
func TestDanglingSymlink(t *testing.T) {
	dir := tempdir.New(t, "atomicfile-test-")
	link := filepath.Join(dir, "link.msg")
	if err := os.Symlink("target.msg", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Skip("os.Symlink made no symbolic link here")
	}
	if err := Write(link, writeString("data")); err != nil {
		t.Fatalf("Write(a dangling link) = %v", err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("os.Lstat(the link) after Write = %v, want a symbolic link still", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "target.msg")); err != nil || string(b) != "data" {
		t.Errorf("the link's target after Write = %q, %v; want %q", b, err, "data")
	}
}

// TestPanickingWrite: a write that panics leaves no new file behind, and
// the panic goes on to the caller.
func TestPanickingWrite(t *testing.T) {
	dir := tempdir.New(t, "atomicfile-test-")
	path := filepath.Join(dir, "f.msg")
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("Write with a panicking write returned, want the panic")
			}
		}()
		_ = Write(path, func(io.Writer) error { panic("boom") })
	}()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the directory after a panicking write holds %d entries, want none", len(entries))
	}
}
