package cfb

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// Sector numbers with a meaning of their own ([MS-CFB] 2.1).
const (
	maxRegSect = 0xFFFFFFFA // the last regular sector number
	difSect    = 0xFFFFFFFC // a DIFAT sector, in the FAT
	fatSect    = 0xFFFFFFFD // a FAT sector, in the FAT
	endOfChain = 0xFFFFFFFE // the end of a chain
	freeSect   = 0xFFFFFFFF // an unused sector
	noStream   = 0xFFFFFFFF // no directory entry (a nil link)
)

// Fixed sizes ([MS-CFB] 2.2 and 2.6).
const (
	headerSize      = 512
	headerDIFAT     = 109  // FAT sector numbers held in the header
	miniSectorSize  = 64   // 1 << mini sector shift 6
	miniCutoff      = 4096 // streams shorter than this live in the mini stream
	dirEntrySize    = 128
	maxV3Size       = 1 << 31 // files and streams a version 3 file may hold
	objUnknown      = 0
	objStorage      = 1
	objStream       = 2
	objRoot         = 5
	colorRed        = 0
	colorBlack      = 1
	minorVersion    = 0x003E
	byteOrderMarker = 0xFFFE
)

var signature = [8]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Version is a compound file's major version ([MS-CFB] 2.2, Major Version):
// it fixes the sector size.
type Version int

const (
	// V3 files have 512-byte sectors and hold at most 2 GB; .msg files
	// are version 3.
	V3 Version = 3
	// V4 files have 4096-byte sectors.
	V4 Version = 4
)

// sectorShift is the header's Sector Shift for v, or 0 for no version.
func (v Version) sectorShift() int {
	switch v {
	case V3:
		return 9
	case V4:
		return 12
	}
	return 0
}

// CLSID is the GUID of a storage's class ([MS-CFB] 2.6.1, CLSID; the CLSID
// of COM's IStorage::SetClass) as the 16 bytes the file holds.
type CLSID [16]byte

// String returns the registry form of the GUID whose in-memory bytes c
// holds: {00020D0B-0000-0000-C000-000000000046}.
func (c CLSID) String() string {
	le := binary.LittleEndian
	return fmt.Sprintf("{%08X-%04X-%04X-%X-%X}", le.Uint32(c[0:]), le.Uint16(c[4:]), le.Uint16(c[6:]), c[8:10], c[10:])
}

// filetimeToTime is the time a FILETIME names; 0, which [MS-CFB] 2.6.3
// writes for a time not set, is the zero time.Time.
func filetimeToTime(ft uint64) time.Time {
	if ft == 0 {
		return time.Time{}
	}
	return wire.FromFiletime(ft)
}

// timeToFiletime is the FILETIME of t, truncated to 100 ns; the zero
// time.Time and times FILETIME cannot hold are 0, no time.
func timeToFiletime(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	ft, _ := wire.ToFiletime(t)
	return ft
}
