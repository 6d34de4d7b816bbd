package mapispi

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"
)

// specSCodes is the MAPICode.h and winerror.h table, transcribed: every
// name with its value.
var specSCodes = map[string]uint32{
	"S_OK":                               0x00000000,
	"MAPI_E_CALL_FAILED":                 0x80004005,
	"MAPI_E_NOT_ENOUGH_MEMORY":           0x8007000E,
	"MAPI_E_INVALID_PARAMETER":           0x80070057,
	"MAPI_E_INTERFACE_NOT_SUPPORTED":     0x80004002,
	"MAPI_E_NO_ACCESS":                   0x80070005,
	"MAPI_E_NO_SUPPORT":                  0x80040102,
	"MAPI_E_BAD_CHARWIDTH":               0x80040103,
	"MAPI_E_STRING_TOO_LONG":             0x80040105,
	"MAPI_E_UNKNOWN_FLAGS":               0x80040106,
	"MAPI_E_INVALID_ENTRYID":             0x80040107,
	"MAPI_E_INVALID_OBJECT":              0x80040108,
	"MAPI_E_OBJECT_CHANGED":              0x80040109,
	"MAPI_E_OBJECT_DELETED":              0x8004010A,
	"MAPI_E_BUSY":                        0x8004010B,
	"MAPI_E_NOT_ENOUGH_DISK":             0x8004010D,
	"MAPI_E_NOT_ENOUGH_RESOURCES":        0x8004010E,
	"MAPI_E_NOT_FOUND":                   0x8004010F,
	"MAPI_E_VERSION":                     0x80040110,
	"MAPI_E_LOGON_FAILED":                0x80040111,
	"MAPI_E_SESSION_LIMIT":               0x80040112,
	"MAPI_E_USER_CANCEL":                 0x80040113,
	"MAPI_E_UNABLE_TO_ABORT":             0x80040114,
	"MAPI_E_NETWORK_ERROR":               0x80040115,
	"MAPI_E_DISK_ERROR":                  0x80040116,
	"MAPI_E_TOO_COMPLEX":                 0x80040117,
	"MAPI_E_BAD_COLUMN":                  0x80040118,
	"MAPI_E_EXTENDED_ERROR":              0x80040119,
	"MAPI_E_COMPUTED":                    0x8004011A,
	"MAPI_E_CORRUPT_DATA":                0x8004011B,
	"MAPI_E_UNCONFIGURED":                0x8004011C,
	"MAPI_E_FAILONEPROVIDER":             0x8004011D,
	"MAPI_E_UNKNOWN_CPID":                0x8004011E,
	"MAPI_E_UNKNOWN_LCID":                0x8004011F,
	"MAPI_E_PASSWORD_CHANGE_REQUIRED":    0x80040120,
	"MAPI_E_PASSWORD_EXPIRED":            0x80040121,
	"MAPI_E_INVALID_WORKSTATION_ACCOUNT": 0x80040122,
	"MAPI_E_INVALID_ACCESS_TIME":         0x80040123,
	"MAPI_E_ACCOUNT_DISABLED":            0x80040124,
	"MAPI_E_RECONNECTED":                 0x80040125,
	"MAPI_E_OFFLINE":                     0x80040126,
	"MAPI_E_END_OF_SESSION":              0x80040200,
	"MAPI_E_UNKNOWN_ENTRYID":             0x80040201,
	"MAPI_E_MISSING_REQUIRED_COLUMN":     0x80040202,
	"MAPI_W_NO_SERVICE":                  0x00040203,
	"MAPI_E_BAD_VALUE":                   0x80040301,
	"MAPI_E_INVALID_TYPE":                0x80040302,
	"MAPI_E_TYPE_NO_SUPPORT":             0x80040303,
	"MAPI_E_UNEXPECTED_TYPE":             0x80040304,
	"MAPI_E_TOO_BIG":                     0x80040305,
	"MAPI_E_DECLINE_COPY":                0x80040306,
	"MAPI_E_UNEXPECTED_ID":               0x80040307,
	"MAPI_W_ERRORS_RETURNED":             0x00040380,
	"MAPI_E_UNABLE_TO_COMPLETE":          0x80040400,
	"MAPI_E_TIMEOUT":                     0x80040401,
	"MAPI_E_TABLE_EMPTY":                 0x80040402,
	"MAPI_E_TABLE_TOO_BIG":               0x80040403,
	"MAPI_E_INVALID_BOOKMARK":            0x80040405,
	"MAPI_W_POSITION_CHANGED":            0x00040481,
	"MAPI_W_APPROX_COUNT":                0x00040482,
	"MAPI_E_WAIT":                        0x80040500,
	"MAPI_E_CANCEL":                      0x80040501,
	"MAPI_E_NOT_ME":                      0x80040502,
	"MAPI_W_CANCEL_MESSAGE":              0x00040580,
	"MAPI_E_CORRUPT_STORE":               0x80040600,
	"MAPI_E_NOT_IN_QUEUE":                0x80040601,
	"MAPI_E_NO_SUPPRESS":                 0x80040602,
	"MAPI_E_COLLISION":                   0x80040604,
	"MAPI_E_NOT_INITIALIZED":             0x80040605,
	"MAPI_E_NON_STANDARD":                0x80040606,
	"MAPI_E_NO_RECIPIENTS":               0x80040607,
	"MAPI_E_SUBMITTED":                   0x80040608,
	"MAPI_E_HAS_FOLDERS":                 0x80040609,
	"MAPI_E_HAS_MESSAGES":                0x8004060A,
	"MAPI_E_FOLDER_CYCLE":                0x8004060B,
	"MAPI_W_PARTIAL_COMPLETION":          0x00040680,
	"MAPI_E_AMBIGUOUS_RECIP":             0x80040700,
}

