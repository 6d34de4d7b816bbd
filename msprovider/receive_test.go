package msprovider_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// receiveFolder returns GetReceiveFolder(class)'s folder name and
// explicit class.
func receiveFolder(t *testing.T, m *mailbox, class string) (string, string) {
	t.Helper()
	ctx := context.Background()
	id, explicit, err := m.store.ReceiveFolder(ctx, class)
	require.NoError(t, err, "ReceiveFolder(%q)", class)
	obj, err := m.store.OpenEntry(ctx, id, 0)
	require.NoError(t, err)
	defer obj.Close(ctx)
	props, err := obj.GetProps(ctx, []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropFolderType})
	require.NoError(t, err)
	if props[1].Value == int32(mapispi.FolderRoot) {
		return "(root)", explicit
	}
	return props[0].Value.(string), explicit
}

// TestReceiveFoldersOfANewStore: a new store receives IPM and report
// classes in its Inbox (explicit class "IPM", "REPORT"), IPC in its root
// folder, and everything else in the default, the Inbox, with explicit
// class ""; NULL and "" ask for the same ("MAPI Receive Folders" page).
func TestReceiveFoldersOfANewStore(t *testing.T) {
	m := openMailbox(t)
	for _, c := range []struct{ class, folder, explicit string }{
		{"", "Inbox", ""},
		{"IPM.Note", "Inbox", "IPM"},
		{"ipm.note", "Inbox", "IPM"},
		{"IPC.X", "(root)", "IPC"},
		{"REPORT.IPM.Note.NDR", "Inbox", "REPORT"},
		{"Custom.Class", "Inbox", ""},
	} {
		folder, explicit := receiveFolder(t, m, c.class)
		assert.Equal(t, [2]string{c.folder, c.explicit}, [2]string{folder, explicit}, "ReceiveFolder(%q) folder and explicit class", c.class)
	}
}

// TestSetReceiveFolderLongestPrefix: the registered class that is the
// longest whole-level prefix wins; removing a mapping falls back to the
// base class; removing one that was never set succeeds; removing the
// default sends unclaimed mail to the root folder.
func TestSetReceiveFolderLongestPrefix(t *testing.T) {
	ctx := context.Background()
	m := openMailbox(t)
	ipm := m.folder(t, mapispi.PropIPMSubtreeEntryID)
	samples, err := ipm.CreateFolder(ctx, mapispi.FolderGeneric, "Samples", "", 0)
	require.NoError(t, err)
	defer samples.Close(ctx)
	props, _ := samples.GetProps(ctx, []mapispi.PropTag{mapispi.PropEntryID})
	require.NoError(t, m.store.SetReceiveFolder(ctx, "IPM.Note.Sample", props[0].Value.([]byte)))
	for _, c := range []struct{ class, folder, explicit string }{
		{"IPM.Note.Sample.Simple", "Samples", "IPM.Note.Sample"},
		{"IPM.NOTE.SAMPLE", "Samples", "IPM.Note.Sample"},
		{"IPM.Note.Samples", "Inbox", "IPM"},
		{"IPM.Timecard", "Inbox", "IPM"},
	} {
		folder, explicit := receiveFolder(t, m, c.class)
		assert.Equal(t, [2]string{c.folder, c.explicit}, [2]string{folder, explicit}, "ReceiveFolder(%q) with IPM.Note.Sample set", c.class)
	}
	require.NoError(t, m.store.SetReceiveFolder(ctx, "IPM.Note.Sample", nil))
	folder, explicit := receiveFolder(t, m, "IPM.Note.Sample.Simple")
	assert.Equal(t, [2]string{"Inbox", "IPM"}, [2]string{folder, explicit}, "ReceiveFolder after the mapping was removed")
	assert.NoError(t, m.store.SetReceiveFolder(ctx, "Never.Set", nil), "SetReceiveFolder(a class never set, nil)")
	require.NoError(t, m.store.SetReceiveFolder(ctx, "", nil))
	folder, explicit = receiveFolder(t, m, "Custom.Class")
	assert.Equal(t, [2]string{"(root)", ""}, [2]string{folder, explicit}, "ReceiveFolder(unclaimed) once the default is removed")

	table, err := m.store.ReceiveFolderTable(ctx, 0)
	require.NoError(t, err)
	defer table.Close(ctx)
	require.NoError(t, table.SetColumns(ctx, []mapispi.PropTag{mapispi.PropMessageClass, mapispi.PropEntryID, mapispi.PropRecordKey}))
	rows, err := table.QueryRows(ctx, 10)
	require.NoError(t, err)
	var classes []any
	for _, r := range rows {
		classes = append(classes, r[0].Value)
		assert.IsType(t, []byte(nil), r[1].Value, "receive folder table PR_ENTRYID")
		assert.IsType(t, []byte(nil), r[2].Value, "receive folder table PR_RECORD_KEY")
	}
	assert.ElementsMatch(t, []any{"", "IPM", "IPC", "REPORT"}, classes, "receive folder table classes")
}

// TestReceiveFolderBadInput: bad classes are ErrInvalidParameter, a
// message's ID is ErrInvalidEntryID, and neither changes anything.
func TestReceiveFolderBadInput(t *testing.T) {
	ctx := context.Background()
	m := openMailbox(t)
	for _, class := range []string{".IPM", "IPM.", "IPM..Note", "IPM\x01", "IPM.Nöte"} {
		_, _, err := m.store.ReceiveFolder(ctx, class)
		assert.True(t, errors.Is(err, mapispi.ErrInvalidParameter), "ReceiveFolder(%q) = %v, want ErrInvalidParameter", class, err)
		err = m.store.SetReceiveFolder(ctx, class, nil)
		assert.True(t, errors.Is(err, mapispi.ErrInvalidParameter), "SetReceiveFolder(%q) = %v, want ErrInvalidParameter", class, err)
	}
	folder, explicit := receiveFolder(t, m, "IPM.Note")
	assert.Equal(t, [2]string{"Inbox", "IPM"}, [2]string{folder, explicit}, "ReceiveFolder(IPM.Note) after refused calls")
}
