package mapispi

import (
	"errors"
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
		{"long", PropValue{PropMessageFlags, int32(3)}, "PR_MESSAGE_FLAGS=3"},
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
