package mapispi

import (
	"context"
	"io"
)

// Stream is the Go form of IStream, as IMAPIProp::OpenProperty gives it
// for a binary or string property: the property's bytes (for a string
// property, UTF-16LE for PT_UNICODE, the code page's bytes for
// PT_STRING8, as MAPI streams them), to read, write and seek. Writes
// reach the object when the stream is committed or closed, and the store
// when the object is saved (a message's SaveChanges), as for SetProps. A
// stream opened without OpenModify refuses writes with ErrNoAccess.
// Methods are safe for concurrent use; a stream has one position, which
// concurrent reads and writes share.
type Stream interface {
	io.Reader
	io.Writer
	io.Seeker

	// Stat is IStream::Stat: the stream's size.
	Stat() (StreamStat, error)

	// SetSize is IStream::SetSize: cut or extend (with zeros) the stream
	// to n bytes.
	SetSize(n int64) error

	// Commit is IStream::Commit: what was written becomes the property's
	// value in the object that opened the stream.
	Commit(ctx context.Context) error

	// Close is IUnknown::Release of the stream's last reference: it
	// commits what was written, and every later call is ErrInvalidObject.
	Close(ctx context.Context) error
}

// StreamStat is what IStream::Stat reports that MAPI uses.
type StreamStat struct {
	Size int64 // cbSize
}

// PropertyOpener is the Go form of IMAPIProp::OpenProperty: a property
// as an object, for values too large for GetProps and for properties
// that are objects. An object that can open properties implements it;
// for one that cannot, the host answers ErrNoSupport.
//
// The interface iface asks for decides what the result is: IIDStream a
// Stream on a PT_BINARY, PT_STRING8 or PT_UNICODE property; IIDMAPITable
// a Table (PR_CONTAINER_CONTENTS, PR_FOLDER_ASSOCIATED_CONTENTS and
// PR_CONTAINER_HIERARCHY of a folder; PR_MESSAGE_RECIPIENTS and
// PR_MESSAGE_ATTACHMENTS of a message); IIDMessage the Message embedded
// in an attachment (PR_ATTACH_DATA_OBJ). A tag of type PT_UNSPECIFIED is
// ErrInvalidParameter, an interface the property does not offer
// ErrInterfaceNotSupported, and a property the object lacks ErrNotFound
// unless flags has OpenCreate, which (with OpenModify) creates it, or
// empties it when it exists.
type PropertyOpener interface {
	OpenProperty(ctx context.Context, tag PropTag, iface UID, flags OpenFlags) (any, error)
}

// Interface identifiers of OpenProperty's results, from MAPIGuid.h and
// objidl.h, as UIDs in memory byte order.
var (
	IIDStream        = MustParseUID("{0000000C-0000-0000-C000-000000000046}") // IID_IStream
	IIDMAPITable     = MustParseUID("{00020301-0000-0000-C000-000000000046}") // IID_IMAPITable
	IIDAttachment    = MustParseUID("{00020308-0000-0000-C000-000000000046}") // IID_IAttachment
	IIDMAPIContainer = MustParseUID("{0002030B-0000-0000-C000-000000000046}") // IID_IMAPIContainer
)

// CopyFlags is the Go form of the ulFlags of IMAPIProp::CopyTo and
// CopyProps.
type CopyFlags uint32

// Copy flags, from MAPIDefS.h.
const (
	CopyMove      CopyFlags = 0x00000001 // MAPI_MOVE: delete the properties from the source
	CopyNoReplace CopyFlags = 0x00000002 // MAPI_NOREPLACE: keep the properties the destination has
	CopyDeclineOK CopyFlags = 0x00000004 // MAPI_DECLINE_OK
)

// Check returns nil if f holds only known bits, else ErrUnknownFlags.
func (f CopyFlags) Check() error {
	return checkFlags("CopyFlags", uint32(f), uint32(CopyMove|CopyNoReplace|CopyDeclineOK))
}

// Copier is the Go form of IMAPIProp::CopyTo and CopyProps: copying an
// object's properties, and for a message its recipients and attachments,
// into another object of the same kind. An object that can copy itself
// implements it; for one that cannot, the host answers ErrNoSupport.
// Properties that cannot be copied are PropProblems, as for SetProps.
type Copier interface {
	// CopyTo is IMAPIProp::CopyTo: copy every property of the object but
	// those of exclude into dest (a message's recipients and attachments
	// too, unless exclude names PR_MESSAGE_RECIPIENTS or
	// PR_MESSAGE_ATTACHMENTS). dest must be another object of the same
	// type (a copy of an object onto itself is ErrNoAccess, a copy into
	// one of its own sub-objects ErrFolderCycle); with CopyNoReplace
	// dest keeps the properties it has.
	CopyTo(ctx context.Context, exclude []PropTag, dest Object, flags CopyFlags) ([]PropProblem, error)

	// CopyProps is IMAPIProp::CopyProps: copy the properties tags names
	// into dest, as CopyTo does.
	CopyProps(ctx context.Context, tags []PropTag, dest Object, flags CopyFlags) ([]PropProblem, error)
}
