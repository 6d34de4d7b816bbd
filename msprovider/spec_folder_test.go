package msprovider_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// TestCreateFolderCollisionAndOpenIfExists: rule 24. A second subfolder
// of the same name is MAPI_E_COLLISION (names compared without regard to
// case [I; mapispi.Folder]); with OPEN_IF_EXISTS CreateFolder opens the
// existing one: S_OK, the same entry ID [D imapifolder-createfolder].
func TestCreateFolderCollisionAndOpenIfExists(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	first, err := inbox.CreateFolder(bg, mapispi.FolderGeneric, "Projects", "work", 0)
	require.NoError(t, err)
	defer first.Close(bg)
	assert.Equal(t, "Projects", specGet(t, first, mapispi.PropDisplayName).Value, "new folder PR_DISPLAY_NAME")
	assert.Equal(t, "work", specGet(t, first, mapispi.PropComment).Value, "new folder PR_COMMENT")
	id := specID(t, first)

	for _, name := range []string{"Projects", "PROJECTS"} {
		_, err = inbox.CreateFolder(bg, mapispi.FolderGeneric, name, "", 0)
		specCode(t, err, mapispi.ErrCollision, "CreateFolder("+name+") beside Projects")
	}
	again, err := inbox.CreateFolder(bg, mapispi.FolderGeneric, "Projects", "", mapispi.FolderOpenIfExists)
	require.NoError(t, err, "CreateFolder(OPEN_IF_EXISTS)")
	defer again.Close(bg)
	assert.Equal(t, id, specID(t, again), "CreateFolder(OPEN_IF_EXISTS) entry ID, want the existing folder's")
	assert.Equal(t, []any{"Projects"}, specNames(t, inbox), "Inbox subfolders")
}

// TestCreateFolderTypes: rule 25. FOLDER_SEARCH makes a folder with
// PR_FOLDER_TYPE 2, FOLDER_GENERIC one with 1; FOLDER_ROOT (0) or an
// unknown type (3) is MAPI_E_INVALID_PARAMETER [OXCFOLD 3.2.5.2].
func TestCreateFolderTypes(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	search, err := inbox.CreateFolder(bg, mapispi.FolderSearch, "Found", "", 0)
	require.NoError(t, err, "CreateFolder(FOLDER_SEARCH)")
	defer search.Close(bg)
	assert.Equal(t, int32(mapispi.FolderSearch), specInt(t, search, mapispi.PropFolderType), "search folder PR_FOLDER_TYPE")
	generic := specFolder(t, inbox, "Plain")
	assert.Equal(t, int32(mapispi.FolderGeneric), specInt(t, generic, mapispi.PropFolderType), "generic folder PR_FOLDER_TYPE")
	for _, typ := range []mapispi.FolderType{mapispi.FolderRoot, 3} {
		_, err := inbox.CreateFolder(bg, typ, "Bad", "", 0)
		specCode(t, err, mapispi.ErrInvalidParameter, "CreateFolder(type "+typ.String()+")")
	}
	assert.ElementsMatch(t, []any{"Found", "Plain"}, specNames(t, inbox), "Inbox subfolders")
}

