package msprovider

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

var _ mapispi.Submitter = (*Message)(nil)

// SubmitMessage is IMessage::SubmitMessage: save the instance's changes
// and put the message on its store's outgoing queue, in one commit, as
// the "Sending Messages: Message Store Provider Tasks" page lists the
// steps: MSGFLAG_SUBMIT and MSGFLAG_UNSENT in PR_MESSAGE_FLAGS,
// PR_SUBMIT_FLAGS 0, PR_CLIENT_SUBMIT_TIME the time of the call, every
// recipient's PR_RESPONSIBILITY FALSE, PR_MESSAGE_CLASS "IPM" when it
// has none, then a row in the queue (TABLE_ROW_ADDED to its views).
//
// The queue keeps the order of the calls: when the clock has not moved
// since the last submission of the store (PT_SYSTIME counts 100 ns), the
// new PR_CLIENT_SUBMIT_TIME is 100 ns after the last, so that sorting by
// it, as the spooler does, gives the call order.
//
// Before the first submission through a client's provider object (one
// per session), and unless its logon had LogonNoMail, SubmitMessage
// calls Support.SpoolerNotify(NotifyReadyToSend), with no lock held; if
// that fails, nothing is submitted and the next submission tries again.
//
// A message without recipients is ErrNoRecipients; a read-only instance
// ErrNoAccess; a message in the queue already, ErrSubmitted; a save that
// fails (ErrObjectChanged...) returns its error. After any failure
// nothing is stored and the instance is usable as before. After a
// success every method of the instance, and of the attachments and
// streams opened through it, returns ErrInvalidObject but Close: the
// spooler owns the message until FinishedMsg or AbortSubmit. An embedded
// message is sent with its message, not on its own: ErrNoSupport.
func (m *Message) SubmitMessage(ctx context.Context, flags mapispi.SubmitMessageFlags) error {
	const op = "SubmitMessage"
	if err := m.check(op); err != nil {
		return err
	}
	if err := flags.Check(); err != nil {
		return err
	}
	if m.parent != nil {
		return mapispi.Errorf(mapispi.ErrNoSupport, "msprovider", "%s: an embedded message is sent with the message that holds it", op)
	}
	if !m.write.Load() {
		return mapispi.Errorf(mapispi.ErrNoAccess, "msprovider", "%s: the message was opened read-only", op)
	}
	if err := m.checkRecipients(op); err != nil {
		return err
	}
	// SpoolerNotify is the host's code: call it with no lock held.
	if err := m.s.readyToSend(ctx); err != nil {
		return err
	}
	defer m.e.deliver(ctx) // after the unlock below: see changeQuiet
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.recips) == 0 { // removed meanwhile
		return errNoRecipients(op)
	}
	if err := m.charge(op, 64); err != nil {
		return err
	}
	var nd *MessageData
	err := m.e.changeQuiet(ctx, func() (err error) {
		if err := m.e.loadOutgoing(ctx); err != nil {
			return err
		}
		nd, err = m.e.saveMessage(ctx, m.data(), !m.saved, saveOpts{by: m.s, submit: true})
		return err
	})
	if err != nil {
		return err
	}
	m.id, m.change, m.saved = nd.ID, nd.Change, true
	m.props, m.recips = nd.Props, nd.Recipients
	m.synced()
	m.submitted.Store(true)
	return nil
}

func errNoRecipients(op string) error {
	return mapispi.Errorf(mapispi.ErrNoRecipients, "msprovider", "%s: the message has no recipients", op)
}

// checkRecipients is ErrNoRecipients for an instance without recipients.
func (m *Message) checkRecipients(op string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.recips) == 0 {
		return errNoRecipients(op)
	}
	return nil
}

