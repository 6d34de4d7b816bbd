package msgfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/mapiemu/mapiemu/internal/wire"
	"github.com/mapiemu/mapiemu/mapispi"
)

var testNames = []mapispi.PropName{
	{Set: mapispi.PSETIDCommon, Kind: mapispi.NameID, ID: 0x8501},
	{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "Keywords"},
	{Set: mapispi.PSETIDAppointment, Kind: mapispi.NameID, ID: 0x8205},
	{Set: mapispi.PSInternetHeaders, Kind: mapispi.NameString, Name: "x-mailer"},
	{Set: mapispi.PSETIDCommon, Kind: mapispi.NameString, Name: "\u65e5\u672c"},
	{Set: mapispi.PSMAPI, Kind: mapispi.NameID, ID: 0x0037},
	{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: ""},
}

func TestNamesRoundTrip(t *testing.T) {
	nm := &nameMap{names: testNames}
	m := &msgData{props: []mapispi.PropValue{
		{Tag: tag(mapispi.PtLong, 0x8000), Value: int32(1)},
		{Tag: tag(mapispi.MVFlag|mapispi.PtUnicode, 0x8001), Value: []string{"a", "b"}},
	}}
	_, _, tr := roundTrip(t, m, nm)
	s := tr.storages[nameidStorage]
	// Three distinct GUIDs go to the GUID stream, in first-use order;
	// PS_MAPI and PS_PUBLIC_STRINGS do not.
	wantGUIDs := bytes.Join([][]byte{mapispi.PSETIDCommon[:], mapispi.PSETIDAppointment[:], mapispi.PSInternetHeaders[:]}, nil)
	if got := s.streams[guidStreamName]; !bytes.Equal(got, wantGUIDs) {
		t.Errorf("GUID stream = % X, want % X", got, wantGUIDs)
	}
	e := s.streams[entryStreamName]
	if len(e) != 8*len(testNames) {
		t.Fatalf("entry stream has %d bytes, want %d", len(e), 8*len(testNames))
	}
	// Entry 0: ID 0x8501, property index 0, GUID index 3, kind 0.
	if got, want := e[:8], []byte{0x01, 0x85, 0, 0, 0x06, 0, 0, 0}; !bytes.Equal(got, want) {
		t.Errorf("entry 0 = % X, want % X", got, want)
	}
	// Entry 1: string offset 0, property index 1, GUID index 2, kind 1.
	if got, want := e[8:16], []byte{0, 0, 0, 0, 0x05, 0, 0x01, 0}; !bytes.Equal(got, want) {
		t.Errorf("entry 1 = % X, want % X", got, want)
	}
	// Entry 3's string starts on a 4-byte boundary after "Keywords" (4+16 bytes).
	if off := le.Uint32(e[24:]); off != 20 {
		t.Errorf("entry 3 string offset = %d, want 20", off)
	}
	// Every name is in the mapping stream the spec's formula picks.
	for i, n := range testNames {
		gi := uint32(guidIndexFirst)
		switch n.Set {
		case mapispi.PSMAPI:
			gi = guidIndexMAPI
		case mapispi.PSPublicStrings:
			gi = guidIndexPublic
		case mapispi.PSETIDAppointment:
			gi = 4
		case mapispi.PSInternetHeaders:
			gi = 5
		}
		id, kind := n.ID, uint32(0)
		if n.Kind == mapispi.NameString {
			var b []byte
			for _, u := range utf16.Encode([]rune(n.Name)) {
				b = le.AppendUint16(b, u)
			}
			id, kind = wire.CRC32(b), 1
		}
		name := fmt.Sprintf("__substg1.0_%04X0102", 0x1000+(id^(gi<<1|kind))%0x1F)
		want := le.AppendUint32(le.AppendUint32(nil, id), uint32(i)<<16|gi<<1|kind)
		if !bytes.Contains(s.streams[name], want) {
			t.Errorf("%s = % X, want it to hold % X for name %d (%v)", name, s.streams[name], want, i, n)
		}
	}
}

