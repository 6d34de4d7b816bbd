package mapispi

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestPropTagValues(t *testing.T) {
	// Values from MAPITags.h.
	tests := []struct {
		tag  PropTag
		want uint32
		name string
	}{
		{PropEntryID, 0x0FFF0102, "PR_ENTRYID"},
		{PropInstanceKey, 0x0FF60102, "PR_INSTANCE_KEY"},
		{PropNull, 0x00000001, "PR_NULL"},
		{PropMessageRecipients, 0x0E12000D, "PR_MESSAGE_RECIPIENTS"},
		{PropMessageAttachments, 0x0E13000D, "PR_MESSAGE_ATTACHMENTS"},
		{PropObjectType, 0x0FFE0003, "PR_OBJECT_TYPE"},
		{PropStoreEntryID, 0x0FFB0102, "PR_STORE_ENTRYID"},
		{PropStoreRecordKey, 0x0FFA0102, "PR_STORE_RECORD_KEY"},
		{PropRecordKey, 0x0FF90102, "PR_RECORD_KEY"},
		{PropAccessLevel, 0x0FF70003, "PR_ACCESS_LEVEL"},
		{PropDisplayName, 0x3001001F, "PR_DISPLAY_NAME"},
		{PropProviderDisplay, 0x3006001F, "PR_PROVIDER_DISPLAY"},
		{PropResourceFlags, 0x30090003, "PR_RESOURCE_FLAGS"},
		{PropProviderDLLName, 0x300A001F, "PR_PROVIDER_DLL_NAME"},
		{PropSearchKey, 0x300B0102, "PR_SEARCH_KEY"},
		{PropProviderUID, 0x300C0102, "PR_PROVIDER_UID"},
		{PropStoreSupportMask, 0x340D0003, "PR_STORE_SUPPORT_MASK"},
		{PropStoreState, 0x340E0003, "PR_STORE_STATE"},
		{PropMDBProvider, 0x34140102, "PR_MDB_PROVIDER"},
		{PropValidFolderMask, 0x35DF0003, "PR_VALID_FOLDER_MASK"},
		{PropIPMSubtreeEntryID, 0x35E00102, "PR_IPM_SUBTREE_ENTRYID"},
		{PropResourceType, 0x3E030003, "PR_RESOURCE_TYPE"},
		{PropStatusCode, 0x3E040003, "PR_STATUS_CODE"},
	}
	for _, tt := range tests {
		if uint32(tt.tag) != tt.want {
			t.Errorf("%s = 0x%08X, want 0x%08X", tt.name, uint32(tt.tag), tt.want)
		}
		if got := tt.tag.String(); got != tt.name {
			t.Errorf("PropTag(0x%08X).String() = %q, want %q", tt.want, got, tt.name)
		}
	}
}

func TestPropTagParts(t *testing.T) {
	if got := PropDisplayName.ID(); got != 0x3001 {
		t.Errorf("ID() = 0x%04X, want 0x3001", got)
	}
	if got := PropDisplayName.Type(); got != PtUnicode {
		t.Errorf("Type() = %v, want PT_UNICODE", got)
	}
	if got := PropDisplayName.WithType(PtString8); got != 0x3001001E {
		t.Errorf("WithType(PT_STRING8) = 0x%08X, want 0x3001001E", uint32(got))
	}
	if got := NewPropTag(PtBinary, 0x0FFF); got != PropEntryID {
		t.Errorf("NewPropTag(PT_BINARY, 0x0FFF) = %v, want PR_ENTRYID", got)
	}
	tests := []struct {
		tag  PropTag
		want string
	}{
		{PropDisplayName.WithType(PtString8), "PR_DISPLAY_NAME_A"},
		{PropDisplayName.WithType(MVFlag | PtString8), "0x3001101E"}, // no PT_MV_UNICODE PR_DISPLAY_NAME
		{PropEntryID.WithType(PtString8), "0x0FFF001E"},
		{PropAttachDataObj, "PR_ATTACH_DATA_OBJ"},
		{PropAttachDataBin, "PR_ATTACH_DATA_BIN"},
		{PropEntryID.WithType(PtError), "0x0FFF000A"},
		{0x66000003, "0x66000003"},
	}
	for _, tt := range tests {
		if got := tt.tag.String(); got != tt.want {
			t.Errorf("PropTag(0x%08X).String() = %q, want %q", uint32(tt.tag), got, tt.want)
		}
	}
}

func TestPropTypeString(t *testing.T) {
	tests := []struct {
		t    PropType
		want string
	}{
		{PtBinary, "PT_BINARY"},
		{MVFlag | PtUnicode, "PT_MV_UNICODE"},
		{PtError, "PT_ERROR"},
		{0x1234, "PT_0x1234"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("PropType(0x%04X).String() = %q, want %q", uint16(tt.t), got, tt.want)
		}
	}
}