// readyToSend calls Support.SpoolerNotify(NotifyReadyToSend) before the
// first submission through s's provider object, unless s is the
// spooler's or its logon had LogonNoMail. No lock is held during the
// call; a failure is returned and leaves the next submission to try.
func (s *Store) readyToSend(ctx context.Context) error {
	if s.spooler || s.noMail {
		return nil
	}
	if !s.p.readySent.CompareAndSwap(false, true) {
		return nil
	}
	sup := s.support()
	if sup == nil {
		s.p.readySent.Store(false)
		return errLoggedOff("SubmitMessage")
	}
	if err := sup.SpoolerNotify(ctx, mapispi.NotifyReadyToSend, nil); err != nil {
		s.p.readySent.Store(false)
		return supportError("IMAPISupport::SpoolerNotify", err, "SubmitMessage: telling the spooler the store has mail to send")
	}
	return nil
}

// submitState sets the submission state of nd, saved at t, and returns
// its PR_MESSAGE_FLAGS (e.mu held; flags are the ones the save computed).
func (e *engine) submitState(nd *MessageData, t time.Time, flags mapispi.MessageFlags) mapispi.MessageFlags {
	at := t
	if !at.After(e.lastSubmit) {
		at = e.lastSubmit.Add(100 * time.Nanosecond)
	}
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropSubmitFlags, Value: int32(0)})
	nd.Props = setProp(nd.Props, mapispi.PropValue{Tag: mapispi.PropClientSubmitTime, Value: at})
	recips := make([]mapispi.Row, len(nd.Recipients))
	for i, r := range nd.Recipients {
		recips[i] = setProp(slices.Clone(r), mapispi.PropValue{Tag: mapispi.PropResponsibility, Value: false})
	}
	nd.Recipients = recips
	return flags | mapispi.MsgFlagSubmit | mapispi.MsgFlagUnsent
}

// clientSubmitTime returns d's PR_CLIENT_SUBMIT_TIME, or the zero time.
func clientSubmitTime(d *MessageData) time.Time {
	if i := findID(d.Props, mapispi.PropClientSubmitTime); i >= 0 {
		t, _ := d.Props[i].Value.(time.Time)
		return t
	}
	return time.Time{}
}

// loadOutgoing reads the queued messages of the whole store the first
// time the queue is needed (e.mu held): every folder's message summaries
// are read then, and commits keep the index from then on.
func (e *engine) loadOutgoing(ctx context.Context) error {
	if e.outLoaded {
		return nil
	}
	root, err := e.folder(ctx, RootID)
	if err != nil {
		return err
	}
	_, msgs, err := e.subtree(ctx, root)
	if err != nil {
		return err
	}
	out := map[ID]ID{}
	var last time.Time
	for _, id := range msgs {
		m := e.msgs[id]
		if m == nil || !m.queued {
			continue
		}
		d, err := e.st.Message(ctx, id)
		if err != nil {
			return storageErr("Message", err)
		}
		out[id] = m.folder
		if t := clientSubmitTime(d); t.After(last) {
			last = t
		}
	}
	e.outgoing, e.lastSubmit, e.outLoaded = out, last, true
	return nil
}

// queueSync brings the queue index and its open table up to date with
// nd, a saved version of a message (e.mu held).
func (e *engine) queueSync(nd *MessageData, queued bool) {
	if !e.outLoaded {
		return
	}
	if queued {
		e.outgoing[nd.ID] = nd.Folder
		if e.qtable != nil {
			_ = e.qtable.td.ModifyRow(e.contentsRow(nd))
		}
		return
	}
	e.unqueued(nd.ID)
}

// unqueued takes message id off the queue index, its lock and its open
// table (e.mu held).
func (e *engine) unqueued(id ID) {
	if _, ok := e.outgoing[id]; !ok {
		return
	}
	delete(e.outgoing, id)
	delete(e.locks, id)
	if e.qtable != nil {
		_ = e.qtable.td.DeleteRow(mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: instanceKey(id)})
	}
}

// queuedInOrder returns the queued messages, by PR_CLIENT_SUBMIT_TIME
// then ID (e.mu held, the index loaded).
func (e *engine) queuedInOrder(ctx context.Context) ([]*MessageData, error) {
	out := make([]*MessageData, 0, len(e.outgoing))
	for id := range e.outgoing {
		d, err := e.st.Message(ctx, id)
		if err != nil {
			return nil, storageErr("Message", err)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *MessageData) int {
		if c := clientSubmitTime(a).Compare(clientSubmitTime(b)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}
