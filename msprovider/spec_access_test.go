package msprovider_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// specROStorage is a Storage without Commit (not a Writer): a root, an
// IPM subtree, an Inbox holding one message with a recipient and an
// attachment, and an empty folder. AddStore makes a read-only store of it.
type specROStorage struct{}

const (
	roRoot msprovider.ID = msprovider.RootID + iota
	roIPM
	roInbox
	roOther
	roMsg msprovider.ID = 100
)

func (specROStorage) Folder(ctx context.Context, id msprovider.ID) (*msprovider.FolderData, error) {
	name := func(s string) []mapispi.PropValue {
		return []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: s}}
	}
	switch id {
	case roRoot:
		return &msprovider.FolderData{ID: id, Props: name("")}, nil
	case roIPM:
		return &msprovider.FolderData{ID: id, Parent: roRoot, Role: msprovider.RoleIPMSubtree, Props: name("Top of Information Store")}, nil
	case roInbox:
		return &msprovider.FolderData{ID: id, Parent: roIPM, Role: msprovider.RoleInbox, Props: name("Inbox")}, nil
	case roOther:
		return &msprovider.FolderData{ID: id, Parent: roInbox, Props: name("Other")}, nil
	}
	return nil, mapispi.Errorf(mapispi.ErrNotFound, "spec storage", "no folder %d", id)
}

func (specROStorage) Subfolders(ctx context.Context, id msprovider.ID) ([]msprovider.ID, error) {
	switch id {
	case roRoot:
		return []msprovider.ID{roIPM}, nil
	case roIPM:
		return []msprovider.ID{roInbox}, nil
	case roInbox:
		return []msprovider.ID{roOther}, nil
	case roOther:
		return nil, nil
	}
	return nil, mapispi.Errorf(mapispi.ErrNotFound, "spec storage", "no folder %d", id)
}

func (specROStorage) Messages(ctx context.Context, folder msprovider.ID) ([]msprovider.ID, error) {
	if folder == roInbox {
		return []msprovider.ID{roMsg}, nil
	}
	return nil, nil
}

func (specROStorage) Message(ctx context.Context, id msprovider.ID) (*msprovider.MessageData, error) {
	if id != roMsg {
		return nil, mapispi.Errorf(mapispi.ErrNotFound, "spec storage", "no message %d", id)
	}
	return &msprovider.MessageData{ID: id, Folder: roInbox, Change: 1,
		Props:      []mapispi.PropValue{specSubject("stored"), {Tag: mapispi.PropMessageFlags, Value: int32(0)}},
		Recipients: []mapispi.Row{specRecip("Ann", mapispi.RecipTo)},
		Attachments: []msprovider.AttachmentData{{Num: 0, Props: []mapispi.PropValue{
			{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}, {Tag: mapispi.PropAttachDataBin, Value: []byte("x")}}}},
	}, nil
}

