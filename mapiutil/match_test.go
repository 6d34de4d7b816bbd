package mapiutil_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

var (
	tagSubject = mapispi.PropSubject
	tagFlags   = mapispi.PropMessageFlags
	tagSize    = mapispi.PropMessageSize
	tagEntryID = mapispi.PropEntryID
	tagKeyword = mapispi.NewPropTag(mapispi.PtUnicode|mapispi.MVFlag, 0x8001)
	tagRead    = mapispi.NewPropTag(mapispi.PtBoolean, 0x8002)
)

type subRows []mapispi.Row

func (s subRows) SubRows() ([]mapispi.Row, error) { return s, nil }

type failingRows struct{}

var errDiskGone = errors.New("disk gone")

func (failingRows) SubRows() ([]mapispi.Row, error) { return nil, errDiskGone }

func sampleRow() []mapispi.PropValue {
	return []mapispi.PropValue{
		{Tag: tagSubject, Value: "Say HELLO to the team"},
		{Tag: tagFlags, Value: int32(0x1)},
		{Tag: tagSize, Value: int32(2048)},
		{Tag: tagEntryID, Value: []byte{0, 0, 0, 0, 0xAB, 0xCD}},
		{Tag: tagKeyword, Value: []string{"red", "Blue"}},
		{Tag: mapispi.PropBody.WithType(mapispi.PtError), Value: mapispi.ErrNotEnoughMemory},
		{Tag: mapispi.PropMessageRecipients, Value: subRows{
			{{Tag: mapispi.PropDisplayName, Value: "Ann"}},
			{{Tag: mapispi.PropDisplayName, Value: "Bob"}},
		}},
	}
}

func content(level mapispi.FuzzyLevel, tag mapispi.PropTag, v any) mapispi.ContentRestriction {
	return mapispi.ContentRestriction{FuzzyLevel: level, Tag: tag, Prop: mapispi.PropValue{Tag: tag, Value: v}}
}

func prop(op mapispi.Relop, tag mapispi.PropTag, v any) mapispi.PropertyRestriction {
	return mapispi.PropertyRestriction{Relop: op, Tag: tag, Prop: mapispi.PropValue{Tag: tag, Value: v}}
}

func TestMatch(t *testing.T) {
	keywordOne := mapispi.PropValue{Tag: tagKeyword.WithType(mapispi.PtUnicode), Value: "blue"}
	tests := []struct {
		name string
		r    mapispi.Restriction
		want bool
	}{
		{"nil matches", nil, true},
		{"nil pointer matches", (*mapispi.AndRestriction)(nil), true},
		{"substring ignorecase", content(mapispi.FuzzySubstring|mapispi.FuzzyIgnoreCase, tagSubject, "hello"), true},
		{"fullstring does not", content(mapispi.FuzzyFullString, tagSubject, "hello"), false},
		{"substring case-sensitive", content(mapispi.FuzzySubstring, tagSubject, "hello"), false},
		{"pointer form", &mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzyPrefix, Tag: tagSubject, Prop: mapispi.PropValue{Tag: tagSubject, Value: "Say"}}, true},
		{"8-bit restriction on Unicode column", content(mapispi.FuzzyPrefix, tagSubject.WithType(mapispi.PtString8), "Say"), true},
		{"binary substring", content(mapispi.FuzzySubstring, tagEntryID, []byte{0xAB}), true},
		{"content on MV column, any element", mapispi.ContentRestriction{FuzzyLevel: mapispi.FuzzyIgnoreCase, Tag: tagKeyword, Prop: keywordOne}, true},
		{"property on MV column, any element", mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: tagKeyword, Prop: mapispi.PropValue{Tag: tagKeyword.WithType(mapispi.PtUnicode), Value: "red"}}, true},
		{"property on MV column as tuple", prop(mapispi.RelopEQ, tagKeyword, []string{"red", "Blue"}), true},
		{"property GE", prop(mapispi.RelopGE, tagSize, int32(2048)), true},
		{"property GT", prop(mapispi.RelopGT, tagSize, int32(2048)), false},
		{"absent property is false", prop(mapispi.RelopNE, tagRead, true), false},
		{"not of absent is true", mapispi.NotRestriction{Res: prop(mapispi.RelopEQ, tagRead, true)}, true},
		{"PT_ERROR value is absent", mapispi.ExistRestriction{Tag: mapispi.PropBody}, false},
		{"exist", mapispi.ExistRestriction{Tag: tagFlags}, true},
		{"exist PT_UNSPECIFIED", mapispi.ExistRestriction{Tag: tagFlags.WithType(mapispi.PtUnspecified)}, true},
		{"bitmask NEZ", mapispi.BitmaskRestriction{Relop: mapispi.BitmaskNEZ, Tag: tagFlags, Mask: 1}, true},
		{"bitmask EQZ", mapispi.BitmaskRestriction{Relop: mapispi.BitmaskEQZ, Tag: tagFlags, Mask: 1}, false},
		{"size of binary", mapispi.SizeRestriction{Relop: mapispi.RelopEQ, Tag: tagEntryID, Size: 6}, true},
		{"size of Unicode string", mapispi.SizeRestriction{Relop: mapispi.RelopEQ, Tag: tagSubject, Size: 44}, true},
		{"compareprops", mapispi.ComparePropsRestriction{Relop: mapispi.RelopLT, Tag1: tagFlags, Tag2: tagSize}, true},
		{"compareprops absent", mapispi.ComparePropsRestriction{Relop: mapispi.RelopLT, Tag1: tagFlags, Tag2: mapispi.PropStatusCode}, false},
		{"empty and", mapispi.AndRestriction{}, true},
		{"empty or", mapispi.OrRestriction{}, false},
		{"and", mapispi.AndRestriction{Res: []mapispi.Restriction{mapispi.ExistRestriction{Tag: tagFlags}, mapispi.ExistRestriction{Tag: tagRead}}}, false},
		{"or", mapispi.OrRestriction{Res: []mapispi.Restriction{mapispi.ExistRestriction{Tag: tagRead}, mapispi.ExistRestriction{Tag: tagFlags}}}, true},
		{"comment alone", mapispi.CommentRestriction{}, true},
		{"comment wraps", mapispi.CommentRestriction{Res: mapispi.ExistRestriction{Tag: tagRead}}, false},
		{"count 0", mapispi.CountRestriction{Count: 0, Res: mapispi.ExistRestriction{Tag: tagFlags}}, false},
		{"count 1", mapispi.CountRestriction{Count: 1, Res: mapispi.ExistRestriction{Tag: tagFlags}}, true},
		{"subrestriction", mapispi.SubRestriction{Object: mapispi.PropMessageRecipients, Res: content(mapispi.FuzzyFullString, mapispi.PropDisplayName, "Bob")}, true},
		{"subrestriction no match", mapispi.SubRestriction{Object: mapispi.PropMessageRecipients, Res: content(mapispi.FuzzyFullString, mapispi.PropDisplayName, "Cy")}, false},
	}
	row := sampleRow()
	for _, tt := range tests {
		got, err := mapiutil.Match(tt.r, row)
		if err != nil || got != tt.want {
			t.Errorf("%s: Match() = %v, %v, want %v, nil", tt.name, got, err, tt.want)
		}
	}
}

