package msgfile

import (
	"fmt"
	"io"

	"github.com/mapiemu/mapiemu/cfb"
	"github.com/mapiemu/mapiemu/mapispi"
)

// readTree reads a compound file whole into a tree.
func readTree(r io.ReaderAt, size int64) (*tree, error) {
	f, err := cfb.Open(r, size)
	if err != nil {
		return nil, fmt.Errorf("msgfile: %w", err)
	}
	return entryTree(f.Root())
}

func entryTree(e *cfb.Entry) (*tree, error) {
	t := newTree()
	t.clsid = mapispi.UID(e.CLSID())
	for _, c := range e.Children() {
		if c.IsStorage() {
			sub, err := entryTree(c)
			if err != nil {
				return nil, err
			}
			t.storages[c.Name()] = sub
			continue
		}
		b, err := c.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("msgfile: stream %q: %w", c.Name(), err)
		}
		t.streams[c.Name()] = b
	}
	return t, nil
}

// writeTree writes t as a version 3 compound file, as Outlook writes
// .msg files.
func writeTree(w io.Writer, t *tree) error {
	b := cfb.NewBuilder(cfb.V3)
	if err := fillStorage(b.Root(), t); err != nil {
		return err
	}
	_, err := b.WriteTo(w)
	return err
}

func fillStorage(s *cfb.Storage, t *tree) error {
	s.SetCLSID(cfb.CLSID(t.clsid))
	for name, data := range t.streams {
		if err := s.AddStream(name, data); err != nil {
			return fmt.Errorf("msgfile: %w", err)
		}
	}
	for name, sub := range t.storages {
		c, err := s.AddStorage(name)
		if err != nil {
			return fmt.Errorf("msgfile: %w", err)
		}
		if err := fillStorage(c, sub); err != nil {
			return err
		}
	}
	return nil
}
