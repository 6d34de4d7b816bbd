package pst

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

// pcProp is one property a test PC holds: its tag, the bytes [MS-PST]
// stores for it, where, and the value it must decode to.
type pcProp struct {
	tag   mapispi.PropTag
	where string // "inline", "heap", "subnode" (two blocks), "zero" (HNID 0)
	raw   []byte
	want  any
}

const pcSubnodeBase NID = 0x1F // subnode NIDs: NID_TYPE_LTP, index from 1

var (
	testTime  = time.Date(2020, 1, 2, 3, 4, 5, 123456700, time.UTC)
	testFT    = uint64(132224078451234567) // testTime as a FILETIME, 100 ns since 1601-01-01 UTC
	testUID   = mapispi.UID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	longText  = strings.Repeat("Grüße aus dem Subnode. ", 300)
	pcAllType = []pcProp{
		{mapispi.NewPropTag(mapispi.PtNull, 0x6601), "inline", le32(0), nil},
		{mapispi.NewPropTag(mapispi.PtI2, 0x6602), "inline", le32(0xFFFE), int16(-2)},
		{mapispi.NewPropTag(mapispi.PtLong, 0x6603), "inline", le32(0xFFFFFFFB), int32(-5)},
		{mapispi.NewPropTag(mapispi.PtR4, 0x6604), "inline", le32(math.Float32bits(1.5)), float32(1.5)},
		{mapispi.NewPropTag(mapispi.PtDouble, 0x6605), "heap", le64(math.Float64bits(-2.25)), float64(-2.25)},
		{mapispi.NewPropTag(mapispi.PtCurrency, 0x6606), "heap", le64(12345678), int64(12345678)},
		{mapispi.NewPropTag(mapispi.PtAppTime, 0x6607), "heap", le64(math.Float64bits(43831.5)), float64(43831.5)},
		{mapispi.NewPropTag(mapispi.PtError, 0x660A), "inline", le32(0x8004010F), mapispi.ErrNotFound},
		{mapispi.NewPropTag(mapispi.PtBoolean, 0x660B), "inline", le32(1), true},
		{mapispi.NewPropTag(mapispi.PtBoolean, 0x660C), "inline", le32(0), false},
		{mapispi.NewPropTag(mapispi.PtObject, 0x3701), "heap", append(le32(0x8A1F), le32(4096)...), pcObject{NID: 0x8A1F, Size: 4096}},
		{mapispi.NewPropTag(mapispi.PtI8, 0x6614), "heap", le64(1 << 40), int64(1 << 40)},
		{mapispi.NewPropTag(mapispi.PtString8, 0x0E1D), "heap", []byte("caf\xe9"), "café"},
		{mapispi.NewPropTag(mapispi.PtUnicode, 0x0037), "heap", utf16le("Héllo ✓"), "Héllo ✓"},
		{mapispi.NewPropTag(mapispi.PtUnicode, 0x1000), "subnode", utf16le(longText), longText},
		{mapispi.NewPropTag(mapispi.PtUnicode, 0x1001), "zero", nil, ""},
		{mapispi.NewPropTag(mapispi.PtUnicode, 0x1002), "heap", append(utf16le("terminated"), 0, 0), "terminated"},
		{mapispi.NewPropTag(mapispi.PtSysTime, 0x0E06), "heap", le64(testFT), testTime},
		{mapispi.NewPropTag(mapispi.PtCLSID, 0x6648), "heap", testUID[:], testUID},
		{mapispi.NewPropTag(mapispi.PtSvrEID, 0x67FB), "heap", []byte{1, 0xAA}, []byte{1, 0xAA}},
		{mapispi.NewPropTag(mapispi.PtBinary, 0x0FFF), "heap", []byte{0, 1, 2, 3}, []byte{0, 1, 2, 3}},
		{mapispi.NewPropTag(mapispi.PtBinary, 0x0FF9), "zero", nil, []byte{}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtI2, 0x6702), "heap", append(le16(1), le16(0xFFFF)...), []int16{1, -1}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtLong, 0x6703), "heap", append(le32(7), le32(8)...), []int32{7, 8}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtR4, 0x6704), "heap", le32(math.Float32bits(0.5)), []float32{0.5}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtDouble, 0x6705), "heap", append(le64(math.Float64bits(1)), le64(math.Float64bits(2))...), []float64{1, 2}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtCurrency, 0x6706), "heap", le64(5), []int64{5}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtAppTime, 0x6707), "heap", le64(math.Float64bits(3)), []float64{3}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtI8, 0x6714), "heap", append(le64(1), le64(2)...), []int64{1, 2}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtString8, 0x671E), "heap", multi([]byte("na\xefve"), []byte(""), []byte("x")), []string{"naïve", "", "x"}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtUnicode, 0x671F), "heap", multi(utf16le("eins"), utf16le("zwei"), utf16le("drei")), []string{"eins", "zwei", "drei"}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtUnicode, 0x6720), "subnode", multi(utf16le(longText), utf16le("kurz")), []string{longText, "kurz"}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtUnicode, 0x6721), "zero", nil, []string{}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtSysTime, 0x6740), "heap", le64(testFT), []time.Time{testTime}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtCLSID, 0x6748), "heap", append(testUID[:], make([]byte, 16)...), []mapispi.UID{testUID, {}}},
		{mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtBinary, 0x6802), "heap", multi([]byte{1}, nil, []byte{2, 3}), [][]byte{{1}, {}, {2, 3}}},
	}
)

