package msgfile

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

// Message is IMessage on a .msg file, as OpenIMsgOnIStg returns it: one
// instance of the file's message, or of a message embedded in one of its
// attachments. Its changes (properties, recipients, attachments) are its
// own until SaveChanges, which for the top-level message commits them to
// the file (and writes it, for a message opened with OpenFile or made
// with CreateFile) and for an embedded message to the attachment that
// holds it. Without mapispi.KeepOpenReadWrite the instance is read-only
// after SaveChanges. Every method is safe for concurrent use; after Close
// each returns ErrInvalidObject.
//
// It implements mapispi.Message, mapispi.NamedProps and
// mapispi.PropertyOpener.
type Message struct {
	f      *file
	parent *Attachment // the attachment instance an embedded message is saved into; nil at top level

	mu         sync.Mutex
	props      *mapiutil.PropData
	raw        []mapispi.PropValue // properties of types MAPI does not define, kept for the file
	recips     []mapispi.Row
	attachs    []*attachData
	nextRecip  uint32
	nextAttach uint32
	write      bool
	closed     bool
}

var (
	_ mapispi.Message        = (*Message)(nil)
	_ mapispi.NamedProps     = (*Message)(nil)
	_ mapispi.PropertyOpener = (*Message)(nil)
)

// newMessage returns an instance of d (which it copies), writable when
// write.
func newMessage(f *file, parent *Attachment, d *msgData, write bool) *Message {
	m := &Message{f: f, parent: parent, props: mapiutil.NewPropData(), write: write}
	m.load(d)
	return m
}

// A msgData or attachData that a file or an instance holds is never
// changed in place: a change makes a new slice or a new value, so
// instances and the file share their recipients and attachments rather
// than copying them at every layer (an attachment instance copies its
// own properties when it is opened).

// load makes d the instance's state: its properties copied into the
// instance's property object, its recipients and attachments shared.
func (m *Message) load(d *msgData) {
	m.props = mapiutil.NewPropData()
	var visible []mapispi.PropValue
	visible, m.raw = splitRaw(d.props)
	if len(visible) > 0 {
		_, _ = m.props.SetProps(context.Background(), visible)
	}
	m.recips, m.attachs = d.recips, d.attachs
	m.nextRecip, m.nextAttach = d.nextRecip, d.nextAttach
}

// data returns the instance's state as a new msgData (its properties
// copied out of the property object, its recipients and attachments
// shared).
func (m *Message) data() *msgData {
	props, _ := m.props.GetProps(context.Background(), nil)
	return &msgData{props: withRaw(props, m.raw), recips: m.recips, attachs: m.attachs, nextRecip: m.nextRecip, nextAttach: m.nextAttach}
}

// splitRaw returns the values of props MAPI can hold, and apart those of
// types it does not define, which the codec keeps as raw bytes so that a
// rewrite loses nothing but which no MAPI call shows.
func splitRaw(props []mapispi.PropValue) (visible, raw []mapispi.PropValue) {
	for _, p := range props {
		if _, ok := p.Value.(*rawValue); ok {
			raw = append(raw, p)
		} else {
			visible = append(visible, p)
		}
	}
	return visible, raw
}

// withRaw returns props and the raw values whose IDs props does not
// hold (a value set since replaces the raw one).
func withRaw(props, raw []mapispi.PropValue) []mapispi.PropValue {
	for _, r := range raw {
		if !slices.ContainsFunc(props, func(p mapispi.PropValue) bool { return p.Tag.ID() == r.Tag.ID() }) {
			props = append(props, r)
		}
	}
	return props
}

// visibleRows returns rows without their raw values, as tables show them.
func visibleRows(rows []mapispi.Row) []mapispi.Row {
	out := make([]mapispi.Row, len(rows))
	for i, r := range rows {
		out[i], _ = splitRaw(r)
	}
	return out
}

func errf(code mapispi.SCode, op, format string, args ...any) error {
	return mapispi.Errorf(code, "msgfile", op+": "+format, args...)
}

// check returns ErrInvalidObject after Close (m.mu held).
func (m *Message) check(op string) error {
	if m.closed {
		return errf(mapispi.ErrInvalidObject, op, "the message has been closed")
	}
	return nil
}

