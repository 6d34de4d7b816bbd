package msprovider

import (
	"context"
	"slices"
	"sync"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var (
	_ mapispi.Message        = (*Message)(nil)
	_ mapispi.NamedProps     = (*Message)(nil)
	_ mapispi.PropertyOpener = (*Message)(nil)
	_ mapispi.Copier         = (*Message)(nil)
)

// MaxEmbedDepth is how deeply messages may nest in attachments: opening
// the embedded message of an attachment of a message that is itself
// embedded MaxEmbedDepth deep is ErrTooComplex.
const MaxEmbedDepth = 8

// Message is the Go form of this provider's IMessage object: one
// instance of a message, with its own unsaved changes to the message's
// properties, recipients and attachments, which SaveChanges commits all
// at once. Nothing an instance changes is visible to another instance,
// to a table or to a sink before then. SubmitMessage (mapispi.Submitter)
// saves the instance and queues the message for the spooler. A Message
// is safe for concurrent use.
//
// Memory: an instance takes a buffer from the provider's Allocator when
// it is made, and links one to it for each change (what a C provider
// allocates for the property arrays it keeps); Close frees them. So an
// allocation failure (mapi.Options.Faults) can stop any step, and the
// step then changes nothing.
type Message struct {
	handle
	mu     sync.Mutex
	folder ID // 0 for an embedded message
	id     ID // 0 until the first save, and for an embedded message
	assoc  bool
	change uint64 // the change number of the version the instance holds
	saved  bool   // the message exists in the store (or in its attachment)
	// props, recips and atts may be the stored message's own slices,
	// which nothing changes: every change makes new ones.
	props   []mapispi.PropValue
	recips  []mapispi.Row
	rowIDs  []int32 // each recipient's PR_ROWID; nil: its index
	nextRow int32
	atts    []AttachmentData // by Num
	listed  []AttachmentData // the attachments as of the last save (or the open): what the attachment table lists
	// base holds props, recips and atts as of the open or the last save:
	// the instance has unsaved changes when one of them is another slice.
	base struct {
		props  []mapispi.PropValue
		recips []mapispi.Row
		atts   []AttachmentData
	}
	nextAtt int
	parent  *Attachment // for an embedded message: the attachment that holds it
	depth   int         // how deeply embedded: 0 for a message of a folder
	mem     []byte      // the instance's Allocator root
	rtable  *mapiutil.TableData
	atable  *mapiutil.TableData
}

// alloc takes a root buffer for a new object from the provider's
// Allocator.
func (s *Store) allocRoot(op string, size int) ([]byte, error) {
	b, err := s.p.alloc.AllocateBuffer(size)
	if err != nil {
		return nil, allocErr(op, err)
	}
	return b, nil
}

func allocErr(op string, err error) error {
	return &mapispi.Error{Code: mapispi.ErrNotEnoughMemory, Component: "msprovider", Message: op + ": MAPIAllocateBuffer", Err: err}
}

// charge links size bytes to root: what a change of the object costs.
func (s *Store) charge(op string, root []byte, size int) error {
	if _, err := s.p.alloc.AllocateMore(size, root); err != nil {
		return allocErr(op, err)
	}
	return nil
}

// newMessage is CreateMessage's new instance.
func (s *Store) newMessage(ctx context.Context, folder ID, assoc bool) (*Message, error) {
	mem, err := s.allocRoot("CreateMessage", 64)
	if err != nil {
		return nil, err
	}
	flags := mapispi.MsgFlagUnsent
	if assoc {
		flags = mapispi.MsgFlagAssociated
	}
	m := &Message{
		folder: folder, assoc: assoc, mem: mem,
		props: []mapispi.PropValue{
			{Tag: mapispi.PropMessageFlags, Value: int32(flags)},
			{Tag: mapispi.PropSearchKey, Value: newSearchKey()},
			{Tag: mapispi.PropMessageCodepage, Value: int32(1252)},
		},
	}
	m.init(s, "message", true)
	return m, nil
}

// newSearchKey returns a new PR_SEARCH_KEY: 16 random bytes.
func newSearchKey() []byte {
	u := mapispi.NewUID()
	return u[:]
}

// openMessage returns an instance of saved message d. The instance
// takes its Allocator buffer with its first change.
func (s *Store) openMessage(d *MessageData, folder ID, write bool, parent *Attachment, depth int) (*Message, error) {
	m := &Message{
		folder: folder, id: d.ID, assoc: d.Associated, change: d.Change, saved: true,
		parent: parent, depth: depth,
		props: d.Props, recips: d.Recipients, atts: d.Attachments, listed: d.Attachments, nextRow: int32(len(d.Recipients)),
	}
	m.init(s, "message", write)
	m.synced()
	if parent != nil {
		m.up = &parent.handle
	}
	for _, a := range d.Attachments {
		m.nextAtt = max(m.nextAtt, a.Num+1)
	}
	return m, nil
}

// rowID returns the PR_ROWID of recipient i (m.mu held).
func (m *Message) rowID(i int) int32 {
	if m.rowIDs == nil {
		return int32(i)
	}
	return m.rowIDs[i]
}

// charge links size bytes to the instance's Allocator buffer, taking the
// buffer first if it has none (m.mu held): what a change costs.
func (m *Message) charge(op string, size int) error {
	if m.mem == nil {
		if m.closed.Load() {
			return mapispi.Errorf(mapispi.ErrInvalidObject, "msprovider", "%s: the message has been released", op)
		}
		mem, err := m.s.allocRoot(op, size)
		if err != nil {
			return err
		}
		m.mem = mem
		return nil
	}
	return m.s.charge(op, m.mem, size)
}

// setProp sets one property of the instance (m.mu held).
func (m *Message) setProp(v mapispi.PropValue) {
	m.props = setProp(slices.Clone(m.props), v)
}

// syncProp sets a property of the instance that the store has just
// changed on its own (the read state, the lock): no change of the
// instance's (m.mu held).
func (m *Message) syncProp(v mapispi.PropValue) {
	clean := !m.modified()
	m.setProp(v)
	if clean {
		m.synced()
	}
}

// modified reports whether the instance has changes it has not saved
// (m.mu held). Every change makes new slices (see Message).
func (m *Message) modified() bool {
	return !sameSlice(m.props, m.base.props) || !sameSlice(m.recips, m.base.recips) || !sameSlice(m.atts, m.base.atts)
}

// synced records that the instance holds what the store holds (m.mu
// held).
func (m *Message) synced() {
	m.base.props, m.base.recips, m.base.atts = m.props, m.recips, m.atts
}

// sameSlice reports whether a and b are one slice: the same elements of
// the same array.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// ObjectType returns ObjMessage.
func (m *Message) ObjectType() mapispi.ObjectType { return mapispi.ObjMessage }

// data returns the instance's state as a MessageData (m.mu held).
func (m *Message) data() *MessageData {
	return &MessageData{ID: m.id, Folder: m.folder, Associated: m.assoc, Change: m.change,
		Props: m.props, Recipients: m.recips, Attachments: m.atts}
}

// info returns what the computed properties of the instance are made
// from (m.mu held).
func (m *Message) info() msgInfo {
	id := m.id
	if !m.saved {
		id = 0
	}
	return msgInfo{e: m.e, id: id, folder: m.folder, write: m.write.Load(), wrapped: m.s.wrapped,
		d: MessageData{ID: m.id, Folder: m.folder, Associated: m.assoc, Change: m.change, Props: m.props, Recipients: m.recips, Attachments: m.atts}}
}

// all returns every property as GetProps shows it (m.mu held).
func (m *Message) all() []mapispi.PropValue {
	info := m.info()
	comp := info.computed()
	props := make([]mapispi.PropValue, 0, len(m.props)+len(comp))
	for _, v := range m.props {
		if findID(comp, v.Tag) < 0 {
			props = append(props, v)
		}
	}
	return append(props, comp...)
}

// GetProps is IMAPIProp::GetProps on this instance: its properties with
// its unsaved changes, and the computed ones. PR_ENTRYID exists once the
// message is saved. A string or binary value over 4 KiB is
// ErrNotEnoughMemory: read it with OpenProperty.
func (m *Message) GetProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropValue, error) {
	if err := m.check("GetProps"); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if tags == nil {
		return pick(m.all(), nil)
	}
	if len(tags) == 0 {
		return pick(nil, tags)
	}
	info := m.info()
	out := make([]mapispi.PropValue, len(tags))
	for i, t := range tags {
		if v, ok := info.value(t.ID()); ok {
			out[i] = pickFresh(v, t) // made for this call: no copy needed
		} else if j := findID(m.props, t); j >= 0 {
			out[i] = pickOne(m.props[j], t)
		} else {
			out[i] = mapispi.ErrorValue(t, mapispi.ErrNotFound)
		}
	}
	return out, nil
}

