package mapispi

import (
	"errors"
	"fmt"
	"io/fs"
)

// SCode is the Go form of a MAPI SCODE (an HRESULT): a 32-bit status code.
//
// Bit 31 is the severity (set for failures), bits 26..16 the facility and
// bits 15..0 the code. SCode implements error, like syscall.Errno: Error
// and String give the MAPI name ("MAPI_E_LOGON_FAILED"), or "SCODE 0x%08X"
// for a value without one.
//
// A failure is returned as an error. S_OK and the warnings (severity bit
// clear, value non-zero, such as [WarnErrorsReturned]) never are: a call
// that did what was asked returns a nil error, and what a warning would
// have told a C caller is part of its result (see the package
// documentation). The one exception is [WarnPartialCompletion], which a
// [*PartialError] wraps, because the request was not done.
type SCode uint32

// OK is S_OK, success. It is never returned as an error.
const OK SCode = 0

// Failures (severity bit set), from MAPICode.h and winerror.h.
const (
	ErrCallFailed             SCode = 0x80004005 // MAPI_E_CALL_FAILED (E_FAIL)
	ErrNotEnoughMemory        SCode = 0x8007000E // MAPI_E_NOT_ENOUGH_MEMORY (E_OUTOFMEMORY)
	ErrInvalidParameter       SCode = 0x80070057 // MAPI_E_INVALID_PARAMETER (E_INVALIDARG)
	ErrInterfaceNotSupported  SCode = 0x80004002 // MAPI_E_INTERFACE_NOT_SUPPORTED (E_NOINTERFACE)
	ErrNoAccess               SCode = 0x80070005 // MAPI_E_NO_ACCESS (E_ACCESSDENIED)
	ErrNoSupport              SCode = 0x80040102 // MAPI_E_NO_SUPPORT
	ErrBadCharWidth           SCode = 0x80040103 // MAPI_E_BAD_CHARWIDTH
	ErrStringTooLong          SCode = 0x80040105 // MAPI_E_STRING_TOO_LONG
	ErrUnknownFlags           SCode = 0x80040106 // MAPI_E_UNKNOWN_FLAGS
	ErrInvalidEntryID         SCode = 0x80040107 // MAPI_E_INVALID_ENTRYID
	ErrInvalidObject          SCode = 0x80040108 // MAPI_E_INVALID_OBJECT
	ErrObjectChanged          SCode = 0x80040109 // MAPI_E_OBJECT_CHANGED
	ErrObjectDeleted          SCode = 0x8004010A // MAPI_E_OBJECT_DELETED
	ErrBusy                   SCode = 0x8004010B // MAPI_E_BUSY
	ErrNotEnoughDisk          SCode = 0x8004010D // MAPI_E_NOT_ENOUGH_DISK
	ErrNotEnoughResources     SCode = 0x8004010E // MAPI_E_NOT_ENOUGH_RESOURCES
	ErrNotFound               SCode = 0x8004010F // MAPI_E_NOT_FOUND
	ErrVersion                SCode = 0x80040110 // MAPI_E_VERSION
	ErrLogonFailed            SCode = 0x80040111 // MAPI_E_LOGON_FAILED
	ErrSessionLimit           SCode = 0x80040112 // MAPI_E_SESSION_LIMIT
	ErrUserCancel             SCode = 0x80040113 // MAPI_E_USER_CANCEL
	ErrUnableToAbort          SCode = 0x80040114 // MAPI_E_UNABLE_TO_ABORT
	ErrNetworkError           SCode = 0x80040115 // MAPI_E_NETWORK_ERROR
	ErrDiskError              SCode = 0x80040116 // MAPI_E_DISK_ERROR
	ErrTooComplex             SCode = 0x80040117 // MAPI_E_TOO_COMPLEX
	ErrBadColumn              SCode = 0x80040118 // MAPI_E_BAD_COLUMN
	ErrExtendedError          SCode = 0x80040119 // MAPI_E_EXTENDED_ERROR
	ErrComputed               SCode = 0x8004011A // MAPI_E_COMPUTED
	ErrCorruptData            SCode = 0x8004011B // MAPI_E_CORRUPT_DATA
	ErrUnconfigured           SCode = 0x8004011C // MAPI_E_UNCONFIGURED
	ErrFailOneProvider        SCode = 0x8004011D // MAPI_E_FAILONEPROVIDER
	ErrUnknownCPID            SCode = 0x8004011E // MAPI_E_UNKNOWN_CPID
	ErrUnknownLCID            SCode = 0x8004011F // MAPI_E_UNKNOWN_LCID
	ErrPasswordChangeRequired SCode = 0x80040120 // MAPI_E_PASSWORD_CHANGE_REQUIRED
	ErrPasswordExpired        SCode = 0x80040121 // MAPI_E_PASSWORD_EXPIRED
	ErrInvalidWorkstation     SCode = 0x80040122 // MAPI_E_INVALID_WORKSTATION_ACCOUNT
	ErrInvalidAccessTime      SCode = 0x80040123 // MAPI_E_INVALID_ACCESS_TIME
	ErrAccountDisabled        SCode = 0x80040124 // MAPI_E_ACCOUNT_DISABLED
	ErrReconnected            SCode = 0x80040125 // MAPI_E_RECONNECTED (Exchange)
	ErrOffline                SCode = 0x80040126 // MAPI_E_OFFLINE (Exchange)
	ErrEndOfSession           SCode = 0x80040200 // MAPI_E_END_OF_SESSION
	ErrUnknownEntryID         SCode = 0x80040201 // MAPI_E_UNKNOWN_ENTRYID
	ErrMissingRequiredColumn  SCode = 0x80040202 // MAPI_E_MISSING_REQUIRED_COLUMN
	ErrBadValue               SCode = 0x80040301 // MAPI_E_BAD_VALUE
	ErrInvalidType            SCode = 0x80040302 // MAPI_E_INVALID_TYPE
	ErrTypeNoSupport          SCode = 0x80040303 // MAPI_E_TYPE_NO_SUPPORT
	ErrUnexpectedType         SCode = 0x80040304 // MAPI_E_UNEXPECTED_TYPE
	ErrTooBig                 SCode = 0x80040305 // MAPI_E_TOO_BIG
	ErrDeclineCopy            SCode = 0x80040306 // MAPI_E_DECLINE_COPY
	ErrUnexpectedID           SCode = 0x80040307 // MAPI_E_UNEXPECTED_ID
	ErrUnableToComplete       SCode = 0x80040400 // MAPI_E_UNABLE_TO_COMPLETE
	ErrTimeout                SCode = 0x80040401 // MAPI_E_TIMEOUT
	ErrTableEmpty             SCode = 0x80040402 // MAPI_E_TABLE_EMPTY
	ErrTableTooBig            SCode = 0x80040403 // MAPI_E_TABLE_TOO_BIG
	ErrInvalidBookmark        SCode = 0x80040405 // MAPI_E_INVALID_BOOKMARK
	ErrWait                   SCode = 0x80040500 // MAPI_E_WAIT
	ErrCancel                 SCode = 0x80040501 // MAPI_E_CANCEL
	ErrNotMe                  SCode = 0x80040502 // MAPI_E_NOT_ME
	ErrCorruptStore           SCode = 0x80040600 // MAPI_E_CORRUPT_STORE
	ErrNotInQueue             SCode = 0x80040601 // MAPI_E_NOT_IN_QUEUE
	ErrNoSuppress             SCode = 0x80040602 // MAPI_E_NO_SUPPRESS
	ErrCollision              SCode = 0x80040604 // MAPI_E_COLLISION
	ErrNotInitialized         SCode = 0x80040605 // MAPI_E_NOT_INITIALIZED
	ErrNonStandard            SCode = 0x80040606 // MAPI_E_NON_STANDARD
	ErrNoRecipients           SCode = 0x80040607 // MAPI_E_NO_RECIPIENTS
	ErrSubmitted              SCode = 0x80040608 // MAPI_E_SUBMITTED
	ErrHasFolders             SCode = 0x80040609 // MAPI_E_HAS_FOLDERS
	ErrHasMessages            SCode = 0x8004060A // MAPI_E_HAS_MESSAGES
	ErrFolderCycle            SCode = 0x8004060B // MAPI_E_FOLDER_CYCLE
	ErrAmbiguousRecip         SCode = 0x80040700 // MAPI_E_AMBIGUOUS_RECIP
)

