package rtfcp

import "github.com/mapiemu/mapiemu/internal/wire"

// CRC returns the checksum [MS-OXRTFCP] 2.1.3.2 (CRC Calculation) defines
// for the CRC header field of an LZFu stream, computed over the contents
// that follow the 16-byte header.
//
// It is CRC-32 with the IEEE 802.3 table (the one hash/crc32.IEEETable
// holds) but with an initial value of 0 and no final XOR, so it differs from
// crc32.ChecksumIEEE: CRC(nil) is 0. It is the CRC [MS-OXMSG] and [MS-PST]
// use too, and the three share one implementation.
func CRC(b []byte) uint32 { return wire.CRC32(b) }
