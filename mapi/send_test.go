package mapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// mailer is a session with stores open, for sending tests.
type mailer struct {
	t      testing.TB
	ctx    context.Context
	s      *mapi.Session
	stores map[string]*mapi.Store
}

func newMailer(t testing.TB, w *world, opts *mapi.Options) *mailer {
	t.Helper()
	if opts == nil {
		opts = &mapi.Options{ManualFlush: true}
	}
	m := &mailer{t: t, ctx: context.Background(), s: w.logon(t, opts), stores: map[string]*mapi.Store{}}
	for _, info := range mustStores(t, m.s) {
		st, err := m.s.OpenMsgStore(m.ctx, info.EntryID, mapispi.LogonWrite)
		require.NoError(t, err)
		m.stores[info.Service] = st
	}
	return m
}

// close closes the stores and logs off, requiring a clean logoff.
func (m *mailer) close() {
	m.t.Helper()
	for _, st := range m.stores {
		require.NoError(m.t, st.Close(m.ctx))
	}
	require.NoError(m.t, m.s.Logoff(m.ctx))
}

// folder opens the folder a store property (PR_IPM_OUTBOX_ENTRYID ...)
// names.
func (m *mailer) folder(store string, tag mapispi.PropTag) *mapi.Folder {
	m.t.Helper()
	st := m.stores[store]
	vals, err := st.GetProps(m.ctx, []mapispi.PropTag{tag})
	require.NoError(m.t, err)
	id, ok := vals[0].Value.([]byte)
	require.True(m.t, ok, "%v of %s = %v", tag, store, vals[0])
	obj, err := st.OpenEntry(m.ctx, id, mapispi.OpenModify)
	require.NoError(m.t, err)
	return obj.(*mapi.Folder)
}

// inbox opens the receive folder of store for class.
func (m *mailer) inbox(store, class string) *mapi.Folder {
	m.t.Helper()
	st := m.stores[store]
	id, _, err := st.ReceiveFolder(m.ctx, class)
	require.NoError(m.t, err)
	obj, err := st.OpenEntry(m.ctx, id, mapispi.OpenModify)
	require.NoError(m.t, err)
	return obj.(*mapi.Folder)
}

// rcpt is a recipient: display name, address type, address.
type rcpt struct{ name, addrType, addr string }

func local(name string) rcpt { return rcpt{name, mapi.LocalAddrType, name} }

// compose makes a message in store's Outbox that goes to Sent Items
// when sent, with a 1 KB attachment, and submits it.
func (m *mailer) submit(store, subject string, to ...rcpt) mapispi.EntryID {
	m.t.Helper()
	outbox := m.folder(store, mapispi.PropIPMOutboxEntryID)
	defer outbox.Close(m.ctx)
	sent := m.storeID(store, mapispi.PropIPMSentMailEntryID)
	msg, err := outbox.CreateMessage(m.ctx, 0)
	require.NoError(m.t, err)
	defer msg.Close(m.ctx)
	_, err = msg.SetProps(m.ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: subject},
		{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
		{Tag: mapispi.PropBody, Value: "body of " + subject},
		{Tag: mapispi.PropSenderName, Value: store},
		{Tag: mapispi.PropSentMailEntryID, Value: []byte(sent)},
	})
	require.NoError(m.t, err)
	var rows []mapispi.Row
	for _, r := range to {
		rows = append(rows, mapispi.Row{
			{Tag: mapispi.PropDisplayName, Value: r.name},
			{Tag: mapispi.PropAddrType, Value: r.addrType},
			{Tag: mapispi.PropEmailAddress, Value: r.addr},
			{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
		})
	}
	require.NoError(m.t, msg.ModifyRecipients(m.ctx, mapispi.ModRecipAdd, rows))
	att, _, err := msg.CreateAttach(m.ctx, 0)
	require.NoError(m.t, err)
	_, err = att.SetProps(m.ctx, []mapispi.PropValue{
		{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
		{Tag: mapispi.PropAttachDataBin, Value: bytes.Repeat([]byte{0xA5}, 1024)},
	})
	require.NoError(m.t, err)
	require.NoError(m.t, att.SaveChanges(m.ctx, 0))
	require.NoError(m.t, att.Close(m.ctx))
	require.NoError(m.t, msg.SaveChanges(m.ctx, mapispi.KeepOpenReadWrite))
	vals, err := msg.GetProps(m.ctx, []mapispi.PropTag{mapispi.PropEntryID})
	require.NoError(m.t, err)
	require.NoError(m.t, msg.SubmitMessage(m.ctx, 0))
	return vals[0].Value.([]byte)
}

func (m *mailer) storeID(store string, tag mapispi.PropTag) mapispi.EntryID {
	m.t.Helper()
	vals, err := m.stores[store].GetProps(m.ctx, []mapispi.PropTag{tag})
	require.NoError(m.t, err)
	return vals[0].Value.([]byte)
}

// subjects lists the subjects of a folder's messages, sorted.
func (m *mailer) subjects(store string, f *mapi.Folder) []string {
	m.t.Helper()
	defer f.Close(m.ctx)
	tb, err := f.ContentsTable(m.ctx, 0)
	require.NoError(m.t, err)
	defer tb.Close(m.ctx)
	require.NoError(m.t, tb.SetColumns(m.ctx, []mapispi.PropTag{mapispi.PropSubject}))
	require.NoError(m.t, tb.SortTable(m.ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropSubject}}}))
	rows, err := tb.QueryRows(m.ctx, 1000)
	require.NoError(m.t, err)
	var out []string
	for _, r := range rows {
		s, _ := r[0].Value.(string)
		out = append(out, s)
	}
	return out
}

