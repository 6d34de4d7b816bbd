package msprovider

import (
	"context"
	"slices"

	"golang.org/x/text/encoding/charmap"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/internal/propstream"
	"github.com/mapiemu/mapiemu/mapispi"
)

// Stream is the Go form of the IStream this provider's OpenProperty
// gives on a PT_BINARY, PT_STRING8 or PT_UNICODE property: the value's
// bytes (UTF-16LE for PT_UNICODE, Windows-1252 for PT_STRING8, no
// terminator). What is written becomes the property's value in the
// object that opened the stream at Commit or Close, and in the store
// when that object (a message, or an attachment and its message) is
// saved. Growing it is charged to the object's Allocator buffer, and
// past 4 GB (a property's ULONG byte count) is ErrTooBig. A Stream is
// safe for concurrent use; after Close every method is ErrInvalidObject.
type Stream = propstream.Stream

var _ mapispi.Stream = (*Stream)(nil)

// streamObject is the object a stream writes to.
type streamObject interface {
	check(op string) error
	setStreamValue(ctx context.Context, v mapispi.PropValue) error
	chargeStream(op string, n int) error
}

// streamOwner is a stream's propstream.Owner: the object that opened it
// and the property.
type streamOwner struct {
	obj streamObject
	tag mapispi.PropTag
}

func (o streamOwner) Check(op string) error       { return o.obj.check(op) }
func (o streamOwner) Grow(op string, n int) error { return o.obj.chargeStream(op, n) }

// Commit sets the property to what the stream's bytes hold.
func (o streamOwner) Commit(ctx context.Context, b []byte) error {
	v, err := propstream.Value("msprovider", o.tag, b, codepage.Windows1252.Decode)
	if err != nil {
		return err
	}
	return o.obj.setStreamValue(ctx, v)
}

// encode1252 is PT_STRING8 text as this store's streams hold it:
// Windows-1252, '?' for a character it lacks.
func encode1252(s string) ([]byte, error) {
	if b, err := codepage.Windows1252.Encode(s); err == nil {
		return b, nil
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, c)
		} else {
			out = append(out, '?')
		}
	}
	return out, nil
}

func streamable(t mapispi.PropType) bool {
	return t == mapispi.PtBinary || t == mapispi.PtString8 || t == mapispi.PtUnicode
}

// openStream is OpenProperty(tag, IIDStream) on an object whose working
// properties are props (computed says which the store computes).
func openStream(obj streamObject, props []mapispi.PropValue, tag mapispi.PropTag, flags mapispi.OpenFlags, objWrite bool, computed map[uint16]bool) (*Stream, error) {
	if !streamable(tag.Type()) {
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: %v is not a string or binary property, which open as IStream", tag)
	}
	write := flags&(mapispi.OpenModify|mapispi.OpenCreate) != 0
	if flags&mapispi.OpenBestAccess != 0 {
		write = objWrite
	}
	if write && (!objWrite || computed[tag.ID()]) {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenProperty: %v cannot be written here", tag)
	}
	owner := streamOwner{obj: obj, tag: tag}
	c := propstream.Config{Component: "msprovider", Write: write, Create: flags&mapispi.OpenCreate != 0}
	if c.Create {
		return propstream.New(owner, nil, c), nil // the property exists, empty, once committed
	}
	i := findID(props, tag)
	if i < 0 || props[i].Tag.Type() == mapispi.PtError {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenProperty: the object has no %v (MAPI_CREATE makes it)", tag)
	}
	v := props[i]
	if v.Tag.Type() != tag.Type() && !(isText(v.Tag.Type()) && isText(tag.Type())) {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenProperty: the object's %v is a %v", tag, v.Tag.Type())
	}
	b, err := propstream.Bytes("msprovider", mapispi.PropValue{Tag: tag, Value: v.Value}, encode1252)
	if err != nil {
		return nil, err
	}
	return propstream.New(owner, b, c), nil
}

// setStreamValue is a stream's commit into the message instance.
func (m *Message) setStreamValue(ctx context.Context, v mapispi.PropValue) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.props = setProp(slices.Clone(m.props), v)
	return nil
}

func (m *Message) chargeStream(op string, n int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.charge(op, n)
}

// OpenProperty is IMAPIProp::OpenProperty on the message instance: a
// Stream on a string or binary property (MAPI_CREATE, with MAPI_MODIFY,
// makes or empties it), or with IIDMAPITable its recipient
// (PR_MESSAGE_RECIPIENTS) or attachment (PR_MESSAGE_ATTACHMENTS) table.
func (m *Message) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	if err := m.check("OpenProperty"); err != nil {
		return nil, err
	}
	if err := checkOpenProperty(tag, flags); err != nil {
		return nil, err
	}
	switch {
	case tag == mapispi.PropMessageRecipients && iface == mapispi.IIDMAPITable:
		return m.RecipientTable(ctx, 0)
	case tag == mapispi.PropMessageAttachments && iface == mapispi.IIDMAPITable:
		return m.AttachmentTable(ctx, 0)
	case iface != mapispi.IIDStream:
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: a message's %v does not open as %v", tag, iface)
	}
	m.mu.Lock()
	props := m.props
	write := m.write.Load()
	m.mu.Unlock()
	if flags&mapispi.OpenCreate != 0 && flags&mapispi.OpenModify == 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: MAPI_CREATE without MAPI_MODIFY")
	}
	return openStream(m, props, tag, flags, write, computedMessage)
}

// checkOpenProperty refuses what fails every OpenProperty call.
func checkOpenProperty(tag mapispi.PropTag, flags mapispi.OpenFlags) error {
	if tag.Type() == mapispi.PtUnspecified {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: %v has no type", tag)
	}
	return (flags &^ mapispi.OpenCreate).Check()
}

// setStreamValue is a stream's commit into the attachment instance.
func (a *Attachment) setStreamValue(ctx context.Context, v mapispi.PropValue) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.props = setProp(slices.Clone(a.props), v)
	return nil
}

func (a *Attachment) chargeStream(op string, n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mem == nil {
		return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the attachment has been released", op)
	}
	return a.s.charge(op, a.mem, n)
}

// OpenProperty is IMAPIProp::OpenProperty on the attachment instance: a
// Stream on PR_ATTACH_DATA_BIN or another string or binary property, or
// with IIDMessage the embedded message of PR_ATTACH_DATA_OBJ (MAPI_CREATE
// makes an empty one); its SaveChanges makes it part of the attachment.
func (a *Attachment) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	if err := a.check("OpenProperty"); err != nil {
		return nil, err
	}
	if err := checkOpenProperty(tag, flags); err != nil {
		return nil, err
	}
	if flags&mapispi.OpenCreate != 0 && flags&mapispi.OpenModify == 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "OpenProperty: MAPI_CREATE without MAPI_MODIFY")
	}
	if tag == mapispi.PropAttachDataObj {
		if iface != mapispi.IIDMessage {
			return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: PR_ATTACH_DATA_OBJ opens as IID_IMessage, not %v", iface)
		}
		return a.openEmbedded(ctx, flags)
	}
	if iface != mapispi.IIDStream {
		return nil, mapispi.Errorf(mapispi.ErrInterfaceNotSupported, "msprovider", "OpenProperty: an attachment's %v does not open as %v", tag, iface)
	}
	a.mu.Lock()
	props := a.props
	write := a.write.Load()
	a.mu.Unlock()
	return openStream(a, props, tag, flags, write, computedAttach)
}
