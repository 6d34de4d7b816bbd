package mapi

import (
	"context"
	"errors"
	"io"
	"slices"
	"unicode/utf16"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
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

// wholeRows reads every row of t with every column its rows have (its
// AllColumns when it has them, its own columns and must otherwise),
// leaving out the values a row lacks.
func wholeRows(ctx context.Context, l *logon, t mapispi.Table, must ...mapispi.PropTag) ([]mapispi.Row, error) {
	var cols []mapispi.PropTag
	var err error
	if at, ok := t.(mapispi.AllColumnsTable); ok {
		cols, err = call(l, "IMAPITable::QueryColumns", func() ([]mapispi.PropTag, error) { return at.AllColumns(ctx) })
	} else {
		cols, err = call(l, "IMAPITable::QueryColumns", func() ([]mapispi.PropTag, error) { return t.Columns(ctx) })
	}
	if err != nil {
		return nil, err
	}
	for _, m := range must {
		if !slices.ContainsFunc(cols, func(c mapispi.PropTag) bool { return c.ID() == m.ID() }) {
			cols = append(cols, m)
		}
	}
	rows, err := allRows(ctx, l, t, cols)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		rows[i] = slices.DeleteFunc(r, func(p mapispi.PropValue) bool { return p.Tag.Type() == mapispi.PtError })
	}
	return rows, nil
}

func stringProp(props []mapispi.PropValue, tag mapispi.PropTag) (string, bool) {
	v, ok := findProp(props, tag.WithType(mapispi.PtUnspecified))
	if !ok {
		return "", false
	}
	s, ok := v.Value.(string)
	return s, ok
}

// maxNesting bounds how deep the spooler follows embedded messages.
const maxNesting = 16

// snapshot reads msg (of the logon l) whole: its properties (large ones
// through streams), recipients and attachments with their embedded
// messages, and the names of its named properties.
func snapshot(ctx context.Context, l *logon, msg mapispi.Message, depth int) (*Outbound, error) {
	if depth > maxNesting {
		return nil, mapispi.Errorf(mapispi.ErrTooComplex, l.svc.name, "embedded messages nest deeper than %d", maxNesting)
	}
	props, err := readProps(ctx, l, msg, "IMessage")
	if err != nil {
		return nil, err
	}
	m := &Outbound{Props: props}
	rt, err := call(l, "IMessage::GetRecipientTable", func() (mapispi.Table, error) { return msg.RecipientTable(ctx, 0) })
	if err != nil {
		return nil, err
	}
	recips, err := wholeRows(ctx, l, rt, mapispi.PropRowID, mapispi.PropResponsibility)
	closeQuiet(ctx, l, "IMAPITable::Release", rt)
	if err != nil {
		return nil, err
	}
	m.AllRecipients = recips
	for _, r := range recips {
		if v, ok := findProp(r, mapispi.PropResponsibility); !ok || v.Value != true {
			m.Recipients = append(m.Recipients, r)
		}
	}
	at, err := call(l, "IMessage::GetAttachmentTable", func() (mapispi.Table, error) { return msg.AttachmentTable(ctx, 0) })
	if err != nil {
		return nil, err
	}
	nums, err := allRows(ctx, l, at, []mapispi.PropTag{mapispi.PropAttachNum})
	closeQuiet(ctx, l, "IMAPITable::Release", at)
	if err != nil {
		return nil, err
	}
	for _, r := range nums {
		num, ok := r[0].Value.(int32)
		if !ok {
			continue
		}
		a, err := snapshotAttach(ctx, l, msg, int(num), depth)
		if err != nil {
			return nil, err
		}
		m.Attachments = append(m.Attachments, a)
	}
	if depth == 0 {
		if err := m.name(ctx, l, msg); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func snapshotAttach(ctx context.Context, l *logon, msg mapispi.Message, num, depth int) (OutboundAttachment, error) {
	a, err := call(l, "IMessage::OpenAttach", func() (mapispi.Attachment, error) { return msg.OpenAttach(ctx, num, 0) })
	if err != nil {
		return OutboundAttachment{}, err
	}
	defer closeQuiet(ctx, l, "IAttach::Release", a)
	props, err := readProps(ctx, l, a, "IAttach")
	if err != nil {
		return OutboundAttachment{}, err
	}
	out := OutboundAttachment{Props: props}
	if v, ok := findProp(props, mapispi.PropAttachMethod); !ok || v.Value != int32(mapispi.AttachEmbeddedMsg) {
		return out, nil
	}
	po, ok := a.(mapispi.PropertyOpener)
	if !ok {
		return out, nil
	}
	v, err := call(l, "IAttach::OpenProperty", func() (any, error) {
		return po.OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, 0)
	})
	if errors.Is(err, mapispi.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return OutboundAttachment{}, err
	}
	em, ok := v.(mapispi.Message)
	if !ok {
		if c, isCloser := v.(interface{ Close(context.Context) error }); isCloser {
			closeQuiet(ctx, l, "IUnknown::Release", c)
		}
		return OutboundAttachment{}, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "PR_ATTACH_DATA_OBJ opened as a %T, not a message", v)
	}
	defer closeQuiet(ctx, l, "IMessage::Release", em)
	sub, err := snapshot(ctx, l, em, depth+1)
	if err != nil {
		return OutboundAttachment{}, err
	}
	sub.Recipients, sub.AllRecipients = sub.AllRecipients, nil
	out.Message = sub
	return out, nil
}

