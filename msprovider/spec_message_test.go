package msprovider_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// TestUnsavedMessageIsInvisible: rules 53-54. A new message is in no
// table and no count until its first SaveChanges; then it is in its
// folder's contents table and has a PR_ENTRYID
// [D imapifolder-createmessage; D pidtagentryid].
func TestUnsavedMessageIsInvisible(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Drafts")
	msg := specCreate(t, f, 0, specSubject("draft"))
	fai := specCreate(t, f, mapispi.MessageAssociated, specSubject("fai draft"))
	assert.Empty(t, specSubjects(t, f), "contents rows before SaveChanges")
	assert.Empty(t, specContents(t, f, mapispi.TableAssociated), "associated contents rows before SaveChanges")
	assert.Equal(t, int32(0), specInt(t, f, mapispi.PropContentCount), "PR_CONTENT_COUNT before SaveChanges")
	assert.Equal(t, int32(0), specInt(t, f, mapispi.PropAssocContentCount), "PR_ASSOC_CONTENT_COUNT before SaveChanges")

	require.NoError(t, msg.SaveChanges(bg, 0))
	require.NoError(t, fai.SaveChanges(bg, 0))
	id := specID(t, msg)
	assert.Equal(t, []any{"draft"}, specSubjects(t, f), "contents rows after SaveChanges")
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropContentCount), "PR_CONTENT_COUNT after SaveChanges")
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropAssocContentCount), "PR_ASSOC_CONTENT_COUNT after SaveChanges")
	again := specOpenMsg(t, m.store, id, 0)
	assert.Equal(t, "draft", specGet(t, again, mapispi.PropSubject).Value, "PR_SUBJECT of the saved message, reopened")
	assert.Equal(t, []byte(specID(t, f)), specGet(t, again, mapispi.PropParentEntryID).Value, "PR_PARENT_ENTRYID")
	assert.NotZero(t, specInt(t, again, mapispi.PropMessageSize), "PR_MESSAGE_SIZE after SaveChanges")
}

// TestSaveConflictFirstWins: rule 55 and msprovider's SaveChanges
// promise. Two instances of one message are independent; the first save
// wins, the second is MAPI_E_OBJECT_CHANGED and commits nothing while its
// instance keeps its changes; FORCE_SAVE then commits them
// [D supporting-multiple-client-access-to-messages-in-message-stores].
func TestSaveConflictFirstWins(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Shared")
	id := specMsg(t, f, specSubject("original"))
	a := specOpenMsg(t, m.store, id, mapispi.OpenModify)
	b := specOpenMsg(t, m.store, id, mapispi.OpenModify)

	_, err := a.SetProps(bg, []mapispi.PropValue{specSubject("from A")})
	require.NoError(t, err)
	assert.Equal(t, "original", specGet(t, b, mapispi.PropSubject).Value, "B's PR_SUBJECT while A has unsaved changes")
	_, err = b.SetProps(bg, []mapispi.PropValue{specSubject("from B"), {Tag: mapispi.PropImportance, Value: int32(2)}})
	require.NoError(t, err)
	assert.Equal(t, "from A", specGet(t, a, mapispi.PropSubject).Value, "A's PR_SUBJECT while B has unsaved changes")
	assert.Equal(t, []any{"original"}, specSubjects(t, f), "contents rows before any save")

	require.NoError(t, a.SaveChanges(bg, mapispi.KeepOpenReadWrite), "A.SaveChanges")
	err = b.SaveChanges(bg, mapispi.KeepOpenReadWrite)
	specCode(t, err, mapispi.ErrObjectChanged, "B.SaveChanges after A saved")
	assert.Equal(t, []any{"from A"}, specSubjects(t, f), "stored PR_SUBJECT after B's failed save")
	fresh := specOpenMsg(t, m.store, id, 0)
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropImportance, mapispi.ErrNotFound), specGet(t, fresh, mapispi.PropImportance), "stored PR_IMPORTANCE after B's failed save")
	assert.Equal(t, "from B", specGet(t, b, mapispi.PropSubject).Value, "B's PR_SUBJECT after its failed save, want its own change kept")

	require.NoError(t, b.SaveChanges(bg, mapispi.ForceSave|mapispi.KeepOpenReadWrite), "B.SaveChanges(FORCE_SAVE)")
	assert.Equal(t, []any{"from B"}, specSubjects(t, f), "stored PR_SUBJECT after FORCE_SAVE")
	latest := specOpenMsg(t, m.store, id, 0)
	assert.Equal(t, int32(2), specInt(t, latest, mapispi.PropImportance), "stored PR_IMPORTANCE after FORCE_SAVE")
	// A's instance is now behind.
	_, err = a.SetProps(bg, []mapispi.PropValue{specSubject("A again")})
	require.NoError(t, err)
	specCode(t, a.SaveChanges(bg, 0), mapispi.ErrObjectChanged, "A.SaveChanges after B's FORCE_SAVE")
}

