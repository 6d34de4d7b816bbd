package rtfcp

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Decompress returns the RTF held in a PR_RTF_COMPRESSED value, the reading
// half of MAPI's WrapCompressedRTFStream ([MS-OXRTFCP] 2.1.3.1.1 for the
// format, Decompression for the algorithm).
//
// b must be exactly one value: COMPSIZE must count the bytes after it
// (len(b)-4). An LZFu value must carry the CRC of its contents, end with the
// end-of-stream reference, and expand to exactly RAWSIZE bytes; a MELA
// value's CRC is not checked (writers set it to zero) and its contents must
// be RAWSIZE bytes long. Bytes after the end-of-stream reference are
// padding and are ignored.
//
// Any other input yields an error wrapping ErrFormat (ErrChecksum for a CRC
// mismatch) that is a *FormatError giving the offset of the fault. The
// result is a new slice; b is not retained.
func Decompress(b []byte) ([]byte, error) {
	if len(b) < headerSize {
		return nil, formatError(len(b), "header truncated: %d of %d bytes", len(b), headerSize)
	}
	compSize := binary.LittleEndian.Uint32(b[0:])
	rawSize := binary.LittleEndian.Uint32(b[4:])
	compType := binary.LittleEndian.Uint32(b[8:])
	crc := binary.LittleEndian.Uint32(b[12:])

	if compType != typeCompressed && compType != typeUncompressed {
		return nil, formatError(8, "unknown COMPTYPE %q, want \"LZFu\" or \"MELA\"", b[8:12])
	}
	if uint64(compSize)+4 != uint64(len(b)) {
		return nil, formatError(0, "COMPSIZE %d says %d bytes follow it, but %d do", compSize, compSize, len(b)-4)
	}
	contents := b[headerSize:]

	if compType == typeUncompressed {
		if uint64(rawSize) != uint64(len(contents)) {
			return nil, formatError(4, "RAWSIZE %d but an uncompressed stream holds %d bytes", rawSize, len(contents))
		}
		return bytes.Clone(contents), nil
	}
	if got := CRC(contents); got != crc {
		return nil, &FormatError{Offset: 12, Reason: fmt.Sprintf("CRC field is 0x%08X but the contents give 0x%08X", crc, got), Err: ErrChecksum}
	}
	return inflate(contents, rawSize)
}

// inflate expands LZFu contents into exactly rawSize bytes.
func inflate(contents []byte, rawSize uint32) ([]byte, error) {
	// The dictionary is kept linear: out holds the initial string followed
	// by everything produced, and dictionary offset o at output length n
	// names out[n-d] where d = (n-o) mod 4096. Nothing is ever overwritten,
	// so no 4096-byte ring is needed.
	//
	// Memory: a 2-byte reference yields at most 17 bytes, so the output
	// can never exceed 9 times the contents, whatever RAWSIZE claims.
	capHint := min(uint64(rawSize), 9*uint64(len(contents)))
	out := make([]byte, len(initialDict), uint64(len(initialDict))+capHint)
	copy(out, initialDict)
	limit := uint64(rawSize) + uint64(len(initialDict))

	pos := 0
	for {
		if pos >= len(contents) {
			return nil, formatError(headerSize+pos, "compressed data ends after %d of %d bytes with no end-of-stream reference", len(out)-len(initialDict), rawSize)
		}
		control := contents[pos]
		pos++
		for bit := range 8 {
			at := headerSize + pos
			if control&(1<<bit) == 0 {
				if pos >= len(contents) {
					return nil, formatError(at, "compressed data ends after %d of %d bytes with no end-of-stream reference", len(out)-len(initialDict), rawSize)
				}
				if uint64(len(out)) >= limit {
					return nil, formatError(at, "literal runs past RAWSIZE %d", rawSize)
				}
				out = append(out, contents[pos])
				pos++
				continue
			}
			if pos+2 > len(contents) {
				return nil, formatError(at, "dictionary reference truncated")
			}
			ref := binary.BigEndian.Uint16(contents[pos:])
			pos += 2
			off := int(ref >> 4)
			n := int(ref&0xF) + 2
			w := len(out) % dictSize
			if off == w {
				if got := uint64(len(out) - len(initialDict)); got != uint64(rawSize) {
					return nil, formatError(at, "end-of-stream reference after %d bytes, but RAWSIZE is %d", got, rawSize)
				}
				return out[len(initialDict):len(out):len(out)], nil
			}
			dist := (w - off + dictSize) % dictSize
			src := len(out) - dist
			if src < 0 {
				return nil, formatError(at, "reference to dictionary offset %d, which nothing has been written to", off)
			}
			if uint64(len(out)+n) > limit {
				return nil, formatError(at, "reference runs past RAWSIZE %d", rawSize)
			}
			if dist >= n {
				out = append(out, out[src:src+n]...)
				continue
			}
			// The source overlaps what this reference writes.
			for k := range n {
				out = append(out, out[src+k])
			}
		}
	}
}
