package mapispi_test

import (
	"strings"
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

func TestRelopString(t *testing.T) {
	tests := []struct {
		in   mapispi.Relop
		want string
	}{
		{mapispi.RelopLT, "RELOP_LT"}, {mapispi.RelopLE, "RELOP_LE"}, {mapispi.RelopGT, "RELOP_GT"},
		{mapispi.RelopGE, "RELOP_GE"}, {mapispi.RelopEQ, "RELOP_EQ"}, {mapispi.RelopNE, "RELOP_NE"},
		{mapispi.RelopRE, "RELOP_RE"}, {7, "RELOP_0x7"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Relop(%d).String() = %q, want %q", uint32(tt.in), got, tt.want)
		}
	}
	if mapispi.RelopRE != 6 || !mapispi.RelopRE.Valid() || mapispi.Relop(7).Valid() {
		t.Errorf("RelopRE = %d, Valid wrong", mapispi.RelopRE)
	}
}

func TestFuzzyLevelString(t *testing.T) {
	tests := []struct {
		in   mapispi.FuzzyLevel
		want string
	}{
		{mapispi.FuzzyFullString, "FL_FULLSTRING"},
		{mapispi.FuzzySubstring | mapispi.FuzzyIgnoreCase, "FL_SUBSTRING|FL_IGNORECASE"},
		{mapispi.FuzzyPrefix | mapispi.FuzzyIgnoreNonSpace | mapispi.FuzzyLoose, "FL_PREFIX|FL_IGNORENONSPACE|FL_LOOSE"},
		{3 | 0x80000, "0x3|0x80000"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("FuzzyLevel(0x%X).String() = %q, want %q", uint32(tt.in), got, tt.want)
		}
	}
	if mapispi.FuzzyIgnoreCase != 0x10000 || mapispi.FuzzyIgnoreNonSpace != 0x20000 || mapispi.FuzzyLoose != 0x40000 {
		t.Error("fuzzy level values differ from MAPIDefS.h")
	}
}

func TestRestrictionString(t *testing.T) {
	r := mapispi.AndRestriction{Res: []mapispi.Restriction{
		mapispi.ContentRestriction{
			FuzzyLevel: mapispi.FuzzySubstring | mapispi.FuzzyIgnoreCase,
			Tag:        mapispi.PropSubject,
			Prop:       mapispi.PropValue{Tag: mapispi.PropSubject, Value: "hello"},
		},
		&mapispi.NotRestriction{Res: mapispi.ExistRestriction{Tag: mapispi.PropBody}},
		mapispi.BitmaskRestriction{Relop: mapispi.BitmaskNEZ, Tag: mapispi.PropMessageFlags, Mask: 1},
	}}
	want := strings.Join([]string{
		"lpRes->rt = 0x0 = RES_AND",
		"lpRes->res.resAnd.cRes = 0x00000003",
		"\tlpRes->res.resAnd.lpRes[0x0]",
		"\tlpRes->rt = 0x3 = RES_CONTENT",
		"\tlpRes->res.resContent.ulFuzzyLevel = FL_SUBSTRING|FL_IGNORECASE = 0x00010001",
		"\tlpRes->res.resContent.ulPropTag = 0x0037001F (PR_SUBJECT)",
		"\tlpRes->res.resContent.lpProp->ulPropTag = 0x0037001F (PR_SUBJECT)",
		"\tlpRes->res.resContent.lpProp->Value = \"hello\"",
		"\tlpRes->res.resAnd.lpRes[0x1]",
		"\tlpRes->rt = 0x2 = RES_NOT",
		"\tlpRes->res.resNot.lpRes",
		"\t\tlpRes->rt = 0x8 = RES_EXIST",
		"\t\tlpRes->res.resExist.ulPropTag = 0x1000001F (PR_BODY)",
		"\tlpRes->res.resAnd.lpRes[0x2]",
		"\tlpRes->rt = 0x6 = RES_BITMASK",
		"\tlpRes->res.resBitMask.relBMR = BMR_NEZ = 0x00000001",
		"\tlpRes->res.resBitMask.ulPropTag = 0x0E070003 (PR_MESSAGE_FLAGS)",
		"\tlpRes->res.resBitMask.ulMask = 0x00000001",
	}, "\n")
	if got := r.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestRestrictionStringEveryKind(t *testing.T) {
	val := mapispi.PropValue{Tag: mapispi.PropMessageSize, Value: int32(5)}
	kinds := []struct {
		r    mapispi.Restriction
		want mapispi.RestrictionType
		has  string
	}{
		{mapispi.OrRestriction{}, mapispi.ResOr, "resOr.cRes = 0x00000000"},
		{mapispi.PropertyRestriction{Relop: mapispi.RelopGE, Tag: mapispi.PropMessageSize, Prop: val}, mapispi.ResProperty, "RELOP_GE"},
		{mapispi.ComparePropsRestriction{Relop: mapispi.RelopEQ, Tag1: mapispi.PropSubject, Tag2: mapispi.PropBody}, mapispi.ResCompareProps, "ulPropTag2 = 0x1000001F"},
		{mapispi.SizeRestriction{Relop: mapispi.RelopLT, Tag: mapispi.PropBody, Size: 9}, mapispi.ResSize, "cb = 0x00000009"},
		{mapispi.SubRestriction{Object: mapispi.PropMessageRecipients, Res: mapispi.ExistRestriction{Tag: mapispi.PropDisplayName}}, mapispi.ResSubRestriction, "ulSubObject = 0x0E12000D"},
		{mapispi.CommentRestriction{Props: []mapispi.PropValue{val}}, mapispi.ResComment, "lpRes = NULL"},
		{mapispi.CountRestriction{Count: 2, Res: mapispi.ExistRestriction{}}, mapispi.ResCount, "ulCount = 0x00000002"},
		{mapispi.ContentRestriction{Tag: mapispi.PropEntryID, Prop: mapispi.PropValue{Tag: mapispi.PropEntryID, Value: []byte{1, 0xAB}}}, mapispi.ResContent, "cb: 2 lpb: 01AB"},
	}
	for _, k := range kinds {
		if k.r.Type() != k.want {
			t.Errorf("%T.Type() = %v, want %v", k.r, k.r.Type(), k.want)
		}
		if s := k.r.String(); !strings.Contains(s, k.has) || !strings.Contains(s, k.want.String()) {
			t.Errorf("%T.String() = %q, want it to contain %q", k.r, s, k.has)
		}
	}
}

func TestRestrictionStringCycleAndNil(t *testing.T) {
	and := &mapispi.AndRestriction{}
	and.Res = []mapispi.Restriction{and, (*mapispi.NotRestriction)(nil)}
	s := and.String()
	if !strings.Contains(s, "nested deeper than 64 levels") {
		t.Errorf("cyclic String() lacks the depth marker")
	}
	if !strings.Contains(mapispi.NotRestriction{Res: (*mapispi.ExistRestriction)(nil)}.String(), "lpRes = NULL") {
		t.Errorf("nil pointer restriction not shown as NULL")
	}
}

func TestSortAndTableStrings(t *testing.T) {
	s := mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{
		{Tag: mapispi.PropSubject, Order: mapispi.SortAscend},
		{Tag: mapispi.PropMessageSize, Order: mapispi.SortDescend},
	}}
	if got, want := s.String(), "PR_SUBJECT TABLE_SORT_ASCEND, PR_MESSAGE_SIZE TABLE_SORT_DESCEND"; got != want {
		t.Errorf("SortOrderSet.String() = %q, want %q", got, want)
	}
	s.Categories, s.Expanded = 1, 1
	if got := s.String(); !strings.HasSuffix(got, "(cCategories 1, cExpanded 1)") {
		t.Errorf("SortOrderSet.String() = %q, want the category counts", got)
	}
	for d, want := range map[mapispi.SortDirection]string{
		mapispi.SortCombine: "TABLE_SORT_COMBINE", mapispi.SortCategMax: "TABLE_SORT_CATEG_MAX",
		mapispi.SortCategMin: "TABLE_SORT_CATEG_MIN", 3: "TABLE_SORT_0x3",
	} {
		if got := d.String(); got != want {
			t.Errorf("SortDirection(%d).String() = %q, want %q", uint32(d), got, want)
		}
	}
	for e, want := range map[mapispi.TableEvent]string{
		mapispi.TableChanged: "TABLE_CHANGED", mapispi.TableReload: "TABLE_RELOAD", 0: "TABLE_0x0", 10: "TABLE_0xA",
	} {
		if got := e.String(); got != want {
			t.Errorf("TableEvent(%d).String() = %q, want %q", uint32(e), got, want)
		}
	}
	n := mapispi.TableNotification{Event: mapispi.TableRowAdded,
		Index: mapispi.PropValue{Tag: mapispi.PropInstanceKey, Value: []byte{1, 2}},
		Prior: mapispi.PropValue{Tag: mapispi.PropNull}}
	if got, want := n.String(), "TABLE_ROW_ADDED index=0102 prior=PR_NULL"; got != want {
		t.Errorf("TableNotification.String() = %q, want %q", got, want)
	}
	if got, want := mapispi.BitmaskRelop(2).String(), "BMR_0x2"; got != want {
		t.Errorf("BitmaskRelop(2).String() = %q, want %q", got, want)
	}
	if got, want := mapispi.RestrictionType(0xD).String(), "RES_0xD"; got != want {
		t.Errorf("RestrictionType(0xD).String() = %q, want %q", got, want)
	}
}
