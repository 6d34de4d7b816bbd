package msprovider

import (
	"context"
	"slices"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var _ mapispi.SpoolerStore = (*Store)(nil)

// queueColumns are the outgoing queue's default columns: the ones the
// IMsgStore::GetOutgoingQueue page requires, and PR_INSTANCE_KEY, which
// every table of the store has.
var queueColumns = []mapispi.PropTag{
	mapispi.PropClientSubmitTime, mapispi.PropDisplayBCC, mapispi.PropDisplayCC, mapispi.PropDisplayTo,
	mapispi.PropEntryID, mapispi.PropMessageFlags, mapispi.PropMessageSize, mapispi.PropPriority,
	mapispi.PropSenderName, mapispi.PropSubject, mapispi.PropSubmitFlags, mapispi.PropInstanceKey,
}

// spoolerOnly is check, and ErrNoSupport on a client's store: the
// IMsgStore::GetOutgoingQueue, SetLockState, FinishedMsg and
// NotifyNewMail pages reserve those methods to the spooler.
func (s *Store) spoolerOnly(op string) error {
	if err := s.check(op); err != nil {
		return err
	}
	if !s.spooler {
		return mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "%s: only the spooler's logon of the store has it", op)
	}
	return nil
}

// messageRef returns what id names, which must be a message of the
// store: another store's ID is ErrUnknownEntryID, a malformed one or a
// folder's ErrInvalidEntryID, as OpenEntry answers.
func (s *Store) messageRef(op string, id mapispi.EntryID) (objectRef, error) {
	if len(id) == 0 {
		return objectRef{}, mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: no entry ID", op)
	}
	if err := s.owns(op, id); err != nil {
		return objectRef{}, err
	}
	if s.isStoreID(id) {
		return objectRef{}, mapispi.Errorf(mapispi.ErrInvalidEntryID, "msprovider", "%s: %v is the store's entry ID, not a message's", op, id)
	}
	ref, err := parseObjectID(s.data.uid, id)
	if err != nil {
		return objectRef{}, err
	}
	if ref.typ != mapispi.ObjMessage {
		return objectRef{}, mapispi.Errorf(mapispi.ErrInvalidEntryID, "msprovider", "%s: %v is a folder's entry ID, not a message's", op, id)
	}
	return ref, nil
}

// OutgoingQueue is IMsgStore::GetOutgoingQueue, the spooler's (a
// client's store answers ErrNoSupport): a table of every queued message
// of the store, in any folder, sorted by ascending
// PR_CLIENT_SUBMIT_TIME (the order of the SubmitMessage calls), whose
// default columns are the twelve the page requires with
// PR_INSTANCE_KEY. Its views get TABLE_ROW_ADDED at SubmitMessage,
// TABLE_ROW_DELETED at FinishedMsg and AbortSubmit and TABLE_ROW_MODIFIED
// when a lock changes; they close at the logon's logoff.
func (s *Store) OutgoingQueue(ctx context.Context) (mapispi.Table, error) {
	if err := s.spoolerOnly("GetOutgoingQueue"); err != nil {
		return nil, err
	}
	e := s.data.eng
	if err := e.begin(ctx); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	if err := e.loadOutgoing(ctx); err != nil {
		return nil, err
	}
	t := e.qtable
	if t == nil {
		td, err := mapiutil.NewTableData(mapispi.PropInstanceKey, queueColumns)
		if err != nil {
			return nil, err
		}
		msgs, err := e.queuedInOrder(ctx)
		if err != nil {
			return nil, err
		}
		if len(msgs) > 0 {
			rows := make([]mapispi.Row, len(msgs))
			for i, d := range msgs {
				rows[i] = e.contentsRow(d)
			}
			if err := td.ModifyRows(rows); err != nil {
				return nil, err
			}
		}
		t = &folderTable{td: td, views: map[*tableView]struct{}{}}
	}
	v, err := s.newView(t.td, queueColumns)
	if err == nil {
		if err = v.View.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropClientSubmitTime, Order: mapispi.SortAscend}}}); err != nil {
			_ = v.View.Close(ctx)
			s.untrack(v)
		}
	}
	if err != nil {
		return nil, err
	}
	v.e, v.queue = e, true
	t.views[v] = struct{}{}
	e.qtable = t
	return v, nil
}

