package pst

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The test TC's columns ([MS-PST] 2.3.4.2): a 4-byte group (the row ID
// and the subject's HNID), a 2-byte group, a 1-byte group, then the CEB.
var tcTestCols = []tcColumn{
	{tag: 0x67F20003, ibData: 0, cbData: 4, iBit: 0},                                    // PidTagLtpRowId
	{tag: mapispi.NewPropTag(mapispi.PtUnicode, 0x0037), ibData: 4, cbData: 4, iBit: 1}, // PR_SUBJECT
	{tag: mapispi.NewPropTag(mapispi.PtI2, 0x6601), ibData: 8, cbData: 2, iBit: 2},
	{tag: mapispi.NewPropTag(mapispi.PtBoolean, 0x0E1B), ibData: 10, cbData: 1, iBit: 3}, // PR_HASATTACH
}

const (
	tcTestRowSize = 12
	tcSubjectNID  = NID(0x3F) // the subnode holding row 1's subject
	tcMatrixNID   = NID(0x5F) // the subnode holding the row matrix
)

var (
	tcTestIDs      = []uint32{0x50, 0x10, 0x40, 0x20, 0x30} // row IDs, in row order
	tcLongSubject  = strings.Repeat("a subject too long for the heap ", 200)
	tcTestSubjects = []string{"Eins", tcLongSubject, "", "", "Fünf"}
)

// tcWant returns row i as the test TC must give it.
func tcWant(i int) []mapispi.PropValue {
	subject := mapispi.PropValue{Tag: tcTestCols[1].tag, Value: tcTestSubjects[i]}
	if i == 2 { // the missing cell
		subject = mapispi.ErrorValue(tcTestCols[1].tag, mapispi.ErrNotFound)
	}
	return []mapispi.PropValue{
		{Tag: tcTestCols[0].tag, Value: int32(tcTestIDs[i])},
		subject,
		{Tag: tcTestCols[2].tag, Value: int16(100*i - 1)},
		{Tag: tcTestCols[3].tag, Value: i%2 == 0},
	}
}

// buildTC lays out the test TC ([MS-PST] 2.3.4): five rows, the row
// matrix in the heap or in a subnode of two blocks (three rows and some
// slack, then two rows). alter, if not nil, changes the TCINFO and the
// matrix blocks before they are placed.
func buildTC(matrixInHeap bool, alter func(info []byte, blocks [][]byte) [][]byte) *ltpFakeNode {
	n := &ltpFakeNode{nid: testNID}
	h := newLTPHeap()
	rows := make([][]byte, len(tcTestIDs))
	for i, id := range tcTestIDs {
		r := make([]byte, tcTestRowSize)
		binary.LittleEndian.PutUint32(r, id)
		var hnid uint32
		switch i {
		case 0, 4:
			hnid = uint32(h.add(utf16le(tcTestSubjects[i])))
		case 1:
			s := utf16le(tcLongSubject)
			n.addSub(tcSubjectNID, s[:100], s[100:])
			hnid = uint32(tcSubjectNID)
		}
		binary.LittleEndian.PutUint32(r[4:], hnid)
		binary.LittleEndian.PutUint16(r[8:], uint16(100*i-1))
		if i%2 == 0 {
			r[10] = 1
		}
		r[11] = 0xF0 // CEB: every column's bit, MSB first
		if i == 2 {
			r[11] &^= 0x80 >> 1 // the subject is missing
		}
		rows[i] = r
	}
	var blocks [][]byte
	if matrixInHeap {
		blocks = [][]byte{append(append(append([]byte{}, rows[0]...), rows[1]...), append(append(append([]byte{}, rows[2]...), rows[3]...), rows[4]...)...)}
	} else {
		b0 := append(append(append([]byte{}, rows[0]...), rows[1]...), rows[2]...)
		b0 = append(b0, 0, 0, 0, 0, 0) // slack short of a row
		b1 := append(append([]byte{}, rows[3]...), rows[4]...)
		blocks = [][]byte{b0, b1}
	}
	// The row index: row ID to row index, by row ID.
	recs := make([]bthRecord, len(tcTestIDs))
	for i, id := range tcTestIDs {
		recs[i] = bthRecord{key: le32(id), data: le32(uint32(i))}
	}
	sortRecs(recs)
	rowIndex := h.addBTH(4, 4, recs, 2) // two intermediate levels

	info := []byte{hnClientTC, byte(len(tcTestCols))}
	info = append(info, le16(8)...)  // TCI_4b
	info = append(info, le16(10)...) // TCI_2b
	info = append(info, le16(11)...) // TCI_1b
	info = append(info, le16(12)...) // TCI_bm
	info = append(info, le32(uint32(rowIndex))...)
	info = append(info, le32(0)...) // hnidRows, below
	info = append(info, le32(0)...) // hidIndex, deprecated
	for _, c := range tcTestCols {
		info = append(info, le32(uint32(c.tag))...)
		info = append(info, le16(uint16(c.ibData))...)
		info = append(info, byte(c.cbData), byte(c.iBit))
	}
	if alter != nil {
		blocks = alter(info, blocks)
	}
	if binary.LittleEndian.Uint32(info[14:]) == 0 {
		if matrixInHeap {
			binary.LittleEndian.PutUint32(info[14:], uint32(h.add(blocks[0])))
		} else {
			n.addSub(tcMatrixNID, blocks...)
			binary.LittleEndian.PutUint32(info[14:], uint32(tcMatrixNID))
		}
	}
	n.data = h.build(hnClientTC, h.add(info))
	return n
}

