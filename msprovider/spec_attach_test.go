package msprovider_test

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msprovider"
)

func specRecip(name string, typ mapispi.RecipientType, extra ...mapispi.PropValue) mapispi.Row {
	return append(mapispi.Row{
		{Tag: mapispi.PropDisplayName, Value: name},
		{Tag: mapispi.PropRecipientType, Value: int32(typ)},
	}, extra...)
}

// specRecips returns the recipient rows of msg with cols.
func specRecips(t *testing.T, msg *mapi.Message, cols ...mapispi.PropTag) []mapispi.Row {
	t.Helper()
	tbl, err := msg.RecipientTable(bg, 0)
	require.NoError(t, err, "GetRecipientTable")
	defer tbl.Close(bg)
	return specRows(t, tbl, cols...)
}

// TestModifyRecipientsRowIDs: rules 63-64. MODRECIP_ADD appends
// recipients with distinct PR_ROWIDs; flags 0 replaces every recipient;
// MODRECIP_MODIFY replaces the whole row of its PR_ROWID (properties it
// lacks go); MODRECIP_REMOVE removes exactly the rows of its PR_ROWIDs
// [D imessage-modifyrecipients; D pidtagrowid]. The recipient table has
// the required columns PR_DISPLAY_NAME, PR_RECIPIENT_TYPE and PR_ROWID
// [D recipient-tables].
func TestModifyRecipientsRowIDs(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, specSubject("recipients"))
	email := func(s string) mapispi.PropValue { return mapispi.PropValue{Tag: mapispi.PropEmailAddress, Value: s} }
	require.NoError(t, msg.ModifyRecipients(bg, mapispi.ModRecipAdd, []mapispi.Row{
		specRecip("Ann", mapispi.RecipTo, email("ann@example.com")),
		specRecip("Bob", mapispi.RecipCC, email("bob@example.com")),
	}), "ModifyRecipients(MODRECIP_ADD)")
	require.NoError(t, msg.ModifyRecipients(bg, mapispi.ModRecipAdd, []mapispi.Row{specRecip("Cat", mapispi.RecipBCC)}))

	tbl := specTable(t, msg.RecipientTable, 0)
	cols, err := tbl.Columns(bg)
	require.NoError(t, err)
	for _, tag := range []mapispi.PropTag{mapispi.PropDisplayName, mapispi.PropRecipientType, mapispi.PropRowID} {
		assert.Contains(t, cols, tag, "recipient table default columns")
	}
	rows := specRows(t, tbl, mapispi.PropRowID, mapispi.PropDisplayName, mapispi.PropEmailAddress)
	require.Len(t, rows, 3, "recipients after two MODRECIP_ADD calls")
	ids := map[string]int32{}
	for _, r := range rows {
		ids[r[1].Value.(string)] = r[0].Value.(int32)
	}
	assert.Len(t, map[int32]bool{ids["Ann"]: true, ids["Bob"]: true, ids["Cat"]: true}, 3, "PR_ROWIDs %v, want distinct", ids)

	require.NoError(t, msg.ModifyRecipients(bg, mapispi.ModRecipModify, []mapispi.Row{
		append(specRecip("Ann Smith", mapispi.RecipTo), mapispi.PropValue{Tag: mapispi.PropRowID, Value: ids["Ann"]}),
	}), "ModifyRecipients(MODRECIP_MODIFY)")
	require.NoError(t, msg.ModifyRecipients(bg, mapispi.ModRecipRemove, []mapispi.Row{
		{{Tag: mapispi.PropRowID, Value: ids["Bob"]}},
	}), "ModifyRecipients(MODRECIP_REMOVE)")
	rows = specRows(t, tbl, mapispi.PropRowID, mapispi.PropDisplayName, mapispi.PropEmailAddress)
	require.Len(t, rows, 2, "recipients after MODIFY and REMOVE")
	byName := map[any]mapispi.Row{}
	for _, r := range rows {
		byName[r[1].Value] = r
	}
	if r, ok := byName["Ann Smith"]; assert.True(t, ok, "rows %v lack the modified recipient", rows) {
		assert.Equal(t, ids["Ann"], r[0].Value, "modified recipient keeps its PR_ROWID")
		assert.Equal(t, mapispi.ErrorValue(mapispi.PropEmailAddress, mapispi.ErrNotFound), r[2], "modified recipient PR_EMAIL_ADDRESS, want gone (not supplied)")
	}
	assert.Contains(t, byName, any("Cat"), "the recipient MODRECIP_REMOVE did not name stays")

	require.NoError(t, msg.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Dan", mapispi.RecipTo)}), "ModifyRecipients(0)")
	rows = specRows(t, tbl, mapispi.PropDisplayName)
	assert.Equal(t, []any{"Dan"}, specCol(rows, 0), "recipients after ModifyRecipients(0)")
}

