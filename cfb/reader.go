package cfb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
	"unicode/utf16"

	"github.com/mapiemu/mapiemu/internal/wire"
)

var le = binary.LittleEndian

// File is an open compound file, the Go form of the root IStorage that
// StgOpenStorageOnILockBytes returns, read-only. Open reads and checks the
// whole structure (header, FAT, directory, mini FAT and every stream's
// chain) so that reading afterwards only fails if the underlying
// io.ReaderAt does. A File is safe for concurrent use when its ReaderAt
// is (as *os.File and *bytes.Reader are).
type File struct {
	r       io.ReaderAt
	size    int64
	version Version
	ssize   int64  // sector size
	nsect   uint32 // sectors the file's size has room for
	fat     []uint32
	used    []bool // FAT sectors in some chain, FAT or DIFAT already
	minifat []uint32
	mused   []bool
	dir     []byte // the directory stream
	mini    *chainReader
	root    *Entry
}

// Entry is a storage or a stream in an open [File], the Go form of the
// STATSTG that IStorage::EnumElements returns with the storage or stream
// it describes.
type Entry struct {
	f        *File
	index    int // directory entry number
	name     string
	u16      []uint16
	typ      byte
	clsid    CLSID
	state    uint32
	created  uint64
	modified uint64
	size     int64
	sectors  []uint32 // a stream's chain, in mini sectors if mini
	mini     bool
	children []*Entry
}

// Open reads the compound file ([MS-CFB]) of size bytes in r, the Go form
// of StgOpenStorageOnILockBytes. It checks the header (signature, byte
// order, version 3 with 512-byte or 4 with 4096-byte sectors, mini sector
// size 64 and cutoff 4096), follows the DIFAT to the FAT, and reads the
// directory, the mini FAT and the mini stream; every chain is checked
// against the FAT and the file's size before anything its size depends on
// is allocated, so memory stays within a small multiple of size.
//
// A damaged file gives a *[FormatError] naming the place (wrapping
// [ErrFormat]), a version 3 file over 2 GB an error wrapping
// [ErrTooLarge], and a failing ReadAt its error. The directory must be a
// tree: an entry reached twice, a name repeated within one storage (as
// [MS-CFB] 2.6.4 compares them), a name that is not valid UTF-16 and a
// sector in two chains are all errors. Entries no storage reaches are
// ignored, as are the colours and order of the directory's red-black trees.
func Open(r io.ReaderAt, size int64) (*File, error) {
	f := &File{r: r, size: size}
	if err := f.readHeader(); err != nil {
		return nil, err
	}
	if err := f.readTree(); err != nil {
		return nil, err
	}
	return f, nil
}

// Version is the file's major version, [V3] or [V4].
func (f *File) Version() Version { return f.version }

// Root is the root storage ([MS-CFB] 2.6.2, the Root Entry).
func (f *File) Root() *Entry { return f.root }

type header struct {
	numFAT, dirStart, miniFATStart, numMiniFAT, difatStart, numDIFAT uint32
	difat                                                            [headerDIFAT]uint32
}

