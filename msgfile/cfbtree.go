package msgfile

import (
	"cmp"
	"errors"
	"fmt"
	"io"

	"github.com/mapiemu/mapiemu/cfb"
	"github.com/mapiemu/mapiemu/mapispi"
)

// readTree reads a compound file whole into a tree. A file that is not a
// compound file is a *FormatError wrapping the *cfb.FormatError; one over
// the 2 GB of a version 3 file is ErrTooBig; an error of r is returned,
// wrapped, with the stream it was reading.
func readTree(r io.ReaderAt, size int64) (*tree, error) {
	f, err := cfb.Open(r, size)
	switch {
	case errors.Is(err, cfb.ErrFormat):
		return nil, &FormatError{Offset: -1, Reason: "not a compound file", Err: err}
	case errors.Is(err, cfb.ErrTooLarge):
		return nil, &mapispi.Error{Code: mapispi.ErrTooBig, Component: "msgfile", Message: "reading the .msg file", Err: err}
	case err != nil:
		return nil, fmt.Errorf("msgfile: reading the compound file: %w", err)
	}
	return entryTree(f.Root(), "")
}

// entryTree reads storage e, at path, and all it holds.
func entryTree(e *cfb.Entry, path string) (*tree, error) {
	t := newTree()
	t.clsid = mapispi.UID(e.CLSID())
	for _, c := range e.Children() {
		if c.IsStorage() {
			sub, err := entryTree(c, join(path, c.Name()))
			if err != nil {
				return nil, err
			}
			t.storages[c.Name()] = sub
			continue
		}
		b, err := c.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("msgfile: reading %s: %w", join(path, c.Name()), err)
		}
		t.streams[c.Name()] = b
	}
	return t, nil
}

// writeTree writes t as a version 3 compound file, as Outlook writes
// .msg files, and returns the bytes written. The compound file's streams
// are t's byte slices, not copies, written straight to w.
//
// A tree a compound file cannot hold is a *mapispi.Error, before anything
// is written: ErrTooBig for one over the 2 GB of a version 3 file,
// ErrBadValue for a name [MS-CFB] refuses. An error of w is returned as
// it is.
func writeTree(w io.Writer, t *tree) (int64, error) {
	b := cfb.NewBuilder(cfb.V3)
	if err := fillStorage(b.Root(), t, ""); err != nil {
		return 0, err
	}
	n, err := b.WriteTo(w)
	if errors.Is(err, cfb.ErrTooLarge) {
		err = &mapispi.Error{Code: mapispi.ErrTooBig, Component: "msgfile", Message: "writing the .msg file: the message is more than its version 3 compound file can hold", Err: err}
	}
	return n, err
}

// fillStorage adds t's streams and storages to s, the storage at path.
func fillStorage(s *cfb.Storage, t *tree, path string) error {
	s.SetCLSID(cfb.CLSID(t.clsid))
	for name, data := range t.streams {
		if err := s.AddStream(name, data); err != nil {
			return nameError(path, err)
		}
	}
	for name, sub := range t.storages {
		c, err := s.AddStorage(name)
		if err != nil {
			return nameError(path, err)
		}
		if err := fillStorage(c, sub, join(path, name)); err != nil {
			return err
		}
	}
	return nil
}

func nameError(path string, err error) error {
	return &mapispi.Error{Code: mapispi.ErrBadValue, Component: "msgfile", Message: "writing " + cmp.Or(path, "the root storage"), Err: err}
}
