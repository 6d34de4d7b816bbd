package pst

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/entryid"
	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
	"github.com/mapiemu/mapiemu/msgfile"
)

// folderTree returns the folders under fo, one line each, indented by
// depth, with their counts of messages and associated messages.
func folderTree(t *testing.T, fo *Folder, depth int, out *[]string) {
	t.Helper()
	ms, err := fo.Messages()
	if err != nil {
		t.Fatalf("%v.Messages() = %v", fo, err)
	}
	as, err := fo.Associated()
	if err != nil {
		t.Fatalf("%v.Associated() = %v", fo, err)
	}
	*out = append(*out, fmt.Sprintf("%s%s %d/%d", strings.Repeat("  ", depth), fo.Name(), len(ms), len(as)))
	subs, err := fo.Subfolders()
	if err != nil {
		t.Fatalf("%v.Subfolders() = %v", fo, err)
	}
	for _, s := range subs {
		folderTree(t, s, depth+1, out)
	}
}

// TestFolderTree reads the folder tree of each file from the root.
func TestFolderTree(t *testing.T) {
	search := []string{"  Search Root 0/0", "  SPAM Search Folder 2 0/0"}
	tests := []struct {
		name string
		want []string
	}{
		{"sample1", append([]string{" 0/0", "  Top of Outlook data file 0/0", "    Deleted Items 0/0", "    Sample1 1/0"}, append(search, "  ItemProcSearch 0/0")...)},
		{"sample2", append([]string{" 0/0", "  Top of Outlook data file 0/0", "    Deleted Items 0/0", "    Sample2 1/0"}, append(search, "  ItemProcSearch 0/0")...)},
		{"submessage", append([]string{" 0/0", "  Top of Outlook data file 0/0", "    Deleted Items 0/0", "    submessage 1/0"}, search...)},
		{"test_ansi", append([]string{" 0/0", "  Top of Personal Folders 0/0", "    Deleted Items 0/0", "    Folder 1/0"}, search...)},
		{"test_unicode", append([]string{" 0/0", "  Top of Personal Folders 1/0", "    Deleted Items 0/0", "    Folder 1/0"}, search...)},
		{"Empty", append([]string{" 0/0", "  Top of Outlook data file 0/0", "    Deleted Items 0/0"}, append(search, "  IPM_COMMON_VIEWS 0/0")...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := openTestFile(t, tt.name).Root()
			if err != nil {
				t.Fatalf("Root() = %v", err)
			}
			if root.NID() != nidRootFolder {
				t.Errorf("Root().NID() = %v, want %v", root.NID(), nidRootFolder)
			}
			var got []string
			folderTree(t, root, 0, &got)
			// The root's display name is empty in every file.
			got[0] = " " + strings.TrimPrefix(got[0], " ")
			if !slices.Equal(got, tt.want) {
				t.Errorf("folder tree =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// folderByPath returns the folder at path below the root.
func folderByPath(t *testing.T, f *File, path ...string) *Folder {
	t.Helper()
	fo, err := f.Root()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range path {
		subs, err := fo.Subfolders()
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(subs, func(s *Folder) bool { return s.Name() == name })
		if i < 0 {
			t.Fatalf("%v has no subfolder %q", fo, name)
		}
		fo = subs[i]
	}
	return fo
}

// onlyMessage returns the one message of the folder at path.
func onlyMessage(t *testing.T, f *File, path ...string) *Message {
	t.Helper()
	ms, err := folderByPath(t, f, path...).Messages()
	if err != nil || len(ms) != 1 {
		t.Fatalf("Messages() of %v = %d messages, %v; want 1", path, len(ms), err)
	}
	return ms[0]
}

func find(t *testing.T, props []mapispi.PropValue, tag mapispi.PropTag) any {
	t.Helper()
	v, ok := mapiutil.FindProp(props, tag)
	if !ok {
		t.Fatalf("no %v among %v", tag, props)
	}
	return v.Value
}

// TestSample1Message: pstsdk's known answers for sample1's message and
// its attachment leah_thumper.jpg.
func TestSample1Message(t *testing.T) {
	f := openTestFile(t, "sample1")
	m := onlyMessage(t, f, "Top of Outlook data file", "Sample1")
	props, err := m.Props()
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, props, mapispi.PropSubject); got != "Here is a sample message" {
		t.Errorf("PR_SUBJECT = %q", got)
	}
	// As stored: MSGFLAG_READ|MSGFLAG_HASATTACH|MSGFLAG_FROMME, and the size.
	if got := find(t, props, mapispi.PropMessageFlags); got != int32(0x31) {
		t.Errorf("PR_MESSAGE_FLAGS = %v, want 0x31", got)
	}
	if got := find(t, props, mapispi.PropMessageSize); got != int32(106589) {
		t.Errorf("PR_MESSAGE_SIZE = %v, want 106589", got)
	}
	recips, err := m.Recipients()
	if err != nil || len(recips) != 1 {
		t.Fatalf("Recipients() = %d rows, %v; want 1", len(recips), err)
	}
	if got := find(t, recips[0], mapispi.PropDisplayName); got != "Terry Mahaffey" {
		t.Errorf("recipient PR_DISPLAY_NAME = %q", got)
	}
	find(t, recips[0], mapispi.PropRowID)
	for _, v := range recips[0] {
		if isLtp(v.Tag) || v.Tag.Type() == mapispi.PtError {
			t.Errorf("recipient row holds %v", v)
		}
	}

	atts, err := m.Attachments()
	if err != nil || len(atts) != 1 {
		t.Fatalf("Attachments() = %d, %v; want 1", len(atts), err)
	}
	ap, err := atts[0].Props()
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, ap, mapispi.PropAttachLongFilename); got != "leah_thumper.jpg" {
		t.Errorf("PR_ATTACH_LONG_FILENAME = %q", got)
	}
	if got := find(t, ap, mapispi.PropAttachNum); got != int32(0) {
		t.Errorf("PR_ATTACH_NUM = %v, want 0", got)
	}
	data := find(t, ap, mapispi.PropAttachDataBin).([]byte)
	// The whole JPEG: SOI at the start, EOI at the end, and the 93142
	// bytes pstsdk reads (PR_ATTACH_SIZE, 96808, counts the attachment's
	// other properties too).
	if !bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) || !bytes.HasSuffix(data, []byte{0xFF, 0xD9}) || len(data) != 93142 {
		t.Errorf("PR_ATTACH_DATA_BIN = %d bytes % X...% X, want the 93142-byte JPEG", len(data), data[:min(4, len(data))], data[max(0, len(data)-2):])
	}
	if size := find(t, ap, mapispi.PropAttachSize).(int32); int(size) < len(data) {
		t.Errorf("PR_ATTACH_SIZE = %d, less than the data's %d bytes", size, len(data))
	}
	if em, err := atts[0].Message(); em != nil || err != nil {
		t.Errorf("Message() of a by-value attachment = %v, %v; want nil, nil", em, err)
	}
}

// TestSubmessage: submessage's message has an attachment whose
// embedded message has its own subject.
func TestSubmessage(t *testing.T) {
	f := openTestFile(t, "submessage")
	m := onlyMessage(t, f, "Top of Outlook data file", "submessage")
	props, err := m.Props()
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, props, mapispi.PropSubject); got != "This is a message which has an embedded message attached" {
		t.Errorf("PR_SUBJECT = %q", got)
	}
	atts, err := m.Attachments()
	if err != nil || len(atts) != 1 {
		t.Fatalf("Attachments() = %d, %v; want 1", len(atts), err)
	}
	ap, err := atts[0].Props()
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, ap, mapispi.PropAttachMethod); got != int32(mapispi.AttachEmbeddedMsg) {
		t.Errorf("PR_ATTACH_METHOD = %v, want ATTACH_EMBEDDED_MSG", got)
	}
	if _, ok := mapiutil.FindProp(ap, mapispi.PropAttachDataObj); ok {
		t.Errorf("Props() holds PR_ATTACH_DATA_OBJ")
	}
	em, err := atts[0].Message()
	if err != nil || em == nil {
		t.Fatalf("Message() = %v, %v", em, err)
	}
	if em.NID() == m.NID() {
		t.Errorf("embedded message NID = %v, its attachment's message's", em.NID())
	}
	ep, err := em.Props()
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, ep, mapispi.PropSubject); got != "This is an embedded message" {
		t.Errorf("embedded PR_SUBJECT = %q", got)
	}
	c, err := m.Content()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Attachments) != 1 || c.Attachments[0].Message == nil {
		t.Fatalf("Content() attachments = %+v, want one with a message", c.Attachments)
	}
	if got := find(t, c.Attachments[0].Message.Props, mapispi.PropSubject); got != "This is an embedded message" {
		t.Errorf("Content() embedded PR_SUBJECT = %q", got)
	}
	if c.Attachments[0].Message.Names != nil {
		t.Errorf("the embedded content has Names; its IDs are its top-level message's")
	}
}