// checkWrite is check for a change.
func (m *Message) checkWrite(op string) error {
	if err := m.check(op); err != nil {
		return err
	}
	if !m.write {
		return errf(mapispi.ErrNoAccess, op, "the message is open read-only")
	}
	return nil
}

// ObjectType is PR_OBJECT_TYPE: MAPI_MESSAGE.
func (m *Message) ObjectType() mapispi.ObjectType { return mapispi.ObjMessage }

// Close is IUnknown::Release: the instance's unsaved changes go.
func (m *Message) Close(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("Release"); err != nil {
		return err
	}
	m.closed = true
	return nil
}

// GetProps is IMAPIProp::GetProps (see mapispi.Properties); every value
// comes whole, however large.
func (m *Message) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("GetProps"); err != nil {
		return nil, err
	}
	return m.props.GetProps(ctx, tags)
}

// GetPropList is IMAPIProp::GetPropList.
func (m *Message) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("GetPropList"); err != nil {
		return nil, err
	}
	return m.props.GetPropList(ctx)
}

// SetProps is IMAPIProp::SetProps. PT_OBJECT values are refused as
// problems (attachments hold embedded messages); a read-only instance is
// ErrNoAccess.
func (m *Message) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite("SetProps"); err != nil {
		return nil, err
	}
	return setProps(ctx, m.props, values, nil)
}

// setProps sets values in p, refusing PT_OBJECT values and those whose
// tag computed reports as problems.
func setProps(ctx context.Context, p *mapiutil.PropData, values []mapispi.PropValue, computed func(mapispi.PropTag) bool) ([]mapispi.PropProblem, error) {
	var problems []mapispi.PropProblem
	keep := make([]mapispi.PropValue, 0, len(values))
	idx := make([]int, 0, len(values))
	for i, v := range values {
		switch {
		case v.Tag.Type() == mapispi.PtObject:
			problems = append(problems, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrInvalidParameter})
		case computed != nil && computed(v.Tag):
			problems = append(problems, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrComputed})
		default:
			keep = append(keep, v)
			idx = append(idx, i)
		}
	}
	if len(values) == 0 {
		return p.SetProps(ctx, values) // its error for no values
	}
	if len(keep) > 0 {
		more, err := p.SetProps(ctx, keep)
		if err != nil {
			return nil, err
		}
		for _, pr := range more {
			pr.Index = idx[pr.Index]
			problems = append(problems, pr)
		}
	}
	slices.SortFunc(problems, func(a, b mapispi.PropProblem) int { return a.Index - b.Index })
	return problems, nil
}

// DeleteProps is IMAPIProp::DeleteProps.
func (m *Message) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite("DeleteProps"); err != nil {
		return nil, err
	}
	return m.props.DeleteProps(ctx, tags)
}

// SaveChanges is IMAPIProp::SaveChanges: the top-level message commits
// to the file (and writes it to its path, when it has one: into a new
// file beside it that then replaces it, so a failed write leaves the old
// file whole); an embedded message commits to its attachment instance,
// which its own SaveChanges commits to its message. On error nothing is
// committed and the instance keeps its changes.
func (m *Message) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	if err := flags.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite("SaveChanges"); err != nil {
		return err
	}
	d := m.data()
	if m.parent != nil {
		if err := m.parent.setEmbedded(d); err != nil {
			return err
		}
	} else if err := m.f.commit(ctx, d); err != nil {
		return err
	}
	if flags&mapispi.KeepOpenReadWrite == 0 {
		m.write = false
	}
	return nil
}

// recipientColumns are a recipient table's columns, as the "Recipient
// Tables" page requires them.
var recipientColumns = []mapispi.PropTag{
	mapispi.PropRowID, mapispi.PropDisplayName, mapispi.PropRecipientType, mapispi.PropAddrType,
	mapispi.PropEmailAddress, mapispi.PropEntryID, mapispi.PropInstanceKey,
}

