//go:build linux || darwin

package main

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRewriteToFIFO: an OUT that is no regular file, here a named pipe,
// is written in place (as to /dev/stdout), not replaced by a file.
func TestRewriteToFIFO(t *testing.T) {
	dir := tempDir(t)
	out := filepath.Join(dir, "out.fifo")
	if err := syscall.Mkfifo(out, 0o600); err != nil {
		t.Skipf("syscall.Mkfifo: %v", err)
	}
	got := make(chan int64, 1)
	go func() {
		r, err := os.Open(out) // blocks until the command opens it to write
		if err != nil {
			got <- -1
			return
		}
		defer r.Close()
		n, _ := io.Copy(io.Discard, r)
		got <- n
	}()
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", out); code != exitOK {
		t.Fatalf("rewrite into a FIFO = %d, %s", code, errOut)
	}
	if st, err := os.Lstat(out); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("os.Lstat(OUT) after rewrite = %v, %v, want the named pipe", st.Mode(), err)
	}
	whole := filepath.Join(dir, "whole.msg")
	if code, _, errOut := runCmd("rewrite", testdata+"attachmentsOrder.msg", whole); code != exitOK {
		t.Fatalf("rewrite = %d, %s", code, errOut)
	}
	st, err := os.Stat(whole)
	if err != nil {
		t.Fatal(err)
	}
	if n := <-got; n != st.Size() {
		t.Errorf("rewrite into a FIFO: the reader got %d bytes, want %d, the file's size", n, st.Size())
	}
}