// SetLockState is IMsgStore::SetLockState, the spooler's (a client's
// store answers ErrNoSupport). msg must be a message opened through this
// logon (else ErrInvalidParameter) that is queued (else ErrNotInQueue).
// Its unsaved changes are saved first (when it was opened read/write),
// then MsgLocked sets SUBMITFLAG_LOCKED in PR_SUBMIT_FLAGS and MsgUnlocked
// clears it. Neither is a change of the message: an instance another
// spooler opened before stays current. MsgLocked of an instance older
// than the message's last save is ErrObjectChanged (open it again), a
// message another spooler logon has locked is ErrBusy, and other states
// are ErrInvalidParameter. While locked, AbortSubmit is
// ErrUnableToAbort and a client's OpenEntry ErrNoAccess. A lock is the
// store's own, shared by every provider object over the Backend; it ends
// with the logon that took it (Close or Logoff), not stored.
func (s *Store) SetLockState(ctx context.Context, msg mapispi.Object, state mapispi.LockState) error {
	const op = "SetLockState"
	if err := s.spoolerOnly(op); err != nil {
		return err
	}
	if state != mapispi.MsgLocked && state != mapispi.MsgUnlocked {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: lock state %d is neither MSG_LOCKED nor MSG_UNLOCKED", op, state)
	}
	m, ok := msg.(*Message)
	if !ok || m == nil || m.s != s || m.parent != nil {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: %T is not a message opened through this logon", op, msg)
	}
	if err := m.check(op); err != nil {
		return err
	}
	defer m.e.deliver(ctx) // after the unlock below: see changeQuiet
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.saved {
		return errNotInQueue(op)
	}
	e := m.e
	return e.changeQuiet(ctx, func() error {
		if s.released() {
			return errLoggedOff(op) // its locks are being released
		}
		if err := e.loadOutgoing(ctx); err != nil {
			return err
		}
		if _, queued := e.outgoing[m.id]; !queued {
			return errNotInQueue(op)
		}
		holder := e.locks[m.id]
		if holder != nil && holder != s {
			return mapispi.Errorf(mapispi.ErrBusy, "msprovider", "%s: another spooler logon has locked the message", op)
		}
		// The instance's changes are saved with the lock (IMsgStore::
		// SetLockState, "Notes to implementers"): an instance without
		// changes saves nothing, so a lock is no change of the message,
		// and another spooler's instance opened before it stays current.
		// A lock of one older than a save since is ErrObjectChanged,
		// changes or not: what it holds is not what the spooler would be
		// sending.
		locked := state == mapispi.MsgLocked
		if m.write.Load() && m.modified() {
			nd, err := e.saveMessage(ctx, m.data(), false, saveOpts{by: s})
			if err != nil {
				return err
			}
			m.change, m.props = nd.Change, nd.Props
			m.relist()
			m.synced()
		} else if locked {
			_, cur, err := e.message(ctx, m.folder, m.id)
			if err != nil {
				return err
			}
			if cur.change != m.change {
				return mapispi.Errorf(mapispi.ErrObjectChanged, "msprovider", "%s: the message was saved by someone else since this instance opened it; open it again", op)
			}
		}
		if locked == (holder == s) {
			return nil
		}
		nd, err := e.setLocked(ctx, m.folder, m.id, locked)
		if err != nil {
			return err
		}
		if locked {
			e.locks[m.id] = s
		} else {
			delete(e.locks, m.id)
		}
		m.syncProp(nd.Props[findID(nd.Props, mapispi.PropSubmitFlags)])
		return nil
	})
}

func errNotInQueue(op string) error {
	return mapispi.Errorf(mapispi.ErrNotInQueue, "msprovider", "%s: the message is not in the outgoing queue", op)
}

