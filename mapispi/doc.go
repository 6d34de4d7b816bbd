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
// Every implementation needs InitFunc, MSProvider, MSLogon and MsgStore.
// Objects returned by OpenEntry are [Object] values; further capabilities
// (folders, messages, tables) are separate interfaces found by type
// assertion, as QueryInterface finds them in C. A conformance kit,
// mapispi/spitest, that checks a provider against the rules stated in
// these doc comments is planned.
//
// # From C to Go
//
// The same rules apply to every name:
//
//   - Prefixes go: IMSProvider is MSProvider, LPENTRYID is EntryID,
//     ulFlags is a typed flag word such as LogonFlags.
//   - A byte count with a pointer (cbEntryID, lpEntryID) is one []byte.
//   - Out parameters are results; LPMAPIERROR folds into the returned
//     error, as an [*Error].
//   - AddRef and Release are gone: an object lives until Logoff or
//     Shutdown ends it. QueryInterface is a type assertion.
//   - Get prefixes go: GetMemAllocRoutines is MemAllocRoutines.
//   - Methods that may block take a context.Context first.
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
//	IMAPIProp (core)                  Properties
//	IProfSect                         ProfileSection
//	IMAPITable (core)                 Table
//	IMAPISupport (store part)         Support
//	IMAPIAdviseSink, NOTIFICATION     AdviseSink, Notification
//	MAPIAllocateBuffer/More/Free      Allocator
//	IMalloc                           Malloc
//	SCODE, HRESULT                    SCode
//	MAPIERROR                         Error
//	MAPIUID, GUID, IID                UID
//	ENTRYID with its byte count       EntryID
//	ULONG ulPropTag, SPropValue       PropTag, PropValue
//	MAPI_E_LOGON_FAILED               ErrLogonFailed
//	MAPI_W_ERRORS_RETURNED            WarnErrorsReturned
//	MDB_NO_DIALOG                     LogonNoDialog
//	CURRENT_SPI_VERSION               SPIVersion
//
// # Errors
//
// Functions return error. A failure is an [SCode] or an [*Error] wrapping
// one; test it with errors.Is(err, mapispi.ErrLogonFailed). S_OK is never
// an error. A warning such as [WarnErrorsReturned] is returned as the error
// of a call that succeeded with something to report, alongside its
// results: use [Failed] where a call documents a warning. Bad input of any
// kind is a MAPI error, never a panic. Where a method's documentation
// lists its errors, those are the ones a caller must handle specially;
// like MAPI, any method may also return the generic ErrInvalidParameter,
// ErrUnknownFlags, ErrNotEnoughMemory, ErrNotEnoughResources,
// ErrNotEnoughDisk, ErrDiskError, ErrBadCharWidth and ErrCallFailed.
//
// Errors a provider returns from Logon, SpoolerLogon and Shutdown should be
// *Error values whose Component names the layer that failed and whose
// Message names the cause, since "why did the logon fail" is the question
// MAPI users ask most.
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
// # Sources
//
// Values come from Microsoft's Outlook MAPI headers (MAPIDefS.h,
// MAPICode.h, MAPISPI.h, MAPIX.h, MAPIGuid.h, MAPITags.h) and behaviour
// from the Outlook MAPI reference on learn.microsoft.com, as summarised in
// the project's shared/spec/spi-facts.md.
package mapispi