// TestSCodeNamesMatchSpec proves the name table holds exactly the spec's
// codes, each under its spec name and value.
func TestSCodeNamesMatchSpec(t *testing.T) {
	if len(scodeNames) != len(specSCodes) {
		t.Errorf("len(scodeNames) = %d, want %d (the spec's table)", len(scodeNames), len(specSCodes))
	}
	for name, value := range specSCodes {
		if got := SCode(value).String(); got != name {
			t.Errorf("SCode(0x%08X).String() = %q, want %q", value, got, name)
		}
	}
}

// TestSCodeConstantsUniqueAndNamed parses scode.go and proves that every
// exported SCode constant has a value no other constant has and an entry
// in the name table, so a constant added without a name fails here.
func TestSCodeConstantsUniqueAndNamed(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "scode.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	byValue := map[uint32]string{}
	count := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "SCode" {
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					t.Fatalf("%s: value is not a literal", name.Name)
				}
				v, err := strconv.ParseUint(lit.Value, 0, 32)
				if err != nil {
					t.Fatalf("%s: %v", name.Name, err)
				}
				count++
				if prev, dup := byValue[uint32(v)]; dup {
					t.Errorf("%s and %s share value 0x%08X", prev, name.Name, v)
				}
				byValue[uint32(v)] = name.Name
				if _, named := scodeNames[SCode(v)]; !named {
					t.Errorf("%s (0x%08X) has no entry in scodeNames", name.Name, v)
				}
			}
		}
	}
	if count != len(scodeNames) {
		t.Errorf("scode.go declares %d SCode constants, scodeNames has %d entries", count, len(scodeNames))
	}
}

func TestSCodeString(t *testing.T) {
	tests := []struct {
		c    SCode
		want string
	}{
		{ErrLogonFailed, "MAPI_E_LOGON_FAILED"},
		{WarnErrorsReturned, "MAPI_W_ERRORS_RETURNED"},
		{OK, "S_OK"},
		{0x80041234, "SCODE 0x80041234"},
		{0x1, "SCODE 0x00000001"},
	}
	for _, tt := range tests {
		if got := tt.c.Error(); got != tt.want {
			t.Errorf("SCode(0x%08X).Error() = %q, want %q", uint32(tt.c), got, tt.want)
		}
		if got := fmt.Sprint(tt.c); got != tt.want {
			t.Errorf("fmt.Sprint(SCode(0x%08X)) = %q, want %q", uint32(tt.c), got, tt.want)
		}
	}
}

