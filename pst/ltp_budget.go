package pst

import "fmt"

// This file bounds what one call decodes of the values that property
// and table contexts store.
//
// A value is stored once: no two properties of a PC, and no two cells
// of a TC, reference the same HID or subnode in a file Outlook writes,
// and the PC and the TC refuse a second reference (propContext.props,
// tableContext.rows). A damaged file can still make one call decode
// the same bytes many times in ways those checks do not see: subnodes
// of different NIDs whose data trees share blocks, or nodes (the
// subfolders one call opens, the attachments of one message) that
// share their heap. A budget, one per call, counts the bytes the call
// decodes and stops it with an error once they pass a multiple of the
// file's size, which no file read as it is stored comes near: so what
// a call allocates for values stays in proportion to the file.

// valueCost is what a budget counts for a value besides its stored
// bytes, so that empty and inline values count too: the size of a PC
// BTH record (wPropId, wPropType, dwValueHnid).
const valueCost = 8

// The budget of a call of the messaging layer: budgetFactor times the
// file's size, and budgetFloor more, so that a small file reads as
// freely as a large one.
const (
	budgetFactor = 4
	budgetFloor  = 1 << 20
)

// budget counts the bytes of stored values one call decodes, up to a
// limit. It belongs to one call, so to one goroutine.
type budget struct {
	limit, used int64
}

// newBudget returns a budget of limit bytes.
func newBudget(limit int64) *budget { return &budget{limit: limit} }

// charge counts a value of node nid stored in n bytes, and returns a
// *FormatError, before anything is allocated for the value, when the
// budget cannot take it.
func (b *budget) charge(nid NID, n int) error {
	cost := int64(n) + valueCost
	if cost > b.limit-b.used {
		return ltpErr(nid, "values decoded in one call would pass the budget of %d bytes (%d decoded): stored values are reached more than once, through subnodes or nodes sharing their blocks", b.limit, b.used)
	}
	b.used += cost
	return nil
}

// hnidName names the value an HNID references, for errors.
func hnidName(hnid uint32) string {
	if isHID(hnid) {
		return "HID " + hid(hnid).String()
	}
	return fmt.Sprintf("subnode %v", NID(hnid))
}