// TestDeleteFolderRefusesNonEmpty: rule 26. DeleteFolder without flags
// of a folder with subfolders is MAPI_E_HAS_FOLDERS, of one with messages
// only MAPI_E_HAS_MESSAGES; nothing is removed [D imapifolder-deletefolder].
// An associated message counts as a message [I §8 #3].
func TestDeleteFolderRefusesNonEmpty(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	withKids := specFolder(t, inbox, "WithKids")
	specFolder(t, withKids, "Kid")
	specMsg(t, withKids, specSubject("in WithKids"))
	withMsgs := specFolder(t, inbox, "WithMsgs")
	specMsg(t, withMsgs, specSubject("in WithMsgs"))
	withFAI := specFolder(t, inbox, "WithFAI")
	specFAI(t, withFAI, specSubject("view"))

	err := inbox.DeleteFolder(bg, specID(t, withKids), 0)
	specCode(t, err, mapispi.ErrHasFolders, "DeleteFolder(folder with subfolders, 0)")
	err = inbox.DeleteFolder(bg, specID(t, withKids), mapispi.DelMessages)
	specCode(t, err, mapispi.ErrHasFolders, "DeleteFolder(folder with subfolders, DEL_MESSAGES)")
	err = inbox.DeleteFolder(bg, specID(t, withMsgs), 0)
	specCode(t, err, mapispi.ErrHasMessages, "DeleteFolder(folder with messages, 0)")
	err = inbox.DeleteFolder(bg, specID(t, withMsgs), mapispi.DelFolders)
	specCode(t, err, mapispi.ErrHasMessages, "DeleteFolder(folder with messages, DEL_FOLDERS)")
	err = inbox.DeleteFolder(bg, specID(t, withFAI), 0)
	specCode(t, err, mapispi.ErrHasMessages, "DeleteFolder(folder with an associated message, 0)")

	assert.ElementsMatch(t, []any{"WithKids", "WithMsgs", "WithFAI"}, specNames(t, inbox), "Inbox subfolders after refused deletes")
	assert.Equal(t, []any{"Kid"}, specNames(t, withKids), "WithKids subfolders")
	assert.Equal(t, int32(1), specInt(t, withKids, mapispi.PropContentCount), "WithKids PR_CONTENT_COUNT")
	assert.Equal(t, int32(1), specInt(t, withMsgs, mapispi.PropContentCount), "WithMsgs PR_CONTENT_COUNT")
	assert.Equal(t, int32(1), specInt(t, withFAI, mapispi.PropAssocContentCount), "WithFAI PR_ASSOC_CONTENT_COUNT")
}

// TestDeleteFolderRemovesSubtree: rule 27. DeleteFolder with
// DEL_FOLDERS|DEL_MESSAGES removes the folder, its subfolders and all
// their messages; an ID that is not a child of the folder is
// MAPI_E_NOT_FOUND [D imapifolder-deletefolder].
func TestDeleteFolderRemovesSubtree(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	top := specFolder(t, inbox, "Top")
	mid := specFolder(t, top, "Mid")
	leaf := specFolder(t, mid, "Leaf")
	topID, midID, leafID := specID(t, top), specID(t, mid), specID(t, leaf)
	msgs := []mapispi.EntryID{specMsg(t, top, specSubject("1")), specMsg(t, mid, specSubject("2")), specMsg(t, leaf, specSubject("3"))}

	err := inbox.DeleteFolder(bg, midID, mapispi.DelFolders|mapispi.DelMessages)
	specCode(t, err, mapispi.ErrNotFound, "Inbox.DeleteFolder(a grandchild)")
	err = inbox.DeleteFolder(bg, msgs[0], mapispi.DelFolders|mapispi.DelMessages)
	specCode(t, err, mapispi.ErrNotFound, "Inbox.DeleteFolder(a message's entry ID)")

	require.NoError(t, inbox.DeleteFolder(bg, topID, mapispi.DelFolders|mapispi.DelMessages), "DeleteFolder(DEL_FOLDERS|DEL_MESSAGES)")
	assert.Empty(t, specNames(t, inbox), "Inbox subfolders after DeleteFolder")
	assert.Equal(t, false, specGet(t, inbox, mapispi.PropSubfolders).Value, "Inbox PR_SUBFOLDERS after its only subfolder went")
	for _, id := range append([]mapispi.EntryID{topID, midID, leafID}, msgs...) {
		_, err := m.store.OpenEntry(bg, id, 0)
		specCode(t, err, mapispi.ErrNotFound, "OpenEntry(object of the deleted subtree)")
	}
	err = inbox.DeleteFolder(bg, topID, mapispi.DelFolders|mapispi.DelMessages)
	specCode(t, err, mapispi.ErrNotFound, "DeleteFolder(already deleted)")
}

