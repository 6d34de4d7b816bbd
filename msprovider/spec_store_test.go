package msprovider_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

// TestOpenEntryNilIsRootFolder: rule 1. IMsgStore::OpenEntry with no
// entry ID opens the root folder: object type MAPI_FOLDER (3),
// PR_FOLDER_TYPE FOLDER_ROOT (0), and PR_PARENT_ENTRYID its own
// PR_ENTRYID [D imsgstore-openentry; D pidtagfoldertype].
func TestOpenEntryNilIsRootFolder(t *testing.T) {
	m := openMailbox(t)
	root := specOpenFolder(t, m.store, nil, 0)
	assert.Equal(t, mapispi.ObjFolder, root.ObjectType(), "OpenEntry(nil) object type")
	assert.Equal(t, int32(mapispi.ObjFolder), specInt(t, root, mapispi.PropObjectType), "root PR_OBJECT_TYPE")
	assert.Equal(t, int32(mapispi.FolderRoot), specInt(t, root, mapispi.PropFolderType), "root PR_FOLDER_TYPE")
	id := specID(t, root)
	parent := specGet(t, root, mapispi.PropParentEntryID)
	assert.Equal(t, []byte(id), parent.Value, "root PR_PARENT_ENTRYID, want its own PR_ENTRYID")
	// The IPM subtree is not the root: its parent is the root.
	ipm := specIPM(t, m)
	assert.Equal(t, []byte(id), specGet(t, ipm, mapispi.PropParentEntryID).Value, "IPM subtree PR_PARENT_ENTRYID, want the root's PR_ENTRYID")
	assert.Equal(t, int32(mapispi.FolderGeneric), specInt(t, ipm, mapispi.PropFolderType), "IPM subtree PR_FOLDER_TYPE")
}

// TestOpenEntryOfDeletedMessageIsNotFound: rule 2. An entry ID of a
// message that was deleted opens nothing: MAPI_E_NOT_FOUND, through the
// store, the folder and the session.
func TestOpenEntryOfDeletedMessageIsNotFound(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	id := specMsg(t, inbox, specSubject("doomed"))
	require.NoError(t, inbox.DeleteMessages(bg, []mapispi.EntryID{id}, 0))
	_, err := m.store.OpenEntry(bg, id, 0)
	specCode(t, err, mapispi.ErrNotFound, "Store.OpenEntry(deleted message)")
	_, err = inbox.OpenEntry(bg, id, 0)
	specCode(t, err, mapispi.ErrNotFound, "Folder.OpenEntry(deleted message)")
	_, err = m.session.OpenEntry(bg, id, 0)
	specCode(t, err, mapispi.ErrNotFound, "Session.OpenEntry(deleted message)")
}

// TestReadOnlyOpenEntryModifyRefused: rule 3. On a store opened read-only
// (OpenMsgStore without MDB_WRITE) and on a store made read-only
// (StoreOptions.ReadOnly, opened with MDB_WRITE), OpenEntry with
// MAPI_MODIFY is MAPI_E_NO_ACCESS, and MAPI_BEST_ACCESS opens read-only:
// PR_ACCESS_LEVEL 0 [D imsgstore-openentry].
func TestReadOnlyOpenEntryModifyRefused(t *testing.T) {
	w := newSpecWorld(t, nil)
	writer := w.logon(t, mapispi.LogonWrite)
	msgID := specMsg(t, specInbox(t, writer), specSubject("read me"))
	roWorld := newSpecWorld(t, &msprovider.StoreOptions{ReadOnly: true})
	for _, c := range []struct {
		name string
		m    *mailbox
	}{
		{"logon without MDB_WRITE", w.logon(t, 0)},
		{"StoreOptions.ReadOnly with MDB_WRITE", roWorld.logon(t, mapispi.LogonWrite)},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.m.store.OpenEntry(bg, nil, mapispi.OpenModify)
			specCode(t, err, mapispi.ErrNoAccess, "OpenEntry(root, MAPI_MODIFY)")
			root := specOpenFolder(t, c.m.store, nil, mapispi.OpenBestAccess)
			assert.Equal(t, int32(mapispi.AccessLevelReadOnly), specInt(t, root, mapispi.PropAccessLevel), "root PR_ACCESS_LEVEL after MAPI_BEST_ACCESS")
			if c.m.backend == w.backend {
				_, err := c.m.store.OpenEntry(bg, msgID, mapispi.OpenModify)
				specCode(t, err, mapispi.ErrNoAccess, "OpenEntry(message, MAPI_MODIFY)")
				msg := specOpenMsg(t, c.m.store, msgID, mapispi.OpenBestAccess)
				assert.Equal(t, int32(mapispi.AccessLevelReadOnly), specInt(t, msg, mapispi.PropAccessLevel), "message PR_ACCESS_LEVEL after MAPI_BEST_ACCESS")
			}
		})
	}
	// A writable logon's MAPI_BEST_ACCESS is read/write.
	root := specOpenFolder(t, writer.store, nil, mapispi.OpenBestAccess)
	assert.Equal(t, int32(mapispi.AccessLevelModify), specInt(t, root, mapispi.PropAccessLevel), "root PR_ACCESS_LEVEL after MAPI_BEST_ACCESS on a writable logon")
}

