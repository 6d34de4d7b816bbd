// Package mapispi is the Go form of Microsoft MAPI's message store provider
// SPI: the contract between MAPI (the host) and a message store provider,
// in the way database/sql/driver is the contract between database/sql and a
// driver. It holds the vocabulary (status codes, identifiers, versions,
// flags, property tags and values) and the interfaces; it imports no other
// package of this module.
//
// # The contract
//
// A store provider supplies an [InitFunc] (MSProviderInit). The host calls
// it once per session with an [Allocator] and a [Malloc], and receives an
// [MSProvider]. Through it the host logs on to stores ([MSProvider.Logon]),
// the spooler logs on with the spool security data Logon returned
// ([MSProvider.SpoolerLogon]), store IDs are compared
// ([MSProvider.CompareStoreIDs]), and the provider is shut down
// ([MSProvider.Shutdown]). Each logon yields an [MSLogon] (what MAPI calls)
// paired with a [MsgStore] (what clients and the spooler call); the two are
// created and released together. During logon the provider calls back into
// the host through [Support] (IMAPISupport).
//
// Every implementation needs InitFunc, MSProvider, MSLogon and MsgStore,
// and each of those is a small required core. What only some stores can
// do is an optional interface, found by type assertion as QueryInterface
// finds it in C, in the way database/sql/driver works: [Adviser]
// (notifications, on a MsgStore or an MSLogon), [ReceiveFolders] and
// [SpoolerStore] (on a MsgStore), [Submitter] (on a Message),
// [NamedProps], [PropertyOpener] and [Copier] (on objects) and
// [AllColumnsTable] (on a Table). The host answers ErrNoSupport for a
// capability a provider lacks, as MAPI answers for a store without it.
// Objects returned by OpenEntry are [Object] values, with properties;
// folders, messages and tables are further interfaces. The conformance
// kit mapispi/spitest checks a provider against the rules stated in these
// doc comments, through the host in package mapi; run it from the
// provider's own tests.
//
// # From C to Go
//
// The same rules apply to every name:
//
//   - Prefixes go: IMSProvider is MSProvider, LPENTRYID is EntryID,
//     ulFlags is a typed flag word such as LogonFlags.
//   - A byte count with a pointer (cbEntryID, lpEntryID) is one []byte.
//   - Out parameters are results; LPMAPIERROR folds into the returned
//     error, as an [*Error], so GetLastError has no Go form.
//   - Release is Close(ctx): MAPI calls an object's Close when the last
//     client handle of it is released, and AddRef has no Go form (a
//     second open is a second handle, which MAPI counts). QueryInterface
//     is a type assertion.
//   - Get prefixes go: GetMemAllocRoutines is MemAllocRoutines.
//   - Methods that may block take a context.Context first (see Contexts).
//
// The main names:
//
//	C                                 Go
//	MSProviderInit                    InitFunc, InitParams
//	IMSProvider::Logon                MSProvider.Logon, LogonRequest, LogonResult
//	IMSProvider::SpoolerLogon         MSProvider.SpoolerLogon, SpoolerLogonRequest
//	IMSProvider::CompareStoreIDs      MSProvider.CompareStoreIDs
//	IMSProvider::Shutdown             MSProvider.Shutdown
//	IMSLogon                          MSLogon
//	IMsgStore                         MsgStore
//	IUnknown::Release (last ref)      Object.Close, Table.Close
//	IMsgStore/IMSLogon::Advise        Adviser (optional)
//	IMsgStore::Set/GetReceiveFolder   ReceiveFolders (optional)
//	IMsgStore::GetOutgoingQueue ...   SpoolerStore (optional)
//	IMessage::SubmitMessage           Submitter (optional)
//	QueryColumns(TBL_ALL_COLUMNS)     AllColumnsTable (optional)
//	IMSLogon/IMsgStore::GetLastError  none: the returned error is the MAPIERROR
//	IMAPIProp (core)                  Properties
//	IProfSect                         ProfileSection
//	IMAPITable (core)                 Table
//	IMAPISupport (store part)         Support
//	IMAPIAdviseSink, NOTIFICATION     AdviseSink, Notification
//	MAPIAllocateBuffer/More/Free      Allocator
//	IMalloc                           Malloc
//	SCODE, HRESULT                    SCode
//	MAPIERROR                         Error
//	MAPI_W_PARTIAL_COMPLETION         PartialError
//	MAPIUID, GUID, IID                UID
//	ENTRYID with its byte count       EntryID
//	ULONG ulPropTag, SPropValue       PropTag, PropValue
//	MAPI_E_LOGON_FAILED               ErrLogonFailed
//	MAPI_W_ERRORS_RETURNED            PT_ERROR values; LogonResult.Warning
//	MDB_NO_DIALOG                     LogonNoDialog
//	CURRENT_SPI_VERSION               SPIVersion
//
// # Errors
//
// A non-nil error means the call failed, and only that: a call that did
// what was asked returns a nil error, so if err != nil is always the right
// test. A failure is an [SCode] or an [*Error] wrapping one and, where
// there is one, its cause; test it with errors.Is(err,
// mapispi.ErrLogonFailed), and reach the cause with errors.Is(err,
// context.Canceled) or errors.As through any number of layers. Bad input
// of any kind is a MAPI error, never a panic. Where a method's
// documentation lists its errors, those are the ones a caller must handle
// specially; like MAPI, any method may also return the generic
// ErrInvalidParameter, ErrUnknownFlags, ErrNotEnoughMemory,
// ErrNotEnoughResources, ErrNotEnoughDisk, ErrDiskError, ErrBadCharWidth
// and ErrCallFailed.
//
// MAPI's warnings (MAPI_W_*) report success with something to say. In Go
// they are never errors; what they say is part of the result:
//
//	MAPI_W_ERRORS_RETURNED     GetProps: a PT_ERROR value among the results
//	                           (PropsWarning gives the SCode back);
//	                           Logon: LogonResult.Warning is not nil
//	SetProps, DeleteProps      S_OK in MAPI too: problems are PropProblems
//	MAPI_W_POSITION_CHANGED    SeekResult.PositionChanged,
//	                           FindResult.PositionChanged
//	MAPI_W_APPROX_COUNT        none: Table.RowCount is exact
//	MAPI_W_PARTIAL_COMPLETION  an error: a *PartialError listing what
//	                           failed, since the request was not done
//	MAPI_W_NO_SERVICE,         not part of the store SPI (session logon,
//	MAPI_W_CANCEL_MESSAGE      transports)
//
// [CodeOf] turns an error back into the SCode a C caller would see, and
// the table above turns a result into its warning, so a host can record
// exactly what MAPI would have returned.
//
// Errors a provider returns from Logon, SpoolerLogon and Shutdown should be
// *Error values whose Component names the layer that failed, whose Message
// names what it was doing, and whose Err keeps the cause, since "why did
// the logon fail" is the question MAPI users ask most.
//
// # Contexts
//
// A method takes a context.Context first when it may block or call into
// another component: the host (every Support method that reaches MAPI's
// state), another provider, the store's data (properties, tables,
// logon and logoff), or the user (Prompt). The context bounds the wait and
// carries cancellation; a cancelled call fails with an error that wraps
// ctx.Err().
//
// Pure computations on their arguments take none: the entry ID
// comparisons (MSProvider.CompareStoreIDs, MSLogon.CompareEntryIDs,
// MsgStore.CompareEntryIDs and Support.CompareEntryIDs, which the host
// routes to an MSLogon by a table lookup), NewUID, MemAllocRoutines, the
// Allocator and Malloc methods, flag checks and formatting. A provider's
// comparison works on the bytes and its own rules and must not block, so
// that MAPI can compare IDs while it routes a call.
//
// # Concurrency
//
// Every interface here is implemented for concurrent use: MAPI, the
// spooler and clients call a provider from many threads. Every exported
// type of this package is safe for concurrent use once built, except that
// a caller must not modify a request, value or slice while another
// goroutine reads it. Buffers passed to a method belong to the caller
// again when it returns; implementations copy what they keep.
//
// # Notifications
//
// Sinks ([AdviseSink], [TableSink]) receive notifications under these
// rules. The host (package mapi) keeps them for Support.Subscribe and
// Notify and for every sink a client registers, mapiutil's tables keep
// them, and a provider that calls sinks itself must keep them too:
//
//   - Each sink gets its notifications in the order the changes happened,
//     one call at a time: OnNotify never runs on two goroutines at once.
//   - Delivery is asynchronous: Support.Notify and the change that makes a
//     table notify return before the sinks run. With NotifySync, a
//     subscription's notifications are synchronous: Notify returns after
//     every such sink it notified has returned (and only then can report
//     NotifyCanceled).
//   - No sink runs on a goroutine that holds a host, provider or table
//     lock, so a sink may call back into the session, the store or the
//     table that notified it.
//   - Once Unadvise, Unsubscribe or the table's Close returns, the sink is
//     not called again. A call under way finishes first; called from inside
//     the sink itself, they return at once, and the sink is not called
//     again after the call it is in.
//   - A sink that panics is the client's fault: the panic is recovered, the
//     connection dropped, and the host reports it as the client's, never as
//     the provider's.
//
// The IMAPISupport::Subscribe page makes notifications asynchronous unless
// NOTIFY_SYNC is given; the IMSLogon::Advise page lets them arrive on any
// thread, during or after the change; the rules above are the strictest
// reading of both.
//
// # Sources
//
// Values come from Microsoft's Outlook MAPI headers (MAPIDefS.h,
// MAPICode.h, MAPISPI.h, MAPIX.h, MAPIGuid.h, MAPITags.h) and behaviour
// from the Outlook MAPI reference on learn.microsoft.com (the pages
// "IMSProvider : IUnknown", "IMSLogon : IUnknown", "IMsgStore :
// IMAPIProp", "IMAPISupport : IUnknown" and those they link to); the
// wrapped store entry ID from [MS-OXCDATA] 2.2.4.3.
package mapispi