// readProps reads every property of obj, those too large for GetProps
// through OpenProperty streams.
func readProps(ctx context.Context, l *logon, obj mapispi.Properties, ifc string) ([]mapispi.PropValue, error) {
	tags, err := call(l, ifc+"::GetPropList", func() ([]mapispi.PropTag, error) { return obj.GetPropList(ctx) })
	if err != nil {
		return nil, err
	}
	tags = slices.DeleteFunc(tags, func(t mapispi.PropTag) bool { return t.Type() == mapispi.PtObject })
	if len(tags) == 0 {
		return nil, nil
	}
	vals, err := call(l, ifc+"::GetProps", func() ([]mapispi.PropValue, error) { return obj.GetProps(ctx, tags) })
	if err != nil {
		return nil, err
	}
	out := make([]mapispi.PropValue, 0, len(vals))
	for i, v := range vals {
		if v.Tag.Type() != mapispi.PtError || i >= len(tags) {
			out = append(out, v)
			continue
		}
		if code, _ := v.Value.(mapispi.SCode); code != mapispi.ErrNotEnoughMemory {
			continue
		}
		big, err := readStream(ctx, l, obj, tags[i], ifc)
		if err != nil {
			return nil, err
		}
		out = append(out, big)
	}
	return out, nil
}

// readStream reads a large property of obj whole.
func readStream(ctx context.Context, l *logon, obj mapispi.Properties, tag mapispi.PropTag, ifc string) (mapispi.PropValue, error) {
	po, ok := obj.(mapispi.PropertyOpener)
	if !ok {
		return mapispi.PropValue{}, mapispi.Errorf(mapispi.ErrNoSupport, l.svc.name, "%v is too large for GetProps and the object has no OpenProperty", tag)
	}
	v, err := call(l, ifc+"::OpenProperty", func() (any, error) { return po.OpenProperty(ctx, tag, mapispi.IIDStream, 0) })
	if err != nil {
		return mapispi.PropValue{}, err
	}
	st, ok := v.(mapispi.Stream)
	if !ok {
		return mapispi.PropValue{}, mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "OpenProperty(%v, IID_IStream) gave a %T", tag, v)
	}
	defer closeQuiet(ctx, l, "IStream::Release", st)
	b, err := call(l, "IStream::Read", func() ([]byte, error) { return io.ReadAll(st) })
	if err != nil {
		return mapispi.PropValue{}, err
	}
	switch tag.Type() {
	case mapispi.PtUnicode:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1]
		}
		return mapispi.PropValue{Tag: tag, Value: string(utf16.Decode(u))}, nil
	case mapispi.PtString8:
		s, err := codepage.Windows1252.Decode(b)
		if err != nil {
			return mapispi.PropValue{}, err
		}
		return mapispi.PropValue{Tag: tag, Value: s}, nil
	}
	return mapispi.PropValue{Tag: tag, Value: b}, nil
}

