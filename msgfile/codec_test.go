package msgfile

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mapiemu/mapiemu/cfb"
	"github.com/mapiemu/mapiemu/codepage"
	"github.com/mapiemu/mapiemu/mapispi"
)

func tag(typ mapispi.PropType, id uint16) mapispi.PropTag { return mapispi.NewPropTag(typ, id) }

var when = time.Date(2024, 2, 29, 13, 14, 15, 123456700, time.UTC)

// everyType holds one property of each type the codec knows, single and
// multi-valued.
func everyType() []mapispi.PropValue {
	mv := mapispi.MVFlag
	return []mapispi.PropValue{
		{Tag: tag(mapispi.PtI2, 0x6601), Value: int16(-2)},
		{Tag: tag(mapispi.PtLong, 0x6602), Value: int32(-70000)},
		{Tag: tag(mapispi.PtR4, 0x6603), Value: float32(1.5)},
		{Tag: tag(mapispi.PtDouble, 0x6604), Value: math.Pi},
		{Tag: tag(mapispi.PtCurrency, 0x6605), Value: int64(123456789)},
		{Tag: tag(mapispi.PtAppTime, 0x6606), Value: 45000.25},
		{Tag: tag(mapispi.PtError, 0x6607), Value: mapispi.ErrNotFound},
		{Tag: tag(mapispi.PtBoolean, 0x6608), Value: true},
		{Tag: tag(mapispi.PtBoolean, 0x6609), Value: false},
		{Tag: tag(mapispi.PtI8, 0x660A), Value: int64(-1 << 40)},
		{Tag: tag(mapispi.PtSysTime, 0x660B), Value: when},
		{Tag: tag(mapispi.PtString8, 0x660C), Value: "caf\u00e9 \u20ac"},
		{Tag: tag(mapispi.PtUnicode, 0x660D), Value: "\u65e5\u672c \U0001F600"},
		{Tag: tag(mapispi.PtBinary, 0x660E), Value: []byte{0, 1, 2, 0xFF}},
		{Tag: tag(mapispi.PtBinary, 0x660F), Value: []byte{}},
		{Tag: tag(mapispi.PtCLSID, 0x6610), Value: mapispi.PSETIDCommon},
		{Tag: tag(mapispi.PtSvrEID, 0x6611), Value: []byte{1, 9, 9}},
		{Tag: tag(mapispi.PtNull, 0x6612), Value: nil},
		{Tag: tag(mv|mapispi.PtI2, 0x6620), Value: []int16{1, -1}},
		{Tag: tag(mv|mapispi.PtLong, 0x6621), Value: []int32{1, 2, 3}},
		{Tag: tag(mv|mapispi.PtR4, 0x6622), Value: []float32{0.5}},
		{Tag: tag(mv|mapispi.PtDouble, 0x6623), Value: []float64{1, 2}},
		{Tag: tag(mv|mapispi.PtCurrency, 0x6624), Value: []int64{10}},
		{Tag: tag(mv|mapispi.PtAppTime, 0x6625), Value: []float64{3.25}},
		{Tag: tag(mv|mapispi.PtI8, 0x6626), Value: []int64{-5, 5}},
		{Tag: tag(mv|mapispi.PtSysTime, 0x6627), Value: []time.Time{when, time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{Tag: tag(mv|mapispi.PtCLSID, 0x6628), Value: []mapispi.UID{mapispi.PSMAPI, mapispi.PSPublicStrings}},
		{Tag: tag(mv|mapispi.PtString8, 0x6629), Value: []string{"a", "", "\u00fc"}},
		{Tag: tag(mv|mapispi.PtUnicode, 0x662A), Value: []string{"x", "\u4e2d\u6587", ""}},
		{Tag: tag(mv|mapispi.PtBinary, 0x662B), Value: [][]byte{{1}, {}, {2, 3}}},
		{Tag: tag(mv|mapispi.PtLong, 0x662C), Value: []int32{}},
	}
}

func roundTrip(t *testing.T, m *msgData, names *nameMap) (*msgData, *nameMap, *tree) {
	t.Helper()
	tr, err := encodeMessage(m, names)
	if err != nil {
		t.Fatalf("encodeMessage: %v", err)
	}
	m2, names2, err := decodeMessage(tr)
	if err != nil {
		t.Fatalf("decodeMessage(encodeMessage(m)): %v", err)
	}
	if !sameMsg(m, m2) {
		t.Errorf("round trip changed the message:\n got %v\nwant %v", dump(m2), dump(m))
	}
	if names != nil && !sameNames(names, names2) {
		t.Errorf("round trip names = %v, want %v", names2.names, names.names)
	}
	return m2, names2, tr
}

func dump(m *msgData) []any {
	out := []any{m.props, m.recips, m.nextRecip, m.nextAttach}
	for _, a := range m.attachs {
		out = append(out, a.props)
		if a.embedded != nil {
			out = append(out, dump(a.embedded))
		}
	}
	return out
}

func TestRoundTripEveryType(t *testing.T) {
	props := everyType()
	m := &msgData{props: props}
	_, _, tr := roundTrip(t, m, &nameMap{})
	// Every value checks against its tag.
	for _, v := range props {
		if err := v.Check(); err != nil {
			t.Errorf("test value %v: %v", v, err)
		}
	}
	// The streams the spec asks for are there.
	for _, name := range []string{
		"__substg1.0_660C001E", "__substg1.0_660D001F", "__substg1.0_66100048",
		"__substg1.0_66211003", "__substg1.0_6629101E", "__substg1.0_6629101E-00000002",
		"__substg1.0_662B1102-00000001", nameidStorage,
	} {
		_, s := tr.streams[name]
		_, st := tr.storages[name]
		if !s && !st {
			t.Errorf("no %s in the encoded tree", name)
		}
	}
}

func TestFiletimeResolution(t *testing.T) {
	in := time.Date(2020, 1, 2, 3, 4, 5, 123456789, time.UTC)
	m := &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtSysTime, 0x6601), Value: in}}}
	tr, err := encodeMessage(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := decodeMessage(tr)
	if err != nil {
		t.Fatal(err)
	}
	if want := in.Truncate(100 * time.Nanosecond); got.props[0].Value != want {
		t.Errorf("time = %v, want %v (FILETIME's 100 ns resolution)", got.props[0].Value, want)
	}
}

