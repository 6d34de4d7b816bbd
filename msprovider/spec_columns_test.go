package msprovider_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// propMappingSignature is PR_MAPPING_SIGNATURE (MAPITags.h).
const propMappingSignature = mapispi.PropTag(0x0FF80102)

// TestContentsTableRequiredColumns: the "Contents Tables" page lists the
// required columns of a message store folder's contents table, "columns
// that clients can expect to be available after they retrieve the table":
// the default column set has them, and a saved message's row has a value
// for each the store computes.
func TestContentsTableRequiredColumns(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Required")
	specMsg(t, f, specSubject("r"))
	required := []mapispi.PropTag{
		mapispi.PropDisplayCC, mapispi.PropDisplayTo, mapispi.PropEntryID, mapispi.PropHasAttach, mapispi.PropInstanceKey,
		mapispi.PropLastModificationTime, propMappingSignature, mapispi.PropMessageClass, mapispi.PropMessageFlags,
		mapispi.PropMessageSize, mapispi.PropMsgStatus, mapispi.PropObjectType, mapispi.PropParentEntryID,
		mapispi.PropRecordKey, mapispi.PropStoreEntryID, mapispi.PropStoreRecordKey,
	}
	tbl := specTable(t, f.ContentsTable, 0)
	cols, err := tbl.Columns(bg)
	require.NoError(t, err)
	for _, tag := range required {
		assert.Contains(t, cols, tag, "default columns of a contents table lack a required column")
	}
	rows := specRows(t, tbl, required...)
	require.Len(t, rows, 1)
	for i, v := range rows[0] {
		if required[i] == mapispi.PropMsgStatus {
			continue // may be absent until a status is set
		}
		assert.NotEqual(t, mapispi.PtError, v.Tag.Type(), "contents row value of required column %v: %v", required[i], v)
	}
	assert.Equal(t, int32(mapispi.ObjMessage), rows[0][11].Value, "row PR_OBJECT_TYPE")
	// The message has the mapping signature too (GetIDsFromNames page).
	msg := specOpenMsg(t, m.store, rows[0][2].Value.([]byte), 0)
	assert.IsType(t, []byte(nil), specGet(t, msg, propMappingSignature).Value, "message PR_MAPPING_SIGNATURE")
}

// TestHierarchyTableRequiredColumns: the "Hierarchy Tables" page's
// required columns (PR_COMMENT, PR_DEPTH, PR_DISPLAY_NAME,
// PR_DISPLAY_TYPE, PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE,
// PR_STATUS, and for message stores PR_FOLDER_TYPE, PR_SUBFOLDERS,
// PR_CONTENT_COUNT, PR_CONTENT_UNREAD) are in the default column set;
// PR_OBJECT_TYPE is MAPI_FOLDER; PR_DISPLAY_TYPE is DT_FOLDER for a
// folder and DT_FOLDER_LINK for a search-results folder.
func TestHierarchyTableRequiredColumns(t *testing.T) {
	m := openMailbox(t)
	top := specFolder(t, specInbox(t, m), "Top")
	plain := specFolder(t, top, "Plain")
	specMsg(t, plain, specSubject("one"))
	search, err := top.CreateFolder(bg, mapispi.FolderSearch, "Search", "", 0)
	require.NoError(t, err)
	defer search.Close(bg)
	required := []mapispi.PropTag{
		mapispi.PropComment, mapispi.PropDepth, mapispi.PropDisplayName, mapispi.PropDisplayType, mapispi.PropEntryID,
		mapispi.PropInstanceKey, mapispi.PropObjectType, mapispi.NewPropTag(mapispi.PtLong, 0x360B),
		mapispi.PropFolderType, mapispi.PropSubfolders, mapispi.PropContentCount, mapispi.PropContentUnread,
	}
	tbl := specTable(t, top.HierarchyTable, 0)
	cols, err := tbl.Columns(bg)
	require.NoError(t, err)
	for _, tag := range required {
		assert.Contains(t, cols, tag, "default columns of a hierarchy table lack a required column")
	}
	rows := specRows(t, tbl, mapispi.PropDisplayName, mapispi.PropDisplayType, mapispi.PropObjectType, mapispi.PropContentCount, mapispi.PropFolderType)
	require.Len(t, rows, 2)
	byName := map[any]mapispi.Row{rows[0][0].Value: rows[0], rows[1][0].Value: rows[1]}
	const dtFolder, dtFolderLink = int32(0x01000000), int32(0x02000000)
	assert.Equal(t, dtFolder, byName["Plain"][1].Value, "PR_DISPLAY_TYPE of a generic folder")
	assert.Equal(t, dtFolderLink, byName["Search"][1].Value, "PR_DISPLAY_TYPE of a search folder")
	assert.Equal(t, int32(mapispi.ObjFolder), byName["Plain"][2].Value, "PR_OBJECT_TYPE of a hierarchy row")
	assert.Equal(t, int32(1), byName["Plain"][3].Value, "PR_CONTENT_COUNT of a hierarchy row")
	assert.Equal(t, int32(mapispi.FolderSearch), byName["Search"][4].Value, "PR_FOLDER_TYPE of the search folder's row")
}