func (f *File) readHeader() error {
	if f.size < headerSize {
		return formatErr("header", 0, "the file is %d bytes, shorter than the %d-byte header", f.size, headerSize)
	}
	var b [headerSize]byte
	if _, err := f.r.ReadAt(b[:], 0); err != nil {
		return fmt.Errorf("cfb: reading the header: %w", err)
	}
	if [8]byte(b[:8]) != signature {
		return formatErr("header", 0, "signature % X is not D0 CF 11 E0 A1 B1 1A E1", b[:8])
	}
	if bo := le.Uint16(b[28:]); bo != byteOrderMarker {
		return formatErr("header", 28, "byte order 0x%04X is not 0xFFFE", bo)
	}
	f.version = Version(le.Uint16(b[26:]))
	want := f.version.sectorShift()
	if want == 0 {
		return formatErr("header", 26, "major version %d is neither 3 nor 4", int(f.version))
	}
	if shift := le.Uint16(b[30:]); int(shift) != want {
		return formatErr("header", 30, "sector shift %d, want %d for version %d", shift, want, f.version)
	}
	if shift := le.Uint16(b[32:]); shift != 6 {
		return formatErr("header", 32, "mini sector shift %d, want 6", shift)
	}
	if c := le.Uint32(b[56:]); c != miniCutoff {
		return formatErr("header", 56, "mini stream cutoff %d, want %d", c, miniCutoff)
	}
	f.ssize = 1 << want
	if f.version == V3 && f.size > maxV3Size {
		return fmt.Errorf("cfb: a version 3 file of %d bytes is over the 2 GB limit of its 512-byte sectors: %w", f.size, ErrTooLarge)
	}
	if f.size < f.ssize {
		return formatErr("header", 0, "the file is %d bytes, shorter than its %d-byte header sector", f.size, f.ssize)
	}
	// Sectors the file has room for; a short last sector counts and reads
	// as if padded with zeros.
	n := (f.size - f.ssize + f.ssize - 1) / f.ssize
	f.nsect = uint32(min(n, maxRegSect+1))

	h := header{
		numFAT:       le.Uint32(b[44:]),
		dirStart:     le.Uint32(b[48:]),
		miniFATStart: le.Uint32(b[60:]),
		numMiniFAT:   le.Uint32(b[64:]),
		difatStart:   le.Uint32(b[68:]),
		numDIFAT:     le.Uint32(b[72:]),
	}
	for i := range h.difat {
		h.difat[i] = le.Uint32(b[76+4*i:])
	}
	if err := f.readFAT(&h); err != nil {
		return err
	}
	return f.readDirectory(&h)
}

// sectorOffset is the file offset of sector s.
func (f *File) sectorOffset(s uint32) int64 { return (int64(s) + 1) * f.ssize }

// readSector reads sector s whole; a sector cut short by the end of the
// file reads as padded with zeros.
func (f *File) readSector(s uint32, where string) ([]byte, error) {
	if s >= f.nsect {
		return nil, formatErr(where, -1, "sector %d is past the end of the file (%d sectors)", s, f.nsect)
	}
	b := make([]byte, f.ssize)
	off := f.sectorOffset(s)
	n, err := f.r.ReadAt(b, off)
	if n < len(b) && (err != io.EOF || off+int64(n) < f.size) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("cfb: reading %s, sector %d (offset 0x%X): %w", where, s, off, err)
	}
	return b, nil
}

func (f *File) readFAT(h *header) error {
	per := uint32(f.ssize / 4)
	if h.numFAT > f.nsect {
		return formatErr("header", 44, "%d FAT sectors claimed, but the file has room for %d sectors", h.numFAT, f.nsect)
	}
	fatSectors := make([]uint32, 0, min(h.numFAT, headerDIFAT))
	for _, s := range h.difat {
		if uint32(len(fatSectors)) == h.numFAT {
			break
		}
		fatSectors = append(fatSectors, s)
	}
	var difatSectors []uint32
	for next := h.difatStart; uint32(len(fatSectors)) < h.numFAT; {
		// Each DIFAT sector adds per-1 FAT sectors, so this loop ends
		// after at most numFAT/(per-1)+1 rounds even on a cycle; a cycle
		// shows as a sector used twice below.
		where := fmt.Sprintf("DIFAT sector %d", len(difatSectors))
		if next > maxRegSect {
			return formatErr(where, -1, "the DIFAT chain ends (0x%08X) with %d of the %d FAT sectors found", next, len(fatSectors), h.numFAT)
		}
		b, err := f.readSector(next, where)
		if err != nil {
			return err
		}
		difatSectors = append(difatSectors, next)
		for i := uint32(0); i < per-1 && uint32(len(fatSectors)) < h.numFAT; i++ {
			fatSectors = append(fatSectors, le.Uint32(b[4*i:]))
		}
		next = le.Uint32(b[4*(per-1):])
	}
	for i, s := range fatSectors {
		where := fmt.Sprintf("FAT sector %d", i)
		if s > maxRegSect {
			return formatErr(where, -1, "the DIFAT lists 0x%08X, not a sector number", s)
		}
		b, err := f.readSector(s, where)
		if err != nil {
			return err
		}
		for j := range per {
			f.fat = append(f.fat, le.Uint32(b[4*j:]))
		}
	}
	if uint32(len(f.fat)) > f.nsect {
		f.fat = f.fat[:f.nsect]
	}
	f.used = make([]bool, len(f.fat))
	for i, s := range fatSectors {
		if err := f.claim(s, fmt.Sprintf("FAT sector %d", i)); err != nil {
			return err
		}
	}
	for i, s := range difatSectors {
		if err := f.claim(s, fmt.Sprintf("DIFAT sector %d", i)); err != nil {
			return err
		}
	}
	return nil
}