func TestSCodeParts(t *testing.T) {
	tests := []struct {
		c        SCode
		failed   bool
		facility uint16
		code     uint16
	}{
		{ErrLogonFailed, true, FacilityITF, 0x0111},
		{ErrNotEnoughMemory, true, FacilityWin32, 0x000E},
		{ErrCallFailed, true, FacilityNull, 0x4005},
		{WarnErrorsReturned, false, FacilityITF, 0x0380},
		{OK, false, FacilityNull, 0},
	}
	for _, tt := range tests {
		if got := tt.c.Failed(); got != tt.failed {
			t.Errorf("%v.Failed() = %v, want %v", tt.c, got, tt.failed)
		}
		if got := tt.c.Facility(); got != tt.facility {
			t.Errorf("%v.Facility() = %d, want %d", tt.c, got, tt.facility)
		}
		if got := tt.c.Code(); got != tt.code {
			t.Errorf("%v.Code() = 0x%04X, want 0x%04X", tt.c, got, tt.code)
		}
	}
	// Every MAPI_E_ and MAPI_W_ code is a FACILITY_ITF code, as MAKE_MAPI_E says.
	for c, name := range scodeNames {
		if strings.HasPrefix(name, "MAPI_") && c.Facility() != FacilityITF && c.Facility() != FacilityWin32 && c.Facility() != FacilityNull {
			t.Errorf("%v.Facility() = %d, want ITF, WIN32 or NULL", c, c.Facility())
		}
		if got, want := c.Failed(), strings.HasPrefix(name, "MAPI_E_"); got != want {
			t.Errorf("%v.Failed() = %v, want %v", c, got, want)
		}
	}
}

func TestSCodeIsStdSentinels(t *testing.T) {
	tests := []struct {
		err    error
		target error
		want   bool
	}{
		{ErrNoSupport, errors.ErrUnsupported, true},
		{ErrNoAccess, fs.ErrPermission, true},
		{ErrNotFound, fs.ErrNotExist, true},
		{ErrNotFound, fs.ErrPermission, false},
		{ErrLogonFailed, errors.ErrUnsupported, false},
		{fmt.Errorf("open: %w", ErrNotFound), fs.ErrNotExist, true},
		{Errorf(ErrNoAccess, "store", "read-only"), fs.ErrPermission, true},
		{Errorf(ErrNoSupport, "store", "no notifications"), errors.ErrUnsupported, true},
	}
	for _, tt := range tests {
		if got := errors.Is(tt.err, tt.target); got != tt.want {
			t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, tt.target, got, tt.want)
		}
	}
}

func TestCodeOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code SCode
	}{
		{"nil", nil, OK},
		{"bare failure", ErrLogonFailed, ErrLogonFailed},
		{"*Error", Errorf(ErrFailOneProvider, "provider", "wrong password"), ErrFailOneProvider},
		{"*Error under fmt.Errorf", fmt.Errorf("wrapped: %w", Errorf(ErrVersion, "init", "old")), ErrVersion},
		{"outer *Error wins over its cause", &Error{Code: ErrLogonFailed, Err: ErrNotEnoughMemory}, ErrLogonFailed},
		{"*PartialError", &PartialError{Failed: []FailedItem{{Err: ErrNoAccess}}}, WarnPartialCompletion},
		{"plain Go error", errors.New("plain"), ErrCallFailed},
	}
	for _, tt := range tests {
		if got := CodeOf(tt.err); got != tt.code {
			t.Errorf("%s: CodeOf(%v) = %v, want %v", tt.name, tt.err, got, tt.code)
		}
	}
}

