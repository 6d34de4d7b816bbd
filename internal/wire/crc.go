package wire

import "hash/crc32"

// CRC32 returns the CRC-32 that [MS-OXRTFCP] 2.1.3.2 (the CRC of a
// compressed RTF stream), [MS-OXMSG] 2.2.3.2.2 (the CRC of a string
// name, which picks its name-to-ID mapping stream) and [MS-PST] 5.3
// (ComputeCRC, the CRC of NDB pages and blocks) each define: the IEEE
// 802.3 polynomial, reflected (the table hash/crc32.IEEETable holds),
// with a register that starts at 0 and no final inversion. It differs
// from crc32.ChecksumIEEE, which inverts at both ends; CRC32(nil) is 0.
// It allocates nothing.
func CRC32(b []byte) uint32 {
	// crc32.Update inverts the register on the way in and out; inverting
	// around it undoes both and keeps its table-free hardware paths.
	return ^crc32.Update(^uint32(0), crc32.IEEETable, b)
}
