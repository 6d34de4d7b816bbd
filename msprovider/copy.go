package msprovider

import (
	"context"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
)

// copyArgs checks what every CopyTo and CopyProps call checks: CopyProps
// needs a tag list (the IMAPIProp::CopyProps page: it cannot be NULL),
// and CopyTo's exclusions, when given, at least one tag.
func copyArgs(op string, tags []mapispi.PropTag, include bool, flags mapispi.CopyFlags, dest mapispi.Object) error {
	if err := flags.Check(); err != nil {
		return err
	}
	if include && tags == nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: no tag list", op)
	}
	if !include && tags != nil && len(tags) == 0 {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: an empty exclusion list (nil excludes nothing)", op)
	}
	if dest == nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: no destination", op)
	}
	return nil
}

// selected returns the properties of props that CopyTo (exclude) or
// CopyProps (include) takes, without PT_OBJECT ones and the ones the
// store computes.
func selected(props []mapispi.PropValue, tags []mapispi.PropTag, include bool, computed map[uint16]bool) []mapispi.PropValue {
	var out []mapispi.PropValue
	for _, v := range props {
		named := slices.ContainsFunc(tags, func(t mapispi.PropTag) bool { return t.ID() == v.Tag.ID() })
		if named != include || computed[v.Tag.ID()] || v.Tag.Type() == mapispi.PtObject || v.Tag.Type() == mapispi.PtError {
			continue
		}
		out = append(out, v.Clone())
	}
	return out
}

// without returns values without the value of tag's ID: the store keeps
// its own (a message's flags, an attachment's record key).
func without(values []mapispi.PropValue, tag mapispi.PropTag) []mapispi.PropValue {
	return slices.DeleteFunc(values, func(v mapispi.PropValue) bool { return v.Tag.ID() == tag.ID() })
}

// setOn sets values on dest, keeping what dest has with noReplace, and
// returns dest's problems with indexes into values.
func setOn(ctx context.Context, dest mapispi.Object, values []mapispi.PropValue, noReplace bool) ([]mapispi.PropProblem, error) {
	if noReplace && len(values) > 0 {
		have, err := dest.GetPropList(ctx)
		if err != nil {
			return nil, err
		}
		values = slices.DeleteFunc(values, func(v mapispi.PropValue) bool {
			return slices.ContainsFunc(have, func(t mapispi.PropTag) bool { return t.ID() == v.Tag.ID() })
		})
	}
	if len(values) == 0 {
		return nil, nil
	}
	return dest.SetProps(ctx, values)
}

// CopyTo is IMAPIProp::CopyTo on the message instance: every property
// but those of exclude (and the computed ones), its recipients unless
// exclude names PR_MESSAGE_RECIPIENTS (they replace dest's) and its
// saved attachments unless it names PR_MESSAGE_ATTACHMENTS (they are
// added to dest's), into dest, a message of any store. A copy onto the
// instance itself is ErrNoAccess, into a message embedded in it
// ErrFolderCycle. With CopyNoReplace dest keeps the properties it has;
// with CopyMove the copied properties go from this instance.
func (m *Message) CopyTo(ctx context.Context, exclude []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return m.copy(ctx, "CopyTo", exclude, false, dest, flags)
}

// CopyProps is IMAPIProp::CopyProps on the message instance: the
// properties tags names into dest, as CopyTo copies them; PR_MESSAGE_RECIPIENTS
// and PR_MESSAGE_ATTACHMENTS in tags copy the recipients and attachments.
func (m *Message) CopyProps(ctx context.Context, tags []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return m.copy(ctx, "CopyProps", tags, true, dest, flags)
}

