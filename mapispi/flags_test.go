package mapispi

import (
	"errors"
	"fmt"
	"testing"
)

func TestFlagValues(t *testing.T) {
	// Values from MAPIDefS.h, MAPIX.h and MAPISPI.h.
	tests := []struct {
		got  uint32
		want uint32
		name string
	}{
		{uint32(LogonNoDialog), 0x1, "MDB_NO_DIALOG"},
		{uint32(LogonWrite), 0x4, "MDB_WRITE"},
		{uint32(LogonDeferredErrors), 0x8, "MAPI_DEFERRED_ERRORS"},
		{uint32(LogonBestAccess), 0x10, "MAPI_BEST_ACCESS"},
		{uint32(LogonTemporary), 0x20, "MDB_TEMPORARY"},
		{uint32(LogonNoMail), 0x80, "MDB_NO_MAIL"},
		{uint32(LogonOnline), 0x100, "MDB_ONLINE"},
		{uint32(LogonOSTUnicode), 0x800, "MDB_OST_LOGON_UNICODE"},
		{uint32(LogonOSTANSI), 0x1000, "MDB_OST_LOGON_ANSI"},
		{uint32(LogonUnicode), 0x80000000, "MAPI_UNICODE"},
		{uint32(InitNTService), 0x10000, "MAPI_NT_SERVICE"},
		{uint32(LogoffNoWait), 0x1, "LOGOFF_NO_WAIT"},
		{uint32(LogoffOrderly), 0x2, "LOGOFF_ORDERLY"},
		{uint32(LogoffPurge), 0x4, "LOGOFF_PURGE"},
		{uint32(LogoffAbort), 0x8, "LOGOFF_ABORT"},
		{uint32(LogoffQuiet), 0x10, "LOGOFF_QUIET"},
		{uint32(LogoffComplete), 0x10000, "LOGOFF_COMPLETE"},
		{uint32(LogoffInbound), 0x20000, "LOGOFF_INBOUND"},
		{uint32(LogoffOutbound), 0x40000, "LOGOFF_OUTBOUND"},
		{uint32(LogoffOutboundQueue), 0x80000, "LOGOFF_OUTBOUND_QUEUE"},
		{uint32(OpenModify), 0x1, "MAPI_MODIFY"},
		{uint32(OpenNoCache), 0x200, "MAPI_NO_CACHE"},
		{uint32(NotifySync), 0x40000000, "NOTIFY_SYNC"},
		{uint32(NotifyCanceled), 0x80000000, "NOTIFY_CANCELED"},
		{uint32(NotifyReadyToSend), 0x2, "NOTIFY_READYTOSEND"},
		{uint32(NotifyNewMailReceived), 0x20000000, "NOTIFY_NEWMAIL_RECEIVED"},
		{uint32(StatusRowUpdate), 0x10000000, "STATUSROW_UPDATE"},
		{uint32(StoreModifyOK), 0x8, "STORE_MODIFY_OK"},
		{uint32(StoreCreateOK), 0x10, "STORE_CREATE_OK"},
		{uint32(StoreUncompressedRTF), 0x8000, "STORE_UNCOMPRESSED_RTF"},
		{uint32(EventNewMail), 0x2, "fnevNewMail"},
		{uint32(EventStatusObjectModified), 0x200, "fnevStatusObjectModified"},
		{uint32(ObjStore), 1, "MAPI_STORE"},
		{uint32(ObjFormInfo), 0xC, "MAPI_FORMINFO"},
		{uint32(StoreHTMLOK), 0x10000, "STORE_HTML_OK"},
		{uint32(StoreUnicodeOK), 0x40000, "STORE_UNICODE_OK"},
		{uint32(StoreRulesOK), 0x10000000, "STORE_RULES_OK"},
		{uint32(StoreHasSearches), 0x01000000, "STORE_HAS_SEARCHES"},
		{uint32(FolderIPMSubtreeValid), 0x1, "FOLDER_IPM_SUBTREE_VALID"},
		{uint32(FolderIPMInboxValid), 0x2, "FOLDER_IPM_INBOX_VALID"},
		{uint32(FolderFinderValid), 0x80, "FOLDER_FINDER_VALID"},
		{uint32(FolderRoot), 0, "FOLDER_ROOT"},
		{uint32(FolderGeneric), 1, "FOLDER_GENERIC"},
		{uint32(FolderSearch), 2, "FOLDER_SEARCH"},
		{uint32(MsgFlagRead), 0x1, "MSGFLAG_READ"},
		{uint32(MsgFlagUnmodified), 0x2, "MSGFLAG_UNMODIFIED"},
		{uint32(MsgFlagSubmit), 0x4, "MSGFLAG_SUBMIT"},
		{uint32(MsgFlagUnsent), 0x8, "MSGFLAG_UNSENT"},
		{uint32(MsgFlagHasAttach), 0x10, "MSGFLAG_HASATTACH"},
		{uint32(MsgFlagFromMe), 0x20, "MSGFLAG_FROMME"},
		{uint32(MsgFlagAssociated), 0x40, "MSGFLAG_ASSOCIATED"},
		{uint32(MsgFlagResend), 0x80, "MSGFLAG_RESEND"},
		{uint32(MsgFlagRNPending), 0x100, "MSGFLAG_RN_PENDING"},
		{uint32(MsgFlagNRNPending), 0x200, "MSGFLAG_NRN_PENDING"},
		{uint32(MsgFlagEverRead), 0x400, "MSGFLAG_EVERREAD"},
		{uint32(MsgFlagOriginX400), 0x1000, "MSGFLAG_ORIGIN_X400"},
		{uint32(MsgFlagOriginInternet), 0x2000, "MSGFLAG_ORIGIN_INTERNET"},
		{uint32(MsgFlagOriginMiscExt), 0x8000, "MSGFLAG_ORIGIN_MISC_EXT"},
		{uint32(MsgStatusHighlighted), 0x1, "MSGSTATUS_HIGHLIGHTED"},
		{uint32(MsgStatusDelMarked), 0x8, "MSGSTATUS_DELMARKED"},
		{uint32(MsgStatusRemoteDownload), 0x1000, "MSGSTATUS_REMOTE_DOWNLOAD"},
		{uint32(MsgStatusRemoteDelete), 0x2000, "MSGSTATUS_REMOTE_DELETE"},
		{uint32(SubmitLocked), 0x1, "SUBMITFLAG_LOCKED"},
		{uint32(SubmitPreprocess), 0x2, "SUBMITFLAG_PREPROCESS"},
		{uint32(AccessModify), 0x1, "MAPI_ACCESS_MODIFY"},
		{uint32(AccessRead), 0x2, "MAPI_ACCESS_READ"},
		{uint32(AccessDelete), 0x4, "MAPI_ACCESS_DELETE"},
		{uint32(AccessCreateHierarchy), 0x8, "MAPI_ACCESS_CREATE_HIERARCHY"},
		{uint32(AccessCreateContents), 0x10, "MAPI_ACCESS_CREATE_CONTENTS"},
		{uint32(AccessCreateAssociated), 0x20, "MAPI_ACCESS_CREATE_ASSOCIATED"},
		{uint32(AccessLevelModify), 0x1, "MAPI_MODIFY"},
		{uint32(RecipOrig), 0, "MAPI_ORIG"},
		{uint32(RecipTo), 1, "MAPI_TO"},
		{uint32(RecipCC), 2, "MAPI_CC"},
		{uint32(RecipBCC), 3, "MAPI_BCC"},
		{uint32(RecipP1), 0x10000000, "MAPI_P1"},
		{uint32(RecipSubmitted), 0x80000000, "MAPI_SUBMITTED"},
		{uint32(AttachNone), 0, "NO_ATTACHMENT"},
		{uint32(AttachByValue), 1, "ATTACH_BY_VALUE"},
		{uint32(AttachByReference), 2, "ATTACH_BY_REFERENCE"},
		{uint32(AttachByRefResolve), 3, "ATTACH_BY_REF_RESOLVE"},
		{uint32(AttachByRefOnly), 4, "ATTACH_BY_REF_ONLY"},
		{uint32(AttachEmbeddedMsg), 5, "ATTACH_EMBEDDED_MSG"},
		{uint32(AttachOLE), 6, "ATTACH_OLE"},
		{uint32(ImportanceLow), 0, "IMPORTANCE_LOW"},
		{uint32(ImportanceHigh), 2, "IMPORTANCE_HIGH"},
		{uint32(SensitivityNone), 0, "SENSITIVITY_NONE"},
		{uint32(SensitivityCompanyConfidential), 3, "SENSITIVITY_COMPANY_CONFIDENTIAL"},
		{uint32(ResourceStoreProvider), 33, "MAPI_STORE_PROVIDER"},
		{uint32(ResourceHookProvider), 40, "MAPI_HOOK_PROVIDER"},
		{uint32(StatusDefaultStore), 0x2, "STATUS_DEFAULT_STORE"},
		{uint32(StatusSecondaryStore), 0x2000, "STATUS_SECONDARY_STORE"},
		{uint32(StatusFlushQueues), 0x8, "STATUS_FLUSH_QUEUES"},
		{uint32(StatusAvailable), 0x1, "STATUS_AVAILABLE"},
		{uint32(StatusFailure), 0x4, "STATUS_FAILURE"},
		{uint32(StatusRemoteAccess), 0x800000, "STATUS_REMOTE_ACCESS"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = 0x%X, want 0x%X", tt.name, tt.got, tt.want)
		}
	}
}