// TestStoreSupportMaskSetPropsIsComputed: rule 22. A client never sets
// PR_STORE_SUPPORT_MASK: SetProps reports it as a problem with
// MAPI_E_COMPUTED, the call itself succeeding, and the mask stays
// [D pidtagstoresupportmask; D imapiprop-setprops].
func TestStoreSupportMaskSetPropsIsComputed(t *testing.T) {
	m := openMailbox(t)
	before := specInt(t, m.store, mapispi.PropStoreSupportMask)
	probs, err := m.store.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropStoreSupportMask, Value: int32(0)}})
	require.NoError(t, err, "Store.SetProps(PR_STORE_SUPPORT_MASK)")
	assert.Equal(t, []mapispi.PropProblem{{Index: 0, Tag: mapispi.PropStoreSupportMask, Code: mapispi.ErrComputed}}, probs,
		"Store.SetProps(PR_STORE_SUPPORT_MASK) problems")
	assert.Equal(t, before, specInt(t, m.store, mapispi.PropStoreSupportMask), "PR_STORE_SUPPORT_MASK after SetProps")
}

// TestStoreEntryIDAndRecordKeyPairs: rule 23. The store's
// PR_STORE_ENTRYID is its PR_ENTRYID and PR_STORE_RECORD_KEY its
// PR_RECORD_KEY; folders and messages carry the same two values.
func TestStoreEntryIDAndRecordKeyPairs(t *testing.T) {
	m := openMailbox(t)
	vals, err := m.store.GetProps(bg, []mapispi.PropTag{mapispi.PropEntryID, mapispi.PropStoreEntryID, mapispi.PropRecordKey, mapispi.PropStoreRecordKey})
	require.NoError(t, err)
	assert.Equal(t, vals[0].Value, vals[1].Value, "store PR_STORE_ENTRYID, want PR_ENTRYID")
	assert.Equal(t, vals[2].Value, vals[3].Value, "store PR_STORE_RECORD_KEY, want PR_RECORD_KEY")
	inbox := specInbox(t, m)
	msg := specOpenMsg(t, m.store, specMsg(t, inbox, specSubject("x")), 0)
	for name, o := range map[string]mapi.Object{"folder": inbox, "message": msg} {
		got, err := o.GetProps(bg, []mapispi.PropTag{mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey})
		require.NoError(t, err)
		assert.Equal(t, vals[0].Value, got[0].Value, "%s PR_STORE_ENTRYID, want the store's PR_ENTRYID", name)
		assert.Equal(t, vals[2].Value, got[1].Value, "%s PR_STORE_RECORD_KEY, want the store's PR_RECORD_KEY", name)
	}
}

