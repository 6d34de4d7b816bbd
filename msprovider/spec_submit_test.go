package msprovider

// Tests of sending mail (issue 18; store-facts.md 1.3, 3.7, 6.1 and
// rules 4, 5, 14-21, 32, 33, 70-72): SubmitMessage, the outgoing queue
// and the spooler's SpoolerStore methods. They drive the provider
// through the SPI, as the host's client and spooler do, with fake
// support objects (support_test.go), because the spooler's store is the
// host's own and never a client's.

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// sendWorld is one store with a client logon and the spooler's logon of
// the same session, each through its own provider object and support.
type sendWorld struct {
	h       *harness
	id      mapispi.EntryID
	csup    *fakeSupport
	client  *Store
	ssup    *fakeSupport
	spooler *Store
}

func newSendWorld(t *testing.T) *sendWorld {
	t.Helper()
	h := newHarness(t)
	w := &sendWorld{h: h, id: h.store("Mailbox", "")}
	w.client, w.csup = w.clientLogon(t, h.p, mapispi.LogonWrite)
	return w
}

// clientLogon logs a client on through p and the spooler with its token
// through a provider object of its own; the first spooler logon is w's.
func (w *sendWorld) clientLogon(t *testing.T, p *Provider, flags mapispi.LogonFlags) (*Store, *fakeSupport) {
	t.Helper()
	sup := newFakeSupport(w.h.heap)
	res, err := p.Logon(w.h.ctx, sup, &mapispi.LogonRequest{EntryID: w.id, Flags: flags | mapispi.LogonNoDialog})
	require.NoError(t, err, "Logon")
	t.Cleanup(func() { _ = p.Shutdown(w.h.ctx) })
	token := slices.Clone(res.SpoolSecurity)
	w.h.free(res)
	if token != nil && w.spooler == nil {
		w.spooler, w.ssup = w.spoolerLogon(t, token)
	}
	return res.Store.(*Store), sup
}

// spoolerLogon opens the spooler's logon with token in a provider object
// of its own.
func (w *sendWorld) spoolerLogon(t *testing.T, token []byte) (*Store, *fakeSupport) {
	t.Helper()
	p := w.h.newProvider()
	sup := newFakeSupport(w.h.heap)
	res, err := p.SpoolerLogon(w.h.ctx, sup, spoolerRequest(w.id, token))
	require.NoError(t, err, "SpoolerLogon")
	t.Cleanup(func() { _ = p.Shutdown(w.h.ctx) })
	return res.Store.(*Store), sup
}

// secondSpooler opens another session (a client logon and its spooler)
// over the same Backend and returns its spooler's store.
func (w *sendWorld) secondSpooler(t *testing.T) *Store {
	t.Helper()
	sup := newFakeSupport(w.h.heap)
	p := w.h.newProvider()
	res, err := p.Logon(w.h.ctx, sup, &mapispi.LogonRequest{EntryID: w.id, Flags: mapispi.LogonWrite | mapispi.LogonNoDialog})
	require.NoError(t, err, "Logon")
	t.Cleanup(func() { _ = p.Shutdown(w.h.ctx) })
	token := slices.Clone(res.SpoolSecurity)
	w.h.free(res)
	s, _ := w.spoolerLogon(t, token)
	return s
}

// storeFolder opens the folder whose entry ID is the store property tag.
func storeFolder(t *testing.T, st *Store, tag mapispi.PropTag) *Folder {
	t.Helper()
	vals, err := st.GetProps(bg0, []mapispi.PropTag{tag})
	require.NoError(t, err)
	id, ok := vals[0].Value.([]byte)
	require.True(t, ok, "GetProps(%v) = %v", tag, vals[0])
	return openFolder(t, st, id)
}

func openFolder(t *testing.T, st *Store, id mapispi.EntryID) *Folder {
	t.Helper()
	obj, err := st.OpenEntry(bg0, id, mapispi.OpenModify)
	require.NoError(t, err, "OpenEntry(folder)")
	t.Cleanup(func() { _ = obj.Close(bg0) })
	return obj.(*Folder)
}

// draft creates a message in f with subject and n TO recipients, unsaved.
func draft(t *testing.T, f *Folder, subject string, n int, props ...mapispi.PropValue) *Message {
	t.Helper()
	obj, err := f.CreateMessage(bg0, 0)
	require.NoError(t, err, "CreateMessage")
	m := obj.(*Message)
	t.Cleanup(func() { _ = m.Close(bg0) })
	_, err = m.SetProps(bg0, append([]mapispi.PropValue{{Tag: mapispi.PropSubject, Value: subject}}, props...))
	require.NoError(t, err, "SetProps")
	var rows []mapispi.Row
	for i := range n {
		rows = append(rows, mapispi.Row{
			{Tag: mapispi.PropDisplayName, Value: subject + " recipient " + string(rune('A'+i))},
			{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
			{Tag: mapispi.PropResponsibility, Value: true},
		})
	}
	if n > 0 {
		require.NoError(t, m.ModifyRecipients(bg0, 0, rows), "ModifyRecipients")
	}
	return m
}

// submit saves a draft with one recipient in f (its entry ID is read
// then, as a client keeps it for AbortSubmit), submits it and returns
// the ID.
func submit(t *testing.T, f *Folder, subject string, props ...mapispi.PropValue) mapispi.EntryID {
	t.Helper()
	m := draft(t, f, subject, 1, props...)
	require.NoError(t, m.SaveChanges(bg0, mapispi.KeepOpenReadWrite), "SaveChanges")
	id := entryIDOf(t, m)
	require.NoError(t, m.SubmitMessage(bg0, 0), "SubmitMessage(%q)", subject)
	return id
}

func entryIDOf(t *testing.T, o mapispi.Object) mapispi.EntryID {
	t.Helper()
	vals, err := o.GetProps(bg0, []mapispi.PropTag{mapispi.PropEntryID})
	require.NoError(t, err)
	id, ok := vals[0].Value.([]byte)
	require.True(t, ok, "GetProps(PR_ENTRYID) = %v", vals[0])
	return id
}

// openMsg opens message id through st.
func openMsg(t *testing.T, st *Store, id mapispi.EntryID, flags mapispi.OpenFlags) *Message {
	t.Helper()
	obj, err := st.OpenEntry(bg0, id, flags)
	require.NoError(t, err, "OpenEntry(message, %v)", flags)
	t.Cleanup(func() { _ = obj.Close(bg0) })
	return obj.(*Message)
}

func getInt(t *testing.T, o mapispi.Object, tag mapispi.PropTag) (int32, bool) {
	t.Helper()
	vals, err := o.GetProps(bg0, []mapispi.PropTag{tag})
	require.NoError(t, err)
	n, ok := vals[0].Value.(int32)
	return n, ok
}

func msgFlags(t *testing.T, o mapispi.Object) mapispi.MessageFlags {
	t.Helper()
	n, _ := getInt(t, o, mapispi.PropMessageFlags)
	return mapispi.MessageFlags(n)
}

// queueRows returns every row of a new view of the spooler's queue.
func queueRows(t *testing.T, sp *Store) []mapispi.Row {
	t.Helper()
	tbl, err := sp.OutgoingQueue(bg0)
	require.NoError(t, err, "OutgoingQueue")
	defer tbl.Close(bg0)
	rows, err := tbl.QueryRows(bg0, 1000)
	require.NoError(t, err, "QueryRows")
	return rows
}

func rowValue(row mapispi.Row, tag mapispi.PropTag) any {
	for _, v := range row {
		if v.Tag == tag {
			return v.Value
		}
	}
	return nil
}

func subjects(rows []mapispi.Row) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = rowValue(r, mapispi.PropSubject)
	}
	return out
}

