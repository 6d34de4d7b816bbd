package pst

// The CRC of [MS-PST] 5.3 (ComputeCRC with a start value of 0), which
// the header, pages and blocks carry, is wire.CRC32.

// signature is [MS-PST] 5.5's ComputeSig: the wSig of the page or block
// with BID bid at file offset ib.
func signature(ib int64, bid BID) uint16 {
	x := uint32(uint64(ib) ^ uint64(bid))
	return uint16(x>>16) ^ uint16(x)
}
