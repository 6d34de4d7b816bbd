package mapispi

import (
	"fmt"
	"strings"
)

// flagName is one named bit (or bit group) of a flag word.
type flagName struct {
	bit  uint32
	name string
}

// formatFlags lists the names of the bits set in v, separated by "|",
// followed by any remaining bits in hex; zero prints as "0".
func formatFlags(v uint32, names []flagName) string {
	if v == 0 {
		return "0"
	}
	var b strings.Builder
	for _, n := range names {
		if v&n.bit == n.bit && n.bit != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(n.name)
			v &^= n.bit
		}
	}
	if v != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		fmt.Fprintf(&b, "0x%X", v)
	}
	return b.String()
}

// checkFlags returns nil if v has no bit outside known, or an *Error
// wrapping ErrUnknownFlags that names the undefined bits.
func checkFlags(kind string, v, known uint32) error {
	if extra := v &^ known; extra != 0 {
		return Errorf(ErrUnknownFlags, kind, "undefined flag bits 0x%08X in 0x%08X", extra, v)
	}
	return nil
}

// LogonFlags is the Go form of the ulFlags of IMSProvider::Logon,
// IMSProvider::SpoolerLogon and IMAPISession::OpenMsgStore.
type LogonFlags uint32

// Logon flags, from MAPIDefS.h, MAPIX.h and the MAPI constants page.
const (
	LogonNoDialog       LogonFlags = 0x00000001 // MDB_NO_DIALOG: no UI at all
	LogonWrite          LogonFlags = 0x00000004 // MDB_WRITE: read/write requested
	LogonDeferredErrors LogonFlags = 0x00000008 // MAPI_DEFERRED_ERRORS
	LogonBestAccess     LogonFlags = 0x00000010 // MAPI_BEST_ACCESS (OpenMsgStore; hosts forward it)
	LogonTemporary      LogonFlags = 0x00000020 // MDB_TEMPORARY: profile access only, not listed
	LogonNoMail         LogonFlags = 0x00000080 // MDB_NO_MAIL: not used to send or receive
	LogonOnline         LogonFlags = 0x00000100 // MDB_ONLINE: the server copy, not the cache
	LogonOSTUnicode     LogonFlags = 0x00000800 // MDB_OST_LOGON_UNICODE (wrapped PST hosts)
	LogonOSTANSI        LogonFlags = 0x00001000 // MDB_OST_LOGON_ANSI (wrapped PST hosts)
	LogonUnicode        LogonFlags = 0x80000000 // MAPI_UNICODE: strings are UTF-16
)

// LogonDocumented is the set of the six flags the IMSProvider::Logon page
// documents. LogonKnown adds the bits real hosts also pass.
const (
	LogonDocumented = LogonNoDialog | LogonWrite | LogonDeferredErrors | LogonTemporary | LogonNoMail | LogonUnicode
	LogonKnown      = LogonDocumented | LogonBestAccess | LogonOnline | LogonOSTUnicode | LogonOSTANSI
)

var logonFlagNames = []flagName{
	{uint32(LogonNoDialog), "MDB_NO_DIALOG"},
	{uint32(LogonWrite), "MDB_WRITE"},
	{uint32(LogonDeferredErrors), "MAPI_DEFERRED_ERRORS"},
	{uint32(LogonBestAccess), "MAPI_BEST_ACCESS"},
	{uint32(LogonTemporary), "MDB_TEMPORARY"},
	{uint32(LogonNoMail), "MDB_NO_MAIL"},
	{uint32(LogonOnline), "MDB_ONLINE"},
	{uint32(LogonOSTUnicode), "MDB_OST_LOGON_UNICODE"},
	{uint32(LogonOSTANSI), "MDB_OST_LOGON_ANSI"},
	{uint32(LogonUnicode), "MAPI_UNICODE"},
}

// String lists the set bits by MAPI name, such as "MDB_NO_DIALOG|MDB_WRITE";
// bits without a name follow in hex.
func (f LogonFlags) String() string { return formatFlags(uint32(f), logonFlagNames) }

// Check returns nil if every bit of f is one a MAPI header or a real host
// defines (LogonKnown), or an error wrapping ErrUnknownFlags naming the
// others. Known bits the call does not use are tolerated, as hosts send them.
func (f LogonFlags) Check() error { return checkFlags("LogonFlags", uint32(f), uint32(LogonKnown)) }

