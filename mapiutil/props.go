package mapiutil

import (
	"bytes"
	"cmp"
	"time"

	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

// valueType is the type a value of tag holds: the tag's type, except that
// a multi-valued instance column (MVI_FLAG) holds one value of the base
// type.
func valueType(tag mapispi.PropTag) mapispi.PropType {
	t := tag.Type()
	if t&mapispi.MVInstance != 0 {
		return t &^ (mapispi.MVInstance | mapispi.MVFlag)
	}
	return t
}

// isString reports whether t is PT_STRING8 or PT_UNICODE (or their MV forms).
func isString(t mapispi.PropType) bool {
	b := t.Base()
	return b == mapispi.PtString8 || b == mapispi.PtUnicode
}

// sameType reports whether values of types a and b compare with each
// other: equal types, or the 8-bit and Unicode forms of a string type,
// which Go holds alike.
func sameType(a, b mapispi.PropType) bool {
	return a == b || (isString(a) && isString(b) && a.IsMultiValued() == b.IsMultiValued())
}

// CompareProps is LPropCompareProp: it returns -1, 0 or 1 as a is less
// than, equal to or greater than b.
//
// As in native MAPI:
//   - Values of different types order by their type number; a and b
//     should have one type (the 8-bit and Unicode string types count as
//     one here, since Go holds both as strings).
//   - PT_BOOLEAN has no order, only equality: false sorts before true so
//     that the result is consistent, as the reference page asks.
//   - PT_ERROR values compare as signed SCODEs (failures below S_OK).
//   - PT_BINARY compares bytewise, a prefix before the longer value;
//     PT_CLSID compares its 16 bytes bytewise.
//   - PT_NULL and PT_UNSPECIFIED values are all equal.
//   - PT_SYSTIME values compare their instants by the wall clock, never by
//     a monotonic clock reading a time.Time may carry.
//
// Strings order as native MAPI orders them in English, linguistically
// ("apple" < "Apple" < "Banana"): see the package documentation's "Text"
// section, and Collation for other languages and for code unit order.
// Floating-point NaNs sort before all other numbers and equal each other.
// Multi-valued values compare element by element, then by count. A value
// whose Go type does not match its tag sorts after every valid one. Only
// equal values compare equal.
func CompareProps(a, b mapispi.PropValue) int { return compareProps(a, b, defaultCollation) }

func compareProps(a, b mapispi.PropValue, coll *Collation) int {
	ta, tb := valueType(a.Tag), valueType(b.Tag)
	if !sameType(ta, tb) {
		return cmp.Compare(ta, tb)
	}
	c, ok := compareValues(a.Value, b.Value, coll)
	if !ok {
		return cmp.Compare(validRank(a), validRank(b))
	}
	return c
}

func validRank(v mapispi.PropValue) int {
	if validValue(v) {
		return 0
	}
	return 1
}

func sign(c int) int { return cmp.Compare(c, 0) }

// compareValues compares two Go values of one MAPI type, strings in
// coll's order; ok is false when their Go types differ or are not MAPI
// value types.
func compareValues(x, y any, coll *Collation) (c int, ok bool) {
	switch a := x.(type) {
	case string:
		b, ok := y.(string)
		if !ok {
			return 0, false
		}
		return coll.compareText(a, b), true
	case int32:
		b, ok := y.(int32)
		return cmp.Compare(a, b), ok
	case int16:
		b, ok := y.(int16)
		return cmp.Compare(a, b), ok
	case int64:
		b, ok := y.(int64)
		return cmp.Compare(a, b), ok
	case float32:
		b, ok := y.(float32)
		return cmp.Compare(a, b), ok
	case float64:
		b, ok := y.(float64)
		return cmp.Compare(a, b), ok
	case bool:
		b, ok := y.(bool)
		return cmp.Compare(b2i(a), b2i(b)), ok
	case mapispi.SCode:
		b, ok := y.(mapispi.SCode)
		return cmp.Compare(int32(a), int32(b)), ok
	case time.Time:
		b, ok := y.(time.Time)
		return compareTime(a, b), ok
	case mapispi.UID:
		b, ok := y.(mapispi.UID)
		return bytes.Compare(a[:], b[:]), ok
	case []byte:
		b, ok := y.([]byte)
		return bytes.Compare(a, b), ok
	case nil:
		return 0, y == nil
	case []string:
		b, ok := y.([]string)
		return compareSlices(a, b, coll.compareText), ok
	case []int16:
		b, ok := y.([]int16)
		return compareSlices(a, b, cmp.Compare[int16]), ok
	case []int32:
		b, ok := y.([]int32)
		return compareSlices(a, b, cmp.Compare[int32]), ok
	case []int64:
		b, ok := y.([]int64)
		return compareSlices(a, b, cmp.Compare[int64]), ok
	case []float32:
		b, ok := y.([]float32)
		return compareSlices(a, b, cmp.Compare[float32]), ok
	case []float64:
		b, ok := y.([]float64)
		return compareSlices(a, b, cmp.Compare[float64]), ok
	case []time.Time:
		b, ok := y.([]time.Time)
		return compareSlices(a, b, compareTime), ok
	case []mapispi.UID:
		b, ok := y.([]mapispi.UID)
		return compareSlices(a, b, func(p, q mapispi.UID) int { return bytes.Compare(p[:], q[:]) }), ok
	case [][]byte:
		b, ok := y.([][]byte)
		return compareSlices(a, b, bytes.Compare), ok
	}
	return 0, false
}

// compareTime orders two instants by their wall clock readings: a
// monotonic clock reading (which time.Time.Compare would prefer) is not
// part of a PT_SYSTIME value.
func compareTime(a, b time.Time) int { return a.Round(0).Compare(b.Round(0)) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func compareSlices[T any](a, b []T, f func(T, T) int) int {
	for i := range min(len(a), len(b)) {
		if c := f(a[i], b[i]); c != 0 {
			return sign(c)
		}
	}
	return cmp.Compare(len(a), len(b))
}

// CompareRelop is FPropCompareProp: whether a op b holds. As in native
// MAPI it is false when the types of a and b differ, for RelopRE (which
// FPropCompareProp does not evaluate) and for an undefined operator.
// PT_BOOLEAN values are only equal or not: two true values are equal, so
// true RelopLT true is false and true RelopGE true is true, as native
// MAPI answers. Strings compare as in CompareProps.
func CompareRelop(a mapispi.PropValue, op mapispi.Relop, b mapispi.PropValue) bool {
	return compareRelop(a, op, b, defaultCollation)
}

func compareRelop(a mapispi.PropValue, op mapispi.Relop, b mapispi.PropValue, coll *Collation) bool {
	if !sameType(valueType(a.Tag), valueType(b.Tag)) {
		return false
	}
	c, ok := compareValues(a.Value, b.Value, coll)
	if !ok {
		return false
	}
	return relopHolds(op, c)
}

func relopHolds(op mapispi.Relop, c int) bool {
	switch op {
	case mapispi.RelopLT:
		return c < 0
	case mapispi.RelopLE:
		return c <= 0
	case mapispi.RelopGT:
		return c > 0
	case mapispi.RelopGE:
		return c >= 0
	case mapispi.RelopEQ:
		return c == 0
	case mapispi.RelopNE:
		return c != 0
	}
	return false
}

// ContainsProp is FPropContainsProp: whether the search value b occurs in
// a as level says. FL_PREFIX compares the start of a with b, FL_SUBSTRING
// looks for b anywhere in a, and FL_FULLSTRING (or any other low word,
// as in native MAPI) compares the whole values; an empty b is a prefix
// and a substring of anything.
//
// As in native MAPI, only string and binary values take part: any other
// type, or a and b of different types, is false. Native MAPI handles
// PT_STRING8 and PT_BINARY; Go holds PT_UNICODE as a string too, so it
// takes part by the same rules. FL_IGNORECASE, FL_IGNORENONSPACE and
// FL_LOOSE (both of them) apply to strings only: a binary value with
// FL_IGNORECASE still compares bytewise, as native MAPI does. See the
// package documentation's "Text" section for the Unicode rules.
func ContainsProp(a, b mapispi.PropValue, level mapispi.FuzzyLevel) bool {
	ta, tb := valueType(a.Tag), valueType(b.Tag)
	if !sameType(ta, tb) || ta.IsMultiValued() {
		return false
	}
	return containsValue(a.Value, b.Value, level)
}

// containsValue applies level to two single values of one type.
func containsValue(x, y any, level mapispi.FuzzyLevel) bool {
	match := uint32(level.Match())
	switch a := x.(type) {
	case string:
		b, ok := y.(string)
		if !ok {
			return false
		}
		ignoreCase := level&(mapispi.FuzzyIgnoreCase|mapispi.FuzzyLoose) != 0
		ignoreNonSpace := level&(mapispi.FuzzyIgnoreNonSpace|mapispi.FuzzyLoose) != 0
		return containsText(a, b, match, ignoreCase, ignoreNonSpace)
	case []byte:
		b, ok := y.([]byte)
		if !ok {
			return false
		}
		switch match {
		case 2:
			return bytes.HasPrefix(a, b)
		case 1:
			return bytes.Contains(a, b)
		}
		return bytes.Equal(a, b)
	}
	return false
}

// FindProp is PpropFindProp: the first value in props with tag, and
// whether there is one. A tag of type PT_UNSPECIFIED matches its ID with
// any type. As in native MAPI, entries whose own tag is not valid (see
// ValidPropTag) are never found.
func FindProp(props []mapispi.PropValue, tag mapispi.PropTag) (mapispi.PropValue, bool) {
	for _, p := range props {
		if p.Tag == tag || (tag.Type() == mapispi.PtUnspecified && p.Tag.ID() == tag.ID()) {
			if ValidPropTag(p.Tag) {
				return p, true
			}
		}
	}
	return mapispi.PropValue{}, false
}

// baseTypeValid reports whether t (without MV_FLAG) is a type FBadPropTag
// accepts.
func baseTypeValid(t mapispi.PropType) bool {
	switch t &^ mapispi.MVFlag {
	case mapispi.PtUnspecified, mapispi.PtNull, mapispi.PtI2, mapispi.PtLong, mapispi.PtR4,
		mapispi.PtDouble, mapispi.PtCurrency, mapispi.PtAppTime, mapispi.PtError,
		mapispi.PtBoolean, mapispi.PtObject, mapispi.PtI8, mapispi.PtString8,
		mapispi.PtUnicode, mapispi.PtSysTime, mapispi.PtCLSID, mapispi.PtBinary:
		return true
	}
	return false
}

// ValidPropTag is FBadPropTag inverted: whether tag's type is one MAPI
// accepts. As in native MAPI, only the type is checked (any ID passes),
// MV_FLAG may accompany any accepted type (so PT_MV_ERROR, PT_MV_BOOLEAN
// and even PT_MV_NULL pass), while PT_SVREID and any type with the
// MV_INSTANCE bit fail.
func ValidPropTag(tag mapispi.PropTag) bool { return baseTypeValid(tag.Type()) }

// ValidColumns is FBadColumnSet inverted: whether tags can be a table's
// column set. It must hold at least one tag, each valid for ValidPropTag
// except that, as in native MAPI, PT_ERROR is refused while PT_MV_ERROR
// is accepted. Native MAPI also refuses MVI_FLAG columns here, although
// SetColumns takes them; ValidColumns does the same.
func ValidColumns(tags []mapispi.PropTag) bool {
	if len(tags) == 0 {
		return false
	}
	for _, t := range tags {
		if !ValidPropTag(t) || t.Type() == mapispi.PtError {
			return false
		}
	}
	return true
}

// PropSize is UlPropSize: the size in bytes of v's value as MAPI holds
// it. Fixed-size types give their C size (PT_BOOLEAN 2, PT_ERROR 4,
// PT_CLSID 16, ...); PT_STRING8 gives the string's length plus its
// terminating zero (Go's UTF-8 length, which is the 8-bit length for
// ASCII text); PT_UNICODE gives its UTF-16 length plus the terminator,
// in bytes; PT_BINARY its length; multi-valued types the sum over their
// values. As in native MAPI, PT_OBJECT, PT_NULL, PT_UNSPECIFIED,
// PT_SVREID, and PT_MV_CLSID (a native quirk: it answers 0 even for a
// filled array) give 0, as does a value whose Go type does not match its
// tag.
func PropSize(v mapispi.PropValue) int {
	t := valueType(v.Tag)
	if !validValue(v) {
		return 0
	}
	if t.IsMultiValued() {
		switch x := v.Value.(type) {
		case []int16:
			return 2 * len(x)
		case []int32:
			return 4 * len(x)
		case []float32:
			return 4 * len(x)
		case []float64, []int64, []time.Time:
			return 8 * lenOf(x)
		case []string:
			n := 0
			for _, s := range x {
				n += textSize(t.Base(), s)
			}
			return n
		case [][]byte:
			n := 0
			for _, b := range x {
				n += len(b)
			}
			return n
		}
		return 0
	}
	switch x := v.Value.(type) {
	case int16:
		return 2
	case int32, float32, mapispi.SCode:
		return 4
	case float64, int64, time.Time:
		return 8
	case bool:
		return 2
	case mapispi.UID:
		return 16
	case string:
		return textSize(t, x)
	case []byte:
		if t == mapispi.PtSvrEID {
			return 0
		}
		return len(x)
	}
	return 0
}

func lenOf(x any) int {
	switch s := x.(type) {
	case []float64:
		return len(s)
	case []int64:
		return len(s)
	case []time.Time:
		return len(s)
	}
	return 0
}

// textSize is PropSize of the string s of type t, t not multi-valued:
// its UTF-16 length in bytes for PT_UNICODE (as wire.AppendUTF16 encodes
// it), its Go length otherwise, plus the terminator. It allocates
// nothing.
func textSize(t mapispi.PropType, s string) int {
	if t == mapispi.PtUnicode {
		return 2 * (wire.UTF16Len(s) + 1)
	}
	return len(s) + 1
}

// validValue reports whether v.Value has the Go type v.Tag calls for,
// reading an MVI_FLAG column's tag as the single type it holds.
func validValue(v mapispi.PropValue) bool {
	return mapispi.PropValue{Tag: v.Tag.WithType(valueType(v.Tag)), Value: v.Value}.Check() == nil
}
