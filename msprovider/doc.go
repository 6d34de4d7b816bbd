// Package msprovider is the reference MAPI message store provider: an
// implementation of IMSProvider and MSProviderInit (mapispi.InitFunc,
// mapispi.MSProvider) that does what the MAPI reference asks of a store
// provider, over stores held in memory.
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
// when they come, in the provider UID field of the [MS-OXCDATA] 2.2.4
// layouts). A logon's OpenEntry and CompareEntryIDs answer
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
// # What is not here yet
//
// Folders, messages, tables, notifications, receive folders and message
// submission come with later work. A Store implements none of the
// optional interfaces (mapispi.Adviser, mapispi.ReceiveFolders,
// mapispi.SpoolerStore), so the host answers ErrNoSupport for them, and
// OpenEntry returns ErrNoSupport.
package msprovider
