package msprovider_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestSetReadFlagSavesAtOnce: store-facts §3.7. SetReadFlag changes the
// stored read state at once (another instance sees it without a
// SaveChanges); SUPPRESS_RECEIPT|GENERATE_RECEIPT_ONLY sets
// PR_READ_RECEIPT_REQUESTED to FALSE; MSGFLAG_READ is ignored on
// associated messages [D imessage-setreadflag].
func TestSetReadFlagSavesAtOnce(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Read")
	id := specMsg(t, f, specSubject("r"), mapispi.PropValue{Tag: mapispi.PropReadReceiptRequested, Value: true})
	msg := specOpenMsg(t, m.store, id, mapispi.OpenModify)
	require.NoError(t, msg.SetReadFlag(bg, 0))
	other := specOpenMsg(t, m.store, id, 0)
	assert.NotZero(t, specInt(t, other, mapispi.PropMessageFlags)&int32(mapispi.MsgFlagRead), "another instance's PR_MESSAGE_FLAGS after SetReadFlag, want MSGFLAG_READ")

	require.NoError(t, msg.SetReadFlag(bg, mapispi.SuppressReceipt|mapispi.GenerateReceiptOnly), "SetReadFlag(SUPPRESS_RECEIPT|GENERATE_RECEIPT_ONLY)")
	again := specOpenMsg(t, m.store, id, 0)
	assert.Equal(t, false, specGet(t, again, mapispi.PropReadReceiptRequested).Value, "PR_READ_RECEIPT_REQUESTED after SUPPRESS_RECEIPT|GENERATE_RECEIPT_ONLY")

	faiID := specFAI(t, f, specSubject("fai"))
	fai := specOpenMsg(t, m.store, faiID, mapispi.OpenModify)
	before := specInt(t, fai, mapispi.PropMessageFlags)
	require.NoError(t, fai.SetReadFlag(bg, 0), "SetReadFlag on an associated message")
	assert.Equal(t, before, specInt(t, specOpenMsg(t, m.store, faiID, 0), mapispi.PropMessageFlags), "an associated message's PR_MESSAGE_FLAGS after SetReadFlag")
}

