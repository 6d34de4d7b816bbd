package mapi

import (
	"context"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// The spooler works on provider objects directly, as MAPI's spooler
// does: it holds no client handle, so that nothing of it shows in a leak
// report and a logoff that begins mid-message lets it finish the
// message. Every call is traced and guarded as a client's call is.

// call makes one guarded call into an object of the logon l.
func call[T any](l *logon, method string, f func() (T, error)) (T, error) {
	if err := l.check(method); err != nil {
		var zero T
		return zero, err
	}
	return logonCall(l, method, nil, f)
}

// call is call for methods that return only an error.
func (l *logon) call(method string, f func() error) error {
	_, err := call(l, method, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

// closeQuiet closes an object the spooler opened, tracing a failure.
func closeQuiet(ctx context.Context, l *logon, method string, obj interface{ Close(context.Context) error }) {
	if err := l.call(method, func() error { return obj.Close(ctx) }); err != nil && !l.ended.Load() {
		l.s.tracef(l.svc, method, "the spooler closing what it opened", err)
	}
}

// allRows reads every row of t in the columns cols (nil: its own).
func allRows(ctx context.Context, l *logon, t mapispi.Table, cols []mapispi.PropTag) ([]mapispi.Row, error) {
	if cols != nil {
		if err := l.call("IMAPITable::SetColumns", func() error { return t.SetColumns(ctx, cols) }); err != nil {
			return nil, err
		}
	}
	var all []mapispi.Row
	for {
		rows, err := call(l, "IMAPITable::QueryRows", func() ([]mapispi.Row, error) { return t.QueryRows(ctx, 256) })
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return all, nil
		}
		all = append(all, rows...)
	}
}

func stringProp(props []mapispi.PropValue, tag mapispi.PropTag) (string, bool) {
	v, ok := mapiutil.FindProp(props, tag.WithType(mapispi.PtUnspecified))
	if !ok {
		return "", false
	}
	s, ok := v.Value.(string)
	return s, ok
}

// copyOptions has mapiutil's message copies call through the logon l,
// traced and guarded.
func copyOptions(l *logon, skip func(mapispi.PropTag) bool) *mapiutil.CopyOptions {
	return &mapiutil.CopyOptions{Call: l.call, Skip: skip}
}

// snapshot reads msg (of the logon l) whole, as a transport gets it.
func snapshot(ctx context.Context, l *logon, msg mapispi.Message) (*Outbound, error) {
	c, err := mapiutil.ReadMessage(ctx, msg, copyOptions(l, nil))
	if err != nil {
		return nil, err
	}
	m := outbound(c)
	m.Names = c.Names
	return m, nil
}

// outbound is c as an Outbound: Recipients are those not yet reached
// (PR_RESPONSIBILITY not TRUE); an embedded message's are all of its.
func outbound(c *mapiutil.MessageContent) *Outbound {
	m := &Outbound{Props: c.Props, AllRecipients: c.Recipients}
	for _, r := range c.Recipients {
		if v, ok := mapiutil.FindProp(r, mapispi.PropResponsibility); !ok || v.Value != true {
			m.Recipients = append(m.Recipients, r)
		}
	}
	for _, a := range c.Attachments {
		oa := OutboundAttachment{Props: a.Props}
		if a.Message != nil {
			sub := outbound(a.Message)
			sub.Recipients, sub.AllRecipients = a.Message.Recipients, nil
			oa.Message = sub
		}
		m.Attachments = append(m.Attachments, oa)
	}
	return m
}

// content is m as mapiutil writes it, with recips as its recipients.
func content(m *Outbound, recips []mapispi.Row) *mapiutil.MessageContent {
	c := &mapiutil.MessageContent{Props: m.Props, Recipients: recips, Names: m.Names}
	for _, a := range m.Attachments {
		ca := mapiutil.AttachmentContent{Props: a.Props}
		if a.Message != nil {
			ca.Message = content(a.Message, a.Message.Recipients)
		}
		c.Attachments = append(c.Attachments, ca)
	}
	return c
}

// Properties a copy of a message does not take from the original: what
// its new store computes, and what only the sender's copy means.
var notCopied = append(slices.Clone(storeOnly),
	mapispi.PropRecordKey, mapispi.PropSearchKey, mapispi.PropObjectType, mapispi.PropMessageSize, mapispi.PropHasAttach,
	mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC, mapispi.PropChangeKey,
	mapispi.PropPredecessorChangeList, mapispi.PropCreationTime, mapispi.PropLastModificationTime,
	mapispi.PropSubmitFlags, mapispi.PropSentMailEntryID, mapispi.PropDeleteAfterSubmit, mapispi.PropMessageFlags,
	mapispi.PropMsgStatus, mapispi.PropRowID, mapispi.PropAttachNum, mapispi.PropResponsibility,
)

func copied(t mapispi.PropTag) bool {
	if t.Type() == mapispi.PtError || t.Type() == mapispi.PtObject {
		return false
	}
	for _, n := range notCopied {
		if n.ID() == t.ID() {
			return false
		}
	}
	return true
}

// copyableRow returns the values of r a new recipient row takes.
func copyableRow(r mapispi.Row) mapispi.Row {
	out := make(mapispi.Row, 0, len(r))
	for _, p := range r {
		if copied(p.Tag) {
			out = append(out, p)
		}
	}
	return out
}

// writeNew creates a message in the folder folderID of l's store with
// m's properties (and extra over them), recipients recips and
// attachments, saves it, and returns its entry ID and PR_MESSAGE_FLAGS.
func writeNew(ctx context.Context, l *logon, folderID mapispi.EntryID, m *Outbound, recips []mapispi.Row, extra []mapispi.PropValue) (mapispi.EntryID, int32, error) {
	obj, err := call(l, "IMsgStore::OpenEntry", func() (mapispi.Object, error) { return l.store.OpenEntry(ctx, folderID, mapispi.OpenModify) })
	if err != nil {
		return nil, 0, err
	}
	defer closeQuiet(ctx, l, "IMAPIFolder::Release", obj)
	f, ok := obj.(mapispi.Folder)
	if !ok {
		return nil, 0, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "the receive folder %X is not a folder", []byte(folderID))
	}
	nm, err := call(l, "IMAPIFolder::CreateMessage", func() (mapispi.Message, error) { return f.CreateMessage(ctx, 0) })
	if err != nil {
		return nil, 0, err
	}
	defer closeQuiet(ctx, l, "IMessage::Release", nm)
	c := content(m, recips)
	c.Props = slices.DeleteFunc(slices.Clone(c.Props), func(p mapispi.PropValue) bool {
		return slices.ContainsFunc(extra, func(e mapispi.PropValue) bool { return e.Tag.ID() == p.Tag.ID() })
	})
	c.Props = append(c.Props, extra...)
	skip := func(t mapispi.PropTag) bool {
		return !copied(t) && !slices.ContainsFunc(extra, func(e mapispi.PropValue) bool { return e.Tag == t })
	}
	if err := mapiutil.WriteMessage(ctx, nm, c, copyOptions(l, skip)); err != nil {
		return nil, 0, err
	}
	if err := l.call("IMessage::SaveChanges", func() error { return nm.SaveChanges(ctx, mapispi.KeepOpenReadOnly) }); err != nil {
		return nil, 0, err
	}
	// Saved: the message is there, whatever follows. Without its ID the
	// caller cannot announce it, which loses a notification, not mail.
	vals, err := call(l, "IMessage::GetProps", func() ([]mapispi.PropValue, error) {
		return nm.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropMessageFlags})
	})
	if err != nil || len(vals) < 2 {
		l.s.tracef(l.svc, "Spooler.Flush", "reading the entry ID of a message it delivered", err)
		return nil, 0, nil
	}
	id, _ := vals[0].Value.([]byte)
	flags, _ := vals[1].Value.(int32)
	return id, flags, nil
}
