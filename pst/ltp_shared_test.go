package pst

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// pcOfRecords lays out a PC whose BTH holds recs (sorted) over the heap
// h, and whose subnodes are subs.
func pcOfRecords(h *ltpHeap, recs []bthRecord, subs map[NID]*ltpFakeNode) *ltpFakeNode {
	return &ltpFakeNode{nid: testNID, data: h.build(hnClientPC, h.addBTH(2, 6, recs, 10)), subs: subs}
}

// pcRecord is the PC BTH record of property id of type t at dw.
func pcRecord(id uint16, t mapispi.PropType, dw uint32) bthRecord {
	return bthRecord{key: le16(id), data: append(le16(uint16(t)), le32(dw)...)}
}

// wantReason fails t unless err is a *FormatError about testNID whose
// reason holds each of parts.
func wantReason(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) || fe.NID != testNID {
		t.Errorf("%s = %v, want a *FormatError about node %v", what, err, testNID)
		return
	}
	for _, p := range parts {
		if !strings.Contains(fe.Reason, p) {
			t.Errorf("%s = %v, want a reason naming %q", what, err, p)
		}
	}
}

// TestPCSharedValue: two properties of a PC that reference one HID, or
// one subnode, are an error of props, which names both properties and
// the HID or subnode; each property alone still reads.
func TestPCSharedValue(t *testing.T) {
	const sub NID = 0x3F
	long := utf16le(longText)
	for _, tt := range []struct {
		name string
		node func() *ltpFakeNode
		ref  string
		want any
	}{
		{"HID", func() *ltpFakeNode {
			h := newLTPHeap()
			v := uint32(h.add(utf16le("shared")))
			return pcOfRecords(h, []bthRecord{pcRecord(0x0037, mapispi.PtUnicode, v), pcRecord(0x1000, mapispi.PtUnicode, v)}, nil)
		}, "HID 0x20", "shared"},
		{"subnode", func() *ltpFakeNode {
			n := pcOfRecords(newLTPHeap(), []bthRecord{pcRecord(0x0037, mapispi.PtUnicode, uint32(sub)), pcRecord(0x1000, mapispi.PtUnicode, uint32(sub))}, nil)
			n.addSub(sub, long[:len(long)/2], long[len(long)/2:])
			return n
		}, "subnode 0x3F", longText},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pc, err := openPC(tt.node(), codepage.Windows1252, testBudget())
			if err != nil {
				t.Fatal(err)
			}
			_, err = pc.props()
			wantReason(t, "props()", err, "0x0037", "0x1000", tt.ref)
			for _, id := range []uint16{0x0037, 0x1000} {
				if v, ok, err := pc.prop(id); err != nil || !ok || v.Value != tt.want {
					t.Errorf("prop(0x%04X) = %.20v, %v, %v; want %.20q", id, v.Value, ok, err, tt.want)
				}
			}
		})
	}
}

// TestTCSharedValue: two cells of a TC, in two rows, that reference one
// HID are an error of rows, which names both cells and the HID; each row
// alone still reads.
func TestTCSharedValue(t *testing.T) {
	for _, inHeap := range []bool{false, true} {
		n := buildTC(inHeap, func(info []byte, blocks [][]byte) [][]byte {
			// Row 4's subject takes row 0's HID.
			row4 := blocks[len(blocks)-1][len(blocks[len(blocks)-1])-tcTestRowSize:]
			copy(row4[4:8], blocks[0][4:8])
			return blocks
		})
		tc, err := openTC(n, codepage.Windows1252, testBudget())
		if err != nil {
			t.Fatal(err)
		}
		ref := "HID " + hid(binary.LittleEndian.Uint32(tc.matrix[0][4:])).String()
		rows, err := tc.rows()
		wantReason(t, "rows()", err, "row 0", "row 4", ref)
		if rows != nil {
			t.Errorf("rows() = %d rows with its error, want none", len(rows))
		}
		for _, i := range []int{0, 4} {
			if r, err := tc.row(i); err != nil || r[1].Value != tcTestSubjects[0] {
				t.Errorf("matrix in heap %v: row(%d) = %v, %v; want subject %q", inHeap, i, r, err, tcTestSubjects[0])
			}
		}
	}
	// Unchanged, the rows read as row gives them.
	tc, err := openTC(buildTC(false, nil), codepage.Windows1252, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := tc.rows()
	if err != nil || len(rows) != len(tcTestIDs) {
		t.Fatalf("rows() = %d rows, %v; want %d", len(rows), err, len(tcTestIDs))
	}
	for i, r := range rows {
		if want := tcWant(i); !reflect.DeepEqual(r, want) {
			t.Errorf("rows()[%d] = %v, want %v", i, r, want)
		}
	}
}

// TestPCBudget: properties at distinct subnodes whose data is one block,
// which the checks of HNIDs cannot see, stop at the call's budget with
// an error.
func TestPCBudget(t *testing.T) {
	block := make([]byte, 4096)
	n := &ltpFakeNode{nid: testNID}
	var recs []bthRecord
	for i := range 100 {
		nid := NID(0x1F | (i+1)<<5)
		n.addSub(nid, block)
		recs = append(recs, pcRecord(uint16(0x6600+i), mapispi.PtBinary, uint32(nid)))
	}
	h := newLTPHeap()
	n.data = h.build(hnClientPC, h.addBTH(2, 6, recs, 10))
	stored := len(block)
	for _, p := range n.data {
		stored += len(p)
	}
	bud := newBudget(budgetFactor * int64(stored))
	pc, err := openPC(n, 0, bud)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pc.props()
	wantReason(t, "props()", err, "budget")
	if bud.used > bud.limit {
		t.Errorf("props() decoded %d bytes of a budget of %d", bud.used, bud.limit)
	}
	pc, err = openPC(n, 0, newBudget(int64(len(recs)*(len(block)+valueCost))))
	if err != nil {
		t.Fatal(err)
	}
	if all, err := pc.props(); err != nil || len(all) != len(recs) {
		t.Errorf("props() with a budget for each value = %d values, %v; want %d", len(all), err, len(recs))
	}
}

// TestBudgetExact reads a PC and a TC with a budget of exactly what
// they decode, then of one byte less: the first reads, the second is
// an error.
func TestBudgetExact(t *testing.T) {
	for _, tt := range []struct {
		name string
		read func(*budget) error
	}{
		{"PC", func(bud *budget) error {
			pc, err := openPC(buildPC(pcAllType, 4), codepage.Windows1252, bud)
			if err == nil {
				_, err = pc.props()
			}
			return err
		}},
		{"TC", func(bud *budget) error {
			tc, err := openTC(buildTC(false, nil), codepage.Windows1252, bud)
			if err == nil {
				_, err = tc.rows()
			}
			return err
		}},
	} {
		bud := testBudget()
		if err := tt.read(bud); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := tt.read(newBudget(bud.used)); err != nil {
			t.Errorf("%s with a budget of %d bytes = %v, want no error", tt.name, bud.used, err)
		}
		wantReason(t, tt.name+" with a byte less", tt.read(newBudget(bud.used-1)), "budget")
	}
}
