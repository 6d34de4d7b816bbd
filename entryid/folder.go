package entryid

import (
	"encoding/binary"
	"fmt"

	"github.com/mapiemu/mapiemu/mapispi"
)

// LongTermType is the FolderType or MessageType field of an Exchange
// folder or message entry ID ([MS-OXCDATA] 2.2.4), the eitLT* values:
// what kind of object the LongTermID that follows names.
type LongTermType uint16

// The object type values.
const (
	PrivateFolder         LongTermType = 0x0001 // eitLTPrivateFolder
	PublicFolder          LongTermType = 0x0003 // eitLTPublicFolder
	MappedPublicFolder    LongTermType = 0x0005 // eitLTWackyFolder
	PrivateMessage        LongTermType = 0x0007 // eitLTPrivateMessage
	PublicMessage         LongTermType = 0x0009 // eitLTPublicMessage
	MappedPublicMessage   LongTermType = 0x000B // eitLTWackyMessage
	PublicNewsgroupFolder LongTermType = 0x000C // eitLTPublicFolderByName
)

func (t LongTermType) isFolder() bool {
	return t == PrivateFolder || t == PublicFolder || t == MappedPublicFolder || t == PublicNewsgroupFolder
}

func (t LongTermType) isMessage() bool {
	return t == PrivateMessage || t == PublicMessage || t == MappedPublicMessage
}

// String returns the MS-OXCDATA name ("PrivateFolder") or the value in hex.
func (t LongTermType) String() string {
	switch t {
	case PrivateFolder:
		return "PrivateFolder"
	case PublicFolder:
		return "PublicFolder"
	case MappedPublicFolder:
		return "MappedPublicFolder"
	case PrivateMessage:
		return "PrivateMessage"
	case PublicMessage:
		return "PublicMessage"
	case MappedPublicMessage:
		return "MappedPublicMessage"
	case PublicNewsgroupFolder:
		return "PublicNewsgroupFolder"
	}
	return fmt.Sprintf("0x%04X", uint16(t))
}

// LongTermID is the Go form of a LongTermID ([MS-OXCDATA] 2.2.1.3.1): the
// database (replica) GUID and the 48-bit global counter that name a folder
// or message for good, and 2 pad bytes. Together Database and Counter are
// the object's GID, its PR_SOURCE_KEY.
type LongTermID struct {
	Database mapispi.UID // the replica's database GUID, raw bytes
	Counter  uint64      // GlobalCounter, stored big-endian in 6 bytes; below 1<<48
	Pad      uint16      // written 0 by Exchange; kept as stored
}

// MaxCounter is the largest global counter, 1<<48 - 1.
const MaxCounter = 1<<48 - 1

func (r *reader) longTermID(what string) LongTermID {
	if r.need(24, what+" LongTermID") {
		l := longTermIDAt(r.b[r.off:])
		r.off += 24
		return l
	}
	return LongTermID{}
}

// longTermIDAt decodes the 24 bytes at the start of b.
func longTermIDAt(b []byte) LongTermID {
	_ = b[23]
	return LongTermID{
		Database: mapispi.UID(b[:16]),
		Counter:  uint64(b[16])<<40 | uint64(b[17])<<32 | uint64(b[18])<<24 | uint64(b[19])<<16 | uint64(b[20])<<8 | uint64(b[21]),
		Pad:      binary.LittleEndian.Uint16(b[22:]),
	}
}

func (l LongTermID) append(b []byte) []byte {
	b = append(b, l.Database[:]...)
	c := l.Counter
	b = append(b, byte(c>>40), byte(c>>32), byte(c>>24), byte(c>>16), byte(c>>8), byte(c))
	return binary.LittleEndian.AppendUint16(b, l.Pad)
}

// String prints the GID as the database GUID and the counter in hex.
func (l LongTermID) String() string {
	s := fmt.Sprintf("%v-%012X", l.Database, l.Counter)
	if l.Pad != 0 {
		s += fmt.Sprintf("+pad%04X", l.Pad)
	}
	return s
}

// Folder is the Go form of an Exchange Folder EntryID ([MS-OXCDATA]
// 2.2.4.1; Outlook's FEID), 46 bytes:
//
//	offset  size  field
//	0       4     abFlags
//	4       16    ProviderUID: the mailbox GUID, or PublicFolderUID
//	20      2     FolderType
//	22      24    the folder's LongTermID (GUID, 6-byte big-endian counter, pad)
type Folder struct {
	Flags    Flags
	Provider mapispi.UID
	Type     LongTermType
	ID       LongTermID
}

const (
	folderLen  = 46
	messageLen = 70
)

