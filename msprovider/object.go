package msprovider

import (
	"context"
	"slices"
	"sync/atomic"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// handle is what every object opened through a logon shares: the logon,
// the engine, whether it may write, and its own life. An object is
// invalid once released and once its store's logon has logged off.
type handle struct {
	s      *Store
	e      *engine
	write  atomic.Bool // SaveChanges without KEEP_OPEN_READWRITE clears it
	kind   string      // "folder", "message", "attachment", for messages
	closed atomic.Bool
	// up is the handle of the object this one is part of: an
	// attachment's message, an embedded message's attachment; nil for a
	// folder or a message of a folder.
	up *handle
	// submitted is set on a message instance whose SubmitMessage
	// succeeded: it and everything opened through it are dead but for
	// Close.
	submitted atomic.Bool
}

// init sets the handle of a new object of store s.
func (h *handle) init(s *Store, kind string, write bool) {
	h.s, h.e, h.kind = s, s.data.eng, kind
	h.write.Store(write)
}

// check returns ErrInvalidObject once the object is released or its
// logon has logged off.
func (h *handle) check(op string) error {
	if h.closed.Load() {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s %s: the %s has been released", h.kind, op, h.kind)
	}
	for u := h; u != nil; u = u.up {
		if u.submitted.Load() {
			return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s %s: the message has been submitted; only Close is left", h.kind, op)
		}
	}
	return h.s.checkLogon(h.kind + " " + op)
}

// checkWrite is check, and ErrNoAccess for an object opened read-only.
func (h *handle) checkWrite(op string) error {
	if err := h.check(op); err != nil {
		return err
	}
	if !h.write.Load() {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s %s: the %s was opened read-only", h.kind, op, h.kind)
	}
	return nil
}

// release marks the object released; a second release is
// ErrInvalidObject.
func (h *handle) release() error {
	if !h.closed.CompareAndSwap(false, true) {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s Close: the %s has been released already", h.kind, h.kind)
	}
	return nil
}

// IDsFromNames is IMAPIProp::GetIDsFromNames on the store's map, which
// every object of the store shares.
func (h *handle) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	if err := h.check("GetIDsFromNames"); err != nil {
		return nil, err
	}
	if create && (h.e.readOnly() || !h.s.write) {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "GetIDsFromNames: MAPI_CREATE through a read-only logon")
	}
	if err := h.e.begin(ctx); err != nil {
		return nil, err
	}
	defer h.e.mu.Unlock()
	return h.e.idsFromNames(ctx, names, create)
}

// NamesFromIDs is IMAPIProp::GetNamesFromIDs on the store's map.
func (h *handle) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	if err := h.check("GetNamesFromIDs"); err != nil {
		return nil, nil, err
	}
	if err := h.e.begin(ctx); err != nil {
		return nil, nil, err
	}
	defer h.e.mu.Unlock()
	return h.e.namesFromIDs(ids, set)
}

// pick answers GetProps(tags) from props, as IMAPIProp::GetProps does:
// nil tags give every property but PT_OBJECT ones; each tag gives the
// value with its ID when the types agree (PT_UNSPECIFIED takes the
// stored type; PT_STRING8 and PT_UNICODE ask for the same string), else
// ErrNotFound; a value past maxInline is ErrNotEnoughMemory. A non-nil
// empty tags is ErrInvalidParameter.
func pick(props []mapispi.PropValue, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if tags == nil {
		out := make([]mapispi.PropValue, 0, len(props))
		for _, v := range props {
			if v.Tag.Type() != mapispi.PtObject {
				out = append(out, inlineValue(v).Clone())
			}
		}
		return out, nil
	}
	if len(tags) == 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetProps: an empty tag list")
	}
	out := make([]mapispi.PropValue, len(tags))
	for i, t := range tags {
		if j := findID(props, t); j >= 0 {
			out[i] = pickOne(props[j], t)
		} else {
			out[i] = mapispi.ErrorValue(t, mapispi.ErrNotFound)
		}
	}
	return out, nil
}

// pickOne answers tag t with a copy of v, the value with t's ID, as pick
// does.
func pickOne(v mapispi.PropValue, t mapispi.PropTag) mapispi.PropValue {
	return pickFresh(v, t).Clone()
}