// RecipientTable is IMessage::GetRecipientTable: a table of this
// instance's recipients as they are now, one row each with PR_ROWID.
func (m *Message) RecipientTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("GetRecipientTable"); err != nil {
		return nil, err
	}
	return snapshotTable(mapispi.PropRowID, recipientColumns, visibleRows(m.recips))
}

// snapshotTable returns a view of a table data holding rows (those with
// a value for index).
func snapshotTable(index mapispi.PropTag, cols []mapispi.PropTag, rows []mapispi.Row) (mapispi.Table, error) {
	td, err := mapiutil.NewTableData(index, cols)
	if err != nil {
		return nil, err
	}
	all := make([]mapispi.Row, 0, len(rows))
	for _, r := range rows {
		if _, ok := findProp(r, index); ok {
			all = append(all, r)
		}
	}
	if err := td.ModifyRows(all); err != nil {
		return nil, err
	}
	return td.View(nil)
}

func findProp(props []mapispi.PropValue, tag mapispi.PropTag) (mapispi.PropValue, bool) {
	for _, p := range props {
		if p.Tag.ID() == tag.ID() && p.Tag.Type() != mapispi.PtError {
			return p, true
		}
	}
	return mapispi.PropValue{}, false
}

// ModifyRecipients is IMessage::ModifyRecipients: with ModRecipAdd each
// row is a new recipient with a new PR_ROWID; with ModRecipModify the
// row replaces the recipient with its PR_ROWID; with ModRecipRemove the
// recipient with its PR_ROWID goes; with no flag the rows replace every
// recipient. A row to modify or remove without PR_ROWID is
// ErrInvalidParameter, one whose PR_ROWID names no recipient ErrNotFound;
// a value that does not match its tag's type is ErrBadValue. On error
// nothing changes.
func (m *Message) ModifyRecipients(ctx context.Context, flags mapispi.ModRecipFlags, rows []mapispi.Row) error {
	const op = "ModifyRecipients"
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite(op); err != nil {
		return err
	}
	for i, r := range rows {
		for _, p := range r {
			if p.Tag.Type() == mapispi.PtError || p.Tag == mapispi.PropNull {
				continue
			}
			if err := p.Check(); err != nil {
				return errf(mapispi.ErrBadValue, op, "row %d: %v", i, err)
			}
		}
	}
	recips := slices.Clone(m.recips)
	next := m.nextRecip
	clean := func(r mapispi.Row) mapispi.Row {
		out := make(mapispi.Row, 0, len(r)+1)
		for _, p := range r {
			if p.Tag.Type() != mapispi.PtError && p.Tag != mapispi.PropNull && p.Tag.ID() != mapispi.PropRowID.ID() && p.Tag != mapispi.PropInstanceKey {
				out = append(out, p.Clone())
			}
		}
		return out
	}
	add := func(r mapispi.Row) {
		recips = append(recips, append(mapispi.Row{{Tag: mapispi.PropRowID, Value: int32(next)}}, clean(r)...))
		next++
	}
	rowIndex := func(i int, r mapispi.Row) (int, error) {
		v, ok := findProp(r, mapispi.PropRowID)
		n, isInt := v.Value.(int32)
		if !ok || !isInt {
			return 0, errf(mapispi.ErrInvalidParameter, op, "row %d has no PR_ROWID", i)
		}
		j := slices.IndexFunc(recips, func(x mapispi.Row) bool { w, _ := findProp(x, mapispi.PropRowID); return w.Value == n })
		if j < 0 {
			return 0, errf(mapispi.ErrNotFound, op, "row %d: no recipient has PR_ROWID %d", i, n)
		}
		return j, nil
	}
	switch {
	case flags == 0:
		recips = recips[:0:0]
		for _, r := range rows {
			add(r)
		}
	case flags == mapispi.ModRecipAdd:
		for _, r := range rows {
			add(r)
		}
	case flags == mapispi.ModRecipModify:
		for i, r := range rows {
			j, err := rowIndex(i, r)
			if err != nil {
				return err
			}
			id := recips[j][0]
			recips[j] = append(mapispi.Row{id}, clean(r)...)
		}
	case flags == mapispi.ModRecipRemove:
		for i, r := range rows {
			j, err := rowIndex(i, r)
			if err != nil {
				return err
			}
			recips = slices.Delete(recips, j, j+1)
		}
	default:
		return errf(mapispi.ErrUnknownFlags, op, "flags 0x%X: want one of MODRECIP_ADD, MODRECIP_MODIFY, MODRECIP_REMOVE or none", uint32(flags))
	}
	m.recips, m.nextRecip = recips, next
	return nil
}

