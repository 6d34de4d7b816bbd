package pst

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// patchNode changes, in the file d that f reads, the data blocks of
// node n: fn gets each block's data decoded and reports whether it
// changed it; a changed block is encoded again and its CRC set.
func patchNode(t *testing.T, f *File, d []byte, n *node, fn func(data []byte) bool) {
	t.Helper()
	bids, _, err := f.dataTree(n.bidData, n.nid)
	if err != nil {
		t.Fatal(err)
	}
	for _, bid := range bids {
		e, err := f.bbtLookup(bid, n.nid)
		if err != nil {
			t.Fatal(err)
		}
		raw := d[e.ib : e.ib+int64(f.l.blockSize(e.cb))]
		data := raw[:e.cb]
		f.crypt.decodeBlock(data, e.bid)
		changed := fn(data)
		f.crypt.encodeBlock(data, e.bid)
		if changed {
			setBlockCRC(f, raw)
		}
	}
}

// replaceIn returns a patchNode function that replaces the one
// occurrence of old in the node's data with repl, and fails t at the
// end of the test unless it met old exactly once.
func replaceIn(t *testing.T, old, repl []byte) func([]byte) bool {
	t.Helper()
	found := 0
	t.Cleanup(func() {
		if found != 1 {
			t.Errorf("the node's data holds %x %d times, want once", old, found)
		}
	})
	return func(data []byte) bool {
		n := bytes.Count(data, old)
		found += n
		if n != 1 {
			return false
		}
		copy(data[bytes.Index(data, old):], repl)
		return true
	}
}

// storedHNID reports whether values of type t are stored at an HNID
// that the test can point elsewhere: variable-size text and binary.
func storedHNID(t mapispi.PropType) bool {
	switch t {
	case mapispi.PtUnicode, mapispi.PtString8, mapispi.PtBinary:
		return true
	}
	return false
}

// wantShared fails t unless err is a *FormatError about node nid whose
// reason names the stored value ref ("HID 0x..." or "subnode 0x...").
func wantShared(t *testing.T, what string, err error, nid NID, ref string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) || fe.NID != nid || !strings.Contains(fe.Reason, ref) {
		t.Errorf("%s = %v; want a *FormatError about node %v naming %s", what, err, nid, ref)
	}
}

// TestMessageSharedHID points a property of a message's property context
// at the HID of another's value: the message's properties are an
// error that names the node and the HID, as is the message whole.
func TestMessageSharedHID(t *testing.T) {
	for _, name := range []string{"sample1", "sample2"} {
		t.Run(name, func(t *testing.T) {
			b := readTestFile(t, name+".pst")
			f := openBytes(t, b, nil)
			folder := "Sample" + name[len(name)-1:]
			m := onlyMessage(t, f, "Top of Outlook data file", folder)
			pc, err := m.pc(testBudget())
			if err != nil {
				t.Fatal(err)
			}
			recs, err := pc.b.records()
			if err != nil {
				t.Fatal(err)
			}
			var shared []bthRecord
			for _, r := range recs {
				hnid := binary.LittleEndian.Uint32(r.data[2:])
				if storedHNID(mapispi.PropType(binary.LittleEndian.Uint16(r.data))) && hnid != 0 && isHID(hnid) {
					shared = append(shared, r)
				}
			}
			if len(shared) < 2 {
				t.Fatalf("message %v has %d values in its heap, want 2", m.NID(), len(shared))
			}
			a, c := shared[0], shared[1]
			old := append(bytes.Clone(c.key), c.data...)
			repl := append(append(bytes.Clone(c.key), c.data[:2]...), a.data[2:6]...)
			d := bytes.Clone(b)
			patchNode(t, f, d, m.n, replaceIn(t, old, repl))

			f = openBytes(t, d, nil)
			m = onlyMessage(t, f, "Top of Outlook data file", folder)
			ref := "HID " + hid(binary.LittleEndian.Uint32(a.data[2:])).String()
			_, err = m.Props()
			wantShared(t, "Props()", err, m.NID(), ref)
			_, err = m.Content()
			wantShared(t, "Content()", err, m.NID(), ref)
		})
	}
}

