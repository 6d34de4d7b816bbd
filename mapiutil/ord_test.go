package mapiutil

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

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
// equal ords, and compareKeys is antisymmetric.
func FuzzOrd(f *testing.F) {
	f.Add(uint8(0), []byte("Re: meeting"), []byte("Re: meeting notes"), uint8(0))
	f.Add(uint8(0), []byte("a\xee\x80\x80"), []byte("a\xf0\x90\x80\x80"), uint8(1))
	f.Add(uint8(0), []byte("a\xc3\xa9"), []byte("a\xc3"), uint8(0))
	f.Add(uint8(10), []byte{0, 0, 0, 0, 0, 0, 0, 0x80}, []byte{0, 0, 0, 0, 0, 0, 0, 0}, uint8(0))
	f.Add(uint8(11), []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, []byte{1}, uint8(1))
	f.Add(uint8(13), []byte{1, 2, 3}, []byte{1, 2, 3, 0, 0, 0, 0, 0, 5}, uint8(2))
	f.Fuzz(func(t *testing.T, kind uint8, a, b []byte, flags uint8) {
		typ := ordTypes[int(kind)%len(ordTypes)]
		s := mapispi.SortOrder{Tag: mapispi.NewPropTag(typ, 0x8000), Order: mapispi.SortAscend}
		if flags&1 != 0 {
			s.Order = mapispi.SortDescend
		}
		ka := sortKey{v: mapispi.PropValue{Tag: s.Tag, Value: ordValue(typ, a)}, present: flags&2 == 0}
		kb := sortKey{v: mapispi.PropValue{Tag: s.Tag, Value: ordValue(typ, b)}, present: flags&4 == 0}
		c := compareKeys(&ka, &kb, s.Order)
		if back := compareKeys(&kb, &ka, s.Order); sign(back) != -sign(c) {
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
			k := sortKey{v: mapispi.PropValue{Tag: s.Tag, Value: ordValue(typ, max)}, present: true}
			missing := sortKey{}
			ok, om := ordOf(s, &k), ordOf(s, &missing)
			if cmpOrd(&ok, &om) >= 0 {
				t.Errorf("%v: ord of %v is not below a missing value's", s, k.v)
			}
		}
	}
}

// FuzzCompareText checks that compareText orders valid UTF-8 as UTF-16
// code units and is a total order on any bytes.
func FuzzCompareText(f *testing.F) {
	f.Add("a\ue000", "a\xb0", "a\U00010000")
	f.Add("a\xc3\xa9", "a\xc3A", "a\xc3")
	f.Add("Re: meeting #1", "Re: meeting #10", "re: meeting")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, ba := compareText(a, b), compareText(b, a)
		if ab != -ba || (ab == 0) != (a == b) {
			t.Fatalf("compareText(%q, %q) = %d, reversed %d", a, b, ab, ba)
		}
		if utf8.ValidString(a) && utf8.ValidString(b) {
			if want := slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))); ab != want {
				t.Fatalf("compareText(%q, %q) = %d, want %d (UTF-16 order)", a, b, ab, want)
			}
		}
		bc, ac := compareText(b, c), compareText(a, c)
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Fatalf("compareText: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}