// setLocked sets or clears SUBMITFLAG_LOCKED in the stored message's
// PR_SUBMIT_FLAGS and returns the new version (e.mu held). Like a change
// of read state, it is no change of the message: its change number
// stays, so the spooler's open instance can still save.
func (e *engine) setLocked(ctx context.Context, folder, id ID, locked bool) (*MessageData, error) {
	d, _, err := e.message(ctx, folder, id)
	if err != nil {
		return nil, err
	}
	n, _ := propInt(d.Props, mapispi.PropSubmitFlags)
	if locked {
		n |= int32(mapispi.SubmitLocked)
	} else {
		n &^= int32(mapispi.SubmitLocked)
	}
	nd := *d
	nd.Props = setProp(slices.Clone(d.Props), mapispi.PropValue{Tag: mapispi.PropSubmitFlags, Value: n})
	if err := e.commit(ctx, &Commit{Messages: []*MessageData{&nd}}); err != nil {
		return nil, err
	}
	e.messageSaved(e.folders[folder], &nd, mapispi.EventObjectModified, []mapispi.PropTag{mapispi.PropSubmitFlags})
	return &nd, nil
}

// releaseLocks ends every lock s holds, as its logon ends: each message
// goes back to the queue unlocked (TABLE_ROW_MODIFIED).
func (e *engine) releaseLocks(ctx context.Context, s *Store) {
	_ = e.change(ctx, func() error {
		var ids []ID
		for id, holder := range e.locks {
			if holder == s {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			delete(e.locks, id)
			if folder, ok := e.outgoing[id]; ok {
				_, _ = e.setLocked(ctx, folder, id, false)
			}
		}
		return nil
	})
}

// unqueue takes queued message d off the queue (e.mu held): it clears
// MSGFLAG_SUBMIT and PR_SUBMIT_FLAGS, and MSGFLAG_UNSENT too when sent.
func (e *engine) unqueue(ctx context.Context, d *MessageData, sent bool) (*MessageData, error) {
	drop := mapispi.MsgFlagSubmit
	if sent {
		drop |= mapispi.MsgFlagUnsent
	}
	nd := *d
	nd.Props = slices.DeleteFunc(slices.Clone(d.Props), func(v mapispi.PropValue) bool { return v.Tag.ID() == mapispi.PropSubmitFlags.ID() })
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(messageFlags(d) &^ drop)})
	if err := e.commit(ctx, &Commit{Messages: []*MessageData{&nd}}); err != nil {
		return nil, err
	}
	e.messageSaved(e.folders[d.Folder], &nd, mapispi.EventObjectModified, []mapispi.PropTag{mapispi.PropMessageFlags, mapispi.PropSubmitFlags})
	return &nd, nil
}

// FinishedMsg is IMsgStore::FinishedMsg, the spooler's (a client's store
// answers ErrNoSupport): the message id names has been sent. It must be
// queued (else ErrNotInQueue) and locked by this logon (else
// ErrInvalidParameter). The store unlocks it, clears MSGFLAG_SUBMIT,
// MSGFLAG_UNSENT and PR_SUBMIT_FLAGS and takes it off the queue; then,
// as the page has it, deletes it when PR_DELETE_AFTER_SUBMIT is TRUE
// (whatever PR_SENTMAIL_ENTRYID says: a move then a delete leaves
// nothing), else moves it to the folder PR_SENTMAIL_ENTRYID names, else
// leaves it where it is. A PR_SENTMAIL_ENTRYID that names no folder of
// this store (another store's, a deleted folder, bad bytes) is ignored:
// the message stays where it is. The move or delete sends the
// notifications CopyMessages and DeleteMessages send; if it fails, the
// error is returned and the message stays, sent, where it was.
func (s *Store) FinishedMsg(ctx context.Context, id mapispi.EntryID) error {
	const op = "FinishedMsg"
	if err := s.spoolerOnly(op); err != nil {
		return err
	}
	ref, err := s.messageRef(op, id)
	if err != nil {
		return err
	}
	e := s.data.eng
	return e.change(ctx, func() error {
		d, err := e.queuedMessage(ctx, op, ref)
		if err != nil {
			return err
		}
		if e.locks[ref.id] != s {
			return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: this spooler logon has not locked the message", op)
		}
		nd, err := e.unqueue(ctx, d, true)
		if err != nil {
			return err
		}
		if v, ok := propBool(nd.Props, mapispi.PropDeleteAfterSubmit); ok && v {
			_, err := e.deleteMessages(ctx, ref.folder, []ID{ref.id})
			return err
		}
		if dest, ok := e.sentMailFolder(ctx, nd); ok && dest != ref.folder {
			_, err := e.copyMessages(ctx, ref.folder, []ID{ref.id}, dest, true)
			return err
		}
		return nil
	})
}

