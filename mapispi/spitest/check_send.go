package spitest

import (
	"fmt"
	"slices"
	"time"

	"github.com/mapiemu/mapiemu/mapispi"
)

// This file holds the cases of sending mail: IMessage::SubmitMessage
// (mapispi.Submitter) and the spooler's store methods
// (mapispi.SpoolerStore), as the "Sending Messages by Using Message Store
// Providers" page and the methods' pages have them. Each case logs a
// client on, and the spooler on with the spool security data the
// client's Logon returned, in a session of its own (the spooler is
// another process), and submits messages it makes in the case's folder.

// sender is what a sending case works with: the client's logon and its
// SpoolerStore (AbortSubmit is the client's), the spooler's logon of the
// same store and its SpoolerStore, and the case's folder.
type sender struct {
	l      *logon
	client mapispi.SpoolerStore
	sp     *logon
	spool  mapispi.SpoolerStore
	w      *workspace
	mask   mapispi.StoreSupportMask
}

// sending logs the client and the spooler on to the first store and
// makes the case's folder; the case skips when the store sends no mail
// (STORE_SUBMIT_OK clear, no mapispi.SpoolerStore) or cannot be written.
func (e *env) sending() *sender {
	l := e.mustLogon(e.session(1, sessOpts{}), 0, rw)
	mask := e.supportMask(l.st)
	if mask&mapispi.StoreSubmitOK == 0 {
		e.skipf("PR_STORE_SUPPORT_MASK = %v has no STORE_SUBMIT_OK: the store sends no mail", mask)
	}
	e.needWrite(mask)
	client, ok := l.st.(mapispi.SpoolerStore)
	if !ok {
		e.skipf("the store (%T) does not implement mapispi.SpoolerStore: it takes no part in sending mail", l.st)
	}
	sps := e.session(1, sessOpts{}) // the spooler is another process
	sp, err := e.spoolerLogon(sps, e.provider(sps, 0), 0, e.store(0).id.Clone(), slices.Clone(l.token))
	if err != nil {
		e.fatalf("precondition: SpoolerLogon with the spool security data Logon returned: %v", err)
	}
	spool, ok := sp.st.(mapispi.SpoolerStore)
	if !ok {
		e.fatalf("the client's store implements mapispi.SpoolerStore but the spooler's (%T) does not: the spooler cannot send its mail", sp.st)
	}
	return &sender{l: l, client: client, sp: sp, spool: spool, w: e.workFolder(l.st), mask: mask}
}

// recipient is a MAPI_TO or MAPI_CC recipient row: its name and type,
// with PR_RESPONSIBILITY TRUE, which SubmitMessage sets FALSE.
func recipient(name string, typ mapispi.RecipientType) mapispi.Row {
	return mapispi.Row{
		{Tag: mapispi.PropDisplayName, Value: name},
		{Tag: mapispi.PropRecipientType, Value: int32(typ)},
		{Tag: mapispi.PropResponsibility, Value: true},
	}
}

// draft makes an unsaved message in f with subj, vals and recipients.
func (e *env) draft(f mapispi.Folder, subj string, recips []mapispi.Row, vals ...mapispi.PropValue) (mapispi.Message, mapispi.Submitter) {
	obj, err := f.CreateMessage(e.ctx, 0)
	m := e.asMessage("precondition: CreateMessage(0)", obj, err)
	sm, ok := m.(mapispi.Submitter)
	if !ok {
		e.skipf("the store's messages (%T) do not implement mapispi.Submitter: they cannot be submitted", m)
	}
	e.setProps("a new message", m, append([]mapispi.PropValue{subject(subj)}, vals...)...)
	if len(recips) > 0 {
		if err := m.ModifyRecipients(e.ctx, 0, recips); err != nil {
			e.fatalf("precondition: ModifyRecipients(0, %d recipients): %v", len(recips), err)
		}
	}
	return m, sm
}

