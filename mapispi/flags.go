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
	OpenCreate         OpenFlags = 0x00000002 // MAPI_CREATE: OpenProperty creates (or empties) the property
	OpenDeferredErrors OpenFlags = 0x00000008 // MAPI_DEFERRED_ERRORS
	OpenBestAccess     OpenFlags = 0x00000010 // MAPI_BEST_ACCESS
	OpenNoCache        OpenFlags = 0x00000200 // MAPI_NO_CACHE: the server copy (cached mode)
	OpenUnicode        OpenFlags = 0x80000000 // MAPI_UNICODE

	// OpenKnown is every flag an Open method may be given; OpenProperty
	// also takes OpenCreate.
	OpenKnown = OpenModify | OpenDeferredErrors | OpenBestAccess | OpenNoCache | OpenUnicode
)

var openFlagNames = []flagName{
	{uint32(OpenModify), "MAPI_MODIFY"},
	{uint32(OpenCreate), "MAPI_CREATE"},
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

// Store support bits, from MAPIDefS.h and the PidTagStoreSupportMask page
// of the MAPI reference (the bits from StoreHTMLOK on). A read-only logon
// clears StoreModifyOK and StoreCreateOK.
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
	StoreHTMLOK          StoreSupportMask = 0x00010000 // STORE_HTML_OK: PR_BODY_HTML is kept
	StoreANSIOK          StoreSupportMask = 0x00020000 // STORE_ANSI_OK
	StoreUnicodeOK       StoreSupportMask = 0x00040000 // STORE_UNICODE_OK
	StoreLocalStore      StoreSupportMask = 0x00080000 // STORE_LOCALSTORE (reserved)
	StoreItemProc        StoreSupportMask = 0x00200000 // STORE_ITEMPROC (wrapped PST)
	StorePusherOK        StoreSupportMask = 0x00800000 // STORE_PUSHER_OK
	StoreRulesOK         StoreSupportMask = 0x10000000 // STORE_RULES_OK (wrapped PST)
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
	{uint32(StoreHTMLOK), "STORE_HTML_OK"},
	{uint32(StoreANSIOK), "STORE_ANSI_OK"},
	{uint32(StoreUnicodeOK), "STORE_UNICODE_OK"},
	{uint32(StoreLocalStore), "STORE_LOCALSTORE"},
	{uint32(StoreItemProc), "STORE_ITEMPROC"},
	{uint32(StorePusherOK), "STORE_PUSHER_OK"},
	{uint32(StoreRulesOK), "STORE_RULES_OK"},
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
	if t > 0 && uint64(t) < uint64(len(objectTypeNames)) {
		return objectTypeNames[t]
	}
	return fmt.Sprintf("ObjectType(%d)", uint32(t))
}