// buildPC lays out a PC node ([MS-PST] 2.3.3) holding props, its BTH
// with at most fanout records a node.
func buildPC(props []pcProp, fanout int) *ltpFakeNode {
	n := &ltpFakeNode{nid: testNID}
	h := newLTPHeap()
	recs := make([]bthRecord, 0, len(props))
	sub := 0
	for i, p := range props {
		var dw []byte
		switch p.where {
		case "inline":
			dw = p.raw
		case "heap":
			if i%7 == 6 {
				h.newPage() // spread values over pages
			}
			dw = le32(uint32(h.add(p.raw)))
		case "subnode":
			sub++
			nid := pcSubnodeBase | NID(sub<<5)
			half := len(p.raw) / 2
			n.addSub(nid, p.raw[:half], p.raw[half:])
			dw = le32(uint32(nid))
		case "zero":
			dw = le32(0)
		}
		recs = append(recs, bthRecord{key: le16(p.tag.ID()), data: append(le16(uint16(p.tag.Type())), dw...)})
	}
	// The BTH's keys are the property IDs, ascending.
	sortRecs(recs)
	n.data = h.build(hnClientPC, h.addBTH(2, 6, recs, fanout))
	return n
}

func sortRecs(recs []bthRecord) {
	for i := 1; i < len(recs); i++ {
		for j := i; j > 0 && compareKeys(recs[j].key, recs[j-1].key) < 0; j-- {
			recs[j], recs[j-1] = recs[j-1], recs[j]
		}
	}
}

func TestPCEveryType(t *testing.T) {
	for _, fanout := range []int{100, 4} { // one leaf; two levels
		n := buildPC(pcAllType, fanout)
		pc, err := openPC(n, codepage.Windows1252, testBudget())
		if err != nil {
			t.Fatal(err)
		}
		all, err := pc.props()
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(pcAllType) {
			t.Fatalf("props() = %d values, want %d", len(all), len(pcAllType))
		}
		for i := 1; i < len(all); i++ {
			if all[i-1].Tag.ID() >= all[i].Tag.ID() {
				t.Errorf("props() not in ID order: %v before %v", all[i-1].Tag, all[i].Tag)
			}
		}
		byID := map[uint16]mapispi.PropValue{}
		for _, v := range all {
			byID[v.Tag.ID()] = v
		}
		for _, p := range pcAllType {
			want := mapispi.PropValue{Tag: p.tag, Value: p.want}
			if err := want.Check(); err != nil {
				t.Fatalf("test value %v: %v", p.tag, err)
			}
			if got := byID[p.tag.ID()]; !reflect.DeepEqual(got, want) {
				t.Errorf("fanout %d: props() has %#v, want %#v", fanout, got, want)
			}
			got, ok, err := pc.prop(p.tag.ID())
			if err != nil || !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("fanout %d: prop(0x%04X) = %#v, %v, %v, want %#v", fanout, p.tag.ID(), got, ok, err, want)
			}
		}
		if v, ok, err := pc.prop(0x0001); ok || err != nil {
			t.Errorf("prop(0x0001) = %v, %v, %v, want none", v, ok, err)
		}
		tags, err := pc.tags()
		if err != nil || len(tags) != len(pcAllType) {
			t.Errorf("tags() = %d tags, %v, want %d", len(tags), err, len(pcAllType))
		}
	}
}