// claim marks sector s as used by what, or says why it cannot be.
func (f *File) claim(s uint32, what string) error {
	if s >= uint32(len(f.used)) {
		return formatErr(what, -1, "sector %d has no FAT entry (the FAT covers %d sectors)", s, len(f.used))
	}
	if f.used[s] {
		return formatErr(what, f.sectorOffset(s), "sector %d is used twice (a cycle in a chain, or two chains sharing it)", s)
	}
	f.used[s] = true
	return nil
}

// chain follows the FAT from start to the end of chain, claiming each
// sector; it stops with an error at a sector already claimed, so it ends
// on any FAT.
func (f *File) chain(start uint32, what string) ([]uint32, error) {
	var out []uint32
	for s := start; s != endOfChain; s = f.fat[s] {
		if s > maxRegSect {
			return nil, formatErr(what, -1, "the chain reaches 0x%08X after %d sectors, not a sector or its end", s, len(out))
		}
		if err := f.claim(s, what); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// miniChain is chain for the mini FAT.
func (f *File) miniChain(start uint32, what string) ([]uint32, error) {
	var out []uint32
	for s := start; s != endOfChain; s = f.minifat[s] {
		if s > maxRegSect {
			return nil, formatErr(what, -1, "the mini chain reaches 0x%08X after %d mini sectors, not a mini sector or its end", s, len(out))
		}
		if s >= uint32(len(f.mused)) {
			return nil, formatErr(what, -1, "mini sector %d is past the end of the mini stream and its FAT (%d mini sectors)", s, len(f.mused))
		}
		if f.mused[s] {
			return nil, formatErr(what, -1, "mini sector %d is used twice (a cycle in a chain, or two chains sharing it)", s)
		}
		f.mused[s] = true
		out = append(out, s)
	}
	return out, nil
}

func (f *File) readChain(sectors []uint32, what string) ([]byte, error) {
	b := make([]byte, 0, len(sectors)*int(f.ssize))
	for i, s := range sectors {
		sb, err := f.readSector(s, fmt.Sprintf("%s sector %d", what, i))
		if err != nil {
			return nil, err
		}
		b = append(b, sb...)
	}
	return b, nil
}

func (f *File) readDirectory(h *header) error {
	sectors, err := f.chain(h.dirStart, "directory")
	if err != nil {
		return err
	}
	if len(sectors) == 0 {
		return formatErr("header", 48, "the directory is empty (its first sector is 0x%08X)", h.dirStart)
	}
	if f.dir, err = f.readChain(sectors, "directory"); err != nil {
		return err
	}
	root := f.dir[:dirEntrySize]
	if root[66] != objRoot {
		return formatErr("directory entry 0", f.sectorOffset(sectors[0]), "object type %d, want 5 (the root storage)", root[66])
	}
	// The mini stream: the root's chain, size bytes.
	rsize := f.streamSize(root)
	rstart := le.Uint32(root[116:])
	if rsize > 0 {
		if rsize > f.size {
			return formatErr("directory entry 0", f.sectorOffset(sectors[0]), "mini stream size %d is larger than the file (%d bytes)", rsize, f.size)
		}
		ms, err := f.chain(rstart, "mini stream")
		if err != nil {
			return err
		}
		if err := f.checkData(ms, rsize, "mini stream"); err != nil {
			return err
		}
		f.mini = &chainReader{r: f.r, base: f.ssize, unit: f.ssize, sectors: ms, size: rsize}
	}
	nmini := (rsize + miniSectorSize - 1) / miniSectorSize
	if h.miniFATStart != endOfChain || h.numMiniFAT != 0 {
		ms, err := f.chain(h.miniFATStart, "mini FAT")
		if err != nil {
			return err
		}
		for i, s := range ms {
			b, err := f.readSector(s, fmt.Sprintf("mini FAT sector %d", i))
			if err != nil {
				return err
			}
			for j := 0; j < len(b) && int64(len(f.minifat)) < nmini; j += 4 {
				f.minifat = append(f.minifat, le.Uint32(b[j:]))
			}
		}
	}
	f.mused = make([]bool, len(f.minifat))
	return nil
}

// streamSize is the Stream Size of entry e; [MS-CFB] 2.6.3 asks version 3
// readers to ignore its high 32 bits, which old writers left unset.
func (f *File) streamSize(e []byte) int64 {
	n := le.Uint64(e[120:])
	if f.version == V3 {
		n &= 0xFFFFFFFF
	}
	if n > 1<<62 {
		n = 1 << 62
	}
	return int64(n)
}

// checkData reports an error unless the chain holds size bytes inside the
// file.
func (f *File) checkData(sectors []uint32, size int64, what string) error {
	need := (size + f.ssize - 1) / f.ssize
	if int64(len(sectors)) < need {
		return formatErr(what, -1, "size %d needs %d sectors, but its chain has %d", size, need, len(sectors))
	}
	if need > 0 {
		last := sectors[need-1]
		if end := f.sectorOffset(last) + size - (need-1)*f.ssize; end > f.size {
			return formatErr(what, f.sectorOffset(last), "its last sector %d ends at %d, past the end of the file (%d bytes)", last, end, f.size)
		}
	}
	return nil
}

// entryWhere names directory entry i for errors.
func entryWhere(i uint32, name string) string {
	if name == "" {
		return fmt.Sprintf("directory entry %d", i)
	}
	return fmt.Sprintf("directory entry %d (%q)", i, name)
}

func (f *File) readTree() error {
	n := uint32(len(f.dir) / dirEntrySize)
	seen := make([]bool, n)
	seen[0] = true
	f.root = f.entry(0)
	f.root.name, f.root.u16 = f.rawName(0)
	queue := []*Entry{f.root}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		stack := []uint32{le.Uint32(f.dir[st.index*dirEntrySize+76:])}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if id == noStream {
				continue
			}
			where := fmt.Sprintf("a link in storage %q", st.name)
			if id >= n {
				return formatErr(where, -1, "entry %d is past the last directory entry %d", id, n-1)
			}
			if seen[id] {
				return formatErr(where, -1, "directory entry %d is reached twice (a cycle or a shared subtree)", id)
			}
			seen[id] = true
			e, err := f.child(id)
			if err != nil {
				return err
			}
			st.children = append(st.children, e)
			if e.typ == objStorage {
				queue = append(queue, e)
			}
			raw := f.dir[id*dirEntrySize:]
			stack = append(stack, le.Uint32(raw[72:]), le.Uint32(raw[68:]))
		}
		slices.SortStableFunc(st.children, func(a, b *Entry) int { return compareNames(a.u16, b.u16) })
		for i := 1; i < len(st.children); i++ {
			a, b := st.children[i-1], st.children[i]
			if compareNames(a.u16, b.u16) == 0 {
				return formatErr(entryWhere(uint32(b.index), b.name), -1, "the name repeats entry %d's (%q) in storage %q", a.index, a.name, st.name)
			}
		}
	}
	return nil
}

