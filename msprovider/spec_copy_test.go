package msprovider_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapi"
	"github.com/mapiemu/mapiemu/mapispi"
)

// specCopySource saves a message with a subject, an importance, two
// recipients and one attachment holding "data", and returns it opened
// read/write.
func specCopySource(t *testing.T, m *mailbox, f *mapi.Folder) *mapi.Message {
	t.Helper()
	msg := specCreate(t, f, 0, specSubject("source"), mapispi.PropValue{Tag: mapispi.PropImportance, Value: int32(2)})
	require.NoError(t, msg.ModifyRecipients(bg, 0, []mapispi.Row{specRecip("Ann", mapispi.RecipTo), specRecip("Bob", mapispi.RecipCC)}))
	specAttach(t, msg, mapispi.PropValue{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
		mapispi.PropValue{Tag: mapispi.PropAttachDataBin, Value: []byte("data")})
	require.NoError(t, msg.SaveChanges(bg, 0))
	return specOpenMsg(t, m.store, specID(t, msg), mapispi.OpenModify)
}

// specCopied saves dest and returns, reopened, its subject, importance,
// recipient names and attachment data.
func specCopied(t *testing.T, m *mailbox, dest *mapi.Message) (subject, importance any, recips []any, atts []string) {
	t.Helper()
	require.NoError(t, dest.SaveChanges(bg, 0))
	msg := specOpenMsg(t, m.store, specID(t, dest), 0)
	vals, err := msg.GetProps(bg, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropImportance})
	require.NoError(t, err)
	for _, v := range vals {
		if v.Tag.Type() == mapispi.PtError {
			continue
		}
		switch v.Tag {
		case mapispi.PropSubject:
			subject = v.Value
		case mapispi.PropImportance:
			importance = v.Value
		}
	}
	recips = specCol(specRecips(t, msg, mapispi.PropDisplayName), 0)
	for _, n := range specAttachNums(t, msg) {
		a, err := msg.OpenAttach(bg, int(n.(int32)), 0)
		require.NoError(t, err)
		st, err := a.OpenStream(bg, mapispi.PropAttachDataBin, 0)
		if err == nil {
			b, _ := io.ReadAll(st)
			atts = append(atts, string(b))
			_ = st.Close()
		} else {
			atts = append(atts, "")
		}
		_ = a.Close(bg)
	}
	return subject, importance, recips, atts
}

// TestMessageCopyTo: IMAPIProp::CopyTo on a message copies its
// properties, recipients and attachments into another message; exclude
// leaves out properties, and PR_MESSAGE_RECIPIENTS or
// PR_MESSAGE_ATTACHMENTS the recipients or attachments; with
// MAPI_NOREPLACE the destination keeps the properties it has; the source
// is unchanged [D imapiprop-copyto; mapispi.Copier].
func TestMessageCopyTo(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	dests := specFolder(t, inbox, "Dests")
	src := specCopySource(t, m, inbox)

	all := specCreate(t, dests, 0)
	probs, err := src.CopyTo(bg, nil, all, 0)
	require.NoError(t, err, "CopyTo(everything)")
	assert.Empty(t, probs, "CopyTo problems")
	s, imp, r, a := specCopied(t, m, all)
	assert.Equal(t, []any{"source", int32(2)}, []any{s, imp}, "copied subject and importance")
	assert.ElementsMatch(t, []any{"Ann", "Bob"}, r, "copied recipients")
	assert.Equal(t, []string{"data"}, a, "copied attachments")

	some := specCreate(t, dests, 0)
	_, err = src.CopyTo(bg, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropMessageRecipients}, some, 0)
	require.NoError(t, err, "CopyTo(excluding PR_SUBJECT and PR_MESSAGE_RECIPIENTS)")
	s, imp, r, a = specCopied(t, m, some)
	assert.Nil(t, s, "subject copied despite the exclusion")
	assert.Equal(t, int32(2), imp, "importance not excluded, not copied")
	assert.Empty(t, r, "recipients copied despite PR_MESSAGE_RECIPIENTS excluded")
	assert.Equal(t, []string{"data"}, a, "attachments not excluded")

	noAtt := specCreate(t, dests, 0)
	_, err = src.CopyTo(bg, []mapispi.PropTag{mapispi.PropMessageAttachments}, noAtt, 0)
	require.NoError(t, err)
	_, _, r, a = specCopied(t, m, noAtt)
	assert.Len(t, r, 2, "recipients when only attachments are excluded")
	assert.Empty(t, a, "attachments copied despite PR_MESSAGE_ATTACHMENTS excluded")

	keep := specCreate(t, dests, 0, specSubject("mine"))
	_, err = src.CopyTo(bg, nil, keep, mapispi.CopyNoReplace)
	require.NoError(t, err, "CopyTo(MAPI_NOREPLACE)")
	s, imp, _, _ = specCopied(t, m, keep)
	assert.Equal(t, "mine", s, "MAPI_NOREPLACE: the destination keeps its subject")
	assert.Equal(t, int32(2), imp, "MAPI_NOREPLACE: properties the destination lacks are copied")

	assert.Equal(t, "source", specGet(t, src, mapispi.PropSubject).Value, "source subject after copies")
	assert.Len(t, specRecips(t, src, mapispi.PropDisplayName), 2, "source recipients after copies")
}