// contentSubjects returns the subjects of f's contents table.
func contentSubjects(t *testing.T, f *Folder) []string {
	t.Helper()
	tbl, err := f.ContentsTable(bg0, 0)
	require.NoError(t, err)
	defer tbl.Close(bg0)
	rows, err := tbl.QueryRows(bg0, 1000)
	require.NoError(t, err)
	var out []string
	for _, r := range rows {
		s, _ := rowValue(r, mapispi.PropSubject).(string)
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

var bg0 = context.Background()

// tableSink collects a table's notifications.
type tableSink struct {
	mu   sync.Mutex
	got  []mapispi.TableNotification
	wake chan struct{}
}

func newTableSink() *tableSink { return &tableSink{wake: make(chan struct{}, 1)} }

func (s *tableSink) OnTableNotify(ns []mapispi.TableNotification) mapispi.CallbackResult {
	s.mu.Lock()
	for _, n := range ns {
		s.got = append(s.got, n.Clone())
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return mapispi.CallbackContinue
}

// waitFor waits for an event ev and returns every notification so far.
func (s *tableSink) waitFor(t *testing.T, ev mapispi.TableEvent) []mapispi.TableNotification {
	t.Helper()
	return s.waitUntil(t, ev.String(), func(n mapispi.TableNotification) bool { return n.Event == ev })
}

// waitUntil waits for a notification match holds of and returns every
// notification so far.
func (s *tableSink) waitUntil(t *testing.T, what string, match func(mapispi.TableNotification) bool) []mapispi.TableNotification {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		got := slices.Clone(s.got)
		s.mu.Unlock()
		if slices.ContainsFunc(got, match) {
			return got
		}
		select {
		case <-s.wake:
		case <-deadline:
			t.Fatalf("waited 5s for %s; the table sink got %v", what, got)
		}
	}
}

// TestSubmitWithoutRecipients: rule 70. SubmitMessage of a message with
// no recipients is ErrNoRecipients, nothing is queued, and the instance
// stays usable: with a recipient added it submits.
func TestSubmitWithoutRecipients(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	m := draft(t, outbox, "nobody", 0)
	if err := m.SubmitMessage(bg0, 0); !errors.Is(err, mapispi.ErrNoRecipients) {
		t.Fatalf("SubmitMessage(no recipients) = %v, want ErrNoRecipients", err)
	}
	if got := queueRows(t, w.spooler); len(got) != 0 {
		t.Errorf("queue after a refused SubmitMessage = %v, want no row", subjects(got))
	}
	require.NoError(t, m.ModifyRecipients(bg0, 0, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}),
		"ModifyRecipients after ErrNoRecipients: the instance is usable")
	if err := m.SubmitMessage(bg0, 0); err != nil {
		t.Fatalf("SubmitMessage(with a recipient) = %v, want nil", err)
	}
	if got := subjects(queueRows(t, w.spooler)); !slices.Equal(got, []any{"nobody"}) {
		t.Errorf("queue = %v, want [nobody]", got)
	}
}

// TestSubmitMessageState: rules 71 and 72. A submitted message has
// MSGFLAG_SUBMIT and MSGFLAG_UNSENT, PR_SUBMIT_FLAGS 0,
// PR_CLIENT_SUBMIT_TIME of the call, PR_MESSAGE_CLASS "IPM" and every
// recipient PR_RESPONSIBILITY FALSE, saved with its unsaved changes; the
// instance, and an attachment opened through it, then answer
// ErrInvalidObject to everything but Close.
func TestSubmitMessageState(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	m := draft(t, outbox, "state", 2)
	require.NoError(t, m.SaveChanges(bg0, mapispi.KeepOpenReadWrite))
	id := entryIDOf(t, m)
	_, err := m.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropBody, Value: "saved by the submission"}})
	require.NoError(t, err)
	att, _, err := m.CreateAttach(bg0, 0)
	require.NoError(t, err)
	defer att.Close(bg0)
	before := time.Now().UTC().Add(-time.Millisecond)
	require.NoError(t, m.SubmitMessage(bg0, 0))
	after := time.Now().UTC().Add(time.Millisecond)

	for name, call := range map[string]func() error{
		"GetProps": func() error { _, err := m.GetProps(bg0, nil); return err },
		"SetProps": func() error {
			_, err := m.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "x"}})
			return err
		},
		"SaveChanges":      func() error { return m.SaveChanges(bg0, 0) },
		"SubmitMessage":    func() error { return m.SubmitMessage(bg0, 0) },
		"RecipientTable":   func() error { _, err := m.RecipientTable(bg0, 0); return err },
		"IDsFromNames":     func() error { _, err := m.IDsFromNames(bg0, nil, false); return err },
		"attach GetProps":  func() error { _, err := att.GetProps(bg0, nil); return err },
		"attach SaveChang": func() error { return att.SaveChanges(bg0, 0) },
	} {
		if err := call(); !errors.Is(err, mapispi.ErrInvalidObject) {
			t.Errorf("%s after SubmitMessage = %v, want ErrInvalidObject", name, err)
		}
	}

	got := openMsg(t, w.spooler, id, 0)
	if f := msgFlags(t, got); f&(mapispi.MsgFlagSubmit|mapispi.MsgFlagUnsent) != mapispi.MsgFlagSubmit|mapispi.MsgFlagUnsent {
		t.Errorf("PR_MESSAGE_FLAGS = %v, want MSGFLAG_SUBMIT|MSGFLAG_UNSENT set", f)
	}
	vals, err := got.GetProps(bg0, []mapispi.PropTag{mapispi.PropSubmitFlags, mapispi.PropClientSubmitTime, mapispi.PropMessageClass, mapispi.PropBody})
	require.NoError(t, err)
	if vals[0].Value != int32(0) {
		t.Errorf("PR_SUBMIT_FLAGS = %v, want 0", vals[0])
	}
	if at, ok := vals[1].Value.(time.Time); !ok || at.Before(before) || at.After(after) {
		t.Errorf("PR_CLIENT_SUBMIT_TIME = %v, want the time of the call (%v..%v)", vals[1], before, after)
	}
	if vals[2].Value != "IPM" {
		t.Errorf("PR_MESSAGE_CLASS = %v, want IPM", vals[2])
	}
	if vals[3].Value != "saved by the submission" {
		t.Errorf("PR_BODY = %v, want the change made before SubmitMessage", vals[3])
	}
	tbl, err := got.RecipientTable(bg0, 0)
	require.NoError(t, err)
	defer tbl.Close(bg0)
	require.NoError(t, tbl.SetColumns(bg0, []mapispi.PropTag{mapispi.PropResponsibility}))
	rows, err := tbl.QueryRows(bg0, 10)
	require.NoError(t, err)
	if len(rows) != 2 {
		t.Fatalf("recipients = %d, want 2", len(rows))
	}
	for i, r := range rows {
		if r[0].Value != false {
			t.Errorf("recipient %d PR_RESPONSIBILITY = %v, want FALSE", i, r[0])
		}
	}
}

