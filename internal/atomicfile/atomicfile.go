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
// path names, which need not exist yet), which is synced to disk and
// renamed over it (os.Rename replaces a file on Windows too) only once
// write and Close have succeeded; on any error, or a panic of write, the
// new file is removed and path is as it was. The new file keeps the
// permission bits of the file it replaces; a file that did not exist is
// made as os.Create makes it (0666 less the umask). A file that exists
// but cannot be opened for writing is refused, as os.Create refuses it.
// Anything else at path (a device such as /dev/stdout, a pipe) is written
// to in place, and a directory is an error.
//
// Replacing a file is not writing into it: other hard links to the old
// file keep its content, and the new file is the writer's (its owner and
// group), as the file would be had it been deleted and made again. Where
// the directory takes no new file but the file can be written, Write
// writes it in place, whole only if write succeeds.
//
// Errors are those of the os functions, an *fs.PathError or
// *os.LinkError of which may name the new file; the error of write is
// returned as it is.
func Write(path string, write func(io.Writer) error) error {
	path, st, err := target(path)
	switch {
	case err != nil:
		return err
	case st != nil && !st.Mode().IsRegular():
		return writeInPlace(path, write)
	case st != nil:
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_ = f.Close()
	}
	tmp, err := create(path)
	if errors.Is(err, fs.ErrPermission) && st != nil {
		return writeInPlace(path, write) // the directory is read-only, the file is not
	}
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done { // write panicked
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	werr := write(tmp)
	done = true
	if werr == nil && st != nil {
		werr = tmp.Chmod(st.Mode().Perm())
	}
	if werr == nil {
		werr = tmp.Sync()
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

// target returns the path Write writes: path, or the file a symbolic
// link at path names (whether or not it exists), and that file's
// FileInfo (nil when it does not exist).
func target(path string) (string, fs.FileInfo, error) {
	for range 40 { // as many links as Linux follows
		lst, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return path, nil, nil
		case err != nil:
			return "", nil, err
		case lst.Mode()&fs.ModeSymlink == 0:
			return path, lst, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", nil, &fs.PathError{Op: "open", Path: path, Err: errors.New("too many levels of symbolic links")}
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
