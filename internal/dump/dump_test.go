package dump

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

func TestValue(t *testing.T) {
	for _, c := range []struct {
		v    mapispi.PropValue
		want any
	}{
		{mapispi.PropValue{Tag: mapispi.PropSubject, Value: "s"}, "s"},
		{mapispi.PropValue{Tag: mapispi.PropEntryID, Value: []byte{0xAB, 0x01}}, "AB01"},
		{mapispi.PropValue{Tag: mapispi.PropMessageDeliveryTime, Value: time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))}, "2026-01-02T02:04:05.0000006Z"},
		{mapispi.PropValue{Tag: mapispi.NewPropTag(mapispi.PtDouble, 0x6000), Value: math.NaN()}, "NaN"},
		{mapispi.PropValue{Tag: mapispi.NewPropTag(mapispi.PtError, 0x6000), Value: mapispi.ErrNotFound}, "MAPI_E_NOT_FOUND"},
		{mapispi.PropValue{Tag: mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtBinary, 0x6000), Value: [][]byte{{1}, {2}}}, []any{"01", "02"}},
		{mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(9)}, int32(9)},
	} {
		if got := Value(c.v); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Value(%v) = %#v, want %#v", c.v.Tag, got, c.want)
		}
	}
}