func TestTC(t *testing.T) {
	for _, tt := range []struct {
		name   string
		inHeap bool
	}{
		{"row matrix in a subnode of two blocks", false},
		{"row matrix in the heap", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tc, err := openTC(buildTC(tt.inHeap, nil), codepage.Windows1252, testBudget())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tc.columns(), tcTestCols) {
				t.Errorf("columns() = %+v, want %+v", tc.columns(), tcTestCols)
			}
			if tc.rowCount() != len(tcTestIDs) {
				t.Fatalf("rowCount() = %d, want %d", tc.rowCount(), len(tcTestIDs))
			}
			for i, id := range tcTestIDs {
				want := tcWant(i)
				got, err := tc.row(i)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("row(%d) = %v, %v, want %v", i, got, err, want)
				}
				got, ok, err := tc.rowByID(id)
				if err != nil || !ok || !reflect.DeepEqual(got, want) {
					t.Errorf("rowByID(0x%X) = %v, %v, %v, want %v", id, got, ok, err, want)
				}
				for _, v := range want {
					if err := v.Check(); err != nil {
						t.Errorf("row(%d): %v", i, err)
					}
				}
			}
			if _, ok, err := tc.rowByID(0x11); ok || err != nil {
				t.Errorf("rowByID(0x11) = %v, %v, want none", ok, err)
			}
			if _, err := tc.row(len(tcTestIDs)); err == nil {
				t.Errorf("row(%d) succeeded past the last row", len(tcTestIDs))
			}
		})
	}
}

func TestTCEmpty(t *testing.T) {
	n := buildTC(true, func(info []byte, blocks [][]byte) [][]byte {
		binary.LittleEndian.PutUint32(info[10:], 0) // no row index
		return blocks
	})
	tc, err := openTC(n, 0, testBudget())
	if err != nil || tc.rowCount() != 0 {
		t.Fatalf("openTC without a row index = %v, want 0 rows", err)
	}
	if _, ok, err := tc.rowByID(tcTestIDs[0]); ok || err != nil {
		t.Errorf("rowByID in a table without rows = %v, %v, want none", ok, err)
	}
}

func TestTCErrors(t *testing.T) {
	u16 := func(off int, v uint16) func([]byte, [][]byte) [][]byte {
		return func(info []byte, b [][]byte) [][]byte { binary.LittleEndian.PutUint16(info[off:], v); return b }
	}
	col := func(i, field int, v byte) func([]byte, [][]byte) [][]byte {
		return func(info []byte, b [][]byte) [][]byte { info[tcInfoSize+8*i+field] = v; return b }
	}
	for _, tt := range []struct {
		name  string
		alter func([]byte, [][]byte) [][]byte
		node  func() *ltpFakeNode
	}{
		{name: "bClientSig not bTypeTC", node: func() *ltpFakeNode { n := buildTC(false, nil); n.data[0][3] = hnClientPC; return n }},
		{name: "TCINFO bType", alter: func(info []byte, b [][]byte) [][]byte { info[0] = 0x7D; return b }},
		{name: "cCols past the TCINFO", alter: func(info []byte, b [][]byte) [][]byte { info[1] = 40; return b }},
		{name: "rgib not ascending", alter: u16(4, 6)},                   // TCI_2b below TCI_4b
		{name: "CEB too short for the columns", alter: u16(8, 11)},       // TCI_bm = TCI_1b
		{name: "2-byte column in the 4-byte group", alter: col(2, 4, 2)}, // ibData 2
		{name: "4-byte column past TCI_4b", alter: col(1, 4, 6)},         // ibData 6
		{name: "cbData wrong for the type", alter: col(3, 6, 4)},
		{name: "iBit past the CEB", alter: col(3, 7, 8)},
		{name: "column type [MS-PST] does not list", alter: col(0, 0, 0x33)},
		{name: "row matrix shorter than the row index", alter: func(info []byte, b [][]byte) [][]byte { return b[:1] }},
		{name: "row matrix block 0 with fewer rows than block 1", alter: func(info []byte, b [][]byte) [][]byte {
			return [][]byte{b[0][:tcTestRowSize], b[0][tcTestRowSize : 3*tcTestRowSize], b[1]}
		}},
		{name: "row matrix in a subnode the node lacks", node: func() *ltpFakeNode {
			n := buildTC(false, nil)
			delete(n.subs, tcMatrixNID)
			return n
		}},
		{name: "row index with cbEnt 8", node: func() *ltpFakeNode {
			n := buildTC(false, nil)
			h, _ := openHeap(n)
			info, _ := h.alloc(h.userRoot)
			hdr, _ := h.alloc(hid(binary.LittleEndian.Uint32(info[10:])))
			hdr[2] = 8
			return n
		}},
		{name: "row index past the rows", node: func() *ltpFakeNode {
			n := buildTC(false, nil)
			h, _ := openHeap(n)
			info, _ := h.alloc(h.userRoot)
			b, _ := h.openBTH(hid(binary.LittleEndian.Uint32(info[10:])))
			recs, _ := b.records()
			binary.LittleEndian.PutUint32(recs[0].data, 9)
			return n
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.node
			if n == nil {
				n = func() *ltpFakeNode { return buildTC(false, tt.alter) }
			}
			_, err := openTC(n(), 0, testBudget())
			wantFormatError(t, err, testNID)
		})
	}
}

// TestTCBadCell reads a row whose subject HNID is past the page map.
func TestTCBadCell(t *testing.T) {
	tc, err := openTC(buildTC(false, func(info []byte, b [][]byte) [][]byte {
		binary.LittleEndian.PutUint32(b[0][4:], 30<<5)
		return b
	}), 0, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	_, err = tc.row(0)
	wantFormatError(t, err, testNID)
	_, _, err = tc.rowByID(tcTestIDs[0])
	wantFormatError(t, err, testNID)
	if _, err := tc.row(1); err != nil {
		t.Errorf("row(1) = %v, want no error", err)
	}
}
