package mapispi

import "context"

// InitFunc is the Go form of MSProviderInit, a store provider's entry
// point. MAPI calls it once per session per provider, the first time the
// session opens one of the provider's stores, and again for every other
// session; every call must return a new, independent MSProvider.
//
// Before it returns, an implementation:
//   - checks p with CheckVersion(p.MAPIVersion, SPIVersion) and fails with
//     ErrVersion when MAPI is older, still returning the version it speaks;
//   - keeps p.Allocator and p.Malloc for every buffer it hands to MAPI;
//   - returns the SPI version it speaks (SPIVersion) with the provider.
//
// On failure the MSProvider is nil. A nil p is ErrInvalidParameter.
type InitFunc func(ctx context.Context, p *InitParams) (MSProvider, Version, error)

// InitParams carries MSProviderInit's inputs.
type InitParams struct {
	// Allocator is MAPI's lpAllocateBuffer, lpAllocateMore and
	// lpFreeBuffer. Every buffer the provider hands to MAPI comes from it.
	Allocator Allocator
	// Malloc is MAPI's lpMalloc (OLE IMalloc), for objects such as IStream.
	Malloc Malloc
	// Flags is ulFlags: InitNTService or nothing.
	Flags InitFlags
	// MAPIVersion is ulMAPIVer, the SPI version MAPI speaks.
	MAPIVersion Version
}

// MSProvider is the Go form of IMSProvider: the provider object that
// MSProviderInit returns, through which MAPI and the MAPI spooler open the
// provider's message stores.
//
// A provider object keeps the Allocator and Malloc it was given and a list
// of every store opened through it and not yet closed. All methods must be
// safe for concurrent use. After Shutdown, every method but Shutdown
// returns ErrInvalidObject.
//
// The conformance kit mapispi/spitest checks an implementation against
// these rules.
type MSProvider interface {
	// Logon is IMSProvider::Logon: open the store that req.EntryID names
	// (the unwrapped store entry ID) for a client, through sup, the
	// support object for this store.
	//
	// First logon of a store in this provider object: validate the entry
	// ID (ErrInvalidEntryID), find the credentials (profile section, else
	// sup.Prompt unless LogonNoDialog), set PR_DISPLAY_NAME, PR_ENTRYID
	// (wrapped), PR_PROVIDER_DISPLAY and PR_RECORD_KEY in the profile
	// section, call sup.SetProviderUID, sup.ModifyProfile (unless
	// LogonTemporary) and sup.ModifyStatusRow, and return a paired MSLogon
	// and MsgStore with the spool security data.
	//
	// SetProviderUID registers the UID that every entry ID the logon
	// issues carries at bytes 4..19, by which MAPI routes IDs to the
	// logon's OpenEntry and CompareEntryIDs. "Registering Service Provider
	// Unique Identifiers" advises a UID per logon object where several can
	// be open at once: then MAPI routes each store's IDs to the store's
	// logon. Where logons share a UID, MAPI gives an ID to the first of
	// them, and a logon answers ErrUnknownEntryID for an ID it does not
	// handle so that MAPI can pass it on to the next.
	//
	// Access: the logon is read-only unless req.Flags has LogonWrite
	// (MDB_WRITE, which requests read/write access) or LogonBestAccess
	// and the store can be written. A store that cannot be written (a
	// read-only file, a user with read rights only) does not fail a logon
	// with LogonWrite: it opens read-only, as the IMAPISession::OpenMsgStore
	// page allows ("If you set the MDB_WRITE flag, you still might not be
	// granted read/write permission"). A read-only logon has
	// STORE_READONLY set and STORE_MODIFY_OK and STORE_CREATE_OK clear in
	// PR_STORE_SUPPORT_MASK, and its SetProps and DeleteProps, and every
	// other change, fail with ErrNoAccess. Logon fails with ErrNoAccess only
	// when the user may not open the store at all.
	//
	// The status row: the first ModifyStatusRow (without StatusRowUpdate)
	// gives the columns the "Status Tables" page asks of every status
	// object: PR_DISPLAY_NAME, PR_STATUS_CODE (STATUS_AVAILABLE,
	// STATUS_OFFLINE or STATUS_FAILURE) and PR_RESOURCE_METHODS (the
	// STATUS_* bits of the IMAPIStatus methods its status object
	// implements; 0 for none). It may add others, such as PR_STATUS_STRING
	// (optional; it explains the code), PR_PROVIDER_DISPLAY or
	// PR_STORE_RECORD_KEY. MAPI supplies PR_PROVIDER_DLL_NAME,
	// PR_RESOURCE_FLAGS and PR_RESOURCE_TYPE (MAPI_STORE_PROVIDER), and
	// computes PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE and PR_ROWID:
	// the provider need not give those. OpenStatusEntry's object has the
	// same columns.
	//
	// Reopen of a store already open in this provider object: return the
	// same MsgStore with a nil MSLogon and no side effects.
	//
	// Concurrent first logons of one store give one MsgStore: when
	// several Logon calls of a store that is not open overlap in one
	// provider object, one of them is the first logon and the others
	// are reopens of the store it opens, however the calls interleave
	// (the provider claims the store before its first support call, not
	// after the logon succeeds). spitest's Concurrency case checks it.
	//
	// Errors: ErrLogonFailed (no session, including UI needed under
	// LogonNoDialog), ErrUserCancel (the user cancelled the prompt),
	// ErrUnconfigured (the profile lacks what logon needs; MAPI configures
	// and retries), ErrFailOneProvider (fail without disabling the
	// service, such as a wrong password with no dialog allowed),
	// ErrInterfaceNotSupported (reopen asking for an interface the store
	// lacks), ErrUnknownFlags, ErrInvalidEntryID. On failure the result is
	// nil and nothing is left allocated. A logon that succeeds with
	// problems to report (MAPI_W_ERRORS_RETURNED in C) returns them in
	// LogonResult.Warning and a nil error.
	Logon(ctx context.Context, sup Support, req *LogonRequest) (*LogonResult, error)

	// SpoolerLogon is IMSProvider::SpoolerLogon: open the store for the
	// MAPI spooler without UI, using the spool security data that Logon
	// returned. The result is a distinct MSLogon and MsgStore, paired and
	// marked as the spooler's. Errors are as for Logon; spool security
	// data that does not authorise this store is ErrNoAccess.
	SpoolerLogon(ctx context.Context, sup Support, req *SpoolerLogonRequest) (*LogonResult, error)

	// CompareStoreIDs is IMSProvider::CompareStoreIDs: whether two
	// unwrapped store entry IDs of this provider name the same store. It
	// works with no store open. Malformed input is ErrInvalidEntryID,
	// never a panic. Like every comparison in this package it takes no
	// context: it compares bytes and must not block.
	CompareStoreIDs(a, b EntryID) (bool, error)

	// Shutdown is IMSProvider::Shutdown: MAPI calls it after releasing all
	// the provider's logon objects, just before releasing the provider.
	// Stores still open are logged off first. A second call does nothing.
	Shutdown(ctx context.Context) error
}