// submit makes a message in f with one recipient, saves it (reading its
// entry ID then, as a client keeps it for AbortSubmit) and submits it,
// for a case whose rule is about what follows.
func (e *env) submit(f mapispi.Folder, subj string, vals ...mapispi.PropValue) mapispi.EntryID {
	m, sm := e.draft(f, subj, []mapispi.Row{recipient(subj+" recipient", mapispi.RecipTo)}, vals...)
	e.save("a message to submit", m, mapispi.KeepOpenReadWrite)
	id := e.entryID("a message to submit", m)
	if err := sm.SubmitMessage(e.ctx, 0); err != nil {
		e.fatalf("precondition: SubmitMessage(0) of a saved message with a recipient: %v", err)
	}
	return id
}

// queue reads the spooler's outgoing queue, in a view opened for the
// read, with cols.
func (e *env) queue(x *sender, cols ...mapispi.PropTag) []mapispi.Row {
	t, err := x.spool.OutgoingQueue(e.ctx)
	tb := e.asTable("the spooler's OutgoingQueue", t, err)
	defer e.release(tb)
	return e.readRows("the outgoing queue", tb, cols...)
}

// queued reports whether the spooler's queue has a row for id.
func (e *env) queued(x *sender, id mapispi.EntryID) bool {
	_, ok := e.findRow(x.sp.st, e.queue(x, mapispi.PropEntryID), id)
	return ok
}

// lock opens the queued message id through the spooler's store and
// locks it, for a case whose rule is about what follows.
func (e *env) lock(x *sender, id mapispi.EntryID) {
	m := e.openMessage(x.sp.st, "a queued message, through the spooler's store", id, mapispi.OpenModify)
	if err := x.spool.SetLockState(e.ctx, m, mapispi.MsgLocked); err != nil {
		e.fatalf("precondition: the spooler's SetLockState(a queued message, MSG_LOCKED): %v", err)
	}
}

func checkQueueSpoolerOnly(e *env) {
	x := e.sending()
	id := e.submit(x.w.f, "queued")
	m := e.openMessage(x.l.st, "a queued message, through the client's store", id, mapispi.OpenBestAccess)
	if t, err := x.client.OutgoingQueue(e.ctx); !isCode(err, mapispi.ErrNoSupport) {
		if err == nil && !isNil(t) {
			e.keepOpen(t)
		}
		e.errorf("a client's OutgoingQueue = %v, want ErrNoSupport: the outgoing queue is the spooler's", err)
	}
	if err := x.client.SetLockState(e.ctx, m, mapispi.MsgLocked); !isCode(err, mapispi.ErrNoSupport) {
		e.errorf("a client's SetLockState(a queued message, MSG_LOCKED) = %v, want ErrNoSupport", err)
	}
	if err := x.client.FinishedMsg(e.ctx, id.Clone()); !isCode(err, mapispi.ErrNoSupport) {
		e.errorf("a client's FinishedMsg(a queued message) = %v, want ErrNoSupport", err)
	}
	n := &mapispi.Notification{Event: mapispi.EventNewMail, EntryID: id.Clone(), ParentID: x.w.id.Clone(), MessageClass: "IPM.Note"}
	if err := x.client.NotifyNewMail(e.ctx, n); !isCode(err, mapispi.ErrNoSupport) {
		e.errorf("a client's NotifyNewMail = %v, want ErrNoSupport", err)
	}
}

func checkSubmitNoRecipients(e *env) {
	x := e.sending()
	m, sm := e.draft(x.w.f, "nobody", nil)
	if err := sm.SubmitMessage(e.ctx, 0); !isCode(err, mapispi.ErrNoRecipients) {
		e.fatalf("SubmitMessage(0) of a message without recipients = %v, want ErrNoRecipients", err)
	}
	if rows := e.queue(x, mapispi.PropEntryID, mapispi.PropSubject); len(rows) > 0 {
		e.errorf("after a SubmitMessage refused with ErrNoRecipients the queue has %d rows (%v), want none", len(rows), names(rows, mapispi.PropSubject))
	}
	// The message stays open and usable: it takes a recipient, and then
	// the submission.
	if err := m.ModifyRecipients(e.ctx, 0, []mapispi.Row{recipient("Ann", mapispi.RecipTo)}); err != nil {
		e.fatalf("ModifyRecipients after ErrNoRecipients: %v, want the message still usable", err)
	}
	if err := sm.SubmitMessage(e.ctx, 0); err != nil {
		e.errorf("SubmitMessage(0) after ErrNoRecipients and a recipient added: %v, want success", err)
	}
}