// attachmentColumns are an attachment table's columns, as the
// "Attachment Tables" page requires them.
var attachmentColumns = []mapispi.PropTag{
	mapispi.PropAttachNum, mapispi.PropInstanceKey, mapispi.PropRenderingPosition, mapispi.PropAttachMethod,
	mapispi.PropAttachFilename, mapispi.PropAttachLongFilename, mapispi.PropDisplayName,
}

// AttachmentTable is IMessage::GetAttachmentTable: a table of this
// instance's attachments as they are now, one row each with
// PR_ATTACH_NUM.
func (m *Message) AttachmentTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("GetAttachmentTable"); err != nil {
		return nil, err
	}
	rows := make([]mapispi.Row, 0, len(m.attachs))
	for _, a := range m.attachs {
		visible, _ := splitRaw(a.props)
		r := make(mapispi.Row, 0, len(visible))
		for _, p := range visible {
			if p.Tag.ID() != mapispi.PropAttachDataBin.ID() {
				r = append(r, p)
			}
		}
		rows = append(rows, r)
	}
	return snapshotTable(mapispi.PropAttachNum, attachmentColumns, rows)
}

// CreateAttach is IMessage::CreateAttach: a new attachment, read/write,
// and its number; it is part of the message once its SaveChanges runs.
func (m *Message) CreateAttach(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Attachment, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite("CreateAttach"); err != nil {
		return nil, 0, err
	}
	num := m.nextAttach
	m.nextAttach++
	a := &attachData{props: []mapispi.PropValue{{Tag: mapispi.PropAttachNum, Value: int32(num)}}}
	return newAttachment(m, a, true), int(num), nil
}

// OpenAttach is IMessage::OpenAttach: the attachment numbered num,
// read/write with OpenModify on a writable message. An unknown number is
// ErrNotFound.
func (m *Message) OpenAttach(ctx context.Context, num int, flags mapispi.OpenFlags) (mapispi.Attachment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("OpenAttach"); err != nil {
		return nil, err
	}
	a := m.attach(num)
	if a == nil {
		return nil, errf(mapispi.ErrNotFound, "OpenAttach", "no attachment numbered %d", num)
	}
	if flags&mapispi.OpenModify != 0 && !m.write {
		return nil, errf(mapispi.ErrNoAccess, "OpenAttach", "the message is open read-only")
	}
	return newAttachment(m, a, flags&mapispi.OpenModify != 0), nil
}

// attach returns the attachment numbered num (m.mu held).
func (m *Message) attach(num int) *attachData {
	for _, a := range m.attachs {
		if a.num() == num {
			return a
		}
	}
	return nil
}

// DeleteAttach is IMessage::DeleteAttach: the attachment goes when the
// message is saved. An unknown number is ErrNotFound.
func (m *Message) DeleteAttach(ctx context.Context, num int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite("DeleteAttach"); err != nil {
		return err
	}
	i := slices.IndexFunc(m.attachs, func(a *attachData) bool { return a.num() == num })
	if i < 0 {
		return errf(mapispi.ErrNotFound, "DeleteAttach", "no attachment numbered %d", num)
	}
	m.attachs = slices.Delete(slices.Clone(m.attachs), i, i+1)
	return nil
}

// putAttach puts a saved attachment instance's data (a new value, which
// it keeps) into the message instance, replacing the one with its
// number.
func (m *Message) putAttach(a *attachData) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.checkWrite("IAttach::SaveChanges"); err != nil {
		return err
	}
	attachs := slices.Clone(m.attachs)
	if i := slices.IndexFunc(attachs, func(x *attachData) bool { return x.num() == a.num() }); i >= 0 {
		attachs[i] = a
	} else {
		attachs = append(attachs, a)
	}
	m.attachs = attachs
	return nil
}