// TestSubmitReadOnlyInstance: a message opened read-only cannot be
// submitted (ErrNoAccess), and the store's PR_STORE_SUPPORT_MASK has
// STORE_SUBMIT_OK.
func TestSubmitReadOnlyInstance(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	m := draft(t, outbox, "read-only", 1)
	require.NoError(t, m.SaveChanges(bg0, 0))
	ro := openMsg(t, w.client, entryIDOf(t, m), 0)
	if err := ro.SubmitMessage(bg0, 0); !errors.Is(err, mapispi.ErrNoAccess) {
		t.Errorf("SubmitMessage(read-only instance) = %v, want ErrNoAccess", err)
	}
	if err := ro.SubmitMessage(bg0, 0x10); !errors.Is(err, mapispi.ErrUnknownFlags) {
		t.Errorf("SubmitMessage(0x10) = %v, want ErrUnknownFlags", err)
	}
	mask, _ := getInt(t, w.client, mapispi.PropStoreSupportMask)
	if mapispi.StoreSupportMask(mask)&mapispi.StoreSubmitOK == 0 {
		t.Errorf("PR_STORE_SUPPORT_MASK = %v, want STORE_SUBMIT_OK", mapispi.StoreSupportMask(mask))
	}
}

// TestOutgoingQueueOrderAndColumns: rule 14. The queue lists every
// queued message of the store, in any folder, in the order of the
// SubmitMessage calls (ascending PR_CLIENT_SUBMIT_TIME), with the
// required columns by default.
func TestOutgoingQueueOrderAndColumns(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	inbox := storeFolder(t, w.client, mapispi.PropIPMSubtreeEntryID)
	for i, s := range []string{"first", "second", "third", "fourth"} {
		f := outbox
		if i == 2 {
			f = inbox
		}
		submit(t, f, s)
	}
	tbl, err := w.spooler.OutgoingQueue(bg0)
	require.NoError(t, err)
	defer tbl.Close(bg0)
	cols, err := tbl.Columns(bg0)
	require.NoError(t, err)
	if !slices.Equal(cols, queueColumns) {
		t.Errorf("OutgoingQueue Columns = %v, want %v", cols, queueColumns)
	}
	rows, err := tbl.QueryRows(bg0, 100)
	require.NoError(t, err)
	if got := subjects(rows); !slices.Equal(got, []any{"first", "second", "third", "fourth"}) {
		t.Errorf("queue rows = %v, want the submission order", got)
	}
	var last time.Time
	for i, r := range rows {
		at, _ := rowValue(r, mapispi.PropClientSubmitTime).(time.Time)
		if !at.After(last) {
			t.Errorf("row %d PR_CLIENT_SUBMIT_TIME = %v, want after %v", i, at, last)
		}
		last = at
		if rowValue(r, mapispi.PropSubmitFlags) != int32(0) || rowValue(r, mapispi.PropDisplayTo) == nil || rowValue(r, mapispi.PropEntryID) == nil {
			t.Errorf("row %d = %v, want PR_SUBMIT_FLAGS 0, PR_DISPLAY_TO and PR_ENTRYID", i, r)
		}
	}
}

// TestSubmitNotifiesQueue: rule 15. SubmitMessage sends TABLE_ROW_ADDED
// to an advised queue view.
func TestSubmitNotifiesQueue(t *testing.T) {
	w := newSendWorld(t)
	tbl, err := w.spooler.OutgoingQueue(bg0)
	require.NoError(t, err)
	defer tbl.Close(bg0)
	sink := newTableSink()
	_, err = tbl.Advise(bg0, sink)
	require.NoError(t, err)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "announced")
	got := sink.waitFor(t, mapispi.TableRowAdded)
	i := slices.IndexFunc(got, func(n mapispi.TableNotification) bool { return n.Event == mapispi.TableRowAdded })
	if v, _ := rowValue(got[i].Row, mapispi.PropEntryID).([]byte); !bytes.Equal(v, id) {
		t.Errorf("TABLE_ROW_ADDED row PR_ENTRYID = %v, want the submitted message's %v", v, id)
	}
}

