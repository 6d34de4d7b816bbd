// Package mapi plays MAPI's own side of the message store provider SPI,
// so that a provider runs exactly as MAPI would run it, on any OS, and it
// is the API Go programs use to work with message stores, as
// database/sql is over database/sql/driver.
//
// A [Registry] stands in for the provider DLLs MAPI can load; a [Profile]
// names message services, each with its provider and its profile
// section. [Logon] (MAPILogonEx) starts a [Session]:
//
//	var reg mapi.Registry
//	reg.Register(msprovider.DLLName, backend.Init)
//	session, err := mapi.Logon(ctx, &reg, profile, nil)
//	stores, err := session.MsgStores(ctx)
//	store, err := session.OpenMsgStore(ctx, stores[0].EntryID, mapispi.LogonWrite)
//	props, err := store.GetProps(ctx, nil)
//	err = store.Close(ctx)     // the last handle: the store logs off
//	err = session.Logoff(ctx)  // reports handles left open and buffers leaked
//
// # Handles
//
// Clients never hold a provider's objects. What the session hands out are
// handles of this package's own types: [*Store] (OpenMsgStore), [*Table]
// (every table: status, receive folders, contents, hierarchy, recipients,
// attachments), the [Object] interface that OpenEntry returns
// ([*Store] for a store's entry ID, [*Folder], [*Message], or [*Prop] for
// other objects; [Store.OpenFolder] and [Store.OpenMessage] ask for one
// type), [*Attachment] and [*Stream]. Each
// open is a handle of its own; the host counts them per provider object
// and releases the object (its Close) with the last one, as COM releases
// an object with its last reference. Every method goes through one guard:
// the handle is live (else ErrInvalidObject), the call is traced, and a
// panic in the provider is recovered as MAPI_E_CALL_FAILED naming the
// service, which is disabled for the session. A capability the provider
// lacks is a method that answers ErrNoSupport; [Store.Supports] tells
// which the store has.
//
// A store follows the IMsgStore::StoreLogoff page: [Store.StoreLogoff]
// records how to log off, and the last Close logs the store off
// (StoreLogoffTransports with that flag, then IMSLogon::Logoff); the
// objects opened through it become invalid. [Session.Logoff] closes what
// clients left open and lists each such handle as a [*LeakError] with
// where it was opened, so a test finds a forgotten Close as it finds a
// leaked buffer.
//
// # MAPI's rules
//
// The session follows the IMSProvider, IMAPISession and IMAPISupport
// pages of the MAPI reference: one provider object per provider per
// session (MSProviderInit is called again for another session, and for
// the spooler, which is another process in MAPI); store IDs wrapped with
// the provider's name; CompareEntryIDs and OpenEntry routed by the
// provider UIDs logons register; a real support object per logon; the
// spooler's logon with the spool security data Logon returned; and at
// Logoff, each store's release, IMSLogon::Logoff and IMSProvider::Shutdown
// in MAPI's order, then the allocator's leak check.
//
// # Sending mail
//
// A client composes a message (in the Outbox, with PR_SENTMAIL_ENTRYID
// naming Sent Items, as Outlook does) and calls [Message.SubmitMessage];
// the store queues it. The session's [Spooler] plays MAPI's spooler: it
// follows each store's outgoing queue and, on a submission (or when
// [Spooler.Flush] is called; Options.ManualFlush leaves it to Flush),
// locks each queued message, delivers it, and calls FinishedMsg. Mail to
// a store of the profile (address type [LocalAddrType], or an SMTP
// address a service's profile section claims) is delivered locally into
// that store's receive folder, with a new-mail notification; other
// address types go to the [Transport] that [Transports] maps them to,
// the Go stand-in for a transport provider; recipients nothing can reach
// get a non-delivery report in the sender's store. A recipient is marked
// done (PR_RESPONSIBILITY) as soon as it is reached, so no message is
// delivered twice, whether a transport defers, a flush is cancelled, a
// client aborts or the session logs off half-way.
//
// # Copies
//
// A message's CopyTo copies within its store (the provider does) or into
// a message of another store (the host does, with mapiutil.ReadMessage
// and WriteMessage, named properties mapped by name). ImportFrom and
// ExportTo copy between a store's message and one no store holds, such as
// a .msg file's (package msgfile).
//
// # Callbacks and notifications
//
// A provider, a Trace or Prompt callback and a notification sink are code
// the session does not own. The session holds no lock while it runs any
// of them, so each may call back into the session: open a store, read the
// status table, log on another session, log off. A call that would have
// to wait for the very call it is made from (opening a store from the
// Prompt of that store's logon, or logging off from it) fails at once
// with MAPI_E_BUSY. Logoff cancels the contexts it passed to providers and
// honours its own. Sinks get notifications under the rules of mapispi's
// "Notifications" section, whatever the provider does; a client sink's
// panic is traced as the client's and drops its connection.
//
// A provider is third-party code: a panic in a call the host makes into
// it is recovered as MAPI_E_CALL_FAILED and disables its service for the
// session. Options.Trace records every call either way, with the SCode a
// C caller would see; Options.Faults makes chosen calls fail, to test a
// provider's failure paths. The conformance kit mapispi/spitest drives
// providers through this package.
package mapi