// TestCopyFolderIntoItselfIsCycle: rule 28. Moving a folder into one of
// its own descendants (or into itself) is MAPI_E_FOLDER_CYCLE, and so is
// a copy with its subfolders; the folder stays where it was
// [D imapifolder-copyfolder; mapispi.Folder].
func TestCopyFolderIntoItselfIsCycle(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	a := specFolder(t, inbox, "A")
	b := specFolder(t, a, "B")
	c := specFolder(t, b, "C")
	aID := specID(t, a)
	for _, c := range []struct {
		dest  *mapi.Folder
		flags mapispi.CopyFolderFlags
		what  string
	}{
		{c, mapispi.FolderMove, "FOLDER_MOVE into a grandchild"},
		{b, mapispi.FolderMove, "FOLDER_MOVE into a child"},
		{a, mapispi.FolderMove, "FOLDER_MOVE into itself"},
		{b, mapispi.CopySubfolders, "COPY_SUBFOLDERS into a child"},
		{a, mapispi.CopySubfolders, "COPY_SUBFOLDERS into itself"},
	} {
		err := inbox.CopyFolder(bg, aID, c.dest, "A2", c.flags)
		specCode(t, err, mapispi.ErrFolderCycle, "CopyFolder("+c.what+")")
	}
	assert.Equal(t, []any{"A"}, specNames(t, inbox), "Inbox subfolders")
	assert.Equal(t, []any{"B"}, specNames(t, a), "A's subfolders")
	assert.Equal(t, []any{"C"}, specNames(t, b), "B's subfolders")
	assert.Empty(t, specNames(t, c), "C's subfolders")
}

// TestCopyFolderNameCollision: rule 29. A copy or move onto the name of
// a subfolder the destination has is MAPI_E_COLLISION, a copy into the
// folder's own parent under its own name included; an empty new name
// keeps the folder's name, another renames the copy
// [D imapifolder-copyfolder].
func TestCopyFolderNameCollision(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	src := specFolder(t, inbox, "Src")
	dest := specFolder(t, inbox, "Dest")
	specFolder(t, dest, "src") // names compare without regard to case
	srcID := specID(t, src)

	err := inbox.CopyFolder(bg, srcID, dest, "", 0)
	specCode(t, err, mapispi.ErrCollision, "CopyFolder(copy onto a name the destination has)")
	err = inbox.CopyFolder(bg, srcID, dest, "", mapispi.FolderMove)
	specCode(t, err, mapispi.ErrCollision, "CopyFolder(move onto a name the destination has)")
	assert.ElementsMatch(t, []any{"Src", "Dest"}, specNames(t, inbox), "Inbox subfolders after refused copies")
	assert.Equal(t, []any{"src"}, specNames(t, dest), "Dest subfolders after refused copies")

	require.NoError(t, inbox.CopyFolder(bg, srcID, inbox, "Src copy", 0), "CopyFolder(into its parent, new name)")
	other := specFolder(t, inbox, "Other")
	require.NoError(t, inbox.CopyFolder(bg, srcID, other, "", 0), "CopyFolder(no new name)")
	assert.ElementsMatch(t, []any{"Src", "Dest", "Src copy", "Other"}, specNames(t, inbox), "Inbox subfolders")
	assert.Equal(t, []any{"Src"}, specNames(t, other), "a copy without a new name keeps the name")

	// Its own parent has a subfolder of its name: the folder itself.
	err = inbox.CopyFolder(bg, srcID, inbox, "", 0)
	specCode(t, err, mapispi.ErrCollision, "CopyFolder(copy into its own parent, keeping its name)")
	err = inbox.CopyFolder(bg, srcID, inbox, "SRC", 0)
	specCode(t, err, mapispi.ErrCollision, "CopyFolder(copy into its own parent, its name in capitals)")
	assert.ElementsMatch(t, []any{"Src", "Dest", "Src copy", "Other"}, specNames(t, inbox), "Inbox subfolders after copies onto Src's own name")
}

// TestCopyFolderSubfolders: rule 30. A copy without COPY_SUBFOLDERS takes
// the folder and its messages but none of its subfolders; with it, the
// whole subtree; FOLDER_MOVE moves the folder with its subfolders
// [D imapifolder-copyfolder].
func TestCopyFolderSubfolders(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	a := specFolder(t, inbox, "A")
	b := specFolder(t, a, "B")
	specMsg(t, a, specSubject("in A"))
	specMsg(t, b, specSubject("in B"))
	aID := specID(t, a)

	shallow := specFolder(t, inbox, "Shallow")
	require.NoError(t, inbox.CopyFolder(bg, aID, shallow, "", 0))
	copyA := child(t, shallow, "A")
	assert.Empty(t, specNames(t, copyA), "subfolders of a copy without COPY_SUBFOLDERS")
	assert.Equal(t, false, specGet(t, copyA, mapispi.PropSubfolders).Value, "PR_SUBFOLDERS of a copy without COPY_SUBFOLDERS")
	assert.Equal(t, []any{"in A"}, specSubjects(t, copyA), "messages of the copy")

	deep := specFolder(t, inbox, "Deep")
	require.NoError(t, inbox.CopyFolder(bg, aID, deep, "", mapispi.CopySubfolders))
	deepA := child(t, deep, "A")
	assert.Equal(t, []any{"B"}, specNames(t, deepA), "subfolders of a copy with COPY_SUBFOLDERS")
	assert.Equal(t, []any{"in B"}, specSubjects(t, child(t, deepA, "B")), "messages of the copied subfolder")
	// The source is untouched by copies.
	assert.Equal(t, []any{"B"}, specNames(t, a), "source subfolders after copies")

	moved := specFolder(t, inbox, "Moved")
	require.NoError(t, inbox.CopyFolder(bg, aID, moved, "", mapispi.FolderMove))
	assert.NotContains(t, specNames(t, inbox), "A", "Inbox subfolders after the move")
	movedA := child(t, moved, "A")
	assert.Equal(t, []any{"B"}, specNames(t, movedA), "subfolders of the moved folder")
	assert.Equal(t, []any{"in A"}, specSubjects(t, movedA), "messages of the moved folder")
}