// TestReadyToSendOncePerSession: a client's provider object calls
// SpoolerNotify(NOTIFY_READYTOSEND) before its first submission, once
// per session; a logon with MDB_NO_MAIL never does.
func TestReadyToSendOncePerSession(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	if got := w.csup.spoolerCalls(); len(got) != 0 {
		t.Fatalf("SpoolerNotify before any submission = %v, want none", got)
	}
	submit(t, outbox, "one")
	submit(t, outbox, "two")
	if got := w.csup.spoolerCalls(); !slices.Equal(got, []mapispi.SpoolerNotifyFlags{mapispi.NotifyReadyToSend}) {
		t.Errorf("SpoolerNotify calls after two submissions = %v, want [NOTIFY_READYTOSEND]", got)
	}
	if got := w.ssup.spoolerCalls(); len(got) != 0 {
		t.Errorf("the spooler's support got SpoolerNotify %v, want none", got)
	}

	second, sup2 := w.clientLogon(t, w.h.newProvider(), mapispi.LogonWrite)
	submit(t, storeFolder(t, second, mapispi.PropIPMOutboxEntryID), "other session")
	if got := sup2.spoolerCalls(); !slices.Equal(got, []mapispi.SpoolerNotifyFlags{mapispi.NotifyReadyToSend}) {
		t.Errorf("SpoolerNotify in a second session = %v, want [NOTIFY_READYTOSEND]", got)
	}

	noMail, sup3 := w.clientLogon(t, w.h.newProvider(), mapispi.LogonWrite|mapispi.LogonNoMail)
	submit(t, storeFolder(t, noMail, mapispi.PropIPMOutboxEntryID), "no mail")
	if got := sup3.spoolerCalls(); len(got) != 0 {
		t.Errorf("SpoolerNotify with MDB_NO_MAIL = %v, want none", got)
	}
}

// TestReadyToSendFailure: when SpoolerNotify fails, SubmitMessage fails
// with its error, nothing is queued, and the next submission tries again.
func TestReadyToSendFailure(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	w.csup.fail = map[string]error{"SpoolerNotify": mapispi.ErrNetworkError}
	m := draft(t, outbox, "retry", 1)
	if err := m.SubmitMessage(bg0, 0); !errors.Is(err, mapispi.ErrNetworkError) {
		t.Fatalf("SubmitMessage with SpoolerNotify failing = %v, want its error", err)
	}
	if got := queueRows(t, w.spooler); len(got) != 0 {
		t.Errorf("queue = %v, want empty", subjects(got))
	}
	w.csup.mu.Lock()
	w.csup.fail = nil
	w.csup.mu.Unlock()
	require.NoError(t, m.SubmitMessage(bg0, 0), "SubmitMessage again")
	if got := w.csup.spoolerCalls(); len(got) != 2 {
		t.Errorf("SpoolerNotify calls = %v, want the failed one and the retry", got)
	}
}

// TestSpoolerMethodsOnClientStore: rule 19 and store-facts 8 #18. On a
// client's store the spooler's methods are ErrNoSupport.
func TestSpoolerMethodsOnClientStore(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	id := submit(t, outbox, "client")
	msg := openMsg(t, w.client, id, mapispi.OpenBestAccess)
	for name, err := range map[string]error{
		"OutgoingQueue": func() error { _, err := w.client.OutgoingQueue(bg0); return err }(),
		"SetLockState":  w.client.SetLockState(bg0, msg, mapispi.MsgLocked),
		"FinishedMsg":   w.client.FinishedMsg(bg0, id),
		"NotifyNewMail": w.client.NotifyNewMail(bg0, &mapispi.Notification{Event: mapispi.EventNewMail}),
	} {
		if !errors.Is(err, mapispi.ErrNoSupport) {
			t.Errorf("client %s = %v, want ErrNoSupport", name, err)
		}
	}
}

// TestAbortSubmit: rules 16 and 17. AbortSubmit of a queued message takes
// it off the queue (its MSGFLAG_UNSENT stays), a second is
// ErrNotInQueue, a locked message is ErrUnableToAbort, and IDs that are
// not messages of the store are answered as OpenEntry answers them.
func TestAbortSubmit(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	id := submit(t, outbox, "aborted")
	if err := w.client.AbortSubmit(bg0, id); err != nil {
		t.Fatalf("AbortSubmit(queued) = %v, want nil", err)
	}
	if got := queueRows(t, w.spooler); len(got) != 0 {
		t.Errorf("queue after AbortSubmit = %v, want empty", subjects(got))
	}
	if err := w.client.AbortSubmit(bg0, id); !errors.Is(err, mapispi.ErrNotInQueue) {
		t.Errorf("AbortSubmit again = %v, want ErrNotInQueue", err)
	}
	m := openMsg(t, w.client, id, mapispi.OpenModify) // no longer the spooler's
	if f := msgFlags(t, m); f&mapispi.MsgFlagSubmit != 0 || f&mapispi.MsgFlagUnsent == 0 {
		t.Errorf("PR_MESSAGE_FLAGS after AbortSubmit = %v, want MSGFLAG_UNSENT without MSGFLAG_SUBMIT", f)
	}
	if _, ok := getInt(t, m, mapispi.PropSubmitFlags); ok {
		t.Errorf("PR_SUBMIT_FLAGS after AbortSubmit exists, want it gone")
	}

	locked := submit(t, outbox, "locked")
	require.NoError(t, w.spooler.SetLockState(bg0, openMsg(t, w.spooler, locked, mapispi.OpenModify), mapispi.MsgLocked))
	if err := w.client.AbortSubmit(bg0, locked); !errors.Is(err, mapispi.ErrUnableToAbort) {
		t.Errorf("AbortSubmit(locked) = %v, want ErrUnableToAbort", err)
	}

	vals, _ := outbox.GetProps(bg0, []mapispi.PropTag{mapispi.PropEntryID})
	if err := w.client.AbortSubmit(bg0, vals[0].Value.([]byte)); !errors.Is(err, mapispi.ErrInvalidEntryID) {
		t.Errorf("AbortSubmit(a folder's ID) = %v, want ErrInvalidEntryID", err)
	}
	gone := submit(t, outbox, "gone")
	require.NoError(t, w.client.AbortSubmit(bg0, gone))
	require.NoError(t, outbox.DeleteMessages(bg0, []mapispi.EntryID{gone}, 0))
	if err := w.client.AbortSubmit(bg0, gone); !errors.Is(err, mapispi.ErrNotFound) {
		t.Errorf("AbortSubmit(a deleted message) = %v, want ErrNotFound", err)
	}
}

