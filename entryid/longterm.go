package entryid

import (
	"github.com/mapiemu/mapiemu/mapispi"
	"strconv"
)

// ParseLongTermID decodes a LongTermID ([MS-OXCDATA] 2.2.1.3.1, 24 bytes)
// or a GID (2.2.1.3, the 22 bytes without the pad, as in PR_SOURCE_KEY of
// Exchange folders and messages, whose Pad is then 0). These are not
// entry IDs but the identity inside Exchange folder and message IDs. It
// does not allocate unless it fails.
func ParseLongTermID(b []byte) (LongTermID, error) {
	switch len(b) {
	case 24:
		return longTermIDAt(b), nil
	case 22:
		var buf [24]byte
		copy(buf[:], b)
		return longTermIDAt(buf[:]), nil
	}
	return LongTermID{}, parseErr(KindInvalid, min(len(b), 24),
		"a LongTermID is 24 bytes and a GID 22, not "+strconv.Itoa(len(b)))
}

// AppendBinary appends the 24-byte LongTermID. It fails, with
// MAPI_E_INVALID_PARAMETER, for a counter wider than 48 bits.
func (l LongTermID) AppendBinary(b []byte) ([]byte, error) {
	if l.Counter > MaxCounter {
		return b, mapispi.Errorf(mapispi.ErrInvalidParameter, "entryid", "LongTermID: global counter %#x is wider than 48 bits", l.Counter)
	}
	return l.append(b), nil
}

// MarshalBinary returns AppendBinary(nil).
func (l LongTermID) MarshalBinary() ([]byte, error) { return l.AppendBinary(nil) }

// UnmarshalBinary sets l from a 24-byte LongTermID or a 22-byte GID.
func (l *LongTermID) UnmarshalBinary(b []byte) error { return unmarshal(l, b, ParseLongTermID) }

// AppendGID appends the 22-byte GID (database GUID and global counter),
// the form of PR_SOURCE_KEY. It fails like AppendBinary.
func (l LongTermID) AppendGID(b []byte) ([]byte, error) {
	out, err := l.AppendBinary(b)
	if err != nil {
		return b, err
	}
	return out[:len(out)-2], nil
}
