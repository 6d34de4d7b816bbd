package tempdir

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestNewIsRemoved(t *testing.T) {
	var dir string
	t.Run("inner", func(t *testing.T) {
		dir = New(t, "tempdir-test-")
		if err := os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	if runtime.GOOS == "windows" {
		return // under Wine the removal fails, which is what New is for
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("os.Stat(New's directory) after the test = %v, want not exist", err)
	}
}