// GetPropList is IMAPIProp::GetPropList on this instance.
func (m *Message) GetPropList(ctx context.Context) ([]mapispi.PropTag, error) {
	if err := m.check("GetPropList"); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return tagsOf(m.all()), nil
}

// writableFlags are the PR_MESSAGE_FLAGS bits a client may set before
// the first save (PidTagMessageFlags page).
const writableFlags = mapispi.MsgFlagRead | mapispi.MsgFlagUnsent | mapispi.MsgFlagFromMe | mapispi.MsgFlagResend |
	mapispi.MsgFlagOriginX400 | mapispi.MsgFlagOriginInternet | mapispi.MsgFlagOriginMiscExt

// SetProps is IMAPIProp::SetProps on this instance. A computed property
// is an ErrComputed problem, and so is PR_MESSAGE_FLAGS once the message
// was saved (SetReadFlag changes the read state then); before, only the
// bits a client may set are taken.
func (m *Message) SetProps(ctx context.Context, values []mapispi.PropValue) ([]mapispi.PropProblem, error) {
	if err := m.checkWrite("SetProps"); err != nil {
		return nil, err
	}
	if err := checkValues("SetProps", values); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.charge("SetProps", 16*len(values)); err != nil {
		return nil, err
	}
	computed := computedMessage
	var probs []mapispi.PropProblem
	rest := values
	if i := findID(values, mapispi.PropMessageFlags); i >= 0 {
		rest = slices.Delete(slices.Clone(values), i, i+1)
		v := values[i]
		switch n, ok := v.Value.(int32); {
		case v.Tag.Type() == mapispi.PtError || v.Tag.Type() == mapispi.PtNull:
		case m.saved || !ok:
			probs = append(probs, mapispi.PropProblem{Index: i, Tag: v.Tag, Code: mapispi.ErrComputed})
		default:
			old, _ := propInt(m.props, mapispi.PropMessageFlags)
			f := mapispi.MessageFlags(old)&^writableFlags | mapispi.MessageFlags(n)&writableFlags
			m.setProp(mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(f)})
		}
	}
	props, more := applySet(m.props, rest, computed)
	m.props = props
	for _, p := range more {
		p.Index = indexOf(values, rest, p.Index)
		probs = append(probs, p)
	}
	slices.SortFunc(probs, func(a, b mapispi.PropProblem) int { return a.Index - b.Index })
	return probs, nil
}

