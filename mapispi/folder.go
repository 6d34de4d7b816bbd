package mapispi

import "context"

// Folder is the Go form of IMAPIFolder, with the IMAPIContainer methods
// it inherits: a folder of a store. A folder is not transacted: every
// change takes effect when the call returns, and SaveChanges has no Go
// form for it. The store's OpenEntry (a nil ID opens the root folder)
// and CreateFolder return folders; find this interface by type assertion
// on the Object.
//
// Methods that act on several messages (CopyMessages, DeleteMessages,
// SetReadFlags) do what they can: when some of the messages could not be
// handled (gone, moved, submitted) the call returns a *PartialError
// listing them, MAPI_W_PARTIAL_COMPLETION in C, and the others are done.
//
// Besides the properties every object has, a folder has PR_DISPLAY_NAME
// (writable), PR_COMMENT, PR_FOLDER_TYPE, PR_PARENT_ENTRYID (the root
// folder's is its own PR_ENTRYID), PR_CONTENT_COUNT and PR_CONTENT_UNREAD
// (normal messages), PR_ASSOC_CONTENT_COUNT (associated messages),
// PR_SUBFOLDERS, PR_CONTAINER_CLASS, PR_ACCESS, PR_ACCESS_LEVEL,
// PR_ENTRYID, PR_RECORD_KEY, PR_STORE_ENTRYID and PR_STORE_RECORD_KEY; the
// computed ones refuse SetProps with ErrComputed problems. The
// conformance kit mapispi/spitest checks these rules.
type Folder interface {
	Object

	// ContentsTable is IMAPIContainer::GetContentsTable: a new table of
	// the folder's messages, or with TableAssociated of its associated
	// (FAI) messages, whose rows follow every saved change.
	ContentsTable(ctx context.Context, flags TableFlags) (Table, error)

	// HierarchyTable is IMAPIContainer::GetHierarchyTable: a new table of
	// the folder's subfolders, or with TableConvenientDepth of all its
	// descendants, depth first, with PR_DEPTH (0 for children).
	HierarchyTable(ctx context.Context, flags TableFlags) (Table, error)

	// OpenEntry is IMAPIContainer::OpenEntry, as MsgStore.OpenEntry.
	OpenEntry(ctx context.Context, id EntryID, flags OpenFlags) (Object, error)

	// CreateFolder is IMAPIFolder::CreateFolder: a new subfolder of type
	// FolderGeneric or FolderSearch (else ErrInvalidParameter) named name,
	// opened read/write. A sibling of that name, compared without regard
	// to case, is ErrCollision, or with FolderOpenIfExists is opened
	// instead.
	CreateFolder(ctx context.Context, typ FolderType, name, comment string, flags CreateFolderFlags) (Folder, error)

	// DeleteFolder is IMAPIFolder::DeleteFolder: delete the subfolder id
	// names. One with subfolders needs DelFolders (else ErrHasFolders) and
	// one with messages DelMessages (else ErrHasMessages); then nothing is
	// deleted. An ID of no subfolder is ErrNotFound.
	DeleteFolder(ctx context.Context, id EntryID, flags DeleteFolderFlags) error

	// CopyFolder is IMAPIFolder::CopyFolder: copy (or with FolderMove,
	// move) the subfolder id names into dest, a folder of the same store,
	// named newName (its own name when newName is ""). A copy takes the
	// subfolders only with CopySubfolders; a move takes them always. A
	// sibling of that name in dest is ErrCollision; dest inside the
	// folder moved or copied is ErrFolderCycle.
	CopyFolder(ctx context.Context, id EntryID, dest Folder, newName string, flags CopyFolderFlags) error

	// EmptyFolder is IMAPIFolder::EmptyFolder: delete every message and
	// subfolder of the folder, its associated messages only with
	// DelAssociated. Submitted messages stay (a *PartialError). The root
	// folder cannot be emptied: ErrNoSupport.
	EmptyFolder(ctx context.Context, flags EmptyFolderFlags) error

	// CreateMessage is IMAPIFolder::CreateMessage: a new message in the
	// folder, opened read/write, or with MessageAssociated a new
	// associated (FAI) message. Nothing of it is visible to anyone else
	// until its first SaveChanges.
	CreateMessage(ctx context.Context, flags CreateMessageFlags) (Message, error)

	// CopyMessages is IMAPIFolder::CopyMessages: copy (or with MessageMove,
	// move) the messages ids names from this folder into dest, a folder
	// of the same store. PR_MSG_STATUS is not copied.
	CopyMessages(ctx context.Context, ids []EntryID, dest Folder, flags CopyMessageFlags) error

	// DeleteMessages is IMAPIFolder::DeleteMessages: delete the messages
	// ids names from this folder; submitted messages are skipped.
	DeleteMessages(ctx context.Context, ids []EntryID, flags DeleteMessageFlags) error

	// SetReadFlags is IMAPIFolder::SetReadFlags: mark the messages ids
	// names (every message of the folder when ids is nil) read, or with
	// ClearReadFlag unread. SuppressReceipt|ClearReadFlag and
	// ClearReadFlag|GenerateReceiptOnly are ErrInvalidParameter.
	SetReadFlags(ctx context.Context, ids []EntryID, flags ReadFlags) error

	// MessageStatus is IMAPIFolder::GetMessageStatus: PR_MSG_STATUS of the
	// message id names, in this folder.
	MessageStatus(ctx context.Context, id EntryID) (MessageStatus, error)

	// SetMessageStatus is IMAPIFolder::SetMessageStatus: set the bits of
	// mask in the message's PR_MSG_STATUS to those of status, and return
	// the status it had.
	SetMessageStatus(ctx context.Context, id EntryID, status, mask MessageStatus) (MessageStatus, error)
}