func checkSubmitMessage(e *env) {
	x := e.sending()
	recips := []mapispi.Row{recipient("Ann", mapispi.RecipTo), recipient("Bob", mapispi.RecipCC)}
	m, sm := e.draft(x.w.f, "submitted", recips)
	e.save("a message to submit", m, mapispi.KeepOpenReadWrite)
	id := e.entryID("a message to submit", m)
	before := time.Now()
	if err := sm.SubmitMessage(e.ctx, 0); err != nil {
		e.fatalf("SubmitMessage(0) of a saved message with recipients: %v", err)
	}
	after := time.Now()

	// The spooler owns the message now: every method of the instance but
	// Close is ErrInvalidObject.
	for name, call := range map[string]func() error{
		"GetProps": func() error { _, err := m.GetProps(e.ctx, []mapispi.PropTag{mapispi.PropSubject}); return err },
		"SetProps": func() error {
			_, err := m.SetProps(e.ctx, []mapispi.PropValue{subject("changed")})
			return err
		},
		"SaveChanges":   func() error { return m.SaveChanges(e.ctx, 0) },
		"SubmitMessage": func() error { return sm.SubmitMessage(e.ctx, 0) },
		"RecipientTable": func() error {
			t, err := m.RecipientTable(e.ctx, 0)
			if err == nil && !isNil(t) {
				e.keepOpen(t)
			}
			return err
		},
	} {
		if err := protect(call); !isCode(err, mapispi.ErrInvalidObject) {
			e.errorf("the submitted instance's %s = %v, want ErrInvalidObject", name, err)
		}
	}
	if err := e.release(m); err != nil {
		e.errorf("the submitted instance's Close: %v, want success", err)
	}

	// The stored message: MSGFLAG_SUBMIT, PR_CLIENT_SUBMIT_TIME, and
	// every recipient PR_RESPONSIBILITY FALSE.
	got := e.openMessage(x.sp.st, "the submitted message, through the spooler's store", id, 0)
	vals := e.getProps("the submitted message", got, mapispi.PropMessageFlags, mapispi.PropClientSubmitTime)
	if f, ok := vals[0].Value.(int32); !ok || mapispi.MessageFlags(f)&mapispi.MsgFlagSubmit == 0 {
		e.errorf("the submitted message's PR_MESSAGE_FLAGS = %v, want MSGFLAG_SUBMIT set", vals[0])
	}
	const slack = time.Minute // a store may keep coarser times than the kit's clock
	if at, ok := vals[1].Value.(time.Time); !ok || at.Before(before.Add(-slack)) || at.After(after.Add(slack)) {
		e.errorf("the submitted message's PR_CLIENT_SUBMIT_TIME = %v, want the time of the SubmitMessage call (%v)", vals[1], before.UTC())
	}
	t, err := got.RecipientTable(e.ctx, 0)
	tb := e.asTable("the submitted message's RecipientTable(0)", t, err)
	rows := e.readRows("the submitted message's recipient table", tb, mapispi.PropDisplayName, mapispi.PropResponsibility)
	if len(rows) != len(recips) {
		e.errorf("the submitted message has %d recipients, want %d", len(rows), len(recips))
	}
	for _, r := range rows {
		if v, _ := col(r, mapispi.PropResponsibility); v.Value != false {
			e.errorf("recipient %q of the submitted message has PR_RESPONSIBILITY %v, want FALSE: no transport has taken it yet", colString(r, mapispi.PropDisplayName), v)
		}
	}
}

// queueColumns are the columns the IMsgStore::GetOutgoingQueue page
// requires of the outgoing queue.
var queueColumns = []mapispi.PropTag{
	mapispi.PropClientSubmitTime, mapispi.PropDisplayBCC, mapispi.PropDisplayCC, mapispi.PropDisplayTo,
	mapispi.PropEntryID, mapispi.PropMessageFlags, mapispi.PropMessageSize, mapispi.PropPriority,
	mapispi.PropSenderName, mapispi.PropSubject, mapispi.PropSubmitFlags,
}

