package pst

import (
	"encoding/binary"
	"fmt"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// This file is the table context (TC) of [MS-PST] 2.3.4: a heap-on-node
// with bClientSig bTypeTC whose hidUserRoot is a TCINFO (2.3.4.1): the
// columns (TCOLDESC, 2.3.4.2), the row index (a BTH of TCROWID records,
// 2.3.4.3: dwRowID to dwRowIndex) and the row matrix (2.3.4.4), in the
// heap or in a subnode whose data blocks each hold a whole number of
// rows. A row holds 8- and 4-byte cells, then 2-byte, then 1-byte ones,
// ending at rgib[TCI_4b], [TCI_2b] and [TCI_1b], then the cell existence
// bitmap (CEB) up to rgib[TCI_bm], the row size. A cell of a
// variable-size type, or a fixed one above 8 bytes, holds an HNID.

const tcInfoSize = 22 // bType, cCols, rgib[4], hidRowIndex, hnidRows, hidIndex

// The indexes of TCINFO.rgib ([MS-PST] 2.3.4.1).
const (
	tci4b = iota // end of the 8- and 4-byte cells
	tci2b        // end of the 2-byte cells
	tci1b        // end of the 1-byte cells
	tciBM        // end of the CEB: the row size
)

// tcColumn is a TCOLDESC ([MS-PST] 2.3.4.2).
type tcColumn struct {
	tag    mapispi.PropTag
	ibData int // offset of the cell in the row
	cbData int // size of the cell
	iBit   int // the cell's bit in the CEB
}

// tableContext is a node's table context, read for one call: the
// values of its rows count against the call's budget.
type tableContext struct {
	h        *heapNode
	cp       codepage.ID // the code page of PT_STRING8 values
	bud      *budget
	cols     []tcColumn
	rgib     [4]int
	rowIndex *bth     // nil for a table without one
	matrix   [][]byte // the row matrix, one slice per block
	perBlock int      // rows per block of the matrix
	count    int
}

// cellSize returns the size of a TC cell of type t: the value for a
// fixed-size type of at most 8 bytes, else 4 (an HNID).
func cellSize(t mapispi.PropType) int {
	if n, ok := fixedSize(t); ok && n <= 8 {
		return n
	}
	return 4
}

// openTC reads node n as a table context whose PT_STRING8 values are in
// code page cp, for a call whose budget is bud. It reads the row index
// whole (to count the rows and check each names a row of the matrix),
// not the rows.
func openTC(n nodeData, cp codepage.ID, bud *budget) (*tableContext, error) {
	h, err := openHeap(n)
	if err != nil {
		return nil, err
	}
	nid := h.nid
	if h.clientSig != hnClientTC {
		return nil, ltpErr(nid, "table context: bClientSig is 0x%02X, want bTypeTC (0x7C)", h.clientSig)
	}
	info, err := h.alloc(h.userRoot)
	if err != nil {
		return nil, err
	}
	if len(info) < tcInfoSize {
		return nil, ltpErr(nid, "table context: TCINFO is %d bytes, shorter than %d", len(info), tcInfoSize)
	}
	if info[0] != hnClientTC {
		return nil, ltpErr(nid, "table context: TCINFO bType is 0x%02X, want 0x7C", info[0])
	}
	le := binary.LittleEndian
	cCols := int(info[1])
	if len(info) < tcInfoSize+8*cCols {
		return nil, ltpErr(nid, "table context: TCINFO is %d bytes, too short for its %d columns", len(info), cCols)
	}
	tc := &tableContext{h: h, cp: cp, bud: bud, cols: make([]tcColumn, cCols)}
	for i := range tc.rgib {
		tc.rgib[i] = int(le.Uint16(info[2+2*i:]))
	}
	if err := tc.checkLayout(info[tcInfoSize:]); err != nil {
		return nil, err
	}
	if err := tc.readRowIndex(hid(le.Uint32(info[10:]))); err != nil {
		return nil, err
	}
	if err := tc.readMatrix(le.Uint32(info[14:])); err != nil {
		return nil, err
	}
	return tc, nil
}

// checkLayout reads the TCOLDESCs and checks them and rgib against each
// other: the groups in order, each cell inside its group and of its
// type's size, each bit inside the CEB.
func (tc *tableContext) checkLayout(descs []byte) error {
	nid, r := tc.h.nid, tc.rgib
	bad := func(format string, args ...any) error {
		return ltpErr(nid, "table context: "+format, args...)
	}
	if !(r[tci4b] <= r[tci2b] && r[tci2b] <= r[tci1b] && r[tci1b] <= r[tciBM]) {
		return bad("rgib %v is not in ascending order", r)
	}
	ceb := r[tciBM] - r[tci1b]
	if ceb < (len(tc.cols)+7)/8 {
		return bad("CEB of %d bytes (rgib %v) is too short for %d columns", ceb, r, len(tc.cols))
	}
	le := binary.LittleEndian
	for i := range tc.cols {
		d := descs[8*i:]
		c := tcColumn{tag: mapispi.PropTag(le.Uint32(d)), ibData: int(le.Uint16(d[4:])), cbData: int(d[6]), iBit: int(d[7])}
		tc.cols[i] = c
		t := c.tag.Type()
		if !knownType(t) {
			return bad("column %v has type %v, which [MS-PST] does not list", c.tag, t)
		}
		if want := cellSize(t); c.cbData != want {
			return bad("column %v has cbData %d, want %d for %v", c.tag, c.cbData, want, t)
		}
		lo, hi := 0, r[tci4b]
		switch c.cbData {
		case 0:
			lo, hi = 0, r[tci1b]
		case 2:
			lo, hi = r[tci4b], r[tci2b]
		case 1:
			lo, hi = r[tci2b], r[tci1b]
		}
		if c.ibData < lo || c.ibData+c.cbData > hi {
			return bad("column %v (ibData %d, cbData %d) lies outside its group [%d, %d) of rgib %v", c.tag, c.ibData, c.cbData, lo, hi, r)
		}
		if c.iBit >= 8*ceb {
			return bad("column %v has iBit %d, past the %d-byte CEB", c.tag, c.iBit, ceb)
		}
	}
	return nil
}

// readRowIndex opens the row index and counts the rows.
func (tc *tableContext) readRowIndex(at hid) error {
	if at == 0 {
		return nil
	}
	b, err := tc.h.openBTH(at)
	if err != nil {
		return err
	}
	if b.keySize != 4 || (b.entSize != 4 && b.entSize != 2) {
		return ltpErr(tc.h.nid, "table context: row index BTH has cbKey %d and cbEnt %d, want 4 and 4 (2 in ANSI files)", b.keySize, b.entSize)
	}
	recs, err := b.records()
	if err != nil {
		return err
	}
	for _, r := range recs {
		if idx := rowIndexValue(r.data); idx >= uint32(len(recs)) {
			return ltpErr(tc.h.nid, "table context: row ID 0x%X has row index %d, past the %d rows", binary.LittleEndian.Uint32(r.key), idx, len(recs))
		}
	}
	tc.rowIndex, tc.count = b, len(recs)
	return nil
}

// rowIndexValue decodes a TCROWID's dwRowIndex (4 bytes, 2 in ANSI).
func rowIndexValue(data []byte) uint32 {
	if len(data) == 2 {
		return uint32(binary.LittleEndian.Uint16(data))
	}
	return binary.LittleEndian.Uint32(data)
}

// readMatrix finds the row matrix and checks it holds every row.
//
// [MS-PST] 2.3.4.4.1 puts Floor((sizeof(block) - sizeof(BLOCKTRAILER)) /
// rgib[TCI_bm]) rows in each block. The LTP layer does not know the
// file's format, hence the trailer's size, so it takes the rows per
// block from the first block's size when there are several: a block
// that is not the last is full, so both give the same count.
func (tc *tableContext) readMatrix(hnid uint32) error {
	nid, size := tc.h.nid, tc.rgib[tciBM]
	switch {
	case hnid == 0:
	case isHID(hnid):
		b, err := tc.h.alloc(hid(hnid))
		if err != nil {
			return err
		}
		tc.matrix = [][]byte{b}
	default:
		blocks, err := tc.h.subnodeBlocks(NID(hnid))
		if err != nil {
			return err
		}
		tc.matrix = blocks
	}
	capacity := 0
	if size > 0 && len(tc.matrix) > 0 {
		tc.perBlock = len(tc.matrix[0]) / size
		last := len(tc.matrix) - 1
		for i, b := range tc.matrix[:last] {
			if len(b)/size != tc.perBlock || tc.perBlock == 0 {
				return ltpErr(nid, "table context: row matrix block %d holds %d rows, want %d as in block 0", i, len(b)/size, tc.perBlock)
			}
		}
		capacity = tc.perBlock*last + len(tc.matrix[last])/size
	}
	if tc.count > capacity {
		return ltpErr(nid, "table context: the row index has %d rows, the row matrix (%d-byte rows) holds %d", tc.count, size, capacity)
	}
	return nil
}

// rowCount returns the number of rows: the entries of the row index.
func (tc *tableContext) rowCount() int { return tc.count }

// columns returns the table's columns, in TCINFO order. The slice is
// the table's own.
func (tc *tableContext) columns() []tcColumn { return tc.cols }

// row returns row i (0 <= i < rowCount), one value per column in column
// order; a cell the CEB marks absent is a PT_ERROR value
// MAPI_E_NOT_FOUND, as a MAPI table gives it. Two cells of the row that
// reference the same HID or subnode are an error, as in rows.
func (tc *tableContext) row(i int) ([]mapispi.PropValue, error) {
	return tc.readRow(i, nil)
}

// rows returns every row, in table order, as row gives them. Each value
// is decoded once: two cells that reference the same HID or subnode, in
// one row or in two, are an error (a value is stored for one cell), so
// that a small table cannot decode into many copies of one large value.
func (tc *tableContext) rows() ([][]mapispi.PropValue, error) {
	out := make([][]mapispi.PropValue, tc.count)
	seen := map[uint32]tcCellAt{}
	for i := range out {
		r, err := tc.readRow(i, seen)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// tcCellAt is a cell of a table: its row and its column's tag.
type tcCellAt struct {
	row int
	tag mapispi.PropTag
}

// rowBytes returns the bytes of row i (0 <= i < rowCount) and its CEB.
func (tc *tableContext) rowBytes(i int) (r, ceb []byte) {
	size := tc.rgib[tciBM]
	off := (i % tc.perBlock) * size
	r = tc.matrix[i/tc.perBlock][off : off+size]
	return r, r[tc.rgib[tci1b]:]
}

// present reports whether the CEB ceb marks column c's cell present.
func present(ceb []byte, c tcColumn) bool { return ceb[c.iBit/8]&(0x80>>(c.iBit%8)) != 0 }

// readRow is row, recording in seen the HNIDs of the cells it decodes
// and refusing one already there; a nil seen is a new one for the row.
func (tc *tableContext) readRow(i int, seen map[uint32]tcCellAt) ([]mapispi.PropValue, error) {
	if i < 0 || i >= tc.count {
		return nil, fmt.Errorf("pst: row %d of a table of %d rows", i, tc.count)
	}
	r, ceb := tc.rowBytes(i)
	out := make([]mapispi.PropValue, len(tc.cols))
	for k, c := range tc.cols {
		if !present(ceb, c) {
			if err := tc.bud.charge(tc.h.nid, 0); err != nil {
				return nil, err
			}
			out[k] = mapispi.ErrorValue(c.tag, mapispi.ErrNotFound)
			continue
		}
		b := r[c.ibData : c.ibData+c.cbData]
		if n, ok := fixedSize(c.tag.Type()); ok && n <= 8 {
			if err := tc.bud.charge(tc.h.nid, n); err != nil {
				return nil, err
			}
			v, err := decodeValue(tc.h.nid, c.tag, b, tc.cp, false)
			if err != nil {
				return nil, err
			}
			out[k] = v
			continue
		}
		hnid := binary.LittleEndian.Uint32(b)
		if hnid != 0 {
			if seen == nil {
				seen = map[uint32]tcCellAt{}
			}
			if prev, dup := seen[hnid]; dup {
				return nil, ltpErr(tc.h.nid, "table context: the %v cell of row %d references %s, as the %v cell of row %d does (a value is stored for one cell)", c.tag, i, hnidName(hnid), prev.tag, prev.row)
			}
			seen[hnid] = tcCellAt{row: i, tag: c.tag}
		}
		v, err := tc.h.storedValue(c.tag, hnid, tc.cp, tc.bud)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// fixedCell returns the value of row i's cell in column k, whose type
// must be fixed-size and at most 8 bytes, so held in the row, and
// false when the CEB marks the cell absent. Reading no HNID, it is
// not counted against the budget.
func (tc *tableContext) fixedCell(i, k int) (mapispi.PropValue, bool, error) {
	if i < 0 || i >= tc.count {
		return mapispi.PropValue{}, false, fmt.Errorf("pst: row %d of a table of %d rows", i, tc.count)
	}
	c := tc.cols[k]
	if n, ok := fixedSize(c.tag.Type()); !ok || n > 8 {
		return mapispi.PropValue{}, false, fmt.Errorf("pst: column %v is not held in the row", c.tag)
	}
	r, ceb := tc.rowBytes(i)
	if !present(ceb, c) {
		return mapispi.PropValue{}, false, nil
	}
	v, err := decodeValue(tc.h.nid, c.tag, r[c.ibData:c.ibData+c.cbData], tc.cp, false)
	return v, err == nil, err
}

// rowIndexOf returns the index of the row with row ID id (its
// PidTagLtpRowId), and false if the table has none.
func (tc *tableContext) rowIndexOf(id uint32) (int, bool, error) {
	if tc.rowIndex == nil {
		return 0, false, nil
	}
	var key [4]byte
	binary.LittleEndian.PutUint32(key[:], id)
	data, ok, err := tc.rowIndex.lookup(key[:])
	if err != nil || !ok {
		return 0, false, err
	}
	idx := rowIndexValue(data)
	if idx >= uint32(tc.count) {
		return 0, false, ltpErr(tc.h.nid, "table context: row ID 0x%X has row index %d, past the %d rows", id, idx, tc.count)
	}
	return int(idx), true, nil
}

// rowByID returns the row with row ID id, and false if there is none.
func (tc *tableContext) rowByID(id uint32) ([]mapispi.PropValue, bool, error) {
	i, ok, err := tc.rowIndexOf(id)
	if err != nil || !ok {
		return nil, false, err
	}
	r, err := tc.row(i)
	return r, err == nil, err
}
