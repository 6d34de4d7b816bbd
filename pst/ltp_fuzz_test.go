package pst

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// The fuzz targets read a fake node decoded from the input
// (decodeFakeNode): no panic, no hang, every error a *FormatError about
// the node, and the paths that must agree do.

// checkLTPError fails t unless err is nil or a *FormatError about testNID.
func checkLTPError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var fe *FormatError
	if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) || fe.NID != testNID {
		t.Fatalf("error %v (%T) is not a *FormatError about node %v", err, err, testNID)
	}
}

// seedLTP adds the nodes the tests lay out to f's corpus.
func seedLTP(f *testing.F) {
	f.Add(buildPC(pcAllType, 100).encode())
	f.Add(buildPC(pcAllType, 4).encode())
	f.Add(buildTC(false, nil).encode())
	f.Add(buildTC(true, nil).encode())
	h := newLTPHeap()
	hdr := h.addBTH(4, 2, bthRecs(40), 4)
	f.Add((&ltpFakeNode{nid: testNID, data: h.build(hnClientBTH, hdr)}).encode())
	// A PC whose 64 properties reference one value.
	h = newLTPHeap()
	v := uint32(h.add(make([]byte, 2048)))
	var recs []bthRecord
	for i := range 64 {
		recs = append(recs, pcRecord(uint16(0x6600+i), mapispi.PtBinary, v))
	}
	f.Add(pcOfRecords(h, recs, nil).encode())
}

func FuzzHN(f *testing.F) {
	seedLTP(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		n := decodeFakeNode(testNID, in)
		h, err := openHeap(n)
		checkLTPError(t, err)
		if err != nil {
			return
		}
		for p := range h.pages {
			rgib, err := h.pageMap(p)
			checkLTPError(t, err)
			for k := 1; k < len(rgib)/2; k++ {
				_, err := h.alloc(hid(p<<16 | k<<5))
				checkLTPError(t, err)
			}
		}
		for sub := range n.subs {
			_, err := h.storedValue(mapispi.NewPropTag(mapispi.PtBinary, 0x6600), uint32(sub), 0, testBudget())
			checkLTPError(t, err)
		}
		b, err := h.openBTH(h.userRoot)
		checkLTPError(t, err)
		if err != nil {
			return
		}
		recs, err := b.records()
		checkLTPError(t, err)
		for i, r := range recs {
			if i > 0 && compareKeys(recs[i-1].key, r.key) >= 0 {
				t.Fatalf("records() keys not ascending at %d", i)
			}
			d, ok, err := b.lookup(r.key)
			if err != nil || !ok || !bytes.Equal(d, r.data) {
				t.Fatalf("lookup(%x) = %x, %v, %v; records() has %x", r.key, d, ok, err, r.data)
			}
		}
	})
}

func FuzzPC(f *testing.F) {
	seedLTP(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, cp := range []codepage.ID{codepage.Windows1252, 932} {
			bud := fuzzBudget(in)
			pc, err := openPC(decodeFakeNode(testNID, in), cp, bud)
			checkLTPError(t, err)
			if err != nil {
				return
			}
			tags, err := pc.tags()
			checkLTPError(t, err)
			all, err := pc.props()
			checkLTPError(t, err)
			checkDecodedSize(t, "props()", bud, all)
			if err == nil && len(all) != len(tags) {
				t.Fatalf("props() = %d values, tags() = %d tags", len(all), len(tags))
			}
			// The lookups read a PC of their own, whose budget is not
			// reached: props() took this one's.
			if pc, err = openPC(decodeFakeNode(testNID, in), cp, testBudget()); err != nil {
				t.Fatalf("openPC a second time = %v", err)
			}
			for i, v := range all {
				if v.Tag != tags[i] {
					t.Fatalf("props()[%d] is %v, tags()[%d] %v", i, v.Tag, i, tags[i])
				}
				if bt := v.Tag.Type(); bt != ptRestriction && bt != ptRuleAction {
					if err := v.Check(); err != nil {
						t.Fatalf("props()[%d]: %v", i, err)
					}
				}
				one, ok, err := pc.prop(v.Tag.ID())
				if err != nil || !ok || fmt.Sprintf("%#v", one) != fmt.Sprintf("%#v", v) {
					t.Fatalf("prop(0x%04X) = %#v, %v, %v; props() has %#v", v.Tag.ID(), one, ok, err, v)
				}
			}
			for _, tag := range tags {
				_, _, err := pc.prop(tag.ID())
				checkLTPError(t, err)
			}
		}
	})
}