func TestFlushDeliversLocallyOnceAndFilesTheSentMessage(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	m := newMailer(t, w, nil)
	defer m.close()
	var mu sync.Mutex
	var newMail []mapispi.Notification
	conn, err := m.stores["bob"].Advise(m.ctx, nil, mapispi.EventNewMail, mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
		mu.Lock()
		newMail = append(newMail, ns...)
		mu.Unlock()
		return mapispi.CallbackContinue
	}))
	require.NoError(t, err)
	defer m.stores["bob"].Unadvise(m.ctx, conn)

	m.submit("alice", "hello bob", local("bob"))
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Delivered: 1}, res, "Flush() result")

	assert.Equal(t, []string{"hello bob"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox after Flush")
	assert.Equal(t, []string{"hello bob"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMSentMailEntryID)), "alice's Sent Items after Flush")
	assert.Empty(t, m.subjects("alice", m.folder("alice", mapispi.PropIPMOutboxEntryID)), "alice's Outbox after Flush")

	// The delivered copy: delivery time, received-by, unread and not
	// unsent, its attachment's bytes.
	inbox := m.inbox("bob", "IPM.Note")
	defer inbox.Close(m.ctx)
	tb, err := inbox.ContentsTable(m.ctx, 0)
	require.NoError(t, err)
	require.NoError(t, tb.SetColumns(m.ctx, []mapispi.PropTag{mapispi.PropEntryID}))
	rows, err := tb.QueryRows(m.ctx, 10)
	require.NoError(t, err)
	require.NoError(t, tb.Close(m.ctx))
	require.Len(t, rows, 1)
	obj, err := m.stores["bob"].OpenEntry(m.ctx, rows[0][0].Value.([]byte), 0)
	require.NoError(t, err)
	got := obj.(*mapi.Message)
	defer got.Close(m.ctx)
	vals, err := got.GetProps(m.ctx, []mapispi.PropTag{mapispi.PropMessageDeliveryTime, mapispi.PropReceivedByName, mapispi.PropMessageFlags, mapispi.PropHasAttach, mapispi.PropBody})
	require.NoError(t, err)
	assert.IsType(t, time.Time{}, vals[0].Value, "PR_MESSAGE_DELIVERY_TIME of the delivered copy")
	assert.Equal(t, "bob", vals[1].Value, "PR_RECEIVED_BY_NAME of the delivered copy")
	flags, _ := vals[2].Value.(int32)
	assert.Zero(t, mapispi.MessageFlags(flags)&(mapispi.MsgFlagUnsent|mapispi.MsgFlagSubmit|mapispi.MsgFlagRead), "PR_MESSAGE_FLAGS of the delivered copy = %v", mapispi.MessageFlags(flags))
	assert.Equal(t, true, vals[3].Value, "PR_HASATTACH of the delivered copy")
	assert.Equal(t, "body of hello bob", vals[4].Value, "PR_BODY of the delivered copy")
	att, err := got.OpenAttach(m.ctx, 0, 0)
	require.NoError(t, err)
	st, err := att.OpenStream(m.ctx, mapispi.PropAttachDataBin, 0)
	require.NoError(t, err)
	data, err := io.ReadAll(st)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	require.NoError(t, att.Close(m.ctx))
	assert.Equal(t, bytes.Repeat([]byte{0xA5}, 1024), data, "the delivered attachment's data")

	// A second flush has nothing to do.
	res, err = m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{}, res, "a second Flush()")
	assert.Equal(t, []string{"hello bob"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox after a second Flush")

	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(newMail) == 1 }, 5*time.Second, time.Millisecond, "one new-mail notification")
	mu.Lock()
	assert.Equal(t, "IPM.Note", newMail[0].MessageClass, "the new-mail notification's class")
	mu.Unlock()
}

