package msgfile

import (
	"math"
	"reflect"

	"github.com/mapiemu/mapiemu/mapispi"
)

// sameMsg reports whether two models are equal, floats compared by their
// bits so that a NaN equals itself.
func sameMsg(a, b *msgData) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.nextRecip != b.nextRecip || a.nextAttach != b.nextAttach ||
		len(a.recips) != len(b.recips) || len(a.attachs) != len(b.attachs) || !sameProps(a.props, b.props) {
		return false
	}
	for i := range a.recips {
		if !sameProps(a.recips[i], b.recips[i]) {
			return false
		}
	}
	for i, x := range a.attachs {
		y := b.attachs[i]
		if !sameProps(x.props, y.props) || !sameMsg(x.embedded, y.embedded) || !reflect.DeepEqual(x.storage, y.storage) {
			return false
		}
	}
	return true
}

func sameProps(a, b []mapispi.PropValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Tag != b[i].Tag || !reflect.DeepEqual(canonFloat(a[i].Value), canonFloat(b[i].Value)) {
			return false
		}
	}
	return true
}

// canonFloat replaces floats by their bits.
func canonFloat(v any) any {
	switch x := v.(type) {
	case float32:
		return math.Float32bits(x)
	case float64:
		return math.Float64bits(x)
	case []float32:
		out := make([]uint32, len(x))
		for i, f := range x {
			out[i] = math.Float32bits(f)
		}
		return out
	case []float64:
		out := make([]uint64, len(x))
		for i, f := range x {
			out[i] = math.Float64bits(f)
		}
		return out
	}
	return v
}

func sameNames(a, b *nameMap) bool {
	if len(a.names) == 0 && len(b.names) == 0 {
		return true
	}
	return reflect.DeepEqual(a.names, b.names)
}
