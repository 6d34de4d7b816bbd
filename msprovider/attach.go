package msprovider

import (
	"context"
	"encoding/binary"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var (
	_ mapispi.Attachment     = (*Attachment)(nil)
	_ mapispi.NamedProps     = (*Attachment)(nil)
	_ mapispi.PropertyOpener = (*Attachment)(nil)
	_ mapispi.Copier         = (*Attachment)(nil)
)

// Attachment is the Go form of this provider's IAttach object: one
// instance of an attachment of a message instance. Its SaveChanges makes
// its changes part of the message instance's, which the message's
// SaveChanges commits. An Attachment is safe for concurrent use.
type Attachment struct {
	handle
	mu       sync.Mutex
	msg      *Message
	num      int
	props    []mapispi.PropValue
	embedded *MessageData // the embedded message, as its last SaveChanges left it
	mem      []byte
}

// attachColumns are an attachment table's columns, the required ones of
// the "Attachment Tables" page first.
var attachColumns = []mapispi.PropTag{
	mapispi.PropAttachNum, mapispi.PropInstanceKey, mapispi.PropRecordKey, mapispi.PropRenderingPosition,
	mapispi.PropAttachMethod, mapispi.PropAttachFilename, mapispi.PropAttachLongFilename, mapispi.PropAttachSize,
	mapispi.PropAttachMIMETag, mapispi.PropDisplayName,
}

// attachRow returns a's row in an attachment table.
func attachRow(a *AttachmentData) mapispi.Row {
	row := make(mapispi.Row, 0, len(a.Props)+3)
	for _, v := range a.Props {
		row = append(row, columnValue(v))
	}
	row = append(row,
		mapispi.PropValue{Tag: mapispi.PropAttachNum, Value: int32(a.Num)},
		mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: binary.BigEndian.AppendUint32(nil, uint32(a.Num))},
		mapispi.PropValue{Tag: mapispi.PropAttachSize, Value: int32(min(attachSize(a), 1<<31-1))},
	)
	if findID(row, mapispi.PropRenderingPosition) < 0 {
		row = append(row, mapispi.PropValue{Tag: mapispi.PropRenderingPosition, Value: int32(-1)})
	}
	return row
}

// attachComputed returns the properties the store computes for a.
func attachComputed(a *AttachmentData, write bool) []mapispi.PropValue {
	access, level := mapispi.AccessRead, mapispi.AccessLevelReadOnly
	if write {
		access, level = access|mapispi.AccessModify|mapispi.AccessDelete, mapispi.AccessLevelModify
	}
	return []mapispi.PropValue{
		{Tag: mapispi.PropAttachNum, Value: int32(a.Num)},
		{Tag: mapispi.PropAttachSize, Value: int32(min(attachSize(a), 1<<31-1))},
		{Tag: mapispi.PropObjectType, Value: int32(mapispi.ObjAttach)},
		{Tag: mapispi.PropAccess, Value: int32(access)},
		{Tag: mapispi.PropAccessLevel, Value: int32(level)},
	}
}

// AttachmentTable is IMessage::GetAttachmentTable: a table of the
// message's attachments as of this instance's last SaveChanges (or its
// open: "Only attachments that have been saved through a call to the
// message's SaveChanges are included", the "Attachment Tables" page), in
// PR_RENDERING_POSITION order (as a signed number, so -1, not rendered,
// comes first), then by PR_ATTACH_NUM, until SortTable. It follows the
// instance's later saves. It has no bookmarks: CreateBookmark is
// ErrNoSupport.
func (m *Message) AttachmentTable(ctx context.Context, flags mapispi.TableFlags) (mapispi.Table, error) {
	if err := m.check("GetAttachmentTable"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	if flags&(mapispi.TableAssociated|mapispi.TableConvenientDepth) != 0 {
		return nil, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "GetAttachmentTable: %v", flags)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.atable == nil {
		td, err := mapiutil.NewTableData(mapispi.PropInstanceKey, attachColumns)
		if err != nil {
			return nil, err
		}
		rows := make([]mapispi.Row, len(m.listed))
		for i := range m.listed {
			rows[i] = attachRow(&m.listed[i])
		}
		if len(rows) > 0 {
			if err := td.ModifyRows(rows); err != nil {
				return nil, err
			}
		}
		m.atable = td
	}
	v, err := m.s.newView(m.atable, nil)
	if err != nil {
		return nil, err
	}
	v.noBookmarks = true
	if err := v.View.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{
		{Tag: mapispi.PropRenderingPosition, Order: mapispi.SortAscend},
		{Tag: mapispi.PropAttachNum, Order: mapispi.SortAscend},
	}}); err != nil {
		_ = v.Close(ctx)
		return nil, err
	}
	return v, nil
}

// attachIndex returns the index of attachment num in m.atts, or -1.
func (m *Message) attachIndex(num int) int {
	return slices.IndexFunc(m.atts, func(a AttachmentData) bool { return a.Num == num })
}

