package pst

import (
	"testing"

	"github.com/mapiemu/mapiemu/mapispi"
)

// TestNameMapOverlappingStrings: NAMEIDs whose strings overlap in
// PidTagNameidStreamString (each length field inside the string before
// it) would make a small map decode far more text than it holds; the
// map is an error, or its names hold about what the stream does.
func TestNameMapOverlappingStrings(t *testing.T) {
	const size, names = 16 << 10, 2048
	strs := make([]byte, size)
	var entries []byte
	for i := range names {
		off := 4 * i
		copy(strs[off:], le32(uint32(size-off-4)))
		entries = append(entries, le32(uint32(off))...)
		entries = append(entries, le16(1<<1|1)...) // PS_MAPI, a string name
		entries = append(entries, le16(uint16(i))...)
	}
	pc, err := openPC(buildPC([]pcProp{
		{tag: mapispi.NewPropTag(mapispi.PtBinary, propNameidStreamGuid), where: "zero"},
		{tag: mapispi.NewPropTag(mapispi.PtBinary, propNameidStreamEntry), where: "subnode", raw: entries},
		{tag: mapispi.NewPropTag(mapispi.PtBinary, propNameidStreamString), where: "subnode", raw: strs},
	}, 16), 0, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	before := allocated()
	m, err := nameMap(pc)
	used := allocated() - before
	if err == nil {
		text := 0
		for _, n := range m {
			text += len(n.Name)
		}
		t.Errorf("nameMap() = %d names holding %d bytes of text from a %d-byte string stream, want an error", len(m), text, size)
	} else {
		wantFormatError(t, err, nidNameToIDMap)
	}
	if limit := uint64(64 * (len(entries) + size)); used > limit {
		t.Errorf("nameMap() allocated %d bytes for %d bytes of streams, more than %d", used, len(entries)+size, limit)
	}
}

// TestNameMapSharedString: two NAMEIDs may name one string (one offset
// of PidTagNameidStreamString), in two property sets.
func TestNameMapSharedString(t *testing.T) {
	text := utf16le("Keywords")
	strs := append(le32(uint32(len(text))), text...)
	entries := append(append(le32(0), le16(1<<1|1)...), le16(0)...)                    // PS_MAPI
	entries = append(append(append(entries, le32(0)...), le16(2<<1|1)...), le16(1)...) // PS_PUBLIC_STRINGS
	pc, err := openPC(buildPC([]pcProp{
		{tag: mapispi.NewPropTag(mapispi.PtBinary, propNameidStreamEntry), where: "heap", raw: entries},
		{tag: mapispi.NewPropTag(mapispi.PtBinary, propNameidStreamString), where: "heap", raw: strs},
	}, 16), 0, testBudget())
	if err != nil {
		t.Fatal(err)
	}
	m, err := nameMap(pc)
	want := map[uint16]mapispi.PropName{
		0x8000: {Set: mapispi.PSMAPI, Kind: mapispi.NameString, Name: "Keywords"},
		0x8001: {Set: mapispi.PSPublicStrings, Kind: mapispi.NameString, Name: "Keywords"},
	}
	if err != nil || len(m) != len(want) || m[0x8000] != want[0x8000] || m[0x8001] != want[0x8001] {
		t.Errorf("nameMap() = %v, %v; want %v", m, err, want)
	}
}

// TestNamesAreTheCallers: the map Names returns is the caller's, though
// the File keeps the map it reads.
func TestNamesAreTheCallers(t *testing.T) {
	f := openTestFile(t, "sample1")
	a, err := f.Names()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := f.cache.get(cacheKey{kind: cacheNames}); !ok {
		t.Errorf("the cache does not hold the name-to-ID map after Names()")
	}
	n := len(a)
	for id := range a {
		delete(a, id)
	}
	a[0x8000] = mapispi.PropName{Kind: mapispi.NameString, Name: "changed"}
	b, err := f.Names()
	if err != nil || len(b) != n || b[0x8000].Name == "changed" {
		t.Errorf("Names() after changing the map it returned = %d names, %v, [0x8000] %v; want %d names as before", len(b), err, b[0x8000], n)
	}
}
