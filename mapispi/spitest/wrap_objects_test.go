package spitest_test

import (
	"context"

	"github.com/mapiemu/mapiemu/mapispi"
)

// This file wraps the reference's folders, messages and attachments, as
// wrap_test.go wraps its provider, store and logon: every object the
// wrapped store hands out is wrapped, every object handed back to the
// reference (a CopyFolder or CopyMessages destination) unwrapped, and a
// breakage's hook changes one behaviour.

// The wrapped store and logon have the reference's optional interfaces.
var (
	_ mapispi.Adviser    = (*wstore)(nil)
	_ mapispi.NamedProps = (*wstore)(nil)
	_ mapispi.Adviser    = (*wlogon)(nil)
)

func (s *wstore) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	return s.inner.(mapispi.Adviser).Advise(ctx, id, events, sink)
}

func (s *wstore) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	return s.inner.(mapispi.Adviser).Unadvise(ctx, conn)
}

func (s *wstore) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	return s.w.idsFromNames(ctx, s.inner, names, create)
}

func (s *wstore) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	return s.inner.(mapispi.NamedProps).NamesFromIDs(ctx, ids, set)
}

func (l *wlogon) Advise(ctx context.Context, id mapispi.EntryID, events mapispi.EventMask, sink mapispi.AdviseSink) (mapispi.Connection, error) {
	return l.inner.(mapispi.Adviser).Advise(ctx, id, events, sink)
}

func (l *wlogon) Unadvise(ctx context.Context, conn mapispi.Connection) error {
	return l.inner.(mapispi.Adviser).Unadvise(ctx, conn)
}

// openEntry is OpenEntry through next, the breakage's hook and the
// wrapping of what it opens.
func (w *wprov) openEntry(ctx context.Context, next func(context.Context, mapispi.EntryID, mapispi.OpenFlags) (mapispi.Object, error), id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	open := func(f mapispi.OpenFlags) (mapispi.Object, error) { return next(ctx, id, f) }
	var obj mapispi.Object
	var err error
	if w.b.openEntry != nil {
		obj, err = w.b.openEntry(ctx, id, flags, open)
	} else {
		obj, err = open(flags)
	}
	if err != nil {
		return nil, err
	}
	return w.wrapObject(obj), nil
}

// wrapObject wraps a folder, message or attachment of the reference.
func (w *wprov) wrapObject(obj mapispi.Object) mapispi.Object {
	switch o := obj.(type) {
	case mapispi.Folder:
		return w.wrapFolder(o)
	case mapispi.Message:
		return w.wrapMessage(o)
	case mapispi.Attachment:
		return w.wrapAttachment(o)
	}
	return obj
}

func (w *wprov) wrapFolder(f mapispi.Folder) mapispi.Folder {
	if f == nil {
		return nil
	}
	wf := &wfolder{w: w, inner: f}
	if w.b.noNamedProps {
		return wf
	}
	return &wfolderNamed{wf}
}

func (w *wprov) wrapMessage(m mapispi.Message) mapispi.Message {
	if m == nil {
		return nil
	}
	wm := &wmessage{w: w, inner: m}
	if w.b.noNamedProps {
		return wm
	}
	if w.b.noSubmitter {
		named := &wmessageNamed{wm}
		return noSubmitMessage{named, named, named, named}
	}
	return &wmessageNamed{wm}
}

func (w *wprov) wrapAttachment(a mapispi.Attachment) mapispi.Attachment {
	if a == nil {
		return nil
	}
	wa := &wattach{w: w, inner: a}
	if w.b.noNamedProps {
		return wa
	}
	return &wattachNamed{wa}
}

// unwrap returns the reference's object under a wrapper.
func unwrap(obj mapispi.Object) mapispi.Object {
	switch o := obj.(type) {
	case *wfolder:
		return o.inner
	case *wfolderNamed:
		return o.inner
	case *wmessage:
		return o.inner
	case *wmessageNamed:
		return o.inner
	case noSubmitMessage:
		return unwrap(o.Message)
	case *wattach:
		return o.inner
	case *wattachNamed:
		return o.inner
	}
	return obj
}