// TestMessageCopyProps: IMAPIProp::CopyProps copies only the properties
// named (PR_MESSAGE_RECIPIENTS names the recipients); MAPI_MOVE deletes
// them from the source [D imapiprop-copyprops].
func TestMessageCopyProps(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	src := specCopySource(t, m, inbox)
	dest := specCreate(t, inbox, 0)
	_, err := src.CopyProps(bg, []mapispi.PropTag{mapispi.PropSubject, mapispi.PropMessageRecipients}, dest, 0)
	require.NoError(t, err, "CopyProps(PR_SUBJECT, PR_MESSAGE_RECIPIENTS)")
	s, imp, r, a := specCopied(t, m, dest)
	assert.Equal(t, "source", s, "copied subject")
	assert.Nil(t, imp, "importance copied though not named")
	assert.Len(t, r, 2, "copied recipients")
	assert.Empty(t, a, "attachments copied though not named")

	moved := specCreate(t, inbox, 0)
	_, err = src.CopyProps(bg, []mapispi.PropTag{mapispi.PropImportance}, moved, mapispi.CopyMove)
	require.NoError(t, err, "CopyProps(PR_IMPORTANCE, MAPI_MOVE)")
	_, imp, _, _ = specCopied(t, m, moved)
	assert.Equal(t, int32(2), imp, "moved importance")
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropImportance, mapispi.ErrNotFound), specGet(t, src, mapispi.PropImportance), "source PR_IMPORTANCE after MAPI_MOVE")
}

// TestCopyOntoItselfOrIntoItself: a copy of an object onto itself is
// MAPI_E_NO_ACCESS ("returned if the destination object is the same as
// the source object"); a copy of a message into a message embedded in it
// is MAPI_E_FOLDER_CYCLE (mapispi.Copier; "the source object directly or
// indirectly contains the destination object") [D imapiprop-copyto;
// D imapiprop-copyprops].
func TestCopyOntoItselfOrIntoItself(t *testing.T) {
	m := openMailbox(t)
	src := specCopySource(t, m, specInbox(t, m))
	_, err := src.CopyTo(bg, nil, src, 0)
	specCode(t, err, mapispi.ErrNoAccess, "Message.CopyTo(itself)")
	_, err = src.CopyProps(bg, []mapispi.PropTag{mapispi.PropSubject}, src, 0)
	specCode(t, err, mapispi.ErrNoAccess, "Message.CopyProps(itself)")

	att, _, err := src.CreateAttach(bg, 0)
	require.NoError(t, err)
	defer att.Close(bg)
	_, err = att.CopyTo(bg, nil, att, 0)
	specCode(t, err, mapispi.ErrNoAccess, "Attachment.CopyTo(itself)")
	emb, err := att.EmbeddedMessage(bg, mapispi.OpenCreate|mapispi.OpenModify)
	require.NoError(t, err)
	defer emb.Close(bg)
	_, err = src.CopyTo(bg, nil, emb, 0)
	specCode(t, err, mapispi.ErrFolderCycle, "Message.CopyTo(a message embedded in it)")
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropSubject, mapispi.ErrNotFound), specGet(t, emb, mapispi.PropSubject), "embedded message after the refused copy")
}

// TestCopyTagListRules: IMAPIProp::CopyProps' lpIncludeProps "cannot be
// NULL", and CopyTo with an exclude list of no tags (cValues 0) is
// MAPI_E_INVALID_PARAMETER; neither copies anything [D imapiprop-copyprops;
// D imapiprop-copyto]. (A nil Go slice is NULL, an empty one cValues 0,
// as for GetProps.)
func TestCopyTagListRules(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	src := specCopySource(t, m, inbox)
	dest := specCreate(t, inbox, 0)
	_, err := src.CopyProps(bg, nil, dest, 0)
	specCode(t, err, mapispi.ErrInvalidParameter, "CopyProps(NULL tag list)")
	_, err = src.CopyTo(bg, []mapispi.PropTag{}, dest, 0)
	specCode(t, err, mapispi.ErrInvalidParameter, "CopyTo(exclude list of no tags)")
	s, _, r, _ := specCopied(t, m, dest)
	assert.Nil(t, s, "destination subject after refused copies")
	assert.Empty(t, r, "destination recipients after refused copies")
}

// TestAttachmentCopyTo: IMAPIProp::CopyTo on an attachment copies its
// properties and data into another attachment.
func TestAttachmentCopyTo(t *testing.T) {
	m := openMailbox(t)
	src := specCopySource(t, m, specInbox(t, m))
	a, err := src.OpenAttach(bg, int(specAttachNums(t, src)[0].(int32)), 0)
	require.NoError(t, err)
	defer a.Close(bg)
	dest, num, err := src.CreateAttach(bg, 0)
	require.NoError(t, err)
	defer dest.Close(bg)
	_, err = a.CopyTo(bg, nil, dest, 0)
	require.NoError(t, err, "Attachment.CopyTo")
	require.NoError(t, dest.SaveChanges(bg, 0))
	require.NoError(t, src.SaveChanges(bg, 0))
	again := specOpenMsg(t, m.store, specID(t, src), 0)
	b, err := again.OpenAttach(bg, num, 0)
	require.NoError(t, err)
	defer b.Close(bg)
	assert.Equal(t, []byte("data"), specGet(t, b, mapispi.PropAttachDataBin).Value, "copied PR_ATTACH_DATA_BIN")
	assert.Equal(t, int32(mapispi.AttachByValue), specInt(t, b, mapispi.PropAttachMethod), "copied PR_ATTACH_METHOD")
	assert.Equal(t, int32(num), specInt(t, b, mapispi.PropAttachNum), "the copy keeps its own PR_ATTACH_NUM")
}