// CreateAttach is IMessage::CreateAttach: a new attachment, read/write,
// numbered after every attachment the instance has had. It becomes part
// of the message with its own SaveChanges and the message's.
func (m *Message) CreateAttach(ctx context.Context, flags mapispi.OpenFlags) (mapispi.Attachment, int, error) {
	if err := m.checkWrite("CreateAttach"); err != nil {
		return nil, 0, err
	}
	if err := flags.Check(); err != nil {
		return nil, 0, err
	}
	mem, err := m.s.allocRoot("CreateAttach", 32)
	if err != nil {
		return nil, 0, err
	}
	m.mu.Lock()
	num := m.nextAtt
	m.nextAtt++
	m.mu.Unlock()
	a := &Attachment{msg: m, num: num, mem: mem,
		props: []mapispi.PropValue{{Tag: mapispi.PropRecordKey, Value: newSearchKey()}}}
	a.init(m.s, "attachment", true)
	a.up = &m.handle
	return a, num, nil
}

// OpenAttach is IMessage::OpenAttach: the attachment numbered num, as
// the instance last saved it (its unsaved changes are in its own
// instance), read-only unless flags has OpenModify (or OpenBestAccess on
// a writable message). An unknown number is ErrNotFound.
func (m *Message) OpenAttach(ctx context.Context, num int, flags mapispi.OpenFlags) (mapispi.Attachment, error) {
	if err := m.check("OpenAttach"); err != nil {
		return nil, err
	}
	if err := flags.Check(); err != nil {
		return nil, err
	}
	write := flags&mapispi.OpenModify != 0
	if write && !m.write.Load() {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenAttach: MAPI_MODIFY on a message opened read-only")
	}
	if flags&mapispi.OpenBestAccess != 0 {
		write = m.write.Load()
	}
	m.mu.Lock()
	i := m.attachIndex(num)
	var d AttachmentData
	if i >= 0 {
		d = m.atts[i]
	}
	m.mu.Unlock()
	if i < 0 {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenAttach: the message has no attachment %d", num)
	}
	mem, err := m.s.allocRoot("OpenAttach", 32)
	if err != nil {
		return nil, err
	}
	a := &Attachment{msg: m, num: num, mem: mem, props: slices.Clone(d.Props), embedded: d.Embedded}
	a.init(m.s, "attachment", write)
	a.up = &m.handle
	return a, nil
}

// DeleteAttach is IMessage::DeleteAttach: the attachment goes from the
// instance, and from the store when the message is saved.
func (m *Message) DeleteAttach(ctx context.Context, num int) error {
	if err := m.checkWrite("DeleteAttach"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.attachIndex(num)
	if i < 0 {
		return mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "DeleteAttach: the message has no attachment %d", num)
	}
	if err := m.charge("DeleteAttach", 16); err != nil {
		return err
	}
	m.atts = slices.Delete(slices.Clone(m.atts), i, i+1)
	return nil
}

// putAttach stores d as the instance's attachment d.Num (m.mu held).
func (m *Message) putAttach(d *AttachmentData) {
	if i := m.attachIndex(d.Num); i >= 0 {
		m.atts = slices.Clone(m.atts)
		m.atts[i] = *d
	} else {
		m.atts = append(slices.Clone(m.atts), *d)
		slices.SortFunc(m.atts, func(a, b AttachmentData) int { return a.Num - b.Num })
	}
}

// relist makes the saved attachments the listed ones, and brings an open
// attachment table up to date (m.mu held).
func (m *Message) relist() {
	old := m.listed
	m.listed = m.atts
	if m.atable == nil {
		return
	}
	for _, a := range old {
		if m.attachIndex(a.Num) < 0 {
			_ = m.atable.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: binary.BigEndian.AppendUint32(nil, uint32(a.Num))})
		}
	}
	rows := make([]mapispi.Row, len(m.atts))
	for i := range m.atts {
		rows[i] = attachRow(&m.atts[i])
	}
	if len(rows) > 0 {
		_ = m.atable.ModifyRows(rows)
	}
}

// ObjectType returns ObjAttach.
func (a *Attachment) ObjectType() mapispi.ObjectType { return mapispi.ObjAttach }

// data returns the attachment's state (a.mu held).
func (a *Attachment) data() *AttachmentData {
	return &AttachmentData{Num: a.num, Props: a.props, Embedded: a.embedded}
}

func (a *Attachment) all() []mapispi.PropValue {
	d := a.data()
	comp := attachComputed(d, a.write.Load())
	props := make([]mapispi.PropValue, 0, len(a.props)+len(comp))
	for _, v := range a.props {
		if findID(comp, v.Tag) < 0 {
			props = append(props, v)
		}
	}
	props = append(props, comp...)
	if d.Embedded != nil {
		props = append(props, mapispi.PropValue{Tag: mapispi.PropAttachDataObj, Value: nil})
	}
	return props
}