// indexOf maps index i of rest, a subsequence of values, to values.
func indexOf(values, rest []mapispi.PropValue, i int) int {
	if len(values) == len(rest) {
		return i
	}
	if j := findID(values, mapispi.PropMessageFlags); j >= 0 && i >= j {
		return i + 1
	}
	return i
}

// DeleteProps is IMAPIProp::DeleteProps on this instance. Computed
// properties and PR_MESSAGE_FLAGS are ErrComputed problems.
func (m *Message) DeleteProps(ctx context.Context, tags []mapispi.PropTag) ([]mapispi.PropProblem, error) {
	if err := m.checkWrite("DeleteProps"); err != nil {
		return nil, err
	}
	if err := checkTags("DeleteProps", tags); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.charge("DeleteProps", 4*len(tags)); err != nil {
		return nil, err
	}
	computed := tagSet(mapispi.PropMessageFlags)
	for id := range computedMessage {
		computed[id] = true
	}
	props, probs := applyDelete(m.props, tags, computed)
	m.props = props
	return probs, nil
}

// Close releases the instance: its unsaved changes go, and its memory.
func (m *Message) Close(ctx context.Context) error {
	if err := m.release(); err != nil {
		return err
	}
	m.mu.Lock()
	mem := m.mem
	m.mem = nil
	m.mu.Unlock()
	if mem != nil {
		_ = m.s.p.alloc.FreeBuffer(mem)
	}
	return nil
}

