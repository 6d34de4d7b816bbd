package mapiutil

import (
	"cmp"
	"encoding/binary"
	"math"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// ord is a coarse form of a row's place in its tree's order, held next
// to the row in the tree so that most comparisons read no row: rows
// whose ords differ are in the order of their ords, and rows whose ords
// are equal are ordered by the tree's comparison. A row's ord does not
// change while it is in a tree.
//
// In a view with a sort order, the ord is the first sort column's value
// in 512 bits: a number, or the first 64 bytes of a binary value or of a
// string's collation key (32 characters' primary weights, since subjects
// often share their first words); without one, it is the row's insertion
// number and MVI instance, which decide the order alone.
type ord [8]uint64

func cmpOrd(a, b *ord) int {
	for i := range a {
		if a[i] != b[i] {
			return cmp.Compare(a[i], b[i])
		}
	}
	return 0
}

// ordOf returns the ord of a row whose first sort column is k under s:
// it never contradicts compareKeys (values in one order have ords in the
// same order or equal), and rows that lack the column come after all
// others.
func ordOf(s mapispi.SortOrder, k *sortKey) ord {
	var r ord
	if !k.present {
		for i := range r {
			r[i] = math.MaxUint64
		}
		return r
	}
	// Only a column of one single-valued type holds values of one Go
	// type; other columns leave every ord equal and compare in full.
	if t := s.Tag.Type(); !t.IsMultiValued() && t&mapispi.MVInstance == 0 && t != mapispi.PtUnspecified {
		r = valueOrd(k)
	}
	if s.Order == mapispi.SortDescend {
		for i := range r {
			r[i] = ^r[i]
		}
	}
	// One bit to the right, which puts every value below a missing one.
	for i := len(r) - 1; i > 0; i-- {
		r[i] = r[i-1]<<63 | r[i]>>1
	}
	r[0] >>= 1
	return r
}

// valueOrd maps a single value to 512 bits in the order compareKeys
// gives values of its type: equal values map to equal bits, and a value
// that orders before another to bits that are not larger.
func valueOrd(k *sortKey) ord {
	const signBit = 1 << 63
	var b []byte
	switch x := k.v.Value.(type) {
	case string:
		b = k.coll // empty in code unit order
	case []byte:
		b = x
	case mapispi.UID:
		b = x[:]
	case int16:
		return ord{uint64(int64(x)) ^ signBit}
	case int32:
		return ord{uint64(int64(x)) ^ signBit}
	case int64:
		return ord{uint64(x) ^ signBit}
	case mapispi.SCode:
		return ord{uint64(int64(int32(x))) ^ signBit}
	case bool:
		return ord{uint64(b2i(x))}
	case float32:
		return floatOrd(float64(x))
	case float64:
		return floatOrd(x)
	case time.Time:
		// Seconds since year 1, which compareTime compares, with the
		// time package's own wrap-around for times billions of years off.
		const unixToYear1 = 62135596800
		return ord{uint64(x.Unix()+unixToYear1) ^ signBit, uint64(x.Nanosecond())}
	}
	var w [8 * len(ord{})]byte
	copy(w[:], b)
	var r ord
	for i := range r {
		r[i] = binary.BigEndian.Uint64(w[8*i:])
	}
	return r
}

// floatOrd orders NaNs first, then numbers, with -0 equal to +0.
func floatOrd(f float64) ord {
	switch {
	case math.IsNaN(f):
		return ord{}
	case f == 0:
		f = 0
	}
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ord{^b}
	}
	return ord{b | 1<<63}
}
