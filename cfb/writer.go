package cfb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"time"
	"unicode/utf16"
)

// Builder makes a new compound file, the Go form of StgCreateDocfile and
// the IStorage calls that fill it (CreateStorage, CreateStream, SetClass):
// add storages and streams under [Builder.Root], then write the file with
// [Builder.WriteTo] or [Builder.Bytes]. The output depends only on the tree
// (the same tree gives the same bytes); times are zero unless set. A
// Builder is not safe for concurrent use.
type Builder struct {
	version Version
	root    *Storage
}

// Storage is a storage being built in a [Builder].
type Storage struct {
	name     string
	u16      []uint16
	clsid    CLSID
	state    uint32
	created  uint64
	modified uint64
	kids     []*wnode
	names    map[string]bool // foldKey of each child's name
}

// wnode is a child of a Storage: a storage or a stream.
type wnode struct {
	u16     []uint16
	name    string
	storage *Storage
	data    []byte
	size    int64 // len(data); tests of the size limits set it alone
}

// NewBuilder starts an empty file of version v ([V3] or [V4]).
func NewBuilder(v Version) *Builder {
	return &Builder{version: v, root: &Storage{name: "Root Entry", u16: utf16.Encode([]rune("Root Entry")), names: map[string]bool{}}}
}

// Root is the root storage; its CLSID, state bits and modification time
// can be set, its creation time is always written as zero ([MS-CFB] 2.6.2).
func (b *Builder) Root() *Storage { return b.root }

func (s *Storage) add(name string) (*wnode, error) {
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("cfb: adding to storage %q: %w", s.name, err)
	}
	u := utf16.Encode([]rune(name))
	k := foldKey(u)
	if s.names[k] {
		return nil, fmt.Errorf("cfb: adding %q to storage %q: %w: it already holds that name (names compare case-insensitively)", name, s.name, ErrDuplicate)
	}
	s.names[k] = true
	n := &wnode{u16: u, name: name}
	s.kids = append(s.kids, n)
	return n, nil
}

// AddStorage adds a new empty storage named name, the Go form of
// IStorage::CreateStorage. The name must be 1 to 31 UTF-16 code units
// without '/', '\', ':', '!' or NUL ([ErrName]) and not already be a
// child's name as [MS-CFB] 2.6.4 compares them ([ErrDuplicate]).
func (s *Storage) AddStorage(name string) (*Storage, error) {
	n, err := s.add(name)
	if err != nil {
		return nil, err
	}
	n.storage = &Storage{name: name, u16: n.u16, names: map[string]bool{}}
	return n.storage, nil
}

// AddStream adds a stream named name holding data, the Go form of
// IStorage::CreateStream and IStream::Write; names as for
// [Storage.AddStorage]. The Builder keeps data without copying it: the
// caller must not change it until the file is written.
func (s *Storage) AddStream(name string, data []byte) error {
	n, err := s.add(name)
	if err != nil {
		return err
	}
	n.data, n.size = data, int64(len(data))
	return nil
}

// SetCLSID sets the storage's class, the Go form of IStorage::SetClass.
func (s *Storage) SetCLSID(c CLSID) { s.clsid = c }

// SetStateBits sets the storage's user flags, the Go form of
// IStorage::SetStateBits.
func (s *Storage) SetStateBits(bits uint32) { s.state = bits }

// SetTimes sets the storage's creation and modification times
// (IStorage::SetElementTimes), kept to FILETIME's 100 ns; zero times are
// written as zero.
func (s *Storage) SetTimes(created, modified time.Time) {
	s.created, s.modified = timeToFiletime(created), timeToFiletime(modified)
}

// dirEntry is one directory entry of the file being written.
type dirEntry struct {
	u16         []uint16
	typ         byte
	color       byte
	left, right uint32
	child       uint32
	st          *Storage // storages and the root
	data        []byte   // streams
	n           int64    // a stream's size
	start       uint32
	size        uint64
}

// layout is where everything goes in the file being written. Sectors in
// order: FAT, DIFAT, directory, mini FAT, mini stream, then the streams of
// 4096 bytes and more.
type layout struct {
	ssize                             int64
	entries                           []dirEntry
	nfat, ndifat, ndir, nminifat      int64
	nmini                             int64 // mini sectors
	nministream                       int64 // sectors of the mini stream
	nbig                              int64
	difatStart, dirStart              int64 // the FAT starts at sector 0
	miniFATStart, miniStart, bigStart int64
	total                             int64 // sectors after the header
}

