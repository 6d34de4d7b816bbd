package msgfile

import (
	"context"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Attachment is IAttach on a .msg file: an instance of one attachment of
// a message instance. Its changes reach the message instance at its
// SaveChanges, and the file at the message's. Its data is
// PR_ATTACH_DATA_BIN (OpenProperty gives a Stream on it) or, for
// ATTACH_EMBEDDED_MSG, a Message (OpenProperty of PR_ATTACH_DATA_OBJ with
// mapispi.IIDMessage). Safe for concurrent use; after Close every method
// returns ErrInvalidObject.
type Attachment struct {
	msg *Message // the message instance it saves into
	num int

	mu       sync.Mutex
	props    *mapiutil.PropData
	raw      []mapispi.PropValue // see Message.raw
	embedded *msgData
	storage  *tree
	write    bool
	closed   bool
}

var (
	_ mapispi.Attachment     = (*Attachment)(nil)
	_ mapispi.PropertyOpener = (*Attachment)(nil)
)

func newAttachment(m *Message, a *attachData, write bool) *Attachment {
	x := &Attachment{msg: m, num: a.num(), props: mapiutil.NewPropData(), embedded: a.embedded, storage: a.storage, write: write}
	visible, raw := splitRaw(a.props)
	x.raw = raw
	if len(visible) > 0 {
		_, _ = x.props.SetProps(context.Background(), visible)
	}
	return x
}

func (a *Attachment) check(op string) error {
	if a.closed {
		return errf(mapispi.ErrInvalidObject, op, "the attachment has been closed")
	}
	return nil
}

func (a *Attachment) checkWrite(op string) error {
	if err := a.check(op); err != nil {
		return err
	}
	if !a.write {
		return errf(mapispi.ErrNoAccess, op, "the attachment is open read-only")
	}
	return nil
}

// ObjectType is PR_OBJECT_TYPE: MAPI_ATTACH.
func (a *Attachment) ObjectType() mapispi.ObjectType { return mapispi.ObjAttach }

// Close is IUnknown::Release: unsaved changes go.
func (a *Attachment) Close(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.check("Release"); err != nil {
		return err
	}
	a.closed = true
	return nil
}

// GetProps is IMAPIProp::GetProps; PR_ATTACH_NUM is always there.
func (a *Attachment) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.check("GetProps"); err != nil {
		return nil, err
	}
	return a.props.GetProps(ctx, tags)
}

// GetPropList is IMAPIProp::GetPropList.
func (a *Attachment) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.check("GetPropList"); err != nil {
		return nil, err
	}
	return a.props.GetPropList(ctx)
}

// SetProps is IMAPIProp::SetProps; PR_ATTACH_NUM is computed (an
// ErrComputed problem), PT_OBJECT values are problems.
func (a *Attachment) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkWrite("SetProps"); err != nil {
		return nil, err
	}
	return setProps(ctx, a.props, values, func(t mapispi.PropTag) bool { return t.ID() == mapispi.PropAttachNum.ID() })
}

// DeleteProps is IMAPIProp::DeleteProps.
func (a *Attachment) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkWrite("DeleteProps"); err != nil {
		return nil, err
	}
	var computed []mapispi.PropProblem
	keep := slices.Clone(tags)
	for i, t := range tags {
		if t.ID() == mapispi.PropAttachNum.ID() {
			computed = append(computed, mapispi.PropProblem{Index: i, Tag: t, Code: mapispi.ErrComputed})
			keep[i] = mapispi.PropNull
		}
	}
	problems, err := a.props.DeleteProps(ctx, keep)
	if err != nil {
		return nil, err
	}
	problems = append(problems, computed...)
	slices.SortFunc(problems, func(x, y mapispi.PropProblem) int { return x.Index - y.Index })
	return problems, nil
}

// data returns a copy of the attachment instance's state.
func (a *Attachment) data() *attachData {
	props, _ := a.props.GetProps(context.Background(), nil)
	return &attachData{props: withRaw(props, a.raw), embedded: a.embedded, storage: a.storage}
}

// SaveChanges is IMAPIProp::SaveChanges: the attachment's changes become
// part of its message instance's, which the message's SaveChanges
// commits.
func (a *Attachment) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	if err := flags.Check(); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkWrite("SaveChanges"); err != nil {
		return err
	}
	if err := a.msg.putAttach(a.data()); err != nil {
		return err
	}
	if flags&mapispi.KeepOpenReadWrite == 0 {
		a.write = false
	}
	return nil
}

// setEmbedded takes an embedded message instance's saved state.
func (a *Attachment) setEmbedded(d *msgData) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkWrite("IMessage::SaveChanges"); err != nil {
		return err
	}
	a.embedded = d
	props, _ := a.props.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropAttachMethod})
	if props[0].Tag.Type() == mapispi.PtError {
		_, _ = a.props.SetProps(context.Background(), []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachEmbeddedMsg)}})
	}
	return nil
}

// OpenProperty is IMAPIProp::OpenProperty: a Stream on a binary or
// string property (PR_ATTACH_DATA_BIN above all), or with
// mapispi.IIDMessage and PR_ATTACH_DATA_OBJ the embedded message (made,
// empty, with OpenCreate|OpenModify; ErrNotFound without one).
func (a *Attachment) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.check("OpenProperty"); err != nil {
		return nil, err
	}
	if flags&mapispi.OpenModify != 0 && !a.write {
		return nil, errf(mapispi.ErrNoAccess, "OpenProperty", "the attachment is open read-only")
	}
	if iface == mapispi.IIDMessage {
		if tag.ID() != mapispi.PropAttachDataObj.ID() {
			return nil, errf(mapispi.ErrInterfaceNotSupported, "OpenProperty", "%v is not an embedded message", tag)
		}
		d := a.embedded
		switch {
		case flags&mapispi.OpenCreate != 0 && flags&mapispi.OpenModify != 0:
			d = &msgData{}
		case d == nil:
			return nil, errf(mapispi.ErrNotFound, "OpenProperty", "the attachment holds no embedded message")
		}
		return newMessage(a.msg.f, a, d, flags&mapispi.OpenModify != 0), nil
	}
	return openStream(ctx, a.props, tag, iface, flags, a.msg.codePage())
}

// num returns the attachment's PR_ATTACH_NUM.
func (a *attachData) num() int {
	v, _ := findProp(a.props, mapispi.PropAttachNum)
	n, _ := v.Value.(int32)
	return int(n)
}
