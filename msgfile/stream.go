package msgfile

import (
	"context"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/propstream"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// streamOwner is what a stream on a property of a message or attachment
// instance commits to: the instance's property object, the property, and
// the code page of the instance's 8-bit strings.
type streamOwner struct {
	props *mapiutil.PropData
	tag   mapispi.PropTag
	cp    codepage.ID
}

// Check lets every call through: the stream holds the instance's
// property object, as a COM stream holds a reference on the object that
// opened it, so the instance's Close does not end it.
func (o *streamOwner) Check(string) error { return nil }

// Grow lets the stream grow: a .msg instance has no memory budget, and
// propstream.MaxSize bounds each stream.
func (o *streamOwner) Grow(string, int) error { return nil }

// Commit sets the property to the value the stream's bytes hold (text in
// the instance's code page for PT_STRING8, UTF-16LE for PT_UNICODE).
func (o *streamOwner) Commit(ctx context.Context, b []byte) error {
	v, err := propstream.Value("msgfile", o.tag, b, o.cp.Decode)
	if err != nil {
		return err
	}
	_, err = o.props.SetProps(ctx, []mapispi.PropValue{v})
	return err
}

// openStream is IMAPIProp::OpenProperty(tag, IID_IStream) on the
// instance whose properties are props and whose 8-bit strings are in
// code page cp: a stream on a PT_BINARY, PT_STRING8 or PT_UNICODE
// property, holding it in the type tag asks for (the two string types
// convert as GetProps converts them). MAPI_CREATE, with MAPI_MODIFY,
// starts it empty; without MAPI_CREATE a property the instance lacks, or
// holds as another type, is ErrNotFound.
func openStream(ctx context.Context, props *mapiutil.PropData, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags, cp codepage.ID) (*propstream.Stream, error) {
	const op = "OpenProperty"
	switch {
	case tag.Type() == mapispi.PtUnspecified:
		return nil, errf(mapispi.ErrInvalidParameter, op, "%v: a stream needs the property's type", tag)
	case iface != mapispi.IIDStream:
		return nil, errf(mapispi.ErrInterfaceNotSupported, op, "%v offers only IID_IStream", tag)
	case tag.Type() != mapispi.PtBinary && tag.Type() != mapispi.PtUnicode && tag.Type() != mapispi.PtString8:
		return nil, errf(mapispi.ErrInterfaceNotSupported, op, "%v: only binary and string properties open as streams", tag)
	}
	o := &streamOwner{props: props, tag: tag, cp: cp}
	c := propstream.Config{Component: "msgfile", Write: flags&mapispi.OpenModify != 0, Create: flags&mapispi.OpenCreate != 0}
	if c.Create {
		if !c.Write {
			return nil, errf(mapispi.ErrInvalidParameter, op, "MAPI_CREATE without MAPI_MODIFY")
		}
		return propstream.New(o, nil, c), nil
	}
	vals, err := props.GetProps(ctx, []mapispi.PropTag{tag})
	if err != nil {
		return nil, err
	}
	v := vals[0]
	if v.Tag.Type() == mapispi.PtError {
		return nil, errf(mapispi.ErrNotFound, op, "the object has no %v (MAPI_CREATE makes it)", tag)
	}
	if b, ok := v.Value.([]byte); ok {
		return propstream.New(o, b, c), nil // GetProps's copy, the stream's own
	}
	b, err := propstream.Bytes("msgfile", v, cp.Encode)
	if err != nil {
		return nil, err
	}
	return propstream.New(o, b, c), nil
}
