package mapiutil

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Access is the Go form of IPropData's access flags: an access level
// (AccessReadOnly or AccessReadWrite) and, for a property, a status
// (AccessClean or AccessDirty).
type Access uint32

// Access flags, from MAPIUtil.h.
const (
	AccessReadOnly  Access = 0x00001 // IPROP_READONLY: cannot be changed
	AccessReadWrite Access = 0x00002 // IPROP_READWRITE: can be changed
	AccessClean     Access = 0x10000 // IPROP_CLEAN: not changed since the status was set
	AccessDirty     Access = 0x20000 // IPROP_DIRTY: changed
)

// PropData is the Go form of CreateIProp's IPropData: a property object
// held in memory, with an access level for the object and an access level
// and status for each property. It implements mapispi.Properties and is
// safe for concurrent use.
//
// Values are copied in and out: changing a slice after SetProps, or one
// that GetProps returned, changes nothing stored. Properties are kept by
// ID: setting an ID with another type replaces the value, as native MAPI
// does.
type PropData struct {
	mu     sync.Mutex
	access Access
	props  []propEntry // in the order they were first set
}

type propEntry struct {
	v      mapispi.PropValue
	access Access
}

var _ mapispi.Properties = (*PropData)(nil)

// NewPropData is CreateIProp: an empty, read/write property object.
func NewPropData() *PropData { return &PropData{access: AccessReadWrite} }

func propErr(code mapispi.SCode, method, format string, args ...any) error {
	return mapispi.Errorf(code, "mapiutil", "PropData."+method+": "+format, args...)
}

// SetObjAccess is IPropData::HrSetObjAccess: a must be exactly
// AccessReadOnly or AccessReadWrite, else ErrInvalidParameter.
func (p *PropData) SetObjAccess(a Access) error {
	if a != AccessReadOnly && a != AccessReadWrite {
		return propErr(mapispi.ErrInvalidParameter, "SetObjAccess", "access 0x%X is neither IPROP_READONLY nor IPROP_READWRITE", uint32(a))
	}
	p.mu.Lock()
	p.access = a
	p.mu.Unlock()
	return nil
}

// ObjAccess reports the object's access level.
func (p *PropData) ObjAccess() Access {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.access
}

func validPropAccess(a Access) bool {
	switch a {
	case AccessReadOnly | AccessClean, AccessReadOnly | AccessDirty,
		AccessReadWrite | AccessClean, AccessReadWrite | AccessDirty:
		return true
	}
	return false
}

// SetPropAccess is IPropData::HrSetPropAccess: access[i] becomes the
// access of the property with the ID of tags[i], where the object has one
// (others are skipped). Each access needs exactly one of AccessReadOnly
// and AccessReadWrite and exactly one of AccessClean and AccessDirty, and
// the two slices must have one length, else ErrInvalidParameter and
// nothing changes.
//
// As native MAPI does (and unlike what its reference page says), this
// works on a read-only object: the object's level guards the values, not
// their flags.
func (p *PropData) SetPropAccess(tags []mapispi.PropTag, access []Access) error {
	if len(tags) != len(access) {
		return propErr(mapispi.ErrInvalidParameter, "SetPropAccess", "%d tags but %d access values", len(tags), len(access))
	}
	for i, a := range access {
		if !validPropAccess(a) {
			return propErr(mapispi.ErrInvalidParameter, "SetPropAccess", "access 0x%X for %v needs one level and one status", uint32(a), tags[i])
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, t := range tags {
		if j := p.index(t.ID()); j >= 0 {
			p.props[j].access = access[i]
		}
	}
	return nil
}

// PropAccess is IPropData::HrGetPropAccess: the tags and access of the
// properties with the IDs of tags that the object has, or of every
// property when tags is nil.
func (p *PropData) PropAccess(tags []mapispi.PropTag) ([]mapispi.PropTag, []Access) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var outTags []mapispi.PropTag
	var out []Access
	if tags == nil {
		for _, e := range p.props {
			outTags = append(outTags, e.v.Tag)
			out = append(out, e.access)
		}
		return outTags, out
	}
	for _, t := range tags {
		if j := p.index(t.ID()); j >= 0 {
			outTags = append(outTags, p.props[j].v.Tag)
			out = append(out, p.props[j].access)
		}
	}
	return outTags, out
}

func (p *PropData) index(id uint16) int {
	for i, e := range p.props {
		if e.v.Tag.ID() == id {
			return i
		}
	}
	return -1
}

// GetProps is IMAPIProp::GetProps. Values come back in the order of
// tags, each copied; tags nil means every property. A property the object
// lacks, or holds with a type that tag does not accept, comes back as
// ErrorValue(tag, ErrNotFound) and the error stays nil (native MAPI
// returns MAPI_W_ERRORS_RETURNED). A PT_UNSPECIFIED tag comes back with
// the stored type, and the 8-bit and Unicode forms of a string ask for
// the same value. A non-nil empty tags is ErrInvalidParameter, as a
// count of 0 is in MAPI.
func (p *PropData) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if tags != nil && len(tags) == 0 {
		return nil, propErr(mapispi.ErrInvalidParameter, "GetProps", "an empty tag list")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if tags == nil {
		if len(p.props) == 0 {
			return nil, nil
		}
		out := make([]mapispi.PropValue, len(p.props))
		for i, e := range p.props {
			out[i] = cloneProp(e.v)
		}
		return out, nil
	}
	out := make([]mapispi.PropValue, len(tags))
	for i, t := range tags {
		j := p.index(t.ID())
		if j < 0 {
			out[i] = mapispi.ErrorValue(t, mapispi.ErrNotFound)
			continue
		}
		v := p.props[j].v
		switch st, want := v.Tag.Type(), t.Type(); {
		case want == mapispi.PtUnspecified || want == st:
			out[i] = cloneProp(v)
		case sameType(st, want):
			out[i] = mapispi.PropValue{Tag: t, Value: cloneValue(v.Value)}
		default:
			out[i] = mapispi.ErrorValue(t, mapispi.ErrNotFound)
		}
	}
	return out, nil
}

// GetPropList is IMAPIProp::GetPropList: the tags of every property, in
// the order they were first set.
func (p *PropData) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tags := make([]mapispi.PropTag, len(p.props))
	for i, e := range p.props {
		tags[i] = e.v.Tag
	}
	return tags, nil
}