// GetProps is IMAPIProp::GetProps on the attachment. PR_ATTACH_DATA_BIN
// over 4 KiB is ErrNotEnoughMemory: read it with OpenProperty. An
// embedded message (PR_ATTACH_DATA_OBJ) is opened, not read.
func (a *Attachment) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := a.check("GetProps"); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return pick(a.all(), tags)
}

// GetPropList is IMAPIProp::GetPropList on the attachment.
func (a *Attachment) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := a.check("GetPropList"); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return tagsOf(a.all()), nil
}

// SetProps is IMAPIProp::SetProps on the attachment instance. Computed
// properties are ErrComputed problems.
func (a *Attachment) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := a.checkWrite("SetProps"); err != nil {
		return nil, err
	}
	if err := checkValues("SetProps", values); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.s.charge("SetProps", a.mem, 16*len(values)); err != nil {
		return nil, err
	}
	props, probs := applySet(a.props, values, computedAttach)
	a.props = props
	return probs, nil
}

// DeleteProps is IMAPIProp::DeleteProps on the attachment instance.
func (a *Attachment) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := a.checkWrite("DeleteProps"); err != nil {
		return nil, err
	}
	if err := checkTags("DeleteProps", tags); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.s.charge("DeleteProps", a.mem, 4*len(tags)); err != nil {
		return nil, err
	}
	props, probs := applyDelete(a.props, tags, computedAttach)
	a.props = props
	if slices.ContainsFunc(tags, func(t mapispi.PropTag) bool { return t.ID() == mapispi.PropAttachDataObj.ID() }) {
		a.embedded = nil
	}
	return probs, nil
}

// SaveChanges is IMAPIProp::SaveChanges on the attachment: its state
// becomes the message instance's attachment, saved with the message.
func (a *Attachment) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	if err := a.check("SaveChanges"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	if !a.write.Load() {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "SaveChanges: the attachment was opened read-only")
	}
	if err := a.msg.check("SaveChanges (its message)"); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.s.charge("SaveChanges", a.mem, 32); err != nil {
		return err
	}
	d := a.data()
	d.Props = slices.Clone(d.Props)
	a.msg.mu.Lock()
	a.msg.putAttach(d)
	a.msg.mu.Unlock()
	if flags&mapispi.KeepOpenReadWrite == 0 {
		a.write.Store(false)
	}
	return nil
}

// setEmbedded stores d as the attachment's embedded message, for the
// embedded message's SaveChanges.
func (a *Attachment) setEmbedded(d *MessageData) error {
	if err := a.check("SaveChanges (the embedded message's attachment)"); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	nd := *d
	nd.Props = slices.Clone(d.Props)
	a.embedded = &nd
	if _, ok := propInt(a.props, mapispi.PropAttachMethod); !ok {
		a.props = setProp(slices.Clone(a.props), mapispi.PropValue{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachEmbeddedMsg)})
	}
	return nil
}

// Close releases the attachment instance; its unsaved changes go.
func (a *Attachment) Close(ctx context.Context) error {
	if err := a.release(); err != nil {
		return err
	}
	a.mu.Lock()
	mem := a.mem
	a.mem = nil
	a.mu.Unlock()
	if mem != nil {
		_ = a.s.p.alloc.FreeBuffer(mem)
	}
	return nil
}

// openEmbedded opens the attachment's embedded message, making an empty
// one with OpenCreate, for OpenProperty(PR_ATTACH_DATA_OBJ, IIDMessage).
func (a *Attachment) openEmbedded(ctx context.Context, flags mapispi.OpenFlags) (*Message, error) {
	write := flags&mapispi.OpenModify != 0
	if write && !a.write.Load() {
		return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenProperty: MAPI_MODIFY on an attachment opened read-only")
	}
	if a.msg.depth+1 > MaxEmbedDepth {
		return nil, mapispi.Errorf(mapispi.ErrTooComplex, "msprovider", "OpenProperty: messages nest at most %d deep", MaxEmbedDepth)
	}
	a.mu.Lock()
	d := a.embedded
	if flags&mapispi.OpenCreate != 0 {
		if !write {
			a.mu.Unlock()
			return nil, mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "OpenProperty: MAPI_CREATE needs MAPI_MODIFY")
		}
		d = &MessageData{Props: []mapispi.PropValue{{Tag: mapispi.PropMessageFlags, Value: int32(mapispi.MsgFlagUnsent)}}}
	}
	a.mu.Unlock()
	if d == nil {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "msprovider", "OpenProperty: the attachment has no embedded message")
	}
	m, err := a.s.openMessage(d, 0, write, a, a.msg.depth+1)
	if err != nil {
		return nil, err
	}
	m.saved = flags&mapispi.OpenCreate == 0
	return m, nil
}
