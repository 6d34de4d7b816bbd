package mapispi

import (
	"fmt"
	"strings"
	"time"
)

//go:generate go run genproptags.go

// PropType is the Go form of a MAPI property type (PROP_TYPE(ulPropTag)):
// the low 16 bits of a property tag.
type PropType uint16

// Property types, from MAPIDefS.h. A multi-valued type is the single-valued
// type with MVFlag set.
const (
	PtUnspecified PropType = 0x0000 // PT_UNSPECIFIED
	PtNull        PropType = 0x0001 // PT_NULL
	PtI2          PropType = 0x0002 // PT_I2 (PT_SHORT)
	PtLong        PropType = 0x0003 // PT_LONG (PT_I4)
	PtR4          PropType = 0x0004 // PT_R4 (PT_FLOAT)
	PtDouble      PropType = 0x0005 // PT_DOUBLE (PT_R8)
	PtCurrency    PropType = 0x0006 // PT_CURRENCY
	PtAppTime     PropType = 0x0007 // PT_APPTIME
	PtError       PropType = 0x000A // PT_ERROR
	PtBoolean     PropType = 0x000B // PT_BOOLEAN
	PtObject      PropType = 0x000D // PT_OBJECT
	PtI8          PropType = 0x0014 // PT_I8 (PT_LONGLONG)
	PtString8     PropType = 0x001E // PT_STRING8
	PtUnicode     PropType = 0x001F // PT_UNICODE
	PtSysTime     PropType = 0x0040 // PT_SYSTIME
	PtCLSID       PropType = 0x0048 // PT_CLSID
	PtSvrEID      PropType = 0x00FB // PT_SVREID
	PtBinary      PropType = 0x0102 // PT_BINARY
	MVFlag        PropType = 0x1000 // MV_FLAG: multi-valued
)

var propTypeNames = map[PropType]string{
	PtUnspecified: "PT_UNSPECIFIED", PtNull: "PT_NULL", PtI2: "PT_I2", PtLong: "PT_LONG",
	PtR4: "PT_R4", PtDouble: "PT_DOUBLE", PtCurrency: "PT_CURRENCY", PtAppTime: "PT_APPTIME",
	PtError: "PT_ERROR", PtBoolean: "PT_BOOLEAN", PtObject: "PT_OBJECT", PtI8: "PT_I8",
	PtString8: "PT_STRING8", PtUnicode: "PT_UNICODE", PtSysTime: "PT_SYSTIME",
	PtCLSID: "PT_CLSID", PtSvrEID: "PT_SVREID", PtBinary: "PT_BINARY",
}

// IsMultiValued reports whether MVFlag is set.
func (t PropType) IsMultiValued() bool { return t&MVFlag != 0 }

// Base returns t without MVFlag.
func (t PropType) Base() PropType { return t &^ MVFlag }

// String returns the MAPI name, such as "PT_BINARY" or "PT_MV_UNICODE", or
// "PT_0x1234" for a type MAPI's headers do not name.
func (t PropType) String() string {
	name, ok := propTypeNames[t.Base()]
	if !ok {
		return fmt.Sprintf("PT_0x%04X", uint16(t))
	}
	if t.IsMultiValued() {
		return "PT_MV_" + name[len("PT_"):]
	}
	return name
}

// PropTag is the Go form of a MAPI property tag (ULONG ulPropTag): the
// property ID in bits 31..16 and the PropType in bits 15..0.
type PropTag uint32

// NewPropTag returns the tag for id and t: PROP_TAG(t, id) in C.
func NewPropTag(t PropType, id uint16) PropTag { return PropTag(uint32(id)<<16 | uint32(t)) }

// ID returns the property ID: PROP_ID(tag) in C.
func (t PropTag) ID() uint16 { return uint16(t >> 16) }

// Type returns the property type: PROP_TYPE(tag) in C.
func (t PropTag) Type() PropType { return PropType(t) }

// WithType returns the tag with the same ID and type pt:
// CHANGE_PROP_TYPE(tag, pt) in C.
func (t PropTag) WithType(pt PropType) PropTag { return NewPropTag(pt, t.ID()) }

// String returns the PR_ name where known, such as "PR_ENTRYID", with "_A"
// for the PT_STRING8 form of a string property whose constant here is
// PT_UNICODE; otherwise "0x%08X". PropTagByName reads every name it
// returns back to the same tag.
func (t PropTag) String() string {
	if name, ok := propTagNames[t]; ok {
		return name
	}
	if t.Type().Base() == PtString8 {
		if name, ok := propTagNames[t.WithType(t.Type()&MVFlag|PtUnicode)]; ok {
			return name + "_A"
		}
	}
	return fmt.Sprintf("0x%08X", uint32(t))
}

