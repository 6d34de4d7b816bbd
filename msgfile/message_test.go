package msgfile_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mapiemu/mapiemu/cfb"
	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/msgfile"
)

var ctx = context.Background()

func subject(t *testing.T, p mapispi.Properties) any {
	t.Helper()
	vals, err := p.GetProps(ctx, []mapispi.PropTag{mapispi.PropSubject})
	require.NoError(t, err)
	return vals[0].Value
}

func TestSaveChangesAndAccess(t *testing.T) {
	m := msgfile.New()
	_, err := m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "hello"}})
	require.NoError(t, err)
	require.NoError(t, m.SaveChanges(ctx, mapispi.KeepOpenReadWrite))
	assert.Equal(t, "hello", subject(t, m), "PR_SUBJECT after SaveChanges")
	_, err = m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "again"}})
	require.NoError(t, err, "SetProps after SaveChanges(KEEP_OPEN_READWRITE)")
	require.NoError(t, m.SaveChanges(ctx, 0))
	_, err = m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "no"}})
	assert.ErrorIs(t, err, mapispi.ErrNoAccess, "SetProps after SaveChanges(0)")
	problems, err := msgfile.New().SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachDataObj, Value: struct{}{}}})
	require.NoError(t, err)
	require.Len(t, problems, 1, "SetProps of a PT_OBJECT value")
	assert.Equal(t, mapispi.ErrInvalidParameter, problems[0].Code, "SetProps of a PT_OBJECT value: the problem's code")
	require.NoError(t, m.Close(ctx))
	_, err = m.GetProps(ctx, nil)
	assert.ErrorIs(t, err, mapispi.ErrInvalidObject, "GetProps after Close")
	assert.ErrorIs(t, m.Close(ctx), mapispi.ErrInvalidObject, "a second Close")
}

func rowIDs(t *testing.T, tb mapispi.Table) []any {
	t.Helper()
	defer tb.Close(ctx)
	require.NoError(t, tb.SetColumns(ctx, []mapispi.PropTag{mapispi.PropRowID, mapispi.PropDisplayName}))
	rows, err := tb.QueryRows(ctx, 100)
	require.NoError(t, err)
	var out []any
	for _, r := range rows {
		out = append(out, r[0].Value, r[1].Value)
	}
	return out
}

func TestModifyRecipients(t *testing.T) {
	m := msgfile.New()
	name := func(s string) mapispi.Row {
		return mapispi.Row{{Tag: mapispi.PropDisplayName, Value: s}, {Tag: mapispi.PropRecipientType, Value: int32(1)}}
	}
	require.NoError(t, m.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{name("Ann"), name("Bob")}))
	tb, err := m.RecipientTable(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(0), "Ann", int32(1), "Bob"}, rowIDs(t, tb), "recipients after MODRECIP_ADD")

	require.NoError(t, m.ModifyRecipients(ctx, mapispi.ModRecipModify, []mapispi.Row{{{Tag: mapispi.PropRowID, Value: int32(1)}, {Tag: mapispi.PropDisplayName, Value: "Bea"}}}))
	require.NoError(t, m.ModifyRecipients(ctx, mapispi.ModRecipRemove, []mapispi.Row{{{Tag: mapispi.PropRowID, Value: int32(0)}}}))
	tb, _ = m.RecipientTable(ctx, 0)
	assert.Equal(t, []any{int32(1), "Bea"}, rowIDs(t, tb), "recipients after MODIFY and REMOVE")

	assert.ErrorIs(t, m.ModifyRecipients(ctx, mapispi.ModRecipModify, []mapispi.Row{name("x")}), mapispi.ErrInvalidParameter, "MODRECIP_MODIFY without PR_ROWID")
	assert.ErrorIs(t, m.ModifyRecipients(ctx, mapispi.ModRecipRemove, []mapispi.Row{{{Tag: mapispi.PropRowID, Value: int32(9)}}}), mapispi.ErrNotFound, "MODRECIP_REMOVE of an unknown PR_ROWID")
	assert.ErrorIs(t, m.ModifyRecipients(ctx, mapispi.ModRecipAdd, []mapispi.Row{{{Tag: mapispi.PropDisplayName, Value: 3}}}), mapispi.ErrBadValue, "a value of the wrong type")

	require.NoError(t, m.ModifyRecipients(ctx, 0, []mapispi.Row{name("Cy")}))
	tb, _ = m.RecipientTable(ctx, 0)
	assert.Equal(t, []any{int32(2), "Cy"}, rowIDs(t, tb), "recipients after a replace (no flag)")
}