func TestFlushWritesANonDeliveryReport(t *testing.T) {
	w := newWorld(t, "alice")
	m := newMailer(t, w, nil)
	defer m.close()
	m.submit("alice", "to a fax", rcpt{"Fax", "FAX", "+1 555 0100"})
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Failed: 1, Reports: 1}, res, "Flush() result")

	inbox := m.inbox("alice", "REPORT.IPM.Note.NDR")
	defer inbox.Close(m.ctx)
	tb, err := inbox.ContentsTable(m.ctx, 0)
	require.NoError(t, err)
	defer tb.Close(m.ctx)
	require.NoError(t, tb.SetColumns(m.ctx, []mapispi.PropTag{mapispi.PropMessageClass, mapispi.PropSubject, mapispi.PropEntryID}))
	rows, err := tb.QueryRows(m.ctx, 10)
	require.NoError(t, err)
	require.Len(t, rows, 1, "non-delivery reports in alice's Inbox")
	assert.Equal(t, "REPORT.IPM.Note.NDR", rows[0][0].Value, "the report's PR_MESSAGE_CLASS")
	assert.Equal(t, "Undeliverable: to a fax", rows[0][1].Value, "the report's PR_SUBJECT")
	obj, err := m.stores["alice"].OpenEntry(m.ctx, rows[0][2].Value.([]byte), 0)
	require.NoError(t, err)
	ndr := obj.(*mapi.Message)
	defer ndr.Close(m.ctx)
	rt, err := ndr.RecipientTable(m.ctx, 0)
	require.NoError(t, err)
	defer rt.Close(m.ctx)
	require.NoError(t, rt.SetColumns(m.ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropReportText}))
	recips, err := rt.QueryRows(m.ctx, 10)
	require.NoError(t, err)
	require.Len(t, recips, 1, "the report's recipients")
	assert.Equal(t, "Fax", recips[0][0].Value, "the failed recipient in the report")
	assert.Contains(t, recips[0][1].Value, `no transport is registered for address type "FAX"`, "the failed recipient's PR_REPORT_TEXT")
	assert.Equal(t, []string{"to a fax"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMSentMailEntryID)), "alice's Sent Items")
}

// flaky is a transport whose answers come from a function.
type flaky struct {
	mu    sync.Mutex
	calls []string // the subjects it was given
	next  func(m *mapi.Outbound) mapi.Outcome
}

func (f *flaky) Send(ctx context.Context, m *mapi.Outbound) mapi.Outcome {
	subject, _ := m.Prop(mapispi.PropSubject)
	f.mu.Lock()
	f.calls = append(f.calls, fmt.Sprint(subject.Value))
	next := f.next
	f.mu.Unlock()
	return next(m)
}

func TestDeferredRecipientsWaitAndOthersAreNotSentAgain(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	xp := &flaky{next: func(*mapi.Outbound) mapi.Outcome { return mapi.Outcome{Status: mapi.Deferred, Reason: "busy"} }}
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", xp))
	m := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	defer m.close()
	m.submit("alice", "both", local("bob"), rcpt{"Carol", "SMTP", "carol@example.com"})

	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Deferred: 1, Delivered: 1}, res, "first Flush(): bob delivered, carol deferred")
	assert.Equal(t, []string{"both"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMOutboxEntryID)), "alice's Outbox while carol waits")

	xp.mu.Lock()
	xp.next = func(m *mapi.Outbound) mapi.Outcome {
		if len(m.Recipients) != 1 {
			return mapi.Outcome{Status: mapi.Failed, Reason: fmt.Sprintf("given %d recipients", len(m.Recipients))}
		}
		return mapi.Outcome{Status: mapi.Delivered}
	}
	xp.mu.Unlock()
	res, err = m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Delivered: 1}, res, "second Flush(): carol delivered")
	assert.Equal(t, []string{"both"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox: delivered once")
	assert.Equal(t, []string{"both", "both"}, xp.calls, "the transport's calls")
	assert.Equal(t, []string{"both"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMSentMailEntryID)), "alice's Sent Items")
}

func TestTransportPanicIsAFailedDelivery(t *testing.T) {
	w := newWorld(t, "alice")
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", mapi.TransportFunc(func(context.Context, *mapi.Outbound) mapi.Outcome { panic("boom") })))
	m := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	defer m.close()
	m.submit("alice", "boom", rcpt{"Carol", "SMTP", "carol@example.com"})
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Failed: 1, Reports: 1}, res, "Flush() with a panicking transport")
}

