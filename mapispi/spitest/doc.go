// Package spitest is a conformance kit for MAPI message store providers:
// it checks an implementation of mapispi.InitFunc (MSProviderInit) and of
// the objects it returns (IMSProvider, IMSLogon, IMsgStore, and the
// folders, messages, attachments, tables and streams under a store)
// against the rules of the Outlook MAPI reference and of package
// mapispi's contract,
// as testing/fstest checks an fs.FS. It drives the provider through the
// host in package mapi, as MAPI would: each case logs on a fresh session,
// so the provider gets a fresh provider object, a fresh leak-traced
// allocator (alloc.Heap) and the host's real support objects.
//
// Five lines run it from a provider's own tests:
//
//	func TestConformance(t *testing.T) {
//		backend := myprovider.NewBackend()
//		spitest.Run(t, backend.Init, &spitest.Options{NewStore: backend.NewTestService})
//	}
//
// where NewTestService makes a store and returns the mapi.Service that
// names it, its unwrapped entry ID in PR_ENTRYID. TestProvider runs the
// same cases without a *testing.T and returns every violation, each a
// *Violation naming its case and rule.
//
// # What it promises
//
//   - No false positives: each violation is a rule the MAPI reference pages
//     ("IMSProvider : IUnknown", "IMSProvider::Logon",
//     "IMSProvider::SpoolerLogon", "IMSProvider::CompareStoreIDs",
//     "IMSProvider::Shutdown", "MSProviderInit", "IMSLogon::Logoff",
//     "IMsgStore::StoreLogoff", "IMAPISupport::StoreLogoffTransports",
//     "IMAPISupport::ModifyProfile", "IMAPISession::OpenMsgStore",
//     "Status Tables", "Allocating and Freeing Memory", the IMAPIFolder,
//     IMAPIContainer, IMAPIProp, IMessage and IMAPITable pages, "Contents
//     Tables", "Hierarchy Tables", "Attachment Tables",
//     "TABLE_NOTIFICATION", "OBJECT_NOTIFICATION", "Handling Message
//     Store Notifications", "NEWMAIL_NOTIFICATION", "MAPI Receive
//     Folders", "Sending Messages by Using Message Store Providers", the
//     IMsgStore pages of the spooler's methods and the PidTag pages of the properties they
//     read) or the doc comments of package mapispi state, checked only
//     where the rule leaves the provider no choice. Where a rule allows
//     several answers (a nil spool security data, a logon's
//     CompareEntryIDs that handles no store IDs, a large property in
//     GetProps whole or as ErrNotEnoughMemory, TABLE_CHANGED instead of
//     row events), the kit accepts each.
//   - It may miss bugs: it checks the store SPI (provider object, logon,
//     store, status object, folders, messages, recipients, attachments,
//     streams, named properties, contents and hierarchy tables, store
//     notifications, receive folders, submission and the spooler's
//     outgoing queue) with the stores Options.NewStore and
//     NewReadOnlyStore make, a few calls of each rule rather than every
//     combination; search folders are not checked, nor sending by a
//     store tightly coupled with a transport, and the comparison cases
//     only know the aliases Options.Aliases gives. The sending cases log
//     the spooler on (SpoolerLogon, with the spool security data the
//     client's Logon returned, in a session of its own, as MAPI's
//     spooler is another process) and submit messages from the case's
//     folder.
//   - It checks what a store says it can do: a case whose capability the
//     store's PR_STORE_SUPPORT_MASK lacks (STORE_ATTACH_OK,
//     STORE_NOTIFY_OK, STORE_SUBMIT_OK, or write access: STORE_MODIFY_OK
//     and STORE_CREATE_OK set and STORE_READONLY clear), or whose objects
//     lack the optional interface it checks (mapispi.NamedProps,
//     mapispi.PropertyOpener, mapispi.Adviser, mapispi.SpoolerStore,
//     mapispi.Submitter, mapispi.ReceiveFolders), is skipped with the reason
//     (t.Skip, Options.Skipped) after the checks it can make without it,
//     so that a read-only store still gets the read checks. Each case
//     works in a folder of its own ("spitest" and the case's name, under
//     the IPM subtree, or the root folder of a store without one), which
//     it deletes at the end.
//   - Run it with -race: the Concurrency case calls the provider from many
//     goroutines, and only the race detector sees a data race that
//     happens to give the right answers. Races in the provider's own
//     logic it finds without -race, even on one processor: it releases
//     rounds of concurrent first logons of one store together, and the
//     support objects of those logons yield the processor in every call,
//     as a call into MAPI may block, so that a first logon that checks
//     its list of open stores, makes support calls and only then lists
//     the store lets the others in.
//
// The kit expects each Logon's spool security data to open one spooler
// logon, while that logon is open, presented after any changed copies of
// it; it never expects a second to succeed, so a provider may make spool
// security data good for one spooler logon.
//
// The kit assumes MAPI's convention for entry IDs: bytes 4..19 hold a
// provider UID (one the provider registers with SetProviderUID, or its
// own mark in store entry IDs), so an ID shorter than 20 bytes is
// malformed.
//
// # Cases
//
// Each case is a row of a table with its name (the subtest's), its rule
// (Cases returns both) and its check:
//
//	InitNewObject               each MSProviderInit call returns a new provider object
//	InitVersion                 ErrVersion when MAPI's SPI version is older
//	LogonUnknownFlags           undefined flag bits refused, known ones accepted
//	LogonNoDialogNoStore        no entry ID under MDB_NO_DIALOG: an error, no prompt
//	LogonSupportCalls           SetProviderUID, ModifyProfile, ModifyStatusRow (with its columns) on a first logon
//	LogonTemporary              never ModifyProfile without MDB_TEMPORARY under it
//	LogonReadOnly               no MDB_WRITE, or a store that cannot be written: opens read-only
//	LogonReopen                 same store, nil MSLogon, no side effects
//	StoreEntryIDWrapped         PR_ENTRYID and PR_STORE_ENTRYID are wrapped
//	SpoolSecurityAllocator      spool security data from the given Allocator
//	SpoolerLogonToken           Logon's token accepted, a changed one refused
//	CompareStoreIDsNoStoreOpen  works with no store open
//	CompareStoreIDsSameStore    reflexive, true for aliases
//	CompareStoreIDsSymmetric    symmetric
//	CompareStoreIDsOtherStore   false for another store
//	CompareStoreIDsMalformed    ErrInvalidEntryID for short IDs, never a panic
//	BuffersNotKept              no reference kept to buffers passed in
//	ReturnedSlicesOwned         returned slices belong to the caller
//	GetPropsMatchesGetPropList  GetProps(nil) against GetPropList
//	OpenEntryPathsAgree         MSLogon.OpenEntry against MsgStore.OpenEntry
//	CompareEntryIDsAgree        CompareEntryIDs against CompareStoreIDs
//	StoreLogoffTransportsOnce   StoreLogoff records; Close calls StoreLogoffTransports once
//	LogoffInvalidates           Close invalidates the store, Logoff the rest
//	ShutdownLogsOff             Shutdown logs off open stores; later calls fail cleanly
//	NoLeaks                     no buffer left after logoff and Shutdown
//	LogonAllocFailure           each failed allocation fails Logon cleanly
//	LogonSupportFailure         each failed support call fails Logon cleanly
//	Concurrency                 concurrent first logons give one MsgStore; Logon, CompareStoreIDs, Logoff
//	FolderTree                  root folder, IPM subtree; CreateFolder, collisions, DeleteFolder's refusals, PR_SUBFOLDERS
//	FolderCopyMove              CopyFolder: copy, COPY_SUBFOLDERS, FOLDER_MOVE, ErrCollision, ErrFolderCycle
//	FolderCounts                PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT follow saves, reads, moves, deletes
//	MessageTransactions         unsaved is invisible; first save; KEEP_OPEN_READWRITE; ErrObjectChanged, FORCE_SAVE, ErrObjectDeleted
//	MessageProperties           ErrComputed problems; GetProps order, PT_UNSPECIFIED, PT_ERROR; a 64 KiB body
//	Recipients                  ModifyRecipients ADD, MODIFY, REMOVE, 0; PR_ROWID; PR_DISPLAY_TO, _CC, _BCC
//	Attachments                 numbers; visible at the message's save; rendering order; PR_HASATTACH; embedded messages
//	Streams                     OpenProperty's refusals; read, write, MAPI_CREATE, Commit, io.EOF, ErrNoAccess
//	NamedProps                  IDsFromNames with and without MAPI_CREATE, PS_MAPI, shared and stable IDs, NamesFromIDs
//	ContentsTables              rows follow saves at once; notifications; MAPI_ASSOCIATED; PR_CONTAINER_CONTENTS
//	HierarchyTables             children; CONVENIENT_DEPTH and PR_DEPTH; rows follow; notifications; PR_CONTAINER_HIERARCHY
//	ReadOnlyRefusesChanges      a read-only logon's every change is ErrNoAccess and changes nothing
//	Notifications               fnevObjectCreated, fnevObjectModified, fnevObjectMoved with old IDs; Unadvise
//	QueueSpoolerOnly            a client's OutgoingQueue, SetLockState, FinishedMsg, NotifyNewMail: ErrNoSupport
//	SubmitNoRecipients          ErrNoRecipients, nothing queued, the message still usable
//	SubmitMessage               the instance dies (ErrInvalidObject); MSGFLAG_SUBMIT, PR_CLIENT_SUBMIT_TIME, PR_RESPONSIBILITY FALSE
//	OutgoingQueue               submission order, ascending PR_CLIENT_SUBMIT_TIME; the 11 required columns
//	OutgoingQueueNotifications  TABLE_ROW_ADDED on an advised queue for a submission
//	QueueLock                   MSG_LOCKED sets SUBMITFLAG_LOCKED; clients cannot open a locked message (ErrNoAccess)
//	AbortSubmit                 takes a queued message off; ErrNotInQueue again; ErrUnableToAbort when locked
//	FinishedMsg                 ErrInvalidParameter unlocked; off the queue, moved to PR_SENTMAIL_ENTRYID, flags cleared
//	NotifyNewMail               one fnevNewMail, as given, to a whole-store sink
//	ReceiveFolders              new store: IPM to the Inbox; a class's folder serves its subclasses, whole levels, any case
//
// The failure cases use mapi.Options.Faults: the kit counts the calls a
// traced successful logon makes, then fails the i-th call of each method,
// one per fresh session, and checks that Logon fails, that no store is
// left open and that no buffer is left allocated.
package spitest