// PropTagByName is the name lookup MFCMAPI-style property tools do (MAPI
// has none): it returns the tag that name stands for, and false if it
// knows no such name.
//
// It knows the tags of stores, folders, messages, recipients and
// attachments that this package declares, by their MAPITags.h name
// ("PR_SUBJECT"), their [MS-OXPROPS] canonical name ("PidTagSubject") and
// a few documented aliases. A string property's name gives its PT_UNICODE
// tag, as the constants here do; the name with "_W" gives the same tag,
// and with "_A" the PT_STRING8 tag ("PR_SUBJECT_A" is 0x0037001E), as the
// header's macros do. Names are case-sensitive, as in the headers; hex
// tags are not parsed here.
func PropTagByName(name string) (PropTag, bool) {
	if t, ok := propNameTags[name]; ok {
		return t, true
	}
	if !strings.HasPrefix(name, "PR_") {
		return 0, false
	}
	if base, ok := strings.CutSuffix(name, "_W"); ok {
		if t, ok := propNameTags[base]; ok && t.Type().Base() == PtUnicode {
			return t, true
		}
	}
	if base, ok := strings.CutSuffix(name, "_A"); ok {
		if t, ok := propNameTags[base]; ok && t.Type().Base() == PtUnicode {
			return t.WithType(t.Type()&MVFlag | PtString8), true
		}
	}
	return 0, false
}

// Secure profile properties: MAPI reserves IDs PropIDSecureMin through
// PropIDSecureMax (PROP_ID_SECURE_MIN/MAX in MAPIDefS.h) for a provider's
// private data, such as passwords, in its profile section. The Logon page
// speaks of 0x6600 to 0x67FF as provider-private; the header narrows the
// secure range to 0x67F0 to 0x67FF.
const (
	PropIDSecureMin uint16 = 0x67F0
	PropIDSecureMax uint16 = 0x67FF
)

// IsSecure reports whether tag's ID is in the secure range
// (PropIDSecureMin to PropIDSecureMax), where providers keep passwords:
// String and every error and trace of this module leave such values out.
func IsSecure(tag PropTag) bool { return tag.ID() >= PropIDSecureMin && tag.ID() <= PropIDSecureMax }

// PropValue is the Go form of SPropValue: a property tag and its value.
//
// Value holds the Go type that the tag's PropType calls for:
//
//	PT_NULL                 nil
//	PT_I2                   int16
//	PT_LONG                 int32
//	PT_R4                   float32
//	PT_DOUBLE, PT_APPTIME   float64
//	PT_CURRENCY, PT_I8      int64
//	PT_ERROR                SCode
//	PT_BOOLEAN              bool
//	PT_STRING8, PT_UNICODE  string (UTF-8 in Go; the width is the tag's)
//	PT_SYSTIME              time.Time
//	PT_CLSID                UID
//	PT_BINARY, PT_SVREID    []byte
//	PT_OBJECT               any object the provider defines
//	PT_MV_x                 a slice of the type for PT_x ([][]byte for PT_MV_BINARY)
//
// Check reports a value that does not match its tag.
type PropValue struct {
	Tag   PropTag
	Value any
}

// ErrorValue returns the PT_ERROR value a GetProps call reports for a
// property it could not return: tag's ID with type PT_ERROR, and code.
func ErrorValue(tag PropTag, code SCode) PropValue {
	return PropValue{Tag: tag.WithType(PtError), Value: code}
}

// Err returns the SCode of a PT_ERROR value, or nil for any other value.
func (v PropValue) Err() error {
	if v.Tag.Type() != PtError {
		return nil
	}
	if c, ok := v.Value.(SCode); ok && c != OK {
		return c
	}
	return nil
}

