package mapispi

import (
	"fmt"
	"strings"
)

// Relop is the Go form of a relational operator (the relop member of
// SPropertyRestriction, SComparePropsRestriction and SSizeRestriction).
type Relop uint32

// Relational operators, from MAPIDefS.h.
const (
	RelopLT Relop = 0 // RELOP_LT: less than
	RelopLE Relop = 1 // RELOP_LE: less than or equal
	RelopGT Relop = 2 // RELOP_GT: greater than
	RelopGE Relop = 3 // RELOP_GE: greater than or equal
	RelopEQ Relop = 4 // RELOP_EQ: equal
	RelopNE Relop = 5 // RELOP_NE: not equal
	RelopRE Relop = 6 // RELOP_RE: LIKE (regular expression)
)

var relopNames = [...]string{"RELOP_LT", "RELOP_LE", "RELOP_GT", "RELOP_GE", "RELOP_EQ", "RELOP_NE", "RELOP_RE"}

// String returns the C name, such as "RELOP_EQ", or "RELOP_0x%X" for a
// value MAPIDefS.h does not define.
func (r Relop) String() string {
	if uint64(r) < uint64(len(relopNames)) {
		return relopNames[r]
	}
	return fmt.Sprintf("RELOP_0x%X", uint32(r))
}

// Valid reports whether r is one of the seven defined operators.
func (r Relop) Valid() bool { return r <= RelopRE }

// FuzzyLevel is the Go form of SContentRestriction's ulFuzzyLevel: the
// low 16 bits hold exactly one of FuzzyFullString, FuzzySubstring and
// FuzzyPrefix; the high bits any of FuzzyIgnoreCase, FuzzyIgnoreNonSpace
// and FuzzyLoose.
type FuzzyLevel uint32

// Fuzzy levels, from MAPIDefS.h.
const (
	FuzzyFullString     FuzzyLevel = 0x00000 // FL_FULLSTRING: the whole value equals the search value
	FuzzySubstring      FuzzyLevel = 0x00001 // FL_SUBSTRING: the search value occurs anywhere
	FuzzyPrefix         FuzzyLevel = 0x00002 // FL_PREFIX: the value starts with the search value
	FuzzyIgnoreCase     FuzzyLevel = 0x10000 // FL_IGNORECASE
	FuzzyIgnoreNonSpace FuzzyLevel = 0x20000 // FL_IGNORENONSPACE: ignore non-spacing marks
	FuzzyLoose          FuzzyLevel = 0x40000 // FL_LOOSE: match whenever possible

	// FuzzyMatchMask selects the low word (FL_FULLSTRING, FL_SUBSTRING,
	// FL_PREFIX).
	FuzzyMatchMask FuzzyLevel = 0xFFFF
)

// Match returns the low word: FuzzyFullString, FuzzySubstring or
// FuzzyPrefix (or an undefined value).
func (f FuzzyLevel) Match() FuzzyLevel { return f & FuzzyMatchMask }

// String returns the C names joined by "|", such as
// "FL_SUBSTRING|FL_IGNORECASE"; FL_FULLSTRING is named only when no other
// bit of the low word is set, and undefined bits follow in hex.
func (f FuzzyLevel) String() string {
	var parts []string
	switch f.Match() {
	case FuzzyFullString:
		parts = append(parts, "FL_FULLSTRING")
	case FuzzySubstring:
		parts = append(parts, "FL_SUBSTRING")
	case FuzzyPrefix:
		parts = append(parts, "FL_PREFIX")
	default:
		parts = append(parts, fmt.Sprintf("0x%X", uint32(f.Match())))
	}
	high := f &^ FuzzyMatchMask
	for _, n := range []struct {
		bit  FuzzyLevel
		name string
	}{{FuzzyIgnoreCase, "FL_IGNORECASE"}, {FuzzyIgnoreNonSpace, "FL_IGNORENONSPACE"}, {FuzzyLoose, "FL_LOOSE"}} {
		if high&n.bit != 0 {
			parts = append(parts, n.name)
			high &^= n.bit
		}
	}
	if high != 0 {
		parts = append(parts, fmt.Sprintf("0x%X", uint32(high)))
	}
	return strings.Join(parts, "|")
}

// BitmaskRelop is the Go form of SBitMaskRestriction's relBMR.
type BitmaskRelop uint32

// Bitmask operators, from MAPIDefS.h.
const (
	BitmaskEQZ BitmaskRelop = 0 // BMR_EQZ: (value & mask) == 0
	BitmaskNEZ BitmaskRelop = 1 // BMR_NEZ: (value & mask) != 0
)

// String returns "BMR_EQZ", "BMR_NEZ" or "BMR_0x%X".
func (b BitmaskRelop) String() string {
	switch b {
	case BitmaskEQZ:
		return "BMR_EQZ"
	case BitmaskNEZ:
		return "BMR_NEZ"
	}
	return fmt.Sprintf("BMR_0x%X", uint32(b))
}