func TestCodePages(t *testing.T) {
	s8 := tag(mapispi.PtString8, 0x0037)
	tests := []struct {
		name  string
		cpTag mapispi.PropTag
		cp    int32
		text  string
		bytes []byte
	}{
		{"default 1252", 0, 0, "na\u00efve \u20ac", []byte("na\xefve \x80")},
		{"PR_MESSAGE_CODEPAGE 1252", mapispi.PropMessageCodepage, 1252, "\u00e9", []byte{0xE9}},
		{"PR_MESSAGE_CODEPAGE 932", mapispi.PropMessageCodepage, 932, "\u65e5\u672c\u8a9e", []byte{0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA}},
		{"PR_INTERNET_CPID 932", mapispi.PropInternetCPID, 932, "\u30c6\u30b9\u30c8", []byte{0x83, 0x65, 0x83, 0x58, 0x83, 0x67}},
		{"PR_INTERNET_CPID 50220 (ISO-2022-JP) is 932", mapispi.PropInternetCPID, 50220, "\u65e5", []byte{0x93, 0xFA}},
		{"unknown code page falls back", mapispi.PropMessageCodepage, 12345, "\u00e9", []byte{0xE9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &msgData{props: []mapispi.PropValue{{Tag: s8, Value: tc.text}}}
			if tc.cpTag != 0 {
				m.props = append(m.props, mapispi.PropValue{Tag: tc.cpTag, Value: tc.cp})
			}
			m.recips = []mapispi.Row{{{Tag: mapispi.PropRowID, Value: int32(0)}, {Tag: tag(mapispi.PtString8, 0x3001), Value: tc.text}}}
			m.attachs = []*attachData{{props: []mapispi.PropValue{{Tag: mapispi.PropAttachNum, Value: int32(0)}, {Tag: tag(mapispi.PtString8, 0x3704), Value: tc.text}}}}
			_, _, tr := roundTrip(t, m, nil)
			if got := tr.streams["__substg1.0_0037001E"]; !bytes.Equal(got, tc.bytes) {
				t.Errorf("message stream = % X, want % X", got, tc.bytes)
			}
			if got := tr.storages["__recip_version1.0_#00000000"].streams["__substg1.0_3001001E"]; !bytes.Equal(got, tc.bytes) {
				t.Errorf("recipient stream = % X, want % X (the message's code page)", got, tc.bytes)
			}
			if got := tr.storages["__attach_version1.0_#00000000"].streams["__substg1.0_3704001E"]; !bytes.Equal(got, tc.bytes) {
				t.Errorf("attachment stream = % X, want % X (the message's code page)", got, tc.bytes)
			}
		})
	}
}

func TestEncodeUnrepresentable(t *testing.T) {
	m := &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtString8, 0x0037), Value: "a\u65e5"}}}
	_, err := encodeMessage(m, nil)
	if !errors.Is(err, codepage.ErrUnrepresentable) || !errors.Is(err, mapispi.ErrBadValue) {
		t.Errorf("encodeMessage(PT_STRING8 %q in 1252) = %v, want codepage.ErrUnrepresentable and ErrBadValue", "a\u65e5", err)
	}
	wantWords(t, "encodeMessage(PT_STRING8 in 1252)", err, "writing PR_SUBJECT_A of the message", "code page windows-1252", "offset 1")
}

// wantWords fails unless err says each of words.
func wantWords(t *testing.T, call string, err error, words ...string) {
	t.Helper()
	for _, w := range words {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("%s = %v, want it to say %q", call, err, w)
		}
	}
}