func TestAttachmentsAndEmbeddedMessages(t *testing.T) {
	m := msgfile.New()
	a, num, err := m.CreateAttach(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, 0, num, "the first attachment's number")
	problems, err := a.SetProps(ctx, []mapispi.PropValue{
		{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)},
		{Tag: mapispi.PropAttachDataBin, Value: []byte("data")},
		{Tag: mapispi.PropAttachNum, Value: int32(7)},
	})
	require.NoError(t, err)
	require.Len(t, problems, 1)
	assert.Equal(t, mapispi.ErrComputed, problems[0].Code, "SetProps(PR_ATTACH_NUM)")
	tb, _ := m.AttachmentTable(ctx, 0)
	n, _ := tb.RowCount(ctx)
	assert.Zero(t, n, "attachments before the attachment's SaveChanges")
	_ = tb.Close(ctx)
	require.NoError(t, a.SaveChanges(ctx, 0))
	tb, _ = m.AttachmentTable(ctx, 0)
	n, _ = tb.RowCount(ctx)
	assert.Equal(t, 1, n, "attachments after the attachment's SaveChanges")
	_ = tb.Close(ctx)

	// An embedded message in a second attachment.
	a2, _, err := m.CreateAttach(ctx, 0)
	require.NoError(t, err)
	obj, err := a2.(mapispi.PropertyOpener).OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, mapispi.OpenModify|mapispi.OpenCreate)
	require.NoError(t, err)
	em := obj.(*msgfile.Message)
	_, err = em.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "inner"}})
	require.NoError(t, err)
	require.NoError(t, em.SaveChanges(ctx, 0))
	require.NoError(t, a2.SaveChanges(ctx, 0))
	require.NoError(t, m.SaveChanges(ctx, mapispi.KeepOpenReadWrite))

	got, err := m.OpenAttach(ctx, 1, 0)
	require.NoError(t, err)
	obj, err = got.(mapispi.PropertyOpener).OpenProperty(ctx, mapispi.PropAttachDataObj, mapispi.IIDMessage, 0)
	require.NoError(t, err)
	assert.Equal(t, "inner", subject(t, obj.(*msgfile.Message)), "the embedded message's PR_SUBJECT")
	vals, _ := got.GetProps(ctx, []mapispi.PropTag{mapispi.PropAttachMethod})
	assert.Equal(t, int32(mapispi.AttachEmbeddedMsg), vals[0].Value, "PR_ATTACH_METHOD of an attachment holding a message")

	_, err = m.OpenAttach(ctx, 5, 0)
	assert.ErrorIs(t, err, mapispi.ErrNotFound, "OpenAttach of an unknown number")
	require.NoError(t, m.DeleteAttach(ctx, 0))
	assert.ErrorIs(t, m.DeleteAttach(ctx, 0), mapispi.ErrNotFound, "a second DeleteAttach")
}

func TestStreams(t *testing.T) {
	m := msgfile.New()
	s, err := m.OpenProperty(ctx, mapispi.PropBody, mapispi.IIDStream, mapispi.OpenModify|mapispi.OpenCreate)
	require.NoError(t, err)
	st := s.(mapispi.Stream)
	_, err = st.Write(utf16le("body text ✓"))
	require.NoError(t, err)
	require.NoError(t, st.Close(ctx))
	vals, _ := m.GetProps(ctx, []mapispi.PropTag{mapispi.PropBody})
	assert.Equal(t, "body text ✓", vals[0].Value, "PR_BODY after writing its stream")

	s, err = m.OpenProperty(ctx, mapispi.PropBody, mapispi.IIDStream, 0)
	require.NoError(t, err)
	b, err := io.ReadAll(s.(mapispi.Stream))
	require.NoError(t, err)
	assert.Len(t, b, 2*len([]rune("body text ✓")), "PR_BODY's stream is UTF-16LE")
	_, err = s.(mapispi.Stream).Write([]byte("x"))
	assert.ErrorIs(t, err, mapispi.ErrNoAccess, "Write on a stream opened read-only")

	_, err = m.OpenProperty(ctx, mapispi.PropBody.WithType(mapispi.PtUnspecified), mapispi.IIDStream, 0)
	assert.ErrorIs(t, err, mapispi.ErrInvalidParameter, "OpenProperty of PT_UNSPECIFIED")
	_, err = m.OpenProperty(ctx, mapispi.PropSubject, mapispi.IIDStream, 0)
	assert.ErrorIs(t, err, mapispi.ErrNotFound, "OpenProperty of a property the message lacks")
	tb, err := m.OpenProperty(ctx, mapispi.PropMessageRecipients, mapispi.IIDMAPITable, 0)
	require.NoError(t, err, "OpenProperty(PR_MESSAGE_RECIPIENTS, IID_IMAPITable)")
	_ = tb.(mapispi.Table).Close(ctx)
}

