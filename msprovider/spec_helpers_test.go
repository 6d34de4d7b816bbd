package msprovider_test

// Helpers of the spec_*_test.go files: tests written from the MAPI rules
// (store-facts.md sections 2-5 and 9, the MAPI reference pages) and from
// what msprovider's doc comments promise. Every helper takes the test and
// fails it on an error it does not expect; every handle a helper opens is
// closed by a t.Cleanup, so openMailbox's Logoff check finds no leak.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// specWait bounds every wait for a notification: they are asynchronous,
// so a test waits for them on a channel, never by sleeping.
const specWait = 5 * time.Second

var bg = context.Background()

// specCode fails the test (without stopping it) unless err is code.
func specCode(t *testing.T, err error, code mapispi.SCode, what string) bool {
	t.Helper()
	if !errors.Is(err, code) {
		t.Errorf("%s = %v, want %v", what, err, code)
		return false
	}
	return true
}

// specWorld is a backend with one store and a registry that loads the
// provider over it: several sessions can log on to the same store.
type specWorld struct {
	backend *msprovider.Backend
	reg     *mapi.Registry
	id      mapispi.EntryID // the store's unwrapped entry ID
}

func newSpecWorld(t *testing.T, opts *msprovider.StoreOptions) *specWorld {
	t.Helper()
	w := &specWorld{backend: msprovider.NewBackend(msprovider.WithPasswordIterations(1)), reg: &mapi.Registry{}}
	require.NoError(t, w.reg.Register(msprovider.DLLName, w.backend.Init))
	id, err := w.backend.CreateStore("Mailbox", opts)
	require.NoError(t, err)
	w.id = id
	return w
}

// logon starts a session on the world's store and opens it with flags.
// The cleanup closes the store and checks that Logoff reports no leak.
func (w *specWorld) logon(t *testing.T, flags mapispi.LogonFlags) *mailbox {
	t.Helper()
	profile := mapi.Profile{Name: "spec", Services: []mapi.Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(w.id)}}}}}
	session, err := mapi.Logon(bg, w.reg, profile, nil)
	require.NoError(t, err)
	stores, err := session.MsgStores(bg)
	require.NoError(t, err)
	store, err := session.OpenMsgStore(bg, stores[0].EntryID, flags|mapispi.LogonNoDialog)
	if err != nil {
		_ = session.Logoff(bg)
		require.NoError(t, err)
	}
	m := &mailbox{backend: w.backend, session: session, store: store, id: w.id}
	t.Cleanup(func() {
		_ = store.Close(bg)
		if err := session.Logoff(bg); err != nil {
			t.Errorf("Session.Logoff() = %v, want nil (no handle left open, no leak)", err)
		}
	})
	return m
}

// specUID returns the store's UID: bytes 4..19 of its unwrapped entry ID,
// which every entry ID of the store carries.
func specUID(m *mailbox) mapispi.UID { return mapispi.UID(m.id[4:20]) }

// specIPM opens the IPM subtree read/write.
func specIPM(t *testing.T, m *mailbox) *mapi.Folder {
	t.Helper()
	return m.folder(t, mapispi.PropIPMSubtreeEntryID)
}

// specInbox opens the Inbox read/write.
func specInbox(t *testing.T, m *mailbox) *mapi.Folder {
	t.Helper()
	return child(t, specIPM(t, m), "Inbox")
}

// specFolder creates a generic subfolder of parent named name.
func specFolder(t *testing.T, parent *mapi.Folder, name string) *mapi.Folder {
	t.Helper()
	f, err := parent.CreateFolder(bg, mapispi.FolderGeneric, name, "", 0)
	require.NoError(t, err, "CreateFolder(%q)", name)
	t.Cleanup(func() { _ = f.Close(bg) })
	return f
}

// specGet returns one property of o.
func specGet(t *testing.T, o mapi.Object, tag mapispi.PropTag) mapispi.PropValue {
	t.Helper()
	vals, err := o.GetProps(bg, []mapispi.PropTag{tag})
	require.NoError(t, err, "GetProps(%v)", tag)
	require.Len(t, vals, 1, "GetProps(%v)", tag)
	return vals[0]
}

