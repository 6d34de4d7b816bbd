package spitest

import (
	"reflect"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// cloneValues returns a deep copy of vals: no slice in it shares memory
// with vals.
func cloneValues(vals []mapispi.PropValue) []mapispi.PropValue {
	out := make([]mapispi.PropValue, len(vals))
	for i, v := range vals {
		out[i] = mapispi.PropValue{Tag: v.Tag, Value: cloneAny(v.Value)}
	}
	return out
}

// cloneAny deep-copies the slices in v (a property value).
func cloneAny(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Slice || rv.IsNil() {
		return v
	}
	out := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
	for i := range rv.Len() {
		e := rv.Index(i)
		if e.Kind() == reflect.Slice && !e.IsNil() {
			out.Index(i).Set(reflect.ValueOf(cloneAny(e.Interface())))
		} else {
			out.Index(i).Set(e)
		}
	}
	return out.Interface()
}

// scribbleValues changes everything a caller may change in vals: the
// bytes of every slice in the values, then the slice's elements.
func scribbleValues(vals []mapispi.PropValue) {
	for i := range vals {
		scribble(vals[i].Value)
		vals[i] = mapispi.PropValue{Tag: mapispi.PropNull}
	}
}

// scribble changes the contents of the slices in v: bytes are inverted,
// other elements zeroed, nested slices first.
func scribble(v any) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Slice {
		return
	}
	for i := range rv.Len() {
		e := rv.Index(i)
		switch e.Kind() {
		case reflect.Slice:
			scribble(e.Interface())
		case reflect.Uint8:
			e.SetUint(uint64(^uint8(e.Uint())))
			continue
		}
		e.Set(reflect.Zero(e.Type()))
	}
}

// stableTags returns the tags whose values are equal in two snapshots
// taken one after the other: the ones a later snapshot must repeat.
func stableTags(a, b []mapispi.PropValue) map[mapispi.PropTag]mapispi.PropValue {
	out := make(map[mapispi.PropTag]mapispi.PropValue)
	for _, v := range a {
		i := slices.IndexFunc(b, func(w mapispi.PropValue) bool { return w.Tag == v.Tag })
		if i >= 0 && reflect.DeepEqual(v.Value, b[i].Value) {
			out[v.Tag] = v
		}
	}
	return out
}

// changed returns the stable values that differ in later.
func changed(stable map[mapispi.PropTag]mapispi.PropValue, later []mapispi.PropValue) []mapispi.PropTag {
	var out []mapispi.PropTag
	for tag, v := range stable {
		i := slices.IndexFunc(later, func(w mapispi.PropValue) bool { return w.Tag == tag })
		if i < 0 || !reflect.DeepEqual(v.Value, later[i].Value) {
			out = append(out, tag)
		}
	}
	slices.Sort(out)
	return out
}