// TestNameMappingCRC: the mapping stream entry of a string name holds the
// CRC-32 of its UTF-16LE bytes, the value Outlook writes for it (here
// that of "HasQuotedText", from the files of testdata/msg), in the
// stream [MS-OXMSG] 2.2.3.2.2 picks from it. TestRealFiles checks every
// mapping stream of those files; this pins one by hand.
func TestNameMappingCRC(t *testing.T) {
	const crc uint32 = 0xC751860D
	nm := &nameMap{names: []mapispi.PropName{{Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "HasQuotedText"}}}
	s, err := encodeNames(nm)
	if err != nil {
		t.Fatal(err)
	}
	info := uint32(guidIndexPublic<<1 | 1) // property index 0, PS_PUBLIC_STRINGS, a string name
	name := fmt.Sprintf("__substg1.0_%04X0102", 0x1000+(crc^info)%mappingStreams)
	want := le.AppendUint32(le.AppendUint32(nil, crc), info)
	if got := s.streams[name]; !bytes.Equal(got, want) {
		t.Errorf("mapping stream %s = % X, want % X (CRC 0x%08X)", name, got, want, crc)
	}
}

// TestNamesSpecExample decodes the entry stream example of [MS-OXMSG]
// 2.2.3.1.2: "10 00 00 00 07 00 05 00" is string offset 0x10, property
// index 5, GUID index 3, kind 1. The spec's string stream bytes print the
// length at 0x10 as "00 00 00 1C" and the name as big-endian UTF-16, not
// as the little-endian ULONG 0x1C it then reads; the stream here holds
// what the spec says it reads: a 0x1C-byte name at 0x10.
func TestNamesSpecExample(t *testing.T) {
	root := newTree()
	s := newTree()
	root.storages[nameidStorage] = s
	guid := mapispi.PSETIDAddress
	s.streams[guidStreamName] = guid[:]
	entries := make([]byte, 8*6)
	for i := range 5 { // property indexes 0-4: numeric names in PS_MAPI
		copy(entries[8*i:], []byte{byte(i), 0, 0, 0, 0x02, 0, byte(i), 0})
	}
	copy(entries[8*5:], []byte{0x10, 0x00, 0x00, 0x00, 0x07, 0x00, 0x05, 0x00})
	s.streams[entryStreamName] = entries
	name := "X-HEADER-SIZE!" // 14 characters: 0x1C bytes
	str := bytes.Repeat([]byte{0xAA}, 0x10)
	str = le.AppendUint32(str, 0x1C)
	for _, u := range utf16.Encode([]rune(name)) {
		str = le.AppendUint16(str, u)
	}
	s.streams[stringStreamName] = str
	nm, err := decodeNames(root)
	if err != nil {
		t.Fatal(err)
	}
	want := mapispi.PropName{Set: guid, Kind: mapispi.NameString, Name: name}
	if len(nm.names) != 6 || nm.names[5] != want {
		t.Fatalf("names = %v, want [5] = %v", nm.names, want)
	}
	if nm.names[2] != (mapispi.PropName{Set: mapispi.PSMAPI, Kind: mapispi.NameID, ID: 2}) {
		t.Errorf("names[2] = %v, want PS_MAPI 2", nm.names[2])
	}
}

func TestNamesAbsent(t *testing.T) {
	m, nm, err := decodeMessage(minimalTree(0, 0))
	if err != nil || m == nil || len(nm.names) != 0 {
		t.Errorf("decodeMessage(no %s) = %v, %v, want an empty map", nameidStorage, nm, err)
	}
}