func checkOutgoingQueue(e *env) {
	x := e.sending()
	subjects := []string{"first", "second", "third"}
	var ids []mapispi.EntryID
	for _, s := range subjects {
		ids = append(ids, e.submit(x.w.f, s))
	}
	t, err := x.spool.OutgoingQueue(e.ctx)
	tb := e.asTable("the spooler's OutgoingQueue", t, err)
	cols, err := tb.Columns(e.ctx)
	if err != nil {
		e.fatalf("the outgoing queue's Columns: %v", err)
	}
	for _, want := range queueColumns {
		if !slices.ContainsFunc(cols, func(c mapispi.PropTag) bool { return c.ID() == want.ID() }) {
			e.errorf("the outgoing queue's columns %v lack %v, which the IMsgStore::GetOutgoingQueue page requires", cols, want)
		}
	}
	rows := e.readRows("the outgoing queue", tb, mapispi.PropEntryID, mapispi.PropSubject, mapispi.PropClientSubmitTime)
	var order []string
	var last time.Time
	for i, r := range rows {
		at, ok := col(r, mapispi.PropClientSubmitTime)
		tm, isTime := at.Value.(time.Time)
		switch {
		case !ok || !isTime:
			e.errorf("queue row %d (%q) has PR_CLIENT_SUBMIT_TIME %v, want the time of its submission", i, colString(r, mapispi.PropSubject), at)
		case tm.Before(last):
			e.errorf("queue row %d (%q) has PR_CLIENT_SUBMIT_TIME %v, before the row above it (%v): want ascending", i, colString(r, mapispi.PropSubject), tm, last)
		default:
			last = tm
		}
		for j, id := range ids {
			if e.sameID(x.sp.st, colBytes(r, mapispi.PropEntryID), id) {
				order = append(order, subjects[j])
			}
		}
	}
	if !slices.Equal(order, subjects) {
		e.errorf("the outgoing queue lists the submitted messages as %q, want %q: the order of the SubmitMessage calls", order, subjects)
	}
}

func checkOutgoingQueueNotifications(e *env) {
	x := e.sending()
	t, err := x.spool.OutgoingQueue(e.ctx)
	tb := e.asTable("the spooler's OutgoingQueue", t, err)
	cols := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropSubject}
	if err := tb.SetColumns(e.ctx, slices.Clone(cols)); err != nil {
		e.fatalf("the outgoing queue's SetColumns(%v): %v", cols, err)
	}
	rec := newRecorder[mapispi.TableNotification]()
	conn, err := tb.Advise(e.ctx, mapispi.TableSinkFunc(func(ns []mapispi.TableNotification) mapispi.CallbackResult {
		out := make([]mapispi.TableNotification, len(ns))
		for i, n := range ns {
			out[i] = n.Clone()
		}
		rec.add(out)
		return mapispi.CallbackContinue
	}))
	switch {
	case err != nil:
		e.fatalf("the outgoing queue's Advise: %v, want a registration: the spooler learns of submissions from the queue's notifications", err)
	case conn == 0:
		e.errorf("the outgoing queue's Advise returned connection 0, which is never a connection")
	}
	id := e.submit(x.w.f, "announced")
	if !rec.wait(e.ctx, func(ns []mapispi.TableNotification) bool {
		return slices.ContainsFunc(ns, func(n mapispi.TableNotification) bool {
			return n.Event == mapispi.TableRowAdded && e.sameID(x.sp.st, colBytes(n.Row, mapispi.PropEntryID), id) ||
				n.Event == mapispi.TableChanged || n.Event == mapispi.TableReload
		})
	}) {
		e.errorf("an advised outgoing queue got no TABLE_ROW_ADDED for a submitted message (nor TABLE_CHANGED) within %v; it got %v", notifyWait, rec.all())
	}
}

