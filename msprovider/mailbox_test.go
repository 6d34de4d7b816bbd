package msprovider_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// mailbox is a session with one in-memory store open read/write.
type mailbox struct {
	backend *msprovider.Backend
	session *mapi.Session
	store   *mapi.Store
	id      mapispi.EntryID // the store's unwrapped ID
}

func openMailbox(t *testing.T) *mailbox {
	t.Helper()
	ctx := context.Background()
	backend := msprovider.NewBackend()
	var reg mapi.Registry
	require.NoError(t, reg.Register(msprovider.DLLName, backend.Init))
	id, err := backend.CreateStore("Mailbox", nil)
	require.NoError(t, err)
	profile := mapi.Profile{Name: "test", Services: []mapi.Service{{Name: "Mailbox", Provider: msprovider.DLLName,
		Props: []mapispi.PropValue{{Tag: mapispi.PropEntryID, Value: []byte(id)}}}}}
	session, err := mapi.Logon(ctx, &reg, profile, nil)
	require.NoError(t, err)
	stores, err := session.MsgStores(ctx)
	require.NoError(t, err)
	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite|mapispi.LogonNoDialog)
	require.NoError(t, err)
	m := &mailbox{backend: backend, session: session, store: store, id: id}
	t.Cleanup(func() {
		_ = store.Close(ctx)
		if err := session.Logoff(ctx); err != nil {
			t.Errorf("Session.Logoff() = %v, want nil (no handle left open, no leak)", err)
		}
	})
	return m
}

// folder opens the folder whose entry ID the store property tag holds.
func (m *mailbox) folder(t *testing.T, tag mapispi.PropTag) *mapi.Folder {
	t.Helper()
	ctx := context.Background()
	props, err := m.store.GetProps(ctx, []mapispi.PropTag{tag})
	require.NoError(t, err)
	id, ok := props[0].Value.([]byte)
	require.True(t, ok, "store property %v = %v, want an entry ID", tag, props[0])
	obj, err := m.store.OpenEntry(ctx, id, mapispi.OpenModify)
	require.NoError(t, err)
	f, ok := obj.(*mapi.Folder)
	require.True(t, ok, "OpenEntry(%v) = %T, want *mapi.Folder", tag, obj)
	t.Cleanup(func() { _ = f.Close(ctx) })
	return f
}

// child opens parent's subfolder named name, through its hierarchy table.
func child(t *testing.T, parent *mapi.Folder, name string) *mapi.Folder {
	t.Helper()
	ctx := context.Background()
	table, err := parent.HierarchyTable(ctx, 0)
	require.NoError(t, err)
	defer table.Close(ctx)
	require.NoError(t, table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropEntryID}))
	rows, err := table.QueryRows(ctx, 100)
	require.NoError(t, err)
	for _, r := range rows {
		if r[0].Value == name {
			obj, err := parent.OpenEntry(ctx, r[1].Value.([]byte), mapispi.OpenModify)
			require.NoError(t, err)
			f := obj.(*mapi.Folder)
			t.Cleanup(func() { _ = f.Close(ctx) })
			return f
		}
	}
	t.Fatalf("no subfolder named %q in %v", name, rows)
	return nil
}