// InitFlags is the Go form of MSProviderInit's ulFlags.
type InitFlags uint32

// InitNTService is MAPI_NT_SERVICE: the provider runs inside a Windows
// service, so no UI is possible. It is the only documented flag.
const InitNTService InitFlags = 0x00010000

var initFlagNames = []flagName{{uint32(InitNTService), "MAPI_NT_SERVICE"}}

// String lists the set bits by MAPI name.
func (f InitFlags) String() string { return formatFlags(uint32(f), initFlagNames) }

// Check returns nil unless f has a bit other than InitNTService, which is
// ErrUnknownFlags.
func (f InitFlags) Check() error { return checkFlags("InitFlags", uint32(f), uint32(InitNTService)) }

// LogoffFlags is the Go form of the in/out flags of IMsgStore::StoreLogoff
// and IMAPISupport::StoreLogoffTransports.
type LogoffFlags uint32

// Logoff flags, from MAPIDefS.h. The input flags are mutually exclusive.
const (
	LogoffNoWait        LogoffFlags = 0x00000001 // LOGOFF_NO_WAIT (in)
	LogoffOrderly       LogoffFlags = 0x00000002 // LOGOFF_ORDERLY (in)
	LogoffPurge         LogoffFlags = 0x00000004 // LOGOFF_PURGE (in)
	LogoffAbort         LogoffFlags = 0x00000008 // LOGOFF_ABORT (in)
	LogoffQuiet         LogoffFlags = 0x00000010 // LOGOFF_QUIET (in)
	LogoffComplete      LogoffFlags = 0x00010000 // LOGOFF_COMPLETE (out)
	LogoffInbound       LogoffFlags = 0x00020000 // LOGOFF_INBOUND (out)
	LogoffOutbound      LogoffFlags = 0x00040000 // LOGOFF_OUTBOUND (out)
	LogoffOutboundQueue LogoffFlags = 0x00080000 // LOGOFF_OUTBOUND_QUEUE (out)

	// LogoffIn and LogoffOut are the input and output flag sets.
	LogoffIn  = LogoffNoWait | LogoffOrderly | LogoffPurge | LogoffAbort | LogoffQuiet
	LogoffOut = LogoffComplete | LogoffInbound | LogoffOutbound | LogoffOutboundQueue
)

var logoffFlagNames = []flagName{
	{uint32(LogoffNoWait), "LOGOFF_NO_WAIT"},
	{uint32(LogoffOrderly), "LOGOFF_ORDERLY"},
	{uint32(LogoffPurge), "LOGOFF_PURGE"},
	{uint32(LogoffAbort), "LOGOFF_ABORT"},
	{uint32(LogoffQuiet), "LOGOFF_QUIET"},
	{uint32(LogoffComplete), "LOGOFF_COMPLETE"},
	{uint32(LogoffInbound), "LOGOFF_INBOUND"},
	{uint32(LogoffOutbound), "LOGOFF_OUTBOUND"},
	{uint32(LogoffOutboundQueue), "LOGOFF_OUTBOUND_QUEUE"},
}

// String lists the set bits by MAPI name.
func (f LogoffFlags) String() string { return formatFlags(uint32(f), logoffFlagNames) }

// Check returns nil if f holds only input flags (LogoffIn), or an error
// wrapping ErrUnknownFlags. It does not enforce that exactly one input flag
// is set; that rule belongs to the method receiving them.
func (f LogoffFlags) Check() error { return checkFlags("LogoffFlags", uint32(f), uint32(LogoffIn)) }

// OpenFlags is the Go form of the ulFlags of OpenEntry,
// OpenProfileSection and OpenStatusEntry.
type OpenFlags uint32

// Open flags, from MAPIDefS.h. OpenModify is the same bit as
// LogonNoDialog, in a different namespace.
const (
	OpenModify         OpenFlags = 0x00000001 // MAPI_MODIFY: read/write
	OpenDeferredErrors OpenFlags = 0x00000008 // MAPI_DEFERRED_ERRORS
	OpenBestAccess     OpenFlags = 0x00000010 // MAPI_BEST_ACCESS
	OpenNoCache        OpenFlags = 0x00000200 // MAPI_NO_CACHE: the server copy (cached mode)
	OpenUnicode        OpenFlags = 0x80000000 // MAPI_UNICODE

	// OpenKnown is every flag an Open method may be given.
	OpenKnown = OpenModify | OpenDeferredErrors | OpenBestAccess | OpenNoCache | OpenUnicode
)

