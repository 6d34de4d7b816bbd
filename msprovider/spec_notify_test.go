package msprovider_test

import (
	"bytes"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// specOfType returns the notifications about objects of type typ.
func specOfType(ns []mapispi.Notification, typ mapispi.ObjectType) []mapispi.Notification {
	var out []mapispi.Notification
	for _, n := range ns {
		if n.ObjectType == typ {
			out = append(out, n)
		}
	}
	return out
}

// specAbout returns the notifications about the object id.
func specAbout(ns []mapispi.Notification, id mapispi.EntryID) []mapispi.Notification {
	var out []mapispi.Notification
	for _, n := range ns {
		if bytes.Equal(n.EntryID, id) || bytes.Equal(n.OldID, id) {
			out = append(out, n)
		}
	}
	return out
}

// TestAdviseConnections: rule 93. IMsgStore::Advise returns a non-zero
// connection, distinct for each call; Unadvise of a connection nobody
// made is MAPI_E_NOT_FOUND [I]; after Unadvise the connection is unknown.
func TestAdviseConnections(t *testing.T) {
	m := openMailbox(t)
	a, err := m.store.Advise(bg, nil, mapispi.EventObjectCreated, newSpecSink())
	require.NoError(t, err)
	b, err := m.store.Advise(bg, nil, mapispi.EventObjectCreated, newSpecSink())
	require.NoError(t, err)
	assert.NotZero(t, a, "first connection")
	assert.NotEqual(t, a, b, "two Advise calls, one connection")
	specCode(t, m.store.Unadvise(bg, a+b+1000), mapispi.ErrNotFound, "Unadvise(unknown connection)")
	require.NoError(t, m.store.Unadvise(bg, a))
	specCode(t, m.store.Unadvise(bg, a), mapispi.ErrNotFound, "Unadvise(connection already ended)")
	require.NoError(t, m.store.Unadvise(bg, b))
}

// TestFolderNotifications: rule 94 and "Handling Message Store
// Notifications". CreateFolder sends fnevObjectCreated with ulObjType
// MAPI_FOLDER and lpParentID the parent; a folder move fnevObjectMoved
// with the old IDs; a copy fnevObjectCopied (no ObjectCreated for the
// copy); DeleteFolder fnevObjectDeleted [D handling-message-store-notification;
// D object_notification].
func TestFolderNotifications(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	inboxID := specID(t, inbox)
	sink := specAdvise(t, m.store, nil, specAllEvents)

	a := specFolder(t, inbox, "A")
	aID := specID(t, a)
	got := sink.waitFor(t, mapispi.EventObjectCreated, aID)
	n := specAbout(got, aID)[0]
	assert.Equal(t, mapispi.EventObjectCreated, n.Event, "first notification about the new folder")
	assert.Equal(t, mapispi.ObjFolder, n.ObjectType, "ObjectCreated ulObjType")
	assert.Equal(t, inboxID, n.ParentID, "ObjectCreated lpParentID, want the parent folder")
	assert.Nil(t, n.OldID, "ObjectCreated lpOldID")
	assert.Nil(t, n.OldParentID, "ObjectCreated lpOldParentID")

	dest := specFolder(t, inbox, "Dest")
	destID := specID(t, dest)
	require.NoError(t, inbox.CopyFolder(bg, aID, dest, "A copy", 0))
	copied := specOpenFolder(t, m.store, specHierarchy(t, dest, 0, mapispi.PropEntryID)[0][0].Value.([]byte), 0)
	copyID := specID(t, copied)
	got = sink.waitFor(t, mapispi.EventObjectCopied, copyID)
	for _, n := range specAbout(got, copyID) {
		assert.NotEqual(t, mapispi.EventObjectCreated, n.Event, "an ObjectCreated for a folder copy")
	}
	n = specAbout(got, copyID)[0]
	assert.Equal(t, mapispi.EventObjectCopied, n.Event)
	assert.Equal(t, destID, n.ParentID, "ObjectCopied lpParentID, want the destination")
	assert.Equal(t, aID, n.OldID, "ObjectCopied lpOldID, want the source folder")
	assert.Equal(t, inboxID, n.OldParentID, "ObjectCopied lpOldParentID, want the source's parent")

	require.NoError(t, inbox.CopyFolder(bg, aID, dest, "", mapispi.FolderMove))
	movedID := specID(t, a) // the same folder object follows the move
	got = sink.wait(t, "ObjectMoved of A", func(ns []mapispi.Notification) bool {
		for _, n := range ns {
			if n.Event == mapispi.EventObjectMoved && n.ObjectType == mapispi.ObjFolder {
				return true
			}
		}
		return false
	})
	for _, n := range got {
		if n.Event == mapispi.EventObjectMoved {
			assert.Equal(t, movedID, n.EntryID, "ObjectMoved lpEntryID, want the folder's ID now")
			assert.Equal(t, destID, n.ParentID, "ObjectMoved lpParentID, want the destination")
			assert.Equal(t, aID, n.OldID, "ObjectMoved lpOldID")
			assert.Equal(t, inboxID, n.OldParentID, "ObjectMoved lpOldParentID, want the old parent")
		}
	}

	require.NoError(t, dest.DeleteFolder(bg, movedID, 0))
	got = sink.waitFor(t, mapispi.EventObjectDeleted, movedID)
	for _, n := range got {
		if n.Event == mapispi.EventObjectDeleted && bytes.Equal(n.EntryID, movedID) {
			assert.Equal(t, mapispi.ObjFolder, n.ObjectType, "ObjectDeleted ulObjType")
			assert.Equal(t, destID, n.ParentID, "ObjectDeleted lpParentID")
		}
	}
}

// TestMessageNotificationsInOrder: rules 95-96. A message's notifications
// come in order: nothing before its first save, fnevObjectCreated at it,
// fnevObjectModified at the next, fnevObjectMoved (lpOldID and
// lpOldParentID set; Created and Modified leave them NULL),
// fnevObjectDeleted; a copy is fnevObjectCopied, with no ObjectCreated;
// each event once ("one NOTIFICATION per event", IMAPISupport::Notify)
// [D handling-message-store-notification; D timing-a-notification].
func TestMessageNotificationsInOrder(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	src, dest := specFolder(t, inbox, "Src"), specFolder(t, inbox, "Dest")
	srcID, destID := specID(t, src), specID(t, dest)
	sink := specAdvise(t, m.store, nil, specAllEvents)

	msg := specCreate(t, src, 0, specSubject("v1"))
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	id := specID(t, msg)
	_, err := msg.SetProps(bg, []mapispi.PropValue{specSubject("v2")})
	require.NoError(t, err)
	require.NoError(t, msg.SaveChanges(bg, 0))
	require.NoError(t, src.CopyMessages(bg, []mapispi.EntryID{id}, dest, 0))
	require.NoError(t, src.CopyMessages(bg, []mapispi.EntryID{id}, dest, mapispi.MessageMove))
	got := sink.wait(t, "Created, Modified, Copied, Moved of the message", func(ns []mapispi.Notification) bool {
		for _, n := range ns {
			if n.Event == mapispi.EventObjectMoved {
				return true
			}
		}
		return false
	})
	msgs := specOfType(got, mapispi.ObjMessage)
	// Each event once: a repeat of the notification before it is a
	// second delivery of one event.
	var once []mapispi.Notification
	for i, n := range msgs {
		if i > 0 && reflect.DeepEqual(n, msgs[i-1]) {
			t.Errorf("notification %d is notification %d again: %s", i, i-1, specEvents([]mapispi.Notification{n}))
			continue
		}
		once = append(once, n)
	}
	msgs = once
	events := make([]mapispi.EventMask, len(msgs))
	for i, n := range msgs {
		events[i] = n.Event
	}
	require.Equal(t, []mapispi.EventMask{mapispi.EventObjectCreated, mapispi.EventObjectModified, mapispi.EventObjectCopied, mapispi.EventObjectMoved}, events,
		"message notifications in order: %s", specEvents(msgs))
	for _, n := range msgs[:2] {
		assert.Equal(t, id, n.EntryID, "%v lpEntryID", n.Event)
		assert.Equal(t, srcID, n.ParentID, "%v lpParentID", n.Event)
		assert.Nil(t, n.OldID, "%v lpOldID", n.Event)
		assert.Nil(t, n.OldParentID, "%v lpOldParentID", n.Event)
	}
	for _, n := range msgs[2:] {
		assert.Equal(t, destID, n.ParentID, "%v lpParentID, want the destination", n.Event)
		assert.Equal(t, id, n.OldID, "%v lpOldID, want the source message", n.Event)
		assert.Equal(t, srcID, n.OldParentID, "%v lpOldParentID, want the source folder", n.Event)
		assert.NotEqual(t, id, n.EntryID, "%v lpEntryID, want the message's new ID", n.Event)
	}
	moved := msgs[3].EntryID
	still := specOpenMsg(t, m.store, moved, 0)
	assert.Equal(t, "v2", specGet(t, still, mapispi.PropSubject).Value, "the ObjectMoved lpEntryID opens the moved message")

	require.NoError(t, dest.DeleteMessages(bg, []mapispi.EntryID{moved}, 0))
	got = sink.waitFor(t, mapispi.EventObjectDeleted, moved)
	last := specOfType(got, mapispi.ObjMessage)
	n := last[len(last)-1]
	assert.Equal(t, mapispi.EventObjectDeleted, n.Event, "last message notification")
	assert.Equal(t, destID, n.ParentID, "ObjectDeleted lpParentID")
}

// TestNullSinkSeesEveryFolder: rule 97. A sink advised with no entry ID
// gets the events of objects in any folder; one advised on a folder gets
// that folder's events only [D imsgstore-advise].
func TestNullSinkSeesEveryFolder(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	a, b := specFolder(t, inbox, "A"), specFolder(t, inbox, "B")
	aID, bID := specID(t, a), specID(t, b)
	all := specAdvise(t, m.store, nil, specAllEvents)
	onA := specAdvise(t, m.store, aID, specAllEvents)

	inB := specMsg(t, b, specSubject("in B"))
	inA := specMsg(t, a, specSubject("in A"))
	all.waitFor(t, mapispi.EventObjectCreated, inB)
	all.waitFor(t, mapispi.EventObjectCreated, inA)
	// A's count changed: A's sink hears of A, and of nothing else.
	got := onA.waitFor(t, mapispi.EventObjectModified, aID)
	_, err := a.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: "barrier"}})
	require.NoError(t, err)
	got = onA.wait(t, "ObjectModified of A's comment", func(ns []mapispi.Notification) bool {
		return len(ns) > len(got)
	})
	for _, n := range got {
		assert.Equal(t, aID, n.EntryID, "a sink advised on folder A got %v of another object (%s)", n.Event, specEvents([]mapispi.Notification{n}))
		assert.NotEqual(t, bID, n.EntryID, "a sink advised on folder A got an event of B")
	}
}