// TableFlags is the Go form of the ulFlags of GetContentsTable,
// GetHierarchyTable, GetRecipientTable and GetAttachmentTable.
type TableFlags uint32

// Table flags, from MAPIDefS.h.
const (
	TableConvenientDepth TableFlags = 0x00000001 // CONVENIENT_DEPTH (hierarchy tables)
	TableDeferredErrors  TableFlags = 0x00000008 // MAPI_DEFERRED_ERRORS
	TableAssociated      TableFlags = 0x00000040 // MAPI_ASSOCIATED (contents tables)
	TableUnicode         TableFlags = 0x80000000 // MAPI_UNICODE
	TableKnown                      = TableConvenientDepth | TableDeferredErrors | TableAssociated | TableUnicode
)

var tableFlagNames = []flagName{
	{uint32(TableConvenientDepth), "CONVENIENT_DEPTH"},
	{uint32(TableDeferredErrors), "MAPI_DEFERRED_ERRORS"},
	{uint32(TableAssociated), "MAPI_ASSOCIATED"},
	{uint32(TableUnicode), "MAPI_UNICODE"},
}

// String lists the set bits by MAPI name.
func (f TableFlags) String() string { return formatFlags(uint32(f), tableFlagNames) }

// Check returns nil if f holds only TableKnown bits, else ErrUnknownFlags.
func (f TableFlags) Check() error { return checkFlags("TableFlags", uint32(f), uint32(TableKnown)) }

// CreateFolderFlags is the Go form of IMAPIFolder::CreateFolder's ulFlags.
type CreateFolderFlags uint32

// CreateFolder flags, from MAPIDefS.h.
const (
	FolderOpenIfExists CreateFolderFlags = 0x00000001 // OPEN_IF_EXISTS
	FolderUnicode      CreateFolderFlags = 0x80000000 // MAPI_UNICODE
)

// Check returns nil if f holds only known bits, else ErrUnknownFlags.
func (f CreateFolderFlags) Check() error {
	return checkFlags("CreateFolderFlags", uint32(f), uint32(FolderOpenIfExists|FolderUnicode))
}

// DeleteFolderFlags is the Go form of IMAPIFolder::DeleteFolder's ulFlags.
type DeleteFolderFlags uint32

// DeleteFolder flags, from MAPIDefS.h.
const (
	DelMessages DeleteFolderFlags = 0x00000001 // DEL_MESSAGES
	DelFolders  DeleteFolderFlags = 0x00000004 // DEL_FOLDERS
)

// Check returns nil if f holds only known bits, else ErrUnknownFlags.
func (f DeleteFolderFlags) Check() error {
	return checkFlags("DeleteFolderFlags", uint32(f), uint32(DelMessages|DelFolders))
}

// CopyFolderFlags is the Go form of IMAPIFolder::CopyFolder's ulFlags.
type CopyFolderFlags uint32

// CopyFolder flags, from MAPIDefS.h.
const (
	FolderMove     CopyFolderFlags = 0x00000001 // FOLDER_MOVE
	CopySubfolders CopyFolderFlags = 0x00000010 // COPY_SUBFOLDERS
	FolderUnicode8 CopyFolderFlags = 0x80000000 // MAPI_UNICODE (the new name's width)
)