// TestStoreSupportMaskTellsTheTruth: PR_STORE_SUPPORT_MASK says what the
// store can do [D pidtagstoresupportmask]: each bit it sets is a feature
// that works, and a feature the store has (notifications) has its bit.
func TestStoreSupportMaskTellsTheTruth(t *testing.T) {
	m := openMailbox(t)
	mask := mapispi.StoreSupportMask(specInt(t, m.store, mapispi.PropStoreSupportMask))
	has := func(b mapispi.StoreSupportMask) bool { return mask&b != 0 }
	inbox := specInbox(t, m)
	specMsg(t, inbox, specSubject("b"))
	specMsg(t, inbox, specSubject("a"))

	t.Run("STORE_NOTIFY_OK", func(t *testing.T) {
		// The store sends notifications (Advise works), so it says so.
		require.True(t, m.store.Supports(mapi.CapAdvise))
		specAdvise(t, m.store, nil, mapispi.EventObjectCreated)
		assert.True(t, has(mapispi.StoreNotifyOK), "PR_STORE_SUPPORT_MASK %#x lacks STORE_NOTIFY_OK, yet IMsgStore::Advise works", uint32(mask))
	})
	t.Run("STORE_CATEGORIZE_OK", func(t *testing.T) {
		if !has(mapispi.StoreCategorizeOK) {
			t.Skip("not claimed")
		}
		tbl := specTable(t, inbox.ContentsTable, 0)
		err := tbl.SortTable(bg, mapispi.SortOrderSet{Categories: 1, Expanded: 1,
			Sorts: []mapispi.SortOrder{{Tag: mapispi.PropSubject, Order: mapispi.SortAscend}}})
		assert.NoError(t, err, "SortTable with one category, when PR_STORE_SUPPORT_MASK claims STORE_CATEGORIZE_OK")
	})
	t.Run("STORE_SORT_OK and STORE_RESTRICTION_OK", func(t *testing.T) {
		tbl := specTable(t, inbox.ContentsTable, 0)
		if has(mapispi.StoreSortOK) {
			require.NoError(t, tbl.SortTable(bg, mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: mapispi.PropSubject}}}))
			assert.Equal(t, []any{"a", "b"}, specCol(specRows(t, tbl, mapispi.PropSubject), 0), "sorted rows")
		}
		if has(mapispi.StoreRestrictionOK) {
			require.NoError(t, tbl.Restrict(bg, mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: mapispi.PropSubject, Prop: specSubject("b")}))
			assert.Equal(t, []any{"b"}, specCol(specRows(t, tbl, mapispi.PropSubject), 0), "restricted rows")
		}
	})
	t.Run("STORE_ATTACH_OK", func(t *testing.T) {
		if !has(mapispi.StoreAttachOK) {
			t.Skip("not claimed")
		}
		msg := specCreate(t, inbox, 0)
		att, _, err := msg.CreateAttach(bg, 0)
		require.NoError(t, err, "CreateAttach")
		require.NoError(t, att.SaveChanges(bg, 0))
		require.NoError(t, att.Close(bg))
		require.NoError(t, msg.SaveChanges(bg, 0))
	})
	t.Run("STORE_SUBMIT_OK", func(t *testing.T) {
		if has(mapispi.StoreSubmitOK) {
			assert.True(t, m.store.Supports(mapi.CapSubmit), "STORE_SUBMIT_OK claimed, yet the store has no AbortSubmit")
		}
	})
	t.Run("STORE_OLE_OK", func(t *testing.T) {
		if !has(mapispi.StoreOLEOK) {
			t.Skip("not claimed")
		}
		t.Errorf("STORE_OLE_OK claimed: OLE attachments (IID_IStreamDocfile) are not implemented")
	})
	t.Run("STORE_ANSI_OK and STORE_UNICODE_OK", func(t *testing.T) {
		msg := specCreate(t, inbox, 0,
			mapispi.PropValue{Tag: mapispi.PropSubject.WithType(mapispi.PtString8), Value: "ansi"},
			mapispi.PropValue{Tag: mapispi.PropBody, Value: "unicode \u4e2d"})
		require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
		if has(mapispi.StoreUnicodeOK) {
			assert.Equal(t, "unicode \u4e2d", specGet(t, msg, mapispi.PropBody).Value, "PT_UNICODE PR_BODY read back")
		}
		if has(mapispi.StoreANSIOK) {
			assert.Equal(t, "ansi", specGet(t, msg, mapispi.PropSubject.WithType(mapispi.PtString8)).Value, "PT_STRING8 PR_SUBJECT read back")
		}
	})
	t.Run("read/write bits", func(t *testing.T) {
		assert.True(t, has(mapispi.StoreModifyOK|mapispi.StoreCreateOK), "a writable logon's mask %#x, want STORE_MODIFY_OK and STORE_CREATE_OK", uint32(mask))
		assert.False(t, has(mapispi.StoreReadOnly), "a writable logon's mask %#x has STORE_READONLY", uint32(mask))
	})
}