// queuedMessage returns the queued message ref names, or ErrNotInQueue
// when it is not queued (e.mu held).
func (e *engine) queuedMessage(ctx context.Context, op string, ref objectRef) (*MessageData, error) {
	if err := e.loadOutgoing(ctx); err != nil {
		return nil, err
	}
	d, mn, err := e.message(ctx, ref.folder, ref.id)
	if err != nil {
		return nil, err
	}
	if !mn.queued {
		return nil, errNotInQueue(op)
	}
	return d, nil
}

// propBool returns the PT_BOOLEAN value of tag in props.
func propBool(props []mapispi.PropValue, tag mapispi.PropTag) (bool, bool) {
	if i := findID(props, tag); i >= 0 {
		b, ok := props[i].Value.(bool)
		return b, ok
	}
	return false, false
}

// sentMailFolder returns the folder d's PR_SENTMAIL_ENTRYID names, when
// it names one of the store's (e.mu held).
func (e *engine) sentMailFolder(ctx context.Context, d *MessageData) (ID, bool) {
	i := findID(d.Props, mapispi.PropSentMailEntryID)
	if i < 0 {
		return 0, false
	}
	raw, _ := d.Props[i].Value.([]byte)
	ref, err := parseObjectID(e.uid, raw)
	if err != nil || ref.typ != mapispi.ObjFolder {
		return 0, false
	}
	if _, err := e.counted(ctx, ref.id); err != nil {
		return 0, false
	}
	return ref.id, true
}

// AbortSubmit is IMsgStore::AbortSubmit, the client's (the spooler's
// store has it too): the queued message id names leaves the queue,
// keeping MSGFLAG_UNSENT and its folder; MSGFLAG_SUBMIT and
// PR_SUBMIT_FLAGS are cleared, and the queue's views get
// TABLE_ROW_DELETED. A message that is not queued (never submitted, sent,
// aborted already) is ErrNotInQueue; one a spooler has locked,
// ErrUnableToAbort. An ID that is not a message of the store is answered
// as OpenEntry answers it (ErrUnknownEntryID, ErrInvalidEntryID,
// ErrNotFound).
func (s *Store) AbortSubmit(ctx context.Context, id mapispi.EntryID) error {
	const op = "AbortSubmit"
	if err := s.check(op); err != nil {
		return err
	}
	ref, err := s.messageRef(op, id)
	if err != nil {
		return err
	}
	e := s.data.eng
	return e.change(ctx, func() error {
		d, err := e.queuedMessage(ctx, op, ref)
		if err != nil {
			return err
		}
		if e.locks[ref.id] != nil {
			return mapispi.Errorf(mapispi.ErrUnableToAbort, "msprovider", "%s: the spooler has locked the message to send it", op)
		}
		_, err = e.unqueue(ctx, d, false)
		return err
	})
}

// NotifyNewMail is IMsgStore::NotifyNewMail, the spooler's (a client's
// store answers ErrNoSupport): one EventNewMail, a copy of n's EntryID,
// ParentID, MessageClass and MessageFlags, goes to each whole-store
// advise sink, once per session, in order with the store's other
// notifications. n must be an EventNewMail notification (else
// ErrInvalidParameter); the store keeps nothing of it.
func (s *Store) NotifyNewMail(ctx context.Context, n *mapispi.Notification) error {
	const op = "NotifyNewMail"
	if err := s.spoolerOnly(op); err != nil {
		return err
	}
	if n == nil || n.Event != mapispi.EventNewMail {
		return mapispi.Errorf(mapispi.ErrInvalidParameter, "msprovider", "%s: want an fnevNewMail notification", op)
	}
	c := mapispi.Notification{Event: mapispi.EventNewMail, EntryID: n.EntryID.Clone(), ParentID: n.ParentID.Clone(),
		MessageClass: n.MessageClass, MessageFlags: n.MessageFlags}
	e := s.data.eng
	return e.change(ctx, func() error {
		e.post(c, nil)
		return nil
	})
}
