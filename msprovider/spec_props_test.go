package msprovider_test

import (
	"encoding/binary"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestGetPropsKeepsRequestOrder: rules 44-46. GetProps gives one value
// per tag in the order asked; a property the object lacks comes back as
// {PROP_TAG(PT_ERROR, id), MAPI_E_NOT_FOUND}; a PT_UNSPECIFIED tag comes
// back with the stored type [D imapiprop-getprops].
func TestGetPropsKeepsRequestOrder(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, specSubject("order"),
		mapispi.PropValue{Tag: mapispi.PropImportance, Value: int32(2)},
		mapispi.PropValue{Tag: mapispi.PropMessageClass, Value: "IPM.Note"})
	missing := mapispi.NewPropTag(mapispi.PtLong, 0x6612)
	for _, tags := range [][]mapispi.PropTag{
		{mapispi.PropSubject, mapispi.PropImportance, mapispi.PropMessageClass},
		{mapispi.PropMessageClass, missing, mapispi.PropSubject, mapispi.PropImportance},
	} {
		vals, err := msg.GetProps(bg, tags)
		require.NoError(t, err, "GetProps(%v)", tags)
		require.Len(t, vals, len(tags), "GetProps(%v)", tags)
		want := map[mapispi.PropTag]any{mapispi.PropSubject: "order", mapispi.PropImportance: int32(2), mapispi.PropMessageClass: "IPM.Note"}
		for i, tag := range tags {
			if tag == missing {
				assert.Equal(t, mapispi.ErrorValue(missing, mapispi.ErrNotFound), vals[i], "GetProps value %d (a property the message lacks)", i)
				continue
			}
			assert.Equal(t, tag, vals[i].Tag, "GetProps value %d tag", i)
			assert.Equal(t, want[tag], vals[i].Value, "GetProps value %d", i)
		}
	}
	vals, err := msg.GetProps(bg, []mapispi.PropTag{mapispi.PropImportance.WithType(mapispi.PtUnspecified), mapispi.PropSubject.WithType(mapispi.PtUnspecified)})
	require.NoError(t, err)
	assert.Equal(t, mapispi.PropValue{Tag: mapispi.PropImportance, Value: int32(2)}, vals[0], "GetProps(PR_IMPORTANCE as PT_UNSPECIFIED)")
	assert.Equal(t, mapispi.PropValue{Tag: mapispi.PropSubject, Value: "order"}, vals[1], "GetProps(PR_SUBJECT as PT_UNSPECIFIED)")
}

// TestGetPropsEmptyTagListIsInvalid: rule 47 (first half). A tag list
// with no tags (cValues 0) is MAPI_E_INVALID_PARAMETER, on every kind of
// object.
func TestGetPropsEmptyTagListIsInvalid(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	msg := specCreate(t, inbox, 0)
	att, _, err := msg.CreateAttach(bg, 0)
	require.NoError(t, err)
	defer att.Close(bg)
	_, err = inbox.GetProps(bg, []mapispi.PropTag{})
	specCode(t, err, mapispi.ErrInvalidParameter, "Folder.GetProps(no tags)")
	_, err = msg.GetProps(bg, []mapispi.PropTag{})
	specCode(t, err, mapispi.ErrInvalidParameter, "Message.GetProps(no tags)")
	_, err = att.GetProps(bg, []mapispi.PropTag{})
	specCode(t, err, mapispi.ErrInvalidParameter, "Attachment.GetProps(no tags)")
}

// utf16LE returns s as the bytes of a PT_UNICODE stream.
func utf16LE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// TestLargeBodyThroughStream: rule 48. A 64 KB PR_BODY is too large for
// GetProps: its entry is MAPI_E_NOT_ENOUGH_MEMORY (the call succeeds);
// a stream on it (OpenProperty) gives every byte, before and after the
// message is saved and reopened [D imapiprop-getprops].
func TestLargeBodyThroughStream(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	body := strings.Repeat("0123456789abcdef", 4096) // 64 Ki characters
	msg := specCreate(t, inbox, 0, mapispi.PropValue{Tag: mapispi.PropBody, Value: body})
	v := specGet(t, msg, mapispi.PropBody)
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropBody, mapispi.ErrNotEnoughMemory), v, "GetProps(64 KB PR_BODY)")
	read := func(what string, st interface{ Read([]byte) (int, error) }) {
		t.Helper()
		data, err := io.ReadAll(st)
		require.NoError(t, err, "%s: reading the stream", what)
		assert.True(t, string(data) == string(utf16LE(body)), "%s: stream of PR_BODY: %d bytes, want the %d bytes of the UTF-16LE text", what, len(data), 2*len(body))
	}
	st, err := msg.OpenStream(bg, mapispi.PropBody, 0)
	require.NoError(t, err, "OpenProperty(PR_BODY, IID_IStream)")
	read("before SaveChanges", st)
	require.NoError(t, st.Close())
	require.NoError(t, msg.SaveChanges(bg, 0))
	again := specOpenMsg(t, m.store, specID(t, msg), 0)
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropBody, mapispi.ErrNotEnoughMemory), specGet(t, again, mapispi.PropBody), "GetProps(64 KB PR_BODY) after reopening")
	st, err = again.OpenStream(bg, mapispi.PropBody, 0)
	require.NoError(t, err)
	read("after reopening", st)
	require.NoError(t, st.Close())
}