// TestModifyRecipientsBadRowChangesNothing: a MODRECIP_MODIFY or
// MODRECIP_REMOVE row without PR_ROWID, or with one no recipient has, is
// an error and nothing changes (mapispi.Message).
func TestModifyRecipientsBadRowChangesNothing(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0)
	require.NoError(t, msg.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Ann", mapispi.RecipTo), specRecip("Bob", mapispi.RecipTo)}))
	before := specRecips(t, msg, mapispi.PropRowID, mapispi.PropDisplayName)
	annID := before[0][0].Value.(int32)
	for _, c := range []struct {
		flags mapispi.ModRecipFlags
		rows  []mapispi.Row
		what  string
	}{
		{mapispi.ModRecipModify, []mapispi.Row{append(specRecip("Ann 2", mapispi.RecipTo), mapispi.PropValue{Tag: mapispi.PropRowID, Value: annID}), specRecip("no row ID", mapispi.RecipTo)}, "MODRECIP_MODIFY, a row without PR_ROWID"},
		{mapispi.ModRecipModify, []mapispi.Row{append(specRecip("Ann 2", mapispi.RecipTo), mapispi.PropValue{Tag: mapispi.PropRowID, Value: annID}), append(specRecip("ghost", mapispi.RecipTo), mapispi.PropValue{Tag: mapispi.PropRowID, Value: int32(999)})}, "MODRECIP_MODIFY, an unknown PR_ROWID"},
		{mapispi.ModRecipRemove, []mapispi.Row{{{Tag: mapispi.PropRowID, Value: annID}}, specRecip("no row ID", mapispi.RecipTo)}, "MODRECIP_REMOVE, a row without PR_ROWID"},
	} {
		err := msg.ModifyRecipients(bg, c.flags, c.rows)
		if assert.Error(t, err, "ModifyRecipients(%s)", c.what) {
			code := mapispi.CodeOf(err)
			assert.Contains(t, []mapispi.SCode{mapispi.ErrInvalidParameter, mapispi.ErrNotFound}, code, "ModifyRecipients(%s) = %v", c.what, err)
		}
		assert.Equal(t, before, specRecips(t, msg, mapispi.PropRowID, mapispi.PropDisplayName), "recipients after ModifyRecipients(%s)", c.what)
	}
	err := msg.ModifyRecipients(bg, 0, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: "x"}, {Tag: mapispi.PropEmailAddress.WithType(mapispi.PtNull)}}})
	specCode(t, err, mapispi.ErrInvalidParameter, "ModifyRecipients(a PT_NULL value)")
	assert.Equal(t, before, specRecips(t, msg, mapispi.PropRowID, mapispi.PropDisplayName), "recipients after a PT_NULL row")
}

