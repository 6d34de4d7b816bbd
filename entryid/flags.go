package entryid

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Flags is the Go form of an ENTRYID's abFlags[4], read as a little-endian
// uint32 so that abFlags[0] is the low byte. Long-term entry IDs, the only
// ones that may be stored, have all four bytes zero.
type Flags uint32

// The abFlags bits (mapidefs.h).
const (
	ShortTerm   Flags = 0x80   // MAPI_SHORTTERM: a short-term ID
	NotRecip    Flags = 0x40   // MAPI_NOTRECIP: cannot be used as a recipient
	ThisSession Flags = 0x20   // MAPI_THISSESSION: valid only in this session
	Now         Flags = 0x10   // MAPI_NOW: valid only now
	NotReserved Flags = 0x08   // MAPI_NOTRESERVED: other users cannot use it
	Compound    Flags = 0x8000 // MAPI_COMPOUND: abFlags[1] bit 0x80

	// EphemeralFlags is abFlags[0] = 0x87, the ID Type of an NSPI ephemeral
	// entry ID (MS-OXNSPI 2.2.9.2).
	EphemeralFlags Flags = 0x87
)

// flagsOf reads abFlags from the first four bytes of b (len(b) >= 4).
func flagsOf(b []byte) Flags { return Flags(binary.LittleEndian.Uint32(b)) }

func (f Flags) append(b []byte) []byte { return binary.LittleEndian.AppendUint32(b, uint32(f)) }

// LongTerm reports whether all four flag bytes are zero.
func (f Flags) LongTerm() bool { return f == 0 }

// Ephemeral reports whether abFlags[0] is 0x87, an NSPI ephemeral ID.
func (f Flags) Ephemeral() bool { return f&0xFF == EphemeralFlags }

var flagNames = []struct {
	f    Flags
	name string
}{
	{ShortTerm, "MAPI_SHORTTERM"},
	{NotRecip, "MAPI_NOTRECIP"},
	{ThisSession, "MAPI_THISSESSION"},
	{Now, "MAPI_NOW"},
	{NotReserved, "MAPI_NOTRESERVED"},
	{Compound, "MAPI_COMPOUND"},
}

// String names the set bits, "MAPI_SHORTTERM|MAPI_NOTRECIP", with any
// other bits in hex; zero prints "0".
func (f Flags) String() string {
	if f == 0 {
		return "0"
	}
	var parts []string
	rest := f
	if f.Ephemeral() {
		parts = append(parts, "EPHEMERAL(0x87)")
		rest &^= 0xFF
	}
	for _, n := range flagNames {
		if rest&n.f != 0 {
			parts = append(parts, n.name)
			rest &^= n.f
		}
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%08X", uint32(rest)))
	}
	return strings.Join(parts, "|")
}
