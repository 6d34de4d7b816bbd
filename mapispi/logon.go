package mapispi

import "context"

// MSLogon is the Go form of IMSLogon: the part of an open store that MAPI
// itself calls. It is created with its MsgStore and released with it; the
// two behave as one object with two interfaces.
//
// Every logon implements these methods. A logon that sends notifications
// also implements Adviser; MAPI routes IMAPISession::Advise to it, and
// answers ErrNoSupport for a logon without it. IMSLogon::GetLastError has
// no Go form: the error a method returns is the MAPIERROR.
//
// After Logoff every method returns ErrInvalidObject, and so do objects
// opened through it. All methods must be safe for concurrent use.
type MSLogon interface {
	// Logoff is IMSLogon::Logoff: force this logon closed. MAPI calls it
	// once per logon: after the paired MsgStore's Close, as part of
	// releasing the store's support object, or at session logoff. It
	// releases every object opened through the logon and the support
	// object, and removes the store from the provider's list. Called
	// without a Close before it (a host that logs a session off with the
	// store still open), it first does what Close does: the store's
	// StoreLogoffTransports runs once per shutdown either way. A second
	// call returns ErrInvalidObject.
	Logoff(ctx context.Context) error

	// OpenEntry is IMSLogon::OpenEntry, which MAPI calls for
	// IMAPISession::OpenEntry after matching the ID's provider UID to this
	// logon. It behaves as MsgStore.OpenEntry.
	OpenEntry(ctx context.Context, id EntryID, flags OpenFlags) (Object, error)

	// CompareEntryIDs is IMSLogon::CompareEntryIDs: whether two entry IDs
	// this provider issued name the same object. Malformed input is
	// ErrInvalidEntryID; an ID this provider does not know is
	// ErrUnknownEntryID. It takes no context: it compares the bytes by
	// the provider's own rules and must not block.
	CompareEntryIDs(a, b EntryID) (bool, error)

	// OpenStatusEntry is IMSLogon::OpenStatusEntry: the store's status
	// object (ObjectType ObjStatus), whose properties are its row in the
	// status table.
	OpenStatusEntry(ctx context.Context, flags OpenFlags) (Object, error)
}

// LockState is the Go form of IMsgStore::SetLockState's ulLockState.
type LockState uint32

// Lock states, from MAPIDefS.h.
const (
	MsgUnlocked LockState = 0 // MSG_UNLOCKED
	MsgLocked   LockState = 1 // MSG_LOCKED
)

// MsgStore is the Go form of IMsgStore: the store object that clients,
// the spooler and MAPI use. It is not transacted.
//
// Every store implements these methods. What only some stores can do is
// an optional interface, found by type assertion: Adviser (notifications),
// ReceiveFolders (receive folder settings) and SpoolerStore (sending
// mail). For a store without one, the host answers the client's call
// with ErrNoSupport, as MAPI answers for a store that lacks the method.
// IMsgStore::GetLastError has no Go form: the error a method returns is
// the MAPIERROR.
//
// Its properties include PR_DISPLAY_NAME, PR_ENTRYID and PR_STORE_ENTRYID
// (both the wrapped store entry ID), PR_OBJECT_TYPE, PR_RECORD_KEY,
// PR_STORE_RECORD_KEY, PR_MDB_PROVIDER and PR_STORE_SUPPORT_MASK; an IPM
// store adds PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID,
// PR_IPM_SENTMAIL_ENTRYID and PR_IPM_WASTEBASKET_ENTRYID.
//
// # Logoff
//
// A store's shutdown follows the notes to implementers of the
// IMsgStore::StoreLogoff page. StoreLogoff only records how the client
// wants the store logged off. MAPI calls Close when the last client
// handle of the store is released (each OpenMsgStore of the store in a
// session is a handle, and a reopen returns the same MsgStore): the store
// then calls Support.StoreLogoffTransports, exactly once for this
// shutdown, with the flag StoreLogoff recorded last, or LogoffAbort when
// StoreLogoff was never called, and the store is released whatever the
// transports answer. After Close every MsgStore method returns
// ErrInvalidObject; the paired MSLogon stays usable until MAPI calls its
// Logoff, which it does next, and which removes the store from the
// provider's list.
//
// All methods must be safe for concurrent use.
type MsgStore interface {
	Object

	// OpenEntry is IMsgStore::OpenEntry: open the folder or message id
	// names, or the root folder when id is nil. Read-only unless flags has
	// OpenModify (or OpenBestAccess grants it); insufficient rights are
	// ErrNoAccess.
	OpenEntry(ctx context.Context, id EntryID, flags OpenFlags) (Object, error)

	// CompareEntryIDs is IMsgStore::CompareEntryIDs, as
	// MSLogon.CompareEntryIDs. On error the result means nothing.
	CompareEntryIDs(a, b EntryID) (bool, error)

	// StoreLogoff is IMsgStore::StoreLogoff: record flags, exactly one of
	// the LogoffIn flags (else ErrInvalidParameter or ErrUnknownFlags), as
	// the way the store is to be logged off when its last handle is
	// released (see Logoff above); a later call replaces it. It does not
	// close the store. The result holds the activity flags
	// (LogoffInbound, LogoffOutbound, LogoffOutboundQueue) the store knows
	// of now, never LogoffComplete.
	StoreLogoff(ctx context.Context, flags LogoffFlags) (LogoffFlags, error)
}