// pickFresh is pickOne for a value made for the call, which the caller
// may keep as it is.
func pickFresh(v mapispi.PropValue, t mapispi.PropTag) mapispi.PropValue {
	switch st, want := v.Tag.Type(), t.Type(); {
	case st == mapispi.PtError:
		return mapispi.PropValue{Tag: t.WithType(mapispi.PtError), Value: v.Value}
	case want == mapispi.PtUnspecified || want == st:
		return inlineValue(v)
	case isText(st) && isText(want):
		return inlineValue(mapispi.PropValue{Tag: t, Value: v.Value})
	case st.IsMultiValued() && isText(st&^mapispi.MVFlag) && isText(want&^mapispi.MVFlag) && want.IsMultiValued():
		return inlineValue(mapispi.PropValue{Tag: t, Value: v.Value})
	}
	return mapispi.ErrorValue(t, mapispi.ErrNotFound)
}

func isText(t mapispi.PropType) bool { return t == mapispi.PtString8 || t == mapispi.PtUnicode }

// tagsOf returns the tags of props.
func tagsOf(props []mapispi.PropValue) []mapispi.PropTag {
	tags := make([]mapispi.PropTag, len(props))
	for i, v := range props {
		tags[i] = v.Tag
	}
	return tags
}

// checkValues refuses what fails a whole SetProps call: no values, a
// PT_OBJECT value, a value whose Go type does not match its tag, and a
// multi-valued property with no values (ErrInvalidParameter). A type
// MAPI does not define is a problem of its own property (applySet).
func checkValues(op string, values []mapispi.PropValue) error {
	if len(values) == 0 {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: no values", op)
	}
	for _, v := range values {
		t := v.Tag.Type()
		switch {
		case t == mapispi.PtNull || t == mapispi.PtError:
		case t == mapispi.PtObject:
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: %v: PT_OBJECT properties are opened, not set", op, v.Tag)
		case !mapiutil.ValidPropTag(v.Tag) || t == mapispi.PtUnspecified:
			// An ErrInvalidType problem (applySet), not the call's error:
			// the IMAPIProp::SetProps page lists it among the problems.
		case v.Check() != nil:
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: %v holds %T, not a value of its type", op, v.Tag, v.Value)
		case t.IsMultiValued() && mvEmpty(v.Value):
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: %v: a multi-valued property with no values", op, v.Tag)
		}
	}
	return nil
}

// mvEmpty reports whether a multi-valued value has no elements.
func mvEmpty(v any) bool {
	switch x := v.(type) {
	case []int16:
		return len(x) == 0
	case []int32:
		return len(x) == 0
	case []int64:
		return len(x) == 0
	case []float32:
		return len(x) == 0
	case []float64:
		return len(x) == 0
	case []string:
		return len(x) == 0
	case [][]byte:
		return len(x) == 0
	case []mapispi.UID:
		return len(x) == 0
	}
	return false
}

// applySet returns props with values set, and the problems: a computed
// property is ErrComputed and keeps its value; PR_NULL and PT_ERROR
// values change nothing. props is not changed; when nothing is set, it
// is what applySet returns (an object knows its unsaved changes by new
// slices: see Message.modified).
func applySet(props []mapispi.PropValue, values []mapispi.PropValue, computed map[uint16]bool) ([]mapispi.PropValue, []mapispi.PropProblem) {
	out := props
	var probs []mapispi.PropProblem
	for i, v := range values {
		switch t := v.Tag.Type(); {
		case t == mapispi.PtNull || t == mapispi.PtError:
		case !mapiutil.ValidPropTag(v.Tag) || t == mapispi.PtUnspecified:
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrInvalidType})
		case computed[v.Tag.ID()]:
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrComputed})
		default:
			if sameSlice(out, props) {
				out = slices.Clone(props)
			}
			out = setProp(out, v.Clone())
		}
	}
	return out, probs
}

// checkTags refuses what fails a whole DeleteProps call.
func checkTags(op string, tags []mapispi.PropTag) error {
	if len(tags) == 0 {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: no tags", op)
	}
	return nil
}

// applyDelete returns props without the properties tags names (by ID),
// and the problems: a computed property is ErrComputed and stays; one
// the object lacks is skipped. props is not changed; when nothing is
// deleted, it is what applyDelete returns (see applySet).
func applyDelete(props []mapispi.PropValue, tags []mapispi.PropTag, computed map[uint16]bool) ([]mapispi.PropValue, []mapispi.PropProblem) {
	out := props
	var probs []mapispi.PropProblem
	for i, t := range tags {
		if computed[t.ID()] {
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: t, Code: mapispi.ErrComputed})
			continue
		}
		if j := findID(out, t); j >= 0 {
			if sameSlice(out, props) {
				out = slices.Clone(props)
			}
			out = slices.Delete(out, j, j+1)
		}
	}
	return out, probs
}