// name fills m.Names with the names of the named properties m and its
// parts hold, as msg's store maps them.
func (m *Outbound) name(ctx context.Context, l *logon, msg mapispi.Message) error {
	var ids []uint16
	m.eachTag(func(t mapispi.PropTag) {
		if t.ID() >= mapispi.NamedPropIDMin && !slices.Contains(ids, t.ID()) {
			ids = append(ids, t.ID())
		}
	})
	np, ok := msg.(mapispi.NamedProps)
	if len(ids) == 0 || !ok {
		return nil
	}
	names, mapped, err := func() ([]mapispi.PropName, []uint16, error) {
		var names []mapispi.PropName
		var mapped []uint16
		err := l.call("IMAPIProp::GetNamesFromIDs", func() error {
			var err error
			names, mapped, err = np.NamesFromIDs(ctx, ids, nil)
			return err
		})
		return names, mapped, err
	}()
	if err != nil {
		return err
	}
	m.Names = make(map[uint16]mapispi.PropName, len(ids))
	for i, id := range mapped {
		if id != 0 && i < len(names) {
			m.Names[id] = names[i]
		}
	}
	return nil
}

// eachTag calls f with every tag of m's properties, recipients and
// attachments, embedded messages included.
func (m *Outbound) eachTag(f func(mapispi.PropTag)) {
	for _, p := range m.Props {
		f(p.Tag)
	}
	for _, rows := range [][]mapispi.Row{m.Recipients, m.AllRecipients} {
		for _, r := range rows {
			for _, p := range r {
				f(p.Tag)
			}
		}
	}
	for _, a := range m.Attachments {
		for _, p := range a.Props {
			f(p.Tag)
		}
		if a.Message != nil {
			a.Message.eachTag(f)
		}
	}
}

// Properties a copy of a message does not take from the original: what
// its new store computes, and what only the sender's copy means.
var notCopied = []mapispi.PropTag{
	mapispi.PropEntryID, mapispi.PropRecordKey, mapispi.PropSearchKey, mapispi.PropParentEntryID,
	mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey, mapispi.PropStoreSupportMask, mapispi.PropMappingSignature,
	mapispi.PropInstanceKey, mapispi.PropObjectType, mapispi.PropMessageSize, mapispi.PropHasAttach,
	mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC, mapispi.PropChangeKey,
	mapispi.PropPredecessorChangeList, mapispi.PropCreationTime, mapispi.PropLastModificationTime,
	mapispi.PropAccess, mapispi.PropAccessLevel, mapispi.PropSubmitFlags, mapispi.PropSentMailEntryID,
	mapispi.PropDeleteAfterSubmit, mapispi.PropMessageFlags, mapispi.PropMsgStatus, mapispi.PropRowID,
	mapispi.PropAttachNum, mapispi.PropResponsibility,
}

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

// namer maps the named property IDs of a source store to a destination
// store's, asking the destination once per name.
type namer struct {
	l     *logon
	np    mapispi.NamedProps // the destination's map, or nil
	names map[uint16]mapispi.PropName
	to    map[uint16]uint16
}

// tag returns t with its named ID mapped, and false when it cannot be.
func (n *namer) tag(ctx context.Context, t mapispi.PropTag) (mapispi.PropTag, bool) {
	if t.ID() < mapispi.NamedPropIDMin {
		return t, true
	}
	if id, ok := n.to[t.ID()]; ok {
		return mapispi.NewPropTag(t.Type(), id), id != 0
	}
	name, ok := n.names[t.ID()]
	if !ok || n.np == nil {
		return t, false
	}
	ids, err := call(n.l, "IMAPIProp::GetIDsFromNames", func() ([]uint16, error) {
		return n.np.IDsFromNames(ctx, []mapispi.PropName{name}, true)
	})
	id := uint16(0)
	if err == nil && len(ids) == 1 {
		id = ids[0]
	}
	if n.to == nil {
		n.to = map[uint16]uint16{}
	}
	n.to[t.ID()] = id
	return mapispi.NewPropTag(t.Type(), id), id != 0
}