func TestSMTPAddressAProfileClaimsIsLocal(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	w.profile.Services[1].Props = append(w.profile.Services[1].Props, mapispi.PropValue{Tag: mapispi.PropSMTPAddress, Value: "Bob@Example.com"})
	m := newMailer(t, w, nil)
	defer m.close()
	m.submit("alice", "by smtp", rcpt{"Bob", "SMTP", "bob@example.com"})
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Delivered: 1}, res, "Flush() to an address bob's service claims")
	assert.Equal(t, []string{"by smtp"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox")
}

func TestFlushCancelledMidwayLosesNothing(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	ctx, cancel := context.WithCancel(context.Background())
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", mapi.TransportFunc(func(c context.Context, m *mapi.Outbound) mapi.Outcome {
		cancel()
		<-c.Done()
		return mapi.Outcome{Status: mapi.Deferred, Reason: c.Err().Error()}
	})))
	m := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	defer m.close()
	m.submit("alice", "first", local("bob"), rcpt{"Carol", "SMTP", "carol@example.com"})
	m.submit("alice", "second", local("bob"))
	res, err := m.s.Spooler().Flush(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled, "Flush() cancelled")
	assert.Equal(t, mapi.FlushResult{Messages: 1, Deferred: 1, Delivered: 1}, res, "Flush() cancelled in the first message")

	m2 := newMailer(t, w, &mapi.Options{ManualFlush: true})
	defer m2.close()
	res, err = m2.s.Spooler().Flush(m2.ctx) // no SMTP transport here: carol fails
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 2, Sent: 2, Delivered: 1, Failed: 1, Reports: 1}, res, "the next session's Flush()")
	assert.Equal(t, []string{"first", "second"}, m2.subjects("bob", m2.inbox("bob", "IPM.Note")), "bob's Inbox: each once")
}

func TestAbortWhileTheSpoolerHoldsTheMessage(t *testing.T) {
	w := newWorld(t, "alice")
	var m *mailer
	var id mapispi.EntryID
	var abortErr error
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", mapi.TransportFunc(func(context.Context, *mapi.Outbound) mapi.Outcome {
		abortErr = m.stores["alice"].AbortSubmit(context.Background(), id)
		return mapi.Outcome{Status: mapi.Delivered}
	})))
	m = newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	defer m.close()
	id = m.submit("alice", "held", rcpt{"Carol", "SMTP", "carol@example.com"})
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.ErrorIs(t, abortErr, mapispi.ErrUnableToAbort, "AbortSubmit of the message the spooler is sending")
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Delivered: 1}, res, "Flush()")
	// Sent, it moved to Sent Items: its Outbox entry ID names nothing.
	assert.ErrorIs(t, m.stores["alice"].AbortSubmit(m.ctx, id), mapispi.ErrNotFound, "AbortSubmit with the ID it had before it was sent")
}

func TestAbortedMessageIsNotSent(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	m := newMailer(t, w, nil)
	defer m.close()
	id := m.submit("alice", "never", local("bob"))
	require.NoError(t, m.stores["alice"].AbortSubmit(m.ctx, id))
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{}, res, "Flush() after AbortSubmit")
	assert.Empty(t, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox")
	assert.Equal(t, []string{"never"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMOutboxEntryID)), "alice's Outbox")
}