func TestMatchErrors(t *testing.T) {
	deep := mapispi.Restriction(mapispi.ExistRestriction{Tag: tagFlags})
	for range mapispi.MaxRestrictionDepth {
		deep = mapispi.NotRestriction{Res: deep}
	}
	cycle := &mapispi.OrRestriction{}
	cycle.Res = []mapispi.Restriction{mapispi.ExistRestriction{Tag: tagRead}, cycle}
	type unknown struct{ mapispi.ExistRestriction }
	tests := []struct {
		name string
		r    mapispi.Restriction
		want error
	}{
		{"nested nil", mapispi.AndRestriction{Res: []mapispi.Restriction{nil}}, mapispi.ErrInvalidParameter},
		{"nested nil pointer", mapispi.NotRestriction{Res: (*mapispi.SizeRestriction)(nil)}, mapispi.ErrInvalidParameter},
		{"unknown kind", unknown{}, mapispi.ErrInvalidParameter},
		{"bad relop", prop(9, tagSize, int32(1)), mapispi.ErrInvalidParameter},
		{"RELOP_RE", prop(mapispi.RelopRE, tagSubject, "x"), mapispi.ErrTooComplex},
		{"bad fuzzy level", content(3, tagSubject, "x"), mapispi.ErrInvalidParameter},
		{"content type mismatch", mapispi.ContentRestriction{Tag: tagSubject, Prop: mapispi.PropValue{Tag: tagEntryID, Value: []byte{1}}}, mapispi.ErrTooComplex},
		{"content on integers", content(0, tagSize, int32(1)), mapispi.ErrTooComplex},
		{"property type mismatch", mapispi.PropertyRestriction{Relop: mapispi.RelopEQ, Tag: tagSize, Prop: mapispi.PropValue{Tag: tagSubject, Value: "1"}}, mapispi.ErrTooComplex},
		{"value of wrong Go type", prop(mapispi.RelopEQ, tagSize, "2048"), mapispi.ErrInvalidParameter},
		{"compareprops mismatch", mapispi.ComparePropsRestriction{Tag1: tagSize, Tag2: tagSubject}, mapispi.ErrTooComplex},
		{"bitmask on string", mapispi.BitmaskRestriction{Tag: tagSubject}, mapispi.ErrTooComplex},
		{"bad BMR", mapispi.BitmaskRestriction{Relop: 2, Tag: tagFlags}, mapispi.ErrInvalidParameter},
		{"size RELOP_RE", mapispi.SizeRestriction{Relop: mapispi.RelopRE, Tag: tagFlags}, mapispi.ErrTooComplex},
		{"sub on other object", mapispi.SubRestriction{Object: tagFlags, Res: mapispi.ExistRestriction{}}, mapispi.ErrInvalidParameter},
		{"sub without source", mapispi.SubRestriction{Object: mapispi.PropMessageAttachments, Res: mapispi.ExistRestriction{}}, mapispi.ErrTooComplex},
		{"too deep", deep, mapispi.ErrTooComplex},
		{"cycle", cycle, mapispi.ErrTooComplex},
		// A bad branch is refused even where evaluation would stop early.
		{"bad branch after true", mapispi.OrRestriction{Res: []mapispi.Restriction{mapispi.ExistRestriction{Tag: tagFlags}, prop(mapispi.RelopRE, tagSubject, "x")}}, mapispi.ErrTooComplex},
	}
	row := sampleRow()
	for _, tt := range tests {
		got, err := mapiutil.Match(tt.r, row)
		if !errors.Is(err, tt.want) || got {
			t.Errorf("%s: Match() = %v, %v, want false, %v", tt.name, got, err, tt.want)
		}
	}
	failing := []mapispi.PropValue{{Tag: mapispi.PropMessageAttachments, Value: failingRows{}}}
	_, err := mapiutil.Match(mapispi.SubRestriction{Object: mapispi.PropMessageAttachments, Res: mapispi.ExistRestriction{}}, failing)
	if !errors.Is(err, mapispi.ErrCallFailed) || !errors.Is(err, errDiskGone) {
		t.Errorf("Match(failing SubRows) = %v, want ErrCallFailed wrapping the cause", err)
	}
}