func TestEncodeBadModel(t *testing.T) {
	// tests: what encodeMessage says of a model it cannot write: the MAPI
	// error code, and words that say what is wrong and where.
	tests := []struct {
		name  string
		m     *msgData
		code  mapispi.SCode
		words []string
	}{
		{"wrong Go type", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtLong, 0x6601), Value: "x"}}},
			mapispi.ErrBadValue, []string{"writing 0x66010003 of the message", "holds string, want the Go type for PT_LONG"}},
		{"unknown type without raw value", &msgData{props: []mapispi.PropValue{{Tag: tag(0x0999, 0x6601), Value: 1}}},
			mapispi.ErrInvalidType, []string{"writing 0x66010999", "PT_0x0999"}},
		{"repeated ID", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtLong, 0x6601), Value: int32(1)}, {Tag: tag(mapispi.PtI2, 0x6601), Value: int16(1)}}},
			mapispi.ErrBadValue, []string{"writing 0x66010002 of the message", "repeats property ID 0x6601 of 0x66010003"}},
		{"NUL in a string", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtUnicode, 0x0037), Value: "a\x00b"}}},
			mapispi.ErrBadValue, []string{"writing PR_SUBJECT of the message", "NUL at byte 1"}},
		{"invalid UTF-8", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtUnicode, 0x0037), Value: "a\xffb"}}},
			mapispi.ErrBadValue, []string{"writing PR_SUBJECT of the message", "byte 1 of the PT_UNICODE value is not UTF-8"}},
		{"time before 1601", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.PtSysTime, 0x6601), Value: time.Date(1600, 12, 31, 0, 0, 0, 0, time.UTC)}}},
			mapispi.ErrBadValue, []string{"writing 0x66010040", "1600-12-31 00:00:00 +0000 UTC is outside the range of a FILETIME"}},
		{"time in a list before 1601", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.MVFlag|mapispi.PtSysTime, 0x6601), Value: []time.Time{when, time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}}}},
			mapispi.ErrBadValue, []string{"writing 0x66011040", "value 1, 1000-01-01 00:00:00 +0000 UTC, is outside the range of a FILETIME"}},
		{"string in a list not in the code page", &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.MVFlag|mapispi.PtString8, 0x6601), Value: []string{"a", "\u65e5"}}}},
			mapispi.ErrBadValue, []string{"writing 0x6601101E", "value 1", "windows-1252"}},
		{"PT_OBJECT property", &msgData{props: []mapispi.PropValue{{Tag: mapispi.PropAttachDataObj, Value: 1}}},
			mapispi.ErrInvalidType, []string{"writing PR_ATTACH_DATA_OBJ of the message", "PT_OBJECT"}},
		{"recipient without PR_ROWID", &msgData{recips: []mapispi.Row{{}}},
			mapispi.ErrBadValue, []string{"writing recipient 0 of the message", "no PR_ROWID"}},
		{"two recipients, one PR_ROWID", &msgData{recips: []mapispi.Row{{{Tag: mapispi.PropRowID, Value: int32(1)}}, {{Tag: mapispi.PropRowID, Value: int32(1)}}}},
			mapispi.ErrBadValue, []string{"writing recipient 1 of the message", "PR_ROWID 1 is recipient 0's too"}},
		{"attachment without PR_ATTACH_NUM", &msgData{attachs: []*attachData{{}}},
			mapispi.ErrBadValue, []string{"writing attachment 0 of the message", "no PR_ATTACH_NUM"}},
		{"attachment with message and storage", &msgData{attachs: []*attachData{{props: []mapispi.PropValue{{Tag: mapispi.PropAttachNum, Value: int32(0)}}, embedded: &msgData{}, storage: newTree()}}},
			mapispi.ErrBadValue, []string{"writing __attach_version1.0_#00000000", "both an embedded message and a custom storage"}},
		{"attachment with PR_ATTACH_DATA_OBJ and object", &msgData{attachs: []*attachData{{props: []mapispi.PropValue{{Tag: mapispi.PropAttachNum, Value: int32(0)}, {Tag: mapispi.PropAttachDataObj.WithType(mapispi.PtBinary), Value: []byte{}}}, storage: newTree()}}},
			mapispi.ErrBadValue, []string{"writing PR_ATTACH_DATA_BIN of __attach_version1.0_#00000000", "data object"}},
		{"bad value in an embedded message's recipient", &msgData{attachs: []*attachData{{props: []mapispi.PropValue{{Tag: mapispi.PropAttachNum, Value: int32(2)}}, embedded: &msgData{recips: []mapispi.Row{{{Tag: mapispi.PropRowID, Value: int32(3)}, {Tag: tag(mapispi.PtLong, 0x3A00), Value: "x"}}}}}}},
			mapispi.ErrBadValue, []string{"writing 0x3A000003 of __attach_version1.0_#00000002/__substg1.0_3701000D/__recip_version1.0_#00000003"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := encodeMessage(tc.m, nil)
			var me *mapispi.Error
			if !errors.As(err, &me) || !errors.Is(err, tc.code) {
				t.Fatalf("encodeMessage = %v, want a *mapispi.Error of %v", err, tc.code)
			}
			wantWords(t, "encodeMessage", err, tc.words...)
		})
	}
}