func unwrapFolder(f mapispi.Folder) mapispi.Folder {
	if inner, ok := unwrap(f).(mapispi.Folder); ok {
		return inner
	}
	return f
}

// idsFromNames is IDsFromNames of obj with the breakage's hook.
func (w *wprov) idsFromNames(ctx context.Context, obj any, names []mapispi.PropName, create bool) ([]uint16, error) {
	if w.b.idsFromNames != nil {
		create = w.b.idsFromNames(create)
	}
	return obj.(mapispi.NamedProps).IDsFromNames(ctx, names, create)
}

// openProperty is OpenProperty of obj with the breakage's hook.
func (w *wprov) openProperty(ctx context.Context, obj any, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	po := obj.(mapispi.PropertyOpener)
	next := func(f mapispi.OpenFlags) (any, error) { return po.OpenProperty(ctx, tag, iface, f) }
	var out any
	var err error
	if w.b.openProperty != nil {
		out, err = w.b.openProperty(ctx, tag, iface, flags, next)
	} else {
		out, err = next(flags)
	}
	if err != nil {
		return nil, err
	}
	if m, ok := out.(mapispi.Message); ok {
		return w.wrapMessage(m), nil
	}
	return out, nil
}

// wfolder wraps a reference folder.
type wfolder struct {
	w     *wprov
	inner mapispi.Folder
}

var (
	_ mapispi.Folder         = (*wfolder)(nil)
	_ mapispi.PropertyOpener = (*wfolder)(nil)
	_ mapispi.NamedProps     = (*wfolderNamed)(nil)
)

func (f *wfolder) ObjectType() mapispi.ObjectType { return f.inner.ObjectType() }

func (f *wfolder) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	vals, err := f.inner.GetProps(ctx, tags)
	if err == nil && f.w.b.folderProps != nil {
		vals = f.w.b.folderProps(tags, vals)
	}
	return vals, err
}

func (f *wfolder) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	return f.inner.GetPropList(ctx)
}

func (f *wfolder) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	return f.inner.SetProps(ctx, values)
}

func (f *wfolder) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return f.inner.DeleteProps(ctx, tags)
}

func (f *wfolder) Close(ctx context.Context) error { return f.inner.Close(ctx) }

func (f *wfolder) ContentsTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	if f.w.b.contentsTable != nil {
		flags = f.w.b.contentsTable(flags)
	}
	return f.inner.ContentsTable(ctx, flags)
}

func (f *wfolder) HierarchyTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	if f.w.b.hierarchyTable != nil {
		flags = f.w.b.hierarchyTable(flags)
	}
	return f.inner.HierarchyTable(ctx, flags)
}

func (f *wfolder) OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapispi.Object, error) {
	return f.w.openEntry(ctx, f.inner.OpenEntry, id, flags)
}

func (f *wfolder) CreateFolder(ctx context.Context, typ mapispi.FolderType, name, comment string, flags mapispi.CreateFolderFlags) (mapispi.Folder, error) {
	k, err := f.inner.CreateFolder(ctx, typ, name, comment, flags)
	if err != nil {
		return nil, err
	}
	return f.w.wrapFolder(k), nil
}

func (f *wfolder) DeleteFolder(ctx context.Context, id mapispi.EntryID, flags mapispi.DeleteFolderFlags) error {
	if f.w.b.deleteFolder != nil {
		flags = f.w.b.deleteFolder(flags)
	}
	return f.inner.DeleteFolder(ctx, id, flags)
}

func (f *wfolder) CopyFolder(ctx context.Context, id mapispi.EntryID, dest mapispi.Folder, newName string, flags mapispi.CopyFolderFlags) error {
	if f.w.b.copyFolder != nil {
		flags = f.w.b.copyFolder(flags)
	}
	return f.inner.CopyFolder(ctx, id, unwrapFolder(dest), newName, flags)
}

