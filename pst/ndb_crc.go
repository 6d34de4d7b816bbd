package pst

import "hash/crc32"

// crc is the CRC of [MS-PST] 5.3 (ComputeCRC with a start value of 0):
// the reflected CRC-32 of polynomial 0xEDB88320 without the customary
// initial and final inversions. hash/crc32 inverts on the way in and
// out, so starting it from ^0 and inverting its answer gives the
// spec's value (and keeps hash/crc32's hardware paths).
func crc(p []byte) uint32 {
	return ^crc32.Update(^uint32(0), crc32.IEEETable, p)
}

// signature is [MS-PST] 5.5's ComputeSig: the wSig of the page or block
// with BID bid at file offset ib.
func signature(ib int64, bid BID) uint16 {
	x := uint32(uint64(ib) ^ uint64(bid))
	return uint16(x>>16) ^ uint16(x)
}