func TestSpoolerFlushesOnItsOwnAfterASubmission(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	m := newMailer(t, w, &mapi.Options{})
	defer m.close()
	got := make(chan mapispi.Notification, 4)
	conn, err := m.stores["bob"].Advise(m.ctx, nil, mapispi.EventNewMail, mapispi.AdviseSinkFunc(func(ns []mapispi.Notification) mapispi.CallbackResult {
		for _, n := range ns {
			got <- n
		}
		return mapispi.CallbackContinue
	}))
	require.NoError(t, err)
	defer m.stores["bob"].Unadvise(m.ctx, conn)
	m.submit("alice", "on its own", local("bob"))
	select {
	case n := <-got:
		assert.Equal(t, mapispi.EventNewMail, n.Event, "the notification's event")
	case <-time.After(10 * time.Second):
		t.Fatal("no new mail in bob's store 10s after the submission")
	}
	// The flush records its result once it has finished the message,
	// just after the delivery that notified.
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := m.s.Spooler().LastBackgroundFlush()
		require.NoError(t, err, "LastBackgroundFlush()")
		if res.Sent == 1 {
			assert.Equal(t, 1, res.Delivered, "LastBackgroundFlush().Delivered")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("LastBackgroundFlush() = %+v 10s after the new mail, want Sent 1", res)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLogoffDuringAFlushFinishesTheMessage(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	inSend := make(chan struct{})
	release := make(chan struct{})
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", mapi.TransportFunc(func(ctx context.Context, m *mapi.Outbound) mapi.Outcome {
		close(inSend)
		<-release
		return mapi.Outcome{Status: mapi.Delivered}
	})))
	m := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	m.submit("alice", "one", rcpt{"Carol", "SMTP", "carol@example.com"}, local("bob"))
	m.submit("alice", "two", local("bob"))
	flushed := make(chan error, 1)
	go func() {
		_, err := m.s.Spooler().Flush(m.ctx)
		flushed <- err
	}()
	<-inSend
	loggedOff := make(chan error, 1)
	go func() {
		// The stores' logoff waits for the message the spooler holds,
		// and the spooler takes no next one.
		for _, st := range m.stores {
			if err := st.Close(m.ctx); err != nil {
				loggedOff <- err
				return
			}
		}
		loggedOff <- m.s.Logoff(m.ctx)
	}()
	time.Sleep(20 * time.Millisecond)
	close(release)
	require.NoError(t, <-loggedOff, "closing the stores and logging off during a flush")
	<-flushed

	// A new session sends what is left, and nothing twice.
	m2 := newMailer(t, w, nil)
	defer m2.close()
	_, err := m2.s.Spooler().Flush(m2.ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"one", "two"}, m2.subjects("bob", m2.inbox("bob", "IPM.Note")), "bob's Inbox after both sessions")
	assert.Equal(t, []string{"one", "two"}, m2.subjects("alice", m2.folder("alice", mapispi.PropIPMSentMailEntryID)), "alice's Sent Items")
}

func TestOrderlyStoreLogoffSendsTheQueue(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	m := newMailer(t, w, nil)
	m.submit("alice", "before logoff", local("bob"))
	_, err := m.stores["alice"].StoreLogoff(m.ctx, mapispi.LogoffOrderly)
	require.NoError(t, err)
	require.NoError(t, m.stores["alice"].Close(m.ctx))
	delete(m.stores, "alice")
	assert.Equal(t, []string{"before logoff"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox after alice's orderly logoff")
	m.close()
}

func TestTransportsRegister(t *testing.T) {
	var reg mapi.Transports
	ok := mapi.TransportFunc(func(context.Context, *mapi.Outbound) mapi.Outcome { return mapi.Outcome{} })
	require.NoError(t, reg.Register("smtp", ok))
	assert.ErrorIs(t, reg.Register("SMTP", ok), mapispi.ErrCollision, "Register of an address type in another case")
	assert.ErrorIs(t, reg.Register("", ok), mapispi.ErrInvalidParameter, "Register of an empty address type")
	assert.ErrorIs(t, reg.Register("FAX", nil), mapispi.ErrInvalidParameter, "Register of a nil transport")
	assert.ErrorIs(t, reg.Register("mapiemu", ok), mapispi.ErrInvalidParameter, "Register of the local address type")
	_, found := reg.Lookup("Smtp")
	assert.True(t, found, "Lookup(%q)", "Smtp")
	assert.Equal(t, []string{"smtp"}, reg.AddrTypes(), "AddrTypes()")
}

// TestEveryMessageEndsInExactlyOnePlace has clients of two sessions
// submit while both spoolers flush, with a transport that fails one
// message in ten at random (seeded): at the end each message was
// delivered (locally or by the transport) once or reported once, never
// both, and its sent copy is in Sent Items once.
func TestEveryMessageEndsInExactlyOnePlace(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(18, 10))
	carried := map[string]int{} // subjects the transport delivered
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", mapi.TransportFunc(func(ctx context.Context, m *mapi.Outbound) mapi.Outcome {
		subject, _ := m.Prop(mapispi.PropSubject)
		mu.Lock()
		defer mu.Unlock()
		if rng.IntN(10) == 0 {
			return mapi.Outcome{Status: mapi.Failed, Reason: "refused"}
		}
		carried[subject.Value.(string)]++
		return mapi.Outcome{Status: mapi.Delivered}
	})))
	m1 := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	m2 := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	const perClient = 20
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, m := range []*mailer{m1, m2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, err := m.s.Spooler().Flush(m.ctx)
				assert.NoError(t, err, "Flush() while clients submit")
			}
		}()
	}
	var clients sync.WaitGroup
	for i, m := range []*mailer{m1, m2} {
		clients.Add(1)
		go func() {
			defer clients.Done()
			for j := range perClient {
				subject := fmt.Sprintf("m%d-%02d", i, j)
				if j%2 == 0 {
					m.submit("alice", subject, local("bob"))
				} else {
					m.submit("alice", subject, rcpt{"Carol", "SMTP", "carol@example.com"})
				}
			}
		}()
	}
	clients.Wait()
	close(stop)
	wg.Wait()
	_, err := m1.s.Spooler().Flush(m1.ctx)
	require.NoError(t, err)

	delivered := m1.subjects("bob", m1.inbox("bob", "IPM.Note"))
	sent := m1.subjects("alice", m1.folder("alice", mapispi.PropIPMSentMailEntryID))
	reports := m1.subjects("alice", m1.inbox("alice", "REPORT.IPM.Note.NDR"))
	assert.Empty(t, m1.subjects("alice", m1.folder("alice", mapispi.PropIPMOutboxEntryID)), "alice's Outbox at the end")
	assert.Len(t, sent, 2*perClient, "alice's Sent Items: every message once")
	for i := range 2 {
		for j := range perClient {
			subject := fmt.Sprintf("m%d-%02d", i, j)
			assert.Equal(t, 1, count(sent, subject), "%s in Sent Items", subject)
			if j%2 == 0 {
				assert.Equal(t, 1, count(delivered, subject), "%s in bob's Inbox", subject)
			} else {
				mu.Lock()
				n := carried[subject]
				mu.Unlock()
				assert.Equal(t, 1, n+count(reports, "Undeliverable: "+subject), "%s: carried by the transport %d times, reported %d times; want one of them once", subject, n, count(reports, "Undeliverable: "+subject))
			}
		}
	}
	m1.close()
	m2.close()
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestSubmitMessageWithoutRecipients: a reference store's message can be
// submitted (CapSubmit), so one without recipients gets the store's
// MAPI_E_NO_RECIPIENTS, not the host's MAPI_E_NO_SUPPORT.
func TestSubmitMessageWithoutRecipients(t *testing.T) {
	w := newWorld(t, "alice")
	m := newMailer(t, w, nil)
	defer m.close()
	outbox := m.folder("alice", mapispi.PropIPMOutboxEntryID)
	defer outbox.Close(m.ctx)
	msg, err := outbox.CreateMessage(m.ctx, 0)
	require.NoError(t, err)
	defer msg.Close(m.ctx)
	assert.True(t, msg.Supports(mapi.CapSubmit), "Supports(CapSubmit) on a reference store's message")
	err = msg.SubmitMessage(m.ctx, 0)
	assert.ErrorIs(t, err, mapispi.ErrNoRecipients, "SubmitMessage without recipients")
	assert.False(t, errors.Is(err, mapispi.ErrNoSupport), "SubmitMessage without recipients is not ErrNoSupport")
}

