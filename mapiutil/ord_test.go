package mapiutil

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

var ordTypes = []mapispi.PropType{
	mapispi.PtUnicode, mapispi.PtString8, mapispi.PtBinary, mapispi.PtCLSID, mapispi.PtI2,
	mapispi.PtLong, mapispi.PtI8, mapispi.PtCurrency, mapispi.PtError, mapispi.PtBoolean,
	mapispi.PtR4, mapispi.PtDouble, mapispi.PtAppTime, mapispi.PtSysTime, mapispi.PtNull,
	mapispi.PtUnspecified, mapispi.MVFlag | mapispi.PtUnicode,
}

// ordValue makes a value of type t from fuzz bytes.
func ordValue(t mapispi.PropType, data []byte) any {
	var w [16]byte
	copy(w[:], data)
	u := binary.LittleEndian.Uint64(w[:])
	switch t {
	case mapispi.PtUnicode, mapispi.PtString8, mapispi.PtUnspecified:
		return string(data)
	case mapispi.PtBinary:
		return data
	case mapispi.PtCLSID:
		return mapispi.UID(w)
	case mapispi.PtI2:
		return int16(u)
	case mapispi.PtLong:
		return int32(u)
	case mapispi.PtI8, mapispi.PtCurrency:
		return int64(u)
	case mapispi.PtError:
		return mapispi.SCode(u)
	case mapispi.PtBoolean:
		return u&1 == 1
	case mapispi.PtR4:
		return math.Float32frombits(uint32(u))
	case mapispi.PtDouble, mapispi.PtAppTime:
		return math.Float64frombits(u)
	case mapispi.PtSysTime:
		t := time.Unix(int64(u), int64(binary.LittleEndian.Uint32(w[8:])%1e9))
		if w[12]&1 == 1 {
			t = t.In(time.FixedZone("x", 3600))
		}
		return t
	case mapispi.MVFlag | mapispi.PtUnicode:
		return []string{string(data)}
	}
	return nil
}

// FuzzOrd checks that ords never contradict compareKeys: a key that
// orders before another has an ord that is not larger, equal keys have
// equal ords, and compareKeys is antisymmetric. Strings are tried in
// English and in code unit order.
func FuzzOrd(f *testing.F) {
	f.Add(uint8(0), []byte("Re: meeting"), []byte("Re: meeting notes"), uint8(0))
	f.Add(uint8(0), []byte("a\xee\x80\x80"), []byte("a\xf0\x90\x80\x80"), uint8(1))
	f.Add(uint8(0), []byte("a\xc3\xa9"), []byte("a\xc3"), uint8(0))
	f.Add(uint8(0), []byte("apple"), []byte("Apple"), uint8(8))
	f.Add(uint8(10), []byte{0, 0, 0, 0, 0, 0, 0, 0x80}, []byte{0, 0, 0, 0, 0, 0, 0, 0}, uint8(0))
	f.Add(uint8(11), []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, []byte{1}, uint8(1))
	f.Add(uint8(13), []byte{1, 2, 3}, []byte{1, 2, 3, 0, 0, 0, 0, 0, 5}, uint8(2))
	f.Fuzz(func(t *testing.T, kind uint8, a, b []byte, flags uint8) {
		typ := ordTypes[int(kind)%len(ordTypes)]
		s := mapispi.SortOrder{Tag: mapispi.NewPropTag(typ, 0x8000), Order: mapispi.SortAscend}
		if flags&1 != 0 {
			s.Order = mapispi.SortDescend
		}
		coll := defaultCollation
		if flags&8 != 0 {
			coll = CodeUnitOrder()
		}
		var buf []byte
		ka := newSortKey(mapispi.PropValue{Tag: s.Tag, Value: ordValue(typ, a)}, flags&2 == 0, coll, &buf)
		kb := newSortKey(mapispi.PropValue{Tag: s.Tag, Value: ordValue(typ, b)}, flags&4 == 0, coll, &buf)
		c := compareKeys(&ka, &kb, s.Order, coll)
		if back := compareKeys(&kb, &ka, s.Order, coll); sign(back) != -sign(c) {
			t.Fatalf("compareKeys(%v, %v) = %d but reversed = %d", ka.v, kb.v, c, back)
		}
		oa, ob := ordOf(s, &ka), ordOf(s, &kb)
		o := cmpOrd(&oa, &ob)
		if (c < 0 && o > 0) || (c > 0 && o < 0) || (c == 0 && o != 0) {
			t.Fatalf("%v: compareKeys(%v, %v) = %d, but their ords compare %d", s, ka.v, kb.v, c, o)
		}
	})
}

func TestOrdMissingLast(t *testing.T) {
	for _, typ := range ordTypes {
		for _, dir := range []mapispi.SortDirection{mapispi.SortAscend, mapispi.SortDescend} {
			s := mapispi.SortOrder{Tag: mapispi.NewPropTag(typ, 0x8000), Order: dir}
			// The largest value of its type in that direction.
			max := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
			if dir == mapispi.SortDescend {
				max = nil
			}
			var buf []byte
			k := newSortKey(mapispi.PropValue{Tag: s.Tag, Value: ordValue(typ, max)}, true, defaultCollation, &buf)
			missing := sortKey{}
			ok, om := ordOf(s, &k), ordOf(s, &missing)
			if cmpOrd(&ok, &om) >= 0 {
				t.Errorf("%v: ord of %v is not below a missing value's", s, k.v)
			}
		}
	}
}