// specRefusesChanges runs every change of folders and messages through a
// read-only logon's objects: each is MAPI_E_NO_ACCESS. inboxID holds
// msgID and the folder otherID.
func specRefusesChanges(t *testing.T, m *mailbox, inboxID, otherID, msgID mapispi.EntryID) {
	t.Helper()
	_, err := m.store.OpenEntry(bg, inboxID, mapispi.OpenModify)
	specCode(t, err, mapispi.ErrNoAccess, "OpenEntry(folder, MAPI_MODIFY)")
	_, err = m.store.OpenEntry(bg, msgID, mapispi.OpenModify)
	specCode(t, err, mapispi.ErrNoAccess, "OpenEntry(message, MAPI_MODIFY)")
	inbox := specOpenFolder(t, m.store, inboxID, mapispi.OpenBestAccess)
	other := specOpenFolder(t, m.store, otherID, mapispi.OpenBestAccess)
	msg := specOpenMsg(t, m.store, msgID, mapispi.OpenBestAccess)

	no := func(what string, err error) {
		t.Helper()
		specCode(t, err, mapispi.ErrNoAccess, what)
	}
	_, err = inbox.CreateFolder(bg, mapispi.FolderGeneric, "New", "", 0)
	no("CreateFolder", err)
	_, err = inbox.CreateMessage(bg, 0)
	no("CreateMessage", err)
	_, err = inbox.CreateMessage(bg, mapispi.MessageAssociated)
	no("CreateMessage(MAPI_ASSOCIATED)", err)
	no("DeleteFolder", inbox.DeleteFolder(bg, otherID, mapispi.DelFolders|mapispi.DelMessages))
	no("DeleteMessages", inbox.DeleteMessages(bg, []mapispi.EntryID{msgID}, 0))
	no("CopyMessages(move)", inbox.CopyMessages(bg, []mapispi.EntryID{msgID}, other, mapispi.MessageMove))
	no("CopyMessages(copy)", inbox.CopyMessages(bg, []mapispi.EntryID{msgID}, other, 0))
	no("CopyFolder", inbox.CopyFolder(bg, otherID, inbox, "Other 2", 0))
	no("EmptyFolder", other.EmptyFolder(bg, mapispi.DelAssociated))
	no("SetReadFlags(nil)", inbox.SetReadFlags(bg, nil, 0))
	no("SetReadFlags(list)", inbox.SetReadFlags(bg, []mapispi.EntryID{msgID}, 0))
	_, err = inbox.SetMessageStatus(bg, msgID, mapispi.MsgStatusHighlighted, mapispi.MsgStatusHighlighted)
	no("SetMessageStatus", err)
	_, err = inbox.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: "c"}})
	no("Folder.SetProps", err)
	_, err = inbox.DeleteProps(bg, []mapispi.PropTag{mapispi.PropDisplayName})
	no("Folder.DeleteProps", err)

	_, err = msg.SetProps(bg, []mapispi.PropValue{specSubject("changed")})
	no("Message.SetProps", err)
	_, err = msg.DeleteProps(bg, []mapispi.PropTag{mapispi.PropSubject})
	no("Message.DeleteProps", err)
	no("ModifyRecipients", msg.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Eve", mapispi.RecipTo)}))
	_, _, err = msg.CreateAttach(bg, 0)
	no("CreateAttach", err)
	no("DeleteAttach", msg.DeleteAttach(bg, 0))
	_, err = msg.OpenAttach(bg, 0, mapispi.OpenModify)
	no("OpenAttach(MAPI_MODIFY)", err)
	_, err = msg.OpenStream(bg, mapispi.PropBody, mapispi.OpenCreate|mapispi.OpenModify)
	no("OpenProperty(PR_BODY, MAPI_CREATE|MAPI_MODIFY)", err)
	no("SetReadFlag", msg.SetReadFlag(bg, 0))
	no("Message.SaveChanges", msg.SaveChanges(bg, 0))
	_, err = m.store.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "renamed"}})
	no("Store.SetProps(PR_DISPLAY_NAME)", err)

	// And nothing changed, as this logon sees it.
	assert.Equal(t, []any{"Other"}, specNames(t, inbox), "Inbox subfolders")
	assert.Equal(t, []any{"stored"}, specSubjects(t, inbox), "Inbox messages")
	assert.Equal(t, int32(1), specInt(t, inbox, mapispi.PropContentUnread), "Inbox PR_CONTENT_UNREAD")
	st, err := inbox.MessageStatus(bg, msgID)
	require.NoError(t, err)
	assert.Zero(t, st, "PR_MSG_STATUS")
	fresh := specOpenMsg(t, m.store, msgID, 0)
	assert.Len(t, specRecips(t, fresh, mapispi.PropDisplayName), 1, "recipients")
	assert.Len(t, specAttachNums(t, fresh), 1, "attachments")
	assert.Equal(t, "stored", specGet(t, fresh, mapispi.PropSubject).Value, "PR_SUBJECT")
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropComment, mapispi.ErrNotFound), specGet(t, inbox, mapispi.PropComment), "Inbox PR_COMMENT")
	assert.Equal(t, "Mailbox", specGet(t, m.store, mapispi.PropDisplayName).Value, "store PR_DISPLAY_NAME")
}