// TestNames: pstsdk's known answer, 172 named properties in sample1's
// map; every named ID a message uses has a name.
func TestNames(t *testing.T) {
	f := openTestFile(t, "sample1")
	names, err := f.Names()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 172 {
		t.Errorf("len(Names()) = %d, want 172", len(names))
	}
	var common, str int
	for id, n := range names {
		if id < mapispi.NamedPropIDMin {
			t.Errorf("Names() has ID 0x%04X, below the named range", id)
		}
		if n.Set == mapispi.PSETIDCommon {
			common++
		}
		if n.Kind == mapispi.NameString {
			str++
			if n.Name == "" {
				t.Errorf("name 0x%04X is an empty string", id)
			}
		}
	}
	if common == 0 || str == 0 {
		t.Errorf("Names() has %d names in PSETID_Common and %d string names, want some of each", common, str)
	}
	c, err := onlyMessage(t, f, "Top of Outlook data file", "Sample1").Content()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range c.NamedIDs() {
		if _, ok := c.Names[id]; !ok {
			t.Errorf("Content() uses named property 0x%04X, which Names lacks", id)
		}
	}
	for id, n := range c.Names {
		if names[id] != n {
			t.Errorf("Content().Names[0x%04X] = %v, the map has %v", id, n, names[id])
		}
	}
}

