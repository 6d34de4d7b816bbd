package entryid

import (
	"fmt"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Generic is the Go form of the generic ENTRYID: abFlags, the provider's
// MAPIUID and the provider's own bytes, for layouts this package does not
// decode further.
type Generic struct {
	Flags    Flags
	Provider mapispi.UID
	Data     []byte // the provider-defined bytes after offset 20
}

// ParseGeneric decodes any entry ID of 20 bytes or more as a Generic,
// whatever its provider UID.
func ParseGeneric(b mapispi.EntryID) (Generic, error) {
	f, u, rest, err := Split(b)
	if err != nil {
		return Generic{}, err
	}
	return Generic{Flags: f, Provider: u, Data: clone(rest)}, nil
}

// Kind returns KindGeneric.
func (Generic) Kind() Kind { return KindGeneric }

// AppendBinary appends the flags, the UID and Data.
func (g Generic) AppendBinary(b []byte) ([]byte, error) {
	b = g.Flags.append(b)
	b = append(b, g.Provider[:]...)
	return append(b, g.Data...), nil
}

// MarshalBinary returns AppendBinary(nil).
func (g Generic) MarshalBinary() ([]byte, error) { return marshal(g) }

// UnmarshalBinary sets g from b like ParseGeneric; g keeps no reference to b.
func (g *Generic) UnmarshalBinary(b []byte) error { return unmarshal(g, b, ParseGeneric) }

// String returns the fields on one line, for logs and test failures.
func (g Generic) String() string {
	return fmt.Sprintf("Generic{Flags: %v, Provider: %s, Data: %X}", g.Flags, uidString(g.Provider), g.Data)
}

// clone copies b; nil and empty stay nil.
func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// unmarshal implements UnmarshalBinary: on failure *v is left unchanged.
func unmarshal[T any, B ~[]byte](v *T, b []byte, parse func(B) (T, error)) error {
	x, err := parse(B(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// codePageString is the CodePage part of a String method: empty for the
// default.
func codePageString(cp codepage.ID) string {
	if cp == 0 {
		return ""
	}
	return ", CodePage: " + cp.String()
}

// trailingString is the Trailing part of a String method: empty if there
// are no trailing bytes.
func trailingString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return fmt.Sprintf(", Trailing: %X", b)
}