func TestNamedProperties(t *testing.T) {
	m := msgfile.New()
	kw := mapispi.PropName{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "Keywords"}
	rem := mapispi.PropName{Set: mapispi.PSETIDCommon, Kind: mapispi.NameID, ID: 0x8503}
	ids, err := m.IDsFromNames(ctx, []mapispi.PropName{kw, rem}, false)
	require.NoError(t, err)
	assert.Equal(t, []uint16{0, 0}, ids, "IDsFromNames without MAPI_CREATE of unmapped names")
	ids, err = m.IDsFromNames(ctx, []mapispi.PropName{kw, rem}, true)
	require.NoError(t, err)
	assert.Equal(t, []uint16{0x8000, 0x8001}, ids, "IDsFromNames with MAPI_CREATE")
	again, _ := m.IDsFromNames(ctx, []mapispi.PropName{{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "KEYWORDS"}}, false)
	assert.Equal(t, []uint16{0x8000}, again, "a string name in another case")
	names, mapped, err := m.NamesFromIDs(ctx, []uint16{0x8001, 0x0037, 0x9000}, nil)
	require.NoError(t, err)
	assert.Equal(t, []uint16{0x8001, 0x0037, 0}, mapped, "NamesFromIDs mapped")
	assert.Equal(t, rem, names[0], "NamesFromIDs(0x8001)")
	assert.Equal(t, mapispi.PropName{Set: mapispi.PSMAPI, Kind: mapispi.NameID, ID: 0x37}, names[1], "NamesFromIDs(0x0037)")
	names, mapped, _ = m.NamesFromIDs(ctx, nil, &mapispi.PSETIDCommon)
	assert.Equal(t, []mapispi.PropName{rem}, names, "NamesFromIDs(nil, PSETID_Common)")
	assert.Equal(t, []uint16{0x8001}, mapped, "NamesFromIDs(nil, PSETID_Common) mapped")
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestReadRefusesWhatIsNotAMsg(t *testing.T) {
	_, err := msgfile.Read(bytes.NewReader([]byte("plain text")), 10, 0)
	assert.ErrorIs(t, err, cfb.ErrFormat, "Read of plain text")

	b := cfb.NewBuilder(cfb.V3)
	require.NoError(t, b.Root().AddStream("WordDocument", []byte("not a message")))
	doc, err := b.Bytes()
	require.NoError(t, err)
	_, err = msgfile.Read(bytes.NewReader(doc), int64(len(doc)), 0)
	assert.ErrorIs(t, err, msgfile.ErrFormat, "Read of a compound file without a property stream")
	assert.ErrorContains(t, err, "__properties_version1.0", "the error names what is missing")
}

// TestStreamOfAnEightBitString: a PT_STRING8 property's stream holds its
// bytes in the code page the file's strings are in, here Shift JIS (the
// file names ISO-2022-JP, PR_INTERNET_CPID 50220, whose Windows family it
// is), as the codec reads them.
func TestStreamOfAnEightBitString(t *testing.T) {
	m, err := msgfile.OpenFile("testdata/msg/nonUnicodeCP932.msg", 0)
	require.NoError(t, err)
	defer m.Close(ctx)
	s, err := m.OpenProperty(ctx, mapispi.PropSubject.WithType(mapispi.PtString8), mapispi.IIDStream, 0)
	require.NoError(t, err, "OpenProperty(PR_SUBJECT_A, IID_IStream)")
	b, err := io.ReadAll(s.(mapispi.Stream))
	require.NoError(t, err)
	got, err := codepage.ShiftJIS.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, "日本語 Non Unicode タイトル", got, "PR_SUBJECT_A's stream, read as Shift JIS")
}