func TestEncodeDeepNesting(t *testing.T) {
	m := &msgData{}
	for range maxEmbedDepth + 2 {
		m = &msgData{attachs: []*attachData{{props: []mapispi.PropValue{{Tag: mapispi.PropAttachNum, Value: int32(0)}}, embedded: m}}}
	}
	_, err := encodeMessage(m, nil)
	if !errors.Is(err, mapispi.ErrTooComplex) {
		t.Errorf("encodeMessage(%d levels) = %v, want ErrTooComplex", maxEmbedDepth+2, err)
	}
	wantWords(t, fmt.Sprintf("encodeMessage(%d levels)", maxEmbedDepth+2), err, "nested more than 64 deep", "__attach_version1.0_#00000000/__substg1.0_3701000D")
}

func attach(n int32, method mapispi.AttachMethod, props ...mapispi.PropValue) []mapispi.PropValue {
	return append([]mapispi.PropValue{
		{Tag: mapispi.PropAttachNum, Value: n},
		{Tag: mapispi.PropAttachMethod, Value: int32(method)},
	}, props...)
}

func TestRecipientsAttachmentsEmbedded(t *testing.T) {
	subject := tag(mapispi.PtUnicode, 0x0037)
	inner := &msgData{
		props:  []mapispi.PropValue{{Tag: subject, Value: "innermost"}, {Tag: mapispi.PropMessageCodepage, Value: int32(932)}, {Tag: tag(mapispi.PtString8, 0x1000), Value: "\u65e5\u672c"}},
		recips: []mapispi.Row{{{Tag: tag(mapispi.PtString8, 0x3001), Value: "\u30c6"}, {Tag: mapispi.PropRowID, Value: int32(0)}}},
	}
	middle := &msgData{
		props:      []mapispi.PropValue{{Tag: subject, Value: "middle"}},
		attachs:    []*attachData{{props: attach(0, mapispi.AttachEmbeddedMsg), embedded: inner}},
		nextAttach: 1,
	}
	ole := newTree()
	ole.clsid = mapispi.PSETIDNote
	ole.streams["\x01Ole"] = []byte{1, 0, 0, 2}
	ole.streams["CONTENTS"] = []byte("ole data")
	ole.storages["sub"] = newTree()
	ole.storages["sub"].streams["x"] = []byte{}
	m := &msgData{
		props: []mapispi.PropValue{{Tag: subject, Value: "outer"}, {Tag: tag(mapispi.PtString8, 0x1000), Value: "\u00e9t\u00e9"}},
		recips: []mapispi.Row{
			{{Tag: mapispi.PropRowID, Value: int32(0)}, {Tag: tag(mapispi.PtUnicode, 0x3001), Value: "Ann"}},
			{{Tag: mapispi.PropRowID, Value: int32(5)}, {Tag: tag(mapispi.PtUnicode, 0x3001), Value: "Bob"}, {Tag: tag(mapispi.MVFlag|mapispi.PtBinary, 0x6700), Value: [][]byte{{1}}}},
		},
		attachs: []*attachData{
			{props: attach(0, mapispi.AttachByValue, mapispi.PropValue{Tag: tag(mapispi.PtBinary, 0x3701), Value: []byte("file data")})},
			{props: attach(1, mapispi.AttachEmbeddedMsg), embedded: middle},
			{props: attach(10, mapispi.AttachOLE), storage: ole},
		},
		nextRecip:  6,
		nextAttach: 11,
	}
	got, _, tr := roundTrip(t, m, nil)

	want := map[string]int{
		"__recip_version1.0_#00000000":  headerSub,
		"__recip_version1.0_#00000005":  headerSub,
		"__attach_version1.0_#00000000": headerSub,
		"__attach_version1.0_#0000000A": headerSub,
	}
	for name, hdr := range want {
		s := tr.storages[name]
		if s == nil {
			t.Errorf("no storage %s", name)
			continue
		}
		if b := s.streams[propStreamName]; len(b) < hdr || !bytes.Equal(b[:hdr], make([]byte, hdr)) {
			t.Errorf("%s header = % X, want %d zero bytes", name, b, hdr)
		}
	}
	top := tr.streams[propStreamName]
	if n := le.Uint32(top[8:]); n != 6 {
		t.Errorf("NextRecipientID = %d, want 6", n)
	}
	if n, a := le.Uint32(top[16:]), le.Uint32(top[20:]); n != 2 || a != 3 {
		t.Errorf("RecipientCount, AttachmentCount = %d, %d, want 2, 3", n, a)
	}
	emb := tr.storages["__attach_version1.0_#00000001"].storages[objectStorage]
	if b := emb.streams[propStreamName]; (len(b)-headerEmbedded)%entrySize != 0 || le.Uint32(b[20:]) != 1 {
		t.Errorf("embedded message property stream: %d bytes, AttachmentCount %d; want a 24-byte header and 1", len(b), le.Uint32(b[20:]))
	}
	inner2 := emb.storages["__attach_version1.0_#00000000"].storages[objectStorage]
	if got := inner2.storages["__recip_version1.0_#00000000"].streams["__substg1.0_3001001E"]; !bytes.Equal(got, []byte{0x83, 0x65}) {
		t.Errorf("innermost recipient = % X, want its message's code page 932", got)
	}
	// The PT_OBJECT entry of an embedded message and a storage has Size 0xFFFFFFFF.
	for _, name := range []string{"__attach_version1.0_#00000001", "__attach_version1.0_#0000000A"} {
		b := tr.storages[name].streams[propStreamName]
		found := false
		for off := headerSub; off+entrySize <= len(b); off += entrySize {
			if mapispi.PropTag(le.Uint32(b[off:])) == mapispi.PropAttachDataObj {
				found = true
				if le.Uint32(b[off+4:]) != entryFlags || le.Uint32(b[off+8:]) != sizeObject {
					t.Errorf("%s PT_OBJECT entry = % X, want flags 6 and Size 0xFFFFFFFF", name, b[off:off+16])
				}
			}
		}
		if !found {
			t.Errorf("%s: no PT_OBJECT entry", name)
		}
	}
	// The OLE storage is kept whole.
	if s := got.attachs[2].storage; s == nil || string(s.streams["CONTENTS"]) != "ole data" || s.clsid != mapispi.PSETIDNote {
		t.Errorf("ATTACH_OLE storage not kept whole: %+v", s)
	}
}