// plan lays the tree out, or says why it cannot be written.
func (b *Builder) plan() (*layout, error) {
	shift := b.version.sectorShift()
	if shift == 0 {
		return nil, fmt.Errorf("cfb: writing version %d: %w (versions 3 and 4 are)", int(b.version), errors.ErrUnsupported)
	}
	l := &layout{ssize: 1 << shift}
	// Directory entries: the root, then breadth first each storage's
	// children in [MS-CFB] 2.6.4 order, so that each storage's children
	// are consecutive and sorted.
	l.entries = append(l.entries, dirEntry{u16: b.root.u16, typ: objRoot, color: colorBlack, left: noStream, right: noStream, st: b.root})
	for i := 0; i < len(l.entries); i++ {
		st := l.entries[i].st
		if st == nil {
			continue
		}
		kids := slices.Clone(st.kids)
		slices.SortFunc(kids, func(x, y *wnode) int { return compareNames(x.u16, y.u16) })
		first := uint32(len(l.entries))
		for _, k := range kids {
			e := dirEntry{u16: k.u16, typ: objStream, left: noStream, right: noStream, child: noStream, st: k.storage, data: k.data, n: k.size, start: endOfChain}
			if k.storage != nil {
				e.typ = objStorage
			}
			l.entries = append(l.entries, e)
		}
		l.entries[i].child = l.tree(first, uint32(len(kids)), 0, bits.Len(uint(len(kids))), len(kids)&(len(kids)+1) == 0)
	}
	var big int64
	for _, e := range l.entries {
		if e.typ != objStream {
			continue
		}
		n := e.n
		if n < miniCutoff {
			l.nmini += (n + miniSectorSize - 1) / miniSectorSize
		} else {
			l.nbig += (n + l.ssize - 1) / l.ssize
			big += n
		}
	}
	if b.version == V3 && big+l.nmini*miniSectorSize > maxV3Size {
		return nil, fmt.Errorf("cfb: the streams hold %d bytes, over the 2 GB a version 3 file can hold: %w", big+l.nmini*miniSectorSize, ErrTooLarge)
	}
	l.nministream = (l.nmini*miniSectorSize + l.ssize - 1) / l.ssize
	l.nminifat = (l.nmini*4 + l.ssize - 1) / l.ssize
	l.ndir = (int64(len(l.entries))*dirEntrySize + l.ssize - 1) / l.ssize
	rest := l.ndir + l.nminifat + l.nministream + l.nbig
	per := l.ssize / 4
	for {
		nfat := (rest + l.nfat + l.ndifat + per - 1) / per
		ndifat := int64(0)
		if nfat > headerDIFAT {
			ndifat = (nfat - headerDIFAT + per - 2) / (per - 1)
		}
		if nfat == l.nfat && ndifat == l.ndifat {
			break
		}
		l.nfat, l.ndifat = nfat, ndifat
	}
	l.total = rest + l.nfat + l.ndifat
	if l.total > maxRegSect+1 {
		return nil, fmt.Errorf("cfb: %d sectors are more than a compound file can number: %w", l.total, ErrTooLarge)
	}
	if b.version == V3 && (l.total+1)*l.ssize > maxV3Size {
		return nil, fmt.Errorf("cfb: the file would be %d bytes, over the 2 GB limit of version 3: %w", (l.total+1)*l.ssize, ErrTooLarge)
	}
	l.difatStart = l.nfat
	l.dirStart = l.difatStart + l.ndifat
	l.miniFATStart = l.dirStart + l.ndir
	l.miniStart = l.miniFATStart + l.nminifat
	l.bigStart = l.miniStart + l.nministream
	// Stream starts and sizes.
	mini, bigNext := int64(0), l.bigStart
	for i := range l.entries {
		e := &l.entries[i]
		if e.typ != objStream {
			continue
		}
		n := e.n
		e.size = uint64(n)
		switch {
		case n == 0:
		case n < miniCutoff:
			e.start = uint32(mini)
			mini += (n + miniSectorSize - 1) / miniSectorSize
		default:
			e.start = uint32(bigNext)
			bigNext += (n + l.ssize - 1) / l.ssize
		}
	}
	root := &l.entries[0]
	root.start, root.size = endOfChain, uint64(l.nmini*miniSectorSize)
	if l.nmini > 0 {
		root.start = uint32(l.miniStart)
	}
	return l, nil
}