// TestSaveAfterDeleteOrMoveIsObjectDeleted: rule 56 and msprovider's
// SaveChanges promise. Saving an instance of a message another caller
// deleted, or moved to another folder, or of one whose folder is gone, is
// MAPI_E_OBJECT_DELETED, and nothing is stored; FORCE_SAVE does not bring
// it back.
func TestSaveAfterDeleteOrMoveIsObjectDeleted(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	f := specFolder(t, inbox, "Src")
	dest := specFolder(t, inbox, "Dest")
	delID := specMsg(t, f, specSubject("deleted"))
	movID := specMsg(t, f, specSubject("moved"))
	del := specOpenMsg(t, m.store, delID, mapispi.OpenModify)
	mov := specOpenMsg(t, m.store, movID, mapispi.OpenModify)
	_, err := del.SetProps(bg, []mapispi.PropValue{specSubject("resurrected")})
	require.NoError(t, err)
	_, err = mov.SetProps(bg, []mapispi.PropValue{specSubject("changed after move")})
	require.NoError(t, err)
	require.NoError(t, f.DeleteMessages(bg, []mapispi.EntryID{delID}, 0))
	require.NoError(t, f.CopyMessages(bg, []mapispi.EntryID{movID}, dest, mapispi.MessageMove))

	specCode(t, del.SaveChanges(bg, mapispi.KeepOpenReadWrite), mapispi.ErrObjectDeleted, "SaveChanges of a deleted message")
	specCode(t, del.SaveChanges(bg, mapispi.ForceSave), mapispi.ErrObjectDeleted, "SaveChanges(FORCE_SAVE) of a deleted message")
	specCode(t, mov.SaveChanges(bg, 0), mapispi.ErrObjectDeleted, "SaveChanges of a message moved away")
	assert.Empty(t, specSubjects(t, f), "source rows")
	assert.Equal(t, []any{"moved"}, specSubjects(t, dest), "destination rows: the moved message as it was")
	// A new message whose folder went before its first save.
	gone := specFolder(t, inbox, "Gone")
	orphan := specCreate(t, gone, 0, specSubject("orphan"))
	require.NoError(t, inbox.DeleteFolder(bg, specID(t, gone), 0))
	specCode(t, orphan.SaveChanges(bg, 0), mapispi.ErrObjectDeleted, "SaveChanges of a new message whose folder was deleted")
	// The instance itself still answers.
	assert.Equal(t, "resurrected", specGet(t, del, mapispi.PropSubject).Value, "deleted message's instance PR_SUBJECT")
}

// TestKeepOpenReadWrite: rule 57. After SaveChanges(KEEP_OPEN_READWRITE)
// the instance takes SetProps and SaveChanges again; after a save without
// it (KEEP_OPEN_READONLY [I]) it refuses changes with MAPI_E_NO_ACCESS.
func TestKeepOpenReadWrite(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Keep")
	msg := specCreate(t, f, 0, specSubject("v1"))
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	_, err := msg.SetProps(bg, []mapispi.PropValue{specSubject("v2")})
	require.NoError(t, err, "SetProps after KEEP_OPEN_READWRITE")
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadOnly), "second SaveChanges")
	assert.Equal(t, []any{"v2"}, specSubjects(t, f), "stored PR_SUBJECT")
	_, err = msg.SetProps(bg, []mapispi.PropValue{specSubject("v3")})
	specCode(t, err, mapispi.ErrNoAccess, "SetProps after KEEP_OPEN_READONLY")
	specCode(t, msg.SaveChanges(bg, 0), mapispi.ErrNoAccess, "SaveChanges after KEEP_OPEN_READONLY")
}