var openFlagNames = []flagName{
	{uint32(OpenModify), "MAPI_MODIFY"},
	{uint32(OpenDeferredErrors), "MAPI_DEFERRED_ERRORS"},
	{uint32(OpenBestAccess), "MAPI_BEST_ACCESS"},
	{uint32(OpenNoCache), "MAPI_NO_CACHE"},
	{uint32(OpenUnicode), "MAPI_UNICODE"},
}

// String lists the set bits by MAPI name.
func (f OpenFlags) String() string { return formatFlags(uint32(f), openFlagNames) }

// Check returns nil if f holds only OpenKnown bits, or an error wrapping
// ErrUnknownFlags.
func (f OpenFlags) Check() error { return checkFlags("OpenFlags", uint32(f), uint32(OpenKnown)) }

// EventMask is the Go form of a notification event mask (the fnev* bits of
// ulEventMask and NOTIFICATION.ulEventType).
type EventMask uint32

// Notification events, from MAPIDefS.h.
const (
	EventCriticalError        EventMask = 0x00000001 // fnevCriticalError
	EventNewMail              EventMask = 0x00000002 // fnevNewMail
	EventObjectCreated        EventMask = 0x00000004 // fnevObjectCreated
	EventObjectDeleted        EventMask = 0x00000008 // fnevObjectDeleted
	EventObjectModified       EventMask = 0x00000010 // fnevObjectModified
	EventObjectMoved          EventMask = 0x00000020 // fnevObjectMoved
	EventObjectCopied         EventMask = 0x00000040 // fnevObjectCopied
	EventSearchComplete       EventMask = 0x00000080 // fnevSearchComplete
	EventTableModified        EventMask = 0x00000100 // fnevTableModified
	EventStatusObjectModified EventMask = 0x00000200 // fnevStatusObjectModified
	EventReservedForMAPI      EventMask = 0x40000000 // fnevReservedForMapi
	EventExtended             EventMask = 0x80000000 // fnevExtended
	eventKnown                          = 0x3FF | EventReservedForMAPI | EventExtended
)

var eventNames = []flagName{
	{uint32(EventCriticalError), "fnevCriticalError"},
	{uint32(EventNewMail), "fnevNewMail"},
	{uint32(EventObjectCreated), "fnevObjectCreated"},
	{uint32(EventObjectDeleted), "fnevObjectDeleted"},
	{uint32(EventObjectModified), "fnevObjectModified"},
	{uint32(EventObjectMoved), "fnevObjectMoved"},
	{uint32(EventObjectCopied), "fnevObjectCopied"},
	{uint32(EventSearchComplete), "fnevSearchComplete"},
	{uint32(EventTableModified), "fnevTableModified"},
	{uint32(EventStatusObjectModified), "fnevStatusObjectModified"},
	{uint32(EventReservedForMAPI), "fnevReservedForMapi"},
	{uint32(EventExtended), "fnevExtended"},
}

// String lists the set bits by MAPI name.
func (m EventMask) String() string { return formatFlags(uint32(m), eventNames) }

// Check returns nil if m holds only defined events, or an error wrapping
// ErrUnknownFlags.
func (m EventMask) Check() error { return checkFlags("EventMask", uint32(m), uint32(eventKnown)) }

// NotifyFlags is the Go form of the flags of IMAPISupport::Subscribe and
// IMAPISupport::Notify.
type NotifyFlags uint32

// Notify flags, from MAPIDefS.h and MAPISPI.h.
const (
	NotifySync     NotifyFlags = 0x40000000 // NOTIFY_SYNC (Subscribe): later Notify calls are synchronous
	NotifyCanceled NotifyFlags = 0x80000000 // NOTIFY_CANCELED (Notify, out): a sink returned CALLBACK_DISCONTINUE
)

var notifyFlagNames = []flagName{
	{uint32(NotifySync), "NOTIFY_SYNC"},
	{uint32(NotifyCanceled), "NOTIFY_CANCELED"},
}