// SaveChanges is IMAPIProp::SaveChanges on the message: its properties,
// recipients and saved attachments are committed at once. For a message
// of a folder, a save over a newer save of the same message is
// ErrObjectChanged unless ForceSave, a save of a message deleted (or
// moved) meanwhile, or of one whose folder is gone, ErrObjectDeleted;
// on any error the stored message is as it was and the instance keeps
// its changes. A message in the outgoing queue is the spooler's: a
// client's save of it is ErrSubmitted, FORCE_SAVE or not (an instance
// opened before the submission); the spooler's logon saves it, unless
// another spooler logon holds its lock (ErrBusy). An embedded message's
// save makes it part of its attachment, which the attachment's and the
// message's saves commit.
func (m *Message) SaveChanges(ctx context.Context, flags mapispi.SaveFlags) error {
	if err := m.check("SaveChanges"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	if !m.write.Load() {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "SaveChanges: the message was opened read-only")
	}
	defer m.e.deliver(ctx) // after the unlock below: see changeQuiet
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.charge("SaveChanges", 64); err != nil {
		return err
	}
	if m.parent != nil {
		if err := m.parent.setEmbedded(m.data()); err != nil {
			return err
		}
		m.saved = true
		m.relist()
	} else {
		var nd *MessageData
		err := m.e.changeQuiet(ctx, func() (err error) {
			nd, err = m.e.saveMessage(ctx, m.data(), !m.saved, saveOpts{force: flags&mapispi.ForceSave != 0, by: m.s})
			return err
		})
		if err != nil {
			return err
		}
		// The instance keeps its recipients' PR_ROWIDs and its attachments:
		// they are what was saved.
		m.id, m.change, m.saved = nd.ID, nd.Change, true
		m.props = nd.Props
		m.relist()
		m.synced()
	}
	if flags&mapispi.KeepOpenReadWrite == 0 {
		m.write.Store(false)
	}
	return nil
}

// saveOpts are the options of saveMessage.
type saveOpts struct {
	force  bool   // FORCE_SAVE
	by     *Store // the logon saving: a client's may not save a queued message
	submit bool   // SubmitMessage: queue the message with the save
}

