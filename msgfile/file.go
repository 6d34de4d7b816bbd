package msgfile

import (
	"context"
	"errors"
	"github.com/mapiemu/mapiemu/internal/atomicfile"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
)

// file is what the instances of one .msg share: the committed message,
// the name map, and the path SaveChanges writes, if any.
type file struct {
	mu    sync.Mutex
	saved *msgData
	nm    *nameMap
	path  string // "" for a message held in memory
}

// New returns a new, empty message held in memory, read/write: its
// SaveChanges commits in memory, and WriteTo writes the committed
// message as a .msg file.
func New() *Message {
	f := &file{saved: &msgData{}, nm: &nameMap{}}
	return newMessage(f, nil, f.saved, true)
}

// Read reads a .msg file (OpenIMsgOnIStg on a storage over r) and
// returns its message, read-only unless flags has mapispi.OpenModify;
// SaveChanges of a writable one commits in memory (see WriteTo). A file
// that is not a .msg is an error wrapping ErrFormat that says why.
func Read(r io.ReaderAt, size int64, flags mapispi.OpenFlags) (*Message, error) {
	f, err := readFile(r, size)
	if err != nil {
		return nil, err
	}
	return newMessage(f, nil, f.saved, flags&mapispi.OpenModify != 0), nil
}

// OpenFile reads the .msg file at path; with mapispi.OpenModify its
// SaveChanges writes the file back (into a new file beside it that then
// replaces it, so that a failed write leaves the old file whole).
func OpenFile(path string, flags mapispi.OpenFlags) (*Message, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	f, err := readFile(fh, st.Size())
	if err != nil {
		return nil, err
	}
	if flags&mapispi.OpenModify != 0 {
		f.path = path
	}
	return newMessage(f, nil, f.saved, flags&mapispi.OpenModify != 0), nil
}

// CreateFile returns a new, empty message, read/write, whose SaveChanges
// writes the .msg file at path (replacing one that is there). Nothing is
// written before the first SaveChanges.
func CreateFile(path string) (*Message, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, &os.PathError{Op: "create", Path: path, Err: os.ErrInvalid}
	}
	f := &file{saved: &msgData{}, nm: &nameMap{}, path: path}
	return newMessage(f, nil, f.saved, true), nil
}

// readFile reads a .msg file into a file.
func readFile(r io.ReaderAt, size int64) (*file, error) {
	t, err := readTree(r, size)
	if err != nil {
		return nil, err
	}
	d, nm, err := decodeMessage(t)
	if err != nil {
		return nil, err
	}
	return &file{saved: d, nm: nm}, nil
}

// WriteTo writes the message as last committed (its SaveChanges; for an
// embedded message, its top-level message's) as a .msg file, streaming
// it to w: the compound file's layout is computed first, so a message
// that cannot be written is an error before anything is written, and
// what is held beyond the message is a small part of the file's size (its
// FAT and directory, and a 64 KB buffer). The same message gives the
// same bytes. It returns the bytes written, and w's error if it fails.
func (m *Message) WriteTo(w io.Writer) (int64, error) {
	m.f.mu.Lock()
	d, nm := m.f.snapshot()
	m.f.mu.Unlock()
	return encodeFile(w, d, nm)
}

// snapshot returns the committed message and the name map as they are
// (f.mu held): the message is never changed in place, and the map only
// grows, so the two stay as they are for an encoder without the lock.
func (f *file) snapshot() (*msgData, *nameMap) {
	return f.saved, &nameMap{names: f.nm.names[:len(f.nm.names):len(f.nm.names)]}
}

// encodeFile writes a .msg file holding d and the name map nm to w.
func encodeFile(w io.Writer, d *msgData, nm *nameMap) (int64, error) {
	t, err := encodeMessage(d, nm)
	if err != nil {
		return 0, err
	}
	return writeTree(w, t)
}

// commit makes d the file's message, writing it to the path first when
// the file has one: on error nothing is committed.
func (f *file) commit(ctx context.Context, d *msgData) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.path != "" {
		if err := replaceFile(f.path, func(w io.Writer) error { _, err := encodeFile(w, d, f.nm); return err }); err != nil {
			return err
		}
	}
	f.saved = d
	return nil
}