// allMessages returns every message of the file, associated ones too,
// and their folders' paths.
func allMessages(t *testing.T, f *File) []*Message {
	t.Helper()
	root, err := f.Root()
	if err != nil {
		t.Fatal(err)
	}
	var out []*Message
	var walk func(*Folder)
	walk = func(fo *Folder) {
		ms, err := fo.Messages()
		if err != nil {
			t.Fatal(err)
		}
		as, err := fo.Associated()
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, ms...), as...)
		subs, err := fo.Subfolders()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			walk(s)
		}
	}
	walk(root)
	return out
}

// TestContentToMsg writes every message of every file into a .msg file
// through mapiutil.WriteMessage and reads it back.
func TestContentToMsg(t *testing.T) {
	ctx := context.Background()
	for _, tf := range testFiles {
		t.Run(tf.name, func(t *testing.T) {
			f := openTestFile(t, strings.TrimSuffix(tf.name, ".pst"))
			for _, m := range allMessages(t, f) {
				c, err := m.Content()
				if err != nil {
					t.Fatalf("%v.Content() = %v", m, err)
				}
				out := msgfile.New()
				if err := mapiutil.WriteMessage(ctx, out, c, nil); err != nil {
					t.Fatalf("WriteMessage(%v) = %v", m, err)
				}
				if err := out.SaveChanges(ctx, 0); err != nil {
					t.Fatalf("SaveChanges(%v) = %v", m, err)
				}
				var buf bytes.Buffer
				if _, err := out.WriteTo(&buf); err != nil {
					t.Fatalf("WriteTo(%v) = %v", m, err)
				}
				back, err := msgfile.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 0)
				if err != nil {
					t.Fatalf("msgfile.Read(%v) = %v", m, err)
				}
				c2, err := mapiutil.ReadMessage(ctx, back, nil)
				if err != nil {
					t.Fatalf("ReadMessage(%v) = %v", m, err)
				}
				if got, want := subject(c2.Props), subject(c.Props); got != want {
					t.Errorf("%v: .msg subject = %q, want %q", m, got, want)
				}
				if len(c2.Recipients) != len(c.Recipients) || len(c2.Attachments) != len(c.Attachments) {
					t.Errorf("%v: .msg has %d recipients and %d attachments, want %d and %d", m,
						len(c2.Recipients), len(c2.Attachments), len(c.Recipients), len(c.Attachments))
					continue
				}
				for i, a := range c.Attachments {
					d, _ := mapiutil.FindProp(a.Props, mapispi.PropAttachDataBin)
					d2, _ := mapiutil.FindProp(c2.Attachments[i].Props, mapispi.PropAttachDataBin)
					b, _ := d.Value.([]byte)
					b2, _ := d2.Value.([]byte)
					if !bytes.Equal(b, b2) {
						t.Errorf("%v: attachment %d data differs in the .msg", m, i)
					}
					if (a.Message == nil) != (c2.Attachments[i].Message == nil) {
						t.Errorf("%v: attachment %d embedded message %v in the PST, %v in the .msg", m, i, a.Message != nil, c2.Attachments[i].Message != nil)
					} else if a.Message != nil && subject(a.Message.Props) != subject(c2.Attachments[i].Message.Props) {
						t.Errorf("%v: attachment %d embedded subject = %q, want %q", m, i, subject(c2.Attachments[i].Message.Props), subject(a.Message.Props))
					}
				}
				// Named properties keep their names, under the .msg's IDs.
				want := map[mapispi.PropName]bool{}
				for _, n := range c.Names {
					want[n] = true
				}
				for _, n := range c2.Names {
					delete(want, n)
				}
				if len(want) != 0 {
					t.Errorf("%v: names lost in the .msg: %v", m, want)
				}
			}
		})
	}
}

