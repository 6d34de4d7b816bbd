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