// TestPCBinaryIsCopied changes a returned value and reads it again: the
// node's data must not change.
func TestPCBinaryIsCopied(t *testing.T) {
	n := buildPC([]pcProp{{mapispi.PropEntryID, "heap", []byte{1, 2, 3}, nil}}, 10)
	pc, err := openPC(n, 0, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	v, _, _ := pc.prop(mapispi.PropEntryID.ID())
	v.Value.([]byte)[0] = 0xFF
	v, _, _ = pc.prop(mapispi.PropEntryID.ID())
	if got := v.Value.([]byte); got[0] != 1 {
		t.Errorf("prop after changing a returned value = %x, want 010203", got)
	}
}

func TestPCErrors(t *testing.T) {
	one := func(tag mapispi.PropTag, where string, raw []byte) func() *ltpFakeNode {
		return func() *ltpFakeNode { return buildPC([]pcProp{{tag, where, raw, nil}}, 10) }
	}
	for _, tt := range []struct {
		name   string
		node   func() *ltpFakeNode
		atOpen bool
	}{
		{"bClientSig not bTypePC", func() *ltpFakeNode {
			n := buildPC(nil, 10)
			n.data[0][3] = hnClientTC
			return n
		}, true},
		{"BTH with cbEnt 4", func() *ltpFakeNode {
			h := newLTPHeap()
			return &ltpFakeNode{nid: testNID, data: h.build(hnClientPC, h.addBTH(2, 4, nil, 10))}
		}, true},
		{"property type [MS-PST] does not list", one(0x66000033, "inline", le32(0)), false},
		{"multi-valued boolean", one(mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtBoolean, 0x6600), "heap", []byte{1}), false},
		{"8-byte value of 7 bytes", one(mapispi.NewPropTag(mapispi.PtI8, 0x6600), "heap", make([]byte, 7)), false},
		{"8-byte value at HNID 0", one(mapispi.NewPropTag(mapispi.PtSysTime, 0x6600), "zero", nil), false},
		{"UTF-16 of odd length", one(mapispi.NewPropTag(mapispi.PtUnicode, 0x6600), "heap", []byte{'a', 0, 'b'}), false},
		{"multi-valued count past the data", one(mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtBinary, 0x6600), "heap", le32(1000)), false},
		{"multi-valued offset past the data", one(mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtBinary, 0x6600), "heap", append(le32(1), le32(50)...)), false},
		{"multi-valued offsets descending", one(mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtUnicode, 0x6600), "heap", append(append(append(le32(2), le32(14)...), le32(12)...), make([]byte, 4)...)), false},
		{"multi-valued fixed values not whole", one(mapispi.NewPropTag(mapispi.MVFlag|mapispi.PtLong, 0x6600), "heap", make([]byte, 6)), false},
		{"object structure not 8 bytes", one(mapispi.NewPropTag(mapispi.PtObject, 0x3701), "heap", make([]byte, 4)), false},
		{"value in a subnode the node lacks", func() *ltpFakeNode {
			n := buildPC([]pcProp{{mapispi.NewPropTag(mapispi.PtBinary, 0x6600), "subnode", []byte("xy"), nil}}, 10)
			n.subs = nil
			return n
		}, false},
		{"value at a HID past the page map", func() *ltpFakeNode {
			n := buildPC([]pcProp{{mapispi.NewPropTag(mapispi.PtBinary, 0x6600), "heap", []byte("xy"), nil}}, 10)
			h := newLTPHeap()
			h.add([]byte("xy"))
			rec := append(append(le16(0x6600), le16(uint16(mapispi.PtBinary))...), le32(7<<5)...)
			n.data = h.build(hnClientPC, h.addBTH(2, 6, []bthRecord{{key: rec[:2], data: rec[2:]}}, 10))
			return n
		}, false},
		{"multi-byte code page, invalid text", func() *ltpFakeNode {
			return buildPC([]pcProp{{mapispi.NewPropTag(mapispi.PtString8, 0x6600), "heap", []byte{0x81}, nil}}, 10)
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cp := codepage.Windows1252
			if strings.HasPrefix(tt.name, "multi-byte") {
				cp = 932
			}
			pc, err := openPC(tt.node(), cp, testBudget())
			if tt.atOpen {
				wantFormatError(t, err, testNID)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = pc.props()
			wantFormatError(t, err, testNID)
			_, _, err = pc.prop(0x6600)
			if tags, _ := pc.tags(); len(tags) == 1 && tags[0].ID() != 0x6600 {
				_, _, err = pc.prop(tags[0].ID())
			}
			wantFormatError(t, err, testNID)
		})
	}
}