// TestSetLockState: rule 18. MSG_LOCKED sets SUBMITFLAG_LOCKED in
// PR_SUBMIT_FLAGS (and the queue row changes), a second spooler logon
// over the same Backend gets ErrBusy, MSG_UNLOCKED clears it; bad
// arguments are ErrInvalidParameter and a message not queued
// ErrNotInQueue.
func TestSetLockState(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	id := submit(t, outbox, "lock me")
	tbl, err := w.spooler.OutgoingQueue(bg0)
	require.NoError(t, err)
	defer tbl.Close(bg0)
	sink := newTableSink()
	_, err = tbl.Advise(bg0, sink)
	require.NoError(t, err)

	clientCopy := openMsg(t, w.client, id, mapispi.OpenBestAccess)
	m := openMsg(t, w.spooler, id, mapispi.OpenModify)
	_, err = m.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropBody, Value: "pending"}})
	require.NoError(t, err)
	require.NoError(t, w.spooler.SetLockState(bg0, m, mapispi.MsgLocked), "SetLockState(MSG_LOCKED)")
	if n, _ := getInt(t, m, mapispi.PropSubmitFlags); mapispi.SubmitFlags(n)&mapispi.SubmitLocked == 0 {
		t.Errorf("PR_SUBMIT_FLAGS after MSG_LOCKED = %v, want SUBMITFLAG_LOCKED", n)
	}
	stored := openMsg(t, w.spooler, id, 0)
	if n, _ := getInt(t, stored, mapispi.PropSubmitFlags); mapispi.SubmitFlags(n)&mapispi.SubmitLocked == 0 {
		t.Errorf("stored PR_SUBMIT_FLAGS after MSG_LOCKED = %v, want SUBMITFLAG_LOCKED", n)
	}
	vals, _ := stored.GetProps(bg0, []mapispi.PropTag{mapispi.PropBody})
	if vals[0].Value != "pending" {
		t.Errorf("PR_BODY after SetLockState = %v, want the pending change saved", vals[0])
	}
	sink.waitUntil(t, "TABLE_ROW_MODIFIED with SUBMITFLAG_LOCKED", func(n mapispi.TableNotification) bool {
		f, _ := rowValue(n.Row, mapispi.PropSubmitFlags).(int32)
		return n.Event == mapispi.TableRowModified && mapispi.SubmitFlags(f)&mapispi.SubmitLocked != 0
	})

	other := w.secondSpooler(t)
	if err := other.SetLockState(bg0, openMsg(t, other, id, mapispi.OpenModify), mapispi.MsgLocked); !errors.Is(err, mapispi.ErrBusy) {
		t.Errorf("second spooler SetLockState(MSG_LOCKED) = %v, want ErrBusy", err)
	}
	require.NoError(t, w.spooler.SetLockState(bg0, m, mapispi.MsgUnlocked), "SetLockState(MSG_UNLOCKED)")
	if n, _ := getInt(t, openMsg(t, w.spooler, id, 0), mapispi.PropSubmitFlags); mapispi.SubmitFlags(n)&mapispi.SubmitLocked != 0 {
		t.Errorf("stored PR_SUBMIT_FLAGS after MSG_UNLOCKED = %v, want no SUBMITFLAG_LOCKED", n)
	}
	if err := other.SetLockState(bg0, openMsg(t, other, id, mapispi.OpenModify), mapispi.MsgLocked); err != nil {
		t.Errorf("second spooler SetLockState(MSG_LOCKED) after the unlock = %v, want nil", err)
	}

	if err := w.spooler.SetLockState(bg0, m, 7); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SetLockState(7) = %v, want ErrInvalidParameter", err)
	}
	if err := w.spooler.SetLockState(bg0, outbox, mapispi.MsgLocked); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SetLockState(a folder) = %v, want ErrInvalidParameter", err)
	}
	if err := w.spooler.SetLockState(bg0, clientCopy, mapispi.MsgLocked); !errors.Is(err, mapispi.ErrInvalidParameter) {
		t.Errorf("SetLockState(a message of another logon) = %v, want ErrInvalidParameter", err)
	}
	plain := draft(t, openFolder(t, w.spooler, entryIDOf(t, outbox)), "plain", 1)
	require.NoError(t, plain.SaveChanges(bg0, mapispi.KeepOpenReadWrite))
	if err := w.spooler.SetLockState(bg0, plain, mapispi.MsgLocked); !errors.Is(err, mapispi.ErrNotInQueue) {
		t.Errorf("SetLockState(a message not queued) = %v, want ErrNotInQueue", err)
	}
}

// TestLockEndsWithSpoolerLogoff: a lock does not outlive the spooler's
// logon that took it: after its Logoff the message is queued and
// unlocked, and another spooler locks it.
func TestLockEndsWithSpoolerLogoff(t *testing.T) {
	w := newSendWorld(t)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "orphan")
	m := openMsg(t, w.spooler, id, mapispi.OpenModify)
	require.NoError(t, w.spooler.SetLockState(bg0, m, mapispi.MsgLocked))
	require.NoError(t, w.spooler.logon.Logoff(bg0), "spooler Logoff")
	if _, err := w.client.OpenEntry(bg0, id, mapispi.OpenBestAccess); err != nil {
		t.Errorf("client OpenEntry after the spooler's logoff = %v, want the message unlocked", err)
	}
	other := w.secondSpooler(t)
	rows := queueRows(t, other)
	if len(rows) != 1 || rowValue(rows[0], mapispi.PropSubmitFlags) != int32(0) {
		t.Errorf("queue after the spooler's logoff = %v, want the message queued with PR_SUBMIT_FLAGS 0", rows)
	}
	if err := other.SetLockState(bg0, openMsg(t, other, id, mapispi.OpenModify), mapispi.MsgLocked); err != nil {
		t.Errorf("another spooler's SetLockState = %v, want nil", err)
	}
}

