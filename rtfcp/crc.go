package rtfcp

import "hash/crc32"

// CRC returns the checksum [MS-OXRTFCP] (CRC Calculation) defines for the
// CRC header field of an LZFu stream, computed over the contents that follow
// the 16-byte header.
//
// It is CRC-32 with the IEEE 802.3 table (the one hash/crc32.IEEETable
// holds) but with an initial value of 0 and no final XOR, so it differs from
// crc32.ChecksumIEEE: CRC(nil) is 0.
func CRC(b []byte) uint32 {
	// crc32.Update inverts the value on the way in and out; inverting
	// around it turns that into the spec's plain register with init 0.
	return ^crc32.Update(^uint32(0), crc32.IEEETable, b)
}