// TestStreamInTheTypeAsked: a stream holds the property in the type its
// tag asks for, as GetProps converts between the two string types: a
// PT_UNICODE property opened as PT_STRING8 is 8-bit text in the
// message's code page, and what is written back is read as such.
func TestStreamInTheTypeAsked(t *testing.T) {
	m := msgfile.New()
	_, err := m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "caf\u00e9"}})
	require.NoError(t, err)
	s, err := m.OpenProperty(ctx, mapispi.PropSubject.WithType(mapispi.PtString8), mapispi.IIDStream, mapispi.OpenModify)
	require.NoError(t, err, "OpenProperty(PR_SUBJECT_A, IID_IStream)")
	st := s.(mapispi.Stream)
	b, err := io.ReadAll(st)
	require.NoError(t, err)
	assert.Equal(t, []byte("caf\xe9"), b, "PR_SUBJECT_A's stream of a PT_UNICODE subject: Windows-1252 bytes")
	_, err = st.Write([]byte("!"))
	require.NoError(t, err)
	require.NoError(t, st.Close(ctx))
	assert.Equal(t, "caf\u00e9!", subject(t, m), "PR_SUBJECT after the 8-bit stream's commit")

	_, err = m.OpenProperty(ctx, mapispi.PropSubject.WithType(mapispi.PtBinary), mapispi.IIDStream, 0)
	assert.ErrorIs(t, err, mapispi.ErrNotFound, "OpenProperty of a string property as PT_BINARY")
}

// TestStreamTextErrors: text a stream cannot hold in the message's code
// page, or bytes that are not text in it, are MAPI errors that name the
// property and the code page, not the codepage package's errors alone.
func TestStreamTextErrors(t *testing.T) {
	m := msgfile.New()
	_, err := m.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropSubject, Value: "\u65e5\u672c"}})
	require.NoError(t, err)
	_, err = m.OpenProperty(ctx, mapispi.PropSubject.WithType(mapispi.PtString8), mapispi.IIDStream, 0)
	assert.ErrorIs(t, err, mapispi.ErrBadValue, "OpenProperty(PR_SUBJECT_A) of Japanese text in Windows-1252")
	assert.ErrorIs(t, err, codepage.ErrUnrepresentable, "the cause is kept")
	assert.ErrorContains(t, err, "PR_SUBJECT_A")
	assert.ErrorContains(t, err, "1252")

	f, err := msgfile.OpenFile("testdata/msg/nonUnicodeCP932.msg", mapispi.OpenModify)
	require.NoError(t, err)
	defer f.Close(ctx)
	s, err := f.OpenProperty(ctx, mapispi.PropSubject.WithType(mapispi.PtString8), mapispi.IIDStream, mapispi.OpenModify)
	require.NoError(t, err)
	st := s.(mapispi.Stream)
	require.NoError(t, st.SetSize(0))
	_, err = st.Write([]byte{'a', 0x81}) // a lead byte of Shift JIS without its trail byte
	require.NoError(t, err)
	err = st.Commit(ctx)
	assert.ErrorIs(t, err, mapispi.ErrBadValue, "Commit of bytes that are not Shift JIS")
	assert.ErrorContains(t, err, "IStream::Commit")
	assert.ErrorContains(t, err, "PR_SUBJECT_A")
	assert.ErrorContains(t, err, "shift_jis")
}

// TestStreamTooBig: a stream cannot grow past what a MAPI property can
// hold (a ULONG count of bytes); asking is ErrTooBig, not a panic or an
// allocation of the size asked.
func TestStreamTooBig(t *testing.T) {
	m := msgfile.New()
	s, err := m.OpenProperty(ctx, mapispi.PropBody, mapispi.IIDStream, mapispi.OpenModify|mapispi.OpenCreate)
	require.NoError(t, err)
	st := s.(mapispi.Stream)
	assert.ErrorIs(t, st.SetSize(1<<62), mapispi.ErrTooBig, "SetSize(1<<62)")
	assert.ErrorIs(t, st.SetSize(1<<32), mapispi.ErrTooBig, "SetSize(4 GB)")
	_, err = st.Seek(1<<62, io.SeekStart)
	require.NoError(t, err, "Seek past the end")
	_, err = st.Write([]byte("x"))
	assert.ErrorIs(t, err, mapispi.ErrTooBig, "Write at 1<<62")
	assert.ErrorContains(t, err, "IStream::Write")
	got, err := st.Stat()
	require.NoError(t, err)
	assert.Zero(t, got.Size, "the stream's size after the refusals")
}

