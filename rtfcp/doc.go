// Package rtfcp reads and writes PR_RTF_COMPRESSED (PidTagRtfCompressed),
// the compressed RTF body of a MAPI message, as [MS-OXRTFCP] (Rich Text
// Format (RTF) Compression Algorithm) defines it.
//
// A PR_RTF_COMPRESSED value is a 16-byte header (COMPSIZE, RAWSIZE,
// COMPTYPE, CRC; [MS-OXRTFCP] 2.1.3.1.1) followed by the contents, which are
// either the RTF itself (COMPTYPE "MELA", uncompressed) or an LZ77 stream
// (COMPTYPE "LZFu"): runs of a control byte and up to eight tokens, each a
// literal byte or a 16-bit dictionary reference ([MS-OXRTFCP] 2.1.3.1.5)
// into a 4096-byte circular dictionary that starts out holding a fixed
// string of common RTF words.
//
// [Decompress] is the reader's half of MAPI's WrapCompressedRTFStream: it
// takes either form and returns the RTF, checking the header, the CRC and
// RAWSIZE. [Compress] writes the LZFu form as [MS-OXRTFCP] 2.3.3.2 describes
// it (for the spec's examples it produces the spec's bytes), and
// [Uncompressed] writes the MELA form, which is what a store that sets
// STORE_UNCOMPRESSED_RTF keeps. [CRC] is the spec's checksum on its own.
//
// Malformed input is reported as an error that wraps [ErrFormat] (and
// [ErrChecksum] for a CRC mismatch) and is a *[FormatError] carrying the
// offset of the fault; no input makes Decompress panic, and it allocates no
// more than the compressed input can expand to, whatever RAWSIZE claims.
package rtfcp