func (f *wfolder) EmptyFolder(ctx context.Context, flags mapispi.EmptyFolderFlags) error {
	return f.inner.EmptyFolder(ctx, flags)
}

func (f *wfolder) CreateMessage(ctx context.Context, flags mapispi.CreateMessageFlags) (mapispi.Message, error) {
	m, err := f.inner.CreateMessage(ctx, flags)
	if err != nil {
		return nil, err
	}
	return f.w.wrapMessage(m), nil
}

func (f *wfolder) CopyMessages(ctx context.Context, ids []mapispi.EntryID, dest mapispi.Folder, flags mapispi.CopyMessageFlags) error {
	return f.inner.CopyMessages(ctx, ids, unwrapFolder(dest), flags)
}

func (f *wfolder) DeleteMessages(ctx context.Context, ids []mapispi.EntryID, flags mapispi.DeleteMessageFlags) error {
	return f.inner.DeleteMessages(ctx, ids, flags)
}

func (f *wfolder) SetReadFlags(ctx context.Context, ids []mapispi.EntryID, flags mapispi.ReadFlags) error {
	return f.inner.SetReadFlags(ctx, ids, flags)
}

func (f *wfolder) MessageStatus(ctx context.Context, id mapispi.EntryID) (mapispi.MessageStatus, error) {
	return f.inner.MessageStatus(ctx, id)
}

func (f *wfolder) SetMessageStatus(ctx context.Context, id mapispi.EntryID, status, mask mapispi.MessageStatus) (mapispi.MessageStatus, error) {
	return f.inner.SetMessageStatus(ctx, id, status, mask)
}

func (f *wfolder) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	return f.inner.(mapispi.PropertyOpener).OpenProperty(ctx, tag, iface, flags)
}

// wfolderNamed is a wrapped folder with named properties.
type wfolderNamed struct{ *wfolder }

func (f *wfolderNamed) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	return f.w.idsFromNames(ctx, f.inner, names, create)
}

func (f *wfolderNamed) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	return f.inner.(mapispi.NamedProps).NamesFromIDs(ctx, ids, set)
}

// wmessage wraps a reference message.
type wmessage struct {
	w     *wprov
	inner mapispi.Message
}

var (
	_ mapispi.Message        = (*wmessage)(nil)
	_ mapispi.PropertyOpener = (*wmessage)(nil)
	_ mapispi.Copier         = (*wmessage)(nil)
	_ mapispi.NamedProps     = (*wmessageNamed)(nil)
)

func (m *wmessage) ObjectType() mapispi.ObjectType { return m.inner.ObjectType() }

func (m *wmessage) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	vals, err := m.inner.GetProps(ctx, tags)
	if err == nil && m.w.b.messageProps != nil {
		vals = m.w.b.messageProps(tags, vals)
	}
	return vals, err
}

func (m *wmessage) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	return m.inner.GetPropList(ctx)
}

func (m *wmessage) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	probs, err := m.inner.SetProps(ctx, values)
	if err == nil && m.w.b.messageProblems != nil {
		probs = m.w.b.messageProblems(probs)
	}
	return probs, err
}

func (m *wmessage) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return m.inner.DeleteProps(ctx, tags)
}

func (m *wmessage) Close(ctx context.Context) error { return m.inner.Close(ctx) }

func (m *wmessage) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	if m.w.b.saveMessage != nil {
		flags = m.w.b.saveMessage(flags)
	}
	return m.inner.SaveChanges(ctx, flags)
}

func (m *wmessage) RecipientTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	return m.inner.RecipientTable(ctx, flags)
}

func (m *wmessage) ModifyRecipients(ctx context.Context, flags mapispi.ModRecipFlags, rows []mapispi.Row) error {
	if m.w.b.modifyRecipients != nil {
		return m.w.b.modifyRecipients(m, ctx, flags, rows)
	}
	return m.inner.ModifyRecipients(ctx, flags, rows)
}