func subject(props []mapispi.PropValue) any {
	for _, v := range props {
		if v.Tag.ID() == mapispi.PropSubject.ID() {
			return v.Value
		}
	}
	return nil
}

// TestEntryID builds entry IDs that package entryid reads back.
func TestEntryID(t *testing.T) {
	f := openTestFile(t, "sample1")
	store, err := f.StoreProps()
	if err != nil {
		t.Fatal(err)
	}
	key := find(t, store, mapispi.PropRecordKey).([]byte)
	m := onlyMessage(t, f, "Top of Outlook data file", "Sample1")
	for _, nid := range []NID{nidRootFolder, 0x8082, m.NID()} {
		id, err := f.EntryID(nid)
		if err != nil {
			t.Fatalf("EntryID(%v) = %v", nid, err)
		}
		p, err := entryid.ParsePST(id)
		if err != nil {
			t.Fatalf("ParsePST(EntryID(%v)) = %v", nid, err)
		}
		if p.NID != entryid.NID(nid) || !bytes.Equal(p.Store[:], key) || p.Flags != 0 {
			t.Errorf("ParsePST(EntryID(%v)) = %v, want NID %v and store %X", nid, p, nid, key)
		}
	}
	if _, err := f.EntryID(0x8025); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("EntryID(an attachment's NID) = %v, want ErrUnsupported", err)
	}
	var fe *FormatError
	if _, err := f.EntryID(0x7FFFFFE4); !errors.As(err, &fe) || !errors.Is(err, errNotFound) || fe.NID != 0x7FFFFFE4 {
		t.Errorf("EntryID(absent) = %v, want a *FormatError naming the node", err)
	}
}

// TestStoreProps reads the store's properties and password.
func TestStoreProps(t *testing.T) {
	tests := []struct {
		name        string
		display     string
		passwordSet bool
	}{
		{"sample1", "sample1", false},
		{"sample2", "sample2", false},
		{"submessage", "submessage", false},
		{"test_ansi", "Personal Folders", true},
		{"test_unicode", "Personal Folders", true},
		{"Empty", "Empty", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := openTestFile(t, tt.name)
			props, err := f.StoreProps()
			if err != nil {
				t.Fatal(err)
			}
			if got := subjectLike(props, mapispi.PropDisplayName); got != tt.display {
				t.Errorf("store PR_DISPLAY_NAME = %v, want %q", got, tt.display)
			}
			crc, set, err := f.Password()
			if err != nil || set != tt.passwordSet || set != (crc != 0) {
				t.Errorf("Password() = 0x%08X, %v, %v; want set %v", crc, set, err, tt.passwordSet)
			}
		})
	}
}

func subjectLike(props []mapispi.PropValue, tag mapispi.PropTag) any {
	for _, v := range props {
		if v.Tag.ID() == tag.ID() {
			return v.Value
		}
	}
	return nil
}

// TestSlicesAreFresh changes what the methods return and reads again,
// as fstest does, to catch aliasing.
func TestSlicesAreFresh(t *testing.T) {
	f := openTestFile(t, "sample1")
	m := onlyMessage(t, f, "Top of Outlook data file", "Sample1")
	atts, err := m.Attachments()
	if err != nil {
		t.Fatal(err)
	}
	read := func() []byte {
		p, err := atts[0].Props()
		if err != nil {
			t.Fatal(err)
		}
		return find(t, p, mapispi.PropAttachDataBin).([]byte)
	}
	d := read()
	d[0] = 0
	if read()[0] != 0xFF {
		t.Errorf("changing PR_ATTACH_DATA_BIN changed what Props returns next")
	}
	r1, _ := m.Recipients()
	r1[0][0].Value = "changed"
	r2, _ := m.Recipients()
	if r2[0][0].Value == "changed" {
		t.Errorf("changing a recipient row changed what Recipients returns next")
	}
	// A value in a heap, decoded from the blocks the cache shares.
	key := func() []byte {
		p, err := f.StoreProps()
		if err != nil {
			t.Fatal(err)
		}
		return find(t, p, mapispi.PropRecordKey).([]byte)
	}
	k := key()
	want := k[0]
	k[0] ^= 0xFF
	if got := key()[0]; got != want {
		t.Errorf("changing PR_RECORD_KEY changed what StoreProps returns next: byte 0 = 0x%02X, want 0x%02X", got, want)
	}
	// The binary cells of table rows (the recipients' entry IDs).
	orig, _ := m.Recipients()
	flipped := 0
	for _, r := range r2 {
		for _, v := range r {
			if b, ok := v.Value.([]byte); ok && len(b) > 0 {
				b[0] ^= 0xFF
				flipped++
			}
		}
	}
	if r3, _ := m.Recipients(); flipped == 0 || !reflect.DeepEqual(r3, orig) {
		t.Errorf("after changing %d binary values of recipient rows, Recipients() = %v, want %v", flipped, r3, orig)
	}
	// The values an attachment adds from its row of the attachment
	// table, which Attachments decodes once and the Attachment keeps.
	a := attachmentWithRowSlices(t)
	p1, err := a.Props()
	if err != nil {
		t.Fatal(err)
	}
	wantRow := rowOnly(p1).Clone()
	modifySlices(p1)
	p2, err := a.Props()
	if got := rowOnly(p2); err != nil || !reflect.DeepEqual(got, wantRow) {
		t.Errorf("Props() after modifying an earlier result = %v, %v; want %v", got, err, wantRow)
	}
}