// specInt returns o's PT_LONG property tag, failing when it is absent.
func specInt(t *testing.T, o mapi.Object, tag mapispi.PropTag) int32 {
	t.Helper()
	v := specGet(t, o, tag)
	n, ok := v.Value.(int32)
	require.True(t, ok, "GetProps(%v) = %v, want a PT_LONG value", tag, v)
	return n
}

// specID returns o's PR_ENTRYID.
func specID(t *testing.T, o mapi.Object) mapispi.EntryID {
	t.Helper()
	v := specGet(t, o, mapispi.PropEntryID)
	b, ok := v.Value.([]byte)
	require.True(t, ok, "GetProps(PR_ENTRYID) = %v, want an entry ID", v)
	return b
}

func specSubject(s string) mapispi.PropValue {
	return mapispi.PropValue{Tag: mapispi.PropSubject, Value: s}
}

// specCreate creates a message in f with props, unsaved; the cleanup
// closes it.
func specCreate(t *testing.T, f *mapi.Folder, flags mapispi.CreateMessageFlags, props ...mapispi.PropValue) *mapi.Message {
	t.Helper()
	msg, err := f.CreateMessage(bg, flags)
	require.NoError(t, err, "CreateMessage")
	t.Cleanup(func() { _ = msg.Close(bg) })
	if len(props) > 0 {
		probs, err := msg.SetProps(bg, props)
		require.NoError(t, err, "SetProps")
		require.Empty(t, probs, "SetProps problems")
	}
	return msg
}

// specMsg saves a new message with props in f and returns its entry ID.
func specMsg(t *testing.T, f *mapi.Folder, props ...mapispi.PropValue) mapispi.EntryID {
	t.Helper()
	msg := specCreate(t, f, 0, props...)
	require.NoError(t, msg.SaveChanges(bg, 0), "SaveChanges")
	id := specID(t, msg)
	require.NoError(t, msg.Close(bg))
	return id
}

// specFAI saves a new associated message with props in f.
func specFAI(t *testing.T, f *mapi.Folder, props ...mapispi.PropValue) mapispi.EntryID {
	t.Helper()
	msg := specCreate(t, f, mapispi.MessageAssociated, props...)
	require.NoError(t, msg.SaveChanges(bg, 0), "SaveChanges (associated)")
	id := specID(t, msg)
	require.NoError(t, msg.Close(bg))
	return id
}

// opener is what opens entry IDs: a store, a folder.
type opener interface {
	OpenEntry(ctx context.Context, id mapispi.EntryID, flags mapispi.OpenFlags) (mapi.Object, error)
}

// specOpenMsg opens message id.
func specOpenMsg(t *testing.T, o opener, id mapispi.EntryID, flags mapispi.OpenFlags) *mapi.Message {
	t.Helper()
	obj, err := o.OpenEntry(bg, id, flags)
	require.NoError(t, err, "OpenEntry(message)")
	msg, ok := obj.(*mapi.Message)
	if !ok {
		_ = obj.Close(bg)
		t.Fatalf("OpenEntry(message) = %T, want *mapi.Message", obj)
	}
	t.Cleanup(func() { _ = msg.Close(bg) })
	return msg
}

// specOpenFolder opens folder id.
func specOpenFolder(t *testing.T, o opener, id mapispi.EntryID, flags mapispi.OpenFlags) *mapi.Folder {
	t.Helper()
	obj, err := o.OpenEntry(bg, id, flags)
	require.NoError(t, err, "OpenEntry(folder)")
	f, ok := obj.(*mapi.Folder)
	if !ok {
		_ = obj.Close(bg)
		t.Fatalf("OpenEntry(folder) = %T, want *mapi.Folder", obj)
	}
	t.Cleanup(func() { _ = f.Close(bg) })
	return f
}

// specTable opens a table with open (a folder's ContentsTable or
// HierarchyTable, a message's RecipientTable or AttachmentTable) and
// registers its Close as a cleanup.
func specTable(t *testing.T, open func(context.Context, mapispi.TableFlags) (*mapi.Table, error), flags mapispi.TableFlags) *mapi.Table {
	t.Helper()
	tbl, err := open(bg, flags)
	require.NoError(t, err, "opening a table")
	t.Cleanup(func() { _ = tbl.Close(bg) })
	return tbl
}