// tree makes entries [first, first+n) a balanced binary search tree (they
// are sorted) and returns its root. Every level but the deepest is full,
// so colouring the deepest level red when it is not full, and every other
// node black, meets [MS-CFB] 2.6.4's red-black rules: a black root, no red
// node with a red child, and as many black nodes on every path from the
// root to a leaf.
func (l *layout) tree(first, n uint32, depth, height int, full bool) uint32 {
	if n == 0 {
		return noStream
	}
	mid := first + n/2
	e := &l.entries[mid]
	e.color = colorBlack
	if !full && depth == height-1 {
		e.color = colorRed
	}
	e.left = l.tree(first, n/2, depth+1, height, full)
	e.right = l.tree(mid+1, n-n/2-1, depth+1, height, full)
	return mid
}

// Size is the number of bytes [Builder.WriteTo] would write, or an error
// if the tree cannot be written.
func (b *Builder) Size() (int64, error) {
	l, err := b.plan()
	if err != nil {
		return 0, err
	}
	return (l.total + 1) * l.ssize, nil
}

// Bytes returns the file in a new slice.
func (b *Builder) Bytes() ([]byte, error) {
	l, err := b.plan()
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, (l.total+1)*l.ssize))
	if _, err := b.write(buf, l); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteTo writes the file to w, the Go form of IStorage::Commit on a new
// docfile. It writes nothing if the tree cannot be written: a version
// other than 3 or 4 (errors.ErrUnsupported), or a version 3 file over
// 2 GB ([ErrTooLarge]). It lays the file out first, then writes it in
// order through a 64 KB buffer, the FAT made as it goes and the streams
// straight from the slices AddStream was given: what it holds beyond the
// tree is that buffer and the DIFAT, whatever the file's size.
func (b *Builder) WriteTo(w io.Writer) (int64, error) {
	l, err := b.plan()
	if err != nil {
		return 0, err
	}
	return b.write(w, l)
}

