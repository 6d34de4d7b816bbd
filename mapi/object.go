package mapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Object is what Session.OpenEntry and Store.OpenEntry return: a client
// handle on a MAPI object, with its type and its properties. The host's
// own types implement it, and only they: *Store, *Folder, *Message,
// *Attachment, and *Prop for any other object (a status object, say).
// Use a type switch to reach the richer type; close the handle when done.
type Object interface {
	// ObjectType reports the object's MAPI type, as PR_OBJECT_TYPE does.
	ObjectType() mapispi.ObjectType
	GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error)
	GetPropList(ctx context.Context) ([]mapispi.PropTag, error)
	SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error)
	DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error)
	// Supports reports whether the object has capability c: whether the
	// methods c names can do more than answer ErrNoSupport.
	Supports(c Capability) bool
	// Close releases the handle; the provider's object is released with
	// its last handle. A second Close is ErrInvalidObject.
	Close(ctx context.Context) error

	base() *object
}

var (
	_ Object = (*Store)(nil)
	_ Object = (*Folder)(nil)
	_ Object = (*Message)(nil)
	_ Object = (*Attachment)(nil)
	_ Object = (*Prop)(nil)
)

// object is what every client handle on a MAPI object has: the handle,
// the provider's object, its type, the C interface that names its methods
// in the trace, and the logon it was opened through. Its methods are the
// IMAPIProp methods every object has, and the optional ones (named
// properties, CopyTo and CopyProps, OpenProperty), each answering
// ErrNoSupport for an object without it.
type object struct {
	h   *handle
	l   *logon // nil for the session's own objects
	obj mapispi.Object
	typ mapispi.ObjectType
	ifc string // "IMsgStore", "IMAPIFolder", "IMessage", "IAttach", "IMAPIStatus", "IMAPIProp"
}

func (o *object) base() *object { return o }

// ObjectType reports the object's MAPI type, as the provider reported it
// when the object was opened.
func (o *object) ObjectType() mapispi.ObjectType { return o.typ }

// GetProps is IMAPIProp::GetProps (see mapispi.Properties).
func (o *object) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	return guard(o.h, o.ifc+"::GetProps", func() string { return fmt.Sprint(tags) }, func() ([]mapispi.PropValue, error) {
		return o.obj.GetProps(ctx, tags)
	})
}

// GetPropList is IMAPIProp::GetPropList.
func (o *object) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	return guard(o.h, o.ifc+"::GetPropList", nil, func() ([]mapispi.PropTag, error) { return o.obj.GetPropList(ctx) })
}

// SetProps is IMAPIProp::SetProps.
func (o *object) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	return guard(o.h, o.ifc+"::SetProps", func() string { return fmt.Sprintf("%d values", len(values)) }, func() ([]mapispi.PropProblem, error) {
		return o.obj.SetProps(ctx, values)
	})
}

// DeleteProps is IMAPIProp::DeleteProps.
func (o *object) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return guard(o.h, o.ifc+"::DeleteProps", func() string { return fmt.Sprint(tags) }, func() ([]mapispi.PropProblem, error) {
		return o.obj.DeleteProps(ctx, tags)
	})
}

// Supports reports whether the object has capability c.
func (o *object) Supports(c Capability) bool {
	switch c {
	case CapNamedProps:
		_, ok := o.obj.(mapispi.NamedProps)
		return ok
	case CapCopy:
		_, ok := o.obj.(mapispi.Copier)
		return ok
	case CapOpenProperty:
		_, ok := o.obj.(mapispi.PropertyOpener)
		return ok
	case CapSubmit:
		_, ok := o.obj.(mapispi.Submitter)
		return ok
	}
	return false
}

// IDsFromNames is IMAPIProp::GetIDsFromNames (see mapispi.NamedProps);
// ErrNoSupport for an object of a store without named properties.
func (o *object) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	method := o.ifc + "::GetIDsFromNames"
	n, ok := o.obj.(mapispi.NamedProps)
	if !ok {
		return nil, noSupport(o.h, method, "object")
	}
	return guard(o.h, method, func() string { return fmt.Sprintf("%d names create=%t", len(names), create) }, func() ([]uint16, error) {
		return n.IDsFromNames(ctx, names, create)
	})
}

// NamesFromIDs is IMAPIProp::GetNamesFromIDs (see mapispi.NamedProps);
// ErrNoSupport for an object of a store without named properties.
func (o *object) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) (names []mapispi.PropName, mapped []uint16, err error) {
	method := o.ifc + "::GetNamesFromIDs"
	n, ok := o.obj.(mapispi.NamedProps)
	if !ok {
		return nil, nil, noSupport(o.h, method, "object")
	}
	names, err = guard(o.h, method, nil, func() ([]mapispi.PropName, error) {
		var err error
		names, mapped, err = n.NamesFromIDs(ctx, ids, set)
		return names, err
	})
	return names, mapped, err
}