// TestFinishedMsg: rule 20. FinishedMsg of a locked message unlocks it,
// clears MSGFLAG_SUBMIT, MSGFLAG_UNSENT and PR_SUBMIT_FLAGS, takes it off
// the queue (TABLE_ROW_DELETED), then moves it to PR_SENTMAIL_ENTRYID,
// deletes it for PR_DELETE_AFTER_SUBMIT (also with PR_SENTMAIL_ENTRYID),
// or leaves it in its folder.
func TestFinishedMsg(t *testing.T) {
	for _, tt := range []struct {
		name          string
		sent, del     bool
		outbox, items []string // the Outbox's and Sent Items' subjects after
	}{
		{"neither", false, false, []string{"m"}, nil},
		{"PR_SENTMAIL_ENTRYID", true, false, nil, []string{"m"}},
		{"PR_DELETE_AFTER_SUBMIT", false, true, nil, nil},
		{"both", true, true, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newSendWorld(t)
			outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
			sentItems := storeFolder(t, w.client, mapispi.PropIPMSentMailEntryID)
			var props []mapispi.PropValue
			if tt.sent {
				props = append(props, mapispi.PropValue{Tag: mapispi.PropSentMailEntryID, Value: []byte(entryIDOf(t, sentItems))})
			}
			if tt.del {
				props = append(props, mapispi.PropValue{Tag: mapispi.PropDeleteAfterSubmit, Value: true})
			}
			id := submit(t, outbox, "m", props...)
			tbl, err := w.spooler.OutgoingQueue(bg0)
			require.NoError(t, err)
			defer tbl.Close(bg0)
			sink := newTableSink()
			_, err = tbl.Advise(bg0, sink)
			require.NoError(t, err)

			m := openMsg(t, w.spooler, id, mapispi.OpenModify)
			if err := w.spooler.FinishedMsg(bg0, id); !errors.Is(err, mapispi.ErrInvalidParameter) {
				t.Errorf("FinishedMsg(unlocked) = %v, want ErrInvalidParameter", err)
			}
			require.NoError(t, w.spooler.SetLockState(bg0, m, mapispi.MsgLocked))
			require.NoError(t, w.spooler.FinishedMsg(bg0, id), "FinishedMsg")
			sink.waitFor(t, mapispi.TableRowDeleted)
			if got := queueRows(t, w.spooler); len(got) != 0 {
				t.Errorf("queue after FinishedMsg = %v, want empty", subjects(got))
			}
			if got := contentSubjects(t, outbox); !slices.Equal(got, tt.outbox) {
				t.Errorf("Outbox = %v, want %v", got, tt.outbox)
			}
			if got := contentSubjects(t, sentItems); !slices.Equal(got, tt.items) {
				t.Errorf("Sent Items = %v, want %v", got, tt.items)
			}
			if err := w.spooler.FinishedMsg(bg0, id); !errors.Is(err, mapispi.ErrNotInQueue) && !errors.Is(err, mapispi.ErrNotFound) {
				t.Errorf("FinishedMsg again = %v, want ErrNotInQueue (or ErrNotFound once moved or deleted)", err)
			}
			if len(tt.outbox) == 1 {
				sent := openMsg(t, w.client, id, mapispi.OpenModify)
				if f := msgFlags(t, sent); f&(mapispi.MsgFlagSubmit|mapispi.MsgFlagUnsent) != 0 {
					t.Errorf("PR_MESSAGE_FLAGS after FinishedMsg = %v, want neither MSGFLAG_SUBMIT nor MSGFLAG_UNSENT", f)
				}
				if err := w.spooler.FinishedMsg(bg0, id); !errors.Is(err, mapispi.ErrNotInQueue) {
					t.Errorf("FinishedMsg of a sent message = %v, want ErrNotInQueue", err)
				}
			}
		})
	}
}

// TestFinishedMsgUnknownSentMail: a PR_SENTMAIL_ENTRYID naming no folder
// of the store leaves the sent message where it is.
func TestFinishedMsgUnknownSentMail(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	id := submit(t, outbox, "kept", mapispi.PropValue{Tag: mapispi.PropSentMailEntryID, Value: []byte{1, 2, 3}})
	require.NoError(t, w.spooler.SetLockState(bg0, openMsg(t, w.spooler, id, mapispi.OpenModify), mapispi.MsgLocked))
	require.NoError(t, w.spooler.FinishedMsg(bg0, id))
	if got := contentSubjects(t, outbox); !slices.Equal(got, []string{"kept"}) {
		t.Errorf("Outbox = %v, want [kept]", got)
	}
}

// adviseSink collects a store's notifications.
type adviseSink struct {
	mu  sync.Mutex
	got []mapispi.Notification
}

func (s *adviseSink) OnNotify(ns []mapispi.Notification) mapispi.CallbackResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, ns...)
	return mapispi.CallbackContinue
}

func (s *adviseSink) all() []mapispi.Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// TestNotifyNewMail: rule 21. The spooler's NotifyNewMail reaches a
// client's whole-store EventNewMail sink once, with a copy of the
// notification; anything but an fnevNewMail notification is
// ErrInvalidParameter.
func TestNotifyNewMail(t *testing.T) {
	w := newSendWorld(t)
	sink := &adviseSink{}
	_, err := w.client.Advise(bg0, nil, mapispi.EventNewMail, sink)
	require.NoError(t, err)
	inbox := storeFolder(t, w.spooler, mapispi.PropIPMSubtreeEntryID)
	m := draft(t, inbox, "delivered", 0)
	require.NoError(t, m.SaveChanges(bg0, mapispi.KeepOpenReadWrite))
	id := entryIDOf(t, m)
	n := &mapispi.Notification{Event: mapispi.EventNewMail, EntryID: slices.Clone(id), ParentID: entryIDOf(t, inbox),
		MessageClass: "IPM.Note", MessageFlags: uint32(mapispi.MsgFlagUnsent)}
	require.NoError(t, w.spooler.NotifyNewMail(bg0, n), "NotifyNewMail")
	n.EntryID[0] = 0xFF // the store keeps a copy
	got := sink.all()
	if len(got) != 1 {
		t.Fatalf("the sink got %v, want one fnevNewMail", got)
	}
	if g := got[0]; g.Event != mapispi.EventNewMail || !bytes.Equal(g.EntryID, id) || g.MessageClass != "IPM.Note" || g.MessageFlags != uint32(mapispi.MsgFlagUnsent) {
		t.Errorf("the sink got %+v, want fnevNewMail of %v, IPM.Note, flags MSGFLAG_UNSENT", g, id)
	}
	for name, bad := range map[string]*mapispi.Notification{"nil": nil, "fnevObjectCreated": {Event: mapispi.EventObjectCreated}} {
		if err := w.spooler.NotifyNewMail(bg0, bad); !errors.Is(err, mapispi.ErrInvalidParameter) {
			t.Errorf("NotifyNewMail(%s) = %v, want ErrInvalidParameter", name, err)
		}
	}
}