// Check returns nil if f holds only known bits, else ErrUnknownFlags.
func (f CopyFolderFlags) Check() error {
	return checkFlags("CopyFolderFlags", uint32(f), uint32(FolderMove|CopySubfolders|FolderUnicode8))
}

// EmptyFolderFlags is the Go form of IMAPIFolder::EmptyFolder's ulFlags.
type EmptyFolderFlags uint32

// DelAssociated is DEL_ASSOCIATED: EmptyFolder deletes the folder's
// associated messages too.
const DelAssociated EmptyFolderFlags = 0x00000008

// Check returns nil if f holds only DelAssociated, else ErrUnknownFlags.
func (f EmptyFolderFlags) Check() error {
	return checkFlags("EmptyFolderFlags", uint32(f), uint32(DelAssociated))
}

// CreateMessageFlags is the Go form of IMAPIFolder::CreateMessage's
// ulFlags.
type CreateMessageFlags uint32

// MessageAssociated is MAPI_ASSOCIATED: CreateMessage makes an
// associated (FAI) message.
const MessageAssociated CreateMessageFlags = 0x00000040

// Check returns nil if f holds only known bits, else ErrUnknownFlags.
func (f CreateMessageFlags) Check() error {
	return checkFlags("CreateMessageFlags", uint32(f), uint32(MessageAssociated|CreateMessageFlags(OpenDeferredErrors)))
}

// CopyMessageFlags is the Go form of IMAPIFolder::CopyMessages' ulFlags.
type CopyMessageFlags uint32

// MessageMove is MESSAGE_MOVE: CopyMessages moves the messages.
const MessageMove CopyMessageFlags = 0x00000001

// Check returns nil if f holds only MessageMove, else ErrUnknownFlags.
func (f CopyMessageFlags) Check() error {
	return checkFlags("CopyMessageFlags", uint32(f), uint32(MessageMove))
}

// DeleteMessageFlags is the Go form of IMAPIFolder::DeleteMessages'
// ulFlags, which defines none the store SPI uses (MESSAGE_DIALOG asks for
// UI).
type DeleteMessageFlags uint32

// Check returns nil for 0, else ErrUnknownFlags.
func (f DeleteMessageFlags) Check() error { return checkFlags("DeleteMessageFlags", uint32(f), 0) }

// ReadFlags is the Go form of the ulFlags of IMAPIFolder::SetReadFlags and
// IMessage::SetReadFlag.
type ReadFlags uint32

// Read flags, from MAPIDefS.h.
const (
	SuppressReceipt     ReadFlags = 0x00000001 // SUPPRESS_RECEIPT
	ClearReadFlag       ReadFlags = 0x00000004 // CLEAR_READ_FLAG
	GenerateReceiptOnly ReadFlags = 0x00000010 // GENERATE_RECEIPT_ONLY
	ClearRNPending      ReadFlags = 0x00000020 // CLEAR_RN_PENDING
	ClearNRNPending     ReadFlags = 0x00000040 // CLEAR_NRN_PENDING
)

var readFlagNames = []flagName{
	{uint32(SuppressReceipt), "SUPPRESS_RECEIPT"},
	{uint32(ClearReadFlag), "CLEAR_READ_FLAG"},
	{uint32(GenerateReceiptOnly), "GENERATE_RECEIPT_ONLY"},
	{uint32(ClearRNPending), "CLEAR_RN_PENDING"},
	{uint32(ClearNRNPending), "CLEAR_NRN_PENDING"},
}

// String lists the set bits by MAPI name.
func (f ReadFlags) String() string { return formatFlags(uint32(f), readFlagNames) }

// Check returns ErrUnknownFlags for bits MAPI does not define, and
// ErrInvalidParameter for the pairs the SetReadFlags page forbids:
// SuppressReceipt with ClearReadFlag, and ClearReadFlag with
// GenerateReceiptOnly.
func (f ReadFlags) Check() error {
	known := SuppressReceipt | ClearReadFlag | GenerateReceiptOnly | ClearRNPending | ClearNRNPending | ReadFlags(OpenDeferredErrors)
	if err := checkFlags("ReadFlags", uint32(f), uint32(known)); err != nil {
		return err
	}
	if f&ClearReadFlag != 0 && f&(SuppressReceipt|GenerateReceiptOnly) != 0 {
		return Errorf(ErrInvalidParameter, "ReadFlags", "%v: CLEAR_READ_FLAG with SUPPRESS_RECEIPT or GENERATE_RECEIPT_ONLY", f)
	}
	return nil
}