func TestFlagStrings(t *testing.T) {
	tests := []struct {
		v    fmt.Stringer
		want string
	}{
		{LogonNoDialog | LogonWrite, "MDB_NO_DIALOG|MDB_WRITE"},
		{LogonFlags(0), "0"},
		{LogonUnicode | 0x40000, "MAPI_UNICODE|0x40000"},
		{InitNTService, "MAPI_NT_SERVICE"},
		{LogoffOrderly | LogoffComplete, "LOGOFF_ORDERLY|LOGOFF_COMPLETE"},
		{OpenModify | OpenBestAccess, "MAPI_MODIFY|MAPI_BEST_ACCESS"},
		{EventNewMail | EventObjectCreated, "fnevNewMail|fnevObjectCreated"},
		{NotifySync, "NOTIFY_SYNC"},
		{NotifyReadyToSend, "NOTIFY_READYTOSEND"},
		{StatusRowUpdate, "STATUSROW_UPDATE"},
		{StoreModifyOK | StoreCreateOK, "STORE_MODIFY_OK|STORE_CREATE_OK"},
		{ObjFolder, "MAPI_FOLDER"},
		{ObjectType(0x99), "ObjectType(153)"},
		{StoreHTMLOK | StoreUnicodeOK | 0x100000, "STORE_HTML_OK|STORE_UNICODE_OK|0x100000"},
		{StoreState(0), "0"},
		{StoreHasSearches | 1, "STORE_HAS_SEARCHES|0x1"},
		{FolderIPMInboxValid | FolderIPMSentMailValid, "FOLDER_IPM_INBOX_VALID|FOLDER_IPM_SENTMAIL_VALID"},
		{FolderGeneric, "FOLDER_GENERIC"},
		{FolderType(3), "FolderType(3)"},
		{MsgFlagRead | MsgFlagHasAttach, "MSGFLAG_READ|MSGFLAG_HASATTACH"},
		{MsgFlagUnsent | MsgFlagOriginInternet | 0x800, "MSGFLAG_UNSENT|MSGFLAG_ORIGIN_INTERNET|0x800"},
		{MessageFlags(0), "0"},
		{MsgStatusDraft | MsgStatusAnswered, "MSGSTATUS_DRAFT|MSGSTATUS_ANSWERED"},
		{SubmitLocked, "SUBMITFLAG_LOCKED"},
		{AccessRead | AccessCreateContents, "MAPI_ACCESS_READ|MAPI_ACCESS_CREATE_CONTENTS"},
		{AccessLevelReadOnly, "0"},
		{AccessLevelModify, "MAPI_MODIFY"},
		{AccessLevel(2), "0x2"},
		{RecipOrig, "MAPI_ORIG"},
		{RecipBCC, "MAPI_BCC"},
		{RecipTo | RecipP1, "MAPI_TO|MAPI_P1"},
		{RecipCC | RecipP1 | RecipSubmitted, "MAPI_CC|MAPI_P1|MAPI_SUBMITTED"},
		{RecipientType(7), "0x7"},
		{RecipientType(0x20000000 | 1), "0x20000001"},
		{AttachByValue, "ATTACH_BY_VALUE"},
		{AttachOLE, "ATTACH_OLE"},
		{AttachMethod(7), "AttachMethod(7)"},
		{AttachMethod(0xFFFFFFFF), "AttachMethod(4294967295)"},
		{ImportanceNormal, "IMPORTANCE_NORMAL"},
		{Importance(3), "Importance(3)"},
		{SensitivityPrivate, "SENSITIVITY_PRIVATE"},
		{Sensitivity(4), "Sensitivity(4)"},
		{ResourceSpooler, "MAPI_SPOOLER"},
		{ResourceType(0), "ResourceType(0)"},
		{ResourceType(41), "ResourceType(41)"},
		{StatusDefaultOutbound | HookInbound, "STATUS_DEFAULT_OUTBOUND|HOOK_INBOUND"},
		{StatusChangePassword, "STATUS_CHANGE_PASSWORD"},
		{StatusAvailable | StatusInboundEnabled | StatusOutboundFlush, "STATUS_AVAILABLE|STATUS_INBOUND_ENABLED|STATUS_OUTBOUND_FLUSH"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%T(%#x).String() = %q, want %q", tt.v, tt.v, got, tt.want)
		}
	}
}

func TestFlagChecks(t *testing.T) {
	tests := []struct {
		name string
		err  error
		ok   bool
	}{
		{"documented logon flags", LogonDocumented.Check(), true},
		{"bits real hosts pass", (LogonBestAccess | LogonOnline | LogonOSTUnicode | LogonOSTANSI | LogonNoDialog).Check(), true},
		{"undefined logon bit", (LogonNoDialog | 0x00000002).Check(), false},
		{"undefined high logon bit", LogonFlags(0x40000000).Check(), false},
		{"init NT service", InitNTService.Check(), true},
		{"undefined init bit", InitFlags(1).Check(), false},
		{"logoff input", LogoffOrderly.Check(), true},
		{"logoff output flag as input", LogoffComplete.Check(), false},
		{"open flags", OpenKnown.Check(), true},
		{"undefined open bit", OpenFlags(0x2).Check(), false},
		{"events", (EventNewMail | EventExtended).Check(), true},
		{"undefined event", EventMask(0x400).Check(), false},
	}
	for _, tt := range tests {
		if tt.ok && tt.err != nil {
			t.Errorf("%s: Check() = %v, want nil", tt.name, tt.err)
		}
		if !tt.ok && !errors.Is(tt.err, ErrUnknownFlags) {
			t.Errorf("%s: Check() = %v, want ErrUnknownFlags", tt.name, tt.err)
		}
	}
}