func checkQueueLock(e *env) {
	x := e.sending()
	id := e.submit(x.w.f, "locked")
	m := e.openMessage(x.sp.st, "a queued message, through the spooler's store", id, mapispi.OpenModify)
	if err := x.spool.SetLockState(e.ctx, m, mapispi.MsgLocked); err != nil {
		e.fatalf("the spooler's SetLockState(a queued message, MSG_LOCKED): %v", err)
	}
	fresh := e.openMessage(x.sp.st, "the locked message, through the spooler's store", id, 0)
	if v := e.prop("the locked message", fresh, mapispi.PropSubmitFlags); v.Tag.Type() == mapispi.PtError || mapispi.SubmitFlags(asInt(v.Value))&mapispi.SubmitLocked == 0 {
		e.errorf("the locked message's PR_SUBMIT_FLAGS = %v, want SUBMITFLAG_LOCKED set", v)
	}
	for _, flags := range []mapispi.OpenFlags{0, mapispi.OpenBestAccess, mapispi.OpenModify} {
		obj, err := x.l.st.OpenEntry(e.ctx, id.Clone(), flags)
		if err == nil && !isNil(obj) {
			if c, ok := obj.(closer); ok {
				e.keepOpen(c)
			}
		}
		if !isCode(err, mapispi.ErrNoAccess) {
			e.errorf("a client's OpenEntry(a message the spooler has locked, %v) = %v, want ErrNoAccess", flags, err)
		}
	}
}

func checkAbortSubmit(e *env) {
	x := e.sending()
	id := e.submit(x.w.f, "aborted")
	if err := x.client.AbortSubmit(e.ctx, id.Clone()); err != nil {
		e.fatalf("AbortSubmit(a queued, unlocked message): %v, want success", err)
	}
	if e.queued(x, id) {
		e.errorf("the outgoing queue still lists a message after its AbortSubmit succeeded")
	}
	if err := x.client.AbortSubmit(e.ctx, id.Clone()); !isCode(err, mapispi.ErrNotInQueue) {
		e.errorf("a second AbortSubmit of a message = %v, want ErrNotInQueue", err)
	}
	m := e.openMessage(x.l.st, "the aborted message", id, 0)
	if f, ok := e.num("the aborted message", m, mapispi.PropMessageFlags); !ok || mapispi.MessageFlags(f)&mapispi.MsgFlagUnsent == 0 {
		e.errorf("the aborted message's PR_MESSAGE_FLAGS = %v, want MSGFLAG_UNSENT kept", mapispi.MessageFlags(f))
	}

	locked := e.submit(x.w.f, "locked")
	e.lock(x, locked)
	if err := x.client.AbortSubmit(e.ctx, locked.Clone()); !isCode(err, mapispi.ErrUnableToAbort) {
		e.errorf("AbortSubmit(a message the spooler has locked) = %v, want ErrUnableToAbort", err)
	}
}

func checkFinishedMsg(e *env) {
	x := e.sending()
	_, sentID := e.subfolder(x.w.f, "Sent")
	id := e.submit(x.w.f, "sent", mapispi.PropValue{Tag: mapispi.PropSentMailEntryID, Value: []byte(sentID.Clone())})
	if err := x.spool.FinishedMsg(e.ctx, id.Clone()); !isCode(err, mapispi.ErrInvalidParameter) {
		e.errorf("FinishedMsg(a queued message the spooler has not locked) = %v, want ErrInvalidParameter", err)
	}
	e.lock(x, id)
	if err := x.spool.FinishedMsg(e.ctx, id.Clone()); err != nil {
		e.fatalf("FinishedMsg(a message the spooler has locked): %v, want success", err)
	}
	if e.queued(x, id) {
		e.errorf("the outgoing queue still lists a message after its FinishedMsg")
	}
	cols := []mapispi.PropTag{mapispi.PropSubject, mapispi.PropMessageFlags}
	sent := e.openFolder(x.l.st, "the PR_SENTMAIL_ENTRYID folder", sentID, 0)
	rows := e.contents("the PR_SENTMAIL_ENTRYID folder", sent, 0, cols...)
	if got := names(rows, mapispi.PropSubject); !slices.Equal(got, []string{"sent"}) {
		e.errorf("after FinishedMsg the folder PR_SENTMAIL_ENTRYID names holds %q, want [\"sent\"]: the message moves there", got)
	}
	for _, r := range rows {
		if v, _ := col(r, mapispi.PropMessageFlags); mapispi.MessageFlags(asInt(v.Value))&(mapispi.MsgFlagSubmit|mapispi.MsgFlagUnsent) != 0 {
			e.errorf("the sent message's PR_MESSAGE_FLAGS = %v, want MSGFLAG_SUBMIT and MSGFLAG_UNSENT clear", mapispi.MessageFlags(asInt(v.Value)))
		}
	}
	if got := names(e.contents("the case's folder", x.w.f, 0, cols...), mapispi.PropSubject); slices.Contains(got, "sent") {
		e.errorf("after FinishedMsg the sent message is still in the folder it was submitted from (%q), want it moved to PR_SENTMAIL_ENTRYID's", got)
	}
}