// specRows sets cols (unless empty) and returns every row from the
// beginning.
func specRows(t *testing.T, tbl *mapi.Table, cols ...mapispi.PropTag) []mapispi.Row {
	t.Helper()
	if len(cols) > 0 {
		require.NoError(t, tbl.SetColumns(bg, cols), "SetColumns")
	}
	_, err := tbl.SeekRow(bg, mapispi.BookmarkBeginning, 0)
	require.NoError(t, err, "SeekRow(BOOKMARK_BEGINNING)")
	rows, err := tbl.QueryRows(bg, 1000)
	require.NoError(t, err, "QueryRows")
	return rows
}

// specContents returns the rows of f's contents table (flags) with cols.
func specContents(t *testing.T, f *mapi.Folder, flags mapispi.TableFlags, cols ...mapispi.PropTag) []mapispi.Row {
	t.Helper()
	tbl, err := f.ContentsTable(bg, flags)
	require.NoError(t, err, "GetContentsTable")
	defer tbl.Close(bg)
	return specRows(t, tbl, cols...)
}

// specHierarchy returns the rows of f's hierarchy table (flags) with cols.
func specHierarchy(t *testing.T, f *mapi.Folder, flags mapispi.TableFlags, cols ...mapispi.PropTag) []mapispi.Row {
	t.Helper()
	tbl, err := f.HierarchyTable(bg, flags)
	require.NoError(t, err, "GetHierarchyTable")
	defer tbl.Close(bg)
	return specRows(t, tbl, cols...)
}

// specCol returns column i of rows.
func specCol(rows []mapispi.Row, i int) []any {
	out := make([]any, len(rows))
	for j, r := range rows {
		out[j] = r[i].Value
	}
	return out
}

// specNames returns the PR_DISPLAY_NAMEs of f's subfolders.
func specNames(t *testing.T, f *mapi.Folder) []any {
	t.Helper()
	return specCol(specHierarchy(t, f, 0, mapispi.PropDisplayName), 0)
}

// specSubjects returns the PR_SUBJECTs of f's contents table rows.
func specSubjects(t *testing.T, f *mapi.Folder) []any {
	t.Helper()
	return specCol(specContents(t, f, 0, mapispi.PropSubject), 0)
}

// specSame reports whether the session finds a and b name one object.
func specSame(t *testing.T, m *mailbox, a, b mapispi.EntryID) bool {
	t.Helper()
	same, err := m.session.CompareEntryIDs(bg, a, b)
	require.NoError(t, err, "Session.CompareEntryIDs")
	return same
}

// collector keeps what a sink got and wakes waiters.
type collector[T any] struct {
	mu   sync.Mutex
	got  []T
	wake chan struct{}
}

func (c *collector[T]) add(items []T) {
	c.mu.Lock()
	c.got = append(c.got, items...)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *collector[T]) all() []T {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.got)
}

// waitFor returns what the sink got once done holds of it; it fails the
// test after specWait, describing what it got with describe.
func (c *collector[T]) await(t *testing.T, what string, done func([]T) bool, describe func([]T) string) []T {
	t.Helper()
	deadline := time.NewTimer(specWait)
	defer deadline.Stop()
	for {
		got := c.all()
		if done(got) {
			return got
		}
		select {
		case <-c.wake:
		case <-deadline.C:
			t.Fatalf("waited %v for %s; the sink got %s", specWait, what, describe(got))
			return nil
		}
	}
}

// specSink collects a store's notifications.
type specSink struct {
	collector[mapispi.Notification]
	hook func([]mapispi.Notification) // called first, if set
}

func newSpecSink() *specSink {
	return &specSink{collector: collector[mapispi.Notification]{wake: make(chan struct{}, 1)}}
}

func (s *specSink) OnNotify(ns []mapispi.Notification) mapispi.CallbackResult {
	if s.hook != nil {
		s.hook(ns)
	}
	copies := make([]mapispi.Notification, len(ns))
	for i, n := range ns {
		copies[i] = n.Clone()
	}
	s.add(copies)
	return mapispi.CallbackContinue
}

// wait returns the notifications once done holds of them; it fails the
// test after specWait.
func (s *specSink) wait(t *testing.T, what string, done func([]mapispi.Notification) bool) []mapispi.Notification {
	t.Helper()
	return s.await(t, what, done, specEvents)
}

