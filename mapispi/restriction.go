package mapispi

import (
	"fmt"
	"strings"
)

// RestrictionType is the Go form of SRestriction's rt: which kind of
// restriction a value is.
type RestrictionType uint32

// Restriction types, from MAPIDefS.h (RES_ANNOTATION is Outlook's).
const (
	ResAnd            RestrictionType = 0x0 // RES_AND
	ResOr             RestrictionType = 0x1 // RES_OR
	ResNot            RestrictionType = 0x2 // RES_NOT
	ResContent        RestrictionType = 0x3 // RES_CONTENT
	ResProperty       RestrictionType = 0x4 // RES_PROPERTY
	ResCompareProps   RestrictionType = 0x5 // RES_COMPAREPROPS
	ResBitmask        RestrictionType = 0x6 // RES_BITMASK
	ResSize           RestrictionType = 0x7 // RES_SIZE
	ResExist          RestrictionType = 0x8 // RES_EXIST
	ResSubRestriction RestrictionType = 0x9 // RES_SUBRESTRICTION
	ResComment        RestrictionType = 0xA // RES_COMMENT
	ResCount          RestrictionType = 0xB // RES_COUNT
	ResAnnotation     RestrictionType = 0xC // RES_ANNOTATION
)

var restrictionTypeNames = [...]string{
	"RES_AND", "RES_OR", "RES_NOT", "RES_CONTENT", "RES_PROPERTY", "RES_COMPAREPROPS",
	"RES_BITMASK", "RES_SIZE", "RES_EXIST", "RES_SUBRESTRICTION", "RES_COMMENT", "RES_COUNT",
	"RES_ANNOTATION",
}

// String returns the C name, such as "RES_CONTENT", or "RES_0x%X".
func (t RestrictionType) String() string {
	if uint64(t) < uint64(len(restrictionTypeNames)) {
		return restrictionTypeNames[t]
	}
	return fmt.Sprintf("RES_0x%X", uint32(t))
}

// Property tags that a restriction names, from MAPITags.h.
const (
	PropNull               PropTag = 0x00000001 // PR_NULL: an empty column or slot
	PropMessageRecipients  PropTag = 0x0E12000D // PR_MESSAGE_RECIPIENTS: a message's recipient table
	PropMessageAttachments PropTag = 0x0E13000D // PR_MESSAGE_ATTACHMENTS: a message's attachment table
)

// Restriction is the Go form of SRestriction: a filter on table rows, as
// IMAPITable::Restrict and FindRow take it. One struct implements it per
// kind (rt): AndRestriction, OrRestriction, NotRestriction,
// ContentRestriction, PropertyRestriction, ComparePropsRestriction,
// BitmaskRestriction, SizeRestriction, ExistRestriction, SubRestriction,
// CommentRestriction and CountRestriction. Each works as a value or a
// pointer; a nil Restriction passed to Restrict means no restriction.
//
// String gives a multi-line dump in the style of MFCMAPI's restriction
// view: one line per field, named by its C path, nested restrictions
// indented by a tab per level.
type Restriction interface {
	// Type reports the kind (rt).
	Type() RestrictionType
	String() string
}

// AndRestriction is the Go form of SAndRestriction (RES_AND): true when
// every restriction in Res is; an empty Res is true.
type AndRestriction struct{ Res []Restriction }

// OrRestriction is the Go form of SOrRestriction (RES_OR): true when any
// restriction in Res is; an empty Res is false.
type OrRestriction struct{ Res []Restriction }

// NotRestriction is the Go form of SNotRestriction (RES_NOT).
type NotRestriction struct{ Res Restriction }

// ContentRestriction is the Go form of SContentRestriction (RES_CONTENT):
// the string or binary property Tag contains Prop as FuzzyLevel says.
// Only the types of Tag and Prop.Tag must agree; Prop's ID is ignored.
type ContentRestriction struct {
	FuzzyLevel FuzzyLevel
	Tag        PropTag
	Prop       PropValue
}

