package pst

import (
	"errors"
	"fmt"
	"strings"
)

// NID is a node ID ([MS-PST] 2.2.2.1): the node's type in its low 5
// bits, its index above them.
type NID uint32

// Type returns the NID_TYPE of the node ([MS-PST] 2.2.2.1).
func (n NID) Type() uint8 { return uint8(n & 0x1F) }

// Index returns the nidIndex.
func (n NID) Index() uint32 { return uint32(n) >> 5 }

// String returns the NID in hex, as [MS-PST] writes them ("0x21").
func (n NID) String() string { return fmt.Sprintf("0x%X", uint32(n)) }

// BID is a block ID ([MS-PST] 2.2.2.2); in an ANSI file only its low 32
// bits are used.
type BID uint64

// String returns the BID in hex.
func (b BID) String() string { return fmt.Sprintf("0x%X", uint64(b)) }

// ErrFormat is what every error about a damaged or foreign file wraps.
var ErrFormat = errors.New("pst: not a valid PST file")

// FormatError says what is wrong with a file and where: the byte offset,
// the node and the block concerned, when known.
type FormatError struct {
	Offset int64 // -1 when not known
	NID    NID   // 0 when not concerned
	BID    BID   // 0 when not concerned
	Reason string
	Err    error // a further cause, or nil
}

func (e *FormatError) Error() string {
	var where []string
	if e.Offset >= 0 {
		where = append(where, fmt.Sprintf("offset 0x%X", e.Offset))
	}
	if e.NID != 0 {
		where = append(where, "node "+e.NID.String())
	}
	if e.BID != 0 {
		where = append(where, "block "+e.BID.String())
	}
	msg := "pst: " + e.Reason
	if len(where) > 0 {
		msg += " (" + strings.Join(where, ", ") + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns ErrFormat and the cause, so that errors.Is finds both.
func (e *FormatError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrFormat, e.Err}
	}
	return []error{ErrFormat}
}

// nodeData is what the LTP layer reads of a node, and the seam between
// the NDB and LTP layers: the NDB layer's nodes implement it, and the
// LTP layer's tests can fake it.
type nodeData interface {
	// id is the node's NID.
	id() NID
	// blocks returns the node's data: the contents of its data blocks,
	// decoded (the file's encryption undone), in order, one slice per
	// data block (a single block's data, or each leaf block of its
	// XBLOCK/XXBLOCK data tree), because a heap-on-node has one page per
	// block. A node without data has none. The slices may be shared
	// with the File's cache and with other readers: nobody may modify
	// them, and what is handed to a caller is copied from them.
	blocks() ([][]byte, error)
	// subnode returns the node's subnode nid (from its SLBLOCK/SIBLOCK
	// subnode tree), or an error wrapping ErrFormat when it has none.
	subnode(nid NID) (nodeData, error)
}