// A recipient storage's number wins over a PR_ROWID its stream holds,
// and one without PR_ROWID gets it.
func TestDecodeSetsNumbers(t *testing.T) {
	root := minimalTree(1, 1)
	r := newTree()
	r.streams[propStreamName] = make([]byte, headerSub)
	root.storages["__recip_version1.0_#0000002A"] = r
	a := newTree()
	a.streams[propStreamName] = append(make([]byte, headerSub), entry(mapispi.PropAttachNum, 7)...)
	root.storages["__attach_version1.0_#00000003"] = a
	m, _, err := decodeMessage(root)
	if err != nil {
		t.Fatal(err)
	}
	if v := propValue(m.recips[0], mapispi.PropRowID); v != int32(0x2A) {
		t.Errorf("PR_ROWID = %v, want 42", v)
	}
	if v := propValue(m.attachs[0].props, mapispi.PropAttachNum); v != int32(3) {
		t.Errorf("PR_ATTACH_NUM = %v, want 3", v)
	}
}

// entry returns a 16-byte property entry of tag with the 8 bytes of v.
func entry(tag mapispi.PropTag, v uint64) []byte {
	b := le.AppendUint32(nil, uint32(tag))
	b = le.AppendUint32(b, entryFlags)
	return le.AppendUint64(b, v)
}

// varEntry returns a property entry of tag with Size size.
func varEntry(tag mapispi.PropTag, size uint32) []byte {
	return entry(tag, uint64(size))
}

func minimalTree(recips, attachs uint32) *tree {
	t := newTree()
	hdr := make([]byte, headerTop)
	le.PutUint32(hdr[16:], recips)
	le.PutUint32(hdr[20:], attachs)
	t.streams[propStreamName] = hdr
	return t
}