// specNameList splits a PR_DISPLAY_TO/CC/BCC value at ';' (a space after
// it is allowed: the page is silent on it).
func specNameList(v any) []string {
	s, _ := v.(string)
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

// TestDisplayToFollowsRecipients: rule 65. PR_DISPLAY_TO, PR_DISPLAY_CC
// and PR_DISPLAY_BCC are the names of the MAPI_TO, MAPI_CC and MAPI_BCC
// recipients separated by ';', "" when there is none, after SaveChanges
// [D pidtagdisplayto; D pidtagdisplaycc; D pidtagdisplaybcc].
func TestDisplayToFollowsRecipients(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Display")
	msg := specCreate(t, f, 0)
	require.NoError(t, msg.ModifyRecipients(bg, 0, []mapispi.Row{
		specRecip("Ann", mapispi.RecipTo), specRecip("Bob", mapispi.RecipCC), specRecip("Cat", mapispi.RecipTo),
	}))
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	vals, err := msg.GetProps(bg, []mapispi.PropTag{mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC})
	require.NoError(t, err)
	assert.Equal(t, []string{"Ann", "Cat"}, specNameList(vals[0].Value), "PR_DISPLAY_TO %q", vals[0].Value)
	assert.Equal(t, []string{"Bob"}, specNameList(vals[1].Value), "PR_DISPLAY_CC %q", vals[1].Value)
	assert.Equal(t, "", vals[2].Value, "PR_DISPLAY_BCC with no MAPI_BCC recipient")
	rows := specContents(t, f, 0, mapispi.PropDisplayTo, mapispi.PropDisplayCC)
	require.Len(t, rows, 1)
	assert.Equal(t, []string{"Ann", "Cat"}, specNameList(rows[0][0].Value), "contents row PR_DISPLAY_TO")

	require.NoError(t, msg.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Dan", mapispi.RecipBCC)}))
	require.NoError(t, msg.SaveChanges(bg, 0))
	vals, err = msg.GetProps(bg, []mapispi.PropTag{mapispi.PropDisplayTo, mapispi.PropDisplayCC, mapispi.PropDisplayBCC})
	require.NoError(t, err)
	assert.Equal(t, []any{"", "", "Dan"}, []any{vals[0].Value, vals[1].Value, vals[2].Value}, "PR_DISPLAY_TO, _CC, _BCC with one MAPI_BCC recipient")
}

// specAttach creates an attachment on msg with props and saves it; the
// message is not saved.
func specAttach(t *testing.T, msg *mapi.Message, props ...mapispi.PropValue) int {
	t.Helper()
	att, num, err := msg.CreateAttach(bg, 0)
	require.NoError(t, err, "CreateAttach")
	defer att.Close(bg)
	if len(props) > 0 {
		probs, err := att.SetProps(bg, props)
		require.NoError(t, err)
		require.Empty(t, probs)
	}
	require.NoError(t, att.SaveChanges(bg, 0), "IAttach::SaveChanges")
	return num
}

// specAttachNums returns the PR_ATTACH_NUMs of msg's attachment table.
func specAttachNums(t *testing.T, msg *mapi.Message) []any {
	t.Helper()
	tbl, err := msg.AttachmentTable(bg, 0)
	require.NoError(t, err, "GetAttachmentTable")
	defer tbl.Close(bg)
	return specCol(specRows(t, tbl, mapispi.PropAttachNum), 0)
}

// TestAttachmentNumbersAndVisibility: rules 66-68. Attachment numbers are
// distinct within a message. An attachment is part of the message (for
// another instance, its table, PR_HASATTACH) only once the attachment and
// then the message are saved; DeleteAttach too takes effect with the
// message's save. One saved attachment gives PR_HASATTACH TRUE and
// MSGFLAG_HASATTACH [D imessage-createattach; D imessage-deleteattach;
// D pidtaghasattachments].
func TestAttachmentNumbersAndVisibility(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Attachments")
	id := specMsg(t, f, specSubject("with attachments"))
	msg := specOpenMsg(t, m.store, id, mapispi.OpenModify)
	other := func() *mapi.Message { return specOpenMsg(t, m.store, id, 0) }

	nums := map[int]bool{}
	for range 3 {
		att, num, err := msg.CreateAttach(bg, 0)
		require.NoError(t, err)
		assert.False(t, nums[num], "CreateAttach number %d repeats", num)
		nums[num] = true
		if len(nums) < 3 {
			_, err = att.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropAttachLongFilename, Value: "f.txt"}})
			require.NoError(t, err)
			require.NoError(t, att.SaveChanges(bg, 0))
		}
		require.NoError(t, att.Close(bg)) // the third is never saved
	}
	assert.Empty(t, specAttachNums(t, other()), "another instance's attachment table before the message is saved")
	assert.Equal(t, false, specGet(t, other(), mapispi.PropHasAttach).Value, "another instance's PR_HASATTACH before the message is saved")

	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	saved := specAttachNums(t, other())
	assert.Len(t, saved, 2, "attachments after the message's save (the unsaved one is not part of it)")
	reopened := other()
	assert.Equal(t, true, specGet(t, reopened, mapispi.PropHasAttach).Value, "PR_HASATTACH after saving attachments")
	assert.NotZero(t, specInt(t, reopened, mapispi.PropMessageFlags)&int32(mapispi.MsgFlagHasAttach), "PR_MESSAGE_FLAGS after saving attachments, want MSGFLAG_HASATTACH")
	rows := specContents(t, f, 0, mapispi.PropHasAttach)
	assert.Equal(t, []any{true}, specCol(rows, 0), "contents row PR_HASATTACH")

	for _, n := range saved {
		require.NoError(t, msg.DeleteAttach(bg, int(n.(int32))), "DeleteAttach(%v)", n)
	}
	assert.Len(t, specAttachNums(t, other()), 2, "another instance's attachments after DeleteAttach, before the message's save")
	require.NoError(t, msg.SaveChanges(bg, 0))
	assert.Empty(t, specAttachNums(t, other()), "attachments after DeleteAttach and the message's save")
	assert.Equal(t, false, specGet(t, other(), mapispi.PropHasAttach).Value, "PR_HASATTACH after deleting every attachment")
}

