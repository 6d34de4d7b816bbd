package cfb

import (
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mapiemu/mapiemu/internal/wire"
)

// maxNameUnits is the longest name [MS-CFB] 2.6.1 allows, in UTF-16 code
// units, without the terminating NUL.
const maxNameUnits = 31

// checkName reports why name cannot name a storage or stream ([MS-CFB]
// 2.6.1), or nil.
func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty name", ErrName)
	}
	for _, r := range name {
		switch r {
		case '/', '\\', ':', '!', 0:
			return fmt.Errorf("%w: %q holds %q, which [MS-CFB] names may not", ErrName, name, r)
		}
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrName, name)
	}
	if n := wire.UTF16Len(name); n > maxNameUnits {
		return fmt.Errorf("%w: %q is %d UTF-16 code units, over the limit of %d", ErrName, name, n, maxNameUnits)
	}
	return nil
}

// upperUnit is the uppercase form of one UTF-16 code unit under [MS-CFB]
// 2.6.4's rule (Unicode simple case conversion, code unit by code unit;
// surrogates compare as they are).
func upperUnit(u uint16) uint16 {
	if utf16.IsSurrogate(rune(u)) {
		return u
	}
	up := unicode.ToUpper(rune(u))
	if up > 0xFFFF {
		return u
	}
	return uint16(up)
}

// compareNames orders two names, as UTF-16, by [MS-CFB] 2.6.4: a shorter
// name first, then by uppercased code units. It returns -1, 0 or +1; 0
// means the two names are the same name in a compound file.
func compareNames(a, b []uint16) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	for i := range a {
		x, y := upperUnit(a[i]), upperUnit(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// foldKey is a map key equal for two names exactly when compareNames says
// they are the same name.
func foldKey(u []uint16) string {
	k := make([]rune, len(u))
	for i, c := range u {
		k[i] = rune(upperUnit(c))
	}
	return string(k)
}