// waitFor waits for a notification of event ev for the object id and
// returns every notification until then.
func (s *specSink) waitFor(t *testing.T, ev mapispi.EventMask, id mapispi.EntryID) []mapispi.Notification {
	t.Helper()
	return s.wait(t, fmt.Sprintf("%v of %v", ev, id), func(ns []mapispi.Notification) bool {
		return slices.ContainsFunc(ns, func(n mapispi.Notification) bool { return n.Event == ev && (id == nil || bytes.Equal(n.EntryID, id)) })
	})
}

// specEvents describes notifications for a failure message.
func specEvents(ns []mapispi.Notification) string {
	var b strings.Builder
	b.WriteString("[")
	for i, n := range ns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%v %v parent=%v", n.Event, specShortID(n.EntryID), specShortID(n.ParentID))
		if n.OldID != nil || n.OldParentID != nil {
			fmt.Fprintf(&b, " old=%v oldparent=%v", specShortID(n.OldID), specShortID(n.OldParentID))
		}
	}
	b.WriteString("]")
	return b.String()
}

// specShortID names a folder or message entry ID by its counters, for
// failure messages: "folder 7", "message 9 in folder 7".
func specShortID(id mapispi.EntryID) string {
	if m, err := entryid.ParseMessage(id); err == nil {
		return fmt.Sprintf("message %d in folder %d", m.ID.Counter, m.Folder.Counter)
	}
	if f, err := entryid.ParseFolder(id); err == nil {
		return fmt.Sprintf("folder %d", f.ID.Counter)
	}
	if id == nil {
		return "nil"
	}
	return id.String()
}

// specAdvise advises a new sink on the store for events of id (nil: the
// whole store).
func specAdvise(t *testing.T, st *mapi.Store, id mapispi.EntryID, events mapispi.EventMask) *specSink {
	t.Helper()
	s := newSpecSink()
	conn, err := st.Advise(bg, id, events, s)
	require.NoError(t, err, "IMsgStore::Advise")
	require.NotZero(t, conn, "IMsgStore::Advise connection")
	t.Cleanup(func() { _ = st.Unadvise(bg, conn) })
	return s
}

// specAllEvents are the object events a store sends.
const specAllEvents = mapispi.EventObjectCreated | mapispi.EventObjectModified | mapispi.EventObjectDeleted |
	mapispi.EventObjectMoved | mapispi.EventObjectCopied

// specTableSink collects a table's notifications.
type specTableSink struct {
	collector[mapispi.TableNotification]
}

func (s *specTableSink) OnTableNotify(ns []mapispi.TableNotification) mapispi.CallbackResult {
	copies := make([]mapispi.TableNotification, len(ns))
	for i, n := range ns {
		copies[i] = n.Clone()
	}
	s.add(copies)
	return mapispi.CallbackContinue
}

// wait returns the notifications once done holds of them; it fails the
// test after specWait.
func (s *specTableSink) wait(t *testing.T, what string, done func([]mapispi.TableNotification) bool) []mapispi.TableNotification {
	t.Helper()
	return s.await(t, what, done, func(got []mapispi.TableNotification) string { return fmt.Sprint(got) })
}

// waitN waits for n notifications and returns them all.
func (s *specTableSink) waitN(t *testing.T, n int, what string) []mapispi.TableNotification {
	t.Helper()
	return s.wait(t, what, func(ns []mapispi.TableNotification) bool { return len(ns) >= n })
}

// specTableAdvise advises a new sink on tbl.
func specTableAdvise(t *testing.T, tbl *mapi.Table) *specTableSink {
	t.Helper()
	s := &specTableSink{collector[mapispi.TableNotification]{wake: make(chan struct{}, 1)}}
	conn, err := tbl.Advise(bg, s)
	require.NoError(t, err, "IMAPITable::Advise")
	require.NotZero(t, conn, "IMAPITable::Advise connection")
	return s
}

// specRowValue returns the value of tag in row, or nil.
func specRowValue(row mapispi.Row, tag mapispi.PropTag) any {
	for _, v := range row {
		if v.Tag == tag {
			return v.Value
		}
	}
	return nil
}