// TestReadOnlyLogonRefusesEveryChange: a logon without MDB_WRITE refuses
// every change of folders, messages, recipients, attachments and streams
// with MAPI_E_NO_ACCESS, and the store is as it was for a writable logon
// too [D imsgstore-openentry; msprovider doc.go "Logon"].
func TestReadOnlyLogonRefusesEveryChange(t *testing.T) {
	w := newSpecWorld(t, nil)
	writer := w.logon(t, mapispi.LogonWrite)
	inbox := specInbox(t, writer)
	other := specFolder(t, inbox, "Other")
	msg := specCreate(t, inbox, 0, specSubject("stored"))
	require.NoError(t, msg.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Ann", mapispi.RecipTo)}))
	specAttach(t, msg, mapispi.PropValue{Tag: mapispi.PropAttachDataBin, Value: []byte("x")})
	require.NoError(t, msg.SaveChanges(bg, 0))
	msgID := specID(t, msg)

	reader := w.logon(t, 0)
	specRefusesChanges(t, reader, specID(t, inbox), specID(t, other), msgID)
	// The writer sees the same store.
	assert.Equal(t, []any{"Other"}, specNames(t, inbox), "Inbox subfolders, for the writer")
	assert.Equal(t, []any{"stored"}, specSubjects(t, inbox), "Inbox messages, for the writer")
}

// TestReadOnlyStorageRefusesEveryChange: a store over a Storage that is
// not a Writer is read-only for every logon, MDB_WRITE too
// (Backend.AddStore, StoreOptions.ReadOnly): every change is
// MAPI_E_NO_ACCESS, and the support mask says STORE_READONLY.
func TestReadOnlyStorageRefusesEveryChange(t *testing.T) {
	w := &specWorld{backend: msprovider.NewBackend(msprovider.WithPasswordIterations(1)), reg: &mapi.Registry{}}
	require.NoError(t, w.reg.Register(msprovider.DLLName, w.backend.Init))
	id, err := w.backend.AddStore("Mailbox", specROStorage{}, nil)
	require.NoError(t, err)
	w.id = id
	m := w.logon(t, mapispi.LogonWrite)
	mask := mapispi.StoreSupportMask(specInt(t, m.store, mapispi.PropStoreSupportMask))
	assert.NotZero(t, mask&mapispi.StoreReadOnly, "support mask %#x, want STORE_READONLY", uint32(mask))

	ipm := specOpenFolder(t, m.store, specGet(t, m.store, mapispi.PropIPMSubtreeEntryID).Value.([]byte), mapispi.OpenBestAccess)
	rows := specHierarchy(t, ipm, 0, mapispi.PropEntryID, mapispi.PropDisplayName)
	require.Len(t, rows, 1)
	inboxID := mapispi.EntryID(rows[0][0].Value.([]byte))
	inbox := specOpenFolder(t, m.store, inboxID, 0)
	sub := specHierarchy(t, inbox, 0, mapispi.PropEntryID)
	require.Len(t, sub, 1)
	msgs := specContents(t, inbox, 0, mapispi.PropEntryID)
	require.Len(t, msgs, 1)
	specRefusesChanges(t, m, inboxID, sub[0][0].Value.([]byte), msgs[0][0].Value.([]byte))
	_, err = m.store.IDsFromNames(bg, []mapispi.PropName{specStringName(mapispi.PSPublicStrings, "x")}, true)
	specCode(t, err, mapispi.ErrNoAccess, "GetIDsFromNames(MAPI_CREATE)")
}