func (m *Message) copy(ctx context.Context, op string, tags []mapispi.PropTag, include bool, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	if err := m.check(op); err != nil {
		return nil, err
	}
	if err := copyArgs(op, tags, include, flags, dest); err != nil {
		return nil, err
	}
	dm, ok := dest.(mapispi.Message)
	if !ok || dest.ObjectType() != mapispi.ObjMessage {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: the destination is not a message", op)
	}
	if d, ok := dest.(*Message); ok {
		if d == m {
			return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: a message cannot be copied onto itself", op)
		}
		for p := d.parent; p != nil; p = p.msg.parent {
			if p.msg == m {
				return nil, mapispi.Errorf(mapispi.ErrFolderCycle, "msprovider", "%s: the destination is embedded in the message", op)
			}
		}
	}
	if flags&mapispi.CopyMove != 0 && !m.write.Load() {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: MAPI_MOVE on a message opened read-only", op)
	}
	named := func(t mapispi.PropTag) bool { return slices.Contains(tags, t) }
	m.mu.Lock()
	values := without(selected(m.props, tags, include, computedMessage), mapispi.PropMessageFlags)
	var recips []mapispi.Row
	if named(mapispi.PropMessageRecipients) == include {
		recips = slices.Clip(m.recips)
		if recips == nil {
			recips = []mapispi.Row{}
		}
	}
	var atts []AttachmentData
	if named(mapispi.PropMessageAttachments) == include {
		atts = m.atts
	}
	m.mu.Unlock()
	probs, err := setOn(ctx, dest, values, flags&mapispi.CopyNoReplace != 0)
	if err != nil {
		return nil, err
	}
	if recips != nil {
		if err := dm.ModifyRecipients(ctx, 0, recips); err != nil {
			return nil, err
		}
	}
	for i := range atts {
		if err := copyAttachment(ctx, &atts[i], dm); err != nil {
			return nil, err
		}
	}
	if flags&mapispi.CopyMove != 0 {
		m.mu.Lock()
		moved := tagsOf(values)
		m.props = slices.DeleteFunc(slices.Clone(m.props), func(v mapispi.PropValue) bool {
			return slices.ContainsFunc(moved, func(t mapispi.PropTag) bool { return t.ID() == v.Tag.ID() })
		})
		m.mu.Unlock()
	}
	return probs, nil
}

// copyAttachment adds a copy of a to message dest.
func copyAttachment(ctx context.Context, a *AttachmentData, dest mapispi.Message) error {
	na, _, err := dest.CreateAttach(ctx, mapispi.OpenModify)
	if err != nil {
		return err
	}
	defer na.Close(ctx)
	values := without(selected(a.Props, nil, false, computedAttach), mapispi.PropRecordKey)
	if len(values) > 0 {
		if _, err := na.SetProps(ctx, values); err != nil {
			return err
		}
	}
	if a.Embedded != nil {
		if err := copyEmbedded(ctx, a.Embedded, na); err != nil {
			return err
		}
	}
	return na.SaveChanges(ctx, 0)
}

// copyEmbedded writes a copy of d as attachment na's embedded message.
func copyEmbedded(ctx context.Context, d *MessageData, na mapispi.Attachment) error {
	po, ok := na.(mapispi.PropertyOpener)
	if !ok {
		return mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "CopyTo: the destination attachment cannot hold an embedded message")
	}
	obj, err := po.OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, mapispi.OpenModify|mapispi.OpenCreate)
	if err != nil {
		return err
	}
	em, ok := obj.(mapispi.Message)
	if !ok {
		return mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "CopyTo: the destination's embedded message is not a message")
	}
	defer em.Close(ctx)
	if values := without(selected(d.Props, nil, false, computedMessage), mapispi.PropMessageFlags); len(values) > 0 {
		if _, err := em.SetProps(ctx, values); err != nil {
			return err
		}
	}
	if len(d.Recipients) > 0 {
		if err := em.ModifyRecipients(ctx, 0, d.Recipients); err != nil {
			return err
		}
	}
	for i := range d.Attachments {
		if err := copyAttachment(ctx, &d.Attachments[i], em); err != nil {
			return err
		}
	}
	return em.SaveChanges(ctx, 0)
}

// CopyTo is IMAPIProp::CopyTo on the attachment instance: its
// properties but those of exclude, and its embedded message, into dest,
// another attachment. A copy onto itself is ErrNoAccess.
func (a *Attachment) CopyTo(ctx context.Context, exclude []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return a.copy(ctx, "CopyTo", exclude, false, dest, flags)
}

// CopyProps is IMAPIProp::CopyProps on the attachment instance.
func (a *Attachment) CopyProps(ctx context.Context, tags []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return a.copy(ctx, "CopyProps", tags, true, dest, flags)
}

func (a *Attachment) copy(ctx context.Context, op string, tags []mapispi.PropTag, include bool, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	if err := a.check(op); err != nil {
		return nil, err
	}
	if err := copyArgs(op, tags, include, flags, dest); err != nil {
		return nil, err
	}
	da, ok := dest.(mapispi.Attachment)
	if !ok || dest.ObjectType() != mapispi.ObjAttach {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: the destination is not an attachment", op)
	}
	if d, ok := dest.(*Attachment); ok && d == a {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: an attachment cannot be copied onto itself", op)
	}
	a.mu.Lock()
	values := without(selected(a.props, tags, include, computedAttach), mapispi.PropRecordKey)
	var emb *MessageData
	if slices.Contains(tags, mapispi.PropAttachDataObj) == include {
		emb = a.embedded
	}
	a.mu.Unlock()
	probs, err := setOn(ctx, dest, values, flags&mapispi.CopyNoReplace != 0)
	if err != nil {
		return nil, err
	}
	if emb != nil {
		if err := copyEmbedded(ctx, emb, da); err != nil {
			return nil, err
		}
	}
	return probs, nil
}
