// Package msprovider is the reference MAPI message store provider: an
// implementation of IMSProvider and MSProviderInit (mapispi.InitFunc,
// mapispi.MSProvider) that does what the MAPI reference asks of a store
// provider, over stores that hold folders, messages, recipients,
// attachments and named properties, in memory or in any Storage.
//
// # Provider objects and the backend
//
// MAPI calls MSProviderInit once per session, and again for every other
// session; each call returns a new *Provider. A Provider keeps the
// Allocator and Malloc it was given and a container/list of every store
// opened through it and not yet closed (each open store holds its list
// element, so closing is O(1)). Stores live in a *Backend that provider
// objects share, as files are shared by the sessions of a PST provider.
// There is no package-level backend: a program makes its own, and
// Backend.Init is the InitFunc for providers over it.
//
//	backend := msprovider.NewBackend()
//	id, _ := backend.CreateStore("Mailbox", &msprovider.StoreOptions{Password: "pw"})
//	var reg mapi.Registry // the host, MAPI's side, calls Init per session
//	reg.Register(msprovider.DLLName, backend.Init)
//
// # Logon
//
// Logon follows the two paths the IMSProvider::Logon page documents:
// a first logon validates the entry ID and the password (profile section
// property PropPassword, else Support.Prompt unless MDB_NO_DIALOG), sets
// PR_DISPLAY_NAME, PR_ENTRYID (wrapped), PR_PROVIDER_DISPLAY and
// PR_RECORD_KEY in the profile section, calls SetProviderUID (with the
// store's UID),
// ModifyProfile (unless MDB_TEMPORARY) and ModifyStatusRow in that order,
// and returns a paired *Logon and *Store with spool security data
// allocated from the provider's Allocator; a logon of a store the provider
// object already has open returns the same *Store, a nil MSLogon and no
// side effects. The status row has the columns the "Status Tables" page
// asks of a status object (PR_DISPLAY_NAME, PR_STATUS_CODE,
// PR_RESOURCE_METHODS) and a few more. A logon is read/write with
// MDB_WRITE or MAPI_BEST_ACCESS, else read-only; a store made with
// StoreOptions.ReadOnly opens read-only for every logon, MDB_WRITE too
// (the IMAPISession::OpenMsgStore page: MDB_WRITE may not be granted).
//
// The spool security data is a versioned token without pointers: the
// store's UID, a nonce and an HMAC-SHA256 under a per-store secret that
// changes with the password. A token is good for the spooler logon that
// belongs to the logon that issued it: the Backend lists the live tokens
// of each store with their logons, since the spooler's provider object is
// another one over the same Backend. SpoolerLogon, in any provider
// object, accepts only a genuine token for the same store, issued since
// the last password change, not used before, whose logon has not ended
// (Close and Logoff, Logoff or Shutdown), and returns a distinct pair
// marked as the spooler's. A token is a bearer credential until then:
// the provider cannot tell the session's spooler from another process
// that presents it first, which is why it is single-use and MAPI's
// spooler presents it as soon as Logon returns.
//
// # Logoff
//
// A store's shutdown follows the IMsgStore::StoreLogoff page:
// Store.StoreLogoff records the flag; Store.Close, which MAPI calls when
// the last client handle of the store goes, runs StoreLogoffTransports
// with it (LogoffAbort when there is none) and releases the store object;
// Logon.Logoff, which MAPI calls next, takes the store off the provider's
// list. Logoff without Close (a session's logoff, Shutdown) runs the
// transports first: they run once per store shutdown either way.
//
// # Store entry IDs
//
// An unwrapped store entry ID is 40 bytes: abFlags, the store's UID
// (also its PR_RECORD_KEY), a 16-bit version (2), two reserved bytes, and
// ProviderUID, the provider's fixed UID (its PR_MDB_PROVIDER), by which
// CompareStoreIDs knows its own IDs and refuses any other with
// ErrInvalidEntryID. Clients see the wrapped form that
// Support.WrapStoreEntryID builds. CompareStoreIDs accepts both forms
// with any abFlags.
//
// Logon registers the store's UID with SetProviderUID. The
// "Registering Service Provider Unique Identifiers" page asks for a
// MAPIUID for each logon object, in the first 16 bytes of every entry ID
// it creates, so that MAPI sends each ID to the logon that can handle
// it; the IMAPISupport::SetProviderUID page asks that the registered UID
// be in every entry ID the provider creates. So every entry ID of a
// store carries the store's UID at bytes 4..19 (folders and messages,
// in the provider UID field of the [MS-OXCDATA] 2.2.4 layouts). A logon's OpenEntry and CompareEntryIDs answer
// ErrUnknownEntryID for an ID with another UID, another store's
// included: where logons share a UID, that page has MAPI pass such an ID
// on to the next.
//
// # Errors
//
// Errors from Logon, SpoolerLogon and Shutdown are *mapispi.Error values
// whose Component names the layer that failed ("msprovider",
// "msprovider backend", "profile section", or the support method, such as
// "IMAPISupport::WrapStoreEntryID"), whose Message says what it was doing
// and whose Err keeps the cause: errors.Is and errors.As reach the
// support object's error, a cancelled context or an entryid.ParseError.
//
// # Folders and messages
//
// A store has a root folder (OpenEntry with a nil entry ID) and, as
// CreateStore makes it, an IPM subtree ("Top of Information Store") with
// an Inbox, an Outbox, Sent Items and Deleted Items, named by
// PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID, PR_IPM_SENTMAIL_ENTRYID,
// PR_IPM_WASTEBASKET_ENTRYID and PR_VALID_FOLDER_MASK. Folder and message
// entry IDs are the [MS-OXCDATA] 2.2.4.1 and 2.2.4.2 layouts (entryid.Folder
// and entryid.Message decode them), with the store's UID as provider and
// database GUID and the object's ID as global counter.
//
// Folders (*Folder, mapispi.Folder) are not transacted: each call takes
// effect at once for every logon of the store, in every session (every
// provider object over one Backend shares the store). Messages
// (*Message, mapispi.Message) and their attachments (*Attachment) are:
// each open is an instance with its own unsaved changes, which its
// SaveChanges commits at once, with change numbers ([MS-OXCMSG]
// 2.2.3.3.1): a save over a newer save is ErrObjectChanged unless
// FORCE_SAVE, and a save of a message deleted or moved meanwhile
// ErrObjectDeleted; a save that fails leaves the store as it was. The
// computed properties (entry IDs, record keys, PR_MESSAGE_SIZE,
// PR_HASATTACH, PR_DISPLAY_TO/CC/BCC, PR_CHANGE_KEY, the folder counts...)
// refuse SetProps with ErrComputed problems. Large values (over 4 KiB) are
// ErrNotEnoughMemory in GetProps and read through OpenProperty streams
// (*Stream). Embedded messages nest at most MaxEmbedDepth deep.
//
// Tables are mapiutil views: contents (normal or associated), hierarchy
// (CONVENIENT_DEPTH: depth first, with PR_DEPTH), recipients and
// attachments (rendering position order). A folder's table data is kept
// while a view of it is open, and every commit changes it, so saved
// changes show at once and open views get their table notifications.
// Store.Advise subscribes through the support object; the store sends
// ObjectCreated, ObjectModified, ObjectDeleted, ObjectMoved and
// ObjectCopied as the "Handling Message Store Notifications" page
// recommends, in commit order, after the change is done and with no lock
// held.
//
// Named properties: the store keeps one map from names to IDs from
// 0x8000 up, shared by all its objects (NamedProps on every object).
//
// # Sending mail
//
// Messages implement mapispi.Submitter and stores mapispi.SpoolerStore,
// as the "Sending Messages by Using Message Store Providers" page has a
// store take part in sending. SubmitMessage saves a message and queues
// it in one commit; whether a message is queued is in the stored message
// (MSGFLAG_SUBMIT, PR_SUBMIT_FLAGS, PR_CLIENT_SUBMIT_TIME), so every
// provider object over the Backend, and the store after a restart over
// the same Storage, sees one queue. The first submission through a
// client's provider object (one per session) calls
// Support.SpoolerNotify(NotifyReadyToSend), unless its logon had
// MDB_NO_MAIL. The spooler's logon (SpoolerLogon) lists the queue
// (OutgoingQueue, in submission order, notifying its views), locks what
// it sends (SetLockState; locks are the engine's, shared by every
// provider object, and end with the spooler logon that took them),
// finishes it (FinishedMsg: off the queue, then moved to
// PR_SENTMAIL_ENTRYID or deleted for PR_DELETE_AFTER_SUBMIT) and
// announces delivered mail (NotifyNewMail); a client's store answers
// those with ErrNoSupport, and its AbortSubmit takes a message that is
// not locked off the queue. The spooler's logon of a writable store is
// read/write whatever its flags. While a message is queued a client
// cannot modify it (OpenEntry with MAPI_MODIFY and SaveChanges are
// ErrSubmitted; MAPI_BEST_ACCESS opens it read-only), delete or move it
// (DeleteMessages, CopyMessages with MESSAGE_MOVE and EmptyFolder leave
// it, with a *mapispi.PartialError; DeleteFolder of a folder holding it
// is ErrSubmitted); while it is locked a client cannot open it
// (ErrNoAccess).
//
// # Storage
//
// The rules above live once, in this package; where the data lives is
// the Storage seam (storage.go). NewBackend's stores keep theirs in
// memory. Backend.AddStore makes a store of any Storage: four methods
// (Folder, Subfolders, Messages, Message) give a read-only store; a
// Writer (Commit, NextID) a writable one. The store caches the folder
// tree and each folder's message summaries (what counts and tables need)
// and reads messages from the Storage when they are opened.
//
// Memory: every object instance takes a buffer from the provider's
// Allocator with its first change and links one to it for each later
// change (what a C provider allocates for the property arrays it keeps),
// and frees them at Close; so mapi.Options.Faults can fail any step of
// composing a message, and the step then changes nothing.
//
// # What is not here yet
//
// Search folders' criteria, CopyTo and CopyProps on folders, message
// preprocessing (SUBMITFLAG_PREPROCESS, PrepareSubmit, ExpandRecips) and
// IMAPISupport::DoSentMail come with later work: the host answers
// ErrNoSupport for what the store lacks. A categorized sort is
// ErrTooComplex. Receive folders
// (mapispi.ReceiveFolders) and sending mail (above) are here.
package msprovider