func mustStores(t testing.TB, s *mapi.Session) []mapi.StoreInfo {
	t.Helper()
	infos, err := s.MsgStores(context.Background())
	require.NoError(t, err)
	return infos
}

// TestStoreLogoffReportsTheOutboundQueue: a store logged off while mail
// waits on its queue hears LOGOFF_OUTBOUND_QUEUE from
// StoreLogoffTransports; an orderly logoff sends the mail first and
// hears LOGOFF_COMPLETE.
func TestStoreLogoffReportsTheOutboundQueue(t *testing.T) {
	for _, c := range []struct {
		flags mapispi.LogoffFlags
		want  string
	}{
		{mapispi.LogoffNoWait, "LOGOFF_OUTBOUND_QUEUE"},
		{mapispi.LogoffOrderly, "LOGOFF_COMPLETE"},
	} {
		t.Run(c.flags.String(), func(t *testing.T) {
			w := newWorld(t, "alice", "bob")
			var mu sync.Mutex
			var results []string
			trace := func(call mapi.Call) {
				if call.Method == "IMAPISupport::StoreLogoffTransports" && call.Service == "alice" {
					mu.Lock()
					results = append(results, call.Result)
					mu.Unlock()
				}
			}
			m := newMailer(t, w, &mapi.Options{ManualFlush: true, Trace: trace})
			m.submit("alice", "waiting", local("bob"))
			_, err := m.stores["alice"].StoreLogoff(m.ctx, c.flags)
			require.NoError(t, err)
			require.NoError(t, m.stores["alice"].Close(m.ctx))
			delete(m.stores, "alice")
			mu.Lock()
			assert.Equal(t, []string{c.want}, results, "StoreLogoffTransports after StoreLogoff(%v) with one message queued", c.flags)
			mu.Unlock()
			m.close()
		})
	}
}

