package mapi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapitest"
)

// TestCopyToAnotherStore: CopyTo of a message into a message of another
// store copies its properties, recipients, attachments and named
// properties (by name), honouring exclude and MAPI_NOREPLACE.
func TestCopyToAnotherStore(t *testing.T) {
	ctx := context.Background()
	env, err := mapitest.New(ctx, &mapi.Options{ManualFlush: true}, "a", "b")
	require.NoError(t, err)
	defer func() { require.NoError(t, env.Close(ctx)) }()
	fa, err := env.Folder(ctx, "a", mapitest.Inbox)
	require.NoError(t, err)
	defer fa.Close(ctx)
	fb, err := env.Folder(ctx, "b", mapitest.Inbox)
	require.NoError(t, err)
	defer fb.Close(ctx)

	kw := mapispi.PropName{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "Keywords"}
	src, err := fa.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer src.Close(ctx)
	// Map another name first in a, so that Keywords has a different ID in
	// each store.
	_, err = src.IDsFromNames(ctx, []mapispi.PropName{{Set: mapispi.PSETIDCommon, Kind: mapispi.NameID, ID: 1}}, true)
	require.NoError(t, err)
	ids, err := src.IDsFromNames(ctx, []mapispi.PropName{kw}, true)
	require.NoError(t, err)
	_, err = src.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropSubject, Value: "across stores"},
		{Tag: mapispi.NewPropTag(mapispi.PtUnicode, ids[0]), Value: "blue"},
	})
	require.NoError(t, err)
	require.NoError(t, src.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}))
	att, _, err := src.CreateAttach(ctx, 0)
	require.NoError(t, err)
	_, err = att.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}, {Tag: mapispi.PropAttachDataBin, Value: []byte("data")}})
	require.NoError(t, err)
	require.NoError(t, att.SaveChanges(ctx, 0))
	require.NoError(t, att.Close(ctx))
	require.NoError(t, src.SaveChanges(ctx, mapispi.KeepOpenReadWrite))

	count := func(m *mapi.Message) (recips, attachs int) {
		rt, err := m.RecipientTable(ctx, 0)
		require.NoError(t, err)
		recips, err = rt.RowCount(ctx)
		require.NoError(t, err, "recipient table RowCount")
		require.NoError(t, rt.Close(ctx))
		at, err := m.AttachmentTable(ctx, 0)
		require.NoError(t, err)
		attachs, err = at.RowCount(ctx)
		require.NoError(t, err, "attachment table RowCount")
		require.NoError(t, at.Close(ctx))
		return recips, attachs
	}

	dst, err := fb.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer dst.Close(ctx)
	_, err = src.CopyTo(ctx, nil, dst, 0)
	require.NoError(t, err, "CopyTo a message of another store")
	require.NoError(t, dst.SaveChanges(ctx, mapispi.KeepOpenReadWrite))
	bids, err := dst.IDsFromNames(ctx, []mapispi.PropName{kw}, false)
	require.NoError(t, err)
	require.NotZero(t, bids[0], "Keywords is mapped in the destination store")
	assert.NotEqual(t, ids[0], bids[0], "Keywords' ID differs between the stores (the test maps another name first in a)")
	vals, err := dst.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject, mapispi.NewPropTag(mapispi.PtUnicode, bids[0])})
	require.NoError(t, err)
	assert.Equal(t, "across stores", vals[0].Value, "PR_SUBJECT of the copy")
	assert.Equal(t, "blue", vals[1].Value, "Keywords of the copy, by name")
	r, a := count(dst)
	assert.Equal(t, [2]int{1, 1}, [2]int{r, a}, "recipients and attachments of the copy")

	// exclude and MAPI_NOREPLACE.
	dst2, err := fb.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer dst2.Close(ctx)
	_, err = dst2.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "kept"}})
	require.NoError(t, err)
	_, err = src.CopyTo(ctx, []mapispi.PropTag{mapispi.PropMessageAttachments}, dst2, mapispi.CopyNoReplace)
	require.NoError(t, err)
	vals, _ = dst2.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject})
	assert.Equal(t, "kept", vals[0].Value, "PR_SUBJECT after CopyTo with MAPI_NOREPLACE")
	r, a = count(dst2)
	assert.Equal(t, [2]int{1, 0}, [2]int{r, a}, "recipients and attachments after excluding PR_MESSAGE_ATTACHMENTS")

	_, err = src.CopyTo(ctx, nil, dst2, mapispi.CopyMove)
	assert.ErrorIs(t, err, mapispi.ErrNoSupport, "CopyTo with MAPI_MOVE between stores")
}

// TestCopyToExcludesOnlyTheMessagesOwnProperties: exclude and
// MAPI_NOREPLACE name properties of the message copied, not of its
// recipients: a recipient keeps its PR_DISPLAY_NAME when the message's
// is excluded or kept.
func TestCopyToExcludesOnlyTheMessagesOwnProperties(t *testing.T) {
	ctx := context.Background()
	env, err := mapitest.New(ctx, &mapi.Options{ManualFlush: true}, "a", "b")
	require.NoError(t, err)
	defer func() { require.NoError(t, env.Close(ctx)) }()
	fa, err := env.Folder(ctx, "a", mapitest.Inbox)
	require.NoError(t, err)
	defer fa.Close(ctx)
	fb, err := env.Folder(ctx, "b", mapitest.Inbox)
	require.NoError(t, err)
	defer fb.Close(ctx)
	src, err := fa.CreateMessage(ctx, 0)
	require.NoError(t, err)
	defer src.Close(ctx)
	_, err = src.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "s"}, {Tag: mapispi.PropDisplayName, Value: "the message's"}})
	require.NoError(t, err)
	require.NoError(t, src.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "Ann"}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}}))
	require.NoError(t, src.SaveChanges(ctx, mapispi.KeepOpenReadWrite))

	for _, c := range []struct {
		name    string
		exclude []mapispi.PropTag
		flags   mapispi.CopyFlags
	}{
		{"exclude", []mapispi.PropTag{mapispi.PropDisplayName}, 0},
		{"MAPI_NOREPLACE", nil, mapispi.CopyNoReplace},
	} {
		t.Run(c.name, func(t *testing.T) {
			dst, err := fb.CreateMessage(ctx, 0)
			require.NoError(t, err)
			defer dst.Close(ctx)
			_, err = dst.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "dest"}})
			require.NoError(t, err)
			_, err = src.CopyTo(ctx, c.exclude, dst, c.flags)
			require.NoError(t, err)
			rt, err := dst.RecipientTable(ctx, 0)
			require.NoError(t, err)
			defer rt.Close(ctx)
			require.NoError(t, rt.SetColumns(ctx, []mapispi.PropTag{mapispi.PropDisplayName}))
			rows, err := rt.QueryRows(ctx, 10)
			require.NoError(t, err)
			require.Len(t, rows, 1)
			assert.Equal(t, "Ann", rows[0][0].Value, "the copied recipient's PR_DISPLAY_NAME")
		})
	}
}