// TestSaveWithoutClassIsIPM: rule 58. A message saved without
// PR_MESSAGE_CLASS gets "IPM" [D pidtagmessageclass]; one with a class
// keeps it.
func TestSaveWithoutClassIsIPM(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Classes")
	plain := specOpenMsg(t, m.store, specMsg(t, f, specSubject("no class")), 0)
	assert.Equal(t, "IPM", specGet(t, plain, mapispi.PropMessageClass).Value, "PR_MESSAGE_CLASS of a message saved without one")
	note := specOpenMsg(t, m.store, specMsg(t, f, mapispi.PropValue{Tag: mapispi.PropMessageClass, Value: "IPM.Note"}), 0)
	assert.Equal(t, "IPM.Note", specGet(t, note, mapispi.PropMessageClass).Value, "PR_MESSAGE_CLASS set by the client")
}

// TestOpenPropertyStreamRules: rules 59-61. OpenProperty of a
// PT_UNSPECIFIED tag is MAPI_E_INVALID_PARAMETER; of a property the
// object lacks, without MAPI_CREATE, MAPI_E_NOT_FOUND; with
// MAPI_CREATE|MAPI_MODIFY an existing property starts empty. What a
// stream writes shows in GetProps after the message's SaveChanges
// [D imapiprop-openproperty].
func TestOpenPropertyStreamRules(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Streams")
	msg := specCreate(t, f, 0, mapispi.PropValue{Tag: mapispi.PropBody, Value: "old text"})

	_, err := msg.OpenProperty(bg, mapispi.PropBody.WithType(mapispi.PtUnspecified), mapispi.IIDStream, 0)
	specCode(t, err, mapispi.ErrInvalidParameter, "OpenProperty(PT_UNSPECIFIED)")
	_, err = msg.OpenStream(bg, mapispi.PropHTML, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenProperty(absent PR_HTML, no MAPI_CREATE)")
	_, err = msg.OpenStream(bg, mapispi.PropHTML, mapispi.OpenModify)
	specCode(t, err, mapispi.ErrNotFound, "OpenProperty(absent PR_HTML, MAPI_MODIFY)")

	st, err := msg.OpenStream(bg, mapispi.PropBody, mapispi.OpenCreate|mapispi.OpenModify)
	require.NoError(t, err, "OpenProperty(PR_BODY, MAPI_CREATE|MAPI_MODIFY)")
	stat, err := st.Stat()
	require.NoError(t, err)
	assert.Zero(t, stat.Size, "size of a stream opened with MAPI_CREATE on an existing property")
	_, err = st.Write(utf16LE("new text"))
	require.NoError(t, err)
	require.NoError(t, st.Close())

	html, err := msg.OpenStream(bg, mapispi.PropHTML, mapispi.OpenCreate|mapispi.OpenModify)
	require.NoError(t, err, "OpenProperty(absent PR_HTML, MAPI_CREATE|MAPI_MODIFY)")
	_, err = html.Write([]byte("<p>hi</p>"))
	require.NoError(t, err)
	require.NoError(t, html.Close())

	require.NoError(t, msg.SaveChanges(bg, 0))
	again := specOpenMsg(t, m.store, specID(t, msg), 0)
	assert.Equal(t, "new text", specGet(t, again, mapispi.PropBody).Value, "PR_BODY written through a stream, after SaveChanges")
	assert.Equal(t, []byte("<p>hi</p>"), specGet(t, again, mapispi.PropHTML).Value, "PR_HTML written through a stream, after SaveChanges")
}

// TestNewDraftFlags: rule 62 [I] and the PR_MESSAGE_FLAGS page. A new
// saved message has MSGFLAG_UNSENT (and MSGFLAG_UNMODIFIED, cleared by
// its second save); MSGFLAG_READ is taken from SetProps before the first
// save only: after it PR_MESSAGE_FLAGS is a MAPI_E_COMPUTED problem and
// stays.
func TestNewDraftFlags(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Flags")
	msg := specCreate(t, f, 0, specSubject("draft"))
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	flags := mapispi.MessageFlags(specInt(t, msg, mapispi.PropMessageFlags))
	assert.NotZero(t, flags&mapispi.MsgFlagUnsent, "new draft PR_MESSAGE_FLAGS %#x, want MSGFLAG_UNSENT", uint32(flags))
	assert.NotZero(t, flags&mapispi.MsgFlagUnmodified, "new draft PR_MESSAGE_FLAGS %#x, want MSGFLAG_UNMODIFIED", uint32(flags))
	assert.Zero(t, flags&mapispi.MsgFlagRead, "new draft PR_MESSAGE_FLAGS %#x has MSGFLAG_READ", uint32(flags))

	probs, err := msg.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropMessageFlags, Value: int32(flags | mapispi.MsgFlagRead)}})
	require.NoError(t, err)
	assert.Equal(t, []mapispi.PropProblem{{Index: 0, Tag: mapispi.PropMessageFlags, Code: mapispi.ErrComputed}}, probs, "SetProps(PR_MESSAGE_FLAGS) after the first save")
	require.NoError(t, msg.SaveChanges(bg, 0))
	flags = mapispi.MessageFlags(specInt(t, specOpenMsg(t, m.store, specID(t, msg), 0), mapispi.PropMessageFlags))
	assert.Zero(t, flags&mapispi.MsgFlagRead, "PR_MESSAGE_FLAGS %#x after SetProps(MSGFLAG_READ) on a saved message", uint32(flags))
	assert.Zero(t, flags&mapispi.MsgFlagUnmodified, "PR_MESSAGE_FLAGS %#x after the second save, want MSGFLAG_UNMODIFIED cleared", uint32(flags))
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD")

	read := specCreate(t, f, 0, specSubject("read before save"), mapispi.PropValue{Tag: mapispi.PropMessageFlags, Value: int32(mapispi.MsgFlagRead)})
	require.NoError(t, read.SaveChanges(bg, 0))
	flags = mapispi.MessageFlags(specInt(t, read, mapispi.PropMessageFlags))
	assert.NotZero(t, flags&mapispi.MsgFlagRead, "PR_MESSAGE_FLAGS %#x after SetProps(MSGFLAG_READ) before the first save", uint32(flags))
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after saving a read message")
}