// SetProps is IMAPIProp::SetProps for IPropData. The whole call fails,
// changing nothing, with ErrInvalidParameter for an empty values, a
// PT_NULL or PT_OBJECT value (IPropData refuses both, unlike other
// objects, which ignore PR_NULL), a value whose Go type does not match
// its tag or a multi-valued value with no elements; and with ErrNoAccess
// when the object is read-only. A read-only property is a problem
// (ErrNoAccess) and keeps its value. PT_ERROR values are skipped, as the
// IMAPIProp::SetProps page says. A property set here becomes read/write
// and dirty.
func (p *PropData) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if len(values) == 0 {
		return nil, propErr(mapispi.ErrInvalidParameter, "SetProps", "no values")
	}
	for _, v := range values {
		switch t := v.Tag.Type(); {
		case t == mapispi.PtNull || t == mapispi.PtObject:
			return nil, propErr(mapispi.ErrInvalidParameter, "SetProps", "%v: IPropData holds no %v values", v.Tag, t)
		case t == mapispi.PtError:
			continue
		case v.Check() != nil:
			return nil, propErr(mapispi.ErrInvalidParameter, "SetProps", "%v holds %T, not a value of its type", v.Tag, v.Value)
		case t.IsMultiValued() && mvLen(v.Value) == 0:
			return nil, propErr(mapispi.ErrInvalidParameter, "SetProps", "%v: a multi-valued property with no values", v.Tag)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.access != AccessReadWrite {
		return nil, propErr(mapispi.ErrNoAccess, "SetProps", "the object is read-only")
	}
	var problems []mapispi.PropProblem
	for i, v := range values {
		if v.Tag.Type() == mapispi.PtError {
			continue
		}
		j := p.index(v.Tag.ID())
		if j < 0 {
			p.props = append(p.props, propEntry{v: cloneProp(v), access: AccessReadWrite | AccessDirty})
			continue
		}
		if p.props[j].access&AccessReadWrite == 0 {
			problems = append(problems, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrNoAccess})
			continue
		}
		p.props[j] = propEntry{v: cloneProp(v), access: AccessReadWrite | AccessDirty}
	}
	return problems, nil
}