// PropertyRestriction is the Go form of SPropertyRestriction
// (RES_PROPERTY): (the row's Tag) Relop (Prop).
type PropertyRestriction struct {
	Relop Relop
	Tag   PropTag
	Prop  PropValue
}

// ComparePropsRestriction is the Go form of SComparePropsRestriction
// (RES_COMPAREPROPS): (the row's Tag1) Relop (the row's Tag2).
type ComparePropsRestriction struct {
	Relop      Relop
	Tag1, Tag2 PropTag
}

// BitmaskRestriction is the Go form of SBitMaskRestriction (RES_BITMASK):
// (Tag & Mask) == 0 for BitmaskEQZ, != 0 for BitmaskNEZ.
type BitmaskRestriction struct {
	Relop BitmaskRelop
	Tag   PropTag
	Mask  uint32
}

// SizeRestriction is the Go form of SSizeRestriction (RES_SIZE): (the
// byte size of the row's Tag) Relop Size.
type SizeRestriction struct {
	Relop Relop
	Tag   PropTag
	Size  uint32
}

// ExistRestriction is the Go form of SExistRestriction (RES_EXIST): the
// row has Tag.
type ExistRestriction struct{ Tag PropTag }

// SubRestriction is the Go form of SSubRestriction (RES_SUBRESTRICTION):
// some row of the sub-object table Object (PropMessageRecipients or
// PropMessageAttachments) matches Res.
type SubRestriction struct {
	Object PropTag
	Res    Restriction
}

// CommentRestriction is the Go form of SCommentRestriction (RES_COMMENT):
// Props annotate Res, which alone decides; a nil Res is true.
type CommentRestriction struct {
	Props []PropValue
	Res   Restriction
}

// CountRestriction is the Go form of SCountRestriction (RES_COUNT): at
// most Count of the rows that match Res.
type CountRestriction struct {
	Count uint32
	Res   Restriction
}

// Type reports ResAnd.
func (AndRestriction) Type() RestrictionType { return ResAnd }

// Type reports ResOr.
func (OrRestriction) Type() RestrictionType { return ResOr }

// Type reports ResNot.
func (NotRestriction) Type() RestrictionType { return ResNot }

// Type reports ResContent.
func (ContentRestriction) Type() RestrictionType { return ResContent }

// Type reports ResProperty.
func (PropertyRestriction) Type() RestrictionType { return ResProperty }

// Type reports ResCompareProps.
func (ComparePropsRestriction) Type() RestrictionType { return ResCompareProps }

// Type reports ResBitmask.
func (BitmaskRestriction) Type() RestrictionType { return ResBitmask }

// Type reports ResSize.
func (SizeRestriction) Type() RestrictionType { return ResSize }

// Type reports ResExist.
func (ExistRestriction) Type() RestrictionType { return ResExist }

// Type reports ResSubRestriction.
func (SubRestriction) Type() RestrictionType { return ResSubRestriction }

// Type reports ResComment.
func (CommentRestriction) Type() RestrictionType { return ResComment }

// Type reports ResCount.
func (CountRestriction) Type() RestrictionType { return ResCount }

func (r AndRestriction) String() string          { return dumpRestriction(r) }
func (r OrRestriction) String() string           { return dumpRestriction(r) }
func (r NotRestriction) String() string          { return dumpRestriction(r) }
func (r ContentRestriction) String() string      { return dumpRestriction(r) }
func (r PropertyRestriction) String() string     { return dumpRestriction(r) }
func (r ComparePropsRestriction) String() string { return dumpRestriction(r) }
func (r BitmaskRestriction) String() string      { return dumpRestriction(r) }
func (r SizeRestriction) String() string         { return dumpRestriction(r) }
func (r ExistRestriction) String() string        { return dumpRestriction(r) }
func (r SubRestriction) String() string          { return dumpRestriction(r) }
func (r CommentRestriction) String() string      { return dumpRestriction(r) }
func (r CountRestriction) String() string        { return dumpRestriction(r) }