// TestReadOnlyLogonSupportMask: a read-only logon's mask has
// STORE_READONLY ("all interfaces have a read-only access level") and
// neither STORE_MODIFY_OK nor STORE_CREATE_OK.
func TestReadOnlyLogonSupportMask(t *testing.T) {
	w := newSpecWorld(t, nil)
	for name, flags := range map[string]mapispi.LogonFlags{"without MDB_WRITE": 0} {
		m := w.logon(t, flags)
		mask := mapispi.StoreSupportMask(specInt(t, m.store, mapispi.PropStoreSupportMask))
		assert.NotZero(t, mask&mapispi.StoreReadOnly, "%s: mask %#x, want STORE_READONLY", name, uint32(mask))
		assert.Zero(t, mask&(mapispi.StoreModifyOK|mapispi.StoreCreateOK), "%s: mask %#x has STORE_MODIFY_OK or STORE_CREATE_OK", name, uint32(mask))
	}
	ro := newSpecWorld(t, &msprovider.StoreOptions{ReadOnly: true}).logon(t, mapispi.LogonWrite)
	mask := mapispi.StoreSupportMask(specInt(t, ro.store, mapispi.PropStoreSupportMask))
	assert.NotZero(t, mask&mapispi.StoreReadOnly, "StoreOptions.ReadOnly: mask %#x, want STORE_READONLY", uint32(mask))
}

// TestEntryIDsAreExchangeLayouts: folder and message entry IDs decode as
// [MS-OXCDATA] 2.2.4.1 Folder EntryIDs and 2.2.4.2 Message EntryIDs
// carrying the store's UID (msprovider ids.go); a message's names its
// folder. CompareEntryIDs, through the session and the store, finds two
// forms of one ID (abFlags differ) the same object, and different objects
// different.
func TestEntryIDsAreExchangeLayouts(t *testing.T) {
	m := openMailbox(t)
	uid := specUID(m)
	inbox := specInbox(t, m)
	sub := specFolder(t, inbox, "Sub")
	inboxID, subID := specID(t, inbox), specID(t, sub)
	msgID := specMsg(t, sub, specSubject("m"))

	f, err := entryid.ParseFolder(subID)
	require.NoError(t, err, "entryid.ParseFolder(folder PR_ENTRYID)")
	assert.Equal(t, uid, f.Provider, "folder entry ID ProviderUID, want the store's UID")
	assert.Equal(t, uid, f.ID.Database, "folder entry ID database GUID")
	assert.Equal(t, entryid.PrivateFolder, f.Type, "folder entry ID FolderType")
	assert.Zero(t, f.Flags, "folder entry ID abFlags (long-term)")

	msg, err := entryid.ParseMessage(msgID)
	require.NoError(t, err, "entryid.ParseMessage(message PR_ENTRYID)")
	assert.Equal(t, uid, msg.Provider, "message entry ID ProviderUID")
	assert.Equal(t, entryid.PrivateMessage, msg.Type, "message entry ID MessageType")
	assert.Equal(t, f.ID, msg.Folder, "message entry ID folder LongTermID, want its folder's")
	assert.Zero(t, msg.Flags, "message entry ID abFlags (long-term)")

	// The contents and hierarchy tables give the same IDs.
	rows := specContents(t, sub, 0, mapispi.PropEntryID)
	require.Len(t, rows, 1)
	assert.True(t, specSame(t, m, msgID, rows[0][0].Value.([]byte)), "CompareEntryIDs(PR_ENTRYID, contents row PR_ENTRYID)")
	hrows := specHierarchy(t, inbox, 0, mapispi.PropEntryID)
	require.Len(t, hrows, 1)
	assert.True(t, specSame(t, m, subID, hrows[0][0].Value.([]byte)), "CompareEntryIDs(PR_ENTRYID, hierarchy row PR_ENTRYID)")

	flagged := bytes.Clone(subID)
	flagged[0] = byte(entryid.ShortTerm)
	for _, c := range []struct {
		a, b mapispi.EntryID
		want bool
		what string
	}{
		{subID, subID, true, "a folder ID and itself"},
		{subID, flagged, true, "a folder ID and its short-term form"},
		{subID, inboxID, false, "two folders"},
		{msgID, subID, false, "a message and its folder"},
	} {
		assert.Equal(t, c.want, specSame(t, m, c.a, c.b), "Session.CompareEntryIDs(%s)", c.what)
		same, err := m.store.CompareEntryIDs(c.a, c.b)
		if assert.NoError(t, err, "Store.CompareEntryIDs(%s)", c.what) {
			assert.Equal(t, c.want, same, "Store.CompareEntryIDs(%s)", c.what)
		}
	}
	// The short-term form opens the same folder.
	g := specOpenFolder(t, m.store, flagged, 0)
	assert.Equal(t, "Sub", specGet(t, g, mapispi.PropDisplayName).Value, "OpenEntry(short-term form) PR_DISPLAY_NAME")
}