// TestQueuedMessageOpen: rules 4 and 5. A client's OpenEntry of a queued
// message with MAPI_MODIFY is ErrSubmitted, with MAPI_BEST_ACCESS opens
// it read-only; once the spooler locks it any client open is
// ErrNoAccess, while the spooler opens it read/write and saves it.
func TestQueuedMessageOpen(t *testing.T) {
	w := newSendWorld(t)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "queued")
	if _, err := w.client.OpenEntry(bg0, id, mapispi.OpenModify); !errors.Is(err, mapispi.ErrSubmitted) {
		t.Errorf("client OpenEntry(queued, MAPI_MODIFY) = %v, want ErrSubmitted", err)
	}
	ro := openMsg(t, w.client, id, mapispi.OpenBestAccess)
	if n, _ := getInt(t, ro, mapispi.PropAccessLevel); n != int32(mapispi.AccessLevelReadOnly) {
		t.Errorf("PR_ACCESS_LEVEL of the best-access open = %v, want read-only", n)
	}
	if _, err := ro.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "x"}}); !errors.Is(err, mapispi.ErrNoAccess) {
		t.Errorf("SetProps on the best-access open = %v, want ErrNoAccess", err)
	}

	sp := openMsg(t, w.spooler, id, mapispi.OpenModify)
	require.NoError(t, w.spooler.SetLockState(bg0, sp, mapispi.MsgLocked))
	for _, flags := range []mapispi.OpenFlags{0, mapispi.OpenBestAccess, mapispi.OpenModify} {
		if _, err := w.client.OpenEntry(bg0, id, flags); !errors.Is(err, mapispi.ErrNoAccess) {
			t.Errorf("client OpenEntry(locked, %v) = %v, want ErrNoAccess", flags, err)
		}
	}
	require.NoError(t, sp.ModifyRecipients(bg0, mapispi.ModRecipModify, []mapispi.Row{{
		{Tag: mapispi.PropRowID, Value: int32(0)}, {Tag: mapispi.PropDisplayName, Value: "taken"},
		{Tag: mapispi.PropRecipientType, Value: int32(1)}, {Tag: mapispi.PropResponsibility, Value: true}}}))
	if err := sp.SaveChanges(bg0, mapispi.KeepOpenReadWrite); err != nil {
		t.Errorf("the spooler's SaveChanges of its locked message = %v, want nil", err)
	}
	if f := msgFlags(t, openMsg(t, w.spooler, id, 0)); f&mapispi.MsgFlagSubmit == 0 {
		t.Errorf("PR_MESSAGE_FLAGS after the spooler's save = %v, want it still queued", f)
	}
}

// TestSaveQueuedFromOldInstance: an instance opened read/write before the
// submission cannot save over the queued message: ErrSubmitted, also
// with FORCE_SAVE; the queued message is unchanged.
func TestSaveQueuedFromOldInstance(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	m := draft(t, outbox, "original", 1)
	require.NoError(t, m.SaveChanges(bg0, mapispi.KeepOpenReadWrite))
	id := entryIDOf(t, m)
	old := openMsg(t, w.client, id, mapispi.OpenModify)
	require.NoError(t, m.SubmitMessage(bg0, 0))
	_, err := old.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "changed"}})
	require.NoError(t, err)
	for _, flags := range []mapispi.SaveFlags{0, mapispi.ForceSave} {
		if err := old.SaveChanges(bg0, flags|mapispi.KeepOpenReadWrite); !errors.Is(err, mapispi.ErrSubmitted) {
			t.Errorf("old instance SaveChanges(%v) = %v, want ErrSubmitted", flags, err)
		}
	}
	if got := subjects(queueRows(t, w.spooler)); !slices.Equal(got, []any{"original"}) {
		t.Errorf("queue = %v, want [original] unchanged", got)
	}
}

// TestQueuedMessageSurvives: rules 32 and 33. DeleteMessages, EmptyFolder
// and CopyMessages(MESSAGE_MOVE) leave a queued message where it is and
// report it in a *mapispi.PartialError; the other messages go. A copy of
// a queued message is not queued.
func TestQueuedMessageSurvives(t *testing.T) {
	w := newSendWorld(t)
	outbox := storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID)
	inbox := storeFolder(t, w.client, mapispi.PropIPMSubtreeEntryID)
	queued := submit(t, outbox, "queued")
	plain := draft(t, outbox, "plain", 1)
	require.NoError(t, plain.SaveChanges(bg0, 0))

	err := outbox.DeleteMessages(bg0, []mapispi.EntryID{entryIDOf(t, plain), queued}, 0)
	var pe *mapispi.PartialError
	if !errors.As(err, &pe) || len(pe.Failed) != 1 || pe.Failed[0].Index != 1 || !errors.Is(pe.Failed[0].Err, mapispi.ErrSubmitted) {
		t.Errorf("DeleteMessages(plain, queued) = %v, want a PartialError for index 1 with ErrSubmitted", err)
	}
	if got := contentSubjects(t, outbox); !slices.Equal(got, []string{"queued"}) {
		t.Errorf("Outbox after DeleteMessages = %v, want [queued]", got)
	}

	err = outbox.CopyMessages(bg0, []mapispi.EntryID{queued}, inbox, mapispi.MessageMove)
	if !errors.As(err, &pe) || len(pe.Failed) != 1 || !errors.Is(pe.Failed[0].Err, mapispi.ErrSubmitted) {
		t.Errorf("CopyMessages(queued, MESSAGE_MOVE) = %v, want a PartialError with ErrSubmitted", err)
	}
	require.NoError(t, outbox.CopyMessages(bg0, []mapispi.EntryID{queued}, inbox, 0), "CopyMessages(queued) copies it")
	if got := subjects(queueRows(t, w.spooler)); !slices.Equal(got, []any{"queued"}) {
		t.Errorf("queue after a copy = %v, want only the original", got)
	}

	again := draft(t, outbox, "plain again", 1)
	require.NoError(t, again.SaveChanges(bg0, 0))
	sub, err := outbox.CreateFolder(bg0, mapispi.FolderGeneric, "sub", "", 0)
	require.NoError(t, err)
	defer sub.Close(bg0)
	inSub := submit(t, sub.(*Folder), "in sub")
	err = outbox.EmptyFolder(bg0, 0)
	if !errors.As(err, &pe) || len(pe.Failed) != 2 {
		t.Fatalf("EmptyFolder with queued messages = %v, want a PartialError listing both", err)
	}
	if got := contentSubjects(t, outbox); !slices.Equal(got, []string{"queued"}) {
		t.Errorf("Outbox after EmptyFolder = %v, want [queued]", got)
	}
	if got := subjects(queueRows(t, w.spooler)); !slices.Equal(got, []any{"queued", "in sub"}) {
		t.Errorf("queue after EmptyFolder = %v, want both queued messages", got)
	}
	if err := outbox.DeleteFolder(bg0, entryIDOf(t, sub), mapispi.DelMessages|mapispi.DelFolders); !errors.Is(err, mapispi.ErrSubmitted) {
		t.Errorf("DeleteFolder(a folder with a queued message) = %v, want ErrSubmitted", err)
	}
	m, err := w.client.OpenEntry(bg0, inSub, 0)
	if err != nil {
		t.Errorf("OpenEntry(the queued message in the folder DeleteFolder refused) = %v, want it kept", err)
	} else {
		_ = m.Close(bg0)
	}
}

