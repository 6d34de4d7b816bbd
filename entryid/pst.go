package entryid

import (
	"encoding/binary"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// PST is the Go form of an MS-PST folder or message entry ID ([MS-PST]
// 2.4.3.2), 24 bytes:
//
//	offset  size  field
//	0       4     rgbFlags
//	4       16    the PST's record key (PidTagRecordKey of its message store)
//	20      4     the node ID (NID), little-endian
type PST struct {
	Flags Flags
	Store mapispi.UID // the PST file's record key, unique per file
	NID   NID
}

const pstLen = 24

// NID is the Go form of an MS-PST node ID ([MS-PST] 2.2.2.1): the low 5
// bits are the node type, the upper 27 bits the index.
type NID uint32

// NewNID returns the node ID of the given type and index (index < 1<<27).
func NewNID(t NIDType, index uint32) NID { return NID(index<<5 | uint32(t&0x1F)) }

// Type returns the node type, the low 5 bits.
func (n NID) Type() NIDType { return NIDType(n & 0x1F) }

// Index returns the upper 27 bits.
func (n NID) Index() uint32 { return uint32(n) >> 5 }

// String prints "0x00008082 (NormalFolder #0x404)".
func (n NID) String() string {
	return fmt.Sprintf("0x%08X (%v #0x%X)", uint32(n), n.Type(), n.Index())
}

// NIDType is the nidType of a node ID.
type NIDType uint8

// The node types ([MS-PST] 2.2.2.1).
const (
	NIDTypeHID                  NIDType = 0x00
	NIDTypeInternal             NIDType = 0x01
	NIDTypeNormalFolder         NIDType = 0x02
	NIDTypeSearchFolder         NIDType = 0x03
	NIDTypeNormalMessage        NIDType = 0x04
	NIDTypeAttachment           NIDType = 0x05
	NIDTypeSearchUpdateQueue    NIDType = 0x06
	NIDTypeSearchCriteriaObject NIDType = 0x07
	NIDTypeAssocMessage         NIDType = 0x08
	NIDTypeContentsTableIndex   NIDType = 0x0A
	NIDTypeReceiveFolderTable   NIDType = 0x0B
	NIDTypeOutgoingQueueTable   NIDType = 0x0C
	NIDTypeHierarchyTable       NIDType = 0x0D
	NIDTypeContentsTable        NIDType = 0x0E
	NIDTypeAssocContentsTable   NIDType = 0x0F
	NIDTypeSearchContentsTable  NIDType = 0x10
	NIDTypeAttachmentTable      NIDType = 0x11
	NIDTypeRecipientTable       NIDType = 0x12
	NIDTypeSearchTableIndex     NIDType = 0x13
	NIDTypeLTP                  NIDType = 0x1F
)

var nidTypeNames = map[NIDType]string{
	NIDTypeHID: "HID", NIDTypeInternal: "Internal", NIDTypeNormalFolder: "NormalFolder",
	NIDTypeSearchFolder: "SearchFolder", NIDTypeNormalMessage: "NormalMessage",
	NIDTypeAttachment: "Attachment", NIDTypeSearchUpdateQueue: "SearchUpdateQueue",
	NIDTypeSearchCriteriaObject: "SearchCriteriaObject", NIDTypeAssocMessage: "AssocMessage",
	NIDTypeContentsTableIndex: "ContentsTableIndex", NIDTypeReceiveFolderTable: "ReceiveFolderTable",
	NIDTypeOutgoingQueueTable: "OutgoingQueueTable", NIDTypeHierarchyTable: "HierarchyTable",
	NIDTypeContentsTable: "ContentsTable", NIDTypeAssocContentsTable: "AssocContentsTable",
	NIDTypeSearchContentsTable: "SearchContentsTable", NIDTypeAttachmentTable: "AttachmentTable",
	NIDTypeRecipientTable: "RecipientTable", NIDTypeSearchTableIndex: "SearchTableIndex",
	NIDTypeLTP: "LTP",
}

// String returns the type's name without the NID_TYPE_ prefix, in
// MixedCaps ("NormalFolder"), or its value in hex.
func (t NIDType) String() string {
	if s, ok := nidTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("NIDType(0x%02X)", uint8(t))
}

// ParsePST decodes a 24-byte PST entry ID; any provider UID is accepted,
// since it is the record key of one PST file. It does not allocate unless
// it fails.
func ParsePST(b mapispi.EntryID) (PST, error) {
	if len(b) == pstLen {
		return PST{Flags: flagsOf(b), Store: mapispi.UID(b[4:20]), NID: NID(binary.LittleEndian.Uint32(b[20:]))}, nil
	}
	r := newReader(KindPST, b)
	p := PST{Flags: r.header(nil)}
	if r.err == nil {
		p.Store = mapispi.UID(b[4:20])
	}
	p.NID = NID(r.u32("NID"))
	r.end("the NID")
	if r.err != nil {
		return PST{}, r.err
	}
	return p, nil
}

// Kind returns KindPST.
func (PST) Kind() Kind { return KindPST }

// AppendBinary appends the 24-byte PST entry ID.
func (p PST) AppendBinary(b []byte) ([]byte, error) {
	b = p.Flags.append(b)
	b = append(b, p.Store[:]...)
	return binary.LittleEndian.AppendUint32(b, uint32(p.NID)), nil
}

// MarshalBinary returns AppendBinary(nil).
func (p PST) MarshalBinary() ([]byte, error) { return marshal(p) }

// UnmarshalBinary sets p from b like ParsePST.
func (p *PST) UnmarshalBinary(b []byte) error { return unmarshal(p, b, ParsePST) }

// String returns the fields on one line, for logs and test failures.
func (p PST) String() string {
	return fmt.Sprintf("PST{Flags: %v, Store: %s, NID: %v}", p.Flags, uidString(p.Store), p.NID)
}