// String returns "TAG=value": binary values in upper-case hex, as entry
// IDs print; a PT_ERROR value as the property's name and the SCode's, such
// as "PR_SUBJECT=PT_ERROR(MAPI_E_NOT_FOUND)"; and the int32 value of a
// flag- or enum-valued property by MAPI name, bits without a name in hex,
// such as "PR_MESSAGE_FLAGS=MSGFLAG_READ|MSGFLAG_UNMODIFIED" or
// "PR_ATTACH_METHOD=ATTACH_BY_VALUE". The properties printed by name are
// PR_ACCESS, PR_ACCESS_LEVEL, PR_ATTACH_METHOD, PR_FOLDER_TYPE,
// PR_IMPORTANCE, PR_MESSAGE_FLAGS, PR_MSG_STATUS, PR_OBJECT_TYPE,
// PR_RECIPIENT_TYPE, PR_RESOURCE_FLAGS, PR_RESOURCE_METHODS,
// PR_RESOURCE_TYPE, PR_SENSITIVITY, PR_STATUS_CODE, PR_STORE_STATE,
// PR_STORE_SUPPORT_MASK, PR_SUBMIT_FLAGS and PR_VALID_FOLDER_MASK. A value
// in the secure range (IsSecure) is never shown: "TAG=(secure property,
// not shown)". Any value, of any Go type, prints without a panic.
func (v PropValue) String() string {
	if IsSecure(v.Tag) && v.Tag.Type() != PtError {
		return v.Tag.String() + "=(secure property, not shown)"
	}
	switch v.Tag.Type() {
	case PtLong:
		if n, ok := v.Value.(int32); ok {
			if s, ok := formatNamedLong(v.Tag, n); ok {
				return v.Tag.String() + "=" + s
			}
		}
	case PtError:
		if c, ok := v.Value.(SCode); ok {
			name := fmt.Sprintf("0x%08X", uint32(v.Tag))
			if n, ok := propIDNames[v.Tag.ID()]; ok {
				name = n
			}
			return fmt.Sprintf("%s=PT_ERROR(%v)", name, c)
		}
	case PtBinary, PtSvrEID, MVFlag | PtBinary:
		return fmt.Sprintf("%v=%X", v.Tag, v.Value)
	}
	return fmt.Sprintf("%v=%v", v.Tag, v.Value)
}

// PropsWarning returns the SCode MAPI's GetProps returns with vals:
// WarnErrorsReturned when a value is PT_ERROR, else OK. A Go GetProps
// returns a nil error either way; a host that records what a C caller
// would see uses this.
func PropsWarning(vals []PropValue) SCode {
	for _, v := range vals {
		if v.Tag.Type() == PtError {
			return WarnErrorsReturned
		}
	}
	return OK
}

// Check returns nil if v.Value has the Go type that v.Tag's type calls
// for, or an *Error wrapping ErrInvalidType (an unknown type) or
// ErrBadValue (a mismatch).
func (v PropValue) Check() error {
	var ok bool
	switch v.Tag.Type() {
	case PtNull:
		ok = v.Value == nil
	case PtI2:
		_, ok = v.Value.(int16)
	case PtLong:
		_, ok = v.Value.(int32)
	case PtR4:
		_, ok = v.Value.(float32)
	case PtDouble, PtAppTime:
		_, ok = v.Value.(float64)
	case PtCurrency, PtI8:
		_, ok = v.Value.(int64)
	case PtError:
		_, ok = v.Value.(SCode)
	case PtBoolean:
		_, ok = v.Value.(bool)
	case PtString8, PtUnicode:
		_, ok = v.Value.(string)
	case PtSysTime:
		_, ok = v.Value.(time.Time)
	case PtCLSID:
		_, ok = v.Value.(UID)
	case PtBinary, PtSvrEID:
		_, ok = v.Value.([]byte)
	case PtObject:
		ok = v.Value != nil
	case MVFlag | PtI2:
		_, ok = v.Value.([]int16)
	case MVFlag | PtLong:
		_, ok = v.Value.([]int32)
	case MVFlag | PtR4:
		_, ok = v.Value.([]float32)
	case MVFlag | PtDouble, MVFlag | PtAppTime:
		_, ok = v.Value.([]float64)
	case MVFlag | PtCurrency, MVFlag | PtI8:
		_, ok = v.Value.([]int64)
	case MVFlag | PtString8, MVFlag | PtUnicode:
		_, ok = v.Value.([]string)
	case MVFlag | PtSysTime:
		_, ok = v.Value.([]time.Time)
	case MVFlag | PtCLSID:
		_, ok = v.Value.([]UID)
	case MVFlag | PtBinary:
		_, ok = v.Value.([][]byte)
	default:
		return Errorf(ErrInvalidType, "PropValue", "%v has type %v, which no MAPI header defines", v.Tag, v.Tag.Type())
	}
	if !ok {
		return Errorf(ErrBadValue, "PropValue", "%v holds %T, want the Go type for %v", v.Tag, v.Value, v.Tag.Type())
	}
	return nil
}

// PropProblem is the Go form of SPropProblem: one property that SetProps or
// DeleteProps could not handle.
type PropProblem struct {
	Index int     // index into the caller's array
	Tag   PropTag // the property
	Code  SCode   // why
}
