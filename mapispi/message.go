package mapispi

import "context"

// Message is the Go form of IMessage: a message of a folder, or one
// embedded in an attachment. A message is transacted: nothing it, its
// recipients or its attachments change is visible to another instance of
// it, to any table or to any sink until SaveChanges. Each open of a
// message (OpenEntry, CreateMessage, an embedded message's OpenProperty)
// is an instance of its own, with its own unsaved changes.
//
// Besides the properties every object has, a message has
// PR_MESSAGE_CLASS ("IPM" when saved without one), PR_MESSAGE_FLAGS,
// PR_MESSAGE_SIZE, PR_HASATTACH, PR_DISPLAY_TO, PR_DISPLAY_CC and
// PR_DISPLAY_BCC (the names of its MAPI_TO, MAPI_CC and MAPI_BCC
// recipients separated by "; "), PR_PARENT_ENTRYID, PR_RECORD_KEY,
// PR_SEARCH_KEY, PR_CREATION_TIME, PR_LAST_MODIFICATION_TIME,
// PR_CHANGE_KEY and PR_PREDECESSOR_CHANGE_LIST (new at every save),
// PR_ACCESS and PR_ACCESS_LEVEL; the computed ones refuse SetProps with
// ErrComputed problems. PR_ENTRYID exists once the message is saved.
type Message interface {
	Object

	// SaveChanges is IMAPIProp::SaveChanges on a message: commit its
	// changes, its recipients' and its attachments' (each attachment saved
	// with its own SaveChanges first), all at once, and keep the message
	// open read-only, or read/write with KeepOpenReadWrite. A save over a
	// newer save of the same message is ErrObjectChanged (nothing is
	// committed) unless ForceSave; a save of a message deleted meanwhile
	// is ErrObjectDeleted. When SaveChanges fails the stored message is
	// exactly as it was and this instance keeps its changes.
	SaveChanges(ctx context.Context, flags SaveFlags) error

	// RecipientTable is IMessage::GetRecipientTable: a new table of this
	// instance's recipients, one row each with PR_ROWID,
	// PR_RECIPIENT_TYPE and PR_DISPLAY_NAME.
	RecipientTable(ctx context.Context, flags TableFlags) (Table, error)

	// ModifyRecipients is IMessage::ModifyRecipients: with flags 0 rows
	// replace every recipient; with ModRecipAdd they are added (each gets
	// a new PR_ROWID); with ModRecipModify each replaces the recipient
	// with its PR_ROWID (the properties it lacks go); with ModRecipRemove
	// the recipients with the rows' PR_ROWIDs go. A row without PR_ROWID
	// for ModRecipModify or ModRecipRemove, or with a PR_ROWID of no
	// recipient, is ErrNotFound or ErrInvalidParameter, and nothing
	// changes.
	ModifyRecipients(ctx context.Context, flags ModRecipFlags, rows []Row) error

	// AttachmentTable is IMessage::GetAttachmentTable: a new table of this
	// instance's saved attachments, with PR_ATTACH_NUM, PR_INSTANCE_KEY,
	// PR_RECORD_KEY and PR_RENDERING_POSITION, in rendering position
	// order (as a signed number) unless sorted.
	AttachmentTable(ctx context.Context, flags TableFlags) (Table, error)

	// CreateAttach is IMessage::CreateAttach: a new attachment, opened
	// read/write, and its PR_ATTACH_NUM, unique in the message. It is
	// part of the message once it and the message are saved.
	CreateAttach(ctx context.Context, flags OpenFlags) (Attachment, int, error)

	// OpenAttach is IMessage::OpenAttach: the attachment numbered num,
	// read-only unless flags has OpenModify. An unknown number is
	// ErrNotFound.
	OpenAttach(ctx context.Context, num int, flags OpenFlags) (Attachment, error)

	// DeleteAttach is IMessage::DeleteAttach: the attachment numbered num
	// goes when the message is saved. An unknown number is ErrNotFound.
	DeleteAttach(ctx context.Context, num int) error

	// SetReadFlag is IMessage::SetReadFlag: mark the message read (or with
	// ClearReadFlag unread) and save that at once.
	SetReadFlag(ctx context.Context, flags ReadFlags) error
}

// Submitter is the Go form of IMessage::SubmitMessage, for messages of a
// store that sends mail (PR_STORE_SUPPORT_MASK has STORE_SUBMIT_OK); the
// host answers ErrNoSupport for a message without it.
type Submitter interface {
	// SubmitMessage is IMessage::SubmitMessage: save the message and put
	// it on its store's outgoing queue. The message gets MSGFLAG_SUBMIT
	// (and MSGFLAG_UNSENT), PR_SUBMIT_FLAGS 0 and PR_CLIENT_SUBMIT_TIME,
	// every recipient PR_RESPONSIBILITY FALSE; the queue gets a row, in
	// the order of the calls. A message without recipients is
	// ErrNoRecipients, and stays open and usable; so does one whose save
	// fails. After a submission every method of the instance but Close
	// returns ErrInvalidObject: the spooler owns the message until
	// FinishedMsg or a client's AbortSubmit, and while it is queued a
	// client's OpenModify of it is ErrSubmitted (OpenBestAccess opens it
	// read-only).
	SubmitMessage(ctx context.Context, flags SubmitMessageFlags) error
}

