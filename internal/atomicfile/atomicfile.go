// Package atomicfile writes a file whole or not at all: what is written
// goes to a new file beside it, which is renamed over it only once the
// write has succeeded. msgfile's SaveChanges and mapimsg rewrite use it.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes the file at path with write, as os.Create and write would,
// except that a regular file is written whole or not at all: write fills
// a new file in the directory of path (of the file a symbolic link at
// path names), which is renamed over it (os.Rename replaces a file on
// Windows too) only once write and Close have succeeded; on any error the
// new file is removed and path is as it was. The new file keeps the
// permission bits of the file it replaces; a file that did not exist is
// made as os.Create makes it (0666 less the umask). A file that exists
// but cannot be opened for writing is refused, as os.Create refuses it.
// Anything else at path (a device such as /dev/stdout, a pipe) is written
// to in place, and a directory is an error.
//
// Errors are those of the os functions, an *fs.PathError or
// *os.LinkError of which may name the new file; the error of write is
// returned as it is.
func Write(path string, write func(io.Writer) error) error {
	st, err := os.Stat(path)
	switch {
	case err == nil && !st.Mode().IsRegular():
		return writeInPlace(path, write)
	case err == nil:
		if path, err = filepath.EvalSymlinks(path); err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_ = f.Close()
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	tmp, err := create(path)
	if err != nil {
		return err
	}
	werr := write(tmp)
	if werr == nil && st != nil {
		werr = tmp.Chmod(st.Mode().Perm())
	}
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
	}
	return werr
}

// create makes a new file with a name of its own beside path, with mode
// 0666 less the umask, as os.Create would make path (os.CreateTemp makes
// 0600, which the renamed file would keep).
func create(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		var r [6]byte
		_, _ = rand.Read(r[:])
		name := filepath.Join(dir, "."+base+"."+hex.EncodeToString(r[:])+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, "."+base+".*.tmp"), Err: fs.ErrExist}
}

// writeInPlace writes path with write through os.Create.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	werr := write(f)
	if err := f.Close(); werr == nil {
		werr = err
	}
	return werr
}