// TestQueueSharedAcrossProviders: the queue is the store's: a second
// session's provider object over the same Backend sees a message another
// session queued as queued, and its spooler lists it.
func TestQueueSharedAcrossProviders(t *testing.T) {
	w := newSendWorld(t)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "shared")
	second, _ := w.clientLogon(t, w.h.newProvider(), mapispi.LogonWrite)
	if _, err := second.OpenEntry(bg0, id, mapispi.OpenModify); !errors.Is(err, mapispi.ErrSubmitted) {
		t.Errorf("second session OpenEntry(queued, MAPI_MODIFY) = %v, want ErrSubmitted", err)
	}
	if got := subjects(queueRows(t, w.secondSpooler(t))); !slices.Equal(got, []any{"shared"}) {
		t.Errorf("second spooler's queue = %v, want [shared]", got)
	}
	if err := second.AbortSubmit(bg0, id); err != nil {
		t.Errorf("second session AbortSubmit = %v, want nil", err)
	}
	if got := queueRows(t, w.spooler); len(got) != 0 {
		t.Errorf("first spooler's queue after the abort = %v, want empty", subjects(got))
	}
}

// TestLockOfAnUnchangedInstance: SetLockState saves the instance's
// changes (IMsgStore::SetLockState, "Notes to implementers"); an instance
// without changes has nothing to save. So another spooler's lock and
// unlock, which change nothing, leave an instance opened before them
// usable; a save by the other spooler makes the instance stale, and its
// lock is ErrObjectChanged, leaving the message unlocked.
func TestLockOfAnUnchangedInstance(t *testing.T) {
	w := newSendWorld(t)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "shared")
	other := w.secondSpooler(t)

	early := openMsg(t, w.spooler, id, mapispi.OpenModify)
	theirs := openMsg(t, other, id, mapispi.OpenModify)
	require.NoError(t, other.SetLockState(bg0, theirs, mapispi.MsgLocked), "other spooler SetLockState(MSG_LOCKED)")
	require.NoError(t, other.SetLockState(bg0, theirs, mapispi.MsgUnlocked), "other spooler SetLockState(MSG_UNLOCKED)")
	if err := w.spooler.SetLockState(bg0, early, mapispi.MsgLocked); err != nil {
		t.Fatalf("SetLockState(MSG_LOCKED) of an instance opened before another spooler's lock and unlock = %v, want nil", err)
	}
	require.NoError(t, w.spooler.SetLockState(bg0, early, mapispi.MsgUnlocked))

	stale := openMsg(t, w.spooler, id, mapispi.OpenModify)
	theirs = openMsg(t, other, id, mapispi.OpenModify)
	require.NoError(t, other.SetLockState(bg0, theirs, mapispi.MsgLocked))
	_, err := theirs.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropBody, Value: "sent to one"}})
	require.NoError(t, err)
	require.NoError(t, theirs.SaveChanges(bg0, mapispi.KeepOpenReadWrite))
	require.NoError(t, other.SetLockState(bg0, theirs, mapispi.MsgUnlocked))
	if err := w.spooler.SetLockState(bg0, stale, mapispi.MsgLocked); !errors.Is(err, mapispi.ErrObjectChanged) {
		t.Errorf("SetLockState(MSG_LOCKED) of an instance older than another spooler's save = %v, want ErrObjectChanged", err)
	}
	if n, _ := getInt(t, openMsg(t, w.spooler, id, 0), mapispi.PropSubmitFlags); mapispi.SubmitFlags(n)&mapispi.SubmitLocked != 0 {
		t.Errorf("stored PR_SUBMIT_FLAGS after a refused lock = %v, want no SUBMITFLAG_LOCKED", n)
	}
	vals, _ := openMsg(t, w.spooler, id, 0).GetProps(bg0, []mapispi.PropTag{mapispi.PropBody})
	if vals[0].Value != "sent to one" {
		t.Errorf("PR_BODY after a refused lock = %v, want the other spooler's save kept", vals[0])
	}
}

// TestLockOfAStaleInstanceWhileHoldingTheLock: a spooler logon holding a
// message's lock through one instance, that saves through it, cannot
// lock again through an older instance, which does not hold what the
// save stored.
func TestLockOfAStaleInstanceWhileHoldingTheLock(t *testing.T) {
	w := newSendWorld(t)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "twice")
	older := openMsg(t, w.spooler, id, mapispi.OpenModify)
	newer := openMsg(t, w.spooler, id, mapispi.OpenModify)
	require.NoError(t, w.spooler.SetLockState(bg0, newer, mapispi.MsgLocked))
	_, err := newer.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropBody, Value: "marked"}})
	require.NoError(t, err)
	require.NoError(t, newer.SaveChanges(bg0, mapispi.KeepOpenReadWrite))
	if err := w.spooler.SetLockState(bg0, older, mapispi.MsgLocked); !errors.Is(err, mapispi.ErrObjectChanged) {
		t.Errorf("SetLockState(MSG_LOCKED) of an instance older than the lock holder's save = %v, want ErrObjectChanged", err)
	}
}

// TestNoOpChangesAreNoChanges: a SetProps that sets nothing (PR_NULL)
// and a DeleteProps of a property the message lacks leave the instance
// without changes, so its lock saves nothing and another instance opened
// before stays current.
func TestNoOpChangesAreNoChanges(t *testing.T) {
	w := newSendWorld(t)
	id := submit(t, storeFolder(t, w.client, mapispi.PropIPMOutboxEntryID), "untouched")
	other := w.secondSpooler(t)
	early := openMsg(t, w.spooler, id, mapispi.OpenModify)
	theirs := openMsg(t, other, id, mapispi.OpenModify)
	_, err := theirs.SetProps(bg0, []mapispi.PropValue{{Tag: mapispi.PropNull}})
	require.NoError(t, err)
	_, err = theirs.DeleteProps(bg0, []mapispi.PropTag{mapispi.PropBody})
	require.NoError(t, err)
	require.NoError(t, other.SetLockState(bg0, theirs, mapispi.MsgLocked))
	require.NoError(t, other.SetLockState(bg0, theirs, mapispi.MsgUnlocked))
	if err := w.spooler.SetLockState(bg0, early, mapispi.MsgLocked); err != nil {
		t.Errorf("SetLockState(MSG_LOCKED) after another spooler's no-op changes, lock and unlock = %v, want nil", err)
	}
}