// TestFlushUnderEveryAllocationFault fails each allocation a flush makes,
// one run each: the flush then fails or defers, and a second flush
// leaves the message delivered once and filed once, with nothing leaked.
func TestFlushUnderEveryAllocationFault(t *testing.T) {
	counts := func(w *world, faults []mapi.Fault) (before, after map[string]int) {
		var mu sync.Mutex
		n := map[string]int{}
		trace := func(c mapi.Call) {
			if c.Method == "MAPIAllocateBuffer" || c.Method == "MAPIAllocateMore" {
				mu.Lock()
				n[c.Method]++
				mu.Unlock()
			}
		}
		m := newMailer(t, w, &mapi.Options{ManualFlush: true, Trace: trace, Faults: faults})
		m.submit("alice", "faulty", local("bob"))
		mu.Lock()
		before = maps.Clone(n)
		mu.Unlock()
		_, _ = m.s.Spooler().Flush(m.ctx)
		mu.Lock()
		after = maps.Clone(n)
		mu.Unlock()
		m.close()
		return before, after
	}
	before, after := counts(newWorld(t, "alice", "bob"), nil)
	for _, method := range []string{"MAPIAllocateBuffer", "MAPIAllocateMore"} {
		require.Greater(t, after[method], before[method], "%s calls during a flush", method)
		for k := before[method] + 1; k <= after[method]; k++ {
			t.Run(fmt.Sprintf("%s#%d", method, k), func(t *testing.T) {
				w := newWorld(t, "alice", "bob")
				var fired atomic.Int32
				trace := func(c mapi.Call) {
					if c.Method == method && c.SCode == mapispi.ErrNotEnoughMemory {
						fired.Add(1)
					}
				}
				m := newMailer(t, w, &mapi.Options{ManualFlush: true, Trace: trace, Faults: []mapi.Fault{{Method: method, N: k, Code: mapispi.ErrNotEnoughMemory}}})
				m.submit("alice", "faulty", local("bob"))
				_, _ = m.s.Spooler().Flush(m.ctx)
				require.Equal(t, int32(1), fired.Load(), "%s#%d failures during the first flush", method, k)
				_, err := m.s.Spooler().Flush(m.ctx)
				require.NoError(t, err, "the flush after the fault")
				assert.Equal(t, []string{"faulty"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox")
				assert.Equal(t, []string{"faulty"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMSentMailEntryID)), "alice's Sent Items")
				assert.Empty(t, m.subjects("alice", m.inbox("alice", "REPORT.IPM.Note.NDR")), "non-delivery reports")
				m.close()
			})
		}
	}
}

// Two sessions on one profile each have a spooler logged on to the same
// store. Between one spooler's OpenEntry of a queued message and its
// SetLockState, the other sends it in part (bob delivered, carol
// deferred) and unlocks it: the first must still send what is left,
// and deliver nothing twice.
func TestTwoSpoolersShareAnOutgoingQueue(t *testing.T) {
	w := newWorld(t, "alice", "bob")
	var deferCarol atomic.Bool
	deferCarol.Store(true)
	var carolSent atomic.Int32
	var reg mapi.Transports
	require.NoError(t, reg.Register("SMTP", mapi.TransportFunc(func(context.Context, *mapi.Outbound) mapi.Outcome {
		if deferCarol.Load() {
			return mapi.Outcome{Status: mapi.Deferred, Reason: "busy"}
		}
		carolSent.Add(1)
		return mapi.Outcome{Status: mapi.Delivered}
	})))
	other := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg})
	defer other.close()
	var armed atomic.Bool // set for our spooler's flush
	var once sync.Once
	var otherRes mapi.FlushResult
	var otherErr error
	m := newMailer(t, w, &mapi.Options{ManualFlush: true, Transports: &reg, Trace: func(c mapi.Call) {
		if !armed.Load() || c.Method != "IMsgStore::OpenEntry" || c.SCode.Failed() {
			return
		}
		// Our spooler has opened the message: the other spooler sends
		// it to bob before ours locks it.
		once.Do(func() {
			otherRes, otherErr = other.s.Spooler().Flush(context.Background())
			deferCarol.Store(false)
		})
	}})
	defer m.close()
	m.submit("alice", "shared", local("bob"), rcpt{"Carol", "SMTP", "carol@example.com"})

	armed.Store(true)
	res, err := m.s.Spooler().Flush(m.ctx)
	require.NoError(t, otherErr, "the other session's Flush()")
	assert.Equal(t, mapi.FlushResult{Messages: 1, Deferred: 1, Delivered: 1}, otherRes, "the other session's Flush(): bob delivered, carol deferred")
	require.NoError(t, err, "Flush() after the other spooler sent part of the message")
	assert.Equal(t, mapi.FlushResult{Messages: 1, Sent: 1, Delivered: 1}, res, "Flush(): carol delivered")
	assert.Equal(t, int32(1), carolSent.Load(), "deliveries to carol")
	assert.Equal(t, []string{"shared"}, m.subjects("bob", m.inbox("bob", "IPM.Note")), "bob's Inbox: delivered once")
	assert.Equal(t, []string{"shared"}, m.subjects("alice", m.folder("alice", mapispi.PropIPMSentMailEntryID)), "alice's Sent Items")
}

