package msprovider_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
)

// TestMalformedEntryIDs: bytes that are no entry ID of the store's
// layouts, though they carry its UID, are MAPI_E_INVALID_ENTRYID for
// OpenEntry (store and folder), CompareEntryIDs and DeleteFolder; in a
// list of messages they are a failed item of a MAPI_W_PARTIAL_COMPLETION
// (msprovider ids.go, store.go) [D imsgstore-openentry].
func TestMalformedEntryIDs(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	sub := specFolder(t, inbox, "Sub")
	subID := specID(t, sub)
	msgID := specMsg(t, inbox, specSubject("m"))

	wrongType := bytes.Clone(subID)
	wrongType[20] = 0x03 // FolderType eitLTPublicFolder... not this store's kind
	bad := map[string]mapispi.EntryID{
		"10 bytes":                            {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
		"a folder ID cut short":               subID[:40],
		"a folder ID with a tail":             append(bytes.Clone(subID), 0, 0),
		"a message ID cut short":              msgID[:60],
		"a folder ID of the wrong FolderType": wrongType,
	}
	for what, id := range bad {
		_, err := m.store.OpenEntry(bg, id, 0)
		specCode(t, err, mapispi.ErrInvalidEntryID, "Store.OpenEntry("+what+")")
		_, err = inbox.OpenEntry(bg, id, 0)
		specCode(t, err, mapispi.ErrInvalidEntryID, "Folder.OpenEntry("+what+")")
		_, err = m.store.CompareEntryIDs(id, subID)
		specCode(t, err, mapispi.ErrInvalidEntryID, "Store.CompareEntryIDs("+what+", folder)")
		specCode(t, inbox.DeleteFolder(bg, id, mapispi.DelFolders|mapispi.DelMessages), mapispi.ErrInvalidEntryID, "DeleteFolder("+what+")")
	}
	err := inbox.DeleteMessages(bg, []mapispi.EntryID{bad["a message ID cut short"], msgID}, 0)
	specCode(t, err, mapispi.WarnPartialCompletion, "DeleteMessages(malformed, good)")
	assert.ErrorIs(t, err, mapispi.ErrInvalidEntryID, "DeleteMessages' failed item cause")
	assert.Empty(t, specSubjects(t, inbox), "the good message of the list is deleted")
	assert.Equal(t, []any{"Sub"}, specNames(t, inbox), "Inbox subfolders after refused deletes")
}

// TestForeignEntryIDs: an entry ID of another store (another UID) is
// MAPI_E_UNKNOWN_ENTRYID through the store: OpenEntry, CompareEntryIDs,
// Advise (msprovider doc.go "Store entry IDs").
func TestForeignEntryIDs(t *testing.T) {
	m := openMailbox(t)
	other := openMailbox(t)
	foreignFolder := specID(t, specInbox(t, other))
	foreignMsg := specMsg(t, specInbox(t, other), specSubject("elsewhere"))
	own := specID(t, specInbox(t, m))
	for what, id := range map[string]mapispi.EntryID{"folder": foreignFolder, "message": foreignMsg} {
		_, err := m.store.OpenEntry(bg, id, 0)
		specCode(t, err, mapispi.ErrUnknownEntryID, "Store.OpenEntry(another store's "+what+")")
		_, err = m.store.CompareEntryIDs(id, own)
		specCode(t, err, mapispi.ErrUnknownEntryID, "Store.CompareEntryIDs(another store's "+what+", own folder)")
		_, err = m.store.Advise(bg, id, specAllEvents, newSpecSink())
		specCode(t, err, mapispi.ErrUnknownEntryID, "Store.Advise(another store's "+what+")")
	}
}

// TestUnknownEntryIDs: well-formed entry IDs of the store naming no
// folder or message (never made, or deleted) are MAPI_E_NOT_FOUND
// [D imapicontainer-openentry; D imapisession-openentry].
func TestUnknownEntryIDs(t *testing.T) {
	m := openMailbox(t)
	uid := specUID(m)
	inbox := specInbox(t, m)
	inboxID := specID(t, inbox)
	inboxLT, err := entryid.ParseFolder(inboxID)
	require.NoError(t, err)
	noFolder, err := entryid.Folder{Provider: uid, Type: entryid.PrivateFolder,
		ID: entryid.LongTermID{Database: uid, Counter: 0xABCDE}}.MarshalBinary()
	require.NoError(t, err)
	noMsg, err := entryid.Message{Provider: uid, Type: entryid.PrivateMessage, Folder: inboxLT.ID,
		ID: entryid.LongTermID{Database: uid, Counter: 0xABCDF}}.MarshalBinary()
	require.NoError(t, err)

	_, err = m.store.OpenEntry(bg, noFolder, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenEntry(unknown folder)")
	_, err = m.store.OpenEntry(bg, noMsg, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenEntry(unknown message)")
	_, err = m.session.OpenEntry(bg, noMsg, 0)
	specCode(t, err, mapispi.ErrNotFound, "Session.OpenEntry(unknown message)")
	specCode(t, inbox.DeleteFolder(bg, noFolder, 0), mapispi.ErrNotFound, "DeleteFolder(unknown folder)")
	_, err = inbox.MessageStatus(bg, noMsg)
	specCode(t, err, mapispi.ErrNotFound, "GetMessageStatus(unknown message)")
	_, err = inbox.SetMessageStatus(bg, noMsg, 1, 1)
	specCode(t, err, mapispi.ErrNotFound, "SetMessageStatus(unknown message)")

	sub := specFolder(t, inbox, "Doomed")
	subID := specID(t, sub)
	require.NoError(t, inbox.DeleteFolder(bg, subID, 0))
	_, err = m.store.OpenEntry(bg, subID, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenEntry(deleted folder)")
	_, err = sub.GetProps(bg, []mapispi.PropTag{mapispi.PropDisplayName})
	specCode(t, err, mapispi.ErrObjectDeleted, "GetProps on an open folder since deleted")
}

// TestSetPropsWrongValueTypeChangesNothing: a value whose Go type is not
// its tag's fails the whole SetProps with MAPI_E_INVALID_PARAMETER and
// sets nothing of the call (msprovider object.go checkValues).
func TestSetPropsWrongValueTypeChangesNothing(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	msg := specCreate(t, inbox, 0, specSubject("before"))
	_, err := msg.SetProps(bg, []mapispi.PropValue{
		{Tag: mapispi.PropImportance, Value: int32(2)},
		{Tag: mapispi.PropSubject, Value: int32(5)},
	})
	specCode(t, err, mapispi.ErrInvalidParameter, "SetProps(PR_SUBJECT holding an int32)")
	assert.Equal(t, "before", specGet(t, msg, mapispi.PropSubject).Value, "PR_SUBJECT after the refused call")
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropImportance, mapispi.ErrNotFound), specGet(t, msg, mapispi.PropImportance), "PR_IMPORTANCE after the refused call")
	_, err = inbox.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: []byte("not text")}})
	specCode(t, err, mapispi.ErrInvalidParameter, "Folder.SetProps(PR_COMMENT holding bytes)")
}