func TestNamesDecodeErrors(t *testing.T) {
	e := func(id, info uint32) []byte { return le.AppendUint32(le.AppendUint32(nil, id), info) }
	gp, ep, sp := nameidStorage+"/"+guidStreamName, nameidStorage+"/"+entryStreamName, nameidStorage+"/"+stringStreamName
	// tests: what decodeMessage says of a damaged name map: the stream at
	// fault, the offset in it (-1 for none) and words of the reason.
	tests := []struct {
		name          string
		guids, ents   []byte
		strs          []byte
		entriesTooBig bool
		path          string
		offset        int64
		reason        []string
	}{
		{name: "GUID stream partial", guids: make([]byte, 15),
			path: gp, offset: -1, reason: []string{"15 bytes, not a whole number of 16-byte GUIDs"}},
		{name: "entry stream partial", ents: make([]byte, 7),
			path: ep, offset: -1, reason: []string{"7 bytes, not a whole number of 8-byte entries"}},
		{name: "property index beyond entries", ents: e(1, 1<<16|2<<1),
			path: ep, offset: 0, reason: []string{"property index 1, want less than 1, the number of entries"}},
		{name: "property index repeated", ents: append(e(1, 2<<1), e(2, 2<<1)...),
			path: ep, offset: 8, reason: []string{"property index 0 again, as at offset 0"}},
		{name: "GUID index 0", ents: e(1, 0),
			path: ep, offset: 0, reason: []string{"GUID index 0, want 1 (PS_MAPI) or 2 (PS_PUBLIC_STRINGS): " + guidStreamName + " holds no GUIDs"}},
		{name: "GUID index beyond the GUID stream", guids: make([]byte, 32), ents: e(1, 5<<1),
			path: ep, offset: 0, reason: []string{"GUID index 5, want 1 (PS_MAPI), 2 (PS_PUBLIC_STRINGS) or 3 to 4, the 2 GUIDs of " + guidStreamName}},
		{name: "string offset beyond the stream", ents: e(4, 2<<1|1), strs: make([]byte, 4),
			path: ep, offset: 0, reason: []string{"string offset 4, want at most 0 for the 4-byte string stream"}},
		{name: "string length beyond the stream", ents: e(0, 2<<1|1), strs: []byte{0xFF, 0xFF, 0xFF, 0xFF},
			path: sp, offset: 0, reason: []string{"name length 4294967295 runs past the stream's 4 bytes"}},
		{name: "odd string length", ents: e(0, 2<<1|1), strs: []byte{1, 0, 0, 0, 'a'},
			path: sp, offset: 0, reason: []string{"name length 1 is odd, not whole UTF-16 code units"}},
		{name: "too many entries", entriesTooBig: true,
			path: ep, offset: -1, reason: []string{"32768 entries, more than the 32767 IDs of the named range"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := minimalTree(0, 0)
			s := newTree()
			s.streams[guidStreamName] = tc.guids
			s.streams[entryStreamName] = tc.ents
			if tc.entriesTooBig {
				s.streams[entryStreamName] = make([]byte, 8*(maxNames+1))
			}
			s.streams[stringStreamName] = tc.strs
			root.storages[nameidStorage] = s
			_, _, err := decodeMessage(root)
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
		})
	}
}

func TestNamesEncodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		nm    *nameMap
		words []string
	}{
		{"bad kind", &nameMap{names: []mapispi.PropName{{Kind: 7}}},
			[]string{"writing named property 0x8000", "kind 7, want MNID_ID (0) or MNID_STRING (1)"}},
		{"string name not UTF-8", &nameMap{names: []mapispi.PropName{{}, {Kind: mapispi.NameString, Name: "ab\xff"}}},
			[]string{"writing named property 0x8001", "byte 2 of the name is not UTF-8"}},
		{"too many names", &nameMap{names: make([]mapispi.PropName, maxNames+1)},
			[]string{"writing " + nameidStorage, "32768 named properties, more than the 32767 IDs of the named range"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := encodeMessage(&msgData{}, tc.nm)
			if !errors.Is(err, mapispi.ErrBadValue) {
				t.Errorf("encodeMessage = %v, want ErrBadValue", err)
			}
			wantWords(t, "encodeMessage", err, tc.words...)
		})
	}
}
