package mapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Message is the Go form of IMessage as a client holds it: a handle on one
// instance of a message (see mapispi.Message for the rules): its changes,
// and its recipients' and attachments', are its own until SaveChanges.
// Its methods go through the host as Store's do; close it when done:
// closing an instance with unsaved changes discards them. A Message is
// safe for concurrent use.
type Message struct {
	object
	m mapispi.Message
}

// SaveChanges is IMAPIProp::SaveChanges: commit the message.
func (m *Message) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	_, err := guard(m.h, "IMessage::SaveChanges", func() string { return flags.String() }, func() (struct{}, error) {
		return struct{}{}, m.m.SaveChanges(ctx, flags)
	})
	return err
}

// RecipientTable is IMessage::GetRecipientTable: a handle on a new table
// of this instance's recipients. Close it when done.
func (m *Message) RecipientTable(ctx context.Context, flags mapispi.TableFlags) (*Table, error) {
	const method = "IMessage::GetRecipientTable"
	t, err := guard(m.h, method, nil, func() (mapispi.Table, error) { return m.m.RecipientTable(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return m.l.wrapTable(t, method, 1)
}

// ModifyRecipients is IMessage::ModifyRecipients.
func (m *Message) ModifyRecipients(ctx context.Context, flags mapispi.ModRecipFlags, rows []mapispi.Row) error {
	_, err := guard(m.h, "IMessage::ModifyRecipients", func() string { return fmt.Sprintf("%v %d rows", flags, len(rows)) }, func() (struct{}, error) {
		return struct{}{}, m.m.ModifyRecipients(ctx, flags, rows)
	})
	return err
}

// AttachmentTable is IMessage::GetAttachmentTable: a handle on a new
// table of this instance's saved attachments. Close it when done.
func (m *Message) AttachmentTable(ctx context.Context, flags mapispi.TableFlags) (*Table, error) {
	const method = "IMessage::GetAttachmentTable"
	t, err := guard(m.h, method, nil, func() (mapispi.Table, error) { return m.m.AttachmentTable(ctx, flags) })
	if err != nil {
		return nil, err
	}
	return m.l.wrapTable(t, method, 1)
}

// CreateAttach is IMessage::CreateAttach: a handle on a new attachment,
// and its PR_ATTACH_NUM.
func (m *Message) CreateAttach(ctx context.Context, flags mapispi.OpenFlags) (*Attachment, int, error) {
	const method = "IMessage::CreateAttach"
	var num int
	a, err := guard(m.h, method, nil, func() (mapispi.Attachment, error) {
		a, n, err := m.m.CreateAttach(ctx, flags)
		num = n
		return a, err
	})
	if err != nil {
		return nil, 0, err
	}
	att, err := m.attachment(a, method)
	return att, num, err
}

// OpenAttach is IMessage::OpenAttach: a handle on the attachment
// numbered num.
func (m *Message) OpenAttach(ctx context.Context, num int, flags mapispi.OpenFlags) (*Attachment, error) {
	const method = "IMessage::OpenAttach"
	a, err := guard(m.h, method, func() string { return fmt.Sprint(num) }, func() (mapispi.Attachment, error) { return m.m.OpenAttach(ctx, num, flags) })
	if err != nil {
		return nil, err
	}
	return m.attachment(a, method)
}

// attachment wraps an attachment the provider returned.
func (m *Message) attachment(a mapispi.Attachment, method string) (*Attachment, error) {
	if a == nil {
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, m.l.svc.name, "%s returned no attachment and no error", method)
	}
	o, err := m.l.wrapObject(a, method, 2)
	if err != nil {
		return nil, err
	}
	att, ok := o.(*Attachment)
	if !ok {
		_ = o.Close(context.Background())
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, m.l.svc.name, "%s returned an object of type %v, not an attachment", method, o.ObjectType())
	}
	return att, nil
}

// DeleteAttach is IMessage::DeleteAttach.
func (m *Message) DeleteAttach(ctx context.Context, num int) error {
	_, err := guard(m.h, "IMessage::DeleteAttach", func() string { return fmt.Sprint(num) }, func() (struct{}, error) {
		return struct{}{}, m.m.DeleteAttach(ctx, num)
	})
	return err
}

// SetReadFlag is IMessage::SetReadFlag.
func (m *Message) SetReadFlag(ctx context.Context, flags mapispi.ReadFlags) error {
	_, err := guard(m.h, "IMessage::SetReadFlag", func() string { return flags.String() }, func() (struct{}, error) {
		return struct{}{}, m.m.SetReadFlag(ctx, flags)
	})
	return err
}

// SubmitMessage is IMessage::SubmitMessage (see mapispi.Submitter): save
// the message and put it on its store's outgoing queue, for the spooler
// to send (on its own, or at Spooler.Flush with Options.ManualFlush). After it succeeds every method of this handle
// but Close fails with ErrInvalidObject. A message without recipients is
// ErrNoRecipients and stays usable. ErrNoSupport for a message of a store
// that does not send mail.
func (m *Message) SubmitMessage(ctx context.Context, flags mapispi.SubmitMessageFlags) error {
	const method = "IMessage::SubmitMessage"
	sub, ok := m.m.(mapispi.Submitter)
	if !ok {
		return noSupport(m.h, method, "message")
	}
	_, err := guard(m.h, method, func() string { return fmt.Sprintf("0x%X", uint32(flags)) }, func() (struct{}, error) {
		return struct{}{}, sub.SubmitMessage(ctx, flags)
	})
	return err
}

// Attachment is the Go form of IAttach as a client holds it: a handle on
// an attachment of a message instance. Its data is PR_ATTACH_DATA_BIN
// (OpenStream) or an embedded message (OpenProperty of
// PR_ATTACH_DATA_OBJ with mapispi.IIDMessage, or EmbeddedMessage).
type Attachment struct {
	object
	a mapispi.Attachment
}

// SaveChanges is IMAPIProp::SaveChanges: the attachment's changes become
// part of its message's.
func (a *Attachment) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	_, err := guard(a.h, "IAttach::SaveChanges", func() string { return flags.String() }, func() (struct{}, error) {
		return struct{}{}, a.a.SaveChanges(ctx, flags)
	})
	return err
}