// rawName decodes entry i's name as far as it can, for the root and for
// errors.
func (f *File) rawName(i uint32) (string, []uint16) {
	raw := f.dir[i*dirEntrySize:]
	nb := int(le.Uint16(raw[64:]))
	if nb < 2 || nb > 64 || nb%2 != 0 {
		return "", nil
	}
	return wire.DecodeUTF16(raw[:nb-2]), units(raw[:nb-2])
}

// units returns the UTF-16 code units of UTF-16LE b, whose length is even.
func units(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for j := range u {
		u[j] = le.Uint16(b[2*j:])
	}
	return u
}

func (f *File) entry(i uint32) *Entry {
	raw := f.dir[i*dirEntrySize : (i+1)*dirEntrySize]
	return &Entry{
		f:        f,
		index:    int(i),
		typ:      raw[66],
		clsid:    CLSID(raw[80:96]),
		state:    le.Uint32(raw[96:]),
		created:  le.Uint64(raw[100:]),
		modified: le.Uint64(raw[108:]),
	}
}

// child reads directory entry i, a storage or a stream, and checks its
// name and, for a stream, its chain.
func (f *File) child(i uint32) (*Entry, error) {
	e := f.entry(i)
	raw := f.dir[i*dirEntrySize:]
	where := entryWhere(i, "")
	if e.typ != objStorage && e.typ != objStream {
		return nil, formatErr(where, -1, "object type %d in a storage, want 1 (storage) or 2 (stream)", e.typ)
	}
	nb := int(le.Uint16(raw[64:]))
	if nb < 4 || nb > 64 || nb%2 != 0 {
		return nil, formatErr(where, -1, "name length %d bytes, want an even number from 4 to 64", nb)
	}
	e.u16 = units(raw[:nb-2])
	if slices.Contains(e.u16, 0) {
		return nil, formatErr(where, -1, "the name holds a NUL before its end")
	}
	if !wire.ValidUTF16(raw[:nb-2]) {
		return nil, formatErr(where, -1, "the name is not valid UTF-16 (an unpaired surrogate)")
	}
	e.name = wire.DecodeUTF16(raw[:nb-2])
	where = entryWhere(i, e.name)
	if err := checkName(e.name); err != nil {
		return nil, formatErr(where, -1, "%v", err)
	}
	if e.typ == objStorage {
		return e, nil
	}
	e.size = f.streamSize(raw)
	if e.size == 0 {
		return e, nil
	}
	if e.size > f.size {
		return nil, formatErr(where, -1, "stream size %d is larger than the file (%d bytes)", e.size, f.size)
	}
	start := le.Uint32(raw[116:])
	var err error
	if e.size >= miniCutoff {
		if e.sectors, err = f.chain(start, where); err != nil {
			return nil, err
		}
		if err := f.checkData(e.sectors, e.size, where); err != nil {
			return nil, err
		}
		return e, nil
	}
	e.mini = true
	if f.mini == nil {
		return nil, formatErr(where, -1, "a %d-byte stream belongs in the mini stream, but the file has none", e.size)
	}
	if e.sectors, err = f.miniChain(start, where); err != nil {
		return nil, err
	}
	need := (e.size + miniSectorSize - 1) / miniSectorSize
	if int64(len(e.sectors)) < need {
		return nil, formatErr(where, -1, "size %d needs %d mini sectors, but its chain has %d", e.size, need, len(e.sectors))
	}
	last := int64(e.sectors[need-1])
	if end := last*miniSectorSize + e.size - (need-1)*miniSectorSize; end > f.mini.size {
		return nil, formatErr(where, -1, "its last mini sector %d ends at %d, past the end of the mini stream (%d bytes)", last, end, f.mini.size)
	}
	return e, nil
}