// CopyTo is IMAPIProp::CopyTo (see mapispi.Copier). Within one store
// the provider copies; a message copies into a message of another store
// too, the host reading it whole and writing it (mapiutil.ReadMessage
// and WriteMessage: properties but those exclude names, recipients and
// attachments unless exclude names PR_MESSAGE_RECIPIENTS or
// PR_MESSAGE_ATTACHMENTS, named properties mapped by name; with
// CopyNoReplace the properties dest has stay). Other objects of another
// store, and an object that cannot copy itself, are ErrNoSupport.
func (o *object) CopyTo(ctx context.Context, exclude []mapispi.PropTag, dest Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	if m, ok := o.crossStore(dest); ok {
		return nil, o.copyMessage(ctx, m, exclude, flags)
	}
	return o.copy("CopyTo", dest, func(c mapispi.Copier, d mapispi.Object) ([]mapispi.PropProblem, error) {
		return c.CopyTo(ctx, exclude, d, flags)
	})
}

// crossStore returns dest as a message of another store when o is a
// message and dest one of another store's (or of no store's).
func (o *object) crossStore(dest Object) (*Message, bool) {
	m, ok := dest.(*Message)
	if !ok || m == nil || o.typ != mapispi.ObjMessage || m.l == o.l {
		return nil, false
	}
	_, isMsg := o.obj.(mapispi.Message)
	return m, isMsg
}

// copyMessage is CopyTo from the message o into dest, a message of
// another store: both sides' calls go through their handles.
func (o *object) copyMessage(ctx context.Context, dest *Message, exclude []mapispi.PropTag, flags mapispi.CopyFlags) error {
	const method = "IMessage::CopyTo"
	if err := flags.Check(); err != nil {
		return err
	}
	if flags&mapispi.CopyMove != 0 {
		return mapispi.Errorf(mapispi.ErrNoSupport, method, "MAPI_MOVE between stores: copy, then delete the source")
	}
	if err := o.h.check(method); err != nil {
		return err
	}
	if err := dest.h.check(method); err != nil {
		return err
	}
	src := o.obj.(mapispi.Message)
	c, err := mapiutil.ReadMessage(ctx, src, &mapiutil.CopyOptions{Call: o.call})
	if err != nil {
		return err
	}
	if slices.ContainsFunc(exclude, func(t mapispi.PropTag) bool { return t.ID() == mapispi.PropMessageRecipients.ID() }) {
		c.Recipients = nil
	}
	if slices.ContainsFunc(exclude, func(t mapispi.PropTag) bool { return t.ID() == mapispi.PropMessageAttachments.ID() }) {
		c.Attachments = nil
	}
	var keep []mapispi.PropTag
	if flags&mapispi.CopyNoReplace != 0 {
		if keep, err = dest.GetPropList(ctx); err != nil {
			return err
		}
	}
	// exclude and MAPI_NOREPLACE name the message's own properties, not
	// its recipients' or attachments'.
	c.Props = slices.DeleteFunc(c.Props, func(p mapispi.PropValue) bool {
		same := func(x mapispi.PropTag) bool { return x.ID() == p.Tag.ID() }
		return slices.ContainsFunc(exclude, same) || slices.ContainsFunc(keep, same)
	})
	return mapiutil.WriteMessage(ctx, dest.m, c, &mapiutil.CopyOptions{Call: dest.call})
}

// CopyProps is IMAPIProp::CopyProps (see mapispi.Copier): dest must be an
// object of the same store. ErrNoSupport for an object that cannot copy
// itself.
func (o *object) CopyProps(ctx context.Context, tags []mapispi.PropTag, dest Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return o.copy("CopyProps", dest, func(c mapispi.Copier, d mapispi.Object) ([]mapispi.PropProblem, error) {
		return c.CopyProps(ctx, tags, d, flags)
	})
}

// copy runs call, a Copier method of the object, guarded, with the
// provider's object behind dest.
func (o *object) copy(name string, dest Object, call func(c mapispi.Copier, d mapispi.Object) ([]mapispi.PropProblem, error)) ([]mapispi.PropProblem, error) {
	method := o.ifc + "::" + name
	c, ok := o.obj.(mapispi.Copier)
	if !ok {
		return nil, noSupport(o.h, method, "object")
	}
	d, err := o.sameStore(method, dest)
	if err != nil {
		return nil, err
	}
	return guard(o.h, method, nil, func() ([]mapispi.PropProblem, error) { return call(c, d) })
}

