package msgfile_test

import (
	"context"
	"github.com/mapiemu/mapiemu/internal/tempdir"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
)

// TestCreateFileSaves: CreateFile writes nothing before SaveChanges,
// SaveChanges writes a file that OpenFile reads back, with the mode
// os.Create gives a new file (not os.CreateTemp's 0600), and a later
// save through OpenFile with OpenModify keeps the file's mode and leaves
// no other file beside it.
func TestCreateFileSaves(t *testing.T) {
	ctx := context.Background()
	dir := tempdir.New(t, "msgfile-test-")
	path := filepath.Join(dir, "new.msg")
	m, err := msgfile.CreateFile(path)
	if err != nil {
		t.Fatalf("CreateFile(%s) = %v", path, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Stat before SaveChanges = %v, want not exist", err)
	}
	if _, err := m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "saved"}}); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveChanges(ctx, 0); err != nil {
		t.Fatalf("SaveChanges() = %v", err)
	}
	_ = m.Close(ctx)

	ref := filepath.Join(tempdir.New(t, "msgfile-test-"), "ref")
	f, err := os.Create(ref)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	want, _ := os.Stat(ref)
	got, err := os.Stat(path)
	if err != nil {
		t.Fatalf("Stat after SaveChanges = %v", err)
	}
	if runtime.GOOS != "windows" && got.Mode().Perm() != want.Mode().Perm() {
		t.Errorf("mode of the file SaveChanges made = %v, want %v (os.Create's)", got.Mode().Perm(), want.Mode().Perm())
	}

	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	m, err = msgfile.OpenFile(path, mapispi.OpenModify)
	if err != nil {
		t.Fatalf("OpenFile(%s) = %v", path, err)
	}
	vals, err := m.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject})
	if err != nil || vals[0].Value != "saved" {
		t.Errorf("OpenFile(%s): PR_SUBJECT = %v, %v; want \"saved\"", path, vals, err)
	}
	if _, err := m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "again"}}); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveChanges(ctx, 0); err != nil {
		t.Fatalf("SaveChanges() of the opened file = %v", err)
	}
	_ = m.Close(ctx)
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o640 {
		t.Errorf("mode after a save over a 0640 file = %v, want 0640", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the directory holds %d entries after the saves, want 1 (%v)", len(entries), entries)
	}
}