// replaceFile writes the file at path with write, whole or not at all
// (atomicfile.Write). An error of write that is a *mapispi.Error (a value
// the file cannot hold) is returned as it is; a failure of the file
// system is ErrDiskError.
func replaceFile(path string, write func(io.Writer) error) error {
	err := atomicfile.Write(path, write)
	var me *mapispi.Error
	if err != nil && !errors.As(err, &me) {
		err = diskErr(err)
	}
	return err
}

func diskErr(err error) error {
	return &mapispi.Error{Code: mapispi.ErrDiskError, Component: "msgfile", Message: "SaveChanges", Err: err}
}

// ids maps names to property IDs (see mapispi.NamedProps.IDsFromNames).
func (f *file) ids(names []mapispi.PropName, create bool) ([]uint16, error) {
	if len(names) == 0 {
		return nil, errf(mapispi.ErrInvalidParameter, "GetIDsFromNames", "no names")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]uint16, len(names))
	for i, n := range names {
		if n.Set == mapispi.PSMAPI && n.Kind == mapispi.NameID {
			if n.ID == 0 || n.ID >= uint32(mapispi.NamedPropIDMin) {
				return nil, errf(mapispi.ErrInvalidParameter, "GetIDsFromNames", "PS_MAPI name 0x%X is not a property ID below 0x8000", n.ID)
			}
			out[i] = uint16(n.ID)
			continue
		}
		if n.Kind != mapispi.NameID && n.Kind != mapispi.NameString {
			return nil, errf(mapispi.ErrInvalidParameter, "GetIDsFromNames", "name %d has kind %d", i, n.Kind)
		}
		j := f.nm.find(n)
		switch {
		case j >= 0:
			out[i] = mapispi.NamedPropIDMin + uint16(j)
		case create:
			if len(f.nm.names) >= 0xFFFE-int(mapispi.NamedPropIDMin) {
				return nil, errf(mapispi.ErrNotEnoughMemory, "GetIDsFromNames", "the file maps every named property ID already")
			}
			f.nm.names = append(f.nm.names, n)
			out[i] = mapispi.NamedPropIDMin + uint16(len(f.nm.names)-1)
		}
	}
	return out, nil
}

// find returns the index of name n in the map, or -1. String names
// compare as MAPI compares them: without regard to case.
func (nm *nameMap) find(n mapispi.PropName) int {
	for j, x := range nm.names {
		if x.Set != n.Set || x.Kind != n.Kind {
			continue
		}
		if n.Kind == mapispi.NameID && x.ID == n.ID || n.Kind == mapispi.NameString && strings.EqualFold(x.Name, n.Name) {
			return j
		}
	}
	return -1
}

// names maps property IDs to names (see
// mapispi.NamedProps.NamesFromIDs).
func (f *file) names(ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	all := ids == nil
	if all {
		for i := range f.nm.names {
			ids = append(ids, mapispi.NamedPropIDMin+uint16(i))
		}
	}
	names := make([]mapispi.PropName, len(ids))
	mapped := make([]uint16, len(ids))
	for i, id := range ids {
		var n mapispi.PropName
		switch {
		case id == 0:
			continue
		case id < mapispi.NamedPropIDMin:
			n = mapispi.PropName{Set: mapispi.PSMAPI, Kind: mapispi.NameID, ID: uint32(id)}
		case int(id-mapispi.NamedPropIDMin) < len(f.nm.names):
			n = f.nm.names[id-mapispi.NamedPropIDMin]
		default:
			continue
		}
		if set != nil && n.Set != *set {
			continue
		}
		names[i], mapped[i] = n, id
	}
	if all { // only the mappings of set
		k := 0
		for i := range ids {
			if mapped[i] != 0 {
				names[k], mapped[k] = names[i], mapped[i]
				k++
			}
		}
		names, mapped = names[:k], mapped[:k]
	}
	return names, mapped, nil
}