// dupWait is how long the NotifyNewMail case waits for a second
// fnevNewMail after the first.
const dupWait = 200 * time.Millisecond

func checkNotifyNewMail(e *env) {
	x := e.sending()
	adv, ok := x.l.st.(mapispi.Adviser)
	switch {
	case x.mask&mapispi.StoreNotifyOK == 0:
		e.skipf("PR_STORE_SUPPORT_MASK = %v has no STORE_NOTIFY_OK: the store sends no notifications", x.mask)
	case !ok:
		e.skipf("the client's store (%T) does not implement mapispi.Adviser (the Notifications case reports that)", x.l.st)
	}
	rec := newRecorder[mapispi.Notification]()
	conn, err := adv.Advise(e.ctx, nil, mapispi.EventNewMail, mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
		var out []mapispi.Notification
		for _, n := range ns {
			if n.Event == mapispi.EventNewMail {
				n.EntryID, n.ParentID = n.EntryID.Clone(), n.ParentID.Clone()
				out = append(out, n)
			}
		}
		rec.add(out)
		return mapispi.CallbackContinue
	}))
	if err != nil {
		e.fatalf("precondition: Advise(nil, fnevNewMail) on a store with STORE_NOTIFY_OK: %v", err)
	}
	e.onExit(func() { _ = protect(func() error { return adv.Unadvise(e.bg(), conn) }) })

	// A message the spooler delivered to the case's folder, announced
	// with its PR_MESSAGE_FLAGS ("NEWMAIL_NOTIFICATION").
	m, id := e.message(x.w.f, 0, mapispi.KeepOpenReadWrite, subject("delivered"), mapispi.PropValue{Tag: mapispi.PropMessageClass, Value: "IPM.Note"})
	f, _ := e.num("the delivered message", m, mapispi.PropMessageFlags)
	flags := uint32(f)
	n := &mapispi.Notification{Event: mapispi.EventNewMail, EntryID: id.Clone(), ParentID: x.w.id.Clone(), MessageClass: "IPM.Note", MessageFlags: flags}
	if err := x.spool.NotifyNewMail(e.ctx, n); err != nil {
		e.fatalf("the spooler's NotifyNewMail(fnevNewMail of a message in the case's folder): %v", err)
	}
	if !rec.wait(e.ctx, func(ns []mapispi.Notification) bool { return len(ns) > 0 }) {
		e.fatalf("a whole-store fnevNewMail sink got nothing within %v of the spooler's NotifyNewMail", notifyWait)
	}
	time.Sleep(dupWait)
	got := rec.all()
	if len(got) != 1 {
		e.errorf("a whole-store fnevNewMail sink got %d fnevNewMail for one NotifyNewMail, want one", len(got))
	}
	g := got[0]
	if !e.sameID(x.l.st, g.EntryID, id) || !e.sameID(x.l.st, g.ParentID, x.w.id) || g.MessageClass != "IPM.Note" || g.MessageFlags != flags {
		e.errorf("the sink got fnevNewMail %s, want the one NotifyNewMail was given: %s", newMail(g), newMail(*n))
	}
}

// newMail shows the fields of an fnevNewMail notification.
func newMail(n mapispi.Notification) string {
	return fmt.Sprintf("{EntryID %v, ParentID %v, MessageClass %q, MessageFlags %v}", n.EntryID, n.ParentID, n.MessageClass, mapispi.MessageFlags(n.MessageFlags))
}