// TestMultiMessageCallsSkipMissing: SetReadFlags and CopyMessages skip
// messages that are gone and report them as MAPI_W_PARTIAL_COMPLETION,
// doing the others; CopyFolder of a folder that is not a child is
// MAPI_E_NOT_FOUND [D imapifolder-setreadflags; D imapifolder-copymessages;
// D imapifolder-copyfolder].
func TestMultiMessageCallsSkipMissing(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	f := specFolder(t, inbox, "Src")
	dest := specFolder(t, inbox, "Dest")
	gone := specMsg(t, f, specSubject("gone"))
	here := specMsg(t, f, specSubject("here"))
	require.NoError(t, f.DeleteMessages(bg, []mapispi.EntryID{gone}, 0))

	err := f.SetReadFlags(bg, []mapispi.EntryID{gone, here}, 0)
	specCode(t, err, mapispi.WarnPartialCompletion, "SetReadFlags(deleted, present)")
	assert.Equal(t, int32(0), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD: the present message is read")

	err = f.CopyMessages(bg, []mapispi.EntryID{here, gone}, dest, 0)
	specCode(t, err, mapispi.WarnPartialCompletion, "CopyMessages(present, deleted)")
	var pe *mapispi.PartialError
	if assert.True(t, errors.As(err, &pe)) && assert.Len(t, pe.Failed, 1) {
		assert.Equal(t, 1, pe.Failed[0].Index, "failed item index")
	}
	assert.Equal(t, []any{"here"}, specSubjects(t, dest), "destination after a partial copy")

	grand := specFolder(t, dest, "Grandchild")
	err = inbox.CopyFolder(bg, specID(t, grand), f, "", 0)
	specCode(t, err, mapispi.ErrNotFound, "CopyFolder(not a child)")
}

// TestMessageIdentityProps: store-facts §3.9. PR_SEARCH_KEY exists right
// after CreateMessage and a copy keeps it; PR_RECORD_KEY and
// PR_CREATION_TIME exist after the first save, PR_LAST_MODIFICATION_TIME
// starts equal to PR_CREATION_TIME; a copy (CopyMessages) gets a new
// record key and, as msprovider's CopyMessages promises ("a new ID,
// record key and creation"), its own creation time
// [D pidtagsearchkey; D pidtagrecordkey; D pidtagcreationtime].
func TestMessageIdentityProps(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	f, dest := specFolder(t, inbox, "Src"), specFolder(t, inbox, "Dest")
	msg := specCreate(t, f, 0, specSubject("id"))
	sk, ok := specGet(t, msg, mapispi.PropSearchKey).Value.([]byte)
	require.True(t, ok, "PR_SEARCH_KEY right after CreateMessage")
	require.NoError(t, msg.SaveChanges(bg, 0))
	saved := specOpenMsg(t, m.store, specID(t, msg), 0)
	vals, err := saved.GetProps(bg, []mapispi.PropTag{mapispi.PropRecordKey, mapispi.PropCreationTime, mapispi.PropLastModificationTime, mapispi.PropSearchKey})
	require.NoError(t, err)
	rk, ok := vals[0].Value.([]byte)
	require.True(t, ok, "PR_RECORD_KEY after the first save: %v", vals[0])
	created, ok := vals[1].Value.(time.Time)
	require.True(t, ok, "PR_CREATION_TIME after the first save: %v", vals[1])
	assert.Equal(t, created, vals[2].Value, "PR_LAST_MODIFICATION_TIME after the first save, want PR_CREATION_TIME")
	assert.Equal(t, sk, vals[3].Value, "PR_SEARCH_KEY after the save")

	before := time.Now().UTC().Truncate(time.Microsecond)
	for !time.Now().After(before.Add(time.Microsecond)) {
		// a clock tick between the original's creation and the copy's
	}
	require.NoError(t, f.CopyMessages(bg, []mapispi.EntryID{specID(t, saved)}, dest, 0))
	rows := specContents(t, dest, 0, mapispi.PropRecordKey, mapispi.PropSearchKey, mapispi.PropCreationTime)
	require.Len(t, rows, 1)
	assert.False(t, bytes.Equal(rk, rows[0][0].Value.([]byte)), "the copy's PR_RECORD_KEY, want a new one")
	assert.Equal(t, sk, rows[0][1].Value, "the copy's PR_SEARCH_KEY, want the original's")
	if ct, ok := rows[0][2].Value.(time.Time); assert.True(t, ok, "the copy's PR_CREATION_TIME: %v", rows[0][2]) {
		assert.False(t, ct.Before(before), "the copy's PR_CREATION_TIME %v, want the time of the copy (not before %v), not the original's %v", ct, before, created)
	}
}

// TestFolderCountChangeNotifiesTheFolder: store-facts §5.3. A change of
// PR_CONTENT_COUNT, PR_CONTENT_UNREAD or PR_SUBFOLDERS is an
// fnevObjectModified of that folder (not its parent); the notifications'
// entry IDs are long-term (abFlags zero) [D handling-message-store-notification;
// D supporting-event-notification].
func TestFolderCountChangeNotifiesTheFolder(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	inboxID := specID(t, inbox)
	f := specFolder(t, inbox, "Counted")
	fID := specID(t, f)
	sink := specAdvise(t, m.store, nil, mapispi.EventObjectModified)
	specMsg(t, f, specSubject("one"))
	sink.waitFor(t, mapispi.EventObjectModified, fID)
	specFolder(t, f, "Kid")
	sink.wait(t, "ObjectModified of the folder for its new subfolder", func(ns []mapispi.Notification) bool {
		for _, x := range ns {
			if bytes.Equal(x.EntryID, fID) && slices.Contains(x.Props, mapispi.PropSubfolders) {
				return true
			}
		}
		return false
	})
	// The barrier: a change of the Inbox itself, its PR_COMMENT.
	_, err := inbox.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: "barrier"}})
	require.NoError(t, err)
	got := sink.waitFor(t, mapispi.EventObjectModified, inboxID)
	var fMods int
	for i, x := range got {
		assert.Equal(t, []byte{0, 0, 0, 0}, []byte(x.EntryID[:4]), "notification %d lpEntryID abFlags", i)
		if bytes.Equal(x.EntryID, fID) {
			fMods++
			assert.Equal(t, inboxID, x.ParentID, "ObjectModified of the folder: lpParentID")
		}
		if bytes.Equal(x.EntryID, inboxID) {
			assert.Contains(t, x.Props, mapispi.PropComment, "the parent's first ObjectModified, want the barrier's (PR_COMMENT), not one for its subfolder's counts: %v", x.Props)
			break
		}
	}
	assert.GreaterOrEqual(t, fMods, 2, "ObjectModified notifications of the folder (a message saved, a subfolder made)")
}