// TestDecodeHandBuilt reads a tree laid out as [MS-OXMSG] 2.4 shows,
// built byte by byte rather than by the encoder.
func TestDecodeHandBuilt(t *testing.T) {
	root := minimalTree(0, 0)
	subject := tag(mapispi.PtUnicode, 0x0037)
	body := tag(mapispi.PtString8, 0x1000)
	kw := tag(mapispi.MVFlag|mapispi.PtUnicode, 0x8000)
	// A fixed-size entry ([MS-OXMSG] 2.4.2.1): PR_IMPORTANCE 2, with the
	// Reserved part of its 8 value bytes set, which readers ignore.
	root.streams[propStreamName] = append(root.streams[propStreamName], entry(tag(mapispi.PtLong, 0x0017), 0xDEAD_0000_0002)...)
	// Variable-size entries (2.4.2.2): Size is the stream's plus the terminator.
	root.streams[propStreamName] = append(root.streams[propStreamName], varEntry(subject, 6+2)...)
	root.streams["__substg1.0_0037001F"] = []byte{'H', 0, 'i', 0, '!', 0}
	root.streams[propStreamName] = append(root.streams[propStreamName], varEntry(body, 3+1)...)
	root.streams["__substg1.0_1000001E"] = []byte{'a', 0xE9, 'z'}
	// A variable-size multi-valued property (2.1.4.2): a length stream and
	// one stream per value, terminators counted.
	root.streams[propStreamName] = append(root.streams[propStreamName], varEntry(kw, 8)...)
	root.streams["__substg1.0_8000101F"] = []byte{4, 0, 0, 0, 2, 0, 0, 0}
	root.streams["__substg1.0_8000101F-00000000"] = []byte{'x', 0, 0, 0}
	root.streams["__substg1.0_8000101F-00000001"] = []byte{0, 0}
	// A fixed-size multi-valued property (2.1.4.1): one stream.
	root.streams[propStreamName] = append(root.streams[propStreamName], varEntry(tag(mapispi.MVFlag|mapispi.PtI2, 0x6601), 4)...)
	root.streams["__substg1.0_66011002"] = []byte{1, 0, 0xFF, 0xFF}
	m, _, err := decodeMessage(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []mapispi.PropValue{
		{Tag: tag(mapispi.PtLong, 0x0017), Value: int32(2)},
		{Tag: subject, Value: "Hi!"},
		{Tag: body, Value: "a\u00e9z"},
		{Tag: kw, Value: []string{"x", ""}},
		{Tag: tag(mapispi.MVFlag|mapispi.PtI2, 0x6601), Value: []int16{1, -1}},
	}
	if !sameProps(m.props, want) {
		t.Errorf("decodeMessage props = %v, want %v", m.props, want)
	}
}

// TestUnknownTypeKept: a property of a type the codec does not know
// keeps its entry bytes and streams through a rewrite.
func TestUnknownTypeKept(t *testing.T) {
	root := minimalTree(0, 0)
	odd := mapispi.PropTag(0x660100FD) // PtypRestriction
	objTag := mapispi.PropTag(0x6602000D)
	root.streams[propStreamName] = append(root.streams[propStreamName], entry(odd, 0x0102030405060708)...)
	root.streams[propStreamName] = append(root.streams[propStreamName], varEntry(objTag, sizeObject)...)
	root.streams["__substg1.0_660100FD"] = []byte("restriction")
	root.storages["__substg1.0_6602000D"] = newTree()
	root.storages["__substg1.0_6602000D"].streams["s"] = []byte{7}
	m, names, err := decodeMessage(root)
	if err != nil {
		t.Fatal(err)
	}
	out, _, tr := roundTrip(t, m, names)
	if len(out.props) != 2 {
		t.Fatalf("props = %v, want 2 raw values", out.props)
	}
	if got := tr.streams["__substg1.0_660100FD"]; string(got) != "restriction" {
		t.Errorf("raw stream = %q, want %q", got, "restriction")
	}
	if got := tr.storages["__substg1.0_6602000D"]; got == nil || got.streams["s"][0] != 7 {
		t.Errorf("raw storage not kept: %+v", got)
	}
	if b := tr.streams[propStreamName][headerTop+8 : headerTop+16]; le.Uint64(b) != 0x0102030405060708 {
		t.Errorf("raw entry bytes = % X, want them as read", b)
	}
}

func TestDecodeErrors(t *testing.T) {
	subject := tag(mapispi.PtUnicode, 0x0037)
	withProps := func(hdr int, entries ...[]byte) *tree {
		t := newTree()
		t.streams[propStreamName] = bytes.Join(append([][]byte{make([]byte, hdr)}, entries...), nil)
		return t
	}
	const (
		props   = propStreamName
		recip0  = "__recip_version1.0_#00000000"
		attach0 = "__attach_version1.0_#00000000"
	)
	embedded := attach0 + "/" + objectStorage
	// tests: what decodeMessage says of each damaged tree: the stream or
	// storage at fault, the offset in it (-1 for none), and words of the
	// reason that say what is wrong.
	tests := []struct {
		name   string
		build  func() *tree
		path   string
		offset int64
		reason []string
	}{
		{"no property stream", newTree, props, -1, []string{"missing"}},
		{"stream shorter than header", func() *tree {
			t := newTree()
			t.streams[propStreamName] = make([]byte, 31)
			return t
		}, props, -1, []string{"31 bytes, shorter than its 32-byte header"}},
		{"partial entry", func() *tree {
			return withProps(headerTop, make([]byte, 10))
		}, props, 32, []string{"10 bytes after the header, not a whole number of 16-byte entries"}},
		{"repeated property ID", func() *tree {
			return withProps(headerTop, entry(tag(mapispi.PtLong, 1), 0), entry(tag(mapispi.PtI2, 1), 0))
		}, props, 48, []string{"0x00010002 repeats property ID 0x0001", "0x00010003 at offset 32"}},
		{"missing value stream", func() *tree {
			return withProps(headerTop, varEntry(subject, 2))
		}, "__substg1.0_0037001F", -1, []string{"missing", "PR_SUBJECT entry at offset 32"}},
		{"Size disagrees with stream", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.PtBinary, 0x6601), 5))
			t.streams["__substg1.0_66010102"] = []byte{1, 2}
			return t
		}, props, 32, []string{"0x66010102 entry has Size 5, want 2 for its 2-byte stream"}},
		{"odd UTF-16 stream", func() *tree {
			t := withProps(headerTop, varEntry(subject, 5))
			t.streams["__substg1.0_0037001F"] = []byte{1, 2, 3}
			return t
		}, "__substg1.0_0037001F", -1, []string{"3-byte PR_SUBJECT, an odd length for UTF-16 text"}},
		{"CLSID not 16 bytes", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.PtCLSID, 0x6601), 4))
			t.streams["__substg1.0_66010048"] = []byte{1, 2, 3, 4}
			return t
		}, "__substg1.0_66010048", -1, []string{"4 bytes, want 16 for a PT_CLSID"}},
		{"fixed MV partial value", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtLong, 0x6601), 6))
			t.streams["__substg1.0_66011003"] = make([]byte, 6)
			return t
		}, "__substg1.0_66011003", -1, []string{"6 bytes, not a whole number of 4-byte PT_MV_LONG values"}},
		{"MV length stream missing", func() *tree {
			return withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtBinary, 0x6601), 8))
		}, "__substg1.0_66011102", -1, []string{"length stream missing", "0x66011102 entry at offset 32"}},
		{"MV Size disagrees with length stream", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtBinary, 0x6601), 16))
			t.streams["__substg1.0_66011102"] = make([]byte, 8)
			return t
		}, props, 32, []string{"0x66011102 entry has Size 16, want 8 for its length stream"}},
		{"MV length stream partial entry", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtBinary, 0x6601), 4))
			t.streams["__substg1.0_66011102"] = make([]byte, 4)
			return t
		}, "__substg1.0_66011102", -1, []string{"4 bytes, not a whole number of 8-byte length entries"}},
		{"MV value stream missing", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtBinary, 0x6601), 8))
			t.streams["__substg1.0_66011102"] = make([]byte, 8)
			return t
		}, "__substg1.0_66011102-00000000", -1, []string{"missing: value 0 of 0x66011102"}},
		{"MV value length disagrees", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtBinary, 0x6601), 16))
			t.streams["__substg1.0_66011102"] = []byte{2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}
			t.streams["__substg1.0_66011102-00000000"] = []byte{1, 2}
			t.streams["__substg1.0_66011102-00000001"] = []byte{1}
			return t
		}, "__substg1.0_66011102", 8, []string{"length 4294967295 of value 1, want 1, the size of __substg1.0_66011102-00000001"}},
		{"MV string invalid in code page", func() *tree {
			t := withProps(headerTop, entry(mapispi.PropMessageCodepage, 932), varEntry(tag(mapispi.MVFlag|mapispi.PtString8, 0x6601), 4))
			t.streams["__substg1.0_6601101E"] = []byte{3, 0, 0, 0}
			t.streams["__substg1.0_6601101E-00000000"] = []byte{'a', 0x81, 0}
			return t
		}, "__substg1.0_6601101E-00000000", 1, []string{"value 0 of 0x6601101E", "not valid in code page shift_jis"}},
		{"MV unicode odd", func() *tree {
			t := withProps(headerTop, varEntry(tag(mapispi.MVFlag|mapispi.PtUnicode, 0x6601), 4))
			t.streams["__substg1.0_6601101F"] = []byte{1, 0, 0, 0}
			t.streams["__substg1.0_6601101F-00000000"] = []byte{0x41}
			return t
		}, "__substg1.0_6601101F-00000000", -1, []string{"1-byte value 0 of 0x6601101F, an odd length for UTF-16 text"}},
		{"PT_STRING8 invalid in 932", func() *tree {
			t := withProps(headerTop, entry(mapispi.PropInternetCPID, 932), varEntry(tag(mapispi.PtString8, 0x0037), 4))
			t.streams["__substg1.0_0037001E"] = []byte{'a', 'b', 0x81}
			return t
		}, "__substg1.0_0037001E", 2, []string{"PR_SUBJECT_A", "not valid in code page shift_jis"}},
		{"recipient count disagrees", func() *tree { return minimalTree(1, 0) }, props, 16, []string{"Recipient Count 1, want 0, the recipient storages present"}},
		{"attachment count disagrees", func() *tree {
			t := minimalTree(0, 0)
			t.storages[attach0] = withProps(headerSub)
			return t
		}, props, 20, []string{"Attachment Count 0, want 1, the attachment storages present"}},
		{"bad storage number", func() *tree {
			t := minimalTree(1, 0)
			t.storages["__recip_version1.0_#0000000G"] = withProps(headerSub)
			return t
		}, "__recip_version1.0_#0000000G", -1, []string{"does not end in 8 hex digits"}},
		{"same number twice", func() *tree {
			t := minimalTree(2, 0)
			t.storages["__recip_version1.0_#0000000a"] = withProps(headerSub)
			t.storages["__recip_version1.0_#0000000A"] = withProps(headerSub)
			return t
		}, "__recip_version1.0_#0000000a", -1, []string{"number 0000000A, as __recip_version1.0_#0000000A has"}},
		{"recipient without property stream", func() *tree {
			t := minimalTree(1, 0)
			t.storages[recip0] = newTree()
			return t
		}, recip0 + "/" + props, -1, []string{"missing"}},
		{"recipient with a bad value", func() *tree {
			t := minimalTree(1, 0)
			t.storages[recip0] = withProps(headerSub, varEntry(subject, 2))
			return t
		}, recip0 + "/__substg1.0_0037001F", -1, []string{"PR_SUBJECT entry at offset 8"}},
		{"attachment without property stream", func() *tree {
			t := minimalTree(0, 1)
			t.storages[attach0] = newTree()
			return t
		}, attach0 + "/" + props, -1, []string{"missing"}},
		{"attachment with a bad value", func() *tree {
			t := minimalTree(0, 1)
			t.storages[attach0] = withProps(headerSub, varEntry(subject, 2))
			return t
		}, attach0 + "/__substg1.0_0037001F", -1, []string{"PR_SUBJECT entry at offset 8"}},
		{"bad attachment storage number", func() *tree {
			t := minimalTree(0, 1)
			t.storages["__attach_version1.0_#1"] = withProps(headerSub)
			return t
		}, "__attach_version1.0_#1", -1, []string{"does not end in 8 hex digits"}},
		{"embedded message header too short", func() *tree {
			t := minimalTree(0, 1)
			a := withProps(headerSub, entry(mapispi.PropAttachMethod, 5))
			a.storages[objectStorage] = withProps(headerSub)
			t.storages[attach0] = a
			return t
		}, embedded + "/" + props, -1, []string{"8 bytes, shorter than its 24-byte header"}},
		{"embedded messages nested too deep", func() *tree {
			inner := withProps(headerEmbedded)
			for range maxEmbedDepth + 1 {
				a := withProps(headerSub, entry(mapispi.PropAttachMethod, 5))
				a.storages[objectStorage] = inner
				inner = withProps(headerEmbedded)
				le.PutUint32(inner.streams[propStreamName][20:], 1)
				inner.storages[attach0] = a
			}
			inner.streams[propStreamName] = append(make([]byte, headerTop), inner.streams[propStreamName][headerEmbedded:]...)
			le.PutUint32(inner.streams[propStreamName][20:], 1)
			return inner
		}, strings.TrimSuffix(strings.Repeat(embedded+"/", maxEmbedDepth+1), "/"), -1, []string{"embedded messages nested more than 64 deep"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeMessage(tc.build())
			var fe *FormatError
			if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) {
				t.Fatalf("decodeMessage = %v, want a *FormatError", err)
			}
			if fe.Path != tc.path || fe.Offset != tc.offset {
				t.Errorf("decodeMessage = %v: at %q offset %d, want %q offset %d", err, fe.Path, fe.Offset, tc.path, tc.offset)
			}
			for _, w := range tc.reason {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("decodeMessage = %q, want it to say %q", err, w)
				}
			}
			// The same tree gives the same error, whatever the order of
			// Go's maps.
			for range 10 {
				if _, _, again := decodeMessage(tc.build()); again.Error() != err.Error() {
					t.Fatalf("decodeMessage again = %q, want %q as the first time", again, err)
				}
			}
		})
	}
}