func (n *namer) values(ctx context.Context, vals []mapispi.PropValue) []mapispi.PropValue {
	out := make([]mapispi.PropValue, 0, len(vals))
	for _, v := range vals {
		if !copied(v.Tag) {
			continue
		}
		t, ok := n.tag(ctx, v.Tag)
		if !ok {
			continue
		}
		out = append(out, mapispi.PropValue{Tag: t, Value: v.Value})
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
	np, _ := nm.(mapispi.NamedProps)
	n := &namer{l: l, np: np, names: m.Names}
	if err := writeInto(ctx, l, n, nm, m, recips, extra); err != nil {
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

// writeInto gives the new message nm m's properties, extra, the
// recipients recips and m's attachments.
func writeInto(ctx context.Context, l *logon, n *namer, nm mapispi.Message, m *Outbound, recips []mapispi.Row, extra []mapispi.PropValue) error {
	props := n.values(ctx, m.Props)
	for _, e := range extra {
		props = slices.DeleteFunc(props, func(p mapispi.PropValue) bool { return p.Tag.ID() == e.Tag.ID() })
	}
	props = append(props, extra...)
	if len(props) > 0 {
		if _, err := call(l, "IMessage::SetProps", func() ([]mapispi.PropProblem, error) { return nm.SetProps(ctx, props) }); err != nil {
			return err
		}
	}
	if len(recips) > 0 {
		rows := make([]mapispi.Row, 0, len(recips))
		for _, r := range recips {
			rows = append(rows, n.values(ctx, r))
		}
		if err := l.call("IMessage::ModifyRecipients", func() error { return nm.ModifyRecipients(ctx, mapispi.ModRecipAdd, rows) }); err != nil {
			return err
		}
	}
	for _, a := range m.Attachments {
		if err := writeAttach(ctx, l, n, nm, a); err != nil {
			return err
		}
	}
	return nil
}

func writeAttach(ctx context.Context, l *logon, n *namer, nm mapispi.Message, a OutboundAttachment) error {
	na, _, err := func() (mapispi.Attachment, int, error) {
		var na mapispi.Attachment
		var num int
		err := l.call("IMessage::CreateAttach", func() error {
			var err error
			na, num, err = nm.CreateAttach(ctx, 0)
			return err
		})
		return na, num, err
	}()
	if err != nil {
		return err
	}
	defer closeQuiet(ctx, l, "IAttach::Release", na)
	if props := n.values(ctx, a.Props); len(props) > 0 {
		if _, err := call(l, "IAttach::SetProps", func() ([]mapispi.PropProblem, error) { return na.SetProps(ctx, props) }); err != nil {
			return err
		}
	}
	if a.Message != nil {
		po, ok := na.(mapispi.PropertyOpener)
		if !ok {
			return mapispi.Errorf(mapispi.ErrNoSupport, l.svc.name, "an attachment without OpenProperty cannot hold an embedded message")
		}
		v, err := call(l, "IAttach::OpenProperty", func() (any, error) {
			return po.OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, mapispi.OpenModify|mapispi.OpenCreate)
		})
		if err != nil {
			return err
		}
		em, ok := v.(mapispi.Message)
		if !ok {
			return mapispi.Errorf(mapispi.ErrCallFailed, l.svc.name, "PR_ATTACH_DATA_OBJ opened as a %T, not a message", v)
		}
		err = writeInto(ctx, l, n, em, a.Message, a.Message.Recipients, nil)
		if err == nil {
			err = l.call("IMessage::SaveChanges", func() error { return em.SaveChanges(ctx, 0) })
		}
		closeQuiet(ctx, l, "IMessage::Release", em)
		if err != nil {
			return err
		}
	}
	return l.call("IAttach::SaveChanges", func() error { return na.SaveChanges(ctx, 0) })
}
