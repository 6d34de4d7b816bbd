package mapiutil_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
)

func pv(t mapispi.PropType, id uint16, v any) mapispi.PropValue {
	return mapispi.PropValue{Tag: mapispi.NewPropTag(t, id), Value: v}
}

// oneTwo returns values of type t standing for 1 and 2, as native MAPI's
// conformance tests build them.
func oneTwo(t mapispi.PropType) (one, two any) {
	switch t {
	case mapispi.PtI2:
		return int16(1), int16(2)
	case mapispi.PtLong:
		return int32(1), int32(2)
	case mapispi.PtR4:
		return float32(1), float32(2)
	case mapispi.PtDouble, mapispi.PtAppTime:
		return float64(1), float64(2)
	case mapispi.PtCurrency, mapispi.PtI8:
		return int64(1), int64(2)
	case mapispi.PtError:
		return mapispi.SCode(1), mapispi.SCode(2)
	case mapispi.PtSysTime:
		return time.Unix(1, 0), time.Unix(2, 0)
	case mapispi.PtCLSID:
		return mapispi.UID{15: 1}, mapispi.UID{15: 2}
	case mapispi.PtString8, mapispi.PtUnicode:
		return "1", "2"
	case mapispi.PtBinary:
		return []byte{1}, []byte{2}
	}
	panic("no values for " + t.String())
}

var orderedTypes = []mapispi.PropType{
	mapispi.PtI2, mapispi.PtLong, mapispi.PtR4, mapispi.PtDouble, mapispi.PtCurrency, mapispi.PtAppTime,
	mapispi.PtSysTime, mapispi.PtError, mapispi.PtI8, mapispi.PtCLSID, mapispi.PtString8, mapispi.PtBinary,
	mapispi.PtUnicode,
}