// TestNoNotifyBeforeCallReturns: rule 98. OnNotify for a change is never
// called before the call that made it returns: the sink below blocks
// until the test says the call returned, so a notification sent from
// inside the call would hold the call up and be seen as early
// [D supporting-event-notification].
func TestNoNotifyBeforeCallReturns(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	check := func(what string, call func() mapispi.EntryID) {
		t.Helper()
		returned := make(chan struct{})
		var early atomic.Bool
		s := newSpecSink()
		s.hook = func([]mapispi.Notification) {
			select {
			case <-returned:
			case <-time.After(time.Second):
				early.Store(true)
			}
		}
		conn, err := m.store.Advise(bg, nil, mapispi.EventObjectCreated, s)
		require.NoError(t, err)
		defer m.store.Unadvise(bg, conn)
		id := call()
		close(returned)
		s.waitFor(t, mapispi.EventObjectCreated, id)
		assert.False(t, early.Load(), "%s: OnNotify ran before the call returned", what)
	}
	check("CreateFolder", func() mapispi.EntryID { return specID(t, specFolder(t, inbox, "F")) })
	msg := specCreate(t, inbox, 0, specSubject("m"))
	check("SaveChanges", func() mapispi.EntryID {
		require.NoError(t, msg.SaveChanges(bg, 0))
		return specID(t, msg)
	})
}