// silentSupport keeps StoreLogoffTransports from the host, as a provider
// that logs off without calling it does.
type silentSupport struct{ mapispi.Support }

func (silentSupport) StoreLogoffTransports(context.Context, mapispi.LogoffFlags) (mapispi.LogoffFlags, error) {
	return mapispi.LogoffComplete, nil
}

type silentProvider struct{ mapispi.MSProvider }

func (p silentProvider) Logon(ctx context.Context, sup mapispi.Support, req *mapispi.LogonRequest) (*mapispi.LogonResult, error) {
	return p.MSProvider.Logon(ctx, silentSupport{sup}, req)
}

// A store whose provider never calls StoreLogoffTransports leaves the
// spooler's logon in place; when the store is opened again the spooler
// logs on again and releases the earlier logon, which Stores then shows
// as no longer open.
func TestSpoolerReplacesALogonItWasNotToldToRelease(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "alice")
	w.wrapProvider(t, func(inner mapispi.MSProvider, p *mapispi.InitParams) mapispi.MSProvider {
		return silentProvider{inner}
	})
	s := w.logon(t, &mapi.Options{ManualFlush: true})
	stores := mustStores(t, s)
	for range 2 {
		st, err := s.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
		require.NoError(t, err)
		require.NoError(t, st.Close(ctx))
	}
	infos := s.Spooler().Stores()
	require.Len(t, infos, 2, "Spooler().Stores() after two opens")
	assert.False(t, infos[0].Open, "Spooler().Stores()[0].Open: the logon the second replaced")
	assert.True(t, infos[1].Open, "Spooler().Stores()[1].Open")
	require.NoError(t, s.Logoff(ctx))
}

// A message another session's spooler holds when ours flushes is
// skipped, and ours tries it again once that spooler lets it go: here
// the other session cannot reach bob (his store is not open there), so
// it defers the message, and ours delivers it.
func TestSpoolerRetriesAMessageAnotherSpoolerHeld(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "alice", "bob")
	s2locked, s1skipped := make(chan struct{}), make(chan struct{})
	var armed atomic.Bool
	var once1, once2, once3 sync.Once
	wait := func(ch chan struct{}) {
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
		}
	}
	m := newMailer(t, w, &mapi.Options{Trace: func(c mapi.Call) {
		switch {
		case !armed.Load():
		case c.Method == "IMsgStore::GetOutgoingQueue":
			once1.Do(func() { wait(s2locked) }) // the other spooler locks first
		case c.Method == "IMsgStore::SetLockState" && errors.Is(c.SCode, mapispi.ErrBusy):
			once2.Do(func() { close(s1skipped) })
		}
	}})
	defer m.close()
	other := w.logon(t, &mapi.Options{ManualFlush: true, Trace: func(c mapi.Call) {
		if armed.Load() && c.Method == "IMsgStore::SetLockState" && !c.SCode.Failed() {
			once3.Do(func() {
				close(s2locked)
				wait(s1skipped) // hold the lock while ours tries it
			})
		}
	}})
	defer other.Logoff(ctx)
	for _, info := range mustStores(t, other) {
		if info.Service == "alice" {
			st, err := other.OpenMsgStore(ctx, info.EntryID, mapispi.LogonWrite)
			require.NoError(t, err)
			defer st.Close(ctx)
		}
	}
	armed.Store(true)
	m.submit("alice", "held elsewhere", local("bob"))
	res, err := other.Spooler().Flush(ctx)
	require.NoError(t, err)
	assert.Equal(t, mapi.FlushResult{Messages: 1, Deferred: 1}, res, "the other session's Flush(): bob's store is not open there")
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := m.subjects("bob", m.inbox("bob", "IPM.Note"))
		if len(got) > 0 {
			assert.Equal(t, []string{"held elsewhere"}, got, "bob's Inbox")
			break
		}
		if time.Now().After(deadline) {
			bg, bgErr := m.s.Spooler().LastBackgroundFlush()
			t.Fatalf("bob's Inbox is empty 10s after the other spooler let the message go; LastBackgroundFlush() = %+v, %v", bg, bgErr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