func TestFormatErrorText(t *testing.T) {
	cause := errors.New("cause")
	e := &FormatError{Path: "a/b", Offset: 4, Reason: "bad", Err: cause}
	if got, want := e.Error(), "msgfile: a/b at offset 4: bad: cause"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) || !errors.Is(e, ErrFormat) {
		t.Errorf("errors.Is(%v, cause and ErrFormat) = false", e)
	}
	e = &FormatError{Path: "a", Offset: -1, Reason: "bad"}
	if got, want := e.Error(), "msgfile: a: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, mapispi.ErrCorruptData) {
		t.Errorf("errors.Is(%v, MAPI_E_CORRUPT_DATA) = false, want true", e)
	}
	e = &FormatError{Offset: 3, Reason: "not a compound file", Err: cause}
	if got, want := e.Error(), "msgfile: not a compound file: cause"; got != want {
		t.Errorf("Error() = %q, want %q (no path, no offset)", got, want)
	}
}

// TestWriteTooBig: a message over the 2 GB a version 3 compound file can
// hold is ErrTooBig, wrapping cfb.ErrTooLarge, before anything is
// written. Its 2100 values share one megabyte: the encoder does not copy
// them.
func TestWriteTooBig(t *testing.T) {
	mb := make([]byte, 1<<20)
	vals := make([][]byte, 2100)
	for i := range vals {
		vals[i] = mb
	}
	m := &msgData{props: []mapispi.PropValue{{Tag: tag(mapispi.MVFlag|mapispi.PtBinary, 0x6601), Value: vals}}}
	var w countingWriter
	n, err := encodeFile(&w, m, nil)
	if !errors.Is(err, mapispi.ErrTooBig) || !errors.Is(err, cfb.ErrTooLarge) {
		t.Errorf("encodeFile(2.1 GB) = %v, want ErrTooBig and cfb.ErrTooLarge", err)
	}
	if err != nil && !strings.Contains(err.Error(), "2 GB") {
		t.Errorf("encodeFile(2.1 GB) = %q, want it to name the 2 GB limit", err)
	}
	if n != 0 || w.n != 0 {
		t.Errorf("encodeFile(2.1 GB) wrote %d bytes (returned %d), want none", w.n, n)
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