// LogonRequest carries IMSProvider::Logon's inputs.
type LogonRequest struct {
	// UIParam is ulUIParam, the parent window for any UI. Never used when
	// Flags has LogonNoDialog.
	UIParam uintptr
	// ProfileName is lpszProfileName. The provider may show, log or ignore it.
	ProfileName string
	// EntryID is the store's unwrapped entry ID, or nil when no store has
	// been chosen yet (the provider may find one in its profile section or,
	// without LogonNoDialog, ask).
	EntryID EntryID
	// Flags is ulFlags.
	Flags LogonFlags
	// Interface is lpInterface, the interface wanted for the store: the
	// zero UID or IIDMsgStore gives a MsgStore; IIDUnknown lets the
	// provider choose.
	Interface UID
}

// SpoolerLogonRequest carries IMSProvider::SpoolerLogon's inputs: those of
// Logon, with the spool security data an earlier Logon returned. Of the
// flags, LogonDeferredErrors, LogonUnicode, LogonNoDialog and LogonWrite
// are documented for SpoolerLogon.
type SpoolerLogonRequest struct {
	LogonRequest
	// SpoolSecurity is cbSpoolSecurity and lpbSpoolSecurity, passed by
	// value: the bytes Logon returned in LogonResult.SpoolSecurity.
	SpoolSecurity []byte
}

// LogonResult carries the outputs of Logon and SpoolerLogon.
type LogonResult struct {
	// Logon is *lppMSLogon, the part of the open store MAPI calls. It is
	// nil when Logon reopens a store already open in the provider object.
	Logon MSLogon
	// Store is *lppMDB, the store object clients and the spooler use.
	Store MsgStore
	// SpoolSecurity is *lppbSpoolSecurity (Logon only): what SpoolerLogon
	// needs to open the same store without UI. It holds no pointers, is
	// allocated with the Allocator the provider got from MSProviderInit,
	// and MAPI frees it with that Allocator's FreeBuffer. Nil is allowed.
	SpoolSecurity []byte
	// Warning is what MAPI_W_ERRORS_RETURNED and its MAPIERROR tell a C
	// caller: the logon succeeded, and Warning says what went wrong on the
	// way (a server unreachable, so the store works offline, say). Its
	// Code is that problem's. Nil when there is nothing to report.
	Warning *Error
}

// Interface identifiers from MAPIGuid.h, as UIDs in memory byte order.
var (
	IIDUnknown    = MustParseUID("{00000000-0000-0000-C000-000000000046}") // IID_IUnknown
	IIDMAPIProp   = MustParseUID("{00020303-0000-0000-C000-000000000046}") // IID_IMAPIProp
	IIDProfSect   = MustParseUID("{00020304-0000-0000-C000-000000000046}") // IID_IProfSect
	IIDMAPIStatus = MustParseUID("{00020305-0000-0000-C000-000000000046}") // IID_IMAPIStatus
	IIDMsgStore   = MustParseUID("{00020306-0000-0000-C000-000000000046}") // IID_IMsgStore
	IIDMessage    = MustParseUID("{00020307-0000-0000-C000-000000000046}") // IID_IMessage
	IIDMAPIFolder = MustParseUID("{0002030C-0000-0000-C000-000000000046}") // IID_IMAPIFolder
	IIDMAPISup    = MustParseUID("{0002030F-0000-0000-C000-000000000046}") // IID_IMAPISup
	IIDMSProvider = MustParseUID("{00020310-0000-0000-C000-000000000046}") // IID_IMSProvider
	IIDMSLogon    = MustParseUID("{00020313-0000-0000-C000-000000000046}") // IID_IMSLogon
)