// Warnings (severity bit clear): in C, the call succeeded with something
// to report. In Go they are never returned as errors; each stands for a
// result shape, as the package documentation lists, except
// WarnPartialCompletion, which a *PartialError wraps.
const (
	WarnNoService         SCode = 0x00040203 // MAPI_W_NO_SERVICE
	WarnErrorsReturned    SCode = 0x00040380 // MAPI_W_ERRORS_RETURNED
	WarnPositionChanged   SCode = 0x00040481 // MAPI_W_POSITION_CHANGED
	WarnApproxCount       SCode = 0x00040482 // MAPI_W_APPROX_COUNT
	WarnCancelMessage     SCode = 0x00040580 // MAPI_W_CANCEL_MESSAGE
	WarnPartialCompletion SCode = 0x00040680 // MAPI_W_PARTIAL_COMPLETION
)

// Facilities (bits 26..16 of an SCode).
const (
	FacilityNull     = 0
	FacilityRPC      = 1
	FacilityDispatch = 2
	FacilityStorage  = 3
	FacilityITF      = 4 // interface-defined codes: every MAPI_E_ and MAPI_W_ code
	FacilityWin32    = 7
	FacilityWindows  = 8
)

// scodeNames maps each defined SCode to its MAPI name. A test proves every
// exported constant has exactly one entry and a unique value.
var scodeNames = map[SCode]string{
	OK:                        "S_OK",
	ErrCallFailed:             "MAPI_E_CALL_FAILED",
	ErrNotEnoughMemory:        "MAPI_E_NOT_ENOUGH_MEMORY",
	ErrInvalidParameter:       "MAPI_E_INVALID_PARAMETER",
	ErrInterfaceNotSupported:  "MAPI_E_INTERFACE_NOT_SUPPORTED",
	ErrNoAccess:               "MAPI_E_NO_ACCESS",
	ErrNoSupport:              "MAPI_E_NO_SUPPORT",
	ErrBadCharWidth:           "MAPI_E_BAD_CHARWIDTH",
	ErrStringTooLong:          "MAPI_E_STRING_TOO_LONG",
	ErrUnknownFlags:           "MAPI_E_UNKNOWN_FLAGS",
	ErrInvalidEntryID:         "MAPI_E_INVALID_ENTRYID",
	ErrInvalidObject:          "MAPI_E_INVALID_OBJECT",
	ErrObjectChanged:          "MAPI_E_OBJECT_CHANGED",
	ErrObjectDeleted:          "MAPI_E_OBJECT_DELETED",
	ErrBusy:                   "MAPI_E_BUSY",
	ErrNotEnoughDisk:          "MAPI_E_NOT_ENOUGH_DISK",
	ErrNotEnoughResources:     "MAPI_E_NOT_ENOUGH_RESOURCES",
	ErrNotFound:               "MAPI_E_NOT_FOUND",
	ErrVersion:                "MAPI_E_VERSION",
	ErrLogonFailed:            "MAPI_E_LOGON_FAILED",
	ErrSessionLimit:           "MAPI_E_SESSION_LIMIT",
	ErrUserCancel:             "MAPI_E_USER_CANCEL",
	ErrUnableToAbort:          "MAPI_E_UNABLE_TO_ABORT",
	ErrNetworkError:           "MAPI_E_NETWORK_ERROR",
	ErrDiskError:              "MAPI_E_DISK_ERROR",
	ErrTooComplex:             "MAPI_E_TOO_COMPLEX",
	ErrBadColumn:              "MAPI_E_BAD_COLUMN",
	ErrExtendedError:          "MAPI_E_EXTENDED_ERROR",
	ErrComputed:               "MAPI_E_COMPUTED",
	ErrCorruptData:            "MAPI_E_CORRUPT_DATA",
	ErrUnconfigured:           "MAPI_E_UNCONFIGURED",
	ErrFailOneProvider:        "MAPI_E_FAILONEPROVIDER",
	ErrUnknownCPID:            "MAPI_E_UNKNOWN_CPID",
	ErrUnknownLCID:            "MAPI_E_UNKNOWN_LCID",
	ErrPasswordChangeRequired: "MAPI_E_PASSWORD_CHANGE_REQUIRED",
	ErrPasswordExpired:        "MAPI_E_PASSWORD_EXPIRED",
	ErrInvalidWorkstation:     "MAPI_E_INVALID_WORKSTATION_ACCOUNT",
	ErrInvalidAccessTime:      "MAPI_E_INVALID_ACCESS_TIME",
	ErrAccountDisabled:        "MAPI_E_ACCOUNT_DISABLED",
	ErrReconnected:            "MAPI_E_RECONNECTED",
	ErrOffline:                "MAPI_E_OFFLINE",
	ErrEndOfSession:           "MAPI_E_END_OF_SESSION",
	ErrUnknownEntryID:         "MAPI_E_UNKNOWN_ENTRYID",
	ErrMissingRequiredColumn:  "MAPI_E_MISSING_REQUIRED_COLUMN",
	ErrBadValue:               "MAPI_E_BAD_VALUE",
	ErrInvalidType:            "MAPI_E_INVALID_TYPE",
	ErrTypeNoSupport:          "MAPI_E_TYPE_NO_SUPPORT",
	ErrUnexpectedType:         "MAPI_E_UNEXPECTED_TYPE",
	ErrTooBig:                 "MAPI_E_TOO_BIG",
	ErrDeclineCopy:            "MAPI_E_DECLINE_COPY",
	ErrUnexpectedID:           "MAPI_E_UNEXPECTED_ID",
	ErrUnableToComplete:       "MAPI_E_UNABLE_TO_COMPLETE",
	ErrTimeout:                "MAPI_E_TIMEOUT",
	ErrTableEmpty:             "MAPI_E_TABLE_EMPTY",
	ErrTableTooBig:            "MAPI_E_TABLE_TOO_BIG",
	ErrInvalidBookmark:        "MAPI_E_INVALID_BOOKMARK",
	ErrWait:                   "MAPI_E_WAIT",
	ErrCancel:                 "MAPI_E_CANCEL",
	ErrNotMe:                  "MAPI_E_NOT_ME",
	ErrCorruptStore:           "MAPI_E_CORRUPT_STORE",
	ErrNotInQueue:             "MAPI_E_NOT_IN_QUEUE",
	ErrNoSuppress:             "MAPI_E_NO_SUPPRESS",
	ErrCollision:              "MAPI_E_COLLISION",
	ErrNotInitialized:         "MAPI_E_NOT_INITIALIZED",
	ErrNonStandard:            "MAPI_E_NON_STANDARD",
	ErrNoRecipients:           "MAPI_E_NO_RECIPIENTS",
	ErrSubmitted:              "MAPI_E_SUBMITTED",
	ErrHasFolders:             "MAPI_E_HAS_FOLDERS",
	ErrHasMessages:            "MAPI_E_HAS_MESSAGES",
	ErrFolderCycle:            "MAPI_E_FOLDER_CYCLE",
	ErrAmbiguousRecip:         "MAPI_E_AMBIGUOUS_RECIP",
	WarnNoService:             "MAPI_W_NO_SERVICE",
	WarnErrorsReturned:        "MAPI_W_ERRORS_RETURNED",
	WarnPositionChanged:       "MAPI_W_POSITION_CHANGED",
	WarnApproxCount:           "MAPI_W_APPROX_COUNT",
	WarnCancelMessage:         "MAPI_W_CANCEL_MESSAGE",
	WarnPartialCompletion:     "MAPI_W_PARTIAL_COMPLETION",
}