// DeleteProps is IMAPIProp::DeleteProps for IPropData: properties go by
// ID (the type in tags does not matter). An empty tags, or a tag that is
// not valid (ValidPropTag) or is PT_OBJECT or PT_NULL, is
// ErrInvalidParameter. As in native MAPI, a read-only object is
// ErrNoAccess for the whole call, even when none of the properties
// exists; a read-only property is a problem (ErrNoAccess) and stays; a
// property the object lacks is skipped without a problem.
func (p *PropData) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if len(tags) == 0 {
		return nil, propErr(mapispi.ErrInvalidParameter, "DeleteProps", "no tags")
	}
	for _, t := range tags {
		if !ValidPropTag(t) || t.Type() == mapispi.PtObject || t.Type() == mapispi.PtNull {
			return nil, propErr(mapispi.ErrInvalidParameter, "DeleteProps", "%v is not a tag that can be deleted", t)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.access != AccessReadWrite {
		return nil, propErr(mapispi.ErrNoAccess, "DeleteProps", "the object is read-only")
	}
	var problems []mapispi.PropProblem
	for i, t := range tags {
		j := p.index(t.ID())
		switch {
		case j < 0:
		case p.props[j].access&AccessReadWrite == 0:
			problems = append(problems, mapispi.PropProblem{Index: i, Tag: t, Code: mapispi.ErrNoAccess})
		default:
			p.props = slices.Delete(p.props, j, j+1)
		}
	}
	return problems, nil
}

// CopyTo is IMAPIProp::CopyTo: every property except those whose IDs are
// in exclude is set on dst with one SetProps call, whose problems and
// error it returns (problem indexes count the values sent, in
// GetPropList order). Nothing is sent when nothing is left.
func (p *PropData) CopyTo(ctx context.Context, dst mapispi.Properties, exclude []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if dst == nil {
		return nil, propErr(mapispi.ErrInvalidParameter, "CopyTo", "no destination")
	}
	p.mu.Lock()
	var values []mapispi.PropValue
	for _, e := range p.props {
		if !slices.ContainsFunc(exclude, func(t mapispi.PropTag) bool { return t.ID() == e.v.Tag.ID() }) {
			values = append(values, cloneProp(e.v))
		}
	}
	p.mu.Unlock()
	if len(values) == 0 {
		return nil, nil
	}
	return dst.SetProps(ctx, values)
}

// CopyProps is IMAPIProp::CopyProps: the properties with the IDs of tags
// are set on dst with one SetProps call. A tag the object lacks is a
// problem (ErrNotFound) at its index in tags; dst's problems are mapped
// back to indexes in tags. An empty tags is ErrInvalidParameter.
func (p *PropData) CopyProps(ctx context.Context, dst mapispi.Properties, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if dst == nil || len(tags) == 0 {
		return nil, propErr(mapispi.ErrInvalidParameter, "CopyProps", "no destination or no tags")
	}
	var problems []mapispi.PropProblem
	var values []mapispi.PropValue
	var from []int
	p.mu.Lock()
	for i, t := range tags {
		j := p.index(t.ID())
		if j < 0 {
			problems = append(problems, mapispi.PropProblem{Index: i, Tag: t, Code: mapispi.ErrNotFound})
			continue
		}
		values = append(values, cloneProp(p.props[j].v))
		from = append(from, i)
	}
	p.mu.Unlock()
	if len(values) == 0 {
		return problems, nil
	}
	more, err := dst.SetProps(ctx, values)
	if err != nil {
		return nil, err
	}
	for _, pr := range more {
		if pr.Index >= 0 && pr.Index < len(from) {
			pr.Index = from[pr.Index]
		}
		problems = append(problems, pr)
	}
	slices.SortFunc(problems, func(a, b mapispi.PropProblem) int { return a.Index - b.Index })
	return problems, nil
}

func mvLen(v any) int {
	switch s := v.(type) {
	case []int16:
		return len(s)
	case []int32:
		return len(s)
	case []int64:
		return len(s)
	case []float32:
		return len(s)
	case []float64:
		return len(s)
	case []string:
		return len(s)
	case [][]byte:
		return len(s)
	case []mapispi.UID:
		return len(s)
	case []time.Time:
		return len(s)
	}
	return 0
}

func cloneProp(v mapispi.PropValue) mapispi.PropValue {
	return mapispi.PropValue{Tag: v.Tag, Value: cloneValue(v.Value)}
}

// cloneValue copies the memory of v that a caller could change: byte
// slices and the slices of multi-valued values.
func cloneValue(v any) any {
	switch s := v.(type) {
	case []byte:
		return slices.Clone(s)
	case []int16:
		return slices.Clone(s)
	case []int32:
		return slices.Clone(s)
	case []int64:
		return slices.Clone(s)
	case []float32:
		return slices.Clone(s)
	case []float64:
		return slices.Clone(s)
	case []string:
		return slices.Clone(s)
	case []mapispi.UID:
		return slices.Clone(s)
	case []time.Time:
		return slices.Clone(s)
	case [][]byte:
		out := make([][]byte, len(s))
		for i, b := range s {
			out[i] = slices.Clone(b)
		}
		return out
	}
	return v
}