func TestCompareProps(t *testing.T) {
	for _, typ := range orderedTypes {
		one, two := oneTwo(typ)
		for _, tc := range []struct {
			a, b any
			want int
		}{{one, two, -1}, {one, one, 0}, {two, one, 1}} {
			if got := mapiutil.CompareProps(pv(typ, 1, tc.a), pv(typ, 2, tc.b)); got != tc.want {
				t.Errorf("CompareProps(%v %v, %v) = %d, want %d", typ, tc.a, tc.b, got, tc.want)
			}
		}
	}
	tests := []struct {
		name string
		a, b mapispi.PropValue
		want int
	}{
		{"booleans equal", pv(mapispi.PtBoolean, 1, true), pv(mapispi.PtBoolean, 1, true), 0},
		{"booleans differ", pv(mapispi.PtBoolean, 1, false), pv(mapispi.PtBoolean, 1, true), -1},
		{"types order by number", pv(mapispi.PtLong, 1, int32(9)), pv(mapispi.PtI2, 1, int16(1)), 1},
		{"8-bit and Unicode compare as text", pv(mapispi.PtString8, 1, "a"), pv(mapispi.PtUnicode, 1, "b"), -1},
		{"binary prefix first", pv(mapispi.PtBinary, 1, []byte{1}), pv(mapispi.PtBinary, 1, []byte{1, 0}), -1},
		{"SCODE signed", pv(mapispi.PtError, 1, mapispi.ErrNotFound), pv(mapispi.PtError, 1, mapispi.OK), -1},
		{"NaN first", pv(mapispi.PtDouble, 1, math.NaN()), pv(mapispi.PtDouble, 1, -1e300), -1},
		{"MV element-wise", pv(mapispi.PtLong|mapispi.MVFlag, 1, []int32{1, 3}), pv(mapispi.PtLong|mapispi.MVFlag, 1, []int32{1, 2, 9}), 1},
		{"MV shorter first", pv(mapispi.PtString8|mapispi.MVFlag, 1, []string{"a"}), pv(mapispi.PtString8|mapispi.MVFlag, 1, []string{"a", "b"}), -1},
		{"bad value after good", pv(mapispi.PtLong, 1, "x"), pv(mapispi.PtLong, 1, int32(1)), 1},
		{"nulls equal", pv(mapispi.PtNull, 1, nil), pv(mapispi.PtNull, 2, nil), 0},
	}
	for _, tt := range tests {
		if got := mapiutil.CompareProps(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: CompareProps(%v, %v) = %d, want %d", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}

// TestCollation: strings compare linguistically by default, as lstrcmpW
// does, and by UTF-16 code units when asked; CompareProps, CompareRelop,
// Match and a view's sort agree.
func TestCollation(t *testing.T) {
	text := func(s string) mapispi.PropValue { return pv(mapispi.PtUnicode, 1, s) }
	english := []string{"apple", "Apple", "Banana", "cherry"}
	codeUnits := []string{"Apple", "Banana", "apple", "cherry"}
	for _, tc := range []struct {
		name string
		c    *mapiutil.Collation
		want []string
	}{
		{"default", nil, english},
		{"English", mapiutil.NewCollation(language.English), english},
		{"code units", mapiutil.CodeUnitOrder(), codeUnits},
	} {
		got := slices.Clone(english)
		slices.Reverse(got)
		slices.SortFunc(got, func(a, b string) int { return tc.c.CompareProps(text(a), text(b)) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: sorted by CompareProps = %q, want %q", tc.name, got, tc.want)
		}
		for i := 1; i < len(tc.want); i++ {
			a, b := text(tc.want[i-1]), text(tc.want[i])
			if !tc.c.CompareRelop(a, mapispi.RelopLT, b) || tc.c.CompareRelop(b, mapispi.RelopLT, a) {
				t.Errorf("%s: CompareRelop(%q < %q) disagrees with the order", tc.name, a.Value, b.Value)
			}
			r := mapispi.PropertyRestriction{Relop: mapispi.RelopGT, Tag: a.Tag, Prop: a}
			if ok, err := tc.c.Match(r, []mapispi.PropValue{b}); !ok || err != nil {
				t.Errorf("%s: Match(%q > %q) = %v, %v, want true", tc.name, b.Value, a.Value, ok, err)
			}
		}
		td, err := mapiutil.NewTableData(tagKey, []mapispi.PropTag{tagKey, tagSubject}, mapiutil.TableOptions{Collation: tc.c})
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range english {
			td.ModifyRow(mapispi.Row{{Tag: tagKey, Value: int32(i)}, {Tag: tagSubject, Value: s}})
		}
		v, _ := td.View(nil)
		v.SortTable(context.Background(), mapispi.SortOrderSet{Sorts: []mapispi.SortOrder{{Tag: tagSubject, Order: mapispi.SortAscend}}})
		rows, _ := v.QueryRows(context.Background(), 10)
		got = got[:0]
		for _, r := range rows {
			got = append(got, r[1].Value.(string))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: a view sorted by subject = %q, want %q", tc.name, got, tc.want)
		}
		v.Restrict(context.Background(), mapispi.PropertyRestriction{Relop: mapispi.RelopLT, Tag: tagSubject, Prop: text(tc.want[2])})
		if n, _ := v.RowCount(context.Background()); n != 2 {
			t.Errorf("%s: rows below %q = %d, want 2", tc.name, tc.want[2], n)
		}
		v.SeekRow(context.Background(), mapispi.BookmarkBeginning, 0)
		v.Restrict(context.Background(), nil)
		if _, err := v.FindRow(context.Background(), mapispi.PropertyRestriction{Relop: mapispi.RelopGT, Tag: tagSubject, Prop: text(tc.want[2])}, mapispi.BookmarkBeginning, 0); err != nil {
			t.Fatal(err)
		}
		if rows, _ := v.QueryRows(context.Background(), 1); len(rows) != 1 || rows[0][1].Value != tc.want[3] {
			t.Errorf("%s: FindRow(> %q) stopped on %v, want %q", tc.name, tc.want[2], rows, tc.want[3])
		}
	}
	// Equal under the collation but not identical: ordered, not equal.
	if c := mapiutil.CompareProps(text("e\u0301"), text("\u00e9")); c == 0 {
		t.Errorf("CompareProps(e+U+0301, U+00E9) = 0, want a tie broken by code units")
	}
	// Code unit order is UTF-16's, not UTF-8's.
	for _, tc := range [][2]string{{"\U0001F600", "\uFFFD"}, {"\uD7FF", "\U00010000"}} {
		if got := mapiutil.CodeUnitOrder().CompareProps(text(tc[0]), text(tc[1])); got != -1 {
			t.Errorf("CodeUnitOrder().CompareProps(%q, %q) = %d, want -1 (UTF-16 order)", tc[0], tc[1], got)
		}
	}
}

func TestCompareRelop(t *testing.T) {
	results := []struct {
		l, r int
		op   mapispi.Relop
		want bool
	}{
		{1, 2, mapispi.RelopLT, true}, {1, 1, mapispi.RelopLT, false}, {2, 1, mapispi.RelopLT, false},
		{1, 2, mapispi.RelopLE, true}, {1, 1, mapispi.RelopLE, true}, {2, 1, mapispi.RelopLE, false},
		{1, 2, mapispi.RelopGT, false}, {1, 1, mapispi.RelopGT, false}, {2, 1, mapispi.RelopGT, true},
		{1, 2, mapispi.RelopGE, false}, {1, 1, mapispi.RelopGE, true}, {2, 1, mapispi.RelopGE, true},
		{1, 2, mapispi.RelopEQ, false}, {1, 1, mapispi.RelopEQ, true}, {2, 1, mapispi.RelopEQ, false},
		{1, 2, mapispi.RelopNE, true}, {1, 1, mapispi.RelopNE, false},
		{1, 1, mapispi.RelopRE, false}, {1, 1, 99, false},
	}
	for _, typ := range orderedTypes {
		one, two := oneTwo(typ)
		val := func(n int) any {
			if n == 1 {
				return one
			}
			return two
		}
		for _, r := range results {
			if got := mapiutil.CompareRelop(pv(typ, 1, val(r.l)), r.op, pv(typ, 1, val(r.r))); got != r.want {
				t.Errorf("CompareRelop(%v %d %v %d) = %v, want %v", typ, r.l, r.op, r.r, got, r.want)
			}
		}
	}
	// Two true booleans (native tests use 1 and 2) are equal: no order.
	tr := pv(mapispi.PtBoolean, 1, true)
	for op, want := range map[mapispi.Relop]bool{
		mapispi.RelopLT: false, mapispi.RelopLE: true, mapispi.RelopGT: false,
		mapispi.RelopGE: true, mapispi.RelopEQ: true, mapispi.RelopNE: false,
	} {
		if got := mapiutil.CompareRelop(tr, op, tr); got != want {
			t.Errorf("CompareRelop(true %v true) = %v, want %v", op, got, want)
		}
	}
	if mapiutil.CompareRelop(pv(mapispi.PtLong, 1, int32(1)), mapispi.RelopEQ, pv(mapispi.PtI2, 1, int16(1))) {
		t.Error("CompareRelop across types = true, want false")
	}
}

func TestContainsProp(t *testing.T) {
	const full, fullLower = "Full String", "full string"
	str := func(s string) mapispi.PropValue { return pv(mapispi.PtString8, 1, s) }
	bin := func(s string) mapispi.PropValue { return pv(mapispi.PtBinary, 1, []byte(s)) }
	FS, PF, SS, IC := mapispi.FuzzyFullString, mapispi.FuzzyPrefix, mapispi.FuzzySubstring, mapispi.FuzzyIgnoreCase
	tests := []struct {
		needle string
		level  mapispi.FuzzyLevel
		str    bool // the PT_STRING8 answer
		bin    bool // the PT_BINARY answer
	}{
		{full, FS, true, true},
		{"Full", FS, false, false},
		{"Full", PF, true, true},
		{"Full", SS, true, true},
		{"full", PF, false, false},
		{"full", SS, false, false},
		{"full", PF | IC, true, false},
		{"full", SS | IC, true, false},
		{"ll St", FS, false, false},
		{"ll St", PF, false, false},
		{"ll St", SS, true, true},
		{"ll st", PF, false, false},
		{"ll st", SS, false, false},
		{"ll st", PF | IC, false, false},
		{"ll st", SS | IC, true, false},
		{fullLower, FS | IC, true, false},
		{"", SS, true, true},
		{"", PF, true, true},
	}
	for _, tt := range tests {
		if got := mapiutil.ContainsProp(str(full), str(tt.needle), tt.level); got != tt.str {
			t.Errorf("ContainsProp(%q, %q, %v) = %v, want %v", full, tt.needle, tt.level, got, tt.str)
		}
		if got := mapiutil.ContainsProp(bin(full), bin(tt.needle), tt.level); got != tt.bin {
			t.Errorf("ContainsProp(bin %q, bin %q, %v) = %v, want %v", full, tt.needle, tt.level, got, tt.bin)
		}
		uni := func(s string) mapispi.PropValue { return pv(mapispi.PtUnicode, 1, s) }
		if got := mapiutil.ContainsProp(uni(full), uni(tt.needle), tt.level); got != tt.str {
			t.Errorf("ContainsProp(unicode %q, %q, %v) = %v, want %v", full, tt.needle, tt.level, got, tt.str)
		}
	}
	// Only strings and binaries take part.
	for _, typ := range orderedTypes {
		if typ == mapispi.PtString8 || typ == mapispi.PtUnicode || typ == mapispi.PtBinary {
			continue
		}
		one, _ := oneTwo(typ)
		if mapiutil.ContainsProp(pv(typ, 1, one), pv(typ, 1, one), FS) {
			t.Errorf("ContainsProp(%v) = true, want false", typ)
		}
	}
	unicodeCases := []struct {
		hay, needle string
		level       mapispi.FuzzyLevel
		want        bool
	}{
		{"Temperature 300\u212A", "300k", SS | IC, true}, // Kelvin sign folds with k
		{"STRASSE", "straße", FS | IC, false},            // simple folding: ß is not SS
		{"ΣΊΣΥΦΟΣ", "σίσυφος", FS | IC, true},
		{"Crème brûlée", "Creme brulee", FS | mapispi.FuzzyIgnoreNonSpace, true},
		{"Crème brûlée", "creme brulee", FS | mapispi.FuzzyIgnoreNonSpace, false},
		{"Crème brûlée", "CREME", PF | mapispi.FuzzyLoose, true},
		{"Crème brûlée", "creme", PF | IC, false},
	}
	for _, tt := range unicodeCases {
		if got := mapiutil.ContainsProp(pv(mapispi.PtUnicode, 1, tt.hay), pv(mapispi.PtUnicode, 1, tt.needle), tt.level); got != tt.want {
			t.Errorf("ContainsProp(%q, %q, %v) = %v, want %v", tt.hay, tt.needle, tt.level, got, tt.want)
		}
	}
	if mapiutil.ContainsProp(str(full), bin("Full"), SS) {
		t.Error("ContainsProp(string, binary) = true, want false")
	}
}

func TestFindProp(t *testing.T) {
	props := []mapispi.PropValue{
		pv(mapispi.PtSvrEID, 7, []byte{1}), // invalid tag type: never found
		pv(mapispi.PtI2, 1, int16(5)),
		pv(mapispi.PtLong, 2, int32(6)),
	}
	tests := []struct {
		tag  mapispi.PropTag
		want int // index into props, -1 for none
	}{
		{mapispi.NewPropTag(mapispi.PtI2, 1), 1},
		{mapispi.NewPropTag(mapispi.PtLong, 1), -1},
		{mapispi.NewPropTag(mapispi.PtUnspecified, 1), 1},
		{mapispi.NewPropTag(mapispi.PtUnspecified, 0), -1},
		{mapispi.NewPropTag(mapispi.PtUnspecified, 2), 2},
		{mapispi.NewPropTag(mapispi.PtSvrEID, 7), -1},
	}
	for _, tt := range tests {
		got, ok := mapiutil.FindProp(props, tt.tag)
		if tt.want < 0 {
			if ok {
				t.Errorf("FindProp(%v) = %v, want none", tt.tag, got)
			}
			continue
		}
		if !ok || got.Tag != props[tt.want].Tag {
			t.Errorf("FindProp(%v) = %v, %v, want %v", tt.tag, got, ok, props[tt.want])
		}
	}
}

func TestValidPropTagAndColumns(t *testing.T) {
	good := map[mapispi.PropType]bool{}
	for _, b := range []mapispi.PropType{0, 1, 2, 3, 4, 5, 6, 7, 0xA, 0xB, 0xD, 0x14, 0x1E, 0x1F, 0x40, 0x48, 0x102} {
		good[b] = true
	}
	for pt := 0; pt < 0xFFFF; pt++ {
		typ := mapispi.PropType(pt)
		wantTag := good[typ&^mapispi.MVFlag]
		if got := mapiutil.ValidPropTag(mapispi.PropTag(pt)); got != wantTag {
			t.Fatalf("ValidPropTag(0x%04X) = %v, want %v", pt, got, wantTag)
		}
		wantCol := wantTag && typ != mapispi.PtError
		if got := mapiutil.ValidColumns([]mapispi.PropTag{mapispi.PropTag(pt)}); got != wantCol {
			t.Fatalf("ValidColumns(0x%04X) = %v, want %v", pt, got, wantCol)
		}
	}
	if mapiutil.ValidColumns(nil) {
		t.Error("ValidColumns(nil) = true, want false")
	}
	if !mapiutil.ValidColumns([]mapispi.PropTag{mapispi.NewPropTag(mapispi.PtError|mapispi.MVFlag, 3)}) {
		t.Error("ValidColumns(PT_MV_ERROR) = false, want true (native quirk)")
	}
}

func TestPropSize(t *testing.T) {
	tests := []struct {
		v    mapispi.PropValue
		want int
	}{
		{pv(mapispi.PtI2, 1, int16(1)), 2},
		{pv(mapispi.PtLong, 1, int32(1)), 4},
		{pv(mapispi.PtR4, 1, float32(1)), 4},
		{pv(mapispi.PtDouble, 1, 1.0), 8},
		{pv(mapispi.PtCurrency, 1, int64(1)), 8},
		{pv(mapispi.PtAppTime, 1, 1.0), 8},
		{pv(mapispi.PtSysTime, 1, time.Unix(0, 0)), 8},
		{pv(mapispi.PtError, 1, mapispi.ErrNotFound), 4},
		{pv(mapispi.PtBoolean, 1, true), 2},
		{pv(mapispi.PtObject, 1, struct{}{}), 0},
		{pv(mapispi.PtI8, 1, int64(1)), 8},
		{pv(mapispi.PtCLSID, 1, mapispi.UID{}), 16},
		{pv(mapispi.PtString8, 1, "Hi!"), 4},
		{pv(mapispi.PtUnicode, 1, "Hi!"), 8},
		{pv(mapispi.PtUnicode, 1, "\U0001F600"), 6},
		{pv(mapispi.PtUnicode, 1, "a\xff\xfe"), 8}, // each byte that is not UTF-8 as one U+FFFD
		{pv(mapispi.PtBinary, 1, make([]byte, 19)), 19},
		{pv(mapispi.PtI2|mapispi.MVFlag, 1, []int16{1, 2}), 4},
		{pv(mapispi.PtLong|mapispi.MVFlag, 1, []int32{1, 2}), 8},
		{pv(mapispi.PtSysTime|mapispi.MVFlag, 1, []time.Time{{}, {}}), 16},
		{pv(mapispi.PtString8|mapispi.MVFlag, 1, []string{"Hi!", "Hi!"}), 8},
		{pv(mapispi.PtUnicode|mapispi.MVFlag, 1, []string{"Hi!", "Hi!"}), 16},
		{pv(mapispi.PtBinary|mapispi.MVFlag, 1, [][]byte{make([]byte, 19), {1}}), 20},
		{pv(mapispi.PtCLSID|mapispi.MVFlag, 1, []mapispi.UID{{}, {}}), 0}, // native quirk
		{pv(mapispi.PtSvrEID, 1, []byte{1, 2}), 0},
		{pv(mapispi.PtNull, 1, nil), 0},
		{pv(mapispi.PtLong, 1, "wrong"), 0},
		{pv(mapispi.PtUnicode|mapispi.MVFlag|mapispi.MVInstance, 1, "Hi!"), 8},
	}
	for _, tt := range tests {
		if got := mapiutil.PropSize(tt.v); got != tt.want {
			t.Errorf("PropSize(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
}

// TestIgnoreCaseTurkishI: the package documentation's rule for "İ" and
// "ı" under FL_IGNORECASE.
func TestIgnoreCaseTurkishI(t *testing.T) {
	text := func(s string) mapispi.PropValue { return pv(mapispi.PtUnicode, 1, s) }
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"İstanbul", "İSTANBUL", true},
		{"İstanbul", "istanbul", false},
		{"İstanbul", "Istanbul", false},
		{"ırmak", "IRMAK", false},
		{"ırmak", "ırmak", true},
		{"Iris", "iRIS", true},
	} {
		if got := mapiutil.ContainsProp(text(tc.a), text(tc.b), mapispi.FuzzyFullString|mapispi.FuzzyIgnoreCase); got != tc.want {
			t.Errorf("ContainsProp(%q, %q, FL_FULLSTRING|FL_IGNORECASE) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