// String lists the set bits by MAPI name.
func (f NotifyFlags) String() string { return formatFlags(uint32(f), notifyFlagNames) }

// SpoolerNotifyFlags is the Go form of IMAPISupport::SpoolerNotify's ulFlags.
type SpoolerNotifyFlags uint32

// SpoolerNotify flags, from MAPISPI.h. A store provider may pass only
// NotifyReadyToSend and NotifyNewMailReceived; the rest are for transports.
const (
	NotifyNewMail         SpoolerNotifyFlags = 0x00000001 // NOTIFY_NEWMAIL (transports)
	NotifyReadyToSend     SpoolerNotifyFlags = 0x00000002 // NOTIFY_READYTOSEND
	NotifySentDeferred    SpoolerNotifyFlags = 0x00000004 // NOTIFY_SENTDEFERRED (transports)
	NotifyCritSec         SpoolerNotifyFlags = 0x00001000 // NOTIFY_CRITSEC (transports)
	NotifyNonCrit         SpoolerNotifyFlags = 0x00002000 // NOTIFY_NONCRIT (transports)
	NotifyConfigChange    SpoolerNotifyFlags = 0x00004000 // NOTIFY_CONFIG_CHANGE (transports)
	NotifyCriticalError   SpoolerNotifyFlags = 0x10000000 // NOTIFY_CRITICAL_ERROR (transports)
	NotifyNewMailReceived SpoolerNotifyFlags = 0x20000000 // NOTIFY_NEWMAIL_RECEIVED (tightly coupled stores)

	// SpoolerNotifyStore is the set a store provider may pass.
	SpoolerNotifyStore = NotifyReadyToSend | NotifyNewMailReceived
)

var spoolerNotifyNames = []flagName{
	{uint32(NotifyNewMail), "NOTIFY_NEWMAIL"},
	{uint32(NotifyReadyToSend), "NOTIFY_READYTOSEND"},
	{uint32(NotifySentDeferred), "NOTIFY_SENTDEFERRED"},
	{uint32(NotifyCritSec), "NOTIFY_CRITSEC"},
	{uint32(NotifyNonCrit), "NOTIFY_NONCRIT"},
	{uint32(NotifyConfigChange), "NOTIFY_CONFIG_CHANGE"},
	{uint32(NotifyCriticalError), "NOTIFY_CRITICAL_ERROR"},
	{uint32(NotifyNewMailReceived), "NOTIFY_NEWMAIL_RECEIVED"},
}

// String lists the set bits by MAPI name.
func (f SpoolerNotifyFlags) String() string { return formatFlags(uint32(f), spoolerNotifyNames) }

// StatusRowFlags is the Go form of IMAPISupport::ModifyStatusRow's ulFlags.
type StatusRowFlags uint32

// StatusRowUpdate is STATUSROW_UPDATE: merge only the columns given into
// the existing row.
const StatusRowUpdate StatusRowFlags = 0x10000000

// String lists the set bits by MAPI name.
func (f StatusRowFlags) String() string {
	return formatFlags(uint32(f), []flagName{{uint32(StatusRowUpdate), "STATUSROW_UPDATE"}})
}

// StoreSupportMask is the Go form of the PR_STORE_SUPPORT_MASK bits.
type StoreSupportMask uint32

// Store support bits, from MAPIDefS.h. A read-only logon clears
// StoreModifyOK and StoreCreateOK.
const (
	StoreEntryIDUnique   StoreSupportMask = 0x00000001 // STORE_ENTRYID_UNIQUE
	StoreReadOnly        StoreSupportMask = 0x00000002 // STORE_READONLY
	StoreSearchOK        StoreSupportMask = 0x00000004 // STORE_SEARCH_OK
	StoreModifyOK        StoreSupportMask = 0x00000008 // STORE_MODIFY_OK
	StoreCreateOK        StoreSupportMask = 0x00000010 // STORE_CREATE_OK
	StoreAttachOK        StoreSupportMask = 0x00000020 // STORE_ATTACH_OK
	StoreOLEOK           StoreSupportMask = 0x00000040 // STORE_OLE_OK
	StoreSubmitOK        StoreSupportMask = 0x00000080 // STORE_SUBMIT_OK
	StoreNotifyOK        StoreSupportMask = 0x00000100 // STORE_NOTIFY_OK
	StoreMVPropsOK       StoreSupportMask = 0x00000200 // STORE_MV_PROPS_OK
	StoreCategorizeOK    StoreSupportMask = 0x00000400 // STORE_CATEGORIZE_OK
	StoreRTFOK           StoreSupportMask = 0x00000800 // STORE_RTF_OK
	StoreRestrictionOK   StoreSupportMask = 0x00001000 // STORE_RESTRICTION_OK
	StoreSortOK          StoreSupportMask = 0x00002000 // STORE_SORT_OK
	StorePublicFolders   StoreSupportMask = 0x00004000 // STORE_PUBLIC_FOLDERS
	StoreUncompressedRTF StoreSupportMask = 0x00008000 // STORE_UNCOMPRESSED_RTF
)

