package rtfcp

import (
	"encoding/binary"
	"math/bits"
)

// Compress returns rtf as an LZFu PR_RTF_COMPRESSED value, following
// [MS-OXRTFCP] 2.3.3.2: at each position the longest match (2 to 17 bytes)
// in the 4096-byte dictionary becomes a reference, anything shorter a
// literal, and the stream ends with the end-of-stream reference. Among
// equally long matches the one written earliest wins, which reproduces the
// spec's examples byte for byte. The result is read by Decompress and by
// MAPI's WrapCompressedRTFStream.
//
// The only error is ErrTooLarge, for input whose size (or whose compressed
// size) does not fit a 32-bit header field. rtf is not retained.
func Compress(rtf []byte) ([]byte, error) {
	// Worst case: every byte a literal, a control byte per eight tokens,
	// and the end-of-stream run.
	bound := uint64(len(rtf)) + uint64(len(rtf))/8 + 3
	if uint64(len(rtf)) > maxSize || bound+12 > maxSize {
		return nil, ErrTooLarge
	}
	// The dictionary is kept linear, as in inflate: the initial string
	// followed by the input, where a match may run on into the bytes it
	// is about to produce, exactly as a reader's copy does.
	lin := make([]byte, 0, len(initialDict)+len(rtf))
	lin = append(lin, initialDict...)
	lin = append(lin, rtf...)

	m := newMatcher(lin)
	for p := range len(initialDict) {
		m.insert(p)
	}

	out := make([]byte, headerSize, uint64(headerSize)+bound)
	cur := len(initialDict)
	for {
		ctrlAt := len(out)
		out = append(out, 0)
		for bit := range 8 {
			if cur == len(lin) {
				out[ctrlAt] |= 1 << bit
				out = binary.BigEndian.AppendUint16(out, uint16(cur%dictSize)<<4)
				putHeader(out, uint32(len(out)-4), uint32(len(rtf)), typeCompressed, CRC(out[headerSize:]))
				return out, nil
			}
			src, n := m.longest(cur)
			if n < 2 {
				out = append(out, lin[cur])
				m.insert(cur)
				cur++
				continue
			}
			out[ctrlAt] |= 1 << bit
			out = binary.BigEndian.AppendUint16(out, uint16(src%dictSize)<<4|uint16(n-2))
			for range n {
				m.insert(cur)
				cur++
			}
		}
	}
}

// Uncompressed returns rtf as a MELA (uncompressed) PR_RTF_COMPRESSED value:
// the header with CRC zero, as [MS-OXRTFCP] 2.1.3.1.1 requires, then rtf
// itself. It returns nil if rtf is too long for the header's 32-bit sizes
// (over 4 GiB).
func Uncompressed(rtf []byte) []byte {
	if uint64(len(rtf))+12 > maxSize {
		return nil
	}
	out := make([]byte, headerSize+len(rtf))
	putHeader(out, uint32(len(rtf)+12), uint32(len(rtf)), typeUncompressed, 0)
	copy(out[headerSize:], rtf)
	return out
}

// matcher finds longest matches in the linear dictionary with hash chains
// over 2-byte prefixes (the shortest useful match). Each chain runs from
// the oldest position still inside the 4095-byte window to the newest, so
// the first maximal (17-byte) match found is also the earliest, and the
// search can stop there; this keeps runs of one byte linear.
type matcher struct {
	lin   []byte
	first [1 << hashBits]int32 // oldest position in the window per hash, or -1
	last  [1 << hashBits]int32 // newest position per hash, or -1
	next  [dictSize]int32      // next newer position with the same hash, by position mod 4096, or -1
}

const hashBits = 13

func newMatcher(lin []byte) *matcher {
	m := &matcher{lin: lin}
	for i := range m.first {
		m.first[i] = -1
		m.last[i] = -1
	}
	return m
}

func (m *matcher) hash(p int) uint32 {
	v := uint32(m.lin[p])<<8 | uint32(m.lin[p+1])
	return (v * 2654435761) >> (32 - hashBits)
}

// insert records position p, which must be one past the last inserted.
// Position p-4095 leaves the window here, before position p+1 (whose
// searches may not reach it) and before p+1 reuses its next slot.
func (m *matcher) insert(p int) {
	if e := p - (dictSize - 1); e >= 0 && e+1 < len(m.lin) {
		h := m.hash(e)
		// Positions leave in order, so e is the oldest of its chain.
		m.first[h] = m.next[e%dictSize]
		if m.first[h] < 0 {
			m.last[h] = -1
		}
	}
	if p+1 >= len(m.lin) {
		return
	}
	h := m.hash(p)
	m.next[p%dictSize] = -1
	if m.last[h] < 0 {
		m.first[h] = int32(p)
	} else {
		m.next[m.last[h]%dictSize] = int32(p)
	}
	m.last[h] = int32(p)
}

// longest returns the start and length of the longest match for lin[cur:]
// among the positions at most 4095 before cur (the dictionary, minus the
// write offset, which would read as end-of-stream), preferring the earliest
// on ties. A length below 2 means no usable match. Every position before
// cur must have been inserted.
func (m *matcher) longest(cur int) (src, n int) {
	maxLen := min(maxRef, len(m.lin)-cur)
	if maxLen < 2 {
		return 0, 0
	}
	want := m.lin[cur : cur+maxLen]
	best, bestSrc := 1, 0
	for c := int(m.first[m.hash(cur)]); c >= 0; c = int(m.next[c%dictSize]) {
		// Only a longer match can win, and it must agree at the
		// position just past the best so far.
		if m.lin[c+best] != want[best] {
			continue
		}
		if l := matchLen(m.lin[c:c+maxLen], want); l > best {
			best, bestSrc = l, c
			if best == maxLen {
				break
			}
		}
	}
	if best < 2 {
		return 0, 0
	}
	return bestSrc, best
}

// matchLen returns the length of the common prefix of a and b, which have
// the same length.
func matchLen(a, b []byte) int {
	n := 0
	for ; len(a)-n >= 8; n += 8 {
		if x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:]); x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
	}
	for n < len(a) && a[n] == b[n] {
		n++
	}
	return n
}