func FuzzTC(f *testing.F) {
	seedLTP(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		bud := fuzzBudget(in)
		tc, err := openTC(decodeFakeNode(testNID, in), codepage.Windows1252, bud)
		checkLTPError(t, err)
		if err != nil {
			return
		}
		all, err := tc.rows()
		checkLTPError(t, err)
		for _, r := range all {
			checkDecodedSize(t, "rows()", bud, r)
		}
		// Row by row, a value two rows share reads; the rows read a TC
		// of their own, whose budget is not reached.
		tc, err = openTC(decodeFakeNode(testNID, in), codepage.Windows1252, testBudget())
		if err != nil {
			t.Fatalf("openTC a second time = %v", err)
		}
		rows := make([][]mapispi.PropValue, tc.rowCount())
		for i := range rows {
			rows[i], err = tc.row(i)
			checkLTPError(t, err)
			if len(rows[i]) != 0 && len(rows[i]) != len(tc.columns()) {
				t.Fatalf("row(%d) has %d values for %d columns", i, len(rows[i]), len(tc.columns()))
			}
			for _, v := range rows[i] {
				if bt := v.Tag.Type(); bt != ptRestriction && bt != ptRuleAction {
					if err := v.Check(); err != nil {
						t.Fatalf("row(%d): %v", i, err)
					}
				}
			}
		}
		if all != nil && fmt.Sprintf("%#v", all) != fmt.Sprintf("%#v", rows) {
			t.Fatalf("rows() = %#v, row by row %#v", all, rows)
		}
		if tc.rowIndex == nil {
			return
		}
		recs, err := tc.rowIndex.records()
		if err != nil {
			t.Fatalf("row index records() = %v after openTC read them", err)
		}
		for _, r := range recs {
			i, ok, err := tc.rowIndexOf(leUint32(r.key))
			if err != nil || !ok || uint32(i) != rowIndexValue(r.data) {
				t.Fatalf("rowIndexOf(%x) = %d, %v, %v, want %d", r.key, i, ok, err, rowIndexValue(r.data))
			}
			got, ok, err := tc.rowByID(leUint32(r.key))
			checkLTPError(t, err)
			if err == nil && (!ok || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", rows[i])) {
				t.Fatalf("rowByID(%x) = %#v, want row(%d) %#v", r.key, got, i, rows[i])
			}
		}
	})
}

// fuzzBudget returns the budget of a read of the node decoded from in:
// budgetFactor times in's size, as a File gives a call in proportion to
// the file's.
func fuzzBudget(in []byte) *budget { return newBudget(budgetFactor * int64(len(in))) }

// checkDecodedSize fails t if the values vs (some of what was read
// against bud so far) take more memory than 8 times bud's limit: a
// value takes at most 7 times what the budget counts for it (its
// PropValue 3 times valueCost, text 3 bytes of UTF-8 for each byte
// stored, multi-valued items a slice header for each 4-byte offset).
func checkDecodedSize(t *testing.T, what string, bud *budget, vs []mapispi.PropValue) {
	t.Helper()
	n := int64(0)
	for _, v := range vs {
		n += int64(reflect.TypeOf(v).Size()) + int64(memSize(reflect.ValueOf(v.Value)))
	}
	if n > 8*bud.limit {
		t.Fatalf("%s decoded values of %d bytes with a budget of %d", what, n, bud.limit)
	}
}

// memSize estimates the memory a decoded value takes beyond its own
// size: the bytes of a string, the elements of a slice.
func memSize(v reflect.Value) int {
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Slice:
		n := v.Len() * int(v.Type().Elem().Size())
		for i := range v.Len() {
			n += memSize(v.Index(i))
		}
		return n
	}
	return 0
}

func leUint32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