// TestCopyMessagesMoveShiftsCounts: rule 31. CopyMessages with
// MESSAGE_MOVE moves one message: PR_CONTENT_COUNT goes down by one in
// the source and up by one in the destination; a copy leaves the source
// as it was. PR_MSG_STATUS is not copied [D imapifolder-copymessages].
func TestCopyMessagesMoveShiftsCounts(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	dest := specFolder(t, inbox, "Dest")
	one := specMsg(t, inbox, specSubject("one"))
	two := specMsg(t, inbox, specSubject("two"))
	_, err := inbox.SetMessageStatus(bg, two, mapispi.MsgStatusHighlighted, mapispi.MsgStatusHighlighted)
	require.NoError(t, err)

	require.NoError(t, inbox.CopyMessages(bg, []mapispi.EntryID{one}, dest, mapispi.MessageMove), "CopyMessages(MESSAGE_MOVE)")
	assert.Equal(t, int32(1), specInt(t, inbox, mapispi.PropContentCount), "source PR_CONTENT_COUNT after a move")
	assert.Equal(t, int32(1), specInt(t, dest, mapispi.PropContentCount), "destination PR_CONTENT_COUNT after a move")
	assert.Equal(t, []any{"one"}, specSubjects(t, dest), "destination rows after the move")

	require.NoError(t, inbox.CopyMessages(bg, []mapispi.EntryID{two}, dest, 0), "CopyMessages(copy)")
	assert.Equal(t, int32(1), specInt(t, inbox, mapispi.PropContentCount), "source PR_CONTENT_COUNT after a copy")
	assert.Equal(t, int32(2), specInt(t, dest, mapispi.PropContentCount), "destination PR_CONTENT_COUNT after a copy")
	rows := specContents(t, dest, 0, mapispi.PropSubject, mapispi.PropMsgStatus)
	for _, r := range rows {
		if r[0].Value == "two" {
			assert.NotEqual(t, int32(mapispi.MsgStatusHighlighted), r[1].Value, "PR_MSG_STATUS of the copy, want it not copied")
		}
	}
	st, err := inbox.MessageStatus(bg, two)
	require.NoError(t, err)
	assert.Equal(t, mapispi.MsgStatusHighlighted, st, "source PR_MSG_STATUS after the copy")
}

// TestDeleteMessagesSkipsMissing: rule 32 without submission (not
// implemented). DeleteMessages deletes what it can and reports the
// messages it could not (gone, of another folder) as
// MAPI_W_PARTIAL_COMPLETION [D imapifolder-deletemessages].
func TestDeleteMessagesSkipsMissing(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	other := specFolder(t, inbox, "Other")
	keep := specMsg(t, inbox, specSubject("keep"))
	gone := specMsg(t, inbox, specSubject("gone"))
	elsewhere := specMsg(t, other, specSubject("elsewhere"))
	victim := specMsg(t, inbox, specSubject("victim"))
	require.NoError(t, inbox.DeleteMessages(bg, []mapispi.EntryID{gone}, 0))

	err := inbox.DeleteMessages(bg, []mapispi.EntryID{gone, victim, elsewhere}, 0)
	specCode(t, err, mapispi.WarnPartialCompletion, "DeleteMessages(deleted, present, another folder's)")
	var pe *mapispi.PartialError
	if assert.True(t, errors.As(err, &pe), "DeleteMessages error %T, want *mapispi.PartialError", err) {
		var idx []int
		for _, f := range pe.Failed {
			idx = append(idx, f.Index)
		}
		assert.Equal(t, []int{0, 2}, idx, "PartialError failed indexes")
	}
	assert.Equal(t, []any{"keep"}, specSubjects(t, inbox), "Inbox rows after DeleteMessages")
	assert.Equal(t, []any{"elsewhere"}, specSubjects(t, other), "Other's rows after DeleteMessages")
	_ = keep
}