// TestRenameFolderOntoSiblingIsCollision: msprovider Folder.SetProps:
// PR_DISPLAY_NAME that a sibling has (compared without regard to case)
// is a MAPI_E_COLLISION problem and the name stays.
func TestRenameFolderOntoSiblingIsCollision(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	a := specFolder(t, inbox, "A")
	specFolder(t, inbox, "B")
	probs, err := a.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "b"}})
	require.NoError(t, err)
	assert.Equal(t, []mapispi.PropProblem{{Index: 0, Tag: mapispi.PropDisplayName, Code: mapispi.ErrCollision}}, probs, "SetProps(PR_DISPLAY_NAME of a sibling) problems")
	assert.Equal(t, "A", specGet(t, a, mapispi.PropDisplayName).Value, "PR_DISPLAY_NAME after the refused rename")
	probs, err = a.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "a"}})
	require.NoError(t, err)
	assert.Empty(t, probs, "renaming a folder to its own name in other case")
	assert.ElementsMatch(t, []any{"a", "B"}, specNames(t, inbox), "Inbox subfolders")
}

// TestDeepHierarchyFollowsMoves: a CONVENIENT_DEPTH table, open or new,
// follows a folder moved inside its subtree: the moved folder and its
// subfolders get their new PR_DEPTH and depth-first place
// (mapispi.Folder.HierarchyTable).
func TestDeepHierarchyFollowsMoves(t *testing.T) {
	m := openMailbox(t)
	top := specFolder(t, specInbox(t, m), "Top")
	a := specFolder(t, top, "A")
	specFolder(t, a, "A1")
	b := specFolder(t, top, "B")
	open := specTable(t, top.HierarchyTable, mapispi.TableConvenientDepth)
	require.NoError(t, open.SetColumns(bg, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropDepth}))
	require.Equal(t, []any{"A", "A1", "B"}, specCol(specRows(t, open), 0))
	require.NoError(t, top.CopyFolder(bg, specID(t, a), b, "", mapispi.FolderMove))
	for what, rows := range map[string][]mapispi.Row{
		"open table": specRows(t, open),
		"new table":  specHierarchy(t, top, mapispi.TableConvenientDepth, mapispi.PropDisplayName, mapispi.PropDepth),
	} {
		assert.Equal(t, []any{"B", "A", "A1"}, specCol(rows, 0), "%s rows after moving A into B", what)
		assert.Equal(t, []any{int32(0), int32(1), int32(2)}, specCol(rows, 1), "%s PR_DEPTH after moving A into B", what)
	}
}

// TestStreamCommitAndInterfaces: mapispi.Stream and PropertyOpener. A
// stream's writes reach the object at Commit (or Close), not before; an
// interface a property does not offer is MAPI_E_INTERFACE_NOT_SUPPORTED.
func TestStreamCommitAndInterfaces(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, mapispi.PropValue{Tag: mapispi.PropHTML, Value: []byte("old")})
	st, err := msg.OpenStream(bg, mapispi.PropHTML, mapispi.OpenModify)
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.SetSize(0))
	_, err = st.Write([]byte("new"))
	require.NoError(t, err)
	assert.Equal(t, []byte("old"), specGet(t, msg, mapispi.PropHTML).Value, "PR_HTML before the stream's Commit")
	require.NoError(t, st.Commit(bg))
	assert.Equal(t, []byte("new"), specGet(t, msg, mapispi.PropHTML).Value, "PR_HTML after the stream's Commit")

	_, err = msg.OpenProperty(bg, mapispi.PropSubject, mapispi.IIDMAPITable, 0)
	specCode(t, err, mapispi.ErrInterfaceNotSupported, "OpenProperty(PR_SUBJECT, IID_IMAPITable)")
	_, err = msg.OpenProperty(bg, mapispi.PropImportance, mapispi.IIDStream, mapispi.OpenCreate|mapispi.OpenModify)
	specCode(t, err, mapispi.ErrInterfaceNotSupported, "OpenProperty(PT_LONG property, IID_IStream)")
	v, err := msg.OpenProperty(bg, mapispi.PropMessageRecipients, mapispi.IIDMAPITable, 0)
	require.NoError(t, err, "OpenProperty(PR_MESSAGE_RECIPIENTS, IID_IMAPITable)")
	closeTable(t, v)
	v, err = msg.OpenProperty(bg, mapispi.PropMessageAttachments, mapispi.IIDMAPITable, 0)
	require.NoError(t, err, "OpenProperty(PR_MESSAGE_ATTACHMENTS, IID_IMAPITable)")
	closeTable(t, v)
}

func closeTable(t *testing.T, v any) {
	t.Helper()
	tbl, ok := v.(interface{ Close(context.Context) error })
	require.True(t, ok, "OpenProperty(IID_IMAPITable) = %T", v)
	require.NoError(t, tbl.Close(bg))
}