// formatEnum returns names[v], or "Type(v)" for a value names has no entry
// for.
func formatEnum(typ string, v uint32, names []string) string {
	if uint64(v) < uint64(len(names)) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// StoreState is the Go form of the PR_STORE_STATE bits.
type StoreState uint32

// StoreHasSearches is STORE_HAS_SEARCHES (MAPIDefS.h): the store has
// active search-results folders. It is the only bit MAPIDefS.h defines.
const StoreHasSearches StoreState = 0x01000000

// String lists the set bits by MAPI name.
func (s StoreState) String() string {
	return formatFlags(uint32(s), []flagName{{uint32(StoreHasSearches), "STORE_HAS_SEARCHES"}})
}

// ValidFolderMask is the Go form of the PR_VALID_FOLDER_MASK bits: which of
// a store's special folders exist.
type ValidFolderMask uint32

// Valid folder bits, from MAPIDefS.h.
const (
	FolderIPMSubtreeValid     ValidFolderMask = 0x00000001 // FOLDER_IPM_SUBTREE_VALID
	FolderIPMInboxValid       ValidFolderMask = 0x00000002 // FOLDER_IPM_INBOX_VALID
	FolderIPMOutboxValid      ValidFolderMask = 0x00000004 // FOLDER_IPM_OUTBOX_VALID
	FolderIPMWastebasketValid ValidFolderMask = 0x00000008 // FOLDER_IPM_WASTEBASKET_VALID
	FolderIPMSentMailValid    ValidFolderMask = 0x00000010 // FOLDER_IPM_SENTMAIL_VALID
	FolderViewsValid          ValidFolderMask = 0x00000020 // FOLDER_VIEWS_VALID
	FolderCommonViewsValid    ValidFolderMask = 0x00000040 // FOLDER_COMMON_VIEWS_VALID
	FolderFinderValid         ValidFolderMask = 0x00000080 // FOLDER_FINDER_VALID
)

var validFolderNames = []flagName{
	{uint32(FolderIPMSubtreeValid), "FOLDER_IPM_SUBTREE_VALID"},
	{uint32(FolderIPMInboxValid), "FOLDER_IPM_INBOX_VALID"},
	{uint32(FolderIPMOutboxValid), "FOLDER_IPM_OUTBOX_VALID"},
	{uint32(FolderIPMWastebasketValid), "FOLDER_IPM_WASTEBASKET_VALID"},
	{uint32(FolderIPMSentMailValid), "FOLDER_IPM_SENTMAIL_VALID"},
	{uint32(FolderViewsValid), "FOLDER_VIEWS_VALID"},
	{uint32(FolderCommonViewsValid), "FOLDER_COMMON_VIEWS_VALID"},
	{uint32(FolderFinderValid), "FOLDER_FINDER_VALID"},
}

// String lists the set bits by MAPI name.
func (m ValidFolderMask) String() string { return formatFlags(uint32(m), validFolderNames) }

// FolderType is the Go form of PR_FOLDER_TYPE and of
// IMAPIFolder::CreateFolder's ulFolderType.
type FolderType uint32

// Folder types, from MAPIDefS.h.
const (
	FolderRoot    FolderType = 0 // FOLDER_ROOT
	FolderGeneric FolderType = 1 // FOLDER_GENERIC
	FolderSearch  FolderType = 2 // FOLDER_SEARCH
)

var folderTypeNames = []string{"FOLDER_ROOT", "FOLDER_GENERIC", "FOLDER_SEARCH"}

// String returns the MAPI name, such as "FOLDER_GENERIC", or "FolderType(N)".
func (t FolderType) String() string { return formatEnum("FolderType", uint32(t), folderTypeNames) }

// MessageFlags is the Go form of the PR_MESSAGE_FLAGS bits: a message's
// origin and state.
type MessageFlags uint32

// Message flags, from MAPIDefS.h; [MS-OXCMSG] 2.2.1.6 calls the same bits
// mfRead, mfUnmodified and so on, and documents MsgFlagEverRead. The
// MsgFlagOrigin bits are named on the PidTagMessageFlags page of the MAPI
// reference, with the values Microsoft's own headers give them.
const (
	MsgFlagRead           MessageFlags = 0x00000001 // MSGFLAG_READ
	MsgFlagUnmodified     MessageFlags = 0x00000002 // MSGFLAG_UNMODIFIED
	MsgFlagSubmit         MessageFlags = 0x00000004 // MSGFLAG_SUBMIT
	MsgFlagUnsent         MessageFlags = 0x00000008 // MSGFLAG_UNSENT
	MsgFlagHasAttach      MessageFlags = 0x00000010 // MSGFLAG_HASATTACH
	MsgFlagFromMe         MessageFlags = 0x00000020 // MSGFLAG_FROMME
	MsgFlagAssociated     MessageFlags = 0x00000040 // MSGFLAG_ASSOCIATED
	MsgFlagResend         MessageFlags = 0x00000080 // MSGFLAG_RESEND
	MsgFlagRNPending      MessageFlags = 0x00000100 // MSGFLAG_RN_PENDING
	MsgFlagNRNPending     MessageFlags = 0x00000200 // MSGFLAG_NRN_PENDING
	MsgFlagEverRead       MessageFlags = 0x00000400 // MSGFLAG_EVERREAD (mfEverRead)
	MsgFlagOriginX400     MessageFlags = 0x00001000 // MSGFLAG_ORIGIN_X400
	MsgFlagOriginInternet MessageFlags = 0x00002000 // MSGFLAG_ORIGIN_INTERNET
	MsgFlagOriginMiscExt  MessageFlags = 0x00008000 // MSGFLAG_ORIGIN_MISC_EXT
)

var messageFlagNames = []flagName{
	{uint32(MsgFlagRead), "MSGFLAG_READ"},
	{uint32(MsgFlagUnmodified), "MSGFLAG_UNMODIFIED"},
	{uint32(MsgFlagSubmit), "MSGFLAG_SUBMIT"},
	{uint32(MsgFlagUnsent), "MSGFLAG_UNSENT"},
	{uint32(MsgFlagHasAttach), "MSGFLAG_HASATTACH"},
	{uint32(MsgFlagFromMe), "MSGFLAG_FROMME"},
	{uint32(MsgFlagAssociated), "MSGFLAG_ASSOCIATED"},
	{uint32(MsgFlagResend), "MSGFLAG_RESEND"},
	{uint32(MsgFlagRNPending), "MSGFLAG_RN_PENDING"},
	{uint32(MsgFlagNRNPending), "MSGFLAG_NRN_PENDING"},
	{uint32(MsgFlagEverRead), "MSGFLAG_EVERREAD"},
	{uint32(MsgFlagOriginX400), "MSGFLAG_ORIGIN_X400"},
	{uint32(MsgFlagOriginInternet), "MSGFLAG_ORIGIN_INTERNET"},
	{uint32(MsgFlagOriginMiscExt), "MSGFLAG_ORIGIN_MISC_EXT"},
}

// String lists the set bits by MAPI name, such as
// "MSGFLAG_READ|MSGFLAG_HASATTACH"; bits without a name follow in hex.
func (f MessageFlags) String() string { return formatFlags(uint32(f), messageFlagNames) }

// MessageStatus is the Go form of the PR_MSG_STATUS bits, as
// IMAPIFolder::GetMessageStatus and SetMessageStatus pass them.
type MessageStatus uint32

// Message status bits, from MAPIDefS.h; MsgStatusDraft and
// MsgStatusAnswered from the PR_MSG_STATUS page of the MAPI reference.
const (
	MsgStatusHighlighted    MessageStatus = 0x00000001 // MSGSTATUS_HIGHLIGHTED
	MsgStatusTagged         MessageStatus = 0x00000002 // MSGSTATUS_TAGGED
	MsgStatusHidden         MessageStatus = 0x00000004 // MSGSTATUS_HIDDEN
	MsgStatusDelMarked      MessageStatus = 0x00000008 // MSGSTATUS_DELMARKED
	MsgStatusDraft          MessageStatus = 0x00000100 // MSGSTATUS_DRAFT
	MsgStatusAnswered       MessageStatus = 0x00000200 // MSGSTATUS_ANSWERED
	MsgStatusRemoteDownload MessageStatus = 0x00001000 // MSGSTATUS_REMOTE_DOWNLOAD
	MsgStatusRemoteDelete   MessageStatus = 0x00002000 // MSGSTATUS_REMOTE_DELETE
)

var messageStatusNames = []flagName{
	{uint32(MsgStatusHighlighted), "MSGSTATUS_HIGHLIGHTED"},
	{uint32(MsgStatusTagged), "MSGSTATUS_TAGGED"},
	{uint32(MsgStatusHidden), "MSGSTATUS_HIDDEN"},
	{uint32(MsgStatusDelMarked), "MSGSTATUS_DELMARKED"},
	{uint32(MsgStatusDraft), "MSGSTATUS_DRAFT"},
	{uint32(MsgStatusAnswered), "MSGSTATUS_ANSWERED"},
	{uint32(MsgStatusRemoteDownload), "MSGSTATUS_REMOTE_DOWNLOAD"},
	{uint32(MsgStatusRemoteDelete), "MSGSTATUS_REMOTE_DELETE"},
}

// String lists the set bits by MAPI name.
func (s MessageStatus) String() string { return formatFlags(uint32(s), messageStatusNames) }

// SubmitFlags is the Go form of the PR_SUBMIT_FLAGS bits.
type SubmitFlags uint32

// Submit flags, from MAPIDefS.h.
const (
	SubmitLocked     SubmitFlags = 0x00000001 // SUBMITFLAG_LOCKED: the spooler holds the message
	SubmitPreprocess SubmitFlags = 0x00000002 // SUBMITFLAG_PREPROCESS: preprocessing is due
)

var submitFlagNames = []flagName{
	{uint32(SubmitLocked), "SUBMITFLAG_LOCKED"},
	{uint32(SubmitPreprocess), "SUBMITFLAG_PREPROCESS"},
}

// String lists the set bits by MAPI name.
func (f SubmitFlags) String() string { return formatFlags(uint32(f), submitFlagNames) }

// AccessFlags is the Go form of the PR_ACCESS bits: what the caller may do
// with a folder or message.
type AccessFlags uint32

// Access bits, from MAPIDefS.h.
const (
	AccessModify           AccessFlags = 0x00000001 // MAPI_ACCESS_MODIFY
	AccessRead             AccessFlags = 0x00000002 // MAPI_ACCESS_READ
	AccessDelete           AccessFlags = 0x00000004 // MAPI_ACCESS_DELETE
	AccessCreateHierarchy  AccessFlags = 0x00000008 // MAPI_ACCESS_CREATE_HIERARCHY
	AccessCreateContents   AccessFlags = 0x00000010 // MAPI_ACCESS_CREATE_CONTENTS
	AccessCreateAssociated AccessFlags = 0x00000020 // MAPI_ACCESS_CREATE_ASSOCIATED
)

var accessNames = []flagName{
	{uint32(AccessModify), "MAPI_ACCESS_MODIFY"},
	{uint32(AccessRead), "MAPI_ACCESS_READ"},
	{uint32(AccessDelete), "MAPI_ACCESS_DELETE"},
	{uint32(AccessCreateHierarchy), "MAPI_ACCESS_CREATE_HIERARCHY"},
	{uint32(AccessCreateContents), "MAPI_ACCESS_CREATE_CONTENTS"},
	{uint32(AccessCreateAssociated), "MAPI_ACCESS_CREATE_ASSOCIATED"},
}

// String lists the set bits by MAPI name.
func (f AccessFlags) String() string { return formatFlags(uint32(f), accessNames) }

// AccessLevel is the Go form of PR_ACCESS_LEVEL. MAPIDefS.h gives it the
// MAPI_MODIFY flag for read/write access and no flag for read-only.
type AccessLevel uint32

// Access levels, from MAPIDefS.h and the PidTagAccessLevel page.
const (
	AccessLevelReadOnly AccessLevel = 0x00000000 // 0: read-only
	AccessLevelModify   AccessLevel = 0x00000001 // MAPI_MODIFY: read/write
)

// String returns "MAPI_MODIFY" for read/write, "0" for read-only and other
// bits in hex.
func (l AccessLevel) String() string {
	return formatFlags(uint32(l), []flagName{{uint32(AccessLevelModify), "MAPI_MODIFY"}})
}

// RecipientType is the Go form of PR_RECIPIENT_TYPE: a recipient's class
// in the low bits, and the RecipP1 and RecipSubmitted flags.
type RecipientType uint32

// Recipient types and flags, from MAPIDefS.h.
const (
	RecipOrig      RecipientType = 0          // MAPI_ORIG: the message's originator
	RecipTo        RecipientType = 1          // MAPI_TO: a primary recipient
	RecipCC        RecipientType = 2          // MAPI_CC: a copy recipient
	RecipBCC       RecipientType = 3          // MAPI_BCC: a blind copy recipient
	RecipP1        RecipientType = 0x10000000 // MAPI_P1: a P1 resend recipient
	RecipSubmitted RecipientType = 0x80000000 // MAPI_SUBMITTED: already processed
)

var recipientTypeNames = []string{"MAPI_ORIG", "MAPI_TO", "MAPI_CC", "MAPI_BCC"}

// String returns the class's MAPI name followed by the flags', such as
// "MAPI_TO" or "MAPI_CC|MAPI_SUBMITTED"; a class without a name prints in
// hex.
func (t RecipientType) String() string {
	class := uint32(t &^ (RecipP1 | RecipSubmitted))
	var s string
	if class < uint32(len(recipientTypeNames)) {
		s = recipientTypeNames[class]
	} else {
		s = fmt.Sprintf("0x%X", class)
	}
	if t&RecipP1 != 0 {
		s += "|MAPI_P1"
	}
	if t&RecipSubmitted != 0 {
		s += "|MAPI_SUBMITTED"
	}
	return s
}

// AttachMethod is the Go form of PR_ATTACH_METHOD: how an attachment holds
// its data.
type AttachMethod uint32

// Attachment methods, from MAPIDefS.h.
const (
	AttachNone         AttachMethod = 0 // NO_ATTACHMENT
	AttachByValue      AttachMethod = 1 // ATTACH_BY_VALUE: data in PR_ATTACH_DATA_BIN
	AttachByReference  AttachMethod = 2 // ATTACH_BY_REFERENCE: a path in PR_ATTACH_PATHNAME
	AttachByRefResolve AttachMethod = 3 // ATTACH_BY_REF_RESOLVE
	AttachByRefOnly    AttachMethod = 4 // ATTACH_BY_REF_ONLY
	AttachEmbeddedMsg  AttachMethod = 5 // ATTACH_EMBEDDED_MSG: a message in PR_ATTACH_DATA_OBJ
	AttachOLE          AttachMethod = 6 // ATTACH_OLE: an OLE object in PR_ATTACH_DATA_OBJ
)

var attachMethodNames = []string{
	"NO_ATTACHMENT", "ATTACH_BY_VALUE", "ATTACH_BY_REFERENCE", "ATTACH_BY_REF_RESOLVE",
	"ATTACH_BY_REF_ONLY", "ATTACH_EMBEDDED_MSG", "ATTACH_OLE",
}

// String returns the MAPI name, such as "ATTACH_BY_VALUE", or
// "AttachMethod(N)".
func (m AttachMethod) String() string {
	return formatEnum("AttachMethod", uint32(m), attachMethodNames)
}

// Importance is the Go form of PR_IMPORTANCE.
type Importance int32

// Importance levels, from MAPIDefS.h.
const (
	ImportanceLow    Importance = 0 // IMPORTANCE_LOW
	ImportanceNormal Importance = 1 // IMPORTANCE_NORMAL
	ImportanceHigh   Importance = 2 // IMPORTANCE_HIGH
)

var importanceNames = []string{"IMPORTANCE_LOW", "IMPORTANCE_NORMAL", "IMPORTANCE_HIGH"}

// String returns the MAPI name, such as "IMPORTANCE_HIGH", or
// "Importance(N)".
func (i Importance) String() string {
	if i >= 0 && int(i) < len(importanceNames) {
		return importanceNames[i]
	}
	return fmt.Sprintf("Importance(%d)", int32(i))
}

// Sensitivity is the Go form of PR_SENSITIVITY.
type Sensitivity uint32

// Sensitivity levels, from MAPIDefS.h.
const (
	SensitivityNone                Sensitivity = 0 // SENSITIVITY_NONE
	SensitivityPersonal            Sensitivity = 1 // SENSITIVITY_PERSONAL
	SensitivityPrivate             Sensitivity = 2 // SENSITIVITY_PRIVATE
	SensitivityCompanyConfidential Sensitivity = 3 // SENSITIVITY_COMPANY_CONFIDENTIAL
)

var sensitivityNames = []string{
	"SENSITIVITY_NONE", "SENSITIVITY_PERSONAL", "SENSITIVITY_PRIVATE", "SENSITIVITY_COMPANY_CONFIDENTIAL",
}

// String returns the MAPI name, such as "SENSITIVITY_PRIVATE", or
// "Sensitivity(N)".
func (s Sensitivity) String() string { return formatEnum("Sensitivity", uint32(s), sensitivityNames) }

// ResourceType is the Go form of PR_RESOURCE_TYPE: the kind of component
// a row of the status table describes.
type ResourceType uint32

// Resource types, from MAPIDefS.h.
const (
	ResourceStoreProvider     ResourceType = 33 // MAPI_STORE_PROVIDER
	ResourceAB                ResourceType = 34 // MAPI_AB
	ResourceABProvider        ResourceType = 35 // MAPI_AB_PROVIDER
	ResourceTransportProvider ResourceType = 36 // MAPI_TRANSPORT_PROVIDER
	ResourceSpooler           ResourceType = 37 // MAPI_SPOOLER
	ResourceProfileProvider   ResourceType = 38 // MAPI_PROFILE_PROVIDER
	ResourceSubsystem         ResourceType = 39 // MAPI_SUBSYSTEM
	ResourceHookProvider      ResourceType = 40 // MAPI_HOOK_PROVIDER
)

var resourceTypeNames = []string{
	33: "MAPI_STORE_PROVIDER", 34: "MAPI_AB", 35: "MAPI_AB_PROVIDER", 36: "MAPI_TRANSPORT_PROVIDER",
	37: "MAPI_SPOOLER", 38: "MAPI_PROFILE_PROVIDER", 39: "MAPI_SUBSYSTEM", 40: "MAPI_HOOK_PROVIDER",
}

// String returns the MAPI name, such as "MAPI_STORE_PROVIDER", or
// "ResourceType(N)".
func (t ResourceType) String() string {
	return formatEnum("ResourceType", uint32(t), resourceTypeNames)
}

// ResourceFlags is the Go form of the PR_RESOURCE_FLAGS bits of a status
// table row or a message service's profile section.
type ResourceFlags uint32

// Resource flags, from MAPIDefS.h (HookInbound and HookOutbound are
// MAPIHOOK.H's, as MAPIDefS.h notes).
const (
	StatusDefaultOutbound   ResourceFlags = 0x00000001 // STATUS_DEFAULT_OUTBOUND
	StatusDefaultStore      ResourceFlags = 0x00000002 // STATUS_DEFAULT_STORE
	StatusPrimaryIdentity   ResourceFlags = 0x00000004 // STATUS_PRIMARY_IDENTITY
	StatusSimpleStore       ResourceFlags = 0x00000008 // STATUS_SIMPLE_STORE
	StatusXPPreferLast      ResourceFlags = 0x00000010 // STATUS_XP_PREFER_LAST
	StatusNoPrimaryIdentity ResourceFlags = 0x00000020 // STATUS_NO_PRIMARY_IDENTITY
	StatusNoDefaultStore    ResourceFlags = 0x00000040 // STATUS_NO_DEFAULT_STORE
	StatusTempSection       ResourceFlags = 0x00000080 // STATUS_TEMP_SECTION
	StatusOwnStore          ResourceFlags = 0x00000100 // STATUS_OWN_STORE
	HookInbound             ResourceFlags = 0x00000200 // HOOK_INBOUND
	HookOutbound            ResourceFlags = 0x00000400 // HOOK_OUTBOUND
	StatusNeedIPMTree       ResourceFlags = 0x00000800 // STATUS_NEED_IPM_TREE
	StatusPrimaryStore      ResourceFlags = 0x00001000 // STATUS_PRIMARY_STORE
	StatusSecondaryStore    ResourceFlags = 0x00002000 // STATUS_SECONDARY_STORE
)

var resourceFlagNames = []flagName{
	{uint32(StatusDefaultOutbound), "STATUS_DEFAULT_OUTBOUND"},
	{uint32(StatusDefaultStore), "STATUS_DEFAULT_STORE"},
	{uint32(StatusPrimaryIdentity), "STATUS_PRIMARY_IDENTITY"},
	{uint32(StatusSimpleStore), "STATUS_SIMPLE_STORE"},
	{uint32(StatusXPPreferLast), "STATUS_XP_PREFER_LAST"},
	{uint32(StatusNoPrimaryIdentity), "STATUS_NO_PRIMARY_IDENTITY"},
	{uint32(StatusNoDefaultStore), "STATUS_NO_DEFAULT_STORE"},
	{uint32(StatusTempSection), "STATUS_TEMP_SECTION"},
	{uint32(StatusOwnStore), "STATUS_OWN_STORE"},
	{uint32(HookInbound), "HOOK_INBOUND"},
	{uint32(HookOutbound), "HOOK_OUTBOUND"},
	{uint32(StatusNeedIPMTree), "STATUS_NEED_IPM_TREE"},
	{uint32(StatusPrimaryStore), "STATUS_PRIMARY_STORE"},
	{uint32(StatusSecondaryStore), "STATUS_SECONDARY_STORE"},
}

// String lists the set bits by MAPI name.
func (f ResourceFlags) String() string { return formatFlags(uint32(f), resourceFlagNames) }

// ResourceMethods is the Go form of the PR_RESOURCE_METHODS bits: the
// IMAPIStatus methods a status object supports.
type ResourceMethods uint32

// Resource methods, from MAPIDefS.h.
const (
	StatusValidateState  ResourceMethods = 0x00000001 // STATUS_VALIDATE_STATE
	StatusSettingsDialog ResourceMethods = 0x00000002 // STATUS_SETTINGS_DIALOG
	StatusChangePassword ResourceMethods = 0x00000004 // STATUS_CHANGE_PASSWORD
	StatusFlushQueues    ResourceMethods = 0x00000008 // STATUS_FLUSH_QUEUES
)

var resourceMethodNames = []flagName{
	{uint32(StatusValidateState), "STATUS_VALIDATE_STATE"},
	{uint32(StatusSettingsDialog), "STATUS_SETTINGS_DIALOG"},
	{uint32(StatusChangePassword), "STATUS_CHANGE_PASSWORD"},
	{uint32(StatusFlushQueues), "STATUS_FLUSH_QUEUES"},
}

// String lists the set bits by MAPI name.
func (m ResourceMethods) String() string { return formatFlags(uint32(m), resourceMethodNames) }

// StatusCode is the Go form of the PR_STATUS_CODE bits: a component's
// state in the status table. It is not an SCode.
type StatusCode uint32

// Status codes, from MAPIDefS.h. The inbound and outbound bits are a
// transport's.
const (
	StatusAvailable       StatusCode = 0x00000001 // STATUS_AVAILABLE
	StatusOffline         StatusCode = 0x00000002 // STATUS_OFFLINE
	StatusFailure         StatusCode = 0x00000004 // STATUS_FAILURE
	StatusInboundEnabled  StatusCode = 0x00010000 // STATUS_INBOUND_ENABLED
	StatusInboundActive   StatusCode = 0x00020000 // STATUS_INBOUND_ACTIVE
	StatusInboundFlush    StatusCode = 0x00040000 // STATUS_INBOUND_FLUSH
	StatusOutboundEnabled StatusCode = 0x00100000 // STATUS_OUTBOUND_ENABLED
	StatusOutboundActive  StatusCode = 0x00200000 // STATUS_OUTBOUND_ACTIVE
	StatusOutboundFlush   StatusCode = 0x00400000 // STATUS_OUTBOUND_FLUSH
	StatusRemoteAccess    StatusCode = 0x00800000 // STATUS_REMOTE_ACCESS
)

var statusCodeNames = []flagName{
	{uint32(StatusAvailable), "STATUS_AVAILABLE"},
	{uint32(StatusOffline), "STATUS_OFFLINE"},
	{uint32(StatusFailure), "STATUS_FAILURE"},
	{uint32(StatusInboundEnabled), "STATUS_INBOUND_ENABLED"},
	{uint32(StatusInboundActive), "STATUS_INBOUND_ACTIVE"},
	{uint32(StatusInboundFlush), "STATUS_INBOUND_FLUSH"},
	{uint32(StatusOutboundEnabled), "STATUS_OUTBOUND_ENABLED"},
	{uint32(StatusOutboundActive), "STATUS_OUTBOUND_ACTIVE"},
	{uint32(StatusOutboundFlush), "STATUS_OUTBOUND_FLUSH"},
	{uint32(StatusRemoteAccess), "STATUS_REMOTE_ACCESS"},
}

// String lists the set bits by MAPI name.
func (c StatusCode) String() string { return formatFlags(uint32(c), statusCodeNames) }

// formatNamedLong returns the PT_LONG value n of tag by MAPI name, and
// false for a property whose values have no names here. PropValue.String
// uses it.
func formatNamedLong(tag PropTag, n int32) (string, bool) {
	u := uint32(n)
	switch tag {
	case PropAccess:
		return AccessFlags(u).String(), true
	case PropAccessLevel:
		return AccessLevel(u).String(), true
	case PropAttachMethod:
		return AttachMethod(u).String(), true
	case PropFolderType:
		return FolderType(u).String(), true
	case PropImportance:
		return Importance(n).String(), true
	case PropMessageFlags:
		return MessageFlags(u).String(), true
	case PropMsgStatus:
		return MessageStatus(u).String(), true
	case PropObjectType:
		return ObjectType(u).String(), true
	case PropRecipientType:
		return RecipientType(u).String(), true
	case PropResourceFlags:
		return ResourceFlags(u).String(), true
	case PropResourceMethods:
		return ResourceMethods(u).String(), true
	case PropResourceType:
		return ResourceType(u).String(), true
	case PropSensitivity:
		return Sensitivity(u).String(), true
	case PropStatusCode:
		return StatusCode(u).String(), true
	case PropStoreState:
		return StoreState(u).String(), true
	case PropStoreSupportMask:
		return StoreSupportMask(u).String(), true
	case PropSubmitFlags:
		return SubmitFlags(u).String(), true
	case PropValidFolderMask:
		return ValidFolderMask(u).String(), true
	}
	return "", false
}