func (b *Builder) write(w io.Writer, l *layout) (int64, error) {
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	ss := int(l.ssize)

	// Header.
	h := make([]byte, ss)
	copy(h, signature[:])
	le.PutUint16(h[24:], minorVersion)
	le.PutUint16(h[26:], uint16(b.version))
	le.PutUint16(h[28:], byteOrderMarker)
	le.PutUint16(h[30:], uint16(b.version.sectorShift()))
	le.PutUint16(h[32:], 6)
	if b.version == V4 {
		le.PutUint32(h[40:], uint32(l.ndir))
	}
	le.PutUint32(h[44:], uint32(l.nfat))
	le.PutUint32(h[48:], uint32(l.dirStart))
	le.PutUint32(h[56:], miniCutoff)
	le.PutUint32(h[60:], endOfChain)
	if l.nminifat > 0 {
		le.PutUint32(h[60:], uint32(l.miniFATStart))
	}
	le.PutUint32(h[64:], uint32(l.nminifat))
	le.PutUint32(h[68:], endOfChain)
	if l.ndifat > 0 {
		le.PutUint32(h[68:], uint32(l.difatStart))
	}
	le.PutUint32(h[72:], uint32(l.ndifat))
	for i := range headerDIFAT {
		v := uint32(freeSect)
		if int64(i) < l.nfat {
			v = uint32(i) // the FAT is sectors 0 to nfat-1
		}
		le.PutUint32(h[76+4*i:], v)
	}
	bw.Write(h)

	// FAT, made as it is written: sectors [0, total) are the FAT, the
	// DIFAT, then one run of consecutive sectors for each chain, in the
	// order plan laid them out; the rest of the FAT's last sector is free.
	per := l.ssize / 4
	u := uint32Writer{w: bw}
	for range l.nfat {
		u.put(fatSect)
	}
	for range l.ndifat {
		u.put(difSect)
	}
	u.chain(l.dirStart, l.ndir)
	u.chain(l.miniFATStart, l.nminifat)
	u.chain(l.miniStart, l.nministream)
	for _, e := range l.entries {
		if e.typ == objStream && e.size >= miniCutoff {
			u.chain(int64(e.start), (int64(e.size)+l.ssize-1)/l.ssize)
		}
	}
	if u.n != l.total || u.outOfOrder {
		return cw.n, fmt.Errorf("cfb: internal error: the FAT maps %d sectors (in order: %v), the layout has %d", u.n, !u.outOfOrder, l.total)
	}
	for u.n < l.nfat*per {
		u.put(freeSect)
	}

	// DIFAT: the FAT sector numbers past the header's 109.
	if l.ndifat > 0 {
		d := make([]uint32, l.ndifat*per)
		for i := range d {
			d[i] = freeSect
		}
		for k := headerDIFAT; k < int(l.nfat); k++ {
			i := k - headerDIFAT
			d[int64(i/int(per-1))*per+int64(i%int(per-1))] = uint32(k)
		}
		for j := range l.ndifat {
			next := uint32(endOfChain)
			if j+1 < l.ndifat {
				next = uint32(l.difatStart + j + 1)
			}
			d[j*per+per-1] = next
		}
		putUint32s(bw, d)
	}

	// Directory.
	ent := make([]byte, dirEntrySize)
	for _, e := range l.entries {
		clear(ent)
		for i, u := range e.u16 {
			le.PutUint16(ent[2*i:], u)
		}
		le.PutUint16(ent[64:], uint16(2*len(e.u16)+2))
		ent[66], ent[67] = e.typ, e.color
		le.PutUint32(ent[68:], e.left)
		le.PutUint32(ent[72:], e.right)
		le.PutUint32(ent[76:], e.child)
		if e.st != nil {
			copy(ent[80:], e.st.clsid[:])
			le.PutUint32(ent[96:], e.st.state)
			if e.typ != objRoot {
				le.PutUint64(ent[100:], e.st.created)
			}
			le.PutUint64(ent[108:], e.st.modified)
		}
		le.PutUint32(ent[116:], e.start)
		le.PutUint64(ent[120:], e.size)
		bw.Write(ent)
	}
	clear(ent)
	le.PutUint32(ent[68:], noStream)
	le.PutUint32(ent[72:], noStream)
	le.PutUint32(ent[76:], noStream)
	for range l.ndir*(l.ssize/dirEntrySize) - int64(len(l.entries)) {
		bw.Write(ent)
	}

	// Mini FAT and mini stream: each small stream's mini sectors are the
	// next ones, in the order of the entries, as plan numbered them.
	if l.nmini > 0 {
		u := uint32Writer{w: bw}
		for _, e := range l.entries {
			if e.typ == objStream && e.size > 0 && e.size < miniCutoff {
				u.chain(int64(e.start), (int64(e.size)+miniSectorSize-1)/miniSectorSize)
			}
		}
		if u.n != l.nmini || u.outOfOrder {
			return cw.n, fmt.Errorf("cfb: internal error: the mini FAT maps %d mini sectors (in order: %v), the layout has %d", u.n, !u.outOfOrder, l.nmini)
		}
		for u.n < l.nminifat*per {
			u.put(freeSect)
		}
		for _, e := range l.entries {
			if e.typ == objStream && e.size > 0 && e.size < miniCutoff {
				bw.Write(e.data)
				pad(bw, -int64(len(e.data))&(miniSectorSize-1))
			}
		}
		pad(bw, -(l.nmini*miniSectorSize)&(l.ssize-1))
	}

	// Streams of 4096 bytes and more.
	for _, e := range l.entries {
		if e.typ == objStream && e.size >= miniCutoff {
			bw.Write(e.data)
			pad(bw, -int64(len(e.data))&(l.ssize-1))
		}
	}
	err := bw.Flush()
	return cw.n, err
}

var zeros [4096]byte

func pad(w *bufio.Writer, n int64) { w.Write(zeros[:n]) }

func putUint32s(w *bufio.Writer, v []uint32) {
	u := uint32Writer{w: w}
	for _, x := range v {
		u.put(x)
	}
}

// uint32Writer writes a FAT or mini FAT entry by entry, counting them.
type uint32Writer struct {
	w          *bufio.Writer
	n          int64 // entries written
	outOfOrder bool  // a chain did not start at the next entry
}

func (u *uint32Writer) put(v uint32) {
	u.w.Write(le.AppendUint32(u.w.AvailableBuffer(), v)) // no copy, nor allocation, but at the buffer's end
	u.n++
}

// chain writes the entries of a chain of n consecutive sectors from
// start, which must be the next entry's sector: each names the next, the
// last ends the chain.
func (u *uint32Writer) chain(start, n int64) {
	if n > 0 && start != u.n {
		u.outOfOrder = true
	}
	for i := range n {
		if i == n-1 {
			u.put(endOfChain)
		} else {
			u.put(uint32(start + i + 1))
		}
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