// ParseFolder decodes an Exchange folder entry ID. It does not allocate
// unless it fails.
func ParseFolder(b mapispi.EntryID) (Folder, error) {
	if len(b) == folderLen && LongTermType(binary.LittleEndian.Uint16(b[20:])).isFolder() {
		return Folder{Flags: flagsOf(b), Provider: mapispi.UID(b[4:20]), Type: LongTermType(binary.LittleEndian.Uint16(b[20:])), ID: longTermIDAt(b[22:])}, nil
	}
	r := newReader(KindFolder, b)
	f := Folder{Flags: r.header(nil)}
	if r.err == nil {
		f.Provider = mapispi.UID(b[4:20])
	}
	f.Type = LongTermType(r.u16("folder type"))
	if r.err == nil && !f.Type.isFolder() {
		r.fail(20, "type "+f.Type.String()+" is not a folder type")
	}
	f.ID = r.longTermID("folder")
	r.end("the folder ID")
	if r.err != nil {
		return Folder{}, r.err
	}
	return f, nil
}

// Kind returns KindFolder.
func (Folder) Kind() Kind { return KindFolder }

// AppendBinary appends the 46-byte folder entry ID.
func (f Folder) AppendBinary(b []byte) ([]byte, error) {
	if f.ID.Counter > MaxCounter {
		return b, encodeErr(KindFolder, nil, "global counter %#x is wider than 48 bits", f.ID.Counter)
	}
	if !f.Type.isFolder() {
		return b, encodeErr(KindFolder, nil, "type %v is not a folder type", f.Type)
	}
	b = f.Flags.append(b)
	b = append(b, f.Provider[:]...)
	b = binary.LittleEndian.AppendUint16(b, uint16(f.Type))
	return f.ID.append(b), nil
}

// MarshalBinary returns AppendBinary(nil).
func (f Folder) MarshalBinary() ([]byte, error) { return marshal(f) }

// UnmarshalBinary sets f from b like ParseFolder.
func (f *Folder) UnmarshalBinary(b []byte) error { return unmarshal(f, b, ParseFolder) }

// String returns the fields on one line, for logs and test failures.
func (f Folder) String() string {
	return fmt.Sprintf("Folder{Flags: %v, Provider: %s, Type: %v, ID: %v}", f.Flags, uidString(f.Provider), f.Type, f.ID)
}

// Message is the Go form of an Exchange Message EntryID ([MS-OXCDATA]
// 2.2.4.2; Outlook's MEID), 70 bytes: the folder entry ID's fields with
// MessageType for FolderType, then the message's own LongTermID. The parent
// folder's ID is part of the bytes, so they change when the message moves.
type Message struct {
	Flags    Flags
	Provider mapispi.UID
	Type     LongTermType
	Folder   LongTermID // the parent folder
	ID       LongTermID // the message
}

// ParseMessage decodes an Exchange message entry ID. It does not allocate
// unless it fails.
func ParseMessage(b mapispi.EntryID) (Message, error) {
	if len(b) == messageLen && LongTermType(binary.LittleEndian.Uint16(b[20:])).isMessage() {
		return Message{Flags: flagsOf(b), Provider: mapispi.UID(b[4:20]), Type: LongTermType(binary.LittleEndian.Uint16(b[20:])),
			Folder: longTermIDAt(b[22:]), ID: longTermIDAt(b[46:])}, nil
	}
	r := newReader(KindMessage, b)
	m := Message{Flags: r.header(nil)}
	if r.err == nil {
		m.Provider = mapispi.UID(b[4:20])
	}
	m.Type = LongTermType(r.u16("message type"))
	if r.err == nil && !m.Type.isMessage() {
		r.fail(20, "type "+m.Type.String()+" is not a message type")
	}
	m.Folder = r.longTermID("folder")
	m.ID = r.longTermID("message")
	r.end("the message ID")
	if r.err != nil {
		return Message{}, r.err
	}
	return m, nil
}

// Kind returns KindMessage.
func (Message) Kind() Kind { return KindMessage }

// AppendBinary appends the 70-byte message entry ID.
func (m Message) AppendBinary(b []byte) ([]byte, error) {
	if m.Folder.Counter > MaxCounter || m.ID.Counter > MaxCounter {
		return b, encodeErr(KindMessage, nil, "global counter wider than 48 bits")
	}
	if !m.Type.isMessage() {
		return b, encodeErr(KindMessage, nil, "type %v is not a message type", m.Type)
	}
	b = m.Flags.append(b)
	b = append(b, m.Provider[:]...)
	b = binary.LittleEndian.AppendUint16(b, uint16(m.Type))
	b = m.Folder.append(b)
	return m.ID.append(b), nil
}

// MarshalBinary returns AppendBinary(nil).
func (m Message) MarshalBinary() ([]byte, error) { return marshal(m) }

// UnmarshalBinary sets m from b like ParseMessage.
func (m *Message) UnmarshalBinary(b []byte) error { return unmarshal(m, b, ParseMessage) }

// String returns the fields on one line, for logs and test failures.
func (m Message) String() string {
	return fmt.Sprintf("Message{Flags: %v, Provider: %s, Type: %v, Folder: %v, ID: %v}", m.Flags, uidString(m.Provider), m.Type, m.Folder, m.ID)
}