func TestPropValueCheck(t *testing.T) {
	good := []PropValue{
		{PropEntryID, []byte{0}},
		{PropDisplayName, "Inbox"},
		{PropObjectType, int32(ObjStore)},
		{PropClientSubmitTime, time.Unix(0, 0)},
		{PropDeleteAfterSubmit, true},
		{NewPropTag(PtCLSID, 0x6601), UID{}},
		{NewPropTag(PtNull, 0x6602), nil},
		{NewPropTag(MVFlag|PtBinary, 0x6603), [][]byte{{1}}},
		{NewPropTag(MVFlag|PtUnicode, 0x6604), []string{"a"}},
		{NewPropTag(PtI8, 0x6605), int64(1)},
		ErrorValue(PropSubject, ErrNotFound),
	}
	for _, v := range good {
		if err := v.Check(); err != nil {
			t.Errorf("%v.Check() = %v, want nil", v, err)
		}
	}
	bad := []struct {
		v    PropValue
		want SCode
	}{
		{PropValue{PropEntryID, "not bytes"}, ErrBadValue},
		{PropValue{PropObjectType, 1}, ErrBadValue}, // int, not int32
		{PropValue{PropDisplayName, []byte("x")}, ErrBadValue},
		{PropValue{NewPropTag(PtNull, 1), 0}, ErrBadValue},
		{PropValue{NewPropTag(0x0099, 1), 0}, ErrInvalidType},
	}
	for _, tt := range bad {
		if err := tt.v.Check(); !errors.Is(err, tt.want) {
			t.Errorf("%v.Check() = %v, want %v", tt.v, err, tt.want)
		}
	}
}

func TestErrorValue(t *testing.T) {
	v := ErrorValue(PropSubject, ErrNotFound)
	if v.Tag != 0x0037000A {
		t.Errorf("ErrorValue(PR_SUBJECT).Tag = 0x%08X, want 0x0037000A", uint32(v.Tag))
	}
	if !errors.Is(v.Err(), ErrNotFound) {
		t.Errorf("ErrorValue(...).Err() = %v, want ErrNotFound", v.Err())
	}
	if err := (PropValue{PropSubject, "hi"}).Err(); err != nil {
		t.Errorf("PropValue{PR_SUBJECT}.Err() = %v, want nil", err)
	}
}