// Tags the attachment of attachmentWithRowSlices has only in its row of
// the attachment table: IDs no attachment's property context holds.
const (
	rowOnlyBinary mapispi.PropTag = 0x7D010102 // PT_BINARY
	rowOnlyMVLong mapispi.PropTag = 0x7D021003 // PT_MV_LONG
)

// attachmentWithRowSlices returns the attachment of sample1's message
// from a copy of the file whose attachment table names two columns
// anew, so that the row holds values of slice types its attachment's
// property context lacks, which Props adds: PR_DISPLAY_NAME's becomes
// rowOnlyBinary (the name's UTF-16LE bytes) and PR_ATTACH_EXTENSION's
// (".jpg", 8 bytes) rowOnlyMVLong (two PT_LONGs).
func attachmentWithRowSlices(t *testing.T) *Attachment {
	t.Helper()
	b := readTestFile(t, "sample1.pst")
	f := openBytes(t, b, nil)
	m := onlyMessage(t, f, "Top of Outlook data file", "Sample1")
	s, err := m.n.sub(nidAttachmentTab)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := m.subTable(nidAttachmentTab, 0, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	d := bytes.Clone(b)
	for _, c := range tc.columns() {
		var to mapispi.PropTag
		switch c.tag.ID() {
		case mapispi.PropDisplayName.ID():
			to = rowOnlyBinary
		case mapispi.PropAttachExtension.ID():
			to = rowOnlyMVLong
		default:
			continue
		}
		desc := func(tag mapispi.PropTag) []byte {
			out := binary.LittleEndian.AppendUint32(nil, uint32(tag))
			out = binary.LittleEndian.AppendUint16(out, uint16(c.ibData))
			return append(out, byte(c.cbData), byte(c.iBit))
		}
		patchNode(t, f, d, s, replaceIn(t, desc(c.tag), desc(to)))
	}
	f = openBytes(t, d, nil)
	atts, err := onlyMessage(t, f, "Top of Outlook data file", "Sample1").Attachments()
	if err != nil || len(atts) != 1 {
		t.Fatalf("Attachments() = %d attachments, %v; want 1", len(atts), err)
	}
	props, err := atts[0].Props()
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := mapiutil.FindProp(props, rowOnlyBinary); !ok || len(v.Value.([]byte)) == 0 {
		t.Fatalf("Props() = %v; want a %v value from the attachment table", props, rowOnlyBinary)
	}
	if v, ok := mapiutil.FindProp(props, rowOnlyMVLong); !ok || len(v.Value.([]int32)) != 2 {
		t.Fatalf("Props() = %v; want a %v value of 2 items from the attachment table", props, rowOnlyMVLong)
	}
	return atts[0]
}

// rowOnly returns the values of props that attachmentWithRowSlices's
// attachment has only in its row of the attachment table.
func rowOnly(props []mapispi.PropValue) mapispi.Row {
	var out mapispi.Row
	for _, v := range props {
		if v.Tag == rowOnlyBinary || v.Tag == rowOnlyMVLong {
			out = append(out, v)
		}
	}
	return out
}

// modifySlices changes every slice value of props in place: it flips
// the bits of each byte and each int32, and swaps the first two items
// of other slices.
func modifySlices(props []mapispi.PropValue) {
	for _, v := range props {
		switch x := v.Value.(type) {
		case []byte:
			for i := range x {
				x[i] ^= 0xFF
			}
		case []int32:
			for i := range x {
				x[i] ^= -1
			}
		case [][]byte:
			for _, it := range x {
				for i := range it {
					it[i] ^= 0xFF
				}
			}
		case []string:
			if len(x) > 1 {
				x[0], x[1] = x[1], x[0]
			}
		}
	}
}

// TestCloneSharesNoMemory: mapispi.PropValue.Clone, which
// Attachment.Props applies to the values of its kept row, copies the
// memory of a value of every type the package decodes.
func TestCloneSharesNoMemory(t *testing.T) {
	pc, err := openPC(buildPC(pcAllType, 100), codepage.Windows1252, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	all, err := pc.props()
	if err != nil {
		t.Fatal(err)
	}
	// shared reports whether slices a and b, or slices within them, share
	// an element.
	var shared func(a, b reflect.Value) bool
	shared = func(a, b reflect.Value) bool {
		if a.Kind() != reflect.Slice || a.Len() == 0 {
			return false
		}
		if a.Pointer() == b.Pointer() {
			return true
		}
		for i := range a.Len() {
			if shared(a.Index(i), b.Index(i)) {
				return true
			}
		}
		return false
	}
	slicesSeen := 0
	for _, v := range all {
		c := v.Clone()
		if !reflect.DeepEqual(c, v) {
			t.Errorf("%v.Clone() = %#v, want %#v", v.Tag, c, v)
			continue
		}
		if a := reflect.ValueOf(v.Value); a.Kind() == reflect.Slice && a.Len() > 0 {
			slicesSeen++
			if shared(a, reflect.ValueOf(c.Value)) {
				t.Errorf("%v (%T).Clone() shares memory with the value", v.Tag, v.Value)
			}
		}
	}
	if slicesSeen == 0 {
		t.Fatal("no value of pcAllType is a slice")
	}
}

// TestConcurrentAttachmentProps has goroutines read one attachment's
// properties and modify what they got, at once (run with -race): each
// must see the values as stored, whatever the others do to theirs.
func TestConcurrentAttachmentProps(t *testing.T) {
	a := attachmentWithRowSlices(t)
	p, err := a.Props()
	if err != nil {
		t.Fatal(err)
	}
	want := rowOnly(p).Clone()
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				p, err := a.Props()
				if got := rowOnly(p); err != nil || !reflect.DeepEqual(got, want) {
					errs <- fmt.Sprintf("Props() while other goroutines modify theirs = %v, %v; want %v", got, err, want)
					return
				}
				modifySlices(p)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestConcurrentMessaging walks every file from several goroutines at
// once (run with -race).
func TestConcurrentMessaging(t *testing.T) {
	for _, tf := range testFiles {
		f := openTestFile(t, strings.TrimSuffix(tf.name, ".pst"))
		root, err := f.Root()
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := walkAll(f, root, 1000); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("%s: %v", tf.name, err)
		}
	}
}

// walkAll reads everything under fo (the store, names, folders,
// messages whole, entry IDs), at most limit folders and messages, and
// returns the first error.
func walkAll(f *File, fo *Folder, limit int) error {
	if _, err := f.StoreProps(); err != nil {
		return err
	}
	if _, _, err := f.Password(); err != nil {
		return err
	}
	if _, err := f.Names(); err != nil {
		return err
	}
	budget := limit
	var walk func(*Folder) error
	walk = func(fo *Folder) error {
		if budget--; budget < 0 {
			return nil
		}
		if _, err := fo.Props(); err != nil {
			return err
		}
		if _, err := f.EntryID(fo.NID()); err != nil {
			return err
		}
		ms, err := fo.Messages()
		if err != nil {
			return err
		}
		as, err := fo.Associated()
		if err != nil {
			return err
		}
		for _, m := range append(ms, as...) {
			if budget--; budget < 0 {
				return nil
			}
			if _, err := m.Content(); err != nil {
				return err
			}
			if _, err := f.EntryID(m.NID()); err != nil {
				return err
			}
		}
		subs, err := fo.Subfolders()
		if err != nil {
			return err
		}
		for _, s := range subs {
			if err := walk(s); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(fo)
}

// TestCodepage: a PC's PR_MESSAGE_CODEPAGE, else its PR_INTERNET_CPID,
// says how its PT_STRING8 values decode, when this module knows the
// code page; Windows-1252 (or the enclosing object's) otherwise.
func TestCodepage(t *testing.T) {
	cpTag := func(tag mapispi.PropTag, n uint32) pcProp { return pcProp{tag: tag, where: "inline", raw: le32(n)} }
	subject := pcProp{tag: mapispi.NewPropTag(mapispi.PtString8, mapispi.PropSubject.ID()), where: "heap", raw: []byte("\xcf\xf0\xe8\xe2\xe5\xf2")}
	tests := []struct {
		name  string
		props []pcProp
		want  codepage.ID
		text  string
	}{
		{"none", nil, codepage.Windows1252, "Ïðèâåò"},
		{"PR_MESSAGE_CODEPAGE", []pcProp{cpTag(mapispi.PropMessageCodepage, 1251)}, 1251, "Привет"},
		{"PR_INTERNET_CPID", []pcProp{cpTag(mapispi.PropInternetCPID, 1251)}, 1251, "Привет"},
		{"PR_MESSAGE_CODEPAGE first", []pcProp{cpTag(mapispi.PropMessageCodepage, 1251), cpTag(mapispi.PropInternetCPID, 20127)}, 1251, "Привет"},
		{"unknown code page", []pcProp{cpTag(mapispi.PropMessageCodepage, 1200)}, codepage.Windows1252, "Ïðèâåò"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc, err := openPC(buildPC(append(tt.props, subject), 64), codepage.Windows1252, testBudget())
			if err != nil {
				t.Fatal(err)
			}
			cp, err := pcCodepage(pc, codepage.Windows1252)
			if err != nil || cp != tt.want {
				t.Fatalf("pcCodepage() = %v, %v; want %v", cp, err, tt.want)
			}
			pc.cp = cp
			v, _, err := pc.prop(mapispi.PropSubject.ID())
			if err != nil || v.Value != tt.text {
				t.Errorf("PR_SUBJECT_A = %v, %v; want %q", v.Value, err, tt.text)
			}
		})
	}
	// An ANSI file's message: its 8-bit subject in its code page.
	m := onlyMessage(t, openTestFile(t, "sample2"), "Top of Outlook data file", "Sample2")
	props, err := m.Props()
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, props, mapispi.NewPropTag(mapispi.PtString8, mapispi.PropSubject.ID())); got != "Here is a sample message" {
		t.Errorf("sample2 PR_SUBJECT_A = %q", got)
	}
}

func TestTrimSubjectMarker(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x01\x01Here", "Here"},
		{"\x01\x05RE: Here", "RE: Here"},
		{"\x01\u0105x", "x"}, // a marker character beyond ASCII
		{"Here", "Here"},
		{"\x01", "\x01"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := trimSubjectMarker(tt.in); got != tt.want {
			t.Errorf("trimSubjectMarker(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEmbeddedBounds: embedded messages nest at most
// mapiutil.MaxNesting deep, and none may reuse the subnode tree of one
// enclosing it, or (in one Content call) of another.
func TestEmbeddedBounds(t *testing.T) {
	f := openTestFile(t, "submessage")
	fresh := func() (*Message, *Attachment, *Message) {
		m := onlyMessage(t, f, "Top of Outlook data file", "submessage")
		atts, err := m.Attachments()
		if err != nil || len(atts) != 1 {
			t.Fatalf("Attachments() = %d, %v", len(atts), err)
		}
		em, err := atts[0].Message()
		if err != nil || em == nil {
			t.Fatalf("Message() = %v, %v", em, err)
		}
		return m, atts[0], em
	}
	m, a, em := fresh()
	if em.depth != 1 || !slices.Contains(em.outer, m.n.bidSub) {
		t.Errorf("embedded message depth %d, outer %v; want 1 and its message's subnode tree %v", em.depth, em.outer, m.n.bidSub)
	}
	var fe *FormatError
	m.depth = mapiutil.MaxNesting
	if _, err := a.Message(); !errors.As(err, &fe) {
		t.Errorf("Message() at depth %d = %v, want a *FormatError", m.depth, err)
	}
	m, a, em = fresh()
	m.outer = []BID{em.n.bidSub}
	if _, err := a.Message(); !errors.As(err, &fe) || fe.BID != em.n.bidSub {
		t.Errorf("Message() enclosing itself = %v, want a *FormatError naming block %v", err, em.n.bidSub)
	}
	m, _, em = fresh()
	if _, err := m.content(map[BID]bool{em.n.bidSub: true}, testBudget()); !errors.As(err, &fe) || fe.BID != em.n.bidSub {
		t.Errorf("content() meeting a subnode tree twice = %v, want a *FormatError naming block %v", err, em.n.bidSub)
	}
}

// TestEntryIDsEqualOutlooks: the entry IDs EntryID builds for the IPM
// subtree, Deleted Items and the search root equal (entryid.Compare) the
// ones Outlook wrote in the store's properties for the same folders.
func TestEntryIDsEqualOutlooks(t *testing.T) {
	for _, name := range []string{"sample1", "sample2", "submessage", "test_ansi", "test_unicode", "Empty"} {
		t.Run(name, func(t *testing.T) {
			f := openTestFile(t, name)
			props, err := f.StoreProps()
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, tag := range []mapispi.PropTag{mapispi.PropIPMSubtreeEntryID, mapispi.PropIPMWastebasketEntryID, mapispi.NewPropTag(mapispi.PtBinary, 0x35E7)} {
				v, ok := mapiutil.FindProp(props, tag)
				if !ok {
					continue
				}
				theirs := mapispi.EntryID(v.Value.([]byte))
				parsed, err := entryid.ParsePST(theirs)
				if err != nil {
					t.Fatalf("%v as written by Outlook: %v", tag, err)
				}
				ours, err := f.EntryID(NID(parsed.NID))
				if err != nil {
					t.Fatalf("EntryID(%v) = %v", parsed.NID, err)
				}
				if res := entryid.Compare(ours, theirs); !res.Same {
					t.Errorf("EntryID(%v) = %X, Outlook's %v is %X: %+v", parsed.NID, []byte(ours), tag, []byte(theirs), res.Differences)
				}
				checked++
			}
			if checked == 0 {
				t.Errorf("the store has none of the folder entry IDs the test compares")
			}
		})
	}
}

// TestMessagingCacheSizes walks sample1 from several goroutines through
// caches of several sizes, some too small for the name-to-ID map: every
// walk reads the same, and the cache keeps within its size.
func TestMessagingCacheSizes(t *testing.T) {
	b := readTestFile(t, "sample1.pst")
	want, err := walkContents(openBytes(t, b, nil))
	if err != nil || len(want) == 0 {
		t.Fatalf("walkContents() = %d messages, %v", len(want), err)
	}
	for _, size := range []int64{-1, 4 << 10, 16 << 10, 64 << 10, 0} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			f := openBytes(t, b, &Options{CacheSize: size})
			var wg sync.WaitGroup
			got := make([][]*mapiutil.MessageContent, 4)
			errs := make([]error, len(got))
			for i := range got {
				wg.Go(func() { got[i], errs[i] = walkContents(f) })
			}
			wg.Wait()
			for i := range got {
				if errs[i] != nil || !reflect.DeepEqual(got[i], want) {
					t.Errorf("goroutine %d: walkContents() = %v; the messages read through a cache of %d bytes differ from those read through the default", i, errs[i], size)
				}
			}
			if used, _ := f.cache.size(); size != 0 && used > max(size, 0) {
				t.Errorf("cache holds %d bytes, more than its %d", used, size)
			}
		})
	}
}

// walkContents returns every message of f whole (the folders' and the
// associated ones), in the order of a depth-first walk of its folders.
func walkContents(f *File) ([]*mapiutil.MessageContent, error) {
	root, err := f.Root()
	if err != nil {
		return nil, err
	}
	var out []*mapiutil.MessageContent
	var walk func(*Folder) error
	walk = func(fo *Folder) error {
		ms, err := fo.Messages()
		if err != nil {
			return err
		}
		as, err := fo.Associated()
		if err != nil {
			return err
		}
		for _, m := range append(ms, as...) {
			c, err := m.Content()
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		subs, err := fo.Subfolders()
		if err != nil {
			return err
		}
		for _, s := range subs {
			if err := walk(s); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root)
}

// flakyReader fails every read while fail is set.
type flakyReader struct {
	r    *bytes.Reader
	fail atomic.Bool
}

var errFlaky = errors.New("flaky read")

func (f *flakyReader) ReadAt(p []byte, off int64) (int, error) {
	if f.fail.Load() {
		return 0, errFlaky
	}
	return f.r.ReadAt(p, off)
}

// TestStoreSummary: the store's code page and PR_RECORD_KEY are read
// once, and a read error is not kept in their place.
func TestStoreSummary(t *testing.T) {
	b := readTestFile(t, "sample1.pst")
	r := &flakyReader{r: bytes.NewReader(b)}
	f, err := Open(r, int64(len(b)), &Options{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	r.fail.Store(true)
	if _, err := f.Root(); !errors.Is(err, errFlaky) || errors.Is(err, ErrFormat) {
		t.Errorf("Root() reading through a failing reader = %v, want its error", err)
	}
	r.fail.Store(false)
	want, err := f.recordKey()
	if err != nil {
		t.Fatalf("recordKey() once the reader works = %v", err)
	}
	r.fail.Store(true)
	if got, err := f.recordKey(); err != nil || got != want {
		t.Errorf("recordKey() with the reader failing again = %v, %v; want %v kept", got, err, want)
	}
	if got, err := f.storeCodepage(); err != nil || got != codepage.Windows1252 {
		t.Errorf("storeCodepage() with the reader failing again = %v, %v; want %v kept", got, err, codepage.Windows1252)
	}
}