// Error returns the MAPI name of the code, such as "MAPI_E_LOGON_FAILED",
// or "SCODE 0x80041234" for a value MAPI's headers do not name.
func (c SCode) Error() string { return c.String() }

// String returns the same text as Error.
func (c SCode) String() string {
	if name, ok := scodeNames[c]; ok {
		return name
	}
	return fmt.Sprintf("SCODE 0x%08X", uint32(c))
}

// Failed reports whether the severity bit is set: FAILED(hr) in C.
// Warnings and S_OK are not failures. It is for SCodes read from C-side
// data (a PT_ERROR value, a PropProblem, a recorded HRESULT); a Go error
// is a failure whenever it is non-nil.
func (c SCode) Failed() bool { return c&0x80000000 != 0 }

// Facility returns bits 26..16: HRESULT_FACILITY(hr) in C.
func (c SCode) Facility() uint16 { return uint16(c>>16) & 0x7FF }

// Code returns bits 15..0: HRESULT_CODE(hr) in C.
func (c SCode) Code() uint16 { return uint16(c) }

// Is lets errors.Is match a few codes against the standard library's
// sentinels: ErrNoSupport matches errors.ErrUnsupported, ErrNoAccess
// matches fs.ErrPermission and ErrNotFound matches fs.ErrNotExist.
func (c SCode) Is(target error) bool {
	switch target {
	case errors.ErrUnsupported:
		return c == ErrNoSupport
	case fs.ErrPermission:
		return c == ErrNoAccess
	case fs.ErrNotExist:
		return c == ErrNotFound
	}
	return false
}

// CodeOf returns the SCode that err carries: OK for nil, the first SCode in
// err's chain (depth first, as errors.As finds it), or ErrCallFailed for an
// error that carries none. It is the rule a host uses to turn a Go error
// into the HRESULT a C caller sees: WarnPartialCompletion for a
// *PartialError, the Code of the outermost *Error otherwise.
func CodeOf(err error) SCode {
	if err == nil {
		return OK
	}
	var c SCode
	if errors.As(err, &c) {
		return c
	}
	return ErrCallFailed
}