// TestAdviseOnMessage: a sink advised on a message's entry ID gets its
// ObjectModified and ObjectDeleted.
func TestAdviseOnMessage(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Watched")
	id := specMsg(t, f, specSubject("watched"))
	sink := specAdvise(t, m.store, id, specAllEvents)
	msg := specOpenMsg(t, m.store, id, mapispi.OpenModify)
	_, err := msg.SetProps(bg, []mapispi.PropValue{specSubject("changed")})
	require.NoError(t, err)
	require.NoError(t, msg.SaveChanges(bg, 0))
	sink.waitFor(t, mapispi.EventObjectModified, id)
	require.NoError(t, f.DeleteMessages(bg, []mapispi.EntryID{id}, 0))
	got := sink.waitFor(t, mapispi.EventObjectDeleted, id)
	for _, n := range got {
		assert.Equal(t, id, n.EntryID, "a sink advised on a message got %s", specEvents([]mapispi.Notification{n}))
	}
}

// TestTwoSessionsShareTheStore: msprovider's promise (doc.go, Folder):
// two sessions over one Backend (two mapi.Logon calls with one Registry)
// see each other's saved changes and get each other's notifications,
// store and table ones; an instance one session opened is behind after
// the other's save (MAPI_E_OBJECT_CHANGED).
func TestTwoSessionsShareTheStore(t *testing.T) {
	w := newSpecWorld(t, nil)
	a, b := w.logon(t, mapispi.LogonWrite), w.logon(t, mapispi.LogonWrite)
	aInbox, bInbox := specInbox(t, a), specInbox(t, b)
	bStore := specAdvise(t, b.store, nil, specAllEvents)
	bTable := specTable(t, bInbox.ContentsTable, 0)
	require.NoError(t, bTable.SetColumns(bg, []mapispi.PropTag{mapispi.PropSubject}))
	bRows := specTableAdvise(t, bTable)
	bHier := specTable(t, bInbox.HierarchyTable, 0)
	bHierSink := specTableAdvise(t, bHier)

	id := specMsg(t, aInbox, specSubject("from A"))
	bStore.waitFor(t, mapispi.EventObjectCreated, id)
	got := bRows.waitN(t, 1, "B's contents table notification of A's save")
	assert.Equal(t, mapispi.TableRowAdded, got[0].Event, "B's table event")
	assert.Equal(t, "from A", specRowValue(got[0].Row, mapispi.PropSubject), "B's table row")
	assert.Equal(t, int32(1), specInt(t, bInbox, mapispi.PropContentCount), "B's Inbox PR_CONTENT_COUNT")

	aMsg := specOpenMsg(t, a.store, id, mapispi.OpenModify)
	bMsg := specOpenMsg(t, b.store, id, mapispi.OpenModify)
	assert.Equal(t, "from A", specGet(t, bMsg, mapispi.PropSubject).Value, "B reads A's message")
	_, err := bMsg.SetProps(bg, []mapispi.PropValue{specSubject("from B")})
	require.NoError(t, err)
	require.NoError(t, bMsg.SaveChanges(bg, 0))
	_, err = aMsg.SetProps(bg, []mapispi.PropValue{specSubject("A again")})
	require.NoError(t, err)
	specCode(t, aMsg.SaveChanges(bg, 0), mapispi.ErrObjectChanged, "A's SaveChanges after B's save")
	assert.Equal(t, []any{"from B"}, specSubjects(t, aInbox), "A's view of the stored subject")

	aStore := specAdvise(t, a.store, nil, specAllEvents)
	f := specFolder(t, bInbox, "made by B")
	fID := specID(t, f)
	aStore.waitFor(t, mapispi.EventObjectCreated, fID)
	assert.Equal(t, []any{"made by B"}, specNames(t, aInbox), "A's view of B's new folder")
	hgot := bHierSink.waitN(t, 1, "B's hierarchy table notification")
	assert.Equal(t, mapispi.TableRowAdded, hgot[0].Event, "B's hierarchy event")
}