// Name is the entry's name; the root's is the one the file holds
// (normally "Root Entry").
func (e *Entry) Name() string { return e.name }

// IsStorage reports whether the entry is a storage (the root included).
func (e *Entry) IsStorage() bool { return e.typ != objStream }

// IsStream reports whether the entry is a stream.
func (e *Entry) IsStream() bool { return e.typ == objStream }

// Size is a stream's size in bytes, 0 for a storage.
func (e *Entry) Size() int64 { return e.size }

// CLSID is a storage's class ([MS-CFB] 2.6.1; IStorage::Stat's clsid).
func (e *Entry) CLSID() CLSID { return e.clsid }

// StateBits are a storage's user flags (IStorage::SetStateBits).
func (e *Entry) StateBits() uint32 { return e.state }

// Created is a storage's creation time, the zero Time if the file has none.
func (e *Entry) Created() time.Time { return filetimeToTime(e.created) }

// Modified is a storage's modification time, the zero Time if the file has
// none.
func (e *Entry) Modified() time.Time { return filetimeToTime(e.modified) }

// Children are a storage's storages and streams in [MS-CFB] 2.6.4 order
// (shorter names first, then by uppercased UTF-16 code units); nil for a
// stream. The caller must not change the slice.
func (e *Entry) Children() []*Entry { return e.children }