// TestAttachmentTableOrderAndBookmarks: rule 69 and attachment-tables.
// The attachment table has the required columns PR_ATTACH_NUM,
// PR_INSTANCE_KEY, PR_RECORD_KEY and PR_RENDERING_POSITION; its rows come
// in PR_RENDERING_POSITION order taken as signed (-1 first); it has no
// bookmarks: CreateBookmark is MAPI_E_NO_SUPPORT [D attachment-tables;
// D imessage-getattachmenttable].
func TestAttachmentTableOrderAndBookmarks(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0)
	pos := func(n int32) mapispi.PropValue {
		return mapispi.PropValue{Tag: mapispi.PropRenderingPosition, Value: n}
	}
	n10 := specAttach(t, msg, pos(10))
	nNone := specAttach(t, msg, pos(-1))
	n5 := specAttach(t, msg, pos(5))
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))

	tbl := specTable(t, msg.AttachmentTable, 0)
	cols, err := tbl.Columns(bg)
	require.NoError(t, err)
	for _, tag := range []mapispi.PropTag{mapispi.PropAttachNum, mapispi.PropInstanceKey, mapispi.PropRecordKey, mapispi.PropRenderingPosition} {
		assert.Contains(t, cols, tag, "attachment table default columns")
	}
	rows := specRows(t, tbl, mapispi.PropAttachNum, mapispi.PropRenderingPosition, mapispi.PropRecordKey)
	assert.Equal(t, []any{int32(nNone), int32(n5), int32(n10)}, specCol(rows, 0), "attachment rows, want PR_RENDERING_POSITION order -1, 5, 10")
	for _, r := range rows {
		assert.IsType(t, []byte(nil), r[2].Value, "attachment row PR_RECORD_KEY")
	}
	_, err = tbl.CreateBookmark(bg)
	specCode(t, err, mapispi.ErrNoSupport, "attachment table CreateBookmark")
}

// TestOpenAttachUnknownNumber: an attachment number the message does not
// have is MAPI_E_NOT_FOUND for OpenAttach and DeleteAttach [I §8 #18;
// mapispi.Message], and changes nothing.
func TestOpenAttachUnknownNumber(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0)
	n := specAttach(t, msg)
	_, err := msg.OpenAttach(bg, n+7, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenAttach(unknown number)")
	_, err = msg.OpenAttach(bg, -1, 0)
	specCode(t, err, mapispi.ErrNotFound, "OpenAttach(-1)")
	specCode(t, msg.DeleteAttach(bg, n+7), mapispi.ErrNotFound, "DeleteAttach(unknown number)")
	require.NoError(t, msg.SaveChanges(bg, 0))
	assert.Equal(t, []any{int32(n)}, specAttachNums(t, msg), "attachments after refused calls")
}