// saveMessage commits d, a message instance's state, for SaveChanges
// or SubmitMessage (e.mu held), and returns what was stored. first says
// the message was never saved.
//
// The store owns the submission state of a saved message
// (MSGFLAG_SUBMIT, PR_SUBMIT_FLAGS): a save keeps the stored one. A
// client's save of a queued message is ErrSubmitted, as its OpenModify
// is: only the spooler changes a message it is sending (and while one
// spooler logon holds the lock, another's save is ErrBusy).
func (e *engine) saveMessage(ctx context.Context, d *MessageData, first bool, o saveOpts) (*MessageData, error) {
	force := o.force
	f, err := e.folder(ctx, d.Folder)
	if err != nil {
		return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "SaveChanges: the message's folder has been deleted")
	}
	if err := e.loadMsgs(ctx, f); err != nil {
		return nil, err
	}
	nd := *d
	nd.Props = slices.Clone(d.Props)
	t := now()
	flags := messageFlags(d)
	if first {
		id, err := e.newIDs(1)
		if err != nil {
			return nil, err
		}
		nd.ID = id
		nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropCreationTime, Value: t})
		flags |= mapispi.MsgFlagUnmodified
	} else {
		m := e.msgs[d.ID]
		if m == nil || m.folder != d.Folder {
			return nil, mapispi.Errorf(mapispi.ErrObjectDeleted, "msprovider", "SaveChanges: the message has been deleted or moved")
		}
		if m.queued {
			switch holder := e.locks[d.ID]; {
			case o.by == nil || !o.by.spooler:
				return nil, mapispi.Errorf(mapispi.ErrSubmitted, "msprovider", "SaveChanges: the message is in the outgoing queue; AbortSubmit takes it out")
			case o.submit:
				return nil, mapispi.Errorf(mapispi.ErrSubmitted, "msprovider", "SubmitMessage: the message is in the outgoing queue already")
			case holder != nil && holder != o.by:
				return nil, mapispi.Errorf(mapispi.ErrBusy, "msprovider", "SaveChanges: another spooler logon has locked the message")
			}
		}
		if m.change != d.Change && !force {
			return nil, mapispi.Errorf(mapispi.ErrObjectChanged, "msprovider", "SaveChanges: the message was saved by someone else since this instance opened it; FORCE_SAVE overwrites that")
		}
		cur, err := e.st.Message(ctx, d.ID)
		if err != nil {
			return nil, storageErr("Message", err)
		}
		// The store owns the read state, PR_MSG_STATUS and the
		// submission state once the message exists (SetReadFlag(s),
		// SetMessageStatus, SubmitMessage and the spooler's calls).
		owned := mapispi.MsgFlagRead | mapispi.MsgFlagSubmit
		flags = flags&^(owned|mapispi.MsgFlagUnmodified) | messageFlags(cur)&owned
		nd.Props = slices.DeleteFunc(nd.Props, func(v mapispi.PropValue) bool {
			return v.Tag.ID() == mapispi.PropMsgStatus.ID() || v.Tag.ID() == mapispi.PropSubmitFlags.ID()
		})
		for _, tag := range []mapispi.PropTag{mapispi.PropMsgStatus, mapispi.PropSubmitFlags} {
			if i := findID(cur.Props, tag); i >= 0 {
				nd.Props = append(nd.Props, cur.Props[i])
			}
		}
		if i := findID(cur.Props, mapispi.PropCreationTime); i >= 0 {
			nd.Props = setProp(nd.Props, cur.Props[i])
		}
	}
	if d.Associated {
		flags |= mapispi.MsgFlagAssociated
	}
	if o.submit {
		flags = e.submitState(&nd, t, flags)
	}
	if len(d.Attachments) > 0 {
		flags |= mapispi.MsgFlagHasAttach
	} else {
		flags &^= mapispi.MsgFlagHasAttach
	}
	nd.Change = e.nextChange()
	k := e.changeKey(nd.Change)
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(flags)})
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropLastModificationTime, Value: t})
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropChangeKey, Value: k})
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropPredecessorChangeList, Value: predecessors(k)})
	if c, ok := propString(nd.Props, mapispi.PropMessageClass); !ok || c == "" {
		nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropMessageClass, Value: "IPM"})
	}
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropMessageSize, Value: int32(min(messageSize(&nd), 1<<31-1))})
	if err := e.commit(ctx, &Commit{Messages: []*MessageData{&nd}}); err != nil {
		if first {
			e.next-- // the ID was not used; it may be given again
		}
		return nil, err
	}
	ev := mapispi.EventObjectModified
	if first {
		ev = mapispi.EventObjectCreated
	}
	if o.submit {
		e.lastSubmit = clientSubmitTime(&nd)
	}
	before := [3]int{f.count, f.unread, f.assoc}
	e.messageSaved(f, &nd, ev, nil)
	if before != [3]int{f.count, f.unread, f.assoc} {
		e.folderRowChanged(ctx, f)
		e.folderModified(f, mapispi.PropContentCount, mapispi.PropContentUnread, mapispi.PropAssocContentCount)
	}
	return &nd, nil
}

// SetReadFlag is IMessage::SetReadFlag: the read state of a saved message
// changes in the store at once (without the instance's other changes);
// an unsaved message's changes with its first save.
func (m *Message) SetReadFlag(ctx context.Context, flags mapispi.ReadFlags) error {
	if err := m.check("SetReadFlag"); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	defer m.e.deliver(ctx) // after the unlock below: see changeQuiet
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.assoc {
		return nil // associated messages have no read state
	}
	if !m.saved || m.parent != nil {
		old, _ := propInt(m.props, mapispi.PropMessageFlags)
		n, _ := readState(mapispi.MessageFlags(old), flags)
		m.setProp(mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(n)})
		return nil
	}
	if m.e.readOnly() || !m.s.write {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "SetReadFlag: the store was opened read-only")
	}
	var nd *MessageData
	err := m.e.changeQuiet(ctx, func() error {
		if _, err := m.e.setReadFlags(ctx, m.folder, []ID{m.id}, flags); err != nil {
			return err
		}
		var err error
		nd, err = m.e.st.Message(ctx, m.id)
		return err
	})
	if err != nil {
		return err
	}
	m.syncProp(nd.Props[findID(nd.Props, mapispi.PropMessageFlags)])
	return nil
}
