package rtfcp

import "encoding/binary"

const (
	headerSize = 16   // COMPSIZE, RAWSIZE, COMPTYPE, CRC
	dictSize   = 4096 // the circular dictionary
	maxRef     = 17   // longest reference: 4-bit length field plus 2
	maxSize    = 1<<32 - 1

	// COMPTYPE values, as little-endian DWORDs.
	typeCompressed   = 0x75465A4C // "LZFu"
	typeUncompressed = 0x414C454D // "MELA"
)

// initialDict is the string [MS-OXRTFCP] (Dictionary) pre-loads into the
// first 207 bytes of the dictionary before compressing or decompressing.
const initialDict = `{\rtf1\ansi\mac\deff0\deftab720{\fonttbl;}{\f0\fnil \froman \fswiss \fmodern \fscript \fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\colortbl\red0\green0\blue0` + "\r\n" + `\par \pard\plain\f0\fs20\b\i\u\tab\tx`

// putHeader writes the 16-byte header into b[:16].
func putHeader(b []byte, compSize, rawSize, compType, crc uint32) {
	binary.LittleEndian.PutUint32(b[0:], compSize)
	binary.LittleEndian.PutUint32(b[4:], rawSize)
	binary.LittleEndian.PutUint32(b[8:], compType)
	binary.LittleEndian.PutUint32(b[12:], crc)
}
