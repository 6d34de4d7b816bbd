package mapispi

import (
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
)

// UID is the Go form of MAPIUID: 16 opaque bytes that name a provider, a
// profile section or an object, compared bytewise (IsEqualMAPIUID).
//
// A MAPIUID is usually declared as a GUID "in Intel byte order", so its
// text form is the Windows registry form of the GUID whose in-memory bytes
// it holds: the bytes 38 A1 BB 10 05 E5 10 1A A1 BB 08 00 2B 2A 56 C2 print
// as {10BBA138-E505-1A10-A1BB-08002B2A56C2}. The first three fields are
// little-endian in memory, so String swaps them for display and ParseUID
// swaps them back; the bytes themselves are never reordered. A UID is a
// comparable value: use == to compare two.
type UID [16]byte

// NewUID returns a random UID (a version 4 GUID): the Go form of
// IMAPISupport::NewUID's result. Do not use one as a provider UID, which
// must be fixed in the provider's code.
func NewUID() UID { return UIDFromUUID(uuid.New()) }

// ParseUID parses a UID from its registry form
// ("{10BBA138-E505-1A10-A1BB-08002B2A56C2}", braces optional) or from its
// 32 hex digits in byte order ("38A1BB1005E5101AA1BB08002B2A56C2"). Hex
// digits may be upper or lower case. Anything else is ErrInvalidParameter.
func ParseUID(s string) (UID, error) {
	var u UID
	switch len(s) {
	case 32:
		if _, err := hex.Decode(u[:], []byte(s)); err != nil {
			return UID{}, uidError(s)
		}
		return u, nil
	case 38:
		if s[0] != '{' || s[37] != '}' {
			return UID{}, uidError(s)
		}
		s = s[1:37]
		fallthrough
	case 36:
		g, err := uuid.Parse(s)
		if err != nil {
			return UID{}, uidError(s)
		}
		return UIDFromUUID(g), nil
	}
	return UID{}, uidError(s)
}

func uidError(s string) error {
	return Errorf(ErrInvalidParameter, "mapispi", "ParseUID(%q): want {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} or 32 hex digits", s)
}

// MustParseUID is like ParseUID but panics if s does not parse. It is meant
// for package-level variables holding well-known UIDs.
func MustParseUID(s string) UID {
	u, err := ParseUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// UIDFromUUID returns the UID whose registry form is g's text form. A
// uuid.UUID holds RFC 4122 byte order, so the first three fields swap.
func UIDFromUUID(g uuid.UUID) UID {
	return UID{
		g[3], g[2], g[1], g[0],
		g[5], g[4],
		g[7], g[6],
		g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15],
	}
}

// UUID returns the uuid.UUID whose text form is u's registry form: the
// inverse of UIDFromUUID.
func (u UID) UUID() uuid.UUID {
	return uuid.UUID(UIDFromUUID(uuid.UUID(u))) // the swap is its own inverse
}

// String returns the registry form in upper case, with braces:
// "{10BBA138-E505-1A10-A1BB-08002B2A56C2}".
func (u UID) String() string {
	b, _ := u.AppendText(make([]byte, 0, 38))
	return string(b)
}

// Hex returns the 16 bytes in order as 32 upper-case hex digits:
// "38A1BB1005E5101AA1BB08002B2A56C2".
func (u UID) Hex() string { return fmt.Sprintf("%X", u[:]) }

// IsZero reports whether all 16 bytes are zero (a NULL MAPIUID).
func (u UID) IsZero() bool { return u == UID{} }

const hexUpper = "0123456789ABCDEF"

// AppendText appends the registry form, as String returns it, to b.
func (u UID) AppendText(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i, j := range [16]int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15} {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexUpper[u[j]>>4], hexUpper[u[j]&0xF])
	}
	return append(b, '}'), nil
}

// MarshalText returns the registry form, as String returns it.
func (u UID) MarshalText() ([]byte, error) { return u.AppendText(nil) }

// UnmarshalText parses any form ParseUID accepts.
func (u *UID) UnmarshalText(text []byte) error {
	v, err := ParseUID(string(text))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// AppendBinary appends the 16 bytes to b.
func (u UID) AppendBinary(b []byte) ([]byte, error) { return append(b, u[:]...), nil }

// MarshalBinary returns the 16 bytes.
func (u UID) MarshalBinary() ([]byte, error) { return u.AppendBinary(nil) }

// UnmarshalBinary sets u from exactly 16 bytes; any other length is
// ErrInvalidParameter.
func (u *UID) UnmarshalBinary(data []byte) error {
	if len(data) != len(u) {
		return Errorf(ErrInvalidParameter, "mapispi", "UID.UnmarshalBinary: %d bytes, want 16", len(data))
	}
	copy(u[:], data)
	return nil
}