// call makes a call into the object's provider objects (the
// attachments, tables and streams mapiutil's copies open), guarded as the
// handle's own calls are.
func (o *object) call(method string, f func() error) error {
	_, err := guard(o.h, method, nil, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

// sameStore returns the provider's object behind dest, which must be a
// live handle on an object of o's store: providers copy between their
// own objects (a message into another store's is the host's copy, see
// CopyTo).
func (o *object) sameStore(method string, dest Object) (mapispi.Object, error) {
	if dest == nil {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, method, "nil destination")
	}
	d := dest.base()
	if err := d.h.check(method); err != nil {
		return nil, err
	}
	if d.l == nil || o.l == nil || d.l != o.l {
		return nil, mapispi.Errorf(mapispi.ErrNoSupport, method, "the destination is not an object of the same store: only messages copy between stores (CopyTo)")
	}
	return d.obj, nil
}

// OpenProperty is IMAPIProp::OpenProperty (see mapispi.PropertyOpener):
// a handle on the property as an object, which iface names: a *Stream
// (mapispi.IIDStream), a *Table (mapispi.IIDMAPITable) or an embedded
// *Message (mapispi.IIDMessage). Close it when done. ErrNoSupport for an
// object that cannot open properties.
func (o *object) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	method := o.ifc + "::OpenProperty"
	op, ok := o.obj.(mapispi.PropertyOpener)
	if !ok {
		return nil, noSupport(o.h, method, "object")
	}
	v, err := guard(o.h, method, func() string { return fmt.Sprintf("%v %v %v", tag, iface, flags) }, func() (any, error) {
		return op.OpenProperty(ctx, tag, iface, flags)
	})
	if err != nil {
		return nil, err
	}
	return o.l.wrapProperty(v, method, 1)
}

// OpenStream is OpenProperty for a stream on tag, a binary or string
// property: the common case, with the result's type.
func (o *object) OpenStream(ctx context.Context, tag mapispi.PropTag, flags mapispi.OpenFlags) (*Stream, error) {
	v, err := o.OpenProperty(ctx, tag, mapispi.IIDStream, flags)
	if err != nil {
		return nil, err
	}
	st, ok := v.(*Stream)
	if !ok {
		closeAny(ctx, v)
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, o.ifc+"::OpenProperty", "asked for IID_IStream, the provider gave a %T", v)
	}
	return st, nil
}

// Close releases the handle (IUnknown::Release); the provider's object is
// released with its last handle. A second Close is ErrInvalidObject.
func (o *object) Close(ctx context.Context) error { return o.h.close(ctx, o.ifc+"::Release") }

// closeAny closes a handle OpenProperty returned.
func closeAny(ctx context.Context, v any) {
	switch x := v.(type) {
	case interface{ Close(context.Context) error }:
		_ = x.Close(ctx)
	case interface{ Close() error }:
		_ = x.Close()
	}
}

// Prop is the Go form of IMAPIProp as a client holds it: a handle on an
// object the host has no richer type for (a status object, say), with its
// type and its properties. Its methods go through the host as Store's do.
type Prop struct{ object }

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
// opened through the logon with method: a *Folder, *Message or
// *Attachment when its type says so and it implements the interface, a
// *Prop otherwise. A nil object is ErrCallFailed: the provider broke its
// contract. The object's type is asked once, as every call into the
// provider is made: guarded.
func (l *logon) wrapObject(obj mapispi.Object, method string, skip int) (Object, error) {
	if obj == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned no object and no error", method)
	}
	typ, err := logonCall(l, method+" (lpulObjType)", nil, func() (mapispi.ObjectType, error) { return obj.ObjectType(), nil })
	if err != nil {
		return nil, err
	}
	ifc := interfaceOf(typ)
	h, err := l.child(obj, ifc, skip+1)
	if err != nil {
		return nil, err
	}
	o := object{h: h, l: l, obj: obj, typ: typ, ifc: ifc}
	switch x := obj.(type) {
	case mapispi.Folder:
		if typ == mapispi.ObjFolder {
			return &Folder{object: o, f: x}, nil
		}
	case mapispi.Message:
		if typ == mapispi.ObjMessage {
			return &Message{object: o, m: x}, nil
		}
	case mapispi.Attachment:
		if typ == mapispi.ObjAttach {
			return &Attachment{object: o, a: x}, nil
		}
	}
	o.ifc = "IMAPIProp"
	if typ == mapispi.ObjStatus {
		o.ifc = "IMAPIStatus"
	}
	return &Prop{o}, nil
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

// wrapProperty returns a client handle on what OpenProperty gave: a
// stream, a table or an object.
func (l *logon) wrapProperty(v any, method string, skip int) (any, error) {
	switch x := v.(type) {
	case mapispi.Stream:
		h, err := l.child(x, "IStream", skip+1)
		if err != nil {
			return nil, err
		}
		return &Stream{h: h, s: x}, nil
	case mapispi.Table:
		return l.wrapTable(x, method, skip+1)
	case mapispi.Object:
		return l.wrapObject(x, method, skip+1)
	case nil:
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned nothing and no error", method)
	}
	return nil, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "%s returned a %T: neither a stream, a table nor an object", method, v)
}