// Child finds a storage's child by name, compared as [MS-CFB] 2.6.4
// compares them (case-insensitively); the Go form of IStorage::OpenStream
// and OpenStorage's lookup.
func (e *Entry) Child(name string) (*Entry, bool) {
	u := utf16.Encode([]rune(name))
	for _, c := range e.children {
		if compareNames(c.u16, u) == 0 {
			return c, true
		}
	}
	return nil, false
}

// Open returns a reader of a stream's bytes, the Go form of
// IStorage::OpenStream; several may be open at once. For a storage it
// returns an error wrapping [ErrNotStream].
func (e *Entry) Open() (*io.SectionReader, error) {
	if !e.IsStream() {
		return nil, fmt.Errorf("cfb: opening %q: it is a storage: %w", e.name, ErrNotStream)
	}
	var cr *chainReader
	if e.mini {
		cr = &chainReader{r: e.f.mini, unit: miniSectorSize, sectors: e.sectors, size: e.size}
	} else {
		cr = &chainReader{r: e.f.r, base: e.f.ssize, unit: e.f.ssize, sectors: e.sectors, size: e.size}
	}
	return io.NewSectionReader(cr, 0, e.size), nil
}

// ReadAll returns a stream's bytes in a new slice.
func (e *Entry) ReadAll() ([]byte, error) {
	sr, err := e.Open()
	if err != nil {
		return nil, err
	}
	b := make([]byte, e.size)
	if _, err := sr.ReadAt(b, 0); err != nil && !(err == io.EOF && e.size == 0) {
		return nil, fmt.Errorf("cfb: reading stream %q: %w", e.name, err)
	}
	return b, nil
}

// chainReader reads size bytes laid out in a chain of unit-byte sectors,
// sector s at base+s*unit in r.
type chainReader struct {
	r       io.ReaderAt
	base    int64
	unit    int64
	sectors []uint32
	size    int64
}

var errNegativeOffset = errors.New("cfb: negative offset")

func (c *chainReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	n := 0
	for len(p) > 0 && off < c.size {
		i := off / c.unit
		pos := c.base + int64(c.sectors[i])*c.unit + off%c.unit
		chunk := c.unit - off%c.unit
		// Consecutive sectors read as one.
		for j := i + 1; j < int64(len(c.sectors)) && c.sectors[j] == c.sectors[j-1]+1 && chunk < int64(len(p)); j++ {
			chunk += c.unit
		}
		chunk = min(chunk, c.size-off, int64(len(p)))
		m, err := c.r.ReadAt(p[:chunk], pos)
		n += m
		off += int64(m)
		p = p[m:]
		if m < int(chunk) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		}
	}
	if len(p) > 0 {
		return n, io.EOF
	}
	return n, nil
}
