package mapi

import (
	"context"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// Object is what Session.OpenEntry and Store.OpenEntry return: a client
// handle on a MAPI object, with its type and its properties. The host's
// own types implement it, and only they: *Store for a store, *Prop for
// any other object. Use a type switch to reach the richer type; close the
// handle when done.
type Object interface {
	// ObjectType reports the object's MAPI type, as PR_OBJECT_TYPE does.
	ObjectType() mapispi.ObjectType
	GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error)
	GetPropList(ctx context.Context) ([]mapispi.PropTag, error)
	SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error)
	DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error)
	// Close releases the handle; the provider's object is released with
	// its last handle. A second Close is ErrInvalidObject.
	Close(ctx context.Context) error

	handle() *handle
}

var (
	_ Object = (*Store)(nil)
	_ Object = (*Prop)(nil)
)

// Prop is the Go form of IMAPIProp as a client holds it: a handle on an
// object the host has no richer type for (a status object, say), with its
// type and its properties. Its methods go through the host as Store's do.
type Prop struct {
	h   *handle
	obj mapispi.Object
	typ mapispi.ObjectType
	ifc string // the C interface, for the trace: "IMAPIStatus", "IMAPIProp"
}

// ObjectType reports the object's MAPI type, as the provider reported it
// when the object was opened.
func (p *Prop) ObjectType() mapispi.ObjectType { return p.typ }

// GetProps is IMAPIProp::GetProps (see mapispi.Properties).
func (p *Prop) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	return guard(p.h, p.ifc+"::GetProps", func() string { return fmt.Sprint(tags) }, func() ([]mapispi.PropValue, error) {
		return p.obj.GetProps(ctx, tags)
	})
}

// GetPropList is IMAPIProp::GetPropList.
func (p *Prop) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	return guard(p.h, p.ifc+"::GetPropList", nil, func() ([]mapispi.PropTag, error) { return p.obj.GetPropList(ctx) })
}

// SetProps is IMAPIProp::SetProps.
func (p *Prop) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	return guard(p.h, p.ifc+"::SetProps", func() string { return fmt.Sprintf("%d values", len(values)) }, func() ([]mapispi.PropProblem, error) {
		return p.obj.SetProps(ctx, values)
	})
}

// DeleteProps is IMAPIProp::DeleteProps.
func (p *Prop) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return guard(p.h, p.ifc+"::DeleteProps", func() string { return fmt.Sprint(tags) }, func() ([]mapispi.PropProblem, error) {
		return p.obj.DeleteProps(ctx, tags)
	})
}

// Close releases the handle (IUnknown::Release); the provider's object is
// released with its last handle. A second Close is ErrInvalidObject.
func (p *Prop) Close(ctx context.Context) error { return p.h.close(ctx, p.ifc+"::Release") }

func (p *Prop) handle() *handle { return p.h }

// interfaceOf names the C interface of an object type, for the trace.
func interfaceOf(t mapispi.ObjectType) string {
	switch t {
	case mapispi.ObjStatus:
		return "IMAPIStatus"
	case mapispi.ObjFolder:
		return "IMAPIFolder"
	case mapispi.ObjMessage:
		return "IMessage"
	case mapispi.ObjAttach:
		return "IAttach"
	case mapispi.ObjStore:
		return "IMsgStore"
	}
	return "IMAPIProp"
}

// wrapObject returns a client handle on obj, an object the provider
// opened through the logon with method. A nil object is ErrCallFailed:
// the provider broke its contract. The object's type is asked once, as
// every call into the provider is made: guarded.
func (l *logon) wrapObject(obj mapispi.Object, method string, skip int) (Object, error) {
	if obj == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned no object and no error", method)
	}
	typ, err := guardedCall(l.s, l.svc, method+" (lpulObjType)", nil, func() (mapispi.ObjectType, error) { return obj.ObjectType(), nil })
	if err != nil {
		return nil, err
	}
	ifc := interfaceOf(typ)
	h, err := l.child(obj, ifc, skip+1)
	if err != nil {
		return nil, err
	}
	return &Prop{h: h, obj: obj, typ: typ, ifc: ifc}, nil
}

// wrapTable returns a client handle on t, a table the provider opened
// through the logon with method.
func (l *logon) wrapTable(t mapispi.Table, method string, skip int) (*Table, error) {
	if t == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned no table and no error", method)
	}
	h, err := l.child(t, "IMAPITable", skip+1)
	if err != nil {
		return nil, err
	}
	return newTable(h, t), nil
}