// TestRecipientsSharedHID points a cell of a message's recipient table at the
// HID of another cell's value in the same row: the recipients are an
// error that names the table's node and the HID.
func TestRecipientsSharedHID(t *testing.T) {
	for _, name := range []string{"sample1", "sample2"} {
		t.Run(name, func(t *testing.T) {
			b := readTestFile(t, name+".pst")
			f := openBytes(t, b, nil)
			folder := "Sample" + name[len(name)-1:]
			m := onlyMessage(t, f, "Top of Outlook data file", folder)
			s, err := m.n.sub(nidRecipientTable)
			if err != nil {
				t.Fatal(err)
			}
			tc, err := m.subTable(nidRecipientTable, 0, testBudget())
			if err != nil {
				t.Fatal(err)
			}
			row := tc.matrix[0][:tc.rgib[tciBM]]
			var cols []tcColumn
			for _, c := range tc.cols {
				cell := binary.LittleEndian.Uint32(row[c.ibData:])
				if storedHNID(c.tag.Type()) && cell != 0 && isHID(cell) {
					cols = append(cols, c)
				}
			}
			if len(cols) < 2 {
				t.Fatalf("recipient table of %v has %d cells in its heap, want 2", m, len(cols))
			}
			a, c := cols[0], cols[1]
			repl := bytes.Clone(row)
			copy(repl[c.ibData:c.ibData+4], row[a.ibData:a.ibData+4])
			d := bytes.Clone(b)
			patchNode(t, f, d, s, replaceIn(t, bytes.Clone(row), repl))

			f = openBytes(t, d, nil)
			m = onlyMessage(t, f, "Top of Outlook data file", folder)
			ref := "HID " + hid(binary.LittleEndian.Uint32(row[a.ibData:])).String()
			_, err = m.Recipients()
			wantShared(t, "Recipients()", err, s.nid, ref)
			_, err = m.Content()
			wantShared(t, "Content()", err, s.nid, ref)
		})
	}
}

// TestHierarchySharedHID points the display name cell of a hierarchy
// table's second row at the HID of the first row's: the table's rows
// are an error, but Subfolders, which reads only the rows' IDs, lists
// the folders as before, by the names in their own property contexts.
func TestHierarchySharedHID(t *testing.T) {
	for _, name := range []string{"sample1", "sample2"} {
		t.Run(name, func(t *testing.T) {
			b := readTestFile(t, name+".pst")
			f := openBytes(t, b, nil)
			top := folderByPath(t, f, "Top of Outlook data file")
			want, err := top.Subfolders()
			if err != nil {
				t.Fatal(err)
			}
			n, err := f.node(withNID(top.NID(), nidTypeHierarchyTable))
			if err != nil {
				t.Fatal(err)
			}
			tc, err := openTC(n, 0, testBudget())
			if err != nil {
				t.Fatal(err)
			}
			size := tc.rgib[tciBM]
			if tc.rowCount() != 2 || len(tc.matrix) != 1 {
				t.Fatalf("hierarchy table of %v has %d rows in %d blocks, want 2 in 1", top, tc.rowCount(), len(tc.matrix))
			}
			row0, row1 := tc.matrix[0][:size], tc.matrix[0][size:2*size]
			col := -1
			for _, c := range tc.cols {
				if c.tag.ID() == mapispi.PropDisplayName.ID() {
					col = c.ibData
				}
			}
			if col < 0 || !isHID(binary.LittleEndian.Uint32(row0[col:])) {
				t.Fatalf("hierarchy table of %v has no display name in its heap", top)
			}
			repl := bytes.Clone(row1)
			copy(repl[col:col+4], row0[col:col+4])
			d := bytes.Clone(b)
			patchNode(t, f, d, n, replaceIn(t, bytes.Clone(row1), repl))

			f = openBytes(t, d, nil)
			if n, err = f.node(n.nid); err == nil {
				tc, err = openTC(n, 0, testBudget())
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = tc.rows()
			wantShared(t, "rows()", err, n.nid, "HID "+hid(binary.LittleEndian.Uint32(row0[col:])).String())
			top = folderByPath(t, f, "Top of Outlook data file")
			got, err := top.Subfolders()
			if err != nil || len(got) != len(want) {
				t.Fatalf("Subfolders() = %v, %v; want %v", got, err, want)
			}
			for i := range got {
				if got[i].String() != want[i].String() {
					t.Errorf("Subfolders()[%d] = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestContentBudget: Message.Content decodes a message whole against one
// budget (exactly what it decodes reads, a byte less is an error), and
// no message of the test files decodes as much as its file's size, a
// quarter of a call's budget.
func TestContentBudget(t *testing.T) {
	for _, tf := range testFiles {
		b := readTestFile(t, tf.name)
		f := openBytes(t, b, nil)
		for _, m := range allMessages(t, f) {
			bud := testBudget()
			if _, err := m.content(map[BID]bool{}, bud); err != nil {
				t.Fatalf("%s: %v.content() = %v", tf.name, m, err)
			}
			if bud.used > int64(len(b)) {
				t.Errorf("%s: %v.content() decoded %d bytes, more than the file's %d", tf.name, m, bud.used, len(b))
			}
			if _, err := m.content(map[BID]bool{}, newBudget(bud.used)); err != nil {
				t.Errorf("%s: %v.content() with a budget of %d bytes = %v, want no error", tf.name, m, bud.used, err)
			}
			_, err := m.content(map[BID]bool{}, newBudget(bud.used-1))
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "budget") {
				t.Errorf("%s: %v.content() with a budget of %d bytes = %v, want a *FormatError about the budget", tf.name, m, bud.used-1, err)
			}
		}
	}
}