var storeSupportNames = []flagName{
	{uint32(StoreEntryIDUnique), "STORE_ENTRYID_UNIQUE"},
	{uint32(StoreReadOnly), "STORE_READONLY"},
	{uint32(StoreSearchOK), "STORE_SEARCH_OK"},
	{uint32(StoreModifyOK), "STORE_MODIFY_OK"},
	{uint32(StoreCreateOK), "STORE_CREATE_OK"},
	{uint32(StoreAttachOK), "STORE_ATTACH_OK"},
	{uint32(StoreOLEOK), "STORE_OLE_OK"},
	{uint32(StoreSubmitOK), "STORE_SUBMIT_OK"},
	{uint32(StoreNotifyOK), "STORE_NOTIFY_OK"},
	{uint32(StoreMVPropsOK), "STORE_MV_PROPS_OK"},
	{uint32(StoreCategorizeOK), "STORE_CATEGORIZE_OK"},
	{uint32(StoreRTFOK), "STORE_RTF_OK"},
	{uint32(StoreRestrictionOK), "STORE_RESTRICTION_OK"},
	{uint32(StoreSortOK), "STORE_SORT_OK"},
	{uint32(StorePublicFolders), "STORE_PUBLIC_FOLDERS"},
	{uint32(StoreUncompressedRTF), "STORE_UNCOMPRESSED_RTF"},
}

// String lists the set bits by MAPI name.
func (m StoreSupportMask) String() string { return formatFlags(uint32(m), storeSupportNames) }

// ObjectType is the Go form of the object type of PR_OBJECT_TYPE and of
// OpenEntry's lpulObjType.
type ObjectType uint32

// Object types, from MAPIDefS.h.
const (
	ObjStore    ObjectType = 0x1 // MAPI_STORE
	ObjAddrBook ObjectType = 0x2 // MAPI_ADDRBOOK
	ObjFolder   ObjectType = 0x3 // MAPI_FOLDER
	ObjABCont   ObjectType = 0x4 // MAPI_ABCONT
	ObjMessage  ObjectType = 0x5 // MAPI_MESSAGE
	ObjMailUser ObjectType = 0x6 // MAPI_MAILUSER
	ObjAttach   ObjectType = 0x7 // MAPI_ATTACH
	ObjDistList ObjectType = 0x8 // MAPI_DISTLIST
	ObjProfSect ObjectType = 0x9 // MAPI_PROFSECT
	ObjStatus   ObjectType = 0xA // MAPI_STATUS
	ObjSession  ObjectType = 0xB // MAPI_SESSION
	ObjFormInfo ObjectType = 0xC // MAPI_FORMINFO
)

var objectTypeNames = [...]string{
	"", "MAPI_STORE", "MAPI_ADDRBOOK", "MAPI_FOLDER", "MAPI_ABCONT", "MAPI_MESSAGE",
	"MAPI_MAILUSER", "MAPI_ATTACH", "MAPI_DISTLIST", "MAPI_PROFSECT", "MAPI_STATUS",
	"MAPI_SESSION", "MAPI_FORMINFO",
}

// String returns the MAPI name, such as "MAPI_STORE", or "ObjectType(N)".
func (t ObjectType) String() string {
	if t > 0 && int(t) < len(objectTypeNames) {
		return objectTypeNames[t]
	}
	return fmt.Sprintf("ObjectType(%d)", uint32(t))
}