func TestMatchDepthLimit(t *testing.T) {
	build := func(levels int) mapispi.Restriction {
		r := mapispi.Restriction(mapispi.ExistRestriction{Tag: tagFlags})
		for range levels - 1 {
			r = mapispi.NotRestriction{Res: r}
		}
		return r
	}
	if _, err := mapiutil.Match(build(mapispi.MaxRestrictionDepth), sampleRow()); err != nil {
		t.Errorf("Match(%d levels) = %v, want nil", mapispi.MaxRestrictionDepth, err)
	}
	if _, err := mapiutil.Match(build(mapispi.MaxRestrictionDepth+1), sampleRow()); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("Match(%d levels) = %v, want ErrTooComplex", mapispi.MaxRestrictionDepth+1, err)
	}
}

func TestMatchContentAllocs(t *testing.T) {
	r := mapispi.Restriction(content(mapispi.FuzzySubstring|mapispi.FuzzyIgnoreCase, tagSubject, "team"))
	row := []mapispi.PropValue{{Tag: tagSubject, Value: "Say HELLO to the Team"}}
	allocs := testing.AllocsPerRun(100, func() {
		if ok, err := mapiutil.Match(r, row); !ok || err != nil {
			t.Fatal("no match")
		}
	})
	if allocs != 0 {
		t.Errorf("Match(content) allocates %v times per row, want 0", allocs)
	}
}

// TestSharedSubRestrictionsBounded: a restriction that shares its parts
// stands for 2^depth nodes; it is refused, and printed, in bounded time.
func TestSharedSubRestrictionsBounded(t *testing.T) {
	var r mapispi.Restriction = mapispi.ExistRestriction{Tag: mapispi.PropSubject}
	for range 40 {
		r = mapispi.OrRestriction{Res: []mapispi.Restriction{r, r}}
	}
	row := []mapispi.PropValue{{Tag: mapispi.PropDisplayName, Value: "x"}}
	if ok, err := mapiutil.Match(r, row); !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("Match(Or{r, r} nested 40 deep) = %v, %v, want ErrTooComplex", ok, err)
	}
	if s := r.String(); len(s) > 1<<20 || !strings.Contains(s, "truncated") {
		t.Errorf("String() of Or{r, r} nested 40 deep is %d bytes, want it truncated", len(s))
	}
	// The same structure 10 deep (2,047 nodes) is fine.
	r = mapispi.ExistRestriction{Tag: mapispi.PropDisplayName}
	for range 10 {
		r = mapispi.AndRestriction{Res: []mapispi.Restriction{r, r}}
	}
	if ok, err := mapiutil.Match(r, row); !ok || err != nil {
		t.Errorf("Match(And{r, r} nested 10 deep) = %v, %v, want true", ok, err)
	}
}

func TestIgnoreCaseKeepsInvalidBytesApart(t *testing.T) {
	a := mapispi.PropValue{Tag: mapispi.PropSubject, Value: "\xff"}
	b := mapispi.PropValue{Tag: mapispi.PropSubject, Value: "\xfe"}
	if mapiutil.ContainsProp(a, b, mapispi.FuzzyIgnoreCase) {
		t.Errorf("ContainsProp(\\xff, \\xfe, FL_IGNORECASE) = true, want false: they are different bytes")
	}
	if !mapiutil.ContainsProp(a, a, mapispi.FuzzyIgnoreCase|mapispi.FuzzySubstring) {
		t.Errorf("ContainsProp(\\xff, \\xff, FL_IGNORECASE|FL_SUBSTRING) = false, want true")
	}
}