func TestError(t *testing.T) {
	e := &Error{Code: ErrFailOneProvider, Component: "msprovider", Message: "wrong password"}
	if got, want := e.Error(), "msprovider: wrong password (MAPI_E_FAILONEPROVIDER)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, ErrFailOneProvider) {
		t.Errorf("errors.Is(%v, ErrFailOneProvider) = false, want true", e)
	}
	if errors.Is(e, ErrLogonFailed) {
		t.Errorf("errors.Is(%v, ErrLogonFailed) = true, want false", e)
	}
	if got := e.Unwrap(); len(got) != 1 || got[0] != ErrFailOneProvider {
		t.Errorf("Unwrap() = %v, want [ErrFailOneProvider]", got)
	}
	var target *Error
	if !errors.As(fmt.Errorf("logon: %w", e), &target) || target != e {
		t.Errorf("errors.As(wrapped, *Error) did not find the *Error")
	}
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{Code: ErrLogonFailed}, "MAPI_E_LOGON_FAILED"},
		{&Error{Code: ErrLogonFailed, Component: "backend"}, "backend: MAPI_E_LOGON_FAILED"},
		{&Error{Code: ErrCallFailed, Message: "disk", LowLevel: 5}, "disk (MAPI_E_CALL_FAILED) [low-level 0x00000005]"},
		{&Error{Code: ErrLogonFailed, Component: "c", Message: "m", Err: errors.New("boom")}, "c: m (MAPI_E_LOGON_FAILED): boom"},
		{&Error{Code: ErrLogonFailed, Component: "c", Err: errors.New("boom")}, "c: MAPI_E_LOGON_FAILED: boom"},
		{&Error{Code: ErrLogonFailed, Component: "c", Message: "m", Err: ErrLogonFailed}, "c: m: MAPI_E_LOGON_FAILED"},
		{&Error{Code: ErrLogonFailed, Component: "c", Err: ErrLogonFailed}, "c: MAPI_E_LOGON_FAILED"},
		{&Error{Code: ErrNoAccess, Component: "c", Message: "m", Err: Errorf(ErrNotFound, "d", "n")}, "c: m (MAPI_E_NO_ACCESS): d: n (MAPI_E_NOT_FOUND)"},
		// A message that flattened a cause already shows the code.
		{Errorf(ErrInvalidParameter, "c", "m: %v", Errorf(ErrInvalidParameter, "d", "n")), "c: m: d: n (MAPI_E_INVALID_PARAMETER)"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

// TestErrorCauseThroughLayers: a cause wrapped in several *Error layers,
// and under fmt.Errorf, is still found by errors.Is and errors.As, and the
// text names the code once.
func TestErrorCauseThroughLayers(t *testing.T) {
	cause := &fs.PathError{Op: "open", Path: "x.pst", Err: fs.ErrNotExist}
	inner := &Error{Code: ErrLogonFailed, Component: "backend", Message: "opening the file", Err: cause}
	mid := fmt.Errorf("session: %w", &Error{Code: ErrLogonFailed, Component: "msprovider", Message: "Logon", Err: inner})
	outer := &Error{Code: ErrCallFailed, Component: "host", Message: "OpenMsgStore", Err: mid}

	for _, target := range []error{ErrCallFailed, ErrLogonFailed, fs.ErrNotExist} {
		if !errors.Is(outer, target) {
			t.Errorf("errors.Is(outer, %v) = false, want true", target)
		}
	}
	var pe *fs.PathError
	if !errors.As(outer, &pe) || pe != cause {
		t.Errorf("errors.As(outer, *fs.PathError) = %v, want the cause", pe)
	}
	if got := CodeOf(outer); got != ErrCallFailed {
		t.Errorf("CodeOf(outer) = %v, want the outermost code", got)
	}
	want := "host: OpenMsgStore (MAPI_E_CALL_FAILED): session: msprovider: Logon: backend: opening the file (MAPI_E_LOGON_FAILED): open x.pst: file does not exist"
	if got := outer.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if n := strings.Count(outer.Error(), "MAPI_E_LOGON_FAILED"); n != 1 {
		t.Errorf("Error() names MAPI_E_LOGON_FAILED %d times, want once", n)
	}
}

func TestPartialError(t *testing.T) {
	e := &PartialError{Op: "IMAPIFolder::DeleteMessages", Failed: []FailedItem{
		{Index: 1, EntryID: EntryID{0xAB, 0x01}, Err: ErrNoAccess},
		{Index: 3, Err: &Error{Code: ErrNotFound, Component: "store", Message: "gone"}},
		{Index: 4},
	}}
	var err error = fmt.Errorf("cleanup: %w", e)
	for _, tt := range []struct {
		target error
		want   bool
	}{
		{WarnPartialCompletion, true},
		{ErrNoAccess, true},
		{ErrNotFound, true},
		{ErrLogonFailed, false},
	} {
		if got := errors.Is(err, tt.target); got != tt.want {
			t.Errorf("errors.Is(PartialError, %v) = %v, want %v", tt.target, got, tt.want)
		}
	}
	if got := CodeOf(err); got != WarnPartialCompletion {
		t.Errorf("CodeOf(PartialError) = %v, want WarnPartialCompletion", got)
	}
	var pe *PartialError
	if !errors.As(err, &pe) || len(pe.Failed) != 3 {
		t.Errorf("errors.As(err, *PartialError) = %v, want the three failed items", pe)
	}
	want := "IMAPIFolder::DeleteMessages: 3 item(s) not done: [1] AB01 MAPI_E_NO_ACCESS; [3] store: gone (MAPI_E_NOT_FOUND); [4] (MAPI_W_PARTIAL_COMPLETION)"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (*PartialError)(nil).Error(); got != "<nil *mapispi.PartialError>" {
		t.Errorf("(*PartialError)(nil).Error() = %q", got)
	}
}