// EmbeddedMessage opens the message embedded in an ATTACH_EMBEDDED_MSG
// attachment (OpenProperty of PR_ATTACH_DATA_OBJ with IID_IMessage), or,
// with OpenCreate|OpenModify, makes one.
func (a *Attachment) EmbeddedMessage(ctx context.Context, flags mapispi.OpenFlags) (*Message, error) {
	v, err := a.OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, flags)
	if err != nil {
		return nil, err
	}
	m, ok := v.(*Message)
	if !ok {
		closeAny(ctx, v)
		return nil, mapispi.Errorf(mapispi.ErrCallFailed, "IAttach::OpenProperty", "asked for IID_IMessage, the provider gave a %T", v)
	}
	return m, nil
}

// storeOnly are the properties a store gives its messages that mean
// nothing outside it: ExportTo leaves them out.
var storeOnly = []mapispi.PropTag{
	mapispi.PropEntryID, mapispi.PropParentEntryID, mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey,
	mapispi.PropStoreSupportMask, mapispi.PropMappingSignature, mapispi.PropInstanceKey,
	mapispi.PropAccess, mapispi.PropAccessLevel,
}

// ExportTo is IMAPIProp::CopyTo from this message into dst, a message no
// store of the session holds, such as a .msg file's (package msgfile):
// its properties (but those that only name it in its store: PR_ENTRYID,
// PR_PARENT_ENTRYID, PR_STORE_*, PR_ACCESS...), recipients and
// attachments, embedded messages too, and its named properties mapped
// by name into dst's map. dst is not saved: call its SaveChanges. The
// calls into this message go through the host as the others do; those
// into dst are made directly.
func (m *Message) ExportTo(ctx context.Context, dst mapispi.Message) error {
	const method = "IMessage::CopyTo"
	if dst == nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, method, "nil destination")
	}
	if err := m.h.check(method); err != nil {
		return err
	}
	c, err := mapiutil.ReadMessage(ctx, m.m, &mapiutil.CopyOptions{Call: m.call})
	if err != nil {
		return err
	}
	skip := func(t mapispi.PropTag) bool {
		return slices.ContainsFunc(storeOnly, func(s mapispi.PropTag) bool { return s.ID() == t.ID() })
	}
	return mapiutil.WriteMessage(ctx, dst, c, &mapiutil.CopyOptions{Skip: skip})
}

// ImportFrom is IMAPIProp::CopyTo from src, a message no store of the
// session holds (a .msg file's), into this message, opened read/write:
// src's properties, recipients, attachments and embedded messages, and
// its named properties mapped by name into this store's map; what the
// store computes is kept as the store has it (CopyTo's problems,
// ignored). This message is not saved: call SaveChanges.
func (m *Message) ImportFrom(ctx context.Context, src mapispi.Message) error {
	const method = "IMessage::CopyTo"
	if src == nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, method, "nil source")
	}
	if err := m.h.check(method); err != nil {
		return err
	}
	c, err := mapiutil.ReadMessage(ctx, src, nil)
	if err != nil {
		return err
	}
	if _, ok := mapiutil.FindProp(c.Props, mapispi.PropMessageCodepage.WithType(mapispi.PtUnspecified)); !ok {
		// A new message may start with the store's code page, which would
		// then claim src's 8-bit strings: src has none, so neither does
		// the copy (its PR_INTERNET_CPID, if any, says what they are).
		if err := m.call("IMessage::DeleteProps", func() error {
			_, err := m.m.DeleteProps(ctx, []mapispi.PropTag{mapispi.PropMessageCodepage})
			return err
		}); err != nil {
			return err
		}
	}
	return mapiutil.WriteMessage(ctx, m.m, c, &mapiutil.CopyOptions{Call: m.call})
}