// MaxRestrictionDepth is how deeply restrictions may nest (And, Or, Not,
// SubRestriction, Comment and Count each add a level). Deeper nesting,
// which includes any cycle of shared sub-restrictions, is refused with
// ErrTooComplex, and String stops printing there.
const MaxRestrictionDepth = 64

func dumpRestriction(r Restriction) string {
	var d dumper
	d.restriction(r, 0)
	return strings.TrimSuffix(d.b.String(), "\n")
}

// dumper writes a restriction's String. It stops after maxDumpNodes
// nodes, so that a restriction sharing its parts (whose dump grows as
// 2^depth) prints in bounded time and space.
type dumper struct {
	b     strings.Builder
	nodes int
}

const maxDumpNodes = 4096

func (d *dumper) line(depth int, format string, args ...any) {
	for range depth {
		d.b.WriteByte('\t')
	}
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

func formatTag(t PropTag) string {
	if name := t.String(); !strings.HasPrefix(name, "0x") {
		return fmt.Sprintf("0x%08X (%s)", uint32(t), name)
	}
	return fmt.Sprintf("0x%08X", uint32(t))
}

func formatValue(v PropValue) string {
	switch x := v.Value.(type) {
	case []byte:
		return fmt.Sprintf("cb: %d lpb: %X", len(x), x)
	case string:
		return fmt.Sprintf("%q", x)
	case nil:
		return "(null)"
	}
	return fmt.Sprintf("%v", v.Value)
}

// restriction writes r at depth, guarding against nil values of either
// form and against nesting beyond MaxRestrictionDepth.
func (d *dumper) restriction(r Restriction, depth int) {
	if depth > MaxRestrictionDepth {
		d.line(depth, "(nested deeper than %d levels)", MaxRestrictionDepth)
		return
	}
	if d.nodes++; d.nodes > maxDumpNodes {
		if d.nodes == maxDumpNodes+1 {
			d.line(depth, "(truncated after %d restrictions)", maxDumpNodes)
		}
		return
	}
	if isNilRestriction(r) {
		d.line(depth, "lpRes = NULL")
		return
	}
	rt := r.Type()
	d.line(depth, "lpRes->rt = 0x%X = %v", uint32(rt), rt)
	switch x := derefRestriction(r).(type) {
	case AndRestriction:
		d.list(depth, "resAnd", x.Res)
	case OrRestriction:
		d.list(depth, "resOr", x.Res)
	case NotRestriction:
		d.line(depth, "lpRes->res.resNot.lpRes")
		d.restriction(x.Res, depth+1)
	case ContentRestriction:
		d.line(depth, "lpRes->res.resContent.ulFuzzyLevel = %v = 0x%08X", x.FuzzyLevel, uint32(x.FuzzyLevel))
		d.line(depth, "lpRes->res.resContent.ulPropTag = %s", formatTag(x.Tag))
		d.line(depth, "lpRes->res.resContent.lpProp->ulPropTag = %s", formatTag(x.Prop.Tag))
		d.line(depth, "lpRes->res.resContent.lpProp->Value = %s", formatValue(x.Prop))
	case PropertyRestriction:
		d.line(depth, "lpRes->res.resProperty.relop = %v = 0x%08X", x.Relop, uint32(x.Relop))
		d.line(depth, "lpRes->res.resProperty.ulPropTag = %s", formatTag(x.Tag))
		d.line(depth, "lpRes->res.resProperty.lpProp->ulPropTag = %s", formatTag(x.Prop.Tag))
		d.line(depth, "lpRes->res.resProperty.lpProp->Value = %s", formatValue(x.Prop))
	case ComparePropsRestriction:
		d.line(depth, "lpRes->res.resCompareProps.relop = %v = 0x%08X", x.Relop, uint32(x.Relop))
		d.line(depth, "lpRes->res.resCompareProps.ulPropTag1 = %s", formatTag(x.Tag1))
		d.line(depth, "lpRes->res.resCompareProps.ulPropTag2 = %s", formatTag(x.Tag2))
	case BitmaskRestriction:
		d.line(depth, "lpRes->res.resBitMask.relBMR = %v = 0x%08X", x.Relop, uint32(x.Relop))
		d.line(depth, "lpRes->res.resBitMask.ulPropTag = %s", formatTag(x.Tag))
		d.line(depth, "lpRes->res.resBitMask.ulMask = 0x%08X", x.Mask)
	case SizeRestriction:
		d.line(depth, "lpRes->res.resSize.relop = %v = 0x%08X", x.Relop, uint32(x.Relop))
		d.line(depth, "lpRes->res.resSize.ulPropTag = %s", formatTag(x.Tag))
		d.line(depth, "lpRes->res.resSize.cb = 0x%08X", x.Size)
	case ExistRestriction:
		d.line(depth, "lpRes->res.resExist.ulPropTag = %s", formatTag(x.Tag))
	case SubRestriction:
		d.line(depth, "lpRes->res.resSub.ulSubObject = %s", formatTag(x.Object))
		d.line(depth, "lpRes->res.resSub.lpRes")
		d.restriction(x.Res, depth+1)
	case CommentRestriction:
		d.line(depth, "lpRes->res.resComment.cValues = 0x%08X", len(x.Props))
		for i, p := range x.Props {
			d.line(depth, "lpRes->res.resComment.lpProp[0x%X].ulPropTag = %s", i, formatTag(p.Tag))
			d.line(depth, "lpRes->res.resComment.lpProp[0x%X].Value = %s", i, formatValue(p))
		}
		d.line(depth, "lpRes->res.resComment.lpRes")
		d.restriction(x.Res, depth+1)
	case CountRestriction:
		d.line(depth, "lpRes->res.resCount.ulCount = 0x%08X", x.Count)
		d.line(depth, "lpRes->res.resCount.lpRes")
		d.restriction(x.Res, depth+1)
	default:
		d.line(depth, "(%T: a restriction kind MAPIDefS.h does not define)", r)
	}
}

func (d *dumper) list(depth int, field string, res []Restriction) {
	d.line(depth, "lpRes->res.%s.cRes = 0x%08X", field, len(res))
	for i, sub := range res {
		d.line(depth+1, "lpRes->res.%s.lpRes[0x%X]", field, i)
		d.restriction(sub, depth+1)
	}
}

// isNilRestriction reports whether r is nil or a nil pointer to one of
// the restriction structs.
func isNilRestriction(r Restriction) bool {
	switch x := r.(type) {
	case nil:
		return true
	case *AndRestriction:
		return x == nil
	case *OrRestriction:
		return x == nil
	case *NotRestriction:
		return x == nil
	case *ContentRestriction:
		return x == nil
	case *PropertyRestriction:
		return x == nil
	case *ComparePropsRestriction:
		return x == nil
	case *BitmaskRestriction:
		return x == nil
	case *SizeRestriction:
		return x == nil
	case *ExistRestriction:
		return x == nil
	case *SubRestriction:
		return x == nil
	case *CommentRestriction:
		return x == nil
	case *CountRestriction:
		return x == nil
	}
	return false
}

// derefRestriction returns the struct a non-nil pointer points to, or r.
func derefRestriction(r Restriction) Restriction {
	switch x := r.(type) {
	case *AndRestriction:
		return *x
	case *OrRestriction:
		return *x
	case *NotRestriction:
		return *x
	case *ContentRestriction:
		return *x
	case *PropertyRestriction:
		return *x
	case *ComparePropsRestriction:
		return *x
	case *BitmaskRestriction:
		return *x
	case *SizeRestriction:
		return *x
	case *ExistRestriction:
		return *x
	case *SubRestriction:
		return *x
	case *CommentRestriction:
		return *x
	case *CountRestriction:
		return *x
	}
	return r
}