func (m *wmessage) AttachmentTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	t, err := m.inner.AttachmentTable(ctx, flags)
	if err == nil && m.w.b.attachmentTable != nil {
		t = m.w.b.attachmentTable(ctx, t)
	}
	return t, err
}

func (m *wmessage) CreateAttach(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Attachment, int, error) {
	a, n, err := m.inner.CreateAttach(ctx, flags)
	if err != nil {
		return nil, n, err
	}
	return m.w.wrapAttachment(a), n, nil
}

func (m *wmessage) OpenAttach(ctx context.Context, num int, flags mapispi.OpenFlags) (mapispi.Attachment, error) {
	a, err := m.inner.OpenAttach(ctx, num, flags)
	if err != nil {
		return nil, err
	}
	return m.w.wrapAttachment(a), nil
}

func (m *wmessage) DeleteAttach(ctx context.Context, num int) error {
	return m.inner.DeleteAttach(ctx, num)
}

func (m *wmessage) SetReadFlag(ctx context.Context, flags mapispi.ReadFlags) error {
	return m.inner.SetReadFlag(ctx, flags)
}

func (m *wmessage) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	return m.w.openProperty(ctx, m.inner, tag, iface, flags)
}

func (m *wmessage) CopyTo(ctx context.Context, exclude []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return m.inner.(mapispi.Copier).CopyTo(ctx, exclude, unwrap(dest), flags)
}

func (m *wmessage) CopyProps(ctx context.Context, tags []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return m.inner.(mapispi.Copier).CopyProps(ctx, tags, unwrap(dest), flags)
}

// wmessageNamed is a wrapped message with named properties.
type wmessageNamed struct{ *wmessage }

func (m *wmessageNamed) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	return m.w.idsFromNames(ctx, m.inner, names, create)
}

func (m *wmessageNamed) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	return m.inner.(mapispi.NamedProps).NamesFromIDs(ctx, ids, set)
}

// wattach wraps a reference attachment.
type wattach struct {
	w     *wprov
	inner mapispi.Attachment
}

var (
	_ mapispi.Attachment     = (*wattach)(nil)
	_ mapispi.PropertyOpener = (*wattach)(nil)
	_ mapispi.Copier         = (*wattach)(nil)
	_ mapispi.NamedProps     = (*wattachNamed)(nil)
)

func (a *wattach) ObjectType() mapispi.ObjectType { return a.inner.ObjectType() }

func (a *wattach) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	return a.inner.GetProps(ctx, tags)
}

func (a *wattach) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	return a.inner.GetPropList(ctx)
}

func (a *wattach) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	return a.inner.SetProps(ctx, values)
}

func (a *wattach) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	return a.inner.DeleteProps(ctx, tags)
}

func (a *wattach) Close(ctx context.Context) error { return a.inner.Close(ctx) }

func (a *wattach) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	return a.inner.SaveChanges(ctx, flags)
}

func (a *wattach) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	return a.w.openProperty(ctx, a.inner, tag, iface, flags)
}

func (a *wattach) CopyTo(ctx context.Context, exclude []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return a.inner.(mapispi.Copier).CopyTo(ctx, exclude, unwrap(dest), flags)
}

func (a *wattach) CopyProps(ctx context.Context, tags []mapispi.PropTag, dest mapispi.Object, flags mapispi.CopyFlags) ([]mapispi.PropProblem, error) {
	return a.inner.(mapispi.Copier).CopyProps(ctx, tags, unwrap(dest), flags)
}

// wattachNamed is a wrapped attachment with named properties.
type wattachNamed struct{ *wattach }

func (a *wattachNamed) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	return a.w.idsFromNames(ctx, a.inner, names, create)
}

func (a *wattachNamed) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	return a.inner.(mapispi.NamedProps).NamesFromIDs(ctx, ids, set)
}