// SetReadFlag is IMessage::SetReadFlag: MSGFLAG_READ set (or cleared
// with ClearReadFlag) in PR_MESSAGE_FLAGS, and the message saved, kept
// open read/write.
func (m *Message) SetReadFlag(ctx context.Context, flags mapispi.ReadFlags) error {
	if err := flags.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	if err := m.checkWrite("SetReadFlag"); err != nil {
		m.mu.Unlock()
		return err
	}
	vals, _ := m.props.GetProps(ctx, []mapispi.PropTag{mapispi.PropMessageFlags})
	f, _ := vals[0].Value.(int32)
	switch {
	case flags&mapispi.GenerateReceiptOnly != 0:
	case flags&mapispi.ClearReadFlag != 0:
		f &^= int32(mapispi.MsgFlagRead)
	default:
		f |= int32(mapispi.MsgFlagRead)
	}
	_, _ = m.props.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropMessageFlags, Value: f}})
	m.mu.Unlock()
	return m.SaveChanges(ctx, mapispi.KeepOpenReadWrite)
}

// IDsFromNames is IMAPIProp::GetIDsFromNames on the file's name map,
// which every message of the file shares (see mapispi.NamedProps).
func (m *Message) IDsFromNames(ctx context.Context, names []mapispi.PropName, create bool) ([]uint16, error) {
	m.mu.Lock()
	closed := m.closed
	write := m.write
	m.mu.Unlock()
	if closed {
		return nil, errf(mapispi.ErrInvalidObject, "GetIDsFromNames", "the message has been closed")
	}
	if create && !write {
		return nil, errf(mapispi.ErrNoAccess, "GetIDsFromNames", "MAPI_CREATE on a message open read-only")
	}
	return m.f.ids(names, create)
}

// NamesFromIDs is IMAPIProp::GetNamesFromIDs on the file's name map.
func (m *Message) NamesFromIDs(ctx context.Context, ids []uint16, set *mapispi.UID) ([]mapispi.PropName, []uint16, error) {
	m.mu.Lock()
	closed := m.closed
	m.mu.Unlock()
	if closed {
		return nil, nil, errf(mapispi.ErrInvalidObject, "GetNamesFromIDs", "the message has been closed")
	}
	return m.f.names(ids, set)
}

// OpenProperty is IMAPIProp::OpenProperty (see mapispi.PropertyOpener):
// a Stream on a binary or string property, or the recipient table
// (PR_MESSAGE_RECIPIENTS) or attachment table (PR_MESSAGE_ATTACHMENTS).
func (m *Message) OpenProperty(ctx context.Context, tag mapispi.PropTag, iface mapispi.UID, flags mapispi.OpenFlags) (any, error) {
	switch {
	case iface == mapispi.IIDMAPITable && tag.ID() == mapispi.PropMessageRecipients.ID():
		return m.RecipientTable(ctx, 0)
	case iface == mapispi.IIDMAPITable && tag.ID() == mapispi.PropMessageAttachments.ID():
		return m.AttachmentTable(ctx, 0)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("OpenProperty"); err != nil {
		return nil, err
	}
	if flags&mapispi.OpenModify != 0 && !m.write {
		return nil, errf(mapispi.ErrNoAccess, "OpenProperty", "the message is open read-only")
	}
	return openStream(ctx, m.props, tag, iface, flags, m.codePage())
}

// codePage returns the code page of the message's PT_STRING8 values, as
// the codec reads and writes them: its own, else its parent message's,
// else Windows-1252.
func (m *Message) codePage() codepage.ID {
	fallback := codepage.Windows1252
	if m.parent != nil {
		fallback = m.parent.msg.codePage()
	}
	vals, _ := m.props.GetProps(context.Background(), []mapispi.PropTag{mapispi.PropMessageCodepage, mapispi.PropInternetCPID})
	return codePage(vals, fallback)
}

// String names the instance for messages and tests.
func (m *Message) String() string {
	if m.parent != nil {
		return fmt.Sprintf("msgfile.Message (embedded in attachment %d)", m.parent.num)
	}
	return "msgfile.Message"
}