// TestSetPropsUndefinedTypeIsInvalidTypeProblem: a property type MAPI
// does not define is a per-property problem, MAPI_E_INVALID_TYPE, "in the
// SPropProblemArray structure, but not as return values for SetProps":
// the call succeeds, sets the other values and stores nothing for that
// tag [D imapiprop-setprops; store-facts §3.2; mapispi.Properties: "A
// property the call cannot handle is never the call's error"].
func TestSetPropsUndefinedTypeIsInvalidTypeProblem(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0)
	undefined := mapispi.NewPropTag(0x0099, 0x6630)
	probs, err := msg.SetProps(bg, []mapispi.PropValue{specSubject("set"), {Tag: undefined, Value: []byte{1}}})
	require.NoError(t, err, "SetProps(PR_SUBJECT, a value of type 0x0099)")
	assert.Equal(t, []mapispi.PropProblem{{Index: 1, Tag: undefined, Code: mapispi.ErrInvalidType}}, probs, "SetProps problems")
	assert.Equal(t, "set", specGet(t, msg, mapispi.PropSubject).Value, "PR_SUBJECT set beside the bad value")
	tags, err := msg.GetPropList(bg)
	require.NoError(t, err)
	for _, tag := range tags {
		assert.NotEqual(t, undefined.ID(), tag.ID(), "GetPropList lists the property of undefined type")
	}
}

// TestUnknownFlagsRefused: flags MAPI does not define are
// MAPI_E_UNKNOWN_FLAGS and change nothing [D mapi-return-value-documentation].
func TestUnknownFlagsRefused(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	_, err := m.store.OpenEntry(bg, nil, 0x4000)
	specCode(t, err, mapispi.ErrUnknownFlags, "OpenEntry(unknown flag)")
	_, err = inbox.CreateFolder(bg, mapispi.FolderGeneric, "F", "", 0x100)
	specCode(t, err, mapispi.ErrUnknownFlags, "CreateFolder(unknown flag)")
	_, err = inbox.CreateMessage(bg, 0x1000)
	specCode(t, err, mapispi.ErrUnknownFlags, "CreateMessage(unknown flag)")
	_, err = inbox.ContentsTable(bg, 0x4000)
	specCode(t, err, mapispi.ErrUnknownFlags, "GetContentsTable(unknown flag)")
	msg := specCreate(t, inbox, 0)
	specCode(t, msg.SaveChanges(bg, 0x100), mapispi.ErrUnknownFlags, "SaveChanges(unknown flag)")
	specCode(t, msg.ModifyRecipients(bg, 0x1, nil), mapispi.ErrUnknownFlags, "ModifyRecipients(0x1)")
	assert.Empty(t, specNames(t, inbox), "Inbox subfolders")
	assert.Empty(t, specSubjects(t, inbox), "Inbox messages")
}
