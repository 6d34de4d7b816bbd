package pst

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// Format is the layout of a file: ANSI (32-bit IDs and offsets,
// Outlook 97 to 2002) or Unicode (64-bit, Outlook 2003 and later).
type Format uint8

const (
	// FormatANSI is the 32-bit layout (wVer 14 or 15).
	FormatANSI Format = 1
	// FormatUnicode is the 64-bit layout (wVer 23 and later).
	FormatUnicode Format = 2
)

// String returns "ANSI" or "Unicode".
func (f Format) String() string {
	switch f {
	case FormatANSI:
		return "ANSI"
	case FormatUnicode:
		return "Unicode"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// DefaultCacheSize is the block cache's size when Options do not set one.
const DefaultCacheSize = 64 << 20

// Options tune how a file is read. The zero value (and nil) is the
// default.
type Options struct {
	// CacheSize bounds the bytes of decoded blocks, parsed B-tree
	// pages and the name-to-ID map a File keeps in memory: 0 means
	// DefaultCacheSize, a negative value keeps none. Beyond it a File
	// keeps only a summary of its message store (its code page and
	// PR_RECORD_KEY), a few dozen bytes.
	CacheSize int64

	// skipCRC lets tests and fuzz targets reach the structural checks
	// behind the CRCs with altered bytes.
	skipCRC bool
}

// File is an open PST file. Its methods are safe for concurrent use.
// It reads through the io.ReaderAt given to Open, which must stay
// usable while the File is; its memory is bounded by its cache.
type File struct {
	r       io.ReaderAt
	size    int64 // as given to Open
	eof     int64 // ibFileEof, <= size
	format  Format
	crypt   CryptMethod
	nbt     bref // root page of the node B-tree
	bbt     bref // root page of the block B-tree
	cache   *cache
	skipCRC bool
	l       *layout
	store   atomic.Pointer[storeSummary] // read once, by summary
}

// bref is a BREF ([MS-PST] 2.2.2.4): a page's or block's BID and offset.
type bref struct {
	bid BID
	ib  int64
}

// layout holds the sizes that differ between the ANSI and Unicode formats.
type layout struct {
	idSize        int // BID, IB and btkey: 4 or 8
	pageTrailer   int // PAGETRAILER
	btEntries     int // rgentries of a BTPAGE
	blockTrailer  int // BLOCKTRAILER
	maxBlockData  int // largest cb of a block: 8192 less the trailer
	nbtEntry      int // NBTENTRY
	bbtEntry      int // BBTENTRY
	btEntry       int // BTENTRY
	subnodeHeader int // SLBLOCK/SIBLOCK header (Unicode has dwPadding)
	slEntry       int // SLENTRY
	siEntry       int // SIENTRY
}

var (
	ansiLayout = layout{
		idSize: 4, pageTrailer: 12, btEntries: 496, blockTrailer: 12, maxBlockData: 8180,
		nbtEntry: 16, bbtEntry: 12, btEntry: 12, subnodeHeader: 4, slEntry: 12, siEntry: 8,
	}
	unicodeLayout = layout{
		idSize: 8, pageTrailer: 16, btEntries: 488, blockTrailer: 16, maxBlockData: 8176,
		nbtEntry: 32, bbtEntry: 24, btEntry: 24, subnodeHeader: 8, slEntry: 24, siEntry: 16,
	}
)

// id reads a BID, IB or btkey of the layout's size.
func (l *layout) id(b []byte) uint64 {
	if l.idSize == 4 {
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

const (
	pageSize          = 512
	headerSizeANSI    = 512
	headerSizeUnicode = 564
	wVer4K            = 36
)

// Offsets in the HEADER ([MS-PST] 2.2.2.6).
const (
	hdrMagic        = 0
	hdrCRCPartial   = 4
	hdrMagicClient  = 8
	hdrVer          = 10
	hdrCRCStart     = 8   // both CRCs cover bytes from wMagicClient on
	hdrCRCPartialN  = 471 // bytes under dwCRCPartial
	hdrCRCFullN     = 516 // bytes under dwCRCFull (Unicode only)
	hdrRootANSI     = 164
	hdrRootUnicode  = 180
	hdrSentinelANSI = 460
	hdrSentinelUni  = 512
	hdrCRCFull      = 524
)

// Open reads the header of the PST file of size bytes that r reads and
// returns the File. Open reads the header and the roots of the
// B-trees; everything else is read when asked for. Every error about
// the file's contents is a *FormatError; a 4K-page file (wVer 36, the
// OST layout) is one that also wraps errors.ErrUnsupported.
func Open(r io.ReaderAt, size int64, opts *Options) (*File, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	cacheSize := o.CacheSize
	if cacheSize == 0 {
		cacheSize = DefaultCacheSize
	}
	f := &File{r: r, size: size, eof: size, cache: newCache(cacheSize), skipCRC: o.skipCRC}
	if err := f.readHeader(); err != nil {
		return nil, err
	}
	// The roots must be sound pages; the rest is checked as it is read.
	if _, err := f.page(f.nbt, ptypeNBT, -1, 0); err != nil {
		return nil, err
	}
	if _, err := f.page(f.bbt, ptypeBBT, -1, 0); err != nil {
		return nil, err
	}
	return f, nil
}

// Format returns the file's format, ANSI or Unicode.
func (f *File) Format() Format { return f.format }

// CryptMethod returns how the file encodes its data blocks.
func (f *File) CryptMethod() CryptMethod { return f.crypt }

func (f *File) readHeader() error {
	if f.size < headerSizeANSI {
		return &FormatError{Offset: 0, Reason: fmt.Sprintf("file of %d bytes is shorter than a PST header", f.size)}
	}
	n := int64(headerSizeUnicode)
	if f.size < n {
		n = f.size
	}
	h := make([]byte, n)
	if err := f.readAt(h, 0); err != nil {
		return err
	}
	if string(h[hdrMagic:hdrMagic+4]) != "!BDN" {
		return &FormatError{Offset: hdrMagic, Reason: fmt.Sprintf("dwMagic is %q, not \"!BDN\": not a PST file", h[:4])}
	}
	if mc := string(h[hdrMagicClient : hdrMagicClient+2]); mc != "SM" && mc != "SO" {
		return &FormatError{Offset: hdrMagicClient, Reason: fmt.Sprintf("wMagicClient is %q, not \"SM\" (PST) or \"SO\" (OST)", mc)}
	}
	ver := binary.LittleEndian.Uint16(h[hdrVer:])
	var root, sentinel int
	switch {
	case ver == 14 || ver == 15:
		f.format, f.l, root, sentinel = FormatANSI, &ansiLayout, hdrRootANSI, hdrSentinelANSI
	case ver == wVer4K:
		return &FormatError{Offset: hdrVer, Reason: "wVer 36: files with 4K pages are not supported", Err: errors.ErrUnsupported}
	case ver >= 23:
		if len(h) < headerSizeUnicode {
			return &FormatError{Offset: 0, Reason: fmt.Sprintf("file of %d bytes is shorter than a Unicode PST header", f.size)}
		}
		f.format, f.l, root, sentinel = FormatUnicode, &unicodeLayout, hdrRootUnicode, hdrSentinelUni
	default:
		return &FormatError{Offset: hdrVer, Reason: fmt.Sprintf("wVer %d is neither ANSI (14, 15) nor Unicode (23 and later)", ver)}
	}
	if !f.skipCRC {
		if got, want := wire.CRC32(h[hdrCRCStart:hdrCRCStart+hdrCRCPartialN]), binary.LittleEndian.Uint32(h[hdrCRCPartial:]); got != want {
			return &FormatError{Offset: hdrCRCPartial, Reason: fmt.Sprintf("header dwCRCPartial is 0x%08X, computed 0x%08X", want, got)}
		}
		if f.format == FormatUnicode {
			if got, want := wire.CRC32(h[hdrCRCStart:hdrCRCStart+hdrCRCFullN]), binary.LittleEndian.Uint32(h[hdrCRCFull:]); got != want {
				return &FormatError{Offset: hdrCRCFull, Reason: fmt.Sprintf("header dwCRCFull is 0x%08X, computed 0x%08X", want, got)}
			}
		}
	}
	if h[sentinel] != 0x80 {
		return &FormatError{Offset: int64(sentinel), Reason: fmt.Sprintf("header bSentinel is 0x%02X, not 0x80", h[sentinel])}
	}
	switch m := CryptMethod(h[sentinel+1]); m {
	case CryptNone, CryptPermute, CryptCyclic:
		f.crypt = m
	default:
		return &FormatError{Offset: int64(sentinel + 1), Reason: "unknown bCryptMethod 0x" + fmt.Sprintf("%02X", uint8(m)), Err: errors.ErrUnsupported}
	}

	// ROOT ([MS-PST] 2.2.2.5): dwReserved, ibFileEof, ibAMapLast,
	// cbAMapFree, cbPMapFree, BREFNBT, BREFBBT, ...
	l, r := f.l, h[root:]
	id := func(i int) uint64 { return l.id(r[4+i*l.idSize:]) }
	eof := id(0)
	if eof > uint64(f.size) {
		return &FormatError{Offset: int64(root + 4), Reason: fmt.Sprintf("file is truncated: ibFileEof is %d, the file has %d bytes", eof, f.size)}
	}
	if eof < pageSize {
		return &FormatError{Offset: int64(root + 4), Reason: fmt.Sprintf("ibFileEof %d is inside the header", eof)}
	}
	f.eof = int64(eof)
	f.nbt = bref{bid: BID(id(4)), ib: int64(id(5))}
	f.bbt = bref{bid: BID(id(6)), ib: int64(id(7))}
	return nil
}

// readAt fills p from offset off, which must lie within ibFileEof; a
// short read is a truncated file.
func (f *File) readAt(p []byte, off int64) error {
	if off < 0 || off > f.eof || int64(len(p)) > f.eof-off {
		return &FormatError{Offset: off, Reason: fmt.Sprintf("%d bytes at offset %d reach beyond the end of the file (%d)", len(p), off, f.eof)}
	}
	n, err := f.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{Offset: off + int64(n), Reason: "file is truncated", Err: err}
	}
	return fmt.Errorf("pst: reading %d bytes at offset 0x%X: %w", len(p), off, err)
}