// TestSetPropsRefusesWholeCall: rule 49. SetProps with no values, with a
// PT_OBJECT value or with a multi-valued value of no elements is
// MAPI_E_INVALID_PARAMETER, and sets nothing of the call
// [D imapiprop-setprops].
func TestSetPropsRefusesWholeCall(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	msg := specCreate(t, inbox, 0, specSubject("before"))
	_, err := msg.SetProps(bg, nil)
	specCode(t, err, mapispi.ErrInvalidParameter, "SetProps(nil)")
	_, err = msg.SetProps(bg, []mapispi.PropValue{})
	specCode(t, err, mapispi.ErrInvalidParameter, "SetProps(no values)")
	for what, bad := range map[string]mapispi.PropValue{
		"a PT_OBJECT value":            {Tag: mapispi.PropAttachDataObj, Value: nil},
		"an empty PT_MV_UNICODE value": {Tag: mapispi.NewPropTag(mapispi.PtUnicode|mapispi.MVFlag, 0x6613), Value: []string{}},
	} {
		_, err = msg.SetProps(bg, []mapispi.PropValue{specSubject("after"), bad})
		specCode(t, err, mapispi.ErrInvalidParameter, "Message.SetProps(subject, "+what+")")
		_, err = inbox.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropComment, Value: "after"}, bad})
		specCode(t, err, mapispi.ErrInvalidParameter, "Folder.SetProps(comment, "+what+")")
	}
	assert.Equal(t, "before", specGet(t, msg, mapispi.PropSubject).Value, "PR_SUBJECT after refused SetProps calls")
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropComment, mapispi.ErrNotFound), specGet(t, inbox, mapispi.PropComment), "Inbox PR_COMMENT after refused SetProps calls")
}

// TestSetPropsIgnoresNullAndErrorValues: rule 50. PR_NULL and PT_ERROR
// values change nothing and are no problem [D imapiprop-setprops].
func TestSetPropsIgnoresNullAndErrorValues(t *testing.T) {
	m := openMailbox(t)
	msg := specCreate(t, specInbox(t, m), 0, specSubject("kept"))
	before, err := msg.GetPropList(bg)
	require.NoError(t, err)
	probs, err := msg.SetProps(bg, []mapispi.PropValue{
		{Tag: mapispi.PropNull},
		mapispi.ErrorValue(mapispi.PropSubject, mapispi.ErrNotFound),
	})
	require.NoError(t, err, "SetProps(PR_NULL, PT_ERROR)")
	assert.Empty(t, probs, "SetProps(PR_NULL, PT_ERROR) problems")
	after, err := msg.GetPropList(bg)
	require.NoError(t, err)
	assert.ElementsMatch(t, before, after, "GetPropList after SetProps(PR_NULL, PT_ERROR)")
	assert.Equal(t, "kept", specGet(t, msg, mapispi.PropSubject).Value, "PR_SUBJECT after a PT_ERROR value for it")
}

// TestSetPropsComputedIsProblem: rule 51. SetProps of a computed property
// (PR_CONTENT_COUNT on a folder) succeeds with a MAPI_E_COMPUTED problem
// whose index is the value's in the call; the other values are set
// [D imapiprop-setprops].
func TestSetPropsComputedIsProblem(t *testing.T) {
	m := openMailbox(t)
	f := specFolder(t, specInbox(t, m), "Computed")
	probs, err := f.SetProps(bg, []mapispi.PropValue{
		{Tag: mapispi.PropComment, Value: "set"},
		{Tag: mapispi.PropContentCount, Value: int32(7)},
	})
	require.NoError(t, err, "SetProps(PR_COMMENT, PR_CONTENT_COUNT)")
	assert.Equal(t, []mapispi.PropProblem{{Index: 1, Tag: mapispi.PropContentCount, Code: mapispi.ErrComputed}}, probs, "SetProps problems")
	assert.Equal(t, "set", specGet(t, f, mapispi.PropComment).Value, "PR_COMMENT after SetProps")
	assert.Equal(t, int32(0), specInt(t, f, mapispi.PropContentCount), "PR_CONTENT_COUNT after SetProps")
	msg := specCreate(t, f, 0)
	probs, err = msg.SetProps(bg, []mapispi.PropValue{{Tag: mapispi.PropMessageSize, Value: int32(1)}, specSubject("s")})
	require.NoError(t, err)
	assert.Equal(t, []mapispi.PropProblem{{Index: 0, Tag: mapispi.PropMessageSize, Code: mapispi.ErrComputed}}, probs, "Message.SetProps(PR_MESSAGE_SIZE) problems")
}

// TestDeletePropsByID: rule 52. DeleteProps with no tags is
// MAPI_E_INVALID_PARAMETER; a tag of the wrong type still deletes the
// property with its ID [D imapiprop-deleteprops].
func TestDeletePropsByID(t *testing.T) {
	m := openMailbox(t)
	inbox := specInbox(t, m)
	msg := specCreate(t, inbox, 0, specSubject("gone soon"), mapispi.PropValue{Tag: mapispi.PropImportance, Value: int32(1)})
	_, err := msg.DeleteProps(bg, nil)
	specCode(t, err, mapispi.ErrInvalidParameter, "Message.DeleteProps(nil)")
	_, err = inbox.DeleteProps(bg, nil)
	specCode(t, err, mapispi.ErrInvalidParameter, "Folder.DeleteProps(nil)")
	probs, err := msg.DeleteProps(bg, []mapispi.PropTag{mapispi.PropSubject.WithType(mapispi.PtLong)})
	require.NoError(t, err, "DeleteProps(PR_SUBJECT as PT_LONG)")
	assert.Empty(t, probs)
	assert.Equal(t, mapispi.ErrorValue(mapispi.PropSubject, mapispi.ErrNotFound), specGet(t, msg, mapispi.PropSubject), "PR_SUBJECT after DeleteProps with a wrong type")
	assert.Equal(t, int32(1), specInt(t, msg, mapispi.PropImportance), "PR_IMPORTANCE stays")
}