// TestNewUserMailbox is the scenario of a new user: a folder, a message
// with a subject, a recipient and an attachment in the Inbox, then the
// Inbox listed sorted by delivery time with a restriction.
func TestNewUserMailbox(t *testing.T) {
	ctx := context.Background()
	m := openMailbox(t)
	ipm := m.folder(t, mapispi.PropIPMSubtreeEntryID)
	inbox := child(t, ipm, "Inbox")

	sub, err := inbox.CreateFolder(ctx, mapispi.FolderGeneric, "Projects", "work", 0)
	require.NoError(t, err)
	defer sub.Close(ctx)

	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, subject := range []string{"beta", "alpha", "gamma"} {
		msg, err := inbox.CreateMessage(ctx, 0)
		require.NoError(t, err)
		probs, err := msg.SetProps(ctx, []mapispi.PropValue{
			{Tag: mapispi.PropSubject, Value: subject},
			{Tag: mapispi.PropMessageClass, Value: "IPM.Note"},
			{Tag: mapispi.PropMessageDeliveryTime, Value: base.Add(time.Duration(i) * time.Hour)},
			{Tag: mapispi.PropImportance, Value: int32(i)},
		})
		require.NoError(t, err)
		require.Empty(t, probs)
		require.NoError(t, msg.ModifyRecipients(ctx, 0, []mapispi.Row{{
			{Tag: mapispi.PropDisplayName, Value: "Ann"},
			{Tag: mapispi.PropRecipientType, Value: int32(mapispi.RecipTo)},
			{Tag: mapispi.PropEmailAddress, Value: "ann@example.com"},
		}}))
		att, num, err := msg.CreateAttach(ctx, 0)
		require.NoError(t, err)
		assert.Equal(t, 0, num, "CreateAttach() number of the first attachment")
		_, err = att.SetProps(ctx, []mapispi.PropValue{
			{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
			{Tag: mapispi.PropAttachLongFilename, Value: "notes.txt"},
		})
		require.NoError(t, err)
		st, err := att.OpenStream(ctx, mapispi.PropAttachDataBin, mapispi.OpenModify|mapispi.OpenCreate)
		require.NoError(t, err)
		_, err = io.WriteString(st, "hello "+subject)
		require.NoError(t, err)
		require.NoError(t, st.Close())
		require.NoError(t, att.SaveChanges(ctx, 0))
		require.NoError(t, att.Close(ctx))
		require.NoError(t, msg.SaveChanges(ctx, 0))
		props, err := msg.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayTo, mapispi.PropHasAttach, mapispi.PropEntryID})
		require.NoError(t, err)
		assert.Equal(t, "Ann", props[0].Value, "PR_DISPLAY_TO after SaveChanges")
		assert.Equal(t, true, props[1].Value, "PR_HASATTACH after SaveChanges")
		assert.IsType(t, []byte(nil), props[2].Value, "PR_ENTRYID after SaveChanges")
		require.NoError(t, msg.Close(ctx))
	}

	props, err := inbox.GetProps(ctx, []mapispi.PropTag{mapispi.PropContentCount, mapispi.PropContentUnread, mapispi.PropSubfolders})
	require.NoError(t, err)
	assert.Equal(t, []any{int32(3), int32(3), true}, []any{props[0].Value, props[1].Value, props[2].Value},
		"Inbox PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS")

	table, err := inbox.ContentsTable(ctx, 0)
	require.NoError(t, err)
	defer table.Close(ctx)
	require.NoError(t, table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropEntryID}))
	require.NoError(t, table.SortTable(ctx, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropMessageDeliveryTime, Order: mapispi.SortDescend}}}))
	require.NoError(t, table.Restrict(ctx, mapispi.PropertyRestriction{Relop: mapispi.RelopGE, Tag: mapispi.PropImportance,
		Prop: mapispi.PropValue{Tag: mapispi.PropImportance, Value: int32(1)}}))
	rows, err := table.QueryRows(ctx, 10)
	require.NoError(t, err)
	var subjects []any
	for _, r := range rows {
		subjects = append(subjects, r[0].Value)
	}
	assert.Equal(t, []any{"gamma", "alpha"}, subjects, "Inbox rows with PR_IMPORTANCE >= 1, newest first")

	// The message reads back whole.
	obj, err := inbox.OpenEntry(ctx, rows[0][1].Value.([]byte), 0)
	require.NoError(t, err)
	msg := obj.(*mapi.Message)
	defer msg.Close(ctx)
	recips, err := msg.RecipientTable(ctx, 0)
	require.NoError(t, err)
	defer recips.Close(ctx)
	rrows, err := recips.QueryRows(ctx, 10)
	require.NoError(t, err)
	require.Len(t, rrows, 1)
	att, err := msg.OpenAttach(ctx, 0, 0)
	require.NoError(t, err)
	defer att.Close(ctx)
	st, err := att.OpenStream(ctx, mapispi.PropAttachDataBin, 0)
	require.NoError(t, err)
	data, err := io.ReadAll(st)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	assert.Equal(t, "hello gamma", string(data), "the attachment's data read through a stream")
}