// Adviser is the Go form of the Advise and Unadvise methods of IMsgStore
// and IMSLogon: notification registration. A MsgStore or MSLogon that
// sends notifications implements it; for one that does not, the host
// answers Advise with ErrNoSupport, as MAPI does for such a store.
type Adviser interface {
	// Advise is IMsgStore::Advise and IMSLogon::Advise: register sink for
	// events on the object id names, or on the whole store when id is nil.
	// The connection is never zero.
	Advise(ctx context.Context, id EntryID, events EventMask, sink AdviseSink) (Connection, error)

	// Unadvise is IMsgStore::Unadvise and IMSLogon::Unadvise. An unknown
	// connection is ErrNotFound.
	Unadvise(ctx context.Context, conn Connection) error
}

// ReceiveFolders is the Go form of IMsgStore's receive folder methods. A
// store that can receive mail implements it; for one that does not, the
// host answers ErrNoSupport.
type ReceiveFolders interface {
	// SetReceiveFolder is IMsgStore::SetReceiveFolder: messages of class
	// (and its subclasses) arrive in the folder id names. An empty class
	// means the default; a nil id resets class to the default. On error
	// the setting is unchanged.
	SetReceiveFolder(ctx context.Context, class string, id EntryID) error

	// ReceiveFolder is IMsgStore::GetReceiveFolder: the folder for class,
	// found through its nearest base class, and the class that matched.
	ReceiveFolder(ctx context.Context, class string) (id EntryID, explicitClass string, err error)

	// ReceiveFolderTable is IMsgStore::GetReceiveFolderTable.
	ReceiveFolderTable(ctx context.Context, flags OpenFlags) (Table, error)
}

// SpoolerStore is the Go form of the IMsgStore methods through which the
// MAPI spooler moves mail in and out of a store: the outgoing queue it
// works through, NotifyNewMail for delivered mail, and the client's
// AbortSubmit. A store that takes part in sending and receiving
// implements all of them (and Submitter on its messages); for one that
// does not, the host answers ErrNoSupport and the spooler leaves the
// store alone.
//
// The spooler calls them on the store SpoolerLogon returned. On a
// client's store OutgoingQueue, SetLockState, FinishedMsg and
// NotifyNewMail return ErrNoSupport (the IMsgStore::GetOutgoingQueue and
// IMsgStore::FinishedMsg pages reserve them to the spooler); AbortSubmit
// is the client's.
//
// The rules, from the "Sending Messages by Using Message Store
// Providers" page and the methods' pages: the queue lists submitted
// messages by ascending PR_CLIENT_SUBMIT_TIME (then submission order)
// and notifies its advise sinks of every change (a row added at
// SubmitMessage, deleted at FinishedMsg or AbortSubmit, modified when
// the lock changes). A store tells the spooler it has mail to send with
// Support.SpoolerNotify(NotifyReadyToSend), once per session before its
// first submission, unless the client logged on with LogonNoMail.
type SpoolerStore interface {
	// AbortSubmit is IMsgStore::AbortSubmit: take a submitted message out
	// of the outgoing queue; it keeps MSGFLAG_UNSENT and stays where it
	// is. ErrNotInQueue if it is not queued (never submitted, or sent
	// already); ErrUnableToAbort if the spooler has locked it.
	AbortSubmit(ctx context.Context, id EntryID) error

	// OutgoingQueue is IMsgStore::GetOutgoingQueue (spooler only): a
	// table of the submitted messages, ordered by ascending
	// PR_CLIENT_SUBMIT_TIME, with at least the columns the page requires
	// (PR_CLIENT_SUBMIT_TIME, PR_DISPLAY_BCC, PR_DISPLAY_CC,
	// PR_DISPLAY_TO, PR_ENTRYID, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE,
	// PR_PRIORITY, PR_SENDER_NAME, PR_SUBJECT, PR_SUBMIT_FLAGS).
	OutgoingQueue(ctx context.Context) (Table, error)

	// SetLockState is IMsgStore::SetLockState (spooler only): lock a
	// queued message msg (opened through this store) for sending, or
	// unlock it. A locked message has SUBMITFLAG_LOCKED in
	// PR_SUBMIT_FLAGS; AbortSubmit cannot take it, a client cannot open
	// it (ErrNoAccess), and another spooler cannot lock it (ErrBusy).
	// Pending changes of msg are saved first. A lock does not outlive
	// the spooler's logon. A message not queued is ErrNotInQueue.
	SetLockState(ctx context.Context, msg Object, state LockState) error

	// FinishedMsg is IMsgStore::FinishedMsg (spooler only): the spooler
	// has sent the message id, which it has locked. The store unlocks
	// it, clears MSGFLAG_SUBMIT, MSGFLAG_UNSENT and PR_SUBMIT_FLAGS,
	// takes it off the queue, and then moves it to the folder its
	// PR_SENTMAIL_ENTRYID names, deletes it when PR_DELETE_AFTER_SUBMIT
	// is TRUE, or leaves it where it is. A message this spooler has not
	// locked is ErrInvalidParameter; one not queued, ErrNotInQueue.
	FinishedMsg(ctx context.Context, id EntryID) error

	// NotifyNewMail is IMsgStore::NotifyNewMail (spooler only): the
	// spooler announces a delivered message; the store sends one
	// EventNewMail to each whole-store advise sink. The store copies n
	// and keeps nothing of it.
	NotifyNewMail(ctx context.Context, n *Notification) error
}