// TestAttachmentDataThroughStream: an ATTACH_BY_VALUE attachment's data,
// PR_ATTACH_DATA_BIN, is written and read through a stream; an
// attachment opened read-only gives a stream that refuses writes
// (MAPI_E_NO_ACCESS) and OpenAttach(MAPI_MODIFY) of a read-only message
// is MAPI_E_NO_ACCESS.
func TestAttachmentDataThroughStream(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0)
	att, num, err := msg.CreateAttach(bg, 0)
	require.NoError(t, err)
	_, err = att.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}})
	require.NoError(t, err)
	st, err := att.OpenStream(bg, mapispi.PropAttachDataBin, mapispi.OpenCreate|mapispi.OpenModify)
	require.NoError(t, err)
	_, err = io.WriteString(st, "payload")
	require.NoError(t, err)
	require.NoError(t, st.Close())
	require.NoError(t, att.SaveChanges(bg, 0))
	require.NoError(t, att.Close(bg))
	require.NoError(t, msg.SaveChanges(bg, 0))

	ro := specOpenMsg(t, m.store, specID(t, msg), 0)
	_, err = ro.OpenAttach(bg, num, mapispi.OpenModify)
	specCode(t, err, mapispi.ErrNoAccess, "OpenAttach(MAPI_MODIFY) on a read-only message")
	a, err := ro.OpenAttach(bg, num, 0)
	require.NoError(t, err)
	defer a.Close(bg)
	assert.Equal(t, []byte("payload"), specGet(t, a, mapispi.PropAttachDataBin).Value, "PR_ATTACH_DATA_BIN")
	rs, err := a.OpenStream(bg, mapispi.PropAttachDataBin, 0)
	require.NoError(t, err)
	defer rs.Close()
	_, err = rs.Write([]byte("x"))
	specCode(t, err, mapispi.ErrNoAccess, "Write on the stream of a read-only attachment")
	_, err = a.OpenStream(bg, mapispi.PropAttachDataBin, mapispi.OpenModify)
	specCode(t, err, mapispi.ErrNoAccess, "OpenProperty(MAPI_MODIFY) on a read-only attachment")
}

// TestEmbeddedMessageRoundTrip: an ATTACH_EMBEDDED_MSG attachment's
// message is made with OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage,
// MAPI_CREATE|MAPI_MODIFY); its SaveChanges, the attachment's and the
// message's store it; it reads back, without an entry ID of its own
// [D imapiprop-openproperty; D pidtagattachdataobject].
func TestEmbeddedMessageRoundTrip(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, specSubject("outer"))
	att, num, err := msg.CreateAttach(bg, 0)
	require.NoError(t, err)
	defer att.Close(bg)
	_, err = att.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachEmbeddedMsg)}})
	require.NoError(t, err)
	_, err = att.OpenProperty(bg, mapispi.PropAttachDataObj, mapispi.IIDStream, mapispi.OpenCreate|mapispi.OpenModify)
	specCode(t, err, mapispi.ErrInterfaceNotSupported, "OpenProperty(PR_ATTACH_DATA_OBJ, IID_IStream)")
	v, err := att.OpenProperty(bg, mapispi.PropAttachDataObj, mapispi.IIDMessage, mapispi.OpenCreate|mapispi.OpenModify)
	require.NoError(t, err, "OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage, MAPI_CREATE|MAPI_MODIFY)")
	emb, ok := v.(*mapi.Message)
	require.True(t, ok, "OpenProperty(IID_IMessage) = %T, want *mapi.Message", v)
	defer emb.Close(bg)
	_, err = emb.SetProps(bg, []mapispi.PropValue{specSubject("inner")})
	require.NoError(t, err)
	require.NoError(t, emb.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Ann", mapispi.RecipTo)}))
	require.NoError(t, emb.SaveChanges(bg, 0), "embedded SaveChanges")
	require.NoError(t, att.SaveChanges(bg, 0))
	require.NoError(t, msg.SaveChanges(bg, 0))

	again := specOpenMsg(t, m.store, specID(t, msg), 0)
	a, err := again.OpenAttach(bg, num, 0)
	require.NoError(t, err)
	defer a.Close(bg)
	assert.Equal(t, int32(mapispi.AttachEmbeddedMsg), specInt(t, a, mapispi.PropAttachMethod), "PR_ATTACH_METHOD")
	inner, err := a.EmbeddedMessage(bg, 0)
	require.NoError(t, err, "open the embedded message")
	defer inner.Close(bg)
	assert.Equal(t, "inner", specGet(t, inner, mapispi.PropSubject).Value, "embedded PR_SUBJECT")
	assert.Equal(t, []string{"Ann"}, specNameList(specGet(t, inner, mapispi.PropDisplayTo).Value), "embedded PR_DISPLAY_TO")
	assert.Len(t, specRecips(t, inner, mapispi.PropDisplayName), 1, "embedded recipients")
	assert.Equal(t, mapispi.PtError, specGet(t, inner, mapispi.PropEntryID).Tag.Type(), "embedded message PR_ENTRYID, want none")
	// The outer message's contents row is one message: the embedded one is
	// no message of the folder.
	assert.Equal(t, int32(1), specInt(t, specInbox(t, m), mapispi.PropContentCount), "Inbox PR_CONTENT_COUNT")
}