func TestPropValueString(t *testing.T) {
	tests := []struct {
		name string
		v    PropValue
		want string
	}{
		{"string", PropValue{PropDisplayName, "Inbox"}, "PR_DISPLAY_NAME=Inbox"},
		{"binary in hex", PropValue{PropEntryID, []byte{0, 0x1A, 0xFF}}, "PR_ENTRYID=001AFF"},
		{"server entry ID in hex", PropValue{NewPropTag(PtSvrEID, 0x6601), []byte{0xAB}}, "0x660100FB=AB"},
		{"multi-valued binary", PropValue{NewPropTag(MVFlag|PtBinary, 0x6602), [][]byte{{1}, {0xCD}}}, "0x66021102=[01 CD]"},
		{"error with a known ID", ErrorValue(PropSubject, ErrNotFound), "PR_SUBJECT=PT_ERROR(MAPI_E_NOT_FOUND)"},
		{"error with an unknown ID", ErrorValue(0x66000003, ErrNotEnoughMemory), "0x6600000A=PT_ERROR(MAPI_E_NOT_ENOUGH_MEMORY)"},
		{"error with an unnamed code", ErrorValue(PropSubject, 0x80041234), "PR_SUBJECT=PT_ERROR(SCODE 0x80041234)"},
		{"long", PropValue{PropContentCount, int32(3)}, "PR_CONTENT_COUNT=3"},
		{"message flags by name", PropValue{PropMessageFlags, int32(3)}, "PR_MESSAGE_FLAGS=MSGFLAG_READ|MSGFLAG_UNMODIFIED"},
		{"message flags with unnamed bits", PropValue{PropMessageFlags, int32(0x40000011)}, "PR_MESSAGE_FLAGS=MSGFLAG_READ|MSGFLAG_HASATTACH|0x40000000"},
		{"message flags zero", PropValue{PropMessageFlags, int32(0)}, "PR_MESSAGE_FLAGS=0"},
		{"message flags of the wrong Go type", PropValue{PropMessageFlags, uint32(3)}, "PR_MESSAGE_FLAGS=3"},
		{"message flags of no value", PropValue{PropMessageFlags, nil}, "PR_MESSAGE_FLAGS=<nil>"},
		{"store support mask", PropValue{PropStoreSupportMask, int32(StoreModifyOK | StoreUnicodeOK)}, "PR_STORE_SUPPORT_MASK=STORE_MODIFY_OK|STORE_UNICODE_OK"},
		{"store state", PropValue{PropStoreState, int32(StoreHasSearches)}, "PR_STORE_STATE=STORE_HAS_SEARCHES"},
		{"valid folder mask", PropValue{PropValidFolderMask, int32(0xFF)}, "PR_VALID_FOLDER_MASK=FOLDER_IPM_SUBTREE_VALID|FOLDER_IPM_INBOX_VALID|FOLDER_IPM_OUTBOX_VALID|FOLDER_IPM_WASTEBASKET_VALID|FOLDER_IPM_SENTMAIL_VALID|FOLDER_VIEWS_VALID|FOLDER_COMMON_VIEWS_VALID|FOLDER_FINDER_VALID"},
		{"access", PropValue{PropAccess, int32(AccessRead | AccessModify)}, "PR_ACCESS=MAPI_ACCESS_MODIFY|MAPI_ACCESS_READ"},
		{"access level read/write", PropValue{PropAccessLevel, int32(1)}, "PR_ACCESS_LEVEL=MAPI_MODIFY"},
		{"access level read-only", PropValue{PropAccessLevel, int32(0)}, "PR_ACCESS_LEVEL=0"},
		{"object type", PropValue{PropObjectType, int32(ObjMessage)}, "PR_OBJECT_TYPE=MAPI_MESSAGE"},
		{"recipient type", PropValue{PropRecipientType, int32(RecipCC)}, "PR_RECIPIENT_TYPE=MAPI_CC"},
		{"recipient type with flags", PropValue{PropRecipientType, int32(-0x7FFFFFFF)}, "PR_RECIPIENT_TYPE=MAPI_TO|MAPI_SUBMITTED"},
		{"attach method", PropValue{PropAttachMethod, int32(5)}, "PR_ATTACH_METHOD=ATTACH_EMBEDDED_MSG"},
		{"unknown attach method", PropValue{PropAttachMethod, int32(9)}, "PR_ATTACH_METHOD=AttachMethod(9)"},
		{"importance", PropValue{PropImportance, int32(2)}, "PR_IMPORTANCE=IMPORTANCE_HIGH"},
		{"negative importance", PropValue{PropImportance, int32(-1)}, "PR_IMPORTANCE=Importance(-1)"},
		{"sensitivity", PropValue{PropSensitivity, int32(3)}, "PR_SENSITIVITY=SENSITIVITY_COMPANY_CONFIDENTIAL"},
		{"folder type", PropValue{PropFolderType, int32(2)}, "PR_FOLDER_TYPE=FOLDER_SEARCH"},
		{"message status", PropValue{PropMsgStatus, int32(0x1001)}, "PR_MSG_STATUS=MSGSTATUS_HIGHLIGHTED|MSGSTATUS_REMOTE_DOWNLOAD"},
		{"submit flags", PropValue{PropSubmitFlags, int32(3)}, "PR_SUBMIT_FLAGS=SUBMITFLAG_LOCKED|SUBMITFLAG_PREPROCESS"},
		{"resource type", PropValue{PropResourceType, int32(33)}, "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER"},
		{"resource flags", PropValue{PropResourceFlags, int32(StatusDefaultStore | StatusPrimaryStore)}, "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE|STATUS_PRIMARY_STORE"},
		{"resource methods", PropValue{PropResourceMethods, int32(StatusValidateState)}, "PR_RESOURCE_METHODS=STATUS_VALIDATE_STATE"},
		{"status code", PropValue{PropStatusCode, int32(StatusAvailable)}, "PR_STATUS_CODE=STATUS_AVAILABLE"},
		{"ANSI string", PropValue{PropSubject.WithType(PtString8), "hi"}, "PR_SUBJECT_A=hi"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%s: PropValue.String() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestPropsWarning(t *testing.T) {
	tests := []struct {
		name string
		vals []PropValue
		want SCode
	}{
		{"none", nil, OK},
		{"all found", []PropValue{{PropSubject, "hi"}}, OK},
		{"one error", []PropValue{{PropSubject, "hi"}, ErrorValue(PropBody, ErrNotFound)}, WarnErrorsReturned},
	}
	for _, tt := range tests {
		if got := PropsWarning(tt.vals); got != tt.want {
			t.Errorf("%s: PropsWarning(%v) = %v, want %v", tt.name, tt.vals, got, tt.want)
		}
	}
}

// TestEnumStringsOfLargeValues: the String of an enumeration never
// indexes its name table with a value past it; on 32-bit platforms
// int(uint32) of a large value is negative, which a bounds check in int
// let through.
func TestEnumStringsOfLargeValues(t *testing.T) {
	for _, s := range []fmt.Stringer{ObjectType(0xFFFFFFFF), TableEvent(0xFFFFFFFF), RestrictionType(0xFFFFFFFF), Relop(0xFFFFFFFF), ObjectType(0x80000000)} {
		if got := s.String(); got == "" {
			t.Errorf("%T(%d).String() = %q, want a name or the number", s, s, got)
		}
	}
}