// TestEmptyFolderKeepsAssociatedUnlessDelAssociated: rule 33 without
// submission. EmptyFolder deletes the folder's normal messages and all
// its subfolders, not the folder; its associated messages only with
// DEL_ASSOCIATED [OXCFOLD 3.2.5.9; §8 #3]. The root folder cannot be
// emptied, nor a search folder: MAPI_E_NO_SUPPORT (SHOULD, OXCFOLD
// 3.2.5.9).
func TestEmptyFolderKeepsAssociatedUnlessDelAssociated(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	f := specFolder(t, inbox, "Full")
	sub := specFolder(t, f, "Sub")
	specMsg(t, sub, specSubject("deep"))
	specMsg(t, f, specSubject("normal"))
	specFAI(t, f, specSubject("fai"))

	require.NoError(t, f.EmptyFolder(bg, 0), "EmptyFolder(0)")
	assert.Empty(t, specNames(t, f), "subfolders after EmptyFolder(0)")
	assert.Empty(t, specSubjects(t, f), "normal messages after EmptyFolder(0)")
	assert.Equal(t, []any{"fai"}, specCol(specContents(t, f, mapispi.TableAssociated, mapispi.PropSubject), 0), "associated messages after EmptyFolder(0)")
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropAssocContentCount), "PR_ASSOC_CONTENT_COUNT after EmptyFolder(0)")

	require.NoError(t, f.EmptyFolder(bg, mapispi.DelAssociated), "EmptyFolder(DEL_ASSOCIATED)")
	assert.Empty(t, specContents(t, f, mapispi.TableAssociated, mapispi.PropSubject), "associated messages after EmptyFolder(DEL_ASSOCIATED)")
	assert.Equal(t, int32(0), specInt(t, f, mapispi.PropAssocContentCount), "PR_ASSOC_CONTENT_COUNT after EmptyFolder(DEL_ASSOCIATED)")
	assert.Equal(t, []any{"Full"}, specNames(t, inbox), "the emptied folder stays")

	root := specOpenFolder(t, m.store, nil, mapispi.OpenModify)
	specCode(t, root.EmptyFolder(bg, 0), mapispi.ErrNoSupport, "EmptyFolder(root)")
	search, err := inbox.CreateFolder(bg, mapispi.FolderSearch, "Search", "", 0)
	require.NoError(t, err)
	defer search.Close(bg)
	specCode(t, search.EmptyFolder(bg, 0), mapispi.ErrNoSupport, "EmptyFolder(search folder)")
}

// TestContentCountsExcludeAssociated: rule 34. PR_CONTENT_COUNT counts
// the normal messages, PR_ASSOC_CONTENT_COUNT the associated ones, and
// PR_CONTENT_UNREAD the normal ones without MSGFLAG_READ
// [D imapifolderimapicontainer].
func TestContentCountsExcludeAssociated(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Counted")
	specMsg(t, f, specSubject("1"))
	specMsg(t, f, specSubject("2"))
	specFAI(t, f, specSubject("fai"))
	assert.Equal(t, int32(2), specInt(t, f, mapispi.PropContentCount), "PR_CONTENT_COUNT")
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropAssocContentCount), "PR_ASSOC_CONTENT_COUNT")
	assert.Equal(t, int32(2), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD")
}