// TestEmbeddedNestingLimit: msprovider.MaxEmbedDepth. Messages nest in
// attachments down to MaxEmbedDepth levels; opening the embedded message
// of an attachment of a message itself embedded MaxEmbedDepth deep is
// MAPI_E_TOO_COMPLEX (message.go, MaxEmbedDepth).
func TestEmbeddedNestingLimit(t *testing.T) {
	m := openMailbox(t)
	cur := specCreate(t, specInbox(t, m), 0)
	for depth := 1; depth <= msprovider.MaxEmbedDepth; depth++ {
		att, _, err := cur.CreateAttach(bg, 0)
		require.NoError(t, err, "CreateAttach at depth %d", depth-1)
		t.Cleanup(func() { _ = att.Close(bg) })
		emb, err := att.EmbeddedMessage(bg, mapispi.OpenCreate|mapispi.OpenModify)
		if err != nil {
			t.Fatalf("creating the message embedded %d deep (MaxEmbedDepth %d) = %v, want it made", depth, msprovider.MaxEmbedDepth, err)
		}
		t.Cleanup(func() { _ = emb.Close(bg) })
		cur = emb
	}
	att, _, err := cur.CreateAttach(bg, 0)
	require.NoError(t, err)
	defer att.Close(bg)
	_, err = att.EmbeddedMessage(bg, mapispi.OpenCreate|mapispi.OpenModify)
	specCode(t, err, mapispi.ErrTooComplex, "creating a message embedded MaxEmbedDepth+1 deep")
}

// TestAttachmentTableListsOnlyMessageSaved: rule 67 on the message's own
// table. "Only attachments that have been saved through a call to the
// message's IMAPIProp::SaveChanges method are included in the table"
// [D attachment-tables]: an attachment saved with its own SaveChanges
// joins the instance's attachment table (open before or after) at the
// message's SaveChanges, not before [D imessage-createattach].
func TestAttachmentTableListsOnlyMessageSaved(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, specSubject("compose"))
	early := specTable(t, msg.AttachmentTable, 0)
	n := specAttach(t, msg, mapispi.PropValue{Tag: mapispi.PropAttachLongFilename, Value: "a.txt"})
	assert.Empty(t, specCol(specRows(t, early, mapispi.PropAttachNum), 0), "attachment table opened before, after IAttach::SaveChanges only")
	assert.Empty(t, specAttachNums(t, msg), "attachment table opened after IAttach::SaveChanges, before the message's")
	require.NoError(t, msg.SaveChanges(bg, mapispi.KeepOpenReadWrite))
	assert.Equal(t, []any{int32(n)}, specCol(specRows(t, early, mapispi.PropAttachNum), 0), "attachment table after the message's SaveChanges")
	assert.Equal(t, []any{int32(n)}, specAttachNums(t, msg), "new attachment table after the message's SaveChanges")
}