// TestChangeKeyChangesOnEverySave: msprovider's promise (mapispi.Message):
// PR_CHANGE_KEY and PR_PREDECESSOR_CHANGE_LIST are new at every save.
func TestChangeKeyChangesOnEverySave(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Changes")
	msg := specCreate(t, f, 0, specSubject("v0"))
	var keys [][]byte
	for i := range 3 {
		if i > 0 {
			_, err := msg.SetProps(bg, []mapispi.PropValue{specSubject("v" + string(rune('0'+i)))})
			require.NoError(t, err)
		}
		require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
		k, ok := specGet(t, msg, mapispi.PropChangeKey).Value.([]byte)
		require.True(t, ok, "PR_CHANGE_KEY after save %d", i+1)
		for _, old := range keys {
			assert.False(t, bytes.Equal(old, k), "PR_CHANGE_KEY after save %d repeats an earlier one", i+1)
		}
		keys = append(keys, k)
		pcl, ok := specGet(t, msg, mapispi.PropPredecessorChangeList).Value.([]byte)
		require.True(t, ok, "PR_PREDECESSOR_CHANGE_LIST after save %d", i+1)
		assert.True(t, bytes.Contains(pcl, k), "PR_PREDECESSOR_CHANGE_LIST %X lacks the change key %X", pcl, k)
	}
	stored := specOpenMsg(t, m.store, specID(t, msg), 0)
	assert.Equal(t, keys[2], specGet(t, stored, mapispi.PropChangeKey).Value, "stored PR_CHANGE_KEY, want the last save's")
}