// TestValuesShareNothing: the codec keeps the bytes it reads and writes
// the model's own, so what the caller holds must reach the model through
// copies only: the bytes Read read from, a value given to SetProps and
// one GetProps returned can all change without changing the message.
func TestValuesShareNothing(t *testing.T) {
	data := []byte("attachment data")
	m := msgfile.New()
	a, _, err := m.CreateAttach(ctx, 0)
	require.NoError(t, err)
	_, err = a.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachMethod, Value: int32(mapispi.AttachByValue)}, {Tag: mapispi.PropAttachDataBin, Value: data}})
	require.NoError(t, err)
	require.NoError(t, a.SaveChanges(ctx, 0))
	require.NoError(t, m.SaveChanges(ctx, 0))
	clear(data)
	var buf bytes.Buffer
	_, err = m.WriteTo(&buf)
	require.NoError(t, err)
	file := buf.Bytes()

	r, err := msgfile.Read(bytes.NewReader(file), int64(len(file)), 0)
	require.NoError(t, err)
	clear(file)
	attachData := func() []byte {
		t.Helper()
		ra, err := r.OpenAttach(ctx, 0, 0)
		require.NoError(t, err)
		vals, err := ra.GetProps(ctx, []mapispi.PropTag{mapispi.PropAttachDataBin})
		require.NoError(t, err)
		return vals[0].Value.([]byte)
	}
	got := attachData()
	assert.Equal(t, "attachment data", string(got), "PR_ATTACH_DATA_BIN after the caller cleared what it gave SetProps and Read")
	clear(got)
	assert.Equal(t, "attachment data", string(attachData()), "PR_ATTACH_DATA_BIN after the caller cleared what GetProps gave")
}

// TestReadErrors: a file that is not a .msg is a MAPI error,
// MAPI_E_CORRUPT_DATA, as well as msgfile.ErrFormat (and cfb.ErrFormat
// when it is not a compound file at all), saying where it is damaged; a
// failing reader's error is returned, with the stream it was reading.
func TestReadErrors(t *testing.T) {
	_, err := msgfile.Read(bytes.NewReader([]byte("plain text")), 10, 0)
	assert.ErrorIs(t, err, mapispi.ErrCorruptData, "Read of plain text")
	assert.ErrorIs(t, err, msgfile.ErrFormat, "Read of plain text")
	assert.ErrorIs(t, err, cfb.ErrFormat, "Read of plain text")
	assert.ErrorContains(t, err, "header", "Read of plain text")

	b := cfb.NewBuilder(cfb.V3)
	require.NoError(t, b.Root().AddStream("WordDocument", []byte("not a message")))
	doc, err := b.Bytes()
	require.NoError(t, err)
	_, err = msgfile.Read(bytes.NewReader(doc), int64(len(doc)), 0)
	assert.ErrorIs(t, err, mapispi.ErrCorruptData, "Read of a compound file without a property stream")

	m := msgfile.New()
	a, _, err := m.CreateAttach(ctx, 0)
	require.NoError(t, err)
	_, err = a.SetProps(ctx, []mapispi.PropValue{{Tag: mapispi.PropAttachDataBin, Value: bytes.Repeat([]byte{7}, 5000)}})
	require.NoError(t, err)
	require.NoError(t, a.SaveChanges(ctx, 0))
	require.NoError(t, m.SaveChanges(ctx, 0))
	var buf bytes.Buffer
	_, err = m.WriteTo(&buf)
	require.NoError(t, err)
	file := buf.Bytes()
	boom := errors.New("disk on fire")
	// The attachment's 5000 bytes, the one stream of 4096 bytes or more,
	// are the file's last sectors.
	_, err = msgfile.Read(failingAt{file, int64(len(file)) - 512, boom}, int64(len(file)), 0)
	assert.ErrorIs(t, err, boom, "Read through a failing reader")
	assert.NotErrorIs(t, err, mapispi.ErrCorruptData, "a failing reader is no damage")
	assert.ErrorContains(t, err, "__attach_version1.0_#00000000/__substg1.0_37010102", "the error names the stream it was reading")
}

// failingAt is a ReaderAt of b whose reads past after fail with err.
type failingAt struct {
	b     []byte
	after int64
	err   error
}

func (r failingAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > r.after {
		return 0, r.err
	}
	return copy(p, r.b[off:]), nil
}