// TestSetReadFlagLowersUnread: rule 35. SetReadFlag(0) on an unread
// message lowers its folder's PR_CONTENT_UNREAD by one; again changes
// nothing; CLEAR_READ_FLAG raises it [D imessage-setreadflag].
func TestSetReadFlagLowersUnread(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Reading")
	id := specMsg(t, f, specSubject("unread"))
	specMsg(t, f, specSubject("other"))
	require.Equal(t, int32(2), specInt(t, f, mapispi.PropContentUnread))
	msg := specOpenMsg(t, m.store, id, mapispi.OpenModify)
	require.NoError(t, msg.SetReadFlag(bg, 0), "SetReadFlag(0)")
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after SetReadFlag(0)")
	assert.NotZero(t, specInt(t, msg, mapispi.PropMessageFlags)&int32(mapispi.MsgFlagRead), "PR_MESSAGE_FLAGS after SetReadFlag(0), want MSGFLAG_READ")
	require.NoError(t, msg.SetReadFlag(bg, 0), "SetReadFlag(0) again")
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after a second SetReadFlag(0)")
	require.NoError(t, msg.SetReadFlag(bg, mapispi.ClearReadFlag), "SetReadFlag(CLEAR_READ_FLAG)")
	assert.Equal(t, int32(2), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after CLEAR_READ_FLAG")
}

// TestSubfoldersFlagFollowsChildren: rule 36. PR_SUBFOLDERS is present
// and FALSE on a folder without subfolders, TRUE after its first
// CreateFolder, FALSE again after that folder is deleted.
func TestSubfoldersFlagFollowsChildren(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Parent")
	assert.Equal(t, false, specGet(t, f, mapispi.PropSubfolders).Value, "PR_SUBFOLDERS of a new folder")
	kid := specFolder(t, f, "Kid")
	assert.Equal(t, true, specGet(t, f, mapispi.PropSubfolders).Value, "PR_SUBFOLDERS after CreateFolder")
	require.NoError(t, f.DeleteFolder(bg, specID(t, kid), 0))
	assert.Equal(t, false, specGet(t, f, mapispi.PropSubfolders).Value, "PR_SUBFOLDERS after DeleteFolder of the only subfolder")
}

// TestSetReadFlagsRefusesBadFlagPairs: rule 37. SetReadFlags with
// SUPPRESS_RECEIPT|CLEAR_READ_FLAG or CLEAR_READ_FLAG|GENERATE_RECEIPT_ONLY
// is MAPI_E_INVALID_PARAMETER and changes nothing
// [D imapifolder-setreadflags].
func TestSetReadFlagsRefusesBadFlagPairs(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Flags")
	id := specMsg(t, f, specSubject("x"))
	msg := specOpenMsg(t, m.store, id, mapispi.OpenModify)
	for _, flags := range []mapispi.ReadFlags{mapispi.SuppressReceipt | mapispi.ClearReadFlag, mapispi.ClearReadFlag | mapispi.GenerateReceiptOnly} {
		specCode(t, f.SetReadFlags(bg, nil, flags), mapispi.ErrInvalidParameter, "SetReadFlags(nil, "+flags.String()+")")
		specCode(t, f.SetReadFlags(bg, []mapispi.EntryID{id}, flags), mapispi.ErrInvalidParameter, "SetReadFlags(list, "+flags.String()+")")
		specCode(t, msg.SetReadFlag(bg, flags), mapispi.ErrInvalidParameter, "SetReadFlag("+flags.String()+")")
	}
	assert.Equal(t, int32(1), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after refused calls")
}

// TestSetReadFlagsNilMarksAllRead: rule 38. SetReadFlags with no list
// marks every message of the folder read; CLEAR_READ_FLAG every one
// unread.
func TestSetReadFlagsNilMarksAllRead(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "All")
	for _, s := range []string{"1", "2", "3"} {
		specMsg(t, f, specSubject(s))
	}
	require.NoError(t, f.SetReadFlags(bg, nil, 0), "SetReadFlags(nil, 0)")
	assert.Equal(t, int32(0), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after SetReadFlags(nil, 0)")
	for _, r := range specContents(t, f, 0, mapispi.PropMessageFlags) {
		assert.NotZero(t, r[0].Value.(int32)&int32(mapispi.MsgFlagRead), "row PR_MESSAGE_FLAGS %v, want MSGFLAG_READ", r[0].Value)
	}
	require.NoError(t, f.SetReadFlags(bg, nil, mapispi.ClearReadFlag), "SetReadFlags(nil, CLEAR_READ_FLAG)")
	assert.Equal(t, int32(3), specInt(t, f, mapispi.PropContentUnread), "PR_CONTENT_UNREAD after CLEAR_READ_FLAG")
}

// TestSetMessageStatusMasks: rule 39. SetMessageStatus returns the old
// status; the new one is (old &^ mask) | (status & mask) [I].
// GetMessageStatus and the contents table's PR_MSG_STATUS agree.
func TestSetMessageStatusMasks(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Status")
	id := specMsg(t, f, specSubject("s"))
	hl, tg, dr := mapispi.MsgStatusHighlighted, mapispi.MsgStatusTagged, mapispi.MsgStatusDraft
	old, err := f.SetMessageStatus(bg, id, hl|tg|dr, hl|tg)
	require.NoError(t, err)
	assert.Equal(t, mapispi.MessageStatus(0), old, "first SetMessageStatus old status")
	old, err = f.SetMessageStatus(bg, id, dr, tg|dr)
	require.NoError(t, err)
	assert.Equal(t, hl|tg, old, "second SetMessageStatus old status")
	st, err := f.MessageStatus(bg, id)
	require.NoError(t, err)
	assert.Equal(t, hl|dr, st, "GetMessageStatus")
	rows := specContents(t, f, 0, mapispi.PropMsgStatus)
	require.Len(t, rows, 1)
	assert.Equal(t, int32(hl|dr), rows[0][0].Value, "contents row PR_MSG_STATUS")
}

// TestHierarchyTableDepth: rule 40. A hierarchy table lists the direct
// children only; with CONVENIENT_DEPTH every descendant, depth first,
// with PR_DEPTH 0 for children, 1 for grandchildren
// [D imapicontainer-gethierarchytable; mapispi.Folder].
func TestHierarchyTableDepth(t *testing.T) {
	m := openMailbox(t)
	top := specFolder(t, specInbox(t, m), "Top")
	a := specFolder(t, top, "A")
	specFolder(t, top, "B")
	a1 := specFolder(t, a, "A1")
	specFolder(t, a1, "A1x")
	specFolder(t, a, "A2")

	rows := specHierarchy(t, top, 0, mapispi.PropDisplayName, mapispi.PropDepth)
	assert.Equal(t, []any{"A", "B"}, specCol(rows, 0), "hierarchy table rows")
	assert.Equal(t, []any{int32(0), int32(0)}, specCol(rows, 1), "hierarchy table PR_DEPTH")

	rows = specHierarchy(t, top, mapispi.TableConvenientDepth, mapispi.PropDisplayName, mapispi.PropDepth)
	assert.Equal(t, []any{"A", "A1", "A1x", "A2", "B"}, specCol(rows, 0), "CONVENIENT_DEPTH rows, depth first")
	assert.Equal(t, []any{int32(0), int32(1), int32(2), int32(1), int32(0)}, specCol(rows, 1), "CONVENIENT_DEPTH PR_DEPTH")
}

// TestAssociatedContentsTable: rule 41. GetContentsTable(MAPI_ASSOCIATED)
// lists only the associated messages, each with MSGFLAG_ASSOCIATED; the
// normal table lists only the others.
func TestAssociatedContentsTable(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Mixed")
	specMsg(t, f, specSubject("normal"))
	specFAI(t, f, specSubject("fai 1"))
	specFAI(t, f, specSubject("fai 2"))
	rows := specContents(t, f, mapispi.TableAssociated, mapispi.PropSubject, mapispi.PropMessageFlags)
	assert.ElementsMatch(t, []any{"fai 1", "fai 2"}, specCol(rows, 0), "associated contents rows")
	for _, r := range rows {
		assert.NotZero(t, r[1].Value.(int32)&int32(mapispi.MsgFlagAssociated), "associated row PR_MESSAGE_FLAGS %#x, want MSGFLAG_ASSOCIATED", r[1].Value)
	}
	rows = specContents(t, f, 0, mapispi.PropSubject, mapispi.PropMessageFlags)
	assert.Equal(t, []any{"normal"}, specCol(rows, 0), "normal contents rows")
	assert.Zero(t, rows[0][1].Value.(int32)&int32(mapispi.MsgFlagAssociated), "normal row PR_MESSAGE_FLAGS has MSGFLAG_ASSOCIATED")
}

// TestOpenPropertyContainerTables: rule 42. OpenProperty of
// PR_CONTAINER_CONTENTS, PR_FOLDER_ASSOCIATED_CONTENTS and
// PR_CONTAINER_HIERARCHY with IID_IMAPITable gives the tables
// GetContentsTable(0), GetContentsTable(MAPI_ASSOCIATED) and
// GetHierarchyTable(0) give; another interface is
// MAPI_E_INTERFACE_NOT_SUPPORTED [D imapicontainer-getcontentstable;
// D imapiprop-openproperty].
func TestOpenPropertyContainerTables(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Tables")
	specMsg(t, f, specSubject("m1"))
	specMsg(t, f, specSubject("m2"))
	specFAI(t, f, specSubject("fai"))
	specFolder(t, f, "Sub")
	open := func(tag mapispi.PropTag) []mapispi.Row {
		t.Helper()
		v, err := f.OpenProperty(bg, tag, mapispi.IIDMAPITable, 0)
		require.NoError(t, err, "OpenProperty(%v, IID_IMAPITable)", tag)
		tbl, ok := v.(*mapi.Table)
		require.True(t, ok, "OpenProperty(%v) = %T, want *mapi.Table", tag, v)
		defer tbl.Close(bg)
		return specRows(t, tbl, mapispi.PropEntryID, mapispi.PropDisplayName, mapispi.PropSubject)
	}
	cols := []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropDisplayName, mapispi.PropSubject}
	assert.ElementsMatch(t, specContents(t, f, 0, cols...), open(mapispi.PropContainerContents), "PR_CONTAINER_CONTENTS rows")
	assert.ElementsMatch(t, specContents(t, f, mapispi.TableAssociated, cols...), open(mapispi.PropFolderAssociatedContents), "PR_FOLDER_ASSOCIATED_CONTENTS rows")
	assert.ElementsMatch(t, specHierarchy(t, f, 0, cols...), open(mapispi.PropContainerHierarchy), "PR_CONTAINER_HIERARCHY rows")
	_, err := f.OpenProperty(bg, mapispi.PropContainerContents, mapispi.IIDStream, 0)
	specCode(t, err, mapispi.ErrInterfaceNotSupported, "OpenProperty(PR_CONTAINER_CONTENTS, IID_IStream)")
}

// TestFolderListsContainerContentsButGetPropsErrors: rule 43 [I §8 #19].
// GetPropList of a folder lists PR_CONTAINER_CONTENTS; GetProps gives it
// as a PT_ERROR value.
func TestFolderListsContainerContentsButGetPropsErrors(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Listed")
	tags, err := f.GetPropList(bg)
	require.NoError(t, err)
	assert.Contains(t, tags, mapispi.PropContainerContents, "folder GetPropList")
	v := specGet(t, f, mapispi.PropContainerContents)
	assert.Equal(t, mapispi.PtError, v.Tag.Type(), "GetProps(PR_CONTAINER_CONTENTS) = %v, want a PT_ERROR value", v)
	assert.Equal(t, mapispi.PropContainerContents.ID(), v.Tag.ID(), "GetProps(PR_CONTAINER_CONTENTS) keeps the property ID")
	all, err := f.GetProps(bg, nil)
	require.NoError(t, err)
	for _, v := range all {
		assert.NotEqual(t, mapispi.PtObject, v.Tag.Type(), "GetProps(nil) gave PT_OBJECT %v", v.Tag)
	}
}

// TestEmptyFolderSubfoldersWithAssociatedDocs: store-facts §8 #3 follows
// [MS-OXCFOLD] (subfolders always go; DEL_ASSOCIATED adds the folder's own
// associated messages), but the IMAPIFolder::EmptyFolder page defines
// DEL_ASSOCIATED as "Deletes all subfolders, including subfolders that
// contain messages with associated content": without it, a subfolder
// holding associated messages stays; with it, it goes. The MAPI reference
// page wins [D imapifolder-emptyfolder].
func TestEmptyFolderSubfoldersWithAssociatedDocs(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Full")
	plain := specFolder(t, f, "Plain")
	specMsg(t, plain, specSubject("normal"))
	views := specFolder(t, f, "Views")
	specFAI(t, views, specSubject("view definition"))

	require.NoError(t, f.EmptyFolder(bg, 0), "EmptyFolder(0)")
	assert.Equal(t, []any{"Views"}, specNames(t, f), "subfolders after EmptyFolder(0): the one with associated messages stays")
	require.NoError(t, f.EmptyFolder(bg, mapispi.DelAssociated), "EmptyFolder(DEL_ASSOCIATED)")
	assert.Empty(t, specNames(t, f), "subfolders after EmptyFolder(DEL_ASSOCIATED)")
}