// TestMovedMessageGetsNewEntryID: a moved message's entry ID names its
// new folder ([MS-OXCDATA] 2.2.4.2: the folder is part of the ID); the
// old ID opens nothing (MAPI_E_NOT_FOUND), the new one opens the message.
func TestMovedMessageGetsNewEntryID(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	src, dest := specFolder(t, inbox, "Src"), specFolder(t, inbox, "Dest")
	old := specMsg(t, src, specSubject("traveller"))
	require.NoError(t, src.CopyMessages(bg, []mapispi.EntryID{old}, dest, mapispi.MessageMove))
	rows := specContents(t, dest, 0, mapispi.PropEntryID)
	require.Len(t, rows, 1)
	newID := mapispi.EntryID(rows[0][0].Value.([]byte))
	parsed, err := entryid.ParseMessage(newID)
	require.NoError(t, err)
	destParsed, err := entryid.ParseFolder(specID(t, dest))
	require.NoError(t, err)
	assert.Equal(t, destParsed.ID, parsed.Folder, "moved message entry ID names the destination folder")
	_, err = m.store.OpenEntry(bg, old, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenEntry(entry ID from before the move)")
	moved := specOpenMsg(t, m.store, newID, 0)
	assert.Equal(t, "traveller", specGet(t, moved, mapispi.PropSubject).Value, "moved message PR_SUBJECT")
	assert.Equal(t, []byte(specID(t, dest)), specGet(t, moved, mapispi.PropParentEntryID).Value, "moved message PR_PARENT_ENTRYID")
}

// TestReadStreamPastEnd: a read past a stream's end is io.EOF with no
// bytes; a seek before its start is MAPI_E_INVALID_PARAMETER; a write on
// a stream opened without MAPI_MODIFY is MAPI_E_NO_ACCESS and changes
// nothing (mapispi.Stream, msprovider stream.go).
func TestReadStreamPastEnd(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, mapispi.PropValue{Tag: mapispi.PropHTML, Value: []byte("abc")})
	st, err := msg.OpenStream(bg, mapispi.PropHTML, 0)
	require.NoError(t, err)
	defer st.Close()
	_, err = st.Seek(10, io.SeekStart)
	require.NoError(t, err, "Seek past the end")
	n, err := st.Read(make([]byte, 4))
	assert.Equal(t, 0, n, "Read past the end: bytes")
	assert.ErrorIs(t, err, io.EOF, "Read past the end")
	_, err = st.Seek(-1, io.SeekStart)
	specCode(t, err, mapispi.ErrInvalidParameter, "Seek before the start")
	_, err = st.Seek(0, io.SeekStart)
	require.NoError(t, err)
	_, err = st.Write([]byte("xyz"))
	specCode(t, err, mapispi.ErrNoAccess, "Write on a read-only stream")
	specCode(t, st.SetSize(0), mapispi.ErrNoAccess, "SetSize on a read-only stream")
	data, err := io.ReadAll(st)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(data), "stream bytes after refused writes")
	require.NoError(t, st.Close())
	assert.Equal(t, []byte("abc"), specGet(t, msg, mapispi.PropHTML).Value, "PR_HTML after refused writes")
}

// TestStreamTooBig: a stream may not grow past what a MAPI property's
// byte count holds (a ULONG): SetSize, or a Write after a Seek, beyond 4 GB
// is MAPI_E_TOO_BIG, charges nothing and leaves the stream as it was.
func TestStreamTooBig(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, mapispi.PropValue{Tag: mapispi.PropHTML, Value: []byte("abc")})
	st, err := msg.OpenStream(bg, mapispi.PropHTML, mapispi.OpenModify)
	require.NoError(t, err)
	defer st.Close()
	specCode(t, st.SetSize(1<<62), mapispi.ErrTooBig, "SetSize(1<<62)")
	_, err = st.Seek(1<<40, io.SeekStart)
	require.NoError(t, err)
	_, err = st.Write([]byte("x"))
	specCode(t, err, mapispi.ErrTooBig, "Write at 1<<40")
	_, err = st.Seek(0, io.SeekStart)
	require.NoError(t, err)
	data, err := io.ReadAll(st)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(data), "stream bytes after refused growth")
}