// SubmitMessageFlags is the Go form of IMessage::SubmitMessage's ulFlags.
type SubmitMessageFlags uint32

// SubmitMessage flags, from MAPIDefS.h.
const (
	ForceSubmit SubmitMessageFlags = 0x00000001 // FORCE_SUBMIT: submit even if delivery may be delayed (unused by stores)
)

// Check returns ErrUnknownFlags for bits MAPI does not define.
func (f SubmitMessageFlags) Check() error {
	return checkFlags("SubmitMessageFlags", uint32(f), uint32(ForceSubmit))
}

// Attachment is the Go form of IAttach: an attachment of a message. It
// is transacted with its message: its SaveChanges makes its changes part
// of the message's, which the message's SaveChanges commits. Its data is
// PR_ATTACH_DATA_BIN (ATTACH_BY_VALUE; OpenProperty gives a Stream on
// it), or an embedded message (ATTACH_EMBEDDED_MSG; OpenProperty of
// PR_ATTACH_DATA_OBJ with IIDMessage gives the Message).
type Attachment interface {
	Object

	// SaveChanges is IMAPIProp::SaveChanges on an attachment: its changes
	// become part of its message's, which the message's SaveChanges
	// commits.
	SaveChanges(ctx context.Context, flags SaveFlags) error
}

// SaveFlags is the Go form of IMAPIProp::SaveChanges' ulFlags.
type SaveFlags uint32

// SaveChanges flags, from MAPIDefS.h.
const (
	KeepOpenReadOnly  SaveFlags = 0x00000001 // KEEP_OPEN_READONLY
	KeepOpenReadWrite SaveFlags = 0x00000002 // KEEP_OPEN_READWRITE
	ForceSave         SaveFlags = 0x00000004 // FORCE_SAVE
	SaveDeferred      SaveFlags = 0x00000008 // MAPI_DEFERRED_ERRORS
)

var saveFlagNames = []flagName{
	{uint32(KeepOpenReadOnly), "KEEP_OPEN_READONLY"},
	{uint32(KeepOpenReadWrite), "KEEP_OPEN_READWRITE"},
	{uint32(ForceSave), "FORCE_SAVE"},
	{uint32(SaveDeferred), "MAPI_DEFERRED_ERRORS"},
}

// String lists the set bits by MAPI name.
func (f SaveFlags) String() string { return formatFlags(uint32(f), saveFlagNames) }

// Check returns ErrUnknownFlags for bits MAPI does not define, and
// ErrInvalidParameter for KeepOpenReadOnly with KeepOpenReadWrite.
func (f SaveFlags) Check() error {
	if err := checkFlags("SaveFlags", uint32(f), uint32(KeepOpenReadOnly|KeepOpenReadWrite|ForceSave|SaveDeferred)); err != nil {
		return err
	}
	if f&KeepOpenReadOnly != 0 && f&KeepOpenReadWrite != 0 {
		return Errorf(ErrInvalidParameter, "SaveFlags", "%v: KEEP_OPEN_READONLY and KEEP_OPEN_READWRITE", f)
	}
	return nil
}

// ModRecipFlags is the Go form of IMessage::ModifyRecipients' ulFlags.
type ModRecipFlags uint32

// ModifyRecipients flags, from MAPIDefS.h. Zero replaces every recipient.
const (
	ModRecipAdd    ModRecipFlags = 0x00000002 // MODRECIP_ADD
	ModRecipModify ModRecipFlags = 0x00000004 // MODRECIP_MODIFY
	ModRecipRemove ModRecipFlags = 0x00000008 // MODRECIP_REMOVE
)

var modRecipNames = []flagName{
	{uint32(ModRecipAdd), "MODRECIP_ADD"},
	{uint32(ModRecipModify), "MODRECIP_MODIFY"},
	{uint32(ModRecipRemove), "MODRECIP_REMOVE"},
}

// String lists the set bits by MAPI name.
func (f ModRecipFlags) String() string { return formatFlags(uint32(f), modRecipNames) }

// Check returns ErrUnknownFlags for other bits (0x1 included) and
// ErrInvalidParameter for more than one of the three.
func (f ModRecipFlags) Check() error {
	if err := checkFlags("ModRecipFlags", uint32(f), uint32(ModRecipAdd|ModRecipModify|ModRecipRemove)); err != nil {
		return err
	}
	if f&(f-1) != 0 {
		return Errorf(ErrInvalidParameter, "ModRecipFlags", "%v: at most one of MODRECIP_ADD, MODRECIP_MODIFY and MODRECIP_REMOVE", f)
	}
	return nil
}
